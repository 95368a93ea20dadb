//! The project's tmp folder (air's `tmp_dir`), where the reloader verify starts writes its
//! binary and its build log: put back as verify found it, so a verify leaves nothing behind.
//! A folder that did not exist goes entirely, as air's `clean_on_exit` removes it; in one
//! that did, only the entries that were not there go. Anything that is not plainly a folder
//! inside the project (`tmp_dir = "."`, `..`, a symlink) is left alone.
//!
//! A verify killed with SIGKILL cannot do that, so before the reloader starts verify records,
//! beside its journal ([`super::journal`]), what the run makes there: whether it makes the
//! folder (verify then makes it itself, after the record and before the start), the entries
//! it makes (the binary, named in advance, and every entry that was not there as a watcher
//! sees it appear) and the folder's identity (device and inode, before the start). The next
//! report or verify removes exactly those entries, then the folder if the run made it and
//! nothing else is in it. A record is only trusted for the folder whose identity it holds,
//! so one planted in a repository removes nothing.

use reload_doctor_checks as checks;
use std::collections::{BTreeSet, HashSet};
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often the watcher looks at the folder while verify runs.
const LOOK_EVERY: Duration = Duration::from_millis(10);

pub struct TmpDir {
    path: PathBuf,
    /// The names in it before verify ran; None when it did not exist.
    before: Option<HashSet<OsString>>,
    /// Keeps the record up to date until [`TmpDir::restore`].
    watcher: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
    root: PathBuf,
}

impl TmpDir {
    /// Note what `tmp_dir` (relative to `root`) holds now and record what the run will make
    /// there (`makes`: files it writes, such as the binary); None when it is not a folder
    /// verify may clean (outside the project, the project itself, a symlink).
    pub fn note(root: &Path, tmp_dir: &str, makes: &[PathBuf]) -> Option<TmpDir> {
        let rel = Path::new(tmp_dir);
        if !plain(rel) {
            return None;
        }
        let path = root.join(rel);
        let (before, id) = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => (Some(names(&path)), Some((m.dev(), m.ino()))),
            Ok(_) => return None,
            Err(_) => (None, None),
        };
        let mut record = Record {
            rel: rel.to_path_buf(),
            made: before.is_none(),
            id,
            names: BTreeSet::new(),
        };
        // The entry of each file the run writes inside the folder, when it was not there.
        let was_there = |n: &OsString| before.as_ref().is_some_and(|b| b.contains(n));
        record.names.extend(
            makes
                .iter()
                .filter_map(|m| {
                    let inside = checks::filepath::clean(m);
                    let first = inside.strip_prefix(&path).ok()?.components().next()?;
                    Some(first.as_os_str().to_os_string())
                })
                .filter(|n| !was_there(n)),
        );
        let _ = super::journal::write_tmp_record(root, &record.encode());
        // Made here, recorded first: the folder's identity is then known before the reloader
        // starts (a build that makes it writes the binary within microseconds, too fast for
        // the watcher). air makes it at its start anyway, with this mode.
        if record.made {
            use std::os::unix::fs::DirBuilderExt;
            if std::fs::DirBuilder::new().mode(0o755).create(&path).is_ok() {
                record.id = std::fs::symlink_metadata(&path)
                    .ok()
                    .map(|m| (m.dev(), m.ino()));
                let _ = super::journal::write_tmp_record(root, &record.encode());
            }
        }
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = {
            let (stop, root, path, before) = (
                stop.clone(),
                root.to_path_buf(),
                path.clone(),
                before.clone(),
            );
            std::thread::spawn(move || watch(&root, &path, before, record, &stop))
        };
        Some(TmpDir {
            path,
            before,
            watcher: Some((stop, watcher)),
            root: root.to_path_buf(),
        })
    }

    /// Remove what the run added, then the record.
    pub fn restore(mut self) {
        if let Some((stop, watcher)) = self.watcher.take() {
            stop.store(true, Ordering::Relaxed);
            let _ = watcher.join();
        }
        self.put_back();
        super::journal::remove_tmp_record(&self.root);
    }

    fn put_back(&self) {
        match std::fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.is_dir() => {}
            _ => return,
        }
        let Some(before) = &self.before else {
            let _ = std::fs::remove_dir_all(&self.path);
            return;
        };
        for name in names(&self.path).difference(before) {
            let _ = remove(&self.path.join(name));
        }
    }
}

