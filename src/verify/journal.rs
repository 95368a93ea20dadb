//! The journal that makes `verify`'s saves safe against SIGKILL.
//!
//! Before verify touches a file, it writes the file's bytes and identity (device, inode,
//! owner, group, mode, mtime) to `<project>/.reload-doctor-journal-<pid>` and fsyncs it; only
//! a complete journal is ever renamed to that name. If verify is killed mid-save (an in-place
//! save truncates first, so the file can be empty), the next run finds the journal of a dead
//! pid and puts the file back: the original inode first (the rename save keeps it under a
//! hidden hard link), then the bytes in place, then mode, owner and mtime.
//!
//! A journal is only trusted for the file it names by inode: a journal planted in a
//! repository cannot make the doctor write anywhere else, nor outside the project.
//!
//! Beside it, `<project>/.reload-doctor-journal-<pid>.tmp-dir` records what the run makes in
//! the project's tmp folder, which the next run removes the same way ([`super::tmp_dir`]).

use reload_doctor_checks as checks;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

pub(super) const PREFIX: &str = ".reload-doctor-journal-";
const MAGIC: &str = "reload-doctor verify journal v1";

/// What a file was before verify saved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    /// Relative to the project root.
    pub rel: PathBuf,
    pub dev: u64,
    pub ino: u64,
    pub uid: u32,
    pub gid: u32,
    pub mode: u32,
    pub mtime_ns: i128,
    pub bytes: Vec<u8>,
}

impl Original {
    pub fn of(root: &Path, path: &Path, meta: &fs::Metadata, bytes: Vec<u8>) -> Original {
        Original {
            rel: path.strip_prefix(root).unwrap_or(path).to_path_buf(),
            dev: meta.dev(),
            ino: meta.ino(),
            uid: meta.uid(),
            gid: meta.gid(),
            mode: meta.mode() & 0o7777,
            mtime_ns: meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
            bytes,
        }
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = format!(
            "{MAGIC}\npath\t{}\ndev\t{}\nino\t{}\nuid\t{}\ngid\t{}\nmode\t{}\nmtime_ns\t{}\nlen\t{}\n\n",
            self.rel.display(),
            self.dev,
            self.ino,
            self.uid,
            self.gid,
            self.mode,
            self.mtime_ns,
            self.bytes.len()
        )
        .into_bytes();
        out.extend_from_slice(&self.bytes);
        out
    }

    fn decode(data: &[u8]) -> Option<Original> {
        let end = data.windows(2).position(|w| w == b"\n\n")?;
        let head = std::str::from_utf8(&data[..end]).ok()?;
        let mut lines = head.lines();
        (lines.next()? == MAGIC).then_some(())?;
        let mut field = |name: &str| -> Option<String> {
            let (k, v) = lines.next()?.split_once('\t')?;
            (k == name).then(|| v.to_string())
        };
        let rel = PathBuf::from(field("path")?);
        let dev = field("dev")?.parse().ok()?;
        let ino = field("ino")?.parse().ok()?;
        let uid = field("uid")?.parse().ok()?;
        let gid = field("gid")?.parse().ok()?;
        let mode = field("mode")?.parse().ok()?;
        let mtime_ns = field("mtime_ns")?.parse().ok()?;
        let len: usize = field("len")?.parse().ok()?;
        let bytes = data[end + 2..].to_vec();
        // A journal cut short (it cannot be: it is renamed into place complete) is ignored.
        (bytes.len() == len).then_some(())?;
        // Only a plain relative path inside the project.
        let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
        (plain && !rel.as_os_str().is_empty()).then_some(())?;
        Some(Original {
            rel,
            dev,
            ino,
            uid,
            gid,
            mode,
            mtime_ns,
            bytes,
        })
    }
}

/// The journal of this process; removed once the file is back.
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Write and fsync the journal, complete, before anything else is touched.
    pub fn write(root: &Path, original: &Original) -> Result<Journal, String> {
        let name = format!("{PREFIX}{}", std::process::id());
        put(root, &name, &original.encode(), true)
            .map(|path| Journal { path })
            .map_err(|e| {
                let hint = match e.raw_os_error() {
                    Some(libc::EROFS | libc::EACCES | libc::EPERM) => ": is the project read-only?",
                    _ => "",
                };
                format!(
                    "cannot write the safety copy {} ({e}), so nothing was saved{hint}",
                    root.join(&name).display()
                )
            })
    }

    pub fn remove(&self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Write `bytes` to `root/name`, complete or not at all (through `name.partial`), and with
/// `sync`, on disk before this returns. The path written.
fn put(root: &Path, name: &str, bytes: &[u8], sync: bool) -> std::io::Result<PathBuf> {
    let path = root.join(name);
    let partial = root.join(format!("{name}.partial"));
    let _ = fs::remove_file(&partial);
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&partial)?;
    f.write_all(bytes)?;
    if sync {
        f.sync_all()?;
    }
    fs::rename(&partial, &path)?;
    if sync {
        File::open(root).and_then(|d| d.sync_all())?;
    }
    Ok(path)
}

/// Beside this process's journal: the record of what it makes in the tmp folder
/// ([`super::tmp_dir`]). Written whole each time; no fsync, since a machine that crashes
/// leaves at worst a build output behind.
pub fn write_tmp_record(root: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    put(root, &tmp_record_name(std::process::id()), bytes, false)
}

pub fn remove_tmp_record(root: &Path) {
    let _ = fs::remove_file(root.join(tmp_record_name(std::process::id())));
}

const TMP_RECORD: &str = ".tmp-dir";

fn tmp_record_name(pid: u32) -> String {
    format!("{PREFIX}{pid}{TMP_RECORD}")
}

