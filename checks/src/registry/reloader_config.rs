//! `reloader-config`: the reloader's own configuration, read the way the reloader reads it.
//!
//! air: `.air.toml` syntax (file:line:col), every key against air v1.67's key set (unknown and
//! misplaced keys, wrong types, zero values air replaces), then the settings that break
//! reloads (see `air_semantics`). fresh: `runner.conf` keys and values. gin: the app must
//! listen on `$PORT`.

use super::Check;
use crate::context::Context;
use crate::model::{Action, Applicability, Finding, Fix, Outcome};
use crate::project::Reloader;
use crate::reloaders::air::edit::{self as air_edit, Edit};
use crate::reloaders::air::launch::LaunchContext;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use toml_edit::ImDocument;

mod air_file;
mod air_install;
mod air_semantics;
mod air_view;
mod binary;
mod commands;
mod entries;
mod fresh;
mod generated;
mod gin;
mod imports;
mod launches;
mod outside_root;
mod task_runners;
mod tools;

pub static CHECK: Check = Check {
    id: "reloader-config",
    purpose: "the reloader's config (.air.toml, runner.conf, gin's PORT) read the way the reloader reads it",
    explain: "\
Looks at: the config file air reads (.air.toml, .config/air.toml, the FILE of `air -c FILE` in
a Makefile, script, Dockerfile or compose file), every key against air v1.67's key set, the
build commands (and what `make TARGET` or `npm run X` there runs, read as text, never run),
the air on PATH (`go version -m`, never run).
Where air runs: every launcher of the repository (Makefile, justfile, Taskfile, package.json,
Procfile, shell scripts, Dockerfile CMD/ENTRYPOINT, compose services with their working_dir
and bind mounts, .vscode/tasks.json, devcontainer commands; read as text, never run) gives
the folder air starts in and the config it reads; root, tmp_dir, bin and build.cmd's paths
are judged from that folder (container paths through the mounts). A path problem is a fail
only when it breaks every way the repository starts air; otherwise a warning naming the
launchers where it breaks. Without a launcher, air runs in the config's folder.
fresh: runner.conf keys and values (valid_ext, no_rebuild_ext, a last line without newline).
gin (gin-bin in .gitignore, a script or a running gin): the app must listen on $PORT, which gin
sets to its --appPort; .env names gin ignores (GIN_APP_PORT is BIN_APP_PORT).

Severity: fail when air visibly misbehaves (refuses the config, never builds, never restarts,
runs a binary the build does not write, rebuilds in a loop); warn when air silently ignores
or changes a setting; info for choices made on purpose.

