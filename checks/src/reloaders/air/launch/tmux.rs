//! tmux: `tmux [-L X] new-session|new-window|split-window|respawn-pane [options] [COMMAND...]`
//! and `send-keys [options] KEYS...`, several joined by `\;`. A pane's command is a shell line
//! of its own, run in the pane's folder; the keys sent to a pane (the literal text typed, key
//! names like `C-m` left out) are lines typed into its shell one after another, so a `cd api`
//! typed into it moves what is typed next. A pane's folder is `-c DIR` (`"$PWD/api"` is `api`
//! where tmux runs, `#{pane_current_path}` the current pane's), else its session's: the
//! session's `-c DIR`, else where tmux was started. The panes live as long as the launcher
//! (a Makefile target's recipe lines share them): `send-keys -t SESSION:WINDOW` goes to the
//! last pane made with that session or window name, or to the last pane made when no name
//! matches or no `-t` is given.

use super::{join_posix, Container, Line, Place};
use crate::filepath::clean_str;
use crate::shell;
use std::path::{Path, PathBuf};

/// The panes a launcher made so far.
#[derive(Debug, Default)]
pub(super) struct Panes {
    /// The launcher's file and target: another launcher starts with no panes.
    owner: Option<(String, Option<String>)>,
    panes: Vec<Pane>,
}

#[derive(Debug, Clone)]
struct Pane {
    session: Option<String>,
    window: Option<String>,
    /// Relative to where the launcher's line starts; None when not known (`-c $DIR`).
    dir: Option<PathBuf>,
    /// The session's folder, which its new windows and panes start in without `-c`.
    session_dir: Option<PathBuf>,
}

/// What a tmux command does to the panes.
#[derive(Clone, Copy, PartialEq)]
enum Makes {
    /// `new-session`: a session of its own, whose folder its later windows start in.
    Session,
    /// `new-window`, `split-window`: a pane of the target's session.
    Pane,
    /// `respawn-pane`: runs a command again in an existing pane.
    Respawn,
}

/// tmux's options that take a value (of the server and of these commands).
const TAKES: &[&str] = &[
    "-L", "-S", "-f", "-T", "-c", "-e", "-F", "-n", "-s", "-t", "-x", "-y", "-l", "-N",
];

