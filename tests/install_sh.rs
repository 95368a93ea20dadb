//! `install.sh` end to end: a release-shaped folder made from this build (laid out as GitHub
//! serves a release, named as `.github/workflows/release.yml` names the assets) is served over
//! HTTP by the test, and the real script runs under `sh` against it.

mod common;

use common::bin;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const X86: &str = "reload-doctor-x86_64-unknown-linux-musl";
const ARM: &str = "reload-doctor-aarch64-unknown-linux-musl";

fn repo_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// A release of tag `v0.1.0` that is also the latest: GitHub's `download/TAG/ASSET` and
/// `latest/download/ASSET`. Both assets are this build (the arm64 name too, so a faked
/// `uname -m` of aarch64 installs something that runs here); the sums are made with the
/// release workflow's command.
fn release() -> tempfile::TempDir {
    let root = tempfile::Builder::new()
        .prefix("rd-release-")
        .tempdir()
        .unwrap();
    for dir in ["download/v0.1.0", "latest/download"] {
        let dir = root.path().join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for asset in [X86, ARM] {
            // A hard link where the file system allows: the debug binary is large.
            if std::fs::hard_link(bin(), dir.join(asset)).is_err() {
                std::fs::copy(bin(), dir.join(asset)).unwrap();
            }
        }
        let sums = Command::new("sh")
            .args(["-c", "sha256sum reload-doctor-* > sha256sums.txt"])
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(sums.success());
    }
    root
}

/// A static file server on a free port for `root`, recording each request's path.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

fn serve(root: &Path) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(vec![]));
    let (root, seen) = (root.to_path_buf(), requests.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Read the rest of the head; the clients send no body.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            seen.lock().unwrap().push(path.clone());
            let file = (!path.contains(".."))
                .then(|| std::fs::read(root.join(path.trim_start_matches('/'))).ok())
                .flatten();
            let mut out = &stream;
            let _ = match file {
                Some(body) => out
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|()| out.write_all(&body)),
                None => out.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    Server { url, requests }
}

