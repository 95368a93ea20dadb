//! The air on PATH, as its build info describes it (`go version -m $(command -v air)`: module
//! path and version; the binary is never run), and the Go on PATH it would be built with.
//! What that version gets wrong is `air_install`'s.

use std::process::Command;
use std::time::Duration;

pub(super) use crate::reloaders::air::versions::Version;
use crate::reloaders::air::versions::{self, AirVersion};

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
    let program = which::which(name).ok()?;
    let go = which::which("go").ok()?;
    let mut cmd = Command::new(go);
    cmd.args(["version", "-m"])
        .arg(&program)
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
        path: program.display().to_string(),
        version: parse(&version_text),
        module,
        version_text,
    })
}

pub(super) use crate::reloaders::air::versions::parse;

/// The newest air that builds with this Go (air's `go` lines, from its go.mod history), as
/// the `go install` argument.
pub(super) fn install_target(go: Option<Version>) -> String {
    let newest = match go {
        Some((1, minor, _)) => versions::newest_for_go(minor).unwrap_or((1, 12, 4)),
        _ => versions::CURRENT,
    };
    versions::install_target(newest)
}

pub(super) fn local_go() -> Option<Version> {
    let out = Command::new("go")
        .args(["env", "GOVERSION"])
        .current_dir(std::env::temp_dir())
        .env("GOTOOLCHAIN", "local")
        .output()
        .ok()?;
    crate::golang::version::parse_version(&String::from_utf8_lossy(&out.stdout))
}

/// The air on PATH as a release, when it is air's module with a version.
pub(super) fn on_path(installed: Option<&Installed>) -> Option<AirVersion> {
    let air = installed?;
    let old = air.module == "github.com/cosmtrek/air";
    if air.module != "github.com/air-verse/air" && !old {
        return None;
    }
    let v = air.version?;
    let v = if old {
        v.min(versions::LAST_COSMTREK)
    } else {
        v
    };
    Some(AirVersion::exact(
        v,
        format!("the air on PATH, {} {}", air.module, air.version_text),
    ))
}
