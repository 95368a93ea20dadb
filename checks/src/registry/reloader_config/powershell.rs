//! A config run only on Windows, judged under air's Windows shell: air v1.62.0 and later run
//! `pre_cmd`, `cmd` and `post_cmd` there with `powershell -NoProfile -NonInteractive
//! -Command CMD` (v1.67.4 `runner/util_windows.go:52`), and `powershell` is Windows
//! PowerShell 5.1. Its parser rejects the whole command before running any of it when it
//! holds `&&` or `||` (pipeline chains came in PowerShell 7) or a bare `&` between commands
//! (`&` is only the call operator, at a command's start): `swag init & go build` and
//! `swag init && go build` fail at every build. `;` runs commands one after another.
//! Before v1.62.0 air ran them with `cmd /c`, where all three chain commands.

use super::commands::str_list;
use super::config_file::AirFile;
use super::problems::Problem;
use crate::model::Finding;
use crate::reloaders::air::keys;
use crate::reloaders::air::versions::{self, Holds};
use serde_json::json;

/// Windows PowerShell 5.1's parser message for `&&` and `||` (ParserStrings.InvalidEndOfLine,
/// FullyQualifiedErrorId InvalidEndOfLine).
const INVALID_END_OF_LINE: &str =
    "The token '{}' is not a valid statement separator in this version.";

/// Windows PowerShell 5.1's parser message for a `&` that is not a command's call operator
/// (ParserStrings.AmpersandNotAllowed).
const AMPERSAND_NOT_ALLOWED: &str = "The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks (\"&\") to pass it as part of a string.";

/// The first token Windows PowerShell 5.1 rejects in `line` and its parser's message: `&&`,
/// `||`, or a `&` neither at a command's start (the call operator, `& "C:\x.exe"`) nor in a
/// merging redirection (`2>&1`); quotes (`'&'`, `"&"`) and a backtick escape (`` `& ``)
/// keep it literal, and `#` at a word's start comments out the rest of the line.
pub(super) fn rejected_51(line: &str) -> Option<(&'static str, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    // Only blanks since the statement, pipeline element or block began.
    let mut command_start = true;
    let mut word_start = true;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '`' => {
                i += 2;
                command_start = false;
                word_start = false;
                continue;
            }
            '\'' => {
                i += 1;
                while i < chars.len() {
                    if chars[i] == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
                command_start = false;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '`' {
                        i += 1;
                    }
                    i += 1;
                }
                command_start = false;
            }
            '#' if word_start => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '&' if next == Some('&') => {
                return Some(("&&", INVALID_END_OF_LINE.replace("{}", "&&")));
            }
            '|' if next == Some('|') => {
                return Some(("||", INVALID_END_OF_LINE.replace("{}", "||")));
            }
            '&' if i > 0 && chars[i - 1] == '>' => {}
            '&' if command_start => {
                command_start = false;
            }
            '&' => return Some(("&", AMPERSAND_NOT_ALLOWED.to_string())),
            ';' | '|' | '\n' | '{' | '(' => command_start = true,
            c if c.is_whitespace() => {}
            _ => command_start = false,
        }
        word_start = c.is_whitespace() || matches!(c, ';' | '|' | '{' | '(');
        i += 1;
    }
    None
}

/// `line` with its rejected separators made PowerShell 5.1's: `a & b` and `a || b` become
/// `a; b`, `a && b` becomes `a; if ($?) { b }` (b only when a succeeded), `a || b`
/// becomes `a; if (-not $?) { b }`, when only one
/// kind of separator is written between plain commands.
fn rewritten(line: &str, token: &str) -> Option<String> {
    let parts: Vec<&str> = line.split(token).map(str::trim).collect();
    if parts.len() < 2
        || parts
            .iter()
            .any(|p| p.is_empty() || rejected_51(p).is_some())
        || line.contains(['\'', '"', '`'])
    {
        return None;
    }
    Some(match token {
        "&&" => {
            let (first, rest) = parts.split_first()?;
            let mut out = first.to_string();
            for p in rest {
                out.push_str(&format!("; if ($?) {{ {p} }}"));
            }
            out
        }
        "||" => {
            let (first, rest) = parts.split_first()?;
            let mut out = first.to_string();
            for p in rest {
                out.push_str(&format!("; if (-not $?) {{ {p} }}"));
            }
            out
        }
        _ => parts.join("; "),
    })
}

/// Whether the launch's air (None: the current one) runs build commands with PowerShell on
/// Windows: all, none or some of its releases.
fn powershell_holds(f: &AirFile) -> Holds {
    f.release
        .as_ref()
        .map_or(Holds::Yes, |a| a.holds(versions::POWERSHELL_ON_WINDOWS))
}

/// The build commands air runs through its shell, with their keys: `pre_cmd` entries, `cmd`,
/// `post_cmd` entries.
fn build_lines(f: &AirFile) -> Vec<(&'static str, String)> {
    let c = &f.ctx.project.air.build;
    c.pre_cmd
        .iter()
        .map(|l| (keys::BUILD_PRE_CMD.path, l.clone()))
        .chain([(keys::BUILD_CMD.path, c.cmd.clone())])
        .chain(
            str_list(f, keys::BUILD_POST_CMD.path)
                .into_iter()
                .map(|l| (keys::BUILD_POST_CMD.path, l)),
        )
        .collect()
}

