//! Fuzzing the proxy's HTTP parsing: request and response heads and chunked bodies come from
//! a browser or the app, so no bytes may panic the proxy. The engine is `fuzz/engine.rs`;
//! `FUZZ_CASES` sets the executions (`bench/fuzz.sh` runs 1,000,000).

#[path = "../../../fuzz/engine.rs"]
mod engine;

use super::http::{self, ReadHead};
use super::live_reload;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;

const DICT: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\n",
    b"POST /api HTTP/1.1\r\n",
    b"HEAD / HTTP/1.0\r\n",
    b"HTTP/1.1 200 OK\r\n",
    b"HTTP/1.1 204 No Content\r\n",
    b"HTTP/1.1 101 Switching Protocols\r\n",
    b"Host: localhost\r\n",
    b"Content-Length: ",
    b"content-length:",
    b"Transfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: gzip, chunked\r\n",
    b"Connection: keep-alive, Upgrade\r\n",
    b"Upgrade: websocket\r\n",
    b"Content-Type: text/html; charset=utf-8\r\n",
    b"Content-Encoding: gzip\r\n",
    b"\r\n",
    b"\r\n\r\n",
    b" \t",
    b"0\r\n\r\n",
    b"ffffffffffffffff\r\n",
    b"5;ext=1\r\n",
    b"</body>",
    b"</BODY>",
    b":",
];

fn seeds() -> Vec<Vec<u8>> {
    [
        &b"GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n"[..],
        b"POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        b"PUT /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n<html>\n\r\n7;x=y\r\n</body>\r\n0\r\nTrailer: 1\r\n\r\n",
        b"HTTP/1.0 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
        b"\r\n\r\nGET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect()
}

/// Everything the proxy does with bytes from a peer: read a head (through a small buffer,
/// so lines straddle refills), look at its headers, re-encode it, and take a body apart.
fn exec(bytes: &[u8]) {
    let mut r = BufReader::with_capacity(7, Cursor::new(bytes));
    let Ok(ReadHead::Head(head)) = http::read_head(&mut r) else {
        return;
    };
    let _ = (head.get("host"), head.status());
    let _ = head.has_token("connection", "upgrade");
    let _ = head.encode(&["connection", "keep-alive"], &[("Connection", "close")]);
    let _ = http::request_body(&head);
    for method in ["GET", "HEAD", "POST"] {
        let _ = http::response_body(method, &head);
    }
    let mut rest = vec![];
    let _ = r.read_to_end(&mut rest);
    if let Some(body) = live_reload::dechunk(&rest) {
        let _ = live_reload::inject(&body, 1);
    }
    let _ = live_reload::inject(&rest, u64::MAX);
}

#[test]
fn http_head() {
    let repo = &Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = engine::Target {
        name: "http_head",
        seeds: seeds(),
        dict: DICT,
        max_len: 4096,
    };
    let stats = engine::run(repo, target, engine::cases(2_000), exec);
    println!("FUZZ {}", stats.line());
    assert_eq!(
        stats.panics,
        0,
        "first panic: {}; inputs written to {:?}",
        stats.first_panic.unwrap_or_default(),
        stats.crashes
    );
}

/// The bodies the proxy takes apart (an app's HTML, chunked or not) are as long as the app
/// makes them: ten times the chunks or `</body>` tags must cost about ten times the work.
#[test]
fn http_body_work_grows_linearly() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n";
    let families: [(&str, &[u8]); 2] = [
        ("chunks", b"1\r\nx\r\n"),
        ("body tags", b"8\r\n</body>\r\n"),
    ];
    for (name, unit) in families {
        let make = |n| [&head[..], &unit.repeat(n), b"0\r\n\r\n"].concat();
        let g = engine::growth(make, 5_000, exec);
        println!("LINEAR http_head {name:<16} x10 input: x{g:.1} work");
        assert!(
            g < 25.0,
            "{name}: ten times the input took x{g:.0} the work"
        );
    }
}
