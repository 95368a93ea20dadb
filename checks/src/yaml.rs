//! YAML as the files that start air write it (compose files, Taskfiles): a tree of mappings,
//! sequences and scalars, each node with the line it starts on, read from yaml-rust2's event
//! parser. Aliases are copies of their anchor, made within a budget of [`MAX_NODES`] nodes (a
//! "billion laughs" file stops there instead of filling memory); nesting deeper than
//! [`MAX_DEPTH`] is dropped; `<<` merge keys are looked up by [`Node::get`]. Only the first
//! document is kept.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::Marker;

pub const MAX_NODES: usize = 200_000;
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar as written (`~` and `null` are scalars too: this reader has no types).
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// 1-based.
    pub line: usize,
    /// For a mapping's value: the line of its key (1-based), else 0.
    pub key_line: usize,
    /// A tag such as compose's `!reset` or `!override`, without the `!`.
    pub tag: Option<String>,
}

impl Node {
    /// The value of `key` in a mapping, also through `<<: *anchor` merge keys.
    pub fn get(&self, key: &str) -> Option<&Node> {
        let Value::Map(entries) = &self.value else {
            return None;
        };
        if let Some((_, v)) = entries.iter().find(|(k, _)| k == key) {
            return Some(v);
        }
        let merged = entries.iter().find(|(k, _)| k == "<<").map(|(_, v)| v)?;
        match &merged.value {
            Value::Map(_) => merged.get(key),
            Value::Seq(items) => items.iter().find_map(|m| {
                // A merge list holds mappings; no deeper chains are followed.
                matches!(m.value, Value::Map(_))
                    .then(|| m.entries().iter().find(|(k, _)| k == key).map(|(_, v)| v))
                    .flatten()
            }),
            Value::Scalar(_) => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence (none for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entries of a mapping, in file order (none for anything else).
    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }
}

/// The first document of `text`; None when it is not YAML (or empty). A flow collection
/// whose later lines sit at (or left of) its key's indentation (`command: [` ... `]` under
/// `command`) is refused by yaml-rust2 but read by go-yaml, which compose and Task use: such
/// a file is read again with those lines indented past the line that opened the collection.
pub fn parse(text: &str) -> Option<Node> {
    parse_strict(text).or_else(|| parse_strict(&indent_flow_lines(text)?))
}

fn parse_strict(text: &str) -> Option<Node> {
    let mut tree = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut tree, false).ok()?;
    tree.root
}

/// `text` with each line that continues an open flow collection (`[`, `{`) indented one
/// column past the line that opened it, when it is not already (None when none is moved).
/// Only spaces are added at the starts of lines: every line keeps its number, and inside a
/// flow collection leading spaces carry no meaning. Quotes, comments and the lines of a block
/// scalar (`|`, `>`) are skipped when counting brackets.
fn indent_flow_lines(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // The indentation of the line that opened the outermost open collection.
    let mut opener = 0usize;
    // A block scalar's lines: those indented more than its key's line.
    let mut block: Option<usize> = None;
    let mut moved = false;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(b) = block {
            if blank || indent > b {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        if (depth > 0 || quote.is_some()) && !blank && indent <= opener {
            out.push_str(&" ".repeat(opener + 1 - indent));
            moved = true;
        }
        out.push_str(line);
        let start_depth = depth;
        let mut prev = ' ';
        let mut first = true;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match quote {
                Some('\'') if c == '\'' => {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        quote = None;
                    }
                }
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some('"') if c == '"' => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if prev == ' ' || prev == '\t' => break,
                    '\'' | '"' if first || ":-[{,?".contains(prev) => quote = Some(c),
                    '[' | '{' => {
                        if depth == 0 {
                            opener = indent;
                        }
                        depth += 1;
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            if !c.is_whitespace() {
                first = false;
                prev = c;
            } else if quote.is_none() {
                prev = c;
            }
        }
        // `key: |` (or `>-`, `|2`) outside a flow collection starts a block scalar.
        let body = line.split(" #").next().unwrap_or(line).trim();
        let indicator = body
            .rsplit_once(' ')
            .filter(|(before, _)| before.ends_with(':') || before.ends_with('-'))
            .map(|(_, last)| last)
            .is_some_and(|last| {
                last.starts_with(['|', '>'])
                    && last[1..].chars().all(|c| "+-0123456789".contains(c))
            });
        if start_depth == 0 && depth == 0 && quote.is_none() && indicator {
            block = Some(indent);
        }
    }
    moved.then_some(out)
}

type Entries = Vec<(String, Node)>;

struct Frame {
    line: usize,
    /// The line of the key whose value is awaited.
    key_line: usize,
    tag: Option<String>,
    anchor: usize,
    size: usize,
    items: Vec<Node>,
    /// For a mapping: its entries and the key read before its value.
    map: Option<(Entries, Option<String>)>,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// Collections opened past MAX_DEPTH (or past the budget), being skipped.
    skipping: usize,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    root: Option<Node>,
    done: bool,
}

impl Builder {
    fn tag(tag: Option<Tag>) -> Option<String> {
        tag.map(|t| t.suffix)
    }

    fn open(&mut self, anchor: usize, tag: Option<Tag>, line: usize, map: bool) {
        if self.skipping > 0 || self.stack.len() >= MAX_DEPTH || self.nodes >= MAX_NODES {
            self.skipping += 1;
            return;
        }
        self.nodes += 1;
        self.stack.push(Frame {
            line,
            key_line: 0,
            tag: Self::tag(tag),
            anchor,
            size: 1,
            items: vec![],
            map: map.then(|| (vec![], None)),
        });
    }

    fn close(&mut self) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let value = match frame.map {
            Some((entries, _)) => Value::Map(entries),
            None => Value::Seq(frame.items),
        };
        let node = Node {
            value,
            line: frame.line,
            key_line: 0,
            tag: frame.tag,
        };
        self.add(node, frame.anchor, frame.size);
    }

    /// Put a finished node into its parent (or make it the root).
    fn add(&mut self, mut node: Node, anchor: usize, size: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            self.done = true;
            return;
        };
        parent.size += size;
        match &mut parent.map {
            Some((_, key)) if key.is_none() => {
                *key = Some(node.as_str().unwrap_or_default().to_string());
                parent.key_line = node.line;
            }
            Some((entries, key)) => {
                node.key_line = parent.key_line;
                entries.push((key.take().unwrap_or_default(), node));
            }
            None => parent.items.push(node),
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.done {
            return;
        }
        let line = mark.line().max(1);
        match ev {
            Event::Scalar(value, _, anchor, tag) => {
                if self.skipping > 0 || self.nodes >= MAX_NODES {
                    return;
                }
                self.nodes += 1;
                let node = Node {
                    value: Value::Scalar(value),
                    line,
                    key_line: 0,
                    tag: Self::tag(tag),
                };
                self.add(node, anchor, 1);
            }
            Event::SequenceStart(anchor, tag) => self.open(anchor, tag, line, false),
            Event::MappingStart(anchor, tag) => self.open(anchor, tag, line, true),
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => {
                if self.skipping > 0 {
                    return;
                }
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return;
                };
                if self.nodes + size > MAX_NODES {
                    self.nodes = MAX_NODES;
                    return;
                }
                self.nodes += size;
                self.add(node, 0, size);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// go-yaml (compose's reader) takes a flow sequence closed at its key's column, which
    /// yaml-rust2 alone refuses (Dzhodddi/ZLAGODA's `command: [` ... `]`); brackets in quotes,
    /// comments and block scalars are not counted, and the lines keep their numbers.
    #[test]
    fn a_flow_collection_closed_at_its_key_column_is_read() {
        let text = "services:\n  db:\n    command: [\n      \"-path\", \"/m\",\n      \"up\"\n    ]\n    image: x\n  app:\n    entrypoint: |\n      echo [\n    command: ['a # [', \"b]\"] # [\n    volumes: {\n  x: y\n    }\n";
        let doc = parse(text).unwrap();
        let db = doc.get("services").unwrap().get("db").unwrap();
        let words: Vec<&str> = db
            .get("command")
            .unwrap()
            .items()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(words, ["-path", "/m", "up"]);
        assert_eq!(db.get("image").unwrap().line, 7);
        let app = doc.get("services").unwrap().get("app").unwrap();
        assert_eq!(app.get("entrypoint").unwrap().as_str(), Some("echo [\n"));
        assert_eq!(app.get("command").unwrap().items().len(), 2);
        assert_eq!(
            app.get("volumes").unwrap().get("x").unwrap().as_str(),
            Some("y")
        );
        assert_eq!(app.get("volumes").unwrap().get("x").unwrap().line, 13);
        // Still not YAML: an unclosed collection.
        assert_eq!(parse("a: [\nb: c\n"), None);
    }

    #[test]
    fn reads_compose_shapes_with_lines() {
        let text = "\
x-go: &go
  working_dir: /app
  volumes:
    - .:/app
services:
  api:
    <<: *go
    build: !reset null
    command: [\"air\", \"-c\", \"cmd/api/.air.toml\"]
  web:
    command: >
      sh -c \"cd web &&
      air\"
";
        let doc = parse(text).unwrap();
        let api = doc.get("services").and_then(|s| s.get("api")).unwrap();
        assert_eq!(api.get("working_dir").and_then(Node::as_str), Some("/app"));
        assert_eq!(
            api.get("volumes").unwrap().items()[0].as_str(),
            Some(".:/app")
        );
        assert_eq!(api.get("build").unwrap().tag.as_deref(), Some("reset"));
        let command = api.get("command").unwrap();
        assert_eq!(command.line, 9);
        assert_eq!(command.items()[2].as_str(), Some("cmd/api/.air.toml"));
        let web = doc.get("services").and_then(|s| s.get("web")).unwrap();
        assert_eq!(
            web.get("command").and_then(Node::as_str),
            Some("sh -c \"cd web && air\"\n")
        );
        assert_eq!(web.key_line, 10);
        assert_eq!(command.key_line, 9);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop_at_the_budget() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            bomb.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let doc = parse(&bomb).unwrap();
        assert!(doc.get("a").is_some());
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let _ = parse(&deep);
        assert_eq!(parse("a: [unclosed"), None);
        assert_eq!(parse(""), None);
    }
}
