//! air (github.com/air-verse/air v1.67.4): its config as air merges it ([`config`]), every key
//! it reads ([`keys`]) and the comment-keeping rewrites `--fix` makes ([`edit`]).

pub mod config;
pub mod edit;
pub mod keys;
pub mod launch;
