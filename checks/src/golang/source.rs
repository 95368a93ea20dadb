//! Reading a Go package's source files: which files a folder holds, and the port a main
//! package hard-codes. Shared by project detection, gin's port check, signals and verify.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The non-test `.go` files of one folder's listing, sorted (a folder named `x.go` is not
/// one; the entry's type comes with the listing, so no extra stat).
pub fn go_sources(
    entries: impl IntoIterator<Item = std::io::Result<std::fs::DirEntry>>,
) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .filter(|p| !p.to_string_lossy().ends_with("_test.go"))
        .collect();
    files.sort();
    files
}

/// The first `":NNNN"` literal on a line that looks like it sets up a listener.
pub fn literal_port(text: &str) -> Option<(u16, usize)> {
    const MARKERS: [&str; 5] = ["ListenAndServe", ".Run(", "Addr:", "Listen(", "addr :="];
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") || !MARKERS.iter().any(|m| line.contains(m)) {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("\":") {
            let digits: String = rest[at + 2..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let after = rest[at + 2 + digits.len()..].chars().next();
            if after == Some('"') {
                if let Some(p) = addr_port(&rest[at + 1..at + 2 + digits.len()]) {
                    if p != 0 {
                        return Some((p, i + 1));
                    }
                }
            }
            rest = &rest[at + 2..];
        }
    }
    None
}

/// The port an address literal names (its text between the quotes): the digits after its
/// last `:` (`:8080`, `localhost:8080`). The one reading of a port literal, for
/// [`literal_port`] and for the listen calls [`super::signals`] finds.
pub fn addr_port(addr: &str) -> Option<u16> {
    addr.rsplit_once(':')?.1.parse().ok()
}

/// Whether a `.go` file that `accept` takes (by its type, name and path) lies below `dir`,
/// descending only into folders `descend` takes; bounded at `budget` entries so a huge tree
/// stays cheap (None once it is spent without an answer).
pub fn go_file_below(
    dir: &Path,
    mut budget: usize,
    descend: impl Fn(&str) -> bool,
    accept: impl Fn(&std::fs::FileType, &str, &Path) -> bool,
) -> Option<bool> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            budget -= 1;
            if budget == 0 {
                return None;
            }
            let Ok(t) = e.file_type() else { continue };
            let name = e.file_name().to_string_lossy().to_string();
            if t.is_dir() {
                if descend(&name) {
                    stack.push(e.path());
                }
            } else if name.ends_with(".go") && accept(&t, &name, &e.path()) {
                return Some(true);
            }
        }
    }
    Some(false)
}

/// A non-test .go file somewhere below `dir` (bounded: a big tree stays cheap).
pub fn holds_go_code(dir: &Path) -> bool {
    go_file_below(
        dir,
        20_000,
        |d| !d.starts_with('.') && d != "node_modules",
        |t, name, _| t.is_file() && !name.ends_with("_test.go"),
    )
    .unwrap_or(false)
}

/// Whether `dir` holds a `.go` file go builds, by go's own rule: not a test, not one go
/// ignores (`_x.go`, `.x.go`). A folder that is not there holds none; an unreadable one, or
/// a FIFO or socket named x.go, is not known to be empty: true.
pub fn builds_a_go_file_in(dir: &Path) -> bool {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return !matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory),
    };
    entries.flatten().any(|e| {
        let n = e.file_name().to_string_lossy().to_string();
        n.ends_with(".go")
            && !n.ends_with("_test.go")
            && !n.starts_with(['_', '.'])
            && !e.path().is_dir()
    })
}

/// The package names of the non-test `.go` files go builds in `dir` (not `_x.go`, `.x.go`),
/// each with whether the file declares `func main`, sorted by file name.
fn packages_in(dir: &Path) -> Vec<(String, String, bool)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut found: Vec<(String, String, bool)> = go_sources(entries)
        .into_iter()
        .filter(|p| p.is_file()) // never read a FIFO
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().to_string();
            if name.starts_with(['_', '.']) {
                return None;
            }
            let text = std::fs::read_to_string(&p).ok()?;
            let t = super::lexer::tokenize(&text).ok()?;
            let package = super::go_file::package_name(&t)?.to_string();
            let has_main = t
                .windows(3)
                .any(|w| w[0].is_ident("func") && w[1].is_ident("main") && w[2].is_punct('('));
            Some((name, package, has_main))
        })
        .collect();
    found.sort();
    found
}

