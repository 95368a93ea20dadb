//! `reload-doctor run`: an embedded reloader that reads `.air.toml` and explains every reload.
//!
//! One thread (this one) owns the loop and all decisions; helpers only report back through
//! one channel: the watcher's events, a finished build, an app that exited, a port that
//! started accepting, a signal. Everything the loop starts runs in its own process group and
//! is reaped, and the runner is a child subreaper, so nothing outlives it.

mod app;
mod build;
mod debounce;
mod events;
mod fast;
mod poll;
mod self_writes;
mod snapshot;
mod watch;

use crate::cli::{Global, RunArgs};
use crate::proxy::{AppState, Gate, Proxy};
use crate::style::Style;
use app::App;
use checks::registry;
use checks::reloaders::air::runner::RunConfig;
use checks::system::sockets;
use checks::system::supervise;
use checks::{Context, Options, Project, Status, System};
use debounce::{Batch, Debounce};
use events::{Reporter, Timings};
use nix::sys::signal::{SigSet, Signal};
use self_writes::SelfWrites;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use watch::{Baseline, Change, Watch};

/// Before each line the app prints, on a terminal (`--no-prefix` leaves it out).
const APP_PREFIX: &str = "app│";

/// Block the signals the loop handles, before any thread exists, so that only the signal
/// thread receives them. Children get a clean mask again (supervise::own_group).
fn block_signals() -> Result<SigSet, String> {
    let mut signals = SigSet::empty();
    for s in [
        Signal::SIGINT,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGUSR1,
    ] {
        signals.add(s);
    }
    signals
        .thread_block()
        .map_err(|e| format!("cannot block signals: {e}"))?;
    Ok(signals)
}

/// What each build runs.
fn build_spec(cfg: &RunConfig, env: Vec<(String, String)>) -> build::Spec {
    build::Spec {
        dir: cfg.dir.clone(),
        pre_cmd: cfg.build.pre_cmd.clone(),
        cmd: cfg.build.cmd.clone(),
        env,
    }
}

/// What `--fast` did to the build command, in one line.
fn fast_note(f: &fast::Fast) -> String {
    let mut note = format!("--fast: building with `{}`", f.cmd);
    if !f.added.is_empty() {
        note.push_str(&format!(
            " (added {}: no debugger can attach to the app)",
            f.added.join(" ")
        ));
    }
    if !f.kept.is_empty() {
        note.push_str(&format!(
            "; your own flags kept instead of {}",
            f.kept.join(" ")
        ));
    }
    note
}

/// The port the runner waits for, and the PORT a gin project's app is given.
#[derive(Debug, PartialEq)]
struct PortPlan {
    port: Option<u16>,
    /// gin hands its app the port in PORT; the runner does the same, unless PORT is set.
    gin_port: Option<u16>,
}

impl PortPlan {
    /// `--port` wins, then `$PORT`, then the project's own port resolution.
    fn new(flag: Option<u16>, env: Option<u16>, project: Option<u16>, gin: bool) -> PortPlan {
        let port = flag.or(env).or(project);
        PortPlan {
            port,
            gin_port: port.filter(|_| gin && env.is_none()),
        }
    }
}

