//! Where a repository starts air: every launcher it has (read as text, never run), each with
//! the folder air runs in and the config it reads, container paths mapped back to the host.
//!
//! air reads `-c FILE` when given (relative to the folder it runs in), else `.air.toml`, else
//! `.config/air.toml` there (v1.67.4 `runner/config.go` `defaultPathConfig`); `.air.conf` was
//! read until v1.63.1, `.config/air.toml` since v1.65.3: which, by the release the launcher
//! runs (`versions::default_configs`). Its `root`, `tmp_dir` and `bin` are relative to that folder too
//! (`filepath.Abs`), which is why a config is judged in each place it is started from.
//!
//! One reader per kind of launcher file, each small: [`makefile`], [`justfile`], [`taskfile`],
//! [`package_json`], [`procfile`], [`script`], [`dockerfile`], [`compose`], [`vscode`],
//! [`devcontainer`], [`mise`], [`gitpod`], [`moon`], [`nx`], [`skaffold`], [`magefile`] (and,
//! read the same way, a Go program of the repository's own that starts air: `go run ./cmd/dev`,
//! run in the module root; read, never built or run). Each
//! finds the shell lines that may start air and says where they run; this module finds air in
//! them ([`air_call`]) and resolves the folder and the config. A line that hands a command to
//! another program ([`nested`]: `docker compose exec app air`, `concurrently "air" ...`;
//! [`tmux`]'s panes; [`docker_run`]: `docker run` of an image a `docker build` makes) is read
//! again where that program runs it.

mod air_call;
mod compose;
mod devcontainer;
mod docker_run;
mod dockerfile;
mod docs;
mod gitpod;
mod justfile;
pub(crate) mod magefile;
mod makefile;
mod mise;
mod moon;
mod nested;
mod nx;
mod package_json;
mod procfile;
mod programs;
mod script;
mod skaffold;
mod taskfile;
mod tmux;
mod vscode;

use super::versions::{default_configs, installed_by, AirVersion, StuckInstall, Toolchain};
use crate::filepath::clean_str;
use crate::shell;
pub use air_call::air_call;
use air_call::AirNames;
pub use docs::{
    documented_calls, documented_configs, documented_missing, documented_run, DocumentedCall,
};
pub use makefile::UnmadePrerequisite;
pub use mise::tools as mise_tools;
use nested::{concurrently_lines, docker_exec_line};
pub use programs::{Base, Has, Programs};
use std::path::{Path, PathBuf};

/// The kind of file a launcher is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Makefile,
    Justfile,
    Taskfile,
    PackageJson,
    Procfile,
    Script,
    Dockerfile,
    Compose,
    VsCodeTask,
    Devcontainer,
    /// `mise.toml` tasks.
    Mise,
    /// `.gitpod.yml` tasks.
    Gitpod,
    /// moon's `moon.yml` tasks.
    Moon,
    /// Nx's `project.json` targets.
    Nx,
    /// mage's `magefile.go` (or `magefiles/`) targets.
    Mage,
    /// `skaffold.yaml` artifacts built with docker.
    Skaffold,
    /// A Go program of the repository's own that starts air (a dev runner in a main package,
    /// `go run ./cmd/dev`): its `.go` files.
    GoProgram,
}

impl Kind {
    /// What a target of this kind is called (`the Makefile's `dev` target`).
    fn target_word(self) -> &'static str {
        match self {
            Kind::Makefile | Kind::Justfile | Kind::Nx | Kind::Mage => "target",
            Kind::Taskfile | Kind::Mise | Kind::Gitpod | Kind::Moon => "task",
            Kind::PackageJson => "script",
            Kind::Procfile => "process",
            Kind::Compose => "service",
            Kind::Skaffold => "artifact",
            Kind::VsCodeTask => "task",
            Kind::Devcontainer => "command",
            Kind::Dockerfile => "stage",
            Kind::Script | Kind::GoProgram => "line",
        }
    }
}

/// The line of a file that starts air.
#[derive(Debug, Clone, PartialEq)]
pub struct Launcher {
    /// The file, relative to the repository (`Makefile`, `deploy/compose.yml`).
    pub file: String,
    pub line: usize,
    pub kind: Kind,
    /// The make target, script, task, compose service or VS Code task label.
    pub target: Option<String>,
    /// The command as written (one line).
    pub command: String,
}

impl Launcher {
    /// How people name it: "the Makefile's `dev` target (Makefile:12)", "deploy/compose.yml's
    /// `api` service (deploy/compose.yml:5)", "scripts/dev.sh:4".
    pub fn describe(&self) -> String {
        if self.kind == Kind::GoProgram {
            // "cmd/dev (a Go program: cmd/dev/server.go:9)"; at the root, the file itself
            // (TheNasky/Go-Mailing's `//go:build ignore` dev.go, run by `go run dev.go`).
            let dir = Path::new(&self.file)
                .parent()
                .map(|d| d.display().to_string())
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| self.file.clone());
            return format!("{dir} (a Go program: {}:{})", self.file, self.line);
        }
        let the = if self.file.contains('/') { "" } else { "the " };
        match &self.target {
            Some(t) => format!(
                "{the}{}'s `{t}` {} ({}:{})",
                self.file,
                self.kind.target_word(),
                self.file,
                self.line
            ),
            None => format!("{}:{}", self.file, self.line),
        }
    }

    /// "the `dev` target", for a message that already names the file and line.
    pub fn what(&self) -> Option<String> {
        let t = self.target.as_ref()?;
        Some(format!("the `{t}` {}", self.kind.target_word()))
    }
}

/// A container's view: the folder air runs in there, the host folders behind its paths, and
/// what its image has on PATH, its Go and the air it installs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Container {
    /// Absolute, clean.
    pub cwd: String,
    /// In the order they apply: later ones shadow earlier ones at the same path.
    pub mounts: Vec<Mount>,
    /// None when nothing tells which image runs (a devcontainer).
    pub programs: Option<Programs>,
    /// The image's Go and the air it installs.
    pub toolchain: Toolchain,
    /// When this container runs only on a condition not known here: `if ${ENV} selects the
    /// `development` stage` (a compose `build.target` from a variable with no value).
    pub condition: Option<String>,
    /// A Dockerfile's image that no compose file, `docker build` or other launcher here
    /// builds (its `condition` says so): what its image build does is at most a note, and
    /// what air does in it at most a warning.
    pub unbuilt: bool,
    /// Container paths where a volume whose host side is not known here is mounted (a
    /// variable source with no value, a named volume with driver options that may bind a
    /// host folder, an external one): they may hold the host's files.
    pub unknown_mounts: Vec<String>,
    /// Container paths of plain named volumes and tmpfs: storage docker keeps, never the
    /// host's files.
    pub named_volumes: Vec<String>,
    /// A compose `develop: watch:` `rebuild` action: compose rebuilds the image and replaces
    /// the container when a file under it changes, so saves reach the app that way.
    pub rebuilds: bool,
    /// Container folders a compose `develop: watch:` `sync` action copies saved files into:
    /// they land in the container's own filesystem, whose file events air's watcher gets
    /// (no bind mount between, which is where events go missing).
    pub synced: Vec<String>,
    /// The container's environment as the compose service sets it (`SERVICE_NAME=api`), which
    /// the shell air runs build.cmd with expands.
    pub env: Vec<(String, String)>,
}

/// A command of a launch file that installs air from the old module path where go refuses
/// it ([`super::versions::renamed`]): `go install github.com/cosmtrek/air@latest` in a
/// Makefile target, a setup script or a Dockerfile `RUN`.
#[derive(Debug, Clone, PartialEq)]
pub struct RenamedInstall {
    /// The file, relative to the repository.
    pub file: String,
    pub line: usize,
    /// "the `air` target".
    pub what: Option<String>,
    /// The command as written.
    pub command: String,
    /// The Go of the image it runs in, when known.
    pub go: Option<u32>,
    /// For an image's `RUN`: the launcher that starts air in that image.
    pub image_of: Option<String>,
    /// Not the old path but a Go too old for the air it asks for, where go cannot fetch a
    /// newer one (GOTOOLCHAIN=local, or a Go before 1.21): (the Go minor there, the air
    /// release asked for, the Go minor that air's go line needs).
    pub old_go: Option<(u32, super::versions::Version, u32)>,
    /// What follows for the user, when more than that no air is installed ("the image build
    /// stops there, so the devcontainer is never built").
    pub then: Option<String>,
    /// In a Dockerfile no launcher builds (read alone; dropped when a `docker run` does).
    pub read_alone: bool,
    /// In a Dockerfile nothing here builds, not even a `docker build` without a run: it may
    /// be unused, so what stops its build is a note.
    pub unbuilt: bool,
    /// Not a go install but a download from a dead link (`StuckInstall::dead`): the link,
    /// and whether the download stops the build.
    pub dead: Option<(String, bool)>,
    /// Not air but a dev tool's `@latest` the Go there cannot build (`StuckInstall::tool`).
    pub tool: Option<&'static super::dev_tools::DevTool>,
    /// The host folders the same line starts air in (a compose service's command, the
    /// launcher of the image): whose install it is. Empty when the line starts no air.
    pub air_in: Vec<PathBuf>,
}

impl RenamedInstall {
    /// An install of a release whose go line is newer than the Go there ([`StuckInstall`]).
    fn old_go(file: String, line: usize, s: &StuckInstall) -> RenamedInstall {
        RenamedInstall {
            file,
            line,
            what: None,
            command: s.command.clone(),
            go: (s.go > 0).then_some(s.go),
            image_of: None,
            old_go: (!s.renamed).then_some((s.go, s.wants, s.needs_go)),
            then: None,
            read_alone: false,
            unbuilt: false,
            dead: s.dead.clone(),
            tool: s.tool,
            air_in: vec![],
        }
    }
}

/// A host folder or file seen at `container` (a bind mount, a `COPY`, a compose watch sync).
#[derive(Debug, Clone, PartialEq)]
pub struct Mount {
    /// Absolute, clean.
    pub container: String,
    /// Absolute.
    pub host: PathBuf,
    /// A save on the host reaches the container (a bind mount, a compose watch sync); false
    /// for a `COPY` into the image, which holds the files as they were at build time.
    pub live: bool,
}

impl Container {
    /// The host path behind the container path `path` (absolute or relative to the
    /// container's cwd): the longest mount that holds it, None when nothing does.
    pub fn to_host(&self, path: &str) -> Option<PathBuf> {
        let abs = join_posix(&self.cwd, path);
        let m = self.covering(&abs)?;
        let rest = abs[m.container.len()..].trim_start_matches('/');
        Some(if rest.is_empty() {
            m.host.clone()
        } else {
            m.host.join(rest)
        })
    }

    /// Whether the container folder `path` (absolute or relative to the cwd) exists there
    /// whatever the image holds: it is the cwd air starts in or a folder above it, or a folder
    /// at or above a mount's path (docker makes the folders a mount needs).
    pub fn has_folder(&self, path: &str) -> bool {
        let abs = join_posix(&self.cwd, path);
        holds(&abs, &self.cwd) || self.mounts.iter().any(|m| holds(&abs, &m.container))
    }

