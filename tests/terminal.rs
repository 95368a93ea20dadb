//! What a person sees in a real terminal: the binary runs under a pseudo-terminal (`script`)
//! at 60 and 100 columns; piped, it prints no escape codes and wraps nothing. Ctrl-C during a
//! real, slow `go build` leaves no process and no temp folder.

mod common;

use common::{bin, code, fixture, stdout};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Escape codes (CSI sequences) taken out: what the terminal shows.
fn visible(s: &str) -> String {
    regex::Regex::new("\x1b\\[[0-9;?]*[A-Za-z]")
        .unwrap()
        .replace_all(s, "")
        .replace('\r', "")
}

fn width(line: &str) -> usize {
    line.chars().count()
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// stdout of the binary run under a pseudo-terminal `cols` wide (stderr, the spinner, goes
/// to /dev/null).
fn in_terminal(cols: u16, args: &[&str]) -> String {
    let line: Vec<String> = std::iter::once(bin().to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .map(|a| quote(&a))
        .collect();
    let script = format!("stty rows 40 cols {cols}; {} 2>/dev/null", line.join(" "));
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &script, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn report_args(project: &Path) -> Vec<String> {
    vec![
        "--project".into(),
        project.display().to_string(),
        "--only".into(),
        "reloader-config,signals".into(),
        "--no-compile".into(),
    ]
}

#[test]
fn the_report_wraps_to_60_and_100_columns_with_hanging_indents() {
    let project = fixture("air-unknown-keys");
    let args = report_args(&project);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for cols in [60, 100] {
        let raw = in_terminal(cols, &args);
        assert!(raw.contains("\x1b["), "a terminal gets colour:\n{raw}");
        let out = visible(&raw);
        for line in out.lines() {
            assert!(width(line) <= cols as usize, "{cols} cols: {line:?}\n{out}");
        }
        // The row's headline names the problem and wraps under its own first letter.
        let lines: Vec<&str> = out.lines().collect();
        let row = lines
            .iter()
            .position(|l| l.contains("✘ reloader-config"))
            .unwrap_or_else(|| panic!("{out}"));
        let column = lines[row]
            .find(".air.toml")
            .expect("headline names the file");
        let column = lines[row][..column].chars().count();
        assert!(lines[row].contains("delay"), "{out}");
        let next = lines[row + 1];
        assert_eq!(
            next.chars().take_while(|c| *c == ' ').count(),
            column,
            "continuation hangs under the headline at {cols} cols:\n{out}"
        );
        // Each other finding carries its own mark, its fix hangs under it.
        assert!(out.contains("! .air.toml:4: bin belongs"), "{out}");
        let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("more: reload-doctor explain reloader-config"),
            "{out}"
        );
    }
    let narrow = visible(&in_terminal(60, &args)).lines().count();
    let wide = visible(&in_terminal(100, &args)).lines().count();
    assert!(
        narrow > wide,
        "60 columns wrap more than 100 ({narrow} vs {wide})"
    );
}

#[test]
fn piped_output_has_no_escape_codes_and_no_wrapping() {
    let project = fixture("air-unknown-keys");
    let args = report_args(&project);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = Command::new(bin())
        .args(&args)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "{out}");
    assert!(
        out.lines().any(|l| width(l) > 100),
        "one line per finding:\n{out}"
    );
    let checks = stdout(&Command::new(bin()).arg("checks").output().unwrap());
    assert!(!checks.contains('\x1b'));
    assert!(
        checks.lines().all(|l| !l.ends_with(' ')),
        "no padding when piped:\n{checks}"
    );
}

#[test]
fn forced_colour_keeps_the_fix_tables_aligned() {
    let project = common::copy_fixture("air-unknown-keys");
    let run = |env: (&str, &str)| {
        let o = Command::new(bin())
            .args(["--fix", "--no-compile", "--only", "reloader-config,signals"])
            .arg("--project")
            .arg(project.path())
            .args(["--dry-run"])
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env(env.0, env.1)
            .output()
            .unwrap();
        stdout(&o)
    };
    let coloured = run(("FORCE_COLOR", "1"));
    assert!(
        coloured.contains("\x1b["),
        "FORCE_COLOR colours piped output"
    );
    let plain = run(("NO_COLOR", "1"));
    assert!(!plain.contains('\x1b'));
    assert_eq!(visible(&coloured), plain);
    // NO_COLOR wins over FORCE_COLOR.
    let o = Command::new(bin())
        .args(["checks"])
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));

    // Applied: the before/after table, coloured, aligns as the plain one does.
    let fixed = |env: (&str, &str)| {
        let p = common::copy_fixture("air-unknown-keys");
        let o = Command::new(bin())
            .args(["--fix", "--no-compile", "--only", "reloader-config"])
            .arg("--project")
            .arg(p.path())
            .env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env(env.0, env.1)
            .output()
            .unwrap();
        let out = stdout(&o);
        let table = out[out.find("CHECK").unwrap_or_else(|| panic!("{out}"))..].to_string();
        table.replace(&p.path().display().to_string(), "P")
    };
    let coloured = fixed(("FORCE_COLOR", "1"));
    assert!(coloured.contains("\x1b["));
    assert_eq!(visible(&coloured), fixed(("NO_COLOR", "1")));
}

