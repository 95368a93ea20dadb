//! The one table of air's keys: every key air v1.67.4 reads from `.air.toml`
//! (`runner/config.go`), with its TOML type, air's default, how `reload-doctor run` takes it
//! (its flag, or why it leaves it to air, and its own default where that differs), and a lint
//! over a parsed document that keeps line numbers. The file is parsed once
//! ([`super::written`]); air's view ([`super::config`]), the runner's ([`super::runner`]) and
//! the `--build.*` flags are read from this table, so no key or default is written twice.
//!
//! air decodes with go-toml v1: unknown keys are ignored silently, a wrong type stops air
//! ("Can't convert ..."). It then merges the file onto its defaults with mergo
//! (`Overwrite = true`), which skips zero values: `delay = 0` still means 1000 ms and
//! `keep_scroll = false` still means true. Empty arrays are not skipped (a custom transformer
//! keeps any non-nil slice), so `exclude_dir = []` does clear the defaults.

use crate::suggest::closest;
use crate::text::line_col;
use toml_edit::{ImDocument, Item, TableLike, Value};

/// The TOML shape air's Go field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    /// An integer number of milliseconds.
    Millis,
    /// An integer TCP port.
    Port,
    Bool,
    StrList,
    /// `time.Duration`: an integer (nanoseconds; below 1 ms air reads it as milliseconds) or a
    /// Go duration string such as `"2s"`.
    Duration,
    /// A string or an array of strings.
    Entrypoint,
    Table,
    /// An array of tables (`[[build.rules]]`).
    Tables,
}

impl Kind {
    fn expected(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Millis | Kind::Port => "an integer",
            Kind::Bool => "true or false",
            Kind::StrList => "an array of strings",
            Kind::Duration => "a duration such as \"2s\" or an integer number of milliseconds",
            Kind::Entrypoint => "a string or an array of strings",
            Kind::Table => "a table",
            Kind::Tables => "an array of tables ([[...]])",
        }
    }

    /// mergo skips a zero value of this kind (`""`, `0`, `false`) and keeps air's default; a
    /// slice is kept whenever it is written.
    pub fn skips_zero(self) -> bool {
        matches!(
            self,
            Kind::Str | Kind::Millis | Kind::Port | Kind::Bool | Kind::Duration
        )
    }
}

/// How `reload-doctor run` takes a key (every way it differs from air: `runner::DIFFERENCES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// A table whose keys it reads.
    Table,
    /// A setting it uses, also given on its command line as `--{path}` and, when `short`,
    /// as `--{the last part}` too (`--build.cmd`, `--cmd`).
    Flag { short: bool },
    /// air's own display settings: read, named in a note, of no effect.
    AirsOwn,
    /// A setting it does not implement: named in a warning when set.
    NotUsed,
}

/// The runner's default for a key where it differs from air's, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunnerDefault {
    /// As TOML, like [`Key::air_default`].
    pub toml: &'static str,
    pub why: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Dotted path from the top of the file; `build.rules.x` is a key of each `[[build.rules]]`.
    pub path: &'static str,
    pub kind: Kind,
    /// air's default (`defaultConfig()`) as TOML, when it is not the zero value.
    pub air_default: Option<&'static str>,
    /// `[build.linux]`, `[build.darwin]` and `[build.windows]` may override it
    /// (`cfgBuildOverrides`).
    pub platform: bool,
    pub run: Run,
    pub runner_default: Option<RunnerDefault>,
    /// The first air release that reads it (from `runner/config.go` at each tag), None for
    /// the keys air v1.12 already had; an older air ignores it silently.
    pub since: Option<super::versions::Version>,
}

const fn key(path: &'static str, kind: Kind) -> Key {
    Key {
        path,
        kind,
        air_default: None,
        platform: false,
        run: match kind {
            Kind::Table | Kind::Tables => Run::Table,
            _ => Run::NotUsed,
        },
        runner_default: None,
        since: None,
    }
}

impl Key {
    const fn air(self, default: &'static str) -> Key {
        Key {
            air_default: Some(default),
            ..self
        }
    }

    const fn flag(self) -> Key {
        Key {
            run: Run::Flag { short: false },
            ..self
        }
    }

    const fn short_flag(self) -> Key {
        Key {
            run: Run::Flag { short: true },
            ..self
        }
    }

    const fn airs_own(self) -> Key {
        Key {
            run: Run::AirsOwn,
            ..self
        }
    }

