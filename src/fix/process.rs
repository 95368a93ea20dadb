//! Stop or signal a process, but only the one the check saw.
//!
//! The target is pinned with a pidfd (Linux 5.3+) *before* it is validated, and every signal
//! goes through that pidfd: if the process exits and its pid is reused after validation, the
//! signal cannot reach the newcomer. Validation refuses pid 1, our own ancestors, processes
//! of another user, and a process whose start time or executable differ from what the check
//! recorded (pid reuse).

use super::{Done, Executor};
use checks::system::procs::{self, Unread};
use checks::system::supervise::{self, PidFd, StopPolicy, Stopped, Target};
use nix::errno::Errno;
use nix::sys::signal::Signal;
use procfs::process::Process;
use procfs::ProcError;
use reload_doctor_checks as checks;
use std::io;
use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// How long a stopped process gets to exit before SIGKILL (air's own default is to kill at
/// once; 3 s lets a server finish its graceful shutdown).
pub(super) const STOP_WAIT: Duration = Duration::from_secs(3);
/// How long a process gets to die after SIGKILL before we call it stuck.
const KILL_WAIT: Duration = Duration::from_secs(2);

/// Send `signal`, wait up to [`STOP_WAIT`], then SIGKILL when `escalate`.
pub(super) fn stop(
    ex: &Executor,
    pid: i32,
    start_time: u64,
    exe: Option<&Path>,
    signal: &str,
    escalate: bool,
) -> Done {
    let sig = match parse_signal(signal) {
        Ok(s) => s,
        Err(e) => return Done::failed(e),
    };
    let target = match pin(ex, pid, start_time, exe) {
        Ok(t) => t,
        Err(done) => return done,
    };
    let started = Instant::now();
    let policy = StopPolicy {
        escalate_to_kill: escalate,
        ..StopPolicy::escalating(sig, STOP_WAIT, KILL_WAIT)
    };
    let name = &target.name;
    let waited = checks::text::span(STOP_WAIT);
    match supervise::stop(Target::Pid(&target.fd), &policy) {
        Stopped::AlreadyGone => gone(pid),
        Stopped::NotPermitted { signal, errno } => Done::failed(format!(
            "cannot send {signal} to pid {pid}: {}",
            io::Error::from(errno)
        )),
        Stopped::InTime | Stopped::Sent => Done::applied(format!(
            "stopped pid {pid} ({name}) by {sig} in {}{}",
            checks::text::span(started.elapsed()),
            zombie_note(pid)
        )),
        Stopped::Lingers { after } if after == sig => Done::failed(format!(
            "pid {pid} ({name}) is still running {waited} after {sig}"
        )),
        Stopped::JustAfter => Done::applied(format!(
            "stopped pid {pid} ({name}) by {sig}, just after {waited}"
        )),
        Stopped::Killed => Done::applied(format!(
            "stopped pid {pid} ({name}) by SIGKILL: it ignored {sig} for {waited}{}",
            zombie_note(pid)
        )),
        Stopped::Lingers { .. } => Done::failed(format!(
            "pid {pid} ({name}) survived SIGKILL (stuck in the kernel, state D?): look at `cat /proc/{pid}/stack`"
        )),
    }
}

/// A stopped process that `kill -0` still finds: a zombie its parent has not reaped. Under a
/// pid 1 that is not an init (a container without --init) it never will be.
fn zombie_note(pid: i32) -> String {
    let Some(stat) = procs::stat(pid).filter(|p| p.state == 'Z') else {
        return String::new();
    };
    let init_reaps = std::fs::read_to_string("/proc/1/comm")
        .is_ok_and(|c| checks::process_role::reaping_init(c.trim()));
    match stat.ppid {
        1 if !init_reaps => {
            " (now a zombie under pid 1, which does not reap: start the container with --init)"
                .into()
        }
        _ => " (now a zombie until its parent reaps it)".into(),
    }
}

/// Send `signal` once (SIGCHLD asks a parent to reap its zombies).
pub(super) fn signal(ex: &Executor, pid: i32, start_time: u64, signal: &str) -> Done {
    let sig = match parse_signal(signal) {
        Ok(s) => s,
        Err(e) => return Done::failed(e),
    };
    let target = match pin(ex, pid, start_time, None) {
        Ok(t) => t,
        Err(done) => return done,
    };
    match target.fd.send(sig) {
        Ok(()) => Done::applied(format!("sent {sig} to pid {pid} ({})", target.name)),
        Err(Errno::ESRCH) => gone(pid),
        Err(e) => Done::failed(format!(
            "cannot send {sig} to pid {pid}: {}",
            io::Error::from(e)
        )),
    }
}

/// A validated process, held by a pidfd.
struct Pinned {
    fd: PidFd,
    /// Its executable, or its command name.
    name: String,
}

fn gone(pid: i32) -> Done {
    Done::skipped(format!(
        "already gone: pid {pid} exited before it was stopped"
    ))
}

fn refused(why: String) -> Done {
    Done::skipped(format!("refused: {why}"))
}

