//! Edits to `.air.toml` for [`crate::model::Action::WriteFile`] fixes, made with toml_edit so
//! the user's comments, order and spacing survive; only the changed value is rewritten.

use super::keys::{Key, BUILD, BUILD_EXCLUDE_FILE, BUILD_EXCLUDE_REGEX};
use toml_edit::{Array, DocumentMut, Item, TableLike, Value};

/// One change to a config file, kept as data so several fixes to the same file can be
/// applied in one rewrite.
#[derive(Debug, Clone)]
pub enum Edit {
    /// [`add_to_list`]
    AddToList {
        table: &'static str,
        key: &'static str,
        entry: String,
        /// What air used while the key was missing.
        defaults: Vec<String>,
    },
    /// [`set`]
    Set {
        table: &'static str,
        key: &'static str,
        value: Value,
    },
    /// [`move_key`]: dotted paths, `""`-free (`bin` -> `build.bin`, `screeen` -> `screen`).
    Move { from: String, to: String },
    /// [`comment_out`]
    CommentOut { path: String },
}

impl Edit {
    /// `text` with this edit made. A byte-order mark and CRLF line ends (a file saved on
    /// Windows) are kept as they were.
    pub fn apply(&self, text: &str) -> Result<String, String> {
        keeping_bom_and_crlf(text, |t| self.apply_lf(t))
    }

    fn apply_lf(&self, text: &str) -> Result<String, String> {
        match self {
            Edit::AddToList {
                table,
                key,
                entry,
                defaults,
            } => add_to_list(text, table, key, entry, defaults),
            Edit::Set { table, key, value } => set(text, table, key, value.clone()),
            Edit::Move { from, to } => move_key(text, from, to),
            Edit::CommentOut { path } => comment_out(text, path),
        }
    }
}

/// Run `edit` on `text` without its byte-order mark and with LF line ends, then put both
/// back as they were.
fn keeping_bom_and_crlf(
    text: &str,
    edit: impl FnOnce(&str) -> Result<String, String>,
) -> Result<String, String> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let crlf = body.contains("\r\n");
    let body = if crlf {
        body.replace("\r\n", "\n")
    } else {
        body.to_string()
    };
    let printed = edit(&body)?;
    let printed = if crlf {
        printed.replace('\n', "\r\n")
    } else {
        printed
    };
    Ok(format!("{bom}{printed}"))
}

/// templ's output, excluded by one regex rather than file by file.
pub const TEMPL_REGEX: &str = "_templ\\.go$";

/// How to keep a reloader from rebuilding for files its build writes (root-relative):
/// templ output by [`TEMPL_REGEX`], anything else by name in `exclude_file`. The doctor's
/// reloader-config finding and `reload-doctor run`'s loop message both say it this way.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// The `[build]` list: `exclude_regex` or `exclude_file`.
    pub key: Key,
    /// What to add to the list.
    pub entries: Vec<String>,
    /// `add "gen/stamp.go" to exclude_file`.
    pub advice: String,
}

impl Exclusion {
    pub fn for_written(written: &[String]) -> Exclusion {
        let (key, entries) =
            if !written.is_empty() && written.iter().all(|w| w.ends_with("_templ.go")) {
                (BUILD_EXCLUDE_REGEX, vec![TEMPL_REGEX.to_string()])
            } else {
                (BUILD_EXCLUDE_FILE, written.to_vec())
            };
        let quoted: Vec<String> = entries.iter().map(|e| toml_string(e)).collect();
        let advice = format!("add {} to {}", quoted.join(", "), key.name());
        Exclusion {
            key,
            entries,
            advice,
        }
    }

    /// Of a view's `exclude_regex` and `exclude_file`, the list this adds to.
    pub fn current<'a>(
        &self,
        exclude_regex: &'a [String],
        exclude_file: &'a [String],
    ) -> &'a [String] {
        if self.key == BUILD_EXCLUDE_REGEX {
            exclude_regex
        } else {
            exclude_file
        }
    }

    /// The whole `key = [...]` line: `current` (the list in force) with the entries added.
    pub fn line(&self, current: &[String]) -> String {
        let mut all: Vec<&String> = current.iter().collect();
        all.extend(self.entries.iter().filter(|e| !current.contains(e)));
        let quoted: Vec<String> = all.iter().map(|e| toml_string(e)).collect();
        format!("{} = [{}]", self.key.name(), quoted.join(", "))
    }

    /// The edits that make the change in `[build]`; `defaults` is what air uses while the
    /// key is missing.
    pub fn edits(&self, defaults: &[String]) -> Vec<Edit> {
        self.entries
            .iter()
            .map(|e| Edit::AddToList {
                table: BUILD.path,
                key: self.key.name(),
                entry: e.clone(),
                defaults: defaults.to_vec(),
            })
            .collect()
    }
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    Value::from(s).to_string().trim().to_string()
}

