//! Makefile recipes (`*.mk` too): each recipe line runs in its own shell in the Makefile's
//! folder (`cd x && air` moves only that line). Simple variables (`VAR = x`, `:=`, `?=`) are
//! expanded, `$(MAKE)` is make, `$$` is `$`; a variable this file does not define stays as
//! written (`$(GOBIN)/air` is still air). The ways a Makefile names its own folder are that
//! folder: `$(CURDIR)`, `$(shell pwd)`, and `$(dir $(abspath $(lastword $(MAKEFILE_LIST))))`
//! (the path functions `dir`, `abspath`, `realpath`, `lastword`, `firstword`, `strip` of a
//! known value). `$(MAKE) -C dir` needs nothing: the Makefile in `dir` is read on its own, in
//! its own folder. A target that is not `.PHONY`, has no prerequisites and names a file or
//! folder that exists in the Makefile's folder is up to date: make never runs its recipe, so
//! it starts no air.

use super::{Line, Place};
use crate::filepath::clean_str;
use std::collections::HashMap;
use std::path::Path;

pub(super) fn lines(dir: &Path, text: &str) -> Vec<Line> {
    let (logical, defs) = split(text);
    let vars = variables(&logical);
    let dead = up_to_date(dir, &logical);
    let mut out = vec![];
    let mut target: Option<String> = None;
    for (n, line) in &logical {
        if target.as_ref().is_some_and(|t| dead.contains(t)) && line.starts_with('\t') {
            continue;
        }
        if let Some(recipe) = line.strip_prefix('\t') {
            for recipe in called(recipe, &defs) {
                let recipe = recipe.trim_start_matches(['@', '-', '+', ' ']);
                if recipe.trim().is_empty() || recipe.trim_start().starts_with('#') {
                    continue;
                }
                // `$(AIR)` names air only once expanded.
                let text = expand(recipe, &vars, dir, 0);
                if !super::may_start_air(&text) {
                    continue;
                }
                out.push(Line {
                    line: *n,
                    target: target.clone(),
                    text,
                    place: Place::Host(dir.to_path_buf()),
                });
            }
            continue;
        }
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        // `target other: prereqs [; recipe]` (not `VAR := x`, not `VAR = a:b`).
        target = match line.split_once(':') {
            Some((head, tail)) if !tail.starts_with('=') && !head.contains(['=', '$']) => {
                let name = head.split_whitespace().next().unwrap_or("").to_string();
                if let Some((_, inline)) = tail.split_once(';') {
                    let text = expand(inline, &vars, dir, 0);
                    if super::may_start_air(&text) {
                        out.push(Line {
                            line: *n,
                            target: Some(name.clone()),
                            text,
                            place: Place::Host(dir.to_path_buf()),
                        });
                    }
                }
                (!name.starts_with('.')).then_some(name)
            }
            _ => None,
        };
    }
    out
}

/// A prerequisite of a target that starts air which make cannot find or make: neither in the
/// checkout nor the target of any rule, so `make TARGET` stops ("No rule to make target
/// 'tools/air/air', needed by 'hotreload'") before its recipe runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmadePrerequisite {
    /// The line of the rule that names it.
    pub line: usize,
    /// The target that starts air.
    pub target: String,
    /// The prerequisite, expanded.
    pub prerequisite: String,
    /// A rule whose target has the same file name (`tools/cosmtrek/air` for `tools/air/air`),
    /// with its line: likely the one meant.
    pub near: Option<(String, usize)>,
}

