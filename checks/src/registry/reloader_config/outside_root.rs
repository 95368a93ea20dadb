//! Packages main imports from outside air's root: from another local module (a go.work
//! neighbour, a `replace` with a folder), or from its own module when root is a folder inside
//! it (air run in `cmd/api`, building `.`, which imports `internal/`). air watches only below
//! root, so edits there never rebuild.

use super::air_view::watch_root;
use super::config_file::{manual, AirFile};
use super::problems::Problem;
use crate::filepath::clean;
use crate::golang::build_plan::BuildPlan;
use crate::golang::deps as go_deps;
use crate::model::Finding;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const GO_LIST_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) fn findings(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    let project = &f.ctx.project.root;
    let root = clean(&watch_root(f));
    // The module whose folder holds root, when root is below that folder.
    let module = root
        .ancestors()
        .find(|d| d.join("go.mod").is_file())
        .filter(|m| *m != root)
        .map(Path::to_path_buf);
    if f.ctx.project.go_mod.is_none() || (module.is_none() && !uses_local_modules(project)) {
        return;
    }
    if build
        .approximation
        .as_deref()
        .is_some_and(|a| a.contains("not a `go build`"))
    {
        return; // the main package is not known
    }
    let Ok(go) = which::which("go") else { return };
    let Ok(dirs) = go_deps::local_dirs(&go, build, project, GO_LIST_TIMEOUT) else {
        return;
    };
    // air walks each include_dir, also one outside root (`include_dir = ["../../internal"]`).
    let included: Vec<_> = f
        .ctx
        .project
        .air
        .build
        .include_dir
        .iter()
        .map(|i| clean(&root.join(i)))
        .filter(|i| !i.starts_with(&root))
        .collect();
    let outside_dirs: Vec<_> = dirs
        .iter()
        .map(|d| clean(d))
        .filter(|d| !d.starts_with(&root) && !included.iter().any(|i| d.starts_with(i)))
        .collect();
    let own = |d: &Path| module.as_deref().is_some_and(|m| d.starts_with(m));
    let same_module = outside_dirs.iter().any(|d| own(d));
    // From root, as air's paths are (and the claim's: `save-does-not-rebuild ../pkg/db/`).
    let mut outside: Vec<String> = outside_dirs
        .iter()
        .map(|d| crate::filepath::rel(&root, d))
        .collect();
    outside.sort();
    outside.dedup();
    let Some(first) = outside.first() else { return };
    let more = match outside.len() {
        1 => String::new(),
        n if n <= 3 => format!(", {}", outside[1..].join(", ")),
        n => format!(", {} and {} more", outside[1..3].join(", "), n - 3),
    };
    let (whose, todo) = match module.as_deref().filter(|_| same_module) {
        // Air stays where it is (build.cmd and bin keep their folder); root widens to the module.
        Some(m) => (
            "from its own module".to_string(),
            format!(
                "set root = \"{}\" (the module's folder; build.cmd still runs here), or restart air after editing them",
                crate::filepath::rel(project, m)
            ),
        ),
        None => (
            "from another module of this workspace (go.work or a replace with a folder)".to_string(),
            format!(
                "restart air after editing them, or run air from a folder above both (root = \".\", include_dir listing this module's folder and {first}, build.cmd going into this module with `cd`)"
            ),
        ),
    };
    // Generated code only (buf's or protoc's *.pb.go), which nobody saves by hand: the same
    // note as for such folders left out by exclude_dir (imports::generated_only).
    if outside_dirs
        .iter()
        .all(|d| super::imports::only_generated_code(f, d))
    {
        let what = format!("the main package imports {first}{more}, {whose}, outside air's root");
        out.push(
            Finding::info(format!(
                "{}: {}",
                f.at("root"),
                super::imports::generated_only(&what)
            ))
            .with_evidence(f.evidence(
                "root",
                json!({"problem": Problem::ImportsOutsideRoot, "dirs": outside, "generated": true}),
            )),
        );
        return;
    }
    out.push(
        Finding::warn(format!(
            "{}: the main package imports {first}{more}, {whose}, outside air's root: saving files there never rebuilds; {todo}",
            f.at("root")
        ))
        .with_evidence(f.evidence("root", json!({"problem": Problem::ImportsOutsideRoot, "dirs": outside})))
        .with_fix(manual(todo)),
    );
}

/// A go.work above the project (not turned off with GOWORK=off), or a go.mod replace that
/// points at a folder: only then can main import code outside the module's own tree.
fn uses_local_modules(project: &Path) -> bool {
    let gowork = std::env::var("GOWORK").unwrap_or_default();
    if gowork != "off"
        && (!gowork.is_empty() || project.ancestors().any(|d| d.join("go.work").is_file()))
    {
        return true;
    }
    let Some(go_mod) = project
        .ancestors()
        .map(|d| d.join("go.mod"))
        .find(|p| p.is_file())
    else {
        return false;
    };
    crate::system::files::read_to_string(go_mod)
        .is_ok_and(|t| !crate::golang::modfile::local_replacements(&t).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_go_up_then_down() {
        assert_eq!(
            crate::filepath::rel(Path::new("/w/services/user"), Path::new("/w/pkg/common/db")),
            "../../pkg/common/db"
        );
        assert_eq!(
            crate::filepath::rel(Path::new("/w"), Path::new("/w/x")),
            "x"
        );
    }
}
