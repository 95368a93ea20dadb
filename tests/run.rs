//! `reload-doctor run` end to end: real `go build` of the fixtures, real apps on real ports,
//! real inotify. Tests synchronise on the `--json` events, never on sleeps, and every wait
//! is bounded.

mod common;

use common::runner::{eventually, get, raw_get, set_version, Runner, Terminal, BUILD_WAIT};
use reload_doctor_checks as checks;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<(i32, String)> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let pid: i32 = e.file_name().to_str()?.parse().ok()?;
            let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            (cmd.contains(needle) && pid != std::process::id() as i32).then_some((pid, cmd))
        })
        .collect()
}

/// Children of `pid` (all its threads) but the runner's guardian, with their state letter.
fn children(pid: i32) -> Vec<(i32, char)> {
    let mut out = vec![];
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for c in text
            .split_whitespace()
            .filter_map(|c| c.parse::<i32>().ok())
        {
            let cmd = std::fs::read(format!("/proc/{c}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmd).contains("__guardian\0--watch") {
                continue;
            }
            let stat = std::fs::read_to_string(format!("/proc/{c}/stat")).unwrap_or_default();
            let state = stat
                .rsplit(") ")
                .next()
                .and_then(|s| s.chars().next())
                .unwrap_or('?');
            out.push((c, state));
        }
    }
    out
}

/// inotify watches held by `pid`, from `/proc/PID/fdinfo`.
fn inotify_watches(pid: i32) -> u64 {
    let mut n = 0;
    for fd in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
    {
        if std::fs::read_link(fd.path()).is_ok_and(|t| t.as_os_str() == "anon_inode:inotify") {
            let info = std::fs::read_to_string(format!(
                "/proc/{pid}/fdinfo/{}",
                fd.file_name().to_string_lossy()
            ))
            .unwrap();
            n += checks::system::inotify::watches_in_fdinfo(&info);
        }
    }
    n
}

/// Without -v no process of the build is looked at: each /proc entry a look makes is walked
/// again when the go command reaps the process, a cost on every build (see README).
#[test]
fn without_v_the_build_is_not_watched_for_phases() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", BUILD_WAIT);
    set_version(dir.path(), "\"v2\"");
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert!(reload["phases"].is_null(), "{reload}");
}

#[test]
fn editing_a_handler_serves_the_new_response() {
    let dir = common::copy_fixture("stdlib-healthy");
    // -v: the build's phases too.
    let mut r = Runner::start(dir.path(), &["-v"]);
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(first["first"], true);
    assert_eq!(r.get(), "version v1");

    set_version(dir.path(), "\"v2\"");
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(reload["first"], false);
    assert_eq!(reload["cause"], "handlers/version.go");
    assert_eq!(r.get(), "version v2");
    for key in ["build_ms", "stop_ms", "start_ms", "total_ms"] {
        assert!(reload[key].as_f64().is_some(), "{key} in {reload}");
    }
    // Trailing debounce: the build starts no earlier than 50 ms after the change.
    assert!(reload["wait_ms"].as_f64().unwrap() >= 50.0, "{reload}");
    // The build's phases, from Go's own trace: the changed package compiled, then linked.
    let phases = &reload["phases"];
    let compiled = phases["compiled"].as_array().unwrap();
    assert!(
        compiled.contains(&"example.com/fixtures/stdlib-healthy/handlers".into()),
        "{reload}"
    );
    for key in ["load_ms", "compile_ms", "link_ms"] {
        assert!(phases[key].as_f64().unwrap() > 0.0, "{key} in {reload}");
    }
    assert!(phases["compile_ms"].as_f64() < reload["build_ms"].as_f64());
}

/// The phases come from the go command's processes, so a build through a script (what a
/// Makefile does) is split as well.
#[test]
fn a_build_through_a_script_is_split_into_its_phases() {
    let dir = common::copy_fixture("stdlib-healthy");
    std::fs::write(
        dir.path().join("build.sh"),
        "#!/bin/sh\nset -e\ngo build -o ./tmp/main .\n",
    )
    .unwrap();
    let mut r = Runner::start(
        dir.path(),
        &[
            "-v",
            "--build.cmd",
            "sh ./build.sh",
            "--build.exclude_file",
            "build.sh",
        ],
    );
    r.wait_for("serving", BUILD_WAIT);
    set_version(dir.path(), "\"v2\"");
    let reload = r.wait_for("serving", BUILD_WAIT);
    let phases = &reload["phases"];
    let compiled = phases["compiled"]
        .as_array()
        .expect("phases of the script's go build");
    assert!(
        compiled.contains(&"example.com/fixtures/stdlib-healthy/handlers".into()),
        "{reload}"
    );
    assert!(phases["link_ms"].as_f64().unwrap() > 0.0, "{reload}");
}

#[test]
fn a_broken_build_keeps_the_old_app_answering_and_shows_the_error() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", BUILD_WAIT);

    set_version(dir.path(), "undefinedName");
    let failed = r.wait_for("build_failed", BUILD_WAIT);
    let errors = failed["errors"].to_string();
    assert!(errors.contains("handlers/version.go:3"), "{failed}");
    assert!(errors.contains("undefined: undefinedName"), "{failed}");
    assert!(
        failed["app"]
            .as_str()
            .unwrap()
            .contains("old app still serving"),
        "{failed}"
    );
    assert_eq!(r.get(), "version v1");
    let log = std::fs::read_to_string(dir.path().join("tmp/build-errors.log")).unwrap();
    assert!(log.contains("undefined: undefinedName"), "{log}");
    // Printed once: in the event, not also in the build's stream on stderr.
    let stderr = r.stderr.lock().unwrap().clone();
    assert!(!stderr.contains("undefined: undefinedName"), "{stderr}");

    set_version(dir.path(), "\"v3\"");
    r.wait_for("serving", BUILD_WAIT);
    assert_eq!(r.get(), "version v3");
}

/// Stopped by Ctrl-C, `run` exits 130 as every subcommand does after a signal (128 + its
/// number; SIGTERM 143), once it has stopped the app: README's exit status table.
#[test]
fn ctrl_c_stops_run_with_exit_status_130() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &["--no-checks"]);
    r.wait_for("serving", BUILD_WAIT);
    let status = r.stop_with(nix::sys::signal::SIGINT);
    assert_eq!(status.code(), Some(130), "{status:?}");
    let stopped = r.wait_for("stopped", Duration::from_secs(5));
    assert_eq!(stopped["signal"], "SIGINT", "{stopped}");
    assert_eq!(get(r.port), None, "the app stopped with the runner");
}

#[test]
fn five_hundred_files_changed_at_once_give_one_restart() {
    let dir = common::copy_fixture("stdlib-healthy");
    // The build starts once the burst is quiet for 50 ms (or the delay, when shorter): a
    // writer stalled longer than that on a busy machine starts a build mid-burst, which the
    // rest of the burst cancels. The app still restarts once, with every file.
    let mut r = Runner::start(dir.path(), &["--build.delay", "300"]);
    r.wait_for("serving", BUILD_WAIT);
    for i in 0..500 {
        std::fs::write(
            dir.path().join(format!("handlers/gen_{i}.go")),
            format!("package handlers\n\nconst Gen{i} = {i}\n"),
        )
        .unwrap();
    }
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(
        reload["cause"].as_str().unwrap().split_once(' ').unwrap().1,
        "+499 more"
    );
    r.drain(Duration::from_millis(800));
    assert_eq!(r.count("serving"), 2, "{:#?}", r.seen);
    let finished = r.count("build_started") - r.count("build_cancelled");
    assert_eq!(finished, 2, "{:#?}", r.seen);
    assert!(r.count("build_cancelled") <= 1, "{:#?}", r.seen);
}

/// A tiny HTTP app (python's http.server on $PORT, after the shell lines `prelude`), with no
/// Go build: for the stop and reaping behaviour. Returns its `full_bin`.
fn shell_app(dir: &Path, prelude: &str) -> String {
    std::fs::write(dir.join("go.mod"), "module example.com/x\n\ngo 1.25\n").unwrap();
    touch_main(dir);
    let path = dir.join("app.sh");
    let script = format!("{prelude}\nexec python3 -m http.server --bind 127.0.0.1 \"$PORT\"\n");
    std::fs::write(&path, script).unwrap();
    format!("sh {}", path.display())
}

/// A change to `main.go` (a new content each time), to make the runner rebuild.
fn touch_main(dir: &Path) {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    std::fs::write(
        dir.join("main.go"),
        format!("package main\n\nfunc main() {{}} // {n}\n"),
    )
    .unwrap();
}

#[test]
fn an_app_that_ignores_sigterm_is_killed_after_kill_delay() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "trap '' TERM");
    let mut r = Runner::start(
        dir.path(),
        &[
            "--build.cmd",
            "true",
            "--build.full_bin",
            &full_bin,
            "--build.kill_delay",
            "1s",
        ],
    );
    r.wait_for("serving", Duration::from_secs(20));
    touch_main(dir.path());
    let reload = r.wait_for("serving", Duration::from_secs(20));
    let stop = reload["stop_ms"].as_f64().unwrap();
    assert!(
        (1000.0..3000.0).contains(&stop),
        "stop took {stop} ms: {reload}"
    );
    assert!(r.seen.iter().any(|e| e["event"] == "note"
        && e["message"]
            .as_str()
            .unwrap()
            .contains("did not exit within kill_delay")));
}

