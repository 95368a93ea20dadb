//! What `--fix` does with the fixes a report offers, decided in one place: the plan `--fix`
//! and `--dry-run` print, and the counts the report's closing line, `--fix`'s lines and the
//! JSON summary show ([`Tally`]), all come from [`plan`], so they cannot disagree.

use super::{describe, Done, Executor, Verdict};
use checks::engine::CheckResult;
use checks::{Action, Applicability, Fix, Severity};
use reload_doctor_checks as checks;
use serde::Serialize;

/// One fix the report offered and what became of it.
#[derive(Debug, Serialize)]
pub struct Record {
    pub check: &'static str,
    pub summary: String,
    pub applicability: Applicability,
    pub needs_root: bool,
    pub action: Action,
    pub result: Verdict,
    pub detail: String,
    /// The earlier record whose action this fix shares (one rewrite of `.air.toml` fixes
    /// several findings; port-busy and stale-processes may name one process): it runs once,
    /// there, and its verdict is this fix's too.
    #[serde(skip)]
    pub shares: Option<usize>,
}

impl Record {
    /// This fix's verdict: its own, or that of the record whose action it shares.
    pub fn verdict(&self, records: &[Record]) -> Verdict {
        self.shares.map_or(self.result, |i| records[i].result)
    }
}

/// Every fix offered for a problem (notes' fixes are not offered), marked `planned` when it
/// will run here, else `skipped` with the reason. Fixes that carry one action share the
/// verdict of the first of them that may run: the action runs once, for all of them.
pub fn plan(ex: &Executor, checks: &[CheckResult], allow_unsafe: bool) -> Vec<Record> {
    let offered: Vec<(&'static str, &Fix)> = checks
        .iter()
        .flat_map(|c| {
            c.findings
                .iter()
                .filter(|f| f.severity > Severity::Info)
                .filter_map(move |f| Some((c.id, f.fix.as_ref()?)))
        })
        .collect();
    let held: Vec<Option<Done>> = offered
        .iter()
        .map(|(_, fix)| ex.hold_back(fix, allow_unsafe))
        .collect();
    let lead = |i: usize| {
        (0..offered.len())
            .find(|&j| held[j].is_none() && offered[j].1.action == offered[i].1.action)
    };
    offered
        .iter()
        .enumerate()
        .map(|(i, (check, fix))| {
            let shares = lead(i).filter(|&j| j != i);
            let done = match (shares, &held[i]) {
                (Some(j), _) => Done {
                    result: Verdict::Planned,
                    detail: format!("with the {} fix", offered[j].0),
                },
                (None, Some(held)) => held.clone(),
                (None, None) => Done {
                    result: Verdict::Planned,
                    detail: format!("will {}", describe(&fix.action)),
                },
            };
            Record {
                check,
                summary: fix.summary.clone(),
                applicability: fix.applicability,
                needs_root: fix.needs_root,
                action: fix.action.clone(),
                result: done.result,
                detail: done.detail,
                shares,
            }
        })
        .collect()
}

/// How many problems `--fix` fixes as it is, and how many more `--fix --unsafe` does.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub fixable: usize,
    pub more_unsafe: usize,
}

impl Tally {
    /// The counts for `checks` on this system.
    pub fn of(ex: &Executor, checks: &[CheckResult]) -> Tally {
        let fixed = |allow_unsafe: bool| {
            let records = plan(ex, checks, allow_unsafe);
            records
                .iter()
                .filter(|r| r.verdict(&records) == Verdict::Planned)
                .count()
        };
        let fixable = fixed(false);
        Tally {
            fixable,
            more_unsafe: fixed(true).saturating_sub(fixable),
        }
    }

    /// `2 fixable with `--fix` (1 more with `--fix --unsafe`)`, as ruff says it; None when
    /// nothing is.
    pub fn phrase(self) -> Option<String> {
        match (self.fixable, self.more_unsafe) {
            (0, 0) => None,
            (0, m) => Some(format!("{m} fixable with `--fix --unsafe`")),
            (n, 0) => Some(format!("{n} fixable with `--fix`")),
            (n, m) => Some(format!(
                "{n} fixable with `--fix` ({m} more with `--fix --unsafe`)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checks::{Finding, Fix, Status};
    use std::path::Path;

    fn offering(id: &'static str, fixes: Vec<Fix>) -> CheckResult {
        CheckResult {
            id,
            title: "",
            status: Status::Fail,
            summary: String::new(),
            duration_ms: 0.0,
            findings: fixes
                .into_iter()
                .map(|fix| Finding::fail("f").with_fix(fix))
                .collect(),
            evidence: serde_json::Value::Null,
        }
    }

    fn stop(pid: i32, applicability: Applicability) -> Fix {
        Fix {
            summary: format!("kill {pid}"),
            applicability,
            needs_root: false,
            action: Action::StopProcess {
                pid,
                start_time: 7,
                exe: None,
                signal: "SIGTERM".into(),
                escalate: true,
            },
        }
    }

    #[test]
    fn the_same_action_from_two_checks_runs_once() {
        let checks = [
            offering("port-busy", vec![stop(4121, Applicability::Safe)]),
            offering("stale-processes", vec![stop(4121, Applicability::Safe)]),
        ];
        let records = plan(&Executor::new(Path::new("/")), &checks, false);
        assert_eq!(records[0].result, Verdict::Planned);
        assert!(
            records[0].detail.starts_with("will stop pid 4121"),
            "{}",
            records[0].detail
        );
        assert_eq!(records[1].shares, Some(0));
        assert_eq!(records[1].detail, "with the port-busy fix");
    }

    /// The counts are what the plan does: a fix held back for `--unsafe` counts as "more",
    /// unless a safe fix runs its action anyway; a fix by hand does not count.
    #[test]
    fn the_tally_is_the_plan() {
        let ex = Executor::new(Path::new("/"));
        let checks = [
            offering(
                "port-busy",
                vec![
                    stop(1, Applicability::Unsafe),
                    stop(2, Applicability::Unsafe),
                ],
            ),
            offering(
                "stale-processes",
                vec![
                    stop(2, Applicability::Safe),
                    stop(3, Applicability::Safe),
                    Fix::manual(vec!["go install x".into()]),
                ],
            ),
        ];
        let tally = Tally::of(&ex, &checks);
        assert_eq!(
            tally,
            Tally {
                fixable: 3,
                more_unsafe: 1
            }
        );
        assert_eq!(
            tally.phrase().unwrap(),
            "3 fixable with `--fix` (1 more with `--fix --unsafe`)"
        );
        let unsafe_only = Tally::of(&ex, &checks[..1]);
        assert_eq!(
            unsafe_only.phrase().unwrap(),
            "2 fixable with `--fix --unsafe`"
        );
        assert_eq!(Tally::default().phrase(), None);
    }
}