/// Keep the record up to date until `stop`: the folder's identity once the run made it,
/// and every entry that was not there before.
fn watch(
    root: &Path,
    path: &Path,
    before: Option<HashSet<OsString>>,
    mut record: Record,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::Relaxed) {
        let was = (record.id, record.names.len());
        if let Some(m) = std::fs::symlink_metadata(path).ok().filter(|m| m.is_dir()) {
            let id = (m.dev(), m.ino());
            if record.made && record.id.is_none() {
                record.id = Some(id);
            }
            if record.id == Some(id) {
                let new = names(path)
                    .into_iter()
                    .filter(|n| !before.as_ref().is_some_and(|b| b.contains(n)));
                record.names.extend(new);
            }
        }
        if (record.id, record.names.len()) != was {
            let _ = super::journal::write_tmp_record(root, &record.encode());
        }
        std::thread::sleep(LOOK_EVERY);
    }
}

const MAGIC: &str = "reload-doctor verify tmp_dir v1";

/// What a verify run makes in the tmp folder, as recorded for the next run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The folder, relative to the project root.
    rel: PathBuf,
    /// The run made the folder (it did not exist before).
    made: bool,
    /// (device, inode) of the folder: before the start, or once the run made it.
    id: Option<(u64, u64)>,
    /// The entries the run makes in it.
    names: BTreeSet<OsString>,
}

impl Record {
    fn encode(&self) -> Vec<u8> {
        let mut out = format!(
            "{MAGIC}\ndir\t{}\nmade\t{}\n",
            escape(self.rel.as_os_str().as_bytes()),
            u8::from(self.made)
        );
        if let Some((dev, ino)) = self.id {
            out += &format!("id\t{dev} {ino}\n");
        }
        for n in &self.names {
            out += &format!("name\t{}\n", escape(n.as_bytes()));
        }
        out.into_bytes()
    }

    pub fn decode(data: &[u8]) -> Option<Record> {
        let text = std::str::from_utf8(data).ok()?;
        let mut lines = text.lines();
        (lines.next()? == MAGIC).then_some(())?;
        let mut field = |name: &str| -> Option<String> {
            let (k, v) = lines.next()?.split_once('\t')?;
            (k == name).then(|| v.to_string())
        };
        let rel = PathBuf::from(OsString::from_vec(unescape(&field("dir")?)?));
        let made = match field("made")?.as_str() {
            "0" => false,
            "1" => true,
            _ => return None,
        };
        let mut record = Record {
            rel,
            made,
            id: None,
            names: BTreeSet::new(),
        };
        for line in text.lines().skip(3) {
            match line.split_once('\t')? {
                ("id", v) => {
                    let (dev, ino) = v.split_once(' ')?;
                    record.id = Some((dev.parse().ok()?, ino.parse().ok()?));
                }
                ("name", v) => {
                    let name = OsString::from_vec(unescape(v)?);
                    // One entry of the folder, never a path.
                    let one = Path::new(&name).components().count() == 1;
                    (one && plain(Path::new(&name))).then_some(())?;
                    record.names.insert(name);
                }
                _ => return None,
            }
        }
        plain(&record.rel).then_some(record)
    }

