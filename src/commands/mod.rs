//! One module per subcommand: the wiring from the command line to the work, and the printing.
//! The work itself lives in `report`, `fix` (the executor), `run` and `verify`.

pub mod catalog;
pub mod completions;
pub mod doctor;
pub mod fix;
pub mod verify;

use crate::cli::Cli;
use checks::text::{visible, visible_os};
use checks::Project;
use std::path::Path;

/// The project `--project` or the current folder belongs to.
pub fn project(cli: &Cli, port: Option<u16>) -> Result<Project, String> {
    let start = match &cli.global.project {
        Some(p) => p.clone(),
        None => {
            std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?
        }
    };
    let project = Project::detect(&start, port).map_err(|e| e.to_string())?;
    if project.go_mod.is_some() || project.reloader != checks::Reloader::None {
        return Ok(project);
    }
    // A monorepo root: the module (and its reloader config) lives in a folder below.
    let below = checks::project::modules_below(&project.root);
    let shown = |d: &Path| project.display_path(d);
    match below.as_slice() {
        [] => Ok(project),
        [only] => {
            let note = format!(
                "{} is not a Go module; examining {} below it (or pass --project)",
                visible_os(project.root.as_os_str()),
                shown(only)
            );
            eprintln!("reload-doctor: {}", visible(&note));
            Project::detect(only, port).map_err(|e| e.to_string())
        }
        many => Err(format!(
            "{} is not a Go module, and {} modules are below it: {}; choose one with `reload-doctor --project {}`",
            visible_os(project.root.as_os_str()),
            many.len(),
            many.iter().map(|d| shown(d)).collect::<Vec<_>>().join(", "),
            shown(&many[0])
        )),
    }
}
