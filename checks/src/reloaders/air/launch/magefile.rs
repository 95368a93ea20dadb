//! mage (`magefile.go`, or the `.go` files of a `magefiles/` folder), read as Go source, never
//! built or run: each target function's `sh.Run("air", "-c", ".air.toml")` (`sh.RunV`,
//! `sh.RunWith(env, ...)`, `sh.RunWithV`, `sh.Exec(env, out, err, ...)`) and
//! `exec.Command("air", ...)` (`exec.CommandContext(ctx, ...)`) becomes a shell line of its
//! arguments. A target runs in the folder mage runs in, the magefile's (for `magefiles/`, its
//! parent's), moved by the `os.Chdir("dir")` before the call in the same function (a `defer
//! os.Chdir` runs after it) and by the command's `cmd.Dir = "dir"`. A string constant of the
//! magefiles (`toolAir = "air"` in a `const` block) is its value; any other argument that is
//! not a string literal is a `$GO` word, so a folder or config it gives stays unknown. A
//! literal argv `[]string{"air", "-c", X}` a helper runs counts as a run too. The same reading
//! serves a Go program of the repository's own that starts air ([`program_lines`]). A local
//! string variable a call passes, assigned only literal values in the function before it
//! (`config := ".air.unix.toml"`, `config = ".air.toml"` under `if runtime.GOOS ==
//! "windows"`), is each of them: one run per value, on its branch's condition.

use super::nested::shell_quote;
use super::{Line, Place};
use std::path::Path;

/// The calls that run a program: (how they are written, arguments before the program).
const RUNNERS: &[(&str, usize)] = &[
    ("sh.Run(", 0),
    ("sh.RunV(", 0),
    ("sh.RunWith(", 1),
    ("sh.RunWithV(", 1),
    ("sh.Exec(", 3),
    ("exec.Command(", 0),
    ("exec.CommandContext(", 1),
];

/// A literal argv a helper runs (`runCommand("SERVER", color, []string{"air", "-c",
/// ".air.server.toml"}, ...)` whose helper does `exec.Command(args[0], args[1:]...)`): taken as
/// a run when its first element is air or a path ending in `/air`.
const ARGV: &str = "[]string{";

/// A non-literal Go argument, as a shell word nothing resolves.
const UNKNOWN: &str = "$GO";

/// `dir`: where mage runs the targets; `consts`: the text of the files whose string constants
/// the magefile sees (the `magefiles/` folder's, or the magefile's own).
pub(super) fn lines(dir: &Path, text: &str, consts: &str) -> Vec<Line> {
    conditional_lines(dir, text, consts)
        .into_iter()
        .map(|(l, _)| l)
        .collect()
}

/// [`lines`], each with the condition on which it runs that command: a local variable given
/// other literal values in other branches (`config := ".air.unix.toml"`, then `config =
/// ".air.toml"` under `if runtime.GOOS == "windows"`) makes one line per value.
fn conditional_lines(dir: &Path, text: &str, consts: &str) -> Vec<(Line, Option<String>)> {
    if !text.contains("air") {
        return vec![];
    }
    let consts = constants(consts);
    let mut out = vec![];
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(target) = lines[i].strip_prefix("func ").map(target_name) else {
            i += 1;
            continue;
        };
        // gofmt puts the closing brace of a top-level function alone at the left margin.
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].starts_with('}'))
            .unwrap_or(lines.len() - 1);
        let body = lines[i..=end].join("\n");
        for (at, text, condition) in runs(&body, &consts, &|w: &[String]| {
            w.iter().any(|w| w.contains("air"))
        }) {
            let line = Line {
                line: i + 1 + body[..at].matches('\n').count(),
                target: target.clone(),
                text,
                place: Place::Host(dir.to_path_buf()),
            };
            out.push((line, condition));
        }
        i = end + 1;
    }
    out
}

/// One top-level function of a magefile.
struct Func<'a> {
    /// The file it is in (`magefile.go`, `magefiles/build.go`).
    file: &'a str,
    name: String,
    /// Its target name ([`target_name`]), None for a helper.
    target: Option<String>,
    params: Vec<String>,
    /// Its first line's index in its file.
    start: usize,
    body: String,
}

