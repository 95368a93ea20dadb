//! The known bugs of the installed air (see `air_on_path`) that this project would hit. Each
//! fixed-in version is from air's history: `poll` appeared in v1.43.0 (`runner/config.go`);
//! overlapping builds were stopped in v1.46.0 (#457); the old app's shutdown is awaited before
//! the next start since v1.61.6 (#670, the port-in-use reports); paths with spaces are quoted
//! since v1.62.0 (`formatPath`).

use super::air_on_path::{install_target, local_go, Installed, Version};
use super::config_file::AirFile;
use super::problems::Problem;
use crate::model::{Finding, Fix};
use serde_json::json;

pub(super) fn findings(f: &AirFile, air: &Installed, out: &mut Vec<Finding>) {
    let old_module = air.module == "github.com/cosmtrek/air";
    if air.module != "github.com/air-verse/air" && !old_module {
        return; // another program named air
    }
    let named = format!("air {} ({})", air.version_text, air.path);
    let before = |v: Version| air.version.is_some_and(|have| have < v);
    let c = &f.ctx.project.air;
    // (fails, problem, message); only the poll one points at a line of the file.
    let mut bugs: Vec<(bool, Problem, String)> = vec![];
    if c.build.poll && before((1, 43, 0)) {
        bugs.push((true, Problem::AirIgnoresPoll, format!(
            "{}: poll = true, but {named} has no poll setting (added in v1.43.0): it waits for inotify events, which this mount may never deliver",
            f.at("build.poll")
        )));
    }
    if before((1, 46, 0)) {
        bugs.push((false, Problem::AirOverlappingBuilds, format!(
            "{named} can run two builds at once when saves come quickly and then start the app twice (fixed in v1.46.0)"
        )));
    }
    if before((1, 61, 6)) && f.ctx.project.port > 0 {
        bugs.push((false, Problem::AirPortNotFreed, format!(
            "{named} starts the new app without waiting for the old one to exit, so :{} can still be taken (\"address already in use\"; fixed in v1.61.6)",
            f.ctx.project.port
        )));
    }
    let root = f.ctx.project.root.display().to_string();
    if before((1, 62, 0)) && root.contains(' ') {
        bugs.push((true, Problem::AirSpacesInPath, format!(
            "the project path \"{root}\" holds a space, which {named} does not quote: it cannot start the binary (fixed in v1.62.0)"
        )));
    }
    if old_module && bugs.is_empty() {
        bugs.push((false, Problem::AirOldModule, format!(
            "{named} is from github.com/cosmtrek/air, the module path air left at v1.52: it gets no fixes"
        )));
    }
    if bugs.is_empty() {
        return;
    }
    let target = install_target(local_go());
    let step = format!("go install {target}");
    for (fails, problem, message) in bugs {
        let finding = if fails {
            Finding::fail(format!("{message}; update: {step}"))
        } else {
            Finding::warn(format!("{message}; update: {step}"))
        };
        let facts = json!({"problem": problem, "air": air.path, "module": air.module, "version": air.version_text, "install": target});
        let evidence = if problem == Problem::AirIgnoresPoll {
            f.evidence("build.poll", facts)
        } else {
            facts
        };
        out.push(
            finding
                .with_evidence(evidence)
                .with_fix(Fix::manual(vec![step.clone()])),
        );
    }
}

