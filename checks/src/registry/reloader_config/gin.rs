//! codegangsta/gin: no config file; the app must listen on the `PORT` gin sets.

use super::config_file::{evidence, manual};
use super::problems::Problem;
use crate::context::Context;
use crate::model::{Finding, Outcome};
use crate::reloaders::gin::hard_coded_port;
use serde_json::json;

/// A `gin` process working in this project, for projects with no gin files: found in the
/// shared process table, so it costs a readlink per gin process.
pub(super) fn running_here(ctx: &Context) -> Option<String> {
    let table = ctx.processes().ok()?;
    table
        .procs
        .iter()
        .filter(|p| p.comm == "gin")
        .find_map(|p| {
            let cwd = table.open(p.pid)?.cwd().ok()?;
            cwd.starts_with(&ctx.project.root).then(|| {
                format!(
                    "gin pid {} runs in {}",
                    p.pid,
                    ctx.project.display_path(&cwd)
                )
            })
        })
}

/// `why`: what shows this is a gin project.
pub(super) fn check(ctx: &Context, why: Option<String>) -> Outcome {
    let root = &ctx.project.root;
    let why = why.unwrap_or_else(|| "gin project".into());
    let mut findings = env_findings(ctx);
    let Some(hit) = hard_coded_port(root) else {
        return Outcome::ran(format!("gin ({why}); the app reads PORT"), findings);
    };
    let file = ctx.project.display_path(&hit.file);
    // Where gin listens and what it puts in PORT, as configured (3000 and 3001 by default).
    let gin = ctx
        .project
        .gin
        .clone()
        .unwrap_or_else(|| crate::reloaders::gin::ports(root));
    let why_broken = if hit.port == gin.proxy {
        format!(
            "{} is gin's own proxy port, so the app and gin cannot both listen",
            gin.proxy
        )
    } else if hit.port == gin.app {
        format!(
            "it works only while gin's --appPort stays {}, the port gin puts in $PORT",
            gin.app
        )
    } else {
        format!("gin proxies to $PORT ({}), where nothing listens", gin.app)
    };
    let todo = "listen on \":\" + os.Getenv(\"PORT\")".to_string();
    findings.insert(
        0,
        Finding::fail(format!(
            "{file}:{}: the app listens on :{} and never reads PORT: {why_broken}; {todo}",
            hit.line, hit.port
        ))
        .with_evidence(evidence(
            &file,
            Some(hit.line),
            "",
            json!({"problem": Problem::HardCodedPort, "port": hit.port}),
        ))
        .with_fix(manual(format!("{todo} in {file}:{}", hit.line))),
    );
    Outcome::ran(format!("gin ({why})"), findings)
}

/// Settings in `.env` (which gin loads) that gin ignores or overrides.
fn env_findings(ctx: &Context) -> Vec<Finding> {
    let text = match crate::system::files::read_to_string(ctx.project.root.join(".env")) {
        Ok(text) => text,
        Err(e) if crate::system::files::is_too_large(&e) => {
            return vec![Finding::warn(format!(
                ".env is {e}: gin loads it, but its settings were not checked"
            ))
            .with_evidence(json!({"file": ".env", "max_bytes": crate::system::files::MAX_BYTES}))]
        }
        Err(_) => return vec![],
    };
    crate::reloaders::gin::env_issues(&text)
        .into_iter()
        .map(|(line, message)| {
            Finding::warn(format!(".env:{line}: {message}")).with_evidence(evidence(
                ".env",
                Some(line),
                "",
                json!({"problem": Problem::GinEnv}),
            ))
        })
        .collect()
}
