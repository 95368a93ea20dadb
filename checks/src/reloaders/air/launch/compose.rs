//! Compose files: each service's command (its `entrypoint:` and `command:`, else what its
//! Dockerfile's `ENTRYPOINT`/`CMD` start, else air for an `image: cosmtrek/air`; an official
//! image named beside `build:` is pulled, so its own command runs), where it
//! runs (`working_dir:`, else the Dockerfile's `WORKDIR`) and which host folders are behind
//! the container's paths: `COPY` of the build context, then bind mounts in `volumes:` (short
//! and long syntax, `${VAR:-default}` sources) and `develop: watch:` syncs, all relative to the
//! compose file's folder (`..:/app` from a compose file in `docker/` is the repository).
//! An override file (`compose.override.yml`) is merged into the base file of its folder; a
//! service of another file (`compose.dev.yml`, used with `-f compose.yml -f compose.dev.yml`)
//! takes what it leaves out from the base, build's fields one by one. Every service is
//! returned, those that run no air too: a host line's `docker compose exec SERVICE air` runs
//! in them.

use super::dockerfile::{self, Exec};
use super::programs::Programs;
use super::{join_posix, Container, Line, Mount, Place};
use crate::reloaders::air::versions::Toolchain;
use crate::yaml::{self, Node};
use std::path::{Path, PathBuf};

const BASES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// One service of a compose file: its container, and the line that starts it when that may
/// start air (a command naming air or a `.sh` script).
pub(super) struct Service {
    pub name: String,
    /// `container_name:`, what `docker exec NAME` calls it.
    pub container_name: Option<String>,
    pub container: Container,
    pub line: Option<Line>,
    /// The Dockerfile it builds, when its line is read (then the Dockerfile is not read alone).
    pub dockerfile: Option<PathBuf>,
}

/// Each service of the file at `path`.
pub(super) fn lines(
    repo: &Path,
    path: &Path,
    text: &str,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Service> {
    let dir = path.parent().unwrap_or(repo).to_path_buf();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let sibling = |n: &str| read(&dir.join(n)).and_then(|t| yaml::parse(&t));
    let is_override = name.contains("override");
    let base_name = BASES.iter().find(|b| dir.join(b).is_file());
    if is_override && base_name.is_some() {
        return vec![]; // read with its base
    }
    let Some(doc) = yaml::parse(text) else {
        return vec![];
    };
    let overrides: Vec<Node> = if BASES.contains(&name.as_str()) {
        BASES
            .iter()
            .map(|b| b.replace("compose.", "compose.override."))
            .filter_map(|o| sibling(&o))
            .collect()
    } else {
        vec![]
    };
    let base = base_name.filter(|b| **b != name).and_then(|b| sibling(b));
    let mut out = vec![];
    let Some(services) = doc.get("services") else {
        return out;
    };
    for (service_name, node) in services.entries() {
        // The most specific first: override files, this file, then the base.
        let mut chain: Vec<&Node> = overrides
            .iter()
            .filter_map(|o| o.get("services").and_then(|s| s.get(service_name)))
            .collect();
        chain.push(node);
        // `-f compose.yml -f compose.dev.yml`: what this file leaves out comes from the base.
        chain.extend(
            base.as_ref()
                .and_then(|b| b.get("services"))
                .and_then(|s| s.get(service_name)),
        );
        out.extend(service(repo, &dir, service_name, node.key_line, &chain));
    }
    out
}

/// The files a compose file's top-level `include:` names (Compose 2.20+): `- other.yml`, or
/// `- path: other.yml` / `path: [a.yml, b.yml]`, relative to the including file's folder.
/// Each is a compose application of its own whose relative paths are relative to its own
/// folder, which is how [`lines`] reads it. A path with a variable, outside the repository
/// or to no file is left out (compose would stop there; the doctor says nothing of it).
pub(super) fn includes(repo: &Path, path: &Path, text: &str) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(repo);
    let Some(doc) = yaml::parse(text) else {
        return vec![];
    };
    let mut named: Vec<&str> = vec![];
    for item in doc.get("include").map(Node::items).unwrap_or_default() {
        match (item.as_str(), item.get("path")) {
            (Some(p), _) => named.push(p),
            (None, Some(p)) => match p.as_str() {
                Some(one) => named.push(one),
                None => named.extend(p.items().iter().filter_map(Node::as_str)),
            },
            (None, None) => {}
        }
    }
    named
        .into_iter()
        .filter(|p| !p.contains('$'))
        .map(|p| PathBuf::from(crate::filepath::clean_str(&dir.join(p).to_string_lossy())))
        .filter(|p| {
            let real = |p: &Path| std::fs::canonicalize(p).ok();
            p.is_file()
                && real(p)
                    .zip(real(repo))
                    .is_some_and(|(p, r)| p.starts_with(r))
        })
        .collect()
}

