//! Compose files: each service's command (its `entrypoint:` and `command:`, else what its
//! Dockerfile's `ENTRYPOINT`/`CMD` start, else air for an `image: cosmtrek/air`; an official
//! image named beside `build:` is pulled, so its own command runs), where it
//! runs (`working_dir:`, else the Dockerfile's `WORKDIR`) and which host folders are behind
//! the container's paths: `COPY` of the build context, then bind mounts in `volumes:` (short
//! and long syntax) and `develop: watch:` syncs, all relative to the compose file's folder
//! (`..:/app` from a compose file in `docker/` is the repository); what else a volume puts
//! there (a named volume, a source not known here) for [`Container::delivery`].
//! Every field read is interpolated as compose does ([`Vars`]: the `.env` beside the file
//! and the defaults written in it); a `build.target` with no value there is each stage that
//! runs air, each with that condition.
//! An override file (`compose.override.yml`) is merged into the base file of its folder; a
//! service of another file (`compose.dev.yml`, used with `-f compose.yml -f compose.dev.yml`)
//! takes what it leaves out from the base, build's fields one by one. Every service is
//! returned, those that run no air too: a host line's `docker compose exec SERVICE air` runs
//! in them.

use super::dockerfile::{self, Exec};
use super::programs::{Has, Programs};
use super::{join_posix, Container, Line, Mount, Place};
use crate::reloaders::air::versions::Toolchain;
use crate::yaml::{self, Node};
use std::path::{Path, PathBuf};

const BASES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Whether the compose file at `file` (a path) is a base file compose reads by default.
pub(super) fn is_base_file(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    BASES.contains(&name)
}

/// The compose files a host command names with `-f FILE` / `--file FILE` next to
/// `--project-directory DIR` (`docker compose --project-directory . -f deploy/compose.yml up`),
/// each with that folder: compose resolves the file's relative paths (`build.context`, bind
/// mounts, `.env`) against the project directory, not the file's folder. `text` is shell run
/// in `here`; a path with a variable left in it is not followed.
pub(super) fn project_dirs(here: &Path, text: &str) -> Vec<(PathBuf, PathBuf)> {
    if !text.contains("compose") || !text.contains("--project-directory") {
        return vec![];
    }
    let mut out = vec![];
    commands(here, text, &mut |c| {
        let Some(project) = c.project.as_deref().and_then(|p| c.plain(p)) else {
            return;
        };
        for f in c.files.iter().filter_map(|f| c.plain(f)) {
            if !out.iter().any(|(o, _): &(PathBuf, PathBuf)| *o == f) {
                out.push((f, project.clone()));
            }
        }
    });
    out
}

/// The compose files a host command builds every service of that has `build:`, whatever its
/// `image:` names: `compose up --build` (compose sets each such service's pull_policy to
/// build), `compose build` and `compose run --build`. Each is the file named with
/// `-f FILE`, else the folder the command runs in (compose reads its compose file there).
/// `text` is shell run in `here`; a path with a variable left in it is not followed.
pub(super) fn builds(here: &Path, text: &str) -> Vec<PathBuf> {
    if !text.contains("compose") || !text.contains("build") {
        return vec![];
    }
    let mut out = vec![];
    commands(here, text, &mut |c| {
        let flag = |f: &str| c.rest.iter().any(|x| x == f);
        let built = match c.rest.first().map(String::as_str) {
            Some("build") => true,
            Some("up" | "run") => flag("--build"),
            _ => false,
        };
        if !built {
            return;
        }
        let named: Vec<PathBuf> = c.files.iter().filter_map(|f| c.plain(f)).collect();
        if named.is_empty() && c.files.is_empty() {
            out.push(c.at.clone());
        }
        out.extend(named);
    });
    out
}

/// A compose command of a host shell line: the folder it runs in, its global options (`-f`
/// files, `--project-directory`) and the words after them (`up --build`).
struct Command<'a> {
    at: PathBuf,
    files: Vec<String>,
    project: Option<String>,
    rest: &'a [String],
}

impl Command<'_> {
    /// `p` against the folder the command runs in; None with a variable or `~` left in it.
    fn plain(&self, p: &str) -> Option<PathBuf> {
        (!p.contains(['$', '`', '~'])).then(|| {
            PathBuf::from(crate::filepath::clean_str(
                &self.at.join(p).to_string_lossy(),
            ))
        })
    }
}

/// Each `docker compose` / `docker-compose` (or podman's) command of `text`, shell run in
/// `here`, in a folder known here.
fn commands(here: &Path, text: &str, each: &mut dyn FnMut(Command)) {
    crate::shell::parse(text).walk(true, &mut |s, scope| {
        if !scope.dir_known {
            return;
        }
        let w = crate::shell::program_words(&s.words);
        let program = w.first().map(|x| x.rsplit('/').next().unwrap_or(x));
        let rest = match (program, w.get(1).map(String::as_str)) {
            (Some("docker" | "podman"), Some("compose")) => &w[2..],
            (Some("docker-compose" | "podman-compose"), _) => &w[1..],
            _ => return,
        };
        let at = PathBuf::from(crate::filepath::clean_str(
            &here.join(&scope.dir).to_string_lossy(),
        ));
        let (mut files, mut project) = (vec![], None);
        let mut i = 0;
        while let Some(o) = rest.get(i).filter(|o| o.starts_with('-')) {
            let (key, value, step) = match o.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string()), 1),
                None => (o.as_str(), rest.get(i + 1).cloned(), 2),
            };
            match key {
                "-f" | "--file" => files.extend(value),
                "--project-directory" => project = value,
                "-p" | "--project-name" | "--env-file" | "--profile" | "--ansi" | "--progress"
                | "--parallel" => {}
                _ => {
                    i += 1;
                    continue;
                }
            }
            i += step;
        }
        each(Command {
            at,
            files,
            project,
            rest: &rest[i..],
        });
    });
}

/// One service of a compose file: its container, and the line that starts it when that may
/// start air (a command naming air or a `.sh` script).
pub(super) struct Service {
    pub name: String,
    /// `container_name:`, what `docker exec NAME` calls it.
    pub container_name: Option<String>,
    pub container: Container,
    pub line: Option<Line>,
    /// The Dockerfile it builds, when its line is read (then the Dockerfile is not read alone).
    pub dockerfile: Option<PathBuf>,
    /// Its line is plain `air` assumed to be run by hand in it (nothing here starts air there,
    /// its image has air and the config's folder is mounted at its working_dir): dropped
    /// where a launcher here runs air in it (`docker compose exec app air` in a Makefile).
    pub by_hand: bool,
}

/// Each service of the file at `path`, with what compose runs when nothing builds its images
/// on purpose.
#[cfg(test)]
fn lines(
    repo: &Path,
    path: &Path,
    text: &str,
    read: &dyn Fn(&Path) -> Option<String>,
    project: Option<&Path>,
) -> Vec<Service> {
    lines_built(repo, path, text, read, project, false)
}

/// Each service of the file at `path`; `built`: a launcher here runs it with `up --build`
/// (or `compose build`), so a service with `build:` runs its Dockerfile even when its
/// `image:` names an image a pull would find.
pub(super) fn lines_built(
    repo: &Path,
    path: &Path,
    text: &str,
    read: &dyn Fn(&Path) -> Option<String>,
    project: Option<&Path>,
    built: bool,
) -> Vec<Service> {
    let own_dir = path.parent().unwrap_or(repo).to_path_buf();
    // `--project-directory DIR`: the file's relative paths are relative to DIR.
    let dir = project.map_or_else(|| own_dir.clone(), Path::to_path_buf);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let sibling = |n: &str| read(&own_dir.join(n)).and_then(|t| yaml::parse(&t));
    let is_override = name.contains("override");
    let base_name = BASES.iter().find(|b| own_dir.join(b).is_file());
    if is_override && base_name.is_some() {
        return vec![]; // read with its base
    }
    let Some(doc) = yaml::parse(text) else {
        return vec![];
    };
    let overrides: Vec<Node> = if BASES.contains(&name.as_str()) {
        BASES
            .iter()
            .map(|b| b.replace("compose.", "compose.override."))
            .filter_map(|o| sibling(&o))
            .collect()
    } else {
        vec![]
    };
    let base = base_name.filter(|b| **b != name).and_then(|b| sibling(b));
    let vars = Vars::load(&dir, read);
    let file = File {
        dir: &dir,
        vars: &vars,
        volumes: doc.get("volumes"),
        built,
    };
    let mut out = vec![];
    let Some(all) = doc.get("services") else {
        return out;
    };
    let extended = extended_files(repo, path, &doc, read);
    for (service_name, node) in all.entries() {
        // The most specific first: override files, this file, then the base.
        let mut chain: Vec<&Node> = overrides
            .iter()
            .filter_map(|o| o.get("services").and_then(|s| s.get(service_name)))
            .collect();
        chain.push(node);
        let own_nodes = chain.len();
        // `-f compose.yml -f compose.dev.yml`: what this file leaves out comes from the base.
        chain.extend(
            base.as_ref()
                .and_then(|b| b.get("services"))
                .and_then(|s| s.get(service_name)),
        );
        let mut dirs: Vec<PathBuf> = vec![dir.clone(); chain.len()];
        let followed = extends(path, &doc, &chain, &extended, &mut chain.clone(), &mut dirs);
        let with_extends = followed.iter().filter(|n| n.get("extends").is_some());
        let origins = Origins {
            unknown: with_extends.count() > followed.len() - chain.len(),
            // Only the base's node is another file's (what `extends:` brings stays as it was).
            merged: base
                .as_ref()
                .zip(base_name)
                .map(|(_, b)| (name.clone(), b.to_string())),
            files: (0..followed.len())
                .map(|i| i != own_nodes || chain.len() == own_nodes)
                .collect(),
            dirs,
        };
        out.extend(services(
            repo,
            &file,
            service_name,
            node.key_line,
            &followed,
            &origins,
        ));
    }
    out
}

