//! `docker build` and `docker run` on a host line (a Makefile recipe, a script; `podman` too):
//! `docker build -f docker/dev/Dockerfile -t app .` builds that Dockerfile's stage (`--target`)
//! from that context under a tag, and a later `docker run -v "$(pwd)":/app [-w DIR] app [CMD]`
//! of that tag runs CMD, else the image's ENTRYPOINT/CMD, in a container that holds the
//! context's COPYs and the run's bind mounts (`$(pwd)`, `$PWD`, make's `$(CURDIR)` are where
//! the command runs). The builds are gathered first from every Makefile, justfile and script
//! of the repository (a `dev: build` target runs a build written below it; tags are the
//! machine's, not one file's), each run in its file's folder. A run of an image built
//! elsewhere is read only when it names its folder (`-w`) and its command.

use super::dockerfile::{self, Exec};
use super::{join_posix, Container, Line, Mount, Place};
use crate::filepath::clean_str;
use crate::reloaders::air::versions::Toolchain;
use crate::shell;
use std::path::{Path, PathBuf};

/// The images the repository's launchers build, and the Dockerfiles its runs started.
#[derive(Debug, Default)]
pub(super) struct Images {
    /// (tag, Dockerfile, context, target stage).
    built: Vec<(String, PathBuf, PathBuf, Option<String>)>,
    /// Dockerfiles a `docker run` started: not read again alone.
    pub run: Vec<PathBuf>,
    /// Every Dockerfile a `docker build` builds, tagged or not.
    files: Vec<PathBuf>,
}

impl Images {
    /// Whether a `docker build` here builds any image.
    pub(super) fn any(&self) -> bool {
        !self.files.is_empty()
    }

    /// Whether a `docker build` of the repository builds the Dockerfile at `file`.
    pub(super) fn builds(&self, file: &Path) -> bool {
        let file = clean_str(&file.to_string_lossy());
        self.files
            .iter()
            .any(|f| clean_str(&f.to_string_lossy()) == file)
    }
}

/// `docker build` or `docker run` (`buildx build`, `image build`, `container run`, podman):
/// true for a build, with the words after the subcommand.
fn subcommand(words: &[String]) -> Option<(bool, &[String])> {
    let w = shell::program_words(words);
    let program = w.first().map(|x| x.rsplit('/').next().unwrap_or(x))?;
    if !matches!(program, "docker" | "podman") {
        return None;
    }
    let mut i = 1;
    if matches!(
        w.get(i).map(String::as_str),
        Some("buildx" | "image" | "container")
    ) {
        i += 1;
    }
    match w.get(i).map(String::as_str) {
        Some("build") => Some((true, &w[i + 1..])),
        Some("run") => Some((false, &w[i + 1..])),
        _ => None,
    }
}

/// The options before the first operand (`--k=v` split, the value of those in `takes`
/// taken), and the operands.
fn options<'a>(mut rest: &'a [String], takes: &[&str]) -> (Vec<(String, String)>, &'a [String]) {
    let mut opts = vec![];
    while let Some(o) = rest.first().filter(|o| o.starts_with('-') && o.len() > 1) {
        match o.split_once('=') {
            Some((k, v)) => {
                opts.push((k.to_string(), v.to_string()));
                rest = &rest[1..];
            }
            None if takes.contains(&o.as_str()) => {
                opts.push((o.clone(), rest.get(1).cloned().unwrap_or_default()));
                rest = rest.get(2..).unwrap_or_default();
            }
            None => rest = &rest[1..],
        }
    }
    (opts, rest)
}

/// The values of the options named `names`.
fn values<'a>(opts: &'a [(String, String)], names: &[&str]) -> Vec<&'a str> {
    opts.iter()
        .filter(|(o, _)| names.contains(&o.as_str()))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Options of `docker build` / `docker run` that take a value.
const BUILD_TAKES: &[&str] = &[
    "-f",
    "--file",
    "-t",
    "--tag",
    "--target",
    "--build-arg",
    "--platform",
    "--progress",
    "--network",
    "--label",
    "--cache-from",
    "--cache-to",
    "--secret",
    "--ssh",
    "-o",
    "--output",
    "--iidfile",
    "--add-host",
    "--build-context",
];
const RUN_TAKES: &[&str] = &[
    "-v",
    "--volume",
    "-w",
    "--workdir",
    "-e",
    "--env",
    "-p",
    "--publish",
    "--name",
    "--network",
    "--net",
    "-u",
    "--user",
    "--env-file",
    "--mount",
    "--entrypoint",
    "-l",
    "--label",
    "--platform",
    "--restart",
    "--add-host",
    "-h",
    "--hostname",
    "--cpus",
    "-m",
    "--memory",
    "--pull",
    "--ulimit",
    "--device",
    "--gpus",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--log-driver",
    "--log-opt",
    "--tmpfs",
    "--shm-size",
    "--ipc",
    "--pid",
    "--expose",
    "--volumes-from",
    "--stop-signal",
    "--health-cmd",
];

