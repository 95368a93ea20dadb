//! The list of checks, in the order the report shows them.

pub mod build_speed;
mod check;
pub mod compile;
pub mod container;
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

pub use check::{Check, ProblemKind};

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
    &container::CHECK,
];

// Where checks run besides the full report, declared here once; each list in the order its
// rows show.

/// Checks left out of the default report (slow): they run when named with `--only`.
pub static OPT_IN: &[&str] = &[build_speed::CHECK.id];

/// `run`'s preflight: the checks that would make the reload loop fail, run before its first
/// build.
pub static PREFLIGHT: &[&Check] = &[
    &port_busy::CHECK,
    &inotify_watches::CHECK,
    &inotify_instances::CHECK,
    &mount_events::CHECK,
    &reloader_config::CHECK,
];

/// `verify`: the checks that explain a failed stage, by the stage's name in verify's output.
pub static VERIFY: &[(&str, &[&Check])] = &[
    (
        "start",
        &[
            &toolchain::CHECK,
            &compile::CHECK,
            &port_busy::CHECK,
            &reloader_config::CHECK,
        ],
    ),
    (
        "save seen",
        &[
            &mount_events::CHECK,
            &inotify_watches::CHECK,
            &reloader_config::CHECK,
            &editor_saves::CHECK,
        ],
    ),
    (
        "build finished",
        &[&compile::CHECK, &reloader_config::CHECK],
    ),
    // verify's quiet period after the first build: a build with no edit.
    ("rebuild without an edit", &[&reloader_config::CHECK]),
    (
        "old process gone",
        &[&port_busy::CHECK, &zombies::CHECK, &signals::CHECK],
    ),
    (
        "new pid serving",
        &[&port_busy::CHECK, &zombies::CHECK, &signals::CHECK],
    ),
];

/// The checks that explain `verify` failing at `stage` (none for a stage [`VERIFY`] lacks).
pub fn explaining(stage: &str) -> &'static [&'static Check] {
    VERIFY
        .iter()
        .find(|(name, _)| *name == stage)
        .map_or(&[], |(_, checks)| checks)
}

pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().copied().find(|c| c.id == id)
}
