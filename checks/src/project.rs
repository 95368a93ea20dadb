//! What project we are looking at: its root, its reloader and config, its app port.

pub use crate::app_port::PortSource;
use crate::golang::build_plan::BuildPlan;
use crate::golang::modfile::{go_work_uses, parse_go_mod, GoMod};
use crate::golang::source::{builds_a_go_file_in, holds_go_code};
use crate::reloaders::air::config::{self as air, AirConfig, ConfigError};
use crate::reloaders::air::launch;
use crate::reloaders::air::written::Written;
use crate::reloaders::event_rules::{fresh_settings, EventRules};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reloader {
    Air,
    Fresh,
    Gin,
    None,
}

impl Reloader {
    pub fn as_str(self) -> &'static str {
        match self {
            Reloader::Air => "air",
            Reloader::Fresh => "fresh",
            Reloader::Gin => "gin",
            Reloader::None => "none",
        }
    }

    /// The executable a user runs for this reloader.
    pub fn binary(self) -> Option<&'static str> {
        match self {
            Reloader::Air => Some("air"),
            Reloader::Fresh => Some("fresh"),
            Reloader::Gin => Some("gin"),
            Reloader::None => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// None when no `go.mod` was found at or above the given folder.
    pub go_mod: Option<GoMod>,
    pub reloader: Reloader,
    pub config_path: Option<PathBuf>,
    /// What air (or our runner) will use: the parsed file merged onto air's defaults, or the
    /// defaults alone when there is no file or it could not be parsed.
    pub air: AirConfig,
    /// The air config file as written, parsed once (None without one, or when it could not
    /// be read or is not TOML: then `config_error` says why).
    pub air_written: Option<Written>,
    pub config_error: Option<ConfigError>,
    pub port: u16,
    pub port_source: PortSource,
    /// Where the port came from, for the header (`main.go:31`).
    pub port_origin: Option<String>,
    /// codegangsta/gin's proxy and app ports, for a gin project.
    pub gin: Option<crate::reloaders::gin::Ports>,
    /// The launchers of the repository `root` belongs to, read once.
    pub launches: Arc<launch::Launches>,
}

/// Errors that stop the doctor before any check runs.
#[derive(Debug)]
pub enum ProjectError {
    Missing(PathBuf),
    NotADirectory(PathBuf),
    Unreadable(PathBuf, std::io::Error),
}

impl std::fmt::Display for ProjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProjectError::Missing(p) => write!(
                f,
                "project folder {} does not exist; pass an existing folder with --project",
                p.display()
            ),
            ProjectError::NotADirectory(p) => write!(
                f,
                "{} is not a folder; pass the folder that holds go.mod with --project",
                p.display()
            ),
            ProjectError::Unreadable(p, e) => {
                write!(f, "cannot read project folder {}: {e}", p.display())
            }
        }
    }
}

impl std::error::Error for ProjectError {}