/// `text` with every edit applied, in order.
pub fn apply_all<'a>(
    text: &str,
    edits: impl IntoIterator<Item = &'a Edit>,
) -> Result<String, String> {
    edits
        .into_iter()
        .try_fold(text.to_string(), |t, e| e.apply(&t))
}

/// Append `entry` to the string array `table.key`. When the key is missing, it is created
/// holding `defaults` (what air used so far) plus `entry`, so nothing air did before is lost.
pub fn add_to_list(
    text: &str,
    table: &str,
    key: &str,
    entry: &str,
    defaults: &[String],
) -> Result<String, String> {
    edit(text, table, |t| match t.get_mut(key) {
        Some(item) => {
            let array = item
                .as_array_mut()
                .ok_or_else(|| format!("{table}.{key} is not an array"))?;
            if !array.iter().any(|v| v.as_str() == Some(entry)) {
                array.push(entry);
            }
            Ok(())
        }
        None => {
            let mut array: Array = defaults.iter().map(String::as_str).collect();
            if !defaults.iter().any(|d| d == entry) {
                array.push(entry);
            }
            insert_like_siblings(t, key, Value::Array(array));
            Ok(())
        }
    })
}

/// Set `table.key` to `value`, keeping any comment after the old value.
pub fn set(text: &str, table: &str, key: &str, value: Value) -> Result<String, String> {
    edit(text, table, |t| {
        match t.get_mut(key).and_then(Item::as_value_mut) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = value;
                *old.decor_mut() = decor;
            }
            None => insert_like_siblings(t, key, value),
        }
        Ok(())
    })
}

/// Move the key (a value or a whole table) at dotted `from` to dotted `to`, with its
/// comments; the tables on the way to `to` are created when missing. Refuses when `to`
/// is already set, so a fix never overwrites what the user wrote.
pub fn move_key(text: &str, from: &str, to: &str) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    let (from_table, from_name) = split(from);
    let (to_table, to_name) = split(to);
    if table_mut(doc.as_table_mut(), to_table, false).is_some_and(|t| t.contains_key(to_name)) {
        return Err(format!("{to} is already set"));
    }
    if from_table == to_table {
        // A typo fixed in place: same position, same comments.
        let t = table_mut(doc.as_table_mut(), from_table, false)
            .ok_or_else(|| format!("{from} is not in the file"))?;
        if !t.contains_key(from_name) {
            return Err(format!("{from} is not in the file"));
        }
        let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
        for k in keys {
            let decor = t.key(&k).map(|k| k.leaf_decor().clone());
            let item = t.remove(&k).expect("listed");
            let name = if k == from_name { to_name } else { k.as_str() };
            t.insert(name, item);
            if let (Some(d), Some(mut key)) = (decor, t.key_mut(name)) {
                *key.leaf_decor_mut() = d;
            }
        }
        return Ok(doc.to_string());
    }
    let source = table_mut(doc.as_table_mut(), from_table, false)
        .ok_or_else(|| format!("{from} is not in the file"))?;
    let decor = source.key(from_name).map(|k| k.leaf_decor().clone());
    let item = source
        .remove(from_name)
        .ok_or_else(|| format!("{from} is not in the file"))?;
    let target = table_mut(doc.as_table_mut(), to_table, true)
        .ok_or_else(|| format!("{to_table} is not a table"))?;
    if item.is_value() {
        // Comments above the key travel with it, indented like the new siblings.
        let comments: Vec<String> = decor
            .as_ref()
            .and_then(|d| d.prefix())
            .and_then(|p| p.as_str())
            .map(|p| {
                p.lines()
                    .map(str::trim)
                    .filter(|l| l.starts_with('#'))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        insert_like_siblings(target, to_name, item.into_value().expect("checked"));
        if let Some(mut k) = target.key_mut(to_name) {
            let indent = k
                .leaf_decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_string();
            let mut prefix: String = comments.iter().map(|c| format!("{indent}{c}\n")).collect();
            prefix.push_str(&indent);
            k.leaf_decor_mut().set_prefix(prefix);
        }
    } else {
        target.insert(to_name, item);
    }
    Ok(doc.to_string())
}

/// Turn the line of the scalar key at dotted `path` into a comment (`# delay = 0`): what air
/// does stays the same, and nothing the user wrote is lost. Refuses a key that does not sit
/// alone on its line.
pub fn comment_out(text: &str, path: &str) -> Result<String, String> {
    let doc =
        toml_edit::ImDocument::parse(text.to_string()).map_err(|e| e.message().to_string())?;
    let (table, name) = split(path);
    let mut t: &dyn TableLike = doc.as_table();
    for part in table.split('.').filter(|p| !p.is_empty()) {
        t = t
            .get(part)
            .and_then(Item::as_table_like)
            .ok_or_else(|| format!("{table} is not a table"))?;
    }
    let key = t
        .key(name)
        .ok_or_else(|| format!("{path} is not in the file"))?;
    let value = t
        .get(name)
        .and_then(Item::as_value)
        .ok_or_else(|| format!("{path} is not a value"))?;
    let (Some(k), Some(v)) = (key.span(), value.span()) else {
        return Err(format!("{path}: no position"));
    };
    let start = text[..k.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[v.end..].find('\n').map_or(text.len(), |i| v.end + i);
    let line = &text[start..end];
    if !text[start..k.start].trim().is_empty()
        || text[v.end..end].trim_start().starts_with(|c| c != '#')
    {
        return Err(format!("{path} shares its line"));
    }
    let indent = &line[..line.len() - line.trim_start().len()];
    Ok(format!(
        "{}{indent}# {}{}",
        &text[..start],
        line.trim_start(),
        &text[end..]
    ))
}

fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('.').unwrap_or(("", path))
}

/// The table at dotted `path` (`""` is the document), created when `create`.
fn table_mut<'a>(
    root: &'a mut toml_edit::Table,
    path: &str,
    create: bool,
) -> Option<&'a mut dyn TableLike> {
    let mut t: &mut dyn TableLike = root;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        if !t.contains_key(part) {
            if !create {
                return None;
            }
            let mut new = toml_edit::Table::new();
            new.set_implicit(false);
            t.insert(part, Item::Table(new));
        }
        t = t.get_mut(part)?.as_table_like_mut()?;
    }
    Some(t)
}

