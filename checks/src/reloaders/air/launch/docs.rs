//! The install commands of a repository's documents: `README*.md` and `CONTRIBUTING*.md` at
//! the top and one folder down (a project's own folder) or deeper beside an air config, and
//! the `.md` files of `docs/`. Only
//! what is written as a command is read: the lines of a fenced code block (a `$ ` prompt
//! dropped), a `$ ` prompt line, an inline code span, and a line that is itself a `go` command
//! without code markup (a quote, a list item, an indented block, after a `label:`); prose naming
//! the module path mid-sentence is not a command. These are no launchers (nothing here says where or how air runs); they are read
//! only for the installs of air's old module path that go refuses ([`super::versions::renamed`]):
//! a reader who follows them gets no air.

use super::RenamedInstall;
use crate::reloaders::air::versions::renamed_installs;
use std::path::{Path, PathBuf};

/// Larger documents are not read.
const MAX_DOC_BYTES: u64 = 256 * 1024;
/// At most this many documents.
const MAX_DOCS: usize = 60;
/// Folders below the first level are read this deep, at most this many.
const MAX_DEPTH: usize = 4;
const MAX_FOLDERS: usize = 400;

/// The documents of `repo` that may tell how to install air, sorted.
fn documents(repo: &Path) -> Vec<PathBuf> {
    let is_doc = |name: &str, in_docs: bool| {
        let lower = name.to_ascii_lowercase();
        lower.ends_with(".md")
            && (in_docs || lower.starts_with("readme") || lower.starts_with("contributing"))
    };
    let listed = |dir: &Path| -> Vec<(PathBuf, bool)> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return vec![];
        };
        let mut out: Vec<(PathBuf, bool)> = entries
            .flatten()
            .filter_map(|e| {
                let t = e.file_type().ok()?;
                Some((e.path(), t.is_dir()))
            })
            .collect();
        out.sort();
        out
    };
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let skipped = |name: &str| {
        name.starts_with('.') || matches!(name, "node_modules" | "vendor" | "testdata")
    };
    let mut out = vec![];
    let mut folders = vec![];
    for (p, dir) in listed(repo) {
        let name = name_of(&p);
        match dir {
            true if !skipped(&name) => folders.push(p),
            false if is_doc(&name, false) => out.push(p),
            _ => {}
        }
    }
    // Deeper folders, read only when they hold an air config: the README beside the config
    // sets up the launch judged there (DistroByte/prospector's src/api/README.md).
    let mut deeper: Vec<(PathBuf, usize)> = vec![];
    for folder in folders {
        let in_docs = name_of(&folder).eq_ignore_ascii_case("docs");
        for (p, dir) in listed(&folder) {
            if dir && !skipped(&name_of(&p)) {
                deeper.push((p, 2));
            } else if !dir && is_doc(&name_of(&p), in_docs) {
                out.push(p);
            }
        }
    }
    let mut walked = 0;
    while let Some((folder, depth)) = deeper.pop() {
        walked += 1;
        if walked > MAX_FOLDERS {
            break;
        }
        let entries = listed(&folder);
        let has_config = entries.iter().any(|(p, dir)| {
            let n = name_of(p).to_ascii_lowercase();
            !dir && n.ends_with(".toml") && n.contains("air")
        });
        for (p, dir) in entries {
            let name = name_of(&p);
            if dir && depth < MAX_DEPTH && !skipped(&name) {
                deeper.push((p, depth + 1));
            } else if !dir && has_config && is_doc(&name, false) {
                out.push(p);
            }
        }
    }
    out.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= MAX_DOC_BYTES));
    out.truncate(MAX_DOCS);
    out
}

