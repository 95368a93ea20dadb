//! Where a build step's program comes from when it is not simply on PATH, for
//! [`super::tools`]: a task runner that itself starts air with the config (whoever starts air
//! through `mage dev` or `mise x -- ...` has mage or mise), the program a tool manager runs
//! (`mise x -- templ generate` runs templ, which mise provides only when its config lists it),
//! and a program named by a relative path (`./bin/tailwindcss`) the checkout must hold.

use super::config_file::AirFile;
use crate::reloaders::air::launch::Kind;
use std::path::{Path, PathBuf};

/// Task runners and tool managers, with the kind of launcher their own file is read as.
const RUNNERS: &[(&str, Kind)] = &[
    ("mage", Kind::Mage),
    ("mise", Kind::Mise),
    ("task", Kind::Taskfile),
    ("just", Kind::Justfile),
    ("make", Kind::Makefile),
];

/// The files a runner reads, whose presence says the repository is run with it.
fn own_files(program: &str) -> &'static [&'static str] {
    match program {
        "mage" => &["magefile.go", "magefiles"],
        "mise" => &[
            "mise.toml",
            ".mise.toml",
            ".config/mise.toml",
            "mise/config.toml",
            ".config/mise/config.toml",
        ],
        "task" => super::task_runners::TASKFILES,
        "just" => super::task_runners::JUSTFILES,
        "make" => super::task_runners::MAKEFILES,
        _ => &[],
    }
}

/// How the user who starts air with this config surely has `program`, a task runner: a
/// launcher of this config is that runner's own file (a magefile target, a mise task); or
/// the config has no launcher and the repository's only launchers are that runner's; or the
/// runner's file is in the repository and its README runs the runner (`mise x -- go run
/// ./cmd/dev`). None: a user may well lack it.
pub(super) fn started_through(f: &AirFile, program: &str) -> Option<String> {
    let kind = RUNNERS.iter().find(|(p, _)| *p == program)?.1;
    let host = |l: &&crate::reloaders::air::launch::LaunchContext| l.container.is_none();
    if let Some(l) = f
        .launches
        .iter()
        .filter(host)
        .find(|l| l.launcher.kind == kind)
    {
        return Some(format!(
            "{} starts air with it through {program}",
            l.describe()
        ));
    }
    // The README runs the project through the runner whose file the repository holds: its
    // launchers (a Go dev runner, ktnyt/GoWebStack's `mise x -- go run ./cmd/dev`) are
    // started through it.
    let documented = || {
        if !own_files(program).iter().any(|n| f.repo.join(n).exists()) {
            return None;
        }
        let (doc, line, command) = crate::reloaders::air::launch::documented_run(&f.repo, program)?;
        let doc = f.ctx.project.display_path(&doc);
        Some(format!(
            "{doc}:{line} starts the project through {program} (`{command}`)"
        ))
    };
    if !f.launches.is_empty() {
        return documented();
    }
    let all = &f.ctx.project.launches.contexts;
    if !all.is_empty() && all.iter().all(|l| host(&l) && l.launcher.kind == kind) {
        return Some(format!(
            "the repository starts air only through {program} ({})",
            all[0].describe()
        ));
    }
    documented()
}

/// The command a tool manager runs for `words` (`mise x -- templ generate`, `mise exec
/// node@20 -- npm run build`): its words after `--`. None for any other command.
pub(super) fn mise_exec(words: &[String]) -> Option<Vec<String>> {
    let w = crate::shell::program_words(words);
    if crate::shell::program(w) != "mise"
        || !matches!(w.get(1).map(String::as_str), Some("x" | "exec"))
    {
        return None;
    }
    let dash = w.iter().position(|a| a == "--")?;
    let rest = w.get(dash + 1..)?.to_vec();
    (!rest.is_empty()).then_some(rest)
}

