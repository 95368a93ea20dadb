//! Where the Go source takes its port from, beyond a literal: the environment names it reads
//! (directly or through a helper such as `getEnvOrDefault("PORT", "8080")`, whose default is
//! kept), the `.env` files it loads (`godotenv.Load("../.env")`), and the config files and keys
//! it reads (viper's `SetConfigFile`, `SetConfigName` + `AddConfigPath`, `GetInt("server.port")`,
//! a file name in a string, `//go:embed config.yaml`). Read from tokens, so comments and
//! strings that merely mention a call do not count.

use super::{is_port_name, port_of};
use crate::filepath::clean_str;
use crate::golang::go_file;
use crate::golang::lexer::{tokenize, Kind, Token};
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// What the sources read. Paths are as the app resolves them: relative to the folder it runs in.
#[derive(Debug, Default, PartialEq)]
pub struct Reads {
    /// Port-like environment names a helper reads, in source order.
    pub helper_names: Vec<String>,
    /// The default the source gives a variable that is unset, through a helper or a fallback
    /// assigned after reading it: name, port, `main.go:12`.
    pub helper_defaults: Vec<(String, u16, String)>,
    /// The `.env` files loaded, in order.
    pub env_files: Vec<String>,
    /// Config files the source names, likeliest first (embedded ones last).
    pub config_files: Vec<String>,
    /// Config keys the source reads that name a port (`server.port`), as written.
    pub config_keys: Vec<String>,
}

/// A function whose body reads the environment variable named by its first parameter and
/// falls back on its second: `func getEnv(key, fallback string) string`.
#[derive(Debug)]
struct Helper {
    name: String,
    package: String,
    /// The folder of the file that declares it (relative to the project).
    dir: String,
}

/// Config file extensions the doctor reads (viper's most used).
const CONFIG_EXTS: [&str; 4] = ["yaml", "yml", "toml", "json"];

/// Files with a config extension that are not an app's config.
fn not_app_config(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    matches!(
        base,
        "package.json" | "package-lock.json" | "tsconfig.json" | "composer.json"
    ) || [
        "docker-compose",
        "compose.",
        "swagger",
        "openapi",
        ".golangci",
    ]
    .iter()
    .any(|p| base.starts_with(p))
}

fn has_config_ext(s: &str) -> bool {
    s.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && CONFIG_EXTS.contains(&ext))
        && !s.contains(char::is_whitespace)
        && !s.contains("://")
}