/// The functions of `files` ((name, text) of each magefile).
fn functions<'a>(files: &'a [(String, String)]) -> Vec<Func<'a>> {
    let mut out = vec![];
    for (file, text) in files {
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let Some(signature) = lines[i].strip_prefix("func ") else {
                i += 1;
                continue;
            };
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].starts_with('}'))
                .unwrap_or(lines.len() - 1);
            // `goBuild(goos, goarch, output, pkg string) error {`: a method's receiver first.
            let plain = match signature.strip_prefix('(') {
                Some(r) => r.split_once(')').map_or("", |(_, rest)| rest.trim_start()),
                None => signature,
            };
            let name: String = plain
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let params = plain[name.len()..]
                .strip_prefix('(')
                .and_then(|p| p.split_once(')'))
                .map(|(p, _)| {
                    p.split(',')
                        .filter_map(|w| w.split_whitespace().next())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            out.push(Func {
                file,
                target: target_name(signature),
                name,
                params,
                start: i,
                body: lines[i..=end].join("\n"),
            });
            i = end + 1;
        }
    }
    out
}

/// A Go program of the repository's own (a dev runner, `go run ./cmd/dev`), read the same
/// way: its functions are no targets, and it runs in `dir`, where `go run` is typed.
pub(super) fn program_lines(dir: &Path, text: &str, consts: &str) -> Vec<(Line, Option<String>)> {
    let mut out = conditional_lines(dir, text, consts);
    for (l, _) in &mut out {
        l.target = None;
    }
    out
}

/// How deep `mg.Deps` and helper calls are followed.
const MAX_DEPTH: usize = 4;

/// The programs `mage TARGET` runs that `keep` accepts, as (`magefile.go:84`, shell line) in
/// the order written: the target's own `sh.Run`/`exec.Command` calls, those of the targets its
/// `mg.Deps(...)` names (before its own), and those of the magefile's helper functions it
/// calls, a parameter given a string literal or constant being that value
/// (`goBuild(out, cliPkg)` with `func goBuild(output, pkg string)` runs `go build ... ./cli`).
/// `files`: (name, text) of the magefiles, one package. Empty for an unknown target.
pub(crate) fn target_runs(
    files: &[(String, String)],
    target: &str,
    keep: &dyn Fn(&[String]) -> bool,
) -> Vec<(String, String)> {
    let all: String = files
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let consts = constants(&all);
    let funcs = functions(files);
    let target = target.to_lowercase();
    let Some(i) = funcs
        .iter()
        .position(|f| f.target.as_deref() == Some(&target))
    else {
        return vec![];
    };
    let mut out = vec![];
    follow(&funcs, i, &consts, keep, 0, &mut out);
    out
}

