//! The list of checks, in the order the report shows them.

use crate::context::Context;
use crate::model::Outcome;

mod compile;
mod editor_saves;
mod fixes;
mod inotify_instances;
mod inotify_watches;
mod mount_events;
mod port_busy;
mod reloader_config;
mod signals;
mod stale_processes;
mod toolchain;
mod watch_scope;
mod zombies;

/// One diagnostic. Ids are stable: CI users and `--only`/`--skip` depend on them.
pub struct Check {
    pub id: &'static str,
    /// One line: what the check looks at.
    pub purpose: &'static str,
    /// `reload-doctor explain ID`: what it looks at, why it breaks hot reload, the manual fix.
    pub explain: &'static str,
    pub run: fn(&Context) -> Outcome,
}

pub static REGISTRY: &[&Check] = &[
    &toolchain::CHECK,
    &inotify_watches::CHECK,
    &inotify_instances::CHECK,
    &watch_scope::CHECK,
    &port_busy::CHECK,
    &zombies::CHECK,
    &stale_processes::CHECK,
    &reloader_config::CHECK,
    &compile::CHECK,
    &signals::CHECK,
    &mount_events::CHECK,
    &editor_saves::CHECK,
];

pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().copied().find(|c| c.id == id)
}
