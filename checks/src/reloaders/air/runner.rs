//! `reload-doctor run`'s view of `.air.toml`: air's keys, read from the one parse
//! ([`Written`]) by the runner's rule over the key table ([`super::keys`]): a flag, else the
//! value as written, else the runner's default.
//!
//! air merges the file onto its defaults and drops zero values (`delay = 0` still waits 1 s);
//! [`super::config`] models that on purpose, to diagnose air. The runner is a different
//! program: an explicit value is used as written, and an unset key gets a better default where
//! the table gives one (a 50 ms delay overlapped with the build, SIGTERM with a 5 s grace period). Every
//! difference from air is listed in [`DIFFERENCES`], which the README quotes.

use super::config::clean_rel;
use super::keys::{self, Key, Problem, Run, KEYS};
use super::keys::{
    BUILD_ARGS_BIN, BUILD_BIN, BUILD_CMD, BUILD_DELAY, BUILD_ENTRYPOINT, BUILD_EXCLUDE_DIR,
    BUILD_EXCLUDE_FILE, BUILD_EXCLUDE_REGEX, BUILD_EXCLUDE_UNCHANGED, BUILD_FOLLOW_SYMLINK,
    BUILD_FULL_BIN, BUILD_INCLUDE_DIR, BUILD_INCLUDE_EXT, BUILD_INCLUDE_FILE, BUILD_KILL_DELAY,
    BUILD_LOG, BUILD_POLL, BUILD_POLL_INTERVAL, BUILD_POST_CMD, BUILD_PRE_CMD, BUILD_RERUN,
    BUILD_RERUN_DELAY, BUILD_SEND_INTERRUPT, BUILD_STOP_ON_ERROR, ENV_FILES, LOG_MAIN_ONLY,
    LOG_SILENT, LOG_TIME, PROXY_APP_PORT, PROXY_APP_START_TIMEOUT, PROXY_ENABLED, PROXY_PROXY_PORT,
    ROOT, SCREEN_CLEAR_ON_REBUILD, SCREEN_KEEP_SCROLL, TESTDATA_DIR, TMP_DIR,
};
use super::written::Written;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml_edit::{Item, Value};

