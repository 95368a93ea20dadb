//! The port in an app's own config file (YAML, TOML or JSON): a key the source reads
//! (`server.port`), else a key that names a port or address at the top (`port: 8082`) or in a
//! section that configures the server (`system: addr: 8888`, gin-vue-admin's layout), never in
//! one that configures something else (`mysql: port: 3306`, `redis: addr: ...`).
//!
//! YAML is read by the crate's one YAML reader ([`crate::yaml`]): each value keeps its line,
//! and aliases are expanded only within a node budget.

use super::port_of;
use crate::yaml;

/// One scalar of the file: its key path, its value as text and its line (when known).
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    pub path: Vec<String>,
    pub value: String,
    pub line: Option<usize>,
}

/// How deep keys are read: `app.server.http.port` is as deep as configs go.
const DEPTH: usize = 4;
/// How many values are read from one file.
const MAX_LEAVES: usize = 20_000;

/// Sections that configure the app's own server, normalized (see [`norm`]), likeliest first.
const SERVER_SECTIONS: [&str; 13] = [
    "server",
    "http",
    "httpserver",
    "app",
    "application",
    "api",
    "web",
    "system",
    "service",
    "rest",
    "gin",
    "echo",
    "fiber",
];

/// Key names that hold the listen port or address, normalized, likeliest first.
const PORT_KEYS: [&str; 13] = [
    "port",
    "httpport",
    "serverport",
    "appport",
    "addr",
    "address",
    "httpaddr",
    "httpaddress",
    "listen",
    "listenaddr",
    "listenaddress",
    "bind",
    "bindaddr",
];

/// A key compared case-insensitively without `-` and `_` (viper ignores case).
fn norm(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The port `text` (a file named `name`, by its extension) gives, with the key path and line:
/// first a key of `wanted` (what the source reads), then the likeliest port key.
pub fn port_in(name: &str, text: &str, wanted: &[String]) -> Option<(u16, String, Option<usize>)> {
    let leaves = match name.rsplit('.').next()? {
        "yaml" | "yml" => yaml_leaves(text),
        "toml" => toml_leaves(text),
        "json" => json_leaves(text),
        _ => return None,
    };
    let found = |leaf: &Leaf| port_of(&leaf.value).map(|p| (p, leaf.path.join("."), leaf.line));
    for key in wanted {
        let key: Vec<String> = key.split('.').map(norm).collect();
        let hit = leaves
            .iter()
            .find(|l| l.path.iter().map(|k| norm(k)).eq(key.iter().cloned()));
        if let Some(p) = hit.and_then(found) {
            return Some(p);
        }
    }
    let rank = |l: &Leaf| -> Option<(usize, usize)> {
        let keys: Vec<String> = l.path.iter().map(|k| norm(k)).collect();
        let last = keys.last()?;
        let key = PORT_KEYS.iter().position(|k| k == last)?;
        match keys.as_slice() {
            [_] => Some((0, key)),
            [section, _] => {
                let s = SERVER_SECTIONS.iter().position(|s| s == section)?;
                Some((1 + s, key))
            }
            _ => None,
        }
    };
    let mut ranked: Vec<(usize, usize, &Leaf)> = leaves
        .iter()
        .filter_map(|l| rank(l).map(|(a, b)| (a, b, l)))
        .collect();
    ranked.sort_by_key(|(a, b, _)| (*a, *b));
    ranked.into_iter().find_map(|(_, _, l)| found(l))
}

/// The scalars of the first YAML document (read by [`crate::yaml`], whose alias budget keeps a
/// hostile file small): mapping keys make the path, sequences are passed over.
pub fn yaml_leaves(text: &str) -> Vec<Leaf> {
    fn walk(node: &yaml::Node, path: &mut Vec<String>, out: &mut Vec<Leaf>) {
        for (key, child) in node.entries() {
            if out.len() >= MAX_LEAVES {
                return;
            }
            path.push(key.clone());
            match &child.value {
                yaml::Value::Scalar(value) => out.push(Leaf {
                    path: path.clone(),
                    value: value.clone(),
                    line: Some(child.line),
                }),
                yaml::Value::Map(_) if path.len() < DEPTH => walk(child, path, out),
                _ => {}
            }
            path.pop();
        }
    }
    let mut out = vec![];
    if let Some(doc) = yaml::parse(text) {
        walk(&doc, &mut vec![], &mut out);
    }
    out
}

/// The scalars of a TOML file, each with the line of its key when it can be found.
pub fn toml_leaves(text: &str) -> Vec<Leaf> {
    match toml::from_str::<toml::Value>(text) {
        Ok(v) => value_leaves(serde_json::to_value(v).unwrap_or_default(), text),
        Err(_) => vec![],
    }
}

/// The scalars of a JSON file, each with the line of its key when it can be found.
pub fn json_leaves(text: &str) -> Vec<Leaf> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => value_leaves(v, text),
        Err(_) => vec![],
    }
}

