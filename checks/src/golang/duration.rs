//! Go's `time.ParseDuration`, for air's duration keys (`kill_delay = "1m30s"`) and the runner's
//! flags alike, so `--build.kill_delay 1m30s` and the same value in `.air.toml` mean one thing.

use std::time::Duration;

/// Go's `time.ParseDuration` in nanoseconds: `"2s"`, `"1.5h"`, `"300ms"`, `"1m30s"`, `"0"`.
pub fn nanos(s: &str) -> Option<f64> {
    let (sign, mut rest) = match s.strip_prefix('-') {
        Some(r) => (-1.0, r),
        None => (1.0, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = match &rest[..num_len] {
            "" | "." => return None,
            n => n.parse().ok()?,
        };
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    Some(sign * total)
}

/// A Go duration as a [`Duration`]: `None` for a malformed or negative one; one too large for
/// a `Duration` saturates (callers bound what they add it to).
pub fn parse(s: &str) -> Option<Duration> {
    let n = nanos(s)?;
    (n >= 0.0).then(|| Duration::try_from_secs_f64(n / 1e9).unwrap_or(Duration::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_go() {
        assert_eq!(nanos("2s"), Some(2e9));
        assert_eq!(nanos("1m30s"), Some(90e9));
        assert_eq!(nanos("1.5ms"), Some(1.5e6));
        assert_eq!(nanos("0"), Some(0.0));
        for bad in ["", "2", "fast", "2 s", ".s", "1x"] {
            assert_eq!(nanos(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_gives_durations_and_saturates() {
        assert_eq!(parse("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse("-1s"), None);
        assert_eq!(parse("99999999999999999999999s"), Some(Duration::MAX));
    }
}
