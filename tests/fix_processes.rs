//! `--fix` on processes end to end: a real build of a fixture, real sockets, a real orphan.

mod common;

use common::{bin, code, copy_fixture, free_port, stderr, stdout, wait_listening};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// Build the fixture in `project` to `tmp/main`, where air puts it.
fn build(project: &Path) -> PathBuf {
    let out = Command::new("go")
        .args(["build", "-o", "tmp/main", "."])
        .current_dir(project)
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("run go build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    project.join("tmp/main")
}

fn listening(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Kills the pid when the test ends, whatever happened.
struct Reap(i32);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.0),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

/// Start `exe` on `port` from a shell that exits at once: the app is left behind, adopted by
/// init, as when a reloader's terminal is closed.
fn orphan(exe: &Path, port: u16) -> Reap {
    let out = Command::new("sh")
        .args(["-c", "\"$0\" >/dev/null 2>&1 & echo $!"])
        .arg(exe)
        .env("PORT", port.to_string())
        .output()
        .unwrap();
    let pid: i32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    wait_listening(port);
    Reap(pid)
}

fn fix(project: &Path, port: u16, args: &[&str]) -> Output {
    Command::new(bin())
        .args(["--project", project.to_str().unwrap()])
        .args(["--port", &port.to_string(), "--only", "port-busy", "--fix"])
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("run reload-doctor")
}

#[test]
fn left_behind_build_on_the_port_is_stopped_by_fix() {
    let project = copy_fixture("stdlib-healthy");
    let exe = build(project.path());
    let port = free_port();
    let app = orphan(&exe, port);

    let o = fix(project.path(), port, &[]);
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}\n{}", stderr(&o));
    assert!(out.contains(&format!("will stop pid {}", app.0)), "{out}");
    assert!(
        out.contains(&format!("applied: stopped pid {}", app.0)),
        "{out}"
    );
    assert!(out.contains("by SIGTERM"), "{out}");
    assert!(!listening(port), ":{port} is still taken");
    assert!(stdout(&fix(project.path(), port, &[])).contains("nothing to fix"));
}

#[test]
fn foreign_listener_is_stopped_only_with_unsafe() {
    let project = copy_fixture("stdlib-healthy");
    let built = build(project.path());
    // The same program, but another project's: copied outside this one.
    let elsewhere = tempfile::tempdir().unwrap();
    let exe = elsewhere.path().join("server");
    std::fs::copy(&built, &exe).unwrap();
    let port = free_port();
    let mut foreign: Child = Command::new(&exe)
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _reap = Reap(foreign.id() as i32);
    wait_listening(port);

    let o = fix(project.path(), port, &[]);
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "the port is still taken: {out}");
    assert!(out.contains("not without --unsafe"), "{out}");
    assert!(!out.contains("Applying"), "{out}");
    assert!(
        foreign.try_wait().unwrap().is_none(),
        "a safe --fix stopped it"
    );
    assert!(listening(port));

    let o = fix(project.path(), port, &["--unsafe"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}\n{}", stderr(&o));
    assert!(
        out.contains(&format!("applied: stopped pid {}", foreign.id())),
        "{out}"
    );
    foreign.wait().unwrap();
    assert!(!listening(port));
}
