//! The one layer every line printed for a person goes through: text fills the terminal's
//! width with a hanging indent, and a line breaks only at a space that separates two things a
//! reader takes apart. A path, a flag, a hyphenated word or an identifier holds no space and
//! is never cut; a number keeps its unit (`342 ms`, `2.1 s)`), `key = value` stays whole, a
//! `code span` stays on one line when it fits one, and `·`/`→` separators end a line rather
//! than start one. A word longer than the room after its indent moves left to fit.
//! Piped output is not wrapped (a reader or a file has no width to fit).
//!
//! Widths are measured without ANSI escape codes, so coloured text wraps right.

use std::io::IsTerminal;
use textwrap::core::{display_width, Word};

/// The width to wrap stdout at: the terminal's columns (else `COLUMNS`), none when stdout
/// is not a terminal.
pub fn width() -> Option<usize> {
    width_of(std::io::stdout().is_terminal(), libc::STDOUT_FILENO)
}

/// [`width`] for stderr (errors and notes).
fn stderr_width() -> Option<usize> {
    width_of(std::io::stderr().is_terminal(), libc::STDERR_FILENO)
}

fn width_of(terminal: bool, fd: libc::c_int) -> Option<usize> {
    if !terminal {
        return None;
    }
    columns(fd)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .filter(|w| *w > 0)
}

