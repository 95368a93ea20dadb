//! Real inotify events (notify crate, inotify backend), translated into the operations that
//! fsnotify, the Go watcher inside air, reports for the same kernel events.
//!
//! fsnotify v1.9.0 `backend_inotify.go` `newEvent`: IN_CREATE and IN_MOVED_TO are Create,
//! IN_DELETE(_SELF) is Remove, IN_MODIFY is Write, IN_MOVED_FROM and IN_MOVE_SELF are Rename,
//! IN_ATTRIB is Chmod. notify emits one event per bit, plus a synthetic "rename both"
//! event and close/open events that fsnotify does not watch; those are dropped here.

use notify::event::{EventKind, ModifyKind, RenameMode};
use notify::{INotifyWatcher, RecursiveMode, Watcher};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// An fsnotify operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Op {
    Create,
    Write,
    Remove,
    Rename,
    Chmod,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Create => "CREATE",
            Op::Write => "WRITE",
            Op::Remove => "REMOVE",
            Op::Rename => "RENAME",
            Op::Chmod => "CHMOD",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FsEvent {
    pub at: Instant,
    pub op: Op,
    pub path: PathBuf,
}

/// What fsnotify would report for one notify event (nothing for events it does not watch).
pub fn fsnotify_op(kind: &EventKind) -> Option<Op> {
    match kind {
        EventKind::Create(_) => Some(Op::Create),
        EventKind::Remove(_) => Some(Op::Remove),
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => Some(Op::Create),
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) => Some(Op::Rename),
        EventKind::Modify(ModifyKind::Name(_)) => None,
        EventKind::Modify(ModifyKind::Metadata(_)) => Some(Op::Chmod),
        EventKind::Modify(_) => Some(Op::Write),
        _ => None,
    }
}

/// A live inotify watch on one or more folders, collecting events as fsnotify ops.
pub struct Capture {
    watcher: INotifyWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    /// Events received so far, in arrival order.
    pub events: Vec<FsEvent>,
}

impl Capture {
    pub fn new() -> Result<Capture, String> {
        let (tx, rx) = channel();
        let watcher = INotifyWatcher::new(tx, notify::Config::default())
            .map_err(|e| format!("cannot start an inotify watcher: {e}"))?;
        Ok(Capture {
            watcher,
            rx,
            events: vec![],
        })
    }

    /// Watch `dir` (not recursively, like air's one watch per folder).
    pub fn watch(&mut self, dir: &Path) -> Result<(), String> {
        self.watcher
            .watch(dir, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))
    }

    /// Collect events until one matches `want` (returned) or `timeout` passes (None).
    pub fn wait_for(
        &mut self,
        timeout: Duration,
        want: impl Fn(&FsEvent) -> bool,
    ) -> Result<Option<FsEvent>, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = match self.rx.recv_timeout(left) {
                Ok(Ok(e)) => e,
                Ok(Err(e)) => return Err(format!("the inotify watcher failed: {e}")),
                Err(RecvTimeoutError::Timeout) => return Ok(None),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the inotify watcher stopped".into())
                }
            };
            let at = Instant::now();
            let Some(op) = fsnotify_op(&event.kind) else {
                continue;
            };
            let mut hit = None;
            for path in event.paths {
                let e = FsEvent { at, op, path };
                if hit.is_none() && want(&e) {
                    hit = Some(e.clone());
                }
                self.events.push(e);
            }
            if hit.is_some() {
                return Ok(hit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_inotify_events_map_to_fsnotify_ops() {
        let dir = std::env::temp_dir().join(format!("rd-fsevents-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut c = Capture::new().unwrap();
        c.watch(&dir).unwrap();
        let (a, b) = (dir.join("a.go"), dir.join("b.go"));
        std::fs::write(&a, "x").unwrap();
        std::fs::rename(&a, &b).unwrap();
        std::fs::set_permissions(&b, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        std::fs::remove_file(&b).unwrap();
        let t = Duration::from_secs(2);
        assert!(c.wait_for(t, |e| e.op == Op::Remove).unwrap().is_some());
        let seen: Vec<(Op, &str)> = c
            .events
            .iter()
            .map(|e| (e.op, e.path.file_name().unwrap().to_str().unwrap()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (Op::Create, "a.go"),
                (Op::Write, "a.go"),
                (Op::Rename, "a.go"),
                (Op::Create, "b.go"),
                (Op::Chmod, "b.go"),
                (Op::Remove, "b.go"),
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
