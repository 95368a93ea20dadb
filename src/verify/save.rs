//! The real saves `verify` makes, and the guard that puts the file back exactly.
//!
//! Both saves write the file's bytes with one comment line appended, new for each save: Go's
//! build cache keys a package's compile on its sources' contents, so the compiler must redo
//! that package and the link, as after a real edit, and the time measured is what a save
//! costs (the same bytes would be a cache hit, and an `exclude_unchanged` reloader would skip
//! them). The restore removes the line (the original bytes come back). Owner, group and mode are kept (also as root); the in-place save keeps
//! the inode, and the restore brings back the original inode after a rename save (it is
//! kept under a hidden hard link). The guard restores on drop, which also runs when verify
//! stops early (a failed stage, Ctrl-C turned into an error); a journal written first
//! ([`journal`]) covers SIGKILL.

use super::journal::{self, Journal, Original};
use reload_doctor_checks as checks;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Truncate and rewrite the file (VS Code, most editors).
    InPlace,
    /// Write a temporary file beside it and rename it over (JetBrains safe write, Sublime).
    TempThenRename,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::InPlace, Mode::TempThenRename];

    pub fn label(self) -> &'static str {
        match self {
            Mode::InPlace => "in place",
            Mode::TempThenRename => "temp + rename",
        }
    }
}

pub struct SavedFile {
    path: PathBuf,
    root: PathBuf,
    original: Original,
    journal: Journal,
}

impl SavedFile {
    /// Read `path` (a regular file inside `root`) and journal it before anything is written.
    pub fn open(root: &Path, path: &Path) -> Result<SavedFile, String> {
        // O_NONBLOCK: a FIFO named main.go must not hang the open; O_NOFOLLOW: a link is
        // not saved through (the rename save would replace the link with a file).
        let mut f = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| {
                format!(
                    "cannot open {}: {e} (verify saves only regular files)",
                    path.display()
                )
            })?;
        let meta = f
            .metadata()
            .map_err(|e| format!("cannot stat {}: {e}", path.display()))?;
        if !meta.is_file() {
            return Err(format!(
                "{} is not a regular file; verify saves only regular files",
                path.display()
            ));
        }
        let mut bytes = vec![];
        f.read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let original = Original::of(root, path, &meta, bytes);
        let journal = Journal::write(root, &original)?;
        Ok(SavedFile {
            path: path.to_path_buf(),
            root: root.to_path_buf(),
            original,
            journal,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's bytes with a comment line appended that no earlier save wrote.
    fn edited(&self) -> Vec<u8> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut bytes = self.original.bytes.clone();
        bytes.extend_from_slice(
            format!("\n// reload-doctor verify: an edit to rebuild, removed after ({stamp})\n")
                .as_bytes(),
        );
        bytes
    }

    /// Save the file, edited (see the module's comment), the way an editor of `mode` would,
    /// keeping its owner, group and mode (and, in place, its inode).
    pub fn save(&self, mode: Mode) -> Result<(), String> {
        let bytes = self.edited();
        let fail = |e: std::io::Error| {
            format!(
                "cannot write {} ({e}); is the project read-only?",
                self.path.display()
            )
        };
        let o = &self.original;
        match mode {
            Mode::InPlace => fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(&self.path)
                .and_then(|mut f| f.write_all(&bytes))
                .map_err(fail),
            Mode::TempThenRename => {
                let pid = std::process::id();
                // The original inode stays reachable, so the restore can bring it back.
                let keep = journal::keep_path(&self.path, pid);
                if fs::symlink_metadata(&keep).is_err() {
                    fs::hard_link(&self.path, &keep).map_err(fail)?;
                }
                let tmp = journal::temp_path(&self.path, pid);
                let _ = fs::remove_file(&tmp);
                let written = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&tmp)
                    .and_then(|mut f| {
                        f.write_all(&bytes)?;
                        // Owner before mode: chown clears set-id bits.
                        if nix::unistd::geteuid().is_root() {
                            std::os::unix::fs::fchown(&f, Some(o.uid), Some(o.gid))?;
                        }
                        f.set_permissions(fs::Permissions::from_mode(o.mode))
                    })
                    .and_then(|()| fs::rename(&tmp, &self.path));
                written.map_err(|e| {
                    let _ = fs::remove_file(&tmp);
                    fail(e)
                })
            }
        }
    }

    /// Put the original inode, bytes, mode, owner and mtime back, then drop the journal.
    pub fn restore(&self) -> Result<(), String> {
        journal::put_back(&self.root, &self.original, std::process::id())
            .map_err(|e| format!("could not restore {}: {e}", self.path.display()))?;
        self.journal.remove();
        Ok(())
    }
}

impl Drop for SavedFile {
    fn drop(&mut self) {
        if let Err(e) = self.restore() {
            crate::wrap::eprint(&format!("reload-doctor: {}", checks::text::visible(&e)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_append_a_new_comment_keep_the_mode_and_leave_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("main.go");
        fs::write(&f, "package main\n").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        let saved = SavedFile::open(dir.path(), &f).unwrap();
        let mut seen = vec![];
        for mode in Mode::ALL {
            saved.save(mode).unwrap();
            let text = fs::read_to_string(&f).unwrap();
            let added = text.strip_prefix("package main\n\n// reload-doctor verify: ");
            assert!(
                added.is_some_and(|a| a.ends_with(")\n") && !a.contains("\n//")),
                "{text}"
            );
            assert!(!seen.contains(&text), "each save is a new content");
            seen.push(text);
            assert_eq!(
                fs::metadata(&f).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        fs::write(&f, "broken").unwrap();
        drop(saved);
        assert_eq!(fs::read_to_string(&f).unwrap(), "package main\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn as_root_both_saves_keep_owner_group_mode_inode_links_and_mtime() {
        use std::os::unix::fs::MetadataExt;
        if !nix::unistd::geteuid().is_root() {
            eprintln!("not root; skipping");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("main.go");
        fs::write(&f, "package main\n").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::chown(&f, Some(65534), Some(65534)).unwrap();
        fs::hard_link(&f, dir.path().join("link.go")).unwrap();
        let before = fs::metadata(&f).unwrap();
        let saved = SavedFile::open(dir.path(), &f).unwrap();
        for mode in Mode::ALL {
            saved.save(mode).unwrap();
            let m = fs::metadata(&f).unwrap();
            assert_eq!(
                (m.uid(), m.gid(), m.mode() & 0o7777),
                (65534, 65534, 0o640),
                "{mode:?}"
            );
            if mode == Mode::InPlace {
                assert_eq!(m.ino(), before.ino());
            }
        }
        drop(saved);
        let after = fs::metadata(&f).unwrap();
        assert_eq!(after.ino(), before.ino(), "the original inode is back");
        assert_eq!(after.nlink(), 2, "the hard link still shares it");
        assert_eq!((after.uid(), after.gid()), (65534, 65534));
        assert_eq!(after.mode() & 0o7777, 0o640);
        assert_eq!(
            (after.mtime(), after.mtime_nsec()),
            (before.mtime(), before.mtime_nsec())
        );
        // Only the file and its link: no journal, temp or keep file is left.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
