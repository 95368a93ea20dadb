//! Optional browser live reload: HTML pages get a small script that listens on an
//! event stream the proxy itself serves, and reloads the page once a newer app is serving.

use super::Shared;
use std::io::{self, Write};
use std::time::Duration;

/// Served by the proxy, never forwarded to the app.
pub const EVENTS_PATH: &str = "/__reload-doctor/events";

/// HTML pages bigger than this are passed on without the script.
pub const MAX_HTML: u64 = 8 << 20;

/// The script for a page served by app generation `generation`.
pub fn script(generation: u64) -> String {
    format!(
        "<script>/* reload-doctor live reload */new EventSource(\"{EVENTS_PATH}\")\
         .onmessage=function(e){{if(e.data!==\"{generation}\")location.reload()}};</script>"
    )
}

/// `html` with the script before its last `</body>`, or at the end without one.
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = script(generation);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    [&html[..at], script.as_bytes(), &html[at..]].concat()
}

/// Answers the events request: the current generation at once, then each new one.
/// Comments every 15 s notice a closed tab (the write fails) and end the thread.
pub fn serve_events(out: &mut impl Write, shared: &Shared) -> io::Result<()> {
    let gate = &shared.gate;
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          Connection: close\r\n\r\nretry: 500\n\n",
    )?;
    let mut seen = gate.generation();
    out.write_all(format!("data: {seen}\n\n").as_bytes())?;
    while !shared.stopping() {
        let now = gate.wait_generation(seen, Duration::from_secs(15), &shared.stop);
        if now == seen {
            out.write_all(b": still here\n\n")?;
        } else {
            seen = now;
            out.write_all(format!("data: {seen}\n\n").as_bytes())?;
        }
    }
    Ok(())
}

/// The payload of a complete chunked body (trailers dropped); `None` when malformed.
pub fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = body.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&body[..eol]).ok()?;
        let size = size.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        body = &body[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?.strip_prefix(b"\r\n")?;
    }
}
