//! Which TCP port the app listens on, found the way the app finds it. One resolution for the
//! report, `run` and `verify`, in this order:
//! 1. `--port`;
//! 2. the reloader's own say: gin's `--appPort` (gin sets `PORT` for the app), air's
//!    `[proxy] app_port` when the proxy is on;
//! 3. the environment the app gets: `$PORT`, then a name the source reads with
//!    `os.Getenv`/`os.LookupEnv` or through a helper (`getEnvOrDefault("PORT", "8080")`)
//!    (`SERVER_PORT`, `HTTP_PORT`, `APP_PORT`, `ADDR`, ...) set in this environment, or in a
//!    `.env` file the source loads (`godotenv.Load("../.env")`) or the project's `.env`;
//! 4. the app's config file ([`config_file`]): one the source names (viper's
//!    `SetConfigFile`, `SetConfigName` + `AddConfigPath`, `"config.yaml"` in a string, an
//!    embedded default), YAML, TOML or JSON, at the key the source reads or a port key;
//! 5. a default in the source: a helper's (`getEnvOrDefault("PORT", "8080")`), a flag's
//!    (`flag.Int("port", 3001, ...)`, `flag.String("addr", ":3001", ...)`, the same through
//!    pflag or cobra's `cmd.Flags()`, a urfave/cli `cli.IntFlag{Name: "port", Value: 3001}`)
//!    or a `default:"3001"` struct tag on a port field (envconfig, viper);
//! 6. a literal in the main package (`Run(":8080")`, `Addr: ":8080"`);
//! 7. gin's own default, 8080, for a gin engine's `Run()` without an address;
//! 8. unknown: 8080 is what the checks look at, and `run` and `verify` take the app's first
//!    listener.
//!
//! Files the source names are resolved from the project folder: the reloader runs the app
//! there (air from the folder it was started in).

mod config_file;
mod go_reads;

pub use config_file::port_in as config_port_in;
pub use go_reads::{reads as go_reads, Reads};

use crate::filepath::clean_str;
use crate::golang::source::{go_sources, literal_port};
use crate::reloaders::air::config::AirConfig;
use regex::Regex;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PortSource {
    Flag,
    AirProxy,
    /// codegangsta/gin's `--appPort` (it passes it to the app in `PORT`).
    Gin,
    /// An environment variable the app reads (`$PORT`, or one named in the source).
    Env,
    /// A `.env` file (the project's, or one the source loads), for a variable the source reads.
    EnvFile,
    /// The app's config file (`config/config.yaml`), at a key that names the port.
    ConfigFile,
    /// A default in the source: a helper's, a flag's or a `default:` tag's.
    SourceDefault,
    Source,
    /// A framework's own default (gin's `Run()` with no address: 8080).
    Default,
    /// Nothing names the port: 8080 is assumed by the checks, and `run` and `verify` learn
    /// the real one from the app's sockets.
    Unknown,
}

/// What the checks look at when the port is unknown.
pub const ASSUMED: u16 = 8080;

/// The port, where it came from, and the place that says so (`.env:3`, `main.go:31`).
pub struct Resolved {
    pub port: u16,
    pub source: PortSource,
    pub origin: Option<String>,
}

/// Names of environment variables that commonly hold the listen port or address.
const PORT_NAMES: [&str; 7] = [
    "PORT",
    "SERVER_PORT",
    "HTTP_PORT",
    "APP_PORT",
    "API_PORT",
    "ADDR",
    "HTTP_ADDR",
];

/// How many `.go` files are read for env names and flag defaults (first the main package,
/// then the rest of the module): enough for config packages, bounded for huge trees.
const SOURCE_SCAN_LIMIT: usize = 400;
/// And how many folders the walk may list while looking for them.
const SOURCE_SCAN_DIRS: usize = 2_000;

