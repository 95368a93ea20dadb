//! Watching the project: one non-recursive notify watch per directory the rules keep
//! (`checks::reloaders::watch_tree`, air's walk), so excluded trees never cost a watch. New directories are
//! walked and watched, removed ones dropped. Out of inotify watches or instances, the runner
//! says so with the fix and falls back to polling.

use super::poll::Poller;
use super::snapshot::{list, Snapshot};
use crate::msg::Msg;
use crate::report::Report;
use checks::reloaders::air::runner::RunConfig;
use checks::reloaders::event_rules::EventRules;
use checks::reloaders::watch_tree::{self as tree, Rules};
use checks::System;
use notify::event::{EventKind, MetadataKind, ModifyKind, RenameMode};
use notify::{Config, Event, INotifyWatcher, RecursiveMode, Watcher};
use reload_doctor_checks as checks;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

const WATCHES_FIX: &str = "sudo sysctl -w fs.inotify.max_user_watches=524288";
const INSTANCES_FIX: &str = "sudo sysctl -w fs.inotify.max_user_instances=1024";

/// What one filesystem event means for the loop.
#[derive(Debug, PartialEq)]
pub enum Change {
    None,
    /// Source files changed (root-relative).
    Files(Vec<PathBuf>),
    /// Events were lost (why): rebuild once if something changed.
    Rescan(&'static str),
    /// The project folder itself was moved or removed: nothing is left to watch.
    RootGone,
}

/// The sources as the last build started. The snapshot is taken on another thread as the
/// build starts, and awaited only when events were lost.
#[derive(Default)]
pub struct Baseline {
    taking: Option<JoinHandle<Snapshot>>,
    taken: Option<Snapshot>,
}

impl Baseline {
    /// Start a new snapshot; none when polling, which loses no events. The previous
    /// snapshot, which lends its listings, is awaited on the new thread, never in the loop.
    pub fn take(&mut self, w: &Watch) {
        if !matches!(w.backend, Backend::Inotify(_)) {
            return;
        }
        let (pending, taken) = (self.taking.take(), self.taken.take());
        let (root, filter) = (w.root.clone(), w.filter.clone());
        let dirs: Vec<Arc<Path>> = w.dirs.iter().cloned().collect();
        self.taking = Some(std::thread::spawn(move || {
            let prev = pending.and_then(|h| h.join().ok()).or(taken);
            Snapshot::take(prev.unwrap_or_default(), &root, &dirs, &filter)
        }));
    }

    fn wait(&mut self) -> Option<Snapshot> {
        if let Some(taking) = self.taking.take() {
            self.taken = taking.join().ok();
        }
        self.taken.take()
    }

