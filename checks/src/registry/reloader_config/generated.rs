//! Generators in the build (pre_cmd, cmd, and what `make`/`npm run` there runs) that
//! write files air reacts to: each build's output is a change, which starts the next build
//! (a rebuild loop). templ, swag and `go generate`-style tools are known by name; any other
//! tool by the file it names (`-o`, `--output`, `--outfile`, `> file`, sass's second path).

use super::air_view::{air_reacts, air_watches, rel_to_root, watch_root};
use super::commands::{build_steps, Step};
use super::config_file::AirFile;
use super::problems::Problem;
use super::task_runners;
use crate::filepath::clean;
use crate::model::Finding;
use crate::reloaders::air::edit::{Edit, Exclusion};
use crate::reloaders::event_rules::EventRules;
use crate::reloaders::watch_tree::Rules;
use crate::shell::{self, Redirect};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How many watched .go files are opened to find `go generate` output (first 2 KiB each).
const GENERATED_SCAN_LIMIT: usize = 2_000;

enum Generator {
    /// `templ generate`: `x_templ.go` beside each `x.templ`.
    Templ,
    /// `swag init`: `docs.go` in its output folder (root-relative, clean).
    Swag(String),
    /// `go generate` and code generators (sqlc, protoc, mockgen...): whatever they write,
    /// found by Go's "Code generated ... DO NOT EDIT." header.
    GoGenerate,
    /// Any other tool, by the files it names (relative to where it runs).
    Writes(Vec<String>),
}

/// Tools that write Go code with Go's generated-code header.
const GO_CODE_GENERATORS: &[&str] = &[
    "sqlc",
    "protoc",
    "buf",
    "mockgen",
    "stringer",
    "oapi-codegen",
    "gqlgen",
    "wire",
    "ent",
    "abigen",
    "easyjson",
    "ogen",
];

/// A watcher started in the build (`tailwindcss --watch`, `templ generate --watch`) never
/// ends, and air waits for pre_cmd and cmd to end before it starts the app (v1.67.4
/// `runCommand`: `cmd.Wait()`), so the app never starts. One sent to the background
/// (`... --watch &`) is fine.
pub(super) fn watchers(f: &AirFile, out: &mut Vec<Finding>) {
    for (step, lines) in build_lines(f) {
        let Some(line) = lines
            .iter()
            .find(|l| !l.background && l.words.iter().skip(1).any(|w| is_watch_flag(w)))
        else {
            continue;
        };
        let through = through(line.site.as_deref(), &line.words.join(" "));
        out.push(
            Finding::fail(format!(
                "{}: `{}`{through} starts a watcher that never ends: air waits for pre_cmd and cmd to finish before it starts the app, so the app never starts; drop the watch flag (air already reruns the build on every change) or run the watcher beside air",
                f.at(step.key),
                step.line
            ))
            .with_evidence(f.evidence(
                step.key,
                json!({"problem": Problem::WatcherInBuild, "command": line.words.join(" "), "through": line.site}),
            )),
        );
        return;
    }
}

/// ` (through the Makefile's `css` target: `npx tailwindcss ...`)`: where a command the
/// config's step runs was found, when not in the step itself.
fn through(site: Option<&str>, command: &str) -> String {
    site.map(|s| format!(" (through {s}: `{command}`)"))
        .unwrap_or_default()
}

fn is_watch_flag(w: &str) -> bool {
    matches!(w, "--watch" | "-watch")
        || (w.starts_with("--watch=") || w.starts_with("-watch=")) && !w.ends_with("=false")
}

pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    if f.written
        .get("build.exclude_unchanged")
        .and_then(|i| i.as_bool())
        == Some(true)
    {
        return; // air drops events whose file content did not change
    }
    let rules = Rules::air_in(&f.ctx.project.air, &watch_root(f));
    let mut reported: Vec<String> = vec![];
    for (step, lines) in build_lines(f) {
        for Line {
            site,
            words,
            redirects,
            dir,
            guarded,
            ..
        } in lines
        {
            unresolved(f, &step, site.as_deref(), &words, &redirects, out);
            let Some(gen) = generator(&words, &redirects) else {
                continue;
            };
            let written: Vec<String> = gen
                .outputs(f, Some(&rules), &dir)
                .iter()
                .filter(|p| air_reacts(f, p))
                .filter_map(|p| rel_to_root(f, p))
                .filter(|rel| !reported.contains(rel))
                .collect();
            let Some(first) = written.first() else {
                continue;
            };
            // templ from v0.3.1020 leaves an unchanged _templ.go alone: then only a watched
            // .templ edit costs a second build, and with .templ unwatched there is nothing.
            let templ = matches!(gen, Generator::Templ).then(|| {
                templ_version(f, &words, &dir)
                    .filter(|(v, _)| *v <= TEMPL_REWRITES_ALL || *v >= TEMPL_KEEPS_UNCHANGED)
            });
            let templ_new = matches!(&templ, Some(Some((v, _))) if *v >= TEMPL_KEEPS_UNCHANGED);
            let templ_watched = || {
                let source = first.strip_suffix("_templ.go").unwrap_or(first);
                air_reacts(f, &watch_root(f).join(format!("{source}.templ")))
            };
            if templ_new && !templ_watched() {
                continue;
            }
            reported.extend(written.iter().cloned());
            let more = match written.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            let command = words.join(" ");
            let through = through(site.as_deref(), &command);
            let advice = gen.advice(&written);
            let (finding, problem) = if let Some(Some((_, from))) =
                templ.as_ref().filter(|_| templ_new)
            {
                (Finding::warn(format!(
                    "{}: `{}`{through} runs {from}, which rewrites {first}{more} only when its .templ changed (templ v0.3.1020 and later), so no loop, but each .templ edit builds twice; {advice}",
                    f.at(step.key),
                    step.line
                )), Problem::GeneratedExtraBuild)
            } else if let Some(None) = templ {
                (Finding::warn(format!(
                    "{}: `{}`{through} rewrites {first}{more}, which air watches; templ up to v0.3.1001 rewrites every _templ.go on each run, so each build triggers the next (a rebuild loop), v0.3.1020 and later only what changed; which templ runs could not be told (not on PATH, no @version, not in go.mod, or a version between); {advice}",
                    f.at(step.key),
                    step.line
                )), Problem::GeneratedCodeLoop)
            } else if skips_unchanged_output(&words) {
                (Finding::warn(format!(
                    "{}: `{}`{through} rewrites {first}{more}, which air watches; it leaves the file alone when the output is the same (tailwindcss 3.2 and later), so no loop, but each edit that changes the CSS builds twice; {advice}",
                    f.at(step.key),
                    step.line
                )), Problem::GeneratedExtraBuild)
            } else if guarded {
                (Finding::warn(format!(
                    "{}: `{}`{through} rewrites {first}{more}, which air watches; it runs only when its sources changed, so each change builds twice; {advice}",
                    f.at(step.key),
                    step.line
                )), Problem::GeneratedExtraBuild)
            } else {
                let which = match &templ {
                    Some(Some((_, from))) => format!(
                        " ({from}: up to v0.3.1001 templ rewrites every _templ.go on each run)"
                    ),
                    _ => String::new(),
                };
                (Finding::fail(format!(
                    "{}: `{}`{through} rewrites {first}{more}{which}, which air watches: each build triggers the next (a rebuild loop); {advice}, or run the generator from a [[build.rules]] entry that watches its sources",
                    f.at(step.key),
                    step.line
                )), Problem::GeneratedCodeLoop)
            };
            let mut finding = finding.with_evidence(f.evidence(
                step.key,
                json!({"problem": problem, "command": command, "through": site, "generated": written, "exclude_regex_line": f.line("build.exclude_regex")}),
            ));
            if let Some(fix) =
                f.write_fix(format!("{advice} in {}", f.name), gen.edits(f, &written))
            {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

/// A templ that compares its output with the `_templ.go` on disk and leaves an equal one
/// alone (`cmd/templ/generatecmd/eventhandler.go` reads the existing file's hash in
/// v0.3.1020 and later) ...
const TEMPL_KEEPS_UNCHANGED: super::air_on_path::Version = (0, 3, 1020);
/// ... and the last known one that starts each run with no hashes and writes every file
/// (v0.3.1001). Versions between are not known either way: judged as an unknown templ.
const TEMPL_REWRITES_ALL: super::air_on_path::Version = (0, 3, 1001);

/// Which templ `words` run, and how that was found: `@vX` in the command, the binary's build
/// info (`go version -m`, never run), else the go.mod requirement of templ's runtime that
/// `go tool templ` uses and a templ CLI must match.
fn templ_version(
    f: &AirFile,
    words: &[String],
    dir: &Path,
) -> Option<(super::air_on_path::Version, String)> {
    let words = crate::shell::program_words(words);
    if let Some(v) = words
        .iter()
        .find_map(|w| w.split_once("/cmd/templ@").map(|(_, v)| v))
    {
        return super::air_on_path::parse(v).map(|p| (p, format!("templ {v}")));
    }
    let first = words.first()?;
    let go_tool = first == "go" && words.get(1).is_some_and(|w| w == "tool");
    if !go_tool {
        let program = match first.contains('/') {
            true => dir.join(first).to_string_lossy().into_owned(),
            false => first.clone(),
        };
        if let Some(v) = super::air_on_path::installed_tool(&program)
            .filter(|i| i.module.starts_with("github.com/a-h/templ"))
            .and_then(|i| Some((i.version?, i.version_text)))
        {
            return Some((v.0, format!("templ {} ({program})", v.1)));
        }
    }
    let repo = &f.repo;
    let go_mod = dir
        .ancestors()
        .take_while(|d| d.starts_with(repo))
        .find_map(|d| crate::system::files::read_to_string(d.join("go.mod")).ok())?;
    let (_, v) = crate::golang::modfile::requirements(&go_mod)
        .into_iter()
        .find(|(m, _)| m == "github.com/a-h/templ")?;
    super::air_on_path::parse(&v).map(|p| (p, format!("templ {v} (go.mod)")))
}

/// A file the line writes with an extension air reacts to, at a path the doctor cannot
/// resolve (`$(OUT)/app.css`): if it lands in a watched folder, every build starts the next.
/// Said with the evidence, as a warning: the claim cannot be checked.
fn unresolved(
    f: &AirFile,
    step: &Step,
    site: Option<&str>,
    words: &[String],
    redirects: &[Redirect],
    out: &mut Vec<Finding>,
) {
    let exts = &f.ctx.project.air.build.include_ext;
    let reacts = |p: &String| {
        let name = p.rsplit('/').next().unwrap_or(p);
        let ext = crate::filepath::go_ext(name).trim_start_matches('.');
        exts.iter()
            .any(|e| e.trim() == "*" || (!ext.is_empty() && e.trim() == ext))
    };
    let paths: Vec<String> = unresolved_outputs(words, redirects)
        .into_iter()
        .filter(reacts)
        .collect();
    let Some(first) = paths.first() else {
        return;
    };
    let command = words.join(" ");
    let through = through(site, &command);
    out.push(
        Finding::warn(format!(
            "{}: `{}`{through} writes {first}, a file air reacts to (include_ext), in a folder the doctor cannot resolve: if it is a watched one, each build triggers the next (a rebuild loop); exclude that file with exclude_file or exclude_regex, or write it to a folder air does not watch",
            f.at(step.key),
            step.line
        ))
        .with_evidence(f.evidence(
            step.key,
            json!({"problem": Problem::GeneratorOutputUnknown, "command": command, "through": site, "unresolved": paths}),
        )),
    );
}

/// One simple command of the build: a step itself, or a line a Makefile, Taskfile or
/// package.json runs for it.
struct Line {
    /// Where it was read (`Makefile:9`), None for the step itself.
    site: Option<String>,
    words: Vec<String>,
    redirects: Vec<Redirect>,
    /// The folder it runs in (absolute).
    dir: PathBuf,
    /// The runner skips it while its inputs are unchanged.
    guarded: bool,
    /// Sent to the background with `&`.
    background: bool,
}

/// Every build step with the lines it runs.
fn build_lines(f: &AirFile) -> Vec<(Step, Vec<Line>)> {
    let project = f.ctx.project.root.clone();
    build_steps(f)
        .into_iter()
        .map(|step| {
            let dir = clean(&project.join(&step.dir));
            let mut lines = vec![Line {
                site: None,
                words: step.words.clone(),
                redirects: step.redirects.clone(),
                dir: dir.clone(),
                guarded: false,
                background: step.background,
            }];
            for r in task_runners::expand(&step.words, &dir) {
                shell::parse(&r.line).walk(false, &mut |s, scope| {
                    if shell::program(&s.words) == "cd" {
                        return;
                    }
                    lines.push(Line {
                        site: Some(r.site.clone()),
                        words: s.words.clone(),
                        redirects: s.redirects.clone(),
                        dir: clean(&dir.join(&scope.dir)),
                        guarded: r.guarded,
                        background: scope.background,
                    });
                });
            }
            (step, lines)
        })
        .collect()
}

/// Files the build's tools name as their output (`-o`, `> file`, swag's folder), whether
/// or not air reacts to them: a folder excluded because one is written there was excluded
/// on purpose.
pub(super) fn named_outputs(f: &AirFile) -> Vec<PathBuf> {
    let root = watch_root(f);
    build_lines(f)
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .filter_map(|l| match generator(&l.words, &l.redirects)? {
            Generator::Writes(files) => Some(files.iter().map(|p| clean(&l.dir.join(p))).collect()),
            Generator::Swag(dir) => Some(vec![root.join(dir).join("docs.go")]),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The build's generators that run on every build (not a make target skipped while its
/// sources are unchanged, not sent to the background), each with the folder it runs in.
pub(super) struct EachBuild<'a> {
    f: &'a AirFile<'a>,
    generators: Vec<(Generator, PathBuf)>,
}

pub(super) fn each_build<'a>(f: &'a AirFile<'a>) -> EachBuild<'a> {
    let generators = build_lines(f)
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .filter(|l| !l.guarded && !l.background)
        .filter_map(|l| Some((generator(&l.words, &l.redirects)?, l.dir)))
        .collect();
    EachBuild { f, generators }
}

impl EachBuild<'_> {
    /// Whether every file of `dir` that air would react to (were the folder watched) is
    /// written again by these generators on each build: swag's docs/, a package sqlc, protoc
    /// or mockgen fills, a file `> out.go` writes. Leaving such a folder out loses no save:
    /// what runs is regenerated from sources elsewhere every time. A folder holding a
    /// generator's input air watches (a .templ with include_ext "templ", a hand-written
    /// file) is not one.
    pub fn rewrites_all(&self, dir: &Path) -> bool {
        if self.generators.is_empty() {
            return false;
        }
        let f = self.f;
        let root = watch_root(f);
        let events = EventRules::air_in(&f.ctx.project.air, &root, &f.ctx.project.root);
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        let files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && events.wants(p))
            .collect();
        !files.is_empty()
            && files.iter().all(|file| {
                self.generators
                    .iter()
                    .any(|(g, at)| g.rewrites(&root, file, at))
            })
    }
}

/// The Go files a generator in the build rewrites on every build, each with the command that
/// writes it (a make target that runs only when its sources changed is left out): what
/// build-speed measures the cost of.
/// Watched or not: the generator runs either way.
pub(super) fn rewritten_go_files(f: &AirFile) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = vec![];
    for line in build_lines(f).into_iter().flat_map(|(_, lines)| lines) {
        let Some(gen) = generator(&line.words, &line.redirects).filter(|_| !line.guarded) else {
            continue;
        };
        for file in gen.outputs(f, None, &line.dir) {
            let go = file.extension().is_some_and(|e| e == "go");
            if go && !out.iter().any(|(_, seen)| *seen == file) {
                out.push((line.words.join(" "), file));
            }
        }
    }
    out
}

/// A tool that compares its output with the file before writing (tailwindcss's CLI, v3.2 and
/// v4: `outputFile` returns when the contents are equal): the build that follows its write
/// rewrites nothing, so the extra build is one, not a loop.
fn skips_unchanged_output(words: &[String]) -> bool {
    crate::shell::program_words(words).iter().take(4).any(|w| {
        let name = w.rsplit('/').next().unwrap_or(w);
        name == "tailwindcss" || name.starts_with("tailwindcss@") || w.contains("@tailwindcss/cli")
    })
}

fn generator(words: &[String], redirects: &[Redirect]) -> Option<Generator> {
    let words: Vec<&str> = crate::shell::program_words(words)
        .iter()
        .map(String::as_str)
        .collect();
    let first = *words.first()?;
    let program = first.rsplit('/').next().unwrap_or(first);
    // `templ generate`, `go tool templ generate`, `go run .../cmd/templ@v0.3 generate`
    let is_templ = |w: &[&str]| {
        w[0].rsplit('/')
            .next()
            .is_some_and(|t| t.starts_with("templ"))
    };
    if words.windows(2).any(|w| is_templ(w) && w[1] == "generate") {
        return Some(Generator::Templ);
    }
    match words.as_slice() {
        ["go", "generate", ..] => return Some(Generator::GoGenerate),
        ["go", "build" | "install" | "test" | "vet" | "mod", ..] => return None,
        [tool, "init", rest @ ..] if tool.ends_with("swag") => {
            let mut dir = "docs".to_string();
            let mut it = rest.iter();
            while let Some(w) = it.next() {
                if let Some(v) = w
                    .strip_prefix("--output=")
                    .or_else(|| w.strip_prefix("-o="))
                {
                    dir = crate::reloaders::air::config::clean_rel(v);
                } else if matches!(*w, "-o" | "--output") {
                    dir = it
                        .next()
                        .map_or(dir, |v| crate::reloaders::air::config::clean_rel(v));
                }
            }
            return Some(Generator::Swag(dir));
        }
        _ => {}
    }
    let tool = |name: &str| {
        words
            .iter()
            .take(4)
            .any(|w| w.rsplit('/').next() == Some(name) || w.contains(&format!("/{name}@")))
    };
    if GO_CODE_GENERATORS.iter().any(|g| tool(g)) {
        return Some(Generator::GoGenerate);
    }
    if let Some(dir) = bundle_dir(&words) {
        return Some(Generator::Writes(vec![format!("{dir}/index.html")]));
    }
    let (files, _) = written_files(program, &words, redirects);
    (!files.is_empty()).then_some(Generator::Writes(files))
}

/// The folder a front-end bundler's build empties and writes again, index.html included (an
/// extension air watches by default): `vite build` (`--outDir`), `vue-cli-service build`
/// (`--dest`), `parcel build` (`--dist-dir`), each `dist` by default.
fn bundle_dir(words: &[&str]) -> Option<String> {
    let at = words.iter().take(4).position(|w| {
        let name = w.rsplit('/').next().unwrap_or(w);
        matches!(name, "vite" | "parcel") || name.starts_with("vue-cli-service")
    })?;
    if words.get(at + 1) != Some(&"build") {
        return None;
    }
    let mut dir = "dist".to_string();
    let mut it = words[at + 2..].iter();
    while let Some(w) = it.next() {
        match *w {
            "--outDir" | "--dest" | "--dist-dir" | "-d" => {
                if let Some(v) = it.next() {
                    dir = v.to_string();
                }
            }
            w => {
                if let Some(v) = ["--outDir=", "--dest=", "--dist-dir="]
                    .iter()
                    .find_map(|p| w.strip_prefix(p))
                {
                    dir = v.to_string();
                }
            }
        }
    }
    Some(dir.trim_end_matches('/').to_string())
}

/// The files a command names as what it writes (`> file`, `-o`/`--outfile`, sass's second
/// path, cp's and install's destination, `sed -i`'s and tee's files), as written: those that
/// can be read, and those that hold an expansion (`$(OUT)/app.css`) and cannot.
fn written_files(
    program: &str,
    words: &[&str],
    redirects: &[Redirect],
) -> (Vec<String>, Vec<String>) {
    let mut files: Vec<String> = redirects
        .iter()
        .filter(|r| r.writes())
        .map(|r| r.target.clone())
        .collect();
    let args = &words[1..];
    let operands: Vec<&str> = args
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    match program {
        // The destination, or a file of that name in the destination folder.
        "cp" | "install" => {
            if let [sources @ .., dest] = operands.as_slice() {
                let into_dir = dest.ends_with('/') || sources.len() > 1;
                let recursive = args.iter().any(|w| {
                    *w == "--recursive"
                        || (w.starts_with('-')
                            && !w.starts_with("--")
                            && w.contains(['r', 'R', 'a']))
                });
                if !sources.is_empty() && !recursive {
                    for src in sources {
                        let name = src.rsplit('/').next().unwrap_or(src);
                        files.push(match into_dir {
                            true => format!("{}/{name}", dest.trim_end_matches('/')),
                            false => dest.to_string(),
                        });
                    }
                }
            }
        }
        // In place: every file after the script (the first operand, unless -e gave it).
        "sed"
            if args
                .iter()
                .any(|w| w.starts_with("-i") || w.starts_with("--in-place")) =>
        {
            let script_given = args
                .iter()
                .any(|w| *w == "-e" || *w == "-f" || *w == "--expression");
            let skip = usize::from(!script_given);
            let mut it = args.iter().peekable();
            let mut ops = vec![];
            while let Some(w) = it.next() {
                if matches!(*w, "-e" | "-f" | "--expression" | "--file") {
                    it.next();
                } else if !w.starts_with('-') {
                    ops.push(w.to_string());
                }
            }
            files.extend(ops.into_iter().skip(skip));
        }
        "tee" => files.extend(operands.iter().map(|w| w.to_string())),
        // The build's binary is binary.rs's; these write nothing air reacts to, or only
        // what they are told to fetch or unpack.
        "go" if words.get(1) != Some(&"run") => {}
        "mv" | "ln" | "rm" | "mkdir" | "echo" | "printf" | "cd" | "curl" | "wget" | "tar"
        | "docker" => {}
        _ => {
            let mut it = args.iter();
            let mut positional = vec![];
            while let Some(w) = it.next() {
                let value = match *w {
                    "-o" | "--output" | "--out" | "--outfile" | "-output" => {
                        it.next().map(|v| v.to_string())
                    }
                    w => ["--output=", "--out=", "--outfile=", "-o=", "-output="]
                        .iter()
                        .find_map(|p| w.strip_prefix(p))
                        .map(str::to_string),
                };
                match value {
                    Some(v) => files.push(v),
                    None if !w.starts_with('-') => positional.push(*w),
                    None => {}
                }
            }
            // sass/scss: `sass in.scss out.css` or `sass in.scss:out.css`.
            if files.is_empty() && matches!(program, "sass" | "node-sass" | "sassc") {
                match positional.as_slice() {
                    [_, out, ..] => files.push(out.to_string()),
                    [pair] => files.extend(pair.split_once(':').map(|(_, o)| o.to_string())),
                    _ => {}
                }
            }
        }
    }
    files.retain(|p| !p.is_empty() && p != "/dev/null" && p != "-" && !p.starts_with("/dev/"));
    files
        .into_iter()
        .partition(|p| !p.contains('$') && !p.contains("{{") && !p.contains('`'))
}

/// Files a build line writes whose path holds an expansion the doctor does not resolve
/// (`tailwindcss -o $(OUT)/app.css`): where they land is not known.
fn unresolved_outputs(words: &[String], redirects: &[Redirect]) -> Vec<String> {
    let words: Vec<&str> = crate::shell::program_words(words)
        .iter()
        .map(String::as_str)
        .collect();
    let Some(first) = words.first() else {
        return vec![];
    };
    let program = first.rsplit('/').next().unwrap_or(first);
    written_files(program, &words, redirects).1
}

impl Generator {
    /// Files the generator writes: existing ones when there are, else where one would go.
    /// Found in the folders air watches under `rules`, or in every folder of the tree.
    fn outputs(&self, f: &AirFile, rules: Option<&Rules>, dir: &Path) -> Vec<PathBuf> {
        let root = watch_root(f);
        let watched_go_files = || {
            f.ctx
                .watch_tree()
                .dirs
                .iter()
                .filter(|d| rules.is_none_or(|r| air_watches(r, &d.rel)))
                .filter_map(|d| std::fs::read_dir(root.join(&d.rel)).ok())
                .flat_map(|entries| entries.flatten().map(|e| e.path()))
                .collect::<Vec<_>>()
        };
        match self {
            Generator::Swag(dir) => vec![root.join(dir).join("docs.go")],
            Generator::Templ => {
                let files = watched_go_files();
                let made = files
                    .iter()
                    .find(|p| p.to_string_lossy().ends_with("_templ.go"));
                let would = files.iter().find_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    let stem = name.strip_suffix(".templ")?;
                    Some(p.with_file_name(format!("{stem}_templ.go")))
                });
                made.cloned().or(would).into_iter().collect()
            }
            Generator::GoGenerate => watched_go_files()
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "go"))
                .take(GENERATED_SCAN_LIMIT)
                .filter(|p| has_generated_header(p))
                .collect(),
            Generator::Writes(files) => files.iter().map(|p| clean(&dir.join(p))).collect(),
        }
    }

    /// Whether this generator, run in `dir`, writes `file` (absolute): swag's output folder,
    /// a `_templ.go`, Go code with the generated-code header, a file it names.
    fn rewrites(&self, root: &Path, file: &Path, dir: &Path) -> bool {
        match self {
            Generator::Swag(out) => file.parent() == Some(clean(&root.join(out)).as_path()),
            Generator::Templ => file.to_string_lossy().ends_with("_templ.go"),
            Generator::GoGenerate => {
                file.extension().is_some_and(|e| e == "go") && has_generated_header(file)
            }
            Generator::Writes(files) => files.iter().any(|p| clean(&dir.join(p)) == clean(file)),
        }
    }

    fn advice(&self, written: &[String]) -> String {
        match self {
            Generator::Swag(dir) => format!("add \"{dir}\" to exclude_dir"),
            Generator::Templ | Generator::GoGenerate | Generator::Writes(_) => {
                Exclusion::for_written(written).advice
            }
        }
    }

    /// The config edits that exclude the generated files.
    fn edits(&self, f: &AirFile, written: &[String]) -> Vec<Edit> {
        let b = &f.ctx.project.air.build;
        match self {
            Generator::Swag(dir) => vec![Edit::AddToList {
                table: "build",
                key: "exclude_dir",
                entry: dir.clone(),
                defaults: b.exclude_dir.clone(),
            }],
            Generator::Templ | Generator::GoGenerate | Generator::Writes(_) => {
                let ex = Exclusion::for_written(written);
                ex.edits(ex.current(&b.exclude_regex, &b.exclude_file))
            }
        }
    }
}

