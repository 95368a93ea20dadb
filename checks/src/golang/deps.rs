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
    list(go, plan, project_root, timeout, &local("{{$.Dir}}"))
}

/// A `go list` template that prints `body` for the packages a person edits: those of a main
/// module (the module itself, or any module of its go.work), of a module replaced by a local
/// folder, and the package go makes of `.go` files named on the command line
/// (`go build -o x dev.go`: "command-line-arguments", which has no module). go compiles a
/// named file whatever its `//go:build` line says, and a package build skips the files whose
/// constraints leave them out; go list applies both rules, so its lists are the build's.
fn local(body: &str) -> String {
    format!(
        "{{{{$local := eq .ImportPath \"command-line-arguments\"}}}}{{{{with .Module}}}}{{{{if or .Main (and .Replace (not .Replace.Version))}}}}{{{{$local = true}}}}{{{{end}}}}{{{{end}}}}{{{{if $local}}}}{body}{{{{end}}}}"
    )
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
    let template = local(&format!(
        "{}{}{}",
        each("GoFiles"),
        each("CgoFiles"),
        each("EmbedFiles")
    ));
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

/// A package of [`local_dirs`] that embeds files (`//go:embed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageEmbeds {
    /// The package's folder, absolute.
    pub dir: PathBuf,
    /// The Go and cgo files the build compiles there, absolute: the ones whose `//go:embed`
    /// lines count (not a file a build constraint leaves out, unless the command names it).
    pub go_files: Vec<PathBuf>,
    /// What it embeds, absolute, as go resolves the patterns.
    pub embeds: Vec<PathBuf>,
}

/// What the packages [`local_dirs`] lists embed (`//go:embed`), package by package.
pub fn local_embeds(
    go: &Path,
    plan: &BuildPlan,
    project_root: &Path,
    timeout: Duration,
) -> Result<Vec<PackageEmbeds>, String> {
    // A pattern that matches nothing (`//go:embed guest_agent/guest-agent`, a binary a make
    // target builds) is an error that leaves EmbedFiles empty for the whole package, its other
    // patterns too (kernel/hypeman's lib/system, hold-out 17): then its patterns are listed
    // (X) and resolved here as go would.
    let template = local(
        "{{if or .EmbedFiles .EmbedPatterns}}P\t{{$.Dir}}\n{{range $.GoFiles}}G\t{{$.Dir}}/{{.}}\n{{end}}{{range $.CgoFiles}}G\t{{$.Dir}}/{{.}}\n{{end}}{{range $.EmbedFiles}}E\t{{$.Dir}}/{{.}}\n{{end}}{{if not $.EmbedFiles}}{{range $.EmbedPatterns}}X\t{{.}}\n{{end}}{{end}}{{end}}",
    );
    let mut packages: Vec<PackageEmbeds> = vec![];
    for l in list(go, plan, project_root, timeout, &template)? {
        let line = l.as_os_str().as_bytes();
        let Some((kind, path)) = line
            .split_first()
            .filter(|(_, r)| r.first() == Some(&b'\t'))
        else {
            continue;
        };
        let path = PathBuf::from(OsStr::from_bytes(&path[1..]));
        match (kind, packages.last_mut()) {
            (b'P', _) => packages.push(PackageEmbeds {
                dir: path,
                go_files: vec![],
                embeds: vec![],
            }),
            (b'G', Some(p)) => p.go_files.push(path),
            (b'E', Some(p)) => p.embeds.push(path),
            (b'X', Some(p)) => {
                let files = resolve_embed(&p.dir, &path.to_string_lossy());
                p.embeds.extend(files);
            }
            _ => {}
        }
    }
    packages.retain(|p| !p.embeds.is_empty());
    for p in &mut packages {
        p.embeds.sort();
        p.embeds.dedup();
    }
    Ok(packages)
}

/// The files a `//go:embed` pattern names in the package folder `dir`, as go resolves it
/// (`resolveEmbed` in cmd/go/internal/load/pkg.go): each `/`-separated element a
/// `path.Match` glob; a file matched is embedded whatever its name; a folder matched is
/// walked, leaving out names that start with `.` or `_` (unless the pattern starts with
/// `all:`) and folders holding a go.mod (another module). Nothing when nothing matches.
pub fn resolve_embed(dir: &Path, pattern: &str) -> Vec<PathBuf> {
    let (all, pattern) = match pattern.strip_prefix("all:") {
        Some(p) => (true, p),
        None => (false, pattern),
    };
    let mut matched = vec![dir.to_path_buf()];
    for element in pattern.split('/').filter(|e| !e.is_empty() && *e != ".") {
        let mut next = vec![];
        for m in &matched {
            if !element.contains(['*', '?', '[', '\\']) {
                let p = m.join(element);
                if p.symlink_metadata().is_ok() {
                    next.push(p);
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(m) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name();
                if crate::filepath::go_match(element, &name.to_string_lossy()) {
                    next.push(e.path());
                }
            }
        }
        matched = next;
    }
    let mut out = vec![];
    for m in matched {
        if m == dir {
            continue;
        }
        match std::fs::symlink_metadata(&m) {
            Ok(md) if md.is_file() => out.push(m),
            Ok(md) if md.is_dir() => walk_embedded(&m, all, &mut out),
            _ => {}
        }
    }
    out
}

fn walk_embedded(dir: &Path, all: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !all && (name.starts_with('.') || name.starts_with('_')) {
            continue;
        }
        let Ok(kind) = e.file_type() else { continue };
        let path = e.path();
        if kind.is_dir() {
            if !path.join("go.mod").exists() {
                walk_embedded(&path, all, out);
            }
        } else if kind.is_file() {
            out.push(path);
        }
    }
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
    fn embed_patterns_resolve_as_go_does() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "init/init.sh",
            "web/app.js",
            "web/_draft.md",
            "web/.hidden",
            "web/sub/x.css",
            "web/mod/go.mod",
            "web/mod/y.txt",
            "a.sql",
            "b.sql",
            "c.txt",
        ] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), "x").unwrap();
        }
        let rel = |pattern: &str| {
            let mut v: Vec<String> = resolve_embed(d, pattern)
                .iter()
                .map(|p| p.strip_prefix(d).unwrap().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(rel("init/init.sh"), ["init/init.sh"]);
        assert_eq!(rel("*.sql"), ["a.sql", "b.sql"]);
        assert_eq!(rel("web"), ["web/app.js", "web/sub/x.css"]);
        assert_eq!(
            rel("all:web"),
            [
                "web/.hidden",
                "web/_draft.md",
                "web/app.js",
                "web/sub/x.css"
            ]
        );
        assert_eq!(rel("web/_draft.md"), ["web/_draft.md"]);
        assert!(rel("agent/agent-bin").is_empty());
    }

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
