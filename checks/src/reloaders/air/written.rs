//! What an `.air.toml` says, parsed once: each key's value as written, with its line, and
//! what air's key table finds wrong with it (unknown or misplaced keys, wrong types, zero
//! values air replaces). air's view ([`super::config::AirConfig`]) and the runner's
//! ([`super::runner::RunConfig`]) are both read from it, each by its own rule over the table.

use super::keys::{self, Issue, Problem};
use toml_edit::{ImDocument, Item, TomlError};

#[derive(Debug, Clone)]
pub struct Written {
    doc: ImDocument<String>,
    issues: Vec<Issue>,
}

impl Written {
    pub fn parse(text: &str) -> Result<Written, TomlError> {
        let doc = ImDocument::parse(text.to_string())?;
        let issues = keys::lint(&doc);
        Ok(Written { doc, issues })
    }

    /// An empty file: every key at its default.
    pub fn empty() -> Written {
        Written {
            doc: ImDocument::parse(String::new()).expect("an empty text is TOML"),
            issues: vec![],
        }
    }

    /// Whether `other` holds the same settings: the same keys with the same values, whatever
    /// its comments, spacing or order.
    pub fn same_settings(&self, other: &Written) -> bool {
        let values = |w: &Written| w.text().parse::<toml::Table>().ok();
        self.text() == other.text() || values(self).is_some_and(|t| Some(t) == values(other))
    }

    pub fn text(&self) -> &str {
        self.doc.raw()
    }

    pub fn doc(&self) -> &ImDocument<String> {
        &self.doc
    }

    /// Every problem with a key, by line ([`keys::lint`]).
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The value at dotted `path` as written, if the file has it.
    pub fn get(&self, path: &str) -> Option<&Item> {
        keys::get(&self.doc, path)
    }

    /// The 1-based line of the key at dotted `path`, if the file has it.
    pub fn line(&self, path: &str) -> Option<usize> {
        keys::line_of(&self.doc, path)
    }

    /// The value of the wrong type air stops on at `path`, or at a table that holds it.
    pub fn wrong_type(&self, path: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| {
            matches!(i.problem, Problem::WrongType { .. })
                && path
                    .strip_prefix(i.path.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    }
}

/// An issue in the one line air prints it in: `build.delay: a string, not an integer`.
pub fn wrong_type_text(issue: &Issue) -> Option<String> {
    match &issue.problem {
        Problem::WrongType { expected, found } => {
            Some(format!("{}: {found}, not {expected}", issue.path))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_hold_for_the_keys_below() {
        let w = Written::parse("build = 1\n[proxy]\napp_port = \"x\"\n").unwrap();
        assert!(w.wrong_type("build.cmd").is_some());
        assert!(w.wrong_type("build").is_some());
        assert!(w.wrong_type("proxy.app_port").is_some());
        assert!(w.wrong_type("proxy.enabled").is_none());
        assert!(w.wrong_type("buildx").is_none());
        assert_eq!(w.line("proxy.app_port"), Some(3));
    }
}
