//! What a check is, as the registry lists it and the engine runs it.

use crate::context::Context;
use crate::model::{Outcome, Severity};

/// One diagnostic. Ids are stable: CI users and `--only`/`--skip` depend on them.
pub struct Check {
    pub id: &'static str,
    /// One line: what the check looks at.
    pub purpose: &'static str,
    /// `reload-doctor explain ID`: what it looks at, why it breaks hot reload, the manual fix.
    pub explain: &'static str,
    /// The problem ids its findings carry, which `explain` lists after the text.
    pub problems: &'static [ProblemKind],
    pub run: fn(&Context) -> Outcome,
}

/// A kind of finding, named in the finding's evidence as `"problem": ID` (a JSON contract)
/// and on the command line as `CHECK:ID`.
#[derive(Debug)]
pub struct ProblemKind {
    pub id: &'static str,
    /// The severity its findings have unless their message says why not.
    pub severity: Severity,
    /// One line: what goes wrong.
    pub what: &'static str,
}
