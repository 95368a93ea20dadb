//! Shell scripts (`*.sh`, `*.bash`): read whole, so a `cd` on one line moves the air started
//! on a later one. `$(dirname "$0")` (and its usual spellings) is the script's own folder,
//! and a variable given a literal value on a line of its own (`SERVER_DIR="/app/server"`,
//! `ROOT="$(dirname "$0")/.."`) is that value on the lines after it (`cd "$SERVER_DIR"`).
//! A script a container runs (a compose `command:`, a Dockerfile `ENTRYPOINT`) starts in the
//! container's folder; any other starts where its caller is, which the script does not say:
//! the repository root (`./scripts/dev.sh`), or the script's folder when only from there the
//! config air is told to read exists.

use super::{AirNames, Container, Line, Place};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

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

/// Literal variables a script's lines are expanded with, at most.
const MAX_VARIABLES: usize = 64;

/// `container`: the container the script runs in and the script's path there.
pub(super) fn lines(
    repo: &Path,
    path: &Path,
    text: &str,
    container: Option<(Container, String)>,
) -> Vec<Line> {
    with_guess(repo, path, text, container).0
}

/// [`lines`], and for a host script whose folder was guessed (its own, because only there
/// the config it reads exists, and nothing says it is run from there) the condition that
/// holds: "if scripts/dev.sh is run in scripts/"; and whether the script writes the config
/// its air reads (`cat > .air.toml <<EOF` when it is missing): then what air reads is the
/// script's, not a committed file's.
pub(super) fn with_guess(
    repo: &Path,
    path: &Path,
    text: &str,
    container: Option<(Container, String)>,
) -> (Vec<Line>, Option<String>, bool) {
    if !super::may_start_air(text) {
        return (vec![], None, false);
    }
    let own = match &container {
        Some((_, at)) => at.rsplit_once('/').map_or("/", |(d, _)| d).to_string(),
        None => path.parent().unwrap_or(repo).display().to_string(),
    };
    // `$( dirname "$0" )` is `$(dirname "$0")` (blanks inside one line only: line numbers stay).
    static PADDED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\$\([ \t]+|[ \t]+\)").expect("valid"));
    let mut text = PADDED
        .replace_all(text, |c: &regex::Captures| c[0].trim().to_string())
        .into_owned();
    for spelling in OWN_DIR {
        text = text.replace(spelling, &own);
    }
    let text = literal_variables(&text);
    let (place, guess, writes) = match container {
        Some((c, _)) => (Place::Container(c), None, false),
        None => {
            let (dir, guessed, writes) = caller_dir(repo, path, &text);
            let guess = guessed.then(|| {
                let rel = |p: &Path| p.strip_prefix(repo).unwrap_or(p).display().to_string();
                format!("if {} is run in {}/", rel(path), rel(&dir))
            });
            (Place::Host(dir), guess, writes)
        }
    };
    let line = Line {
        line: 1,
        target: None,
        text,
        place,
    };
    (vec![line], guess, writes)
}

/// `text` with `$NAME` and `${NAME}` replaced on the lines after a `NAME=value` (or `export
/// NAME=value`) line whose value is literal, once known variables in it are replaced. A
/// later assignment of another kind (`NAME=$(pwd)`) forgets the value.
fn literal_variables(text: &str) -> String {
    let mut known: Vec<(String, String)> = vec![];
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let line = crate::shell::substitute(line, &known);
        let body = line.trim();
        let body = body.strip_prefix("export ").unwrap_or(body).trim_start();
        if let Some((name, value)) = body.split_once('=') {
            if crate::shell::is_assignment(&format!("{name}=")) && !name.is_empty() {
                known.retain(|(n, _)| n != name);
                // Bounded: each line is searched for every known name.
                let room = known.len() < MAX_VARIABLES;
                if let Some(v) = literal(value).or_else(|| folder_of(value)).filter(|_| room) {
                    known.push((name.to_string(), v));
                }
            }
        }
        out.push_str(&line);
    }
    out
}

