//! A repository the user did not write must not be able to turn `--fix` (without `--unsafe`)
//! against a process that is not this project's own build, or make the doctor signal an
//! unrelated process at all. Real builds, real orphans, real sockets, real zombies.

mod common;

use common::{bin, code, copy_fixture, free_port, stderr, stdout, wait_listening};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Kills the process and its process group when the test ends, whatever happened. (An
/// orphan's group is the one of the shell that started it, long gone: the group kill alone
/// missed it, and the suite left those daemons running.)
struct Reap(i32);

impl Drop for Reap {
    fn drop(&mut self) {
        use nix::sys::signal::{kill, killpg, Signal::SIGKILL};
        let pid = nix::unistd::Pid::from_raw(self.0);
        let _ = killpg(pid, SIGKILL);
        let _ = kill(pid, SIGKILL);
    }
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s[s.rfind(')').unwrap()..].starts_with(") Z"))
        .unwrap_or(false)
}

/// The stdlib-healthy app built into a folder outside any project: "some daemon".
fn foreign_server() -> (tempfile::TempDir, PathBuf) {
    let src = copy_fixture("stdlib-healthy");
    let elsewhere = tempfile::tempdir().unwrap();
    let exe = elsewhere.path().join("daemon");
    let out = Command::new("go")
        .args(["build", "-o"])
        .arg(&exe)
        .arg(".")
        .current_dir(src.path())
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("run go build");
    assert!(out.status.success(), "{}", stderr(&out));
    (elsewhere, exe)
}

/// Start `exe` on `port`, orphaned (adopted by pid 1, no terminal, its own session): exactly
/// what a left-behind build looks like, except that it is not this project's.
fn orphan(exe: &Path, port: u16) -> (Reap, i32) {
    let mut sh = Command::new("sh");
    sh.args(["-c", "\"$0\" >/dev/null 2>&1 & echo $!"])
        .arg(exe)
        .current_dir("/")
        .env("PORT", port.to_string());
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        sh.pre_exec(|| nix::unistd::setsid().map(|_| ()).map_err(Into::into));
    }
    let out = sh.output().unwrap();
    let pid: i32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    wait_listening(port);
    (Reap(pid), pid)
}

fn fix(project: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(["--project", project.to_str().unwrap(), "--fix"])
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .output()
        .expect("run reload-doctor")
}

/// A project whose `.air.toml` is `toml`.
fn project_with(toml: &str) -> tempfile::TempDir {
    let p = copy_fixture("stdlib-healthy");
    std::fs::write(p.path().join(".air.toml"), toml).unwrap();
    p
}

fn assert_untouched(o: &Output, pid: i32) {
    let out = stdout(o);
    assert!(
        alive(pid),
        "a --fix without --unsafe stopped pid {pid}:\n{out}"
    );
    assert!(
        !out.contains(&format!("stopped pid {pid}")),
        "{out}\n{}",
        stderr(o)
    );
    assert!(
        !out.contains("this project's build"),
        "pid {pid} was called this project's build:\n{out}"
    );
}

#[test]
fn absolute_tmp_dir_does_not_make_a_foreign_daemon_this_projects_build() {
    let (_dir, exe) = foreign_server();
    let port = free_port();
    let (_reap, pid) = orphan(&exe, port);
    let project = project_with("tmp_dir = \"/\"\n");
    let o = fix(
        project.path(),
        &[
            "--port",
            &port.to_string(),
            "--only",
            "port-busy,stale-processes",
        ],
    );
    assert_untouched(&o, pid);
    assert_eq!(code(&o), 1, "the port is still taken: {}", stdout(&o));
}

#[test]
fn absolute_bin_naming_a_program_outside_the_project_is_not_this_projects_build() {
    let (_dir, exe) = foreign_server();
    let port = free_port();
    let (_reap, pid) = orphan(&exe, port);
    let project = project_with(&format!(
        "[build]\nbin = \"{}\"\nfull_bin = \"{}\"\n",
        exe.display(),
        exe.display()
    ));
    let o = fix(
        project.path(),
        &[
            "--port",
            &port.to_string(),
            "--only",
            "port-busy,stale-processes",
        ],
    );
    assert_untouched(&o, pid);
}

