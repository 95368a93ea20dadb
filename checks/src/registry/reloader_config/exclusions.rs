//! exclude_regex or exclude_file matching a file the build compiles: air drops every save of
//! it, so editing it never rebuilds. air v1.67.4 (`runner/util.go`) matches exclude_regex
//! against the event's absolute path (the root made absolute, links resolved), so a word
//! like "tmp" or "app" in a folder above the project excludes everything, and exclude_file
//! with `filepath.Match` against the root-relative path. Judged from `go list -deps` (Go,
//! cgo and embedded files of this module's packages), run only when an exclusion is not
//! air's default.

use super::air_view::{air_watches, rel_to_root, watch_root};
use super::config_file::{manual, AirFile};
use super::problems::Problem;
use crate::golang::build_plan::BuildPlan;
use crate::golang::deps as go_deps;
use crate::model::{Finding, Severity};
use crate::reloaders::air::config::AirConfig;
use crate::reloaders::event_rules::{EventRules, Verdict};
use crate::reloaders::watch_tree::Rules;
use crate::system::fsevents::Op;
use serde_json::json;
use std::time::Duration;

const GO_LIST_TIMEOUT: Duration = Duration::from_secs(5);

/// How many files a finding's evidence lists.
const LISTED: usize = 50;

pub(super) fn findings(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    let b = &f.ctx.project.air.build;
    let defaults = AirConfig::default().build.exclude_regex;
    let own_regex = b.exclude_regex.iter().any(|r| !defaults.contains(r));
    if (!own_regex && b.exclude_file.is_empty()) || f.ctx.project.go_mod.is_none() {
        return;
    }
    // `make build` or a script: which package is built is a guess, so is a finding.
    let guessed = build
        .approximation
        .as_deref()
        .is_some_and(|a| a.contains("not a `go build`"));
    let Ok(go) = which::which("go") else { return };
    let Ok(files) = go_deps::local_files(&go, build, &f.ctx.project.root, GO_LIST_TIMEOUT) else {
        return; // imports.rs says when go list cannot answer
    };
    let root = watch_root(f);
    let c = &f.ctx.project.air;
    let folders = Rules::air_in(c, &root);
    let events = EventRules::air_in(c, &root, &f.ctx.project.root);
    // Code a generator writes is excluded on purpose (the usual cure for a rebuild loop).
    let written = super::generated::named_outputs(f);
    // Each pattern with the files it hides, in the order air reads the config.
    let mut hidden: Vec<(String, Vec<String>)> = vec![];
    for file in files {
        let Some(rel) = rel_to_root(f, &file) else {
            continue;
        };
        let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d);
        // A test file embedded as data (`//go:embed epub/*`) is still nobody's code to build.
        if !air_watches(&folders, dir)
            || rel.ends_with("_test.go")
            || written.contains(&file)
            || crate::system::files::read(&file)
                .is_ok_and(|b| super::imports::is_generated(&String::from_utf8_lossy(&b)))
        {
            continue;
        }
        let Verdict::Dropped(why) = events.judge(Op::Write, &file, false) else {
            continue;
        };
        if !why.starts_with("matches exclude_") {
            continue;
        }
        match hidden.iter_mut().find(|(w, _)| *w == why) {
            Some((_, list)) => list.push(rel),
            None => hidden.push((why, vec![rel])),
        }
    }
    let in_container = !f.launches.is_empty() && f.launches.iter().all(|l| l.container.is_some());
    for (why, mut files) in hidden {
        files.sort();
        let key = if why.starts_with("matches exclude_regex") {
            "build.exclude_regex"
        } else {
            "build.exclude_file"
        };
        // `matches exclude_regex "tmp"`: the pattern as written.
        let raw = why.split_once('"').map_or("", |(_, p)| p);
        let raw = raw.strip_suffix('"').unwrap_or(raw);
        let pattern = format!("\"{raw}\"");
        let shown = files.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let more = match files.len() {
            n if n > 3 => format!(" and {} more", n - 3),
            _ => String::new(),
        };
        let how = if key == "build.exclude_regex" {
            format!(
                "air matches it against the absolute path ({}/{})",
                root.display(),
                files[0]
            )
        } else {
            "air matches it against the path from root".to_string()
        };
        let todo = if key == "build.exclude_regex" {
            format!("narrow {pattern} so it matches only what it is meant to (anchor it: \"_templ\\\\.go$\", \"/mocks/\")")
        } else {
            format!("remove {pattern} from exclude_file, or name only the files meant")
        };
        // In a container the absolute path differs, and a guessed main package may not be
        // the one built: say so, without a fail. Only embedded data hidden (`zip.png`), or Go
        // files beside a `//go:generate` that may be the generator's own output (a
        // version.go it bumps): a warning too.
        let go_by_hand = files
            .iter()
            .any(|rel| rel.ends_with(".go") && !generator_beside(&root.join(rel)));
        let severity = if guessed || in_container || !go_by_hand {
            Severity::Warn
        } else {
            Severity::Fail
        };
        let mut evidence_files = files.clone();
        evidence_files.truncate(LISTED);
        out.push(
            Finding::new(
                severity,
                format!(
                    "{}: {} {pattern} matches {shown}{more}, which the build compiles ({how}): saving {} never rebuilds; {todo}",
                    f.at(key),
                    &key[6..],
                    if files.len() == 1 { "it" } else { "them" },
                ),
            )
            .with_evidence(f.evidence(
                key,
                json!({"problem": Problem::ExcludesCompiledFiles, "pattern": raw, "files": evidence_files, "count": files.len()}),
            ))
            .with_fix(manual(todo)),
        );
    }
}

/// Whether a `.go` file of `file`'s folder carries a `//go:generate` directive.
fn generator_beside(file: &std::path::Path) -> bool {
    let Some(dir) = file.parent() else {
        return false;
    };
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name().to_string_lossy().ends_with(".go")
                && crate::system::files::read(e.path()).is_ok_and(|b| {
                    String::from_utf8_lossy(&b)
                        .lines()
                        .any(|l| l.trim_start().starts_with("//go:generate"))
                })
        })
    })
}
