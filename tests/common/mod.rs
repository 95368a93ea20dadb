//! Helpers shared by the integration tests: they drive the real binary on real fixtures.
#![allow(dead_code)]

pub mod docker;
pub mod processes;
pub mod pty;
pub mod runner;
pub mod schema;
pub mod tree;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_reload-doctor")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// A private copy of a fixture, so a test may change it (and build into its tmp dir).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rd-fixture-")
        .tempdir()
        .unwrap();
    copy_tree(&fixture(name), dir.path());
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        // A doctor running on the same fixture in a parallel test has a probe folder here
        // for a few milliseconds; it is not part of the fixture and may vanish mid-copy.
        if e.file_name()
            .to_string_lossy()
            .starts_with(".reload-doctor-")
        {
            continue;
        }
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Run the binary with `args`, colour off unless a test asks for it.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        // The app port is read from $PORT too: tests choose it themselves.
        .env_remove("PORT")
        .output()
        .expect("run reload-doctor")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `reload-doctor --json --project DIR ARGS..` parsed, with its exit code.
pub fn json_report(project: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json", "--project", project.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = run(&all);
    let file = if args.contains(&"--fix") {
        "fix.schema.json"
    } else {
        "report.schema.json"
    };
    if serde_json::from_slice::<Value>(&o.stdout).is_err() {
        panic!("not JSON: {}\nstderr: {}", stdout(&o), stderr(&o));
    }
    (code(&o), schema::parse(file, &o.stdout))
}

/// The entry for check `id` in a JSON report.
pub fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in report"))
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Wait (up to 15 s) until something accepts connections on 127.0.0.1:`port`.
pub fn wait_listening(port: u16) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing listens on :{port}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The findings of one check's JSON.
pub fn findings(check: &Value) -> &Vec<Value> {
    check["findings"].as_array().expect("findings array")
}

/// The messages of one check's findings.
pub fn messages(check: &Value) -> Vec<String> {
    findings(check)
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

/// `depth` levels of `width` directories, 30 files in each.
pub fn make_tree(root: &std::path::Path, depth: u32, width: u32) {
    std::fs::create_dir_all(root).unwrap();
    for f in 0..30 {
        std::fs::write(root.join(format!("f{f}.js")), "").unwrap();
    }
    if depth > 0 {
        for w in 0..width.max(1) {
            make_tree(&root.join(format!("d{w}")), depth - 1, width);
        }
    }
}

pub fn only(project: &Path, ids: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--only", ids];
    args.extend_from_slice(extra);
    json_report(project, &args).1
}

/// Run the binary inside a private mount namespace after `setup` (shell) mounted something.
pub fn json_in_namespace(setup: &str, project: &Path, only: &str) -> (i32, Value) {
    let script = format!(
        "set -e; {setup}; exec {} --json --project {} --only {only}",
        bin(),
        project.display()
    );
    let o = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .env("NO_COLOR", "1")
        .output()
        .expect("run unshare");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); these tests need `unshare -m` and mount (root with CAP_SYS_ADMIN)\nstdout: {}\nstderr: {}",
            stdout(&o),
            stderr(&o)
        )
    });
    schema::assert_report(&v);
    (code(&o), v)
}

/// Grow (or cut) `path` to `len` bytes: a sparse tail of NULs after what it holds, as a crash
/// leaves a file or a hostile repository can make one, without writing them.
pub fn pad_with_nuls(path: &Path, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

/// Every path under `root` (folders and files), relative.
pub fn tree_of(root: &Path) -> Vec<String> {
    let mut found = vec![];
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            found.push(p.strip_prefix(root).unwrap().display().to_string());
            if e.file_type().unwrap().is_dir() {
                dirs.push(p);
            }
        }
    }
    found.sort();
    found
}

/// Make `program` available, installing Debian's `package` with apt-get when it is missing, so
/// the README's test command works on a fresh machine (the tests run as root). Panics with
/// the reason when it cannot: a skipped test would hide what it checks.
pub fn ensure_installed(program: &str, package: &str) {
    let here = || which::which(program).is_ok();
    let out = install_unless(here, package, None);
    assert!(
        here(),
        "{program} is needed and `apt-get install {package}` did not install it: {out:?}"
    );
}

/// Make the Python module `module` importable by the `python3` on PATH: Debian's `package`
/// with apt-get, else (a python3 that is not Debian's, as .ci/run allows) pip.
pub fn ensure_python_module(module: &str, package: &str) {
    let here = || {
        Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let out = install_unless(here, package, Some(module));
    assert!(
        here(),
        "Python's {module} is needed and neither `apt-get install {package}` nor `python3 -m pip install {module}` installed it: {out:?}"
    );
}

/// Install `package` with apt-get (then `pip_name` with pip, when given and still needed)
/// unless `here()`; the last installer's output.
fn install_unless(
    here: impl Fn() -> bool,
    package: &str,
    pip_name: Option<&str>,
) -> Option<std::io::Result<Output>> {
    static APT: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    if here() {
        return None;
    }
    // One installer at a time in this test process (apt holds a lock), `update` once.
    let mut updated = APT.lock().unwrap_or_else(|e| e.into_inner());
    if here() {
        return None;
    }
    if !*updated {
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        *updated = true;
    }
    let mut out = Command::new("apt-get")
        .args(["install", "-y", "-qq", package])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output();
    if let (false, Some(name)) = (here(), pip_name) {
        out = Command::new("python3")
            .args(["-m", "pip", "install", "-q", name])
            .output();
    }
    Some(out)
}
