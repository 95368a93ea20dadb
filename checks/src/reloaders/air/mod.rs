//! air (github.com/air-verse/air v1.67.4): the one table of the keys it reads ([`keys`]), the
//! one parse of a file ([`written`]), and the two views read from it: air's merge
//! ([`config`]) and `reload-doctor run`'s ([`runner`]); plus the comment-keeping rewrites
//! `--fix` makes ([`edit`]), the `air -c FILE` launches found in a project ([`launch`]), and
//! which air release runs in each and what that changes ([`versions`]).

pub mod config;
pub mod dev_tools;
pub mod edit;
pub mod keys;
pub mod launch;
pub mod runner;
pub mod versions;
pub mod written;
