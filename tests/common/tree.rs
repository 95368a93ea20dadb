//! The processes under a process, with start times, so a test can tell after a kill whether
//! anything it started is still running (and never mistake a reused pid for it).

use reload_doctor_checks as checks;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// (pid, start time) of `pid` when it is running (not a zombie).
pub fn running(pid: i32) -> Option<(i32, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    (fields[0] != "Z").then_some(())?;
    Some((pid, fields[19].parse().ok()?))
}

/// Every running descendant of `pid` now, with start times (children of all its threads).
pub fn descendants(pid: i32) -> Vec<(i32, u64)> {
    let mut out = vec![];
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        for c in checks::system::procs::child_pids(p) {
            if let Some(id) = running(c) {
                out.push(id);
            }
            todo.push(c);
        }
    }
    out
}

/// `pid`'s command line, for messages.
pub fn cmdline(pid: i32) -> String {
    let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    String::from_utf8_lossy(&cmd)
        .replace('\0', " ")
        .trim()
        .to_string()
}

/// Wait until none of `seen` is running; the ones still running after `limit`.
pub fn survivors(seen: &HashSet<(i32, u64)>, limit: Duration) -> Vec<String> {
    let start = Instant::now();
    loop {
        let left: Vec<String> = seen
            .iter()
            .filter(|(pid, start)| running(*pid) == Some((*pid, *start)))
            .map(|(pid, _)| format!("{pid} {}", cmdline(*pid)))
            .collect();
        if left.is_empty() || start.elapsed() > limit {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Where cgroup2 is mounted.
pub fn cgroup2_mount() -> Option<std::path::PathBuf> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    mountinfo.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        (right.split(' ').next() == Some("cgroup2"))
            .then(|| left.split(' ').nth(4).map(Into::into))?
    })
}

/// The `0::` line of `/proc/PID/cgroup`: its cgroup v2 path ("" when none).
pub fn cgroup_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("0::"))
        .unwrap_or("")
        .to_string()
}

/// Whether this process may make a cgroup v2 beside its own and move a process into it
/// (what `run` needs to hold its children in one): tried with a `sleep`.
pub fn cgroup_v2_writable() -> bool {
    let Some(mount) = cgroup2_mount() else {
        return false;
    };
    let probe = mount
        .join(cgroup_of(std::process::id()).trim_start_matches('/'))
        .join(format!("rd-test-probe-{}", std::process::id()));
    if std::fs::create_dir(&probe).is_err() {
        return false;
    }
    let mut sleep = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let moved = probe.join("cgroup.kill").exists()
        && std::fs::write(probe.join("cgroup.procs"), sleep.id().to_string()).is_ok();
    let _ = sleep.kill();
    let _ = sleep.wait();
    let start = Instant::now();
    while std::fs::remove_dir(&probe).is_err() && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(10));
    }
    moved
}
