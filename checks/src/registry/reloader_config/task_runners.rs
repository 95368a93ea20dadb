//! What `make TARGET` or `npm run SCRIPT` in a build step runs, read from the Makefile or
//! package.json as text. Nothing is executed: `make -n` would still run `$(shell ...)` and
//! recursive `$(MAKE)` lines, which is repository code.

use crate::golang::build_plan::BuildPlan;
use std::path::Path;

/// The files make, task and just read in a folder, in the order they look for them.
pub(super) const MAKEFILES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];
pub(super) const TASKFILES: &[&str] = &[
    "Taskfile.yml",
    "Taskfile.yaml",
    "taskfile.yml",
    "taskfile.yaml",
];
pub(super) const JUSTFILES: &[&str] = &["justfile", "Justfile", ".justfile"];

/// How deep prerequisites and scripts calling scripts are followed.
const MAX_DEPTH: usize = 4;

/// One command line behind a task-runner step, with where it was read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Recipe {
    /// `Makefile:12` or `package.json`.
    pub site: String,
    pub line: String,
    /// The runner skips it while its inputs are unchanged (a Taskfile task with `sources:`,
    /// a make rule for a file with prerequisites): after one rerun it stops writing.
    pub guarded: bool,
    /// make goes on when it fails (a `-` before the recipe line).
    pub ignored: bool,
    /// The folder its line runs in, relative to the step's: empty but for a recipe a
    /// recipe line hands to another runner after a `cd` (`cd web && $(MAKE) css`).
    pub dir: std::path::PathBuf,
}

/// A make target whose recipe make never runs: not `.PHONY`, no prerequisites, and a file
/// or folder of its name exists where make runs, so make says "'docs' is up to date".
#[derive(Debug, Clone, PartialEq)]
pub(super) struct UpToDate {
    /// `Makefile:32`, the target's rule.
    pub site: String,
    pub target: String,
    /// Whether what exists is a folder (`docs/`).
    pub folder: bool,
}

/// What air's `build.cmd` builds, run in `dir`: its own `go build`, else, when cmd is one
/// task-runner command (`mage buildCLIDev`, `make build`), the `go build` its recipes run,
/// when they run exactly one package list named in full (no `$VAR` left in it). The one
/// place that decides; otherwise cmd's own plan, which builds `.` as a guess.
pub(super) fn build_plan(cmd: &str, dir: &Path) -> BuildPlan {
    let own = BuildPlan::parse(cmd);
    let not_go_build = own
        .approximation
        .as_deref()
        .is_some_and(|a| a.contains("not a `go build`"));
    let commands = crate::shell::commands(cmd);
    let [command] = &commands[..] else {
        return own;
    };
    if !not_go_build || command.words.is_empty() {
        return own;
    }
    let mut found: Vec<(BuildPlan, Recipe)> = vec![];
    for r in expand(&command.words, dir) {
        let mut plan = BuildPlan::parse(&r.line);
        let named = !plan
            .approximation
            .as_deref()
            .is_some_and(|a| a.contains("not a `go build`"));
        let known = |w: &str| !w.contains('$') && !w.contains('`');
        if !named
            || !plan.packages.iter().all(|p| known(p))
            || !plan.dir.as_deref().is_none_or(known)
        {
            continue;
        }
        if !r.dir.as_os_str().is_empty() {
            let joined = r.dir.join(plan.dir.as_deref().unwrap_or(""));
            plan.dir = Some(joined.display().to_string());
        }
        let same =
            |p: &BuildPlan| p.packages == plan.packages && p.work_dir(dir) == plan.work_dir(dir);
        if !found.iter().any(|(p, _)| same(p)) {
            found.push((plan, r));
        }
    }
    let [(plan, recipe)] = &found[..] else {
        return own;
    };
    BuildPlan {
        approximation: Some(format!(
            "build.cmd `{cmd}` runs `{}` ({}): its packages were built",
            recipe.line, recipe.site
        )),
        ..plan.clone()
    }
}

