//! The guardian: a process that outlives the doctor and kills what the doctor started when
//! the doctor is gone, also when it was killed with SIGKILL.
//!
//! A parent-death signal reaches only a direct child: the go command dies with the doctor, but
//! the compilers it started run on under init, and so do an app's background child, a `sleep`
//! in build.cmd and a `setsid` child of what `run` started. So the doctor's own binary is
//! re-executed as a guardian (`reload-doctor __guardian ...`, see [`enter`]), whose standard
//! input is one end of a socket pair whose other end ([`Link`]) only the doctor holds: when it
//! reads end-of-file the doctor is gone (exited or killed). It guards in one of two ways:
//!
//! - **A command** (`__guardian -- PROGRAM ARGS..`, from [`wrap`]): the report's go commands
//!   ([`super::spawn`]) and `verify`'s reloader. The guardian starts the command with the
//!   command's environment and folder and is a child subreaper: every process under the
//!   command that loses its parent comes to the guardian, not to init. When the doctor is gone,
//!   or the command ends, it kills every process under it and exits (with the command's status).
//!   A command it cannot start is said through the link.
//! - **The runner** (`__guardian --watch RUNNER_PID`, from [`Watch::start`]): `run` stays the
//!   process the user started, so the guardian is its child, in a process group of its own
//!   (a Ctrl-C to the terminal does not reach it). Where a cgroup v2 can be made
//!   ([`super::cgroup`]) it first moves the runner into one: then nothing the runner starts can
//!   escape, however fast it is orphaned. Every [`LOOK_EVERY`] it records the runner's
//!   descendants (pid, start time, process group). When the runner is gone it kills the
//!   cgroup, then freezes (SIGSTOP) and kills what it recorded. It never signals a process the
//!   runner did not start: a recorded pid only while its start time still matches; another
//!   only when its parent is one being killed, or when it is in a process group whose leader
//!   was recorded as the runner's descendant (a group id cannot be reused while a member
//!   lives).
//!
//! Either way what is killed is stopped by [`super::supervise::stop`].

use super::procs::{self, Proc, ProcessTable};
use super::supervise::{self, StopPolicy, Target};
use nix::sys::signal::{signal, SigHandler, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The hidden first argument that makes the doctor's binary a guardian.
pub const SUBCOMMAND: &str = "__guardian";
/// Its second argument when it guards a command (what follows is the command).
const COMMAND: &str = "--";
/// Its second argument when it guards the runner (the runner's pid follows).
const WATCH: &str = "--watch";

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
    let link = match std::io::stdin().as_fd().try_clone_to_owned() {
        Ok(fd) => std::fs::File::from(fd),
        Err(e) => {
            eprintln!("reload-doctor: {SUBCOMMAND} has no standard input: {e}");
            return Some(2);
        }
    };
    let args: Vec<OsString> = args.collect();
    Some(match args.split_first() {
        Some((mode, command)) if mode == COMMAND => guard_command(command, link),
        Some((mode, runner)) if mode == WATCH => guard_runner(runner, link),
        _ => {
            eprintln!(
                "reload-doctor: {SUBCOMMAND} needs `{COMMAND} PROGRAM ARGS..` or `{WATCH} PID`"
            );
            2
        }
    })
}

/// The doctor's end of the socket to a guardian. Keep it until the guardian has exited:
/// closing it (or the doctor's death) tells the guardian to kill everything it guards.
pub struct Link(UnixStream);

impl Link {
    /// A link, and the guardian's end of it for its standard input.
    fn pair() -> Result<(Link, Stdio), String> {
        let (ours, theirs) = UnixStream::pair()
            .map_err(|e| format!("cannot make a socket for the guardian: {e}"))?;
        Ok((Link(ours), Stdio::from(std::os::fd::OwnedFd::from(theirs))))
    }

    /// After the guardian exited: why it could not start the command, if it could not.
    pub fn start_error(&self) -> Option<String> {
        let _ = self.0.set_nonblocking(true);
        let mut said = vec![];
        let _ = (&self.0).take(4096).read_to_end(&mut said);
        (!said.is_empty()).then(|| String::from_utf8_lossy(&said).into_owned())
    }
}

