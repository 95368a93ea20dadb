//! Commands a line hands to another program to run, read as lines of their own: a host
//! line's `docker compose exec SERVICE air` runs in that service's container, and each
//! command argument of `concurrently "air" "npm run dev"`, and each pane's command of `tmux
//! new-session "cd api && air" \; split-window ...`, runs where concurrently or tmux does.

use super::{join_posix, Container, Line, Place, Repo};
use crate::filepath::clean_str;
use crate::shell;
use std::path::PathBuf;

/// The command a host line runs in a compose service, as a line of that container:
/// `docker compose [-f FILE] exec|run [-w DIR] SERVICE CMD...` (and `docker-compose`), in the
/// service of the compose file compose itself would pick (`-f`, else the nearest folder up
/// from where the command runs that has one defining SERVICE); `docker exec [-w DIR] NAME
/// CMD...` in the service whose `container_name:` is NAME. exec runs in the service's
/// `working_dir` unless `-w` says otherwise; run's `--entrypoint` is not followed.
pub(super) fn docker_exec_line(
    at: &Repo,
    l: &Line,
    s: &shell::Simple,
    scope: &shell::Scope,
) -> Option<Line> {
    let Place::Host(start) = &l.place else {
        return None;
    };
    let w = shell::program_words(&s.words);
    let name = |i: usize| w.get(i).map(|x| x.rsplit('/').next().unwrap_or(x));
    let (compose, mut i) = match (name(0)?, w.get(1).map(String::as_str)) {
        ("docker-compose", _) => (true, 1),
        ("docker", Some("compose")) => (true, 2),
        ("docker", Some("exec")) => (false, 1),
        ("docker", Some("container")) if w.get(2).is_some_and(|x| x == "exec") => (false, 2),
        _ => return None,
    };
    let option = |i: &mut usize, takes: &[&str]| -> Option<Option<(String, String)>> {
        let o = w.get(*i)?;
        if !o.starts_with('-') {
            return Some(None);
        }
        *i += 1;
        let (flag, value) = match o.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None if takes.contains(&o.as_str()) => {
                *i += 1;
                (o.as_str(), Some(w.get(*i - 1)?.clone()))
            }
            None => (o.as_str(), None),
        };
        Some(Some((flag.to_string(), value.unwrap_or_default())))
    };
    let mut file: Option<String> = None;
    if compose {
        const GLOBAL: &[&str] = &[
            "-f",
            "--file",
            "-p",
            "--project-name",
            "--profile",
            "--env-file",
            "--project-directory",
            "--ansi",
            "--progress",
            "--parallel",
        ];
        while let Some((flag, value)) = option(&mut i, GLOBAL)? {
            if matches!(flag.as_str(), "-f" | "--file") && file.is_none() {
                file = Some(value);
            }
            if flag == "--project-directory" {
                return None; // paths are then another folder's: not followed
            }
        }
        if !matches!(w.get(i)?.as_str(), "exec" | "run") {
            return None;
        }
    }
    i += 1;
    const TAKES: &[&str] = &[
        "-u",
        "--user",
        "-e",
        "--env",
        "-w",
        "--workdir",
        "--index",
        "--env-file",
        "--detach-keys",
        "--name",
        "-p",
        "--publish",
        "-v",
        "--volume",
        "-l",
        "--label",
        "--pull",
        "--cap-add",
        "--cap-drop",
        "--env-from-file",
        "--entrypoint",
    ];
    let mut workdir: Option<String> = None;
    while let Some((flag, value)) = option(&mut i, TAKES)? {
        match flag.as_str() {
            "-w" | "--workdir" => workdir = Some(value),
            "--entrypoint" => return None,
            _ => {}
        }
    }
    let target = w.get(i)?;
    let command = &w[i + 1..];
    if command.is_empty() || target.contains('$') {
        return None;
    }
    let service = if compose {
        if !scope.dir_known {
            return None;
        }
        let cwd = PathBuf::from(clean_str(&start.join(&scope.dir).to_string_lossy()));
        match &file {
            Some(f) => {
                let f = PathBuf::from(clean_str(&cwd.join(f).to_string_lossy()));
                at.services
                    .iter()
                    .find(|(p, svc)| *p == f && svc.name == *target)
            }
            None => cwd
                .ancestors()
                .take_while(|d| d.starts_with(at.root))
                .find_map(|d| {
                    at.services
                        .iter()
                        .find(|(p, svc)| p.parent() == Some(d) && svc.name == *target)
                }),
        }
    } else {
        let mut by_name = at
            .services
            .iter()
            .filter(|(_, svc)| svc.container_name.as_deref() == Some(target.as_str()));
        by_name.next().filter(|_| by_name.next().is_none())
    };
    let (_, svc) = service?;
    let mut container = svc.container.clone();
    if let Some(dir) = workdir.filter(|d| !d.contains('$')) {
        container.cwd = join_posix(&container.cwd, &dir);
    }
    Some(Line {
        line: l.line + s.line.saturating_sub(1),
        target: l.target.clone(),
        text: command
            .iter()
            .map(|w| shell_quote(w))
            .collect::<Vec<_>>()
            .join(" "),
        place: Place::Container(container),
    })
}

