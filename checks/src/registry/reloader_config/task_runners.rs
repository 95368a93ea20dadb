//! What `make TARGET` or `npm run SCRIPT` in a build step runs, read from the Makefile or
//! package.json as text. Nothing is executed: `make -n` would still run `$(shell ...)` and
//! recursive `$(MAKE)` lines, which is repository code.

use std::path::Path;

/// How deep prerequisites and scripts calling scripts are followed.
const MAX_DEPTH: usize = 4;

/// One command line behind a task-runner step, with where it was read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Recipe {
    /// `Makefile:12` or `package.json`.
    pub site: String,
    pub line: String,
}

/// The commands `words` (one simple command, run in `dir`) hands to a Makefile or
/// package.json; empty when it is neither or they cannot be read.
pub(super) fn expand(words: &[String], dir: &Path) -> Vec<Recipe> {
    expand_at(words, dir, 0)
}

fn expand_at(words: &[String], dir: &Path, depth: usize) -> Vec<Recipe> {
    if depth > MAX_DEPTH || words.is_empty() {
        return vec![];
    }
    let program = words[0].rsplit('/').next().unwrap_or(&words[0]);
    match program {
        "make" | "gmake" => {
            let (file, targets) = make_args(&words[1..]);
            let Some((name, text)) = read_makefile(dir, file.as_deref()) else {
                return vec![];
            };
            let rules = make_rules(&text);
            let targets = if targets.is_empty() {
                rules.first().map(|r| vec![r.0.clone()]).unwrap_or_default()
            } else {
                targets
            };
            let mut out = vec![];
            let mut seen = vec![];
            for t in targets {
                make_recipes(&rules, &t, &name, &mut seen, &mut out, 0);
            }
            out
        }
        "npm" | "yarn" | "pnpm" | "bun" => {
            let script = match words.get(1).map(String::as_str) {
                Some("run" | "run-script") => words.get(2),
                Some(s) if program != "npm" => Some(&words[1]).filter(|_| !s.starts_with('-')),
                _ => None,
            };
            let Some(script) = script else { return vec![] };
            let Ok(text) = std::fs::read_to_string(dir.join("package.json")) else {
                return vec![];
            };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
                return vec![];
            };
            let Some(line) = json["scripts"][script.as_str()].as_str() else {
                return vec![];
            };
            let mut out = vec![Recipe {
                site: "package.json".into(),
                line: line.to_string(),
            }];
            for words in crate::build_cmd::split_commands(line) {
                out.extend(expand_at(&words, dir, depth + 1));
            }
            out
        }
        _ => vec![],
    }
}

/// `-f FILE` and the targets of a make command line (variable assignments skipped).
fn make_args(args: &[String]) -> (Option<String>, Vec<String>) {
    let mut file = None;
    let mut targets = vec![];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-f" || a == "--file" {
            file = it.next().cloned();
        } else if let Some(f) = a.strip_prefix("--file=") {
            file = Some(f.to_string());
        } else if a == "-C" {
            it.next(); // another folder: not followed
            return (Some("\0".into()), vec![]);
        } else if !a.starts_with('-') && !a.contains('=') {
            targets.push(a.clone());
        }
    }
    (file, targets)
}

fn read_makefile(dir: &Path, file: Option<&str>) -> Option<(String, String)> {
    let names: Vec<&str> = match file {
        Some(f) => vec![f],
        None => vec!["GNUmakefile", "makefile", "Makefile"],
    };
    names.into_iter().find_map(|n| {
        let text = std::fs::read_to_string(dir.join(n)).ok()?;
        Some((n.to_string(), text))
    })
}

/// (target, prerequisites, recipe lines with their 1-based line numbers), in file order.
type Rule = (String, Vec<String>, Vec<(usize, String)>);

fn make_rules(text: &str) -> Vec<Rule> {
    let mut rules: Vec<Rule> = vec![];
    let mut current: Vec<usize> = vec![];
    for (i, line) in text.lines().enumerate() {
        if let Some(recipe) = line.strip_prefix('\t') {
            let recipe = recipe.trim_start_matches(['@', '-', '+']).trim();
            for &r in &current {
                if !recipe.is_empty() && !recipe.starts_with('#') {
                    rules[r].2.push((i + 1, recipe.to_string()));
                }
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        current.clear();
        // `target another: prereqs` (not `VAR := value`, not `VAR = a:b`).
        let Some((head, tail)) = line.split_once(':') else {
            continue;
        };
        if tail.starts_with('=') || head.contains('=') || head.trim().starts_with('.') {
            continue;
        }
        let prereqs: Vec<String> = tail
            .split(';')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .filter(|p| *p != "|")
            .map(str::to_string)
            .collect();
        for target in head.split_whitespace() {
            current.push(rules.len());
            rules.push((target.to_string(), prereqs.clone(), vec![]));
        }
    }
    rules
}

fn make_recipes(
    rules: &[Rule],
    target: &str,
    file: &str,
    seen: &mut Vec<String>,
    out: &mut Vec<Recipe>,
    depth: usize,
) {
    if depth > MAX_DEPTH || seen.iter().any(|s| s == target) {
        return;
    }
    seen.push(target.to_string());
    let Some((_, prereqs, recipe)) = rules.iter().find(|r| r.0 == target) else {
        return;
    };
    for p in prereqs {
        make_recipes(rules, p, file, seen, out, depth + 1);
    }
    for (line, text) in recipe {
        out.push(Recipe {
            site: format!("{file}:{line}"),
            line: text.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn follows_make_targets_and_prerequisites_without_running_make() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Makefile"),
            "VERSION := $(shell git describe)\n.PHONY: build css\n\nbuild: css\n\t@go build -o ./tmp/main .\n\ncss:\n\ttailwindcss -i in.css -o static/app.css\n# done\nother:\n\techo no\n",
        )
        .unwrap();
        let got = expand(&w("make build"), dir.path());
        assert_eq!(
            got,
            vec![
                Recipe {
                    site: "Makefile:8".into(),
                    line: "tailwindcss -i in.css -o static/app.css".into()
                },
                Recipe {
                    site: "Makefile:5".into(),
                    line: "go build -o ./tmp/main .".into()
                },
            ]
        );
        // No target: the first rule.
        assert_eq!(expand(&w("make"), dir.path()).len(), 2);
        assert!(expand(&w("make -C sub build"), dir.path()).is_empty());
    }

    #[test]
    fn follows_package_json_scripts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"scripts": {"build": "npm run css && esbuild app.js --outfile=static/app.js", "css": "tailwindcss -o static/out.css"}}"#,
        )
        .unwrap();
        let lines: Vec<String> = expand(&w("npm run build"), dir.path())
            .into_iter()
            .map(|r| r.line)
            .collect();
        assert_eq!(
            lines,
            vec![
                "npm run css && esbuild app.js --outfile=static/app.js",
                "tailwindcss -o static/out.css"
            ]
        );
        assert_eq!(expand(&w("yarn css"), dir.path()).len(), 1);
    }
}
