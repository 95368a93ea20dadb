//! `reload-doctor --fix`: report, print the plan, apply it, check again, show before/after.
//!
//! JSON (`--fix --json`) is the ordinary report (of the state after the fixes) plus two keys,
//! additive to schema_version 1: `before` (the summary counts before the fixes) and `fixes`
//! (one entry per fix offered: check, summary, applicability, needs_root, action, result,
//! detail).

use crate::cli::Cli;
use crate::fix::{describe, Done, Executor, Verdict};
use crate::render;
use crate::report::{Report, Summary};
use crate::style::Style;
use checks::engine::CheckResult;
use checks::text::visible;
use checks::{Action, Applicability, Severity, Status};
use comfy_table::{presets::NOTHING, Table};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

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
}

#[derive(Serialize)]
struct FixReport<'a> {
    #[serde(flatten)]
    report: &'a Report,
    before: &'a Summary,
    fixes: &'a [Record],
}

/// `checkup` runs the selected checks on the system under `root`.
pub fn run(
    cli: &Cli,
    style: Style,
    root: &Path,
    checkup: impl Fn() -> Result<Report, String>,
) -> Result<u8, String> {
    let ex = Executor::new(root);
    let human = !cli.global.json;
    let before = checkup()?;
    let mut records = plan(&ex, &before.checks, cli.fix.allow_unsafe);
    if human {
        print!(
            "{}",
            render::report(
                &before,
                style,
                cli.global.verbose,
                true,
                crate::wrap::width()
            )
        );
        print_plan(&records, style);
    }
    let runnable = records
        .iter()
        .filter(|r| r.result == Verdict::Planned)
        .count();
    if runnable == 0 || cli.fix.dry_run {
        if human {
            println!(
                "\n{}",
                style.bold(if runnable == 0 {
                    "nothing to fix"
                } else {
                    "dry run: nothing was changed"
                })
            );
        } else {
            print_json(&before, &before.summary, &records)?;
        }
        return Ok(before.exit_code(cli.report.strict) as u8);
    }

    if human {
        println!("\nApplying:");
    }
    let width = records.iter().map(|r| r.check.len()).max().unwrap_or(0);
    for r in records.iter_mut().filter(|r| r.result == Verdict::Planned) {
        let Done { result, detail } = ex.apply(&r.action);
        (r.result, r.detail) = (result, detail);
        if human {
            let first = format!("  {} {:<width$}  ", verdict_mark(r.result), r.check);
            let text = format!("{}: {}", r.result.as_str(), visible(&r.detail));
            let indent = " ".repeat(4 + width + 2);
            for line in crate::wrap::hang(&text, &first, &indent, crate::wrap::width()) {
                println!("{line}");
            }
            let _ = std::io::stdout().flush();
        }
    }

    let after = checkup()?;
    if human {
        println!("\n{}", before_after(&before, &after, style));
        println!(
            "{}",
            style.bold(&format!("after the fixes: {}", counts(&after.summary)))
        );
    } else {
        print_json(&after, &before.summary, &records)?;
    }
    Ok(after.exit_code(cli.report.strict) as u8)
}

/// Every fix the report offers, marked `planned` when it will run here, else `skipped` with
/// the reason.
fn plan(ex: &Executor, checks: &[CheckResult], allow_unsafe: bool) -> Vec<Record> {
    let mut records = vec![];
    for c in checks {
        // Notes (an unrelated zombie's parent) are not problems: their fixes are not offered.
        let problems = c.findings.iter().filter(|f| f.severity > Severity::Info);
        for fix in problems.filter_map(|f| f.fix.as_ref()) {
            // Two checks may see the same culprit (port-busy and stale-processes): run it once.
            let twin = records
                .iter()
                .find(|r: &&Record| r.result == Verdict::Planned && r.action == fix.action);
            let done = match (twin, ex.hold_back(fix, allow_unsafe)) {
                (_, Some(held)) => held,
                (Some(twin), None) => Done::skipped(format!("the same as the {} fix", twin.check)),
                (None, None) => Done {
                    result: Verdict::Planned,
                    detail: format!("will {}", describe(&fix.action)),
                },
            };
            records.push(Record {
                check: c.id,
                summary: fix.summary.clone(),
                applicability: fix.applicability,
                needs_root: fix.needs_root,
                action: fix.action.clone(),
                result: done.result,
                detail: done.detail,
            });
        }
    }
    records
}

