//! `kill -9` of `reload-doctor run` leaves nothing running: not what the app sent to the
//! background, not a `sleep` in build.cmd, not `go build`'s compilers, not a `setsid` child.
//! Only the runner's direct children get the parent-death signal; the rest is the watchdog's
//! work (src/run/watchdog.rs).

mod common;

use common::tree::{cmdline, descendants, survivors};
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
    // Nor its go build trace file.
    let trace = std::env::temp_dir().join(format!("reload-doctor-{pid}-trace.json"));
    let start = Instant::now();
    while trace.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{} was left",
            trace.display()
        );
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