/// The first `pre_cmd`/`cmd` line (its key and token) that the launch's air, if it may use
/// PowerShell, cannot run on Windows.
pub(super) fn rejected_on_windows(f: &AirFile) -> Option<(&'static str, &'static str)> {
    if powershell_holds(f) == Holds::No {
        return None;
    }
    build_lines(f)
        .into_iter()
        .filter(|(k, _)| *k != keys::BUILD_POST_CMD.path)
        .find_map(|(k, l)| rejected_51(&l).map(|(t, _)| (k, t)))
}

/// A warn for each build command of a config written for Windows that Windows PowerShell 5.1
/// rejects, when the launch's air (or the current one) runs them with PowerShell.
pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    let Some(why) = super::windows_config::written_for_windows(f) else {
        return;
    };
    let holds = powershell_holds(f);
    if holds == Holds::No {
        return;
    }
    for (key, line) in build_lines(f) {
        let Some((token, message)) = rejected_51(&line) else {
            continue;
        };
        let effect = match key {
            k if k == keys::BUILD_CMD.path => "every build fails and air never starts the app",
            k if k == keys::BUILD_PRE_CMD.path => "this pre_cmd fails at every build",
            _ => "this post_cmd fails when air stops",
        };
        let which = match (holds, &f.release) {
            (Holds::Maybe, Some(a)) => format!(
                "{} runs build commands with PowerShell on Windows ({a} may be older: before v1.62.0 it used `cmd /c`, where `{token}` chains commands)",
                versions::POWERSHELL_ON_WINDOWS
            ),
            (_, Some(a)) => format!(
                "{a} runs build commands with PowerShell on Windows (as air does since v1.62.0)"
            ),
            (_, None) => {
                "air runs build commands with PowerShell on Windows (since v1.62.0)".to_string()
            }
        };
        let fix = match rewritten(&line, token) {
            Some(r) => format!("write `{r}`"),
            None => {
                "separate the commands with `;` (`a; if ($?) { b }` to run b only when a succeeded)"
                    .to_string()
            }
        };
        let sh = match token {
            "&" => "sh's `&` (run in the background) is not what happens there, and `&&` is rejected too; ",
            _ => "",
        };
        out.push(
            Finding::warn(format!(
                "{}: this config is written for Windows ({why}), and {which}: `powershell -NoProfile -NonInteractive -Command {line}` (air v1.67.4 runner/util_windows.go:52) is Windows PowerShell 5.1, which rejects the whole command before running any of it (\"{message}\"), so {effect}; {sh}{fix}",
                f.at(key),
            ))
            .with_evidence(f.evidence(
                key,
                json!({"problem": Problem::PowershellRejects, "command": line, "token": token, "powershell_error": message, "air_source": "runner/util_windows.go:52", "since": "v1.62.0"}),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windows PowerShell 5.1's own parser errors, as it printed them (`cd my-react-app &&
    /// npm install`: "At line:1 char:17 ... The token '&&' is not a valid statement
    /// separator in this version. ... FullyQualifiedErrorId : InvalidEndOfLine";
    /// `Stop-Process -Name notepad & whoami 2>&1 | Out-File ...`: char 28, the `&` after
    /// notepad, "The ampersand (&) character is not allowed. The & operator is reserved for
    /// future use; wrap an ampersand in double quotation marks ("&") to pass it as part of a
    /// string."), and its grammar: `;` separates statements, `&` calls a command at its
    /// start, `2>&1` merges streams, quotes and backticks keep `&` literal.
    #[test]
    fn separators_match_recorded_powershell_51_errors() {
        let recorded_and = "The token '&&' is not a valid statement separator in this version.";
        let recorded_amp = "The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks (\"&\") to pass it as part of a string.";
        assert_eq!(
            rejected_51("cd my-react-app && npm install"),
            Some(("&&", recorded_and.to_string()))
        );
        assert_eq!(
            rejected_51("Stop-Process -Name notepad & whoami 2>&1 | Out-File -Append -FilePath x"),
            Some(("&", recorded_amp.to_string()))
        );
        assert_eq!(
            rejected_51("swag init & go build -o ./tmp/main.exe ."),
            Some(("&", recorded_amp.to_string()))
        );
        assert_eq!(
            rejected_51("go build -o tmp\\main.exe . || exit 1").map(|r| r.0),
            Some("||")
        );
        for accepted in [
            "go build -o ./tmp/main.exe .",
            "swag init; go build -o ./tmp/main.exe .",
            "& \"C:\\Program Files\\Go\\bin\\go.exe\" build -o tmp\\main.exe .",
            "go build -o tmp\\main.exe . 2>&1",
            "go build -ldflags \"-X a=b&c\" .",
            "echo 'a & b'; go build .",
            "echo a`&b",
            "go build . # then run && test",
            "templ generate; if ($?) { & go build -o tmp\\main.exe . }",
            "go vet ./... | Out-Null; go build .",
        ] {
            assert_eq!(rejected_51(accepted), None, "{accepted}");
        }
    }

    #[test]
    fn rewrites_to_powershell_51_separators() {
        assert_eq!(
            rewritten("swag init & go build -o ./tmp/main.exe .", "&").as_deref(),
            Some("swag init; go build -o ./tmp/main.exe .")
        );
        assert_eq!(
            rewritten("swag init && go build -o ./tmp/main.exe .", "&&").as_deref(),
            Some("swag init; if ($?) { go build -o ./tmp/main.exe . }")
        );
        assert_eq!(rewritten("a && b & c", "&&"), None);
        for r in [
            rewritten("swag init & go build .", "&").unwrap(),
            rewritten("swag init && go build .", "&&").unwrap(),
        ] {
            assert_eq!(rejected_51(&r), None, "{r}");
        }
    }
}