impl Server {
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// `sh install.sh ARGS` against `server`, with `path` as PATH and HOME at `home`.
fn install(server: &Server, args: &[&str], path: &str, home: &Path) -> Output {
    Command::new("/bin/sh")
        .arg(repo_file("install.sh"))
        .args(args)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("RELOAD_DOCTOR_DOWNLOAD_URL", &server.url)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn system_path() -> String {
    std::env::var("PATH").unwrap()
}

/// A folder holding `uname`, a script that says this machine is `arch` running Linux.
fn fake_uname(arch: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("uname");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ncase $1 in -m) echo {arch} ;; *) echo Linux ;; esac\n"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn version_of(binary: &Path) -> String {
    let o = Command::new(binary).arg("--version").output().unwrap();
    assert!(o.status.success(), "{}", binary.display());
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

const VERSION: &str = concat!("reload-doctor ", env!("CARGO_PKG_VERSION"));

#[test]
fn installs_the_latest_release_into_the_folder_named_by_b() {
    let release = release();
    let server = serve(release.path());
    let tmp = tempfile::tempdir().unwrap();
    let bindir = tmp.path().join("bin");
    let o = install(
        &server,
        &["-b", bindir.to_str().unwrap()],
        &system_path(),
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(version_of(&bindir.join("reload-doctor")), VERSION);
    assert_eq!(
        server.requests(),
        [
            format!("/latest/download/{X86}"),
            "/latest/download/sha256sums.txt".to_string()
        ]
    );
    // The folder is not on PATH: the script says how to put it there, for each shell.
    let err = stderr(&o);
    let dir = bindir.display();
    assert!(err.contains(&format!("{dir} is not on your PATH")), "{err}");
    assert!(
        err.contains(&format!(
            "bash:  echo 'export PATH=\"{dir}:$PATH\"' >> ~/.bashrc"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("fish:  fish_add_path {dir}")),
        "{err}"
    );
    // Only the installed binary is left: no temporary copy beside it.
    let names: Vec<_> = std::fs::read_dir(&bindir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["reload-doctor"]);
}

#[test]
fn installs_a_chosen_tag_into_home_local_bin_and_is_quiet_when_on_path() {
    let release = release();
    let server = serve(release.path());
    let home = tempfile::tempdir().unwrap();
    let bindir = home.path().join(".local/bin");
    let path = format!("{}:{}", bindir.display(), system_path());
    let o = install(&server, &["-v", "v0.1.0"], &path, home.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(version_of(&bindir.join("reload-doctor")), VERSION);
    assert_eq!(server.requests()[0], format!("/download/v0.1.0/{X86}"));
    assert!(!stderr(&o).contains("PATH"), "{}", stderr(&o));

    // A tag that is not released: refused, naming what was asked for.
    let o = install(&server, &["-v", "v9.9.9"], &path, home.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is v9.9.9 a release?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_checksum_mismatch_is_refused_and_nothing_is_installed() {
    let release = release();
    let sums = release.path().join("latest/download/sha256sums.txt");
    let text = std::fs::read_to_string(&sums).unwrap();
    let forged: String = text
        .lines()
        .map(|l| format!("{}{}\n", "0".repeat(64), &l[64..]))
        .collect();
    std::fs::write(&sums, forged).unwrap();
    let server = serve(release.path());
    let tmp = tempfile::tempdir().unwrap();
    let bindir = tmp.path().join("bin");
    std::fs::create_dir(&bindir).unwrap();
    std::fs::write(bindir.join("reload-doctor"), "the old one").unwrap();

    let o = install(
        &server,
        &["-b", bindir.to_str().unwrap()],
        &system_path(),
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "error: checksum mismatch for {X86}: sha256sums.txt says {}",
            "0".repeat(64)
        )) && err.contains("nothing was installed"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(bindir.join("reload-doctor")).unwrap(),
        "the old one"
    );
    assert_eq!(std::fs::read_dir(&bindir).unwrap().count(), 1);

    // A sums file that does not list the asset is refused the same way.
    std::fs::write(&sums, format!("{}  something-else\n", "0".repeat(64))).unwrap();
    let o = install(
        &server,
        &["-b", bindir.to_str().unwrap()],
        &system_path(),
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("sha256sums.txt of latest lists no {X86}")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_unknown_architecture_is_refused_by_name() {
    let release = release();
    let server = serve(release.path());
    let uname = fake_uname("mips");
    let tmp = tempfile::tempdir().unwrap();
    let bindir = tmp.path().join("bin");
    let path = format!("{}:{}", uname.path().display(), system_path());
    let o = install(
        &server,
        &["-b", bindir.to_str().unwrap()],
        &path,
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "error: no release binary for the architecture mips (there are x86_64 and aarch64)"
        ),
        "{err}"
    );
    assert!(server.requests().is_empty());
    assert!(!bindir.exists());
}

#[test]
fn arm64_machines_get_the_aarch64_binary() {
    for arch in ["aarch64", "arm64"] {
        let release = release();
        let server = serve(release.path());
        let uname = fake_uname(arch);
        let tmp = tempfile::tempdir().unwrap();
        let bindir = tmp.path().join("bin");
        let path = format!("{}:{}", uname.path().display(), system_path());
        let o = install(
            &server,
            &["-b", bindir.to_str().unwrap()],
            &path,
            tmp.path(),
        );
        assert!(o.status.success(), "{arch}: {}", stderr(&o));
        assert_eq!(server.requests()[0], format!("/latest/download/{ARM}"));
        assert!(bindir.join("reload-doctor").exists());
    }
}

/// A PATH of only the tools named, each a link to this machine's: the script must manage
/// with what a minimal image has.
fn toolbox(tools: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for tool in tools {
        let found = system_path()
            .split(':')
            .map(|d| Path::new(d).join(tool))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{tool} is not installed"));
        std::os::unix::fs::symlink(found, dir.path().join(tool)).unwrap();
    }
    dir
}

const BASICS: [&str; 9] = [
    "uname", "mktemp", "rm", "awk", "cut", "mkdir", "chmod", "cp", "mv",
];

#[test]
fn wget_and_shasum_do_when_curl_and_sha256sum_are_missing() {
    let release = release();
    let server = serve(release.path());
    let tmp = tempfile::tempdir().unwrap();
    let bindir = tmp.path().join("bin");
    let tools = toolbox(&[&BASICS[..], &["wget", "shasum"]].concat());
    let o = install(
        &server,
        &["-b", bindir.to_str().unwrap()],
        tools.path().to_str().unwrap(),
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(version_of(&bindir.join("reload-doctor")), VERSION);

    // Without a way to verify the download, nothing is installed.
    let bare = tempfile::tempdir().unwrap();
    let tools = toolbox(&[&BASICS[..], &["curl"]].concat());
    let o = install(
        &server,
        &["-b", bare.path().join("bin").to_str().unwrap()],
        tools.path().to_str().unwrap(),
        bare.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("neither sha256sum nor shasum is installed"),
        "{}",
        stderr(&o)
    );
    assert!(!bare.path().join("bin").exists());
}

/// One naming scheme: the release workflow builds and sums the assets install.sh downloads,
/// and writes the repository into install.sh's one `repo=` line.
#[test]
fn the_release_workflow_publishes_what_install_sh_downloads() {
    let workflow = repo_file(".github/workflows/release.yml");
    // PyYAML for the python3 on PATH (pyenv's or Debian's), installed on a fresh machine.
    let has_yaml = |py: &mut Command| {
        py.args(["-c", "import yaml"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has_yaml(&mut Command::new("python3")) {
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "-q", "pyyaml"])
            .status();
    }
    let parsed = Command::new("python3")
        .args([
            "-c",
            "import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
        ])
        .arg(&workflow)
        .output()
        .expect("python3 (with PyYAML) reads the workflow");
    assert!(parsed.status.success(), "{}", stderr(&parsed));
    let doc: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    // YAML 1.1 reads the key `on` as true.
    assert_eq!(doc["true"]["push"]["tags"], serde_json::json!(["v*"]));
    let targets: Vec<String> = doc["jobs"]["build"]["strategy"]["matrix"]["target"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    let assets: Vec<String> = targets
        .iter()
        .map(|t| format!("reload-doctor-{t}"))
        .collect();
    assert_eq!(assets, [X86, ARM]);

    let script = |job: &str| -> String {
        doc["jobs"][job]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(script("build").contains("cp \"$bin\" dist/reload-doctor-${{ matrix.target }}"));
    let release = script("release");
    assert!(release.contains("sha256sum reload-doctor-* > sha256sums.txt"));
    assert!(release.contains("sed \"s|^repo=.*|repo=$GITHUB_REPOSITORY|\" ../install.sh"));

    let install = std::fs::read_to_string(repo_file("install.sh")).unwrap();
    for target in &targets {
        assert!(
            install.contains(&format!(") target={target} ;;")),
            "{target}"
        );
    }
    assert!(install.contains("asset=reload-doctor-$target"));
    let repo_lines = install.lines().filter(|l| l.starts_with("repo=")).count();
    assert_eq!(
        repo_lines, 1,
        "the workflow's sed rewrites exactly one line"
    );
}