/// Where each node of a service's chain comes from: the folder of its file (its relative
/// paths are relative to it), and whether an `extends:` was not followed.
struct Origins {
    dirs: Vec<PathBuf>,
    /// Whether each node is this file's own (or an override file's), not the base's.
    files: Vec<bool>,
    /// This file's name and its base's, when a base is merged beneath it.
    merged: Option<(String, String)>,
    unknown: bool,
}

/// At most this many services are followed through `extends:`.
const MAX_EXTENDS: usize = 8;

/// The compose files that `extends: file:` names, from `path`'s services and theirs, each
/// with its parsed text (a file outside the repository or not there is left out).
fn extended_files(
    repo: &Path,
    path: &Path,
    doc: &Node,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Vec<(PathBuf, Node)> {
    let mut out: Vec<(PathBuf, Node)> = vec![];
    let mut todo: Vec<PathBuf> = extends_named(path, doc);
    while let Some(p) = todo.pop() {
        if out.len() >= MAX_EXTENDS || p == path || out.iter().any(|(o, _)| *o == p) {
            continue;
        }
        if !p.starts_with(repo) {
            continue;
        }
        let Some(d) = read(&p).and_then(|t| yaml::parse(&t)) else {
            continue;
        };
        todo.extend(extends_named(&p, &d));
        out.push((p, d));
    }
    out
}

/// The files the services of `doc` (the file at `path`) extend, cleaned.
fn extends_named(path: &Path, doc: &Node) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let services = doc.get("services").map(Node::entries).unwrap_or_default();
    services
        .iter()
        .filter_map(|(_, n)| n.get("extends")?.get("file")?.as_str())
        .filter(|f| !f.contains('$'))
        .map(|f| PathBuf::from(crate::filepath::clean_str(&dir.join(f).to_string_lossy())))
        .collect()
}

/// `chain` with the services its `extends:` name after it (`extends: other` in the same file,
/// `extends: {file: x.yml, service: s}`, and theirs in turn), as compose merges them: what
/// the service leaves out comes from the one it extends, whose relative paths are relative
/// to its own file (`dirs`, one per node of the result). An `extends:` not followed (a file
/// not read, a variable) stays in the chain, so it is known that something is missing.
fn extends<'a>(
    path: &Path,
    doc: &'a Node,
    start: &[&'a Node],
    files: &'a [(PathBuf, Node)],
    chain: &mut Vec<&'a Node>,
    dirs: &mut Vec<PathBuf>,
) -> Vec<&'a Node> {
    let mut at: Vec<(PathBuf, &'a Node)> = start.iter().map(|n| (path.to_path_buf(), *n)).collect();
    let mut i = 0;
    while i < at.len() && chain.len() < start.len() + MAX_EXTENDS {
        let (from, node) = (at[i].0.clone(), at[i].1);
        i += 1;
        let Some(e) = node.get("extends") else {
            continue;
        };
        let (file, name) = match e.as_str() {
            Some(name) => (None, name),
            None => match e.get("service").and_then(Node::as_str) {
                Some(name) => (e.get("file").and_then(Node::as_str), name),
                None => continue,
            },
        };
        let target = match file {
            None => Some((from.clone(), if from == path { Some(doc) } else { None })),
            Some(f) => {
                let dir = from.parent().unwrap_or(Path::new("/"));
                let p = PathBuf::from(crate::filepath::clean_str(&dir.join(f).to_string_lossy()));
                Some((p.clone(), if p == path { Some(doc) } else { None }))
            }
        };
        let Some((file_path, same)) = target else {
            continue;
        };
        let file_doc = same.or_else(|| files.iter().find(|(p, _)| *p == file_path).map(|(_, d)| d));
        let Some(found) = file_doc
            .and_then(|d| d.get("services"))
            .and_then(|s| s.get(name))
        else {
            continue;
        };
        if chain.iter().any(|n| std::ptr::eq(*n, found)) {
            continue;
        }
        chain.push(found);
        dirs.push(file_path.parent().unwrap_or(Path::new("/")).to_path_buf());
        at.push((file_path, found));
    }
    chain.clone()
}

/// The files a compose file's top-level `include:` names (Compose 2.20+): `- other.yml`, or
/// `- path: other.yml` / `path: [a.yml, b.yml]`, relative to the including file's folder.
/// Each is a compose application of its own whose relative paths are relative to its own
/// folder, which is how [`lines`] reads it, unless the item sets `project_directory` (then
/// they are relative to that folder, given with the file: wokacz/multi-tenant-go-service's
/// root compose.yml includes `.docker/compose.yml` with `project_directory: .`). A path with
/// a variable, outside the repository or to no file is left out (compose would stop there;
/// the doctor says nothing of it).
pub(super) fn includes(repo: &Path, path: &Path, text: &str) -> Vec<(PathBuf, Option<PathBuf>)> {
    let dir = path.parent().unwrap_or(repo);
    let Some(doc) = yaml::parse(text) else {
        return vec![];
    };
    let plain = |p: &str| {
        (!p.contains('$'))
            .then(|| PathBuf::from(crate::filepath::clean_str(&dir.join(p).to_string_lossy())))
    };
    let mut named: Vec<(&str, Option<PathBuf>)> = vec![];
    for item in doc.get("include").map(Node::items).unwrap_or_default() {
        let project = item
            .get("project_directory")
            .and_then(Node::as_str)
            .and_then(plain);
        match (item.as_str(), item.get("path")) {
            (Some(p), _) => named.push((p, None)),
            (None, Some(p)) => match p.as_str() {
                Some(one) => named.push((one, project)),
                None => named.extend(
                    p.items()
                        .iter()
                        .filter_map(Node::as_str)
                        .map(|one| (one, project.clone())),
                ),
            },
            (None, None) => {}
        }
    }
    named
        .into_iter()
        .filter_map(|(p, project)| Some((plain(p)?, project)))
        .filter(|(p, _)| {
            let real = |p: &Path| std::fs::canonicalize(p).ok();
            p.is_file()
                && real(p)
                    .zip(real(repo))
                    .is_some_and(|(p, r)| p.starts_with(r))
        })
        .collect()
}

/// The first value of `key` along `chain` (a `!reset` value unsets it).
fn field<'a>(chain: &[&'a Node], key: &str) -> Option<&'a Node> {
    let v = chain.iter().find_map(|n| n.get(key))?;
    (v.tag.as_deref() != Some("reset") && v.as_str() != Some("null")).then_some(v)
}

/// A `command:`/`entrypoint:`: compose splits a string into words like a shell, but runs no
/// shell (so `-c x` after an air entrypoint stays air's flags).
fn exec(node: &Node, vars: &Vars) -> Option<Exec> {
    match node.as_str() {
        Some(s) => {
            let s = &vars.text(s);
            match crate::shell::commands(s).as_slice() {
                [one] if one.redirects.is_empty() => Some(Exec::Argv(one.words.clone())),
                _ => Some(Exec::Shell(s.to_string())),
            }
        }
        None => {
            let words: Vec<String> = node
                .items()
                .iter()
                .filter_map(|i| i.as_str().map(|w| vars.text(w)))
                .collect();
            (!words.is_empty()).then_some(Exec::Argv(words))
        }
    }
}

