//! Which changed files make the runner rebuild: air's rules (include_ext, include_file,
//! exclude_file with Go's filepath.Match, exclude_regex), the binary itself never, and
//! editors' scratch files never. Used by the inotify watch, the poller and the snapshots.

use super::config::RunConfig;
use checks::filepath::go_match;
use checks::reloaders::watch_tree::Rules;
use regex::Regex;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Editors' scratch files, never a reason to rebuild: vim's `4913` probe and swap files,
/// backups, JetBrains safe-write files, Emacs lock files, gopls' umask probe.
fn is_editor_temp(name: &str) -> bool {
    name == "4913"
        || name.ends_with(".swp")
        || name.ends_with('~')
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with(".#")
        || name.ends_with("-go-tmp-umask")
}

/// The file-level rules: which changed files trigger a build.
pub struct Filter {
    rules: Rules,
    any_ext: bool,
    include_file: HashSet<String>,
    exclude_file: Vec<String>,
    exclude_regex: Vec<Regex>,
    bin: PathBuf,
}

impl Filter {
    pub fn new(c: &RunConfig) -> Result<Filter, String> {
        let exclude_regex = c
            .build
            .exclude_regex
            .iter()
            .map(|r| Regex::new(r).map_err(|e| format!("build.exclude_regex {r:?}: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(Filter {
            rules: c.rules(),
            any_ext: c.build.include_ext.iter().any(|e| e == "*"),
            include_file: c
                .build
                .include_file
                .iter()
                .map(|f| checks::reloaders::air::config::clean_rel(f))
                .collect(),
            exclude_file: c.build.exclude_file.clone(),
            exclude_regex,
            bin: c.dir.join(&c.build.bin),
        })
    }

    /// Whether a change to `path` (absolute; `rel` root-relative) should rebuild.
    pub fn wants(&self, path: &Path, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if is_editor_temp(name) || path == self.bin {
            return false;
        }
        if self.exclude_file.iter().any(|p| go_match(p, rel)) {
            return false;
        }
        let abs = path.to_string_lossy();
        if self.exclude_regex.iter().any(|r| r.is_match(&abs)) {
            return false;
        }
        self.include_file.contains(rel) || self.any_ext || self.rules.is_source(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_are_recognised() {
        for n in [
            "4913",
            ".main.go.swp",
            "main.go~",
            "main.go___jb_tmp___",
            "main.go___jb_old___",
            ".#main.go",
            "x-go-tmp-umask",
        ] {
            assert!(is_editor_temp(n), "{n}");
        }
        assert!(!is_editor_temp("main.go"));
    }
}
