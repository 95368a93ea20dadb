//! `stale-processes`: a second reloader for this project, or this project's builds orphaned.

use super::check::Check;
use super::fixes::process::ProcessFixes;
use crate::context::Context;
use crate::model::{Applicability, Finding, Outcome};
use crate::process_role::Owner;
use crate::system::procs::Proc;
use crate::text::plural;
use serde_json::json;

pub static CHECK: Check = Check {
    id: "stale-processes",
    purpose: "more than one reloader for this project, or its builds running orphaned",
    explain: "\
Looks at: reloaders (air, gin, fresh, reload-doctor run) whose working directory or -c config
is inside this project, and processes running this project's build (its tmp_dir, bin,
full_bin or go build -o target, inside the project tree, and the very file the build wrote)
whose reloader is gone. A tmp_dir or bin outside the project never makes a process ours.

Why it breaks hot reload: two reloaders both rebuild on every save, race for tmp/main and for
the port; whichever started its app last loses with 'address already in use', and what you
see in the browser is whichever app won. An orphaned build (its reloader was killed, its
terminal closed) keeps serving old code and holding the port.

Which reloader is kept: the one running reload-doctor, if any; else one with a terminal over
one without (a reloader without a terminal has no one watching its output); among those, the
newest. The newest is the one you just started and are looking at; the older ones are what
you left behind, and their apps are the ones stealing the port. Stopping an older air also
stops its app (air kills its app on SIGTERM).

Fix: orphaned builds of this project are stopped by --fix (safe: they are this project's
own, unsupervised binaries). Extra reloaders are stopped only with --fix --unsafe, since
one may be running in a terminal you still use. By hand:
  pgrep -a 'air|gin|fresh'     # all reloaders
  kill PID",
    problems: &[],
    run,
};

fn run(ctx: &Context) -> Outcome {
    let table = match ctx.processes() {
        Ok(t) => t,
        Err(e) => return Outcome::skipped(e),
    };
    let owner = Owner::new(&ctx.project, table);
    let fixes = ProcessFixes::new(&owner, ctx.system.uid);
    let partial = table.partial();
    let at_least = if partial { "at least " } else { "" };
    let why = table
        .partial_reason()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();

    // Top-level reloaders only: a reloader started by another of this project's reloaders
    // (a `go run` air under air, say) is that one's business.
    let reloaders: Vec<&Proc> = table
        .procs
        .iter()
        .filter(|p| owner.is_project_reloader(p))
        .filter(|p| owner.serving_reloader(p.pid).is_none())
        .collect();
    let orphans: Vec<&Proc> = owner
        .build_candidates()
        .filter(|p| owner.reloader(p).is_none())
        .filter(|p| owner.role(p) == crate::process_role::Role::Build)
        .filter(|p| owner.serving_reloader(p.pid).is_none() && owner.orphaned(p.pid))
        .collect();

    let mut findings = vec![];
    if reloaders.len() > 1 {
        let keep = keeper(&reloaders, &fixes).unwrap_or(reloaders[0]);
        let listed = reloaders
            .iter()
            .map(|r| format!("{} (pid {})", r.comm, r.pid))
            .collect::<Vec<_>>()
            .join(", ");
        for r in reloaders.iter().filter(|r| r.pid != keep.pid) {
            findings.push(
                Finding::fail(format!(
                    "{} reloaders run for this project ({listed}); {} (pid {}) is extra, keeping pid {} ({})",
                    reloaders.len(), r.comm, r.pid, keep.pid, why_kept(keep, &fixes)
                ))
                .with_evidence(json!({
                    "pid": r.pid, "comm": r.comm, "start_time": r.start_time,
                    "cmdline": owner.details(r.pid).cmdline, "cwd": owner.details(r.pid).cwd.as_deref().map(std::path::Path::to_string_lossy),
                    "terminal": r.tty_nr != 0, "kept_pid": keep.pid,
                    "reloaders": reloaders.iter().map(|r| r.pid).collect::<Vec<_>>(),
                    "partial": partial,
                }))
                .with_fix(fixes.stop(r, Applicability::Unsafe)),
            );
        }
    }
    for o in &orphans {
        let d = owner.details(o.pid);
        findings.push(
            Finding::warn(format!(
                "pid {} {} is this project's build running without its reloader (orphaned)",
                o.pid,
                owner.command(o)
            ))
            .with_evidence(json!({
                "pid": o.pid, "exe": d.exe_link, "cwd": d.cwd.as_deref().map(std::path::Path::to_string_lossy), "cmdline": d.cmdline,
                "start_time": o.start_time, "ppid": o.ppid, "user": owner.user(o.uid),
                "partial": partial,
            }))
            .with_fix(fixes.stop(o, Applicability::Safe)),
        );
    }
    let summary = match (reloaders.len(), orphans.len()) {
        (0, 0) => format!("{at_least}no reloader and no build of this project running"),
        (n, 0) => format!(
            "{at_least}{} for this project, no orphaned builds",
            plural(n as u64, "reloader", "reloaders")
        ),
        (n, o) => format!(
            "{at_least}{} for this project, {} orphaned",
            plural(n as u64, "reloader", "reloaders"),
            plural(o as u64, "build", "builds")
        ),
    } + &why;
    Outcome::ran(summary, findings).with_evidence(json!({
        "reloaders": reloaders.iter().map(|r| r.pid).collect::<Vec<_>>(),
        "orphaned_builds": orphans.iter().map(|o| o.pid).collect::<Vec<_>>(),
        "partial": partial,
    }))
}

/// The reloader to keep: the doctor's own, else one with a terminal, else the newest.
fn keeper<'a>(reloaders: &[&'a Proc], fixes: &ProcessFixes) -> Option<&'a Proc> {
    reloaders.iter().copied().max_by_key(|r| {
        (
            fixes.is_protected(r.pid),
            r.tty_nr != 0,
            r.start_time,
            r.pid,
        )
    })
}

fn why_kept(keep: &Proc, fixes: &ProcessFixes) -> &'static str {
    if fixes.is_protected(keep.pid) {
        "it runs reload-doctor"
    } else if keep.tty_nr != 0 {
        "the newest with a terminal"
    } else {
        "the newest"
    }
}