/// The command texts of a Markdown document, each with the line it starts on: each fenced
/// code block as one text (so a `\` continuation is read as the shell reads it), each `$ `
/// prompt line and each inline code span outside them.
pub(super) fn commands(text: &str) -> Vec<(usize, String)> {
    let mut out = vec![];
    let mut fence: Option<(String, usize, String)> = None;
    let prompt = |l: &str| {
        let t = l.trim_start();
        ["$ ", "% ", "> "]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .unwrap_or(t)
            .to_string()
    };
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (&mut fence, marker) {
            (Some((open, _, _)), Some(m)) if m == open => {
                let (_, at, block) = fence.take().unwrap_or_default();
                out.push((at, block));
            }
            (Some((_, _, block)), _) => {
                block.push_str(&prompt(line));
                block.push('\n');
            }
            (None, Some(m)) => fence = Some((m.to_string(), i + 2, String::new())),
            (None, None) => {
                if t.starts_with("$ ") {
                    out.push((i + 1, prompt(line)));
                    continue;
                }
                if let Some(command) = go_line(line) {
                    out.push((i + 1, command));
                    continue;
                }
                // Inline code spans: `...` (a span of more backticks is left alone).
                let parts: Vec<&str> = line.split('`').collect();
                for span in parts
                    .iter()
                    .skip(1)
                    .step_by(2)
                    .take(parts.len().saturating_sub(1) / 2)
                {
                    if !span.is_empty() {
                        out.push((i + 1, span.to_string()));
                    }
                }
            }
        }
    }
    out
}

/// A line outside code that is itself a `go` command, as documents write them without code
/// markup: in a quote (`> go install ...`), a list item, after a label ending in a colon
/// (`Install: go install ...`, also the full-width `：`), with a trailing `<br>`. Prose that
/// merely names a command mid-sentence is none, nor is an indented line (it may continue a
/// list item's text).
fn go_line(line: &str) -> Option<String> {
    if line.starts_with("    ") || line.starts_with('\t') {
        return None;
    }
    let mut t = line.trim();
    loop {
        let before = t;
        t = t.trim_start_matches('>').trim_start();
        for marker in ["- ", "* ", "+ ", "$ "] {
            if let Some(rest) = t.strip_prefix(marker) {
                t = rest.trim_start();
            }
        }
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            if let Some(rest) = t[digits..].strip_prefix(['.', ')']) {
                t = rest.trim_start();
            }
        }
        if t == before {
            break;
        }
    }
    // `<br>`, `<br/>`, `<br />` at the end (tables and quotes written for HTML line breaks).
    while let Some(open) = t.rfind('<') {
        let tag = t[open..].to_ascii_lowercase().replace([' ', '/'], "");
        if tag != "<br>" {
            break;
        }
        t = t[..open].trim_end();
    }
    let is_go = |s: &str| s.starts_with("go ");
    if is_go(t) {
        return Some(t.to_string());
    }
    // A label: the text after the first colon, when it is the whole command.
    let after = t
        .split_once('：')
        .map(|(_, r)| r)
        .or_else(|| t.split_once(": ").map(|(_, r)| r))?
        .trim_start();
    is_go(after).then(|| after.to_string())
}

/// The installs of air's old module path that the repository's documents tell the reader to
/// run, each at its line.
pub(super) fn installs(repo: &Path, read: &dyn Fn(&Path) -> Option<String>) -> Vec<RenamedInstall> {
    let mut out = vec![];
    for doc in documents(repo) {
        let Some(text) = read(&doc) else { continue };
        if !text.contains("cosmtrek/air") {
            continue;
        }
        let file = doc.strip_prefix(repo).unwrap_or(&doc).display().to_string();
        for (at, command_text) in commands(&text) {
            for (line_in, command) in renamed_installs(&command_text, None) {
                // `install air: go install ...` in a block: the command is from `go` on.
                let words: Vec<&str> = command.split(' ').collect();
                let from = words.iter().position(|w| *w == "go").unwrap_or(0);
                let command = words[from..].join(" ");
                out.push(RenamedInstall {
                    file: file.clone(),
                    line: at + line_in.saturating_sub(1),
                    what: None,
                    command,
                    go: None,
                    image_of: None,
                    old_go: None,
                    then: Some(": whoever follows it gets no air".into()),
                    read_alone: false,
                    unbuilt: false,
                    dead: None,
                    tool: None,
                    air_in: vec![],
                });
            }
        }
    }
    out
}