/// What the helpers tell the loop.
pub enum Msg {
    Fs(notify::Result<notify::Event>),
    Built(build::Done),
    AppExited {
        gen: u64,
        status: String,
    },
    /// The app listens on `ports` (since `at`).
    Serving {
        gen: u64,
        at: Instant,
        ports: Vec<u16>,
    },
    /// The app listens on no TCP port 5 s after it started.
    NotServing {
        gen: u64,
    },
    /// The serving app opened more listeners: all its ports now.
    MorePorts {
        gen: u64,
        ports: Vec<u16>,
    },
    Signal(Signal),
    /// A rebuild asked for by hand (`r` + Enter, SIGUSR1), named by how.
    Rebuild(&'static str),
}

/// `reload-doctor run`.
pub fn run(args: &RunArgs, global: &Global, style: Style) -> Result<u8, String> {
    if args.differences {
        for d in checks::reloaders::air::runner::DIFFERENCES {
            println!("- {d}");
        }
        return Ok(0);
    }
    let signals = block_signals()?;
    // The same project the report and verify look at (a monorepo root's module below it);
    // several modules there: nothing is started or written, the error names them.
    let (dir, below) = crate::commands::project_dir(global, "run ", "running")?;
    let mut cfg = RunConfig::load(&dir, args.config.as_deref(), args.air.pairs())?;
    let out = Reporter {
        json: global.json,
        style,
        log: cfg.log.clone(),
        ticker: Default::default(),
    };
    if let Some(note) = &below {
        out.note(note);
    }
    if let Some(f) = &cfg.file {
        out.note(&format!("config: {}", f.display()));
    } else {
        out.note("no .air.toml: using air's settings with the runner's defaults");
    }
    for w in &cfg.warnings {
        out.warn(w, None);
    }
    for n in &cfg.notes {
        out.note(n);
    }
    // What a verify killed here left: the file it saved, what its build made in tmp_dir.
    for line in crate::verify::recover(&dir) {
        out.note(&line);
    }
    if args.fast {
        match fast::fast(&cfg.build.cmd) {
            Ok(f) => {
                out.note(&fast_note(&f));
                cfg.build.cmd = f.cmd;
            }
            Err(why) => out.warn(&why, None),
        }
    }
    if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
        out.warn(
            &format!("cannot become a child subreaper ({e}): an app's orphans may outlive it"),
            None,
        );
    }
    // Before the first child: whatever the runner starts is stopped when it is killed.
    let _guardian = match checks::system::guardian::Watch::start() {
        Ok(w) => Some(w),
        Err(e) => {
            out.warn(
                &format!("{e}: if the runner is killed with SIGKILL, what the app started in the background may outlive it"),
                None,
            );
            None
        }
    };

    let (tx, rx) = mpsc::channel();
    let signal_tx = tx.clone();
    std::thread::spawn(move || loop {
        let msg = match signals.wait() {
            Ok(Signal::SIGUSR1) => Msg::Rebuild("SIGUSR1"),
            Ok(sig) => Msg::Signal(sig),
            Err(_) => continue,
        };
        if signal_tx.send(msg).is_err() {
            return;
        }
    });
    if std::io::stdin().is_terminal() {
        read_keys(tx.clone());
    }

