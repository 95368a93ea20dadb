//! `zombies`: exited processes of this user that their parent never reaped.

use super::check::Check;
use super::fixes::process::ProcessFixes;
use crate::context::Context;
use crate::model::{Applicability, Finding, Outcome};
use crate::process_role::{Owner, Role};
use crate::system::procs::Proc;
use crate::text::plural;
use serde_json::json;
use std::collections::BTreeMap;

pub static CHECK: Check = Check {
    id: "zombies",
    purpose: "exited processes of this user that their parent never reaped",
    explain: "\
Looks at: processes of this user in state Z (zombie), grouped by parent, and what each parent
is: a reloader (air, gin, fresh, reload-doctor run), a shell a reloader started, this
project's app, or something else.

Why it matters for hot reload: a zombie is an app (or build step) that exited but was never
waited for. Under a reloader it means restarts are not being cleaned up: fresh never waits for
the apps it kills, so every reload leaves one; a pile of them under air or gin usually means the
reloader is wedged. Zombies hold no port or memory, but each holds a pid, and a reloader that
does not reap is often the same one that no longer restarts the app.

When pid 1 itself is the parent and is not an init (air, sh or the app as a container's
entrypoint), nothing ever reaps them: start the container with --init (`init: true` in
compose) or make tini the entrypoint.

Fix: SIGCHLD asks the parent to reap (a shell does; a Go program reaps only children it waits
for). --fix sends it only to a parent that is this project's (its reloader, a shell that
reloader started, its app); any other parent gets the command to run by hand. When the parent is a reloader whose terminal is gone, stopping it releases them all
(unsafe: applied only with --fix --unsafe).
  ps -o pid,ppid,stat,comm -u $USER | awk '$3 ~ /Z/'   # zombies and their parents
  kill -CHLD PARENT                                     # ask the parent to reap",
    problems: &[],
    run,
};