    /// The host folder behind the container folder `path` when no mount holds it but the
    /// folders mounted or copied below it are the host's at the same relative paths under one
    /// host folder (`COPY src/shared ./src/shared` and `../../src/api:/app/src/api` under
    /// WORKDIR /app: the repository root): air in that folder sees the host's tree there.
    /// Single files (`COPY tools/.air.toml .air.toml`) say nothing of it.
    pub fn assembled_host(&self, path: &str) -> Option<PathBuf> {
        let abs = join_posix(&self.cwd, path);
        if self.covering(&abs).is_some() {
            return None;
        }
        let mut found: Option<PathBuf> = None;
        for m in self.mounts.iter().filter(|m| m.host.is_dir()) {
            if m.container == abs || !holds(&abs, &m.container) {
                continue;
            }
            let rel = m.container[abs.len()..].trim_start_matches('/');
            let base = m.host.to_string_lossy();
            let base = base.trim_end_matches('/');
            let at = base.strip_suffix(rel)?.strip_suffix('/')?;
            let at = PathBuf::from(at);
            match &found {
                Some(f) if *f != at => return None,
                _ => found = Some(at),
            }
        }
        found
    }

    /// Whether the container folder `path` (absolute or relative to the cwd) holds what the
    /// image put there: no host folder is bind-mounted over it, or a named or anonymous volume
    /// at it or between keeps the image's copy (`- /app/node_modules` under `.:/app`).
    pub fn keeps_image_folder(&self, path: &str) -> bool {
        let abs = join_posix(&self.cwd, path);
        let Some(m) = self.covering(&abs).filter(|m| m.live) else {
            return true;
        };
        self.named_volumes
            .iter()
            .any(|v| holds(v, &abs) && holds(&m.container, v) && v.len() > m.container.len())
    }

    /// The mount that puts the absolute container path `abs` there: the longest that holds
    /// it, the later of two at the same path.
    fn covering(&self, abs: &str) -> Option<&Mount> {
        // A bind mount hides what the image has at and below its container path: a COPY
        // into a mounted folder is not what the container sees (a watch sync hides nothing).
        let hidden = |m: &Mount| {
            !m.live
                && self.mounts.iter().any(|b| {
                    b.live
                        && !self.synced.contains(&b.container)
                        && holds(&b.container, &m.container)
                })
        };
        let mut best: Option<&Mount> = None;
        for m in self.mounts.iter().filter(|m| !hidden(m)) {
            if holds(&m.container, abs)
                && best.is_none_or(|b| m.container.len() >= b.container.len())
            {
                best = Some(m);
            }
        }
        best
    }

    /// Whether saves reach the container path `path` (absolute or relative to the cwd) only
    /// through compose watch syncs: the files are written inside the container, so its file
    /// events reach air as on a native filesystem.
    pub fn synced_only(&self, path: &str) -> bool {
        let abs = join_posix(&self.cwd, path);
        let Some(m) = self.covering(&abs) else {
            return false;
        };
        // The image's own copies (COPY) are in the container's filesystem too; a bind mount
        // at the folder or inside it is not.
        let syncs = |c: &String| self.synced.iter().filter(|s| *s == c).count();
        let live_at = |c: &String| {
            self.mounts
                .iter()
                .filter(|x| x.live && x.container == *c)
                .count()
        };
        m.live
            && syncs(&m.container) > 0
            && !self
                .unknown_mounts
                .iter()
                .any(|u| holds(u, &abs) || holds(&abs, u))
            && self
                .mounts
                .iter()
                .filter(|x| x.live && (x.container == m.container || holds(&abs, &x.container)))
                .all(|x| live_at(&x.container) == syncs(&x.container))
    }

    /// Whether a save on the host reaches the container path `path` (air's watched folder,
    /// absolute or relative to the container's cwd). None when no mount or copy holds it.
    pub fn delivery(&self, path: &str) -> Option<Delivery> {
        let abs = join_posix(&self.cwd, path);
        if self.rebuilds || self.unknown_mounts.iter().any(|u| holds(u, &abs)) {
            return Some(Delivery::Unknown);
        }
        let m = self.covering(&abs)?;
        if m.live {
            return Some(Delivery::Live);
        }
        let deeper = |p: &String| p.len() >= m.container.len() && holds(p, &abs);
        let named = self.named_volumes.iter().any(deeper);
        let inside = |p: &str| p != abs && holds(&abs, p);
        let mut live_inside: Vec<String> = self
            .mounts
            .iter()
            .filter(|x| x.live && inside(&x.container))
            .map(|x| x.container.clone())
            .chain(self.unknown_mounts.iter().filter(|u| inside(u)).cloned())
            .collect();
        live_inside.dedup();
        Some(Delivery::Copied {
            container: abs.clone(),
            host: self.to_host(&abs)?,
            named,
            live_inside,
        })
    }
}

/// Whether the container folder `dir` holds the absolute path `abs` (or is it).
fn holds(dir: &str, abs: &str) -> bool {
    dir == "/" || abs == dir || abs.starts_with(&format!("{dir}/"))
}

/// How host saves reach a container folder ([`Container::delivery`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// A bind mount or a compose watch sync puts the host's folder there.
    Live,
    /// A volume whose host side is not known here holds it, or a compose watch rebuilds the
    /// image on a change: saves may reach it.
    Unknown,
    /// Only the image's copy of `host` is there (made at build time), under a named volume
    /// when `named` (docker fills an empty one from the image once and keeps it); live
    /// mounts reach only the folders `live_inside` inside it.
    Copied {
        container: String,
        host: PathBuf,
        named: bool,
        live_inside: Vec<String>,
    },
}

/// What air reads in a launch context.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigRef {
    /// This file (on the host).
    Read(PathBuf),
    /// `-c FILE` names a file that is not there: air stops. With where it was looked for.
    Missing(String, Option<PathBuf>),
    /// No `-c` and no `.air.toml` or `.config/air.toml` in the folder: air runs its defaults.
    Defaults,
    /// A variable, a template or a container path no mount explains: not known here.
    Unknown,
}

/// One way the repository starts air: the launcher, where air runs and what it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchContext {
    pub launcher: Launcher,
    /// The folder air runs in, on the host (for a container, the host folder mounted there);
    /// None when it cannot be known (a `cd $DIR`, an unmounted container folder).
    pub cwd: Option<PathBuf>,
    pub container: Option<Container>,
    /// `-c FILE` as written.
    pub config_arg: Option<String>,
    pub config: ConfigRef,
    /// `--build.cmd X`, `--root X`... given on air's command line (key without dashes).
    pub overrides: Vec<(String, String)>,
    /// The air release that runs: the container's, or one the host line installs or runs
    /// by version (`go run github.com/air-verse/air@v1.61.7`); None on the host otherwise
    /// (the air on PATH runs).
    pub air: Option<AirVersion>,
    /// Where air runs was guessed, on this condition: "if scripts/dev.sh is run in
    /// scripts/" (a script without `cd` that nothing calls, taken to run beside the config
    /// it reads).
    pub guess: Option<String>,
}

impl LaunchContext {
    /// "the Makefile's `dev` target (Makefile:12)", with the condition it runs air on when
    /// that is not known here ("... when `${ENV}` is `development`").
    pub fn describe(&self) -> String {
        match self.condition() {
            Some(c) => format!("{} {c}", self.launcher.describe()),
            None => self.launcher.describe(),
        }
    }

    /// The condition not known here on which this launcher starts air (a compose target
    /// variable with no value: `when `${ENV}` is `development``).
    pub fn condition(&self) -> Option<&str> {
        match &self.container {
            Some(c) => c.condition.as_deref(),
            None => self.guess.as_deref(),
        }
    }
}

/// air's arguments on a launcher's line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AirArgs {
    pub config: Option<String>,
    pub overrides: Vec<(String, String)>,
}

/// A shell line a reader found, with where it runs.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub line: usize,
    pub target: Option<String>,
    /// The shell text (a command line or a whole script).
    pub text: String,
    pub place: Place,
}

/// Where a reader's line starts.
#[derive(Debug, Clone)]
// A few per launcher line, moved rarely: not worth a Box.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Place {
    /// On the host, in this folder (absolute).
    Host(PathBuf),
    Container(Container),
}

/// Files bigger than this are not launch files.
const MAX_BYTES: u64 = 256 * 1024;
/// How far below the repository root launch files are looked for.
const MAX_DEPTH: usize = 6;
const MAX_DIRS: usize = 5_000;
/// Compose files read, those found by name and those their `include:` lists name.
const MAX_COMPOSE_FILES: usize = 200;

/// How many folders above the Go module a checkout without `.git` or `go.work` is looked for.
const MAX_UP_WITHOUT_GIT: usize = 3;

/// The repository `dir` belongs to: the nearest folder above (or at) it holding `.git` (not
/// the home folder or `/`), else the folder of a `go.work` above it, else the highest folder
/// (up to [`MAX_UP_WITHOUT_GIT`] above the Go module) whose own launch file names the module's
/// folder (a downloaded archive or a copied checkout has no `.git`, and its root compose file
/// says `context: ./services/web`), else its Go module's root, else `dir`.
/// The recipe lines of the Makefile (GNUmakefile, makefile, Makefile) make reads in `dir`,
/// variables expanded, each with its line number and the file's name.
pub fn makefile_recipes(dir: &Path) -> Vec<(String, usize, String)> {
    for name in makefile::NAMES {
        let path = dir.join(name);
        if let Ok(text) = crate::system::files::read_to_string(&path) {
            return makefile::recipes(dir, &text)
                .into_iter()
                .map(|(n, l)| (name.to_string(), n, l))
                .collect();
        }
    }
    vec![]
}

pub fn repository_root(dir: &Path) -> PathBuf {
    // A `.git` in the home folder or at `/` (dotfiles) is not this project's repository.
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let too_wide = |d: &Path| d == Path::new("/") || Some(d) == home.as_deref();
    if let Some(git) = dir
        .ancestors()
        .find(|d| d.join(".git").exists())
        .filter(|d| !too_wide(d))
    {
        return git.to_path_buf();
    }
    if let Some(work) = dir.ancestors().find(|d| d.join("go.work").is_file()) {
        return work.to_path_buf();
    }
    let module = dir
        .ancestors()
        .find(|d| d.join("go.mod").is_file())
        .unwrap_or(dir);
    module
        .ancestors()
        .skip(1)
        .take(MAX_UP_WITHOUT_GIT)
        .take_while(|d| !too_wide(d))
        .filter(|d| {
            let rel = module.strip_prefix(d).unwrap_or(module).to_string_lossy();
            names_folder(d, &rel)
        })
        .last()
        .unwrap_or(module)
        .to_path_buf()
}

/// Whether a launch file directly in `dir` names its subfolder `rel` as a path
/// (`./services/web`, `cd api &&`, `services/auth/Dockerfile`), not inside a longer name.
fn names_folder(dir: &Path, rel: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || "-_.".contains(c)));
    entries.flatten().any(|e| {
        let path = e.path();
        let small = e
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES);
        if !small || kind_of(&path).is_none() {
            return false;
        }
        let Ok(text) = crate::system::files::read_to_string(&path) else {
            return false;
        };
        text.match_indices(rel).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + rel.len()..].chars().next();
            edge(before) && edge(after)
        })
    })
}

/// One repository's launchers, read once per report: every launch context and the installs of
/// air from its old module path.
#[derive(Debug, Clone, Default)]
pub struct Launches {
    /// The repository they were read from ([`repository_root`]).
    pub repo: PathBuf,
    pub contexts: Vec<LaunchContext>,
    pub installs: Vec<RenamedInstall>,
    /// The prerequisites of Makefile targets that start air which make cannot find or make:
    /// the Makefile (from the repository), its folder, and each.
    pub unmade: Vec<(String, PathBuf, UnmadePrerequisite)>,
}