pub fn resolve(
    root: &Path,
    air: &AirConfig,
    gin: Option<&crate::reloaders::gin::Ports>,
    flag: Option<u16>,
    config_path: Option<&Path>,
) -> Resolved {
    let found = |port, source, origin: Option<String>| Resolved {
        port,
        source,
        origin,
    };
    if let Some(p) = flag {
        return found(p, PortSource::Flag, None);
    }
    if let Some(g) = gin {
        return found(g.app, PortSource::Gin, g.origin.clone());
    }
    if let Some(p) = air.proxy.app_port.filter(|_| air.proxy.enabled) {
        let origin = config_path.map(|c| c.display().to_string());
        return found(p, PortSource::AirProxy, origin);
    }
    if let Some(p) = std::env::var("PORT").ok().and_then(|v| port_of(&v)) {
        return found(p, PortSource::Env, Some("$PORT".into()));
    }
    let (sources, main_count) = source_files(root, air);
    let texts: Vec<(String, String)> = sources
        .iter()
        .filter_map(|f| {
            let text = crate::system::files::read_to_string(f).ok()?;
            Some((rel(root, f), text))
        })
        .collect();
    let reads = go_reads::reads(&texts);
    let mut names = env_names_read(&texts);
    names.extend(
        reads
            .helper_names
            .iter()
            .filter(|n| !names.contains(n))
            .cloned()
            .collect::<Vec<_>>(),
    );
    names.sort_by_key(|n| rank(n));
    for name in &names {
        if let Some(p) = std::env::var(name).ok().and_then(|v| port_of(&v)) {
            return found(p, PortSource::Env, Some(format!("${name}")));
        }
    }
    // The files the source loads first (godotenv keeps the first value it sees), then the
    // project's own `.env`.
    let env_files = reads.env_files.iter().map(String::as_str).chain([".env"]);
    for file in env_files {
        let Ok(text) = crate::system::files::read_to_string(root.join(file)) else {
            continue;
        };
        if let Some((p, line, name)) = dotenv_port_in(&text, &names) {
            let origin = format!("{}:{line} {name}", clean_str(file));
            return found(p, PortSource::EnvFile, Some(origin));
        }
    }
    for file in &reads.config_files {
        let Ok(text) = crate::system::files::read_to_string(root.join(file)) else {
            continue;
        };
        if let Some((p, key, line)) = config_file::port_in(file, &text, &reads.config_keys) {
            let shown = clean_str(file);
            let at = line.map_or(shown.clone(), |l| format!("{shown}:{l}"));
            return found(p, PortSource::ConfigFile, Some(format!("{at} {key}")));
        }
    }
    let helper_default = names.iter().find_map(|n| {
        reads
            .helper_defaults
            .iter()
            .find(|(name, ..)| name == n)
            .map(|(_, p, at)| (*p, at.clone()))
    });
    let flag_default = || {
        texts
            .iter()
            .find_map(|(name, t)| source_default(t).map(|(p, line)| (p, format!("{name}:{line}"))))
    };
    if let Some((p, origin)) = helper_default.or_else(flag_default) {
        return found(p, PortSource::SourceDefault, Some(origin));
    }
    let main = &texts[..main_count.min(texts.len())];
    if let Some((p, origin)) = main
        .iter()
        .find_map(|(name, t)| literal_port(t).map(|(p, line)| (p, format!("{name}:{line}"))))
    {
        return found(p, PortSource::Source, Some(origin));
    }
    if let Some(origin) = main
        .iter()
        .find_map(|(name, t)| gin_default_run(t).map(|line| format!("{name}:{line}")))
    {
        return found(ASSUMED, PortSource::Default, Some(origin));
    }
    found(ASSUMED, PortSource::Unknown, None)
}

/// The line of a gin engine's `Run()` without an address, which serves on `$PORT` or 8080.
fn gin_default_run(text: &str) -> Option<usize> {
    static RUN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:if\s+err\s*:?=\s*)?[\w.]+\.Run\(\s*\)").expect("valid")
    });
    if !text.contains("\"github.com/gin-gonic/gin\"") {
        return None;
    }
    text.lines().position(|l| RUN.is_match(l)).map(|i| i + 1)
}