/// What a compose file's services share: its folder, its interpolation variables and its
/// top-level `volumes:` (named volumes' definitions).
struct File<'a> {
    dir: &'a Path,
    vars: &'a Vars,
    volumes: Option<&'a Node>,
    /// A launcher runs it with `up --build` or `compose build` ([`builds`]).
    built: bool,
}

/// The service `service` (its files' nodes in `chain`): one [`Service`], or one per stage
/// that may run air when `build.target` is a variable with no value here (`${ENV}`, no
/// `.env`): each with the condition, so what is found there is not taken as certain.
fn services(
    repo: &Path,
    file: &File,
    service_name: &str,
    service_line: usize,
    chain: &[&Node],
    origins: &Origins,
) -> Vec<Service> {
    let b = build(repo, file, chain, &origins.dirs);
    match dockerfile_choices(&b) {
        Some(choices) => choices
            .into_iter()
            .flat_map(|(b, when)| {
                service_targets(repo, file, service_name, service_line, chain, origins, &b)
                    .into_iter()
                    .map(move |mut s| {
                        let add = |c: &mut Option<String>| {
                            *c = Some(match c.take() {
                                Some(also) => format!("{when} and {also}"),
                                None => when.clone(),
                            });
                        };
                        add(&mut s.container.condition);
                        if let Some(Line {
                            place: Place::Container(c),
                            ..
                        }) = &mut s.line
                        {
                            add(&mut c.condition);
                        }
                        s
                    })
            })
            .collect(),
        None => service_targets(repo, file, service_name, service_line, chain, origins, &b),
    }
}

/// `dockerfile: services/product/${BUILD_TYPE}.Dockerfile` with no value for the variable
/// here (jis4nx/go-ecom: dev.Dockerfile runs air, prod.Dockerfile the binary): each file of
/// that folder the pattern matches whose last stage (or a named one) starts air, with the
/// condition that picks it. None when the path has no unset variable or nothing matches.
fn dockerfile_choices(b: &Build) -> Option<Vec<(Build, String)>> {
    let path = b.dockerfile_path.as_ref()?;
    let name = path.file_name()?.to_str()?;
    if !name.contains('$') || path.is_file() {
        return None;
    }
    let dir = path.parent()?;
    // The name as a pattern: each `${VAR}`/`$VAR` stands for any text without a slash.
    let mut pattern = String::from("^");
    let mut rest = name;
    let mut written = None;
    while let Some(at) = rest.find('$') {
        pattern.push_str(&regex::escape(&rest[..at]));
        let after = &rest[at + 1..];
        let len = match after.strip_prefix('{') {
            Some(inner) => inner.find('}')? + 2,
            None => after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len()),
        };
        written.get_or_insert_with(|| rest[at..at + 1 + len].to_string());
        pattern.push_str("([^/]+)");
        rest = &after[len..];
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    let re = regex::Regex::new(&pattern).ok()?;
    let written = written?;
    let mut names: Vec<(String, String)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_str()?.to_string();
            let value = re.captures(&n)?.get(1)?.as_str().to_string();
            Some((n, value))
        })
        .collect();
    names.sort();
    let choices: Vec<(Build, String)> = names
        .into_iter()
        .filter(|(n, _)| {
            crate::system::files::read_to_string(dir.join(n)).is_ok_and(|t| {
                dockerfile::stages_with(&t, &[])
                    .iter()
                    .any(|(_, i)| i.run().is_some_and(|(_, e)| e.text().contains("air")))
            })
        })
        .map(|(n, value)| {
            let b = Build {
                dockerfile_path: Some(dir.join(&n)),
                ..b.clone()
            };
            (b, format!("when `{written}` is `{value}`"))
        })
        .collect();
    (!choices.is_empty()).then_some(choices)
}

/// [`services`] for one build: one [`Service`], or one per stage that may run air when
/// `build.target` is a variable with no value here.
fn service_targets(
    repo: &Path,
    file: &File,
    service_name: &str,
    service_line: usize,
    chain: &[&Node],
    origins: &Origins,
    b: &Build,
) -> Vec<Service> {
    let one = |target: Option<&str>, condition: Option<String>| {
        service(
            repo,
            file,
            service_name,
            service_line,
            chain,
            origins,
            b,
            target,
            condition,
        )
    };
    let written = match &b.target {
        Err((written, _)) => written.clone(),
        Ok(target) => return one(target.as_deref(), None).into_iter().collect(),
    };
    let stages = b
        .dockerfile_path
        .as_ref()
        .and_then(|p| crate::system::files::read_to_string(p).ok())
        .map(super::without_bom)
        .map(|t| dockerfile::stages_with(&t, &build_args(chain, file.vars)))
        .unwrap_or_default();
    let runs_air = |i: &dockerfile::Image| {
        i.run()
            .map(|(_, e)| e.text())
            .is_some_and(|t| t.contains("air") || t.contains(".sh"))
    };
    let candidates: Vec<String> = stages
        .iter()
        .filter(|(_, i)| runs_air(i))
        .filter_map(|(n, _)| n.clone())
        .collect();
    if candidates.is_empty() {
        // No stage runs air whichever is picked: the last, as with an empty target.
        return one(None, None).into_iter().collect();
    }
    candidates
        .iter()
        .filter_map(|stage| one(Some(stage), Some(format!("when `{written}` is `{stage}`"))))
        .collect()
}

/// A service's `build:` as compose reads it, each field from the first file that sets it.
#[derive(Clone)]
struct Build {
    context: Option<PathBuf>,
    dockerfile_path: Option<PathBuf>,
    /// `dockerfile_inline:`: the Dockerfile written in the compose file (no file is read).
    inline: Option<String>,
    /// `target:` interpolated (None: the last stage); Err((as written, the variable with no
    /// value)).
    target: Result<Option<String>, (String, String)>,
}

fn build(repo: &Path, file: &File, chain: &[&Node], dirs: &[PathBuf]) -> Build {
    // Each of build's fields from the first file that sets it (`build: ./x` is its context),
    // a context relative to that file's folder.
    let builds: Vec<(&Node, &Path)> = chain
        .iter()
        .zip(dirs)
        .filter_map(|(n, d)| Some((n.get("build")?, d.as_path())))
        .collect();
    let build_at = |key: &str| {
        builds.iter().find_map(|(b, d)| match b.as_str() {
            Some(ctx) if key == "context" && ctx != "null" => Some((ctx.to_string(), *d)),
            _ => b
                .get(key)
                .and_then(Node::as_str)
                .map(|v| (v.to_string(), *d)),
        })
    };
    let build_field = |key: &str| build_at(key).map(|(v, _)| v);
    let vars = file.vars;
    let (context, dockerfile, target) = match field(chain, "build") {
        Some(_) => (
            Some(match build_at("context") {
                Some((c, d)) => d.join(vars.text(&c)),
                None => file.dir.join("."),
            }),
            build_field("dockerfile").map(|d| vars.text(&d)),
            match build_field("target") {
                Some(t) => match vars.interpolate(&t) {
                    Ok(v) => Ok(Some(v).filter(|v| !v.is_empty())),
                    Err(var) => Err((t, var)),
                },
                None => Ok(None),
            },
        ),
        None => (None, None, Ok(None)),
    };
    let context = context.map(|c| PathBuf::from(crate::filepath::clean_str(&c.to_string_lossy())));
    // Without `dockerfile:` docker builds `Dockerfile`, else a lowercase `dockerfile`. A
    // `dockerfile:` relative to the context is cleaned (`./src` + `../docker/Dockerfile.dev`
    // is docker/Dockerfile.dev), so it is the same path as the Dockerfile found on disk.
    let dockerfile_path = context
        .as_ref()
        .map(|c| match dockerfile.as_deref() {
            Some(d) => crate::filepath::clean(&c.join(d)),
            None => Some(c.join("dockerfile"))
                .filter(|p| !c.join("Dockerfile").is_file() && p.is_file())
                .unwrap_or_else(|| c.join("Dockerfile")),
        })
        .filter(|p| p.starts_with(repo));
    // `dockerfile_inline:` (a postgres image built beside the app's `build: .`): that text is
    // the Dockerfile, not the context's file.
    let inline = build_field("dockerfile_inline")
        .filter(|_| dockerfile.is_none())
        .map(|t| vars.text(&t));
    Build {
        context,
        dockerfile_path: dockerfile_path.filter(|_| inline.is_none()),
        inline,
        target,
    }
}

