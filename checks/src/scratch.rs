//! Hidden scratch folders for probes that write files into the project.
//!
//! DESIGN.md: probes never disturb the user's running reloader. air, fresh and gin skip
//! hidden directories, so writing inside `.reload-doctor-<tag>-<pid>/` is invisible to them.
//! The folder is removed when the guard drops, also when the probe fails half-way.

use std::io;
use std::path::{Path, PathBuf};

const PREFIX: &str = ".reload-doctor-";

/// A scratch folder that is deleted, with everything in it, when dropped.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// Create `<parent>/.reload-doctor-<tag>-<pid>`. Leftovers of earlier runs whose process
    /// is gone (killed before it could clean up) are removed first.
    pub fn create(parent: &Path, tag: &str) -> io::Result<ScratchDir> {
        remove_stale(parent);
        let path = parent.join(format!("{PREFIX}{tag}-{}", std::process::id()));
        match std::fs::create_dir(&path) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                std::fs::remove_dir_all(&path)?;
                std::fs::create_dir(&path)?;
            }
            other => other?,
        }
        Ok(ScratchDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // NotFound is fine: the project folder may have vanished under us.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Remove `.reload-doctor-*-<pid>` folders of processes that no longer exist.
fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.starts_with(PREFIX))
            .and_then(|n| n.rsplit('-').next())
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        let gone = matches!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
            Err(nix::errno::Errno::ESRCH)
        );
        if gone && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_on_drop_and_stale_leftovers_cleaned() {
        let parent = std::env::temp_dir().join(format!("rd-scratch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        std::fs::create_dir_all(&parent).unwrap();
        // pid_max is at most 2^22, so this pid cannot exist.
        let stale = parent.join(".reload-doctor-probe-99999999");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("x"), "").unwrap();
        {
            let s = ScratchDir::create(&parent, "probe").unwrap();
            std::fs::write(s.path().join("f"), "x").unwrap();
            assert!(!stale.exists());
        }
        assert_eq!(std::fs::read_dir(&parent).unwrap().count(), 0);
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
