//! Running a short-lived command for a check (`go build`, `go list`, `go env`): in a process
//! group of its own, killed as a group at a deadline, and killed if the doctor dies first.
//! The one place the checks start programs, so every child is bounded the same way.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

/// How a bounded command ended.
#[derive(Debug)]
pub enum Ended {
    Exited {
        success: bool,
        stdout: String,
        stderr: String,
    },
    /// Killed, with its whole group, at the deadline.
    TimedOut,
}

/// Run `cmd` to completion with stdin closed, or kill its process group (the command and
/// everything it started, such as go's compiler children) after `limit`. The child also
/// gets SIGKILL when the thread that started it dies (`PR_SET_PDEATHSIG`); this function
/// waits for it on that same thread, so that only happens when the doctor itself is killed.
pub fn run(mut cmd: Command, limit: Duration) -> Result<Ended, String> {
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: prctl is async-signal-safe; nothing is allocated between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
                .map_err(std::io::Error::from)
        });
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    // Read in threads so a large output cannot fill a pipe and stall the child.
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = vec![];
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = read(Box::new(child.stdout.take().expect("piped")));
    let err = read(Box::new(child.stderr.take().expect("piped")));
    let pgid = nix::unistd::Pid::from_raw(child.id() as i32);
    super::interrupt::track_group(pgid.as_raw());
    let ended = wait(child, pgid, out, err, limit);
    super::interrupt::untrack_group(pgid.as_raw());
    ended
}

type Reader = std::thread::JoinHandle<String>;

/// Wait for `child` (the leader of `pgid`) and its output, or kill the group after `limit`.
fn wait(
    mut child: std::process::Child,
    pgid: nix::unistd::Pid,
    out: Reader,
    err: Reader,
    limit: Duration,
) -> Result<Ended, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = match rx.recv_timeout(limit) {
        Ok(status) => status.map_err(|e| format!("cannot wait: {e}"))?,
        Err(_) => {
            let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
            let _ = waiter.join();
            return Ok(Ended::TimedOut);
        }
    };
    let _ = waiter.join();
    // A grandchild that left the group may still hold the pipes: its output is not waited for.
    let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
    let text = |h: std::thread::JoinHandle<String>| h.join().unwrap_or_default();
    Ok(Ended::Exited {
        success: status.success(),
        stdout: text(out),
        stderr: text(err),
    })
}

/// [`run`] for commands whose output is the point (`go list`, `go env`): (success, stdout,
/// stderr), and the deadline as an error.
pub fn output(cmd: Command, limit: Duration) -> Result<(bool, String, String), String> {
    match run(cmd, limit)? {
        Ended::Exited {
            success,
            stdout,
            stderr,
        } => Ok((success, stdout, stderr)),
        Ended::TimedOut => Err(format!("gave up after {}", crate::text::span(limit))),
    }
}

/// How long `go env` may take: it reads files only, so this is a hung disk or a FIFO.
pub const GO_ENV_LIMIT: Duration = Duration::from_secs(10);

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_slow_command_is_stopped_with_its_children() {
        let start = Instant::now();
        let mut cmd = Command::new("sh");
        // The child sleeps; the grandchild writes a marker if it survives the group kill.
        let marker = std::env::temp_dir().join(format!("spawn-test-{}", std::process::id()));
        cmd.arg("-c")
            .arg(format!("(sleep 1; touch {}) & sleep 5", marker.display()));
        assert!(matches!(
            run(cmd, Duration::from_millis(200)).unwrap(),
            Ended::TimedOut
        ));
        assert!(start.elapsed() < Duration::from_secs(2));
        std::thread::sleep(Duration::from_millis(1200));
        assert!(
            !marker.exists(),
            "a child of the command outlived the deadline"
        );
    }

    #[test]
    fn output_and_status_are_kept_apart() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        match run(cmd, Duration::from_secs(5)).unwrap() {
            Ended::Exited {
                success,
                stdout,
                stderr,
            } => assert_eq!((success, &*stdout, &*stderr), (false, "out\n", "err\n")),
            Ended::TimedOut => panic!("timed out"),
        }
    }
}
