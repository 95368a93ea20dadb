//! The command line, parsed with clap.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "reload-doctor",
    version,
    about = "Finds why Go hot reload (air, gin, fresh) stopped working, fixes it safely, and proves the fix.",
    after_help = "Exit status: 0 when no check failed, 1 when a check failed (or warned, with --strict), 2 for a usage error or when the doctor could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub global: Global,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub fix: FixArgs,
}

/// Options every subcommand understands.
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The Go project to look at (default: the current folder; walks up to the nearest go.mod).
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Machine-readable output (see the JSON contract in README.md).
    #[arg(long, global = true)]
    pub json: bool,
    /// When to colour the output. NO_COLOR in the environment always turns colour off.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Show every finding, with its evidence.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ReportArgs {
    /// The app's port (default: [proxy] app_port of .air.toml, gin's --appPort in a gin
    /// project, a literal port in the main package, else 8080).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=65535))]
    pub port: Option<u16>,
    /// Run only these checks (comma-separated ids; see `reload-doctor checks`).
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub only: Vec<String>,
    /// Skip these checks (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,..")]
    pub skip: Vec<String>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Do not build the project (skips the `compile` check).
    #[arg(long)]
    pub no_compile: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List every check with its one-line purpose.
    Checks {
        /// Print CHECKS.md (the committed file is generated with this).
        #[arg(long)]
        markdown: bool,
    },
    /// Explain one check: what it looks at, why it breaks hot reload, how to fix it by hand.
    Explain {
        /// A check id, e.g. inotify-watches.
        id: String,
    },
    /// Drive a real save through the reload loop and time each stage.
    Verify {
        /// The reloader to drive: air, gin, fresh, ours (`reload-doctor run`) or a shell
        /// command. Default: the one the project is set up for, else ours.
        #[arg(long, value_name = "air|gin|fresh|ours|CMD")]
        with: Option<String>,
        /// The app's port (default: detected as for the report).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=65535))]
        port: Option<u16>,
        /// Rounds of saves (each round saves in place, then by temp + rename); the table
        /// shows medians.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
        rounds: u16,
    },
    /// Run the app with hot reload: reads .air.toml like air, prints one line per reload.
    Run(Box<crate::run::RunArgs>),
}

#[derive(Args, Debug, Clone, Default)]
pub struct FixArgs {
    /// Apply the safe fixes (and those that need root, when run as root), then check again.
    /// Fixes marked "by hand" are printed, never run.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: also apply unsafe fixes (they may stop something that is not this project's).
    #[arg(long = "unsafe", requires = "fix")]
    pub allow_unsafe: bool,
    /// With --fix: print the plan and change nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
    /// After the report (and the fixes), run `verify` to prove a save reloads the app.
    #[arg(long, conflicts_with = "dry_run")]
    pub verify: bool,
    /// Read and fix the system under DIR (DIR/proc, DIR/etc) instead of /: for tests.
    #[arg(long, hide = true, value_name = "DIR")]
    pub system_root: Option<PathBuf>,
}
