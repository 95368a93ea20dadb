//! `reloader-config`: the reloader's own configuration, read the way the reloader reads it.
//!
//! air: `.air.toml` syntax (file:line:col), every key against air v1.67's key set (unknown and
//! misplaced keys, wrong types, zero values air replaces), then the settings that break
//! reloads (see `air_semantics`). fresh: `runner.conf` keys and values. gin: the app must
//! listen on `$PORT`.

use super::check::Check;
use crate::context::Context;
use crate::model::{Action, Applicability, Finding, Fix, Outcome};
use crate::project::Reloader;
use crate::reloaders::air::edit::{self as air_edit, Edit};
use crate::reloaders::air::launch::LaunchContext;
use crate::reloaders::air::written::Written;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

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
pub mod problems;
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
fresh: runner.conf keys and values (valid_ext, no_rebuild_ext, a last line without newline).
gin (gin-bin in .gitignore, a script or a running gin): the app must listen on $PORT, which gin
sets to its --appPort; .env names gin ignores (GIN_APP_PORT is BIN_APP_PORT).

Severity: fail when air visibly misbehaves (refuses the config, never builds, never restarts,
runs a binary the build does not write, rebuilds in a loop); warn when air silently ignores
or changes a setting; info for choices made on purpose.

Why it breaks hot reload: air never warns about a misspelt key, so `exlude_dir` quietly
watches everything; a bin that is not what cmd builds restarts an old binary forever; a
generated file in a watched folder makes every build trigger the next.

Fix by hand: edit the line the finding names. --fix applies the safe rewrites (misspelt or
misplaced keys when the target is certain, zero values commented out, dotted extensions,
./ entries, bin arguments to args_bin, go run to go build, missing -o, excludes for build
output and generated files) in one rewrite, comments kept, the old file kept as
.air.toml.reload-doctor.bak; a second --fix finds nothing to do.",
    problems: problems::PROBLEMS,
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
    let Some(written) = &ctx.project.air_written else {
        return vec![];
    };
    let name = ctx.project.display_path(&path);
    let file = AirFile::new(ctx, path, name, written, None);
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
    /// The file as written: the project's one parse of it.
    written: &'a Written,
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
        written: &'a Written,
        installed: Option<air_install::Installed>,
    ) -> AirFile<'a> {
        AirFile {
            repo: crate::reloaders::air::launch::repository_root(&ctx.project.root),
            project: ctx.project.root.clone(),
            ctx,
            path,
            name,
            written,
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
        self.written.line(key)
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
        let contents = air_edit::apply_all(self.written.text(), &edits).ok()?;
        if let Some(why) = not_ours_to_write(&self.project, &self.path) {
            return Some(manual(format!(
                "{summary} (by hand: {} {why}, so --fix leaves it alone)",
                self.path.display()
            )));
        }
        self.edits.borrow_mut().push((contents.clone(), edits));
        Some(write_fix(
            &self.path,
            self.written.text(),
            summary,
            contents,
        ))
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
        }) if p == path => Some(contents.clone()),
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
pub(super) fn write_fix(path: &Path, old: &str, summary: String, contents: String) -> Fix {
    let mut backup = path.as_os_str().to_owned();
    backup.push(".reload-doctor.bak");
    Fix {
        summary,
        applicability: Applicability::Safe,
        needs_root: false,
        action: Action::WriteFile {
            path: path.to_path_buf(),
            contents,
            expected_old: old.to_string(),
            backup: PathBuf::from(backup),
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
