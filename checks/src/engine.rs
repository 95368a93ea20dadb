//! Running checks: each on a thread of its own, all at once, results in the order asked
//! for. A check that panics becomes an `error` result; the others are unaffected. Findings
//! the options leave out by problem id are dropped before the status is decided. The report,
//! `run`'s preflight and `verify`'s explanations all run checks through here.

use crate::context::Context;
use crate::model::{Action, Finding, Outcome, Rewrite, Status};
use crate::registry::Check;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Instant;

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

/// What a display learns while the checks run: which one started and which one finished
/// (by its index in `selected`), from the checks' own threads.
pub trait Observer: Sync {
    fn started(&self, _index: usize) {}
    fn finished(&self, _index: usize, _result: &CheckResult) {}
}

/// Nobody watching.
impl Observer for () {}

/// Run `selected` concurrently; results come back in the order given. A check that panics
/// is reported with status `error`; the others are unaffected.
pub fn run_checks(
    ctx: &Context,
    selected: &[&'static Check],
    observer: &dyn Observer,
) -> Vec<CheckResult> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = selected
            .iter()
            .enumerate()
            .map(|(i, check)| {
                scope.spawn(move || {
                    observer.started(i);
                    let r = run_one(ctx, check);
                    observer.finished(i, &r);
                    r
                })
            })
            .collect();
        let mut results: Vec<CheckResult> = handles
            .into_iter()
            .zip(selected)
            .map(|(h, check)| {
                h.join().unwrap_or_else(|_| {
                    result(check, Outcome::Errored("check thread died".into()), 0.0)
                })
            })
            .collect();
        one_rewrite_per_file(&mut results);
        results
    })
}

/// Fixes from several checks that rewrite one file (reloader-config's and signals' edits of
/// `.air.toml`) each expect the file as it was read: applied one after another, all but the
/// first would be refused as stale, and a second `--fix` would find more to do. Each such
/// fix gets the contents that make every one's change (in the checks' order); the executor
/// runs that one action once. A file whose changes cannot be made together keeps its fixes
/// as they were.
fn one_rewrite_per_file(results: &mut [CheckResult]) {
    /// Each file fix: the file, the text it expects, its contents, its rewrite.
    type Write<'a> = (PathBuf, String, &'a mut String, Rewrite);
    fn writes(results: &mut [CheckResult]) -> Vec<Write<'_>> {
        results
            .iter_mut()
            .flat_map(|c| c.findings.iter_mut())
            .filter_map(|f| match f.fix.as_mut().map(|x| &mut x.action) {
                Some(Action::WriteFile {
                    path,
                    contents,
                    expected_old,
                    rewrite,
                    ..
                }) => Some((
                    path.clone(),
                    expected_old.clone(),
                    contents,
                    rewrite.clone(),
                )),
                _ => None,
            })
            .collect()
    }
    // Per file (and the text it was read as): the distinct changes, in order.
    type Changes = Vec<(String, Rewrite)>;
    let mut files: Vec<(PathBuf, String, Changes)> = vec![];
    for (path, old, contents, rewrite) in writes(results) {
        let i = match files.iter().position(|(p, o, _)| *p == path && *o == old) {
            Some(i) => i,
            None => {
                files.push((path, old, vec![]));
                files.len() - 1
            }
        };
        if !files[i].2.iter().any(|(c, _)| c == contents) {
            files[i].2.push((contents.clone(), rewrite));
        }
    }
    let joined: Vec<(PathBuf, String, String)> = files
        .into_iter()
        .filter(|(_, _, changes)| changes.len() > 1)
        .filter_map(|(path, old, changes)| {
            let all = changes
                .iter()
                .try_fold(old.clone(), |text, (_, r)| r.apply(&text))
                .ok()?;
            Some((path, old, all))
        })
        .collect();
    for (path, old, contents, _) in writes(results) {
        if let Some((_, _, all)) = joined.iter().find(|(p, o, _)| *p == path && *o == old) {
            contents.clone_from(all);
        }
    }
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
    let outcome = match outcome {
        Outcome::Ran {
            summary,
            mut findings,
            evidence,
        } => {
            findings.retain(|f| ctx.options.problems.keeps(check.id, f));
            Outcome::Ran {
                summary,
                findings,
                evidence,
            }
        }
        other => other,
    };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, Project, System};

    static BOOM: Check = Check {
        id: "boom",
        purpose: "panics",
        explain: "",
        problems: &[],
        run: |_| panic!("kaboom"),
    };

    #[test]
    fn a_panicking_check_is_an_error_and_the_others_still_run() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/stdlib-healthy");
        let project = Project::detect(std::path::Path::new(root), None).unwrap();
        let ctx = Context::new(project, System::live(), Options::default());
        let watch_scope = &crate::registry::watch_scope::CHECK;
        struct Count(std::sync::atomic::AtomicUsize);
        impl Observer for Count {
            fn finished(&self, _: usize, _: &CheckResult) {
                self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let done = Count(Default::default());
        let results = run_checks(&ctx, &[&BOOM, watch_scope], &done);
        assert_eq!(results[0].status, Status::Error);
        assert!(
            results[0].summary.contains("kaboom"),
            "{}",
            results[0].summary
        );
        assert_eq!(results[1].id, "watch-scope");
        assert_eq!(results[1].status, Status::Pass);
        assert_eq!(done.0.load(std::sync::atomic::Ordering::Relaxed), 2);
    }

    static TWO: Check = Check {
        id: "two",
        purpose: "finds a failure and a warning",
        explain: "",
        problems: &[],
        run: |_| {
            Outcome::ran(
                "two found",
                vec![
                    Finding::fail("a").with_evidence(serde_json::json!({"problem": "a"})),
                    Finding::warn("b").with_evidence(serde_json::json!({"problem": "b"})),
                ],
            )
        },
    };

    /// What `--only`/`--skip CHECK:PROBLEM` leave out is gone before the status is decided.
    #[test]
    fn findings_left_out_by_problem_id_do_not_count() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/stdlib-healthy");
        let project = Project::detect(std::path::Path::new(root), None).unwrap();
        let mut options = Options::default();
        options.problems.skip = vec![("two", "a")];
        let ctx = Context::new(project.clone(), System::live(), options.clone());
        let r = &run_checks(&ctx, &[&TWO], &())[0];
        assert_eq!((r.status, r.findings.len()), (Status::Warn, 1));
        options.problems = crate::ProblemFilter {
            only: vec![("two", "a")],
            skip: vec![],
        };
        let ctx = Context::new(project, System::live(), options);
        let r = &run_checks(&ctx, &[&TWO], &())[0];
        assert_eq!((r.status, r.findings.len()), (Status::Fail, 1));
        assert_eq!(r.findings[0].message, "a");
    }
}
