//! `run --proxy`: a reverse proxy in front of the app that holds requests while the app
//! restarts, so a browser refresh or a load test never sees "connection refused".
//!
//! The runner reports each transition on a [`Gate`]; the proxy waits on it. Every request
//! gets a fresh upstream connection (`Connection: close`), so an old process's dying
//! keep-alive connection can never swallow a request. A request whose body was buffered
//! (any method) that the app dropped before sending a single response byte is held while the
//! app restarts and sent again to the new process (see [`Client::one_request`]).

mod client;
#[cfg(test)]
mod fuzz;
mod http;
mod live_reload;
#[cfg(test)]
mod tests;

use client::Client;
use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering::SeqCst};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Where the app is in its reload cycle, as the runner last reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppState {
    Starting,
    Serving,
    Restarting,
    /// A stage (e.g. "build failed") failed; `detail` is its output, shown on the 502 page.
    Failed {
        stage: String,
        detail: String,
    },
}

impl AppState {
    fn label(&self) -> String {
        match self {
            AppState::Starting => "starting".into(),
            AppState::Serving => "serving".into(),
            AppState::Restarting => "restarting".into(),
            AppState::Failed { stage, .. } => format!("failed ({stage})"),
        }
    }
}

/// The app's state, shared between the runner (which sets it) and the proxy (which waits on it).
pub struct Gate {
    state: Mutex<Now>,
    changed: Condvar,
}

struct Now {
    app: AppState,
    /// How many times the app became Serving: live-reload pages reload when it changes.
    generation: u64,
}

impl Gate {
    pub fn new() -> Arc<Gate> {
        Arc::new(Gate {
            state: Mutex::new(Now {
                app: AppState::Starting,
                generation: 0,
            }),
            changed: Condvar::new(),
        })
    }

