//! The binary air runs against what the build writes (air v1.67.4: `runner/engine.go`
//! `buildRun`, `runBin`; `runner/util.go` `formatPath`; `runner/config.go` `preprocess`).
//!
//! air runs `pre_cmd`, then `cmd`, waits for both to end, then starts `bin` (made absolute
//! and, when it holds a space, quoted as one path), `entrypoint` or `full_bin`. A finding
//! fails only when that binary is surely not what the build wrote; when a task runner, a
//! `mv` or a `pre_cmd` may put it there, nothing is said.

use super::commands::{self, build_steps, is_task_runner, moves_into, Step};
use super::config_file::AirFile;
use super::problems::Problem;
use super::windows_config;
use crate::filepath::clean;
use crate::golang::build_plan::{self as build_cmd, BuildPlan};
use crate::model::{Finding, Severity};
use crate::reloaders::air::edit::Edit;
use crate::reloaders::air::versions::{self, Holds};
use serde_json::json;
use std::path::{Path, PathBuf};

pub(super) fn findings(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    // What runs inside `$(...)` only prints a value for another command.
    let steps: Vec<Step> = build_steps(f)
        .into_iter()
        .filter(|s| !s.substituted)
        .collect();
    if templates(f, &steps, out) || windows_only(f, &steps, out) || go_run(f, &steps, out) {
        return;
    }
    if build_only(f, out) {
        return;
    }
    let unknown_dir = unknown_build_dir(f, &steps, out);
    let mut library = false;
    if !unknown_dir {
        missing_sources(f, &steps, out);
        empty_packages(f, &steps, out);
        library = builds_library(f, &steps, out);
    }
    bin_with_arguments(f, out);
    if unknown_dir || library {
        return;
    }
    let Some(runner) = runner(f) else { return };
    if Path::new(&runner.written).is_absolute() && !runner.path.starts_with(&f.ctx.project.root) {
        return; // a tool outside the project (`/usr/bin/doppler run -- ./tmp/main`, dlv)
    }
    let cwd = f.ctx.project.root.clone();
    let placed_otherwise = steps.iter().any(|s| {
        is_task_runner(s)
            || moves_into(s, &runner.path, &cwd)
            || (s.key == "build.pre_cmd" && s.is_go("build"))
    });
    if placed_otherwise {
        return;
    }
    if !steps
        .iter()
        .any(|s| s.key == "build.cmd" && s.is_go("build"))
    {
        return; // cmd is not a go build (a script, a custom tool): nothing to compare
    }
    // Every `go build` of cmd (`go build ./... && go build -o ./tmp/main .` vets, then builds):
    // one that writes what air runs is enough.
    let plans: Vec<BuildPlan> = steps
        .iter()
        .filter(|s| s.key == "build.cmd" && s.is_go("build"))
        .map(|s| BuildPlan::parse(&as_line(s)))
        .collect();
    if plans
        .iter()
        .any(|p| writes(f, p).as_ref() == Some(&runner.path))
    {
        return;
    }
    let last = plans.iter().rfind(|p| p.output.is_some()).unwrap_or(build);
    match &last.output {
        None => no_output(f, last, &runner, out),
        Some(output) => mismatch(f, last, output, &runner, out),
    }
}

/// `bin = "echo 'build complete'"` (or `true`, `:`, `printf`): the config asks air to run
/// no app after a build, a build-on-save loop for a CLI (endalk200/termflow's cli). air
/// joins bin to root and runs `./echo ...`, which is not there, so each build ends in an
/// error line and nothing else is lost: a note, not a mismatch. True when reported.
fn build_only(f: &AirFile, out: &mut Vec<Finding>) -> bool {
    let c = &f.ctx.project.air.build;
    if !c.full_bin.is_empty() || c.entrypoint.is_some() {
        return false;
    }
    let (program, _) = bin_words(&c.bin);
    if !matches!(program.as_str(), "echo" | "printf" | "true" | ":") {
        return false;
    }
    out.push(
        Finding::info(format!(
            "{}: bin = \"{}\" runs no app after a build (a build-only loop): air joins bin to its root and runs ./{program}, which is not there, so each build ends with an error line; to print instead, use full_bin = \"{}\" (full_bin runs through the shell)",
            f.at("build.bin"),
            c.bin,
            c.bin
        ))
        .with_evidence(f.evidence(
            "build.bin",
            json!({"problem": Problem::BinWithArguments, "build_only": true}),
        )),
    );
    true
}

/// A `go build` after `cd src/${SERVICE_NAME}` or `cd $DIR`: go runs in a folder this config
/// does not name, and its package and `-o` paths are relative to that folder, so neither a
/// missing package nor a bin/-o mismatch can be told (nor a bin fix offered). True when
/// reported: an info that says why they were not judged.
fn unknown_build_dir(f: &AirFile, steps: &[Step], out: &mut Vec<Finding>) -> bool {
    let Some(step) = steps
        .iter()
        .find(|s| s.key == "build.cmd" && s.is_go("build") && !s.dir_known)
    else {
        return false;
    };
    out.push(
        Finding::info(format!(
            "{}: cmd = \"{}\" builds after a `cd` into a folder named by a variable: its package and -o paths are relative to that folder, which is not known here, so whether the package is there and whether -o writes the bin air runs were not judged",
            f.at(step.key),
            f.ctx.project.air.build.cmd
        ))
        .with_evidence(f.evidence(step.key, json!({"problem": Problem::BuildDirUnknown}))),
    );
    true
}

/// The last `go build` of cmd builds one folder whose package is not main (a config beside
/// `configs/config.go`, run by plain air there): go compiles it into a package archive at
/// `-o` (an `ar` file; air's start of it fails with "Permission denied", exit 126), or
/// without `-o` writes no file at all. Checked with real go and air. True when reported.
fn builds_library(f: &AirFile, steps: &[Step], out: &mut Vec<Finding>) -> bool {
    let Some(step) = steps
        .iter()
        .rfind(|s| s.key == "build.cmd" && s.is_go("build"))
    else {
        return false;
    };
    let plan = BuildPlan::parse(&as_line(step));
    let [package] = &plan.packages[..] else {
        return false;
    };
    if let Some(var) = unset_variable(f, &plan, package) {
        return unset_package(f, step.key, &plan, package, var, out);
    }
    let folder_arg = package == "." || package.starts_with("./") || package.starts_with("../");
    if !folder_arg
        || package.contains(['$', '*', '?', '[', '{', '`', '~'])
        || package.ends_with("/...")
    {
        return false;
    }
    let dir = plan.main_dir(&f.ctx.project.root);
    let Some(name) = crate::golang::source::library_package(&dir) else {
        return false;
    };
    let shown = match f.ctx.project.display_path(&clean(&dir)) {
        d if d.is_empty() => ".".to_string(),
        d => d,
    };
    let what = match &plan.output {
        Some(o) => format!("go writes a package archive to {o}, not a program, and air's start of it fails (\"Permission denied\", exit 126)"),
        None => "go writes no file (a package that is not main builds to nothing), so air starts no new binary".to_string(),
    };
    let instead = match below_with_main(&dir).as_slice() {
        [] => "build the folder that holds `package main` and `func main`".to_string(),
        found => build_instead(found),
    };
    out.push(
        Finding::fail(format!(
            "{}: `go build` builds `{package}` ({shown}/), whose package is {name}, not main: {what}; {instead}, or run air with `-c` from the folder whose package is main",
            f.at(step.key),
        ))
        .with_evidence(f.evidence(
            step.key,
            json!({"problem": Problem::BuildsLibrary, "package": name, "build_dir": shown}),
        )),
    );
    true
}

