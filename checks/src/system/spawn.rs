//! Running a short-lived command for a check (`go build`, `go list`, `go env`): in a process
//! group of its own, killed as a group at a deadline, and killed if the doctor dies first.
//! The one place the checks start programs, so every child is bounded the same way: in time
//! by a deadline, and in memory by [`MEMORY_LIMIT`] per process (a hostile tree made the go
//! command itself grow past 10 GB on a 50 MB source file of NULs).

use super::supervise::{self, StopPolicy, Target};
use nix::sys::resource::{getrlimit, setrlimit, Resource};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

/// How a bounded command ended.
#[derive(Debug)]
pub enum Ended {
    Exited {
        success: bool,
        /// As written: `go list` prints folder names, whose bytes need not be UTF-8.
        stdout: Vec<u8>,
        stderr: String,
    },
    /// Killed, with its whole group, at the deadline.
    TimedOut,
    /// A process of it ran out of [`MEMORY_LIMIT`] and failed.
    OutOfMemory { stderr: String },
}

/// The data segment (heap) each process of a command may grow to: well above what a real
/// package's compile or link takes (the largest generated packages need 1 to 2 GB), low
/// enough that a report cannot take a developer's machine down. A lower limit the doctor
/// itself runs under is kept.
pub const MEMORY_LIMIT: u64 = 4 << 30;

/// Run `cmd` to completion with stdin closed, or kill its process group (the command and
/// everything it started, such as go's compiler children) after `limit`. It runs under a
/// guardian ([`super::guardian`]) that kills everything it started when the doctor dies,
/// SIGKILL included. Without one (a program that cannot guard: the library's tests) the
/// command itself gets SIGKILL when the thread that started it dies
/// ([`supervise::die_with_parent`]); this function waits for it on that same thread, so that
/// only happens when the doctor itself is killed.
pub fn run(mut cmd: Command, limit: Duration) -> Result<Ended, String> {
    cmd.stdin(Stdio::null());
    let (mut cmd, link) = super::guardian::wrap(cmd)?;
    // A guardian must outlive the doctor (to kill what is under it): no parent-death signal.
    supervise::own_group(&mut cmd, link.is_none())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (soft, hard) = data_limits();
    // SAFETY: setrlimit is a plain system call; nothing is allocated between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            setrlimit(Resource::RLIMIT_DATA, soft, hard)?;
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    // It holds the guardian's end of the link, which only the guardian may keep.
    drop(cmd);
    // Read in threads so a large output cannot fill a pipe and stall the child.
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = vec![];
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = read(Box::new(child.stdout.take().expect("piped")));
    let err = read(Box::new(child.stderr.take().expect("piped")));
    let pgid = child.id() as i32;
    super::interrupt::track_group(pgid);
    let ended = wait(child, pgid, out, err, limit);
    super::interrupt::untrack_group(pgid);
    match link.and_then(|l| l.start_error()) {
        Some(e) => Err(format!("cannot start: {e}")),
        None => ended,
    }
}

type Reader = std::thread::JoinHandle<Vec<u8>>;

/// Wait for `child` (the leader of `pgid`) and its output, or kill the group after `limit`.
fn wait(
    mut child: std::process::Child,
    pgid: i32,
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
            supervise::stop(Target::group(pgid), &StopPolicy::KILL);
            let _ = waiter.join();
            return Ok(Ended::TimedOut);
        }
    };
    let _ = waiter.join();
    // A grandchild that left the group may still hold the pipes: its output is not waited for.
    supervise::stop(Target::group(pgid), &StopPolicy::KILL);
    let (stdout, stderr) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    if !status.success() && out_of_memory(&stderr) {
        return Ok(Ended::OutOfMemory { stderr });
    }
    Ok(Ended::Exited {
        success: status.success(),
        stdout,
        stderr,
    })
}

/// How Go's runtime (and a C compiler under cgo) says an allocation was refused.
fn out_of_memory(stderr: &str) -> bool {
    [
        "fatal error: runtime: out of memory",
        "fatal error: runtime: cannot allocate memory",
        ": out of memory",
    ]
    .iter()
    .any(|m| stderr.contains(m))
}

/// The (soft, hard) data limits a child gets: [`MEMORY_LIMIT`], or the doctor's own if lower.
fn data_limits() -> (u64, u64) {
    let (soft, hard) = getrlimit(Resource::RLIMIT_DATA).unwrap_or((u64::MAX, u64::MAX));
    (soft.min(MEMORY_LIMIT), hard.min(MEMORY_LIMIT))
}

/// Says what [`Ended::OutOfMemory`] means, for a message.
pub fn memory_limit_text() -> String {
    let limit = data_limits().0;
    let amount = match limit >= 1 << 30 {
        true => format!("{} GB", limit >> 30),
        false => format!("{} MB", limit >> 20),
    };
    format!(
        "needed more than the {amount} of memory a report lets one process use, and was stopped"
    )
}

/// [`run`] for commands whose output is the point (`go list`, `go env`): (success, stdout,
/// stderr), and the deadline as an error.
pub fn output(cmd: Command, limit: Duration) -> Result<(bool, Vec<u8>, String), String> {
    match run(cmd, limit)? {
        Ended::Exited {
            success,
            stdout,
            stderr,
        } => Ok((success, stdout, stderr)),
        Ended::TimedOut => Err(format!("gave up after {}", crate::text::span(limit))),
        Ended::OutOfMemory { .. } => Err(memory_limit_text()),
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
            } => assert_eq!(
                (success, &*stdout, &*stderr),
                (false, &b"out\n"[..], "err\n")
            ),
            _ => panic!("timed out"),
        }
    }

    #[test]
    fn every_process_of_the_command_gets_the_memory_limit() {
        // The grandchild reads its own limits: the limit is inherited past the first exec.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sh -c 'cat /proc/self/limits'"]);
        let (ok, out, _) = output(cmd, Duration::from_secs(5)).unwrap();
        assert!(ok);
        let out = String::from_utf8_lossy(&out);
        let line = out
            .lines()
            .find(|l| l.starts_with("Max data size"))
            .unwrap();
        let want = data_limits().0.to_string();
        assert!(data_limits().0 <= MEMORY_LIMIT);
        assert_eq!(
            line.split_whitespace().nth(3),
            Some(want.as_str()),
            "{line}"
        );
    }

    #[test]
    fn a_go_program_out_of_memory_is_told_apart() {
        assert!(out_of_memory(
            "fatal error: runtime: out of memory\n\nruntime stack:\n"
        ));
        assert!(out_of_memory(
            "fatal error: runtime: cannot allocate memory\n\nruntime stack:\n"
        ));
        assert!(!out_of_memory("main.go:3:3: invalid NUL character"));
    }
}