impl Project {
    /// Detect the project that contains `start`, walking up to the nearest `go.mod` the
    /// way git finds `.git`. `port_flag` wins over every other port source.
    pub fn detect(start: &Path, port_flag: Option<u16>) -> Result<Project, ProjectError> {
        let start = readable_dir(start)?;
        let module_root = start.ancestors().find(|d| d.join("go.mod").is_file());
        // A reloader config between `start` and the module root marks the folder the user
        // runs the reloader in (`cd server && air` with go.mod one level up): that folder is
        // the project, as air's root "." and build.cmd's paths are relative to it.
        // Not a hidden folder (`.docker/app/.air.toml`, `.air/docker.toml`): air skips hidden
        // folders, its root too, so such a config is passed with `-c` from above.
        let config_dir = module_root.and_then(|m| {
            let hidden = |d: &Path| {
                d.strip_prefix(m).is_ok_and(|rel| {
                    rel.components()
                        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                })
            };
            start
                .ancestors()
                .take_while(|d| *d != m)
                .find(|d| !hidden(d) && has_reloader_config(d))
        });
        // Unless it holds no Go code and its build cannot run there (`build/air.toml` with
        // `cmd = "go build ."`): then it is run as `air -c build/air.toml` from the module
        // root, where its paths resolve.
        let module_config = config_dir
            .zip(module_root)
            .and_then(|(d, m)| module_config(d, m));
        let root = match module_config {
            Some(_) => module_root,
            None => config_dir.or(module_root),
        }
        .unwrap_or(&start)
        .to_path_buf();

        let launches = launch::Launches::of(&root);
        let (reloader, config_path) = match module_config {
            Some(config) => (Reloader::Air, Some(config)),
            None => match detect_reloader(&root, &launches.contexts) {
                (Reloader::None, None) => launched_below(&root, module_root, &launches)
                    .map_or((Reloader::None, None), |c| (Reloader::Air, Some(c))),
                found => found,
            },
        };
        // The folder air runs in is the project: a Makefile's `air -c cmd/api/.air.toml` runs
        // it in the repository root, where the config's paths point (reloader-config judges
        // every launcher's folder; the other checks take the first, host launchers first).
        let root = match (&reloader, &config_path) {
            (Reloader::Air, Some(config)) => launch_dir(&root, config, &launches).unwrap_or(root),
            _ => root,
        };
        // The module of the folder air runs in, not of the one the doctor started in.
        let go_mod = go_mod_of(&root);
        // Without `.git`, a launcher's folder may hold a Go module of its own, and so be
        // another repository.
        let launches = match launch::repository_root(&root) {
            repo if repo == launches.repo => launches,
            repo => launch::Launches::in_repo(&repo),
        };
        let (air, air_written, config_error) = match (&reloader, &config_path) {
            (Reloader::Air, Some(path)) => load_air(path),
            _ => (AirConfig::default(), None, None),
        };

        let gin = (reloader == Reloader::Gin).then(|| crate::reloaders::gin::ports(&root));
        let port =
            crate::app_port::resolve(&root, &air, gin.as_ref(), port_flag, config_path.as_deref());
        let (port, port_source, port_origin) = (port.port, port.source, port.origin);

        Ok(Project {
            root,
            go_mod,
            reloader,
            config_path,
            air,
            air_written,
            config_error,
            port,
            port_source,
            port_origin,
            gin,
            launches: Arc::new(launches),
        })
    }

    /// The port when something names it; None when it is unknown (`port` is then only
    /// what the checks assume): `run` and `verify` learn it from the app's sockets.
    pub fn known_port(&self) -> Option<u16> {
        (self.port_source != PortSource::Unknown).then_some(self.port)
    }

    /// What the project's reloader builds.
    pub fn build_plan(&self) -> BuildPlan {
        match self.reloader {
            // air, and our own runner when there is no config, run `build.cmd`.
            Reloader::Air | Reloader::None => BuildPlan::parse(&self.air.build.cmd),
            // gin runs `go build -o <bin> [buildArgs]` and fresh `go build -o <bin> <root>`,
            // both in the project folder.
            Reloader::Gin | Reloader::Fresh => BuildPlan::parse("go build ."),
        }
    }

    /// The rules of the project's reloader, watching from `root` (its canonical watch root).
    /// None for gin: it polls modification times of non-hidden .go files, no events.
    pub fn event_rules(&self, root: &Path) -> Option<EventRules> {
        match self.reloader {
            Reloader::Gin => None,
            Reloader::Fresh => {
                let conf = self.config_path.as_ref();
                let text = conf.and_then(|p| crate::system::files::read_to_string(p).ok());
                Some(EventRules::fresh(
                    &fresh_settings(text.as_deref()),
                    &self.root,
                ))
            }
            Reloader::Air | Reloader::None => Some(EventRules::air_in(&self.air, root, &self.root)),
        }
    }

    /// The root air watches: `root` from the config, relative to the project.
    pub fn watch_root(&self) -> PathBuf {
        self.root.join(&self.air.root)
    }

    /// A path shown relative to the project root when it is inside it.
    pub fn display_path(&self, p: &Path) -> String {
        match p.strip_prefix(&self.root) {
            Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
            Ok(rel) => rel.display().to_string(),
            Err(_) => p.display().to_string(),
        }
    }
}

/// The go.mod of the module holding `dir` (its nearest `go.mod` upward), parsed.
pub(crate) fn go_mod_of(dir: &Path) -> Option<GoMod> {
    let module = dir.ancestors().find(|d| d.join("go.mod").is_file())?;
    Some(
        crate::system::files::read_to_string(module.join("go.mod"))
            .map(|t| parse_go_mod(&t))
            .unwrap_or_default(),
    )
}

