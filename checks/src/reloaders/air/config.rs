//! air's `.air.toml`, as air v1.67 reads it: the keys reload-doctor needs, with air's defaults.
//!
//! air merges the file onto its defaults and skips zero values, so an explicit `delay = 0`
//! still means 1000 ms to air. [`AirConfig`] holds what air will *really* use; the raw
//! document is kept for checks that need the user's own spelling and line numbers.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings air will use, after merging the file onto air's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct AirConfig {
    pub root: String,
    pub tmp_dir: String,
    pub testdata_dir: String,
    pub build: Build,
    pub proxy: Proxy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub cmd: String,
    pub bin: String,
    pub entrypoint: Option<String>,
    pub full_bin: String,
    pub include_ext: Vec<String>,
    pub include_dir: Vec<String>,
    pub include_file: Vec<String>,
    pub exclude_dir: Vec<String>,
    pub exclude_file: Vec<String>,
    pub exclude_regex: Vec<String>,
    pub follow_symlink: bool,
    pub poll: bool,
    pub delay_ms: u64,
    pub send_interrupt: bool,
    /// How long air waits after SIGINT before SIGKILL, as air computes it (`killDelay()`).
    pub kill_delay_ms: u64,
    pub stop_on_error: bool,
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
        AirConfig {
            root: ".".into(),
            tmp_dir: "tmp".into(),
            testdata_dir: "testdata".into(),
            build: Build {
                cmd: "go build -o ./tmp/main .".into(),
                bin: "./tmp/main".into(),
                entrypoint: None,
                full_bin: String::new(),
                include_ext: strings(&["go", "tpl", "tmpl", "html"]),
                include_dir: vec![],
                include_file: vec![],
                exclude_dir: strings(&["assets", "tmp", "vendor", "testdata"]),
                exclude_file: vec![],
                exclude_regex: strings(&["_test.go"]),
                follow_symlink: false,
                poll: false,
                delay_ms: 1000,
                send_interrupt: false,
                kill_delay_ms: 0,
                stop_on_error: false,
            },
            proxy: Proxy::default(),
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The subset of the file's layout reload-doctor reads; every field optional so that
/// absent keys fall back to air's defaults.
#[derive(Debug, Default, Deserialize)]
struct RawFile {
    root: Option<String>,
    tmp_dir: Option<String>,
    testdata_dir: Option<String>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    proxy: RawProxy,
}

#[derive(Debug, Default, Deserialize)]
struct RawBuild {
    cmd: Option<String>,
    bin: Option<String>,
    entrypoint: Option<Entrypoint>,
    full_bin: Option<String>,
    include_ext: Option<Vec<String>>,
    include_dir: Option<Vec<String>>,
    include_file: Option<Vec<String>>,
    exclude_dir: Option<Vec<String>>,
    exclude_file: Option<Vec<String>>,
    exclude_regex: Option<Vec<String>>,
    follow_symlink: Option<bool>,
    poll: Option<bool>,
    /// Signed: air sleeps `delay` ms, and a negative value is no delay, not an error.
    delay: Option<i64>,
    send_interrupt: Option<bool>,
    /// An integer (nanoseconds) or a Go duration string; anything else is air's type error,
    /// reported by the config check.
    kill_delay: Option<toml::Value>,
    stop_on_error: Option<bool>,
}

/// `entrypoint` is a string or an array (binary, then arguments); `air init` writes the array.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Entrypoint {
    Binary(String),
    WithArgs(Vec<String>),
}

