//! A build tied to one machine: a path into one person's home folder (`/home/alice/...`,
//! `/Users/alice/...`, `C:\Users\alice\...`, a Windows drive seen from WSL) or a step run
//! as another user (`su - user`, `sudo -u user`). It may build on its author's machine;
//! anywhere else the folder is not there or the user cannot be switched to. Not judged for
//! a config only started in a container, where `/home/app` is the image's own folder. When
//! every launcher that starts the config itself runs from the same home folder (a dev runner
//! that execs `/home/exedev/go/bin/air`, CharaXiv/charaxiv.app's cmd/dev), the setup is made
//! for that one machine as a whole: the config's paths into that folder add nothing, a note.

use super::commands::build_steps;
use super::config_file::AirFile;
use super::problems::Problem;
use crate::model::Finding;
use regex::Regex;
use serde_json::json;
use std::sync::LazyLock;

/// A home-folder path inside a word (`-o=/home/alice/bin/x` too): the user's folder and
/// what follows it, up to a quote or a space.
static HOME_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[='":;\s])((?:/home|/Users)/[^/\s'"]+/[^\s'";]*|/mnt/[a-z]/[^\s'";]+|[A-Za-z]:[\\/]Users[\\/][^\\/\s'"]+[^\s'";]*)"#)
        .expect("valid regex")
});

pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    if !f.launches.is_empty() && f.launches.iter().all(|l| l.container.is_some()) {
        return;
    }
    // The home folder every launcher's own command names (`/home/exedev`), if one.
    let launchers_home = f
        .launches
        .iter()
        .map(|l| {
            home_paths(&l.launcher.command)
                .first()
                .and_then(|p| home_folder(p))
        })
        .reduce(|a, b| a.filter(|a| Some(a) == b.as_ref()))
        .flatten();
    // Folders the repository's containers work in or mount into (`WORKDIR /home/app`): a
    // path there is an image's own folder, not one person's (jadoint/micro's `go build
    // /home/app/cmd/blog/main.go` for blog.dev.Dockerfile's WORKDIR /home/app).
    let container_folders: Vec<String> = f
        .ctx
        .project
        .launches
        .contexts
        .iter()
        .filter_map(|l| l.container.as_ref())
        .flat_map(|c| {
            std::iter::once(c.cwd.clone()).chain(c.mounts.iter().map(|m| m.container.clone()))
        })
        .filter(|folder| home_folder(folder).is_some())
        .collect();
    let in_container = |path: &str| {
        container_folders
            .iter()
            .any(|folder| std::path::Path::new(path).starts_with(folder))
    };
    let mut named: Vec<String> = vec![];
    let mut report = |key: &'static str, what: String, path: Option<String>| {
        if path.as_deref().is_some_and(in_container) {
            return;
        }
        let id = path.clone().unwrap_or_else(|| what.clone());
        if named.contains(&id) {
            return;
        }
        named.push(id);
        // bin, full_bin and entrypoint are what air runs after the build, not the build
        // (Golangcodes/nextdeploy's bin in $HOME/.nextdeploy/bin: its build writes there).
        let step = match key.starts_with("build.cmd") || key.starts_with("build.pre_cmd") {
            true => "the build",
            false => "air's start of the app",
        };
        let why = match &path {
            Some(p) if std::path::Path::new(p).exists() => format!(
                "{what}: it exists on this machine, but on anyone else's (a teammate, CI, a container) {step} cannot find it"
            ),
            Some(_) => format!("{what}, which is not on this machine: {step} fails here and anywhere but its author's"),
            None => format!("{what}: anywhere without that user, or where sudo asks for a password air cannot type, the build fails"),
        };
        let shared = launchers_home.as_ref().filter(|h| {
            path.as_deref()
                .and_then(home_folder)
                .is_some_and(|p| p == **h)
        });
        if let Some(home) = shared {
            let launcher = f.launches.first().map(|l| l.describe()).unwrap_or_default();
            out.push(
                Finding::info(format!(
                    "{}: {what}; but {launcher} itself runs air from {home}: the setup is made for that one machine as a whole, and this path binds it no further",
                    f.at(key)
                ))
                .with_evidence(f.evidence(key, json!({"problem": Problem::MachineBoundBuild, "path": path, "step": what, "launcher_home": home}))),
            );
            return;
        }
        out.push(
            Finding::warn(format!(
                "{}: {why}; use a path relative to the project (or $HOME, ~) and run the step as yourself",
                f.at(key)
            ))
            .with_evidence(f.evidence(key, json!({"problem": Problem::MachineBoundBuild, "path": path, "step": what}))),
        );
    };
    for step in build_steps(f) {
        let words = std::iter::once(step.dir.to_string_lossy().into_owned())
            .chain(step.words.iter().cloned())
            .chain(step.redirects.iter().map(|r| r.target.clone()));
        for word in words {
            for path in home_paths(&word) {
                let what = format!("`{}` names {path}, one machine's home folder", step.line);
                report(step.key, what, Some(path));
            }
        }
        if let Some(user) = other_user(&step.words) {
            let what = format!("`{}` runs as user {user}", step.line);
            report(step.key, what, None);
        }
    }
    let b = &f.ctx.project.air.build;
    for (key, value) in [
        ("build.bin", Some(&b.bin)),
        ("build.full_bin", Some(&b.full_bin)),
        ("build.entrypoint", b.entrypoint.as_ref()),
    ] {
        for path in value.map(|v| home_paths(v)).unwrap_or_default() {
            let what = format!("{} names {path}, one machine's home folder", &key[6..]);
            report(key, what, Some(path));
        }
    }
}

