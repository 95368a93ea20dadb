//! port-busy, zombies and stale-processes against real processes and real sockets: a built
//! fixture app orphaned on a port, foreign listeners (also of uid 65534), real zombies, and
//! fake reloaders (perl run through a symlink named `air`, so the kernel records comm "air").

mod common;

use common::*;
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use serde_json::Value;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills a whole process group on drop (the processes a test started, including children
/// that outlived their parent), then reaps the direct child if there is one.
struct Group {
    pgid: i32,
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
fn spawn(mut cmd: Command) -> Group {
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
fn built_fixture() -> tempfile::TempDir {
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
fn start_orphaned_app(project: &Path, port: u16) -> (Group, i32) {
    let started = spawn_orphan(project, &format!("PORT={port} tmp/main"));
    wait_listening(port);
    started
}

/// Run `command` through `sh -c '... &'`: sh exits at once, so the command is orphaned
/// (adopted by pid 1), and in a new session without a terminal (as after its terminal
/// closed), also when the tests run in one. Returns its pid, in a group the guard kills.
fn spawn_orphan(dir: &Path, command: &str) -> (Group, i32) {
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

fn pid_pgid(pid: i32) -> i32 {
    stat_field(pid, 5)
}

/// Field `n` (1-based, as in proc(5)) of `/proc/PID/stat`.
fn stat_field<T: std::str::FromStr>(pid: i32, n: usize) -> T
where
    T::Err: std::fmt::Debug,
{
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read stat");
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    after.split(' ').nth(n - 3).unwrap().parse().unwrap()
}

/// A directory holding `air`, a symlink to perl: what it runs shows up as comm "air".
fn fake_air() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let air = dir.path().join("air");
    std::os::unix::fs::symlink("/usr/bin/perl", &air).unwrap();
    (dir, air)
}

/// The finding whose evidence names `pid` under `key`.
fn finding_for<'a>(check: &'a Value, key: &str, pid: i32) -> &'a Value {
    findings(check)
        .iter()
        .find(|f| f["evidence"][key] == pid)
        .unwrap_or_else(|| panic!("no finding with {key} = {pid}: {check:#}"))
}

fn port_busy(project: &Path, port: u16) -> (i32, Value) {
    let (code, report) = json_report(
        project,
        &["--only", "port-busy", "--port", &port.to_string()],
    );
    (code, check(&report, "port-busy").clone())
}

#[test]
fn left_behind_build_on_the_port_fails_with_a_safe_stop_fix() {
    let project = built_fixture();
    let port = free_port();
    let (_app, pid) = start_orphaned_app(project.path(), port);

    let (code, c) = port_busy(project.path(), port);
    assert_eq!(code, 1);
    assert_eq!(c["status"], "fail", "{c:#}");
    let f = finding_for(&c, "pid", pid);
    assert_eq!(f["evidence"]["class"], "left-behind-build");
    assert_eq!(f["evidence"]["port"], port);
    assert!(f["evidence"]["cwd"].as_str().unwrap().ends_with(
        project
            .path()
            .canonicalize()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
    ));
    let fix = &f["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["needs_root"], false);
    let action = &fix["action"];
    assert_eq!(action["kind"], "stop-process");
    assert_eq!(action["pid"], pid);
    assert_eq!(action["start_time"], stat_field::<u64>(pid, 22));
    assert_eq!(action["signal"], "SIGTERM");
    assert_eq!(action["escalate"], true);
    assert!(action["exe"].as_str().unwrap().ends_with("/tmp/main"));
    assert!(c["summary"]
        .as_str()
        .unwrap()
        .contains(&format!("pid {pid} tmp/main")));
}

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
fn foreign_listener_is_named_and_gets_only_an_unsafe_fix() {
    let project = copy_fixture("stdlib-healthy");
    let port = free_port();
    let elsewhere = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.args([
        "-m",
        "http.server",
        "--bind",
        "127.0.0.1",
        &port.to_string(),
    ])
    .current_dir(elsewhere.path());
    let server = spawn(cmd);
    wait_listening(port);

    let (code, c) = port_busy(project.path(), port);
    assert_eq!(code, 1);
    let f = finding_for(&c, "pid", server.pgid);
    assert_eq!(f["evidence"]["class"], "other-program");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("python3 -m http.server"));
    assert_eq!(f["fix"]["applicability"], "unsafe");
    assert_eq!(
        f["fix"]["summary"],
        format!(
            "kill {0}  # python3 -m http.server --bind 127.0.0.1 {port}, pid {0}, user root",
            server.pgid
        )
    );
    assert_eq!(f["fix"]["action"]["pid"], server.pgid);
}

#[test]
fn listener_of_user_nobody_is_another_users_with_no_automatic_fix() {
    let project = copy_fixture("stdlib-healthy");
    let port = free_port();
    let mut cmd = Command::new("/usr/bin/perl");
    cmd.args([
        "-MIO::Socket::INET",
        "-e",
        "my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => shift, Listen => 5) or die $!; sleep 60",
        &port.to_string(),
    ])
    .current_dir("/")
    .uid(65534)
    .gid(65534);
    let server = spawn(cmd);
    wait_listening(port);

    let (_, c) = port_busy(project.path(), port);
    assert_eq!(c["status"], "fail");
    let f = finding_for(&c, "pid", server.pgid);
    assert_eq!(f["evidence"]["user"], "nobody");
    let fix = &f["fix"];
    assert_eq!(fix["applicability"], "manual");
    assert_eq!(fix["needs_root"], true);
    assert_eq!(fix["action"]["kind"], "manual");
    assert!(fix["summary"]
        .as_str()
        .unwrap()
        .starts_with(&format!("sudo kill {}", server.pgid)));
    assert!(fix["summary"].as_str().unwrap().contains("user nobody"));
}

#[test]
fn doctor_as_another_user_reports_an_unreadable_holder_by_uid_as_partial() {
    let project = copy_fixture("stdlib-healthy");
    std::fs::set_permissions(
        project.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let port = free_port();
    let mut cmd = Command::new("/usr/bin/python3");
    cmd.args([
        "-m",
        "http.server",
        "--bind",
        "127.0.0.1",
        &port.to_string(),
    ])
    .current_dir("/");
    let _server = spawn(cmd);
    wait_listening(port);

    let out = Command::new(bin())
        .args(["--json", "--project", project.path().to_str().unwrap()])
        .args(["--only", "port-busy", "--port", &port.to_string()])
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", stdout(&out), stderr(&out)));
    let c = check(&report, "port-busy");
    assert_eq!(c["status"], "fail", "{c:#}");
    let f = &findings(c)[0];
    assert_eq!(f["evidence"]["class"], "unknown-holder");
    assert_eq!(f["evidence"]["partial"], true);
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("held by a process of another user (root, uid 0)"));
    assert!(c["summary"].as_str().unwrap().starts_with("at least"));
    assert_eq!(f["fix"]["applicability"], "manual");
}

#[test]
fn a_socket_shared_by_fork_names_both_holders() {
    let project = copy_fixture("stdlib-healthy");
    let port = free_port();
    let mut cmd = Command::new("/usr/bin/perl");
    // Listen on IPv6 loopback, then fork: parent and child hold the same socket.
    cmd.args([
        "-MIO::Socket::IP",
        "-e",
        "my $s = IO::Socket::IP->new(LocalHost => '::1', LocalPort => shift, Listen => 5) or die $!; fork; sleep 60",
        &port.to_string(),
    ])
    .current_dir("/");
    let server = spawn(cmd);
    let start = Instant::now();
    while TcpStream::connect(("::1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nothing on [::1]:{port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100)); // let the fork happen

    let (_, c) = port_busy(project.path(), port);
    let pids: Vec<i64> = findings(&c)
        .iter()
        .map(|f| f["evidence"]["pid"].as_i64().unwrap())
        .collect();
    assert_eq!(pids.len(), 2, "{c:#}");
    assert!(pids.contains(&(server.pgid as i64)), "{pids:?}");
    let f = finding_for(&c, "pid", server.pgid);
    assert_eq!(f["evidence"]["addresses"][0], format!("[::1]:{port}"));
}

#[test]
fn nothing_listening_passes() {
    let project = copy_fixture("stdlib-healthy");
    let port = free_port();
    let (code, c) = port_busy(project.path(), port);
    assert_eq!(code, 0);
    assert_eq!(c["status"], "pass");
    assert_eq!(c["summary"], format!("nothing listens on :{port}"));
}

#[test]
fn app_under_a_live_reloader_of_this_project_passes() {
    let project = built_fixture();
    let port = free_port();
    let (_bin, air) = fake_air();
    // A reloader that runs the app as its child and waits, like air without the sh -c.
    let mut cmd = Command::new(&air);
    cmd.args(["-e", "system('tmp/main'); sleep 60"])
        .env("PORT", port.to_string())
        .current_dir(project.path());
    let reloader = spawn(cmd);
    wait_listening(port);

    let (code, c) = port_busy(project.path(), port);
    assert_eq!(code, 0, "{c:#}");
    assert_eq!(c["status"], "pass");
    assert_eq!(c["evidence"]["holders"][0]["class"], "served-by-reloader");
    assert_eq!(c["evidence"]["holders"][0]["reloader_pid"], reloader.pgid);
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .contains(&format!("under air (pid {})", reloader.pgid)),
        "{c:#}"
    );
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

#[test]
fn out_of_range_proxy_port_in_air_toml_is_a_finding_not_a_crash() {
    let project = copy_fixture("stdlib-healthy");
    std::fs::write(
        project.path().join(".air.toml"),
        "[proxy]\nenabled = true\napp_port = 70000\nproxy_port = 0\n",
    )
    .unwrap();
    let (code, report) = json_report(project.path(), &["--only", "port-busy"]);
    assert_eq!(code, 1);
    let c = check(&report, "port-busy");
    let messages: Vec<&str> = findings(c)
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains(".air.toml: proxy.app_port = 70000 is not a TCP port")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("proxy_port is not set")),
        "{messages:?}"
    );
}

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

/// A gin project whose Makefile runs `gin -p PROXY -a APP run`, with its app built.
fn gin_project(proxy: u16, app: u16) -> tempfile::TempDir {
    let project = built_fixture();
    std::fs::write(
        project.path().join("Makefile"),
        format!("dev:\n\tgin -p {proxy} -a {app} run main.go\n"),
    )
    .unwrap();
    project
}

/// codegangsta/gin cannot be installed here (its dependencies predate modules), so a stand-in
/// plays it: perl through a symlink named `gin`, listening on the proxy port and running the
/// app on the app port, from the project folder, as gin does.
#[test]
fn gin_stand_in_proxy_port_and_app_port_are_both_checked_and_pass() {
    let (proxy, app) = (free_port(), free_port());
    let project = gin_project(proxy, app);
    let bin = tempfile::tempdir().unwrap();
    let gin = bin.path().join("gin");
    std::os::unix::fs::symlink("/usr/bin/perl", &gin).unwrap();
    let mut cmd = Command::new(&gin);
    cmd.args([
        "-MIO::Socket::INET",
        "-e",
        &format!("my $s = IO::Socket::INET->new(LocalPort => {proxy}, Listen => 5, ReuseAddr => 1) or die; system('tmp/main'); sleep 60"),
    ])
    .env("PORT", app.to_string())
    .current_dir(project.path());
    let reloader = spawn(cmd);
    wait_listening(proxy);
    wait_listening(app);

    let (code, report) = json_report(project.path(), &["--only", "port-busy"]);
    let c = check(&report, "port-busy");
    assert_eq!(code, 0, "{c:#}");
    assert_eq!(report["project"]["port"], app);
    assert_eq!(report["project"]["port_source"], "gin");
    assert_eq!(c["evidence"]["ports"], serde_json::json!([app, proxy]));
    let class = |port: u16| {
        c["evidence"]["holders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["port"] == port)
            .map(|h| h["class"].clone())
            .unwrap_or_else(|| panic!("no holder on {port}: {c:#}"))
    };
    assert_eq!(class(proxy), "project-reloader");
    assert_eq!(class(app), "served-by-reloader");
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .contains(&format!(":{proxy} served by gin (pid {})", reloader.pgid)),
        "{c:#}"
    );
}

#[test]
fn foreign_listener_on_gins_proxy_port_fails_as_the_gin_proxy() {
    let (proxy, app) = (free_port(), free_port());
    let project = gin_project(proxy, app);
    let mut cmd = Command::new("python3");
    cmd.args([
        "-m",
        "http.server",
        "--bind",
        "127.0.0.1",
        &proxy.to_string(),
    ]);
    let foreign = spawn(cmd);
    wait_listening(proxy);

    let (code, report) = json_report(project.path(), &["--only", "port-busy"]);
    let c = check(&report, "port-busy");
    assert_eq!(code, 1, "{c:#}");
    let f = finding_for(c, "pid", foreign.pgid);
    assert_eq!(f["evidence"]["port_role"], "gin proxy");
    assert_eq!(f["evidence"]["class"], "other-program");
    assert_eq!(f["fix"]["applicability"], "unsafe");
}
