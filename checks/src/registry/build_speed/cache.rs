//! Where Go's build cache lives, and whether builds find it warm: a GOCACHE on a shared or
//! network mount is slow on every build; one in a container's own file system, or cleaned by
//! the Dockerfile, is empty in every new container, so its first build compiles every
//! dependency again.

use super::measure::{round1, secs};
use crate::context::Context;
use crate::golang::sandbox;
use crate::model::{Finding, Fix};
use crate::system::mounts::{self, Environment, Mount, MountTable};
use serde_json::json;
use std::path::Path;

/// Dockerfiles read for a cache clean (the project root's; one line at most each).
const DOCKERFILE_LINES: usize = 2_000;

/// The findings about the cache, given the first build's and a rebuild's time (ms).
pub(super) fn findings(ctx: &Context, go: &Path, first: f64, rebuild: f64) -> Vec<Finding> {
    let Ok(cache) = sandbox::go_env(go, &["GOCACHE"], &[]) else {
        return vec![];
    };
    let cache = cache.trim();
    let cold = first >= rebuild * 3.0 && first - rebuild >= 2000.0;
    let evidence =
        json!({"GOCACHE": cache, "first_build_ms": round1(first), "rebuild_ms": round1(rebuild)});
    let mut out = vec![];
    let table = MountTable::read(&ctx.system).ok();
    let mount = table.as_ref().and_then(|t| t.mount_of(Path::new(cache)));
    if let Some(m) = mount.filter(|m| mounts::drops_events(m).is_some()) {
        out.push(
            Finding::warn(format!(
                "GOCACHE ({cache}) is on {} ({}), a shared or network file system: every cache read of every build crosses it",
                m.mount_point.display(),
                m.fs_type
            ))
            .with_evidence(evidence.clone())
            .with_fix(Fix::manual(vec![
                "point GOCACHE at a local folder (a named volume in a container), e.g. GOCACHE=$HOME/.cache/go-build".into(),
            ])),
        );
        return out;
    }
    let env = table.as_ref().map(|t| Environment::detect(&ctx.system, t));
    if let (Some(env), Some(m)) = (&env, mount) {
        if in_container_layer(env, m) {
            let message = format!(
                "GOCACHE ({cache}) is in this container's own file system ({} at {}): a new container starts with an empty cache, and its first build compiles every dependency again{}",
                m.fs_type,
                m.mount_point.display(),
                match cold {
                    true => format!(" (here {} against {} for a rebuild)", secs(first), secs(rebuild)),
                    false => String::new(),
                }
            );
            let finding = match cold {
                true => Finding::warn(message),
                false => Finding::info(message),
            };
            out.push(finding.with_evidence(evidence.clone()).with_fix(Fix::manual(vec![
                format!("mount a named volume at {cache} (compose: `volumes: [\"gocache:{cache}\"]`), and one at GOMODCACHE for the modules"),
            ])));
        }
    }
    for (file, line, text) in cache_cleans(&ctx.project.root) {
        out.push(
            Finding::info(format!(
                "{file}:{line} empties Go's build cache (`{text}`): every container from that image starts cold, and its first build compiles every dependency again"
            ))
            .with_evidence(json!({"file": file, "line": line, "GOCACHE": cache}))
            .with_fix(Fix::manual(vec![format!(
                "drop the clean from {file} for the development image, or use a cache mount (`RUN --mount=type=cache,target=/root/.cache/go-build go build ...`)"
            )])),
        );
    }
    if out.is_empty() && cold {
        out.push(
            Finding::info(format!(
                "the first build took {} against {} for a rebuild: the build cache ({cache}) was cold; a Dockerfile or CI that cleans it, or a container without a cache volume, pays this on every start",
                secs(first),
                secs(rebuild)
            ))
            .with_evidence(evidence),
        );
    }
    out
}

/// Whether `m`, the mount GOCACHE is on, is the container's own root layer (overlay), which
/// a new container does not share.
fn in_container_layer(env: &Environment, m: &Mount) -> bool {
    env.container.is_some()
        && m.mount_point == Path::new("/")
        && matches!(m.fs_type.as_str(), "overlay" | "fuse-overlayfs" | "aufs")
}

/// Lines of the project root's Dockerfiles that empty Go's build cache: `go clean -cache`
/// (or `-cache` among go clean's flags) or an `rm -rf` of a `go-build` folder.
fn cache_cleans(root: &Path) -> Vec<(String, usize, String)> {
    let mut files: Vec<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            lower.starts_with("dockerfile") || lower.ends_with(".dockerfile")
        })
        .collect();
    files.sort();
    let mut out = vec![];
    for name in files {
        let Ok(text) = crate::system::files::read_to_string(root.join(&name)) else {
            continue;
        };
        for (i, line) in text.lines().take(DOCKERFILE_LINES).enumerate() {
            if let Some(clean) = cleans_cache(line) {
                out.push((name.clone(), i + 1, clean));
                break;
            }
        }
    }
    out
}

/// The command in `line` that empties the build cache, if one does.
fn cleans_cache(line: &str) -> Option<String> {
    let line = line.split(" #").next().unwrap_or(line);
    line.split(['&', ';', '|'])
        .map(|cmd| {
            let cmd = cmd.trim();
            cmd.strip_prefix("RUN ").map_or(cmd, str::trim_start)
        })
        .find(|cmd| {
            let words: Vec<&str> = cmd.split_whitespace().collect();
            let go_clean = words
                .windows(2)
                .position(|w| w[0].ends_with("go") && w[1] == "clean")
                .is_some_and(|at| {
                    words[at + 2..]
                        .iter()
                        .any(|w| matches!(*w, "-cache" | "--cache"))
                });
            let rm_cache = words.first() == Some(&"rm")
                && words
                    .iter()
                    .any(|w| w.trim_end_matches('/').ends_with("go-build"));
            go_clean || rm_cache
        })
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dockerfile_line_that_empties_the_cache_is_found() {
        for (line, found) in [
            (
                "RUN go build -o /app . && go clean -cache",
                Some("go clean -cache"),
            ),
            (
                "RUN go clean -modcache -cache -testcache",
                Some("go clean -modcache -cache -testcache"),
            ),
            (
                "RUN rm -rf /root/.cache/go-build/",
                Some("rm -rf /root/.cache/go-build/"),
            ),
            ("RUN go clean -modcache", None),
            ("RUN go build ./... # go clean -cache later", None),
            (
                "RUN --mount=type=cache,target=/root/.cache/go-build go build .",
                None,
            ),
        ] {
            assert_eq!(cleans_cache(line).as_deref(), found, "{line}");
        }
    }

    #[test]
    fn recorded_docker_mountinfo_puts_gocache_in_the_container_layer() {
        // Recorded from a Docker container (fixtures/mountinfo): this machine is no container.
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/mountinfo/docker-linux-bind.txt");
        let table = mounts::parse(&std::fs::read_to_string(path).unwrap());
        let docker = Environment {
            container: Some("docker"),
            ..Default::default()
        };
        let cache = table.mount_of(Path::new("/root/.cache/go-build")).unwrap();
        assert!(in_container_layer(&docker, cache), "{cache:?}");
        // The project's bind mount is not the layer, and on a host nothing is.
        let app = table.mount_of(Path::new("/app")).unwrap();
        assert!(!in_container_layer(&docker, app), "{app:?}");
        assert!(!in_container_layer(&Environment::default(), cache));
    }
}
