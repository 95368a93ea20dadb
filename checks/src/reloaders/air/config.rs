//! air's view of `.air.toml`: the settings air v1.67 really uses, read from the one parse
//! ([`Written`]) by air's rule over the key table ([`super::keys`]).
//!
//! air merges the file onto its defaults and skips zero values, so an explicit `delay = 0`
//! still means 1000 ms to air. [`AirConfig`] holds what air will *really* use; the parse
//! keeps the user's own spelling and line numbers for the checks that need them.

use super::keys::{self, is_zero, Issue, Key};
use super::keys::{
    BUILD_ARGS_BIN, BUILD_BIN, BUILD_CMD, BUILD_DELAY, BUILD_ENTRYPOINT, BUILD_EXCLUDE_DIR,
    BUILD_EXCLUDE_FILE, BUILD_EXCLUDE_REGEX, BUILD_EXCLUDE_UNCHANGED, BUILD_FOLLOW_SYMLINK,
    BUILD_FULL_BIN, BUILD_IGNORE_DANGEROUS_ROOT_DIR, BUILD_INCLUDE_DIR, BUILD_INCLUDE_EXT,
    BUILD_INCLUDE_FILE, BUILD_KILL_DELAY, BUILD_POLL, BUILD_PRE_CMD, BUILD_SEND_INTERRUPT,
    BUILD_STOP_ON_ERROR, PROXY_APP_PORT, PROXY_ENABLED, PROXY_PROXY_PORT, ROOT, TESTDATA_DIR,
    TMP_DIR,
};
use super::written::{wrong_type_text, Written};
use crate::filepath::{clean, clean_str as go_clean};
use std::path::{Path, PathBuf};
use toml_edit::{Item, Value};

/// The configs plain `air` (no `-c`) reads from the folder it runs in, the first there
/// (air v1.67.4 `runner/config.go`).
pub const PLAIN_AIR_CONFIGS: [&str; 2] = [".air.toml", ".config/air.toml"];

/// The keys [`AirConfig`] holds: equal configs agree on these; any other key is outside it.
pub const HELD: [&Key; 26] = [
    &ROOT,
    &TMP_DIR,
    &TESTDATA_DIR,
    &BUILD_CMD,
    &BUILD_BIN,
    &BUILD_ENTRYPOINT,
    &BUILD_FULL_BIN,
    &BUILD_ARGS_BIN,
    &BUILD_PRE_CMD,
    &BUILD_INCLUDE_EXT,
    &BUILD_INCLUDE_DIR,
    &BUILD_INCLUDE_FILE,
    &BUILD_EXCLUDE_DIR,
    &BUILD_EXCLUDE_FILE,
    &BUILD_EXCLUDE_REGEX,
    &BUILD_FOLLOW_SYMLINK,
    &BUILD_EXCLUDE_UNCHANGED,
    &BUILD_POLL,
    &BUILD_DELAY,
    &BUILD_SEND_INTERRUPT,
    &BUILD_KILL_DELAY,
    &BUILD_STOP_ON_ERROR,
    &BUILD_IGNORE_DANGEROUS_ROOT_DIR,
    &PROXY_ENABLED,
    &PROXY_PROXY_PORT,
    &PROXY_APP_PORT,
];

