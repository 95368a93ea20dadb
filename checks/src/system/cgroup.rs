//! A cgroup v2 that holds everything `run` starts, where this user may make one (a systemd
//! session delegates its own subtree; a root shell on most hosts): a process cannot leave it
//! by forking, `setsid` or being orphaned, and `cgroup.kill` (Linux 5.14) stops all of it at
//! once. The runner's guardian ([`super::guardian`], watching the runner) makes it beside its
//! own cgroup and moves the runner in before the runner starts anything; when the runner is
//! gone it kills what is inside and removes the folder. Where there is no writable cgroup v2
//! (a container with a read-only `/sys/fs/cgroup`, cgroup v1 only, an old kernel) the
//! guardian's process-tree records are all there is.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PREFIX: &str = "reload-doctor-run-";

/// The cgroup of one runner.
pub struct Cgroup {
    dir: PathBuf,
}

impl Cgroup {
    /// Make `<this process's cgroup>/reload-doctor-run-RUNNER` and move `runner` into it.
    /// Empty folders of runners that no longer exist are removed first.
    pub fn enclose(runner: i32) -> Result<Cgroup, String> {
        let here = own_dir().ok_or("no cgroup v2 here")?;
        remove_stale(&here);
        let dir = here.join(format!("{PREFIX}{runner}"));
        std::fs::create_dir(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        let cgroup = Cgroup { dir };
        if !cgroup.dir.join("cgroup.kill").exists() {
            return Err("this kernel has no cgroup.kill (before Linux 5.14)".into());
        }
        std::fs::write(cgroup.dir.join("cgroup.procs"), runner.to_string())
            .map_err(|e| format!("cannot move the runner into {}: {e}", cgroup.dir.display()))?;
        Ok(cgroup)
    }

    /// Kill every process inside (the runner is gone by now), wait until they are, and
    /// remove the folder (bounded: 2 s).
    pub fn kill_all(&self) {
        let _ = std::fs::write(self.dir.join("cgroup.kill"), "1");
        let start = Instant::now();
        while populated(&self.dir) && start.elapsed() < Duration::from_secs(2) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Cgroup {
    /// Remove the folder. It fails while a process is inside, which then a later run's
    /// stale sweep removes once it is empty.
    fn drop(&mut self) {
        let start = Instant::now();
        while std::fs::remove_dir(&self.dir).is_err() && start.elapsed() < Duration::from_secs(2) {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// The runner ends in order: it moves itself back out first, so that its guardian's kill
/// (of whatever the runner left) never ends the runner itself mid-exit.
pub fn leave() {
    let me = std::process::id();
    let Some(dir) = own_dir() else { return };
    if dir.file_name().and_then(|n| n.to_str()) != Some(&format!("{PREFIX}{me}")) {
        return;
    }
    if let Some(parent) = dir.parent() {
        let _ = std::fs::write(parent.join("cgroup.procs"), me.to_string());
    }
}

/// Whether a process is still inside.
fn populated(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("cgroup.events"))
        .map(|e| e.lines().any(|l| l == "populated 1"))
        .unwrap_or(false)
}

/// This process's cgroup folder.
fn own_dir() -> Option<PathBuf> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let cgroup = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    cgroup_dir(&mountinfo, &cgroup)
}

/// The folder of the cgroup in `cgroup` (a `/proc/PID/cgroup`): its `0::` path, below the
/// part of the hierarchy the cgroup2 mount in `mountinfo` shows (the root field), under
/// that mount's point.
fn cgroup_dir(mountinfo: &str, cgroup: &str) -> Option<PathBuf> {
    let (root, mount) = mountinfo.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        let fields: Vec<&str> = left.split(' ').collect();
        (right.split(' ').next() == Some("cgroup2"))
            .then(|| Some((*fields.get(3)?, *fields.get(4)?)))?
    })?;
    let path = cgroup.lines().find_map(|l| l.strip_prefix("0::"))?;
    // A path outside our namespace's view ("/../..") cannot be reached from here.
    if path.contains("/..") {
        return None;
    }
    let below = Path::new(path).strip_prefix(root).ok()?;
    Some(Path::new(mount).join(below))
}

/// Remove the empty `reload-doctor-run-PID` folders of runners that no longer exist (killed
/// together with their guardian). One that still holds processes is left alone: they are
/// not known to be this project's.
fn remove_stale(parent: &Path) {
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if super::procs::pid_gone(pid) && !populated(&entry.path()) {
            let _ = std::fs::remove_dir(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cgroup_folder_is_found_under_the_mount_that_shows_it() {
        let unified = "30 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
        // A systemd user session.
        let session = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/vte.scope\n";
        assert_eq!(
            cgroup_dir(unified, session),
            Some(PathBuf::from(
                "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/vte.scope"
            ))
        );
        // A container with its own cgroup namespace: its root.
        assert_eq!(
            cgroup_dir(unified, "0::/\n"),
            Some(PathBuf::from("/sys/fs/cgroup/"))
        );
        // A mount of a sub-hierarchy (root field /docker/abc): the path is below it.
        let sub = "40 30 0:26 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n";
        assert_eq!(
            cgroup_dir(sub, "0::/docker/abc/app\n"),
            Some(PathBuf::from("/sys/fs/cgroup/app"))
        );
        assert_eq!(cgroup_dir(sub, "0::/other\n"), None);
        // cgroup v1 only (no 0:: line, no cgroup2 mount), or outside the namespace's view.
        assert_eq!(cgroup_dir("", "4:memory:/x\n"), None);
        assert_eq!(cgroup_dir(unified, "0::/../../x\n"), None);
    }
}
