//! The config judged where air really runs: once per launch context of the repository that
//! reads it (a Makefile's `air -c cmd/api/.air.toml` runs in the repository root, a compose
//! service in its container's `working_dir`), then the findings merged. A problem found in
//! every context keeps its severity; one found in some of them is at most a warning naming
//! the launchers where it breaks; a rewrite of the file is offered only when every context
//! asks for the same one (a fix made for one place must not break another).
//! With no launcher for the config, it is judged in its own folder, as plain `air` there, or,
//! for a file plain air never reads that nothing else can mean, as `air -c FILE` (assumed).
//! [`judged`] decides which configs are judged and whether their context is assumed.

use super::config_file::AirFile;
use crate::context::Context;
use crate::filepath::clean_str;
use crate::model::{Action, Finding, Severity};
use crate::project::Project;
use crate::reloaders::air::config::AirConfig;
use crate::reloaders::air::launch::{ConfigRef, Container, LaunchContext};
use crate::reloaders::air::versions::AirVersion;
use serde_json::json;
use std::path::{Path, PathBuf};

/// At most this many different places are judged (each one walks the watched tree).
const MAX_PLACES: usize = 4;

/// At most this many config files no launcher names (assumed ones, siblings) are judged in
/// one report; every config a launcher names is judged (vyolayer/VyoLayer's package.json runs
/// six), up to [`MAX_LAUNCHED`].
const MAX_CONFIGS: usize = 4;

/// A bound on the configs judged in one report even when launchers name more (each one walks
/// the watched tree): far above what real repositories launch.
const MAX_LAUNCHED: usize = 16;

/// A config file the report judges.
pub(super) struct Judged {
    pub path: PathBuf,
    /// No launcher names it: it is judged as `air -c FILE` run in the project folder, which
    /// is assumed (a file plain air never reads there).
    pub assumed: bool,
    /// The project's README runs it with `air -c` (the reason it is judged when assumed).
    pub documented: bool,
}