fn value_leaves(v: serde_json::Value, text: &str) -> Vec<Leaf> {
    fn walk(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Leaf>) {
        let serde_json::Value::Object(map) = v else {
            return;
        };
        for (k, child) in map {
            if out.len() >= MAX_LEAVES {
                return;
            }
            path.push(k.clone());
            match child {
                serde_json::Value::String(s) => out.push(Leaf {
                    path: path.clone(),
                    value: s.clone(),
                    line: None,
                }),
                serde_json::Value::Number(n) => out.push(Leaf {
                    path: path.clone(),
                    value: n.to_string(),
                    line: None,
                }),
                serde_json::Value::Object(_) if path.len() < DEPTH => walk(child, path, out),
                _ => {}
            }
            path.pop();
        }
    }
    let mut out = vec![];
    walk(&v, &mut vec![], &mut out);
    for leaf in &mut out {
        leaf.line = line_of(text, &leaf.path);
    }
    out
}

/// The line where the keys of `path` appear in turn (a TOML `[section]` header or `key =`,
/// a JSON `"key":`): good enough to point at, not a parser.
fn line_of(text: &str, path: &[String]) -> Option<usize> {
    let mut from = 0;
    let lines: Vec<&str> = text.lines().collect();
    for (depth, key) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let at = (from..lines.len()).find(|&i| {
            let l = lines[i].trim_start();
            let quoted = [format!("\"{key}\""), format!("'{key}'"), key.clone()];
            let header = l.starts_with('[')
                && l.trim_start_matches('[')
                    .split(']')
                    .next()
                    .is_some_and(|h| h.split('.').any(|p| p.trim().trim_matches('"') == key));
            (!last && header)
                || quoted.iter().any(|q| {
                    l.strip_prefix(q.as_str())
                        .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
                })
        })?;
        from = at + 1;
    }
    Some(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viper_style_yaml_with_a_top_level_port() {
        let yaml =
            "# app settings\napp:\n  name: shop\nport: 8082\ndatabase:\n  host: db\n  port: 5432\n";
        assert_eq!(
            port_in("config.yaml", yaml, &[]),
            Some((8082, "port".into(), Some(4)))
        );
    }

    /// gin-vue-admin's config.yaml: the server's port is `system.addr`; redis and mysql have
    /// their own addresses and ports first.
    #[test]
    fn gin_vue_admin_system_addr() {
        let yaml = "jwt:\n  signing-key: x\nredis:\n  addr: 127.0.0.1:6379\nmysql:\n  port: \"3306\"\nsystem:\n  env: local\n  db-type: mysql\n  addr: 8888\n  use-multipoint: false\n";
        assert_eq!(
            port_in("config.yaml", yaml, &[]),
            Some((8888, "system.addr".into(), Some(10)))
        );
    }

    #[test]
    fn a_key_the_source_reads_wins() {
        let yaml = "port: 1\nhttp:\n  public:\n    listen: \":7443\"\n";
        assert_eq!(
            port_in("c.yml", yaml, &["http.public.listen".into()]),
            Some((7443, "http.public.listen".into(), Some(4)))
        );
    }

    #[test]
    fn toml_and_json_with_lines() {
        let toml =
            "title = \"x\"\n\n[database]\nport = 5432\n\n[server]\naddress = \"0.0.0.0:9000\"\n";
        assert_eq!(
            port_in("config.toml", toml, &[]),
            Some((9000, "server.address".into(), Some(7)))
        );
        let json = "{\n  \"db\": {\"port\": 5432},\n  \"server\": {\n    \"port\": 7001\n  }\n}\n";
        assert_eq!(
            port_in("config.json", json, &[]),
            Some((7001, "server.port".into(), Some(4)))
        );
    }

    /// Aliases are not expanded (a billion-laughs file stays small); anchors, sequences and
    /// several documents do not confuse the key path.
    #[test]
    fn yaml_aliases_sequences_and_documents() {
        let yaml = "base: &b\n  port: 1\nlist:\n  - port: 2\n  - [a, b]\nserver:\n  <<: *b\n  port: 3000\n---\nport: 9\n";
        let leaves = yaml_leaves(yaml);
        assert!(leaves.iter().all(|l| l.value != "9"), "{leaves:?}");
        assert_eq!(
            port_in("x.yaml", yaml, &[]),
            Some((3000, "server.port".into(), Some(8)))
        );
        let laughs = format!(
            "a: &a [\"lol\",\"lol\"]\n{}",
            (b'b'..=b'z')
                .map(|c| {
                    let p = (c - 1) as char;
                    format!(
                        "{}: &{} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n",
                        c as char, c as char
                    )
                })
                .collect::<String>()
        );
        assert!(yaml_leaves(&laughs).len() < 100);
        assert_eq!(port_in("x.yaml", "port: [\n", &[]), None);
        assert_eq!(port_in("x.yaml", "redis:\n  port: 6379\n", &[]), None);
    }
}
