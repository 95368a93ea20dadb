//! The command line, parsed with clap.

use checks::reloaders::air::keys::{Kind, KEYS};
use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use reload_doctor_checks as checks;
use std::path::PathBuf;

/// How every command exits; `--help` and `run --help` print it, README's table says the same.
pub const EXIT_STATUS: &str = "Exit status: 0 no problem; 1 a check failed (or warned, with --strict) or the reload failed; 2 usage error or could not run; 130 stopped by Ctrl-C (run included), and after any signal that stops it 128 + its number (143 after SIGTERM).";

/// How the app's port is found: the help of every `--port` and README's "Port" say this.
pub const PORT_HELP: &str = "The app's port. Default: found the way the app finds it, in this order: gin's --appPort; air's [proxy] app_port when the proxy is on; $PORT or another port variable the source reads (from the environment or a .env file); the app's config file; a default or a literal in the source. `run` takes $PORT before the others. When nothing names it, the report checks 8080, and `run` and `verify` take the port the app listens on.";

#[derive(Parser, Debug)]
#[command(
    name = "reload-doctor",
    version,
    about = "Finds why Go hot reload (air, gin, fresh) stopped working, fixes it safely, and proves the fix.",
    after_help = EXIT_STATUS
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
    /// Machine-readable output (see the JSON contract in README.md); short for --format json.
    #[arg(long, global = true)]
    pub json: bool,
    /// The report's form: human, json, github (workflow annotations on the problem's file
    /// and line) or sarif (2.1.0, for code scanning). github and sarif are for the report.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour the output. NO_COLOR in the environment always turns colour off.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Show every finding (notes too), each check's duration and the rest of its summary;
    /// the raw evidence is in --json. With run: each build's compile and link times.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ReportArgs {
    #[arg(long, help = PORT_HELP, value_parser = clap::value_parser!(u16).range(1..=65535))]
    pub port: Option<u16>,
    /// Run only these checks (comma-separated ids; see `reload-doctor checks`). CHECK:PROBLEM
    /// runs CHECK for that problem's findings alone (problem ids: `reload-doctor explain
    /// CHECK`), e.g. reloader-config:unknown-key.
    #[arg(long, value_delimiter = ',', value_name = "ID,..", value_parser = CheckId, hide_possible_values = true)]
    pub only: Vec<String>,
    /// Skip these checks (comma-separated ids). CHECK:PROBLEM leaves out only that problem's
    /// findings, e.g. reloader-config:outside-project.
    #[arg(long, value_delimiter = ',', value_name = "ID,..", value_parser = CheckId, hide_possible_values = true)]
    pub skip: Vec<String>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Do not build the project (skips the `compile` check).
    #[arg(long)]
    pub no_compile: bool,
    /// Look at this Docker container (name or id) from the host: its mounts, the reloader
    /// inside, whether host saves raise events in it, its ports (the `container` check alone,
    /// unless --only names more). Without it, the report looks at running containers that
    /// mount this project.
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,
    /// With the container check: also time one build of the project inside each container
    /// whose Go build cache is lost when it is recreated, with an empty cache and with its own
    /// (runs `go build -o /dev/null` there; the empty cache is a folder in its /tmp, removed
    /// after).
    #[arg(long)]
    pub container_build: bool,
}

/// A check id. Any word is taken (the command names an unknown id and the nearest one), but
/// the ids are listed as possible values: shell completion offers them.
#[derive(Clone)]
struct CheckId;

impl clap::builder::TypedValueParser for CheckId {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        check_ids()
    }
}

/// [`CheckId`] for `explain ID`, whose id may be any bytes (a non-UTF-8 one is an unknown id).
#[derive(Clone)]
struct AnyCheckId;

impl clap::builder::TypedValueParser for AnyCheckId {
    type Value = std::ffi::OsString;

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<std::ffi::OsString, clap::Error> {
        Ok(value.to_owned())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        check_ids()
    }
}