#[test]
fn proxy_app_port_chosen_by_the_repo_cannot_aim_a_safe_fix_at_a_daemon() {
    let (_dir, exe) = foreign_server();
    let port = free_port();
    let (_reap, pid) = orphan(&exe, port);
    let project = project_with(&format!(
        "tmp_dir = \"/tmp\"\n[proxy]\nenabled = true\napp_port = {port}\nproxy_port = {}\n",
        free_port()
    ));
    let o = fix(project.path(), &["--only", "port-busy,stale-processes"]);
    assert_untouched(&o, pid);
    // The report names the setting that points outside the project.
    let o = Command::new(bin())
        .args(["--project", project.path().to_str().unwrap()])
        .args(["--only", "reloader-config"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(
        out.contains("tmp_dir") && out.contains("outside the project"),
        "{out}"
    );
}

#[test]
fn a_fix_sends_no_sigchld_to_an_unrelated_parent_of_zombies() {
    let project = copy_fixture("stdlib-healthy");
    // A parent that never reaps: its child exits at once and stays a zombie. Not hot reload.
    let mut cmd = Command::new("/usr/bin/perl");
    cmd.args([
        "-e",
        "$SIG{CHLD} = sub { print STDERR qq(got SIGCHLD\\n) }; fork or exit; sleep 1 while 1",
    ])
    .current_dir("/")
    .process_group(0)
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    let parent = cmd.spawn().unwrap();
    let _reap = Reap(parent.id() as i32);
    // Wait for the zombie (perl may start slowly on a loaded machine): the kernel's SIGCHLD
    // has then been sent.
    let zombie = || {
        std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", parent.id()))
            .unwrap_or_default()
            .split_whitespace()
            .any(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .is_ok_and(|s| s.rsplit_once(") ").is_some_and(|(_, r)| r.starts_with('Z')))
            })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !zombie() {
        assert!(std::time::Instant::now() < deadline, "perl made no zombie");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Give perl's deferred signal handler a moment to print.
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..2 {
        let o = fix(project.path(), &["--only", "zombies"]);
        let out = stdout(&o);
        assert!(
            !out.contains(&format!("sent SIGCHLD to pid {}", parent.id())),
            "{out}"
        );
    }
    let _ = nix::sys::signal::killpg(
        nix::unistd::Pid::from_raw(parent.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    );
    let out = parent.wait_with_output().unwrap();
    // One SIGCHLD: the kernel's, when its child exited.
    let got = String::from_utf8_lossy(&out.stderr)
        .matches("got SIGCHLD")
        .count();
    assert_eq!(got, 1, "the unrelated parent was signalled");
}

#[test]
fn a_left_behind_build_replaced_by_a_rebuild_is_still_this_projects() {
    let project = copy_fixture("stdlib-healthy");
    let go_build = || {
        let out = Command::new("go")
            .args(["build", "-o", "tmp/main", "."])
            .current_dir(project.path())
            .env("GOTOOLCHAIN", "local")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    go_build();
    let port = free_port();
    let (_reap, pid) = orphan(&project.path().join("tmp/main"), port);
    // A rebuild replaces the file: the old app now runs a deleted image.
    std::fs::remove_file(project.path().join("tmp/main")).unwrap();
    go_build();
    let link = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap();
    assert!(link.to_string_lossy().ends_with(" (deleted)"), "{link:?}");
    let o = fix(
        project.path(),
        &["--port", &port.to_string(), "--only", "port-busy"],
    );
    let out = stdout(&o);
    assert!(
        out.contains(&format!("applied: stopped pid {pid}")),
        "{out}"
    );
    assert_eq!(code(&o), 0, "{out}");
}

/// A project whose build.cmd names `./evil.sh` every way go could run it; the script leaves
/// a mark when anything runs it.
fn evil_build_project(cmd: &str) -> tempfile::TempDir {
    let project = copy_fixture("stdlib-healthy");
    let script = project.path().join("evil.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n",
            project.path().join("PWNED").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        project.path().join(".air.toml"),
        format!("[build]\ncmd = \"{cmd}\"\n"),
    )
    .unwrap();
    project
}

#[test]
fn a_plain_report_runs_no_program_build_cmd_names() {
    let evil = "./evil.sh";
    for cmd in [
        format!("go build -toolexec={evil} -o ./tmp/main ."),
        format!("CC={evil} CGO_ENABLED=1 go build -ldflags='-linkmode=external -extld={evil}' -o ./tmp/main ."),
        format!("GOFLAGS=-toolexec={evil} go build -o ./tmp/main ."),
        format!("go build -exec {evil} -o ./tmp/main ."),
    ] {
        let project = evil_build_project(&cmd);
        let o = Command::new(bin())
            .args(["--json", "--project", project.path().to_str().unwrap()])
            .args(["--only", "compile,reloader-config,toolchain"])
            .output()
            .unwrap();
        let out = stdout(&o);
        assert!(
            !project.path().join("PWNED").exists(),
            "`{cmd}` ran the repository's script: {}",
            std::fs::read_to_string(project.path().join("PWNED")).unwrap()
        );
        assert!(out.contains("not passed to go build"), "`{cmd}`: {out}");
        assert!(out.contains("builds in"), "`{cmd}` did not build: {out}");
    }
}

#[test]
fn a_plain_report_neither_rewrites_go_mod_nor_switches_toolchain() {
    // -mod=mod would add the missing `go` directive and tidy the file; GOTOOLCHAIN asks for
    // a download.
    let project = evil_build_project(
        "GOTOOLCHAIN=go1.99.0 go build -mod=mod -modfile=./alt.mod -o ./tmp/main .",
    );
    let go_mod = project.path().join("go.mod");
    let before = std::fs::read_to_string(&go_mod).unwrap();
    let stripped: String = before
        .lines()
        .filter(|l| !l.starts_with("go "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&go_mod, &stripped).unwrap();
    let o = Command::new(bin())
        .args(["--json", "--project", project.path().to_str().unwrap()])
        .args(["--only", "compile"])
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(std::fs::read_to_string(&go_mod).unwrap(), stripped, "{out}");
    assert!(!project.path().join("alt.mod").exists());
    assert!(out.contains("GOTOOLCHAIN=go1.99.0"), "{out}");
    assert!(!out.contains("go1.99.0: "), "{out}");
}

/// Every regular file under `dir` (links not followed) with its bytes and mtime, and every
/// other entry by kind: equal before and after means nothing there was written.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            let what = if m.is_dir() {
                stack.push(e.path());
                "dir".to_string()
            } else if m.is_file() {
                let bytes = std::fs::read(e.path()).unwrap();
                format!("{} {} {bytes:?}", m.mtime(), m.mtime_nsec())
            } else {
                format!("{:?}", m.file_type())
            };
            out.insert(e.path(), what);
        }
    }
    out
}

/// A plain report on `project`, under `strace -f -e execve` when strace is installed:
/// (the JSON report, every program run as strace shows it: `"path", [argv]...`).
fn traced_report(project: &Path, extra: &[&str]) -> (serde_json::Value, Vec<String>) {
    let trace = tempfile::NamedTempFile::new().unwrap();
    let traced = Command::new("strace").arg("-V").output().is_ok();
    let mut cmd = if traced {
        let mut c = Command::new("strace");
        c.args(["-f", "-qq", "-s", "4096", "-e", "trace=execve", "-o"])
            .arg(trace.path())
            .arg(bin());
        c
    } else {
        Command::new(bin())
    };
    let o = cmd
        .args(["--json", "--project", project.to_str().unwrap()])
        .args(extra)
        .env_remove("PORT")
        .output()
        .unwrap();
    let report = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}\n{}", stdout(&o), stderr(&o)));
    let runs = std::fs::read_to_string(trace.path())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once("execve(").map(|(_, call)| call.to_string()))
        .collect();
    (report, runs)
}

