//! The build's own writes. A generator in the build (`go generate`, templ, a CSS step)
//! rewrites watched files while the build runs. Changes seen during a build are judged once
//! it ends, by content (see [`super::watch::Watch::judge`]); this module decides what the
//! changed ones mean: one more build, or a loop to stop.
//!
//! A build is *self-triggered* when every file that started it changed during the build
//! before. After the second self-triggered build in a row, files that change yet again are
//! the build's own output that never settles (a timestamp, a random id): their changes
//! during builds are ignored from then on, the app keeps serving, and the user is told once
//! which line to add to `.air.toml`. A change to them outside a build still rebuilds.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Self-triggered builds in a row after which the files that changed again are a loop.
const LOOP_AFTER: u32 = 2;

#[derive(Debug, Default)]
pub struct SelfWrites {
    /// Files whose content changed during an earlier build: a change to them while a build
    /// runs lets the build finish (it is most likely the build writing them again).
    written: HashSet<PathBuf>,
    /// Files every build rewrites with new content: ignored while a build runs.
    looping: BTreeSet<PathBuf>,
    /// The files whose content changed during the last finished build.
    last: HashSet<PathBuf>,
    /// How many self-triggered builds in a row the last finished build ended.
    last_chain: u32,
    /// The files that started the last finished build.
    last_paths: Vec<PathBuf>,
}

/// What the changes seen during one build come to.
#[derive(Debug, PartialEq)]
pub struct Verdict {
    /// Changes that ask for one more build.
    pub rebuild: Vec<PathBuf>,
    /// Files found looping by this build (empty unless this build found a loop).
    pub looping: Vec<PathBuf>,
}

impl SelfWrites {
    /// The self-triggered count of a build about to start for `paths` (0 for a full build
    /// or one with any change the last build did not make).
    pub fn chain_for(&self, paths: &[PathBuf], full: bool) -> u32 {
        let own = !full && !paths.is_empty() && paths.iter().all(|p| self.last.contains(p));
        if own {
            self.last_chain + 1
        } else {
            0
        }
    }

    /// A change to `path` while a build runs that is not worth even recording.
    pub fn ignored(&self, path: &Path) -> bool {
        self.looping.contains(path)
    }

    /// Whether a change to `path` during a build may cancel it: never the first build (it
    /// always gets to serve), never for a file a build wrote before, and only for a Go
    /// source, which the build reads; anything else (a template, CSS) lets the build finish,
    /// and one more follows.
    pub fn may_cancel(&self, path: &Path, first_build: bool) -> bool {
        !first_build && !self.written.contains(path) && path.extension().is_some_and(|e| e == "go")
    }

    /// A build of self-triggered count `chain`, started for `paths`, has ended (built,
    /// failed or cancelled); `changed` are the files whose content changed while it ran.
    pub fn after_build(&mut self, chain: u32, paths: &[PathBuf], changed: Vec<PathBuf>) -> Verdict {
        self.written.extend(changed.iter().cloned());
        self.last = changed.iter().cloned().collect();
        self.last_chain = chain;
        self.last_paths = paths.to_vec();
        let (looping, rebuild): (Vec<PathBuf>, Vec<PathBuf>) = if chain >= LOOP_AFTER {
            changed.into_iter().partition(|p| paths.contains(p))
        } else {
            (vec![], changed)
        };
        self.looping.extend(looping.iter().cloned());
        Verdict { rebuild, looping }
    }

    /// `path` got new content while the last build ran, and its event came only after the
    /// build ended (polling finds a write up to an interval later; inotify's reader can lag
    /// the build's exit under load): counted as one of that build's changes.
    pub fn late(&mut self, path: PathBuf) -> Verdict {
        self.written.insert(path.clone());
        self.last.insert(path.clone());
        if self.last_chain >= LOOP_AFTER && self.last_paths.contains(&path) {
            self.looping.insert(path.clone());
            return Verdict {
                rebuild: vec![],
                looping: vec![path],
            };
        }
        Verdict {
            rebuild: vec![path],
            looping: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &[&str]) -> Vec<PathBuf> {
        p.iter().map(PathBuf::from).collect()
    }

    /// A generator that writes a timestamp: the start-up build, then two self-triggered
    /// builds, then the loop is named and stopped. A real edit is never self-triggered.
    #[test]
    fn a_build_that_keeps_rewriting_a_file_is_a_loop_after_two_self_triggered_builds() {
        let mut s = SelfWrites::default();
        let stamp = paths(&["gen/stamp.go"]);
        assert_eq!(s.chain_for(&[], true), 0);
        let v = s.after_build(0, &[], stamp.clone());
        assert_eq!(v.rebuild, stamp);
        let chain = s.chain_for(&stamp, false);
        assert_eq!(chain, 1);
        let v = s.after_build(chain, &stamp, stamp.clone());
        assert_eq!((v.rebuild.clone(), v.looping.len()), (stamp.clone(), 0));
        let chain = s.chain_for(&stamp, false);
        assert_eq!(chain, 2);
        let v = s.after_build(chain, &stamp, stamp.clone());
        assert_eq!((v.rebuild.len(), v.looping), (0, stamp.clone()));
        assert!(s.ignored(Path::new("gen/stamp.go")));
        // A real edit: not self-triggered; the generated file is ignored during its build.
        assert_eq!(s.chain_for(&paths(&["main.go"]), false), 0);
    }

    #[test]
    fn a_change_during_a_build_cancels_only_a_later_build_for_an_unwritten_go_source() {
        let mut s = SelfWrites::default();
        assert!(!s.may_cancel(Path::new("main.go"), true), "first build");
        assert!(s.may_cancel(Path::new("main.go"), false));
        assert!(!s.may_cancel(Path::new("web/app.css"), false));
        s.after_build(0, &[], paths(&["gen.go"]));
        assert!(
            !s.may_cancel(Path::new("gen.go"), false),
            "written by a build"
        );
    }

    /// A generator whose writes are only ever seen after its build ended (polling) is still
    /// a loop after two self-triggered builds.
    #[test]
    fn late_changes_count_as_the_last_builds_own() {
        let mut s = SelfWrites::default();
        let stamp = paths(&["stamp.css"]);
        s.after_build(0, &[], vec![]);
        assert_eq!(s.late("stamp.css".into()).rebuild, stamp);
        for chain in 1..=2 {
            assert_eq!(s.chain_for(&stamp, false), chain);
            s.after_build(chain, &stamp, vec![]);
            let v = s.late("stamp.css".into());
            assert_eq!(v.looping.is_empty(), chain < 2, "{v:?}");
        }
        assert!(s.ignored(Path::new("stamp.css")));
    }

    /// A file edited during a build is rebuilt for once, and that build does not write it:
    /// no loop.
    #[test]
    fn an_edit_during_a_build_gives_one_more_build_and_no_loop() {
        let mut s = SelfWrites::default();
        let css = paths(&["web/app.css"]);
        s.after_build(0, &[], css.clone());
        let chain = s.chain_for(&css, false);
        let v = s.after_build(chain, &css, vec![]);
        assert_eq!(
            v,
            Verdict {
                rebuild: vec![],
                looping: vec![]
            }
        );
        assert_eq!(s.chain_for(&css, false), 0);
    }
}
