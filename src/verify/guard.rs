//! The process between `verify` and the reloader it drives, so that nothing verify started
//! outlives it, even when verify is killed with SIGKILL.
//!
//! air starts the app in a process group of its own, and a reloader killed with SIGKILL
//! leaves its app running; a parent-death signal reaches only a direct child. The guard is a
//! child subreaper: every process under the reloader that loses its parent is re-parented to
//! the guard, not to init. It holds the read end of a pipe whose write end only verify has;
//! when verify is gone (exited or killed) the pipe reads end-of-file and the guard kills
//! every process under it, reaps them and exits. Run as `reload-doctor __verify-guard PROG
//! ARGS..` (hidden; the environment and folder are inherited).

use nix::sys::signal::{kill, signal, SigHandler, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub const SUBCOMMAND: &str = "__verify-guard";

/// Run `args[0]` with `args[1..]` under the guard; the exit code mirrors the reloader's.
pub fn main(args: &[std::ffi::OsString]) -> u8 {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("reload-doctor: {SUBCOMMAND} needs a program");
        return 2;
    };
    // SIGINT and SIGTERM to the group are for the reloader (verify's graceful stop); the
    // guard stays to reap and to watch for verify's end.
    // SAFETY: setting dispositions to SIG_IGN before any thread exists.
    unsafe {
        let _ = signal(Signal::SIGINT, SigHandler::SigIgn);
        let _ = signal(Signal::SIGTERM, SigHandler::SigIgn);
    }
    let _ = nix::sys::prctl::set_child_subreaper(true);
    let child = {
        let mut cmd = Command::new(program);
        cmd.args(rest).stdin(Stdio::null());
        // The reloader gets the default dispositions back.
        // SAFETY: signal() with SIG_DFL is async-signal-safe.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
                let _ = signal(Signal::SIGINT, SigHandler::SigDfl);
                let _ = signal(Signal::SIGTERM, SigHandler::SigDfl);
                Ok(())
            });
        }
        match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                eprintln!(
                    "reload-doctor: cannot start {}: {e}",
                    program.to_string_lossy()
                );
                return 127;
            }
        }
    };
    let reloader = Pid::from_raw(child.id() as i32);
    // The pipe from verify: end-of-file means verify is gone.
    let verify_gone = Arc::new(AtomicBool::new(false));
    {
        let gone = verify_gone.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            gone.store(true, Ordering::SeqCst);
        });
    }
    loop {
        if verify_gone.load(Ordering::SeqCst) {
            kill_everything_under_me();
            return 137;
        }
        // Reap whatever ended: the reloader, or an orphan re-parented to us.
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) if pid == reloader => return code as u8,
            Ok(WaitStatus::Signaled(pid, sig, _)) if pid == reloader => return 128 + sig as u8,
            Ok(WaitStatus::StillAlive) | Err(_) => std::thread::sleep(Duration::from_millis(10)),
            Ok(_) => {}
        }
    }
}

/// SIGKILL every descendant until none is left, reaping as they die.
fn kill_everything_under_me() {
    let me = std::process::id() as i32;
    for _ in 0..100 {
        let Ok(table) = checks::system::procs::ProcessTable::scan(std::path::Path::new("/proc"))
        else {
            return;
        };
        let under: Vec<i32> = table
            .descendants(me)
            .into_iter()
            .filter(|p| table.get(*p).is_some_and(|p| p.state != 'Z'))
            .collect();
        for pid in &under {
            let _ = kill(Pid::from_raw(*pid), Signal::SIGKILL);
        }
        while matches!(
            waitpid(None, Some(WaitPidFlag::WNOHANG)),
            Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..))
        ) {}
        if under.is_empty() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