/// The home-folder paths in `text`.
fn home_paths(text: &str) -> Vec<String> {
    HOME_PATH
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect()
}

/// The home folder a home path is in: `/home/alice/src` -> `/home/alice` (None for a
/// Windows or WSL path).
fn home_folder(path: &str) -> Option<String> {
    let mut parts = path.split('/');
    let (Some(""), Some(top @ ("home" | "Users")), Some(user)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(format!("/{top}/{user}"))
}

/// The user `su - USER`, `su USER -c ...` or `sudo -u USER` switches to.
fn other_user(words: &[String]) -> Option<String> {
    let program = crate::shell::program_words(words);
    // sudo is a wrapper: it stands before the program's words.
    let wrappers = &words[..words.len() - program.len()];
    let sudo = wrappers
        .iter()
        .position(|w| w.rsplit('/').next() == Some("sudo"));
    if let Some(at) = sudo {
        let opts = &wrappers[at + 1..];
        return opts
            .windows(2)
            .find(|w| w[0] == "-u" || w[0] == "--user")
            .map(|w| w[1].clone())
            .or_else(|| {
                opts.iter()
                    .find_map(|w| w.strip_prefix("--user=").map(str::to_string))
            });
    }
    if crate::shell::program(program) != "su" {
        return None;
    }
    let mut rest = program[1..].iter();
    while let Some(w) = rest.next() {
        match w.as_str() {
            "-c" | "--command" | "-s" | "--shell" | "-g" | "--group" => {
                rest.next();
            }
            w if w.starts_with('-') => {}
            user => return Some(user.to_string()),
        }
    }
    Some("root".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(line: &str) -> Vec<String> {
        crate::shell::commands(line)[0].words.clone()
    }

    #[test]
    fn home_folders_of_every_system() {
        assert_eq!(
            home_paths("-ldflags=-X main.root=/home/alice/src/shop"),
            vec!["/home/alice/src/shop"]
        );
        assert_eq!(
            home_paths("/Users/bob/go/bin/app"),
            vec!["/Users/bob/go/bin/app"]
        );
        assert_eq!(
            home_paths(r"C:\Users\carol\proj\tmp\main.exe"),
            vec![r"C:\Users\carol\proj\tmp\main.exe"]
        );
        assert_eq!(
            home_paths("/mnt/c/MAMP/htdocs/app"),
            vec!["/mnt/c/MAMP/htdocs/app"]
        );
        for portable in [
            "./tmp/main",
            "$HOME/go/bin/templ",
            "~/bin/x",
            "/home",
            "/usr/local/bin/templ",
            "tmp/home/a/b",
        ] {
            assert!(home_paths(portable).is_empty(), "{portable}");
        }
    }

    #[test]
    fn switched_users() {
        assert_eq!(
            other_user(&w("su - alice -c 'go build'")),
            Some("alice".into())
        );
        assert_eq!(
            other_user(&w("sudo -u www-data templ generate")),
            Some("www-data".into())
        );
        assert_eq!(other_user(&w("sudo --user=bob make")), Some("bob".into()));
        assert_eq!(other_user(&w("sudo make")), None);
        assert_eq!(other_user(&w("go build")), None);
    }

    #[test]
    fn the_home_folder_of_a_path() {
        assert_eq!(
            home_folder("/home/exedev/go/bin/air").as_deref(),
            Some("/home/exedev")
        );
        assert_eq!(home_folder("/Users/bob/x").as_deref(), Some("/Users/bob"));
        assert_eq!(home_folder(r"C:\Users\carol\x"), None);
        assert_eq!(home_folder("/mnt/c/x"), None);
    }
}
