//! The shell commands air runs for a build (`pre_cmd`, then `cmd`), read as words: who
//! builds or moves the binary, and which steps hand the work to another tool.

use super::AirFile;
use crate::filepath::clean;
use crate::golang::build_plan::split_commands;
use std::path::{Path, PathBuf};

/// One simple command of a build step, with the step's config key.
pub(super) struct Step {
    pub key: &'static str,
    /// The whole `pre_cmd` entry or `cmd`, as written.
    pub line: String,
    pub words: Vec<String>,
    /// Where it runs, relative to the project: the `cd` before it in the same line.
    pub dir: PathBuf,
}

impl Step {
    /// The program, without `NAME=value` prefixes and folders: `make`, `go`, `build.sh`.
    pub fn program(&self) -> &str {
        program(&self.words)
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
        let w = without_env(&self.words);
        w.len() > 1 && program(w) == "go" && w[1] == sub
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

/// Every simple command air runs to build, in order: `pre_cmd` entries, then `cmd`.
pub(super) fn build_steps(f: &AirFile) -> Vec<Step> {
    let mut steps = vec![];
    let lines = f
        .ctx
        .project
        .air
        .build
        .pre_cmd
        .clone()
        .into_iter()
        .map(|l| ("build.pre_cmd", l))
        .chain([("build.cmd", f.ctx.project.air.build.cmd.clone())]);
    for (key, line) in lines {
        let mut dir = PathBuf::new();
        for words in split_commands(&line) {
            if let [cd, target] = &words[..] {
                if cd == "cd" {
                    dir.push(target);
                    continue;
                }
            }
            steps.push(Step {
                key,
                line: line.clone(),
                words,
                dir: dir.clone(),
            });
        }
    }
    steps
}

pub(super) fn without_env(words: &[String]) -> &[String] {
    let n = words
        .iter()
        .take_while(|w| {
            w.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
            })
        })
        .count();
    &words[n..]
}

fn program(words: &[String]) -> &str {
    without_env(words)
        .first()
        .map_or("", |w| w.rsplit('/').next().unwrap_or(w))
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