/// The repository's installs of air's old module path that go refuses (see
/// [`versions::renamed`](crate::reloaders::air::versions::renamed)): each a warning at its
/// line, with the install that works there. `go install github.com/cosmtrek/air@latest`
/// stops with go's error whatever the Go (checked with go1.26.8 on the proxy's v1.52.3);
/// pinned to v1.52.1 or older it still installs.
pub(super) fn renamed(
    ctx: &crate::context::Context,
    installs: &[crate::reloaders::air::launch::RenamedInstall],
) -> Vec<Finding> {
    use crate::reloaders::air::dev_tools::SNAPSHOT_DATE;
    use crate::reloaders::air::versions::{
        gopath_fix, gopath_reason, install_target, newest_for_go, pin_go, renamed_error,
        renamed_fix, show,
    };
    let module = ctx.project.go_mod.as_ref().and_then(|m| m.go.as_deref());
    let repo = &ctx.project.launches.repo;
    let mut out: Vec<Finding> = installs
        .iter()
        .filter(|i| for_this_project(repo, &ctx.project.root, i))
        .map(|i| {
            let what = i.what.as_ref().map(|w| format!(" ({w})")).unwrap_or_default();
            let then = match (&i.then, &i.image_of) {
                (Some(then), _) => then.clone(),
                (None, Some(by)) => format!(": the image build stops there, so {by} never starts air"),
                (None, None) if i.command.contains(" run ") => ": air never starts".into(),
                (None, None) => ": it installs no air".into(),
            };
            let (message, fix, go_error) = match (&i.dead, i.old_go) {
                // A dev tool's newest release needs a newer Go than the image's (the snapshot
                // in `dev_tools`: its go line only goes up, so it surely does).
                _ if i.tool.is_some() => {
                    let t = i.tool.unwrap();
                    let go = i.go.unwrap_or(0);
                    let fix = format!("go install {}@VERSION", t.package);
                    // `go get` without a version takes the newest release too (module mode).
                    let get = crate::reloaders::air::dev_tools::is_get(&i.command);
                    let why = match (go >= 21, get) {
                        (true, false) => format!("go stops (\"go: {}@latest: {}@{} requires go >= {} (running go 1.{go}.x; GOTOOLCHAIN=local)\", or a newer release: the golang images set GOTOOLCHAIN=local)", t.package, t.module, t.version, t.go_line),
                        (true, true) => format!("go stops: in a module at that go line (\"go: {}@{} requires go >= {} (running go 1.{go}.x; GOTOOLCHAIN=local)\": the golang images set GOTOOLCHAIN=local), outside one at go get itself (\"'go get' is no longer supported outside a module\")", t.module, t.version, t.go_line),
                        // Go 1.20 and older read only `1.N` go lines: `go install m@v` reads
                        // m's go.mod strictly and stops at a three-part one.
                        (false, false) if t.go_line.matches('.').count() > 1 => format!("Go 1.{go} (before 1.21) reads only two-part go lines and stops at its go.mod (\"invalid go version '{}': must match format 1.23\")", t.go_line),
                        (false, true) => format!("Go 1.{go} (before 1.21) either rejects its go line or compiles code written for Go {} and fails", t.go_line),
                        (false, false) => format!("Go 1.{go} (before 1.21) has no minimum to check but compiles code written for a newer Go and fails"),
                    };
                    let newest = match get {
                        true => " (go get without a version takes the newest release)",
                        false => "",
                    };
                    let then = match (&i.then, &i.image_of) {
                        (Some(then), _) => then.clone(),
                        (None, Some(by)) => format!(": the image build stops there, so {by} never starts air"),
                        (None, None) => ": the image build stops there, before air runs".into(),
                    };
                    let message = format!(
                        "{}:{}: `{}` fails on Go 1.{go}{newest}: the newest {} needs Go >= {} ({} {} on {}, and @latest only moves to newer releases), so {why}{then}; pin a release of {} whose go.mod's go line is at most 1.{go} (`{fix}`) or use golang:1.{} or newer",
                        i.file, i.line, i.command, t.name, t.go_line, t.module, t.version, SNAPSHOT_DATE, t.module, t.go_minor()
                    );
                    (message, fix, None)
                }
                // A download of the binary air kept in its repository's bin/ folder before
                // v1.12.2: that folder is gone (air-verse/air#97, #266), the link answers 404.
                (Some((link, fails)), _) => {
                    // `go install pkg@version` needs Go 1.16; air's install.sh fetches a
                    // release binary whatever the Go.
                    let fix = match i.go {
                        Some(g) if g < 16 => "curl -sSfL https://raw.githubusercontent.com/air-verse/air/master/install.sh | sh -s -- -b /usr/local/bin".to_string(),
                        _ => renamed_fix(i.go),
                    };
                    let then = match (fails, &i.then, &i.image_of) {
                        (_, Some(then), _) => then.clone(),
                        (true, None, Some(by)) => format!(": the download fails and the image build stops there, so {by} never starts air"),
                        (true, _, None) => ": the download fails and installs no air".into(),
                        (false, _, Some(by)) => format!(": curl saves the 404 page as `air` (no --fail), which does not run, so {by} never starts air"),
                        (false, _, None) => ": curl saves the 404 page as `air` (no --fail), which does not run".into(),
                    };
                    let message = format!(
                        "{}:{}: `{}`{what} fails: {link} was the download of the binary air kept in its repository's bin/ folder before v1.12.2; air removed that folder in 2020 and ships release binaries instead (air-verse/air#97, #266), so the link answers 404{then}; install a release: `{fix}`, or a release binary from github.com/air-verse/air/releases",
                        i.file, i.line, i.command
                    );
                    (message, fix, None)
                }
                (None, old_go) => match old_go {
                // `GO111MODULE=off go get`: the default branch, on a Go that cannot build it.
                Some((go, _, _)) if gopath_reason(&i.command, go).is_some() => {
                    let reason = gopath_reason(&i.command, go).unwrap_or_default();
                    let fix = gopath_fix(go);
                    let message = format!(
                        "{}:{}: `{}`{what} fails: {reason}{then}; install a release instead: `{fix}`",
                        i.file, i.line, i.command
                    );
                    (message, fix, None)
                }
                // A Go too old for the air asked for (GOTOOLCHAIN=local: go fetches no newer one).
                Some((go, wants, needs_go)) => {
                    // The image cannot build the module either: the pin is for the Go it needs.
                    let base = pin_go(go, module);
                    let fix = match newest_for_go(base) {
                        Some(v) => format!("go install {}", install_target(v)),
                        None => format!("a Go 1.{needs_go} image"),
                    };
                    let on = match base == go {
                        true => String::new(),
                        false => format!(" on a Go 1.{base} image (the module's go line: Go 1.{go} cannot build it either)"),
                    };
                    let message = format!(
                        "{}:{}: `{}`{what} fails: air {} needs Go >= 1.{needs_go} (its go.mod's go line) and the Go here is 1.{go}, which {}{then}; install `{fix}` (the newest air Go 1.{base} builds){on} or use Go 1.{} or newer",
                        i.file, i.line, i.command, show(wants),
                        match go >= 21 {
                            true => "does not fetch a newer Go (the golang images set GOTOOLCHAIN=local)".to_string(),
                            false => format!("predates GOTOOLCHAIN and three-part go lines (go stops with \"invalid go version '1.{needs_go}.0': must match format 1.23\")"),
                        },
                        needs_go.max(base)
                    );
                    (message, fix, None)
                }
                None => {
                    let base = i.go.map(|g| pin_go(g, module));
                    let fix = renamed_fix(base);
                    let fits = match (i.go, base) {
                        (Some(g), Some(b)) if b != g && !fix.ends_with("@latest") => format!(" (the newest air Go 1.{b} builds, on a Go 1.{b} image: the module's go line, which Go 1.{g} cannot build either)"),
                        (Some(g), Some(b)) if b != g => format!(" (on a Go 1.{b} image or newer: the module's go line, which Go 1.{g} cannot build either)"),
                        (Some(g), _) if !fix.ends_with("@latest") => format!(" (the newest air Go 1.{g} builds)"),
                        _ => String::new(),
                    };
                    let (error, when) = renamed_error(&i.command);
                    let message = format!(
                        "{}:{}: `{}`{what} fails {when}: air moved to github.com/air-verse/air, and its releases from v1.52.2 on declare that module path, so go stops (\"{error}\"){then}; install it with `{fix}`{fits}",
                        i.file, i.line, i.command
                    );
                    (message, fix, Some(error))
                }
            },
            };
            // A Dockerfile nothing here builds may be unused: what stops its build is a note.
            let found = match i.unbuilt {
                true => Finding::info(message),
                false => Finding::warn(message),
            };
            found
                .with_evidence(json!({"problem": Problem::AirInstallFails, "file": i.file, "line": i.line, "command": i.command, "go_error": go_error, "install": fix, "launcher": i.image_of, "go": i.go, "needs_go": i.old_go.map(|o| o.2), "dead_link": i.dead.as_ref().map(|d| &d.0), "tool": i.tool.map(|t| t.module)}))
                .with_fix(Fix::manual(vec![format!("in {}:{}, replace `{}` with `{fix}`", i.file, i.line, i.command)]))
        })
        .collect();
    out.retain(|f| ctx.options.problems.keeps(super::CHECK.id, f));
    super::claims::add(&mut out);
    out
}

