//! `.vscode/tasks.json` (JSON with comments): a task's `command` and `args`, run in
//! `options.cwd` (`${workspaceFolder}` is the folder holding `.vscode`), else that folder.

use super::{Line, Place};
use std::path::Path;

pub(super) fn lines(repo: &Path, path: &Path, text: &str) -> Vec<Line> {
    let workspace = path.parent().and_then(Path::parent).unwrap_or(repo);
    let Some(json) = jsonc(text) else {
        return vec![];
    };
    let ws = workspace.display().to_string();
    let sub = |s: &str| {
        s.replace("${workspaceFolder}", &ws)
            .replace("${workspaceRoot}", &ws)
    };
    let mut out = vec![];
    for task in json
        .get("tasks")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
    {
        let Some(command) = task.get("command").and_then(|c| c.as_str()) else {
            continue;
        };
        let args: Vec<String> = task
            .get("args")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(|s| shell_word(&sub(s))))
            .collect();
        let line = [sub(command)]
            .into_iter()
            .chain(args)
            .collect::<Vec<_>>()
            .join(" ");
        if !line.contains("air") {
            continue;
        }
        let cwd = task
            .get("options")
            .and_then(|o| o.get("cwd"))
            .and_then(|c| c.as_str())
            .map_or(workspace.to_path_buf(), |c| workspace.join(sub(c)));
        let label = task
            .get("label")
            .and_then(|l| l.as_str())
            .map(str::to_string);
        let at = label
            .as_deref()
            .and_then(|l| text.find(&format!("\"{l}\"")))
            .unwrap_or(0);
        out.push(Line {
            line: text[..at].matches('\n').count() + 1,
            target: label,
            text: line,
            place: Place::Host(cwd),
        });
    }
    out
}

/// `'word'` when it needs quoting for the shell.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// JSON with `//` and `/* */` comments and trailing commas, as VS Code and devcontainers
/// write it.
pub(super) fn jsonc(text: &str) -> Option<serde_json::Value> {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.get(i + 1) {
                    out.push(*n);
                    i += 1;
                }
            } else if c == '"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match (c, chars.get(i + 1)) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ('/', Some('*')) => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            (',', _) => {
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                if !matches!(next, Some('}' | ']')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    serde_json::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ZEISS/typhoon's tasks.json.
    #[test]
    fn tasks_with_cwd_and_args() {
        let text = "{\n  // tasks\n  \"version\": \"2.0.0\",\n  \"tasks\": [\n    {\n      \"label\": \"Start Web Server\",\n      \"command\": \"air\",\n      \"options\": { \"cwd\": \"${workspaceFolder}\" },\n      \"args\": [\"-c\", \"${workspaceFolder}/cmd/web/.air.toml\"],\n    },\n  ]\n}\n";
        let got = lines(Path::new("/r"), Path::new("/r/.vscode/tasks.json"), text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].line, 6);
        assert_eq!(got[0].text, "air -c /r/cmd/web/.air.toml");
        assert!(matches!(&got[0].place, Place::Host(p) if p == Path::new("/r")));
        assert_eq!(
            jsonc("{\"a\": \"//not a comment\", /* c */ \"b\": [1,],}").unwrap()["a"],
            "//not a comment"
        );
    }
}
