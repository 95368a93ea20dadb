//! Starting and stopping the processes the doctor runs, one way for all of them.
//!
//! Each starts as the leader of a process group of its own ([`own_group`]), so one signal
//! reaches everything it starts, and, where asked, dies with the thread that started it. Each
//! is stopped by [`stop`] under a [`StopPolicy`]: a signal, a grace to exit in, SIGKILL for what
//! outlives it, and a bounded wait after that. The target is a process group (the runner's app
//! and builds, a report's go command, `verify`'s reloader), one process held by a pidfd (the fix
//! executor's, after it checked that it is the one the report saw), or the processes a caller
//! lists anew at each look (the runner's strays, what a guardian guards). Process trees are
//! walked with [`super::procs`]; the [`super::guardian`] stops what outlives the doctor with
//! this same [`stop`].

use nix::errno::Errno;
use nix::libc;
use nix::sys::signal::{kill, killpg, sigprocmask, SigSet, SigmaskHow, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::collections::HashSet;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::{Duration, Instant};

/// Start `cmd` as the leader of a new process group, with an empty signal mask (std keeps the
/// parent's, and the runner blocks SIGINT/SIGTERM/SIGHUP for its signal thread: an app with
/// SIGTERM blocked could never stop gracefully). With `die_with_parent`, see
/// [`die_with_parent`]: then spawn long-lived children from the main thread.
pub fn own_group(cmd: &mut Command, die_with_parent: bool) -> &mut Command {
    let parent = nix::unistd::getpid();
    cmd.process_group(0);
    // SAFETY: sigprocmask, prctl and getppid are async-signal-safe system calls.
    unsafe {
        cmd.pre_exec(move || {
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)?;
            if die_with_parent {
                self::die_with_parent(parent)?;
            }
            Ok(())
        })
    }
}

/// For a child between fork and exec: have the kernel SIGKILL it when the thread of `parent`
/// that spawned it exits, `kill -9` of the parent included (PR_SET_PDEATHSIG), and fail to
/// start when `parent` died before that was set (nobody would kill it then).
pub fn die_with_parent(parent: Pid) -> io::Result<()> {
    nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
    if nix::unistd::getppid() != parent {
        return Err(io::Error::other("reload-doctor exited"));
    }
    Ok(())
}

/// What [`stop`] stops.
pub enum Target<'a> {
    /// Every process of the group `pgid`. It is gone once `leader` says its leader has exited
    /// (the caller reaps the leader: a waiter thread, a `Child`; it waits until the instant
    /// given) and no member is left; the members that are our children are reaped here. With
    /// no `leader`, the leader is reaped already or is not our child.
    Group {
        pgid: i32,
        leader: Option<&'a mut dyn FnMut(Instant) -> bool>,
    },
    /// One process, held by a pidfd: no signal can reach another that took its pid.
    Pid(&'a PidFd),
    /// The processes `left` lists, asked anew at each look: a process found meanwhile (orphaned
    /// by one that died) gets the signal in turn. `left` reaps what the caller may reap, and
    /// answers for each pid being a process meant (ours and unreaped, or its start time
    /// checked).
    Each(&'a mut dyn FnMut() -> Vec<i32>),
}

impl Target<'_> {
    /// The group `pgid`, its leader reaped already or not ours.
    pub fn group(pgid: i32) -> Target<'static> {
        Target::Group { pgid, leader: None }
    }
}

/// How to stop a [`Target`].
#[derive(Debug, Clone, Copy)]
pub struct StopPolicy {
    pub signal: Signal,
    /// How long the target has to exit after `signal`.
    pub grace: Duration,
    /// SIGKILL what outlives the grace.
    pub escalate_to_kill: bool,
    /// How long to wait for it to be gone after SIGKILL: a process stuck in the kernel is left
    /// to init.
    pub wait: Duration,
}

impl StopPolicy {
    /// SIGKILL, waiting for nothing.
    pub const KILL: StopPolicy = StopPolicy {
        signal: Signal::SIGKILL,
        grace: Duration::ZERO,
        escalate_to_kill: false,
        wait: Duration::ZERO,
    };

    /// SIGKILL, and wait up to `within` for it to be gone.
    pub fn kill_within(within: Duration) -> StopPolicy {
        StopPolicy {
            grace: within,
            ..StopPolicy::KILL
        }
    }

    /// `signal`, SIGKILL after `grace`, then wait up to `wait` for it to be gone.
    pub fn escalating(signal: Signal, grace: Duration, wait: Duration) -> StopPolicy {
        StopPolicy {
            signal,
            grace,
            escalate_to_kill: true,
            wait,
        }
    }
}

/// What [`stop`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Nothing was there to signal.
    AlreadyGone,
    /// Signalled; the policy ([`StopPolicy::KILL`]) waits for nothing.
    Sent,
    /// Gone within the grace.
    InTime,
    /// It outlived the grace, and was gone when SIGKILL was to be sent.
    JustAfter,
    /// Gone after SIGKILL.
    Killed,
    /// Still there after the last signal sent and the time given: no escalation was asked
    /// for (or the signal was SIGKILL), or it survived SIGKILL (stuck in the kernel).
    Lingers { after: Signal },
    /// The kernel would not deliver `signal` (EPERM: another user's process).
    NotPermitted { signal: Signal, errno: Errno },
}

