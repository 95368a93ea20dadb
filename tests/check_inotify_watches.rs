//! inotify-watches: the real in-use count, and its sysctl fix against a private copy of
//! `/proc/sys` and `/etc` (`--system-root`): this machine's real limit belongs to its host.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const DROP_IN: &str = "etc/sysctl.d/60-reload-doctor.conf";

const WATCHES: &str = "proc/sys/fs/inotify/max_user_watches";

const OTHER_LINES: &str = "# kept by the fix\nfs.inotify.max_user_instances = 1024\n";

/// A root whose `proc` has no processes and a watch limit of 10, and whose drop-in file
/// already holds another setting.
fn fake_root() -> tempfile::TempDir {
    let root = tempfile::Builder::new()
        .prefix("rd-root-")
        .tempdir()
        .unwrap();
    let r = root.path();
    fs::create_dir_all(r.join("proc/self")).unwrap();
    fs::create_dir_all(r.join("proc/sys/fs/inotify")).unwrap();
    fs::write(r.join(WATCHES), "10\n").unwrap();
    fs::write(r.join("proc/sys/fs/inotify/max_user_instances"), "128\n").unwrap();
    fs::create_dir_all(r.join("etc/sysctl.d")).unwrap();
    fs::write(r.join(DROP_IN), OTHER_LINES).unwrap();
    root
}

/// The healthy stdlib fixture plus 12 packages: more than 10 watched directories.
fn big_project() -> tempfile::TempDir {
    let project = copy_fixture("stdlib-healthy");
    for i in 0..12 {
        let dir = project.path().join(format!("internal/p{i}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("p.go"), format!("package p{i}\n")).unwrap();
    }
    project
}

fn doctor(project: &Path, root: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(["--project", project.to_str().unwrap()])
        .args(["--system-root", root.to_str().unwrap()])
        .args(["--only", "inotify-watches,inotify-instances"])
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("container")
        .output()
        .expect("run reload-doctor")
}

fn json(o: &Output) -> Value {
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)));
    common::schema::assert_report(&v);
    v
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

/// The usage figures of an inotify check: the check-level evidence, present whether it
/// passed or not.
fn usage_evidence(r: &Value, id: &str) -> Value {
    let ev = check(r, id)["evidence"].clone();
    assert!(ev.is_object(), "{id} has evidence: {r}");
    ev
}

#[test]
fn fix_raises_the_watch_limit_and_a_second_fix_finds_nothing() {
    let (project, root) = (big_project(), fake_root());
    let (p, r) = (project.path(), root.path());

    let first = doctor(p, r, &["--fix"]);
    let out = stdout(&first);
    assert_eq!(code(&first), 0, "{out}\n{}", stderr(&first));
    assert!(
        out.contains("will set fs.inotify.max_user_watches=524288 (now 10)"),
        "{out}"
    );
    assert!(
        out.contains("applied: fs.inotify.max_user_watches = 524288 (was 10)"),
        "{out}"
    );
    // What became of the problems, not a table of every check.
    assert!(out.contains("\n1 fixed, no problems left\n"), "{out}");
    assert!(
        !out.contains("CHECK") && !out.contains("unchanged"),
        "{out}"
    );
    assert!(
        !out.contains("· 1 fixable"),
        "no hint to run what runs: {out}"
    );

    assert_eq!(read(r, WATCHES), "524288\n");
    assert_eq!(
        read(r, DROP_IN),
        format!("{OTHER_LINES}fs.inotify.max_user_watches = 524288\n")
    );

    let second = doctor(p, r, &["--fix"]);
    assert_eq!(code(&second), 0);
    assert!(
        stdout(&second).contains("nothing to fix"),
        "{}",
        stdout(&second)
    );
    assert!(!stdout(&second).contains("Applying"));
    assert_eq!(
        read(r, DROP_IN),
        format!("{OTHER_LINES}fs.inotify.max_user_watches = 524288\n")
    );
}

