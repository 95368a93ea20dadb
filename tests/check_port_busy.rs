//! port-busy: who holds the app port (and gin's proxy port), against real processes and real
//! sockets: a built fixture app orphaned on a port, foreign listeners (also of uid 65534), and
//! `--fix` stopping only what is the project's.

mod common;
/// Only its `air()` (the real air binary) is used here.
#[path = "../checks/tests/air_oracle/oracle.rs"]
#[allow(dead_code)]
mod oracle;

use common::processes::*;
use common::*;
use reload_doctor_checks as checks;
use serde_json::Value;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn port_busy(project: &Path, port: u16) -> (i32, Value) {
    let (code, report) = json_report(
        project,
        &["--only", "port-busy", "--port", &port.to_string()],
    );
    (code, check(&report, "port-busy").clone())
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
    common::schema::assert_report(&report);
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
        messages
            .iter()
            .any(|m| m.contains("proxy_port 0 or unset") && m.contains("a port the kernel picks")),
        "{messages:?}"
    );
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

    // The report, --dry-run and --fix count it the same way: fixable with --unsafe only.
    let report = Command::new(bin())
        .args(["--project", project.path().to_str().unwrap()])
        .args(["--port", &port.to_string(), "--only", "port-busy"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let closing = stdout(&report);
    assert!(
        closing
            .trim_end()
            .ends_with("· 1 fixable with `--fix --unsafe`"),
        "{closing}"
    );
    let (_, v) = json_report(
        project.path(),
        &["--port", &port.to_string(), "--only", "port-busy"],
    );
    assert_eq!(v["summary"]["fixable"], 1, "{v:#}");
    assert_eq!(v["summary"]["fixable_unsafe"], 1, "{v:#}");
    let out = stdout(&fix(project.path(), port, &["--dry-run", "--unsafe"]));
    // The exact signals, to which pid and program.
    assert!(
        out.contains(&format!(
            "will stop pid {} ({}) with SIGTERM, then SIGKILL if it is still running after 3 s",
            foreign.id(),
            exe.display()
        )),
        "{out}"
    );
    assert!(out.contains("dry run: nothing was changed"), "{out}");
    let out = stdout(&fix(project.path(), port, &["--dry-run"]));
    assert!(
        out.contains("Plan: 1 fixable with `--fix --unsafe`")
            && out.contains("nothing to fix without --unsafe: 1 fixable with `--fix --unsafe`"),
        "{out}"
    );
    let o = fix(project.path(), port, &[]);
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "the port is still taken: {out}");
    assert!(out.contains("not without --unsafe"), "{out}");
    assert!(
        out.contains("nothing to fix without --unsafe: 1 fixable with `--fix --unsafe`"),
        "{out}"
    );
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
        out.contains("Plan: 1 fixable with `--fix --unsafe`"),
        "{out}"
    );
    assert!(out.contains("\n1 fixed, no problems left\n"), "{out}");
    assert!(
        out.contains(&format!("applied: stopped pid {}", foreign.id())),
        "{out}"
    );
    foreign.wait().unwrap();
    assert!(!listening(port));
}

/// `[proxy] enabled = true` with `proxy_port = 0`: the real air v1.67.4 listens on a port the
/// kernel picks (and prints `localhost:0`); the report says so, where it said air's proxy could
/// not listen.
#[test]
fn an_enabled_proxy_on_port_0_listens_where_the_kernel_picks_as_air_does() {
    let project = copy_fixture("stdlib-healthy");
    let app = free_port();
    std::fs::write(
        project.path().join(".air.toml"),
        format!("[proxy]\nenabled = true\nproxy_port = 0\napp_port = {app}\n"),
    )
    .unwrap();
    let (_, c) = port_busy(project.path(), app);
    let f = findings(&c)
        .iter()
        .find(|f| f["evidence"]["key"] == "proxy.proxy_port")
        .unwrap_or_else(|| panic!("{c:#}"));
    assert_eq!(f["severity"], "warn");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("a port the kernel picks") && message.contains("localhost:0"),
        "{message}"
    );

    // What air itself does with it.
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("air.log");
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "exec \"$0\" >\"$1\" 2>&1"])
        .arg(oracle::air())
        .arg(&log)
        .current_dir(project.path())
        .env("PORT", app.to_string());
    let air = spawn(cmd);
    let deadline = Instant::now() + Duration::from_secs(90);
    let ports = loop {
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        let ports = checks::system::sockets::ports_of(Path::new("/proc"), &[air.pgid]);
        if said.contains("Proxy server listening on http://localhost:0") && !ports.is_empty() {
            break ports;
        }
        assert!(Instant::now() < deadline, "air never listened: {said}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        ports.iter().all(|p| *p != 0 && *p != app),
        "air's proxy listens on {ports:?}"
    );
}