/// `kill_delay = "0s"` (what `air init` writes) asks for the kill: no note on every reload.
#[test]
fn kill_delay_0_kills_at_once_without_a_note_each_reload() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "trap '' TERM");
    let args = ["--build.cmd", "true", "--build.full_bin", &full_bin];
    let mut r = Runner::start(
        dir.path(),
        &[&args[..], &["--build.kill_delay", "0s"]].concat(),
    );
    r.wait_for("serving", Duration::from_secs(20));
    touch_main(dir.path());
    let reload = r.wait_for("serving", Duration::from_secs(20));
    assert!(reload["stop_ms"].as_f64().unwrap() < 1000.0, "{reload}");
    let killed_note = |e: &&serde_json::Value| {
        e["event"] == "note" && e["message"].as_str().unwrap().contains("did not exit")
    };
    assert_eq!(r.seen.iter().find(killed_note), None);
}

#[test]
fn an_app_that_spawns_a_child_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("child.sh");
    std::fs::write(&marker, "trap '' TERM\nwhile :; do sleep 0.2; done\n").unwrap();
    let full_bin = shell_app(dir.path(), &format!("sh {} &", marker.display()));
    let mut r = Runner::start(
        dir.path(),
        &[
            "--build.cmd",
            "true",
            "--build.full_bin",
            &full_bin,
            "--build.kill_delay",
            "300",
            "--build.post_cmd",
            "touch post-cmd-ran",
        ],
    );
    let needle = marker.display().to_string();
    r.wait_for("serving", Duration::from_secs(20));
    assert_eq!(processes_mentioning(&needle).len(), 1);
    // A reload replaces the whole group: one child, never two; no zombies under the runner.
    touch_main(dir.path());
    r.wait_for("serving", Duration::from_secs(20));
    assert!(
        eventually(Duration::from_secs(3), || processes_mentioning(&needle)
            .len()
            == 1),
        "{:?}",
        processes_mentioning(&needle)
    );
    assert!(
        children(r.pid()).iter().all(|(_, s)| *s != 'Z'),
        "{:?}",
        children(r.pid())
    );

    let status = r.terminate();
    assert_eq!(status.code(), Some(143), "{status}");
    assert!(
        processes_mentioning(&needle).is_empty(),
        "{:?}",
        processes_mentioning(&needle)
    );
    assert!(
        dir.path().join("post-cmd-ran").exists(),
        "post_cmd did not run"
    );
}

#[test]
fn kill_9_of_the_runner_leaves_no_app() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", BUILD_WAIT);
    let apps = children(r.pid());
    assert_eq!(apps.len(), 1, "{apps:?}");
    let app = apps[0].0;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(r.pid()),
        nix::sys::signal::SIGKILL,
    )
    .unwrap();
    assert!(
        eventually(Duration::from_secs(5), || !Path::new(&format!(
            "/proc/{app}"
        ))
        .exists()
            || std::fs::read_to_string(format!("/proc/{app}/stat"))
                .unwrap_or_default()
                .contains(") Z")),
        "app {app} survived kill -9 of the runner"
    );
    assert!(eventually(Duration::from_secs(5), || get(r.port).is_none()));
}

#[test]
fn files_in_a_new_subdirectory_are_watched() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", BUILD_WAIT);
    let sub = dir.path().join("handlers/extra");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("extra.go"), "package extra\n\nconst A = 1\n").unwrap();
    r.wait_for("serving", BUILD_WAIT);
    // The new folder has its own watch now: a later edit in it reloads too.
    std::fs::write(sub.join("extra.go"), "package extra\n\nconst A = 2\n").unwrap();
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(reload["cause"], "handlers/extra/extra.go");
    assert_eq!(inotify_watches(r.pid()), 3);
}

/// A new folder with a source file is found by the next scan, watched and rebuilt for; a
/// save of the same size is still told by its stamps.
fn polling_sees_a_new_folder_and_a_same_size_save(dir: &Path, r: &mut Runner) {
    std::fs::create_dir(dir.join("extra")).unwrap();
    std::fs::write(dir.join("extra/x.go"), "package extra\n").unwrap();
    let served = r.wait_for("serving", BUILD_WAIT);
    // The folder, or the folder and its file when a scan fell between the two writes.
    let cause = served["cause"].as_str().unwrap_or("");
    assert!(cause == "extra" || cause == "extra +1 more", "{served}");
    std::fs::write(dir.join("extra/x.go"), "package extrb\n").unwrap();
    let started = r.wait_for("build_started", BUILD_WAIT);
    assert_eq!(started["cause"], "extra/x.go", "{started}");
}

#[test]
fn poll_mode_sees_a_change() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(
        dir.path(),
        &["--build.poll", "--build.poll_interval", "100"],
    );
    let watching = r.wait_for("watching", Duration::from_secs(10));
    assert!(
        watching["mode"]
            .as_str()
            .unwrap()
            .starts_with("polling every 100 ms"),
        "{watching}"
    );
    r.wait_for("serving", BUILD_WAIT);
    assert_eq!(inotify_watches(r.pid()), 0);
    // With the mtime put back (as `cp -p` leaves it): the poller compares size and ctime
    // too, not only the mtime.
    let file = dir.path().join("handlers/version.go");
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    set_version(dir.path(), "\"polled\"");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    r.wait_for("serving", BUILD_WAIT);
    assert_eq!(r.get(), "version polled");
    polling_sees_a_new_folder_and_a_same_size_save(dir.path(), &mut r);
}

#[test]
fn an_air_toml_with_delay_0_reloads_without_delay() {
    let dir = common::copy_fixture("stdlib-healthy");
    std::fs::write(dir.path().join(".air.toml"), "[build]\ndelay = 0\n").unwrap();
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", BUILD_WAIT);
    set_version(dir.path(), "\"now\"");
    let reload = r.wait_for("serving", BUILD_WAIT);
    // air would wait 1000 ms here; the runner's default would wait 50 ms.
    assert!(reload["wait_ms"].as_f64().unwrap() < 40.0, "{reload}");
    assert_eq!(r.get(), "version now");
}

#[test]
fn excluded_node_modules_gets_no_watch() {
    let dir = common::copy_fixture("stdlib-healthy");
    for d in [
        "node_modules/a/b/c",
        "node_modules/d",
        "web/static",
        ".git/objects",
    ] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    let mut r = Runner::start(dir.path(), &[]);
    let watching = r.wait_for("watching", Duration::from_secs(10));
    // ., handlers, web, web/static: node_modules, .git and tmp cost nothing.
    assert_eq!(watching["dirs"], 4);
    assert_eq!(inotify_watches(r.pid()), 4);
}

/// A user namespace of our own whose inotify limit is `value`: the kernel's real ENOSPC and
/// EMFILE, without touching the machine-wide sysctls other users depend on.
fn limited(key: &str, value: u32) -> String {
    format!("exec unshare --user --map-root-user sh -c 'echo {value} > /proc/sys/user/{key} && exec \"$0\" \"$@\"' \"$@\"")
}

/// Start the runner with a user-namespace inotify `limit` of `value`: it must say so, name
/// `fix`, and fall back to polling. Returns the project and the runner.
fn out_of_inotify(
    limit: &str,
    value: u32,
    args: &[&str],
    message: &str,
    fix: &str,
) -> (tempfile::TempDir, Runner) {
    let dir = common::copy_fixture("stdlib-healthy");
    std::fs::create_dir(dir.path().join("web")).unwrap();
    let wrap = limited(limit, value);
    let mut r = Runner::start_in(dir.path(), args, Some(&wrap), common::free_port());
    let warning = r.wait_for("warning", Duration::from_secs(10));
    assert!(
        warning["message"].as_str().unwrap().contains(message),
        "{warning}"
    );
    assert_eq!(warning["fix"], fix);
    let watching = r.wait_for("watching", Duration::from_secs(10));
    assert!(
        watching["mode"].as_str().unwrap().contains("polling"),
        "{watching}"
    );
    assert_eq!(watching["dirs"], 3);
    (dir, r)
}

#[test]
fn out_of_inotify_watches_says_so_with_the_fix_and_polls() {
    let (dir, mut r) = out_of_inotify(
        "max_inotify_watches",
        2,
        &["--build.poll_interval", "100"],
        "out of inotify watches",
        "sudo sysctl -w fs.inotify.max_user_watches=524288",
    );
    r.wait_for("serving", BUILD_WAIT);
    set_version(dir.path(), "\"polled\"");
    r.wait_for("serving", BUILD_WAIT);
    assert_eq!(r.get(), "version polled");
    polling_sees_a_new_folder_and_a_same_size_save(dir.path(), &mut r);
}

