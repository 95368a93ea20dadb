//! reload-doctor: finds why Go hot reload stopped working.

mod catalog;
mod cli;
mod fix;
mod progress;
mod proxy;
mod render;
mod report;
mod run;
mod style;
mod verify;

use checks::{Check, Context, Options, Project, System, REGISTRY};
use clap::Parser;
use cli::{Cli, Command};
use report::Report;
use std::path::Path;
use std::process::ExitCode;
use style::Style;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(verify::guard::SUBCOMMAND) {
        return ExitCode::from(verify::guard::main(&args[2..]));
    }
    let cli = Cli::parse();
    let style = Style::detect(cli.global.color);
    let code = match &cli.command {
        Some(Command::Checks { markdown }) => catalog::list(*markdown, cli.global.json),
        Some(Command::Explain { id }) => catalog::explain(id),
        Some(Command::Verify { with, port, rounds }) => {
            verify_cmd(&cli, style, with.as_deref(), *port, *rounds as usize)
        }
        Some(Command::Run(args)) => run::run(args, &cli.global, style),
        None => doctor(&cli, style),
    };
    match code {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("reload-doctor: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The health report, or `--fix`.
fn doctor(cli: &Cli, style: Style) -> Result<u8, String> {
    let selected = select(&cli.report.only, &cli.report.skip)?;
    let root = cli.fix.system_root.as_deref().unwrap_or(Path::new("/"));
    // A verify killed mid-save left a journal: put the user's file back first.
    for line in verify::recover(&project(cli, cli.report.port)?.root) {
        eprintln!("reload-doctor: {line}");
    }
    let checkup = || checkup(cli, root, &selected);
    let code = if cli.fix.fix {
        fix::command::run(cli, style, root, checkup)?
    } else {
        print_report(cli, style, checkup()?)?
    };
    if cli.fix.verify {
        // With --json, verify's verdict follows as a second JSON document.
        let proven = verify_cmd(cli, style, None, cli.report.port, 1)?;
        return Ok(code.max(proven));
    }
    Ok(code)
}

/// Print the report; its exit code.
fn print_report(cli: &Cli, style: Style, report: Report) -> Result<u8, String> {
    if cli.global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
    } else {
        print!(
            "{}",
            render::report(&report, style, cli.global.verbose, false)
        );
    }
    Ok(report.exit_code(cli.report.strict) as u8)
}

/// The project `--project` or the current folder belongs to.
fn project(cli: &Cli, port: Option<u16>) -> Result<Project, String> {
    let start = match &cli.global.project {
        Some(p) => p.clone(),
        None => {
            std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?
        }
    };
    Project::detect(&start, port).map_err(|e| e.to_string())
}

/// Run the selected checks on the project (detected afresh each time: a fix may change its
/// config) and the system under `root`.
fn checkup(cli: &Cli, root: &Path, selected: &[&'static Check]) -> Result<Report, String> {
    let project = project(cli, cli.report.port)?;
    let options = Options {
        no_compile: cli.report.no_compile,
    };
    let ctx = Context::new(project, System::with_root(root), options);
    let progress = progress::Progress::start("checking", selected.len(), !cli.global.json);
    let results = report::run_checks(&ctx, selected, &progress.done);
    drop(progress);
    Ok(report::build(&ctx, results))
}

/// The checks `--only` and `--skip` leave, in registry order.
fn select(only: &[String], skip: &[String]) -> Result<Vec<&'static Check>, String> {
    for id in only.iter().chain(skip) {
        catalog::known(id)?;
    }
    Ok(REGISTRY
        .iter()
        .copied()
        .filter(|c| only.is_empty() || only.iter().any(|o| o == c.id))
        .filter(|c| !skip.iter().any(|s| s == c.id))
        .collect())
}

/// `reload-doctor verify`.
fn verify_cmd(
    cli: &Cli,
    style: Style,
    with: Option<&str>,
    port: Option<u16>,
    rounds: usize,
) -> Result<u8, String> {
    let ctx = Context::new(project(cli, port)?, System::live(), Options::default());
    // Ctrl-C and SIGTERM end every wait; the file is restored and the reloader stopped.
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, interrupted.clone()).map_err(|e| e.to_string())?;
    }
    let progress = progress::Progress::start("verifying", 1 + 2 * rounds, !cli.global.json);
    let verdict = verify::verify(&ctx, with, rounds, interrupted, &progress.done);
    drop(progress);
    if cli.global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&verdict).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", verify::render(&verdict, style));
    }
    Ok(if verdict.ok { 0 } else { 1 })
}
