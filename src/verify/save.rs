//! The real saves `verify` makes, and the guard that puts the file back exactly.
//!
//! Both saves write the file's own bytes, so the compiler sees no change and a reloader
//! still sees a save. The guard restores bytes and permissions on drop, which also runs
//! when verify stops early (a failed stage, Ctrl-C turned into an error).

use std::fs;
use std::os::unix::fs::PermissionsExt;
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
    original: Vec<u8>,
    mode: u32,
}

impl SavedFile {
    pub fn open(path: &Path) -> Result<SavedFile, String> {
        let original =
            fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mode = fs::metadata(path)
            .map_err(|e| format!("cannot stat {}: {e}", path.display()))?
            .permissions()
            .mode();
        Ok(SavedFile {
            path: path.to_path_buf(),
            original,
            mode,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Save the file's own contents the way an editor of `mode` would.
    pub fn save(&self, mode: Mode) -> Result<(), String> {
        let fail = |e: std::io::Error| {
            format!(
                "cannot write {} ({e}); is the project read-only?",
                self.path.display()
            )
        };
        match mode {
            Mode::InPlace => fs::write(&self.path, &self.original).map_err(fail),
            Mode::TempThenRename => {
                let tmp = self.temp_path();
                fs::write(&tmp, &self.original).map_err(fail)?;
                fs::set_permissions(&tmp, fs::Permissions::from_mode(self.mode)).map_err(fail)?;
                fs::rename(&tmp, &self.path).map_err(|e| {
                    let _ = fs::remove_file(&tmp);
                    fail(e)
                })
            }
        }
    }

    /// A name no reloader builds from: hidden and without a source extension.
    fn temp_path(&self) -> PathBuf {
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        self.path
            .with_file_name(format!(".{name}.reload-doctor-{}", std::process::id()))
    }

    /// Put the original bytes and permissions back, touching the file only if needed.
    pub fn restore(&self) -> Result<(), String> {
        let _ = fs::remove_file(self.temp_path());
        if fs::read(&self.path).ok().as_deref() != Some(&self.original[..]) {
            fs::write(&self.path, &self.original)
                .map_err(|e| format!("could not restore {}: {e}", self.path.display()))?;
        }
        let mode = fs::metadata(&self.path)
            .map(|m| m.permissions().mode())
            .ok();
        if mode == Some(self.mode) {
            return Ok(());
        }
        fs::set_permissions(&self.path, fs::Permissions::from_mode(self.mode))
            .map_err(|e| format!("could not restore the mode of {}: {e}", self.path.display()))
    }
}

impl Drop for SavedFile {
    fn drop(&mut self) {
        if let Err(e) = self.restore() {
            eprintln!("reload-doctor: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_keep_bytes_and_mode_and_leave_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("main.go");
        fs::write(&f, "package main\n").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
        let saved = SavedFile::open(&f).unwrap();
        for mode in Mode::ALL {
            saved.save(mode).unwrap();
            assert_eq!(fs::read_to_string(&f).unwrap(), "package main\n");
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
}
