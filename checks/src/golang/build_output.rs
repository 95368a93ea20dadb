//! Reading what `go build` printed when it failed: compiler errors with their positions, and
//! the module problems (go.sum, go.mod, downloads, toolchain) that each have one `go` command
//! as their fix.

/// One problem `go build` reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `./main.go:12:2: "strings" imported and not used`; `at` is `./main.go:12:2`.
    Compiler { at: String, message: String },
    /// `missing go.sum entry for module providing package P`.
    MissingSum { package: String, at: Option<String> },
    /// `missing go.sum entry for go.mod file` of `module`.
    MissingModSum { module: String },
    /// `go: updates to go.mod needed`.
    GoModUpdates,
    /// `no required module provides package P`.
    NoModule { package: String, at: Option<String> },
    /// A module could not be fetched (network, proxy, unknown version).
    Download { module: String, message: String },
    /// `go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)`.
    Toolchain { message: String },
    /// Anything else, verbatim (cgo's "C compiler not found", linker errors...).
    Other(String),
}

/// The problems in `go build`'s output, in the order printed, without duplicates.
pub fn parse(output: &str) -> Vec<Problem> {
    let mut problems: Vec<Problem> = vec![];
    // "module lookup disabled by GOPROXY=off" does not say which module; the progress line
    // before it does.
    let mut downloading = None;
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("go: downloading ") {
            downloading = Some(first_word(rest));
            continue;
        }
        // Package headers and the hint lines under a message ("\tgo get ...").
        if line.trim().is_empty()
            || line.starts_with("# ")
            || line.starts_with(char::is_whitespace)
            || line.ends_with("too many errors")
        {
            continue;
        }
        let p = classify(line, downloading.as_deref());
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    problems
}

fn classify(line: &str, downloading: Option<&str>) -> Problem {
    let (at, message) = split_position(line);
    let message = message.trim_end();
    if let Some(rest) = after(
        message,
        "missing go.sum entry for module providing package ",
    ) {
        return Problem::MissingSum {
            package: first_word(rest),
            at,
        };
    }
    if message.contains("missing go.sum entry for go.mod file") {
        return Problem::MissingModSum {
            module: module_at_version(message).unwrap_or_default(),
        };
    }
    if message.starts_with("go: updates to go.mod needed") {
        return Problem::GoModUpdates;
    }
    if let Some(rest) = after(message, "no required module provides package ") {
        return Problem::NoModule {
            package: first_word(rest).trim_end_matches(';').to_string(),
            at,
        };
    }
    if message.starts_with("go: go.mod requires go")
        || message.contains("toolchain not available")
        || message.starts_with("go: downloading go1")
    {
        return Problem::Toolchain {
            message: message.trim_start_matches("go: ").to_string(),
        };
    }
    if let Some(module) = module_at_version(message).or_else(|| {
        message
            .contains("module lookup disabled")
            .then(|| downloading.unwrap_or("a module").to_string())
    }) {
        return Problem::Download {
            module,
            message: message.trim_start_matches("go: ").to_string(),
        };
    }
    match at {
        Some(at) => Problem::Compiler {
            at,
            message: message.to_string(),
        },
        None => Problem::Other(line.trim().to_string()),
    }
}

/// `./main.go:12:2: msg` -> (Some("./main.go:12:2"), "msg"); the column is optional.
fn split_position(line: &str) -> (Option<String>, &str) {
    let Some(go) = line.find(".go:") else {
        return (None, line);
    };
    let after_file = &line[go + 4..];
    let mut end = go + 3;
    let mut numbers = 0;
    for part in after_file.split(':').take(2) {
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        numbers += 1;
        end += 1 + part.len();
    }
    if numbers == 0 || !line[end..].starts_with(": ") {
        return (None, line);
    }
    (Some(line[..end].to_string()), &line[end + 2..])
}

fn after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    text.find(marker).map(|i| &text[i + marker.len()..])
}

fn first_word(text: &str) -> String {
    text.split_whitespace().next().unwrap_or("").to_string()
}

/// The `example.com/mod` of the first `example.com/mod@v1.2.3:` in a `go:` message.
fn module_at_version(message: &str) -> Option<String> {
    message
        .trim_start_matches("go: ")
        .split_whitespace()
        .find(|w| w.ends_with(':') && w.contains('@') && w.contains('.'))
        .and_then(|w| w.split('@').next())
        .filter(|m| !m.is_empty())
        .map(str::to_string)
}

/// The `require`d module that provides `package` (the longest module path that prefixes it).
pub fn module_for_package(go_mod: &str, package: &str) -> Option<String> {
    requires(go_mod)
        .into_iter()
        .filter(|m| package == m || package.starts_with(&format!("{m}/")))
        .max_by_key(String::len)
}