    const fn not_used(self) -> Key {
        Key {
            run: Run::NotUsed,
            ..self
        }
    }

    const fn platform(self) -> Key {
        Key {
            platform: true,
            ..self
        }
    }

    const fn since(self, minor: u32, patch: u32) -> Key {
        Key {
            since: Some((1, minor, patch)),
            ..self
        }
    }

    const fn runner(self, toml: &'static str, why: &'static str) -> Key {
        Key {
            runner_default: Some(RunnerDefault { toml, why }),
            ..self
        }
    }

    /// What air uses when the file says `""`, `0` or `false`, if that differs from the zero
    /// value (mergo keeps the default then).
    pub fn zero_means(&self) -> Option<&'static str> {
        self.air_default.filter(|_| self.kind.skips_zero())
    }

    /// air's default as a value, None for the zero value.
    pub fn air_value(&self) -> Option<Value> {
        self.air_default.map(default_value)
    }

    /// The runner's default as a value: its own where it differs, else air's.
    pub fn runner_value(&self) -> Option<Value> {
        self.runner_default
            .map(|d| d.toml)
            .or(self.air_default)
            .map(default_value)
    }

    /// Whether a zero value air replaces by its default (`delay = 0` → 1000 ms, `[screen]
    /// keep_scroll = false` → true) changes only timing or the look of air's output: a wait in
    /// milliseconds, the name of air's build-error log, a [log], [color], [screen] or [misc]
    /// flag. Not what air watches, builds or runs (root, tmp_dir, cmd, bin).
    pub fn zero_only_timing_or_look(&self) -> bool {
        matches!(self.kind, Kind::Millis)
            || self.path == BUILD_LOG.path
            || [LOG, COLOR, SCREEN, MISC].iter().any(|t| {
                self.path
                    .strip_prefix(t.path)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    /// The table the key is in, None at the top level.
    pub fn parent(&self) -> Option<&'static Key> {
        self.path.rsplit_once('.').and_then(|(t, _)| find(t))
    }

    /// The last part of the path (`cmd` for `build.cmd`).
    pub fn name(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }

    /// The flags `reload-doctor run` takes the key as: `build.cmd` and `cmd`.
    pub fn flags(&self) -> Option<(&'static str, Option<&'static str>)> {
        match self.run {
            Run::Flag { short } => Some((self.path, short.then(|| self.name()))),
            _ => None,
        }
    }
}

/// A default of the table, which a unit test parses, row by row.
fn default_value(toml: &'static str) -> Value {
    toml.parse()
        .unwrap_or_else(|e| panic!("keys.rs: the default {toml} is not TOML: {e}"))
}

/// Declares each row as a `pub const` (how code names a key: `keys::BUILD_CMD`) and lists
/// them all, in order, in [`KEYS`].
macro_rules! table {
    ($($id:ident = $row:expr;)*) => {
        $(pub const $id: Key = $row;)*
        /// Every key of `Config` and its nested structs, in file order.
        pub static KEYS: &[Key] = &[$($id),*];
    };
}

use Kind::*;

table! {
    ROOT = key("root", Str).air("\".\"").flag();
    TMP_DIR = key("tmp_dir", Str).air("\"tmp\"").flag();
    TESTDATA_DIR = key("testdata_dir", Str).air("\"testdata\"").flag()
        .since(27, 4);
    ENV_FILES = key("env_files", StrList).flag()
        .since(64, 1);
    BUILD = key("build", Table);
    LOG = key("log", Table);
    COLOR = key("color", Table).airs_own();
    MISC = key("misc", Table).airs_own();
    SCREEN = key("screen", Table)
        .since(27, 4);
    PROXY = key("proxy", Table)
        .since(52, 0);
    BUILD_PRE_CMD = key("build.pre_cmd", StrList).platform().short_flag()
        .since(46, 0);
    BUILD_CMD = key("build.cmd", Str)
        .air("\"go build -o ./tmp/main .\"")
        .platform()
        .short_flag()
        .runner("\"\"", "built from tmp_dir (`go build -o ./TMP/main .`) when unset or empty");
    BUILD_POST_CMD = key("build.post_cmd", StrList).platform().short_flag()
        .since(46, 0);
    BUILD_BIN = key("build.bin", Str)
        .air("\"./tmp/main\"")
        .platform()
        .short_flag()
        .runner("\"\"", "built from tmp_dir (`./TMP/main`) when unset or empty");
    BUILD_ENTRYPOINT = key("build.entrypoint", Entrypoint).platform().short_flag()
        .since(63, 2);
    BUILD_FULL_BIN = key("build.full_bin", Str).platform().short_flag();
    BUILD_ARGS_BIN = key("build.args_bin", StrList).platform().short_flag()
        .since(30, 0);
    BUILD_LOG = key("build.log", Str).air("\"build-errors.log\"").flag();
    BUILD_INCLUDE_EXT = key("build.include_ext", StrList)
        .air("[\"go\", \"tpl\", \"tmpl\", \"html\"]")
        .short_flag();
    BUILD_EXCLUDE_DIR = key("build.exclude_dir", StrList)
        .air("[\"assets\", \"tmp\", \"vendor\", \"testdata\"]")
        .short_flag()
        .runner(
            "[\"assets\", \"tmp\", \"vendor\", \"testdata\", \"node_modules\"]",
            "node_modules holds no Go code and is often the largest folder",
        );
    BUILD_INCLUDE_DIR = key("build.include_dir", StrList).short_flag();
    BUILD_EXCLUDE_FILE = key("build.exclude_file", StrList).short_flag();
    BUILD_INCLUDE_FILE = key("build.include_file", StrList).short_flag()
        .since(41, 0);
    BUILD_EXCLUDE_REGEX = key("build.exclude_regex", StrList)
        .air("[\"_test.go\"]")
        .short_flag()
        .runner(
            "['_test\\.go$']",
            "air's `_test.go` is a regex whose `.` matches any character",
        )
        .since(27, 0);
    BUILD_EXCLUDE_UNCHANGED = key("build.exclude_unchanged", Bool).short_flag()
        .since(15, 1);
    BUILD_IGNORE_DANGEROUS_ROOT_DIR = key("build.ignore_dangerous_root_dir", Bool)
        .since(64, 1);
    BUILD_FOLLOW_SYMLINK = key("build.follow_symlink", Bool).short_flag()
        .since(27, 0);
    BUILD_POLL = key("build.poll", Bool).short_flag()
        .since(43, 0);
    BUILD_POLL_INTERVAL = key("build.poll_interval", Millis)
        .short_flag()
        .runner("500", "air's interval when it is unset or 0 (what `air init` writes)")
        .since(43, 0);
    BUILD_DELAY = key("build.delay", Millis)
        .air("1000")
        .short_flag()
        .runner("50", "50 ms, overlapped with the build: a save costs max(delay, build), not delay + build");
    BUILD_STOP_ON_ERROR = key("build.stop_on_error", Bool).short_flag();
    BUILD_SEND_INTERRUPT = key("build.send_interrupt", Bool).short_flag();
    BUILD_KILL_DELAY = key("build.kill_delay", Duration)
        .short_flag()
        .runner("\"5s\"", "the app gets SIGTERM and 5 s to stop before SIGKILL");
    BUILD_RERUN = key("build.rerun", Bool).short_flag()
        .since(41, 0);
    BUILD_RERUN_DELAY = key("build.rerun_delay", Millis).air("500").short_flag()
        .since(41, 0);
    BUILD_RULES = key("build.rules", Tables).not_used()
        .since(66, 0);
    BUILD_LINUX = key("build.linux", Table)
        .since(65, 0);
    BUILD_DARWIN = key("build.darwin", Table)
        .since(65, 0);
    BUILD_WINDOWS = key("build.windows", Table)
        .since(65, 0);
    BUILD_RULES_NAME = key("build.rules.name", Str);
    BUILD_RULES_CMD = key("build.rules.cmd", Str);
    BUILD_RULES_INCLUDE_DIR = key("build.rules.include_dir", StrList);
    BUILD_RULES_INCLUDE_EXT = key("build.rules.include_ext", StrList);
    BUILD_RULES_INCLUDE_FILE = key("build.rules.include_file", StrList);
    BUILD_RULES_EXCLUDE_REGEX = key("build.rules.exclude_regex", StrList);
    BUILD_RULES_DELAY = key("build.rules.delay", Millis).air("1000");
    LOG_TIME = key("log.time", Bool).flag();
    LOG_MAIN_ONLY = key("log.main_only", Bool).flag()
        .since(41, 0);
    LOG_SILENT = key("log.silent", Bool).flag()
        .since(61, 0);
    COLOR_MAIN = key("color.main", Str).air("\"magenta\"").airs_own();
    COLOR_WATCHER = key("color.watcher", Str).air("\"cyan\"").airs_own();
    COLOR_BUILD = key("color.build", Str).air("\"yellow\"").airs_own();
    COLOR_RUNNER = key("color.runner", Str).air("\"green\"").airs_own();
    COLOR_MODE = key("color.mode", Str).airs_own()
        .since(65, 3);
    COLOR_APP = key("color.app", Str).airs_own();
    MISC_CLEAN_ON_EXIT = key("misc.clean_on_exit", Bool).airs_own();
    MISC_STARTUP_BANNER = key("misc.startup_banner", Str).airs_own()
        .since(65, 1);
    SCREEN_CLEAR_ON_REBUILD = key("screen.clear_on_rebuild", Bool).flag()
        .since(27, 4);
    SCREEN_KEEP_SCROLL = key("screen.keep_scroll", Bool).air("true").flag()
        .since(41, 0);
    PROXY_ENABLED = key("proxy.enabled", Bool).flag()
        .since(52, 0);
    PROXY_PROXY_PORT = key("proxy.proxy_port", Port).flag()
        .since(52, 0);
    PROXY_APP_PORT = key("proxy.app_port", Port).flag()
        .since(52, 0);
    PROXY_APP_START_TIMEOUT = key("proxy.app_start_timeout", Millis).flag()
        .since(63, 6);
}

/// Names air does not have that evidently name one of its keys (what other reloaders and
/// guesses call it): `build_cmd` asks for `[build] cmd`, `run_cmd` for what air runs (bin or
/// full_bin), `log_time` for `[log] time`, `watch_dir` for root or include_dir. An unknown key
/// of such a name asks for that setting; lost only when its value differs from what air uses.
pub static ALIASES: &[(&str, &[Key])] = &[
    ("build_cmd", &[BUILD_CMD]),
    ("run_cmd", &[BUILD_BIN, BUILD_FULL_BIN]),
    ("log_time", &[LOG_TIME]),
    ("watch_dir", &[ROOT, BUILD_INCLUDE_DIR]),
];

/// The keys an unknown key's `name` is another name for (see [`ALIASES`]).
pub fn aliased(name: &str) -> &'static [Key] {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(&[], |(_, keys)| keys)
}

