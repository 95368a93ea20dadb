//! The report as a person reads it: one aligned row per check, detail and fix under the
//! rows that need attention, one closing line. Every text a check wrote (it quotes file
//! names, config values, command lines from /proc) is shown through [`visible`] before it
//! is styled: a repository's control characters are shown, never acted on.

use crate::report::{ProjectInfo, Report};
use crate::style::Style;
use crate::wrap;
use checks::engine::CheckResult;
use checks::text::visible;
use checks::{Applicability, Finding, Severity, Status};
use reload_doctor_checks as checks;
use std::fmt::Write;

/// The report; `fixing` when `--fix` runs next, so the closing line does not suggest it.
/// Wrapped to `width` (the terminal's) with each row's text hanging under its summary.
pub fn report(
    r: &Report,
    style: Style,
    verbose: bool,
    fixing: bool,
    width: Option<usize>,
) -> String {
    let mut out = top(&r.project, style, width);
    let rows = Rows {
        style,
        verbose,
        id_width: id_width(r.checks.iter().map(|c| c.id)),
        width,
    };
    for c in &r.checks {
        out.push_str(&rows.row(c));
    }
    out.push_str(&bottom(r, style, verbose, fixing, width));
    out
}

/// The header line and the blank line under it: all a report shows before its checks end.
pub fn top(p: &ProjectInfo, style: Style, width: Option<usize>) -> String {
    let mut out = String::new();
    for line in wrap::hang(&header(p, style), "", "  ", width) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    out
}

/// The width of the id column, for the checks shown.
pub fn id_width<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.map(str::len).max().unwrap_or(0)
}