fn run(ctx: &Context) -> Outcome {
    let table = match ctx.processes() {
        Ok(t) => t,
        Err(e) => return Outcome::skipped(e),
    };
    let mut by_parent: BTreeMap<i32, Vec<&Proc>> = BTreeMap::new();
    for z in table.owned_by(ctx.system.uid).filter(|p| p.state == 'Z') {
        by_parent.entry(z.ppid).or_default().push(z);
    }
    let partial = table.partial();
    let why = table
        .partial_reason()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let at_least = if partial { "at least " } else { "" };
    if by_parent.is_empty() {
        let summary = if partial {
            format!("no zombies among the processes visible{why}")
        } else {
            "no zombie processes".into()
        };
        return Outcome::ran(summary, vec![])
            .with_evidence(json!({"zombies": 0, "parents": 0, "partial": partial}));
    }
    let owner = Owner::new(&ctx.project, table);
    let fixes = ProcessFixes::new(&owner, ctx.system.uid);
    let total: usize = by_parent.values().map(Vec::len).sum();
    let mut findings = vec![];
    for (ppid, zombies) in &by_parent {
        let count = plural(zombies.len() as u64, "zombie", "zombies");
        let evidence = json!({
            "ppid": ppid,
            "zombies": zombies.iter().map(|z| json!({"pid": z.pid, "comm": z.comm})).collect::<Vec<_>>(),
            "partial": partial,
        });
        let Some(parent) = table.get(*ppid) else {
            // The parent exited after the snapshot; pid 1 adopts and reaps them.
            findings.push(
                Finding::info(format!(
                    "{count} of pid {ppid}, which has just exited; they will be reaped"
                ))
                .with_evidence(evidence),
            );
            continue;
        };
        let what = parent_kind(&owner, parent);
        let mut evidence = evidence;
        evidence["parent"] = json!({
            "pid": parent.pid, "comm": parent.comm, "kind": what.as_ref().map(|w| w.kind),
            "start_time": parent.start_time, "terminal": parent.tty_nr != 0,
        });
        let names = zombies
            .iter()
            .take(3)
            .map(|z| format!("{} ({})", z.comm, z.pid))
            .collect::<Vec<_>>()
            .join(", ");
        let about = format!(
            "{count} under {} (pid {}): {names}",
            parent.comm, parent.pid
        );
        if parent.pid == 1 && !crate::process_role::reaping_init(&parent.comm) {
            let steps = vec![
                "docker run --init ...   # or `init: true` in compose".to_string(),
                "ENTRYPOINT [\"tini\", \"--\", ...]   # in the Dockerfile".to_string(),
            ];
            findings.push(
                Finding::warn(format!(
                    "{about}; pid 1 is {}, not an init: it does not reap, so every process whose parent exits (an app a reloader stopped, a build step) stays a zombie forever, as in a container started without --init",
                    parent.comm
                ))
                .with_evidence(evidence)
                .with_fix(crate::model::Fix::manual(steps)),
            );
            continue;
        }
        let Some(what) = what else {
            findings.push(
                Finding::info(format!("{about}; not related to hot reload"))
                    .with_evidence(evidence)
                    .with_fix(fixes.sigchld(parent, false)),
            );
            continue;
        };
        findings.push(
            Finding::fail(format!("{about}; {}", what.why))
                .with_evidence(evidence.clone())
                .with_fix(fixes.sigchld(parent, what.ours)),
        );
        // SIGCHLD does not make a Go reloader reap. One that lost its terminal is stale:
        // nobody is watching its output, so stopping it is the way to release them.
        if let Some(reloader) = what.stale_reloader {
            findings.push(
                Finding::warn(format!(
                    "{} (pid {}) has no terminal and its starter is gone: stop it to release its zombies",
                    reloader.comm, reloader.pid
                ))
                .with_evidence(evidence)
                .with_fix(fixes.stop(reloader, Applicability::Unsafe)),
            );
        }
    }
    let summary = format!(
        "{at_least}{} of this user under {}{why}",
        plural(total as u64, "zombie", "zombies"),
        plural(by_parent.len() as u64, "parent", "parents")
    );
    Outcome::ran(summary, findings).with_evidence(json!({
        "zombies": total, "parents": by_parent.len(), "partial": partial,
    }))
}

struct Kind<'a> {
    kind: &'static str,
    /// The parent is this project's: its reloader, a shell its reloader started, its app.
    ours: bool,
    why: String,
    stale_reloader: Option<&'a Proc>,
}

/// Whether the parent belongs to hot reload: a reloader, what a reloader started (air's
/// `sh -c`, gin's app), or the project's app.
fn parent_kind<'a>(owner: &Owner<'a>, parent: &'a Proc) -> Option<Kind<'a>> {
    let stale = |r: &'a Proc| (r.tty_nr == 0 && owner.orphaned(r.pid)).then_some(r);
    if let Some(name) = owner.reloader(parent) {
        let ours = owner.is_project_reloader(parent);
        let why = if name == "fresh" {
            "fresh never waits for the apps it kills; restart fresh to release them".into()
        } else {
            format!("{name} is not reaping what it started; it may be wedged")
        };
        return Some(Kind {
            kind: "reloader",
            ours,
            why,
            stale_reloader: stale(parent),
        });
    }
    let grandparent = owner.table.get(parent.ppid);
    if let Some(r) = grandparent.filter(|g| owner.reloader(g).is_some()) {
        return Some(Kind {
            kind: "reloader-shell",
            ours: owner.is_project_reloader(r),
            why: format!(
                "{} was started by {} (pid {}) and is not reaping",
                parent.comm, r.comm, r.pid
            ),
            stale_reloader: stale(r),
        });
    }
    (owner.role(parent) == Role::Build).then(|| Kind {
        kind: "app",
        ours: true,
        why: "this project's app is not reaping its children".into(),
        stale_reloader: None,
    })
}