fn follow(
    funcs: &[Func],
    i: usize,
    consts: &[(String, String)],
    keep: &dyn Fn(&[String]) -> bool,
    depth: usize,
    out: &mut Vec<(String, String)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let f = &funcs[i];
    let body = &f.body;
    let at_line = |at: usize| {
        format!(
            "{}:{}",
            f.file,
            f.start + 1 + body[..at].matches('\n').count()
        )
    };
    // (offset, what to do): own runs, dependencies, helper calls.
    enum Step {
        Run(String),
        Call(usize, Vec<(String, String)>),
    }
    let mut steps: Vec<(usize, Step)> = runs(body, consts, keep)
        .into_iter()
        .map(|(at, line, _)| (at, Step::Run(line)))
        .collect();
    for pat in [
        "mg.Deps(",
        "mg.SerialDeps(",
        "mg.CtxDeps(",
        "mg.SerialCtxDeps(",
    ] {
        for (at, _) in body.match_indices(pat) {
            let rest = &body[at + pat.len()..];
            let args = rest.split(')').next().unwrap_or("");
            for name in args.split(',').map(str::trim) {
                if let Some(j) = funcs
                    .iter()
                    .position(|g| g.name == name && g.target.is_some())
                {
                    steps.push((at, Step::Call(j, vec![])));
                }
            }
        }
    }
    for (j, g) in funcs.iter().enumerate() {
        if j == i || g.target.is_some() || g.name.is_empty() {
            continue;
        }
        let pat = format!("{}(", g.name);
        for (at, _) in body.match_indices(&pat) {
            let before = body[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let args = arguments(&body[at + pat.len()..], consts);
            // The helper's parameters given a known value; a parameter shadows a constant.
            let mut given: Vec<(String, String)> = vec![];
            for (k, p) in g.params.iter().enumerate() {
                match args.get(k) {
                    Some(v) if v != UNKNOWN => given.push((p.clone(), v.clone())),
                    _ => given.push((p.clone(), UNKNOWN.into())),
                }
            }
            steps.push((at, Step::Call(j, given)));
        }
    }
    steps.sort_by_key(|(at, _)| *at);
    for (at, step) in steps {
        match step {
            Step::Run(line) => out.push((at_line(at), line)),
            Step::Call(j, given) => {
                let mut scope = given;
                scope.extend(
                    consts
                        .iter()
                        .filter(|(n, _)| !scope.iter().any(|(m, _)| m == n))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                // A parameter with no known value is unknown, not a constant of its name.
                scope.retain(|(_, v)| v != UNKNOWN);
                follow(funcs, j, &scope, keep, depth + 1, out);
            }
        }
    }
}

/// `Dev() error {` -> `dev`, `(Watch) Server() error {` -> `watch:server`; None for an
/// unexported function (a helper, not a target).
fn target_name(signature: &str) -> Option<String> {
    let (namespace, rest) = match signature.strip_prefix('(') {
        Some(r) => {
            let (recv, rest) = r.split_once(')')?;
            (recv.split_whitespace().last(), rest.trim_start())
        }
        None => (None, signature),
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !name.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    // mage matches targets without regard to case: `mage watch:server`.
    Some(
        match namespace {
            Some(ns) => format!("{}:{name}", ns.trim_start_matches('*')),
            None => name,
        }
        .to_lowercase(),
    )
}

/// Each program run in one function's `body` that may be air: (byte offset, shell line with
/// the `cd`s of the `os.Chdir` calls before it and its `cmd.Dir`, the condition it runs on).
/// A local string variable the call passes, assigned only literal values before it, is each
/// value it may hold ([`locals`]): one run per value, on the condition of its branch.
fn runs(
    body: &str,
    consts: &[(String, String)],
    keep: &dyn Fn(&[String]) -> bool,
) -> Vec<(usize, String, Option<String>)> {
    // Every call of interest in the order written.
    let mut calls: Vec<(usize, &str, usize)> = RUNNERS
        .iter()
        .flat_map(|(pat, skip)| body.match_indices(pat).map(move |(at, p)| (at, p, *skip)))
        .chain(body.match_indices(ARGV).map(|(at, p)| (at, p, 0)))
        .chain(body.match_indices("os.Chdir(").map(|(at, p)| (at, p, 0)))
        .collect();
    calls.sort();
    let mut cds: Vec<String> = vec![];
    let mut out = vec![];
    for (at, pat, skip) in calls {
        let call = &body[at + pat.len()..];
        if pat == "os.Chdir(" {
            // `defer os.Chdir(wd)`, `defer func() { _ = os.Chdir(wd) }()`: after the call.
            let line_start = body[..at].rfind('\n').map_or(0, |n| n + 1);
            if !body[line_start..at].contains("defer") {
                let args = arguments(call, consts);
                cds.push(args.first().cloned().unwrap_or_else(|| UNKNOWN.into()));
            }
            continue;
        }
        // A local shadows a constant of its name.
        let with = |name: &str, value: &str| {
            let mut scope = vec![(name.to_string(), value.to_string())];
            scope.extend(consts.iter().cloned());
            scope
        };
        let used = locals(&body[..at]).into_iter().find(|(name, _)| {
            arguments(call, &with(name, "\u{0}"))
                .iter()
                .any(|a| a == "\u{0}")
        });
        let scopes: Vec<(Scope, Option<String>)> = match used {
            Some((name, values)) => {
                let many = values.len() > 1;
                values
                    .into_iter()
                    .map(|(v, c)| (with(&name, &v), c.filter(|_| many)))
                    .collect()
            }
            None => vec![(consts.to_vec(), None)],
        };
        for (scope, condition) in scopes {
            if let Some(text) = one_run(body, at, pat, skip, &scope, &cds, keep) {
                out.push((at, text, condition));
            }
        }
    }
    out
}

/// The shell line of the call at `at` (`pat` its runner, `skip` its arguments before the
/// program), its names given the values of `scope`; None when `keep` refuses it.
fn one_run(
    body: &str,
    at: usize,
    pat: &str,
    skip: usize,
    scope: &[(String, String)],
    cds: &[String],
    keep: &dyn Fn(&[String]) -> bool,
) -> Option<String> {
    let before = body[..at].trim_end();
    let args = arguments(&body[at + pat.len()..], scope);
    let words = args.get(skip..).unwrap_or_default();
    if !keep(words) {
        return None;
    }
    let names_air = |w: &String| w == "air" || w.ends_with("/air");
    if pat == ARGV && !words.first().is_some_and(names_air) {
        return None;
    }
    let mut dirs = cds.to_vec();
    // `cmd := exec.Command(...)` then `cmd.Dir = "api"`.
    if let Some(var) = assigned_to(before) {
        let dir_set = format!("{var}.Dir =");
        if let Some(d) = body[at..].find(&dir_set) {
            let value = body[at + d + dir_set.len()..].trim_start();
            dirs.push(literal(value).map_or_else(|| UNKNOWN.into(), |(s, _)| s));
        }
    }
    let mut text: String = dirs
        .iter()
        .map(|d| format!("cd {} && ", shell_quote(d)))
        .collect();
    text.push_str(
        &words
            .iter()
            .map(|w| shell_quote(w))
            .collect::<Vec<_>>()
            .join(" "),
    );
    Some(text)
}

/// Names and their string values.
type Scope = Vec<(String, String)>;

/// The values a local may hold, each with the condition it holds on (None: always).
type Values = Vec<(String, Option<String>)>;

/// Where a local variable's assignment is, for the condition it holds on.
#[derive(Debug, Clone, PartialEq)]
enum Branch {
    /// In the function's own block: it holds unless a branch after it sets another value.
    Top,
    /// Under `if runtime.GOOS == "windows"`, `case "darwin", "linux":` (GOOS values).
    On(Vec<String>),
    /// Under `if runtime.GOOS != "windows"`, or the `else` of an `==` test.
    NotOn(Vec<String>),
    /// Any other branch: its condition in words.
    Other(String),
}

/// The string variables of a function body (up to the call: `before`) assigned only literal
/// values (`config := ".air.unix.toml"`, `config = ".air.toml"`, `var config = "..."`), each
/// with the values it may hold there and the condition of each: an assignment in the
/// function's own block hides those before it. A name also given anything else is left out.
fn locals(before: &str) -> Vec<(String, Values)> {
    let lines: Vec<&str> = before.lines().collect();
    let mut found: Vec<(String, Vec<(String, Branch)>)> = vec![];
    let mut unknown: Vec<String> = vec![];
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let t = t.strip_prefix("var ").unwrap_or(t);
        let Some(eq) = t.find('=') else { continue };
        let (lhs, rhs) = (&t[..eq], t[eq + 1..].trim_start());
        if rhs.starts_with('=') || lhs.ends_with(['!', '<', '>', '+', '-']) {
            continue;
        }
        let mut words = lhs.trim_end_matches(':').split_whitespace();
        let (Some(name), None | Some("string")) = (words.next(), words.next()) else {
            continue;
        };
        if !name.chars().all(|c| c.is_alphanumeric() || c == '_') || name == "_" {
            continue;
        }
        let value = literal(rhs).filter(|(_, rest)| {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with("//")
        });
        let Some((value, _)) = value else {
            unknown.push(name.to_string());
            continue;
        };
        let branch = branch_of(&lines, i);
        let at = match found.iter().position(|(n, _)| n == name) {
            Some(k) => k,
            None => {
                found.push((name.to_string(), vec![]));
                found.len() - 1
            }
        };
        if branch == Branch::Top {
            found[at].1.clear();
        }
        found[at].1.push((value, branch));
    }
    found
        .into_iter()
        .filter(|(n, _)| !unknown.contains(n))
        .map(|(name, values)| {
            let others: Vec<&Branch> = values.iter().skip(1).map(|(_, b)| b).collect();
            let said = values
                .iter()
                .map(|(v, b)| {
                    let c = match b {
                        // On the systems no later branch names, when they all name some.
                        Branch::Top => {
                            let mut named: Vec<String> = vec![];
                            for o in &others {
                                match o {
                                    Branch::On(os) => named.extend(os.iter().cloned()),
                                    _ => named.clear(),
                                }
                            }
                            match named.is_empty() {
                                true => format!("unless a later branch sets `{name}`"),
                                false => format!("{} (runtime.GOOS)", not_on(&named)),
                            }
                        }
                        Branch::On(os) => format!("{} (runtime.GOOS)", on(os)),
                        Branch::NotOn(os) => format!("{} (runtime.GOOS)", not_on(os)),
                        Branch::Other(said) => said.clone(),
                    };
                    (v.clone(), Some(c))
                })
                .collect();
            (name, said)
        })
        .collect()
}

/// "on Windows", "on macOS or Linux".
fn on(systems: &[String]) -> String {
    format!(
        "on {}",
        systems
            .iter()
            .map(|s| os_name(s))
            .collect::<Vec<_>>()
            .join(" or ")
    )
}

/// "not on Windows".
fn not_on(systems: &[String]) -> String {
    format!(
        "not on {}",
        systems
            .iter()
            .map(|s| os_name(s))
            .collect::<Vec<_>>()
            .join(" or ")
    )
}

fn os_name(goos: &str) -> String {
    match goos {
        "windows" => "Windows".into(),
        "darwin" => "macOS".into(),
        "linux" => "Linux".into(),
        other => other.into(),
    }
}

/// The branch line `i` of gofmt'd `lines` is in: the nearest line above it indented less
/// opens its block.
fn branch_of(lines: &[&str], i: usize) -> Branch {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(lines[i]);
    let Some(j) = (0..i)
        .rev()
        .find(|&j| !lines[j].trim().is_empty() && indent(lines[j]) < own)
    else {
        return Branch::Top;
    };
    let opener = lines[j].trim();
    if opener.starts_with("func ") {
        return Branch::Top;
    }
    // `if runtime.GOOS == "windows" {`, `} else if runtime.GOOS != "darwin" {`.
    let goos_test = |t: &str| -> Option<(bool, String)> {
        let rest = t.split("runtime.GOOS").nth(1)?.trim_start();
        let (eq, rest) = match (rest.strip_prefix("=="), rest.strip_prefix("!=")) {
            (Some(r), _) => (true, r),
            (_, Some(r)) => (false, r),
            _ => return None,
        };
        let (value, _) = literal(rest.trim_start())?;
        Some((eq, value))
    };
    if opener.starts_with("if ") || opener.starts_with("} else if ") {
        return match goos_test(opener) {
            Some((true, os)) => Branch::On(vec![os]),
            Some((false, os)) => Branch::NotOn(vec![os]),
            None => Branch::Other(format!("in the branch `{opener}` opens")),
        };
    }
    if opener == "} else {" {
        // The `if` it ends: the nearest line above at its indentation that starts one.
        let test = (0..j)
            .rev()
            .find(|&k| {
                indent(lines[k]) == indent(lines[j]) && lines[k].trim_start().starts_with("if ")
            })
            .and_then(|k| goos_test(lines[k]));
        return match test {
            Some((true, os)) => Branch::NotOn(vec![os]),
            Some((false, os)) => Branch::On(vec![os]),
            None => Branch::Other(format!("in the branch `{opener}` opens")),
        };
    }
    // `case "darwin", "linux":` under `switch runtime.GOOS {` (gofmt: at the switch's indent).
    let switch = (0..j).rev().find(|&k| {
        indent(lines[k]) == indent(lines[j]) && lines[k].trim_start().starts_with("switch ")
    });
    let on_goos = switch.is_some_and(|k| lines[k].contains("runtime.GOOS"));
    if let Some(cases) = opener
        .strip_prefix("case ")
        .and_then(|c| c.strip_suffix(':'))
    {
        let systems: Option<Vec<String>> = cases
            .split(',')
            .map(|c| literal(c.trim()).map(|(v, _)| v))
            .collect();
        if let (true, Some(systems)) = (on_goos, systems) {
            return Branch::On(systems);
        }
    }
    if opener == "default:" && on_goos {
        return Branch::Other(
            "on the systems no `case` of `switch runtime.GOOS` names".to_string(),
        );
    }
    Branch::Other(format!("in the branch `{opener}` opens"))
}

/// The variable a call is assigned to: `cmd := ` / `cmd = ` right before it.
fn assigned_to(before: &str) -> Option<&str> {
    let lhs = before
        .strip_suffix(":=")
        .or_else(|| before.strip_suffix('='))?
        .trim_end();
    let start = lhs
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let var = &lhs[start..];
    (!var.is_empty()).then_some(var)
}

/// The top-level string constants and variables of Go source (`name = "v"` in a `const (...)`
/// block, `const name = "v"`, `var name string = "v"`); a name given two values is left out.
fn constants(src: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    let mut twice: Vec<String> = vec![];
    let mut in_block = false;
    for line in src.lines() {
        // `const name = ...` at the top level, or a line of a `const (` / `var (` block.
        if matches!(line.trim_end(), "const (" | "var (") {
            in_block = true;
            continue;
        }
        if in_block && line.starts_with(')') {
            in_block = false;
            continue;
        }
        let t = match in_block {
            true => line.trim_start(),
            false => match line.strip_prefix("const ").or(line.strip_prefix("var ")) {
                Some(t) => t,
                None => continue,
            },
        };
        let Some((name, value)) = t.split_once('=') else {
            continue;
        };
        let mut words = name.split_whitespace();
        let (Some(name), None | Some("string")) = (words.next(), words.next()) else {
            continue;
        };
        let ident = name.chars().all(|c| c.is_alphanumeric() || c == '_');
        let Some((value, rest)) = literal(value.trim_start()) else {
            continue;
        };
        let rest = rest.trim();
        if !ident || !(rest.is_empty() || rest.starts_with("//")) {
            continue;
        }
        match out.iter().find(|(n, _)| n == name) {
            Some((_, v)) if *v != value => twice.push(name.to_string()),
            Some(_) => {}
            None => out.push((name.to_string(), value)),
        }
    }
    out.retain(|(n, _)| !twice.contains(n));
    out
}

/// A call's arguments up to its closing parenthesis (a slice literal's elements up to its
/// closing brace): string literals and the names of `consts` as their value, anything else as
/// [`UNKNOWN`] (a `args...` spread too).
fn arguments(src: &str, consts: &[(String, String)]) -> Vec<String> {
    let mut out = vec![];
    let mut rest = src;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with([')', '}']) {
            return out;
        }
        if let Some((value, after)) = literal(rest) {
            let next = after.trim_start();
            if next.starts_with([',', ')', '}']) {
                out.push(value);
                rest = next.strip_prefix(',').unwrap_or(next);
                continue;
            }
        }
        let name_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let after = rest[name_end..].trim_start();
        if let Some((_, v)) = consts.iter().find(|(n, _)| *n == rest[..name_end]) {
            if after.starts_with([',', ')', '}']) {
                out.push(v.clone());
                rest = after.strip_prefix(',').unwrap_or(after);
                continue;
            }
        }
        // An expression: skip to the comma or parenthesis that ends it at this level.
        let mut depth = 0usize;
        let mut end = rest.len();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => {
                    end = i;
                    break;
                }
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    end = i;
                    break;
                }
                '"' | '`' => {
                    // Skip the string: its commas and parentheses are not the call's.
                    let close = c;
                    let mut escaped = false;
                    for (_, d) in chars.by_ref() {
                        if close == '"' && d == '\\' && !escaped {
                            escaped = true;
                            continue;
                        }
                        if d == close && !escaped {
                            break;
                        }
                        escaped = false;
                    }
                }
                _ => {}
            }
        }
        out.push(UNKNOWN.into());
        rest = &rest[end..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
        if rest.trim_start().starts_with([')', '}']) || end == 0 {
            return out;
        }
    }
}

