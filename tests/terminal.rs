//! What a person sees in a real terminal: the binary runs under a pseudo-terminal (`script`)
//! at 60 and 100 columns; piped, it prints no escape codes and wraps nothing. Ctrl-C during a
//! real, slow `go build` leaves no process and no temp folder.

mod common;

use common::pty::{command_line, in_terminal, quote, visible};
use common::{bin, check, code, fixture, json_report, stdout};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn width(line: &str) -> usize {
    line.chars().count()
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
        assert!(out.contains("! .air.toml:9: [build] exlude_dir"), "{out}");
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

    // Applied: the lines after the plan, coloured, align as the plain ones do.
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
        let table = out[out.find("Plan:").unwrap_or_else(|| panic!("{out}"))..].to_string();
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
    common::schema::assert_valid("error.schema.json", &error);
    assert!(error["error"].as_str().unwrap().contains("not installed"));
}

/// `-v` reads like `flutter doctor -v`: a few bullets a check (its summary's clauses, its
/// notes), no `key[3].sub: value` dump of the evidence, which stays in the JSON.
#[test]
fn verbose_is_a_few_bullets_a_check_and_the_evidence_stays_in_json() {
    let project = fixture("air-zero-values");
    let out = stdout(
        &Command::new(bin())
            .args(["--no-compile", "-v", "--project"])
            .arg(&project)
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    );
    assert!(!out.contains("evidence:"), "{out}");
    assert!(!out.contains("(by hand) (by hand)"), "{out}");
    let rows = out
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .count();
    let lines = out.lines().count();
    assert!(
        rows >= 10 && lines < rows * 4,
        "{rows} checks in {lines} lines:\n{out}"
    );
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("• ")),
        "{out}"
    );
    let (_, v) = json_report(&project, &["--no-compile", "--only", "reloader-config"]);
    let f = &check(&v, "reloader-config")["findings"][0];
    assert!(f["evidence"]["problem"].is_string(), "{f:#}");
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

/// A project whose own package takes seconds to compile: thousands of functions, and a seed
/// that makes each copy new to Go's build cache.
fn slow_compile_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("go.mod"), "module slow\n\ngo 1.22\n").unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let mut src = format!("package main\n\nimport \"fmt\"\n\nconst seed = {seed}\n");
    let n = 6000; // seconds to compile even on an idle machine (2500 took 1.0 s once)
    for i in 0..n {
        src.push_str(&format!(
            "func f{i}(x int) int {{\n\tif x > {i} {{\n\t\treturn x*{i} + seed%7\n\t}}\n\tfor j := 0; j < x; j++ {{\n\t\tx += j ^ {i}\n\t}}\n\treturn x\n}}\n"
        ));
    }
    src.push_str("func main() {\n\ts := 0\n");
    for i in 0..n {
        src.push_str(&format!("\ts += f{i}(s)\n"));
    }
    src.push_str("\tfmt.Println(s)\n}\n");
    std::fs::write(dir.path().join("main.go"), src).unwrap();
    dir
}

