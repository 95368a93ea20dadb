//! `.devcontainer/devcontainer.json` (and `.devcontainer.json`): the lifecycle commands
//! (`onCreateCommand`, `updateContentCommand`, `postCreateCommand`, `postStartCommand`,
//! `postAttachCommand`; a string, an argument list or an object of either) run in the
//! container's `workspaceFolder` (default `/workspaces/<folder>`), where the repository is
//! mounted, in the devcontainer's image: its `image`, the Dockerfile its `build.dockerfile`
//! names (relative to the devcontainer.json), or the compose service its `dockerComposeFile`
//! and `service` name. That image's Go is the one the commands' `go install` builds with
//! (`containerEnv`/`remoteEnv` may set GOTOOLCHAIN), and an install of air its own build
//! runs stops the devcontainer from being built, whatever then runs air in it.

use super::dockerfile::{self, Exec};
use super::{compose, Container, Line, Mount, Place, RenamedInstall};
use crate::reloaders::air::versions::Toolchain;
use std::path::{Path, PathBuf};

const COMMANDS: &[&str] = &[
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
    "postAttachCommand",
];

/// The image a devcontainer.json runs in: what it holds for Go and air, and the Dockerfile
/// that builds it (relative to the repository), when one does.
fn image(
    repo: &Path,
    path: &Path,
    json: &serde_json::Value,
    read: &dyn Fn(&Path) -> Option<String>,
    services: &[(PathBuf, compose::Service)],
) -> Option<(Toolchain, Option<String>)> {
    let dir = path.parent().unwrap_or(repo);
    let str_of =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let rel = |p: &Path| p.strip_prefix(repo).unwrap_or(p).display().to_string();
    let clean = |p: PathBuf| PathBuf::from(crate::filepath::clean_str(&p.to_string_lossy()));
    if let Some(image) = str_of(json, "image") {
        return Some((Toolchain::from_image(&image), None));
    }
    // `build.dockerfile`, or the older top-level `dockerFile`.
    let build = json.get("build");
    let dockerfile = build
        .and_then(|b| str_of(b, "dockerfile"))
        .or_else(|| str_of(json, "dockerFile"));
    if let Some(d) = dockerfile {
        let file = clean(dir.join(d));
        let text = read(&file)?;
        let target = build.and_then(|b| str_of(b, "target"));
        let image = dockerfile::image(&text, target.as_deref());
        return Some((image.toolchain, Some(rel(&file))));
    }
    let service = str_of(json, "service")?;
    let files: Vec<String> = match json.get("dockerComposeFile")? {
        serde_json::Value::String(f) => vec![f.clone()],
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    };
    let same = |a: &Path, b: &Path| {
        a == b
            || std::fs::canonicalize(a)
                .ok()
                .zip(std::fs::canonicalize(b).ok())
                .is_some_and(|(a, b)| a == b)
    };
    // The last file that names the service (later files override earlier ones).
    files.iter().rev().find_map(|f| {
        let file = clean(dir.join(f));
        let (_, s) = services
            .iter()
            .find(|(p, s)| s.name == service && same(p, &file))?;
        let c = &s.container;
        let built = c
            .programs
            .as_ref()
            .map(|p| p.dockerfile.clone())
            .filter(|d| !d.is_empty());
        Some((c.toolchain.clone(), built))
    })
}

