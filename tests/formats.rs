//! Output for CI and code scanning (`--format github|sarif`), JSON errors, shell completions
//! and the man page.

mod common;

use common::{bin, code, fixture, stdout};
use serde_json::Value;
use std::process::Command;

fn report(format: &str) -> (i32, String) {
    // Run from the fixture, as a workflow runs from its checkout: paths are relative to it.
    let o = Command::new(bin())
        .current_dir(fixture("air-unknown-keys"))
        .args([
            "--no-compile",
            "--only",
            "reloader-config,signals",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    (code(&o), stdout(&o))
}

#[test]
fn github_format_annotates_the_config_line() {
    let (status, out) = report("github");
    assert_eq!(status, 1);
    assert!(
        out.lines().any(|l| l.starts_with(
            "::error file=.air.toml,line=13,title=reload-doctor reloader-config::.air.toml:13: [build] delay must be an integer"
        )),
        "{out}"
    );
    assert!(out.contains("::warning file=.air.toml,line=4,"), "{out}");
    // Every line is a workflow command; nothing else for the log to misread.
    assert!(out
        .lines()
        .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")));
    // Subcommands other than the report refuse it as a usage error.
    let o = Command::new(bin())
        .args(["checks", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
}

/// The published SARIF 2.1.0 schema, when this machine can fetch it.
fn published_schema() -> Option<std::path::PathBuf> {
    let path = std::env::temp_dir().join(format!("sarif-schema-{}.json", std::process::id()));
    let ok = Command::new("curl")
        .args(["-sfL", "--max-time", "10", "-o"])
        .arg(&path)
        .arg("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(path)
}

/// The parts of SARIF 2.1.0 (OASIS standard, section 3) code-scanning tools rely on,
/// checked by hand when the schema cannot be fetched.
fn structurally_valid(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "reload-doctor");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "rule ids are unique");
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string());
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], r["ruleId"], "ruleIndex points at its rule");
        assert!(["none", "note", "warning", "error"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        for l in r["locations"].as_array().into_iter().flatten() {
            let physical = &l["physicalLocation"];
            assert!(physical["artifactLocation"]["uri"].is_string());
            if let Some(region) = physical.get("region") {
                assert!(region["startLine"].as_u64().unwrap() >= 1);
            }
        }
    }
}

#[test]
fn sarif_is_a_valid_2_1_0_log() {
    let (status, out) = report("sarif");
    assert_eq!(status, 1);
    let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    structurally_valid(&log);
    let first = &log["runs"][0]["results"][0];
    assert_eq!(first["ruleId"], "reloader-config");
    assert_eq!(
        first["locations"][0]["physicalLocation"]["region"]["startLine"],
        13
    );
    // Against the published schema too, when it can be fetched and Python's jsonschema is
    // here (this machine's network reaches only package registries: then the check above).
    if let Some(schema) = published_schema() {
        let sarif = std::env::temp_dir().join(format!("rd-{}.sarif", std::process::id()));
        std::fs::write(&sarif, &out).unwrap();
        let checked = Command::new("python3")
            .args([
                "-c",
                "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
            ])
            .arg(&schema)
            .arg(&sarif)
            .output();
        if let Ok(o) = checked {
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                o.status.success() || err.contains("No module named"),
                "{err}"
            );
        }
    }
}

#[test]
fn json_errors_are_json() {
    let o = Command::new(bin())
        .args(["--json", "--project", "/nonexistent/reload-doctor-test"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    let error: Value = serde_json::from_str(&stdout(&o)).expect("a JSON error");
    common::schema::assert_valid("error.schema.json", &error);
    assert_eq!(error["schema_version"], 1);
    assert!(error["error"].is_string());
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish"] {
        let o = Command::new(bin())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0);
        let script = stdout(&o);
        for word in ["explain", "verify", "--format", "completions"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // bash parses the bash script.
    let bash = stdout(
        &Command::new(bin())
            .args(["completions", "bash"])
            .output()
            .unwrap(),
    );
    let path = std::env::temp_dir().join(format!("rd-completion-{}.bash", std::process::id()));
    std::fs::write(&path, bash).unwrap();
    let parsed = Command::new("bash").arg("-n").arg(&path).status().unwrap();
    assert!(parsed.success());
    let _ = std::fs::remove_file(&path);

    let man = stdout(&Command::new(bin()).arg("man").output().unwrap());
    assert!(man.contains(".TH reload-doctor 1"), "{man}");
    assert!(man.contains("\\-\\-format"), "options are listed");
    assert!(man.contains("explain"), "subcommands are listed");
}

#[test]
fn the_example_workflow_runs_real_static_checks_with_github_annotations() {
    let workflow = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reload-doctor.yml"),
    )
    .unwrap();
    let run = workflow
        .lines()
        .find(|l| l.trim_start().starts_with("run: reload-doctor "))
        .expect("a step runs reload-doctor");
    assert!(run.contains("--format github"), "{run}");
    let only = run
        .split("--only ")
        .nth(1)
        .expect("--only")
        .split_whitespace()
        .next()
        .unwrap();
    let catalog: Value = serde_json::from_str(&stdout(
        &Command::new(bin())
            .args(["checks", "--json"])
            .output()
            .unwrap(),
    ))
    .unwrap();
    common::schema::assert_valid("checks.schema.json", &catalog);
    for id in only.split(',') {
        assert!(
            catalog["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == id),
            "{id} is a check"
        );
    }
    // The same invocation works on a project (here a fixture with a broken config).
    let args: Vec<&str> = run
        .trim_start()
        .trim_start_matches("run: reload-doctor ")
        .split_whitespace()
        .collect();
    let o = Command::new(bin())
        .current_dir(fixture("air-unknown-keys"))
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("::error file=.air.toml,line=13"));
}
