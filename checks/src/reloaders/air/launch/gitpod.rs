//! Gitpod `.gitpod.yml` tasks: `before:`, `init:` and `command:`, each a shell script run in
//! the repository's checkout (the `.gitpod.yml`'s folder).

use super::{Line, Place};
use crate::yaml::{self, Node};
use std::path::Path;

pub(super) fn lines(dir: &Path, text: &str) -> Vec<Line> {
    let Some(doc) = yaml::parse(text) else {
        return vec![];
    };
    let mut out = vec![];
    let tasks = doc.get("tasks").map(Node::items).unwrap_or_default();
    for (i, task) in tasks.iter().enumerate() {
        let name = task
            .get("name")
            .and_then(Node::as_str)
            .map_or_else(|| format!("task {}", i + 1), str::to_string);
        for key in ["before", "init", "command"] {
            let Some(node) = task.get(key) else { continue };
            let Some(script) = node.as_str().filter(|s| s.contains("air")) else {
                continue;
            };
            out.push(Line {
                line: node.key_line.max(1),
                target: Some(name.clone()),
                text: script.to_string(),
                place: Place::Host(dir.to_path_buf()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shape of bytebase/bytebase's .gitpod.yml.
    #[test]
    fn task_scripts_in_the_checkout() {
        let text = "tasks:\n  - name: Frontend\n    init: pnpm i\n    command: pnpm dev\n  - name: Init Backend\n    init: curl -sSfL https://example.invalid/install.sh | sh -s\n    command: rm -fv .air/pgdata/postmaster.pid && ./bin/air -c scripts/.air.toml\n  - command: |\n      cd backend\n      air\n";
        let got: Vec<(usize, String)> = lines(Path::new("/r"), text)
            .into_iter()
            .map(|l| (l.line, l.target.unwrap()))
            .collect();
        assert_eq!(got, vec![(7, "Init Backend".into()), (8, "task 3".into())]);
    }
}
