//! `reload-doctor` (the health report) and `reload-doctor --fix`: select the checks, run them,
//! print the report or hand over to the fix command.

use super::catalog;
use super::project;
use super::verify::verify_cmd;
use crate::cli::Cli;
use crate::progress;
use crate::render;
use crate::report::{self, Report};
use crate::style::Style;
use checks::{Check, Context, Options, System, REGISTRY};
use std::path::Path;

/// The health report, or `--fix`.
pub fn doctor(cli: &Cli, style: Style) -> Result<u8, String> {
    let selected = select(&cli.report.only, &cli.report.skip)?;
    let root = cli.fix.system_root.as_deref().unwrap_or(Path::new("/"));
    // What a doctor killed with SIGKILL left: probes' scratch folders, a verify's journal
    // (put the user's file back first), a --fix's half-written temp file.
    let project = project(cli, cli.report.port)?;
    let project_root = project.root.clone();
    checks::probe::scratch::remove_leftovers(
        &project_root,
        &project_root.join(&project.air.tmp_dir),
    );
    for line in crate::verify::recover(&project_root) {
        eprintln!("reload-doctor: {line}");
    }
    for dir in [project_root.clone(), project_root.join(".config")] {
        crate::fix::remove_stale_temps(&dir);
    }
    crate::interrupt::install()?;
    let checkup = || crate::interrupt::checking(|| checkup(cli, root, &selected));
    let code = if cli.fix.fix {
        super::fix::run(cli, style, root, checkup)?
    } else {
        print_report(cli, style, checkup()?)?
    };
    if cli.fix.verify && !crate::interrupt::interrupted() {
        // With --json, verify's verdict follows as a second JSON document.
        let proven = verify_cmd(cli, style, None, cli.report.port, 1)?;
        return Ok(code.max(proven));
    }
    Ok(if crate::interrupt::interrupted() {
        130
    } else {
        code
    })
}

/// Print the report; its exit code.
fn print_report(cli: &Cli, style: Style, report: Report) -> Result<u8, String> {
    if cli.global.format == crate::cli::Format::Github {
        print!("{}", crate::annotations::github(&report));
    } else if cli.global.format == crate::cli::Format::Sarif {
        let sarif = crate::annotations::sarif(&report);
        println!(
            "{}",
            serde_json::to_string_pretty(&sarif).map_err(|e| e.to_string())?
        );
    } else if cli.global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
    } else {
        print!(
            "{}",
            render::report(
                &report,
                style,
                cli.global.verbose,
                false,
                crate::wrap::width()
            )
        );
    }
    Ok(report.exit_code(cli.report.strict) as u8)
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
    let results = checks::engine::run_checks(&ctx, selected, &progress.done);
    drop(progress);
    Ok(report::build(&ctx, results))
}

/// The checks `--only` and `--skip` leave, in registry order; an opt-in check
/// (`checks::registry::OPT_IN`) only when `--only` names it.
fn select(only: &[String], skip: &[String]) -> Result<Vec<&'static Check>, String> {
    for id in only.iter().chain(skip) {
        catalog::known(id)?;
    }
    Ok(REGISTRY
        .iter()
        .copied()
        .filter(|c| match only.is_empty() {
            true => !checks::registry::OPT_IN.contains(&c.id),
            false => only.iter().any(|o| o == c.id),
        })
        .filter(|c| !skip.iter().any(|s| s == c.id))
        .collect())
}
