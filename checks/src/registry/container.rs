//! `container`: the dev container that serves this project, seen from the host.

use super::check::{Check, ProblemKind};
use super::fixes::air_config;
use crate::container::gocache::{self, Cache};
use crate::container::inside::{self, host_save_seen, seen_from};
use crate::container::{self, Serving};
use crate::context::Context;
use crate::golang::sandbox::{self, SafeBuild};
use crate::model::{Finding, Fix, Outcome, Severity};
use crate::process_role::{reaping_init, Owner, RELOADERS};
use crate::system::mounts::MountTable;
use crate::system::procs::{self, ProcessTable};
use crate::system::{inotify, sockets};
use crate::text::{self, plural};
use serde_json::{json, Value};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

pub static CHECK: Check = Check {
    id: "container",
    purpose: "the running container that serves this project, seen from the host",
    explain: "\
Looks at: running containers (the docker CLI's `docker ps` and `docker inspect` JSON, so it
follows your current context: Docker Desktop, colima, podman's docker CLI) whose bind mounts
hold this project's folder (a bindfs view of it too) or whose Compose label
com.docker.compose.project.working_dir names it; `--container NAME` names one. For each: the
reloader inside (air, gin, fresh, reload-doctor run) from its command line, with its -c config
and working folder, and its ports. When the container's processes are visible on this host it
then looks inside through /proc/PID/root and /proc/PID/net:
- not mounted: the image COPYs the source and no mount maps this folder, so host saves never
  reach the container;
- host saves raise no event inside: a file is created in a hidden scratch folder of the
  project on the host and watched for inside the container's mount namespace, then removed
  (FUSE shares such as bindfs, Docker Desktop's grpcfuse, osxfs and virtiofs drop them). When
  its processes are not visible here (a VM), this binary is copied into the container's /tmp,
  watches there (`docker exec`) and is removed;
- the app is unreachable from the host: a port the app listens on is not published, or it is
  published but the app listens on 127.0.0.1 inside the container;
- a host port taken: a container of this project that is not running (created or exited; or
  one named with --container) publishes a host port another process or container now holds,
  so `docker compose up` / `docker start` fails with \"port is already allocated\"; the
  holder is named (pid, command, user). Stopped containers are listed only then;
- pid 1 does not reap (air or a shell as pid 1, started without --init): zombies inside;
- files the container wrote as root into the project (tmp/) that you cannot remove;
- inotify watches of the reloader inside, counted against this host's limits (one kernel);
- cold builds after every recreate: where Go's build and module caches are inside
  (`docker exec CONTAINER go env GOCACHE GOMODCACHE`, run in / with GOTOOLCHAIN=local, which
  builds nothing) and what holds them (a volume, a bind mount, or the container's own
  writable layer, which `docker rm` and `compose up --force-recreate` throw away). With
  --container-build (opt-in: it runs the project's build inside your container) it times one
  build there: `docker exec -w DIR CONTAINER go build FLAGS -o /dev/null -- PKGS` (the flags
  screened as the compile check's), warm with the container's cache, then cold with an empty
  GOCACHE in the container's /tmp, removed after. This one runs in the VM case too, the
  reloader then known by the container's command.

Why it matters for hot reload: \"air doesn't see my changes in Docker\" is one of these.

Fix: on an event-less mount, poll (air: poll = true and poll_interval under [build]; --fix
writes it to the .air.toml the reloader inside reads) or use Compose's `develop: watch` sync;
mount the project (`-v \"$PWD:/app\"`, compose `volumes: [.:/app]`); listen on :8080, not
localhost:8080; publish the port (`-p 8080:8080`); start with --init (compose `init: true`);
run as your user (`--user \"$(id -u):$(id -g)\"`, compose `user:`); keep Go's caches in named
volumes (`-v gocache:/root/.cache/go-build -v gomodcache:/go/pkg/mod`, compose
`volumes: [\"gocache:/root/.cache/go-build\"]` with a top-level `volumes: {gocache: {}}`).
Docker commands here only read, but for the VM case's watcher (copied into /tmp, removed
after) and --container-build's builds; nothing in a container is stopped.
  docker ps --format json                      # what runs
  docker inspect NAME                          # its mounts, ports, labels
  docker exec NAME go env GOCACHE GOMODCACHE   # where Go's caches are inside
  docker exec NAME reload-doctor               # the doctor inside, with a static binary",
    problems: PROBLEMS,
    run,
};

const NOT_MOUNTED: &str = "not-mounted";
const NO_EVENTS: &str = "no-events";
const NOT_PUBLISHED: &str = "not-published";
const LOCALHOST_ONLY: &str = "localhost-only";
const PID1_ZOMBIES: &str = "pid1-zombies";
const ROOT_OWNED: &str = "root-owned";
const WATCH_LIMIT: &str = "watch-limit";
const HOST_PORT_TAKEN: &str = "host-port-taken";
const COLD_BUILDS: &str = "cold-builds";

static PROBLEMS: &[ProblemKind] = &[
    ProblemKind {
        id: NOT_MOUNTED,
        severity: Severity::Fail,
        what: "the container runs its image's copy of the source: host saves never reach it",
    },
    ProblemKind {
        id: NO_EVENTS,
        severity: Severity::Fail,
        what: "a save on the host raises no inotify event inside the container",
    },
    ProblemKind {
        id: NOT_PUBLISHED,
        severity: Severity::Warn,
        what: "the app listens on a port the container does not publish",
    },
    ProblemKind {
        id: LOCALHOST_ONLY,
        severity: Severity::Fail,
        what:
            "the app listens on 127.0.0.1 inside the container: the published port cannot reach it",
    },
    ProblemKind {
        id: PID1_ZOMBIES,
        severity: Severity::Warn,
        what: "pid 1 of the container is not an init and leaves zombies",
    },
    ProblemKind {
        id: ROOT_OWNED,
        severity: Severity::Warn,
        what: "the container wrote root-owned files into the project",
    },
    ProblemKind {
        id: HOST_PORT_TAKEN,
        severity: Severity::Fail,
        what: "a host port the container publishes is held by another process: it could not start",
    },
    ProblemKind {
        id: COLD_BUILDS,
        severity: Severity::Warn,
        what: "Go's build or module cache is in the container's own layer: every recreate builds from cold",
    },
    ProblemKind {
        id: WATCH_LIMIT,
        severity: Severity::Warn,
        what: "the reloader inside is near this host's inotify watch limit",
    },
];

fn run(ctx: &Context) -> Outcome {
    let named = ctx.options.container.as_deref();
    let containers = match named {
        Some(name) => match container::named(name) {
            Ok(c) => vec![c],
            Err(e) => {
                return Outcome::ran(
                    format!("container {name}: {e}"),
                    vec![Finding::fail(format!(
                        "cannot inspect container {name}: {e}"
                    ))],
                )
            }
        },
        None => match container::running() {
            Ok(c) => c,
            // Installed but not started (or another context's engine down): nothing runs, so
            // no container serves the project; said without the CLI's error text.
            Err(e) if e.contains("Cannot connect to the Docker daemon") => {
                return Outcome::skipped(
                    "the Docker engine is not running: no container serves this project",
                )
            }
            Err(e) => return Outcome::skipped(e),
        },
    };
    let host = MountTable::read(&ctx.system).ok();
    let root = &ctx.project.root;
    let serving: Vec<Serving> = containers
        .iter()
        .filter_map(|c| {
            container::serving(root, host.as_ref(), c).or_else(|| {
                named.map(|_| Serving {
                    container: c.clone(),
                    mount: None,
                    compose: None,
                })
            })
        })
        .collect();
    // This project's containers that are not running count only when one cannot start again.
    let blocked: Vec<(Serving, Vec<Finding>)> = match named {
        Some(_) => vec![],
        None => container::stopped()
            .unwrap_or_default()
            .iter()
            .filter_map(|c| container::serving(root, host.as_ref(), c))
            .map(|s| {
                let taken = port_taken(&s.container, &containers, &serving);
                (s, taken)
            })
            .filter(|(_, taken)| !taken.is_empty())
            .collect(),
    };
    let mut findings = vec![];
    let mut seen = vec![];
    for (s, taken) in &blocked {
        seen.push(look(ctx, s, host.as_ref()).0);
        findings.extend(taken.iter().cloned());
    }
    if serving.is_empty() {
        let mut summary = format!(
            "no running container serves this project (of {})",
            plural(containers.len() as u64, "container", "containers")
        );
        if !blocked.is_empty() {
            let names: Vec<&str> = blocked
                .iter()
                .map(|(s, _)| s.container.name.as_str())
                .collect();
            summary += &format!(
                "; {} cannot start: a host port it publishes is taken",
                names.join(", ")
            );
        }
        return Outcome::ran(summary, findings).with_evidence(json!({ "containers": seen }));
    }
    if serving.len() > 1 {
        let names: Vec<String> = serving.iter().map(|s| s.container.describe()).collect();
        findings.push(Finding::info(format!(
            "{} serve this project: {}; name one with --container NAME",
            serving.len(),
            names.join(", ")
        )));
    }
    for s in &serving {
        let (facts, found) = look(ctx, s, host.as_ref());
        seen.push(facts);
        findings.extend(found);
    }
    let summary = match serving.as_slice() {
        [one] => format!("{} serves this project", one.container.describe()),
        all => format!("{} containers serve this project", all.len()),
    };
    Outcome::ran(summary, findings).with_evidence(json!({ "containers": seen }))
}

/// The reloader found inside a container.
struct Reloader {
    pid: i32,
    name: &'static str,
    uid: u32,
    command: Vec<String>,
    cwd: Option<PathBuf>,
    /// Its `-c` config, as the container names it.
    config: Option<PathBuf>,
}

/// One container's facts (the report's `container` section) and findings.
fn look(ctx: &Context, s: &Serving, host: Option<&MountTable>) -> (Value, Vec<Finding>) {
    let c = &s.container;
    let root = &ctx.project.root;
    let mut facts = json!({
        "name": c.name, "id": c.id, "image": c.image, "running": c.running, "pid": c.pid,
        "command": c.command, "working_dir": c.workdir, "user": c.user, "init": c.init,
        "mount": s.mount.as_ref().map(|(m, inside)| json!({
            "source": m.source.to_string_lossy(), "destination": m.destination,
            "project_inside": inside, "rw": m.rw,
            "fuse": container::through_fuse(&m.source, host),
        })),
        "compose_working_dir": s.compose,
        "ports": c.ports.iter().map(|p| json!({
            "port": p.port, "proto": p.proto,
            "published": p.host.iter().map(|(ip, port)| json!({"host_ip": ip, "host_port": port})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "reloaders": [], "visible": false,
    });
    let mut out = vec![];
    let who = &c.name;
    if !c.running {
        let taken = port_taken(c, &[], &[]);
        if taken.is_empty() {
            let why = match c.error.is_empty() {
                true => String::new(),
                false => format!(": {}", c.error),
            };
            out.push(Finding::info(format!("{who} is not running{why}")));
        }
        out.extend(taken);
        return (facts, out);
    }
    let table = match ctx.processes() {
        Ok(t) if t.get(c.pid).is_some() => t,
        _ => {
            out.push(Finding::info(format!(
                "the processes of {who} are not visible on this host (Docker Desktop and colima run them in a VM): for its ports and zombies run the doctor inside, `docker exec {who} reload-doctor` with the static binary copied in"
            )));
            if let Some((m, inside)) = &s.mount {
                // The event probe still works: its watcher runs inside with `docker exec`.
                let seen = inside::host_save_seen_by_exec(&c.id, root, inside);
                out.push(events(ctx, s, m, inside, &[], host, seen, &mut facts));
            }
            // `go env` runs through `docker exec` too; the reloader is known by its command.
            if names_reloader(&c.command) {
                out.extend(cold_builds(ctx, s, &mut facts));
            }
            return (facts, out);
        }
    };
    facts["visible"] = json!(true);
    let proc_root = table.proc_root().to_path_buf();
    let tree = procs::tree(&proc_root, c.pid);
    let reloaders = reloaders_in(ctx, table, &tree);
    facts["reloaders"] = json!(reloaders
        .iter()
        .map(|r| json!({
            "pid": r.pid, "name": r.name, "command": r.command,
            "cwd": r.cwd.as_ref().map(|p| p.to_string_lossy()),
            "config": r.config.as_ref().map(|p| p.to_string_lossy()),
        }))
        .collect::<Vec<_>>());
    out.push(Finding::info(describe(s, &reloaders)).with_evidence(json!({"container": who})));

    match &s.mount {
        None => out.extend(not_mounted(c, root, &proc_root)),
        Some((m, inside)) => {
            let inside_dir = seen_from(&proc_root, c.pid, inside);
            let seen = host_save_seen(root, &inside_dir);
            out.push(events(
                ctx, s, m, inside, &reloaders, host, seen, &mut facts,
            ));
            out.extend(root_owned(c, root));
        }
    }
    out.extend(ports(c, root, &proc_root));
    out.extend(zombies(c, table, &tree));
    out.extend(watches(ctx, c, table, &reloaders));
    if !reloaders.is_empty() {
        out.extend(cold_builds(ctx, s, &mut facts));
    }
    (facts, out)
}

/// The reloaders among the container's processes.
fn reloaders_in(ctx: &Context, table: &ProcessTable, tree: &[i32]) -> Vec<Reloader> {
    let owner = Owner::new(&ctx.project, table);
    tree.iter()
        .filter_map(|pid| {
            let p = table.get(*pid)?;
            let name = owner.reloader(p)?;
            let d = owner.details(*pid);
            Some(Reloader {
                pid: *pid,
                name,
                uid: p.uid,
                command: d.cmdline.clone(),
                cwd: d.cwd.clone(),
                config: d.config_arg(),
            })
        })
        .collect()
}

/// Whether a container's command runs a reloader (`air -c .air.toml`, `sh -c "gin run"`,
/// `reload-doctor run`): what is known of it when its processes are not visible here.
fn names_reloader(command: &[String]) -> bool {
    let words: Vec<&str> = command.iter().flat_map(|a| a.split_whitespace()).collect();
    words.iter().any(|w| {
        let name = w.rsplit('/').next().unwrap_or(w);
        RELOADERS.contains(&name) && (name != "reload-doctor" || words.contains(&"run"))
    })
}

fn describe(s: &Serving, reloaders: &[Reloader]) -> String {
    let c = &s.container;
    let how = match (&s.mount, &s.compose) {
        (Some((m, inside)), _) => format!("{} is mounted at {inside}", m.source.display()),
        (None, Some(dir)) => format!("Compose project in {dir}"),
        (None, None) => "named with --container".into(),
    };
    let what = match reloaders {
        [] => format!("no reloader runs inside (pid 1: {})", c.command.join(" ")),
        all => all
            .iter()
            .map(|r| {
                let cwd = r
                    .cwd
                    .as_ref()
                    .map_or(String::new(), |d| format!(" in {}", d.display()));
                format!("{} (pid {}){cwd}", r.command.join(" "), r.pid)
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    let ports: Vec<String> = c
        .ports
        .iter()
        .map(|p| match p.host.first() {
            Some((ip, port)) => format!(
                "{}:{port}→{}",
                if ip.is_empty() { "0.0.0.0" } else { ip },
                p.port
            ),
            None => format!("{} (not published)", p.port),
        })
        .collect();
    let ports = if ports.is_empty() {
        "no ports".into()
    } else {
        format!("ports {}", ports.join(", "))
    };
    format!(
        "{} serves this project: {how}; {what}; {ports}",
        c.describe()
    )
}

/// No mount maps the project: the container runs the copy its image holds.
fn not_mounted(c: &container::Container, root: &Path, proc_root: &Path) -> Option<Finding> {
    let dir = if c.workdir.is_empty() {
        "/app"
    } else {
        &c.workdir
    };
    let copy = seen_from(proc_root, c.pid, dir).join("go.mod").is_file();
    let held = if copy {
        format!(
            "its {dir} holds the image's own copy of the source (go.mod; a COPY in the Dockerfile)"
        )
    } else {
        format!("no mount of {} is in it", root.display())
    };
    Some(
        Finding::fail(format!(
            "the project folder is not mounted into {}: {held}, so saves on the host never reach it and nothing reloads",
            c.name
        ))
        .with_evidence(json!({"problem": NOT_MOUNTED, "container": c.name, "workdir": dir, "image_copy": copy}))
        .with_fix(Fix::manual(vec![
            format!("docker run -v \"{}:{dir}\" ...", root.display()),
            format!("compose: volumes: [\".:{dir}\"]"),
        ])),
    )
}

/// What the event probe found: `seen`, the finding that the reloader must poll, or why the
/// probe could not run.
#[allow(clippy::too_many_arguments)]
fn events(
    ctx: &Context,
    s: &Serving,
    m: &container::Mount,
    inside: &str,
    reloaders: &[Reloader],
    host: Option<&MountTable>,
    probe: Result<bool, String>,
    facts: &mut Value,
) -> Finding {
    let seen = match probe {
        Ok(seen) => seen,
        Err(e) => {
            return Finding::warn(format!(
                "could not probe events inside {}: {e}",
                s.container.name
            ))
        }
    };
    facts["host_saves_seen"] = json!(seen);
    if seen {
        return Finding::info(format!(
            "a save on the host raises an inotify event inside {} ({} → {inside})",
            s.container.name,
            m.source.display()
        ));
    }
    no_events(ctx, s, m, inside, reloaders, host)
}

/// Host saves raise no event inside: the reloader must poll.
fn no_events(
    ctx: &Context,
    s: &Serving,
    m: &container::Mount,
    inside: &str,
    reloaders: &[Reloader],
    host: Option<&MountTable>,
) -> Finding {
    let c = &s.container;
    let why = match container::through_fuse(&m.source, host) {
        Some(fs) => format!("{} is a {fs} mount", m.source.display()),
        None => format!("{} → {inside}", m.source.display()),
    };
    let evidence = json!({"problem": NO_EVENTS, "container": c.name, "source": m.source.to_string_lossy(), "inside": inside});
    let message = format!(
        "a save on the host raises no inotify event inside {} ({why}): the reloader there never sees a change",
        c.name
    );
    // The config the reloader inside reads, as the host names it.
    let config = reloaders
        .iter()
        .find(|r| r.name == "air")
        .map(|r| {
            let inside_cfg = r.config.clone().unwrap_or_else(|| {
                r.cwd
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(inside))
                    .join(".air.toml")
            });
            inside_cfg
                .strip_prefix(inside)
                .map(|rel| ctx.project.root.join(rel))
                .ok()
        })
        .unwrap_or_else(|| ctx.project.config_path.clone());
    let poll_fix = config.as_deref().and_then(|path| {
        let old = std::fs::read_to_string(path).ok()?;
        air_config::edit_file(
            &ctx.project.root,
            path,
            &old,
            format!(
                "set poll = true and poll_interval = 500 under [build] of {}",
                ctx.project.display_path(path)
            ),
            vec![air_config::poll(), air_config::poll_interval(500)],
        )
    });
    let fix = poll_fix.unwrap_or_else(|| {
        Fix::manual(vec![
            "air: under [build] of .air.toml: poll = true and poll_interval = 500".into(),
            "compose: develop: watch: [{action: sync, path: ., target: ".to_string()
                + inside
                + "}] and `docker compose watch`",
        ])
    });
    Finding::fail(message).with_evidence(evidence).with_fix(fix)
}

/// A container that is not running whose published host ports are held by another process
/// (or container): starting it (`docker start`, `docker compose up`) fails with "address
/// already in use" or "port is already allocated". `running`: the running containers, named
/// when one holds the port; `serving`: those of this project, whose ports are theirs to hold.
fn port_taken(
    c: &container::Container,
    running: &[container::Container],
    serving: &[Serving],
) -> Vec<Finding> {
    let mut out = vec![];
    for (port, host) in &c.bindings {
        let (port, host) = (*port, *host);
        if sockets::is_free(host) {
            continue;
        }
        let publishes = |other: &container::Container| {
            other
                .ports
                .iter()
                .any(|p| p.host.iter().any(|(_, h)| *h == host))
        };
        if serving.iter().any(|s| publishes(&s.container)) {
            continue;
        }
        let by = match running.iter().find(|o| publishes(o)) {
            // Its docker-proxy holds the port: the container is the news.
            Some(o) => format!("container {}", o.describe()),
            None => sockets::holder(host).unwrap_or_else(|| "another process".into()),
        };
        let why = match c.error.is_empty() {
            true => String::new(),
            false => format!(" (the engine said: {})", c.error),
        };
        let evidence = json!({"problem": HOST_PORT_TAKEN, "container": c.name, "host_port": host, "port": port, "holder": by});
        out.push(
            Finding::fail(format!(
                "{} is not running, and starting it (`docker start`, `docker compose up`) fails: port {host} on the host, which it publishes for its {port}, is held by {by}{why}",
                c.name,
            ))
            .with_evidence(evidence)
            .with_fix(Fix::manual(vec![format!(
                "stop {by}, or publish another host port: -p OTHER:{port}   # compose: ports: [\"OTHER:{port}\"]"
            )])),
        );
    }
    out
}

/// What the container wrote as root into a project its host user owns.
fn root_owned(c: &container::Container, root: &Path) -> Option<Finding> {
    if !matches!(c.user.as_str(), "" | "root" | "0" | "0:0") {
        return None;
    }
    let found = inside::root_owned(root, 10);
    if found.is_empty() {
        return None;
    }
    let owner = std::fs::metadata(root).ok()?;
    let names: Vec<String> = found
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    let ids = format!("{}:{}", owner.uid(), owner.gid());
    Some(
        Finding::warn(format!(
            "{} runs as root and wrote root-owned files into the project, which its owner (uid {}) cannot remove or rebuild over: {}",
            c.name,
            owner.uid(),
            names.join(", ")
        ))
        .with_evidence(json!({"problem": ROOT_OWNED, "container": c.name, "files": names, "owner": ids}))
        .with_fix(Fix::manual(vec![
            format!("docker run --user {ids} ...   # compose: user: \"{ids}\""),
            format!("sudo chown -R {ids} {}", found.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ")),
        ])),
    )
}

/// The app's listening sockets in the container's network namespace, against what is
/// published.
fn ports(c: &container::Container, root: &Path, proc_root: &Path) -> Vec<Finding> {
    let netns = proc_root.join(c.pid.to_string());
    let Ok(mut listening) = sockets::listening_in(&netns) else {
        return vec![];
    };
    listening.sort_by_key(|l| (l.local.port(), !l.local.ip().is_loopback()));
    listening.dedup_by_key(|l| l.local.port());
    let mut out = vec![];
    for l in listening {
        let port = l.local.port();
        let published = c
            .ports
            .iter()
            .find(|p| p.port == port && !p.host.is_empty());
        match published {
            None => out.push(
                Finding::warn(format!(
                    "the app in {} listens on {} but the container does not publish port {port}: the host cannot reach it",
                    c.name, l.local
                ))
                .with_evidence(json!({"problem": NOT_PUBLISHED, "container": c.name, "port": port}))
                .with_fix(Fix::manual(vec![
                    format!("docker run -p {port}:{port} ..."),
                    format!("compose: ports: [\"{port}:{port}\"]"),
                ])),
            ),
            Some(p) if l.local.ip().is_loopback() => {
                let host_port = p.host[0].1;
                let site = loopback_site(root, port);
                let at = site.as_ref().map_or(String::new(), |(f, line, text)| {
                    format!(" ({f}:{line}: {text})")
                });
                out.push(
                    Finding::fail(format!(
                        "the app in {} listens on {} only{at}: port {host_port} on the host is forwarded to the container's own address, so the page never loads; listen on :{port}",
                        c.name, l.local
                    ))
                    .with_evidence(json!({
                        "problem": LOCALHOST_ONLY, "container": c.name, "listen": l.local.to_string(),
                        "host_port": host_port,
                        "source": site.as_ref().map(|(f, line, _)| json!({"file": f, "line": line})),
                    }))
                    .with_fix(Fix::manual(vec![format!(
                        "listen on \":{port}\" (all addresses) instead of \"{}\"",
                        l.local
                    )])),
                );
            }
            Some(_) => {}
        }
    }
    out
}

/// The source line that names a loopback address with `port` (`r.Run("localhost:8080")`).
fn loopback_site(root: &Path, port: u16) -> Option<(String, usize, String)> {
    let wanted = [
        format!("\"localhost:{port}\""),
        format!("\"127.0.0.1:{port}\""),
    ];
    let files = crate::golang::source::go_sources(std::fs::read_dir(root).ok()?);
    for file in files {
        let Ok(text) = crate::system::files::read_to_string(&file) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if wanted.iter().any(|w| line.contains(w.as_str())) {
                let name = file
                    .strip_prefix(root)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                return Some((name, i + 1, line.trim().to_string()));
            }
        }
    }
    None
}

/// Zombies under a pid 1 that is not an init.
fn zombies(c: &container::Container, table: &ProcessTable, tree: &[i32]) -> Option<Finding> {
    let pid1 = table.get(c.pid)?;
    if c.init || reaping_init(&pid1.comm) {
        return None;
    }
    let zombies: Vec<i32> = tree
        .iter()
        .filter(|p| table.get(**p).is_some_and(|p| p.state == 'Z'))
        .copied()
        .collect();
    if zombies.is_empty() {
        return None;
    }
    Some(
        Finding::warn(format!(
            "{} inside {}: its pid 1 is {}, not an init, so nothing reaps what exits under it (the app a reloader restarts, build steps)",
            plural(zombies.len() as u64, "zombie", "zombies"),
            c.name,
            pid1.comm
        ))
        .with_evidence(json!({"problem": PID1_ZOMBIES, "container": c.name, "pid1": pid1.comm, "zombies": zombies}))
        .with_fix(Fix::manual(vec![
            "docker run --init ...   # compose: init: true".into(),
        ])),
    )
}

/// The reloader's inotify watches, counted against this host's per-user limit.
fn watches(
    ctx: &Context,
    c: &container::Container,
    table: &ProcessTable,
    reloaders: &[Reloader],
) -> Vec<Finding> {
    let Ok(max) = ctx.system.sysctl_u64("fs.inotify.max_user_watches") else {
        return vec![];
    };
    let mut out = vec![];
    for r in reloaders {
        let usage = inotify::usage(table, r.uid);
        let own = usage
            .holders
            .iter()
            .find(|h| h.pid == r.pid)
            .map_or(0, |h| h.watches);
        let near = usage.watches * 10 >= max * 9;
        let message = format!(
            "{} in {} holds {}, counted against uid {}'s limit on this host: {} of {max} in use",
            r.name,
            c.name,
            plural(own, "inotify watch", "inotify watches"),
            r.uid,
            usage.watches
        );
        let evidence = json!({"problem": WATCH_LIMIT, "container": c.name, "pid": r.pid, "watches": own, "uid_watches": usage.watches, "max_user_watches": max});
        out.push(if near {
            Finding::warn(message)
                .with_evidence(evidence)
                .with_fix(Fix::manual(vec![
                    "sudo sysctl fs.inotify.max_user_watches=524288   # on the host: containers share its kernel".into(),
                ]))
        } else {
            Finding::info(message).with_evidence(json!({"container": c.name, "pid": r.pid, "watches": own, "uid_watches": usage.watches, "max_user_watches": max}))
        });
    }
    out
}

/// Go's caches in the container's own layer (or a tmpfs): a recreated container builds every
/// dependency again (and downloads the modules again). Timed with --container-build.
fn cold_builds(ctx: &Context, s: &Serving, facts: &mut Value) -> Option<Finding> {
    let c = &s.container;
    // No `go` inside: the reloader's build is not Go's there.
    let caches = gocache::caches(c).ok()?;
    facts["go_caches"] = json!(caches
        .iter()
        .map(|k| json!({
            "var": k.var, "path": k.path, "kept": k.kept.describe(),
            "lost_on_recreate": k.kept.lost_on_recreate(),
        }))
        .collect::<Vec<_>>());
    // A vendored project builds from vendor/: the module cache is not read.
    let vendored = ctx.project.root.join("vendor/modules.txt").is_file();
    let lost: Vec<&Cache> = caches
        .iter()
        .filter(|k| k.kept.lost_on_recreate() && !(vendored && k.var == "GOMODCACHE"))
        .collect();
    if lost.is_empty() {
        return None;
    }
    let named: Vec<String> = lost
        .iter()
        .map(|k| format!("{} ({}, in {})", k.var, k.path, k.kept.describe()))
        .collect();
    let modules = lost.iter().any(|k| k.var == "GOMODCACHE");
    let mut message = format!(
        "{} of {} will be empty in a new container (`docker compose up --force-recreate`, `docker rm` and run): its first build compiles every package again{}",
        named.join(" and "),
        c.name,
        if modules { " after downloading every module" } else { "" }
    );
    let mut evidence = json!({
        "problem": COLD_BUILDS, "container": c.name,
        "caches": lost.iter().map(|k| json!({"var": k.var, "path": k.path})).collect::<Vec<_>>(),
    });
    if ctx.options.container_build {
        match time_build(ctx, s) {
            Ok(t) => {
                message += &format!(
                    "; measured inside: {} with an empty build cache against {} with its own",
                    text::duration(t.cold_ms),
                    text::duration(t.warm_ms)
                );
                let ms = json!({"cold": t.cold_ms.round(), "warm": t.warm_ms.round()});
                evidence["build_ms"] = ms.clone();
                facts["build_ms"] = ms;
            }
            Err(e) => message += &format!("; the build inside could not be timed: {e}"),
        }
    } else {
        message += " (--container-build times one build inside, cold and warm)";
    }
    let volume = |k: &Cache| match k.var {
        "GOCACHE" => "gocache",
        _ => "gomodcache",
    };
    let flags: Vec<String> = lost
        .iter()
        .map(|k| format!("-v {}:{}", volume(k), k.path))
        .collect();
    let lines: Vec<String> = lost
        .iter()
        .map(|k| format!("\"{}:{}\"", volume(k), k.path))
        .collect();
    let tops: Vec<String> = lost
        .iter()
        .map(|k| format!("{}: {{}}", volume(k)))
        .collect();
    Some(
        Finding::warn(message)
            .with_evidence(evidence)
            .with_fix(Fix::manual(vec![
                format!("docker run {} ...", flags.join(" ")),
                format!(
                    "compose: under the service, volumes: [{}]; at the top level, volumes: {{{}}}",
                    lines.join(", "),
                    tops.join(", ")
                ),
            ])),
    )
}

/// One build of what the project's reloader builds, timed inside the container: the
/// project's build plan, screened as every build of the doctor's, in the folder the mount puts
/// it at.
fn time_build(ctx: &Context, s: &Serving) -> Result<gocache::Timed, String> {
    let Some((_, inside)) = &s.mount else {
        return Err("the project is not mounted into it".into());
    };
    let root = &ctx.project.root;
    let safe = SafeBuild::new(&ctx.project.build_plan(), root);
    if let Some(file) = safe.irregular_input() {
        return Err(sandbox::irregular_text(&file.display().to_string()));
    }
    let rel = safe.dir.strip_prefix(root).unwrap_or(Path::new(""));
    let dir = Path::new(inside).join(rel);
    gocache::measure(&s.container, &safe, &dir.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reloader_is_known_by_its_command() {
        let words = |c: &[&str]| c.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert!(names_reloader(&words(&["air", "-c", ".air.toml"])));
        assert!(names_reloader(&words(&[
            "/bin/sh",
            "-c",
            "go mod download && /go/bin/air"
        ])));
        assert!(names_reloader(&words(&["reload-doctor", "run"])));
        assert!(!names_reloader(&words(&["reload-doctor", "--json"])));
        assert!(!names_reloader(&words(&["./tmp/main", "--air"])));
    }
}
