//! The folders of the packages a main package imports, from `go list -deps`.
//!
//! Lists what the reloader's own `go build` would compile (its packages, flags such as
//! `-tags`, and `VAR=value` prefixes, from [`BuildPlan`]), and never downloads or rewrites
//! anything: GOTOOLCHAIN=local (no toolchain switch), GOPROXY=off (no module fetch), an empty
//! GOFLAGS (a user's `-mod=mod` could rewrite go.mod), `-e` (a missing dependency is listed
//! as an error, not fatal). Killed after a timeout.

use crate::golang::build_plan::BuildPlan;
use crate::system::spawn;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

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
    let (ok, stdout, stderr) =
        spawn::output(cmd, timeout).map_err(|e| format!("`go list`: {e}"))?;
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
}
