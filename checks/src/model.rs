//! The data a check produces: findings, their severity, and fixes described as plain data.
//!
//! Checks never change the system. A [`Fix`] only *describes* an action; the binary's fix
//! executor is the one audited place that carries actions out, after re-validating them.

use serde::{Serialize, Serializer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A path in JSON, for `#[serde(serialize_with)]`: serde refuses a path that is not UTF-8
/// (a folder may be named with any bytes), so such bytes are shown as U+FFFD. The value
/// itself stays exact for whoever acts on it.
pub fn lossy_path<S: Serializer>(p: &impl AsRef<Path>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.as_ref().to_string_lossy())
}

fn lossy_path_opt<S: Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => lossy_path(p, s),
        None => s.serialize_none(),
    }
}

/// How bad one finding is. Ordered: the worst finding decides a check's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Fail,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Fail => "fail",
        }
    }
}

/// The status of one check in the report and in the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Info,
    Warn,
    Fail,
    Skip,
    Error,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Info,
        Status::Warn,
        Status::Fail,
        Status::Skip,
        Status::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Info => "info",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Error => "error",
        }
    }
}

/// One thing a check noticed.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// One line for a person, naming the problem.
    pub message: String,
    /// Check-specific facts behind the message (pids, counts, paths).
    pub evidence: Value,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            severity,
            message: message.into(),
            evidence: Value::Null,
            fix: None,
        }
    }

    pub fn info(message: impl Into<String>) -> Self {
        Self::new(Severity::Info, message)
    }

    pub fn warn(message: impl Into<String>) -> Self {
        Self::new(Severity::Warn, message)
    }

    pub fn fail(message: impl Into<String>) -> Self {
        Self::new(Severity::Fail, message)
    }

    pub fn with_evidence(mut self, evidence: Value) -> Self {
        self.evidence = evidence;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// Whether `--fix` may apply a fix on its own (ruff's "applicability").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `--fix`: it only touches what belongs to this project or this user's limits.
    Safe,
    /// Applied only with `--fix --unsafe`: it may disturb something that is not ours.
    Unsafe,
    /// Never applied; printed for a person to run.
    Manual,
}

/// A remedy for one finding: a summary for people and an action for the executor.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub summary: String,
    pub applicability: Applicability,
    pub needs_root: bool,
    pub action: Action,
}

impl Fix {
    /// Steps for a person: printed, never run. The summary is the steps in one line.
    pub fn manual(steps: Vec<String>) -> Fix {
        Fix {
            summary: steps.join("; "),
            applicability: Applicability::Manual,
            needs_root: false,
            action: Action::Manual { steps },
        }
    }
}

/// What the executor does. Each variant carries what it was computed from, so the
/// executor can refuse a stale plan.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// Set a sysctl live and persist it in a drop-in file under `/etc/sysctl.d`.
    SetSysctl {
        key: String,
        value: u64,
        /// The value seen when the check ran; the executor refuses if it changed.
        expected_old: u64,
        persist_file: String,
    },
    /// Stop a process: SIGTERM (or `signal`), wait, then SIGKILL when `escalate`.
    StopProcess {
        pid: i32,
        /// Start time in clock ticks since boot, from `/proc/PID/stat`.
        start_time: u64,
        /// `/proc/PID/exe` as read (a ` (deleted)` suffix is ignored when comparing).
        #[serde(serialize_with = "lossy_path_opt")]
        exe: Option<PathBuf>,
        signal: String,
        escalate: bool,
    },
    /// Send one signal without waiting (SIGCHLD to make a parent reap its zombies).
    Signal {
        pid: i32,
        start_time: u64,
        signal: String,
    },
    /// Replace a file's contents, keeping a backup beside it.
    WriteFile {
        #[serde(serialize_with = "lossy_path")]
        path: PathBuf,
        contents: String,
        /// The contents seen when the check ran; the executor refuses if the file changed.
        expected_old: String,
        /// Where the old contents are kept: absolute, or relative to the file's folder.
        #[serde(serialize_with = "lossy_path")]
        backup: PathBuf,
        /// How `contents` is made from a text: the engine makes the fixes several checks
        /// offer for one file in one rewrite with it (the engine, `engine.rs`).
        #[serde(skip)]
        rewrite: Rewrite,
    },
    /// Steps for a person (commands or edits); never executed.
    Manual { steps: Vec<String> },
}

/// The change a [`Action::WriteFile`] makes, as a function of the file's text. Two actions
/// that write the same contents are the same action however their rewrites were made, so
/// rewrites always compare equal.
#[derive(Clone)]
pub struct Rewrite(pub Arc<RewriteFn>);

/// A text in, the rewritten text (or why it cannot be rewritten) out.
pub type RewriteFn = dyn Fn(&str) -> Result<String, String> + Send + Sync;

impl Rewrite {
    pub fn apply(&self, text: &str) -> Result<String, String> {
        (self.0)(text)
    }
}

impl PartialEq for Rewrite {
    fn eq(&self, _: &Rewrite) -> bool {
        true
    }
}

impl std::fmt::Debug for Rewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Rewrite")
    }
}

/// What a check returns.
#[derive(Debug, Clone)]
pub enum Outcome {
    Ran {
        summary: String,
        findings: Vec<Finding>,
        /// Facts behind the summary, shown in JSON whether or not anything was found.
        evidence: Value,
    },
    /// Not applicable here; the reason is always shown.
    Skipped(String),
    /// The check itself could not run (not the same as finding a problem).
    Errored(String),
}

impl Outcome {
    pub fn ran(summary: impl Into<String>, findings: Vec<Finding>) -> Self {
        Outcome::Ran {
            summary: summary.into(),
            findings,
            evidence: Value::Null,
        }
    }

    /// Attach check-level evidence (the figures behind the summary).
    pub fn with_evidence(mut self, facts: Value) -> Self {
        if let Outcome::Ran { evidence, .. } = &mut self {
            *evidence = facts;
        }
        self
    }

    pub fn skipped(reason: impl Into<String>) -> Self {
        Outcome::Skipped(reason.into())
    }

    pub fn status(&self) -> Status {
        match self {
            Outcome::Ran { findings, .. } => match findings.iter().map(|f| f.severity).max() {
                None => Status::Pass,
                Some(Severity::Info) => Status::Info,
                Some(Severity::Warn) => Status::Warn,
                Some(Severity::Fail) => Status::Fail,
            },
            Outcome::Skipped(_) => Status::Skip,
            Outcome::Errored(_) => Status::Error,
        }
    }
}
