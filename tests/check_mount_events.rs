//! mount-events through the real binary on fixture copies with a real inotify watcher. The
//! noexec and read-only cases mount real file systems in a private mount namespace
//! (`unshare -m`, needs CAP_SYS_ADMIN, which these tests have as root).

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every path under `dir`, hidden ones included, sorted.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
            out.push(e.path().strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out.sort();
    out
}

#[test]
fn local_fs_passes_with_probe_latency_and_leaves_no_files() {
    let p = copy_fixture("gin-healthy");
    let before = listing(p.path());
    let (code, r) = json_report(p.path(), &["--only", "mount-events,editor-saves"]);
    let c = check(&r, "mount-events");
    assert_eq!(c["status"], "pass", "{c:#}");
    let saves = check(&r, "editor-saves");
    assert_eq!(saves["status"], "pass", "{saves:#}");
    assert!(
        saves["summary"]
            .as_str()
            .unwrap()
            .starts_with("5 of 6 editor save styles rebuild once"),
        "{saves:#}"
    );
    assert_eq!(code, 0);
    // /work and the temp dir are on ext4 here (overlay or tmpfs elsewhere): all local.
    let fs = c["evidence"]["project_mount"]["fs_type"].as_str().unwrap();
    assert!(
        ["ext4", "overlay", "tmpfs", "xfs", "btrfs"].contains(&fs),
        "{fs}"
    );
    let probe = &c["evidence"]["probe"];
    for op in ["create", "write", "rename"] {
        assert!(probe["latency_ms"][op].as_f64().is_some(), "{probe:#}");
    }
    let ms = probe["max_ms"].as_f64().unwrap();
    assert!(ms < 100.0, "{probe:#}");
    let summary = c["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("{fs}, events delivered in")),
        "{summary}"
    );
    let patterns = saves["evidence"]["patterns"].as_array().unwrap();
    assert_eq!(patterns.len(), 7, "{saves:#}");
    let in_place = patterns
        .iter()
        .find(|p| p["pattern"] == "in-place")
        .unwrap();
    assert_eq!(in_place["verdict"], "one", "{in_place:#}");
    assert_eq!(listing(p.path()), before, "scratch files left behind");
}

#[test]
fn container_is_named_with_evidence() {
    let p = copy_fixture("stdlib-healthy");
    let o = Command::new(bin())
        .args(["--json", "--only", "mount-events", "--project"])
        .arg(p.path())
        .env("KUBERNETES_SERVICE_HOST", "10.0.0.1")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let summary = check(&r, "mount-events")["summary"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        summary.contains("in a kubernetes container (KUBERNETES_SERVICE_HOST is set"),
        "{summary}"
    );
}

#[test]
fn noexec_tmp_mount_fails() {
    let p = copy_fixture("gin-healthy");
    let tmp = p.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let setup = format!("mount -t tmpfs -o noexec tmpfs {}", tmp.display());
    let (code, r) = json_in_namespace(&setup, p.path(), "mount-events");
    let c = check(&r, "mount-events");
    assert_eq!((code, c["status"].as_str()), (1, Some("fail")), "{c:#}");
    let text = messages(c).join("\n");
    assert!(
        text.contains("tmp/main is built on a noexec mount") && text.contains("permission denied"),
        "{text}"
    );
}

#[test]
fn read_only_project_fails_and_skips_the_probe() {
    let p = copy_fixture("gin-healthy");
    let before = listing(p.path());
    let d = p.path().display();
    let setup = format!("mount --bind {d} {d}; mount -o remount,bind,ro {d}");
    let (code, r) = json_in_namespace(&setup, p.path(), "mount-events");
    let c = check(&r, "mount-events");
    assert_eq!((code, c["status"].as_str()), (1, Some("fail")), "{c:#}");
    let text = messages(c).join("\n");
    assert!(
        text.contains("tmp_dir \"tmp\" is on a read-only mount"),
        "{text}"
    );
    assert!(
        text.contains("probe skipped") && text.contains("read-only"),
        "{text}"
    );
    assert_eq!(listing(p.path()), before);
}

/// Ctrl-C while a probe's scratch folder exists: the folder goes, and the doctor still dies
/// of SIGINT. The test waits until it sees a scratch folder appear, then interrupts.
#[test]
fn ctrl_c_mid_probe_leaves_no_scratch_files() {
    use std::os::unix::process::ExitStatusExt;
    let p = copy_fixture("gin-healthy");
    let before = listing(p.path());
    let mut caught = 0;
    for _ in 0..10 {
        let mut child = Command::new(bin())
            .args(["--json", "--only", "mount-events,editor-saves", "--project"])
            .arg(p.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let mut interrupted = false;
        while std::time::Instant::now() < deadline {
            let scratch = std::fs::read_dir(p.path()).unwrap().flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".reload-doctor-")
            });
            if scratch {
                let pid = nix::unistd::Pid::from_raw(child.id() as i32);
                nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
                interrupted = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
        }
        let status = child.wait().unwrap();
        if interrupted && status.signal() == Some(nix::libc::SIGINT) {
            caught += 1;
        }
        assert_eq!(
            listing(p.path()),
            before,
            "scratch files left after {status:?}"
        );
    }
    assert!(
        caught > 0,
        "never interrupted a probe; the test proved nothing"
    );
}

