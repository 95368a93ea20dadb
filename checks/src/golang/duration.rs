//! Go's duration syntax, as `time.ParseDuration` reads it: a sequence of decimal numbers,
//! each with an optional fraction and a unit (`ns`, `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`):
//! `300ms`, `1.5h`, `1m30s`, `2h45m`; `0` alone needs no unit. One parser for air's duration
//! keys in the report and the runner's `.air.toml` values and flags, so `1m30s` means one
//! thing to both.

use std::time::Duration;

/// Go's largest duration, about 292 years.
const MAX_NANOS: u128 = i64::MAX as u128;

/// Parse `text` as Go does, refusing a negative duration (a delay or a timeout cannot be
/// one); the error says what is wrong with it.
pub fn parse(text: &str) -> Result<Duration, String> {
    match parse_signed(text)? {
        (true, d) if !d.is_zero() => {
            Err(format!("{text:?}: a negative duration means nothing here"))
        }
        (_, d) => Ok(d),
    }
}

/// Whether Go's `time.ParseDuration` accepts `text` (negative durations too).
pub fn is_valid(text: &str) -> bool {
    parse_signed(text).is_ok()
}

/// The sign (true: negative) and size of a Go duration.
fn parse_signed(text: &str) -> Result<(bool, Duration), String> {
    let invalid = |why: &str| format!("{text:?} is not a Go duration ({why})");
    let (negative, mut s) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if s == "0" {
        return Ok((negative, Duration::ZERO));
    }
    if s.is_empty() {
        return Err(invalid("empty"));
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let digits = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
        let (whole, rest) = s.split_at(digits(s));
        let (fraction, rest) = match rest.strip_prefix('.') {
            Some(r) => r.split_at(digits(r)),
            None => ("", rest),
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid("a number is expected before each unit"));
        }
        let unit_len = rest
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (unit, rest) = rest.split_at(unit_len);
        s = rest;
        let per: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(invalid("a unit is missing: ns, us, ms, s, m or h")),
            _ => return Err(invalid(&format!("unknown unit {unit:?}"))),
        };
        let too_long = || invalid("out of range");
        let whole: u128 = match whole {
            "" => 0,
            w => w.parse().map_err(|_| too_long())?,
        };
        // In floating point, as Go does (`0.3333333333333333333h` is 20m there too), with
        // the digits that fit its 63-bit accumulator.
        let (mut f, mut scale) = (0u64, 1f64);
        for d in fraction.bytes().map(|b| u64::from(b - b'0')) {
            match f.checked_mul(10).and_then(|x| x.checked_add(d)) {
                Some(x) if x <= i64::MAX as u64 => (f, scale) = (x, scale * 10.0),
                _ => break,
            }
        }
        let part = (f as f64 * (per as f64 / scale)) as u128;
        total = whole
            .checked_mul(per)
            .and_then(|w| w.checked_add(part))
            .and_then(|p| p.checked_add(total))
            .filter(|t| *t <= MAX_NANOS)
            .ok_or_else(too_long)?;
    }
    Ok((negative, Duration::from_nanos(total as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from Go's own `time.ParseDuration` tests.
    #[test]
    fn reads_what_go_reads() {
        let ms = Duration::from_millis;
        for (text, want) in [
            ("0", Duration::ZERO),
            ("5s", ms(5000)),
            ("30s", ms(30_000)),
            ("1478s", ms(1_478_000)),
            ("+5s", ms(5000)),
            ("-0", Duration::ZERO),
            ("5.0s", ms(5000)),
            ("5.6s", ms(5600)),
            ("5.s", ms(5000)),
            (".5s", ms(500)),
            ("1.004s", ms(1004)),
            ("100.00100s", Duration::from_micros(100_001_000)),
            ("10ns", Duration::from_nanos(10)),
            ("11us", Duration::from_micros(11)),
            ("12µs", Duration::from_micros(12)),
            ("12μs", Duration::from_micros(12)),
            ("13ms", ms(13)),
            ("14s", ms(14_000)),
            ("15m", ms(900_000)),
            ("16h", Duration::from_secs(16 * 3600)),
            ("3h30m", Duration::from_secs(3 * 3600 + 1800)),
            ("1m30s", ms(90_000)),
            ("10.5s4m", ms(250_500)),
            ("1h1m1s1ms1us1ns", Duration::from_nanos(3_661_001_001_001)),
            (
                "0.3333333333333333333h",
                Duration::from_nanos(1_200_000_000_000),
            ),
            (
                "9223372036854775807ns",
                Duration::from_nanos(i64::MAX as u64),
            ),
        ] {
            assert_eq!(parse(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn refuses_what_go_refuses_and_negatives() {
        for text in [
            "",
            "3",
            "-",
            "s",
            ".",
            "-.",
            ".s",
            "+.s",
            "1d",
            "3000000h",
            "9223372036854775808ns",
            "-1s",
        ] {
            assert!(parse(text).is_err(), "{text:?}");
        }
        assert_eq!(
            parse("2 s"),
            Err("\"2 s\" is not a Go duration (unknown unit \" s\")".into())
        );
        // Go itself takes a negative duration; air's keys may hold one.
        assert!(is_valid("-1s") && !is_valid("-1x"));
    }
}
