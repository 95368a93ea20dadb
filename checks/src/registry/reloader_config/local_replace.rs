//! A go.mod `replace` of a module the code imports by a local folder that is not there
//! (`replace example.com/common => ../../../Common`, a sibling checkout no one cloned): go
//! stops every build that imports it ("replacement directory ../../../Common does not
//! exist", or "reading .../go.mod: no such file or directory" for a folder with no go.mod),
//! so air never starts the app. Checked with real go in tests/check_reloader_config.rs.

use super::config_file::AirFile;
use super::problems::Problem;
use crate::filepath::clean;
use crate::golang::build_plan::BuildPlan;
use crate::golang::modfile::{replacements, requirements};
use crate::model::Finding;
use crate::reloaders::air::keys as air_keys;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Go files read at most when looking for importers of a replaced module.
const MAX_FILES: usize = 4000;

pub(super) fn findings(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    if build.approximation.is_some() {
        return;
    }
    let root = &f.ctx.project.root;
    let main_dir = clean(&build.main_dir(root));
    // A go.work in use decides the modules itself (its own replaces win): not judged.
    if std::env::var("GOWORK").map_or(true, |w| w != "off")
        && main_dir.ancestors().any(|d| d.join("go.work").is_file())
    {
        return;
    }
    let Some(go_mod) = main_dir
        .ancestors()
        .map(|d| d.join("go.mod"))
        .find(|p| p.is_file())
    else {
        return;
    };
    let mod_dir = go_mod.parent().unwrap_or(Path::new("/")).to_path_buf();
    // Vendored: go builds from vendor/ (its default then) and never reads the folder.
    if mod_dir.join("vendor/modules.txt").is_file() {
        return;
    }
    let Ok(text) = crate::system::files::read_to_string(&go_mod) else {
        return;
    };
    let required = requirements(&text);
    let in_container = !f.launches.is_empty() && f.launches.iter().all(|l| l.container.is_some());
    let shown_mod = match f.ctx.project.display_path(&go_mod) {
        d if d.is_empty() => "go.mod".to_string(),
        d => d,
    };
    let mut sources: Option<Vec<(PathBuf, Vec<String>)>> = None;
    let mut missing: Vec<Missing> = vec![];
    for (from, to) in replacements(&text) {
        let local = ["./", "../", "/"].iter().any(|p| to.starts_with(p)) || to == "." || to == "..";
        if !local {
            continue;
        }
        // go uses a replacement only for a module the build requires (an unrequired path
        // below the main module's is the main module's own package).
        let Some(version) = required
            .iter()
            .find(|(m, _)| *m == from)
            .map(|(_, v)| v.clone())
        else {
            continue;
        };
        let target = clean(&mod_dir.join(&to));
        if target.join("go.mod").is_file() {
            continue;
        }
        // Read only once a replaced folder is missing (most projects never get here).
        let importers: Vec<&PathBuf> = sources
            .get_or_insert_with(|| module_imports(&mod_dir))
            .iter()
            .filter(|(_, imports)| {
                imports
                    .iter()
                    .any(|i| *i == from || i.starts_with(&format!("{from}/")))
            })
            .map(|(file, _)| file)
            .collect();
        if importers.is_empty() {
            continue; // nothing imports it: go build never reads the folder
        }
        let at = format!("{from}@{version}");
        let line = text
            .lines()
            .position(|l| replaces(l, &from, &to))
            .map(|i| i + 1);
        let go_error = if target.is_dir() {
            format!(
                "{at} (replaced by {to}): reading {to}/go.mod: open {}: no such file or directory",
                target.join("go.mod").display()
            )
        } else {
            format!("{at}: replacement directory {to} does not exist")
        };
        let direct = importers
            .iter()
            .find(|p| p.parent() == Some(main_dir.as_path()))
            .map(|p| (*p).clone());
        missing.push(Missing {
            from,
            to,
            line,
            go_error,
            importers: importers.into_iter().cloned().collect(),
            direct,
            target,
        });
    }
    // The one go stops at in the main package first, else the first written.
    let Some(head) = missing
        .iter()
        .find(|m| m.direct.is_some())
        .or(missing.first())
    else {
        return;
    };
    let Missing {
        from,
        to,
        line,
        go_error,
        importers,
        direct,
        target,
    } = head;
    let site = match line {
        Some(n) => format!("{shown_mod}:{n}"),
        None => shown_mod.clone(),
    };
    let outside = !target.starts_with(&f.repo);
    let where_ = if outside {
        format!("{}, outside this repository", target.display())
    } else {
        f.ctx.project.display_path(target)
    };
    let what = if target.is_dir() {
        "has no go.mod"
    } else {
        "does not exist"
    };
    let reach = match direct {
        Some(p) => format!(
            "the main package imports it ({})",
            f.ctx.project.display_path(p)
        ),
        None => format!("{} imports it", f.ctx.project.display_path(&importers[0])),
    };
    let others: Vec<String> = missing
        .iter()
        .filter(|m| m.from != *from)
        .map(|m| format!("`{}`", m.to))
        .collect();
    let more = match others.len() {
        0 => String::new(),
        _ => format!(
            " ({}, replacing other modules the code imports, are missing too)",
            others.join(", ")
        ),
    };
    let fix = "clone or create that module there (with its go.mod), or remove the replace and require a published version";
    let evidence = super::config_file::evidence(
        &shown_mod,
        *line,
        "replace",
        json!({"build_key": air_keys::BUILD_CMD.path, "problem": Problem::ReplaceMissing, "module": from, "replace": to,
               "outside_repository": outside, "importers": importers.iter().map(|p| f.ctx.project.display_path(p)).collect::<Vec<_>>(),
               "go_error": go_error, "in_container": in_container,
               "missing": missing.iter().map(|m| json!({"module": m.from, "replace": m.to, "line": m.line})).collect::<Vec<_>>()}),
    );
    let finding = if in_container {
        Finding::warn(format!(
            "{site}: `replace {from} => {to}` points at {where_}, which {what} on this machine{more}, and {reach}: unless the image gets that folder another way (it is not built here), go stops (\"{go_error}\") at `go mod download` and at every build air runs, and air never starts the app; {fix}"
        ))
    } else if direct.is_some() && outside {
        // A checkout this repository expects beside it: its developers have it, a fresh
        // clone does not; which one this machine is, is not known.
        Finding::warn(format!(
            "{site}: `replace {from} => {to}` points at {where_}, which {what} on this machine{more}, and {reach}: until that checkout is there, every build air runs stops (\"{go_error}\") and air never starts the app; {fix}"
        ))
    } else if direct.is_some() {
        Finding::fail(format!(
            "{site}: `replace {from} => {to}` points at {where_}, which {what}{more}, and {reach}: every build air runs stops (\"{go_error}\") and air never starts the app; {fix}"
        ))
    } else {
        Finding::warn(format!(
            "{site}: `replace {from} => {to}` points at {where_}, which {what}{more}, and {reach}: a build that reaches that package stops (\"{go_error}\"); {fix}"
        ))
    };
    out.push(finding.with_evidence(evidence));
}