/// Every check id with its purpose, for shell completion.
fn check_ids() -> Option<Box<dyn Iterator<Item = PossibleValue>>> {
    Some(Box::new(
        checks::REGISTRY
            .iter()
            .map(|c| PossibleValue::new(c.id).help(c.purpose)),
    ))
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
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
    #[command(after_help = "Exit status: 0 the list was printed; 2 a usage error.")]
    Checks {
        /// Print CHECKS.md (the committed file is generated with this).
        #[arg(long)]
        markdown: bool,
    },
    /// Explain one check: what it looks at, why it breaks hot reload, how to fix it by hand.
    #[command(
        after_help = "Exit status: 0 the explanation was printed; 2 a usage error, or no check has that id."
    )]
    Explain {
        /// A check id, e.g. inotify-watches.
        // Any bytes: one that is not UTF-8 is an unknown id, said as such, not a usage error.
        #[arg(value_parser = AnyCheckId, hide_possible_values = true)]
        id: std::ffi::OsString,
    },
    /// Drive a real save through the reload loop and time each stage.
    #[command(
        after_help = "Exit status: 0 every save was served by the new build; 1 a save was not (the table says at which stage); 2 a usage error, or verify could not start (--with a reloader that is not installed); 130 interrupted by Ctrl-C or SIGTERM, once the saved file is restored."
    )]
    Verify {
        /// The reloader to drive: air, gin, fresh, ours (`reload-doctor run`) or a shell
        /// command. Default: the one the project is set up for, else ours.
        #[arg(long, value_name = "air|gin|fresh|ours|CMD")]
        with: Option<String>,
        #[arg(long, help = PORT_HELP, value_parser = clap::value_parser!(u16).range(1..=65535))]
        port: Option<u16>,
        /// Rounds of saves (each round saves in place, then by temp + rename); the table
        /// shows medians.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
        rounds: u16,
    },
    /// Run the app with hot reload: reads .air.toml like air, prints one line per reload.
    #[command(after_help = EXIT_STATUS)]
    Run(Box<RunArgs>),
    /// Print a shell completion script (e.g. `reload-doctor completions bash > /etc/bash_completion.d/reload-doctor`).
    #[command(after_help = "Exit status: 0 the script was printed; 2 a usage error.")]
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page reload-doctor(1) (roff); with --dir, write it and every
    /// subcommand's page (reload-doctor-run.1, ...) into DIR.
    #[command(
        after_help = "Exit status: 0 the pages were printed or written; 2 a usage error, or a page could not be written."
    )]
    Man {
        /// The folder to write every page into, e.g. ~/.local/share/man/man1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
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

/// air's settings as `reload-doctor run`'s flags: one per key of checks' key table the runner
/// uses, named by its dotted `.air.toml` path as air names it (`--build.cmd`, and `--cmd` for a
/// `[build]` key). Built from the table, so no key is listed here.
#[derive(Debug, Clone, Default)]
pub struct AirFlags {
    given: Vec<(&'static str, String)>,
}

impl AirFlags {
    /// (dotted key, value) for every flag given.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.given
    }

    /// The keys with a flag, and the flag's two names.
    fn keys() -> impl Iterator<Item = (&'static str, Option<&'static str>, Kind)> {
        KEYS.iter()
            .filter_map(|k| k.flags().map(|(long, short)| (long, short, k.kind)))
    }
}

impl Args for AirFlags {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let args = AirFlags::keys().map(|(long, short, kind)| {
            let arg = Arg::new(long)
                .long(long)
                .help(format!("air's {long}"))
                .action(ArgAction::Set);
            let arg = match short {
                Some(s) => arg.alias(s),
                None => arg,
            };
            if kind == Kind::Bool {
                arg.value_name("BOOL")
                    .num_args(0..=1)
                    .default_missing_value("true")
            } else {
                arg.value_name("VALUE")
            }
        });
        cmd.next_help_heading("air settings (override .air.toml; lists are comma-separated)")
            .args(args)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        AirFlags::augment_args(cmd)
    }
}

impl FromArgMatches for AirFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let given = AirFlags::keys()
            .filter_map(|(long, _, _)| m.get_one::<String>(long).map(|v| (long, v.clone())))
            .collect();
        Ok(AirFlags { given })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = AirFlags::from_arg_matches(m)?;
        Ok(())
    }
}

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    #[arg(long, help = PORT_HELP, value_parser = clap::value_parser!(u16).range(1..=65535))]
    pub port: Option<u16>,
    /// The config file (default: .air.toml, then .config/air.toml, in the project folder).
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not run the checks before the first build.
    #[arg(long)]
    pub no_checks: bool,
    /// Print how the runner reads .air.toml differently from air, and exit.
    #[arg(long)]
    pub differences: bool,
    /// Serve on PORT and forward to the app's port; while the app restarts, requests wait
    /// for the new process instead of failing.
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..=65535))]
    pub proxy: Option<u16>,
    /// With --proxy: seconds a request waits for the app before a 502 page says why.
    #[arg(long, value_name = "SECS", default_value_t = 30, requires = "proxy")]
    pub hold: u64,
    /// With --proxy: add a script to HTML pages that reloads them when a new app serves.
    #[arg(long, requires = "proxy")]
    pub live_reload: bool,
    /// Faster rebuilds of a plain `go build`: adds -ldflags='-s -w' (no debug data or symbol
    /// table: a debugger cannot attach to the app) and -buildvcs=false. Scripts are left alone.
    #[arg(long)]
    pub fast: bool,
    /// Time reloads as air does: wait `delay` after the first change, then build, then
    /// restart (delay + build). By default the build starts as soon as the change is quiet
    /// and the app restarts when both the build and `delay` are done (max(delay, build)),
    /// serving the same files air would.
    #[arg(long)]
    pub air_timing: bool,
    /// On a terminal, print the app's output as it is, without the dim `app│` before each
    /// line (the app then writes to the terminal itself).
    #[arg(long)]
    pub no_prefix: bool,
    #[command(flatten)]
    pub air: AirFlags,
    /// Arguments for the app (after `--`), appended to args_bin.
    #[arg(last = true, value_name = "ARGS")]
    pub app_args: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The air flags are built from checks' key table: each parses into its dotted key.
    #[test]
    fn air_flags_come_from_the_key_table() {
        let cli = Cli::try_parse_from([
            "reload-doctor",
            "run",
            "--cmd",
            "make",
            "--build.poll",
            "--proxy.app_port",
            "9000",
        ])
        .unwrap();
        let Some(Command::Run(args)) = cli.command else {
            panic!("not run: {:?}", cli.command)
        };
        assert_eq!(
            args.air.pairs(),
            [
                ("build.cmd", "make".to_string()),
                ("build.poll", "true".to_string()),
                ("proxy.app_port", "9000".to_string())
            ]
        );
        let cmd = <AirFlags as Args>::augment_args(clap::Command::new("t"));
        let flags = KEYS.iter().filter(|k| k.flags().is_some()).count();
        assert_eq!(cmd.get_arguments().count(), flags);
    }
}