fn print_plan(records: &[Record], style: Style) {
    if records.is_empty() {
        return;
    }
    let width = records.iter().map(|r| r.check.len()).max().unwrap_or(0);
    let indent = " ".repeat(2 + width + 2);
    println!("\nPlan:");
    for r in records {
        let first = format!("  {:<width$}  ", r.check);
        for line in crate::wrap::hang(&visible(&r.detail), &first, &indent, crate::wrap::width()) {
            if r.result == Verdict::Planned {
                println!("{}", style.fix(&line));
            } else {
                println!("{line}");
            }
        }
    }
}

fn verdict_mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Applied => "✔",
        Verdict::Failed => "✘",
        Verdict::Skipped | Verdict::Planned => "-",
    }
}

/// A table of every check's status and summary before and after the fixes (wrapped to the
/// terminal's width when there is one).
fn before_after(before: &Report, after: &Report, style: Style) -> Table {
    let width = crate::wrap::width();
    let cell = |status: Status, summary: &str| {
        let summary = crate::wrap::cell(&visible(summary), width);
        format!("{} {summary}", style.mark(status))
    };
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .set_header(vec!["CHECK", "BEFORE", "AFTER"]);
    crate::wrap::table(&mut table, width);
    for b in &before.checks {
        let after = match after.checks.iter().find(|a| a.id == b.id) {
            Some(a) if a.status == b.status && a.summary == b.summary => "unchanged".into(),
            Some(a) => cell(a.status, &a.summary),
            None => "-".into(),
        };
        table.add_row(vec![b.id.to_string(), cell(b.status, &b.summary), after]);
    }
    table
}

fn counts(s: &Summary) -> String {
    let mut parts = vec![];
    for (n, one, many) in [
        (s.fail, "problem", "problems"),
        (s.warn, "warning", "warnings"),
        (s.error, "check could not run", "checks could not run"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    if parts.is_empty() {
        "no problems left".into()
    } else {
        parts.join(", ")
    }
}

fn print_json(report: &Report, before: &Summary, fixes: &[Record]) -> Result<(), String> {
    let out = FixReport {
        report,
        before,
        fixes,
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use checks::{Finding, Fix};

    fn offering(id: &'static str, fix: Fix) -> CheckResult {
        CheckResult {
            id,
            title: "",
            status: Status::Fail,
            summary: String::new(),
            duration_ms: 0.0,
            findings: vec![Finding::fail("f").with_fix(fix)],
            evidence: serde_json::Value::Null,
        }
    }

    #[test]
    fn the_same_action_from_two_checks_runs_once() {
        let stop = Fix {
            summary: "kill 4121".into(),
            applicability: Applicability::Safe,
            needs_root: false,
            action: Action::StopProcess {
                pid: 4121,
                start_time: 7,
                exe: None,
                signal: "SIGTERM".into(),
                escalate: true,
            },
        };
        let checks = [
            offering("port-busy", stop.clone()),
            offering("stale-processes", stop),
        ];
        let records = plan(&Executor::new(Path::new("/")), &checks, false);
        assert_eq!(records[0].result, Verdict::Planned);
        assert!(
            records[0].detail.starts_with("will stop pid 4121"),
            "{}",
            records[0].detail
        );
        assert_eq!(records[1].result, Verdict::Skipped);
        assert_eq!(records[1].detail, "the same as the port-busy fix");
    }
}
