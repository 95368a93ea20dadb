//! The proxy against real upstream apps on loopback sockets, with raw HTTP clients.

use super::*;
use http::{BodyLen, Head, ReadHead};
use std::collections::BTreeSet;
use std::io::BufRead;
use std::io::Write;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc;

/// No test waits longer than this on a socket.
const T: Duration = Duration::from_secs(10);

struct Resp {
    status: u16,
    head: Head,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> String {
        self.head.get(name).unwrap_or_default()
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn read_response(r: &mut impl BufRead) -> io::Result<Resp> {
    let ReadHead::Head(head) = http::read_head(r)? else {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "no response head",
        ));
    };
    let mut body = Vec::new();
    match http::response_body("GET", &head) {
        BodyLen::Fixed(n) => {
            body.resize(n as usize, 0);
            r.read_exact(&mut body)?;
        }
        BodyLen::UntilClose => {
            r.read_to_end(&mut body)?;
        }
        BodyLen::Empty => {}
        BodyLen::Chunked => panic!("these tests' apps never send chunked responses"),
    }
    let status = head.status().unwrap_or(0);
    Ok(Resp { status, head, body })
}

fn connect(port: u16) -> (BufReader<TcpStream>, TcpStream) {
    let s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect to proxy");
    s.set_read_timeout(Some(T)).unwrap();
    (BufReader::new(s.try_clone().unwrap()), s)
}

/// One request on a fresh connection.
fn send(port: u16, raw: &str) -> Resp {
    let (mut r, mut w) = connect(port);
    w.write_all(raw.as_bytes()).unwrap();
    read_response(&mut r).expect("response")
}

