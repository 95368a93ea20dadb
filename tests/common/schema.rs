//! A validator for the part of JSON Schema (2020-12) that the files in `schema/` use, so
//! every JSON document the tests get from the binary is checked against its schema without
//! a validator crate's build time. A keyword it does not know is an error, never ignored:
//! a schema cannot silently promise more than is checked.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The schema folder of the repository.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema")
}

/// Keywords that only describe.
const ANNOTATIONS: [&str; 7] = [
    "$schema",
    "$id",
    "title",
    "description",
    "$defs",
    "$comment",
    "default",
];

/// Check `doc` against `schema/<file>`: every violation, each with its JSON pointer.
pub fn validate_file(file: &str, doc: &Value) -> Result<(), Vec<String>> {
    let v = Validator { dir: dir() };
    let root = v.load(file);
    let mut errors = vec![];
    v.check(file, &root, &root, doc, "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `doc` is valid against `schema/<file>`, or the test fails naming what is wrong.
pub fn assert_valid(file: &str, doc: &Value) {
    if let Err(errors) = validate_file(file, doc) {
        let shown = serde_json::to_string_pretty(doc).unwrap();
        let shown: String = shown.chars().take(4000).collect();
        panic!(
            "not valid against schema/{file}:\n  {}\n{shown}",
            errors.join("\n  ")
        );
    }
}

/// Parse the binary's stdout as one JSON document valid against `schema/<file>`.
pub fn parse(file: &str, stdout: &[u8]) -> Value {
    let doc: Value = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(stdout)
                .chars()
                .take(2000)
                .collect::<String>()
        )
    });
    assert_valid(file, &doc);
    doc
}

struct Validator {
    dir: PathBuf,
}

