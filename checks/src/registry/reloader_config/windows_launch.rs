//! Launchers that only run on Windows: a Makefile target whose recipe (or a prerequisite's)
//! starts `.\tailwindcss`, `tool.exe`, `cmd /c`, `build.cmd` before air; a `.ps1`, `.bat`
//! or `.cmd` script. On Linux and macOS such a launcher stops before air starts, so a config
//! it runs is judged by Windows rules only (19jmrs/youtube-bookmarks' `make run`).

use super::config_file::AirFile;
use super::task_runners;
use crate::reloaders::air::launch::{Kind, LaunchContext};
use std::path::Path;

/// The first command of `line` (a recipe or script line, as written: the shell would drop
/// its backslashes) that only Windows runs, when there is one.
pub(super) fn windows_command(line: &str) -> Option<String> {
    line.split(['&', ';', '|', '\n'])
        .filter_map(|part| {
            part.split_whitespace()
                .map(|w| w.trim_start_matches(['@', '-', '+']))
                .find(|w| !w.is_empty() && (!w.contains('=') || w.starts_with(['.', '\\'])))
        })
        .find(|program| {
            let p = program.to_ascii_lowercase();
            p.starts_with(".\\")
                || p.starts_with("..\\")
                || [".exe", ".cmd", ".bat", ".ps1"]
                    .iter()
                    .any(|e| p.ends_with(e))
                || matches!(p.as_str(), "cmd" | "powershell")
        })
        .map(str::to_string)
}

/// Why `launch` runs only on Windows ("`.\tailwindcss -i ...` (Makefile:2)"), when it does.
fn windows_only(repo: &Path, launch: &LaunchContext) -> Option<String> {
    if launch.container.is_some() {
        return None;
    }
    let l = &launch.launcher;
    let site = format!("{}:{}", l.file, l.line);
    let lower = l.file.to_ascii_lowercase();
    if [".ps1", ".bat", ".cmd"].iter().any(|e| lower.ends_with(e)) {
        return Some(format!("{} is a Windows script", l.file));
    }
    if windows_command(&l.command).is_some() {
        return Some(format!("`{}` ({site})", l.command.trim()));
    }
    let (Kind::Makefile, Some(target)) = (l.kind, &l.target) else {
        return None;
    };
    let file = repo.join(&l.file);
    let dir = file.parent()?;
    let name = file.file_name()?.to_string_lossy().to_string();
    let words = vec![
        "make".to_string(),
        "-f".to_string(),
        name.clone(),
        target.clone(),
    ];
    // Recipes in the order make runs them, prerequisites first, up to the line that starts
    // air; make stops at the first that fails (unless `-` ignores it).
    for r in task_runners::expand(&words, dir) {
        if r.site == format!("{name}:{}", l.line) {
            break;
        }
        if !r.ignored && windows_command(&r.line).is_some() {
            let at = match l.file.rsplit_once('/') {
                Some((folder, _)) => format!("{folder}/{}", r.site),
                None => r.site.clone(),
            };
            return Some(format!("`{}` ({at})", r.line.trim()));
        }
    }
    None
}

/// When every launcher this judgement stands for runs only on Windows: why the first does.
pub(super) fn only_windows(f: &AirFile) -> Option<String> {
    let first = f.launches.first()?;
    let why = windows_only(&f.repo, first)?;
    f.launches
        .iter()
        .skip(1)
        .all(|l| windows_only(&f.repo, l).is_some())
        .then_some(why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_commands() {
        for line in [
            ".\\tailwindcss -i src/input.css -o public/output.css",
            "cmd /c go build",
            "scripts\\build.cmd",
            "templ generate && tailwindcss.exe -o x",
            "powershell -File x.ps1",
        ] {
            assert!(windows_command(line).is_some(), "{line}");
        }
        for line in [
            "./tailwindcss -i x",
            "go build -o bin/main .",
            "CGO_ENABLED=0 go build",
            "air -c .air.toml",
        ] {
            assert_eq!(windows_command(line), None, "{line}");
        }
    }
}
