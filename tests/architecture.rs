//! The shape of the code, checked: each fact has one definition, so a second one cannot be
//! written without this failing (issue 21).

use std::collections::HashSet;
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

/// The production code of the binary and of the checks crate.
fn all_code() -> Vec<(String, String)> {
    let all = [code("src"), code("checks/src")].concat();
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
