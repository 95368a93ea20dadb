//! The watchdog that stops everything `run` started when the runner is killed with SIGKILL.
//!
//! The parent-death signal reaches only a direct child: an app's background child, a
//! `sleep` in build.cmd, `go build`'s compilers and a `setsid` child survive a `kill -9` of
//! the runner, and are re-parented away from it. So the runner starts this small process (a
//! re-exec of the same binary: `reload-doctor __run-watchdog RUNNER_PID`, in a process group
//! of its own so a Ctrl-C to the terminal does not reach it) and keeps the write end of its
//! stdin; nobody ever writes to it. While the runner lives, the watchdog records every
//! descendant of the runner (pid, start time, process group) every [`LOOK_EVERY`]. When the
//! pipe reads end-of-file the runner is gone (killed, or exited after stopping everything
//! itself): the watchdog stops and kills what it recorded, and exits.
//!
//! Where a cgroup v2 can be made, the runner is moved into one first ([`super::cgroup`]):
//! then nothing it starts can escape, however fast it is orphaned, and the cgroup is killed
//! before the recorded processes are.
//!
//! It never signals a process the runner did not start: a recorded pid is signalled only
//! while its start time still matches; a process it did not record only when its parent is
//! one being killed, or when it is in a process group whose leader was recorded as the
//! runner's descendant (a group id cannot be reused while a member lives).

use checks::system::procs::{self, live, Proc, ProcessTable};
use checks::system::supervise::{self, StopPolicy, Target};
use nix::sys::signal::{signal, SigHandler, Signal};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const SUBCOMMAND: &str = "__run-watchdog";

/// How often the watchdog records the runner's descendants: a process started and orphaned
/// within this long before the runner's death can be missed (one that stays in a recorded
/// process group or under a recorded parent is not).
const LOOK_EVERY: Duration = Duration::from_millis(50);

/// How long the runner waits for the watchdog to say it watches (a loaded machine).
const READY_WITHIN: Duration = Duration::from_secs(10);

/// The watchdog's process group, so the runner's sweep of stray children leaves it alone.
static GROUP: AtomicI32 = AtomicI32::new(0);

/// The running watchdog, as the runner holds it.
pub struct Watchdog {
    child: Child,
    pipe: Option<ChildStdin>,
}

impl Watchdog {
    /// Start the watchdog for this process.
    pub fn start() -> Result<Watchdog, String> {
        let me = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
        let mut cmd = Command::new(me);
        cmd.arg(SUBCOMMAND)
            .arg(std::process::id().to_string())
            .process_group(0)
            // Never the project folder: it may be removed or unmounted while we wait.
            .current_dir("/")
            .stdin(Stdio::piped())
            // One line, "ready", once it watches: no child starts before that.
            .stdout(Stdio::piped());
        // The runner blocks SIGINT/SIGTERM/SIGHUP for its signal thread; std keeps that mask,
        // and the watchdog ignores those signals anyway (see [`main`]).
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the watchdog: {e}"))?;
        GROUP.store(child.id() as i32, Ordering::SeqCst);
        let pipe = child.stdin.take();
        let ready = child.stdout.take().map(|mut out| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let mut line = [0u8; 6];
                let _ = tx.send(out.read_exact(&mut line).is_ok() && &line == b"ready\n");
            });
            rx.recv_timeout(READY_WITHIN).unwrap_or(false)
        });
        let watchdog = Watchdog { child, pipe };
        if ready != Some(true) {
            return Err("the watchdog did not start".into());
        }
        Ok(watchdog)
    }
}

/// The watchdog's process group, if one runs.
pub fn group() -> Option<i32> {
    Some(GROUP.load(Ordering::SeqCst)).filter(|g| *g > 0)
}

impl Drop for Watchdog {
    /// The runner ends: close the pipe (the watchdog then checks that nothing is left) and
    /// reap it, bounded, so no process of ours outlives the runner's exit.
    fn drop(&mut self) {
        super::cgroup::leave();
        drop(self.pipe.take());
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// `reload-doctor __run-watchdog RUNNER_PID`.
pub fn main(args: &[String]) -> u8 {
    let Some(runner) = args.first().and_then(|a| a.parse::<i32>().ok()) else {
        eprintln!("reload-doctor: {SUBCOMMAND} needs the runner's pid");
        return 2;
    };
    // Ctrl-C, a closed terminal or a stray SIGTERM must not end the watchdog before the
    // runner: it ends when the pipe closes.
    // SAFETY: setting dispositions to SIG_IGN before any thread exists.
    unsafe {
        for sig in [
            Signal::SIGINT,
            Signal::SIGTERM,
            Signal::SIGHUP,
            Signal::SIGQUIT,
        ] {
            let _ = signal(sig, SigHandler::SigIgn);
        }
    }
    let _ = nix::sys::signal::sigprocmask(
        nix::sys::signal::SigmaskHow::SIG_SETMASK,
        Some(&nix::sys::signal::SigSet::empty()),
        None,
    );
    let gone = Arc::new(AtomicBool::new(false));
    {
        let gone = gone.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            gone.store(true, Ordering::SeqCst);
        });
    }
    let me = std::process::id() as i32;
    // Where possible, everything the runner starts stays in one cgroup (see `cgroup`).
    let cgroup = super::cgroup::Cgroup::enclose(runner).ok();
    // Every process seen under the runner: pid -> start time.
    let mut seen: HashMap<i32, u64> = HashMap::new();
    // Process groups whose leader was seen under the runner: leader pid -> its start time.
    let mut groups: HashMap<i32, u64> = HashMap::new();
    let mut ready = Some(std::io::stdout());
    while !gone.load(Ordering::SeqCst) {
        let under = procs::tree(std::path::Path::new("/proc"), runner);
        let under = under.into_iter().skip(1).filter(|pid| *pid != me);
        for p in under.filter_map(live) {
            seen.insert(p.pid, p.start_time);
            if p.pid == p.pgrp {
                groups.insert(p.pid, p.start_time);
            }
        }
        if let Some(mut out) = ready.take() {
            use std::io::Write;
            let _ = out.write_all(b"ready\n").and_then(|()| out.flush());
        }
        std::thread::sleep(LOOK_EVERY);
    }
    if let Some(cgroup) = &cgroup {
        cgroup.kill_all();
    }
    stop_all(&seen, &groups);
    drop(cgroup);
    0
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

/// Freeze what is left (no more forks), widening to what they started meanwhile, then kill
/// (bounded: a process stuck in the kernel is left to init). Freezing gets half a second;
/// whatever is found after that is killed at once.
fn stop_all(seen: &HashMap<i32, u64>, groups: &HashMap<i32, u64>) {
    let mut left = || match ProcessTable::scan(std::path::Path::new("/proc")) {
        Ok(mut table) => {
            table.procs.retain(|p| p.state != 'Z');
            targets(&table.procs, seen, groups).into_iter().collect()
        }
        Err(_) => vec![],
    };
    let policy = StopPolicy::escalating(
        Signal::SIGSTOP,
        Duration::from_millis(500),
        Duration::from_millis(1500),
    );
    supervise::stop(Target::Each(&mut left), &policy);
}

#[cfg(test)]
mod tests {
    use super::*;

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
