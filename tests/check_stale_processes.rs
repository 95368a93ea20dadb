//! stale-processes: a left-behind build and extra reloaders of the same project, as real processes.

mod common;

use common::processes::*;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[test]
fn left_behind_build_is_an_orphan_for_stale_processes() {
    let project = built_fixture();
    let port = free_port();
    let (_app, pid) = start_orphaned_app(project.path(), port);

    let (_, report) = json_report(project.path(), &["--only", "stale-processes"]);
    let c = check(&report, "stale-processes");
    assert_eq!(c["status"], "warn", "{c:#}");
    let f = finding_for(c, "pid", pid);
    assert_eq!(f["fix"]["applicability"], "safe");
    assert_eq!(f["fix"]["action"]["pid"], pid);
}

#[test]
fn extra_reloaders_for_the_project_get_unsafe_fixes_and_the_newest_is_kept() {
    let project = copy_fixture("stdlib-healthy");
    let (_bin, air) = fake_air();
    let start = |dir: &Path, args: &[&str]| {
        let mut cmd = Command::new(&air);
        cmd.args(["-e", "sleep 60", "--"])
            .args(args)
            .current_dir(dir);
        let g = spawn(cmd);
        std::thread::sleep(Duration::from_millis(30)); // distinct start times (10 ms ticks)
        g
    };
    let elsewhere = tempfile::tempdir().unwrap();
    let config = project.path().join(".air.toml");
    let old = start(project.path(), &[]);
    let mid = start(&project.path().join("handlers"), &[]);
    let _other_project = start(elsewhere.path(), &[]);
    // Outside the project, but run with the project's config: still this project's.
    let new = start(elsewhere.path(), &["-c", config.to_str().unwrap()]);

    let (code, report) = json_report(project.path(), &["--only", "stale-processes"]);
    assert_eq!(code, 1);
    let c = check(&report, "stale-processes");
    assert_eq!(c["status"], "fail", "{c:#}");
    assert_eq!(
        c["evidence"]["reloaders"],
        serde_json::json!([old.pgid, mid.pgid, new.pgid])
    );
    let extra: Vec<&Value> = findings(c)
        .iter()
        .filter(|f| f["evidence"]["kept_pid"].is_number())
        .collect();
    assert_eq!(extra.len(), 2, "{c:#}");
    for (f, stopped) in extra.iter().zip([&old, &mid]) {
        assert_eq!(f["evidence"]["pid"], stopped.pgid);
        assert_eq!(f["evidence"]["kept_pid"], new.pgid);
        assert_eq!(f["fix"]["applicability"], "unsafe");
        assert_eq!(f["fix"]["action"]["kind"], "stop-process");
        assert_eq!(f["fix"]["action"]["pid"], stopped.pgid);
    }
}
