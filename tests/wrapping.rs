//! Every command a person reads, in a real terminal (a pty) 60 and 100 columns wide: no line
//! runs past the edge (where the terminal would cut it anywhere), no number is left at a
//! line's end without its unit, and no path, flag or word is cut (each word on screen is a
//! word of the same output piped, which is not wrapped).

mod common;

use common::pty::{in_terminal, in_terminal_with, screen, visible, Session};
use common::{bin, copy_fixture, free_port, stdout};
use std::collections::HashSet;
use std::process::Command;
use std::time::Duration;

const WIDTHS: [u16; 2] = [60, 100];

fn width(line: &str) -> usize {
    line.chars().count()
}

/// What is wrong with `out` shown `cols` wide: a line past the edge, a number cut from its
/// unit, `key = value` cut at its `=`, a `code span` cut although it would fit a line.
fn faults(out: &str, cols: u16) -> Vec<String> {
    let unit = regex::Regex::new(r"^\s*(ns|µs|ms|s|min|h|B|kB|KB|MB|GB|%)(\W|$)").unwrap();
    let lines: Vec<&str> = out.lines().collect();
    let mut faults = vec![];
    let mut open = false;
    // A unified diff (--dry-run) shows the file's own lines verbatim, as long as they are:
    // wrapping them would make a diff that no longer applies.
    let mut diff_indent: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let next_line = lines.get(i + 1).copied().unwrap_or_default();
        let indent = line.len() - line.trim_start().len();
        if line.trim_start().starts_with("--- ") && next_line.trim_start().starts_with("+++ ") {
            diff_indent = Some(indent);
        } else if let Some(d) = diff_indent {
            // Still the diff: its indent, then a context, removed, added or hunk line.
            let body = line.get(d..).unwrap_or("");
            if line.len() > d
                && !(line.get(..d).is_some_and(|p| p.trim().is_empty())
                    && body.starts_with([' ', '-', '+', '@']))
            {
                diff_indent = None;
            }
        }
        if width(line) > cols as usize && diff_indent.is_none() {
            faults.push(format!("past the edge ({}): {line:?}", width(line)));
        }
        let next = lines.get(i + 1).copied().unwrap_or_default();
        if line.ends_with(|c: char| c.is_ascii_digit()) && unit.is_match(next) {
            faults.push(format!("a number cut from its unit: {line:?} / {next:?}"));
        }
        if line.ends_with(" =") || next.trim_start().starts_with("= ") {
            faults.push(format!("an assignment cut: {line:?} / {next:?}"));
        }
        // A code span open at the line's end: cut, unless it is wider than a line.
        open ^= line.matches('`').count() % 2 == 1;
        if let Some(at) = line.rfind('`').filter(|_| open) {
            let from = &line[at..];
            let rest = next.trim_start();
            let to = rest.find('`').map_or(rest, |i| &rest[..=i]);
            if width(next) - width(rest) + width(from) + 1 + width(to) <= cols as usize {
                faults.push(format!("a command cut: {line:?} / {next:?}"));
            }
        }
        open &= !next.is_empty();
    }
    faults
}

/// The words of `wrapped` that are no word of `whole`: pieces of a cut path, flag or word.
/// Numbers are left out (timings differ from one run to the next).
fn cut_words(wrapped: &str, whole: &str) -> Vec<String> {
    let known: HashSet<&str> = whole.split_whitespace().collect();
    let number = regex::Regex::new(r"^[(~]?[0-9.,]+\)?[,;]?$").unwrap();
    wrapped
        .split_whitespace()
        .filter(|w| !known.contains(w) && !number.is_match(w))
        .map(str::to_string)
        .collect()
}

/// The same command piped, without colour: the reference every word comes from.
fn piped(args: &[&str]) -> String {
    let o = Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    stdout(&o)
}

/// `out` (the command `args` shown `cols` wide) fits and cuts nothing.
fn assert_fits(out: &str, cols: u16, args: &[&str]) {
    let faults = faults(out, cols);
    assert!(
        faults.is_empty(),
        "{cols} columns, {args:?}: {faults:#?}\n{out}"
    );
    let cut = cut_words(out, &piped(args));
    assert!(
        cut.is_empty(),
        "{cols} columns, {args:?}: cut {cut:?}\n{out}"
    );
}

#[test]
fn the_report_and_its_verbose_form_fit_and_cut_no_word() {
    let project = copy_fixture("air-unknown-keys");
    let dir = project.path().display().to_string();
    for verbose in [false, true] {
        let mut args = vec![
            "--no-compile",
            "--only",
            "toolchain,reloader-config,signals,watch-scope",
            "--project",
            &dir,
        ];
        if verbose {
            args.push("-v");
        }
        for cols in WIDTHS {
            let out = visible(&in_terminal(cols, &args));
            assert!(out.contains("reloader-config"), "{out}");
            assert_fits(&out, cols, &args);
        }
    }
}

