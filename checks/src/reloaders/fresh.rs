//! pilu/fresh's `runner.conf`, read the way fresh reads it (github.com/pilu/config at the
//! version fresh pins): `key: value` or `key = value` lines, `#` and `;` start comments,
//! `[section]` headers (fresh reads only the default section), and a last line without a
//! newline is silently dropped (`ReadString('\n')` hits EOF before it is processed).

use crate::suggest::closest;

/// fresh's settings and defaults (`runner/settings.go`).
pub const KEYS: [(&str, &str); 15] = [
    ("config_path", "./runner.conf"),
    ("root", "."),
    ("tmp_path", "./tmp"),
    ("build_name", "runner-build"),
    ("build_log", "runner-build-errors.log"),
    ("valid_ext", ".go, .tpl, .tmpl, .html"),
    ("no_rebuild_ext", ".tpl, .tmpl, .html"),
    ("ignored", "assets, tmp"),
    ("build_delay", "600"),
    ("colors", "1"),
    ("log_color_main", "cyan"),
    ("log_color_build", "yellow"),
    ("log_color_runner", "green"),
    ("log_color_watcher", "magenta"),
    ("log_color_app", ""),
];

/// The section fresh reads; lines before any header belong to it.
const MAIN_SECTION: &str = "Settings";

#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub key: String,
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub line: usize,
    pub message: String,
    pub fail: bool,
}

#[derive(Debug, Default)]
pub struct RunnerConf {
    /// Settings fresh reads, in file order.
    pub settings: Vec<Setting>,
    pub issues: Vec<Issue>,
}

impl RunnerConf {
    /// The value fresh will use: the file's, else the default.
    pub fn get(&self, key: &str) -> &str {
        self.settings
            .iter()
            .rev()
            .find(|s| s.key == key)
            .map(|s| s.value.as_str())
            .or_else(|| KEYS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
            .unwrap_or("")
    }

    fn line_of(&self, key: &str) -> usize {
        self.settings
            .iter()
            .rev()
            .find(|s| s.key == key)
            .map_or(0, |s| s.line)
    }

    fn list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .split(',')
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect()
    }
}

/// Parse and lint a `runner.conf`.
pub fn parse(text: &str) -> RunnerConf {
    let mut conf = RunnerConf::default();
    let mut section: Option<(String, usize)> = None;
    let line_count = text.split_inclusive('\n').count();
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line = i + 1;
        // pilu/config stops at EOF before it handles a last line without a newline.
        let dropped = !raw.ends_with('\n');
        debug_assert!(!dropped || line == line_count);
        let body = raw.split(['#', ';']).next().unwrap_or("").trim();
        if body.is_empty() {
            continue;
        }
        if body.starts_with('[') && body.ends_with(']') {
            section = Some((body[1..body.len() - 1].trim().to_string(), line));
            continue;
        }
        let (key, value) = split_pair(body);
        if let Some((name, at)) = section.as_ref().filter(|(name, _)| name != MAIN_SECTION) {
            conf.issues.push(Issue {
                line,
                message: format!(
                    "{key} is in section [{name}] (line {at}); fresh reads only the lines before the first section: move it above"
                ),
                fail: false,
            });
            continue;
        }
        if !KEYS.iter().any(|(k, _)| *k == key) {
            let hint = closest(&key, KEYS.iter().map(|(k, _)| *k))
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            conf.issues.push(Issue {
                line,
                message: format!("{key} is not a fresh setting{hint}; fresh ignores it"),
                fail: false,
            });
        } else if dropped {
            // Only a line whose value fresh would have used matters: a last
            // `log_color_app:` (the default, empty) changes nothing when dropped.
            let used = conf.get(&key);
            if used != value {
                conf.issues.push(Issue {
                    line,
                    message: format!(
                        "line {line} (`{key}: {value}`) has no newline at the end, so fresh never reads it and uses `{key}: {used}`; end the file with a newline"
                    ),
                    fail: true,
                });
            }
            break;
        }
        if !dropped {
            conf.settings.push(Setting { key, value, line });
        }
    }
    lint_values(&mut conf);
    conf.issues.sort_by_key(|i| i.line);
    conf
}

/// pilu/config splits on the leftmost `\s*[:=]\s*` or `\s+`: `key: value`, `key = value`,
/// `key value`.
fn split_pair(body: &str) -> (String, String) {
    let Some(at) = body.find(|c: char| c.is_whitespace() || c == ':' || c == '=') else {
        return (body.to_string(), String::new());
    };
    let rest = body[at..].trim_start();
    let rest = match rest.strip_prefix([':', '=']) {
        Some(r) => r.trim_start(),
        None => rest,
    };
    (body[..at].to_string(), rest.to_string())
}

