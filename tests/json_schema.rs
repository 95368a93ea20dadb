//! Every JSON document the binary prints is valid against its schema in `schema/` (the
//! report, --fix, verify, checks, explain, run's events, errors, usage errors), and the
//! validator those tests use (tests/common/schema.rs) rejects what the schemas forbid.
//! Other tests validate what they parse through `common::json_report`, `common::schema::parse`
//! and the runner's event reader.

mod common;

use common::schema::{assert_valid, files, parse, python_validates, validate_file};
use common::{bin, code, copy_fixture, fixture};
use serde_json::{json, Value};
use std::process::Command;

fn good_report() -> Value {
    json!({
        "schema_version": 1,
        "tool": {"name": "reload-doctor", "version": "0.1.0"},
        "project": {"root": "/p", "reloader": "air", "config": null, "port": 8080,
                    "port_source": "default", "port_origin": null},
        "checks": [{
            "id": "port-busy", "title": "t", "status": "fail", "summary": "s",
            "duration_ms": 1.5, "evidence": null,
            "findings": [{"severity": "fail", "message": "m", "evidence": {"pid": 4121},
                          "fix": {"summary": "stop it", "applicability": "safe", "needs_root": false,
                                  "action": {"kind": "stop-process", "pid": 4121, "start_time": 7,
                                             "exe": null, "signal": "SIGTERM", "escalate": true}}}]
        }],
        "summary": {"pass": 0, "info": 0, "warn": 0, "fail": 1, "skip": 0, "error": 0, "fixable": 1}
    })
}

/// Makes a good document wrong in one way.
type Spoil = Box<dyn Fn(&mut Value)>;

#[test]
fn the_validator_accepts_a_good_report_and_rejects_each_wrong_one() {
    assert_valid("report.schema.json", &good_report());
    let wrong: Vec<(&str, Spoil)> = vec![
        (
            "missing key",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("summary");
            }),
        ),
        (
            "wrong type",
            Box::new(|r| r["project"]["port"] = json!("8080")),
        ),
        (
            "out of range",
            Box::new(|r| r["project"]["port"] = json!(70000)),
        ),
        (
            "not an integer",
            Box::new(|r| r["summary"]["fail"] = json!(1.5)),
        ),
        (
            "unknown key",
            Box::new(|r| r["project"]["colour"] = json!("red")),
        ),
        (
            "bad enum",
            Box::new(|r| r["checks"][0]["status"] = json!("broken")),
        ),
        ("bad const", Box::new(|r| r["schema_version"] = json!(2))),
        (
            "pattern",
            Box::new(|r| r["checks"][0]["id"] = json!("Port Busy")),
        ),
        (
            "no oneOf kind",
            Box::new(|r| r["checks"][0]["findings"][0]["fix"]["action"]["kind"] = json!("reboot")),
        ),
        (
            "oneOf field",
            Box::new(|r| r["checks"][0]["findings"][0]["fix"]["action"]["signal"] = json!(15)),
        ),
        (
            "anyOf null or fix",
            Box::new(|r| r["checks"][0]["findings"][0]["fix"] = json!("stop")),
        ),
        ("item type", Box::new(|r| r["checks"] = json!([1]))),
    ];
    for (what, spoil) in wrong {
        let mut r = good_report();
        spoil(&mut r);
        assert!(
            validate_file("report.schema.json", &r).is_err(),
            "{what}: accepted {r}"
        );
    }
    // The time pattern of run's events; verify's checks, defined in its own file.
    let event = json!({"schema_version": 1, "time": "2026-11-29T05:49:03.123Z", "event": "note", "message": "m"});
    assert_valid("run-event.schema.json", &event);
    let mut late = event.clone();
    late["time"] = json!("05:49:03");
    assert!(validate_file("run-event.schema.json", &late).is_err());
    let mut verdict = parse("verify.schema.json", br#"{"schema_version":1,"reloader":"ours","project":"/p","port":8080,"ports":[],"configured_port":null,"file":null,"startup_ms":null,"saves":[],"ok":false,"failure":{"stage":"start","reason":"r"},"left_behind":[],"explanation":[]}"#);
    verdict["explanation"] = json!([{"id": "compile"}]);
    assert!(validate_file("verify.schema.json", &verdict).is_err());
}

