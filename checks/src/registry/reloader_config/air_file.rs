//! Reading `.air.toml`: syntax errors with file:line:col, and every key against air's key set.

use super::config_file::{evidence, one_rewrite, site, sorted, too_large, AirFile};
use super::problems::Problem as Id;
use super::{air_semantics, launches, versioned};
use crate::context::Context;
use crate::model::{Finding, Outcome};
use crate::reloaders::air::edit::Edit;
use crate::reloaders::air::keys::{self as air_keys, table_label, Issue, Problem};
use crate::reloaders::air::launch::{ConfigRef, LaunchContext};
use crate::reloaders::air::written::Written;
use crate::suggest::distance;
use crate::text::line_col;
use serde_json::json;

pub(super) fn check(ctx: &Context) -> Outcome {
    if ctx.project.config_path.is_none() {
        return Outcome::ran("air with its defaults (no config file)", vec![]);
    }
    let contexts = &ctx.project.launches.contexts;
    let renamed = super::air_install::renamed(ctx, &ctx.project.launches.installs);
    let mut configs = launches::judged(ctx, contexts).into_iter();
    let Some(first) = configs.next() else {
        return Outcome::ran("air with its defaults (no config file)", renamed);
    };
    let mut outcome = judge(ctx, contexts, first.assumed, true);
    // The project's other configs, each with its own settings, in the same report.
    for other in configs {
        let here = launches::with_config(ctx, &other.path);
        let more = judge(&here, contexts, other.assumed, false);
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
            findings.extend(f);
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
        findings.extend(renamed);
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    }
    outcome
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
    let module_at = module
        .strip_prefix(repo)
        .map(|m| m.display().to_string())
        .unwrap_or_default();
    let module_name = match module_at.as_str() {
        "" => "the module root (the repository root)".to_string(),
        m => format!("the module root {m}/"),
    };
    Some(
        Finding::info(format!(
            "{name} looks like a stray copy: its folder is not a module root, no launcher runs air with it, and its build names {first}, which is only in {module_name}: started here, that build cannot run; it is not judged as a project of its own (delete it if it is a copy)"
        ))
        .with_evidence(json!({"file": name, "problem": Id::StrayConfig, "module_root": module_at, "names": only_at_module})),
    )
}