    // An app that reads $PORT listens there, whatever literal its source also has.
    let env_port = std::env::var("PORT").ok().and_then(|p| p.parse().ok());
    let project = Project::detect(&dir, args.port.or(env_port)).ok();
    let gin = project.as_ref().and_then(|p| p.gin.clone());
    let ports = PortPlan::new(
        args.port,
        env_port,
        project.as_ref().and_then(|p| p.known_port()),
        gin.is_some(),
    );
    let (port, gin_port) = (ports.port, ports.gin_port);
    if let (Some(g), Some(p)) = (&gin, gin_port) {
        out.note(&format!(
            "gin project: the app gets PORT={p}, as gin gives it; for gin's proxy on :{0}, add --proxy {0}",
            g.proxy
        ));
    }
    // The reloader-config check names unknown keys with its advice; without it, the runner.
    let same_config = |p: &Project| {
        let canonical = |f: &PathBuf| std::fs::canonicalize(f).ok();
        cfg.file.as_ref().and_then(canonical) == p.config_path.as_ref().and_then(canonical)
    };
    match project {
        Some(project) if !args.no_checks => {
            if !same_config(&project) {
                for w in &cfg.unknown {
                    out.warn(w, None);
                }
            }
            preflight(project, &out);
        }
        _ => {
            for w in &cfg.unknown {
                out.warn(w, None);
            }
        }
    }
    let proxy = match (args.proxy, cfg.proxy.listen()) {
        (Some(listen), _) => {
            let hold = Duration::from_secs(args.hold);
            Some(start_proxy(
                listen,
                port,
                hold,
                args.live_reload,
                "--proxy",
                &out,
            )?)
        }
        // air's [proxy]: air injects its reload script into every HTML page.
        (None, Some(listen)) => {
            let hold = match cfg.proxy.app_start_timeout {
                t if t.is_zero() => Duration::from_secs(args.hold),
                t => t,
            };
            let started = start_proxy(listen, port, hold, true, "[proxy] proxy_port", &out)?;
            if listen == 0 {
                out.warn(
                    &format!(
                        "[proxy] proxy_port is 0 or unset: the proxy serves on :{}, a port the kernel chose for this run (air does the same, and prints :0)",
                        started.0.port()
                    ),
                    Some("set [proxy] proxy_port to a free port, e.g. 8090, to keep one address"),
                );
            }
            Some(started)
        }
        (None, None) => None,
    };
    let env = load_env_files(&cfg, &out);
    let watch = Watch::start(&cfg, tx.clone(), &out)?;
    let mut app_env = env.clone();
    app_env.extend(gin_port.map(|p| ("PORT".to_string(), p.to_string())));
    let mut app_spec = app::Spec::from_config(&cfg, &args.app_args, app_env);
    app_spec.stdout_to_stderr = global.json;
    if !global.json && !args.no_prefix && std::io::stdout().is_terminal() {
        app_spec.prefix = Some(format!("{} ", style.dim(APP_PREFIX)));
    }
    let runner = Runner {
        build_spec: Arc::new(build_spec(&cfg, env)),
        app_spec,
        debounce: Debounce::new(cfg.build.delay),
        cfg,
        out,
        tx,
        watch,
        port,
        serving_ports: vec![],
        port_said: false,
        gen: 0,
        current: Arc::new(AtomicU64::new(0)),
        building: None,
        during: vec![],
        cancel_check: None,
        self_writes: SelfWrites::default(),
        app: None,
        starting: None,
        old_exe: None,
        root_gone: false,
        sources: Baseline::default(),
        rerun_at: None,
        last_end: None,
        proxy,
    };
    Ok(runner.run(rx))
}

/// `r` + Enter on the terminal asks for a rebuild. Run in the background (`&`, Ctrl-Z then
/// `bg`), reading the terminal would stop the whole runner with SIGTTIN; blocked in this
/// thread, the read fails instead, and is tried again later.
fn read_keys(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        let _ = SigSet::from(Signal::SIGTTIN).thread_block();
        let mut line = String::new();
        loop {
            line.clear();
            match std::io::stdin().read_line(&mut line) {
                Ok(0) => return,
                Ok(_) if line.trim() == "r" => {
                    if tx.send(Msg::Rebuild("r + Enter")).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => std::thread::sleep(Duration::from_secs(1)),
            }
        }
    });
}

/// The proxy in front of the app, and the gate the loop reports each transition on. `from`
/// names where `listen` came from, for the errors.
fn start_proxy(
    listen: u16,
    app_port: Option<u16>,
    hold: Duration,
    live_reload: bool,
    from: &str,
    out: &Reporter,
) -> Result<(Proxy, Arc<Gate>), String> {
    if app_port == Some(listen) {
        return Err(format!(
            "{from} {listen} is the app's own port: pick another port for the proxy"
        ));
    }
    let gate = Gate::new();
    let hold = hold.min(checks::reloaders::air::runner::LONGEST_WAIT);
    // An unknown port is learnt from the app's sockets before the gate opens (proxy_to).
    let proxy = Proxy::start(
        listen,
        app_port.unwrap_or(0),
        gate.clone(),
        hold,
        live_reload,
    )
    .map_err(|e| format!("{from} {listen}: cannot listen: {e}"))?;
    let to = app_port.map_or("the port the app listens on".into(), |p| format!(":{p}"));
    out.note(&format!(
        "proxy: http://localhost:{} -> {to} (requests wait up to {} while the app restarts)",
        proxy.port(),
        checks::text::span(hold)
    ));
    Ok((proxy, gate))
}

