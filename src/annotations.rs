//! The report for machines other than our JSON readers: GitHub workflow commands
//! (`::error file=..,line=..::..`, so a finding lands on the pull request's line) and SARIF
//! 2.1.0 for code scanning. Only problems (warn and fail) and checks that could not run are
//! emitted; notes are for people. Every problem lands on a file and a line (code scanning
//! rejects a whole upload for one result without a location): its own, or the project's
//! anchor with the reason said in the message.

use crate::report::Report;
use checks::engine::CheckResult;
use checks::{Severity, Status, REGISTRY};
use regex::Regex;
use reload_doctor_checks as checks;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// One problem and where it is shown.
struct Problem<'a> {
    check: &'a CheckResult,
    level: &'static str,
    /// The finding's message, with its fix and, for an anchored problem, why it is shown there.
    message: String,
    place: Place,
}

/// A file of the repository and a line of it.
#[derive(Clone)]
struct Place {
    /// Relative to the workspace (`/`-separated), or absolute when the file is outside it.
    path: String,
    relative: bool,
    line: u64,
    column: Option<u64>,
}

/// The folder paths are relative to: `GITHUB_WORKSPACE` in a workflow (the checkout, whatever
/// folder or `--project` the step runs from), else the current folder.
fn workspace() -> PathBuf {
    std::env::var_os("GITHUB_WORKSPACE")
        .filter(|w| !w.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// `path:line` or `path:line:column` at the start of `text`, then `: ` or the end: Go's
/// `./main.go:12:2: ...` (relative to the folder go ran in), vet's `pkg/x.go:3:4: ...` and our
/// own `.air.toml:13: ...`.
fn position(text: &str) -> Option<(&str, u64, Option<u64>)> {
    static AT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([^:\s][^:\n]*):(\d+)(?::(\d+))?(?:: |$)").expect("a valid pattern")
    });
    let m = AT.captures(text)?;
    let line = m[2].parse().ok().filter(|l| *l >= 1)?;
    let column = m
        .get(3)
        .and_then(|c| c.as_str().parse().ok())
        .filter(|c| *c >= 1);
    Some((m.get(1)?.as_str(), line, column))
}

/// Where problems go: the workspace, and the project's files relative to it.
struct Places {
    workspace: PathBuf,
    root: PathBuf,
    config: Option<PathBuf>,
}

impl Places {
    fn of(r: &Report) -> Places {
        let root = PathBuf::from(&r.project.root);
        let workspace = workspace();
        Places {
            workspace: std::fs::canonicalize(&workspace).unwrap_or(workspace),
            config: r.project.config.as_ref().map(|c| root.join(c)),
            root,
        }
    }

    /// `file` (relative to `dir`) as a place, when it is a file.
    fn file(&self, dir: &Path, file: &str, line: u64, column: Option<u64>) -> Option<Place> {
        let full = std::fs::canonicalize(dir.join(file)).ok()?;
        if !full.is_file() {
            return None;
        }
        let (path, relative) = match full.strip_prefix(&self.workspace) {
            Ok(rel) => (rel.to_string_lossy().into_owned(), true),
            Err(_) => (full.to_string_lossy().into_owned(), false),
        };
        Some(Place {
            path,
            relative,
            line,
            column,
        })
    }

    /// Where a finding of `check` is, from its evidence (`file`, `line`, `column`; compile's
    /// `at`) or the position its message starts with. Go's positions are relative to the
    /// folder go ran in (the check's `cwd`), the doctor's own to the project root.
    fn own(&self, check: &CheckResult, evidence: &Value, message: &str) -> Option<Place> {
        let go_dir = check.evidence["cwd"].as_str().map(PathBuf::from);
        let dir = go_dir.as_deref().unwrap_or(&self.root);
        let number = |key: &str| evidence[key].as_u64().filter(|n| *n >= 1);
        let from_evidence = evidence["file"].as_str().and_then(|file| {
            self.file(
                &self.root,
                file,
                number("line").unwrap_or(1),
                number("column"),
            )
        });
        let at = |text: &str| position(text).and_then(|(f, l, c)| self.file(dir, f, l, c));
        from_evidence
            .or_else(|| evidence["at"].as_str().and_then(at))
            .or_else(|| at(message))
    }

    /// The anchor of a problem with no place of its own in the repository: line 1 of the
    /// reloader's config when the problem is about that file, else of go.mod (of the config
    /// when there is no go.mod); the anchor, and why a problem goes there.
    fn anchor(&self, check: &CheckResult, message: &str) -> Option<(Place, &'static str)> {
        let config = self.config.as_ref().and_then(|c| {
            let name = c
                .strip_prefix(&self.root)
                .unwrap_or(c)
                .to_string_lossy()
                .into_owned();
            let about = check.id == "reloader-config" || message.contains(&name);
            Some((about, self.file(&self.root, &name, 1, None)?))
        });
        let project = "it is about the project or this machine, not a line of a file";
        match (config, self.file(&self.root, "go.mod", 1, None)) {
            (Some((true, place)), _) => Some((place, "it is about the file as a whole")),
            (_, Some(go_mod)) => Some((go_mod, project)),
            (Some((false, place)), None) => Some((place, project)),
            (None, None) => None,
        }
    }

