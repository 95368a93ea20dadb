//! `reload-doctor completions SHELL`: clap_complete's script, mended where it goes wrong for
//! this command line (driven in a real bash, zsh and fish by tests/completions.rs).

use crate::cli::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

const BIN: &str = "reload-doctor";

pub fn print(shell: Shell) -> Result<u8, String> {
    print!("{}", script(shell));
    Ok(0)
}

fn script(shell: Shell) -> String {
    let mut cmd = Cli::command();
    let mut out = vec![];
    clap_complete::generate(shell, &mut cmd, BIN, &mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if shell == Shell::Bash {
        // clap_complete (4.6.12 too; clap-rs/clap#6421) sets `cmd="reload__doctor__subcmd__run"`
        // but labels that branch `reload__subcmd__doctor__subcmd__run`: it escapes the hyphen
        // of the binary's name as a subcommand separator, so nothing completes after a
        // subcommand. Label the branches the way `cmd` is set.
        let wrong = format!("{}__subcmd__", BIN.replace('-', "__subcmd__"));
        let right = format!("{}__subcmd__", BIN.replace('-', "__"));
        text = text.replace(&wrong, &right);
    }
    if shell == Shell::Fish {
        // Its test for "no subcommand yet" fails while a top-level option waits for its value
        // (`reload-doctor --only <TAB>`: argparse misses the value), and then nothing was
        // offered. A line argparse cannot read has no subcommand in it either.
        text = text.replace(
            "2>/dev/null\n    or return\n",
            "2>/dev/null\n    or return 0\n",
        );
        text.push_str(&fish_positional_values(&cmd));
    }
    let mut hidden: Vec<String> = vec![];
    hidden_longs(&cmd, &mut hidden);
    hidden
        .iter()
        .fold(text, |text, long| without_flag(shell, &text, long))
}

/// fish lines offering the listed values of subcommands' positionals (`explain ID`,
/// `completions SHELL`): clap_complete's fish script has none, so fish offered file names.
fn fish_positional_values(cmd: &clap::Command) -> String {
    let mut lines = String::new();
    for sub in cmd.get_subcommands() {
        for arg in sub.get_positionals() {
            let Some(values) = arg.get_value_parser().possible_values() else {
                continue;
            };
            let names: Vec<String> = values
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            lines.push_str(&format!(
                "complete -c {BIN} -n \"__fish_{}_using_subcommand {}\" -f -a \"{}\"\n",
                BIN.replace('-', "_"),
                sub.get_name(),
                names.join(" ")
            ));
        }
    }
    lines
}

/// The long names of the hidden flags of `cmd` and its subcommands (test hooks such as
/// --system-root): clap_complete offers them like any other.
fn hidden_longs(cmd: &clap::Command, out: &mut Vec<String>) {
    for arg in cmd.get_arguments().filter(|a| a.is_hide_set()) {
        if let Some(long) = arg.get_long().filter(|l| !out.iter().any(|o| o == l)) {
            out.push(long.to_string());
        }
    }
    for sub in cmd.get_subcommands() {
        hidden_longs(sub, out);
    }
}

/// `script` without the lines (bash: the words and `case` branches) that offer `--long`. A
/// hidden flag lists no values, so each shell's offer of it is one line (bash: one branch).
fn without_flag(shell: Shell, script: &str, long: &str) -> String {
    let flag = format!("--{long}");
    let offers = |line: &str| match shell {
        Shell::Zsh => {
            line.starts_with(&format!("'{flag}=")) || line.starts_with(&format!("'{flag}["))
        }
        Shell::Fish => line.starts_with("complete ") && line.contains(&format!(" -l {long} ")),
        Shell::Elvish => line.starts_with(&format!("cand {flag} ")),
        Shell::PowerShell => line.contains(&format!("::new('{flag}',")),
        _ => false,
    };
    let mut kept = String::with_capacity(script.len());
    let mut in_branch = false;
    for line in script.split_inclusive('\n') {
        let t = line.trim_start();
        if shell == Shell::Bash {
            // The branch that completes the flag's value: `--long)` down to its `;;`.
            if in_branch || t.trim_end() == format!("{flag})") {
                in_branch = t.trim_end() != ";;";
                continue;
            }
            if let Some((words, tail)) = t.strip_prefix("opts=\"").and_then(|r| r.split_once('"')) {
                let indent = &line[..line.len() - t.len()];
                let words: Vec<&str> = words.split(' ').filter(|w| *w != flag).collect();
                kept.push_str(&format!("{indent}opts=\"{}\"{tail}", words.join(" ")));
                continue;
            }
        } else if offers(t) {
            continue;
        }
        kept.push_str(line);
    }
    kept
}