/// The findings about the config of `ctx.project`: `assumed` when no launcher names it and it
/// is judged as `air -c FILE` in the project folder; `first` for the project's own config,
/// which also answers for the repository's launchers and the air on PATH.
fn judge(ctx: &Context, contexts: &[LaunchContext], assumed: bool, first: bool) -> Outcome {
    let Some(path) = ctx.project.config_path.clone() else {
        return Outcome::ran("air with its defaults (no config file)", vec![]);
    };
    let name = ctx.project.display_path(&path);
    let installed = super::air_on_path::installed();
    let repo = crate::reloaders::air::launch::repository_root(&ctx.project.root);
    let places = launches::places(contexts, &path, &ctx.project.air);
    if let Some(stray) = stray_copy(ctx, contexts, &places, &repo, &name) {
        return Outcome::ran(format!("{name}: a stray copy, not judged"), vec![stray]);
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
        (assumed, unknown_folder),
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
                    launches::conditional_caps(&mut found, place);
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

/// A finding about what stops air: a fail where air reads the file; where nothing does
/// (plain air never reads it and no launcher passes it, `unread`), a warn on that condition.
fn stopping(unread: Option<&str>, message: impl FnOnce(&str) -> String) -> Finding {
    match unread {
        None => Finding::fail(message("")),
        Some(name) => Finding::warn(message(&format!("if run with `air -c {name}`, "))),
    }
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
    (assumed, unknown_folder): (bool, Option<&LaunchContext>),
) -> (Vec<Finding>, bool) {
    let root = &ctx.project.root;
    let repo = crate::reloaders::air::launch::repository_root(root);
    let ours = |c: &LaunchContext| launches::of_project(c, &repo, root);
    let mut out: Vec<Finding> = vec![];
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
        if let Some(f) = super::source_mount::finding(ctx, &repo, path, c, contexts) {
            out.push(f);
        }
        // A Dockerfile read alone: said at its install (`air_install::renamed`).
        let alone = l.kind == crate::reloaders::air::launch::Kind::Dockerfile;
        if let Some(f) = c
            .container
            .as_ref()
            .filter(|_| !alone)
            .and_then(|k| stuck_install(k, &site, &who))
        {
            if !out.iter().any(|o| o.message == f.message) {
                out.push(f.with_evidence(ev(Id::AirInstallFails)));
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
                    format!(
                        "{site}: runs `air -c {arg}`{who}, which is not there{at}: air stops (\"no such file or directory\"){}; use -c {}",
                        fallback_note(&repo, c),
                        c.cwd.as_deref().map_or(name.to_string(), |d| launches::relative(d, path))
                    )
                };
                // Only a fail when no launcher starts air with this file at all, here.
                let f = if places.is_empty() && c.container.is_none() {
                    Finding::fail(msg)
                } else {
                    Finding::warn(msg)
                };
                out.push(f.with_evidence(ev(Id::LaunchConfigMissing)));
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
            // Only worth saying when nothing starts air with the file checked here (in a
            // monorepo every service's launcher reads its own config). The other file is
            // judged too, where this launcher runs it.
            ConfigRef::Read(other)
                if places.is_empty()
                    && c.cwd.as_deref() == Some(root.as_path())
                    && other != path =>
            {
                out.push(
                    Finding::info(format!(
                        "{site}: runs air{who} with {}: that way air reads it, not {name}; no launcher runs {name}, so it is judged as plain `air` typed here, which is assumed",
                        ctx.project.display_path(other)
                    ))
                    .with_evidence(ev(Id::OtherConfigLaunched)),
                );
            }
            _ => {}
        }
    }
    let mut unread = false;
    let plain_reads = [".air.toml", ".config/air.toml"]
        .iter()
        .any(|n| root.join(n) == path);
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
        // A launcher whose air reads .air.conf by default (a release before v1.63.2).
        let by_default = places
            .iter()
            .flat_map(|p| &p.launches)
            .find(|l| l.config_arg.is_none());
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
            (None, Some(by), None) => Finding::info(format!(
                "plain `air` does not read {name} ({why}); {by} passes it with `air -c`, which does"
            )),
            (None, None, None) if unknown_folder.is_some() => Finding::info(format!(
                "plain `air` does not read {name} ({why}); {} passes `-c {}` in a folder not known here (a cd to a variable), which reads it if that is this folder",
                unknown_folder.map_or(String::new(), |l| l.launcher.describe()),
                unknown_folder.and_then(|l| l.config_arg.clone()).unwrap_or_default(),
            )),
            // `.air.dev.toml` alone, `build/air.toml` whose build runs only from here: nothing
            // else can be meant, and renaming it would not do.
            (None, None, None) if assumed => Finding::info(format!(
                "plain `air` does not read {name} ({why}) and no launcher names it: it is judged as `air -c {name}` run in {}, which is assumed{}",
                match name.contains('/') {
                    true => "the module root",
                    false => "this folder",
                },
                in_own_folder(ctx, path).unwrap_or_default()
            )),
            // A file in another folder (`build/air.toml`) renamed there would still not be read.
            (None, None, None) => {
                let advice = match name.contains('/') {
                    true => format!("run `air -c {name}` or move it to .air.toml in this folder"),
                    false => format!("rename it to .air.toml or run `air -c {name}`"),
                };
                // A launcher that runs plain air here (`make dev` running `@air`): the defaults
                // are what runs. With none, how air is started is not known (a README's
                // `air --build.cmd ...`, a Dockerfile stage not found): no more than a warning.
                let plain_here = contexts.iter().find(|c| {
                    c.config == ConfigRef::Defaults && c.cwd.as_deref() == Some(root.as_path())
                });
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
                // among air/.air-server.toml, ...), itself passed by none: a leftover.
                let sibling = contexts.iter().find_map(|c| match &c.config {
                    ConfigRef::Read(other)
                        if other != path
                            && other.parent() == path.parent()
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
                            "{name} looks like a leftover: no launcher uses it, while {} passes {}, beside it, with `air -c`; {plain} never reads it ({why}); delete it, or pass it with `air -c {name}` if it is still meant to be used",
                            c.launcher.describe(),
                            ctx.project.display_path(other)
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
}

impl DefaultsBuild {
    /// None when the folder holds a `package main` with `func main` (the build works).
    pub(super) fn fails_in(dir: &std::path::Path) -> Option<DefaultsBuild> {
        if !crate::golang::source::builds_a_go_file_in(dir) {
            return Some(DefaultsBuild::NoGoFiles);
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
        }
    }

    fn id(self) -> &'static str {
        match self {
            DefaultsBuild::NoGoFiles => "no-go-files",
            DefaultsBuild::NotMain => "not-main",
            DefaultsBuild::MainRedeclared(_) => "main-redeclared",
        }
    }
}

/// `x_linux.go`, `x_amd64.go`, `x_windows_arm64.go`: go builds it on one platform only.
fn platform_suffix(name: &str) -> bool {
    const KNOWN: &[&str] = &[
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
        "386",
        "amd64",
        "arm",
        "arm64",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "ppc64",
        "ppc64le",
        "riscv64",
        "s390x",
        "wasm",
    ];
    let stem = name.trim_end_matches(".go");
    let parts: Vec<&str> = stem.split('_').collect();
    parts.len() > 1
        && parts
            .iter()
            .skip(1)
            .rev()
            .take(2)
            .any(|p| KNOWN.contains(p))
}

/// A container whose image build stops at installing air: the image's Go is older than the
/// `go` line of the air it asks for. A warning: the image is not built here.
fn stuck_install(
    container: &crate::reloaders::air::launch::Container,
    site: &str,
    who: &str,
) -> Option<Finding> {
    use crate::reloaders::air::versions::{install_target, newest_for_go, show};
    // One go refuses on any Go is said at its own line (`air_install::renamed`).
    let s = container.toolchain.stuck.as_ref().filter(|s| !s.renamed)?;
    let image = container
        .programs
        .as_ref()
        .map(|p| match p.dockerfile.as_str() {
            "" => format!("the image {}", p.base_image),
            d => format!("{d}'s image ({})", p.base_image),
        })
        .unwrap_or_else(|| "the image".into());
    let pin = newest_for_go(s.go)
        .map(|v| {
            format!(
                "pin `{}` (the newest Go 1.{} builds) or ",
                install_target(v),
                s.go
            )
        })
        .unwrap_or_default();
    Some(Finding::warn(format!(
        "{site}: starts air{who} in {image}, whose Go 1.{} cannot build air {} (its go.mod needs Go >= 1.{}; golang images set GOTOOLCHAIN=local): the image build stops at `{}`; {pin}use golang:1.{} or newer",
        s.go,
        show(s.wants),
        s.needs_go,
        s.command,
        s.needs_go
    )))
}

/// A config plain air never reads changes nothing by itself: its unknown keys are notes
/// (air would ignore them even if it read the file), and when its settings are air's own
/// defaults here (AndrianMeyhta/microsyncpro's backend/air.toml: the cmd, bin, include_ext
/// and delay `air init` writes, an exclude_dir naming no folder air would watch either way)
/// air behaves the same whether it reads the file or not: not reading it is a note too.
fn unread_is_harmless(file: &AirFile, name: &str, written: &Written, findings: &mut [Finding]) {
    let ctx = file.ctx;
    let same = same_as_defaults(written, &ctx.project.root, false);
    let waits_only = !same && same_as_defaults(written, &ctx.project.root, true);
    // What air would do wrong with the file, were it read, where air's defaults build the app
    // (2SSK/task_manager's `cmd = "go build -o {{.Output}} {{.Input}}"`): the file is not
    // what the user loses; reading it is what would break.
    let broken = match same || waits_only || DefaultsBuild::fails_in(&ctx.project.root).is_some() {
        true => None,
        false => {
            // Judged only to choose the advice: its fixes join no rewrite.
            let kept = file.edits.borrow().len();
            let fail = air_semantics::findings(file)
                .into_iter()
                .find(|f| f.severity == crate::model::Severity::Fail);
            file.edits.borrow_mut().truncate(kept);
            fail
        }
    };
    for f in findings.iter_mut() {
        if f.severity != crate::model::Severity::Warn {
            continue;
        }
        if f.evidence["problem"] == Id::UnknownKey.id() {
            f.severity = crate::model::Severity::Info;
            f.message = format!(
                "{}; air never reads {name} anyway, so this changes nothing now",
                f.message
            );
        } else if same && f.evidence["problem"] == Id::ConfigNotRead.id() {
            f.severity = crate::model::Severity::Info;
            f.message = format!(
                "plain `air` never reads {name} (air reads .air.toml or .config/air.toml), but every setting in it does here what air's defaults do (or names what no file, folder or Go code here holds): air behaves the same either way; delete it, or rename it to .air.toml to keep it as the config air reads"
            );
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("same_as_defaults".into(), json!(true));
            }
        } else if waits_only && f.evidence["problem"] == Id::ConfigNotRead.id() {
            f.severity = crate::model::Severity::Info;
            f.message = format!(
                "plain `air` never reads {name} (air reads .air.toml or .config/air.toml); it differs from air's defaults here only in {}: air watches, builds and runs the same either way; delete it, or rename it to .air.toml to keep {}",
                minor_differences(written).join(", "),
                "those settings"
            );
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("same_as_defaults".into(), json!("but-timing"));
            }
        } else if let (Some(fail), true) =
            (&broken, f.evidence["problem"] == Id::ConfigNotRead.id())
        {
            if !never_builds(fail) {
                // Something air would do wrong with it (a rebuild loop), while the file holds
                // what the defaults lose (swag before the build): still a warning, whose advice
                // says what to fix before it is read.
                f.message = format!(
                    "{}; but fix it before air reads it: {}",
                    f.message, fail.message
                );
                continue;
            }
            f.severity = crate::model::Severity::Info;
            f.message = format!(
                "plain `air` never reads {name} (air reads .air.toml or .config/air.toml), and air's defaults build and run the app here; were {name} read, air would fail: {}; so do not rename it or pass `air -c {name}`, which would break the build: delete it, or fix it first",
                fail.message
            );
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("would_fail".into(), fail.evidence["problem"].clone());
            }
        }
    }
}