/// The variable of a package argument that is only `$VAR` or `${VAR}` when nothing here sets
/// it: not a `VAR=x` before go, not an assignment anywhere in the build, not the env of a
/// container that runs air, and no `env_files` air loads before the build.
fn unset_variable<'p>(f: &AirFile, plan: &BuildPlan, package: &'p str) -> Option<&'p str> {
    let name = package
        .strip_prefix("${")
        .and_then(|p| p.strip_suffix('}'))
        .or_else(|| package.strip_prefix('$'))?;
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid || plan.env.iter().any(|(k, _)| k == name) {
        return None;
    }
    let b = &f.ctx.project.air.build;
    let assigned = format!("{name}=");
    if std::iter::once(&b.cmd)
        .chain(&b.pre_cmd)
        .any(|c| c.contains(&assigned))
    {
        return None;
    }
    // env_files (air v1.64.1+) are loaded before every build: they may set it.
    let env_files = f
        .written
        .get(crate::reloaders::air::keys::ENV_FILES.path)
        .and_then(|i| i.as_array())
        .is_some_and(|a| !a.is_empty());
    if env_files {
        return None;
    }
    let in_env = f.launches.iter().any(|l| {
        l.container
            .as_ref()
            .is_some_and(|c| c.env.iter().any(|(k, _)| k == name))
    });
    (!in_env).then_some(name)
}

/// `go build -o ./tmp/main $TEST` with TEST set nowhere here: the shell drops the empty
/// word and go builds the folder it runs in; a warning (the user may export it) when that
/// folder cannot make the app (a library: go writes an archive air cannot start). True when
/// reported.
fn unset_package(
    f: &AirFile,
    key: &'static str,
    plan: &BuildPlan,
    package: &str,
    var: &str,
    out: &mut Vec<Finding>,
) -> bool {
    let dir = plan.work_dir(&f.ctx.project.root);
    let Some(broken) = super::defaults_build::DefaultsBuild::fails_in(&dir) else {
        return false;
    };
    let shown = match f.ctx.project.display_path(&clean(&dir)) {
        d if d.is_empty() => ".".to_string(),
        d => d,
    };
    let what = match (broken, crate::golang::source::library_package(&dir), &plan.output) {
        (super::defaults_build::DefaultsBuild::NotMain, Some(name), Some(o)) => format!(
            "its package is {name}, not main, so go writes a package archive to {o}, not a program, and air's start of it fails (\"Permission denied\", exit 126)"
        ),
        _ => broken.says(),
    };
    out.push(
        Finding::warn(format!(
            "{}: `go build`'s only package argument is `{package}`, and nothing here sets {var}: unset, the shell drops it and go builds `.` ({shown}/): {what}; export {var} (the package holding `func main`) before running air, or name that package in cmd",
            f.at(key),
        ))
        .with_evidence(f.evidence(
            key,
            json!({"problem": Problem::UnsetPackageVar, "variable": var, "build_dir": shown, "defaults_build": broken.id()}),
        )),
    );
    true
}

/// A `go build` naming a `.go` file or a `./folder` that is not under the folder it runs in
/// (a file renamed after the config was written): go stops with "no such file or directory"
/// or "directory not found" at every build. Only plain paths; not when another step of the
/// build names it (it may write it first).
fn missing_sources(f: &AirFile, steps: &[Step], out: &mut Vec<Finding>) {
    for step in steps.iter().filter(|s| s.is_go("build")) {
        let plan = BuildPlan::parse(&as_line(step));
        let dir = plan.work_dir(&f.ctx.project.root);
        let missing = absent_sources(&dir, plan.packages.iter().map(String::as_str));
        let Some(first) = missing.first() else {
            continue;
        };
        let name = Path::new(first.trim_end_matches("/..."))
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let written_by_another = steps
            .iter()
            .filter(|s| !s.is_go("build"))
            .any(|s| s.words.iter().any(|w| w.contains(&name)));
        if written_by_another {
            continue;
        }
        out.push(source_missing(
            f,
            step.key,
            "go build",
            &missing,
            &dir,
            ("", ""),
        ));
    }
}

/// The plain paths of `packages` (a `.go` file, a `./` or `../` folder) that are not in
/// "build the folder that holds `func main` instead (`./cmd/app`)", for the folders below
/// that hold it.
fn build_instead(found: &[String]) -> String {
    let shown: Vec<String> = found.iter().map(|d| format!("`./{d}`")).collect();
    format!(
        "build the folder that holds `func main` instead ({})",
        shown.join(", ")
    )
}