/// The [`UnmadePrerequisite`]s of the targets of a Makefile in `dir` whose recipe starts air.
/// Only what is surely unmade: a prerequisite declared `.PHONY` (make runs a phony target with
/// no rule as nothing), one an explicit or pattern rule makes (`%/air:`; a pattern without a
/// `/` is matched against the file name, as make does), one found in `dir` or a vpath/VPATH
/// folder, one a built-in rule could make from a file beside it (`air.c`, `air.sh`), and a
/// name with a glob or an unknown variable are none. A Makefile that includes others or
/// makes rules with `$(eval ...)` or a top-level `$(...)` is not judged: the rule may be there.
pub(super) fn unmade_prerequisites(dir: &Path, text: &str) -> Vec<UnmadePrerequisite> {
    let (logical, _) = split(text);
    let top = |l: &&(usize, String)| !l.1.starts_with('\t');
    let vars = variables(&logical);
    // A top-level `$(...)` that is no rule of known name (`$(foreach ...)`, `$(call ...)`).
    let generated = logical.iter().filter(top).any(|(_, l)| {
        let t = l.trim_start();
        let word = t.split_whitespace().next().unwrap_or("");
        let call = (t.starts_with("$(") || t.starts_with("${"))
            && expand(t, &vars, dir, 0)
                .split_once(':')
                .is_none_or(|(head, _)| head.contains('$'));
        matches!(word, "include" | "-include" | "sinclude") || call
    }) || text.contains("$(eval")
        || text.contains("${eval");
    if generated {
        return vec![];
    }
    // Targets whose recipe runs air itself (not `docker compose up`, which may start it in a
    // container).
    let starts_air: Vec<String> = lines(dir, text)
        .into_iter()
        .filter(|l| {
            let mut air = false;
            crate::shell::parse(&l.text).walk(true, &mut |s, _| {
                air |= super::air_call(&s.words).is_some();
            });
            air
        })
        .filter_map(|l| l.target)
        .collect();
    if starts_air.is_empty() {
        return vec![];
    }
    let mut phony: Vec<String> = vec![];
    let mut explicit: Vec<(String, usize)> = vec![];
    let mut patterns: Vec<String> = vec![];
    let mut search: Vec<std::path::PathBuf> = vec![];
    if let Some(v) = vars.get("VPATH") {
        let v = expand(v, &vars, dir, 0);
        search.extend(
            v.split([':', ' '])
                .filter(|d| !d.is_empty())
                .map(|d| dir.join(d)),
        );
    }
    // (line, targets, prerequisites) of each rule that may start air.
    let mut rules: Vec<(usize, Vec<String>, String)> = vec![];
    for (n, line) in logical.iter().filter(top) {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("vpath ") {
            let rest = expand(rest, &vars, dir, 0);
            search.extend(
                rest.split_whitespace()
                    .skip(1)
                    .flat_map(|d| d.split(':'))
                    .filter(|d| !d.is_empty())
                    .map(|d| dir.join(d)),
            );
            continue;
        }
        let Some((head, tail)) = line.split_once(':') else {
            continue;
        };
        if tail.starts_with('=') || head.contains('=') || t.starts_with('#') {
            continue;
        }
        let heads = expand(head, &vars, dir, 0);
        if heads.contains('$') {
            return vec![]; // a target of unknown name: it may be the prerequisite
        }
        let tail = tail.strip_prefix(':').unwrap_or(tail); // `a:: b`
        if heads.trim() == ".PHONY" {
            phony.extend(
                expand(tail, &vars, dir, 0)
                    .split_whitespace()
                    .map(String::from),
            );
            continue;
        }
        let names: Vec<String> = heads.split_whitespace().map(String::from).collect();
        for name in &names {
            match name.contains('%') {
                true => patterns.push(name.clone()),
                false => explicit.push((clean_str(name), *n)),
            }
        }
        // A comment ends the line (`up: ## Start all services`).
        let prerequisites = tail.split(';').next().unwrap_or("");
        let prerequisites = prerequisites.split('#').next().unwrap_or("");
        // `target: VAR = x` sets a variable; `a b: %.x: %.y` is a static pattern rule.
        if prerequisites.contains(['=', ':']) {
            continue;
        }
        if names.iter().any(|t| starts_air.contains(t)) {
            rules.push((*n, names, prerequisites.to_string()));
        }
    }
    let matches = |pattern: &str, name: &str| {
        let name = match pattern.contains('/') {
            true => name,
            false => name.rsplit('/').next().unwrap_or(name),
        };
        let (pre, suf) = pattern.split_once('%').unwrap_or((pattern, ""));
        name.len() > pre.len() + suf.len() && name.starts_with(pre) && name.ends_with(suf)
    };
    // A built-in rule (`%: %.c`, `%: %.sh`, `%.o: %.c`) makes it from a file of its stem.
    let built_in = |p: &Path| {
        let Some(stem) = p.file_name().map(|n| n.to_string_lossy().to_string()) else {
            return false;
        };
        let stem = stem.split('.').next().unwrap_or("").to_string();
        let Some(parent) = p.parent() else {
            return false;
        };
        std::fs::read_dir(parent).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                n.starts_with(&format!("{stem}.")) || n == stem
            })
        })
    };
    let mut out: Vec<UnmadePrerequisite> = vec![];
    for (line, names, prerequisites) in rules {
        let target = names
            .iter()
            .find(|t| starts_air.contains(t))
            .cloned()
            .unwrap_or_default();
        for p in expand(&prerequisites, &vars, dir, 0).split_whitespace() {
            if p == "|" || p.contains(['$', '%', '*', '?', '[']) {
                continue;
            }
            let name = clean_str(p);
            let made = phony.iter().any(|x| clean_str(x) == name)
                || explicit.iter().any(|(x, _)| *x == name)
                || patterns.iter().any(|pat| matches(pat, &name));
            let path = dir.join(&name);
            let found =
                path.exists() || search.iter().any(|d| d.join(&name).exists()) || built_in(&path);
            if made
                || found
                || out
                    .iter()
                    .any(|o| o.prerequisite == name && o.target == target)
            {
                continue;
            }
            let file_name = name.rsplit('/').next().unwrap_or(&name).to_string();
            let near = explicit
                .iter()
                .find(|(x, _)| x.rsplit('/').next() == Some(file_name.as_str()))
                .cloned();
            out.push(UnmadePrerequisite {
                line,
                target: target.clone(),
                prerequisite: name,
                near,
            });
        }
    }
    out
}