/// `text` (an error or a note) on stderr, each line fitted as [`lines`] fits it.
pub fn eprint(text: &str) {
    eprint!("{}", lines(text, stderr_width()));
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

/// The least room a hanging indent leaves its text. A label wider than that (the problem-id
/// table at 60 columns) stands on a line of its own and its text goes under it.
const MIN_ROOM: usize = 30;

/// Units the tool writes after a number (`checks::text::duration`, sizes, shares).
const UNITS: &[&str] = &[
    "ns", "µs", "us", "ms", "s", "min", "h", "B", "kB", "KB", "MB", "GB", "KiB", "MiB", "GiB", "%",
];

/// Separators that end a line rather than start one.
const SEPARATORS: &[&str] = &["·", "→", "—", "–"];

/// `text` starting with `first` on its first line and `rest` on the others, within `width`;
/// each `\n` in `text` starts a line under `rest`.
pub fn hang(text: &str, first: &str, rest: &str, width: Option<usize>) -> Vec<String> {
    let Some(width) = width else {
        return vec![format!("{first}{text}")];
    };
    let mut out = vec![];
    let (mut first, mut rest) = (first.to_string(), rest.to_string());
    // A label (not a bare mark) that leaves its text too little room: label, then text below.
    if width < display_width(&rest) + MIN_ROOM && display_width(first.trim()) > 2 {
        let lead = first.len() - first.trim_start_matches(' ').len();
        out.push(first.trim_end().to_string());
        first = " ".repeat((lead + 4).min(width.saturating_sub(MIN_ROOM)));
        rest.clone_from(&first);
    }
    for (i, line) in text.split('\n').enumerate() {
        fill(
            line,
            if i == 0 { &first } else { &rest },
            &rest,
            width,
            &mut out,
        );
    }
    out
}

/// Each line of `text` wrapped on its own: its leading blanks are its indent, and its
/// continuation lines hang two columns further (under the text after a `✘ ` or `! ` mark).
pub fn lines(text: &str, width: Option<usize>) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        let lead = &line[..line.len() - body.len()];
        for l in hang(body, lead, &format!("{lead}  "), width) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// Hand-written prose (`explain`) at `width`: each paragraph reflowed (its source line breaks
/// are the author's editor's, not the reader's), a list item (`- `) hanging under its text,
/// an indented line (a command, a config line) kept on its own line and wrapped, if it must
/// be, four columns further in. Piped, the text as it was written.
pub fn prose(text: &str, width: Option<usize>) -> String {
    let mut out = String::new();
    let mut push = |lines: Vec<String>| {
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    };
    let Some(_) = width else {
        push(text.lines().map(str::to_string).collect());
        return out;
    };
    let mut paragraph: Vec<&str> = vec![];
    let flush = |paragraph: &mut Vec<&str>, push: &mut dyn FnMut(Vec<String>)| {
        if !paragraph.is_empty() {
            push(hang(&paragraph.join(" "), "", "", width));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        let lead = &line[..line.len() - body.len()];
        if body.is_empty() {
            flush(&mut paragraph, &mut push);
            push(vec![String::new()]);
        } else if !lead.is_empty() {
            flush(&mut paragraph, &mut push);
            push(hang(body, lead, &format!("{lead}    "), width));
        } else if body.starts_with("- ") || body.starts_with("* ") {
            flush(&mut paragraph, &mut push);
            push(hang(body, "", "  ", width));
        } else {
            paragraph.push(body.trim_end());
        }
    }
    flush(&mut paragraph, &mut push);
    out
}

/// A table fitted to `width` (its cells wrap to fit); piped, a table as wide as it needs.
pub fn table(t: &mut comfy_table::Table, width: Option<usize>) {
    if let Some(w) = width {
        t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
            .set_width(u16::try_from(w).unwrap_or(u16::MAX));
    }
}

/// `text` for a cell of a [`table`] at `width`: comfy-table breaks a cell at its spaces, so
/// the spaces a line must not break at (a number and its unit) become no-break spaces.
pub fn cell(text: &str, width: Option<usize>) -> String {
    if width.is_none() {
        return text.to_string();
    }
    // Runs up to a short phrase: a longer one would be cut mid-word by the table instead.
    words(text, 12)
        .iter()
        .map(|w| format!("{}{}", w.word.replace(' ', "\u{a0}"), w.whitespace))
        .collect()
}

/// One line of `text` (no `\n`) after `first`, its continuation lines after `rest`.
fn fill(text: &str, first: &str, rest: &str, width: usize, out: &mut Vec<String>) {
    let body = text.trim_start_matches(' ');
    let first = format!("{first}{}", &text[..text.len() - body.len()]);
    let (first_width, rest_width) = (display_width(&first), display_width(rest));
    if first_width + display_width(body) <= width {
        out.push(format!("{first}{body}"));
        return;
    }
    let room = width.saturating_sub(rest_width);
    let words = words(body, room);
    // First fit, as a reader fills a line: each line takes every word that fits.
    let widths = [width.saturating_sub(first_width) as f64, room as f64];
    let lines = textwrap::wrap_algorithms::wrap_first_fit(&words, &widths);
    if lines.is_empty() {
        out.push(first.trim_end().to_string());
    }
    for (i, line) in lines.iter().enumerate() {
        let mut text = String::new();
        for (j, w) in line.iter().enumerate() {
            text.push_str(w.word);
            if j + 1 < line.len() {
                text.push_str(w.whitespace);
            }
        }
        let prefix = match i {
            0 => first.clone(),
            // One word wider than the room: as far left as it takes to fit.
            _ => " ".repeat(rest_width.min(width.saturating_sub(display_width(&text)))),
        };
        out.push(format!("{prefix}{text}"));
    }
}

/// `text` cut into the pieces a line may break between: at spaces, except inside what a
/// reader takes as one thing (see the module's comment). A glued run wider than `room` is cut
/// at its spaces after all: better a split code span than a line past the edge.
fn words(text: &str, room: usize) -> Vec<Word<'_>> {
    // Each word with the blanks after it.
    let mut spans = vec![];
    let mut start = 0;
    while start < text.len() {
        let end_word = text[start..].find(' ').map_or(text.len(), |i| start + i);
        let end = text[end_word..]
            .find(|c| c != ' ')
            .map_or(text.len(), |i| end_word + i);
        spans.push((start, end_word, end));
        start = end;
    }
    let plain: Vec<String> = spans.iter().map(|s| plain(&text[s.0..s.1])).collect();
    let mut ticks = 0;
    let glued: Vec<bool> = (0..spans.len().saturating_sub(1))
        .map(|i| {
            ticks += plain[i].matches('`').count();
            glue(&plain[i], &plain[i + 1], ticks % 2 == 1)
        })
        .collect();
    let mut out = vec![];
    let mut i = 0;
    while i < spans.len() {
        let mut j = i;
        while j < glued.len() && glued[j] {
            j += 1;
        }
        let run = Word::from(&text[spans[i].0..spans[j].2]);
        if run.width <= room || i == j {
            out.push(run);
        } else {
            out.extend((i..=j).map(|k| Word::from(&text[spans[k].0..spans[k].2])));
        }
        i = j + 1;
    }
    out
}

/// Whether the space between words `a` and `b` (as shown) must not break a line; `in_code`
/// when a backtick span is open after `a`.
fn glue(a: &str, b: &str, in_code: bool) -> bool {
    let unit = b.trim_end_matches([')', ']', ',', ';', ':', '.']);
    in_code
        || (a.ends_with(|c: char| c.is_ascii_digit()) && UNITS.contains(&unit))
        || a == "="
        || b == "="
        || SEPARATORS.contains(&b)
}

/// `s` without its ANSI escape sequences.
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters, then one final byte in @..~.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) && c != '[' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widest(lines: &[String]) -> usize {
        lines.iter().map(|l| display_width(l)).max().unwrap_or(0)
    }

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
        assert!(widest(&lines) <= 24);
    }

    #[test]
    fn a_number_keeps_its_unit() {
        // Each width puts a break right after the number if the space there may break.
        let text = "requests wait up to 30 s while the app restarts (link 2.1 s) in 342 ms";
        for width in 12..=text.len() {
            let lines = hang(text, "", "", Some(width));
            for pair in lines.windows(2) {
                assert!(
                    !pair[0].ends_with(|c: char| c.is_ascii_digit()),
                    "{width}: {lines:?}"
                );
            }
            assert!(widest(&lines) <= width, "{width}: {lines:?}");
        }
        let lines = hang("\x1b[2mbuilt in 342\x1b[0m ms", "", "", Some(14));
        assert_eq!(
            plain(&lines[1]),
            "342 ms",
            "escape codes do not hide the number"
        );
    }

    #[test]
    fn paths_flags_and_compound_words_are_never_cut() {
        let path = "/home/ann/src/shop/.air.toml.reload-doctor.bak";
        let text = format!("will rewrite .air.toml (the old file is kept in {path}); run --fix --unsafe for temp-rename saves");
        for width in 20..=120 {
            let lines = hang(&text, "  reloader-config  ", &" ".repeat(19), Some(width));
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert_eq!(words[1..].join(" "), text, "{width}: {lines:?}");
            for l in &lines {
                assert!(
                    display_width(l) <= width.max(path.len() + 2),
                    "{width}: {lines:?}"
                );
            }
        }
        // The path is wider than the room after the indent: it moves left to fit.
        let lines = hang(&text, "  reloader-config  ", &" ".repeat(19), Some(60));
        let at = lines.iter().find(|l| l.contains(path)).unwrap();
        assert_eq!(display_width(at), 60, "{lines:?}");
    }

    #[test]
    fn assignments_and_code_spans_stay_whole_separators_end_lines() {
        let text = "in .air.toml set send_interrupt = true and kill_delay = \"2s\", or run `go install github.com/air-verse/air@latest` · then reload";
        for width in 48..=80 {
            let lines = hang(text, "", "  ", Some(width));
            let all = lines.join("\n");
            for whole in [
                "send_interrupt = true",
                "kill_delay = \"2s\",",
                "`go install github.com/air-verse/air@latest`",
            ] {
                assert!(all.contains(whole), "{width}: {lines:?}");
            }
            assert!(
                lines.iter().all(|l| !l.trim_start().starts_with('·')),
                "{lines:?}"
            );
        }
        // A code span wider than the room is cut at its spaces rather than past the edge.
        let lines = hang("run `a b c d e f g h i j k l m n o p`", "", "", Some(12));
        assert!(widest(&lines) <= 12, "{lines:?}");
    }

    #[test]
    fn a_wide_label_stacks_its_text_under_it() {
        let first = format!("  fail  {:<26}  ", "include-file-never-matches");
        let lines = hang(
            "\"./x\", absolute paths or globs never match",
            &first,
            &" ".repeat(36),
            Some(60),
        );
        assert_eq!(lines[0], "  fail  include-file-never-matches");
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.starts_with("      ") && !l.starts_with("       ")),
            "{lines:?}"
        );
        // Room enough at 100: the text hangs beside the label.
        let lines = hang(
            "\"./x\", absolute paths or globs never match",
            &first,
            &" ".repeat(36),
            Some(100),
        );
        assert_eq!(lines.len(), 1, "{lines:?}");
    }

    #[test]
    fn prose_reflows_paragraphs_and_keeps_code_lines() {
        let text = "Fix by hand: edit the line\nthe finding names.\n\n  sudo sysctl -w fs.inotify.max_user_watches=524288\n- one item that is long enough to wrap\n";
        let out = prose(text, Some(40));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "Fix by hand: edit the line the finding");
        assert_eq!(lines[1], "names.");
        assert_eq!(lines[2], "");
        assert_eq!(lines[3], "  sudo sysctl -w");
        assert_eq!(lines[4], "      fs.inotify.max_user_watches=524288");
        assert_eq!(lines[5], "- one item that is long enough to wrap");
        assert_eq!(prose(text, None), text);
    }

    #[test]
    fn lines_hang_under_their_marks() {
        let out = lines(
            "! one two three four five\n  fix: six seven eight nine",
            Some(16),
        );
        assert_eq!(
            out,
            "! one two three\n  four five\n  fix: six seven\n    eight nine\n"
        );
    }

    #[test]
    fn a_table_cell_keeps_a_number_with_its_unit() {
        let text = "events delivered in 0.4 ms; in a docker container";
        assert_eq!(
            cell(text, Some(60)),
            "events delivered in 0.4\u{a0}ms; in a docker container"
        );
        assert_eq!(cell(text, None), text);
    }

    #[test]
    fn piped_text_is_not_wrapped() {
        assert_eq!(hang("a b c", "> ", "  ", None), vec!["> a b c"]);
        assert_eq!(lines("a b c\n  d", None), "a b c\n  d\n");
    }
}
