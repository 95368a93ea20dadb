//! The values of `go build -gcflags` and `-ldflags`: what the compiler and the linker are
//! given, screened to an allowlist.
//!
//! go hands these words to `compile` and `link` untouched, after its own flags, so a word
//! there overrides them: `-o` (the linker writes the binary anywhere), `-cpuprofile`,
//! `-memprofile`, `-bench` (truncate or append to any file), `-linkmode external`, `-extld`
//! (run a program), `-importcfg`, `-json` (read or write files), a plain word (read as a file
//! to compile). The value is read exactly as go reads it (cmd/go's per-package flag:
//! surrounding space trimmed, an optional `pattern=` prefix when it does not start with `-`,
//! then cmd/internal/quoted's split; each word then as Go's flag package reads it), and only
//! flags that change the code produced pass.

/// The tool a per-package flag value is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `-gcflags`: the compiler.
    Compile,
    /// `-ldflags`: the linker.
    Link,
}

/// A `-gcflags`/`-ldflags` value after the allowlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screened {
    /// The value to pass, with its `pattern=`; None when nothing of it is left.
    pub kept: Option<String>,
    /// What was left out, as go's split reads it (`-o=/x`, `-linkmode external`), or the
    /// whole value when go would refuse it.
    pub dropped: Vec<String>,
}

/// How an allowed flag is written.
enum Takes {
    /// A bool or count switch: `-N`, `-N=false`, `-m=2`.
    Nothing,
    /// A value, inline (`-X=a.b=c`) or the next word (`-X a.b=c`), that must pass the test.
    Value(fn(&str) -> bool),
}

/// Switches and values that only change the code produced (optimisation, inlining, debug
/// data, bounds checks) or the errors and decisions printed (`-e`, `-C`, `-m`), never a file
/// or a program.
fn allowed(tool: Tool, name: &str) -> Option<Takes> {
    let switch = match tool {
        // Not the compiler's debug dumps (-S, -W, -live, ...): megabytes of output per package.
        Tool::Compile => [
            "B",
            "C",
            "N",
            "e",
            "l",
            "m",
            "race",
            "smallframes",
            "dwarf",
            "dwarflocationlists",
        ]
        .contains(&name),
        Tool::Link => ["s", "w", "e", "checklinkname", "compressdwarf"].contains(&name),
    };
    if switch {
        return Some(Takes::Nothing);
    }
    match (tool, name) {
        (Tool::Compile, "c") => Some(Takes::Value(|v| v.parse::<u32>().is_ok())),
        (Tool::Compile, "spectre") => Some(Takes::Value(|v| {
            v.split(',').all(|m| matches!(m, "all" | "index" | "ret"))
        })),
        // Of the debug settings only those that change the code: most others print, and
        // some (`ssa/PHASE/dump`, `dumpinlfuncprops`) write files.
        (Tool::Compile, "d") => Some(Takes::Value(|v| {
            v.split(',').all(|s| {
                let (key, n) = s.split_once('=').unwrap_or((s, "1"));
                matches!(key, "checkptr" | "loopvar") && n.parse::<u32>().is_ok()
            })
        })),
        // `-X importpath.name=value` sets a string in the binary; `-buildid` and `-B` record
        // an id in it.
        (Tool::Link, "X" | "buildid" | "B") => Some(Takes::Value(|_| true)),
        _ => None,
    }
}

/// A switch's `=value`: a count or what Go's strconv.ParseBool takes.
fn switch_value(v: &str) -> bool {
    v.parse::<u32>().is_ok()
        || matches!(
            v,
            "t" | "T" | "true" | "TRUE" | "True" | "f" | "F" | "false" | "FALSE" | "False"
        )
}

