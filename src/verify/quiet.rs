//! The quiet period after the first build: nobody edits anything, so a build that starts
//! now was started by what the build itself wrote (a generator rewriting a watched file, the
//! binary written into a watched folder): a rebuild loop. Watched for the reloader's delay
//! plus a second, so verify stays quick; the loop is named with the files written since
//! the reloader started.

use super::reloader::Running;
use checks::system::procs::ProcessTable;
use checks::Context;
use reload_doctor_checks as checks;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// The verify stage a rebuild loop fails at (explained by the checks registered for it).
pub const STAGE: &str = "rebuild without an edit";

/// How many files of the watched folders are noted (a huge tree is judged by the first).
const MAX_FILES: usize = 20_000;

/// The files of the folders the reloader watches, with when each was last written.
pub struct Snapshot(HashMap<PathBuf, Option<SystemTime>>);

impl Snapshot {
    pub fn take(ctx: &Context) -> Snapshot {
        Snapshot(files(ctx).into_iter().collect())
    }

    /// The files written since the snapshot (new, or with another time), as the project
    /// names them; the reloader's tmp folder (its own binary and log) and verify's own
    /// journal left out.
    pub fn written(&self, ctx: &Context) -> Vec<String> {
        let tmp = ctx.project.watch_root().join(ctx.project.air.tmp_rel());
        let mut out: Vec<String> = files(ctx)
            .into_iter()
            .filter(|(p, t)| !p.starts_with(&tmp) && self.0.get(p) != Some(t))
            .filter(|(p, _)| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(super::journal::PREFIX))
            })
            .map(|(p, _)| ctx.project.display_path(&p))
            .collect();
        out.sort();
        out
    }
}

fn files(ctx: &Context) -> Vec<(PathBuf, Option<SystemTime>)> {
    let root = ctx.project.watch_root();
    let tree = ctx.watch_tree();
    tree.dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(root.join(&d.rel)).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .take(MAX_FILES)
        .map(|e| (e.path(), e.metadata().ok().and_then(|m| m.modified().ok())))
        .collect()
}

/// How long to watch: the reloader's delay (air waits that long after an event before it
/// builds) plus a second.
pub fn window(ctx: &Context) -> Duration {
    Duration::from_millis(ctx.project.air.build.delay_ms) + Duration::from_secs(1)
}

/// What showed a build during `window` with no edit: a new `go` process under the reloader
/// that is not the app's own (a reloader may poll with `sleep` or `stat`; every build runs
/// go), or the app stopped. None when all stayed quiet.
pub fn rebuilt(
    running: &mut Running,
    app: i32,
    proc_root: &Path,
    window: Duration,
    interrupted: &AtomicBool,
) -> Option<String> {
    let Ok(table) = ProcessTable::scan(proc_root) else {
        return None;
    };
    let before = running.descendants(&table);
    let app_start = table.get(app).map(|p| p.start_time);
    let t0 = Instant::now();
    while t0.elapsed() < window && !interrupted.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(5));
        let Ok(table) = ProcessTable::scan(proc_root) else {
            return None;
        };
        let alive = table
            .get(app)
            .is_some_and(|p| p.state != 'Z' && Some(p.start_time) == app_start);
        if !alive {
            return Some(format!("the app (pid {app}) was stopped"));
        }
        let started = running
            .descendants(&table)
            .into_iter()
            .filter(|pid| !before.contains(pid) && !descends_from(&table, *pid, app))
            .find_map(|pid| {
                table
                    .get(pid)
                    .filter(|p| p.comm == "go")
                    .map(|p| (pid, p.comm.clone()))
            });
        if let Some((pid, name)) = started {
            return Some(format!("{name} (pid {pid}) started"));
        }
    }
    None
}

fn descends_from(table: &ProcessTable, pid: i32, ancestor: i32) -> bool {
    let mut at = Some(pid);
    for _ in 0..64 {
        match at {
            Some(p) if p == ancestor => return true,
            Some(p) if p > 1 => at = table.get(p).map(|x| x.ppid),
            _ => return false,
        }
    }
    false
}

/// The failure's reason: what was seen, and what the build wrote.
pub fn reason(seen: &str, window: Duration, written: &[String]) -> String {
    let wrote = match written {
        [] => "no file in the watched folders changed (a write of the same bytes, or a file outside them)".to_string(),
        [one] => format!("the build wrote {one}"),
        [first @ .., last] if first.len() < 5 => format!("the build wrote {} and {last}", first.join(", ")),
        many => format!("the build wrote {} and {} more", many[..5].join(", "), many.len() - 5),
    };
    format!(
        "a rebuild started within {} of the first build with no edit ({seen}): a rebuild loop; {wrote}, which the reloader watches: exclude it, or write it outside the watched folders",
        checks::text::span(window)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_names_what_the_build_wrote() {
        let w = Duration::from_millis(1100);
        let r = reason("go (pid 7) started", w, &["web/static/app.css".into()]);
        assert!(r.contains("the build wrote web/static/app.css"), "{r}");
        assert!(r.contains("go (pid 7) started"), "{r}");
        let many: Vec<String> = (0..8).map(|i| format!("f{i}.go")).collect();
        assert!(reason("x", w, &many).contains("f4.go and 3 more"));
    }
}
