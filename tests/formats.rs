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

/// The `run:` scripts of every step of the workflow at `path`: read by PyYAML when Python has
/// it (so the file is valid YAML), else from the lines (`run: x` and `run: |` blocks).
fn workflow_scripts(path: &std::path::Path) -> Vec<String> {
    let parsed = Command::new("python3")
        .args([
            "-c",
            "import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
        ])
        .arg(path)
        .output();
    if let Some(o) = parsed.ok().filter(|o| o.status.success()) {
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        return doc["jobs"]
            .as_object()
            .expect("jobs")
            .values()
            .flat_map(|job| job["steps"].as_array().expect("steps").clone())
            .filter_map(|step| step["run"].as_str().map(String::from))
            .collect();
    }
    scripts_from_lines(&std::fs::read_to_string(path).unwrap())
}

/// The `run:` scripts of a workflow read from its lines, without a YAML parser.
fn scripts_from_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut scripts = vec![];
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("run: ") else {
            continue;
        };
        if rest.trim() != "|" {
            scripts.push(rest.to_string());
            continue;
        }
        let indent = |l: &str| l.len() - l.trim_start().len();
        let block: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > indent(line))
            .map(|l| l.trim())
            .collect();
        scripts.push(block.join("\n"));
    }
    scripts
}

/// Every flag and value a `reload-doctor ...` command line names exists: flags in the
/// (sub)command's --help, --format's value among its possible values, --only/--skip ids
/// in `checks --json`.
fn names_only_real_options(line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let sub: Vec<&str> = words
        .get(1)
        .filter(|w| !w.starts_with('-'))
        .into_iter()
        .copied()
        .collect();
    let help = stdout(
        &Command::new(bin())
            .args(&sub)
            .arg("--help")
            .env("COLUMNS", "1000")
            .output()
            .unwrap(),
    );
    let catalog = stdout(
        &Command::new(bin())
            .args(["checks", "--json"])
            .output()
            .unwrap(),
    );
    let catalog: Value = serde_json::from_str(&catalog).unwrap();
    let ids: Vec<&str> = catalog["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let mut words = words.iter().skip(1 + sub.len()).peekable();
    while let Some(word) = words.next() {
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (flag, None),
        };
        let listed =
            regex::Regex::new(&format!(r"(^|[\s,])--{}([\s=<,]|$)", regex::escape(name))).unwrap();
        if !help.lines().any(|l| listed.is_match(l)) {
            return Err(format!(
                "--{name} is not an option of reload-doctor {}",
                sub.join(" ")
            ));
        }
        let value = match inline {
            Some(v) => Some(v),
            None if matches!(name, "format" | "only" | "skip") => words.next().copied(),
            None => None,
        };
        match (name, value) {
            ("format", Some(v)) => {
                let possible = help
                    .lines()
                    .find(|l| l.contains("--format"))
                    .and_then(|_| {
                        help.split("[possible values: ")
                            .find(|p| p.starts_with("human"))
                    })
                    .and_then(|p| p.split(']').next())
                    .ok_or("--format lists its possible values")?;
                if !possible.split(", ").any(|p| p == v) {
                    return Err(format!("--format {v} is not one of {possible}"));
                }
            }
            ("only" | "skip", Some(v)) => {
                for id in v.split(',') {
                    if !ids.contains(&id) {
                        return Err(format!("--{name} names {id}, which is no check"));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[test]
fn the_example_workflow_names_only_real_flags_and_checks() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reload-doctor.yml");
    let scripts = workflow_scripts(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    // Both readings of the file agree (the same when PyYAML is missing).
    let commands = |scripts: &[String]| -> Vec<Vec<String>> {
        scripts
            .iter()
            .map(|s| {
                s.lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .collect()
    };
    assert_eq!(commands(&scripts), commands(&scripts_from_lines(&text)));
    assert!(
        !text.contains("OWNER"),
        "no placeholder to edit: the URL is a repository variable"
    );
    let lines: Vec<&str> = scripts
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .collect();
    // It installs this package from source with the locked versions.
    let install = lines
        .iter()
        .find(|l| l.starts_with("cargo install"))
        .expect("a step installs reload-doctor");
    assert!(install.contains("--locked"), "{install}");
    assert!(
        install.ends_with(" reload-doctor"),
        "the package name: {install}"
    );
    let runs: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("reload-doctor "))
        .collect();
    assert!(!runs.is_empty(), "{scripts:?}");
    for run in &runs {
        names_only_real_options(run).unwrap_or_else(|e| panic!("{run}: {e}"));
    }
    // The static checks, with annotations.
    assert!(runs.iter().any(|r| r.contains("--format github")
        && r.contains("reloader-config,compile,signals,watch-scope")));
    // The checker is no rubber stamp.
    for wrong in [
        "reload-doctor --formt github",
        "reload-doctor --format gitlab",
        "reload-doctor --only reloader-config,compiles",
        "reload-doctor verify --rounds 2 --only compile",
    ] {
        assert!(names_only_real_options(wrong).is_err(), "{wrong}");
    }
    assert!(names_only_real_options("reload-doctor verify --rounds 2 --with ours").is_ok());
}

#[test]
fn the_example_workflow_runs_real_static_checks_with_github_annotations() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reload-doctor.yml");
    let scripts = workflow_scripts(&path);
    let run = scripts
        .iter()
        .flat_map(|s| s.lines())
        .find(|l| l.trim_start().starts_with("reload-doctor "))
        .expect("a step runs reload-doctor");
    // The same invocation works on a project (here a fixture with a broken config).
    let args: Vec<&str> = run.split_whitespace().skip(1).collect();
    let o = Command::new(bin())
        .current_dir(fixture("air-unknown-keys"))
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("::error file=.air.toml,line=13"));
}
