//! `signals`: does the app shut down gracefully on the signal its reloader sends?

use super::check::Check;
use super::fixes::air_config;
use crate::context::Context;
use crate::golang::build_plan::BuildPlan;
use crate::golang::lexer as go_lexer;
use crate::golang::signals::SignalUse;
use crate::model::{Finding, Fix, Outcome};
use crate::project::Reloader;
use serde_json::json;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

pub static CHECK: Check = Check {
    id: "signals",
    purpose: "the main package handles SIGINT/SIGTERM and the reloader sends one before killing",
    explain: "\
Looks at: the main package's .go files (the folder build.cmd builds) for signal.Notify /
signal.NotifyContext, the signals they name (os.Interrupt = SIGINT, syscall.SIGTERM), a
Shutdown call and the line that starts the server on the app port (not a pprof or metrics
server on another port beside it); comments and strings are skipped. A call to a library
that installs the handler itself counts as handling both signals and shutting down
gracefully: endless.ListenAndServe, facebookgo/grace's gracehttp.Serve, tylerb/graceful
(cloudflare/tableflip installs none: the app's own signal.Notify decides). When main has
none, the project's other packages that import os/signal are read too, then the packages
main imports, one package deep, wherever they are (another module through go.mod's
replace, vendor/, the module cache). Crossed
with how the reloader stops the app: air sends SIGKILL unless [build] send_interrupt = true
(then SIGINT, and SIGKILL after kill_delay); fresh always sends SIGKILL; gin sends SIGINT and
SIGKILL 3 s later.

Why it breaks hot reload: under SIGKILL the shutdown code never runs: in-flight requests are
cut, deferred cleanup is skipped, and a slow death can leave the port busy for the next build
(\"address already in use\"). An app that only listens for SIGTERM exits at once on air's
SIGINT without shutting down.

Fix: --fix sets send_interrupt = true and kill_delay = \"2s\" in .air.toml's [build] when the
app handles SIGINT (one rewrite with reloader-config's fixes, comments kept). By hand, in main:
use http.Server with signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM) and call
srv.Shutdown when the context is done.",
    problems: &[],
    run,
};

/// How the reloader stops the old app.
#[derive(Clone, Copy)]
enum Stop {
    /// SIGKILL at once: air with send_interrupt off, fresh always.
    Kill(&'static str),
    /// SIGINT, then SIGKILL after `wait_ms` if the app is still alive.
    Interrupt { who: &'static str, wait_ms: u64 },
    /// No reloader config: air's defaults (SIGKILL) if the user runs air.
    AirDefaults,
}

fn stop_behaviour(ctx: &Context) -> Stop {
    let build = &ctx.project.air.build;
    match ctx.project.reloader {
        Reloader::Air if build.send_interrupt => Stop::Interrupt {
            who: "air",
            wait_ms: build.kill_delay_ms,
        },
        Reloader::Air => Stop::Kill("air"),
        Reloader::Fresh => Stop::Kill("fresh"),
        Reloader::Gin => Stop::Interrupt {
            who: "gin",
            wait_ms: 3000,
        },
        Reloader::None => Stop::AirDefaults,
    }
}

const AIR_KEYS: &str = "in .air.toml [build]: send_interrupt = true and kill_delay = \"2s\"";

/// air's `stopBin` waits at most this long for the old app before starting the new one.
const AIR_STOP_WAIT_MS: u64 = 5000;

fn run(ctx: &Context) -> Outcome {
    let (files, uses, mut findings) = match gather(ctx) {
        Ok(g) => g,
        Err(skipped) => return skipped,
    };
    let caught = uses.caught();
    let evidence = json!({
        "files": files.iter().map(|f| ctx.project.display_path(f)).collect::<Vec<_>>(),
        "notify": uses.notify.iter().map(|c| c.at.to_string()).collect::<Vec<_>>(),
        "shutdown": uses.shutdown.iter().map(|c| c.at.to_string()).collect::<Vec<_>>(),
        "listen": uses.server(ctx.project.port).map(|c| c.at.to_string()),
        "sigint": caught.int,
        "sigterm": caught.term,
    });
    let air_fix = |need: AirStop| {
        let name = ctx.project.config_path.as_ref()?;
        let mut edits = vec![];
        let mut said = vec![];
        if need == AirStop::SendInterrupt {
            edits.push(air_config::send_interrupt());
            said.push("send_interrupt = true");
        }
        if ctx.project.air.build.kill_delay_ms == 0 {
            edits.push(air_config::kill_delay());
            said.push("kill_delay = \"2s\"");
        }
        let summary = format!(
            "set {} in [build] of {}",
            said.join(" and "),
            ctx.project.display_path(name)
        );
        air_config::edit(ctx, summary, edits)
    };
    let (summary, judged) = judge(stop_behaviour(ctx), &uses, ctx.project.port, &air_fix);
    findings.extend(judged);
    Outcome::ran(summary, findings).with_evidence(evidence)
}

/// Whether the app catches SIGINT or SIGTERM (signal.Notify / NotifyContext, or a library
/// that installs the handler), read where this check reads: the main package, then the
/// project's other packages and the packages main imports. `Some(false)`: it catches
/// neither, so either signal ends it at once; None: there was nothing to read.
pub(crate) fn catches_stop(ctx: &Context) -> Option<bool> {
    let (_, uses, _) = gather(ctx).ok()?;
    let caught = uses.caught();
    Some(caught.int || caught.term)
}

/// The main package's files, the signal calls read from them (and from other packages when
/// main has none), and an info finding for files that could not be read. `Err` is the
/// outcome when there is nothing to read.
fn gather(ctx: &Context) -> Result<(Vec<PathBuf>, SignalUse, Vec<Finding>), Outcome> {
    let plan = ctx.project.build_plan();
    let dir = plan.main_dir(&ctx.project.root);
    let files = match main_files(&plan, &plan.work_dir(&ctx.project.root), &dir) {
        Ok(f) if f.is_empty() => {
            return Err(Outcome::skipped(format!(
                "no .go files in {} (the folder build.cmd builds)",
                ctx.project.display_path(&dir)
            )))
        }
        Ok(f) => f,
        Err(e) => return Err(Outcome::skipped(e)),
    };

    let mut uses = SignalUse::default();
    let mut findings = vec![];
    let mut unreadable = vec![];
    for file in &files {
        let name = ctx.project.display_path(file);
        let text = match crate::system::files::read(file).map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                unreadable.push(format!("{name} (not UTF-8)"));
                continue;
            }
            Err(e) => {
                unreadable.push(format!("{name} ({e})"));
                continue;
            }
        };
        match go_lexer::tokenize(&text) {
            Ok(tokens) => uses.scan(&name, &tokens),
            Err(e) => unreadable.push(format!("{name}:{e}")),
        }
    }
    if uses.notify.is_empty() && uses.ignore.is_empty() {
        scan_other_packages(ctx, &dir, &mut uses, &mut unreadable);
    }
    if uses.notify.is_empty() && uses.ignore.is_empty() {
        follow_imports(ctx, &files, &mut uses);
    }
    if !unreadable.is_empty() {
        findings.push(
            Finding::info(format!(
                "skipped, not readable as Go source: {}",
                unreadable.join(", ")
            ))
            .with_evidence(json!({"skipped_files": unreadable})),
        );
    }
    Ok((files, uses, findings))
}

/// What `.air.toml` lacks for air to stop the app gracefully.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AirStop {
    /// send_interrupt (and kill_delay when it is 0).
    SendInterrupt,
    /// kill_delay.
    KillDelay,
}

/// What the app on `app_port` does on the reloader's stop signal, judged from its signal
/// calls alone: the summary and the findings. `air_fix` is the rewrite of `.air.toml` that
/// gives air what it lacks, when the file can be rewritten.
fn judge(
    stop: Stop,
    uses: &SignalUse,
    app_port: u16,
    air_fix: &dyn Fn(AirStop) -> Option<Fix>,
) -> (String, Vec<Finding>) {
    let mut findings = vec![];
    let caught = uses.caught();
    let listen = uses
        .server(app_port)
        .map(|c| format!("{} at {}", c.name, c.at))
        .unwrap_or_else(|| "the server".into());

    if !caught.int && !caught.term {
        let ignored = uses.ignored();
        if let (Some(call), true) = (uses.ignore.first(), ignored.int) {
            // A reloader that waits before SIGKILL waits in vain.
            if let Stop::Interrupt {
                who,
                wait_ms: wait_ms @ 1..,
            } = stop
            {
                findings.push(Finding::info(format!(
                    "the app ignores SIGINT ({}): {who} kills it only after {}, so every restart waits that long",
                    call.at,
                    seconds(wait_ms)
                )));
                return ("SIGINT ignored".into(), findings);
            }
        }
        findings.push(
            Finding::info(format!(
                "no SIGINT/SIGTERM handling in the main package: each restart cuts in-flight requests ({listen})"
            ))
            .with_fix(Fix::manual(
                std::iter::once(
                    "run the server with http.Server, wait on signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM), then call srv.Shutdown".to_string(),
                )
                .chain(sends_sigint_step(stop))
                .collect(),
            )),
        );
        return ("no signal handling".into(), findings);
    }

    // The code that should run on stop: the Shutdown call, else the Notify call; a
    // library's (endless) is named.
    let first = uses.shutdown.first().unwrap_or(&uses.notify[0]);
    let graceful: String = match first.library {
        Some(lib) => format!("{lib}, {}", first.at),
        None => first.at.to_string(),
    };
    let what = if uses.shutdown.is_empty() {
        format!("the signal handling at {graceful}")
    } else if let Some(lib) = first.library {
        format!("{lib}'s graceful shutdown ({})", first.at)
    } else {
        format!("the shutdown at {graceful}")
    };
    let add_interrupt = (!caught.int).then(|| {
        format!(
            "add os.Interrupt to the signal.Notify call at {}",
            uses.notify[0].at
        )
    });

    match stop {
        Stop::Kill("air") => {
            // The keys alone are the fix when the app handles SIGINT; else the code needs
            // os.Interrupt too, by hand.
            let fix = match add_interrupt {
                None => air_fix(AirStop::SendInterrupt),
                Some(_) => None,
            };
            let mut steps = vec![AIR_KEYS.to_string()];
            steps.extend(add_interrupt);
            findings.push(
                Finding::warn(format!(
                    "air stops the app with SIGKILL (send_interrupt is off), so {what} never runs; set send_interrupt = true and kill_delay = \"2s\" in [build]"
                ))
                    .with_fix(fix.unwrap_or_else(|| Fix::manual(steps))),
            );
        }
        Stop::Kill(who) => findings.push(
            Finding::warn(format!(
                "{who} always stops the app with SIGKILL, so {what} never runs under {who}; use air (send_interrupt = true) or `reload-doctor run`"
            ))
            .with_fix(Fix::manual(vec![format!(
                "switch from {who} to air with send_interrupt = true, or to `reload-doctor run`"
            )])),
        ),
        Stop::AirDefaults => findings.push(
            Finding::info(format!(
                "no reloader config: air's defaults stop the app with SIGKILL, so {what} would not run under air; `reload-doctor run` sends SIGINT first"
            ))
            .with_fix(Fix::manual(
                std::iter::once(
                    "if you use air, create .air.toml with [build] send_interrupt = true and kill_delay = \"2s\"".to_string(),
                )
                .chain(add_interrupt)
                .collect(),
            )),
        ),
        Stop::Interrupt { who, .. } if !caught.int => findings.push(
            Finding::warn(format!(
                "{who} stops the app with SIGINT, but the app only listens for SIGTERM ({}): it exits at once and {what} never runs",
                uses.notify[0].at
            ))
            .with_fix(Fix::manual(add_interrupt.into_iter().collect())),
        ),
        Stop::Interrupt { who: "air", wait_ms: 0 } => findings.push(
            Finding::warn(format!(
                "kill_delay is 0: air sends SIGKILL right after SIGINT, cutting {what} short; set kill_delay = \"2s\" in [build]"
            ))
            .with_fix(air_fix(AirStop::KillDelay).unwrap_or_else(|| {
                Fix::manual(vec!["in .air.toml [build]: kill_delay = \"2s\"".into()])
            })),
        ),
        Stop::Interrupt { who: "air", wait_ms } if wait_ms > AIR_STOP_WAIT_MS => findings.push(
            Finding::info(format!(
                "kill_delay is {}, but air starts the new app after 5 s: a slow shutdown still holds the port then",
                seconds(wait_ms)
            ))
        ),
        Stop::Interrupt { .. } => {}
    }
    let summary = match stop {
        Stop::Interrupt { who, wait_ms: 0 } => format!(
            "{} handled ({graceful}); {who} sends SIGINT, then SIGKILL at once",
            handled(caught)
        ),
        Stop::Interrupt { who, wait_ms } => format!(
            "{} handled ({graceful}); {who} sends SIGINT, then SIGKILL after {}",
            handled(caught),
            seconds(wait_ms)
        ),
        Stop::Kill(who) => format!("{} handled; {who} sends SIGKILL", handled(caught)),
        Stop::AirDefaults => format!("{} handled ({graceful})", handled(caught)),
    };
    (summary, findings)
}

/// What makes the reloader send SIGINT at all, when it does not yet.
fn sends_sigint_step(stop: Stop) -> Option<String> {
    match stop {
        Stop::Kill("air") => Some(AIR_KEYS.to_string()),
        Stop::Kill(who) => Some(format!(
            "{who} always sends SIGKILL: use air with send_interrupt = true, or `reload-doctor run`"
        )),
        Stop::AirDefaults | Stop::Interrupt { .. } => None,
    }
}

fn handled(s: crate::golang::signals::Signals) -> &'static str {
    match (s.int, s.term) {
        (true, true) => "SIGINT and SIGTERM",
        (true, false) => "SIGINT",
        _ => "SIGTERM",
    }
}

