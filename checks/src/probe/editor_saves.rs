//! How editors save, replayed for real under an inotify watch.
//!
//! Editors save in three ways: in place (truncate and write), write-temp-then-rename, and
//! backup-by-rename (move the original away, write a new file). Each leaves temp names
//! behind for a moment (`4913`, `.main.go.swp`, `main.go~`, `main.go___jb_tmp___`, `.#main.go`)
//! that a reloader may or may not take for a source change. [`replay`] performs each
//! pattern's file operations in a hidden scratch folder and returns the fsnotify events the
//! kernel produced, split into phases (an Emacs lock file appears when you start typing, the
//! save comes later).

use crate::probe::scratch::ScratchDir;
use crate::system::fsevents::{Capture, FsEvent, Op};
use std::path::Path;
use std::time::Duration;

/// One file operation of a save.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// Create or truncate, then write.
    Write(&'static str),
    Copy(&'static str, &'static str),
    Rename(&'static str, &'static str),
    Remove(&'static str),
    /// A symlink `name` pointing at `target` (Emacs lock files point at `user@host.pid`).
    Symlink(&'static str, &'static str),
    Chmod(&'static str),
    /// A person's time passes (longer than any reloader's debounce): starts a new phase.
    Pause,
}

/// Editors whose traces reload-doctor can recognise in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Editor {
    VsCode,
    Sublime,
    JetBrains,
    Vim,
    Emacs,
}

#[derive(Debug)]
pub struct Pattern {
    pub id: &'static str,
    /// Who saves this way, for people.
    pub who: &'static str,
    /// None: applies to everyone (the default of most editors).
    pub editor: Option<Editor>,
    /// Files present before the editor saves (not watched).
    pub setup: &'static [Step],
    pub steps: &'static [Step],
    /// Whether a save should rebuild (false for build output).
    pub should_rebuild: bool,
}

/// The source file every pattern saves; judged as `<root>/main.go`.
pub const SOURCE: &str = "main.go";

pub static PATTERNS: &[Pattern] = &[
    Pattern {
        id: "in-place",
        who: "VS Code, Sublime Text or nano (in place)",
        editor: None,
        setup: &[Step::Write(SOURCE)],
        steps: &[Step::Write(SOURCE)],
        should_rebuild: true,
    },
    Pattern {
        id: "temp-rename",
        who: "Sublime Text with atomic_save (writes .subl123.tmp, renames it over)",
        editor: Some(Editor::Sublime),
        setup: &[Step::Write(SOURCE)],
        steps: &[
            Step::Write(".subl883.tmp"),
            Step::Rename(".subl883.tmp", SOURCE),
        ],
        should_rebuild: true,
    },
    Pattern {
        id: "jetbrains-safe-write",
        who: "GoLand/IntelliJ with \"safe write\" (on by default)",
        editor: Some(Editor::JetBrains),
        setup: &[Step::Write(SOURCE)],
        steps: &[
            Step::Write("main.go___jb_tmp___"),
            Step::Rename(SOURCE, "main.go___jb_old___"),
            Step::Rename("main.go___jb_tmp___", SOURCE),
            Step::Remove("main.go___jb_old___"),
        ],
        should_rebuild: true,
    },
    Pattern {
        id: "vim-backup-rename",
        who: "Vim/Neovim, backupcopy=auto (probe file 4913, original renamed to main.go~)",
        editor: Some(Editor::Vim),
        setup: &[Step::Write(SOURCE), Step::Write(".main.go.swp")],
        steps: &[
            Step::Write("4913"),
            Step::Chmod("4913"),
            Step::Remove("4913"),
            Step::Rename(SOURCE, "main.go~"),
            Step::Write(SOURCE),
            Step::Chmod(SOURCE),
            Step::Remove("main.go~"),
            Step::Write(".main.go.swp"),
        ],
        should_rebuild: true,
    },
    Pattern {
        id: "vim-backup-copy",
        who: "Vim/Neovim, backupcopy=yes (copy to main.go~, write in place)",
        editor: Some(Editor::Vim),
        setup: &[Step::Write(SOURCE), Step::Write(".main.go.swp")],
        steps: &[
            Step::Copy(SOURCE, "main.go~"),
            Step::Write(SOURCE),
            Step::Remove("main.go~"),
            Step::Write(".main.go.swp"),
        ],
        should_rebuild: true,
    },
    Pattern {
        id: "emacs",
        who: "Emacs (lock link .#main.go while you edit, auto-save #main.go#, backup main.go~)",
        editor: Some(Editor::Emacs),
        setup: &[Step::Write(SOURCE)],
        steps: &[
            Step::Symlink("u@host.4242:1700000000", ".#main.go"),
            Step::Write("#main.go#"),
            Step::Pause,
            Step::Rename(SOURCE, "main.go~"),
            Step::Write(SOURCE),
            Step::Chmod(SOURCE),
            Step::Remove("#main.go#"),
            Step::Remove(".#main.go"),
        ],
        should_rebuild: true,
    },
    Pattern {
        id: "go-build-output",
        who: "go build writing its output (umask probe main-go-tmp-umask, then the binary)",
        editor: None,
        setup: &[],
        steps: &[
            Step::Write("main-go-tmp-umask"),
            Step::Remove("main-go-tmp-umask"),
            Step::Write("main"),
            Step::Chmod("main"),
        ],
        should_rebuild: false,
    },
];

/// The events of one pattern, phase by phase; paths are file names in the scratch folder.
#[derive(Debug)]
pub struct Replayed {
    pub pattern: &'static Pattern,
    pub phases: Vec<Vec<FsEvent>>,
}

const MARKER: &str = ".rd-phase-end";
/// Longest wait for the end-of-phase marker; a local file system answers in microseconds.
const PHASE_TIMEOUT: Duration = Duration::from_secs(2);

/// Replay every pattern in `.reload-doctor-saves-<pid>/` under `parent` (removed afterwards,
/// also on error). All patterns share that one folder: on some disks every rmdir costs
/// milliseconds, while unlinking files is cheap.
pub fn replay(parent: &Path) -> Result<Vec<Replayed>, String> {
    let scratch = ScratchDir::create(parent, "saves").map_err(|e| {
        format!(
            "cannot create a scratch folder in {}: {e}",
            parent.display()
        )
    })?;
    let dir = scratch.path();
    let mut capture = Capture::new()?;
    capture.watch(dir)?;
    let mut phase_ends = 0;
    let mut out = vec![];
    for pattern in PATTERNS {
        for step in pattern.setup {
            apply(dir, *step)?;
        }
        end_phase(&mut capture, dir, &mut phase_ends)?;
        let mut phases = vec![];
        for step in pattern.steps.iter().chain([&Step::Pause]) {
            match step {
                Step::Pause => phases.push(end_phase(&mut capture, dir, &mut phase_ends)?),
                _ => apply(dir, *step)?,
            }
        }
        clear(dir)?;
        out.push(Replayed { pattern, phases });
    }
    Ok(out)
}

/// Write a marker file and wait for its event. inotify queues events in order, so once the
/// marker is in, every earlier event is too; those are returned (markers left out).
fn end_phase(capture: &mut Capture, dir: &Path, n: &mut usize) -> Result<Vec<FsEvent>, String> {
    *n += 1;
    let marker = dir.join(format!("{MARKER}-{n}"));
    std::fs::write(&marker, b"").map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    let seen = capture.wait_for(PHASE_TIMEOUT, |e| e.op == Op::Create && e.path == marker)?;
    if seen.is_none() {
        return Err(format!(
            "no inotify event within {} for {}",
            crate::text::span(PHASE_TIMEOUT),
            marker.display()
        ));
    }
    Ok(capture.events.drain(..).filter(|e| !is_marker(e)).collect())
}

/// Remove every file a pattern left (the folder itself stays for the next pattern).
fn clear(dir: &Path) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for e in entries.flatten() {
        std::fs::remove_file(e.path())
            .map_err(|err| format!("cannot remove {}: {err}", e.path().display()))?;
    }
    Ok(())
}

