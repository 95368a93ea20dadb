//! One module per subcommand: the wiring from the command line to the work, and the printing.
//! The work itself lives in `report`, `fix` (the executor), `verify` and the runner crate.

pub mod catalog;
pub mod completions;
pub mod doctor;
pub mod fix;
pub mod man;
pub mod run;
mod run_events;
pub mod verify;

use crate::cli::{Cli, Global};
use checks::project::{LocateError, Location};
use checks::text::{visible, visible_os};
use checks::Project;
use reload_doctor_checks as checks;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The folder a command works in (`checks::project::locate` from `--project` or the current
/// folder), and at a monorepo root the line that says which module below it is used.
/// `command` is the subcommand as typed before `--project` in the advice (`"run "`, `""`),
/// `verb` what is done with the module (`examining`, `running`).
pub fn project_dir(
    global: &Global,
    command: &str,
    verb: &str,
) -> Result<(PathBuf, Option<String>), String> {
    let start = match &global.project {
        Some(p) => p.clone(),
        None => {
            std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?
        }
    };
    let below = |root: &Path, d: &Path| {
        let rel = d.strip_prefix(root).unwrap_or(d);
        visible_os(rel.as_os_str()).into_owned()
    };
    match checks::project::locate(&start) {
        Ok(Location::Here(dir)) => Ok((dir, None)),
        Ok(Location::Below {
            root,
            module,
            among,
        }) => {
            let which = if among > 1 {
                format!(", the one of its {among} modules that uses a reloader")
            } else {
                String::new()
            };
            let note = format!(
                "{} is not a Go module; {verb} {} below it{which} (or pass --project)",
                visible_os(root.as_os_str()),
                below(&root, &module)
            );
            Ok((module, Some(note)))
        }
        Err(LocateError::Project(e)) => Err(e.to_string()),
        Err(LocateError::Several {
            root,
            modules,
            reloading,
        }) => Err(format!(
            "{} is not a Go module, and {} modules {} below it: {}; choose one with `reload-doctor {command}--project {}`",
            visible_os(root.as_os_str()),
            modules.len(),
            if reloading { "using a reloader are" } else { "are" },
            modules
                .iter()
                .map(|d| below(&root, d))
                .collect::<Vec<_>>()
                .join(", "),
            below(&root, &modules[0])
        )),
    }
}

/// The project the report and `verify` look at. The folder is located once per process (the
/// report detects the project again after a fix, and `--verify` once more), so its note is
/// printed once.
pub fn project(cli: &Cli, port: Option<u16>) -> Result<Project, String> {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = match DIR.get() {
        Some(d) => d.clone(),
        None => {
            let (command, verb) = match cli.command {
                Some(crate::cli::Command::Verify { .. }) => ("verify ", "verifying"),
                _ => ("", "examining"),
            };
            let (dir, note) = project_dir(&cli.global, command, verb)?;
            if let Some(note) = note {
                crate::wrap::eprint(&format!("reload-doctor: {}", visible(&note)));
            }
            DIR.get_or_init(|| dir).clone()
        }
    };
    Project::detect(&dir, port).map_err(|e| e.to_string())
}
