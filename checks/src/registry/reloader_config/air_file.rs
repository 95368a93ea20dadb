//! Reading `.air.toml`: syntax errors with file:line:col, and every key against air's key set.

use super::config_file::{one_rewrite, sorted, stopping, too_large, AirFile};
use super::defaults_build::DefaultsBuild;
use super::key_findings::{key_finding, key_fix, weigh_unknown};
use super::problems::Problem as Id;
use super::unread_config::unread_is_harmless;
use super::{air_semantics, launches, versioned};
use crate::context::Context;
use crate::model::{Finding, Outcome};
use crate::reloaders::air::keys as air_keys;
use crate::reloaders::air::keys::{Issue, Problem};
use crate::reloaders::air::launch::{ConfigRef, LaunchContext};
use crate::reloaders::air::written::Written;
use crate::text::line_col;
use serde_json::json;

pub(super) fn check(ctx: &Context) -> Outcome {
    if ctx.project.config_path.is_none() {
        return Outcome::ran("air with its defaults (no config file)", vec![]);
    }
    let contexts = &ctx.project.launches.contexts;
    let mut renamed = super::air_install::renamed(ctx, &ctx.project.launches.installs);
    renamed.extend(documented_missing(ctx));
    renamed.extend(unmade_prerequisites(ctx));
    let mut configs = launches::judged(ctx, contexts).into_iter();
    let Some(first) = configs.next() else {
        return Outcome::ran("air with its defaults (no config file)", renamed);
    };
    let mut outcome = judge(ctx, contexts, &first, true);
    // The project's other configs, each with its own settings, in the same report.
    for other in configs {
        let here = launches::with_config(ctx, &other.path);
        let more = judge(&here, contexts, &other, false);
        if let (
            Outcome::Ran {
                summary,
                findings,
                evidence,
            },
            Outcome::Ran {
                summary: s,
                findings: f,
                evidence: e,
            },
        ) = (&mut outcome, more)
        {
            summary.push_str(&format!("; {s}"));
            // What is the module's, not a config's (a gitignored go.sum, a missing replace),
            // is said by each config judged: once is enough.
            for x in f {
                if !findings
                    .iter()
                    .any(|y| y.message == x.message && y.severity == x.severity)
                {
                    findings.push(x);
                }
            }
            if let Some(obj) = evidence.as_object_mut() {
                if let Some(also) = obj
                    .entry("also")
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                {
                    also.push(e);
                }
            }
        }
    }
    // Worst first; the project's config before the others within a severity.
    if let Outcome::Ran { findings, .. } = &mut outcome {
        // A config a launcher already names as missing is said there.
        let said = |f: &Finding| {
            f.evidence["problem"] == Id::LaunchConfigMissing.id()
                && f.evidence["documented"] == json!(true)
                && findings.iter().any(|o| {
                    o.evidence["problem"] == Id::LaunchConfigMissing.id()
                        && o.evidence["config"] == f.evidence["config"]
                })
        };
        let renamed: Vec<Finding> = renamed.into_iter().filter(|f| !said(f)).collect();
        findings.extend(renamed);
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    }
    outcome
}

/// The Makefile targets that start air for this project (a Makefile in its folder, above it
/// or below it) with a prerequisite make can neither find nor make (PatrickKoss/
/// grpc-gateway-example's `hotreload: $(TOOLS_DIR)/air/air`, whose install rule makes
/// tools/cosmtrek/air): `make hotreload` stops before its recipe, so air never starts.
fn unmade_prerequisites(ctx: &Context) -> Vec<Finding> {
    let project = &ctx.project.root;
    ctx.project
        .launches
        .unmade
        .iter()
        .filter(|(_, dir, _)| project.starts_with(dir) || dir.starts_with(project))
        .map(|(file, _, u)| {
            let near = u
                .near
                .as_ref()
                .map(|(t, line)| format!("; the rule at {file}:{line} makes {t} instead: make it {}", u.prerequisite))
                .unwrap_or_else(|| format!("; add a rule that makes {} or install it there", u.prerequisite));
            Finding::warn(format!(
                "{file}:{}: `make {}` needs {}, which is not in the checkout and which no rule makes: make stops (\"No rule to make target '{}', needed by '{}'\") before the recipe that starts air runs{near}",
                u.line, u.target, u.prerequisite, u.prerequisite, u.target
            ))
            .with_evidence(json!({"file": file, "line": u.line, "problem": Id::LaunchPrerequisiteUnmade, "target": u.target, "prerequisite": u.prerequisite}))
        })
        .collect()
}

/// The `air -c FILE` commands the project folder's README runs whose FILE is not there
/// (naufalw/better-media's `air -c .air.ingest.toml` beside .air.api.toml and
/// .air.worker.toml): air stops at start, so whoever follows the README gets no air. A warn:
/// a README is the documented way to start, not a launcher that surely runs.
fn documented_missing(ctx: &Context) -> Vec<Finding> {
    let dir = &ctx.project.root;
    let repo = &ctx.project.launches.repo;
    let configs: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            let mut names: Vec<String> = entries
                .flatten()
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    let l = n.to_ascii_lowercase();
                    l.ends_with(".toml") && l.contains("air")
                })
                .collect();
            names.sort();
            names
        })
        .unwrap_or_default();
    let instead = match configs.len() {
        0 => "create it (`air init` writes one)".to_string(),
        _ => format!(
            "the air configs here are {}: point -c at one of them, or create it (`air init` writes one)",
            configs.join(", ")
        ),
    };
    crate::reloaders::air::launch::documented_missing(dir)
        .into_iter()
        .map(|c| {
            let file = launches::relative(repo, &c.doc);
            let shown = ctx.project.display_path(&c.path);
            let at = match crate::filepath::clean_str(&c.arg) == shown {
                true => String::new(),
                false => format!(" ({shown})"),
            };
            Finding::warn(format!(
                "{file}:{}: runs `air -c {}`, which is not there{at}: air stops (\"no such file or directory\"), so whoever follows the README gets no air; {instead}",
                c.line, c.arg,
            ))
            .with_evidence(json!({"file": file, "line": c.line, "problem": Id::LaunchConfigMissing, "config": c.arg, "documented": true, "configs": configs}))
        })
        .collect()
}

/// A config in a folder that is not a module root (internal/.air.toml beside the root's
/// .air.toml), that no launcher runs, and whose build names paths that exist only at the
/// module root (`-i ./static/styles/main.css`, `make build` with the root's Makefile): run
/// where it lies its build could not even start, so it is a stray copy, not a project. One
/// note; its settings are not judged. Only with air's root at the file's own folder.
fn stray_copy(
    ctx: &Context,
    contexts: &[LaunchContext],
    places: &[launches::Place],
    repo: &std::path::Path,
    name: &str,
) -> Option<Finding> {
    let here = &ctx.project.root;
    // A root pointing elsewhere (`root = "../../"`) says the file was written for where it
    // lies, to be started from there or with -c: not a copy.
    let real = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if here.join("go.mod").exists()
        || real(&ctx.project.watch_root()) != real(here)
        || !places.is_empty()
        || launches::unlaunched(contexts, repo, here).is_some()
    {
        return None;
    }
    let module = here
        .ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(repo))
        .find(|d| d.join("go.mod").is_file())?;
    let module_at = module
        .strip_prefix(repo)
        .map(|m| m.display().to_string())
        .unwrap_or_default();
    let module_name = match module_at.as_str() {
        "" => "the module root (the repository root)".to_string(),
        m => format!("the module root {m}/"),
    };
    // The module's README or docs/ guides run it there with -c (hiyoko9513/
    // go_fiber_onionarchitecture's `air -c ./cmd/app/air.toml`): no copy, a launch judged
    // by the doctor run in the module root.
    let path = ctx.project.config_path.as_deref().map(real);
    let documented = crate::reloaders::air::launch::documented_calls(module)
        .into_iter()
        .find(|c| Some(real(&c.path)) == path);
    if let Some(c) = documented {
        let doc = c
            .doc
            .strip_prefix(repo)
            .unwrap_or(&c.doc)
            .display()
            .to_string();
        return Some(
            Finding::info(format!(
                "{name} is run from {module_name}: {doc}:{} runs `air -c {}` there, so it is judged by the doctor run there, not as a project of its own here",
                c.line, c.arg
            ))
            .with_evidence(json!({"file": name, "problem": Id::StrayConfig, "module_root": module_at, "documented": format!("{doc}:{}", c.line)})),
        );
    }
    let build = &ctx.project.air.build;
    let mut named: Vec<String> = vec![];
    for step in build.pre_cmd.iter().chain(std::iter::once(&build.cmd)) {
        for c in crate::shell::commands(step) {
            let Some((program, args)) = c.words.split_first() else {
                continue;
            };
            if program == "make"
                && !args
                    .iter()
                    .any(|a| a.starts_with("-f") || a.starts_with("-C"))
            {
                named.extend(["Makefile", "makefile", "GNUmakefile"].map(String::from));
            }
            // Paths it reads (an -o output may be made by the build itself).
            let mut previous = "";
            for a in args {
                let output = matches!(previous, "-o" | "--output");
                previous = a;
                if !output && !a.starts_with('-') && !a.starts_with('/') && a.contains('/') {
                    named.push(a.clone());
                }
            }
        }
    }
    let only_at_module: Vec<&String> = named
        .iter()
        .filter(|p| !here.join(p).exists() && module.join(p).exists())
        .collect();
    let first = only_at_module.first()?;
    Some(
        Finding::info(format!(
            "{name} looks like a stray copy: its folder is not a module root, no launcher runs air with it, and its build names {first}, which is only in {module_name}: started here, that build cannot run; it is not judged as a project of its own (delete it if it is a copy)"
        ))
        .with_evidence(json!({"file": name, "problem": Id::StrayConfig, "module_root": module_at, "names": only_at_module})),
    )
}

