//! Running the checks and the report they make: the data behind both the human output and
//! the JSON contract (schema_version 1, documented in README.md).

use checks::engine::CheckResult;
use checks::{Applicability, Context, Status};
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
    /// Findings with a fix that `--fix` can apply (safe, or unsafe with `--unsafe`).
    pub fixable: usize,
}

impl Summary {
    fn of(checks: &[CheckResult]) -> Summary {
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
            s.fixable += c
                .findings
                .iter()
                .filter(|f| {
                    f.fix
                        .as_ref()
                        .is_some_and(|x| x.applicability != Applicability::Manual)
                })
                .count();
        }
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

pub fn build(ctx: &Context, checks: Vec<CheckResult>) -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "reload-doctor",
            version: env!("CARGO_PKG_VERSION"),
        },
        project: ProjectInfo::of(ctx),
        summary: Summary::of(&checks),
        checks,
    }
}

impl Report {
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