/// A fail that means the file's build or start never gives the app (not a loop, not one
/// platform's path rule): reading such a file is what would break a working setup.
fn never_builds(fail: &Finding) -> bool {
    [
        Id::UnexpandedTemplate,
        Id::BuildSourceMissing,
        Id::BuildWithoutOutput,
        Id::BinaryMismatch,
        Id::BinWithArguments,
        Id::BinWithSpace,
        Id::GoRunAsBuild,
        Id::WatcherInBuild,
    ]
    .iter()
    .any(|id| fail.evidence["problem"] == id.id())
}

/// Whether air run with `written` in `root` does what air with no file does: the same
/// settings after air's merge (a path written "./" or "tmp/" the same as "." or "tmp", an
/// exclude_dir that leaves the same folders watched), no key air's model does not hold set
/// away from its default (post_cmd, rules, rerun), only the look ([log], [color], [screen],
/// [misc]) changed.
fn same_as_defaults(written: &Written, root: &std::path::Path, waits_aside: bool) -> bool {
    use crate::reloaders::air::config::{clean_rel, AirConfig};
    use crate::reloaders::watch_tree::{walk, Rules};
    let Ok(mut file) = AirConfig::read(written) else {
        return false;
    };
    let mut air = AirConfig::default();
    if !file.type_errors.is_empty() {
        return false;
    }
    for c in [&mut file, &mut air] {
        for p in [&mut c.root, &mut c.tmp_dir, &mut c.testdata_dir] {
            *p = clean_rel(p.trim_end_matches('/'));
        }
    }
    if file.build.exclude_dir != air.build.exclude_dir && file.root == air.root {
        let watched = |c: &AirConfig| -> Vec<String> {
            walk(root, &Rules::air_in(c, root))
                .dirs
                .into_iter()
                .map(|d| d.rel)
                .collect()
        };
        if watched(&file) == watched(&air) {
            file.build.exclude_dir.clone_from(&air.build.exclude_dir);
        }
    }
    // Extensions one side takes and the other not, where no watched folder holds such a
    // file (retroboard's include_ext ["go"] in a tree without templates): the same rebuilds.
    if file.build.include_ext != air.build.include_ext && file.root == air.root {
        let ext_of = |n: &str| n.rsplit_once('.').map(|(_, e)| e.to_string());
        let differing: Vec<&String> = file
            .build
            .include_ext
            .iter()
            .filter(|e| !air.build.include_ext.contains(e))
            .chain(
                air.build
                    .include_ext
                    .iter()
                    .filter(|e| !file.build.include_ext.contains(e)),
            )
            .collect();
        let holds_one = walk(root, &Rules::air_in(&air, root))
            .dirs
            .iter()
            .chain(walk(root, &Rules::air_in(&file, root)).dirs.iter())
            .any(|d| {
                std::fs::read_dir(root.join(&d.rel)).map_or(true, |entries| {
                    entries.flatten().any(|e| {
                        e.file_type().is_ok_and(|t| !t.is_dir())
                            && ext_of(&e.file_name().to_string_lossy())
                                .is_some_and(|x| differing.contains(&&x))
                    })
                })
            });
        if !holds_one {
            file.build.include_ext.clone_from(&air.build.include_ext);
        }
    }
    // The program air starts, as air runs it (full_bin in place of bin; bin made absolute, so
    // `tmp/main` is `./tmp/main`), less `NAME=value` words before it that no Go code here
    // reads (qalens/retroboard's `APP_ENV=dev ./tmp/main`).
    let runs = |c: &AirConfig| -> String {
        let line = match c.build.full_bin.trim() {
            "" => c.build.bin.as_str(),
            full => full,
        };
        let mut words: Vec<&str> = line.split_whitespace().collect();
        while let Some(name) = words.first().and_then(|w| env_assignment(w)) {
            if env_read(root, name) {
                break;
            }
            words.remove(0);
        }
        let mut words: Vec<String> = words.into_iter().map(String::from).collect();
        if let Some(first) = words.first_mut() {
            if !first.starts_with('/') {
                *first = clean_rel(first);
            }
        }
        words.join(" ")
    };
    if file.build.entrypoint.is_none() && runs(&file) == runs(&air) {
        file.build.bin.clone_from(&air.build.bin);
        file.build.full_bin.clone_from(&air.build.full_bin);
    }
    if waits_aside {
        file.build.delay_ms = air.build.delay_ms;
        // After a failed build air starts the old binary or not: what happens only once a
        // build has failed, a note of its own (stop_on_error), not what air builds or runs.
        file.build.stop_on_error = air.build.stop_on_error;
    }
    if file != air {
        return false;
    }
    // Keys the model above leaves out: set to anything but air's default (or a zero value
    // air skips), they change what air does.
    let looks = ["log.", "color.", "screen.", "misc."];
    air_keys::KEYS
        .iter()
        .filter(|k| !looks.iter().any(|t| k.path.starts_with(t)))
        .filter(|k| !matches!(k.kind, air_keys::Kind::Table))
        // A wait in milliseconds (rerun_delay, poll_interval) changes only timing.
        .filter(|k| !(waits_aside && k.kind == air_keys::Kind::Millis))
        // The name of the file in tmp_dir air writes build errors to.
        .filter(|k| !(waits_aside && k.path == air_keys::BUILD_LOG.path))
        .all(|k| match written.get(k.path) {
            None => true,
            Some(item) => {
                let shown = |v: &toml_edit::Value| {
                    let mut v = v.clone();
                    v.decor_mut().clear();
                    match v {
                        toml_edit::Value::Array(mut a) => {
                            a.fmt();
                            a.to_string()
                        }
                        v => v.to_string(),
                    }
                };
                let zero = item.as_value().is_some_and(|v| match v {
                    toml_edit::Value::String(s) => s.value().is_empty(),
                    toml_edit::Value::Integer(i) => *i.value() == 0,
                    toml_edit::Value::Boolean(b) => !*b.value(),
                    toml_edit::Value::Array(a) => a.is_empty(),
                    _ => false,
                });
                let default = k.air_value().map(|d| shown(&d));
                zero && (k.kind.skips_zero() || default.is_none())
                    || item.as_value().map(shown).is_some_and(|v| Some(v) == default)
                    // What the model holds was compared above.
                    || modelled(k.path)
            }
        })
}