/// Run the checks that would break the loop and print what warns or fails, with the fixes,
/// as the report prints them.
fn preflight(project: Project, out: &Reporter) {
    let ctx = Context::new(
        project,
        System::live(),
        Options {
            no_compile: true,
            ..Options::default()
        },
    );
    let shown: Vec<_> = checks::engine::run_checks(&ctx, registry::PREFLIGHT, &())
        .into_iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Warn | Status::Error))
        .collect();
    let id_width = shown.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &shown {
        out.check(r, id_width);
    }
}

/// `env_files`, read like godotenv (air's reader): `KEY=value` lines, `export`, quotes, an
/// inline comment after whitespace (`PORT=20095 # app port`), `${VAR}` expansion; dotenvy
/// reads that grammar. A variable already in the environment wins, as with air.
/// (dotenvy also expands `${VAR}` from the environment, where godotenv looks only at the
/// file; a `#` after a space inside an unquoted value starts the comment at the first one,
/// where godotenv takes the last.)
fn load_env_files(c: &RunConfig, out: &Reporter) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = vec![];
    for f in &c.env_files {
        let path = c.dir.join(f);
        // Never through a FIFO or device named like an env file (it would block), nor a
        // file over the size cap.
        let bytes = match checks::system::files::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                out.warn(
                    &format!("env_files: cannot read {}: {e}", path.display()),
                    None,
                );
                continue;
            }
        };
        for pair in dotenvy::from_read_iter(bytes.as_slice()) {
            match pair {
                // A later line or file wins, as in air (which sets each in turn).
                Ok((k, v)) if std::env::var_os(&k).is_none() => {
                    env.retain(|(e, _)| *e != k);
                    env.push((k, v));
                }
                Ok(_) => {}
                Err(e) => {
                    out.warn(
                        &format!(
                            "env_files: {}: {e}; the rest of the file is not read",
                            path.display()
                        ),
                        Some("quote the value, or fix the line"),
                    );
                    break;
                }
            }
        }
    }
    env
}

/// A build in progress.
struct Building {
    running: build::Running,
    batch: Batch,
    started: Instant,
    /// See [`SelfWrites::chain_for`].
    chain: u32,
    /// The start-up build: never cancelled.
    first: bool,
}

/// The app started and its port not yet accepting.
struct Starting {
    gen: u64,
    phases: build::PendingPhases,
    batch: Batch,
    timings: Timings,
    spawned: Instant,
    first: bool,
}

struct Runner {
    cfg: RunConfig,
    out: Reporter,
    tx: Sender<Msg>,
    watch: Watch,
    /// The configured port (`--port`, the project's): the app's tree is watched for its
    /// listeners only when there is one.
    port: Option<u16>,
    /// The ports the running app listens on, as last seen.
    serving_ports: Vec<u16>,
    /// Whether the app's ports were found to differ from the configured one (said once).
    port_said: bool,
    build_spec: Arc<build::Spec>,
    app_spec: app::Spec,
    debounce: Debounce,
    /// Generation of the latest build (and of the app it started).
    gen: u64,
    /// The generation whose port is being probed; older probes stop.
    current: Arc<AtomicU64>,
    building: Option<Building>,
    /// Files that changed while the build runs (root-relative), judged when it ends.
    during: Vec<PathBuf>,
    /// When to look whether a Go source changed during the build has new content (the
    /// debounce's delay after its last event, so a write in progress is not judged).
    cancel_check: Option<(Instant, Vec<PathBuf>)>,
    self_writes: SelfWrites,
    app: Option<App>,
    starting: Option<Starting>,
    /// The sources as the last build started (taken on another thread).
    sources: Baseline,
    /// The project folder was moved or removed.
    root_gone: bool,
    /// The stopped app's executable, released once its successor serves (see
    /// [`App::hold_exe`]).
    old_exe: Option<std::fs::File>,
    rerun_at: Option<Instant>,
    /// When the last build ended (see [`Runner::changed_after_build`]).
    last_end: Option<SystemTime>,
    /// `--proxy`: kept alive for the loop's lifetime; told every app transition.
    proxy: Option<(Proxy, Arc<Gate>)>,
}

