//! Text blocks fitted to the terminal: every paragraph wraps at the terminal's width with a
//! hanging indent. Piped output is not wrapped (a reader or a file has no width to fit).
//!
//! textwrap measures display width without ANSI escape codes, so coloured text wraps right.

use std::io::IsTerminal;

/// The width to wrap stdout at: the terminal's columns (else `COLUMNS`), none when stdout
/// is not a terminal.
pub fn width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    columns(libc::STDOUT_FILENO)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .filter(|w| *w > 0)
}

/// The columns of the terminal on `fd` (its rows may be unknown, as under `script`).
pub fn columns(fd: libc::c_int) -> Option<usize> {
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one winsize into the struct it is given.
    let ok = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col as usize)
}

/// `text` starting with `first` on its first line and `rest` on the others, within `width`.
pub fn hang(text: &str, first: &str, rest: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width else {
        return vec![format!("{first}{text}")];
    };
    // Too narrow for the indent: wrap at a readable minimum rather than a word a line.
    let width = width.max(textwrap::core::display_width(rest) + 20);
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

/// Every paragraph of `text` wrapped (lines starting with blanks keep their own indent).
pub fn block(text: &str, width: Option<usize>) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        let body = &line[indent.len()..];
        // A list item's continuation lines hang under its text.
        let rest = match body.find(|c: char| c != '-' && c != '*' && c != ' ') {
            Some(n) if body.starts_with(['-', '*']) => format!("{indent}{}", " ".repeat(n)),
            _ => indent.clone(),
        };
        if body.is_empty() {
            out.push('\n');
            continue;
        }
        for l in hang(body, &indent, &rest, width) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangs_and_ignores_escape_codes() {
        let lines = hang(
            "\x1b[31mone\x1b[0m two three four five six",
            "  x ",
            "    ",
            Some(24),
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].starts_with("    "), "{lines:?}");
        assert!(lines.iter().all(|l| textwrap::core::display_width(l) <= 24));
    }

    #[test]
    fn list_items_hang_under_their_text() {
        let out = block("- alpha beta gamma delta epsilon", Some(20));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("- alpha"));
        assert!(lines[1].starts_with("  "), "{out}");
    }

    #[test]
    fn piped_text_is_not_wrapped() {
        assert_eq!(hang("a b c", "> ", "  ", None), vec!["> a b c"]);
    }
}
