//! `reload-doctor verify`: drive a real save through the reload loop and time each stage.
//!
//! It starts the reloader (the project's own, or `--with`), waits until the app serves, then
//! saves a watched `.go` file twice (in place, then temp + rename) with a comment line
//! appended (a change the compiler must redo, see [`save`]), and watches the process table: a new child of the reloader means the save was seen; the
//! children other than the new app finishing means the build is done; the old serving pid
//! going away and a new pid accepting on the port complete the reload. The file is restored
//! and everything started is stopped, also on failure and Ctrl-C.

mod journal;
mod quiet;
pub(crate) mod reloader;
mod save;
mod tmp_dir;

use checks::engine::{run_checks, CheckResult};
use checks::system::procs::ProcessTable;
use checks::system::sockets;
use checks::text::visible;
use checks::{Context, Status};
use comfy_table::{presets::NOTHING, Table};
use reload_doctor_checks as checks;
use reloader::Running;
use save::{Mode, SavedFile};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What verify runs killed here left: the files they saved put back, what they made in the
/// tmp folder removed (see [`journal::recover`]).
pub fn recover(root: &Path) -> Vec<String> {
    journal::recover(root, |data, pid| {
        tmp_dir::Record::decode(data).map(|r| r.undo(root, pid))
    })
}
/// How long the first build may take (it may download modules).
const START_TIMEOUT: Duration = Duration::from_secs(180);
/// How long one save may take from write to the new pid serving.
const RELOAD_TIMEOUT: Duration = Duration::from_secs(60);
/// A save with no reaction at all after this long was not seen.
const NOTICE_TIMEOUT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(5);

#[derive(Debug, Serialize)]
pub struct Verdict {
    pub schema_version: u32,
    pub reloader: String,
    pub project: String,
    /// The port verified: the configured one, or the one the app really listens on.
    pub port: u16,
    /// Every TCP port the app listened on at start.
    pub ports: Vec<u16>,
    /// The port verify was given or found, when the app listens elsewhere.
    pub configured_port: Option<u16>,
    pub file: Option<String>,
    pub startup_ms: Option<f64>,
    pub saves: Vec<SaveResult>,
    pub ok: bool,
    pub failure: Option<Failure>,
    /// Pids still alive after the reloader was stopped (killed by verify).
    pub left_behind: Vec<i32>,
    /// The checks that explain a failure.
    pub explanation: Vec<CheckResult>,
}

#[derive(Debug, Serialize, Clone)]
pub struct Failure {
    pub stage: &'static str,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct SaveResult {
    pub mode: Mode,
    pub ok: bool,
    /// Milliseconds after the save at which each stage was seen (None: not seen).
    pub noticed_ms: Option<f64>,
    pub built_ms: Option<f64>,
    pub old_gone_ms: Option<f64>,
    pub serving_ms: Option<f64>,
    pub new_pid: Option<i32>,
}

/// The stages of one reload, in order (before them comes the start: first build and serve).
pub const STAGES: [&str; 4] = [
    "save seen",
    "build finished",
    "old process gone",
    "new pid serving",
];

