//! The real binary on hostile project trees: fixtures with mutated configs and sources, symlink
//! loops, FIFOs and device links named like project files, non-UTF-8 names, unreadable folders
//! (the report then runs as user nobody), 1,000-deep folder chains and a 50 MB config. Every
//! report must end within 20 s (150 s when it compiles: compile's own deadline is 120 s)
//! without a panic, print one JSON document, and leave the tree
//! exactly as it was: every entry's name, type, mode, size, mtime, bytes and link target.
//! (Folder mtimes are left out: the mount and editor probes create and remove their hidden
//! scratch folder in the project root, by design.)
//!
//! `PROJECT_FUZZ_CASES` (default 24) cases, `PROJECT_FUZZ_JOBS` (default 2) at a time;
//! `PROJECT_FUZZ_ONLY=N` repeats case N. One case in `COMPILE_EVERY` also runs `compile`;
//! `PROJECT_FUZZ_COMPILING_ONLY=1` runs only those.
//! `bench/project-fuzz.sh` runs 10,000.

mod common;
#[allow(dead_code)]
#[path = "../fuzz/engine.rs"]
mod engine;

use engine::Rng;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const HANG: Duration = Duration::from_secs(20);
/// A report that compiles may wait on `go build` up to compile's own 120 s deadline (a loaded
/// machine takes over 20 s for a cold build); beyond that and a margin it hangs.
const HANG_COMPILING: Duration = Duration::from_secs(150);
const COMPILE_EVERY: u64 = 50;

/// Files a mutation may rewrite, make a FIFO, or point at a device.
const NAMES: &[&str] = &[
    ".air.toml",
    "runner.conf",
    ".env",
    "go.mod",
    "main.go",
    "Makefile",
    ".gitignore",
    "package.json",
    "Taskfile.yml",
    "sqlc.yaml",
    ".config/air.toml",
];

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(common::fixture(""))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.join("go.mod").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Text of every config and source file in the fixtures: the mutation corpus.
fn corpus() -> Vec<Vec<u8>> {
    fn walk(dir: &Path, out: &mut Vec<Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if std::fs::metadata(&p).is_ok_and(|m| m.len() < 64 * 1024) {
                out.push(std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = vec![];
    walk(&common::fixture(""), &mut out);
    out
}

const DICT: &[&[u8]] = &[
    b"[build]\n",
    b"[proxy]\nenabled = true\napp_port = 1\nproxy_port = 2\n",
    b"cmd = \"make build\"\n",
    b"cmd = \"npm run build && go build -o ./tmp/main .\"\n",
    b"cmd = \"task build\"\n",
    b"tmp_dir = \"/\"\n",
    b"root = \"..\"\n",
    b"bin = \"/bin/sh\"\n",
    b"full_bin = \"./tmp/main serve\"\n",
    b"include_dir = [\"loop\"]\n",
    b"exclude_regex = [\"(\"]\n",
    b"follow_symlink = true\n",
    b"kill_delay = \"99999999999999999999999s\"\n",
    b"kill_delay = \"10000000000000000000s\"\n",
    b"poll = true\npoll_interval = 0\n",
    b"include_ext = [\"*\"]\n",
    b"env_files = [\".env\", \"/dev/zero\"]\n",
    b"PORT=",
    b"os.Getenv(\"SERVER_PORT\")",
    b"signal.Notify(c, os.Interrupt)",
    b"//go:embed static\n",
    b"go 1.99\n",
    b"toolchain go1.99.0\n",
];

/// One random change to the tree at `root`; returns what it did (for the failure report).
fn mutate_tree(rng: &mut Rng, root: &Path, corpus: &[Vec<u8>], nobody: bool) -> String {
    let name = NAMES[rng.below(NAMES.len())];
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let replace = |path: &Path| {
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_dir_all(path);
    };
    match rng.below(12) {
        0..=3 => {
            // Mutated text: the current file, else a corpus file.
            // (Never through an earlier mutation's FIFO or device link.)
            let regular =
                std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() < 1 << 20);
            let mut bytes = match regular {
                true => std::fs::read(&path).unwrap(),
                false => corpus[rng.below(corpus.len())].clone(),
            };
            engine::mutate(rng, &mut bytes, corpus, DICT, 64 * 1024);
            replace(&path);
            std::fs::write(&path, &bytes).unwrap();
            format!("mutated {name}")
        }
        4 => {
            replace(&path);
            std::fs::write(&path, &corpus[rng.below(corpus.len())]).unwrap();
            format!("{name} from the corpus")
        }
        5 => {
            replace(&path);
            nix::unistd::mkfifo(&path, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
            format!("FIFO {name}")
        }
        6 => {
            let target =
                ["/dev/zero", "/dev/urandom", "/dev/stdin", "/proc/self/mem"][rng.below(4)];
            replace(&path);
            std::os::unix::fs::symlink(target, &path).unwrap();
            format!("{name} -> {target}")
        }
        7 => {
            let (a, b) = (root.join("loop-a"), root.join("loop-b"));
            let _ = std::os::unix::fs::symlink("loop-b", &a);
            let _ = std::os::unix::fs::symlink("loop-a", &b);
            let _ = std::os::unix::fs::symlink(".", root.join("self"));
            let _ = std::os::unix::fs::symlink("..", root.join("handlers-up"));
            replace(&path);
            let _ = std::os::unix::fs::symlink(name, &path);
            format!("symlink loops, {name} -> itself")
        }
        8 => {
            let dir = root.join(OsStr::from_bytes(b"bad-\xff\xfe-dir"));
            let _ = std::fs::create_dir_all(&dir);
            std::fs::write(dir.join(OsStr::from_bytes(b"\x80x.go")), "package bad\n").unwrap();
            let _ = std::fs::write(
                root.join(OsStr::from_bytes(b"m\xe9\xe9.go")),
                "package main\n",
            );
            "non-UTF-8 names".into()
        }
        9 => {
            // The chain is 1,000 levels below a folder air watches.
            let mut p = root.join("deep");
            for _ in 0..1000 {
                p.push("d");
            }
            std::fs::create_dir_all(&p).unwrap();
            std::fs::write(p.join("x.go"), "package d\n").unwrap();
            "1,000-deep chain".into()
        }
        10 if nobody => {
            let dir = root.join(["handlers", "static", "locked", "tmp"][rng.below(4)]);
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join("a.go"), "package a\n");
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
            if rng.chance(2) && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
            }
            format!("unreadable {} (and maybe {name})", dir.display())
        }
        _ => {
            // 50 MB: a real head, then a sparse tail of NULs (the doctor cannot tell).
            let name = [".air.toml", "runner.conf", ".env", "main.go", "go.mod"][rng.below(5)];
            let path = root.join(name);
            replace(&path);
            std::fs::write(&path, b"[build]\ncmd = \"go build -o ./tmp/main .\"\n").unwrap();
            common::pad_with_nuls(&path, 50 << 20);
            format!("50 MB {name}")
        }
    }
}

/// Everything about the tree a report must not change (see the module doc).
fn snapshot(root: &Path) -> BTreeMap<Vec<u8>, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<Vec<u8>, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .as_os_str()
                .as_bytes()
                .to_vec();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let ft = m.file_type();
            let base = format!("mode {:o} uid {}", m.mode(), m.uid());
            let desc = if ft.is_dir() {
                walk(root, &p, out);
                format!("dir {base}")
            } else if ft.is_symlink() {
                format!("link {base} -> {:?}", std::fs::read_link(&p).unwrap())
            } else if ft.is_file() {
                let bytes = if m.len() > 1 << 20 {
                    // Sparse 50 MB files: size and mtime say enough, and hashing 50 MB per
                    // case would dominate the run.
                    vec![]
                } else {
                    std::fs::read(&p).unwrap()
                };
                let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
                });
                format!(
                    "file {base} size {} mtime {}.{} fnv {hash:x}",
                    m.len(),
                    m.mtime(),
                    m.mtime_nsec()
                )
            } else {
                format!("other {base} mtime {}.{}", m.mtime(), m.mtime_nsec())
            };
            out.insert(rel, desc);
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

