//! Dockerfiles: the stage that runs (the last, or a compose `target:`), its `WORKDIR`, the
//! `COPY`/`ADD` of the build context (container paths that hold the repository's files) and
//! what it starts (`ENTRYPOINT` and `CMD`, exec or shell form, inherited from an earlier stage;
//! an image built `FROM cosmtrek/air` or `air-verse/air` starts air, and a script it runs is
//! read in the container), and what its `FROM` chain, `RUN`s and `COPY`s put on PATH
//! ([`super::programs`]). A Dockerfile no compose file builds is read with its own folder as
//! the build context, or the nearest folder above from which the config its air is told to
//! read (or the script it runs) exists.

use super::programs::{Copied, Programs};
use super::{air_call, join_posix, runs_a_script, script_run, Container, Line, Mount, Place};
use crate::reloaders::air::versions::{image_air, Toolchain};
use crate::shell;
use std::path::{Path, PathBuf};

/// What a container runs: an argument vector (exec form) or a shell line.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Exec {
    Argv(Vec<String>),
    Shell(String),
}

impl Exec {
    /// As one shell line.
    pub fn text(&self) -> String {
        match self {
            Exec::Shell(s) => s.clone(),
            Exec::Argv(words) => words
                .iter()
                .map(|w| {
                    if !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c))
                    {
                        w.clone()
                    } else {
                        format!("'{}'", w.replace('\'', "'\\''"))
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// With the container's environment `env` put in where a shell expands it: a shell form
    /// (docker runs it with `/bin/sh -c`) and the script of an exec form's `sh -c SCRIPT`; an
    /// exec form's own words reach the program as written (hold-out 18's
    /// mafuuu-dev/go.skeleton: `CMD sh -c "air -c .air.${SERVICE}.toml"`, SERVICE set by each
    /// compose service's `environment:`).
    pub fn with_env(self, env: &[(String, String)]) -> Exec {
        // The container's environment is known whole, so `${NAME:-default}` of an unset
        // NAME is its default (`sh -c "air -c ${AIR_CONFIG:-.air.toml}"`, Flyrell/hourgit);
        // a script with other expansions (`$(go env GOPATH)`) gets the values alone.
        let expand =
            |s: &str| shell::expand_known(s, env).unwrap_or_else(|| shell::substitute(s, env));
        match self {
            Exec::Shell(s) => Exec::Shell(expand(&s)),
            Exec::Argv(words) => match shell::shell_c_script(&words) {
                Some(script) => Exec::Argv(
                    words
                        .iter()
                        .map(|w| match *w == script {
                            true => expand(w),
                            false => w.clone(),
                        })
                        .collect(),
                ),
                None => Exec::Argv(words),
            },
        }
    }

    /// ENTRYPOINT and CMD together, the way docker runs them.
    pub fn combine(entrypoint: Option<&Exec>, cmd: Option<&Exec>) -> Option<Exec> {
        match (entrypoint, cmd) {
            (Some(Exec::Shell(s)), _) => Some(Exec::Shell(s.clone())),
            (Some(Exec::Argv(a)), Some(Exec::Argv(b))) => {
                Some(Exec::Argv([a.clone(), b.clone()].concat()))
            }
            (Some(Exec::Argv(a)), Some(Exec::Shell(s))) => Some(Exec::Argv(
                [a.clone(), vec!["/bin/sh".into(), "-c".into(), s.clone()]].concat(),
            )),
            (Some(e), None) => Some(e.clone()),
            (None, c) => c.cloned(),
        }
    }
}

/// `$NAME` and `${NAME}` in `text` replaced by the values `env` gives them (others kept).
fn expand(text: &str, env: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (k, v) in env {
        out = out.replace(&format!("${{{k}}}"), v);
        let bare = format!("${k}");
        let mut from = 0;
        while let Some(at) = out[from..].find(&bare).map(|i| i + from) {
            let end = at + bare.len();
            let more = out[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            if more {
                from = end;
            } else {
                out.replace_range(at..end, v);
                from = at + v.len();
            }
        }
    }
    out
}

/// The stage that runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Image {
    pub workdir: String,
    /// (sources relative to the build context, destination made absolute against the
    /// WORKDIR in force at that instruction, keeping a trailing `/`).
    pub copies: Vec<(Vec<String>, String)>,
    /// Files a `RUN` writes from another file of the image (`cp`, `sed SRC > DEST`,
    /// [`crate::shell::Simple::file_copies`]): (how many `copies` were read before it,
    /// source and destination made absolute against its WORKDIR and `cd`s, keeping a
    /// trailing `/`). The destination holds the source's host file as the build saw it.
    pub run_copies: Vec<(usize, String, String)>,
    pub entrypoint: Option<(usize, Exec)>,
    pub cmd: Option<(usize, Exec)>,
    /// `ENV NAME=value` set so far (a later stage `FROM` this one inherits them), for a
    /// `WORKDIR ${ROOT}`.
    pub env: Vec<(String, String)>,
    /// What it has on PATH.
    pub programs: Programs,
    /// The Go of its base image and the air its `RUN` lines install (or a `COPY --from`
    /// brings).
    pub toolchain: Toolchain,
    /// Scripts a `RUN` runs (`RUN ./setup.sh`, `RUN sh scripts/install.sh`): (the RUN's line,
    /// how many `copies` were read before it, the script's path in the image).
    pub run_scripts: Vec<(usize, usize, String)>,
}

impl Image {
    /// What the scripts its `RUN`s run install ([`Image::run_scripts`]), each read from the
    /// build context at `context` where a `COPY` before that `RUN` put it: a `go install` of
    /// air there is the image's, and one that fails stops the image build at that `RUN`.
    pub(super) fn follow_scripts(&mut self, context: &Path) {
        for (line, copied, path) in self.run_scripts.clone() {
            let earlier = Image {
                copies: self.copies[..copied.min(self.copies.len())].to_vec(),
                run_copies: self
                    .run_copies
                    .iter()
                    .filter(|r| r.0 <= copied)
                    .cloned()
                    .collect(),
                ..Image::default()
            };
            let host = earlier
                .copy_mounts(context)
                .into_iter()
                .rev()
                .find_map(|m| {
                    // A file copied into a folder (`COPY setup.sh .`) is at the folder's path.
                    if m.host.is_file() {
                        let name = m.host.file_name()?.to_string_lossy().to_string();
                        let inside = join_posix(&m.container, &name);
                        return (path == m.container || path == inside).then(|| m.host.clone());
                    }
                    let rest = match path.strip_prefix(&m.container) {
                        Some("") => "",
                        Some(r) => r.strip_prefix('/')?,
                        None => return None,
                    };
                    Some(m.host.join(rest))
                });
            let Some(host) = host.filter(|h| h.starts_with(context) && h.is_file()) else {
                continue;
            };
            let Ok(text) = crate::system::files::read_to_string(&host) else {
                continue;
            };
            let before = self.toolchain.stuck.is_some();
            self.toolchain.run(&text);
            self.programs.run(&text);
            if let Some(stuck) = self.toolchain.stuck.as_mut().filter(|_| !before) {
                stuck.line = Some(line);
                // The install's own line in the script, where it is fixed.
                let last = stuck.command.split_whitespace().last().unwrap_or("");
                let at = text
                    .lines()
                    .position(|l| !last.is_empty() && l.contains(last));
                stuck.script = Some((host.clone(), at.map_or(1, |i| i + 1)));
            }
        }
    }

    /// The line and command the container starts with.
    pub fn run(&self) -> Option<(usize, Exec)> {
        let line = self.cmd.as_ref().or(self.entrypoint.as_ref())?.0;
        let exec = Exec::combine(
            self.entrypoint.as_ref().map(|e| &e.1),
            self.cmd.as_ref().map(|c| &c.1),
        )?;
        Some((line, exec))
    }

    /// What the running stage has on PATH, named by its Dockerfile (relative to `repo`).
    pub fn programs_as(&self, dockerfile: &Path, repo: &Path) -> Programs {
        Programs {
            dockerfile: dockerfile
                .strip_prefix(repo)
                .unwrap_or(dockerfile)
                .display()
                .to_string(),
            ..self.programs.clone()
        }
    }

    /// The COPY/ADD destinations with the host files of `context` behind them.
    pub fn copy_mounts(&self, context: &Path) -> Vec<Mount> {
        let mut out = vec![];
        let mut runs = self.run_copies.iter().peekable();
        for (i, (sources, dest)) in self.copies.iter().enumerate() {
            while let Some((_, src, dest)) = runs.next_if(|r| r.0 <= i) {
                out.extend(run_copy(&out, src, dest));
            }
            let dest_abs = join_posix("/", dest);
            for src in sources {
                if src.contains(['*', '?', '$']) || src.contains("://") {
                    continue;
                }
                let host = in_context(context, src);
                let container = if host.is_dir() || (sources.len() == 1 && !dest.ends_with('/')) {
                    dest_abs.clone()
                } else {
                    join_posix(&dest_abs, src.rsplit('/').next().unwrap_or(src))
                };
                out.push(Mount {
                    container,
                    host,
                    live: false,
                });
            }
        }
        for (_, src, dest) in runs {
            out.extend(run_copy(&out, src, dest));
        }
        out
    }
}

/// The host path of the COPY/ADD source `src` of the build context `context`: sources are
/// resolved inside the context, never outside it. BuildKit (docker's builder since Engine
/// 23) reads a relative source as `join("/", src)` in the context, so a leading `..` stops
/// at the context root (`COPY ../../src/.air.toml .` copies the context's src/.air.toml;
/// moby/buildkit#2131); the legacy builder refuses it ("forbidden path outside the build
/// context"), and neither reads the host folder above the context.
pub(super) fn in_context(context: &Path, src: &str) -> PathBuf {
    let inside = join_posix("/", src);
    PathBuf::from(crate::filepath::clean_str(
        &context
            .join(inside.trim_start_matches('/'))
            .to_string_lossy(),
    ))
}

/// The mount a `RUN` copy of the container file `src` to `dest` makes, when a mount read
/// before it (`mounts`) holds `src` (like a COPY: into a folder `dest/`, under its name).
fn run_copy(mounts: &[Mount], src: &str, dest: &str) -> Option<Mount> {
    let before = Container {
        cwd: "/".into(),
        mounts: mounts.to_vec(),
        ..Container::default()
    };
    let host = before.to_host(src)?;
    let container = match dest.strip_suffix('/') {
        Some(dir) if !host.is_dir() => join_posix(dir, src.rsplit('/').next().unwrap_or(src)),
        _ => join_posix("/", dest),
    };
    Some(Mount {
        container,
        host,
        live: false,
    })
}

/// Logical lines (continuations joined), each with its first line's number.
fn instructions(text: &str) -> Vec<(usize, String, String)> {
    let mut out: Vec<(usize, String, String)> = vec![];
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim();
        if pending.is_none() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        if pending.is_some() && t.starts_with('#') {
            continue;
        }
        let (body, more) = match t.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (t, false),
        };
        let (n, mut line) = pending.take().unwrap_or((i + 1, String::new()));
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(body.trim());
        if more {
            pending = Some((n, line));
            continue;
        }
        let (op, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        out.push((n, op.to_ascii_uppercase(), rest.trim().to_string()));
    }
    if let Some((n, line)) = pending {
        let (op, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        out.push((n, op.to_ascii_uppercase(), rest.trim().to_string()));
    }
    out
}

fn exec(rest: &str) -> Exec {
    match serde_json::from_str::<Vec<String>>(rest) {
        Ok(words) => Exec::Argv(words),
        Err(_) => Exec::Shell(rest.to_string()),
    }
}

/// The stage named `target` (or the last stage).
pub(super) fn image(text: &str, target: Option<&str>) -> Image {
    image_with(text, target, &[])
}

/// [`image`] built with `args` (a compose service's `build: args:`), which win over the
/// defaults of the `ARG`s declared before the first `FROM`.
pub(super) fn image_with(text: &str, target: Option<&str>, args: &[(String, String)]) -> Image {
    let stages = stages_with(text, args);
    target
        .and_then(|t| stages.iter().find(|(n, _)| n.as_deref() == Some(t)))
        .or(stages.last())
        .map(|(_, i)| i.clone())
        .unwrap_or_default()
}

/// The values an `ARG a=1 b` line gives: a build arg given for the name, else its default,
/// else the one `inherited` has (a global ARG declared again in a stage); names with none of
/// these are left out.
fn arg_values(
    rest: &str,
    args: &[(String, String)],
    inherited: Option<&[(String, String)]>,
) -> Vec<(String, String)> {
    let lookup = |list: &[(String, String)], name: &str| {
        list.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    rest.split_whitespace()
        .filter_map(|word| {
            let (name, default) = match word.split_once('=') {
                Some((k, v)) => (k, Some(v.trim_matches(['"', '\'']).to_string())),
                None => (word, None),
            };
            let value = lookup(args, name)
                .or(default)
                .or_else(|| inherited.and_then(|i| lookup(i, name)))?;
            Some((name.to_string(), value))
        })
        .collect()
}

/// Every stage, in order, with its `AS` name, built with `args`. The `ARG`s before the first `FROM` are what a `FROM` may
/// name (`ARG GO_VERSION=1.22` then `FROM golang:${GO_VERSION}-alpine`): a build arg given
/// for it, else its default, is put in before the base image (and its Go) is read.
pub(super) fn stages_with(text: &str, args: &[(String, String)]) -> Vec<(Option<String>, Image)> {
    let mut stages: Vec<(Option<String>, Image)> = vec![];
    let mut global: Vec<(String, String)> = vec![];
    // The `ARG`s of the current stage (`ARG AIR_VERSION=v1.66.1` after FROM): RUN sees them
    // as variables; the container does not.
    let mut stage_args: Vec<(String, String)> = vec![];
    for (n, op, rest) in instructions(text) {
        if op == "ARG" {
            // Before the first FROM: what a FROM may name. In a stage: what its RUNs see,
            // a global ARG declared again without a value keeping the global's.
            let (into, inherited) = match stages.is_empty() {
                true => (&mut global, None),
                false => (&mut stage_args, Some(global.as_slice())),
            };
            for (name, value) in arg_values(&rest, args, inherited) {
                into.retain(|(k, _)| *k != name);
                into.push((name, value));
            }
            continue;
        }
        if op == "FROM" {
            stage_args.clear();
            let rest = expand(&rest, &global);
            let words: Vec<&str> = rest
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            let base = words.first().copied().unwrap_or("");
            let name = match words.as_slice() {
                [_, as_, name, ..] if as_.eq_ignore_ascii_case("as") => Some(name.to_string()),
                _ => None,
            };
            let mut image = stages
                .iter()
                .rfind(|(n, _)| n.as_deref() == Some(base))
                .map(|(_, i)| i.clone())
                .unwrap_or_else(|| Image {
                    workdir: "/".into(),
                    programs: Programs::image(base),
                    toolchain: Toolchain::from_image(base),
                    ..Image::default()
                });
            image.programs.stage.clone_from(&name);
            let repo = base.split([':', '@']).next().unwrap_or(base);
            if matches!(
                repo,
                "cosmtrek/air" | "air-verse/air" | "docker.io/cosmtrek/air"
            ) {
                image.entrypoint = Some((n, Exec::Argv(vec!["air".into()])));
            }
            stages.push((name, image));
            continue;
        }
        // `COPY --from=builder /app /app`: what an earlier stage of this file copied from
        // the build context lands here too (a dev image's runner stage).
        let from_stage: Option<Image> = rest
            .split_whitespace()
            .find_map(|w| w.strip_prefix("--from="))
            .and_then(|from| {
                let earlier = &stages[..stages.len().saturating_sub(1)];
                earlier
                    .iter()
                    .find(|(n, _)| n.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(from)))
                    .or_else(|| from.parse::<usize>().ok().and_then(|i| earlier.get(i)))
                    .map(|(_, i)| i.clone())
            });
        let Some((_, image)) = stages.last_mut() else {
            continue;
        };
        // `COPY --from=builder /go/bin/air /usr/bin/air`: that stage's (or image's) air.
        if op == "COPY" && rest.split_whitespace().any(|w| w.ends_with("/air")) {
            if let Some(from) = rest
                .split_whitespace()
                .find_map(|w| w.strip_prefix("--from="))
            {
                let air = match &from_stage {
                    Some(stage) => stage.toolchain.air.clone(),
                    None => image_air(from),
                };
                // The stage's failed install stops this image's build too.
                if let Some(stuck) = from_stage.as_ref().and_then(|s| s.toolchain.stuck.clone()) {
                    image.toolchain.stuck = Some(stuck);
                    image.toolchain.after = from_stage
                        .as_ref()
                        .map(|s| s.toolchain.after.clone())
                        .unwrap_or_default();
                }
                if air.is_some() {
                    image.toolchain.air = air;
                }
            }
        }
        match op.as_str() {
            "RUN" => {
                let line = expand(&expand(&rest, &image.env), &stage_args);
                image.toolchain.run(&line);
                if let Some(stuck) = &mut image.toolchain.stuck {
                    stuck.line.get_or_insert(n);
                }
                for stuck in &mut image.toolchain.after {
                    stuck.line.get_or_insert(n);
                }
                image.programs.run(&line);
                let workdir = image.workdir.clone();
                for (s, scope) in shell::run_commands(&line).commands.iter().flatten() {
                    let dir = join_posix(&workdir, &scope.dir.to_string_lossy());
                    if let Some(script) = super::script_run(&s.words).filter(|_| scope.dir_known) {
                        let at = join_posix(&dir, &script);
                        image.run_scripts.push((n, image.copies.len(), at));
                    }
                    for (src, dest) in s.file_copies() {
                        if !scope.dir_known || src.contains('$') || dest.contains('$') {
                            continue;
                        }
                        let folder = dest.ends_with('/') || dest == "." || dest == "..";
                        let slash = if folder { "/" } else { "" };
                        let dest = format!("{}{slash}", join_posix(&dir, &dest));
                        let at = image.copies.len();
                        image.run_copies.push((at, join_posix(&dir, &src), dest));
                    }
                }
            }
            "WORKDIR" => {
                let dir = expand(rest.trim_matches('"'), &image.env);
                image.workdir = join_posix(&image.workdir, &dir);
            }
            "ENV" => {
                // `ENV A=1 B=2`, or the old `ENV NAME value`.
                let pairs: Vec<(String, String)> = match rest.split_once(char::is_whitespace) {
                    Some((name, value)) if !name.contains('=') => {
                        vec![(name.to_string(), value.trim().to_string())]
                    }
                    _ => rest
                        .split_whitespace()
                        .filter_map(|w| w.split_once('='))
                        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
                        .collect(),
                };
                for (k, v) in pairs {
                    let v = expand(&v, &image.env);
                    image.toolchain.env(&k, &v);
                    image.env.retain(|(n, _)| *n != k);
                    image.env.push((k, v));
                }
            }
            "COPY" | "ADD" => {
                let words: Vec<String> = match serde_json::from_str::<Vec<String>>(&rest) {
                    Ok(w) => w,
                    Err(_) => rest.split_whitespace().map(str::to_string).collect(),
                };
                let from = words.iter().any(|w| w.starts_with("--from"));
                let words: Vec<String> =
                    words.into_iter().filter(|w| !w.starts_with("--")).collect();
                if let Some((dest, sources)) = words.split_last() {
                    let copied = match (&from_stage, from) {
                        (Some(stage), _) => Copied::Stage(&stage.programs),
                        (None, true) => Copied::Image,
                        (None, false) => Copied::Context,
                    };
                    image.programs.copy(sources, dest, copied);
                }
                if from {
                    if let (Some(earlier), Some((dest, sources))) =
                        (&from_stage, words.split_last())
                    {
                        let dest = join_posix(&image.workdir, dest);
                        for src in sources {
                            let src = join_posix(&earlier.workdir, src);
                            image
                                .copies
                                .extend(earlier.copies.iter().filter_map(|(from, to)| {
                                    let rest = to.strip_prefix(src.as_str())?;
                                    (rest.is_empty() || rest.starts_with('/'))
                                        .then(|| (from.clone(), format!("{dest}{rest}")))
                                }));
                        }
                    }
                    continue;
                }
                if let Some((dest, sources)) = words.split_last() {
                    if !sources.is_empty() {
                        // A later WORKDIR does not move what was copied before it.
                        // `.` is the WORKDIR, a folder: `COPY air.toml .` puts the file in it.
                        let folder = dest.ends_with('/') || dest == "." || dest == "..";
                        let slash = if folder { "/" } else { "" };
                        let dest = format!("{}{slash}", join_posix(&image.workdir, dest));
                        image.copies.push((sources.to_vec(), dest));
                    }
                }
            }
            "CMD" => image.cmd = Some((n, exec(&rest))),
            "ENTRYPOINT" => {
                image.entrypoint = Some((n, exec(&rest)));
                image.cmd = None; // docker drops an inherited CMD with a new ENTRYPOINT
            }
            _ => {}
        }
    }
    stages
}

/// A Dockerfile no compose file builds (see the module doc).
pub(super) fn lines(repo: &Path, path: &Path, text: &str) -> Vec<Line> {
    // The last stage, else the last one that starts air: a development stage that only a
    // `--target` builds (Tilt's `docker_build(target="development")`, `docker build
    // --target dev`) before a production stage (nicholascapo/talk-dev-environments-with-tilt).
    let run_text = |i: &Image| i.run().map(|(line, run)| (line, run.text()));
    let calls_air = |text: &str| {
        let mut found = false;
        shell::parse(text).walk(true, &mut |s, _| found |= air_call(&s.words).is_some());
        found
    };
    let stages = stages_with(text, &[]);
    let last = stages.len().saturating_sub(1);
    let pick = stages
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(n, (name, i))| Some((n, name, i, run_text(i)?)))
        .find(|(n, name, _, (_, text))| match *n == last {
            true => text.contains("air"),
            false => name.is_some() && calls_air(text),
        })
        .or_else(|| {
            let (name, i) = stages.last()?;
            let run = run_text(i).filter(|(_, text)| runs_a_script(text))?;
            Some((last, name, i, run))
        });
    let Some((at, stage, image, (line, text))) = pick else {
        return vec![];
    };
    let image = image.clone();
    let target = stage.clone().filter(|_| at != last);
    let own = path.parent().unwrap_or(repo).to_path_buf();
    let programs = image.programs_as(path, repo);
    let container = |context: &Path| Container {
        cwd: image.workdir.clone(),
        mounts: image.copy_mounts(context),
        programs: Some(programs.clone()),
        toolchain: image.toolchain.clone(),
        ..Container::default()
    };
    // The file the container needs from the build context: the config the first air call
    // is told to read, else the script it runs (`CMD ["sh", "/entrypoint.sh"]`, COPYed in).
    let mut wanted: Option<(PathBuf, String)> = None;
    crate::shell::parse(&text).walk(true, &mut |s, scope| {
        if wanted.is_none() {
            let file = match air_call(&s.words) {
                Some(a) => Some(a.config.unwrap_or_else(|| ".air.toml".into())),
                None => script_run(&s.words),
            };
            wanted = file.map(|f| (scope.dir.clone(), f));
        }
    });
    let reads = |context: &Path| {
        let Some((dir, file)) = &wanted else {
            return false;
        };
        let c = container(context);
        let at = join_posix(&c.cwd, &dir.to_string_lossy());
        let c = Container { cwd: at, ..c };
        c.to_host(file).is_some_and(|h| h.is_file())
    };
    // Else the folder its COPY sources are found from: `COPY server/ /app/` in
    // server/Dockerfile is built from the repository root (the nearest folder where the
    // most of them exist, when that is more than in its own folder).
    let sources: Vec<&String> = image
        .copies
        .iter()
        .flat_map(|(s, _)| s)
        .filter(|s| !s.contains(['*', '?', '$']) && !s.contains("://"))
        .collect();
    let found = |d: &Path| sources.iter().filter(|s| in_context(d, s).exists()).count();
    let ancestors = || own.ancestors().take_while(|d| d.starts_with(repo));
    let by_sources = || {
        let at_own = found(&own);
        ancestors()
            .map(|d| (found(d), d))
            .filter(|(n, _)| *n > at_own)
            .fold(None, |best: Option<(usize, &Path)>, (n, d)| match best {
                Some((b, _)) if b >= n => best,
                _ => Some((n, d)),
            })
            .map(|(_, d)| d)
    };
    // A context that lacks a COPY source stops the build there: only a folder holding as
    // many of them as the Go module the Dockerfile is in can be the one (VanTrangDinh/
    // minis_api_micro_go's services/notification/Dockerfile.dev copies go.mod, which only
    // the root has, so its own folder, where .air.toml is, is no context of it). The module's
    // own folder is the measure, not the fullest one above (edsonmichaque/craft's _example
    // module has no go.sum, the outer one has).
    let enough = ancestors()
        .find(|d| d.join("go.mod").is_file())
        .map_or_else(|| ancestors().map(found).max().unwrap_or(0), found);
    let context = ancestors()
        .find(|d| found(d) >= enough && reads(d))
        .or_else(by_sources)
        .unwrap_or(&own)
        .to_path_buf();
    vec![Line {
        line,
        target,
        text,
        place: Place::Container(container(&context)),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// thinhnguyenwilliam/book-store: `ARG AIR_VERSION=v1.66.1` after FROM golang:1.25, then
    /// `go install github.com/air-verse/air@${AIR_VERSION}`: v1.66.1 (go line 1.25, read from
    /// the module proxy) installs there; a compose build arg wins over the default.
    #[test]
    fn a_stage_arg_names_the_air_its_run_installs() {
        let text = "FROM golang:1.25-alpine\nARG AIR_VERSION=v1.66.1\nRUN go install github.com/air-verse/air@${AIR_VERSION}\nCMD [\"air\"]\n";
        let i = image(text, None);
        assert!(i.toolchain.stuck.is_none(), "{:?}", i.toolchain);
        let i = image_with(text, None, &[("AIR_VERSION".into(), "latest".into())]);
        assert!(i.toolchain.stuck.is_some(), "{:?}", i.toolchain);
    }

    #[test]
    fn the_stage_that_runs() {
        let text = "FROM golang:1.22 AS base\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\n\nFROM base AS dev\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n\nFROM base AS prod\nWORKDIR cmd\nENTRYPOINT /app/server \\\n  --port 80\n";
        let dev = image(text, Some("dev"));
        assert_eq!(dev.workdir, "/app");
        assert_eq!(
            dev.run().unwrap(),
            (
                8,
                Exec::Argv(vec!["air".into(), "-c".into(), ".air.toml".into()])
            )
        );
        assert_eq!(dev.copies.len(), 2);
        let prod = image(text, None);
        assert_eq!(prod.workdir, "/app/cmd");
        assert_eq!(
            prod.run().unwrap(),
            (12, Exec::Shell("/app/server --port 80".into()))
        );
        let air = image(
            "FROM cosmtrek/air:v1.40\nWORKDIR /src\nCMD [\"-c\", \"x.toml\"]\n",
            None,
        );
        assert_eq!(air.run().unwrap().1.text(), "air -c x.toml");
    }

    /// madeiramadeirabr/template-service-go: a `RUN` renders the context's docker/air.toml
    /// (relative to the WORKDIR the base stage copied the context to) into /root/.air.toml;
    /// a `cp` after a `cd` copies into a folder. A COPY read after the RUN does not feed it.
    #[test]
    fn a_run_copy_is_backed_by_the_context_file() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("docker")).unwrap();
        std::fs::write(repo.join("docker/air.toml"), "").unwrap();
        std::fs::write(repo.join("late.toml"), "").unwrap();
        let text = "FROM golang:1.17-alpine AS base\nWORKDIR /app\nADD . /app\n\nFROM base AS development\nRUN apk add curl \\\n    && sed \"s/{S}/${S}/g\" ./docker/air.toml > /root/.air.toml \\\n    && cd docker && cp air.toml /etc/ && cp /late.toml /late2.toml\nCOPY late.toml /late.toml\nENTRYPOINT [\"air\", \"-c\", \"/root/.air.toml\"]\n";
        let dev = image(text, Some("development"));
        let c = Container {
            cwd: dev.workdir.clone(),
            mounts: dev.copy_mounts(repo),
            ..Container::default()
        };
        assert_eq!(
            c.to_host("/root/.air.toml"),
            Some(repo.join("docker/air.toml"))
        );
        assert_eq!(
            c.to_host("/etc/air.toml"),
            Some(repo.join("docker/air.toml"))
        );
        assert_eq!(c.to_host("/late2.toml"), None);
        assert_eq!(image(text, Some("base")).run_copies, vec![]);
    }

    /// A `RUN` is read once, as `run_commands` reads it, for its copies too: after its
    /// `--mount` flags, and in exec form.
    #[test]
    fn a_run_copy_after_mount_flags_or_in_exec_form() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::write(repo.join("air.docker.toml"), "").unwrap();
        let text = "FROM golang:1.23\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod cp air.docker.toml /root/.air.toml\nRUN [\"cp\", \"air.docker.toml\", \"/etc/air.toml\"]\nCMD [\"air\"]\n";
        let dev = image(text, None);
        let c = Container {
            cwd: dev.workdir.clone(),
            mounts: dev.copy_mounts(repo),
            ..Container::default()
        };
        for copied in ["/root/.air.toml", "/etc/air.toml"] {
            assert_eq!(
                c.to_host(copied),
                Some(repo.join("air.docker.toml")),
                "{copied}"
            );
        }
    }

    /// Zapharaos/fihub-backend: `cmd/api/Dockerfile` runs `air -c cmd/api/.air.toml` after
    /// `COPY . .`, so its build context is the repository root.
    #[test]
    fn a_dockerfile_alone_finds_its_build_context() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("cmd/api")).unwrap();
        std::fs::write(repo.join("cmd/api/.air.toml"), "").unwrap();
        let text = "FROM golang:1.23\nWORKDIR /app\nCOPY . .\nCMD [\"air\", \"-c\", \"cmd/api/.air.toml\"]\n";
        let l = &lines(repo, &repo.join("cmd/api/Dockerfile"), text)[0];
        assert_eq!(l.line, 4);
        let Place::Container(c) = &l.place else {
            panic!()
        };
        assert_eq!(
            c.to_host("cmd/api/.air.toml"),
            Some(repo.join("cmd/api/.air.toml"))
        );
    }

    /// Zagforge-Org/zagforge-cloud: `COPY . .` under `WORKDIR /app`, then `WORKDIR
    /// /app/services/api` before `CMD ["air"]`: the copy stays at /app (a later WORKDIR does
    /// not move it), so `root = "/app"` is the repository.
    #[test]
    fn a_later_workdir_does_not_move_an_earlier_copy() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("services/api")).unwrap();
        std::fs::write(repo.join("services/api/.air.toml"), "").unwrap();
        let text = "FROM golang:1.26\nWORKDIR /app\nCOPY go.work ./\nCOPY . .\nWORKDIR /app/services/api\nCMD [\"air\"]\n";
        let l = &lines(repo, &repo.join("services/api/Dockerfile.dev"), text)[0];
        let Place::Container(c) = &l.place else {
            panic!()
        };
        assert_eq!(c.cwd, "/app/services/api");
        assert_eq!(c.to_host("/app"), Some(repo.to_path_buf()));
        assert_eq!(c.to_host("/app/go.work"), Some(repo.join("go.work")));
        assert_eq!(
            c.to_host(".air.toml"),
            Some(repo.join("services/api/.air.toml"))
        );
    }

    /// C-dexTeam/Codex-Compiler's dev.Dockerfile: a builder stage copies the repository to
    /// /app, the runner stage takes it with `COPY --from=builder /app /app` and runs
    /// `air -c air.toml` there.
    #[test]
    fn a_copy_from_an_earlier_stage_brings_its_context_files() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::write(repo.join("air.toml"), "").unwrap();
        let text = "FROM golang:1.24 AS builder\nWORKDIR /app\nCOPY go.mod go.sum ./\nCOPY . .\nCOPY air.toml .\n\nFROM golang:1.24\nWORKDIR /srv\nCOPY --from=builder /go/bin/air /usr/local/bin/air\nCOPY --from=builder /app /srv/app\nWORKDIR /srv/app\nENTRYPOINT [\"air\", \"-c\", \"air.toml\"]\n";
        let l = &lines(repo, &repo.join("dev.Dockerfile"), text)[0];
        let Place::Container(c) = &l.place else {
            panic!()
        };
        assert_eq!(c.to_host("air.toml"), Some(repo.join("air.toml")));
        assert_eq!(c.to_host("/srv/app"), Some(repo.to_path_buf()));
        assert_eq!(c.to_host("/app"), None, "the runner stage has no /app");
    }

    /// nicholascapo/talk-dev-environments-with-tilt: a `development` stage runs
    /// `air -c /go/src/example/air.toml`, a later `production` stage runs the built binary;
    /// Tilt builds `target="development"`. That stage is the launch, named; a last stage that
    /// starts air is still the one taken.
    #[test]
    fn a_development_stage_before_production_is_the_launch() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::write(repo.join("air.toml"), "").unwrap();
        let dev = "FROM golang:1.23-alpine as development\nWORKDIR /go/src/example\nCMD [\"air\", \"-c\", \"/go/src/example/air.toml\"]\nCOPY . .\n";
        let prod = "FROM golang:1.23-alpine AS builder\nCOPY . .\nRUN go build -o /go/bin/example .\n\nFROM gcr.io/distroless/static-debian11:nonroot as production\nENTRYPOINT [\"/go/bin/example\"]\n";
        let l = &lines(repo, &repo.join("Dockerfile"), &format!("{dev}\n{prod}"))[0];
        assert_eq!((l.line, l.target.as_deref()), (3, Some("development")));
        let Place::Container(c) = &l.place else {
            panic!()
        };
        assert_eq!(
            c.to_host("/go/src/example/air.toml"),
            Some(repo.join("air.toml"))
        );
        let l = &lines(repo, &repo.join("Dockerfile"), &format!("{prod}\n{dev}"))[0];
        assert_eq!((l.line, l.target.as_deref()), (10, None));
    }
}
