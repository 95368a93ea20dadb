//! How a project starts air: `air -c FILE` lines in the files people run it from (Makefile,
//! justfile, Taskfile, package.json, shell scripts, Dockerfile, compose files).
//!
//! air reads `-c FILE` when given, else `.air.toml`, else `.config/air.toml` in the folder
//! it runs in (v1.67.4 `runner/config.go` `defaultPathConfig`); `.air.conf` was read until
//! v1.63.1. Nothing here runs any of those files: they are only read as text.

use crate::golang::build_plan::split_commands;
use std::path::{Path, PathBuf};

/// One `air -c FILE` found in a file of the project.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    /// The file it is in, relative to the project (`Makefile`).
    pub file: String,
    pub line: usize,
    /// FILE as written.
    pub config: String,
    /// Runs inside a container (Dockerfile, compose): paths are the container's.
    pub in_container: bool,
}

impl Launch {
    /// FILE resolved from the project root (for a container, a guess: the project is
    /// usually copied or mounted at the working directory).
    pub fn config_path(&self, root: &Path) -> PathBuf {
        root.join(&self.config)
    }
}

/// Files bigger than this are not launch scripts.
const MAX_BYTES: u64 = 256 * 1024;

/// Every `air -c FILE` in the project's launch files, in file order.
pub fn launches(root: &Path) -> Vec<Launch> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return vec![];
    };
    let mut files: Vec<(String, bool)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            kind(&name).map(|container| (name, container))
        })
        .collect();
    files.sort();
    let mut out = vec![];
    for (name, in_container) in files {
        let path = root.join(&name);
        if std::fs::metadata(&path).map_or(true, |m| m.len() > MAX_BYTES) {
            continue;
        }
        // Never through a FIFO named like a Makefile (it would block).
        let Ok(text) = crate::system::files::read_to_string(&path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            // `air -c $(AIR_CONFIG)`: a variable, not a file name that can be checked.
            if let Some(config) = config_flag(line).filter(|c| !c.contains(['$', '{', '%'])) {
                out.push(Launch {
                    file: name.clone(),
                    line: i + 1,
                    config,
                    in_container,
                });
            }
        }
    }
    out
}

/// Whether `name` is a launch file: Some(true) for a container file.
fn kind(name: &str) -> Option<bool> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("dockerfile")
        || lower.ends_with(".dockerfile")
        || (lower.contains("compose") && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
    {
        return Some(true);
    }
    let host = matches!(
        lower.as_str(),
        "makefile"
            | "gnumakefile"
            | "justfile"
            | "taskfile.yml"
            | "taskfile.yaml"
            | "package.json"
            | "procfile"
            | "procfile.dev"
    ) || lower.ends_with(".sh")
        || lower.ends_with(".mk");
    host.then_some(false)
}

/// FILE in `air -c FILE` / `air -c=FILE` on one line, where `air` is a command word.
pub fn config_flag(line: &str) -> Option<String> {
    commands_in(line)
        .iter()
        .find_map(|words| {
            let at = words
                .iter()
                .position(|w| w == "air" || w.ends_with("/air"))?;
            Some(config_arg(&words[at + 1..]))
        })
        .flatten()
}

/// The commands one line may hold, each as its words: an exec-form list (a Dockerfile's
/// `CMD ["air", "-c", "x"]`, compose's `command: [air, -c, x]`), the shell lines in its
/// JSON strings (package.json's scripts), and the line itself as a shell line.
fn commands_in(line: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    if let (Some(open), Some(close)) = (line.find('['), line.rfind(']')) {
        if open < close {
            let list = &line[open..=close];
            // JSON first (an element may hold a comma); else a YAML flow list, whose
            // unquoted commas do separate elements.
            let words = serde_json::from_str::<Vec<String>>(list).unwrap_or_else(|_| {
                list[1..list.len() - 1]
                    .split(',')
                    .map(|w| w.trim().trim_matches(['"', '\'']).to_string())
                    .collect()
            });
            out.push(words);
        }
    }
    for string in json_strings(line) {
        out.extend(split_commands(&string));
    }
    out.extend(split_commands(line));
    out
}