Problem ids (evidence.problem) and what air does:
  fail  wrong-type               refuses to start (\"Can't convert\")
  fail  bad-regex                refuses to start: exclude_regex does not compile
  fail  bad-color-mode           refuses to start: color.mode is not always/auto/never
  fail  bad-rule                 refuses to start: a [[build.rules]] without cmd or match
  fail  root-missing             watches nothing: root is not a folder
  fail  root-dangerous           refuses to run in / or $HOME
  fail  launch-config-missing    `air -c FILE` names a missing file: air stops (warn when
                                 another launcher reads the config, or in a container)
  fail  windows-only-config      tmp\\main.exe or cmd /c: works on Windows, fails elsewhere
  fail  watcher-in-build         a --watch generator in the build never ends: the app never starts
  fail  go-run-as-build          cmd = go run: the build never ends, each save starts a copy
  fail  build-without-output     go build without -o: the binary air runs is never built
  fail  binary-mismatch          -o writes another file than bin/entrypoint/full_bin runs
  fail  bin-with-arguments       bin is quoted as one path (v1.62+): \"main serve\" not found
  fail  bin-with-space           bin = \"./tmp/main \": the space is part of the path (v1.62+)
  fail  no-go-ext                include_ext without go: saving .go never rebuilds
  fail  dotted-extension         \".go\" never matches (air adds the dot); fail when go is lost
  fail  rebuild-loop             build output in a watched folder air reacts to
  fail  generated-code-loop      a generator in the build rewrites watched files (templ,
                                 swag, go generate, sqlc, sass, esbuild, > file)
  fail  hides-imported-package   exclude_dir/include_dir hides a package main imports (warn
                                 when generated code or another module's: on purpose)
  fail  air-ignores-poll         the installed air predates poll (v1.43.0)
  fail  air-spaces-in-path       the installed air predates quoting paths (v1.62.0)
  fail  hard-coded-port          (gin) the app ignores $PORT, gin proxies to nothing
  warn  generated-extra-build    a generator the task runner skips while its sources are
                                 unchanged, or that keeps an unchanged output (tailwindcss),
                                 writes watched files: each change builds twice
  warn  imports-outside-root     main imports a go.work neighbour or a module replaced by a
                                 folder, outside air's root: editing it never rebuilds
  warn  config-not-read          plain air never reads air.toml or .air.conf (v1.63.2+)
  warn  unknown-key              ignored silently (a typo)
  warn  misplaced-key            ignored: the key belongs in another table
  warn  zero-value-ignored       \"\", 0, false are replaced by air's defaults
  warn  exclude-dir-never-matches, include-file-never-matches, exclude-file-never-matches
                                 \"./x\", absolute paths or globs never match
  warn  root-outside-project     watches a tree outside the repository
  warn  launch-runs-defaults     a launcher runs plain air where no .air.toml is: defaults
  warn  no-poll-on-quiet-mount   the mount drops events and poll is off
  warn  no-kill-delay            send_interrupt with kill_delay 0: SIGKILL right after SIGINT
  warn  kill-delay-too-short     integer kill_delay under 100 is milliseconds
  warn  kill-delay-nanoseconds   a large integer kill_delay is nanoseconds
  warn  air-overlapping-builds   the installed air predates v1.46.0 (two builds at once)
  warn  air-port-not-freed       the installed air predates v1.61.6 (port still taken)
  warn  air-old-module           the installed air is github.com/cosmtrek/air
  warn  gin-env                  (gin) a .env name gin does not read
  warn  tool-not-found           a build step runs a program not on PATH (templ, task, make)
  info  stale-binary-after-error stop_on_error = false keeps the old binary after a failed build
  info  other-config-launched    a Makefile/script runs air with another file

Why it breaks hot reload: air never warns about a misspelt key, so `exlude_dir` quietly
watches everything; a bin that is not what cmd builds restarts an old binary forever; a
generated file in a watched folder makes every build trigger the next.

Fix by hand: edit the line the finding names. --fix applies the safe rewrites (misspelt or
misplaced keys when the target is certain, zero values commented out, dotted extensions,
./ entries, bin arguments to args_bin, go run to go build, missing -o, excludes for build
output and generated files) in one rewrite, comments kept, the old file kept as
.air.toml.reload-doctor.bak; a second --fix finds nothing to do.",
    run,
};

fn run(ctx: &Context) -> Outcome {
    match ctx.project.reloader {
        Reloader::Air => air_file::check(ctx),
        Reloader::Fresh => fresh::check(ctx),
        Reloader::Gin => gin::check(ctx, crate::reloaders::gin::marker(&ctx.project.root)),
        Reloader::None => match gin::running_here(ctx) {
            Some(why) => gin::check(ctx, Some(why)),
            None => Outcome::ran(
                "no .air.toml, runner.conf or gin setup: air would run with its defaults, which work",
                vec![],
            ),
        },
    }
}

/// For build-speed: the Go files the air build's generators rewrite on every build, with the
/// command that writes each; empty without a readable air config.
pub(crate) fn build_rewrites(ctx: &Context) -> Vec<(String, PathBuf)> {
    let Some(path) = ctx.project.config_path.clone() else {
        return vec![];
    };
    if ctx.project.reloader != Reloader::Air {
        return vec![];
    }
    let text = crate::system::files::read(&path)
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let Some((text, doc)) = text.and_then(|t| Some((t.clone(), ImDocument::parse(t).ok()?))) else {
        return vec![];
    };
    let name = ctx.project.display_path(&path);
    let file = AirFile::new(ctx, path, name, text, doc, None);
    generated::rewritten_go_files(&file)
}

/// A parsed air config file with what findings need to point into it, judged in one place
/// air runs: `ctx.project.root` is that folder (air's working directory) and `ctx.project.air`
/// the settings air has there (see [`launches`]).
pub(super) struct AirFile<'a> {
    ctx: &'a Context,
    path: PathBuf,
    /// The path as shown to people (relative to the project).
    name: String,
    text: String,
    doc: ImDocument<String>,
    /// Every fix's edits, with the file they make; see [`one_rewrite`].
    edits: RefCell<Vec<(String, Vec<Edit>)>>,
    /// The air on PATH, when it is one.
    installed: Option<air_install::Installed>,
    /// The repository: a path inside it is the user's own layout, not a stray one.
    repo: PathBuf,
    /// The folder the doctor examines: the only place `--fix` writes.
    project: PathBuf,
    /// The launchers this judgement stands for; empty when air runs in the config's folder.
    launches: Vec<LaunchContext>,
    /// Settings were mapped from container paths or overridden on air's command line: a
    /// rewrite of the file would write what was judged, not what the file says.
    no_rewrite: bool,
}

