//! What air watches and reacts to under this config, for the findings that ask "does air see
//! this file?" (output in a watched folder, generated code, imported packages). Shared by
//! air_semantics, binary, generated and imports, so none of them imports another for it.

use super::config_file::AirFile;
use crate::filepath::clean;
use crate::reloaders::air::config::clean_rel;
use crate::reloaders::event_rules::{EventRules, Verdict};
use crate::reloaders::watch_tree::Rules;
use crate::system::fsevents::Op;
use std::path::{Path, PathBuf};

pub(super) fn watch_root(f: &AirFile) -> PathBuf {
    clean(&f.ctx.project.watch_root())
}

/// A path relative to the watch root, `None` when outside it.
pub(super) fn rel_to_root(f: &AirFile, abs: &Path) -> Option<String> {
    let rel = clean(abs).strip_prefix(watch_root(f)).ok()?.to_path_buf();
    Some(clean_rel(&rel.to_string_lossy()))
}

/// Whether air watches the directory `rel` (root-relative, clean): every folder on the way
/// is entered, and the folder itself gets a watch (with include_dir, the root does not).
pub(super) fn air_watches(rules: &Rules, rel: &str) -> bool {
    if rel == "." {
        return rules.watches(".");
    }
    let mut prefix = String::new();
    for part in rel.split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        if !rules.enters(&prefix, part) {
            return false;
        }
    }
    rules.watches(rel)
}

/// Whether air rebuilds when the file `abs` (absolute, lexically clean) is written: its
/// folder is watched and the event passes air's filters (exclude_file, exclude_regex,
/// include_ext, include_file).
pub(super) fn air_reacts(f: &AirFile, abs: &Path) -> bool {
    let Some(rel) = rel_to_root(f, abs) else {
        return false;
    };
    let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d);
    let rules = EventRules::air_in(&f.ctx.project.air, &watch_root(f), &f.ctx.project.root);
    air_watches(&Rules::air_in(&f.ctx.project.air, &watch_root(f)), dir)
        && rules.judge(Op::Write, abs, false) == Verdict::Trigger
}