/// A config in a folder that is not a module root, that no launcher runs, holding the same
/// settings (byte for byte, or equal once parsed) as a config that a launcher does run
/// (backend/.air.toml beside backend/go/.air.toml, which `cd go && air -c .air.toml` starts):
/// a leftover copy of the launched one. One note naming that one; its settings are judged
/// there, not here. So is one in a module root that plain air there never reads (a
/// subfolder's docker/api/.air.toml, the root's .air.toml copied there, while `make dev` runs
/// plain `air` in the root, thisisteem/tt-stock-api, hold-out 15): no launcher reads it, and
/// nothing it says is lost, since the config that is read says the same.
/// One with other settings that no launcher runs, in a folder below the one where a launcher
/// runs air with another config building the same main package (chat-app's server/cmd/.air.toml,
/// while `make run-air` runs plain `air` in server/, whose .air.toml builds ./cmd/main.go,
/// hold-out 16) is a leftover too: judged, but only as notes (`Leftover::Below`).
fn copy_of_launched(
    ctx: &Context,
    contexts: &[LaunchContext],
    places: &[launches::Place],
    repo: &std::path::Path,
    path: &std::path::Path,
    name: &str,
) -> Option<Leftover> {
    let here = &ctx.project.root;
    let module = here.join("go.mod").exists();
    let plain_reads = [".air.toml", ".config/air.toml"]
        .iter()
        .any(|n| here.join(n) == path);
    if (module && plain_reads) || !places.is_empty() {
        return None;
    }
    let real = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let read = |p: &std::path::Path| {
        std::fs::read_to_string(p)
            .ok()
            .and_then(|t| Written::parse(&t).ok())
    };
    let mine = read(path)?;
    let launched = contexts.iter().find_map(|c| match &c.config {
        ConfigRef::Read(other) if real(other) != real(path) => read(other)
            .is_some_and(|theirs| theirs.same_settings(&mine))
            .then_some((other, c)),
        _ => None,
    });
    let Some((other, by)) = launched else {
        return below_launched(ctx, contexts, repo, path, name).map(Leftover::Below);
    };
    let shown = other
        .strip_prefix(repo)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| other.display().to_string());
    let unread = match module {
        true => "plain `air` in the module root never reads it",
        false => "this folder is not a module root",
    };
    Some(Leftover::Copy(
        Finding::info(format!(
            "{name} is a copy of {shown} (the same settings), which {} runs; {unread} and no launcher runs air with {name}: a leftover copy, nothing in it is lost, and it is not judged as a project of its own (its settings are judged in {shown}; delete it if it is a copy)",
            by.launcher.describe()
        ))
        .with_evidence(json!({"file": name, "problem": Id::StrayConfig, "launched": shown})),
    ))
}

/// What `copy_of_launched` found: a copy (not judged), or a config below a launched one that
/// builds the same main package (judged, its findings notes).
enum Leftover {
    Copy(Finding),
    Below(Finding),
}

/// The note of a config no launcher runs, no launcher starts air in its folder, while one
/// starts air in a folder above it (in the repository) with another config whose build makes
/// the same main package: the one above is what the project runs; this one is a leftover.
fn below_launched(
    ctx: &Context,
    contexts: &[LaunchContext],
    repo: &std::path::Path,
    path: &std::path::Path,
    name: &str,
) -> Option<Finding> {
    use crate::golang::build_plan::BuildPlan;
    let real = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let here = real(path.parent()?);
    let root = real(&ctx.project.root);
    let repo = real(repo);
    // Someone starts air in this folder (with any config): not a leftover of another folder.
    if contexts.iter().any(|c| {
        c.cwd
            .as_deref()
            .map(real)
            .is_some_and(|d| d == here || d == root)
    }) {
        return None;
    }
    let main = |cmd: &str, cwd: &std::path::Path| real(&BuildPlan::parse(cmd).main_dir(cwd));
    let mine = main(&ctx.project.air.build.cmd, &root);
    let (other, by, cwd) = contexts.iter().find_map(|c| {
        let ConfigRef::Read(other) = &c.config else {
            return None;
        };
        let cwd = real(c.cwd.as_deref().or(other.parent())?);
        let above = cwd != here && here.starts_with(&cwd) && cwd.starts_with(&repo);
        if !above || real(other) == real(path) {
            return None;
        }
        let written = crate::reloaders::air::config::load(other).ok()?;
        let mut theirs = crate::reloaders::air::config::AirConfig::read(&written).ok()?;
        launches::apply_overrides(&mut theirs, &c.overrides);
        (main(&theirs.build.cmd, &cwd) == mine).then_some((other, c, cwd))
    })?;
    let rel = |p: &std::path::Path| match p.strip_prefix(&repo) {
        Ok(r) if r.as_os_str().is_empty() => "the repository root".to_string(),
        Ok(r) => format!("{}/", r.display()),
        Err(_) => p.display().to_string(),
    };
    let shown = real(other)
        .strip_prefix(&repo)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| other.display().to_string());
    let package = rel(&mine);
    Some(
        Finding::info(format!(
            "{name} looks like a leftover: no launcher runs air with it or in {}, while {} runs air in {} with {shown}, which builds the same main package ({package}); what follows is what `air` typed in {} would do, as notes (delete it if it is a leftover)",
            rel(&here),
            by.launcher.describe(),
            rel(&cwd),
            rel(&here),
        ))
        .with_evidence(json!({"file": name, "problem": Id::StrayConfig, "launched": shown, "main_package": package})),
    )
}