#[test]
fn out_of_inotify_instances_says_so_with_the_fix_and_polls() {
    out_of_inotify(
        "max_inotify_instances",
        0,
        &["--no-checks"],
        "too many inotify instances",
        "sudo sysctl -w fs.inotify.max_user_instances=1024",
    );
}

#[test]
fn a_change_during_a_build_cancels_it_and_builds_again() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "");
    // The build is slow only while the file `slow` exists (no extension: not watched); it
    // says in `sleeping` that it found it and is sleeping.
    let build = dir.path().join("build.sh");
    std::fs::write(&build, "if [ -e slow ]; then : > sleeping; sleep 30; fi\n").unwrap();
    let cmd = format!("sh {}", build.display());
    let mut r = Runner::start(
        dir.path(),
        &["--build.cmd", &cmd, "--build.full_bin", &full_bin],
    );
    r.wait_for("serving", Duration::from_secs(20));
    std::fs::write(dir.path().join("slow"), "").unwrap();
    touch_main(dir.path());
    r.wait_for("build_started", Duration::from_secs(10));
    // The runner's own command line names build.sh too.
    let (needle, runner) = (build.display().to_string(), r.pid());
    let builds = move || {
        processes_mentioning(&needle)
            .into_iter()
            .filter(|(pid, _)| *pid != runner)
            .count()
    };
    assert!(
        eventually(Duration::from_secs(5), || builds() == 2),
        "sh -c, sh build.sh"
    );
    // Only once build.sh has looked for `slow` may it go: removed before (a loaded machine
    // can start the shell long before it runs the test), the build ends at once and the
    // change below comes after it, where it starts the next build instead of cancelling.
    let sleeping = dir.path().join("sleeping");
    assert!(
        eventually(Duration::from_secs(10), || sleeping.exists()),
        "build.sh never slept"
    );

    std::fs::remove_file(dir.path().join("slow")).unwrap();
    touch_main(dir.path());
    let cancelled = r.wait_for("build_cancelled", Duration::from_secs(10));
    assert_eq!(cancelled["cause"], "main.go", "{:#?}", r.seen);
    let reload = r.wait_for("serving", Duration::from_secs(20));
    assert_eq!(reload["cause"], "main.go");
    assert_eq!(builds(), 0, "the cancelled build survived");
}

/// The first build is never cancelled, and a change to a file the build does not read (a
/// template) lets the build finish: one more build follows, each serves.
#[test]
fn a_first_build_and_a_template_change_are_not_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "");
    // Slow while the file `slow` exists (no extension: not watched), but never stuck.
    let build = dir.path().join("build.sh");
    std::fs::write(&build, "if [ -e slow ]; then sleep 1.5; fi\n").unwrap();
    std::fs::write(dir.path().join("slow"), "").unwrap();
    let cmd = format!("sh {}", build.display());
    let mut r = Runner::start(
        dir.path(),
        &["--build.cmd", &cmd, "--build.full_bin", &full_bin],
    );
    r.wait_for("build_started", Duration::from_secs(10));
    touch_main(dir.path());
    // The first build finishes (its app may still be starting when the next one replaces it
    // on a loaded machine), then one more follows for main.go.
    while r.wait_for("serving", Duration::from_secs(20))["cause"] != "main.go" {}
    assert_eq!(r.count("build_cancelled"), 0, "{:#?}", r.seen);
    assert_eq!(r.count("build_started"), 2, "{:#?}", r.seen);

    touch_main(dir.path());
    let started = r.wait_for("build_started", Duration::from_secs(10));
    assert_eq!(started["cause"], "main.go", "{started}");
    std::fs::write(dir.path().join("page.html"), "<p>new</p>\n").unwrap();
    // The main.go build finishes and starts its app; the page.html build follows (and may
    // replace that app before it serves, on a loaded machine).
    while r.wait_for("serving", Duration::from_secs(20))["cause"] != "page.html" {}
    r.drain(Duration::from_millis(300));
    assert_eq!(r.count("build_cancelled"), 0, "{:#?}", r.seen);
    let causes: Vec<_> = r
        .seen
        .iter()
        .filter(|e| e["event"] == "build_started")
        .map(|e| e["cause"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        causes,
        ["", "main.go", "main.go", "page.html"],
        "{:#?}",
        r.seen
    );
}

#[test]
fn editor_temp_files_and_chmod_do_not_rebuild() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", BUILD_WAIT);
    let h = dir.path().join("handlers");
    for name in [
        "4913",
        ".version.go.swp",
        "version.go~",
        "version.go___jb_tmp___",
        ".#version.go",
        "x-go-tmp-umask",
    ] {
        std::fs::write(h.join(name), "x").unwrap();
    }
    let mut perm = std::fs::metadata(h.join("version.go"))
        .unwrap()
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o600);
    std::fs::set_permissions(h.join("version.go"), perm).unwrap();
    set_version(dir.path(), "\"v2\"");
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(reload["cause"], "handlers/version.go");
    r.drain(Duration::from_millis(300));
    assert_eq!(r.count("build_started"), 2, "{:#?}", r.seen);
}

#[test]
fn a_busy_port_is_waited_for_and_its_holder_named() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "");
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let args = [
        "--no-checks",
        "--build.cmd",
        "true",
        "--build.full_bin",
        &full_bin,
    ];
    let mut r = Runner::start_in(dir.path(), &args, None, port);
    let warning = r.wait_for("warning", Duration::from_secs(10));
    let me = format!("held by pid {} (", std::process::id());
    assert!(
        warning["message"].as_str().unwrap().contains(&me),
        "{warning}"
    );
    // It starts anyway after 3 s, and the app's own failure is reported, once; the port's
    // holder is never taken for the new app.
    let exited = r.wait_for("app_exited", Duration::from_secs(10));
    assert_eq!(exited["restarting"], false);
    assert!(
        r.seen
            .iter()
            .all(|e| e["event"] != "serving" || e["port"].is_null()),
        "{:#?}",
        r.seen
    );
    drop(holder);
}

#[test]
fn an_app_that_exits_is_reported_and_restarted_only_with_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "exit 3");
    let args = [
        "--no-checks",
        "--build.cmd",
        "true",
        "--build.full_bin",
        &full_bin,
    ];
    let mut r = Runner::start(dir.path(), &args);
    let exited = r.wait_for("app_exited", Duration::from_secs(10));
    assert_eq!(exited["status"], "exit 3");
    r.drain(Duration::from_millis(700));
    assert_eq!(r.count("app_exited"), 1);
    drop(r);

    let mut args = args.to_vec();
    args.extend(["--build.rerun", "--build.rerun_delay", "100"]);
    let mut r = Runner::start(dir.path(), &args);
    for _ in 0..3 {
        let exited = r.wait_for("app_exited", Duration::from_secs(10));
        assert_eq!(exited["restarting"], true);
    }
}

#[test]
fn env_files_and_arguments_after_dashes_reach_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(
        dir.path(),
        "echo \"$GREETING|$KEPT|$INLINE|$HASHED|$*\" > seen.txt",
    );
    std::fs::write(
        dir.path().join(".env"),
        "# comment\nexport GREETING=\"hello there\"\nKEPT=from-file\nINLINE=20095 # app port\nHASHED=a#b\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".air.toml"),
        format!(
            "env_files = [\".env\"]\n[build]\ncmd = \"true\"\nfull_bin = \"{full_bin}\"\nargs_bin = [\"-v\"]\n"
        ),
    )
    .unwrap();
    let mut r = Runner::start(dir.path(), &["--no-checks", "--", "--name", "two words"]);
    r.wait_for("serving", Duration::from_secs(20));
    let seen = std::fs::read_to_string(dir.path().join("seen.txt")).unwrap();
    // KEPT is not in the test's environment, so the file provides it.
    // An inline comment is not part of the value; a `#` inside one is (as godotenv reads it).
    assert_eq!(
        seen.trim(),
        "hello there|from-file|20095|a#b|-v --name two words"
    );
}

#[test]
fn exclude_unchanged_skips_a_save_that_changes_nothing() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &["--build.exclude_unchanged"]);
    r.wait_for("serving", BUILD_WAIT);
    let file = dir.path().join("handlers/version.go");
    let same = std::fs::read(&file).unwrap();
    // Saved the way many editors do: truncate, then write. Judged by the final content.
    let mut f = std::fs::File::create(&file).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    f.write_all(&same).unwrap();
    drop(f);
    r.drain(Duration::from_millis(400));
    assert_eq!(r.count("build_started"), 1, "{:#?}", r.seen);
    set_version(dir.path(), "\"changed\"");
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(reload["cause"], "handlers/version.go");
}

/// With exclude_unchanged, an edit made while a build runs still gives one more build: it
/// is judged once when the build ends, not taken for "unchanged" when its build starts.
#[test]
fn exclude_unchanged_still_rebuilds_for_an_edit_made_during_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "");
    let build = dir.path().join("build.sh");
    std::fs::write(&build, "sleep 1.5\n").unwrap();
    let cmd = format!("sh {}", build.display());
    let mut r = Runner::start(
        dir.path(),
        &[
            "--no-checks",
            "--build.exclude_unchanged",
            "--build.cmd",
            &cmd,
            "--build.full_bin",
            &full_bin,
        ],
    );
    r.wait_for("build_started", Duration::from_secs(10));
    touch_main(dir.path());
    while r.wait_for("serving", Duration::from_secs(20))["cause"] != "main.go" {}
    assert_eq!(r.count("build_started"), 2, "{:#?}", r.seen);
}