#[allow(clippy::too_many_arguments)]
fn service(
    repo: &Path,
    file: &File,
    service: &str,
    service_line: usize,
    chain: &[&Node],
    origins: &Origins,
    b: &Build,
    target: Option<&str>,
    condition: Option<String>,
) -> Option<Service> {
    let vars = file.vars;
    let (context, dockerfile_path) = (&b.context, &b.dockerfile_path);
    let text = |n: &Node| n.as_str().map(|t| vars.text(t));
    let image_name = field(chain, "image").and_then(text).unwrap_or_default();
    let image_name = image_name.as_str();
    // `image:` beside `build:`: compose pulls the image first and builds only when the pull
    // fails (`mustPull`, then a build of what is still missing), unless pull_policy says
    // build or never. An official image's name always pulls, so that image runs, not the
    // Dockerfile (an nginx service with a stray `build: .` next to the app's Dockerfile).
    // `up --build` sets pull_policy to build for every service with `build:`: its Dockerfile
    // is built and tagged with `image:` (SamuelEMason/application: `image: golang:1.22-alpine`
    // beside its api.dockerfile, `docker-compose up --build` in the Makefile).
    let policy = field(chain, "pull_policy").and_then(Node::as_str);
    let pulled =
        !file.built && !matches!(policy, Some("build" | "never")) && official_image(image_name);
    let image = match &b.inline {
        Some(text) => Some(text.clone()),
        None => dockerfile_path
            .as_ref()
            .and_then(|p| crate::system::files::read_to_string(p).ok())
            .map(super::without_bom),
    }
    .filter(|_| !pulled)
    .map(|t| dockerfile::image_with(&t, target, &build_args(chain, vars)))
    .map(|mut i| {
        // `RUN ./setup.sh`: what the script installs is the image's.
        if let Some(c) = context {
            i.follow_scripts(c);
        }
        i
    });
    let air_image = {
        let repo_name = image_name.split([':', '@']).next().unwrap_or("");
        matches!(
            repo_name,
            "cosmtrek/air" | "air-verse/air" | "docker.io/cosmtrek/air"
        )
    };
    let entrypoint_node = field(chain, "entrypoint");
    let command_node = field(chain, "command");
    let entrypoint = entrypoint_node
        .and_then(|n| exec(n, vars))
        .or_else(|| match &image {
            Some(i) => i.entrypoint.as_ref().map(|e| e.1.clone()),
            None if air_image => Some(Exec::Argv(vec!["air".into()])),
            None => None,
        });
    let cmd = command_node.and_then(|n| exec(n, vars)).or_else(|| {
        if entrypoint_node.is_some() {
            return None;
        }
        image
            .as_ref()
            .and_then(|i| i.cmd.as_ref().map(|c| c.1.clone()))
    });
    // The environment, the base's first: a later file's value replaces it.
    let mut env: Vec<(String, String)> = vec![];
    for node in chain.iter().rev() {
        for (k, v) in node
            .get("environment")
            .map(environment_all)
            .unwrap_or_default()
        {
            env.retain(|(o, _)| *o != k);
            env.push((k, vars.text(&v)));
        }
    }
    // What a shell in the container expands: the image's `ENV`s, then the service's.
    let mut shell_env = image.as_ref().map(|i| i.env.clone()).unwrap_or_default();
    shell_env.retain(|(k, _)| !env.iter().any(|(o, _)| o == k));
    shell_env.extend(env.iter().cloned());
    let run = Exec::combine(entrypoint.as_ref(), cmd.as_ref())
        .map(|e| e.with_env(&shell_env).text())
        .filter(|run| run.contains("air") || super::runs_a_script(run));
    // The line of the command when this file (or an override of it) writes it; one the
    // base file writes (`-f compose.yml -f compose.prod.yml`, the base's `command: air`) is a
    // line of another file: the service's own line in this file is named.
    let own = |n: &&Node| {
        chain
            .iter()
            .zip(&origins.files)
            .any(|(c, mine)| *mine && [c.get("command"), c.get("entrypoint")].contains(&Some(*n)))
    };
    let start = command_node.or(entrypoint_node);
    let line = start
        .filter(own)
        .map(|n| n.key_line)
        .filter(|l| *l > 0)
        .unwrap_or(service_line.max(1));
    // Then this service runs air only merged with the base (`docker-compose.prod.yml` run
    // alone runs its own image's command): said as the condition it runs air on.
    let condition = match (start.is_some_and(|n| !own(&n)), &origins.merged) {
        (true, Some((mine, base))) => {
            let merge = format!("when run as `-f {base} -f {mine}` (the command is {base}'s)");
            Some(match condition {
                Some(c) => format!("{c}, {merge}"),
                None => merge,
            })
        }
        _ => condition,
    };
    let cwd = field(chain, "working_dir")
        .and_then(text)
        .map(|w| join_posix("/", &w))
        .or_else(|| image.as_ref().map(|i| i.workdir.clone()))
        .unwrap_or_else(|| "/".into());
    let mut container = Container {
        cwd,
        mounts: match (&image, &context) {
            (Some(i), Some(c)) => i.copy_mounts(c),
            _ => vec![],
        },
        condition,
        ..Container::default()
    };
    // `volumes_from:` and an `extends:` not followed bring another service's volumes, which
    // are not known here: what is mounted anywhere in the container is not known.
    if origins.unknown || chain.iter().any(|n| n.get("volumes_from").is_some()) {
        container.unknown_mounts.push("/".into());
    }
    // The volumes of every file in the chain, the base's first, each relative to its file; a
    // later file's volume at the same container path replaces the earlier one (compose merges
    // `volumes:` by target), the image's own copies stay beneath.
    let mut volumes: Vec<Volume> = vec![];
    let mut synced: Vec<Mount> = vec![];
    for (node, dir) in chain.iter().zip(&origins.dirs).rev() {
        let file = &File { dir, ..*file };
        let mine: Vec<Volume> = node
            .get("volumes")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|v| volume(file, v))
            .collect();
        volumes.retain(|old| {
            old.target()
                .is_none_or(|t| !mine.iter().any(|v| v.target() == Some(t)))
        });
        volumes.extend(mine);
        // Compose watch (`docker compose watch`, `up --watch`): a sync copies each saved
        // file into the running container; a rebuild builds the image again and replaces it.
        let watch = node.get("develop").and_then(|d| d.get("watch"));
        for w in watch.map(Node::items).unwrap_or_default() {
            let action = w.get("action").and_then(Node::as_str).unwrap_or("");
            container.rebuilds |= action == "rebuild";
            if let (true, Some(p), Some(t)) = (
                action.starts_with("sync"),
                w.get("path").and_then(text),
                w.get("target").and_then(text),
            ) {
                match host_path(dir, &p) {
                    Some(host) => {
                        container.synced.push(join_posix("/", &t));
                        synced.push(Mount {
                            container: join_posix("/", &t),
                            host,
                            live: true,
                        })
                    }
                    None => container.unknown_mounts.push(join_posix("/", &t)),
                }
            }
        }
    }
    for v in volumes {
        match v {
            Volume::Bind(m) => container.mounts.push(m),
            Volume::Unknown(at) => container.unknown_mounts.push(at),
            Volume::Named(at) => container.named_volumes.push(at),
            Volume::Skip => {}
        }
    }
    container.mounts.extend(synced);
    // What the container has on PATH: the Dockerfile's image, else the named image's.
    let programs = match (&image, &dockerfile_path) {
        (Some(i), Some(d)) => Some(Programs {
            dockerfile: d.strip_prefix(repo).unwrap_or(d).display().to_string(),
            ..i.programs.clone()
        }),
        _ if !image_name.is_empty() => Some(Programs::image(image_name)),
        _ => None,
    };
    // The image it builds, else the one it names (`cosmtrek/air:v1.40.4`, `golang:1.22`).
    let mut toolchain = match &image {
        Some(i) => i.toolchain.clone(),
        None => Toolchain::from_image(image_name),
    };
    // `environment: GOTOOLCHAIN: auto` holds for what the container runs (its command's
    // `go install ...@latest`), not for the image build before it.
    for node in chain.iter().rev() {
        if let Some(v) = node
            .get("environment")
            .and_then(|e| environment(e, "GOTOOLCHAIN"))
        {
            toolchain.env("GOTOOLCHAIN", &v);
        }
    }
    container.programs = programs;
    container.toolchain = toolchain;
    // The image's `ENV`s, then the service's: what a shell in the container expands
    // (cmd, full_bin, `sh -c` words).
    container.env = shell_env;
    // The service's own `command:` or `entrypoint:` replaces the image's CMD: the Dockerfile
    // is built here and its CMD is not what runs (charlestakang/ATS-resume-optimizer-golang:
    // Dockerfile.dev's CMD `air`, every service building it runs `go run`).
    let replaced = command_node.is_some() || entrypoint_node.is_some();
    let dockerfile = (run.is_some() || replaced)
        .then(|| dockerfile_path.clone())
        .flatten();
    // No command of its own and an image that has air but does not start it, with the
    // folder plain `air` reads its config from bind-mounted at its working_dir: air is run
    // by hand there (`docker compose exec api air`; takuyamashita/hacobi).
    let by_hand = run.is_none()
        && !replaced
        && image
            .as_ref()
            .is_some_and(|i| i.programs.has("air") == Has::Yes)
        && container.covering(&container.cwd).is_some_and(|m| m.live)
        && crate::reloaders::air::config::PLAIN_AIR_CONFIGS
            .iter()
            .any(|n| container.to_host(n).is_some_and(|p| p.is_file()));
    let (run, dockerfile) = match by_hand {
        true => {
            let by_hand = format!("if air is run by hand in it (assumed: `docker compose exec {service} air`, its image installs air)");
            container.condition = Some(match container.condition.take() {
                Some(c) => format!("{c} and {by_hand}"),
                None => by_hand,
            });
            (Some("air".to_string()), dockerfile_path.clone())
        }
        false => (run, dockerfile),
    };
    Some(Service {
        name: service.to_string(),
        container_name: field(chain, "container_name").and_then(text),
        container: container.clone(),
        dockerfile,
        by_hand,
        line: run.map(|text| Line {
            line,
            target: Some(service.to_string()),
            text,
            place: Place::Container(container),
        }),
    })
}