/// Whether an environment or config name holds the listen port or address.
pub(crate) fn is_port_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    PORT_NAMES.contains(&upper.as_str()) || upper.ends_with("PORT")
}

/// The order names are tried in: [`PORT_NAMES`]'s, then the others.
fn rank(name: &str) -> usize {
    PORT_NAMES
        .iter()
        .position(|p| *p == name.to_ascii_uppercase())
        .unwrap_or(PORT_NAMES.len())
}

/// The port in a value such as `3000`, `:3000`, `0.0.0.0:3000` or `localhost:3000`.
pub(crate) fn port_of(value: &str) -> Option<u16> {
    let v = value.trim().trim_matches('"');
    let digits = v.rsplit(':').next()?;
    digits.parse::<u16>().ok().filter(|p| *p != 0)
}

/// The folders whose files a literal may be in: the one air builds, then the root.
fn main_dirs(root: &Path, air: &AirConfig) -> Vec<PathBuf> {
    let mut dirs = vec![];
    if let Some(last) = air.build.cmd.split_whitespace().last() {
        if last.starts_with('.') && last != "." {
            dirs.push(root.join(last));
        }
    }
    dirs.push(root.to_path_buf());
    dirs
}

/// The main package's files first (they are where a literal counts), then the module's other
/// non-test `.go` files, skipping hidden, vendor, testdata and node_modules folders; with how
/// many of them are the main package's. Each folder is listed once, and the walk is bounded
/// in files and folders: a tree of empty folders must not slow every report.
fn source_files(root: &Path, air: &AirConfig) -> (Vec<PathBuf>, usize) {
    let mut files: Vec<PathBuf> = main_dirs(root, air)
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(go_sources)
        .collect();
    let main_count = files.len();
    let mut seen: std::collections::HashSet<PathBuf> = files.iter().cloned().collect();
    let mut queue = vec![root.to_path_buf()];
    let mut listed = 0;
    while let Some(dir) = queue.pop() {
        if files.len() >= SOURCE_SCAN_LIMIT || listed >= SOURCE_SCAN_DIRS {
            break;
        }
        listed += 1;
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let entries: Vec<_> = entries.flatten().collect();
        let mut subdirs: Vec<PathBuf> = entries
            .iter()
            // file_type does not follow symlinks: a symlink loop is never entered.
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.starts_with('.')
                    && !matches!(name.as_str(), "vendor" | "testdata" | "node_modules")
            })
            .map(|e| e.path())
            .collect();
        for f in go_sources(entries.into_iter().map(Ok)) {
            if seen.insert(f.clone()) {
                files.push(f);
            }
        }
        subdirs.sort();
        queue.extend(subdirs.into_iter().rev());
    }
    files.truncate(SOURCE_SCAN_LIMIT);
    (files, main_count)
}

fn rel(root: &Path, f: &Path) -> String {
    f.strip_prefix(root).unwrap_or(f).display().to_string()
}

/// The port-like environment names the source reads (`os.Getenv("SERVER_PORT")`), in the
/// order of [`PORT_NAMES`], then any other name ending in `PORT`.
pub fn env_names_read(texts: &[(String, String)]) -> Vec<String> {
    static GETENV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:Getenv|LookupEnv|GetString|GetInt)\(\s*"([A-Za-z_][A-Za-z0-9_]*)""#)
            .expect("valid")
    });
    // In first-read order, each once; the set keeps that linear in the names a file reads
    // (a generated file of 100,000 names took 15 s with a list lookup per name).
    let mut seen: Vec<String> = vec![];
    let mut known: HashSet<&str> = HashSet::new();
    for (_, t) in texts {
        for c in GETENV.captures_iter(t) {
            let name = c.get(1).map_or("", |m| m.as_str());
            if is_port_name(name) && known.insert(name) {
                seen.push(name.to_string());
            }
        }
    }
    seen.sort_by_key(|n| rank(n));
    seen
}

