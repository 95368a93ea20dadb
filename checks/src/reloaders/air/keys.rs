//! Every key air v1.67.4 reads from `.air.toml` (`runner/config.go`), with its TOML type and
//! what air really uses when the file holds a zero value, and a lint over a parsed document
//! that keeps line numbers.
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
    Int,
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
            Kind::Int => "an integer",
            Kind::Bool => "true or false",
            Kind::StrList => "an array of strings",
            Kind::Duration => "a duration such as \"2s\" or an integer number of milliseconds",
            Kind::Entrypoint => "a string or an array of strings",
            Kind::Table => "a table",
            Kind::Tables => "an array of tables ([[...]])",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Dotted path from the top of the file; `build.rules.x` is a key of each `[[build.rules]]`.
    pub path: &'static str,
    pub kind: Kind,
    /// What air uses when the file says `""`, `0` or `false`, if that differs from the zero
    /// value (mergo keeps the default then).
    pub zero_means: Option<&'static str>,
}

const fn key(path: &'static str, kind: Kind) -> Key {
    Key {
        path,
        kind,
        zero_means: None,
    }
}

const fn keep(path: &'static str, kind: Kind, default: &'static str) -> Key {
    Key {
        path,
        kind,
        zero_means: Some(default),
    }
}

use Kind::*;

/// The keys of `Config` and its nested structs, in file order.
pub static KEYS: &[Key] = &[
    keep("root", Str, "\".\""),
    keep("tmp_dir", Str, "\"tmp\""),
    keep("testdata_dir", Str, "\"testdata\""),
    key("env_files", StrList),
    key("build", Table),
    key("log", Table),
    key("color", Table),
    key("misc", Table),
    key("screen", Table),
    key("proxy", Table),
    key("build.pre_cmd", StrList),
    keep("build.cmd", Str, "\"go build -o ./tmp/main .\""),
    key("build.post_cmd", StrList),
    keep("build.bin", Str, "\"./tmp/main\""),
    key("build.entrypoint", Entrypoint),
    key("build.full_bin", Str),
    key("build.args_bin", StrList),
    keep("build.log", Str, "\"build-errors.log\""),
    key("build.include_ext", StrList),
    key("build.exclude_dir", StrList),
    key("build.include_dir", StrList),
    key("build.exclude_file", StrList),
    key("build.include_file", StrList),
    key("build.exclude_regex", StrList),
    key("build.exclude_unchanged", Bool),
    key("build.ignore_dangerous_root_dir", Bool),
    key("build.follow_symlink", Bool),
    key("build.poll", Bool),
    key("build.poll_interval", Int),
    keep("build.delay", Int, "1000"),
    key("build.stop_on_error", Bool),
    key("build.send_interrupt", Bool),
    key("build.kill_delay", Duration),
    key("build.rerun", Bool),
    keep("build.rerun_delay", Int, "500"),
    key("build.rules", Tables),
    key("build.linux", Table),
    key("build.darwin", Table),
    key("build.windows", Table),
    key("build.rules.name", Str),
    key("build.rules.cmd", Str),
    key("build.rules.include_dir", StrList),
    key("build.rules.include_ext", StrList),
    key("build.rules.include_file", StrList),
    key("build.rules.exclude_regex", StrList),
    keep("build.rules.delay", Int, "1000"),
    key("log.time", Bool),
    key("log.main_only", Bool),
    key("log.silent", Bool),
    keep("color.main", Str, "\"magenta\""),
    keep("color.watcher", Str, "\"cyan\""),
    keep("color.build", Str, "\"yellow\""),
    keep("color.runner", Str, "\"green\""),
    key("color.mode", Str),
    key("color.app", Str),
    key("misc.clean_on_exit", Bool),
    key("misc.startup_banner", Str),
    key("screen.clear_on_rebuild", Bool),
    keep("screen.keep_scroll", Bool, "true"),
    key("proxy.enabled", Bool),
    key("proxy.proxy_port", Int),
    key("proxy.app_port", Int),
    key("proxy.app_start_timeout", Int),
];

/// `[build.linux]`, `[build.darwin]`, `[build.windows]` override only these `[build]` keys
/// (`cfgBuildOverrides`); an empty value there means "keep [build]'s".
const PLATFORM_KEYS: [&str; 7] = [
    "pre_cmd",
    "cmd",
    "post_cmd",
    "bin",
    "entrypoint",
    "full_bin",
    "args_bin",
];
const PLATFORMS: [&str; 3] = ["build.linux", "build.darwin", "build.windows"];

/// The key `name` of table `table` (dotted, `""` for the top level).
pub fn lookup(table: &str, name: &str) -> Option<Key> {
    if PLATFORMS.contains(&table) {
        return PLATFORM_KEYS.contains(&name).then(|| Key {
            zero_means: None,
            ..lookup("build", name).expect("platform keys are build keys")
        });
    }
    let path = join(table, name);
    KEYS.iter().find(|k| k.path == path).copied()
}

/// The names `table` knows.
fn names_in(table: &str) -> Vec<&'static str> {
    if PLATFORMS.contains(&table) {
        return PLATFORM_KEYS.to_vec();
    }
    KEYS.iter()
        .filter_map(|k| match k.path.rsplit_once('.') {
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
}

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
            out.push(Issue {
                line,
                path: here,
                problem: unknown(path, name, item),
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
                } else if let Some(applies) = key.zero_means.filter(|_| is_zero(item)) {
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
            kind => type_error(kind, item).is_none(),
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
    // From another table only a key that takes this value (`[watcher]` is no `color.watcher`).
    let all: Vec<String> = main_tables
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
        Some(kind) => type_error(kind, item).is_none(),
        None => false,
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
        Int => v.is_integer(),
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

fn is_zero(item: &Item) -> bool {
    match item.as_value() {
        Some(Value::String(s)) => s.value().is_empty(),
        Some(Value::Integer(i)) => *i.value() == 0,
        Some(Value::Boolean(b)) => !*b.value(),
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