/// The blank line and the closing line.
pub fn bottom(
    r: &Report,
    style: Style,
    verbose: bool,
    fixing: bool,
    width: Option<usize>,
) -> String {
    let mut out = String::from("\n");
    for line in wrap::hang(&closing(r, style, verbose, fixing), "", "  ", width) {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// How check rows are laid out: one check per row, its id padded to `id_width`, each
/// finding under it with its own mark. The report and `run`'s preflight both print these.
pub struct Rows {
    pub style: Style,
    pub verbose: bool,
    pub id_width: usize,
    pub width: Option<usize>,
}

impl Rows {
    /// One check's row and the lines under it, each ending in a newline.
    pub fn row(&self, c: &CheckResult) -> String {
        let (style, width, id_width) = (self.style, self.width, self.id_width);
        let mut out = String::new();
        let indent = " ".repeat(4 + id_width + 2);
        let first = format!("  {} {:<id_width$}  ", style.mark(c.status), c.id);
        let mut headline = visible(&headline(c, self.verbose)).into_owned();
        if self.verbose {
            headline.push_str(&style.dim(&format!(" ({})", checks::text::duration(c.duration_ms))));
        }
        for line in wrap::hang(&headline, &first, &indent, width) {
            let _ = writeln!(out, "{line}");
        }
        for item in detail(c, self.verbose) {
            let (first, rest) = match item.mark {
                Some(status) => (
                    format!("{indent}{} ", style.mark(status)),
                    format!("{indent}  "),
                ),
                None => (format!("{indent}  "), format!("{indent}    ")),
            };
            let text = visible(&item.text);
            // Styled after wrapping, so each line carries its own colour codes.
            for line in wrap::hang(&text, &first, &rest, width) {
                let _ = writeln!(out, "{}", line_style(&text, &line, style));
            }
        }
        out
    }
}

fn header(p: &ProjectInfo, style: Style) -> String {
    let config = match &p.config {
        Some(c) => format!("{}, {}", p.reloader, visible(file_name(c))),
        None if p.reloader == "none" => "no reloader config: air defaults".to_string(),
        None => format!("{}, no config file", p.reloader),
    };
    let port_from = match (&p.port_origin, p.port_source) {
        (Some(origin), checks::PortSource::SourceDefault | checks::PortSource::Default) => {
            format!(" (default at {})", visible(place(origin)))
        }
        (Some(origin), _) => format!(" (from {})", visible(place(origin))),
        (None, checks::PortSource::Flag) => " (--port)".into(),
        (None, checks::PortSource::Gin) => " (gin's default --appPort)".into(),
        (None, _) => " (default)".into(),
    };
    let port = match p.port_source {
        checks::PortSource::Unknown => format!("port unknown (checks assume :{})", p.port),
        _ => format!("port {}{port_from}", p.port),
    };
    format!(
        "{} · project {} ({config}) · {port}",
        style.bold(&format!("reload-doctor {}", env!("CARGO_PKG_VERSION"))),
        visible(&home_relative(&p.root)),
    )
}

fn file_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// Where a port came from, short: a config file by its name; a place in the project as it is
/// given, relative to it (`examples/main.go:112`: two main packages may both be `main.go`).
fn place(origin: &str) -> &str {
    match origin.starts_with('/') {
        true => file_name(origin),
        false => origin,
    }
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

/// The finding a row's headline names: the first of the row's own severity, for a row
/// that warns or fails.
fn headline_finding(c: &CheckResult) -> Option<usize> {
    let severity = match c.status {
        Status::Fail => Severity::Fail,
        Status::Warn => Severity::Warn,
        _ => return None,
    };
    c.findings.iter().position(|f| f.severity == severity)
}

/// What a row says: the problem for a row that warns or fails, else the check's summary; a
/// passing row shows its first clause (the rest, such as where the tool runs, under `-v`, as
/// bullets).
fn headline(c: &CheckResult, verbose: bool) -> String {
    if let Some(i) = headline_finding(c) {
        return problem(&c.findings[i]);
    }
    match c.status {
        Status::Skip => format!("skipped: {}", c.summary),
        Status::Error => format!("error: {}", c.summary),
        Status::Pass => clauses(&c.summary).next().unwrap_or_default().to_string(),
        Status::Info if verbose => clauses(&c.summary).next().unwrap_or_default().to_string(),
        _ => c.summary.clone(),
    }
}

/// A summary's clauses (`project needs ~15 watches; 10 of 10 left`).
fn clauses(summary: &str) -> impl Iterator<Item = &str> {
    summary.split("; ").filter(|c| !c.is_empty())
}

/// Under `-v`, what the check found out, a bullet a clause (as `flutter doctor -v`): the
/// clauses of its summary the headline does not show. Raw evidence is in `--json` only.
fn bullets(c: &CheckResult) -> Vec<String> {
    let shown = match (headline_finding(c), c.status) {
        (None, Status::Pass | Status::Info) => 1,
        (None, _) => usize::MAX,
        (Some(_), _) => 0,
    };
    clauses(&c.summary)
        .skip(shown)
        .map(|clause| format!("• {clause}"))
        .collect()
}

/// One line of text under a row: a finding (with its mark) or what to do about it.
struct Item {
    mark: Option<Status>,
    text: String,
}

/// Whether a finding is shown under its row: problems always, notes (zombies of unrelated
/// processes, air's defaults in a project without a reloader config) with `-v`: a healthy
/// project reads healthy at a glance.
fn shown(f: &Finding, verbose: bool) -> bool {
    verbose || f.severity > Severity::Info
}

/// The lines shown under a row: each finding with its own mark, its fix or a pointer to
/// `explain`; with `-v` first the check's summary as bullets, and the notes.
fn detail(c: &CheckResult, verbose: bool) -> Vec<Item> {
    let mut items = vec![];
    let named = headline_finding(c);
    if verbose {
        items.extend(bullets(c).into_iter().map(|text| Item { mark: None, text }));
    }
    for (i, f) in c.findings.iter().enumerate() {
        if !shown(f, verbose) {
            continue;
        }
        if named != Some(i) {
            items.push(Item {
                mark: Some(mark_of(f.severity)),
                text: problem(f),
            });
        }
        let todo = match &f.fix {
            Some(fix) => {
                let tag = match fix.applicability {
                    Applicability::Safe => "",
                    Applicability::Unsafe => " (unsafe: needs --fix --unsafe)",
                    // A summary may say why itself ("... (by hand: a symbolic link)").
                    Applicability::Manual if fix.summary.contains("by hand") => "",
                    Applicability::Manual => " (by hand)",
                };
                Some(format!("fix: {}{tag}", fix.summary))
            }
            None if f.severity > Severity::Info => {
                Some(format!("more: reload-doctor explain {}", c.id))
            }
            None => None,
        };
        items.extend(todo.map(|text| Item { mark: None, text }));
    }
    items
}

/// A finding's message as a row shows it: a message that ends with its own fix ("...; add
/// those folders to include_dir") loses that ending, which the `fix:` line under it says.
/// (JSON keeps the whole message: there it stands alone.)
fn problem(f: &Finding) -> String {
    let Some(fix) = &f.fix else {
        return f.message.clone();
    };
    f.message
        .strip_suffix(fix.summary.as_str())
        .and_then(|m| m.strip_suffix("; ").or_else(|| m.strip_suffix(": ")))
        .filter(|m| !m.is_empty())
        .map_or_else(|| f.message.clone(), str::to_string)
}

/// The mark of a finding of `severity` (✘ ! i).
pub fn mark_of(severity: Severity) -> Status {
    match severity {
        Severity::Info => Status::Info,
        Severity::Warn => Status::Warn,
        Severity::Fail => Status::Fail,
    }
}

/// `line`, one wrapped line of `text`, styled for what `text` is.
fn line_style(text: &str, line: &str, style: Style) -> String {
    if text.starts_with("fix: ") || text.starts_with("more: ") {
        style.fix(line)
    } else if text.starts_with("• ") {
        style.dim(line)
    } else {
        line.to_string()
    }
}

fn closing(r: &Report, style: Style, verbose: bool, fixing: bool) -> String {
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
    let notes = r
        .checks
        .iter()
        .flat_map(|c| &c.findings)
        .filter(|f| !shown(f, verbose))
        .count();
    if notes > 0 {
        line.push_str(&format!(" · {} (-v)", count(notes, "note", "notes")));
    }
    if let Some(fixable) = r.tally().phrase().filter(|_| !fixing) {
        line.push_str(&format!(" · {fixable}"));
    }
    style.bold(&line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use checks::model::Fix;

    /// A message that ends with its fix shows without it (the fix line says it); any other
    /// message shows whole.
    #[test]
    fn a_row_does_not_say_the_fix_twice() {
        let fix = || Fix::manual(vec!["add \"libs/a\" to include_dir".into()]);
        let f = Finding::new(
            Severity::Warn,
            "include_dir hides libs/a/; add \"libs/a\" to include_dir".to_string(),
        )
        .with_fix(fix());
        assert_eq!(problem(&f), "include_dir hides libs/a/");
        let other =
            Finding::new(Severity::Warn, "port 8080 is held by nginx".to_string()).with_fix(fix());
        assert_eq!(problem(&other), "port 8080 is held by nginx");
        let only_fix = Finding::new(Severity::Warn, "add \"libs/a\" to include_dir".to_string())
            .with_fix(fix());
        assert_eq!(problem(&only_fix), "add \"libs/a\" to include_dir");
    }
}