/// The configs the report judges, the project's first: every config a launcher starting air
/// in the project folder passes with `-c` is judged where that launcher runs it (BuiHuyPhuc/
/// go-learning's Dockerfile.dev runs `.air.dev.toml` beside `.air.toml`). A config no
/// launcher names is judged as plain `air` in the project folder, unless plain air never
/// reads it and nothing starts air there: then as `air -c FILE` (assumed), when it is an
/// `.air.dev.toml`-like variant (with the other variants beside it: which one is run is not
/// known) or a config in a folder below the project (`build/air.toml`, whose build only
/// runs from the module root). A config no launcher names beside one that is launched is
/// not judged, unless it is the project's own.
pub(super) fn judged(ctx: &Context, contexts: &[LaunchContext]) -> Vec<Judged> {
    let Some(config) = &ctx.project.config_path else {
        return vec![];
    };
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = real(&ctx.project.root);
    let here = |c: &&LaunchContext| c.cwd.as_deref().map(real).as_ref() == Some(&root);
    let names =
        |c: &LaunchContext, p: &Path| matches!(&c.config, ConfigRef::Read(r) if real(r) == real(p));
    let launched = contexts.iter().any(|c| c.cwd.is_some() && names(c, config));
    let plain = [".air.toml", ".config/air.toml"]
        .iter()
        .any(|n| real(&root.join(n)) == real(config));
    let variant = |p: &Path| {
        p.parent()
            .is_some_and(|d| crate::project::variant_configs(d).contains(&p.to_path_buf()))
    };
    let below = config.parent().map(real).is_some_and(|d| d != root);
    let assumed =
        !launched && !plain && !contexts.iter().any(|c| here(&c)) && (variant(config) || below);
    let mut out = vec![Judged {
        path: config.clone(),
        assumed,
        documented: false,
    }];
    // A launch in a folder below the project that is no project of its own (no go.mod, no
    // reloader config of its own there): cms-lvtn/be-lvtn's run-all.sh runs
    // `air -c air/.air-user.toml` in src/service/user of the one module. The doctor run
    // there is this one, so its configs are judged here, each at its launch's folder.
    let below_here = |c: &&LaunchContext| {
        c.cwd.as_deref().map(real).is_some_and(|d| {
            d != root
                && d.starts_with(&root)
                && d.ancestors()
                    .take_while(|a| *a != root)
                    .all(|a| !a.join("go.mod").is_file() && !crate::project::has_reloader_config(a))
        })
    };
    // Configs launched in the project's own folder first: the ones below fill what is left.
    let mut more: Vec<Judged> = contexts
        .iter()
        .filter(here)
        .chain(contexts.iter().filter(below_here))
        .filter(|c| c.config_arg.is_some())
        .filter_map(|c| match &c.config {
            ConfigRef::Read(p) => Some(Judged {
                path: p.clone(),
                assumed: false,
                documented: false,
            }),
            _ => None,
        })
        .collect();
    if assumed {
        let beside = config.parent().map(crate::project::variant_configs);
        more.extend(beside.into_iter().flatten().map(|path| Judged {
            path,
            assumed: true,
            documented: false,
        }));
    }
    // The Windows sibling (yourselfhosted/slash's `scripts/.air-windows.toml` beside
    // `scripts/.air.toml`): the same project on another system, judged with what holds there.
    // The Linux/macOS sibling of a Windows config (AnDoor/SADU-BAKCKEND-'s `.air.linux.toml`
    // beside a Windows `.air.toml`), likewise.
    let b = &ctx.project.air.build;
    let for_windows = [&b.bin, &b.full_bin].iter().any(|v| v.contains('\\'))
        || b.entrypoint.as_deref().is_some_and(|v| v.contains('\\'));
    let windows = config.parent().map(|d| {
        let mut all = crate::project::windows_configs(d);
        if for_windows {
            all.extend(crate::project::unix_configs(d));
        }
        all
    });
    more.extend(windows.into_iter().flatten().map(|path| Judged {
        assumed: !contexts.iter().any(|c| names(c, &path)),
        path,
        documented: false,
    }));
    // A config the project's README runs (Dima-F/dream-job's `air -c .air.debug.toml`):
    // documented as air's way to start here, so judged as `air -c FILE` in the project folder.
    let documented = crate::reloaders::air::launch::documented_configs(&ctx.project.root);
    more.extend(documented.iter().map(|path| Judged {
        assumed: !contexts.iter().any(|c| names(c, path)),
        path: path.clone(),
        documented: true,
    }));
    for j in more {
        let room = if j.assumed { MAX_CONFIGS } else { MAX_LAUNCHED };
        if out.len() < room && !out.iter().any(|o| real(&o.path) == real(&j.path)) {
            out.push(j);
        }
    }
    for j in &mut out {
        j.documented = documented.iter().any(|d| real(d) == real(&j.path));
        // A config no launcher names that the README runs with `air -c` (loicmasson2/
        // howlongtobeatmybacklog's go/air.toml): that documented run is how air reads it.
        let read_plain = [".air.toml", ".config/air.toml"]
            .iter()
            .any(|n| real(&root.join(n)) == real(&j.path));
        let launched = contexts
            .iter()
            .any(|c| c.cwd.is_some() && names(c, &j.path));
        if j.documented && !launched && !read_plain {
            j.assumed = true;
        }
    }
    out
}

/// A context of the doctor for another config of the project: the same folder, with the
/// settings air reads from `path`.
pub(super) fn with_config(ctx: &Context, path: &Path) -> Context {
    let (air, air_written, config_error) = crate::project::load_air(path);
    let project = Project {
        config_path: Some(path.to_path_buf()),
        air,
        air_written,
        config_error,
        ..ctx.project.clone()
    };
    Context::new(project, ctx.system.clone(), ctx.options.clone())
}

/// Problems about where things are: the ones a launcher's folder changes, named with it.
const PATH_PROBLEMS: &[&str] = &[
    "root-missing",
    "root-dangerous",
    "root-outside-project",
    "binary-mismatch",
    "build-without-output",
    "build-source-missing",
    "builds-library",
    "rebuild-loop",
    "generated-code-loop",
    "generated-extra-build",
    "hides-imported-package",
    "imports-outside-root",
    "exclude-dir-never-matches",
    "nested-exclude-dir",
    "include-file-never-matches",
    "include-file-unwatched",
    "exclude-file-never-matches",
];

/// One place the config is judged in: air's folder, its settings there, and the launchers
/// that start it so.
pub(super) struct Place {
    pub cwd: PathBuf,
    pub air: AirConfig,
    pub launches: Vec<LaunchContext>,
    /// Settings were mapped from the container or overridden on the command line.
    pub changed: bool,
    /// The air release its launchers run, when they say (else the air on PATH's).
    pub version: Option<AirVersion>,
}