impl Launches {
    /// The launchers of the repository `dir` belongs to.
    pub fn of(dir: &Path) -> Launches {
        Launches::in_repo(&repository_root(dir))
    }

    /// The launchers of the repository at `repo` (absolute): every launch context in a stable
    /// order, host launchers first (by file), then containers; and the commands of the same
    /// launch files that install air from the old module path where go refuses it, each once.
    pub fn in_repo(repo: &Path) -> Launches {
        let (contexts, installs) = discover_all(repo);
        Launches {
            repo: repo.to_path_buf(),
            contexts,
            installs,
            unmade: unmade_prerequisites(repo),
        }
    }
}

/// The [`UnmadePrerequisite`]s of the repository's Makefiles (by the names make reads itself;
/// a `*.mk` is included by another, whose rules it may use).
fn unmade_prerequisites(repo: &Path) -> Vec<(String, PathBuf, UnmadePrerequisite)> {
    let mut out = vec![];
    for (path, kind) in launch_files(repo) {
        let named = path
            .file_name()
            .is_some_and(|n| makefile::NAMES.iter().any(|m| *m == n.to_string_lossy()));
        if kind != Kind::Makefile || !named {
            continue;
        }
        let Some(text) = std::fs::metadata(&path)
            .ok()
            .filter(|m| m.len() <= MAX_BYTES)
            .and_then(|_| crate::system::files::read_to_string(&path).ok())
            .map(without_bom)
        else {
            continue;
        };
        let dir = path.parent().unwrap_or(repo).to_path_buf();
        let file = path
            .strip_prefix(repo)
            .unwrap_or(&path)
            .display()
            .to_string();
        for u in makefile::unmade_prerequisites(&dir, &text) {
            out.push((file.clone(), dir.clone(), u));
        }
    }
    out
}

fn discover_all(repo: &Path) -> (Vec<LaunchContext>, Vec<RenamedInstall>) {
    let files = launch_files(repo);
    let read = |p: &Path| -> Option<String> {
        let meta = std::fs::metadata(p).ok()?;
        if meta.len() > MAX_BYTES {
            return None;
        }
        crate::system::files::read_to_string(p)
            .ok()
            .map(without_bom)
    };
    let rel = |p: &Path| p.strip_prefix(repo).unwrap_or(p).display().to_string();
    // Containers first: the scripts they run are theirs, not the host's.
    let mut found = Found::default();
    for (path, kind) in &files {
        if matches!(kind, Kind::Makefile | Kind::Justfile | Kind::Script) {
            if let Some(text) = read(path) {
                found.images.gather(repo, path, &text);
            }
        }
    }
    // Compose files by name, then the files their `include:` lists name (any name, each
    // read once however many files include it: a loop ends there).
    let mut composes: std::collections::VecDeque<PathBuf> = files
        .iter()
        .filter(|(_, k)| *k == Kind::Compose)
        .map(|(p, _)| p.clone())
        .collect();
    // `docker compose --project-directory DIR -f FILE` in a host launcher: FILE's paths are
    // relative to DIR (the first such command that names FILE).
    let mut project_dirs: Vec<(PathBuf, PathBuf)> = vec![];
    // The compose files (or the folders whose compose file) a host command runs with
    // `up --build` or `compose build`.
    let mut compose_builds: Vec<PathBuf> = vec![];
    for (path, kind) in &files {
        let Some(text) = read(path) else { continue };
        let dir = path.parent().unwrap_or(repo).to_path_buf();
        let host: Vec<(PathBuf, String)> = match kind {
            Kind::Makefile => makefile::lines(&dir, &text),
            Kind::Justfile => justfile::lines(&dir, &text),
            Kind::Taskfile => taskfile::lines(&dir, &text),
            Kind::PackageJson => package_json::lines(&dir, &text),
            Kind::Script => {
                project_dirs.extend(compose::project_dirs(&dir, &text));
                compose_builds.extend(compose::builds(&dir, &text));
                continue;
            }
            _ => continue,
        }
        .into_iter()
        .filter_map(|l| match l.place {
            Place::Host(start) => Some((start, l.text)),
            Place::Container(_) => None,
        })
        .collect();
        for (start, text) in host {
            compose_builds.extend(compose::builds(&start, &text));
            for (file, project) in compose::project_dirs(&start, &text) {
                if !project_dirs.iter().any(|(f, _)| *f == file) {
                    project_dirs.push((file, project));
                }
            }
        }
    }
    // An `include:` item's `project_directory`, known before the included file is read
    // (the walk may reach it first).
    for path in composes.iter().take(MAX_COMPOSE_FILES) {
        let Some(text) = read(path) else { continue };
        for (file, project) in compose::includes(repo, path, &text) {
            if let Some(project) = project.filter(|_| !project_dirs.iter().any(|(f, _)| *f == file))
            {
                project_dirs.push((file, project));
            }
        }
    }
    let mut read_composes: Vec<PathBuf> = vec![];
    let mut services: Vec<(PathBuf, compose::Service)> = vec![];
    while let Some(path) = composes.pop_front() {
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if read_composes.contains(&real) || read_composes.len() >= MAX_COMPOSE_FILES {
            continue;
        }
        read_composes.push(real);
        let Some(text) = read(&path) else { continue };
        composes.extend(
            compose::includes(repo, &path, &text)
                .into_iter()
                .map(|(f, _)| f),
        );
        let clean = crate::filepath::clean(&path);
        let project = project_dirs
            .iter()
            .find(|(f, _)| *f == clean || *f == path)
            .map(|(_, d)| d.as_path());
        let built = compose_builds.iter().any(|b| {
            *b == clean
                || path
                    .parent()
                    .is_some_and(|d| crate::filepath::clean(d) == *b)
        });
        for service in compose::lines_built(repo, &path, &text, &read, project, built) {
            services.push((path.clone(), service));
        }
    }
    let mut used_dockerfiles: Vec<PathBuf> = vec![];
    let copies: Vec<(PathBuf, PathBuf)> = files
        .iter()
        .filter(|(_, k)| *k == Kind::Script)
        .flat_map(|(p, _)| read(p).map(|t| script_copies(repo, p, &t)))
        .flatten()
        .collect();
    let repo_ = Repo {
        root: repo,
        read: &read,
        services: &services,
        copies: &copies,
    };
    for (path, _) in files.iter().filter(|(_, k)| *k == Kind::Skaffold) {
        let Some(text) = read(path) else { continue };
        let (artifacts, dockerfiles) = skaffold::artifacts(repo, path, &text, &read);
        used_dockerfiles.extend(dockerfiles);
        for l in &artifacts {
            let target = l.target.clone();
            resolve(
                &repo_,
                &rel(path),
                Kind::Skaffold,
                target.as_deref(),
                l,
                &mut found,
            );
        }
    }
    // The launches of services where air is assumed to be run by hand.
    let mut by_hand: Vec<usize> = vec![];
    for (path, service) in &services {
        used_dockerfiles.extend(service.dockerfile.clone());
        if let Some(l) = &service.line {
            let before = found.out.len();
            resolve(
                &repo_,
                &rel(path),
                Kind::Compose,
                Some(&service.name),
                l,
                &mut found,
            );
            if service.by_hand {
                by_hand.extend(before..found.out.len());
            }
        }
    }
    for (path, kind) in &files {
        let Some(text) = read(path) else { continue };
        let file = rel(path);
        let dir = path.parent().unwrap_or(repo).to_path_buf();
        let lines: Vec<Line> = match kind {
            Kind::Compose | Kind::Script | Kind::Skaffold => continue,
            // `go run ./cmd/dev` is typed in the module's root; one package: every file's
            // constants are seen by the others.
            Kind::GoProgram => {
                let mut all = String::new();
                for (p, _) in files
                    .iter()
                    .filter(|(p, k)| *k == Kind::GoProgram && p.parent() == Some(dir.as_path()))
                {
                    all.extend(read(p));
                    all.push('\n');
                }
                let module = dir
                    .ancestors()
                    .take_while(|d| d.starts_with(repo))
                    .find(|d| d.join("go.mod").is_file())
                    .unwrap_or(repo);
                // A config a branch chooses (runtime.GOOS) is a launch on that condition.
                let lines = magefile::program_lines(module, &text, &all);
                resolve_each(&repo_, &file, *kind, lines, &mut found);
                continue;
            }
            Kind::Dockerfile => {
                if used_dockerfiles
                    .iter()
                    .any(|d| crate::filepath::clean(d) == crate::filepath::clean(path))
                {
                    continue;
                }
                dockerfile::lines(repo, path, &text)
            }
            Kind::Makefile => {
                found
                    .installs
                    .extend(shell_function_installs(&file, &dir, &text));
                // A line whose command a make conditional chooses runs air on that condition.
                let lines = makefile::lines_by_condition(&dir, &text);
                resolve_each(&repo_, &file, *kind, lines, &mut found);
                continue;
            }
            Kind::Justfile => justfile::lines(&dir, &text),
            Kind::Taskfile => taskfile::lines(&dir, &text),
            Kind::PackageJson => package_json::lines(&dir, &text),
            Kind::Procfile => procfile::lines(&dir, &text),
            Kind::VsCodeTask => vscode::lines(repo, path, &text),
            Kind::Devcontainer => {
                let (lines, installs) = devcontainer::lines(repo, path, &text, &read, &services);
                found.installs.extend(installs);
                lines
            }
            Kind::Mise => mise::lines(&dir, &text),
            Kind::Gitpod => gitpod::lines(&dir, &text),
            Kind::Moon => moon::lines(repo, path, &text),
            Kind::Nx => nx::lines(repo, path, &text),
            // mage runs from the folder of `magefile.go`, or above its `magefiles/` folder.
            Kind::Mage => match dir.file_name().is_some_and(|n| n == "magefiles") {
                true => {
                    // One package: every file's constants are seen by the others.
                    let mut all = String::new();
                    for (p, _) in files
                        .iter()
                        .filter(|(p, k)| *k == Kind::Mage && p.parent() == Some(dir.as_path()))
                    {
                        all.extend(read(p));
                        all.push('\n');
                    }
                    magefile::lines(dir.parent().unwrap_or(repo), &text, &all)
                }
                false => magefile::lines(&dir, &text, &text),
            },
        };
        for l in &lines {
            let target = l.target.clone();
            resolve(&repo_, &file, *kind, target.as_deref(), l, &mut found);
        }
    }
    for (path, kind) in &files {
        if *kind != Kind::Script || found.scripts.contains(path) {
            continue;
        }
        let Some(text) = read(path) else { continue };
        let (lines, guess, writes) = script::with_guess(repo, path, &text, None);
        let before = found.out.len();
        for l in lines {
            resolve(&repo_, &rel(path), Kind::Script, None, &l, &mut found);
        }
        for c in &mut found.out[before..] {
            if c.container.is_none() && c.launcher.file == rel(path) {
                c.guess.clone_from(&guess);
                // The script writes the config it runs (when missing): not a committed file.
                if writes && c.config_arg.is_none() {
                    c.config = ConfigRef::Unknown;
                }
            }
        }
    }
    // A Dockerfile nothing here builds (VanTrangDinh/minis_api_micro_go's
    // services/notification/Dockerfile.dev, beside the Dockerfile its compose files build):
    // air runs in its image only on that condition, not known to hold. Only where the
    // repository has other ways to start air or build images: a lone Dockerfile that starts
    // air (sighupio/permission-manager's) is how it is run, by a `docker build` by hand.
    let others = !used_dockerfiles.is_empty()
        || found.images.any()
        || found
            .out
            .iter()
            .any(|c| c.launcher.kind != Kind::Dockerfile);
    for i in found.installs.iter_mut() {
        i.unbuilt &= others;
    }
    for c in found.out.iter_mut() {
        let file = repo.join(&c.launcher.file);
        if !others || c.launcher.kind != Kind::Dockerfile || found.images.builds(&file) {
            continue;
        }
        if let Some(k) = c.container.as_mut().filter(|k| k.condition.is_none()) {
            k.condition = Some("if its image is built (nothing here builds it)".to_string());
            k.unbuilt = true;
        }
    }
    // A service where air is assumed to be run by hand, where a launcher here runs air in it
    // (`docker compose exec app air`: the same image and mounts): that launcher says how.
    let exec_in = |k: &Container| {
        found.out.iter().enumerate().any(|(j, d)| {
            !by_hand.contains(&j)
                && d.container
                    .as_ref()
                    .is_some_and(|d| d.mounts == k.mounts && d.programs == k.programs)
        })
    };
    let dropped: Vec<usize> = by_hand
        .iter()
        .copied()
        .filter(|&i| {
            found
                .out
                .get(i)
                .and_then(|c| c.container.as_ref())
                .is_some_and(exec_in)
        })
        .collect();
    let mut i = 0;
    found.out.retain(|_| {
        i += 1;
        !dropped.contains(&(i - 1))
    });
    // A Dockerfile a `docker run` starts was read there, with the run's mounts.
    let run = found.images.run;
    let mut out = found.out;
    out.retain(|c| {
        c.launcher.kind != Kind::Dockerfile || !run.contains(&repo.join(&c.launcher.file))
    });
    // Host launchers first, in file order; then containers.
    out.sort_by_key(|c| {
        (
            c.container.is_some(),
            c.launcher.file.clone(),
            c.launcher.line,
        )
    });
    out.dedup();
    // `-f compose.yaml -f compose.dev.yaml` whose merge runs what the base alone runs
    // (ifeanyidike/cenphi's dev file naming the base's Dockerfile and command again): one
    // launch, said at the base file's line.
    let same_launch = |a: &LaunchContext, b: &LaunchContext| {
        a.launcher.kind == Kind::Compose
            && b.launcher.kind == Kind::Compose
            && a.launcher.target == b.launcher.target
            && Path::new(&a.launcher.file).parent() == Path::new(&b.launcher.file).parent()
            && LaunchContext {
                launcher: b.launcher.clone(),
                ..a.clone()
            } == *b
    };
    let base = |c: &LaunchContext| compose::is_base_file(&c.launcher.file);
    let merged_alike: Vec<bool> = out
        .iter()
        .map(|c| !base(c) && out.iter().any(|o| base(o) && same_launch(o, c)))
        .collect();
    let mut keep = merged_alike.iter().map(|m| !m);
    out.retain(|_| keep.next().unwrap_or(true));
    let mut installs: Vec<RenamedInstall> = vec![];
    for i in found
        .installs
        .into_iter()
        .filter(|i| !i.read_alone || !run.contains(&repo.join(&i.file)))
    {
        if !installs
            .iter()
            .any(|o| o.file == i.file && o.line == i.line && o.command == i.command)
        {
            installs.push(i);
        }
    }
    // The same command a launch file runs is said there once, not again for the README.
    for i in docs::installs(repo, &read) {
        if !installs.iter().any(|o| o.command == i.command) {
            installs.push(i);
        }
    }
    (out, installs)
}