/// The tables of `[build]` keys air uses on one OS only; reload-doctor runs on Linux.
const PLATFORMS: [Key; 3] = [BUILD_LINUX, BUILD_DARWIN, BUILD_WINDOWS];

/// The row of dotted `path`.
pub fn find(path: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.path == path)
}

/// Where `[build.linux]` overrides `key`, for a key it may override.
pub fn linux_path(key: &Key) -> Option<String> {
    key.platform
        .then(|| format!("{}.{}", BUILD_LINUX.path, key.name()))
}

/// The key `name` of table `table` (dotted, `""` for the top level).
pub fn lookup(table: &str, name: &str) -> Option<Key> {
    if PLATFORMS.iter().any(|p| p.path == table) {
        // An empty value there means "keep [build]'s", not air's default.
        return find(&join(BUILD.path, name))
            .filter(|k| k.platform)
            .map(|k| Key {
                air_default: None,
                ..*k
            });
    }
    find(&join(table, name)).copied()
}

/// The names `table` knows.
fn names_in(table: &str) -> Vec<&'static str> {
    let platform = PLATFORMS.iter().any(|p| p.path == table);
    KEYS.iter()
        .filter_map(|k| match k.path.rsplit_once('.') {
            Some((t, name)) if platform && t == BUILD.path && k.platform => Some(name),
            Some((t, name)) if t == table => Some(name),
            None if table.is_empty() => Some(k.path),
            _ => None,
        })
        .collect()
}

