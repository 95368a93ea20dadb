//! Stamps of the watched tree (size, inode, mtime, ctime of folders and sources), for telling
//! whether anything changed after inotify lost events, and for the poller's scans.

use checks::reloaders::event_rules::EventRules;
use reload_doctor_checks as checks;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Size, inode, mtime and ctime of every watched directory, and of every file in them that
/// would trigger a build. Taken as a build starts; after lost events (a queue overflow) the
/// same paths are stat'ed again to tell whether anything changed: a file added, removed or
/// renamed changes its directory's times. `go build` reading every source can overflow the
/// queue too, and must not start another build.
///
/// A directory is listed again only when its own times changed: notify watches for IN_OPEN,
/// and opening 20,000 directories for every build would flood the queue it guards.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every watched directory's stamp (hashed: 20,000 of them stay small).
    dirs: HashMap<Arc<Path>, u64>,
    /// The files that would trigger a build, by directory (only directories that have any).
    files: HashMap<Arc<Path>, Vec<(PathBuf, u64)>>,
}

/// A hash of size, inode, mtime and ctime (seconds and nanoseconds), following symlinks: a
/// symlinked source changes through its target.
pub fn stamp(path: &Path) -> Option<u64> {
    let m = std::fs::metadata(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        m.size(),
        m.ino(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    )
        .hash(&mut h);
    Some(h.finish())
}

impl Snapshot {
    /// The tree now, reusing `prev`'s listing of every directory whose times are unchanged.
    pub fn take(
        mut prev: Snapshot,
        root: &Path,
        dirs: &[Arc<Path>],
        filter: &EventRules,
    ) -> Snapshot {
        let mut next = Snapshot::default();
        for dir in dirs {
            let Some(now) = stamp(dir) else { continue };
            let unchanged = prev.dirs.get(dir) == Some(&now);
            let names: Vec<PathBuf> = match prev.files.remove(dir) {
                Some(files) if unchanged => files.into_iter().map(|(f, _)| f).collect(),
                _ if unchanged => vec![],
                _ => list(root, dir, filter).files,
            };
            let files: Vec<(PathBuf, u64)> = stamped(names).collect();
            if !files.is_empty() {
                next.files.insert(dir.clone(), files);
            }
            next.dirs.insert(dir.clone(), now);
        }
        next
    }

    /// Whether every directory and file still has the same stamp (stat only).
    pub fn holds(&self) -> bool {
        self.dirs.iter().all(|(d, s)| stamp(d) == Some(*s))
            && self
                .files
                .values()
                .flatten()
                .all(|(f, s)| stamp(f) == Some(*s))
    }

    #[cfg(test)]
    fn file_count(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// `paths` with their stamps; those that are gone are left out.
pub fn stamped(paths: Vec<PathBuf>) -> impl Iterator<Item = (PathBuf, u64)> {
    paths.into_iter().filter_map(|p| {
        let s = stamp(&p)?;
        Some((p, s))
    })
}

/// What a folder holds: the files that would trigger a build, and its subfolders.
pub struct Listing {
    pub files: Vec<PathBuf>,
    pub dirs: Vec<PathBuf>,
}

pub fn list(root: &Path, dir: &Path, filter: &EventRules) -> Listing {
    let mut listing = Listing {
        files: vec![],
        dirs: vec![],
    };
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        if !path.starts_with(root) {
            continue;
        }
        // Followed, like the stamps: a symlinked folder or source counts as what it points to.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => listing.dirs.push(path),
            Ok(m) if m.is_file() && filter.wants(&path) => listing.files.push(path),
            _ => {}
        }
    }
    listing
}

#[cfg(test)]
mod tests {
    use super::*;
    use checks::reloaders::air::runner::RunConfig;

    /// What an overflow is compared against: edits, new files (seen only through their
    /// folder's times) and renames over a file are changes; nothing else is.
    #[test]
    fn snapshots_tell_changes_after_lost_events() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("pkg")).unwrap();
        std::fs::write(root.join("main.go"), "package main\n").unwrap();
        std::fs::write(root.join("pkg/a.go"), "package pkg\n").unwrap();
        let filter = EventRules::runner(&RunConfig::defaults(&root), &root).unwrap();
        let dirs: [Arc<Path>; 2] = [root.as_path().into(), root.join("pkg").into()];
        let take = |prev| Snapshot::take(prev, &root, &dirs, &filter);
        let s = take(Snapshot::default());
        assert_eq!(s.file_count(), 2);
        assert!(s.holds(), "nothing changed");

        std::fs::write(root.join("pkg/a.go"), "package pkg // edited\n").unwrap();
        assert!(!s.holds(), "an edit");
        let s = take(s);
        assert!(s.holds());

        std::fs::write(root.join("pkg/b.go"), "package pkg\n").unwrap();
        assert!(!s.holds(), "a new file");
        let s = take(s);
        assert_eq!(s.file_count(), 3, "the changed folder is listed again");

        std::fs::write(root.join("tmp.go.new"), "package main\n").unwrap();
        let s = take(s);
        std::fs::rename(root.join("tmp.go.new"), root.join("main.go")).unwrap();
        assert!(!s.holds(), "a save by rename");
    }
}
