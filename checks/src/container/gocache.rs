//! Go's build and module caches in a container: where they are, whether they outlive the
//! container, and (opt-in) what one build costs without the build cache.
//!
//! Where they are is Go's own answer: `docker exec CONTAINER go env GOCACHE GOMODCACHE`, run
//! in `/` with `GOTOOLCHAIN=local` (no go.mod is read, no toolchain fetched). go reads
//! GOENV files and the defaults ($HOME/.cache/go-build, GOPATH/pkg/mod) as the build does.

use super::{docker_within, Container, DOCKER_LIMIT};
use crate::golang::sandbox::SafeBuild;
use std::time::{Duration, Instant};

/// Where a cache folder is kept, by the container's mounts.
#[derive(Debug, Clone, PartialEq)]
pub enum Kept {
    /// A named (or anonymous) volume: kept across `docker rm` and recreates.
    Volume(String),
    /// A folder of the host.
    Bind(String),
    /// A tmpfs: empty at every start.
    Tmpfs,
    /// The container's own writable layer: gone with the container.
    Layer,
}

impl Kept {
    /// Whether a new container of the same service starts without it.
    pub fn lost_on_recreate(&self) -> bool {
        matches!(self, Kept::Tmpfs | Kept::Layer)
    }

    pub fn describe(&self) -> String {
        match self {
            Kept::Volume(name) => format!("volume {name}"),
            Kept::Bind(source) => format!("bind mount of {source}"),
            Kept::Tmpfs => "tmpfs, emptied at every start".into(),
            Kept::Layer => "the container's own writable layer".into(),
        }
    }
}

/// One of Go's caches in the container.
#[derive(Debug, Clone, PartialEq)]
pub struct Cache {
    /// `GOCACHE` or `GOMODCACHE`.
    pub var: &'static str,
    pub path: String,
    pub kept: Kept,
}

/// The container's GOCACHE and GOMODCACHE and where each is kept.
pub fn caches(c: &Container) -> Result<Vec<Cache>, String> {
    let out = docker_within(
        &[
            "exec",
            "-w",
            "/",
            "-e",
            "GOTOOLCHAIN=local",
            &c.id,
            "go",
            "env",
            "GOCACHE",
            "GOMODCACHE",
        ],
        DOCKER_LIMIT,
    )?;
    let text = String::from_utf8_lossy(&out);
    let mut lines = text.lines().map(str::trim);
    let mut found = vec![];
    for var in ["GOCACHE", "GOMODCACHE"] {
        match lines.next() {
            // `off` (GOCACHE=off) or empty: nothing to keep.
            Some(path) if path.starts_with('/') => found.push(Cache {
                var,
                path: path.to_string(),
                kept: kept(c, path),
            }),
            _ => {}
        }
    }
    Ok(found)
}

/// Where `path` (inside) is kept: the mount nearest to it, else the writable layer.
pub fn kept(c: &Container, path: &str) -> Kept {
    let under = |dest: &str| {
        let dest = dest.trim_end_matches('/');
        path == dest || path.starts_with(&format!("{dest}/")) || dest.is_empty()
    };
    let nearest = c
        .mounts
        .iter()
        .filter(|m| under(&m.destination))
        .max_by_key(|m| m.destination.len());
    match nearest {
        None => Kept::Layer,
        Some(m) => match m.kind.as_str() {
            "volume" => Kept::Volume(m.name.clone()),
            "tmpfs" => Kept::Tmpfs,
            _ => Kept::Bind(m.source.to_string_lossy().into_owned()),
        },
    }
}

/// How long one build may take inside before the measurement gives up.
pub const BUILD_LIMIT: Duration = Duration::from_secs(600);

/// One build measured inside, with an empty build cache and with the container's own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timed {
    pub cold_ms: f64,
    pub warm_ms: f64,
}

/// Measure the project's build inside the container (opt-in: it runs `go build` there):
/// `docker exec -w DIR CONTAINER go build FLAGS -o /dev/null -- PACKAGES`, the flags and
/// packages screened as every build of the doctor's ([`SafeBuild`]), `dir` the folder the build
/// runs in as the container names it. Warm: with the container's build cache, once to fill
/// it and once timed. Cold: with a fresh GOCACHE under the container's /tmp, removed after;
/// the module cache is the container's (a cold one would also download every module).
pub fn measure(c: &Container, safe: &SafeBuild, dir: &str) -> Result<Timed, String> {
    let scratch = format!("/tmp/.reload-doctor-gocache-{}", std::process::id());
    // Removed on every path out.
    struct Remove<'a>(&'a str, &'a str);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let _ = super::docker(&["exec", self.0, "rm", "-rf", self.1]);
        }
    }
    let _remove = Remove(&c.id, &scratch);
    let build = |cache: Option<&str>| -> Result<f64, String> {
        let mut args: Vec<String> = ["exec", "-w", dir, "-e", "GOTOOLCHAIN=local"]
            .map(String::from)
            .to_vec();
        for (k, v) in &safe.env {
            args.extend(["-e".into(), format!("{k}={v}")]);
        }
        if let Some(cache) = cache {
            args.extend(["-e".into(), format!("GOCACHE={cache}")]);
        }
        args.extend([c.id.clone(), "go".into(), "build".into()]);
        args.extend(safe.flags.iter().cloned());
        args.extend(["-o", "/dev/null", "-buildvcs=false", "--"].map(String::from));
        args.extend(safe.packages.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let start = Instant::now();
        docker_within(&args, BUILD_LIMIT)?;
        Ok(start.elapsed().as_secs_f64() * 1000.0)
    };
    build(None)?;
    let warm_ms = build(None)?;
    let cold_ms = build(Some(&scratch))?;
    Ok(Timed { cold_ms, warm_ms })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::Mount;
    use std::path::PathBuf;

    fn mount(kind: &str, name: &str, dest: &str) -> Mount {
        Mount {
            kind: kind.into(),
            name: name.into(),
            source: PathBuf::from("/var/lib/docker/volumes/x"),
            destination: dest.into(),
            rw: true,
        }
    }

    #[test]
    fn the_nearest_mount_keeps_a_cache_else_the_layer_does() {
        let mut c = Container {
            mounts: vec![
                mount("bind", "", "/app"),
                mount("volume", "gocache", "/root/.cache/go-build"),
                mount("tmpfs", "", "/tmp"),
            ],
            ..Default::default()
        };
        assert_eq!(
            kept(&c, "/root/.cache/go-build"),
            Kept::Volume("gocache".into())
        );
        assert_eq!(kept(&c, "/tmp/.cache/go-build"), Kept::Tmpfs);
        assert_eq!(kept(&c, "/go/pkg/mod"), Kept::Layer);
        // A mount at /applications is no mount of /app's.
        assert_eq!(kept(&c, "/applications/cache"), Kept::Layer);
        c.mounts.push(mount("bind", "", "/go"));
        assert!(matches!(kept(&c, "/go/pkg/mod"), Kept::Bind(_)));
        assert!(!kept(&c, "/go/pkg/mod").lost_on_recreate());
        assert!(Kept::Layer.lost_on_recreate());
    }
}
