//! `reload-doctor man`: the manual pages, reload-doctor(1) and one for each subcommand
//! (reload-doctor-run(1), ...), each with clap's NAME, SYNOPSIS, DESCRIPTION and OPTIONS, then
//! ENVIRONMENT, EXIT STATUS (from the command's own `--help`, so the two never differ),
//! EXAMPLES and SEE ALSO. Checked with groff and man by tests/formats.rs.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;
use std::path::Path;

/// Print reload-doctor(1), or with `dir` write every page there.
pub fn print(dir: Option<&Path>) -> Result<u8, String> {
    let pages = pages()?;
    let Some(dir) = dir else {
        print!("{}", pages[0].1);
        return Ok(0);
    };
    if !dir.is_dir() {
        return Err(format!(
            "{} is not a folder: create it first (mkdir -p {})",
            dir.display(),
            dir.display()
        ));
    }
    for (name, text) in &pages {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(0)
}

/// Every page as (file name, roff), reload-doctor.1 first.
fn pages() -> Result<Vec<(String, String)>, String> {
    // No `help` subcommand: it has no page of its own to point to.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut commands = vec![cmd.clone()];
    commands.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    let names: Vec<String> = commands.iter().map(page_name).collect();
    commands
        .into_iter()
        .map(|c| {
            let name = format!("{}.1", page_name(&c));
            page(c, &names)
                .map(|text| (name, text))
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// `reload-doctor` or `reload-doctor-run`: clap's display name once the command is built.
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string()
}

fn page(cmd: clap::Command, all: &[String]) -> std::io::Result<String> {
    let name = page_name(&cmd);
    let sub = name.strip_prefix("reload-doctor-").unwrap_or("");
    // The footer names the package, on the subcommands' pages too (they have no version).
    let man = Man::new(cmd.clone()).source(format!("reload-doctor {}", env!("CARGO_PKG_VERSION")));
    let mut out = vec![];
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    environment(&mut roff);
    exit_status(&mut roff, &cmd);
    examples(&mut roff, sub);
    roff.control("SH", ["SEE ALSO"]);
    let others: Vec<&String> = all.iter().filter(|n| **n != name).collect();
    let mut see = vec![];
    for (i, other) in others.iter().enumerate() {
        see.push(bold(other.as_str()));
        see.push(roman(if i + 1 < others.len() { "(1), " } else { "(1)" }));
    }
    roff.text(see);
    roff.to_writer(&mut out)?;
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Every variable the doctor reads, with what it changes.
const ENVIRONMENT: &[(&str, &str)] = &[
    ("NO_COLOR", "Set and not empty: no colour, whatever --color says."),
    ("FORCE_COLOR, CLICOLOR_FORCE", "Set, not empty and not 0: colour even when the output is not a terminal (with --color auto). NO_COLOR wins."),
    ("TERM", "dumb: no colour and no spinner."),
    ("COLUMNS", "The width to fill when the terminal does not tell its own."),
    ("GITHUB_WORKSPACE", "With --format github or sarif, file paths are relative to it (a workflow's checkout, whatever folder or --project the step runs from); else to the current folder."),
    ("PORT", "The app's port when the app reads it, as the app would see it; run's default for --port. Other names the app's source reads that end in PORT (os.Getenv(\"SERVER_PORT\")) count the same way."),
    ("HOME", "Shortens paths to ~ and gives Go's default GOPATH ($HOME/go)."),
    ("GOPATH, GOBIN", "Where go install puts air, gin and fresh: the toolchain check looks there when they are not on PATH. GOPATH also locates the module cache."),
    ("GOMODCACHE", "Go's module cache, where the signals check reads the web framework's shutdown code."),
    ("GOWORK", "Whether a go.work file applies (off: none), as go reads it."),
    ("VISUAL, EDITOR", "Name the editor whose way of saving the editor-saves check replays."),
    ("KUBERNETES_SERVICE_HOST, container, WSL_DISTRO_NAME", "Tell that the doctor runs in a container or under WSL: the mount-events check and the fixes' advice (run it on the host) follow."),
];

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    for (names, what) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*names)]);
        roff.text([roman(*what)]);
    }
}

/// EXIT STATUS from the command's `--help` closing line (`Exit status: 0 ...; 1 ...`).
fn exit_status(roff: &mut Roff, cmd: &clap::Command) {
    roff.control("SH", ["EXIT STATUS"]);
    let text = cmd
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    let list = text.strip_prefix("Exit status: ").unwrap_or(&text);
    for item in list.trim_end_matches('.').split("; ") {
        let (code, what) = item.split_once(' ').unwrap_or((item, ""));
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(what)]);
    }
}

/// Command lines worth copying, per page (`""`: reload-doctor(1)).
fn examples(roff: &mut Roff, sub: &str) {
    let list: &[(&str, &str)] = match sub {
        "" => &[
            ("reload-doctor", "The report on the Go project in the current folder (or the nearest go.mod above it)."),
            ("reload-doctor --fix", "Apply the safe fixes, then check again; --dry-run shows the plan, --unsafe adds fixes that may stop a program that is not this project's."),
            ("reload-doctor --project ~/src/shop --only reloader-config,compile", "Two checks on another project."),
            ("reload-doctor --format github --only reloader-config,compile,signals,watch-scope", "The static checks in a GitHub workflow, as annotations on the pull request's lines."),
            ("reload-doctor --format sarif > reload-doctor.sarif", "A SARIF 2.1.0 log for code scanning."),
            ("reload-doctor --json | jq '.checks[] | select(.status == \"fail\")'", "The failed checks, from the JSON report."),
        ],
        "checks" => &[
            ("reload-doctor checks", "Every check id with its purpose."),
            ("reload-doctor checks --json", "The same as JSON, with which checks run only when named."),
        ],
        "explain" => &[
            ("reload-doctor explain inotify-watches", "What the check looks at, why it breaks hot reload and how to fix it by hand."),
            ("reload-doctor explain reloader-config --json", "The same as JSON."),
        ],
        "verify" => &[
            ("reload-doctor verify", "Save a Go file of the project with the reloader it is set up for, and time each stage until the new build serves."),
            ("reload-doctor verify --with ours --rounds 5", "Five rounds with reload-doctor run as the reloader; the table shows medians."),
            ("reload-doctor verify --with 'make dev'", "Drive your own command as the reloader."),
        ],
        "run" => &[
            ("reload-doctor run", "Run the app with hot reload, reading .air.toml as air does; one line per reload."),
            ("reload-doctor run --port 3000 --json", "The app on port 3000, one JSON event per line."),
        ],
        "completions" => &[
            ("reload-doctor completions bash > ~/.local/share/bash-completion/completions/reload-doctor", "Completion for bash (create the folder first)."),
            ("reload-doctor completions zsh > ~/.zfunc/_reload-doctor", "Completion for zsh, with ~/.zfunc in fpath before compinit."),
        ],
        "man" => &[
            ("reload-doctor man --dir ~/.local/share/man/man1", "Write every page (create the folder first); then man reload-doctor-run."),
            ("reload-doctor man | man -l -", "Read this page without installing it."),
        ],
        _ => &[],
    };
    roff.control("SH", ["EXAMPLES"]);
    for (line, what) in list {
        roff.control("TP", []);
        roff.text([bold(*line)]);
        roff.text([roman(*what)]);
    }
}