/// Stop `target` under `policy` (see [`Target`] for when each kind counts as gone). The one
/// stop-with-escalation of the doctor: the runner's app, builds and strays, `verify`'s reloader,
/// the fix executor, a report's go commands and the guardian all stop through it.
pub fn stop(mut target: Target, policy: &StopPolicy) -> Stopped {
    let mut sent = HashSet::new();
    match send(&mut target, policy.signal, &mut sent) {
        Ok(()) => {}
        Err(Errno::ESRCH) => return Stopped::AlreadyGone,
        Err(errno) => {
            return Stopped::NotPermitted {
                signal: policy.signal,
                errno,
            }
        }
    }
    if policy.grace.is_zero() && !policy.escalate_to_kill {
        return Stopped::Sent;
    }
    if gone(
        &mut target,
        Instant::now() + policy.grace,
        policy.signal,
        &mut sent,
    ) {
        return Stopped::InTime;
    }
    if !policy.escalate_to_kill || policy.signal == Signal::SIGKILL {
        return Stopped::Lingers {
            after: policy.signal,
        };
    }
    sent.clear();
    match send(&mut target, Signal::SIGKILL, &mut sent) {
        Ok(()) => {}
        Err(Errno::ESRCH) => return Stopped::JustAfter,
        Err(errno) => {
            return Stopped::NotPermitted {
                signal: Signal::SIGKILL,
                errno,
            }
        }
    }
    match gone(
        &mut target,
        Instant::now() + policy.wait,
        Signal::SIGKILL,
        &mut sent,
    ) {
        true => Stopped::Killed,
        false => Stopped::Lingers {
            after: Signal::SIGKILL,
        },
    }
}

/// Send `sig` to the target; ESRCH when nothing of it is left. For [`Target::Each`], `sent`
/// holds the pids that had `sig`: SIGKILL goes to every pid listed at every look, another
/// signal once to each.
fn send(target: &mut Target, sig: Signal, sent: &mut HashSet<i32>) -> Result<(), Errno> {
    match target {
        Target::Group { pgid, .. } => killpg(Pid::from_raw(*pgid), sig),
        Target::Pid(fd) => fd.send(sig),
        Target::Each(left) => match left().as_slice() {
            [] => Err(Errno::ESRCH),
            pids => {
                signal_each(pids, sig, sent);
                Ok(())
            }
        },
    }
}

/// Signal the pids not signalled yet (all of them with SIGKILL); a pid that exited meanwhile or
/// that we may not signal is left to the next look. Whether any was new.
fn signal_each(pids: &[i32], sig: Signal, sent: &mut HashSet<i32>) -> bool {
    let mut new = false;
    for &pid in pids {
        let first = sent.insert(pid);
        new |= first;
        if first || sig == Signal::SIGKILL {
            let _ = kill(Pid::from_raw(pid), sig);
        }
    }
    new
}

/// Wait until the target is gone or `until` passes (it is looked at at least once). A stopped
/// process (SIGSTOP) never exits: then the wait ends at the first look of [`Target::Each`] that
/// finds nothing new to stop.
fn gone(target: &mut Target, until: Instant, sig: Signal, sent: &mut HashSet<i32>) -> bool {
    let mut pause = Duration::from_micros(200);
    loop {
        match target {
            Target::Pid(fd) => return fd.exited_by(until),
            Target::Group { pgid, leader } => {
                if let Some(leader) = leader {
                    if !leader(until) {
                        return false;
                    }
                }
                reap_group(*pgid);
                if !group_alive(*pgid) {
                    return true;
                }
            }
            Target::Each(left) => {
                let pids = left();
                if pids.is_empty() {
                    return true;
                }
                if !signal_each(&pids, sig, sent) && sig == Signal::SIGSTOP {
                    return false;
                }
            }
        }
        let now = Instant::now();
        if now >= until {
            return false;
        }
        std::thread::sleep(pause.min(until - now));
        pause = (pause * 2).min(Duration::from_millis(10));
    }
}

/// Whether any process (a zombie included) is left in the group `pgid`.
pub fn group_alive(pgid: i32) -> bool {
    killpg(Pid::from_raw(pgid), None) != Err(Errno::ESRCH)
}

/// Reap every exited process of the group that is our child (a child subreaper inherits the
/// orphans of a group's leader).
fn reap_group(pgid: i32) {
    while let Ok(status) = waitpid(Pid::from_raw(-pgid), Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            break;
        }
    }
}

/// A process held by a pidfd (Linux 5.3+): signals sent through it reach that process only,
/// even after its pid is reused.
pub struct PidFd(OwnedFd);

