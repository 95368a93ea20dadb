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

/// The first folder on the way to `rel` (root-relative, clean) that air's walk skips, with
/// why (v1.67.4 engine.go `watching`, in air's order: tmp_dir, testdata_dir, a hidden folder,
/// an exclude_dir entry, include_dir); None when air walks into `rel`.
pub(super) fn skipped_folder(
    air: &crate::reloaders::air::config::AirConfig,
    rules: &Rules,
    rel: &str,
) -> Option<(String, String)> {
    let mut prefix = String::new();
    for part in rel.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        if rules.enters(&prefix, part) {
            continue;
        }
        let why = if prefix == air.tmp_rel() {
            format!("is tmp_dir (\"{}\")", air.tmp_dir)
        } else if prefix == air.testdata_rel() {
            format!("is testdata_dir (\"{}\")", air.testdata_dir)
        } else if part.starts_with('.') {
            "is hidden (air never walks a folder whose name starts with a dot)".to_string()
        } else if let Some(e) = air
            .build
            .exclude_dir
            .iter()
            .find(|d| d.trim().trim_end_matches('/') == prefix)
        {
            format!("exclude_dir entry \"{e}\" excludes")
        } else {
            "no include_dir entry reaches".to_string()
        };
        return Some((prefix, why));
    }
    None
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