/// A Go string literal at the start of `src` (`"..."` with escapes, or a raw `` `...` ``),
/// with what follows it.
fn literal(src: &str) -> Option<(String, &str)> {
    let mut chars = src.char_indices();
    let (_, open) = chars.next()?;
    if open == '`' {
        let end = src[1..].find('`')? + 1;
        return Some((src[1..end].to_string(), &src[end + 1..]));
    }
    if open != '"' {
        return None;
    }
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &src[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                value.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            '\n' => return None,
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A target's go commands: its mg.Deps first, then its own, then a helper's with the
    /// parameters the call gives (a constant, a literal); an unknown argument stays unknown.
    #[test]
    fn target_runs_follow_deps_and_helpers() {
        let src = "//go:build mage\n\npackage main\n\nconst cliPkg = \"./cli\"\n\nfunc goBuild(output, pkg string) error {\n\treturn sh.RunWithV(env, \"go\", \"build\",\n\t\t\"-o\", output,\n\t\tpkg,\n\t)\n}\n\nfunc Gen() error {\n\treturn sh.Run(\"go\", \"generate\", \"./...\")\n}\n\nfunc BuildCLIDev() error {\n\tmg.Deps(Gen)\n\tfmt.Println(\"go\")\n\treturn goBuild(filepath.Join(home(), \"cli\"), cliPkg)\n}\n\nfunc BuildD() error {\n\treturn exec.Command(\"go\", \"build\", \"-o\", \"tmp/d\", \"./daemon\").Run()\n}\n\nfunc Other() error {\n\treturn goBuild(\"x\", dynamic())\n}\n";
        let files = vec![("magefile.go".to_string(), src.to_string())];
        let go = |w: &[String]| w.first().is_some_and(|p| p == "go");
        assert_eq!(
            target_runs(&files, "buildCLIDev", &go),
            vec![
                (
                    "magefile.go:15".to_string(),
                    "go generate ./...".to_string()
                ),
                (
                    "magefile.go:8".to_string(),
                    "go build -o '$GO' ./cli".to_string()
                ),
            ]
        );
        assert_eq!(
            target_runs(&files, "buildd", &go),
            vec![(
                "magefile.go:25".to_string(),
                "go build -o tmp/d ./daemon".to_string()
            )]
        );
        assert_eq!(
            target_runs(&files, "other", &go),
            vec![(
                "magefile.go:8".to_string(),
                "go build -o x '$GO'".to_string()
            )]
        );
        assert!(target_runs(&files, "missing", &go).is_empty());
        assert!(
            target_runs(&files, "goBuild", &go).is_empty(),
            "a helper is no target"
        );
    }

    fn found(src: &str) -> Vec<(usize, Option<String>, String)> {
        lines(
            Path::new("/r"),
            src,
            "const (\n\ttoolAir = \"air\" // the reloader\n\tdup = \"a\"\n)\n\nvar dup = \"b\"\n",
        )
        .into_iter()
        .map(|l| (l.line, l.target, l.text))
        .collect()
    }

    /// The shapes of real magefiles: `sh.Run("air", "-c", "air.conf")` in a `Watch`
    /// namespace, `os.Chdir("./remake-backend/cmd/")` with a `defer os.Chdir("..")` before
    /// `sh.Run("air")`, `cmd := exec.Command("air")` with `cmd.Dir = projectDir`, and
    /// `sh.RunV("air", "-v")` only checking it is there, and Damianko135/playground-go's
    /// `exec.Command(toolAir, "-c", ".air.toml")` with `toolAir = "air"` in a const block.
    #[test]
    fn targets_that_run_air() {
        let src = "//go:build mage\n\npackage main\n\nfunc (Watch) Server() error {\n\treturn sh.Run(\"air\", \"-c\", \"air.conf\")\n}\n\nfunc BEDev() error {\n\tfmt.Println(\"air, (go)\")\n\tos.Chdir(\"./remake-backend/cmd/\")\n\tdefer os.Chdir(\"..\")\n\terr := sh.Run(\"air\")\n\treturn err\n}\n\nfunc Dev() error {\n\tif err := sh.Run(\"air\", \"-v\"); err != nil {\n\t\treturn err\n\t}\n\treturn sh.RunWithV(map[string]string{\"A\": \"1,2)\"},\n\t\t\"air\", \"-c\", `.air.dev.toml`)\n}\n\nfunc runAir(dir string) error {\n\tcmd := exec.Command(\"air\", \"-c\", \".air.toml\")\n\tcmd.Dir = dir\n\treturn cmd.Run()\n}\n\nfunc setupAir() *exec.Cmd {\n\tcmd := exec.Command(toolAir, \"-c\", dup)\n\treturn cmd\n}\n";
        assert_eq!(
            found(src),
            vec![
                (6, Some("watch:server".into()), "air -c air.conf".into()),
                (
                    13,
                    Some("bedev".into()),
                    "cd ./remake-backend/cmd/ && air".into()
                ),
                (18, Some("dev".into()), "air -v".into()),
                (21, Some("dev".into()), "air -c .air.dev.toml".into()),
                (26, None, "cd '$GO' && air -c .air.toml".into()),
                (32, None, "air -c '$GO'".into()),
            ]
        );
    }

    /// A Go dev runner's literal argv handed to a helper that runs `exec.Command(args[0],
    /// args[1:]...)` (ktnyt/GoWebStack's `[]string{"air", "-c", ".air.server.toml"}`,
    /// CharaXiv/charaxiv.app's `/home/exedev/go/bin/air`, a constant naming air): air runs in
    /// the folder given, with no target. A slice whose first element is not air (a tailwind
    /// watcher, an `airflow` argv) is no run of air, and the helper's own `exec.Command` is
    /// nothing known.
    #[test]
    fn a_literal_argv_naming_air_in_a_program() {
        let src = "package main\n\nfunc server(wg *sync.WaitGroup) {\n\trunCommand(\"SERVER\", colorPurple, []string{\"air\", \"-c\", \".air.server.toml\"}, wg, true)\n}\n\nfunc fmtWatch(wg *sync.WaitGroup) {\n\trunCommand(\"FMT\", []string{\"/home/exedev/go/bin/air\", \"-c\", \".air.fmt.toml\"}, wg)\n}\n\nfunc tailwind(wg *sync.WaitGroup) {\n\trunCommand(\"TW\", []string{\"mise\", \"x\", \"--\", \"bunx\", \"tailwindcss\", \"-c\", \"air.css\"}, wg)\n\trunCommand(\"X\", []string{\"airflow\", \"-c\", \"air.toml\"}, wg)\n}\n\nfunc Templ(wg *sync.WaitGroup) {\n\targs := []string{toolAir,\n\t\t\"-c\", \".air.templ.toml\",\n\t}\n\trunCommand(\"TEMPL\", args, wg)\n}\n\nfunc runCommand(name string, args []string, wg *sync.WaitGroup) {\n\tcmd := exec.Command(args[0], args[1:]...)\n\t_ = cmd.Run()\n}\n";
        let got: Vec<(usize, Option<String>, String)> =
            program_lines(Path::new("/r"), src, "const (\n\ttoolAir = \"air\"\n)\n")
                .into_iter()
                .map(|(l, _)| (l.line, l.target, l.text))
                .collect();
        assert_eq!(
            got,
            vec![
                (4, None, "air -c .air.server.toml".into()),
                (8, None, "/home/exedev/go/bin/air -c .air.fmt.toml".into()),
                (17, None, "air -c .air.templ.toml".into()),
            ]
        );
    }

    /// A config chosen into a local by runtime.GOOS (`if`, `if/else`, `switch`): one run per
    /// value on its condition; a value set in the function's block after the branches hides
    /// them; a local also given a non-literal is not resolved.
    #[test]
    fn a_local_chosen_by_goos_is_each_value_on_its_condition() {
        let said = |body: &str| -> Vec<(String, Option<String>)> {
            let src = format!("package main\n\nfunc main() {{\n{body}}}\n");
            program_lines(Path::new("/r"), &src, "")
                .into_iter()
                .map(|(l, c)| (l.text, c))
                .collect()
        };
        let s = |t: &str| t.to_string();
        assert_eq!(
            said("\tconfig := \".air.unix.toml\"\n\tif runtime.GOOS == \"windows\" {\n\t\tconfig = \".air.toml\"\n\t}\n\tcmd := exec.Command(\"air\", \"-c\", config)\n\tcmd.Run()\n"),
            vec![
                (s("air -c .air.unix.toml"), Some(s("not on Windows (runtime.GOOS)"))),
                (s("air -c .air.toml"), Some(s("on Windows (runtime.GOOS)"))),
            ]
        );
        assert_eq!(
            said("\tvar config string\n\tswitch runtime.GOOS {\n\tcase \"darwin\", \"linux\":\n\t\tconfig = \".air.unix.toml\"\n\tdefault:\n\t\tconfig = \".air.win.toml\"\n\t}\n\texec.Command(\"air\", \"-c\", config).Run()\n"),
            vec![
                (s("air -c .air.unix.toml"), Some(s("on macOS or Linux (runtime.GOOS)"))),
                (s("air -c .air.win.toml"), Some(s("on the systems no `case` of `switch runtime.GOOS` names"))),
            ]
        );
        assert_eq!(
            said("\tconfig := \".air.unix.toml\"\n\tswitch runtime.GOOS {\n\tcase \"darwin\", \"linux\":\n\t\tconfig = \".air.mac.toml\"\n\tdefault:\n\t\tconfig = \".air.win.toml\"\n\t}\n\texec.Command(\"air\", \"-c\", config).Run()\n"),
            vec![
                (s("air -c .air.unix.toml"), Some(s("unless a later branch sets `config`"))),
                (s("air -c .air.mac.toml"), Some(s("on macOS or Linux (runtime.GOOS)"))),
                (s("air -c .air.win.toml"), Some(s("on the systems no `case` of `switch runtime.GOOS` names"))),
            ]
        );
        assert_eq!(
            said("\tconfig := \".air.a.toml\"\n\tif debug {\n\t\tconfig = \".air.b.toml\"\n\t}\n\tconfig = \".air.c.toml\"\n\texec.Command(\"air\", \"-c\", config).Run()\n"),
            vec![(s("air -c .air.c.toml"), None)]
        );
        assert_eq!(
            said("\tconfig := \".air.a.toml\"\n\tif len(os.Args) > 1 {\n\t\tconfig = os.Args[1]\n\t}\n\texec.Command(\"air\", \"-c\", config).Run()\n"),
            vec![(s("air -c '$GO'"), None)]
        );
    }
}