/// All the terminal receives (stdout and stderr) from `shell`, run by sh under a
/// pseudo-terminal 100 columns wide.
fn terminal_screen(shell: &str) -> String {
    let out = Command::new("script")
        .args([
            "-q",
            "-e",
            "-c",
            &format!("stty rows 40 cols 100; {shell}"),
            "/dev/null",
        ])
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Each spinner frame drawn: its offset in `raw` and its text.
fn frames(raw: &str) -> Vec<(usize, String)> {
    regex::Regex::new("\x1b\\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ([^\r\n\x1b]*)")
        .unwrap()
        .captures_iter(raw)
        .map(|c| (c.get(0).unwrap().start(), c[1].to_string()))
        .collect()
}

#[test]
fn rows_stream_in_while_a_slow_compile_runs_and_the_spinner_names_it() {
    let project = slow_compile_project();
    let line = command_line(&[
        "--only",
        "toolchain,reloader-config,compile,signals",
        "--project",
        &project.path().display().to_string(),
    ]);
    let raw = terminal_screen(&line);
    let frames = frames(&raw);
    // The row above the compile is on screen while the compile runs: a frame naming the
    // running compile with its time comes after it, and before the compile's own row.
    let above = raw
        .find("reloader-config")
        .unwrap_or_else(|| panic!("{raw}"));
    let compile_row = regex::Regex::new("compile +builds in")
        .unwrap()
        .find(&raw)
        .unwrap_or_else(|| panic!("{raw:?}"))
        .start();
    let timed = regex::Regex::new(r"^compile [0-9.]+ (ms|s) · [0-9]/4 done$").unwrap();
    let during: Vec<&(usize, String)> = frames
        .iter()
        .filter(|(at, text)| *at > above && *at < compile_row && timed.is_match(text))
        .collect();
    assert!(
        !during.is_empty(),
        "a spinner frame names the running compile after the rows above it: {frames:?}\n{raw:?}"
    );
    assert!(
        during.iter().any(|(_, t)| t.contains(" s ·")),
        "the compile ran for seconds, and the spinner counts them: {during:?}"
    );
    // The spinner is cleared before the closing line, and never drawn after it.
    let (last, _) = frames.last().unwrap();
    let after = &raw[*last..];
    let cleared = after
        .find("\r\x1b[2K")
        .expect("the spinner line is cleared");
    let closing = after.find("1 note").or_else(|| after.find("passed"));
    assert!(
        closing.is_some_and(|c| c > cleared),
        "cleared before the closing line: {after:?}"
    );
    assert!(*last < compile_row, "no spinner after the compile ends");
}

#[test]
fn piped_or_json_the_report_draws_no_spinner_and_no_escape_codes() {
    let project = slow_compile_project();
    let args = command_line(&[
        "--only",
        "reloader-config,compile",
        "--project",
        &project.path().display().to_string(),
    ]);
    // stderr stays on the terminal; stdout is read by another program.
    let piped = terminal_screen(&format!("{args} | cat"));
    assert!(piped.contains("builds in"), "{piped}");
    assert!(!piped.contains('\x1b'), "{piped:?}");
    let json = terminal_screen(&format!("{args} --json"));
    assert!(json.contains("\"schema_version\""), "{json}");
    assert!(!json.contains('\x1b'), "{json:?}");
}

#[test]
fn runs_first_build_shows_its_time_on_a_terminal() {
    let project = slow_compile_project();
    let pid_file = project.path().join(".pid");
    let shell = format!(
        "echo $$ > {}; exec {} run --no-checks --project {}",
        quote(&pid_file.display().to_string()),
        quote(bin()),
        quote(&project.path().display().to_string())
    );
    let mut script = Command::new("script")
        .args([
            "-q",
            "-e",
            "-c",
            &format!("stty rows 40 cols 100; {shell}"),
            "/dev/null",
        ])
        .env_remove("NO_COLOR")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = script.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut raw = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(180);
    while !String::from_utf8_lossy(&raw).contains("app exited") {
        assert!(
            Instant::now() < deadline,
            "{}",
            String::from_utf8_lossy(&raw)
        );
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
            raw.extend(chunk);
        }
    }
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    script.wait().unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let frames = frames(&raw);
    let timed = regex::Regex::new(r"^building… [0-9.]+ (ms|s)$").unwrap();
    assert!(
        frames
            .iter()
            .any(|(_, t)| timed.is_match(t) && t.ends_with(" s")),
        "the first build's time, in seconds: {frames:?}\n{raw:?}"
    );
    let (last, _) = frames.last().unwrap();
    let after = &raw[*last..];
    assert!(
        after.find("\r\x1b[2K") < after.find("exited"),
        "cleared before the next line: {after:?}"
    );
}

/// What a terminal would act on in `out`, other than our own colours (SGR, `ESC [ ... m`):
/// the offending text around each, empty when there is none.
fn controls(out: &str) -> Vec<String> {
    let sgr = regex::Regex::new("^\x1b\\[[0-9;]*m").unwrap();
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let chars: Vec<(usize, char)> = out.char_indices().collect();
    (0..chars.len())
        .filter(|&n| match chars[n] {
            (_, '\n') => false,
            (i, '\x1b') => !sgr.is_match(&out[i..]),
            (_, c) => c.is_control() || bidi(c),
        })
        .map(|n| {
            let around = &chars[n.saturating_sub(20)..(n + 20).min(chars.len())];
            format!("{:?}", around.iter().map(|c| c.1).collect::<String>())
        })
        .collect()
}

/// A project whose file name, port origin, pre_cmd tool, unknown key and exclude_dir entry
/// carry terminal controls: OSC title writes (`ESC ] 0 ; ... BEL`), a clear screen, C1 CSI,
/// a bidi override and a newline that would start a fake report line.
fn hostile_names_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("go.mod"), "module example.com/x\n\ngo 1.22\n").unwrap();
    std::fs::write(
        p.join("srv\x1b]0;FILETITLE\x07x.go"),
        "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n)\n\nfunc main() {\n\tport := flag.String(\"port\", \"8181\", \"listen port\")\n\tflag.Parse()\n\thttp.ListenAndServe(\":\"+*port, nil)\n}\n",
    )
    .unwrap();
    // The folder the exclude_dir entry names exists, so its "./" is worth a finding.
    std::fs::create_dir(p.join("ex\x1b]0;EXTITLE\x07dir\u{9b}\u{202e}")).unwrap();
    std::fs::write(
        p.join(".air.toml"),
        r#"[build]
  cmd = "go build -o ./tmp/main ."
  bin = "./tmp/main"
  pre_cmd = ["\u001b]0;PRETITLE\u0007tool\u001b[2J --x"]
  exclude_dir = ["tmp", "./ex\u001b]0;EXTITLE\u0007dir\u009b\u202e"]
  "unk\u001b]0;KEYTITLE\u0007\nFAKE line\u202e" = 1
"#,
    )
    .unwrap();
    dir
}