/// The hidden hard link that keeps the original inode while a rename save replaces the name.
pub fn keep_path(file: &Path, pid: u32) -> PathBuf {
    hidden_beside(file, &format!("reload-doctor-keep-{pid}"))
}

/// The temp file of the rename save.
pub fn temp_path(file: &Path, pid: u32) -> PathBuf {
    hidden_beside(file, &format!("reload-doctor-{pid}"))
}

fn hidden_beside(file: &Path, tag: &str) -> PathBuf {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    file.with_file_name(format!(".{name}.{tag}"))
}

/// Put `o` back at `root/o.rel`: the original inode if a keep link of `pid` holds it, then
/// bytes (in place), mode, owner and mtime. Errors name the file and what to do.
pub fn put_back(root: &Path, o: &Original, pid: u32) -> Result<(), String> {
    let file = root.join(&o.rel);
    let _ = fs::remove_file(temp_path(&file, pid));
    let keep = keep_path(&file, pid);
    if let Ok(k) = fs::symlink_metadata(&keep) {
        if k.is_file() && k.dev() == o.dev && k.ino() == o.ino {
            fs::rename(&keep, &file).map_err(|e| {
                format!(
                    "cannot move {} back to {}: {e}",
                    keep.display(),
                    file.display()
                )
            })?;
        } else {
            let _ = fs::remove_file(&keep);
        }
    }
    let meta =
        fs::symlink_metadata(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if !meta.is_file() || meta.dev() != o.dev || meta.ino() != o.ino {
        return Err(format!(
            "{} was replaced since verify saved it, so the safety copy was not applied",
            file.display()
        ));
    }
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&file)
        .map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    let mut now = vec![];
    f.read_to_end(&mut now)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if now != o.bytes {
        // In place: the inode (hard links, owner) stays.
        f.set_len(0)
            .and_then(|()| std::io::Seek::rewind(&mut f))
            .and_then(|_| f.write_all(&o.bytes))
            .and_then(|()| f.sync_all())
            .map_err(|e| format!("cannot restore {}: {e}", file.display()))?;
    }
    if meta.mode() & 0o7777 != o.mode {
        f.set_permissions(fs::Permissions::from_mode(o.mode))
            .map_err(|e| format!("cannot restore the mode of {}: {e}", file.display()))?;
    }
    if (meta.uid(), meta.gid()) != (o.uid, o.gid) {
        std::os::unix::fs::fchown(&f, Some(o.uid), Some(o.gid))
            .map_err(|e| format!("cannot restore the owner of {}: {e}", file.display()))?;
    }
    let mtime = if o.mtime_ns >= 0 {
        UNIX_EPOCH + Duration::from_nanos(o.mtime_ns as u64)
    } else {
        UNIX_EPOCH
    };
    let _ = f.set_modified(mtime);
    Ok(())
}

/// Journals of verify runs that were killed: restore their files, then remove them (and the
/// temp and keep files beside the file), and hand each tmp-folder record with its pid to
/// `undo_tmp`, which says what it removed or kept (None: not a record it can read).
/// Returns one line per file put back or not, and per thing removed or kept in the tmp folder.
pub fn recover(root: &Path, undo_tmp: impl Fn(&[u8], u32) -> Option<Vec<String>>) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root) else {
        return vec![];
    };
    let mut said = vec![];
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(PREFIX) else {
            continue;
        };
        let (rest, partial) = match rest.strip_suffix(".partial") {
            Some(p) => (p, true),
            None => (rest, false),
        };
        let (pid_text, tmp_record) = match rest.strip_suffix(TMP_RECORD) {
            Some(p) => (p, true),
            None => (rest, false),
        };
        let Ok(pid) = pid_text.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || !checks::system::procs::pid_gone(pid as i32) {
            continue;
        }
        let path = e.path();
        if !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        // A partial journal: verify died before it touched the file (or, for the tmp
        // folder's record, before it replaced the complete one beside it).
        if partial {
            let _ = fs::remove_file(&path);
            continue;
        }
        if tmp_record {
            match read_regular(&path).and_then(|d| undo_tmp(&d, pid)) {
                Some(lines) => {
                    said.extend(lines);
                    let _ = fs::remove_file(&path);
                }
                None => said.push(format!(
                    "{} is not a record reload-doctor can read; left as is",
                    path.display()
                )),
            }
            continue;
        }
        let Some(o) = read_regular(&path).and_then(|d| Original::decode(&d)) else {
            said.push(format!(
                "{} is not a journal reload-doctor can read; left as is",
                path.display()
            ));
            continue;
        };
        match put_back(root, &o, pid) {
            Ok(()) => {
                let _ = fs::remove_file(&path);
                said.push(format!(
                    "restored {} from the safety copy of an interrupted verify (pid {pid})",
                    o.rel.display()
                ));
            }
            Err(why) => said.push(format!(
                "{why}; its original bytes are in {}",
                path.display()
            )),
        }
    }
    said
}

/// The contents of a regular file, opened without following a link or blocking on a FIFO.
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let mut f = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut data = vec![];
    f.read_to_end(&mut data).ok()?;
    Some(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planted_journal_cannot_name_a_path_outside_the_project() {
        let o = Original {
            rel: "main.go".into(),
            dev: 1,
            ino: 2,
            uid: 3,
            gid: 4,
            mode: 0o644,
            mtime_ns: 5,
            bytes: b"package main\n".to_vec(),
        };
        assert_eq!(Original::decode(&o.encode()), Some(o.clone()));
        for bad in ["../../etc/passwd", "/etc/passwd", "a/../../x"] {
            let planted = Original {
                rel: bad.into(),
                ..o.clone()
            };
            assert_eq!(Original::decode(&planted.encode()), None, "{bad}");
        }
        let mut cut = o.encode();
        cut.pop();
        assert_eq!(Original::decode(&cut), None);
    }
}
