//! Starting the reloader under test in its own process group, and stopping everything it
//! started, whatever group its children moved to.

use checks::system::procs::{self, ProcessTable};
use checks::system::supervise::{self, PidFd, StopPolicy, Target};
use checks::{Project, Reloader};
use nix::sys::signal::Signal;
use reload_doctor_checks as checks;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Which reloader to drive: `--with air|gin|fresh|ours|CMD`.
pub fn command_for(with: Option<&str>, project: &Project) -> Result<(String, Command), String> {
    let with = with.unwrap_or(match project.reloader {
        Reloader::Air => "air",
        Reloader::Fresh => "fresh",
        Reloader::Gin => "gin",
        Reloader::None => "ours",
    });
    let root = &project.root;
    let installed = |bin: &str, install: &str| -> Result<PathBuf, String> {
        which::which(bin).map_err(|_| {
            format!("{bin} is not installed or not on PATH: install it with `{install}`, or use --with ours")
        })
    };
    let mut cmd = match with {
        "ours" => {
            let me = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
            let mut c = Command::new(me);
            c.arg("run").arg("--project").arg(root);
            if let Some(port) = project.known_port() {
                c.arg("--port").arg(port.to_string());
            }
            c
        }
        "air" => {
            let mut c = Command::new(installed(
                "air",
                "go install github.com/air-verse/air@latest",
            )?);
            if let Some(config) = &project.config_path {
                c.arg("-c").arg(config);
            }
            c
        }
        "fresh" => Command::new(installed(
            "fresh",
            "go install github.com/pilu/fresh@latest",
        )?),
        "gin" => {
            // gin serves on its own port and hands the app PORT=appPort; the app's port is ours.
            let mut c = Command::new(installed(
                "gin",
                "go install github.com/codegangsta/gin@latest",
            )?);
            let proxy = free_port().ok_or("no free port for gin's proxy")?;
            c.args([
                "--immediate",
                "--appPort",
                &project.port.to_string(),
                "--port",
                &proxy.to_string(),
            ]);
            c
        }
        other => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(other);
            c
        }
    };
    cmd.current_dir(root);
    // An unknown port is not made up: the app listens where it chooses, and verify sees it.
    if let Some(port) = project.known_port() {
        cmd.env("PORT", port.to_string());
    }
    Ok((with.to_string(), cmd))
}

fn free_port() -> Option<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()
        .map(|a| a.port())
}

/// A running reloader and every process seen under it.
pub struct Running {
    child: Child,
    /// Held while the reloader runs: its end tells the guardian to kill what is left.
    _link: Option<checks::system::guardian::Link>,
    pub pid: i32,
    pub log: PathBuf,
    /// (pid, start time) of every descendant ever seen, so stopping reaches them all.
    seen: HashSet<(i32, u64)>,
    /// How much of the log [`Running::reported_failure`] has read.
    read_to: usize,
}

impl Running {
    /// Start `cmd` under a guardian ([`checks::system::guardian`]): it and everything it
    /// starts die with verify, also when verify is killed.
    pub fn start(cmd: Command, log_dir: &Path) -> Result<Running, String> {
        let log = log_dir.join("reloader.log");
        let out = std::fs::File::create(&log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let program = cmd.get_program().to_owned();
        let (mut guarded, link) = checks::system::guardian::wrap(cmd)?;
        let child = supervise::own_group(&mut guarded, false)
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {program:?}: {e}"))?;
        Ok(Running {
            pid: child.id() as i32,
            child,
            _link: link,
            log,
            seen: HashSet::new(),
            read_to: 0,
        })
    }

    /// A failure the reloader has printed since the last call, as (stage, the line): a build
    /// that failed (ours: `✘ build failed`, air: `failed to build`, `failed to execute
    /// pre_cmd`, gin: `Build failed`), or, while `starting`, an app that exited (ours:
    /// `app exited:`, air: `Process Exit with Code`; air prints that on ordinary restarts
    /// too, so only before the first serve). verify then ends at once instead of waiting.
    pub fn reported_failure(&mut self, starting: bool) -> Option<(&'static str, String)> {
        // Only what was written since the last call: verify polls this while it waits.
        let mut new = vec![];
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            use std::io::{Read, Seek, SeekFrom};
            if f.seek(SeekFrom::Start(self.read_to as u64)).is_ok() {
                let _ = f.read_to_end(&mut new);
            }
        }
        // Only whole lines: a line still being written is read next time.
        let end = new.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let new = String::from_utf8_lossy(&new[..end]).into_owned();
        self.read_to += end;
        let build_stage = if starting { "start" } else { "build finished" };
        new.lines().find_map(|line| {
            let l = line.to_ascii_lowercase();
            if l.contains("build failed")
                || l.contains("failed to build")
                || l.contains("failed to execute pre_cmd")
            {
                Some((build_stage, line.trim().to_string()))
            } else if starting
                && (l.contains("app exited:") || l.contains("process exit with code"))
            {
                Some(("start", line.trim().to_string()))
            } else {
                None
            }
        })
    }

    /// Whether the reloader itself has exited (and with what).
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            _ => None,
        }
    }

    /// Descendants of the reloader, with their start times from `table` (remembered for
    /// [`Running::stop`]).
    pub fn descendants(&mut self, table: &ProcessTable) -> Vec<i32> {
        let found = procs::tree(table.proc_root(), self.pid).split_off(1);
        for pid in &found {
            if let Some(p) = table.get(*pid) {
                self.seen.insert((p.pid, p.start_time));
            }
        }
        found
    }

    /// The last lines of the reloader's output, for a failure message.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Stop the reloader (SIGINT to its group, as from a terminal, then SIGKILL after 5 s)
    /// and then every descendant it left behind. Returns the pids that had to be killed
    /// afterwards.
    pub fn stop(&mut self, proc_root: &Path) -> Vec<i32> {
        if let Ok(table) = ProcessTable::scan(proc_root) {
            self.descendants(&table);
        }
        let child = &mut self.child;
        let leader = &mut |until: Instant| loop {
            if !matches!(child.try_wait(), Ok(None)) {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let policy = StopPolicy::escalating(
            Signal::SIGINT,
            Duration::from_secs(5),
            Duration::from_secs(5),
        );
        let target = Target::Group {
            pgid: self.pid,
            leader: Some(leader),
        };
        supervise::stop(target, &policy);
        let _ = self.child.wait();
        let mut left = vec![];
        if let Ok(table) = ProcessTable::scan(proc_root) {
            for (pid, start) in &self.seen {
                if !table
                    .get(*pid)
                    .is_some_and(|p| p.start_time == *start && p.state != 'Z')
                {
                    continue;
                }
                // Held by a pidfd, then checked again: the pid cannot have been reused since.
                let Ok(fd) = PidFd::open(*pid) else { continue };
                if procs::live(*pid).is_some_and(|p| p.start_time == *start) {
                    left.push(*pid);
                    supervise::stop(Target::Pid(&fd), &StopPolicy::KILL);
                }
            }
        }
        left.sort();
        left
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.exited().is_none() {
            self.stop(Path::new("/proc"));
        }
    }
}
