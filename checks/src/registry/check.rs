//! What a check is, as the registry lists it and the engine runs it.

use crate::context::Context;
use crate::model::Outcome;

/// One diagnostic. Ids are stable: CI users and `--only`/`--skip` depend on them.
pub struct Check {
    pub id: &'static str,
    /// One line: what the check looks at.
    pub purpose: &'static str,
    /// `reload-doctor explain ID`: what it looks at, why it breaks hot reload, the manual fix.
    pub explain: &'static str,
    pub run: fn(&Context) -> Outcome,
}