/// `dir`; import paths, `.`, absolute paths and anything with an expansion are not judged.
fn absent_sources<'a>(dir: &Path, packages: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let plain = |p: &str| !p.contains(['$', '*', '?', '[', '{', '`', '~']) && !p.starts_with('/');
    packages
        .filter(|p| plain(p))
        .filter(|p| {
            if p.ends_with(".go") {
                !dir.join(p).is_file()
            } else if p.starts_with("./") || p.starts_with("../") {
                !dir.join(p.trim_end_matches("/...")).is_dir()
            } else {
                false // an import path, or `.`
            }
        })
        .collect()
}

/// build-source-missing for `command` (`go build`, `go run`) naming `missing` in `dir`, where
/// the build runs; `go_stops` and `also` are said of that command.
fn source_missing(
    f: &AirFile,
    key: &'static str,
    command: &str,
    missing: &[&str],
    dir: &Path,
    (go_stops, also): (&str, &str),
) -> Finding {
    let folder = match f.ctx.project.display_path(&clean(dir)) {
        d if d.is_empty() => ".".to_string(),
        d => d,
    };
    let instead = match crate::golang::source::main_files(dir).as_slice() {
        [] => "name the package folder that holds `package main` and `func main`".to_string(),
        files => format!(
            "build the package folder `.` (or {}, which holds `func main`)",
            files.join(", ")
        ),
    };
    let shown: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    let what = match missing.first().is_some_and(|m| m.ends_with(".go")) {
        true => "file",
        false => "folder",
    };
    Finding::fail(format!(
        "{}: `{command}` names {} but there is no such {what} in {folder}/ (where the build runs): {go_stops}every build fails and air starts no new binary; {instead}{also}",
        f.at(key),
        shown.join(", "),
    ))
    .with_evidence(f.evidence(
        key,
        json!({"problem": Problem::BuildSourceMissing, "missing": missing, "build_dir": folder}),
    ))
}

/// A `go build` of a package folder (`.`, `./cmd`) that is there but holds no `.go` file go
/// builds (only tests, or none: `src/` above `src/cmd/app/main.go`): go stops with "no Go
/// files in DIR" at every build. Not when another step of the build may write Go files
/// first (a generator). A folder in no Go module (no go.mod at or above it) is not certain
/// to be where air runs (a stray config above the module): a warning that says so.
fn empty_packages(f: &AirFile, steps: &[Step], out: &mut Vec<Finding>) {
    let builds: Vec<&Step> = steps.iter().filter(|s| s.is_go("build")).collect();
    if builds.len() != steps.len() {
        return; // another step (a generator, a script) may write the Go files first
    }
    for step in builds {
        let plan = BuildPlan::parse(&as_line(step));
        if plan.approximation.is_some() {
            continue;
        }
        let dir = plan.work_dir(&f.ctx.project.root);
        let empty: Vec<&String> = plan
            .packages
            .iter()
            .filter(|p| *p == "." || p.starts_with("./") || p.starts_with("../"))
            .filter(|p| !p.contains(['$', '*', '?', '[', '{', '`', '~']) && !p.ends_with("/..."))
            .filter(|p| {
                dir.join(p).is_dir() && !crate::golang::source::builds_a_go_file_in(&dir.join(p))
            })
            .collect();
        let Some(first) = empty.first() else {
            continue;
        };
        let package = clean(&dir.join(first));
        let shown = f.ctx.project.display_path(&package);
        let in_module = package.ancestors().any(|d| d.join("go.mod").is_file());
        let elsewhere = below_with_main(&package);
        let instead = match elsewhere.as_slice() {
            [] => "name the package folder that holds `package main` and `func main`".to_string(),
            found if !in_module => format!(
                "run air in the Go module that holds `func main` ({}) with a config there",
                found
                    .iter()
                    .map(|d| format!("{d}/"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            found => build_instead(found),
        };
        let why = if in_module {
            let tests = std::fs::read_dir(&package).is_ok_and(|es| {
                es.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with("_test.go"))
            });
            let non_test = if tests { "non-test " } else { "" };
            format!("go stops with \"no {non_test}Go files in {shown}\"")
        } else {
            "go stops (no Go files there, and no go.mod at or above it)".to_string()
        };
        let named = match shown.as_str() {
            "." => String::new(),
            s => format!(" ({s}/)"),
        };
        let message = format!(
            "{}: `go build` builds `{first}`{named}, which holds no .go file to build: {why} at every build and air starts no new binary; {instead}",
            f.at(step.key),
        );
        let finding = match in_module {
            true => Finding::fail(message),
            false => {
                let mut w = Finding::warn(message);
                let at = w.message.find(": ").map_or(0, |i| i + 2);
                w.message
                    .insert_str(at, &format!("if air runs in {shown}/: "));
                w
            }
        };
        out.push(finding.with_evidence(f.evidence(
            step.key,
            json!({"problem": Problem::BuildSourceMissing, "no_go_files": shown, "build_dir": f.ctx.project.display_path(&dir)}),
        )));
    }
}

/// Folders below `dir` (relative, at most 3 levels, at most 3 found) holding `func main`.
fn below_with_main(dir: &Path) -> Vec<String> {
    let mut found = vec![];
    let mut queue: Vec<(PathBuf, usize)> = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = queue.pop() {
        if found.len() >= 3 {
            break;
        }
        if depth > 0 && !crate::golang::source::main_files(&d).is_empty() {
            if let Ok(rel) = d.strip_prefix(dir) {
                found.push(rel.display().to_string());
            }
            continue;
        }
        if depth >= 3 {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut subs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .filter(|p| {
                let n = p
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                !n.starts_with(['.', '_'])
                    && n != "vendor"
                    && n != "node_modules"
                    && n != "testdata"
            })
            .collect();
        subs.sort();
        subs.reverse();
        queue.extend(subs.into_iter().map(|p| (p, depth + 1)));
    }
    found.sort();
    found
}

/// A step as one shell line again (`cd DIR && words`), quoting words that need it.
fn as_line(step: &Step) -> String {
    let words: Vec<String> = step
        .words
        .iter()
        .map(|w| {
            if w.is_empty() || w.contains(|c: char| c.is_whitespace() || "'\"\\$`".contains(c)) {
                format!("'{}'", w.replace('\'', "'\\''"))
            } else {
                w.clone()
            }
        })
        .collect();
    match step.dir.to_str().filter(|d| !d.is_empty()) {
        Some(d) => format!("cd '{d}' && {}", words.join(" ")),
        None => words.join(" "),
    }
}

/// The file a `go build` writes (absolute, clean), when it writes one.
fn writes(f: &AirFile, plan: &BuildPlan) -> Option<PathBuf> {
    let Some(output) = &plan.output else {
        return default_output(f, plan);
    };
    let built = clean(&plan.output_path(&f.ctx.project.root)?);
    // air makes tmp_dir before the first build (v1.67.4 `checkRunEnv`), so `-o ./tmp` names
    // a folder there even when the checkout has none (Gymn's `go build -o ./tmp
    // ./cmd/server/main.go` writes ./tmp/main).
    let tmp = clean(&f.ctx.project.watch_root().join(f.ctx.project.air.tmp_rel()));
    if output.ends_with('/') || built.is_dir() || built == tmp {
        let name = default_output(f, plan)?.file_name()?.to_owned();
        return Some(built.join(name));
    }
    Some(built)
}

/// What air starts: the key it comes from, the path as written, and where it is.
pub(super) struct Runner {
    pub key: &'static str,
    pub written: String,
    pub path: PathBuf,
}

/// The binary air runs, when it is a file of the project (not a tool found on PATH).
pub(super) fn runner(f: &AirFile) -> Option<Runner> {
    let c = &f.ctx.project.air;
    let root = clean(&f.ctx.project.watch_root());
    let (key, written) = match c.build.entrypoint.clone() {
        Some(e) if c.build.full_bin.is_empty() => ("entrypoint", e),
        _ if !c.build.full_bin.is_empty() => ("full_bin", build_cmd::program(&c.build.full_bin)?),
        _ => ("bin", bin_words(&c.build.bin).0),
    };
    // A bare name is looked up on PATH: a tool (dlv), not the build output.
    if !written.contains('/') && key != "bin" {
        return None;
    }
    // air makes bin absolute from the folder it runs in (`filepath.Abs`), joins an entrypoint
    // to root (`joinPath(c.Root, entry)`), and full_bin runs through the shell in its folder.
    let base = if key == "entrypoint" {
        root
    } else {
        f.ctx.project.root.clone()
    };
    // full_bin runs through sh in air's folder, which expands `$(pwd)` to that folder (an
    // entrypoint or bin is made absolute first, so there `$(pwd)` is only a folder's name).
    let path = match crate::shell::pwd_relative(&written) {
        Some(rest) if key == "full_bin" => clean(&f.ctx.project.root.join(rest)),
        _ => clean(&base.join(&written)),
    };
    let path = match key {
        "full_bin" | "entrypoint" => script_runs(f, &path).unwrap_or(path),
        _ => path,
    };
    Some(Runner { key, path, written })
}

/// The binary a shell script of the repository named as full_bin or entrypoint ends by
/// running (`scripts/run-with-env.sh` loads .env, then `exec ./tmp/main "$@"`): its last
/// command, a path without expansions, from air's folder (the script runs there). None for
/// anything else, or a script that changes folder. Read only, never run.
fn script_runs(f: &AirFile, script: &Path) -> Option<PathBuf> {
    let root = &f.ctx.project.root;
    if !script.starts_with(root) || !script.is_file() {
        return None;
    }
    let text = crate::system::files::read_to_string(script).ok()?;
    let named_sh = script.extension().is_some_and(|e| e == "sh" || e == "bash");
    if !named_sh && !crate::reloaders::air::launch::is_shell_shebang(&text) {
        return None;
    }
    let commands = crate::shell::commands(&text);
    if commands
        .iter()
        .any(|c| matches!(crate::shell::program(&c.words), "cd" | "pushd"))
    {
        return None;
    }
    let last = commands.last()?;
    let program = crate::shell::program_words(&last.words).first()?;
    if !program.contains('/') || program.contains(['$', '`', '{']) {
        return None;
    }
    Some(clean(&root.join(program)))
}

/// The value `key` (bin, full_bin or entrypoint) takes for air to run the file `abs`, the way
/// air resolves that key: bin is made absolute from the folder air is started in
/// (`filepath.Abs`, v1.67.4 `runner/config.go`), full_bin runs through the shell there, and
/// only an entrypoint is joined to root (`joinPath(c.Root, entry)`). With `root = "../"` the
/// same file is `./tmp/main` as a bin and `./cmd/tmp/main` as an entrypoint.
pub(super) fn runner_value(f: &AirFile, key: &str, abs: &Path) -> String {
    let base = match key {
        "entrypoint" => f.ctx.project.watch_root(),
        _ => f.ctx.project.root.clone(),
    };
    let rel = crate::filepath::rel(&clean(&base), &clean(abs));
    match rel.as_str() {
        "" => ".".to_string(),
        r if r.starts_with("../") || r == ".." => r.to_string(),
        r => format!("./{r}"),
    }
}

/// `bin` split into the path and the words after it (air treats the whole value as a path).
fn bin_words(bin: &str) -> (String, Vec<String>) {
    let words = crate::shell::commands(bin)
        .into_iter()
        .next()
        .map(|c| c.words)
        .unwrap_or_default();
    match words.split_first() {
        Some((path, args)) if !args.is_empty() => (path.clone(), args.to_vec()),
        _ => (bin.trim().to_string(), vec![]),
    }
}

/// `go build -o {{.Output}} {{.Input}}`: another tool's template. air expands none: it runs
/// cmd through `sh -c` as written (v1.67.4 `runner/util_linux.go` `startCmd`), so go gets
/// the braces literally and the build fails (or writes a file named `{{.Output}}`); air then
/// starts bin, which no build wrote. True when reported (a bin/-o comparison of the template
/// text would only repeat it, with the wrong advice).
fn templates(f: &AirFile, steps: &[Step], out: &mut Vec<Finding>) -> bool {
    let is_template = |w: &str| w.contains("{{") && w.contains("}}");
    let Some(step) = steps
        .iter()
        .find(|s| s.key == "build.cmd" && s.words.iter().any(|w| is_template(w)))
    else {
        return false;
    };
    let c = &f.ctx.project.air.build;
    let runs = runner(f).map_or_else(|| c.bin.clone(), |r| r.written);
    let plan = step
        .is_go("build")
        .then(|| BuildPlan::parse(&as_line(step)));
    let what = match &plan {
        Some(p) if p.packages.iter().any(|w| is_template(w)) => {
            let package = p.packages.iter().find(|w| is_template(w)).map_or("", |w| w);
            format!("go build stops with `malformed import path \"{package}\"`, and air then starts {runs}, which no build wrote")
        }
        Some(BuildPlan {
            output: Some(o), ..
        }) if is_template(o) => {
            format!("go writes a file named \"{o}\", and air starts {runs}, which no build wrote")
        }
        _ => {
            let word = step.words.iter().find(|w| is_template(w)).map_or("", |w| w);
            format!("`{}` gets \"{word}\" as written", step.program())
        }
    };
    let tmp = f.ctx.project.air.tmp_rel();
    let package = if crate::golang::source::go_file_below(
        &f.ctx.project.root,
        5_000,
        |_| false,
        |_, n, _| !n.ends_with("_test.go"),
    )
    .unwrap_or(false)
    {
        "."
    } else {
        "./cmd/app (the main package's folder)"
    };
    let new_cmd = format!("go build -o ./{tmp}/main {package}");
    let todo = format!("write cmd = \"{new_cmd}\" and bin = \"./{tmp}/main\"");
    let mut finding = Finding::fail(format!(
        "{}: cmd = \"{}\" holds a template of another tool: air runs cmd through sh as written and expands no {{{{...}}}}, so {what}; {todo}",
        f.at("build.cmd"),
        c.cmd
    ))
    .with_evidence(f.evidence("build.cmd", json!({"problem": Problem::UnexpandedTemplate, "runs": runs})));
    let plain = c.full_bin.is_empty() && c.entrypoint.is_none() && package == ".";
    if let (true, Some(fix)) = (
        plain,
        f.write_fix(
            format!(
                "set cmd = \"{new_cmd}\" and bin = \"./{tmp}/main\" in {}",
                f.name
            ),
            build_into_tmp(&new_cmd, &tmp),
        ),
    ) {
        finding = finding.with_fix(fix);
    }
    out.push(finding);
    true
}

/// How sure a Windows-only config's failure elsewhere is: a fail where a launcher here runs
/// it (on Linux or macOS: a container, a make target), a warn when nothing here launches it
/// at all (BoGyX/EngProject's backend: compose runs `go run .`, the tooling is Windows'):
/// only a teammate's plain `air` on Linux or macOS would hit it.
fn windows_only_severity(f: &AirFile) -> crate::model::Severity {
    match f.launches.is_empty() {
        true => crate::model::Severity::Warn,
        false => crate::model::Severity::Fail,
    }
}

/// A config written for Windows (`tmp\\main.exe`, `cmd /c`): it works there; on Linux and
/// macOS the build or the start fails. True when reported (the other checks would only
/// repeat it).
fn windows_only(f: &AirFile, steps: &[Step], out: &mut Vec<Finding>) -> bool {
    let c = &f.ctx.project.air.build;
    if windows_config::own_unix(f) {
        return false;
    }
    let runs = windows_config::runs(f);
    let shell = steps.iter().find(|s| s.is_windows_shell());
    let backslash = runs.contains('\\');
    if windows_config::windows_named(f, steps) {
        // What fails on Windows too: air makes bin absolute and, with a space in it, runs
        // `& "C:\...\main.exe serve"` in PowerShell (v1.67.4 `formatPath`), one command name.
        bin_with_arguments(f, out);
        return true;
    }
    let (key, what) = match (shell, backslash) {
        (Some(s), _) => (
            s.key,
            format!("`{}` is a Windows shell: the build fails with \"{}: not found\"", s.line, s.words[0]),
        ),
        (None, true) => (
            // The key holding the value air runs (move378/AiCar-AutoCommerce's
            // `entrypoint = ["tmp\\main.exe"]` two lines below a plain bin).
            match (c.full_bin.is_empty(), c.entrypoint.is_some()) {
                (false, _) => "build.full_bin",
                (true, true) => "build.entrypoint",
                (true, false) => "build.bin",
            },
            format!("\"{runs}\" uses \\ between folders: the shell drops the backslash and air starts a file that does not exist"),
        ),
        _ => return false,
    };
    if let Some(sibling) = windows_config::unix_sibling(f) {
        out.push(
            Finding::info(format!(
                "{}: this [build] is written for Windows ({what} on Linux and macOS), and {sibling} beside it is the config for Linux and macOS (`air -c {sibling}` there); plain `air` on Linux or macOS still reads this one: [build.windows] in one file would make plain `air` work everywhere",
                f.at(key),
            ))
            .with_evidence(f.evidence(key, json!({"problem": Problem::WindowsOnlyConfig, "runs": runs, "sibling": sibling}))),
        );
        return true;
    }
    // Its launchers run only on Windows: Linux and macOS are never reached; judge it as
    // Windows air does.
    if let Some(why) = super::windows_launch::only_windows(f) {
        windows_rules(f, steps, &why, out);
        return true;
    }
    if shell.is_none() {
        if let Some(finding) = windows_bin_rewrite(f, steps, &what) {
            out.push(finding);
            return true;
        }
    }
    // The same packages, with / between folders (`.\\cmd\\cmsgo` is ./cmd/cmsgo).
    let plan = BuildPlan::parse(&c.cmd.replace('\\', "/"));
    let packages = if steps
        .iter()
        .any(|s| s.key == "build.cmd" && s.is_go("build"))
        && !plan.packages.is_empty()
    {
        plan.packages.join(" ")
    } else {
        ".".to_string()
    };
    out.push(
        Finding::new(windows_only_severity(f), format!(
            "{}: this [build] is written for Windows, {}; on Linux and macOS {what}. Move these settings to [build.windows] and give [build] the Linux/macOS ones (cmd = \"go build -o ./tmp/main {packages}\", bin = \"./tmp/main\") so every teammate's air works",
            f.at(key),
            on_windows(f, steps)
        ))
        .with_evidence(f.evidence(key, json!({"problem": Problem::WindowsOnlyConfig, "runs": runs}))),
    );
    true
}

/// The file the config's `go build` writes on Windows and the one air runs there, both
/// absolute, when both are known: go adds `.exe` only when `-o` is not given (or names a
/// folder); air (v1.67.4 `adaptToVariousPlatforms`) leaves bin as written.
fn windows_pair(f: &AirFile, steps: &[Step]) -> Option<(PathBuf, PathBuf, String)> {
    let c = &f.ctx.project.air.build;
    if !c.full_bin.is_empty() || c.entrypoint.is_some() {
        return None;
    }
    let placed_otherwise = steps
        .iter()
        .any(|s| is_task_runner(s) || s.key == "build.pre_cmd");
    if placed_otherwise || c.cmd.contains('$') {
        return None;
    }
    let plan = BuildPlan::parse(&c.cmd.replace('\\', "/"));
    if plan
        .approximation
        .as_deref()
        .is_some_and(|a| a.contains("not a `go build`"))
    {
        return None;
    }
    let runs = clean(&f.ctx.project.root.join(c.bin.trim().replace('\\', "/")));
    let work = plan.work_dir(&f.ctx.project.root);
    let exe = |p: PathBuf| {
        let mut s = p.into_os_string();
        s.push(".exe");
        PathBuf::from(s)
    };
    let (written, shown) = match &plan.output {
        Some(o) => {
            let built = clean(&work.join(o));
            if o.ends_with('/') || built.is_dir() {
                let name = default_output(f, &plan)?.file_name()?.to_owned();
                (exe(built.join(name)), o.clone())
            } else {
                (built, o.clone())
            }
        }
        None => {
            let w = exe(default_output(f, &plan)?);
            let shown = f.ctx.project.display_path(&w);
            (w, shown)
        }
    };
    Some((written, runs, shown))
}

/// How the config fares on Windows, for a finding about Linux and macOS: "where it works",
/// unless PowerShell 5.1 rejects a build line there or its build writes another file than
/// air runs there.
fn on_windows(f: &AirFile, steps: &[Step]) -> String {
    if let Some((key, token)) = super::powershell::rejected_on_windows(f) {
        return format!(
            "and not even there does it work: air's Windows PowerShell 5.1 rejects the `{token}` in {key} (powershell-rejects)"
        );
    }
    match windows_pair(f, steps) {
        Some((written, runs, output)) if written != runs => format!(
            "and not even there does it work: build.cmd writes {output} (go adds .exe only when -o is not given) while air runs bin = \"{}\"",
            f.ctx.project.air.build.bin
        ),
        _ => "where it works".to_string(),
    }
}

/// A config whose launchers run only on Windows, judged by Windows rules: nothing when the
/// build writes what air runs there; a warning (Windows air is not run here) when not
/// (`go build -o bin/main` writes bin\main, bin = "bin\\main.exe").
fn windows_rules(f: &AirFile, steps: &[Step], why: &str, out: &mut Vec<Finding>) {
    let Some((written, runs, output)) = windows_pair(f, steps) else {
        return;
    };
    if written == runs {
        return;
    }
    let c = &f.ctx.project.air.build;
    let fixed = f.ctx.project.display_path(&runs).to_string();
    out.push(
        Finding::warn(format!(
            "{}: its launcher runs only on Windows ({why}; on Linux and macOS it stops before air starts): on Windows build.cmd writes {output} (go adds .exe only when -o is not given), but air runs bin = \"{}\" as written, which this build never writes: air restarts an old or missing binary after every build; write -o {fixed} in cmd",
            f.at("build.cmd"),
            c.bin,
        ))
        .with_evidence(f.evidence(
            "build.cmd",
            json!({"problem": Problem::BinaryMismatch, "os": "windows", "output": output, "runner_key": "build.bin", "runner_line": f.line("build.bin"), "runner": c.bin}),
        )),
    );
}

/// A Windows `bin` (`tmp\\main.exe`, `.\\tmp\\main.exe`) built by one plain `go build`: the
/// Linux/macOS values are known, so the finding carries the rewrite. cmd loses its backslashes
/// and `.exe`, bin becomes the file that cmd then writes, and the Windows values move to
/// `[build.windows]`, which air applies on Windows (values already there are kept).
fn windows_bin_rewrite(f: &AirFile, steps: &[Step], what: &str) -> Option<Finding> {
    let c = &f.ctx.project.air.build;
    let single_go_build = matches!(steps, [s] if s.key == "build.cmd" && s.is_go("build") && s.dir.as_os_str().is_empty());
    if !c.full_bin.is_empty() || c.entrypoint.is_some() || !single_go_build {
        return None;
    }
    let mut cmd = c.cmd.replace('\\', "/");
    let output = BuildPlan::parse(&cmd).output?;
    if let Some(stem) = output.strip_suffix(".exe") {
        cmd = cmd.replacen(&output, stem, 1);
    }
    let written = writes(f, &BuildPlan::parse(&cmd))?;
    let bin = runner_value(f, "bin", &written);
    let windows = |key: &str| f.written.get(&format!("build.windows.{key}")).is_some();
    let mut edits = vec![];
    let mut moved = vec![];
    for (key, old, new) in [("cmd", &c.cmd, &cmd), ("bin", &c.bin, &bin)] {
        if old == new {
            continue;
        }
        if !windows(key) {
            edits.push(Edit::Set {
                table: "build.windows",
                key,
                value: old.as_str().into(),
            });
            moved.push(key);
        }
        edits.push(Edit::Set {
            table: "build",
            key,
            value: new.as_str().into(),
        });
    }
    let kept = match moved.is_empty() {
        true => "[build.windows] kept as it is".to_string(),
        false => format!(
            "the Windows {} moved to [build.windows]",
            moved.join(" and ")
        ),
    };
    let finding = Finding::new(windows_only_severity(f), format!(
        "{}: this [build] is written for Windows, {}; on Linux and macOS {what}. Give [build] the Linux/macOS values (cmd = \"{cmd}\", bin = \"{bin}\") and keep the Windows ones in [build.windows], so every teammate's air works",
        f.at("build.bin"),
        on_windows(f, steps)
    ))
    .with_evidence(f.evidence(
        "build.bin",
        json!({"problem": "windows-only-config", "runs": c.bin, "cmd": cmd, "bin": bin}),
    ));
    Some(
        match f.write_fix(
            format!(
                "set cmd = \"{cmd}\" and bin = \"{bin}\" in {} ({kept})",
                f.name
            ),
            edits,
        ) {
            Some(fix) => finding.with_fix(fix),
            None => finding,
        },
    )
}

/// `go run` as the build: air waits for the build to end before it starts anything, and
/// `go run` of a server never ends. True when reported.
fn go_run(f: &AirFile, steps: &[Step], out: &mut Vec<Finding>) -> bool {
    let cmd_steps: Vec<&Step> = steps.iter().filter(|s| s.key == "build.cmd").collect();
    let Some(run) = cmd_steps.iter().rfind(|s| s.is_go("run")) else {
        return false;
    };
    if cmd_steps.iter().any(|s| s.is_go("build")) || commands::is_generator_run(&run.words) {
        return false;
    }
    let tmp = f.ctx.project.air.tmp_rel();
    let parsed = commands::parse_go_run(&run.words);
    if let Some((_, package, _)) = &parsed {
        if run_package_missing(f, run, package, out) {
            return true;
        }
    }
    let mut finding = Finding::fail(format!(
        "{}: cmd = \"{}\" starts the app as the build: air waits for the build to end before it runs anything, so the build never ends, the app's output is held back, and each save starts another copy (a second listener on the same port); build with `go build -o ./{tmp}/main` and let air run it",
        f.at("build.cmd"),
        f.ctx.project.air.build.cmd
    ))
    .with_evidence(f.evidence("build.cmd", json!({"problem": Problem::GoRunAsBuild})));
    let c = &f.ctx.project.air.build;
    let single = cmd_steps.len() == 1 && run.dir.as_os_str().is_empty();
    if let (Some((flags, package, args)), true, true) = (
        parsed,
        single,
        c.full_bin.is_empty() && c.entrypoint.is_none(),
    ) {
        let go_at = run.words.len() - crate::shell::program_words(&run.words).len();
        let env: Vec<&str> = run.words[..go_at].iter().map(String::as_str).collect();
        let new_cmd = [
            env.join(" "),
            format!("go build -o ./{tmp}/main"),
            flags.join(" "),
            package,
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        let mut edits = build_into_tmp(&new_cmd, &tmp);
        if !args.is_empty() {
            edits.push(Edit::Set {
                table: "build",
                key: "args_bin",
                value: args
                    .iter()
                    .map(String::as_str)
                    .collect::<toml_edit::Array>()
                    .into(),
            });
        }
        if let Some(fix) = f.write_fix(
            format!(
                "set cmd = \"{new_cmd}\" and bin = \"./{tmp}/main\" in {}",
                f.name
            ),
            edits,
        ) {
            finding = finding.with_fix(fix);
        }
    }
    out.push(finding);
    true
}

/// `go run ./cmd/server` where the build runs holds no such folder (or a listed `.go` file is
/// not there): go stops at once ("directory not found"), so the build does not run on
/// forever; it fails at every save and air starts nothing new (Estate-CRM/backend-Ai's
/// go/.air.toml, checked with real air). True when reported, as build-source-missing.
fn run_package_missing(f: &AirFile, run: &Step, package: &str, out: &mut Vec<Finding>) -> bool {
    if !run.dir_known {
        return false;
    }
    let dir = f.ctx.project.root.join(&run.dir);
    let missing = absent_sources(&dir, package.split(' '));
    if missing.is_empty() {
        return false;
    }
    let tmp = f.ctx.project.air.tmp_rel();
    let also = format!(
        ", and build it with `go build -o ./{tmp}/main` rather than `go run` (a `go run` that finds its package never ends, and air waits for the build to end)"
    );
    out.push(source_missing(
        f,
        run.key,
        "go run",
        &missing,
        &dir,
        ("go stops at once, ", &also),
    ));
    true
}

/// `bin` with arguments: air makes the whole value one absolute path and quotes it because
/// it holds a space (v1.62.0 and later), so it starts a file named `main serve`.
fn bin_with_arguments(f: &AirFile, out: &mut Vec<Finding>) {
    let c = &f.ctx.project.air.build;
    if !c.full_bin.is_empty() || c.entrypoint.is_some() {
        return;
    }
    let (path, args) = bin_words(&c.bin);
    if args.is_empty() && c.bin.trim() != c.bin && !c.bin.trim().is_empty() {
        padded_bin(f, out);
        return;
    }
    if args.is_empty() || f.ctx.project.root.join(c.bin.trim()).exists() {
        return;
    }
    let at = f.at("build.bin");
    let ev = f.evidence(
        "build.bin",
        json!({"problem": Problem::BinWithArguments, "path": path, "arguments": args}),
    );
    if path.contains('=') {
        out.push(
            Finding::fail(format!(
                "{at}: bin = \"{}\" starts with an environment variable: air takes the whole value as one file path and runs a file that does not exist; use full_bin = \"{}\" (full_bin runs through the shell)",
                c.bin, c.bin
            ))
            .with_evidence(ev),
        );
        return;
    }
    let quoted: Vec<String> = args.iter().map(|a| format!("\"{a}\"")).collect();
    // The same file named as an entrypoint, which air joins to root, not to its folder.
    let root_is_project = clean(&f.ctx.project.watch_root()) == clean(&f.ctx.project.root);
    let entry = match root_is_project {
        true => path.clone(),
        false => runner_value(f, "entrypoint", &f.ctx.project.root.join(&path)),
    };
    // Before v1.62.0 air did not quote bin, so the shell split the arguments off.
    let old_air = older_than_quoting(f, "splits").map(|why| format!("; {why}"));
    // Every launcher here pins an air that predates v1.62.0 (tomanagle/adenosine's image
    // pins v1.61.7, whose engine joins bin unquoted for `sh -c`): it works today, an upgrade
    // hazard only. A launch whose air is not known, or only the air on this machine's PATH
    // (a teammate's may be newer), keeps the warning.
    let known_old = !f.launches.is_empty()
        && f.launches.iter().all(|l| {
            l.air
                .as_ref()
                .is_some_and(|air| air.holds(versions::QUOTED_BIN) == Holds::No)
        });
    let severity = match (known_old, old_air.is_some()) {
        (true, _) => Severity::Info,
        (false, true) => Severity::Warn,
        (false, false) => Severity::Fail,
    };
    let runs = format!(
        "{} {}",
        path.rsplit('/').next().unwrap_or(&path),
        args.join(" ")
    );
    let mut finding = Finding::new(severity, format!(
        "{at}: bin = \"{}\" carries arguments: air (v1.62 and later) quotes bin as one path and runs a file named \"{runs}\", which does not exist; set bin = \"{path}\" and args_bin = [{}] (or entrypoint = [\"{entry}\", {}])",
        c.bin,
        quoted.join(", "),
        quoted.join(", ")
    ) + &old_air.unwrap_or_default())
    .with_evidence(ev);
    let edits = split_bin_edits(f, &c.bin);
    if let Some(fix) = f.write_fix(
        format!(
            "set bin = \"{path}\" and args_bin = [{}] in {}",
            quoted.join(", "),
            f.name
        ),
        edits,
    ) {
        finding = finding.with_fix(fix);
    }
    out.push(finding);
}

/// When the air judged here may not quote bin yet (v1.62.0 and later do): "air v1.40.4 (the
/// image cosmtrek/air:v1.40.4) still splits it, and updating breaks it". None for the
/// current air.
fn older_than_quoting(f: &AirFile, does: &str) -> Option<String> {
    let air = f.release.as_ref()?;
    match air.holds(versions::QUOTED_BIN) {
        Holds::Yes => None,
        Holds::No => Some(format!("{air} still {does} it, and updating breaks it")),
        Holds::Maybe => Some(format!("{air} {does} it if it predates v1.62.0")),
    }
}

/// `bin = "./tmp/main "`: air (v1.62 and later) quotes the absolute path, space included, so
/// the shell looks for a file named `main ` (`/bin/sh: 1: .../tmp/main : not found`).
fn padded_bin(f: &AirFile, out: &mut Vec<Finding>) {
    let bin = &f.ctx.project.air.build.bin;
    let trimmed = bin.trim();
    let old_air = older_than_quoting(f, "trims");
    let severity = if old_air.is_some() {
        Severity::Warn
    } else {
        Severity::Fail
    };
    let mut finding = Finding::new(
        severity,
        format!(
            "{}: bin = \"{bin}\" has a space {} the path: air (v1.62 and later) keeps it in the path it runs, so the shell finds no such file (`not found`, exit 127) and the app never starts; set bin = \"{trimmed}\"{}",
            f.at("build.bin"),
            if bin.ends_with(char::is_whitespace) { "after" } else { "before" },
            old_air.map(|why| format!("; {why}")).unwrap_or_default()
        ),
    )
    .with_evidence(f.evidence("build.bin", json!({"problem": Problem::BinWithSpace, "bin": bin})));
    let edit = Edit::Set {
        table: "build",
        key: "bin",
        value: trimmed.into(),
    };
    if let Some(fix) = f.write_fix(format!("set bin = \"{trimmed}\" in {}", f.name), vec![edit]) {
        finding = finding.with_fix(fix);
    }
    out.push(finding);
}

/// The edits that turn `bin = "PATH ARGS"` into `bin = "PATH"` plus `args_bin = [ARGS, ...]`
/// (the arguments first, then any args_bin already set); none when bin has no arguments,
/// is a file whose name has a space, or starts with a variable.
pub(super) fn split_bin_edits(f: &AirFile, bin: &str) -> Vec<Edit> {
    let (path, args) = bin_words(bin);
    if args.is_empty() || path.contains('=') || f.ctx.project.root.join(bin.trim()).exists() {
        return vec![];
    }
    let mut all_args = args;
    all_args.extend(commands::str_list(f, "build.args_bin"));
    vec![
        Edit::Set {
            table: "build",
            key: "bin",
            value: path.as_str().into(),
        },
        Edit::Set {
            table: "build",
            key: "args_bin",
            value: all_args
                .iter()
                .map(String::as_str)
                .collect::<toml_edit::Array>()
                .into(),
        },
    ]
}

/// The file `go build` writes without `-o`: `<dir>/<last import path element>` for one main
/// package (`cmd/go`: a `/vN` major version element is skipped), the first file's name for
/// a file list. None when go writes nothing (several packages, `./...`).
fn default_output(f: &AirFile, build: &BuildPlan) -> Option<PathBuf> {
    let work = build.work_dir(&f.ctx.project.root);
    if build.packages.len() > 1 && build.listed_files().len() != build.packages.len() {
        return None;
    }
    let first = &build.packages[0];
    if first.contains("...") {
        return None;
    }
    if first.ends_with(".go") {
        let name = Path::new(first).file_stem()?.to_string_lossy().to_string();
        return Some(clean(&work.join(name)));
    }
    let module = &f.ctx.project.go_mod.as_ref()?.module;
    let import = if first.starts_with('.') {
        let dir = clean(&build.main_dir(&f.ctx.project.root));
        let rel = dir
            .strip_prefix(&f.ctx.project.root)
            .ok()?
            .to_string_lossy()
            .to_string();
        if rel.is_empty() {
            module.clone()
        } else {
            format!("{module}/{rel}")
        }
    } else {
        first.clone()
    };
    let mut parts: Vec<&str> = import.split('/').collect();
    let last = parts.pop()?;
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    let name = if is_major {
        parts.pop().unwrap_or(last)
    } else {
        last
    };
    Some(clean(&work.join(name)))
}

/// `go build` without `-o`: go names the binary after the package, in the folder it runs in.
fn no_output(f: &AirFile, build: &BuildPlan, runner: &Runner, out: &mut Vec<Finding>) {
    let written = default_output(f, build);
    if written.as_ref() == Some(&runner.path) {
        return;
    }
    let shown = written
        .as_ref()
        .map(|w| format!("go writes ./{}", f.ctx.project.display_path(w)))
        .unwrap_or_else(|| "go writes no binary (several packages)".into());
    let runs = f.ctx.project.display_path(&runner.path);
    let mut finding = Finding::fail(format!(
        "{}: build.cmd runs `go build` without -o: {shown}, but air runs {}, which this build never writes (air restarts a stale binary or fails to start); add -o {} to cmd",
        f.at("build.cmd"),
        runner.written,
        runner.written
    ))
    .with_evidence(f.evidence(
        "build.cmd",
        json!({"problem": Problem::BuildWithoutOutput, "writes": written.map(|w| f.ctx.project.display_path(&w)), "runner": runs, "runner_key": format!("build.{}", runner.key)}),
    ));
    let cmd = &f.ctx.project.air.build.cmd;
    let single = crate::shell::commands(cmd).len() == 1 && build.dir.is_none();
    let root_is_project = clean(&f.ctx.project.watch_root()) == clean(&f.ctx.project.root);
    if let (true, true, Some(at)) = (single, root_is_project, cmd.find("go build")) {
        let end = at + "go build".len();
        let new_cmd = format!("{} -o {}{}", &cmd[..end], runner.written, &cmd[end..]);
        let edit = Edit::Set {
            table: "build",
            key: "cmd",
            value: new_cmd.as_str().into(),
        };
        if let Some(fix) = f.write_fix(format!("set cmd = \"{new_cmd}\" in {}", f.name), vec![edit])
        {
            finding = finding.with_fix(fix);
        }
    }
    out.push(finding);
}

/// `go build -o X` must write the binary air runs.
fn mismatch(f: &AirFile, build: &BuildPlan, output: &str, runner: &Runner, out: &mut Vec<Finding>) {
    if Path::new(output).is_absolute() && !Path::new(output).starts_with(&f.ctx.project.root) {
        return; // a path in a container (`-o /app/bin/main`): it cannot be judged from here
    }
    let Some(built) = build.output_path(&f.ctx.project.root) else {
        return;
    };
    let mut built = clean(&built);
    // `-o ./tmp/main` where tmp/main is a folder (one the checkout holds, Manny-S-04/
    // TutorWebsite's src/tmp/main/app): go writes tmp/main/<package> into it, and air runs
    // the folder, which sh cannot execute ("Permission denied", exit 126).
    let folder_named = (!output.ends_with('/') && built.is_dir()).then(|| built.clone());
    if output.ends_with('/') || built.is_dir() {
        // -o into a folder: go names the file after the package.
        let Some(name) = default_output(f, build).and_then(|p| p.file_name().map(|n| n.to_owned()))
        else {
            return;
        };
        built = built.join(name);
    }
    if runner.path == built {
        return;
    }
    let entrypoint_on_purpose = runner.key == "entrypoint"
        && (runner.path.exists()
            || clean(&f.ctx.project.root.join(&f.ctx.project.air.build.bin)) == built);
    if entrypoint_on_purpose {
        return;
    }
    let runner_key = format!("build.{}", runner.key);
    if let Some(folder) = folder_named.filter(|d| *d == runner.path) {
        let shown = |p: &Path| format!("./{}", f.ctx.project.display_path(p));
        out.push(
            Finding::fail(format!(
                "{}: {} is a folder, so `go build -o {output}` writes {} inside it, and {} ({}) runs the folder {}: sh cannot run a folder (\"Permission denied\", exit 126), so the app never starts; delete the folder {} (and take it out of git if it is tracked there), or build to and run another path",
                f.at("build.cmd"),
                shown(&folder),
                shown(&built),
                runner.key,
                f.at(&runner_key),
                runner.written,
                shown(&folder),
            ))
            .with_evidence(f.evidence(
                "build.cmd",
                json!({"problem": Problem::BinaryMismatch, "output": output, "runner_key": runner_key, "runner_line": f.line(&runner_key), "runner": runner.written, "folder": f.ctx.project.display_path(&folder), "writes": f.ctx.project.display_path(&built)}),
            )),
        );
        return;
    }
    let root_is_project = clean(&f.ctx.project.watch_root()) == clean(&f.ctx.project.root);
    // An entrypoint with `root = "../"`: the same words name two files.
    let resolved = if root_is_project || runner.key != "entrypoint" {
        String::new()
    } else {
        format!(
            ", which is {}: {} is relative to root = \"{}\", -o to the folder air starts in",
            f.ctx.project.display_path(&runner.path),
            runner.key,
            f.ctx.project.air.root
        )
    };
    let mut finding = Finding::fail(format!(
        "{}: build.cmd writes {output} but {} ({}) runs {}{resolved}: air restarts an old or missing binary after every build; make them the same",
        f.at("build.cmd"),
        runner.key,
        f.at(&runner_key),
        runner.written
    ))
    .with_evidence(f.evidence(
        "build.cmd",
        json!({"problem": Problem::BinaryMismatch, "output": output, "runner_key": runner_key, "runner_line": f.line(&runner_key), "runner": runner.written}),
    ));
    // bin is relative to air's folder, -o to where go runs: the same words only without `cd`.
    if runner.key == "bin" && build.dir.is_none() && root_is_project && !output.ends_with('/') {
        let edit = Edit::Set {
            table: "build",
            key: "bin",
            value: output.into(),
        };
        if let Some(fix) = f.write_fix(format!("set bin = \"{output}\" in {}", f.name), vec![edit])
        {
            finding = finding.with_fix(fix);
        }
    }
    out.push(finding);
}

/// The edits that make air build into `./TMP/main` with `cmd` and run that file.
fn build_into_tmp(cmd: &str, tmp: &str) -> Vec<Edit> {
    vec![
        Edit::Set {
            table: "build",
            key: "cmd",
            value: cmd.into(),
        },
        Edit::Set {
            table: "build",
            key: "bin",
            value: format!("./{tmp}/main").into(),
        },
    ]
}

/// A config that sets no bin, entrypoint or full_bin and whose build writes no program
/// (`go test ./...`, a generator such as `templ generate`): air fills in its default bin,
/// `./tmp/main` (runner/config.go defaultConfig, kept by mergo), and starts it after every
/// build. When another config beside it builds its app there (peterszarvas94/money's
/// .air.toml beside .air.test.toml and .air.templ.toml), each test run or generation starts
/// that app, a stale copy of it (taking its port beside the real one): a warning, naming the
/// other config and a no-op bin.
pub(super) fn defaulted_bin(f: &AirFile, out: &mut Vec<Finding>) {
    use crate::reloaders::air::keys::{BUILD_BIN, BUILD_ENTRYPOINT, BUILD_FULL_BIN};
    if [BUILD_BIN, BUILD_ENTRYPOINT, BUILD_FULL_BIN]
        .iter()
        .any(|k| f.line(k.path).is_some())
    {
        return;
    }
    let c = &f.ctx.project.air;
    // Set on air's command line (`--build.bin`): not the default.
    if c.build.entrypoint.is_some() || !c.build.full_bin.trim().is_empty() {
        return;
    }
    let steps = build_steps(f);
    let builds =
        |s: &Step| ["build", "install", "run"].iter().any(|sub| s.is_go(sub)) || is_task_runner(s);
    if steps.is_empty() || steps.iter().any(builds) {
        return;
    }
    let cwd = &f.ctx.project.root;
    let bin = clean(&c.bin_path(cwd, &super::air_view::watch_root(f)));
    let bin_name = bin.file_name().map(|n| n.to_string_lossy().into_owned());
    // A step that writes or copies the file itself (`cp build/app tmp/main`).
    if steps.iter().any(|s| {
        s.words
            .iter()
            .skip(1)
            .any(|w| bin_name.as_deref().is_some_and(|n| w.ends_with(n)))
    }) {
        return;
    }
    let Some(dir) = f.path.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut others: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            *p != f.path
                && p.is_file()
                && p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.contains("air") && (n.ends_with(".toml") || n.ends_with(".conf"))
                })
        })
        .collect();
    others.sort();
    let builder = others.iter().find(|p| {
        let Ok(written) = crate::reloaders::air::config::load(p) else {
            return false;
        };
        let Ok(other) = crate::reloaders::air::config::AirConfig::read(&written) else {
            return false;
        };
        let plan = BuildPlan::parse(&other.build.cmd);
        plan.approximation.is_none()
            && plan
                .output
                .as_ref()
                .is_some_and(|o| clean(&plan.work_dir(cwd).join(o)) == bin)
    });
    let Some(builder) = builder else { return };
    let other = builder
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let shown = super::launches::relative(cwd, &bin);
    let shown = match shown.starts_with('.') || shown.starts_with('/') {
        true => shown,
        false => format!("./{shown}"),
    };
    out.push(
        Finding::warn(format!(
            "{}: {} sets no bin, so air runs its default {shown} after every build; this build writes no program, and {shown} is the app {other} builds: after each run of this config air starts that app (a stale copy; beside the one {other} runs it competes for the same port), or prints \"{shown}: not found\" before {other} ever built it; set bin = \"/bin/true\" (a no-op) if nothing is meant to run",
            f.at(BUILD_CMD_PATH),
            f.name,
        ))
        .with_evidence(f.evidence(
            BUILD_CMD_PATH,
            json!({"problem": Problem::DefaultedBin, "bin": shown, "built_by": other}),
        )),
    );
}

