//! The folders of the packages a main package imports, from `go list -deps`.
//!
//! Lists what the reloader's own `go build` would compile (its packages, `-tags` and the
//! other flags [`SafeBuild`] lets through), and never downloads or rewrites anything, nor
//! runs a program the repository names: [`SafeBuild`]'s protections, GOPROXY=off (no module
//! fetch), `-e` (a missing dependency is listed as an error, not fatal). Killed after a
//! timeout.

use crate::golang::build_plan::BuildPlan;
use crate::golang::sandbox::SafeBuild;
use crate::system::spawn;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Package folders of the plan's packages and everything they import, as go reports them.
pub fn dirs(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<PathBuf>, String> {
    list(go, plan, project_root, timeout, "{{.Dir}}")
}

/// Package folders of the plan's imports that belong to a main module (the module itself,
/// or any module of its go.work) or to a module replaced by a local folder: the code a
/// person edits, as opposed to the module cache and the standard library.
pub fn local_dirs(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<PathBuf>, String> {
    let template = "{{with .Module}}{{if or .Main (and .Replace (not .Replace.Version))}}{{$.Dir}}{{end}}{{end}}";
    list(go, plan, project_root, timeout, template)
}

/// The files compiled into the binary from the packages [`local_dirs`] lists: their Go and
/// cgo files and what they embed (`//go:embed`), absolute.
pub fn local_files(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<PathBuf>, String> {
    let each = |list: &str| format!("{{{{range $.{list}}}}}{{{{$.Dir}}}}/{{{{.}}}}\n{{{{end}}}}");
    let template = format!(
        "{{{{with .Module}}}}{{{{if or .Main (and .Replace (not .Replace.Version))}}}}{}{}{}{{{{end}}}}{{{{end}}}}",
        each("GoFiles"),
        each("CgoFiles"),
        each("EmbedFiles")
    );
    list(go, plan, project_root, timeout, &template)
}

/// The files the plan's packages and their imports embed (`//go:embed`), absolute.
pub fn embed_files(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<PathBuf>, String> {
    let template = "{{range .EmbedFiles}}{{$.Dir}}/{{.}}\n{{end}}";
    list(go, plan, project_root, timeout, template)
}

/// What the packages [`local_dirs`] lists embed (`//go:embed`): each file, absolute, with
/// the folder of the package that embeds it.
pub fn local_embeds(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let template = "{{with .Module}}{{if or .Main (and .Replace (not .Replace.Version))}}{{range $.EmbedFiles}}{{$.Dir}}\t{{$.Dir}}/{{.}}\n{{end}}{{end}}{{end}}";
    Ok(list(go, plan, project_root, timeout, template)?
        .into_iter()
        .filter_map(|l| {
            let line = l.as_os_str().as_bytes();
            let tab = line.iter().position(|b| *b == b'\t')?;
            Some((
                PathBuf::from(OsStr::from_bytes(&line[..tab])),
                PathBuf::from(OsStr::from_bytes(&line[tab + 1..])),
            ))
        })
        .collect())
}

/// The packages the plan's packages import that go cannot load, each with the place of the
/// import that names it (`cmd/api/main.go:15:2`, relative to the build's folder).
pub fn broken_imports(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<(String, String)>, String> {
    let template = "{{if .Error}}{{.ImportPath}}\t{{.Error.Pos}}\n{{end}}";
    Ok(list(go, plan, project_root, timeout, template)?
        .into_iter()
        .filter_map(|l| {
            let l = l.to_string_lossy().into_owned();
            let (package, pos) = l.split_once('\t')?;
            Some((package.to_string(), pos.to_string()))
        })
        .collect())
}

/// `go list -e -deps -f TEMPLATE` through [`SafeBuild`], without module downloads: one
/// path per non-empty line.
fn list(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
    template: &str,
) -> Result<Vec<PathBuf>, String> {
    let safe = SafeBuild::new(plan, project_root);
    let mut cmd = safe.command(go, &["list", "-e", "-deps", "-f", template], &[])?;
    cmd.env("GOPROXY", "off");
    let (ok, stdout, stderr) =
        spawn::output(cmd, timeout).map_err(|e| format!("`go list`: {e}"))?;
    if !ok {
        return Err(format!(
            "`go list` failed: {}",
            stderr.lines().next().unwrap_or("no message")
        ));
    }
    Ok(stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| PathBuf::from(OsStr::from_bytes(l)))
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