struct Outcome {
    code: Option<i32>,
    hung: bool,
    stdout: Vec<u8>,
    stderr: String,
    secs: f64,
}

fn report(root: &Path, nobody: bool, compile: bool) -> Outcome {
    let mut cmd = if nobody {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            common::bin(),
        ]);
        c
    } else {
        Command::new(common::bin())
    };
    cmd.args(["--json", "--project"]).arg(root);
    if !compile {
        cmd.arg("--no-compile");
    }
    let out_dir = tempfile::tempdir().unwrap();
    let (out, err) = (out_dir.path().join("out"), out_dir.path().join("err"));
    let mut child = cmd
        .current_dir("/")
        .env("NO_COLOR", "1")
        .env_remove("PORT")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .process_group(0)
        .spawn()
        .unwrap();
    let pgid = nix::unistd::Pid::from_raw(child.id() as i32);
    let start = Instant::now();
    let (code, hung) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (status.code(), false);
        }
        if start.elapsed() > if compile { HANG_COMPILING } else { HANG } {
            let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Whatever the doctor started (go build) goes with it.
    let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
    Outcome {
        code,
        hung,
        stdout: std::fs::read(&out).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&std::fs::read(&err).unwrap_or_default()).into_owned(),
        secs: start.elapsed().as_secs_f64(),
    }
}

/// Undo chmod 000 so the temp folder can be removed.
fn unlock(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(m) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if m.is_dir() {
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755));
            unlock(&p);
        } else if m.is_file() {
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644));
        }
    }
}