#[test]
fn fix_json_reports_before_and_each_fix() {
    let (project, root) = (big_project(), fake_root());
    let o = doctor(project.path(), root.path(), &["--fix", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["before"]["fail"], 1);
    assert_eq!(v["summary"]["fail"], 0);
    let fixes = v["fixes"].as_array().unwrap();
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    let f = &fixes[0];
    assert_eq!(f["check"], "inotify-watches");
    assert_eq!(f["applicability"], "safe");
    assert_eq!(f["action"]["kind"], "set-sysctl");
    assert_eq!(f["result"], "applied");
    assert!(f["detail"].as_str().unwrap().contains("was 10"));
}

#[test]
fn dry_run_changes_nothing() {
    let (project, root) = (big_project(), fake_root());
    let o = doctor(project.path(), root.path(), &["--fix", "--dry-run"]);
    assert_eq!(code(&o), 1, "the limit is still too small");
    let out = stdout(&o);
    assert!(
        out.contains("will set fs.inotify.max_user_watches=524288"),
        "{out}"
    );
    assert!(out.contains("dry run: nothing was changed"), "{out}");
    assert!(!out.contains("Applying"), "{out}");
    let v = json(&doctor(
        project.path(),
        root.path(),
        &["--fix", "--dry-run", "--json"],
    ));
    assert_eq!(v["fixes"][0]["result"], "planned");
    assert_eq!(read(root.path(), WATCHES), "10\n");
    assert_eq!(read(root.path(), DROP_IN), OTHER_LINES);
}

#[test]
fn in_a_container_the_fix_is_for_the_host() {
    let (project, root) = (big_project(), fake_root());
    fs::write(root.path().join(".dockerenv"), "").unwrap();
    let o = doctor(project.path(), root.path(), &["--fix", "--json"]);
    assert_eq!(code(&o), 1, "still broken: only the host can fix it");
    let v = json(&o);
    let f = &v["fixes"][0];
    assert_eq!(f["result"], "skipped");
    let detail = f["detail"].as_str().unwrap();
    assert!(detail.contains("/.dockerenv exists"), "{detail}");
    assert!(
        detail.contains("run on the host (Docker Desktop/WSL2: in its VM): sudo sysctl -w fs.inotify.max_user_watches=524288"),
        "{detail}"
    );
    assert_eq!(read(root.path(), WATCHES), "10\n");
    assert_eq!(read(root.path(), DROP_IN), OTHER_LINES);
}

#[test]
fn unsafe_and_dry_run_need_fix() {
    for flag in ["--dry-run", "--unsafe"] {
        let o = Command::new(bin()).arg(flag).output().unwrap();
        assert_eq!(code(&o), 2, "{flag}");
        assert!(stderr(&o).contains("--fix"), "{}", stderr(&o));
    }
}

#[test]
fn read_only_proc_sys_is_for_the_host() {
    let (project, root) = (big_project(), fake_root());
    let sys = root.path().join("proc/sys");
    // A private mount namespace with the fake /proc/sys read-only, as in an unprivileged
    // container: the write fails with EROFS (needs root, as the other fix tests do).
    let o = Command::new("unshare")
        .args(["-m", "sh", "-c"])
        .arg(r#"mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@""#)
        .args(["sh", sys.to_str().unwrap(), bin()])
        .args(["--project", project.path().to_str().unwrap()])
        .args(["--system-root", root.path().to_str().unwrap()])
        .args(["--only", "inotify-watches", "--fix", "--json"])
        .env_remove("container")
        .output()
        .expect("run unshare");
    assert_eq!(code(&o), 1, "still broken\n{}", stderr(&o));
    let v = json(&o);
    let detail = v["fixes"][0]["detail"].as_str().unwrap();
    assert_eq!(v["fixes"][0]["result"], "skipped");
    assert!(detail.contains("Read-only file system"), "{detail}");
    assert!(detail.contains("run on the host"), "{detail}");
    assert_eq!(read(root.path(), WATCHES), "10\n");
    assert_eq!(read(root.path(), DROP_IN), OTHER_LINES);
}

#[test]
fn a_symlinked_drop_in_is_refused_and_nothing_changes() {
    use std::os::unix::fs::PermissionsExt;
    let (project, root) = (big_project(), fake_root());
    let (p, r) = (project.path(), root.path());
    // A secret the link points at: its contents must not be copied anywhere.
    let secret = r.join("etc/shadow-like");
    fs::write(&secret, "root:secret\n").unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o600)).unwrap();
    fs::remove_file(r.join(DROP_IN)).unwrap();
    std::os::unix::fs::symlink(&secret, r.join(DROP_IN)).unwrap();

    let o = doctor(p, r, &["--fix"]);
    let out = stdout(&o);
    assert!(
        out.contains("is a symbolic link to"),
        "{out}\n{}",
        stderr(&o)
    );
    assert!(fs::symlink_metadata(r.join(DROP_IN))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(r, "etc/shadow-like"), "root:secret\n");
    assert_eq!(read(r, WATCHES), "10\n", "the live value was changed");
}

#[test]
fn real_inotify_watches_raise_the_in_use_count() {
    use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
    let dir = tempfile::tempdir().unwrap();
    let inotify = Inotify::init(InitFlags::IN_CLOEXEC).unwrap();
    // Enough watches that this test process is surely the top consumer.
    const N: u64 = 3_000;
    for i in 0..N {
        let f = dir.path().join(i.to_string());
        fs::write(&f, "").unwrap();
        inotify.add_watch(&f, AddWatchFlags::IN_MODIFY).unwrap();
    }
    let (_, r) = json_report(
        &fixture("stdlib-healthy"),
        &["--only", "inotify-watches,inotify-instances"],
    );
    let me = std::process::id() as u64;
    let c = check(&r, "inotify-watches");
    let summary = c["summary"].as_str().unwrap();
    assert!(summary.contains("left for this user"), "{summary}");
    let ev = usage_evidence(&r, "inotify-watches");
    let mine = ev["top_consumers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["pid"] == me)
        .cloned();
    assert_eq!(mine.expect("this test is a top consumer")["watches"], N);
    assert!(ev["used"].as_u64().unwrap() >= N);
    let ev = usage_evidence(&r, "inotify-instances");
    assert!(ev["used"].as_u64().unwrap() >= 1);
    drop(inotify);
}
