//! The project's tmp folder (air's `tmp_dir`), where the reloader verify starts writes its
//! binary and its build log: put back as verify found it, so a verify leaves nothing behind.
//! A folder that did not exist goes entirely, as air's `clean_on_exit` removes it; in one
//! that did, only the entries that were not there go. Anything that is not plainly a folder
//! inside the project (`tmp_dir = "."`, `..`, a symlink) is left alone.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

pub struct TmpDir {
    path: PathBuf,
    /// The names in it before verify ran; None when it did not exist.
    before: Option<HashSet<OsString>>,
}

impl TmpDir {
    /// Note what `tmp_dir` (relative to `root`) holds now; None when it is not a folder
    /// verify may clean (outside the project, the project itself, a symlink).
    pub fn note(root: &Path, tmp_dir: &str) -> Option<TmpDir> {
        let rel = Path::new(tmp_dir);
        let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel.as_os_str().is_empty() {
            return None;
        }
        let path = root.join(rel);
        let before = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => Some(names(&path)),
            Ok(_) => return None,
            Err(_) => None,
        };
        Some(TmpDir { path, before })
    }

    /// Remove what the run added.
    pub fn restore(self) {
        match std::fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.is_dir() => {}
            _ => return,
        }
        let Some(before) = self.before else {
            let _ = std::fs::remove_dir_all(&self.path);
            return;
        };
        for name in names(&self.path).difference(&before) {
            let p = self.path.join(name);
            let _ = match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&p),
                _ => std::fs::remove_file(&p),
            };
        }
    }
}

fn names(dir: &Path) -> HashSet<OsString> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_tmp_goes_and_an_existing_one_keeps_what_it_had() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        let t = TmpDir::note(r, "tmp").unwrap();
        std::fs::create_dir(r.join("tmp")).unwrap();
        std::fs::write(r.join("tmp/build-errors.log"), "x").unwrap();
        t.restore();
        assert!(!r.join("tmp").exists());

        std::fs::create_dir(r.join("tmp")).unwrap();
        std::fs::write(r.join("tmp/keep"), "mine").unwrap();
        let t = TmpDir::note(r, "tmp").unwrap();
        std::fs::write(r.join("tmp/main"), "bin").unwrap();
        t.restore();
        assert!(!r.join("tmp/main").exists());
        assert_eq!(std::fs::read_to_string(r.join("tmp/keep")).unwrap(), "mine");
    }

    #[test]
    fn the_project_itself_or_a_folder_outside_is_never_cleaned() {
        let root = tempfile::tempdir().unwrap();
        for bad in [".", "", "..", "../x", "/tmp", "a/../.."] {
            assert!(TmpDir::note(root.path(), bad).is_none(), "{bad}");
        }
        std::os::unix::fs::symlink("/tmp", root.path().join("tmp")).unwrap();
        assert!(TmpDir::note(root.path(), "tmp").is_none());
    }
}