/// make's conditionals (`ifeq`/`ifneq`/`ifdef`/`ifndef` ... `else` ... `endif`) choose, when
/// make reads the file, which lines count: a variable set in each branch (`AIR_CONFIG =
/// .air.windows.toml` under `ifeq ($(OS),Windows_NT)`, `.air.mac.toml` under `else`) makes a
/// recipe run a different command on each condition. Every combination of branches is read
/// (up to [`MAX_WORLDS`]); a recipe line that reads the same in all is said once with no
/// condition, one that differs is said once per command with the branches that give it.
pub(super) fn lines_by_condition(dir: &Path, text: &str) -> Vec<(Line, Option<String>)> {
    let conds = conditionals(text);
    if conds.is_empty() {
        return lines(dir, text).into_iter().map(|l| (l, None)).collect();
    }
    let mut worlds: Vec<Vec<usize>> = vec![vec![]];
    for c in &conds {
        worlds = worlds
            .into_iter()
            .flat_map(|w| {
                (0..c.branches.len()).map(move |b| {
                    let mut w = w.clone();
                    w.push(b);
                    w
                })
            })
            .collect();
        if worlds.len() > MAX_WORLDS {
            return lines(dir, text).into_iter().map(|l| (l, None)).collect();
        }
    }
    // Per line: each text and the worlds it is run in.
    let mut seen: Vec<(Line, Vec<usize>)> = vec![];
    for (i, w) in worlds.iter().enumerate() {
        for l in lines(dir, &chosen(text, &conds, w)) {
            match seen
                .iter_mut()
                .find(|(s, _)| s.line == l.line && s.target == l.target && s.text == l.text)
            {
                Some((_, ws)) => ws.push(i),
                None => seen.push((l, vec![i])),
            }
        }
    }
    seen.into_iter()
        .map(|(l, ws)| {
            if ws.len() == worlds.len() {
                return (l, None);
            }
            // The branches every world running this text takes.
            let said: Vec<String> = conds
                .iter()
                .enumerate()
                .filter_map(|(c, cond)| {
                    let b = worlds[ws[0]][c];
                    ws.iter()
                        .all(|w| worlds[*w][c] == b)
                        .then(|| cond.describe(b))
                })
                .collect();
            let condition = match said.is_empty() {
                true => "on some of its make conditionals' branches".to_string(),
                false => said.join(" and "),
            };
            (l, Some(condition))
        })
        .collect()
}

/// More combinations of conditional branches than this: the file is read as before, each
/// variable's last value.
const MAX_WORLDS: usize = 32;

/// One `ifeq ... endif`: its lines and each branch's test.
struct Conditional {
    /// The directive's physical line (1-based).
    line: usize,
    /// Each branch's opening directive as written (`ifeq ($(OS),Windows_NT)`, `else ifdef X`,
    /// `else`).
    branches: Vec<String>,
    /// For each physical line (0-based) inside it: which branch it is in.
    members: Vec<(usize, usize)>,
    /// The physical lines (0-based) of its directives.
    directives: Vec<usize>,
}

impl Conditional {
    /// "on Windows (`ifeq ($(OS),Windows_NT)`, Makefile:1)", "if `ifdef DEBUG` does not hold
    /// (Makefile:3)".
    fn describe(&self, branch: usize) -> String {
        let first = &self.branches[0];
        let test = |t: &str| t.trim_start_matches("else").trim().to_string();
        // `ifeq ($(OS),Windows_NT)`: make sets OS from the environment, Windows_NT on Windows.
        let windows = |t: &str| t.contains("$(OS)") && t.contains("Windows_NT");
        let negated = |t: &str| test(t).starts_with("ifneq") || test(t).starts_with("ifndef");
        let at = format!("line {}", self.line);
        let own = &self.branches[branch];
        if own.trim() == "else" {
            // Every earlier test fails.
            if self.branches.len() == 2 && windows(first) {
                return match negated(first) {
                    true => format!("on Windows (`{}` fails, {at})", test(first)),
                    false => format!("not on Windows (`{}` fails, {at})", test(first)),
                };
            }
            return format!("if `{}` does not hold ({at})", test(first));
        }
        if windows(own) {
            return match negated(own) {
                true => format!("not on Windows (`{}`, {at})", test(own)),
                false => format!("on Windows (`{}`, {at})", test(own)),
            };
        }
        format!("if `{}` holds ({at})", test(own))
    }
}

