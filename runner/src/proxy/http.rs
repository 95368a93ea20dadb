//! Just enough HTTP/1.1 to find where a message ends and to rewrite hop-by-hop headers.

use std::io::{self, BufRead, Read};

/// Longest request or response head accepted (answered with 431 beyond it).
pub const MAX_HEAD: u64 = 64 * 1024;

/// A request line or status line plus header lines, without their CRLFs.
pub struct Head {
    pub first: String,
    lines: Vec<Vec<u8>>,
}

pub enum ReadHead {
    /// The peer closed the connection before sending a byte of a new message.
    Eof,
    Head(Head),
    TooLarge,
    Malformed,
}

pub fn read_head(r: &mut impl BufRead) -> io::Result<ReadHead> {
    let mut total = 0;
    let mut first: Option<String> = None;
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = r
            .by_ref()
            .take(MAX_HEAD + 1 - total)
            .read_until(b'\n', &mut line)?;
        total += n as u64;
        if n == 0 {
            return Ok(if first.is_none() {
                ReadHead::Eof
            } else {
                ReadHead::Malformed
            });
        }
        if !line.ends_with(b"\n") {
            // Either the cap cut the line or the peer closed mid-line.
            return Ok(if total > MAX_HEAD {
                ReadHead::TooLarge
            } else {
                ReadHead::Malformed
            });
        }
        line.pop();
        if line.ends_with(b"\r") {
            line.pop();
        }
        match &first {
            // Blank lines before a request line are allowed (RFC 9112 2.2).
            None if line.is_empty() => {}
            None => match String::from_utf8(line) {
                Ok(s) => first = Some(s),
                Err(_) => return Ok(ReadHead::Malformed),
            },
            Some(_) if line.is_empty() => {
                let first = first.unwrap_or_default();
                return Ok(ReadHead::Head(Head { first, lines }));
            }
            Some(_) => {
                // Folded lines (leading whitespace) are obsolete and a smuggling risk.
                if line[0] == b' ' || line[0] == b'\t' || !line.contains(&b':') {
                    return Ok(ReadHead::Malformed);
                }
                lines.push(line);
            }
        }
    }
}

fn split(line: &[u8]) -> (&[u8], &[u8]) {
    let colon = line.iter().position(|&b| b == b':').unwrap_or(line.len());
    let value = line.get(colon + 1..).unwrap_or_default();
    (line[..colon].trim_ascii(), value.trim_ascii())
}

impl Head {
    /// All values of header `name`, joined with ", " as a list header would be.
    pub fn get(&self, name: &str) -> Option<String> {
        let values: Vec<_> = self
            .lines
            .iter()
            .map(|l| split(l))
            .filter(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// Whether the comma-separated header `name` lists `token` (case-insensitive).
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    }

    /// The head as bytes to send on, without the headers named in `drop`, plus `extra`.
    pub fn encode(&self, drop: &[&str], extra: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(self.first.as_bytes());
        out.extend_from_slice(b"\r\n");
        for line in &self.lines {
            let (name, _) = split(line);
            if !drop.iter().any(|d| name.eq_ignore_ascii_case(d.as_bytes())) {
                out.extend_from_slice(line);
                out.extend_from_slice(b"\r\n");
            }
        }
        for (name, value) in extra {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out
    }

    /// The status code of a response head.
    pub fn status(&self) -> Option<u16> {
        self.first.split(' ').nth(1)?.parse().ok()
    }
}

/// How the body after a head ends.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum BodyLen {
    Empty,
    Fixed(u64),
    Chunked,
    /// Only the sender closing the connection ends it (responses only).
    UntilClose,
}

/// The body length of a request; `None` for a contradictory or invalid Content-Length.
pub fn request_body(head: &Head) -> Option<BodyLen> {
    if head.get("transfer-encoding").is_some() {
        return Some(BodyLen::Chunked);
    }
    content_length(head).map(|n| n.map_or(BodyLen::Empty, BodyLen::Fixed))
}

/// The body length of a response to a `method` request (RFC 9112 6.3).
pub fn response_body(method: &str, head: &Head) -> BodyLen {
    let status = head.status().unwrap_or(0);
    if method == "HEAD" || status == 204 || status == 304 || (100..200).contains(&status) {
        return BodyLen::Empty;
    }
    if head.has_token("transfer-encoding", "chunked") {
        return BodyLen::Chunked;
    }
    match content_length(head) {
        Some(Some(n)) => BodyLen::Fixed(n),
        _ => BodyLen::UntilClose,
    }
}

/// `Some(None)` when absent, `None` when invalid or repeated with different values.
fn content_length(head: &Head) -> Option<Option<u64>> {
    let Some(v) = head.get("content-length") else {
        return Some(None);
    };
    let mut values = v.split(',').map(|s| s.trim().parse::<u64>());
    let n = values.next()?.ok()?;
    values.all(|m| m.ok() == Some(n)).then_some(Some(n))
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page shown instead of the app: names the stage that failed and shows its output.
/// `script` is added as it is (the live-reload script, or nothing).
pub fn error_response(status: &str, stage: &str, detail: &str, script: &str) -> Vec<u8> {
    let body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>reload-doctor: {stage}</title></head>\n\
         <body style=\"font-family:sans-serif;margin:2em\">\n<h1>reload-doctor: {stage}</h1>\n\
         <pre style=\"background:#f6f6f6;padding:1em;white-space:pre-wrap\">{detail}</pre>\n\
         <p>This page comes from the reload-doctor proxy, not from your app.</p>\n{script}</body></html>\n",
        stage = html_escape(stage),
        detail = html_escape(detail),
    );
    // A header value must be one line of visible characters.
    let header: String = stage
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { ' ' })
        .collect();
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         X-Reload-Doctor: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len(),
        header.trim(),
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}