/// The air config at `path`: the settings air uses (its defaults when the file cannot be
/// read), the file as written, and why it could not be read.
pub(crate) fn load_air(path: &Path) -> (AirConfig, Option<Written>, Option<ConfigError>) {
    match air::load(path) {
        Ok(w) => match AirConfig::read(&w) {
            Ok(c) => (c, Some(w), None),
            Err(issue) => {
                let e = ConfigError::wrong_type(path, &issue);
                (AirConfig::default(), Some(w), Some(e))
            }
        },
        Err(e) => (AirConfig::default(), None, Some(e)),
    }
}

/// The folder the repository's first launcher of `config` starts air in, when it is another
/// folder of the same repository than `root`.
fn launch_dir(root: &Path, config: &Path, launches: &launch::Launches) -> Option<PathBuf> {
    let repo = &launches.repo;
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let target = real(config)?;
    let reads_it = |c: &&launch::LaunchContext| matches!(&c.config, launch::ConfigRef::Read(p) if real(p).as_ref() == Some(&target));
    // One launcher of it runs air here (one of several compose services sharing a config):
    // this folder is the project, not the first launcher's.
    let here = real(root);
    if launches
        .contexts
        .iter()
        .filter(reads_it)
        .any(|c| c.cwd.as_deref().and_then(real) == here)
    {
        return None;
    }
    launches
        .contexts
        .iter()
        .find_map(|c| match (&c.config, &c.cwd) {
            (launch::ConfigRef::Read(p), Some(cwd)) if real(p).as_ref() == Some(&target) => {
                let cwd = real(cwd)?;
                (cwd.starts_with(repo) && cwd.is_dir() && cwd != root).then_some(cwd)
            }
            _ => None,
        })
}

/// For a folder where nothing runs air and no config is: the config the repository's
/// launchers run air with in a folder below it, of the same Go module (a Makefile's `cd cmd
/// && air -c .air.toml`, a `dev/Procfile`'s `server: air` reading `dev/.air.toml`), the first
/// such launcher's. No one runs air with its defaults here, so the report is about that run.
/// None when a launcher runs air here, or when none reads a config below.
fn launched_below(
    root: &Path,
    module_root: Option<&Path>,
    launches: &launch::Launches,
) -> Option<PathBuf> {
    let module_root = module_root?;
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let here = real(root)?;
    let contexts = &launches.contexts;
    if contexts
        .iter()
        .any(|c| c.cwd.as_deref().and_then(real).as_ref() == Some(&here))
    {
        return None;
    }
    contexts.iter().find_map(|c| {
        let (launch::ConfigRef::Read(config), Some(cwd)) = (&c.config, &c.cwd) else {
            return None;
        };
        let cwd = real(cwd)?;
        let module = cwd.ancestors().find(|d| d.join("go.mod").is_file())?;
        let same_module = real(module) == real(module_root);
        (cwd != here && cwd.starts_with(&here) && same_module).then(|| config.clone())
    })
}

/// `start` made absolute, once it is known to be a folder this user can list.
fn readable_dir(start: &Path) -> Result<PathBuf, ProjectError> {
    let dir = match std::fs::canonicalize(start) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ProjectError::Missing(start.to_path_buf()))
        }
        Err(e) => return Err(ProjectError::Unreadable(start.to_path_buf(), e)),
    };
    if !dir.is_dir() {
        return Err(ProjectError::NotADirectory(dir));
    }
    std::fs::read_dir(&dir).map_err(|e| ProjectError::Unreadable(dir.clone(), e))?;
    Ok(dir)
}

/// The folder a command works in when it is started in `start` (`--project` or the current
/// folder): `start` itself, unless it is a monorepo root (no `go.mod` at or above it, no
/// reloader config in it) with Go modules below it. The report, `run` and `verify` all ask
/// here, so they examine, run and verify the same project.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// Work in this folder (absolute); [`Project::detect`] walks up from it.
    Here(PathBuf),
    /// `root` is a monorepo root with one module below it, or one of its `among` modules
    /// the only one that uses a reloader: work in `module`.
    Below {
        root: PathBuf,
        module: PathBuf,
        among: usize,
    },
}

/// Why [`locate`] could not choose a folder.
#[derive(Debug)]
pub enum LocateError {
    Project(ProjectError),
    /// A monorepo root with several modules below it (the likeliest first); `reloading` when
    /// they are the several that use a reloader (others, which do not, are left out).
    Several {
        root: PathBuf,
        modules: Vec<PathBuf>,
        reloading: bool,
    },
}

