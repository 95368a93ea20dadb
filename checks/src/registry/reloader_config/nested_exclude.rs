//! An exclude_dir entry that names a bare folder (`"node_modules"`) keeps out only the folder
//! of that path relative to root: air v1.67.4 (`runner/util.go` `isExcludeDir`) compares each
//! folder's root-relative path with each entry for equality, so `clients/web/node_modules`
//! under a watched `clients/web` is walked and watched, every folder of it, and its files
//! with a watched extension rebuild. Said when such a deeper folder is a package manager's
//! tree (node_modules) with files air reacts to, or has many folders (watches), or when a watched folder's package.json will have one: a
//! README, Makefile or script installs it there (`npm --prefix clients/web install`,
//! `cd clients/web && npm ci`).

use super::air_view::{air_watches, watch_root};
use super::config_file::{manual, AirFile};
use super::problems::Problem;
use crate::model::Finding;
use crate::reloaders::watch_tree::{walk, Rules};
use serde_json::json;
use std::path::Path;

/// Folders below a same-named deeper folder that make its watches worth a warning alone.
const MANY_FOLDERS: usize = 50;

/// Folders package managers fill: nobody edits them, an install rewrites them whole.
const DEPENDENCY_TREES: &[&str] = &["node_modules", "bower_components", "jspm_packages"];

/// Extensions of the files an npm tree is made of.
const NPM_EXTS: &[&str] = &[
    "js", "mjs", "cjs", "ts", "tsx", "jsx", "json", "css", "scss", "md", "html", "map",
];

/// Root files read for install commands, at most this many bytes each.
const MAX_READ: u64 = 256 * 1024;

pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    let c = &f.ctx.project.air;
    let bare: Vec<&str> = c
        .build
        .exclude_dir
        .iter()
        .map(|e| e.trim().trim_end_matches('/'))
        .filter(|e| !e.is_empty() && !e.contains(['/', '*', '?', '[']) && *e != "." && *e != "..")
        .collect();
    if bare.is_empty() {
        return;
    }
    let root = watch_root(f);
    let rules = Rules::air_in(c, &root);
    let tree = walk(&root, &rules);
    let installs = install_commands(&f.ctx.project.root);
    for entry in bare {
        // (deeper folder, why it matters)
        let mut hits: Vec<(String, String)> = vec![];
        for d in &tree.dirs {
            let Some((_, name)) = d.rel.rsplit_once('/') else {
                continue;
            };
            if name != entry
                || !air_watches(&rules, &d.rel)
                || hits
                    .iter()
                    .any(|(h, _)| d.rel.starts_with(&format!("{h}/")))
            {
                continue;
            }
            let below: Vec<_> = tree
                .dirs
                .iter()
                .filter(|x| x.rel == d.rel || x.rel.starts_with(&format!("{}/", d.rel)))
                .collect();
            let sources: u64 = below.iter().map(|x| x.source_files).sum();
            // A package manager's tree is nobody's edits and installs write it in bulk; any
            // other folder (internal/test, cmd/desktop/frontend) is code someone edits, whose
            // watch only matters when it is big.
            let tree_of_packages = DEPENDENCY_TREES.contains(&entry);
            if below.len() < MANY_FOLDERS && !(tree_of_packages && sources > 0) {
                continue;
            }
            hits.push((
                d.rel.clone(),
                format!(
                    "{}/ is watched: {} folder{}, {sources} file{} whose extension is in include_ext, each a rebuild when written",
                    d.rel,
                    below.len(),
                    if below.len() == 1 { "" } else { "s" },
                    if sources == 1 { "" } else { "s" }
                ),
            ));
        }
        // node_modules that an install the repository documents will create beside a
        // watched package.json with dependencies.
        if entry == "node_modules" {
            for d in &tree.dirs {
                let folder = root.join(&d.rel);
                let target = if d.rel == "." {
                    continue;
                } else {
                    format!("{}/node_modules", d.rel)
                };
                if hits.iter().any(|(h, _)| *h == target)
                    || folder.join("node_modules").exists()
                    || !has_dependencies(&folder.join("package.json"))
                    || !air_watches(&rules, &d.rel)
                {
                    continue;
                }
                if let Some((file, command, _)) = installs
                    .iter()
                    .find(|(_, cmd, dir)| *dir == d.rel && !cmd.is_empty())
                {
                    let exts: Vec<String> = NPM_EXTS
                        .iter()
                        .filter(|e| c.build.include_ext.iter().any(|i| i == *e))
                        .map(|e| format!(".{e}"))
                        .collect();
                    let files = match exts.is_empty() {
                        true => String::new(),
                        false => format!(
                            ", and its {} files rebuild when written (an npm install while air runs)",
                            exts.join(", ")
                        ),
                    };
                    hits.push((
                        target.clone(),
                        format!(
                            "{target}/, which `{command}` ({file}) creates, will be watched: every folder of the npm tree gets a watch{files}"
                        ),
                    ));
                }
            }
        }
        if hits.is_empty() {
            continue;
        }
        let shown: Vec<String> = hits
            .iter()
            .take(3)
            .map(|(_, why)| why.clone())
            .collect::<Vec<_>>();
        let more = match hits.len() {
            n if n > 3 => format!(" and {} more", n - 3),
            _ => String::new(),
        };
        let add: Vec<String> = hits.iter().map(|(h, _)| format!("\"{h}\"")).collect();
        let todo = format!("add {} to exclude_dir", add.join(", "));
        out.push(
            Finding::warn(format!(
                "{}: exclude_dir entry \"{entry}\" keeps out only ./{entry}: air compares each folder's path relative to root with the entry as written, so {}{more}; {todo}",
                f.at("build.exclude_dir"),
                shown.join("; ")
            ))
            .with_evidence(f.evidence(
                "build.exclude_dir",
                json!({
                    "problem": Problem::NestedExcludeDir,
                    "entry": entry,
                    "dirs": hits.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>(),
                }),
            ))
            .with_fix(manual(todo)),
        );
    }
}