/// Values that make fresh misbehave.
fn lint_values(conf: &mut RunnerConf) {
    let add = |conf: &RunnerConf, key: &str, fail: bool, message: String| Issue {
        line: conf.line_of(key),
        message,
        fail,
    };
    let mut found = vec![];
    let valid = conf.list("valid_ext");
    if !valid.iter().any(|e| e == ".go" || e == "go") {
        found.push(add(
            conf,
            "valid_ext",
            true,
            format!(
                "valid_ext is \"{}\" without .go: editing Go files never rebuilds; add .go",
                conf.get("valid_ext")
            ),
        ));
    }
    if let Some(bad) = valid.iter().find(|e| !e.starts_with('.')) {
        found.push(add(
            conf,
            "valid_ext",
            true,
            format!("valid_ext entry \"{bad}\" never matches: fresh compares with the dot, write \".{bad}\""),
        ));
    }
    if conf.list("no_rebuild_ext").is_empty() && conf.line_of("no_rebuild_ext") > 0 {
        found.push(add(
            conf,
            "no_rebuild_ext",
            true,
            "no_rebuild_ext is empty: fresh then treats every change as \"no rebuild\" and never rebuilds; remove the line or list extensions".into(),
        ));
    }
    if conf.get("build_delay").parse::<u64>().is_err() {
        found.push(add(
            conf,
            "build_delay",
            false,
            format!(
                "build_delay \"{}\" is not a whole number of milliseconds; fresh uses 0",
                conf.get("build_delay")
            ),
        ));
    }
    let absolute_root = conf.get("root").starts_with('/');
    for entry in conf.list("ignored") {
        if absolute_root || entry.contains('/') {
            let why = if absolute_root {
                "root is an absolute path, so fresh's ignored never matches"
            } else {
                "fresh matches ignored only against top-level folder names"
            };
            let key = if conf.line_of("ignored") > 0 {
                "ignored"
            } else {
                "root"
            };
            found.push(add(
                conf,
                key,
                false,
                format!("ignored entry \"{entry}\" has no effect: {why}"),
            ));
        }
    }
    conf.issues.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fresh_format_and_defaults() {
        let c = parse("# c\nroot: .\ntmp_path = ./tmp ; why\nbuild_delay 200\n[Settings]\nvalid_ext : .go, .html\n");
        assert_eq!(c.issues, vec![]);
        assert_eq!(c.get("build_delay"), "200");
        assert_eq!(c.get("tmp_path"), "./tmp");
        assert_eq!(c.get("build_name"), "runner-build");
        assert_eq!(c.settings[0].line, 2);
    }

    #[test]
    fn finds_typos_dropped_last_line_and_bad_values() {
        let c = parse("valid_exts: .go\nvalid_ext: go, .html\nno_rebuild_ext:\nignored: web/node_modules\n[dev]\nroot: x\nbuild_delay: soon\n");
        let lines: Vec<(usize, bool)> = c.issues.iter().map(|i| (i.line, i.fail)).collect();
        assert_eq!(
            lines,
            vec![
                (1, false),
                (2, true),
                (3, true),
                (4, false),
                (6, false),
                (7, false)
            ],
            "{:#?}",
            c.issues
        );
        assert!(c.issues[0].message.contains("did you mean valid_ext?"));
    }

    #[test]
    fn a_dropped_last_line_fails_only_when_fresh_would_have_used_it() {
        // Generated runner.conf files end in `log_color_app:` without a newline: fresh drops
        // it and uses the default, which is the same empty value.
        let c = parse("root: .\nignored: assets, tmp, vendor\nlog_color_app:");
        assert_eq!(c.issues, vec![], "{:#?}", c.issues);
        assert_eq!(c.get("ignored"), "assets, tmp, vendor");
        let c = parse("root: .\nignored: assets, tmp, vendor");
        assert_eq!(c.issues.len(), 1, "{:#?}", c.issues);
        assert!(c.issues[0].fail);
        assert!(
            c.issues[0].message.contains("uses `ignored: assets, tmp`"),
            "{}",
            c.issues[0].message
        );
        assert_eq!(c.get("ignored"), "assets, tmp");
        // A value the file already set the same way earlier changes nothing either.
        let c = parse("colors: 0\ncolors: 0");
        assert_eq!(c.issues, vec![]);
    }
}
