//! Small helpers for the one-line messages checks write, and [`visible`]: the one way text
//! from the repository, /proc or a child reaches a terminal.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt::Write;
use std::os::unix::ffi::OsStrExt;

/// `9800` -> `9,800`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 directory`, `2 directories`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A duration in the one style every output uses: `0.4 ms`, `85 ms`, `1.2 s`.
pub fn duration(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 999.5 {
        format!("{ms:.0} ms")
    } else {
        let s = format!("{:.1}", ms / 1000.0);
        // Whole seconds read as set (`kill_delay is 5 s`), not `5.0 s`.
        format!("{} s", s.strip_suffix(".0").unwrap_or(&s))
    }
}

/// [`duration`] of a `Duration`.
pub fn span(d: std::time::Duration) -> String {
    duration(d.as_secs_f64() * 1000.0)
}

/// `s` as a terminal must show it: every character that a terminal would act on instead of
/// drawing is written out, so a file name or config value such as `srv\e]0;TITLE\a` cannot
/// set the window title, clear the screen or fake a report line. Like `ls -b` and git's
/// quoting: `\a \b \t \n \v \f \r \e` by name, other C0 controls and DEL as `\xNN`, C1
/// controls and the bidi overrides and isolates (U+202A-202E, U+2066-2069, which make text
/// read in an order it is not in) as `\uNNNN`. A backslash stays as it is: a literal `\e` in a
/// name looks like an escape but does nothing, and Windows-style paths in configs stay legible.
///
/// The doctor's own strings hold no such character, so whole messages go through this before
/// they are styled; JSON and SARIF keep their own escaping instead.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_visible(&mut out, s);
    Cow::Owned(out)
}

/// [`visible`] of a name that may not be UTF-8 (a path, an argument): each byte that is not
/// part of a valid UTF-8 character as `\xNN` (`\x80` and up, so never a control's escape).
pub fn visible_os(s: &OsStr) -> Cow<'_, str> {
    if let Some(s) = s.to_str() {
        return visible(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for chunk in s.as_bytes().utf8_chunks() {
        push_visible(&mut out, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    Cow::Owned(out)
}

/// Whether a terminal would act on `c` rather than draw it (or draw text around it out of order).
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_visible(out: &mut String, s: &str) {
    for c in s.chars() {
        let _ = match c {
            '\x07' => out.write_str("\\a"),
            '\x08' => out.write_str("\\b"),
            '\t' => out.write_str("\\t"),
            '\n' => out.write_str("\\n"),
            '\x0b' => out.write_str("\\v"),
            '\x0c' => out.write_str("\\f"),
            '\r' => out.write_str("\\r"),
            '\x1b' => out.write_str("\\e"),
            c if c < ' ' || c == '\x7f' => write!(out, "\\x{:02x}", c as u32),
            c if hidden(c) => write!(out, "\\u{:04x}", c as u32),
            c => out.write_char(c),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(524288), "524,288");
        assert_eq!(plural(1, "dir", "dirs"), "1 dir");
        assert_eq!(duration(0.42), "0.4 ms");
        assert_eq!(duration(85.2), "85 ms");
        assert_eq!(duration(1234.0), "1.2 s");
        assert_eq!(duration(999.7), "1 s");
        assert_eq!(duration(5000.0), "5 s");
        assert_eq!(duration(120_000.0), "120 s");
        assert_eq!(span(std::time::Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn controls_are_shown_escaped() {
        // Every C0 control, DEL, every C1 control: none reaches the output as itself.
        let named = [(7, "\\a"), (8, "\\b"), (9, "\\t"), (10, "\\n"), (11, "\\v")];
        let named = [&named[..], &[(12, "\\f"), (13, "\\r"), (27, "\\e")]].concat();
        for c in (0u32..0x20).chain([0x7f]).chain(0x80..0xa0) {
            let ch = char::from_u32(c).unwrap();
            let shown = visible(&format!("a{ch}b")).into_owned();
            let want = match named.iter().find(|(n, _)| *n == c) {
                Some((_, name)) => name.to_string(),
                None if c < 0x80 => format!("\\x{c:02x}"),
                None => format!("\\u{c:04x}"),
            };
            assert_eq!(shown, format!("a{want}b"), "U+{c:04X}");
            assert!(!shown.chars().any(char::is_control), "U+{c:04X}: {shown:?}");
        }
        assert_eq!(visible("\x00"), "\\x00");
        assert_eq!(visible("\x7f"), "\\x7f");
        assert_eq!(visible("\u{9b}"), "\\u009b");
        assert_eq!(
            visible("srv\x1b]0;TITLE\x07\x1b[2Jx"),
            "srv\\e]0;TITLE\\a\\e[2Jx"
        );
    }

    #[test]
    fn bidi_overrides_are_shown_escaped() {
        for c in (0x202a..=0x202e).chain(0x2066..=0x2069) {
            let ch = char::from_u32(c).unwrap();
            assert_eq!(visible(&format!("{ch}x")), format!("\\u{c:04x}x"));
        }
        // Marks that only hint a direction are drawn as they are.
        assert_eq!(visible("a\u{200f}b"), "a\u{200f}b");
    }

    #[test]
    fn printable_text_is_unchanged_and_not_copied() {
        for s in [
            "",
            "main.go:12: ok",
            r"tmp\main.exe and a literal \e",
            "größe · 日本語 ✔ ✘ emoji 🦀",
            "quotes \" ' ` and %25",
        ] {
            assert!(matches!(visible(s), Cow::Borrowed(b) if b == s), "{s:?}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_shown_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"bad\xffx\x1b\xc3\xa9\xc3");
        assert_eq!(visible_os(name), "bad\\xffx\\e\u{e9}\\xc3");
        assert_eq!(visible_os(OsStr::new("plain")), "plain");
    }
}
