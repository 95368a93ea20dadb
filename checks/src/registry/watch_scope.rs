//! `watch-scope`: what the reloader will watch, and the heavy trees it should not.

use super::check::Check;
use crate::context::Context;
use crate::model::{Finding, Fix, Outcome};
use crate::reloaders::watch_tree::Problem;
use crate::text::{plural, thousands};
use serde_json::json;

pub static CHECK: Check = Check {
    id: "watch-scope",
    purpose: "directories and files the reloader watches, heavy subtrees, symlink loops",
    explain: "\
Looks at: the tree the reloader walks, with its own rules (air: tmp_dir, testdata_dir, hidden
directories and exclude_dir entries are skipped; exclude_dir entries are paths from root, so a
bare `node_modules` only excludes the top-level one). Counts directories and files, and names
the heaviest subtrees that are still watched: node_modules, vendor, build output (dist, build,
bin, target, coverage: not when .go files are below, a Go package of that name, nor under 10
directories and 100 files), and any subtree over 5,000 files. Reports symlink loops and unreadable
directories.

Why it breaks hot reload: every watched directory costs an inotify watch and every file event
wakes the reloader; a watched node_modules can use tens of thousands of watches, exhaust the
limit, and make `npm install` trigger endless rebuilds. A build output folder inside the watched
tree rebuilds forever. Unreadable directories and symlink loops make some reloaders stop
walking.

Fix by hand: add the folder, as a path from root, to build.exclude_dir in .air.toml, e.g.
  exclude_dir = [\"assets\", \"tmp\", \"vendor\", \"testdata\", \"web/node_modules\"]
(fresh: add a top-level folder's name to ignored in runner.conf).",
    problems: &[],
    run,
};

/// Folder names that are usually not source and are expensive to watch.
const HEAVY_NAMES: [&str; 7] = [
    "node_modules",
    "vendor",
    "dist",
    "build",
    "bin",
    "target",
    "coverage",
];
/// Of those, the names a Go package can have (`modules/build`, `pkg/service/coverage`): with
/// .go files below, excluding the folder would hide code.
const SOURCE_CAPABLE: [&str; 5] = ["dist", "build", "bin", "target", "coverage"];
/// A named folder smaller than this costs a handful of watches: not worth a warning (a build/
/// of Dockerfiles, an empty dist/ with .gitkeep).
const SMALL_DIRS: u64 = 10;
const SMALL_FILES: u64 = 100;
const BIG_SUBTREE_FILES: u64 = 5_000;

fn run(ctx: &Context) -> Outcome {
    let tree = ctx.watch_tree();
    let root = ctx.project.watch_root();
    if !root.is_dir() {
        return Outcome::ran(
            format!("root {} does not exist", ctx.project.air.root),
            vec![Finding::fail(format!(
                "the reloader's root {} is not a folder: nothing is watched; set root in {}",
                root.display(),
                config_name(ctx)
            ))],
        );
    }
    if tree.hidden_root {
        return Outcome::ran(
            "nothing is watched: the root is a hidden folder",
            vec![Finding::fail(format!(
                "{} starts with a dot and air skips hidden folders at any depth, the root too: move the project to a folder whose name does not start with '.'",
                root.display()
            ))],
        );
    }
    let totals = tree.subtree_totals();
    let mut findings = vec![];

    // Heavy subtrees: the outermost match only, biggest first.
    let mut heavy: Vec<usize> = (0..tree.dirs.len())
        .filter(|&i| {
            let d = &tree.dirs[i];
            let name = d.rel.rsplit('/').next().unwrap_or("");
            let (dirs, files) = totals[i];
            let named = HEAVY_NAMES.contains(&name)
                && (dirs >= SMALL_DIRS || files >= SMALL_FILES)
                && !(SOURCE_CAPABLE.contains(&name)
                    && crate::golang::source::holds_go_code(&root.join(&d.rel)));
            d.rel != "." && (named || files > BIG_SUBTREE_FILES)
        })
        .collect();
    heavy.sort_by_key(|&i| std::cmp::Reverse(totals[i].1));
    let mut reported: Vec<&str> = vec![];
    for i in heavy {
        let rel = tree.dirs[i].rel.as_str();
        if reported
            .iter()
            .any(|r| rel.starts_with(&format!("{r}/")) || r.starts_with(&format!("{rel}/")))
        {
            continue;
        }
        reported.push(rel);
        let (dirs, files) = totals[i];
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let bare_entry = ctx.project.air.build.exclude_dir.iter().any(|e| e == name) && rel != name;
        let why = if bare_entry {
            format!(
                " (exclude_dir has \"{name}\", but air matches it only at the root: add \"{rel}\")"
            )
        } else {
            String::new()
        };
        findings.push(
            Finding::warn(format!(
                "{rel} is watched: {}, {}{why}",
                plural(dirs, "directory", "directories"),
                plural(files, "file", "files")
            ))
            .with_evidence(json!({"path": rel, "dirs": dirs, "files": files, "bare_exclude_entry": bare_entry}))
            .with_fix(exclude_fix(ctx, rel)),
        );
    }

    for p in &tree.problems {
        findings.push(match p {
            Problem::SymlinkLoop { link, target } => Finding::warn(format!(
                "symlink loop at {link} -> {target}: not followed; remove it or add it to exclude_dir"
            ))
            .with_evidence(json!({"symlink": link, "target": target})),
            Problem::Unreadable { rel, error } => Finding::warn(format!(
                "cannot read {rel} ({error}): changes in it are not seen; fix its permissions or exclude it"
            ))
            .with_evidence(json!({"path": rel, "error": error})),
        });
    }
    for link in &tree.unfollowed_links {
        findings.push(
            Finding::info(format!(
                "{link} is a symlinked folder; air does not enter it (with build.follow_symlink = true and build.exclude_unchanged = true it watches that one folder, not the folders below it)"
            ))
            .with_evidence(json!({"symlink": link})),
        );
    }

    let summary = format!(
        "{} and {} watched ({} source)",
        plural(tree.watched_dirs() as u64, "directory", "directories"),
        plural(tree.files(), "file", "files"),
        thousands(tree.source_files())
    );
    let facts = json!({
        "watched_dirs": tree.watched_dirs(), "files": tree.files(), "source_files": tree.source_files(),
    });
    Outcome::ran(summary, findings).with_evidence(facts)
}

fn config_name(ctx: &Context) -> String {
    ctx.project
        .config_path
        .as_ref()
        .map_or_else(|| ".air.toml".into(), |p| ctx.project.display_path(p))
}

fn exclude_fix(ctx: &Context, rel: &str) -> Fix {
    let step = match ctx.project.reloader {
        // fresh's `ignored` matches top-level folder names only.
        crate::project::Reloader::Fresh if !rel.contains('/') => {
            format!("add {rel} to ignored in {}", config_name(ctx))
        }
        crate::project::Reloader::Fresh => format!(
            "fresh's ignored matches only top-level folders, so {rel} cannot be left out; move it out of the project or use air (exclude_dir = [\"{rel}\"])"
        ),
        _ => format!(
            "add \"{rel}\" to build.exclude_dir in {}",
            config_name(ctx)
        ),
    };
    Fix::manual(vec![step])
}
