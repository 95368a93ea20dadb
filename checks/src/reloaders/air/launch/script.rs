//! Shell scripts (`*.sh`, `*.bash`): read whole, so a `cd` on one line moves the air started
//! on a later one. `$(dirname "$0")` (and its usual spellings) is the script's own folder.
//! A script a container runs (a compose `command:`, a Dockerfile `ENTRYPOINT`) starts in the
//! container's folder; any other starts where its caller is, which the script does not say:
//! the repository root (`./scripts/dev.sh`), or the script's folder when only from there the
//! config air is told to read exists.

use super::{AirNames, Container, Line, Place};
use std::path::{Path, PathBuf};

/// How scripts name their own folder.
const OWN_DIR: &[&str] = &[
    "$(cd \"$(dirname \"$0\")\" && pwd)",
    "$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)",
    "$(dirname \"${BASH_SOURCE[0]}\")",
    "$(dirname ${BASH_SOURCE[0]})",
    "$(dirname \"$0\")",
    "$(dirname $0)",
    "${0%/*}",
];

/// `container`: the container the script runs in and the script's path there.
pub(super) fn lines(
    repo: &Path,
    path: &Path,
    text: &str,
    container: Option<(Container, String)>,
) -> Vec<Line> {
    if !super::may_start_air(text) {
        return vec![];
    }
    let own = match &container {
        Some((_, at)) => at.rsplit_once('/').map_or("/", |(d, _)| d).to_string(),
        None => path.parent().unwrap_or(repo).display().to_string(),
    };
    let mut text = text.to_string();
    for spelling in OWN_DIR {
        text = text.replace(spelling, &own);
    }
    let place = match container {
        Some((c, _)) => Place::Container(c),
        None => Place::Host(caller_dir(repo, path, &text)),
    };
    vec![Line {
        line: 1,
        target: None,
        text,
        place,
    }]
}

/// The folder a host script is most likely run from (see the module doc).
fn caller_dir(repo: &Path, path: &Path, text: &str) -> PathBuf {
    let own = path.parent().unwrap_or(repo).to_path_buf();
    // The first air call, with each folder it may run in (after an `if` that may `cd`).
    let mut first: Option<(Vec<PathBuf>, Option<String>)> = None;
    let script = crate::shell::parse(text);
    let names = AirNames::of(&script);
    script.walk(true, &mut |s, scope| {
        if first.is_none() && scope.dir_known {
            if let Some(args) = names.air_call(&s.words) {
                let dirs = scope.each_dir().into_iter().map(|d| d.dir).collect();
                first = Some((dirs, args.config));
            }
        }
    });
    let Some((dirs, config)) = first else {
        return repo.to_path_buf();
    };
    let found = |from: &Path| {
        dirs.iter().any(|dir| {
            let cwd = from.join(dir);
            match &config {
                Some(c) => cwd.join(c).is_file(),
                None => cwd.join(".air.toml").is_file() || cwd.join(".config/air.toml").is_file(),
            }
        })
    };
    if !found(repo) && found(&own) {
        own
    } else {
        repo.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes of yourselfhosted/slash (`cd "$(dirname "$0")/../"`) and api/dev.sh beside
    /// its config.
    #[test]
    fn own_folder_and_caller() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("scripts")).unwrap();
        std::fs::create_dir_all(repo.join("api")).unwrap();
        std::fs::write(repo.join("api/.air.toml"), "").unwrap();
        let l = &lines(
            repo,
            &repo.join("scripts/start.sh"),
            "#!/bin/sh\ncd \"$(dirname \"$0\")/../\"\nair -c ./scripts/.air.toml\n",
            None,
        )[0];
        assert!(
            l.text
                .contains(&format!("cd \"{}/../\"", repo.join("scripts").display())),
            "{}",
            l.text
        );
        let l = &lines(repo, &repo.join("api/dev.sh"), "air\n", None)[0];
        assert!(matches!(&l.place, Place::Host(p) if p == &repo.join("api")));
        let l = &lines(
            repo,
            &repo.join("scripts/watch.sh"),
            "air -c ./configs/.air.toml\n",
            None,
        )[0];
        assert!(matches!(&l.place, Place::Host(p) if p == repo));
        assert!(lines(repo, &repo.join("x.sh"), "echo hi\n", None).is_empty());
    }
}
