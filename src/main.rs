//! reload-doctor: finds why Go hot reload stopped working.

mod annotations;
mod cli;
mod commands;
mod fix;
mod interrupt;
mod live;
mod progress;
mod proxy;
mod render;
mod report;
mod run;
mod style;
mod verify;
mod wrap;

use clap::Parser;
use cli::{Cli, Command};
use commands::{catalog, doctor, verify::verify_cmd};
use std::process::ExitCode;
use style::Style;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(verify::guard::SUBCOMMAND) {
        return ExitCode::from(verify::guard::main(&args[2..]));
    }
    let mut cli = Cli::parse();
    cli.global.json |= cli.global.format == cli::Format::Json;
    let machine = matches!(cli.global.format, cli::Format::Github | cli::Format::Sarif);
    if machine && (cli.command.is_some() || cli.fix.fix) {
        eprintln!("reload-doctor: error: --format github and sarif are for the report (reload-doctor without a subcommand or --fix)");
        return ExitCode::from(2);
    }
    let style = Style::detect(cli.global.color);
    let code = match &cli.command {
        Some(Command::Checks { markdown }) => catalog::list(*markdown, cli.global.json),
        Some(Command::Explain { id }) => catalog::explain(id),
        Some(Command::Verify { with, port, rounds }) => {
            verify_cmd(&cli, style, with.as_deref(), *port, *rounds as usize)
        }
        Some(Command::Run(args)) => run::run(args, &cli.global, style),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "reload-doctor", &mut std::io::stdout());
            Ok(0)
        }
        Some(Command::Man) => {
            let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            man.render(&mut std::io::stdout())
                .map(|()| 0)
                .map_err(|e| e.to_string())
        }
        None => doctor::doctor(&cli, style),
    };
    match code {
        Ok(code) => ExitCode::from(code),
        Err(message) if cli.global.json => {
            // A program reading --json gets its errors as JSON too (on stdout, exit 2); the
            // person watching still reads it on stderr.
            let error = serde_json::json!({
                "schema_version": report::SCHEMA_VERSION,
                "error": message,
            });
            println!("{error}");
            eprintln!("reload-doctor: error: {message}");
            ExitCode::from(2)
        }
        Err(message) => {
            eprintln!("reload-doctor: error: {message}");
            ExitCode::from(2)
        }
    }
}
