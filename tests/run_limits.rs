//! Values in `.air.toml` or on the command line that are out of any sane range: the runner
//! saturates or refuses them with a message, and never panics or spins.

mod common;

use common::runner::{get, Runner, BUILD_WAIT};
use std::time::Duration;

fn with_air_toml(toml: &str) -> tempfile::TempDir {
    let dir = common::copy_fixture("stdlib-healthy");
    std::fs::write(dir.path().join(".air.toml"), toml).unwrap();
    dir
}

#[test]
fn a_huge_kill_delay_is_refused_with_a_message_or_saturates_and_sigterm_still_stops() {
    for delay in [
        "\"99999999999999999999999s\"",
        "\"10000000000000000000s\"",
        "9223372036854775807",
    ] {
        let dir = with_air_toml(&format!("[build]\nkill_delay = {delay}\n"));
        let mut r = Runner::start(dir.path(), &[]);
        let refused = common::runner::wait_child(&mut r.child, Duration::from_secs(3));
        let log = r.stderr.clone();
        let stderr = move || log.lock().unwrap().clone();
        if let Some(status) = refused {
            // Refused before anything started, naming the key.
            std::thread::sleep(Duration::from_millis(100));
            let said = stderr();
            assert_eq!(status.code(), Some(2), "kill_delay {delay}: {said}");
            assert!(said.contains("kill_delay"), "kill_delay {delay}: {said}");
            assert!(!said.contains("panicked"), "kill_delay {delay}: {said}");
            continue;
        }
        r.wait_for("serving", BUILD_WAIT);
        let status = r.terminate();
        let said = stderr();
        assert!(!said.contains("panicked"), "kill_delay {delay}: {said}");
        assert!(status.success(), "kill_delay {delay}: {status:?}\n{said}");
    }
}

#[test]
fn the_largest_hold_saturates_and_requests_are_served() {
    let dir = common::copy_fixture("stdlib-healthy");
    let proxy = common::free_port();
    let mut r = Runner::start(
        dir.path(),
        &[
            "--proxy",
            &proxy.to_string(),
            "--hold",
            "18446744073709551615",
        ],
    );
    r.wait_for("serving", BUILD_WAIT);
    let body = get(proxy);
    let stderr = r.stderr.lock().unwrap().clone();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(body.is_some_and(|b| b.contains("version")), "{stderr}");
}

/// CPU time (user + system clock ticks) `pid` has used so far.
fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn poll_interval_zero_is_raised_to_a_floor_with_a_note_and_does_not_spin() {
    let dir = with_air_toml("[build]\npoll = true\npoll_interval = 0\n");
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", BUILD_WAIT);
    let said = r
        .drain(Duration::from_millis(300))
        .into_iter()
        .chain(r.seen.clone())
        .any(|e| e.to_string().contains("poll_interval = 0"));
    assert!(
        said,
        "no note about the raised poll_interval: {:#?}",
        r.seen
    );
    let before = cpu_ticks(r.pid());
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(r.pid()) - before;
    // 2 s of a spinning core is ~200 ticks; a poll every few ms of a tiny tree is a handful.
    assert!(used < 60, "the runner used {used} ticks in 2 s");
}

#[test]
fn rm_rf_of_the_project_while_serving_stops_cleanly_and_writes_nothing() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("app");
    common::copy_tree(&common::fixture("stdlib-healthy"), &dir);
    let mut r = Runner::start(&dir, &[]);
    r.wait_for("serving", BUILD_WAIT);
    let status = std::process::Command::new("rm")
        .arg("-rf")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let stopped = r.wait_for("stopped", Duration::from_secs(20));
    assert_eq!(stopped["reason"], "project folder gone", "{stopped}");
    let exit = common::runner::wait_child(&mut r.child, Duration::from_secs(10))
        .expect("the runner exits");
    assert_eq!(exit.code(), Some(1));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !dir.exists(),
        "the runner recreated {}: {:?}",
        dir.display(),
        std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>())
    );
    let stderr = r.stderr.lock().unwrap().clone();
    assert!(!stderr.contains("could not start"), "{stderr}");
}
