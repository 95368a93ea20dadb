//! `mount-events`: does the file system under the project deliver inotify events, and can
//! the reloader write and execute its build there?

use super::check::Check;
use super::fixes::air_config;
use crate::context::Context;
use crate::model::{Action, Applicability, Finding, Fix, Outcome};
use crate::probe::scratch::{self, ScratchDir};
use crate::project::Reloader;
use crate::system::fsevents::{Capture, FsEvent, Op};
use crate::system::mounts::{drops_events, Environment, Mount, MountTable};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub static CHECK: Check = Check {
    id: "mount-events",
    purpose: "file system of the project and tmp_dir: inotify events, read-only and noexec mounts",
    explain: "\
Looks at: the mount the project and tmp_dir live on (/proc/self/mountinfo), whether we run
in a container (/.dockerenv, /run/.containerenv, KUBERNETES_SERVICE_HOST) or WSL, and a live
probe: a file is created, written and renamed in a hidden scratch folder in the project
(.reload-doctor-probe-<pid>, skipped by reloaders and removed afterwards) while an inotify
watcher measures how fast each event arrives.

Why it breaks hot reload: inotify events are raised by the kernel that makes the change. On
a share from another machine or kernel (WSL2 /mnt/c, Docker Desktop's virtiofs/grpcfuse,
VirtualBox vboxsf, NFS, SMB, sshfs and other FUSE file systems) edits made on the other side
raise no event here, so air and fresh never rebuild. The probe writes from this side, so it
cannot prove that an editor on the host is seen. A read-only tmp_dir makes every build fail,
and a noexec mount under the binary makes air fail to start it with 'permission denied'.

Fix by hand: let air poll instead of using inotify:
  [build]
  poll = true
  poll_interval = 500
or move the project onto a local file system (inside WSL: ~/proj, not /mnt/c/...). For tmp,
remount it read-write and without noexec, or point tmp_dir at a folder on another mount.",
    problems: &[],
    run,
};

/// Longest wait for one probe event; a local file system answers in well under 1 ms.
const EVENT_TIMEOUT: Duration = Duration::from_secs(2);

fn run(ctx: &Context) -> Outcome {
    if let Some(why) = ctx.system.proc_unusable() {
        return Outcome::skipped(why);
    }
    let table = match MountTable::read(&ctx.system) {
        Ok(t) => t,
        Err(e) => return Outcome::Errored(e),
    };
    let root = real(&ctx.project.watch_root());
    let Some(project_mount) = table.mount_of(&root).cloned() else {
        return Outcome::Errored(format!(
            "no mount in /proc/self/mountinfo contains {}",
            root.display()
        ));
    };
    let env = Environment::detect(&ctx.system, &table);
    let mut findings = vec![];
    if let Some(first) = table.skipped.first() {
        findings.push(Finding::info(format!(
            "{} of /proc/self/mountinfo ignored (line {}: {})",
            crate::text::plural(table.skipped.len() as u64, "line", "lines"),
            first.line,
            first.reason
        )));
    }

    let evidence = json!({
        "mount": mount_json(&project_mount),
        "environment": env,
    });
    let dropping = drops_events(&project_mount);
    findings.extend(tmp_findings(ctx, &table, &root));

    let (probe, probe_facts) = live_probe(ctx, &root, &project_mount, &mut findings);
    let latency = probe.as_ref().and_then(|p| p.max_ms());

    if let Some(why) = dropping {
        findings.push(class_finding(ctx, &project_mount, why, latency).with_evidence(evidence));
    } else if let Some(p) = probe.as_ref().filter(|p| !p.missing.is_empty()) {
        findings.push(
            Finding::warn(format!(
                "no inotify event for {} within {} on {}: the reloader will miss changes; use polling",
                p.missing.join(", "),
                crate::text::span(EVENT_TIMEOUT),
                project_mount.fs_type
            ))
            .with_evidence(evidence)
            .with_fix(poll_fix(ctx)),
        );
    }

    let mut summary = project_mount.fs_type.clone();
    match (&probe, latency) {
        (Some(p), Some(ms)) if p.missing.is_empty() => {
            summary += &format!(", events delivered in {}", crate::text::duration(ms))
        }
        _ if dropping.is_some() => summary += ", host edits may raise no events",
        _ => {}
    }
    if let Some(place) = env.describe() {
        summary += &format!("; {place}");
    }
    let tmp = real(&root.join(&ctx.project.air.tmp_dir));
    Outcome::ran(summary, findings).with_evidence(json!({
        "project_mount": mount_json(&project_mount),
        "tmp_mount": table.mount_of(&tmp).map(mount_json),
        "environment": env,
        "probe": probe_facts,
        "mountinfo_skipped_lines": table.skipped,
    }))
}

