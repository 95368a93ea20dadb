//! What the helpers (watcher, builds, the app's probes, signals, keys) tell the loop.

use crate::build;
use nix::sys::signal::Signal;
use std::time::Instant;

/// What the helpers tell the loop.
pub(crate) enum Msg {
    Fs(notify::Result<notify::Event>),
    Built(build::Done),
    AppExited {
        gen: u64,
        status: String,
    },
    /// The app listens on `ports` (since `at`).
    Serving {
        gen: u64,
        at: Instant,
        ports: Vec<u16>,
    },
    /// The app listens on no TCP port 5 s after it started.
    NotServing {
        gen: u64,
    },
    /// The serving app opened more listeners: all its ports now.
    MorePorts {
        gen: u64,
        ports: Vec<u16>,
    },
    Signal(Signal),
    /// A rebuild asked for by hand (`r` + Enter, SIGUSR1), named by how.
    Rebuild(&'static str),
}
