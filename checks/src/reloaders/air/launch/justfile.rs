//! justfile recipes (`*.just` modules too): a recipe header at the left margin, its body
//! indented; each body line runs in its own shell in the justfile's folder, or in the folder of
//! `set working-directory := 'x'` / a `[working-directory: 'x']` attribute. `{{...}}`
//! interpolations stay as written.

use super::{Line, Place};
use std::path::Path;

pub(super) fn lines(dir: &Path, text: &str) -> Vec<Line> {
    let unquote = |v: &str| v.trim().trim_matches(['\'', '"']).to_string();
    let mut base = dir.to_path_buf();
    let mut attr_dir: Option<String> = None;
    let mut recipe: Option<(String, std::path::PathBuf)> = None;
    let mut out = vec![];
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let Some((name, here)) = &recipe else {
                continue;
            };
            let body = t.trim_start_matches(['@', '-']);
            if super::may_start_air(body) {
                out.push(Line {
                    line: i + 1,
                    target: Some(name.clone()),
                    text: body.to_string(),
                    place: Place::Host(here.clone()),
                });
            }
            continue;
        }
        if let Some(v) = t
            .strip_prefix("set working-directory")
            .and_then(|r| r.trim_start().strip_prefix(":="))
        {
            base = dir.join(unquote(v));
            continue;
        }
        if let Some(v) = t.strip_prefix("[working-directory").and_then(|r| {
            r.trim_start()
                .strip_prefix(':')
                .or(r.trim_start().strip_prefix('('))
        }) {
            attr_dir = Some(unquote(v.trim_end_matches([']', ')'])));
            continue;
        }
        if t.starts_with('[') {
            continue;
        }
        // `name arg="x": deps` (not `x := y`, not `set ...`, not `alias a := b`).
        recipe = match t.split_once(':') {
            Some((head, tail)) if !tail.starts_with('=') && !head.starts_with("set ") => {
                let name = head
                    .trim_start_matches('@')
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                let here = match attr_dir.take() {
                    Some(d) => base.join(d),
                    None => base.clone(),
                };
                Some((name, here))
            }
            _ => None,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes of benc-uk/nanomon and openstatusHQ/openstatus.
    #[test]
    fn recipe_bodies_with_their_folders() {
        let text = "set dotenv-load\nversion := \"1\"\n\n# run the runner\nrunner:\n  go tool -modfile=.dev/tools.mod air -c ./services/runner/.air.toml\n\n[working-directory: 'apps/probe']\n@probe port=\"8080\": build\n    air -c  .probe.air.toml\n";
        let got: Vec<(usize, Option<String>, String, std::path::PathBuf)> =
            lines(Path::new("/r"), text)
                .into_iter()
                .map(|l| match l.place {
                    Place::Host(d) => (l.line, l.target, l.text, d),
                    Place::Container(_) => unreachable!(),
                })
                .collect();
        assert_eq!(
            got,
            vec![
                (
                    6,
                    Some("runner".into()),
                    "go tool -modfile=.dev/tools.mod air -c ./services/runner/.air.toml".into(),
                    "/r".into()
                ),
                (
                    10,
                    Some("probe".into()),
                    "air -c  .probe.air.toml".into(),
                    "/r/apps/probe".into()
                ),
            ]
        );
    }
}
