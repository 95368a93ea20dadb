//! The shape of the code, checked: each fact has one definition, so a second one cannot be
//! written without this failing (issue 21).

use checks::reloaders::air::keys::KEYS;
use reload_doctor_checks as checks;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// (path from the repository root, production code) of every Rust file under `dir`: the part
/// of a file before its first `#[cfg(test)]`, as unit tests may do what production code must
/// not; a module file that only tests include (`#[cfg(test)] mod tests;`) is left out.
fn code(dir: &str) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    walk(&root.join(dir), &mut files);
    let mut test_only: HashSet<PathBuf> = HashSet::new();
    for (path, text) in &files {
        // `foo.rs` and `foo/mod.rs` both keep their modules in `foo/`.
        let dir = match path.file_name().is_some_and(|n| n == "mod.rs") {
            true => path.parent().unwrap().to_path_buf(),
            false => path.with_extension(""),
        };
        for part in text.split("#[cfg(test)]").skip(1) {
            let decl = part.trim_start();
            if let Some(name) = decl.strip_prefix("mod ").and_then(|d| d.split_once(';')) {
                test_only.insert(dir.join(format!("{}.rs", name.0.trim())));
            }
        }
    }
    files
        .into_iter()
        .filter(|(path, _)| !test_only.contains(path))
        .map(|(path, text)| {
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            (rel, code.to_string())
        })
        .collect()
}

/// The production code of the binary, the checks crate and the runner crate.
fn all_code() -> Vec<(String, String)> {
    let all = [code("src"), code("checks/src"), code("runner/src")].concat();
    assert!(all.len() > 100, "{} files", all.len());
    all
}

/// The files other than `home` with a line of code (not a comment) that `matches`.
fn elsewhere(home: &str, matches: impl Fn(&str) -> bool) -> Vec<String> {
    all_code()
        .into_iter()
        .filter(|(file, code)| {
            file != home
                && code
                    .lines()
                    .any(|l| !l.trim_start().starts_with("//") && matches(l))
        })
        .map(|(file, _)| file)
        .collect()
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
        // The app's own config file (viper's `config.toml`, read for its port), never an air
        // config: `app_port::config_file` reads only files the Go source names.
        "checks/src/app_port/config_file.rs",
        // mise's own `mise.toml` (its tasks' `run` lines, a launcher of air), never an air config.
        "checks/src/reloaders/air/launch/mise.rs",
    ];
    for (file, code) in all_code() {
        assert!(
            !parse.is_match(&code) || allowed.contains(&file.as_str()),
            "{file} parses TOML itself: read .air.toml through reloaders::air::written::Written"
        );
    }
}

/// `/proc/PID/stat` has one reader, `checks::system::procs` (its parse, state, parent,
/// group and start time; `/proc/stat`'s boot time beside it): by path, by `join("stat")` or
/// through procfs's `stat()`.
#[test]
fn proc_stat_is_read_in_one_place() {
    let home = "checks/src/system/procs.rs";
    let found = elsewhere(home, |l| {
        l.contains("/stat\"") || l.contains("join(\"stat\")") || l.contains(".stat()")
    });
    assert!(
        found.is_empty(),
        "{found:?} read /proc/PID/stat: use {home} (read, stat, live), the one reader of it"
    );
}

/// SIGKILL is sent only by `checks::system::supervise`: a second stop-with-escalation (a
/// signal, a grace, then SIGKILL) or a second kill loop would have to name it.
#[test]
fn sigkill_is_sent_by_the_one_stop() {
    let home = "checks/src/system/supervise.rs";
    let found = elsewhere(home, |l| l.contains("::SIGKILL"));
    assert!(
        found.is_empty(),
        "{found:?} send SIGKILL themselves: stop through {home} (stop with a StopPolicy)"
    );
}

/// One `literal_port`, in `checks/src/golang/source.rs`.
#[test]
fn literal_port_is_defined_once() {
    let defined: Vec<String> = all_code()
        .into_iter()
        .flat_map(|(file, code)| {
            let n = code.matches("fn literal_port(").count();
            std::iter::repeat_n(file, n)
        })
        .collect();
    assert_eq!(defined, ["checks/src/golang/source.rs"]);
}

/// The runner is a library that never sees the command line: no clap among its
/// dependencies, and no file of it names the binary's argument types (the binary turns them
/// into `runner::Options` at its edge, `src/commands/run.rs`).
#[test]
fn the_runner_knows_no_command_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("runner/Cargo.toml")).unwrap();
    let deps: Vec<&str> = manifest
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("clap") || l.contains("package = \"clap"))
        .collect();
    assert!(
        deps.is_empty(),
        "runner/Cargo.toml depends on clap ({deps:?}): parse arguments in the binary and pass runner::Options"
    );
    let cli = regex::Regex::new(r"\bclap::|\b(Cli|RunArgs)\b").unwrap();
    let named: Vec<String> = code("runner/src")
        .into_iter()
        .filter(|(_, code)| {
            code.lines()
                .any(|l| !l.trim_start().starts_with("//") && cli.is_match(l))
        })
        .map(|(file, _)| file)
        .collect();
    assert!(
        named.is_empty(),
        "{named:?} name the command line's types: take what they need through runner::Options"
    );
}

/// No file of the runner crate is over 500 lines of code (its production part, blank lines
/// and comments left out): a bigger one holds more than one responsibility.
#[test]
fn no_runner_file_is_over_500_lines_of_code() {
    const LIMIT: usize = 500;
    let files = code("runner/src");
    assert!(files.len() > 10, "{} files", files.len());
    let over: Vec<String> = files
        .into_iter()
        .map(|(file, code)| {
            let n = code
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("//"))
                .count();
            (file, n)
        })
        .filter(|(_, n)| *n > LIMIT)
        .map(|(file, n)| format!("{file}: {n}"))
        .collect();
    assert!(
        over.is_empty(),
        "runner files over {LIMIT} lines of code: {over:?}; split them by responsibility"
    );
}
