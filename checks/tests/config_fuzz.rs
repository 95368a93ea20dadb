//! Property tests: no config text makes the config readers or the reloader-config check panic,
//! and every finding that names a line names one inside the file.

use checks::reloaders::air::{config as air, keys as air_keys};
use checks::reloaders::fresh as fresh_conf;
use checks::{Context, Options, Project, System};
use proptest::prelude::*;
use std::path::Path;

const VALID: &str = include_str!("../../fixtures/air-zero-values/.air.toml");

/// Lines a finding may point at: 1 ..= (newlines + 1).
fn max_line(text: &str) -> u64 {
    text.matches('\n').count() as u64 + 1
}

/// Run the real check on a one-file project holding `config` as `.air.toml`.
fn check_config(config: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/fuzz\n\ngo 1.25\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(".air.toml"), config).unwrap();
    let project = Project::detect(dir.path(), None).unwrap();
    let ctx = Context::new(project, System::live(), Options::default());
    let check = checks::find("reloader-config").unwrap();
    match (check.run)(&ctx) {
        checks::Outcome::Ran { findings, .. } => serde_json::to_value(findings).unwrap(),
        other => panic!("reloader-config did not run: {other:?}"),
    }
}

fn assert_lines_inside(findings: &serde_json::Value, text: &[u8]) {
    let max = max_line(&String::from_utf8_lossy(text));
    for f in findings.as_array().unwrap() {
        if let Some(line) = f["evidence"]["line"].as_u64() {
            assert!((1..=max).contains(&line), "line {line} of {max}: {f}");
        }
        assert!(!f["message"].as_str().unwrap().is_empty());
    }
}

/// Mutations of a valid config: replace, insert or delete a short run at some position.
fn mutated() -> impl Strategy<Value = String> {
    let edits = prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            0..3u8,
            "[\\[\\]=\"'#.a-z0-9 \n{},_-]{0,4}",
        ),
        1..4,
    );
    edits.prop_map(|edits| {
        let mut text: Vec<char> = VALID.chars().collect();
        for (at, kind, piece) in edits {
            let i = at.index(text.len() + 1);
            let piece: Vec<char> = piece.chars().collect();
            match kind {
                0 => {
                    let end = (i + piece.len()).min(text.len());
                    text.splice(i..end, piece);
                }
                1 => {
                    text.splice(i..i, piece);
                }
                _ => {
                    let end = (i + 3).min(text.len());
                    text.drain(i..end);
                }
            }
        }
        text.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics_and_errors_point_inside(text in "(\\PC|\n){0,200}") {
        if let Err((Some(span), _)) = air::parse(&text) {
            let (line, _) = checks::text::line_col(&text, span.start);
            prop_assert!(line as u64 <= max_line(&text));
        }
        if let Ok(doc) = toml_edit::ImDocument::parse(text.clone()) {
            for issue in air_keys::lint(&doc) {
                prop_assert!((1..=max_line(&text)).contains(&(issue.line as u64)));
            }
        }
        let conf = fresh_conf::parse(&text);
        for issue in conf.issues {
            prop_assert!((1..=max_line(&text)).contains(&(issue.line as u64)), "{issue:?}");
        }
    }

    #[test]
    fn mutated_configs_never_panic_the_check(text in mutated()) {
        let findings = check_config(text.as_bytes());
        assert_lines_inside(&findings, text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_check(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
        let findings = check_config(&bytes);
        assert_lines_inside(&findings, &bytes);
    }
}

#[test]
fn the_valid_seed_is_valid() {
    assert!(air::parse(VALID).is_ok());
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .is_dir());
}
