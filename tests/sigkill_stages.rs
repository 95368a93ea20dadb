//! SIGKILL of the doctor at each stage that starts processes or leaves files (mid compile,
//! mid mount probe, mid editor-save replay, mid `--fix`, mid `verify` after its build and
//! after the save): no process it started keeps running, and the next plain run removes
//! every scratch and temp folder, what verify's build made in the project's tmp folder (and
//! nothing else there), and puts back the file verify saved (bytes, mode, mtime).

mod common;

use common::tree::{descendants, survivors};
use common::{bin, copy_fixture};
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
use std::collections::HashSet;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A doctor under test, and every process ever seen under it.
struct Doctor {
    child: Child,
    seen: HashSet<(i32, u64)>,
}

impl Doctor {
    fn start(cmd: &mut Command) -> Doctor {
        let child = cmd
            .env("NO_COLOR", "1")
            .env_remove("PORT")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Doctor {
            child,
            seen: HashSet::new(),
        }
    }

    fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Remember the processes under the doctor now.
    fn look(&mut self) {
        self.seen.extend(descendants(self.pid()));
    }

    /// Poll (looking at its processes) until `hit` says the stage is under way, or the
    /// doctor ended first (false).
    fn until(&mut self, limit: Duration, mut hit: impl FnMut(&Doctor) -> bool) -> bool {
        let start = Instant::now();
        loop {
            self.look();
            if hit(self) {
                return true;
            }
            if self.child.try_wait().unwrap().is_some() || start.elapsed() > limit {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// SIGKILL the doctor, then wait until nothing it started is running (fails after 3 s).
    fn kill(self, stage: &str) {
        self.kill_within(stage, Duration::from_secs(3));
    }

    /// SIGKILL the doctor; nothing it started may run `limit` later.
    fn kill_within(mut self, stage: &str, limit: Duration) {
        self.look();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let left = survivors(&self.seen, limit);
        assert!(left.is_empty(), "killed {stage}: still running {left:?}");
    }
}

/// Entries of `dir` (recursively) whose name marks them as the doctor's.
fn leftovers_in(dir: &Path) -> Vec<PathBuf> {
    let mut found = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.contains("reload-doctor") && !name.ends_with(".reload-doctor.bak") {
            found.push(e.path());
        } else if e.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(leftovers_in(&e.path()));
        }
    }
    found
}

/// The system temp folder's build and verify folders of `pid`.
fn temp_dirs_of(pid: i32) -> Vec<PathBuf> {
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&format!("reload-doctor-build-{pid}-"))
                || n.starts_with(&format!("reload-doctor-verify-{pid}-"))
        })
        .map(|e| e.path())
        .collect()
}

/// The next plain run (every check) leaves no trace of the killed doctor `pid`.
fn next_run_cleans(project: &Path, pid: i32) {
    let o = Command::new(bin())
        .args(["--project", project.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(leftovers_in(project), Vec::<PathBuf>::new(), "{err}");
    assert_eq!(temp_dirs_of(pid), Vec::<PathBuf>::new(), "{err}");
}

/// Run the doctor with `args` on `project` and SIGKILL it the moment a `.reload-doctor-TAG-*`
/// scratch folder is created in the project root (seen through inotify). The probes hold
/// their folder for milliseconds, so a kill that lands after the folder is gone is tried
/// again. Returns the killed doctor's pid.
fn kill_when_scratch_appears(project: &Path, args: &[&str], tag: &str) -> i32 {
    let prefix = format!(".reload-doctor-{tag}-");
    for _ in 0..10 {
        let inotify = Inotify::init(InitFlags::IN_NONBLOCK).unwrap();
        inotify
            .add_watch(
                project,
                AddWatchFlags::IN_CREATE | AddWatchFlags::IN_ONLYDIR,
            )
            .unwrap();
        let mut doctor = Doctor::start(
            Command::new(bin())
                .args(["--project", project.to_str().unwrap()])
                .args(args),
        );
        let pid = doctor.pid();
        let hit = doctor.until(Duration::from_secs(30), |_| {
            inotify.read_events().unwrap_or_default().iter().any(|e| {
                e.name
                    .as_ref()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
            })
        });
        doctor.kill(&format!("mid {tag} probe"));
        let scratch = project.join(format!("{prefix}{pid}"));
        if hit && scratch.is_dir() {
            return pid;
        }
    }
    panic!("never killed the doctor while its {tag} scratch folder existed");
}

/// Write `count` generated functions into `pkg` (a folder of package `name`): a package the
/// compiler takes seconds over.
fn slow_to_compile(pkg: &Path, name: &str, count: usize) {
    let mut code = format!("package {name}\n");
    for i in 0..count {
        code += &format!(
            "\nfunc Slow{i}(x int) int {{\n\tif x > {i} {{\n\t\treturn x*3 + {i}\n\t}}\n\ts := 0\n\tfor i := 0; i < x; i++ {{\n\t\ts += i ^ {i}\n\t}}\n\treturn s\n}}\n"
        );
    }
    std::fs::write(pkg.join("slow.go"), code).unwrap();
}

/// Killed while go's compiler works on a package that takes it seconds: the go command dies
/// with the doctor (parent-death signal), and the compiler must not run on without it.
#[test]
fn killed_mid_compile() {
    let project = copy_fixture("stdlib-healthy");
    slow_to_compile(&project.path().join("handlers"), "handlers", 12_000);
    let cache = tempfile::tempdir().unwrap();
    // A cold cache: the compiler really runs.
    let mut doctor = Doctor::start(
        Command::new(bin())
            .args(["--project", project.path().to_str().unwrap()])
            .args(["--only", "compile"])
            .env("GOCACHE", cache.path()),
    );
    let compiling = doctor.until(Duration::from_secs(60), |d| {
        d.seen.iter().any(|(pid, _)| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c == "compile\n")
                && common::tree::cmdline(*pid).contains("stdlib-healthy/handlers")
        })
    });
    assert!(compiling, "the compiler never started on the slow package");
    let pid = doctor.pid();
    assert!(
        !temp_dirs_of(pid).is_empty(),
        "no build folder while compiling"
    );
    doctor.kill_within("mid compile", Duration::from_secs(1));
    next_run_cleans(project.path(), pid);
}

