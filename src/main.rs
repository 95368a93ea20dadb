//! reload-doctor: finds why Go hot reload stopped working.

mod annotations;
mod cli;
mod commands;
mod fix;
mod interrupt;
mod live;
mod progress;
mod render;
mod report;
mod style;
mod verify;
mod wrap;

use checks::text::visible;
use clap::Parser;
use cli::{Cli, Command};
use commands::{catalog, doctor, verify::verify_cmd};
use reload_doctor_checks as checks;
use std::ffi::OsString;
use std::process::ExitCode;
use style::Style;

fn main() -> ExitCode {
    if let Some(code) = checks::system::guardian::enter() {
        return ExitCode::from(code);
    }
    // Copied into a container by the container check, to watch for the host's probe file.
    if let Some(code) = checks::container::inside::enter_watcher() {
        return ExitCode::from(code);
    }
    // Arguments as the kernel gave them: a folder name need not be UTF-8.
    let args: Vec<OsString> = std::env::args_os().collect();
    let mut cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if wants_json(&args) && e.use_stderr() => {
            // A usage error under --json is JSON too (on stdout, like every --json error).
            let human = e.render().to_string();
            let first = human.lines().next().unwrap_or_default();
            let message = first.strip_prefix("error: ").unwrap_or(first);
            print_json_error("usage", message, &human);
            return ExitCode::from(2);
        }
        // --help, --version, and usage errors for a person.
        Err(e) => e.exit(),
    };
    cli.global.json |= cli.global.format == cli::Format::Json;
    if reads_only(&cli) {
        // `reload-doctor explain ID | head`: end quietly when the reader goes away, like any
        // Unix filter, instead of panicking in println!. Not for --fix, run and verify: they
        // change files or hold processes, and stop through their own clean-up paths.
        // SAFETY: set before any thread starts; SIG_DFL is a valid disposition for SIGPIPE.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let machine = matches!(cli.global.format, cli::Format::Github | cli::Format::Sarif);
    if machine && (cli.command.is_some() || cli.fix.fix) {
        wrap::eprint("reload-doctor: error: --format github and sarif are for the report (reload-doctor without a subcommand or --fix)");
        return ExitCode::from(2);
    }
    let style = Style::detect(cli.global.color);
    let code = match &cli.command {
        Some(Command::Checks { markdown }) => catalog::list(*markdown, cli.global.json),
        Some(Command::Explain { id }) => catalog::explain(id, cli.global.json),
        Some(Command::Verify { with, port, rounds }) => {
            verify_cmd(&cli, style, with.as_deref(), *port, *rounds as usize)
        }
        Some(Command::Run(args)) => commands::run::run(args, &cli.global, style),
        Some(Command::Completions { shell }) => commands::completions::print(*shell),
        Some(Command::Man { dir }) => commands::man::print(dir.as_deref()),
        None => doctor::doctor(&cli, style),
    };
    match code {
        Ok(code) => ExitCode::from(code),
        // An error may quote what the repository or the command line holds (`explain ID`).
        Err(message) if cli.global.json => {
            print_json_error(
                "run",
                &message,
                &format!("reload-doctor: error: {}\n", visible(&message)),
            );
            ExitCode::from(2)
        }
        Err(message) => {
            wrap::eprint(&format!("reload-doctor: error: {}", visible(&message)));
            ExitCode::from(2)
        }
    }
}

/// Whether this invocation only reads and prints: the report without --fix, the catalogue,
/// completions and the man page.
fn reads_only(cli: &Cli) -> bool {
    match &cli.command {
        None => !cli.fix.fix,
        Some(Command::Run(_)) | Some(Command::Verify { .. }) => false,
        Some(_) => true,
    }
}

/// Whether the command line asks for JSON, read before (or without) clap's parse.
fn wants_json(args: &[OsString]) -> bool {
    let mut words = args.iter().skip(1).take_while(|a| *a != "--");
    let mut last = std::ffi::OsStr::new("");
    words.any(|a| {
        let json = a == "--json" || a == "--format=json" || (last == "--format" && a == "json");
        last = a;
        json
    })
}

/// An error for a program reading --json: a JSON object on stdout (schema/error.schema.json);
/// the person watching still reads `human` on stderr.
fn print_json_error(kind: &str, message: &str, human: &str) {
    let error = serde_json::json!({
        "schema_version": report::SCHEMA_VERSION,
        "error": message,
        "kind": kind,
    });
    println!("{error}");
    wrap::eprint(human);
}