/// A value as the shell assigns it when it is one literal word (`"/app/x"`, `'a b'`, `/x`).
fn literal(value: &str) -> Option<String> {
    let v = value.trim();
    let unquoted = match v.chars().next() {
        Some(q @ ('"' | '\'')) => v.strip_prefix(q)?.strip_suffix(q)?,
        _ if v.contains(char::is_whitespace) => return None,
        _ => v,
    };
    (!unquoted.contains(['$', '`', '"', '\'', '\\', ';', '&', '|', '(', ')']))
        .then(|| unquoted.to_string())
}

/// `"$(cd "/r/scripts/.." && pwd)"`: the folder, when it is literal.
fn folder_of(value: &str) -> Option<String> {
    static CD_PWD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^"?\$\(cd\s+"?([^"$`;&|()]+?)"?\s*&&\s*pwd\)"?$"#).expect("valid")
    });
    Some(CD_PWD.captures(value.trim())?[1].to_string())
}

/// The folder a host script is most likely run from (see the module doc), and whether that is
/// a guess: the script's own folder because only there the config it reads exists. Not when
/// the script writes that config itself (`cat > .air.toml <<EOF`: the copy beside it says
/// nothing of where it runs), nor when a file at the repository root calls it by its path
/// from there (README's `./scripts/dev.sh`): then the root.
fn caller_dir(repo: &Path, path: &Path, text: &str) -> (PathBuf, bool, bool) {
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
        return (repo.to_path_buf(), false, false);
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
    let names: Vec<&str> = match &config {
        Some(c) => vec![c.as_str()],
        None => vec![".air.toml", ".config/air.toml"],
    };
    let writes = names.iter().any(|n| writes_file(&script, n));
    let rel = path.strip_prefix(repo).unwrap_or(path).to_string_lossy();
    if !found(repo) && found(&own) && !writes && !called_from_root(repo, &rel) {
        (own, true, writes)
    } else {
        (repo.to_path_buf(), false, writes)
    }
}

/// Whether a command of the script writes the file `name` in its folder: a redirection into
/// it (`cat > .air.toml << EOF`, `echo ... >> .air.toml`), `tee`, `cp`/`mv` onto it.
fn writes_file(script: &crate::shell::Script, name: &str) -> bool {
    let same = |w: &str| {
        let w = w.trim_matches(['"', '\'']);
        w.strip_prefix("./").unwrap_or(w) == name
    };
    let mut found = false;
    script.walk(true, &mut |s, _| {
        let words = &s.words;
        found |= s
            .redirects
            .iter()
            .any(|r| matches!(r.op.as_str(), ">" | ">>" | ">|" | "1>" | "&>") && same(&r.target));
        let program = crate::shell::program(words);
        if matches!(program, "tee" | "cp" | "mv") {
            let args: Vec<&String> = words
                .iter()
                .skip(1)
                .filter(|w| !w.starts_with('-'))
                .collect();
            let target = match program {
                "tee" => args.first().copied(),
                _ => args.last().copied().filter(|_| args.len() >= 2),
            };
            found |= target.is_some_and(|t| same(t));
        }
    });
    found
}