/// The first command of the repository's documents (README, CONTRIBUTING, docs/) that runs
/// `program` (`mise x -- go run ./cmd/dev` for mise): the document, its line and the command.
pub fn documented_run(repo: &Path, program: &str) -> Option<(PathBuf, usize, String)> {
    // A command that runs something through it (`mise x -- go run .`) before a setup one
    // (`mise install`).
    let mut setup: Option<(PathBuf, usize, String)> = None;
    for doc in documents(repo) {
        let Ok(text) = crate::system::files::read_to_string(&doc) else {
            continue;
        };
        if !text.contains(program) {
            continue;
        }
        for (line, command) in commands(&text) {
            let mut hits: Vec<(usize, String)> = vec![];
            crate::shell::parse(&command).walk(true, &mut |s, _| {
                if crate::shell::program(&s.words) == program {
                    hits.push((s.line, s.words.join(" ")));
                }
            });
            for (at, hit) in hits {
                let second = hit.split_whitespace().nth(1).unwrap_or("");
                let line = line + at.saturating_sub(1);
                if !matches!(
                    second,
                    "install" | "trust" | "use" | "--version" | "version"
                ) {
                    return Some((doc, line, hit));
                }
                setup.get_or_insert((doc.clone(), line, hit));
            }
        }
    }
    setup
}

/// The `air -c FILE` runs in `dir` that its README or docs/ guides write, FILE inside `dir`
/// and there (the launch of a config in a subfolder that no launcher names: `air -c
/// ./cmd/app/air.toml` in the module root).
pub fn documented_calls(dir: &Path) -> Vec<DocumentedCall> {
    readme_calls(dir)
        .into_iter()
        .filter(|c| c.path.is_file())
        .collect()
}

/// The configs a README in `dir` tells the reader to run there (`air -c .air.debug.toml` in a
/// code block or after a prompt): files beside it that exist, each once, in the order written.
/// No launcher, but the documented way to start air with them, so they are judged.
pub fn documented_configs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = vec![];
    for call in readme_calls(dir) {
        if call.path.is_file() && !out.contains(&call.path) {
            out.push(call.path);
        }
    }
    out
}

/// A README's `air -c FILE` run in the README's own folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedCall {
    /// The README.
    pub doc: PathBuf,
    /// The line the command is on.
    pub line: usize,
    /// FILE as written.
    pub arg: String,
    /// FILE from the README's folder.
    pub path: PathBuf,
}

/// The `air -c FILE` commands a README in `dir` runs whose FILE is not there: air stops at
/// start ("no such file or directory", runner/config.go's InitConfig returns the read error).
/// None where the file is made first: a template of it beside it (`.air.toml.example`, each
/// developer's copy), or the README's own commands write it (`air init`, `cp x FILE`).
pub fn documented_missing(dir: &Path) -> Vec<DocumentedCall> {
    let made = |c: &DocumentedCall| {
        let Some(name) = c.path.file_name().map(|n| n.to_string_lossy().to_string()) else {
            return true;
        };
        let template = c
            .path
            .parent()
            .and_then(|d| std::fs::read_dir(d).ok())
            .is_some_and(|entries| {
                entries
                    .flatten()
                    .any(|e| super::is_template_of(&e.path(), &c.arg))
            });
        let written = crate::system::files::read_to_string(&c.doc).is_ok_and(|text| {
            commands(&text).iter().any(|(_, command)| {
                command.lines().any(|l| {
                    let words: Vec<&str> = l.split_whitespace().collect();
                    let init = words
                        .windows(2)
                        .any(|w| w[0].ends_with("air") && w[1] == "init");
                    let copy = matches!(words.first(), Some(&("cp" | "mv" | "ln" | "touch")))
                        && words.last().is_some_and(|w| w.ends_with(&name));
                    init || copy
                })
            })
        });
        template || written
    };
    readme_calls(dir)
        .into_iter()
        .filter(|c| !c.path.exists() && !made(c))
        .collect()
}