/// The places the repository runs the config at `path` in; empty when no launcher reads it
/// (then it is judged in its own folder).
pub(super) fn places(contexts: &[LaunchContext], path: &Path, air: &AirConfig) -> Vec<Place> {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let target = real(path);
    let mut out: Vec<Place> = vec![];
    for c in contexts {
        let (ConfigRef::Read(read), Some(cwd)) = (&c.config, &c.cwd) else {
            continue;
        };
        if real(read) != target {
            continue;
        }
        let mut settings = air.clone();
        let mut changed = apply_overrides(&mut settings, &c.overrides);
        if let Some(container) = &c.container {
            changed |= to_host(&mut settings, container);
        }
        let cwd = real(cwd);
        let full = out.len() >= MAX_PLACES;
        match out
            .iter_mut()
            .find(|p| p.cwd == cwd && p.air == settings && p.version == c.air)
        {
            Some(p) => p.launches.push(c.clone()),
            None if !full => out.push(Place {
                cwd,
                air: settings,
                launches: vec![c.clone()],
                changed,
                version: c.air.clone(),
            }),
            None => {}
        }
    }
    out
}

/// A launcher at or above the project that passes `-c` with this file's name from a folder
/// not known here (`cd "$DIR" && air -c air.toml`, DIR set outside the file): likely a way
/// this file is read, in a folder the findings cannot know.
pub(super) fn from_unknown_folder<'a>(
    contexts: &'a [LaunchContext],
    repo: &Path,
    root: &Path,
    path: &Path,
) -> Option<&'a LaunchContext> {
    contexts.iter().find(|c| {
        let above = repo
            .join(&c.launcher.file)
            .parent()
            .is_some_and(|d| root.starts_with(d));
        let names_it = c
            .config_arg
            .as_deref()
            .is_some_and(|a| !a.contains(['$', '{', '%', '`']) && path.ends_with(clean_str(a)));
        c.cwd.is_none() && c.config == ConfigRef::Unknown && above && names_it
    })
}

/// Path findings judged in the config's own folder when `launch` may start air elsewhere:
/// not certain, so at most warnings that say so.
pub(super) fn unknown_folder_caps(findings: &mut [Finding], launch: &LaunchContext) {
    let why = format!(
        "if air runs in this folder ({} starts it in one not known here)",
        launch.describe()
    );
    cap(findings, true, Severity::Warn, &why);
}

/// Lower the findings (only path findings with `paths_only`) above `to` to `to`, each
/// saying under what condition (`why`) it holds.
fn cap(findings: &mut [Finding], paths_only: bool, to: Severity, why: &str) {
    for f in findings {
        let is_path = PATH_PROBLEMS.contains(&f.evidence["problem"].as_str().unwrap_or(""));
        if (is_path || !paths_only) && f.severity > to {
            f.severity = to;
            locate(f, why);
        }
    }
}

/// The repository's launchers of the project at `root` (in its folder, or starting air
/// there), when none of them reads the config judged in its own folder: the first one.
pub(super) fn unlaunched<'a>(
    contexts: &'a [LaunchContext],
    repo: &Path,
    root: &Path,
) -> Option<&'a LaunchContext> {
    contexts.iter().find(|c| of_project(c, repo, root))
}

/// Whether `c` is a launcher of the project at `root`: in its folder, or starting air there.
/// A launcher that starts air in a Go module nested below `root` (its own go.mod), or whose
/// file lies in one, belongs to that module: vivalchemy/topics' go/grpc (a module of its
/// own) runs air there with its own `--build.*` flags, nothing of go/'s config.
pub(super) fn of_project(c: &LaunchContext, repo: &Path, root: &Path) -> bool {
    let cwd = c.cwd.as_deref();
    if cwd.is_some_and(|d| in_nested_module(d, root)) {
        return false;
    }
    let file = repo.join(&c.launcher.file);
    let file_dir = file.parent().unwrap_or(&file);
    cwd.is_some_and(|d| d.starts_with(root))
        || (file.starts_with(root) && !in_nested_module(file_dir, root))
}

/// Whether `dir`, below `root`, lies in another Go module than `root`'s: a folder from `dir`
/// up to (not including) `root` holds a go.mod, and `root` is in a module. A config in a
/// folder that is no module (thanthtooaung-coding/content-management-system's services/,
/// above its one module) is for the module below, whose launchers are its own.
pub(super) fn in_nested_module(dir: &Path, root: &Path) -> bool {
    dir != root
        && dir.starts_with(root)
        && root.ancestors().any(|a| a.join("go.mod").is_file())
        && dir
            .ancestors()
            .take_while(|a| *a != root)
            .any(|a| a.join("go.mod").is_file())
}