/// The settings air will use, after merging the file onto air's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct AirConfig {
    pub root: String,
    pub tmp_dir: String,
    pub testdata_dir: String,
    pub build: Build,
    pub proxy: Proxy,
    /// Keys whose value air cannot convert to its field's type (`color = true`, where air
    /// wants a table; `kill_delay = "soon"`): air stops with "Can't convert" before it starts.
    pub type_errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub cmd: String,
    pub bin: String,
    /// The binary of `entrypoint` as written (`Some("")` when it names an empty one: air
    /// then runs the root folder itself).
    pub entrypoint: Option<String>,
    /// The arguments after the binary in an array `entrypoint`.
    pub entrypoint_args: Vec<String>,
    pub full_bin: String,
    pub args_bin: Vec<String>,
    /// The commands air runs before `cmd`, in order.
    pub pre_cmd: Vec<String>,
    pub include_ext: Vec<String>,
    pub include_dir: Vec<String>,
    pub include_file: Vec<String>,
    pub exclude_dir: Vec<String>,
    pub exclude_file: Vec<String>,
    pub exclude_regex: Vec<String>,
    pub follow_symlink: bool,
    /// Besides skipping unchanged files, it is what makes air act on `follow_symlink` (its
    /// checksum walk is the only code that looks at symlinks).
    pub exclude_unchanged: bool,
    pub poll: bool,
    pub delay_ms: u64,
    pub send_interrupt: bool,
    /// How long air waits after SIGINT before SIGKILL, as air computes it (`killDelay()`).
    pub kill_delay_ms: u64,
    pub stop_on_error: bool,
    /// air runs in `/` or `$HOME` anyway, with a warning.
    pub ignore_dangerous_root_dir: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proxy {
    pub enabled: bool,
    pub proxy_port: Option<u16>,
    pub app_port: Option<u16>,
    /// Port values outside 1..=65535, as `("app_port", 70000)`: air would use them as they
    /// are, so they are reported rather than rejected as a parse error.
    pub invalid: Vec<(&'static str, i64)>,
}

impl Default for AirConfig {
    /// air's `defaultConfig()`.
    fn default() -> Self {
        AirConfig::read(&Written::empty()).expect("an empty file has no value of a wrong type")
    }
}

/// A config file that could not be read, with where in it the problem is.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column, when the parser could point at one.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        match (self.line, self.column) {
            (Some(line), Some(col)) => write!(f, ":{line}:{col}")?,
            (Some(line), None) => write!(f, ":{line}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// Read an air config file and parse it, once.
pub fn load(path: &Path) -> Result<Written, ConfigError> {
    let error = |message: String| ConfigError {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message,
    };
    let bytes = crate::system::files::read(path).map_err(|e| error(format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| error("not a text file (invalid UTF-8); air cannot read it either".into()))?;
    Written::parse(&text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| crate::text::line_col(&text, s.start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message: first_line(e.message()),
        }
    })
}

impl ConfigError {
    /// air's view of `path` could not be read: a value of the wrong type air stops on.
    pub fn wrong_type(path: &Path, issue: &Issue) -> ConfigError {
        ConfigError {
            path: path.to_path_buf(),
            line: Some(issue.line),
            column: None,
            message: wrong_type_text(issue).unwrap_or_default(),
        }
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("invalid TOML").to_string()
}

/// Parse config text; on error, the byte span the parser blamed and a one-line message.
pub fn parse(text: &str) -> Result<AirConfig, (Option<std::ops::Range<usize>>, String)> {
    let w = Written::parse(text).map_err(|e| (e.span(), first_line(e.message())))?;
    AirConfig::read(&w).map_err(|issue| {
        let span = w.get(&issue.path).and_then(Item::span);
        (span, wrong_type_text(&issue).unwrap_or_default())
    })
}

/// air's rule over the table: the file's value where it is not a zero value mergo skips,
/// else air's default; `[build.linux]` over `[build]` for the keys it may override.
struct Merge<'a>(&'a Written);

impl<'a> Merge<'a> {
    /// The value air uses for `key`, None for the zero value. A wrong type at the key is
    /// an error unless `lenient` (a setting worth reading even from a file air refuses).
    fn value(&self, key: &Key, lenient: bool) -> Result<Option<Value>, &'a Issue> {
        let written = |path: &str| -> Result<Option<&'a Value>, &'a Issue> {
            match self.0.wrong_type(path) {
                Some(issue) if !lenient => Err(issue),
                _ => Ok(self
                    .0
                    .get(path)
                    .and_then(Item::as_value)
                    .filter(|v| !(key.kind.skips_zero() && is_zero(v)))),
            }
        };
        let linux = match keys::linux_path(key) {
            Some(path) => written(&path)?,
            None => None,
        };
        let own = written(key.path)?;
        Ok(linux.or(own).cloned().or_else(|| key.air_value()))
    }

    fn text(&self, key: &Key) -> Result<String, &'a Issue> {
        Ok(text(self.value(key, false)?))
    }

    fn list(&self, key: &Key) -> Result<Vec<String>, &'a Issue> {
        Ok(list(self.value(key, false)?))
    }

    fn flag(&self, key: &Key) -> Result<bool, &'a Issue> {
        Ok(self.value(key, false)?.and_then(|v| v.as_bool()) == Some(true))
    }

    fn int(&self, key: &Key) -> Result<i64, &'a Issue> {
        Ok(self
            .value(key, false)?
            .and_then(|v| v.as_integer())
            .unwrap_or(0))
    }
}

