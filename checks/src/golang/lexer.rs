//! A small Go tokenizer: enough to find calls like `signal.Notify(...)` without being fooled
//! by comments and string literals. It is not a parser; it only splits the text into
//! identifiers, literals and punctuation with their line and column.

/// What a token is. Comments and whitespace are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Ident(String),
    /// A string literal's contents, unescaped only as far as `\"` (good enough for import paths).
    Str(String),
    /// A number literal as written (`8080`, `0x1F`, `1_000`).
    Number(String),
    /// A rune literal; its value is never needed.
    Literal,
    /// One punctuation or operator character (`.`, `(`, `,`, `:`...).
    Punct(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// 1-based line and column (in characters), as `go build` reports them.
    pub line: usize,
    pub col: usize,
}

impl Token {
    pub fn is_ident(&self, name: &str) -> bool {
        matches!(&self.kind, Kind::Ident(n) if n == name)
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }
}

/// Why a file could not be tokenized, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl std::fmt::Display for LexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    col: usize,
}

impl Cursor<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn error(&self, line: usize, col: usize, message: impl Into<String>) -> LexError {
        LexError {
            line,
            col,
            message: message.into(),
        }
    }
}

/// Split Go source into tokens. Fails on an unterminated comment or literal, or a
/// character Go does not allow outside literals.
pub fn tokenize(src: &str) -> Result<Vec<Token>, LexError> {
    let mut cur = Cursor {
        chars: src.chars().peekable(),
        line: 1,
        col: 1,
    };
    let mut out = vec![];
    while let Some(c) = cur.peek() {
        let (line, col) = (cur.line, cur.col);
        let push = |out: &mut Vec<Token>, kind| out.push(Token { kind, line, col });
        if c.is_whitespace() || c == '\u{feff}' {
            cur.bump();
        } else if c == '/' {
            cur.bump();
            match cur.peek() {
                Some('/') => {
                    while cur.peek().is_some_and(|c| c != '\n') {
                        cur.bump();
                    }
                }
                Some('*') => {
                    cur.bump();
                    let mut closed = false;
                    while let Some(c) = cur.bump() {
                        if c == '*' && cur.peek() == Some('/') {
                            cur.bump();
                            closed = true;
                            break;
                        }
                    }
                    if !closed {
                        return Err(cur.error(line, col, "comment not terminated (missing */)"));
                    }
                }
                _ => push(&mut out, Kind::Punct('/')),
            }
        } else if c == '"' {
            cur.bump();
            let mut text = String::new();
            loop {
                match cur.bump() {
                    None | Some('\n') => {
                        return Err(cur.error(line, col, "string literal not terminated"))
                    }
                    Some('"') => break,
                    Some('\\') => match cur.bump() {
                        None | Some('\n') => {
                            return Err(cur.error(line, col, "string literal not terminated"))
                        }
                        Some(e) => {
                            if e != '"' && e != '\\' {
                                text.push('\\');
                            }
                            text.push(e);
                        }
                    },
                    Some(c) => text.push(c),
                }
            }
            push(&mut out, Kind::Str(text));
        } else if c == '`' {
            cur.bump();
            let mut text = String::new();
            loop {
                match cur.bump() {
                    None => return Err(cur.error(line, col, "raw string literal not terminated")),
                    Some('`') => break,
                    Some(c) => text.push(c),
                }
            }
            push(&mut out, Kind::Str(text));
        } else if c == '\'' {
            cur.bump();
            loop {
                match cur.bump() {
                    None | Some('\n') => {
                        return Err(cur.error(line, col, "rune literal not terminated"))
                    }
                    Some('\'') => break,
                    Some('\\') => {
                        cur.bump();
                    }
                    Some(_) => {}
                }
            }
            push(&mut out, Kind::Literal);
        } else if c == '_' || c.is_alphabetic() {
            let mut name = String::new();
            while let Some(c) = cur.peek().filter(|c| *c == '_' || c.is_alphanumeric()) {
                name.push(c);
                cur.bump();
            }
            push(&mut out, Kind::Ident(name));
        } else if c.is_ascii_digit() {
            // Numbers, including 0x1F, 1_000, 1.5e-3 and 2i; a leading `.5` is rare enough to
            // come out as `.` then a number, which no check cares about.
            let mut prev = c;
            let mut text = String::new();
            while let Some(c) = cur.peek().filter(|c| {
                c.is_ascii_alphanumeric()
                    || *c == '_'
                    || *c == '.'
                    || ((*c == '+' || *c == '-') && matches!(prev, 'e' | 'E' | 'p' | 'P'))
            }) {
                prev = c;
                text.push(c);
                cur.bump();
            }
            push(&mut out, Kind::Number(text));
        } else if c.is_ascii_punctuation() {
            cur.bump();
            push(&mut out, Kind::Punct(c));
        } else {
            return Err(cur.error(
                line,
                col,
                format!("unexpected character U+{:04X} outside a literal", c as u32),
            ));
        }
    }
    Ok(out)
}

