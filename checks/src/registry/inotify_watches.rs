//! `inotify-watches`: will the reloader get one watch per directory it needs?

use super::check::Check;
use super::fixes::sysctl::{measure, raise};
use crate::context::Context;
use crate::model::{Finding, Outcome};
use crate::text::{plural, thousands};
use serde_json::json;

pub static CHECK: Check = Check {
    id: "inotify-watches",
    purpose: "inotify watches left for this user against the watches the project needs",
    explain: "\
Looks at: the watch limit that applies to a watcher started by this user from here (the
fs.inotify.max_user_watches sysctl and the possibly lower limit of the user namespace,
/proc/sys/user/max_inotify_watches), the watches this user's processes already hold (the
`inotify wd:` lines of /proc/*/fdinfo/*), and the watches the project needs: one per
directory the reloader watches, walked with the reloader's own rules.

Why it breaks hot reload: every watched directory costs one watch. When the limit is reached,
adding a watch fails with ENOSPC ('no space left on device'); air logs it once and then never
sees changes in the directories it could not watch. Editors, language servers and other
reloaders of the same user share the same budget.

Fix by hand: raise the limit and persist it:
  sudo sysctl -w fs.inotify.max_user_watches=524288
  echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-reload-doctor.conf
(/etc/sysctl.conf is not read by systemd-sysctl; use a file in /etc/sysctl.d.) Or watch less:
add node_modules and build output to build.exclude_dir.",
    problems: &[],
    run,
};

const KEY: &str = "fs.inotify.max_user_watches";
const NS_KEY: &str = "user.max_inotify_watches";

fn run(ctx: &Context) -> Outcome {
    let (limit, usage) = match measure(ctx, KEY, NS_KEY) {
        Ok(m) => m,
        Err(skip) => return skip,
    };
    let need =
        ctx.watch_tree().watched_dirs() as u64 + ctx.project.air.build.include_file.len() as u64;
    let left = limit.value.saturating_sub(usage.watches);
    let used = if usage.unreadable > 0 {
        format!("at least {}", thousands(usage.watches))
    } else {
        thousands(usage.watches)
    };
    let summary = format!(
        "project needs ~{}; {} of {} left for this user",
        plural(need, "watch", "watches"),
        thousands(left),
        thousands(limit.value)
    );
    let top: Vec<_> = usage
        .holders
        .iter()
        .take(5)
        .map(|h| json!({"pid": h.pid, "comm": h.comm, "instances": h.instances, "watches": h.watches}))
        .collect();
    let evidence = json!({
        "limit": limit.evidence(), "used": usage.watches, "used_is_lower_bound": usage.unreadable > 0,
        "unreadable_processes": usage.unreadable, "left": left, "need": need, "top_consumers": top,
    });
    let consumers = usage
        .holders
        .iter()
        .take(3)
        .map(|h| format!("{} (pid {}) {}", h.comm, h.pid, thousands(h.watches)))
        .collect::<Vec<_>>()
        .join(", ");
    let target = (2 * need).max(524_288);
    let finding = if need > left {
        Finding::fail(format!(
            "{summary}: the reloader will miss changes (ENOSPC); {used} in use{}",
            if consumers.is_empty() {
                String::new()
            } else {
                format!(", most by {consumers}")
            }
        ))
    } else if need > left / 2 {
        Finding::warn(format!(
            "{summary}: more than half of what is left; {used} in use"
        ))
    } else {
        return Outcome::ran(summary, vec![]).with_evidence(evidence);
    };
    Outcome::ran(
        summary,
        vec![finding
            .with_evidence(evidence)
            .with_fix(raise(KEY, NS_KEY, &limit, target))],
    )
}