/// The value of `name` in a compose `environment:`, a mapping (`NAME: value`) or a list
/// (`- NAME=value`).
/// A service's `build: args:` (a mapping or a `NAME=value` list), interpolated; a later
/// file's value replaces the base's.
fn build_args(chain: &[&Node], vars: &Vars) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for node in chain.iter().rev() {
        let args = node.get("build").and_then(|b| b.get("args"));
        for (k, v) in args.map(environment_all).unwrap_or_default() {
            out.retain(|(o, _)| *o != k);
            out.push((k, vars.text(&v)));
        }
    }
    out
}

fn environment(node: &Node, name: &str) -> Option<String> {
    if let Some(v) = node.get(name) {
        return Some(v.as_str().unwrap_or("").to_string());
    }
    node.items().iter().rev().find_map(|i| {
        let (k, v) = i.as_str()?.split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// Every `NAME=value` of a compose `environment:`, a mapping or a list (a name without a
/// value is taken from the host's environment, not known here: left out).
fn environment_all(node: &Node) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = node
        .entries()
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string())))
        .collect();
    for i in node.items() {
        if let Some((k, v)) = i.as_str().and_then(|s| s.split_once('=')) {
            out.push((
                k.trim().to_string(),
                v.trim().trim_matches(['"', '\'']).to_string(),
            ));
        }
    }
    out
}

/// Docker Hub's official images (`docker.io/library/NAME`) that compose files run beside an
/// app: a name no project gives its own build, so `docker pull` finds it.
const OFFICIAL_IMAGES: &[&str] = &[
    "nginx",
    "httpd",
    "caddy",
    "traefik",
    "haproxy",
    "varnish",
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "mongo-express",
    "redis",
    "memcached",
    "rabbitmq",
    "elasticsearch",
    "kibana",
    "logstash",
    "zookeeper",
    "cassandra",
    "couchdb",
    "influxdb",
    "telegraf",
    "nats",
    "consul",
    "vault",
    "registry",
    "adminer",
    "busybox",
    "alpine",
    "debian",
    "ubuntu",
    "golang",
    "node",
    "python",
    "eclipse-mosquitto",
    "neo4j",
    "solr",
    "sonarqube",
    "clickhouse",
    "percona",
    "docker",
    "swarm",
    "tomcat",
    "wordpress",
    "ghost",
    "nextcloud",
    "kong",
];

/// Whether compose's pull of `image` succeeds: an official image by its plain name
/// (`nginx:1.27-alpine`, `docker.io/library/redis`).
fn official_image(image: &str) -> bool {
    let name = image.split(['@', ':']).next().unwrap_or(image);
    let name = name
        .strip_prefix("docker.io/")
        .or_else(|| name.strip_prefix("index.docker.io/"))
        .unwrap_or(name);
    let name = name.strip_prefix("library/").unwrap_or(name);
    OFFICIAL_IMAGES.contains(&name)
}

/// What one entry of a service's `volumes:` puts at a container path.
enum Volume {
    /// A bind mount of a host path.
    Bind(Mount),
    /// Something whose host side is not known here (a variable with no value, a named volume
    /// with driver options, which can bind a host folder, or an external one).
    Unknown(String),
    /// Docker's own storage: a named or anonymous volume, a tmpfs.
    Named(String),
    /// Nothing the doctor can place (a target that is a variable with no value).
    Skip,
}

impl Volume {
    /// The container path it mounts at (none for one the doctor cannot place).
    fn target(&self) -> Option<&str> {
        match self {
            Volume::Bind(m) => Some(&m.container),
            Volume::Unknown(t) | Volume::Named(t) => Some(t),
            Volume::Skip => None,
        }
    }
}

/// An entry of `volumes:`, short (`./src:/app[:ro]`, `gomod:/go/pkg/mod`, `/data`) or long
/// (`type: bind|volume|tmpfs`), interpolated like the rest of the file.
fn volume(file: &File, v: &Node) -> Volume {
    let vars = file.vars;
    let (kind, source, target) = match v.as_str() {
        Some(s) => {
            // Interpolated first, as compose does; unknown parts split as written.
            let whole = vars.interpolate(s);
            let parts: Vec<String> = match &whole {
                Ok(done) => done.splitn(3, ':').map(str::to_string).collect(),
                Err(_) => split_outside_braces(s),
            };
            let (source, target) = match parts.as_slice() {
                [only] => (None, only.clone()),
                [source, target, ..] => (Some(source.clone()), target.clone()),
                [] => return Volume::Skip,
            };
            let source = match (&whole, source) {
                (Ok(_), s) => s.map(Ok),
                (Err(_), s) => s.map(|s| vars.interpolate(&s)),
            };
            let target = match &whole {
                Ok(_) => target,
                Err(_) => match vars.interpolate(&target) {
                    Ok(t) => t,
                    Err(_) => return Volume::Skip,
                },
            };
            let kind = match &source {
                None => "volume",
                Some(Ok(s)) if s.starts_with(['.', '/', '~']) => "bind",
                Some(Ok(_)) => "volume",
                Some(Err(_)) => "bind",
            };
            (kind, source, target)
        }
        None => {
            let kind = v.get("type").and_then(Node::as_str).unwrap_or("volume");
            let Some(target) = v.get("target").and_then(Node::as_str) else {
                return Volume::Skip;
            };
            let Ok(target) = vars.interpolate(target) else {
                return Volume::Skip;
            };
            let source = v
                .get("source")
                .and_then(Node::as_str)
                .map(|s| vars.interpolate(s));
            (kind, source, target)
        }
    };
    let target = join_posix("/", &target);
    match (kind, source) {
        ("bind", Some(Ok(source))) => match host_path(file.dir, &source) {
            Some(host) => Volume::Bind(Mount {
                container: target,
                host,
                live: true,
            }),
            None => Volume::Unknown(target),
        },
        ("bind", _) => Volume::Unknown(target),
        ("volume", Some(Ok(name))) if !name.is_empty() => {
            // `driver_opts: {type: none, o: bind, device: ...}` makes a named volume a bind
            // mount; an external one may have been made so.
            let def = file
                .volumes
                .and_then(|vs| vs.get(&name))
                .filter(|d| d.as_str() != Some("null"));
            match def {
                Some(d)
                    if d.get("driver_opts").is_some()
                        || d.get("external").is_some()
                        || d.get("driver").is_some() =>
                {
                    Volume::Unknown(target)
                }
                _ => Volume::Named(target),
            }
        }
        ("volume", Some(Err(_))) => Volume::Unknown(target),
        ("volume" | "tmpfs", _) => Volume::Named(target),
        _ => Volume::Unknown(target),
    }
}