/// Run verify; `interrupted` is set by Ctrl-C/SIGTERM and makes every wait give up.
pub fn verify(
    ctx: &Context,
    with: Option<&str>,
    rounds: usize,
    interrupted: Arc<AtomicBool>,
    progress: &AtomicUsize,
) -> Verdict {
    let project = &ctx.project;
    let mut v = Verdict {
        schema_version: 1,
        reloader: with.unwrap_or(project.reloader.as_str()).to_string(),
        project: project.root.display().to_string(),
        port: project.port,
        ports: vec![],
        configured_port: None,
        file: None,
        startup_ms: None,
        saves: vec![],
        ok: false,
        failure: None,
        left_behind: vec![],
        explanation: vec![],
    };
    let proc_root = ctx.system.proc_root.clone();
    // First what a killed verify left (its tmp folder is not this run's to note as found).
    for line in recover(&project.root) {
        crate::wrap::eprint(&format!("reload-doctor: {}", visible(&line)));
    }
    // What the reloader writes in the tmp folder (binary, build log) is not left behind.
    let bin = project.air.bin_path(&project.root, &project.watch_root());
    let tmp = tmp_dir::TmpDir::note(&project.root, &project.air.tmp_dir, &[bin]);
    let result = drive(
        ctx,
        with,
        rounds,
        &interrupted,
        progress,
        &mut v,
        &proc_root,
    );
    if let Some(tmp) = tmp {
        tmp.restore();
    }
    if let Err(failure) = result {
        // Ctrl-C asks to stop now, not to build the project for an explanation first.
        if !interrupted.load(Ordering::Relaxed) {
            v.explanation = explain(ctx, failure.stage, &v.reloader);
        }
        v.failure = Some(failure);
    } else {
        v.ok = true;
    }
    v
}

fn drive(
    ctx: &Context,
    with: Option<&str>,
    rounds: usize,
    interrupted: &AtomicBool,
    progress: &AtomicUsize,
    v: &mut Verdict,
    proc_root: &Path,
) -> Result<(), Failure> {
    let fail = |stage: &'static str, reason: String| Failure { stage, reason };
    // None when nothing names the port: the app's first listener is verified.
    let configured = ctx.project.known_port();
    let file = watched_go_file(ctx)
        .ok_or_else(|| fail("start", "no watched .go file to save in the project".into()))?;
    v.file = Some(ctx.project.display_path(&file));
    if !file.starts_with(&ctx.project.root) {
        return Err(fail(
            "start",
            format!(
                "{} is outside the project: verify saves only files inside it",
                file.display()
            ),
        ));
    }
    let saved = SavedFile::open(&ctx.project.root, &file).map_err(|e| fail("start", e))?;
    if let Some(port) = configured {
        if let Some(holder) = serving_pid(&scan(proc_root)?, port, &[]) {
            return Err(fail("start", format!("port {port} is already held by pid {holder} before the reloader starts: stop it (see port-busy) or pass --port")));
        }
    }
    let (name, cmd) = reloader::command_for(with, &ctx.project).map_err(|e| fail("start", e))?;
    v.reloader = name;
    checks::probe::scratch::remove_stale_temp_dirs();
    // The pid in the name lets a later run remove it if this one is killed.
    let scratch = tempfile::Builder::new()
        .prefix(&format!("reload-doctor-verify-{}-", std::process::id()))
        .tempdir()
        .map_err(|e| fail("start", e.to_string()))?;
    // Held while verify runs: another pid namespace's doctor sharing /tmp leaves it alone.
    let _held = checks::system::folder_lock::hold(scratch.path());
    let files_before = quiet::Snapshot::take(ctx);
    let mut running = Running::start(cmd, scratch.path()).map_err(|e| fail("start", e))?;

    let started = Instant::now();
    // When the app first listened, on ports other than the configured one.
    let mut elsewhere_since: Option<Instant> = None;
    let (mut old, port) = loop {
        let table = scan(proc_root)?;
        let under = running.descendants(&table);
        let ports = sockets::ports_of(proc_root, &app_side(&table, &under, running.pid));
        // The runner's rule: the configured port, or the first once the app had the time to
        // open it (an API may listen only after its database connects); the first at once
        // when the port is unknown.
        let ready = sockets::serving_port(&ports, configured, &mut elsewhere_since, Instant::now());
        if let Some(port) = ready {
            if let Some(pid) =
                serving_pid(&table, port, &under).filter(|_| sockets::accepts_local(port))
            {
                v.ports = ports;
                break (pid, port);
            }
        }
        if let Some(status) = running.exited() {
            return Err(fail(
                "start",
                format!(
                    "{} exited ({status}) before the app served:\n{}",
                    v.reloader,
                    running.log_tail(15)
                ),
            ));
        }
        if let Some((stage, line)) = running.reported_failure(true) {
            return Err(fail(
                stage,
                format!(
                    "{} reports `{line}` before the app served:\n{}",
                    v.reloader,
                    running.log_tail(15)
                ),
            ));
        }
        wait_or_stop(started, START_TIMEOUT, interrupted).map_err(|why| {
            fail(
                "start",
                format!(
                    "the app listened on no TCP port {why}:\n{}",
                    running.log_tail(15)
                ),
            )
        })?;
    };
    v.startup_ms = Some(ms(started.elapsed()));
    v.port = port;
    if configured.is_some_and(|c| c != port) {
        v.configured_port = configured;
    }
    progress.fetch_add(1, Ordering::Relaxed);
    let window = quiet::window(ctx);
    if let Some(seen) = quiet::rebuilt(&mut running, old, proc_root, window, interrupted) {
        let written = files_before.written(ctx);
        return Err(fail(quiet::STAGE, quiet::reason(&seen, window, &written)));
    }

    let mut outcome = Ok(());
    for mode in (0..rounds).flat_map(|_| Mode::ALL) {
        let (result, failure) = one_save(
            &saved,
            mode,
            &mut running,
            old,
            proc_root,
            port,
            interrupted,
        );
        if let Some(pid) = result.new_pid {
            old = pid;
        }
        v.saves.push(result);
        progress.fetch_add(1, Ordering::Relaxed);
        if let Some(f) = failure {
            outcome = Err(f);
            break;
        }
    }
    drop(saved);
    v.left_behind = running.stop(proc_root);
    outcome
}