fn text(v: Option<Value>) -> String {
    v.and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The strings of an array; items that are not strings are left out.
fn list(v: Option<Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    }
}

impl AirConfig {
    /// air's view of the file, or the first value of a wrong type it reads (air refuses the
    /// file; the reloader-config check names every such value).
    pub fn read(w: &Written) -> Result<AirConfig, Issue> {
        AirConfig::merge(w).map_err(Issue::clone)
    }

    fn merge(w: &Written) -> Result<AirConfig, &Issue> {
        let m = Merge(w);
        // A string is a list of one, as air holds an `entrypoint`.
        let mut entrypoint = match m.value(&BUILD_ENTRYPOINT, false)? {
            Some(Value::String(s)) => vec![s.into_value()],
            v => list(v),
        }
        .into_iter();
        let mut proxy = Proxy {
            enabled: m.flag(&PROXY_ENABLED)?,
            ..Proxy::default()
        };
        for key in [PROXY_PROXY_PORT, PROXY_APP_PORT] {
            let port = match m.int(&key)? {
                0 => None,
                n => match u16::try_from(n) {
                    Ok(p) => Some(p),
                    Err(_) => {
                        proxy.invalid.push((key.name(), n));
                        None
                    }
                },
            };
            if key == PROXY_APP_PORT {
                proxy.app_port = port;
            } else {
                proxy.proxy_port = port;
            }
        }
        let mut c = AirConfig {
            root: m.text(&ROOT)?,
            tmp_dir: m.text(&TMP_DIR)?,
            testdata_dir: m.text(&TESTDATA_DIR)?,
            build: Build {
                cmd: m.text(&BUILD_CMD)?,
                bin: m.text(&BUILD_BIN)?,
                entrypoint: entrypoint.next(),
                entrypoint_args: entrypoint.collect(),
                full_bin: m.text(&BUILD_FULL_BIN)?,
                args_bin: m.list(&BUILD_ARGS_BIN)?,
                // Read leniently: a wrong type is the config check's to report (air refuses
                // the file), not a reason to read no setting at all.
                pre_cmd: list(m.value(&BUILD_PRE_CMD, true)?),
                include_ext: m.list(&BUILD_INCLUDE_EXT)?,
                include_dir: m.list(&BUILD_INCLUDE_DIR)?,
                include_file: m.list(&BUILD_INCLUDE_FILE)?,
                exclude_dir: m.list(&BUILD_EXCLUDE_DIR)?,
                exclude_file: m.list(&BUILD_EXCLUDE_FILE)?,
                exclude_regex: m.list(&BUILD_EXCLUDE_REGEX)?,
                follow_symlink: m.flag(&BUILD_FOLLOW_SYMLINK)?,
                exclude_unchanged: m.flag(&BUILD_EXCLUDE_UNCHANGED)?,
                poll: m.flag(&BUILD_POLL)?,
                // air sleeps `delay` ms: a negative value is no delay, not an error.
                delay_ms: m.int(&BUILD_DELAY)?.max(0) as u64,
                send_interrupt: m.flag(&BUILD_SEND_INTERRUPT)?,
                kill_delay_ms: m
                    .value(&BUILD_KILL_DELAY, true)?
                    .map_or(0, |v| kill_delay_ms(&v)),
                stop_on_error: m.flag(&BUILD_STOP_ON_ERROR)?,
                ignore_dangerous_root_dir: m.flag(&BUILD_IGNORE_DANGEROUS_ROOT_DIR)?,
            },
            proxy,
            type_errors: w.issues().iter().filter_map(wrong_type_text).collect(),
        };
        adjust_for_tmp_dir(&mut c);
        Ok(c)
    }
}

