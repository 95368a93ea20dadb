//! The check registry of reload-doctor.
//!
//! Each check is one module in [`registry`] with a stable id, a one-line purpose, a long
//! explanation, and a `run` function that reads the world through a [`Context`] and returns
//! findings. Checks never change anything: fixes are data ([`model::Fix`]) that the binary's
//! executor applies. Adding a check is one new module plus one line in `registry/mod.rs`.

pub mod air;
pub mod air_edit;
pub mod air_keys;
pub mod air_launch;
pub mod build_cmd;
pub mod build_output;
pub mod context;
pub mod fresh_conf;
pub mod fsevents;
pub mod gin;
pub mod go_deps;
pub mod go_lexer;
pub mod go_signals;
pub mod inotify;
pub mod model;
pub mod mounts;
pub mod owner;
pub mod procs;
pub mod project;
pub mod registry;
pub mod reload_rules;
pub mod saves;
pub mod scratch;
pub mod sockets;
pub mod suggest;
pub mod text;
pub mod tree;

pub use context::{Context, Options, System};
pub use model::{Action, Applicability, Finding, Fix, Outcome, Severity, Status};
pub use project::{PortSource, Project, Reloader};
pub use registry::{find, Check, REGISTRY};
