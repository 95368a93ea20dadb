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
//! serves a Go program of the repository's own that starts air ([`program_lines`]).

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
        for (at, text) in runs(&body, &consts, &|w: &[String]| {
            w.iter().any(|w| w.contains("air"))
        }) {
            out.push(Line {
                line: i + 1 + body[..at].matches('\n').count(),
                target: target.clone(),
                text,
                place: Place::Host(dir.to_path_buf()),
            });
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
pub(super) fn program_lines(dir: &Path, text: &str, consts: &str) -> Vec<Line> {
    let mut out = lines(dir, text, consts);
    for l in &mut out {
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
        .map(|(at, line)| (at, Step::Run(line)))
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
/// the `cd`s of the `os.Chdir` calls before it and its `cmd.Dir`).
fn runs(
    body: &str,
    consts: &[(String, String)],
    keep: &dyn Fn(&[String]) -> bool,
) -> Vec<(usize, String)> {
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
        let before = body[..at].trim_end();
        let args = arguments(&body[at + pat.len()..], consts);
        if pat == "os.Chdir(" {
            // `defer os.Chdir(wd)`, `defer func() { _ = os.Chdir(wd) }()`: after the call.
            let line_start = body[..at].rfind('\n').map_or(0, |n| n + 1);
            if !body[line_start..at].contains("defer") {
                cds.push(args.first().cloned().unwrap_or_else(|| UNKNOWN.into()));
            }
            continue;
        }
        let words = args.get(skip..).unwrap_or_default();
        if !keep(words) {
            continue;
        }
        let names_air = |w: &String| w == "air" || w.ends_with("/air");
        if pat == ARGV && !words.first().is_some_and(names_air) {
            continue;
        }
        let mut dirs = cds.clone();
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
        out.push((at, text));
    }
    out
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
                .map(|l| (l.line, l.target, l.text))
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
}