/// Whether the package.json at `path` lists dependencies an install would fetch.
fn has_dependencies(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    ["dependencies", "devDependencies"]
        .iter()
        .any(|k| v[k].as_object().is_some_and(|o| !o.is_empty()))
}

/// Install commands in the project's top-level README, Makefile, justfile and shell scripts,
/// as (file, command, folder the install fills, root-relative and clean): `npm --prefix X
/// install`, `pnpm --dir X install`, `pnpm -C X i`, `yarn --cwd X`, `npm install --prefix
/// X`, or `cd X && npm ci`.
fn install_commands(project: &Path) -> Vec<(String, String, String)> {
    let mut found = vec![];
    let Ok(entries) = std::fs::read_dir(project) else {
        return found;
    };
    let mut files: Vec<_> = entries.flatten().collect();
    files.sort_by_key(|e| e.file_name());
    for e in files {
        let name = e.file_name().to_string_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        let wanted = lower.starts_with("readme")
            || matches!(
                lower.as_str(),
                "makefile"
                    | "gnumakefile"
                    | "justfile"
                    | "taskfile.yml"
                    | "taskfile.yaml"
                    | "package.json"
            )
            || lower.ends_with(".sh")
            || lower.starts_with("dev");
        if !wanted || !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if e.metadata().map_or(true, |m| m.len() > MAX_READ) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        for line in text.lines() {
            for (command, dir) in installs_in(line) {
                found.push((name.clone(), command, dir));
            }
        }
    }
    found
}

/// The installs of one line, with the folder each fills (see [`install_commands`]).
fn installs_in(line: &str) -> Vec<(String, String)> {
    let mut found = vec![];
    let mut cd: Option<String> = None;
    for segment in line.split(['&', ';', '|', '`', '(', ')']) {
        let words: Vec<&str> = segment
            .split_whitespace()
            .map(|w| w.trim_matches(['"', '\'']))
            .collect();
        let Some(at) = words
            .iter()
            .position(|w| matches!(*w, "npm" | "pnpm" | "yarn" | "cd"))
        else {
            continue;
        };
        let words = &words[at..];
        if words[0] == "cd" {
            cd = words.get(1).map(|d| clean(d));
            continue;
        }
        let mut dir: Option<String> = None;
        let mut verb: Option<&str> = None;
        let mut i = 1;
        while i < words.len() {
            let w = words[i];
            let (flag, inline) = match w.split_once('=') {
                Some((a, b)) => (a, Some(b)),
                None => (w, None),
            };
            if matches!(flag, "--prefix" | "--dir" | "-C" | "--cwd") {
                let value = inline.or_else(|| {
                    i += 1;
                    words.get(i).copied()
                });
                dir = value.map(clean);
            } else if !w.starts_with('-') && verb.is_none() {
                verb = Some(w);
            }
            i += 1;
        }
        let installs = match (words[0], verb) {
            ("yarn", None) => true,
            (_, Some(v)) => matches!(v, "install" | "i" | "ci" | "add"),
            _ => false,
        };
        if !installs {
            continue;
        }
        if let Some(d) = dir.or_else(|| cd.clone()) {
            if !d.is_empty() && d != "." && !d.starts_with("..") && !d.starts_with('/') {
                found.push((words.join(" "), d));
            }
        }
    }
    found
}

/// `./clients/web/` -> `clients/web`.
fn clean(d: &str) -> String {
    crate::reloaders::air::config::clean_rel(d)
}

#[cfg(test)]
mod tests {
    use super::installs_in;

    #[test]
    fn installs_name_the_folder_they_fill() {
        let got = |l: &str| {
            installs_in(l)
                .into_iter()
                .map(|(_, d)| d)
                .collect::<Vec<_>>()
        };
        assert_eq!(got("npm --prefix clients/web install"), ["clients/web"]);
        assert_eq!(got("    npm install --prefix ./web/"), ["web"]);
        assert_eq!(got("pnpm -C ui i"), ["ui"]);
        assert_eq!(got("pnpm --dir=ui install"), ["ui"]);
        assert_eq!(got("yarn --cwd front"), ["front"]);
        assert_eq!(got("cd web && npm ci && cd .."), ["web"]);
        assert!(got("npm --prefix clients/web run build").is_empty());
        assert!(got("npm install").is_empty());
        assert!(got("npm --prefix ../other install").is_empty());
    }
}