    /// Whether every source and watched directory is as it was at the baseline.
    pub fn still_holds(&mut self) -> bool {
        let snapshot = self.wait();
        let holds = snapshot.as_ref().is_some_and(Snapshot::holds);
        self.taken = snapshot;
        holds
    }
}

fn content_hash(path: &Path) -> Option<u64> {
    let bytes = checks::system::files::read(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

/// Why the tree at `root` needs polling because of the mount it is on (checks::system::mounts'
/// classifier: host shares, network and FUSE file systems), if it does.
fn mount_drops_events(system: &System, root: &Path) -> Option<String> {
    let m = checks::system::mounts::mount_of(system, root).ok()?;
    let why = checks::system::mounts::drops_events(&m)?;
    Some(format!("{} is {why}", m.mount_point.display()))
}

pub struct Watch {
    backend: Backend,
    /// `inotify`, or `polling every 500 ms (why)`.
    pub mode: String,
    root: PathBuf,
    rules: Rules,
    filter: Arc<EventRules>,
    /// Shared with the snapshots, which hold every watched directory too.
    dirs: HashSet<Arc<Path>>,
    tx: Sender<Msg>,
    /// As configured; [`poller`] raises it to the floor.
    poll_interval: Duration,
    /// The content hash of every source file as last seen: at start-up, as a build starts
    /// for it, and once a change made during a build is judged. A change made while a build
    /// runs is compared with it, so a build's own identical rewrite is no change.
    hashes: HashMap<PathBuf, u64>,
    exclude_unchanged: bool,
}

fn handler(tx: Sender<Msg>) -> impl notify::EventHandler {
    move |ev: notify::Result<Event>| {
        // notify watches IN_OPEN and IN_CLOSE_WRITE, which [`Watch::handle`] ignores: a
        // `go build` of 50 packages opens about 700 watched files, and sending each would
        // wake the loop that many times while the compilers want the CPU.
        if ev
            .as_ref()
            .is_ok_and(|e| matches!(e.kind, EventKind::Access(_)))
        {
            return;
        }
        let _ = tx.send(Msg::Fs(ev));
    }
}

/// Where file events come from.
enum Backend {
    Inotify(INotifyWatcher),
    Poll(Poller),
}

impl Backend {
    fn watch(&mut self, dir: &Path) -> notify::Result<()> {
        match self {
            Backend::Inotify(w) => w.watch(dir, RecursiveMode::NonRecursive),
            Backend::Poll(p) => p.watch(dir).map_err(|e| notify::Error::generic(&e)),
        }
    }

    fn unwatch(&mut self, dir: &Path) {
        match self {
            Backend::Inotify(w) => {
                let _ = w.unwatch(dir);
            }
            Backend::Poll(p) => p.unwatch(dir),
        }
    }
}

/// Start polling every `configured` (raised to the floor, with a note: said only where
/// polling happens, since with inotify the interval means nothing). `mode`: what the start
/// line says.
fn poller(
    tx: &Sender<Msg>,
    configured: Duration,
    root: &Path,
    filter: &Arc<EventRules>,
    why: &str,
    out: &dyn Report,
) -> (Backend, String) {
    let interval = configured.max(checks::reloaders::air::runner::POLL_FLOOR);
    if configured < interval {
        out.note(&format!(
            "poll_interval = {} is below the floor: polling every {} instead (a lower value rescans the tree in a busy loop)",
            checks::text::span(configured),
            checks::text::span(interval)
        ));
    }
    let p = Poller::start(tx.clone(), interval, root.to_path_buf(), filter.clone());
    let mode = format!("polling every {} ({why})", checks::text::span(interval));
    (Backend::Poll(p), mode)
}

impl Watch {
    /// Walk the project and watch every kept directory; report how it went.
    pub fn start(c: &RunConfig, tx: Sender<Msg>, out: &dyn Report) -> Result<Watch, String> {
        let t0 = Instant::now();
        let root = std::fs::canonicalize(c.root_path())
            .map_err(|e| format!("root {}: {e}", c.root_path().display()))?;
        let poll_interval = c.build.poll_interval;
        let poll_why = if c.build.poll {
            Some("poll = true".to_string())
        } else {
            mount_drops_events(&System::live(), &root)
        };
        let filter = Arc::new(EventRules::runner(c, &root)?);
        let (backend, mode) = match poll_why {
            Some(why) => poller(&tx, poll_interval, &root, &filter, &why, out),
            None => match INotifyWatcher::new(handler(tx.clone()), Config::default()) {
                Ok(w) => (Backend::Inotify(w), "inotify".to_string()),
                Err(e) => {
                    out.warn(
                        &format!("cannot start inotify ({e}): too many inotify instances for this user; polling instead"),
                        Some(INSTANCES_FIX),
                    );
                    poller(
                        &tx,
                        poll_interval,
                        &root,
                        &filter,
                        "out of inotify instances",
                        out,
                    )
                }
            },
        };
        let mut watch = Watch {
            backend,
            mode,
            root,
            rules: Rules::runner(c),
            filter,
            dirs: HashSet::new(),
            tx,
            poll_interval,
            hashes: HashMap::new(),
            exclude_unchanged: c.build.exclude_unchanged,
        };
        // The runner watches a hidden root too (air watches nothing there).
        let walked = tree::walk_from(&watch.root, ".", &watch.rules);
        for p in &walked.problems {
            out.warn(&format!("not watched: {p:?}"), None);
        }
        let mut dirs: Vec<PathBuf> = walked.dirs.iter().map(|d| watch.abs(&d.rel)).collect();
        // An include_file outside the watched dirs is seen through its folder.
        for f in &c.build.include_file {
            if let Some(parent) = watch.root.join(f).parent() {
                dirs.push(parent.to_path_buf());
            }
        }
        // Only folders that hold files can hold sources: the walk has counted them, so the
        // 20,000 empty folders of a large tree are not listed a second time.
        let mut with_files: Vec<PathBuf> = walked
            .dirs
            .iter()
            .filter(|d| d.files > 0)
            .map(|d| watch.abs(&d.rel))
            .collect();
        with_files.extend(dirs.iter().skip(walked.dirs.len()).cloned());
        watch.add_all(dirs, out);
        watch.seed_hashes_in(with_files);
        out.watching(watch.dirs.len(), &watch.mode, t0.elapsed());
        if watch.mode != "inotify" {
            out.note(&format!("file changes are found by {}", watch.mode));
        }
        Ok(watch)
    }

    fn abs(&self, rel: &str) -> PathBuf {
        if rel == "." {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }

    fn use_polling(&mut self, why: &str, out: &dyn Report) {
        (self.backend, self.mode) = poller(
            &self.tx,
            self.poll_interval,
            &self.root,
            &self.filter,
            why,
            out,
        );
    }

    /// Watch `dirs`; out of inotify watches, switch everything to polling.
    fn add_all(&mut self, dirs: Vec<PathBuf>, out: &dyn Report) {
        for (i, dir) in dirs.iter().enumerate() {
            if self.dirs.contains(dir.as_path()) {
                continue;
            }
            match self.backend.watch(dir) {
                Ok(()) => {
                    self.dirs.insert(Arc::from(dir.as_path()));
                }
                Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                    out.warn(
                        &format!(
                            "out of inotify watches after {} directories (fs.inotify.max_user_watches); polling instead",
                            self.dirs.len()
                        ),
                        Some(WATCHES_FIX),
                    );
                    let all: Vec<PathBuf> = self
                        .dirs
                        .drain()
                        .map(|d| d.to_path_buf())
                        .chain(dirs[i..].iter().cloned())
                        .collect();
                    self.use_polling("out of inotify watches", out);
                    return self.add_all(all, out);
                }
                // Gone between the walk and the watch: nothing to watch.
                Err(_) => {}
            }
        }
    }

    /// Interpret one event from the backend.
    pub fn handle(&mut self, ev: notify::Result<Event>, out: &dyn Report) -> Change {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                let all: Vec<PathBuf> = self.dirs.drain().map(|d| d.to_path_buf()).collect();
                out.warn(
                    "out of inotify watches (fs.inotify.max_user_watches); polling instead",
                    Some(WATCHES_FIX),
                );
                self.use_polling("out of inotify watches", out);
                self.add_all(all, out);
                return Change::Rescan("out of inotify watches");
            }
            Err(e) => {
                out.warn(&format!("watcher error: {e}"), None);
                return Change::None;
            }
        };
        if ev.need_rescan() {
            return Change::Rescan("inotify queue overflow");
        }
        let created = matches!(
            ev.kind,
            EventKind::Create(_)
                | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Any))
                | EventKind::Any
        );
        let removed = matches!(
            ev.kind,
            EventKind::Remove(_)
                | EventKind::Modify(ModifyKind::Name(RenameMode::From | RenameMode::Any))
        );
        // Chmod-only events never rebuild (reads never arrive: [`handler`] drops them); the
        // poller reports a new mtime as a metadata change, which is a write.
        let chmod = matches!(ev.kind, EventKind::Modify(ModifyKind::Metadata(k)) if k != MetadataKind::WriteTime);
        if chmod {
            return Change::None;
        }
        // `rm -rf` of the project: the files go first, the root last (and its own event may
        // never come), so any removal asks whether the root is still there.
        if removed && std::fs::symlink_metadata(&self.root).is_err() {
            return Change::RootGone;
        }
        let mut files = vec![];
        for path in ev.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            let rel = rel.to_string_lossy().into_owned();
            if removed && path == self.root {
                return Change::RootGone;
            }
            if removed && self.dirs.contains(path.as_path()) {
                self.drop_tree(&path);
                continue;
            }
            if created && path.is_dir() {
                if self.add_new_dir(&rel, out) {
                    files.push(PathBuf::from(rel));
                }
                continue;
            }
            if self.filter.wants(&path) {
                files.push(PathBuf::from(rel));
            }
        }
        if files.is_empty() {
            Change::None
        } else {
            Change::Files(files)
        }
    }

    /// Remember the content of `paths` (root-relative) as a build starts for them. True
    /// when `exclude_unchanged` is set and every one still has the content it had when last
    /// seen: asked once a batch has settled, so a save that truncates and then writes is
    /// judged by its final content.
    pub fn unchanged(&mut self, paths: &[PathBuf]) -> bool {
        let mut same = !paths.is_empty();
        for rel in paths {
            same &= !self.judge(rel);
        }
        same && self.exclude_unchanged
    }

    /// Whether `rel`'s content differs from the content last seen (a file created or
    /// removed since counts; one created and removed again does not). Remembers the new
    /// content.
    pub fn judge(&mut self, rel: &Path) -> bool {
        let path = self.root.join(rel);
        let now = content_hash(&path);
        let before = match now {
            Some(h) => self.hashes.insert(path, h),
            None => self.hashes.remove(&path),
        };
        before != now
    }

    /// Whether `rel`'s content differs from the content last seen, without remembering it.
    pub fn differs(&self, rel: &Path) -> bool {
        let path = self.root.join(rel);
        content_hash(&path) != self.hashes.get(&path).copied()
    }

    /// Whether `rel` is a file last written (its ctime) at or before `t`. False for a file
    /// that is gone, a folder (a new one stands for the files in it), or a time before 1970.
    pub fn written_by(&self, rel: &Path, t: SystemTime) -> bool {
        let Ok(m) = std::fs::metadata(self.root.join(rel)) else {
            return false;
        };
        if !m.is_file() {
            return false;
        }
        let Ok(t) = t.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let ctime = (m.ctime(), m.ctime_nsec());
        ctime.0 >= 0 && (ctime.0 as u64, ctime.1 as u32) <= (t.as_secs(), t.subsec_nanos())
    }

    /// Read the content of every file that would trigger a build (once at start-up, and
    /// again after lost events).
    pub fn seed_hashes(&mut self) {
        let dirs: Vec<PathBuf> = self.dirs.iter().map(|d| d.to_path_buf()).collect();
        self.seed_hashes_in(dirs);
    }

    /// [`Watch::seed_hashes`] for the files of `dirs` only.
    fn seed_hashes_in(&mut self, dirs: Vec<PathBuf>) {
        self.hashes.clear();
        for dir in dirs {
            for path in list(&self.root, &dir, &self.filter).files {
                if let Some(h) = content_hash(&path) {
                    self.hashes.insert(path, h);
                }
            }
        }
    }

    /// After lost events: walk the tree again for folders whose events were lost, and
    /// drop the watches of folders that are gone.
    pub fn rescan(&mut self, out: &dyn Report) {
        let walked = tree::walk_from(&self.root, ".", &self.rules);
        let dirs = walked.dirs.iter().map(|d| self.abs(&d.rel)).collect();
        self.dirs.retain(|d| d.is_dir());
        self.add_all(dirs, out);
    }

    /// Watch a new directory and what is under it; true when it holds source files (files
    /// created before its watch would otherwise go unseen).
    fn add_new_dir(&mut self, rel: &str, out: &dyn Report) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if !self.rules.enters(rel, name) {
            return false;
        }
        // A file written into the folder before its watch exists has no event of its own,
        // so the walk that counts the sources comes after the watches: walk, watch what is
        // new, and walk again until no folder is new.
        loop {
            let walked = tree::walk_from(&self.root, rel, &self.rules);
            let new: Vec<PathBuf> = walked
                .dirs
                .iter()
                .map(|d| self.abs(&d.rel))
                .filter(|d| !self.dirs.contains(d.as_path()))
                .collect();
            if new.is_empty() {
                return walked.source_files() > 0;
            }
            let watched = self.dirs.len();
            self.add_all(new, out);
            // Nothing could be watched (out of watches is handled inside): stop here.
            if self.dirs.len() == watched {
                return walked.source_files() > 0;
            }
        }
    }

    /// Forget a removed directory and everything below it.
    fn drop_tree(&mut self, dir: &Path) {
        let gone: Vec<Arc<Path>> = self
            .dirs
            .iter()
            .filter(|d| d.starts_with(dir))
            .cloned()
            .collect();
        for d in gone {
            self.backend.unwatch(&d);
            self.dirs.remove(&d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recorded Docker Desktop mount table (virtiofs at /app): this machine has no such mount.
    #[test]
    fn recorded_docker_desktop_share_is_polled() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("proc/self")).unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/mountinfo/docker-desktop-virtiofs.txt");
        std::fs::copy(fixture, root.path().join("proc/self/mountinfo")).unwrap();
        let system = System::with_root(root.path());
        let why = mount_drops_events(&system, Path::new("/app/handlers")).unwrap();
        assert!(why.starts_with("/app is a virtiofs share"), "{why}");
        assert_eq!(mount_drops_events(&system, Path::new("/root/src")), None);
    }
}
