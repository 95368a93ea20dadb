//! Taskfile tasks (go-task, `Taskfile.yml` and `Taskfile.dist.yml`): each command runs in the
//! Taskfile's folder joined with the task's `dir:`; a templated `dir` (`{{.USER_WORKING_DIR}}`)
//! leaves the folder unknown. `{{.NAME}}` is expanded with the literal `vars:` of the task,
//! of a task calling it (`- task: go-install` with `vars: {REPO: ...}`: the called task's
//! commands are read at the call's line), and of the Taskfile, in Task's order of precedence.

use super::{Line, Place};
use crate::yaml::{self, Node};
use std::path::Path;

pub(super) fn lines(dir: &Path, text: &str) -> Vec<Line> {
    let Some(doc) = yaml::parse(text) else {
        return vec![];
    };
    let mut out = vec![];
    let Some(tasks) = doc.get("tasks") else {
        return out;
    };
    let global = literal_vars(doc.get("vars"), &[]);
    for (name, task) in tasks.entries() {
        let own = literal_vars(task.get("vars"), &global);
        let vars: Vec<(String, String)> = own.iter().chain(&global).cloned().collect();
        let task_dir = task.get("dir").and_then(Node::as_str);
        for c in commands(task) {
            if let Some(cmd) = c.as_str().or_else(|| c.get("cmd").and_then(Node::as_str)) {
                push(&mut out, dir, name, task_dir, c.line, &expand(cmd, &vars));
                continue;
            }
            // `- task: go-install` with `vars:`: the called task's commands, at this line.
            let Some(called) = c.get("task").and_then(Node::as_str) else {
                continue;
            };
            let passed = literal_vars(c.get("vars"), &vars);
            let Some(target) = tasks
                .entries()
                .iter()
                .find(|(n, _)| n == called)
                .map(|(_, t)| t)
                .filter(|_| !passed.is_empty())
            else {
                continue;
            };
            let theirs = literal_vars(target.get("vars"), &global);
            let vars: Vec<(String, String)> = theirs
                .iter()
                .chain(&passed)
                .chain(&global)
                .cloned()
                .collect();
            let target_dir = target.get("dir").and_then(Node::as_str);
            for t in commands(target) {
                if let Some(cmd) = t.as_str().or_else(|| t.get("cmd").and_then(Node::as_str)) {
                    let at = c.get("vars").map_or(c.line, |v| v.line);
                    push(&mut out, dir, name, target_dir, at, &expand(cmd, &vars));
                }
            }
        }
    }
    out
}

/// A task's commands: `cmds:`, `cmd:`, or the task itself when it is one string or a list.
fn commands(task: &Node) -> Vec<&Node> {
    match (task.as_str(), task.get("cmds"), task.get("cmd")) {
        (Some(_), _, _) => vec![task],
        (_, Some(list), _) => list.items().iter().chain(task.items()).collect(),
        (_, None, Some(one)) => vec![one],
        _ => task.items().iter().collect(),
    }
}

fn push(
    out: &mut Vec<Line>,
    dir: &Path,
    task: &str,
    task_dir: Option<&str>,
    line: usize,
    cmd: &str,
) {
    if !cmd.contains("air") {
        return;
    }
    let text = match task_dir {
        Some(d) => format!("cd '{}' && {cmd}", d.replace('\'', "")),
        None => cmd.to_string(),
    };
    out.push(Line {
        line,
        target: Some(task.to_string()),
        text,
        place: Place::Host(dir.to_path_buf()),
    });
}

/// The `vars:` whose values are plain strings once `known` ones are expanded in them (not
/// `sh:` ones, nor values with a template left).
fn literal_vars(vars: Option<&Node>, known: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for (name, value) in vars.map(Node::entries).unwrap_or_default() {
        let Some(v) = value.as_str() else { continue };
        let all: Vec<(String, String)> = out.iter().chain(known).cloned().collect();
        let v = expand(v, &all);
        if !v.contains("{{") {
            out.push((name.clone(), v));
        }
    }
    out
}

/// `text` with `{{.NAME}}` (and `{{ .NAME }}`) replaced by the first of `vars` so named.
fn expand(text: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[at..]);
            return out;
        };
        let inner = after[..end].trim();
        let value = inner
            .strip_prefix('.')
            .and_then(|n| vars.iter().find(|(k, _)| k == n))
            .map(|(_, v)| v.as_str());
        match value {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[at..at + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reloaders::air::launch::air_call;

    /// JorgeReus/istio-jwt: `dl-deps` calls `go-install` with `vars: {REPO: ...}`, which runs
    /// `go install {{.REPO}}`; a task's own and the Taskfile's vars are expanded too, and a
    /// var nothing sets stays as written.
    #[test]
    fn vars_of_the_taskfile_the_task_and_its_caller_are_expanded() {
        let text = "version: '3'\nvars:\n  PKG: github.com/air-verse/air\ntasks:\n  dl-deps:\n    cmds:\n      - task: go-install\n        vars: {REPO: github.com/swaggo/swag/cmd/swag@latest}\n      - task: go-install\n        vars: {REPO: github.com/cosmtrek/air@latest}\n  go-install:\n    cmds:\n      - go install {{.REPO}}\n  own:\n    vars:\n      V: v1.49.0\n    cmds:\n      - go install {{.PKG}}@{{ .V }} && air {{.UNSET}}\n";
        let got = lines(Path::new("/r"), text);
        let texts: Vec<(usize, &str, &str)> = got
            .iter()
            .map(|l| (l.line, l.target.as_deref().unwrap(), l.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (10, "dl-deps", "go install github.com/cosmtrek/air@latest"),
                (
                    18,
                    "own",
                    "go install github.com/air-verse/air@v1.49.0 && air {{.UNSET}}"
                ),
            ]
        );
    }

    /// Shapes of dmitrymomot/go-app-template, CLOSERPROJECT/attesta and twsm000/lenslocked.
    #[test]
    fn commands_with_the_task_dir() {
        let text = "version: '3'\ntasks:\n  dev:\n    dir: server\n    cmds:\n      - go mod tidy\n      - air -c ./scripts/.air.toml\n  watch:\n    cmds:\n      - cmd: |\n          bash -c '\n          cd api\n          \"$bin/air\" -c .air.toml'\n  lens: air -d -c .air.dev.toml\n  any:\n    dir: '{{.USER_WORKING_DIR}}'\n    cmds: [air]\n";
        let got = lines(Path::new("/r"), text);
        let texts: Vec<(usize, &str)> = got.iter().map(|l| (l.line, l.text.as_str())).collect();
        assert_eq!(texts[0], (7, "cd 'server' && air -c ./scripts/.air.toml"));
        assert_eq!(texts[1].0, 10);
        assert_eq!(texts[2], (14, "air -d -c .air.dev.toml"));
        assert_eq!(texts[3], (17, "cd '{{.USER_WORKING_DIR}}' && air"));
        let mut dirs = vec![];
        crate::shell::parse(&got[3].text).walk(true, &mut |s, scope| {
            if air_call(&s.words).is_some() {
                dirs.push(scope.dir_known);
            }
        });
        assert_eq!(dirs, vec![false]);
    }
}