/// The port `.env` text gives the first of `names` that it sets, with its line and name.
pub fn dotenv_port_in(text: &str, names: &[String]) -> Option<(u16, usize, String)> {
    // The last assignment of a name wins, as in godotenv; one map, not a scan per name.
    let pairs: HashMap<String, String> = dotenvy::from_read_iter(text.as_bytes())
        .map_while(Result::ok)
        .collect();
    names.iter().find_map(|name| {
        let value = pairs.get(name)?;
        let port = port_of(value)?;
        let line = text
            .lines()
            .position(|l| {
                let l = l.trim_start();
                let l = l.strip_prefix("export ").unwrap_or(l);
                l.starts_with(&format!("{name}=")) || l.starts_with(&format!("{name} ="))
            })
            .map_or(1, |i| i + 1);
        Some((port, line, name.clone()))
    })
}

/// A flag default for a port or address flag, or a `default:"..."` tag on a port field: the
/// port and its line.
pub fn source_default(text: &str) -> Option<(u16, usize)> {
    // The standard flag package, pflag, and cobra's `cmd.Flags()` / `PersistentFlags()`
    // (whose `...P` forms take a shorthand after the name).
    static FLAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r#"(?:\bflag|\bpflag|Flags\(\))\.(?:String|Int|Uint)(?:Var)?P?\(\s*(?:&[\w.]+\s*,\s*)?"{PORT_FLAG}"\s*,\s*(?:"\w?"\s*,\s*)?{PORT_VALUE}\s*,"#
        ))
        .expect("valid")
    });
    // urfave/cli: `&cli.IntFlag{Name: "port", Value: 3001}`, on one line or over a few.
    static CLI_FLAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"cli\.(?:String|Int|Uint)Flag\{"#).expect("valid"));
    static CLI_NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r#"Name:\s*"{PORT_FLAG}""#)).expect("valid"));
    static CLI_VALUE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r#"Value:\s*{PORT_VALUE}\s*[,}}]"#)).expect("valid"));
    static TAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)port.*default:"[^"]*?(\d{2,5})""#).expect("valid"));
    let port_in = |c: regex::Captures| {
        let value = match (c.name("int"), c.iter().flatten().last()) {
            (Some(int), _) => crate::golang::lexer::int_value(int.as_str()),
            (None, digits) => digits?.as_str().parse().ok(),
        };
        u16::try_from(value?).ok().filter(|p| *p != 0)
    };
    let lines: Vec<&str> = text.lines().collect();
    lines.iter().enumerate().find_map(|(i, line)| {
        if let Some(c) = FLAG.captures(line).or_else(|| TAG.captures(line)) {
            return Some((port_in(c)?, i + 1));
        }
        if !CLI_FLAG.is_match(line) {
            return None;
        }
        // The literal's lines, up to its closing brace.
        let end = (i..lines.len().min(i + 6)).find(|&j| lines[j].contains('}'))?;
        let literal = &lines[i..=end];
        if !literal.iter().any(|l| CLI_NAME.is_match(l)) {
            return None;
        }
        let (at, value) = literal
            .iter()
            .enumerate()
            .find_map(|(k, l)| Some((k, CLI_VALUE.captures(l)?)))?;
        Some((port_in(value)?, i + at + 1))
    })
}

/// A flag's default that names a port: a string (`":3001"`, `"0.0.0.0:3001"`, `"3001"`),
/// which the app reads as decimal, or an integer literal in any form Go allows (`3001`,
/// `0x0BB9`, `0o5671`, `3_001`), captured as `int`.
const PORT_VALUE: &str = r#"(?:"([\w.:]*?:)?(\d{2,5})"|(?P<int>\d[\w]*))"#;

