//! `kill -9` of `reload-doctor run` leaves nothing running: not what the app sent to the
//! background, not a `sleep` in build.cmd, not `go build`'s compilers, not a `setsid` child.
//! Only the runner's direct children get the parent-death signal; the rest is the watchdog's
//! work (the guardian watching the runner, checks/src/system/guardian.rs).

mod common;

use common::tree::{cgroup_of, cmdline, descendants, survivors};
use common::{bin, copy_fixture};
use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Start `reload-doctor run` on `project` with `args` and `env`, wait until a process under
/// it has a command line containing `marker`, SIGKILL the runner, and assert that every
/// process seen under it is gone within 3 s.
fn kill_runner_when(project: &Path, args: &[&str], env: &[(&str, &str)], marker: &str) {
    let mut cmd = Command::new(bin());
    cmd.args(["run", "--no-checks", "--json", "--project"])
        .arg(project)
        .args(["--port", &common::free_port().to_string()])
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut runner = cmd.spawn().unwrap();
    let pid = runner.id() as i32;
    let mut seen = HashSet::new();
    let start = Instant::now();
    loop {
        seen.extend(descendants(pid));
        if seen.iter().any(|(p, _)| cmdline(*p).contains(marker)) {
            break;
        }
        assert!(
            runner.try_wait().unwrap().is_none(),
            "the runner ended before {marker} ran"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{marker} never ran under the runner: {:?}",
            seen.iter().map(|(p, _)| cmdline(*p)).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // The watchdog looks every 50 ms: give it a few looks on a loaded machine.
    std::thread::sleep(Duration::from_millis(300));
    seen.extend(descendants(pid));
    runner.kill().unwrap();
    runner.wait().unwrap();
    let left = survivors(&seen, Duration::from_secs(3));
    assert!(
        left.is_empty(),
        "still running 3 s after kill -9 of the runner: {left:?}"
    );
}

/// Wait until `path` no longer exists; fail the test after `limit`.
fn gone_within(path: &Path, limit: Duration) {
    let start = Instant::now();
    while path.exists() {
        assert!(start.elapsed() < limit, "{} was left", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_apps_background_child_dies_with_the_killed_runner() {
    let dir = tempfile::tempdir().unwrap();
    kill_runner_when(
        dir.path(),
        &[
            "--build.cmd",
            "true",
            "--build.full_bin",
            "sh -c 'sleep 3001 & sleep 3011'",
        ],
        &[],
        "sleep 3001",
    );
}

#[test]
fn a_sleep_in_build_cmd_dies_with_the_killed_runner() {
    let dir = tempfile::tempdir().unwrap();
    kill_runner_when(
        dir.path(),
        &["--build.cmd", "sleep 3002; true"],
        &[],
        "sleep 3002",
    );
}

#[test]
fn go_builds_compilers_die_with_the_killed_runner() {
    let project = copy_fixture("stdlib-healthy");
    // A cold cache and -a: go compiles the standard library, seconds of compiler children.
    let cache = tempfile::tempdir().unwrap();
    kill_runner_when(
        project.path(),
        &[],
        &[
            ("GOCACHE", cache.path().to_str().unwrap()),
            ("GOFLAGS", "-a"),
        ],
        "/compile ",
    );
}

#[test]
fn a_setsid_child_dies_with_the_killed_runner() {
    let dir = tempfile::tempdir().unwrap();
    kill_runner_when(
        dir.path(),
        &[
            "--build.cmd",
            "true",
            "--build.full_bin",
            "sh -c 'setsid sleep 3004 & sleep 3014'",
        ],
        &[],
        "sleep 3004",
    );
}

/// Every running process whose command line is `cmd` exactly.
fn processes_running(cmd: &str) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| common::tree::running(*pid).is_some() && cmdline(*pid) == cmd)
        .collect()
}

#[test]
fn children_orphaned_faster_than_any_watchdog_looks_die_with_the_killed_runner() {
    // Every 10 ms a new `sleep` leaves its parent and its session at once: the moment the
    // runner dies it is adopted by init, before any look at the process tree can see it. A
    // cgroup holds it all the same (where the runner can make one; else the watchdog's
    // freeze-and-widen catches what it can, and this is not promised).
    let dir = tempfile::tempdir().unwrap();
    let marker = "sleep 3006";
    let enclosed = common::tree::cgroup_v2_writable();
    kill_runner_when(
        dir.path(),
        &[
            "--build.cmd",
            "true",
            "--build.full_bin",
            &format!("sh -c 'while :; do (setsid {marker} &); sleep 0.01; done'"),
        ],
        &[],
        marker,
    );
    std::thread::sleep(Duration::from_millis(500));
    let left = processes_running(marker);
    for pid in &left {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(*pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    match enclosed {
        true => assert_eq!(left, Vec::<i32>::new(), "escaped the killed runner"),
        false => eprintln!("no writable cgroup v2 here: {} escaped", left.len()),
    }
}

#[test]
fn the_runner_and_its_app_share_a_cgroup_of_their_own_that_goes_with_them() {
    if !common::tree::cgroup_v2_writable() {
        eprintln!("no writable cgroup v2 here: the watchdog's records are all there is");
        return;
    }
    let project = copy_fixture("stdlib-healthy");
    let mut r = common::runner::Runner::start(project.path(), &[]);
    r.wait_for("serving", common::runner::BUILD_WAIT);
    let runner = r.pid();
    let path = cgroup_of(runner as u32);
    assert!(
        path.ends_with(&format!("/reload-doctor-run-{runner}")),
        "{path}"
    );
    let app = descendants(runner)
        .into_iter()
        .find(|(p, _)| cmdline(*p).contains("tmp/main"))
        .expect("the app runs under the runner");
    assert_eq!(
        cgroup_of(app.0 as u32),
        path,
        "the app is in the runner's cgroup"
    );
    // An orderly stop: the runner moves itself out before its watchdog empties the cgroup,
    // so it ends by its own exit, not by that kill.
    let status = r.terminate();
    assert_eq!(status.code(), Some(143), "{status:?}");
    let folder = common::tree::cgroup2_mount()
        .unwrap()
        .join(path.trim_start_matches('/'));
    gone_within(&folder, Duration::from_secs(5));
}