    /// Remove what the killed verify `pid` made, as far as this record shows it was its own;
    /// one line for each thing done or left.
    pub fn undo(&self, root: &Path, pid: u32) -> Vec<String> {
        let dir = root.join(&self.rel);
        let shown = self.rel.display();
        let Some(meta) = std::fs::symlink_metadata(&dir).ok().filter(|m| m.is_dir()) else {
            return vec![];
        };
        if self.id != Some((meta.dev(), meta.ino())) {
            return vec![format!(
                "{shown}/ is not the folder an interrupted verify (pid {pid}) recorded, so nothing in it was removed"
            )];
        }
        let removed: Vec<String> = self
            .names
            .iter()
            .filter(|n| remove(&dir.join(n)).is_ok())
            .map(|n| format!("{shown}/{}", n.to_string_lossy()))
            .collect();
        let mut said = vec![];
        if !removed.is_empty() {
            said.push(format!(
                "removed {}, left by an interrupted verify (pid {pid})",
                removed.join(", ")
            ));
        }
        if self.made {
            if std::fs::remove_dir(&dir).is_ok() {
                said.push(format!(
                    "removed {shown}/, made by an interrupted verify (pid {pid})"
                ));
            } else {
                let mut other: Vec<String> = names(&dir)
                    .iter()
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect();
                other.sort();
                said.push(format!(
                    "kept {shown}/, made by an interrupted verify (pid {pid}): it holds {}, which verify did not make",
                    other.join(", ")
                ));
            }
        }
        said
    }
}

/// A plain relative path inside the project: no `..`, `.`, root or empty path.
fn plain(rel: &Path) -> bool {
    !rel.as_os_str().is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Remove a file, a link or a whole folder (never through a link).
fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path)? {
        m if m.is_dir() => std::fs::remove_dir_all(path),
        _ => std::fs::remove_file(path),
    }
}

/// Bytes as one word of a record line: printable ASCII but `%` as it is, the rest `%XX`.
fn escape(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| match b {
            b'!'..=b'~' if *b != b'%' => (*b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn unescape(text: &str) -> Option<Vec<u8>> {
    let mut out = vec![];
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    Some(out)
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
        let t = TmpDir::note(r, "tmp", &[]).unwrap();
        // Made before the reloader starts.
        assert!(r.join("tmp").is_dir());
        std::fs::write(r.join("tmp/build-errors.log"), "x").unwrap();
        t.restore();
        assert!(!r.join("tmp").exists());

        std::fs::create_dir(r.join("tmp")).unwrap();
        std::fs::write(r.join("tmp/keep"), "mine").unwrap();
        let t = TmpDir::note(r, "tmp", &[]).unwrap();
        std::fs::write(r.join("tmp/main"), "bin").unwrap();
        t.restore();
        assert!(!r.join("tmp/main").exists());
        assert_eq!(std::fs::read_to_string(r.join("tmp/keep")).unwrap(), "mine");
        // The record goes with the restore.
        assert_eq!(names(r), HashSet::from(["tmp".into()]));
    }

    #[test]
    fn the_project_itself_or_a_folder_outside_is_never_cleaned() {
        let root = tempfile::tempdir().unwrap();
        for bad in [".", "", "..", "../x", "/tmp", "a/../.."] {
            assert!(TmpDir::note(root.path(), bad, &[]).is_none(), "{bad}");
        }
        std::os::unix::fs::symlink("/tmp", root.path().join("tmp")).unwrap();
        assert!(TmpDir::note(root.path(), "tmp", &[]).is_none());
    }

    #[test]
    fn a_record_reads_back_and_never_names_a_path() {
        let r = Record {
            rel: "build/tmp dir".into(),
            made: true,
            id: Some((2049, 77)),
            names: ["main".into(), OsString::from_vec(b"odd\n%\xff".to_vec())].into(),
        };
        assert_eq!(Record::decode(&r.encode()), Some(r.clone()));
        for bad in ["../x", "a/b", ".", ".."] {
            let planted = Record {
                names: [bad.into()].into(),
                ..r.clone()
            };
            assert_eq!(Record::decode(&planted.encode()), None, "{bad}");
        }
        for bad in ["../x", "/etc", ""] {
            let planted = Record {
                rel: bad.into(),
                ..r.clone()
            };
            assert_eq!(Record::decode(&planted.encode()), None, "{bad}");
        }
    }

    #[test]
    fn a_record_without_the_folders_identity_removes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let tmp = root.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        std::fs::write(tmp.join("main"), "the user's").unwrap();
        let planted = Record {
            rel: "tmp".into(),
            made: true,
            id: Some((1, 2)),
            names: ["main".into()].into(),
        };
        assert_eq!(planted.undo(root.path(), 7).len(), 1);
        let unseen = Record {
            id: None,
            ..planted
        };
        unseen.undo(root.path(), 7);
        assert!(tmp.join("main").is_file());
    }
}
