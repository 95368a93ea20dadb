//! The runner's own reading of `.air.toml`: air's keys, but explicit values mean what they say.
//!
//! air merges the file onto its defaults and drops zero values (`delay = 0` still waits 1 s);
//! `checks::reloaders::air::config` models that on purpose, to diagnose air. The runner is a different program: an
//! explicit value is used as written, and an unset key gets a better default (50 ms trailing
//! debounce, SIGTERM with a 5 s grace period). Every difference from air is listed in
//! [`DIFFERENCES`], which the README quotes.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every way `reload-doctor run` reads a config differently from air v1.67.4.
pub const DIFFERENCES: &[&str] = &[
    "explicit zero values are used: `delay = 0`, `rerun_delay = 0`, `kill_delay = 0`, `tmp_dir = \"\"` mean what they say (air replaces them with its defaults)",
    "`delay` defaults to 50 ms and is a trailing, resettable debounce (air: a fixed 1000 ms sleep after the first event)",
    "the app is stopped with SIGTERM (SIGINT with `send_interrupt = true`) to its whole process group, then SIGKILL after `kill_delay` (default 5 s); air sends SIGKILL at once unless `send_interrupt` is set, and waits at most 5 s",
    "`kill_delay` is milliseconds when an integer, or a Go duration string (`\"500ms\"`, `\"1m30s\"`)",
    "a failed build leaves the running app untouched (air restarts the old binary); `stop_on_error = true` stops it",
    "a failing `pre_cmd` fails the build (air logs it and builds anyway unless `stop_on_error`)",
    "a change made during a build is judged by content when the build ends: a file the build rewrote with the same bytes is no change, and a file every build rewrites with new content is named once as a rebuild loop and then ignored while building (air rebuilds forever); only a new content of a `.go` source cancels a running build, never the first build (air lets every build finish)",
    "`exclude_dir` also excludes `node_modules` by default, and a leading `./` is ignored (`./vendor` works)",
    "`exclude_regex` defaults to `_test\\.go$` (air's `_test.go` is a regex whose `.` matches any character)",
    "editor temp files are ignored: `4913`, `*.swp`, `*~`, `*___jb_tmp___`, `*___jb_old___`, `.#*`, `*-go-tmp-umask`",
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

/// Keys air has that the runner reads but does not act on.
const UNUSED_SECTIONS: [&str; 2] = ["color", "misc"];
const UNUSED_KEYS: [&str; 2] = ["build.rules", "build.ignore_dangerous_root_dir"];

impl RunConfig {
    /// The runner's defaults for a project in `dir`.
    pub fn defaults(dir: &Path) -> RunConfig {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        RunConfig {
            dir: dir.to_path_buf(),
            file: None,
            root: ".".into(),
            tmp_dir: "tmp".into(),
            testdata_dir: "testdata".into(),
            env_files: vec![],
            build: Build {
                // Empty means "derive from tmp_dir" (see `finish`).
                cmd: String::new(),
                bin: String::new(),
                entrypoint: vec![],
                full_bin: String::new(),
                args_bin: vec![],
                pre_cmd: vec![],
                post_cmd: vec![],
                log: "build-errors.log".into(),
                include_ext: strings(&["go", "tpl", "tmpl", "html"]),
                include_dir: vec![],
                include_file: vec![],
                exclude_dir: strings(&["assets", "tmp", "vendor", "testdata", "node_modules"]),
                exclude_file: vec![],
                exclude_regex: strings(&["_test\\.go$"]),
                exclude_unchanged: false,
                follow_symlink: false,
                poll: false,
                poll_interval: POLL_DEFAULT,
                delay: Duration::from_millis(50),
                stop_on_error: false,
                stop_signal: StopSignal::Term,
                kill_delay: Duration::from_secs(5),
                rerun: false,
                rerun_delay: Duration::from_millis(500),
            },
            log: Log::default(),
            screen: Screen {
                clear_on_rebuild: false,
                keep_scroll: true,
            },
            proxy: AirProxy::default(),
            warnings: vec![],
            notes: vec![],
            unknown: vec![],
        }
    }

    /// Find and read the config for a project in `dir` (`config` overrides the search: air's
    /// `-c`), then apply command-line `flags` (dotted key, value) on top.
    pub fn load(
        dir: &Path,
        config: Option<&Path>,
        flags: &[(&str, String)],
    ) -> Result<RunConfig, String> {
        let mut c = RunConfig::defaults(dir);
        let file = match config {
            Some(p) => Some(dir.join(p)),
            None => [".air.toml", ".config/air.toml"]
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file()),
        };
        if let Some(path) = file {
            let text = checks::system::files::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            c.apply_toml(&text)
                .map_err(|e| format!("{}:{e}", path.display()))?;
            c.file = Some(path);
        }
        for (key, value) in flags {
            let known = c
                .set(key, Input::Flag(value))
                .map_err(|e| format!("--{key} {value:?}: {e}"))?;
            if !known {
                return Err(format!("--{key}: not a setting the runner knows"));
            }
        }
        c.finish();
        Ok(c)
    }

    /// Apply the keys of one `.air.toml` text. Errors start with `LINE:COL: `.
    pub fn apply_toml(&mut self, text: &str) -> Result<(), String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map_or((1, 1), |s| checks::text::line_col(text, s.start));
            let msg = e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_string();
            format!("{line}:{col}: not valid TOML ({msg}); fix line {line}")
        })?;
        let mut platform = None;
        for (key, value) in &table {
            match value {
                toml::Value::Table(section)
                    if matches!(key.as_str(), "build" | "log" | "screen" | "proxy") =>
                {
                    for (k, v) in section {
                        let full = format!("{key}.{k}");
                        if full == "build.linux" {
                            platform = v.as_table();
                            continue;
                        }
                        if matches!(k.as_str(), "windows" | "darwin") {
                            continue;
                        }
                        self.set_from_file(text, &full, v)?;
                    }
                }
                toml::Value::Table(_) if UNUSED_SECTIONS.contains(&key.as_str()) => {
                    self.notes.push(format!(
                        "[{key}] is air's own; reload-doctor run does not use it"
                    ));
                }
                _ => self.set_from_file(text, key, value)?,
            }
        }
        // air applies `[build.linux]` after the rest; only its command keys count.
        for (k, v) in platform.into_iter().flatten() {
            let full = format!("build.{k}");
            self.set_from_file(text, &full, v)?;
        }
        Ok(())
    }

    fn set_from_file(&mut self, text: &str, key: &str, value: &toml::Value) -> Result<(), String> {
        let line = key_line(text, key);
        match self.set(key, Input::Toml(value)) {
            Ok(true) => Ok(()),
            Ok(false) => {
                if UNUSED_KEYS.contains(&key) {
                    let said = format!("line {line}: {key} is not used by reload-doctor run");
                    self.warnings.push(said);
                } else {
                    let said = format!("line {line}: {key} is not an air setting; ignored");
                    self.unknown.push(said);
                }
                Ok(())
            }
            Err(e) => Err(format!("{line}: {key}: {e}")),
        }
    }

    /// Set one dotted key. `Ok(false)` for a key the runner does not know.
    fn set(&mut self, key: &str, v: Input) -> Result<bool, String> {
        if let Some(k) = key.strip_prefix("build.") {
            return self.set_build(k, v);
        }
        match key {
            "root" => self.root = v.string()?,
            "tmp_dir" => self.tmp_dir = v.string()?,
            "testdata_dir" => self.testdata_dir = v.string()?,
            "env_files" => self.env_files = v.list()?,
            "log.time" => self.log.time = v.bool()?,
            "log.main_only" => self.log.main_only = v.bool()?,
            "log.silent" => self.log.silent = v.bool()?,
            "screen.clear_on_rebuild" => self.screen.clear_on_rebuild = v.bool()?,
            "screen.keep_scroll" => self.screen.keep_scroll = v.bool()?,
            "proxy.enabled" => self.proxy.enabled = v.bool()?,
            "proxy.proxy_port" => self.proxy.proxy_port = v.port()?,
            "proxy.app_port" => self.proxy.app_port = v.port()?,
            "proxy.app_start_timeout" => self.proxy.app_start_timeout = v.millis()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn set_build(&mut self, key: &str, v: Input) -> Result<bool, String> {
        let b = &mut self.build;
        match key {
            "cmd" => b.cmd = v.string()?,
            "bin" => b.bin = v.string()?,
            "entrypoint" => b.entrypoint = v.string_or_list()?,
            "full_bin" => b.full_bin = v.string()?,
            "args_bin" => b.args_bin = v.list()?,
            "pre_cmd" => b.pre_cmd = v.list()?,
            "post_cmd" => b.post_cmd = v.list()?,
            "log" => b.log = v.string()?,
            "include_ext" => b.include_ext = v.list()?,
            "include_dir" => b.include_dir = v.list()?,
            "include_file" => b.include_file = v.list()?,
            "exclude_dir" => b.exclude_dir = v.list()?,
            "exclude_file" => b.exclude_file = v.list()?,
            "exclude_regex" => b.exclude_regex = v.list()?,
            "exclude_unchanged" => b.exclude_unchanged = v.bool()?,
            "follow_symlink" => b.follow_symlink = v.bool()?,
            "poll" => b.poll = v.bool()?,
            "poll_interval" => b.poll_interval = v.millis()?,
            "delay" => b.delay = v.millis()?,
            "stop_on_error" => b.stop_on_error = v.bool()?,
            "send_interrupt" => {
                b.stop_signal = if v.bool()? {
                    StopSignal::Interrupt
                } else {
                    StopSignal::Term
                }
            }
            "kill_delay" => b.kill_delay = v.duration()?,
            "rerun" => b.rerun = v.bool()?,
            "rerun_delay" => b.rerun_delay = v.millis()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Derive what depends on other keys.
    fn finish(&mut self) {
        // `air init` writes `poll_interval = 0`: air's default, not a busy loop.
        if self.build.poll_interval.is_zero() {
            self.build.poll_interval = POLL_DEFAULT;
        }
        // A wait longer than this is "forever"; capping it keeps every deadline computable.
        for d in [
            &mut self.build.kill_delay,
            &mut self.build.delay,
            &mut self.build.rerun_delay,
            &mut self.build.poll_interval,
        ] {
            *d = (*d).min(LONGEST_WAIT);
        }
        let tmp = checks::reloaders::air::config::clean_rel(&self.tmp_dir);
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

    /// The directory rules of the walk, shared with the checks crate.
    pub fn rules(&self) -> checks::reloaders::watch_tree::Rules {
        let mut skip: Vec<String> = self
            .build
            .exclude_dir
            .iter()
            .map(|d| checks::reloaders::air::config::clean_rel(d.trim()))
            .collect();
        skip.push(checks::reloaders::air::config::clean_rel(&self.tmp_dir));
        skip.push(checks::reloaders::air::config::clean_rel(
            &self.testdata_dir,
        ));
        checks::reloaders::watch_tree::Rules::new(
            skip,
            self.build
                .include_dir
                .iter()
                .map(|d| checks::reloaders::air::config::clean_rel(d))
                .collect(),
            self.build.include_ext.clone(),
            self.build.follow_symlink,
        )
    }
}

/// The 1-based line where `key` (dotted, e.g. `build.delay`) is set, or 1 when not found.
fn key_line(text: &str, key: &str) -> usize {
    let (section, name) = match key.rsplit_once('.') {
        Some((s, n)) => (s, n),
        None => ("", key),
    };
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[') {
            current = h.trim_end_matches(']').trim().to_string();
            // A table of its own (`[hooks]`): its header is its line.
            if current == key {
                return i + 1;
            }
            continue;
        }
        let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if current == section && k == name && t.contains('=') {
            return i + 1;
        }
    }
    1
}

/// A value from the file (typed) or from a flag (a string to parse).
#[derive(Clone, Copy)]
enum Input<'a> {
    Toml(&'a toml::Value),
    Flag(&'a str),
}

impl Input<'_> {
    fn string(self) -> Result<String, String> {
        match self {
            Input::Toml(toml::Value::String(s)) => Ok(s.clone()),
            Input::Toml(v) => Err(format!("expected a string, found {}", v.type_str())),
            Input::Flag(s) => Ok(s.to_string()),
        }
    }

    fn list(self) -> Result<Vec<String>, String> {
        match self {
            Input::Toml(toml::Value::Array(items)) => items
                .iter()
                .map(|i| Input::Toml(i).string())
                .collect::<Result<_, _>>()
                .map_err(|e| format!("in the list: {e}")),
            Input::Toml(v) => Err(format!(
                "expected a list of strings, found {}",
                v.type_str()
            )),
            // air splits slice flags on commas.
            Input::Flag(s) => Ok(s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()),
        }
    }

    fn string_or_list(self) -> Result<Vec<String>, String> {
        match self {
            Input::Toml(toml::Value::String(s)) => {
                Ok(s.split_whitespace().map(String::from).collect())
            }
            Input::Flag(s) => Ok(s.split_whitespace().map(String::from).collect()),
            _ => self.list(),
        }
    }

    fn bool(self) -> Result<bool, String> {
        match self {
            Input::Toml(toml::Value::Boolean(b)) => Ok(*b),
            Input::Toml(v) => Err(format!("expected true or false, found {}", v.type_str())),
            Input::Flag(s) => match s {
                "true" | "1" | "" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err("expected true or false".into()),
            },
        }
    }

    /// An integer number of milliseconds.
    /// A TCP port, or 0 for none.
    fn port(self) -> Result<u16, String> {
        let n = match self {
            Input::Toml(toml::Value::Integer(n)) => u16::try_from(*n).ok(),
            Input::Toml(_) => None,
            Input::Flag(s) => s.trim().parse().ok(),
        };
        n.ok_or_else(|| "expected a port (a whole number from 0 to 65535)".into())
    }

    fn millis(self) -> Result<Duration, String> {
        match self {
            Input::Toml(toml::Value::Integer(n)) if *n >= 0 => Ok(Duration::from_millis(*n as u64)),
            Input::Toml(v) => Err(format!(
                "expected milliseconds (a whole number >= 0), found {}",
                describe(v)
            )),
            Input::Flag(s) => s
                .parse()
                .map(Duration::from_millis)
                .map_err(|_| "expected milliseconds (a whole number >= 0)".into()),
        }
    }

    /// Milliseconds as an integer (or a string of digits), or a Go duration: `500ms`, `2s`,
    /// `1m30s`.
    fn duration(self) -> Result<Duration, String> {
        let text = match self {
            Input::Toml(toml::Value::String(s)) => s.trim(),
            Input::Flag(s) => s.trim(),
            _ => return self.millis(),
        };
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return Input::Flag(text).millis();
        }
        checks::golang::duration::parse(text).map_err(|e| {
            format!("expected milliseconds or a duration like \"500ms\" or \"1m30s\": {e}")
        })
    }
}

fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::String(s) => format!("{s:?}"),
        v => v.type_str().to_string(),
    }
}

