//! The app: started in its own process group, watched by a waiter thread, stopped with
//! SIGTERM (or SIGINT) to the group, SIGKILL after `kill_delay`, and every process reaped.

use crate::msg::Msg;
use checks::reloaders::air::config::{App as AirApp, AppKeys};
use checks::reloaders::air::runner::{RunConfig, StopSignal};
use checks::system::sockets::{self, Look, Readiness};
use checks::system::supervise::{self, StopPolicy, Stopped, Target};
use nix::sys::signal::Signal;
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use reload_doctor_checks as checks;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How to start the app, fixed for the session.
#[derive(Debug, Clone)]
pub struct Spec {
    pub dir: PathBuf,
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Send the app's stdout to stderr (with `--json`, stdout carries the events).
    pub stdout_to_stderr: bool,
    /// Start each line the app prints with this (on a terminal, so the app's lines and the
    /// runner's are told apart); the app then writes to pipes, not to the terminal.
    pub prefix: Option<String>,
}

impl Spec {
    /// What air starts for the app (the model's choice, [`AppKeys::app`]: `full_bin`, else
    /// `entrypoint`, else `bin`, then `args_bin`), then the command line's `-- ARGS`. Unlike
    /// air, a binary runs without a shell, so arguments are passed as given, and those
    /// after `full_bin` are quoted.
    pub fn from_config(c: &RunConfig, extra_args: &[String], env: Vec<(String, String)>) -> Spec {
        let b = &c.build;
        let (entrypoint, entrypoint_args) = match b.entrypoint.split_first() {
            Some((first, rest)) => (Some(first.as_str()), rest),
            None => (None, &[][..]),
        };
        let keys = AppKeys {
            bin: &b.bin,
            full_bin: &b.full_bin,
            entrypoint,
            entrypoint_args,
            args_bin: &b.args_bin,
        };
        let (program, args) = match keys.app(&c.dir, &c.root_path()) {
            AirApp::Shell { line, args } => {
                let mut line = format!("exec {line}");
                for a in args.iter().chain(extra_args) {
                    line.push(' ');
                    line.push_str(&shell_quote(a));
                }
                ("/bin/sh".into(), vec!["-c".to_string(), line])
            }
            AirApp::Binary { path, mut args } => {
                args.extend(extra_args.iter().cloned());
                (path, args)
            }
        };
        Spec {
            dir: c.dir.clone(),
            program,
            args,
            env,
            stdout_to_stderr: false,
            prefix: None,
        }
    }
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@%+".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Copy the app's output from `pipe` to `to`, each line after `prefix`, until every process
/// holding the pipe has closed it.
fn relay<W: Write + 'static>(pipe: impl Read + Send + 'static, prefix: String, to: fn() -> W) {
    std::thread::spawn(move || {
        let mut lines = BufReader::new(pipe);
        // Prefix and line go out in one write: stdout and stderr are relayed by two threads
        // to the same terminal, and two writes per line let the other stream's line fall
        // between them ("app│ app│ hello" then a bare "oops").
        let mut line = prefix.clone().into_bytes();
        while matches!(lines.read_until(b'\n', &mut line), Ok(n) if n > 0) {
            if !line.ends_with(b"\n") {
                line.push(b'\n');
            }
            let mut out = to();
            let _ = out.write_all(&line);
            let _ = out.flush();
            line.truncate(prefix.len());
        }
    });
}

type ExitCell = Arc<(Mutex<Option<String>>, Condvar)>;

/// A running app (the leader of its own process group).
pub struct App {
    pub pid: i32,
    pub gen: u64,
    exit: ExitCell,
}