impl Validator {
    fn load(&self, file: &str) -> Value {
        let path = self.dir.join(file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// `schema` (part of `root`, loaded from `file`) against `doc` at `at`.
    fn check(
        &self,
        file: &str,
        root: &Value,
        schema: &Value,
        doc: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let schema = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return errors.push(format!("{at}: nothing is allowed here")),
            Value::Object(s) => s,
            _ => panic!("schema/{file}: a schema is an object or a boolean at {at}"),
        };
        for (key, want) in schema {
            match key.as_str() {
                k if ANNOTATIONS.contains(&k) => {}
                "$ref" => self.reference(file, root, want, doc, at, errors),
                "type" => {
                    let types: Vec<&str> = match want {
                        Value::String(t) => vec![t],
                        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                        _ => panic!("schema/{file}: bad type at {at}"),
                    };
                    if !types.iter().any(|t| is_type(doc, t)) {
                        errors.push(format!("{at}: {} is not {}", kind(doc), types.join(" or ")));
                    }
                }
                "const" if doc != want => errors.push(format!("{at}: {doc} is not {want}")),
                "enum" if !want.as_array().unwrap().contains(doc) => {
                    errors.push(format!("{at}: {doc} is not one of {want}"))
                }
                "const" | "enum" => {}
                "minimum" | "maximum" | "minLength" | "pattern" => {
                    if let Some(e) = bound(key, want, doc) {
                        errors.push(format!("{at}: {e}"));
                    }
                }
                "required" => {
                    if let Value::Object(o) = doc {
                        for name in want.as_array().unwrap().iter().filter_map(Value::as_str) {
                            if !o.contains_key(name) {
                                errors.push(format!("{at}: `{name}` is missing"));
                            }
                        }
                    }
                }
                "properties" => {
                    if let Value::Object(o) = doc {
                        for (name, sub) in want.as_object().unwrap() {
                            if let Some(v) = o.get(name) {
                                self.check(file, root, sub, v, &format!("{at}/{name}"), errors);
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Value::Object(o) = doc {
                        let known = schema.get("properties").and_then(Value::as_object);
                        for (name, v) in o {
                            if !known.is_some_and(|k| k.contains_key(name)) {
                                self.check(file, root, want, v, &format!("{at}/{name}"), errors);
                            }
                        }
                    }
                }
                "items" => {
                    if let Value::Array(items) = doc {
                        for (i, v) in items.iter().enumerate() {
                            self.check(file, root, want, v, &format!("{at}/{i}"), errors);
                        }
                    }
                }
                "not" => {
                    let mut e = vec![];
                    self.check(file, root, want, doc, at, &mut e);
                    if e.is_empty() {
                        errors.push(format!("{at}: matches what `not` forbids ({want})"));
                    }
                }
                "anyOf" | "oneOf" => {
                    let options = want.as_array().unwrap();
                    let passing: Vec<Vec<String>> = options
                        .iter()
                        .map(|s| {
                            let mut e = vec![];
                            self.check(file, root, s, doc, at, &mut e);
                            e
                        })
                        .collect();
                    let ok = passing.iter().filter(|e| e.is_empty()).count();
                    if ok == 0 {
                        // The option that came closest says what is wrong.
                        let nearest = passing.iter().min_by_key(|e| e.len()).unwrap();
                        errors.push(format!(
                            "{at}: matches none of {key} ({})",
                            nearest.join("; ")
                        ));
                    } else if key == "oneOf" && ok > 1 {
                        errors.push(format!("{at}: matches {ok} of oneOf, not exactly one"));
                    }
                }
                other => panic!("schema/{file}: keyword `{other}` at {at} is not supported by tests/common/schema.rs"),
            }
        }
    }

    /// `#/$defs/x` in this file: each file stands alone, as stock validators read it.
    fn reference(
        &self,
        file: &str,
        root: &Value,
        target: &Value,
        doc: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let target = target.as_str().unwrap();
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("schema/{file}: $ref {target} leaves the file"));
        let schema = root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("schema/{file}: $ref {target} leads nowhere"));
        self.check(file, root, schema, doc, at, errors);
    }
}

fn is_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        // 1.0 is an integer in JSON Schema.
        "integer" => v.as_f64().is_some_and(|n| n.fract() == 0.0),
        _ => panic!("unknown type {t}"),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// minimum, maximum, minLength, pattern: each applies to its own type only.
fn bound(key: &str, want: &Value, doc: &Value) -> Option<String> {
    match (key, doc) {
        ("minimum", Value::Number(n)) if n.as_f64()? < want.as_f64()? => {
            Some(format!("{n} is below {want}"))
        }
        ("maximum", Value::Number(n)) if n.as_f64()? > want.as_f64()? => {
            Some(format!("{n} is above {want}"))
        }
        ("minLength", Value::String(s)) if (s.chars().count() as u64) < want.as_u64()? => {
            Some(format!("{s:?} is shorter than {want}"))
        }
        ("pattern", Value::String(s)) => {
            let re = regex::Regex::new(want.as_str()?).expect("a valid pattern");
            (!re.is_match(s)).then(|| format!("{s:?} does not match {want}"))
        }
        _ => None,
    }
}

/// Every schema file in `schema/`.
pub fn files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".schema.json"))
        .collect();
    names.sort();
    names
}

/// A report, or a `--fix` report (it has `fixes`), valid against its schema.
pub fn assert_report(doc: &Value) {
    let file = if doc.get("fixes").is_some() {
        "fix.schema.json"
    } else {
        "report.schema.json"
    };
    assert_valid(file, doc);
}

/// Each `(schema file, document)` valid as any user would check it: Python's jsonschema, the
/// file as it is in `schema/`, `jsonschema.validate` with no resolver or registry set up.
pub fn python_validates(docs: &[(&str, &Value)]) {
    super::ensure_python_module("jsonschema", "python3-jsonschema");
    let list: Vec<Value> = docs
        .iter()
        .map(|(file, doc)| serde_json::json!([file, doc]))
        .collect();
    let input = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input.path(), serde_json::to_vec(&list).unwrap()).unwrap();
    let script = r#"
import json, os, sys, jsonschema
wrong = []
for i, (name, doc) in enumerate(json.load(open(sys.argv[2]))):
    schema = json.load(open(os.path.join(sys.argv[1], name)))
    for e in jsonschema.validators.validator_for(schema)(schema).iter_errors(doc):
        wrong.append(f"document {i} against {name}: {e.message} at {list(e.absolute_path)}")
print("\n".join(wrong))
sys.exit(1 if wrong else 0)
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir())
        .arg(input.path())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "Python's jsonschema: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