/// Save once and follow the reload until a new pid serves.
fn one_save(
    saved: &SavedFile,
    mode: Mode,
    running: &mut Running,
    old: i32,
    proc_root: &Path,
    port: u16,
    interrupted: &AtomicBool,
) -> (SaveResult, Option<Failure>) {
    let mut r = SaveResult {
        mode,
        ok: false,
        noticed_ms: None,
        built_ms: None,
        old_gone_ms: None,
        serving_ms: None,
        new_pid: None,
    };
    let fail = |stage: &'static str, reason: String| Some(Failure { stage, reason });
    let before: Vec<i32> = ProcessTable::scan(proc_root)
        .map(|t| running.descendants(&t))
        .unwrap_or_default();
    let old_start = ProcessTable::scan(proc_root)
        .ok()
        .and_then(|t| t.get(old).map(|p| p.start_time));
    let t0 = Instant::now();
    if let Err(e) = saved.save(mode) {
        return (r, fail("save seen", e));
    }
    // pid -> (first seen, last seen) of every new process under the reloader.
    let mut new: HashMap<i32, (Duration, Duration)> = HashMap::new();
    let mut parents: HashMap<i32, i32> = HashMap::new();
    loop {
        let now = t0.elapsed();
        let Ok(table) = ProcessTable::scan(proc_root) else {
            return (
                r,
                fail("save seen", format!("cannot read {}", proc_root.display())),
            );
        };
        let under = running.descendants(&table);
        for &pid in &under {
            if !before.contains(&pid) {
                new.entry(pid).or_insert((now, now)).1 = now;
                if let Some(p) = table.get(pid) {
                    parents.insert(pid, p.ppid);
                }
            }
        }
        let old_alive = table
            .get(old)
            .is_some_and(|p| p.state != 'Z' && Some(p.start_time) == old_start);
        note_reactions(&mut r, now, &new, old_alive);
        if let Some(pid) = serving_pid(&table, port, &under).filter(|p| *p != old) {
            if !old_alive && sockets::accepts_local(port) {
                r.serving_ms = Some(ms(t0.elapsed()));
                r.new_pid = Some(pid);
                break;
            }
        }
        if let Some(status) = running.exited() {
            let stage = stage_reached(&r);
            return (
                r,
                fail(
                    stage,
                    format!("the reloader exited ({status}):\n{}", running.log_tail(15)),
                ),
            );
        }
        if let Some((stage, line)) = running.reported_failure(false) {
            return (
                r,
                fail(
                    stage,
                    format!("the reloader reports `{line}`:\n{}", running.log_tail(15)),
                ),
            );
        }
        if new.is_empty() && old_alive && now > NOTICE_TIMEOUT {
            return (
                r,
                fail(
                    "save seen",
                    format!(
                        "no reaction {} after saving {} ({})",
                        checks::text::span(NOTICE_TIMEOUT),
                        saved.path().display(),
                        mode.label()
                    ),
                ),
            );
        }
        if let Err(why) = wait_or_stop(t0, RELOAD_TIMEOUT, interrupted) {
            let stage = stage_reached(&r);
            return (r, fail(stage, format!("{why}:\n{}", running.log_tail(15))));
        }
    }
    r.built_ms = build_end(&new, &parents, r.new_pid);
    r.ok = r.serving_ms.is_some();
    (r, None)
}