impl App {
    /// Start the app. Call this from the main thread: the parent-death signal is tied to the
    /// spawning thread.
    pub fn start(spec: &Spec, gen: u64, tx: Sender<Msg>) -> Result<App, String> {
        let mut cmd = Command::new(&spec.program);
        cmd.args(&spec.args)
            .current_dir(&spec.dir)
            .envs(spec.env.iter().cloned())
            .stdin(Stdio::null());
        if spec.stdout_to_stderr {
            if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
                cmd.stdout(Stdio::from(fd));
            }
        }
        if spec.prefix.is_some() {
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        }
        // From the main thread (see above): the app dies with the runner.
        supervise::own_group(&mut cmd, true);
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", spec.program.display()))?;
        let pid = child.id() as i32;
        if let Some(prefix) = &spec.prefix {
            if let Some(out) = child.stdout.take() {
                relay(out, prefix.clone(), std::io::stdout);
            }
            if let Some(err) = child.stderr.take() {
                relay(err, prefix.clone(), std::io::stderr);
            }
        }
        // The waiter thread owns reaping the leader; std's Child is not used to wait.
        drop(child);
        let exit: ExitCell = Arc::new((Mutex::new(None), Condvar::new()));
        let cell = exit.clone();
        std::thread::spawn(move || {
            let status = match waitpid(Pid::from_raw(pid), None) {
                Ok(s) => describe(&s),
                Err(e) => format!("lost ({e})"),
            };
            *cell.0.lock().unwrap() = Some(status.clone());
            cell.1.notify_all();
            let _ = tx.send(Msg::AppExited { gen, status });
        });
        Ok(App { pid, gen, exit })
    }

    /// A handle on the app's executable, to hold across its stop. A build replaces the
    /// binary while the app runs, so the app holds the last link to the old file, and the
    /// kernel frees the file's blocks while the app exits, before the runner hears of the
    /// exit: 3-4 ms of every stop for an 8 MB binary on ext4. Held here, that work is done
    /// when the handle is dropped, once the new app serves.
    pub fn hold_exe(&self) -> Option<File> {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(nix::libc::O_PATH)
            .open(format!("/proc/{}/exe", self.pid))
            .ok()
    }

    /// Wait up to `until` for the leader to exit.
    fn wait_exit(&self, until: Instant) -> bool {
        let (lock, cvar) = &*self.exit;
        let mut status = lock.lock().unwrap();
        while status.is_none() {
            let now = Instant::now();
            if now >= until {
                return false;
            }
            status = cvar.wait_timeout(status, until - now).unwrap().0;
        }
        true
    }

    /// Stop the whole group: `signal`, wait up to `kill_delay` for every process of it to
    /// exit, then SIGKILL; reap everything. Returns whether SIGKILL was needed.
    pub fn stop(&self, signal: StopSignal, kill_delay: Duration) -> bool {
        let sig = match signal {
            StopSignal::Term => Signal::SIGTERM,
            StopSignal::Interrupt => Signal::SIGINT,
        };
        let policy = StopPolicy::escalating(sig, kill_delay, Duration::from_secs(2));
        // The leader first (its waiter thread reaps it), then whatever else is in the group.
        let leader = &mut |until| self.wait_exit(until);
        let target = Target::Group {
            pgid: self.pid,
            leader: Some(leader),
        };
        !matches!(
            supervise::stop(target, &policy),
            Stopped::InTime | Stopped::AlreadyGone
        )
    }

    /// After the leader exited on its own: stop what it left in its group.
    pub fn stop_leftovers(&self, signal: StopSignal, kill_delay: Duration) {
        if supervise::group_alive(self.pid) {
            self.stop(signal, kill_delay);
        }
    }

    /// A watcher for the app's listening sockets (see [`Readiness`]): sends [`Msg::Serving`]
    /// with the TCP ports the app's process tree listens on once it is ready, or
    /// [`Msg::NotServing`] after 5 s; then [`Msg::MorePorts`] for listeners opened later.
    /// Gives up when the app exits or `gen` is superseded.
    pub fn probe(
        &self,
        expect: Option<u16>,
        tx: Sender<Msg>,
        current: Arc<std::sync::atomic::AtomicU64>,
    ) {
        let (gen, pid, exit) = (self.gen, self.pid, self.exit.clone());
        std::thread::spawn(move || {
            let mut l = Readiness::new(expect, Instant::now());
            loop {
                if current.load(std::sync::atomic::Ordering::SeqCst) != gen
                    || exit.0.lock().unwrap().is_some()
                {
                    return;
                }
                let now = Instant::now();
                let msg = match l.look(&sockets::tree_ports(pid), now) {
                    Look::Wait => None,
                    Look::Ready(at) => Some(Msg::Serving {
                        gen,
                        at,
                        ports: l.seen.clone(),
                    }),
                    Look::More => Some(Msg::MorePorts {
                        gen,
                        ports: l.seen.clone(),
                    }),
                    Look::NotServing => Some(Msg::NotServing { gen }),
                    Look::Done => return,
                };
                if let Some(m) = msg {
                    if tx.send(m).is_err() {
                        return;
                    }
                }
                std::thread::sleep(l.pause(now));
            }
        });
    }
}

