//! Everything a check may read: the project, the system handle, options, and lazily
//! computed facts that several checks share (the watch tree, the process table).

use crate::project::Project;
use crate::reloaders::watch_tree::{self as tree, WatchTree};
use crate::system::inotify;
use crate::system::procs::ProcessTable;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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
        let text = crate::system::files::read_to_string(&path)
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

/// Switches that change what checks do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub no_compile: bool,
}

pub struct Context {
    pub project: Project,
    pub system: System,
    pub options: Options,
    tree: OnceLock<WatchTree>,
    processes: OnceLock<Result<ProcessTable, String>>,
    inotify: OnceLock<Result<inotify::Usage, String>>,
}

impl Context {
    pub fn new(project: Project, system: System, options: Options) -> Context {
        Context {
            project,
            system,
            options,
            tree: OnceLock::new(),
            processes: OnceLock::new(),
            inotify: OnceLock::new(),
        }
    }

    /// The directories the project's reloader watches, walked once and shared.
    pub fn watch_tree(&self) -> &WatchTree {
        self.tree.get_or_init(|| {
            let root = self.project.watch_root();
            tree::walk(&root, &tree::Rules::air_in(&self.project.air, &root))
        })
    }

    /// A snapshot of the process table, taken once and shared; the error says why there is
    /// none (not Linux, `/proc` unreadable), ready to be a check's skip reason.
    pub fn processes(&self) -> Result<&ProcessTable, String> {
        self.processes
            .get_or_init(|| match self.system.proc_unusable() {
                Some(why) => Err(why),
                None => ProcessTable::scan(&self.system.proc_root),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Inotify instances and watches held by this user's processes, read once and shared.
    pub fn inotify_usage(&self) -> Result<&inotify::Usage, String> {
        self.inotify
            .get_or_init(|| Ok(inotify::usage(self.processes()?, self.system.uid)))
            .as_ref()
            .map_err(Clone::clone)
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