/// The conditionals outside recipes' shell text, outermost and nested alike. An `ifeq` with
/// no `else` has two branches: its own lines, and none.
fn conditionals(text: &str) -> Vec<Conditional> {
    let mut done: Vec<Conditional> = vec![];
    let mut open: Vec<Conditional> = vec![];
    let mut in_define = false;
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim_start_matches(' ');
        let word = t.split_whitespace().next().unwrap_or("");
        let word = word.split('(').next().unwrap_or("");
        if in_define {
            in_define = word != "endef";
            continue;
        }
        match word {
            "define" => in_define = true,
            "ifeq" | "ifneq" | "ifdef" | "ifndef" if !raw.starts_with('\t') => {
                open.push(Conditional {
                    line: i + 1,
                    branches: vec![t.trim().to_string()],
                    members: vec![],
                    directives: vec![i],
                });
                continue;
            }
            "else" if !raw.starts_with('\t') && !open.is_empty() => {
                if let Some(c) = open.last_mut() {
                    c.branches.push(t.trim().to_string());
                    c.directives.push(i);
                }
                continue;
            }
            "endif" if !raw.starts_with('\t') && !open.is_empty() => {
                if let Some(mut c) = open.pop() {
                    c.directives.push(i);
                    // No `else`: the branch of no lines.
                    if !c.branches.iter().any(|b| b.trim() == "else") {
                        c.branches.push("else".to_string());
                    }
                    done.push(c);
                }
                continue;
            }
            _ => {}
        }
        for c in open.iter_mut() {
            let b = c.branches.len() - 1;
            c.members.push((i, b));
        }
    }
    // Unclosed ones: make refuses the file; read as written.
    done.sort_by_key(|c| c.line);
    done
}

/// The Makefile as make reads it when `world` picks each conditional's branch: the lines of
/// other branches and the directives blanked (line numbers kept). Before the first rule a
/// tab-indented line is an assignment, not a recipe: its tab goes.
fn chosen(text: &str, conds: &[Conditional], world: &[usize]) -> String {
    let mut keep: Vec<bool> = vec![true; text.lines().count()];
    for (c, cond) in conds.iter().enumerate() {
        for d in &cond.directives {
            keep[*d] = false;
        }
        for (i, b) in &cond.members {
            if *b != world[c] {
                keep[*i] = false;
            }
        }
    }
    let mut out = String::new();
    let mut rule_seen = false;
    for (i, raw) in text.lines().enumerate() {
        if keep[i] {
            let is_rule = !raw.starts_with('\t')
                && raw
                    .split_once(':')
                    .is_some_and(|(h, t)| !t.starts_with('=') && !h.contains('='));
            rule_seen |= is_rule;
            match rule_seen {
                false => out.push_str(raw.trim_start()),
                true => out.push_str(raw),
            }
        }
        out.push('\n');
    }
    out
}

/// The commands the Makefile runs with make's `$(shell ...)` function, each with its line
/// (the physical line it is written on) and, in a recipe, its target: expanded as recipes
/// are. make runs them with /bin/sh (outside a recipe while reading the Makefile, for every
/// goal; in a recipe when it expands that recipe) and ignores how they exit: a failing one
/// stops nothing and make reports success. Recipes of up-to-date targets are left out.
pub(super) fn shell_functions(dir: &Path, text: &str) -> Vec<(usize, Option<String>, String)> {
    let logical = logical_lines(text);
    let vars = variables(&logical);
    let dead = up_to_date(dir, &logical);
    let physical: Vec<&str> = text.lines().collect();
    let mut out = vec![];
    let mut target: Option<String> = None;
    for (n, line) in &logical {
        let recipe = line.starts_with('\t');
        if !recipe {
            let t = line.trim_start();
            if !t.is_empty() && !t.starts_with('#') {
                target = match line.split_once(':') {
                    Some((head, tail)) if !tail.starts_with('=') && !head.contains(['=', '$']) => {
                        let name = head.split_whitespace().next().unwrap_or("").to_string();
                        (!name.starts_with('.')).then_some(name)
                    }
                    _ => None,
                };
            }
        } else if target.as_ref().is_some_and(|t| dead.contains(t)) {
            continue;
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut rest = line.as_str();
        while let Some(at) = rest.find("$(shell ").or_else(|| rest.find("${shell ")) {
            let close = if rest[at..].starts_with("$(") {
                ')'
            } else {
                '}'
            };
            let Some(end) = closing(&rest[at + 2..], close) else {
                break;
            };
            let inner = &rest[at + 8..at + 2 + end];
            let command = expand(inner.trim(), &vars, dir, 0);
            // The physical line the call starts on, within this logical line's lines.
            let head: String = inner.chars().take(40).collect();
            let line_of = (*n..*n + 200)
                .take_while(|i| *i <= physical.len())
                .find(|i| physical[*i - 1].contains(head.trim()))
                .unwrap_or(*n);
            let in_recipe = recipe.then(|| target.clone()).flatten();
            out.push((line_of, in_recipe, command));
            rest = &rest[at + 2 + end + 1..];
        }
    }
    out
}

/// Every recipe line of a Makefile in `dir`, expanded as [`lines`] expands them, with its
/// line number: what make may run there, air or not.
pub(super) fn recipes(dir: &Path, text: &str) -> Vec<(usize, String)> {
    let logical = logical_lines(text);
    let vars = variables(&logical);
    logical
        .iter()
        .filter_map(|(n, line)| {
            let recipe = line
                .strip_prefix('\t')?
                .trim_start_matches(['@', '-', '+', ' ']);
            let recipe = recipe.trim();
            (!recipe.is_empty() && !recipe.starts_with('#'))
                .then(|| (*n, expand(recipe, &vars, dir, 0)))
        })
        .collect()
}

/// What `make [-C DIR] [-f FILE] [TARGET]` runs: the folder it changes to, the Makefile it
/// reads (None: make's own search) and the target (None: the first one, make's default goal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MakeRun {
    pub dir: Option<String>,
    pub file: Option<String>,
    pub target: Option<String>,
}

