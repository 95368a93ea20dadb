//! codegangsta/gin projects: how to recognise one from its files, and whether the app
//! listens where gin's proxy sends requests.
//!
//! gin has no config file. It builds `gin-bin` into the current folder, sets `PORT` to its
//! `--appPort` (3001 unless `-a`/`BIN_APP_PORT` says otherwise) and proxies its own port
//! (3000) there, so an app must listen on `$PORT`.

use crate::golang::source::literal_port;
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
    // A rule that names gin-bin, not one that merely catches it (`*`, `*-bin`).
    if let Some(r) = crate::system::gitignore::ignoring_rule(root, "gin-bin", false)
        .filter(|r| r.pattern.contains("gin-bin"))
    {
        return Some(format!("{} lists gin-bin (gin's build output)", r.at(root)));
    }
    let (name, line, _) = invocation(root)?;
    Some(format!("{name}:{line} runs gin"))
}

/// The first script line in the root that runs gin: (file name, line number, the line).
fn invocation(root: &Path) -> Option<(String, usize, String)> {
    let scripts = SCRIPTS
        .iter()
        .map(|s| root.join(s))
        .chain(shell_scripts(root));
    for path in scripts {
        let Ok(text) = crate::system::files::read_to_string(&path) else {
            continue;
        };
        let gin_vars = make_variables_naming_gin(&text);
        let found = text
            .lines()
            .map(|l| expand_gin_variables(l, &gin_vars))
            .enumerate()
            .find(|(_, l)| runs_gin(l));
        if let Some((i, line)) = found {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            return Some((name.into_owned(), i + 1, line));
        }
    }
    None
}

/// gin's two ports: its proxy's (`--port`/`-p`, `GIN_PORT`, 3000) and the app's, which gin
/// passes in `PORT` (`--appPort`/`-a`, `BIN_APP_PORT`, 3001).
#[derive(Debug, Clone, PartialEq)]
pub struct Ports {
    pub proxy: u16,
    pub app: u16,
    /// Where a value other than the default was found (`Makefile:3`, `.env:2`).
    pub origin: Option<String>,
}

/// gin's ports for the project at `root`, from `./.env` (which gin loads) and from the
/// script line that runs gin (a flag, or a variable set on that line); a flag wins over
/// the environment, as in urfave/cli.
pub fn ports(root: &Path) -> Ports {
    let mut ports = Ports {
        proxy: 3000,
        app: 3001,
        origin: None,
    };
    let mut set = |name: &str, value: &str, origin: String| {
        let Ok(port) = value.trim().trim_matches(['"', '\'']).parse::<u16>() else {
            return;
        };
        let slot = match name {
            "GIN_PORT" | "-p" | "--port" => &mut ports.proxy,
            "BIN_APP_PORT" | "-a" | "--appPort" => &mut ports.app,
            _ => return,
        };
        if port > 0 {
            *slot = port;
            ports.origin = Some(origin);
        }
    };
    if let Ok(text) = crate::system::files::read_to_string(root.join(".env")) {
        for (i, line) in text.lines().enumerate() {
            if let Some((name, value)) = line.trim().trim_start_matches("export ").split_once('=') {
                set(name.trim(), value, format!(".env:{}", i + 1));
            }
        }
    }
    if let Some((file, n, line)) = invocation(root) {
        let origin = format!("{file}:{n}");
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            match w.split_once('=') {
                Some((flag, value)) if flag.starts_with('-') => set(flag, value, origin.clone()),
                Some((var, value)) => set(var, value, origin.clone()),
                None if w.starts_with('-') => {
                    if let Some(value) = words.get(i + 1) {
                        set(w, value, origin.clone());
                    }
                }
                None => {}
            }
        }
    }
    ports
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
/// Makefile variables whose value is the gin command (`GIN := @gin`, `GIN ?= $(GOPATH)/bin/gin`),
/// so that `${GIN} -a 4000 run main.go` is seen as running gin.
fn make_variables_naming_gin(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (name, value) = l.split_once('=')?;
            let name = name.trim_end_matches([':', '?', '+', ' ', '\t']);
            let value = value.trim().trim_start_matches('@');
            let program = value.split_whitespace().next()?;
            let is_name =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            (is_name && program.rsplit('/').next() == Some("gin")).then(|| name.to_string())
        })
        .collect()
}

/// `line` with `$(NAME)` and `${NAME}` of those variables replaced by `gin`.
fn expand_gin_variables(line: &str, names: &[String]) -> String {
    let mut line = line.to_string();
    for n in names {
        line = line
            .replace(&format!("$({n})"), "gin")
            .replace(&format!("${{{n}}}"), "gin");
    }
    line
}

fn runs_gin(line: &str) -> bool {
    let line = line.trim_start_matches(['\t', ' ', '@', '-']);
    let line = line.strip_prefix("web:").unwrap_or(line);
    // A bash test (`[[ "$line" =~ (api|gin) ]]`) matches text, it runs nothing.
    if line.trim_start().starts_with("[[") || line.contains("=~") {
        return false;
    }
    crate::shell::commands(line)
        .iter()
        .any(|c| crate::shell::program(&c.words) == "gin")
}

