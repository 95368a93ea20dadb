//! Code generators run by pre_cmd (or cmd) that write .go files air watches: each build's
//! output is a change, which starts the next build.

use super::air_semantics::{air_reacts, air_watches, rel_to_root, watch_root};
use super::AirFile;
use crate::golang::build_plan as build_cmd;
use crate::model::Finding;
use crate::reloaders::air::edit::{Edit, Exclusion};
use crate::reloaders::air::keys as air_keys;
use crate::reloaders::watch_tree::Rules;
use serde_json::json;
use std::io::Read;
use std::path::PathBuf;

/// How many watched .go files are opened to find `go generate` output (first 2 KiB each).
const GENERATED_SCAN_LIMIT: usize = 2_000;

enum Generator {
    /// `templ generate`: `x_templ.go` beside each `x.templ`.
    Templ,
    /// `swag init`: `docs.go` in its output folder (root-relative, clean).
    Swag(String),
    /// `go generate`: whatever the `//go:generate` tools write, found by Go's
    /// "Code generated ... DO NOT EDIT." header.
    GoGenerate,
}

pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    let c = &f.ctx.project.air;
    if air_keys::get(&f.doc, "build.exclude_unchanged").and_then(|i| i.as_bool()) == Some(true) {
        return; // air drops events whose file content did not change
    }
    let pre_cmd: Vec<String> = air_keys::get(&f.doc, "build.pre_cmd")
        .and_then(|i| i.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let commands = pre_cmd
        .iter()
        .map(|cmd| ("build.pre_cmd", cmd.as_str()))
        .chain([("build.cmd", c.build.cmd.as_str())]);
    let rules = Rules::air(c);
    for (key, cmd) in commands {
        let Some(gen) = generator(cmd) else { continue };
        let written: Vec<String> = gen
            .outputs(f, &rules)
            .iter()
            .filter(|p| air_reacts(f, p))
            .filter_map(|p| rel_to_root(f, p))
            .collect();
        let Some(first) = written.first() else {
            continue;
        };
        let more = match written.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let advice = gen.advice(&written);
        let mut finding = Finding::fail(format!(
            "{}: `{cmd}` rewrites {first}{more}, which air watches: each build triggers the next (a rebuild loop); {advice}",
            f.at(key)
        ))
        .with_evidence(f.evidence(
            key,
            json!({"problem": "generated-code-loop", "command": cmd, "generated": written, "exclude_regex_line": f.line("build.exclude_regex")}),
        ));
        if let Some(fix) = f.write_fix(format!("{advice} in {}", f.name), gen.edits(f, &written)) {
            finding = finding.with_fix(fix);
        }
        out.push(finding);
    }
}

fn generator(cmd: &str) -> Option<Generator> {
    for words in build_cmd::split_commands(cmd) {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        // `templ generate`, `go tool templ generate`, `go run .../cmd/templ@v0.3 generate`
        let is_templ = |w: &[&str]| {
            w[0].rsplit('/')
                .next()
                .is_some_and(|t| t.starts_with("templ"))
        };
        if words.windows(2).any(|w| is_templ(w) && w[1] == "generate") {
            return Some(Generator::Templ);
        }
        match words.as_slice() {
            ["go", "generate", ..] => return Some(Generator::GoGenerate),
            [tool, "init", rest @ ..] if tool.ends_with("swag") => {
                let mut dir = "docs".to_string();
                let mut it = rest.iter();
                while let Some(w) = it.next() {
                    if let Some(v) = w
                        .strip_prefix("--output=")
                        .or_else(|| w.strip_prefix("-o="))
                    {
                        dir = crate::reloaders::air::config::clean_rel(v);
                    } else if matches!(*w, "-o" | "--output") {
                        dir = it
                            .next()
                            .map_or(dir, |v| crate::reloaders::air::config::clean_rel(v));
                    }
                }
                return Some(Generator::Swag(dir));
            }
            _ => {}
        }
    }
    None
}

