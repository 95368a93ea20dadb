//! A running `reload-doctor run --json` for the tests, synchronised on its events.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BUILD_WAIT: Duration = Duration::from_secs(90);

/// A running `reload-doctor run --json`, killed (with everything it started) on drop.
pub struct Runner {
    pub child: Child,
    pub events: Receiver<Value>,
    pub seen: Vec<Value>,
    pub stderr: Arc<Mutex<String>>,
    pub port: u16,
}

impl Runner {
    pub fn start(dir: &Path, args: &[&str]) -> Runner {
        Runner::start_in(dir, args, None, super::free_port())
    }

    /// Start the runner, through `wrap` (a shell line that ends by exec'ing `"$@"`) if given.
    pub fn start_in(dir: &Path, args: &[&str], wrap: Option<&str>, port: u16) -> Runner {
        let mut cmd = match wrap {
            Some(w) => {
                let mut c = Command::new("sh");
                c.args(["-c", w, "sh", super::bin()]);
                c
            }
            None => Command::new(super::bin()),
        };
        cmd.args(["run", "--json", "--project", dir.to_str().unwrap()])
            .args(["--port", &port.to_string()])
            .args(args)
            .env("PORT", port.to_string());
        Runner::spawn(cmd, port)
    }

    /// Start the runner with no `--port` and no `$PORT`, and `env` added: it finds the port
    /// itself. `port` is the one the test expects the app on.
    pub fn start_finding_port(
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        port: u16,
    ) -> Runner {
        let mut cmd = Command::new(super::bin());
        cmd.args(["run", "--json", "--project", dir.to_str().unwrap()])
            .args(args)
            .env_remove("PORT")
            .envs(env.iter().copied());
        Runner::spawn(cmd, port)
    }

    fn spawn(mut cmd: Command, port: u16) -> Runner {
        let mut child = cmd
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start reload-doctor run");
        let (tx, events) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not a JSON event ({e}): {line}"));
                // The test then sees the runner's events end, and this message says why.
                super::schema::assert_valid("run-event.schema.json", &v);
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    return;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Runner {
            child,
            events,
            seen: vec![],
            stderr,
            port,
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// The next event named `name`, failing the test after `timeout`.
    pub fn wait_for(&mut self, name: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(v) => {
                    self.seen.push(v.clone());
                    if v["event"] == name {
                        return v;
                    }
                }
                Err(_) => {
                    let stderr = self.stderr.lock().unwrap().clone();
                    panic!(
                        "no {name:?} event within {timeout:?}\nevents: {:#?}\nstderr:\n{stderr}",
                        self.seen
                    )
                }
            }
        }
    }

    /// Every event that arrives within `quiet`.
    pub fn drain(&mut self, quiet: Duration) -> Vec<Value> {
        let mut got = vec![];
        while let Ok(v) = self.events.recv_timeout(quiet) {
            self.seen.push(v.clone());
            got.push(v);
        }
        got
    }

    pub fn count(&self, name: &str) -> usize {
        self.seen.iter().filter(|v| v["event"] == name).count()
    }

    /// The body of `GET /` on the app.
    pub fn get(&self) -> String {
        get(self.port).unwrap_or_else(|| {
            let stderr = self.stderr.lock().unwrap().clone();
            panic!("app not answering on :{}\nstderr:\n{stderr}", self.port)
        })
    }

    /// SIGTERM, then wait (bounded) for the runner to stop in order (it exits 143).
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        self.stop_with(nix::sys::signal::SIGTERM)
    }

    /// Send `signal` (SIGINT is Ctrl-C), then wait (bounded) for the runner to exit.
    pub fn stop_with(&mut self, signal: nix::sys::signal::Signal) -> std::process::ExitStatus {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), signal).unwrap();
        wait_child(&mut self.child, Duration::from_secs(15))
            .unwrap_or_else(|| panic!("runner exits after {signal}"))
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        // Graceful first so the runner stops its app; SIGKILL leaves the app to PDEATHSIG.
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.pid()),
            nix::sys::signal::SIGTERM,
        );
        if wait_child(&mut self.child, Duration::from_secs(10)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn wait_child(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Ok(Some(s)) = child.try_wait() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// `GET /`: the body, or None if nothing answers.
pub fn get(port: u16) -> Option<String> {
    let text = raw_get(port, Duration::from_secs(5))?;
    text.split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
}

/// A whole HTTP/1.1 response to `GET /` on `port` (status line, headers and body), if any.
pub fn raw_get(port: u16, timeout: Duration) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(timeout)).ok()?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    Some(text)
}

pub fn set_version(dir: &Path, body: &str) {
    std::fs::write(
        dir.join("handlers/version.go"),
        format!("package handlers\n\nconst Version = {body}\n"),
    )
    .unwrap();
}

/// Until `cond` holds, at most `timeout`.
pub fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}

/// `reload-doctor run` (human output) on a terminal: `script` gives it a pseudo-terminal for
/// stdin and stdout; what it prints is collected, and lines can be typed to it.
pub struct Terminal {
    child: Child,
    stdin: Option<std::process::ChildStdin>,
    pub output: Arc<Mutex<String>>,
    pub port: u16,
}

impl Terminal {
    pub fn start(dir: &Path, args: &[&str]) -> Terminal {
        let port = super::free_port();
        let mut line = format!(
            "exec {} run --project {} --port {port}",
            super::bin(),
            dir.display()
        );
        for a in args {
            line.push_str(&format!(" '{a}'"));
        }
        let mut child = Command::new("script")
            .args(["-qefc", &line, "/dev/null"])
            .env("PORT", port.to_string())
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start script");
        let output = Arc::new(Mutex::new(String::new()));
        let sink = output.clone();
        let mut pipe = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    return;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]).replace('\r', ""));
            }
        });
        Terminal {
            stdin: child.stdin.take(),
            child,
            output,
            port,
        }
    }

    /// Until the output holds `needle` `times` times; the whole output.
    pub fn wait_for(&self, needle: &str, times: usize, timeout: Duration) -> String {
        let ok = eventually(timeout, || {
            self.output.lock().unwrap().matches(needle).count() >= times
        });
        let text = self.output.lock().unwrap().clone();
        assert!(
            ok,
            "{needle:?} not seen {times} times within {timeout:?}:\n{text}"
        );
        text
    }

    /// Type `line` and Enter.
    pub fn type_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        // The runner is script's child (exec'd by its shell): SIGTERM stops it and its app.
        let runner =
            std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", self.child.id()))
                .unwrap_or_default();
        for pid in runner.split_whitespace().filter_map(|p| p.parse().ok()) {
            let _ =
                nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::SIGTERM);
        }
        if wait_child(&mut self.child, Duration::from_secs(10)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
