//! The directory tree a reloader watches, walked with the reloader's own rules.
//!
//! air (engine.go `watching`) walks from `root` and skips, in order: `tmp_dir`, `testdata_dir`,
//! hidden directories (name starts with `.`), `exclude_dir` entries compared as clean
//! root-relative paths (so a bare `node_modules` only matches the top-level one), and
//! directories outside `include_dir` when that is set. `include_dir` entries outside the root
//! are walked too. The walk uses lstat, so it never enters a symlinked directory: only the
//! checksum walk of `exclude_unchanged = true` acts on `follow_symlink = true`, and it then
//! watches the link's target folder alone (by its real path), not the folders below it.
//! Every directory kept costs one inotify watch.

use crate::filepath::{clean, clean_str as go_clean};
use crate::reloaders::air::config::{clean_rel, AirConfig};
use crate::reloaders::air::runner::RunConfig;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

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

    /// Add the folders of another walk (of a folder outside this one's subtrees).
    fn append(&mut self, other: WatchTree) {
        let offset = self.dirs.len();
        self.dirs.extend(other.dirs.into_iter().map(|mut d| {
            d.parent = d.parent.map(|p| p + offset);
            d
        }));
        self.problems.extend(other.problems);
        self.unfollowed_links.extend(other.unfollowed_links);
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
    /// `include_dir` entries outside the root, which air walks as roots of their own
    /// (`extraIncludeDirs`): `../shared`, or an absolute path.
    extra_roots: Vec<String>,
    include_ext: Vec<String>,
    follow_symlink: bool,
    /// air's way with a followed link: watch the target folder only, do not walk it.
    link_target_only: bool,
}

impl Rules {
    /// air's rules for relative `include_dir` entries inside the root; [`Rules::air_in`]
    /// knows the root and also takes absolute entries and entries outside it.
    pub fn air(c: &AirConfig) -> Rules {
        let mut skip_exact: HashSet<String> = c.excluded_dirs().collect();
        skip_exact.insert(c.tmp_rel());
        skip_exact.insert(c.testdata_rel());
        Rules {
            skip_exact,
            include_dir: c.build.include_dir.iter().map(|d| clean_rel(d)).collect(),
            extra_roots: vec![],
            include_ext: c.build.include_ext.clone(),
            follow_symlink: c.build.follow_symlink && c.build.exclude_unchanged,
            link_target_only: true,
        }
    }

    /// air's rules for a walk of `root` (absolute, clean), as `normalizeIncludeDirs` sorts
    /// `include_dir`: entries inside the root limit the walk, entries outside it are walked
    /// as well, whole.
    pub fn air_in(c: &AirConfig, root: &Path) -> Rules {
        let mut rules = Rules::air(c);
        rules.include_dir.clear();
        let root = root.to_string_lossy();
        for d in &c.build.include_dir {
            let d = d.trim();
            let d = d.strip_suffix('/').unwrap_or(d);
            if d.is_empty() {
                continue;
            }
            let abs = if d.starts_with('/') {
                go_clean(d)
            } else {
                go_clean(&format!("{root}/{d}"))
            };
            match abs.strip_prefix(root.as_ref()) {
                Some("") => rules.include_dir.push(".".into()),
                Some(rest) if rest.starts_with('/') => rules.include_dir.push(rest[1..].into()),
                _ => rules.extra_roots.push(relative_outside(&root, &abs)),
            }
        }
        rules
    }

    /// `reload-doctor run`'s rules for `c`: air's, with the runner's differences
    /// (`runner::DIFFERENCES`): an `exclude_dir` entry is compared clean (`./vendor` works),
    /// and `follow_symlink` alone follows a symlinked folder, into the folders below it.
    pub fn runner(c: &RunConfig) -> Rules {
        let b = &c.build;
        let skip = b.exclude_dir.iter().map(|d| clean_rel(d.trim()));
        Rules::new(
            skip.chain([clean_rel(&c.tmp_dir), clean_rel(&c.testdata_dir)]),
            b.include_dir.iter().map(|d| clean_rel(d)).collect(),
            b.include_ext.clone(),
            b.follow_symlink,
        )
    }