/// What a file that differs from air's defaults only aside (see [`same_as_defaults`]) sets:
/// how long air waits, stop_on_error, the build log's name.
fn minor_differences(written: &Written) -> Vec<String> {
    use crate::reloaders::air::config::AirConfig;
    let (Ok(file), air) = (AirConfig::read(written), AirConfig::default()) else {
        return vec![];
    };
    let mut out = vec![];
    let waits = file.build.delay_ms != air.build.delay_ms
        || air_keys::KEYS
            .iter()
            .filter(|k| k.kind == air_keys::Kind::Millis)
            .any(|k| {
                written
                    .get(k.path)
                    .is_some_and(|i| k.air_value().and_then(|d| d.as_integer()) != i.as_integer())
            });
    if waits {
        out.push("how long air waits (delay)".to_string());
    }
    if file.build.stop_on_error != air.build.stop_on_error {
        out.push(format!(
            "stop_on_error = {} (what air does only after a failed build)",
            file.build.stop_on_error
        ));
    }
    if let Some(log) = written
        .get(air_keys::BUILD_LOG.path)
        .and_then(|i| i.as_str())
    {
        out.push(format!("the build-error log's name (\"{log}\")"));
    }
    if out.is_empty() {
        out.push("how long air waits (delay)".to_string());
    }
    out
}

/// The name a `NAME=value` word sets (the shell's assignment before a command).
fn env_assignment(word: &str) -> Option<&str> {
    let (name, _) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(name)
}

/// Whether the Go code under `root` may read the environment variable `name`: a `.go` file
/// (vendor included) names it as a word (`os.Getenv("APP_ENV")`, a constant, a struct tag
/// `env:"APP_ENV"`), or reads the environment by names it derives (`os.Environ`, viper's
/// AutomaticEnv, envconfig, caarlos0/env, cleanenv, koanf), or the name is one the Go runtime
/// or a common framework reads (`GODEBUG`, `GIN_MODE`). Unsure (too many files) counts as read.
fn env_read(root: &std::path::Path, name: &str) -> bool {
    const DERIVING: [&str; 8] = [
        "os.Environ(",
        "AutomaticEnv(",
        "BindEnv(",
        "envconfig",
        "caarlos0/env",
        "cleanenv",
        "koanf",
        "sethvargo/go-envconfig",
    ];
    const FRAMEWORKS: [&str; 6] = ["GIN_MODE", "TZ", "PORT", "HOST", "HOME", "PATH"];
    if name.starts_with("GO") || FRAMEWORKS.contains(&name) {
        return true;
    }
    let word = match regex::Regex::new(&format!(r"\b{}\b", regex::escape(name))) {
        Ok(r) => r,
        Err(_) => return true,
    };
    // A .go file that names it or derives names (an unreadable one may): read.
    crate::golang::source::go_file_below(
        root,
        20_000,
        |d| !d.starts_with('.') && d != "node_modules",
        |t, _, path| {
            t.is_file()
                && std::fs::read_to_string(path).map_or(true, |text| {
                    word.is_match(&text) || DERIVING.iter().any(|d| text.contains(d))
                })
        },
    )
    .unwrap_or(true)
}

/// The keys [`crate::reloaders::air::config::AirConfig`] holds (compared there).
fn modelled(path: &str) -> bool {
    crate::reloaders::air::config::HELD
        .iter()
        .any(|k| k.path == path)
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

/// What air offers instead of a table other tools have (`[hooks]` of other reloaders,
/// `[serve]` of dev servers).
fn instead(path: &str) -> Option<&'static str> {
    match path.split('.').next()? {
        "hooks" => Some("air runs commands from [build] pre_cmd = [...] before each build and post_cmd = [...] when it exits"),
        "serve" | "server" => Some("air's browser-reloading proxy is [proxy] enabled = true, proxy_port, app_port"),
        _ => None,
    }
}

/// What an unknown, misplaced, mistyped or zero-valued key means to air, and the fix.
fn key_finding(file: &str, issue: &Issue, written: &Written, unread: Option<&str>) -> Finding {
    let at = site(file, Some(issue.line));
    let key = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    let finding = match &issue.problem {
        // The table sets the key itself (a stray top-level `cmd = "air"` beside [build] cmd):
        // air uses that one, so the stray line changes nothing, and moving it would replace
        // the real value.
        Problem::Misplaced { belongs_in } if written.get(&join(belongs_in, key)).is_some() => {
            let real = join(belongs_in, key);
            Finding::info(format!(
                "{at}: {key} here is ignored: air reads it only from {}, which sets it already ({}: that value is the one air uses); delete this line",
                table_label(belongs_in),
                site(file, written.line(&real)),
            ))
        }
        Problem::Unknown { suggestion } => {
            let hint = match (suggestion, instead(&issue.path)) {
                (_, Some(offer)) => format!(" ({offer})"),
                (Some(s), None) => format!(" (did you mean {}?)", readable(s)),
                (None, None) => String::new(),
            };
            // [log] color = true, [color] server = "": air draws its output its own way;
            // nothing changes but the look.
            if ["log.", "color.", "screen.", "misc."]
                .iter()
                .any(|t| issue.path.starts_with(t))
            {
                Finding::info(format!(
                    "{at}: {} is not an air setting{hint}; air ignores it: nothing changes but the look of its output",
                    readable(&issue.path)
                ))
            } else {
                Finding::warn(format!(
                    "{at}: {} is not an air setting{hint}; air ignores it silently",
                    readable(&issue.path)
                ))
            }
        }
        Problem::Misplaced { belongs_in } => Finding::warn(format!(
            "{at}: {key} belongs in {}, not {}; air ignores it here",
            table_label(belongs_in),
            table_label(issue.path.rsplit_once('.').map_or("", |(t, _)| t)),
        )),
        Problem::WrongType { expected, found } => stopping(unread, |when| {
            format!(
                "{at}: {} must be {expected}, not {found}; {when}air refuses to start (\"Can't convert\")",
                readable(&issue.path)
            )
        }),
        Problem::Retired { inert } => {
            let text = format!(
                "{at}: {} is a setting of older air versions (their `air init` wrote it); air v1.67 no longer has it and ignores it",
                readable(&issue.path)
            );
            if *inert {
                Finding::info(format!(
                    "{text}, which changes nothing here; remove the line"
                ))
            } else {
                Finding::warn(format!(
                    "{text}, so the value written here has no effect; remove the line"
                ))
            }
        }
        Problem::ZeroIgnored { applies } => {
            let (zero, alternative) = zero_advice(&issue.path);
            let unit = if key.ends_with("delay") { " ms" } else { "" };
            let text = format!(
                "{at}: {key} = {zero} does nothing: air skips zero values and uses {applies}{unit}; {alternative}"
            );
            // `delay = 0` is a 1 s wait, `keep_scroll = false` another escape code: what air
            // watches, builds and runs is the same; a note.
            match air_keys::find(&issue.path).is_some_and(|k| k.zero_only_timing_or_look()) {
                true => Finding::info(format!(
                    "{text} (only {} changes, not what air watches, builds or runs)",
                    match unit {
                        "" => "the look of air's output or log",
                        _ => "how long air waits",
                    }
                )),
                false => Finding::warn(text),
            }
        }
    };
    let kind = match issue.problem {
        Problem::Unknown { .. } => Id::UnknownKey,
        Problem::Misplaced { .. } => Id::MisplacedKey,
        Problem::WrongType { .. } => Id::WrongType,
        Problem::ZeroIgnored { .. } => Id::ZeroValueIgnored,
        Problem::Retired { .. } => Id::RetiredKey,
    };
    let suggestion = match &issue.problem {
        Problem::Unknown { suggestion } => suggestion.clone(),
        Problem::Misplaced { belongs_in } => Some(format!("{belongs_in}.{key}")),
        _ => None,
    };
    finding.with_evidence(evidence(
        file,
        Some(issue.line),
        &issue.path,
        json!({"problem": kind, "suggestion": suggestion}),
    ))
}