/// Run the probe unless nothing can be written; what it saw, and its facts for the JSON.
fn live_probe(
    ctx: &Context,
    root: &Path,
    mount: &Mount,
    findings: &mut Vec<Finding>,
) -> (Option<Probe>, serde_json::Value) {
    if let Some(why) = read_only(root, mount) {
        findings.push(Finding::info(format!(
            "live inotify probe skipped: {why}, nothing can be written there"
        )));
        return (None, json!({ "skipped": why }));
    }
    let rules = ctx.project.event_rules(root);
    let tmp = root.join(&ctx.project.air.tmp_dir);
    let parent = match scratch::quiet_parent(root, rules.as_ref(), &tmp) {
        Ok(p) => p,
        Err(why) => {
            findings.push(Finding::info(format!("live inotify probe skipped: {why}")));
            return (None, json!({ "skipped": why }));
        }
    };
    match probe(&parent) {
        Ok(p) => {
            let ms: serde_json::Map<String, serde_json::Value> = p
                .latencies
                .iter()
                .map(|(op, ms)| (op.to_string(), json!((ms * 100.0).round() / 100.0)))
                .collect();
            let facts = json!({
                "latency_ms": ms, "max_ms": p.max_ms(), "missing": p.missing,
                "in": ctx.project.display_path(&parent),
            });
            (Some(p), facts)
        }
        Err(e) => {
            findings.push(
                Finding::warn(format!(
                    "live inotify probe failed: {e}; if reloads are missed, use polling"
                ))
                .with_fix(poll_fix(ctx)),
            );
            (None, json!({ "error": e }))
        }
    }
}