    /// Rules from plain lists: `skip` holds clean root-relative directories never entered
    /// (exclude_dir, tmp_dir, testdata_dir), `include_dir` clean root-relative directories;
    /// a followed link is walked like any folder.
    pub fn new(
        skip: impl IntoIterator<Item = String>,
        include_dir: Vec<String>,
        include_ext: Vec<String>,
        follow_symlink: bool,
    ) -> Rules {
        Rules {
            skip_exact: skip.into_iter().collect(),
            include_dir,
            extra_roots: vec![],
            include_ext,
            follow_symlink,
            link_target_only: false,
        }
    }

    /// Whether the walk enters `rel` (a non-root directory named `name`).
    pub fn enters(&self, rel: &str, name: &str) -> bool {
        if self.skip_exact.contains(rel) || name.starts_with('.') {
            return false;
        }
        self.include_dir.is_empty()
            || is_outside(rel)
            || self
                .include_dir
                .iter()
                .any(|inc| is_within(rel, inc) || is_within(inc, rel))
    }

    /// Whether an entered directory gets a watch (with include_dir, its ancestors, the root
    /// included, are only walked through; outside the root, everything walked is watched).
    pub fn watches(&self, rel: &str) -> bool {
        self.include_dir.is_empty()
            || is_outside(rel)
            || self.include_dir.iter().any(|inc| is_within(rel, inc))
    }

    /// Whether a file named `name` has one of the included extensions.
    pub fn is_source(&self, name: &str) -> bool {
        name.rsplit_once('.')
            .is_some_and(|(_, ext)| self.include_ext.iter().any(|e| e == ext))
    }
}

/// A walked path outside the root (`../shared/x`, or absolute): air's `checkIncludeDir`
/// takes everything there.
fn is_outside(rel: &str) -> bool {
    rel == ".." || rel.starts_with("../") || rel.starts_with('/')
}

/// `abs` (outside `root`, both absolute and clean) as a path relative to `root`, like Go's
/// `filepath.Rel`: `../shared`.
fn relative_outside(root: &str, abs: &str) -> String {
    let r: Vec<&str> = root.split('/').filter(|s| !s.is_empty()).collect();
    let a: Vec<&str> = abs.split('/').filter(|s| !s.is_empty()).collect();
    let common = r.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let mut parts = vec![".."; r.len() - common];
    parts.extend(&a[common..]);
    parts.join("/")
}

