//! Containers as the host sees them: which running container serves a project (a bind mount
//! of its folder, or Compose labels naming it), and what runs inside.
//!
//! Facts come from the `docker` CLI's JSON (`docker ps`, `docker inspect`) rather than the
//! engine's socket: the CLI follows the user's current context (Docker Desktop, colima,
//! podman's docker-compatible CLI, a remote engine), which a socket path would not. Every
//! docker command here only reads.

pub mod gocache;
pub mod inside;

use crate::system::mounts::MountTable;
use crate::system::spawn;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// How long one `docker` command may take: an engine that does not answer in this time (a
/// stopped Docker Desktop VM) is reported as not answering, and the report goes on.
pub const DOCKER_LIMIT: Duration = Duration::from_secs(5);

/// The Compose label holding the folder `docker compose` ran in.
pub const COMPOSE_DIR: &str = "com.docker.compose.project.working_dir";

/// One container, from `docker inspect`.
#[derive(Debug, Clone, Default)]
pub struct Container {
    pub id: String,
    pub name: String,
    pub image: String,
    pub running: bool,
    /// The main process as the host's pid namespace numbers it (0: not known here).
    pub pid: i32,
    /// Entrypoint and command, as run.
    pub command: Vec<String>,
    pub workdir: String,
    /// `Config.User` (empty: root).
    pub user: String,
    /// Started with `--init` (`init: true`).
    pub init: bool,
    pub mounts: Vec<Mount>,
    pub ports: Vec<Port>,
    /// The host ports asked for (`-p`, compose `ports:`), as (container port, host port):
    /// also known when the container could not start.
    pub bindings: Vec<(u16, u16)>,
    /// Why the engine could not start it (`State.Error`), empty when it did.
    pub error: String,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mount {
    /// `bind`, `volume`, `tmpfs`.
    pub kind: String,
    /// A volume's name (empty for other kinds).
    pub name: String,
    pub source: PathBuf,
    pub destination: String,
    pub rw: bool,
}

/// A port the container exposes, and where the host publishes it (none: not published).
#[derive(Debug, Clone, PartialEq)]
pub struct Port {
    pub port: u16,
    pub proto: String,
    pub host: Vec<(String, u16)>,
}

impl Container {
    /// The Compose project folder its labels name.
    pub fn compose_dir(&self) -> Option<&str> {
        self.labels.get(COMPOSE_DIR).map(String::as_str)
    }

    /// The image's own name for people: `name (image)`.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.name, self.image)
    }
}

/// Run `docker ARGS` (reading only) and return its output, or why there is none.
pub fn docker(args: &[&str]) -> Result<Vec<u8>, String> {
    docker_within(args, DOCKER_LIMIT)
}

/// [`docker`] with a time limit of its own.
pub fn docker_within(args: &[&str], limit: Duration) -> Result<Vec<u8>, String> {
    let Ok(cli) = which::which("docker") else {
        return Err("no docker CLI on PATH".into());
    };
    let mut cmd = Command::new(cli);
    cmd.args(args);
    match spawn::output(cmd, limit) {
        Ok((true, out, _)) => Ok(out),
        Ok((false, _, err)) => Err(format!(
            "`docker {}` failed: {}",
            args.join(" "),
            err.lines().last().unwrap_or("").trim()
        )),
        Err(e) => Err(format!(
            "`docker {}`: {e} (the engine does not answer)",
            args.join(" ")
        )),
    }
}

/// The running containers, inspected; Ok(empty) when there are none.
pub fn running() -> Result<Vec<Container>, String> {
    listed(&["ps", "-q", "--no-trunc"])
}

/// The containers that are not running (created, or exited), inspected.
pub fn stopped() -> Result<Vec<Container>, String> {
    listed(&[
        "ps",
        "-q",
        "--no-trunc",
        "--filter",
        "status=created",
        "--filter",
        "status=exited",
    ])
}