/// Flag names that mean the listen address or port.
const PORT_FLAG: &str = "(?i:port|addr|address|listen|http|http-addr|http-port|listen-addr)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_in_values() {
        assert_eq!(port_of("3000"), Some(3000));
        assert_eq!(port_of(":3000"), Some(3000));
        assert_eq!(port_of("0.0.0.0:9090"), Some(9090));
        assert_eq!(port_of("\"localhost:80\""), Some(80));
        assert_eq!(port_of("http"), None);
        assert_eq!(port_of("0"), None);
    }

    #[test]
    fn flag_defaults_and_tags() {
        assert_eq!(
            source_default("\tport := flag.String(\"port\", \"3001\", \"listen port\")"),
            Some((3001, 1))
        );
        assert_eq!(
            source_default("x\n\tflag.IntVar(&cfg.Port, \"port\", 4000, \"port\")"),
            Some((4000, 2))
        );
        assert_eq!(
            source_default("addr := flag.String(\"addr\", \":7070\", \"address\")"),
            Some((7070, 1))
        );
        assert_eq!(
            source_default("\tPort int `envconfig:\"PORT\" default:\"5050\"`"),
            Some((5050, 1))
        );
        assert_eq!(source_default("flag.Int(\"workers\", 8, \"n\")"), None);
        // Every integer literal Go takes, hex included (0x1F91 is 8081).
        for lit in [
            "0x1F91",
            "0X1f91",
            "0o17621",
            "017621",
            "0b1111110010001",
            "8_081",
        ] {
            let line = format!("port := flag.Int(\"port\", {lit}, \"listen port\")");
            assert_eq!(source_default(&line), Some((8081, 1)), "{line}");
        }
        assert_eq!(
            source_default("&cli.IntFlag{Name: \"port\", Value: 0x1F91},"),
            Some((8081, 1))
        );
        assert_eq!(source_default("flag.Int(\"port\", 0x10000, \"p\")"), None);
        assert_eq!(source_default("flag.Int(\"port\", 08080, \"p\")"), None);
    }

    /// cobra and pflag (ZEISS/fiber-htmx's example: `PersistentFlags().StringVar(&cfg.Flags.Addr,
    /// "addr", ":3000", "addr")`), shorthand forms, and urfave/cli flag literals.
    #[test]
    fn cobra_pflag_and_cli_flag_defaults() {
        let cases = [
            ("\trootCmd.PersistentFlags().StringVar(&cfg.Flags.Addr, \"addr\", \":3000\", \"addr\")", Some((3000, 1))),
            ("cmd.Flags().IntVarP(&port, \"port\", \"p\", 8081, \"port to listen on\")", Some((8081, 1))),
            ("port := pflag.IntP(\"port\", \"\", 9000, \"port\")", Some((9000, 1))),
            ("cmd.Flags().IntVarP(&n, \"workers\", \"w\", 8000, \"n\")", None),
            ("&cli.IntFlag{Name: \"port\", Value: 4040, Usage: \"port\"},", Some((4040, 1))),
            ("Flags: []cli.Flag{\n\t&cli.StringFlag{\n\t\tName:  \"addr\",\n\t\tValue: \"0.0.0.0:7000\",\n\t},\n}", Some((7000, 4))),
            ("&cli.IntFlag{\n\tName:  \"workers\",\n\tValue: 8000,\n},", None),
        ];
        for (text, want) in cases {
            assert_eq!(source_default(text), want, "{text}");
        }
    }

    #[test]
    fn env_names_the_source_reads_come_in_a_known_order() {
        let texts = vec![(
            "main.go".to_string(),
            "os.Getenv(\"DB_HOST\")\nos.Getenv(\"METRICS_PORT\")\nos.LookupEnv(\"SERVER_PORT\")\n"
                .to_string(),
        )];
        assert_eq!(env_names_read(&texts), vec!["SERVER_PORT", "METRICS_PORT"]);
    }
}