/// `path` is `dir` or below it (both clean relative paths).
fn is_within(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || (path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/')
}

/// Walk `root` with `rules`. Never follows a symlink loop and never fails: what cannot be
/// read is recorded in [`WatchTree::problems`].
///
/// Reading directories is syscall-bound, so the walk shares a queue of directories between
/// a few threads; the results are merged and ordered parent-before-child afterwards.
pub fn walk(root: &Path, rules: &Rules) -> WatchTree {
    let mut tree = if is_hidden(root) {
        // air skips a hidden directory at any depth, the root included: nothing is watched.
        WatchTree {
            hidden_root: true,
            ..Default::default()
        }
    } else {
        walk_from(root, ".", rules)
    };
    for extra in &rules.extra_roots {
        let name = extra.rsplit('/').next().unwrap_or(extra);
        // air skips an include_dir outside the root that does not exist.
        let path = clean(&root.join(extra));
        if path.is_dir() && rules.enters(extra, name) {
            tree.append(walk_from(root, extra, rules));
        }
    }
    tree
}

/// Walk the subtree at `rel` (a clean root-relative path the caller has checked with
/// [`Rules::enters`]) as [`walk`] would have: for a directory created after the first walk,
/// or a root walked whatever its name. Each directory's `rel` stays relative to `root`.
pub fn walk_from(root: &Path, rel: &str, rules: &Rules) -> WatchTree {
    // Lexically clean: `root/../shared` must resolve even when the root does not exist.
    let start = if rel == "." {
        root.to_path_buf()
    } else {
        clean(&root.join(rel))
    };
    let shared = Shared {
        queue: Mutex::new(Queue {
            jobs: vec![(start.clone(), rel.into())],
            busy: 0,
        }),
        wake: Condvar::new(),
        seen_real: Mutex::new(HashSet::new()),
        real_root: fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
    };
    if let Ok(m) = fs::metadata(&start) {
        shared.seen_real.lock().unwrap().insert((m.dev(), m.ino()));
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| worker(&shared, rules)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    merge(parts)
}

type Job = (PathBuf, String);

struct Queue {
    jobs: Vec<Job>,
    /// Workers holding a job; the walk is over when no jobs are left and none is busy.
    busy: usize,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
    /// Real directories entered through a symlink, to stop cycles when following links.
    seen_real: Mutex<HashSet<(u64, u64)>>,
    /// The walk's root with links resolved, to name a followed link's target.
    real_root: PathBuf,
}

/// What one worker found: watched directories as (rel, files, source files).
#[derive(Default)]
struct Part {
    dirs: Vec<(String, u64, u64)>,
    problems: Vec<Problem>,
    unfollowed_links: Vec<String>,
}

fn worker(shared: &Shared, rules: &Rules) -> Part {
    let mut part = Part::default();
    loop {
        let job = {
            let mut q = shared.queue.lock().unwrap();
            loop {
                if let Some(job) = q.jobs.pop() {
                    q.busy += 1;
                    break Some(job);
                }
                if q.busy == 0 {
                    break None;
                }
                q = shared.wake.wait(q).unwrap();
            }
        };
        let Some((path, rel)) = job else {
            shared.wake.notify_all();
            return part;
        };
        let children = read_one(&path, rel, rules, shared, &mut part);
        let mut q = shared.queue.lock().unwrap();
        q.jobs.extend(children);
        q.busy -= 1;
        drop(q);
        shared.wake.notify_all();
    }
}

/// Read one directory: count its files when watched, and return the subdirectories to enter.
fn read_one(path: &Path, rel: String, rules: &Rules, shared: &Shared, part: &mut Part) -> Vec<Job> {
    let entries = match fs::read_dir(path) {
        Ok(e) => e,
        Err(e) => {
            part.problems.push(Problem::Unreadable {
                rel,
                error: e.to_string(),
            });
            return vec![];
        }
    };
    let watched = rules.watches(&rel);
    let (mut files, mut sources) = (0, 0);
    let mut children = vec![];
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let child_rel = || {
            if rel == "." {
                name.to_string()
            } else {
                format!("{rel}/{name}")
            }
        };
        let is_dir = if kind.is_symlink() {
            match symlinked_dir(&entry.path()) {
                LinkKind::NotDir => false,
                LinkKind::Loop(target) => {
                    let link = child_rel();
                    // air watches the target anyway, and its checksum walk then finds the
                    // link again, without end.
                    if rules.follow_symlink
                        && rules.link_target_only
                        && watched
                        && rules.enters(&link, &name)
                    {
                        watch_link_target(&entry.path(), shared, rules, part);
                    }
                    part.problems.push(Problem::SymlinkLoop { link, target });
                    continue;
                }
                LinkKind::Dir(real) => {
                    let link = child_rel();
                    if !rules.follow_symlink {
                        if rules.enters(&link, &name) {
                            part.unfollowed_links.push(link);
                        }
                        continue;
                    }
                    if rules.link_target_only {
                        if watched && rules.enters(&link, &name) {
                            watch_link_target(&entry.path(), shared, rules, part);
                        }
                        continue;
                    }
                    if !shared.seen_real.lock().unwrap().insert(real) {
                        part.problems.push(Problem::SymlinkLoop {
                            link,
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
            let child = child_rel();
            if rules.enters(&child, &name) {
                children.push((entry.path(), child));
            }
        } else if watched {
            files += 1;
            if rules.is_source(&name) {
                sources += 1;
            }
        }
    }
    if watched {
        part.dirs.push((rel, files, sources));
    }
    children
}

/// air's checksum walk on a followed link: one watch on the target folder, named by its real
/// path relative to the root.
fn watch_link_target(link: &Path, shared: &Shared, rules: &Rules, part: &mut Part) {
    let Ok(target) = fs::canonicalize(link) else {
        return;
    };
    let root = go_clean(&shared.real_root.to_string_lossy());
    let target = target.to_string_lossy();
    let rel = match target.strip_prefix(&root) {
        Some("") => ".".to_string(),
        Some(rest) if rest.starts_with('/') => rest[1..].to_string(),
        _ => relative_outside(&root, &target),
    };
    let (mut files, mut sources) = (0, 0);
    for entry in fs::read_dir(link).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|t| !t.is_dir()) {
            files += 1;
            if rules.is_source(&entry.file_name().to_string_lossy()) {
                sources += 1;
            }
        }
    }
    part.dirs.push((rel, files, sources));
}

/// Join the workers' parts into one tree whose parents come before their children.
fn merge(parts: Vec<Part>) -> WatchTree {
    let mut tree = WatchTree::default();
    let mut found = vec![];
    for p in parts {
        found.extend(p.dirs);
        tree.problems.extend(p.problems);
        tree.unfollowed_links.extend(p.unfollowed_links);
    }
    let depth = |rel: &str| {
        if rel == "." {
            0
        } else {
            rel.matches('/').count() + 1
        }
    };
    found.sort_by(|a, b| depth(&a.0).cmp(&depth(&b.0)).then_with(|| a.0.cmp(&b.0)));
    tree.problems.sort_by_key(|p| format!("{p:?}"));
    tree.unfollowed_links.sort();
    let mut index: HashMap<String, usize> = HashMap::with_capacity(found.len());
    for (rel, files, source_files) in found {
        if index.contains_key(&rel) {
            // A link target already watched as itself.
            continue;
        }
        // The nearest watched ancestor (with include_dir, some ancestors are only walked).
        let mut parent = None;
        let mut up = rel.as_str();
        while parent.is_none() && up != "." {
            up = up.rsplit_once('/').map_or(".", |(p, _)| p);
            parent = index.get(up).copied();
        }
        index.insert(rel.clone(), tree.dirs.len());
        tree.dirs.push(WatchedDir {
            rel,
            parent,
            files,
            source_files,
        });
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
    fn walk_from_a_new_subdirectory_keeps_root_relative_paths() {
        let d = scratch("from");
        for p in ["a/new/x", "a/new/tmp", "a/new/.git"] {
            fs::create_dir_all(d.join(p)).unwrap();
        }
        fs::write(d.join("a/new/x/y.go"), "").unwrap();
        let rules = Rules::new(["a/new/tmp".to_string()], vec![], vec!["go".into()], false);
        assert!(rules.enters("a/new", "new"));
        let t = walk_from(&d, "a/new", &rules);
        assert_eq!(rels(&t), vec!["a/new", "a/new/x"]);
        assert_eq!(t.source_files(), 1);
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
    fn follow_symlink_needs_exclude_unchanged_and_watches_the_target_only() {
        let d = scratch("follow");
        fs::create_dir_all(d.join("p/a")).unwrap();
        fs::create_dir_all(d.join("shared/deep")).unwrap();
        std::os::unix::fs::symlink("../shared", d.join("p/linked")).unwrap();
        let root = fs::canonicalize(d.join("p")).unwrap();
        let mut c = AirConfig::default();
        c.build.follow_symlink = true;
        let t = walk(&root, &Rules::air_in(&c, &root));
        assert_eq!(rels(&t), vec![".", "a"]);
        c.build.exclude_unchanged = true;
        let t = walk(&root, &Rules::air_in(&c, &root));
        assert_eq!(rels(&t), vec![".", "../shared", "a"]);
        fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn include_dir_outside_the_root_and_absolute_are_walked() {
        let d = scratch("outside");
        for p in ["p/cmd", "p/web", "shared/x"] {
            fs::create_dir_all(d.join(p)).unwrap();
        }
        let root = fs::canonicalize(d.join("p")).unwrap();
        let mut c = AirConfig::default();
        c.build.include_dir = vec!["../shared".into(), format!("{}/cmd", root.display())];
        let t = walk(&root, &Rules::air_in(&c, &root));
        assert_eq!(rels(&t), vec!["../shared", "../shared/x", "cmd"]);
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