/// `exit 2`, `killed by SIGKILL`, from a wait status.
fn describe(status: &WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, code) => format!("exit {code}"),
        WaitStatus::Signaled(_, sig, _) => format!("killed by {}", sig.as_str()),
        other => format!("{other:?}"),
    }
}

/// Stop and reap every child of ours outside the process groups in `keep`: descendants
/// that escaped their group (`setsid`) and were orphaned to us (the runner is a child
/// subreaper). SIGTERM, then SIGKILL after `grace`; a stray's own children, orphaned to us
/// when it dies, get the same in turn.
pub fn sweep(keep: &[i32], grace: Duration) {
    let strays = || -> Vec<i32> {
        let me = std::process::id() as i32;
        let children = checks::system::procs::child_pids(me).into_iter();
        children
            .filter(|pid| {
                checks::system::procs::stat(*pid).is_some_and(|p| !keep.contains(&p.pgrp))
            })
            .collect()
    };
    let mut left = || {
        for pid in strays() {
            let _ = waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG));
        }
        strays()
    };
    let policy = StopPolicy::escalating(Signal::SIGTERM, grace, Duration::from_secs(2));
    supervise::stop(Target::Each(&mut left), &policy);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// What runs for the app is the model's choice (checks' AppKeys::app), without a shell
    /// for a binary; `-- ARGS` come last.
    #[test]
    fn the_app_command_follows_airs_choice() {
        let dir = tempfile::tempdir().unwrap();
        let d = std::fs::canonicalize(dir.path()).unwrap();
        let spec = |toml: &str| {
            std::fs::write(d.join(".air.toml"), toml).unwrap();
            let c = RunConfig::load(&d, None, &[]).unwrap();
            let s = Spec::from_config(&c, &["--x y".to_string()], vec![]);
            (s.program, s.args)
        };
        let main = d.join("tmp/main");
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(spec(""), (main.clone(), args(&["--x y"])));
        let entrypoint = "[build]\nentrypoint = [\"./tmp/main\", \"serve\"]\nargs_bin = [\"-v\"]\n";
        assert_eq!(spec(entrypoint), (main, args(&["serve", "-v", "--x y"])));
        let full_bin = "[build]\nfull_bin = \"APP_ENV=dev ./tmp/main\"\nargs_bin = [\"-v\"]\n";
        assert_eq!(
            spec(full_bin),
            (
                "/bin/sh".into(),
                args(&["-c", "exec APP_ENV=dev ./tmp/main -v '--x y'"])
            )
        );
    }

    /// A build replaces the binary of the running app: the handle taken before the stop
    /// still holds the old, unlinked file, so its freeing waits for the handle.
    #[test]
    fn holds_the_replaced_executable_across_the_stop() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("app");
        std::fs::copy("/bin/sleep", &bin).unwrap();
        let old_ino = std::fs::metadata(&bin).unwrap().ino();
        let spec = Spec {
            dir: dir.path().into(),
            program: bin.clone(),
            args: vec!["30".into()],
            env: vec![],
            stdout_to_stderr: false,
            prefix: None,
        };
        let (tx, _rx) = std::sync::mpsc::channel();
        let app = App::start(&spec, 1, tx).unwrap();
        // What `go build -o` does: write elsewhere, rename over.
        std::fs::copy("/bin/sleep", dir.path().join("new")).unwrap();
        std::fs::rename(dir.path().join("new"), &bin).unwrap();
        let held = app.hold_exe().expect("handle on the app's executable");
        app.stop(StopSignal::Term, Duration::from_secs(2));
        let meta = held.metadata().unwrap();
        assert_eq!((meta.ino(), meta.nlink()), (old_ino, 0));
        assert_ne!(std::fs::metadata(&bin).unwrap().ino(), old_ino);
    }
}
