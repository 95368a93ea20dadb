//! The fix shared by the inotify checks: raise a limit and persist it in `/etc/sysctl.d`.

use crate::context::Context;
use crate::model::{Action, Applicability, Fix, Outcome};
use crate::system::inotify::Usage;

/// The drop-in file reload-doctor owns. systemd-sysctl and `sysctl --system` read
/// `/etc/sysctl.d/*.conf`; `/etc/sysctl.conf` is not read by systemd-sysctl at all.
pub const PERSIST_FILE: &str = "/etc/sysctl.d/60-reload-doctor.conf";

/// The limit that applies to a watcher started from here: the system-wide sysctl and the
/// (possibly lower) limit of the user namespace we run in.
pub struct Limit {
    pub value: u64,
    pub system: u64,
    /// `/proc/sys/user/max_inotify_*`, when the kernel has it.
    pub namespace: Option<u64>,
}

impl Limit {
    pub fn read(ctx: &Context, system_key: &str, namespace_key: &str) -> Result<Limit, String> {
        let system = ctx.system.sysctl_u64(system_key)?;
        let namespace = ctx.system.sysctl_u64(namespace_key).ok();
        Ok(Limit {
            value: namespace.map_or(system, |n| n.min(system)),
            system,
            namespace,
        })
    }

    /// True when the user namespace, not the system sysctl, is what holds us back; then the
    /// limit belongs to whoever created the namespace (the container host).
    pub fn set_by_namespace(&self) -> bool {
        self.namespace.is_some_and(|n| n < self.system)
    }

    pub fn evidence(&self) -> serde_json::Value {
        serde_json::json!({"limit": self.value, "system": self.system, "user_namespace": self.namespace})
    }
}

/// The limit and this user's usage, or the skip that says why they cannot be read.
pub fn measure<'a>(
    ctx: &'a Context,
    key: &str,
    namespace_key: &str,
) -> Result<(Limit, &'a Usage), Outcome> {
    if let Some(why) = ctx.system.proc_unusable() {
        return Err(Outcome::skipped(why));
    }
    let limit = Limit::read(ctx, key, namespace_key).map_err(Outcome::skipped)?;
    let usage = ctx.inotify_usage().map_err(Outcome::skipped)?;
    Ok((limit, usage))
}

/// A fix that raises `key` to `value`.
pub fn raise(key: &str, namespace_key: &str, limit: &Limit, value: u64) -> Fix {
    if limit.set_by_namespace() {
        return Fix {
            summary: format!(
                "the user namespace caps this at {}; on the host run: sudo sysctl -w {namespace_key}={value}",
                limit.value
            ),
            applicability: Applicability::Manual,
            needs_root: true,
            action: Action::Manual {
                steps: vec![format!("sudo sysctl -w {namespace_key}={value}")],
            },
        };
    }
    Fix {
        summary: format!("sysctl {key}={value} (persisted in {PERSIST_FILE})"),
        applicability: Applicability::Safe,
        needs_root: true,
        action: Action::SetSysctl {
            key: key.to_string(),
            value,
            expected_old: limit.system,
            persist_file: PERSIST_FILE.to_string(),
        },
    }
}
