//! Builds the air oracle: the probe in `oracle/air/` compiled inside a temporary copy of air's
//! own module, fetched with `go mod download` (the module proxy), never a copy kept here. The
//! binary is cached under Cargo's target dir, keyed by air's version and the probe's source.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const VERSION: &str = include_str!("../../../oracle/air/VERSION");
const PROBE: &str = include_str!("../../../oracle/air/probe_runner.go.txt");
const MAIN: &str = include_str!("../../../oracle/air/main.go.txt");

/// The oracle binary, built once per test process; a build failure fails the test with why.
pub fn binary() -> &'static Path {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BIN.get_or_init(build) {
        Ok(p) => p,
        Err(e) => panic!("the air oracle could not be built, so air cannot judge the model: {e}"),
    }
}

fn build() -> Result<PathBuf, String> {
    let version = VERSION.trim();
    let mut h = DefaultHasher::new();
    (version, PROBE, MAIN).hash(&mut h);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("air-oracle");
    let bin = dir.join(format!("airoracle-{version}-{:016x}", h.finish()));
    if bin.is_file() {
        return Ok(bin);
    }
    let module = format!("github.com/air-verse/air@{version}");
    let out = run(
        Command::new("go").args(["mod", "download", "-json", &module]),
        "go mod download",
    )?;
    let info: serde_json::Value = serde_json::from_slice(&out)
        .map_err(|e| format!("go mod download printed no JSON: {e}"))?;
    let src = PathBuf::from(
        info["Dir"]
            .as_str()
            .ok_or_else(|| format!("go mod download gave no Dir for {module}: {info}"))?,
    );
    let work = dir.join(format!("src-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let copy = |from: &Path, to: &Path| {
        std::fs::copy(from, to).map_err(|e| format!("copy {}: {e}", from.display()))
    };
    std::fs::create_dir_all(work.join("runner")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(work.join("cmd/airoracle")).map_err(|e| e.to_string())?;
    for f in ["go.mod", "go.sum"] {
        copy(&src.join(f), &work.join(f))?;
    }
    // The runner package as published (its tests left out: they are not needed to build).
    let entries = std::fs::read_dir(src.join("runner")).map_err(|e| e.to_string())?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !name.ends_with("_test.go") {
            copy(&entry.path(), &work.join("runner").join(&name))?;
        }
    }
    write(&work.join("runner/zz_oracle_probe.go"), PROBE)?;
    write(&work.join("cmd/airoracle/main.go"), MAIN)?;
    let tmp_bin = bin.with_extension(format!("tmp{}", std::process::id()));
    run(
        Command::new("go")
            .args(["build", "-o"])
            .arg(&tmp_bin)
            .arg("./cmd/airoracle")
            .current_dir(&work),
        "go build (of air's runner with the probe)",
    )?;
    std::fs::rename(&tmp_bin, &bin).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(bin)
}

/// air itself, the published command of the same version, built from the module proxy
/// (`go install`) once and cached like the oracle: for tests that watch what air really does.
pub fn air() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| go_installed("github.com/air-verse/air", VERSION.trim()))
}

/// The command `package@version` installed with `go install` from the module proxy, cached
/// under Cargo's target dir by package and version (a real tool for a test to run).
pub fn go_installed(package: &str, version: &str) -> PathBuf {
    let name = package.rsplit('/').next().unwrap_or(package);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{version}"));
    let bin = dir.join(name);
    if !bin.is_file() {
        if let Err(e) = run(
            Command::new("go")
                .args(["install", &format!("{package}@{version}")])
                .env("GOBIN", &dir),
            "go install",
        ) {
            panic!("{package}@{version} could not be built: {e}");
        }
    }
    bin
}

fn write(p: &Path, text: &str) -> Result<(), String> {
    std::fs::write(p, text).map_err(|e| format!("write {}: {e}", p.display()))
}

fn run(cmd: &mut Command, what: &str) -> Result<Vec<u8>, String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot start go ({e}); install Go to run this test"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// One project for the oracle: air started in `dir` (with `config` as its `-c` path, or
/// none as plain `air`), asked about events at `events`.
#[derive(serde::Serialize)]
pub struct Job {
    pub dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    pub events: Vec<String>,
}

/// Ask air about `jobs`, split over two processes (the probe changes its working directory,
/// so one process answers one project at a time).
pub fn ask(jobs: &[Job]) -> Vec<serde_json::Value> {
    let bin = binary();
    let half = jobs.len().div_ceil(2).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = jobs
            .chunks(half)
            .map(|chunk| s.spawn(move || ask_one(bin, chunk)))
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().expect("oracle thread"))
            .collect()
    })
}

fn ask_one(bin: &Path, jobs: &[Job]) -> Vec<serde_json::Value> {
    use std::io::Write;
    let mut child = Command::new(bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the air oracle");
    let input = serde_json::to_vec(jobs).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("air oracle output");
    writer.join().unwrap().expect("feed the air oracle");
    assert!(
        out.status.success(),
        "the air oracle failed: {}",
        out.status
    );
    let answers: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("the air oracle printed JSON");
    assert_eq!(answers.len(), jobs.len(), "one answer per project");
    answers
}