impl Panes {
    /// The lines tmux runs for one command `s` of the line `l` of `owner`; None when `s` is
    /// no tmux command.
    pub(super) fn lines(
        &mut self,
        owner: (&str, Option<&str>),
        l: &Line,
        s: &shell::Simple,
        scope: &shell::Scope,
    ) -> Option<Vec<Line>> {
        let w = shell::program_words(&s.words);
        if w.first().map(|x| x.rsplit('/').next().unwrap_or(x)) != Some("tmux") {
            return None;
        }
        let owner = (owner.0.to_string(), owner.1.map(str::to_string));
        if self.owner.as_ref() != Some(&owner) {
            *self = Panes {
                owner: Some(owner),
                panes: vec![],
            };
        }
        let here = scope.dir_known.then(|| scope.dir.clone());
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
            let makes = match command.as_str() {
                "new-session" | "new" => Makes::Session,
                "split-window" | "splitw" | "new-window" | "neww" => Makes::Pane,
                "respawn-pane" | "respawnp" | "respawn-window" | "respawnw" => Makes::Respawn,
                "send-keys" | "send" => {
                    self.send(l, s, args, &here, &mut lines);
                    continue;
                }
                _ => continue,
            };
            let mut opts: Vec<(&str, &str)> = vec![];
            let mut text: Vec<&str> = vec![];
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if text.is_empty() && a.starts_with('-') && a.len() > 1 {
                    if TAKES.contains(&a.as_str()) {
                        opts.push((a, it.next().map_or("", String::as_str)));
                    }
                } else {
                    text.push(a);
                }
            }
            let opt = |k: &str| opts.iter().rfind(|(o, _)| *o == k).map(|(_, v)| *v);
            let into = match makes {
                Makes::Session => None,
                _ => self.target(opt("-t")).map(|i| self.panes[i].clone()),
            };
            let current = self.panes.last();
            let given = opt("-c").map(|d| tmux_dir(d, &here, current));
            let pane = match (makes, into) {
                (Makes::Session, _) => {
                    let dir = given.unwrap_or_else(|| here.clone());
                    Pane {
                        session: opt("-s").map(str::to_string),
                        window: opt("-n").map(str::to_string),
                        dir: dir.clone(),
                        session_dir: dir,
                    }
                }
                (_, into) => {
                    let session_dir = match &into {
                        Some(p) => p.session_dir.clone(),
                        None => here.clone(),
                    };
                    // A respawned pane keeps its folder; a new one starts in the session's.
                    let default = match (makes, &into) {
                        (Makes::Respawn, Some(p)) => p.dir.clone(),
                        _ => session_dir.clone(),
                    };
                    let new_window = matches!(command.as_str(), "new-window" | "neww");
                    Pane {
                        session: into.as_ref().and_then(|p| p.session.clone()),
                        window: match new_window {
                            true => opt("-n").map(str::to_string),
                            false => into.as_ref().and_then(|p| p.window.clone()),
                        },
                        dir: given.unwrap_or(default),
                        session_dir,
                    }
                }
            };
            if !text.is_empty() {
                if let Some(dir) = &pane.dir {
                    // tmux runs a command given as several words as that argv, one word
                    // through sh.
                    let text = match text.as_slice() {
                        [one] => one.to_string(),
                        many => many
                            .iter()
                            .map(|x| super::nested::shell_quote(x))
                            .collect::<Vec<_>>()
                            .join(" "),
                    };
                    lines.push(line_at(l, s, text, dir));
                }
            }
            if makes != Makes::Respawn {
                self.panes.push(pane);
            }
        }
        Some(lines)
    }

    /// The pane `-t TARGET` names (`sess`, `sess:win`, `sess:1`, `win`, `win.1`), or the
    /// current one (the last made) when none is named or the name is not known.
    fn target(&self, target: Option<&str>) -> Option<usize> {
        let named = target.and_then(|t| {
            let (session, window) = match t.split_once(':') {
                Some((s, w)) => (Some(s), w.split('.').next().unwrap_or(w)),
                None => (None, t.split('.').next().unwrap_or(t)),
            };
            // A window's name first: `-t dev:api` is the api window of session dev.
            let by_window = (!window.is_empty())
                .then(|| {
                    self.panes
                        .iter()
                        .rposition(|p| p.window.as_deref() == Some(window))
                })
                .flatten();
            by_window.or_else(|| {
                let name = session.unwrap_or(window);
                self.panes
                    .iter()
                    .rposition(|p| p.session.as_deref() == Some(name))
            })
        });
        named.or_else(|| self.panes.len().checked_sub(1))
    }

    /// `send-keys [-t T] [-l] TEXT C-m TEXT Enter`: what is typed runs in the pane's shell.
    fn send(
        &mut self,
        l: &Line,
        s: &shell::Simple,
        args: &[String],
        here: &Option<PathBuf>,
        lines: &mut Vec<Line>,
    ) {
        let mut target = None;
        let mut typed: Vec<&str> = vec![];
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if typed.is_empty() && a.starts_with('-') && a.len() > 1 {
                if TAKES.contains(&a.as_str()) {
                    let v = it.next().map(String::as_str);
                    if a == "-t" {
                        target = v;
                    }
                }
            } else if !is_key(a) {
                typed.push(a);
            }
        }
        if typed.is_empty() {
            return;
        }
        let index = self.target(target);
        let dir = match index {
            Some(i) => self.panes[i].dir.clone(),
            None => here.clone(),
        };
        let Some(dir) = dir else { return };
        // Typed one after another into one shell: `cd api` then `air`.
        let text = typed.join("; ");
        let after = shell::parse(&text).walk(false, &mut |_, _| {});
        if let Some(i) = index {
            self.panes[i].dir = after.dir_known.then(|| dir.join(&after.dir));
        }
        lines.push(line_at(l, s, text, &dir));
    }
}