/// The guardian, to be started: the binary itself, also when its file was replaced or removed
/// since it started.
fn guardian(mode: &str) -> Command {
    let mut cmd = Command::new("/proc/self/exe");
    cmd.arg(SUBCOMMAND).arg(mode);
    cmd
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
    let (link, theirs) = Link::pair()?;
    let mut guardian = guardian(COMMAND);
    guardian
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdin(theirs);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => guardian.env(k, v),
            None => guardian.env_remove(k),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        guardian.current_dir(dir);
    }
    Ok((guardian, Some(link)))
}

/// Read `link` until end-of-file (the doctor is gone), then call `gone`; on a thread.
fn when_gone(mut link: std::fs::File, gone: impl FnOnce() + Send + 'static) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        loop {
            match link.read(&mut buf) {
                Ok(n) if n > 0 => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                _ => return gone(),
            }
        }
    });
}

/// Set by the first of the two ways a command's guardian ends (the command ended, the doctor
/// is gone), so only one of them cleans up and exits.
static ENDING: AtomicBool = AtomicBool::new(false);

/// `reload-doctor __guardian -- PROGRAM ARGS..`: the exit code mirrors the command's.
fn guard_command(args: &[OsString], mut link: std::fs::File) -> u8 {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("reload-doctor: {SUBCOMMAND} {COMMAND} needs a program");
        return 2;
    };
    // SIGINT and SIGTERM to the group are for the command (verify's graceful stop of its
    // reloader); the guardian stays to reap and to watch the doctor.
    ignore(&[Signal::SIGINT, Signal::SIGTERM]);
    let _ = nix::sys::prctl::set_child_subreaper(true);
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
    when_gone(link, || end(137));
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