/// Whether a README, Makefile or other launch file at the repository root runs the script
/// by its path from there (`./scripts/dev.sh`, `bash scripts/dev.sh`, `sh ./scripts/dev.sh`).
fn called_from_root(repo: &Path, rel: &str) -> bool {
    if !rel.contains('/') {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(repo) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_ascii_lowercase();
        let small = e
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() <= super::MAX_BYTES);
        let readme = name.starts_with("readme") || name.starts_with("contributing");
        if !small || !(readme || super::kind_of(&path).is_some()) {
            return false;
        }
        let Ok(text) = crate::system::files::read_to_string(&path) else {
            return false;
        };
        text.match_indices(rel).any(|(at, _)| {
            let before = &text[..at];
            let before = before.strip_suffix("./").unwrap_or(before);
            let after = text[at + rel.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "\"'`(".contains(c));
            edge(before.chars().next_back())
                && after.is_none_or(|c| !(c.is_alphanumeric() || "-_./".contains(c)))
        })
    })
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

    /// AC-CodeProd/portfolio's start-dev.sh (`SERVER_DIR="/portfolio/server"`, then
    /// `cd "$SERVER_DIR"` and air in a subshell), and a folder built from the script's own.
    #[test]
    fn literal_variables_are_expanded_after_their_assignment() {
        let text = "#!/bin/sh\ncd \"$SERVER_DIR\"\nSERVER_DIR=\"/portfolio/server\"\nexport UI_DIR=/portfolio/ui\nAPI=\"$(dirname \"$0\")/../api\"\ncd \"$SERVER_DIR\" || { log \"Failed to enter $SERVER_DIR\"; exit 1; }\n(\n  cd \"${SERVER_DIR}\"\n  air -c .air.toml 2>&1 | awk '{ print }'\n) &\ncd $UI_DIR && echo $UI_DIRS\ncd \"$API\" && air\nSERVER_DIR=$(pwd)\ncd \"$SERVER_DIR\"\n";
        let got = literal_variables(text);
        let want = "#!/bin/sh\ncd \"$SERVER_DIR\"\nSERVER_DIR=\"/portfolio/server\"\nexport UI_DIR=/portfolio/ui\nAPI=\"$(dirname \"$0\")/../api\"\ncd \"/portfolio/server\" || { log \"Failed to enter /portfolio/server\"; exit 1; }\n(\n  cd \"/portfolio/server\"\n  air -c .air.toml 2>&1 | awk '{ print }'\n) &\ncd /portfolio/ui && echo $UI_DIRS\ncd \"$API\" && air\nSERVER_DIR=$(pwd)\ncd \"$SERVER_DIR\"\n";
        assert_eq!(got, want);
        // With the script's own folder in, the value is literal too.
        let l = &lines(
            Path::new("/r"),
            Path::new("/r/scripts/dev.sh"),
            "API=\"$(dirname \"$0\")/../api\"\ncd \"$API\" && air\n",
            None,
        )[0];
        assert!(
            l.text.contains("cd \"/r/scripts/../api\" && air"),
            "{}",
            l.text
        );
        // Tencent/WeKnora's scripts/dev.sh: the root from the script's folder, spaced.
        let l = &lines(
            Path::new("/r"),
            Path::new("/r/scripts/dev.sh"),
            "SCRIPT_DIR=\"$( cd \"$( dirname \"${BASH_SOURCE[0]}\" )\" && pwd )\"\nPROJECT_ROOT=\"$( cd \"$SCRIPT_DIR/..\" && pwd )\"\nstart() {\n    cd \"$PROJECT_ROOT\"\n    air\n}\n",
            None,
        )[0];
        assert!(
            l.text.contains("cd \"/r/scripts/..\"\n    air"),
            "{}",
            l.text
        );
    }

    /// A script that writes the config air reads itself, by the ways scripts do it.
    #[test]
    fn a_script_writing_its_config() {
        for (text, writes) in [
            ("cat > .air.toml << EOF\nroot = \".\"\nEOF\nair\n", true),
            ("echo 'root = \".\"' >> ./.air.toml\nair\n", true),
            ("cp scripts/air.example.toml .air.toml && air\n", true),
            ("printf x | tee .air.toml >/dev/null\nair\n", true),
            (
                "cat .air.toml > /tmp/x\ncp .air.toml backup.toml\nair\n",
                false,
            ),
        ] {
            let script = crate::shell::parse(text);
            assert_eq!(writes_file(&script, ".air.toml"), writes, "{text}");
        }
    }
}
