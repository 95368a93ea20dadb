//! `reloader-config`: the reloader's own configuration, read the way the reloader reads it.
//!
//! air: `.air.toml` syntax (file:line:col), every key against air v1.67's key set (unknown and
//! misplaced keys, wrong types, zero values air replaces), then the settings that break
//! reloads (see `air_semantics`). fresh: `runner.conf` keys and values. gin: the app must
//! listen on `$PORT`.

use super::check::Check;
use crate::context::Context;
use crate::model::Outcome;
use crate::project::Reloader;
use config_file::AirFile;
use std::path::PathBuf;

mod air_file;
mod air_install;
mod air_on_path;
mod air_semantics;
mod air_view;
mod binary;
mod claims;
mod clean_on_exit;
mod commands;
mod config_file;
mod defaults_build;
mod entries;
mod exclusions;
mod fresh;
mod generated;
mod gin;
mod imports;
mod key_findings;
mod launches;
mod local_replace;
mod machine;
mod nested_exclude;
mod outside_root;
mod powershell;
pub mod problems;
mod source_mount;
mod task_runners;
mod tool_sources;
mod tools;
mod unread_config;
mod versioned;
mod windows_config;
mod windows_launch;

pub static CHECK: Check = Check {
    id: "reloader-config",
    purpose: "the reloader's config (.air.toml, runner.conf, gin's PORT) read the way the reloader reads it",
    explain: "\
Looks at: the config files air reads (.air.toml, .config/air.toml, the FILE of `air -c FILE` in
a Makefile, script, Dockerfile or compose file, each judged where it runs; with no launcher, the
.air.dev.toml-like files or a build/air.toml whose build only runs from the module root, as if
passed with -c, which is said to be assumed), every key against air v1.67's key set, the build
commands (and what `make TARGET` or `npm run X` there runs, read as text, never run),
the air on PATH (`go version -m`, never run), and the air release each launcher runs (an
image tag such as cosmtrek/air:v1.40.4, a pinned `go install ...air@v1.49.0`, or the newest
air the image's Go builds): a key that release predates is reported, a finding only other
releases have is not, and where the release is unknown no such finding is a fail. An install
of github.com/cosmtrek/air at @latest (or v1.52.2 and later) in those launch files fails on
any Go since air moved to github.com/air-verse/air: it is named at its line.
A compose file is read as compose interpolates it (`${VAR:-default}`, from the .env beside it,
never the doctor's own environment); a build target with no value there is each stage that
runs air, and what is found then is at most a warning. A compose service whose air watches
only its image's COPY of the project (no bind mount, no watch sync there) never sees a save.
fresh: runner.conf keys and values (valid_ext, no_rebuild_ext, a last line without newline).
gin (gin-bin in .gitignore, a script or a running gin): the app must listen on $PORT, which gin
sets to its --appPort; .env names gin ignores (GIN_APP_PORT is BIN_APP_PORT).

Severity: fail when air visibly misbehaves (refuses the config, never builds, never restarts,
runs a binary the build does not write, rebuilds in a loop); warn when air silently ignores
or changes a setting; info for choices made on purpose.

Why it breaks hot reload: air never warns about a misspelt key, so `exlude_dir` quietly
watches everything; a bin that is not what cmd builds restarts an old binary forever; a
generated file in a watched folder makes every build trigger the next.

Fix by hand: edit the line the finding names. --fix applies the safe rewrites (misspelt or
misplaced keys when the target is certain, zero values commented out, dotted extensions,
./ entries, bin arguments to args_bin, go run to go build, missing -o, excludes for build
output and generated files, kill_delay = \"2s\" when send_interrupt has none, a kill_delay in nanoseconds as the same
duration) in one rewrite, comments kept, the old file kept as
.air.toml.reload-doctor.bak; a second --fix finds nothing to do.",
    problems: problems::PROBLEMS,
    run,
};

fn run(ctx: &Context) -> Outcome {
    match ctx.project.reloader {
        Reloader::Air => air_file::check(ctx),
        Reloader::Fresh => fresh::check(ctx),
        Reloader::Gin => gin::check(ctx, crate::reloaders::gin::marker(&ctx.project.root)),
        Reloader::None => match gin::running_here(ctx) {
            Some(why) => gin::check(ctx, Some(why)),
            // No config and no launcher here: air's defaults are what plain `air` would run,
            // which nobody is known to do; said as a note when their build cannot make the app.
            // A launch file that installs air where go refuses it is still worth a word.
            None => {
                let contexts = &ctx.project.launches.contexts;
                let renamed = air_install::renamed(ctx, &ctx.project.launches.installs);
                let missing = air_file::missing_here(ctx, contexts);
                if !missing.is_empty() {
                    let mut findings = missing;
                    findings.extend(renamed);
                    return Outcome::ran(
                        "no .air.toml here, and a launcher runs air here with a config that is not there",
                        findings,
                    );
                }
                match defaults_build::DefaultsBuild::fails_in(&ctx.project.root) {
                    None => Outcome::ran(
                        "no .air.toml, runner.conf or gin setup: air would run with its defaults, which work",
                        renamed,
                    ),
                    Some(broken) => match defaults_build::defaults_fail(ctx, contexts, broken) {
                        Outcome::Ran {
                            summary,
                            mut findings,
                            evidence,
                        } => {
                            findings.extend(renamed);
                            Outcome::Ran {
                                summary,
                                findings,
                                evidence,
                            }
                        }
                        other => other,
                    },
                }
            }
        },
    }
}

/// For build-speed: the Go files the air build's generators rewrite on every build, with the
/// command that writes each; empty without a readable air config.
pub(crate) fn build_rewrites(ctx: &Context) -> Vec<(String, PathBuf)> {
    let Some(path) = ctx.project.config_path.clone() else {
        return vec![];
    };
    if ctx.project.reloader != Reloader::Air {
        return vec![];
    }
    let Some(written) = &ctx.project.air_written else {
        return vec![];
    };
    let name = ctx.project.display_path(&path);
    let file = AirFile::new(ctx, path, name, written, None);
    generated::rewritten_go_files(&file)
}
