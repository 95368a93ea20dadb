//! Which command starts air, and with which arguments: `air`, `$(GOBIN)/air`, `go run
//! github.com/air-verse/air@v1 -c X`, `go tool air`, behind `env`/`exec` or a wait-for
//! script, or through a shell variable that holds air.

use super::AirArgs;
use crate::shell;

/// Programs that wait for something, then run the command in their arguments.
const WAITERS: &[&str] = &[
    "dockerize",
    "unbuffer",
    "expect_unbuffer",
    "doppler",
    "dotenv",
    "infisical",
    "op",
    "tini",
    "dumb-init",
    "gosu",
    "su-exec",
];

/// air's arguments when `words` (one simple command) starts air; None otherwise (`air -v`,
/// `air init` and `command -v air` do not start it).
pub fn air_call(words: &[String]) -> Option<AirArgs> {
    let w = shell::program_words(words);
    let name = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    let is_air = |s: &str| matches!(name(s).as_str(), "air" | "air.exe");
    let first = name(w.first()?);
    let start = if is_air(&first) {
        1
    } else if first == "go" && w.get(1).is_some_and(|s| s == "run") {
        let at = w.iter().position(|s| {
            let pkg = s.split('@').next().unwrap_or(s);
            matches!(pkg, "github.com/air-verse/air" | "github.com/cosmtrek/air")
        })?;
        at + 1
    } else if first == "go" && w.get(1).is_some_and(|s| s == "tool") {
        let at = w[2..].iter().position(|s| !s.starts_with('-'))? + 2;
        (w[at] == "air").then_some(at + 1)?
    } else if WAITERS.contains(&first.as_str()) || first.contains("wait-for") {
        w.iter().skip(1).position(|s| is_air(s))? + 2
    } else {
        let dd = w.iter().position(|s| s == "--")?;
        w.get(dd + 1).filter(|s| is_air(s))?;
        dd + 2
    };
    air_args(&w[start..])
}

/// The shell variables of one script that hold air: `AIR_BIN="$(go env GOPATH)/bin/air"`,
/// `air_bin="${AIR_BIN:-/go/bin/air}"`, `AIR="$(command -v air)"`. A name counts only when
/// every value the script gives it names air (an empty one aside), so `"$AIR_BIN" -c x`
/// starts air; nothing is run or looked up to know it.
#[derive(Debug, Default)]
pub(crate) struct AirNames {
    names: Vec<String>,
}

impl AirNames {
    pub(crate) fn of(script: &shell::Script) -> AirNames {
        // name -> (some value names air, every value names air or is empty)
        let mut seen: Vec<(String, bool, bool)> = vec![];
        script.walk(false, &mut |s, scope| {
            if scope.substituted {
                return;
            }
            let words = match s.words.first().map(String::as_str) {
                Some("export" | "local" | "readonly" | "declare" | "typeset") => &s.words[1..],
                _ => &s.words[..],
            };
            // Only a command of assignments alone sets them in the script's own shell.
            if words.is_empty() || !words.iter().all(|w| shell::is_assignment(w)) {
                return;
            }
            for w in words {
                let Some((name, value)) = w.split_once('=') else {
                    continue;
                };
                let says = names_air(value);
                match seen.iter_mut().find(|(n, _, _)| n == name) {
                    Some((_, some, all)) => {
                        *some |= says == Some(true);
                        *all &= says != Some(false);
                    }
                    None => seen.push((name.to_string(), says == Some(true), says != Some(false))),
                }
            }
        });
        AirNames {
            names: seen
                .into_iter()
                .filter(|(_, some, all)| *some && *all)
                .map(|(n, _, _)| n)
                .collect(),
        }
    }

    /// [`air_call`], with a program word `$AIR_BIN`, `${AIR_BIN}` (a name of this script that
    /// holds air) or `${AIR:-air}` (a default that names air) read as air.
    pub(crate) fn air_call(&self, words: &[String]) -> Option<AirArgs> {
        let program = shell::program_words(words);
        let at = words.len() - program.len();
        let Some(first) = program.first().filter(|w| w.starts_with('$')) else {
            return air_call(words);
        };
        let holds_air = match variable(first) {
            Some((name, None)) => self.names.iter().any(|n| n == name),
            Some((_, Some(default))) => names_air(default) == Some(true),
            None => false,
        };
        if !holds_air {
            return air_call(words);
        }
        let mut named = words.to_vec();
        named[at] = "air".into();
        air_call(&named)
    }
}

/// `$NAME`, `${NAME}` -> (NAME, None); `${NAME:-DEFAULT}`, `${NAME-DEFAULT}` -> (NAME,
/// Some(DEFAULT)); None for any other word.
fn variable(word: &str) -> Option<(&str, Option<&str>)> {
    let is_name =
        |n: &str| !n.is_empty() && n.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    if let Some(inner) = word.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let end = inner
            .find(|c: char| c != '_' && !c.is_ascii_alphanumeric())
            .unwrap_or(inner.len());
        let (name, rest) = inner.split_at(end);
        let default = match rest {
            "" => None,
            r => Some(r.strip_prefix(":-").or_else(|| r.strip_prefix('-'))?),
        };
        return is_name(name).then_some((name, default));
    }
    let name = word.strip_prefix('$')?;
    is_name(name).then_some((name, None))
}

/// Whether a variable's value names air: Some(true) for `air`, `/go/bin/air`,
/// `$(go env GOPATH)/bin/air`, `$(command -v air)`, `${X:-air}`; None for an empty value
/// (`""`, `${AIR_BIN:-}`), which the script fills in later; Some(false) for anything else.
fn names_air(value: &str) -> Option<bool> {
    let value = value.trim_matches(['"', '\'']);
    if value.is_empty() {
        return None;
    }
    if let Some((_, default)) = variable(value) {
        return default.and_then(names_air);
    }
    if let Some(inner) = value.strip_prefix("$(").and_then(|r| r.strip_suffix(')')) {
        let words: Vec<&str> = inner.split_whitespace().collect();
        return Some(matches!(
            words.as_slice(),
            ["command", "-v", "air" | "air.exe", ..] | ["which", "air" | "air.exe", ..]
        ));
    }
    let last = value.rsplit('/').next().unwrap_or(value);
    Some(matches!(last, "air" | "air.exe"))
}

/// `-c FILE`, `-c=FILE`, `--build.cmd X` / `--build.bin=X`, up to `--` or the first word that
/// is no flag (Go's flag package stops there). None for `-v`, `-h` and the subcommands.
fn air_args(args: &[String]) -> Option<AirArgs> {
    let mut out = AirArgs::default();
    let mut it = args.iter();
    if args
        .first()
        .is_some_and(|a| matches!(a.as_str(), "init" | "version" | "help"))
    {
        return None;
    }
    while let Some(a) = it.next() {
        if a == "--" || !a.starts_with('-') {
            break;
        }
        let flag = a.trim_start_matches('-');
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        match name {
            "v" | "h" | "help" | "version" => return None,
            "d" => {}
            "c" => out.config = value.or_else(|| it.next().cloned()),
            key => {
                let value = value.or_else(|| it.next().cloned()).unwrap_or_default();
                out.overrides.push((key.to_string(), value));
            }
        }
    }
    Some(out)
}