/// Where a command started in `start` works: see [`Location`].
pub fn locate(start: &Path) -> Result<Location, LocateError> {
    let dir = readable_dir(start).map_err(LocateError::Project)?;
    let in_module = dir.ancestors().any(|d| d.join("go.mod").is_file());
    if in_module || detect_reloader(&dir, &launch::Launches::of(&dir).contexts).0 != Reloader::None
    {
        return Ok(Location::Here(dir));
    }
    let below = modules_below(&dir);
    let among = below.len();
    let reloading: Vec<PathBuf> = below
        .iter()
        .filter(|(_, reloads)| *reloads)
        .map(|(d, _)| d.clone())
        .collect();
    // A monorepo of several modules of which one runs air (a Go service beside Go tools or
    // SDKs) is that module's project: it is the one a reload report is about.
    let mut chosen = match (among, reloading.len()) {
        (0, _) => return Ok(Location::Here(dir)),
        (1, _) => below.into_iter().map(|(d, _)| d).collect(),
        (_, 1) => reloading,
        (_, 0) => {
            return Err(LocateError::Several {
                root: dir,
                modules: below.into_iter().map(|(d, _)| d).collect(),
                reloading: false,
            })
        }
        _ => {
            return Err(LocateError::Several {
                root: dir,
                modules: reloading,
                reloading: true,
            })
        }
    };
    Ok(Location::Below {
        root: dir,
        module: chosen.remove(0),
        among,
    })
}

/// A file that names a reloader by itself (not a Makefile or script that may run one).
pub(crate) fn has_reloader_config(dir: &Path) -> bool {
    [
        ".air.toml",
        ".config/air.toml",
        ".air.conf",
        "air.toml",
        "runner.conf",
    ]
    .iter()
    .any(|name| is_config_file(&dir.join(name)))
        || !variant_configs(dir).is_empty()
}

/// Whether `path`, named like a reloader config, is one: a file that is not clearly written
/// in another language. Go source (hubit-space/hubit-space's service/air.toml, whose first
/// code line is `package repository`) is no config: a TOML file never holds a bare
/// `package x` line. The one place configs found by name are decided; a launcher's `-c FILE`
/// names its file itself.
pub(crate) fn is_config_file(path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    let Ok(text) = crate::system::files::read_to_string(path) else {
        return true;
    };
    !is_go_source(&text)
}