/// The first sightings of one scan, judged: the save was noticed when the first new process
/// appeared under the reloader, or at the latest when the old app went away (a loaded
/// machine may scan too slowly to catch the build).
fn note_reactions(
    r: &mut SaveResult,
    now: Duration,
    new: &HashMap<i32, (Duration, Duration)>,
    old_alive: bool,
) {
    if r.noticed_ms.is_none() && !new.is_empty() {
        let first = new.values().map(|(first, _)| *first).min().unwrap_or(now);
        r.noticed_ms = Some(ms(first));
    }
    if r.old_gone_ms.is_none() && !old_alive {
        r.old_gone_ms = Some(ms(now));
        r.noticed_ms.get_or_insert(ms(now));
    }
}

/// When the build ended: the last sighting of a new process that is neither the new app nor
/// in the chain that launched it (`parents` maps each new pid to its parent).
fn build_end(
    new: &HashMap<i32, (Duration, Duration)>,
    parents: &HashMap<i32, i32>,
    app: Option<i32>,
) -> Option<f64> {
    let mut launcher = vec![];
    let mut up = app;
    while let Some(pid) = up {
        launcher.push(pid);
        up = parents.get(&pid).copied();
    }
    new.iter()
        .filter(|(pid, _)| !launcher.contains(pid))
        .map(|(_, (_, last))| ms(*last))
        .reduce(f64::max)
}

/// The first stage not yet seen: where a stuck reload is stuck.
fn stage_reached(r: &SaveResult) -> &'static str {
    if r.noticed_ms.is_none() {
        "save seen"
    } else if r.old_gone_ms.is_none() {
        "old process gone"
    } else {
        "new pid serving"
    }
}