/// air's `adjustDefaultsForTmpDir`: with another `tmp_dir`, each of `cmd`, `bin` and
/// `exclude_dir` that still holds its default (compared one by one) moves along.
fn adjust_for_tmp_dir(c: &mut AirConfig) {
    let default_tmp = text(TMP_DIR.air_value());
    if c.tmp_dir == default_tmp {
        return;
    }
    let joined = go_clean(&format!("{}/main", c.tmp_dir));
    let (bin, out) = if c.tmp_dir.starts_with('/') {
        (joined.clone(), joined)
    } else {
        (format!("./{joined}"), format!("./{joined}"))
    };
    let b = &mut c.build;
    if b.cmd == text(BUILD_CMD.air_value()) {
        b.cmd = format!("go build -o {out} .");
    }
    if b.bin == text(BUILD_BIN.air_value()) {
        b.bin = bin;
    }
    if b.exclude_dir == list(BUILD_EXCLUDE_DIR.air_value()) {
        for d in b.exclude_dir.iter_mut().filter(|d| **d == default_tmp) {
            d.clone_from(&c.tmp_dir);
        }
    }
}

impl AirConfig {
    /// What air starts for the app, from this config's keys (see [`AppKeys::app`]).
    pub fn app(&self, cwd: &Path, root: &Path) -> App {
        let b = &self.build;
        AppKeys {
            bin: &b.bin,
            full_bin: &b.full_bin,
            entrypoint: b.entrypoint.as_deref(),
            entrypoint_args: &b.entrypoint_args,
            args_bin: &b.args_bin,
        }
        .app(cwd, root)
    }

    /// The command line air hands to `/bin/sh -c` to start the app (`runBin`): the binary
    /// or `full_bin`, quoted when it is an absolute path with a space (`formatPath`: so
    /// `bin = "./tmp/main serve"` runs a file named `main serve`), then its arguments,
    /// joined unquoted.
    pub fn app_command(&self, cwd: &Path, root: &Path) -> String {
        let (first, args) = match self.app(cwd, root) {
            App::Shell { line, args } => (line, args),
            App::Binary { path, args } => (path.display().to_string(), args),
        };
        let first = if first.starts_with('/') && first.contains(' ') {
            format!("\"{first}\"")
        } else {
            first
        };
        std::iter::once(first)
            .chain(args)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The path air treats as its binary (`binPath`), which `include_ext = ["*"]` leaves
    /// out: the entrypoint binary, else `full_bin` or `bin` joined to `root` (a `bin` is
    /// already absolute from `cwd`, a `full_bin` is taken as a path, arguments and all).
    pub fn bin_path(&self, cwd: &Path, root: &Path) -> PathBuf {
        let b = &self.build;
        match &b.entrypoint {
            Some(e) => entrypoint_path(e, root),
            None if !b.full_bin.is_empty() => abs_in(root, &b.full_bin),
            None => abs_in(cwd, &b.bin),
        }
    }

    /// `exclude_dir` entries as air compares them (`cleanPath`): trimmed, one trailing `/`
    /// removed, and nothing else, so `./vendor` never matches anything (air does not strip a
    /// leading `./`).
    pub fn excluded_dirs(&self) -> impl Iterator<Item = String> + '_ {
        self.build.exclude_dir.iter().map(|d| {
            let d = d.trim();
            d.strip_suffix('/').unwrap_or(d).to_string()
        })
    }