/// Path findings of a config judged in its own folder while the repository's launchers of
/// the project run air without it (go-pocs' compose runs plain air in the repository root;
/// docker/.air.toml beside a stray go.mod is read by nothing): air is not known to run with
/// it there, so at most warnings that say on what (`run` is "`air` in docker/"). Where a
/// launcher runs air in this very folder with another file (xdevspo/go_tmpl_module_app's
/// compose mounts docker/.air.toml over src/'s empty one), this file is shadowed: notes.
/// A program of the build missing from this machine's PATH matters then only to someone
/// typing air here: where every such launcher runs air in a container (`contained`), that is
/// a note (go-pocs' image installs swag).
pub(super) fn unlaunched_caps(
    findings: &mut [Finding],
    run: &str,
    (shadowed, contained): (bool, bool),
) {
    let (to, why) = match shadowed {
        true => (
            Severity::Info,
            "the launchers that run air here read another config",
        ),
        false => (Severity::Warn, "no launcher runs air with it"),
    };
    for f in findings.iter_mut() {
        let host_tool = f.evidence["problem"] == "tool-not-found" && f.evidence["image"].is_null();
        if contained && host_tool && f.severity > Severity::Info {
            f.severity = Severity::Info;
            locate(
                f,
                &format!(
                    "if run with {run} on this machine (the launchers run air in a container)"
                ),
            );
        }
    }
    cap(findings, true, to, &format!("if run with {run} ({why})"));
}

/// Findings of a leftover config below a launched one (`air_file::below_launched`): notes,
/// each saying on what it holds.
pub(super) fn leftover_caps(findings: &mut [Finding]) {
    cap(
        findings,
        false,
        Severity::Info,
        "if air were run with it (no launcher does)",
    );
}

/// Findings of a place every launcher of which starts air only on a condition not known here
/// (a compose `build.target: ${ENV}` with no value, each stage that runs air judged): not
/// certain, so at most warnings that say on what. A Dockerfile nothing here builds (it may
/// be unused, the repository starting air other ways) makes them notes, except where its air
/// runs in the config's own folder
/// (`own`): there it finds what plain `air` typed in that folder finds, which holds without
/// it (edsonmichaque/craft's _example/.air.toml, whose Dockerfiles mount _example at /app).
pub(super) fn conditional_caps(findings: &mut [Finding], place: &Place, own: &Path) {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let unbuilt = |c: &LaunchContext| c.container.as_ref().is_some_and(|k| k.unbuilt);
    if place.launches.iter().all(unbuilt) {
        if real(&place.cwd) == real(own) {
            return;
        }
        // Only a Dockerfile nothing builds runs it, while the repository starts air other
        // ways (RafalSalwa/interview-srv-go's tester_service, its compose service commented
        // out): likely unused, so what breaks there is a note, as for a config nothing runs.
        let when = place.launches.iter().find_map(LaunchContext::condition);
        cap(
            findings,
            false,
            Severity::Info,
            &format!(
                "if air runs there ({})",
                when.unwrap_or("if its image is built")
            ),
        );
        return;
    }
    let Some(when) = place
        .launches
        .iter()
        .map(LaunchContext::condition)
        .collect::<Option<Vec<&str>>>()
        .and_then(|all| all.first().copied())
    else {
        return;
    };
    cap(
        findings,
        false,
        Severity::Warn,
        &format!("if air runs there ({when})"),
    );
}