/// Key names send-keys sends as keys, not as text.
fn is_key(k: &str) -> bool {
    let named = matches!(
        k,
        "Enter"
            | "ENTER"
            | "Escape"
            | "Space"
            | "Tab"
            | "BSpace"
            | "Up"
            | "Down"
            | "Left"
            | "Right"
    );
    named || k.starts_with("C-") || k.starts_with("M-") || k.starts_with("S-")
}

/// A `-c DIR` as a folder relative to where the launcher's line starts (`here` is where
/// tmux runs): `"$PWD/api"`, `$(pwd)/api` and `${PWD}` are under `here`,
/// `#{pane_current_path}` is the current pane's; None for another variable.
fn tmux_dir(dir: &str, here: &Option<PathBuf>, current: Option<&Pane>) -> Option<PathBuf> {
    if dir.starts_with("#{pane_current_path}") {
        return current.and_then(|p| p.dir.clone());
    }
    let mut d = dir;
    for pwd in ["$PWD", "${PWD}", "$(pwd)", "`pwd`"] {
        if let Some(rest) = d.strip_prefix(pwd) {
            d = rest.trim_start_matches('/');
            break;
        }
    }
    if d.contains(['$', '`', '#', '~']) {
        return None;
    }
    here.as_ref().map(|h| h.join(d))
}

/// The line `text` run in `dir` (relative to where `l` starts).
fn line_at(l: &Line, s: &shell::Simple, text: String, dir: &Path) -> Line {
    Line {
        line: l.line + s.line.saturating_sub(1),
        target: l.target.clone(),
        text,
        place: match &l.place {
            Place::Host(start) => {
                Place::Host(PathBuf::from(clean_str(&start.join(dir).to_string_lossy())))
            }
            Place::Container(c) => Place::Container(Container {
                cwd: join_posix(&c.cwd, &dir.to_string_lossy()),
                ..c.clone()
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each command's line of a script, as the launch module's resolve reads them: the
    /// folder and text of every pane command and of every set of keys sent.
    fn run(script: &str) -> Vec<(String, String)> {
        let l = Line {
            line: 1,
            target: None,
            text: script.into(),
            place: Place::Host(PathBuf::from("/r")),
        };
        let mut panes = Panes::default();
        let mut out = vec![];
        shell::parse(script).walk(true, &mut |s, scope| {
            for line in panes
                .lines(("dev.sh", None), &l, s, scope)
                .unwrap_or_default()
            {
                let Place::Host(dir) = &line.place else {
                    panic!()
                };
                out.push((dir.display().to_string(), line.text));
            }
        });
        out
    }

    /// `split-window -c "$PWD/api"` then keys sent to it; `split-window -c
    /// "#{pane_current_path}"` after a `cd` typed into the current pane; a window started
    /// without `-c` in a session made with one.
    #[test]
    fn panes_run_in_their_folders() {
        assert_eq!(
            run("tmux new-session -d -s dev 'npm run dev'\ntmux split-window -h -c \"$PWD/api\"\ntmux send-keys 'air -c air.toml' Enter\n"),
            vec![
                ("/r".into(), "npm run dev".into()),
                ("/r/api".into(), "air -c air.toml".into())
            ]
        );
        assert_eq!(
            run("tmux new -d -s s \\; send-keys 'cd cmd/api' C-m \\; splitw -c '#{pane_current_path}' air\n"),
            vec![
                ("/r".into(), "cd cmd/api".into()),
                ("/r/cmd/api".into(), "air".into())
            ]
        );
        assert_eq!(
            run("cd services\ntmux new-session -d -s s -c api\ntmux new-window -t s -n w\ntmux send-keys -t s:w air C-m\n"),
            vec![("/r/services/api".into(), "air".into())]
        );
        assert!(run("tmux new-session -d -s s -c \"$DIR\"\ntmux send-keys air C-m\n").is_empty());
    }
}