/// The commands `words` (one simple command, run in `dir`) hands to a Makefile or
/// package.json; empty when it is neither or they cannot be read. The recipes of make
/// targets that are up to date ([`UpToDate`]) are left out: make never runs them.
pub(super) fn expand(words: &[String], dir: &Path) -> Vec<Recipe> {
    expand_at(words, dir, 0, &mut vec![])
}

/// The make targets behind `words` whose recipes never run ([`UpToDate`]).
pub(super) fn up_to_date(words: &[String], dir: &Path) -> Vec<UpToDate> {
    let mut skipped = vec![];
    expand_at(words, dir, 0, &mut skipped);
    skipped
}

fn expand_at(
    words: &[String],
    dir: &Path,
    depth: usize,
    skipped: &mut Vec<UpToDate>,
) -> Vec<Recipe> {
    if depth > MAX_DEPTH || words.is_empty() {
        return vec![];
    }
    // A recipe may call another runner (`npm run css` in a Makefile): follow it too.
    let mut out = vec![];
    for r in direct(words, dir, skipped) {
        // Each command of the line where it runs (`cd web/admin && $(MAKE) ts` runs make
        // in web/admin): its recipes run there, read from that folder's files.
        let mut calls: Vec<(Vec<String>, std::path::PathBuf)> = vec![];
        crate::shell::parse(&r.line).walk(false, &mut |s, scope| {
            if scope.dir_known {
                let words = s
                    .words
                    .iter()
                    .map(|w| match w.as_str() {
                        "$(MAKE)" | "${MAKE}" => "make".to_string(),
                        _ => w.clone(),
                    })
                    .collect();
                calls.push((words, scope.dir.clone()));
            }
        });
        let nested: Vec<Recipe> = calls
            .iter()
            .flat_map(|(c, at)| {
                let rel = crate::filepath::clean(&r.dir.join(at));
                let rel = if rel.as_os_str() == "." {
                    std::path::PathBuf::new()
                } else {
                    rel
                };
                expand_at(c, &dir.join(at), depth + 1, skipped)
                    .into_iter()
                    .map(move |n| (n, rel.clone()))
            })
            .map(|(n, rel)| Recipe {
                guarded: n.guarded || r.guarded,
                ignored: n.ignored || r.ignored,
                site: match rel.as_os_str().is_empty() {
                    true => n.site.clone(),
                    false => format!("{}/{}", rel.to_string_lossy(), n.site),
                },
                dir: rel.join(&n.dir),
                ..n
            })
            .collect();
        out.push(r);
        out.extend(nested);
    }
    out
}