impl<'a> AirFile<'a> {
    fn new(
        ctx: &'a Context,
        path: PathBuf,
        name: String,
        text: String,
        doc: ImDocument<String>,
        installed: Option<air_install::Installed>,
    ) -> AirFile<'a> {
        AirFile {
            repo: crate::reloaders::air::launch::repository_root(&ctx.project.root),
            project: ctx.project.root.clone(),
            ctx,
            path,
            name,
            text,
            doc,
            edits: Default::default(),
            installed,
            launches: vec![],
            no_rewrite: false,
        }
    }
}

impl AirFile<'_> {
    /// 1-based line of a dotted key (`build.cmd`) when the file sets it.
    fn line(&self, key: &str) -> Option<usize> {
        crate::reloaders::air::keys::line_of(&self.doc, key)
    }

    /// `.air.toml:9` for a key the file sets, `.air.toml` otherwise.
    fn at(&self, key: &str) -> String {
        site(&self.name, self.line(key))
    }

    /// Evidence naming the file, the key and its line, plus `extra` fields.
    fn evidence(&self, key: &str, extra: Value) -> Value {
        evidence(&self.name, self.line(key), key, extra)
    }

    /// A safe fix that makes `edits` to the file, keeping a backup; None when toml_edit
    /// cannot make them (the finding then has no fix rather than a wrong one), or when what
    /// was judged is not what the file says (container paths, command-line overrides).
    /// A config the repository points at outside the project (`air -c /etc/x.toml` in its
    /// Makefile), or a symbolic link (renaming over it would replace the link), is never
    /// written: the fix says what to change by hand.
    fn write_fix(&self, summary: String, edits: Vec<Edit>) -> Option<Fix> {
        if self.no_rewrite {
            return None;
        }
        let contents = air_edit::apply_all(&self.text, &edits).ok()?;
        if let Some(why) = not_ours_to_write(&self.project, &self.path) {
            return Some(manual(format!(
                "{summary} (by hand: {} {why}, so --fix leaves it alone)",
                self.path.display()
            )));
        }
        self.edits.borrow_mut().push((contents.clone(), edits));
        Some(write_fix(&self.path, &self.text, summary, contents))
    }
}

/// Give every fix of the file at `path` the same action, which makes all their edits: each
/// fix computed alone would expect the original file, so after the first one is applied the
/// executor would refuse the rest as stale. The executor runs an identical action once.
/// `edits` are the edits the fixes were made from, with the file each made alone.
fn one_rewrite(
    path: &Path,
    text: &str,
    name: &str,
    edits: &[(String, Vec<Edit>)],
    findings: &mut [Finding],
) {
    let contents_of = |f: &Finding| match &f.fix {
        Some(Fix {
            action: Action::WriteFile {
                path: p, contents, ..
            },
            ..
        }) if Path::new(p) == path => Some(contents.clone()),
        _ => None,
    };
    let made: Vec<String> = findings.iter().filter_map(contents_of).collect();
    if made.len() < 2 {
        return;
    }
    // The edits of the fixes kept, once each, in the order they were made.
    let mut all: Vec<&Edit> = vec![];
    let mut seen: Vec<&String> = vec![];
    for (contents, list) in edits {
        if made.contains(contents) && !seen.contains(&contents) {
            seen.push(contents);
            all.extend(list);
        }
    }
    let Ok(contents) = air_edit::apply_all(text, all) else {
        return;
    };
    let count = made.len();
    for f in findings.iter_mut().filter(|f| contents_of(f).is_some()) {
        let Some(fix) = f.fix.as_mut() else { continue };
        fix.summary = format!(
            "{} (one rewrite of {name} with {} other fix{})",
            fix.summary,
            count - 1,
            if count == 2 { "" } else { "es" }
        );
        if let Action::WriteFile { contents: c, .. } = &mut fix.action {
            c.clone_from(&contents);
        }
    }
}

