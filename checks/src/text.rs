//! Small helpers for the one-line messages checks write.

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
}