    /// Why air, started with this config watching `root`, stops before its first build: a
    /// value of the wrong type, an `exclude_regex` that does not compile (Rust's regex
    /// standing in for Go's RE2, whose syntax it shares), or a root that does not exist (and
    /// that air does not create by making `tmp_dir` inside it). None when it starts.
    pub fn refusal(&self, root: &Path) -> Option<String> {
        if let Some(t) = self.type_errors.first() {
            return Some(format!("air cannot convert {t}"));
        }
        if let Some((r, e)) = self
            .build
            .exclude_regex
            .iter()
            .find_map(|r| regex::Regex::new(r).err().map(|e| (r, e)))
        {
            return Some(format!("exclude_regex \"{r}\" does not compile: {e}"));
        }
        let tmp = abs_in(root, &self.tmp_dir);
        let made_with_tmp = tmp
            .strip_prefix(root)
            .is_ok_and(|rest| !rest.as_os_str().is_empty());
        if !root.exists() && !made_with_tmp {
            return Some(format!("root {} does not exist", root.display()));
        }
        None
    }

    /// The warnings air v1.67.4 prints for this config file before its first build, word for
    /// word and in its order: `warnf` in `runner/config.go` (the dangerous root it was told
    /// to accept, `build.bin` without `build.entrypoint`: the file merged onto air's
    /// defaults always has a `bin`), then the watcher's line for an `include_dir` outside
    /// `root` that does not exist, once for each time it is listed (one inside is walked
    /// with the root, silently).
    pub fn startup_warnings(&self, root: &Path) -> Vec<String> {
        let mut out = vec![];
        if self.build.ignore_dangerous_root_dir && dangerous_root(root).is_some() {
            out.push("[warning] ignoring root directory protections. This could cause excessive file watching. It is recommended to run air in a project directory".to_string());
        }
        if self.build.entrypoint.is_none() {
            out.push(BIN_DEPRECATED.into());
        }
        // air skips a folder it already watches, so only an existing one is said once.
        let mut seen: Vec<PathBuf> = vec![];
        for dir in &self.build.include_dir {
            let dir = dir.trim().trim_end_matches('/');
            if dir.is_empty() {
                continue;
            }
            let abs = abs_in(root, dir);
            if abs.starts_with(root) || seen.contains(&abs) {
                continue;
            }
            if abs.exists() {
                seen.push(abs);
            } else {
                let rel = crate::filepath::rel(root, &abs);
                out.push(format!("include_dir {rel} does not exist, skipping"));
            }
        }
        out
    }

    /// `tmp_dir` as a root-relative clean path.
    pub fn tmp_rel(&self) -> String {
        clean_rel(&self.tmp_dir)
    }

    pub fn testdata_rel(&self) -> String {
        clean_rel(&self.testdata_dir)
    }
}

/// What air v1.67.4 prints for a config file without `entrypoint`.
pub const BIN_DEPRECATED: &str = "[warning] build.bin is deprecated; set build.entrypoint instead";

/// air's `isDangerousRoot`: the folder named as air names it when air refuses to watch
/// `root` (`/`, the home folder, `/root`), links resolved.
pub fn dangerous_root(root: &Path) -> Option<&'static str> {
    let real = std::fs::canonicalize(root).unwrap_or_else(|_| clean(root));
    let home = std::env::var_os("HOME").map(|h| clean(Path::new(&h)));
    if real == Path::new("/") {
        Some("root directory (/)")
    } else if Some(&real) == home.as_ref() {
        Some("home directory (~)")
    } else if real == Path::new("/root") {
        Some("/root directory")
    } else {
        None
    }
}