#[test]
fn help_and_explain_wrap_in_a_terminal() {
    for args in [&["--help"][..], &["explain", "inotify-watches"][..]] {
        let out = visible(&in_terminal(60, args));
        assert!(out.lines().count() > 5, "{out}");
        for line in out.lines() {
            assert!(width(line) <= 60, "{args:?}: {line:?}\n{out}");
        }
    }
}

fn group_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    after.split(' ').nth(2)?.parse().ok()
}

fn members(pgid: i32) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| group_of(*pid) == Some(pgid))
        .collect()
}

/// The pid of a `go build` the doctor `parent` started.
fn go_build_of(parent: i32) -> Option<i32> {
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .find(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ppid = stat
                .rfind(')')
                .and_then(|i| stat[i + 2..].split(' ').nth(1)?.parse::<i32>().ok());
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            ppid == Some(parent) && String::from_utf8_lossy(&cmdline).contains("build")
        })
}

#[test]
fn ctrl_c_during_a_slow_compile_leaves_no_child_and_no_temp_folder() {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("go.mod"), "module slow\n\ngo 1.22\n").unwrap();
    std::fs::write(
        project.path().join("main.go"),
        "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n",
    )
    .unwrap();
    // An empty build cache makes go compile the standard library: seconds, not milliseconds.
    let cache = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args(["--only", "compile", "--project"])
        .arg(project.path())
        .env("GOCACHE", cache.path())
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let doctor = child.id() as i32;
    let deadline = Instant::now() + Duration::from_secs(60);
    let build = loop {
        if let Some(pid) = go_build_of(doctor) {
            break pid;
        }
        assert!(Instant::now() < deadline, "no go build started");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the doctor ended first"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let pgid = group_of(build).expect("go build's group");
    assert_ne!(
        pgid,
        group_of(doctor).unwrap(),
        "go build runs in its own group"
    );
    // Let the compiler processes start under it.
    std::thread::sleep(Duration::from_millis(500));
    let leftovers = || {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
    };
    assert!(
        leftovers()
            .iter()
            .any(|n| n.starts_with("reload-doctor-build-")),
        "the build's temp folder exists while it runs"
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(doctor),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = child.wait().unwrap();
    // It dies of SIGINT, as an uninterrupted program would: the shell shows 130.
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !members(pgid).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(members(pgid), Vec::<i32>::new(), "go build's group is gone");
    assert_eq!(leftovers(), Vec::<String>::new(), "no temp folder left");
}

#[test]
fn verify_with_a_reloader_that_is_not_installed_exits_2() {
    let o = Command::new(bin())
        .args(["verify", "--with", "fresh", "--project"])
        .arg(fixture("stdlib-healthy"))
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", common::stderr(&o));
    assert!(common::stderr(&o).contains("fresh is not installed"));
    let o = Command::new(bin())
        .args(["verify", "--json", "--with", "fresh", "--project"])
        .arg(fixture("stdlib-healthy"))
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    let error: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("a JSON error");
    assert!(error["error"].as_str().unwrap().contains("not installed"));
}

#[test]
fn notes_wait_for_verbose_and_a_healthy_project_reads_healthy() {
    let project = fixture("no-signals");
    let run = |verbose: bool| {
        let mut cmd = Command::new(bin());
        cmd.args([
            "--no-compile",
            "--only",
            "reloader-config,signals,mount-events",
            "--project",
        ])
        .arg(&project)
        .env("NO_COLOR", "1");
        if verbose {
            cmd.arg("-v");
        }
        stdout(&cmd.output().unwrap())
    };
    let quiet = run(false);
    let loud = run(true);
    // Every line under a row (indented past the marks) is a problem or what to do: none here.
    assert!(
        !quiet.lines().any(|l| l.starts_with("      ")),
        "no detail lines by default:\n{quiet}"
    );
    assert!(
        quiet.contains("notes (-v)") || quiet.contains("note (-v)"),
        "{quiet}"
    );
    assert!(
        loud.lines().filter(|l| l.starts_with("      ")).count() > 2,
        "{loud}"
    );
    assert!(
        loud.contains(" ms)"),
        "-v shows each check's duration:\n{loud}"
    );
    assert!(
        !loud.contains("{\""),
        "evidence as lines, not raw JSON:\n{loud}"
    );
}