impl Images {
    /// Remember the `docker build`s of the launch file at `path` (run in its folder).
    pub(super) fn gather(&mut self, repo: &Path, path: &Path, text: &str) {
        if !text.contains("build") {
            return;
        }
        let dir = path.parent().unwrap_or(repo);
        shell::parse(text).walk(true, &mut |s, scope| {
            let Some((true, rest)) = subcommand(&s.words) else {
                return;
            };
            if !scope.dir_known {
                return;
            }
            let here = PathBuf::from(clean_str(&dir.join(&scope.dir).to_string_lossy()));
            let (opts, operands) = options(rest, BUILD_TAKES);
            let Some(context) = operands.first().and_then(|c| plain(&here, c)) else {
                return;
            };
            let file = match values(&opts, &["-f", "--file"]).last() {
                Some(f) => plain(&here, f),
                None => Some(context.join("Dockerfile")),
            };
            let target = values(&opts, &["--target"]).last().map(|t| t.to_string());
            let Some(file) = file.filter(|f| f.starts_with(repo)) else {
                return;
            };
            self.files.push(file.clone());
            for tag in values(&opts, &["-t", "--tag"]) {
                let tag = tag.strip_suffix(":latest").unwrap_or(tag).to_string();
                self.built
                    .push((tag, file.clone(), context.clone(), target.clone()));
            }
        });
    }

    /// The line a `docker run` (`s`, on a host line of `repo`) starts in its container; None
    /// when `s` is no run.
    pub(super) fn run_line(
        &mut self,
        repo: &Path,
        read: &dyn Fn(&Path) -> Option<String>,
        l: &Line,
        s: &shell::Simple,
        scope: &shell::Scope,
    ) -> Option<Line> {
        let Place::Host(start) = &l.place else {
            return None;
        };
        let Some((false, rest)) = subcommand(&s.words) else {
            return None;
        };
        if !scope.dir_known {
            return None;
        }
        let here = PathBuf::from(clean_str(&start.join(&scope.dir).to_string_lossy()));
        let (opts, operands) = options(rest, RUN_TAKES);
        let (image, command) = operands.split_first()?;
        let image = image.strip_suffix(":latest").unwrap_or(image);
        let built = self.built.iter().rfind(|(t, ..)| t == image).cloned();
        let dockerfile = built.and_then(|(_, file, context, target)| {
            let text = read(&file)?;
            Some((file, dockerfile::image(&text, target.as_deref()), context))
        });
        let workdir = values(&opts, &["-w", "--workdir"])
            .last()
            .map(|d| join_posix("/", d));
        let entrypoint = values(&opts, &["--entrypoint"])
            .last()
            .map(|e| Exec::Argv(vec![e.to_string()]));
        let cmd = (!command.is_empty()).then(|| Exec::Argv(command.to_vec()));
        let programs = dockerfile
            .as_ref()
            .map(|(file, image, _)| image.programs_as(file, repo));
        let toolchain = dockerfile
            .as_ref()
            .map(|(_, image, _)| image.toolchain.clone())
            .unwrap_or_else(|| Toolchain::from_image(image));
        let (cwd, mut mounts, run) = match &dockerfile {
            Some((file, image, context)) => {
                self.run.push(file.clone());
                let run = Exec::combine(
                    entrypoint
                        .as_ref()
                        .or(image.entrypoint.as_ref().map(|e| &e.1)),
                    cmd.as_ref().or(image.cmd.as_ref().map(|c| &c.1)),
                );
                (
                    workdir.unwrap_or_else(|| image.workdir.clone()),
                    image.copy_mounts(context),
                    run,
                )
            }
            // An image of elsewhere: its folder and command only as the run gives them.
            None => match (workdir, Exec::combine(entrypoint.as_ref(), cmd.as_ref())) {
                (Some(w), Some(run)) => (w, vec![], Some(run)),
                _ => return None,
            },
        };
        for v in values(&opts, &["-v", "--volume"]) {
            let mut parts = v.splitn(3, ':');
            if let (Some(src), Some(dst)) = (parts.next(), parts.next()) {
                mounts.extend(host_path(&here, src).map(|h| Mount {
                    container: join_posix("/", dst),
                    host: h,
                    live: true,
                }));
            }
        }
        for m in values(&opts, &["--mount"]) {
            let field = |k: &str| {
                m.split(',')
                    .find_map(|kv| kv.split_once('=').filter(|(key, _)| *key == k))
                    .map(|(_, v)| v)
            };
            let bind = field("type") == Some("bind");
            let src = field("source").or(field("src"));
            let dst = field("target").or(field("destination")).or(field("dst"));
            if let (true, Some(src), Some(dst)) = (bind, src, dst) {
                mounts.extend(host_path(&here, src).map(|h| Mount {
                    container: join_posix("/", dst),
                    host: h,
                    live: true,
                }));
            }
        }
        Some(Line {
            line: l.line + s.line.saturating_sub(1),
            target: l.target.clone(),
            text: run?.text(),
            place: Place::Container(Container {
                cwd,
                mounts,
                programs,
                toolchain,
                ..Container::default()
            }),
        })
    }
}