#[test]
fn a_child_that_left_the_apps_group_is_stopped_too() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("daemon.sh");
    std::fs::write(&marker, "while :; do sleep 0.2; done\n").unwrap();
    // setsid: a new session and process group, out of reach of a signal to the app's group.
    let full_bin = shell_app(dir.path(), &format!("setsid sh {} &", marker.display()));
    let mut r = start_with_nothing_to_build(dir.path(), &full_bin);
    r.wait_for("serving", Duration::from_secs(20));
    let needle = marker.display().to_string();
    assert!(eventually(Duration::from_secs(3), || processes_mentioning(
        &needle
    )
    .len()
        == 1));
    touch_main(dir.path());
    let reload = r.wait_for("serving", Duration::from_secs(20));
    // python's default SIGTERM action ends it at once: the signal reached it unblocked.
    assert!(reload["stop_ms"].as_f64().unwrap() < 2000.0, "{reload}");
    assert!(
        eventually(Duration::from_secs(3), || processes_mentioning(&needle)
            .len()
            == 1),
        "{:?}",
        processes_mentioning(&needle)
    );
    assert_eq!(r.terminate().code(), Some(143));
    assert!(
        processes_mentioning(&needle).is_empty(),
        "{:?}",
        processes_mentioning(&needle)
    );
}

/// air's `[proxy] enabled = true` starts the runner's proxy on `proxy_port`, with live reload
/// as air's does: a config written for air's proxy keeps working as it is.
#[test]
fn airs_proxy_section_starts_the_proxy_with_live_reload() {
    let dir = common::copy_fixture("stdlib-healthy");
    let (app, proxy) = (common::free_port(), common::free_port());
    let toml = format!("[proxy]\nenabled = true\nproxy_port = {proxy}\napp_port = {app}\n");
    std::fs::write(dir.path().join(".air.toml"), toml).unwrap();
    let mut r = Runner::start_in(dir.path(), &["--no-checks"], None, app);
    r.wait_for("serving", BUILD_WAIT);
    let through = raw_get(proxy, Duration::from_secs(10)).unwrap_or_default();
    assert!(through.starts_with("HTTP/1.1 200"), "{through}");
    assert!(through.ends_with("version v1"), "{through}");
    let notes: Vec<&str> = r
        .seen
        .iter()
        .filter(|e| e["event"] == "note")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    let said = format!("proxy: http://localhost:{proxy} -> :{app}");
    assert!(notes.iter().any(|n| n.starts_with(&said)), "{notes:#?}");
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
    // Live reload is on: the proxy answers its event stream itself.
    let mut s = std::net::TcpStream::connect(("127.0.0.1", proxy)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"GET /__reload-doctor/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut head = [0u8; 512];
    let n = std::io::Read::read(&mut s, &mut head).unwrap();
    let head = String::from_utf8_lossy(&head[..n]);
    assert!(head.contains("text/event-stream"), "{head}");
}

/// `[proxy] enabled = true` with `proxy_port = 0`: air v1.67.4 starts its proxy anyway, on a
/// port the kernel picks (and prints `localhost:0`). The runner did nothing and said nothing;
/// it now does as air does and names the port it got.
#[test]
fn airs_proxy_on_port_0_serves_where_the_kernel_picks_and_says_where() {
    let dir = common::copy_fixture("stdlib-healthy");
    let app = common::free_port();
    let toml = format!("[proxy]\nenabled = true\nproxy_port = 0\napp_port = {app}\n");
    std::fs::write(dir.path().join(".air.toml"), toml).unwrap();
    let mut r = Runner::start_in(dir.path(), &["--no-checks"], None, app);
    r.wait_for("serving", BUILD_WAIT);
    let warned = r
        .seen
        .iter()
        .find(|e| e["event"] == "warning")
        .unwrap_or_else(|| panic!("no warning: {:#?}", r.seen));
    let message = warned["message"].as_str().unwrap();
    let port: u16 = message
        .strip_prefix("[proxy] proxy_port is 0 or unset: the proxy serves on :")
        .and_then(|rest| rest.split(',').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{message}"));
    assert!(port != 0 && port != app, "{message}");
    let through = raw_get(port, Duration::from_secs(10)).unwrap_or_default();
    assert!(through.starts_with("HTTP/1.1 200"), "{through}");
}

#[test]
fn proxy_holds_requests_across_reloads_and_shows_a_failed_build() {
    let dir = common::copy_fixture("stdlib-healthy");
    let proxy = common::free_port();
    let mut r = Runner::start(dir.path(), &["--no-checks", "--proxy", &proxy.to_string()]);
    r.wait_for("serving", BUILD_WAIT);
    // A client that keeps asking through the proxy while the app is rebuilt five times.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut ok, mut failed, mut versions) = (0, vec![], std::collections::BTreeSet::new());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match raw_get(proxy, Duration::from_secs(40)) {
                    Some(t) if t.starts_with("HTTP/1.1 200") => {
                        ok += 1;
                        versions
                            .insert(t.rsplit("\r\n\r\n").next().unwrap_or("").trim().to_string());
                    }
                    other => failed.push(other),
                }
            }
            (ok, failed, versions)
        })
    };
    for i in 1..=5 {
        set_version(dir.path(), &format!("\"v{i}\""));
        r.wait_for("serving", BUILD_WAIT);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (ok, failed, versions) = client.join().unwrap();
    assert!(failed.is_empty(), "{} failed: {failed:?}", failed.len());
    assert!(
        ok > 5 && versions.len() >= 3,
        "{ok} ok, versions {versions:?}"
    );

    // A broken build: the proxy answers with a 502 page naming the stage and the error.
    set_version(dir.path(), "undefinedName");
    r.wait_for("build_failed", BUILD_WAIT);
    let page = raw_get(proxy, Duration::from_secs(40)).expect("an answer");
    assert!(page.starts_with("HTTP/1.1 502"), "{page}");
    assert!(page.contains("X-Reload-Doctor: build failed"), "{page}");
    assert!(page.contains("undefined: undefinedName"), "{page}");
}

#[test]
fn a_moved_project_folder_is_named_and_the_runner_stops_cleanly() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("app");
    let copy = common::copy_fixture("stdlib-healthy");
    std::fs::rename(copy.path(), &dir).unwrap();
    let mut r = Runner::start(&dir, &[]);
    r.wait_for("serving", BUILD_WAIT);
    let app: Vec<_> = processes_mentioning(&dir.display().to_string())
        .into_iter()
        .filter(|(_, cmd)| cmd.contains("tmp/main"))
        .collect();
    assert_eq!(app.len(), 1, "{app:?}");

    std::fs::rename(&dir, parent.path().join("moved")).unwrap();
    let w = r.wait_for("warning", Duration::from_secs(10));
    assert_eq!(
        w["message"],
        format!(
            "the project folder {} was moved or removed: nothing is left to watch",
            std::fs::canonicalize(parent.path())
                .unwrap()
                .join("app")
                .display()
        )
    );
    let stopped = r.wait_for("stopped", Duration::from_secs(10));
    assert_eq!(stopped["reason"], "project folder gone");
    let status = common::runner::wait_child(&mut r.child, Duration::from_secs(10))
        .expect("the runner exits");
    assert_eq!(status.code(), Some(1));
    assert!(
        eventually(Duration::from_secs(5), || std::fs::metadata(format!(
            "/proc/{}",
            app[0].0
        ))
        .is_err()),
        "the app is stopped: {app:?}"
    );
}