/// The safe rewrite for a key finding, when its target is certain: a misplaced key moved
/// to the only table that has it, a typo renamed to the one key it is closest to, a zero
/// value air replaces or a key of older airs commented out (air's behaviour stays the same,
/// the line no longer pretends otherwise).
fn key_fix(f: &AirFile, issue: &Issue, finding: Finding) -> Finding {
    let (table, name) = issue.path.rsplit_once('.').unwrap_or(("", &issue.path));
    let Some(item) = f.written.get(&issue.path) else {
        return finding;
    };
    let target = match &issue.problem {
        Problem::Misplaced { belongs_in } if f.written.get(&join(belongs_in, name)).is_some() => {
            return comment_out(f, issue, item, finding);
        }
        Problem::Misplaced { belongs_in } => {
            let tables = air_keys::KEYS
                .iter()
                .filter(|k| !k.path.starts_with("build.rules."))
                .filter(|k| k.path.rsplit('.').next() == Some(name))
                .count();
            (tables == 1).then(|| join(belongs_in, name))
        }
        Problem::Unknown {
            suggestion: Some(s),
        } => {
            let (s_table, s_name) = s.rsplit_once('.').unwrap_or(("", s));
            let siblings: Vec<&str> = air_keys::KEYS
                .iter()
                .filter_map(|k| match k.path.rsplit_once('.') {
                    Some((t, n)) if t == table => Some(n),
                    None if table.is_empty() => Some(k.path),
                    _ => None,
                })
                .collect();
            let best = distance(name, s_name);
            let unique = siblings
                .iter()
                .filter(|n| distance(name, n) == best)
                .count()
                == 1;
            (s_table == table && unique && best <= 2).then(|| s.clone())
        }
        Problem::Retired { .. } | Problem::ZeroIgnored { .. }
            if issue.path != "screen.keep_scroll" && !issue.path.starts_with("build.rules.") =>
        {
            return comment_out(f, issue, item, finding);
        }
        _ => None,
    };
    let Some(target) = target.filter(|t| air_keys::accepts(t, item) && f.written.get(t).is_none())
    else {
        return finding;
    };
    let mut edits = vec![Edit::Move {
        from: issue.path.clone(),
        to: target.clone(),
    }];
    // A bin that arrives with arguments would be the next finding: split it now, so one
    // --fix leaves nothing for a second.
    let no_runner_override =
        f.ctx.project.air.build.full_bin.is_empty() && f.ctx.project.air.build.entrypoint.is_none();
    if let (true, true, Some(bin)) = (target == "build.bin", no_runner_override, item.as_str()) {
        edits.extend(super::binary::split_bin_edits(f, bin));
    }
    match f.write_fix(
        format!(
            "move {} to {} in {}",
            readable(&issue.path),
            readable(&target),
            f.name
        ),
        edits,
    ) {
        Some(fix) => finding.with_fix(fix),
        None => finding,
    }
}

