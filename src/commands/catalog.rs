//! `reload-doctor checks` and `reload-doctor explain`: the registry, described.

use crate::report::SCHEMA_VERSION;
use checks::{find, Check, REGISTRY};
use reload_doctor_checks as checks;

/// The check with this id, or an error that suggests the nearest one.
pub fn known(id: &str) -> Result<&'static Check, String> {
    find(id).ok_or_else(|| {
        let nearest = REGISTRY
            .iter()
            .map(|c| (edit_distance(id, c.id), c.id))
            .min()
            .filter(|(d, _)| *d <= 3)
            .map(|(_, c)| format!(" (did you mean {c}?)"))
            .unwrap_or_default();
        format!("unknown check id `{id}`{nearest}; `reload-doctor checks` lists them")
    })
}

/// An entry of `--only`/`--skip`: a check id, or `CHECK:PROBLEM` for the findings of one of
/// its problem ids; the check and that problem id.
pub fn selector(entry: &str) -> Result<(&'static Check, Option<&'static str>), String> {
    let Some((id, problem)) = entry.split_once(':') else {
        return Ok((known(entry)?, None));
    };
    let c = known(id)?;
    if c.problems.is_empty() {
        return Err(format!(
            "{id} has no problem ids to choose from: name the whole check"
        ));
    }
    match c.problems.iter().find(|p| p.id == problem) {
        Some(p) => Ok((c, Some(p.id))),
        None => {
            let nearest = checks::suggest::closest(problem, c.problems.iter().map(|p| p.id))
                .map(|p| format!(" (did you mean {id}:{p}?)"))
                .unwrap_or_default();
            Err(format!(
                "unknown problem id `{problem}` of {id}{nearest}; `reload-doctor explain {id}` lists them"
            ))
        }
    }
}

pub fn list(markdown: bool, json: bool) -> Result<u8, String> {
    if markdown {
        print!("{}", markdown_doc());
    } else if json {
        let items: Vec<_> = REGISTRY
            .iter()
            .map(|c| {
                let opt_in = checks::registry::OPT_IN.contains(&c.id);
                serde_json::json!({"id": c.id, "purpose": c.purpose, "opt_in": opt_in})
            })
            .collect();
        let doc = serde_json::json!({"schema_version": SCHEMA_VERSION, "checks": items});
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
        );
    } else {
        // Plain aligned lines, not a table: piped output carries no padding to any width.
        let width = REGISTRY.iter().map(|c| c.id.len()).max().unwrap_or(0);
        let indent = " ".repeat(width + 2);
        println!("{:<width$}  PURPOSE", "ID");
        for c in REGISTRY {
            let first = format!("{:<width$}  ", c.id);
            for line in crate::wrap::hang(c.purpose, &first, &indent, crate::wrap::width()) {
                println!("{line}");
            }
        }
    }
    Ok(0)
}

pub fn explain(id: &std::ffi::OsStr, json: bool) -> Result<u8, String> {
    let c = known(&id.to_string_lossy())?;
    if json {
        let doc = serde_json::json!({
            "schema_version": SCHEMA_VERSION, "id": c.id, "purpose": c.purpose, "explain": explanation(c),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
        );
        return Ok(0);
    }
    // On a terminal the prose is reflowed and the problem ids fitted to its width; piped, the
    // text as written (the explanation CHECKS.md and SARIF show).
    let width = crate::wrap::width();
    let mut text = crate::wrap::prose(&format!("{} — {}\n\n{}", c.id, c.purpose, c.explain), width);
    let ids = problem_ids(c, width.or(Some(EXPLAIN_COLUMNS)));
    if !ids.is_empty() {
        text.push('\n');
        text.push_str(&ids);
    }
    print!("{text}");
    Ok(0)
}

/// A check's explanation as `explain`, CHECKS.md and SARIF show it: its text, then the
/// problem ids its findings carry, each with its default severity and what goes wrong.
pub fn explanation(c: &Check) -> String {
    let mut out = c.explain.to_string();
    let ids = problem_ids(c, Some(EXPLAIN_COLUMNS));
    if !ids.is_empty() {
        out.push_str("\n\n");
        out.push_str(&ids);
    }
    out.truncate(out.trim_end().len());
    out
}

/// The problem ids a check's findings carry, each with its default severity and what goes
/// wrong, one a line at `width` (stacked, the meaning under the id, when the ids leave the
/// meanings too little room); empty for a check without them.
fn problem_ids(c: &Check, width: Option<usize>) -> String {
    let mut out = String::new();
    if c.problems.is_empty() {
        return out;
    }
    let intro = format!(
        "Problem ids (evidence.problem; --only/--skip {}:ID), each with its severity:",
        c.id
    );
    let id_width = c.problems.iter().map(|p| p.id.len()).max().unwrap_or(0);
    let hang = " ".repeat(2 + 4 + 2 + id_width + 2);
    let rows = c.problems.iter().flat_map(|p| {
        let first = format!("  {}  {:<id_width$}  ", p.severity.as_str(), p.id);
        crate::wrap::hang(p.what, &first, &hang, width)
    });
    for line in crate::wrap::hang(&intro, "", "", width)
        .into_iter()
        .chain(rows)
    {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The width the explanations' own text is written to.
const EXPLAIN_COLUMNS: usize = 95;

/// CHECKS.md, generated from the registry (a test fails when the committed file is stale).
pub fn markdown_doc() -> String {
    let mut out = String::from(
        "# Checks\n\nGenerated by `reload-doctor checks --markdown` from the check registry; do not edit by hand.\n\n| id | purpose |\n|---|---|\n",
    );
    for c in REGISTRY {
        out.push_str(&format!("| [`{}`](#{}) | {} |\n", c.id, c.id, c.purpose));
    }
    for c in REGISTRY {
        out.push_str(&format!(
            "\n## {}\n\n{}\n\n```text\n{}\n```\n",
            c.id,
            c.purpose,
            explanation(c)
        ));
    }
    out
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
