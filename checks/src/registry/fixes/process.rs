//! Fixes that stop or signal a process, with the guards all process checks share: pid 1 and
//! the doctor's own ancestors only ever get a manual fix, and so does another user's process
//! (with the `sudo` command). The action carries the start time and executable so the
//! executor can refuse if the pid was reused.

use crate::model::{Action, Applicability, Fix};
use crate::process_role::Owner;
use crate::system::procs::Proc;
use std::collections::HashSet;

pub struct ProcessFixes<'o, 'a> {
    owner: &'o Owner<'a>,
    /// The doctor's effective uid.
    me: u32,
    protected: HashSet<i32>,
}

impl<'o, 'a> ProcessFixes<'o, 'a> {
    pub fn new(owner: &'o Owner<'a>, me: u32) -> Self {
        ProcessFixes {
            owner,
            me,
            protected: owner.protected(),
        }
    }

    pub fn is_protected(&self, pid: i32) -> bool {
        self.protected.contains(&pid)
    }

    /// `kill 4121  # python3 -m http.server, pid 4121, user ann`, applied with
    /// `applicability` unless a guard makes it manual.
    pub fn stop(&self, p: &Proc, applicability: Applicability) -> Fix {
        let action = Action::StopProcess {
            pid: p.pid,
            start_time: p.start_time,
            exe: self.owner.details(p.pid).exe_link.clone(),
            signal: "SIGTERM".into(),
            escalate: true,
        };
        self.guarded(p, format!("kill {}", p.pid), applicability, action)
    }

    /// `kill -CHLD PID`: asks a parent to reap its zombie children. Only a parent that
    /// belongs to this project (`ours`) is signalled by `--fix`; any other gets the command
    /// to run by hand, so a second `--fix` never signals a stranger again.
    pub fn sigchld(&self, p: &Proc, ours: bool) -> Fix {
        if !ours {
            let summary = format!(
                "kill -CHLD {}  # {}, pid {}: not this project's, so by hand",
                p.pid,
                self.owner.command(p),
                p.pid
            );
            return Fix {
                action: Action::Manual {
                    steps: vec![summary.clone()],
                },
                summary,
                applicability: Applicability::Manual,
                needs_root: p.uid != self.me,
            };
        }
        let action = Action::Signal {
            pid: p.pid,
            start_time: p.start_time,
            signal: "SIGCHLD".into(),
        };
        self.guarded(
            p,
            format!("kill -CHLD {}", p.pid),
            Applicability::Safe,
            action,
        )
    }

    fn guarded(
        &self,
        p: &Proc,
        command: String,
        applicability: Applicability,
        action: Action,
    ) -> Fix {
        let user = self.owner.user(p.uid);
        let about = format!("{}, pid {}, user {user}", self.owner.command(p), p.pid);
        let manual = |summary: String, needs_root: bool| Fix {
            action: Action::Manual {
                steps: vec![summary.clone()],
            },
            summary,
            applicability: Applicability::Manual,
            needs_root,
        };
        if p.pid == 1 {
            return manual(
                format!("{command}  # {about}: pid 1, never stopped automatically"),
                true,
            );
        }
        if self.is_protected(p.pid) {
            return manual(
                format!("{command}  # {about}: it runs reload-doctor itself, so do it by hand"),
                false,
            );
        }
        if p.uid != self.me {
            return manual(format!("sudo {command}  # {about}"), true);
        }
        Fix {
            summary: format!("{command}  # {about}"),
            applicability,
            needs_root: false,
            action,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;
    use crate::system::procs::ProcessTable;
    use std::path::Path;

    #[test]
    fn pid_1_own_ancestors_and_other_users_get_only_manual_fixes() {
        let project = Project::detect(Path::new(env!("CARGO_MANIFEST_DIR")), None).unwrap();
        let table = ProcessTable::scan(Path::new("/proc")).unwrap();
        let owner = Owner::new(&project, &table);
        let me = nix::unistd::geteuid().as_raw();
        let fixes = ProcessFixes::new(&owner, me);
        let own = table.get(std::process::id() as i32).unwrap();
        let parent = table.get(own.ppid).unwrap();
        for p in [table.get(1).unwrap(), own, parent] {
            let fix = fixes.stop(p, Applicability::Safe);
            assert_eq!(fix.applicability, Applicability::Manual, "pid {}", p.pid);
            assert!(matches!(fix.action, Action::Manual { .. }));
        }
        let stranger = Proc {
            pid: i32::MAX,
            uid: me + 1,
            ..own.clone()
        };
        let fix = fixes.sigchld(&stranger, true);
        assert_eq!(fix.applicability, Applicability::Manual);
        assert!(fix.needs_root);
        assert!(fix
            .summary
            .starts_with(&format!("sudo kill -CHLD {}", i32::MAX)));
    }
}