/// The lines one runner command stands for, not followed further.
fn direct(words: &[String], dir: &Path, skipped: &mut Vec<UpToDate>) -> Vec<Recipe> {
    let program = words[0].rsplit('/').next().unwrap_or(&words[0]);
    match program {
        "make" | "gmake" => {
            let (file, targets) = make_args(&words[1..]);
            let Some((name, text)) = read_makefile(dir, file.as_deref()) else {
                return vec![];
            };
            let rules = make_rules(&text);
            let phony = phony(&text);
            let targets = if targets.is_empty() {
                rules.first().map(|r| vec![r.0.clone()]).unwrap_or_default()
            } else {
                targets
            };
            let mut out = vec![];
            let mut seen = vec![];
            let make = Make {
                rules: &rules,
                phony: &phony,
                file: &name,
                dir: Some(dir),
            };
            for t in targets {
                make.recipes(&t, &mut seen, &mut out, skipped, 0);
            }
            out
        }
        "task" | "go-task" => {
            let target = words[1..]
                .iter()
                .find(|w| !w.starts_with('-') && !w.contains('='))
                .map_or("default", String::as_str);
            let Some((name, text)) = TASKFILES.iter().find_map(|n| {
                Some((
                    n.to_string(),
                    crate::system::files::read_to_string(dir.join(n)).ok()?,
                ))
            }) else {
                return vec![];
            };
            let tasks = taskfile(&text);
            let mut out = vec![];
            task_recipes(&tasks, target, &name, &mut vec![], &mut out, 0);
            out
        }
        "just" => {
            let Some((name, text)) = JUSTFILES.iter().find_map(|n| {
                Some((
                    n.to_string(),
                    crate::system::files::read_to_string(dir.join(n)).ok()?,
                ))
            }) else {
                return vec![];
            };
            // Another folder for the recipes is not followed (their lines run elsewhere).
            if text.contains("working-directory") {
                return vec![];
            }
            let recipes = just_recipes(&text);
            let target = words[1..]
                .iter()
                .find(|w| !w.starts_with('-') && !w.contains('='))
                .cloned()
                .or_else(|| recipes.first().map(|r| r.0.clone()));
            let Some(target) = target else { return vec![] };
            let mut out = vec![];
            let mut seen = vec![];
            let make = Make {
                rules: &recipes,
                phony: &[],
                file: &name,
                dir: None,
            };
            make.recipes(&target, &mut seen, &mut out, &mut vec![], 0);
            // just reruns every recipe: nothing is skipped while its inputs are unchanged.
            out.into_iter()
                .map(|r| Recipe {
                    guarded: false,
                    ..r
                })
                .collect()
        }
        "npm" | "yarn" | "pnpm" | "bun" => {
            let script = match words.get(1).map(String::as_str) {
                Some("run" | "run-script") => words.get(2),
                Some(s) if program != "npm" => Some(&words[1]).filter(|_| !s.starts_with('-')),
                _ => None,
            };
            let Some(script) = script else { return vec![] };
            let Ok(text) = crate::system::files::read_to_string(dir.join("package.json")) else {
                return vec![];
            };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
                return vec![];
            };
            let Some(line) = json["scripts"][script.as_str()].as_str() else {
                return vec![];
            };
            vec![Recipe {
                site: "package.json".into(),
                line: line.to_string(),
                guarded: false,
                ignored: false,
                dir: Default::default(),
            }]
        }
        "mage" => mage_recipes(&words[1..], dir),
        _ => vec![],
    }
}

/// mage's flags that take the next word as their value.
const MAGE_VALUE_FLAGS: &[&str] = &[
    "-t", "-gocmd", "-goos", "-goarch", "-ldflags", "-compile", "-d", "-w",
];

/// The `go` commands of `mage TARGET...` run in `dir`: the magefiles are the `.go` files of
/// `dir/magefiles/` when that folder exists, else the `.go` files of `dir` whose build
/// constraint names `mage` (`//go:build mage`). Read as text, never compiled or run. Another
/// folder (`-d`, `-w`) is not followed.
fn mage_recipes(args: &[String], dir: &Path) -> Vec<Recipe> {
    let mut targets = vec![];
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "-d" || a == "-w" {
            return vec![];
        }
        if MAGE_VALUE_FLAGS.contains(&a.as_str()) {
            i += 1;
        } else if !a.starts_with('-') {
            targets.push(a.clone());
        }
    }
    let folder = dir.join("magefiles");
    let (from, prefix, all) = match folder.is_dir() {
        true => (folder, "magefiles/", true),
        false => (dir.to_path_buf(), "", false),
    };
    let Ok(entries) = std::fs::read_dir(&from) else {
        return vec![];
    };
    let mut files: Vec<(String, String)> = crate::golang::source::go_sources(entries)
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let text = crate::system::files::read_to_string(&p).ok()?;
            let name = p.file_name()?.to_string_lossy().to_string();
            Some((format!("{prefix}{name}"), text))
        })
        .filter(|(_, text)| all || is_magefile(text))
        .collect();
    files.sort();
    let go = |w: &[String]| w.first().is_some_and(|p| p == "go");
    targets
        .iter()
        .flat_map(|t| crate::reloaders::air::launch::magefile::target_runs(&files, t, &go))
        .map(|(site, line)| Recipe {
            site,
            line,
            guarded: false,
            ignored: false,
            dir: Default::default(),
        })
        .collect()
}

/// A Go file whose build constraint (before `package`) names the `mage` tag.
fn is_magefile(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("package "))
        .any(|l| {
            (l.starts_with("//go:build") || l.starts_with("// +build"))
                && l.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|w| w == "mage")
        })
}

