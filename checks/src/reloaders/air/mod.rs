//! air (github.com/air-verse/air v1.67.4): the one table of the keys it reads ([`keys`]), the
//! one parse of a file ([`written`]), and the two views read from it: air's merge
//! ([`config`]) and `reload-doctor run`'s ([`runner`]); plus the comment-keeping rewrites
//! `--fix` makes ([`edit`]) and the `air -c FILE` launches found in a project ([`launch`]).

pub mod config;
pub mod edit;
pub mod keys;
pub mod launch;
pub mod runner;
pub mod written;
