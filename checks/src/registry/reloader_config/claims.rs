//! The claim each finding makes about what air does where it runs, in a form air itself
//! (the oracle: air's own config loading, walk and event filter, or real air) can confirm:
//! `save-does-not-rebuild F`, `binary-mismatch`, `build-fails`, `air-refuses-to-start`, `build-loop N`
//! (`1`: one extra build; `unbounded`: a loop), `air-warns W`, `exit-deletes DIR` (air
//! removes DIR, with what it holds, when it exits). `null` for a finding about
//! something air does not show (a key it ignores, a choice made on purpose).

use super::problems::Problem;
use crate::model::{Finding, Severity};
use serde_json::{json, Value};

/// Adds `claim` to the evidence of each finding that names a problem.
pub(super) fn add(findings: &mut [Finding]) {
    for f in findings {
        let claim = claim(f);
        if let Some(ev) = f.evidence.as_object_mut() {
            if ev.contains_key("problem") {
                ev.insert("claim".into(), claim.map_or(Value::Null, |c| json!(c)));
            }
        }
    }
}

fn claim(f: &Finding) -> Option<String> {
    let ev = &f.evidence;
    let first = |key: &str| ev[key].as_array()?.first()?.as_str().map(str::to_string);
    let fails = f.severity == Severity::Fail;
    Some(match Problem::from_id(ev["problem"].as_str()?)? {
        Problem::NotToml
        | Problem::WrongType
        | Problem::BadRegex
        | Problem::BadColorMode
        | Problem::BadRule
        | Problem::RootDangerous => "air-refuses-to-start".into(),
        Problem::LaunchConfigMissing if fails => "air-refuses-to-start".into(),
        Problem::BinaryMismatch
        | Problem::UnexpandedTemplate
        | Problem::BinWithArguments
        | Problem::BinWithSpace
        | Problem::BuildWithoutOutput
        | Problem::WindowsOnlyConfig => "binary-mismatch".into(),
        Problem::BuildSourceMissing => "build-fails".into(),
        Problem::ReplaceMissing if fails => "build-fails".into(),
        // Where the folder is absent (a fresh clone, the corpus's checkouts).
        Problem::UngeneratedImport => "build-fails".into(),
        Problem::ConfigNotRead | Problem::LaunchRunsDefaults if fails => {
            match ev["defaults_build"].as_str()? {
                "no-go-files" | "no-module" => "build-fails".into(),
                _ => "binary-mismatch".into(),
            }
        }
        Problem::RebuildLoop | Problem::GeneratedCodeLoop => "build-loop unbounded".into(),
        Problem::GeneratedExtraBuild => "build-loop 1".into(),
        Problem::ExcludesCompiledFiles => format!("save-does-not-rebuild {}", first("files")?),
        Problem::HidesImportedPackage | Problem::ImportsOutsideRoot => {
            format!("save-does-not-rebuild {}/", first("dirs")?)
        }
        Problem::NoGoExt | Problem::RootMissing | Problem::SourceNotMounted => {
            "save-does-not-rebuild *.go".into()
        }
        Problem::DottedExtension if fails => "save-does-not-rebuild *.go".into(),
        Problem::AirWarns => format!("air-warns {}", ev["air_prints"].as_str()?),
        Problem::CleanOnExitDeletes if f.severity >= Severity::Warn => {
            format!("exit-deletes {}", ev["deletes"].as_str()?)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_from_problem_and_evidence() {
        let mut f = vec![
            Finding::fail("x").with_evidence(json!({"problem": "excludes-compiled-files", "files": ["main.go"]})),
            Finding::warn("x").with_evidence(json!({"problem": "air-warns", "air_prints": "include_dir ../x does not exist, skipping"})),
            Finding::warn("x").with_evidence(json!({"problem": "unknown-key"})),
            Finding::info("x"),
            Finding::fail("x").with_evidence(json!({"problem": "clean-on-exit-deletes", "deletes": "/p/build"})),
        ];
        add(&mut f);
        assert_eq!(f[0].evidence["claim"], "save-does-not-rebuild main.go");
        assert_eq!(
            f[1].evidence["claim"],
            "air-warns include_dir ../x does not exist, skipping"
        );
        assert_eq!(f[2].evidence["claim"], Value::Null);
        assert!(f[3].evidence.get("claim").is_none());
        assert_eq!(f[4].evidence["claim"], "exit-deletes /p/build");
    }
}
