//! The report as a person reads it: one aligned row per check, detail and fix under the
//! rows that need attention, one closing line.

use crate::report::Report;
use crate::style::Style;
use checks::engine::CheckResult;
use checks::{Applicability, Severity, Status};
use std::fmt::Write;

/// The report; `fixing` when `--fix` runs next, so the closing line does not suggest it.
pub fn report(r: &Report, style: Style, verbose: bool, fixing: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", header(r, style));
    let width = r.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let indent = " ".repeat(4 + width + 2);
    for c in &r.checks {
        let _ = writeln!(
            out,
            "  {} {:<width$}  {}",
            style.mark(c.status),
            c.id,
            row_summary(c)
        );
        for line in detail(c, verbose) {
            let _ = writeln!(out, "{indent}{}", line_style(&line, style));
        }
    }
    let _ = writeln!(out, "\n{}", closing(r, style, fixing));
    out
}

fn header(r: &Report, style: Style) -> String {
    let p = &r.project;
    let config = match &p.config {
        Some(c) => format!("{}, {}", p.reloader, file_name(c)),
        None if p.reloader == "none" => "no reloader config: air defaults".to_string(),
        None => format!("{}, no config file", p.reloader),
    };
    let port_from = match (&p.port_origin, p.port_source) {
        (Some(origin), checks::PortSource::SourceDefault) => {
            format!(" (default at {})", file_name(origin))
        }
        (Some(origin), _) => format!(" (from {})", file_name(origin)),
        (None, checks::PortSource::Flag) => " (--port)".into(),
        (None, checks::PortSource::Gin) => " (gin's default --appPort)".into(),
        (None, _) => " (default)".into(),
    };
    format!(
        "{} · project {} ({config}) · port {}{port_from}",
        style.bold(&format!("reload-doctor {}", r.tool.version)),
        home_relative(&p.root),
        p.port
    )
}

fn file_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// `/home/ann/src/shop` -> `~/src/shop`.
fn home_relative(p: &str) -> String {
    match std::env::var("HOME") {
        Ok(home) if !home.is_empty() && home != "/" && p.starts_with(&home) => {
            format!("~{}", &p[home.len()..])
        }
        _ => p.to_string(),
    }
}

fn row_summary(c: &CheckResult) -> String {
    match c.status {
        Status::Skip => format!("skipped: {}", c.summary),
        Status::Error => format!("error: {}", c.summary),
        _ => c.summary.clone(),
    }
}

/// The lines shown under a row: findings that need attention and their fixes.
fn detail(c: &CheckResult, verbose: bool) -> Vec<String> {
    let mut lines = vec![];
    for f in &c.findings {
        let shown = verbose || f.severity > Severity::Info || c.status == Status::Info;
        if !shown {
            continue;
        }
        lines.push(f.message.clone());
        if let Some(fix) = &f.fix {
            let tag = match fix.applicability {
                Applicability::Safe => "",
                Applicability::Unsafe => " (unsafe: needs --fix --unsafe)",
                Applicability::Manual => " (by hand)",
            };
            lines.push(format!("fix: {}{tag}", fix.summary));
        }
        if verbose && !f.evidence.is_null() {
            lines.push(format!("evidence: {}", f.evidence));
        }
    }
    lines
}

fn line_style(line: &str, style: Style) -> String {
    if line.starts_with("fix: ") {
        style.fix(line)
    } else if line.starts_with("evidence: ") {
        style.dim(line)
    } else {
        line.to_string()
    }
}

fn closing(r: &Report, style: Style, fixing: bool) -> String {
    let s = &r.summary;
    let mut parts = vec![];
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if s.fail > 0 {
        parts.push(count(s.fail, "problem", "problems"));
    }
    if s.warn > 0 {
        parts.push(count(s.warn, "warning", "warnings"));
    }
    if s.error > 0 {
        parts.push(count(
            s.error,
            "check could not run",
            "checks could not run",
        ));
    }
    if s.skip > 0 {
        parts.push(format!("{} skipped", s.skip));
    }
    let mut line = if parts.is_empty() {
        "all checks passed".to_string()
    } else {
        parts.join(", ")
    };
    if s.fixable > 0 && !fixing {
        line.push_str(&format!(
            " · run `reload-doctor --fix` to apply {}",
            count(s.fixable, "fix", "fixes")
        ));
    }
    style.bold(&line)
}
