//! One build: `pre_cmd`s then `cmd`, through `/bin/sh -c` in the project folder, each in its
//! own process group so a change during the build can cancel all of it (compilers included).
//! Output is streamed to stderr as it comes and kept for the build log, except compiler
//! errors: they are printed once, in the failed build's report.

use checks::golang::build_output::{self, Problem};
use checks::golang::build_trace::Phases;
use checks::golang::tool_watch;
use checks::reloaders::air::keys::{BUILD_CMD, BUILD_PRE_CMD};
use checks::system::supervise::{self, StopPolicy, Target};
use reload_doctor_checks as checks;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// What to run, fixed for the whole session.
#[derive(Debug, Clone)]
pub struct Spec {
    pub dir: PathBuf,
    pub pre_cmd: Vec<String>,
    pub cmd: String,
    pub env: Vec<(String, String)>,
    /// Shows one line of the build's output as it streams (compiler errors are held back).
    pub line: fn(&str),
    /// Watch the go command's tools for the build's phases (see `Options::phases`).
    pub phases: bool,
}

/// The build's phases, from the thread that watched its Go tools (joined while the app starts).
pub type PendingPhases = Option<JoinHandle<Option<Phases>>>;

/// How a build ended.
#[derive(Debug)]
pub struct Done {
    pub gen: u64,
    pub ok: bool,
    pub took: Duration,
    /// The wall-clock time its last step ended: writes with an older ctime are the build's.
    pub ended: SystemTime,
    /// Every output line, stdout and stderr interleaved as they came.
    pub output: Vec<String>,
    /// The compiler errors (with their indented detail lines), held back from the stream.
    pub held: Vec<String>,
    /// `cmd exit 1`, `pre_cmd "templ generate" exit 127`.
    pub failure: Option<String>,
    pub phases: PendingPhases,
}

/// A build in progress.
pub struct Running {
    pub gen: u64,
    pgid: Arc<AtomicI32>,
    cancelled: Arc<AtomicBool>,
}

impl Running {
    /// Kill the build's current process group; its thread then reports `cancelled`.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        let pgid = self.pgid.load(Ordering::SeqCst);
        if pgid > 0 {
            supervise::stop(Target::group(pgid), &StopPolicy::KILL);
        }
    }
}

/// Start build number `gen` on its own thread; `done` is told how it ended.
pub fn start(spec: &Arc<Spec>, gen: u64, done: impl FnOnce(Done) + Send + 'static) -> Running {
    let running = Running {
        gen,
        pgid: Arc::new(AtomicI32::new(0)),
        cancelled: Arc::new(AtomicBool::new(false)),
    };
    let (spec, pgid, cancelled) = (
        spec.clone(),
        running.pgid.clone(),
        running.cancelled.clone(),
    );
    std::thread::spawn(move || {
        let t0 = Instant::now();
        let output = Arc::new(Mutex::new(Output::default()));
        let steps = spec
            .pre_cmd
            .iter()
            .map(|c| (format!("{} {c:?}", BUILD_PRE_CMD.path), c))
            .chain(std::iter::once((BUILD_CMD.path.to_string(), &spec.cmd)));
        let mut failure = None;
        let watch = spec.phases.then(|| tool_watch::Watch::start(pgid.clone()));
        for (name, command) in steps {
            if cancelled.load(Ordering::SeqCst) {
                break;
            }
            if let Err(why) = run_step(&spec, command, &pgid, &cancelled, &output) {
                failure = Some(format!("{name}: {why}"));
                break;
            }
        }
        let took = t0.elapsed();
        let ended = SystemTime::now();
        let Output { lines, held } = std::mem::take(&mut *output.lock().unwrap());
        let ok = failure.is_none() && !cancelled.load(Ordering::SeqCst);
        let phases = watch.map(tool_watch::Watch::finish).filter(|_| ok);
        done(Done {
            gen,
            ok,
            took,
            ended,
            output: lines,
            held,
            failure,
            phases,
        });
    });
    running
}

/// A build's output so far.
#[derive(Default)]
struct Output {
    lines: Vec<String>,
    held: Vec<String>,
}

/// A compiler error with its position (`./main.go:12:2: "strings" imported and not used`).
fn is_compiler_error(line: &str) -> bool {
    matches!(
        build_output::parse(line).as_slice(),
        [Problem::Compiler { .. }]
    )
}

