//! Fixes that edit an air config file, made with [`Edit`] so the user's comments and order
//! stay: safe, the old file kept beside it. Each carries its [`Rewrite`], so the fixes several
//! checks offer for one file become one rewrite (see `engine.rs`).

use crate::context::Context;
use crate::model::{Action, Applicability, Fix, Rewrite};
use crate::project::Reloader;
use crate::reloaders::air::edit::{apply_all, Edit};
use crate::reloaders::air::keys::{
    BUILD, BUILD_KILL_DELAY, BUILD_LOG, BUILD_POLL, BUILD_POLL_INTERVAL, BUILD_SEND_INTERRUPT,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A fix of the config file at `path` (read as `text`) that makes `edits`; None when they
/// cannot be made or change nothing (the finding then has no rewrite rather than a wrong or
/// empty one). A file outside the project `root`, or a symbolic link (renaming over it would
/// replace the link), is never written: the fix says what to change by hand.
pub fn edit_file(
    root: &Path,
    path: &Path,
    text: &str,
    summary: String,
    edits: Vec<Edit>,
) -> Option<Fix> {
    let contents = apply_all(text, &edits).ok().filter(|c| c != text)?;
    if let Some(why) = not_ours_to_write(root, path) {
        return Some(Fix::manual(vec![format!(
            "{summary} (by hand: {} {why}, so --fix leaves it alone)",
            path.display()
        )]));
    }
    let mut backup = path.as_os_str().to_owned();
    backup.push(".reload-doctor.bak");
    Some(Fix {
        summary,
        applicability: Applicability::Safe,
        needs_root: false,
        action: Action::WriteFile {
            path: path.to_path_buf(),
            contents,
            expected_old: text.to_string(),
            backup: PathBuf::from(backup),
            rewrite: rewrite(edits),
        },
    })
}

/// A fix that makes `edits` to the project's air config, for a check other than
/// reloader-config (which judges each place air runs and writes through [`edit_file`]);
/// None without an air config read as written.
pub fn edit(ctx: &Context, summary: String, edits: Vec<Edit>) -> Option<Fix> {
    let p = &ctx.project;
    match (p.reloader, &p.config_path, &p.air_written, &p.config_error) {
        (Reloader::Air, Some(path), Some(written), None) => {
            edit_file(&p.root, path, written.text(), summary, edits)
        }
        _ => None,
    }
}

/// `kill_delay = "2s"` in `[build]`: after SIGINT the app gets 2 s to shut down before air
/// sends SIGKILL (the value the findings name; air starts the new app after 5 s anyway).
pub fn kill_delay() -> Edit {
    kill_delay_of("2s")
}

/// `kill_delay = "<duration>"` in `[build]`.
pub fn kill_delay_of(duration: &str) -> Edit {
    Edit::Set {
        table: BUILD.path,
        key: BUILD_KILL_DELAY.name(),
        value: duration.into(),
    }
}

/// `log = "<name>"` in `[build]`: air's build-error log, a path inside tmp_dir.
pub fn build_log(name: &str) -> Edit {
    Edit::Set {
        table: BUILD.path,
        key: BUILD_LOG.name(),
        value: name.into(),
    }
}

/// `send_interrupt = true` in `[build]`: air stops the app with SIGINT, not SIGKILL.
pub fn send_interrupt() -> Edit {
    Edit::Set {
        table: BUILD.path,
        key: BUILD_SEND_INTERRUPT.name(),
        value: true.into(),
    }
}

/// `poll = true` in `[build]`: air polls for changes instead of waiting for inotify events.
pub fn poll() -> Edit {
    Edit::Set {
        table: BUILD.path,
        key: BUILD_POLL.name(),
        value: true.into(),
    }
}

/// `poll_interval = <ms>` in `[build]`: how often air looks when it polls.
pub fn poll_interval(ms: i64) -> Edit {
    Edit::Set {
        table: BUILD.path,
        key: BUILD_POLL_INTERVAL.name(),
        value: ms.into(),
    }
}

/// The [`Rewrite`] that makes `edits`.
pub fn rewrite(edits: Vec<Edit>) -> Rewrite {
    Rewrite(Arc::new(move |text: &str| apply_all(text, &edits)))
}

/// Why `--fix` must not rewrite `path`, if it must not: a symbolic link, or a file outside
/// the project `root` (links resolved).
fn not_ours_to_write(root: &Path, path: &Path) -> Option<&'static str> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Some("is a symbolic link");
    }
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let inside = match (path.parent().and_then(real), real(root)) {
        (Some(dir), Some(root)) => dir.starts_with(root),
        _ => false,
    };
    (!inside).then_some("is outside the project")
}