/// The installs of air's old module path a Makefile runs with `$(shell ...)`: go's error
/// goes by and make carries on, reporting success with no air installed (make ignores how a
/// `$(shell)` command exits).
fn shell_function_installs(file: &str, dir: &Path, text: &str) -> Vec<RenamedInstall> {
    let mut out = vec![];
    for (line, target, command) in makefile::shell_functions(dir, text) {
        for (_, command) in super::versions::renamed_installs(&command, None) {
            let (what, when) = match &target {
                Some(t) => (
                    Some(format!("the `{t}` target")),
                    format!("`make {t}` reports success"),
                ),
                None => (
                    None,
                    "make, which runs it while reading the Makefile for any target, goes on"
                        .to_string(),
                ),
            };
            out.push(RenamedInstall {
                file: file.to_string(),
                line,
                what,
                command,
                go: None,
                image_of: None,
                old_go: None,
                then: Some(format!(
                    ": it runs inside `$(shell ...)`, whose failure make ignores, so {when} with no air installed"
                )),
                read_alone: false,
            unbuilt: false,
                dead: None,
                tool: None,
                air_in: vec![],
            });
        }
    }
    out
}

/// The command an `echo`/`printf` prints as advice (`echo "air not found; install it with:
/// go install github.com/cosmtrek/air@latest"`): the printed text from its `go install` or
/// `go get` on. A user who reads the hint runs it.
fn echoed_go_command(words: &[String]) -> Option<String> {
    let w = shell::program_words(words);
    let first = w.first()?;
    if !matches!(first.rsplit('/').next(), Some("echo" | "printf")) {
        return None;
    }
    let printed = w[1..].join(" ");
    let at = ["go install ", "go get "]
        .iter()
        .filter_map(|g| {
            printed
                .match_indices(g)
                .map(|(i, _)| i)
                .find(|i| *i == 0 || printed[..*i].ends_with([' ', ':', '`', '\'', '"', '\t', '>']))
        })
        .min()?;
    let command: String = printed[at..]
        .chars()
        .take_while(|c| !matches!(c, '`' | '\'' | '"' | ';' | '\\'))
        .collect();
    Some(command.trim_end_matches(['.', ' ', ')']).to_string())
}

/// What [`resolve`] reads: the repository, its files, and its compose services (for a
/// `docker compose exec SERVICE air`).
struct Repo<'a> {
    root: &'a Path,
    read: &'a dyn Fn(&Path) -> Option<String>,
    services: &'a [(PathBuf, compose::Service)],
    /// (made, from): the configs a script of the repository copies, links or moves into
    /// place ([`script_copies`]).
    copies: &'a [(PathBuf, PathBuf)],
}

/// What [`resolve`] found so far.
#[derive(Default)]
struct Found {
    out: Vec<LaunchContext>,
    /// The scripts a container runs, read there (not again as host scripts).
    scripts: Vec<PathBuf>,
    /// The tmux panes of the launcher being read.
    tmux: tmux::Panes,
    /// The images the repository's `docker build`s make, for its `docker run`s.
    images: docker_run::Images,
    /// Installs of air's old module path that go refuses.
    installs: Vec<RenamedInstall>,
    /// The Makefile targets a container's `make TARGET` ran, read there once each.
    makes: Vec<(PathBuf, String, String)>,
}

/// Find air in one reader's line and turn each call into a launch context; a script the line
/// runs in a container, and a command a host line runs in a compose service (`docker compose
/// exec app air`), are read in that container.
/// [`resolve`] each line, the host launches it makes running air on its condition (a branch
/// of a make conditional or of a Go program that chooses the command).
fn resolve_each(
    at: &Repo,
    file: &str,
    kind: Kind,
    lines: Vec<(Line, Option<String>)>,
    found: &mut Found,
) {
    let start = found.out.len();
    for (l, condition) in lines {
        let before = found.out.len();
        resolve(at, file, kind, l.target.as_deref(), &l, found);
        let mut k = before;
        while k < found.out.len() {
            let c = &found.out[k];
            if c.container.is_some() || c.guess.is_some() || condition.is_none() {
                k += 1;
                continue;
            }
            // Branches that differ in nothing air sees (`PORT=$(BACKEND_PORT) air -c x`,
            // the port chosen by a conditional): one launch, on no condition.
            let same = |d: &LaunchContext| {
                d.launcher.file == c.launcher.file
                    && d.launcher.line == c.launcher.line
                    && d.launcher.target == c.launcher.target
                    && d.cwd == c.cwd
                    && d.container.is_none()
                    && d.config_arg == c.config_arg
                    && d.config == c.config
                    && d.overrides == c.overrides
                    && d.air == c.air
            };
            if let Some(j) = (start..before).find(|&j| same(&found.out[j])) {
                found.out[j].guess = None;
                found.out.remove(k);
                continue;
            }
            found.out[k].guess.clone_from(&condition);
            k += 1;
        }
    }
}

