//! Probes that write into the project: the only code in this crate that touches the user's
//! tree. They write inside hidden scratch folders ([`scratch`]) that reloaders skip, and remove
//! them on every exit path.

pub mod editor_saves;
pub mod scratch;