/// `--build.cmd X`, `--root X`, ... on air's command line win over the file; so do the watch
/// set's lists (`--build.include_dir static --build.include_ext js,css`): air splits a list
/// flag's value at commas, the first occurrence replaces the list and each later one appends
/// (runner/flag.go `appendableValue`), and a value equal to air's default leaves the file's
/// list alone (`withArgs` sets only `changed()` flags).
pub(super) fn apply_overrides(air: &mut AirConfig, given: &[(String, String)]) -> bool {
    use crate::reloaders::air::keys;
    let mut changed = false;
    let lists = [
        keys::BUILD_INCLUDE_DIR,
        keys::BUILD_INCLUDE_EXT,
        keys::BUILD_INCLUDE_FILE,
        keys::BUILD_EXCLUDE_DIR,
        keys::BUILD_EXCLUDE_FILE,
        keys::BUILD_EXCLUDE_REGEX,
    ];
    for row in lists {
        let mut joined: Option<String> = None;
        for (_, value) in given.iter().filter(|(k, _)| k == row.path) {
            joined = Some(match joined {
                None => value.clone(),
                Some(j) if value.is_empty() => j,
                Some(j) if j.is_empty() => value.clone(),
                Some(j) => format!("{j},{value}"),
            });
        }
        let Some(joined) = joined else {
            continue;
        };
        let default: Vec<&str> = row
            .air_default
            .map(|d| d.split('"').skip(1).step_by(2).collect())
            .unwrap_or_default();
        if joined == default.join(",") {
            continue;
        }
        let list: Vec<String> = if joined.is_empty() {
            vec![]
        } else {
            joined.split(',').map(str::to_string).collect()
        };
        let b = &mut air.build;
        let slot = match row.path {
            p if p == keys::BUILD_INCLUDE_DIR.path => &mut b.include_dir,
            p if p == keys::BUILD_INCLUDE_EXT.path => &mut b.include_ext,
            p if p == keys::BUILD_INCLUDE_FILE.path => &mut b.include_file,
            p if p == keys::BUILD_EXCLUDE_DIR.path => &mut b.exclude_dir,
            p if p == keys::BUILD_EXCLUDE_FILE.path => &mut b.exclude_file,
            _ => &mut b.exclude_regex,
        };
        *slot = list;
        changed = true;
    }
    for (key, value) in given {
        let slot = match key.as_str() {
            "root" => &mut air.root,
            "tmp_dir" => &mut air.tmp_dir,
            "build.cmd" => &mut air.build.cmd,
            "build.bin" => &mut air.build.bin,
            "build.full_bin" => &mut air.build.full_bin,
            "build.entrypoint" => {
                air.build.entrypoint = Some(value.clone());
                changed = true;
                continue;
            }
            _ => continue,
        };
        slot.clone_from(value);
        changed = true;
    }
    changed
}

/// Container paths in the settings (`root = "/app"`, `-o /app/tmp/main`) as the host paths
/// the container's mounts put there. True when one was mapped.
fn to_host(air: &mut AirConfig, c: &Container) -> bool {
    let before = air.clone();
    let map = |s: &str| map_paths(s, c);
    air.root = map(&air.root);
    air.tmp_dir = map(&air.tmp_dir);
    let b = &mut air.build;
    // The shell air runs build.cmd with expands the container's environment, and so does the
    // one it starts the app with: bin, full_bin and entrypoint go to `/bin/sh -c` unquoted
    // (v1.67.4 `runner/util_linux.go` `startCmd`; `formatPath` quotes only paths with spaces).
    b.cmd = expand_env(&b.cmd, &c.env);
    b.pre_cmd = b.pre_cmd.iter().map(|s| expand_env(s, &c.env)).collect();
    b.bin = expand_env(&b.bin, &c.env);
    b.full_bin = expand_env(&b.full_bin, &c.env);
    b.entrypoint = b.entrypoint.as_deref().map(|e| expand_env(e, &c.env));
    b.cmd = map(&b.cmd);
    b.bin = map(&b.bin);
    b.full_bin = map(&b.full_bin);
    b.entrypoint = b.entrypoint.as_deref().map(map);
    b.pre_cmd = b.pre_cmd.iter().map(|s| map(s)).collect();
    b.include_dir = b.include_dir.iter().map(|s| map(s)).collect();
    b.exclude_dir = b.exclude_dir.iter().map(|s| map(s)).collect();
    *air != before
}

/// `text` with `${NAME}` and `$NAME` replaced by the values `env` gives them (the others
/// kept as written).
fn expand_env(text: &str, env: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (k, v) in env {
        out = out.replace(&format!("${{{k}}}"), v);
        let plain = format!("${k}");
        let mut at = 0;
        while let Some(i) = out[at..].find(&plain) {
            let start = at + i;
            let end = start + plain.len();
            let next = out[end..].chars().next();
            if next.is_some_and(|ch| ch.is_alphanumeric() || ch == '_') {
                at = end;
                continue;
            }
            out.replace_range(start..end, v);
            at = start + v.len();
        }
    }
    out
}

