//! What the container sees of the project, read from the host through `/proc/PID/root`
//! (its mount namespace) and `/proc/PID/net` (its network namespace): whether a save on the
//! host raises an inotify event inside, and who owns what it wrote.

use crate::probe::scratch::ScratchDir;
use crate::system::fsevents::{Capture, Op};
use crate::system::spawn;
use std::ffi::OsStr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long a host save's event may take to arrive inside: a plain bind delivers it at once.
pub const EVENT_TIMEOUT: Duration = Duration::from_secs(2);

/// `path` (absolute, as the container names it) as the host reaches it through the
/// container's main process: `/proc/PID/root/PATH`.
pub fn seen_from(proc_root: &Path, pid: i32, path: &str) -> PathBuf {
    proc_root
        .join(pid.to_string())
        .join("root")
        .join(path.trim_start_matches('/'))
}

/// The probe's hidden scratch folder in `host_dir` (removed when dropped) and its name.
fn probe_folder(host_dir: &Path) -> Result<(ScratchDir, String), String> {
    let scratch = ScratchDir::create(host_dir, "container").map_err(|e| {
        format!(
            "cannot create a scratch folder in {}: {e}",
            host_dir.display()
        )
    })?;
    let name = scratch
        .path()
        .file_name()
        .ok_or("the scratch folder has no name")?
        .to_string_lossy()
        .into_owned();
    Ok((scratch, name))
}

/// Create a file in a hidden scratch folder of `host_dir` and watch for it in `inside`, the
/// same folder as the container sees it (through [`seen_from`]). Ok(true): the event arrived.
/// The folder is removed on every path out.
pub fn host_save_seen(host_dir: &Path, inside: &Path) -> Result<bool, String> {
    let (scratch, name) = probe_folder(host_dir)?;
    let watched = inside.join(&name);
    // A FUSE view may show the new folder a moment later (attribute caching).
    let mut tries = 0;
    while !watched.is_dir() {
        tries += 1;
        if tries > 20 {
            return Err(format!(
                "{} never appeared inside the container as {}",
                scratch.path().display(),
                watched.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut capture = Capture::new()?;
    capture.watch(&watched)?;
    let file = scratch.path().join("probe.go");
    std::fs::write(&file, "package probe\n")
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let seen = capture.wait_for(EVENT_TIMEOUT, |e| {
        matches!(e.op, Op::Create | Op::Write) && e.path.file_name() == file.file_name()
    })?;
    drop(capture);
    drop(scratch);
    Ok(seen.is_some())
}

/// The hidden first argument that makes the doctor's binary, copied into a container, the
/// watcher of [`host_save_seen_by_exec`] (see [`enter_watcher`]).
pub const WATCHER: &str = "__container-watch";
/// The file the watcher creates once its watch is set, so the host knows when to save.
const READY: &str = "ready";
const PROBE: &str = "probe.go";

/// [`host_save_seen`] for a container whose processes this host cannot see (Docker Desktop's
/// or colima's VM): this very binary is copied into the container's /tmp, run there with
/// `docker exec` as the watcher of the scratch folder (`inside` is the folder the container
/// mounts `host_dir` at), and removed after. It must be a Linux binary the container can run
/// (the static release build runs in any image).
pub fn host_save_seen_by_exec(id: &str, host_dir: &Path, inside: &str) -> Result<bool, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let (scratch, name) = probe_folder(host_dir)?;
    let copy = format!("/tmp/.reload-doctor-watch-{}", std::process::id());
    let place = format!("{id}:{copy}");
    super::docker_within(
        &["cp", &exe.to_string_lossy(), &place],
        Duration::from_secs(30),
    )?;
    // Removed on every path out, as the scratch folder is.
    struct Remove<'a>(&'a str, &'a str);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let _ = super::docker(&["exec", self.0, "rm", "-f", self.1]);
        }
    }
    let _remove = Remove(id, &copy);
    let folder = format!("{}/{name}", inside.trim_end_matches('/'));
    let cli = which::which("docker").map_err(|_| "no docker CLI on PATH")?;
    let mut cmd = Command::new(cli);
    cmd.args(["exec", id, &copy, WATCHER, &folder]);
    let watcher = std::thread::spawn(move || spawn::output(cmd, EVENT_TIMEOUT * 3));
    let ready = scratch.path().join(READY);
    let start = Instant::now();
    while !ready.exists() && !watcher.is_finished() && start.elapsed() < EVENT_TIMEOUT * 2 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let file = scratch.path().join(PROBE);
    std::fs::write(&file, "package probe\n")
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let (ok, out, err) = watcher
        .join()
        .map_err(|_| "the watcher's thread panicked".to_string())??;
    drop(scratch);
    match (ok, String::from_utf8_lossy(&out).trim()) {
        (true, "seen") => Ok(true),
        (true, "unseen") => Ok(false),
        _ => Err(format!(
            "the watcher in the container failed: {}",
            err.lines().last().unwrap_or("").trim()
        )),
    }
}

/// In the container: `reload-doctor __container-watch DIR` watches DIR, creates DIR/ready,
/// and prints `seen` when the host's probe file shows up as an event within the timeout, else
/// `unseen`. None when the binary was not started as the watcher.
pub fn enter_watcher() -> Option<u8> {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(OsStr::new(WATCHER)) {
        return None;
    }
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("reload-doctor: {WATCHER} needs the folder to watch");
        return Some(2);
    };
    let watch = || -> Result<bool, String> {
        let mut capture = Capture::new()?;
        capture.watch(&dir)?;
        let ready = dir.join(READY);
        std::fs::write(&ready, "").map_err(|e| format!("cannot write {}: {e}", ready.display()))?;
        let seen = capture.wait_for(EVENT_TIMEOUT, |e| {
            matches!(e.op, Op::Create | Op::Write) && e.path.file_name() == Some(OsStr::new(PROBE))
        })?;
        Ok(seen.is_some())
    };
    match watch() {
        Ok(seen) => {
            println!("{}", if seen { "seen" } else { "unseen" });
            Some(0)
        }
        Err(e) => {
            eprintln!("reload-doctor: {e}");
            Some(2)
        }
    }
}