/// Every way `reload-doctor run` reads a config differently from air v1.67.4.
pub const DIFFERENCES: &[&str] = &[
    "explicit zero values are used: `delay = 0`, `rerun_delay = 0`, `kill_delay = 0`, `tmp_dir = \"\"` mean what they say (air replaces them with its defaults)",
    "`delay` defaults to 50 ms, and overlaps the build: the build starts once changes pause for 50 ms (or `delay`, if shorter), and the app restarts when the build of the latest files is done and `delay` has passed since the first change; a change within `delay` builds again. The app serves the files air would serve, after max(delay, build) instead of air's delay + build (air sleeps `delay` after the first event, then builds); `--air-timing` gives air's timing back",
    "the app is stopped with SIGTERM (SIGINT with `send_interrupt = true`) to its whole process group, then SIGKILL after `kill_delay` (default 5 s); air sends SIGKILL at once unless `send_interrupt` is set, and waits at most 5 s",
    "`kill_delay` is milliseconds when an integer, or a Go duration string (`\"500ms\"`, `\"1m30s\"`)",
    "a failed build leaves the running app untouched (air restarts the old binary); `stop_on_error = true` stops it",
    "a failing `pre_cmd` fails the build (air logs it and builds anyway unless `stop_on_error`)",
    "a change made during a build is judged by content when the build ends: a file the build rewrote with the same bytes is no change, and a file every build rewrites with new content is named once as a rebuild loop and then ignored while building (air rebuilds forever); only a new content of a `.go` source cancels a running build, never the first build (air lets every build finish)",
    "`exclude_dir` also excludes `node_modules` by default, and a leading `./` is ignored (`./vendor` works)",
    "`exclude_regex` defaults to `_test\\.go$` (air's `_test.go` is a regex whose `.` matches any character)",
    "editor temp files are ignored: `4913`, `*.swp`, `*~`, `*___jb_tmp___`, `*___jb_old___`, `.#*`, `*-go-tmp-umask`",
    "`follow_symlink = true` alone follows a symlinked folder and watches the folders below it (air needs `exclude_unchanged = true` too, and then watches the link's target folder alone)",
    "a leading `./` is ignored in `include_file` too (`./go.mod` works), and the binary the build writes never triggers a build (air leaves it out only with `include_ext = [\"*\"]`)",
    "Chmod-only events are ignored like air, and so are reads (inotify IN_OPEN)",
    "lost file events (an inotify queue overflow) give one full rebuild when a source or folder changed since the last build started (air logs the error and the change is missed)",
    "`cmd`, `pre_cmd`, `post_cmd` and relative `bin`/`entrypoint` paths are run from the project folder, not the CWD",
    "the app is run without a shell unless `full_bin` is set, so arguments are passed as given (air joins them unquoted into `sh -c`)",
    "`poll_interval` is used as written down to 20 ms, raised to 20 ms below that with a note when polling (air raises anything below 500 ms to 500 ms); unset or 0 (what `air init` writes) means 500 ms",
    "`build.log` is written fresh on each failed build (air appends)",
    "a busy port is waited for, and its holder named, before the app starts; the app counts as started when it listens, on whatever port",
    "`--build.kill_delay 1m30s` (any Go duration) works on the command line (air parses only integer nanoseconds there); bool flags may omit the value (`--build.poll`)",
    "a flag always overrides the file, also when it equals air's default (air ignores `--build.delay 1000` over `delay = 500`); flags take two dashes (`--build.cmd`, not `-build.cmd`)",
    "a hidden project root (`~/.proj`) is watched (air watches nothing there)",
    "unknown keys are reported (air ignores them silently), by the reloader-config check before the first build, by the runner itself with `--no-checks`; `[color]`, `[misc]` and `build.rules` are read but not used",
    "`[proxy] enabled = true` starts the runner's own proxy on `proxy_port` (as `--proxy` with `--live-reload`): requests wait for the new app during a rebuild (up to `app_start_timeout`, else 30 s; air: 5 s), a failed build shows a 502 page naming it, and HTML pages reload through the runner's script instead of air's `/__air_internal/sse`",
];

/// How the app is asked to stop before SIGKILL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopSignal {
    Term,
    Interrupt,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// The folder the config was found in (or `--project`); commands run here.
    pub dir: PathBuf,
    /// The config file read, if any.
    pub file: Option<PathBuf>,
    pub root: String,
    pub tmp_dir: String,
    pub testdata_dir: String,
    pub env_files: Vec<String>,
    pub build: Build,
    pub log: Log,
    pub screen: Screen,
    pub proxy: AirProxy,
    /// Keys that were ignored, with where they are.
    pub warnings: Vec<String>,
    /// Sections read but of no effect on the runner (air's own display settings).
    pub notes: Vec<String>,
    /// Keys air does not know, each with its line: said by the reloader-config check when
    /// the preflight runs, else by the runner.
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub cmd: String,
    pub bin: String,
    pub entrypoint: Vec<String>,
    pub full_bin: String,
    pub args_bin: Vec<String>,
    pub pre_cmd: Vec<String>,
    pub post_cmd: Vec<String>,
    pub log: String,
    pub include_ext: Vec<String>,
    pub include_dir: Vec<String>,
    pub include_file: Vec<String>,
    pub exclude_dir: Vec<String>,
    pub exclude_file: Vec<String>,
    pub exclude_regex: Vec<String>,
    pub exclude_unchanged: bool,
    pub follow_symlink: bool,
    pub poll: bool,
    pub poll_interval: Duration,
    pub delay: Duration,
    pub stop_on_error: bool,
    pub stop_signal: StopSignal,
    pub kill_delay: Duration,
    pub rerun: bool,
    pub rerun_delay: Duration,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Log {
    pub time: bool,
    pub main_only: bool,
    pub silent: bool,
}