/// Screen the value of `-gcflags` ([`Tool::Compile`]) or `-ldflags` ([`Tool::Link`]).
pub fn screen(tool: Tool, value: &str) -> Screened {
    let refused = || Screened {
        kept: None,
        dropped: vec![value.to_string()],
    };
    // cmd/go trims Unicode space (Go's unicode.IsSpace is Rust's White_Space set).
    let v = value.trim();
    if v.is_empty() {
        // `-gcflags=` clears earlier flags for the named packages: nothing is passed.
        return Screened {
            kept: Some(value.to_string()),
            dropped: vec![],
        };
    }
    let (pattern, flags) = if v.starts_with('-') {
        (None, v)
    } else {
        match v.split_once('=') {
            Some((p, rest)) if !p.is_empty() && !p.starts_with(['\'', '"']) => {
                (Some(p.trim()), rest)
            }
            _ => return refused(),
        }
    };
    let Ok(words) = split(flags) else {
        return refused();
    };
    let mut kept: Vec<String> = vec![];
    let mut dropped: Vec<String> = vec![];
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        let Some((name, inline)) = flag_name(word) else {
            dropped.push(word.clone());
            continue;
        };
        let ok = match allowed(tool, name) {
            Some(Takes::Nothing) => inline.is_none_or(switch_value),
            Some(Takes::Value(valid)) => match inline {
                // Written apart when the word needs quotes: a quoted first word would make go
                // read the value as `pattern=...` and refuse it.
                Some(v) if valid(v) && quote(word).as_deref() != Some(word.as_str()) => {
                    if quote(v).is_some() {
                        let flag = &word[..word.len() - v.len() - 1];
                        kept.extend([flag.to_string(), v.to_string()]);
                    } else {
                        dropped.push(word.clone());
                    }
                    continue;
                }
                Some(v) => valid(v),
                None => match words.get(i) {
                    Some(next) => {
                        i += 1;
                        if valid(next) && quote(next).is_some() {
                            kept.extend([word.clone(), next.clone()]);
                        } else {
                            dropped.push(format!("{word} {next}"));
                        }
                        continue;
                    }
                    None => false,
                },
            },
            None => {
                // An unknown flag: go stops there; its value, if written apart, goes too.
                if inline.is_none() && words.get(i).is_some_and(|n| flag_name(n).is_none()) {
                    dropped.push(format!("{word} {}", words[i]));
                    i += 1;
                    continue;
                }
                false
            }
        };
        if ok {
            kept.push(word.clone());
        } else {
            dropped.push(word.clone());
        }
    }
    if dropped.is_empty() {
        return Screened {
            kept: Some(value.to_string()),
            dropped,
        };
    }
    let kept = (!kept.is_empty()).then(|| {
        let joined: Vec<String> = kept.iter().filter_map(|w| quote(w)).collect();
        match pattern {
            Some(p) => format!("{p}={}", joined.join(" ")),
            None => joined.join(" "),
        }
    });
    Screened { kept, dropped }
}

/// A word as Go's flag package reads it: `-name`, `--name`, `-name=value`; None for a word
/// that is not a flag (`x`, `-`), ends the flags (`--`) or is refused (`---x`, `-=x`).
fn flag_name(word: &str) -> Option<(&str, Option<&str>)> {
    let rest = word.strip_prefix('-')?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    if rest.is_empty() || rest.starts_with(['-', '=']) {
        return None;
    }
    Some(match rest.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (rest, None),
    })
}

