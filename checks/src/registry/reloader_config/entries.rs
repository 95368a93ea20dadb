//! List entries air compares literally, so a familiar spelling never matches (air v1.67.4
//! `runner/util.go`): `include_ext` gets a dot of air's own (`".go"` becomes `"..go"`),
//! `include_file`, `exclude_file` and `exclude_dir` are compared with the clean
//! root-relative path (no `./`). Each finding's fix rewrites the list with the entries air
//! can match.

use super::config_file::AirFile;
use super::problems::Problem;
use crate::filepath::{clean, go_match};
use crate::model::Finding;
use crate::reloaders::air::config::clean_rel;
use crate::reloaders::air::config::AirConfig;
use crate::reloaders::air::edit::Edit;
use crate::reloaders::event_rules::EventRules;
use crate::reloaders::watch_tree::{walk, Rules};
use serde_json::json;
use std::path::Path;

pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    include_ext(f, out);
    for key in ["include_file", "exclude_file", "exclude_dir"] {
        relative_paths(f, key, out);
    }
    include_file_unwatched(f, out);
}

/// `include_file` entries for files in a folder air never walks (txn2/mcp-data-platform:
/// exclude_dir "dev" beside include_file "dev/platform.yaml"). air looks at a file only while
/// its walk passes through the file's folder (v1.67.4 engine.go `watching`): an exclude_dir
/// entry, tmp_dir, testdata_dir, a hidden folder, or an include_dir that does not reach the
/// folder makes the walk skip it before any file in it is looked at, so the file gets no
/// watch and saving it never rebuilds.
fn include_file_unwatched(f: &AirFile, out: &mut Vec<Finding>) {
    let air = &f.ctx.project.air;
    let root = super::air_view::watch_root(f);
    let rules = Rules::air_in(air, &root);
    let mut hidden: Vec<(String, String, String)> = vec![];
    for entry in &air.build.include_file {
        let e = entry.trim();
        if e.is_empty() || e.contains(['*', '?', '[']) || e.split('/').any(|p| p == "..") {
            continue;
        }
        let rel = match e.starts_with('/') {
            true => match super::air_view::rel_to_root(f, Path::new(e)) {
                Some(rel) => rel,
                None => continue,
            },
            false => clean_rel(e),
        };
        let Some((dir, _)) = rel.rsplit_once('/') else {
            continue;
        };
        if let Some((folder, why)) = super::air_view::skipped_folder(air, &rules, dir) {
            hidden.push((entry.clone(), folder, why));
        }
    }
    if hidden.is_empty() {
        return;
    }
    let details: Vec<String> = hidden
        .iter()
        .map(|(e, folder, why)| format!("\"{e}\" is in {folder}/, which {why}"))
        .collect();
    let message = format!(
        "{}: include_file entry {}: air skips a folder it does not watch before it looks at any file in it, so it never watches the file and saving it never rebuilds; move the file to a watched folder, or stop excluding its folder (keep the rest of it out with exclude_regex)",
        f.at("build.include_file"),
        details.join("; ")
    );
    let entries: Vec<&String> = hidden.iter().map(|(e, _, _)| e).collect();
    let folders: Vec<&String> = hidden.iter().map(|(_, d, _)| d).collect();
    out.push(Finding::warn(message).with_evidence(f.evidence(
        "build.include_file",
        json!({"problem": Problem::IncludeFileUnwatched, "entries": entries, "folders": folders}),
    )));
}

/// Whether air starts no program after a build: `full_bin = " "` (or a blank `bin` with no
/// `full_bin`), which air runs as `sh -c " "`, exiting at once (userstyles-world's
/// `tools/air_ts.toml`, a watcher that only runs its build step). A blank value is not
/// empty, so air's defaults do not replace it.
fn runs_nothing(f: &AirFile) -> bool {
    let b = &f.ctx.project.air.build;
    let blank = |s: &str| !s.is_empty() && s.trim().is_empty();
    b.entrypoint.is_none() && (blank(&b.full_bin) || (b.full_bin.is_empty() && blank(&b.bin)))
}