/// `a:b:c` split at the colons outside `${...}` (whose `:-` is not a separator).
fn split_outside_braces(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    let mut prev = ' ';
    for c in s.chars() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            ':' if depth == 0 && out.len() < 3 => {
                out.push(String::new());
                prev = c;
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
        prev = c;
    }
    out
}

/// A bind source on the host (already interpolated): relative to the compose file's folder;
/// None for `~` (the user's home, not known here) or a source still holding a `$`.
fn host_path(dir: &Path, source: &str) -> Option<PathBuf> {
    if !(source.starts_with('.') || source.starts_with('/')) || source.contains('$') {
        return None;
    }
    Some(PathBuf::from(crate::filepath::clean_str(
        &dir.join(source).to_string_lossy(),
    )))
}

/// Compose's interpolation variables for a compose file: the `.env` file in its folder (the
/// project directory of `docker compose -f FILE`), when there is one.
///
/// Compose also takes them from the shell that runs it, first. Those are left out on
/// purpose: the shell the doctor runs in is not the one the user starts compose from (a
/// terminal with other exports, CI), and the report must say the same for the same
/// repository wherever it runs. What the repository itself says is `.env` and the defaults
/// written in the file (`${ENV:-development}`); a variable neither gives a value is not
/// known here ([`Vars::interpolate`] says which). A service's `env_file:` sets only the
/// container's environment, never interpolation (a `--env-file` on compose's command line
/// would replace `.env`; no launcher's line is read for it).
#[derive(Debug, Clone, Default)]
pub(super) struct Vars(Vec<(String, String)>);

impl Vars {
    /// The variables of `dir/.env` (none without one).
    pub fn load(dir: &Path, read: &dyn Fn(&Path) -> Option<String>) -> Vars {
        read(&dir.join(".env")).map_or_else(Vars::default, |t| Vars::parse(&t))
    }

