//! One client connection: its requests read, forwarded to the app on a fresh connection
//! each, held and sent again while the app restarts, and the answers (or the error page)
//! written back.

use super::http::{self, BodyLen, Head, ReadHead};
use super::live_reload;
use super::{AppState, Counted, Shared, MAX_BUFFERED_BODY, RESTART_NOTICE, RETRY_EVERY};
use reload_doctor_checks as checks;
use std::io::{self, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::Ordering::SeqCst;
use std::thread;
use std::time::{Duration, Instant};

/// Why a request could not be answered by the app.
enum Failure {
    /// Nothing has reached the client yet: show it the error page.
    Page { stage: String, detail: String },
    /// The app closed the connection before a single response byte (e.g. it was killed for a
    /// restart, or exited without draining), when the generation it was connected in.
    NoResponse(io::Error, u64),
    /// The response broke off after it started; all that is left is closing the connection.
    Broken,
}

struct Request {
    head: Head,
    method: String,
    keep_alive: bool,
    body: BodyLen,
    upgrade: bool,
}

impl Request {
    /// The head to send to the app: hop-by-hop headers replaced, forwarding headers added.
    fn upstream_head(&self, peer: &str) -> Vec<u8> {
        let xff = match self.head.get("x-forwarded-for") {
            Some(earlier) => format!("{earlier}, {peer}"),
            None => peer.to_string(),
        };
        let connection = if self.upgrade { "Upgrade" } else { "close" };
        let mut drop = vec![
            "connection",
            "keep-alive",
            "proxy-connection",
            "expect",
            "x-forwarded-for",
            "x-forwarded-proto",
        ];
        if !self.upgrade {
            drop.push("upgrade");
        }
        let extra = [
            ("X-Forwarded-For", xff.as_str()),
            ("X-Forwarded-Proto", "http"),
            ("Connection", connection),
        ];
        self.head.encode(&drop, &extra)
    }

    fn idempotent(&self) -> bool {
        matches!(
            self.method.as_str(),
            "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE"
        )
    }
}

enum Body {
    Buffered(Vec<u8>),
    /// Too big to keep: copied from the client while sending, so it cannot be resent.
    Streamed(u64),
}

pub(super) struct Client<'a> {
    pub r: BufReader<TcpStream>,
    pub w: TcpStream,
    pub peer: String,
    pub shared: &'a Shared,
}