fn seconds(ms: u64) -> String {
    crate::text::duration(ms as f64)
}

/// Main often leaves the signal handling to a package of its own project (`server.Run()` with
/// signal.NotifyContext inside). When main has none, the other non-main packages air watches
/// are read too; only files that import os/signal are tokenized, so this stays cheap.
fn scan_other_packages(
    ctx: &Context,
    main_dir: &Path,
    uses: &mut SignalUse,
    unreadable: &mut Vec<String>,
) {
    const MAX_FILES: usize = 5_000;
    let root = ctx.project.watch_root();
    // Compared by identity: canonicalizing each folder costs one readlink per component,
    // cubic in a 1,000-deep chain (minutes), where one stat each is quadratic at worst.
    let main_id = std::fs::metadata(main_dir).ok().map(|m| (m.dev(), m.ino()));
    let mut seen = 0;
    for dir in &ctx.watch_tree().dirs {
        let path = root.join(&dir.rel);
        let id = std::fs::metadata(&path).ok().map(|m| (m.dev(), m.ino()));
        if path == main_dir || (id.is_some() && id == main_id) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        let files = crate::golang::source::go_sources(entries);
        for file in files {
            seen += 1;
            if seen > MAX_FILES {
                return;
            }
            let Ok(text) = crate::system::files::read_to_string(&file) else {
                continue;
            };
            if !text.contains("\"os/signal\"") {
                continue;
            }
            let name = ctx.project.display_path(&file);
            match go_lexer::tokenize(&text) {
                Ok(tokens) if !is_main_package(&tokens) => uses.scan(&name, &tokens),
                Ok(_) => {}
                Err(e) => unreadable.push(format!("{name}:{e}")),
            }
        }
    }
}

