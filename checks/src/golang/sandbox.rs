//! How a plain report runs the go command in a tree it does not trust.
//!
//! A report must not run a program the repository names. `build.cmd` is the repository's,
//! so its `go build` is rebuilt from an allowlist: flags that only change what is compiled
//! (`-tags`, `-trimpath`, `-race`, `-gcflags`, `-ldflags` without an external linker, ...),
//! `VAR=value` prefixes that only pick a target (`GOOS`, `GOARCH`, `CGO_ENABLED`, ...), a
//! folder inside the project. Everything else (`-toolexec`, `-exec`, `-overlay`, `-modfile`,
//! `-mod=mod`, `CC=`, `GOFLAGS=`, `LD_PRELOAD=`, ...) is dropped and named, so the finding can
//! say what was not passed. go itself always runs with `GOTOOLCHAIN=local` (no toolchain
//! download and switch), a read-only module mode, `GOFLAGS` only from the user's own
//! environment, in its own process group, and killed at a deadline ([`spawn`]).
//!
//! What still runs: go's own compiler and linker, and for a package that imports "C" the C
//! compiler (the user's `CC`) on the repository's C files. `--no-compile` skips all of it.

use crate::golang::build_plan::{BuildPlan, VALUE_FLAGS};
use crate::golang::filepath::clean as lexical;
use crate::system::spawn;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// `go build` flags passed through: they choose what is compiled, never run a program.
const KEPT_FLAGS: &[&str] = &[
    "tags", "trimpath", "race", "gcflags", "ldflags", "buildvcs", "a", "p", "mod",
];

/// `VAR=value` prefixes passed through: they pick the target, never a program.
const KEPT_ENV: &[&str] = &[
    "CGO_ENABLED",
    "GOOS",
    "GOARCH",
    "GOAMD64",
    "GOARM",
    "GOARM64",
    "GO386",
    "GOMIPS",
    "GOMIPS64",
    "GOPPC64",
    "GORISCV64",
    "GOWASM",
    "GOEXPERIMENT",
];

/// A `go build` (or `go list`) of the plan that runs nothing the repository names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeBuild {
    pub flags: Vec<String>,
    pub env: Vec<(String, String)>,
    pub packages: Vec<String>,
    /// Where go runs: the plan's folder when it is inside the project, else the project.
    pub dir: PathBuf,
    /// What build.cmd had that was not passed, as written (`-toolexec=./x.sh`, `CC=./x.sh`).
    pub dropped: Vec<String>,
}

impl SafeBuild {
    pub fn new(plan: &BuildPlan, root: &Path) -> SafeBuild {
        let mut dropped = vec![];
        let mut dir = lexical(&plan.work_dir(root));
        if !dir.starts_with(root) {
            dropped.push(format!("cd {} (outside the project)", dir.display()));
            dir = root.to_path_buf();
        }
        let mut env = vec![];
        for (k, v) in &plan.env {
            if KEPT_ENV.contains(&k.as_str()) {
                env.push((k.clone(), v.clone()));
            } else {
                dropped.push(format!("{k}={v}"));
            }
        }
        let mut flags = vec![];
        let mut module_mode = None;
        let mut words = plan.flags.iter();
        while let Some(arg) = words.next() {
            let flag = arg.trim_start_matches('-');
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            let mut written = vec![arg.clone()];
            let value = match inline {
                Some(v) => Some(v),
                None if VALUE_FLAGS.contains(&name) => {
                    let v = words.next().cloned();
                    written.extend(v.clone());
                    v
                }
                None => None,
            };
            let keep = match name {
                "mod" => {
                    let ok = matches!(value.as_deref(), Some("readonly" | "vendor"));
                    if ok {
                        module_mode = value.clone();
                    }
                    ok
                }
                "gcflags" | "ldflags" => value.as_deref().is_some_and(|v| !external_linker(v)),
                n => KEPT_FLAGS.contains(&n),
            };
            if keep && name != "mod" {
                flags.extend(written);
            } else if !keep {
                dropped.push(written.join(" "));
            }
        }
        // go.mod is never rewritten: vendor when asked or when vendor/modules.txt makes it
        // go's own default, read-only otherwise (-mod=mod would add requirements).
        let vendored = root.join("vendor/modules.txt").is_file();
        let mode =
            module_mode.unwrap_or_else(|| if vendored { "vendor" } else { "readonly" }.to_string());
        flags.push(format!("-mod={mode}"));
        let mut packages: Vec<String> = vec![];
        for p in &plan.packages {
            let looks_like_path = p.starts_with('.') || p.starts_with('/');
            if looks_like_path && !lexical(&dir.join(p.trim_end_matches("/..."))).starts_with(root)
            {
                dropped.push(format!("{p} (outside the project)"));
            } else {
                packages.push(p.clone());
            }
        }
        if packages.is_empty() {
            packages.push(".".into());
        }
        SafeBuild {
            flags,
            env,
            packages,
            dir,
            dropped,
        }
    }

    /// `go build` into `out`/bin (go names the binary there), with `after` after the flags,
    /// bounded by `limit` (see [`spawn::run`]). go's own work folder goes in `out` too, so
    /// a build stopped at the limit (SIGKILL: go cannot clean up) leaves nothing in /tmp.
    pub fn build_into(
        &self,
        go_path: &Path,
        out: &BuildDir,
        after: &[String],
        limit: Duration,
    ) -> Result<spawn::Ended, String> {
        let bin = out.path.join("bin");
        std::fs::create_dir_all(&bin)
            .map_err(|e| format!("cannot create {}: {e}", bin.display()))?;
        let mut args = vec!["-o".to_string(), format!("{}/", bin.display())];
        args.extend(after.iter().cloned());
        let mut cmd = self.command(go_path, &["build"], &args);
        cmd.env("TMPDIR", &out.path);
        spawn::run(cmd, limit)
    }

