//! Running the checks and the report they make: the data behind both the human output and
//! the JSON contract (schema_version 1, documented in README.md).

use crate::fix::{plan::Tally, Executor};
use checks::engine::CheckResult;
use checks::{Context, Status};
use reload_doctor_checks as checks;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub project: ProjectInfo,
    pub checks: Vec<CheckResult>,
    pub summary: Summary,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ProjectInfo {
    pub root: String,
    pub reloader: &'static str,
    pub config: Option<String>,
    pub port: u16,
    pub port_source: checks::PortSource,
    /// Not part of the schema's required keys: where the port was found (`main.go:31`).
    pub port_origin: Option<String>,
}

#[derive(Debug, Serialize, Default, PartialEq)]
pub struct Summary {
    pub pass: usize,
    pub info: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
    pub error: usize,
    /// Problems `--fix` can fix (safe, or unsafe with `--unsafe`): what `--fix --unsafe`
    /// would fix here ([`Tally`]).
    pub fixable: usize,
    /// Of `fixable`, those only `--fix --unsafe` fixes; additive to schema 1.
    pub fixable_unsafe: usize,
}

impl Summary {
    fn of(checks: &[CheckResult], tally: Tally) -> Summary {
        let mut s = Summary::default();
        for c in checks {
            *match c.status {
                Status::Pass => &mut s.pass,
                Status::Info => &mut s.info,
                Status::Warn => &mut s.warn,
                Status::Fail => &mut s.fail,
                Status::Skip => &mut s.skip,
                Status::Error => &mut s.error,
            } += 1;
        }
        s.fixable = tally.fixable + tally.more_unsafe;
        s.fixable_unsafe = tally.more_unsafe;
        s
    }
}

impl ProjectInfo {
    pub fn of(ctx: &Context) -> ProjectInfo {
        let p = &ctx.project;
        ProjectInfo {
            root: p.root.display().to_string(),
            reloader: p.reloader.as_str(),
            config: p.config_path.as_ref().map(|c| c.display().to_string()),
            port: p.port,
            port_source: p.port_source,
            port_origin: p.port_origin.clone(),
        }
    }
}

/// The report of `checks`; `ex` decides what `--fix` could do about them here.
pub fn build(ctx: &Context, checks: Vec<CheckResult>, ex: &Executor) -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "reload-doctor",
            version: env!("CARGO_PKG_VERSION"),
        },
        project: ProjectInfo::of(ctx),
        summary: Summary::of(&checks, Tally::of(ex, &checks)),
        checks,
    }
}

impl Report {
    /// The fix counts of the summary.
    pub fn tally(&self) -> Tally {
        Tally {
            fixable: self.summary.fixable - self.summary.fixable_unsafe,
            more_unsafe: self.summary.fixable_unsafe,
        }
    }

    /// 1 when something failed (or warned, when strict), else 0.
    pub fn exit_code(&self, strict: bool) -> i32 {
        let s = &self.summary;
        if s.fail > 0 || s.error > 0 || (strict && s.warn > 0) {
            1
        } else {
            0
        }
    }
}