/// Open a pidfd on `pid`, then check that it is the process the check saw and that we may
/// signal it at all. `Err` carries the verdict when it is not.
fn pin(ex: &Executor, pid: i32, start_time: u64, exe: Option<&Path>) -> Result<Pinned, Done> {
    // The pidfd reaches live processes, so the validation must read the live /proc too.
    if ex.system.proc_root != Path::new("/proc") {
        return Err(refused(format!(
            "processes are stopped only on the live system, not under {}",
            ex.system.proc_root.display()
        )));
    }
    if pid <= 1 {
        return Err(refused(format!(
            "pid {pid} is init or not a single process"
        )));
    }
    if let Some(chain) = ancestry().iter().find(|&&a| a == pid) {
        return Err(refused(format!(
            "pid {chain} is reload-doctor itself or one of its parents (the shell or tool that started it)"
        )));
    }
    let fd = match PidFd::open(pid) {
        Ok(fd) => fd,
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => return Err(gone(pid)),
        Err(e) => {
            return Err(Done::failed(format!(
                "cannot open pid {pid} (pidfd_open needs Linux 5.3 or later): {e}"
            )))
        }
    };
    let stat = match procs::read(&ex.system.proc_root, pid) {
        Ok(stat) => stat,
        Err(Unread::Gone) => return Err(gone(pid)),
        Err(Unread::Unreadable(e)) => {
            return Err(Done::failed(format!("cannot read pid {pid}: {e}")))
        }
    };
    let read = Process::new_with_root(ex.system.proc_root.join(pid.to_string()))
        .and_then(|p| Ok((p.status()?, p)));
    let (status, proc) = match read {
        Ok(read) => read,
        Err(ProcError::NotFound(_)) => return Err(gone(pid)),
        Err(e) => return Err(Done::failed(format!("cannot read pid {pid}: {e}"))),
    };
    if stat.start_time != start_time {
        return Err(refused(format!(
            "pid {pid} is now another process ({}, started at tick {}, not {start_time}): the pid was reused",
            stat.comm, stat.start_time
        )));
    }
    if stat.state == 'Z' {
        return Err(Done::skipped(format!(
            "already gone: pid {pid} has exited and waits for its parent (pid {}) to reap it",
            stat.ppid
        )));
    }
    let (ruid, euid) = (status.ruid, status.euid);
    if ruid != ex.system.uid || euid != ex.system.uid {
        return Err(refused(format!(
            "pid {pid} ({}) belongs to uid {}, not to you (uid {}): stop it as its owner",
            stat.comm,
            if ruid != ex.system.uid { ruid } else { euid },
            ex.system.uid
        )));
    }
    let now_exe = proc.exe().ok();
    if let Some(want) = exe {
        // The kernel marks the executable of a running binary that was replaced (air
        // rebuilds it) with " (deleted)"; it is still the same program.
        let same = now_exe.as_deref().is_some_and(|now| {
            checks::process_role::undeleted(now).0 == checks::process_role::undeleted(want).0
        });
        if !same {
            return Err(refused(format!(
                "pid {pid} now runs {}, not {}",
                now_exe
                    .as_deref()
                    .map_or("an unreadable executable".into(), Path::to_string_lossy),
                want.display()
            )));
        }
    }
    Ok(Pinned {
        fd,
        name: now_exe.map_or(stat.comm, |p| p.display().to_string()),
    })
}

/// reload-doctor's own pid and every ancestor up to init, read from the live `/proc`.
fn ancestry() -> Vec<i32> {
    let mut chain = vec![std::process::id() as i32];
    while let Some(&pid) = chain.last() {
        match procs::stat(pid).map(|p| p.ppid) {
            Some(ppid) if ppid > 0 && !chain.contains(&ppid) => chain.push(ppid),
            _ => break,
        }
    }
    chain
}