/// An unknown key's warning, made a note when what it asks for is what air does without it:
/// it only turns something off (`[build.stats] enable = false`: air has nothing of the kind
/// to turn off), or it names paths air watches already (`[watch] paths = ["./templates"]`,
/// each inside root, in a watched folder not excluded, every file in it one air reacts to).
fn weigh_unknown(f: &AirFile, issue: &Issue, finding: Finding) -> Finding {
    if !matches!(issue.problem, Problem::Unknown { .. })
        || finding.severity != crate::model::Severity::Warn
    {
        return finding;
    }
    let Some(item) = f.written.get(&issue.path) else {
        return finding;
    };
    let name = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    let mut leaves = vec![];
    leaves_of(name, item, &mut leaves);
    let turned_off =
        |(k, v): &(String, Leaf)| matches!(k.as_str(), "enable" | "enabled") && *v == Leaf::Off;
    let why = if leaves.iter().any(turned_off)
        || (!leaves.is_empty() && leaves.iter().all(|(_, v)| *v == Leaf::Off))
    {
        Some("it only turns something off or leaves it empty, and air, which has no such setting, does nothing of the kind anyway: nothing is lost; remove it".to_string())
    } else {
        let paths: Vec<&str> = leaves
            .iter()
            .map(|(_, v)| match v {
                Leaf::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect::<Option<_>>()
            .unwrap_or_default();
        let quoted = || {
            paths
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !paths.is_empty() && paths.iter().all(|p| is_watch_root(f, p)) {
            // `watch_dir = "."`: air watches its whole root (but what it excludes) anyway.
            Some(format!(
                "it names {}, air's root, which air watches anyway: nothing is lost; remove it",
                quoted()
            ))
        } else if !paths.is_empty() && paths.iter().all(|p| watched_already(f, p)) {
            Some(format!(
                "it names {}, which air watches already (inside root, not excluded, every file in it one include_ext takes): nothing is lost; remove it",
                quoted()
            ))
        } else if !paths.is_empty() && paths.iter().all(|p| only_prints(p)) {
            // `pre_cmds = ["echo 'pre build commands'"]`: air never runs it, and running it
            // would only print a line.
            Some(format!(
                "it holds only {}, which would only print a line: nothing is lost; remove it",
                quoted()
            ))
        } else if !paths.is_empty()
            && paths.iter().any(|p| glob_air_takes(f, p))
            && paths
                .iter()
                .all(|p| glob_air_takes(f, p) || watched_already(f, p) || module_file(p))
        {
            // `include = ["*.go", "go.mod"]`: files air rebuilds on anyway.
            let modules = paths.iter().any(|p| module_file(p));
            Some(format!(
                "it names {}, files air rebuilds on anyway (every file include_ext takes){}: nothing is lost; remove it",
                quoted(),
                match modules {
                    true => "; go.mod and go.sum are not watched: an edit to them alone (`go get -u`) is built at the next .go save",
                    false => "",
                }
            ))
        } else if let Some(why) = alias_air_uses(f, name, item) {
            Some(why)
        } else if let Some(why) = polling_not_needed(f, &leaves) {
            Some(why)
        } else if asks_only_a_wait(issue, item) {
            // `restart_delay = 1000`: air restarts the app after every build, with its own
            // waits ([build] delay before the build).
            Some("its name and value ask only for a wait: air builds and restarts the app after every change with its own waits ([build] delay), so at most the timing differs; remove it".to_string())
        } else if another_tools_table(f, issue, item, &leaves) {
            let keeps_out = match leaves.iter().any(|(k, _)| exclusion_like(k)) {
                true => ", and what it keeps out air's walk skips already",
                false => "",
            };
            Some(format!("air has no table spelled like it (another tool's section): nothing in it was meant as a mistyped air key, and it names no folder or extension air does not watch{keeps_out}; remove it"))
        } else {
            None
        }
    };
    let Some(why) = why else {
        // Another name for an air key, with a value air does not use there: it is lost.
        let names: Vec<String> = air_keys::aliased(name)
            .iter()
            .map(|k| readable(k.path))
            .collect();
        return match names.is_empty() {
            true => finding,
            false => Finding {
                message: format!(
                    "{} (it reads as another name for {}, which air uses with another value here: write the value there)",
                    finding.message,
                    names.join(" or ")
                ),
                ..finding
            },
        };
    };
    let message = match finding.message.strip_suffix("; air ignores it silently") {
        Some(head) => format!("{head}; air ignores it, but {why}"),
        None => format!("{}; {why}", finding.message),
    };
    Finding {
        severity: crate::model::Severity::Info,
        message,
        ..finding
    }
}

/// An unknown key named as another name for an air key (`build_cmd` for `[build] cmd`,
/// `run_cmd` for bin or full_bin, `log_time` for `[log] time`: [`air_keys::ALIASES`]) whose
/// value is the one air uses for that key in this config: what it asks for happens anyway.
/// (watch_dir, another name for root or include_dir, is weighed as a path.)
fn alias_air_uses(f: &AirFile, name: &str, item: &toml_edit::Item) -> Option<String> {
    let air = &f.ctx.project.air.build;
    let value = item.as_value()?;
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let path = |t: &str| words(t).trim_start_matches("./").to_string();
    air_keys::aliased(name).iter().find_map(|key| {
        let used = if key.path == air_keys::BUILD_CMD.path {
            (words(value.as_str()?) == words(&air.cmd)).then(|| air.cmd.clone())
        } else if key.path == air_keys::BUILD_BIN.path && air.full_bin.is_empty() {
            (path(value.as_str()?) == path(&air.bin)).then(|| air.bin.clone())
        } else if key.path == air_keys::BUILD_FULL_BIN.path && !air.full_bin.is_empty() {
            (path(value.as_str()?) == path(&air.full_bin)).then(|| air.full_bin.clone())
        } else if key.path == air_keys::LOG_TIME.path {
            let set = f
                .written
                .get(air_keys::LOG_TIME.path)
                .and_then(|i| i.as_bool())
                .unwrap_or(false);
            (value.as_bool()? == set).then(|| set.to_string())
        } else {
            None
        }?;
        let shown = match key.kind {
            air_keys::Kind::Str => format!("\"{used}\""),
            _ => used,
        };
        Some(format!(
            "it is another name for {}, and air uses {} = {shown} here already: nothing is lost; remove it",
            readable(key.path),
            key.name()
        ))
    })
}

/// Polling asked for where air cannot take it (`[watcher] poll = true`, `poll_interval`:
/// air has no `[watcher]` table), while every launcher runs air in a container whose watched
/// folder arrives only by compose watch `sync`: the files are written inside the container,
/// whose filesystem gives air's fsnotify watcher their events; polling, which only catches
/// events a mount loses, would change nothing.
fn polling_not_needed(f: &AirFile, leaves: &[(String, Leaf)]) -> Option<String> {
    let polls = [air_keys::BUILD_POLL, air_keys::BUILD_POLL_INTERVAL];
    if leaves.is_empty()
        || !leaves
            .iter()
            .all(|(k, _)| polls.iter().any(|p| p.name() == k))
    {
        return None;
    }
    let root = &f.ctx.project.air.root;
    let reading: Vec<&LaunchContext> = f
        .ctx
        .project
        .launches
        .contexts
        .iter()
        .filter(|c| c.config == ConfigRef::Read(f.path.clone()))
        .collect();
    let synced = !reading.is_empty()
        && reading
            .iter()
            .all(|l| l.container.as_ref().is_some_and(|c| c.synced_only(root)));
    synced.then(|| {
        format!(
            "it asks for polling, which only catches file events a mount loses; {} runs air in a container whose files compose watch syncs into the container's own filesystem, where air's watcher gets every event: nothing is lost; remove it",
            reading[0].launcher.describe()
        )
    })
}

/// Whether `written` (a path from air's root) is that root itself (`"."`, `"./"`).
fn is_watch_root(f: &AirFile, written: &str) -> bool {
    let root = super::air_view::watch_root(f);
    crate::filepath::clean(&root.join(written.trim())) == crate::filepath::clean(&root)
}

/// An unknown key named as a wait (`restart_delay`, `reload_interval`, `build_timeout`)
/// holding a number or a duration, not a misspelling of kill_delay (the wait before SIGKILL,
/// which decides whether the app shuts down cleanly): it could only change timing.
fn asks_only_a_wait(issue: &Issue, item: &toml_edit::Item) -> bool {
    let name = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    let waits = ["delay", "interval", "timeout"]
        .iter()
        .any(|w| name == *w || name.ends_with(&format!("_{w}")));
    let number_or_duration = item
        .as_value()
        .is_some_and(|v| v.is_integer() || v.is_float() || v.is_str());
    let kill = match &issue.problem {
        Problem::Unknown {
            suggestion: Some(s),
        } => air_keys::find(s).is_some_and(|k| k.kind == air_keys::Kind::Duration),
        _ => false,
    };
    waits && number_or_duration && !kill
}

/// A top-level table air does not have and whose name is spelled like none of its tables
/// (`[server]`, `[run]`): another tool's section, not a mistyped air table. Unless a value in
/// it names a folder air does not watch, an extension air does not take (`[watch] paths =
/// ["../shared"]`, `exts = ["templ"]`) or a command air never runs (`[hooks] pre = "echo
/// hi"`): then what it asks for is lost.
fn another_tools_table(
    f: &AirFile,
    issue: &Issue,
    item: &toml_edit::Item,
    leaves: &[(String, Leaf)],
) -> bool {
    if issue.path.contains('.')
        || !item.is_table_like()
        || !matches!(issue.problem, Problem::Unknown { suggestion: None })
    {
        return false;
    }
    let root = super::air_view::watch_root(f);
    let air = &f.ctx.project.air;
    let include_ext = &air.build.include_ext;
    // A value under the name of an air key (`[watcher] poll = true`) is that setting written
    // in the wrong place, lost unless it is what air uses anyway: the key's default, or the
    // command or binary air builds and runs (`[server] cmd = "./tmp/go-service"`, bin).
    let path = |p: &str| p.trim().trim_start_matches("./").to_string();
    let what_air_does = |k: &str, v: &Leaf| {
        let keys: Vec<&air_keys::Key> = air_keys::KEYS
            .iter()
            .filter(|key| key.name() == k && !matches!(key.kind, air_keys::Kind::Table))
            .collect();
        keys.is_empty()
            || match v {
                Leaf::Off => true,
                Leaf::Text(t) => {
                    [&air.build.cmd, &air.build.bin, &air.build.full_bin]
                        .iter()
                        .any(|used| !used.is_empty() && path(used) == path(t))
                        || runs_what_air_builds(f, t)
                        || only_prints(t)
                        || keys
                            .iter()
                            .any(|key| key.air_default == Some(&format!("\"{t}\"")))
                }
                Leaf::Other(o) => keys.iter().any(|key| key.air_default == Some(o.as_str())),
            }
    };
    leaves.iter().all(|(k, v)| {
        // `exclude_dir = ["tmp", "vendor"]` under `[watch]`: keeping out what air's walk
        // skips already (tmp_dir, testdata_dir, its exclude_dir, a hidden folder) asks for
        // nothing air does not do; anything else kept out is lost.
        if let (true, Leaf::Text(t)) = (exclusion_like(k), v) {
            if excluded_already(f, t) {
                return true;
            }
            // Keeping out something here that air watches is lost.
            if root.join(folder_of(t)).exists() {
                return false;
            }
        }
        what_air_does(k, v)
            && match v {
                Leaf::Text(t) => {
                    let t = t.trim();
                    let ext = t.trim_start_matches('.');
                    let looks_like_ext = !ext.is_empty()
                        && ext.len() <= 6
                        && ext.chars().all(|c| c.is_ascii_alphanumeric());
                    let folder = root.join(t).is_dir();
                    let ext_lost = looks_like_ext && !include_ext.iter().any(|e| e == ext);
                    let folder_lost = folder && !is_watch_root(f, t) && !watched_already(f, t);
                    // A command with arguments (`[hooks] pre = "echo hi"`) that air does not
                    // run as cmd, bin, full_bin or a pre_cmd: it never runs.
                    let runs = [&air.build.cmd, &air.build.bin, &air.build.full_bin]
                        .into_iter()
                        .chain(&air.build.pre_cmd)
                        .any(|used| path(used) == path(t));
                    // Printing a line (`echo 'pre serve commands'`) or running the package
                    // air builds and runs (`go run main.go`) asks for nothing air does not do.
                    let command_lost = t.contains(char::is_whitespace)
                        && !runs
                        && !only_prints(t)
                        && !runs_what_air_builds(f, t);
                    !ext_lost && !folder_lost && !command_lost
                }
                _ => true,
            }
    })
}

/// A key named as a list of what to keep out (`exclude_dir`, `ignore`, `skip_dirs`).
fn exclusion_like(key: &str) -> bool {
    key.to_ascii_lowercase().split(['_', '-']).any(|w| {
        matches!(
            w,
            "exclude" | "excludes" | "excluded" | "ignore" | "ignores" | "ignored" | "skip"
        )
    })
}

/// Whether the path `written` (from air's root) names a folder, or something in one, that
/// air's walk skips already (tmp_dir, testdata_dir, an exclude_dir entry, a hidden folder,
/// outside include_dir): keeping it out changes nothing. Not air's root itself, nor a path
/// outside it.
fn excluded_already(f: &AirFile, written: &str) -> bool {
    use super::air_view::{rel_to_root, skipped_folder, watch_root};
    let root = watch_root(f);
    let written = folder_of(written);
    if written.is_empty() || written.contains(['*', '?', '[']) {
        return false;
    }
    let abs = crate::filepath::clean(&root.join(written));
    let Some(rel) = rel_to_root(f, &abs) else {
        return false;
    };
    if rel == "." || rel.is_empty() {
        return false;
    }
    let rules = crate::reloaders::watch_tree::Rules::air_in(&f.ctx.project.air, &root);
    skipped_folder(&f.ctx.project.air, &rules, &rel).is_some()
}

/// The path an exclusion names, without a trailing `/`, `/*` or `/**` (`./tmp/*` keeps out
/// what is in tmp: tmp itself, for air's walk).
fn folder_of(written: &str) -> &str {
    let mut t = written.trim();
    loop {
        let s = t
            .trim_end_matches('/')
            .trim_end_matches("/**")
            .trim_end_matches("/*");
        if s == t {
            return t;
        }
        t = s;
    }
}

/// Whether the shell line `line` only prints: every command in it is `echo` or `printf`
/// (or `true`, `:`) and none writes a file (`echo hi > out.txt` does).
fn only_prints(line: &str) -> bool {
    let mut commands = 0;
    let mut prints = true;
    crate::shell::parse(line).walk(true, &mut |s, _| {
        commands += 1;
        prints &= matches!(
            crate::shell::program(&s.words),
            "echo" | "printf" | "true" | ":"
        ) && !s.redirects.iter().any(|r| r.writes())
            && s.substitutions.is_empty();
    });
    commands > 0 && prints
}

/// `go run main.go`, `go run .`: runs the package air's `go build` builds (and air runs what
/// it built), with no flags of its own.
fn runs_what_air_builds(f: &AirFile, line: &str) -> bool {
    let root = super::air_view::watch_root(f);
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() < 2 || words[0] != "go" || words[1] != "run" {
        return false;
    }
    let dir_of = |arg: &str| {
        let at = crate::filepath::clean(&root.join(arg));
        match arg.ends_with(".go") {
            true => at.parent().map(|p| p.to_path_buf()),
            false => Some(at),
        }
    };
    let run: Vec<&str> = words[2..].to_vec();
    if run.is_empty() || run.iter().any(|w| w.starts_with('-')) {
        return false;
    }
    let run_dirs: Vec<_> = run.iter().map(|a| dir_of(a)).collect();
    // The package air's cmd builds: the last word of its `go build` that is no flag nor a
    // flag's value.
    let mut built = None;
    crate::shell::parse(&f.ctx.project.air.build.cmd).walk(true, &mut |s, scope| {
        let w = crate::shell::program_words(&s.words);
        if built.is_some() || w.len() < 2 || crate::shell::program(w) != "go" || w[1] != "build" {
            return;
        }
        let mut args = vec![];
        let mut i = 2;
        while i < w.len() {
            let word = w[i].as_str();
            if word.starts_with('-') {
                let takes_value = !word.contains('=')
                    && matches!(
                        word.trim_start_matches('-'),
                        "o" | "tags" | "ldflags" | "gcflags" | "mod" | "p" | "modfile"
                    );
                i += if takes_value { 2 } else { 1 };
                continue;
            }
            args.push(word.to_string());
            i += 1;
        }
        if args.is_empty() {
            args.push(".".into());
        }
        if scope.dir_known {
            built = Some(
                args.iter()
                    .map(|a| dir_of(&scope.dir.join(a).to_string_lossy()))
                    .collect::<Vec<_>>(),
            );
        }
    });
    let Some(built) = built else {
        return false;
    };
    let one = |d: &[Option<std::path::PathBuf>]| {
        let mut d: Vec<_> = d.to_vec();
        d.dedup();
        (d.len() == 1).then(|| d[0].clone()).flatten()
    };
    one(&run_dirs).is_some() && one(&run_dirs) == one(&built)
}

/// A glob (`*.go`, `**/*.tmpl`) whose files are the ones an include_ext extension takes.
fn glob_air_takes(f: &AirFile, written: &str) -> bool {
    let t = written.trim().trim_start_matches("./");
    let t = t.strip_prefix("**/").unwrap_or(t);
    t.strip_prefix("*.").is_some_and(|ext| {
        !ext.contains(['*', '/', '?', '['])
            && f.ctx.project.air.build.include_ext.iter().any(|e| e == ext)
    })
}

/// `go.mod`, `go.sum` (in the root).
fn module_file(written: &str) -> bool {
    matches!(written.trim().trim_start_matches("./"), "go.mod" | "go.sum")
}

/// A written value's leaf, as [`weigh_unknown`] weighs it.
#[derive(PartialEq)]
enum Leaf {
    /// `false`, `""`, `[]`.
    Off,
    Text(String),
    /// A number, `true`, a date, as written.
    Other(String),
}

/// Every leaf under `item` (named `name`), with the key it is under.
fn leaves_of(name: &str, item: &toml_edit::Item, out: &mut Vec<(String, Leaf)>) {
    use toml_edit::{Item, Value};
    fn value(name: &str, v: &Value, out: &mut Vec<(String, Leaf)>) {
        match v {
            Value::Boolean(b) if !*b.value() => out.push((name.into(), Leaf::Off)),
            Value::String(t) if t.value().is_empty() => out.push((name.into(), Leaf::Off)),
            Value::String(t) => out.push((name.into(), Leaf::Text(t.value().clone()))),
            Value::Array(a) if a.is_empty() => out.push((name.into(), Leaf::Off)),
            Value::Array(a) => a.iter().for_each(|v| value(name, v, out)),
            Value::InlineTable(t) => t.iter().for_each(|(k, v)| value(k, v, out)),
            v => out.push((name.into(), Leaf::Other(v.to_string().trim().to_string()))),
        }
    }
    match item {
        Item::Value(v) => value(name, v, out),
        Item::Table(t) => t.iter().for_each(|(k, i)| leaves_of(k, i, out)),
        Item::ArrayOfTables(a) => a
            .iter()
            .for_each(|t| t.iter().for_each(|(k, i)| leaves_of(k, i, out))),
        Item::None => {}
    }
}

/// Whether the path `written` (from root) is an existing file or folder inside root that air
/// reacts to already: a file air rebuilds on, or a watched folder (not excluded) all of whose
/// files (hidden ones aside) air rebuilds on.
fn watched_already(f: &AirFile, written: &str) -> bool {
    use super::air_view::{air_reacts, air_watches, rel_to_root, watch_root};
    let root = watch_root(f);
    let abs = crate::filepath::clean(&root.join(written.trim()));
    let Some(rel) = rel_to_root(f, &abs) else {
        return false;
    };
    if abs.is_file() {
        return air_reacts(f, &abs);
    }
    let rules = crate::reloaders::watch_tree::Rules::air_in(&f.ctx.project.air, &root);
    if !abs.is_dir() || !air_watches(&rules, &rel) {
        return false;
    }
    let mut todo = vec![abs];
    let mut seen = 0;
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return false;
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > 5000 {
                return false;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else if !air_reacts(f, &path) {
                return false;
            }
        }
    }
    true
}

/// `finding` with the fix that comments the key out (air reads the file the same way after).
fn comment_out(f: &AirFile, issue: &Issue, item: &toml_edit::Item, finding: Finding) -> Finding {
    let edit = Edit::CommentOut {
        path: issue.path.clone(),
    };
    match f.write_fix(
        format!(
            "comment out {} = {} in {}",
            readable(&issue.path),
            item.to_string().trim(),
            f.name
        ),
        vec![edit],
    ) {
        Some(fix) => finding.with_fix(fix),
        None => finding,
    }
}

fn join(table: &str, name: &str) -> String {
    if table.is_empty() {
        name.to_string()
    } else {
        format!("{table}.{name}")
    }
}

/// `build.exclude_dir` -> `[build] exclude_dir`, the way the file spells it.
fn readable(path: &str) -> String {
    match path.rsplit_once('.') {
        Some((table, key)) => format!("[{table}] {key}"),
        None => path.to_string(),
    }
}

/// The zero value as written and what to write instead.
fn zero_advice(path: &str) -> (&'static str, &'static str) {
    match path {
        "build.delay" | "build.rules.delay" => ("0", "use delay = 1 for (almost) no delay"),
        "build.rerun_delay" => ("0", "use rerun_delay = 1 for (almost) no delay"),
        "screen.keep_scroll" => (
            "false",
            "the file cannot turn it off: run `air --screen.keep_scroll false`",
        ),
        _ => ("\"\"", "remove the line or set a real value"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_of_other_tools_say_what_air_offers_instead() {
        let unknown = |path: &str, suggestion: Option<&str>| Issue {
            line: 1,
            path: path.into(),
            problem: Problem::Unknown {
                suggestion: suggestion.map(str::to_string),
            },
        };
        let f = key_finding(
            ".air.toml",
            &unknown("hooks", None),
            &Written::empty(),
            None,
        );
        assert!(
            f.message.contains("pre_cmd") && f.message.contains("post_cmd"),
            "{}",
            f.message
        );
        let f = key_finding(
            ".air.toml",
            &unknown("serve", Some("screen")),
            &Written::empty(),
            None,
        );
        assert!(
            f.message.contains("[proxy] enabled = true"),
            "{}",
            f.message
        );
        assert!(!f.message.contains("did you mean"), "{}", f.message);
        let f = key_finding(
            ".air.toml",
            &unknown("biuld", Some("build")),
            &Written::empty(),
            None,
        );
        assert!(
            f.message.contains("did you mean [build]?")
                || f.message.contains("did you mean build?"),
            "{}",
            f.message
        );
    }
}
