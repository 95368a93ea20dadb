//! Process groups: every build and every app runs in its own group, so one signal reaches the
//! whole tree (`go build`'s compilers, an app's own children) and nothing is left behind.

use nix::errno::Errno;
use nix::sys::signal::{killpg, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::{Duration, Instant};

/// Run `cmd` as the leader of a new process group, and have the kernel kill it when the
/// runner dies, even by `kill -9` (PR_SET_PDEATHSIG). The death signal fires when the *thread*
/// that spawned the child exits, so long-lived children must be spawned from the main thread.
pub fn own_group(cmd: &mut Command) -> &mut Command {
    let runner = nix::unistd::getpid();
    cmd.process_group(0);
    // SAFETY: prctl and getppid are async-signal-safe system calls.
    unsafe {
        cmd.pre_exec(move || {
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

/// `exit 2`, `killed by SIGKILL`, from a wait status.
pub fn describe(status: &WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, code) => format!("exit {code}"),
        WaitStatus::Signaled(_, sig, _) => format!("killed by {}", sig.as_str()),
        other => format!("{other:?}"),
    }
}
