//! Skaffold (`skaffold.yaml`, and `skaffold-dev.yaml` for `skaffold dev -f`): each of
//! `build.artifacts` (and of a profile's) built from a Dockerfile (`docker:`, also the builder
//! of an artifact that names none, or `kaniko:`) runs its `ENTRYPOINT`/`CMD` (of
//! `docker.target`'s stage) in the container: the Dockerfile is `docker.dockerfile`
//! (default `Dockerfile`) in the artifact's `context` (default the skaffold file's folder),
//! else that path from the skaffold file's folder (skaffold accepts both); the container holds
//! the context's files where the Dockerfile COPYs them and where `sync.manual` rules copy
//! changed ones (`src` below the context, `strip` taken off, under `dest`, relative to the
//! WORKDIR). A pod spec overriding the image's command is not read.

use super::dockerfile;
use super::{join_posix, Container, Line, Mount, Place};
use crate::filepath::clean_str;
use crate::yaml::{self, Node};
use std::path::{Path, PathBuf};

/// The line of each docker artifact of the skaffold file at `path` that may start air, and
/// the Dockerfiles of all its docker artifacts (which are then not read alone).
pub(super) fn artifacts(
    repo: &Path,
    path: &Path,
    text: &str,
    read: &dyn Fn(&Path) -> Option<String>,
) -> (Vec<Line>, Vec<PathBuf>) {
    let dir = path.parent().unwrap_or(repo);
    let Some(doc) = yaml::parse(text) else {
        return (vec![], vec![]);
    };
    let profiles = doc.get("profiles").map(Node::items).unwrap_or_default();
    let all = std::iter::once(&doc)
        .chain(profiles)
        .filter_map(|d| d.get("build")?.get("artifacts"))
        .flat_map(Node::items);
    let mut found = vec![];
    let mut dockerfiles = vec![];
    for a in all {
        // Docker builds an artifact that names no other builder.
        let others = ["bazel", "jib", "buildpacks", "custom", "ko"];
        if a.get("docker").is_none() && others.iter().any(|b| a.get(b).is_some()) {
            continue;
        }
        let docker = a.get("docker").or_else(|| a.get("kaniko"));
        let under = |p: &str| PathBuf::from(clean_str(&dir.join(p).to_string_lossy()));
        let context = under(a.get("context").and_then(Node::as_str).unwrap_or("."));
        let name = docker
            .and_then(|d| d.get("dockerfile"))
            .and_then(Node::as_str)
            .unwrap_or("Dockerfile");
        let in_context = PathBuf::from(clean_str(&context.join(name).to_string_lossy()));
        let file = if in_context.is_file() || !under(name).is_file() {
            in_context
        } else {
            under(name)
        };
        if !file.starts_with(repo) || !context.starts_with(repo) {
            continue;
        }
        dockerfiles.push(file.clone());
        let Some(text) = read(&file) else { continue };
        let target = docker.and_then(|d| d.get("target")).and_then(Node::as_str);
        let image = dockerfile::image(&text, target);
        let Some((_, run)) = image.run() else {
            continue;
        };
        let run = run.text();
        if !run.contains("air") && !super::runs_a_script(&run) {
            continue;
        }
        let mut mounts = image.copy_mounts(&context);
        let sync = a.get("sync").and_then(|s| s.get("manual"));
        for rule in sync.map(Node::items).unwrap_or_default() {
            let Some(dest) = rule.get("dest").and_then(Node::as_str) else {
                continue;
            };
            let strip = rule.get("strip").and_then(Node::as_str).unwrap_or("");
            mounts.push(Mount {
                container: join_posix(&image.workdir, dest),
                host: PathBuf::from(clean_str(&context.join(strip).to_string_lossy())),
                live: true,
            });
        }
        let line = a.get("image").map_or(a.line, |i| i.key_line).max(1);
        found.push(Line {
            line,
            target: a.get("image").and_then(Node::as_str).map(str::to_string),
            text: run,
            place: Place::Container(Container {
                cwd: image.workdir.clone(),
                mounts,
                programs: Some(image.programs_as(&file, repo)),
                toolchain: image.toolchain.clone(),
                ..Container::default()
            }),
        });
    }
    (found, dockerfiles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> Option<String> {
        std::fs::read_to_string(p).ok()
    }

    /// MinBZK/poc-machine-law's shape: one artifact's context is its folder and its
    /// `dockerfile:` the path from the repository root; another builds from `.` with a sync
    /// rule that strips a folder (`machinev2/**/*.go` to `/build`); and
    /// rickdaalhuizen90/k8s-go-webserver's, a profile's artifact naming no builder (docker,
    /// with the context's `Dockerfile`).
    #[test]
    fn artifacts_with_their_dockerfile_context_and_sync() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path();
        std::fs::create_dir_all(repo.join("apps/api")).unwrap();
        std::fs::create_dir_all(repo.join("machine/backend")).unwrap();
        std::fs::write(
            repo.join("apps/api/dev.Dockerfile"),
            "FROM golang\nWORKDIR /build\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        )
        .unwrap();
        std::fs::write(
            repo.join("machine/backend/dev.Dockerfile"),
            "FROM golang AS dev\nWORKDIR /build\nCMD air\nFROM golang\nCMD [\"/server\"]\n",
        )
        .unwrap();
        std::fs::create_dir_all(repo.join("plain")).unwrap();
        std::fs::write(
            repo.join("plain/Dockerfile"),
            "FROM golang\nWORKDIR /app\nCOPY . .\nCMD air\n",
        )
        .unwrap();
        let text = "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: api-image\n      context: apps/api\n      docker:\n        dockerfile: apps/api/dev.Dockerfile\n    - image: engine\n      context: .\n      docker:\n        dockerfile: machine/backend/dev.Dockerfile\n        target: dev\n      sync:\n        manual:\n          - src: \"machine/**/*.go\"\n            dest: .\n            strip: machine\n    - image: js\n      buildpacks: {}\nprofiles:\n  - name: plain\n    build:\n      artifacts:\n        - image: plain\n          context: ./plain\n";
        let (found, dockerfiles) = artifacts(repo, &repo.join("skaffold.yaml"), text, &read);
        assert_eq!(dockerfiles.len(), 3);
        assert_eq!(found.len(), 3);
        assert_eq!(found[2].target.as_deref(), Some("plain"));
        let api = &found[0];
        assert_eq!(api.target.as_deref(), Some("api-image"));
        assert_eq!(api.text, "air -c .air.toml");
        let Place::Container(c) = &api.place else {
            panic!()
        };
        assert_eq!(
            c.to_host(".air.toml"),
            Some(repo.join("apps/api/.air.toml"))
        );
        let engine = &found[1];
        assert_eq!(engine.text, "air");
        let Place::Container(c) = &engine.place else {
            panic!()
        };
        assert_eq!(c.to_host("backend"), Some(repo.join("machine/backend")));
    }
}
