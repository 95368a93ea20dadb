//! Where no config is read and air's default build (`go build -o ./tmp/main .`) cannot make
//! the app in the folder air starts in.

use super::problems::Problem as Id;
use crate::context::Context;
use crate::golang::build_tags::{GOARCH, GOOS};
use crate::model::{Finding, Outcome};
use crate::reloaders::air::keys as air_keys;
use crate::reloaders::air::launch::{ConfigRef, LaunchContext};
use serde_json::json;

/// No config here, and air's default build cannot make the app in this folder: a fail
/// naming the launcher that runs plain air here (every build fails or starts no program), a
/// note when none is known to.
pub(super) fn defaults_fail(
    ctx: &Context,
    contexts: &[LaunchContext],
    broken: DefaultsBuild,
) -> Outcome {
    let root = &ctx.project.root;
    let here = |c: &&LaunchContext| {
        c.config == ConfigRef::Defaults && c.cwd.as_deref() == Some(root.as_path())
    };
    // `air --build.cmd 'go build -o /go/bin/app ./server'`: air applies the flag over its
    // defaults (runner/config.go `preprocess` -> `withArgs`), so the default build is not
    // what that launcher runs.
    let own_cmd = |c: &&LaunchContext| {
        c.overrides
            .iter()
            .find(|(k, _)| k == air_keys::BUILD_CMD.path)
            .map(|(_, v)| v.clone())
    };
    let plain_here = contexts.iter().filter(here).find(|c| own_cmd(c).is_none());
    let given = contexts
        .iter()
        .filter(here)
        .find_map(|c| Some((c, own_cmd(&c)?)));
    let (summary, finding) = match (plain_here, given) {
        (None, Some((l, cmd))) => {
            let mut findings = vec![Finding::info(format!(
                "{} runs air here with no config but gives its build on air's command line (`--{} '{cmd}'`), which air applies over its defaults: the default build `go build -o ./tmp/main .` ({}) is not what it runs",
                l.launcher.describe(),
                air_keys::BUILD_CMD.path,
                broken.says()
            ))
            .with_evidence(json!({"file": l.launcher.file, "line": l.launcher.line, "problem": Id::LaunchRunsDefaults, "defaults_build": broken.id(), "build_cmd": cmd}))];
            findings.retain(|f| ctx.options.problems.keeps(super::CHECK.id, f));
            return Outcome::ran(
                "no .air.toml or .config/air.toml here: air runs with its defaults and the build its launcher gives on the command line",
                findings,
            );
        }
        (Some(l), _) => (
            "no .air.toml or .config/air.toml here: air runs with its defaults",
            Finding::fail(format!(
                "{} runs plain `air` here, with no config: air's default build `go build -o ./tmp/main .` cannot make the app here: {}; air never starts the app; give air a config (`air init`) whose cmd builds the folder that holds `package main`",
                l.launcher.describe(),
                broken.says()
            ))
            .with_evidence(json!({"file": l.launcher.file, "line": l.launcher.line, "problem": Id::LaunchRunsDefaults, "defaults_build": broken.id()})),
        ),
        (None, None) => (
            "no .air.toml, runner.conf or gin setup, and no launcher runs air here",
            Finding::info(format!(
                "plain `air` here would run its defaults, whose build `go build -o ./tmp/main .` cannot make the app: {}; run air where `package main` is, or give it a config whose cmd builds it",
                broken.says()
            )),
        ),
    };
    let mut findings = vec![finding];
    findings.retain(|f| ctx.options.problems.keeps(super::CHECK.id, f));
    super::claims::add(&mut findings);
    Outcome::ran(summary, findings)
}

/// Why air's default build (`go build -o ./tmp/main .`, run in the folder plain air runs in)
/// cannot make the app there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum DefaultsBuild {
    /// No non-test .go file in the folder: go stops with "no Go files in ..." at every build.
    NoGoFiles,
    /// Go files of another package than main: go writes an archive, which air cannot run
    /// ("permission denied").
    NotMain,
    /// Several files go builds here each declare `func main` (2943785277/go-admin: fifteen
    /// single-file programs in one folder): go stops with "main redeclared in this block".
    MainRedeclared(usize),
    /// No go.mod in the folder or above it (cpeddecord/logbook's server/, whose config builds
    /// `main.go` by name): Go 1.16 and later build `.` only inside a module and stop with
    /// "go.mod file not found in current directory or any parent directory".
    NoModule,
}

impl DefaultsBuild {
    /// None when the folder holds a `package main` with `func main` (the build works).
    pub(super) fn fails_in(dir: &std::path::Path) -> Option<DefaultsBuild> {
        if !crate::golang::source::builds_a_go_file_in(dir) {
            return Some(DefaultsBuild::NoGoFiles);
        }
        if !dir.ancestors().any(|d| d.join("go.mod").is_file()) {
            return Some(DefaultsBuild::NoModule);
        }
        let mains = crate::golang::source::main_files(dir);
        if mains.is_empty() {
            return Some(DefaultsBuild::NotMain);
        }
        // Only files go surely builds on every platform count: no build constraint, no
        // _GOOS/_GOARCH name, not one go ignores (`_x.go`, `.x.go`).
        let surely = mains
            .iter()
            .filter(|n| !n.starts_with(['_', '.']) && !platform_suffix(n))
            .filter(|n| {
                std::fs::read_to_string(dir.join(n)).is_ok_and(|t| {
                    !t.lines().any(|l| {
                        let l = l.trim_start();
                        l.starts_with("//go:build") || l.starts_with("// +build")
                    })
                })
            })
            .count();
        (surely > 1).then_some(DefaultsBuild::MainRedeclared(surely))
    }

    pub(super) fn says(self) -> String {
        match self {
            DefaultsBuild::NoGoFiles => {
                "this folder has no Go files, so every build fails (\"no Go files in ...\")".into()
            }
            DefaultsBuild::NotMain => {
                "no file there is `package main` with `func main`, so go writes a package archive that air cannot run (\"permission denied\")".into()
            }
            DefaultsBuild::MainRedeclared(n) => format!(
                "{n} files there each declare `func main` in package main, so every build fails (\"main redeclared in this block\")"
            ),
            DefaultsBuild::NoModule => {
                "there is no go.mod in this folder or above it, so every build fails (Go 1.16+: \"go.mod file not found in current directory or any parent directory\")".into()
            }
        }
    }

    pub(super) fn id(self) -> &'static str {
        match self {
            DefaultsBuild::NoGoFiles => "no-go-files",
            DefaultsBuild::NotMain => "not-main",
            DefaultsBuild::MainRedeclared(_) => "main-redeclared",
            DefaultsBuild::NoModule => "no-module",
        }
    }
}

/// `x_linux.go`, `x_amd64.go`, `x_windows_arm64.go`: go builds it on one platform only.
fn platform_suffix(name: &str) -> bool {
    let stem = name.trim_end_matches(".go");
    let parts: Vec<&str> = stem.split('_').collect();
    parts.len() > 1
        && parts
            .iter()
            .skip(1)
            .rev()
            .take(2)
            .any(|p| GOOS.contains(p) || GOARCH.contains(p))
}