/// The make run of a simple command's words (`make run`, `make -C api dev`, `make`), None
/// when the program is not make or its options are not ones read here.
pub(super) fn make_run(words: &[String]) -> Option<MakeRun> {
    let w = crate::shell::program_words(words);
    let first = w.first()?;
    let name = first.rsplit('/').next().unwrap_or(first);
    if !matches!(name, "make" | "gmake") {
        return None;
    }
    let mut run = MakeRun {
        dir: None,
        file: None,
        target: None,
    };
    let mut i = 1;
    while let Some(a) = w.get(i) {
        i += 1;
        if a.contains('$') {
            return None;
        }
        match a.as_str() {
            "-C" | "--directory" => run.dir = Some(w.get(i)?.clone()),
            "-f" | "--file" | "--makefile" => run.file = Some(w.get(i)?.clone()),
            _ if a.starts_with('-') => continue,
            // `VAR=value` sets a variable, not a goal.
            _ if a.contains('=') => continue,
            _ if run.target.is_none() => {
                run.target = Some(a.clone());
                continue;
            }
            _ => continue,
        }
        i += 1;
    }
    Some(run)
}

/// The Makefile make reads in a folder when none is named: GNUmakefile, makefile, Makefile.
pub(super) const NAMES: [&str; 3] = ["GNUmakefile", "makefile", "Makefile"];

/// make's default goal: the first target that does not start with `.` (nor is a pattern).
pub(super) fn first_target(text: &str) -> Option<String> {
    for (_, line) in logical_lines(text) {
        if line.starts_with('\t') || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((head, tail)) = line.split_once(':') else {
            continue;
        };
        if tail.starts_with('=')
            || head.contains(['=', '$', '%'])
            || head.starts_with(char::is_whitespace)
        {
            continue;
        }
        if let Some(name) = head
            .split_whitespace()
            .next()
            .filter(|n| !n.starts_with('.'))
        {
            return Some(name.to_string());
        }
    }
    None
}

/// The targets make never runs the recipe of: not `.PHONY`, no prerequisites in any of their
/// rules, and a file or folder of their name in `dir` (make: "'docs' is up to date").
fn up_to_date(dir: &Path, logical: &[(usize, String)]) -> Vec<String> {
    let mut phony: Vec<&str> = vec![];
    let mut rules: Vec<(&str, bool)> = vec![];
    for (_, line) in logical {
        if line.starts_with('\t') {
            continue;
        }
        if let Some(names) = line.strip_prefix(".PHONY:") {
            phony.extend(names.split_whitespace());
            continue;
        }
        let Some((head, tail)) = line.split_once(':') else {
            continue;
        };
        if tail.starts_with('=') || head.contains(['=', '$', '%']) || head.starts_with('.') {
            continue;
        }
        let prereqs = tail
            .split(';')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .any(|p| p != "|");
        for t in head.split_whitespace() {
            rules.push((t, prereqs));
        }
    }
    let mut out: Vec<String> = vec![];
    for (t, _) in &rules {
        if !phony.contains(t)
            && !rules.iter().any(|(u, p)| u == t && *p)
            && dir.join(t).exists()
            && !out.iter().any(|o| o == t)
        {
            out.push(t.to_string());
        }
    }
    out
}

/// The logical lines of a Makefile (backslash-newline joined), without the bodies of
/// `define NAME ... endef`, which run only where `$(call NAME,...)` puts them ([`split`]).
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    split(text).0
}

/// Each `define NAME`'s body lines, by NAME.
type Defines = HashMap<String, Vec<String>>;

/// The logical lines outside `define NAME ... endef`, and each define's body: its logical
/// lines, one leading tab taken off (make's `$(call NAME,a,b)` puts them where it is, `$(1)`
/// being a).
fn split(text: &str) -> (Vec<(usize, String)>, Defines) {
    let (mut lines, mut defs) = (vec![], HashMap::new());
    let mut open: Option<String> = None;
    for (n, l) in all_logical_lines(text) {
        let mut words = l.split_whitespace();
        match (words.next(), &open) {
            (Some("define"), None) => {
                open = Some(words.next().unwrap_or("").to_string());
            }
            (Some("endef"), Some(_)) => open = None,
            (_, Some(name)) => {
                let body = l.strip_prefix('\t').unwrap_or(&l).to_string();
                defs.entry(name.clone()).or_insert_with(Vec::new).push(body);
            }
            (_, None) => lines.push((n, l)),
        }
    }
    (lines, defs)
}