/// The packages main imports, one package deep: when neither main nor the watched packages
/// handle the signals, a helper outside what air watches may (a package of another module
/// through go.mod's `replace`, `vendor/`, or the module cache at the version go.mod
/// requires). Only files that import os/signal, or a library of
/// [`crate::golang::signals::LIBRARIES`], are read; their calls are named by import path.
fn follow_imports(ctx: &Context, main_files: &[PathBuf], uses: &mut SignalUse) {
    const MAX_FILES: usize = 500;
    let Some(module_root) = ctx
        .project
        .root
        .ancestors()
        .find(|d| d.join("go.mod").is_file())
    else {
        return;
    };
    let go_mod =
        crate::system::files::read_to_string(module_root.join("go.mod")).unwrap_or_default();
    let module = crate::golang::modfile::parse_go_mod(&go_mod).module;
    let mut paths: Vec<String> = vec![];
    for file in main_files {
        let Ok(text) = crate::system::files::read_to_string(file) else {
            continue;
        };
        let Ok(tokens) = go_lexer::tokenize(&text) else {
            continue;
        };
        for import in crate::golang::go_file::imports(&tokens) {
            // The standard library's paths have no dot in their first element.
            let std = !import.path.split('/').next().unwrap_or("").contains('.');
            if !std && !paths.contains(&import.path) {
                paths.push(import.path);
            }
        }
    }
    let mut read = 0;
    for path in paths {
        let Some(dir) = package_dir(module_root, &module, &go_mod, &path) else {
            continue;
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for file in crate::golang::source::go_sources(entries) {
            read += 1;
            if read > MAX_FILES {
                return;
            }
            let Ok(text) = crate::system::files::read_to_string(&file) else {
                continue;
            };
            let knows = text.contains("\"os/signal\"")
                || crate::golang::signals::LIBRARIES
                    .iter()
                    .any(|l| text.contains(l.path));
            if !knows {
                continue;
            }
            let Ok(tokens) = go_lexer::tokenize(&text) else {
                continue;
            };
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            let mut found = SignalUse::default();
            found.scan(&format!("{path}/{name}"), &tokens);
            // Its own servers are not the app's: only what it does about signals counts.
            uses.notify.extend(found.notify);
            uses.ignore.extend(found.ignore);
            uses.shutdown.extend(found.shutdown);
        }
    }
}

/// The folder of the package at import `path`: in this module, the folder a `replace`
/// names, `vendor/`, or the module cache (GOMODCACHE, else GOPATH's first `pkg/mod`).
fn package_dir(module_root: &Path, module: &str, go_mod: &str, path: &str) -> Option<PathBuf> {
    let within = |m: &str| path == m || path.starts_with(&format!("{m}/"));
    let rest = |m: &str| path[m.len()..].trim_start_matches('/').to_string();
    if !module.is_empty() && within(module) {
        return Some(module_root.join(rest(module)));
    }
    let replaced = crate::golang::modfile::replacements(go_mod)
        .into_iter()
        .filter(|(from, _)| within(from))
        .max_by_key(|(from, _)| from.len());
    if let Some((from, to)) = replaced {
        let base = if to.starts_with('/') {
            PathBuf::from(&to)
        } else if to.starts_with('.') {
            module_root.join(&to)
        } else {
            return None; // another module version: looked up below by its own path
        };
        return Some(base.join(rest(&from)));
    }
    let vendored = module_root.join("vendor").join(path);
    if vendored.is_dir() {
        return Some(vendored);
    }
    let (required, version) = crate::golang::modfile::requirements(go_mod)
        .into_iter()
        .filter(|(m, _)| within(m))
        .max_by_key(|(m, _)| m.len())?;
    let cache = std::env::var("GOMODCACHE")
        .ok()
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            let gopath = std::env::var("GOPATH").ok().filter(|g| !g.is_empty());
            let first = gopath
                .as_deref()
                .and_then(|g| g.split(':').next())
                .map(PathBuf::from)
                .or_else(|| {
                    std::env::var("HOME")
                        .ok()
                        .map(|h| PathBuf::from(h).join("go"))
                })?;
            Some(first.join("pkg/mod"))
        })?;
    let escape = |s: &str| -> String {
        s.chars()
            .flat_map(|c| match c.is_ascii_uppercase() {
                true => vec!['!', c.to_ascii_lowercase()],
                false => vec![c],
            })
            .collect()
    };
    let at = cache.join(format!("{}@{}", escape(&required), escape(&version)));
    Some(at.join(rest(&required)))
}