/// Case `i`: build its tree, report on it, judge. Err describes a failure.
fn case(
    i: u64,
    seed: u64,
    fixtures: &[PathBuf],
    corpus: &[Vec<u8>],
) -> Result<(f64, String), String> {
    let mut rng = Rng::new(seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let fixture = &fixtures[rng.below(fixtures.len())];
    let nobody = rng.chance(3);
    let compile = i % COMPILE_EVERY == 11;
    let tmp = tempfile::Builder::new()
        .prefix("rd-project-fuzz-")
        .tempdir()
        .unwrap();
    let root = tmp.path().join("p");
    common::copy_tree(fixture, &root);
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut done = vec![];
    for _ in 0..1 + rng.below(4) {
        done.push(mutate_tree(&mut rng, &root, corpus, nobody));
    }
    let what = format!(
        "case {i}: {} as {}{}, {}",
        fixture.file_name().unwrap().to_string_lossy(),
        if nobody { "nobody" } else { "root" },
        if compile { " with compile" } else { "" },
        done.join("; ")
    );
    let before = snapshot(&root);
    let o = report(&root, nobody, compile);
    let after = snapshot(&root);
    unlock(&root);
    if o.hung {
        let limit = if compile { HANG_COMPILING } else { HANG };
        return Err(format!("{what}: still running after {limit:?}"));
    }
    if o.code == Some(101) || o.stderr.contains("panicked") {
        return Err(format!("{what}: panicked: {}", o.stderr));
    }
    if !matches!(o.code, Some(0..=2)) {
        return Err(format!("{what}: exit {:?}: {}", o.code, o.stderr));
    }
    if serde_json::from_slice::<serde_json::Value>(&o.stdout).is_err() {
        return Err(format!(
            "{what}: stdout is not one JSON document: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            o.stderr
        ));
    }
    if before != after {
        let changed: Vec<String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| {
                format!(
                    "{}: {:?} -> {:?}",
                    String::from_utf8_lossy(k),
                    before.get(k),
                    after.get(k)
                )
            })
            .collect();
        return Err(format!("{what}: the tree changed: {}", changed.join("; ")));
    }
    Ok((o.secs, what))
}

#[test]
fn mutated_projects_never_panic_hang_or_change_the_tree() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.replace('_', "").parse().ok())
            .unwrap_or(d)
    };
    let cases = env("PROJECT_FUZZ_CASES", 24);
    let jobs = env("PROJECT_FUZZ_JOBS", 2).max(1);
    let seed = env("FUZZ_SEED", 1);
    // Only the cases that compile (one in COMPILE_EVERY), to hunt a slow build.
    let compiling_only = std::env::var_os("PROJECT_FUZZ_COMPILING_ONLY").is_some();
    let only = std::env::var("PROJECT_FUZZ_ONLY")
        .ok()
        .and_then(|v| v.parse().ok());
    // A long run on a shared machine may stop early: the figures then count what ran.
    let budget = Duration::from_secs(env("PROJECT_FUZZ_SECONDS", u64::MAX / 4));
    let ran = AtomicU64::new(0);
    let (fixtures, corpus) = (fixtures(), corpus());
    let next = AtomicU64::new(only.unwrap_or(0));
    let last = only.map_or(cases, |n| n + 1);
    let failures = Mutex::new(vec![]);
    let slowest = Mutex::new((0f64, String::new()));
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            // The tree walks recurse 1,000 folders deep.
            let worker = std::thread::Builder::new().stack_size(256 << 20);
            worker
                .spawn_scoped(s, || loop {
                    if start.elapsed() > budget {
                        break;
                    }
                    let i = next.fetch_add(1, SeqCst);
                    if i >= last {
                        break;
                    }
                    if compiling_only && i % COMPILE_EVERY != 11 {
                        continue;
                    }
                    ran.fetch_add(1, SeqCst);
                    match case(i, seed, &fixtures, &corpus) {
                        Ok((secs, what)) => {
                            let mut m = slowest.lock().unwrap();
                            if secs > m.0 {
                                *m = (secs, what);
                            }
                        }
                        Err(e) => failures.lock().unwrap().push(e),
                    }
                    if (i + 1) % 250 == 0 {
                        eprintln!("{} cases, {:.0} s", i + 1, start.elapsed().as_secs_f64());
                    }
                })
                .unwrap();
        }
    });
    let failures = failures.into_inner().unwrap();
    let ran = ran.into_inner();
    let first = only.unwrap_or(0);
    let (slowest, slowest_case) = slowest.into_inner().unwrap();
    let compiled = match compiling_only {
        true => ran,
        false => (first..first + ran)
            .filter(|i| i % COMPILE_EVERY == 11)
            .count() as u64,
    };
    println!(
        "PROJECT-FUZZ {ran} cases ({compiled} with compile), {} failures, {:.0} s, slowest report {slowest:.1} s ({slowest_case})",
        failures.len(),
        start.elapsed().as_secs_f64(),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Found by this loop: with no signal handling in main, `signals` reads the other packages
/// and canonicalized every watched folder, cubic in a 1,000-deep chain (over a minute).
#[test]
fn a_1000_deep_chain_without_signal_handling_in_main_reports_within_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    common::copy_tree(&common::fixture("gin-hardcoded-port"), &root);
    let mut deep = root.join("deep");
    for _ in 0..1000 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    let o = report(&root, false, false);
    assert!(!o.hung, "still running after {HANG:?}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let signals = common::check(&report, "signals");
    assert!(
        signals["duration_ms"].as_f64().unwrap() < 10_000.0,
        "{signals}"
    );
}