/// The first value of `key` along `chain` (a `!reset` value unsets it).
fn field<'a>(chain: &[&'a Node], key: &str) -> Option<&'a Node> {
    let v = chain.iter().find_map(|n| n.get(key))?;
    (v.tag.as_deref() != Some("reset") && v.as_str() != Some("null")).then_some(v)
}

/// A `command:`/`entrypoint:`: compose splits a string into words like a shell, but runs no
/// shell (so `-c x` after an air entrypoint stays air's flags).
fn exec(node: &Node) -> Option<Exec> {
    match node.as_str() {
        Some(s) => match crate::shell::commands(s).as_slice() {
            [one] if one.redirects.is_empty() => Some(Exec::Argv(one.words.clone())),
            _ => Some(Exec::Shell(s.to_string())),
        },
        None => {
            let words: Vec<String> = node
                .items()
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect();
            (!words.is_empty()).then_some(Exec::Argv(words))
        }
    }
}

fn service(
    repo: &Path,
    dir: &Path,
    service: &str,
    service_line: usize,
    chain: &[&Node],
) -> Option<Service> {
    // Each of build's fields from the first file that sets it (`build: ./x` is its context).
    let builds: Vec<&Node> = chain.iter().filter_map(|n| n.get("build")).collect();
    let build_field = |key: &str| {
        builds.iter().find_map(|b| match b.as_str() {
            Some(ctx) if key == "context" && ctx != "null" => Some(ctx.to_string()),
            _ => b.get(key).and_then(Node::as_str).map(str::to_string),
        })
    };
    let (context, dockerfile, target) = match field(chain, "build") {
        Some(_) => (
            Some(dir.join(build_field("context").unwrap_or_else(|| ".".into()))),
            build_field("dockerfile"),
            build_field("target"),
        ),
        None => (None, None, None),
    };
    let context = context.map(|c| PathBuf::from(crate::filepath::clean_str(&c.to_string_lossy())));
    // Without `dockerfile:` docker builds `Dockerfile`, else a lowercase `dockerfile`.
    let dockerfile_path = context
        .as_ref()
        .map(|c| match dockerfile.as_deref() {
            Some(d) => c.join(d),
            None => Some(c.join("dockerfile"))
                .filter(|p| !c.join("Dockerfile").is_file() && p.is_file())
                .unwrap_or_else(|| c.join("Dockerfile")),
        })
        .filter(|p| p.starts_with(repo));
    let image_name = field(chain, "image").and_then(Node::as_str).unwrap_or("");
    // `image:` beside `build:`: compose pulls the image first and builds only when the pull
    // fails (`mustPull`, then a build of what is still missing), unless pull_policy says
    // build or never. An official image's name always pulls, so that image runs, not the
    // Dockerfile (an nginx service with a stray `build: .` next to the app's Dockerfile).
    let policy = field(chain, "pull_policy").and_then(Node::as_str);
    let pulled = !matches!(policy, Some("build" | "never")) && official_image(image_name);
    let image = dockerfile_path
        .as_ref()
        .filter(|_| !pulled)
        .and_then(|p| crate::system::files::read_to_string(p).ok())
        .map(|t| dockerfile::image(&t, target.as_deref()));
    let air_image = {
        let repo_name = image_name.split([':', '@']).next().unwrap_or("");
        matches!(
            repo_name,
            "cosmtrek/air" | "air-verse/air" | "docker.io/cosmtrek/air"
        )
    };
    let entrypoint_node = field(chain, "entrypoint");
    let command_node = field(chain, "command");
    let entrypoint = entrypoint_node.and_then(exec).or_else(|| match &image {
        Some(i) => i.entrypoint.as_ref().map(|e| e.1.clone()),
        None if air_image => Some(Exec::Argv(vec!["air".into()])),
        None => None,
    });
    let cmd = command_node.and_then(exec).or_else(|| {
        if entrypoint_node.is_some() {
            return None;
        }
        image
            .as_ref()
            .and_then(|i| i.cmd.as_ref().map(|c| c.1.clone()))
    });
    let run = Exec::combine(entrypoint.as_ref(), cmd.as_ref())
        .map(|e| e.text())
        .filter(|run| run.contains("air") || super::runs_a_script(run));
    let line = command_node
        .or(entrypoint_node)
        .map(|n| n.key_line)
        .filter(|l| *l > 0)
        .unwrap_or(service_line.max(1));
    let cwd = field(chain, "working_dir")
        .and_then(Node::as_str)
        .map(|w| join_posix("/", w))
        .or_else(|| image.as_ref().map(|i| i.workdir.clone()))
        .unwrap_or_else(|| "/".into());
    let mut mounts = match (&image, &context) {
        (Some(i), Some(c)) => i.copy_mounts(c),
        _ => vec![],
    };
    // Bind mounts of every file in the chain, the base's first.
    for node in chain.iter().rev() {
        for v in node.get("volumes").map(Node::items).unwrap_or_default() {
            mounts.extend(bind(dir, v));
        }
        let watch = node.get("develop").and_then(|d| d.get("watch"));
        for w in watch.map(Node::items).unwrap_or_default() {
            let action = w.get("action").and_then(Node::as_str).unwrap_or("");
            if let (true, Some(p), Some(t)) = (
                action.starts_with("sync"),
                w.get("path").and_then(Node::as_str),
                w.get("target").and_then(Node::as_str),
            ) {
                mounts.push(Mount {
                    container: join_posix("/", t),
                    host: host_path(dir, p)?,
                });
            }
        }
    }
    // What the container has on PATH: the Dockerfile's image, else the named image's.
    let programs = match (&image, &dockerfile_path) {
        (Some(i), Some(d)) => Some(Programs {
            dockerfile: d.strip_prefix(repo).unwrap_or(d).display().to_string(),
            ..i.programs.clone()
        }),
        _ if !image_name.is_empty() => Some(Programs::image(image_name)),
        _ => None,
    };
    // The image it builds, else the one it names (`cosmtrek/air:v1.40.4`, `golang:1.22`).
    let toolchain = match &image {
        Some(i) => i.toolchain.clone(),
        None => Toolchain::from_image(image_name),
    };
    let container = Container {
        cwd,
        mounts,
        programs,
        toolchain,
    };
    Some(Service {
        name: service.to_string(),
        container_name: field(chain, "container_name")
            .and_then(Node::as_str)
            .map(str::to_string),
        container: container.clone(),
        dockerfile: run.is_some().then_some(dockerfile_path).flatten(),
        line: run.map(|text| Line {
            line,
            target: Some(service.to_string()),
            text,
            place: Place::Container(container),
        }),
    })
}

