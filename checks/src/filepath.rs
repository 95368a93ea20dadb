//! Go's `path/filepath` on Unix, for the rules air and Go apply to paths: `Match` (air's
//! `exclude_file`, `include_file`; the runner's filter), `Ext` (air's `include_ext`) and `Clean`
//! (air's `filepath.Abs` of a root-relative name). One implementation for the doctor and the
//! runner, so both judge a path the same way.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// `to` as a path from `from`, like Go's `filepath.Rel` (`../../pkg/common/db`); both
/// absolute and clean.
pub fn rel(from: &Path, to: &Path) -> String {
    let a: Vec<std::path::Component> = from.components().collect();
    let b: Vec<std::path::Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..a.len() {
        rel.push("..");
    }
    for c in &b[common..] {
        rel.push(c);
    }
    rel.to_string_lossy().to_string()
}

/// Go's `filepath.Clean` of an absolute or relative path, without touching the disk (the path
/// may not exist yet): see [`clean_str`]. On the path's bytes, as Go's strings are: a folder
/// name need not be UTF-8.
pub fn clean(path: &Path) -> PathBuf {
    PathBuf::from(OsString::from_vec(clean_bytes(path.as_os_str().as_bytes())))
}

/// Go's `filepath.Clean` on Unix: one `/` between elements, no `.`, `..` resolved lexically
/// (and dropped above the root of an absolute path, kept at the start of a relative one),
/// `.` for an empty result.
pub fn clean_str(p: &str) -> String {
    // Whole elements of `p` joined by `/`: still UTF-8, so nothing is replaced.
    String::from_utf8_lossy(&clean_bytes(p.as_bytes())).into_owned()
}

fn clean_bytes(p: &[u8]) -> Vec<u8> {
    let abs = p.starts_with(b"/");
    let mut out: Vec<&[u8]> = vec![];
    for part in p.split(|b| *b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => match out.last() {
                Some(&l) if l != b".." => {
                    out.pop();
                }
                _ if abs => {}
                _ => out.push(b".."),
            },
            part => out.push(part),
        }
    }
    let joined = out.join(&b'/');
    match (abs, joined.is_empty()) {
        (true, _) => [&b"/"[..], &joined].concat(),
        (false, true) => b".".to_vec(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Ext`: the suffix from the last `.` of the last element (`.#main.go` ->
/// `.go`, `.bashrc` -> `.bashrc`, `4913` -> ``).
pub fn go_ext(path: &str) -> &str {
    let base_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[base_start..].rfind('.') {
        Some(i) => &path[base_start + i..],
        None => "",
    }
}

/// Go's `filepath.Match` on Unix: `*` (not crossing `/`), `?`, `[...]` classes with ranges
/// and `^` negation, `\` escapes. A malformed pattern matches nothing, as air ignores the
/// error.
pub fn go_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n).unwrap_or(false)
}

fn match_from(p: &[char], n: &[char]) -> Option<bool> {
    match p.first() {
        None => Some(n.is_empty()),
        Some('*') => {
            for i in 0..=n.len() {
                if i > 0 && n[i - 1] == '/' {
                    break;
                }
                if match_from(&p[1..], &n[i..])? {
                    return Some(true);
                }
            }
            // Go also reports a malformed rest of the pattern; a plain false is enough here.
            Some(false)
        }
        Some('?') => match n.first() {
            Some(c) if *c != '/' => match_from(&p[1..], &n[1..]),
            _ => Some(false),
        },
        Some('[') => {
            let Some(&c) = n.first() else {
                return Some(false);
            };
            let (matched, rest) = class(&p[1..], c)?;
            if matched {
                match_from(rest, &n[1..])
            } else {
                Some(false)
            }
        }
        Some('\\') => {
            let c = *p.get(1)?;
            if n.first() == Some(&c) {
                match_from(&p[2..], &n[1..])
            } else {
                Some(false)
            }
        }
        Some(c) => {
            if n.first() == Some(c) {
                match_from(&p[1..], &n[1..])
            } else {
                Some(false)
            }
        }
    }
}

/// A `[...]` class (after the `[`): whether `c` is in it, and the pattern after `]`.
/// None when malformed (Go's `ErrBadPattern`).
fn class(p: &[char], c: char) -> Option<(bool, &[char])> {
    let (negate, mut i) = match p.first() {
        Some('^') => (true, 1),
        _ => (false, 0),
    };
    let mut matched = false;
    let mut ranges = 0;
    loop {
        if p.get(i) == Some(&']') && ranges > 0 {
            return Some((matched != negate, &p[i + 1..]));
        }
        let lo = escaped(p, &mut i)?;
        let mut hi = lo;
        if *p.get(i)? == '-' {
            i += 1;
            hi = escaped(p, &mut i)?;
        }
        matched |= lo <= c && c <= hi;
        ranges += 1;
    }
}

/// Go's `getEsc`: one possibly escaped class character; `-` and `]` must be escaped, and
/// the class must go on after it.
fn escaped(p: &[char], i: &mut usize) -> Option<char> {
    let mut c = *p.get(*i)?;
    if c == '-' || c == ']' {
        return None;
    }
    if c == '\\' {
        *i += 1;
        c = *p.get(*i)?;
    }
    *i += 1;
    p.get(*i).map(|_| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_str_matches_go() {
        assert_eq!(clean_str("./a//b/../c/"), "a/c");
        assert_eq!(clean_str("/../x"), "/x");
        assert_eq!(clean_str("../../x"), "../../x");
        assert_eq!(clean_str(""), ".");
    }

    #[test]
    fn go_ext_matches_go() {
        assert_eq!(go_ext("/p/.#main.go"), ".go");
        assert_eq!(go_ext("/p/main.go~"), ".go~");
        assert_eq!(go_ext("/p/.main.go.swp"), ".swp");
        assert_eq!(go_ext("/p/4913"), "");
        assert_eq!(go_ext("/p.d/Makefile"), "");
        assert_eq!(go_ext("/p/main.go___jb_tmp___"), ".go___jb_tmp___");
    }

    #[test]
    fn go_match_matches_go() {
        assert!(go_match("*.go", "main.go"));
        assert!(!go_match("*.go", "cmd/main.go"));
        assert!(go_match("cmd/*_gen.go", "cmd/x_gen.go"));
        assert!(go_match("ma?n.[a-z]o", "main.go"));
        assert!(!go_match("[^m]ain.go", "main.go"));
        assert!(go_match("\\*.go", "*.go"));
        assert!(!go_match("[", "["));
        assert!(!go_match("a[", "a"));
        assert!(!go_match("[a-]", "a"));
        assert!(go_match("[\\]a]", "]"));
        assert!(go_match("[^a]", "/"));
        assert!(go_match("a?c", "abc"));
        assert!(go_match("[a-c]x", "bx"));
        assert!(!go_match("[^a-c]x", "bx"));
        assert!(!go_match("a", "ab"));
    }

    #[test]
    fn clean_resolves_dots_without_the_disk() {
        assert_eq!(
            clean(Path::new("/p/./a/../tmp/main")),
            Path::new("/p/tmp/main")
        );
        assert_eq!(clean(Path::new("a/./b/../c")), Path::new("a/c"));
        // A folder named with bytes that are not UTF-8 keeps them (a lossy U+FFFD names
        // another folder).
        let bad = Path::new(std::ffi::OsStr::from_bytes(b"/t/bad\xffx/./tmp/../main"));
        assert_eq!(clean(bad).as_os_str().as_bytes(), b"/t/bad\xffx/main");
    }
}
