//! The guardian: the process between the doctor and a command it runs, so that nothing the
//! command starts outlives the doctor, also when the doctor is killed with SIGKILL.
//!
//! A parent-death signal reaches only a direct child: the go command dies with the doctor,
//! but the compilers it started run on under init, and so does the app a reloader started
//! in a process group of its own. So a command is started through a guardian (the doctor's
//! own binary re-executed: `reload-doctor __guardian PROGRAM ARGS..`, with the command's
//! environment and folder), which starts it and is a child subreaper: every process under
//! the command that loses its parent comes to the guardian, not to init. The guardian's
//! standard input is one end of a socket pair whose other end only the doctor holds: when it
//! reads end-of-file the doctor is gone (exited or killed), and the guardian kills every
//! process under it and exits. When the command ends, the guardian kills what it left and
//! exits with its status. A command the guardian cannot start is said through the socket.
//!
//! The report's go commands ([`super::spawn`]) and `verify`'s reloader run under it; what
//! it kills is stopped by [`super::supervise::stop`].

use super::procs;
use super::supervise::{self, StopPolicy, Target};
use nix::sys::signal::{signal, SigHandler, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The hidden first argument that makes the doctor's binary a guardian.
pub const SUBCOMMAND: &str = "__guardian";

/// Whether this program can be a guardian (see [`enter`]).
static ABLE: AtomicBool = AtomicBool::new(false);

/// The binary's `main` calls this first. Started as a guardian, the process runs as one and
/// this returns its exit code; otherwise it notes that this program can guard (commands are
/// then started under a guardian) and returns None. A program that never calls it (the
/// library's own tests) starts commands without one.
pub fn enter() -> Option<u8> {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(OsStr::new(SUBCOMMAND)) {
        ABLE.store(true, Ordering::Relaxed);
        return None;
    }
    Some(guard(args.collect()))
}

/// The doctor's end of the socket to a guardian. Keep it until the guardian has exited:
/// closing it (or the doctor's death) tells the guardian to kill everything under it.
pub struct Link(UnixStream);

impl Link {
    /// After the guardian exited: why it could not start the command, if it could not.
    pub fn start_error(&self) -> Option<String> {
        let _ = self.0.set_nonblocking(true);
        let mut said = vec![];
        let _ = (&self.0).take(4096).read_to_end(&mut said);
        (!said.is_empty()).then(|| String::from_utf8_lossy(&said).into_owned())
    }
}

/// `cmd` under a guardian: the command to start instead (its program, arguments,
/// environment and folder are `cmd`'s; its standard input is the link, so leave that as it
/// is; the guarded command gets /dev/null), and the link. `cmd` itself and no link when this
/// program cannot guard (see [`enter`]). Set up the returned command (process group,
/// output, limits) as `cmd` would have been. What `Command` does not show is not carried:
/// `env_clear`, `pre_exec` (set those on the returned command; the guardian passes on its
/// environment and limits).
pub fn wrap(cmd: Command) -> Result<(Command, Option<Link>), String> {
    if !ABLE.load(Ordering::Relaxed) {
        return Ok((cmd, None));
    }
    let (ours, theirs) =
        UnixStream::pair().map_err(|e| format!("cannot make a socket for the guardian: {e}"))?;
    // The binary itself, also when its file was replaced or removed since it started.
    let mut guardian = Command::new("/proc/self/exe");
    guardian
        .arg(SUBCOMMAND)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)));
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => guardian.env(k, v),
            None => guardian.env_remove(k),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        guardian.current_dir(dir);
    }
    Ok((guardian, Some(Link(ours))))
}

/// Set by the first of the two ways the guardian ends (the command ended, the doctor is
/// gone), so only one of them cleans up and exits.
static ENDING: AtomicBool = AtomicBool::new(false);

/// `reload-doctor __guardian PROGRAM ARGS..`: the exit code mirrors the command's.
fn guard(args: Vec<OsString>) -> u8 {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("reload-doctor: {SUBCOMMAND} needs a program");
        return 2;
    };
    // SIGINT and SIGTERM to the group are for the command (verify's graceful stop of its
    // reloader); the guardian stays to reap and to watch the doctor.
    // SAFETY: setting dispositions to SIG_IGN before any thread exists.
    unsafe {
        let _ = signal(Signal::SIGINT, SigHandler::SigIgn);
        let _ = signal(Signal::SIGTERM, SigHandler::SigIgn);
    }
    let _ = nix::sys::prctl::set_child_subreaper(true);
    let mut link = match std::io::stdin().as_fd().try_clone_to_owned() {
        Ok(fd) => std::fs::File::from(fd),
        Err(e) => {
            eprintln!("reload-doctor: {SUBCOMMAND} has no standard input: {e}");
            return 2;
        }
    };
    let me = nix::unistd::getpid();
    let mut cmd = Command::new(program);
    cmd.args(rest).stdin(Stdio::null());
    // SAFETY: signal(), prctl() and getppid() are async-signal-safe system calls.
    unsafe {
        cmd.pre_exec(move || {
            // The command gets the default dispositions back, and dies if the guardian does.
            let _ = signal(Signal::SIGINT, SigHandler::SigDfl);
            let _ = signal(Signal::SIGTERM, SigHandler::SigDfl);
            supervise::die_with_parent(me)
        });
    }
    let child = match cmd.spawn() {
        Ok(c) => Pid::from_raw(c.id() as i32),
        Err(e) => {
            eprintln!(
                "reload-doctor: cannot start {}: {e}",
                program.to_string_lossy()
            );
            let _ = link.write_all(e.to_string().as_bytes());
            return 127;
        }
    };
    std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        loop {
            match link.read(&mut buf) {
                Ok(n) if n > 0 => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // End-of-file: the doctor is gone.
                _ => end(137),
            }
        }
    });
    // Reap whatever ends, the command or an orphan that came to us, until the command ends.
    loop {
        match waitpid(None, None) {
            Ok(WaitStatus::Exited(pid, code)) if pid == child => end(code as u8),
            Ok(WaitStatus::Signaled(pid, sig, _)) if pid == child => end(128 + sig as u8),
            Err(nix::errno::Errno::ECHILD) => end(0),
            _ => {}
        }
    }
}

/// Kill every process under the guardian and exit with `code`; the second caller waits for
/// the first to exit.
fn end(code: u8) -> ! {
    if ENDING.swap(true, Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
    let me = std::process::id() as i32;
    // Every live descendant, reaped as they die; one that forks meanwhile is found at the next
    // look (its orphans come to us).
    let mut left = || {
        while matches!(
            waitpid(None, Some(WaitPidFlag::WNOHANG)),
            Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..))
        ) {}
        let mut under = procs::tree(Path::new("/proc"), me);
        under.retain(|pid| *pid != me && procs::live(*pid).is_some());
        under
    };
    let policy = StopPolicy::kill_within(Duration::from_millis(250));
    supervise::stop(Target::Each(&mut left), &policy);
    std::process::exit(code.into())
}
