//! The health report and its JSON contract, driven through the real binary.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::process::Command;

const STATUSES: [&str; 6] = ["pass", "info", "warn", "fail", "skip", "error"];

fn registry_ids() -> Vec<String> {
    let o = run(&["checks", "--json"]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn json_matches_the_documented_contract() {
    let (_, r) = json_report(&fixture("gin-healthy"), &["--no-compile"]);
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["tool"]["name"], "reload-doctor");
    assert!(r["tool"]["version"].is_string());
    let p = &r["project"];
    assert!(p["root"]
        .as_str()
        .unwrap()
        .ends_with("fixtures/gin-healthy"));
    assert_eq!(p["reloader"], "air");
    assert!(p["config"].as_str().unwrap().ends_with(".air.toml"));
    assert_eq!(p["port"], 8080);
    assert_eq!(p["port_source"], "source");

    let checks = r["checks"].as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, registry_ids(), "every check, in registry order");
    let mut counted = std::collections::HashMap::new();
    for c in checks {
        for key in ["title", "summary"] {
            assert!(c[key].is_string(), "{key} in {c}");
        }
        assert!(c["duration_ms"].is_number());
        let status = c["status"].as_str().unwrap();
        assert!(STATUSES.contains(&status), "{status}");
        *counted.entry(status).or_insert(0) += 1;
        if status == "skip" {
            assert!(
                !c["summary"].as_str().unwrap().is_empty(),
                "a skip says why"
            );
        }
        for f in c["findings"].as_array().unwrap() {
            assert!(["info", "warn", "fail"].contains(&f["severity"].as_str().unwrap()));
            assert!(f["message"].is_string());
            assert!(f.get("evidence").is_some());
            let fix = &f["fix"];
            if !fix.is_null() {
                assert!(fix["summary"].is_string());
                assert!(
                    ["safe", "unsafe", "manual"].contains(&fix["applicability"].as_str().unwrap())
                );
                assert!(fix["needs_root"].is_boolean());
                assert!(fix["action"]["kind"].is_string());
            }
        }
    }
    for s in STATUSES {
        assert_eq!(
            r["summary"][s],
            counted.get(s).copied().unwrap_or(0),
            "summary.{s}"
        );
    }
    assert!(r["summary"]["fixable"].is_number());
}

#[test]
fn exit_status_is_0_when_nothing_failed_and_1_when_something_did() {
    let (code_ok, r) = json_report(
        &fixture("stdlib-healthy"),
        &["--only", "watch-scope,inotify-instances"],
    );
    assert_eq!(code_ok, 0, "{r}");
    assert_eq!(r["checks"].as_array().unwrap().len(), 2);

    let o = Command::new(bin())
        .args(["--json", "--only", "toolchain", "--project"])
        .arg(fixture("go-too-new"))
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check(&r, "toolchain")["status"], "fail", "{r}");
    assert_eq!(code(&o), 1);
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let dir = copy_fixture("stdlib-healthy");
    make_tree(&dir.path().join("node_modules"), 4, 1);
    let args = ["--only", "watch-scope"];
    let (plain, r) = json_report(dir.path(), &args);
    assert_eq!(check(&r, "watch-scope")["status"], "warn");
    assert_eq!(plain, 0);
    let (strict, _) = json_report(dir.path(), &["--only", "watch-scope", "--strict"]);
    assert_eq!(strict, 1);
}