impl Entrypoint {
    fn binary(self) -> Option<String> {
        match self {
            Entrypoint::Binary(b) => Some(b),
            Entrypoint::WithArgs(v) => v.into_iter().next(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct RawProxy {
    enabled: Option<bool>,
    proxy_port: Option<i64>,
    app_port: Option<i64>,
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
        if let (Some(line), Some(col)) = (self.line, self.column) {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Read and parse an air config file.
pub fn load(path: &Path) -> Result<AirConfig, ConfigError> {
    let error = |message: String| ConfigError {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message,
    };
    let bytes = crate::system::files::read(path).map_err(|e| error(format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| error("not a text file (invalid UTF-8); air cannot read it either".into()))?;
    parse(&text).map_err(|(span, message)| {
        let (line, column) = span
            .map(|s| line_col(&text, s.start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    })
}

/// Parse config text; on error, the byte span the parser blamed and a one-line message.
pub fn parse(text: &str) -> Result<AirConfig, (Option<std::ops::Range<usize>>, String)> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let message = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_string();
        (e.span(), message)
    })?;
    Ok(merge(raw))
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// air's merge: a value from the file replaces the default only when it is not the zero value.
fn merge(raw: RawFile) -> AirConfig {
    fn text(v: Option<String>, default: &mut String) {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            *default = v;
        }
    }
    // An empty TOML array is a non-nil Go slice, so unlike strings it does replace the default.
    fn list(v: Option<Vec<String>>, default: &mut Vec<String>) {
        if let Some(v) = v {
            *default = v;
        }
    }
    fn flag(v: Option<bool>, default: &mut bool) {
        if v == Some(true) {
            *default = true;
        }
    }
    let mut c = AirConfig::default();
    text(raw.root, &mut c.root);
    text(raw.tmp_dir, &mut c.tmp_dir);
    text(raw.testdata_dir, &mut c.testdata_dir);
    let (b, rb) = (&mut c.build, raw.build);
    text(rb.cmd, &mut b.cmd);
    text(rb.bin, &mut b.bin);
    b.entrypoint = rb
        .entrypoint
        .and_then(Entrypoint::binary)
        .filter(|e| !e.is_empty());
    text(rb.full_bin, &mut b.full_bin);
    list(rb.include_ext, &mut b.include_ext);
    list(rb.include_dir, &mut b.include_dir);
    list(rb.include_file, &mut b.include_file);
    list(rb.exclude_dir, &mut b.exclude_dir);
    list(rb.exclude_file, &mut b.exclude_file);
    list(rb.exclude_regex, &mut b.exclude_regex);
    flag(rb.follow_symlink, &mut b.follow_symlink);
    flag(rb.poll, &mut b.poll);
    flag(rb.send_interrupt, &mut b.send_interrupt);
    flag(rb.stop_on_error, &mut b.stop_on_error);
    if let Some(d) = rb.delay.filter(|d| *d != 0) {
        b.delay_ms = d.max(0) as u64;
    }
    b.kill_delay_ms = rb.kill_delay.as_ref().map_or(0, kill_delay_ms);
    // air rewrites the tmp-dependent defaults when only tmp_dir was changed.
    let defaults = AirConfig::default();
    if c.tmp_dir != defaults.tmp_dir
        && b.cmd == defaults.build.cmd
        && b.bin == defaults.build.bin
        && b.exclude_dir == defaults.build.exclude_dir
    {
        b.cmd = format!("go build -o ./{}/main .", c.tmp_dir);
        b.bin = format!("./{}/main", c.tmp_dir);
        for d in b.exclude_dir.iter_mut().filter(|d| *d == "tmp") {
            d.clone_from(&c.tmp_dir);
        }
    }
    flag(raw.proxy.enabled, &mut c.proxy.enabled);
    for (key, value, port) in [
        ("proxy_port", raw.proxy.proxy_port, &mut c.proxy.proxy_port),
        ("app_port", raw.proxy.app_port, &mut c.proxy.app_port),
    ] {
        match value.filter(|v| *v != 0).map(u16::try_from) {
            Some(Ok(p)) => *port = Some(p),
            Some(Err(_)) => c.proxy.invalid.push((key, value.unwrap_or_default())),
            None => {}
        }
    }
    c
}

impl AirConfig {
    /// `exclude_dir` entries as air compares them: trimmed, trailing `/` removed, and nothing
    /// else, so `./vendor` never matches anything (air does not strip a leading `./`).
    pub fn excluded_dirs(&self) -> impl Iterator<Item = String> + '_ {
        self.build
            .exclude_dir
            .iter()
            .map(|d| d.trim().trim_end_matches('/').to_string())
    }

    /// `tmp_dir` as a root-relative clean path.
    pub fn tmp_rel(&self) -> String {
        clean_rel(&self.tmp_dir)
    }

    pub fn testdata_rel(&self) -> String {
        clean_rel(&self.testdata_dir)
    }
}

/// air's `killDelay()`: the value is a `time.Duration` (an integer is nanoseconds), but one
/// under a millisecond is taken as milliseconds, so `kill_delay = 500` means 500 ms.
fn kill_delay_ms(v: &toml::Value) -> u64 {
    let nanos = match v {
        toml::Value::Integer(n) => u128::try_from(*n).unwrap_or(0),
        toml::Value::String(s) => crate::golang::duration::parse(s).map_or(0, |d| d.as_nanos()),
        _ => 0,
    };
    let ms = if nanos < 1_000_000 {
        nanos
    } else {
        nanos / 1_000_000
    };
    u64::try_from(ms).unwrap_or(u64::MAX)
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
        let (line, _) = line_col(text, span.unwrap().start);
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
    fn clean_rel_normalises() {
        assert_eq!(clean_rel("./a//b/"), "a/b");
        assert_eq!(clean_rel("."), ".");
        assert_eq!(clean_rel("tmp"), "tmp");
    }
}
