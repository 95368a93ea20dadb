//! `.devcontainer/devcontainer.json` (and `.devcontainer.json`): the lifecycle commands
//! (`postStartCommand`, `postCreateCommand`, `postAttachCommand`, `updateContentCommand`; a
//! string, an argument list or an object of either) run in the container's
//! `workspaceFolder` (default `/workspaces/<folder>`), where the repository is mounted.

use super::dockerfile::Exec;
use super::{Container, Line, Mount, Place};
use std::path::Path;

const COMMANDS: &[&str] = &[
    "postStartCommand",
    "postCreateCommand",
    "postAttachCommand",
    "updateContentCommand",
];

pub(super) fn lines(repo: &Path, text: &str) -> Vec<Line> {
    let Some(json) = super::vscode::jsonc(text) else {
        return vec![];
    };
    let name = repo
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let folder = json
        .get("workspaceFolder")
        .and_then(|w| w.as_str())
        .map_or(format!("/workspaces/{name}"), str::to_string)
        .replace("${localWorkspaceFolderBasename}", &name);
    let container = Container {
        cwd: super::join_posix("/", &folder),
        mounts: vec![Mount {
            container: super::join_posix("/", &folder),
            host: repo.to_path_buf(),
            live: true,
        }],
        ..Container::default()
    };
    let exec = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(Exec::Shell(s.clone())),
        serde_json::Value::Array(a) => Some(Exec::Argv(
            a.iter()
                .filter_map(|w| w.as_str().map(str::to_string))
                .collect(),
        )),
        _ => None,
    };
    let mut out = vec![];
    for key in COMMANDS {
        let Some(v) = json.get(key) else { continue };
        let named: Vec<(Option<String>, Exec)> = match v {
            serde_json::Value::Object(m) => m
                .iter()
                .filter_map(|(k, v)| Some((Some(k.clone()), exec(v)?)))
                .collect(),
            v => exec(v).map(|e| (None, e)).into_iter().collect(),
        };
        let at = text.find(&format!("\"{key}\"")).unwrap_or(0);
        for (sub, e) in named {
            let text_line = e.text();
            if !text_line.contains("air") {
                continue;
            }
            out.push(Line {
                line: text[..at].matches('\n').count() + 1,
                target: Some(sub.map_or(key.to_string(), |s| format!("{key}.{s}"))),
                text: text_line,
                place: Place::Container(container.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_commands_in_the_workspace_folder() {
        let text = "{\n  \"name\": \"go\",\n  // start the reloader\n  \"postStartCommand\": \"cd backend && air\",\n  \"postCreateCommand\": { \"tools\": \"go install github.com/air-verse/air@latest\" }\n}\n";
        let got = lines(Path::new("/r/shop"), text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].line, 4);
        let Place::Container(c) = &got[0].place else {
            panic!()
        };
        assert_eq!(c.cwd, "/workspaces/shop");
        assert_eq!(
            c.to_host("backend"),
            Some(Path::new("/r/shop/backend").to_path_buf())
        );
    }
}
