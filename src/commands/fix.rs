//! `reload-doctor --fix`: report, print the plan (with `--dry-run`, the diff of each file it
//! would rewrite), apply it, check again, say how many problems were fixed and which remain.
//!
//! JSON (`--fix --json`) is the ordinary report (of the state after the fixes) plus two keys,
//! additive to schema_version 1: `before` (the summary counts before the fixes) and `fixes`
//! (one entry per fix offered: check, summary, applicability, needs_root, action, result,
//! detail).

use crate::cli::Cli;
use crate::fix::plan::{plan, Record, Tally};
use crate::fix::{Done, Executor, Verdict};
use crate::render;
use crate::report::{Report, Summary};
use crate::style::Style;
use checks::engine::CheckResult;
use checks::text::visible;
use checks::{Action, Severity};
use reload_doctor_checks as checks;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

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
    let dry_run = cli.fix.dry_run;
    let before = checkup()?;
    let mut records = plan(&ex, &before.checks, cli.fix.allow_unsafe);
    let width = crate::wrap::width();
    if human {
        print!(
            "{}",
            render::report(&before, style, cli.global.verbose, true, width)
        );
        print!(
            "{}",
            plan_text(
                &records,
                before.tally(),
                cli.fix.allow_unsafe,
                dry_run,
                style,
                width
            )
        );
    }
    let runnable = records.iter().filter(|r| runs(r)).count();
    if runnable == 0 || dry_run {
        if human {
            let line = match (runnable, before.tally().phrase()) {
                (0, Some(unsafe_only)) => {
                    format!("nothing to fix without --unsafe: {unsafe_only}")
                }
                (0, None) => "nothing to fix".to_string(),
                _ => "dry run: nothing was changed".to_string(),
            };
            println!("\n{}", style.bold(&line));
        } else {
            print_json(&before, &before.summary, &records)?;
        }
        return Ok(before.exit_code(cli.report.strict) as u8);
    }

    if human {
        println!("\nApplying:");
    }
    let id_width = records.iter().map(|r| r.check.len()).max().unwrap_or(0);
    for r in records.iter_mut().filter(|r| runs(r)) {
        let Done { result, detail } = ex.apply(&r.action);
        (r.result, r.detail) = (result, detail);
        if human {
            let first = format!("  {} {:<id_width$}  ", verdict_mark(r.result), r.check);
            let text = format!("{}: {}", r.result.as_str(), visible(&r.detail));
            let indent = " ".repeat(4 + id_width + 2);
            for line in crate::wrap::hang(&text, &first, &indent, width) {
                println!("{line}");
            }
            let _ = std::io::stdout().flush();
        }
    }
    // A fix that shares an action has that action's verdict.
    for i in 0..records.len() {
        if let Some(lead) = records[i].shares {
            records[i].result = records[lead].result;
        }
    }

    let after = checkup()?;
    if human {
        println!();
        for line in crate::wrap::hang(&outcome(&ex, &records, &after), "", "  ", width) {
            println!("{}", style.bold(&line));
        }
    } else {
        print_json(&after, &before.summary, &records)?;
    }
    Ok(after.exit_code(cli.report.strict) as u8)
}

/// Whether the executor carries out this record's action (once for the fixes sharing it).
fn runs(r: &Record) -> bool {
    r.result == Verdict::Planned && r.shares.is_none()
}