/// The environment variables gin's flags read (urfave/cli `EnvVar`); gin loads `./.env`
/// into the environment first. The app port's variable is BIN_APP_PORT, not GIN_APP_PORT.
pub const ENV_VARS: [&str; 15] = [
    "GIN_LADDR",
    "GIN_PORT",
    "BIN_APP_PORT",
    "GIN_BIN",
    "GIN_PATH",
    "GIN_BUILD",
    "GIN_EXCLUDE_DIR",
    "GIN_IMMEDIATE",
    "GIN_ALL",
    "GIN_GODEP",
    "GIN_BUILD_ARGS",
    "GIN_CERT_FILE",
    "GIN_KEY_FILE",
    "GIN_LOG_PREFIX",
    "GIN_NOTIFICATIONS",
];

/// `.env` lines gin ignores or overrides: (line, message).
pub fn env_issues(text: &str) -> Vec<(usize, String)> {
    let mut out = vec![];
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let Some((name, _)) = line.trim().trim_start_matches("export ").split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name == "PORT" {
            out.push((
                line_no,
                "PORT is overwritten by gin with its --appPort (3001 by default); set BIN_APP_PORT instead".into(),
            ));
        } else if (name.starts_with("GIN_") || name.starts_with("BIN_"))
            && !ENV_VARS.contains(&name)
        {
            let hint = if name == "GIN_APP_PORT" {
                Some("BIN_APP_PORT")
            } else {
                crate::suggest::closest(name, ENV_VARS)
            };
            let hint = hint
                .map(|h| format!(" (did you mean {h}?)"))
                .unwrap_or_default();
            out.push((
                line_no,
                format!("{name} is not a gin setting{hint}; gin ignores it"),
            ));
        }
    }
    out
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
    let files = crate::golang::source::go_sources(std::fs::read_dir(main_dir).ok()?);
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|f| {
            crate::system::files::read_to_string(&f)
                .ok()
                .map(|t| (f, t))
        })
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

    /// A .gitignore rule that names gin-bin marks gin, with its line; one that merely catches
    /// it (`*-bin`) does not, nor one a later `!gin-bin` re-includes.
    #[test]
    fn a_gitignore_rule_naming_gin_bin_marks_gin_with_its_line() {
        let d = tempfile::tempdir().unwrap();
        let ignore = |text: &str| std::fs::write(d.path().join(".gitignore"), text).unwrap();
        ignore("tmp/\n/gin-bin\n");
        assert_eq!(
            marker(d.path()).as_deref(),
            Some(".gitignore:2 lists gin-bin (gin's build output)")
        );
        ignore("*-bin\n");
        assert_eq!(marker(d.path()), None);
        ignore("gin-bin\n!gin-bin\n");
        assert_eq!(marker(d.path()), None);
    }

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
            // datagero/demo-event-bus start_app.sh: a regex that names gin among words.
            "            if [[ \"$line\" =~ (api-server|API|gin|GIN|Port.*9000) ]]; then",
            "grep -q gin server.log && echo up",
        ] {
            assert!(!runs_gin(no), "{no}");
        }
    }

    /// fikrifirmanf/go-rest-api-wedding's Makefile: `GIN := @gin`, then `${GIN} -a 4000 ...`.
    #[test]
    fn gin_behind_a_make_variable_is_gin_with_its_ports() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Makefile"),
            "GO := @go\nGIN := @gin\n\ngodev:\n\t${GIN} -a 4000 -p 3000 -b bin/main run main.go\n\nbuild:\n\t$(GO) build -o main .\n",
        )
        .unwrap();
        assert_eq!(marker(dir.path()).as_deref(), Some("Makefile:5 runs gin"));
        let p = ports(dir.path());
        assert_eq!((p.proxy, p.app), (3000, 4000));
        assert_eq!(p.origin.as_deref(), Some("Makefile:5"));
        // A variable naming something else is not gin.
        std::fs::write(
            dir.path().join("Makefile"),
            "GINKGO := ginkgo\n\ntest:\n\t$(GINKGO) ./...\n",
        )
        .unwrap();
        assert_eq!(marker(dir.path()), None);
    }

    #[test]
    fn reads_gins_ports_from_env_and_its_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let none = ports(dir.path());
        assert_eq!((none.proxy, none.app, none.origin), (3000, 3001, None));
        std::fs::write(
            dir.path().join(".env"),
            "GIN_PORT=4000\nBIN_APP_PORT='4001'\n",
        )
        .unwrap();
        let env = ports(dir.path());
        assert_eq!((env.proxy, env.app), (4000, 4001));
        assert_eq!(env.origin.as_deref(), Some(".env:2"));
        std::fs::write(
            dir.path().join("Makefile"),
            "dev:\n\tgin --port=5000 -a 5001 run main.go\n",
        )
        .unwrap();
        let flags = ports(dir.path());
        assert_eq!((flags.proxy, flags.app), (5000, 5001));
        assert_eq!(flags.origin.as_deref(), Some("Makefile:2"));
        std::fs::write(
            dir.path().join("Makefile"),
            "dev:\n\tGIN_PORT=6000 gin -p x run\n",
        )
        .unwrap();
        assert_eq!(ports(dir.path()).proxy, 6000, "a bad flag value is ignored");
    }

    #[test]
    fn env_file_typos_and_port() {
        let issues = env_issues(
            "# c\nGIN_APP_PORT=8080\nexport GIN_PORT=3000\nPORT=1\nGIN_EXLUDE_DIR=x\nDB=1\n",
        );
        let lines: Vec<usize> = issues.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        assert!(issues[0].1.contains("BIN_APP_PORT"));
        assert!(issues[2].1.contains("GIN_EXCLUDE_DIR"));
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