/// Module paths in go.mod's `require` lines and blocks.
fn requires(go_mod: &str) -> Vec<String> {
    let mut out = vec![];
    let mut in_block = false;
    for line in go_mod.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        match (in_block, words.next()) {
            (true, Some(")")) => in_block = false,
            (true, Some(m)) => out.push(m.to_string()),
            (false, Some("require")) => match words.next() {
                Some("(") => in_block = true,
                Some(m) => out.push(m.to_string()),
                None => {}
            },
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiler_errors_keep_file_line_col() {
        let out = "# example.com/fixtures/compile-error\n./main.go:12:2: \"strings\" imported and not used\n./main.go:20:14: cannot use \"x\" (untyped string constant) as int value in variable declaration\n";
        assert_eq!(
            parse(out),
            vec![
                Problem::Compiler {
                    at: "./main.go:12:2".into(),
                    message: "\"strings\" imported and not used".into()
                },
                Problem::Compiler {
                    at: "./main.go:20:14".into(),
                    message: "cannot use \"x\" (untyped string constant) as int value in variable declaration".into()
                },
            ]
        );
        assert_eq!(
            parse("x/y.go:3: syntax error\n./a.go:1:1: too many errors\n"),
            vec![Problem::Compiler {
                at: "x/y.go:3".into(),
                message: "syntax error".into()
            }]
        );
    }

    #[test]
    fn missing_go_sum_names_the_package() {
        let out = "main.go:8:2: missing go.sum entry for module providing package github.com/gin-gonic/gin (imported by example.com/fixtures/missing-gosum); to add:\n\tgo get example.com/fixtures/missing-gosum\n";
        assert_eq!(
            parse(out),
            vec![Problem::MissingSum {
                package: "github.com/gin-gonic/gin".into(),
                at: Some("main.go:8:2".into())
            }]
        );
        let out = "go: github.com/a/b@v1.2.0: missing go.sum entry for go.mod file; to add it:\n\tgo mod download github.com/a/b\n";
        assert_eq!(
            parse(out),
            vec![Problem::MissingModSum {
                module: "github.com/a/b".into()
            }]
        );
    }

    #[test]
    fn module_and_toolchain_problems() {
        assert_eq!(
            parse("go: updates to go.mod needed; to update it:\n\tgo mod tidy\n"),
            vec![Problem::GoModUpdates]
        );
        assert_eq!(
            parse("main.go:5:2: no required module provides package github.com/x/y; to add it:\n\tgo get github.com/x/y\n"),
            vec![Problem::NoModule { package: "github.com/x/y".into(), at: Some("main.go:5:2".into()) }]
        );
        let out = "go: downloading github.com/x/y v1.0.0\nmain.go:5:2: github.com/x/y@v1.0.0: Get \"https://proxy.golang.org/github.com/x/y/@v/v1.0.0.zip\": dial tcp: lookup proxy.golang.org: no such host\n";
        match &parse(out)[..] {
            [Problem::Download { module, message }] => {
                assert_eq!(module, "github.com/x/y");
                assert!(message.contains("no such host"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse("go: downloading github.com/gin-gonic/gin v1.12.0\nmain.go:15:2: module lookup disabled by GOPROXY=off\n"),
            vec![Problem::Download {
                module: "github.com/gin-gonic/gin".into(),
                message: "module lookup disabled by GOPROXY=off".into()
            }]
        );
        assert_eq!(
            parse("go: go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)\n"),
            vec![Problem::Toolchain {
                message: "go.mod requires go >= 1.99 (running go 1.26.8; GOTOOLCHAIN=local)".into()
            }]
        );
        assert_eq!(
            parse("# runtime/cgo\ncgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in $PATH\n"),
            vec![Problem::Other("cgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in $PATH".into())]
        );
    }

    #[test]
    fn module_for_package_uses_the_longest_require() {
        let go_mod = "module x\n\nrequire github.com/a/b v1.0.0\nrequire (\n\tgithub.com/a/b/v2 v2.0.0 // indirect\n\tgolang.org/x/sys v0.1.0\n)\n";
        assert_eq!(
            module_for_package(go_mod, "github.com/a/b/v2/pkg").as_deref(),
            Some("github.com/a/b/v2")
        );
        assert_eq!(
            module_for_package(go_mod, "github.com/a/b").as_deref(),
            Some("github.com/a/b")
        );
        assert_eq!(module_for_package(go_mod, "github.com/a/bc"), None);
    }
}
