use super::*;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use serde_json::Value;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Kills a whole process group on drop (the processes a test started, including children
/// that outlived their parent), then reaps the direct child if there is one.
pub struct Group {
    pub pgid: i32,
    child: Option<Child>,
}

impl Drop for Group {
    fn drop(&mut self) {
        let _ = killpg(Pid::from_raw(self.pgid), Signal::SIGKILL);
        if let Some(c) = &mut self.child {
            let _ = c.wait();
        }
    }
}

/// Spawn `cmd` as the leader of a new process group.
pub fn spawn(mut cmd: Command) -> Group {
    let child = cmd
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    Group {
        pgid: child.id() as i32,
        child: Some(child),
    }
}

/// A private copy of stdlib-healthy with its app built into `tmp/main`.
pub fn built_fixture() -> tempfile::TempDir {
    let copy = copy_fixture("stdlib-healthy");
    let out = Command::new("go")
        .args(["build", "-o", "tmp/main", "."])
        .current_dir(copy.path())
        .output()
        .expect("run go build");
    assert!(out.status.success(), "go build: {}", stderr(&out));
    copy
}

/// Start the fixture's `tmp/main` on `port`, orphaned exactly like an app whose reloader
/// was killed.
pub fn start_orphaned_app(project: &Path, port: u16) -> (Group, i32) {
    let started = spawn_orphan(project, &format!("PORT={port} tmp/main"));
    wait_listening(port);
    started
}

/// Run `command` through `sh -c '... &'`: sh exits at once, so the command is orphaned
/// (adopted by pid 1), and in a new session without a terminal (as after its terminal
/// closed), also when the tests run in one. Returns its pid, in a group the guard kills.
pub fn spawn_orphan(dir: &Path, command: &str) -> (Group, i32) {
    let mut sh = Command::new("sh");
    sh.args(["-c", &format!("{command} >/dev/null 2>&1 & echo $!")])
        .current_dir(dir);
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        sh.pre_exec(|| nix::unistd::setsid().map(|_| ()).map_err(Into::into));
    }
    let out = sh.output().expect("run sh");
    let pid: i32 = stdout(&out).trim().parse().expect("pid from sh");
    // The group outlives sh: it still holds the command.
    (
        Group {
            pgid: pid_pgid(pid),
            child: None,
        },
        pid,
    )
}

pub fn pid_pgid(pid: i32) -> i32 {
    stat_field(pid, 5)
}

/// Field `n` (1-based, as in proc(5)) of `/proc/PID/stat`.
pub fn stat_field<T: std::str::FromStr>(pid: i32, n: usize) -> T
where
    T::Err: std::fmt::Debug,
{
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read stat");
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    after.split(' ').nth(n - 3).unwrap().parse().unwrap()
}

/// A directory holding `air`, a symlink to perl: what it runs shows up as comm "air".
pub fn fake_air() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let air = dir.path().join("air");
    std::os::unix::fs::symlink("/usr/bin/perl", &air).unwrap();
    (dir, air)
}

/// The finding whose evidence names `pid` under `key`.
pub fn finding_for<'a>(check: &'a Value, key: &str, pid: i32) -> &'a Value {
    findings(check)
        .iter()
        .find(|f| f["evidence"][key] == pid)
        .unwrap_or_else(|| panic!("no finding with {key} = {pid}: {check:#}"))
}