fn resolve(at: &Repo, file: &str, kind: Kind, target: Option<&str>, l: &Line, found: &mut Found) {
    let (repo, read) = (at.root, at.read);
    let script = shell::parse(&l.text);
    let names = AirNames::of(&script);
    let mut calls: Vec<(AirArgs, shell::Scope, usize, String)> = vec![];
    let mut scripts: Vec<(String, shell::Scope, Vec<String>)> = vec![];
    let mut makes: Vec<(makefile::MakeRun, shell::Scope)> = vec![];
    let mut in_services: Vec<Line> = vec![];
    let go = match &l.place {
        Place::Container(c) => c.toolchain.go,
        Place::Host(_) => None,
    };
    let mut renamed: Vec<(usize, String)> = vec![];
    let mut hints: Vec<(usize, String)> = vec![];
    script.walk(true, &mut |s, scope| {
        if scope.substituted {
            return;
        }
        let is_go = shell::program_words(&s.words)
            .first()
            .is_some_and(|w| w == "go" || w.ends_with("/go"));
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        if is_go && super::versions::renamed(&words, go) {
            renamed.push((s.line, s.words.join(" ")));
        }
        if let Some(hint) = echoed_go_command(&s.words) {
            for (_, command) in super::versions::renamed_installs(&hint, go) {
                hints.push((s.line, command));
            }
        }
        // After a `cd` in one branch of an `if`, each folder is a context of its own.
        for scope in &scope.each_dir() {
            if let Some(inner) = docker_exec_line(at, l, s, scope) {
                in_services.push(inner);
            } else if let Some(inner) = found.images.run_line(repo, read, l, s, scope) {
                in_services.push(inner);
            } else if let Some(lines) = concurrently_lines(l, s, scope) {
                in_services.extend(lines);
            } else if let Some(lines) = found.tmux.lines((file, target), l, s, scope) {
                in_services.extend(lines);
            } else if let Some(args) = names.air_call(&s.words) {
                calls.push((args, scope.clone(), s.line, s.words.join(" ")));
            } else if let Place::Container(_) = l.place {
                if let Some(run) = makefile::make_run(&s.words) {
                    makes.push((run, scope.clone()));
                } else if let Some(sh) = script_run(&s.words) {
                    let args = script_args(&s.words, &sh);
                    scripts.push((sh, scope.clone(), args));
                }
            }
        }
    });
    // An install on the same line or script (`go install ...air@v1.49.0 && air`) is the air
    // that runs; on the host only a pinned one says more than the air on PATH.
    let air = match &l.place {
        Place::Container(c) => Some(c.toolchain.air_for(&l.text)),
        Place::Host(dir) => installed_by(&l.text, None)
            .filter(|v| !v.is_unknown())
            .or_else(|| required_air(repo, dir, &l.text)),
    };
    let what = target.map(|t| format!("the `{t}` {}", kind.target_word()));
    let first_call = calls.first().map(|c| c.2);
    let here: Vec<LaunchContext> = calls
        .into_iter()
        .map(|(args, scope, line_in, command)| {
            let launcher = Launcher {
                file: file.to_string(),
                line: l.line + line_in.saturating_sub(1),
                kind,
                target: target.map(str::to_string),
                command,
            };
            context(launcher, &l.place, &scope, args, air.clone(), at.copies)
        })
        .collect();
    let air_in: Vec<PathBuf> = here.iter().filter_map(|c| c.cwd.clone()).collect();
    for (line_in, command) in renamed {
        found.installs.push(RenamedInstall {
            file: file.to_string(),
            line: l.line + line_in.saturating_sub(1),
            what: what.clone(),
            command,
            go,
            image_of: None,
            old_go: None,
            then: None,
            read_alone: false,
            unbuilt: false,
            dead: None,
            tool: None,
            air_in: air_in.clone(),
        });
    }
    // A hint the line prints: said at the physical line it is written on (a Makefile
    // recipe's `\` continuations are one line to the shell).
    for (line_in, command) in hints {
        let start = l.line + line_in.saturating_sub(1);
        let written = read(&repo.join(file))
            .and_then(|t| {
                t.lines()
                    .enumerate()
                    .skip(start.saturating_sub(1))
                    .take(200)
                    .find(|(_, text)| text.contains(&command))
                    .map(|(i, _)| i + 1)
            })
            .unwrap_or(start);
        found.installs.push(RenamedInstall {
            file: file.to_string(),
            line: written,
            what: Some(match &what {
                Some(w) => format!("the install hint {w} prints"),
                None => "an install hint it prints".to_string(),
            }),
            command,
            go,
            image_of: None,
            old_go: None,
            then: Some(": whoever follows the hint gets no air".into()),
            read_alone: false,
            unbuilt: false,
            dead: None,
            tool: None,
            air_in: air_in.clone(),
        });
    }
    // The container's own command installing an air its Go cannot build (a compose
    // `command:`, a devcontainer's postCreateCommand on golang:1.22 with GOTOOLCHAIN=local).
    if let Place::Container(c) = &l.place {
        let mut own = Toolchain {
            stuck: None,
            ..c.toolchain.clone()
        };
        own.run(&l.text);
        if let Some(s) = own.stuck.as_deref().filter(|s| !s.renamed) {
            found.installs.push(RenamedInstall {
                what: what.clone(),
                air_in: air_in.clone(),
                ..RenamedInstall::old_go(file.to_string(), l.line, s)
            });
        }
    }
    // The image's `RUN` that stops its build, for a launcher that starts air in it. A Go too
    // old for the air is said at the launcher's line (`Container::toolchain`), except for a
    // Dockerfile read alone: said here, at its install, whatever its CMD starts (an
    // entrypoint script not in the repository), since nothing here builds it.
    let alone = kind == Kind::Dockerfile;
    if let (Place::Container(c), true) = (&l.place, first_call.is_some() || alone) {
        let dockerfile = c.programs.as_ref().map(|p| p.dockerfile.as_str());
        let stuck = c.toolchain.stuck.as_deref().filter(|s| s.renamed || alone);
        // Each install that stops the build, the first and those after it (said at each,
        // or fixing one leaves the build stopping at the next).
        let first_at = stuck.and_then(|s| s.line);
        let first_command = stuck.map(|s| s.command.clone());
        let later = c.toolchain.after.iter().filter(|_| stuck.is_some());
        for (s, at) in stuck
            .into_iter()
            .chain(later)
            .filter_map(|s| s.line.map(|at| (s, at)))
        {
            let Some(d) = dockerfile.filter(|d| !d.is_empty()) else {
                break;
            };
            let by = Launcher {
                file: file.to_string(),
                line: l.line + first_call.unwrap_or(1).saturating_sub(1),
                kind,
                target: target.map(str::to_string),
                command: String::new(),
            };
            let unbuilt = alone && !found.images.builds(&repo.join(d));
            let then = unbuilt.then(|| match first_call {
                Some(_) => format!(
                    ": the image build stops there, so {} never starts air (no compose file or script here builds {d}: it may be unused)",
                    by.describe()
                ),
                None => format!(
                    ": the image build stops there (no compose file or script here builds {d}: it may be unused)"
                ),
            });
            // In a script the `RUN` runs (`RUN ./setup.sh`): said at the script's line, where
            // it is fixed, with the `RUN` that runs it in the build.
            let (install_file, install_line, then) = match &s.script {
                Some((host, line)) => (
                    host.strip_prefix(repo).unwrap_or(host).display().to_string(),
                    *line,
                    Some(format!(
                        ": {d}:{at} runs it in the image build, which stops there, so {} never starts air{}",
                        by.describe(),
                        match unbuilt {
                            true => format!(" (no compose file or script here builds {d}: it may be unused)"),
                            false => String::new(),
                        }
                    )),
                ),
                None => (d.to_string(), at, then),
            };
            // A later one: the build stops there once the first is fixed.
            let then = match first_at.filter(|f| *f != at && then.is_none()) {
                Some(f) => Some(format!(
                    ": the image build stops there too once {d}:{f} is fixed, so {} never starts air",
                    by.describe()
                )),
                // Later in the same `RUN` as the first.
                None if then.is_none()
                    && first_at == Some(at)
                    && first_command.as_deref().is_some_and(|c| c != s.command) =>
                {
                    Some(format!(
                        ": the image build stops there too once `{}` before it is fixed, so {} never starts air",
                        first_command.as_deref().unwrap_or_default(),
                        by.describe()
                    ))
                }
                None => then,
            };
            found.installs.push(RenamedInstall {
                image_of: Some(by.describe()),
                then,
                read_alone: alone,
                unbuilt,
                air_in: air_in.clone(),
                ..RenamedInstall::old_go(install_file, install_line, s)
            });
        }
    }
    found.out.extend(here);
    for inner in &in_services {
        resolve(at, file, kind, target, inner, found);
    }
    // `CMD ["make", "run"]`: the target's recipe runs in the container, from the Makefile
    // the container sees in its folder (a mount or a COPY of the repository's).
    if let Place::Container(c) = &l.place {
        for (run, scope) in makes {
            let mut cwd = join_posix(&c.cwd, &scope.dir.to_string_lossy());
            if let Some(d) = &run.dir {
                cwd = join_posix(&cwd, d);
            }
            let here = Container {
                cwd: cwd.clone(),
                ..c.clone()
            };
            let names: Vec<String> = match &run.file {
                Some(f) => vec![f.clone()],
                None => makefile::NAMES.iter().map(|n| n.to_string()).collect(),
            };
            let Some(host) = names.iter().find_map(|n| {
                here.to_host(n)
                    .or_else(|| here.assembled_host(n))
                    .filter(|h| h.starts_with(repo) && h.is_file())
            }) else {
                continue;
            };
            let Some(text) = read(&host) else { continue };
            let Some(goal) = run.target.clone().or_else(|| makefile::first_target(&text)) else {
                continue;
            };
            let key = (host.clone(), goal.clone(), cwd.clone());
            if found.makes.contains(&key) {
                continue;
            }
            found.makes.push(key);
            let file = host
                .strip_prefix(repo)
                .unwrap_or(&host)
                .display()
                .to_string();
            let dir = host.parent().unwrap_or(repo);
            for ml in makefile::lines(dir, &text) {
                if ml.target.as_deref() != Some(goal.as_str()) {
                    continue;
                }
                let inner = Line {
                    place: Place::Container(here.clone()),
                    ..ml
                };
                resolve(at, &file, Kind::Makefile, Some(&goal), &inner, found);
            }
        }
    }
    // `command: ./docker/start-app.sh`: the script runs in the container.
    if let Place::Container(c) = &l.place {
        for (sh, scope, args) in scripts {
            let cwd = join_posix(&c.cwd, &scope.dir.to_string_lossy());
            let here = Container {
                cwd: cwd.clone(),
                ..c.clone()
            };
            let Some(host) = here.to_host(&sh).filter(|h| h.starts_with(repo)) else {
                continue;
            };
            let Some(text) = read(&host) else { continue };
            // `command: ./docker/dev`: a script only when its first line names a shell.
            if !sh.ends_with(".sh") && !is_shell_shebang(&text) {
                continue;
            }
            // An entrypoint script ending in `exec "$@"` runs its arguments (the CMD after
            // an ENTRYPOINT script): they start where that line runs, said at the caller's line.
            let literal = !args.is_empty() && !args.iter().any(|a| a.contains(['$', '`']));
            let dirs = match literal {
                true => runs_its_arguments(&text),
                false => vec![],
            };
            for dir in dirs {
                let text = dockerfile::Exec::Argv(args.clone()).text();
                let inner = Line {
                    line: l.line,
                    target: l.target.clone(),
                    text,
                    place: Place::Container(Container {
                        cwd: join_posix(&cwd, &dir.to_string_lossy()),
                        ..c.clone()
                    }),
                };
                resolve(at, file, kind, target, &inner, found);
            }
            if found.scripts.contains(&host) {
                continue;
            }
            found.scripts.push(host.clone());
            let file = host
                .strip_prefix(repo)
                .unwrap_or(&host)
                .display()
                .to_string();
            let container_path = join_posix(&cwd, &sh);
            for sl in script::lines(repo, &host, &text, Some((here.clone(), container_path))) {
                resolve(at, &file, Kind::Script, None, &sl, found);
            }
        }
    }
}

/// The air a host line runs with `go run github.com/cosmtrek/air` (no version): the one the
/// go.mod of its folder (or the nearest above) requires.
fn required_air(repo: &Path, dir: &Path, text: &str) -> Option<AirVersion> {
    if !text.contains("go run") && !text.contains("go tool") {
        return None;
    }
    let gomod = dir
        .ancestors()
        .take_while(|d| d.starts_with(repo))
        .map(|d| d.join("go.mod"))
        .find(|p| p.is_file())?;
    let gomod = crate::system::files::read_to_string(&gomod).ok()?;
    super::versions::run_by_go_mod(text, &gomod)
}

/// The launch context of one air call found at `scope` of a line starting at `place`.
fn context(
    launcher: Launcher,
    place: &Place,
    scope: &shell::Scope,
    args: AirArgs,
    air: Option<AirVersion>,
    copies: &[(PathBuf, PathBuf)],
) -> LaunchContext {
    let dir = scope.dir.to_string_lossy().to_string();
    let (cwd, container) = match place {
        Place::Host(start) => {
            let cwd = scope
                .dir_known
                .then(|| PathBuf::from(clean_str(&start.join(&dir).to_string_lossy())));
            (cwd, None)
        }
        Place::Container(c) => {
            let inside = join_posix(&c.cwd, &dir);
            let here = Container {
                cwd: inside.clone(),
                ..c.clone()
            };
            let cwd = scope
                .dir_known
                .then(|| here.to_host(".").or_else(|| here.assembled_host(".")))
                .flatten();
            (cwd, Some(here))
        }
    };
    // A container's shell has expanded what it could (`Exec::with_env`); what is left is
    // not known here, or air gets it as written (an exec-form CMD).
    let config = match (args.config.as_ref(), &cwd) {
        (Some(c), _) if c.contains(['$', '{', '%', '`']) => ConfigRef::Unknown,
        (Some(c), _) => {
            let host = match &container {
                Some(k) => k.to_host(c),
                None => cwd
                    .as_ref()
                    .map(|d| PathBuf::from(clean_str(&d.join(c).to_string_lossy()))),
            };
            match host {
                Some(h) if h.is_file() => ConfigRef::Read(h),
                // A per-developer copy not made yet of a template the repository ships
                // (alexbkl/hello-back: `air -c .air.toml`, .air.toml in .gitignore,
                // .air.example.toml committed): the copy will say what the template says.
                Some(h) if config_template(&h).is_some() => {
                    ConfigRef::Read(config_template(&h).unwrap_or(h))
                }
                // A copy a setup script makes: the file it copies.
                Some(h) if copied_config(copies, &h).is_some() => {
                    ConfigRef::Read(copied_config(copies, &h).unwrap_or(h))
                }
                Some(h) => ConfigRef::Missing(c.clone(), Some(h)),
                // A Dockerfile no compose file or `docker run` here is known to start, whose
                // image holds nothing of the repository: it is run with a mount not known
                // here (`docker run -v`, a compose file the user writes), which may bring it.
                None if launcher.kind == Kind::Dockerfile
                    && container.as_ref().is_some_and(|k| k.mounts.is_empty()) =>
                {
                    ConfigRef::Unknown
                }
                None if container.is_some() && scope.dir_known => {
                    ConfigRef::Missing(c.clone(), None)
                }
                None => ConfigRef::Unknown,
            }
        }
        // In a container, what is at the name there: a file COPYed to it (`COPY
        // ./docker/go/.air.toml ./.air.toml`, ndious/snacked) is that source.
        (None, Some(d)) => default_configs(air.as_ref())
            .iter()
            .map(|n| {
                container
                    .as_ref()
                    .and_then(|k| k.to_host(n))
                    .filter(|p| p.is_file())
                    .unwrap_or_else(|| d.join(n))
            })
            .find(|p| p.is_file())
            .or_else(|| config_template(&d.join(".air.toml")))
            .or_else(|| copied_config(copies, &d.join(".air.toml")))
            .map_or(ConfigRef::Defaults, ConfigRef::Read),
        (None, None) => ConfigRef::Unknown,
    };
    LaunchContext {
        launcher,
        cwd,
        container,
        config_arg: args.config,
        config,
        overrides: args.overrides,
        air,
        guess: None,
    }
}

