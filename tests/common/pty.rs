//! The binary under a pseudo-terminal (util-linux `script`) of a given width: what a person
//! sees there.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Escape codes (CSI sequences) taken out: what the terminal shows.
pub fn visible(s: &str) -> String {
    regex::Regex::new("\x1b\\[[0-9;?]*[A-Za-z]")
        .unwrap()
        .replace_all(s, "")
        .replace('\r', "")
}

pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The binary with `args`, quoted for `sh -c`.
pub fn command_line(args: &[&str]) -> String {
    std::iter::once(super::bin())
        .chain(args.iter().copied())
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `script` running `shell` under a terminal `cols` wide, with colour left to the binary.
fn script(cols: u16, shell: &str) -> Command {
    let mut cmd = Command::new("script");
    cmd.args([
        "-q",
        "-e",
        "-c",
        &format!("stty rows 40 cols {cols}; {shell}"),
        "/dev/null",
    ])
    .env_remove("NO_COLOR")
    .env_remove("FORCE_COLOR")
    .env_remove("CLICOLOR_FORCE")
    .env_remove("COLUMNS");
    cmd
}

/// stdout of the binary run under a pseudo-terminal `cols` wide (stderr, the spinner, goes
/// to /dev/null).
pub fn in_terminal(cols: u16, args: &[&str]) -> String {
    in_terminal_with(cols, args, &[])
}

/// [`in_terminal`] with `env` added.
pub fn in_terminal_with(cols: u16, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = script(cols, &format!("{} 2>/dev/null", command_line(args)))
        .envs(env.iter().copied())
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// All the terminal shows (stdout and stderr) of the binary run `cols` wide.
pub fn screen(cols: u16, args: &[&str]) -> String {
    let out = script(cols, &command_line(args))
        .output()
        .expect("script (util-linux) runs");
    visible(&String::from_utf8_lossy(&out.stdout))
}

/// The binary running under a pseudo-terminal, read as it writes.
pub struct Session {
    script: Child,
    chunks: Receiver<Vec<u8>>,
    pid_file: tempfile::NamedTempFile,
    pub raw: Vec<u8>,
}

impl Session {
    /// Start the binary with `args` and `env` under a terminal `cols` wide (its stderr to
    /// /dev/null).
    pub fn start(cols: u16, args: &[&str], env: &[(&str, &str)]) -> Session {
        let pid_file = tempfile::NamedTempFile::new().unwrap();
        let shell = format!(
            "echo $$ > {}; exec {} 2>/dev/null",
            quote(&pid_file.path().display().to_string()),
            command_line(args)
        );
        let mut script = script(cols, &shell)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .spawn()
            .expect("script (util-linux) runs");
        let mut stdout = script.stdout.take().unwrap();
        let (tx, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Session {
            script,
            chunks,
            pid_file,
            raw: vec![],
        }
    }

    /// What the terminal shows once `marker` is on it (panics after `timeout`).
    pub fn until(&mut self, marker: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let shown = visible(&String::from_utf8_lossy(&self.raw));
            if shown.contains(marker) {
                return shown;
            }
            assert!(Instant::now() < deadline, "no {marker:?} in:\n{shown}");
            if let Ok(chunk) = self.chunks.recv_timeout(Duration::from_millis(100)) {
                self.raw.extend(chunk);
            }
        }
    }

    /// Ctrl-C (SIGINT to the binary); all the terminal showed, once it ends.
    pub fn interrupt(mut self) -> String {
        let pid: i32 = std::fs::read_to_string(self.pid_file.path())
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGINT,
        );
        let _ = super::runner::wait_child(&mut self.script, Duration::from_secs(30));
        let _ = self.script.kill();
        let _ = self.script.wait();
        while let Ok(chunk) = self.chunks.recv_timeout(Duration::from_millis(500)) {
            self.raw.extend(chunk);
        }
        visible(&String::from_utf8_lossy(&self.raw))
    }
}
