//! A compose service that runs air on the image's copy of the project: its Dockerfile does
//! `COPY . .` and no volume puts the host's folder where air watches, so a save on the host
//! never reaches the container and air never rebuilds (13SOAT-andromeda/tech-challenge-s1's
//! `app` service).
//!
//! Compose semantics this rests on (the doctor never runs compose on a user's repository):
//! a `COPY` is a layer of the image, made at build time; a running container sees host files
//! only through a bind mount (short `./src:/app`, long `type: bind`) or a `develop: watch:`
//! sync, which copies each saved file into it. A named or anonymous volume is storage docker
//! keeps (filled once from the image), a tmpfs is memory: neither is the host's folder. A
//! watch `rebuild` builds a new image and replaces the container, so a save does reach the
//! app that way. A volume whose source is a variable with no value here, or a named volume
//! with driver options (`o: bind, device: ...` binds a host folder) or external, may be the
//! project: nothing is said then.
//!
//! Severity (issue 22): a fail when nothing the service mounts reaches air's watched folder;
//! a warning when a folder inside it is mounted (saves there reach air, the rest do not), or
//! when the service runs air only on a condition not known here (a `build.target` variable).
//! Nothing when another compose file gives the same service a mount that reaches it (the
//! `-f compose.yml -f compose.dev.yml` way of running it).

use super::problems::Problem as Id;
use crate::context::Context;
use crate::model::{Finding, Fix};
use crate::reloaders::air::launch::{ConfigRef, Delivery, Kind, LaunchContext};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The finding for the launch context `c` of the config at `path`, if air there watches only
/// the image's copy of the project.
pub(super) fn finding(
    ctx: &Context,
    repo: &Path,
    path: &Path,
    c: &LaunchContext,
    contexts: &[LaunchContext],
) -> Option<Finding> {
    if c.launcher.kind != Kind::Compose {
        return None;
    }
    let container = c.container.as_ref()?;
    // air watches its `root`, relative to the folder it runs in.
    let root = match &c.config {
        ConfigRef::Read(p) if same(p, path) => ctx.project.air.root.clone(),
        ConfigRef::Defaults => ".".to_string(),
        _ => return None,
    };
    let Delivery::Copied {
        container: watched,
        host,
        named,
        live_inside,
    } = container.delivery(&root)?
    else {
        return None;
    };
    // The same service made to mount the project by another compose file.
    let mounted_elsewhere = contexts.iter().any(|o| {
        o.launcher.kind == Kind::Compose
            && o.launcher.target == c.launcher.target
            && o.launcher.file != c.launcher.file
            && o.container
                .as_ref()
                .and_then(|k| k.delivery(&root))
                .is_some_and(|d| !matches!(d, Delivery::Copied { .. }))
    });
    if mounted_elsewhere {
        return None;
    }
    let l = &c.launcher;
    let site = format!("{}:{}", l.file, l.line);
    let service = l.target.clone().unwrap_or_default();
    let compose_dir = repo.join(&l.file).parent().unwrap_or(repo).to_path_buf();
    let source = relative(&compose_dir, &host);
    let shown = match host.strip_prefix(repo) {
        Ok(r) if r.as_os_str().is_empty() => "the repository".to_string(),
        Ok(r) => format!("{}/", r.display()),
        Err(_) => host.display().to_string(),
    };
    let when = container
        .condition
        .as_ref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let named_note = if named {
        format!(
            " (a named volume at {watched} keeps the image's first copy, not the host's folder)"
        )
    } else {
        String::new()
    };
    let step = format!(
        "mount the project where air watches: add `- {source}:{watched}` to the `volumes:` of the `{service}` service in {}",
        l.file
    );
    // A service only a test profile starts (tomanagle/adenosine's `adenosine-a` in profile
    // `federation-test`, brought up by an e2e script with `up --wait` ... `down --volumes`):
    // a one-shot instance built from the image, which nobody edits against.
    if let Some(profile) = test_profile(repo, &l.file, &service) {
        let msg = format!(
            "{site}: the `{service}` service{when} runs air on the image's copy of {shown} in {watched} (COPY at build time) with no volume from the host, but compose starts it only with the profile `{profile}`, a test run, not an edit loop: saves on the host never reach it; {step} if you develop against it"
        );
        return Some(Finding::info(msg).with_evidence(json!({
            "file": l.file, "line": l.line, "problem": Id::SourceNotMounted, "target": l.target,
            "in_container": true, "watched": watched, "copied_from": shown,
            "mounted_inside": live_inside, "partly": !live_inside.is_empty(),
            "condition": container.condition, "test_profile": profile,
        })));
    }
    let (f, partly) = if live_inside.is_empty() {
        let msg = format!(
            "{site}: the `{service}` service{when} runs air on the image's copy of {shown} in {watched} (COPY at build time): no volume puts the host's files there{named_note}, so a save on the host never reaches the container and air never rebuilds; {step}"
        );
        match container.condition {
            Some(_) => (Finding::warn(msg), false),
            None => (Finding::fail(msg), false),
        }
    } else {
        let msg = format!(
            "{site}: the `{service}` service{when} runs air on the image's copy of {shown} in {watched} (COPY at build time): only {} inside it {} mounted from the host{named_note}, so saves elsewhere never reach the container and air does not rebuild for them; {step}",
            live_inside.join(", "),
            if live_inside.len() == 1 { "is" } else { "are" }
        );
        (Finding::warn(msg), true)
    };
    Some(
        f.with_evidence(json!({
            "file": l.file, "line": l.line, "problem": Id::SourceNotMounted, "target": l.target,
            "in_container": true, "watched": watched, "copied_from": shown,
            "mounted_inside": live_inside, "partly": partly, "condition": container.condition,
        }))
        .with_fix(Fix::manual(vec![step])),
    )
}