/// The non-test `.go` files a plain `go build` of `dir` compiles on this machine (not `_x.go`,
/// `.x.go`, nor one its build constraint or its name's `_GOOS`/`_GOARCH` leaves out), sorted.
pub fn built_go_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    go_sources(entries)
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p).ok()?;
            (!name.starts_with(['_', '.'])
                && super::build_tags::plain_build_includes_name(&name)
                && super::build_tags::plain_build_includes(&text))
            .then_some(name)
        })
        .collect()
}

/// The non-test `.go` files of `dir` with `package main` and `func main(`, sorted.
pub fn main_files(dir: &Path) -> Vec<String> {
    packages_in(dir)
        .into_iter()
        .filter(|(_, package, has_main)| package == "main" && *has_main)
        .map(|(name, _, _)| name)
        .collect()
}

/// The files of [`main_files`] that a plain `go build` on this machine compiles: not a
/// file its build constraint leaves out (`//go:build mage`: a magefile is no main package).
pub fn main_files_built(dir: &Path) -> Vec<String> {
    main_files(dir)
        .into_iter()
        .filter(|n| {
            std::fs::read_to_string(dir.join(n))
                .is_ok_and(|t| super::build_tags::plain_build_includes(&t))
        })
        .collect()
}

/// The package `dir` holds when it is a library: Go files go builds there, none of them
/// `package main`. `go build -o X .` there writes a package archive to X (an `ar` file no
/// shell can run: "Permission denied", exit 126); without `-o` it writes nothing.
pub fn library_package(dir: &Path) -> Option<String> {
    let packages = packages_in(dir);
    if packages.iter().any(|(_, package, _)| package == "main") {
        return None;
    }
    packages
        .into_iter()
        .map(|(_, package, _)| package)
        .find(|p| !p.ends_with("_test"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_literal_ports() {
        assert_eq!(literal_port("\tr.Run(\":9090\")\n"), Some((9090, 1)));
        assert_eq!(
            literal_port("x\n http.ListenAndServe(\":3001\", nil)"),
            Some((3001, 2))
        );
        assert_eq!(
            literal_port("srv := &http.Server{Addr: \":7000\"}"),
            Some((7000, 1))
        );
        assert_eq!(literal_port("// r.Run(\":1\")\nfmt.Println(\":80\")"), None);
        assert_eq!(literal_port("r.Run(\":99999\")"), None);
        assert_eq!(addr_port("localhost:6060"), Some(6060));
        assert_eq!(addr_port("localhost"), None);
    }

    /// go's own verdict on each folder shape, against ours: go stops with "no Go files" (or
    /// "no non-test Go files") exactly where builds_a_go_file_in says false.
    #[test]
    fn builds_a_go_file_in_agrees_with_go_build() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("go.mod"), "module x\n\ngo 1.22\n").unwrap();
        let main = "package main\n\nfunc main() {}\n";
        let test = "package main\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n";
        let shapes: &[(&str, &[(&str, &str)])] = &[
            ("ignored_underscore", &[("_a.go", main)]),
            ("ignored_dot", &[(".a.go", main)]),
            ("tests_only", &[("a_test.go", test)]),
            ("folder_named_go", &[("b.go/c.txt", "")]),
            ("empty", &[]),
            ("one_file", &[("a.go", main), ("_b.go", main)]),
        ];
        for (name, files) in shapes {
            let dir = d.path().join(name);
            std::fs::create_dir_all(&dir).unwrap();
            for (file, text) in *files {
                let path = dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            let out = std::process::Command::new("go")
                .args(["build", "-o", "/dev/null", &format!("./{name}")])
                .current_dir(d.path())
                .env("GOFLAGS", "-mod=mod")
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&out.stderr);
            let go_finds_files =
                !said.contains("no Go files") && !said.contains("no non-test Go files");
            assert_eq!(
                builds_a_go_file_in(&dir),
                go_finds_files,
                "{name}: go said {said:?}"
            );
        }
        // A folder that is not there, or a file: go stops with "directory not found".
        assert!(!builds_a_go_file_in(&d.path().join("missing")));
        assert!(!builds_a_go_file_in(&d.path().join("go.mod")));
    }
}
