//! `reload-doctor run`: the command line turned into the runner's options (the runner crate
//! never sees clap), the config's notes, and the runner's events rendered (`run_events`).

use super::run_events::Reporter;
use crate::cli::{Global, RunArgs};
use crate::style::Style;
use checks::reloaders::air::runner::{RunConfig, DIFFERENCES};
use reload_doctor_checks as checks;
use runner::Report;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

/// Before each line the app prints, on a terminal (`--no-prefix` leaves it out).
const APP_PREFIX: &str = "app│";

/// `reload-doctor run`.
pub fn run(args: &RunArgs, global: &Global, style: Style) -> Result<u8, String> {
    if args.differences {
        for d in DIFFERENCES {
            print!(
                "{}",
                crate::wrap::lines(&format!("- {d}"), crate::wrap::width())
            );
        }
        return Ok(0);
    }
    let signals = runner::block_signals()?;
    // The same project the report and verify look at (a monorepo root's module below it);
    // several modules there: nothing is started or written, the error names them.
    let (dir, below) = super::project_dir(global, "run ", "running")?;
    let cfg = RunConfig::load(&dir, args.config.as_deref(), args.air.pairs())?;
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
    let opts = options(args, global, style, dir);
    runner::run(opts, cfg, signals, Box::new(out))
}

/// The runner's options from the command line: the one place `RunArgs` is read for it.
fn options(args: &RunArgs, global: &Global, style: Style, dir: PathBuf) -> runner::Options {
    let terminal = std::io::stdout().is_terminal();
    runner::Options {
        dir,
        port: args.port,
        proxy: args.proxy,
        hold: Duration::from_secs(args.hold),
        live_reload: args.live_reload,
        fast: args.fast,
        air_timing: args.air_timing,
        no_checks: args.no_checks,
        app_args: args.app_args.clone(),
        app_stdout_to_stderr: global.json,
        app_prefix: (!global.json && !args.no_prefix && terminal)
            .then(|| format!("{} ", style.dim(APP_PREFIX))),
        may_clear_screen: !global.json && terminal,
        build_line: |line| crate::progress::suspend(|| eprintln!("{line}")),
        phases: global.verbose,
    }
}
