//! The folders of the packages a main package imports, from `go list -deps`.
//!
//! Lists what the reloader's own `go build` would compile (its packages, flags such as
//! `-tags`, and `VAR=value` prefixes, from [`BuildPlan`]), and never downloads or rewrites
//! anything: GOTOOLCHAIN=local (no toolchain switch), GOPROXY=off (no module fetch), an empty
//! GOFLAGS (a user's `-mod=mod` could rewrite go.mod), `-e` (a missing dependency is listed
//! as an error, not fatal). Killed after a timeout.

use crate::golang::build_plan::BuildPlan;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Package folders of the plan's packages and everything they import, as go reports them.
pub fn dirs(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<PathBuf>, String> {
    let mut cmd = Command::new(go);
    cmd.args(["list", "-e", "-deps", "-f", "{{.Dir}}"])
        .args(&plan.flags)
        .args(&plan.packages)
        .envs(plan.env.iter().map(|(k, v)| (k, v)))
        .current_dir(plan.work_dir(project_root))
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "");
    let (ok, stdout, stderr) = run(cmd, timeout).map_err(|e| format!("`go list`: {e}"))?;
    if !ok {
        return Err(format!(
            "`go list` failed: {}",
            stderr.lines().next().unwrap_or("no message")
        ));
    }
    Ok(stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect())
}

/// Run `cmd` in its own process group to completion, or kill the group after `timeout`:
/// (success, stdout, stderr).
pub fn run(mut cmd: Command, timeout: Duration) -> Result<(bool, String, String), String> {
    let mut child = cmd
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start: {e}"))?;
    // Read in threads so a large output cannot fill a pipe and stall the child.
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = pipe.read_to_string(&mut s);
            s
        })
    };
    let out = read(Box::new(child.stdout.take().expect("piped")));
    let err = read(Box::new(child.stderr.take().expect("piped")));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                // The whole group: go and anything it started.
                let pgid = nix::unistd::Pid::from_raw(child.id() as i32);
                let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
                let _ = child.wait();
                return Err(format!("gave up after {} ms", timeout.as_millis()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait: {e}")),
        }
    };
    let text = |h: std::thread::JoinHandle<String>| h.join().unwrap_or_default();
    Ok((status.success(), text(out), text(err)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_fixture_imports() {
        let Ok(go) = which::which("go") else {
            eprintln!("go not installed; skipping");
            return;
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/air-exclude-imported");
        let root = root.canonicalize().unwrap();
        let plan = BuildPlan::parse("go build -o ./tmp/main .");
        let dirs = dirs(&go, &plan, &root, Duration::from_secs(20)).unwrap();
        assert!(dirs.contains(&root), "{dirs:?}");
        assert!(
            dirs.iter().any(|d| d.starts_with(root.join("internal"))),
            "{dirs:?}"
        );
    }

    #[test]
    fn kills_a_slow_command() {
        let start = Instant::now();
        let mut cmd = Command::new("sleep");
        cmd.arg("5");
        let err = run(cmd, Duration::from_millis(100)).unwrap_err();
        assert!(err.contains("gave up"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(2));
        let mut echo = Command::new("sh");
        echo.args(["-c", "echo out; echo err >&2; exit 3"]);
        let (ok, out, err) = run(echo, Duration::from_secs(5)).unwrap();
        assert_eq!((ok, out.as_str(), err.as_str()), (false, "out\n", "err\n"));
    }
}