/// Whether a launcher's text may start air: it names air, or docker or podman (whose run of an
/// image built here starts that image's command).
fn may_start_air(text: &str) -> bool {
    text.contains("air") || text.contains("docker") || text.contains("podman")
}

/// The script a command runs: `./docker/start.sh`, `sh docker/start.sh`, `/app/run.sh args`,
/// or an extensionless path (`./docker/dev`, `bash tools/run`), which is a script only when
/// its file starts with a shell's shebang (the caller reads it to know).
fn script_run(words: &[String]) -> Option<String> {
    let w = shell::program_words(words);
    let first = w.first()?;
    let name = first.rsplit('/').next().unwrap_or(first);
    let by_shell = matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh");
    let file = if by_shell {
        w[1..].iter().find(|a| !a.starts_with('-'))?
    } else {
        first
    };
    let last = file.rsplit('/').next().unwrap_or(file);
    let extensionless = !last.is_empty() && !last.contains('.') && (by_shell || file.contains('/'));
    ((file.ends_with(".sh") || extensionless) && !file.contains('$')).then(|| file.clone())
}

/// The words a command passes to the script [`script_run`] found in it (`/entrypoint.sh air
/// -c .air.toml`: `air -c .air.toml`).
fn script_args(words: &[String], script: &str) -> Vec<String> {
    let w = shell::program_words(words);
    w.iter()
        .position(|a| a == script)
        .map(|at| w[at + 1..].to_vec())
        .unwrap_or_default()
}

/// Where a script runs its own arguments as a command (`exec "$@"`, `"$@"`): the folder of
/// each such line, relative to where the script starts. A `"$@"` in a function's body is the
/// function's arguments, not the script's.
fn runs_its_arguments(text: &str) -> Vec<PathBuf> {
    fn outside_functions<'a>(script: &'a shell::Script, out: &mut Vec<&'a shell::Simple>) {
        for e in &script.entries {
            match &e.node {
                shell::Node::Simple(s) => out.push(s),
                shell::Node::Subshell(inner) => outside_functions(inner, out),
                shell::Node::Branches(arms) => arms.iter().for_each(|a| outside_functions(a, out)),
                shell::Node::Function { .. } => {}
            }
        }
    }
    if !text.contains("$@") && !text.contains("${@}") {
        return vec![];
    }
    let script = shell::parse(text);
    let mut own = vec![];
    outside_functions(&script, &mut own);
    let mut out: Vec<PathBuf> = vec![];
    script.walk(false, &mut |s, scope| {
        let runs = matches!(shell::program_words(&s.words), [w] if w == "$@" || w == "${@}");
        if runs && !scope.substituted && own.iter().any(|o| std::ptr::eq(*o, s)) {
            for d in scope.each_dir() {
                if !out.contains(&d.dir) {
                    out.push(d.dir);
                }
            }
        }
    });
    out
}

/// Whether a container's command may run a script of the repository ([`script_run`]) or a
/// Makefile target (`make run`).
fn runs_a_script(text: &str) -> bool {
    if text.contains(".sh") {
        return true;
    }
    let mut found = false;
    shell::parse(text).walk(true, &mut |s, _| {
        found |= script_run(&s.words).is_some() || makefile::make_run(&s.words).is_some()
    });
    found
}

/// `base` joined with `path` the way a container's shell does (`/app` + `../x` = `/x`).
fn join_posix(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        clean_str(path)
    } else {
        clean_str(&format!(
            "{}/{path}",
            if base.is_empty() { "/" } else { base }
        ))
    }
}

/// The template a repository ships for the config `missing` that each developer copies
/// (`.air.example.toml` or `.air.toml.example` for `.air.toml`; sample, dist, template
/// likewise), when `missing` is not there.
pub fn config_template(missing: &Path) -> Option<PathBuf> {
    if missing.exists() {
        return None;
    }
    let dir = missing.parent()?;
    template_names(missing.file_name()?.to_str()?)
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// The config a script of the repository puts at `missing` (not there now): a per-OS or
/// per-developer template it copies, links or moves to the name air reads (hatstack's
/// scripts/setup-air.sh: `cp .air.unix.toml .air.toml`, `.air.toml` gitignored).
fn copied_config(copies: &[(PathBuf, PathBuf)], missing: &Path) -> Option<PathBuf> {
    if missing.exists() {
        return None;
    }
    let missing = crate::filepath::clean(missing);
    copies
        .iter()
        .find(|(made, _)| *made == missing)
        .map(|(_, from)| from.clone())
}

/// The files a script copies, links or moves (`cp`, `ln -s`, `mv`, `install`, two literal
/// paths): (made, from), from an existing file of the repository. Read, never run: a
/// relative path is taken in the folder where the file it copies exists, the repository's
/// root or the script's own (where a setup script is run from).
fn script_copies(repo: &Path, path: &Path, text: &str) -> Vec<(PathBuf, PathBuf)> {
    let dirs: Vec<PathBuf> = [Some(repo), path.parent()]
        .into_iter()
        .flatten()
        .map(Path::to_path_buf)
        .collect();
    let mut out = vec![];
    shell::parse(text).walk(false, &mut |s, _| {
        let w = shell::program_words(&s.words);
        let Some(program) = w.first() else { return };
        if !matches!(program.as_str(), "cp" | "ln" | "mv" | "install") {
            return;
        }
        let paths: Vec<&String> = w[1..].iter().filter(|a| !a.starts_with('-')).collect();
        let [from, made] = paths[..] else { return };
        if [from, made]
            .iter()
            .any(|p| p.contains(['$', '`', '*', '?']))
        {
            return;
        }
        for d in &dirs {
            let from_here = crate::filepath::clean(&d.join(from));
            if !from_here.is_file() || !from_here.starts_with(repo) {
                continue;
            }
            let mut made_here = crate::filepath::clean(&d.join(made));
            // `cp x.toml dir/`: into that folder, same name.
            if made.ends_with('/') || made_here.is_dir() {
                made_here = made_here.join(from_here.file_name().unwrap_or_default());
            }
            out.push((made_here, from_here));
            break;
        }
    });
    out
}

/// Whether `template` is a template of the config `-c arg` names (`.air.example.toml` of
/// `.air.toml`).
pub fn is_template_of(template: &Path, arg: &str) -> bool {
    let (Some(t), Some(copy)) = (
        template.file_name().and_then(|n| n.to_str()),
        Path::new(arg).file_name().and_then(|n| n.to_str()),
    ) else {
        return false;
    };
    template_names(copy).iter().any(|n| n == t)
}

fn template_names(name: &str) -> Vec<String> {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return vec![];
    };
    ["example", "sample", "dist", "template", "tmpl"]
        .iter()
        .flat_map(|w| [format!("{stem}.{w}.{ext}"), format!("{name}.{w}")])
        .collect()
}

/// A project generator's text template, not a launcher of this repository (edsonmichaque/
/// craft's cmd/craft/templates/docker/dockerfile.tmpl, which the program renders into the
/// projects it writes): a template extension (`.tmpl`, `.tpl`, `.gotmpl`, `.template`,
/// `.j2`, `.jinja`, `.tmpl.yml`), or a file below a `templates/` folder with `{{` actions.
fn is_text_template(path: &Path, name: &str) -> bool {
    const EXTENSIONS: &[&str] = &["tmpl", "tpl", "gotmpl", "template", "j2", "jinja", "jinja2"];
    let mut parts = name.split('.').skip(1);
    let last = name.rsplit('.').next().filter(|_| name.contains('.'));
    if last.is_some_and(|e| EXTENSIONS.contains(&e)) || parts.any(|p| p == "tmpl") {
        return true;
    }
    let in_templates = path
        .ancestors()
        .skip(1)
        .any(|d| d.file_name().is_some_and(|n| n == "templates"));
    in_templates
        && std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_BYTES)
        && crate::system::files::read_to_string(path).is_ok_and(|t| t.contains("{{"))
}

/// Which launcher kind a file is, by name (and folder for VS Code and devcontainers).
fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if parent == ".vscode" {
        return (name == "tasks.json").then_some(Kind::VsCodeTask);
    }
    if name == "devcontainer.json" || name == ".devcontainer.json" {
        return Some(Kind::Devcontainer);
    }
    if is_text_template(path, &name) {
        return None;
    }
    if name == "magefile.go" || (parent == "magefiles" && name.ends_with(".go")) {
        return Some(Kind::Mage);
    }
    if name.starts_with("dockerfile") || name.ends_with(".dockerfile") {
        return Some(Kind::Dockerfile);
    }
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if name.contains("compose") && yaml {
        return Some(Kind::Compose);
    }
    if name.starts_with("skaffold") && yaml {
        return Some(Kind::Skaffold);
    }
    if (name.starts_with("taskfile") || name.starts_with("taskfile.dist"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
    {
        return Some(Kind::Taskfile);
    }
    if (name.starts_with("mise.") || name.starts_with(".mise.")) && name.ends_with(".toml") {
        return Some(Kind::Mise);
    }
    Some(match name.as_str() {
        ".gitpod.yml" | ".gitpod.yaml" => Kind::Gitpod,
        "moon.yml" | "moon.yaml" => Kind::Moon,
        "project.json" => Kind::Nx,
        "makefile" | "gnumakefile" => Kind::Makefile,
        "justfile" | ".justfile" => Kind::Justfile,
        "package.json" => Kind::PackageJson,
        n if n.starts_with("procfile") => Kind::Procfile,
        n if n.ends_with(".mk") => Kind::Makefile,
        n if n.ends_with(".just") => Kind::Justfile,
        n if n.ends_with(".sh") || n.ends_with(".bash") => Kind::Script,
        // An extensionless script (`tools/run`, `dev/start`) says what it is on its first line.
        n if !n.contains('.') && shell_shebang(path) => Kind::Script,
        // A compose file by another name (`dev.example.yml` a setup script copies into
        // place, `dev.yml` a README passes to `docker compose -f`) says what it is inside.
        _ if yaml && compose_by_content(path) => Kind::Compose,
        _ => return None,
    })
}

/// `text` without a leading UTF-8 byte order mark (an editor on Windows wrote it): docker's
/// Dockerfile parser and compose's YAML reader skip it.
pub(super) fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Whether the YAML file at `path` (at most [`MAX_BYTES`]) is a compose file by its content:
/// a top-level `services:` mapping with a service holding `image:`, `build:` or `command:`
/// (a CI file's `services:` is a list of images, or sits below a job).
fn compose_by_content(path: &Path) -> bool {
    let small = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES);
    if !small {
        return false;
    }
    let Ok(text) = crate::system::files::read_to_string(path) else {
        return false;
    };
    is_compose_text(&text)
}

