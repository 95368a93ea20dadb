//! Everything a check may read: the project, the system handle, options, and lazily
//! computed facts that several checks share (the watch tree, the process table).

use crate::model::{Finding, Outcome};
use crate::project::Project;
use crate::reloaders::watch_tree::{self as tree, WatchTree};
use crate::system::inotify;
use crate::system::procs::ProcessTable;
use crate::system::System;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Switches that change what checks do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub no_compile: bool,
    /// `--container NAME`: the container to look at, served project or not.
    pub container: Option<String>,
    /// `--container-build`: time a build inside the container, cold and warm (it runs there).
    pub container_build: bool,
    /// Findings chosen by problem id (`--only`/`--skip CHECK:PROBLEM`).
    pub problems: ProblemFilter,
}

/// Which findings a check keeps, by the problem id in their evidence (`evidence.problem`);
/// each entry is a check id and one of its problem ids.
#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    /// A check named here keeps only the findings of the problems named with it.
    pub only: Vec<(&'static str, &'static str)>,
    /// Findings of these problems are left out.
    pub skip: Vec<(&'static str, &'static str)>,
}

impl ProblemFilter {
    /// Whether `check` keeps `finding`.
    pub fn keeps(&self, check: &str, finding: &Finding) -> bool {
        let problem = finding.evidence["problem"].as_str();
        let named =
            |list: &[(&str, &str)]| list.iter().any(|&(c, p)| c == check && Some(p) == problem);
        let narrowed = self.only.iter().any(|&(c, _)| c == check);
        (!narrowed || named(&self.only)) && !named(&self.skip)
    }
}

pub struct Context {
    pub project: Project,
    pub system: System,
    pub options: Options,
    tree: OnceLock<WatchTree>,
    processes: OnceLock<Result<ProcessTable, String>>,
    inotify: OnceLock<Result<inotify::Usage, String>>,
}

impl Context {
    pub fn new(project: Project, system: System, options: Options) -> Context {
        Context {
            project,
            system,
            options,
            tree: OnceLock::new(),
            processes: OnceLock::new(),
            inotify: OnceLock::new(),
        }
    }

    /// The directories the project's reloader watches, walked once and shared.
    pub fn watch_tree(&self) -> &WatchTree {
        self.tree.get_or_init(|| {
            let root = self.project.watch_root();
            tree::walk(&root, &tree::Rules::air_in(&self.project.air, &root))
        })
    }

    /// A snapshot of the process table, taken once and shared; the error says why there is
    /// none (not Linux, `/proc` unreadable), ready to be a check's skip reason.
    pub fn processes(&self) -> Result<&ProcessTable, String> {
        self.processes
            .get_or_init(|| match self.system.proc_unusable() {
                Some(why) => Err(why),
                None => ProcessTable::scan(&self.system.proc_root),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Inotify instances and watches held by this user's processes, read once and shared.
    pub fn inotify_usage(&self) -> Result<&inotify::Usage, String> {
        self.inotify
            .get_or_init(|| Ok(inotify::usage(self.processes()?, self.system.uid)))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The go to build with, or why the project is not built: `--no-compile`, no go on PATH,
    /// no go.mod.
    pub fn go_to_build_with(&self) -> Result<PathBuf, Outcome> {
        if self.options.no_compile {
            return Err(Outcome::skipped(
                "--no-compile was given: the project is not built",
            ));
        }
        let Ok(go) = which::which("go") else {
            return Err(Outcome::skipped("go is not on PATH (see toolchain)"));
        };
        if self.project.go_mod.is_none() {
            return Err(Outcome::skipped(
                "no go.mod: not a Go module (see toolchain)",
            ));
        }
        Ok(go)
    }
}
