//! moon `moon.yml` tasks: `command:` (a string, or a list with `args:`) or `script:`, run in
//! the project's folder (the moon.yml's), or in the workspace root (the folder holding
//! `.moon/`) with `options: runFromWorkspaceRoot: true`.

use super::{Line, Place};
use crate::yaml::{self, Node};
use std::path::Path;

pub(super) fn lines(repo: &Path, path: &Path, text: &str) -> Vec<Line> {
    let Some(doc) = yaml::parse(text) else {
        return vec![];
    };
    let dir = path.parent().unwrap_or(repo);
    let workspace = dir
        .ancestors()
        .take_while(|d| d.starts_with(repo))
        .find(|d| d.join(".moon").is_dir())
        .unwrap_or(repo);
    let words = |n: &Node| -> Vec<String> {
        match n.as_str() {
            Some(s) => vec![s.to_string()],
            None => n
                .items()
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
        }
    };
    let mut out = vec![];
    for (name, task) in doc.get("tasks").map(Node::entries).unwrap_or_default() {
        let (node, text) = match (task.get("script"), task.get("command")) {
            (Some(s), _) => (s, words(s).join(" ")),
            (None, Some(c)) => {
                let mut all = words(c);
                all.extend(task.get("args").map(&words).unwrap_or_default());
                (c, all.join(" "))
            }
            _ => continue,
        };
        if !text.contains("air") {
            continue;
        }
        let from_root = task
            .get("options")
            .and_then(|o| o.get("runFromWorkspaceRoot"))
            .and_then(Node::as_str)
            == Some("true");
        out.push(Line {
            line: node.key_line.max(1),
            target: Some(name.clone()),
            text,
            place: Place::Host(if from_root { workspace } else { dir }.to_path_buf()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shape of betteroute/betteroute's apps/api/moon.yml.
    #[test]
    fn tasks_in_their_project_or_the_workspace_root() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join(".moon")).unwrap();
        let path = repo.join("apps/api/moon.yml");
        let text = "language: go\ntasks:\n  # Development\n  dev:\n    command: \"air\"\n    options:\n      persistent: true\n  watch:\n    command: [air, -c]\n    args: [apps/api/.air.toml]\n    options:\n      runFromWorkspaceRoot: true\n  build:\n    script: \"go build -o bin/x ./cmd/x\"\n";
        let got: Vec<(usize, String, String)> = lines(repo, &path, text)
            .into_iter()
            .map(|l| {
                let Place::Host(p) = l.place else { panic!() };
                (l.line, l.text, p.display().to_string())
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (5, "air".into(), repo.join("apps/api").display().to_string()),
                (
                    9,
                    "air -c apps/api/.air.toml".into(),
                    repo.display().to_string()
                ),
            ]
        );
    }
}