/// [`compose_by_content`] on the file's text.
fn is_compose_text(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.lines().any(|l| l.starts_with("services:")) {
        return false;
    }
    let Some(doc) = crate::yaml::parse(text) else {
        return false;
    };
    doc.get("services").is_some_and(|services| {
        services.entries().iter().any(|(_, service)| {
            ["image", "build", "command"]
                .iter()
                .any(|k| service.get(k).is_some())
        })
    })
}

/// Whether the file at `path` starts with a POSIX shell's shebang: `#!/bin/sh`, `#!/bin/bash`,
/// `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e` (not python, node or a binary).
fn shell_shebang(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 128];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(n) = f.read(&mut head) else {
        return false;
    };
    is_shell_shebang(&String::from_utf8_lossy(&head[..n]))
}

/// [`shell_shebang`] on the file's first bytes.
pub(crate) fn is_shell_shebang(head: &str) -> bool {
    let Some(line) = head.strip_prefix("#!").and_then(|r| r.lines().next()) else {
        return false;
    };
    let mut words = line.split_whitespace();
    let Some(mut program) = words.next() else {
        return false;
    };
    if program.rsplit('/').next() == Some("env") {
        match words.find(|w| !w.starts_with('-')) {
            Some(p) => program = p,
            None => return false,
        }
    }
    let name = program.rsplit('/').next().unwrap_or(program);
    matches!(
        name,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh"
    )
}

