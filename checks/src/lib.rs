//! What reload-doctor knows about Go hot reload, as a library: the check registry and the
//! models it is built on.
//!
//! - [`registry`]: one module per check, each with a stable id, a one-line purpose, a long
//!   explanation and a `run` that reads the world through a [`Context`] and returns findings;
//!   [`engine`] runs them. Fixes are data ([`model::Fix`]) that the binary's executor applies.
//! - [`reloaders`] (air, fresh, gin), [`golang`] (what Go does) and [`system`] (processes,
//!   sockets, inotify, mounts) hold each rule once, for the report, `--fix`, `run` and `verify`.
//! - Checks only read, except the [`probe`]s, which write inside a hidden scratch folder of the
//!   project (reloaders skip hidden folders) and remove it on every exit path.
//!
//! The layers, from the ground up; each imports only from those below it: [`model`],
//! [`filepath`], [`text`], [`suggest`]; [`system`]; [`golang`]; [`reloaders`]; [`probe`] and
//! [`app_port`]; [`project`] and [`container`]; [`process_role`] and [`context`]; [`registry`]; [`engine`].
//!
//! Adding a check is one new module in `registry/` plus two lines in `registry/mod.rs`.
//!
//! Two crates build on this one: the embedded reloader (`runner/`, reload-doctor-runner,
//! which reads air through [`reloaders::air`] and starts and stops through [`system`]) and
//! the binary, which also drives the runner.

pub mod app_port;
pub mod container;
pub mod context;
pub mod engine;
pub mod filepath;
pub mod golang;
pub mod model;
pub mod probe;
pub mod process_role;
pub mod project;
pub mod registry;
pub mod reloaders;
pub mod shell;
pub mod suggest;
pub mod system;
pub mod text;
pub mod yaml;

pub use context::{Context, Options, ProblemFilter};
pub use model::{Action, Applicability, Finding, Fix, Outcome, Severity, Status};
pub use project::{PortSource, Project, Reloader};
pub use registry::{find, Check, REGISTRY};
pub use system::System;