/// Go's marker for generated files: a `// Code generated ... DO NOT EDIT.` line before the
/// package clause (https://go.dev/s/generatedcode).
fn has_generated_header(path: &std::path::Path) -> bool {
    let mut head = Vec::with_capacity(2048);
    let Ok(file) = crate::system::files::open(path) else {
        return false;
    };
    if file.take(2048).read_to_end(&mut head).is_err() {
        return false;
    }
    String::from_utf8_lossy(&head)
        .lines()
        .take_while(|l| !l.starts_with("package "))
        .any(|l| l.starts_with("// Code generated ") && l.trim_end().ends_with(" DO NOT EDIT."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(line: &str) -> Option<Generator> {
        let c = &shell::commands(line)[0];
        generator(&c.words, &c.redirects)
    }

    #[test]
    fn recognises_generators() {
        assert!(matches!(gen("templ generate"), Some(Generator::Templ)));
        assert!(matches!(
            gen("go tool templ generate -path ."),
            Some(Generator::Templ)
        ));
        assert!(gen("echo templ").is_none());
        assert!(
            matches!(gen("swag init -g main.go -o api/docs"), Some(Generator::Swag(d)) if d == "api/docs")
        );
        assert!(matches!(
            gen("go generate ./..."),
            Some(Generator::GoGenerate)
        ));
        assert!(matches!(gen("sqlc generate"), Some(Generator::GoGenerate)));
        assert!(matches!(
            gen("go run github.com/sqlc-dev/sqlc/cmd/sqlc@v1.27.0 generate"),
            Some(Generator::GoGenerate)
        ));
        assert!(gen("go build -o ./tmp/main .").is_none());
        assert!(gen("cp -r static tmp/static").is_none());
    }

    #[test]
    fn watch_flags() {
        assert!(
            is_watch_flag("--watch") && is_watch_flag("-watch") && is_watch_flag("--watch=always")
        );
        assert!(!is_watch_flag("--watch=false") && !is_watch_flag("-w"));
    }

    #[test]
    fn any_tool_by_the_file_it_names() {
        let files = |line: &str| match gen(line) {
            Some(Generator::Writes(f)) => f,
            _ => vec![],
        };
        assert_eq!(
            files("npx @tailwindcss/cli -i ./web/in.css -o ./web/static/app.css --minify"),
            vec!["./web/static/app.css"]
        );
        assert_eq!(
            files("tailwindcss --input in.css --output=static/out.css"),
            vec!["static/out.css"]
        );
        assert_eq!(
            files("esbuild app.ts --bundle --outfile=static/app.js"),
            vec!["static/app.js"]
        );
        assert_eq!(
            files("sass scss/main.scss static/main.css"),
            vec!["static/main.css"]
        );
        assert_eq!(
            files("sass scss/main.scss:static/main.css"),
            vec!["static/main.css"]
        );
        assert_eq!(
            files("git rev-parse HEAD > version.txt"),
            vec!["version.txt"]
        );
        assert!(files("tailwindcss -o $(OUT)/app.css").is_empty());
        assert_eq!(
            files("cp web/src/app.css web/static/app.css"),
            vec!["web/static/app.css"]
        );
        assert_eq!(
            files("cp -f a.css b.js static/"),
            vec!["static/a.css", "static/b.js"]
        );
        assert!(files("cp -r web/src web/static").is_empty());
        assert_eq!(
            files("sed -i 's/x/y/' views/layout.html"),
            vec!["views/layout.html"]
        );
        assert_eq!(
            files("sed -i.bak -e s/x/y/ a.html b.html"),
            vec!["a.html", "b.html"]
        );
        assert!(files("sed s/x/y/ a.html").is_empty());
        assert_eq!(
            files("echo ok > views/stamp.html"),
            vec!["views/stamp.html"]
        );
        assert_eq!(files("vite build"), vec!["dist/index.html"]);
        assert_eq!(
            files("node node_modules/@vue/cli-service/bin/vue-cli-service.js build --nomaps --dest ../public"),
            vec!["../public/index.html"]
        );
        assert_eq!(
            files("parcel build --dist-dir=web/out"),
            vec!["web/out/index.html"]
        );
        assert!(files("vite dev").is_empty());
        let c = &shell::commands("tailwindcss -o $(OUT)/app.css > ${LOG}")[0];
        assert_eq!(
            unresolved_outputs(&c.words, &c.redirects),
            vec!["${LOG}", "$(OUT)/app.css"]
        );
    }

    #[test]
    fn generated_header_like_go() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let yes = write(
            "a.go",
            "// Code generated by stringer; DO NOT EDIT.\n\npackage a\n",
        );
        let late = write("b.go", "package b\n// Code generated by x; DO NOT EDIT.\n");
        let no = write("c.go", "// Code generated by hand, edit away.\npackage c\n");
        assert!(has_generated_header(&yes));
        assert!(!has_generated_header(&late));
        assert!(!has_generated_header(&no));
    }
}
