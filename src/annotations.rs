//! The report for machines other than our JSON readers: GitHub workflow commands
//! (`::error file=..,line=..::..`, so a finding lands on the pull request's line) and SARIF
//! 2.1.0 for code-scanning tools. Only problems (warn and fail) and checks that could not
//! run are emitted; notes are for people.

use crate::report::Report;
use checks::engine::CheckResult;
use checks::{Severity, Status, REGISTRY};
use serde_json::{json, Value};
use std::path::Path;

/// One problem, where it is when its message starts with `file:line: `.
struct Problem<'a> {
    check: &'a CheckResult,
    level: &'static str,
    message: String,
    file: Option<String>,
    line: Option<u64>,
}

fn problems<'a>(r: &'a Report) -> Vec<Problem<'a>> {
    let located = regex::Regex::new(r"^([^\s:]+):(\d+): ").expect("a valid pattern");
    let mut out = vec![];
    for c in &r.checks {
        if c.status == Status::Error {
            out.push(Problem {
                check: c,
                level: "error",
                message: format!("{} could not run: {}", c.id, c.summary),
                file: None,
                line: None,
            });
        }
        for f in c.findings.iter().filter(|f| f.severity > Severity::Info) {
            let level = if f.severity == Severity::Fail {
                "error"
            } else {
                "warning"
            };
            let (file, line) = match located.captures(&f.message) {
                Some(m) => (Some(m[1].to_string()), m[2].parse().ok()),
                None => (None, None),
            };
            let mut message = f.message.clone();
            if let Some(fix) = &f.fix {
                message.push_str(&format!(" (fix: {})", fix.summary));
            }
            out.push(Problem {
                check: c,
                level,
                message,
                file,
                line,
            });
        }
    }
    out
}

/// `file` as the repository sees it: relative to the current folder (a workflow's checkout)
/// when the project is inside it.
fn repo_path(r: &Report, file: &str) -> String {
    let full = Path::new(&r.project.root).join(file);
    std::env::current_dir()
        .ok()
        .and_then(|cwd| full.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| full.display().to_string())
}

/// GitHub Actions workflow commands, one a problem.
pub fn github(r: &Report) -> String {
    // Workflow command escaping: data escapes %, CR, LF; properties also `:` and `,`. The
    // log is a terminal too: every control (CR and LF among them) goes out visible, so a
    // repository's text can neither act on it nor start a workflow command of its own.
    let data = |s: &str| checks::text::visible(s).replace('%', "%25");
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for p in problems(r) {
        let mut props = vec![];
        // A problem with no line of its own is annotated on the reloader's config file.
        if let Some(file) = p.file.as_ref().or(r.project.config.as_ref()) {
            props.push(format!("file={}", property(&repo_path(r, file))));
        }
        if let Some(line) = p.line {
            props.push(format!("line={line}"));
        }
        props.push(format!(
            "title={}",
            property(&format!("reload-doctor {}", p.check.id))
        ));
        out.push_str(&format!(
            "::{} {}::{}\n",
            p.level,
            props.join(","),
            data(&p.message)
        ));
    }
    out
}

/// A SARIF 2.1.0 log with one run: every check of the registry is a rule.
pub fn sarif(r: &Report) -> Value {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.id,
                "shortDescription": {"text": c.purpose},
                "fullDescription": {"text": crate::commands::catalog::explanation(c)},
                "help": {"text": format!("reload-doctor explain {}", c.id)},
            })
        })
        .collect();
    let results: Vec<Value> = problems(r)
        .iter()
        .map(|p| {
            let mut result = json!({
                "ruleId": p.check.id,
                "ruleIndex": REGISTRY.iter().position(|c| c.id == p.check.id),
                "level": p.level,
                "message": {"text": p.message},
            });
            let file = p.file.clone().or_else(|| r.project.config.clone());
            if let Some(file) = file {
                let mut physical = json!({"artifactLocation": {"uri": repo_path(r, &file)}});
                if let (Some(line), true) = (p.line, p.file.is_some()) {
                    physical["region"] = json!({"startLine": line});
                }
                result["locations"] = json!([{"physicalLocation": physical}]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "reload-doctor",
                "version": r.tool.version,
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
