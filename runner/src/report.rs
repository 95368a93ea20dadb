//! What the runner has to say, as typed events: the loop decides, whoever drives it (the
//! `run` command) renders them for people or tools. Nothing here prints.

use crate::debounce::Stream;
use checks::engine::CheckResult;
use checks::golang::build_trace::Phases;
use reload_doctor_checks as checks;
use std::time::Duration;

/// Timings of one reload.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// From the first change to the build starting (the debounce).
    pub wait: Duration,
    pub build: Duration,
    /// From the build's end to the restart: a fast build held until `delay` had passed since
    /// the first change (air's window; zero under `--air-timing` or for a slow build).
    pub held: Duration,
    pub stop: Duration,
    /// From spawning the app to its port accepting a connection.
    pub start: Duration,
    /// From the first change to serving.
    pub total: Duration,
}

/// Every event of a run, in the order the loop meets them. File names, config values and
/// command lines in the arguments are as read: the renderer makes them safe to show.
pub trait Report {
    /// An informational line (watch mode, config notes).
    fn note(&self, message: &str);
    /// Something the user should fix, with the fix when there is one.
    fn warn(&self, message: &str, fix: Option<&str>);
    /// A pre-flight check that warns or fails; `id_width` aligns the rows of one preflight.
    fn check(&self, c: &CheckResult, id_width: usize);
    /// Watching `dirs` folders by `mode`, set up in `took`.
    fn watching(&self, dirs: usize, mode: &str, took: Duration);
    /// A build starts (`first`: the start-up build).
    fn build_started(&self, cause: &str, first: bool);
    /// The build's process ended, whatever its outcome (before anything is said about it).
    fn build_ended(&self);
    /// A change during the build cancelled it.
    fn build_cancelled(&self, cause: &str);
    /// The build rewrites `files` with new content every time: they no longer rebuild
    /// while a build runs.
    fn build_loop(&self, files: &[String], fix: &str);
    /// Changes have come for 10 s with no pause of `delay`: the build still waits for one.
    fn changes_keep_coming(&self, s: &Stream, delay: Duration);
    /// A failed build: `errors` for tools; `shown` on screen (what the build's stream did
    /// not show); where the log went and what happened to the app.
    fn build_failed(
        &self,
        cause: &str,
        took: Duration,
        errors: &[String],
        shown: &[String],
        log: &str,
        app: &str,
    );
    /// The new app listens on `ports` (or, with none, has started), `configured` being the
    /// port it was expected on; with the build's phases when Go traced them.
    fn serving(
        &self,
        cause: &str,
        first: bool,
        ports: (&[u16], Option<u16>),
        t: Timings,
        phases: Option<&Phases>,
    );
    /// The serving app opened more listeners: `added` are new, `ports` all of them now.
    fn more_ports(&self, added: &[u16], ports: &[u16]);
    /// The app exited on its own.
    fn app_exited(&self, status: &str, restarting: bool);
    /// Stopped on `signal`.
    fn stopped(&self, signal: &str);
    /// The runner stopped on its own, not on a signal.
    fn gave_up(&self, reason: &str);
}
