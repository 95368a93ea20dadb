//! Taskfile tasks (go-task, `Taskfile.yml` and `Taskfile.dist.yml`): each command runs in the
//! Taskfile's folder joined with the task's `dir:`; a templated `dir` (`{{.USER_WORKING_DIR}}`)
//! leaves the folder unknown.

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
    for (name, task) in tasks.entries() {
        let cmds: Vec<&Node> = match (task.as_str(), task.get("cmds"), task.get("cmd")) {
            (Some(_), _, _) => vec![task],
            (_, Some(list), _) => list.items().iter().chain(task.items()).collect(),
            (_, None, Some(one)) => vec![one],
            _ => task.items().iter().collect(),
        };
        let task_dir = task.get("dir").and_then(Node::as_str);
        for c in cmds {
            let Some(cmd) = c.as_str().or_else(|| c.get("cmd").and_then(Node::as_str)) else {
                continue;
            };
            if !cmd.contains("air") {
                continue;
            }
            let text = match task_dir {
                Some(d) => format!("cd '{}' && {cmd}", d.replace('\'', "")),
                None => cmd.to_string(),
            };
            out.push(Line {
                line: c.line,
                target: Some(name.clone()),
                text,
                place: Place::Host(dir.to_path_buf()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reloaders::air::launch::air_call;

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