fn join(table: &str, name: &str) -> String {
    if table.is_empty() {
        name.to_string()
    } else {
        format!("{table}.{name}")
    }
}

/// How a table is named in messages: `[build]`, or "the top level".
pub fn table_label(table: &str) -> String {
    if table.is_empty() {
        "the top level".into()
    } else {
        format!("[{table}]")
    }
}

/// One problem with one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// 1-based line of the key.
    pub line: usize,
    /// Dotted path as written (`build.exlude_dir`).
    pub path: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not an air key anywhere; `suggestion` is a dotted path.
    Unknown { suggestion: Option<String> },
    /// An air key, but of another table (given as dotted path, `""` for the top level).
    Misplaced { belongs_in: String },
    WrongType {
        expected: &'static str,
        found: String,
    },
    /// A zero value that mergo skips: air uses `applies` instead.
    ZeroIgnored { applies: &'static str },
    /// A key an older air read (its `air init` wrote it) that this air no longer has;
    /// `inert` when it holds the value that air used without it.
    Retired { inert: bool },
}

/// Keys older air versions had and `air init` wrote into many configs still in use, with
/// the value they held by default (as TOML). air v1.67 has none of them.
const RETIRED: &[(&str, &str)] = &[("build.stop_on_root", "false")];

/// Check every key of a parsed `.air.toml` against air's key set.
pub fn lint(doc: &ImDocument<String>) -> Vec<Issue> {
    let mut issues = vec![];
    walk(doc.raw(), doc.as_table(), "", &mut issues);
    issues.sort_by_key(|i| i.line);
    issues
}

