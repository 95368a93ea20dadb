//! The `go build` inside a reloader's build command (`build.cmd` is a `/bin/sh -c` string):
//! where it writes the binary and which packages it builds.

/// One `go build` invocation found in a shell command.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GoBuild {
    /// The `-o` argument as written.
    pub output: Option<String>,
    /// Package patterns or .go files (`.` when none are given).
    pub packages: Vec<String>,
    /// `-C dir` moves the build elsewhere: paths are then relative to that folder.
    pub chdir: Option<String>,
}

/// `go build` flags that take a value as the next word.
const VALUE_FLAGS: [&str; 20] = [
    "o",
    "C",
    "p",
    "tags",
    "ldflags",
    "gcflags",
    "asmflags",
    "gccgoflags",
    "mod",
    "modfile",
    "pkgdir",
    "buildmode",
    "compiler",
    "installsuffix",
    "overlay",
    "pgo",
    "toolexec",
    "covermode",
    "coverpkg",
    "exec",
];

/// The first `go build` in `cmd`, looking through `&&`, `;`, `||` and `|` chains and
/// `VAR=value` prefixes. None when the command builds some other way (`make`, a script).
pub fn parse(cmd: &str) -> Option<GoBuild> {
    for segment in segments(cmd) {
        let words: Vec<&str> = segment
            .iter()
            .map(String::as_str)
            .skip_while(|w| is_assignment(w))
            .collect();
        if words.len() < 2
            || !(words[0] == "go" || words[0].ends_with("/go"))
            || words[1] != "build"
        {
            continue;
        }
        let mut build = GoBuild::default();
        let mut rest = words[2..].iter();
        while let Some(w) = rest.next() {
            let Some(flag) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) else {
                build.packages.push(w.to_string());
                continue;
            };
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            let value = if VALUE_FLAGS.contains(&name) {
                inline.or_else(|| rest.next().map(|v| v.to_string()))
            } else {
                None
            };
            match name {
                "o" => build.output = value,
                "C" => build.chdir = value,
                _ => {}
            }
        }
        if build.packages.is_empty() {
            build.packages.push(".".into());
        }
        return Some(build);
    }
    None
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Split a shell command into simple commands of words, honouring quotes and backslashes.
pub fn segments(cmd: &str) -> Vec<Vec<String>> {
    let mut out = vec![vec![]];
    let mut word: Option<String> = None;
    let mut chars = cmd.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    w.push(c);
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        c => w.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            ';' | '&' | '|' | '\n' => {
                out.last_mut().expect("never empty").extend(word.take());
                if !out.last().expect("never empty").is_empty() {
                    out.push(vec![]);
                }
            }
            c if c.is_whitespace() => out.last_mut().expect("never empty").extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.last_mut().expect("never empty").extend(word.take());
    out.retain(|s| !s.is_empty());
    out
}

/// The program a `full_bin` string runs: its first word after `VAR=value` assignments.
pub fn program(command_line: &str) -> Option<String> {
    segments(command_line)
        .into_iter()
        .next()?
        .into_iter()
        .find(|w| !is_assignment(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(cmd: &str) -> Option<String> {
        parse(cmd).and_then(|b| b.output)
    }

    #[test]
    fn finds_output_and_packages() {
        assert_eq!(out("go build -o ./tmp/main ."), Some("./tmp/main".into()));
        assert_eq!(out("go build -o=bin/app ./cmd/api"), Some("bin/app".into()));
        assert_eq!(
            out("templ generate && CGO_ENABLED=0 go build -ldflags '-s -w' -o \"./build/my app\" ./cmd/x"),
            Some("./build/my app".into())
        );
        let b = parse("go build -tags dev -race -o ./tmp/main ./cmd/api main.go").unwrap();
        assert_eq!(b.packages, vec!["./cmd/api", "main.go"]);
        assert_eq!(parse("go build").unwrap().packages, vec!["."]);
        assert_eq!(
            parse("go build -C sub -o x").unwrap().chdir.as_deref(),
            Some("sub")
        );
        assert_eq!(parse("make build"), None);
        assert_eq!(parse("go run ."), None);
        assert_eq!(out("go build ."), None);
    }

    #[test]
    fn full_bin_program() {
        assert_eq!(
            program("APP_ENV=dev ./tmp/main -v"),
            Some("./tmp/main".into())
        );
        assert_eq!(program("dlv exec ./tmp/main"), Some("dlv".into()));
        assert_eq!(program(""), None);
    }
}