#[test]
fn a_broken_air_toml_is_named_with_its_line_and_nothing_starts() {
    let out = common::run(&[
        "run",
        "--project",
        common::fixture("air-broken-toml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "air-broken-toml/.air.toml:4:32: not valid TOML (invalid basic string); fix line 4"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_build_command_that_is_not_found_says_to_check_path() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &["--build.cmd", "no-such-tool-here build"]);
    let failed = r.wait_for("build_failed", BUILD_WAIT);
    let errors = failed["errors"].to_string();
    assert!(
        errors.contains("build.cmd: exit 127: a command was not found; is it (go?) on PATH?"),
        "{failed}"
    );
    assert_eq!(failed["app"], "no app running");
}

#[test]
fn a_gin_project_runs_unchanged_the_app_gets_port_like_gin_gives_it() {
    let dir = common::copy_fixture("stdlib-healthy");
    // gin's build output ignored: a gin project. The app listens on $PORT only.
    std::fs::write(dir.path().join(".gitignore"), "gin-bin\n").unwrap();
    let port = common::free_port();
    let mut r = Runner::start_in(dir.path(), &[], Some("unset PORT; exec \"$@\""), port);
    r.wait_for("serving", BUILD_WAIT);
    assert_eq!(r.get(), "version v1");
    let note = format!("gin project: the app gets PORT={port}, as gin gives it");
    assert!(
        r.seen.iter().any(|e| e["event"] == "note"
            && e["message"].as_str().unwrap_or("").starts_with(&note)),
        "{:#?}",
        r.seen
    );
}

/// The runner on `dir` with no preflight checks, a build that does nothing and `full_bin`
/// as the app: for tests about the app's life, not the build.
fn start_with_nothing_to_build(dir: &Path, full_bin: &str) -> Runner {
    let args = [
        "--no-checks",
        "--build.cmd",
        "true",
        "--build.full_bin",
        full_bin,
    ];
    Runner::start(dir, &args)
}

/// A Go app whose build runs a real generator: `//go:generate go run ./gen` writes
/// `generated.go` (committed, as generated code usually is), the same bytes every time, or
/// with the time in it when `stamp`.
fn generator_project(stamp: bool) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rd-gen-")
        .tempdir()
        .unwrap();
    let d = dir.path();
    std::fs::write(d.join("go.mod"), "module example.com/genapp\n\ngo 1.22\n").unwrap();
    std::fs::write(
        d.join("main.go"),
        "package main\n\n//go:generate go run ./gen\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n)\n\nvar _ = Generated\n\nfunc main() {\n\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, \"version \", Version) })\n\tpanic(http.ListenAndServe(\"127.0.0.1:\"+os.Getenv(\"PORT\"), nil))\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("version.go"),
        "package main\n\nconst Version = \"v1\"\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("gen")).unwrap();
    let value = if stamp {
        "fmt.Sprint(time.Now().UnixNano())"
    } else {
        "\"stable\""
    };
    std::fs::write(
        d.join("gen/main.go"),
        format!("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"time\"\n)\n\nvar _ = time.Now\n\nfunc main() {{\n\tsrc := fmt.Sprintf(\"// Code generated by gen; DO NOT EDIT.\\n\\npackage main\\n\\nconst Generated = %q\\n\", {value})\n\tif err := os.WriteFile(\"generated.go\", []byte(src), 0o644); err != nil {{\n\t\tpanic(err)\n\t}}\n}}\n"),
    )
    .unwrap();
    let out = std::process::Command::new("go")
        .args(["generate", "./..."])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    dir
}

/// Start the runner on a project whose build rewrites `written` every time (`loops`) or
/// with the same bytes: it serves, a loop is named once with the line to add, an edit
/// reloads, and the builds are counted.
fn serves_without_a_rebuild_loop(dir: &Path, args: &[&str], written: Option<&str>) -> Runner {
    let mut r = Runner::start(dir, args);
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(first["first"], true);
    assert_eq!(r.get(), "version v1");
    let startup_builds = match written {
        Some(file) => {
            let looped = r.wait_for("build_loop", BUILD_WAIT);
            assert_eq!(looped["files"], serde_json::json!([file]), "{looped}");
            let fix = looped["fix"].as_str().unwrap();
            assert!(
                fix.starts_with(&format!(
                    "add \"{file}\" to exclude_file in .air.toml: [build] exclude_file = [\"{file}\"]"
                )),
                "{fix}"
            );
            // The start-up build, then two builds for the build's own writes.
            3
        }
        None => 1,
    };
    r.drain(Duration::from_millis(2500));
    assert_eq!(r.count("build_started"), startup_builds, "{:#?}", r.seen);
    assert_eq!(r.get(), "version v1");

    std::fs::write(
        dir.join("version.go"),
        "package main\n\nconst Version = \"v2\"\n",
    )
    .unwrap();
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(reload["cause"], "version.go", "{reload}");
    assert_eq!(r.get(), "version v2");
    r.drain(Duration::from_millis(2500));
    assert_eq!(
        r.count("build_started"),
        startup_builds + 1,
        "{:#?}",
        r.seen
    );
    assert_eq!(r.count("build_cancelled"), 0, "{:#?}", r.seen);
    assert_eq!(r.count("build_loop"), written.iter().count(), "named once");
    r
}

fn air_toml(dir: &Path, build: &str) {
    std::fs::write(dir.join(".air.toml"), format!("[build]\n{build}\n")).unwrap();
}

#[test]
fn go_generate_in_cmd_writing_the_same_file_builds_once() {
    let dir = generator_project(false);
    air_toml(
        dir.path(),
        "cmd = \"go generate ./... && go build -o ./tmp/main .\"",
    );
    serves_without_a_rebuild_loop(dir.path(), &["--no-checks"], None);
}

#[test]
fn go_generate_in_pre_cmd_writing_the_same_file_builds_once() {
    let dir = generator_project(false);
    air_toml(dir.path(), "pre_cmd = [\"go generate ./...\"]");
    serves_without_a_rebuild_loop(dir.path(), &["--no-checks"], None);
}

#[test]
fn go_generate_in_cmd_writing_a_timestamp_is_stopped_as_a_loop() {
    let dir = generator_project(true);
    air_toml(
        dir.path(),
        "cmd = \"go generate ./... && go build -o ./tmp/main .\"",
    );
    serves_without_a_rebuild_loop(dir.path(), &["--no-checks"], Some("generated.go"));
}

/// The doctor's finding before the first build gives the same advice as the loop message.
#[test]
fn go_generate_in_pre_cmd_writing_a_timestamp_is_stopped_as_a_loop() {
    let dir = generator_project(true);
    air_toml(dir.path(), "pre_cmd = [\"go generate ./...\"]");
    let r = serves_without_a_rebuild_loop(dir.path(), &[], Some("generated.go"));
    let finding = r
        .seen
        .iter()
        .find(|e| e["event"] == "check" && e["id"] == "reloader-config")
        .unwrap_or_else(|| panic!("{:#?}", r.seen));
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("add \"generated.go\" to exclude_file"),
        "{finding}"
    );
}

/// A CSS step in the build writes a watched, non-Go file with new content every time: it
/// never cancels a build (the build does not read it); the loop is named and stopped.
#[test]
fn a_css_step_in_the_build_writing_a_timestamp_is_stopped_as_a_loop() {
    let dir = generator_project(false);
    std::fs::create_dir(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/app.css"), "body {}\n").unwrap();
    air_toml(
        dir.path(),
        "include_ext = [\"go\", \"css\"]\ncmd = \"printf '/* %s */\\\\nbody {}\\\\n' \\\"$(date +%s%N)\\\" > static/app.css && go build -o ./tmp/main .\"",
    );
    serves_without_a_rebuild_loop(dir.path(), &["--no-checks"], Some("static/app.css"));
}

#[test]
fn an_app_listening_only_on_ipv6_loopback_is_seen_serving() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/x\n\ngo 1.25\n",
    )
    .unwrap();
    touch_main(dir.path());
    let app = dir.path().join("app.sh");
    std::fs::write(&app, "exec python3 -m http.server --bind ::1 \"$PORT\"\n").unwrap();
    let full_bin = format!("sh {}", app.display());
    let mut r = start_with_nothing_to_build(dir.path(), &full_bin);
    let first = r.wait_for("serving", Duration::from_secs(20));
    assert_eq!(first["port"], r.port, "{first}");
    touch_main(dir.path());
    let reload = r.wait_for("serving", Duration::from_secs(20));
    assert_eq!(reload["cause"], "main.go", "{reload}");
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

#[test]
fn compiler_errors_are_printed_once_with_their_place() {
    let dir = common::copy_fixture("stdlib-healthy");
    set_version(dir.path(), "undefinedName");
    let t = Terminal::start(dir.path(), &["--no-checks"]);
    // The log line comes last in the failed build's report.
    let text = t.wait_for("log: ", 1, BUILD_WAIT);
    assert_eq!(
        text.matches("undefined: undefinedName").count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("handlers/version.go:3:17: undefined: undefinedName"),
        "{text}"
    );
    // Go's `# example.com/...` line above the errors is not shown: the errors name their file.
    assert!(!text.contains("# example.com/"), "{text}");
}

#[test]
fn app_output_gets_a_prefix_on_a_terminal_unless_no_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "echo hello from the app; echo oops >&2");
    let args = [
        "--no-checks",
        "--build.cmd",
        "true",
        "--build.full_bin",
        &full_bin,
    ];
    let t = Terminal::start(dir.path(), &args);
    t.wait_for("oops", 1, Duration::from_secs(20));
    let text = t.wait_for("hello from the app", 1, Duration::from_secs(5));
    assert!(
        text.lines().any(|l| l == "app│ hello from the app"),
        "{text}"
    );
    assert!(text.lines().any(|l| l == "app│ oops"), "{text}");
    drop(t);

    let mut no_prefix = args.to_vec();
    no_prefix.push("--no-prefix");
    let t = Terminal::start(dir.path(), &no_prefix);
    let text = t.wait_for("hello from the app", 1, Duration::from_secs(20));
    assert!(text.lines().any(|l| l == "hello from the app"), "{text}");
}