/// A recipe line as make runs it: each `$(call NAME,args)` of a defined NAME replaced by its
/// body's lines with `$(1)`, `$(2)`... the arguments (one line per body line).
fn called(recipe: &str, defs: &Defines) -> Vec<String> {
    let Some(at) = recipe.find("$(call ") else {
        return vec![recipe.to_string()];
    };
    let Some(end) = closing(&recipe[at + 2..], ')') else {
        return vec![recipe.to_string()];
    };
    let inner = &recipe[at + 7..at + 2 + end];
    let mut parts = inner.split(',');
    let name = parts.next().unwrap_or("").trim();
    let Some(body) = defs.get(name) else {
        return vec![recipe.to_string()];
    };
    let args: Vec<&str> = parts.collect();
    body.iter()
        .map(|line| {
            let mut l = line.clone();
            for i in 1..=9 {
                let value = args.get(i - 1).map_or("", |a| a.trim());
                l = l
                    .replace(&format!("$({i})"), value)
                    .replace(&format!("${{{i}}}"), value);
            }
            format!("{}{l}{}", &recipe[..at], &recipe[at + 2 + end + 1..])
        })
        .collect()
}

/// Lines with `\` continuations joined, each with its first line's number.
fn all_logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = vec![];
    let mut open = false;
    for (i, raw) in text.lines().enumerate() {
        let (body, continues) = match raw.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (raw, false),
        };
        match out.last_mut() {
            Some((_, l)) if open => {
                l.push(' ');
                l.push_str(body.trim_start());
            }
            _ => out.push((i + 1, body.to_string())),
        }
        open = continues;
    }
    out
}

fn variables(lines: &[(usize, String)]) -> HashMap<String, String> {
    let mut vars = HashMap::new();
    for (_, line) in lines {
        if line.starts_with('\t') {
            continue;
        }
        let line = line
            .trim_start()
            .strip_prefix("export ")
            .unwrap_or(line.trim_start());
        let Some(at) = line.find('=') else { continue };
        let (name, value) = (&line[..at], &line[at + 1..]);
        let name = name.trim_end_matches([':', '?', '+', '!']).trim();
        if name.is_empty() || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
            continue;
        }
        let value = value.trim().to_string();
        if line[..at].ends_with('?') && vars.contains_key(name) {
            continue;
        }
        if line[..at].ends_with('+') {
            let old: String = vars.get(name).cloned().unwrap_or_default();
            vars.insert(
                name.to_string(),
                format!("{old} {value}").trim().to_string(),
            );
        } else {
            vars.insert(name.to_string(), value);
        }
    }
    vars
}

/// make's expansion of a recipe line, for the variables it knows; `dir` is the Makefile's
/// folder (make runs there).
fn expand(text: &str, vars: &HashMap<String, String>, dir: &Path, depth: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (close, open_len) = match after.chars().next() {
            Some('$') => {
                out.push('$');
                rest = &after[1..];
                continue;
            }
            Some('(') => (')', 1),
            Some('{') => ('}', 1),
            Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                // `$X`: a one-letter make variable.
                let v = vars.get(&c.to_string()).cloned().unwrap_or_default();
                out.push_str(&v);
                rest = &after[c.len_utf8()..];
                continue;
            }
            _ => {
                out.push('$');
                rest = after;
                continue;
            }
        };
        let Some(end) = closing(&after[open_len..], close) else {
            out.push_str(&rest[at..]);
            return out;
        };
        let name = &after[open_len..open_len + end];
        let whole = &rest[at..at + 1 + open_len + end + 1];
        match (name, vars.get(name)) {
            ("MAKE", _) => out.push_str("make"),
            ("CURDIR", _) => out.push_str(&dir.to_string_lossy()),
            // The environment's PWD, the folder `make` is typed in: the Makefile's own
            // (`cd services/api && air -c $(PWD)/.air.api.toml` names the root's config).
            ("PWD", None) => out.push_str(&dir.to_string_lossy()),
            // The Makefile's own path is all the path functions below need.
            ("MAKEFILE_LIST", _) => out.push_str(&dir.join("Makefile").to_string_lossy()),
            (_, Some(v)) if depth < 8 => out.push_str(&expand(v, vars, dir, depth + 1)),
            _ => match function(name, vars, dir, depth) {
                Some(value) => out.push_str(&value),
                None => out.push_str(whole),
            },
        }
        rest = &after[open_len + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Where the `close` that ends a `$(`/`${` opened just before `text` is (nested pairs skipped).
fn closing(text: &str, close: char) -> Option<usize> {
    let open = if close == ')' { '(' } else { '{' };
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
        }
    }
    None
}