/// Every absolute path in `text` that a mount of `c` explains, as its host path.
fn map_paths(text: &str, c: &Container) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('/') {
        let boundary = at == 0
            || rest[..at]
                .chars()
                .last()
                .is_some_and(|p| p.is_whitespace() || "=\"':;(".contains(p));
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find(|ch: char| ch.is_whitespace() || "\"';&|)".contains(ch))
            .map_or(rest.len(), |n| at + n);
        let path = &rest[at..end];
        match c.to_host(path).filter(|_| boundary && path != "/") {
            Some(host) => out.push_str(&host.to_string_lossy()),
            None => out.push_str(path),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A context of the doctor for `place`: the same project, with air's folder as its root and
/// the settings air has there.
pub(super) fn context_for(ctx: &Context, place: &Place) -> Context {
    let project = Project {
        root: place.cwd.clone(),
        air: place.air.clone(),
        // The module air builds there, whichever folder the doctor started in.
        go_mod: crate::project::go_mod_of(&place.cwd),
        ..ctx.project.clone()
    };
    Context::new(project, ctx.system.clone(), ctx.options.clone())
}

/// "the Makefile's `dev` target", "the Makefile's `dev` target and compose.yml's `api`
/// service", "A, B and 3 more".
fn named(launches: &[&LaunchContext]) -> String {
    let mut names: Vec<String> = vec![];
    for l in launches {
        let n = l.describe();
        if !names.contains(&n) {
            names.push(n);
        }
    }
    match names.len() {
        0 => String::new(),
        1 => names.remove(0),
        2 | 3 => {
            let last = names.pop().unwrap_or_default();
            format!("{} and {last}", names.join(", "))
        }
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    }
}

/// "started by the Makefile's `run` target (Makefile:4), air in cmd/": who runs the config
/// and where, for the summary (the report may be asked at the repository root, where no one
/// runs air).
pub(super) fn started_by(repo: &Path, places: &[Place]) -> Option<String> {
    let launches: Vec<&LaunchContext> = places.iter().flat_map(|p| &p.launches).collect();
    let first = places.first()?;
    let mut dirs: Vec<String> = vec![];
    for p in places {
        let d = folder(repo, &p.cwd);
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    Some(format!(
        "started by {}, air in {}",
        named(&launches),
        if dirs.len() == 1 {
            folder(repo, &first.cwd)
        } else {
            dirs.join(" and ")
        }
    ))
}

/// Where air runs for these launchers, shown relative to the repository.
fn folder(repo: &Path, cwd: &Path) -> String {
    match cwd.strip_prefix(repo) {
        Ok(r) if r.as_os_str().is_empty() => "the repository root".into(),
        Ok(r) => format!("{}/", r.display()),
        Err(_) => cwd.display().to_string(),
    }
}

/// Say in the message where the finding holds: after its `file:line: `.
fn locate(f: &mut Finding, phrase: &str) {
    let at = f.message.find(": ").map_or(0, |i| i + 2);
    f.message.insert_str(at, &format!("{phrase}: "));
}

/// What makes findings one problem across places: its id and key, and what it names (one
/// exclude_dir entry can hide a hand-written package and a generated one, two findings; one
/// exclude_regex key holds several patterns).
fn problem(f: &Finding) -> String {
    let e = &f.evidence;
    format!(
        "{}|{}|{}|{}|{}|{}",
        e["problem"].as_str().unwrap_or(""),
        e["key"].as_str().unwrap_or(""),
        if e["problem"].is_null() {
            f.message.as_str()
        } else {
            ""
        },
        e["dirs"],
        e["pattern"],
        e["generated"],
    )
}

/// Merge the findings of each place (in the order of `places`) into one list.
pub(super) fn merge(repo: &Path, files: &[(&AirFile, Vec<Finding>)]) -> Vec<Finding> {
    let mut keys: Vec<String> = vec![];
    for (_, found) in files {
        for f in found {
            let k = problem(f);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let all: Vec<&LaunchContext> = files.iter().flat_map(|(f, _)| &f.launches).collect();
    let mut out = vec![];
    for k in keys {
        // This problem in each place it holds.
        let hits: Vec<(&AirFile, &Finding)> = files
            .iter()
            .filter_map(|(file, found)| found.iter().find(|f| problem(f) == k).map(|f| (*file, f)))
            .collect();
        let Some(&(first_file, first)) = hits.first() else {
            continue;
        };
        let mut f = first.clone();
        let everywhere = hits.len() == files.len();
        let is_path = PATH_PROBLEMS.contains(&f.evidence["problem"].as_str().unwrap_or(""));
        let same_message = hits.iter().all(|(_, h)| h.message == first.message);
        let where_: Vec<&LaunchContext> =
            hits.iter().flat_map(|(file, _)| &file.launches).collect();
        if !all.is_empty() && (is_path || !same_message || !everywhere) {
            let mut phrase = format!("from {}", named(&where_));
            if is_path && !everywhere {
                phrase.push_str(&format!(
                    " (air in {})",
                    folder(repo, &first_file.ctx.project.root)
                ));
            }
            locate(&mut f, &phrase);
        }
        if !everywhere {
            // It breaks one way of starting air, not the others: a warning, and no rewrite
            // that would change what works elsewhere.
            if f.severity == Severity::Fail {
                f.severity = Severity::Warn;
            }
            if matches!(&f.fix, Some(fix) if matches!(fix.action, Action::WriteFile { .. })) {
                f.fix = None;
            }
        } else if hits.iter().any(|(_, h)| {
            serde_json::to_string(&h.fix).ok() != serde_json::to_string(&first.fix).ok()
        }) {
            f.fix = None;
        }
        if !all.is_empty() {
            let launches: Vec<serde_json::Value> = where_
                .iter()
                .map(|l| {
                    json!({"file": l.launcher.file, "line": l.launcher.line, "target": l.launcher.target,
                           "cwd": l.cwd.as_deref().map(|c| folder(repo, c)), "in_container": l.container.is_some(),
                           "air": l.air.as_ref().map(ToString::to_string), "condition": l.condition()})
                })
                .collect();
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("launches".into(), json!(launches));
                obj.insert("in_every_launch".into(), json!(everywhere));
            }
        }
        // `{SERVICE_PATH}`: a template something fills in before air reads it (a `sed` in the
        // image build). Not known to stay as written, so not a certain failure.
        let left = placeholder(&f.message).map(|p| format!("if {p} is left as written"));
        if let (true, Severity::Fail, Some(phrase)) = (is_path, f.severity, left) {
            f.severity = Severity::Warn;
            locate(&mut f, &phrase);
        }
        out.push(f);
    }
    out
}

/// The first `{NAME}` or `${NAME}` in `text` (not air's own `{{.Output}}`, nor a regex's
/// `{2}`).
fn placeholder(text: &str) -> Option<&str> {
    text.match_indices('{').find_map(|(at, _)| {
        let name_at = at + 1;
        let len = text[name_at..].find('}')?;
        let name = &text[name_at..name_at + len];
        let ident = name.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic())
            && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
        let start = if text[..at].ends_with('$') {
            at - 1
        } else {
            at
        };
        (ident && !text[..at].ends_with('{')).then(|| &text[start..name_at + len + 1])
    })
}

/// The config file's path as a launcher in `cwd` would name it, for messages.
pub(super) fn relative(cwd: &Path, path: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(r) => clean_str(&r.to_string_lossy()),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reloaders::air::launch::Mount;

    #[test]
    fn placeholders_are_names_in_braces() {
        assert_eq!(
            placeholder("root = \"./cmd/{SERVICE_PATH}\""),
            Some("{SERVICE_PATH}")
        );
        assert_eq!(placeholder("bin = ${OUT}/main"), Some("${OUT}"));
        assert_eq!(placeholder("go build -o {{.Output}} {{.Input}}"), None);
        assert_eq!(placeholder("exclude_regex = [\"a{2}\", \"x{1,3}\"]"), None);
    }

    #[test]
    fn container_paths_become_host_paths() {
        let c = Container {
            cwd: "/app".into(),
            mounts: vec![Mount {
                container: "/app".into(),
                host: PathBuf::from("/r/backend"),
                live: true,
            }],
            ..Container::default()
        };
        assert_eq!(
            map_paths(
                "cd /app/cmd && go build -o /app/tmp/main . && /usr/bin/true",
                &c
            ),
            "cd /r/backend/cmd && go build -o /r/backend/tmp/main . && /usr/bin/true"
        );
        assert_eq!(map_paths("/app", &c), "/r/backend");
        assert_eq!(map_paths("./tmp/main", &c), "./tmp/main");
        let mut air = AirConfig {
            root: "/app".into(),
            ..AirConfig::default()
        };
        assert!(to_host(&mut air, &c));
        assert_eq!(air.root, "/r/backend");
    }
}