/// A path operand (`-f docker/dev/Dockerfile`, a context `.`) of a command run in `here`.
fn plain(here: &Path, path: &str) -> Option<PathBuf> {
    if path == "-" {
        return None; // the context read from stdin
    }
    host_path(here, path).or_else(|| {
        (!path.contains(['$', '`', '~', ':']))
            .then(|| PathBuf::from(clean_str(&here.join(path).to_string_lossy())))
    })
}

/// A host path of a command run in `here`: `$(pwd)`, `$PWD`, `${PWD}`, make's `$(CURDIR)` and
/// `$(shell pwd)` are `here`; a relative path is below it; None for another variable or a
/// named volume.
fn host_path(here: &Path, path: &str) -> Option<PathBuf> {
    let mut p = path;
    for pwd in [
        "$(pwd)",
        "$PWD",
        "${PWD}",
        "$(PWD)",
        "$(CURDIR)",
        "$(shell pwd)",
        "`pwd`",
    ] {
        if let Some(rest) = p.strip_prefix(pwd) {
            p = rest.trim_start_matches('/');
            let p = if p.is_empty() { "." } else { p };
            return (!p.contains('$'))
                .then(|| PathBuf::from(clean_str(&here.join(p).to_string_lossy())));
        }
    }
    let path_like = p.starts_with(['.', '/']);
    (path_like && !p.contains(['$', '`', '~']))
        .then(|| PathBuf::from(clean_str(&here.join(p).to_string_lossy())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docker buildx build --target dev -t api -f build/api.Dockerfile services/api` then
    /// `podman run --mount type=bind,source=$(pwd)/services/api,target=/src api`: the dev
    /// stage's WORKDIR and command, the bind mount over its COPY.
    #[test]
    fn a_run_of_a_built_tag_uses_its_stage_and_mounts() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("build")).unwrap();
        std::fs::create_dir_all(repo.join("services/api")).unwrap();
        std::fs::write(
            repo.join("build/api.Dockerfile"),
            "FROM golang AS dev\nWORKDIR /src\nCOPY . .\nCMD air -c air.toml\nFROM alpine\nCMD [\"/api\"]\n",
        )
        .unwrap();
        let mut images = Images::default();
        images.gather(
            repo,
            &repo.join("Makefile"),
            "build:\n\tdocker buildx build --target dev -t api -f build/api.Dockerfile services/api\n",
        );
        let text = "podman run --rm --mount type=bind,source=$(pwd)/services/api,target=/src api";
        let l = Line {
            line: 7,
            target: Some("dev".into()),
            text: text.into(),
            place: Place::Host(repo.to_path_buf()),
        };
        let read = |p: &Path| std::fs::read_to_string(p).ok();
        let mut found = vec![];
        shell::parse(text).walk(true, &mut |s, scope| {
            found.extend(images.run_line(repo, &read, &l, s, scope));
        });
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "air -c air.toml");
        let Place::Container(c) = &found[0].place else {
            panic!()
        };
        assert_eq!(c.cwd, "/src");
        assert_eq!(
            c.to_host("air.toml"),
            Some(repo.join("services/api/air.toml"))
        );
        assert_eq!(images.run, vec![repo.join("build/api.Dockerfile")]);
    }
}
