//! Which file events make a reloader rebuild, and how many rebuilds a burst causes.
//!
//! air v1.67.4, from `runner/engine.go` (the watcher goroutine in `watchPath`, and `start`)
//! and `runner/util.go`:
//! 1. `validEvent`: Create, Write, Remove or Rename. A Chmod-only event is dropped.
//! 2. An event for a directory only adds or removes watches.
//! 3. `isExcludeFile`: `filepath.Match(pattern, path relative to root)`.
//! 4. `isExcludeRegex`: Go regexp against the absolute path.
//! 5. `isIncludeExt` (`filepath.Ext(path) == "."+ext`, `*` = anything but the binary) or
//!    `checkIncludeFile` (exact root-relative path) must hold, else the event is dropped.
//!
//! Rename and Remove count like any other change: the old name of a renamed `main.go` is
//! still a `.go` path. `build.rules` are not modelled: reload-doctor does not read them yet.
//!
//! `reload-doctor run` applies air's rules with two differences of its own (listed in
//! `runner::DIFFERENCES`): editors' scratch files never trigger, and neither does the binary
//! its build writes, whatever `include_ext` holds.
//!
//! fresh (pilu/fresh 2019-08-26, `runner/utils.go` `isWatchedFile`, on howeyc/fsnotify
//! v0.9.0): every event counts, chmod too (howeyc's `IsModify` includes IN_ATTRIB); a path
//! whose absolute form starts with the absolute `tmp_path` string is dropped; otherwise
//! `filepath.Ext` must be one of `valid_ext` (dotted, comma-separated). howeyc also drops a
//! create or write event when the file is gone by the time it reads it; no replayed
//! source-file event is affected, so that is not modelled.
//!
//! Debounce, both: after the first trigger the reloader sleeps `delay` (`build_delay`) ms and
//! then drops everything queued meanwhile, so triggers less than that after the first are one
//! rebuild.

use crate::filepath::{clean, go_ext, go_match};
use crate::reloaders::air::config::{clean_rel, AirConfig};
use crate::reloaders::air::keys::BUILD_EXCLUDE_REGEX;
use crate::reloaders::air::runner::RunConfig;
use crate::system::fsevents::Op;
use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why an event did or did not trigger a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Trigger,
    Dropped(String),
}

/// One reloader's event rules for one project.
pub struct EventRules {
    /// `air`, `fresh` or `reload-doctor run`.
    pub reloader: &'static str,
    /// The setting that lists extensions (`include_ext`, `valid_ext`), for messages.
    pub ext_setting: &'static str,
    root: PathBuf,
    /// Dotted extensions (`.go`), or `*` for air's wildcard.
    exts: Vec<String>,
    include_file: Vec<String>,
    exclude_file: Vec<String>,
    exclude_regex: Vec<(String, Regex)>,
    bin: PathBuf,
    /// fresh: paths starting with this string are ignored.
    tmp_prefix: Option<String>,
    chmod_counts: bool,
    /// The runner's: editors' scratch files never trigger ([`is_editor_temp`]).
    ignores_editor_temp: bool,
    /// The runner's: the binary never triggers (air leaves it out under `*` only).
    ignores_binary: bool,
    pub delay: Duration,
}