impl PidFd {
    /// Open a pidfd on `pid` (ESRCH when no such process exists).
    pub fn open(pid: i32) -> io::Result<PidFd> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1; no memory is
        // shared.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: the kernel just returned this fd to us, and nothing else owns it.
        Ok(PidFd(unsafe { OwnedFd::from_raw_fd(fd as RawFd) }))
    }

    /// Send `sig` to the process.
    pub fn send(&self, sig: Signal) -> Result<(), Errno> {
        // SAFETY: a valid pidfd, a valid signal number, no siginfo (null), no flags.
        let r = unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                self.0.as_raw_fd(),
                sig as libc::c_int,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            )
        };
        match r < 0 {
            true => Err(Errno::last()),
            false => Ok(()),
        }
    }

    /// Wait until the process has exited (its pidfd becomes readable; a zombie has) or
    /// `until` passes.
    fn exited_by(&self, until: Instant) -> bool {
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let mut pfd = libc::pollfd {
                fd: self.0.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one pollfd that lives across the call.
            let n = unsafe { libc::poll(&mut pfd, 1, left.as_millis() as libc::c_int) };
            if n > 0 {
                return true;
            }
            let interrupted =
                n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted;
            if !interrupted || left.is_zero() {
                return false;
            }
        }
    }
}

/// How every subcommand (and the runner) exits once a signal stopped it, as a shell reports
/// a death by that signal: 128 + its number (130 after Ctrl-C, 143 after SIGTERM, 129 after
/// SIGHUP).
pub fn after_signal(signal: i32) -> Option<u8> {
    (1..=64).contains(&signal).then(|| 128 + signal as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Child, Stdio};

    /// `sh -c SCRIPT` in a group of its own, once it has started `sleep` (its traps are set).
    fn group(script: &str) -> Child {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]).stdout(Stdio::piped());
        let mut child = own_group(&mut cmd, false).spawn().unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
            &mut line,
        )
        .unwrap();
        child
    }

    fn leader_of(child: &mut Child) -> impl FnMut(Instant) -> bool + '_ {
        move |until| loop {
            if child.try_wait().unwrap().is_some() {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_group_that_exits_on_the_signal_is_gone_in_time() {
        let mut child = group("sleep 30 & echo up; wait");
        let pgid = child.id() as i32;
        let policy = StopPolicy::escalating(
            Signal::SIGTERM,
            Duration::from_secs(5),
            Duration::from_secs(2),
        );
        let started = Instant::now();
        let leader = &mut leader_of(&mut child);
        let done = stop(
            Target::Group {
                pgid,
                leader: Some(leader),
            },
            &policy,
        );
        assert_eq!(done, Stopped::InTime);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(!group_alive(pgid));
        assert_eq!(stop(Target::group(pgid), &policy), Stopped::AlreadyGone);
    }

    #[test]
    fn a_group_that_ignores_the_signal_is_killed_after_the_grace() {
        // The shell and its background child both ignore SIGTERM.
        let mut child = group("trap '' TERM; sleep 30 & echo up; wait");
        let pgid = child.id() as i32;
        let policy = StopPolicy::escalating(
            Signal::SIGTERM,
            Duration::from_millis(300),
            Duration::from_secs(2),
        );
        let started = Instant::now();
        let leader = &mut leader_of(&mut child);
        let done = stop(
            Target::Group {
                pgid,
                leader: Some(leader),
            },
            &policy,
        );
        assert_eq!(done, Stopped::Killed);
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert!(!group_alive(pgid));
    }

    #[test]
    fn without_escalation_a_process_that_ignores_the_signal_lingers() {
        let mut child = group("trap '' TERM; echo up; exec sleep 30");
        let fd = PidFd::open(child.id() as i32).unwrap();
        let policy = StopPolicy {
            escalate_to_kill: false,
            ..StopPolicy::escalating(Signal::SIGTERM, Duration::from_millis(100), Duration::ZERO)
        };
        let done = stop(Target::Pid(&fd), &policy);
        assert_eq!(
            done,
            Stopped::Lingers {
                after: Signal::SIGTERM
            }
        );
        assert!(child.try_wait().unwrap().is_none());
        assert_eq!(
            stop(
                Target::Pid(&fd),
                &StopPolicy::kill_within(Duration::from_secs(2))
            ),
            Stopped::InTime
        );
        child.wait().unwrap();
        assert_eq!(
            stop(Target::Pid(&fd), &StopPolicy::KILL),
            Stopped::AlreadyGone
        );
    }

    /// A process listed only after the first signal (orphaned meanwhile) gets it in turn:
    /// both exit in time.
    #[test]
    fn each_process_listed_later_is_signalled_in_turn() {
        let mut children = [
            group("echo up; exec sleep 30"),
            group("echo up; exec sleep 30"),
        ];
        let pids: Vec<i32> = children.iter().map(|c| c.id() as i32).collect();
        let mut looks = 0;
        let mut left = || {
            looks += 1;
            let running = children
                .iter_mut()
                .zip(&pids)
                .filter_map(|(c, pid)| c.try_wait().unwrap().is_none().then_some(*pid));
            running.filter(|pid| *pid == pids[0] || looks > 1).collect()
        };
        let policy = StopPolicy::escalating(
            Signal::SIGTERM,
            Duration::from_secs(5),
            Duration::from_secs(2),
        );
        assert_eq!(stop(Target::Each(&mut left), &policy), Stopped::InTime);
        assert!(looks > 1);
    }
}
