//! A full inotify queue under `reload-doctor run`: the lost events rebuild once when they
//! hid a change, and not at all when they were the runner's own build reading the sources.
//! In a test binary of its own because it lowers the machine-wide
//! `fs.inotify.max_queued_events` (read when an inotify instance is created) while the
//! runner starts, which would disturb tests running beside it. Needs root.

mod common;

use common::runner::{set_version, Runner, BUILD_WAIT};
use std::time::Duration;

const MAX_QUEUED: &str = "/proc/sys/fs/inotify/max_queued_events";

/// Puts the limit back when dropped, also when the test fails.
struct Restore(String);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(MAX_QUEUED, &self.0);
    }
}

fn lower_queue_limit() -> Restore {
    let old = std::fs::read_to_string(MAX_QUEUED).expect("read max_queued_events");
    let restore = Restore(old.trim().to_string());
    std::fs::write(MAX_QUEUED, "1").unwrap_or_else(|e| {
        panic!("this test lowers {MAX_QUEUED} and needs root: {e}");
    });
    restore
}

/// Until every thread of `pid` is stopped (SIGSTOP takes effect asynchronously).
fn wait_stopped(pid: i32) {
    let stopped = || {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .flatten()
            .all(|t| {
                let stat = std::fs::read_to_string(t.path().join("stat")).unwrap_or_default();
                stat.rsplit_once(") ")
                    .is_some_and(|(_, rest)| rest.starts_with('T'))
            })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !stopped() {
        assert!(
            std::time::Instant::now() < deadline,
            "pid {pid} did not stop"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn builds(r: &Runner) -> usize {
    r.count("build_started")
}

#[test]
fn a_queue_overflow_rebuilds_once_for_a_change_and_never_for_build_reads() {
    let dir = common::copy_fixture("stdlib-healthy");
    let limit = lower_queue_limit();
    let mut r = Runner::start(dir.path(), &[]);
    // The runner's inotify instance exists (with a one-event queue) once it watches.
    let watching = r.wait_for("watching", BUILD_WAIT);
    drop(limit);
    assert_eq!(watching["mode"], "inotify", "{watching}");
    r.wait_for("serving", BUILD_WAIT);
    assert_eq!(r.get(), "version v1");

    // go build opened every source: the queue overflowed, and nothing changed.
    let quiet = r.drain(Duration::from_secs(2));
    assert_eq!(
        builds(&r),
        1,
        "no rebuild for the build's own reads: {quiet:#?}"
    );

    // A save while the runner is stopped: the queue keeps the save's first event (IN_OPEN,
    // a read) and drops the rest. The full rebuild serves the change, once.
    let runner = nix::unistd::Pid::from_raw(r.pid());
    nix::sys::signal::kill(runner, nix::sys::signal::SIGSTOP).unwrap();
    wait_stopped(r.pid());
    set_version(dir.path(), "\"overflowed\"");
    nix::sys::signal::kill(runner, nix::sys::signal::SIGCONT).unwrap();
    let served = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(served["cause"], "(events lost: full rebuild)", "{served}");
    assert_eq!(r.get(), "version overflowed");
    let after = r.drain(Duration::from_secs(2));
    assert_eq!(builds(&r), 2, "one rebuild for the lost save: {after:#?}");
    // A new file: its IN_CREATE fits in the queue, the rest overflows; one build still.
    std::fs::write(
        dir.path().join("handlers/extra.go"),
        "package handlers\n\nconst Extra = 1\n",
    )
    .unwrap();
    r.wait_for("serving", BUILD_WAIT);
    let after = r.drain(Duration::from_secs(2));
    assert_eq!(builds(&r), 3, "one rebuild for the new file: {after:#?}");
    let lost = r.seen.iter().filter(|v| {
        v["event"] == "note"
            && v["message"]
                .as_str()
                .unwrap_or("")
                .contains("events were lost")
    });
    assert!(
        lost.count() >= 1,
        "the build's own overflow is noted: {:#?}",
        r.seen
    );
}