fn ok_response(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

type Handler = dyn Fn(Head, BufReader<TcpStream>, TcpStream) + Send + Sync;

/// A real upstream app on 127.0.0.1: reads each connection's request head and hands it,
/// with the connection, to `handler` on its own thread. Stops and joins on drop.
struct App {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl App {
    fn start(
        port: u16,
        handler: impl Fn(Head, BufReader<TcpStream>, TcpStream) + Send + Sync + 'static,
    ) -> App {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).expect("bind app");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let stopped = stop.clone();
        let thread = thread::spawn(move || {
            let mut conns = Vec::new();
            for s in listener.incoming() {
                if stopped.load(SeqCst) {
                    break;
                }
                let s = s.unwrap();
                let handler = handler.clone();
                conns.push(thread::spawn(move || {
                    s.set_read_timeout(Some(T)).unwrap();
                    let mut r = BufReader::new(s.try_clone().unwrap());
                    if let Ok(ReadHead::Head(head)) = http::read_head(&mut r) {
                        handler(head, r, s);
                    }
                }));
            }
            for c in conns {
                c.join().unwrap();
            }
        });
        App {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop.store(true, SeqCst);
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

fn serving() -> Arc<Gate> {
    let gate = Gate::new();
    gate.set(AppState::Serving);
    gate
}

/// A port nothing listens on (free a moment ago).
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn passes_get_and_post_through_on_one_keep_alive_connection() {
    let app = App::start(0, |req, mut r, mut w| {
        let mut body = String::new();
        if let Some(BodyLen::Fixed(n)) = http::request_body(&req) {
            (&mut r).take(n).read_to_string(&mut body).unwrap();
        }
        let seen = format!(
            "{} host={} xff={} proto={} conn={} body={body}",
            req.first,
            req.get("host").unwrap_or_default(),
            req.get("x-forwarded-for").unwrap_or_default(),
            req.get("x-forwarded-proto").unwrap_or_default(),
            req.get("connection").unwrap_or_default(),
        );
        let resp = format!(
            "HTTP/1.1 201 Created\r\nX-App: yes\r\nContent-Length: {}\r\n\r\n{seen}",
            seen.len()
        );
        w.write_all(resp.as_bytes()).unwrap();
    });
    let proxy = Proxy::start(0, app.port, serving(), Duration::from_secs(5), false).unwrap();
    let (mut r, mut w) = connect(proxy.port());

    w.write_all(b"GET /a?x=1 HTTP/1.1\r\nHost: example.test:3000\r\n\r\n")
        .unwrap();
    let get = read_response(&mut r).unwrap();
    assert_eq!(get.status, 201);
    assert_eq!(get.header("x-app"), "yes");
    assert_eq!(get.header("connection"), "keep-alive");
    assert_eq!(
        get.text(),
        "GET /a?x=1 HTTP/1.1 host=example.test:3000 xff=127.0.0.1 proto=http conn=close body="
    );

    // Same client connection: the proxy kept it open.
    w.write_all(b"POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello=world")
        .unwrap();
    let post = read_response(&mut r).unwrap();
    assert_eq!(post.status, 201);
    assert_eq!(
        post.text(),
        "POST /b HTTP/1.1 host=h xff=127.0.0.1 proto=http conn=close body=hello=world"
    );
}

#[test]
fn holds_a_request_while_restarting_until_the_app_serves() {
    let gate = Gate::new();
    gate.set(AppState::Restarting);
    let port = free_port();
    let proxy = Proxy::start(0, port, gate.clone(), Duration::from_secs(5), false).unwrap();
    let started = Instant::now();
    let client = thread::spawn({
        let p = proxy.port();
        move || send(p, "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
    });
    thread::sleep(Duration::from_millis(300));
    let _app = App::start(port, |_, _, mut w| {
        w.write_all(ok_response("new").as_bytes()).unwrap()
    });
    gate.set(AppState::Serving);
    let resp = client.join().unwrap();
    assert_eq!((resp.status, resp.text().as_str()), (200, "new"));
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn failed_gate_shows_502_page_with_stage_and_escaped_build_error() {
    let gate = Gate::new();
    let detail = "./main.go:12:9: cannot use <nil> as \"string\" value & more".to_string();
    gate.set(AppState::Failed {
        stage: "build failed".into(),
        detail,
    });
    let proxy = Proxy::start(0, free_port(), gate, Duration::from_secs(30), false).unwrap();
    let started = Instant::now();
    let resp = send(proxy.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a failed app is reported at once"
    );
    assert_eq!(resp.status, 502);
    assert_eq!(resp.header("x-reload-doctor"), "build failed");
    assert!(resp.header("content-type").starts_with("text/html"));
    let page = resp.text();
    assert!(
        page.contains("<h1>reload-doctor: build failed</h1>"),
        "{page}"
    );
    assert!(
        page.contains("cannot use &lt;nil&gt; as &quot;string&quot; value &amp; more"),
        "{page}"
    );
    assert!(!page.contains("<nil>"));
}

#[test]
fn hold_timeout_names_the_timeout_and_the_app_state() {
    let hold = Duration::from_millis(300);
    for (state, label) in [
        (AppState::Restarting, "restarting"),
        (AppState::Serving, "serving"),
    ] {
        let gate = Gate::new();
        gate.set(state);
        // Nothing listens on the app port, so even "serving" never accepts.
        let app_port = free_port();
        let proxy = Proxy::start(0, app_port, gate, hold, false).unwrap();
        let started = Instant::now();
        let resp = send(proxy.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        assert!(started.elapsed() >= hold);
        assert_eq!(resp.status, 502);
        assert_eq!(resp.header("x-reload-doctor"), "timeout");
        let want = format!(
            "the app did not accept connections on port {app_port} within 300 ms (app state: {label})"
        );
        assert!(resp.text().contains(&want), "{}", resp.text());
    }
}

#[test]
fn sse_events_reach_the_client_while_the_app_is_still_sending() {
    let (seen_tx, seen_rx) = mpsc::channel::<()>();
    let seen_rx = Mutex::new(seen_rx);
    let app = App::start(0, move |_, _, mut w| {
        w.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: one\n\n")
            .unwrap();
        // The second event is only sent once the client has the first: a proxy that
        // buffered until the app finished would make the client time out here.
        seen_rx
            .lock()
            .unwrap()
            .recv_timeout(T)
            .expect("client never saw the first event");
        w.write_all(b"data: two\n\n").unwrap();
    });
    let proxy = Proxy::start(0, app.port, serving(), Duration::from_secs(5), false).unwrap();
    let (mut r, mut w) = connect(proxy.port());
    w.write_all(b"GET /events HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n")
        .unwrap();
    let ReadHead::Head(head) = http::read_head(&mut r).unwrap() else {
        panic!("no head")
    };
    assert_eq!(head.status(), Some(200));
    assert_eq!(
        head.get("connection").as_deref(),
        Some("close"),
        "no length: ends at close"
    );
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    assert_eq!(line, "data: one\n");
    seen_tx.send(()).unwrap();
    let mut rest = String::new();
    r.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "\ndata: two\n\n");
}

#[test]
fn upgrade_passes_bytes_both_ways() {
    let app = App::start(0, |req, mut r, mut w| {
        assert_eq!(req.get("upgrade").as_deref(), Some("websocket"));
        assert_eq!(req.get("connection").as_deref(), Some("Upgrade"));
        w.write_all(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            .unwrap();
        // Echo until the client closes.
        let mut buf = [0; 64];
        loop {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => w.write_all(&buf[..n]).unwrap(),
            }
        }
    });
    let proxy = Proxy::start(0, app.port, serving(), Duration::from_secs(5), false).unwrap();
    let (mut r, mut w) = connect(proxy.port());
    w.write_all(
        b"GET /ws HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    )
    .unwrap();
    let ReadHead::Head(head) = http::read_head(&mut r).unwrap() else {
        panic!("no head")
    };
    assert_eq!(head.status(), Some(101));
    for msg in ["ping", "second message"] {
        w.write_all(msg.as_bytes()).unwrap();
        let mut echo = vec![0; msg.len()];
        r.read_exact(&mut echo).unwrap();
        assert_eq!(echo, msg.as_bytes());
    }
    w.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    r.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
}

#[test]
fn resends_a_get_the_old_app_dropped_but_not_a_post() {
    let conns = Arc::new(AtomicUsize::new(0));
    let counted = conns.clone();
    // Every other connection is dropped unanswered by an app that stays up (the gate says
    // serving throughout): it may have acted on the POST, so that is not sent twice.
    let app = App::start(0, move |_, _, mut w| {
        if counted.fetch_add(1, SeqCst) % 2 == 1 {
            w.write_all(ok_response("second try").as_bytes()).unwrap();
        }
    });
    let proxy = Proxy::start(0, app.port, serving(), Duration::from_secs(5), false).unwrap();

    let get = send(proxy.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!((get.status, get.text().as_str()), (200, "second try"));
    assert_eq!(conns.load(SeqCst), 2);

    let post = send(
        proxy.port(),
        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx",
    );
    assert_eq!(post.status, 502);
    assert_eq!(post.header("x-reload-doctor"), "no response");
    assert_eq!(conns.load(SeqCst), 3, "a POST is never sent twice");
}

/// An app process on 127.0.0.1:`port` (python3): it reads each request with its body and,
/// as `answer`, replies 200 with the method and body; as `hang`, prints `got METHOD BODY` and
/// never answers (the test then kills it: an app that dies without draining).
fn python_app(port: u16, mode: &str) -> Killed {
    const APP: &str = r#"
import socket, sys, time
port, mode = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(64)
print("listening", flush=True)
while True:
    c, _ = s.accept()
    f = c.makefile("rb")
    head = f.readline()
    n = 0
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            n = int(line.split(b":")[1])
    body = f.read(n)
    said = head.split(b" ")[0] + b" " + body
    if mode == "hang":
        print("got " + said.decode(), flush=True)
        time.sleep(600)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(said) + said)
    c.close()
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", APP, &port.to_string(), mode])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start python3");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "listening\n");
    Killed(child)
}

/// A child process killed and reaped when dropped, also when the test fails.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The old app dies (SIGKILL, nothing drained) while it holds a POST and a PUT it has read
/// but not answered, as a restart does: both are held and sent to the new app, body and all,
/// once it is up. Before, the POST got 502 "no response".
#[test]
fn a_request_the_dying_app_never_answered_is_sent_to_the_new_one_whatever_its_method() {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    let port = free_port();
    let gate = serving();
    let proxy = Proxy::start(0, port, gate.clone(), Duration::from_secs(10), false).unwrap();
    let mut old = python_app(port, "hang");
    let mut got = BufReader::new(old.0.stdout.take().unwrap());
    let clients: Vec<_> = ["POST", "PUT"]
        .into_iter()
        .map(|method| {
            let p = proxy.port();
            thread::spawn(move || {
                let raw = format!(
                    "{method} /orders HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                );
                send(p, &raw)
            })
        })
        .collect();
    // The old app read one request (it handles one at a time): it dies mid-request.
    let mut line = String::new();
    got.read_line(&mut line).unwrap();
    assert!(line.ends_with(" hello\n"), "{line}");
    // As the runner: restarting, the old process killed, a new one, serving.
    gate.set(AppState::Restarting);
    kill(Pid::from_raw(old.0.id() as i32), Signal::SIGKILL).unwrap();
    old.0.wait().unwrap();
    thread::sleep(Duration::from_millis(200));
    let _new = python_app(port, "answer");
    gate.set(AppState::Serving);
    let mut answers: Vec<(u16, String)> = clients
        .into_iter()
        .map(|c| {
            let r = c.join().unwrap();
            (r.status, r.text())
        })
        .collect();
    answers.sort();
    assert_eq!(
        answers,
        [
            (200, "POST hello".to_string()),
            (200, "PUT hello".to_string())
        ]
    );
}

#[test]
fn oversized_or_malformed_heads_are_refused() {
    let proxy = Proxy::start(0, free_port(), serving(), Duration::from_secs(5), false).unwrap();
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(70 * 1024));
    assert_eq!(send(proxy.port(), &huge).status, 431);
    assert_eq!(send(proxy.port(), "GET /\r\n\r\n").status, 400);
    let two_lengths = "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx";
    assert_eq!(send(proxy.port(), two_lengths).status, 400);
}

#[test]
fn stopping_closes_idle_and_held_connections_and_joins_promptly() {
    let gate = Gate::new();
    let proxy = Proxy::start(0, free_port(), gate, Duration::from_secs(60), false).unwrap();
    let (mut idle, _idle_w) = connect(proxy.port());
    let (mut held, mut held_w) = connect(proxy.port());
    held_w
        .write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    drop(proxy); // closes every connection and joins every thread
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    for r in [&mut idle, &mut held] {
        let mut rest = Vec::new();
        // EOF (or a reset): either way not the 10 s read timeout.
        let _ = r.read_to_end(&mut rest);
        assert!(rest.is_empty());
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// Serves `GET` with "gen N" until `until()` says stop, then "kills" the generation:
/// the listener closes (connections waiting in its backlog are reset) and connections
/// still being handled are cut without an answer.
fn serve_generation(listener: TcpListener, gen: usize, until: impl Fn() -> bool) {
    listener.set_nonblocking(true).unwrap();
    let mut live = Vec::new();
    let mut handlers = Vec::new();
    while !until() {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(T)).unwrap();
                live.push(s.try_clone().unwrap());
                handlers.push(thread::spawn(move || {
                    let mut r = BufReader::new(s.try_clone().unwrap());
                    if let Ok(ReadHead::Head(_)) = http::read_head(&mut r) {
                        thread::sleep(Duration::from_millis(1));
                        let _ = (&s).write_all(ok_response(&format!("gen {gen}")).as_bytes());
                    }
                }));
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(1))
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
    drop(listener);
    for s in live {
        let _ = s.shutdown(Shutdown::Both);
    }
    for h in handlers {
        h.join().unwrap();
    }
}

fn bind_again(port: u16) -> TcpListener {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            Ok(l) => return l,
            Err(e) if Instant::now() < deadline => {
                eprintln!("rebinding {port}: {e}");
                thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("rebinding {port}: {e}"),
        }
    }
}

#[test]
fn no_request_fails_across_20_reloads_under_steady_load() {
    let gate = Gate::new();
    let first = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let app_port = first.local_addr().unwrap().port();
    let proxy = Proxy::start(0, app_port, gate.clone(), Duration::from_secs(5), false).unwrap();
    let done = Arc::new(AtomicBool::new(false));

    // Two clients reuse one connection (like a browser), two open one per request.
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let (done, port) = (done.clone(), proxy.port());
            thread::spawn(move || {
                let keep_alive = i % 2 == 0;
                let req = if keep_alive {
                    "GET /gen HTTP/1.1\r\nHost: t\r\n\r\n"
                } else {
                    "GET /gen HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                };
                let (mut sent, mut gens, mut failures) = (0, BTreeSet::new(), Vec::new());
                let mut conn = None;
                while !done.load(SeqCst) {
                    let (r, w) = conn.get_or_insert_with(|| connect(port));
                    sent += 1;
                    match w.write_all(req.as_bytes()).and_then(|_| read_response(r)) {
                        Ok(resp) if resp.status == 200 => {
                            gens.insert(resp.text());
                            if resp.header("connection") == "close" {
                                conn = None;
                            }
                        }
                        Ok(resp) => {
                            failures.push(format!("{} {}", resp.status, resp.text()));
                            conn = None;
                        }
                        Err(e) => {
                            failures.push(e.to_string());
                            conn = None;
                        }
                    }
                }
                (sent, gens, failures)
            })
        })
        .collect();

    let mut listener = first;
    for gen in 0..20 {
        gate.set(AppState::Serving);
        let until = Instant::now() + Duration::from_millis(60);
        // Half the reloads kill the app before the runner reports it, half after.
        if gen % 2 == 0 {
            serve_generation(listener, gen, || Instant::now() >= until);
            gate.set(AppState::Restarting);
        } else {
            let restarting = AtomicBool::new(false);
            serve_generation(listener, gen, || {
                let now = Instant::now() >= until;
                if now && !restarting.swap(true, SeqCst) {
                    gate.set(AppState::Restarting);
                }
                now
            });
        }
        thread::sleep(Duration::from_millis(5));
        listener = bind_again(app_port);
    }
    gate.set(AppState::Serving);
    let last = thread::spawn({
        let done = done.clone();
        move || {
            thread::sleep(Duration::from_millis(100));
            done.store(true, SeqCst);
        }
    });
    serve_generation(listener, 20, || {
        done.load(SeqCst) && clients.iter().all(|c| c.is_finished())
    });
    last.join().unwrap();

    for (i, c) in clients.into_iter().enumerate() {
        let (sent, gens, failures) = c.join().unwrap();
        eprintln!("client {i}: {sent} requests, {} generations", gens.len());
        assert!(
            failures.is_empty(),
            "client {i}: {} of {sent} failed: {failures:?}",
            failures.len()
        );
        assert!(gens.len() >= 5, "client {i} saw only {gens:?}");
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A benchmark, not a gate: `bench/proxy-latency.sh` runs it in a release build.
#[test]
#[ignore = "benchmark: run by bench/proxy-latency.sh"]
fn added_latency_per_request_is_small() {
    let app = App::start(0, |_, _, mut w| {
        w.write_all(ok_response("ok").as_bytes()).unwrap()
    });
    let proxy = Proxy::start(0, app.port, serving(), Duration::from_secs(5), false).unwrap();
    let (mut r, mut w) = connect(proxy.port());
    let (mut direct, mut proxied) = (Vec::new(), Vec::new());
    for _ in 0..300 {
        // Direct: a new connection per request, as the proxy itself makes upstream.
        let t = Instant::now();
        let resp = send(app.port, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
        direct.push(t.elapsed());
        assert_eq!(resp.status, 200);
        // Through the proxy on one keep-alive connection, as a browser would.
        let t = Instant::now();
        w.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
        let resp = read_response(&mut r).unwrap();
        proxied.push(t.elapsed());
        assert_eq!(resp.status, 200);
    }
    let (direct, proxied) = (median(direct), median(proxied));
    let added = proxied.saturating_sub(direct);
    eprintln!("median direct {direct:?}, through the proxy {proxied:?}, added {added:?}");
    assert!(
        added < Duration::from_millis(5),
        "the proxy adds {added:?} per request"
    );
}

/// The `stdlib-healthy` fixture, built once into a temporary folder.
fn go_app() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("rd-proxy-")
        .tempdir()
        .unwrap();
    let bin = dir.path().join("app");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/stdlib-healthy");
    let out = std::process::Command::new("go")
        .args(["build", "-buildvcs=false", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(&fixture)
        .output()
        .expect("run go build");
    assert!(
        out.status.success(),
        "go build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, bin)
}

#[test]
fn real_go_app_killed_and_restarted_20_times_loses_no_request() {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    use std::process::{Child, Command, Stdio};

    let (_dir, bin) = go_app();
    let app_port = free_port();
    let spawn = || -> Child {
        Command::new(&bin)
            .env("PORT", app_port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the Go app")
    };
    let gate = Gate::new();
    let proxy = Proxy::start(0, app_port, gate.clone(), Duration::from_secs(5), false).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let (done, served, port) = (done.clone(), served.clone(), proxy.port());
            thread::spawn(move || {
                let mut failures = Vec::new();
                let mut conn = None;
                while !done.load(SeqCst) {
                    let (r, w) = conn.get_or_insert_with(|| connect(port));
                    let req = if i % 2 == 0 {
                        ""
                    } else {
                        "Connection: close\r\n"
                    };
                    let req = format!("GET / HTTP/1.1\r\nHost: t\r\n{req}\r\n");
                    match w.write_all(req.as_bytes()).and_then(|_| read_response(r)) {
                        Ok(resp) if resp.status == 200 && resp.text() == "version v1" => {
                            served.fetch_add(1, SeqCst);
                            if resp.header("connection") == "close" {
                                conn = None;
                            }
                        }
                        Ok(resp) => {
                            failures.push(format!("{} {}", resp.status, resp.text()));
                            conn = None;
                        }
                        Err(e) => {
                            failures.push(e.to_string());
                            conn = None;
                        }
                    }
                }
                failures
            })
        })
        .collect();

    // Like a runner: Serving as soon as the process starts (it may not listen yet),
    // Restarting before it is stopped; half the stops are SIGKILL (fresh), half SIGTERM (air).
    let mut app = spawn();
    gate.set(AppState::Serving);
    for reload in 0..20 {
        let before = served.load(SeqCst);
        let deadline = Instant::now() + T;
        while served.load(SeqCst) < before + 20 {
            assert!(
                Instant::now() < deadline,
                "reload {reload}: the app served nothing"
            );
            thread::sleep(Duration::from_millis(2));
        }
        gate.set(AppState::Restarting);
        let signal = if reload % 2 == 0 {
            Signal::SIGKILL
        } else {
            Signal::SIGTERM
        };
        kill(Pid::from_raw(app.id() as i32), signal).unwrap();
        app.wait().unwrap();
        app = spawn();
        gate.set(AppState::Serving);
    }
    thread::sleep(Duration::from_millis(100));
    done.store(true, SeqCst);
    for (i, c) in clients.into_iter().enumerate() {
        let failures = c.join().unwrap();
        assert!(failures.is_empty(), "client {i}: {failures:?}");
    }
    let _ = app.kill();
    app.wait().unwrap();
    eprintln!(
        "{} requests served across 21 processes",
        served.load(SeqCst)
    );
}

/// The next `data:` line of an event stream.
fn next_event(r: &mut impl BufRead) -> String {
    loop {
        let mut line = String::new();
        assert!(r.read_line(&mut line).unwrap() > 0, "event stream ended");
        if let Some(data) = line.strip_prefix("data: ") {
            return data.trim_end().to_string();
        }
    }
}

#[test]
fn live_reload_adds_the_script_to_html_and_announces_each_new_app() {
    let app = App::start(0, |req, _, mut w| {
        let resp = match req.first.split(' ').nth(1) {
            Some("/chunked") => "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                Transfer-Encoding: chunked\r\n\r\n6\r\n<body>\r\n9\r\nhi</BODY>\r\n0\r\n\r\n"
                .to_string(),
            Some("/sized") => {
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\n<p>x\n"
                    .into()
            }
            _ => ok_response("not html"),
        };
        w.write_all(resp.as_bytes()).unwrap();
    });
    let gate = serving();
    let proxy = Proxy::start(0, app.port, gate.clone(), Duration::from_secs(5), true).unwrap();
    let script = live_reload::script(1);

    let (mut r, mut w) = connect(proxy.port());
    w.write_all(b"GET /chunked HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let chunked = read_response(&mut r).unwrap();
    assert_eq!(chunked.text(), format!("<body>hi{script}</BODY>"));
    assert_eq!(chunked.header("transfer-encoding"), "");
    assert_eq!(chunked.header("connection"), "keep-alive");
    w.write_all(b"GET /sized HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(
        read_response(&mut r).unwrap().text(),
        format!("<p>x\n{script}")
    );
    w.write_all(b"GET /plain HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut r).unwrap().text(), "not html");

    let (mut events, mut ew) = connect(proxy.port());
    ew.write_all(b"GET /__reload-doctor/events HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let ReadHead::Head(head) = http::read_head(&mut events).unwrap() else {
        panic!("no head")
    };
    assert_eq!(
        head.get("content-type").as_deref(),
        Some("text/event-stream")
    );
    assert_eq!(next_event(&mut events), "1");
    gate.set(AppState::Restarting);
    gate.set(AppState::Serving);
    assert_eq!(
        next_event(&mut events),
        "2",
        "the page reloads once the new app serves"
    );

    // The error page reloads itself too, once the app is back.
    gate.set(AppState::Failed {
        stage: "build failed".into(),
        detail: "x".into(),
    });
    let page = send(proxy.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n").text();
    assert!(page.contains(&live_reload::script(2)), "{page}");
}