/// The contents of the double-quoted JSON strings on a line.
fn json_strings(line: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        let body = &rest[start + 1..];
        let mut escaped = false;
        let Some(end) = body.find(|c| {
            let closes = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            closes
        }) else {
            break;
        };
        if let Ok(s) = serde_json::from_str::<String>(&rest[start..start + end + 2]) {
            out.push(s);
        }
        rest = &body[end + 1..];
    }
    out
}

/// The `-c` value in air's arguments, read as air's Go `flag` package reads them: a value
/// is the whole next word (or what follows `=`), commas and all; flags end at `--` or at
/// the first word that is not a flag. `-d` and `-v` take no value; every other air flag
/// (`-color`, `-build.cmd`...) takes one.
fn config_arg(args: &[String]) -> Option<String> {
    let mut words = args.iter();
    while let Some(w) = words.next() {
        // A word that is not a flag ends the flags.
        let flag = w.strip_prefix("--").or_else(|| w.strip_prefix('-'))?;
        if flag.is_empty() || w == "-" {
            return None; // `--` ends the flags; `-` is an argument
        }
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        match name {
            "c" => return value.or_else(|| words.next().cloned()),
            "d" | "v" | "h" | "help" => {}
            _ if value.is_none() => {
                words.next();
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_config_flag() {
        assert_eq!(
            config_flag("\tair -c .air.dev.toml"),
            Some(".air.dev.toml".into())
        );
        assert_eq!(
            config_flag("dev: ; $(GOBIN)/air -c=air.toml -d"),
            Some("air.toml".into())
        );
        assert_eq!(
            config_flag("CMD [\"air\", \"-c\", \".air.toml\"]"),
            Some(".air.toml".into())
        );
        assert_eq!(
            config_flag("    command: air -c config/air.toml"),
            Some("config/air.toml".into())
        );
        assert_eq!(config_flag("air"), None);
        assert_eq!(config_flag("go run . -c x"), None);
        assert_eq!(config_flag("air -- -c app.yaml"), None);
        assert_eq!(config_flag("# repair -c x"), None);
        // Go's flag package takes the whole next word: a comma is part of the file name.
        assert_eq!(
            config_flag("\tair -c cfg,line=1,title=x.toml"),
            Some("cfg,line=1,title=x.toml".into())
        );
        assert_eq!(
            config_flag("CMD [\"air\", \"-c\", \"a,b.toml\"]"),
            Some("a,b.toml".into())
        );
        assert_eq!(
            config_flag("    command: [air, -c, .air.docker.toml]"),
            Some(".air.docker.toml".into())
        );
        assert_eq!(
            config_flag("    \"dev\": \"air -c 'my air.toml' -d\","),
            Some("my air.toml".into())
        );
        // A flag's value is not the config (`-color always`), nor is anything after the
        // first argument that is not a flag.
        assert_eq!(
            config_flag("air -color never -d -c=dev.toml"),
            Some("dev.toml".into())
        );
        assert_eq!(config_flag("air -build.cmd -c"), None);
        assert_eq!(config_flag("air init -c x.toml"), None);
        assert_eq!(
            config_flag("air -c x.toml && other -c y"),
            Some("x.toml".into())
        );
    }

    #[test]
    fn reads_launch_files_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Makefile"),
            "build:\n\tgo build\ndev:\n\tair -c air.toml\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("docker-compose.yml"),
            "services:\n  app:\n    command: air -c .air.docker.toml\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "air -c nothing.toml\n").unwrap();
        std::fs::write(
            dir.path().join("run.sh"),
            "# air -c old.toml\nair -c \"$CONFIG\"\n",
        )
        .unwrap();
        let got = launches(dir.path());
        assert_eq!(
            got,
            vec![
                Launch {
                    file: "Makefile".into(),
                    line: 4,
                    config: "air.toml".into(),
                    in_container: false
                },
                Launch {
                    file: "docker-compose.yml".into(),
                    line: 3,
                    config: ".air.docker.toml".into(),
                    in_container: true
                },
            ]
        );
    }
}