/// The containers `docker ARGS` lists by id, inspected.
fn listed(args: &[&str]) -> Result<Vec<Container>, String> {
    let ids = docker(args)?;
    let ids: Vec<&str> = std::str::from_utf8(&ids)
        .unwrap_or("")
        .split_whitespace()
        .collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let inspect = |ids: &[&str]| {
        let mut args = vec!["inspect", "--type", "container"];
        args.extend(ids);
        docker(&args)
    };
    match inspect(&ids) {
        Ok(out) => parse_inspect(&out),
        // A container removed between the listing and the inspect (a `compose down`, a
        // test's `--rm`): the others are inspected one by one, the gone ones left out.
        Err(e) if e.contains("No such container") => {
            let mut all = vec![];
            for id in ids {
                match inspect(&[id]) {
                    Ok(out) => all.extend(parse_inspect(&out)?),
                    Err(e) if e.contains("No such container") => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(all)
        }
        Err(e) => Err(e),
    }
}

/// One container by name or id.
pub fn named(name: &str) -> Result<Container, String> {
    let found = parse_inspect(&docker(&["inspect", "--type", "container", "--", name])?)?;
    found
        .into_iter()
        .next()
        .ok_or_else(|| format!("no container named {name}"))
}

/// The containers of `docker inspect`'s JSON array.
pub fn parse_inspect(json: &[u8]) -> Result<Vec<Container>, String> {
    let all: Vec<Value> = serde_json::from_slice(json)
        .map_err(|e| format!("docker inspect printed no JSON array: {e}"))?;
    Ok(all.iter().map(container).collect())
}

fn container(v: &Value) -> Container {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let strings = |v: &Value| -> Vec<String> {
        match v {
            Value::Array(a) => a.iter().map(s).collect(),
            Value::String(one) => vec![one.clone()],
            _ => vec![],
        }
    };
    let config = &v["Config"];
    let mut command = strings(&config["Entrypoint"]);
    command.extend(strings(&config["Cmd"]));
    let mut mounts: Vec<Mount> = v["Mounts"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| Mount {
                    kind: s(&m["Type"]),
                    name: s(&m["Name"]),
                    source: PathBuf::from(s(&m["Source"])),
                    destination: s(&m["Destination"]),
                    rw: m["RW"].as_bool().unwrap_or(true),
                })
                .collect()
        })
        .unwrap_or_default();
    // `--tmpfs PATH` (compose `tmpfs:`) is listed apart from Mounts.
    if let Some(map) = v["HostConfig"]["Tmpfs"].as_object() {
        mounts.extend(map.keys().map(|dest| Mount {
            kind: "tmpfs".into(),
            name: String::new(),
            source: PathBuf::new(),
            destination: dest.clone(),
            rw: true,
        }));
    }
    let mut ports: Vec<Port> = vec![];
    if let Some(map) = v["NetworkSettings"]["Ports"].as_object() {
        for (spec, bindings) in map {
            let (port, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
            let Ok(port) = port.parse() else { continue };
            let host = bindings
                .as_array()
                .map(|b| {
                    b.iter()
                        .filter_map(|b| Some((s(&b["HostIp"]), s(&b["HostPort"]).parse().ok()?)))
                        .collect()
                })
                .unwrap_or_default();
            ports.push(Port {
                port,
                proto: proto.into(),
                host,
            });
        }
    }
    ports.sort_by_key(|p| p.port);
    let mut bindings = vec![];
    if let Some(map) = v["HostConfig"]["PortBindings"].as_object() {
        for (spec, list) in map {
            let Ok(port) = spec.split('/').next().unwrap_or("").parse() else {
                continue;
            };
            for b in list.as_array().into_iter().flatten() {
                if let Ok(host) = s(&b["HostPort"]).parse() {
                    bindings.push((port, host));
                }
            }
        }
    }
    bindings.sort();
    let labels = config["Labels"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), s(v))).collect())
        .unwrap_or_default();
    Container {
        id: s(&v["Id"]),
        name: s(&v["Name"]).trim_start_matches('/').to_string(),
        image: s(&config["Image"]),
        running: v["State"]["Running"].as_bool().unwrap_or(false),
        pid: v["State"]["Pid"].as_i64().unwrap_or(0) as i32,
        command,
        workdir: s(&config["WorkingDir"]),
        user: s(&config["User"]),
        init: v["HostConfig"]["Init"].as_bool().unwrap_or(false),
        mounts,
        ports,
        bindings,
        error: s(&v["State"]["Error"]),
        labels,
    }
}

/// How a container serves a project.
#[derive(Debug, Clone)]
pub struct Serving {
    pub container: Container,
    /// The bind mount that maps the project folder, and where the project is inside.
    pub mount: Option<(Mount, String)>,
    /// The Compose project folder its labels name, when that is this project (or holds it).
    pub compose: Option<String>,
}