impl Runner {
    /// Point the proxy (if any) at the port the app serves on, of those it listens on.
    fn proxy_to(&self, ports: &[u16]) {
        if let (Some((proxy, _)), Some(p)) = (&self.proxy, sockets::serves_on(self.port, ports)) {
            proxy.forward_to(p);
        }
    }

    /// Tell the proxy (if any) where the app is in its cycle.
    fn gate(&self, state: AppState) {
        if let Some((_, gate)) = &self.proxy {
            gate.set(state);
        }
    }

    fn run(mut self, rx: Receiver<Msg>) -> u8 {
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
                    let due = self.debounce.due().filter(|_| self.building.is_none());
                    let check = self.cancel_check.as_ref().map(|(t, _)| *t);
                    let wake = [due, check, self.rerun_at].into_iter().flatten().min();
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

    /// What is due at `now`: a debounced build, a rerun, a look at whether a change cancels
    /// the running build.
    fn tick(&mut self, now: Instant) {
        let batch = match self.building {
            None => self.debounce.take_due(now),
            Some(_) => None,
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
            Msg::Fs(ev) => match self.watch.handle(ev, &self.out) {
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
                    self.on_built(done, b.batch, b.started);
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
        self.watch.rescan(&self.out);
        self.sources.take(&self.watch);
        // Contents changed unseen: read them all again, so later changes are judged
        // against what is there now. A running build finishes (the first must serve), and
        // the full rebuild follows it.
        self.watch.seed_hashes();
        self.debounce.push_full("(events lost: full rebuild)", now);
    }

    /// A change while a build runs: recorded, to be judged by content when the build ends.
    /// It cancels the build only when it gives a source the build reads (see
    /// [`SelfWrites::may_cancel`]) new content, looked at once the file has settled.
    fn changed_during_build(&mut self, path: PathBuf) {
        if self.self_writes.ignored(&path) {
            return;
        }
        let Some(b) = &self.building else { return };
        if self.self_writes.may_cancel(&path, b.first) {
            let at = Instant::now() + self.cfg.build.delay;
            let paths = match self.cancel_check.take() {
                Some((_, mut paths)) => {
                    paths.retain(|p| *p != path);
                    paths.push(path.clone());
                    paths
                }
                None => vec![path.clone()],
            };
            self.cancel_check = Some((at, paths));
        }
        if !self.during.contains(&path) {
            self.during.push(path);
        }
    }

    /// The build of self-triggered count `chain` for `paths` has ended at `ended`: the files
    /// that changed while it ran and whose content now differs from before it ask for one
    /// more build, unless they are a loop.
    fn judge_during(&mut self, chain: u32, paths: &[PathBuf], ended: SystemTime) {
        self.cancel_check = None;
        self.last_end = Some(ended);
        let during = std::mem::take(&mut self.during);
        // Compared, not remembered: the build that follows remembers them as it starts (an
        // exclude_unchanged check there would otherwise find them unchanged).
        let changed: Vec<PathBuf> = during
            .into_iter()
            .filter(|p| self.watch.differs(p))
            .collect();
        let verdict = self.self_writes.after_build(chain, paths, changed);
        self.follow(verdict);
    }

    /// A change with no build running. An event that comes after the last build ended for
    /// a write made before it ended (the file's ctime says so) is the build's own (polling
    /// finds it up to an interval late; inotify's reader can lag the build's exit under
    /// load): judged like a change during that build, so a build's identical rewrite of a
    /// file starts no build. A save after the build, even of the same bytes, has a later
    /// ctime and reloads (a same-bytes save within one clock tick of the build's end is
    /// taken for the build's).
    fn changed_after_build(&mut self, path: PathBuf, now: Instant) {
        let own = self
            .last_end
            .is_some_and(|end| self.watch.written_by(&path, end));
        if !own {
            return self.debounce.push(path, now);
        }
        if self.self_writes.ignored(&path) || !self.watch.differs(&path) {
            return;
        }
        let verdict = self.self_writes.late(path);
        self.follow(verdict);
    }

    /// Act on what a build's own changes come to: name a loop once, queue the rest.
    fn follow(&mut self, verdict: self_writes::Verdict) {
        if !verdict.looping.is_empty() {
            for p in &verdict.looping {
                // Remembered, so a later edit is judged against the loop's last output.
                self.watch.judge(p);
            }
            let files: Vec<String> = verdict
                .looping
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let ex = checks::reloaders::air::edit::Exclusion::for_written(&files);
            let b = &self.cfg.build;
            let current = ex.current(&b.exclude_regex, &b.exclude_file);
            let config = self.cfg.file.as_ref().and_then(|f| f.file_name());
            let config = config.map_or(".air.toml".into(), |f| f.to_string_lossy());
            self.out.build_loop(
                &files,
                &format!("{} in {config}: [build] {}", ex.advice, ex.line(current)),
            );
        }
        let now = Instant::now();
        for p in verdict.rebuild {
            self.debounce.push(p, now);
        }
    }

    /// A change during a build: kill it; its cause carries over to the next build.
    fn cancel_build(&mut self) {
        if let Some(b) = self.building.take() {
            b.running.cancel();
            self.out.build_cancelled(&b.batch.cause());
            let paths = b.batch.paths.clone();
            // First, so a file both in the batch and changed again is counted once.
            self.debounce.requeue(b.batch);
            self.judge_during(b.chain, &paths, SystemTime::now());
        }
    }

    fn start_build(&mut self, batch: Batch) {
        self.gen += 1;
        if self.cfg.screen.clear_on_rebuild && !self.out.json && std::io::stdout().is_terminal() {
            // keep_scroll clears the screen only; otherwise reset the terminal (air's choice).
            print!(
                "{}",
                if self.cfg.screen.keep_scroll {
                    "\x1b[2J\x1b[H"
                } else {
                    "\x1bc"
                }
            );
        }
        self.out.build_started(&batch.cause(), self.gen == 1);
        let running = build::start(&self.build_spec, self.gen, self.tx.clone());
        self.building = Some(Building {
            running,
            chain: self.self_writes.chain_for(&batch.paths, batch.full),
            first: self.gen == 1,
            batch,
            started: Instant::now(),
        });
        self.sources.take(&self.watch);
    }

    fn on_built(&mut self, done: build::Done, batch: Batch, started: Instant) {
        self.out.build_ended();
        // The project was removed while it built: write nothing (no build log re-creating
        // the folder), start nothing.
        if std::fs::symlink_metadata(&self.cfg.dir).is_err() {
            self.root_gone = true;
            return;
        }
        let timings = Timings {
            wait: started - batch.since,
            build: done.took,
            ..Default::default()
        };
        if done.ok {
            self.gate(AppState::Restarting);
            let t_stop = Instant::now();
            if let Some(app) = self.app.take() {
                self.old_exe = app.hold_exe();
                self.stop_app(&app);
            }
            let timings = Timings {
                stop: t_stop.elapsed(),
                ..timings
            };
            let first = batch.full && batch.first.as_os_str().is_empty();
            self.launch(batch, timings, done.phases, first);
            return;
        }
        let log = self.cfg.tmp_path().join(&self.cfg.build.log);
        let mut text = done.output.join("\n");
        if let Some(f) = &done.failure {
            text.push_str(&format!("\n{f}\n"));
        }
        let _ = std::fs::create_dir_all(self.cfg.tmp_path());
        let logged = match std::fs::write(&log, text) {
            Ok(()) => log.display().to_string(),
            Err(e) => format!("not written ({}: {e})", log.display()),
        };
        let app = match self.app.take() {
            Some(app) if self.cfg.build.stop_on_error => {
                self.stop_app(&app);
                "app stopped (stop_on_error)".to_string()
            }
            Some(app) => {
                let state = match self.serving_ports.as_slice() {
                    [] => "old app still running".to_string(),
                    ports => format!("old app still serving {}", sockets::list(ports)),
                };
                self.app = Some(app);
                state
            }
            None => "no app running".into(),
        };
        let mut errors = build::errors(&done.output, &self.cfg.dir);
        // On screen, only what was not streamed already: the compiler errors, held back.
        let mut shown: Vec<String> = done
            .held
            .iter()
            .map(|l| build::located(l, &self.cfg.dir))
            .collect();
        if let Some(f) = done.failure {
            errors.push(f.clone());
            shown.push(f);
        }
        self.gate(AppState::Failed {
            stage: "build failed".into(),
            detail: errors.join("\n"),
        });
        self.out
            .build_failed(&batch.cause(), done.took, &errors, &shown, &logged, &app);
    }

    fn stop_app(&self, app: &App) {
        let b = &self.cfg.build;
        // With kill_delay 0 (what `air init` writes) the kill is what was asked for.
        if app.stop(b.stop_signal, b.kill_delay) && !b.kill_delay.is_zero() {
            self.out.note(&format!(
                "the app did not exit within kill_delay ({}): killed",
                checks::text::span(b.kill_delay)
            ));
        }
        self.sweep();
    }

    /// Stop what the app left outside its process group (a `setsid` child, orphaned to us).
    /// With no build running, every child of ours is such a leftover; during a build this
    /// waits for the next stop, so a build step being spawned is never mistaken for one.
    fn sweep(&self) {
        if self.building.is_none() {
            let keep: Vec<i32> = checks::system::guardian::Watch::group()
                .into_iter()
                .collect();
            app::sweep(&keep, self.cfg.build.kill_delay);
        }
    }

    /// Start the app (the port free first), and probe its port.
    fn launch(
        &mut self,
        batch: Batch,
        timings: Timings,
        phases: build::PendingPhases,
        first: bool,
    ) {
        // Give the old app's listener time to close (the probe looks only at the new app's
        // own sockets, so a holder that stays is never taken for it).
        if let Some(p) = self.port {
            self.wait_for_port(p);
        }
        self.serving_ports.clear();
        let spawned = Instant::now();
        match App::start(&self.app_spec, self.gen, self.tx.clone()) {
            Ok(app) => {
                self.current.store(self.gen, Ordering::SeqCst);
                // Once the app was seen elsewhere (and told so), or when its port is
                // unknown, its first listener is where it serves.
                let expect = self.port.filter(|_| !self.port_said);
                app.probe(expect, self.tx.clone(), self.current.clone());
                self.starting = Some(Starting {
                    gen: self.gen,
                    phases,
                    batch,
                    timings,
                    spawned,
                    first,
                });
                self.app = Some(app);
            }
            Err(e) => {
                self.gate(AppState::Failed {
                    stage: "app failed to start".into(),
                    detail: e.clone(),
                });
                self.out.warn(
                    &e,
                    Some("check build.bin, build.entrypoint or build.full_bin"),
                )
            }
        }
    }

    /// The app listens, but not on the configured port: say once which port to pass.
    fn say_other_ports(&mut self, ports: &[u16]) {
        let Some(configured) = self.port else { return };
        if self.port_said || ports.contains(&configured) {
            return;
        }
        self.port_said = true;
        let Some(first) = ports.first() else { return };
        let proxy = match &self.proxy {
            Some(_) => format!("; the proxy forwards to :{first}"),
            None => String::new(),
        };
        self.out.warn(
            &format!(
                "the app listens on {}, not on :{configured}, the port reload-doctor was given or found{proxy}",
                sockets::list(ports)
            ),
            Some(&format!("pass --port {first}")),
        );
    }

    /// Give a busy port up to 3 s to come free (a previous app closing its listener); then
    /// name the holder and start anyway, so the app's own error shows too.
    fn wait_for_port(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut warned = false;
        while !sockets::is_free(port) {
            if !warned && Instant::now() > deadline - Duration::from_millis(2500) {
                let holder = sockets::holder(port).unwrap_or_else(|| "another process".into());
                self.out.warn(
                    &format!(":{port} is held by {holder}; waiting up to 3 s before starting"),
                    Some("stop it (reload-doctor --fix stops a stale build of this project)"),
                );
                warned = true;
            }
            if Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Ctrl-C or SIGTERM: kill any build, stop the app gracefully, run post_cmd; exit as every
    /// subcommand does after a signal (130 after Ctrl-C).
    fn shutdown(mut self, sig: Signal) -> u8 {
        self.stop_everything();
        self.out.stopped(sig.as_str());
        crate::interrupt::after_signal(sig as i32).unwrap_or(1)
    }

    /// The project folder was moved or removed under the runner: say so, and stop.
    fn leave_gone_root(mut self) -> u8 {
        self.out.warn(
            &format!(
                "the project folder {} was moved or removed: nothing is left to watch",
                self.cfg.root_path().display()
            ),
            Some("start reload-doctor run again where the project is now"),
        );
        self.stop_everything();
        self.out.gave_up("project folder gone");
        1
    }

    fn stop_everything(&mut self) {
        if let Some(b) = self.building.take() {
            b.running.cancel();
        }
        if let Some(app) = self.app.take() {
            self.stop_app(&app);
        }
        for c in &self.cfg.build.post_cmd {
            let mut cmd = std::process::Command::new("/bin/sh");
            cmd.arg("-c").arg(c).current_dir(&self.cfg.dir);
            supervise::own_group(&mut cmd, true);
            match cmd.status() {
                Ok(s) if s.success() => {}
                Ok(s) => self.out.warn(&format!("post_cmd {c:?}: {s}"), None),
                Err(e) => self.out.warn(&format!("post_cmd {c:?}: {e}"), None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_plan_follows_flag_then_env_then_project_and_gives_gin_apps_port() {
        assert_eq!(
            PortPlan::new(Some(1), None, Some(3), true),
            PortPlan {
                port: Some(1),
                gin_port: Some(1)
            }
        );
        // $PORT set: the app already has it; gin's PORT is not forced.
        assert_eq!(
            PortPlan::new(None, Some(2), Some(3), true),
            PortPlan {
                port: Some(2),
                gin_port: None
            }
        );
        assert_eq!(
            PortPlan::new(None, None, Some(3), false),
            PortPlan {
                port: Some(3),
                gin_port: None
            }
        );
    }

    #[test]
    fn the_fast_note_names_what_was_added_and_kept() {
        let f = fast::Fast {
            cmd: "go build -ldflags=-X=a -buildvcs=false -o ./tmp/main .".into(),
            added: vec!["-buildvcs=false"],
            kept: vec!["-ldflags='-s -w'"],
        };
        let note = fast_note(&f);
        assert!(
            note.starts_with("--fast: building with `go build"),
            "{note}"
        );
        assert!(
            note.contains("(added -buildvcs=false: no debugger"),
            "{note}"
        );
        assert!(
            note.ends_with("your own flags kept instead of -ldflags='-s -w'"),
            "{note}"
        );
    }
}
