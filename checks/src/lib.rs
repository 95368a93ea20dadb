//! The check registry of reload-doctor.
//!
//! Each check is one module in [`registry`] with a stable id, a one-line purpose, a long
//! explanation, and a `run` function that reads the world through a [`Context`] and returns
//! findings. Checks never change anything: fixes are data ([`model::Fix`]) that the binary's
//! executor applies. Adding a check is one new module plus one line in `registry/mod.rs`.

pub mod context;
pub mod engine;
pub mod golang;
pub mod model;
pub mod probe;
pub mod project;
pub mod registry;
pub mod reloaders;
pub mod suggest;
pub mod system;
pub mod text;

pub use context::{Context, Options, System};
pub use model::{Action, Applicability, Finding, Fix, Outcome, Severity, Status};
pub use project::{PortSource, Project, Reloader};
pub use registry::{find, Check, REGISTRY};