/// Parse, run `change` on `table` (dotted; created when missing), print. (A byte-order mark and CRLF
/// line ends are handled once, in [`Edit::apply`].)
fn edit(
    text: &str,
    table: &str,
    change: impl FnOnce(&mut dyn TableLike) -> Result<(), String>,
) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    // A dotted `table` (`build.windows`) is a table inside another.
    let t = table_mut(doc.as_table_mut(), table, true)
        .ok_or_else(|| format!("{table} is not a table"))?;
    change(t)?;
    Ok(doc.to_string())
}

/// Insert a new key, indented like the table's other keys.
fn insert_like_siblings(t: &mut dyn TableLike, key: &str, value: Value) {
    let indent = t
        .iter()
        .next()
        .map(|(k, _)| k.to_string())
        .and_then(|k| {
            t.key(&k)?
                .leaf_decor()
                .prefix()?
                .as_str()
                .map(str::to_string)
        })
        .map(|p| p.rsplit('\n').next().unwrap_or("").to_string())
        .filter(|p| p.chars().all(|c| c == ' ' || c == '\t'))
        .unwrap_or_default();
    t.insert(key, Item::Value(value));
    if let Some(mut k) = t.key_mut(key) {
        k.leaf_decor_mut().set_prefix(indent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# my config\nroot = \".\"\n\n[build]\n  # output goes to build/\n  cmd = \"go build -o ./build/app .\"  # keep\n  bin = \"./tmp/main\" # old\n  exclude_dir = [\"vendor\"]\n\n[screen]\n  clear_on_rebuild = true\n";

    #[test]
    fn appends_to_existing_list_keeping_comments() {
        let out = add_to_list(FILE, "build", "exclude_dir", "build", &[]).unwrap();
        assert_eq!(out, FILE.replace("[\"vendor\"]", "[\"vendor\", \"build\"]"));
        let again = add_to_list(&out, "build", "exclude_dir", "build", &[]).unwrap();
        assert_eq!(again, out, "adding twice changes nothing");
    }

    #[test]
    fn creates_missing_list_from_defaults_with_sibling_indent() {
        let defaults = vec!["go".to_string(), "tpl".to_string()];
        let out = add_to_list(FILE, "build", "include_ext", "html", &defaults).unwrap();
        assert!(
            out.contains(
                "  exclude_dir = [\"vendor\"]\n  include_ext = [\"go\", \"tpl\", \"html\"]\n"
            ),
            "{out}"
        );
        assert!(out.starts_with("# my config\n") && out.contains("# output goes to build/"));
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(parsed["build"]["include_ext"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn sets_string_keeping_trailing_comment() {
        let out = set(FILE, "build", "bin", "./build/app".into()).unwrap();
        assert_eq!(
            out,
            FILE.replace("\"./tmp/main\" # old", "\"./build/app\" # old")
        );
    }

    #[test]
    fn applies_several_edits_in_one_rewrite() {
        let edits = [
            Edit::Set {
                table: "build",
                key: "bin",
                value: "./build/app".into(),
            },
            Edit::AddToList {
                table: "build",
                key: "exclude_dir",
                entry: "build".into(),
                defaults: vec![],
            },
            Edit::Set {
                table: "build",
                key: "poll",
                value: true.into(),
            },
        ];
        let out = apply_all(FILE, &edits).unwrap();
        assert_eq!(
            out,
            FILE.replace("\"./tmp/main\" # old", "\"./build/app\" # old")
                .replace("[\"vendor\"]\n", "[\"vendor\", \"build\"]\n  poll = true\n")
        );
    }

    #[test]
    fn creates_missing_table() {
        let out = set("root = \".\"\n", "build", "bin", "./x".into()).unwrap();
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(parsed["build"]["bin"].as_str(), Some("./x"));
        assert!(out.starts_with("root = \".\"\n"));
    }

    #[test]
    fn moves_a_key_with_its_comment_into_its_table() {
        let text = "# top\n# the binary\nbin = \"./tmp/app\"\n\n[build]\n  cmd = \"go build -o ./tmp/app .\"\n";
        let out = move_key(text, "bin", "build.bin").unwrap();
        assert_eq!(
            out,
            "\n[build]\n  cmd = \"go build -o ./tmp/app .\"\n  # top\n  # the binary\n  bin = \"./tmp/app\"\n"
        );
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(parsed["build"]["bin"].as_str(), Some("./tmp/app"));
        // A misspelt key keeps its place and comment; the target must be free.
        let text = "[build]\n  exlude_dir = [\"x\"] # mine\n  delay = 5\n";
        let out = move_key(text, "build.exlude_dir", "build.exclude_dir").unwrap();
        assert!(out.contains("exclude_dir = [\"x\"] # mine"), "{out}");
        assert!(move_key(&out, "build.delay", "build.exclude_dir").is_err());
        // A whole table.
        let out = move_key("[screeen]\nkeep_scroll = true\n", "screeen", "screen").unwrap();
        assert_eq!(out, "[screen]\nkeep_scroll = true\n");
    }

    #[test]
    fn comments_out_a_line_keeping_everything() {
        let text = "[build]\n  # wait\n  delay = 0 # ms\n  cmd = \"x\"\n";
        let out = comment_out(text, "build.delay").unwrap();
        assert_eq!(
            out,
            "[build]\n  # wait\n  # delay = 0 # ms\n  cmd = \"x\"\n"
        );
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert!(parsed["build"].get("delay").is_none());
        assert!(comment_out("build = { delay = 0, x = 1 }\n", "build.delay").is_err());
    }

    #[test]
    fn refuses_what_it_cannot_edit() {
        assert!(add_to_list(
            "[build]\nexclude_dir = \"x\"\n",
            "build",
            "exclude_dir",
            "y",
            &[]
        )
        .is_err());
        assert!(set("build = 1\n", "build", "bin", "x".into()).is_err());
        assert!(set("[build\n", "build", "bin", "x".into()).is_err());
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_ends_are_kept() {
        let text = "\u{feff}# air\r\n[build]\r\n  delay = 0 # ms\r\n  bin = \"./tmp/main\"\r\n";
        let set = Edit::Set {
            table: "build",
            key: "delay",
            value: Value::from(1),
        };
        assert_eq!(
            set.apply(text).unwrap(),
            "\u{feff}# air\r\n[build]\r\n  delay = 1 # ms\r\n  bin = \"./tmp/main\"\r\n"
        );
        let add = Edit::AddToList {
            table: "build",
            key: "exclude_dir",
            entry: "node_modules".into(),
            defaults: vec![],
        };
        let out = add.apply(text).unwrap();
        assert!(out.starts_with('\u{feff}'), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        let comment = Edit::CommentOut {
            path: "build.delay".into(),
        };
        let out = comment.apply(text).unwrap();
        assert!(out.contains("\r\n  # delay = 0 # ms\r\n"), "{out:?}");
        let moved = Edit::Move {
            from: "bin".into(),
            to: "build.bin".into(),
        };
        let out = moved
            .apply("\u{feff}bin = \"./x\"\r\n[build]\r\n  delay = 0\r\n")
            .unwrap();
        assert!(
            out.starts_with('\u{feff}') && out.contains("bin = \"./x\"\r\n"),
            "{out:?}"
        );
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(out.starts_with('\u{feff}'), "{out:?}");
    }
}
