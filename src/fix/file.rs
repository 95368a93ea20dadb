//! Replace a file's contents atomically, keeping a backup, and only if it still holds what
//! the check read.

use super::Done;
use reload_doctor_checks as checks;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub(super) fn replace(path: &Path, contents: &str, expected_old: &str, backup: &Path) -> Done {
    let current = match checks::system::files::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Done::failed(format!("cannot read {}: {e}", path.display())),
    };
    match &current {
        Some(text) if text != expected_old => {
            return Done::skipped(format!(
                "refused: {} changed since it was checked; run reload-doctor again",
                path.display()
            ))
        }
        None if !expected_old.is_empty() => {
            return Done::skipped(format!(
                "refused: {} no longer exists; run reload-doctor again",
                path.display()
            ))
        }
        _ => {}
    }
    let meta = fs::metadata(path).ok();
    let backup = resolve(path, backup);
    if let Some(old) = &current {
        if let Err(e) = write_atomic(&backup, old, meta.as_ref()) {
            return Done::failed(format!(
                "cannot write the backup {} ({e}); {} is unchanged",
                backup.display(),
                path.display()
            ));
        }
    }
    match write_atomic(path, contents, meta.as_ref()) {
        Ok(()) if current.is_some() => Done::applied(format!(
            "rewrote {}; the old contents are in {}",
            path.display(),
            backup.display()
        )),
        Ok(()) => Done::applied(format!("wrote {}", path.display())),
        Err(e) => Done::failed(format!("cannot write {}: {e}", path.display())),
    }
}

/// A relative backup path is taken beside the file.
fn resolve(path: &Path, backup: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if backup.is_relative() => dir.join(backup),
        _ => backup.to_path_buf(),
    }
}

/// Remove `.NAME.reload-doctor-<pid>.tmp` files in `dir` whose pid is gone: a `--fix` killed
/// between writing its temp file and renaming it. Only regular files.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.starts_with('.'))
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once(".reload-doctor-"))
            .and_then(|(_, pid)| pid.parse::<i32>().ok())
        else {
            continue;
        };
        let file = fs::symlink_metadata(e.path()).is_ok_and(|m| m.is_file());
        if file && checks::system::procs::pid_gone(pid) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Write `contents` to a temporary file beside `path`, then rename it over `path`: a reader
/// sees the old file or the new one, never half of one. `like` gives the mode and owner to
/// keep (so `sudo reload-doctor --fix` does not leave a user's file owned by root).
pub(super) fn write_atomic(
    path: &Path,
    contents: &str,
    like: Option<&fs::Metadata>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            ErrorKind::InvalidInput,
            format!("{} is not a file path", path.display()),
        )
    })?;
    remove_stale_temps(dir);
    let tmp = dir.join(format!(
        ".{}.reload-doctor-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(contents.as_bytes())?;
        let mode = like.map_or(0o644, |m| m.mode() & 0o7777);
        f.set_permissions(fs::Permissions::from_mode(mode))?;
        if let Some(m) = like {
            std::os::unix::fs::fchown(&f, Some(m.uid()), Some(m.gid()))?;
        }
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        File::open(dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Verdict;

    #[test]
    fn replaces_and_keeps_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".air.toml");
        fs::write(&path, "old\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let done = replace(&path, "new\n", "old\n", Path::new(".air.toml.bak"));
        assert_eq!(done.result, Verdict::Applied, "{}", done.detail);
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(
            fs::read_to_string(dir.path().join(".air.toml.bak")).unwrap(),
            "old\n"
        );
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o777, 0o600);
        // Only the file and its backup: no temporary file left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn refuses_a_file_that_changed_since_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".air.toml");
        fs::write(&path, "edited by hand\n").unwrap();
        let backup = dir.path().join("backup");
        let done = replace(&path, "new\n", "old\n", &backup);
        assert_eq!(done.result, Verdict::Skipped);
        assert!(done.detail.starts_with("refused: "), "{}", done.detail);
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited by hand\n");
        assert!(!backup.exists());
    }

    #[test]
    fn refuses_a_file_that_vanished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".air.toml");
        let done = replace(&path, "new\n", "old\n", Path::new("bak"));
        assert!(done.detail.starts_with("refused: "), "{}", done.detail);
        assert!(!path.exists());
    }
}