/// The findings about the config of `ctx.project`, judged as `basis` says (assumed as
/// `air -c FILE` in the project folder when no launcher names it); `first` for the project's
/// own config, which also answers for the repository's launchers and the air on PATH.
fn judge(
    ctx: &Context,
    contexts: &[LaunchContext],
    basis: &launches::Judged,
    first: bool,
) -> Outcome {
    let assumed = basis.assumed;
    let Some(path) = ctx.project.config_path.clone() else {
        return Outcome::ran("air with its defaults (no config file)", vec![]);
    };
    let name = ctx.project.display_path(&path);
    let installed = super::air_on_path::installed();
    let repo = crate::reloaders::air::launch::repository_root(&ctx.project.root);
    let places = launches::places(contexts, &path, &ctx.project.air);
    let below = match copy_of_launched(ctx, contexts, &places, &repo, &path, &name) {
        Some(Leftover::Copy(copy)) => {
            return Outcome::ran(
                format!("{name}: a copy of a launched config, not judged"),
                vec![copy],
            )
        }
        Some(Leftover::Below(note)) => Some(note),
        None => None,
    };
    if let Some(stray) = stray_copy(ctx, contexts, &places, &repo, &name) {
        let what = match stray.evidence["documented"].is_string() {
            true => "run from the module root by its docs, judged there",
            false => "a stray copy, not judged",
        };
        return Outcome::ran(format!("{name}: {what}"), vec![stray]);
    }
    // The releases that read this file: each place's, else the air on PATH's (None: the
    // current one). A startup warning is air's only where one of them prints it.
    let on_path = super::air_on_path::on_path(installed.as_ref());
    let releases: Vec<Option<crate::reloaders::air::versions::AirVersion>> = match places.is_empty()
    {
        true => vec![on_path.clone()],
        false => places
            .iter()
            .map(|p| p.version.clone().or_else(|| on_path.clone()))
            .collect(),
    };
    let printed = |line: &String| {
        releases
            .iter()
            .any(|r| crate::reloaders::air::versions::may_print(r.as_ref(), line))
    };
    let launchers = if first { contexts } else { &[] };
    // A launcher passing `-c` with this file's name from a folder not known here: this
    // file's own fact, whichever config's report names the launchers.
    let unknown_folder = launches::from_unknown_folder(contexts, &repo, &ctx.project.root, &path);
    // Which air reads this file is decided before its content: what stops air only does
    // where something runs air with the file.
    let (mut findings, unread) = which_file(
        ctx,
        &name,
        &path,
        installed.as_ref(),
        launchers,
        &places,
        (basis, unknown_folder),
    );
    let unread = unread.then_some(name.as_str());
    let template = template(ctx, &name, &path, &places);
    let parsed;
    let written = match &ctx.project.air_written {
        Some(w) => w,
        None => match read(&name, &path, unread) {
            Ok(w) => {
                parsed = w;
                &parsed
            }
            Err(_) if template.is_some() => {
                // A template is not TOML until rendered: that is no finding of its own.
                findings.extend(template);
                return Outcome::ran(format!("{name} is a code generator's template"), findings);
            }
            Err(mut why) => {
                if let (Some(_), Outcome::Ran { findings: f, .. }) = (unread, &mut why) {
                    f.splice(0..0, findings);
                    super::claims::add(f);
                }
                return why;
            }
        },
    };
    // air never reads this file (config-not-read as a warning): what its settings would do
    // never happens, so only what is true of its keys wherever air reads it is said.
    // (A leftover beside configs launchers pass is a note, and never read either.)
    let never_read = findings.iter().any(|f| {
        f.evidence["problem"] == Id::ConfigNotRead.id()
            && (f.severity >= crate::model::Severity::Warn || f.evidence["leftover"] == true)
    });
    let issues: Vec<&Issue> = written
        .issues()
        .iter()
        .filter(|i| !never_read || !matches!(i.problem, Problem::ZeroIgnored { .. }))
        .collect();
    let stops_air = issues
        .iter()
        .any(|i| matches!(i.problem, Problem::WrongType { .. }));
    let file = AirFile::new(ctx, path.clone(), name.clone(), written, installed);
    // A zero value every launcher overrides on air's command line (`-build.cmd '...'`, set
    // after air fills in its defaults) never reaches air's default either.
    let launched: Vec<&LaunchContext> = places.iter().flat_map(|p| &p.launches).collect();
    let overridden = |i: &&&Issue| {
        matches!(i.problem, Problem::ZeroIgnored { .. })
            && !launched.is_empty()
            && launched
                .iter()
                .all(|c| c.overrides.iter().any(|(k, _)| *k == i.path))
    };
    findings.extend(issues.iter().filter(|i| !overridden(i)).map(|i| {
        key_fix(
            &file,
            i,
            weigh_unknown(&file, i, key_finding(&name, i, written, unread)),
        )
    }));
    if never_read {
        unread_is_harmless(&file, &name, written, &mut findings);
    }
    let mut edits = file.edits.borrow().clone();
    // The launchers that run plain air here: what shows that air runs with its defaults.
    let root_real = std::fs::canonicalize(&ctx.project.root).unwrap_or(ctx.project.root.clone());
    let plain_here: Vec<&LaunchContext> = contexts
        .iter()
        .filter(|c| {
            c.config == ConfigRef::Defaults
                && c.cwd.as_deref().is_some_and(|d| {
                    std::fs::canonicalize(d).unwrap_or(d.to_path_buf()) == root_real
                })
        })
        .collect();
    // One that runs air on no condition first.
    let mut plain_here = plain_here;
    plain_here.sort_by_key(|c| c.condition().is_some());
    let summary = if never_read {
        let by = plain_here
            .first()
            .map(|l| {
                format!(
                    "; {} runs plain `air` here, so air's defaults apply",
                    l.describe()
                )
            })
            .unwrap_or_default();
        format!("{name}: air never reads it{by}; its keys were checked, what its settings would do was not judged")
    } else if stops_air {
        format!("{name}: air refuses to start with this file (wrong value types)")
    } else if let Some(err) = &ctx.project.config_error {
        // The file is valid for air but not for reload-doctor's own reader (e.g. a port above
        // 65535): the settings below would be air's defaults, not the file's, so say so.
        findings.push(Finding::info(format!(
            "reload-doctor could not read every setting ({err}); the remaining config checks were skipped"
        )));
        format!("{name}: {} keys read", issues.len())
    } else {
        if places.is_empty() {
            let mut found = versioned::judge(air_semantics::findings(&file), file.release.as_ref());
            if let Some(l) = unknown_folder {
                launches::unknown_folder_caps(&mut found, l);
            } else if launches::unlaunched(contexts, &repo, &ctx.project.root).is_some() {
                let real = |p: &std::path::Path| {
                    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
                };
                let here = real(&ctx.project.root);
                let shadowed = contexts
                    .iter()
                    .any(|c| c.cwd.as_deref().map(real).as_ref() == Some(&here));
                let folder = match ctx.project.root.strip_prefix(&repo) {
                    Ok(rel) if !rel.as_os_str().is_empty() => format!("{}/", rel.display()),
                    _ => "the repository root".to_string(),
                };
                let run = match assumed {
                    true => format!("`air -c {name}` in {folder}"),
                    false => format!("`air` in {folder}"),
                };
                let contained = contexts
                    .iter()
                    .filter(|c| {
                        launches::unlaunched(std::slice::from_ref(*c), &repo, &ctx.project.root)
                            .is_some()
                    })
                    .all(|c| c.container.is_some());
                launches::unlaunched_caps(&mut found, &run, (shadowed, contained));
            }
            findings.extend(found);
            edits.extend(file.edits.borrow().iter().skip(edits.len()).cloned());
        } else {
            // Judged in each place the repository starts air with this file.
            let contexts: Vec<Context> = places
                .iter()
                .map(|p| launches::context_for(ctx, p))
                .collect();
            let files: Vec<AirFile> = places
                .iter()
                .zip(&contexts)
                .map(|(place, here)| {
                    let mut f = AirFile::new(here, path.clone(), name.clone(), written, None);
                    f.installed = file.installed.clone();
                    // Where no launcher says which air runs: the one on PATH (else the current).
                    f.release = place.version.clone().or_else(|| file.release.clone());
                    f.repo.clone_from(&repo);
                    f.project.clone_from(&ctx.project.root);
                    f.launches.clone_from(&place.launches);
                    f.no_rewrite = place.changed;
                    f
                })
                .collect();
            let judged: Vec<(&AirFile, Vec<Finding>)> = files
                .iter()
                .zip(&places)
                .map(|(f, place)| {
                    let mut found =
                        versioned::judge(air_semantics::findings(f), f.release.as_ref());
                    // The keys an air the repository pins predates (the air on PATH's own
                    // gaps are air_install's).
                    if let Some(pinned) = &place.version {
                        found.extend(versioned::newer_keys(f, pinned));
                    }
                    let own = path.parent().unwrap_or(&ctx.project.root);
                    launches::conditional_caps(&mut found, place, own);
                    (f, found)
                })
                .collect();
            findings.extend(launches::merge(&repo, &judged));
            for f in &files {
                edits.extend(f.edits.borrow().iter().cloned());
            }
        }
        if let Some(air) = file.installed.as_ref().filter(|_| first) {
            super::air_install::findings(&file, air, &mut findings);
        }
        let deprecated = ctx
            .project
            .air
            .startup_warnings(&ctx.project.watch_root())
            .iter()
            .any(|l| l == crate::reloaders::air::config::BIN_DEPRECATED && printed(l));
        let warns = match deprecated {
            true => {
                "; air warns that build.bin is deprecated (name the binary in build.entrypoint)"
            }
            false => "",
        };
        let by = launches::started_by(&repo, &places)
            .map(|s| format!("; {s}"))
            .unwrap_or_default();
        format!(
            "{name}: every key known to air v1.67 and the warnings air prints checked{by}{warns}"
        )
    };
    // Nobody runs air with a template as it is: what its text would do is at most a note.
    if let Some(t) = template {
        for f in findings.iter_mut().filter(|f| {
            f.evidence["file"].is_null() || f.evidence["file"].as_str() == Some(name.as_str())
        }) {
            f.severity = f.severity.min(crate::model::Severity::Info);
        }
        findings.insert(0, t);
    }
    // A leftover below the launched config: what air would do with it, if typed there, is a note.
    if let Some(note) = below {
        launches::leftover_caps(&mut findings);
        findings.insert(0, note);
    }
    // What --only/--skip leave out by problem id goes before its edits join the rewrite.
    findings.retain(|f| ctx.options.problems.keeps(super::CHECK.id, f));
    super::claims::add(&mut findings);
    one_rewrite(&path, written.text(), &name, &edits, &mut findings);
    let facts = if stops_air || ctx.project.config_error.is_some() {
        json!({"reloader": "air", "file": name})
    } else {
        let mut launched: Vec<serde_json::Value> = places
            .iter()
            .flat_map(|p| p.launches.iter().map(move |l| (p, l)))
            .map(|(p, l)| json!({"file": l.launcher.file, "line": l.launcher.line, "target": l.launcher.target, "cwd": p.cwd, "in_container": l.container.is_some(), "air": l.air.as_ref().map(ToString::to_string), "condition": l.condition()}))
            .collect();
        // A file plain air never reads: the launchers that run plain air here, with defaults.
        if never_read && places.is_empty() {
            launched.extend(plain_here.iter().map(|l| json!({"file": l.launcher.file, "line": l.launcher.line, "target": l.launcher.target, "cwd": l.cwd, "in_container": l.container.is_some(), "air": l.air.as_ref().map(ToString::to_string), "condition": l.condition(), "reads": "defaults"})));
        }
        let mut air_prints = ctx.project.air.startup_warnings(&ctx.project.watch_root());
        air_prints.retain(|l| printed(l));
        json!({"reloader": "air", "file": name, "effective": effective(&ctx.project.air), "launches": launched, "assumed": assumed, "air_prints": air_prints})
    };
    Outcome::ran(summary, sorted(findings)).with_evidence(facts)
}