/// `SIGTERM`, `TERM`, `sigint` -> the signal.
fn parse_signal(name: &str) -> Result<Signal, String> {
    let upper = name.trim().to_ascii_uppercase();
    let full = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    Signal::from_str(&full).map_err(|_| format!("unknown signal {name:?} in the fix"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Verdict;
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command};

    fn executor() -> Executor {
        Executor::new(Path::new("/"))
    }

    fn start_time(pid: u32) -> u64 {
        procs::stat(pid as i32).unwrap().start_time
    }

    /// Spawn `cmd` and wait until it has exec'd `sleep` (so a trap is in place).
    fn spawn_sleep(cmd: &mut Command) -> (Child, u64) {
        let child = cmd.spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while procs::stat(child.id() as i32).map_or(true, |s| s.comm != "sleep") {
            assert!(Instant::now() < deadline, "child never became `sleep`");
            std::thread::sleep(Duration::from_millis(10));
        }
        let t = start_time(child.id());
        (child, t)
    }

    fn stop_action(ex: &Executor, pid: u32, start: u64) -> Done {
        stop(
            ex,
            pid as i32,
            start,
            Some(Path::new("/bin/sleep-not-checked")),
            "SIGTERM",
            true,
        )
    }

    fn alive(child: &mut Child) -> bool {
        child.try_wait().unwrap().is_none()
    }

    #[test]
    fn well_behaved_process_stops_on_sigterm() {
        let (mut child, start) = spawn_sleep(Command::new("sleep").arg("30"));
        let exe = Process::new(child.id() as i32).unwrap().exe().unwrap();
        let done = stop(
            &executor(),
            child.id() as i32,
            start,
            Some(&exe),
            "SIGTERM",
            true,
        );
        assert_eq!(done.result, Verdict::Applied, "{}", done.detail);
        assert!(done.detail.contains("by SIGTERM"), "{}", done.detail);
        assert!(!alive(&mut child));
    }

    #[test]
    fn process_ignoring_sigterm_takes_sigkill_after_3_s() {
        let (mut child, start) =
            spawn_sleep(Command::new("sh").args(["-c", "trap '' TERM; exec sleep 30"]));
        let began = Instant::now();
        let done = stop(&executor(), child.id() as i32, start, None, "SIGTERM", true);
        assert_eq!(done.result, Verdict::Applied, "{}", done.detail);
        assert!(done.detail.contains("by SIGKILL"), "{}", done.detail);
        assert!(began.elapsed() >= Duration::from_secs(3));
        assert!(!alive(&mut child));
    }

    #[test]
    fn exited_process_is_already_gone() {
        let (mut child, start) = spawn_sleep(Command::new("sleep").arg("30"));
        child.kill().unwrap();
        child.wait().unwrap();
        let done = stop(&executor(), child.id() as i32, start, None, "SIGTERM", true);
        assert_eq!(done.result, Verdict::Skipped);
        assert!(done.detail.starts_with("already gone"), "{}", done.detail);
    }

    #[test]
    fn zombie_is_already_gone() {
        let (mut child, start) = spawn_sleep(Command::new("sleep").arg("30"));
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(child.id() as i32),
            Signal::SIGKILL,
        )
        .unwrap();
        // Not reaped yet: a zombie until wait() below.
        std::thread::sleep(Duration::from_millis(100));
        let done = stop(&executor(), child.id() as i32, start, None, "SIGTERM", true);
        assert!(done.detail.starts_with("already gone"), "{}", done.detail);
        child.wait().unwrap();
    }

    #[test]
    fn reused_pid_is_refused() {
        let (mut child, start) = spawn_sleep(Command::new("sleep").arg("30"));
        let done = stop_action(&executor(), child.id(), start + 1);
        assert!(
            done.detail.contains("the pid was reused"),
            "{}",
            done.detail
        );
        assert!(alive(&mut child));
        let wrong_exe = stop(
            &executor(),
            child.id() as i32,
            start,
            Some(Path::new("/srv/tmp/main")),
            "SIGTERM",
            true,
        );
        assert!(
            wrong_exe.detail.starts_with("refused: "),
            "{}",
            wrong_exe.detail
        );
        assert!(alive(&mut child));
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn another_users_process_is_refused() {
        let (mut child, start) = spawn_sleep(Command::new("sleep").arg("30").uid(65534));
        let done = stop(&executor(), child.id() as i32, start, None, "SIGTERM", true);
        assert_eq!(done.result, Verdict::Skipped);
        assert!(
            done.detail.contains("belongs to uid 65534"),
            "{}",
            done.detail
        );
        assert!(alive(&mut child));
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn init_and_own_ancestors_are_refused() {
        // SIGCHLD is harmless should a guard ever fail.
        let done = signal(&executor(), 1, start_time(1), "SIGCHLD");
        assert!(done.detail.starts_with("refused: "), "{}", done.detail);
        let parent = nix::unistd::getppid().as_raw() as u32;
        let done = signal(&executor(), parent as i32, start_time(parent), "SIGCHLD");
        assert!(
            done.detail.contains("one of its parents"),
            "{}",
            done.detail
        );
        let me = std::process::id();
        let done = stop_action(&executor(), me, start_time(me));
        assert!(done.detail.starts_with("refused: "), "{}", done.detail);
    }

    #[test]
    fn signal_is_sent_once() {
        let (mut child, start) = spawn_sleep(Command::new("sleep").arg("30"));
        let done = signal(&executor(), child.id() as i32, start, "TERM");
        assert_eq!(done.result, Verdict::Applied, "{}", done.detail);
        let status = child.wait().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(15)
        );
    }

    #[test]
    fn a_test_root_never_reaches_live_processes() {
        let (mut child, start) = spawn_sleep(Command::new("sleep").arg("30"));
        let fake = Executor::new(Path::new("/tmp"));
        let done = stop(&fake, child.id() as i32, start, None, "SIGTERM", true);
        assert!(done.detail.starts_with("refused: "), "{}", done.detail);
        assert!(alive(&mut child));
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn signal_names() {
        assert_eq!(parse_signal("term"), Ok(Signal::SIGTERM));
        assert_eq!(parse_signal("SIGINT"), Ok(Signal::SIGINT));
        assert!(parse_signal("SIGNOPE").is_err());
    }
}