/// `go build`'s `# example.com/shop` line above a package's errors: the errors name their
/// files, so it is kept in the log only.
fn is_package_header(line: &str) -> bool {
    line.strip_prefix("# ")
        .is_some_and(|pkg| !pkg.is_empty() && !pkg.contains(char::is_whitespace))
}

/// Run one shell command to the end; `Err` says how it failed.
fn run_step(
    spec: &Spec,
    command: &str,
    pgid: &AtomicI32,
    cancelled: &AtomicBool,
    output: &Arc<Mutex<Output>>,
) -> Result<(), String> {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(&spec.dir)
        .envs(spec.env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    supervise::own_group(&mut cmd, true);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start /bin/sh: {e}"))?;
    let pid = child.id() as i32;
    pgid.store(pid, Ordering::SeqCst);
    // A cancel that came between the check and the store would have missed this group.
    if cancelled.load(Ordering::SeqCst) {
        supervise::stop(Target::group(pid), &StopPolicy::KILL);
    }
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|pipe| {
        let (output, show) = (output.clone(), spec.line);
        std::thread::spawn(move || {
            let mut holding = false;
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                // An error's detail lines (`\thave (int)`) follow it, indented.
                holding =
                    is_compiler_error(&line) || (holding && line.starts_with(char::is_whitespace));
                let mut out = output.lock().unwrap();
                if holding {
                    out.held.push(line.clone());
                } else if !is_package_header(&line) {
                    show(&line);
                }
                out.lines.push(line);
            }
        })
    })
    .collect();
    let status = child.wait();
    pgid.store(0, Ordering::SeqCst);
    // The compilers of a killed `go build` are orphaned to us (child subreaper): reap them
    // (bounded: a process stuck in the kernel is left to init).
    supervise::stop(
        Target::group(pid),
        &StopPolicy::kill_within(Duration::from_secs(2)),
    );
    for r in readers {
        let _ = r.join();
    }
    match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(
            match (s.code(), std::os::unix::process::ExitStatusExt::signal(&s)) {
                // The shell's "command not found": say what to check.
                (Some(127), _) => "exit 127: a command was not found; is it (go?) on PATH?".into(),
                (Some(code), _) => format!("exit {code}"),
                (_, Some(sig)) => format!("killed by signal {sig}"),
                _ => "failed".into(),
            },
        ),
        Err(e) => Err(format!("could not be waited for: {e}")),
    }
}

/// The lines worth showing from a failed build: compiler errors and other non-empty lines,
/// without `go build`'s `# package` headers; positions relative to the project folder.
pub fn errors(output: &[String], dir: &Path) -> Vec<String> {
    output
        .iter()
        .filter(|l| !l.trim().is_empty() && !is_package_header(l))
        .map(|l| located(l, dir))
        .collect()
}

/// `handlers/user.go:3:17: undefined: x` for Go's `./handlers/user.go:3:17: ...` or an
/// absolute path in the project; other lines as they are.
pub fn located(line: &str, dir: &Path) -> String {
    match build_output::parse(line).as_slice() {
        [Problem::Compiler { at, message }] => {
            let at = at.strip_prefix("./").unwrap_or(at);
            let at = Path::new(at)
                .strip_prefix(dir)
                .map_or(at.to_string(), |p| p.display().to_string());
            format!("{at}: {message}")
        }
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiler_errors_are_located_in_the_project() {
        let dir = Path::new("/src/shop");
        assert_eq!(
            located("./handlers/user.go:3:17: undefined: x", dir),
            "handlers/user.go:3:17: undefined: x"
        );
        assert_eq!(
            located("/src/shop/cmd/web/main.go:9:2: undefined: y", dir),
            "cmd/web/main.go:9:2: undefined: y"
        );
        assert_eq!(located("exit status 1", dir), "exit status 1");
        assert!(is_compiler_error(
            "main.go:12:2: \"strings\" imported and not used"
        ));
        assert!(!is_compiler_error("# example.com/shop"));
        assert!(is_package_header("# example.com/shop"));
        assert!(is_package_header("# command-line-arguments"));
        assert!(!is_package_header("# generating templates now"));
    }
}