/// How many entries [`root_owned`] looks at: a project's top two levels, not a huge
/// node_modules.
const ROOT_OWNED_BUDGET: usize = 5_000;

/// Files and folders under `dir` (two levels, at most `max`) owned by uid 0 while `dir`
/// itself is not: what a container running as root wrote into a user's project.
pub fn root_owned(dir: &Path, max: usize) -> Vec<PathBuf> {
    let mut found = vec![];
    let Ok(meta) = std::fs::metadata(dir) else {
        return found;
    };
    if meta.uid() == 0 {
        return found;
    }
    let mut budget = ROOT_OWNED_BUDGET;
    let mut walk = |d: &Path, deeper: &mut Vec<PathBuf>| {
        let Ok(entries) = std::fs::read_dir(d) else {
            return;
        };
        for e in entries.flatten().take(budget) {
            budget -= 1;
            let Ok(m) = e.path().symlink_metadata() else {
                continue;
            };
            if m.uid() == 0 && found.len() < max {
                found.push(e.path());
            }
            if m.is_dir() && !m.file_type().is_symlink() {
                deeper.push(e.path());
            }
        }
    };
    let mut next = vec![];
    walk(dir, &mut next);
    for d in next {
        walk(&d, &mut vec![]);
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_folder_sees_its_own_save_and_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(host_save_seen(dir.path(), dir.path()), Ok(true));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_elsewhere_sees_nothing() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let err = host_save_seen(a.path(), b.path()).unwrap_err();
        assert!(err.contains("never appeared"), "{err}");
        assert_eq!(std::fs::read_dir(a.path()).unwrap().count(), 0);
    }
}