/// Whether `text` is Go source: its first line of code, after blank lines and `//` or
/// `/* */` comments, is `package NAME`.
fn is_go_source(text: &str) -> bool {
    let mut in_block = false;
    for line in text.lines() {
        let mut t = line.trim();
        if in_block {
            match t.find("*/") {
                Some(end) => {
                    in_block = false;
                    t = t[end + 2..].trim();
                }
                None => continue,
            }
        }
        if t.starts_with("/*") {
            match t[2..].find("*/") {
                Some(end) => t = t[end + 4..].trim(),
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        let Some(name) = t.strip_prefix("package ") else {
            return false;
        };
        let name = name.split("//").next().unwrap_or("").trim();
        return !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    }
    false
}

/// The air config of `dir` as a person names it: what plain air reads, then `.air.conf`,
/// `air.toml`, then the variants (the development one first).
fn air_config_in(dir: &Path) -> Option<PathBuf> {
    [".air.toml", ".config/air.toml", ".air.conf", "air.toml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| is_config_file(p))
        .or_else(|| variant_configs(dir).into_iter().next())
}

/// The air config of `dir`, a folder below the Go module `module` that holds no Go code (or
/// only a library package's), when its build cannot run in `dir`: a `go build` there has no package to build (unless it
/// `cd`s out), a `make` there has no Makefile the module root has. Such a config is run as
/// `air -c dir/air.toml` from the module root (dstuessy/film-scanner's `build/air.toml`);
/// a `cp main.run ./tmp/main` (a deploy folder air runs in) is left where it is.
fn module_config(dir: &Path, module: &Path) -> Option<PathBuf> {
    // A folder of a library package (`configs/config.go`, package configs) is no place to
    // build the app either: `go build .` there writes a package archive air cannot run.
    let library = crate::golang::source::library_package(dir).is_some();
    if dir.join("go.mod").is_file() || (holds_go_code(dir) && !library) {
        return None;
    }
    let config = air_config_in(dir)?;
    let (air, _, error) = load_air(&config);
    if error.is_some() {
        return None;
    }
    let cmd = air.build.cmd;
    let plan = BuildPlan::parse(&cmd);
    let go_build = !plan
        .approximation
        .as_deref()
        .is_some_and(|a| a.contains("not a `go build`"));
    let runs_in = |d: &Path| -> Option<bool> {
        if go_build {
            let work = plan.work_dir(d);
            let files = plan.listed_files();
            return Some(match files.is_empty() {
                true => {
                    let main = plan.main_dir(d);
                    builds_a_go_file_in(&main)
                        && crate::golang::source::library_package(&main).is_none()
                }
                false => files.iter().all(|f| work.join(f).is_file()),
            });
        }
        let program = crate::golang::build_plan::program(&cmd)?;
        let marks: &[&str] = match program.as_str() {
            "make" => &["Makefile", "makefile", "GNUmakefile"],
            "task" => &["Taskfile.yml", "Taskfile.yaml"],
            "just" => &["justfile", "Justfile", ".justfile"],
            p if p.contains('/') => &[p],
            _ => return None,
        };
        Some(marks.iter().any(|m| d.join(m).exists()))
    };
    // A go build has only the module's code to build; another command must find what it
    // runs in the module root.
    let elsewhere = runs_in(dir) == Some(false) && (go_build || runs_in(module) == Some(true));
    elsewhere.then_some(config)
}

/// How deep below a module root a config of the module ([`module_config`]) is looked for.
const MODULE_CONFIG_DEPTH: usize = 2;

/// The one folder below the module root `module` (not hidden, not its own module) whose air
/// config is the module's ([`module_config`]); None when there is none or several.
fn module_config_below(module: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = vec![];
    let mut queue = std::collections::VecDeque::from([(module.to_path_buf(), 0)]);
    let mut seen = 0;
    while let Some((d, depth)) = queue.pop_front() {
        seen += 1;
        if seen > MODULE_SEARCH_DIRS || found.len() > 1 {
            break;
        }
        if depth > 0 {
            if d.join("go.mod").is_file() {
                continue;
            }
            if let Some(c) = air_config_in(&d).and_then(|_| module_config(&d, module)) {
                found.push(c);
            }
        }
        if depth == MODULE_CONFIG_DEPTH {
            continue;
        }
        queue.extend(searched_subfolders(&d).into_iter().map(|s| (s, depth + 1)));
    }
    (found.len() == 1).then(|| found.remove(0))
}

/// The reloader `root` is set up for and its config, with `contexts` the launchers of
/// `root`'s repository.
fn detect_reloader(root: &Path, contexts: &[launch::LaunchContext]) -> (Reloader, Option<PathBuf>) {
    // What plain `air` reads, then the file a Makefile or script passes with `air -c`.
    for name in crate::reloaders::air::config::PLAIN_AIR_CONFIGS {
        let p = root.join(name);
        if p.exists() && (!p.is_file() || is_config_file(&p)) {
            return (Reloader::Air, Some(p));
        }
    }
    // A launcher that starts air here with `-c FILE` (a Makefile's `air -c .air.dev.toml`).
    let here: Vec<&launch::LaunchContext> = contexts
        .iter()
        .filter(|c| c.cwd.as_deref() == Some(root))
        .collect();
    let launched = here.iter().find_map(|c| match &c.config {
        launch::ConfigRef::Read(p) => Some(p.clone()),
        _ => None,
    });
    if let Some(p) = launched {
        return (Reloader::Air, Some(p));
    }
    // A launcher runs plain `air` here and the one config beside it has a name plain air
    // never reads (`.air.local.toml`): that config is the one meant, and air ignores it.
    let plain_here = here.iter().any(|c| c.config == launch::ConfigRef::Defaults);
    if let Some(p) = plain_here.then(|| only_variant(root)).flatten() {
        return (Reloader::Air, Some(p));
    }
    for (name, reloader) in [
        // Files plain air does not read (`.air.conf` since v1.63.2), still meant for air:
        // the reloader-config check says so.
        (".air.conf", Reloader::Air),
        ("air.toml", Reloader::Air),
        ("runner.conf", Reloader::Fresh),
    ] {
        let p = root.join(name);
        if p.exists() && (!p.is_file() || is_config_file(&p)) {
            return (reloader, Some(p));
        }
    }
    if here.is_empty() {
        // Nothing starts air here, and the only configs are `.air.dev.toml`-like names: the
        // project is run as `air -c .air.dev.toml` (its README says so).
        if let Some(p) = variant_configs(root).into_iter().next() {
            return (Reloader::Air, Some(p));
        }
        // `build/air.toml`, whose build only runs from this module root.
        if let Some(p) = root
            .join("go.mod")
            .is_file()
            .then(|| module_config_below(root))
            .flatten()
        {
            return (Reloader::Air, Some(p));
        }
    }
    if crate::reloaders::gin::marker(root).is_some() {
        return (Reloader::Gin, None);
    }
    (Reloader::None, None)
}

/// The only `.air.*.toml` / `air.*.toml` in `root` (`.air.local.toml`, `air.dev.toml`).
fn only_variant(root: &Path) -> Option<PathBuf> {
    let mut variants = variant_configs(root);
    (variants.len() == 1).then(|| variants.remove(0))
}

/// The `.air.*.toml` / `air.*.toml` files in `dir` (`.air.dev.toml`, `air.prod.toml`), which
/// plain air never reads: the development one first, then by name.
pub(crate) fn variant_configs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut found: Vec<(bool, String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let variant = name.ends_with(".toml")
                && (name.starts_with(".air.") || name.starts_with("air."))
                && !matches!(name.as_str(), ".air.toml" | "air.toml");
            let dev = name
                .split('.')
                .any(|w| matches!(w, "dev" | "development" | "local"));
            (variant && is_config_file(&e.path())).then(|| (!dev, name, e.path()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, _, p)| p).collect()
}

/// Whether a config's file name says it is for Windows: a word `windows` or `win` between
/// dots, dashes or underscores (`.air.windows.toml`, `.air-windows.toml`, `air_win.toml`).
pub(crate) fn names_windows(name: &str) -> bool {
    name.split(['.', '-', '_'])
        .any(|w| matches!(w.to_ascii_lowercase().as_str(), "windows" | "win"))
}

/// Whether a config's file name says it is for Linux or macOS: a word `linux`, `unix`,
/// `mac`, `macos`, `osx`, `darwin` or `posix` between dots, dashes or underscores
/// (`.air.linux.toml`, `.air-mac.toml`).
pub(crate) fn names_unix(name: &str) -> bool {
    name.split(['.', '-', '_']).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "linux" | "unix" | "mac" | "macos" | "osx" | "darwin" | "posix"
        )
    })
}