#[test]
fn r_and_enter_on_a_terminal_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "");
    let args = [
        "--no-checks",
        "--build.cmd",
        "true",
        "--build.full_bin",
        &full_bin,
    ];
    let mut t = Terminal::start(dir.path(), &args);
    t.wait_for("✔ started", 1, Duration::from_secs(20));
    t.type_line("r");
    t.wait_for("✔ reloaded (r + Enter)", 1, Duration::from_secs(20));
    // Anything else typed is left alone.
    t.type_line("hello");
    t.type_line("r");
    let text = t.wait_for("✔ reloaded (r + Enter)", 2, Duration::from_secs(20));
    assert_eq!(text.matches("building").count(), 3, "{text}");
}

#[test]
fn sigusr1_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "");
    let mut r = start_with_nothing_to_build(dir.path(), &full_bin);
    r.wait_for("serving", Duration::from_secs(20));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(r.pid()),
        nix::sys::signal::SIGUSR1,
    )
    .unwrap();
    let reload = r.wait_for("serving", Duration::from_secs(20));
    assert_eq!(reload["cause"], "SIGUSR1", "{reload}");
    assert_eq!(r.count("stopped"), 0);
}

/// `--fast` adds the flags to a plain `go build` and says so; the app it builds has no DWARF
/// data and no symbol table (what a debugger needs), and reloads as before.
#[test]
fn fast_builds_without_debug_data_and_says_so() {
    let dir = common::copy_fixture("stdlib-healthy");
    let mut r = Runner::start(dir.path(), &["--no-checks", "--fast"]);
    r.wait_for("serving", BUILD_WAIT);
    let note = r
        .seen
        .iter()
        .find(|e| e["event"] == "note" && e["message"].as_str().unwrap().starts_with("--fast"))
        .unwrap_or_else(|| panic!("{:#?}", r.seen))["message"]
        .clone();
    assert!(
        note.as_str()
            .unwrap()
            .contains("added -ldflags='-s -w' -buildvcs=false: no debugger can attach to the app"),
        "{note}"
    );
    let sections = std::process::Command::new("readelf")
        .args(["-S", "-W"])
        .arg(dir.path().join("tmp/main"))
        .output()
        .unwrap();
    let sections = String::from_utf8_lossy(&sections.stdout);
    assert!(sections.contains(".text"), "{sections}");
    assert!(!sections.contains(".debug_info"), "{sections}");
    assert!(!sections.contains(".symtab"), "{sections}");
    set_version(dir.path(), "\"fast\"");
    r.wait_for("serving", BUILD_WAIT);
    assert_eq!(r.get(), "version fast");
}

/// A real Go app in `dir`: `main.go` runs `body` (which may use log, net/http, os), and
/// `version.go` is the file a test changes to reload it.
fn go_app(dir: &Path, body: &str) {
    std::fs::write(dir.join("go.mod"), "module example.com/ports\n\ngo 1.22\n").unwrap();
    let main = format!(
        "package main\n\nimport (\n\t\"log\"\n\t\"net/http\"\n\t\"os\"\n\t\"time\"\n)\n\nvar _, _ = os.Getenv, time.Sleep\n\nfunc main() {{\n\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {{ w.Write([]byte(version)) }})\n{body}\n}}\n"
    );
    std::fs::write(dir.join("main.go"), main).unwrap();
    bump_version(dir);
}

fn bump_version(dir: &Path) {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let text = format!("package main\n\nconst version = \"v{n}\"\n");
    std::fs::write(dir.join("version.go"), text).unwrap();
}

/// A Go app built in the test (`listen` is its listening code) whose other port comes in
/// `$var` (a free one, given through a wrapper), run with a configured free port:
/// (its folder, the runner, the configured port, the other port).
fn app_with_env_port(
    listen: &str,
    var: &str,
    args: &[&str],
) -> (tempfile::TempDir, Runner, u16, u16) {
    let dir = tempfile::tempdir().unwrap();
    go_app(dir.path(), listen);
    let other = common::free_port();
    let wrap = format!("{var}={other} exec \"$@\"");
    let port = common::free_port();
    let r = Runner::start_in(dir.path(), args, Some(&wrap), port);
    (dir, r, port, other)
}

fn ports_of(event: &serde_json::Value) -> Vec<u64> {
    let ports = event["ports"].as_array().expect("ports in the event");
    ports.iter().map(|p| p.as_u64().unwrap()).collect()
}

#[test]
fn an_app_reading_server_port_is_found_there_without_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    go_app(
        dir.path(),
        "\tlog.Fatal(http.ListenAndServe(\":\"+os.Getenv(\"SERVER_PORT\"), nil))",
    );
    let port = common::free_port();
    let env = [("SERVER_PORT", &*port.to_string())];
    let mut r = Runner::start_finding_port(dir.path(), &["--no-checks"], &env, port);
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(
        (first["port"].as_u64(), ports_of(&first)),
        (Some(port.into()), vec![port.into()])
    );
    let body = r.get();
    bump_version(dir.path());
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(ports_of(&reload), vec![u64::from(port)], "{reload}");
    assert_ne!(r.get(), body);
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