#[test]
fn every_schema_file_is_a_2020_12_schema() {
    let names = files();
    assert!(names.len() >= 7, "{names:?}");
    // Python's jsonschema, when this machine has it, checks them against the metaschema.
    let python = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .status()
        .is_ok_and(|s| s.success());
    for name in names {
        let text = std::fs::read_to_string(common::schema::dir().join(&name)).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        if python {
            let ok = Command::new("python3")
                .args([
                    "-c",
                    "import json,sys,jsonschema; jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))",
                ])
                .arg(common::schema::dir().join(&name))
                .status()
                .unwrap();
            assert!(ok.success(), "{name} is not a valid 2020-12 schema");
        }
    }
}

fn schema(name: &str) -> Value {
    let text = std::fs::read_to_string(common::schema::dir().join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every `$ref` string under `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_schema_file_stands_alone_for_a_stock_validator() {
    let report = schema("report.schema.json");
    for name in files() {
        let s = schema(&name);
        let stem = name.trim_end_matches(".schema.json");
        assert_eq!(
            s["$id"],
            format!("urn:reload-doctor:schema:{stem}"),
            "{name}"
        );
        let mut found = vec![];
        refs(&s, &mut found);
        for r in found {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{name}: $ref {r} points outside the file"));
            assert!(
                s.pointer(pointer).is_some(),
                "{name}: $ref {r} leads nowhere"
            );
        }
        // A definition shared with the report is a copy of the report's, kept equal here.
        for (def, body) in s["$defs"].as_object().into_iter().flatten() {
            if let Some(original) = report["$defs"].get(def) {
                assert_eq!(
                    body, original,
                    "{name}: $defs/{def} differs from report.schema.json's; copy it from there"
                );
            }
        }
    }
}

#[test]
fn python_jsonschema_as_it_comes_validates_every_json_output() {
    let mut docs: Vec<(&str, Value)> = vec![];
    let json = |o: std::process::Output| -> Value {
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", common::stdout(&o)))
    };
    // The report: static, with a real build that fails, and of a healthy project.
    for (name, args) in [
        ("air-unknown-keys", &["--no-compile"][..]),
        ("compile-error", &["--only", "compile,toolchain"][..]),
        ("stdlib-healthy", &["--no-compile"][..]),
    ] {
        docs.push((
            "report.schema.json",
            common::json_report(&fixture(name), args).1,
        ));
    }
    // --fix, planned and applied.
    let project = copy_fixture("air-unknown-keys");
    let p = project.path().to_str().unwrap();
    for extra in [&["--dry-run"][..], &[][..]] {
        let mut args = vec!["--fix", "--json", "--no-compile", "--project", p];
        args.extend_from_slice(extra);
        docs.push(("fix.schema.json", json(out(&args))));
    }
    // The catalogue and an explanation.
    docs.push(("checks.schema.json", json(out(&["checks", "--json"]))));
    docs.push((
        "explain.schema.json",
        json(out(&["explain", "compile", "--json"])),
    ));
    // Errors: could not run, and clap's usage error.
    docs.push((
        "error.schema.json",
        json(out(&["--json", "--project", "/nonexistent/project"])),
    ));
    docs.push((
        "error.schema.json",
        json(out(&["--json", "--no-such-flag"])),
    ));
    // run's events, from the start to the stop.
    let app = copy_fixture("stdlib-healthy");
    let mut runner = common::runner::Runner::start(app.path(), &[]);
    runner.wait_for("serving", common::runner::BUILD_WAIT);
    // Stopped by SIGTERM: 128 + 15, as its --help, man page and README say.
    assert_eq!(runner.terminate().code(), Some(143));
    runner.drain(std::time::Duration::from_millis(200));
    let events = std::mem::take(&mut runner.seen);
    assert!(events.iter().any(|e| e["event"] == "stopped"), "{events:?}");
    docs.extend(events.into_iter().map(|e| ("run-event.schema.json", e)));
    // (verify's verdicts: verify_fits_its_schema_when_it_passes_and_when_it_fails.)
    let docs: Vec<(&str, &Value)> = docs.iter().map(|(f, d)| (*f, d)).collect();
    python_validates(&docs);
}

fn out(args: &[&str]) -> std::process::Output {
    Command::new(bin()).args(args).output().unwrap()
}

#[test]
fn the_report_of_every_fixture_fits_the_schema() {
    let mut n = 0;
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.join("go.mod").exists() && !dir.join(".air.toml").exists() {
            continue;
        }
        let (_, report) = common::json_report(&dir, &["--no-compile"]);
        assert!(report["checks"].as_array().unwrap().len() > 5);
        n += 1;
    }
    assert!(n > 15, "{n} fixtures");
}

#[test]
fn fix_checks_explain_and_errors_fit_their_schemas() {
    let project = copy_fixture("air-unknown-keys");
    let p = project.path().to_str().unwrap();
    for extra in [&["--dry-run"][..], &[][..]] {
        let mut args = vec!["--fix", "--json", "--no-compile", "--project", p];
        args.extend_from_slice(extra);
        let fixed = parse("fix.schema.json", &out(&args).stdout);
        assert!(!fixed["fixes"].as_array().unwrap().is_empty(), "{fixed}");
    }

    let catalog = parse("checks.schema.json", &out(&["checks", "--json"]).stdout);
    for c in catalog["checks"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let explained = parse(
            "explain.schema.json",
            &out(&["explain", id, "--json"]).stdout,
        );
        assert_eq!(explained["id"], id);
        assert!(
            explained["explain"].as_str().unwrap().contains("Fix"),
            "{id}"
        );
    }

    // Could not run: exit 2, a JSON error with the human line on stderr.
    let o = out(&["--json", "--project", "/nonexistent/project"]);
    assert_eq!(code(&o), 2);
    let error = parse("error.schema.json", &o.stdout);
    assert_eq!(error["kind"], "run");
    assert!(common::stderr(&o).contains("reload-doctor: error:"));
    let o = out(&["explain", "no-such-check", "--json"]);
    assert_eq!(code(&o), 2);
    assert_eq!(parse("error.schema.json", &o.stdout)["kind"], "run");

    // Usage errors (clap's), in either spelling of --json and on a subcommand.
    for args in [
        &["--json", "--no-such-flag"][..],
        &["--format", "json", "--port", "0"][..],
        &["--format=json", "verify", "--rounds", "x"][..],
        &["run", "--json", "--hold", "3"][..],
    ] {
        let o = out(args);
        assert_eq!(code(&o), 2, "{args:?}");
        let error = parse("error.schema.json", &o.stdout);
        assert_eq!(error["kind"], "usage", "{args:?}");
        assert!(
            common::stderr(&o).starts_with("error: "),
            "{args:?}: a person still reads clap's message"
        );
    }
    // Without --json, clap's message alone.
    let o = out(&["--no-such-flag"]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty());
    // --help is no error, with --json too.
    let o = out(&["--help", "--json"]);
    assert_eq!(code(&o), 0);
    assert!(common::stdout(&o).contains("Usage"));
}

#[test]
fn verify_fits_its_schema_when_it_passes_and_when_it_fails() {
    let project = copy_fixture("stdlib-healthy");
    let port = common::free_port().to_string();
    let verify = |project: &std::path::Path| {
        out(&[
            "verify",
            "--json",
            "--with",
            "ours",
            "--port",
            &port,
            "--project",
            project.to_str().unwrap(),
        ])
    };
    let o = verify(project.path());
    let passed = parse("verify.schema.json", &o.stdout);
    assert_eq!(passed["ok"], true, "{passed}");
    assert_eq!(code(&o), 0);
    // A project that does not build fails at the start, with the checks that explain it.
    let broken = copy_fixture("compile-error");
    let o = verify(broken.path());
    let verdict = parse("verify.schema.json", &o.stdout);
    assert_eq!(verdict["ok"], false, "{verdict}");
    assert!(
        !verdict["explanation"].as_array().unwrap().is_empty(),
        "{verdict}"
    );
    // Stock Python jsonschema agrees.
    python_validates(&[
        ("verify.schema.json", &passed),
        ("verify.schema.json", &verdict),
    ]);
}
