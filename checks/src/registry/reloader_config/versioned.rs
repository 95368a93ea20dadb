//! Findings whose truth depends on the air release, judged with the release that runs where
//! they are judged (a launch context's image or install line, else the air on PATH; see
//! `reloaders::air::versions`): outside the releases a finding holds for, it is not
//! reported; when only some of the releases that may run there have it, it is at most a
//! warning that says which releases it holds for. (A `bin` that only v1.62 and later quote
//! stays a warning under an older air, since updating it breaks: `binary`.)

use super::config_file::AirFile;
use super::problems::Problem;
use crate::model::{Finding, Severity};
use crate::reloaders::air::keys::{self, table_label};
use crate::reloaders::air::versions::{self, AirVersion, Holds, Span};
use serde_json::json;

/// The releases the finding's claim holds for, when that is not every release.
fn span(f: &Finding) -> Option<Span> {
    let key = f.evidence["key"].as_str().unwrap_or("");
    match Problem::from_id(f.evidence["problem"].as_str()?)? {
        Problem::RootDangerous => Some(versions::ROOT_REFUSAL),
        // Each startup warning is printed from the release that added it on.
        Problem::AirWarns => f.evidence["air_prints"]
            .as_str()
            .and_then(versions::warning_span)
            .or_else(|| {
                (key == keys::BUILD_IGNORE_DANGEROUS_ROOT_DIR.path)
                    .then_some(keys::BUILD_IGNORE_DANGEROUS_ROOT_DIR.since.map(Span::since))
                    .flatten()
            }),
        _ => None,
    }
}

/// `found` judged for `air` (None: the current air, what the findings are written for).
pub(super) fn judge(found: Vec<Finding>, air: Option<&AirVersion>) -> Vec<Finding> {
    let Some(air) = air else {
        return found;
    };
    let mut out = vec![];
    for mut f in found {
        let Some(span) = span(&f) else {
            out.push(f);
            continue;
        };
        let holds = air.holds(span);
        if holds == Holds::No {
            continue;
        }
        if holds == Holds::Maybe {
            if f.severity == Severity::Fail {
                f.severity = Severity::Warn;
            }
            f.message
                .push_str(&format!(" (this holds for {span}; here runs {air})"));
        }
        if let Some(obj) = f.evidence.as_object_mut() {
            obj.insert(
                "air_release".into(),
                json!({"holds_for": span.to_string(), "runs": air.to_string(), "certain": holds == Holds::Yes}),
            );
        }
        out.push(f);
    }
    out
}

/// The keys of the file the air that runs (`air`, a launch context's release) does not read
/// yet: it ignores them silently, whatever the current air does with them.
pub(super) fn newer_keys(f: &AirFile, air: &AirVersion) -> Vec<Finding> {
    let b = &f.ctx.project.air.build;
    let clean = |p: &str| p.trim().trim_start_matches("./").to_string();
    // `entrypoint = ["./tmp/main"]` beside `bin = "./tmp/main"`: the older air runs the same.
    let same_run = b.full_bin.trim().is_empty()
        && b.entrypoint_args.is_empty()
        && b.entrypoint
            .as_deref()
            .is_some_and(|e| clean(e) == clean(&b.bin));
    keys::newer_than(f.written.doc(), air.high)
        .into_iter()
        .filter(|(key, _)| !(key.path == keys::BUILD_ENTRYPOINT.path && same_run))
        .filter_map(|(key, line)| {
            let since = key.since?;
            let (table, name) = key.path.rsplit_once('.').unwrap_or(("", key.path));
            let what = match key.path {
                "build.include_file" => "saving the files it lists starts no build",
                "build.poll" => "it waits for file events, which a container mount may never deliver",
                "build.entrypoint" => "it runs bin (or full_bin) instead",
                _ => "the setting has no effect there",
            };
            let message = format!(
                "{}: {name} in {} arrived in air v{}.{}.{}; {air} ignores it silently, so {what}; update that air or do without the key",
                super::config_file::site(&f.name, Some(line)),
                table_label(table),
                since.0,
                since.1,
                since.2,
            );
            let evidence = f.evidence(
                key.path,
                json!({"problem": Problem::KeyNewerThanAir, "since": format!("v{}.{}.{}", since.0, since.1, since.2), "air_release": {"runs": air.to_string()}}),
            );
            if key.path == keys::BUILD_ARGS_BIN.path && placeholder_args(f) {
                let (head, _) = message.split_once(", so ").unwrap_or((&message, ""));
                return Some(Finding::info(format!(
                    "{head}, but its value [\"hello\", \"world\"] is the placeholder `air init` writes (air_example.toml), and the app reads no arguments: nothing is lost there; remove the line"
                )).with_evidence(evidence));
            }
            Some(Finding::warn(message).with_evidence(evidence))
        })
        .collect()
}

/// `args_bin = ["hello", "world"]`, the value of air's own template (air_example.toml, which
/// `air init` writes), in a project whose Go code reads no command-line arguments (no
/// `os.Args`, no flag package or CLI library): an air that drops it runs the app the same
/// (Kabos0809/go_portfolio, hold-out 15, under cosmtrek/air@v1.29.0).
fn placeholder_args(f: &AirFile) -> bool {
    let args = &f.ctx.project.air.build.args_bin;
    args.len() == 2
        && args[0] == "hello"
        && args[1] == "world"
        && !reads_arguments(&f.ctx.project.root)
}

/// Whether a .go file under `dir` (hidden folders, vendor, node_modules and testdata left
/// out) reads command-line arguments, as far as a text search tells; a tree too large to
/// read counts as reading them.
fn reads_arguments(dir: &std::path::Path) -> bool {
    const MARKS: &[&str] = &[
        "os.Args",
        "\"flag\"",
        "pflag",
        "spf13/cobra",
        "urfave/cli",
        "kingpin",
        "alecthomas/kong",
        "go-flags",
    ];
    let mut stack = vec![dir.to_path_buf()];
    let mut read = 0;
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if !name.starts_with('.')
                    && !matches!(name.as_str(), "vendor" | "node_modules" | "testdata")
                {
                    stack.push(path);
                }
            } else if name.ends_with(".go") && !name.ends_with("_test.go") {
                read += 1;
                if read > 5000 {
                    return true;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if MARKS.iter().any(|m| text.contains(m)) {
                    return true;
                }
            }
        }
    }
    false
}