#[test]
fn an_app_with_an_api_and_a_metrics_listener_shows_both() {
    let (dir, mut r, port, metrics) =
        app_with_env_port("\tgo func() { log.Fatal(http.ListenAndServe(\"127.0.0.1:\"+os.Getenv(\"METRICS_PORT\"), http.NewServeMux())) }()\n\tlog.Fatal(http.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil))", "METRICS_PORT", &["--no-checks"]);
    let mut both = vec![u64::from(port), u64::from(metrics)];
    both.sort();
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(ports_of(&first), both, "{first}");
    // Requests go to the configured port, which the app listens on: nothing to say.
    assert_eq!(first["port"].as_u64(), Some(port.into()), "{first}");
    bump_version(dir.path());
    let reload = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(ports_of(&reload), both, "{reload}");
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

/// A metrics server that listens at once and an API that listens after a slow start (a
/// database connecting): the app is ready when the API is, and nobody is told to change port.
#[test]
fn an_api_that_listens_after_its_metrics_server_is_waited_for() {
    let (dir, mut r, port, metrics) =
        app_with_env_port("\tgo func() { log.Fatal(http.ListenAndServe(\"127.0.0.1:\"+os.Getenv(\"METRICS_PORT\"), http.NewServeMux())) }()\n\ttime.Sleep(700 * time.Millisecond)\n\tlog.Fatal(http.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil))", "METRICS_PORT", &["--no-checks"]);
    let mut both = vec![u64::from(port), u64::from(metrics)];
    both.sort();
    for _ in 0..2 {
        let serving = r.wait_for("serving", BUILD_WAIT);
        assert_eq!(ports_of(&serving), both, "{serving}");
        assert_eq!(serving["port"].as_u64(), Some(port.into()), "{serving}");
        assert!(serving["start_ms"].as_f64().unwrap() >= 600.0, "{serving}");
        bump_version(dir.path());
    }
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

/// A listener opened a while after the app serves (a pprof server started late) is named when
/// it appears.
#[test]
fn a_listener_opened_after_the_app_serves_is_named_when_it_appears() {
    let (_dir, mut r, port, pprof) =
        app_with_env_port("\tgo func() { time.Sleep(500 * time.Millisecond); log.Fatal(http.ListenAndServe(\"127.0.0.1:\"+os.Getenv(\"PPROF_PORT\"), http.NewServeMux())) }()\n\tlog.Fatal(http.ListenAndServe(\":\"+os.Getenv(\"PORT\"), nil))", "PPROF_PORT", &["--no-checks"]);
    let serving = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(ports_of(&serving), vec![u64::from(port)], "{serving}");
    let more = r.wait_for("listening", Duration::from_secs(10));
    assert_eq!(more["added"], serde_json::json!([pprof]), "{more}");
    let mut both = vec![u64::from(port), u64::from(pprof)];
    both.sort();
    assert_eq!(ports_of(&more), both, "{more}");
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

#[test]
fn an_app_on_another_port_than_the_configured_one_is_said_once_with_the_flag() {
    let (dir, mut r, configured, real) = app_with_env_port(
        "\tlog.Fatal(http.ListenAndServe(\"127.0.0.1:\"+os.Getenv(\"LISTEN_ON\"), nil))",
        "LISTEN_ON",
        &["--no-checks"],
    );
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(
        (first["port"].as_u64(), ports_of(&first)),
        (Some(real.into()), vec![real.into()])
    );
    for _ in 0..2 {
        bump_version(dir.path());
        let reload = r.wait_for("serving", BUILD_WAIT);
        assert_eq!(ports_of(&reload), vec![u64::from(real)], "{reload}");
    }
    let warnings: Vec<&serde_json::Value> =
        r.seen.iter().filter(|e| e["event"] == "warning").collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let w = warnings[0];
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .contains(&format!("listens on :{real}, not on :{configured}")),
        "{w}"
    );
    assert_eq!(w["fix"], format!("pass --port {real}"), "{w}");
    assert!(get(real).is_some());
}

/// With `--proxy`, an app that listens elsewhere than the configured port is still reached:
/// the proxy forwards to where it listens, and the warning says so.
#[test]
fn the_proxy_forwards_to_where_the_app_really_listens() {
    let proxy = common::free_port();
    let args = ["--no-checks", "--proxy", &proxy.to_string(), "--hold", "5"];
    let (_dir, mut r, _, real) = app_with_env_port(
        "\tlog.Fatal(http.ListenAndServe(\"127.0.0.1:\"+os.Getenv(\"LISTEN_ON\"), nil))",
        "LISTEN_ON",
        &args,
    );
    r.wait_for("serving", BUILD_WAIT);
    let through = raw_get(proxy, Duration::from_secs(10)).unwrap_or_default();
    assert!(through.starts_with("HTTP/1.1 200"), "{through}");
    assert_eq!(
        Some(through.rsplit("\r\n\r\n").next().unwrap()),
        get(real).as_deref()
    );
    let said: Vec<&serde_json::Value> = r.seen.iter().filter(|e| e["event"] == "warning").collect();
    let forwards = format!("the proxy forwards to :{real}");
    assert!(
        said.iter()
            .any(|w| w["message"].as_str().unwrap().ends_with(&forwards)),
        "{said:#?}"
    );
}

/// The preflight prints findings as the report does: once each, at the line the check
/// names, each with its own mark under a failing check (a warning is `!`, not `✘`).
#[test]
fn preflight_findings_show_once_with_their_line_and_own_mark() {
    let dir = common::copy_fixture("stdlib-healthy");
    let toml = "root = \".\"\n[build]\ncmd = \"go build -o ./tmp/server .\"\nbin = \"./tmp/main\"\nexlude_dir = [\"x\"]\ndelay = 50\n\n[hooks]\npre = \"make assets\"\n";
    std::fs::write(dir.path().join(".air.toml"), toml).unwrap();
    let mut child = std::process::Command::new(common::bin())
        .args([
            "run",
            "--port",
            &common::free_port().to_string(),
            "--project",
        ])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = vec![];
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    for line in std::io::BufRead::lines(out).map_while(Result::ok) {
        let watching = line.starts_with("watching");
        lines.push(line);
        if watching {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = lines.join("\n");
    let marked = |mark: &str, needle: &str| {
        lines
            .iter()
            .any(|l| l.trim_start().starts_with(mark) && l.contains(needle))
    };
    assert!(
        marked("✘ reloader-config", "build.cmd writes ./tmp/server"),
        "{text}"
    );
    assert!(
        marked("! .air.toml:5:", "exlude_dir is not an air setting"),
        "{text}"
    );
    assert!(
        marked("! .air.toml:8:", "hooks is not an air setting"),
        "{text}"
    );
    assert_eq!(text.matches("is not an air setting").count(), 2, "{text}");
    assert!(!text.contains("line 1"), "{text}");
    assert_eq!(text.matches('✘').count(), 1, "{text}");

    // For tools: one event per finding, with its own status (the note is info).
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("watching", Duration::from_secs(20));
    let checks: Vec<(String, String)> = r
        .seen
        .iter()
        .filter(|e| e["event"] == "check")
        .map(|e| {
            (
                e["status"].as_str().unwrap().into(),
                e["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    let status_of = |needle: &str| {
        let found: Vec<&str> = checks
            .iter()
            .filter(|(_, m)| m.contains(needle))
            .map(|(s, _)| s.as_str())
            .collect();
        found
    };
    assert_eq!(status_of("build.cmd writes"), ["fail"], "{checks:?}");
    assert_eq!(status_of("exlude_dir"), ["warn"], "{checks:?}");
    assert_eq!(status_of("stop_on_error"), ["info"], "{checks:?}");
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

/// A build whose last step rewrites a watched file with the same bytes, rebuilt `times`
/// times by hand: its write's event may come after the build has ended (polling finds it up
/// to an interval later, inotify under load), and is still no change. The same bytes saved
/// by the user after a build reload.
fn a_builds_own_late_write_starts_no_build(extra: &[&str], times: usize) {
    let dir = tempfile::tempdir().unwrap();
    let full_bin = shell_app(dir.path(), "");
    let page = dir.path().join("page.html");
    std::fs::write(&page, "<p>same</p>\n").unwrap();
    let build = dir.path().join("build.sh");
    std::fs::write(&build, "printf '<p>same</p>\\n' > page.html\n").unwrap();
    let cmd = format!("sh {}", build.display());
    let mut args = vec![
        "--no-checks",
        "--build.cmd",
        &cmd,
        "--build.full_bin",
        &full_bin,
    ];
    args.extend(extra);
    let mut r = Runner::start(dir.path(), &args);
    r.wait_for("serving", Duration::from_secs(20));
    for _ in 0..times {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(r.pid()),
            nix::sys::signal::SIGUSR1,
        )
        .unwrap();
        while r.wait_for("serving", Duration::from_secs(20))["cause"] != "SIGUSR1" {}
    }
    r.drain(Duration::from_millis(1500));
    let causes: Vec<_> = r
        .seen
        .iter()
        .filter(|e| e["event"] == "build_started")
        .map(|e| e["cause"].clone())
        .collect();
    assert_eq!(causes.len(), times + 1, "{causes:?}");

    std::fs::write(&page, "<p>same</p>\n").unwrap();
    let reload = r.wait_for("serving", Duration::from_secs(20));
    assert_eq!(reload["cause"], "page.html", "{reload}");
    r.drain(Duration::from_millis(1500));
    assert_eq!(r.count("build_started"), times + 2, "{:#?}", r.seen);
}

#[test]
fn a_builds_own_late_write_found_by_polling_starts_no_build() {
    a_builds_own_late_write_starts_no_build(&["--build.poll", "--build.poll_interval", "300"], 5);
}

#[test]
fn a_builds_own_write_at_its_very_end_starts_no_build() {
    a_builds_own_late_write_starts_no_build(&[], 20);
}

/// A copy of fixtures/monorepo whose shared `.env` (read by the backend as `../.env`) gives
/// `port`.
fn monorepo(port: u16) -> tempfile::TempDir {
    let dir = common::copy_fixture("monorepo");
    std::fs::write(
        dir.path().join(".env"),
        format!("VITE_API_URL=http://localhost:{port}\nPORT={port}\n"),
    )
    .unwrap();
    dir
}

/// The `note` events' messages.
fn notes(r: &Runner) -> Vec<String> {
    r.seen
        .iter()
        .filter(|e| e["event"] == "note")
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect()
}

/// `run` at a monorepo root (backend/ a Go module with its .air.toml, frontend/ with node
/// files, a .env both share): it runs the backend, says so once, serves on the port the
/// backend's `godotenv.Load("../.env")` gives (known at once, not 8080 after a 3 s wait),
/// and writes nothing at the root. With a second module there that runs air too, it names
/// both with the flag to pass, exits 2 and writes nothing.
#[test]
fn run_at_a_monorepo_root_runs_the_module_below_it() {
    let port = common::free_port();
    let dir = monorepo(port);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let before = common::tree_of(&root);
    let mut r = Runner::start_finding_port(&root, &[], &[], port);
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(first["port"].as_u64(), Some(port.into()), "{:#?}", r.seen);
    assert!(first["start_ms"].as_f64().unwrap() < 1000.0, "{first}");
    assert_eq!(r.get().trim(), "backend");
    let notes = notes(&r);
    let below = notes
        .iter()
        .filter(|n| n.contains("is not a Go module; running backend below it"))
        .count();
    assert_eq!(below, 1, "{notes:#?}");
    assert!(
        notes.iter().any(|n| n.ends_with("backend/.air.toml")),
        "{notes:#?}"
    );
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
    assert_eq!(r.terminate().code(), Some(143));
    // The build went to backend/tmp; nothing was added at the root.
    let after: Vec<String> = common::tree_of(&root)
        .into_iter()
        .filter(|p| !p.starts_with("backend/tmp"))
        .collect();
    assert_eq!(after, before);

    std::fs::create_dir(root.join("tools")).unwrap();
    std::fs::write(root.join("tools/go.mod"), "module example.com/tools\n").unwrap();
    std::fs::write(root.join("tools/.air.toml"), "").unwrap();
    let before = common::tree_of(&root);
    let o = std::process::Command::new(common::bin())
        .args(["run", "--json"])
        .current_dir(&root)
        .env_remove("PORT")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    let err: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_valid("error.schema.json", &err);
    let message = err["error"].as_str().unwrap();
    assert!(
        message.contains("backend, tools")
            && message.contains("`reload-doctor run --project backend`"),
        "{message}"
    );
    assert_eq!(common::tree_of(&root), before);
}

/// A viper app (config/config.yaml's `port`, found by SetConfigName and AddConfigPath): run
/// knows its port before it starts, so it counts as started as soon as it listens there.
#[test]
fn run_finds_the_port_in_a_viper_config() {
    let dir = common::copy_fixture("viper-config");
    let port = common::free_port();
    let config = dir.path().join("config/config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("port: 8082", &format!("port: {port}")),
    )
    .unwrap();
    let mut r = Runner::start_finding_port(dir.path(), &[], &[], port);
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(first["port"].as_u64(), Some(port.into()), "{:#?}", r.seen);
    assert!(first["start_ms"].as_f64().unwrap() < 1000.0, "{first}");
    assert_eq!(r.get().trim(), "viper-config");
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

/// Nothing names the port (the app picks it from a variable of its own): the runner takes
/// the port the app listens on at once, with no warning, instead of waiting 3 s for 8080.
#[test]
fn an_unknown_port_is_learnt_from_the_app_at_once() {
    let dir = tempfile::tempdir().unwrap();
    go_app(
        dir.path(),
        "\tlog.Fatal(http.ListenAndServe(\"127.0.0.1:\"+os.Getenv(\"LISTEN_ON\"), nil))",
    );
    let port = common::free_port();
    let env = [("LISTEN_ON", &*port.to_string())];
    let mut r = Runner::start_finding_port(dir.path(), &["--no-checks"], &env, port);
    let first = r.wait_for("serving", BUILD_WAIT);
    assert_eq!(
        (first["port"].as_u64(), ports_of(&first)),
        (Some(port.into()), vec![port.into()])
    );
    assert!(first["start_ms"].as_f64().unwrap() < 1000.0, "{first}");
    assert_eq!(r.count("warning"), 0, "{:#?}", r.seen);
}

/// A project whose build (`sleep {secs}`, then main.go and files/*.go concatenated into
/// built.txt) and app (python serving a copy of built.txt taken as it starts) are shell
/// scripts: the body served is the state its build read. Returns the `.air.toml` lines.
fn timed_project(dir: &Path, secs: &str, delay_ms: u32) {
    let full_bin = shell_app(
        dir,
        "rm -rf served && mkdir served && cp built.txt served/index.htm && cd served",
    );
    std::fs::create_dir(dir.join("files")).unwrap();
    std::fs::write(dir.join("files/f.go"), "package files\n").unwrap();
    let build = dir.join("build.sh");
    let script = format!("sleep {secs}\ncat main.go files/*.go > built.txt\n");
    std::fs::write(&build, script).unwrap();
    air_toml(
        dir,
        &format!(
            "delay = {delay_ms}\ncmd = \"sh {}\"\nfull_bin = {full_bin:?}",
            build.display()
        ),
    );
}

/// What the project's build reads now: the body its app should serve.
fn built_from(dir: &Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("files"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut text = std::fs::read_to_string(dir.join("main.go")).unwrap();
    for f in files {
        text.push_str(&std::fs::read_to_string(f).unwrap());
    }
    text
}

fn ms_of(event: &serde_json::Value, key: &str) -> f64 {
    event[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no {key}: {event}"))
}

/// `delay = 1000` (what `air init` writes) and a 0.1 s build: the build starts as soon as the
/// save is quiet, and the app restarts when the delay has passed, not earlier.
#[test]
fn with_a_fast_build_the_restart_waits_for_the_delay_window() {
    let dir = tempfile::tempdir().unwrap();
    timed_project(dir.path(), "0.1", 1000);
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", Duration::from_secs(20));
    let saved = std::time::Instant::now();
    touch_main(dir.path());
    r.wait_for("build_started", Duration::from_secs(10));
    let started = saved.elapsed();
    let reload = r.wait_for("serving", Duration::from_secs(20));
    let served = saved.elapsed();
    assert!(started < Duration::from_millis(800), "{started:?}");
    assert!(ms_of(&reload, "wait_ms") < 800.0, "{reload}");
    assert!(ms_of(&reload, "total_ms") >= 1000.0, "{reload}");
    assert!(served >= Duration::from_millis(1000), "{served:?}");
    // The hold is the window's rest, and the reload line says so.
    let held = ms_of(&reload, "held_ms");
    let (wait, build) = (ms_of(&reload, "wait_ms"), ms_of(&reload, "build_ms"));
    assert!(held > 100.0 && wait + build + held >= 990.0, "{reload}");
    assert_eq!(r.get(), built_from(dir.path()));
}

/// On a terminal, the reload line says that the restart was held for the delay window.
#[test]
fn the_reload_line_says_the_restart_was_held_for_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    timed_project(dir.path(), "0.1", 1000);
    let t = Terminal::start(dir.path(), &[]);
    t.wait_for("✔ started", 1, Duration::from_secs(20));
    touch_main(dir.path());
    let text = t.wait_for("✔ reloaded", 1, Duration::from_secs(20));
    let line = text.lines().find(|l| l.contains("✔ reloaded")).unwrap();
    assert!(line.contains(" for delay"), "{line}");
}

/// `delay = 1000` and a 2 s build: the app restarts when the build is done, with no delay
/// added (air: 1 s, then the build).
#[test]
fn with_a_slow_build_the_restart_follows_the_build_without_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    timed_project(dir.path(), "2", 1000);
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", Duration::from_secs(20));
    touch_main(dir.path());
    let reload = r.wait_for("serving", Duration::from_secs(20));
    let (wait, build, total) = (
        ms_of(&reload, "wait_ms"),
        ms_of(&reload, "build_ms"),
        ms_of(&reload, "total_ms"),
    );
    assert!(wait < 800.0, "{reload}");
    // Nothing but the phases between save and serving: no part of the 1 s delay. (The app's
    // own start is a phase: on a loaded machine it alone can take most of a second.)
    let phases = wait + build + ms_of(&reload, "stop_ms") + ms_of(&reload, "start_ms");
    assert!(total < phases + 300.0, "{reload}");
    assert!(ms_of(&reload, "held_ms") < 50.0, "{reload}");
    assert_eq!(r.get(), built_from(dir.path()));
}

/// `--air-timing`: air's delay + build again.
#[test]
fn air_timing_builds_after_the_delay_as_air_does() {
    let dir = tempfile::tempdir().unwrap();
    timed_project(dir.path(), "0.5", 1000);
    let mut r = Runner::start(dir.path(), &["--air-timing"]);
    r.wait_for("serving", Duration::from_secs(20));
    touch_main(dir.path());
    let reload = r.wait_for("serving", Duration::from_secs(20));
    let (wait, build, total) = (
        ms_of(&reload, "wait_ms"),
        ms_of(&reload, "build_ms"),
        ms_of(&reload, "total_ms"),
    );
    assert!(wait >= 990.0, "{reload}");
    assert!(total >= 1000.0 + build, "{reload}");
    assert_eq!(r.get(), built_from(dir.path()));
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// A `git checkout` that rewrites 50 sources under `delay = 1000`: one build, one restart,
/// serving the checked-out files, and still not before the delay has passed.
#[test]
fn a_git_checkout_of_50_files_gives_one_build_and_one_restart() {
    let dir = tempfile::tempdir().unwrap();
    timed_project(dir.path(), "0.2", 1000);
    let write_all = |tag: &str| {
        for i in 0..50 {
            let text = format!("package files\n\nconst F{i} = \"{tag}\"\n");
            std::fs::write(dir.path().join(format!("files/f{i:02}.go")), text).unwrap();
        }
    };
    write_all("a");
    git(dir.path(), &["init", "-q", "-b", "a"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "a"]);
    git(dir.path(), &["checkout", "-qb", "b"]);
    write_all("b");
    git(dir.path(), &["commit", "-qam", "b"]);
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", Duration::from_secs(20));
    r.drain(Duration::from_millis(300));
    git(dir.path(), &["checkout", "-q", "a"]);
    let reload = r.wait_for("serving", Duration::from_secs(20));
    r.drain(Duration::from_millis(1500));
    assert_eq!(r.count("build_started"), 2, "{:#?}", r.seen);
    assert_eq!(r.count("serving"), 2, "{:#?}", r.seen);
    assert_eq!(r.count("build_cancelled"), 0, "{:#?}", r.seen);
    assert!(
        reload["cause"].as_str().unwrap().ends_with(" +49 more"),
        "{reload}"
    );
    assert!(ms_of(&reload, "total_ms") >= 1000.0, "{reload}");
    assert!(ms_of(&reload, "wait_ms") < 800.0, "{reload}");
    assert_eq!(r.get(), built_from(dir.path()));
}

/// A second save within the delay, after the first save's build is done: that build is not
/// served; the second save's is, once, when the first save's delay has passed.
#[test]
fn a_second_save_within_the_delay_is_built_and_served_once() {
    let dir = tempfile::tempdir().unwrap();
    timed_project(dir.path(), "0.1", 1500);
    let mut r = Runner::start(dir.path(), &[]);
    r.wait_for("serving", Duration::from_secs(20));
    touch_main(dir.path());
    r.wait_for("build_started", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(600));
    std::fs::write(dir.path().join("files/f.go"), "package files // 2\n").unwrap();
    let reload = r.wait_for("serving", Duration::from_secs(20));
    r.drain(Duration::from_millis(1000));
    assert_eq!(r.count("serving"), 2, "{:#?}", r.seen);
    assert_eq!(r.count("build_started"), 3, "{:#?}", r.seen);
    assert_eq!(reload["cause"], "main.go +1 more", "{reload}");
    assert!(ms_of(&reload, "total_ms") >= 1500.0, "{reload}");
    assert_eq!(r.get(), built_from(dir.path()));
}
