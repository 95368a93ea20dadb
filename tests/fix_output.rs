//! What `--fix` tells a person (issue 26), on a real project and a real `.air.toml`: the same
//! counts in the report, `--dry-run`, `--fix` and JSON; the diff `--dry-run` prints; the
//! outcome line after fixing.

mod common;

use common::*;
use std::path::Path;

/// Six safe fixes of one file (one rewrite), an unknown key only a person can fix (what it
/// meant is not known), and a zero value of the screen's look the file cannot express (a
/// note: nothing to do).
const CONFIG: &str = "# mine\nroot = \".\"\n# misplaced below\nbin = \"./build/app serve\"   # runs this\ntestdata_dir = \"\" # none\n[build]\n  cmd = \"go build -o ./build/app .\"\n  include_ext = [\".html\"]\n  exlude_dir = [\"vendor\"]\n  poll_dirs = [\"/mnt/src\"]\n  stop_on_error = true\n[screen]\n  keep_scroll = false\n";

fn doctor(project: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "--project",
        project.to_str().unwrap(),
        "--only",
        "reloader-config",
    ];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn the_report_dry_run_fix_and_json_count_the_same_and_say_what_became_of_them() {
    let dir = copy_fixture("air-tmp-watched");
    let cfg = dir.path().join(".air.toml");
    std::fs::write(&cfg, CONFIG).unwrap();

    let report = stdout(&doctor(dir.path(), &[]));
    let closing = report.trim_end().lines().last().unwrap();
    assert!(closing.ends_with("· 6 fixable with `--fix`"), "{report}");
    let (_, v) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(v["summary"]["fixable"], 6, "{v:#}");
    assert_eq!(v["summary"]["fixable_unsafe"], 0, "{v:#}");

    // --dry-run: the same count, the rewrite once (not once per finding it fixes), as a diff.
    let o = doctor(dir.path(), &["--fix", "--dry-run"]);
    let out = stdout(&o);
    assert!(out.contains("\nPlan: 6 fixable with `--fix`\n"), "{out}");
    assert_eq!(out.matches("will rewrite").count(), 1, "{out}");
    assert!(!out.contains("the same as"), "{out}");
    let path = cfg.display().to_string();
    for line in [
        format!("--- {path}"),
        format!("+++ {path} (fixed)"),
        "-testdata_dir = \"\" # none".to_string(),
        "+# testdata_dir = \"\" # none".to_string(),
        "-  exlude_dir = [\"vendor\"]".to_string(),
        "+  exclude_dir = [\"vendor\"]".to_string(),
        "+  args_bin = [\"serve\"]".to_string(),
    ] {
        assert!(
            out.lines().any(|l| l.trim_start() == line),
            "no `{line}` in:\n{out}"
        );
    }
    assert!(out.contains("dry run: nothing was changed"), "{out}");
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), CONFIG);

    // --fix: what became of the problems, not a table of every check.
    let o = doctor(dir.path(), &["--fix"]);
    let out = stdout(&o);
    assert!(
        out.contains("\n6 fixed, 1 remaining (by hand: reloader-config)\n"),
        "{out}"
    );
    assert!(
        !out.contains("unchanged") && !out.contains('→') && !out.contains("BEFORE"),
        "{out}"
    );
    let fixed = std::fs::read_to_string(&cfg).unwrap();
    assert_ne!(fixed, CONFIG);

    // Again: nothing to do, nothing written.
    let out = stdout(&doctor(dir.path(), &["--fix"]));
    assert!(out.contains("\nnothing to fix\n"), "{out}");
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), fixed);
    let (_, v) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(v["summary"]["fixable"], 0, "{v:#}");
}

/// `--fix --json`: each fix the one rewrite makes has that rewrite's result.
#[test]
fn fixes_sharing_one_rewrite_share_its_result_in_json() {
    let dir = copy_fixture("air-tmp-watched");
    std::fs::write(dir.path().join(".air.toml"), CONFIG).unwrap();
    let (_, v) = json_report(dir.path(), &["--only", "reloader-config", "--fix"]);
    let fixes = v["fixes"].as_array().unwrap();
    let results: Vec<&str> = fixes
        .iter()
        .filter(|f| f["applicability"] == "safe")
        .map(|f| f["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["applied"; 6], "{fixes:#?}");
    assert_eq!(v["before"]["fixable"], 6);
}