/// The reads of `texts` (file name relative to the project, contents), the main package first.
pub fn reads(texts: &[(String, String)]) -> Reads {
    // Tokenized only when a word of interest is in the text: most files of a big module are
    // never tokenized. Those that declare helpers are kept for the second pass.
    let reads_env = |t: &str| t.contains("Getenv") || t.contains("LookupEnv");
    let mut declaring: std::collections::HashMap<usize, Vec<Token>> = Default::default();
    let mut helpers: Vec<Helper> = vec![];
    for (i, (name, text)) in texts.iter().enumerate().filter(|(_, (_, t))| reads_env(t)) {
        let toks = tokenize(text).unwrap_or_default();
        helpers.extend(helpers_in(name, &toks));
        declaring.insert(i, toks);
    }
    static CONFIG_KEY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"Get\w*\(\s*"[^"]*\.[^"]*""#).expect("valid"));
    let interesting = |t: &str| {
        reads_env(t)
            || helpers.iter().any(|h| t.contains(&h.name))
            || [
                "otenv",
                "SetConfig",
                "AddConfigPath",
                ".yaml\"",
                ".yml\"",
                ".toml\"",
                ".json\"",
            ]
            .iter()
            .any(|w| t.contains(w))
            || CONFIG_KEY.is_match(t)
    };
    let mut r = Reads::default();
    let (mut names, mut paths, mut kind) = (vec![], vec![], None::<String>);
    let mut literals = vec![];
    let mut embedded = vec![];
    for (i, (file, text)) in texts.iter().enumerate() {
        let dir = parent(file);
        for pattern in embeds(text) {
            embedded.push(clean_str(&format!("{dir}/{pattern}")));
        }
        if !interesting(text) {
            continue;
        }
        let toks = match declaring.remove(&i) {
            Some(toks) => toks,
            None => tokenize(text).unwrap_or_default(),
        };
        let imports = go_file::imports(&toks);
        let package = go_file::package_name(&toks).unwrap_or_default().to_string();
        if imports
            .iter()
            .any(|i| i.path.ends_with("godotenv/autoload") || i.path.ends_with("gotenv/autoload"))
        {
            r.env_files.push(".env".into());
        }
        for at in 0..toks.len() {
            match &toks[at].kind {
                Kind::Str(s) if has_config_ext(s) && !not_app_config(s) => literals.push(s.clone()),
                Kind::Ident(name) if toks.get(at + 1).is_some_and(|t| t.is_punct('(')) => {
                    let qualifier = qualifier(&toks, at);
                    let args = string_args(&toks, at + 1);
                    let first = args.first().cloned().flatten();
                    let dotenv = qualifier.is_some_and(|q| {
                        imports.iter().any(|i| {
                            i.name == q
                                && matches!(
                                    i.path.rsplit('/').next(),
                                    Some("godotenv" | "gotenv" | "dotenv")
                                )
                        })
                    });
                    match name.as_str() {
                        "Load" | "Overload" | "Read" if dotenv => {
                            let files: Vec<String> = args.iter().flatten().cloned().collect();
                            match files.is_empty() {
                                true => r.env_files.push(".env".into()),
                                false => r.env_files.extend(files),
                            }
                        }
                        "SetConfigFile" => r.config_files.extend(first.clone()),
                        "SetConfigName" => names.extend(first.clone()),
                        "AddConfigPath" => paths.extend(first.clone()),
                        "SetConfigType" => kind = first.clone().or(kind),
                        n if n.starts_with("Get") && qualifier.is_some() => {
                            if let Some(key) = first.clone().filter(|k| {
                                k.contains('.') && is_port_name(k.rsplit('.').next().unwrap_or(k))
                            }) {
                                r.config_keys.push(key);
                            }
                        }
                        _ => {}
                    }
                    if let (true, Some(env)) = (
                        name == "Getenv" || name == "LookupEnv",
                        first.as_ref().filter(|n| is_port_name(n)),
                    ) {
                        if let Some((port, line)) = assigned_default(&toks, at) {
                            let place = format!("{file}:{line}");
                            r.helper_defaults.push((env.clone(), port, place));
                        }
                    }
                    let helper = helpers.iter().find(|h| {
                        h.name == *name
                            && match qualifier {
                                Some(q) => h.package == q,
                                None => h.package == package && h.dir == dir,
                            }
                    });
                    if let (Some(_), Some(env)) = (helper, &first) {
                        if is_port_name(env) {
                            if !r.helper_names.contains(env) {
                                r.helper_names.push(env.clone());
                            }
                            let default = call_args(&toks, at + 1).get(1).and_then(|a| match a {
                                [Token {
                                    kind: Kind::Str(v) | Kind::Number(v),
                                    ..
                                }] => port_of(v),
                                _ => None,
                            });
                            if let Some(port) = default {
                                let place = format!("{file}:{}", toks[at].line);
                                r.helper_defaults.push((env.clone(), port, place));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // viper looks for NAME.EXT in each path, in the order they were added.
    let exts: Vec<&str> = match kind.as_deref() {
        Some(k) if CONFIG_EXTS.contains(&k) => vec![k],
        _ => CONFIG_EXTS.to_vec(),
    };
    for path in &paths {
        for name in &names {
            for ext in &exts {
                r.config_files
                    .push(clean_str(&format!("{path}/{name}.{ext}")));
            }
        }
    }
    r.config_files.extend(literals);
    r.config_files.extend(embedded);
    // Relative names only: an absolute one (`/etc/app/config.yaml`) is the deployed app's,
    // outside the project the doctor reads.
    let mut seen = std::collections::HashSet::new();
    r.config_files
        .retain(|f| !f.starts_with('/') && seen.insert(clean_str(f)));
    let mut seen = std::collections::HashSet::new();
    r.env_files
        .retain(|f| !f.starts_with('/') && seen.insert(clean_str(f)));
    r
}

/// `port := os.Getenv("PORT")` (or `port, ok := os.LookupEnv("PORT")`) followed, in the same
/// function, by `port = "8080"`: the port that fallback gives and its line. `at` is the
/// index of `Getenv`.
fn assigned_default(toks: &[Token], at: usize) -> Option<(u16, usize)> {
    // Back over `os.` to the `:=` or `=` and the variable before it.
    let mut i = at.checked_sub(1)?;
    if toks[i].is_punct('.') {
        i = i.checked_sub(2)?;
    }
    if !toks[i].is_punct('=') {
        return None;
    }
    i = i.checked_sub(1)?;
    if toks[i].is_punct(':') {
        i = i.checked_sub(1)?;
    }
    if i >= 2 && toks[i - 1].is_punct(',') {
        i -= 2; // `port, ok :=`
    }
    let Kind::Ident(var) = &toks[i].kind else {
        return None;
    };
    let close = matching(toks, at + 1)?;
    let end = toks.len().min(close + 80);
    for j in close + 1..end {
        if toks[j].is_ident("func") || toks[j].is_ident("return") {
            return None;
        }
        let assigns = toks[j].is_ident(var)
            && toks.get(j + 1).is_some_and(|t| t.is_punct('='))
            && !toks.get(j + 2).is_some_and(|t| t.is_punct('='))
            && !toks[j - 1].is_punct('.');
        if !assigns {
            continue;
        }
        return match &toks.get(j + 2)?.kind {
            Kind::Str(v) | Kind::Number(v) => Some((port_of(v)?, toks[j].line)),
            _ => None,
        };
    }
    None
}

/// The folder of a project-relative file name (`.` at the top).
fn parent(file: &str) -> String {
    match Path::new(file).parent().map(|p| p.to_string_lossy()) {
        Some(p) if !p.is_empty() => p.into_owned(),
        _ => ".".into(),
    }
}

/// The names after `//go:embed` that are config files.
fn embeds(text: &str) -> Vec<String> {
    static EMBED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^\s*//go:embed\s+(.+)$").expect("valid"));
    EMBED
        .captures_iter(text)
        .flat_map(|c| {
            c[1].split_whitespace()
                .map(|w| w.trim_matches(|c| c == '"' || c == '`').to_string())
                .collect::<Vec<_>>()
        })
        .filter(|w| has_config_ext(w) && !w.contains('*'))
        .collect()
}

/// The functions of one file that read the variable their first parameter names and fall
/// back on their second (a chained helper, `getEnvAsInt` calling `getEnv(key, "")`, too).
fn helpers_in(file: &str, toks: &[Token]) -> Vec<Helper> {
    let package = go_file::package_name(toks).unwrap_or_default().to_string();
    let funcs = functions(toks);
    let mut found: Vec<String> = vec![];
    // A helper may call one declared after it: look again while new ones turn up.
    for _ in 0..3 {
        let before = found.len();
        for f in &funcs {
            let [key, fallback, ..] = f.params.as_slice() else {
                continue;
            };
            if found.contains(&f.name) {
                continue;
            }
            let body = &toks[f.body.clone()];
            let reads_key = body.windows(4).any(|w| {
                matches!(&w[0].kind, Kind::Ident(n) if n == "Getenv" || n == "LookupEnv" || found.contains(n))
                    && w[1].is_punct('(')
                    && w[2].is_ident(key)
                    && (w[3].is_punct(')') || w[3].is_punct(','))
            });
            if reads_key && body.iter().any(|t| t.is_ident(fallback)) {
                found.push(f.name.clone());
            }
        }
        if found.len() == before {
            break;
        }
    }
    found
        .into_iter()
        .map(|name| Helper {
            name,
            package: package.clone(),
            dir: parent(file),
        })
        .collect()
}

/// A top-level function (not a method): its name, parameter names and body's token range.
struct Func {
    name: String,
    params: Vec<String>,
    body: std::ops::Range<usize>,
}

fn functions(toks: &[Token]) -> Vec<Func> {
    let mut out = vec![];
    for i in 0..toks.len() {
        let (true, Some(Kind::Ident(name)), Some(open)) = (
            toks[i].is_ident("func"),
            toks.get(i + 1).map(|t| &t.kind),
            toks.get(i + 2),
        ) else {
            continue;
        };
        if !open.is_punct('(') {
            continue; // a method, a generic function or a func literal
        }
        let params = call_args(toks, i + 2)
            .iter()
            .filter_map(|p| match p.first().map(|t| &t.kind) {
                Some(Kind::Ident(n)) => Some(n.clone()),
                _ => None,
            })
            .collect();
        let Some(close) = matching(toks, i + 2) else {
            continue;
        };
        let Some(body_open) =
            (close + 1..toks.len().min(close + 20)).find(|&j| toks[j].is_punct('{'))
        else {
            continue;
        };
        let Some(body_close) = matching(toks, body_open) else {
            continue;
        };
        out.push(Func {
            name: name.clone(),
            params,
            body: body_open..body_close,
        });
    }
    out
}

/// The index of the bracket that closes the one at `open`.
fn matching(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, t) in toks.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Punct('(' | '[' | '{') => depth += 1,
            Kind::Punct(')' | ']' | '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// `Some(q)` for `q.name(`, None for a bare `name(` or a method on an expression.
fn qualifier(toks: &[Token], i: usize) -> Option<&str> {
    if i < 2 || !toks[i - 1].is_punct('.') || (i >= 3 && toks[i - 3].is_punct('.')) {
        return None;
    }
    match &toks[i - 2].kind {
        Kind::Ident(q) => Some(q),
        _ => None,
    }
}

/// The top-level arguments of the call whose `(` is at `open`.
fn call_args(toks: &[Token], open: usize) -> Vec<&[Token]> {
    let Some(close) = matching(toks, open) else {
        return vec![];
    };
    let mut args = vec![];
    let mut depth = 0;
    let mut start = open + 1;
    for j in open + 1..close {
        match toks[j].kind {
            Kind::Punct('(' | '[' | '{') => depth += 1,
            Kind::Punct(')' | ']' | '}') => depth -= 1,
            Kind::Punct(',') if depth == 0 => {
                args.push(&toks[start..j]);
                start = j + 1;
            }
            _ => {}
        }
    }
    if close > start {
        args.push(&toks[start..close]);
    }
    args
}

/// Each argument of the call at `open` that is one string literal (None for any other).
fn string_args(toks: &[Token], open: usize) -> Vec<Option<String>> {
    call_args(toks, open)
        .iter()
        .map(|a| match a {
            [Token {
                kind: Kind::Str(s), ..
            }] => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(files: &[(&str, &str)]) -> Reads {
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        reads(&texts)
    }

    /// The monorepo backend: a helper with a default, a `.env` one folder up.
    #[test]
    fn a_helper_default_and_the_env_files_loaded() {
        let r = of(&[(
            "main.go",
            "package main\n\nimport (\n\t\"os\"\n\t\"github.com/joho/godotenv\"\n)\n\nfunc getEnvOrDefault(key, defaultValue string) string {\n\tvalue := os.Getenv(key)\n\tif value == \"\" {\n\t\treturn defaultValue\n\t}\n\treturn value\n}\n\nfunc main() {\n\t_ = godotenv.Load(\"../.env\", \".env.local\")\n\tdb := getEnvOrDefault(\"DB_HOST\", \"localhost\")\n\tport := getEnvOrDefault(\"PORT\", \"8080\")\n\t_, _ = db, port\n}\n",
        )]);
        assert_eq!(r.helper_names, ["PORT"]);
        assert_eq!(
            r.helper_defaults,
            [("PORT".to_string(), 8080, "main.go:19".to_string())]
        );
        assert_eq!(r.env_files, ["../.env", ".env.local"]);
        let r = of(&[(
            "main.go",
            "package main\nimport \"github.com/joho/godotenv\"\nfunc main() {\n\tgodotenv.Load(\"/etc/app/.env\")\n\tviper.SetConfigFile(\"/etc/app/config.yaml\")\n}\n",
        )]);
        assert!(r.env_files.is_empty() && r.config_files.is_empty(), "{r:?}");
    }

    /// A helper one package deep (`config.GetEnv`), one chained on it with an int default,
    /// LookupEnv, and godotenv's autoload and no-argument Load (`.env`).
    #[test]
    fn helpers_one_package_deep_and_chained() {
        let r = of(&[
            (
                "cmd/api/main.go",
                "package main\n\nimport (\n\t\"example.com/x/internal/config\"\n\t_ \"github.com/joho/godotenv/autoload\"\n)\n\nfunc main() {\n\tconfig.GetIntOr(\"HTTP_PORT\", 9090)\n}\n",
            ),
            (
                "internal/config/env.go",
                "package config\n\nimport \"os\"\n\nfunc GetEnv(name string, fallback string) string {\n\tif v, ok := os.LookupEnv(name); ok {\n\t\treturn v\n\t}\n\treturn fallback\n}\n\nfunc GetIntOr(name string, def int) int {\n\tn, err := strconv.Atoi(GetEnv(name, \"\"))\n\tif err != nil {\n\t\treturn def\n\t}\n\treturn n\n}\n",
            ),
        ]);
        assert_eq!(
            r.helper_defaults,
            [(
                "HTTP_PORT".to_string(),
                9090,
                "cmd/api/main.go:9".to_string()
            )]
        );
        assert_eq!(r.env_files, [".env"]);
        // The fallback written after the read, with Getenv or LookupEnv.
        let r = of(&[(
            "main.go",
            "package main\nimport \"os\"\nfunc main() {\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"8084\"\n\t}\n\taddr, ok := os.LookupEnv(\"HTTP_ADDR\")\n\tif !ok {\n\t\taddr = \":9000\"\n\t}\n}\n",
        )]);
        assert_eq!(
            r.helper_defaults,
            [
                ("PORT".to_string(), 8084, "main.go:6".to_string()),
                ("HTTP_ADDR".to_string(), 9000, "main.go:10".to_string())
            ]
        );
        // Not a helper: the default is not the second parameter's.
        let r = of(&[(
            "main.go",
            "package main\nimport \"os\"\nfunc env(key, note string) string { log(note); return os.Getenv(\"X\") }\nfunc main() { env(\"PORT\", \"7000\") }\n",
        )]);
        assert!(r.helper_defaults.is_empty(), "{r:?}");
    }

    /// viper: a config name in paths, a config file set outright, the keys read; a config
    /// file named in a constant (gin-vue-admin) and an embedded default.
    #[test]
    fn config_files_and_keys_the_source_reads() {
        let r = of(&[
            (
                "main.go",
                "package main\n\nimport \"github.com/spf13/viper\"\n\nfunc main() {\n\tviper.SetConfigName(\"config\")\n\tviper.SetConfigType(\"yaml\")\n\tviper.AddConfigPath(\"./config\")\n\tviper.AddConfigPath(\".\")\n\t_ = viper.ReadInConfig()\n\t_ = viper.GetInt(\"server.port\")\n\t_ = viper.GetString(\"db.host\")\n}\n",
            ),
            (
                "core/internal/constant.go",
                "package internal\n\nconst (\n\tConfigEnv = \"GVA_CONFIG\"\n\tConfigDefaultFile = \"config.yaml\"\n\tpkg = \"package.json\"\n)\n",
            ),
            (
                "core/defaults.go",
                "package core\n\nimport _ \"embed\"\n\n//go:embed defaults.toml\nvar defaults []byte\n",
            ),
        ]);
        assert_eq!(
            r.config_files,
            ["config/config.yaml", "config.yaml", "core/defaults.toml"]
        );
        assert_eq!(r.config_keys, ["server.port"]);
        assert!(r.helper_defaults.is_empty() && r.env_files.is_empty());
    }
}