/// `-f FILE` and the targets of a make command line (variable assignments skipped).
fn make_args(args: &[String]) -> (Option<String>, Vec<String>) {
    let mut file = None;
    let mut targets = vec![];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-f" || a == "--file" {
            file = it.next().cloned();
        } else if let Some(f) = a.strip_prefix("--file=") {
            file = Some(f.to_string());
        } else if a == "-C" {
            it.next(); // another folder: not followed
            return (Some("\0".into()), vec![]);
        } else if !a.starts_with('-') && !a.contains('=') {
            targets.push(a.clone());
        }
    }
    (file, targets)
}

fn read_makefile(dir: &Path, file: Option<&str>) -> Option<(String, String)> {
    let names: Vec<&str> = match file {
        Some(f) => vec![f],
        None => MAKEFILES.to_vec(),
    };
    names.into_iter().find_map(|n| {
        let text = crate::system::files::read_to_string(dir.join(n)).ok()?;
        Some((n.to_string(), text))
    })
}

/// (target, prerequisites, recipe lines with their 1-based line numbers and whether make
/// ignores their failure, the rule's own line), in file order.
type Rule = (String, Vec<String>, Vec<(usize, String, bool)>, usize);

/// The targets `.PHONY` lists.
fn phony(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix(".PHONY:"))
        .flat_map(|l| l.split_whitespace().map(str::to_string))
        .collect()
}

fn make_rules(text: &str) -> Vec<Rule> {
    let mut rules: Vec<Rule> = vec![];
    let mut current: Vec<usize> = vec![];
    let raw: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < raw.len() {
        let mut line = raw[i].to_string();
        let first = i;
        // A recipe line ending in `\` goes on on the next line: make hands them to one
        // shell together (sh drops the backslash-newline, also inside double quotes).
        if line.starts_with('\t') {
            while line.ends_with('\\') && i + 1 < raw.len() {
                line.pop();
                i += 1;
                line.push(' ');
                line.push_str(raw[i].trim_start());
            }
        }
        i += 1;
        let (i, line) = (first, line.as_str());
        if let Some(recipe) = line.strip_prefix('\t') {
            let bare = recipe.trim_start_matches(['@', '-', '+', ' ', '\t']);
            let ignored = recipe[..recipe.len() - bare.len()].contains('-');
            let recipe = bare.trim();
            for &r in &current {
                if !recipe.is_empty() && !recipe.starts_with('#') {
                    rules[r].2.push((i + 1, recipe.to_string(), ignored));
                }
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        current.clear();
        // `target another: prereqs` (not `VAR := value`, not `VAR = a:b`).
        let Some((head, tail)) = line.split_once(':') else {
            continue;
        };
        if tail.starts_with('=') || head.contains('=') || head.trim().starts_with('.') {
            continue;
        }
        // `bdebug: BUILD_MODE = debug`: a variable for that target, not a rule.
        if tail.split(';').next().unwrap_or("").contains('=') {
            continue;
        }
        let prereqs: Vec<String> = tail
            .split(';')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .filter(|p| *p != "|")
            .map(str::to_string)
            .collect();
        for target in head.split_whitespace() {
            current.push(rules.len());
            rules.push((target.to_string(), prereqs.clone(), vec![], i + 1));
        }
    }
    rules
}

/// A justfile's recipes as make rules: `name arg: dep (dep2 'x')` at the left margin, its
/// indented body lines (`@`/`-` prefixes as make's); a shebang recipe's body is one script,
/// left out.
fn just_recipes(text: &str) -> Vec<Rule> {
    let mut rules: Vec<Rule> = vec![];
    let mut current: Option<usize> = None;
    let mut shebang = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if line.starts_with([' ', '\t']) {
            let Some(r) = current else { continue };
            if t.starts_with("#!") && rules[r].2.is_empty() {
                shebang = true;
            }
            if shebang || t.is_empty() || t.starts_with('#') {
                continue;
            }
            let bare = t.trim_start_matches(['@', '-', ' ']);
            let ignored = t[..t.len() - bare.len()].contains('-');
            rules[r].2.push((i + 1, bare.to_string(), ignored));
            continue;
        }
        if t.is_empty() || t.starts_with('#') || t.starts_with('[') {
            continue;
        }
        current = None;
        shebang = false;
        let Some((head, tail)) = t.split_once(':') else {
            continue;
        };
        if tail.starts_with('=') || head.contains(['=', '{']) {
            continue;
        }
        let mut head = head.trim_start_matches('@').split_whitespace();
        let Some(name) = head.next() else { continue };
        if matches!(name, "set" | "alias" | "export" | "import" | "mod") {
            continue;
        }
        // `dep`, `(dep 'arg')`: the recipe's name.
        let deps: Vec<String> = tail
            .split("&&")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .filter(|w| !w.starts_with(['\'', '"']) && !w.ends_with(')') || w.starts_with('('))
            .map(|w| w.trim_start_matches('(').trim_end_matches(')').to_string())
            .filter(|w| !w.is_empty())
            .collect();
        current = Some(rules.len());
        rules.push((name.to_string(), deps, vec![], i + 1));
    }
    rules
}

/// One Makefile (or justfile, read as one) whose targets are followed.
struct Make<'a> {
    rules: &'a [Rule],
    phony: &'a [String],
    file: &'a str,
    /// Where make runs, to tell the targets that are up to date; None for just, which
    /// runs every recipe.
    dir: Option<&'a Path>,
}