fn is_marker(e: &FsEvent) -> bool {
    e.path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(MARKER))
}

fn apply(dir: &Path, step: Step) -> Result<(), String> {
    use std::fs;
    let at = |n: &str| dir.join(n);
    let r = match step {
        Step::Write(n) => fs::write(at(n), b"package main\n"),
        Step::Copy(a, b) => fs::copy(at(a), at(b)).map(drop),
        Step::Rename(a, b) => fs::rename(at(a), at(b)),
        Step::Remove(n) => fs::remove_file(at(n)),
        Step::Symlink(target, n) => std::os::unix::fs::symlink(target, at(n)),
        Step::Chmod(n) => {
            fs::set_permissions(at(n), std::os::unix::fs::PermissionsExt::from_mode(0o644))
        }
        Step::Pause => Ok(()),
    };
    r.map_err(|e| format!("replaying {step:?} in {}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(events: &[FsEvent]) -> Vec<(Op, String)> {
        events
            .iter()
            .map(|e| (e.op, e.path.file_name().unwrap().to_string_lossy().into()))
            .collect()
    }

    #[test]
    fn replays_real_events_by_phase_and_cleans_up() {
        let dir = std::env::temp_dir().join(format!("rd-saves-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let all = replay(&dir).unwrap();
        assert_eq!(all.len(), PATTERNS.len());
        let jb = all
            .iter()
            .find(|r| r.pattern.id == "jetbrains-safe-write")
            .unwrap();
        let s = |n: &str| n.to_string();
        assert_eq!(
            names(&jb.phases[0]),
            vec![
                (Op::Create, s("main.go___jb_tmp___")),
                (Op::Write, s("main.go___jb_tmp___")),
                (Op::Rename, s("main.go")),
                (Op::Create, s("main.go___jb_old___")),
                (Op::Rename, s("main.go___jb_tmp___")),
                (Op::Create, s("main.go")),
                (Op::Remove, s("main.go___jb_old___")),
            ]
        );
        let emacs = all.iter().find(|r| r.pattern.id == "emacs").unwrap();
        assert_eq!(emacs.phases.len(), 2);
        assert_eq!(names(&emacs.phases[0])[0], (Op::Create, s(".#main.go")));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn replay_in_a_vanished_folder_is_an_error_not_a_panic() {
        let dir = std::env::temp_dir().join(format!("rd-saves-gone-{}", std::process::id()));
        let err = replay(&dir).unwrap_err();
        assert!(err.contains("rd-saves-gone"), "{err}");
    }
}