    /// Compose's `.env` syntax: `KEY=VALUE` lines (`export ` before, `#` comments), a value
    /// in single quotes as written, in double quotes with `\n`-style escapes, unquoted with
    /// an inline ` #` comment cut; double-quoted and unquoted values interpolate the
    /// variables set above them. A value referring to one not set is not known: left unset.
    pub fn parse(text: &str) -> Vars {
        let mut vars = Vars::default();
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            let ident = key.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic())
                && key
                    .chars()
                    .all(|c| c == '_' || c == '.' || c == '-' || c.is_ascii_alphanumeric());
            if !ident {
                continue;
            }
            let value = value.trim();
            let value = if let Some(rest) = value.strip_prefix('\'') {
                Ok(rest.split_once('\'').map_or(rest, |(v, _)| v).to_string())
            } else if let Some(rest) = value.strip_prefix('"') {
                let mut out = String::new();
                let mut chars = rest.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => out.push('\n'),
                            Some('t') => out.push('\t'),
                            Some(o) => out.push(o),
                            None => {}
                        },
                        _ => out.push(c),
                    }
                }
                vars.interpolate(&out)
            } else {
                let cut = value.find(" #").map_or(value, |at| &value[..at]).trim();
                vars.interpolate(cut)
            };
            vars.0.retain(|(k, _)| k != key);
            if let Ok(v) = value {
                vars.0.push((key.to_string(), v));
            }
        }
        vars
    }

    /// `text` interpolated, or as written when a variable in it has no value here (the
    /// readers then treat its `$` as unknown).
    pub fn text(&self, text: &str) -> String {
        self.interpolate(text).unwrap_or_else(|_| text.to_string())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rfind(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `text` as compose interpolates it (the compose spec's interpolation: `$NAME`,
    /// `${NAME}`, `${NAME:-default}` when unset or empty, `${NAME-default}` when unset,
    /// `${NAME:+alt}`/`${NAME+alt}`, `${NAME:?err}`/`${NAME?err}`, nested in defaults, `$$`
    /// for a `$`; a `$` before anything else stays). Err(NAME): the first variable with no
    /// value here and no default, whose value is not known (compose would take the shell's,
    /// else an empty string; with `?` it stops).
    pub fn interpolate(&self, text: &str) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            if let Some(more) = after.strip_prefix('$') {
                out.push('$');
                rest = more;
            } else if let Some(inner) = after.strip_prefix('{') {
                // The matching `}`, past nested `${...}`.
                let mut depth = 1;
                let mut end = None;
                let bytes = inner.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    match bytes[i] {
                        b'$' if bytes.get(i + 1) == Some(&b'{') => {
                            depth += 1;
                            i += 1;
                        }
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(i);
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                let Some(end) = end else {
                    // No closing brace: compose rejects the file; not known.
                    return Err(inner.to_string());
                };
                out.push_str(&self.braced(&inner[..end])?);
                rest = &inner[end + 1..];
            } else {
                let len = name_len(after);
                if len == 0 {
                    out.push('$');
                    rest = after;
                } else {
                    let name = &after[..len];
                    out.push_str(self.get(name).ok_or_else(|| name.to_string())?);
                    rest = &after[len..];
                }
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The inside of `${...}`.
    fn braced(&self, expr: &str) -> Result<String, String> {
        let len = name_len(expr);
        let (name, op) = expr.split_at(len);
        if name.is_empty() {
            return Err(expr.to_string());
        }
        let value = self.get(name);
        let set_nonempty = value.is_some_and(|v| !v.is_empty());
        let unknown = || Err(name.to_string());
        let (op, word) = ["-", ":-", "?", ":?", "+", ":+"]
            .iter()
            .filter_map(|o| op.strip_prefix(o).map(|w| (*o, w)))
            .max_by_key(|(o, _)| o.len())
            .unwrap_or(("", op));
        match (op, value) {
            ("", _) if !word.is_empty() => unknown(), // `${A/b/c}`: not compose's
            ("", Some(v)) => Ok(v.to_string()),
            ("", None) => unknown(),
            (":-", _) if set_nonempty => Ok(value.unwrap_or_default().to_string()),
            ("-", Some(v)) => Ok(v.to_string()),
            (":-" | "-", _) => self.interpolate(word),
            (":?", _) if set_nonempty => Ok(value.unwrap_or_default().to_string()),
            ("?", Some(v)) => Ok(v.to_string()),
            (":?" | "?", _) => unknown(),
            (":+", _) if set_nonempty => self.interpolate(word),
            ("+", Some(_)) => self.interpolate(word),
            _ => Ok(String::new()),
        }
    }
}

/// The length of the variable name `text` starts with (`[_a-zA-Z][_a-zA-Z0-9]*`).
fn name_len(text: &str) -> usize {
    if !text.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic()) {
        return 0;
    }
    text.find(|c: char| c != '_' && !c.is_ascii_alphanumeric())
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reloaders::air::launch::Delivery;

    fn read(p: &Path) -> Option<String> {
        std::fs::read_to_string(p).ok()
    }

    fn container_of(l: &Line) -> &Container {
        container(l)
    }

    fn container(l: &Line) -> &Container {
        match &l.place {
            Place::Container(c) => c,
            Place::Host(_) => panic!("not a container"),
        }
    }

    /// The compose spec's interpolation rules, with what `.env` sets and nothing else.
    #[test]
    fn up_with_build_and_compose_build_build_every_service() {
        let here = Path::new("/r");
        assert_eq!(
            builds(here, "docker-compose up --build -d"),
            vec![PathBuf::from("/r")]
        );
        assert_eq!(
            builds(here, "docker compose -f deploy/compose.yml build api"),
            vec![PathBuf::from("/r/deploy/compose.yml")]
        );
        assert_eq!(
            builds(here, "cd web && docker compose run --build app"),
            vec![PathBuf::from("/r/web")]
        );
        assert!(builds(here, "docker compose up -d").is_empty());
        assert!(builds(here, "docker compose exec app go build ./...").is_empty());
        assert!(builds(here, "docker compose -f \"$F\" up --build").is_empty());
    }

    #[test]
    fn interpolation_follows_the_compose_spec() {
        let vars = Vars::parse("# a comment\nSET=value\nEMPTY=\nexport EXPORTED=yes\nQUOTED=\"a b\" # c\nSINGLE='${SET}'\nREF=${SET}-x\nINLINE=dev # comment\nBAD=${NOPE}\n");
        let i = |t: &str| vars.interpolate(t);
        let ok = |t: &str| Ok::<String, String>(t.to_string());
        let unknown = |n: &str| Err::<String, String>(n.to_string());
        assert_eq!(i("${SET}"), ok("value"));
        assert_eq!(i("$SET/x"), ok("value/x"));
        assert_eq!(i("${EXPORTED}"), ok("yes"));
        assert_eq!(i("${QUOTED}"), ok("a b"));
        assert_eq!(i("${SINGLE}"), ok("${SET}"));
        assert_eq!(i("${REF}"), ok("value-x"));
        assert_eq!(i("${INLINE}"), ok("dev"));
        // Unset, with no default: not known here (compose takes the shell's or "").
        assert_eq!(i("${ENV}"), unknown("ENV"));
        assert_eq!(i("$ENV"), unknown("ENV"));
        assert_eq!(i("${BAD}"), unknown("BAD"));
        // `:-` when unset or empty, `-` only when unset.
        assert_eq!(i("${ENV:-development}"), ok("development"));
        assert_eq!(i("${EMPTY:-development}"), ok("development"));
        assert_eq!(i("${EMPTY-development}"), ok(""));
        assert_eq!(i("${ENV-x}"), ok("x"));
        assert_eq!(i("${SET:-x}"), ok("value"));
        // Nested defaults, evaluated only when used.
        assert_eq!(i("${ENV:-${SET:-y}}"), ok("value"));
        assert_eq!(i("${ENV:-${OTHER:-y}}"), ok("y"));
        assert_eq!(i("${SET:-${OTHER}}"), ok("value"));
        assert_eq!(i("${ENV:-${OTHER}}"), unknown("OTHER"));
        // `?` stops compose when unset: not known; `+` gives the alternative when set.
        assert_eq!(i("${ENV:?set ENV}"), unknown("ENV"));
        assert_eq!(i("${SET?x}"), ok("value"));
        assert_eq!(i("${SET:+alt}"), ok("alt"));
        assert_eq!(i("${EMPTY:+alt}"), ok(""));
        assert_eq!(i("${EMPTY+alt}"), ok("alt"));
        assert_eq!(i("${ENV+alt}"), ok(""));
        // `$$` is a `$`; a `$` before no name stays.
        assert_eq!(i("$$HOME and $1 and $"), ok("$HOME and $1 and $"));
        assert_eq!(i("${SET/a/b}"), unknown("SET"));
    }

    /// jis4nx/go-ecom: `dockerfile: services/product/${BUILD_TYPE}.Dockerfile` with no value
    /// for BUILD_TYPE here: dev.Dockerfile runs air, prod.Dockerfile the binary; the service
    /// is a possible launch through dev.Dockerfile, on that condition. With the variable set
    /// (`.env`), that file alone.
    #[test]
    fn a_dockerfile_path_from_a_variable() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        let dir = repo.join("services/product");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("dev.Dockerfile"), "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD [\"air\", \"-c\", \"./services/product/.air.toml\"]\n").unwrap();
        std::fs::write(dir.join("prod.Dockerfile"), "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /bin/app ./services/product/cmd\nCMD [\"/bin/app\"]\n").unwrap();
        let text = "services:\n  product-service:\n    build:\n      context: .\n      dockerfile: services/product/${BUILD_TYPE}.Dockerfile\n";
        let path = repo.join("docker-compose.yaml");
        let found = |text: &str| -> Vec<(String, Option<String>)> {
            lines(repo, &path, text, &read, None)
                .iter()
                .filter_map(|s| s.line.as_ref())
                .filter(|l| l.text.contains("air"))
                .map(|l| (l.text.clone(), container_of(l).condition.clone()))
                .collect()
        };
        assert_eq!(
            found(text),
            vec![(
                "air -c ./services/product/.air.toml".into(),
                Some("when `${BUILD_TYPE}` is `dev`".into())
            )]
        );
        std::fs::write(repo.join(".env"), "BUILD_TYPE=prod\n").unwrap();
        assert_eq!(found(text), vec![]);
    }

    /// 13SOAT-andromeda/tech-challenge-s1: `target: "${ENV}"` with no `.env`: each stage
    /// whose command runs air is a possible launch, with the condition; video-processor-
    /// users-api's `${ENV:-development}` is that stage; a `.env` value wins over the default.
    #[test]
    fn a_target_from_a_variable() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::write(repo.join("Dockerfile"), "FROM golang:1.25-alpine AS production_builder\nWORKDIR /app\nCOPY . .\nRUN go build -o /main ./cmd/api\n\nFROM golang:1.25 AS development\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\nCOPY . .\nCMD [\"air\", \"-c\", \"air.toml\"]\n\nFROM alpine:3.22.2 AS production\nWORKDIR /app\nCOPY --from=production_builder /main /app/main\nCMD [\"/app/main\"]\n").unwrap();
        let compose = |target: &str| {
            format!("services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile\n      target: {target}\n    env_file:\n      - .env\n")
        };
        let path = repo.join("docker-compose.yml");
        let run = |target: &str| {
            let found = lines(repo, &path, &compose(target), &read, None);
            found
                .iter()
                .map(|s| {
                    // The production stage's `/app/main` may be kept as a possible script
                    // (extensionless); what matters here is which stage runs air.
                    let l = s.line.as_ref().filter(|l| l.text.contains("air"));
                    (
                        l.map(|l| l.text.clone()),
                        l.and_then(|l| container_of(l).condition.clone()),
                    )
                })
                .collect::<Vec<_>>()
        };
        let air = Some("air -c air.toml".to_string());
        assert_eq!(
            run("\"${ENV}\""),
            vec![(air.clone(), Some("when `${ENV}` is `development`".into()))]
        );
        assert_eq!(run("\"${ENV:-development}\""), vec![(air.clone(), None)]);
        assert_eq!(run("${ENV:-production}"), vec![(None, None)]);
        // `.env` beside the compose file: its value, over the default; env_file is not it.
        std::fs::write(repo.join(".env"), "ENV=production\n").unwrap();
        assert_eq!(run("\"${ENV:-development}\""), vec![(None, None)]);
        std::fs::write(repo.join(".env"), "DB=x\nENV=development\n").unwrap();
        assert_eq!(run("\"${ENV}\""), vec![(air.clone(), None)]);
        // Set but empty: compose builds the last stage.
        std::fs::write(repo.join(".env"), "ENV=\n").unwrap();
        assert_eq!(run("\"${ENV}\""), vec![(None, None)]);
        // Two stages run air: each is a possible launch.
        std::fs::write(repo.join("Dockerfile.multi"), "FROM golang:1.25 AS dev\nCMD [\"air\"]\nFROM dev AS debug\nCMD [\"air\", \"-c\", \".air.debug.toml\"]\nFROM alpine AS prod\nCMD [\"/app\"]\n").unwrap();
        let text = "services:\n  app:\n    build:\n      dockerfile: Dockerfile.multi\n      target: ${STAGE}\n";
        let found: Vec<(String, Option<String>)> = lines(repo, &path, text, &read, None)
            .iter()
            .filter_map(|s| s.line.as_ref())
            .map(|l| (l.text.clone(), container_of(l).condition.clone()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("air".into(), Some("when `${STAGE}` is `dev`".into())),
                (
                    "air -c .air.debug.toml".into(),
                    Some("when `${STAGE}` is `debug`".into())
                ),
            ]
        );
    }

    /// What each kind of volume puts where air watches: a bind of the project (interpolated
    /// source), a named volume, a named volume that binds by its driver options, a source
    /// with no value here, a bind of a folder inside, compose watch sync and rebuild.
    #[test]
    fn volumes_and_watch_say_whether_saves_reach_the_container() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("internal")).unwrap();
        std::fs::write(
            repo.join("Dockerfile"),
            "FROM golang:1.25\nWORKDIR /app\nCOPY . .\nCMD [\"air\"]\n",
        )
        .unwrap();
        let path = repo.join("compose.yml");
        let delivery = |service: &str, top: &str| {
            let text = format!("services:\n  app:\n    build: .\n{service}{top}");
            let found = lines(repo, &path, &text, &read, None);
            container_of(found[0].line.as_ref().unwrap())
                .delivery(".")
                .unwrap()
        };
        let copied = |inside: &[&str], named: bool| Delivery::Copied {
            container: "/app".into(),
            host: repo.to_path_buf(),
            named,
            live_inside: inside.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(delivery("", ""), copied(&[], false));
        assert_eq!(delivery("    volumes: ['.:/app']\n", ""), Delivery::Live);
        assert_eq!(
            delivery("    volumes: ['${SRC:-.}:/app:cached']\n", ""),
            Delivery::Live
        );
        assert_eq!(delivery("    volumes:\n      - type: bind\n        source: ${SRC-./}\n        target: /app\n", ""), Delivery::Live);
        assert_eq!(
            delivery("    volumes: ['${SRC}:/app']\n", ""),
            Delivery::Unknown
        );
        assert_eq!(
            delivery("    volumes: ['${PWD}:/app']\n", ""),
            Delivery::Unknown
        );
        assert_eq!(
            delivery("    volumes: ['code:/app']\n", "volumes:\n  code:\n"),
            copied(&[], true)
        );
        assert_eq!(delivery("    volumes: ['code:/app']\n", "volumes:\n  code:\n    driver_opts:\n      type: none\n      o: bind\n      device: .\n"), Delivery::Unknown);
        assert_eq!(
            delivery(
                "    volumes: ['/app/tmp', 'gomod:/go/pkg/mod', './internal:/app/internal:ro']\n",
                ""
            ),
            copied(&["/app/internal"], false)
        );
        assert_eq!(delivery("    develop:\n      watch:\n        - action: sync\n          path: .\n          target: /app\n", ""), Delivery::Live);
        assert_eq!(
            delivery(
                "    develop:\n      watch:\n        - action: rebuild\n          path: .\n",
                ""
            ),
            Delivery::Unknown
        );
        // Another service's volumes, not followed: not known.
        assert_eq!(
            delivery(
                "    extends:\n      file: common.yml\n      service: base\n",
                ""
            ),
            Delivery::Unknown
        );
        assert_eq!(
            delivery("    volumes_from: ['code']\n", ""),
            Delivery::Unknown
        );
        // A bind of another folder of the host is not the project either.
        assert_eq!(
            delivery("    volumes: ['./internal:/srv']\n", ""),
            copied(&[], false)
        );
    }

    /// AlexanderWangY/gatormarket: no `command:`, the Dockerfile's CMD after WORKDIR /app,
    /// `./backend:/app`; and xblackbytesx/openscape: `..:/app` from `docker/`.
    #[test]
    fn services_with_their_folders_and_mounts() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("backend")).unwrap();
        std::fs::create_dir_all(repo.join("docker")).unwrap();
        std::fs::write(
            repo.join("backend/Dockerfile"),
            "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        )
        .unwrap();
        let text = "services:\n  api:\n    build: ./backend\n    volumes:\n      - ./backend:/app\n      - gomod:/go/pkg/mod\n  db:\n    image: postgres\nvolumes:\n  gomod:\n";
        let found = lines(repo, &repo.join("compose.yml"), text, &read, None);
        assert_eq!(found.len(), 2);
        assert!(found[1].line.is_none()); // db runs no air
        let Service {
            name,
            line: Some(l),
            dockerfile,
            ..
        } = &found[0]
        else {
            panic!("no line for api")
        };
        assert_eq!(name, "api");
        assert_eq!(
            dockerfile.as_deref(),
            Some(repo.join("backend/Dockerfile").as_path())
        );
        assert_eq!(l.text, "air -c .air.toml");
        assert_eq!(l.line, 2);
        assert_eq!(
            container(l).to_host(".air.toml"),
            Some(repo.join("backend/.air.toml"))
        );

        let text = "services:\n  app:\n    image: golang:1.23\n    working_dir: /app\n    volumes:\n      - type: bind\n        source: ${WORKSPACE:-..}\n        target: /app\n    command: sh -c \"go install github.com/air-verse/air@latest && air -c docker/.air.toml\"\n";
        let found = lines(
            repo,
            &repo.join("docker/docker-compose-dev.yml"),
            text,
            &read,
            None,
        );
        let l = found[0].line.as_ref().unwrap();
        assert_eq!(l.line, 9);
        assert_eq!(
            container(l).to_host("docker/.air.toml"),
            Some(repo.join("docker/.air.toml"))
        );
    }

    /// Zapharaos/fihub-backend: `docker-compose.dev.yml` only sets `build.target`; context,
    /// dockerfile and volumes come from docker-compose.yml (`-f` both).
    #[test]
    fn a_second_file_takes_what_it_leaves_out_from_the_base() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("cmd/api")).unwrap();
        std::fs::write(repo.join("cmd/api/Dockerfile"), "FROM golang AS build\nWORKDIR /app\nFROM build AS development\nCOPY . .\nCMD [\"air\", \"-c\", \"cmd/api/.air.toml\"]\nFROM build AS production\nCMD [\"/api\"]\n").unwrap();
        std::fs::write(repo.join("docker-compose.yml"), "services:\n  api:\n    build:\n      context: .\n      dockerfile: cmd/api/Dockerfile\n      target: production\n    volumes:\n      - ./:/app\n").unwrap();
        let text = "services:\n\n  api:\n    build:\n      target: development\n";
        let found = lines(
            repo,
            &repo.join("docker-compose.dev.yml"),
            text,
            &read,
            None,
        );
        let l = found[0].line.as_ref().unwrap();
        assert_eq!((l.line, l.text.as_str()), (3, "air -c cmd/api/.air.toml"));
        assert_eq!(
            container(l).to_host("cmd/api/.air.toml"),
            Some(repo.join("cmd/api/.air.toml"))
        );
    }

    /// Compose merges an override's `volumes:` into the base's by container path: the
    /// override's entry at a path replaces the base's there, the others stay.
    #[test]
    fn an_override_volume_replaces_the_base_one_at_its_path() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("api")).unwrap();
        std::fs::write(
            repo.join("Dockerfile"),
            "FROM golang:1.25\nWORKDIR /app\nCOPY . .\nCMD [\"air\"]\n",
        )
        .unwrap();
        let delivery = |base: &str, over: &str, at: &str| {
            let text = format!("services:\n  app:\n    build: .\n    volumes: [{base}]\n");
            std::fs::write(repo.join("compose.yml"), &text).unwrap();
            std::fs::write(
                repo.join("compose.override.yml"),
                format!("services:\n  app:\n    volumes: [{over}]\n"),
            )
            .unwrap();
            let found = lines(repo, &repo.join("compose.yml"), &text, &read, None);
            container_of(found[0].line.as_ref().unwrap()).delivery(at)
        };
        // A named volume over the image's copy: the image's files, kept in the volume.
        assert_eq!(
            delivery("'.:/app'", "'data:/app'", "."),
            Some(Delivery::Copied {
                container: "/app".into(),
                host: repo.to_path_buf(),
                named: true,
                live_inside: vec![],
            })
        );
        assert_eq!(
            delivery("'${NOPE}:/app'", "'.:/app'", "."),
            Some(Delivery::Live)
        );
        // Another path of the base stays mounted.
        assert_eq!(
            delivery("'./api:/api'", "'data:/app'", "/api"),
            Some(Delivery::Live)
        );
    }

    /// ADelRosarioH/caerus: the override adds the command, the base has build and volumes.
    #[test]
    fn override_files_merge_into_the_base() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::write(repo.join("compose.yml"), "services:\n  api:\n    image: golang:1.22\n    working_dir: /src\n    volumes: ['./api:/src']\n").unwrap();
        std::fs::write(
            repo.join("compose.override.yml"),
            "services:\n  api:\n    command: air\n",
        )
        .unwrap();
        assert!(lines(
            repo,
            &repo.join("compose.override.yml"),
            "services:\n  api:\n    command: air\n",
            &read,
            None
        )
        .is_empty());
        let text = std::fs::read_to_string(repo.join("compose.yml")).unwrap();
        let found = lines(repo, &repo.join("compose.yml"), &text, &read, None);
        let l = found[0].line.as_ref().unwrap();
        assert_eq!(l.text, "air");
        assert_eq!(container(l).to_host("."), Some(repo.join("api")));
        // cosmtrek/air's entrypoint is air: the command holds its flags.
        let found = lines(repo, &repo.join("x-compose.yml"), "services:\n  w:\n    image: cosmtrek/air\n    command: -c ./scripts/.air.toml\n    volumes: ['.:/app']\n    working_dir: /app\n", &read, None);
        assert_eq!(
            found[0].line.as_ref().unwrap().text,
            "air -c ./scripts/.air.toml"
        );
    }
}
