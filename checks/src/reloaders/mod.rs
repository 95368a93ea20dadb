//! What each reloader does, modelled on its own source: air's config and keys, fresh's
//! `runner.conf`, gin's flags and environment, and the two rules every reloader applies: which
//! folders it watches ([`watch_tree`]) and which file events make it rebuild ([`event_rules`]).
//! Both serve air, fresh and `reload-doctor run` (air's rules with the runner's documented
//! differences; gin watches like air's defaults), so they live here, not under air.

pub mod air;
pub mod event_rules;
pub mod fresh;
pub mod gin;
pub mod watch_tree;