/// The value of a make path function call (`dir $(abspath ...)`, `shell pwd`) whose
/// arguments expand to known text; None for any other function or an unknown argument.
fn function(
    call: &str,
    vars: &HashMap<String, String>,
    dir: &Path,
    depth: usize,
) -> Option<String> {
    let (name, args) = call.split_once(char::is_whitespace)?;
    if depth >= 8 {
        return None;
    }
    let args = expand(args.trim(), vars, dir, depth + 1);
    if args.contains('$') {
        return None;
    }
    let words = args.split_whitespace();
    let each = |f: &dyn Fn(&str) -> String| words.clone().map(f).collect::<Vec<_>>().join(" ");
    Some(match name {
        "shell" if args.trim() == "pwd" => dir.to_string_lossy().into_owned(),
        "strip" => each(&|w| w.to_string()),
        "firstword" => words.clone().next()?.to_string(),
        "lastword" => words.clone().last()?.to_string(),
        "abspath" | "realpath" => each(&|w| clean_str(&dir.join(w).to_string_lossy())),
        // `$(dir src/a.c)` is `src/`, `$(dir a.c)` is `./`.
        "dir" => each(&|w| match w.rfind('/') {
            Some(at) => w[..=at].to_string(),
            None => "./".to_string(),
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_branch_of_a_conditional_is_a_command_on_its_condition() {
        let dir = Path::new("/r");
        let said = |text: &str| -> Vec<(usize, String, Option<String>)> {
            lines_by_condition(dir, text)
                .into_iter()
                .map(|(l, c)| (l.line, l.text, c))
                .collect()
        };
        // A conditional inside a recipe keeps the recipe's target; `ifdef` with no `else`
        // runs nothing on the other branch; a line the same in every branch has no condition.
        assert_eq!(
            said("dev:\n\tgo mod download\nifdef DEBUG\n\tair -c .air.debug.toml\nelse\n\tair\nendif\n\tair --build.cmd x\n"),
            vec![
                (4, "air -c .air.debug.toml".into(), Some("if `ifdef DEBUG` holds (line 3)".into())),
                (8, "air --build.cmd x".into(), None),
                (6, "air".into(), Some("if `ifdef DEBUG` does not hold (line 3)".into())),
            ]
        );
        assert_eq!(
            said("ifneq ($(OS),Windows_NT)\nC = .air.unix.toml\nendif\nrun:\n\tair -c $(C)\n"),
            vec![
                (
                    5,
                    "air -c .air.unix.toml".into(),
                    Some("not on Windows (`ifneq ($(OS),Windows_NT)`, line 1)".into())
                ),
                (
                    5,
                    "air -c $(C)".into(),
                    Some("on Windows (`ifneq ($(OS),Windows_NT)` fails, line 1)".into())
                ),
            ]
        );
    }

    fn read(text: &str) -> Vec<(usize, Option<String>, String)> {
        lines(Path::new("/r"), text)
            .into_iter()
            .map(|l| (l.line, l.target, l.text))
            .collect()
    }

    /// thinhnguyenwilliam/book-store: a `define watch_service` macro run by each
    /// `watch-X: ; $(call watch_service,X)`. The body is no recipe of the target above it;
    /// each call runs it with `$(1)` the service.
    #[test]
    fn a_called_macro_runs_its_body_with_the_arguments() {
        let text = "AIR := air\nbuild:\n\tgo build ./...\n\ndefine watch_service\n\t$(AIR) -c .air.local.toml \\\n\t\t--build.cmd \"go build -o ./.air-local/$(1) ./cmd/$(1)\" \\\n\t\t-- -config local.yaml $(2)\nendef\n\nwatch-gateway:\n\t$(call watch_service,gateway)\n\nwatch-auth:\n\t$(call watch_service,auth,--secret x)\n";
        assert_eq!(
            read(text),
            vec![
                (
                    12,
                    Some("watch-gateway".into()),
                    "air -c .air.local.toml  --build.cmd \"go build -o ./.air-local/gateway ./cmd/gateway\"  -- -config local.yaml ".into()
                ),
                (
                    15,
                    Some("watch-auth".into()),
                    "air -c .air.local.toml  --build.cmd \"go build -o ./.air-local/auth ./cmd/auth\"  -- -config local.yaml --secret x".into()
                ),
            ]
        );
    }

    /// oarkflow/search: `$(shell go install ...)` in a recipe, with its target and line; one
    /// outside any recipe (read for every goal); none in an up-to-date target's recipe.
    #[test]
    fn shell_function_commands_with_their_targets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        let text = "GO := go\nX := $(shell $(GO) env GOPATH)\n\ninstall:\n\t$(info Installing)\n\t$(shell go install github.com/cosmtrek/air@latest)\n\t@echo a; \\\n\techo $(shell $(GO) install x@latest)\n# $(shell no)\ndocs:\n\t$(shell go install y@latest)\n";
        assert_eq!(
            shell_functions(dir.path(), text),
            vec![
                (2, None, "go env GOPATH".to_string()),
                (
                    6,
                    Some("install".to_string()),
                    "go install github.com/cosmtrek/air@latest".to_string()
                ),
                (
                    8,
                    Some("install".to_string()),
                    "go install x@latest".to_string()
                ),
            ]
        );
    }

    /// Shapes of geoffjay/plantd, AndyHolt/darash and 0pen-future/teka.
    #[test]
    fn recipes_with_their_targets_and_variables() {
        let text = "API_DIR := apps/api\nDATA ?= ./data.db\n.PHONY: dev\n\ndev-app:\n\t@air -c app/.air.toml\n\nrun: build ; air\napi:\n\t@cd $(API_DIR) && if command -v air >/dev/null 2>&1; then \\\n\t\tair; else go run ./cmd/api; fi\nback:\n\tcd backend && DATA_DB_PATH=$(DATA) $(GOBIN)/air\nwatch:\n\techo $$HOME; $(MAKE) -C web dev\n";
        assert_eq!(
            read(text),
            vec![
                (6, Some("dev-app".into()), "air -c app/.air.toml".into()),
                (8, Some("run".into()), " air".into()),
                (
                    10,
                    Some("api".into()),
                    "cd apps/api && if command -v air >/dev/null 2>&1; then  air; else go run ./cmd/api; fi".into()
                ),
                (13, Some("back".into()), "cd backend && DATA_DB_PATH=./data.db $(GOBIN)/air".into()),
            ]
        );
    }

    /// A target named like a folder that exists, not .PHONY and without prerequisites, is up
    /// to date: make never runs its recipe, so it starts no air; listed in .PHONY it does.
    #[test]
    fn an_up_to_date_target_starts_no_air() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("dev")).unwrap();
        let text = "dev:\n\tair -c .air.toml\nwatch: dev\n\tair\n";
        let got: Vec<Option<String>> = lines(dir.path(), text)
            .into_iter()
            .map(|l| l.target)
            .collect();
        assert_eq!(got, vec![Some("watch".to_string())]);
        let text = format!("{text}.PHONY: dev\n");
        assert_eq!(lines(dir.path(), &text).len(), 2);
    }

    /// 0mar12345-ops/catchup-backend: `cd "$(PROJECT_DIR)"` to the Makefile's own folder,
    /// named with make functions, then `"$(AIR)"`; `$(CURDIR)` and `$(shell pwd)` likewise.
    #[test]
    fn the_makefiles_own_folder_named_with_make_functions() {
        let text = "AIR ?= air\nGOAIR := $(shell go env GOPATH)/bin/air\nPROJECT_DIR := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))\nROOT := $(realpath $(CURDIR)/..)\ndev:\n\tcd \"$(PROJECT_DIR)\" && (lsof -ti:8080 | xargs -r kill -9 || true) && \"$(AIR)\" -c air.toml\nhere:\n\tcd $(CURDIR)/api && $(GOAIR)\nup:\n\tcd $(shell pwd) && cd $(ROOT) && air\nother:\n\tcd $(shell git rev-parse --show-toplevel) && air\n";
        assert_eq!(
            read(text),
            vec![
                (
                    6,
                    Some("dev".into()),
                    "cd \"/r/\" && (lsof -ti:8080 | xargs -r kill -9 || true) && \"air\" -c air.toml".into()
                ),
                (8, Some("here".into()), "cd /r/api && $(shell go env GOPATH)/bin/air".into()),
                (10, Some("up".into()), "cd /r && cd / && air".into()),
                (
                    12,
                    Some("other".into()),
                    "cd $(shell git rev-parse --show-toplevel) && air".into()
                ),
            ]
        );
    }

    /// `make`, `make run`, `make -C api dev`, `env X=1 make -f dev.mk ENV=dev up`; not `go run`.
    #[test]
    fn make_runs_and_the_default_goal() {
        let w = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        let run = |d: Option<&str>, f: Option<&str>, t: Option<&str>| MakeRun {
            dir: d.map(String::from),
            file: f.map(String::from),
            target: t.map(String::from),
        };
        assert_eq!(make_run(&w("make")), Some(run(None, None, None)));
        assert_eq!(make_run(&w("make run")), Some(run(None, None, Some("run"))));
        assert_eq!(
            make_run(&w("make -C api -j4 dev")),
            Some(run(Some("api"), None, Some("dev")))
        );
        assert_eq!(
            make_run(&w("env X=1 /usr/bin/make -f dev.mk ENV=dev up")),
            Some(run(None, Some("dev.mk"), Some("up")))
        );
        assert_eq!(make_run(&w("go run .")), None);
        assert_eq!(make_run(&w("make $(TARGET)")), None);
        let text = "# c\nGIT := $(shell git rev-parse HEAD)\n.PHONY: all\n%.o: %.c\n\tcc\nall: build\n\tair\nbuild:\n";
        assert_eq!(first_target(text), Some("all".to_string()));
    }
}