    /// The place of a problem, and its message, which says why when the place is an anchor.
    /// A file outside the workspace (a module replaced by a folder beside the checkout, the
    /// module cache) has no line in the repository: such a problem is anchored too.
    fn place(&self, check: &CheckResult, evidence: &Value, message: String) -> (Place, String) {
        let own = self.own(check, evidence, &message);
        if let Some(place) = own.as_ref().filter(|p| p.relative) {
            return (place.clone(), message);
        }
        match (own, self.anchor(check, &message)) {
            (Some(own), Some((anchor, _))) if anchor.relative => {
                let why = format!(
                    "{} is outside the repository; shown on line 1 of {}",
                    own.path, anchor.path
                );
                (anchor, format!("{message} ({why})"))
            }
            // The project is outside the workspace too: the file as it is.
            (Some(own), _) => (own, message),
            (None, Some((anchor, why))) => {
                let message = format!("{message} (shown on line 1 of {}: {why})", anchor.path);
                (anchor, message)
            }
            // No go.mod nor config: the project folder is all there is to point at.
            (None, None) => {
                let folder = Place {
                    path: self.root.to_string_lossy().into_owned(),
                    relative: false,
                    line: 1,
                    column: None,
                };
                (folder, message)
            }
        }
    }
}

fn problems<'a>(r: &'a Report, places: &Places) -> Vec<Problem<'a>> {
    let mut out = vec![];
    for c in &r.checks {
        if c.status == Status::Error {
            let message = format!("{} could not run: {}", c.id, c.summary);
            let (place, message) = places.place(c, &Value::Null, message);
            out.push(Problem {
                check: c,
                level: "error",
                message,
                place,
            });
        }
        for f in c.findings.iter().filter(|f| f.severity > Severity::Info) {
            let level = if f.severity == Severity::Fail {
                "error"
            } else {
                "warning"
            };
            let mut message = f.message.clone();
            if let Some(fix) = &f.fix {
                message.push_str(&format!(" (fix: {})", fix.summary));
            }
            let (place, message) = places.place(c, &f.evidence, message);
            out.push(Problem {
                check: c,
                level,
                message,
                place,
            });
        }
    }
    out
}

/// GitHub Actions workflow commands, one a problem.
pub fn github(r: &Report) -> String {
    // Workflow command escaping: data escapes %, CR, LF; properties also `:` and `,`. The
    // log is a terminal too: every control (CR and LF among them) goes out visible, so a
    // repository's text can neither act on it nor start a workflow command of its own.
    let data = |s: &str| checks::text::visible(s).replace('%', "%25");
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for p in problems(r, &Places::of(r)) {
        let mut props = vec![
            format!("file={}", property(&p.place.path)),
            format!("line={}", p.place.line),
        ];
        if let Some(col) = p.place.column {
            props.push(format!("col={col}"));
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

/// `path` as a URI reference: every byte but unreserved ones and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A SARIF 2.1.0 log with one run: every check of the registry is a rule, every result has
/// a location relative to `%SRCROOT%` (the workspace).
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
    let places = Places::of(r);
    let results: Vec<Value> = problems(r, &places)
        .iter()
        .map(|p| {
            let artifact = match p.place.relative {
                true => json!({"uri": uri(&p.place.path), "uriBaseId": "%SRCROOT%"}),
                false => json!({"uri": format!("file://{}", uri(&p.place.path))}),
            };
            let mut region = json!({"startLine": p.place.line});
            if let Some(col) = p.place.column {
                region["startColumn"] = json!(col);
            }
            json!({
                "ruleId": p.check.id,
                "ruleIndex": REGISTRY.iter().position(|c| c.id == p.check.id),
                "level": p.level,
                "message": {"text": p.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
            })
        })
        .collect();
    // An absolute URI ending in `/` (SARIF 3.14.14); `/` itself gives `file:///`.
    let workspace = places.workspace.to_string_lossy();
    let srcroot = format!("file://{}/", uri(workspace.trim_end_matches('/')));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "reload-doctor",
                "version": r.tool.version,
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": srcroot}},
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_go_vet_and_the_doctor_are_read() {
        assert_eq!(
            position("./main.go:12:2: \"strings\" imported and not used"),
            Some(("./main.go", 12, Some(2)))
        );
        assert_eq!(position("pkg/x.go:3:4: y"), Some(("pkg/x.go", 3, Some(4))));
        assert_eq!(position("./main.go:12:2"), Some(("./main.go", 12, Some(2))));
        assert_eq!(
            position(".air.toml:13: [build] delay"),
            Some((".air.toml", 13, None))
        );
        assert_eq!(position("build fails: x"), None);
        assert_eq!(position("port 8080: busy"), None);
        assert_eq!(position("main.go:0: no line 0"), None);
    }

    #[test]
    fn uris_encode_what_a_path_may_hold() {
        assert_eq!(uri("cmd/my app/main.go"), "cmd/my%20app/main.go");
        assert_eq!(uri("a#b%c"), "a%23b%25c");
        assert_eq!(uri("é"), "%C3%A9");
    }
}
