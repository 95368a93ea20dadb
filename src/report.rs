//! Running the checks and the report they make: the data behind both the human output and
//! the JSON contract (schema_version 1, documented in README.md).

use checks::{Applicability, Check, Context, Finding, Outcome, Status};
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

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

#[derive(Debug, Serialize)]
pub struct CheckResult {
    pub id: &'static str,
    pub title: &'static str,
    pub status: Status,
    pub summary: String,
    pub duration_ms: f64,
    pub findings: Vec<Finding>,
    /// Check-level facts (null when the check has none); additive to schema 1.
    pub evidence: serde_json::Value,
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

/// Run `selected` concurrently; results come back in the order given. A check that panics
/// is reported with status `error`; the others are unaffected.
/// `done` counts finished checks, for a progress display.
pub fn run_checks(
    ctx: &Context,
    selected: &[&'static Check],
    done: &AtomicUsize,
) -> Vec<CheckResult> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = selected
            .iter()
            .map(|check| {
                scope.spawn(move || {
                    let r = run_one(ctx, check);
                    done.fetch_add(1, Ordering::Relaxed);
                    r
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(selected)
            .map(|(h, check)| {
                h.join().unwrap_or_else(|_| {
                    result(check, Outcome::Errored("check thread died".into()), 0.0)
                })
            })
            .collect()
    })
}

fn run_one(ctx: &Context, check: &'static Check) -> CheckResult {
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| (check.run)(ctx))).unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Outcome::Errored(format!("the check crashed: {msg} (please report this)"))
    });
    result(check, outcome, start.elapsed().as_secs_f64() * 1000.0)
}

fn result(check: &'static Check, outcome: Outcome, duration_ms: f64) -> CheckResult {
    let status = outcome.status();
    let (summary, findings, evidence) = match outcome {
        Outcome::Ran {
            summary,
            findings,
            evidence,
        } => (summary, findings, evidence),
        Outcome::Skipped(why) | Outcome::Errored(why) => (why, vec![], serde_json::Value::Null),
    };
    CheckResult {
        id: check.id,
        title: check.purpose,
        status,
        summary,
        duration_ms: (duration_ms * 10.0).round() / 10.0,
        findings,
        evidence,
    }
}

pub fn build(ctx: &Context, checks: Vec<CheckResult>) -> Report {
    let p = &ctx.project;
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "reload-doctor",
            version: env!("CARGO_PKG_VERSION"),
        },
        project: ProjectInfo {
            root: p.root.display().to_string(),
            reloader: p.reloader.as_str(),
            config: p.config_path.as_ref().map(|c| c.display().to_string()),
            port: p.port,
            port_source: p.port_source,
            port_origin: p.port_origin.clone(),
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use checks::{Options, Project, System};

    static BOOM: Check = Check {
        id: "boom",
        purpose: "panics",
        explain: "",
        run: |_| panic!("kaboom"),
    };

    #[test]
    fn a_panicking_check_is_an_error_and_the_others_still_run() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/stdlib-healthy");
        let project = Project::detect(std::path::Path::new(root), None).unwrap();
        let ctx = Context::new(project, System::live(), Options::default());
        let watch_scope = checks::find("watch-scope").unwrap();
        let done = AtomicUsize::new(0);
        let results = run_checks(&ctx, &[&BOOM, watch_scope], &done);
        assert_eq!(results[0].status, Status::Error);
        assert!(
            results[0].summary.contains("kaboom"),
            "{}",
            results[0].summary
        );
        assert_eq!(results[1].id, "watch-scope");
        assert_eq!(results[1].status, Status::Pass);
        assert_eq!(done.load(Ordering::Relaxed), 2);
        assert_eq!(build(&ctx, results).exit_code(false), 1);
    }
}
