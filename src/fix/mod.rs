//! The fix executor: the one place in reload-doctor that changes the system.
//!
//! Checks describe fixes as data ([`checks::Action`]). The [`Executor`] decides which of them
//! may run here ([`Executor::hold_back`]: applicability, `--unsafe`, root, containers),
//! re-validates each action against the live system right before acting (the pid still has
//! the same start time and executable, the sysctl and the file still hold what the check saw),
//! and reports what happened as a [`Done`]. The guards that protect the user (never pid 1,
//! another user's process or one of our own ancestors; never `/etc/sysctl.conf`) live here,
//! whatever the check said. [`plan`] decides once what `--fix` does with the fixes a report
//! offers and counts them; `commands::fix` prints the plan and what became of the problems.

mod file;
pub use file::remove_stale_temps;
use reload_doctor_checks as checks;
pub mod plan;
mod process;
mod sysctl;

use checks::system::mounts::{Environment, MountTable};
use checks::{Action, Applicability, Fix, System};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What became of one fix (the `result` of the JSON `fixes` array).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Applied,
    /// Not run: by hand, unsafe without `--unsafe`, needs root, refused as stale, or
    /// nothing left to do (the process is already gone). `detail` says which.
    Skipped,
    Failed,
    /// `--dry-run`: would have run.
    Planned,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Applied => "applied",
            Verdict::Skipped => "skipped",
            Verdict::Failed => "failed",
            Verdict::Planned => "planned",
        }
    }
}

/// The verdict on one fix and why, in one line for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Done {
    pub result: Verdict,
    pub detail: String,
}

impl Done {
    pub fn applied(detail: impl Into<String>) -> Done {
        Done {
            result: Verdict::Applied,
            detail: detail.into(),
        }
    }

    pub fn skipped(detail: impl Into<String>) -> Done {
        Done {
            result: Verdict::Skipped,
            detail: detail.into(),
        }
    }

    pub fn failed(detail: impl Into<String>) -> Done {
        Done {
            result: Verdict::Failed,
            detail: detail.into(),
        }
    }
}

pub struct Executor {
    /// Where `/proc` and `/etc` are read and written (a temporary tree in tests).
    pub system: System,
    /// Whether we may do what needs root (effective uid 0).
    pub is_root: bool,
    /// Why kernel settings belong to someone else (the host of this container), if they do.
    pub container: Option<String>,
}

impl Executor {
    /// An executor for the system under `root` (`/` live).
    pub fn new(root: &Path) -> Executor {
        let system = System::with_root(root);
        Executor {
            container: container(&system),
            is_root: system.uid == 0,
            system,
        }
    }

    /// Why `fix` does not run here, or None when it may.
    pub fn hold_back(&self, fix: &Fix, allow_unsafe: bool) -> Option<Done> {
        if let Action::Manual { steps } = &fix.action {
            return Some(Done::skipped(format!("by hand: {}", steps.join("; "))));
        }
        match fix.applicability {
            Applicability::Manual => {
                return Some(Done::skipped(format!("by hand: {}", fix.summary)))
            }
            Applicability::Unsafe if !allow_unsafe => {
                return Some(Done::skipped(format!(
                    "unsafe, so not without --unsafe: {} (it may be something you want)",
                    describe(&fix.action)
                )))
            }
            _ => {}
        }
        if let Action::SetSysctl { .. } = &fix.action {
            if let Some(why) = &self.container {
                return Some(sysctl::for_the_host(&fix.action, why));
            }
        }
        if fix.needs_root && !self.is_root {
            return Some(match &fix.action {
                Action::SetSysctl { .. } => sysctl::for_sudo(self, &fix.action),
                action => Done::skipped(format!(
                    "needs root: run `sudo reload-doctor --fix` to {}",
                    describe(action)
                )),
            });
        }
        None
    }

    /// Carry out one action after re-validating it. Never panics; every outcome is a [`Done`].
    pub fn apply(&self, action: &Action) -> Done {
        match action {
            Action::SetSysctl {
                key,
                value,
                expected_old,
                persist_file,
            } => sysctl::apply(self, key, *value, *expected_old, persist_file),
            Action::StopProcess {
                pid,
                start_time,
                exe,
                signal,
                escalate,
            } => process::stop(self, *pid, *start_time, exe.as_deref(), signal, *escalate),
            Action::Signal {
                pid,
                start_time,
                signal,
            } => process::signal(self, *pid, *start_time, signal),
            Action::WriteFile {
                path,
                contents,
                expected_old,
                backup,
                ..
            } => file::replace(path, contents, expected_old, backup),
            Action::Manual { steps } => Done::skipped(format!("by hand: {}", steps.join("; "))),
        }
    }

