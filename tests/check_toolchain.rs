//! toolchain: cgo without a C compiler, and a reloader installed off PATH.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::process::Command;

fn which_go() -> std::path::PathBuf {
    let o = Command::new("sh")
        .args(["-c", "command -v go"])
        .output()
        .unwrap();
    let p = String::from_utf8(o.stdout).unwrap();
    std::fs::canonicalize(p.trim()).expect("go on PATH")
}

#[test]
fn cgo_without_a_c_compiler_fails_the_toolchain_check() {
    // A PATH holding only the go tool: gcc is then missing, as on a slim image.
    let go = which_go();
    let bin_dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&go, bin_dir.path().join("go")).unwrap();
    let o = Command::new(bin())
        .args(["--json", "--only", "toolchain", "--project"])
        .arg(fixture("cgo-app"))
        .env("PATH", bin_dir.path())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let c = check(&r, "toolchain");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(c["findings"].to_string().contains("uses cgo"), "{c}");
    // With the real PATH (gcc installed here) the same project passes that part.
    let (_, r) = json_report(&fixture("cgo-app"), &["--only", "toolchain"]);
    assert!(!check(&r, "toolchain")["findings"]
        .to_string()
        .contains("uses cgo"));
}

#[test]
fn a_reloader_installed_off_path_is_named_with_its_folder() {
    let gopath = tempfile::tempdir().unwrap();
    let gobin = gopath.path().join("bin");
    fs::create_dir_all(&gobin).unwrap();
    let air = gobin.join("air");
    fs::write(&air, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&air, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path_dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(which_go(), path_dir.path().join("go")).unwrap();
    let o = Command::new(bin())
        .args(["--json", "--only", "toolchain", "--project"])
        .arg(fixture("gin-healthy"))
        .env("PATH", path_dir.path())
        .env("GOPATH", gopath.path())
        .env_remove("GOBIN")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let c = check(&r, "toolchain");
    assert_eq!(c["status"], "fail", "{c}");
    let text = c["findings"].to_string();
    assert!(
        text.contains(&format!("air is installed in {}", gobin.display())),
        "{text}"
    );
    assert!(text.contains("not on PATH"), "{text}");
}
