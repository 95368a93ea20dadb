//! `port-busy`: who listens on the app port (and the reloader's proxy port), and is that
//! healthy?

use super::check::Check;
use super::fixes::process::ProcessFixes;
use crate::context::Context;
use crate::model::{Applicability, Finding, Outcome};
use crate::process_role::{Owner, Role};
use crate::project::Project;
use crate::system::procs::Proc;
use crate::system::sockets::{self, Listener};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub static CHECK: Check = Check {
    id: "port-busy",
    purpose: "who listens on the app port (and the reloader's proxy port)",
    explain: "\
Looks at: every TCP listener, IPv4 and IPv6 (sock_diag, or /proc/net/tcp*), on the app port
and on the reloader's proxy port: air's proxy_port when [proxy] is enabled in .air.toml, gin's
--port (3000 unless -p, GIN_PORT or .env say otherwise); the process behind each socket
(/proc/PID/fd), its user, executable, command line, working directory and parents.

Why it breaks hot reload: the reloader starts the new build, which dies at once with
'bind: address already in use' while an older process keeps answering with the old code. The
usual holder is this project's own binary left behind by a reloader that was killed (its
terminal closed, kill -9, a crash): air starts the app in its own process group, so it survives.

Healthy: the holder is this project's app under a live reloader of this project, or the
reloader itself (air's or gin's proxy). A left-behind build of this project gets a safe fix (stop it).
Any other program gets an unsafe fix (applied only with --fix --unsafe): it may be something
you want, such as another project's server. Another user's process is reported with the sudo
command, never stopped by reload-doctor.

Fix by hand:
  ss -ltnp 'sport = :8080'     # who listens
  kill PID                     # then wait; kill -9 PID only if it ignores SIGTERM",
    problems: &[],
    run,
};

fn run(ctx: &Context) -> Outcome {
    if let Some(why) = ctx.system.proc_unusable() {
        return Outcome::skipped(why);
    }
    let project = &ctx.project;
    let (ports, mut findings) = ports_to_check(project);
    let table = match ctx.processes() {
        Ok(t) => t,
        Err(e) => return Outcome::skipped(e),
    };
    let port_list: Vec<u16> = ports.iter().map(|(p, _)| *p).collect();
    let listeners = match sockets::listeners(&ctx.system.proc_root, &port_list) {
        Ok(l) => l,
        Err(e) => return Outcome::Errored(e),
    };
    let ports_text = port_list
        .iter()
        .map(|p| format!(":{p}"))
        .collect::<Vec<_>>()
        .join(" and ");
    if listeners.is_empty() {
        return Outcome::ran(format!("nothing listens on {ports_text}"), findings).with_evidence(
            json!({"ports": port_list, "listeners": 0, "holders": [], "partial": false}),
        );
    }

    let owner = Owner::new(project, table);
    // This project's builds and reloaders (a proxy) are the usual holders: read their fds
    // first.
    let likely: Vec<i32> = owner
        .build_candidates()
        .chain(table.procs.iter().filter(|p| owner.reloader(p).is_some()))
        .map(|p| p.pid)
        .collect();
    let holders = sockets::holders(table, &listeners, &likely);
    let partial = table.partial() || holders.unreadable > 0;
    let fixes = ProcessFixes::new(&owner, ctx.system.uid);
    let mut healthy: Vec<String> = vec![];
    // Short forms for the summary line; the findings say why and what to do.
    let mut busy: Vec<String> = vec![];

    // One entry per (port, holder pid): a process listening on both 0.0.0.0 and [::] is
    // one holder with two addresses.
    let mut held: BTreeMap<(u16, i32), Vec<&Listener>> = BTreeMap::new();
    for l in &listeners {
        match holders.by_inode.get(&l.inode) {
            Some(pids) => {
                for pid in pids {
                    held.entry((l.local.port(), *pid)).or_default().push(l);
                }
            }
            None => {
                busy.push(format!(":{} held by uid {}", l.local.port(), l.uid));
                findings.push(unmapped(ctx, &owner, l, partial));
            }
        }
    }
    let mut seen: Vec<Value> = vec![];
    for ((port, pid), sockets) in held {
        let role = ports
            .iter()
            .find(|(p, _)| *p == port)
            .map_or("app", |(_, r)| *r);
        let Some(p) = table.get(pid) else {
            continue;
        };
        let evidence = holder_evidence(ctx, &owner, p, port, role, &sockets, partial);
        let who = format!("pid {} {}", p.pid, owner.command(p));
        let served = owner.serving_reloader(pid);
        let class = classify(&owner.role(p), served.is_some(), owner.orphaned(pid));
        let finding = match (class, served) {
            (Holder::ProjectReloader(name), _) => {
                healthy.push(format!(":{port} served by {name} (pid {pid}) of this project"));
                None
            }
            (Holder::ServedByReloader, Some(r)) => {
                healthy.push(format!(
                    ":{port} served by {who} under {} (pid {}) of this project",
                    r.comm, r.pid
                ));
                None
            }
            (Holder::LeftBehindBuild, _) => Some(Finding::fail(format!(
                ":{port} held by {who}, this project's build left behind by a reloader that is gone: the new build cannot bind"
            ))
            .with_fix(fixes.stop(p, Applicability::Safe))),
            (Holder::BuildOutsideReloader, _) => Some(Finding::fail(format!(
                ":{port} held by {who}, this project's build run outside a reloader (parent {}): the reloader's build cannot bind",
                parent_text(table, p)
            ))
            .with_fix(fixes.stop(p, Applicability::Unsafe))),
            // (ServedByReloader always has its reloader: classify was told so.)
            (Holder::OtherProgram | Holder::ServedByReloader, _) => Some(Finding::fail(format!(
                ":{port} held by {who} (user {}), not this project: the app cannot bind",
                owner.user(p.uid)
            ))
            .with_fix(fixes.stop(p, Applicability::Unsafe))),
        };
        let class = class.id();
        seen.push(json!({"port": port, "pid": pid, "class": class,
                         "reloader_pid": served.map(|r| r.pid)}));
        if let Some(f) = finding {
            busy.push(format!(":{port} held by {who}"));
            findings.push(f.with_evidence(with_class(evidence, class)));
        }
    }

    let at_least = if partial { "at least " } else { "" };
    let summary = if !busy.is_empty() {
        format!("{at_least}{}", busy.join("; "))
    } else if healthy.is_empty() {
        format!("{at_least}{} listener(s) on {ports_text}", listeners.len())
    } else {
        healthy.join("; ")
    };
    Outcome::ran(summary, findings).with_evidence(json!({
        "ports": port_list, "listeners": listeners.len(), "holders": seen, "partial": partial,
    }))
}