    /// A path the action names (`/etc/...`), under this executor's root.
    fn rooted(&self, path: &str) -> PathBuf {
        match Path::new(path).strip_prefix("/etc") {
            Ok(rest) => self.system.etc_root.join(rest),
            Err(_) => PathBuf::from(path),
        }
    }
}

/// What the plan says the executor will do, in the words of the plan ("will ...").
pub fn describe(action: &Action) -> String {
    match action {
        Action::SetSysctl {
            key,
            value,
            expected_old,
            persist_file,
        } => format!("set {key}={value} (now {expected_old}) and persist it in {persist_file}"),
        Action::StopProcess {
            pid,
            exe,
            signal,
            escalate,
            ..
        } => format!(
            "stop pid {pid} ({}) with {signal}{}",
            exe.as_deref()
                .map_or("executable unknown".into(), Path::to_string_lossy),
            if *escalate {
                format!(
                    ", then SIGKILL if it is still running after {}",
                    checks::text::span(process::STOP_WAIT)
                )
            } else {
                String::new()
            }
        ),
        Action::Signal { pid, signal, .. } => format!("send {signal} to pid {pid}"),
        Action::WriteFile { path, backup, .. } => {
            format!(
                "rewrite {} (the current contents are kept in {})",
                path.display(),
                backup.display()
            )
        }
        Action::Manual { steps } => steps.join("; "),
    }
}

/// Why this looks like a container whose kernel settings belong to its host, if it does
/// (mount-events' detection, so the report and the executor agree).
fn container(system: &System) -> Option<String> {
    let table = MountTable::read(system).unwrap_or_default();
    let env = Environment::detect(system, &table);
    env.container.map(|kind| {
        format!(
            "this is a {kind} container ({}): the kernel and its sysctls belong to the host or VM",
            env.container_evidence.join("; ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(applicability: Applicability, needs_root: bool, action: Action) -> Fix {
        Fix {
            summary: "s".into(),
            applicability,
            needs_root,
            action,
        }
    }

    fn executor(is_root: bool, container: Option<&str>) -> Executor {
        let mut ex = Executor::new(Path::new("/nonexistent-root"));
        ex.is_root = is_root;
        ex.container = container.map(str::to_string);
        ex
    }

    #[test]
    fn policy_decides_what_runs() {
        let set = Action::SetSysctl {
            key: "fs.inotify.max_user_watches".into(),
            value: 524288,
            expected_old: 8192,
            persist_file: "/etc/sysctl.d/60-reload-doctor.conf".into(),
        };
        let stop = Action::StopProcess {
            pid: 4121,
            start_time: 1,
            exe: None,
            signal: "SIGTERM".into(),
            escalate: true,
        };
        let root = executor(true, None);
        assert_eq!(
            root.hold_back(&fix(Applicability::Safe, true, set.clone()), false),
            None
        );
        let unsafe_fix = fix(Applicability::Unsafe, false, stop.clone());
        assert!(root
            .hold_back(&unsafe_fix, false)
            .unwrap()
            .detail
            .contains("--unsafe"));
        assert_eq!(root.hold_back(&unsafe_fix, true), None);
        let manual = fix(Applicability::Manual, false, stop);
        assert!(root
            .hold_back(&manual, true)
            .unwrap()
            .detail
            .starts_with("by hand"));

        let user = executor(false, None);
        let held = user.hold_back(&fix(Applicability::Safe, true, set.clone()), false);
        let held = held.unwrap();
        assert_eq!(held.result, Verdict::Skipped);
        assert!(
            held.detail
                .contains("sudo sysctl -w fs.inotify.max_user_watches=524288"),
            "{}",
            held.detail
        );

        let boxed = executor(true, Some("this is a container (/.dockerenv exists)"));
        let held = boxed.hold_back(&fix(Applicability::Safe, true, set), false);
        let held = held.unwrap();
        assert!(held.detail.contains("on the host"), "{}", held.detail);
    }
}