/// The `.md` files of `dir/docs` and its folders (at most [`MAX_DEPTH`] deep), sorted: a
/// project's own guides (hiyoko9513/go_fiber_onionarchitecture's docs/markdown/quick-start.md),
/// whose commands run in `dir`, as its README's do.
fn guides(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut folders = vec![(dir.join("docs"), 1)];
    let mut walked = 0;
    while let Some((folder, depth)) = folders.pop() {
        walked += 1;
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        if walked > MAX_FOLDERS {
            break;
        }
        for e in entries.flatten() {
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            match e.file_type() {
                Ok(t) if t.is_dir() && !hidden && depth < MAX_DEPTH => folders.push((p, depth + 1)),
                Ok(t)
                    if t.is_file()
                        && e.file_name()
                            .to_string_lossy()
                            .to_ascii_lowercase()
                            .ends_with(".md") =>
                {
                    out.push(p)
                }
                _ => {}
            }
        }
    }
    out.sort();
    out.truncate(MAX_DOCS);
    out
}

/// Every `air -c FILE` (a literal FILE inside `dir`) the READMEs of `dir` and the guides in its
/// docs/ run in `dir`, in the order written.
fn readme_calls(dir: &Path) -> Vec<DocumentedCall> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut docs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy().to_ascii_lowercase();
                n.starts_with("readme") && n.ends_with(".md")
            })
        })
        .collect();
    docs.sort();
    docs.extend(guides(dir));
    docs.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() <= MAX_DOC_BYTES));
    let mut out: Vec<DocumentedCall> = vec![];
    for doc in docs {
        let Ok(text) = crate::system::files::read_to_string(&doc) else {
            continue;
        };
        if !text.contains("air") {
            continue;
        }
        for (at, command) in commands(&text) {
            crate::shell::parse(&command).walk(true, &mut |s, scope| {
                if scope.substituted || !scope.dir_known || !scope.dir.as_os_str().is_empty() {
                    return;
                }
                let Some(config) = super::air_call(&s.words).and_then(|a| a.config) else {
                    return;
                };
                if config.is_empty() || config.contains(['$', '{', '%', '`', '<', '*']) {
                    return;
                }
                let path = crate::filepath::clean(&dir.join(&config));
                if path.starts_with(dir) {
                    out.push(DocumentedCall {
                        doc: doc.clone(),
                        line: at + s.line.saturating_sub(1),
                        arg: config,
                        path,
                    });
                }
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shapes documents write a command in without code markup (seen in real READMEs:
    /// a quote with a full-width label and `<br>`, a list item, a label); not an indented line.
    #[test]
    fn go_command_lines_without_code_markup() {
        let md = "## 项目\nair<br>\n>安装：go install github.com/cosmtrek/air@latest<br>\n\n- go install github.com/cosmtrek/air@latest\n\n    go install github.com/cosmtrek/air@latest\n\nInstall air: go install github.com/cosmtrek/air@latest\nThen go install github.com/cosmtrek/air@latest if you like.\n";
        let found: Vec<(usize, Vec<(usize, String)>)> = commands(md)
            .into_iter()
            .map(|(at, t)| (at, renamed_installs(&t, None)))
            .filter(|(_, r)| !r.is_empty())
            .collect();
        let lines: Vec<usize> = found.iter().map(|(at, _)| *at).collect();
        assert_eq!(lines, vec![3, 5, 9], "{found:?}");
        assert_eq!(
            found[0].1,
            vec![(1, "go install github.com/cosmtrek/air@latest".to_string())]
        );
    }

    #[test]
    fn commands_of_code_blocks_prompts_and_spans_not_prose() {
        let md = "# App\nInstall air with go install github.com/cosmtrek/air@latest first.\n\n```bash\n$ go install \\\n    github.com/cosmtrek/air@latest\nair\n```\nor `go get -u github.com/cosmtrek/air` and\n$ go install github.com/cosmtrek/air@v1.52.3\n";
        let found: Vec<(usize, Vec<(usize, String)>)> = commands(md)
            .into_iter()
            .map(|(at, t)| (at, renamed_installs(&t, None)))
            .filter(|(_, r)| !r.is_empty())
            .collect();
        // Not line 2 (prose); the block from line 5, the span on line 9, the prompt on 10.
        assert_eq!(
            found,
            vec![
                (
                    5,
                    vec![(1, "go install github.com/cosmtrek/air@latest".to_string())]
                ),
                (
                    9,
                    vec![(1, "go get -u github.com/cosmtrek/air".to_string())]
                ),
                (
                    10,
                    vec![(1, "go install github.com/cosmtrek/air@v1.52.3".to_string())]
                ),
            ]
        );
    }
}