/// The air configs for Linux or macOS in `dir` (AnDoor/SADU-BAKCKEND-'s `.air.linux.toml`
/// beside a Windows `.air.toml`): TOML files with air and a Linux/macOS word in their name,
/// by name.
pub(crate) fn unix_configs(dir: &Path) -> Vec<PathBuf> {
    os_configs(dir, names_unix)
}

/// The air configs for Windows in `dir` (`scripts/.air-windows.toml` beside
/// `scripts/.air.toml`): TOML files with air and a Windows word in their name, by name.
pub(crate) fn windows_configs(dir: &Path) -> Vec<PathBuf> {
    os_configs(dir, names_windows)
}

/// The TOML files in `dir` with air in their name and a system word `names` takes, by name.
fn os_configs(dir: &Path, names: fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            name.ends_with(".toml")
                && name.contains("air")
                && names(&name)
                && is_config_file(&e.path())
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// How deep and how wide [`modules_below`] looks: monorepos keep their services a level or
/// two down (`server/`, `services/api/`), and a huge tree must not slow the report.
const MODULE_SEARCH_DEPTH: usize = 3;
const MODULE_SEARCH_DIRS: usize = 2_000;

/// The Go modules below `dir` (not `dir` itself), for a monorepo root without a `go.mod`:
/// the folders a `go.work` uses, else every folder holding a `go.mod`; each with whether it
/// uses a reloader, those first. Hidden, `node_modules`, `vendor` and `testdata` folders are
/// skipped; symlinks are not followed.
fn modules_below(dir: &Path) -> Vec<(PathBuf, bool)> {
    let used = crate::system::files::read_to_string(dir.join("go.work"))
        .map(|work| {
            go_work_uses(&work)
                .into_iter()
                .map(|u| dir.join(u))
                .filter(|d| d.join("go.mod").is_file() && d != dir)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let found = if used.is_empty() {
        modules_in_tree(dir)
    } else {
        used
    };
    // Each repository's launchers are read once (the modules of one repository share them).
    let mut read: std::collections::HashMap<PathBuf, launch::Launches> = Default::default();
    let mut found: Vec<(PathBuf, bool)> = found
        .into_iter()
        .map(|d| {
            let launches = read
                .entry(launch::repository_root(&d))
                .or_insert_with_key(|repo| launch::Launches::in_repo(repo));
            let reloads = detect_reloader(&d, &launches.contexts).0 != Reloader::None;
            (d, reloads)
        })
        .collect();
    found.sort_by_key(|(_, reloads)| !*reloads);
    found
}

/// Every folder below `dir` holding a `go.mod` (a nested module belongs to its parent's).
fn modules_in_tree(dir: &Path) -> Vec<PathBuf> {
    let mut found = vec![];
    let mut queue = std::collections::VecDeque::from([(dir.to_path_buf(), 0)]);
    let mut seen = 0;
    while let Some((d, depth)) = queue.pop_front() {
        seen += 1;
        if seen > MODULE_SEARCH_DIRS {
            break;
        }
        if depth > 0 && d.join("go.mod").is_file() {
            found.push(d);
            continue; // a nested module belongs to this one's tree
        }
        if depth == MODULE_SEARCH_DEPTH {
            continue;
        }
        queue.extend(searched_subfolders(&d).into_iter().map(|s| (s, depth + 1)));
    }
    found
}

/// The folders below `d` a search for a module or config goes into, sorted: not hidden ones,
/// node_modules, vendor or testdata.
fn searched_subfolders(d: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(d) else {
        return vec![];
    };
    let mut subdirs: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !n.starts_with('.') && !matches!(n.as_str(), "node_modules" | "vendor" | "testdata")
        })
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    subdirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_below_a_monorepo_root_put_the_reloader_config_first() {
        let d = tempfile::tempdir().unwrap();
        for m in ["tools", "server", "web/node_modules/x", ".git/x"] {
            std::fs::create_dir_all(d.path().join(m)).unwrap();
            std::fs::write(d.path().join(m).join("go.mod"), "module x\n").unwrap();
        }
        std::fs::write(d.path().join("server/.air.toml"), "").unwrap();
        let found = modules_below(d.path());
        assert_eq!(
            found,
            vec![
                (d.path().join("server"), true),
                (d.path().join("tools"), false)
            ]
        );
    }

    /// The report, run and verify ask where to work: in a module (or below one), there; at a
    /// monorepo root, its one module; with several, none (they are named).
    #[test]
    fn locate_a_module_or_the_one_below_a_monorepo_root() {
        let d = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(d.path()).unwrap();
        std::fs::create_dir_all(top.join("backend/internal")).unwrap();
        std::fs::create_dir_all(top.join("frontend/node_modules/x")).unwrap();
        std::fs::write(top.join("backend/go.mod"), "module b\n").unwrap();
        std::fs::write(top.join("frontend/node_modules/x/go.mod"), "module x\n").unwrap();
        let inner = top.join("backend/internal");
        assert_eq!(locate(&inner).unwrap(), Location::Here(inner.clone()));
        let below = Location::Below {
            root: top.clone(),
            module: top.join("backend"),
            among: 1,
        };
        assert_eq!(locate(&top).unwrap(), below);
        std::fs::create_dir_all(top.join("tools")).unwrap();
        std::fs::write(top.join("tools/go.mod"), "module t\n").unwrap();
        match locate(&top) {
            Err(LocateError::Several {
                modules,
                reloading: false,
                ..
            }) => assert_eq!(modules, [top.join("backend"), top.join("tools")]),
            other => panic!("{other:?}"),
        }
        // Of several modules, the one that runs air is the project.
        std::fs::write(top.join("tools/.air.toml"), "").unwrap();
        let tools = Location::Below {
            root: top.clone(),
            module: top.join("tools"),
            among: 2,
        };
        assert_eq!(locate(&top).unwrap(), tools);
        // Several that run air: they are named, not the others.
        std::fs::create_dir_all(top.join("api")).unwrap();
        std::fs::write(top.join("api/go.mod"), "module a\n").unwrap();
        std::fs::write(top.join("api/.air.toml"), "").unwrap();
        match locate(&top) {
            Err(LocateError::Several {
                modules,
                reloading: true,
                ..
            }) => assert_eq!(modules, [top.join("api"), top.join("tools")]),
            other => panic!("{other:?}"),
        }
        std::fs::remove_file(top.join("api/.air.toml")).unwrap();
        std::fs::remove_file(top.join("tools/.air.toml")).unwrap();
        // A reloader config at the root: the root is the project (its cmd may cd below).
        std::fs::write(top.join(".air.toml"), "").unwrap();
        assert_eq!(locate(&top).unwrap(), Location::Here(top.clone()));
        assert!(matches!(
            locate(&top.join("nope")),
            Err(LocateError::Project(ProjectError::Missing(_)))
        ));
    }

    /// `cd server && air` with go.mod one level up (a module at the repository root): the
    /// project is server/, where .air.toml is, not the module root where no config is.
    #[test]
    fn a_reloader_config_below_the_module_root_is_the_project() {
        let d = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(d.path()).unwrap();
        std::fs::create_dir_all(top.join("server/cmd/api")).unwrap();
        std::fs::create_dir_all(top.join("web")).unwrap();
        std::fs::write(top.join("go.mod"), "module example.com/x\n\ngo 1.22\n").unwrap();
        std::fs::write(
            top.join("server/cmd/api/main.go"),
            "package main\n\nfunc main() {}\n",
        )
        .unwrap();
        std::fs::write(
            top.join("server/.air.toml"),
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n",
        )
        .unwrap();
        for start in ["server", "server/cmd/api"] {
            let p = Project::detect(&top.join(start), None).unwrap();
            assert_eq!(p.root, top.join("server"), "from {start}");
            assert_eq!(p.reloader, Reloader::Air, "from {start}");
            assert_eq!(p.go_mod.as_ref().unwrap().module, "example.com/x");
        }
        // A config in a hidden folder is read with `air -c` from above: not a project.
        std::fs::create_dir_all(top.join("server/.docker/app")).unwrap();
        std::fs::write(top.join("server/.docker/app/.air.toml"), "[build]\n").unwrap();
        let p = Project::detect(&top.join("server/.docker/app"), None).unwrap();
        assert_eq!(p.root, top.join("server"));
        // Elsewhere in the module, the module root is the project as before.
        let p = Project::detect(&top.join("web"), None).unwrap();
        assert_eq!(p.root, top);
        assert_eq!(p.reloader, Reloader::None);
    }

    /// A config in a folder without Go code whose build names a package folder only the
    /// module root has (AnotherRiz/bitx-backend's configs/.air.toml building ./cmd/server;
    /// damonchen/oss-server's scripts/.air.toml), or whose folder holds a library package
    /// (Done-0/metaphysics' configs/ with package configs, `go build .`): the module's config,
    /// run with `air -c` from the module root, found from the root and from its folder alike.
    #[test]
    fn a_config_whose_build_cannot_run_in_its_folder_is_the_modules() {
        let d = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(d.path()).unwrap();
        let write = |p: &str, text: &str| {
            std::fs::create_dir_all(top.join(p).parent().unwrap()).unwrap();
            std::fs::write(top.join(p), text).unwrap();
        };
        write("go.mod", "module example.com/x\n\ngo 1.22\n");
        write("cmd/server/main.go", "package main\n\nfunc main() {}\n");
        write(
            "configs/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n",
        );
        for start in [".", "configs"] {
            let p = Project::detect(&top.join(start), None).unwrap();
            assert_eq!(p.root, top, "from {start}");
            assert_eq!(
                p.config_path,
                Some(top.join("configs/.air.toml")),
                "from {start}"
            );
        }
        write("main.go", "package main\n\nfunc main() {}\n");
        write("configs/config.go", "package configs\n\nconst Port = 1\n");
        write(
            "configs/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n",
        );
        for start in [".", "configs"] {
            let p = Project::detect(&top.join(start), None).unwrap();
            assert_eq!(p.root, top, "from {start}");
            assert_eq!(
                p.config_path,
                Some(top.join("configs/.air.toml")),
                "from {start}"
            );
        }
        // A folder whose package is main builds there: its own project, as before.
        write("configs/config.go", "package main\n\nfunc main() {}\n");
        let p = Project::detect(&top.join("configs"), None).unwrap();
        assert_eq!(p.root, top.join("configs"));
    }
}