/// A reloader config over the size cap: not read, so nothing about it can be judged.
fn too_large(name: &str, what: &str) -> Outcome {
    let cap = crate::system::files::TooLarge;
    Outcome::ran(
        format!("{name} is {cap}"),
        vec![Finding::warn(format!(
            "{name} is {cap}; {what} is a few KB, so this is generated or corrupt data; its settings were not checked; replace it with the real config"
        ))
        .with_evidence(json!({"file": name, "max_bytes": crate::system::files::MAX_BYTES}))],
    )
}

fn site(file: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    }
}

fn evidence(file: &str, line: Option<usize>, key: &str, extra: Value) -> Value {
    let mut v = json!({"file": file, "line": line, "key": key});
    if let (Some(v), Value::Object(extra)) = (v.as_object_mut(), extra) {
        v.extend(extra);
    }
    v
}

/// Why `--fix` must not rewrite `path`, if it must not: a symbolic link, or a file outside
/// the project `root` (links resolved).
fn not_ours_to_write(root: &Path, path: &Path) -> Option<&'static str> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Some("is a symbolic link");
    }
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let inside = match (path.parent().and_then(real), real(root)) {
        (Some(dir), Some(root)) => dir.starts_with(root),
        _ => false,
    };
    (!inside).then_some("is outside the project")
}

/// Replace a config file, expecting `old` there, keeping `<file>.reload-doctor.bak`.
fn write_fix(path: &Path, old: &str, summary: String, contents: String) -> Fix {
    let mut backup = path.as_os_str().to_owned();
    backup.push(".reload-doctor.bak");
    Fix {
        summary,
        applicability: Applicability::Safe,
        needs_root: false,
        action: Action::WriteFile {
            path: path.display().to_string(),
            contents,
            expected_old: old.to_string(),
            backup: PathBuf::from(backup).display().to_string(),
        },
    }
}

fn manual(step: String) -> Fix {
    Fix::manual(vec![step])
}

/// Findings sorted worst first, then by line, so the report leads with what stops reloads.
fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| {
        (
            std::cmp::Reverse(f.severity),
            f.evidence["line"].as_u64().unwrap_or(0),
        )
    });
    findings
}

#[cfg(test)]
mod tests {
    /// Every problem id a finding can carry is listed, with what air does, in `explain`.
    #[test]
    fn explain_lists_every_problem_id() {
        let sources = [
            include_str!("reloader_config/air_file.rs"),
            include_str!("reloader_config/air_semantics.rs"),
            include_str!("reloader_config/air_install.rs"),
            include_str!("reloader_config/binary.rs"),
            include_str!("reloader_config/entries.rs"),
            include_str!("reloader_config/generated.rs"),
            include_str!("reloader_config/imports.rs"),
            include_str!("reloader_config/gin.rs"),
            include_str!("reloader_config/fresh.rs"),
        ];
        let id = regex::Regex::new(r#""((?:[a-z]+-)+[a-z]+)""#).unwrap();
        // Hyphenated literals that are tool names or commands, not problem ids.
        let not_ids = ["node-sass", "oapi-codegen", "run-script"];
        let mut seen = 0;
        for src in sources {
            let code = src.split("#[cfg(test)]").next().unwrap_or(src);
            for m in id.captures_iter(code) {
                if not_ids.contains(&&m[1]) {
                    continue;
                }
                seen += 1;
                assert!(
                    super::CHECK.explain.contains(&m[1]),
                    "{} is not in explain",
                    &m[1]
                );
            }
        }
        for key in ["include_file", "exclude_file", "exclude_dir"] {
            let id = format!("{}-never-matches", key.replace('_', "-"));
            assert!(super::CHECK.explain.contains(&id), "{id}");
        }
        assert!(seen >= 30, "{seen}");
    }
}