/// The value of a Go integer literal as the Go spec reads it: decimal, `0x`/`0X` hex,
/// `0o`/`0O` or a leading `0` octal, `0b`/`0B` binary, with `_` between digits or after the
/// base prefix. None for anything else (a float, a bad digit, a misplaced `_`, overflow).
pub fn int_value(lit: &str) -> Option<u64> {
    let lower = lit.to_ascii_lowercase();
    let (radix, digits) = match lower.get(..2) {
        Some("0x") => (16, &lit[2..]),
        Some("0o") => (8, &lit[2..]),
        Some("0b") => (2, &lit[2..]),
        _ if lit.len() > 1 && lit.starts_with('0') => (8, &lit[1..]),
        _ => (10, lit),
    };
    // `_` separates digits: never first in decimal, never last, never doubled. After a
    // prefix (`0x_1F`, and `0_7` for the old octal form) it may come first.
    let prefixed = radix != 10;
    let bytes = digits.as_bytes();
    let bad_underscore = bytes.last() == Some(&b'_')
        || (!prefixed && bytes.first() == Some(&b'_'))
        || digits.contains("__");
    if digits.is_empty() || bad_underscore {
        return None;
    }
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_literals_as_go_reads_them() {
        let cases = [
            ("8080", Some(8080)),
            ("0x1F91", Some(8081)),
            ("0X1f91", Some(8081)),
            ("0x_1F91", Some(8081)),
            ("0o17621", Some(8081)),
            ("017621", Some(8081)),
            ("0_17621", Some(8081)),
            ("0b1111110010001", Some(8081)),
            ("8_081", Some(8081)),
            ("0", Some(0)),
            ("08080", None),
            ("8__081", None),
            ("8081_", None),
            ("0x", None),
            ("0x_", None),
            ("1e3", None),
            ("80.0", None),
            ("0xG", None),
            ("99999999999999999999999", None),
        ];
        for (lit, want) in cases {
            assert_eq!(int_value(lit), want, "{lit}");
        }
    }

    fn idents(src: &str) -> Vec<String> {
        tokenize(src)
            .unwrap()
            .into_iter()
            .filter_map(|t| match t.kind {
                Kind::Ident(n) => Some(n),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn comments_and_strings_hide_identifiers() {
        let src = r#"
// signal.Notify(c, os.Interrupt)
/* signal.Notify(c)
   srv.Shutdown(ctx) */
var s = "signal.Notify(c, os.Interrupt) \" signal.Notify"
var r = `signal.Notify(
  c)`
var q = '"'
x.Run()
"#;
        assert_eq!(
            idents(src),
            vec!["var", "s", "var", "r", "var", "q", "x", "Run"]
        );
    }

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let toks = tokenize("package main\n\n\tsignal.Notify(c)\n").unwrap();
        let notify = toks.iter().find(|t| t.is_ident("Notify")).unwrap();
        assert_eq!((notify.line, notify.col), (3, 9));
        // A raw string spanning lines moves the line count on.
        let toks = tokenize("a := `x\ny\nz`; b").unwrap();
        let b = toks.iter().find(|t| t.is_ident("b")).unwrap();
        assert_eq!((b.line, b.col), (3, 5));
    }

    #[test]
    fn string_contents_keep_import_paths() {
        let toks = tokenize("import sig \"os/signal\"").unwrap();
        assert_eq!(toks[2].kind, Kind::Str("os/signal".into()));
        let toks = tokenize(r#"x := "a\"b\\" + y"#).unwrap();
        assert_eq!(toks[3].kind, Kind::Str("a\"b\\".into()));
        assert!(toks.iter().any(|t| t.is_ident("y")));
    }

    #[test]
    fn numbers_runes_and_unicode_identifiers() {
        assert_eq!(
            idents("x := 1.5e-3 + 0x1F + 1_000 + 'a' + '\\'' + '\\n'; größe := 2i"),
            vec!["x", "größe"]
        );
    }

    #[test]
    fn numbers_keep_their_text() {
        let toks = tokenize("f(\"PORT\", 8080, 1.5e-3)").unwrap();
        assert_eq!(toks[4].kind, Kind::Number("8080".into()));
        assert_eq!(toks[6].kind, Kind::Number("1.5e-3".into()));
    }

    #[test]
    fn unterminated_literals_and_comments_are_errors_with_positions() {
        let e = tokenize("package main\nvar s = \"abc\nfunc").unwrap_err();
        assert_eq!((e.line, e.col), (2, 9));
        assert!(e.message.contains("string"), "{e}");
        assert!(tokenize("x /* never closed").is_err());
        assert!(tokenize("x := `never closed").is_err());
        assert!(tokenize("x := 'a").is_err());
        let e = tokenize("x := 1 \u{0}").unwrap_err();
        assert!(e.message.contains("U+0000"), "{e}");
    }

    #[test]
    fn division_is_not_a_comment() {
        let toks = tokenize("a / b /c").unwrap();
        assert_eq!(toks.len(), 5);
    }
}
