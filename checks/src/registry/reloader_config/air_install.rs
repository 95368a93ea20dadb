//! Which air is installed (`go version -m $(command -v air)`: module path and version, read
//! from the binary's build info; the binary is never run), and the known bugs of that
//! version that this project would hit. Each fixed-in version is from air's history:
//! `poll` appeared in v1.43.0 (`runner/config.go`); overlapping builds were stopped in
//! v1.46.0 (#457); the old app's shutdown is awaited before the next start since v1.61.6
//! (#670, the port-in-use reports); paths with spaces are quoted since v1.62.0
//! (`formatPath`).

use super::problems::Problem;
use super::AirFile;
use crate::model::{Finding, Fix};
use serde_json::json;
use std::process::Command;
use std::time::Duration;

pub(super) type Version = (u32, u32, u32);

/// The air binary on PATH, as its build info describes it.
#[derive(Clone)]
pub(super) struct Installed {
    pub path: String,
    pub module: String,
    /// None for a `(devel)` build.
    pub version: Option<Version>,
    pub version_text: String,
}

/// air on PATH, when it is a Go binary with build info.
pub(super) fn installed() -> Option<Installed> {
    installed_tool("air")
}

/// The Go program `name` (on PATH, or a path), as its build info describes it; the binary is
/// never run.
pub(super) fn installed_tool(name: &str) -> Option<Installed> {
    let air = which::which(name).ok()?;
    let go = which::which("go").ok()?;
    let mut cmd = Command::new(go);
    cmd.args(["version", "-m"])
        .arg(&air)
        .current_dir(std::env::temp_dir())
        .env("GOTOOLCHAIN", "local");
    let (ok, out, _) = crate::system::spawn::output(cmd, Duration::from_secs(5)).ok()?;
    if !ok {
        return None;
    }
    let (module, version_text) = String::from_utf8_lossy(&out).lines().find_map(|l| {
        let mut f = l.split_whitespace();
        (f.next() == Some("mod")).then(|| {
            (
                f.next().unwrap_or("").to_string(),
                f.next().unwrap_or("").to_string(),
            )
        })
    })?;
    Some(Installed {
        path: air.display().to_string(),
        version: parse(&version_text),
        module,
        version_text,
    })
}

/// `v1.61.7` -> (1, 61, 7); None for `(devel)` and pseudo-versions' oddities.
pub(super) fn parse(v: &str) -> Option<Version> {
    let v = v.strip_prefix('v')?;
    let mut parts = v.split(['.', '-', '+']);
    let mut next = || parts.next()?.parse::<u32>().ok();
    Some((next()?, next()?, next()?))
}

/// The newest air that builds with this Go (air's `go` lines, from its go.mod history), as
/// the `go install` argument.
fn install_target(go: Option<Version>) -> String {
    let Some((1, minor, _)) = go else {
        return "github.com/air-verse/air@latest".into();
    };
    let v = match minor {
        26.. => "latest",
        25 => "v1.67.1",
        24 => "v1.62.0",
        23 => "v1.61.7",
        22 => "v1.52.3",
        _ => return "github.com/cosmtrek/air@v1.49.0".into(),
    };
    format!("github.com/air-verse/air@{v}")
}

fn local_go() -> Option<Version> {
    let out = Command::new("go")
        .args(["env", "GOVERSION"])
        .current_dir(std::env::temp_dir())
        .env("GOTOOLCHAIN", "local")
        .output()
        .ok()?;
    let v = String::from_utf8_lossy(&out.stdout)
        .trim()
        .trim_start_matches("go")
        .to_string();
    let mut p = v.split('.').map(|x| {
        x.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse::<u32>()
            .ok()
    });
    Some((p.next()??, p.next()??, p.next().flatten().unwrap_or(0)))
}

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

#[cfg(test)]
mod tests {
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