/// `include_ext`: air compares `"." + entry` with a file's last extension
/// (`filepath.Ext`, v1.67.4 `isIncludeExt`), so an entry with a dot in it never matches:
/// `".go"` is compared as `"..go"`, `"air.toml"` as `".air.toml"` while `scripts/.air.toml`'s
/// extension is `".toml"`. The fix writes the last extension. An entry naming air's own
/// config (`".air.toml"`) is a note whose fix removes it: air reads its config once, at start,
/// so a rebuild for it would change nothing. Without `go` (or `*`) saving a .go file never
/// rebuilds.
fn include_ext(f: &AirFile, out: &mut Vec<Finding>) {
    let exts = &f.ctx.project.air.build.include_ext;
    let has_go = |list: &[String]| list.iter().any(|e| matches!(e.trim(), "go" | "*"));
    let dotted: Vec<&String> = exts.iter().filter(|e| e.trim().contains('.')).collect();
    // The config's own name, and the names air reads by itself.
    let own_name = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().trim_start_matches('.').to_string())
        .unwrap_or_default();
    let own_config = |e: &str| {
        let e = e
            .trim()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_start_matches('.');
        matches!(e, "air.toml" | "air.conf") || (!own_name.is_empty() && e == own_name)
    };
    let at = f.at("build.include_ext");
    if !dotted.is_empty() {
        let mut fixed: Vec<String> = vec![];
        for e in exts {
            if own_config(e) {
                continue;
            }
            let e = e.trim().rsplit('.').next().unwrap_or("").to_string();
            if !e.is_empty() && !fixed.contains(&e) {
                fixed.push(e);
            }
        }
        let (own, others): (Vec<&String>, Vec<&String>) =
            dotted.iter().partition(|e| own_config(e));
        let shown = |list: &[&String]| {
            list.iter()
                .map(|e| format!("\"{e}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let compared = |e: &str| {
            let e = e.trim();
            let last = e.rsplit('.').next().unwrap_or("");
            match e.starts_with('.') && e.matches('.').count() == 1 {
                true => format!("air adds the dot itself (\"{e}\" is compared as \".{e}\")"),
                false => format!("air compares a file's last extension only, with a dot it adds itself (\"{e}\" is compared as \".{e}\", a file's extension is \".{last}\")"),
            }
        };
        let own_note = match own.is_empty() {
            true => String::new(),
            false => format!(
                "; {} would watch air's own config, which air reads once, at start (a rebuild never re-reads it): drop {}",
                shown(&own),
                if own.len() == 1 { "it" } else { "them" }
            ),
        };
        let fixed_shown = fixed
            .iter()
            .map(|e| format!("\"{e}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let finding = if others.is_empty() {
            // `".air.toml"` alone: a rebuild for the config would change nothing.
            Finding::info(format!(
                "{at}: include_ext {} never match{}: {}; but a rebuild for it would change nothing either: air reads its config once, at start (restart air after editing it); remove {}",
                shown(&own),
                if own.len() == 1 { "es" } else { "" },
                compared(own[0]),
                if own.len() == 1 { "it" } else { "them" },
            ))
        } else {
            let consequence = if has_go(exts) {
                "files with those extensions never rebuild"
            } else {
                "saving a .go file never rebuilds"
            };
            let message = format!(
                "{at}: include_ext {} never match{}: {}, so {consequence}{own_note}; write {fixed_shown}",
                shown(&others),
                if others.len() == 1 { "es" } else { "" },
                compared(others[0]),
            );
            if has_go(exts) || !has_go(&fixed) {
                Finding::warn(message)
            } else {
                Finding::fail(message)
            }
        };
        let finding = finding.with_evidence(f.evidence(
            "build.include_ext",
            json!({"problem": Problem::DottedExtension, "entries": dotted, "include_ext": exts, "own_config": own}),
        ));
        out.push(with_list_fix(f, finding, "include_ext", &fixed));
        if has_go(&fixed) {
            return;
        }
    }
    if has_go(exts) {
        return;
    }
    // Whether air would watch any .go file if "go" were in the list: a config that watches
    // templates only (include_dir of views) or a project with no Go there (air as a watcher
    // for another language) is a choice, not a lost rebuild.
    let mut with_go = f.ctx.project.air.clone();
    with_go.build.include_ext = vec!["go".into()];
    let root = super::air_view::watch_root(f);
    let go_watched = watches_a_go_file(&with_go, &root);
    if !go_watched && (f.ctx.project.air.build.include_dir.is_empty() || runs_nothing(f)) {
        return;
    }
    // A build that compiles no Go (`templ generate` with bin = /usr/bin/true, a generator
    // run beside the app's own config, CharaXiv/charaxiv.app, hold-out 15; or
    // `--build.include_dir static --build.include_ext js,css` beside it, LocalHorst hold-out
    // 17): a saved .go file has nothing for it to rebuild; "go" would only rerun the generator.
    {
        if let Some(runs) = compiles_no_go(f) {
            out.push(
                Finding::info(format!(
                    "{at}: include_ext = {exts:?} has no \"go\", so saving a .go file does not rerun this config's build; but that build compiles no Go (it runs {runs}): a generator's watcher, which \"go\" would only rerun; nothing to add"
                ))
                .with_evidence(f.evidence(
                    "build.include_ext",
                    json!({"problem": Problem::NoGoExt, "include_ext": exts, "compiles_no_go": true}),
                )),
            );
            return;
        }
    }
    let mut finding = if go_watched {
        Finding::fail(format!(
            "{at}: include_ext = {exts:?} has no \"go\": saving a .go file never rebuilds; add \"go\""
        ))
    } else {
        Finding::warn(format!(
            "{at}: include_ext = {exts:?} has no \"go\" and include_dir holds no .go file: air rebuilds for these files only, never for a saved .go file; if you want that, add \"go\" and the Go folders to include_dir"
        ))
    }
    .with_evidence(f.evidence(
        "build.include_ext",
        json!({"problem": Problem::NoGoExt, "include_ext": exts}),
    ));
    let edit = Edit::AddToList {
        table: "build",
        key: "include_ext",
        entry: "go".into(),
        defaults: exts.clone(),
    };
    // Adding "go" alone helps only where air watches Go files.
    if let Some(fix) = go_watched
        .then(|| {
            f.write_fix(
                format!("add \"go\" to build.include_ext in {}", f.name),
                vec![edit],
            )
        })
        .flatten()
    {
        finding = finding.with_fix(fix);
    }
    out.push(finding);
}

/// The build's commands, shown (`templ generate`), when none of what air runs compiles Go:
/// no `go build`, `go run`, `go install` or `go test` in pre_cmd, cmd or the run command
/// (bin, full_bin, entrypoint), and every make target or package.json script they hand to
/// reads as commands that compile none either. A script or runner not read here may build
/// Go: None.
pub(super) fn compiles_no_go(f: &AirFile) -> Option<String> {
    let b = &f.ctx.project.air.build;
    let steps = super::commands::build_steps(f);
    if steps.is_empty() {
        return None;
    }
    let compiles = |words: &[String]| {
        let w = crate::shell::program_words(words);
        crate::shell::program(w) == "go"
            && w.get(1)
                .is_some_and(|s| matches!(s.as_str(), "build" | "run" | "install" | "test"))
    };
    let root = &f.ctx.project.root;
    for step in &steps {
        if compiles(&step.words) {
            return None;
        }
        if super::commands::is_task_runner(step) {
            let recipes = super::task_runners::expand(&step.words, &root.join(&step.dir));
            if recipes.is_empty() {
                return None;
            }
            let mut go = false;
            for r in &recipes {
                crate::shell::parse(&r.line).walk(true, &mut |s, _| {
                    let program = crate::shell::program(&s.words);
                    go |= compiles(&s.words)
                        || program.starts_with("$(")
                        || program.starts_with("${")
                        || program.ends_with(".sh");
                });
            }
            if go {
                return None;
            }
        }
    }
    let run = match (b.full_bin.trim(), b.entrypoint.as_deref()) {
        (full, _) if !full.is_empty() => full.to_string(),
        (_, Some(e)) => e.to_string(),
        _ => b.bin.clone(),
    };
    let mut runs_go = false;
    crate::shell::parse(&run).walk(true, &mut |s, _| {
        let program = crate::shell::program(&s.words);
        runs_go |= compiles(&s.words)
            || matches!(program, "make" | "task" | "just" | "sh" | "bash")
            || program.ends_with(".sh");
    });
    if runs_go {
        return None;
    }
    let shown: Vec<String> = steps
        .iter()
        .map(|s| format!("`{}`", s.words.join(" ")))
        .collect();
    Some(shown.join(", "))
}

/// Whether air with `c` would rebuild for some .go file now under `root`: in a folder it
/// watches, and not left out by exclude_regex or exclude_file (templ's `_templ.go`).
fn watches_a_go_file(c: &AirConfig, root: &Path) -> bool {
    let tree = walk(root, &Rules::air_in(c, root));
    let events = EventRules::air(c, root);
    tree.dirs.iter().filter(|d| d.source_files > 0).any(|d| {
        let dir = root.join(&d.rel);
        std::fs::read_dir(&dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".go") && events.wants(&dir.join(&name))
            })
        })
    })
}