#[test]
fn the_fix_plan_keeps_the_backup_path_whole() {
    let project = copy_fixture("air-unknown-keys");
    let dir = project.path().display().to_string();
    let backup = format!("{dir}/.air.toml.reload-doctor.bak");
    let args = [
        "--fix",
        "--dry-run",
        "--no-compile",
        "--only",
        "reloader-config,signals",
        "--project",
        &dir,
    ];
    for cols in WIDTHS {
        let out = visible(&in_terminal(cols, &args));
        assert!(
            out.contains(&backup),
            "{cols} columns: one line names {backup}:\n{out}"
        );
        assert_fits(&out, cols, &args);
        // Applied: what was done and the table of checks before and after fit too.
        let fixed = copy_fixture("air-unknown-keys");
        let dir = fixed.path().display().to_string();
        let args = ["--fix", "--no-compile", "--project", &dir];
        let out = visible(&in_terminal(cols, &args));
        assert!(out.contains("applied"), "{out}");
        let faults = faults(&out, cols);
        assert!(faults.is_empty(), "{cols} columns: {faults:#?}\n{out}");
    }
}

/// Lines of one paragraph where the next line's first word would have fitted: the source's
/// line breaks kept instead of the text refilled.
fn ragged(out: &str, cols: u16) -> Vec<String> {
    let lines: Vec<&str> = out.lines().collect();
    lines
        .windows(2)
        .filter(|p| {
            let prose = |l: &str| !l.is_empty() && !l.starts_with(' ');
            let next = p[1].split_whitespace().next().unwrap_or_default();
            prose(p[0]) && prose(p[1]) && width(p[0]) + 1 + width(next) <= cols as usize
        })
        .map(|p| format!("{:?} / {:?}", p[0], p[1]))
        .collect()
}

#[test]
fn explain_refills_its_prose_and_keeps_the_problem_ids_readable() {
    let args = ["explain", "reloader-config"];
    let row = regex::Regex::new(r"^  (fail|warn|info)  [a-z-]+( |$)").unwrap();
    for cols in WIDTHS {
        let out = visible(&in_terminal(cols, &args));
        assert_fits(&out, cols, &args);
        let ragged = ragged(&out, cols);
        assert!(ragged.is_empty(), "{cols} columns: {ragged:#?}\n{out}");
        // Under the problem ids, every line is a row (severity and id) or a meaning indented
        // past the severity: none runs back to the table's edge.
        let table = &out[out.find("Problem ids").unwrap_or_else(|| panic!("{out}"))..];
        for line in table.lines().skip_while(|l| !l.starts_with("  ")) {
            assert!(
                row.is_match(line) || line.starts_with("      "),
                "{cols} columns: {line:?}\n{table}"
            );
        }
        let rows = table.lines().filter(|l| row.is_match(l)).count();
        assert!(rows > 20, "{table}");
        let list = visible(&in_terminal(cols, &["checks"]));
        assert_fits(&list, cols, &["checks"]);
    }
    // At 60 columns the ids leave too little room beside them: each meaning goes under its id.
    let out = visible(&in_terminal(60, &args));
    assert!(
        out.lines()
            .any(|l| l == "  warn  include-file-never-matches"),
        "{out}"
    );
}

#[test]
fn runs_lines_fit_and_keep_numbers_with_their_units() {
    for cols in WIDTHS {
        let project = copy_fixture("stdlib-healthy");
        let (port, proxy) = (free_port().to_string(), free_port().to_string());
        let dir = project.path().display().to_string();
        let args = ["run", "--project", &dir, "--port", &port, "--proxy", &proxy];
        let mut session = Session::start(cols, &args, &[("PORT", &port)]);
        session.until("serving on", Duration::from_secs(90));
        let out = session.interrupt();
        assert!(out.contains("requests wait up to"), "{out}");
        let faults = faults(&out, cols);
        assert!(faults.is_empty(), "{cols} columns: {faults:#?}\n{out}");
    }
}

#[test]
fn verify_fits_60_and_100_columns() {
    for cols in WIDTHS {
        let project = copy_fixture("stdlib-healthy");
        let port = free_port().to_string();
        let dir = project.path().display().to_string();
        let args = [
            "verify",
            "--with",
            "ours",
            "--project",
            &dir,
            "--port",
            &port,
        ];
        let out = visible(&in_terminal_with(cols, &args, &[("PORT", &port)]));
        assert!(out.contains("hot reload works"), "{out}");
        let faults = faults(&out, cols);
        assert!(faults.is_empty(), "{cols} columns: {faults:#?}\n{out}");
    }
}

#[test]
fn errors_fit_the_terminal_too() {
    let args = ["explain", "no-such-check-of-any-kind"];
    for cols in WIDTHS {
        let out = screen(cols, &args);
        assert!(out.contains("unknown check id"), "{out}");
        let faults = faults(&out, cols);
        assert!(faults.is_empty(), "{cols} columns: {faults:#?}\n{out}");
    }
}