/// The plan as a person reads it: what `--fix` will do, each action under the problems it
/// fixes (with `dry_run`, a file's rewrite as a unified diff), then what it leaves and why.
fn plan_text(
    records: &[Record],
    tally: Tally,
    allow_unsafe: bool,
    dry_run: bool,
    style: Style,
    width: Option<usize>,
) -> String {
    let mut out = String::new();
    if records.is_empty() {
        return out;
    }
    let id_width = records.iter().map(|r| r.check.len()).max().unwrap_or(0);
    let indent = " ".repeat(2 + id_width + 2);
    let line = |out: &mut String, first: String, text: &str, styled: bool| {
        for l in crate::wrap::hang(&visible(text), &first, &indent, width) {
            out.push_str(&if styled { style.fix(&l) } else { l });
            out.push('\n');
        }
    };
    // With --unsafe the "more" are in the plan too.
    let tally = match allow_unsafe {
        true => Tally {
            fixable: 0,
            more_unsafe: tally.fixable + tally.more_unsafe,
        },
        false => tally,
    };
    if let Some(phrase) = tally.phrase() {
        out.push_str(&format!("\nPlan: {phrase}\n"));
    }
    for (i, lead) in records.iter().enumerate().filter(|(_, r)| runs(r)) {
        let group = records
            .iter()
            .enumerate()
            .filter(|(j, r)| *j == i || r.shares == Some(i))
            .map(|(_, r)| r);
        for r in group {
            line(
                &mut out,
                format!("  {:<id_width$}  ", r.check),
                &r.summary,
                false,
            );
        }
        line(&mut out, indent.clone(), &lead.detail, true);
        if dry_run {
            if let Action::WriteFile {
                path,
                contents,
                expected_old,
                ..
            } = &lead.action
            {
                out.push_str(&diff(
                    &path.to_string_lossy(),
                    expected_old,
                    contents,
                    style,
                ));
            }
        }
    }
    let held: Vec<&Record> = records
        .iter()
        .filter(|r| r.result != Verdict::Planned)
        .collect();
    if !held.is_empty() {
        out.push_str("\nLeft to you:\n");
        for r in held {
            line(
                &mut out,
                format!("  {:<id_width$}  ", r.check),
                &r.detail,
                false,
            );
        }
    }
    out
}

/// The rewrite of the file at `path` as a unified diff, indented under the plan's lines.
fn diff(path: &str, old: &str, new: &str, style: Style) -> String {
    // A deadline: a huge config (up to the 10 MB cap) gives a coarser diff, not a stall.
    let text = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(1))
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(path, &format!("{path} (fixed)"))
        .to_string();
    let mut out = String::new();
    for l in text.lines() {
        let l = visible(l);
        let styled = match l.chars().next() {
            Some('@') => style.dim(&l),
            Some('+') if !l.starts_with("+++") => style.fix(&l),
            _ => l.into_owned(),
        };
        out.push_str(&format!("      {styled}\n"));
    }
    out
}

fn verdict_mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Applied => "✔",
        Verdict::Failed => "✘",
        Verdict::Skipped | Verdict::Planned => "-",
    }
}

/// `3 fixed, 1 remaining (by hand: toolchain)`: the problems the fixes fixed, and the
/// problems (warnings and failures) the check after them still finds: how many another
/// `--fix` could fix, and the checks whose problems are left to a person.
fn outcome(ex: &Executor, records: &[Record], after: &Report) -> String {
    let count = |v: Verdict| records.iter().filter(|r| r.result == v).count();
    let mut line = format!("{} fixed", count(Verdict::Applied));
    if count(Verdict::Failed) > 0 {
        line.push_str(&format!(", {} failed", count(Verdict::Failed)));
    }
    let problems = |c: &CheckResult| {
        c.findings
            .iter()
            .filter(|f| f.severity > Severity::Info)
            .count()
    };
    let left: usize = after.checks.iter().map(problems).sum();
    if left == 0 {
        line.push_str(", no problems left");
        return line;
    }
    let fixable = plan(ex, &after.checks, true);
    let by_hand: Vec<&str> = after
        .checks
        .iter()
        .filter(|c| {
            let planned = fixable
                .iter()
                .filter(|r| r.check == c.id && r.verdict(&fixable) == Verdict::Planned)
                .count();
            problems(c) > planned
        })
        .map(|c| c.id)
        .collect();
    let mut why = vec![];
    why.extend(after.tally().phrase());
    if !by_hand.is_empty() {
        why.push(format!("by hand: {}", by_hand.join(", ")));
    }
    line.push_str(&format!(", {left} remaining ({})", why.join("; ")));
    line
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
