//! The loop: one thread owns every decision; the watcher, the builds, the app and the
//! signals only report back on its channel (see [`Msg`]). What a change or a finished build
//! leads to is in `reload`.

use crate::app::{self, App};
use crate::build;
use crate::debounce::{Batch, Debounce};
use crate::msg::Msg;
use crate::proxy::{AppState, Gate, Proxy};
use crate::report::{Report, Timings};
use crate::schedule::{Decision, Schedule};
use crate::self_writes::SelfWrites;
use crate::watch::{Baseline, Change, Watch};
use checks::reloaders::air::runner::RunConfig;
use checks::system::sockets;
use nix::sys::signal::Signal;
use reload_doctor_checks as checks;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// A build in progress.
pub(crate) struct Building {
    pub(crate) running: build::Running,
    pub(crate) batch: Batch,
    pub(crate) started: Instant,
    /// See [`SelfWrites::chain_for`].
    pub(crate) chain: u32,
    /// The start-up build: never cancelled.
    pub(crate) first: bool,
}

/// The app started and its port not yet accepting.
pub(crate) struct Starting {
    pub(crate) gen: u64,
    pub(crate) phases: build::PendingPhases,
    pub(crate) batch: Batch,
    pub(crate) timings: Timings,
    pub(crate) spawned: Instant,
    pub(crate) first: bool,
}

pub(crate) struct Runner {
    pub(crate) cfg: RunConfig,
    pub(crate) out: Box<dyn Report>,
    /// See [`crate::Options::may_clear_screen`].
    pub(crate) may_clear_screen: bool,
    pub(crate) tx: Sender<Msg>,
    pub(crate) watch: Watch,
    /// The configured port (`--port`, the project's): the app's tree is watched for its
    /// listeners only when there is one.
    pub(crate) port: Option<u16>,
    /// The ports the running app listens on, as last seen.
    pub(crate) serving_ports: Vec<u16>,
    /// Whether the app's ports were found to differ from the configured one (said once).
    pub(crate) port_said: bool,
    pub(crate) build_spec: Arc<build::Spec>,
    pub(crate) app_spec: app::Spec,
    pub(crate) debounce: Debounce,
    /// When builds start and apps restart: a finished build waiting for its `delay` window.
    pub(crate) schedule: Schedule<(build::Done, Batch, Instant)>,
    /// Generation of the latest build (and of the app it started).
    pub(crate) gen: u64,
    /// The generation whose port is being probed; older probes stop.
    pub(crate) current: Arc<AtomicU64>,
    pub(crate) building: Option<Building>,
    /// Files that changed while the build runs (root-relative), judged when it ends.
    pub(crate) during: Vec<PathBuf>,
    /// When to look whether a Go source changed during the build has new content (the
    /// debounce's delay after its last event, so a write in progress is not judged).
    pub(crate) cancel_check: Option<(Instant, Vec<PathBuf>)>,
    pub(crate) self_writes: SelfWrites,
    pub(crate) app: Option<App>,
    pub(crate) starting: Option<Starting>,
    /// The sources as the last build started (taken on another thread).
    pub(crate) sources: Baseline,
    /// The project folder was moved or removed.
    pub(crate) root_gone: bool,
    /// The stopped app's executable, released once its successor serves (see
    /// [`App::hold_exe`]).
    pub(crate) old_exe: Option<std::fs::File>,
    pub(crate) rerun_at: Option<Instant>,
    /// When the last build ended (see [`Runner::changed_after_build`]).
    pub(crate) last_end: Option<SystemTime>,
    /// `--proxy`: kept alive for the loop's lifetime; told every app transition.
    pub(crate) proxy: Option<(Proxy, Arc<Gate>)>,
}

impl Runner {
    /// Point the proxy (if any) at the port the app serves on, of those it listens on.
    pub(crate) fn proxy_to(&self, ports: &[u16]) {
        if let (Some((proxy, _)), Some(p)) = (&self.proxy, sockets::serves_on(self.port, ports)) {
            proxy.forward_to(p);
        }
    }

    /// Tell the proxy (if any) where the app is in its cycle.
    pub(crate) fn gate(&self, state: AppState) {
        if let Some((_, gate)) = &self.proxy {
            gate.set(state);
        }
    }