impl Make<'_> {
    fn recipes(
        &self,
        target: &str,
        seen: &mut Vec<String>,
        out: &mut Vec<Recipe>,
        skipped: &mut Vec<UpToDate>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || seen.iter().any(|s| s == target) {
            return;
        }
        seen.push(target.to_string());
        // One target may have several rules (`bdebug: i` and another line adding
        // prerequisites): make joins their prerequisites; one of them has the recipe.
        let named: Vec<&Rule> = self.rules.iter().filter(|r| r.0 == target).collect();
        if named.is_empty() {
            return;
        }
        let prereqs: Vec<String> = named.iter().flat_map(|r| r.1.clone()).collect();
        let recipe: Vec<(usize, String, bool)> = named.iter().flat_map(|r| r.2.clone()).collect();
        let phony = self.phony.iter().any(|p| p == target);
        // No prerequisites, not .PHONY, and its file exists: make says "'docs' is up to
        // date" and never runs the recipe.
        if let (Some(dir), false, true, false) =
            (self.dir, phony, prereqs.is_empty(), recipe.is_empty())
        {
            let path = dir.join(target);
            if !target.contains(['%', '$']) && path.exists() {
                let rule = named.iter().find(|r| !r.2.is_empty()).unwrap_or(&named[0]);
                skipped.push(UpToDate {
                    site: format!("{}:{}", self.file, rule.3),
                    target: target.to_string(),
                    folder: path.is_dir(),
                });
                return;
            }
        }
        for p in &prereqs {
            self.recipes(p, seen, out, skipped, depth + 1);
        }
        // make reruns a rule for a file only when a prerequisite is newer.
        let guarded =
            !prereqs.is_empty() && !phony && (target.contains('.') || target.contains('/'));
        for (line, text, ignored) in recipe {
            out.push(Recipe {
                site: format!("{}:{line}", self.file),
                line: text,
                guarded,
                ignored,
                dir: Default::default(),
            });
        }
    }
}

/// A task of a Taskfile: its deps, its commands (line, text; `task: x` entries are kept as
/// `task x`), and whether it has `sources:` (then task skips it while they are unchanged).
type Task = (String, Vec<String>, Vec<(usize, String)>, bool);

