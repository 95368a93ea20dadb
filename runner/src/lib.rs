//! The embedded reloader behind `reload-doctor run`: it reads `.air.toml` through checks' one
//! air model and explains every reload. Watch (`watch`, `poll`, `snapshot`), debounce,
//! build, the app's lifecycle and readiness (`app`), the loop (`runner`, `reload`) and the
//! proxy in front of the app live here; what a run has to say leaves as typed events
//! ([`Report`]), rendered by whoever drives it. Nothing here knows the command line: the
//! binary turns its arguments into [`Options`].
//!
//! One thread owns the loop and all decisions; helpers only report back through one
//! channel: the watcher's events, a finished build, an app that exited, a port that
//! started accepting, a signal. Everything the loop starts runs in its own process group and
//! is reaped, and the runner is a child subreaper, so nothing outlives it.

mod app;
mod build;
mod debounce;
mod env_files;
mod fast;
mod msg;
mod options;
mod poll;
mod proxy;
mod reload;
mod report;
mod runner;
mod schedule;
mod self_writes;
mod snapshot;
mod start;
mod watch;

pub use debounce::Stream;
pub use options::Options;
pub use report::{Report, Timings};
pub use start::{block_signals, run};