/// air's `killDelay()`: the value is a `time.Duration` (an integer is nanoseconds), but one
/// under a millisecond is taken as milliseconds, so `kill_delay = 500` means 500 ms.
fn kill_delay_ms(v: &Value) -> u64 {
    let nanos = match v {
        Value::Integer(n) => u128::try_from(*n.value()).unwrap_or(0),
        Value::String(s) => crate::golang::duration::parse(s.value()).map_or(0, |d| d.as_nanos()),
        _ => 0,
    };
    let ms = if nanos < 1_000_000 {
        nanos
    } else {
        nanos / 1_000_000
    };
    u64::try_from(ms).unwrap_or(u64::MAX)
}

/// An entrypoint binary made absolute as air's `preprocess` does: a bare name is looked up
/// on PATH, anything else is relative to the watch root.
fn entrypoint_path(e: &str, root: &Path) -> PathBuf {
    if !e.is_empty() && !e.contains(['/', '\\']) {
        if let Ok(found) = which::which(e) {
            return clean(&found);
        }
    }
    abs_in(root, e)
}

/// The keys that choose what air starts for the app, wherever they were read from (this
/// model's `.air.toml`, or `reload-doctor run`'s file and flags).
pub struct AppKeys<'a> {
    pub bin: &'a str,
    pub full_bin: &'a str,
    pub entrypoint: Option<&'a str>,
    pub entrypoint_args: &'a [String],
    pub args_bin: &'a [String],
}

/// What air starts for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum App {
    /// `full_bin`: a shell line, then `args_bin`.
    Shell { line: String, args: Vec<String> },
    /// A binary, absolute (or a bare entrypoint name not found on PATH, joined to the watch
    /// root as air does), then the entrypoint's arguments and `args_bin`.
    Binary { path: PathBuf, args: Vec<String> },
}

impl AppKeys<'_> {
    /// air's choice (`runnerBin`, `runBin`), with `cwd` the folder air runs in and `root`
    /// the watch root: `full_bin` when set (a shell line; the entrypoint's arguments are
    /// dropped), else the `entrypoint` binary (found on PATH when it names no folder, else
    /// relative to `root`) and its arguments, else `bin` relative to `cwd`; `args_bin` last.
    pub fn app(&self, cwd: &Path, root: &Path) -> App {
        let args_bin = self.args_bin.iter().cloned();
        if !self.full_bin.is_empty() {
            return App::Shell {
                line: self.full_bin.to_string(),
                args: args_bin.collect(),
            };
        }
        match self.entrypoint {
            Some(e) => App::Binary {
                path: entrypoint_path(e, root),
                args: self
                    .entrypoint_args
                    .iter()
                    .cloned()
                    .chain(args_bin)
                    .collect(),
            },
            None => App::Binary {
                path: abs_in(cwd, self.bin),
                args: args_bin.collect(),
            },
        }
    }
}

/// Go's `filepath.Join(dir, p)` for a relative `p` (then cleaned), `p` cleaned when absolute.
fn abs_in(dir: &Path, p: &str) -> PathBuf {
    // Path's join keeps an absolute `p` alone, and `dir`'s bytes as they are.
    clean(&dir.join(p))
}

