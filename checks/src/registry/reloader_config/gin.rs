//! codegangsta/gin: no config file; the app must listen on the `PORT` gin sets.

use super::{evidence, manual};
use crate::context::Context;
use crate::gin::{hard_coded_port, marker};
use crate::model::{Finding, Outcome};
use serde_json::json;

/// gin's defaults: its proxy listens on 3000 and sets PORT=3001 for the app.
const GIN_PROXY_PORT: u16 = 3000;
const GIN_APP_PORT: u16 = 3001;

pub(super) fn check(ctx: &Context) -> Outcome {
    let root = &ctx.project.root;
    let why = marker(root).unwrap_or_else(|| "gin project".into());
    let Some(hit) = hard_coded_port(root) else {
        return Outcome::ran(format!("gin ({why}); the app reads PORT"), vec![]);
    };
    let file = ctx.project.display_path(&hit.file);
    let why_broken = match hit.port {
        GIN_PROXY_PORT => format!(
            "{GIN_PROXY_PORT} is gin's own proxy port, so the app and gin cannot both listen"
        ),
        GIN_APP_PORT => {
            "it works only while gin's --appPort stays 3001, the port gin puts in $PORT".into()
        }
        _ => format!("gin proxies to $PORT ({GIN_APP_PORT} by default), where nothing listens"),
    };
    let todo = "listen on \":\" + os.Getenv(\"PORT\")".to_string();
    Outcome::ran(
        format!("gin ({why})"),
        vec![Finding::fail(format!(
            "{file}:{}: the app listens on :{} and never reads PORT: {why_broken}; {todo}",
            hit.line, hit.port
        ))
        .with_evidence(evidence(
            &file,
            Some(hit.line),
            "",
            json!({"problem": "hard-coded-port", "port": hit.port}),
        ))
        .with_fix(manual(format!("{todo} in {file}:{}", hit.line)))],
    )
}