/// air's `[proxy]`: with `enabled`, the runner serves on `proxy_port` as `--proxy` does, with
/// live reload (air injects its reload script into HTML pages the same way).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AirProxy {
    pub enabled: bool,
    pub proxy_port: u16,
    pub app_port: u16,
    /// How long a request waits for the app (0: unset).
    pub app_start_timeout: Duration,
}

impl AirProxy {
    /// The port to serve on when the proxy is on: air starts it only with `enabled`, and with
    /// `proxy_port` 0 (or unset) on a port the kernel picks (v1.67.4's `NewProxy` listens on
    /// `:0`), which the runner does too, and names.
    pub fn listen(&self) -> Option<u16> {
        self.enabled.then_some(self.proxy_port)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    pub clear_on_rebuild: bool,
    pub keep_scroll: bool,
}

impl RunConfig {
    /// The runner's defaults for a project in `dir`.
    pub fn defaults(dir: &Path) -> RunConfig {
        RunConfig::read(dir, None, &Written::empty(), &[])
            .expect("the runner's defaults convert (a unit test reads each)")
    }

    /// Find and read the config for a project in `dir` (`config` overrides the search: air's
    /// `-c`), with command-line `flags` (dotted key, value) over it.
    pub fn load(
        dir: &Path,
        config: Option<&Path>,
        flags: &[(&str, String)],
    ) -> Result<RunConfig, String> {
        let file = match config {
            Some(p) => Some(dir.join(p)),
            None => [".air.toml", ".config/air.toml"]
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file()),
        };
        let Some(path) = file else {
            return RunConfig::read(dir, None, &Written::empty(), flags);
        };
        let text = crate::system::files::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let w = Written::parse(&text)
            .map_err(|e| format!("{}:{}", path.display(), syntax_error(&text, &e)))?;
        RunConfig::read(dir, Some(&path), &w, flags)
    }

    /// The runner's view of the file `w` (read from `file`, if any) with `flags` over it.
    /// An error names the file and line, or the flag.
    pub fn read(
        dir: &Path,
        file: Option<&Path>,
        w: &Written,
        flags: &[(&str, String)],
    ) -> Result<RunConfig, String> {
        if let Some((key, _)) = flags
            .iter()
            .find(|(k, _)| !keys::find(k).is_some_and(|k| matches!(k.run, Run::Flag { .. })))
        {
            return Err(format!("--{key}: not a setting the runner knows"));
        }
        RunConfig::resolve(&Resolve {
            dir,
            file,
            w,
            flags,
            #[cfg(test)]
            read: Default::default(),
        })
    }