fn walk(raw: &str, table: &dyn TableLike, path: &str, out: &mut Vec<Issue>) {
    for (name, item) in table.iter() {
        let line = key_line(raw, table, name, item);
        let here = join(path, name);
        let Some(key) = lookup(path, name) else {
            let problem = match RETIRED.iter().find(|(p, _)| *p == here) {
                Some((_, default)) => Problem::Retired {
                    inert: item
                        .as_value()
                        .is_some_and(|v| v.to_string().trim() == *default),
                },
                None => unknown(path, name, item),
            };
            out.push(Issue {
                line,
                path: here,
                problem,
            });
            continue;
        };
        match (key.kind, item) {
            (Table, _) if item.is_table_like() => {
                let t = item.as_table_like().expect("checked");
                walk(raw, t, &here, out);
            }
            (Tables, Item::ArrayOfTables(tables)) => {
                for t in tables.iter() {
                    walk(raw, t, &here, out);
                }
            }
            (Tables, Item::Value(Value::Array(a)))
                if a.iter().all(|v| v.as_inline_table().is_some()) =>
            {
                for t in a.iter().filter_map(Value::as_inline_table) {
                    walk(raw, t, &here, out);
                }
            }
            (kind, item) => {
                if let Some(found) = type_error(kind, item) {
                    out.push(Issue {
                        line,
                        path: here,
                        problem: Problem::WrongType {
                            expected: kind.expected(),
                            found,
                        },
                    });
                } else if let Some(applies) = key
                    .zero_means()
                    .filter(|_| item.as_value().is_some_and(is_zero))
                {
                    out.push(Issue {
                        line,
                        path: here,
                        problem: Problem::ZeroIgnored { applies },
                    });
                }
            }
        }
    }
}

/// What to say about a key air does not know at this place.
fn unknown(table: &str, name: &str, item: &Item) -> Problem {
    // The same name in another table, taking this value: it was written in the wrong place.
    // (`[log] color = true` is not the `[color]` table misplaced: moved, it would stop air.)
    let main_keys = KEYS.iter().filter(|k| !k.path.starts_with("build.rules."));
    let main_tables = main_keys
        .clone()
        .map(|k| k.path.rsplit_once('.').unwrap_or(("", k.path)));
    for k in main_keys {
        let (t, n) = k.path.rsplit_once('.').unwrap_or(("", k.path));
        let fits = match k.kind {
            Table => item.is_table_like(),
            Tables => item.is_array_of_tables(),
            kind => type_error(kind, item).is_none() && value_suits(k.path, item),
        };
        if n == name && t != table && fits {
            return Problem::Misplaced {
                belongs_in: t.to_string(),
            };
        }
    }
    if let Some(s) = closest(name, names_in(table)) {
        return Problem::Unknown {
            suggestion: Some(join(table, s)),
        };
    }
    // From another table only a key that takes this value (`[watcher]` is no `color.watcher`)
    // and is a real near-spelling, at most two letters off (`[build] watch_dir = "."` is no
    // `[color] watcher`, three off: a colour name).
    let all: Vec<String> = main_tables
        .filter(|(_, n)| crate::suggest::distance(name, n) <= 2)
        .map(|(t, n)| join(t, n))
        .filter(|p| accepts(p, item))
        .collect();
    let suggestion =
        closest(name, all.iter().map(|p| p.rsplit('.').next().unwrap_or(p))).and_then(|n| {
            all.iter()
                .find(|p| p.rsplit('.').next() == Some(n))
                .cloned()
        });
    Problem::Unknown { suggestion }
}

