//! The shape of the code, checked: each fact has one definition, so a second one cannot be
//! written without this failing (issue 21).

use checks::reloaders::air::keys::KEYS;
use std::collections::BTreeSet;
use std::path::Path;

/// (path from the repository root, production code) of every Rust file under `dir`: the
/// part of a file before `#[cfg(test)]`, as unit tests may spell out what they check.
fn code(dir: &str) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
                out.push((rel.display().to_string(), code.to_string()));
            }
        }
    }
    let mut out = vec![];
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    out
}

/// The production code of the binary and of the checks crate.
fn all_code() -> Vec<(String, String)> {
    let all = [code("src"), code("checks/src")].concat();
    assert!(all.len() > 100, "{} files", all.len());
    all
}

/// The air keys `code` names by a string literal: a dotted path (`"build.cmd"`) or a
/// top-level key with an underscore (`"tmp_dir"`; a bare `"root"` is fresh's key too).
fn air_keys_named(code: &str) -> BTreeSet<&'static str> {
    KEYS.iter()
        .map(|k| k.path)
        .filter(|p| p.contains(['.', '_']) && code.contains(&format!("\"{p}\"")))
        .collect()
}

/// air's keys, defaults and flags are defined once, in checks' key table: no other code
/// names a key by a string (a clap flag, a setter's match arm or a list of defaults would),
/// except a report check citing the key its finding is about, and no file names a third of
/// them (that is a second list of keys).
#[test]
fn air_keys_are_defined_once() {
    let table = "checks/src/reloaders/air/keys.rs";
    for (file, code) in all_code() {
        if file == table {
            continue;
        }
        let named = air_keys_named(&code);
        let cites = file.starts_with("checks/src/registry/");
        assert!(
            cites || named.is_empty(),
            "{file} names air keys by a string ({named:?}): name each through its row of {table} (keys::BUILD_CMD), the one list of them"
        );
        assert!(
            named.len() < KEYS.len() / 3,
            "{file} names {} of air's {} keys ({named:?}): a second list of them; read them from keys::KEYS",
            named.len(),
            KEYS.len()
        );
    }
}

/// `.air.toml` is parsed once, into `reloaders::air::written::Written`, which air's view,
/// the runner's and the report all read; only `--fix`'s rewrites parse it again (to edit it
/// keeping comments).
#[test]
fn air_config_is_parsed_in_one_place() {
    let parse =
        regex::Regex::new(r"ImDocument::parse|toml::from_str|toml::Table\b|DocumentMut").unwrap();
    let allowed = [
        "checks/src/reloaders/air/written.rs",
        "checks/src/reloaders/air/edit.rs",
    ];
    for (file, code) in all_code() {
        assert!(
            !parse.is_match(&code) || allowed.contains(&file.as_str()),
            "{file} parses TOML itself: read .air.toml through reloaders::air::written::Written"
        );
    }
}
