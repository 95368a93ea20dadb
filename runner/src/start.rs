//! Starting a run: the options and `.air.toml` turned into a running loop (signals, the
//! guardian, the checks before the first build, the proxy, the watcher), and the helpers that
//! only the start uses.

use crate::debounce::Debounce;
use crate::msg::Msg;
use crate::options::{Options, PortPlan};
use crate::proxy::{Gate, Proxy};
use crate::report::Report;
use crate::runner::Runner;
use crate::schedule::Schedule;
use crate::self_writes::SelfWrites;
use crate::watch::{Baseline, Watch};
use crate::{app, build, env_files, fast};
use checks::registry;
use checks::reloaders::air::runner::RunConfig;
use checks::{Context, Options as CheckOptions, Project, Status, System};
use nix::sys::signal::{SigSet, Signal};
use reload_doctor_checks as checks;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::time::Duration;

// Block the signals the loop handles, before any thread exists, so that only the signal
/// thread receives them. Children get a clean mask again (supervise::own_group).
pub fn block_signals() -> Result<SigSet, String> {
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

/// Run the loop until a signal (or the project folder's removal) ends it, with `cfg` read
/// from `.air.toml` and `signals` blocked (before any thread started). Returns the exit code.
pub fn run(
    opts: Options,
    mut cfg: RunConfig,
    signals: SigSet,
    out: Box<dyn Report>,
) -> Result<u8, String> {
    if opts.fast {
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
    let project = Project::detect(&opts.dir, opts.port.or(env_port)).ok();
    let gin = project.as_ref().and_then(|p| p.gin.clone());
    let ports = PortPlan::new(
        opts.port,
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
        Some(project) if !opts.no_checks => {
            if !same_config(&project) {
                for w in &cfg.unknown {
                    out.warn(w, None);
                }
            }
            preflight(project, &*out);
        }
        _ => {
            for w in &cfg.unknown {
                out.warn(w, None);
            }
        }
    }
    let proxy = match (opts.proxy, cfg.proxy.listen()) {
        (Some(listen), _) => Some(start_proxy(
            listen,
            port,
            opts.hold,
            opts.live_reload,
            "--proxy",
            &*out,
        )?),
        // air's [proxy]: air injects its reload script into every HTML page.
        (None, Some(listen)) => {
            let hold = match cfg.proxy.app_start_timeout {
                t if t.is_zero() => opts.hold,
                t => t,
            };
            let started = start_proxy(listen, port, hold, true, "[proxy] proxy_port", &*out)?;
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
    let env = env_files::load(&cfg, &*out);
    let watch = Watch::start(&cfg, tx.clone(), &*out)?;
    let mut app_env = env.clone();
    app_env.extend(gin_port.map(|p| ("PORT".to_string(), p.to_string())));
    let mut app_spec = app::Spec::from_config(&cfg, &opts.app_args, app_env);
    app_spec.stdout_to_stderr = opts.app_stdout_to_stderr;
    app_spec.prefix = opts.app_prefix.clone();
    let schedule = Schedule::new(cfg.build.delay, opts.air_timing);
    let runner = Runner {
        build_spec: Arc::new(build_spec(&cfg, env, &opts)),
        app_spec,
        debounce: Debounce::new(schedule.quiet()).stream_pause(cfg.build.delay),
        schedule,
        may_clear_screen: opts.may_clear_screen,
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
    out: &dyn Report,
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
fn preflight(project: Project, out: &dyn Report) {
    let ctx = Context::new(
        project,
        System::live(),
        CheckOptions {
            no_compile: true,
            ..CheckOptions::default()
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

/// What each build runs.
fn build_spec(cfg: &RunConfig, env: Vec<(String, String)>, opts: &Options) -> build::Spec {
    build::Spec {
        line: opts.build_line,
        phases: opts.phases,
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

#[cfg(test)]
mod tests {
    use super::*;

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