/// The lifecycle commands that may start or install air, in the devcontainer's image; and the
/// install of air its image's own build stops at (in the Dockerfile that builds it).
pub(super) fn lines(
    repo: &Path,
    path: &Path,
    text: &str,
    read: &dyn Fn(&Path) -> Option<String>,
    services: &[(PathBuf, compose::Service)],
) -> (Vec<Line>, Vec<RenamedInstall>) {
    let Some(json) = super::vscode::jsonc(text) else {
        return (vec![], vec![]);
    };
    let name = repo
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let folder = json
        .get("workspaceFolder")
        .and_then(|w| w.as_str())
        .map_or(format!("/workspaces/{name}"), str::to_string)
        .replace("${localWorkspaceFolderBasename}", &name);
    let image = image(repo, path, &json, read, services);
    let mut installs = vec![];
    let mut toolchain = Toolchain::default();
    if let Some((t, dockerfile)) = image {
        let at = t
            .stuck
            .as_deref()
            .zip(dockerfile)
            .and_then(|(s, d)| Some((s, d, s.line?)));
        if let Some((s, d, line)) = at {
            let me = path.strip_prefix(repo).unwrap_or(path).display();
            installs.push(RenamedInstall {
                then: Some(format!(
                    ": the image build stops there, so the devcontainer of {me} is never built and has no air"
                )),
                ..RenamedInstall::old_go(d.clone(), line, s)
            });
            // The installs after it that stop the build too once it is fixed (dlv@latest
            // beside `go install github.com/cosmtrek/air@latest` on golang:1.19).
            for a in t.after.iter().filter(|a| a.renamed) {
                let Some(at) = a.line else { continue };
                installs.push(RenamedInstall {
                    then: Some(format!(
                        ": the image build stops there too once `{}` ({d}:{line}) is fixed, so the devcontainer of {me} is never built and has no air",
                        s.command
                    )),
                    ..RenamedInstall::old_go(d.clone(), at, a)
                });
            }
        }
        toolchain = t;
    }
    // The go feature (`ghcr.io/devcontainers/features/go`) installs another Go over the
    // image's unless its version is "none": which one is not read here.
    let go_feature = json
        .get("features")
        .and_then(|f| f.as_object())
        .is_some_and(|f| {
            f.iter().any(|(id, options)| {
                let id = id.split(':').next().unwrap_or(id);
                id.ends_with("/features/go")
                    && options.get("version").and_then(|v| v.as_str()) != Some("none")
            })
        });
    if go_feature {
        toolchain.go = None;
    }
    // The lifecycle commands run with containerEnv and remoteEnv.
    for env in ["containerEnv", "remoteEnv"] {
        if let Some(v) = json
            .get(env)
            .and_then(|e| e.get("GOTOOLCHAIN"))
            .and_then(|v| v.as_str())
        {
            toolchain.env("GOTOOLCHAIN", v);
        }
    }
    let container = Container {
        cwd: super::join_posix("/", &folder),
        mounts: vec![Mount {
            container: super::join_posix("/", &folder),
            host: repo.to_path_buf(),
            live: true,
        }],
        toolchain,
        ..Container::default()
    };
    let exec = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(Exec::Shell(s.clone())),
        serde_json::Value::Array(a) => Some(Exec::Argv(
            a.iter()
                .filter_map(|w| w.as_str().map(str::to_string))
                .collect(),
        )),
        _ => None,
    };
    let mut out = vec![];
    for key in COMMANDS {
        let Some(v) = json.get(key) else { continue };
        let named: Vec<(Option<String>, Exec)> = match v {
            serde_json::Value::Object(m) => m
                .iter()
                .filter_map(|(k, v)| Some((Some(k.clone()), exec(v)?)))
                .collect(),
            v => exec(v).map(|e| (None, e)).into_iter().collect(),
        };
        let at = text.find(&format!("\"{key}\"")).unwrap_or(0);
        for (sub, e) in named {
            let text_line = e.text();
            if !text_line.contains("air") {
                continue;
            }
            out.push(Line {
                line: text[..at].matches('\n').count() + 1,
                target: Some(sub.map_or(key.to_string(), |s| format!("{key}.{s}"))),
                text: text_line,
                place: Place::Container(container.clone()),
            });
        }
    }
    (out, installs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_commands_in_the_workspace_folder() {
        let text = "{\n  \"name\": \"go\",\n  // start the reloader\n  \"postStartCommand\": \"cd backend && air\",\n  \"postCreateCommand\": { \"tools\": \"go install github.com/air-verse/air@latest\" }\n}\n";
        let (got, _) = lines(
            Path::new("/r/shop"),
            Path::new("/r/shop/.devcontainer/devcontainer.json"),
            text,
            &|_| None,
            &[],
        );
        assert_eq!(got.len(), 2);
        // In the order the lifecycle runs them: postCreateCommand before postStartCommand.
        assert_eq!(got[0].line, 5);
        assert_eq!(got[1].line, 4);
        let Place::Container(c) = &got[1].place else {
            panic!()
        };
        assert_eq!(c.cwd, "/workspaces/shop");
        assert_eq!(
            c.to_host("backend"),
            Some(Path::new("/r/shop/backend").to_path_buf())
        );
    }
}