/// air with include_ext = ["*"] would rebuild when a scratch folder in the root is removed,
/// so the probes go into .git instead (never watched), or do not run at all.
#[test]
fn probes_stay_out_of_the_root_when_air_takes_every_file() {
    let p = copy_fixture("gin-healthy");
    let config = p.path().join(".air.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace(
        r#"include_ext = ["go", "tpl", "tmpl", "html"]"#,
        r#"include_ext = ["*"]"#,
    );
    std::fs::write(&config, text).unwrap();
    let before = listing(p.path());
    let (_, r) = json_report(p.path(), &["--only", "mount-events,editor-saves"]);
    let probe = &check(&r, "mount-events")["evidence"]["probe"];
    assert!(
        probe["skipped"].as_str().unwrap().contains("include_ext"),
        "{probe:#}"
    );
    let saves = check(&r, "editor-saves");
    assert_eq!(saves["status"], "skip", "{saves:#}");

    std::fs::create_dir(p.path().join(".git")).unwrap();
    let before_git = listing(p.path());
    let (_, r) = json_report(p.path(), &["--only", "mount-events,editor-saves"]);
    let probe = &check(&r, "mount-events")["evidence"]["probe"];
    assert_eq!(probe["in"], ".git", "{probe:#}");
    assert!(probe["max_ms"].as_f64().is_some(), "{probe:#}");
    assert_eq!(check(&r, "editor-saves")["status"], "pass");
    assert_eq!(listing(p.path()), before_git);
    assert_eq!(before.len() + 1, before_git.len());
}

/// A project on a mount that drops inotify events (WSL2's drvfs, 9p): mount-events and
/// reloader-config both ask for `poll = true`, and `--fix` sets it in one rewrite that keeps
/// the file's comments; a second `--fix` does nothing.
#[test]
fn fix_sets_poll_on_a_mount_that_drops_events() {
    let project = copy_fixture("gin-healthy");
    let conf = project.path().join(".air.toml");
    let before = "# on Windows' disk\n[build]\n  cmd = \"go build -o ./tmp/main .\" # build\n  bin = \"./tmp/main\"\n  send_interrupt = true\n  kill_delay = \"2s\"\n  stop_on_error = true\n";
    std::fs::write(&conf, before).unwrap();
    // The project's folder is a 9p mount in this system root's mount table.
    let root = tempfile::tempdir().unwrap();
    let proc_self = root.path().join("proc/self");
    std::fs::create_dir_all(&proc_self).unwrap();
    let dir = std::fs::canonicalize(project.path()).unwrap();
    std::fs::write(
        proc_self.join("mountinfo"),
        format!(
            "79 84 8:32 / / rw,relatime - ext4 /dev/sdc rw\n90 79 0:60 /x {} rw,noatime - 9p drvfs rw,aname=drvfs;path=C:\\;uid=1000\n",
            dir.display()
        ),
    )
    .unwrap();
    let doctor = |fix: bool| {
        let mut args = vec![
            "--only",
            "mount-events,reloader-config",
            "--system-root",
            root.path().to_str().unwrap(),
            "--project",
            project.path().to_str().unwrap(),
        ];
        if fix {
            args.push("--fix");
        } else {
            args.push("--json");
        }
        run(&args)
    };
    let o = doctor(false);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fixes: Vec<&serde_json::Value> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap())
        .filter(|f| f["message"].as_str().unwrap().contains("poll"))
        .map(|f| &f["fix"])
        .collect();
    assert_eq!(fixes.len(), 2, "{v:#}");
    assert!(fixes.iter().all(|f| f["applicability"] == "safe"), "{v:#}");

    let out = stdout(&doctor(true));
    assert_eq!(out.matches("will rewrite").count(), 1, "{out}");
    let after = std::fs::read_to_string(&conf).unwrap();
    assert_eq!(
        after,
        before.replace(
            "  stop_on_error = true\n",
            "  stop_on_error = true\n  poll = true\n"
        ),
        "{out}"
    );
    let out = stdout(&doctor(true));
    assert!(out.contains("\nnothing to fix\n"), "{out}");
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), after);
}
