//! `reload-doctor` (the health report) and `reload-doctor --fix`: select the checks, run them,
//! print the report or hand over to the fix command.

use super::catalog;
use super::project;
use super::verify::verify_cmd;
use crate::cli::Cli;
use crate::live::Live;
use crate::render;
use crate::report::{self, ProjectInfo, Report};
use crate::style::Style;
use checks::engine::CheckResult;
use checks::{Check, Context, Options, ProblemFilter, System, REGISTRY};
use reload_doctor_checks as checks;
use std::io::Write;
use std::path::Path;

/// The health report, or `--fix`.
pub fn doctor(cli: &Cli, style: Style) -> Result<u8, String> {
    // `--container NAME` is the container section alone, unless --only names more.
    let only = match (&cli.report.container, cli.report.only.is_empty()) {
        (Some(_), true) => vec![checks::registry::container::CHECK.id.to_string()],
        _ => cli.report.only.clone(),
    };
    let (selected, problems) = select(&only, &cli.report.skip)?;
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
        crate::wrap::eprint(&format!("reload-doctor: {}", checks::text::visible(&line)));
    }
    for dir in [project_root.clone(), project_root.join(".config")] {
        crate::fix::remove_stale_temps(&dir);
    }
    crate::interrupt::install()?;
    // The human report prints its rows as the checks finish; --fix prints its own.
    let human = cli.global.format == crate::cli::Format::Human && !cli.global.json;
    let checkup = |stream: bool| {
        crate::interrupt::checking(|| checkup(cli, style, root, &selected, &problems, stream))
    };
    let code = if cli.fix.fix {
        super::fix::run(cli, style, root, || checkup(false))?
    } else {
        print_report(cli, style, checkup(human)?)?
    };
    if cli.fix.verify && !crate::interrupt::interrupted() {
        // With --json, verify's verdict follows as a second JSON document.
        let proven = verify_cmd(cli, style, None, cli.report.port, 1)?;
        return Ok(code.max(proven));
    }
    Ok(crate::interrupt::exit_code().unwrap_or(code))
}

/// Print the report (the human one: its closing line, the rest is printed); its exit code.
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
            render::bottom(
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
/// config) and the system under `root`. With `stream`, the human report's header and rows
/// are printed as the checks finish.
fn checkup(
    cli: &Cli,
    style: Style,
    root: &Path,
    selected: &[&'static Check],
    problems: &ProblemFilter,
    stream: bool,
) -> Result<Report, String> {
    let project = project(cli, cli.report.port)?;
    let options = Options {
        no_compile: cli.report.no_compile,
        container: cli.report.container.clone(),
        container_build: cli.report.container_build,
        problems: problems.clone(),
    };
    let ctx = Context::new(project, System::with_root(root), options);
    let width = crate::wrap::width();
    let row = stream.then(|| {
        print!("{}", render::top(&ProjectInfo::of(&ctx), style, width));
        let _ = std::io::stdout().flush();
        let rows = render::Rows {
            style,
            verbose: cli.global.verbose,
            id_width: render::id_width(selected.iter().map(|c| c.id)),
            width,
        };
        Box::new(move |c: &CheckResult| rows.row(c)) as crate::live::RowFn
    });
    let spinner = !cli.global.json && cli.global.format == crate::cli::Format::Human;
    let live = Live::start(selected, spinner, row);
    let results = checks::engine::run_checks(&ctx, selected, &live);
    live.finish(&results);
    Ok(report::build(
        &ctx,
        results,
        &crate::fix::Executor::new(root),
    ))
}

/// The checks `--only` and `--skip` leave, in registry order (an opt-in check
/// (`checks::registry::OPT_IN`) only when `--only` names it), and the findings they keep:
/// `CHECK:PROBLEM` in `--only` runs CHECK for that problem's findings alone (unless CHECK is
/// also named whole), in `--skip` leaves that problem's findings out.
fn select(
    only: &[String],
    skip: &[String],
) -> Result<(Vec<&'static Check>, ProblemFilter), String> {
    let mut problems = ProblemFilter::default();
    let (mut named, mut skipped) = (vec![], vec![]);
    for entry in only {
        match catalog::selector(entry)? {
            (c, None) => named.push(c.id),
            (c, Some(p)) => problems.only.push((c.id, p)),
        }
    }
    problems.only.retain(|(c, _)| !named.contains(c));
    named.extend(problems.only.iter().map(|(c, _)| *c));
    for entry in skip {
        match catalog::selector(entry)? {
            (c, None) => skipped.push(c.id),
            (c, Some(p)) => problems.skip.push((c.id, p)),
        }
    }
    let checks = REGISTRY
        .iter()
        .copied()
        .filter(|c| match only.is_empty() {
            true => !checks::registry::OPT_IN.contains(&c.id),
            false => named.contains(&c.id),
        })
        .filter(|c| !skipped.contains(&c.id))
        .collect();
    Ok((checks, problems))
}