/// The note for a config that is a code generator's template, not a file air reads as it is
/// (kyleu/projectforge's module/core/.air.toml: `bin = "build/debug/{{{ .Exec }}}"`, beside a
/// go.mod reading `module {{{ .Package }}}`): the nearest go.mod's module line is a
/// placeholder, or placeholders fill the config's own text (on three lines or more, where a
/// build command's `{{.Output}}` takes one). Only when no launcher runs air with it, other
/// than the template tree's own scripts (projectforge's module/core/bin/dev.sh runs `air`
/// there: a template too, rendered with the rest).
fn template(
    ctx: &Context,
    name: &str,
    path: &std::path::Path,
    places: &[launches::Place],
) -> Option<Finding> {
    let placeholder = |l: &str| l.contains("{{") && l.contains("}}");
    let repo = crate::reloaders::air::launch::repository_root(&ctx.project.root);
    let go_mod = path
        .parent()?
        .ancestors()
        .take_while(|d| d.starts_with(&repo))
        .map(|d| d.join("go.mod"))
        .find(|m| m.is_file());
    let module_line = go_mod.as_ref().and_then(|m| {
        crate::system::files::read_to_string(m)
            .ok()?
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("module"))
            .filter(|l| placeholder(l))
            .map(str::to_string)
    });
    // The tree a templated go.mod heads: its scripts are templates as well.
    let tree = module_line
        .as_ref()
        .and(go_mod.as_ref())
        .and_then(|m| m.parent());
    let launched = places
        .iter()
        .flat_map(|p| &p.launches)
        .any(|c| tree.is_none_or(|t| !repo.join(&c.launcher.file).starts_with(t)));
    if launched {
        return None;
    }
    let text = crate::system::files::read_to_string(path).unwrap_or_default();
    let lines = text.lines().filter(|l| placeholder(l)).count();
    let why = match (&module_line, &go_mod) {
        (Some(line), Some(m)) => format!("{} reads `{line}`", ctx.project.display_path(m)),
        _ if lines >= 3 => format!("{{{{ }}}} placeholders fill {lines} of its lines"),
        _ => return None,
    };
    Some(
        Finding::info(format!(
            "{name} is a code generator's template ({why}) and no launcher outside the template runs air with it: air reads the config the generator renders from it, not this file, so it is not judged as one"
        ))
        .with_evidence(json!({"file": name, "problem": Id::ConfigTemplate, "placeholder_lines": lines, "module": module_line})),
    )
}

/// The file read and parsed here, for a project whose own parse failed: why it cannot be
/// read, or what in it is not TOML.
fn read(name: &str, path: &std::path::Path, unread: Option<&str>) -> Result<Written, Outcome> {
    let bytes = match crate::system::files::read(path) {
        Ok(b) => b,
        Err(e) if crate::system::files::is_too_large(&e) => {
            return Err(too_large(name, "an air config"))
        }
        Err(e) => {
            return Err(Outcome::ran(
                format!("cannot read {name}"),
                vec![Finding::fail(format!(
                    "cannot read {name} ({e}): air cannot either; make it a readable TOML file"
                ))
                .with_evidence(json!({"file": name}))],
            ))
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return Err(Outcome::ran(
                format!("{name} is not a text file"),
                vec![stopping(unread, |when| format!(
                    "{name} is not a text file (invalid UTF-8 at byte {at}): {when}air stops with \"failed to parse\"; replace it with a TOML config (`air init` writes one)"
                ))
                .with_evidence(json!({"file": name, "byte": at}))],
            ));
        }
    };
    Written::parse(&text).map_err(|e| syntax_error(name, &text, &e, unread))
}