/// The launch files below `repo`, sorted: hidden folders are skipped except `.vscode`,
/// `.devcontainer` and `.docker`, and so are `node_modules`, `vendor` and `testdata`;
/// symbolic links are not followed.
fn launch_files(repo: &Path) -> Vec<(PathBuf, Kind)> {
    let mut out = vec![];
    let mut queue = std::collections::VecDeque::from([(repo.to_path_buf(), 0)]);
    let mut seen = 0;
    let mut go_read = 0;
    while let Some((dir, depth)) = queue.pop_front() {
        seen += 1;
        if seen > MAX_DIRS {
            break;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        let mut go_files: Vec<PathBuf> = vec![];
        for e in entries {
            let Ok(t) = e.file_type() else { continue };
            let name = e.file_name().to_string_lossy().to_string();
            if t.is_dir() {
                let hidden = name.starts_with('.')
                    && !matches!(name.as_str(), ".vscode" | ".devcontainer" | ".docker");
                if depth < MAX_DEPTH
                    && !hidden
                    && !matches!(name.as_str(), "node_modules" | "vendor" | "testdata")
                {
                    queue.push_back((e.path(), depth + 1));
                }
            } else if t.is_file() {
                if let Some(kind) = kind_of(&e.path()) {
                    out.push((e.path(), kind));
                } else if name.ends_with(".go") && !name.ends_with("_test.go") {
                    go_files.push(e.path());
                }
            }
        }
        if go_read < MAX_GO_FILES {
            go_read += go_files.len();
            out.extend(
                go_program(&go_files)
                    .into_iter()
                    .map(|p| (p, Kind::GoProgram)),
            );
        }
    }
    out
}

/// How many `.go` files are read to find the Go programs that start air.
const MAX_GO_FILES: usize = 2_000;

/// The files of one folder's Go package when it is a program that starts air: a main package
/// (`package main`, a `func main()`, no mage build tag) with a string literal naming air
/// (`"air"`, `".../bin/air"`). A program is only read, never built or run.
fn go_program(files: &[PathBuf]) -> Vec<PathBuf> {
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= MAX_BYTES))
        .filter_map(|p| Some((p.clone(), crate::system::files::read_to_string(p).ok()?)))
        .filter(|(_, t)| {
            let main = t.lines().any(|l| l.trim_end() == "package main");
            let mage = t
                .lines()
                .any(|l| l.starts_with("//go:build") && l.contains("mage"));
            main && !mage
        })
        .collect();
    let has_main = texts
        .iter()
        .any(|(_, t)| t.lines().any(|l| l.starts_with("func main()")));
    let names_air = texts
        .iter()
        .any(|(_, t)| t.contains("\"air\"") || t.contains("/air\""));
    match has_main && names_air {
        true => texts.into_iter().map(|(p, _)| p).collect(),
        false => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn config(s: &str) -> Option<Option<String>> {
        air_call(&w(s)).map(|a| a.config)
    }

    #[test]
    fn finds_air_and_its_config() {
        assert_eq!(
            config("air -c .air.dev.toml"),
            Some(Some(".air.dev.toml".into()))
        );
        assert_eq!(
            config("$(GOBIN)/air -c=air.toml -d"),
            Some(Some("air.toml".into()))
        );
        assert_eq!(config("DEBUG=1 exec air"), Some(None));
        assert_eq!(
            config("go run github.com/air-verse/air@v1.61.7 -c .air.toml"),
            Some(Some(".air.toml".into()))
        );
        assert_eq!(
            config("go tool -modfile=.dev/tools.mod air -c ./services/runner/.air.toml"),
            Some(Some("./services/runner/.air.toml".into()))
        );
        assert_eq!(
            config("dockerize -timeout 10s -wait tcp://mysql:3306 air -c docker/.air.toml"),
            Some(Some("docker/.air.toml".into()))
        );
        assert_eq!(config("./wait-for-it.sh db:5432 -- air"), Some(None));
        assert_eq!(config("air -- -c app.yaml"), Some(None));
        for not in [
            "air -v",
            "air init",
            "command -v air",
            "go install github.com/air-verse/air@latest",
            "echo air",
            "go run .",
        ] {
            assert_eq!(config(not), None, "{not}");
        }
        let a = air_call(&w(
            "air -c cmd/api/.air.toml --build.cmd make --build.bin=./tmp/api",
        ))
        .unwrap();
        assert_eq!(
            a.overrides,
            vec![
                ("build.cmd".to_string(), "make".to_string()),
                ("build.bin".to_string(), "./tmp/api".to_string())
            ]
        );
    }

    /// The air a script holds in a variable: Werneck0live/cadastro-empresa-go-lang's
    /// `AIR_BIN="$(go env GOPATH)/bin/air"`, wesm/middleman's `${AIR_BIN:-/go/bin/air}` and
    /// `$(command -v air)` fallbacks, Ebejay95/go_vue_boilerplate's `AIR_COMMAND=""` then
    /// `"air"` or `/go/bin/air`, a Makefile recipe's `AIR_BIN=$$(...)/bin/air`.
    #[test]
    fn a_variable_that_holds_air_starts_air() {
        let calls = |src: &str| -> Vec<Option<String>> {
            let script = shell::parse(src);
            let names = AirNames::of(&script);
            let mut out = vec![];
            script.walk(true, &mut |s, _| {
                if let Some(a) = names.air_call(&s.words) {
                    out.push(a.config);
                }
            });
            out
        };
        let one = |c: &str| vec![Some(c.to_string())];
        assert_eq!(
            calls("AIR_BIN=\"$(go env GOPATH)/bin/air\"\n\"$AIR_BIN\" -v || true\nexec \"$AIR_BIN\" -c /app/docker/.air.toml\n"),
            one("/app/docker/.air.toml")
        );
        assert_eq!(
            calls(
                "air_bin=\"${AIR_BIN:-/go/bin/air}\"\n\"$air_bin\" -c .air.toml -- -config x &\n"
            ),
            one(".air.toml")
        );
        assert_eq!(
            calls("air_bin=\"${AIR_BIN:-}\"\nif [ -z \"$air_bin\" ]; then\n  air_bin=\"$(command -v air 2>/dev/null || true)\"\nfi\nexec \"${air_bin}\" -c .air.toml\n"),
            one(".air.toml")
        );
        assert_eq!(
            calls("AIR_COMMAND=\"\"\nif command -v air; then\n  AIR_COMMAND=\"air\"\nelif [ -f /go/bin/air ]; then\n  AIR_COMMAND=\"/go/bin/air\"\nfi\ncd backend\n$AIR_COMMAND -c .air.toml > ../backend.log 2>&1 &\n"),
            one(".air.toml")
        );
        assert_eq!(calls("${AIR:-air} -c x.toml\n"), one("x.toml"));
        assert_eq!(
            calls("AIR_BIN=$(sh -lc 'go env GOPATH')/bin/air; if [ -x \"$AIR_BIN\" ]; then ( cd api && \"$AIR_BIN\" ); fi"),
            vec![None]
        );
        // A name given another program anywhere in the script, or never given air, is not air.
        for not in [
            "AIR=air\nAIR=reflex\n$AIR -c x\n",
            "$AIR -c x\n",
            "RUNNER=/usr/bin/watcher\n$RUNNER -c x\n",
            "${AIR:-reflex} -c x\n",
            "X=$(echo air)\n$X -c y\n",
            "AIR=air\n$AIR -v\n",
        ] {
            assert!(calls(not).is_empty(), "{not}");
        }
    }

    /// Includes that loop (compose.yml -> dev/more.yml -> ../compose.yml, and a file that
    /// includes itself), that name a missing file, a folder outside the repository or a
    /// variable, and a YAML alias inside its own anchor: every service read once, no hang.
    #[test]
    fn compose_includes_that_loop_or_point_nowhere_end() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path().join("repo");
        std::fs::create_dir_all(repo.join("dev")).unwrap();
        std::fs::write(
            d.path().join("outside.yml"),
            "services:\n  out:\n    image: cosmtrek/air\n",
        )
        .unwrap();
        let write = |p: &str, t: &str| std::fs::write(repo.join(p), t).unwrap();
        write(
            "compose.yml",
            "include:\n  - dev/more.yml\n  - path: [missing.yml, ../outside.yml, '${X}/a.yml']\n  - compose.yml\nservices:\n  api:\n    image: cosmtrek/air\n    working_dir: /app\n    volumes: ['.:/app']\n",
        );
        write(
            "dev/more.yml",
            "include: [../compose.yml, more.yml]\nx-a: &a\n  - *a\nservices:\n  worker:\n    image: cosmtrek/air\n    command: -c worker.toml\n    working_dir: /w\n    volumes: ['./w:/w']\n",
        );
        let found = Launches::in_repo(&repo).contexts;
        let names: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|c| (c.launcher.file.as_str(), c.launcher.target.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("compose.yml", Some("api")),
                ("dev/more.yml", Some("worker"))
            ]
        );
        assert_eq!(found[1].cwd, Some(repo.join("dev/w")));
    }

    /// `concurrently "air" "npm run dev"` in a package.json script, `npx concurrently -n
    /// api,web "cd api && air -c .air.toml" "vite"` after a `cd`.
    #[test]
    fn concurrently_runs_each_argument_as_a_command() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("app/api")).unwrap();
        std::fs::write(
            repo.join("package.json"),
            "{\"scripts\": {\n\"dev\": \"concurrently \\\"air\\\" \\\"npm run dev:web\\\"\",\n\"all\": \"cd app && npx -y concurrently -n api,web -c red,blue \\\"cd api && air -c .air.toml\\\" \\\"npm:web\\\"\"\n}}",
        )
        .unwrap();
        let found: Vec<(String, usize, Option<PathBuf>, Option<String>)> = Launches::in_repo(repo)
            .contexts
            .into_iter()
            .map(|c| {
                (
                    c.launcher.target.unwrap(),
                    c.launcher.line,
                    c.cwd,
                    c.config_arg,
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("dev".into(), 2, Some(repo.to_path_buf()), None),
                (
                    "all".into(),
                    3,
                    Some(repo.join("app/api")),
                    Some(".air.toml".into())
                ),
            ]
        );
    }

    /// Installs of air's old path that go refuses, wherever a launcher reader looks: a
    /// package.json script, a devcontainer's postCreateCommand, a compose command (its image's
    /// Go kept for the fix), a hint a Makefile recipe echoes (advice the user follows, as a
    /// README's is); a pinned old release is no such install.
    #[test]
    fn old_path_installs_are_found_by_the_launcher_readers() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join(".devcontainer")).unwrap();
        let write = |p: &str, t: &str| std::fs::write(repo.join(p), t).unwrap();
        write(
            "package.json",
            "{\"scripts\": {\n\"setup\": \"go install github.com/cosmtrek/air@latest\",\n\"dev\": \"air\"\n}}",
        );
        write(
            ".devcontainer/devcontainer.json",
            "{\"postCreateCommand\": \"go get -u github.com/cosmtrek/air\"}",
        );
        write(
            "compose.yml",
            "services:\n  api:\n    image: golang:1.22\n    command: sh -c \"go install github.com/cosmtrek/air@latest && air\"\n",
        );
        write(
            "Makefile",
            "hint:\n\techo go install github.com/cosmtrek/air@latest\nold:\n\tgo install github.com/cosmtrek/air@v1.49.0\n",
        );
        let installs = Launches::in_repo(repo).installs;
        let found: Vec<(&str, usize, Option<&str>, Option<u32>)> = installs
            .iter()
            .map(|i| (i.file.as_str(), i.line, i.what.as_deref(), i.go))
            .collect();
        assert_eq!(
            found,
            vec![
                ("compose.yml", 4, Some("the `api` service"), Some(22)),
                (
                    "Makefile",
                    2,
                    Some("the install hint the `hint` target prints"),
                    None
                ),
                ("package.json", 2, Some("the `setup` script"), None),
                (
                    ".devcontainer/devcontainer.json",
                    1,
                    Some("the `postCreateCommand` command"),
                    None
                ),
            ],
            "{installs:#?}"
        );
    }

    #[test]
    fn container_paths_map_through_the_longest_mount() {
        let c = Container {
            cwd: "/app".into(),
            mounts: vec![
                Mount {
                    container: "/app".into(),
                    host: PathBuf::from("/r/copied"),
                    live: false,
                },
                Mount {
                    container: "/app".into(),
                    host: PathBuf::from("/r/backend"),
                    live: true,
                },
                Mount {
                    container: "/app/.air.toml".into(),
                    host: PathBuf::from("/r/docker/.air.toml"),
                    live: true,
                },
            ],
            ..Container::default()
        };
        assert_eq!(c.to_host("."), Some(PathBuf::from("/r/backend")));
        assert_eq!(
            c.to_host("cmd/api"),
            Some(PathBuf::from("/r/backend/cmd/api"))
        );
        assert_eq!(
            c.to_host("/app/.air.toml"),
            Some(PathBuf::from("/r/docker/.air.toml"))
        );
        assert_eq!(c.to_host("/etc/x"), None);
        assert_eq!(join_posix("/app/cmd", "../.."), "/");
    }

    /// userstyles-world's `tools/run` (`#!/usr/bin/env sh`), goamaral's `dev/start`
    /// (`#!/usr/bin/env bash`): scripts without `.sh`. Not python, node, a shebang-less file.
    #[test]
    fn shell_shebangs_make_an_extensionless_file_a_script() {
        for yes in [
            "#!/bin/sh
",
            "#!/usr/bin/env sh
set -eu
",
            "#!/usr/bin/env bash",
            "#! /bin/bash -e
",
            "#!/usr/bin/env -S bash -eu
",
            "#!/bin/dash
",
        ] {
            assert!(is_shell_shebang(yes), "{yes}");
        }
        for no in [
            "#!/usr/bin/env python3
",
            "#!/usr/bin/node
",
            "#!/usr/bin/env
",
            "echo air
",
            "\u{7f}ELF",
            "",
        ] {
            assert!(!is_shell_shebang(no), "{no}");
        }
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("tools")).unwrap();
        std::fs::write(
            d.path().join("tools/run"),
            "#!/usr/bin/env sh
air -c tools/air_go.toml
",
        )
        .unwrap();
        std::fs::write(
            d.path().join("tools/gen"),
            "#!/usr/bin/env python3
print('air')
",
        )
        .unwrap();
        std::fs::write(d.path().join("LICENSE"), "air\n").unwrap();
        assert_eq!(kind_of(&d.path().join("tools/run")), Some(Kind::Script));
        assert_eq!(kind_of(&d.path().join("tools/gen")), None);
        assert_eq!(kind_of(&d.path().join("LICENSE")), None);
        let found = Launches::in_repo(d.path()).contexts;
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].launcher.file, "tools/run");
        assert_eq!(
            found[0].config,
            ConfigRef::Missing(
                "tools/air_go.toml".into(),
                Some(d.path().join("tools/air_go.toml"))
            )
        );
    }

    /// A container's command that runs an extensionless script of the repository
    /// (`command: ./docker/dev`, `CMD ["bash", "docker/dev"]`): read there when its first line
    /// names a shell; a binary or a python file at such a path is not.
    #[test]
    fn a_container_runs_an_extensionless_shell_script() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("docker")).unwrap();
        std::fs::create_dir_all(repo.join("server")).unwrap();
        std::fs::write(repo.join("server/.air.toml"), "").unwrap();
        std::fs::write(
            repo.join("docker/dev"),
            "#!/usr/bin/env bash\nset -e\ncd /app/server\nexec air -c .air.toml\n",
        )
        .unwrap();
        std::fs::write(
            repo.join("docker/gen"),
            "#!/usr/bin/env python3\nimport os\nos.system('air')\n",
        )
        .unwrap();
        let compose = |command: &str| {
            std::fs::write(
                repo.join("compose.yml"),
                format!("services:\n  api:\n    image: golang:1.26\n    working_dir: /app\n    volumes: ['.:/app']\n    command: {command}\n"),
            )
            .unwrap();
            Launches::in_repo(repo)
                .contexts
                .into_iter()
                .filter(|c| c.container.is_some())
                .map(|c| (c.launcher.file, c.cwd, c.config))
                .collect::<Vec<_>>()
        };
        let want = vec![(
            "docker/dev".to_string(),
            Some(repo.join("server")),
            ConfigRef::Read(repo.join("server/.air.toml")),
        )];
        assert_eq!(compose("./docker/dev"), want);
        assert_eq!(compose("[\"bash\", \"docker/dev\"]"), want);
        assert!(compose("./docker/gen").is_empty());
        assert!(compose("./bin/server").is_empty());
    }

    #[test]
    fn repository_root_prefers_git() {
        let d = tempfile::tempdir().unwrap();
        let top = d.path();
        std::fs::create_dir_all(top.join(".git")).unwrap();
        std::fs::create_dir_all(top.join("backend/cmd")).unwrap();
        std::fs::write(top.join("backend/go.mod"), "module x\n").unwrap();
        assert_eq!(repository_root(&top.join("backend/cmd")), top);
        std::fs::remove_dir(top.join(".git")).unwrap();
        assert_eq!(
            repository_root(&top.join("backend/cmd")),
            top.join("backend")
        );
    }

    /// Which folders' Go files are a program that starts air: a main package with `func
    /// main()` and a literal naming air, all its non-test files (the argv may sit in one file,
    /// its constants in another). Not a library package, not a main package that never names
    /// air (the app itself), not mage's build-tagged files (read as mage targets), and no test.
    #[test]
    fn the_configs_a_script_copies_into_place() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("scripts")).unwrap();
        std::fs::create_dir_all(repo.join("config")).unwrap();
        std::fs::write(repo.join(".air.unix.toml"), "").unwrap();
        std::fs::write(repo.join("scripts/air.example.toml"), "").unwrap();
        let script = repo.join("scripts/setup.sh");
        let text = "if [ -f .air.unix.toml ]; then\n  cp -f .air.unix.toml .air.toml\nfi\nln -s air.example.toml ../config/\nmv \"$SRC\" .air.toml\ncp missing.toml .air.toml\n";
        let got: Vec<(String, String)> = script_copies(repo, &script, text)
            .into_iter()
            .map(|(m, f)| {
                let r = |p: PathBuf| p.strip_prefix(repo).unwrap().display().to_string();
                (r(m), r(f))
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (".air.toml".into(), ".air.unix.toml".into()),
                (
                    "config/air.example.toml".into(),
                    "scripts/air.example.toml".into()
                ),
            ]
        );
        assert_eq!(
            copied_config(&script_copies(repo, &script, text), &repo.join(".air.toml")),
            Some(repo.join(".air.unix.toml"))
        );
        // Made already: the file there is read.
        std::fs::write(repo.join(".air.toml"), "").unwrap();
        assert_eq!(
            copied_config(&script_copies(repo, &script, text), &repo.join(".air.toml")),
            None
        );
    }

    #[test]
    fn go_programs_that_start_air() {
        let d = tempfile::tempdir().unwrap();
        let put = |p: &str, t: &str| {
            let path = d.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        };
        put("go.mod", "module example.com/m\n\ngo 1.22\n");
        put("main.go", "package main\n\nfunc main() {}\n");
        put(
            "cmd/dev/main.go",
            "package main\n\nfunc main() { server() }\n",
        );
        put("cmd/dev/server.go", "package main\n\nfunc server() {\n\trun([]string{\"/home/me/go/bin/air\", \"-c\", \".air.dev.toml\"})\n}\n");
        put("cmd/dev/server_test.go", "package main\n");
        put(
            "internal/dev/run.go",
            "package dev\n\nfunc Run() { run([]string{\"air\"}) }\n",
        );
        put(
            "tools/mage.go",
            "//go:build mage\n\npackage main\n\nfunc main() {}\n\nfunc Dev() { sh.Run(\"air\") }\n",
        );
        put(
            "scripts/x.go",
            "package main\n\nfunc run() { exec.Command(\"air\").Run() }\n",
        );
        let got: Vec<String> = launch_files(d.path())
            .into_iter()
            .filter(|(_, k)| *k == Kind::GoProgram)
            .map(|(p, _)| p.strip_prefix(d.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(got, vec!["cmd/dev/main.go", "cmd/dev/server.go"]);
        let l = Launcher {
            file: "cmd/dev/server.go".into(),
            line: 4,
            kind: Kind::GoProgram,
            target: None,
            command: "air".into(),
        };
        assert_eq!(l.describe(), "cmd/dev (a Go program: cmd/dev/server.go:4)");
        let root = Launcher {
            file: "dev.go".into(),
            ..l
        };
        assert_eq!(root.describe(), "dev.go (a Go program: dev.go:4)");
    }
}