/// The canonical path when it exists (tmp may be a symlink to another mount), else as given.
fn real(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn mount_json(m: &Mount) -> serde_json::Value {
    json!({
        "mount_point": m.mount_point.to_string_lossy(), "fs_type": m.fs_type, "source": m.source,
        "options": m.options, "drops_events": drops_events(m),
    })
}

/// Why nothing can be written under `dir`, if so.
fn read_only(dir: &Path, m: &Mount) -> Option<String> {
    if m.read_only() {
        return Some(format!(
            "{} is mounted read-only ({})",
            dir.display(),
            m.describe()
        ));
    }
    nix::unistd::access(dir, nix::unistd::AccessFlags::W_OK)
        .err()
        .map(|e| format!("{} is not writable ({})", dir.display(), e.desc()))
}

/// A read-only tmp_dir, or a noexec (or read-only) mount under the binary air runs.
fn tmp_findings(ctx: &Context, table: &MountTable, root: &Path) -> Vec<Finding> {
    let air = &ctx.project.air;
    let tmp = real(&root.join(&air.tmp_dir));
    let bin = binary_path(ctx, root);
    let mut out = vec![];
    let tmp_mount = table.mount_of(&tmp);
    if let Some(m) = tmp_mount.filter(|m| m.read_only()) {
        out.push(
            Finding::fail(format!(
                "tmp_dir \"{}\" is on a read-only mount ({}): every build fails with 'read-only file system'; remount it read-write or set tmp_dir to a writable folder",
                air.tmp_dir,
                m.describe()
            ))
            .with_evidence(json!({"path": tmp.to_string_lossy(), "mount": mount_json(m)})),
        );
    }
    let bin_mount = bin
        .as_ref()
        .and_then(|b| table.mount_of(&real(b)).map(|m| (b, m)));
    if let Some((b, m)) = bin_mount {
        let shown = ctx.project.display_path(b);
        if m.has_option("noexec") {
            out.push(
                Finding::fail(format!(
                    "{shown} is built on a noexec mount ({}): air cannot start it ('permission denied'); remount without noexec or set tmp_dir to a folder on another mount",
                    m.describe()
                ))
                .with_evidence(json!({"binary": b.to_string_lossy(), "mount": mount_json(m)})),
            );
        } else if m.read_only() && tmp_mount.map(|t| t.id) != Some(m.id) {
            out.push(
                Finding::fail(format!(
                    "{shown} is on a read-only mount ({}): the build cannot write it",
                    m.describe()
                ))
                .with_evidence(json!({"binary": b.to_string_lossy(), "mount": mount_json(m)})),
            );
        }
    }
    out
}

/// The file air executes: `full_bin`'s program (after `VAR=value` words), else a path-like
/// `entrypoint`, else `bin`; relative to the root. None for a command found on PATH.
fn binary_path(ctx: &Context, root: &Path) -> Option<PathBuf> {
    let b = &ctx.project.air.build;
    let program = if !b.full_bin.trim().is_empty() {
        b.full_bin.split_whitespace().find(|w| !is_assignment(w))?
    } else if let Some(e) = b.entrypoint.as_deref() {
        e
    } else {
        b.bin.as_str()
    };
    program
        .contains('/')
        .then(|| root.join(program.trim_matches('"')))
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The finding for a file system that may drop host edits, with advice for this reloader.
fn class_finding(ctx: &Context, m: &Mount, why: &str, latency: Option<f64>) -> Finding {
    let probe = latency.map_or(String::new(), |ms| {
        format!(
            " (the live probe saw its own edits in {ms:.1} ms, but a probe from this side cannot prove that edits from the host editor arrive)"
        )
    });
    let head = format!("the project is on {}: {why}{probe}", m.describe());
    let or_else = alternative(m).map_or(String::new(), |a| format!("; or {a}"));
    match ctx.project.reloader {
        Reloader::Gin => Finding::info(format!(
            "{head}; gin polls modification times, so it is not affected"
        )),
        Reloader::Fresh => Finding::warn(format!(
            "{head}; fresh cannot poll: {}",
            alternative(m).unwrap_or("move the project onto a local file system")
        )),
        Reloader::Air | Reloader::None if ctx.project.air.build.poll => Finding::info(format!(
            "{head}; air polls (poll = true), so edits are seen"
        )),
        Reloader::Air | Reloader::None => {
            Finding::warn(format!("{head}; set poll = true in [build]{or_else}"))
                .with_fix(poll_fix(ctx))
        }
    }
}

/// Besides polling: how to get the files onto a file system that raises events.
fn alternative(m: &Mount) -> Option<&'static str> {
    match m.fs_type.as_str() {
        "9p" if m.super_options.contains("aname=drvfs") => {
            Some("move the project into the Linux file system (e.g. ~/proj)")
        }
        "vboxsf" => Some(
            "sync the files into the VM (Vagrant: synced_folder type \"rsync\" and `vagrant rsync-auto`)",
        ),
        "fuse.grpcfuse" | "fuse.osxfs" | "fakeowner" | "virtiofs" => {
            Some("use Docker Desktop's synchronized file shares or `docker compose watch`")
        }
        _ => None,
    }
}

/// `poll = true` in air's `[build]`: a rewrite of `.air.toml` when the project has one that
/// can be rewritten (one rewrite with reloader-config's, which names the same line), else the
/// step by hand.
fn poll_fix(ctx: &Context) -> Fix {
    let file = ctx
        .project
        .config_path
        .as_ref()
        .map_or_else(|| ".air.toml".into(), |p| ctx.project.display_path(p));
    let summary = format!("set poll = true in [build] of {file}");
    if let Some(fix) = air_config::edit(ctx, summary, vec![air_config::poll()]) {
        return fix;
    }
    Fix {
        summary: format!("set poll = true in [build] of {file}"),
        applicability: Applicability::Manual,
        needs_root: false,
        action: Action::Manual {
            steps: vec![format!(
                "in {file}, under [build]: poll = true and poll_interval = 500"
            )],
        },
    }
}

/// What the live probe saw.
#[derive(Debug)]
struct Probe {
    /// (operation, milliseconds until its event arrived).
    latencies: Vec<(&'static str, f64)>,
    /// Operations whose event never came.
    missing: Vec<&'static str>,
}

impl Probe {
    fn max_ms(&self) -> Option<f64> {
        self.latencies.iter().map(|l| l.1).reduce(f64::max)
    }
}

/// Create, write and rename a file in a hidden scratch folder under `root`, timing the
/// inotify event of each. The folder is removed on every path out (the guard drops).
fn probe(root: &Path) -> Result<Probe, String> {
    let scratch = ScratchDir::create(root, "probe")
        .map_err(|e| format!("cannot create a scratch folder in {}: {e}", root.display()))?;
    let dir = scratch.path();
    let mut capture = Capture::new()?;
    capture.watch(dir)?;
    let (a, b) = (dir.join("probe.go"), dir.join("renamed.go"));
    let mut result = Probe {
        latencies: vec![],
        missing: vec![],
    };
    for (name, op, path) in [
        ("create", Op::Create, &a),
        ("write", Op::Write, &a),
        ("rename", Op::Create, &b),
    ] {
        let start = Instant::now();
        match name {
            "create" => std::fs::File::create(&a).map(drop),
            "write" => std::fs::OpenOptions::new()
                .append(true)
                .open(&a)
                .and_then(|mut f| f.write_all(b"package probe\n")),
            _ => std::fs::rename(&a, &b),
        }
        .map_err(|e| format!("cannot {name} {}: {e}", a.display()))?;
        // A rename shows up as IN_MOVED_TO (fsnotify: Create) of the new name.
        match capture.wait_for(EVENT_TIMEOUT, |e: &FsEvent| e.op == op && e.path == *path)? {
            Some(e) => result
                .latencies
                .push((name, (e.at - start).as_secs_f64() * 1000.0)),
            None => result.missing.push(name),
        }
    }
    drop(capture);
    drop(scratch);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Options;
    use crate::model::{Severity, Status};
    use crate::project::{PortSource, Project};
    use crate::reloaders::air::config::AirConfig;
    use crate::system::System;

    /// Run the check against a recorded mountinfo, for a project at `root` (which does not
    /// exist here, so the live probe is skipped as not writable).
    fn recorded(file: &str, root: &str, reloader: Reloader, air: AirConfig) -> Outcome {
        let sys_root = std::env::temp_dir().join(format!(
            "rd-recorded-{}-{}",
            file.trim_end_matches(".txt"),
            std::process::id()
        ));
        std::fs::create_dir_all(sys_root.join("proc/self")).unwrap();
        let recorded = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/mountinfo")
            .join(file);
        std::fs::copy(recorded, sys_root.join("proc/self/mountinfo")).unwrap();
        let project = Project {
            root: PathBuf::from(root),
            go_mod: None,
            reloader,
            config_path: None,
            air,
            air_written: None,
            config_error: None,
            port: 8080,
            port_source: PortSource::Default,
            port_origin: None,
            gin: None,
            launches: Default::default(),
        };
        let ctx = Context::new(project, System::with_root(&sys_root), Options::default());
        let outcome = run(&ctx);
        std::fs::remove_dir_all(&sys_root).unwrap();
        outcome
    }

    fn findings(o: &Outcome) -> &[Finding] {
        match o {
            Outcome::Ran { findings, .. } => findings,
            other => panic!("did not run: {other:?}"),
        }
    }

    #[test]
    fn recorded_wsl2_drive_warns_to_poll_or_move() {
        let o = recorded(
            "wsl2-drvfs.txt",
            "/mnt/c/Users/u/proj",
            Reloader::Air,
            AirConfig::default(),
        );
        assert_eq!(o.status(), Status::Warn);
        let f = findings(&o)
            .iter()
            .find(|f| f.severity == Severity::Warn)
            .unwrap();
        assert!(
            f.message.contains("WSL2") && f.message.contains("poll = true"),
            "{}",
            f.message
        );
        assert!(f.message.contains("~/proj"), "{}", f.message);
        assert!(f.fix.as_ref().unwrap().summary.contains("poll = true"));
    }

    #[test]
    fn recorded_shared_mount_with_polling_or_gin_is_only_info() {
        let mut air = AirConfig::default();
        air.build.poll = true;
        let o = recorded("docker-desktop-virtiofs.txt", "/app", Reloader::Air, air);
        assert_eq!(o.status(), Status::Info, "{o:?}");
        let o = recorded(
            "vagrant-vboxsf.txt",
            "/vagrant/proj",
            Reloader::Gin,
            AirConfig::default(),
        );
        assert_eq!(o.status(), Status::Info, "{o:?}");
        let o = recorded(
            "nfs.txt",
            "/home/u/proj",
            Reloader::Fresh,
            AirConfig::default(),
        );
        assert!(
            findings(&o)
                .iter()
                .any(|f| f.message.contains("fresh cannot poll")),
            "{o:?}"
        );
    }

    #[test]
    fn recorded_noexec_and_read_only_tmp_fail() {
        let o = recorded(
            "noexec-tmp.txt",
            "/home/u/proj",
            Reloader::Air,
            AirConfig::default(),
        );
        assert_eq!(o.status(), Status::Fail);
        assert!(findings(&o)
            .iter()
            .any(|f| f.message.contains("tmp/main is built on a noexec mount")));
        let o = recorded(
            "readonly-tmp.txt",
            "/home/u/proj",
            Reloader::Air,
            AirConfig::default(),
        );
        assert_eq!(o.status(), Status::Fail);
        assert!(findings(&o)
            .iter()
            .any(|f| f.message.contains("read-only mount")));
        // A local disk: nothing but the skipped probe.
        let o = recorded(
            "native-ext4.txt",
            "/home/u/proj",
            Reloader::Air,
            AirConfig::default(),
        );
        assert_eq!(o.status(), Status::Info, "{o:?}");
    }

    #[test]
    fn recorded_bad_lines_are_reported_not_fatal() {
        let o = recorded(
            "escapes.txt",
            "/home/u/my project",
            Reloader::Air,
            AirConfig::default(),
        );
        let text: Vec<&str> = findings(&o).iter().map(|f| f.message.as_str()).collect();
        assert!(
            text.iter()
                .any(|m| m.contains("1 line of /proc/self/mountinfo ignored (line 29")),
            "{text:?}"
        );
    }

    #[test]
    fn probe_sees_events_and_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("rd-probe-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let p = probe(&dir).unwrap();
        assert!(p.missing.is_empty(), "{p:?}");
        assert_eq!(p.latencies.len(), 3);
        assert!(p.max_ms().unwrap() < 1000.0, "{p:?}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn probe_on_a_vanished_folder_is_an_error_not_a_panic() {
        let dir = std::env::temp_dir().join(format!("rd-probe-gone-{}", std::process::id()));
        let err = probe(&dir).unwrap_err();
        assert!(
            err.contains("cannot create a scratch folder") && err.contains("rd-probe-gone"),
            "{err}"
        );
    }

    #[test]
    fn binary_words() {
        assert!(is_assignment("APP_ENV=dev"));
        assert!(!is_assignment("./tmp/main"));
        assert!(!is_assignment("--flag=x"));
    }
}
