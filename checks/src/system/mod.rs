//! The machine: the process table, TCP listeners and when an app is ready, inotify instances
//! and watches, mounts, and real inotify events, all read-only through [`System`] (which tests
//! point at a recorded tree); and the one supervisor of the processes the doctor starts:
//! [`spawn`] (a bounded command), [`supervise`] (a process group of its own, the one stop
//! policy), [`guardian`] (what outlives the doctor dies with it) and [`cgroup`], over [`procs`]
//! (the one `/proc` stat reader and tree walk). Who a process is to the project is read a
//! layer up, in `process_role`.

pub mod cgroup;
pub mod files;
pub mod folder_lock;
pub mod fsevents;
pub mod gitignore;
pub mod guardian;
pub mod inotify;
pub mod interrupt;
pub mod mounts;
pub mod procs;
pub mod sockets;
pub mod spawn;
pub mod supervise;

use std::path::{Path, PathBuf};

/// Where the system is read from. Live, that is `/proc` and `/etc`; tests point it at a
/// recorded tree.
#[derive(Debug, Clone)]
pub struct System {
    pub proc_root: PathBuf,
    pub etc_root: PathBuf,
    /// The user the doctor runs as (effective uid, as the kernel charges inotify to it).
    pub uid: u32,
    pub linux: bool,
}

impl System {
    pub fn live() -> System {
        System::with_root(Path::new("/"))
    }

    /// A system whose `/proc` and `/etc` live under `root`.
    pub fn with_root(root: &Path) -> System {
        System {
            proc_root: root.join("proc"),
            etc_root: root.join("etc"),
            uid: nix::unistd::geteuid().as_raw(),
            linux: cfg!(target_os = "linux"),
        }
    }

    /// `/proc/sys/<key with dots as slashes>`.
    pub fn sysctl_path(&self, key: &str) -> PathBuf {
        self.proc_root.join("sys").join(key.replace('.', "/"))
    }

    /// Read a numeric sysctl.
    pub fn sysctl_u64(&self, key: &str) -> Result<u64, String> {
        let path = self.sysctl_path(key);
        let text = files::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        text.trim()
            .parse()
            .map_err(|_| format!("{} holds {:?}, not a number", path.display(), text.trim()))
    }

    /// Why `/proc` cannot be used, if it cannot.
    pub fn proc_unusable(&self) -> Option<String> {
        if !self.linux {
            return Some(format!(
                "not Linux ({}): inotify and /proc are Linux-only",
                std::env::consts::OS
            ));
        }
        match std::fs::read_dir(&self.proc_root) {
            Ok(_)
                if self.proc_root.join("self").exists() || self.proc_root.join("sys").exists() =>
            {
                None
            }
            Ok(_) => Some(format!(
                "{} is not a mounted procfs",
                self.proc_root.display()
            )),
            Err(e) => Some(format!("{} is unreadable: {e}", self.proc_root.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_linux_host_or_missing_proc_is_named() {
        let mut s = System::live();
        assert_eq!(s.proc_unusable(), None);
        s.linux = false;
        assert!(s.proc_unusable().unwrap().starts_with("not Linux"));
        let empty = std::env::temp_dir();
        let s = System::with_root(&empty.join("no-such-root"));
        assert!(s.proc_unusable().unwrap().contains("unreadable"));
    }
}