/// The longest any configured wait lasts (ten years): `kill_delay = "99999999999999999999999s"`
/// saturates here instead of overflowing an `Instant`.
pub const LONGEST_WAIT: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// The shortest poll interval: `poll_interval = 1` would rescan the tree in a busy loop.
pub const POLL_FLOOR: Duration = Duration::from_millis(20);
/// air's poll interval when none is given (and for 0).
const POLL_DEFAULT: Duration = Duration::from_millis(500);

#[cfg(test)]
mod tests {
    use super::*;

    /// air's key set lives once, in checks' `keys::KEYS`; the runner's setters and flags must
    /// cover it, key for key, except what the runner deliberately leaves to air.
    #[test]
    fn every_air_key_has_a_setter_and_a_flag() {
        use checks::reloaders::air::keys::{Kind, KEYS};
        use clap::Args;
        let cmd = crate::cli::AirFlags::augment_args(clap::Command::new("t"));
        let flags: Vec<&str> = cmd.get_arguments().filter_map(|a| a.get_long()).collect();
        let left_to_air = |path: &str| {
            UNUSED_KEYS
                .iter()
                .any(|k| path == *k || path.starts_with(&format!("{k}.")))
                || UNUSED_SECTIONS
                    .iter()
                    .any(|s| path.starts_with(&format!("{s}.")))
        };
        for key in KEYS
            .iter()
            .filter(|k| !matches!(k.kind, Kind::Table | Kind::Tables))
        {
            if left_to_air(key.path) {
                continue;
            }
            let sample = match key.kind {
                Kind::Bool => "true",
                Kind::Int => "1",
                Kind::Duration => "1s",
                _ => "x",
            };
            let mut c = RunConfig::defaults(Path::new("/p"));
            assert_eq!(
                c.set(key.path, Input::Flag(sample)),
                Ok(true),
                "{} has no setter in the runner",
                key.path
            );
            assert!(flags.contains(&key.path), "{} has no --flag", key.path);
        }
        // And the runner knows no key air does not have.
        for flag in flags {
            assert!(
                KEYS.iter().any(|k| k.path == flag),
                "--{flag} is not an air key"
            );
        }
    }

    fn parse(text: &str) -> Result<RunConfig, String> {
        let mut c = RunConfig::defaults(Path::new("/p"));
        c.apply_toml(text)?;
        c.finish();
        Ok(c)
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

    /// air's [proxy] is read: the runner's proxy starts only with `enabled`, on a port the
    /// kernel picks when proxy_port is 0 or unset (as air's does).
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