/// `concurrently [options] "air" "npm run dev"` (also through `npx`, `pnpm dlx`, `yarn`,
/// `bunx`): each command argument is a command line of its own, run by a shell where
/// concurrently runs (`npm:dev` shorthands name scripts, no air).
pub(super) fn concurrently_lines(
    l: &Line,
    s: &shell::Simple,
    scope: &shell::Scope,
) -> Option<Vec<Line>> {
    let mut w = shell::program_words(&s.words);
    let name = |x: &String| x.rsplit('/').next().unwrap_or(x).to_string();
    loop {
        match (w.first().map(name).as_deref(), w.get(1).map(String::as_str)) {
            (Some("pnpm" | "yarn" | "npm"), Some("dlx" | "exec")) => w = &w[2..],
            (Some("npx" | "pnpx" | "bunx" | "yarn"), _) => w = &w[1..],
            _ => break,
        }
        while w.first().is_some_and(|x| x.starts_with('-')) {
            w = &w[1..]; // `npx -y concurrently`
        }
    }
    if w.first().map(name).as_deref() != Some("concurrently") {
        return None;
    }
    if !scope.dir_known {
        return Some(vec![]);
    }
    // concurrently's options that take a value.
    const TAKES: &[&str] = &[
        "-n",
        "--names",
        "-c",
        "--prefix-colors",
        "-p",
        "--prefix",
        "-l",
        "--prefix-length",
        "-t",
        "--timestamp-format",
        "-s",
        "--success",
        "--restart-tries",
        "--restart-after",
        "-m",
        "--max-processes",
        "--names-separator",
        "--default-input-target",
        "--hide",
        "--kill-signal",
        "--teardown",
        "--cwd",
    ];
    let mut commands = vec![];
    let mut it = w[1..].iter();
    while let Some(a) = it.next() {
        if a.starts_with('-') {
            if TAKES.contains(&a.as_str()) {
                it.next();
            }
        } else if a.contains("air") {
            commands.push(a.clone());
        }
    }
    let dir = scope.dir.to_string_lossy();
    let place = match &l.place {
        Place::Host(start) => Place::Host(start.join(&*dir)),
        Place::Container(c) => Place::Container(Container {
            cwd: join_posix(&c.cwd, &dir),
            ..c.clone()
        }),
    };
    Some(
        commands
            .into_iter()
            .map(|text| Line {
                line: l.line + s.line.saturating_sub(1),
                target: l.target.clone(),
                text,
                place: place.clone(),
            })
            .collect(),
    )
}

/// `tmux [-L X] new-session|split-window|new-window|respawn-pane [options] [COMMAND...]` and
/// `send-keys [options] KEYS...`, several joined by `\;`: each pane's command (for send-keys
/// the literal text typed, key names like `C-m` left out) is a shell line of its own, run in
/// `-c DIR` when given, else where tmux was started (tmux's start directory for a new session).
pub(super) fn tmux_lines(l: &Line, s: &shell::Simple, scope: &shell::Scope) -> Option<Vec<Line>> {
    let w = shell::program_words(&s.words);
    if w.first().map(|x| x.rsplit('/').next().unwrap_or(x)) != Some("tmux") {
        return None;
    }
    if !scope.dir_known {
        return Some(vec![]);
    }
    // tmux's options that take a value (of the server and of these commands).
    const TAKES: &[&str] = &[
        "-L", "-S", "-f", "-T", "-c", "-e", "-F", "-n", "-s", "-t", "-x", "-y", "-l", "-N",
    ];
    let key = |k: &str| {
        let named = matches!(
            k,
            "Enter" | "Escape" | "Space" | "Tab" | "BSpace" | "Up" | "Down" | "Left" | "Right"
        );
        named || k.starts_with("C-") || k.starts_with("M-") || k.starts_with("S-")
    };
    let mut lines = vec![];
    let mut rest = &w[1..];
    while rest.first().is_some_and(|x| x.starts_with('-')) {
        let takes = TAKES.contains(&rest[0].as_str());
        rest = &rest[(if takes { 2 } else { 1 }).min(rest.len())..];
    }
    for part in rest.split(|x| x == ";") {
        let Some((command, args)) = part.split_first() else {
            continue;
        };
        let send = matches!(command.as_str(), "send-keys" | "send");
        let runs = matches!(
            command.as_str(),
            "new-session"
                | "new"
                | "split-window"
                | "splitw"
                | "new-window"
                | "neww"
                | "respawn-pane"
                | "respawnp"
                | "respawn-window"
                | "respawnw"
        );
        if !send && !runs {
            continue;
        }
        let mut dir: Option<&str> = None;
        let mut it = args.iter();
        let mut text: Vec<&str> = vec![];
        while let Some(a) = it.next() {
            if text.is_empty() && a.starts_with('-') && a.len() > 1 {
                if TAKES.contains(&a.as_str()) {
                    let value = it.next();
                    if a == "-c" {
                        dir = value.map(String::as_str);
                    }
                }
            } else if !(send && key(a)) {
                text.push(a);
            }
        }
        if text.is_empty() || dir.is_some_and(|d| d.contains('$')) {
            continue;
        }
        // tmux runs a command given as several words as that argv, as one word through sh.
        let text = match text.as_slice() {
            [one] => one.to_string(),
            many => many
                .iter()
                .map(|x| shell_quote(x))
                .collect::<Vec<_>>()
                .join(" "),
        };
        let sub = scope.dir.join(dir.unwrap_or("."));
        lines.push(Line {
            line: l.line + s.line.saturating_sub(1),
            target: l.target.clone(),
            text,
            place: match &l.place {
                Place::Host(start) => Place::Host(PathBuf::from(clean_str(
                    &start.join(&sub).to_string_lossy(),
                ))),
                Place::Container(c) => Place::Container(Container {
                    cwd: join_posix(&c.cwd, &sub.to_string_lossy()),
                    ..c.clone()
                }),
            },
        });
    }
    Some(lines)
}

/// `word` as one shell word (single-quoted when it holds anything but plain characters).
fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