#[test]
fn killed_mid_mount_probe() {
    let project = copy_fixture("stdlib-healthy");
    let pid = kill_when_scratch_appears(project.path(), &["--only", "mount-events"], "probe");
    next_run_cleans(project.path(), pid);
}

#[test]
fn killed_mid_editor_save_replay() {
    let project = copy_fixture("stdlib-healthy");
    let pid = kill_when_scratch_appears(project.path(), &["--only", "editor-saves"], "saves");
    next_run_cleans(project.path(), pid);
}

/// `--fix` writes `.air.toml` through a temp file renamed over it; that is microseconds, so
/// strace kills the doctor exactly there, at the entry of its second rename (the first puts
/// the backup in place): the temp file is written, the rename never happens.
#[test]
fn killed_mid_fix_while_it_writes_the_air_toml() {
    let project = copy_fixture("air-bin-args");
    let air = project.path().join(".air.toml");
    let before = std::fs::read(&air).unwrap();
    let mut doctor = Doctor::start(
        Command::new("strace")
            .args(["-f", "-qq", "-o", "/dev/null"])
            .args(["-e", "trace=rename,renameat,renameat2"])
            .args(["-e", "inject=rename,renameat,renameat2:signal=KILL:when=2"])
            .arg(bin())
            .args(["--project", project.path().to_str().unwrap()])
            .args(["--fix", "--only", "reloader-config"]),
    );
    // The doctor is strace's child.
    let mut pid = 0;
    doctor.until(Duration::from_secs(60), |d| {
        if let Some((p, _)) = descendants(d.pid()).first() {
            pid = *p;
        }
        false
    });
    assert!(pid > 0, "the doctor never started");
    let tmp = project
        .path()
        .join(format!("..air.toml.reload-doctor-{pid}.tmp"));
    assert!(
        tmp.is_file(),
        "not killed mid-write: {:?}",
        leftovers_in(project.path())
    );
    assert_eq!(std::fs::read(&air).unwrap(), before);
    doctor.kill("mid --fix");
    next_run_cleans(project.path(), pid);
    assert_eq!(std::fs::read(&air).unwrap(), before);
}

#[test]
fn killed_mid_verify_after_the_save() {
    let project = copy_fixture("stdlib-healthy");
    let main = project.path().join("main.go");
    std::fs::set_permissions(&main, std::fs::Permissions::from_mode(0o640)).unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    std::fs::File::options()
        .write(true)
        .open(&main)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let meta = std::fs::metadata(&main).unwrap();
    let before = std::fs::read(&main).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut doctor = Doctor::start(
        Command::new(bin())
            .args(["verify", "--with", "ours", "--port", &port.to_string()])
            .args(["--project", project.path().to_str().unwrap()]),
    );
    let pid = doctor.pid();
    // verify's save shows as a new mtime.
    let saved = doctor.until(Duration::from_secs(120), |_| {
        std::fs::metadata(&main).is_ok_and(|m| m.modified().unwrap() != old)
    });
    assert!(saved, "verify never saved main.go");
    assert!(
        project
            .path()
            .join(format!(".reload-doctor-journal-{pid}"))
            .is_file(),
        "no journal while main.go is saved"
    );
    assert!(
        doctor.seen.len() >= 2,
        "the reloader is not running: {:?}",
        doctor.seen
    );
    doctor.kill("mid verify");
    next_run_cleans(project.path(), pid);
    let after = std::fs::metadata(&main).unwrap();
    assert_eq!(std::fs::read(&main).unwrap(), before);
    assert_eq!(after.mode(), meta.mode());
    assert_eq!(after.ino(), meta.ino());
    assert_eq!(after.modified().unwrap(), old);
}