fn is_main_package(tokens: &[go_lexer::Token]) -> bool {
    crate::golang::go_file::package_name(tokens) == Some("main")
}

/// The main package's source files: those build.cmd lists (relative to where go runs), else
/// the non-test `.go` files of its folder, sorted.
fn main_files(plan: &BuildPlan, work_dir: &Path, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let listed = plan.listed_files();
    if !listed.is_empty() {
        return Ok(listed.iter().map(|f| work_dir.join(f)).collect());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read {} (the folder build.cmd builds): {e}",
            dir.display()
        )
    })?;
    Ok(crate::golang::source::go_sources(entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(src: &str) -> SignalUse {
        let mut u = SignalUse::default();
        u.scan("main.go", &go_lexer::tokenize(src).unwrap());
        u
    }

    const GRACEFUL: &str = "package main\nimport (\n\t\"os\"\n\t\"os/signal\"\n\t\"syscall\"\n)\nfunc main() {\n\tctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)\n\tdefer stop()\n\tgo srv.ListenAndServe()\n\t<-ctx.Done()\n\tsrv.Shutdown(context.Background())\n}\n";
    const TERM_ONLY: &str = "package main\nimport (\n\t\"os\"\n\t\"os/signal\"\n\t\"syscall\"\n)\nfunc main() {\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, syscall.SIGTERM)\n\t<-c\n}\n";

    #[test]
    fn air_without_send_interrupt_never_runs_the_shutdown() {
        let (summary, f) = judge(Stop::Kill("air"), &uses(GRACEFUL), 8080, &|_| None);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("SIGKILL") && f[0].message.contains("main.go:12"));
        assert!(summary.contains("air sends SIGKILL"), "{summary}");
    }

    #[test]
    fn a_graceful_app_under_sigint_with_a_delay_is_fine() {
        let stop = Stop::Interrupt {
            who: "air",
            wait_ms: 2000,
        };
        let (summary, f) = judge(stop, &uses(GRACEFUL), 8080, &|_| None);
        assert!(f.is_empty(), "{f:?}");
        assert!(summary.contains("then SIGKILL after 2 s"), "{summary}");
    }

    #[test]
    fn sigterm_only_exits_at_once_on_sigint() {
        let stop = Stop::Interrupt {
            who: "gin",
            wait_ms: 3000,
        };
        let (_, f) = judge(stop, &uses(TERM_ONLY), 8080, &|_| None);
        assert!(
            f[0].message.contains("only listens for SIGTERM (main.go:9"),
            "{f:?}"
        );
    }

    #[test]
    fn no_handling_is_information_with_the_steps() {
        let (summary, f) = judge(
            Stop::AirDefaults,
            &uses("package main\nfunc main() {}\n"),
            8080,
            &|_| None,
        );
        assert_eq!(summary, "no signal handling");
        assert!(f[0].fix.is_some());
    }
}
