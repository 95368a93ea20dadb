//! The shell commands air runs for a build (`pre_cmd`, then `cmd`), read as words: who
//! builds or moves the binary, and which steps hand the work to another tool.

use super::config_file::AirFile;
use crate::filepath::clean;
use crate::shell::{self, Redirect};
use std::path::{Path, PathBuf};

/// One simple command of a build step, with the step's config key.
#[derive(Clone)]
pub(super) struct Step {
    pub key: &'static str,
    /// The whole `pre_cmd` entry or `cmd`, as written.
    pub line: String,
    pub words: Vec<String>,
    pub redirects: Vec<Redirect>,
    /// Where it runs, relative to the project: the `cd` before it in the same line.
    pub dir: PathBuf,
    /// Every `cd` before it could be followed: false after `cd src/${SERVICE}` or `cd $DIR`,
    /// where `dir` is not where it runs and no path of the step can be judged.
    pub dir_known: bool,
    /// Inside `$(...)` or backticks: it runs for its output, as part of another command.
    pub substituted: bool,
    /// Whether the command is sent to the background (`tailwindcss --watch &`).
    pub background: bool,
    /// Its exit status is not the line's (`a; go build`, `a || b`, `a | b`).
    pub unheeded: bool,
}

impl Step {
    /// The program, without `NAME=value` prefixes and folders: `make`, `go`, `build.sh`.
    pub fn program(&self) -> &str {
        shell::program(&self.words)
    }

    /// `cmd /c ...`, `powershell ...`: a step written for Windows (see binary.rs's
    /// windows-only-config).
    pub fn is_windows_shell(&self) -> bool {
        matches!(
            self.program().to_ascii_lowercase().as_str(),
            "cmd" | "cmd.exe" | "powershell" | "powershell.exe" | "pwsh"
        )
    }

    /// `go <sub>`: `go build`, `go run`, `go generate`.
    pub fn is_go(&self, sub: &str) -> bool {
        let w = shell::program_words(&self.words);
        w.len() > 1 && shell::program(w) == "go" && w[1] == sub
    }
}

/// The strings of the array at dotted `key`, as written in the file (empty when missing).
pub(super) fn str_list(f: &AirFile, key: &str) -> Vec<String> {
    f.written
        .get(key)
        .and_then(|i| i.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every simple command air runs to build, in order: `pre_cmd` entries, then `cmd` (the
/// commands of `$(...)` before the command holding them, and of `sh -c '...'` after it).
pub(super) fn build_steps(f: &AirFile) -> Vec<Step> {
    let b = &f.ctx.project.air.build;
    let lines = b
        .pre_cmd
        .iter()
        .map(|l| ("build.pre_cmd", l))
        .chain([("build.cmd", &b.cmd)]);
    let mut steps = vec![];
    for (key, line) in lines {
        shell::parse(line).walk(true, &mut |s, scope| {
            if shell::program(&s.words) == "cd" {
                return;
            }
            steps.push(Step {
                key,
                line: line.clone(),
                words: s.words.clone(),
                redirects: s.redirects.clone(),
                dir: scope.dir.clone(),
                dir_known: scope.dir_known,
                substituted: scope.substituted,
                background: scope.background,
                unheeded: scope.unheeded,
            });
        });
    }
    steps
}

/// Tools that run steps written elsewhere (a Makefile, a Taskfile, package.json, a script):
/// what they build cannot be read from the config.
pub(super) fn is_task_runner(step: &Step) -> bool {
    let p = step.program();
    matches!(
        p,
        "make"
            | "gmake"
            | "task"
            | "just"
            | "mage"
            | "npm"
            | "yarn"
            | "pnpm"
            | "bun"
            | "sh"
            | "bash"
            | "zsh"
            | "python"
            | "python3"
            | "goreleaser"
    ) || p.ends_with(".sh")
        || (step.is_go("run") && !step.words.iter().any(|w| w == "generate"))
}

/// `go run ./cmd/gen`, `go run github.com/x/tool@v1` or `go run . -o out/` writes files
/// and ends.
pub(super) fn is_generator_run(words: &[String]) -> bool {
    let output_flag = |w: &String| {
        ["-o", "--out", "--output", "-output", "-out"]
            .iter()
            .any(|f| w == f || w.starts_with(&format!("{f}=")))
    };
    words
        .iter()
        .any(|w| w.contains('@') || w.contains("gen") || w.contains("tool") || output_flag(w))
}

/// `go run [flags] package [args]` -> (build flags, package, app arguments).
pub(super) fn parse_go_run(words: &[String]) -> Option<(Vec<String>, String, Vec<String>)> {
    let start = words.iter().position(|w| w == "run")? + 1;
    let rest = &words[start..];
    let mut flags = vec![];
    let mut i = 0;
    while i < rest.len() && rest[i].starts_with('-') {
        let name = rest[i].trim_start_matches('-');
        flags.push(rest[i].clone());
        if !name.contains('=') && crate::golang::build_plan::VALUE_FLAGS.contains(&name) {
            flags.extend(rest.get(i + 1).cloned());
            i += 1;
        }
        i += 1;
    }
    let files: Vec<String> = rest[i..]
        .iter()
        .take_while(|w| w.ends_with(".go"))
        .cloned()
        .collect();
    let (package, after) = if files.is_empty() {
        (rest.get(i)?.clone(), i + 1)
    } else {
        (files.join(" "), i + files.len())
    };
    if flags
        .iter()
        .any(|f| f == "-exec" || f.starts_with("-exec="))
    {
        return None;
    }
    Some((
        flags,
        package,
        rest.get(after..).unwrap_or_default().to_vec(),
    ))
}

/// A `mv`, `cp`, `install` or `ln` that puts a file at `target` (absolute, lexically
/// clean), with `cwd` the folder air runs commands in.
pub(super) fn moves_into(step: &Step, target: &Path, cwd: &Path) -> bool {
    if !matches!(step.program(), "mv" | "cp" | "install" | "ln") {
        return false;
    }
    let Some(dest) = step.words.iter().skip(1).rfind(|w| !w.starts_with('-')) else {
        return false;
    };
    let dest = clean(&cwd.join(&step.dir).join(dest));
    dest == target || target.parent() == Some(dest.as_path())
}