    pub(crate) fn run(mut self, rx: Receiver<Msg>) -> u8 {
        let t0 = Instant::now();
        self.start_build(Batch {
            first: PathBuf::new(),
            events: 0,
            paths: vec![],
            since: t0,
            full: true,
        });
        loop {
            // A message already queued comes before anything is judged due: changes that came
            // while the loop was busy (stopping the app) push the debounce back first.
            let msg = match rx.try_recv() {
                Ok(m) => Ok(m),
                Err(TryRecvError::Disconnected) => Err(RecvTimeoutError::Disconnected),
                Err(TryRecvError::Empty) => {
                    self.tick(Instant::now());
                    let due = self.build_due();
                    let check = self.cancel_check.as_ref().map(|(t, _)| *t);
                    let held = self.schedule.wake(self.debounce.since());
                    let wake = [due, check, self.rerun_at, held]
                        .into_iter()
                        .flatten()
                        .min();
                    match wake {
                        Some(w) => rx.recv_timeout(w.saturating_duration_since(Instant::now())),
                        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                    }
                }
            };
            match msg {
                Ok(Msg::Signal(sig)) => return self.shutdown(sig),
                Ok(m) => self.on_msg(m),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return self.shutdown(Signal::SIGTERM),
            }
            if self.root_gone {
                return self.leave_gone_root();
            }
        }
    }

    /// When the pending batch may start building (none while a build runs).
    fn build_due(&self) -> Option<Instant> {
        let since = self.debounce.since()?;
        let due = self.debounce.due()?;
        self.building
            .is_none()
            .then(|| self.schedule.build_at(since, due))
    }

    /// What is due at `now`: a debounced build, a held build whose window ended, a rerun, a
    /// look at whether a change cancels the running build.
    fn tick(&mut self, now: Instant) {
        let batch = match self.build_due() {
            Some(t) if t <= now => self.debounce.take_due(now),
            _ => None,
        };
        if let Some(batch) = batch {
            // Remembers the content the build starts from, for changes made during it.
            let same = self.watch.unchanged(&batch.paths);
            if !batch.full && same {
                let cause = batch.cause();
                self.out
                    .note(&format!("{cause}: contents unchanged (exclude_unchanged)"));
            } else {
                self.start_build(batch);
            }
        }
        if let Some((done, batch, started)) = self.schedule.due(now, self.debounce.since()) {
            self.on_built(done, batch, started);
        }
        if self.rerun_at.is_some_and(|t| t <= now) {
            self.rerun_at = None;
            let batch = Batch {
                first: "rerun".into(),
                events: 1,
                paths: vec![],
                since: now,
                full: false,
            };
            self.launch(batch, Timings::default(), None, false);
        }
        if self.cancel_check.as_ref().is_some_and(|(t, _)| *t <= now) {
            let (_, paths) = self.cancel_check.take().unwrap();
            if paths.iter().any(|p| self.watch.differs(p)) {
                self.cancel_build();
            }
        }
    }

