//! Procfile (`Procfile`, `Procfile.dev`): `name: command`, run in the Procfile's folder
//! (foreman, overmind, hivemind, heroku local).

use super::{Line, Place};
use std::path::Path;

pub(super) fn lines(dir: &Path, text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let (name, command) = l.split_once(':')?;
            let name = name.trim();
            if name.is_empty()
                || name.starts_with('#')
                || name.contains(' ')
                || !command.contains("air")
            {
                return None;
            }
            Some(Line {
                line: i + 1,
                target: Some(name.to_string()),
                text: command.trim().to_string(),
                place: Place::Host(dir.to_path_buf()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes of annict/annict and carryall/go-google-scraper-challenge.
    #[test]
    fn processes() {
        let got: Vec<(usize, String, String)> = lines(Path::new("/r"), "web: bin/rails s\ngo-server: cd go && air\n# x: air\nworker: air -c cmd/api/.air.toml\n")
            .into_iter()
            .map(|l| (l.line, l.target.unwrap(), l.text))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "go-server".into(), "cd go && air".into()),
                (4, "worker".into(), "air -c cmd/api/.air.toml".into())
            ]
        );
    }
}
