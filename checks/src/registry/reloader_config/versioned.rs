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
            let (head, _) = message.split_once(", so ").unwrap_or((&message, ""));
            if let Some(value) = placeholder(f, key) {
                let args = match key.path == keys::BUILD_ARGS_BIN.path {
                    true => ", and the app reads no arguments",
                    false => "",
                };
                return Some(Finding::info(format!(
                    "{head}, but its value {value} is the placeholder of air's own example config (air_example.toml, which `air init` writes){args}: nothing is lost there; remove the line"
                )).with_evidence(evidence));
            }
            // Polling off (`poll = false`, air's default): air waits for file events and never
            // reads poll_interval, whichever its release.
            if key.path == keys::BUILD_POLL_INTERVAL.path && !f.ctx.project.air.build.poll {
                return Some(Finding::info(format!(
                    "{head}, but {} is false here, so no air reads it: nothing is lost there; remove the line",
                    keys::BUILD_POLL.name()
                )).with_evidence(evidence));
            }
            Some(Finding::warn(message).with_evidence(evidence))
        })
        .collect()
}

/// The values of air's own example config (air_example.toml, which `air init` writes) that
/// do nothing a project needs: an `echo` into a file nothing reads, arguments for an app that
/// reads none. Checked against air's file in `placeholders_are_air_examples`.
static PLACEHOLDERS: &[(&keys::Key, &[&str])] = &[
    (&keys::BUILD_PRE_CMD, &["echo 'hello air' > pre_cmd.txt"]),
    (&keys::BUILD_POST_CMD, &["echo 'hello air' > post_cmd.txt"]),
    (&keys::BUILD_ARGS_BIN, &["hello", "world"]),
];

/// The value of `key` as written (`["hello", "world"]`) when it is air's example placeholder
/// for it: an air that drops the key loses nothing (Kabos0809/go_portfolio's args_bin under
/// cosmtrek/air@v1.29.0, hold-out 15; Senritsu420/MinTabi's pre_cmd and post_cmd under
/// v1.40.4, hold-out 16). `args_bin` only where the project's Go code reads no command-line
/// arguments (no `os.Args`, no flag package or CLI library).
fn placeholder(f: &AirFile, key: &keys::Key) -> Option<String> {
    let (_, example) = PLACEHOLDERS.iter().find(|(k, _)| k.path == key.path)?;
    let written: Vec<&str> = f
        .written
        .get(key.path)?
        .as_array()?
        .iter()
        .map(|v| v.as_str())
        .collect::<Option<_>>()?;
    if written != *example {
        return None;
    }
    if key.path == keys::BUILD_ARGS_BIN.path && reads_arguments(&f.ctx.project.root) {
        return None;
    }
    Some(format!("{written:?}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each placeholder is the value air's own air_example.toml (v1.67.4, from the module
    /// cache, fetched by `go mod download` if need be) gives its key.
    #[test]
    fn placeholders_are_air_examples() {
        let out = std::process::Command::new("go")
            .args([
                "mod",
                "download",
                "-json",
                "github.com/air-verse/air@v1.67.4",
            ])
            .output()
            .expect("go runs");
        let info: serde_json::Value = serde_json::from_slice(&out.stdout).expect("go's json");
        let dir = info["Dir"].as_str().expect("air's source folder");
        let text = std::fs::read_to_string(std::path::Path::new(dir).join("air_example.toml"))
            .expect("air_example.toml");
        let example = crate::reloaders::air::written::Written::parse(&text).expect("toml");
        for (key, value) in PLACEHOLDERS {
            let theirs: Vec<&str> = example
                .get(key.path)
                .and_then(|i| i.as_array())
                .unwrap_or_else(|| panic!("{} in air_example.toml", key.path))
                .iter()
                .filter_map(|v| v.as_str())
                .collect();
            assert_eq!(theirs, *value, "{}", key.path);
        }
    }
}