/// Ignore `signals` (before any thread exists), with none blocked.
fn ignore(signals: &[Signal]) {
    // SAFETY: setting dispositions to SIG_IGN before any thread exists.
    unsafe {
        for sig in signals {
            let _ = signal(*sig, SigHandler::SigIgn);
        }
    }
    let _ = nix::sys::signal::sigprocmask(
        nix::sys::signal::SigmaskHow::SIG_SETMASK,
        Some(&nix::sys::signal::SigSet::empty()),
        None,
    );
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

/// How often the runner's guardian records the runner's descendants: a process started and
/// orphaned within this long before the runner's death can be missed (one that stays in a
/// recorded process group or under a recorded parent is not, nor anything in a cgroup).
const LOOK_EVERY: Duration = Duration::from_millis(50);

/// How long the runner waits for its guardian to say it watches (a loaded machine).
const READY_WITHIN: Duration = Duration::from_secs(10);

/// What the runner's guardian says once it watches.
const READY: &[u8; 6] = b"ready\n";

/// The process group of the runner's guardian, so the runner's sweep of stray children
/// leaves it alone.
static WATCH_GROUP: AtomicI32 = AtomicI32::new(0);

/// The runner's guardian, as the runner holds it.
pub struct Watch {
    child: Child,
    link: Option<Link>,
}

impl Watch {
    /// Start the guardian of this process (the runner), before its first child: it says when
    /// it watches, and this returns then.
    pub fn start() -> Result<Watch, String> {
        let (link, theirs) = Link::pair()?;
        let mut cmd = guardian(WATCH);
        // In a group of its own (a Ctrl-C to the terminal's group does not reach it), and
        // never dying with the runner: it is there for when the runner dies.
        supervise::own_group(&mut cmd, false)
            .arg(std::process::id().to_string())
            // Never the project folder: it may be removed or unmounted while we wait.
            .current_dir("/")
            .stdin(theirs)
            .stdout(Stdio::null());
        // The runner blocks SIGINT/SIGTERM/SIGHUP for its signal thread; std keeps that mask,
        // and the guardian ignores those signals anyway (see [`guard_runner`]).
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the watchdog: {e}"))?;
        drop(cmd);
        WATCH_GROUP.store(child.id() as i32, Ordering::SeqCst);
        let mut said = [0u8; READY.len()];
        let ready = link.0.set_read_timeout(Some(READY_WITHIN)).is_ok()
            && (&link.0).read_exact(&mut said).is_ok()
            && &said == READY;
        let watch = Watch {
            child,
            link: Some(link),
        };
        if !ready {
            return Err("the watchdog did not start".into());
        }
        Ok(watch)
    }

    /// The process group of the runner's guardian, if one runs.
    pub fn group() -> Option<i32> {
        Some(WATCH_GROUP.load(Ordering::SeqCst)).filter(|g| *g > 0)
    }
}

impl Drop for Watch {
    /// The runner ends: close the link (the guardian then checks that nothing is left) and
    /// reap it, bounded, so no process of ours outlives the runner's exit.
    fn drop(&mut self) {
        super::cgroup::leave();
        drop(self.link.take());
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// `reload-doctor __guardian --watch RUNNER_PID`.
fn guard_runner(args: &[OsString], link: std::fs::File) -> u8 {
    let Some(runner) = args.first().and_then(|a| a.to_str()?.parse::<i32>().ok()) else {
        eprintln!("reload-doctor: {SUBCOMMAND} {WATCH} needs the runner's pid");
        return 2;
    };
    // Ctrl-C, a closed terminal or a stray SIGTERM must not end the guardian before the
    // runner: it ends when the link closes.
    ignore(&[
        Signal::SIGINT,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGQUIT,
    ]);
    let mut ready = link.try_clone().ok();
    let gone = Arc::new(AtomicBool::new(false));
    let flag = gone.clone();
    when_gone(link, move || flag.store(true, Ordering::SeqCst));
    let me = std::process::id() as i32;
    // Where possible, everything the runner starts stays in one cgroup (see `cgroup`).
    let cgroup = super::cgroup::Cgroup::enclose(runner).ok();
    // Every process seen under the runner: pid -> start time.
    let mut seen: HashMap<i32, u64> = HashMap::new();
    // Process groups whose leader was seen under the runner: leader pid -> its start time.
    let mut groups: HashMap<i32, u64> = HashMap::new();
    // In a cgroup (made only where `cgroup.kill` exists), whose kill reaches everything the
    // runner starts, the runner is recorded once, before its first child, and its end
    // watched. Each record reads every thread of every process under the runner, and each
    // dentry that makes in /proc is walked again when the process is reaped: the go command
    // paid for it in its wait for each compiler (`perf`: `d_walk` under `waitid`, 3-4 % of a
    // build's CPU at a record every 50 ms, still 2 % at one a second; none without records).
    let mut recorded = false;
    while !gone.load(Ordering::SeqCst) {
        if recorded && cgroup.is_some() {
            std::thread::sleep(LOOK_EVERY);
            continue;
        }
        recorded = true;
        procs::walk(Path::new("/proc"), runner, |pid| {
            let Some(p) = procs::live(pid).filter(|_| pid != me) else {
                return false;
            };
            seen.insert(p.pid, p.start_time);
            if p.pid == p.pgrp {
                groups.insert(p.pid, p.start_time);
            }
            !starts_nothing(&p)
        });
        if let Some(mut out) = ready.take() {
            let _ = out.write_all(READY);
        }
        std::thread::sleep(LOOK_EVERY);
    }
    if let Some(cgroup) = &cgroup {
        cgroup.kill_all();
    }
    // Freeze what is left (no more forks), widening to what they started meanwhile, then
    // kill: freezing gets half a second, whatever is found after that is killed at once.
    let mut left = || match ProcessTable::scan(Path::new("/proc")) {
        Ok(mut table) => {
            table.procs.retain(|p| p.state != 'Z');
            targets(&table.procs, &seen, &groups).into_iter().collect()
        }
        Err(_) => vec![],
    };
    let policy = StopPolicy::escalating(
        Signal::SIGSTOP,
        Duration::from_millis(500),
        Duration::from_millis(1500),
    );
    supervise::stop(Target::Each(&mut left), &policy);
    drop(cgroup);
    0
}

/// Go's compiler and assembler (the toolchain's own binaries, not a program that took the
/// name) start no process, so their threads' children are not read: a build runs dozens of
/// them, each with several threads, and every /proc dentry a look makes for them is walked
/// again when the go command reaps them (see `guard_runner`).
fn starts_nothing(p: &Proc) -> bool {
    matches!(p.comm.as_str(), "compile" | "asm")
        && std::fs::read_link(format!("/proc/{}/exe", p.pid)).is_ok_and(|exe| {
            exe.parent()
                .is_some_and(|dir| dir.to_string_lossy().contains("/pkg/tool/"))
        })
}

/// The processes to kill, out of `now`: the recorded ones still alive (same start time);
/// members of a recorded group whose leader is gone or still the one recorded; and, until
/// nothing is added, children of those.
fn targets(now: &[Proc], seen: &HashMap<i32, u64>, groups: &HashMap<i32, u64>) -> HashSet<i32> {
    let start_of: HashMap<i32, u64> = now.iter().map(|p| (p.pid, p.start_time)).collect();
    let leader_ok = |g: i32| match (groups.get(&g), start_of.get(&g)) {
        (None, _) => false,
        (Some(start), Some(leader)) => leader == start,
        (Some(_), None) => true,
    };
    let mut out: HashSet<i32> = now
        .iter()
        .filter(|p| seen.get(&p.pid) == Some(&p.start_time) || leader_ok(p.pgrp))
        .map(|p| p.pid)
        .collect();
    loop {
        let more: Vec<i32> = now
            .iter()
            .filter(|p| !out.contains(&p.pid) && out.contains(&p.ppid))
            .map(|p| p.pid)
            .collect();
        if more.is_empty() {
            return out;
        }
        out.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process is taken for Go's compiler by its name and by where its binary is (a
    /// toolchain's pkg/tool folder), not by its name alone: an app built as `compile` is
    /// still walked.
    #[test]
    fn only_the_toolchains_compiler_is_taken_to_start_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let run_as = |sub: &str| {
            let folder = dir.path().join(sub);
            std::fs::create_dir_all(&folder).unwrap();
            let exe = folder.join("compile");
            std::fs::copy("/bin/sleep", &exe).unwrap();
            Command::new(&exe).arg("30").spawn().unwrap()
        };
        let mut tool = run_as("go/pkg/tool/linux_amd64");
        let mut app = run_as("myapp/tmp");
        std::thread::sleep(Duration::from_millis(100));
        let judge = |c: &Child| starts_nothing(&procs::live(c.id() as i32).unwrap());
        let (tool_judged, app_judged) = (judge(&tool), judge(&app));
        for c in [&mut tool, &mut app] {
            let _ = c.kill();
            let _ = c.wait();
        }
        assert!(tool_judged, "Go's compile starts nothing");
        assert!(!app_judged, "an app named compile is walked");
        let me = procs::live(std::process::id() as i32).unwrap();
        assert!(!starts_nothing(&me));
    }

    fn proc(pid: i32, ppid: i32, pgrp: i32, start: u64) -> Proc {
        Proc {
            pid,
            ppid,
            state: 'S',
            comm: "x".into(),
            uid: 0,
            start_time: start,
            pgrp,
            tty_nr: 0,
        }
    }

    #[test]
    fn only_what_the_runner_started_is_a_target() {
        let seen: HashMap<i32, u64> = [(10, 5), (20, 6)].into();
        let groups: HashMap<i32, u64> = [(10, 5), (20, 6)].into();
        let now = vec![
            // 10 is still the app the runner started; 11 joined its group unseen.
            proc(10, 1, 10, 5),
            proc(11, 1, 10, 9),
            // 12 is a child of 11, in a session of its own (setsid after the last look).
            proc(12, 11, 12, 9),
            // pid 20 was reused by another program: neither it nor its group is ours.
            proc(20, 1, 20, 99),
            proc(21, 20, 20, 99),
            // The user's shell and an unrelated daemon.
            proc(30, 1, 30, 1),
            proc(31, 30, 31, 2),
        ];
        let mut t: Vec<i32> = targets(&now, &seen, &groups).into_iter().collect();
        t.sort();
        assert_eq!(t, [10, 11, 12]);
    }

    #[test]
    fn a_group_whose_leader_died_is_still_ours() {
        let seen: HashMap<i32, u64> = [(40, 7)].into();
        let groups: HashMap<i32, u64> = [(40, 7)].into();
        // go build (40) got the parent-death signal; its compiler was never seen.
        let now = vec![proc(41, 1, 40, 8), proc(50, 1, 50, 8)];
        let t: Vec<i32> = targets(&now, &seen, &groups).into_iter().collect();
        assert_eq!(t, [41]);
    }
}