#[test]
fn usage_errors_and_missing_projects_exit_2_with_a_reason() {
    for (args, needle) in [
        (vec!["--port", "0"], "0"),
        (vec!["--port", "70000"], "70000"),
        (
            vec!["--only", "inotify-watchs"],
            "did you mean inotify-watches",
        ),
        (
            vec!["--project", "/nonexistent/reload-doctor"],
            "does not exist",
        ),
        (vec!["explain", "nope"], "unknown check id"),
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    let file = fixture("stdlib-healthy").join("main.go");
    let o = run(&["--project", file.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is not a folder"));
}

#[test]
fn a_folder_that_is_not_a_go_module_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = json_report(dir.path(), &["--only", "toolchain,watch-scope"]);
    let messages = check(&r, "toolchain")["findings"].to_string();
    assert!(messages.contains("not a Go module"), "{messages}");
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let project = fixture("stdlib-healthy");
    let args = [
        "--only",
        "watch-scope",
        "--project",
        project.to_str().unwrap(),
    ];
    let with = |color: &str, no_color: Option<&str>| {
        let mut c = Command::new(bin());
        c.args(args).args(["--color", color]).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    assert!(
        with("always", None).contains('\x1b'),
        "--color always colours"
    );
    assert!(!with("always", Some("1")).contains('\x1b'), "NO_COLOR wins");
    assert!(!with("never", None).contains('\x1b'));
    assert!(
        !with("auto", None).contains('\x1b'),
        "a pipe is not a terminal"
    );
}

#[test]
fn human_report_is_aligned_and_names_the_fix() {
    let dir = copy_fixture("stdlib-healthy");
    make_tree(&dir.path().join("web/node_modules"), 3, 2);
    fs::write(
        dir.path().join(".air.toml"),
        "[build]\nexclude_dir = [\"tmp\", \"node_modules\"]\n",
    )
    .unwrap();
    let o = run(&[
        "--project",
        dir.path().to_str().unwrap(),
        "--only",
        "toolchain,watch-scope",
    ]);
    let out = stdout(&o);
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    let column = |l: &str| {
        l.char_indices()
            .skip(4)
            .find(|(_, c)| *c == ' ')
            .map(|(i, _)| i)
    };
    // In characters: the marks (✔ is three bytes, ! one) must not shift the column.
    let starts: Vec<_> = rows
        .iter()
        .map(|l| {
            let byte =
                l[column(l).unwrap()..].find(|c: char| c != ' ').unwrap() + column(l).unwrap();
            l[..byte].chars().count()
        })
        .collect();
    assert_eq!(
        starts[0], starts[1],
        "summaries start in one column:\n{out}"
    );
    assert!(out.contains("web/node_modules is watched"), "{out}");
    assert!(
        out.contains("fix: add \"web/node_modules\" to build.exclude_dir"),
        "{out}"
    );
    assert!(out.contains("air matches it only at the root"), "{out}");
}

/// `depth` levels of `width` directories, 30 files in each.
fn make_tree(root: &std::path::Path, depth: u32, width: u32) {
    fs::create_dir_all(root).unwrap();
    for f in 0..30 {
        fs::write(root.join(format!("f{f}.js")), "").unwrap();
    }
    if depth > 0 {
        for w in 0..width.max(1) {
            make_tree(&root.join(format!("d{w}")), depth - 1, width);
        }
    }
}

#[test]
fn a_big_node_modules_is_flagged_with_its_size() {
    let dir = copy_fixture("stdlib-healthy");
    make_tree(&dir.path().join("node_modules"), 4, 4); // 341 dirs, 10,230 files
    let (_, r) = json_report(dir.path(), &["--only", "watch-scope"]);
    let c = check(&r, "watch-scope");
    assert_eq!(c["status"], "warn", "{c}");
    let f = &c["findings"][0];
    assert_eq!(f["evidence"]["path"], "node_modules");
    assert_eq!(f["evidence"]["dirs"], 341);
    assert_eq!(f["evidence"]["files"], 10_230);
    assert_eq!(f["fix"]["applicability"], "manual");
}

#[test]
fn a_symlink_loop_finishes_and_is_reported() {
    let dir = copy_fixture("stdlib-healthy");
    fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::os::unix::fs::symlink("../..", dir.path().join("a/b/loop")).unwrap();
    std::os::unix::fs::symlink("spin", dir.path().join("spin")).unwrap();
    fs::write(
        dir.path().join(".air.toml"),
        "[build]\nfollow_symlink = true\n",
    )
    .unwrap();
    let (_, r) = json_report(dir.path(), &["--only", "watch-scope,inotify-watches"]);
    let c = check(&r, "watch-scope");
    let text = c["findings"].to_string();
    assert!(text.contains("symlink loop at a/b/loop"), "{text}");
    assert!(text.contains("symlink loop at spin"), "{text}");
}

#[test]
fn real_inotify_watches_raise_the_in_use_count() {
    use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
    let dir = tempfile::tempdir().unwrap();
    let inotify = Inotify::init(InitFlags::IN_CLOEXEC).unwrap();
    // Enough watches that this test process is surely the top consumer.
    const N: u64 = 3_000;
    for i in 0..N {
        let f = dir.path().join(i.to_string());
        fs::write(&f, "").unwrap();
        inotify.add_watch(&f, AddWatchFlags::IN_MODIFY).unwrap();
    }
    let (_, r) = json_report(
        &fixture("stdlib-healthy"),
        &["--only", "inotify-watches,inotify-instances"],
    );
    let me = std::process::id() as u64;
    let c = check(&r, "inotify-watches");
    let summary = c["summary"].as_str().unwrap();
    assert!(summary.contains("left for this user"), "{summary}");
    let ev = usage_evidence(&r, "inotify-watches");
    let mine = ev["top_consumers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["pid"] == me)
        .cloned();
    assert_eq!(mine.expect("this test is a top consumer")["watches"], N);
    assert!(ev["used"].as_u64().unwrap() >= N);
    let ev = usage_evidence(&r, "inotify-instances");
    assert!(ev["used"].as_u64().unwrap() >= 1);
    drop(inotify);
}

/// The usage figures of an inotify check: the check-level evidence, present whether it
/// passed or not.
fn usage_evidence(r: &Value, id: &str) -> Value {
    let ev = check(r, id)["evidence"].clone();
    assert!(ev.is_object(), "{id} has evidence: {r}");
    ev
}

#[test]
fn checks_md_is_generated_from_the_registry() {
    let o = run(&["checks", "--markdown"]);
    let committed =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/CHECKS.md")).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "CHECKS.md is stale: run `cargo run -- checks --markdown > CHECKS.md`"
    );
}

#[test]
fn explain_describes_a_check() {
    let o = run(&["explain", "inotify-watches"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(
        out.contains("ENOSPC") && out.contains("/etc/sysctl.d"),
        "{out}"
    );
}

#[test]
fn cgo_without_a_c_compiler_fails_the_toolchain_check() {
    // A PATH holding only the go tool: gcc is then missing, as on a slim image.
    let go = which_go();
    let bin_dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&go, bin_dir.path().join("go")).unwrap();
    let o = Command::new(bin())
        .args(["--json", "--only", "toolchain", "--project"])
        .arg(fixture("cgo-app"))
        .env("PATH", bin_dir.path())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = check(&r, "toolchain");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(c["findings"].to_string().contains("uses cgo"), "{c}");
    // With the real PATH (gcc installed here) the same project passes that part.
    let (_, r) = json_report(&fixture("cgo-app"), &["--only", "toolchain"]);
    assert!(!check(&r, "toolchain")["findings"]
        .to_string()
        .contains("uses cgo"));
}

fn which_go() -> std::path::PathBuf {
    let o = Command::new("sh")
        .args(["-c", "command -v go"])
        .output()
        .unwrap();
    let p = String::from_utf8(o.stdout).unwrap();
    std::fs::canonicalize(p.trim()).expect("go on PATH")
}

#[test]
fn a_reloader_installed_off_path_is_named_with_its_folder() {
    let gopath = tempfile::tempdir().unwrap();
    let gobin = gopath.path().join("bin");
    fs::create_dir_all(&gobin).unwrap();
    let air = gobin.join("air");
    fs::write(&air, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&air, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path_dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(which_go(), path_dir.path().join("go")).unwrap();
    let o = Command::new(bin())
        .args(["--json", "--only", "toolchain", "--project"])
        .arg(fixture("gin-healthy"))
        .env("PATH", path_dir.path())
        .env("GOPATH", gopath.path())
        .env_remove("GOBIN")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = check(&r, "toolchain");
    assert_eq!(c["status"], "fail", "{c}");
    let text = c["findings"].to_string();
    assert!(
        text.contains(&format!("air is installed in {}", gobin.display())),
        "{text}"
    );
    assert!(text.contains("not on PATH"), "{text}");
}

#[test]
fn readme_lists_every_difference_from_air() {
    let o = run(&["run", "--differences"]);
    assert_eq!(code(&o), 0);
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for line in stdout(&o).lines() {
        assert!(
            readme.contains(line),
            "README.md lacks: {line}\n(run `reload-doctor run --differences` and paste)"
        );
    }
}