/// Line of a key: its own span, else its value's.
fn key_line(raw: &str, table: &dyn TableLike, name: &str, item: &Item) -> usize {
    let span = table
        .key(name)
        .and_then(|k| k.span())
        .or_else(|| item.span())
        .or_else(|| item.as_table().and_then(|t| t.span()));
    span.map_or(1, |s| line_col(raw, s.start).0)
}

/// The keys `doc` sets that no air up to `newest` reads (each with the release that added
/// it), outermost only: a `[proxy]` table older air ignores is one key, not four. A key
/// holding only zero values (`env_files = []`, `enabled = false`) or the newer air's default
/// (`rerun_delay = 500`, `keep_scroll = true`: what `air init` of a newer air writes, and a
/// new key's default keeps the older behaviour) changes nothing there and is left out.
pub fn newer_than(
    doc: &ImDocument<String>,
    newest: super::versions::Version,
) -> Vec<(&'static Key, usize)> {
    let mut out: Vec<(&'static Key, usize)> = vec![];
    for k in KEYS {
        if k.since.is_none_or(|s| s <= newest) {
            continue;
        }
        let Some(line) = get(doc, k.path)
            .filter(|item| !all_zero(item) && !is_default(k, item))
            .and(line_of(doc, k.path))
        else {
            continue;
        };
        let under_reported = out
            .iter()
            .any(|(p, _)| k.path.starts_with(&format!("{}.", p.path)));
        if !under_reported {
            out.push((k, line));
        }
    }
    out
}

/// The 1-based line of the key at dotted `path` (e.g. `build.exclude_dir`), if it is in the file.
pub fn line_of(doc: &ImDocument<String>, path: &str) -> Option<usize> {
    let (table_path, name) = path.rsplit_once('.').unwrap_or(("", path));
    let mut table: &dyn TableLike = doc.as_table();
    if !table_path.is_empty() {
        for part in table_path.split('.') {
            table = table.get(part)?.as_table_like()?;
        }
    }
    let item = table.get(name)?;
    Some(key_line(doc.raw(), table, name, item))
}

/// The value at dotted `path`, if the file has it.
pub fn get<'a>(doc: &'a ImDocument<String>, path: &str) -> Option<&'a Item> {
    let mut item = doc.as_item();
    for part in path.split('.') {
        item = item.as_table_like()?.get(part)?;
    }
    Some(item)
}

/// Whether air's key at dotted `path` takes `item` (so moving it there cannot stop air).
pub fn accepts(path: &str, item: &Item) -> bool {
    let (table, name) = path.rsplit_once('.').unwrap_or(("", path));
    match lookup(table, name).map(|k| k.kind) {
        Some(Table) => item.is_table_like(),
        Some(Tables) => item.is_array_of_tables(),
        Some(kind) => type_error(kind, item).is_none() && value_suits(path, item),
        None => false,
    }
}

/// The colour names air's logger knows (runner/logger.go `colorMap`); any other name prints
/// in white.
const COLOURS: &[&str] = &["red", "green", "yellow", "blue", "magenta", "cyan", "white"];

/// What `[color] mode` takes (runner/config.go; any other value stops air).
const COLOUR_MODES: &[&str] = &["always", "auto", "never"];

/// Whether a value of the right type means something to air's key at `path`: a `[color]` key
/// takes a colour name (`[log] watcher = "on"` is no colour: it was never meant for
/// `[color] watcher`, and moving it there would only print white). Zero values pass (air
/// skips them).
fn value_suits(path: &str, item: &Item) -> bool {
    let Some(text) = item.as_str().filter(|t| !t.is_empty()) else {
        return true;
    };
    if path == COLOR_MODE.path {
        COLOUR_MODES.contains(&text)
    } else if path.split('.').next() == COLOR_MAIN.path.split('.').next() {
        COLOURS.contains(&text)
    } else {
        true
    }
}