/// The mise configs in `dir` and each folder up to `repo` (mise reads them all), with the
/// tools each lists.
fn mise_tools(dir: &Path, repo: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = vec![];
    let mut at = Some(dir);
    while let Some(d) = at {
        for name in own_files("mise") {
            let p = d.join(name);
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let tools = crate::reloaders::air::launch::mise_tools(&text);
            out.push((p, tools));
        }
        let p = d.join(".tool-versions");
        if let Ok(text) = std::fs::read_to_string(&p) {
            let tools = text
                .lines()
                .filter_map(|l| l.split_whitespace().next())
                .filter(|w| !w.starts_with('#'))
                .map(String::from)
                .collect();
            out.push((p, tools));
        }
        if d == repo {
            break;
        }
        at = d.parent().filter(|p| p.starts_with(repo));
    }
    out
}

/// Whether a mise tool entry provides `program`: `templ`, `go:github.com/a-h/templ/cmd/templ`,
/// `aqua:a-h/templ`, `npm:tailwindcss@3`.
fn provides(tool: &str, program: &str) -> bool {
    let t = tool.rsplit(':').next().unwrap_or(tool);
    let t = t.split('@').next().unwrap_or(t);
    t == program || t.rsplit('/').next() == Some(program) || COMPANIONS.contains(&(t, program))
}

/// Programs a tool brings beside its own (`bun` brings `bunx`).
const COMPANIONS: &[(&str, &str)] = &[
    ("bun", "bunx"),
    ("node", "npm"),
    ("node", "npx"),
    ("nodejs", "npm"),
    ("nodejs", "npx"),
    ("go", "gofmt"),
    ("golang", "gofmt"),
    ("python", "pip"),
    ("python", "python3"),
    ("deno", "deno"),
];

/// Whether go.mod in `dir` (or up to `repo`) has a `tool` directive for `program`.
fn go_tool(dir: &Path, repo: &Path, program: &str) -> bool {
    let mut at = Some(dir);
    while let Some(d) = at {
        if let Ok(text) = std::fs::read_to_string(d.join("go.mod")) {
            let mut block = false;
            for line in text.lines() {
                let l = line.trim();
                let path = if block {
                    if l.starts_with(')') {
                        block = false;
                        continue;
                    }
                    l
                } else if l == "tool (" {
                    block = true;
                    continue;
                } else if let Some(p) = l.strip_prefix("tool ") {
                    p
                } else {
                    continue;
                };
                let path = path.split_whitespace().next().unwrap_or("");
                if path.rsplit('/').next() == Some(program) {
                    return true;
                }
            }
            return false;
        }
        if d == repo {
            break;
        }
        at = d.parent().filter(|p| p.starts_with(repo));
    }
    false
}

/// What mise lists, when it does not provide `program` run in `dir`: "mise.toml's [tools]
/// lists only bun, go" (or that no mise config is there). None when a mise config lists it,
/// or go.mod has a `tool` line for it.
pub(super) fn mise_lacks(f: &AirFile, dir: &Path, program: &str) -> Option<String> {
    if go_tool(dir, &f.repo, program) {
        return None;
    }
    let configs = mise_tools(dir, &f.repo);
    if configs
        .iter()
        .any(|(_, tools)| tools.iter().any(|t| provides(t, program)))
    {
        return None;
    }
    let listed: Vec<String> = configs
        .iter()
        .map(|(p, tools)| {
            let name = f.ctx.project.display_path(p);
            match tools.is_empty() {
                true => format!("{name} lists no tools"),
                false => format!("{name} lists only {}", tools.join(", ")),
            }
        })
        .collect();
    Some(match listed.is_empty() {
        true => "no mise config lists it".to_string(),
        false => format!("{} (no {program})", listed.join("; ")),
    })
}

