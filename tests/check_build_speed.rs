//! `build-speed`: opt-in, and what it measures on a real project with real `go build`s.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Every file under `dir` with its size, sorted (to compare a tree before and after).
fn tree(dir: &Path) -> Vec<(String, u64)> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        let m = std::fs::symlink_metadata(&path).unwrap();
        if m.is_dir() {
            out.extend(tree(&path));
        } else {
            out.push((path.display().to_string(), m.len()));
        }
    }
    out.sort();
    out
}

fn report(dir: &Path, only: Option<&str>) -> Value {
    let project = dir.to_str().unwrap();
    let mut args = vec!["--json", "--project", project];
    if let Some(o) = only {
        args.extend(["--only", o]);
    } else {
        args.push("--no-compile");
    }
    let out = common::run(&args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn build_speed_is_not_in_the_default_report_and_is_listed() {
    let dir = common::copy_fixture("stdlib-healthy");
    let r = report(dir.path(), None);
    let ids: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"compile"), "{ids:?}");
    assert!(!ids.contains(&"build-speed"), "{ids:?}");
    let listed = common::run(&["checks"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("build-speed"), "{text}");
    assert!(text.contains("opt-in"), "{text}");
}

/// On a git checkout of the stdlib fixture: a rebuild is measured and split into Go's own
/// phases; stripping is measured and gives a smaller binary; -buildvcs=false is measured
/// (a .git is there); the project is left as it was.
#[test]
fn build_speed_measures_the_rebuild_and_each_saving_on_a_git_checkout() {
    let dir = common::copy_fixture("stdlib-healthy");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "fixture"]);
    let before = tree(dir.path());

    let r = report(dir.path(), Some("build-speed"));
    let checks = r["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1, "{r:#}");
    let c = &checks[0];
    assert_eq!(c["id"], "build-speed");
    assert!(
        c["status"] != "fail" && c["status"] != "error",
        "never a failure: {c:#}"
    );
    let e = &c["evidence"];
    let rebuild = e["rebuild_ms"]
        .as_f64()
        .unwrap_or_else(|| panic!("not measured: {c:#}"));
    assert!(rebuild > 0.0, "{e:#}");
    let p = &e["phases"];
    let (load, link) = (
        p["load_ms"].as_f64().unwrap(),
        p["link_ms"].as_f64().unwrap(),
    );
    assert!(load > 0.0 && link > 0.0, "{p:#}");
    assert!(load + link <= rebuild, "phases within the rebuild: {e:#}");
    assert!(e["first_build_ms"].as_f64().unwrap() > 0.0, "{e:#}");

    let variants = e["variants"].as_array().unwrap();
    let variant = |key: &str| {
        variants
            .iter()
            .find(|v| v["change"] == key)
            .unwrap_or_else(|| panic!("no {key}: {e:#}"))
    };
    let strip = variant("strip");
    let with = strip["rebuild_ms"].as_f64().unwrap();
    let against = strip["against_ms"].as_f64().unwrap();
    assert!(with > 0.0 && against > 0.0, "{strip:#}");
    assert!((against - with - strip["saved_ms"].as_f64().unwrap()).abs() < 0.2);
    // Measured in turn on a shared machine: neither is ever 10 times the other.
    assert!(with < against * 10.0 && against < with * 10.0, "{strip:#}");
    assert!(
        strip["bytes"].as_u64().unwrap() < e["bytes"].as_u64().unwrap() * 9 / 10,
        "-s -w leaves out the DWARF data and symbol table: {e:#}"
    );
    let vcs = variant("buildvcs");
    assert!(vcs["rebuild_ms"].as_f64().unwrap() > 0.0, "{vcs:#}");
    // Each variant is said in a finding, with its figures.
    let messages: Vec<&str> = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("a rebuild with every package cached takes")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("-ldflags='-s -w'")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("-buildvcs=false")),
        "{messages:#?}"
    );
    assert_eq!(tree(dir.path()), before, "the project is left as it was");
}