/// A replaced module go would need and cannot read.
struct Missing {
    from: String,
    to: String,
    line: Option<usize>,
    go_error: String,
    importers: Vec<PathBuf>,
    /// A file of the main package that imports it.
    direct: Option<PathBuf>,
    target: PathBuf,
}

/// Whether a go.mod line (`replace X => Y`, or `X => Y` in a block) replaces `from` by `to`.
fn replaces(line: &str, from: &str, to: &str) -> bool {
    let line = line.split("//").next().unwrap_or("").trim();
    let line = line.strip_prefix("replace").map_or(line, str::trim);
    let Some((left, right)) = line.split_once("=>") else {
        return false;
    };
    left.split_whitespace().next().map(|w| w.trim_matches('"')) == Some(from)
        && right.split_whitespace().next().map(|w| w.trim_matches('"')) == Some(to)
}

/// The non-test Go files of the module in `mod_dir` (not nested modules, vendor, testdata,
/// or folders go ignores) with the import paths of each.
fn module_imports(mod_dir: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut found = vec![];
    let mut read = 0;
    let mut stack = vec![mod_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let entries: Vec<_> = entries.flatten().collect();
        for e in &entries {
            let name = e.file_name().to_string_lossy().to_string();
            if e.file_type().is_ok_and(|t| t.is_dir())
                && !name.starts_with(['.', '_'])
                && name != "vendor"
                && name != "testdata"
                && !e.path().join("go.mod").exists()
            {
                stack.push(e.path());
            }
        }
        for file in crate::golang::source::go_sources(entries.into_iter().map(Ok)) {
            if read >= MAX_FILES {
                break;
            }
            read += 1;
            let Ok(src) = crate::system::files::read_to_string(&file) else {
                continue;
            };
            let Ok(tokens) = crate::golang::lexer::tokenize(&src) else {
                continue;
            };
            let imports = crate::golang::go_file::imports(&tokens)
                .into_iter()
                .map(|i| i.path)
                .collect();
            found.push((file, imports));
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::replaces;

    #[test]
    fn a_replace_line_matches_its_own_module_and_folder_only() {
        let line = "replace github.com/x/tndr0cean => ../tndr0cean";
        assert!(replaces(line, "github.com/x/tndr0cean", "../tndr0cean"));
        assert!(!replaces(line, "github.com/x/tndr", "../tndr"));
        assert!(replaces(
            "\tgithub.com/x/a v1.0.0 => ./a // local",
            "github.com/x/a",
            "./a"
        ));
    }
}
