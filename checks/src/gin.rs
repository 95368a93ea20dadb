//! codegangsta/gin projects: how to recognise one from its files, and whether the app
//! listens where gin's proxy sends requests.
//!
//! gin has no config file. It builds `gin-bin` into the current folder, sets `PORT` to its
//! `--appPort` (3001 unless `-a`/`BIN_APP_PORT` says otherwise) and proxies its own port
//! (3000) there, so an app must listen on `$PORT`.

use crate::project::literal_port;
use std::path::{Path, PathBuf};

/// Files that may start gin.
const SCRIPTS: [&str; 7] = [
    "Makefile",
    "makefile",
    "GNUmakefile",
    "Justfile",
    "justfile",
    "Procfile",
    "Taskfile.yml",
];

/// Why `root` looks like a gin project: `gin-bin` (gin's build output) ignored or present,
/// or a script in the root that runs `gin`. Reads at most a few small files.
pub fn marker(root: &Path) -> Option<String> {
    if root.join("gin-bin").is_file() {
        return Some("gin-bin (gin's build output) is in the project".into());
    }
    if let Ok(text) = std::fs::read_to_string(root.join(".gitignore")) {
        if text
            .lines()
            .any(|l| l.trim().trim_start_matches('/').trim_end_matches('*') == "gin-bin")
        {
            return Some(".gitignore lists gin-bin (gin's build output)".into());
        }
    }
    let scripts = SCRIPTS
        .iter()
        .map(|s| root.join(s))
        .chain(shell_scripts(root));
    for path in scripts {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some(line) = text.lines().position(runs_gin) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            return Some(format!("{name}:{} runs gin", line + 1));
        }
    }
    None
}

fn shell_scripts(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return vec![];
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect()
}

/// A shell line that runs the `gin` command (not `gin-gonic`, not a path ending in `/gin`).
fn runs_gin(line: &str) -> bool {
    let line = line.trim_start_matches(['\t', ' ', '@', '-']);
    if line.starts_with('#') {
        return false;
    }
    let line = line.strip_prefix("web:").unwrap_or(line);
    line.split(['&', ';', '|', '(', ')'])
        .map(|cmd| {
            cmd.split_whitespace()
                .skip_while(|w| w.contains('=') || *w == "exec")
        })
        .any(|mut words| words.next() == Some("gin"))
}

/// Where the app hard-codes its listen port although it never reads `PORT`.
#[derive(Debug, Clone, PartialEq)]
pub struct HardCodedPort {
    pub file: PathBuf,
    pub line: usize,
    pub port: u16,
}

/// The first hard-coded listen port in the main package's folder, when no file there reads
/// `PORT` (`os.Getenv("PORT")`, `os.LookupEnv("PORT")`, or gin-gonic's argument-less
/// `.Run()`, which reads PORT itself).
pub fn hard_coded_port(main_dir: &Path) -> Option<HardCodedPort> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(main_dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .filter(|p| !p.to_string_lossy().ends_with("_test.go"))
        .collect();
    files.sort();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(&f).ok().map(|t| (f, t)))
        .collect();
    let reads_port = texts.iter().flat_map(|(_, t)| t.lines()).any(|l| {
        !l.trim_start().starts_with("//")
            && (l.contains("Getenv(\"PORT\")")
                || l.contains("LookupEnv(\"PORT\")")
                || l.contains(".Run()"))
    });
    if reads_port {
        return None;
    }
    texts.iter().find_map(|(file, text)| {
        literal_port(text).map(|(port, line)| HardCodedPort {
            file: file.clone(),
            line,
            port,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_gin_invocations() {
        for yes in [
            "gin run main.go",
            "\tgin --appPort 3001 run",
            "dev: ; PORT=1 gin -i run",
            "go build && gin",
            "web: gin run",
            "  @exec gin",
        ] {
            assert!(runs_gin(yes), "{yes}");
        }
        for no in [
            "go get github.com/gin-gonic/gin",
            "# gin run",
            "ginkgo ./...",
            "echo using gin-gonic",
            "$(GOPATH)/bin/gin-bin",
        ] {
            assert!(!runs_gin(no), "{no}");
        }
    }

    #[test]
    fn finds_the_fixture_marker_and_hard_coded_port() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        assert!(marker(&root.join("gin-hardcoded-port")).is_some());
        for healthy in ["gin-healthy", "stdlib-healthy", "air-bin-mismatch"] {
            assert_eq!(marker(&root.join(healthy)), None, "{healthy}");
        }
        let hit = hard_coded_port(&root.join("gin-hardcoded-port")).unwrap();
        assert_eq!((hit.port, hit.line), (3001, 20));
        assert!(hit.file.ends_with("main.go"));
        assert_eq!(hard_coded_port(&root.join("stdlib-healthy")), None);
    }
}