    /// `go SUBCOMMAND [extra] flags [after] packages`, with the protections of [`go`].
    pub fn command(&self, go_path: &Path, subcommand: &[&str], after: &[String]) -> Command {
        let mut cmd = go(go_path);
        cmd.args(subcommand)
            .args(&self.flags)
            .args(after)
            .args(&self.packages)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(&self.dir);
        cmd
    }
}

/// A private folder under the system temp dir, removed when dropped.
pub struct BuildDir {
    pub path: PathBuf,
    /// Held while it lives, so that a doctor in another pid namespace sharing /tmp leaves it
    /// alone (see [`crate::probe::scratch::hold`]).
    _held: Option<crate::probe::scratch::Held>,
}

impl BuildDir {
    /// Created afresh (never an existing path, which in a shared /tmp could be someone
    /// else's), readable only by us.
    pub fn new() -> std::io::Result<BuildDir> {
        use std::os::unix::fs::DirBuilderExt;
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        loop {
            let path = std::env::temp_dir().join(format!(
                "reload-doctor-build-{}-{nanos}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => {
                    crate::system::interrupt::track_dir(&path);
                    let _held = crate::probe::scratch::hold(&path);
                    return Ok(BuildDir { path, _held });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for BuildDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
        crate::system::interrupt::untrack_dir(&self.path);
    }
}

/// A gcflags/ldflags value that makes the linker run an external program (`-extld`,
/// `-extldflags`, `-linkmode=external`, which runs the C compiler to link).
fn external_linker(value: &str) -> bool {
    let v = value.replace(' ', "=");
    v.contains("-extld") || v.contains("linkmode=external")
}

/// The go command with what every run in a report needs: no toolchain switch, no input.
/// GOFLAGS is left as the user's environment has it (build.cmd cannot set it).
pub fn go(go_path: &Path) -> Command {
    let mut cmd = Command::new(go_path);
    cmd.env("GOTOOLCHAIN", "local").stdin(Stdio::null());
    cmd
}

/// `go env VARS...` read from `/`, where no go.mod or go.work can ask for another toolchain
/// (a shared temp folder could hold one), with a deadline. One line per variable.
pub fn go_env(go_path: &Path, vars: &[&str], env: &[(String, String)]) -> Result<String, String> {
    let mut cmd = Command::new(go_path);
    cmd.arg("env")
        .args(vars)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env_remove("GOWORK")
        .current_dir("/");
    match spawn::output(cmd, spawn::GO_ENV_LIMIT)? {
        (true, out, _) => Ok(String::from_utf8_lossy(&out).into_owned()),
        (false, _, err) => Err(format!("`go env` failed: {}", err.trim())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(cmd: &str) -> SafeBuild {
        SafeBuild::new(&BuildPlan::parse(cmd), Path::new("/nonexistent/p"))
    }

    #[test]
    fn keeps_what_is_compiled_and_drops_what_runs_programs() {
        let s = safe(
            "CC=./x.sh GOOS=linux GOFLAGS=-toolexec=./x go build -toolexec=./x.sh -exec ./y -overlay o.json \
             -modfile=m.mod -mod=mod -tags 'dev sql' -race -trimpath -ldflags '-s -w' \
             -gcflags=all=-N -o ./tmp/main ./cmd/api",
        );
        assert_eq!(
            s.flags,
            [
                "-tags",
                "dev sql",
                "-race",
                "-trimpath",
                "-ldflags",
                "-s -w",
                "-gcflags=all=-N",
                "-mod=readonly"
            ]
        );
        assert_eq!(s.env, [("GOOS".to_string(), "linux".to_string())]);
        assert_eq!(
            s.dropped,
            [
                "CC=./x.sh",
                "GOFLAGS=-toolexec=./x",
                "-toolexec=./x.sh",
                "-exec ./y",
                "-overlay o.json",
                "-modfile=m.mod",
                "-mod=mod"
            ]
        );
        assert_eq!(s.packages, ["./cmd/api"]);
    }

    #[test]
    fn an_external_linker_in_ldflags_drops_the_flag() {
        for cmd in [
            "go build -ldflags '-linkmode external -extld ./x.sh' .",
            "go build -ldflags=-linkmode=external .",
            "go build -ldflags=all=-extldflags=-fuse-ld=./x .",
            "go build -gcflags -extld=x .",
        ] {
            let s = safe(cmd);
            assert_eq!(s.flags, ["-mod=readonly"], "{cmd}");
            assert_eq!(s.dropped.len(), 1, "{cmd}");
        }
        assert_eq!(safe("go build -mod vendor .").flags, ["-mod=vendor"]);
    }

    #[test]
    fn never_leaves_the_project() {
        let s = safe("cd ../.. && go build ../../etc /abs ./ok");
        assert_eq!(s.dir, Path::new("/nonexistent/p"));
        assert_eq!(s.packages, ["./ok"]);
        assert_eq!(s.dropped.len(), 3, "{:?}", s.dropped);
        let s = safe("cd cmd && go build .");
        assert_eq!(s.dir, Path::new("/nonexistent/p/cmd"));
    }
}