/// The `tasks:` of a Taskfile, read by indentation (the subset people write: `cmds:` lists of
/// strings, `- cmd: ...`, `- task: ...`, `deps:` lists or `[a, b]`).
fn taskfile(text: &str) -> Vec<Task> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let unquote = |v: &str| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
    let mut tasks: Vec<Task> = vec![];
    let mut in_tasks = false;
    let mut task_indent = None;
    let mut section = "";
    let mut field_indent = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let n = indent(line);
        if n == 0 {
            in_tasks = t == "tasks:";
            task_indent = None;
            continue;
        }
        if !in_tasks {
            continue;
        }
        let ti = *task_indent.get_or_insert(n);
        if n == ti {
            if let Some(name) = t.strip_suffix(':') {
                tasks.push((unquote(name), vec![], vec![], false));
            }
            section = "";
            field_indent = None;
            continue;
        }
        let Some(task) = tasks.last_mut() else {
            continue;
        };
        if let Some(rest) = t.strip_prefix("- ") {
            let rest = rest.trim();
            match section {
                "cmds" => {
                    if let Some(v) = rest.strip_prefix("cmd:") {
                        task.2.push((i + 1, unquote(v)));
                    } else if let Some(v) = rest.strip_prefix("task:") {
                        task.2.push((i + 1, format!("task {}", unquote(v))));
                    } else if !rest.ends_with('|') && !rest.ends_with('>') && !rest.contains(": ") {
                        task.2.push((i + 1, unquote(rest)));
                    }
                }
                "deps" => task
                    .1
                    .push(unquote(rest.strip_prefix("task:").unwrap_or(rest))),
                _ => {}
            }
            continue;
        }
        if let Some((key, value)) = t.split_once(':') {
            // A key deeper than the task's own (`vars:` under `- task: build`) belongs to
            // the list item above it, not a new section.
            if n != *field_indent.get_or_insert(n) {
                continue;
            }
            section = match key.trim() {
                "cmds" => "cmds",
                "deps" => "deps",
                "sources" => {
                    task.3 = true;
                    ""
                }
                _ => "",
            };
            let value = value.trim();
            if section == "deps" && value.starts_with('[') {
                task.1.extend(
                    value
                        .trim_matches(|c| c == '[' || c == ']')
                        .split(',')
                        .map(unquote)
                        .filter(|d| !d.is_empty()),
                );
            }
        }
    }
    tasks
}