/// Why an event is dropped; said in words by [`EventRules::judge`].
enum Why<'a> {
    Chmod,
    Directory,
    Tmp(&'a str),
    EditorTemp,
    Binary,
    ExcludeFile(&'a str),
    ExcludeRegex(&'a str),
    /// The extension (of the path judged) is not in the list.
    Extension,
}

/// Editors' scratch files, never a reason for the runner to rebuild: vim's `4913` probe and
/// swap files, backups, JetBrains safe-write files, Emacs lock files, gopls' umask probe.
fn is_editor_temp(name: &str) -> bool {
    name == "4913"
        || name.ends_with(".swp")
        || name.ends_with('~')
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with(".#")
        || name.ends_with("-go-tmp-umask")
}

/// `include_ext` entries as air compares them: dotted (`.go`), or `*`.
fn dotted(exts: &[String]) -> Vec<String> {
    exts.iter()
        .map(|e| match e.trim() {
            "*" => "*".to_string(),
            e => format!(".{e}"),
        })
        .collect()
}

impl EventRules {
    /// air's rules from `cfg` for a project watched from `root` (absolute), air started in
    /// `root` too. A regex Rust cannot compile is left out (air refuses to start on a regex
    /// Go cannot compile; that is the reloader-config check's business).
    pub fn air(cfg: &AirConfig, root: &Path) -> EventRules {
        EventRules::air_in(cfg, root, root)
    }

    /// [`EventRules::air`] for air started in `cwd` (the project folder) watching `root`:
    /// the binary `include_ext = ["*"]` leaves out is found from both.
    pub fn air_in(cfg: &AirConfig, root: &Path, cwd: &Path) -> EventRules {
        let b = &cfg.build;
        EventRules {
            reloader: "air",
            ext_setting: "include_ext",
            root: root.to_path_buf(),
            exts: dotted(&b.include_ext),
            include_file: b.include_file.clone(),
            exclude_file: b.exclude_file.clone(),
            exclude_regex: b
                .exclude_regex
                .iter()
                .filter_map(|r| Regex::new(r).ok().map(|re| (r.clone(), re)))
                .collect(),
            bin: cfg.bin_path(cwd, root),
            tmp_prefix: None,
            chmod_counts: false,
            ignores_editor_temp: false,
            ignores_binary: false,
            delay: Duration::from_millis(b.delay_ms),
        }
    }

    /// `reload-doctor run`'s rules for `c`, watching `root` (canonical): air's with the
    /// runner's differences (editors' scratch files and the binary never trigger,
    /// `include_file` entries are compared clean); a regex that does not compile is an error.
    pub fn runner(c: &RunConfig, root: &Path) -> Result<EventRules, String> {
        let b = &c.build;
        let exclude_regex = b
            .exclude_regex
            .iter()
            .map(|r| match Regex::new(r) {
                Ok(re) => Ok((r.clone(), re)),
                Err(e) => Err(format!("{} {r:?}: {e}", BUILD_EXCLUDE_REGEX.path)),
            })
            .collect::<Result<_, _>>()?;
        Ok(EventRules {
            reloader: "reload-doctor run",
            ext_setting: "include_ext",
            root: root.to_path_buf(),
            exts: dotted(&b.include_ext),
            include_file: b.include_file.iter().map(|f| clean_rel(f)).collect(),
            exclude_file: b.exclude_file.clone(),
            exclude_regex,
            bin: c.dir.join(&b.bin),
            tmp_prefix: None,
            chmod_counts: false,
            ignores_editor_temp: true,
            ignores_binary: true,
            delay: b.delay,
        })
    }

    /// fresh's rules from its settings ([`fresh_settings`]) for a project in `dir` (the
    /// folder fresh runs in; `root` and `tmp_path` are relative to it).
    pub fn fresh(settings: &HashMap<String, String>, dir: &Path) -> EventRules {
        let get = |k: &str| settings.get(k).map(String::as_str).unwrap_or_default();
        let root = dir.join(get("root"));
        EventRules {
            reloader: "fresh",
            ext_setting: "valid_ext",
            exts: get("valid_ext")
                .split(',')
                .map(|e| e.trim().to_string())
                .collect(),
            include_file: vec![],
            exclude_file: vec![],
            exclude_regex: vec![],
            bin: PathBuf::new(),
            tmp_prefix: Some(
                clean(&dir.join(get("tmp_path")))
                    .to_string_lossy()
                    .into_owned(),
            ),
            chmod_counts: true,
            ignores_editor_temp: false,
            ignores_binary: false,
            // strconv.Atoi: anything that is not a number is 0.
            delay: Duration::from_millis(get("build_delay").trim().parse().unwrap_or(0)),
            root,
        }
    }

    /// Judge one event for `path`, an absolute path under the root. `is_dir` says whether
    /// `os.Stat(path)` finds a directory when the reloader looks.
    pub fn judge(&self, op: Op, path: &Path, is_dir: bool) -> Verdict {
        let Some(why) = self.dropped(op, path, is_dir) else {
            return Verdict::Trigger;
        };
        Verdict::Dropped(match why {
            Why::Chmod => "air ignores chmod-only events".into(),
            Why::Directory => "a directory: air only updates its watches".into(),
            Why::Tmp(tmp) => format!("starts with tmp_path {tmp}"),
            Why::EditorTemp => "an editor's scratch file".into(),
            Why::Binary => "the binary the build writes".into(),
            Why::ExcludeFile(p) => format!("matches exclude_file \"{p}\""),
            Why::ExcludeRegex(r) => format!("matches exclude_regex \"{r}\""),
            Why::Extension => {
                let abs = clean(path).to_string_lossy().into_owned();
                let shown = match go_ext(&abs) {
                    "" => "no extension".into(),
                    ext => format!("extension \"{ext}\""),
                };
                format!("{shown} is not in {}", self.ext_setting)
            }
        })
    }

    /// Whether a write to `path` (absolute, under the root) triggers a build.
    pub fn wants(&self, path: &Path) -> bool {
        self.dropped(Op::Write, path, false).is_none()
    }

    fn dropped(&self, op: Op, path: &Path, is_dir: bool) -> Option<Why<'_>> {
        if op == Op::Chmod && !self.chmod_counts {
            return Some(Why::Chmod);
        }
        if is_dir && self.reloader != "fresh" {
            return Some(Why::Directory);
        }
        let abs = clean(path).to_string_lossy().into_owned();
        if let Some(tmp) = self.tmp_prefix.as_deref().filter(|t| abs.starts_with(t)) {
            return Some(Why::Tmp(tmp));
        }
        let name = abs.rsplit('/').next().unwrap_or(&abs);
        if self.ignores_editor_temp && is_editor_temp(name) {
            return Some(Why::EditorTemp);
        }
        if self.ignores_binary && Path::new(&abs) == self.bin {
            return Some(Why::Binary);
        }
        let rel = path
            .strip_prefix(&self.root)
            .map(|r| clean_rel(&r.to_string_lossy()))
            .unwrap_or_default();
        if let Some(p) = self.exclude_file.iter().find(|p| go_match(p, &rel)) {
            return Some(Why::ExcludeFile(p));
        }
        if let Some((r, _)) = self.exclude_regex.iter().find(|(_, re)| re.is_match(&abs)) {
            return Some(Why::ExcludeRegex(r));
        }
        let ext = go_ext(&abs);
        // air stops at the first `*` or matching entry, in list order.
        let ext_ok = self
            .exts
            .iter()
            .find(|e| *e == "*" || **e == ext)
            .is_some_and(|e| e != "*" || Path::new(&abs) != self.bin);
        (!ext_ok && !self.include_file.contains(&rel)).then_some(Why::Extension)
    }

    /// How many rebuilds triggers at `times` (sorted) cause.
    pub fn rebuilds(&self, times: &[Instant]) -> usize {
        let mut count = 0;
        let mut cycle_end: Option<Instant> = None;
        for &t in times {
            if cycle_end.is_none_or(|end| t >= end) {
                count += 1;
                cycle_end = Some(t + self.delay);
            }
        }
        count
    }
}

/// fresh's settings: its defaults overlaid with a `runner.conf` read the way fresh reads it
/// ([`crate::reloaders::fresh`]).
pub fn fresh_settings(conf: Option<&str>) -> HashMap<String, String> {
    let conf = crate::reloaders::fresh::parse(conf.unwrap_or_default());
    crate::reloaders::fresh::KEYS
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .chain(conf.settings.into_iter().map(|s| (s.key, s.value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(cfg: &AirConfig) -> EventRules {
        EventRules::air(cfg, Path::new("/p"))
    }

    fn judge(r: &EventRules, op: Op, rel: &str) -> Verdict {
        r.judge(op, &Path::new("/p").join(rel), false)
    }

    #[test]
    fn default_rules() {
        let r = rules(&AirConfig::default());
        assert_eq!(judge(&r, Op::Write, "main.go"), Verdict::Trigger);
        assert_eq!(judge(&r, Op::Rename, "main.go"), Verdict::Trigger);
        assert_eq!(judge(&r, Op::Remove, "web/index.html"), Verdict::Trigger);
        assert_eq!(judge(&r, Op::Create, ".#main.go"), Verdict::Trigger);
        assert!(
            matches!(judge(&r, Op::Chmod, "main.go"), Verdict::Dropped(w) if w.contains("chmod"))
        );
        assert!(
            matches!(judge(&r, Op::Write, "main_test.go"), Verdict::Dropped(w) if w.contains("_test.go"))
        );
        assert!(
            matches!(judge(&r, Op::Create, "4913"), Verdict::Dropped(w) if w.contains("no extension"))
        );
        assert!(
            matches!(judge(&r, Op::Create, "main.go~"), Verdict::Dropped(w) if w.contains("\".go~\""))
        );
        assert!(matches!(
            r.judge(Op::Create, Path::new("/p/sub"), true),
            Verdict::Dropped(_)
        ));
    }

    #[test]
    fn configured_rules() {
        let mut c = AirConfig::default();
        c.build.include_ext = vec!["html".into(), "*".into()];
        c.build.exclude_file = vec!["gen/*.go".into()];
        c.build.exclude_regex = vec!["/\\.#".into(), "(".into()];
        let r = rules(&c);
        assert_eq!(judge(&r, Op::Write, "Makefile"), Verdict::Trigger);
        assert!(matches!(
            judge(&r, Op::Write, "tmp/main"),
            Verdict::Dropped(_)
        ));
        assert!(
            matches!(judge(&r, Op::Write, "gen/x.go"), Verdict::Dropped(w) if w.contains("exclude_file"))
        );
        assert!(
            matches!(judge(&r, Op::Create, ".#main.go"), Verdict::Dropped(w) if w.contains("exclude_regex"))
        );
        c.build.include_ext = vec!["html".into()];
        c.build.include_file = vec!["go.mod".into()];
        let r = rules(&c);
        assert_eq!(judge(&r, Op::Write, "go.mod"), Verdict::Trigger);
        assert!(
            matches!(judge(&r, Op::Write, "main.go"), Verdict::Dropped(w) if w.contains("include_ext"))
        );
    }

    #[test]
    fn wildcard_leaves_out_the_binary_air_names() {
        let mut c = AirConfig::default();
        c.build.include_ext = vec!["*".into()];
        c.build.bin = "./app".into();
        let r = rules(&c);
        assert!(matches!(judge(&r, Op::Write, "app"), Verdict::Dropped(_)));
        // With full_bin, air takes the whole line as the path: the real binary triggers.
        c.build.full_bin = "APP_ENV=dev ./app".into();
        assert_eq!(judge(&rules(&c), Op::Write, "app"), Verdict::Trigger);
        // The first `*` or matching entry decides.
        c.build.full_bin.clear();
        c.build.include_ext = vec!["html".into(), "*".into()];
        assert!(matches!(
            judge(&rules(&c), Op::Write, "app"),
            Verdict::Dropped(_)
        ));
    }

    #[test]
    fn fresh_rules() {
        let conf = "root: .\nvalid_ext: .go, .html # comment\ntmp_path = ./build\nbuild_delay: 300\n[other]\nbuild_delay: 5\n";
        let s = fresh_settings(Some(conf));
        assert_eq!(s["valid_ext"], ".go, .html");
        assert_eq!(s["build_delay"], "300");
        let r = EventRules::fresh(&s, Path::new("/p"));
        assert_eq!(r.delay, Duration::from_millis(300));
        assert_eq!(judge(&r, Op::Chmod, "main.go"), Verdict::Trigger);
        assert_eq!(judge(&r, Op::Create, ".#main.go"), Verdict::Trigger);
        assert!(
            matches!(judge(&r, Op::Write, "build/x.go"), Verdict::Dropped(w) if w.contains("tmp_path /p/build"))
        );
        // fresh compares strings: ./buildings/x.go starts with /p/build too.
        assert!(matches!(
            judge(&r, Op::Write, "buildings/x.go"),
            Verdict::Dropped(_)
        ));
        assert!(
            matches!(judge(&r, Op::Write, "x.tmpl"), Verdict::Dropped(w) if w.contains("valid_ext"))
        );
        // The last line without a newline is never read.
        let s = fresh_settings(Some("valid_ext: .go\nbuild_delay: 50"));
        assert_eq!(s["build_delay"], "600");
        assert_eq!(fresh_settings(None)["valid_ext"], ".go, .tpl, .tmpl, .html");
    }

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

    /// The runner's rules are air's with its documented differences.
    #[test]
    fn runner_rules_are_airs_with_its_differences() {
        let p = Path::new("/p");
        let mut c = RunConfig::defaults(p);
        let wants =
            |c: &RunConfig, rel: &str| EventRules::runner(c, p).unwrap().wants(&p.join(rel));
        assert!(wants(&c, "main.go") && wants(&c, "web/x.tmpl"));
        assert!(!wants(&c, "main_test.go") && !wants(&c, "README.md"));
        // Editors' scratch files and the binary never trigger, even under `*`.
        c.build.include_ext = vec!["*".into()];
        assert!(wants(&c, "Makefile"));
        for rel in [".#main.go", "4913", "main.go~", "tmp/main"] {
            assert!(!wants(&c, rel), "{rel}");
        }
        // `_test\\.go$` is a regex of its own: `x_testago` is no test file.
        assert!(wants(&c, "x_testago"));
        c.build.include_ext = vec!["html".into()];
        c.build.include_file = vec!["./go.mod".into()];
        c.build.exclude_file = vec!["gen/*.html".into()];
        assert!(wants(&c, "go.mod") && !wants(&c, "main.go"));
        assert!(wants(&c, "a.html") && !wants(&c, "gen/a.html"));
        c.build.exclude_regex = vec!["(".into()];
        let e = EventRules::runner(&c, p).err().unwrap();
        assert!(e.starts_with("build.exclude_regex \"(\""), "{e}");
    }

    #[test]
    fn debounce_counts_bursts() {
        let r = rules(&AirConfig::default());
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        assert_eq!(r.rebuilds(&[]), 0);
        assert_eq!(r.rebuilds(&[ms(0), ms(5), ms(999)]), 1);
        assert_eq!(r.rebuilds(&[ms(0), ms(999), ms(1000), ms(1500)]), 2);
        assert_eq!(r.rebuilds(&[ms(0), ms(1000), ms(2000)]), 3);
    }
}