/// Whether an install can be the air of the project at `project`. One tied to the air a
/// line starts (a compose service's command, the image its launcher runs) is the install of
/// the projects that air runs in or above (`air -c svc/.air.toml` from the root). Otherwise by where it is written: the project's folder, a
/// folder above it (the repository's README, Makefile, compose file) or a folder of no
/// other Go module (a shared `docker/`) can be; a file inside a sibling module
/// (`web/Dockerfile` of a go.work monorepo, for `calc/`) is that module's.
fn for_this_project(
    repo: &std::path::Path,
    project: &std::path::Path,
    install: &crate::reloaders::air::launch::RenamedInstall,
) -> bool {
    use std::path::Path;
    // The Go module a folder belongs to: the nearest go.mod at or above it in the repository.
    let module = |dir: &Path| -> Option<std::path::PathBuf> {
        dir.ancestors()
            .take_while(|d| d.starts_with(repo))
            .find(|d| d.join("go.mod").is_file())
            .map(Path::to_path_buf)
    };
    let ours = |dir: &Path| {
        project.starts_with(dir)
            || dir.starts_with(project)
            || module(dir).is_none_or(|m| project.starts_with(m))
    };
    if !install.air_in.is_empty() {
        return install
            .air_in
            .iter()
            .any(|dir| dir.starts_with(project) || project.starts_with(dir));
    }
    repo.join(&install.file).parent().is_none_or(ours)
}

#[cfg(test)]
mod tests {
    use super::super::air_on_path::parse;
    use super::*;

    #[test]
    fn versions_and_targets() {
        assert_eq!(parse("v1.61.7"), Some((1, 61, 7)));
        assert_eq!(parse("v1.52.4-0.20240101000000-abcdef"), Some((1, 52, 4)));
        assert_eq!(parse("(devel)"), None);
        assert_eq!(
            install_target(Some((1, 26, 8))),
            "github.com/air-verse/air@latest"
        );
        assert_eq!(
            install_target(Some((1, 24, 3))),
            "github.com/air-verse/air@v1.62.0"
        );
        assert_eq!(
            install_target(Some((1, 21, 0))),
            "github.com/cosmtrek/air@v1.49.0"
        );
    }
}
