//! zombies: real zombies under fake reloaders (perl run through a symlink named `air`, so the
//! kernel records comm "air") and under unrelated parents.

mod common;

use common::processes::*;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Run one check until `ready` holds (a zombie takes a moment to appear), up to 5 s.
fn poll_check(project: &Path, id: &str, ready: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let (_, report) = json_report(project, &["--only", id]);
        let c = check(&report, id).clone();
        if ready(&c) || start.elapsed() > Duration::from_secs(5) {
            return c;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn zombie_under_a_reloader_fails_with_a_sigchld_fix() {
    let project = copy_fixture("stdlib-healthy");
    let (_bin, air) = fake_air();
    let mut cmd = Command::new(&air);
    // The child exits at once; the parent never waits, so the child stays a zombie.
    cmd.args(["-e", "fork or exit; sleep 60"])
        .current_dir(project.path());
    let parent = spawn(cmd);

    let c = poll_check(project.path(), "zombies", |c| {
        findings(c)
            .iter()
            .any(|f| f["evidence"]["ppid"] == parent.pgid)
    });
    assert_eq!(c["status"], "fail", "{c:#}");
    let f = finding_for(&c, "ppid", parent.pgid);
    assert_eq!(f["severity"], "fail");
    assert_eq!(f["evidence"]["parent"]["comm"], "air");
    assert_eq!(f["evidence"]["parent"]["kind"], "reloader");
    assert_eq!(f["evidence"]["zombies"].as_array().unwrap().len(), 1);
    let fix = &f["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["action"]["kind"], "signal");
    assert_eq!(fix["action"]["signal"], "SIGCHLD");
    assert_eq!(fix["action"]["pid"], parent.pgid);
    assert_eq!(
        fix["action"]["start_time"],
        stat_field::<u64>(parent.pgid, 22)
    );
}

#[test]
fn zombies_of_an_orphaned_reloader_without_terminal_also_get_an_unsafe_stop() {
    let project = copy_fixture("stdlib-healthy");
    let (_bin, air) = fake_air();
    let (_group, parent) = spawn_orphan(
        project.path(),
        &format!("exec {} -e 'fork or exit; sleep 60'", air.display()),
    );

    let c = poll_check(project.path(), "zombies", |c| {
        findings(c).iter().any(|f| f["evidence"]["ppid"] == parent)
    });
    let stops: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["ppid"] == parent)
        .collect();
    assert_eq!(stops.len(), 2, "{c:#}");
    assert_eq!(stops[0]["fix"]["action"]["signal"], "SIGCHLD");
    assert_eq!(stops[1]["fix"]["applicability"], "unsafe");
    assert_eq!(stops[1]["fix"]["action"]["kind"], "stop-process");
    assert_eq!(stops[1]["fix"]["action"]["pid"], parent);
}

#[test]
fn zombie_of_an_unrelated_parent_is_info() {
    let project = copy_fixture("stdlib-healthy");
    let mut cmd = Command::new("/usr/bin/perl");
    cmd.args(["-e", "fork or exit; sleep 60"]).current_dir("/");
    let parent = spawn(cmd);

    let c = poll_check(project.path(), "zombies", |c| {
        findings(c)
            .iter()
            .any(|f| f["evidence"]["ppid"] == parent.pgid)
    });
    let f = finding_for(&c, "ppid", parent.pgid);
    assert_eq!(f["severity"], "info");
    // Not this project's: `--fix` never signals it, the command is there to run by hand.
    assert_eq!(f["fix"]["applicability"], "manual");
    assert_eq!(f["fix"]["action"]["kind"], "manual");
    assert!(f["fix"]["summary"]
        .as_str()
        .unwrap()
        .starts_with(&format!("kill -CHLD {}", parent.pgid)));
}