#[test]
fn a_repository_cannot_send_control_sequences_to_the_terminal() {
    let project = hostile_names_project();
    let report = |extra: &[&str]| {
        let o = Command::new(bin())
            .args(["--no-compile", "--only", "reloader-config,signals"])
            .arg("--project")
            .arg(project.path())
            .args(extra)
            .env_remove("PORT")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        assert!(code(&o) < 2, "{extra:?}: {}", common::stderr(&o));
        stdout(&o)
    };
    // Each name shown, with its controls written out.
    let shown = [
        r"(default at srv\e]0;FILETITLE\ax.go:9)",
        r"PRETITLE\atool\e[2J",
        r"unk\e]0;KEYTITLE\a\nFAKE line\u202e",
        r"./ex\e]0;EXTITLE\adir\u009b\u202e",
    ];
    for args in [
        &["--color", "never"][..],
        &["--color", "always"],
        &["--color", "always", "-v"],
        &["--fix", "--dry-run", "--color", "always"],
        &["--format", "github"],
    ] {
        let out = report(args);
        assert_eq!(controls(&out), Vec::<String>::new(), "{args:?}:\n{out}");
        let plain = visible(&out);
        for name in &shown[1..] {
            assert!(plain.contains(name), "{args:?}: {name} not in\n{plain}");
        }
        if args[0] != "--format" {
            assert!(plain.contains(shown[0]), "{args:?}: {}\n{plain}", shown[0]);
        }
        assert!(
            !plain.lines().any(|l| l.starts_with("FAKE")),
            "{args:?}: a name started a line\n{plain}"
        );
        // The signals row names the file its server starts in (under -v, as a note).
        if args.contains(&"-v") {
            assert!(plain.contains(r"ListenAndServe at srv\e]0;FILETITLE\ax.go:11"));
        }
    }
    // JSON keeps the text as it is (escaped by JSON's own rules).
    let json: serde_json::Value = serde_json::from_str(&report(&["--json"])).unwrap();
    assert_eq!(
        json["project"]["port_origin"],
        "srv\x1b]0;FILETITLE\x07x.go:9"
    );
    let text = json.to_string();
    assert!(
        text.contains(r"unk\u001b]0;KEYTITLE\u0007\nFAKE line"),
        "{text}"
    );
}

#[test]
fn explain_shows_an_unknown_id_escaped() {
    for json in [false, true] {
        let mut cmd = Command::new(bin());
        cmd.args(["explain", "x\x1b]0;TITLE\x07\x1b[2J\u{202e}"]);
        if json {
            cmd.arg("--json");
        }
        let o = cmd.output().unwrap();
        assert_eq!(code(&o), 2);
        let err = common::stderr(&o);
        assert_eq!(controls(&err), Vec::<String>::new(), "{err}");
        assert!(err.contains(r"`x\e]0;TITLE\a\e[2J\u202e`"), "{err}");
    }
}

/// `run`'s reload lines name the changed file and the packages compiled, read from /proc
/// command lines: a package (`compile -p NAME`) and a file name with controls in them.
#[test]
fn runs_reload_lines_show_names_from_the_project_and_proc_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("go.mod"), "module example.com/x\n\ngo 1.25\n").unwrap();
    std::fs::write(p.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    // A process named `compile` with `-p` is what the tool watch times as a Go compile.
    std::fs::write(p.join("compile"), "#!/bin/sh\nsleep 0.4\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p.join("compile"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        p.join("build.sh"),
        "./compile -p \"$(printf 'evil\\033]0;PWNED\\007pkg')\"\n",
    )
    .unwrap();
    std::fs::write(
        p.join("app.sh"),
        "exec python3 -m http.server --bind 127.0.0.1 \"$PORT\"\n",
    )
    .unwrap();
    let port = common::free_port();
    let mut child = Command::new(bin())
        // -v: the reload line names the compiled packages.
        .args(["run", "-v", "--no-checks", "--color", "always", "--project"])
        .arg(p)
        .args(["--port", &port.to_string()])
        .args([
            "--build.cmd",
            "sh build.sh",
            "--build.full_bin",
            "sh app.sh",
        ])
        .env("PORT", port.to_string())
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = out.clone();
    let mut pipe = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                return;
            }
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            sink.lock().unwrap().push_str(&text);
        }
    });
    let seen = |needle: &str| {
        common::runner::eventually(Duration::from_secs(30), || {
            out.lock().unwrap().contains(needle)
        })
    };
    let started = seen(" started ");
    if started {
        std::fs::write(p.join("srv\x1b]0;CAUSE\x07x.go"), "package main\n").unwrap();
    }
    let reloaded = started && seen(" reloaded ");
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::SIGTERM,
    );
    if common::runner::wait_child(&mut child, Duration::from_secs(10)).is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let out = out.lock().unwrap().clone();
    assert!(reloaded, "{out}");
    assert_eq!(controls(&out), Vec::<String>::new(), "{out}");
    let plain = visible(&out);
    assert!(plain.contains(r"compile evil\e]0;PWNED\apkg "), "{plain}");
    assert!(plain.contains(r"reloaded (srv\e]0;CAUSE\ax.go)"), "{plain}");
}