/// Start `verify --with ours` on `project` and SIGKILL it as soon as its build wrote the
/// binary into the project's tmp folder. Returns the killed doctor's pid.
fn kill_verify_once_the_binary_is_in_tmp(project: &Path) -> i32 {
    let port = common::free_port();
    let mut doctor = Doctor::start(
        Command::new(bin())
            .args(["verify", "--with", "ours", "--port", &port.to_string()])
            .args(["--project", project.to_str().unwrap()]),
    );
    let bin = project.join("tmp/main");
    let built = doctor.until(Duration::from_secs(120), |_| bin.is_file());
    assert!(built, "verify never built tmp/main");
    let pid = doctor.pid();
    doctor.kill("mid verify, once the binary is in tmp/");
    assert!(bin.is_file());
    pid
}

/// The next report, its stderr.
fn next_report(project: &Path) -> String {
    let o = Command::new(bin())
        .args(["--project", project.to_str().unwrap(), "--only", "signals"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A verify killed after its build made the project's tmp/ (which did not exist): the next
/// run removes the folder, binary and all.
#[test]
fn killed_verify_leaves_no_tmp_folder_it_made() {
    let project = copy_fixture("stdlib-healthy");
    let tmp = project.path().join("tmp");
    assert!(!tmp.exists());
    let pid = kill_verify_once_the_binary_is_in_tmp(project.path());
    let said = next_report(project.path());
    assert!(!tmp.exists(), "tmp/ is still there: {said}");
    assert!(
        said.contains(&format!(
            "removed tmp/, made by an interrupted verify (pid {pid})"
        )),
        "{said}"
    );
    assert_eq!(
        leftovers_in(project.path()),
        Vec::<PathBuf>::new(),
        "{said}"
    );
}

/// The user's own tmp/ stays, with what they had in it; only what verify's run added goes.
#[test]
fn killed_verify_keeps_the_users_tmp_folder() {
    let project = copy_fixture("stdlib-healthy");
    let tmp = project.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    std::fs::write(tmp.join("notes.txt"), "mine").unwrap();
    kill_verify_once_the_binary_is_in_tmp(project.path());
    let said = next_report(project.path());
    assert_eq!(
        std::fs::read_to_string(tmp.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(!tmp.join("main").exists(), "{said}");
    assert_eq!(
        leftovers_in(project.path()),
        Vec::<PathBuf>::new(),
        "{said}"
    );
}

/// A file that appears in the tmp/ a killed verify made, after it was killed, is not
/// verify's: it and the folder stay, and the next run says so.
#[test]
fn killed_verify_keeps_a_file_it_did_not_make_in_its_tmp_folder() {
    let project = copy_fixture("stdlib-healthy");
    let tmp = project.path().join("tmp");
    kill_verify_once_the_binary_is_in_tmp(project.path());
    std::fs::write(tmp.join("notes.txt"), "mine").unwrap();
    let said = next_report(project.path());
    assert_eq!(
        std::fs::read_to_string(tmp.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(!tmp.join("main").exists(), "{said}");
    assert!(
        said.contains("it holds notes.txt, which verify did not make"),
        "{said}"
    );
}

/// A scratch folder and a build temp folder named with a pid that is gone here, but held
/// (`flock`) by a live process: what a doctor in another pid namespace (a container sharing
/// the project folder and /tmp) leaves while it works. The next run here keeps both; once the
/// holder ends, the run after removes them.
#[test]
fn folders_held_by_a_live_doctor_in_another_pid_namespace_are_kept_until_it_ends() {
    let project = copy_fixture("stdlib-healthy");
    let dead = {
        let mut c = Command::new("true").spawn().unwrap();
        let pid = c.id();
        c.wait().unwrap();
        pid
    };
    let scratch = project.path().join(format!(".reload-doctor-mount-{dead}"));
    let build = std::env::temp_dir().join(format!("reload-doctor-build-{dead}-1-0"));
    let mut holders = vec![];
    for dir in [&scratch, &build] {
        std::fs::create_dir(dir).unwrap();
        holders.push(
            // -o: flock itself holds the lock, not its sleep, so killing flock releases it.
            Command::new("flock")
                .args(["-x", "-o"])
                .arg(dir)
                .args(["sleep", "60"])
                .process_group(0)
                .spawn()
                .unwrap(),
        );
        let start = Instant::now();
        while Command::new("flock")
            .args(["-n", "-x"])
            .arg(dir)
            .arg("true")
            .status()
            .unwrap()
            .success()
        {
            assert!(start.elapsed() < Duration::from_secs(10), "never held");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let run = || {
        let o = Command::new(bin())
            .args(["--project", project.path().to_str().unwrap()])
            .args(["--only", "compile,mount-events"])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let out = run();
    assert!(
        scratch.is_dir() && build.is_dir(),
        "a held folder was removed:\n{out}"
    );
    for mut h in holders {
        let group = nix::unistd::Pid::from_raw(h.id() as i32);
        nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL).unwrap();
        h.wait().unwrap();
    }
    let out = run();
    assert!(!scratch.exists(), "{out}");
    assert!(!build.exists(), "{out}");
}
