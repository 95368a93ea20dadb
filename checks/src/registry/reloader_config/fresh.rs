//! fresh's `runner.conf`: keys fresh knows and values that make it misbehave.

use super::config_file::{evidence, site, sorted, too_large};
use crate::context::Context;
use crate::model::{Finding, Outcome};
use crate::reloaders::fresh as fresh_conf;
use serde_json::json;

pub(super) fn check(ctx: &Context) -> Outcome {
    let Some(path) = ctx.project.config_path.as_ref() else {
        return Outcome::ran("fresh with its defaults (no runner.conf)", vec![]);
    };
    let name = ctx.project.display_path(path);
    let text = match crate::system::files::read(path).map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            return Outcome::ran(
                format!("{name} is not a text file"),
                vec![Finding::fail(format!(
                    "{name} is not a text file (invalid UTF-8): fresh reads garbage settings; rewrite it as `key: value` lines"
                ))
                .with_evidence(json!({"file": name}))],
            )
        }
        Err(e) if crate::system::files::is_too_large(&e) => return too_large(&name, "a fresh runner.conf"),
        Err(e) => {
            return Outcome::ran(
                format!("cannot read {name}"),
                vec![Finding::fail(format!("cannot read {name} ({e}); fix its permissions"))
                    .with_evidence(json!({"file": name}))],
            )
        }
    };
    let conf = fresh_conf::parse(&text);
    let findings = conf
        .issues
        .iter()
        .map(|i| {
            let message = format!("{}: {}", site(&name, Some(i.line)), i.message);
            let f = if i.fail {
                Finding::fail(message)
            } else {
                Finding::warn(message)
            };
            f.with_evidence(evidence(&name, Some(i.line), "", json!({})))
        })
        .collect();
    Outcome::ran(
        format!(
            "{name}: {} settings; fresh watches {} under {}, ignoring {}",
            conf.settings.len(),
            conf.get("valid_ext"),
            conf.get("root"),
            conf.get("ignored")
        ),
        sorted(findings),
    )
}