fn wait_or_stop(since: Instant, limit: Duration, interrupted: &AtomicBool) -> Result<(), String> {
    if interrupted.load(Ordering::Relaxed) {
        return Err("(interrupted)".into());
    }
    if since.elapsed() > limit {
        return Err(format!("within {}", checks::text::span(limit)));
    }
    std::thread::sleep(POLL);
    Ok(())
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// The processes under the reloader that are the app's side: not the reloader itself (the
/// guardian's child), whose own listener is a proxy (gin's, air's [proxy]).
fn app_side(table: &ProcessTable, under: &[i32], guard: i32) -> Vec<i32> {
    under
        .iter()
        .copied()
        .filter(|pid| table.get(*pid).is_some_and(|p| p.ppid != guard))
        .collect()
}

/// The pid listening on `port`, if one can be seen; `likely` are searched first.
fn serving_pid(table: &ProcessTable, port: u16, likely: &[i32]) -> Option<i32> {
    sockets::port_holders(table, port, likely)?
        .into_iter()
        .max()
}

fn scan(proc_root: &Path) -> Result<ProcessTable, Failure> {
    ProcessTable::scan(proc_root).map_err(|reason| Failure {
        stage: "start",
        reason,
    })
}

/// A `.go` file the build really compiles: one of the main package that build.cmd names
/// (its main.go first), never another `package main` under cmd/ that the build ignores; else
/// main.go at the root, else the first watched source.
fn watched_go_file(ctx: &Context) -> Option<PathBuf> {
    let root = ctx.project.watch_root();
    let plan = ctx.project.build_plan();
    let main_dir = plan.main_dir(&ctx.project.root);
    if let Ok(entries) = std::fs::read_dir(&main_dir) {
        let files = checks::golang::source::go_sources(entries);
        let main = main_dir.join("main.go");
        if files.contains(&main) {
            return Some(main);
        }
        if let Some(first) = files.into_iter().next() {
            return Some(first);
        }
    }
    let main = root.join("main.go");
    if main.is_file() {
        return Some(main);
    }
    let tree = ctx.watch_tree();
    tree.dirs
        .iter()
        .filter(|d| d.source_files > 0)
        .find_map(|d| {
            let entries = std::fs::read_dir(root.join(&d.rel)).ok()?;
            checks::golang::source::go_sources(entries)
                .into_iter()
                .next()
        })
}

/// The checks that explain a failed stage, run now.
fn explain(ctx: &Context, stage: &str, reloader: &str) -> Vec<CheckResult> {
    let mut results = run_checks(ctx, checks::registry::explaining(stage), &());
    for c in &mut results {
        // Findings about installing another reloader explain nothing about the one used.
        c.findings
            .retain(|f| !matches!(f.evidence["reloader"].as_str(), Some(r) if r != reloader));
    }
    results
        .into_iter()
        .filter(|c| matches!(c.status, Status::Warn | Status::Fail | Status::Error))
        .filter(|c| c.status == Status::Error || !c.findings.is_empty())
        .collect()
}

/// The median of some millisecond figures.
pub fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
    })
}