    fn resolve(r: &Resolve) -> Result<RunConfig, String> {
        let stop_signal = if r.get(&BUILD_SEND_INTERRUPT, to::bool)? {
            StopSignal::Interrupt
        } else {
            StopSignal::Term
        };
        let mut c = RunConfig {
            dir: r.dir.to_path_buf(),
            file: r.file.map(Path::to_path_buf),
            root: r.get(&ROOT, to::string)?,
            tmp_dir: r.get(&TMP_DIR, to::string)?,
            testdata_dir: r.get(&TESTDATA_DIR, to::string)?,
            env_files: r.get(&ENV_FILES, to::list)?,
            build: Build {
                cmd: r.get(&BUILD_CMD, to::string)?,
                bin: r.get(&BUILD_BIN, to::string)?,
                entrypoint: r.get(&BUILD_ENTRYPOINT, to::string_or_list)?,
                full_bin: r.get(&BUILD_FULL_BIN, to::string)?,
                args_bin: r.get(&BUILD_ARGS_BIN, to::list)?,
                pre_cmd: r.get(&BUILD_PRE_CMD, to::list)?,
                post_cmd: r.get(&BUILD_POST_CMD, to::list)?,
                log: r.get(&BUILD_LOG, to::string)?,
                include_ext: r.get(&BUILD_INCLUDE_EXT, to::list)?,
                include_dir: r.get(&BUILD_INCLUDE_DIR, to::list)?,
                include_file: r.get(&BUILD_INCLUDE_FILE, to::list)?,
                exclude_dir: r.get(&BUILD_EXCLUDE_DIR, to::list)?,
                exclude_file: r.get(&BUILD_EXCLUDE_FILE, to::list)?,
                exclude_regex: r.get(&BUILD_EXCLUDE_REGEX, to::list)?,
                exclude_unchanged: r.get(&BUILD_EXCLUDE_UNCHANGED, to::bool)?,
                follow_symlink: r.get(&BUILD_FOLLOW_SYMLINK, to::bool)?,
                poll: r.get(&BUILD_POLL, to::bool)?,
                poll_interval: r.get(&BUILD_POLL_INTERVAL, to::millis)?,
                delay: r.get(&BUILD_DELAY, to::millis)?,
                stop_on_error: r.get(&BUILD_STOP_ON_ERROR, to::bool)?,
                stop_signal,
                kill_delay: r.get(&BUILD_KILL_DELAY, to::duration)?,
                rerun: r.get(&BUILD_RERUN, to::bool)?,
                rerun_delay: r.get(&BUILD_RERUN_DELAY, to::millis)?,
            },
            log: Log {
                time: r.get(&LOG_TIME, to::bool)?,
                main_only: r.get(&LOG_MAIN_ONLY, to::bool)?,
                silent: r.get(&LOG_SILENT, to::bool)?,
            },
            screen: Screen {
                clear_on_rebuild: r.get(&SCREEN_CLEAR_ON_REBUILD, to::bool)?,
                keep_scroll: r.get(&SCREEN_KEEP_SCROLL, to::bool)?,
            },
            proxy: AirProxy {
                enabled: r.get(&PROXY_ENABLED, to::bool)?,
                proxy_port: r.get(&PROXY_PROXY_PORT, to::port)?,
                app_port: r.get(&PROXY_APP_PORT, to::port)?,
                app_start_timeout: r.get(&PROXY_APP_START_TIMEOUT, to::millis)?,
            },
            warnings: vec![],
            notes: vec![],
            unknown: vec![],
        };
        c.say_what_is_left_to_air(r.w);
        // `air init` writes `poll_interval = 0`: the default, not a busy loop.
        if c.build.poll_interval.is_zero() {
            c.build.poll_interval = r.default(&BUILD_POLL_INTERVAL, to::millis)?;
        }
        c.finish();
        Ok(c)
    }

    /// What the file sets that the runner leaves alone: keys it does not implement
    /// (warnings), air's display settings (notes), keys air does not know (each with its
    /// line: said by the reloader-config check when the preflight runs, else by the runner).
    fn say_what_is_left_to_air(&mut self, w: &Written) {
        for k in KEYS.iter().filter(|k| w.get(k.path).is_some()) {
            let parent_left = k.parent().is_some_and(|p| p.run == k.run);
            match k.run {
                Run::NotUsed if !parent_left => self.warnings.push(format!(
                    "line {}: {} is not used by reload-doctor run",
                    w.line(k.path).unwrap_or(1),
                    k.path
                )),
                Run::AirsOwn if !parent_left => self.notes.push(format!(
                    "[{}] is air's own; reload-doctor run does not use it",
                    k.path
                )),
                _ => {}
            }
        }
        self.unknown = w
            .issues()
            .iter()
            .filter(|i| {
                matches!(
                    i.problem,
                    Problem::Unknown { .. } | Problem::Misplaced { .. } | Problem::Retired { .. }
                )
            })
            .filter(|i| !left_to_air(&i.path))
            .map(|i| format!("line {}: {} is not an air setting; ignored", i.line, i.path))
            .collect();
    }

    /// Derive what depends on other keys.
    fn finish(&mut self) {
        // A wait longer than this is "forever"; capping it keeps every deadline computable.
        for d in [
            &mut self.build.kill_delay,
            &mut self.build.delay,
            &mut self.build.rerun_delay,
            &mut self.build.poll_interval,
        ] {
            *d = (*d).min(LONGEST_WAIT);
        }
        let tmp = clean_rel(&self.tmp_dir);
        if self.build.cmd.is_empty() {
            self.build.cmd = format!("go build -o ./{tmp}/main .");
        }
        if self.build.bin.is_empty() {
            self.build.bin = format!("./{tmp}/main");
        }
    }

