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
fn a_huge_kill_delay_saturates_and_sigterm_still_stops_cleanly() {
    for delay in ["99999999999999999999999s", "10000000000000000000s"] {
        let dir = with_air_toml(&format!("[build]\nkill_delay = \"{delay}\"\n"));
        let mut r = Runner::start(dir.path(), &[]);
        r.wait_for("serving", BUILD_WAIT);
        let status = r.terminate();
        let stderr = r.stderr.lock().unwrap().clone();
        assert!(!stderr.contains("panicked"), "kill_delay {delay}: {stderr}");
        assert!(status.success(), "kill_delay {delay}: {status:?}\n{stderr}");
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