/// Path lists compared with clean root-relative paths: `./x`, `/abs`, and (exclude_dir)
/// globs never match.
fn relative_paths(f: &AirFile, key: &'static str, out: &mut Vec<Finding>) {
    let b = &f.ctx.project.air.build;
    let list = match key {
        "include_file" => &b.include_file,
        "exclude_file" => &b.exclude_file,
        _ => &b.exclude_dir,
    };
    let path = format!("build.{key}");
    let mut fixable = false;
    let mut bad = vec![];
    // An exclude_dir entry that never matches costs something only when it names a folder
    // air would watch: not its tmp or testdata folder (air skips those by its own tests; it
    // writes an absolute tmp_dir into the default exclude_dir itself), not a folder outside
    // root or one that does not exist (`"/tmp"`), not a hidden one.
    let root = super::air_view::watch_root(f);
    let skipped_anyway = |e: &str| {
        let air = &f.ctx.project.air;
        let named = clean(&root.join(e));
        let own = |d: &str| clean(&root.join(d));
        named == own(&air.tmp_dir)
            || named == own(&air.testdata_dir)
            || !named.starts_with(&root)
            || !named.is_dir()
            || named
                .strip_prefix(&root)
                .is_ok_and(|r| r.iter().any(|p| p.to_string_lossy().starts_with('.')))
    };
    // What a `..` entry meant: the folder it names from where air runs (`"../frontend"` in
    // dev/.air.toml with root = "../": frontend/), else from root, when that is inside root.
    let cwd = clean(&f.ctx.project.root);
    let from_inside = |e: &str| -> Option<String> {
        [&cwd, &root]
            .iter()
            .map(|base| clean(&base.join(e)))
            .find_map(|p| super::air_view::rel_to_root(f, &p))
    };
    // Entries a fix rewrites, with what it writes.
    let mut corrected: Vec<(String, String)> = vec![];
    for entry in list {
        let e = entry.trim();
        let dotdot = !e.starts_with('/') && e.split('/').any(|p| p == "..");
        if key == "exclude_dir" && (e.starts_with("./") || e.starts_with('/')) && skipped_anyway(e)
        {
            continue;
        }
        let why = if dotdot {
            // A folder outside root air never walks: harmless for the exclusions.
            let Some(rel) = from_inside(e).filter(|r| r != ".") else {
                if key == "include_file" {
                    bad.push((entry.clone(), "air compares paths relative to root, and a path leaving root never matches one".into()));
                }
                continue;
            };
            if key == "exclude_dir" && skipped_anyway(&rel) {
                continue;
            }
            fixable = true;
            corrected.push((entry.clone(), rel.clone()));
            format!(
                "air compares each path from root, cleaned, which never holds \"..\"; from where air runs it names {rel}/, inside root: write \"{rel}\""
            )
        } else if e.starts_with("./") {
            fixable = true;
            corrected.push((entry.clone(), clean_rel(e)));
            format!(
                "air compares paths from root without \"./\"; write \"{}\"",
                clean_rel(e)
            )
        } else if e.starts_with('/') {
            match super::air_view::rel_to_root(f, Path::new(e)).filter(|r| r != ".") {
                Some(rel) => {
                    fixable = true;
                    corrected.push((entry.clone(), rel.clone()));
                    format!("air compares paths relative to root; write \"{rel}\"")
                }
                None => "air compares paths relative to root; write the path from root".into(),
            }
        } else if key == "exclude_dir" && e.contains(['*', '?', '[']) {
            "exclude_dir takes folder paths, not globs; list each folder or use exclude_regex"
                .into()
        } else {
            continue;
        };
        bad.push((entry.clone(), why));
    }
    let never_matches = match key {
        "include_file" => Problem::IncludeFileNeverMatches,
        "exclude_file" => Problem::ExcludeFileNeverMatches,
        _ => Problem::ExcludeDirNeverMatches,
    };
    // An exclude_dir entry naming only folders include_dir already keeps air out of
    // (`"bazel-*"` beside include_dir = ["cmd", "internal"]) is dead, not a folder air watches.
    let include = &b.include_dir;
    // An exclude_file entry for a file in a folder air never enters (tama-jp/rss:
    // exclude_dir "pkg" beside exclude_file "./pkg/wire/wire_gen.go") is dead too: air never
    // watches the file, so nothing reacts to it either way.
    let folders = Rules::air_in(&f.ctx.project.air, &root);
    let unwatched_folder = |e: &str| -> Option<String> {
        let e = e.trim();
        let rel = match e.strip_prefix('/') {
            Some(_) => super::air_view::rel_to_root(f, Path::new(e))?,
            None => clean_rel(e),
        };
        let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
        (!dir.contains(['*', '?', '[', '\\']) && !super::air_view::air_watches(&folders, &dir))
            .then_some(dir)
    };
    // An include_file entry that never matches is redundant when air reacts to the file it
    // meant anyway: air takes a path whose extension is in include_ext OR that is an
    // include_file (v1.67.4 engine.go watching and the event loop), so `"./cmd/main.go"`
    // beside include_ext = ["go"] costs nothing while cmd/ is watched and not excluded.
    let meant = |e: &str| {
        corrected
            .iter()
            .find(|(c, _)| c == e)
            .map(|(_, to)| to.clone())
    };
    let reacted: Vec<String> = match key {
        "include_file" => bad
            .iter()
            .filter_map(|(e, _)| meant(e))
            .filter(|rel| super::air_view::air_reacts(f, &root.join(rel)))
            .collect(),
        _ => vec![],
    };
    // A glob exclude_dir entry no folder here matches (`"enron_mail20150507/*"`, a dataset
    // unpacked elsewhere) would exclude nothing even if air read globs: nothing is lost.
    let globbed_nothing = |e: &str| {
        let e = e.trim();
        key == "exclude_dir" && e.contains(['*', '?', '[']) && !glob_names_a_folder(&root, e)
    };
    let (live, dead): (Vec<_>, Vec<_>) = bad.into_iter().partition(|(e, _)| match key {
        "exclude_dir" => may_watch(include, &root, &root.join(e.trim())) && !globbed_nothing(e),
        "exclude_file" => unwatched_folder(e).is_none(),
        _ => meant(e).is_none_or(|rel| !reacted.contains(&rel)),
    });
    let dead_folders: Vec<String> =
        dead.iter()
            .filter_map(|(e, _)| unwatched_folder(e))
            .fold(vec![], |mut all, d| {
                if !all.contains(&d) {
                    all.push(d);
                }
                all
            });
    // exclude_file entries air never sees a file for: the fix drops them.
    let dropped: Vec<String> = match key {
        "exclude_file" => dead.iter().map(|(e, _)| e.clone()).collect(),
        _ => vec![],
    };
    for (bad, dead) in [(live, false), (dead, true)] {
        if bad.is_empty() {
            continue;
        }
        let unwatched = format!(
            "air never watches {} (an exclude_dir or include_dir keeps it out), so air does not react to the file either way: a dead entry; remove it",
            dead_folders
                .iter()
                .map(|d| match d.as_str() {
                    "." => "the root folder".to_string(),
                    d => format!("{d}/"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        let redundant = format!(
            "air rebuilds on {} anyway, through include_ext (air takes a file whose extension is in include_ext or that include_file names, and its folder is watched): the entry is redundant; remove it, or respell it as shown to keep it",
            reacted.join(", ")
        );
        let what = match key {
            "include_file" if dead => redundant.as_str(),
            "include_file" => "edits to it never rebuild",
            "exclude_file" if dead => unwatched.as_str(),
            "exclude_file" => "air still reacts to it",
            _ if dead && bad.iter().all(|(e, _)| globbed_nothing(e)) => {
                "no folder here matches it, so air watches nothing it meant to keep out: a dead entry; remove it"
            }
            _ if dead => "include_dir already keeps air out of what it names, so it is a dead entry; remove it",
            _ => "air still watches it",
        };
        let details: Vec<String> = bad
            .iter()
            .map(|(e, why)| {
                // A dead entry is to remove, not to respell.
                let why = match dropped.contains(e) {
                    true => why.split("; write").next().unwrap_or(why),
                    false => why,
                };
                format!("\"{e}\" never matches ({why})")
            })
            .collect();
        let message = format!(
            "{}: {key} entry {}: {what}",
            f.at(&path),
            details.join("; ")
        );
        let finding = match dead {
            true => Finding::info(message),
            false => Finding::warn(message),
        }
        .with_evidence(f.evidence(
            &path,
            json!({"problem": never_matches, "entries": bad.iter().map(|(e, _)| e).collect::<Vec<_>>()}),
        ));
        // The fix rewrites the whole list: on the first finding only.
        let finding = if std::mem::take(&mut fixable) || (dead && !dropped.is_empty()) {
            let fixed: Vec<String> = list
                .iter()
                .filter(|e| !dropped.contains(e))
                .map(|e| match corrected.iter().find(|(c, _)| c == e) {
                    Some((_, to)) => to.clone(),
                    None => match e.trim().strip_prefix("./") {
                        Some(_) => clean_rel(e.trim()),
                        None => e.clone(),
                    },
                })
                .collect();
            with_list_fix(f, finding, key, &fixed)
        } else {
            finding
        };
        out.push(finding);
    }
}

/// Whether air, with `include` as include_dir, watches a folder `named` (a glob: any folder it
/// matches) names: every folder without include_dir; else one in an include_dir folder, or a
/// parent of one (excluding it would take the included folder out too). air compares its
/// root-relative path with each include_dir entry as written (v1.67.4 `checkIncludeDir`).
/// Whether something below `root` matches the slash-separated glob `pattern` (go's
/// filepath.Match per segment; folders on the way, a file or folder at the end: `"data/*"`
/// over data/x.json means to keep data's files out), looked for in at most a few thousand
/// folders: a tree too big to read counts as matching.
fn glob_names_a_folder(root: &Path, pattern: &str) -> bool {
    const MAX_DIRS: usize = 5000;
    let segments: Vec<&str> = pattern
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut level = vec![root.to_path_buf()];
    let mut read = 0;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let mut next = vec![];
        for dir in &level {
            read += 1;
            if read > MAX_DIRS {
                return true;
            }
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if (last || e.file_type().is_ok_and(|t| t.is_dir())) && go_match(segment, &name) {
                    next.push(e.path());
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        level = next;
    }
    !segments.is_empty()
}

fn may_watch(include: &[String], root: &Path, named: &Path) -> bool {
    if include.is_empty() {
        return true;
    }
    let Ok(rel) = clean(named).strip_prefix(root).map(Path::to_path_buf) else {
        return false;
    };
    let rel = rel.to_string_lossy().into_owned();
    include.iter().any(|d| {
        rel.split('/')
            .zip(d.split('/'))
            .all(|(pattern, name)| go_match(pattern, name))
    })
}

/// Attach a fix that sets `[build] key` to `list`.
fn with_list_fix(f: &AirFile, finding: Finding, key: &'static str, list: &[String]) -> Finding {
    let value: toml_edit::Array = list.iter().map(String::as_str).collect();
    let edit = Edit::Set {
        table: "build",
        key,
        value: value.into(),
    };
    let shown = list
        .iter()
        .map(|e| format!("\"{e}\""))
        .collect::<Vec<_>>()
        .join(", ");
    match f.write_fix(format!("set {key} = [{shown}] in {}", f.name), vec![edit]) {
        Some(fix) => finding.with_fix(fix),
        None => finding,
    }
}
