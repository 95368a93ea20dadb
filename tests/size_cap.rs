//! Files a repository controls are read only up to the size cap: a 50 MB `.air.toml` or a
//! 12 MB `main.go` is named with the cap in the report, never loaded whole into memory.

mod common;

use common::{bin, copy_fixture};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Write `mb` MB of comment lines after `head`.
fn big(path: &Path, head: &str, comment: &str, mb: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    let line = format!("{comment} {}\n", "x".repeat(96 - comment.len()));
    for _ in 0..(mb << 20) / line.len() {
        f.write_all(line.as_bytes()).unwrap();
    }
    f.flush().unwrap();
}

/// The largest resident size (KB) of a waited-for child of this test process.
fn children_max_rss_kb() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) },
        0
    );
    unsafe { usage.assume_init() }.ru_maxrss
}

#[test]
fn a_50_mb_air_toml_and_a_12_mb_main_go_are_named_with_the_cap_and_not_read() {
    let project = copy_fixture("stdlib-healthy");
    big(&project.path().join(".air.toml"), "[build]\n", "#", 50);
    let main = project.path().join("main.go");
    let source = std::fs::read_to_string(&main).unwrap();
    big(&main, &source, "//", 12);
    let o = Command::new(bin())
        .args([
            "--json",
            "--no-compile",
            "--only",
            "reloader-config,signals",
        ])
        .arg("--project")
        .arg(project.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&o.stderr));
    });
    let config = common::check(&report, "reloader-config").to_string();
    assert!(
        config.contains(".air.toml is larger than 10 MB: not read"),
        "{config}"
    );
    let signals = common::check(&report, "signals").to_string();
    assert!(
        signals.contains("main.go (larger than 10 MB: not read)"),
        "{signals}"
    );
    // Reading either file whole would take more than its size in memory.
    let rss_mb = children_max_rss_kb() / 1024;
    assert!(rss_mb < 40, "the doctor used {rss_mb} MB");
}
