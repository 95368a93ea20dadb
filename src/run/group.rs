//! Process groups: every build and every app runs in its own group, so one signal reaches the
//! whole tree (`go build`'s compilers, an app's own children) and nothing is left behind.

use nix::errno::Errno;
use nix::sys::signal::{killpg, sigprocmask, SigSet, SigmaskHow, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::{Duration, Instant};

/// Run `cmd` as the leader of a new process group, and have the kernel kill it when the
/// runner dies, even by `kill -9` (PR_SET_PDEATHSIG). The death signal fires when the *thread*
/// that spawned the child exits, so long-lived children must be spawned from the main thread.
/// The runner blocks SIGINT/SIGTERM/SIGHUP for its signal thread; the child gets a clean
/// mask (std keeps the parent's, and an app with SIGTERM blocked could never stop gracefully).
pub fn own_group(cmd: &mut Command) -> &mut Command {
    let runner = nix::unistd::getpid();
    cmd.process_group(0);
    // SAFETY: sigprocmask, prctl and getppid are async-signal-safe system calls.
    unsafe {
        cmd.pre_exec(move || {
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)?;
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
            // The runner may have died between fork and prctl: then nobody would kill us.
            if nix::unistd::getppid() != runner {
                return Err(std::io::Error::other("reload-doctor exited"));
            }
            Ok(())
        })
    }
}

/// Send `sig` to the group led by `pgid`. False when the group is gone.
pub fn signal(pgid: i32, sig: Signal) -> bool {
    killpg(Pid::from_raw(pgid), sig).is_ok()
}

/// Whether any process (a zombie included) is left in the group.
pub fn alive(pgid: i32) -> bool {
    killpg(Pid::from_raw(pgid), None) != Err(Errno::ESRCH)
}

/// Reap every exited process of the group that is our child: the leader's orphans are
/// reparented to us because the runner is a child subreaper.
pub fn reap(pgid: i32) {
    while let Ok(status) = waitpid(Pid::from_raw(-pgid), Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            break;
        }
    }
}

/// Wait until the group is gone, reaping as we go. False if `deadline` passed first.
pub fn wait_gone(pgid: i32, deadline: Instant) -> bool {
    let mut pause = Duration::from_micros(200);
    loop {
        reap(pgid);
        if !alive(pgid) {
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}

/// SIGKILL the group and reap it (bounded: a process stuck in the kernel is left to init).
pub fn kill(pgid: i32) {
    signal(pgid, Signal::SIGKILL);
    wait_gone(pgid, Instant::now() + Duration::from_secs(2));
}

/// Our children (pid, process group), from `/proc/self/task/*/children`. As a child
/// subreaper we inherit every orphaned descendant, also those that left the app's group.
fn children() -> Vec<(i32, i32)> {
    checks::system::procs::child_pids(std::process::id() as i32)
        .into_iter()
        .filter_map(|pid| Some((pid, checks::system::procs::stat(pid)?.pgrp)))
        .collect()
}

/// Stop and reap every child of ours outside the process groups in `keep`: descendants
/// that escaped their group (`setsid`) and were orphaned to us. SIGTERM, then SIGKILL
/// after `grace`.
pub fn sweep(keep: &[i32], grace: Duration) {
    let strays = || -> Vec<i32> {
        children()
            .into_iter()
            .filter(|(_, pgrp)| !keep.contains(pgrp))
            .map(|(pid, _)| pid)
            .collect()
    };
    let deadline = Instant::now() + grace;
    // A stray's own children are orphaned to us when it dies: they are signalled in turn.
    let mut signalled = std::collections::HashSet::new();
    loop {
        let left = strays();
        for &pid in &left {
            let _ = waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG));
        }
        let left = strays();
        if left.is_empty() {
            return;
        }
        let late = Instant::now() >= deadline;
        for &pid in &left {
            if late {
                let _ = nix::sys::signal::kill(Pid::from_raw(pid), Signal::SIGKILL);
            } else if signalled.insert(pid) {
                let _ = nix::sys::signal::kill(Pid::from_raw(pid), Signal::SIGTERM);
            }
        }
        if late && Instant::now() >= deadline + Duration::from_secs(2) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `exit 2`, `killed by SIGKILL`, from a wait status.
pub fn describe(status: &WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, code) => format!("exit {code}"),
        WaitStatus::Signaled(_, sig, _) => format!("killed by {}", sig.as_str()),
        other => format!("{other:?}"),
    }
}
