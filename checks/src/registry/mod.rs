//! The list of checks, in the order the report shows them.

use crate::context::Context;
use crate::model::Outcome;

pub mod build_speed;
pub mod compile;
pub mod editor_saves;
mod fixes;
pub mod inotify_instances;
pub mod inotify_watches;
pub mod mount_events;
pub mod port_busy;
pub mod reloader_config;
pub mod signals;
pub mod stale_processes;
pub mod toolchain;
pub mod watch_scope;
pub mod zombies;

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
    &build_speed::CHECK,
];

/// Checks left out of the default report (slow): they run when named with `--only`.
pub static OPT_IN: &[&str] = &[build_speed::CHECK.id];

pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().copied().find(|c| c.id == id)
}