/// The ports to look at (the app's, and air's or gin's proxy port) with their role, and the
/// findings about the ports themselves (invalid, or equal to the app's).
fn ports_to_check(project: &Project) -> (Vec<(u16, &'static str)>, Vec<Finding>) {
    let mut findings: Vec<Finding> = vec![];
    let config = project
        .config_path
        .as_ref()
        .map_or(".air.toml".into(), |c| project.display_path(c));
    for (key, value) in &project.air.proxy.invalid {
        findings.push(
            Finding::fail(format!(
                "{config}: proxy.{key} = {value} is not a TCP port; use 1-65535"
            ))
            .with_evidence(json!({"key": format!("proxy.{key}"), "value": value})),
        );
    }
    let mut ports = vec![(project.port, "app")];
    if project.air.proxy.enabled {
        match project.air.proxy.proxy_port {
            Some(p) if p != project.port => ports.push((p, "air proxy")),
            Some(_) => findings.push(Finding::fail(format!(
                "{config}: proxy.proxy_port equals the app port {}: air's proxy and the app cannot both listen on it",
                project.port
            ))),
            // air v1.67.4 listens on `:0`: a port the kernel picks at each start.
            None => findings.push(
                Finding::warn(format!(
                    "{config}: [proxy] is enabled with proxy_port 0 or unset: air's proxy listens on a port the kernel picks at each start and prints http://localhost:0, so the browser has no address to open; set proxy_port to a free port other than the app's (air's example uses 8090)"
                ))
                .with_evidence(json!({"key": "proxy.proxy_port", "value": 0})),
            ),
        }
    }
    if let Some(gin) = &project.gin {
        if gin.proxy == project.port {
            findings.push(Finding::fail(format!(
                "gin's proxy port (--port) equals the app port {}: gin and the app cannot both listen on it; pass gin --port and --appPort two different ports",
                project.port
            )));
        } else {
            ports.push((gin.proxy, "gin proxy"));
        }
    }
    (ports, findings)
}

/// What a process holding a checked port is to this project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    /// This project's reloader, by name (its proxy listens there).
    ProjectReloader(&'static str),
    /// Any process run by this project's live reloader: the app it serves.
    ServedByReloader,
    /// This project's build whose reloader is gone: safe to stop.
    LeftBehindBuild,
    /// This project's build started by hand: stopping it is the user's call.
    BuildOutsideReloader,
    OtherProgram,
}

impl Holder {
    /// The `class` of the JSON evidence.
    fn id(self) -> &'static str {
        match self {
            Holder::ProjectReloader(_) => "project-reloader",
            Holder::ServedByReloader => "served-by-reloader",
            Holder::LeftBehindBuild => "left-behind-build",
            Holder::BuildOutsideReloader => "build-outside-reloader",
            Holder::OtherProgram => "other-program",
        }
    }
}

/// The judge: a holder's class from its role, whether a live reloader of this project is
/// among its ancestors, and whether it was orphaned.
fn classify(role: &Role, served: bool, orphaned: bool) -> Holder {
    match role {
        Role::ProjectReloader(name) => Holder::ProjectReloader(name),
        _ if served => Holder::ServedByReloader,
        Role::Build if orphaned => Holder::LeftBehindBuild,
        Role::Build => Holder::BuildOutsideReloader,
        Role::OtherReloader(_) | Role::Other => Holder::OtherProgram,
    }
}

fn with_class(mut evidence: Value, class: &str) -> Value {
    evidence["class"] = json!(class);
    evidence
}