/// The stage table and verdict for a person.
pub fn render(v: &Verdict, style: crate::style::Style, width: Option<usize>) -> String {
    let mut table = Table::new();
    table.load_preset(NOTHING);
    crate::wrap::table(&mut table, width);
    let mut header = vec!["stage".to_string()];
    header.extend(Mode::ALL.iter().map(|m| m.label().to_string()));
    table.set_header(header);
    let cell = |value: Option<f64>, reached: bool| match (value, reached) {
        (Some(ms), _) => format!(
            "{} {}",
            style.mark(Status::Pass),
            crate::wrap::cell(&checks::text::duration(ms), width)
        ),
        (None, true) => "·".to_string(),
        (None, false) => style.mark(Status::Fail),
    };
    let start = match v.startup_ms {
        Some(ms) => format!("app serving {} after start", checks::text::duration(ms)),
        None => "app never served".to_string(),
    };
    for (i, stage) in STAGES.iter().enumerate() {
        let mut row = vec![stage.to_string()];
        for mode in Mode::ALL {
            let saves: Vec<&SaveResult> = v.saves.iter().filter(|s| s.mode == mode).collect();
            if saves.is_empty() {
                row.push("-".into());
                continue;
            }
            let values = saves
                .iter()
                .filter_map(|s| [s.noticed_ms, s.built_ms, s.old_gone_ms, s.serving_ms][i]);
            // A build too quick to catch between samples is not a failure once the app serves.
            row.push(cell(median(values), saves.iter().all(|s| s.ok)));
        }
        table.add_row(row);
    }
    let ports = match v.ports.as_slice() {
        [] | [_] => format!("port {}", v.port),
        all => format!("port {} (listening on {})", v.port, sockets::list(all)),
    };
    let mut out = format!(
        "reload-doctor verify · {} · {} · {ports} · {start}\nsaving {} with a comment line added (an edit the compiler redoes; removed after); milliseconds after the save:\n\n{table}\n\n",
        visible(&v.reloader),
        visible(&v.project),
        visible(v.file.as_deref().unwrap_or("?")),
    );
    if let Some(c) = v.configured_port {
        out.push_str(&style.bold(&format!(
            "the app listens on :{}, not on :{c}: pass --port {} (verified on :{0})\n\n",
            v.port, v.port
        )));
    }
    match &v.failure {
        None => out.push_str(&style.bold(&format!(
            "hot reload works: a save costs {}, from the write to a new process serving, the build included (in place{})\n",
            median(v.saves.iter().filter(|s| s.mode == Mode::InPlace).filter_map(|s| s.serving_ms))
                .map_or("?".into(), checks::text::duration),
            if v.saves.len() > Mode::ALL.len() { ", median" } else { "" }
        ))),
        Some(f) => {
            // A reason may end with the reloader's last log lines, one a line.
            let reason: Vec<_> = f.reason.lines().map(visible).collect();
            out.push_str(&style.bold(&format!(
                "hot reload fails at \"{}\": {}\n",
                f.stage,
                reason.join("\n")
            )));
            // The checks as the report shows them: a failing check's row names its failing
            // finding (not its pass line), its other problems under it.
            let rows = crate::render::Rows {
                style,
                verbose: false,
                id_width: crate::render::id_width(v.explanation.iter().map(|c| c.id)),
                width: crate::wrap::width(),
            };
            if !v.explanation.is_empty() {
                out.push('\n');
            }
            for c in &v.explanation {
                out.push_str(&rows.row(c));
            }
        }
    }
    if !v.left_behind.is_empty() {
        out.push_str(&format!(
            "stopped processes the reloader left behind: {:?}\n",
            v.left_behind
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stage names are verify's and the lists the registry's: a name that differs would
    /// leave that stage's failure unexplained.
    #[test]
    fn every_stage_a_verify_can_fail_at_has_checks_that_explain_it() {
        for stage in ["start", quiet::STAGE].into_iter().chain(STAGES) {
            assert!(!checks::registry::explaining(stage).is_empty(), "{stage}");
        }
    }

    fn at(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn the_build_ends_with_the_last_process_that_is_not_the_app_or_its_launcher() {
        // 10 sh -c (air's launcher) -> 11 the new app; 20 go build -> 21 compile.
        let new = HashMap::from([
            (10, (at(400), at(900))),
            (11, (at(450), at(900))),
            (20, (at(30), at(300))),
            (21, (at(40), at(350))),
        ]);
        let parents = HashMap::from([(11, 10), (10, 1), (21, 20), (20, 1)]);
        assert_eq!(build_end(&new, &parents, Some(11)), Some(350.0));
        // Without a new app everything new is the build.
        assert_eq!(build_end(&new, &parents, None), Some(900.0));
    }

    #[test]
    fn a_save_is_noticed_by_the_first_new_process_or_when_the_old_app_goes() {
        let mut r = save(Mode::InPlace, 100.0);
        (r.noticed_ms, r.old_gone_ms) = (None, None);
        note_reactions(&mut r, at(50), &HashMap::new(), true);
        assert_eq!(r.noticed_ms, None);
        note_reactions(&mut r, at(80), &HashMap::new(), false);
        assert_eq!((r.noticed_ms, r.old_gone_ms), (Some(80.0), Some(80.0)));

        let mut r = save(Mode::InPlace, 100.0);
        (r.noticed_ms, r.old_gone_ms) = (None, None);
        note_reactions(
            &mut r,
            at(90),
            &HashMap::from([(7, (at(20), at(90)))]),
            true,
        );
        assert_eq!(r.noticed_ms, Some(20.0));
    }

    fn save(mode: Mode, serving: f64) -> SaveResult {
        SaveResult {
            mode,
            ok: true,
            noticed_ms: Some(10.0),
            built_ms: None,
            old_gone_ms: Some(serving - 5.0),
            serving_ms: Some(serving),
            new_pid: Some(42),
        }
    }

    #[test]
    fn renders_medians_per_mode_and_marks_an_unseen_quick_build() {
        let v = Verdict {
            schema_version: 1,
            reloader: "ours".into(),
            project: "/p".into(),
            port: 8080,
            ports: vec![8080],
            configured_port: None,
            file: Some("main.go".into()),
            startup_ms: Some(1500.0),
            saves: vec![
                save(Mode::InPlace, 100.0),
                save(Mode::TempThenRename, 90.0),
                save(Mode::InPlace, 300.0),
                save(Mode::TempThenRename, 70.0),
                save(Mode::InPlace, 200.0),
            ],
            ok: true,
            failure: None,
            left_behind: vec![],
            explanation: vec![],
        };
        let out = render(&v, crate::style::Style { color: false }, None);
        let serving = out.lines().find(|l| l.contains("new pid serving")).unwrap();
        assert!(
            serving.contains("✔ 200 ms") && serving.contains("✔ 80 ms"),
            "{out}"
        );
        let built = out.lines().find(|l| l.contains("build finished")).unwrap();
        assert!(built.contains('·'), "{out}");
        assert!(out.contains("a save costs 200 ms, from the write"), "{out}");
        assert!(out.contains("included (in place, median)"), "{out}");
        assert!(out.contains("app serving 1.5 s after start"), "{out}");
    }

    /// The project's names and the reloader's log quoted in a failure are shown, never acted on;
    /// the log keeps one line per line.
    #[test]
    fn renders_names_and_the_log_tail_with_controls_escaped() {
        let v = Verdict {
            schema_version: 1,
            reloader: "air".into(),
            project: "/p/\x1b]0;TITLE\x07".into(),
            port: 8080,
            ports: vec![],
            configured_port: None,
            file: Some("srv\x1b[2J.go".into()),
            startup_ms: None,
            saves: vec![],
            ok: false,
            failure: Some(Failure {
                stage: "start",
                reason: "air exited (exit status: 1) before the app served:\nbuilding\x1b]52;c;eA==\x07\nfailed\r".into(),
            }),
            left_behind: vec![],
            explanation: vec![],
        };
        let out = render(&v, crate::style::Style { color: false }, None);
        assert!(!out.contains(['\x1b', '\x07', '\r']), "{out:?}");
        assert!(out.contains(r"/p/\e]0;TITLE\a"), "{out}");
        assert!(out.contains(r"saving srv\e[2J.go with a comment"), "{out}");
        assert!(
            out.contains("served:\nbuilding\\e]52;c;eA==\\a\nfailed\\r\n"),
            "{out}"
        );
    }

    /// A failing check in the explanation shows its failing finding, as the report's row
    /// does, not the summary of what it checked ("every key known to air v1.67 checked").
    #[test]
    fn a_failing_explanation_shows_its_finding_not_its_pass_line() {
        let finding =
            checks::Finding::fail(".air.toml:3: bin runs ./tmp/main, build.cmd writes ./app");
        let v = Verdict {
            schema_version: 1,
            reloader: "air".into(),
            project: "/p".into(),
            port: 8080,
            ports: vec![],
            configured_port: None,
            file: Some("main.go".into()),
            startup_ms: None,
            saves: vec![],
            ok: false,
            failure: Some(Failure {
                stage: "start",
                reason: "the app never served".into(),
            }),
            left_behind: vec![],
            explanation: vec![CheckResult {
                id: "reloader-config",
                title: "",
                status: Status::Fail,
                summary: ".air.toml: every key known to air v1.67 checked".into(),
                duration_ms: 1.0,
                findings: vec![finding],
                evidence: serde_json::Value::Null,
            }],
        };
        let out = render(&v, crate::style::Style { color: false }, None);
        let row = out
            .lines()
            .find(|l| l.contains("reloader-config"))
            .unwrap_or_else(|| panic!("{out}"));
        assert!(
            row.contains("✘ reloader-config  .air.toml:3: bin runs ./tmp/main"),
            "{out}"
        );
        assert!(!out.contains("every key known"), "{out}");
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), Some(2.0));
        assert_eq!(median([4.0, 1.0].into_iter()), Some(2.5));
        assert_eq!(median(std::iter::empty()), None);
    }
}