/// Which file air reads: plain `air` reads only `.air.toml` or `.config/air.toml` (and
/// `.air.conf` before v1.63.2); `air -c FILE` in a Makefile or script reads FILE, and stops
/// when FILE is missing. Launchers of this project (in its folder, or starting air there)
/// that name a missing file or run air on its defaults are named here. Also whether nothing
/// runs air with the file (plain air never reads it and no launcher passes it).
fn which_file(
    ctx: &Context,
    name: &str,
    path: &std::path::Path,
    installed: Option<&super::air_on_path::Installed>,
    contexts: &[LaunchContext],
    places: &[launches::Place],
    (basis, unknown_folder): (&launches::Judged, Option<&LaunchContext>),
) -> (Vec<Finding>, bool) {
    let assumed = basis.assumed;
    let root = &ctx.project.root;
    let repo = crate::reloaders::air::launch::repository_root(root);
    let ours = |c: &LaunchContext| launches::of_project(c, &repo, root);
    let mut out: Vec<Finding> = vec![];
    let module_go = project_go(ctx).map(|(_, line, _)| line);
    for c in contexts.iter().filter(|c| ours(c)) {
        let l = &c.launcher;
        let site = format!("{}:{}", l.file, l.line);
        let ev = |problem: Id| json!({"file": l.file, "line": l.line, "problem": problem, "config": c.config_arg, "in_container": c.container.is_some(), "target": l.target});
        let who = match (l.what(), c.condition()) {
            (Some(w), Some(when)) => format!(" ({w}, {when})"),
            (Some(w), None) => format!(" ({w})"),
            (None, Some(when)) => format!(" ({when})"),
            (None, None) => String::new(),
        };
        // One image several services of a compose file build (dev, test and prod from one
        // Dockerfile): what stops its build is said once, at the first, naming them all.
        let sharing = same_image(contexts, c, &ours);
        let image_said = sharing
            .first()
            .is_some_and(|first| Some(first) != l.target.as_ref());
        let image_who = match sharing.len() > 1 {
            true => format!(
                " (the {} services, which build the same image)",
                sharing
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            false => who.clone(),
        };
        if let Some(f) = super::source_mount::finding(ctx, &repo, path, c, contexts) {
            out.push(f);
        }
        // A Dockerfile read alone: said at its install (`air_install::renamed`).
        let alone = l.kind == crate::reloaders::air::launch::Kind::Dockerfile;
        if let Some(f) = c
            .container
            .as_ref()
            .filter(|_| !alone && !image_said)
            .and_then(|k| stuck_install(k, &site, &image_who, module_go.as_deref()))
        {
            if !out.iter().any(|o| o.message == f.message) {
                out.push(f.with_evidence(ev(Id::AirInstallFails)));
            }
        }
        if let Some((f, facts)) = c
            .container
            .as_ref()
            .filter(|_| !image_said)
            .and_then(|k| image_go_too_old(ctx, k, &site, &image_who))
        {
            if !out.iter().any(|o| o.message == f.message) {
                let mut evidence = ev(Id::ImageGoTooOld);
                if let Some(o) = evidence.as_object_mut() {
                    o.extend(facts);
                }
                out.push(f.with_evidence(evidence));
            }
        }
        match &c.config {
            ConfigRef::Missing(arg, looked) => {
                let at = looked
                    .as_ref()
                    .map(|p| format!(" ({})", ctx.project.display_path(p)))
                    .unwrap_or_default();
                // `cd /mnt/c/Users/me/app` in a script: a folder of its author's machine,
                // not this one; what air finds there cannot be known from here.
                let elsewhere = c
                    .cwd
                    .as_deref()
                    .filter(|d| !d.starts_with(&repo) && !d.exists());
                // A folder no known mount maps is unknown: nothing in it is judged missing.
                // A script beside the config it names is likely run from its own folder,
                // mounted there (`api/run.sh` run as /app/run.sh, `cd /app`).
                if let Some(d) = elsewhere {
                    let beside = std::path::Path::new(&l.file)
                        .parent()
                        .map(|f| repo.join(f).join(arg))
                        .filter(|p| p.is_file());
                    let msg = match beside {
                        Some(p) => format!(
                            "{site}: runs `air -c {arg}`{who} in {}, a folder not on this machine that no launcher here mounts; the script sits beside {}, so that folder is likely the script's own folder mounted there, where air reads that file",
                            d.display(),
                            launches::relative(&repo, &p)
                        ),
                        None => format!(
                            "{site}: runs `air -c {arg}`{who} in {}, a folder not on this machine that no launcher here mounts: whether {arg} is there cannot be known from here",
                            d.display()
                        ),
                    };
                    out.push(Finding::info(msg).with_evidence(ev(Id::LaunchConfigMissing)));
                    continue;
                }
                // Another folder's config (a `worker` service naming cmd/worker/) is not
                // this one's to replace.
                let msg = if looked
                    .as_deref()
                    .is_some_and(|l| l.parent() != path.parent())
                {
                    format!(
                        "{site}: runs `air -c {arg}`{who}, which is not there{at}: air stops (\"no such file or directory\"){}; create it (`air init` writes one) or point -c at a config that exists",
                        fallback_note(&repo, c)
                    )
                } else {
                    let suggested = c
                        .cwd
                        .as_deref()
                        .map_or(name.to_string(), |d| launches::relative(d, path));
                    // The path is right from where air runs, but nothing puts the file there
                    // (an image that copies only go.mod): the same path is no fix.
                    let same =
                        crate::filepath::clean_str(&suggested) == crate::filepath::clean_str(arg);
                    match same {
                        true => format!(
                            "{site}: runs `air -c {arg}`{who}, which is not there{at}: air stops (\"no such file or directory\"){}; nothing copies or mounts {} there: mount the folder that holds it or COPY it into the image",
                            fallback_note(&repo, c),
                            launches::relative(&repo, path)
                        ),
                        false => format!(
                            "{site}: runs `air -c {arg}`{who}, which is not there{at}: air stops (\"no such file or directory\"){}; use -c {suggested}",
                            fallback_note(&repo, c),
                        ),
                    }
                };
                // Only a fail when no launcher starts air with this file at all, here.
                let f = if places.is_empty() && c.container.is_none() {
                    Finding::fail(msg)
                } else {
                    Finding::warn(msg)
                };
                out.push(f.with_evidence(ev(Id::LaunchConfigMissing)));
            }
            // `-c .air.toml`, each developer's copy of the template judged here, not made
            // on this machine: air stops until it is.
            ConfigRef::Read(template)
                if template == path
                    && crate::reloaders::air::launch::is_template_of(
                        template,
                        c.config_arg.as_deref().unwrap_or(".air.toml"),
                    ) =>
            {
                let arg = c.config_arg.clone().unwrap_or(".air.toml".into());
                let ignored = gitignored(&repo, template, &arg)
                    .map(|at| format!(" ({at} keeps it out of git)"))
                    .unwrap_or_default();
                let copy = std::path::Path::new(&arg)
                    .file_name()
                    .map_or(arg.clone(), |n| n.to_string_lossy().into_owned());
                // Said once, at the first launcher that runs the copy that way.
                // `air -c` stops on a missing file; plain air runs its defaults instead.
                let (runs, until) = match (&c.config_arg, c.cwd.as_deref()) {
                    (Some(_), _) => (
                        format!("runs `air -c {arg}`"),
                        "air stops (\"no such file or directory\")".to_string(),
                    ),
                    (None, cwd) => (
                        "runs plain `air`, which reads .air.toml".to_string(),
                        match cwd.and_then(DefaultsBuild::fails_in) {
                            Some(d) => format!("air runs its defaults, whose build `go build -o ./tmp/main .` cannot make the app there: {}", d.says()),
                            None => "air runs its defaults, not these settings".to_string(),
                        },
                    ),
                };
                let said = format!(
                    "{runs}{who}, each developer's copy of {name}{ignored}, which is not made here: until `cp {name} {copy}` (in its folder), {until}; the copy is judged as {name} says"
                );
                let said_before = out.iter().any(|f| {
                    f.evidence["problem"] == Id::LaunchConfigMissing.id()
                        && f.evidence["config"] == json!(c.config_arg)
                });
                if !said_before {
                    out.push(
                        Finding::warn(format!("{site}: {said}"))
                            .with_evidence(ev(Id::LaunchConfigMissing)),
                    );
                }
            }
            ConfigRef::Defaults if c.cwd.as_deref() != path.parent() => {
                let cwd = c
                    .cwd
                    .as_deref()
                    .map_or(String::new(), |d| ctx.project.display_path(d));
                // A path of this machine is no path in a container: there, only a config
                // inside the folder air runs in is named.
                let pass = match c.cwd.as_deref() {
                    Some(d) if c.container.is_some() && !path.starts_with(d) => format!(
                        "; {name} is outside the folder the container runs air in, so give that folder a config (or mount {name} there)"
                    ),
                    d => format!(
                        "; pass it with `air -c {}`",
                        d.map_or(name.to_string(), |d| launches::relative(d, path))
                    ),
                };
                out.push(
                    Finding::warn(format!(
                        "{site}: runs plain `air`{who} in {cwd}, where there is no .air.toml: air runs with its defaults there, not with {name}{pass}"
                    ))
                    .with_evidence(ev(Id::LaunchRunsDefaults)),
                );
            }
            // Plain air in the config's own folder, where another launcher passes the config
            // with `air -c` (vladanan/vezbamo4's `go_live_reload: @air` beside `devgo: @air -c
            // .air.go_and_triger_templ.toml`): this launch runs air's defaults, judged against
            // that folder. With no launcher passing it, the unread config's finding says it.
            ConfigRef::Defaults
                if !places.is_empty()
                    && !c
                        .overrides
                        .iter()
                        .any(|(k, _)| k == air_keys::BUILD_CMD.path) =>
            {
                let Some(broken) = c.cwd.as_deref().and_then(DefaultsBuild::fails_in) else {
                    continue;
                };
                let own = path
                    .file_name()
                    .map_or(name.to_string(), |n| n.to_string_lossy().into_owned());
                let msg = format!(
                    "{site}: runs plain `air`{who} here, where there is no .air.toml: air runs with its defaults, not with {name}, and their build `go build -o ./tmp/main .` cannot make the app here: {}; air never starts the app that way; pass a config there (`air -c {own}`), or one whose cmd builds the folder that holds `package main`",
                    broken.says()
                );
                if !out.iter().any(|f| f.message == msg) {
                    let mut evidence = ev(Id::LaunchRunsDefaults);
                    if let Some(o) = evidence.as_object_mut() {
                        o.insert("defaults_build".into(), json!(broken.id()));
                    }
                    out.push(Finding::fail(msg).with_evidence(evidence));
                }
            }
            // Only worth saying when nothing starts air with the file checked here (in a
            // monorepo every service's launcher reads its own config). The other file is
            // judged too, where this launcher runs it.
            ConfigRef::Read(other)
                if places.is_empty()
                    && c.cwd.as_deref() == Some(root.as_path())
                    && other != path =>
            {
                let said = format!(
                    "{site}: runs air{who} with {}: that way air reads it, not {name}; no launcher runs {name}, so it is judged as plain `air` typed here, which is assumed",
                    ctx.project.display_path(other)
                );
                // The same line read on the host and in a container that runs its target
                // (`make up-api-dev` in a compose service) is said once.
                if !out.iter().any(|f| f.message == said) {
                    out.push(Finding::info(said).with_evidence(ev(Id::OtherConfigLaunched)));
                }
            }
            _ => {}
        }
    }
    // What a Dockerfile nothing here builds would do (it may be unused): notes.
    let unbuilt: Vec<&str> = contexts
        .iter()
        .filter(|c| ours(c) && c.container.as_ref().is_some_and(|k| k.unbuilt))
        .map(|c| c.launcher.file.as_str())
        .collect();
    for f in &mut out {
        if f.evidence["file"]
            .as_str()
            .is_some_and(|file| unbuilt.contains(&file))
        {
            f.severity = f.severity.min(crate::model::Severity::Info);
        }
    }
    let mut unread = false;
    // Also a file a launch's plain air finds at its default name, as a container holds it
    // (`COPY ./docker/go/.air.toml ./.air.toml` before `ENTRYPOINT ["air"]`).
    let plain_reads = [".air.toml", ".config/air.toml"]
        .iter()
        .any(|n| root.join(n) == path)
        || places.iter().flat_map(|p| &p.launches).any(|l| {
            l.config_arg.is_none()
                && l.config == ConfigRef::Read(path.to_path_buf())
                && !name.ends_with(".air.conf")
        });
    if !plain_reads {
        let by = places
            .iter()
            .flat_map(|p| &p.launches)
            .next()
            .map(|l| l.describe());
        let why = if name.ends_with(".air.conf") {
            "air reads .air.toml or .config/air.toml (.air.conf only before v1.63.2)"
        } else {
            "air reads .air.toml or .config/air.toml"
        };
        let old_air = installed
            .and_then(|a| a.version)
            .filter(|v| *v < (1, 63, 2) && name.ends_with(".air.conf"));
        let copied = places.iter().flat_map(|p| &p.launches).any(|l| {
            crate::reloaders::air::launch::is_template_of(
                path,
                l.config_arg.as_deref().unwrap_or(".air.toml"),
            )
        });
        // A launcher whose air reads .air.conf by default (a release before v1.63.2).
        let by_default = places
            .iter()
            .flat_map(|p| &p.launches)
            .find(|l| l.config_arg.is_none() && !copied);
        unread =
            by_default.is_none() && by.is_none() && old_air.is_none() && unknown_folder.is_none();
        let mut defaults_break: Option<DefaultsBuild> = None;
        let mut leftover = false;
        let f = match (by_default, by, old_air) {
            (Some(l), _, _) => Finding::info(format!(
                "{} runs plain `air`, and {} still reads {name}; v1.63.2 and later never do (they run with defaults): rename it to .air.toml before updating that air",
                l.launcher.describe(),
                l.air.as_ref().map_or("its air".to_string(), ToString::to_string)
            )),
            (None, _, Some(v)) => Finding::info(format!(
                "your air v{}.{}.{} still reads {name}; v1.63.2 and later never do (they run with defaults): rename it to .air.toml before updating",
                v.0, v.1, v.2
            )),
            (None, Some(by), None) => Finding::info(match copied {
                true => format!("{name} is a template: {by} runs air with a copy of it"),
                false => format!("plain `air` does not read {name} ({why}); {by} passes it with `air -c`, which does"),
            }),
            (None, None, None) if unknown_folder.is_some() => Finding::info(format!(
                "plain `air` does not read {name} ({why}); {} passes `-c {}` in a folder not known here (a cd to a variable), which reads it if that is this folder",
                unknown_folder.map_or(String::new(), |l| l.launcher.describe()),
                unknown_folder.and_then(|l| l.config_arg.clone()).unwrap_or_default(),
            )),
            // `.air.dev.toml` alone, `build/air.toml` whose build runs only from here: nothing
            // else can be meant, and renaming it would not do.
            (None, None, None) if assumed => {
                let folder = match name.contains('/') {
                    true => "the module root",
                    false => "this folder",
                };
                Finding::info(match basis.documented {
                    true => format!(
                        "plain `air` does not read {name} ({why}); the project's README runs `air -c {name}`, and it is judged so, in {folder}"
                    ),
                    false => format!(
                        "plain `air` does not read {name} ({why}) and no launcher names it: it is judged as `air -c {name}` run in {folder}, which is assumed{}",
                        in_own_folder(ctx, path).unwrap_or_default()
                    ),
                })
            }
            // A file in another folder (`build/air.toml`) renamed there would still not be read.
            (None, None, None) => {
                let advice = match name.contains('/') {
                    true => format!("run `air -c {name}` or move it to .air.toml in this folder"),
                    false => format!("rename it to .air.toml or run `air -c {name}`"),
                };
                // A launcher that runs plain air here (`make dev` running `@air`): the defaults
                // are what runs. With none, how air is started is not known (a README's
                // `air --build.cmd ...`, a Dockerfile stage not found): no more than a warning.
                // One that runs air on no condition is named first (a compose base's service
                // before a second file's merged over it).
                let plain_here = contexts
                    .iter()
                    .filter(|c| {
                        c.config == ConfigRef::Defaults && c.cwd.as_deref() == Some(root.as_path())
                    })
                    .min_by_key(|c| c.condition().is_some());
                // With no launcher known, how air is started is known only for an .air.conf
                // beside the code: airs before v1.63.2 read it when started as plain `air`, so
                // that is how it was used (2943785277/go-admin); the defaults that run now are
                // judged the same. An air.toml no plain air ever read may be used with
                // `--build.cmd` (0xLaurens/seemless.app's README): no more than the warning.
                let old_default = *path == root.join(".air.conf");
                defaults_break = match (plain_here, contexts.is_empty() && old_default) {
                    (Some(_), _) | (None, true) => DefaultsBuild::fails_in(root),
                    (None, false) => None,
                };
                // air reads .air.toml from the folder it starts in: a file in a subfolder is
                // read by `air` started inside that subfolder, not in the module root.
                let plain = match name.rsplit_once('/') {
                    Some((dir, _)) => format!(
                        "plain `air` in the module root (only `air` started inside {dir}/ reads it)"
                    ),
                    None => "plain `air`".to_string(),
                };
                // A config beside others that launchers pass with `air -c` (air/.air.toml
                // among air/.air-server.toml, ...), itself passed by none: a leftover. So is
                // one in a subfolder of the module (abisalde/go-showcase's configs/air.toml)
                // while launchers pass configs of the module root: plain air in the root
                // never reads it, and no launcher starts air in its folder.
                let in_subfolder = path.parent().is_some_and(|d| {
                    d != root.as_path() && d.starts_with(root) && !d.join("go.mod").is_file()
                });
                let runs_in_its_folder = contexts
                    .iter()
                    .any(|c| c.cwd.is_some() && c.cwd.as_deref() == path.parent());
                let sibling = contexts.iter().find_map(|c| match &c.config {
                    ConfigRef::Read(other)
                        if other != path
                            && (other.parent() == path.parent()
                                || (in_subfolder
                                    && !runs_in_its_folder
                                    && other.parent() == Some(root.as_path())))
                            && c.config_arg.is_some() =>
                    {
                        Some((c, other))
                    }
                    _ => None,
                });
                match (defaults_break, plain_here) {
                    (None, None) if sibling.is_some() => {
                        let (c, other) = sibling.expect("checked");
                        leftover = true;
                        Finding::info(format!(
                            "{name} looks like a leftover: no launcher uses it, while {} passes {}, {}, with `air -c`; {plain} never reads it ({why}); delete it, or pass it with `air -c {name}` if it is still meant to be used",
                            c.launcher.describe(),
                            ctx.project.display_path(other),
                            match other.parent() == path.parent() {
                                true => "beside it",
                                false => "in the module root",
                            }
                        ))
                    }
                    // The defaults' build cannot make the app here: air never starts it.
                    (Some(broken), Some(l)) => Finding::fail(format!(
                        "{} runs plain `air`, which never reads {name} ({why}): it runs with its defaults, whose build `go build -o ./tmp/main .` cannot make the app here: {}; air never starts the app; {advice}",
                        l.launcher.describe(),
                        broken.says()
                    )),
                    (Some(broken), None) => Finding::fail(format!(
                        "{plain} never reads {name} ({why}): it runs with its defaults, whose build `go build -o ./tmp/main .` cannot make the app here: {}; air never starts the app; {advice}",
                        broken.says()
                    )),
                    // Whether plain air reads .air.conf depends on its release: of an air whose
                    // release is not known (an unversioned download, an install not read)
                    // that is not known either.
                    (None, Some(l))
                        if name.ends_with(".air.conf")
                            && l.air.as_ref().is_some_and(|a| a.is_unknown()) =>
                    {
                        Finding::info(format!(
                            "{} runs plain `air`, an {}: releases before v1.63.2 read {name} by default, v1.63.2 and later never do (they run with defaults); rename it to .air.toml or run `air -c {name}` so that every release reads it",
                            l.describe(),
                            l.air.as_ref().expect("checked")
                        ))
                    }
                    (None, Some(l)) => Finding::warn(format!(
                        "{} runs plain `air`, which never reads {name} ({why}): it runs with its defaults and ignores every setting here; {advice}",
                        l.describe()
                    )),
                    _ => Finding::warn(format!(
                        "{plain} never reads {name} ({why}): it runs with its defaults and ignores every setting here; {advice}"
                    )),
                }
            }
        };
        let mut evidence = json!({"file": name, "problem": Id::ConfigNotRead, "assumed": assumed, "leftover": leftover});
        if let Some(broken) = defaults_break {
            evidence["defaults_build"] = json!(broken.id());
        }
        out.push(f.with_evidence(evidence));
    }
    (out, unread)
}

/// Where a `.gitignore` of the repository keeps the copy `arg` of `template` (made beside the
/// template) out of git, by git's rules ("file:line", from `repo`), if one does.
fn gitignored(repo: &std::path::Path, template: &std::path::Path, arg: &str) -> Option<String> {
    let name = std::path::Path::new(arg).file_name()?;
    let copy = template.parent()?.join(name);
    let rel = copy.strip_prefix(repo).ok()?;
    let r = crate::system::gitignore::ignoring_rule(repo, &rel.to_string_lossy(), false)?;
    Some(r.at(repo))
}

/// No config here, and a launcher runs `air -c FILE` here with a FILE that is not there: air
/// stops ("no such file or directory"). A fail on this machine; in a container, or where the
/// launcher's folder is a guess, a warning. A `|| go run ./cmd` after it (Makefile `dev:
/// air -c .air.toml || go run ./cmd`) starts the app without reload: the failure is hidden.
pub(super) fn missing_here(ctx: &Context, contexts: &[LaunchContext]) -> Vec<Finding> {
    let root = &ctx.project.root;
    let real = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let repo = crate::reloaders::air::launch::repository_root(root);
    let mut out: Vec<Finding> = vec![];
    for c in contexts {
        let ConfigRef::Missing(arg, looked) = &c.config else {
            continue;
        };
        if c.cwd.as_deref().map(real) != Some(real(root)) {
            continue;
        }
        let l = &c.launcher;
        let site = format!("{}:{}", l.file, l.line);
        let who = match (l.what(), c.condition()) {
            (Some(w), Some(when)) => format!(" ({w}, {when})"),
            (Some(w), None) => format!(" ({w})"),
            (None, Some(when)) => format!(" ({when})"),
            (None, None) => String::new(),
        };
        let at = looked
            .as_ref()
            .map(|p| format!(" ({})", ctx.project.display_path(p)))
            .unwrap_or_default();
        let fallback = fallback_note(&repo, c);
        let msg = format!(
            "{site}: runs `air -c {arg}`{who}, which is not there{at}: air stops (\"no such file or directory\"){fallback}; create it (`air init` writes one) or point -c at a config that exists"
        );
        let f = if c.container.is_none() && c.condition().is_none() {
            Finding::fail(msg)
        } else {
            Finding::warn(msg)
        };
        if !out.iter().any(|o| o.message == f.message) {
            out.push(f.with_evidence(json!({"file": l.file, "line": l.line, "problem": Id::LaunchConfigMissing, "config": c.config_arg, "in_container": c.container.is_some(), "target": l.target})));
        }
    }
    out.retain(|f| ctx.options.problems.keeps(super::CHECK.id, f));
    super::claims::add(&mut out);
    out
}

/// "; the `|| go run ./cmd` after it then starts the app without reload, which hides that",
/// for a launcher line with a `||` fallback after the air call; else empty.
fn fallback_note(repo: &std::path::Path, c: &LaunchContext) -> String {
    let l = &c.launcher;
    launcher_line(repo, c)
        .and_then(|t| {
            let after = &t[t.find(&l.command).map_or(0, |i| i + l.command.len())..];
            let alt = after.split_once("||")?.1.trim();
            let alt = alt.split(['&', ';', '|']).next().unwrap_or(alt).trim();
            (!alt.is_empty()).then(|| alt.to_string())
        })
        .map(|alt| {
            format!(
                "; the `|| {alt}` after it then starts the app without reload, which hides that"
            )
        })
        .unwrap_or_default()
}

/// The text of the launcher's line as written (one line of its file).
fn launcher_line(repo: &std::path::Path, c: &LaunchContext) -> Option<String> {
    let text = crate::system::files::read_to_string(repo.join(&c.launcher.file)).ok()?;
    text.lines()
        .nth(c.launcher.line.checked_sub(1)?)
        .map(str::to_string)
}

/// What plain `air` typed in the config's own folder (where it reads `.air.toml`) would do,
/// when the build there cannot make the app: cmd builds a library package (`configs/`, package
/// configs), so go writes an archive and air's start of it fails ("Permission denied", exit
/// 126). Only a note: the context judged (`air -c` from the module root) works.
fn in_own_folder(ctx: &Context, path: &std::path::Path) -> Option<String> {
    let dir = path.parent()?;
    let read_there = path.file_name().is_some_and(|n| n == ".air.toml");
    if !read_there || dir == ctx.project.root {
        return None;
    }
    let cmd = &ctx.project.air.build.cmd;
    let plan = crate::golang::build_plan::BuildPlan::parse(cmd);
    if plan.approximation.is_some() || !plan.listed_files().is_empty() {
        return None;
    }
    let package = crate::golang::source::library_package(&plan.main_dir(dir))?;
    let folder = ctx.project.display_path(dir);
    Some(format!(
        "; typed as plain `air` in {folder}/, where air reads it, its build `{cmd}` builds package {package} (no `package main` there), so go writes a package archive and air's start of it fails (\"Permission denied\", exit 126): run it from the module root with `-c`"
    ))
}

/// "the image golang:1.22", "Dockerfile.dev's image (golang:1.21-alpine)".
/// The targets (compose services) of the launcher file of `c` that run air in the image `c`
/// runs, in order; empty when the image is not known.
fn same_image(
    contexts: &[LaunchContext],
    c: &LaunchContext,
    ours: &dyn Fn(&LaunchContext) -> bool,
) -> Vec<String> {
    let image = |o: &LaunchContext| {
        o.container
            .as_ref()
            .filter(|k| k.programs.is_some())
            .map(|k| (image_named(k), k.toolchain.clone()))
    };
    let (Some(mine), Some(_)) = (image(c), &c.launcher.target) else {
        return vec![];
    };
    let mut out: Vec<String> = vec![];
    for o in contexts
        .iter()
        .filter(|o| ours(o) && o.launcher.file == c.launcher.file)
    {
        match &o.launcher.target {
            Some(t) if image(o).as_ref() == Some(&mine) && !out.contains(t) => out.push(t.clone()),
            _ => {}
        }
    }
    out
}

fn image_named(container: &crate::reloaders::air::launch::Container) -> String {
    container
        .programs
        .as_ref()
        .map(|p| match p.dockerfile.as_str() {
            "" => format!("the image {}", p.base_image),
            d => format!("{d}'s image ({})", p.base_image),
        })
        .unwrap_or_else(|| "the image".into())
}

/// The project's go.mod `go` line: its Go minor, the line as written, and the go.mod
/// (displayed) with the line's number.
fn project_go(ctx: &Context) -> Option<(u32, String, String)> {
    let line = ctx.project.go_mod.as_ref()?.go.clone()?;
    let minor = crate::golang::version::go_minor(&line)?;
    let at = ctx
        .project
        .root
        .ancestors()
        .map(|d| d.join("go.mod"))
        .find(|p| p.is_file())
        .map(|p| {
            let n = crate::system::files::read_to_string(&p)
                .ok()
                .and_then(|t| {
                    t.lines()
                        .position(|l| l.split_whitespace().next() == Some("go"))
                })
                .map(|i| format!(":{}", i + 1))
                .unwrap_or_default();
            format!("{}{n}", ctx.project.display_path(&p))
        })
        .unwrap_or_else(|| "go.mod".into());
    Some((minor, line, at))
}

/// A container whose image's Go (a golang image: GOTOOLCHAIN=local) is older than the go
/// line of the module air builds there: go 1.21 and later stop every build in that module,
/// so air never starts the app, whatever air is installed. A warning: the image is not
/// built here. With the facts for its evidence.
fn image_go_too_old(
    ctx: &Context,
    container: &crate::reloaders::air::launch::Container,
    site: &str,
    who: &str,
) -> Option<(Finding, serde_json::Map<String, serde_json::Value>)> {
    use crate::reloaders::air::versions::too_old_for_module;
    let (minor, line, at) = project_go(ctx)?;
    let t = &container.toolchain;
    let go =
        t.go.filter(|g| too_old_for_module(*g, t.switches, Some(&line)))?;
    let image = image_named(container);
    let message = match go >= 21 {
        true => {
            let error = format!(
                "go: go.mod requires go >= {line} (running go 1.{go}.N; GOTOOLCHAIN=local)"
            );
            let message = format!(
                "{site}: starts air{who} in {image}, whose Go 1.{go} is older than the go line of the module air builds ({at}: `go {line}`): golang images set GOTOOLCHAIN=local, so go fetches no newer Go and every go command in the module stops (\"{error}\"): each build air runs, and any the image build runs there; air never starts the app, whichever air is installed: use a golang:1.{minor} image or newer, or set GOTOOLCHAIN=auto (go then fetches the Go the go line asks for)"
            );
            (error, message)
        }
        // Go 1.16 to 1.20: no GOTOOLCHAIN, and a go.mod parser that takes only `1.N`.
        false => {
            let error = format!("go: errors parsing go.mod: {at}: invalid go version '{line}': must match format 1.23");
            let message = format!(
                "{site}: starts air{who} in {image}, whose Go 1.{go} is older than the go line of the module air builds ({at}: `go {line}`): Go 1.20 and older read only two-part go lines (`go 1.N`) and have no GOTOOLCHAIN to fetch a newer Go, so every go command in the module stops (\"{error}\"): each build air runs, and any the image build runs there; air never starts the app, whichever air is installed: use a golang:1.{minor} image or newer"
            );
            (error, message)
        }
    };
    let (error, message) = message;
    let facts = json!({"image_go": go, "go_line": line, "go_mod": at, "go_error": error});
    // A Dockerfile nothing here builds may be unused: its image's Go is a note.
    let found = match container.unbuilt {
        true => Finding::info(message),
        false => Finding::warn(message),
    };
    Some((found, facts.as_object()?.clone()))
}

/// A container whose image build stops at installing air: the image's Go is older than the
/// `go` line of the air it asks for. A warning: the image is not built here. The pin it
/// offers is for the module's Go when the image cannot build the module anyway.
fn stuck_install(
    container: &crate::reloaders::air::launch::Container,
    site: &str,
    who: &str,
    module_go: Option<&str>,
) -> Option<Finding> {
    use crate::reloaders::air::versions::{install_target, newest_for_go, pin_go, show};
    // One go refuses on any Go is said at its own line (`air_install::renamed`).
    let s = container.toolchain.stuck.as_ref().filter(|s| !s.renamed)?;
    let image = image_named(container);
    let base = pin_go(s.go, module_go);
    let pin = newest_for_go(base)
        .map(|v| match base == s.go {
            true => format!(
                "pin `{}` (the newest Go 1.{} builds) or ",
                install_target(v),
                s.go
            ),
            false => format!(
                "on a golang:1.{base} image (the module's go line: Go 1.{} cannot build it either) pin `{}` (the newest Go 1.{base} builds) or ",
                s.go,
                install_target(v)
            ),
        })
        .unwrap_or_default();
    if let Some(reason) = crate::reloaders::air::versions::gopath_reason(&s.command, s.go) {
        return Some(Finding::warn(format!(
            "{site}: starts air{who} in {image}, whose `{}` installs no air ({reason}): the image build stops there; install a release instead: `{}`",
            s.command,
            crate::reloaders::air::versions::gopath_fix(s.go)
        )));
    }
    Some(Finding::warn(format!(
        "{site}: starts air{who} in {image}, whose Go 1.{} cannot build air {} (its go.mod needs Go >= 1.{}; {}): the image build stops at `{}`; {pin}use golang:1.{} or newer",
        s.go,
        show(s.wants),
        s.needs_go,
        crate::reloaders::air::versions::why_too_old(s.go, s.needs_go),
        s.command,
        s.needs_go.max(base)
    )))
}

/// The settings air will really use (the file merged onto air's defaults), the ones the
/// findings reason about.
fn effective(c: &crate::reloaders::air::config::AirConfig) -> serde_json::Value {
    let b = &c.build;
    json!({
        "root": c.root, "tmp_dir": c.tmp_dir, "cmd": b.cmd, "bin": b.bin,
        "entrypoint": b.entrypoint, "full_bin": b.full_bin, "include_ext": b.include_ext,
        "include_dir": b.include_dir, "exclude_dir": b.exclude_dir,
        "exclude_regex": b.exclude_regex, "poll": b.poll, "delay_ms": b.delay_ms,
        "send_interrupt": b.send_interrupt, "kill_delay_ms": b.kill_delay_ms,
        "stop_on_error": b.stop_on_error,
    })
}

fn syntax_error(name: &str, text: &str, e: &toml_edit::TomlError, unread: Option<&str>) -> Outcome {
    let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    let what = e
        .message()
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid TOML")
        .trim()
        .trim_end_matches('.')
        .to_string();
    let mut findings = vec![stopping(unread, |when| format!(
        "{name}:{line}:{column}: not valid TOML ({what}); {when}air stops with \"failed to parse {name}\": fix line {line}"
    ))
    .with_evidence(json!({"file": name, "line": line, "column": column, "error": what, "problem": Id::NotToml}))];
    super::claims::add(&mut findings);
    Outcome::ran(format!("{name} is not valid TOML"), findings)
}
