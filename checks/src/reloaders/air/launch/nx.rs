//! Nx `project.json` targets run with `nx:run-commands` (or the older
//! `@nrwl/workspace:run-commands`): `options.command`, or each of `options.commands` (strings
//! or `{ "command": ... }`), in `options.cwd`, which is relative to the workspace root (the
//! folder of `nx.json` above, else the repository), and is the workspace root when absent.

use super::package_json::line_of;
use super::{Line, Place};
use std::path::Path;

pub(super) fn lines(repo: &Path, path: &Path, text: &str) -> Vec<Line> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return vec![];
    };
    let Some(targets) = json.get("targets").and_then(|t| t.as_object()) else {
        return vec![];
    };
    let dir = path.parent().unwrap_or(repo);
    let workspace = dir
        .ancestors()
        .take_while(|d| d.starts_with(repo))
        .find(|d| d.join("nx.json").is_file())
        .unwrap_or(repo);
    let targets_at = text.find("\"targets\"").unwrap_or(0);
    let mut out = vec![];
    for (name, target) in targets {
        let executor = target
            .get("executor")
            .and_then(|e| e.as_str())
            .unwrap_or("");
        if !executor.ends_with(":run-commands") {
            continue;
        }
        let Some(options) = target.get("options") else {
            continue;
        };
        let mut commands: Vec<&str> = options
            .get("command")
            .and_then(|c| c.as_str())
            .into_iter()
            .collect();
        for c in options
            .get("commands")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            commands.extend(
                c.as_str()
                    .or_else(|| c.get("command").and_then(|c| c.as_str())),
            );
        }
        let cwd = options.get("cwd").and_then(|c| c.as_str()).unwrap_or("");
        if cwd.contains("{") || cwd.contains('$') {
            continue; // `{projectRoot}` and the like: not followed
        }
        let line = serde_json::to_string(name)
            .map(|quoted| line_of(text, targets_at, &format!("{quoted}:")))
            .unwrap_or(1);
        for command in commands.into_iter().filter(|c| c.contains("air")) {
            out.push(Line {
                line,
                target: Some(name.clone()),
                text: command.to_string(),
                place: Place::Host(workspace.join(cwd)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes of nasnet-community/nasnet-panel and CypheraCorp/cyphera-monorepo.
    #[test]
    fn run_commands_in_their_cwd_from_the_workspace_root() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("apps/api")).unwrap();
        std::fs::write(repo.join("nx.json"), "{}").unwrap();
        let text = "{\n  \"name\": \"api\",\n  \"targets\": {\n    \"serve\": {\n      \"executor\": \"nx:run-commands\",\n      \"options\": { \"command\": \"air -c .air.toml\", \"cwd\": \"apps/api\" }\n    },\n    \"dev\": {\n      \"executor\": \"nx:run-commands\",\n      \"options\": { \"commands\": [{ \"command\": \"air\" }] }\n    },\n    \"lint\": { \"executor\": \"@nx/eslint:lint\", \"options\": { \"command\": \"air\" } }\n  }\n}\n";
        let got: Vec<(usize, String, String)> =
            lines(repo, &repo.join("apps/api/project.json"), text)
                .into_iter()
                .map(|l| {
                    let Place::Host(p) = l.place else { panic!() };
                    (l.line, l.target.unwrap(), p.display().to_string())
                })
                .collect();
        let at = |p: &Path| p.display().to_string();
        assert_eq!(
            got,
            vec![
                (8, "dev".into(), at(&repo.join(""))),
                (4, "serve".into(), at(&repo.join("apps/api"))),
            ]
        );
        assert!(lines(repo, &repo.join("project.json"), "{").is_empty());
    }
}