/// Docker Hub's official images (`docker.io/library/NAME`) that compose files run beside an
/// app: a name no project gives its own build, so `docker pull` finds it.
const OFFICIAL_IMAGES: &[&str] = &[
    "nginx",
    "httpd",
    "caddy",
    "traefik",
    "haproxy",
    "varnish",
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "mongo-express",
    "redis",
    "memcached",
    "rabbitmq",
    "elasticsearch",
    "kibana",
    "logstash",
    "zookeeper",
    "cassandra",
    "couchdb",
    "influxdb",
    "telegraf",
    "nats",
    "consul",
    "vault",
    "registry",
    "adminer",
    "busybox",
    "alpine",
    "debian",
    "ubuntu",
    "golang",
    "node",
    "python",
    "eclipse-mosquitto",
    "neo4j",
    "solr",
    "sonarqube",
    "clickhouse",
    "percona",
    "docker",
    "swarm",
    "tomcat",
    "wordpress",
    "ghost",
    "nextcloud",
    "kong",
];

/// Whether compose's pull of `image` succeeds: an official image by its plain name
/// (`nginx:1.27-alpine`, `docker.io/library/redis`).
fn official_image(image: &str) -> bool {
    let name = image.split(['@', ':']).next().unwrap_or(image);
    let name = name
        .strip_prefix("docker.io/")
        .or_else(|| name.strip_prefix("index.docker.io/"))
        .unwrap_or(name);
    let name = name.strip_prefix("library/").unwrap_or(name);
    OFFICIAL_IMAGES.contains(&name)
}

