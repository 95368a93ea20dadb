//! What the container sees of the project, read from the host through `/proc/PID/root`
//! (its mount namespace) and `/proc/PID/net` (its network namespace): whether a save on the
//! host raises an inotify event inside, and who owns what it wrote.

use crate::probe::scratch::ScratchDir;
use crate::system::fsevents::{Capture, Op};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// Create a file in a hidden scratch folder of `host_dir` and watch for it in `inside`, the
/// same folder as the container sees it (through [`seen_from`]). Ok(true): the event arrived.
/// The folder is removed on every path out.
pub fn host_save_seen(host_dir: &Path, inside: &Path) -> Result<bool, String> {
    let scratch = ScratchDir::create(host_dir, "container").map_err(|e| {
        format!(
            "cannot create a scratch folder in {}: {e}",
            host_dir.display()
        )
    })?;
    let name = scratch
        .path()
        .file_name()
        .ok_or("the scratch folder has no name")?;
    let watched = inside.join(name);
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
    let mut walk = |d: &Path, deeper: &mut Vec<PathBuf>| {
        let Ok(entries) = std::fs::read_dir(d) else {
            return;
        };
        for e in entries.flatten() {
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