/// The space bytes of cmd/internal/quoted.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// cmd/internal/quoted.Split: fields separated by space, tab, CR or LF; a field that starts
/// with `'` or `"` runs to the same quote, with no escapes inside.
pub fn split(s: &str) -> Result<Vec<String>, String> {
    let mut fields = vec![];
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(is_space);
        let Some(first) = rest.chars().next() else {
            return Ok(fields);
        };
        if first == '"' || first == '\'' {
            let body = &rest[1..];
            let Some(end) = body.find(first) else {
                return Err(format!("unterminated {first} string"));
            };
            fields.push(body[..end].to_string());
            rest = &body[end + 1..];
        } else {
            let end = rest.find(is_space).unwrap_or(rest.len());
            fields.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
}

/// One word written so that go reads it back: [`split`], and the trim of the whole value
/// before it (a last word of only a vertical tab would vanish). None when it needs quotes
/// and holds both kinds (go's own quoted.Join refuses those too); such a value is dropped.
fn quote(word: &str) -> Option<String> {
    let bare = !word.is_empty()
        && !word.contains(is_space)
        && !word.starts_with(['\'', '"'])
        && word.trim() == word;
    if bare {
        Some(word.to_string())
    } else if !word.contains('\'') {
        Some(format!("'{word}'"))
    } else if !word.contains('"') {
        Some(format!("\"{word}\""))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(tool: Tool, v: &str) -> Option<String> {
        screen(tool, v).kept
    }

    #[test]
    fn splits_as_go_does() {
        assert_eq!(
            split(" -s\t-w\n-X 'a.b=c d' \"e'f\"").unwrap(),
            ["-s", "-w", "-X", "a.b=c d", "e'f"]
        );
        // Quotes inside a field do not count; no escapes.
        assert_eq!(split("-X=a.b='x y'").unwrap(), ["-X=a.b='x", "y'"]);
        assert_eq!(split(r#""a\" b"#).unwrap(), [r"a\", "b"]);
        assert!(split("-X 'a.b=c").is_err());
        // A vertical tab is not a separator for quoted.Split.
        assert_eq!(split("-s\u{b}-o=/x").unwrap(), ["-s\u{b}-o=/x"]);
    }

    #[test]
    fn keeps_what_only_changes_the_code() {
        for v in [
            "-s -w",
            "-X main.version=1.2 -X=main.commit=abc",
            "-X 'main.built=2024 01 01' -s",
            "-w=false -s=1 --s",
            "-buildid= -checklinkname=0",
        ] {
            assert_eq!(kept(Tool::Link, v).as_deref(), Some(v), "{v}");
        }
        for v in [
            "all=-N -l",
            "-N -l",
            "-m=2",
            "./...=-B",
            "all=-d=checkptr",
            "-d checkptr=1,loopvar=2 -c 4",
        ] {
            assert_eq!(kept(Tool::Compile, v).as_deref(), Some(v), "{v}");
        }
    }

    #[test]
    fn drops_what_writes_files_or_runs_programs() {
        let cases = [
            (Tool::Link, "-o=/some/path", None, vec!["-o=/some/path"]),
            (
                Tool::Link,
                "-memprofile=FILE",
                None,
                vec!["-memprofile=FILE"],
            ),
            (
                Tool::Link,
                "-linkmode\texternal",
                None,
                vec!["-linkmode external"],
            ),
            (Tool::Link, "-s -o /x -w", Some("-s -w"), vec!["-o /x"]),
            (
                Tool::Link,
                "-s -extldflags '-fuse-ld=./x -B./y'",
                Some("-s"),
                vec!["-extldflags", "-fuse-ld=./x -B./y"],
            ),
            (
                Tool::Link,
                "-s -extld=./x.sh",
                Some("-s"),
                vec!["-extld=./x.sh"],
            ),
            (Tool::Link, "-X", None, vec!["-X"]),
            (Tool::Link, "-s -- -o=/x", Some("-s"), vec!["--", "-o=/x"]),
            (Tool::Link, "-s=/x", None, vec!["-s=/x"]),
            (
                Tool::Link,
                "-tmpdir=/x -importcfg=/y",
                None,
                vec!["-tmpdir=/x", "-importcfg=/y"],
            ),
            (
                Tool::Compile,
                "all=-cpuprofile=FILE",
                None,
                vec!["-cpuprofile=FILE"],
            ),
            (Tool::Compile, "-bench=FILE", None, vec!["-bench=FILE"]),
            (
                Tool::Compile,
                "all=-N main.go",
                Some("all=-N"),
                vec!["main.go"],
            ),
            (
                Tool::Compile,
                "-json=0,file:///x",
                None,
                vec!["-json=0,file:///x"],
            ),
            (
                Tool::Compile,
                "-d=ssa/check/dump=f",
                None,
                vec!["-d=ssa/check/dump=f"],
            ),
            (
                Tool::Compile,
                "-d dumpinlfuncprops=/x",
                None,
                vec!["-d dumpinlfuncprops=/x"],
            ),
            (
                Tool::Compile,
                "-l ---o=x -=y",
                Some("-l"),
                vec!["---o=x", "-=y"],
            ),
            (
                Tool::Compile,
                "-N -S -live",
                Some("-N"),
                vec!["-S", "-live"],
            ),
            // Not a separator for go: one flag named `N\u{b}-o`, unknown.
            (Tool::Compile, "-N\u{b}-o=/x", None, vec!["-N\u{b}-o=/x"]),
        ];
        for (tool, v, want, gone) in cases {
            let s = screen(tool, v);
            assert_eq!(s.kept.as_deref(), want, "{v}");
            assert_eq!(s.dropped, gone, "{v}");
        }
    }

    #[test]
    fn a_value_go_refuses_is_dropped_whole() {
        for v in ["all", "=-N", "'all'=-N", "-X 'a.b=c"] {
            let s = screen(Tool::Link, v);
            assert_eq!((s.kept, s.dropped), (None, vec![v.to_string()]), "{v}");
        }
        assert_eq!(kept(Tool::Compile, "").as_deref(), Some(""));
    }

    #[test]
    fn what_is_kept_reads_back_to_the_same_words() {
        let s = screen(
            Tool::Link,
            "all= -X 'a.b=c d' -o /x -X \"e.f=g'h\" -X=i.j=k'l\"m -X '\"n' -X ''",
        );
        assert_eq!(s.dropped, ["-o /x"]);
        let kept = s.kept.unwrap();
        assert_eq!(
            kept,
            "all=-X 'a.b=c d' -X e.f=g'h -X=i.j=k'l\"m -X '\"n' -X ''"
        );
        assert!(screen(Tool::Link, &kept).dropped.is_empty());
        assert_eq!(
            split(&kept["all=".len()..]).unwrap(),
            [
                "-X",
                "a.b=c d",
                "-X",
                "e.f=g'h",
                "-X=i.j=k'l\"m",
                "-X",
                "\"n",
                "-X",
                ""
            ]
        );
        // A first word that needs quotes is written apart from its flag.
        let s = screen(Tool::Link, "-o '-X=a.b=c d'");
        assert_eq!(s.kept.as_deref(), Some("-X 'a.b=c d'"));
        // A value that needs quotes and holds both kinds cannot be written back: dropped.
        let s = screen(Tool::Link, "-s -X \u{b}a'b\"c -o");
        assert_eq!(s.kept.as_deref(), Some("-s"));
        assert_eq!(s.dropped, ["-X \u{b}a'b\"c", "-o"]);
        // A value of only a vertical tab, last, is quoted: go's trim would take it.
        let s = screen(Tool::Link, "-X '\u{b}' -o");
        assert_eq!(s.kept.as_deref(), Some("-X '\u{b}'"));
    }
}
