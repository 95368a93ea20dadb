//! Go's version strings, as `go env GOVERSION` and go.mod's `go` and `toolchain` lines write
//! them, made comparable.

/// `go1.26.8` / `1.25` / `1.21rc2` -> (1, 26, 8); missing parts are 0.
pub fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let v = v.trim().trim_start_matches("go");
    let mut nums = v.split('.').map(|part| {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok()
    });
    let major = nums.next()??;
    let minor = nums.next().flatten().unwrap_or(0);
    let patch = nums.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

/// The Go minor of a go.mod's `go` line (`1.23.0` -> 23), the minimum Go 1.21 and later
/// hold a module to; its `toolchain` line is no minimum (under GOTOOLCHAIN=local, go1.26.8
/// builds a module saying `go 1.20` and `toolchain go1.99.1`). None for another major.
pub fn go_minor(go_line: &str) -> Option<u32> {
    match parse_version(go_line)? {
        (1, minor, _) => Some(minor),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("go1.26.8"), Some((1, 26, 8)));
        assert_eq!(parse_version("1.25"), Some((1, 25, 0)));
        assert_eq!(parse_version("1.21rc2"), Some((1, 21, 0)));
        assert_eq!(parse_version("go1.99"), Some((1, 99, 0)));
        assert!(parse_version("1.25") < parse_version("go1.26.8"));
        assert_eq!(parse_version("devel"), None);
    }
}
