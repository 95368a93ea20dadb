//! The command line, parsed with clap.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "reload-doctor",
    version,
    about = "Finds why Go hot reload (air, gin, fresh) stopped working, fixes it safely, and proves the fix.",
    after_help = "Exit status: 0 no problem; 1 a check failed (or warned, with --strict) or the reload failed; 2 usage error or could not run; 130 interrupted (Ctrl-C)."
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
    /// Show every finding, with its evidence.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ReportArgs {
    /// The app's port (default: found the way the app finds it, see README "Port": [proxy]
    /// app_port, gin's --appPort, $PORT, .env, the app's config file, a default or literal in
    /// the source; else unknown, and the checks look at 8080).
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
    Run(Box<RunArgs>),
    /// Print a shell completion script (e.g. `reload-doctor completions bash > /etc/bash_completion.d/reload-doctor`).
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `reload-doctor man > /usr/local/share/man/man1/reload-doctor.1`.
    Man,
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

// `reload-doctor run`'s arguments; every air key is also a flag (the key set itself lives in
// checks' `keys::KEYS`, and a test checks that these flags cover it).
macro_rules! air_flags {
    (values { $($vf:ident = $vk:literal $(| $va:literal)?,)* } bools { $($bf:ident = $bk:literal $(| $ba:literal)?,)* }) => {
        /// air's settings as flags, named by their dotted `.air.toml` path as air names them.
        #[derive(Args, Debug, Clone, Default)]
        #[command(next_help_heading = "air settings (override .air.toml; lists are comma-separated)")]
        pub struct AirFlags {
            $(
                #[arg(long = $vk, value_name = "VALUE", help = concat!("air's ", $vk) $(, alias = $va)?)]
                pub $vf: Option<String>,
            )*
            $(
                #[arg(long = $bk, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true",
                      help = concat!("air's ", $bk) $(, alias = $ba)?)]
                pub $bf: Option<String>,
            )*
        }

        impl AirFlags {
            /// (dotted key, value) for every flag given.
            pub fn pairs(&self) -> Vec<(&'static str, String)> {
                let mut v = vec![];
                $( if let Some(x) = &self.$vf { v.push(($vk, x.clone())); } )*
                $( if let Some(x) = &self.$bf { v.push(($bk, x.clone())); } )*
                v
            }
        }
    };
}

air_flags! {
    values {
    root = "root",
    tmp_dir = "tmp_dir",
    testdata_dir = "testdata_dir",
    env_files = "env_files",
    cmd = "build.cmd" | "cmd",
    bin = "build.bin" | "bin",
    entrypoint = "build.entrypoint" | "entrypoint",
    full_bin = "build.full_bin" | "full_bin",
    args_bin = "build.args_bin" | "args_bin",
    pre_cmd = "build.pre_cmd" | "pre_cmd",
    post_cmd = "build.post_cmd" | "post_cmd",
    log = "build.log",
    include_ext = "build.include_ext" | "include_ext",
    include_dir = "build.include_dir" | "include_dir",
    include_file = "build.include_file" | "include_file",
    exclude_dir = "build.exclude_dir" | "exclude_dir",
    exclude_file = "build.exclude_file" | "exclude_file",
    exclude_regex = "build.exclude_regex" | "exclude_regex",
    poll_interval = "build.poll_interval" | "poll_interval",
    delay = "build.delay" | "delay",
    kill_delay = "build.kill_delay" | "kill_delay",
    rerun_delay = "build.rerun_delay" | "rerun_delay",
    proxy_port = "proxy.proxy_port",
    proxy_app_port = "proxy.app_port",
    proxy_app_start_timeout = "proxy.app_start_timeout",
    }
    bools {
    exclude_unchanged = "build.exclude_unchanged" | "exclude_unchanged",
    follow_symlink = "build.follow_symlink" | "follow_symlink",
    poll = "build.poll" | "poll",
    stop_on_error = "build.stop_on_error" | "stop_on_error",
    send_interrupt = "build.send_interrupt" | "send_interrupt",
    rerun = "build.rerun" | "rerun",
    log_time = "log.time",
    log_main_only = "log.main_only",
    log_silent = "log.silent",
    clear_on_rebuild = "screen.clear_on_rebuild",
    keep_scroll = "screen.keep_scroll",
    proxy_enabled = "proxy.enabled",
    }
}

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// The app's port: waited for before each start, then probed until it accepts
    /// (default: $PORT, else found as the report finds it; unknown: the app's first listener).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=65535))]
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