    /// The watched root, absolute (`root = "."` adds no `/.`).
    pub fn root_path(&self) -> PathBuf {
        self.dir.join(&self.root).components().collect()
    }

    /// The tmp folder, absolute (build output and the build log go here).
    pub fn tmp_path(&self) -> PathBuf {
        self.dir.join(&self.tmp_dir)
    }
}

/// A key at or below one the runner leaves to air (`color.main`, `build.rules.name`).
fn left_to_air(path: &str) -> bool {
    path.match_indices('.')
        .map(|(i, _)| &path[..i])
        .chain([path])
        .filter_map(keys::find)
        .any(|k| matches!(k.run, Run::AirsOwn | Run::NotUsed))
}

/// `LINE:COL: not valid TOML (...); fix line LINE`.
fn syntax_error(text: &str, e: &toml_edit::TomlError) -> String {
    let (line, col) = e
        .span()
        .map_or((1, 1), |s| crate::text::line_col(text, s.start));
    let msg = e.message().lines().next().unwrap_or("invalid TOML");
    format!("{line}:{col}: not valid TOML ({msg}); fix line {line}")
}

/// The runner's rule over the table: the last flag for a key, else the file's value as
/// written (`[build.linux]`'s over `[build]`'s, for a key it may override), else the runner's
/// default ([`Key::runner_value`]), else the kind's zero value.
struct Resolve<'a> {
    dir: &'a Path,
    file: Option<&'a Path>,
    w: &'a Written,
    flags: &'a [(&'a str, String)],
    /// The keys asked for, so a test can show that every flag is read.
    #[cfg(test)]
    read: std::cell::RefCell<Vec<&'static str>>,
}

impl Resolve<'_> {
    /// `key`'s value, converted by `convert`. A file value is converted (and must convert)
    /// even when a flag replaces it.
    fn get<T>(&self, key: &Key, convert: fn(Input) -> Result<T, String>) -> Result<T, String> {
        #[cfg(test)]
        self.read.borrow_mut().push(key.path);
        let mut from_file = None;
        for path in keys::linux_path(key)
            .into_iter()
            .chain([key.path.to_string()])
        {
            if let Some(item) = self.w.get(&path) {
                from_file = Some(convert(Input::Toml(item)).map_err(|e| self.at(&path, e))?);
                break;
            }
            // A table above the key of another type: air refuses the file too.
            if let Some(issue) = self.w.wrong_type(&path) {
                let found = type_name(self.w.get(&issue.path));
                return Err(self.at(&issue.path, format!("expected a table, found {found}")));
            }
        }
        if let Some((_, v)) = self.flags.iter().rev().find(|(k, _)| *k == key.path) {
            return convert(Input::Flag(v)).map_err(|e| format!("--{} {v:?}: {e}", key.path));
        }
        match from_file {
            Some(v) => Ok(v),
            None => self.default(key, convert),
        }
    }

    fn default<T>(&self, key: &Key, convert: fn(Input) -> Result<T, String>) -> Result<T, String> {
        match key.runner_value() {
            Some(v) => convert(Input::Toml(&Item::Value(v))),
            None => convert(Input::Unset),
        }
        .map_err(|e| format!("the runner's default for {}: {e}", key.path))
    }

    /// `file:LINE: path: e` (the line of `path` in the file).
    fn at(&self, path: &str, e: String) -> String {
        let line = self.w.line(path).unwrap_or(1);
        match self.file {
            Some(f) => format!("{}:{line}: {path}: {e}", f.display()),
            None => format!("{line}: {path}: {e}"),
        }
    }
}