/// A bind mount of `volumes:` (short `./src:/app[:ro]` or long `type: bind`).
fn bind(dir: &Path, v: &Node) -> Option<Mount> {
    let (source, target) = match v.as_str() {
        Some(s) => {
            let mut parts = s.splitn(3, ':');
            (parts.next()?.to_string(), parts.next()?.to_string())
        }
        None => {
            if v.get("type").and_then(Node::as_str) != Some("bind") {
                return None;
            }
            (
                v.get("source").and_then(Node::as_str)?.to_string(),
                v.get("target").and_then(Node::as_str)?.to_string(),
            )
        }
    };
    Some(Mount {
        container: join_posix("/", &target),
        host: host_path(dir, &source)?,
    })
}

/// A mount source on the host: relative to the compose file's folder, `${VAR:-default}` as
/// its default; None for a named volume or a source this file does not spell out.
fn host_path(dir: &Path, source: &str) -> Option<PathBuf> {
    let source = match source.strip_prefix("${") {
        Some(rest) => rest
            .split_once(":-")
            .or_else(|| rest.split_once('-'))?
            .1
            .strip_suffix('}')?,
        None => source,
    };
    if !(source.starts_with('.') || source.starts_with('/')) || source.contains('$') {
        return None;
    }
    Some(PathBuf::from(crate::filepath::clean_str(
        &dir.join(source).to_string_lossy(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> Option<String> {
        std::fs::read_to_string(p).ok()
    }

    fn container(l: &Line) -> &Container {
        match &l.place {
            Place::Container(c) => c,
            Place::Host(_) => panic!("not a container"),
        }
    }

    /// AlexanderWangY/gatormarket: no `command:`, the Dockerfile's CMD after WORKDIR /app,
    /// `./backend:/app`; and xblackbytesx/openscape: `..:/app` from `docker/`.
    #[test]
    fn services_with_their_folders_and_mounts() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("backend")).unwrap();
        std::fs::create_dir_all(repo.join("docker")).unwrap();
        std::fs::write(
            repo.join("backend/Dockerfile"),
            "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        )
        .unwrap();
        let text = "services:\n  api:\n    build: ./backend\n    volumes:\n      - ./backend:/app\n      - gomod:/go/pkg/mod\n  db:\n    image: postgres\nvolumes:\n  gomod:\n";
        let found = lines(repo, &repo.join("compose.yml"), text, &read);
        assert_eq!(found.len(), 2);
        assert!(found[1].line.is_none()); // db runs no air
        let Service {
            name,
            line: Some(l),
            dockerfile,
            ..
        } = &found[0]
        else {
            panic!("no line for api")
        };
        assert_eq!(name, "api");
        assert_eq!(
            dockerfile.as_deref(),
            Some(repo.join("backend/Dockerfile").as_path())
        );
        assert_eq!(l.text, "air -c .air.toml");
        assert_eq!(l.line, 2);
        assert_eq!(
            container(l).to_host(".air.toml"),
            Some(repo.join("backend/.air.toml"))
        );

        let text = "services:\n  app:\n    image: golang:1.23\n    working_dir: /app\n    volumes:\n      - type: bind\n        source: ${WORKSPACE:-..}\n        target: /app\n    command: sh -c \"go install github.com/air-verse/air@latest && air -c docker/.air.toml\"\n";
        let found = lines(
            repo,
            &repo.join("docker/docker-compose-dev.yml"),
            text,
            &read,
        );
        let l = found[0].line.as_ref().unwrap();
        assert_eq!(l.line, 9);
        assert_eq!(
            container(l).to_host("docker/.air.toml"),
            Some(repo.join("docker/.air.toml"))
        );
    }

    /// Zapharaos/fihub-backend: `docker-compose.dev.yml` only sets `build.target`; context,
    /// dockerfile and volumes come from docker-compose.yml (`-f` both).
    #[test]
    fn a_second_file_takes_what_it_leaves_out_from_the_base() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("cmd/api")).unwrap();
        std::fs::write(repo.join("cmd/api/Dockerfile"), "FROM golang AS build\nWORKDIR /app\nFROM build AS development\nCOPY . .\nCMD [\"air\", \"-c\", \"cmd/api/.air.toml\"]\nFROM build AS production\nCMD [\"/api\"]\n").unwrap();
        std::fs::write(repo.join("docker-compose.yml"), "services:\n  api:\n    build:\n      context: .\n      dockerfile: cmd/api/Dockerfile\n      target: production\n    volumes:\n      - ./:/app\n").unwrap();
        let text = "services:\n\n  api:\n    build:\n      target: development\n";
        let found = lines(repo, &repo.join("docker-compose.dev.yml"), text, &read);
        let l = found[0].line.as_ref().unwrap();
        assert_eq!((l.line, l.text.as_str()), (3, "air -c cmd/api/.air.toml"));
        assert_eq!(
            container(l).to_host("cmd/api/.air.toml"),
            Some(repo.join("cmd/api/.air.toml"))
        );
    }

    /// ADelRosarioH/caerus: the override adds the command, the base has build and volumes.
    #[test]
    fn override_files_merge_into_the_base() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::write(repo.join("compose.yml"), "services:\n  api:\n    image: golang:1.22\n    working_dir: /src\n    volumes: ['./api:/src']\n").unwrap();
        std::fs::write(
            repo.join("compose.override.yml"),
            "services:\n  api:\n    command: air\n",
        )
        .unwrap();
        assert!(lines(
            repo,
            &repo.join("compose.override.yml"),
            "services:\n  api:\n    command: air\n",
            &read
        )
        .is_empty());
        let text = std::fs::read_to_string(repo.join("compose.yml")).unwrap();
        let found = lines(repo, &repo.join("compose.yml"), &text, &read);
        let l = found[0].line.as_ref().unwrap();
        assert_eq!(l.text, "air");
        assert_eq!(container(l).to_host("."), Some(repo.join("api")));
        // cosmtrek/air's entrypoint is air: the command holds its flags.
        let found = lines(repo, &repo.join("x-compose.yml"), "services:\n  w:\n    image: cosmtrek/air\n    command: -c ./scripts/.air.toml\n    volumes: ['.:/app']\n    working_dir: /app\n", &read);
        assert_eq!(
            found[0].line.as_ref().unwrap().text,
            "air -c ./scripts/.air.toml"
        );
    }
}
