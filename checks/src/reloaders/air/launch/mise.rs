//! mise tasks (`mise.toml`, `.mise.toml`, `mise.local.toml`): `[tasks.NAME] run = "..."` (or a
//! list of commands, or `[tasks] NAME = "..."`), run in the config's folder, or in `dir`
//! relative to it; a templated `dir` (`{{cwd}}`) leaves the task out.

use super::{Line, Place};
use std::path::Path;

/// The tools a mise config lists (the keys of its `[tools]`: `bun`, `go:github.com/a-h/templ/cmd/templ`).
pub fn tools(text: &str) -> Vec<String> {
    text.parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("tools").and_then(|t| t.as_table()).cloned())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

pub(super) fn lines(dir: &Path, text: &str) -> Vec<Line> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return vec![];
    };
    let Some(tasks) = doc.get("tasks").and_then(|t| t.as_table()) else {
        return vec![];
    };
    let mut out = vec![];
    for (name, task) in tasks {
        let run = match task {
            toml::Value::Table(t) => t.get("run"),
            other => Some(other),
        };
        let commands: Vec<&str> = match run {
            Some(toml::Value::String(s)) => vec![s.as_str()],
            Some(toml::Value::Array(items)) => items.iter().filter_map(|i| i.as_str()).collect(),
            _ => continue,
        };
        let task_dir = task.get("dir").and_then(|d| d.as_str()).unwrap_or("");
        if task_dir.contains("{{") || task_dir.contains('$') {
            continue;
        }
        for command in commands.into_iter().filter(|c| c.contains("air")) {
            out.push(Line {
                line: header_line(text, name),
                target: Some(name.clone()),
                text: command.to_string(),
                place: Place::Host(dir.join(task_dir)),
            });
        }
    }
    out
}

/// The line of `[tasks.NAME]` / `[tasks."NAME"]`, else of `NAME = ` under `[tasks]`, else 1.
fn header_line(text: &str, name: &str) -> usize {
    let headers = [format!("[tasks.{name}]"), format!("[tasks.\"{name}\"]")];
    let keys = [format!("{name} ="), format!("\"{name}\" =")];
    let at = text.lines().position(|l| {
        let l = l.trim();
        headers.iter().any(|h| l.replace(' ', "") == *h)
            || keys.iter().any(|k| l.starts_with(k.as_str()))
    });
    at.map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shape of FriendsOfShopware/shopmon's .mise.toml.
    #[test]
    fn tasks_with_their_headers_and_folders() {
        let text = "[tools]\n\"go:github.com/air-verse/air\" = \"latest\"\n\n[tasks.\"dev:api\"]\ndescription = \"Run API server with live reload\"\nrun = \"cd api && LISTEN_ADDR=127.0.0.1:5789 air\"\n\n[tasks.worker]\nrun = [\"go generate ./...\", \"air -c .air-worker.toml\"]\ndir = \"api\"\n\n[tasks.here]\nrun = \"air\"\ndir = \"{{cwd}}\"\n";
        let got: Vec<(usize, String, String)> = lines(Path::new("/r"), text)
            .into_iter()
            .map(|l| {
                let Place::Host(p) = l.place else { panic!() };
                (l.line, l.target.unwrap(), p.display().to_string())
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "dev:api".into(), "/r/".into()),
                (8, "worker".into(), "/r/api".into()),
            ]
        );
        assert!(lines(Path::new("/r"), "[tasks\n").is_empty());
    }
}
