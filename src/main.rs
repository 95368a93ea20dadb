//! reload-doctor: finds why Go hot reload stopped working.

mod cli;
mod commands;
mod fix;
mod interrupt;
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
    let cli = Cli::parse();
    let style = Style::detect(cli.global.color);
    let code = match &cli.command {
        Some(Command::Checks { markdown }) => catalog::list(*markdown, cli.global.json),
        Some(Command::Explain { id }) => catalog::explain(id),
        Some(Command::Verify { with, port, rounds }) => {
            verify_cmd(&cli, style, with.as_deref(), *port, *rounds as usize)
        }
        Some(Command::Run(args)) => run::run(args, &cli.global, style),
        None => doctor::doctor(&cli, style),
    };
    match code {
        Ok(code) => ExitCode::from(code),
        Err(message) if cli.global.json => {
            // A program reading --json gets its errors as JSON too (on stdout, exit 2).
            let error = serde_json::json!({
                "schema_version": report::SCHEMA_VERSION,
                "error": message,
            });
            println!("{error}");
            ExitCode::from(2)
        }
        Err(message) => {
            eprintln!("reload-doctor: error: {message}");
            ExitCode::from(2)
        }
    }
}