/// `./a//b/` -> `a/b`, the form air compares directory names in.
pub fn clean_rel(p: &str) -> String {
    let parts: Vec<&str> = p
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_air_defaults() {
        assert_eq!(parse("").unwrap(), AirConfig::default());
    }

    #[test]
    fn zero_values_are_replaced_by_defaults_like_air_does() {
        let c = parse("[build]\ndelay = 0\ncmd = \"\"\n").unwrap();
        assert_eq!(c.build.delay_ms, 1000);
        assert_eq!(c.build.cmd, "go build -o ./tmp/main .");
    }

    /// What air's view read leniently before the one model: a `pre_cmd` that is no array
    /// is no command (air refuses the file; the check says so).
    #[test]
    fn a_pre_cmd_of_the_wrong_type_runs_nothing() {
        let c = parse("[build]\npre_cmd = \"make\"\n").unwrap();
        assert!(c.build.pre_cmd.is_empty());
        assert_eq!(c.type_errors.len(), 1);
    }

    #[test]
    fn empty_arrays_replace_defaults() {
        let c = parse("[build]\nexclude_dir = []\n").unwrap();
        assert!(c.build.exclude_dir.is_empty());
    }

    #[test]
    fn changing_tmp_dir_moves_default_build_paths() {
        let c = parse("tmp_dir = \"build\"\n").unwrap();
        assert_eq!(c.build.bin, "./build/main");
        assert!(c.build.exclude_dir.contains(&"build".to_string()));
        let c = parse("tmp_dir = \"build\"\n[build]\nbin = \"./x\"\n").unwrap();
        assert_eq!(c.build.bin, "./x");
    }

    #[test]
    fn exclude_entries_are_compared_like_air() {
        let c = parse("[build]\nexclude_dir = [\"./vendor\", \"web/node_modules/\"]\n").unwrap();
        let got: Vec<String> = c.excluded_dirs().collect();
        assert_eq!(got, vec!["./vendor", "web/node_modules"]);
    }

    #[test]
    fn explicit_values_override() {
        let c = parse("tmp_dir = \"build\"\n[build]\ndelay = 50\nexclude_dir = [\"node_modules\"]\n[proxy]\nenabled = true\napp_port = 9000\n").unwrap();
        assert_eq!(c.tmp_dir, "build");
        assert_eq!(c.build.delay_ms, 50);
        assert_eq!(c.build.exclude_dir, vec!["node_modules"]);
        assert_eq!(c.proxy.app_port, Some(9000));
    }

    #[test]
    fn out_of_range_ports_are_kept_as_invalid_not_a_parse_error() {
        let c = parse("[proxy]\nenabled = true\napp_port = 70000\nproxy_port = -1\n").unwrap();
        assert_eq!(c.proxy.app_port, None);
        assert_eq!(
            c.proxy.invalid,
            vec![("proxy_port", -1), ("app_port", 70000)]
        );
    }

    #[test]
    fn syntax_error_points_at_line() {
        let text = "root = \".\"\n[build]\ncmd = \"go build\nbin = \"x\"\n";
        let (span, msg) = parse(text).unwrap_err();
        let (line, _) = crate::text::line_col(text, span.unwrap().start);
        assert_eq!(line, 3, "{msg}");
    }

    #[test]
    fn kill_delay_follows_airs_kill_delay() {
        let ms = |v: &str| {
            parse(&format!("[build]\nkill_delay = {v}\n"))
                .unwrap()
                .build
                .kill_delay_ms
        };
        assert_eq!(ms("\"2s\""), 2000);
        assert_eq!(ms("\"1m30s\""), 90_000);
        assert_eq!(ms("\"500ms\""), 500);
        assert_eq!(
            ms("500"),
            500,
            "an integer under 1 ms counts as milliseconds"
        );
        assert_eq!(ms("5000000"), 5, "5,000,000 ns is 5 ms");
        assert_eq!(ms("0"), 0);
        assert_eq!(ms("\"soon\""), 0);
        assert_eq!(AirConfig::default().build.kill_delay_ms, 0);
    }

    #[test]
    fn entrypoint_array_from_air_init_and_negative_delay_parse() {
        let c = parse("[build]\nentrypoint = [\"./tmp/main\", \"serve\"]\ndelay = -1\n").unwrap();
        assert_eq!(c.build.entrypoint.as_deref(), Some("./tmp/main"));
        assert_eq!(c.build.delay_ms, 0);
        let c = parse("[build]\nentrypoint = \"./tmp/app\"\n").unwrap();
        assert_eq!(c.build.entrypoint.as_deref(), Some("./tmp/app"));
    }

    #[test]
    fn tmp_dir_moves_each_default_on_its_own() {
        // air compares cmd, bin and exclude_dir with their defaults one by one.
        let c = parse("tmp_dir = \"out/\"\n[build]\ncmd = \"make\"\n").unwrap();
        assert_eq!(c.build.cmd, "make");
        assert_eq!(c.build.bin, "./out/main");
        assert!(c.build.exclude_dir.contains(&"out/".to_string()));
        let c = parse("tmp_dir = \"/var/tmp/x\"\n[build]\nexclude_dir = [\"tmp\"]\n").unwrap();
        assert_eq!(c.build.cmd, "go build -o /var/tmp/x/main .");
        assert_eq!(c.build.bin, "/var/tmp/x/main");
        assert_eq!(c.build.exclude_dir, vec!["tmp"]);
    }

    #[test]
    fn build_linux_overrides_and_build_windows_does_not() {
        let text = "[build]\ncmd = \"go build -o ./tmp/main.exe .\"\nbin = \"tmp\\\\main.exe\"\n[build.windows]\ncmd = \"w\"\n[build.linux]\nbin = \"./tmp/main\"\nentrypoint = [\"./tmp/main\", \"-v\"]\nargs_bin = []\n";
        let c = parse(text).unwrap();
        assert_eq!(c.build.cmd, "go build -o ./tmp/main.exe .");
        assert_eq!(c.build.bin, "./tmp/main");
        assert_eq!(c.build.entrypoint.as_deref(), Some("./tmp/main"));
        assert_eq!(c.build.entrypoint_args, vec!["-v"]);
    }

    #[test]
    fn app_command_is_what_air_hands_to_the_shell() {
        let (cwd, root) = (Path::new("/p"), Path::new("/p"));
        let cmd = |text: &str| parse(text).unwrap().app_command(cwd, root);
        assert_eq!(cmd(""), "/p/tmp/main");
        // The arguments become part of the quoted path: air runs a file named "main serve".
        assert_eq!(
            cmd("[build]\nbin = \"./tmp/main serve\"\n"),
            "\"/p/tmp/main serve\""
        );
        assert_eq!(
            cmd("[build]\nentrypoint = [\"./tmp/main\", \"serve\"]\nargs_bin = [\"-v\"]\n"),
            "/p/tmp/main serve -v"
        );
        assert_eq!(
            cmd("[build]\nfull_bin = \"APP_ENV=dev ./tmp/main\"\nentrypoint = [\"x\", \"y\"]\nargs_bin = [\"-v\"]\n"),
            "APP_ENV=dev ./tmp/main -v"
        );
        // bin is relative to the folder air runs in, an entrypoint to the watch root.
        let c = parse("root = \"..\"\n[build]\nbin = \"tmp/main\"\n").unwrap();
        assert_eq!(
            c.app_command(Path::new("/m/api"), Path::new("/m")),
            "/m/api/tmp/main"
        );
        let c = parse("root = \"..\"\n[build]\nentrypoint = \"tmp/main\"\n").unwrap();
        assert_eq!(
            c.app_command(Path::new("/m/api"), Path::new("/m")),
            "/m/tmp/main"
        );
        assert_eq!(
            c.bin_path(Path::new("/m/api"), Path::new("/m")),
            Path::new("/m/tmp/main")
        );
    }

    #[test]
    fn refusals_follow_air() {
        let root = std::env::temp_dir();
        assert!(parse("color = true\n").unwrap().refusal(&root).is_some());
        assert!(parse("[build]\nkill_delay = \"soon\"\n")
            .unwrap()
            .refusal(&root)
            .is_some());
        assert!(parse("[build]\nexclude_regex = [\"(\"]\n")
            .unwrap()
            .refusal(&root)
            .is_some());
        assert!(parse("").unwrap().refusal(&root).is_none());
        // A missing root is made by air when tmp_dir is inside it.
        let missing = root.join("rd-no-such-root");
        assert!(parse("").unwrap().refusal(&missing).is_none());
        assert!(parse("tmp_dir = \"/elsewhere\"\n")
            .unwrap()
            .refusal(&missing)
            .is_some());
    }

    #[test]
    fn clean_rel_normalises() {
        assert_eq!(clean_rel("./a//b/"), "a/b");
        assert_eq!(clean_rel("."), ".");
        assert_eq!(clean_rel("tmp"), "tmp");
    }
}