/// Whether `container` serves the project at `root`: a bind mount whose source holds the
/// project folder (seen through a FUSE view such as bindfs too), or Compose labels naming
/// the project's folder or one above it.
pub fn serving(root: &Path, host: Option<&MountTable>, container: &Container) -> Option<Serving> {
    let mount = container.mounts.iter().find_map(|m| {
        // A bind of the whole host (`-v /:/host`: monitoring agents) serves no project.
        if m.kind != "bind" || m.source == Path::new("/") {
            return None;
        }
        let source = backing(&m.source, host);
        let rel = root.strip_prefix(&source).ok()?;
        let inside = match rel.as_os_str().is_empty() {
            true => PathBuf::from(&m.destination),
            false => Path::new(&m.destination).join(rel),
        };
        Some((m.clone(), inside.to_string_lossy().into_owned()))
    });
    let compose = container
        .compose_dir()
        .filter(|dir| root.starts_with(dir))
        .map(str::to_string);
    (mount.is_some() || compose.is_some()).then(|| Serving {
        container: container.clone(),
        mount,
        compose,
    })
}

/// The folder a bind source really shows: for a path on a FUSE mount that re-exports a
/// folder (bindfs: `/src /view fuse.bindfs`), that folder; else the path itself.
pub fn backing(source: &Path, host: Option<&MountTable>) -> PathBuf {
    let Some(m) = host.and_then(|t| t.mount_of(source)) else {
        return source.to_path_buf();
    };
    let dev = Path::new(&m.source);
    if m.fs_type.starts_with("fuse") && dev.is_absolute() && dev.is_dir() {
        if let Ok(rel) = source.strip_prefix(&m.mount_point) {
            return dev.join(rel);
        }
    }
    source.to_path_buf()
}

/// Whether a bind source is a FUSE mount, whose host-side writes raise no inotify event
/// inside (bindfs here; Docker Desktop's grpcfuse, osxfs and virtiofs shares alike).
pub fn through_fuse(source: &Path, host: Option<&MountTable>) -> Option<String> {
    let m = host?.mount_of(source)?;
    m.fs_type.starts_with("fuse").then(|| m.fs_type.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSPECT: &str = r#"[{"Id":"abc","Name":"/web","State":{"Running":true,"Pid":42},
      "Config":{"Image":"golang:1.22","Cmd":["air","-c",".air.toml"],"Entrypoint":null,
        "WorkingDir":"/app","User":"","Labels":{"com.docker.compose.project.working_dir":"/home/me/proj"}},
      "HostConfig":{"Init":null,"Tmpfs":{"/run":""},"PortBindings":{"8080/tcp":[{"HostIp":"","HostPort":"18080"}]}},
      "Mounts":[{"Type":"bind","Source":"/home/me/proj","Destination":"/app","RW":true}],
      "NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"0.0.0.0","HostPort":"18080"}],"9000/tcp":null}}}]"#;

    #[test]
    fn inspect_json_is_read() {
        let c = &parse_inspect(INSPECT.as_bytes()).unwrap()[0];
        assert_eq!(c.name, "web");
        assert_eq!(c.pid, 42);
        assert_eq!(c.command, ["air", "-c", ".air.toml"]);
        assert!(!c.init);
        assert_eq!(c.ports[0].host, [("0.0.0.0".to_string(), 18080)]);
        assert!(c.ports[1].host.is_empty());
        assert_eq!(c.bindings, [(8080, 18080)]);
        assert_eq!(c.compose_dir(), Some("/home/me/proj"));
        assert_eq!(c.mounts[1].kind, "tmpfs");
        assert_eq!(c.mounts[1].destination, "/run");
    }

    #[test]
    fn a_mount_of_the_project_or_its_parent_serves_it() {
        let c = &parse_inspect(INSPECT.as_bytes()).unwrap()[0];
        let s = serving(Path::new("/home/me/proj/svc"), None, c).unwrap();
        assert_eq!(s.mount.unwrap().1, "/app/svc");
        assert_eq!(s.compose.as_deref(), Some("/home/me/proj"));
        assert!(serving(Path::new("/home/me/other"), None, c).is_none());
        let mut agent = c.clone();
        agent.labels.clear();
        agent.mounts[0].source = PathBuf::from("/");
        assert!(serving(Path::new("/home/me/proj"), None, &agent).is_none());
    }

    #[test]
    fn bad_json_is_an_error() {
        assert!(parse_inspect(b"{").is_err());
        assert!(parse_inspect(b"[{}]").unwrap()[0].mounts.is_empty());
    }
}