/// A value from the file (typed), from a flag (a string to parse), or none.
#[derive(Clone, Copy)]
enum Input<'a> {
    Toml(&'a Item),
    Flag(&'a str),
    Unset,
}

/// The runner's reading of a value, by kind.
mod to {
    use super::{describe, type_name, value_type, Input};
    use std::time::Duration;
    use toml_edit::{Item, Value};

    pub(super) fn string(input: Input) -> Result<String, String> {
        match input {
            Input::Toml(Item::Value(Value::String(s))) => Ok(s.value().clone()),
            Input::Toml(i) => Err(format!("expected a string, found {}", type_name(Some(i)))),
            Input::Flag(s) => Ok(s.to_string()),
            Input::Unset => Ok(String::new()),
        }
    }

    pub(super) fn list(input: Input) -> Result<Vec<String>, String> {
        match input {
            Input::Toml(Item::Value(Value::Array(items))) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.value().clone()),
                    v => Err(format!("expected a string, found {}", value_type(v))),
                })
                .collect::<Result<_, _>>()
                .map_err(|e| format!("in the list: {e}")),
            Input::Toml(i) => Err(format!(
                "expected a list of strings, found {}",
                type_name(Some(i))
            )),
            // air splits slice flags on commas.
            Input::Flag(s) => Ok(s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()),
            Input::Unset => Ok(vec![]),
        }
    }

    pub(super) fn string_or_list(input: Input) -> Result<Vec<String>, String> {
        match input {
            Input::Toml(Item::Value(Value::String(s))) => {
                Ok(s.value().split_whitespace().map(String::from).collect())
            }
            Input::Flag(s) => Ok(s.split_whitespace().map(String::from).collect()),
            _ => list(input),
        }
    }

    pub(super) fn bool(input: Input) -> Result<bool, String> {
        match input {
            Input::Toml(Item::Value(Value::Boolean(b))) => Ok(*b.value()),
            Input::Toml(i) => Err(format!(
                "expected true or false, found {}",
                type_name(Some(i))
            )),
            Input::Flag(s) => match s {
                "true" | "1" | "" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err("expected true or false".into()),
            },
            Input::Unset => Ok(false),
        }
    }

    /// A TCP port, or 0 for none.
    pub(super) fn port(input: Input) -> Result<u16, String> {
        let n = match input {
            Input::Toml(Item::Value(Value::Integer(n))) => u16::try_from(*n.value()).ok(),
            Input::Toml(_) => None,
            Input::Flag(s) => s.trim().parse().ok(),
            Input::Unset => Some(0),
        };
        n.ok_or_else(|| "expected a port (a whole number from 0 to 65535)".into())
    }

    /// An integer number of milliseconds.
    pub(super) fn millis(input: Input) -> Result<Duration, String> {
        match input {
            Input::Toml(Item::Value(Value::Integer(n))) if *n.value() >= 0 => {
                Ok(Duration::from_millis(*n.value() as u64))
            }
            Input::Toml(i) => Err(format!(
                "expected milliseconds (a whole number >= 0), found {}",
                describe(i)
            )),
            Input::Flag(s) => s
                .parse()
                .map(Duration::from_millis)
                .map_err(|_| "expected milliseconds (a whole number >= 0)".into()),
            Input::Unset => Ok(Duration::ZERO),
        }
    }

    /// Milliseconds as an integer (or a string of digits), or a Go duration: `500ms`, `2s`,
    /// `1m30s`.
    pub(super) fn duration(input: Input) -> Result<Duration, String> {
        let text = match input {
            Input::Toml(Item::Value(Value::String(s))) => s.value().trim(),
            Input::Flag(s) => s.trim(),
            _ => return millis(input),
        };
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return millis(Input::Flag(text));
        }
        crate::golang::duration::parse(text).map_err(|e| {
            format!("expected milliseconds or a duration like \"500ms\" or \"1m30s\": {e}")
        })
    }
}

/// A value as the runner's messages show it: a number or string as written, else its type.
fn describe(item: &Item) -> String {
    match item {
        Item::Value(Value::Integer(n)) => n.value().to_string(),
        Item::Value(Value::String(s)) => format!("{:?}", s.value()),
        i => type_name(Some(i)).to_string(),
    }
}

