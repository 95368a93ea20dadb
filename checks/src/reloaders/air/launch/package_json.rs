//! package.json `scripts`: each runs in the package.json's folder (npm, pnpm, yarn and bun
//! all start scripts there).

use super::{Line, Place};
use std::path::Path;

pub(super) fn lines(dir: &Path, text: &str) -> Vec<Line> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return vec![];
    };
    let Some(scripts) = json.get("scripts").and_then(|s| s.as_object()) else {
        return vec![];
    };
    let scripts_at = text.find("\"scripts\"").unwrap_or(0);
    scripts
        .iter()
        .filter_map(|(name, line)| {
            let line = line.as_str()?;
            if !line.contains("air") {
                return None;
            }
            Some(Line {
                line: line_of(
                    text,
                    scripts_at,
                    &format!("{}:", serde_json::to_string(name).ok()?),
                ),
                target: Some(name.clone()),
                text: line.to_string(),
                place: Place::Host(dir.to_path_buf()),
            })
        })
        .collect()
}

/// 1-based line of the first `key` (spaces before the colon allowed) after byte `from`.
pub(super) fn line_of(text: &str, from: usize, key: &str) -> usize {
    let quoted = key.trim_end_matches(':');
    let rest = text.get(from..).unwrap_or("");
    let at = rest
        .match_indices(quoted)
        .find(|(i, _)| rest[i + quoted.len()..].trim_start().starts_with(':'))
        .map_or(0, |(i, _)| i);
    text[..from + at].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes of CypheraCorp/cyphera-monorepo and ElectroniGo/smartik.
    #[test]
    fn scripts_with_their_lines() {
        let text = "{\n  \"name\": \"air\",\n  \"scripts\": {\n    \"build\": \"tsc\",\n    \"dev:api\" : \"cd apps/api && air -c .air.toml\",\n    \"go\": \"$(go env GOPATH)/bin/air -c ./.air.toml\"\n  }\n}\n";
        let got: Vec<(usize, String)> = lines(Path::new("/r"), text)
            .into_iter()
            .map(|l| (l.line, l.target.unwrap()))
            .collect();
        assert_eq!(got, vec![(5, "dev:api".to_string()), (6, "go".to_string())]);
        assert!(lines(Path::new("/r"), "{not json").is_empty());
    }
}