    fn on_msg(&mut self, msg: Msg) {
        let now = Instant::now();
        match msg {
            Msg::Fs(ev) => match self.watch.handle(ev, &*self.out) {
                Change::None => {}
                Change::Files(files) if self.building.is_some() => {
                    for f in files {
                        self.changed_during_build(f);
                    }
                }
                Change::Files(files) => {
                    for f in files {
                        self.changed_after_build(f, now);
                    }
                    if let Some(s) = self.debounce.nonstop(now) {
                        self.out.changes_keep_coming(&s, self.cfg.build.delay);
                    }
                }
                Change::Rescan(why) => self.on_events_lost(why, now),
                Change::RootGone => self.root_gone = true,
            },
            Msg::Built(done) => {
                if let Some(b) = self.building.take_if(|b| b.running.gen == done.gen) {
                    self.judge_during(b.chain, &b.batch.paths, done.ended);
                    let since = (!b.first).then_some(b.batch.since);
                    let ok = done.ok;
                    let waiting = self.debounce.since();
                    let build = (done, b.batch, b.started);
                    match self.schedule.built(since, now, waiting, ok, build) {
                        Decision::Now((done, batch, started)) => {
                            self.on_built(done, batch, started)
                        }
                        Decision::Hold => {}
                        // Its cause and first change carry over to the build that replaces it.
                        Decision::Replace((_, batch, _)) => self.debounce.requeue(batch),
                    }
                }
            }
            Msg::AppExited { gen, status } => {
                if self.app.as_ref().is_some_and(|a| a.gen == gen) {
                    let app = self.app.take().unwrap();
                    app.stop_leftovers(self.cfg.build.stop_signal, self.cfg.build.kill_delay);
                    self.sweep();
                    self.starting = None;
                    self.old_exe = None;
                    let rerun = self.cfg.build.rerun;
                    if rerun {
                        self.rerun_at = Some(now + self.cfg.build.rerun_delay);
                    }
                    self.gate(AppState::Failed {
                        stage: "app exited".into(),
                        detail: status.clone(),
                    });
                    self.out.app_exited(&status, rerun);
                }
            }
            Msg::Serving { gen, at, ports } => {
                if let Some(s) = self.starting.take_if(|s| s.gen == gen) {
                    self.proxy_to(&ports);
                    self.gate(AppState::Serving);
                    self.say_other_ports(&ports);
                    let mut t = s.timings;
                    t.start = at - s.spawned;
                    t.total = at - s.batch.since;
                    let phases = s.phases.and_then(|p| p.join().ok().flatten());
                    let ports_now = (ports.as_slice(), self.port);
                    self.out
                        .serving(&s.batch.cause(), s.first, ports_now, t, phases.as_ref());
                    self.serving_ports = ports;
                    self.old_exe = None;
                }
            }
            Msg::NotServing { gen } => {
                if let Some(s) = self.starting.take_if(|s| s.gen == gen) {
                    self.old_exe = None;
                    if !self.port_said {
                        self.port_said = true;
                        let expected = self
                            .port
                            .map_or(String::new(), |p| format!(" (:{p} was expected)"));
                        self.out.warn(
                            &format!(
                                "the app runs, but listens on no TCP port after 5 s{expected}"
                            ),
                            Some("if it serves, see its output for the address it chose"),
                        );
                    }
                    let t = Timings {
                        total: Instant::now() - s.batch.since,
                        ..s.timings
                    };
                    let phases = s.phases.and_then(|p| p.join().ok().flatten());
                    self.out.serving(
                        &s.batch.cause(),
                        s.first,
                        (&[], self.port),
                        t,
                        phases.as_ref(),
                    );
                    self.serving_ports.clear();
                }
            }
            Msg::MorePorts { gen, ports } => {
                if self.app.as_ref().is_some_and(|a| a.gen == gen) {
                    let added: Vec<u16> = ports
                        .iter()
                        .copied()
                        .filter(|p| !self.serving_ports.contains(p))
                        .collect();
                    self.out.more_ports(&added, &ports);
                    self.proxy_to(&ports);
                    self.serving_ports = ports;
                }
            }
            Msg::Rebuild(how) => {
                // After the debounce's delay; a build running now finishes first.
                self.debounce.push_full(how, now);
            }
            Msg::Signal(_) => unreachable!("handled by the loop"),
        }
    }

    /// Events were lost (the kernel's queue overflowed, or watching switched to polling):
    /// rebuild once (after any running build) if any source differs from the snapshot taken
    /// when the last build started. `go build` reading every source can overflow the queue by itself; that must
    /// not start another build.
    fn on_events_lost(&mut self, why: &str, now: Instant) {
        if self.sources.still_holds() {
            self.out.note(&format!(
                "file events were lost ({why}); no source changed since the last build"
            ));
            return;
        }
        // New folders' events may have been lost too. The walk opens folders, which can
        // overflow the queue again: from here on, compare with the tree as it is now.
        self.watch.rescan(&*self.out);
        self.sources.take(&self.watch);
        // Contents changed unseen: read them all again, so later changes are judged
        // against what is there now. A running build finishes (the first must serve), and
        // the full rebuild follows it.
        self.watch.seed_hashes();
        self.debounce.push_full("(events lost: full rebuild)", now);
    }
}