/// TOML's name for the type of what is written (`nothing` when nothing is).
fn type_name(item: Option<&Item>) -> &'static str {
    match item {
        Some(Item::Value(v)) => value_type(v),
        Some(Item::Table(_)) => "table",
        Some(Item::ArrayOfTables(_)) => "array",
        Some(Item::None) | None => "nothing",
    }
}

fn value_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Integer(_) => "integer",
        Value::Float(_) => "float",
        Value::Boolean(_) => "boolean",
        Value::Datetime(_) => "datetime",
        Value::Array(_) => "array",
        Value::InlineTable(_) => "table",
    }
}

/// The longest any configured wait lasts (ten years): `kill_delay = "99999999999999999999999s"`
/// saturates here instead of overflowing an `Instant`.
pub const LONGEST_WAIT: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// The shortest poll interval: `poll_interval = 1` would rescan the tree in a busy loop.
pub const POLL_FLOOR: Duration = Duration::from_millis(20);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the runner takes as a flag is read, and only those: the flags and the
    /// runner's view both come from the table, so neither can leave a key out.
    #[test]
    fn every_flag_is_read_and_takes_a_value() {
        let flags: Vec<(&str, String)> = KEYS
            .iter()
            .filter(|k| matches!(k.run, Run::Flag { .. }))
            .map(|k| {
                let sample = match k.kind {
                    keys::Kind::Bool => "true",
                    keys::Kind::Millis | keys::Kind::Port => "1",
                    keys::Kind::Duration => "1s",
                    _ => "x",
                };
                (k.path, sample.to_string())
            })
            .collect();
        let w = Written::empty();
        let r = Resolve {
            dir: Path::new("/p"),
            file: None,
            w: &w,
            flags: &flags,
            read: Default::default(),
        };
        RunConfig::resolve(&r).unwrap();
        let read = r.read.borrow();
        for (path, _) in &flags {
            assert!(read.contains(path), "--{path} is never read");
        }
        for path in read.iter() {
            let run = keys::find(path).map(|k| k.run);
            assert!(
                matches!(run, Some(Run::Flag { .. })),
                "{path} is read but has no flag"
            );
        }
    }

    fn parse(text: &str) -> Result<RunConfig, String> {
        let w = Written::parse(text).map_err(|e| syntax_error(text, &e))?;
        RunConfig::read(Path::new("/p"), None, &w, &[])
    }

    #[test]
    fn unset_keys_get_the_runner_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.build.delay, Duration::from_millis(50));
        assert_eq!(c.build.kill_delay, Duration::from_secs(5));
        assert_eq!(c.build.stop_signal, StopSignal::Term);
        assert_eq!(c.build.cmd, "go build -o ./tmp/main .");
        assert_eq!(c.build.bin, "./tmp/main");
    }

    #[test]
    fn explicit_zero_values_mean_what_they_say() {
        let c = parse("[build]\ndelay = 0\nkill_delay = 0\nrerun_delay = 0\n").unwrap();
        assert_eq!(c.build.delay, Duration::ZERO);
        assert_eq!(c.build.kill_delay, Duration::ZERO);
        assert_eq!(c.build.rerun_delay, Duration::ZERO);
    }

    #[test]
    fn kill_delay_accepts_millis_and_durations() {
        assert_eq!(
            parse("[build]\nkill_delay = 500").unwrap().build.kill_delay,
            Duration::from_millis(500)
        );
        assert_eq!(
            parse("[build]\nkill_delay = \"2s\"")
                .unwrap()
                .build
                .kill_delay,
            Duration::from_secs(2)
        );
        let e = parse("[build]\nkill_delay = \"soon\"").unwrap_err();
        assert!(e.contains("\"soon\" is not a Go duration"), "{e}");
        assert!(e.starts_with("2: build.kill_delay"), "{e}");
    }

    #[test]
    fn type_errors_name_the_line() {
        let e = parse("root = \".\"\n[build]\n\ndelay = \"fast\"\n").unwrap_err();
        assert_eq!(
            e,
            "4: build.delay: expected milliseconds (a whole number >= 0), found \"fast\""
        );
        let e = parse("[build]\ncmd = \"go build\n").unwrap_err();
        assert!(e.starts_with("2:"), "{e}");
    }

    #[test]
    fn tmp_dir_moves_the_derived_paths_and_linux_overrides_apply() {
        let c = parse("tmp_dir = \"out\"\n[build]\nsend_interrupt = true\nentrypoint = [\"./out/app\", \"-v\"]\n[build.linux]\ncmd = \"make\"\n").unwrap();
        assert_eq!(c.build.cmd, "make");
        assert_eq!(c.build.bin, "./out/main");
        assert_eq!(c.build.entrypoint, vec!["./out/app", "-v"]);
        assert_eq!(c.build.stop_signal, StopSignal::Interrupt);
    }

    #[test]
    fn unknown_and_unused_keys_are_reported() {
        let c = parse(
            "[build]\nexlude_dir = []\nrules = []\n[color]\nmain = \"magenta\"\n\n[hooks]\npre = 1\n",
        )
        .unwrap();
        assert_eq!(
            c.warnings,
            ["line 3: build.rules is not used by reload-doctor run"]
        );
        assert_eq!(
            c.notes,
            ["[color] is air's own; reload-doctor run does not use it"]
        );
        assert_eq!(
            c.unknown,
            [
                "line 2: build.exlude_dir is not an air setting; ignored",
                "line 7: hooks is not an air setting; ignored"
            ]
        );
    }

    /// The runner and the report read one model: a key air does not know is unknown to both
    /// (under `[build.<os>]` too, where the runner applied any `[build]` key before), and a
    /// table of the wrong type is refused, as air refuses it.
    #[test]
    fn the_runner_names_what_the_report_names() {
        let c = parse("[build.linux]\ndelay = 5\n[build.windows]\nnope = 1\n").unwrap();
        assert_eq!(c.build.delay, Duration::from_millis(50));
        assert_eq!(
            c.unknown,
            [
                "line 2: build.linux.delay is not an air setting; ignored",
                "line 4: build.windows.nope is not an air setting; ignored"
            ]
        );
        assert_eq!(
            parse("log = 1\n").unwrap_err(),
            "1: log: expected a table, found integer"
        );
        assert_eq!(
            parse("[build]\ncmd = \"make\"\nlinux = 1\n").unwrap_err(),
            "3: build.linux: expected a table, found integer"
        );
    }

    /// air's [proxy] is read: the runner's proxy starts only with `enabled` and a port.
    #[test]
    fn airs_proxy_section_is_read() {
        let c = parse("[proxy]\nenabled = true\nproxy_port = 4200\napp_port = 8081\napp_start_timeout = 9000\n").unwrap();
        assert_eq!(c.proxy.listen(), Some(4200));
        assert_eq!(
            (c.proxy.app_port, c.proxy.app_start_timeout),
            (8081, Duration::from_secs(9))
        );
        assert_eq!(
            parse("[proxy]\nenabled = false\nproxy_port = 4200\n")
                .unwrap()
                .proxy
                .listen(),
            None
        );
        assert_eq!(
            parse("[proxy]\nenabled = true\n").unwrap().proxy.listen(),
            Some(0)
        );
        assert!(parse("[proxy]\nproxy_port = 70000\n")
            .unwrap_err()
            .contains("port"));
        assert!(c.warnings.is_empty() && c.notes.is_empty());
    }

    #[test]
    fn flags_override_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".air.toml"),
            "[build]\ndelay = 500\npoll = true\n",
        )
        .unwrap();
        let c = RunConfig::load(
            dir.path(),
            None,
            &[
                ("build.delay", "0".into()),
                ("build.poll", "false".into()),
                ("build.include_ext", "go,css".into()),
                ("build.kill_delay", "1m30s".into()),
            ],
        )
        .unwrap();
        assert_eq!(c.build.kill_delay, Duration::from_secs(90));
        assert_eq!(c.build.delay, Duration::ZERO);
        assert!(!c.build.poll);
        assert_eq!(c.build.include_ext, vec!["go", "css"]);
        assert!(RunConfig::load(dir.path(), None, &[("build.nope", "1".into())]).is_err());
    }
}