const BUILD_CMD_PATH: &str = crate::reloaders::air::keys::BUILD_CMD.path;

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn go_run_words() {
        assert_eq!(
            commands::parse_go_run(&w("go run -tags dev ./cmd/api serve --port 1")),
            Some((w("-tags dev"), "./cmd/api".into(), w("serve --port 1")))
        );
        assert_eq!(
            commands::parse_go_run(&w("go run main.go routes.go")),
            Some((vec![], "main.go routes.go".into(), vec![]))
        );
        assert_eq!(commands::parse_go_run(&w("go run -exec x .")), None);
    }

    #[test]
    fn bin_words_split_arguments() {
        assert_eq!(
            bin_words("./tmp/main serve -v"),
            ("./tmp/main".into(), w("serve -v"))
        );
        assert_eq!(bin_words("./tmp/main"), ("./tmp/main".into(), vec![]));
    }

    #[test]
    fn task_runner_steps() {
        let step = |s: &str| Step {
            key: "build.cmd",
            line: s.into(),
            words: w(s),
            redirects: vec![],
            dir: PathBuf::new(),
            dir_known: true,
            substituted: false,
            background: false,
            unheeded: false,
        };
        assert!(is_task_runner(&step("make build")));
        assert!(is_task_runner(&step("./scripts/build.sh")));
        assert!(is_task_runner(&step("CGO_ENABLED=0 task dev")));
        assert!(!is_task_runner(&step("go build -o x .")));
        assert!(commands::moves_into(
            &Step {
                dir: PathBuf::from("cmd/api"),
                ..step("mv app ../../tmp/main")
            },
            Path::new("/p/tmp/main"),
            Path::new("/p")
        ));
    }
}
