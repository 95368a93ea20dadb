//! The config file a reloader-config finding is about: air's parsed file with what findings
//! need to point into it (file:line, evidence) and the fixes that rewrite it, in one
//! rewrite; the same pointers for fresh's and gin's files.

use super::air_on_path::Installed;
use crate::context::Context;
use crate::model::{Action, Finding, Fix, Outcome};
use crate::registry::fixes::air_config;
use crate::reloaders::air::edit::{self as air_edit, Edit};
use crate::reloaders::air::launch::LaunchContext;
use crate::reloaders::air::versions::AirVersion;
use crate::reloaders::air::written::Written;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// A parsed air config file with what findings need to point into it, judged in one place
/// air runs: `ctx.project.root` is that folder (air's working directory) and `ctx.project.air`
/// the settings air has there (see [`launches`]).
pub(super) struct AirFile<'a> {
    pub(super) ctx: &'a Context,
    pub(super) path: PathBuf,
    /// The path as shown to people (relative to the project).
    pub(super) name: String,
    /// The file as written: the project's one parse of it.
    pub(super) written: &'a Written,
    /// Every fix's edits, with the file they make; see [`one_rewrite`].
    pub(super) edits: RefCell<Vec<(String, Vec<Edit>)>>,
    /// The air on PATH, when it is one.
    pub(super) installed: Option<Installed>,
    /// The air release judged here: the launchers' (their image or install line), else the
    /// air on PATH's; None: the current air.
    pub(super) release: Option<AirVersion>,
    /// The repository: a path inside it is the user's own layout, not a stray one.
    pub(super) repo: PathBuf,
    /// The folder the doctor examines: the only place `--fix` writes.
    pub(super) project: PathBuf,
    /// The launchers this judgement stands for; empty when air runs in the config's folder.
    pub(super) launches: Vec<LaunchContext>,
    /// Settings were mapped from container paths or overridden on air's command line: a
    /// rewrite of the file would write what was judged, not what the file says.
    pub(super) no_rewrite: bool,
}

impl<'a> AirFile<'a> {
    pub(super) fn new(
        ctx: &'a Context,
        path: PathBuf,
        name: String,
        written: &'a Written,
        installed: Option<Installed>,
    ) -> AirFile<'a> {
        AirFile {
            repo: crate::reloaders::air::launch::repository_root(&ctx.project.root),
            project: ctx.project.root.clone(),
            ctx,
            path,
            name,
            written,
            edits: Default::default(),
            release: super::air_on_path::on_path(installed.as_ref()),
            installed,
            launches: vec![],
            no_rewrite: false,
        }
    }
}

impl AirFile<'_> {
    /// 1-based line of a dotted key (`build.cmd`) when the file sets it.
    pub(super) fn line(&self, key: &str) -> Option<usize> {
        self.written.line(key)
    }

    /// `.air.toml:9` for a key the file sets, `.air.toml` otherwise.
    pub(super) fn at(&self, key: &str) -> String {
        site(&self.name, self.line(key))
    }

    /// Evidence naming the file, the key and its line, plus `extra` fields.
    pub(super) fn evidence(&self, key: &str, extra: Value) -> Value {
        evidence(&self.name, self.line(key), key, extra)
    }

    /// A safe fix that makes `edits` to the file, keeping a backup; None when toml_edit
    /// cannot make them (the finding then has no fix rather than a wrong one), or when what
    /// was judged is not what the file says (container paths, command-line overrides).
    /// A config the repository points at outside the project (`air -c /etc/x.toml` in its
    /// Makefile), or a symbolic link (renaming over it would replace the link), is never
    /// written: the fix says what to change by hand.
    pub(super) fn write_fix(&self, summary: String, edits: Vec<Edit>) -> Option<Fix> {
        if self.no_rewrite {
            return None;
        }
        let fix = air_config::edit_file(
            &self.project,
            &self.path,
            self.written.text(),
            summary,
            edits.clone(),
        )?;
        if let Action::WriteFile { contents, .. } = &fix.action {
            self.edits.borrow_mut().push((contents.clone(), edits));
        }
        Some(fix)
    }
}

/// Give every fix of the file at `path` the same action, which makes all their edits: each
/// fix computed alone would expect the original file, so after the first one is applied the
/// executor would refuse the rest as stale. The executor runs an identical action once.
/// `edits` are the edits the fixes were made from, with the file each made alone.
pub(super) fn one_rewrite(
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
    let all: Vec<Edit> = all.into_iter().cloned().collect();
    let Ok(contents) = air_edit::apply_all(text, &all) else {
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
        if let Action::WriteFile {
            contents: c,
            rewrite,
            ..
        } = &mut fix.action
        {
            c.clone_from(&contents);
            *rewrite = air_config::rewrite(all.clone());
        }
    }
}

/// A reloader config over the size cap: not read, so nothing about it can be judged.
pub(super) fn too_large(name: &str, what: &str) -> Outcome {
    let cap = crate::system::files::TooLarge;
    Outcome::ran(
        format!("{name} is {cap}"),
        vec![Finding::warn(format!(
            "{name} is {cap}; {what} is a few KB, so this is generated or corrupt data; its settings were not checked; replace it with the real config"
        ))
        .with_evidence(json!({"file": name, "max_bytes": crate::system::files::MAX_BYTES}))],
    )
}

/// A finding about what stops air: a fail where air reads the file; where nothing does
/// (plain air never reads it and no launcher passes it, `unread`), a warn on that condition.
pub(super) fn stopping(unread: Option<&str>, message: impl FnOnce(&str) -> String) -> Finding {
    match unread {
        None => Finding::fail(message("")),
        Some(name) => Finding::warn(message(&format!("if run with `air -c {name}`, "))),
    }
}

pub(super) fn site(file: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    }
}

pub(super) fn evidence(file: &str, line: Option<usize>, key: &str, extra: Value) -> Value {
    let mut v = json!({"file": file, "line": line, "key": key});
    if let (Some(v), Value::Object(extra)) = (v.as_object_mut(), extra) {
        v.extend(extra);
    }
    v
}

pub(super) fn manual(step: String) -> Fix {
    Fix::manual(vec![step])
}

/// Findings sorted worst first, then by line, so the report leads with what stops reloads.
pub(super) fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| {
        (
            std::cmp::Reverse(f.severity),
            f.evidence["line"].as_u64().unwrap_or(0),
        )
    });
    findings
}