fn task_recipes(
    tasks: &[Task],
    name: &str,
    file: &str,
    seen: &mut Vec<String>,
    out: &mut Vec<Recipe>,
    depth: usize,
) {
    if depth > MAX_DEPTH || seen.iter().any(|s| s == name) {
        return;
    }
    seen.push(name.to_string());
    let Some((_, deps, cmds, guarded)) = tasks.iter().find(|t| t.0 == name) else {
        return;
    };
    for d in deps {
        task_recipes(tasks, d, file, seen, out, depth + 1);
    }
    for (line, cmd) in cmds {
        if let Some(other) = cmd.strip_prefix("task ") {
            task_recipes(tasks, other.trim(), file, seen, out, depth + 1);
            continue;
        }
        out.push(Recipe {
            site: format!("{file}:{line}"),
            line: cmd.clone(),
            guarded: *guarded,
            ignored: false,
            dir: Default::default(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn follows_make_targets_and_prerequisites_without_running_make() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Makefile"),
            "VERSION := $(shell git describe)\n.PHONY: build css\n\nbuild: css\n\t@go build -o ./tmp/main .\n\ncss:\n\ttailwindcss -i in.css -o static/app.css\n# done\nother:\n\techo no\n",
        )
        .unwrap();
        let got = expand(&w("make build"), dir.path());
        assert_eq!(
            got,
            vec![
                Recipe {
                    site: "Makefile:8".into(),
                    line: "tailwindcss -i in.css -o static/app.css".into(),
                    guarded: false,
                    ignored: false,
                    dir: Default::default(),
                },
                Recipe {
                    site: "Makefile:5".into(),
                    line: "go build -o ./tmp/main .".into(),
                    guarded: false,
                    ignored: false,
                    dir: Default::default(),
                },
            ]
        );
        // No target: the first rule.
        assert_eq!(expand(&w("make"), dir.path()).len(), 2);
        // A rule for a file with prerequisites runs only when they are newer.
        std::fs::write(dir.path().join("GNUmakefile"), "build: static/app.css\n\tgo build\nstatic/app.css: in.css\n\ttailwindcss -i in.css -o static/app.css\n").unwrap();
        let got = expand(&w("make build"), dir.path());
        assert!(got[0].guarded && !got[1].guarded, "{got:?}");
        assert!(expand(&w("make -C sub build"), dir.path()).is_empty());
    }

    /// `bdebug: BUILD_MODE = debug` sets a variable for the target (no rule of its own), and
    /// `bdebug: i` is its rule (CrateME-UL/meul-inventory); a `-` line's failure is ignored.
    #[test]
    fn a_target_specific_variable_is_not_the_targets_rule() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("makefile"),
            "i:\n\tgo mod tidy\n\nbdebug: BUILD_MODE = debug\nbdebug: i\n\t-@wire\n\tgo build\n",
        )
        .unwrap();
        let got: Vec<(String, String, bool)> = expand(&w("make bdebug"), dir.path())
            .into_iter()
            .map(|r| (r.site, r.line, r.ignored))
            .collect();
        let want = [
            ("makefile:2", "go mod tidy", false),
            ("makefile:6", "wire", true),
            ("makefile:7", "go build", false),
        ];
        assert_eq!(got, want.map(|(a, b, c)| (a.to_string(), b.to_string(), c)));
    }

    #[test]
    fn follows_justfile_recipes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("justfile"),
            "set dotenv-load\nbin := \"./tmp/main\"\n\n# build it\nbuild: (gen 'x') css\n    go build -o {{bin}} .\n\ngen what:\n    @templ generate\n\ncss:\n    -tailwindcss -o static/app.css\n\nscript:\n    #!/usr/bin/env bash\n    wire\n",
        )
        .unwrap();
        let got: Vec<(String, String, bool)> = expand(&w("just build"), dir.path())
            .into_iter()
            .map(|r| (r.site, r.line, r.ignored))
            .collect();
        let want = [
            ("justfile:9", "templ generate", false),
            ("justfile:12", "tailwindcss -o static/app.css", true),
            ("justfile:6", "go build -o {{bin}} .", false),
        ];
        assert_eq!(got, want.map(|(a, b, c)| (a.to_string(), b.to_string(), c)));
        assert_eq!(expand(&w("just"), dir.path()).len(), 3, "the first recipe");
        assert!(expand(&w("just script"), dir.path()).is_empty());
    }

    #[test]
    fn follows_taskfile_tasks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Taskfile.yml"),
            "version: \"3\"\n\ntasks:\n  default:\n    cmds:\n      - task: dev\n  css:\n    cmds:\n      - tailwindcss -i in.css -o ./static/css/main.css\n  dev:\n    deps: [css]\n    cmds:\n      - cmd: templ generate\n      - go build -o ./app\n    silent: true\n",
        )
        .unwrap();
        let got: Vec<(String, String)> = expand(&w("task dev"), dir.path())
            .into_iter()
            .map(|r| (r.site, r.line))
            .collect();
        let want = [
            (
                "Taskfile.yml:9",
                "tailwindcss -i in.css -o ./static/css/main.css",
            ),
            ("Taskfile.yml:13", "templ generate"),
            ("Taskfile.yml:14", "go build -o ./app"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
        assert_eq!(expand(&w("task"), dir.path()).len(), 3, "default runs dev");
        std::fs::write(dir.path().join("Taskfile.yml"), "tasks:\n  gen:\n    sources:\n      - views/*.templ\n    cmds:\n      - templ generate\n").unwrap();
        assert!(expand(&w("task gen"), dir.path())[0].guarded);
    }

    #[test]
    fn follows_package_json_scripts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"scripts": {"build": "npm run css && esbuild app.js --outfile=static/app.js", "css": "tailwindcss -o static/out.css"}}"#,
        )
        .unwrap();
        let lines: Vec<String> = expand(&w("npm run build"), dir.path())
            .into_iter()
            .map(|r| r.line)
            .collect();
        assert_eq!(
            lines,
            vec![
                "npm run css && esbuild app.js --outfile=static/app.js",
                "tailwindcss -o static/out.css"
            ]
        );
        assert_eq!(expand(&w("yarn css"), dir.path()).len(), 1);
    }
}