/// A relative program path (`./bin/tailwindcss`, `bin/tailwindcss`) a build step runs in
/// `dir` that is not in the checkout and nothing in the build writes: what says why (the
/// .gitignore line that keeps it out, the make target that downloads it). None when it is
/// there, or may be made before it runs.
pub(super) fn missing_relative(f: &AirFile, dir: &Path, first: &str) -> Option<String> {
    if first.starts_with(['/', '~', '$', '`', '(']) || first.contains(['$', '{', '*', '\\']) {
        return None;
    }
    let path = crate::filepath::clean(&dir.join(first));
    if path.exists() || !path.starts_with(&f.repo) {
        return None;
    }
    let rel = path
        .strip_prefix(&f.repo)
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    // Made by the build itself (`go build -o ./bin/x && ./bin/x`), or air's own bin and tmp_dir.
    let b = &f.ctx.project.air.build;
    let tail = rel.trim_start_matches("./").to_string();
    let mentioned = |line: &str| {
        line.split(|c: char| c.is_whitespace() || "=;&|\"'".contains(c))
            .filter(|w| *w != first)
            .any(|w| w.trim_start_matches("./").ends_with(&tail))
    };
    let tmp = f
        .ctx
        .project
        .air
        .tmp_dir
        .trim_start_matches("./")
        .to_string();
    if b.pre_cmd.iter().any(|l| mentioned(l))
        || mentioned(&b.cmd)
        || b.bin.trim_start_matches("./") == first.trim_start_matches("./")
        || (!tmp.is_empty() && rel.starts_with(&format!("{tmp}/")))
    {
        return None;
    }
    // Another step that may make it (a task runner's recipe, a script): not judged.
    let makers = [
        "make", "task", "just", "mage", "mise", "npm", "pnpm", "yarn", "bun", "sh", "bash",
    ];
    if super::commands::build_steps(f).iter().any(|s| {
        let p = s.program();
        makers.contains(&p)
            || p.ends_with(".sh")
            || s.words
                .first()
                .is_some_and(|w| w != first && w.contains('/'))
    }) {
        return None;
    }
    let mut why = vec![];
    if let Some((file, line, pattern)) = ignored_by(&f.repo, &rel) {
        why.push(format!("{file}:{line} ignores it (`{pattern}`)"));
    }
    match download_target(&f.repo, &tail) {
        Some((target, line, only_mac)) => why.push(format!(
            "the Makefile's `{target}` target (Makefile:{line}) downloads it{}",
            match only_mac {
                true => ", but only macOS (darwin) builds of it",
                false => "",
            }
        )),
        None => why.push("nothing in the repository downloads or builds it".to_string()),
    }
    Some(why.join("; "))
}

/// The .gitignore line (file, line, pattern) that ignores `rel` (repository-relative): one
/// naming the file, or a folder it is in.
fn ignored_by(repo: &Path, rel: &str) -> Option<(String, usize, String)> {
    let text = std::fs::read_to_string(repo.join(".gitignore")).ok()?;
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, line) in text.lines().enumerate() {
        let p = line.trim();
        if p.is_empty() || p.starts_with(['#', '!']) {
            continue;
        }
        let bare = p.trim_start_matches('/').trim_end_matches('/');
        let hit = bare == rel
            || (!p.trim_end_matches('/').contains('/') || p.starts_with('/'))
                && !bare.contains('/')
                && parts.iter().enumerate().any(|(k, part)| {
                    *part == bare
                        && (k + 1 < parts.len() || !p.ends_with('/'))
                        && (!p.starts_with('/') || k == 0)
                });
        if hit {
            return Some((".gitignore".into(), i + 1, p.to_string()));
        }
    }
    None
}

/// The Makefile target whose recipe downloads `tail` (names it and runs curl or wget), with
/// its line and whether every download it names is a macOS (darwin) build.
fn download_target(repo: &Path, tail: &str) -> Option<(String, usize, bool)> {
    let text = ["Makefile", "makefile", "GNUmakefile"]
        .iter()
        .find_map(|n| std::fs::read_to_string(repo.join(n)).ok())?;
    let mut targets: Vec<(String, usize, String)> = vec![];
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('\t') {
            if let Some(t) = targets.last_mut() {
                t.2.push_str(line);
                t.2.push('\n');
            }
        } else if let Some((name, _)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty()
                && !name.contains(['=', ' ', '$', '\t', '#'])
                && !line.contains(":=")
            {
                targets.push((name.to_string(), i + 1, String::new()));
            }
        }
    }
    targets.into_iter().find_map(|(name, line, recipe)| {
        let downloads = recipe.contains("curl") || recipe.contains("wget");
        (downloads && recipe.contains(tail)).then(|| {
            let lower = recipe.to_ascii_lowercase();
            let mac = lower.contains("macos") || lower.contains("darwin");
            let only_mac = mac && !lower.contains("linux");
            (name, line, only_mac)
        })
    })
}