fn type_error(kind: Kind, item: &Item) -> Option<String> {
    let Item::Value(v) = item else {
        let shape = if item.is_array_of_tables() {
            "an array of tables"
        } else {
            "a table"
        };
        return Some(shape.into());
    };
    let string_list = |a: &toml_edit::Array| a.iter().all(|v| v.is_str());
    let ok = match kind {
        Str => v.is_str(),
        Millis | Port => v.is_integer(),
        Bool => v.is_bool(),
        StrList => v.as_array().is_some_and(string_list),
        Entrypoint => v.is_str() || v.as_array().is_some_and(string_list),
        Duration => match v {
            Value::Integer(_) => true,
            Value::String(s) => crate::golang::duration::is_valid(s.value()),
            _ => false,
        },
        Table | Tables => false,
    };
    if ok {
        return None;
    }
    Some(match (kind, v) {
        (Duration, Value::String(s)) => format!("\"{}\", not a Go duration", s.value()),
        (StrList | Entrypoint, Value::Array(_)) => "an array with non-string items".into(),
        (_, v) => match v.type_name() {
            t @ ("integer" | "array" | "inline table") => format!("an {t}"),
            t => format!("a {t}"),
        },
    })
}

/// The value air uses when the key is absent, as written (spacing aside).
fn is_default(k: &Key, item: &Item) -> bool {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    match (k.air_default, item.as_value()) {
        (Some(default), Some(v)) => squeeze(&v.to_string()) == squeeze(default),
        _ => false,
    }
}

/// Only zero values: `""`, `0`, `false`, `[]`, or a table of them.
fn all_zero(item: &Item) -> bool {
    match item {
        Item::Value(Value::Array(a)) => a.is_empty(),
        Item::Value(v) => is_zero(v),
        _ => item
            .as_table_like()
            .is_some_and(|t| t.iter().all(|(_, i)| all_zero(i))),
    }
}

/// A value as written, without its comments and spacing (`["go", "tpl"]`): what a finding
/// shows, and what is compared with air's default.
pub fn shown(v: &Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    match v {
        Value::Array(mut a) => {
            a.fmt();
            a.to_string()
        }
        v => v.to_string(),
    }
}

/// [`is_zero`] or an empty list: a value that asks for nothing.
pub fn is_empty_value(v: &Value) -> bool {
    is_zero(v) || v.as_array().is_some_and(|a| a.is_empty())
}

