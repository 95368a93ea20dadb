//! A real Docker engine for the container tests, set up once per test process.
//!
//! No image registry is reachable, so the images are made here: a root filesystem with
//! Debian's static busybox and a static air, turned into an image by `docker import`. The
//! host's Go toolchain and build cache are bind-mounted when air builds inside.
//!
//! [`engine`] installs `docker.io`, `bindfs` and `busybox-static` with apt when they are
//! missing and starts `dockerd` when none answers; it panics with the reason when it cannot
//! (a skipped test would hide what it checks). At exit, the containers and images this
//! process made are removed and a `dockerd` it started is stopped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The label every container of this test process carries, for the clean-up at exit.
fn label() -> String {
    format!("reload-doctor-test={}", std::process::id())
}

/// The base image's name for this test process.
pub fn base_image() -> String {
    engine();
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let air = static_air();
        let tag = format!("reload-doctor-test-base:{}", std::process::id());
        import(&tag, &[(&air, "usr/local/bin/air")], None, &[]);
        tag
    })
    .clone()
}

/// The images made by this process, removed at exit.
static IMAGES: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// A `dockerd` this process started, stopped at exit.
static STARTED: Mutex<Option<std::process::Child>> = Mutex::new(None);

/// `docker import` a root filesystem of static busybox, `extra` (file, path in the image)
/// and the folder `app` copied to /app, as image `tag`, with `changes` (Dockerfile lines).
pub fn import(tag: &str, extra: &[(&Path, &str)], app: Option<&Path>, changes: &[&str]) {
    engine();
    let root = tempfile::Builder::new()
        .prefix("rd-rootfs-")
        .tempdir()
        .unwrap();
    let r = root.path();
    for d in [
        "bin",
        "usr/local/bin",
        "tmp",
        "etc",
        "proc",
        "dev",
        "sys",
        "app",
    ] {
        std::fs::create_dir_all(r.join(d)).unwrap();
    }
    std::fs::copy(busybox(), r.join("bin/busybox")).unwrap();
    for applet in [
        "sh", "sleep", "ls", "cat", "touch", "mkdir", "rm", "id", "ps", "httpd", "nc", "echo",
        "true",
    ] {
        std::os::unix::fs::symlink("busybox", r.join("bin").join(applet)).unwrap();
    }
    std::fs::write(
        r.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n",
    )
    .unwrap();
    std::fs::write(r.join("etc/group"), "root:x:0:\nnogroup:x:65534:\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(r.join("tmp"), std::fs::Permissions::from_mode(0o1777)).unwrap();
    for (file, at) in extra {
        std::fs::copy(file, r.join(at)).unwrap();
    }
    if let Some(app) = app {
        crate::common::copy_tree(app, &r.join("app"));
    }
    let tar = r.with_extension("tar");
    let out = Command::new("tar")
        .arg("-C")
        .arg(r)
        .args(["-cf"])
        .arg(&tar)
        .arg(".")
        .output()
        .unwrap();
    assert!(out.status.success(), "tar: {out:?}");
    let mut args = vec!["import".to_string()];
    for c in changes {
        args.push("--change".into());
        args.push(c.to_string());
    }
    args.push(tar.to_string_lossy().into_owned());
    args.push(tag.into());
    IMAGES.lock().unwrap().push(tag.into());
    let out = docker(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let _ = std::fs::remove_file(&tar);
    assert!(out.status.success(), "docker import {tag}: {out:?}");
}

/// A container this test started; removed (with `docker rm -f`) when dropped.
pub struct Container {
    pub name: String,
}

impl Container {
    /// `docker run -d --name NAME ARGS...` (ARGS: options, then image and command), labelled
    /// for the clean-up at exit.
    pub fn run(name: &str, args: &[&str]) -> Container {
        let (c, out) = Container::start(name, args);
        assert!(out.status.success(), "docker run {args:?}: {out:?}");
        c
    }

    /// [`Container::run`] that may fail to start (the container is still created): the
    /// container and `docker run`'s output.
    pub fn start(name: &str, args: &[&str]) -> (Container, std::process::Output) {
        engine();
        let name = format!("{name}-{}", std::process::id());
        let _ = docker(&["rm", "-f", &name]);
        let mut all = vec!["run", "-d", "--name", &name];
        let label = label();
        all.extend(["--label", &label]);
        all.extend(args);
        let out = docker(&all);
        (Container { name }, out)
    }

    /// The container's logs so far (stdout and stderr).
    pub fn logs(&self) -> String {
        let out = docker(&["logs", &self.name]);
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    /// Wait until the logs hold `text` `times` times; panics with the logs after `limit`.
    pub fn wait_log(&self, text: &str, times: usize, limit: Duration) {
        let start = Instant::now();
        while self.logs().matches(text).count() < times {
            assert!(
                start.elapsed() < limit,
                "{} did not print {text:?} ({times}x) within {limit:?}:\n{}",
                self.name,
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `docker exec` in the container.
    pub fn exec(&self, cmd: &[&str]) -> std::process::Output {
        let mut all = vec!["exec", self.name.as_str()];
        all.extend(cmd);
        docker(&all)
    }

    /// The container's main process as the host sees it.
    pub fn pid(&self) -> i32 {
        let out = docker(&["inspect", "-f", "{{.State.Pid}}", &self.name]);
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        let _ = docker(&["rm", "-f", &self.name]);
    }
}

/// The docker CLI, with no input.
pub fn docker(args: &[&str]) -> std::process::Output {
    Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run docker {args:?}: {e}"))
}

/// The options that let air build inside the busybox image: the host's Go toolchain
/// (read-only) and build cache (so the first build is warm), on PATH.
pub fn go_mounts() -> Vec<String> {
    let (goroot, cache) = (go_env("GOROOT"), go_env("GOCACHE"));
    vec![
        "-v".into(),
        format!("{goroot}:/usr/local/go:ro"),
        "-v".into(),
        format!("{cache}:/gocache"),
        "-e".into(),
        "PATH=/usr/local/go/bin:/usr/local/bin:/bin".into(),
        "-e".into(),
        "HOME=/tmp".into(),
        "-e".into(),
        "GOCACHE=/gocache".into(),
        "-e".into(),
        "GOTOOLCHAIN=local".into(),
        "-e".into(),
        "GOFLAGS=-mod=mod".into(),
    ]
}

/// The host's `go env K`.
pub fn go_env(k: &str) -> String {
    let out = Command::new("go").args(["env", k]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The options that put this build of reload-doctor in a container at
/// /usr/local/bin/reload-doctor: the binary and the host's C library, read-only. The tests of
/// the hidden-processes probe need this very binary, which copies itself in; the `docker exec`
/// path is tested with [`static_doctor`].
pub fn doctor_mounts() -> Vec<String> {
    let mut v = vec![
        "-v".into(),
        format!("{}:/usr/local/bin/reload-doctor:ro", crate::common::bin()),
    ];
    for lib in ["/lib/x86_64-linux-gnu", "/lib64"] {
        if Path::new(lib).is_dir() {
            v.extend(["-v".into(), format!("{lib}:{lib}:ro")]);
        }
    }
    v
}

/// A Compose project this test started (`compose up -d`); `compose down` when dropped.
pub struct Compose {
    dir: PathBuf,
    pub project: String,
}

impl Compose {
    /// `compose -p NAME up -d` in `dir` (its compose.yaml), the services labelled for the
    /// clean-up at exit by the file itself.
    pub fn up(dir: &Path, name: &str) -> Compose {
        engine();
        let project = format!("{name}{}", std::process::id());
        let c = Compose {
            dir: dir.to_path_buf(),
            project,
        };
        let out = c.run(&["up", "-d"]);
        assert!(out.status.success(), "compose up: {out:?}");
        c
    }

    /// The compose command with `args`, in the project's folder.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        let (program, first) = compose_cli();
        Command::new(program)
            .args(first)
            .args(["-p", &self.project])
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// The one container of `service`, by its Compose labels.
    pub fn container(&self, service: &str) -> Container {
        let project = format!("label=com.docker.compose.project={}", self.project);
        let service = format!("label=com.docker.compose.service={service}");
        let out = docker(&[
            "ps",
            "--filter",
            &project,
            "--filter",
            &service,
            "--format",
            "{{.Names}}",
        ]);
        let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(!name.is_empty(), "no container of {service}: {out:?}");
        Container { name }
    }
}

impl Drop for Compose {
    fn drop(&mut self) {
        let _ = self.run(&["down", "-t", "1"]);
    }
}

/// The label a Compose file puts on its services for the clean-up at exit.
pub fn compose_label() -> String {
    label()
}

/// Compose: the v2 plugin (`docker compose`) when the docker CLI has it, else Debian's
/// `docker-compose` (1.29, installed with apt; Compose v2 built from source takes minutes).
/// Both set the `com.docker.compose.*` labels the container check reads.
fn compose_cli() -> (&'static str, &'static [&'static str]) {
    static PLUGIN: OnceLock<bool> = OnceLock::new();
    let plugin = *PLUGIN.get_or_init(|| docker(&["compose", "version"]).status.success());
    if plugin {
        return ("docker", &["compose"]);
    }
    crate::common::ensure_installed("docker-compose", "docker-compose");
    ("docker-compose", &[])
}

/// Whether an engine answers `docker version` within `limit`.
fn answers(limit: Duration) -> bool {
    let Ok(mut child) = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running engine: the packages installed and `dockerd` started when needed, once.
pub fn engine() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        crate::common::ensure_installed("dockerd", "docker.io");
        crate::common::ensure_installed("bindfs", "bindfs");
        if !is_static(&busybox()) {
            // Debian's `busybox` is linked dynamically; `busybox-static` replaces it.
            let _ = Command::new("apt-get").args(["update", "-qq"]).status();
            let out = Command::new("apt-get")
                .args(["install", "-y", "-qq", "busybox-static"])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .output();
            if !is_static(&busybox()) {
                return Err(format!(
                    "apt-get install busybox-static did not give a static /bin/busybox: {out:?}"
                ));
            }
        }
        extern "C" fn at_exit() {
            clean_up();
        }
        // SAFETY: registers a plain function to run at exit; it only spawns the docker CLI.
        unsafe { libc::atexit(at_exit) };
        if answers(Duration::from_secs(10)) {
            return Ok(());
        }
        start_dockerd()
    });
    if let Err(e) = ready {
        panic!("the container tests need a Docker engine and none could be started: {e}");
    }
}

fn start_dockerd() -> Result<(), String> {
    let log = dockerd_log();
    let file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
    use std::os::unix::process::CommandExt;
    let child = Command::new("dockerd")
        .stdin(Stdio::null())
        .stdout(file.try_clone().map_err(|e| e.to_string())?)
        .stderr(file)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start dockerd: {e}"))?;
    let pid = child.id();
    *STARTED.lock().unwrap() = Some(child);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if answers(Duration::from_secs(5)) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(15).collect();
    Err(format!(
        "dockerd (pid {pid}) did not answer within 60 s; the end of {}:\n{}",
        log.display(),
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    ))
}

/// Where the `dockerd` this process starts logs (removed when it is stopped).
fn dockerd_log() -> PathBuf {
    std::env::temp_dir().join(format!("rd-dockerd-{}.log", std::process::id()))
}

/// Remove this process's containers and images, and stop the `dockerd` it started.
fn clean_up() {
    let filter = format!("label={}", label());
    let out = docker(&["ps", "-aq", "--filter", &filter]);
    for id in String::from_utf8_lossy(&out.stdout).split_whitespace() {
        let _ = docker(&["rm", "-f", id]);
    }
    for image in IMAGES.lock().map(|i| i.clone()).unwrap_or_default() {
        let _ = docker(&["rmi", "-f", &image]);
    }
    if let Some(mut child) = STARTED.lock().ok().and_then(|mut s| s.take()) {
        // SIGTERM: dockerd stops its containerd and exits.
        // SAFETY: a signal to the child this process started and has not reaped.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let _ = child.wait();
        let _ = std::fs::remove_file(dockerd_log());
    }
}

/// Whether `file` is an executable with no program interpreter (statically linked).
fn is_static(file: &Path) -> bool {
    std::fs::read(file).is_ok_and(|b| {
        !b.windows(12)
            .any(|w| w == b"/lib64/ld-li" || w == b"/lib/ld-linu")
    })
}

/// Debian's static busybox.
fn busybox() -> PathBuf {
    PathBuf::from("/bin/busybox")
}

/// The static build README's "A static binary (musl)" makes (debug profile here), built once
/// per target dir into its own folder under CARGO_TARGET_TMPDIR (the first build of every
/// crate for the musl target takes minutes; later ones rebuild only this workspace). The
/// target's std is added with rustup when missing.
pub fn static_doctor() -> PathBuf {
    const TARGET: &str = "x86_64-unknown-linux-musl";
    static DOCTOR: OnceLock<PathBuf> = OnceLock::new();
    DOCTOR
        .get_or_init(|| {
            let installed = Command::new("rustup")
                .args(["target", "list", "--installed"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).contains(TARGET))
                .unwrap_or(false);
            if !installed {
                let out = Command::new("rustup")
                    .args(["target", "add", TARGET])
                    .output();
                assert!(
                    out.as_ref().is_ok_and(|o| o.status.success()),
                    "the static build needs `rustup target add {TARGET}`: {out:?}"
                );
            }
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("musl");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let out = Command::new(cargo)
                .args([
                    "build",
                    "--locked",
                    "--bin",
                    "reload-doctor",
                    "--target",
                    TARGET,
                ])
                .arg("--target-dir")
                .arg(&dir)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .stdin(Stdio::null())
                .output()
                .expect("cargo runs");
            assert!(
                out.status.success(),
                "cargo build --target {TARGET}: {out:?}"
            );
            let bin = dir.join(TARGET).join("debug/reload-doctor");
            assert!(is_static(&bin), "{} is not static", bin.display());
            bin
        })
        .clone()
}

/// air built statically (CGO off), so it runs in the busybox image; built once.
pub fn static_air() -> PathBuf {
    static AIR: OnceLock<PathBuf> = OnceLock::new();
    AIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("air-static-v1.67.4");
        let bin = dir.join("air");
        if !bin.is_file() {
            let out = Command::new("go")
                .args(["install", "github.com/air-verse/air@v1.67.4"])
                .env("GOBIN", &dir)
                .env("CGO_ENABLED", "0")
                .output()
                .expect("go is needed to build air");
            assert!(out.status.success(), "go install air: {out:?}");
        }
        bin
    })
    .clone()
}