impl Client<'_> {
    /// Handles one request; true when the connection stays open for another.
    pub(super) fn one_request(&mut self) -> io::Result<bool> {
        let head = match http::read_head(&mut self.r)? {
            ReadHead::Eof => return Ok(false),
            ReadHead::TooLarge => return self.plain(431, "Request Header Fields Too Large"),
            ReadHead::Malformed => return self.plain(400, "Bad Request"),
            ReadHead::Head(h) => h,
        };
        let mut words = head.first.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return self.plain(400, "Bad Request");
        };
        if self.shared.live_reload && target == live_reload::EVENTS_PATH {
            live_reload::serve_events(&mut self.w, self.shared)?;
            return Ok(false);
        }
        let Some(body) = http::request_body(&head) else {
            return self.plain(400, "Bad Request");
        };
        let keep_alive = match version {
            "HTTP/1.1" => !head.has_token("connection", "close"),
            _ => head.has_token("connection", "keep-alive"),
        };
        let req = Request {
            method: method.to_string(),
            keep_alive,
            body,
            upgrade: head.get("upgrade").is_some() && head.has_token("connection", "upgrade"),
            head,
        };
        if req.upgrade || req.body == BodyLen::Chunked {
            self.tunnel(&req)?;
            return Ok(false);
        }
        if req.head.has_token("expect", "100-continue") {
            // Answered here: the body must be read before the app may even be up.
            self.w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        let body = match req.body {
            BodyLen::Fixed(n) if n > MAX_BUFFERED_BODY => Body::Streamed(n),
            BodyLen::Fixed(n) => {
                let mut buf = Vec::with_capacity(n as usize);
                (&mut self.r).take(n).read_to_end(&mut buf)?;
                if buf.len() as u64 != n {
                    return Ok(false);
                }
                Body::Buffered(buf)
            }
            _ => Body::Buffered(Vec::new()),
        };
        // The rule for a request the app dropped before a single response byte: with its body
        // buffered (so it can be sent again), it is held while the app restarts (the runner
        // says so, or the app exited) and sent to the new process, whatever the method. If
        // the same process stays up, it dropped the request itself: an idempotent one is sent
        // again at once, another gets the 502 page (it may have acted on it).
        let buffered = matches!(body, Body::Buffered(_));
        let mut attempts = 0;
        loop {
            let deadline = Instant::now() + self.shared.hold;
            let failure = match self.connect(deadline) {
                Ok((up, gen)) => match self.exchange(&req, &body, up, gen) {
                    Ok(keep) => return Ok(keep),
                    Err(f) => f,
                },
                Err(f) => f,
            };
            let resend = |gen: u64| {
                let gate = &self.shared.gate;
                buffered
                    && attempts < 3
                    && !self.shared.stopping()
                    && (req.idempotent() || gate.wait_moved(gen, RESTART_NOTICE, &self.shared.stop))
            };
            match failure {
                Failure::NoResponse(_, gen) if resend(gen) => {
                    attempts += 1;
                }
                Failure::NoResponse(e, _) => {
                    let detail = format!("the app closed the connection without answering: {e}");
                    return self.page("no response", &detail);
                }
                Failure::Page { stage, detail } => return self.page(&stage, &detail),
                Failure::Broken => return Ok(false),
            }
        }
    }

    /// A connection to the app once it is serving, retrying while it does not accept yet,
    /// with the generation it was made in.
    fn connect(&self, deadline: Instant) -> Result<(TcpStream, u64), Failure> {
        let shared = self.shared;
        loop {
            let state = shared.gate.wait_settled(deadline, &shared.stop);
            match &state {
                AppState::Failed { stage, detail } => {
                    return Err(Failure::Page {
                        stage: stage.clone(),
                        detail: detail.clone(),
                    })
                }
                AppState::Serving => {
                    let gen = shared.gate.generation();
                    let port = shared.app_port.load(SeqCst);
                    for ip in [
                        IpAddr::from(Ipv4Addr::LOCALHOST),
                        Ipv6Addr::LOCALHOST.into(),
                    ] {
                        let addr = SocketAddr::from((ip, port));
                        if let Ok(up) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
                            return Ok((up, gen));
                        }
                    }
                }
                _ => {}
            }
            if Instant::now() >= deadline || shared.stopping() {
                let detail = format!(
                    "the app did not accept connections on port {} within {} (app state: {})",
                    shared.app_port.load(SeqCst),
                    checks::text::span(shared.hold),
                    state.label(),
                );
                return Err(Failure::Page {
                    stage: "timeout".into(),
                    detail,
                });
            }
            thread::sleep(RETRY_EVERY);
        }
    }

    /// Sends the request on `up` and streams the response back; true to keep the client.
    fn exchange(
        &mut self,
        req: &Request,
        body: &Body,
        up: TcpStream,
        gen: u64,
    ) -> Result<bool, Failure> {
        let _tracked = self.shared.track(&up).map_err(|_| Failure::Broken)?;
        let _ = up.set_nodelay(true);
        let mut out = req.upstream_head(&self.peer);
        if let Body::Buffered(b) = body {
            out.extend_from_slice(b);
        }
        let dropped = |e| Failure::NoResponse(e, gen);
        (&up).write_all(&out).map_err(dropped)?;
        if let Body::Streamed(n) = body {
            io::copy(&mut (&mut self.r).take(*n), &mut &up).map_err(dropped)?;
        }
        let mut ur = BufReader::new(Counted { inner: &up, n: 0 });
        let mut first = true;
        let head = loop {
            let head = match http::read_head(&mut ur) {
                Ok(ReadHead::Head(h)) => h,
                // Nothing at all came back: the request may be sent again.
                Ok(ReadHead::Eof) if first && ur.get_ref().n == 0 => {
                    let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed");
                    return Err(dropped(eof));
                }
                Err(e) if first && ur.get_ref().n == 0 => return Err(dropped(e)),
                Ok(ReadHead::Eof) | Err(_) if first => {
                    let detail = "the app closed the connection in the middle of its response head"
                        .to_string();
                    return Err(Failure::Page {
                        stage: "bad response".into(),
                        detail,
                    });
                }
                // After a 1xx the client has bytes already: nothing can be sent again.
                Ok(ReadHead::Eof) | Err(_) => return Err(Failure::Broken),
                Ok(_) => {
                    let detail = "the app sent a malformed response head".to_string();
                    return Err(Failure::Page {
                        stage: "bad response".into(),
                        detail,
                    });
                }
            };
            // Interim responses (103 Early Hints) go to the client as they are.
            match head.status() {
                Some(s) if (100..200).contains(&s) && s != 101 => {
                    first = false;
                    self.w
                        .write_all(&head.encode(&[], &[]))
                        .map_err(|_| Failure::Broken)?
                }
                _ => break head,
            }
        };
        let len = http::response_body(&req.method, &head);
        if self.shared.live_reload && is_plain_html(&head) && len != BodyLen::Empty {
            return self.send_with_script(req, &head, len, &mut ur);
        }
        let keep = req.keep_alive && len != BodyLen::UntilClose && head.status() != Some(101);
        let connection = if keep { "keep-alive" } else { "close" };
        let out = head.encode(&["connection", "keep-alive"], &[("Connection", connection)]);
        self.w.write_all(&out).map_err(|_| Failure::Broken)?;
        let complete = match len {
            BodyLen::Empty => true,
            BodyLen::Fixed(n) => io::copy(&mut (&mut ur).take(n), &mut self.w).ok() == Some(n),
            BodyLen::Chunked => copy_chunked(&mut ur, &mut self.w),
            BodyLen::UntilClose => {
                let _ = io::copy(&mut ur, &mut self.w);
                false
            }
        };
        Ok(keep && complete)
    }

    /// Sends an HTML response with the live-reload script added (and a new length).
    fn send_with_script(
        &mut self,
        req: &Request,
        head: &Head,
        len: BodyLen,
        from_app: &mut impl Read,
    ) -> Result<bool, Failure> {
        let limit = match len {
            BodyLen::Fixed(n) => n.min(live_reload::MAX_HTML + 1),
            _ => live_reload::MAX_HTML + 1,
        };
        let mut raw = Vec::new();
        (&mut *from_app)
            .take(limit)
            .read_to_end(&mut raw)
            .map_err(|_| Failure::Broken)?;
        let fits = raw.len() as u64 <= live_reload::MAX_HTML;
        let html = match len {
            BodyLen::Fixed(n) if fits && raw.len() as u64 == n => Some(std::mem::take(&mut raw)),
            BodyLen::Chunked if fits => live_reload::dechunk(&raw),
            BodyLen::UntilClose if fits => Some(std::mem::take(&mut raw)),
            _ => None,
        };
        let Some(html) = html else {
            // Too big, cut off or malformed: pass on what came as it is, then close.
            let out = head.encode(&["connection", "keep-alive"], &[("Connection", "close")]);
            let _ = self.w.write_all(&out).and_then(|_| self.w.write_all(&raw));
            let _ = io::copy(from_app, &mut self.w);
            return Ok(false);
        };
        let body = live_reload::inject(&html, self.shared.gate.generation());
        let connection = if req.keep_alive {
            "keep-alive"
        } else {
            "close"
        };
        let drop = [
            "connection",
            "keep-alive",
            "content-length",
            "transfer-encoding",
        ];
        let length = body.len().to_string();
        let mut out = head.encode(
            &drop,
            &[("Content-Length", &length), ("Connection", connection)],
        );
        out.extend_from_slice(&body);
        self.w.write_all(&out).map_err(|_| Failure::Broken)?;
        Ok(req.keep_alive)
    }

    /// Upgrades (WebSocket) and chunked uploads: forwards the head, then copies raw bytes
    /// both ways until one side closes.
    fn tunnel(&mut self, req: &Request) -> io::Result<()> {
        let up = match self.connect(Instant::now() + self.shared.hold) {
            Ok((up, _)) => up,
            Err(Failure::Page { stage, detail }) => return self.page(&stage, &detail).map(|_| ()),
            Err(_) => return Ok(()),
        };
        let _tracked = self.shared.track(&up)?;
        (&up).write_all(&req.upstream_head(&self.peer))?;
        let mut to_client = self.w.try_clone()?;
        let mut from_app = up.try_clone()?;
        let back = thread::spawn(move || {
            let _ = io::copy(&mut from_app, &mut to_client);
            // The app is done: end the client's side too, which ends the copy below.
            let _ = to_client.shutdown(Shutdown::Both);
            let _ = from_app.shutdown(Shutdown::Both);
        });
        let _ = io::copy(&mut self.r, &mut &up);
        let _ = up.shutdown(Shutdown::Write);
        let _ = back.join();
        Ok(())
    }

    fn page(&mut self, stage: &str, detail: &str) -> io::Result<bool> {
        let script = match self.shared.live_reload {
            true => live_reload::script(self.shared.gate.generation()),
            false => String::new(),
        };
        let page = http::error_response("502 Bad Gateway", stage, detail, &script);
        self.w.write_all(&page)?;
        Ok(false)
    }

    fn plain(&mut self, status: u16, reason: &str) -> io::Result<bool> {
        let msg = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{reason}\n",
            reason.len() + 1
        );
        self.w.write_all(msg.as_bytes())?;
        Ok(false)
    }
}

/// Uncompressed HTML, which the live-reload script can be added to.
fn is_plain_html(head: &Head) -> bool {
    let html = head.get("content-type").is_some_and(|t| {
        let t = t.trim_start().as_bytes();
        t.len() >= 9 && t[..9].eq_ignore_ascii_case(b"text/html")
    });
    let identity = match head.get("content-encoding") {
        Some(e) => e.eq_ignore_ascii_case("identity"),
        None => true,
    };
    html && identity
}

/// Copies a chunked body until the app closes (it was asked to); true when it ended with
/// the last chunk, so the client connection can carry another request.
fn copy_chunked(from: &mut impl Read, to: &mut impl Write) -> bool {
    let mut buf = [0; 16 * 1024];
    let mut tail = Vec::with_capacity(8);
    loop {
        match from.read(&mut buf) {
            Ok(0) => return tail.ends_with(b"0\r\n\r\n"),
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    return false;
                }
                tail.extend_from_slice(&buf[..n]);
                let cut = tail.len().saturating_sub(5);
                tail.drain(..cut);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}