/// `""`, `0` or `false`: a value mergo skips (for a key whose kind [`Kind::skips_zero`]).
pub fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.value().is_empty(),
        Value::Integer(i) => *i.value() == 0,
        Value::Boolean(b) => !*b.value(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(text: &str) -> Vec<Issue> {
        lint(&ImDocument::parse(text.to_string()).unwrap())
    }

    #[test]
    fn every_table_key_is_known() {
        for k in KEYS {
            let (t, n) = k.path.rsplit_once('.').unwrap_or(("", k.path));
            assert!(lookup(t, n).is_some(), "{}", k.path);
        }
        assert!(lookup("build.linux", "cmd").is_some());
        assert!(lookup("build.linux", "delay").is_none());
    }

    #[test]
    fn every_default_is_a_value_of_its_key() {
        for k in KEYS {
            for v in [k.air_value(), k.runner_value()].into_iter().flatten() {
                let item = Item::Value(v.clone());
                assert_eq!(type_error(k.kind, &item), None, "{}: {v}", k.path);
            }
        }
        assert_eq!(BUILD_DELAY.zero_means(), Some("1000"));
        assert_eq!(BUILD_EXCLUDE_DIR.zero_means(), None, "[] is kept");
        // What each replaced zero costs: a wait or a look, or what air watches, builds, runs.
        let little: Vec<&str> = KEYS
            .iter()
            .filter(|k| k.zero_means().is_some() && k.zero_only_timing_or_look())
            .map(|k| k.path)
            .collect();
        let real: Vec<&str> = KEYS
            .iter()
            .filter(|k| k.zero_means().is_some() && !k.zero_only_timing_or_look())
            .map(|k| k.path)
            .collect();
        assert_eq!(
            little,
            [
                "build.log",
                "build.delay",
                "build.rerun_delay",
                "build.rules.delay",
                "color.main",
                "color.watcher",
                "color.build",
                "color.runner",
                "screen.keep_scroll"
            ]
        );
        assert_eq!(
            real,
            ["root", "tmp_dir", "testdata_dir", "build.cmd", "build.bin"]
        );
    }

    #[test]
    fn finds_typos_misplaced_keys_and_types_with_lines() {
        let got = issues(
            "root = \".\"\nbin = \"./tmp/main\"\n[build]\n  exlude_dir = [\"tmp\"]\n  delay = \"fast\"\n  include_ext = [\"go\", 1]\n[screeen]\nkeep_scroll = true\n",
        );
        assert_eq!(
            got,
            vec![
                Issue {
                    line: 2,
                    path: "bin".into(),
                    problem: Problem::Misplaced {
                        belongs_in: "build".into()
                    }
                },
                Issue {
                    line: 4,
                    path: "build.exlude_dir".into(),
                    problem: Problem::Unknown {
                        suggestion: Some("build.exclude_dir".into())
                    }
                },
                Issue {
                    line: 5,
                    path: "build.delay".into(),
                    problem: Problem::WrongType {
                        expected: "an integer",
                        found: "a string".into()
                    }
                },
                Issue {
                    line: 6,
                    path: "build.include_ext".into(),
                    problem: Problem::WrongType {
                        expected: "an array of strings",
                        found: "an array with non-string items".into()
                    }
                },
                Issue {
                    line: 7,
                    path: "screeen".into(),
                    problem: Problem::Unknown {
                        suggestion: Some("screen".into())
                    }
                },
            ]
        );
    }

    /// `stop_on_root = false` is in the `air init` output of older airs (found in 16 configs
    /// of bench/air-corpus-288.txt): not a typo of stop_on_error.
    #[test]
    fn a_key_older_airs_wrote_is_retired_not_a_typo() {
        let got = issues("[build]\nstop_on_root = false\n[misc]\nstop_on_root = true\n");
        assert_eq!(got[0].problem, Problem::Retired { inert: true }, "{got:?}");
        let got = issues("[build]\n  stop_on_root = true # kept\n");
        assert_eq!(got[0].problem, Problem::Retired { inert: false }, "{got:?}");
    }

    /// Estate-CRM/backend-Ai's `[build] watch_dir = "."`: no key of [build] is near it, and
    /// `[color] watcher` (a colour, three letters off) is no spelling of it. A key of another
    /// table two letters off still is (`[build] keep_scrol` taking a bool).
    #[test]
    fn a_key_of_another_table_is_suggested_only_for_a_near_spelling() {
        let got = issues("[build]\nwatch_dir = \".\"\nkeep_scrol = true\n");
        assert_eq!(
            got[0].problem,
            Problem::Unknown { suggestion: None },
            "{got:?}"
        );
        assert_eq!(
            got[1].problem,
            Problem::Unknown {
                suggestion: Some("screen.keep_scroll".into())
            },
            "{got:?}"
        );
    }

    #[test]
    fn a_key_is_misplaced_only_where_its_value_fits() {
        let got = issues("[log]\ncolor = true\n[build]\ncolor = \"x\"\n[misc]\nmain_only = true\n");
        let problems: Vec<&Problem> = got.iter().map(|i| &i.problem).collect();
        assert!(matches!(problems[0], Problem::Unknown { .. }), "{got:?}");
        assert!(matches!(problems[1], Problem::Unknown { .. }), "{got:?}");
        assert_eq!(
            problems[2],
            &Problem::Misplaced {
                belongs_in: "log".into()
            }
        );
    }

    #[test]
    fn zero_values_air_replaces() {
        let got = issues("[build]\ndelay = 0\nkill_delay = 0\nexclude_dir = []\n[screen]\nkeep_scroll = false\n[build.linux]\ncmd = \"\"\n");
        let zero: Vec<(usize, &str, &str)> = got
            .iter()
            .filter_map(|i| match &i.problem {
                Problem::ZeroIgnored { applies } => Some((i.line, i.path.as_str(), *applies)),
                _ => None,
            })
            .collect();
        assert_eq!(
            zero,
            vec![
                (2, "build.delay", "1000"),
                (6, "screen.keep_scroll", "true")
            ]
        );
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn inline_tables_dotted_keys_and_rules() {
        let got = issues(
            "build.cmd = \"go build\"\nproxy = { enabled = true, app_prot = 1 }\n[[build.rules]]\nname = \"css\"\ncmd = 1\n",
        );
        let paths: Vec<&str> = got.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, vec!["proxy.app_prot", "build.rules.cmd"]);
        assert_eq!(got[1].line, 5);
    }

    #[test]
    fn line_of_finds_nested_keys() {
        let doc =
            ImDocument::parse("root = \".\"\n\n[build]\n  cmd = \"x\"\n".to_string()).unwrap();
        assert_eq!(line_of(&doc, "build.cmd"), Some(4));
        assert_eq!(line_of(&doc, "root"), Some(1));
        assert_eq!(line_of(&doc, "build.bin"), None);
    }
}