impl Generator {
    /// Files the generator writes: existing ones when there are, else where one would go.
    fn outputs(&self, f: &AirFile, rules: &Rules) -> Vec<PathBuf> {
        let root = watch_root(f);
        let watched_go_files = || {
            f.ctx
                .watch_tree()
                .dirs
                .iter()
                .filter(|d| air_watches(rules, &d.rel))
                .filter_map(|d| std::fs::read_dir(root.join(&d.rel)).ok())
                .flat_map(|entries| entries.flatten().map(|e| e.path()))
                .collect::<Vec<_>>()
        };
        match self {
            Generator::Swag(dir) => vec![root.join(dir).join("docs.go")],
            Generator::Templ => {
                let files = watched_go_files();
                let made = files
                    .iter()
                    .find(|p| p.to_string_lossy().ends_with("_templ.go"));
                let would = files.iter().find_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    let stem = name.strip_suffix(".templ")?;
                    Some(p.with_file_name(format!("{stem}_templ.go")))
                });
                made.cloned().or(would).into_iter().collect()
            }
            Generator::GoGenerate => watched_go_files()
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "go"))
                .take(GENERATED_SCAN_LIMIT)
                .filter(|p| has_generated_header(p))
                .collect(),
        }
    }

    fn advice(&self, written: &[String]) -> String {
        match self {
            Generator::Swag(dir) => format!("add \"{dir}\" to exclude_dir"),
            Generator::Templ | Generator::GoGenerate => Exclusion::for_written(written).advice,
        }
    }

    /// The config edits that exclude the generated files.
    fn edits(&self, f: &AirFile, written: &[String]) -> Vec<Edit> {
        let b = &f.ctx.project.air.build;
        match self {
            Generator::Swag(dir) => vec![Edit::AddToList {
                table: "build",
                key: "exclude_dir",
                entry: dir.clone(),
                defaults: b.exclude_dir.clone(),
            }],
            Generator::Templ | Generator::GoGenerate => {
                let ex = Exclusion::for_written(written);
                let defaults = match ex.key {
                    "exclude_regex" => &b.exclude_regex,
                    _ => &b.exclude_file,
                };
                ex.edits(defaults)
            }
        }
    }
}

/// Go's marker for generated files: a `// Code generated ... DO NOT EDIT.` line before the
/// package clause (https://go.dev/s/generatedcode).
fn has_generated_header(path: &std::path::Path) -> bool {
    let mut head = Vec::with_capacity(2048);
    let Ok(file) = crate::system::files::open(path) else {
        return false;
    };
    if file.take(2048).read_to_end(&mut head).is_err() {
        return false;
    }
    String::from_utf8_lossy(&head)
        .lines()
        .take_while(|l| !l.starts_with("package "))
        .any(|l| l.starts_with("// Code generated ") && l.trim_end().ends_with(" DO NOT EDIT."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_generators() {
        assert!(matches!(
            generator("templ generate"),
            Some(Generator::Templ)
        ));
        assert!(matches!(
            generator("go tool templ generate -path ."),
            Some(Generator::Templ)
        ));
        assert!(generator("echo templ").is_none());
        assert!(
            matches!(generator("swag init -g main.go -o api/docs"), Some(Generator::Swag(d)) if d == "api/docs")
        );
        assert!(matches!(generator("make && swag init"), Some(Generator::Swag(d)) if d == "docs"));
        assert!(matches!(
            generator("go generate ./..."),
            Some(Generator::GoGenerate)
        ));
        assert!(generator("go build -o ./tmp/main .").is_none());
    }

    #[test]
    fn generated_header_like_go() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let yes = write(
            "a.go",
            "// Code generated by stringer; DO NOT EDIT.\n\npackage a\n",
        );
        let late = write("b.go", "package b\n// Code generated by x; DO NOT EDIT.\n");
        let no = write("c.go", "// Code generated by hand, edit away.\npackage c\n");
        assert!(has_generated_header(&yes));
        assert!(!has_generated_header(&late));
        assert!(!has_generated_header(&no));
    }
}
