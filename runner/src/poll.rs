//! Polling, for trees inotify cannot serve: `poll = true`, mounts that drop events, or out
//! of inotify watches or instances.
//!
//! notify's PollWatcher was used first. It keeps mtimes in whole seconds, so to catch a save
//! within the same second it must read and hash every file on every scan: 86 MB every 500 ms
//! for a 20,000-file project (42% of a core here, and worse on the network mounts that need
//! polling most). This poller compares nanosecond stamps (size, inode, mtime, ctime) of the
//! watched folders and of the files in them that can trigger a build, and lists a folder
//! again only when its own times changed: stat calls only, in the steady state.

use super::snapshot::{list, stamp, stamped};
use crate::msg::Msg;
use checks::reloaders::event_rules::EventRules;
use notify::event::{CreateKind, DataChange, EventKind, ModifyKind, RemoveKind};
use notify::Event;
use reload_doctor_checks as checks;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One watched folder as last seen.
struct Seen {
    stamp: u64,
    files: HashMap<PathBuf, u64>,
    subdirs: HashSet<PathBuf>,
}

impl Seen {
    fn read(root: &Path, dir: &Path, filter: &EventRules) -> Option<Seen> {
        let dir_stamp = stamp(dir)?;
        let listing = list(root, dir, filter);
        let files = stamped(listing.files).collect();
        let subdirs = listing.dirs.into_iter().collect();
        Some(Seen {
            stamp: dir_stamp,
            files,
            subdirs,
        })
    }
}

type Folders = Arc<Mutex<HashMap<PathBuf, Seen>>>;

pub struct Poller {
    folders: Folders,
    root: PathBuf,
    filter: Arc<EventRules>,
    stop: Arc<AtomicBool>,
}

impl Poller {
    /// Scan every `interval` on a thread of its own, sending what changed as notify events.
    pub fn start(
        tx: Sender<Msg>,
        interval: Duration,
        root: PathBuf,
        filter: Arc<EventRules>,
    ) -> Poller {
        let folders: Folders = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (f, r, fl, s) = (folders.clone(), root.clone(), filter.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(interval);
                let events = scan(&mut f.lock().unwrap(), &r, &fl);
                for ev in events {
                    if tx.send(Msg::Fs(Ok(ev))).is_err() {
                        return;
                    }
                }
            }
        });
        Poller {
            folders,
            root,
            filter,
            stop,
        }
    }

    /// Start polling `dir`, as it is now (what changes from here on is reported).
    pub fn watch(&self, dir: &Path) -> Result<(), String> {
        let seen = Seen::read(&self.root, dir, &self.filter)
            .ok_or_else(|| format!("{} is gone", dir.display()))?;
        self.folders.lock().unwrap().insert(dir.to_path_buf(), seen);
        Ok(())
    }

    pub fn unwatch(&self, dir: &Path) {
        self.folders.lock().unwrap().remove(dir);
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Compare every folder with how it was last seen; update it, and return the changes.
fn scan(folders: &mut HashMap<PathBuf, Seen>, root: &Path, filter: &EventRules) -> Vec<Event> {
    let mut events = vec![];
    let ev = |kind, path: &Path| Event::new(kind).add_path(path.to_path_buf());
    let mut gone = vec![];
    for (dir, seen) in folders.iter_mut() {
        let Some(now) = stamp(dir) else {
            gone.push(dir.clone());
            events.push(ev(EventKind::Remove(RemoveKind::Folder), dir));
            continue;
        };
        if now == seen.stamp {
            // Same entries: only contents can have changed.
            for (file, s) in seen.files.iter_mut() {
                match stamp(file) {
                    Some(n) if n != *s => {
                        *s = n;
                        events.push(ev(
                            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                            file,
                        ));
                    }
                    _ => {}
                }
            }
            continue;
        }
        let Some(fresh) = Seen::read(root, dir, filter) else {
            continue;
        };
        for (file, s) in &fresh.files {
            match seen.files.get(file) {
                None => events.push(ev(EventKind::Create(CreateKind::File), file)),
                Some(old) if old != s => events.push(ev(
                    EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                    file,
                )),
                Some(_) => {}
            }
        }
        for file in seen.files.keys().filter(|f| !fresh.files.contains_key(*f)) {
            events.push(ev(EventKind::Remove(RemoveKind::File), file));
        }
        for sub in fresh.subdirs.difference(&seen.subdirs) {
            events.push(ev(EventKind::Create(CreateKind::Folder), sub));
        }
        *seen = fresh;
    }
    for dir in gone {
        folders.remove(&dir);
    }
    events
}
