//! The directory tree a reloader watches, walked with the reloader's own rules.
//!
//! air (engine.go `watching`) walks from `root` and skips, in order: `tmp_dir`, `testdata_dir`,
//! hidden directories (name starts with `.`), `exclude_dir` entries compared as clean
//! root-relative paths (so a bare `node_modules` only matches the top-level one), and
//! directories outside `include_dir` when that is set. It uses lstat, so a symlinked directory
//! is only entered with `follow_symlink = true`. Every directory it keeps costs one inotify watch.

use crate::air::{clean_rel, AirConfig};
use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// One watched directory.
#[derive(Debug, Clone)]
pub struct WatchedDir {
    /// Root-relative clean path (`.` for the root).
    pub rel: String,
    /// Index of the parent in [`WatchTree::dirs`] (None for the root).
    pub parent: Option<usize>,
    /// Non-directory entries directly inside.
    pub files: u64,
    /// Files whose extension is in `include_ext`.
    pub source_files: u64,
}

/// Why a walk could not go somewhere.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A symlink that points back at one of its own ancestors (or a cycle of links).
    SymlinkLoop {
        link: String,
        target: String,
    },
    Unreadable {
        rel: String,
        error: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct WatchTree {
    pub dirs: Vec<WatchedDir>,
    pub problems: Vec<Problem>,
    /// Symlinked directories air will not enter (follow_symlink = false).
    pub unfollowed_links: Vec<String>,
    /// The root itself is a hidden folder, which air skips like any other.
    pub hidden_root: bool,
}

impl WatchTree {
    pub fn watched_dirs(&self) -> usize {
        self.dirs.len()
    }

    pub fn files(&self) -> u64 {
        self.dirs.iter().map(|d| d.files).sum()
    }

    pub fn source_files(&self) -> u64 {
        self.dirs.iter().map(|d| d.source_files).sum()
    }

    /// (directories, files) in the subtree of each watched dir, including itself.
    pub fn subtree_totals(&self) -> Vec<(u64, u64)> {
        let mut totals: Vec<(u64, u64)> = self.dirs.iter().map(|d| (1, d.files)).collect();
        // Children always come after their parent, so one backward pass sums everything.
        for i in (0..self.dirs.len()).rev() {
            if let Some(p) = self.dirs[i].parent {
                totals[p].0 += totals[i].0;
                totals[p].1 += totals[i].1;
            }
        }
        totals
    }
}

/// The rules of one reloader, precomputed for a fast walk.
pub struct Rules {
    skip_exact: HashSet<String>,
    include_dir: Vec<String>,
    include_ext: Vec<String>,
    follow_symlink: bool,
}

impl Rules {
    pub fn air(c: &AirConfig) -> Rules {
        let mut skip_exact: HashSet<String> = c.excluded_dirs().collect();
        skip_exact.insert(c.tmp_rel());
        skip_exact.insert(c.testdata_rel());
        Rules {
            skip_exact,
            include_dir: c.build.include_dir.iter().map(|d| clean_rel(d)).collect(),
            include_ext: c.build.include_ext.clone(),
            follow_symlink: c.build.follow_symlink,
        }
    }

    /// Whether the walk enters `rel` (a non-root directory named `name`).
    fn enters(&self, rel: &str, name: &str) -> bool {
        if self.skip_exact.contains(rel) || name.starts_with('.') {
            return false;
        }
        self.include_dir.is_empty()
            || self
                .include_dir
                .iter()
                .any(|inc| is_within(rel, inc) || is_within(inc, rel))
    }

    /// Whether an entered directory gets a watch (with include_dir, its ancestors, the root
    /// included, are only walked through).
    fn watches(&self, rel: &str) -> bool {
        self.include_dir.is_empty() || self.include_dir.iter().any(|inc| is_within(rel, inc))
    }

    fn is_source(&self, name: &str) -> bool {
        name.rsplit_once('.')
            .is_some_and(|(_, ext)| self.include_ext.iter().any(|e| e == ext))
    }
}

/// `path` is `dir` or below it (both clean relative paths).
fn is_within(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || (path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/')
}

/// Walk `root` with `rules`. Never follows a symlink loop and never fails: what cannot be
/// read is recorded in [`WatchTree::problems`].
pub fn walk(root: &Path, rules: &Rules) -> WatchTree {
    let mut tree = WatchTree::default();
    if is_hidden(root) {
        // air skips a hidden directory at any depth, the root included: nothing is watched.
        tree.hidden_root = true;
        return tree;
    }
    let mut stack: Vec<(PathBuf, String, Option<usize>)> =
        vec![(root.to_path_buf(), ".".into(), None)];
    // Real directories entered through a symlink, to stop cycles when following links.
    let mut seen_real: HashSet<(u64, u64)> = HashSet::new();
    if let Ok(m) = fs::metadata(root) {
        seen_real.insert((m.dev(), m.ino()));
    }
    while let Some((path, rel, parent)) = stack.pop() {
        let entries = match fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) => {
                tree.problems.push(Problem::Unreadable {
                    rel,
                    error: e.to_string(),
                });
                continue;
            }
        };
        let watched = rules.watches(&rel);
        let index = if watched {
            tree.dirs.push(WatchedDir {
                rel: rel.clone(),
                parent,
                files: 0,
                source_files: 0,
            });
            Some(tree.dirs.len() - 1)
        } else {
            parent
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let child_rel = if rel == "." {
                name.to_string()
            } else {
                format!("{rel}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let is_dir = if kind.is_symlink() {
                match symlinked_dir(&entry.path()) {
                    LinkKind::NotDir => false,
                    LinkKind::Loop(target) => {
                        tree.problems.push(Problem::SymlinkLoop {
                            link: child_rel,
                            target,
                        });
                        continue;
                    }
                    LinkKind::Dir(real) => {
                        if !rules.follow_symlink {
                            if rules.enters(&child_rel, &name) {
                                tree.unfollowed_links.push(child_rel);
                            }
                            continue;
                        }
                        if !seen_real.insert(real) {
                            tree.problems.push(Problem::SymlinkLoop {
                                link: child_rel,
                                target: "a directory already being watched".into(),
                            });
                            continue;
                        }
                        true
                    }
                }
            } else {
                kind.is_dir()
            };
            if is_dir {
                if rules.enters(&child_rel, &name) {
                    stack.push((entry.path(), child_rel, index));
                }
            } else if let Some(i) = index.filter(|_| watched) {
                tree.dirs[i].files += 1;
                if rules.is_source(&name) {
                    tree.dirs[i].source_files += 1;
                }
            }
        }
    }
    tree
}

fn is_hidden(root: &Path) -> bool {
    let base = fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    base.is_some_and(|b| b.starts_with('.') && b != "..")
}

enum LinkKind {
    NotDir,
    Dir((u64, u64)),
    Loop(String),
}

/// Resolve a symlink: a directory (by device and inode), something else, or a loop (the
/// kernel's ELOOP, or a target that is an ancestor of the link).
fn symlinked_dir(link: &Path) -> LinkKind {
    let target = fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    match fs::metadata(link) {
        Err(e) if e.raw_os_error() == Some(nix::libc::ELOOP) => LinkKind::Loop(target),
        Err(_) => LinkKind::NotDir,
        Ok(m) if !m.is_dir() => LinkKind::NotDir,
        Ok(m) => {
            let real = fs::canonicalize(link).unwrap_or_default();
            let parent = link.parent().and_then(|p| fs::canonicalize(p).ok());
            let is_ancestor = parent.is_some_and(|p| p.starts_with(&real));
            if is_ancestor {
                LinkKind::Loop(target)
            } else {
                LinkKind::Dir((m.dev(), m.ino()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rd-tree-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn rels(t: &WatchTree) -> Vec<String> {
        let mut v: Vec<String> = t.dirs.iter().map(|d| d.rel.clone()).collect();
        v.sort();
        v
    }

    #[test]
    fn applies_air_rules() {
        let d = scratch("rules");
        for p in [
            "a/b",
            "tmp/x",
            ".git/objects",
            "vendor/m",
            "web/node_modules/x",
            "node_modules",
            "testdata",
        ] {
            fs::create_dir_all(d.join(p)).unwrap();
        }
        fs::write(d.join("main.go"), "").unwrap();
        fs::write(d.join("a/b/x.go"), "").unwrap();
        fs::write(d.join("a/readme.md"), "").unwrap();
        let mut c = AirConfig::default();
        c.build.exclude_dir.push("node_modules".into());
        let t = walk(&d, &Rules::air(&c));
        assert_eq!(
            rels(&t),
            vec![
                ".",
                "a",
                "a/b",
                "web",
                "web/node_modules",
                "web/node_modules/x"
            ]
        );
        assert_eq!(t.files(), 3);
        assert_eq!(t.source_files(), 2);
        let totals = t.subtree_totals();
        let root = t.dirs.iter().position(|d| d.rel == ".").unwrap();
        assert_eq!(totals[root], (6, 3));
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn hidden_root_watches_nothing() {
        let d = scratch("hidden").join(".proj");
        fs::create_dir_all(d.join("a")).unwrap();
        let t = walk(&d, &Rules::air(&AirConfig::default()));
        assert!(t.hidden_root);
        assert!(t.dirs.is_empty());
        fs::remove_dir_all(d.parent().unwrap()).unwrap();
    }

    #[test]
    fn include_dir_limits_watches() {
        let d = scratch("include");
        for p in ["cmd/api", "internal/x", "web"] {
            fs::create_dir_all(d.join(p)).unwrap();
        }
        let mut c = AirConfig::default();
        c.build.include_dir = vec!["internal".into(), "cmd/api".into()];
        let t = walk(&d, &Rules::air(&c));
        assert_eq!(rels(&t), vec!["cmd/api", "internal", "internal/x"]);
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn symlink_loops_are_reported_not_followed() {
        let d = scratch("loop");
        fs::create_dir_all(d.join("a/b")).unwrap();
        std::os::unix::fs::symlink("../..", d.join("a/b/up")).unwrap();
        std::os::unix::fs::symlink("self", d.join("self")).unwrap();
        for follow in [false, true] {
            let mut c = AirConfig::default();
            c.build.follow_symlink = follow;
            let t = walk(&d, &Rules::air(&c));
            assert_eq!(rels(&t), vec![".", "a", "a/b"]);
            assert_eq!(t.problems.len(), 2, "{:?}", t.problems);
        }
        fs::remove_dir_all(d).unwrap();
    }
}
