//! The list of checks, in the order the report shows them.

pub mod build_speed;
mod check;
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

pub use check::Check;

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