/// The compose profile of `service` in `file` that names a test run (`federation-test`,
/// `e2e`, `integration`), when every profile the service has is one: compose starts a
/// service with `profiles:` only when one of them is asked for.
fn test_profile(repo: &Path, file: &str, service: &str) -> Option<String> {
    let text = crate::system::files::read_to_string(repo.join(file)).ok()?;
    let doc = crate::yaml::parse(&text)?;
    let profiles: Vec<&str> = doc
        .get("services")?
        .get(service)?
        .get("profiles")?
        .items()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    let testish = |p: &str| {
        p.split(['-', '_', '.', ':']).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "test" | "tests" | "testing" | "e2e" | "integration" | "acceptance" | "smoke"
            )
        })
    };
    match profiles.iter().all(|p| testish(p)) {
        true => profiles.first().map(|p| p.to_string()),
        false => None,
    }
}

fn same(a: &Path, b: &Path) -> bool {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    real(a) == real(b)
}

/// `host` as a compose file in `dir` names it: `.`, `./backend`, `..`.
fn relative(dir: &Path, host: &Path) -> String {
    if let Ok(r) = host.strip_prefix(dir) {
        return match r.as_os_str().is_empty() {
            true => ".".into(),
            false => format!("./{}", r.display()),
        };
    }
    let mut up = PathBuf::new();
    for above in dir.ancestors().skip(1) {
        up.push("..");
        if let Ok(r) = host.strip_prefix(above) {
            return match r.as_os_str().is_empty() {
                true => up.display().to_string(),
                false => up.join(r).display().to_string(),
            };
        }
    }
    host.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_folders_as_the_compose_file_names_them() {
        let r = |d: &str, h: &str| relative(Path::new(d), Path::new(h));
        assert_eq!(r("/r", "/r"), ".");
        assert_eq!(r("/r", "/r/backend"), "./backend");
        assert_eq!(r("/r/docker", "/r"), "..");
        assert_eq!(r("/r/docker", "/r/api"), "../api");
    }
}