fn parent_text(table: &crate::system::procs::ProcessTable, p: &Proc) -> String {
    table
        .get(p.ppid)
        .map_or(format!("pid {} (gone)", p.ppid), |q| {
            format!("{} pid {}", q.comm, q.pid)
        })
}

/// Everything a person (or the executor) needs to know about one holder.
fn holder_evidence(
    ctx: &Context,
    owner: &Owner,
    p: &Proc,
    port: u16,
    role: &str,
    sockets: &[&Listener],
    partial: bool,
) -> Value {
    let d = owner.details(p.pid);
    json!({
        "port": port,
        "port_role": role,
        "addresses": sockets.iter().map(|s| s.local.to_string()).collect::<Vec<_>>(),
        "pid": p.pid,
        "uid": p.uid,
        "user": owner.user(p.uid),
        "exe": d.exe_link,
        "cmdline": d.cmdline,
        "cwd": d.cwd.as_deref().map(std::path::Path::to_string_lossy),
        "start_time": p.start_time,
        "age_s": age_seconds(ctx, p),
        "ppid": p.ppid,
        "parent": owner.table.get(p.ppid).map(|q| q.comm.clone()),
        "reloader_pid": owner.serving_reloader(p.pid).map(|r| r.pid),
        "partial": partial,
    })
}

/// Seconds since the process started, from its start time and `/proc/uptime`.
fn age_seconds(ctx: &Context, p: &Proc) -> Option<u64> {
    let uptime: f64 = std::fs::read_to_string(ctx.system.proc_root.join("uptime"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let started = p.start_time as f64 / procfs::ticks_per_second() as f64;
    Some((uptime - started).max(0.0) as u64)
}

/// A listener whose inode no readable `/proc/PID/fd` links to.
fn unmapped(ctx: &Context, owner: &Owner, l: &Listener, partial: bool) -> Finding {
    let port = l.local.port();
    let user = owner.user(l.uid);
    let evidence = json!({
        "port": port, "address": l.local.to_string(), "uid": l.uid, "user": user,
        "inode": l.inode, "partial": partial, "class": "unknown-holder",
    });
    let hidden = owner.table.hidden.as_deref();
    let (message, steps) = if let (Some(why), true) = (hidden, l.uid != ctx.system.uid) {
        (
            format!(":{port} held by a process of another user ({user}, uid {}) that reload-doctor cannot see: {why}", l.uid),
            vec![format!("sudo ss -ltnp 'sport = :{port}'   # shows the pid"), "sudo kill PID".into()],
        )
    } else if l.uid != ctx.system.uid && partial {
        (
            format!(":{port} held by a process of another user ({user}, uid {}); reload-doctor cannot see which", l.uid),
            vec![format!("sudo ss -ltnp 'sport = :{port}'   # shows the pid"), "sudo kill PID".into()],
        )
    } else {
        (
            format!(":{port} held by a socket of {user} (uid {}) that no visible process owns: it is in another container or PID namespace, or just exited", l.uid),
            vec![format!("ss -ltnp 'sport = :{port}'"), "docker ps   # a container publishing the port".into()],
        )
    };
    Finding::fail(message)
        .with_evidence(evidence)
        .with_fix(crate::model::Fix {
            summary: steps[0].clone(),
            applicability: Applicability::Manual,
            needs_root: l.uid != ctx.system.uid,
            action: crate::model::Action::Manual { steps },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_classified_by_role_then_by_their_reloader() {
        assert_eq!(
            classify(&Role::ProjectReloader("air"), false, true),
            Holder::ProjectReloader("air")
        );
        // The app air runs is healthy, whatever it is.
        assert_eq!(
            classify(&Role::Other, true, false),
            Holder::ServedByReloader
        );
        assert_eq!(classify(&Role::Build, true, true), Holder::ServedByReloader);
        assert_eq!(classify(&Role::Build, false, true), Holder::LeftBehindBuild);
        assert_eq!(
            classify(&Role::Build, false, false),
            Holder::BuildOutsideReloader
        );
        // Another project's reloader is never ours to stop safely.
        assert_eq!(
            classify(&Role::OtherReloader("air"), false, true),
            Holder::OtherProgram
        );
    }

    #[test]
    fn proxy_ports_join_the_app_port_or_are_findings() {
        let dir = tempfile::tempdir().unwrap();
        let project = |toml: &str| {
            std::fs::write(dir.path().join(".air.toml"), toml).unwrap();
            Project::detect(dir.path(), Some(8080)).unwrap()
        };
        let (ports, f) = ports_to_check(&project(
            "[proxy]\nenabled = true\nproxy_port = 8090\napp_port = 8080\n",
        ));
        assert_eq!(ports, vec![(8080, "app"), (8090, "air proxy")]);
        assert!(f.is_empty(), "{f:?}");
        let (ports, f) = ports_to_check(&project(
            "[proxy]\nenabled = true\nproxy_port = 8080\napp_port = 8080\n",
        ));
        assert_eq!(ports, vec![(8080, "app")]);
        assert!(f[0].message.contains("equals the app port"), "{f:?}");
    }
}
