//! `inotify-instances`: can this user open one more inotify instance?

use super::check::Check;
use super::fixes::sysctl::{measure, raise};
use crate::context::Context;
use crate::model::{Finding, Outcome};
use crate::text::thousands;
use serde_json::json;

pub static CHECK: Check = Check {
    id: "inotify-instances",
    purpose: "inotify instances this user holds against max_user_instances",
    explain: "\
Looks at: fs.inotify.max_user_instances (and the user namespace's
/proc/sys/user/max_inotify_instances) against the inotify instances held by this user's
processes (fds that point at anon_inode:inotify).

Why it breaks hot reload: every watcher process (air, gopls, VS Code, webpack, systemd) opens at
least one instance. The default limit is 128; once it is used up, a new reloader fails at start
with 'too many open files' (EMFILE) and some tools then fall back to not watching at all.

Fix by hand:
  sudo sysctl -w fs.inotify.max_user_instances=1024
  echo fs.inotify.max_user_instances=1024 | sudo tee -a /etc/sysctl.d/60-reload-doctor.conf",
    problems: &[],
    run,
};

const KEY: &str = "fs.inotify.max_user_instances";
const NS_KEY: &str = "user.max_inotify_instances";

fn run(ctx: &Context) -> Outcome {
    let (limit, usage) = match measure(ctx, KEY, NS_KEY) {
        Ok(m) => m,
        Err(skip) => return skip,
    };
    let left = limit.value.saturating_sub(usage.instances);
    let summary = format!(
        "{} of {} instances in use, {} left",
        thousands(usage.instances),
        thousands(limit.value),
        thousands(left)
    );
    let evidence = json!({
        "limit": limit.evidence(), "used": usage.instances, "left": left,
        "used_is_lower_bound": usage.unreadable > 0,
        "top_holders": usage.holders.iter().take(5)
            .map(|h| json!({"pid": h.pid, "comm": h.comm, "instances": h.instances}))
            .collect::<Vec<_>>(),
    });
    let finding = if left == 0 {
        Finding::fail(format!(
            "{summary}: a new reloader cannot start watching (EMFILE)"
        ))
    } else if left < 10 {
        Finding::warn(format!("{summary}: a few more watchers and reloads stop"))
    } else {
        return Outcome::ran(summary, vec![]).with_evidence(evidence);
    };
    let target = (2 * limit.value).max(1024);
    Outcome::ran(
        summary,
        vec![finding
            .with_evidence(evidence)
            .with_fix(raise(KEY, NS_KEY, &limit, target))],
    )
}