    pub fn set(&self, state: AppState) {
        let mut now = self.lock();
        if state == AppState::Serving && now.app != AppState::Serving {
            now.generation += 1;
        }
        now.app = state;
        self.changed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, Now> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until the app is serving or failed, `deadline` passes or `stop` is set.
    fn wait_settled(&self, deadline: Instant, stop: &AtomicBool) -> AppState {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            let settled = matches!(state.app, AppState::Serving | AppState::Failed { .. });
            if settled || now >= deadline || stop.load(SeqCst) {
                return state.app.clone();
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Waits until the app is no longer the serving process of generation `seen` (it is
    /// restarting, failed or replaced), `timeout` passes or `stop` is set; whether it moved.
    fn wait_moved(&self, seen: u64, timeout: Duration, stop: &AtomicBool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            let moved = state.generation != seen || state.app != AppState::Serving;
            let now = Instant::now();
            if moved || now >= deadline || stop.load(SeqCst) {
                return moved;
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Waits until the generation differs from `seen`, `timeout` passes or `stop` is set.
    fn wait_generation(&self, seen: u64, timeout: Duration, stop: &AtomicBool) -> u64 {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            if state.generation != seen || now >= deadline || stop.load(SeqCst) {
                return state.generation;
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Wakes every waiter (under the lock, so none misses a `stop` set just before).
    fn wake(&self) {
        let _state = self.lock();
        self.changed.notify_all();
    }
}

/// A running proxy; stops and joins all its threads on drop.
pub struct Proxy {
    shared: Arc<Shared>,
    port: u16,
    listening: Vec<SocketAddr>,
    acceptors: Vec<JoinHandle<()>>,
}

struct Shared {
    gate: Arc<Gate>,
    /// The app's port: the runner moves it to where the app really listens.
    app_port: AtomicU16,
    hold: Duration,
    live_reload: bool,
    stop: AtomicBool,
    /// Every open socket, so stopping can unblock the thread reading it.
    sockets: Mutex<Sockets>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

#[derive(Default)]
struct Sockets {
    next: u64,
    open: HashMap<u64, TcpStream>,
}

/// Keeps a socket in [`Shared::sockets`] while alive.
struct Tracked<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        lock(&self.shared.sockets).open.remove(&self.id);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn track(&self, socket: &TcpStream) -> io::Result<Tracked<'_>> {
        let mut sockets = lock(&self.sockets);
        if self.stop.load(SeqCst) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "proxy stopping"));
        }
        let id = sockets.next;
        sockets.next += 1;
        sockets.open.insert(id, socket.try_clone()?);
        Ok(Tracked { shared: self, id })
    }

    fn stopping(&self) -> bool {
        self.stop.load(SeqCst)
    }
}

/// Connect attempts to the app while it is (said to be) serving are this far apart.
const RETRY_EVERY: Duration = Duration::from_millis(10);
/// Request bodies up to this size are kept in memory so the request can be sent again.
const MAX_BUFFERED_BODY: u64 = 8 << 20;
/// How long a dropped request waits for the runner to say the app is restarting (it sets
/// that before stopping the app, and notices an exit within milliseconds) before it counts
/// as dropped by a live app.
const RESTART_NOTICE: Duration = Duration::from_secs(1);

/// A reader that counts the bytes it gave out: whether the app sent anything at all.
struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

impl Proxy {
    /// Listens on 127.0.0.1:`listen` (0 picks a port) and on [::1] at the same port when
    /// the machine has IPv6, forwarding to the app on `app_port`. A request waits at most
    /// `hold` for the app to accept it. With `live_reload`, HTML pages (and the error page)
    /// get a script that reloads them when a new app process is serving.
    pub fn start(
        listen: u16,
        app_port: u16,
        gate: Arc<Gate>,
        hold: Duration,
        live_reload: bool,
    ) -> io::Result<Proxy> {
        let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, listen))?;
        let port = v4.local_addr()?.port();
        let mut listeners = vec![v4];
        // Browsers may try localhost as ::1 first.
        if let Ok(v6) = TcpListener::bind((Ipv6Addr::LOCALHOST, port)) {
            listeners.push(v6);
        }
        let shared = Arc::new(Shared {
            gate,
            app_port: AtomicU16::new(app_port),
            hold,
            live_reload,
            stop: AtomicBool::new(false),
            sockets: Mutex::default(),
            workers: Mutex::default(),
        });
        let listening = listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect();
        let acceptors = listeners
            .into_iter()
            .map(|l| {
                let shared = shared.clone();
                thread::spawn(move || accept_loop(l, shared))
            })
            .collect();
        Ok(Proxy {
            shared,
            port,
            listening,
            acceptors,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Forward to `port` from now on (the app was found listening there).
    pub fn forward_to(&self, port: u16) {
        self.shared.app_port.store(port, SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        {
            let sockets = lock(&self.shared.sockets);
            self.shared.stop.store(true, SeqCst);
            for s in sockets.open.values() {
                let _ = s.shutdown(Shutdown::Both);
            }
        }
        self.shared.gate.wake();
        for addr in &self.listening {
            // Wakes the blocking accept() so it sees `stop`.
            let _ = TcpStream::connect_timeout(addr, Duration::from_secs(1));
        }
        for a in self.acceptors.drain(..) {
            let _ = a.join();
        }
        let workers = std::mem::take(&mut *lock(&self.shared.workers));
        for w in workers {
            let _ = w.join();
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stopping() {
            return;
        }
        let Ok(client) = conn else {
            // Out of file descriptors and the like: back off instead of spinning.
            thread::sleep(RETRY_EVERY);
            continue;
        };
        let s = shared.clone();
        let worker = thread::spawn(move || serve(client, &s));
        let mut workers = lock(&shared.workers);
        workers.retain(|w| !w.is_finished());
        workers.push(worker);
    }
}

fn serve(client: TcpStream, shared: &Shared) {
    let Ok(_tracked) = shared.track(&client) else {
        return;
    };
    let _ = client.set_nodelay(true);
    let Ok(read_half) = client.try_clone() else {
        return;
    };
    let peer = client
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let mut conn = Client {
        r: BufReader::new(read_half),
        w: client,
        peer,
        shared,
    };
    while let Ok(true) = conn.one_request() {}
}