/// Each hostile build.cmd, in a plain report with and without `--no-compile`, in a git
/// checkout whose .git/config runs the script as its fsmonitor: the script never runs (no
/// mark, no execve of it), no external link (gcc given go.o), no file in the project or in
/// the folder the flags aim at changes, the go command shown carries none of it, and the
/// compile finding names what was not passed.
#[test]
fn a_table_of_hostile_build_cmds_runs_and_writes_nothing() {
    let canary = tempfile::tempdir().unwrap();
    let c = canary.path().display().to_string();
    // (build.cmd, a word the go command must not get, what the finding names)
    let table = [
        (
            "go build -o ./tmp/main -- -toolexec=./evil.sh",
            "toolexec",
            "-toolexec=./evil.sh",
        ),
        (
            "go build -o ./tmp/main -- -mod=mod .",
            "mod=mod",
            "-mod=mod",
        ),
        (
            &*format!("go build -ldflags=-o={c}/target -o ./tmp/main ."),
            "-o=",
            "-o=",
        ),
        (
            &*format!("go build -gcflags=./...=-cpuprofile={c}/target -o ./tmp/main ."),
            "cpuprofile",
            "-cpuprofile=",
        ),
        (
            &*format!("go build -ldflags=-memprofile={c}/target -o ./tmp/main ."),
            "memprofile",
            "-memprofile=",
        ),
        (
            &*format!("go build -gcflags=-bench={c}/target -o ./tmp/main ."),
            "bench",
            "-bench=",
        ),
        (
            "go build -ldflags='-linkmode\texternal' -o ./tmp/main .",
            "linkmode",
            "-linkmode external",
        ),
        (
            "go build -toolexec=./evil.sh -o ./tmp/main .",
            "toolexec",
            "-toolexec",
        ),
        ("go build -exec ./evil.sh -o ./tmp/main .", "exec", "-exec"),
        (
            &*format!("go build -overlay={c}/overlay.json -o ./tmp/main ."),
            "overlay",
            "-overlay",
        ),
        (
            &*format!("go build -mod=mod -modfile={c}/alt.mod -o ./tmp/main ."),
            "modfile",
            "-modfile",
        ),
        (
            "CC=./evil.sh CGO_ENABLED=1 go build -o ./tmp/main .",
            "evil",
            "CC=./evil.sh",
        ),
        (
            "GOFLAGS=-toolexec=./evil.sh go build -o ./tmp/main .",
            "toolexec",
            "GOFLAGS=",
        ),
        // go stamps the commit by running git, which runs the repository's core.fsmonitor.
        (
            "go build -buildvcs=true -o ./tmp/main .",
            "buildvcs=true",
            "-buildvcs=true",
        ),
    ];
    for (cmd, never, named) in table {
        for extra in [&[][..], &["--no-compile"][..]] {
            let project = evil_build_project(cmd);
            let root = project.path();
            // exclude_dir hides a folder with Go code, so reloader-config runs `go list` too.
            let toml = format!(
                "[build]\ncmd = {}\nexclude_dir = [\"tmp\", \"handlers\"]\n",
                serde_json::to_string(cmd).unwrap()
            );
            std::fs::write(root.join(".air.toml"), toml).unwrap();
            // Without a `go` line, -mod=mod would add one: a rewrite shows.
            let go_mod = std::fs::read_to_string(root.join("go.mod")).unwrap();
            let stripped: String = go_mod
                .lines()
                .filter(|l| !l.starts_with("go "))
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(root.join("go.mod"), &stripped).unwrap();
            std::fs::write(canary.path().join("alt.mod"), &stripped).unwrap();
            std::fs::write(canary.path().join("target"), "canary\n").unwrap();
            std::fs::write(
                canary.path().join("evil.go"),
                "package main\n\nfunc main() {}\n",
            )
            .unwrap();
            std::fs::write(
                canary.path().join("overlay.json"),
                format!(
                    r#"{{"Replace":{{"{}/main.go":"{c}/evil.go"}}}}"#,
                    root.display()
                ),
            )
            .unwrap();
            // The script leaves its mark outside the project.
            let mark = canary.path().join("PWNED");
            let _ = std::fs::remove_file(&mark);
            std::fs::write(
                root.join("evil.sh"),
                format!(
                    "#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n",
                    mark.display()
                ),
            )
            .unwrap();
            let git = |args: &[&str]| {
                let ok = Command::new("git")
                    .args(["-c", "user.email=t@t", "-c", "user.name=t"])
                    .args(args)
                    .current_dir(root)
                    .output()
                    .is_ok_and(|o| o.status.success());
                assert!(ok, "git {args:?}");
            };
            git(&["init", "-q"]);
            git(&["add", "-A"]);
            git(&["commit", "-qm", "hostile"]);
            git(&["config", "core.fsmonitor", "./evil.sh"]);
            let before = (snapshot(root), snapshot(canary.path()));

            let (report, runs) = traced_report(root, extra);

            let what = format!("`{cmd}` {extra:?}");
            assert!(
                !mark.exists(),
                "{what} ran the repository's script: {}",
                std::fs::read_to_string(&mark).unwrap()
            );
            for run in &runs {
                let program = run.split('"').nth(1).unwrap_or("");
                assert!(
                    !program.starts_with(&*root.display().to_string()) && !run.contains(&c),
                    "{what} ran {run}"
                );
                assert!(!run.contains("/go.o\""), "{what} linked externally: {run}");
                if program.ends_with("/go") {
                    assert!(!run.contains(never), "{what}: go got {run}");
                }
            }
            assert_eq!(
                (snapshot(root), snapshot(canary.path())),
                before,
                "{what} changed a file"
            );
            let compile = common::check(&report, "compile");
            if extra.is_empty() {
                let shown = compile["evidence"]["command"].as_str().unwrap();
                assert!(!shown.contains(never), "{what}: go got {shown}");
                let dropped = compile["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|f| f["evidence"]["dropped"].as_array())
                    .flatten()
                    .map(|d| d.as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                assert!(dropped.contains(named), "{what}: not named: {dropped}");
            }
        }
    }
}

/// The doctor on `project`, killed if it takes longer than `limit`: (finished, output).
fn report_within(project: &Path, args: &[&str], limit: Duration) -> (bool, String) {
    let mut child = Command::new(bin())
        .args(["--project", project.to_str().unwrap()])
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let _reap = Reap(child.id() as i32);
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            return (true, String::from_utf8_lossy(&out.stdout).into_owned());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    (false, String::new())
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
}

#[test]
fn fifos_named_like_project_files_never_hang_the_doctor() {
    for names in [
        &[".air.toml", ".gitignore", "Makefile", ".env"][..],
        &["main.go"][..],
        &["runner.conf"][..],
    ] {
        let project = copy_fixture("stdlib-healthy");
        for name in names {
            mkfifo(&project.path().join(name));
        }
        let (finished, out) = report_within(project.path(), &[], Duration::from_secs(60));
        assert!(finished, "a FIFO named {names:?} hung the doctor");
        if names.contains(&"main.go") {
            assert!(out.contains("main.go is not a regular file"), "{out}");
        }
    }
}

/// go.work (found upward from where go runs) and vendor/modules.txt (read with -mod=vendor)
/// as FIFOs: go would wait on them until the 120 s deadline. The report ends at once and
/// names the file.
#[test]
fn a_fifo_the_go_command_reads_first_is_named_and_nothing_waits_on_it() {
    for (file, cmd) in [
        ("go.work", "go build -o ./tmp/main ."),
        ("vendor/modules.txt", "go build -mod vendor -o ./tmp/main ."),
    ] {
        let project = evil_build_project(cmd);
        let path = project.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        mkfifo(&path);
        let (finished, out) = report_within(project.path(), &[], Duration::from_secs(10));
        assert!(finished, "a FIFO named {file} held the report for 10 s");
        assert!(
            out.contains(&format!("{file} is not a regular file")),
            "{file}: {out}"
        );
    }
}

#[test]
fn the_next_run_removes_what_a_killed_doctor_left_and_keeps_what_a_live_one_uses() {
    // pid_max is at most 2^22: this pid cannot exist.
    let dead = 99_999_999;
    let live = std::process::id();
    let project = copy_fixture("stdlib-healthy");
    let p = project.path();
    std::fs::write(p.join(".air.toml"), "[build]\ndelay = 100\n").unwrap();
    let in_project = |pid: u32| {
        [
            p.join(format!(
                "..air.toml.reload-doctor.bak.reload-doctor-{pid}.tmp"
            )),
            p.join(format!("..air.toml.reload-doctor-{pid}.tmp")),
        ]
    };
    let in_tmp = |pid: u32| {
        [
            std::env::temp_dir().join(format!("reload-doctor-build-{pid}-1-0")),
            std::env::temp_dir().join(format!("reload-doctor-verify-{pid}-x1")),
        ]
    };
    for pid in [dead, live] {
        for f in in_project(pid) {
            std::fs::write(f, "half").unwrap();
        }
        for d in in_tmp(pid) {
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("main"), "x").unwrap();
        }
    }
    let o = Command::new(bin())
        .args(["--project", p.to_str().unwrap(), "--only", "compile"])
        .output()
        .unwrap();
    for f in in_project(dead).iter().chain(&in_tmp(dead)) {
        assert!(!f.exists(), "{} was left: {}", f.display(), stdout(&o));
    }
    for f in in_project(live).iter().chain(&in_tmp(live)) {
        assert!(f.exists(), "{} of a live process was removed", f.display());
    }
    for d in in_tmp(live) {
        std::fs::remove_dir_all(d).unwrap();
    }
}

#[test]
fn under_hidepid_the_process_checks_say_at_least_and_why() {
    use std::os::unix::fs::PermissionsExt;
    let project = copy_fixture("stdlib-healthy");
    std::fs::set_permissions(project.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let port = free_port();
    // root's listener: invisible to user nobody under hidepid.
    let mut server = Command::new("/usr/bin/python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir("/")
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _reap = Reap(server.id() as i32);
    wait_listening(port);
    // A private mount namespace with its own proc instance mounted hidepid=2, the doctor
    // run as nobody.
    let script = format!(
        "mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid=65534 --regid=65534 --clear-groups {} --json --project {} --only port-busy,zombies,stale-processes --port {port}",
        bin(),
        project.path().display()
    );
    let o = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", stdout(&o), stderr(&o)));
    common::schema::assert_report(&report);
    for id in ["port-busy", "zombies", "stale-processes"] {
        let c = common::check(&report, id);
        let text = c.to_string();
        assert!(
            text.contains("hidepid"),
            "{id} does not say why it sees less: {c:#}"
        );
        assert_ne!(c["summary"], "no zombie processes", "{c:#}");
        assert_eq!(c["evidence"]["partial"], true, "{c:#}");
    }
    let pb = common::check(&report, "port-busy");
    assert!(
        !pb.to_string().contains("another container"),
        "a hidden holder is not another container: {pb:#}"
    );
    let _ = server.kill();
    let _ = server.wait();
}

/// Processes in process group `pgid` that are not zombies.
fn group_members(pgid: i32) -> Vec<String> {
    let mut found = vec![];
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        if fields[0] != "Z" && fields[2] == pgid.to_string() {
            found.push(stat[..close + 1].to_string());
        }
    }
    found
}

#[test]
fn sigkill_of_the_doctor_mid_compile_leaves_no_go_process() {
    let project = copy_fixture("stdlib-healthy");
    let cache = tempfile::tempdir().unwrap();
    // A cold cache and -a: go compiles the standard library, seconds of compiler children.
    let mut doctor = Command::new(bin())
        .args([
            "--project",
            project.path().to_str().unwrap(),
            "--only",
            "compile",
        ])
        .env("GOCACHE", cache.path())
        .env("GOFLAGS", "-a")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // go build is the doctor's child, leader of its own process group; wait for a compiler.
    let start = Instant::now();
    let pgid = loop {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no go build started"
        );
        // Children of any of the doctor's threads (checks run on threads).
        let go = std::fs::read_dir(format!("/proc/{}/task", doctor.id()))
            .into_iter()
            .flatten()
            .flatten()
            .flat_map(|t| {
                std::fs::read_to_string(t.path().join("children"))
                    .unwrap_or_default()
                    .split_whitespace()
                    .filter_map(|p| p.parse::<i32>().ok())
                    .collect::<Vec<_>>()
            })
            .next();
        if let Some(g) = go {
            if group_members(g).iter().any(|p| p.contains("(compile)")) {
                break g;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    doctor.kill().unwrap();
    doctor.wait().unwrap();
    let start = Instant::now();
    while !group_members(pgid).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "left running after the doctor was killed: {:?}",
            group_members(pgid)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn zombies_under_a_pid_1_that_is_not_an_init_name_the_container_fix() {
    let project = copy_fixture("stdlib-healthy");
    // A pid namespace whose pid 1 is perl, which never reaps: its first child exits at once
    // and stays a zombie, as every orphan does in a container started without --init. Then
    // pid 1 runs the doctor (system() waits only for that child).
    let script = format!(
        "fork or exit; sleep 1; system('{} --json --project {} --only zombies'); exit 0",
        bin(),
        project.path().display()
    );
    let o = Command::new("unshare")
        .args(["--fork", "--pid", "--mount-proc", "perl", "-e", &script])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", stdout(&o), stderr(&o)));
    common::schema::assert_report(&report);
    let c = common::check(&report, "zombies");
    let f = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["evidence"]["ppid"] == 1)
        .unwrap_or_else(|| panic!("no finding for pid 1's zombies: {c:#}"));
    assert_eq!(f["severity"], "warn", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("pid 1 is perl"), "{message}");
    assert!(message.contains("does not reap"), "{message}");
    let fix = f["fix"]["summary"].as_str().unwrap();
    assert!(fix.contains("--init"), "{fix}");
    assert_eq!(f["fix"]["applicability"], "manual");
}

#[test]
fn a_fix_under_a_non_reaping_pid_1_says_the_stopped_build_is_now_a_zombie() {
    let project = copy_fixture("stdlib-healthy");
    let out = Command::new("go")
        .args(["build", "-o", "tmp/main", "."])
        .current_dir(project.path())
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let port = free_port();
    // pid 1 is perl: it starts the build (its direct child, as an orphan adopted by pid 1
    // would be), never reaps, and runs `--fix` once the app listens.
    let script = format!(
        "$ENV{{PORT}} = {port}; if (!fork) {{ open STDOUT, '>/dev/null'; open STDERR, '>/dev/null'; exec '{}' }} \
         sleep 1 until IO::Socket::INET->new('127.0.0.1:{port}'); \
         system('{} --project {} --only port-busy --port {port} --fix'); exit 0",
        project.path().join("tmp/main").display(),
        bin(),
        project.path().display()
    );
    let o = Command::new("unshare")
        .args([
            "--fork",
            "--pid",
            "--mount-proc",
            "perl",
            "-MIO::Socket::INET",
            "-e",
            &script,
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(
        out.contains("(now a zombie under pid 1, which does not reap"),
        "{out}\n{}",
        stderr(&o)
    );
}

/// `--fix` on a project whose config is not the project's own file to rewrite; the finding
/// stays, its fix is a step by hand, and every byte (and the link) is left as it was.
fn fix_leaves_the_config_alone(project: &Path, config: &Path, shown: &str) {
    let link_before = std::fs::read_link(config).ok();
    let before = std::fs::read(config).unwrap();
    let o = fix(project, &["--only", "reloader-config", "--no-compile"]);
    let out = stdout(&o);
    assert!(out.contains("exlude_dir"), "the finding stays:\n{out}");
    assert!(
        out.contains(&format!("by hand: {shown}")),
        "the fix is a step by hand:\n{out}"
    );
    assert_eq!(std::fs::read(config).unwrap(), before, "{out}");
    assert_eq!(std::fs::read_link(config).ok(), link_before, "{out}");
    let mut backup = config.as_os_str().to_owned();
    backup.push(".reload-doctor.bak");
    assert!(!Path::new(&backup).exists(), "no backup written: {out}");
}

#[test]
fn fix_never_rewrites_a_config_the_makefile_points_at_outside_the_project() {
    let outside = tempfile::tempdir().unwrap();
    let config = outside.path().join("air.toml");
    std::fs::write(&config, "[build]\nexlude_dir = [\"assets\"]\n").unwrap();
    let project = copy_fixture("stdlib-healthy");
    std::fs::write(
        project.path().join("Makefile"),
        format!("dev:\n\tair -c {}\n", config.display()),
    )
    .unwrap();
    fix_leaves_the_config_alone(
        project.path(),
        &config,
        &format!("{} is outside the project", config.display()),
    );
}

#[test]
fn fix_never_replaces_a_symlinked_air_toml_with_a_file() {
    let shared = tempfile::tempdir().unwrap();
    let target = shared.path().join("air.toml");
    std::fs::write(&target, "[build]\nexlude_dir = [\"assets\"]\n").unwrap();
    let project = copy_fixture("stdlib-healthy");
    let link = project.path().join(".air.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    fix_leaves_the_config_alone(
        project.path(),
        &link,
        &format!("{} is a symbolic link", link.display()),
    );
}

/// A copy of `fixture` in a folder whose name is not UTF-8 (`bad\xffx`): Unix names are bytes.
fn in_non_utf8_folder(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    use std::os::unix::ffi::OsStrExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join(std::ffi::OsStr::from_bytes(b"bad\xffx"));
    common::copy_tree(&common::fixture(fixture), &dir);
    (parent, dir)
}

/// The doctor run from `dir` without --project, as a person would.
fn doctor_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("PORT")
        .output()
        .unwrap()
}

/// A folder name that is not UTF-8: the real build runs (its evidence in JSON once panicked
/// on the path), `go list` finds the imported package the config hides (its folders were
/// read as lossy text, so none was under the project), and `--fix` rewrites the config
/// itself (its path was lossy text naming another folder).
#[test]
fn a_project_folder_named_with_bytes_that_are_not_utf8_is_built_judged_and_fixed() {
    let (_keep, dir) = in_non_utf8_folder("air-exclude-imported");
    let o = doctor_in(&dir, &["--json", "--only", "compile,reloader-config"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&o), stderr(&o)));
    common::schema::assert_valid("report.schema.json", &report);
    let compile = common::check(&report, "compile");
    assert_eq!(compile["status"], "pass", "{compile:#}");
    let config = common::check(&report, "reloader-config");
    assert!(
        common::findings(config)
            .iter()
            .any(|f| f["evidence"]["problem"] == "hides-imported-package"),
        "{config:#}"
    );

    let (_keep, dir) = in_non_utf8_folder("air-dotted-ext");
    let o = doctor_in(
        &dir,
        &["--fix", "--no-compile", "--only", "reloader-config"],
    );
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let toml = std::fs::read_to_string(dir.join(".air.toml")).unwrap();
    assert!(
        toml.contains(r#"include_ext = ["go", "html"]"#)
            && toml.contains(r#"exclude_dir = ["vendor", "tmp"]"#),
        "{toml}\n{}",
        stdout(&o)
    );
}
