//! How a plain report runs the go command in a tree it does not trust.
//!
//! A report must not run a program the repository names. `build.cmd` is the repository's,
//! so its `go build` is rebuilt from an allowlist: flags that only change what is compiled
//! (`-tags`, `-trimpath`, `-race`, `-gcflags`, `-ldflags`, ...),
//! `VAR=value` prefixes that only pick a target (`GOOS`, `GOARCH`, `CGO_ENABLED`, ...), a
//! folder inside the project. Everything else (`-toolexec`, `-exec`, `-overlay`, `-modfile`,
//! `-mod=mod`, `CC=`, `GOFLAGS=`, `LD_PRELOAD=`, ...) is dropped and named, so the finding can
//! say what was not passed. `-gcflags`/`-ldflags` values keep only their allowlisted words
//! ([`tool_flags`]); a package word never starts with `-` and always follows `--`, so nothing
//! of build.cmd reaches go where go would read it as a flag. go itself always runs with
//! `GOTOOLCHAIN=local` (no toolchain download and switch), a read-only module mode, `GOFLAGS`
//! only from the user's own environment, in its own process group, and killed at a deadline
//! ([`spawn`]); and never when a file it reads first (go.work, go.mod, go.sum,
//! vendor/modules.txt) is a FIFO or device, which would hold it until that deadline
//! ([`SafeBuild::irregular_input`]).
//!
//! What still runs: go's own compiler and linker, and for a package that imports "C" the C
//! compiler (the user's `CC`) on the repository's C files. `--no-compile` skips all of it.

use crate::filepath::clean as lexical;
use crate::golang::build_plan::{BuildPlan, VALUE_FLAGS};
use crate::golang::modfile::{go_work_uses, local_replacements};
use crate::golang::tool_flags::{self, Tool};
use crate::system::spawn;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// `go build` flags passed through: they choose what is compiled, never run a program.
const KEPT_FLAGS: &[&str] = &[
    "tags", "trimpath", "race", "gcflags", "ldflags", "a", "p", "mod",
];

/// `VAR=value` prefixes passed through: they pick the target, never a program.
const KEPT_ENV: &[&str] = &[
    "CGO_ENABLED",
    "GOOS",
    "GOARCH",
    "GOAMD64",
    "GOARM",
    "GOARM64",
    "GO386",
    "GOMIPS",
    "GOMIPS64",
    "GOPPC64",
    "GORISCV64",
    "GOWASM",
    "GOEXPERIMENT",
];

/// A `go build` (or `go list`) of the plan that runs nothing the repository names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeBuild {
    pub flags: Vec<String>,
    pub env: Vec<(String, String)>,
    pub packages: Vec<String>,
    /// Where go runs: the plan's folder when it is inside the project, else the project.
    pub dir: PathBuf,
    /// What build.cmd had that was not passed, as written (`-toolexec=./x.sh`, `CC=./x.sh`).
    pub dropped: Vec<String>,
}

impl SafeBuild {
    pub fn new(plan: &BuildPlan, root: &Path) -> SafeBuild {
        let mut dropped = vec![];
        let mut dir = lexical(&plan.work_dir(root));
        if !dir.starts_with(root) {
            dropped.push(format!("cd {} (outside the project)", dir.display()));
            dir = root.to_path_buf();
        }
        let mut env = vec![];
        for (k, v) in &plan.env {
            if KEPT_ENV.contains(&k.as_str()) {
                env.push((k.clone(), v.clone()));
            } else {
                dropped.push(format!("{k}={v}"));
            }
        }
        let mut flags = vec![];
        let mut module_mode = None;
        let mut words = plan.flags.iter();
        while let Some(arg) = words.next() {
            let flag = arg.trim_start_matches('-');
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            let mut written = vec![arg.clone()];
            let value = match inline {
                Some(v) => Some(v),
                None if VALUE_FLAGS.contains(&name) => {
                    let v = words.next().cloned();
                    written.extend(v.clone());
                    v
                }
                None => None,
            };
            // A value flag last in build.cmd would take the doctor's next word as its value.
            if value.is_none() && VALUE_FLAGS.contains(&name) {
                dropped.push(arg.clone());
                continue;
            }
            if let ("gcflags" | "ldflags", Some(v)) = (name, &value) {
                let tool = if name == "gcflags" {
                    Tool::Compile
                } else {
                    Tool::Link
                };
                let screened = tool_flags::screen(tool, v);
                flags.extend(screened.kept.map(|k| format!("-{name}={k}")));
                dropped.extend(
                    screened
                        .dropped
                        .into_iter()
                        .map(|d| format!("{d} (in -{name})")),
                );
                continue;
            }
            // Always off (see [`SafeBuild::command`]): only a request to turn it on is news.
            if name == "buildvcs" {
                if !matches!(
                    value.as_deref(),
                    Some("false" | "0" | "f" | "F" | "FALSE" | "False")
                ) {
                    dropped.push(written.join(" "));
                }
                continue;
            }
            let keep = match name {
                "mod" => {
                    let ok = matches!(value.as_deref(), Some("readonly" | "vendor"));
                    if ok {
                        module_mode = value.clone();
                    }
                    ok
                }
                n => KEPT_FLAGS.contains(&n),
            };
            if keep && name != "mod" {
                flags.extend(written);
            } else if !keep {
                dropped.push(written.join(" "));
            }
        }
        // go.mod is never rewritten: vendor when asked or when vendor/modules.txt makes it
        // go's own default, read-only otherwise (-mod=mod would add requirements).
        let vendored = root.join("vendor/modules.txt").is_file();
        let mode =
            module_mode.unwrap_or_else(|| if vendored { "vendor" } else { "readonly" }.to_string());
        flags.push(format!("-mod={mode}"));
        let mut packages: Vec<String> = vec![];
        let words: Vec<String> = plan
            .packages
            .iter()
            .flat_map(|p| sh_glob(&dir, p))
            .collect();
        for p in &words {
            // Words after build.cmd's `--`: go would read this one as a flag.
            if p.starts_with('-') {
                dropped.push(format!("{p} (a package cannot start with -)"));
            } else if !lexical(&dir.join(p.trim_end_matches("/..."))).starts_with(root) {
                dropped.push(format!("{p} (outside the project)"));
            } else {
                packages.push(p.clone());
            }
        }
        if packages.is_empty() {
            packages.push(".".into());
        }
        SafeBuild {
            flags,
            env,
            packages,
            dir,
            dropped,
        }
    }

    /// `go build` into `out`/bin (go names the binary there), with `after` after the flags,
    /// bounded by `limit` (see [`spawn::run`]). go's own work folder goes in `out` too, so
    /// a build stopped at the limit (SIGKILL: go cannot clean up) leaves nothing in /tmp.
    /// Not run when [`SafeBuild::irregular_input`] names a file.
    pub fn build_into(
        &self,
        go_path: &Path,
        out: &BuildDir,
        after: &[String],
        limit: Duration,
    ) -> Result<spawn::Ended, String> {
        let bin = out.path.join("bin");
        std::fs::create_dir_all(&bin)
            .map_err(|e| format!("cannot create {}: {e}", bin.display()))?;
        let mut args = vec!["-o".to_string(), format!("{}/", bin.display())];
        args.extend(after.iter().cloned());
        let mut cmd = self.command(go_path, &["build"], &args)?;
        cmd.env("TMPDIR", &out.path);
        spawn::run(cmd, limit)
    }

    /// `go SUBCOMMAND [extra] flags [after] -buildvcs=false -- packages`, with the
    /// protections of [`go`]; an error naming the file when [`SafeBuild::irregular_input`]
    /// finds one. Stamping the binary with the commit runs git in the project, and git runs
    /// what the repository's own .git/config names (core.fsmonitor, filter drivers).
    pub fn command(
        &self,
        go_path: &Path,
        subcommand: &[&str],
        after: &[String],
    ) -> Result<Command, String> {
        if let Some(file) = self.irregular_input() {
            return Err(irregular_text(&file.display().to_string()));
        }
        let mut cmd = go(go_path);
        cmd.args(subcommand)
            .args(&self.flags)
            .args(after)
            .args(["-buildvcs=false", "--"])
            .args(&self.packages)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(&self.dir);
        Ok(cmd)
    }

    /// The first file the go command reads before it builds anything that is there but is
    /// not a regular file (a FIFO blocks go's read until a writer comes; a device never
    /// ends): go.work, found as go finds it (GOWORK, else upward from where go runs) with its
    /// go.work.sum, its vendor/modules.txt and the go.mod and go.sum of each module it uses;
    /// else the go.mod go finds upward, with its go.sum and vendor/modules.txt; and the go.mod
    /// of every module replaced by a folder. go itself refuses irregular files named by
    /// `//go:embed`, and compile checks the main package's own `.go` files.
    pub fn irregular_input(&self) -> Option<PathBuf> {
        let irregular = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.is_file());
        // How go looks for go.work and go.mod: a directory of that name is passed over, a
        // missing entry or a link to nothing too, anything else is the file.
        let upward = |name: &str| {
            self.dir
                .ancestors()
                .map(|d| d.join(name))
                .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()))
        };
        let gowork = std::env::var_os("GOWORK").unwrap_or_default();
        let work = match gowork.to_str() {
            Some("off") => None,
            Some("" | "auto") => upward("go.work"),
            _ => Some(self.dir.join(&gowork)),
        };
        // A module replaced by a folder: go reads that folder's go.mod.
        let replaced = |dir: &Path, text: &str| -> Vec<PathBuf> {
            local_replacements(text)
                .into_iter()
                .map(|r| dir.join(r).join("go.mod"))
                .collect()
        };
        let (base, modules, mut files) = match &work {
            Some(w) => {
                if irregular(w) {
                    return Some(w.clone());
                }
                let base = w.parent().unwrap_or(Path::new("/")).to_path_buf();
                let text = crate::system::files::read_to_string(w).unwrap_or_default();
                let mut sum = w.clone().into_os_string();
                sum.push(".sum");
                let mut files = vec![PathBuf::from(sum)];
                files.extend(replaced(&base, &text));
                let uses = go_work_uses(&text).iter().map(|u| base.join(u)).collect();
                (base, uses, files)
            }
            None => {
                let go_mod = upward("go.mod")?;
                let base = go_mod.parent().unwrap_or(Path::new("/")).to_path_buf();
                (base.clone(), vec![base], vec![])
            }
        };
        files.push(base.join("vendor/modules.txt"));
        for m in modules {
            let go_mod = m.join("go.mod");
            if irregular(&go_mod) {
                return Some(go_mod);
            }
            let text = crate::system::files::read_to_string(&go_mod).unwrap_or_default();
            files.push(m.join("go.sum"));
            files.extend(replaced(&m, &text));
        }
        files.into_iter().find(|f| irregular(f))
    }
}

/// The command as a person would type it in the project folder.
pub fn shown_command(safe: &SafeBuild, root: &Path) -> String {
    let mut words: Vec<String> = vec![];
    if let Ok(rel) = safe.dir.strip_prefix(root) {
        if !rel.as_os_str().is_empty() {
            words.extend([
                "cd".to_string(),
                rel.display().to_string(),
                "&&".to_string(),
            ]);
        }
    }
    words.extend(safe.env.iter().map(|(k, v)| format!("{k}={v}")));
    words.extend(["go".into(), "build".into()]);
    words.extend(safe.flags.iter().map(|f| {
        if f.contains(' ') {
            format!("'{f}'")
        } else {
            f.clone()
        }
    }));
    words.extend(safe.packages.iter().cloned());
    words.join(" ")
}

/// A private folder under the system temp dir, removed when dropped.
pub struct BuildDir {
    pub path: PathBuf,
    /// Held while it lives, so that a doctor in another pid namespace sharing /tmp leaves it
    /// alone (see [`crate::system::folder_lock::hold`]).
    _held: Option<crate::system::folder_lock::Held>,
}

impl BuildDir {
    /// Created afresh (never an existing path, which in a shared /tmp could be someone
    /// else's), readable only by us.
    pub fn new() -> std::io::Result<BuildDir> {
        use std::os::unix::fs::DirBuilderExt;
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        loop {
            let path = std::env::temp_dir().join(format!(
                "reload-doctor-build-{}-{nanos}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => {
                    crate::system::interrupt::track_dir(&path);
                    let _held = crate::system::folder_lock::hold(&path);
                    return Ok(BuildDir { path, _held });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for BuildDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
        crate::system::interrupt::untrack_dir(&self.path);
    }
}

/// What a report says of a file [`SafeBuild::irregular_input`] names.
pub fn irregular_text(name: &str) -> String {
    format!(
        "{name} is not a regular file (a FIFO, socket, device or folder): the go command would wait on it until stopped, and so would every reload; replace it with the real file or remove it"
    )
}

/// The go command with what every run in a report needs: no toolchain switch, no input.
/// GOFLAGS is left as the user's environment has it (build.cmd cannot set it).
pub fn go(go_path: &Path) -> Command {
    let mut cmd = Command::new(go_path);
    cmd.env("GOTOOLCHAIN", "local").stdin(Stdio::null());
    cmd
}

/// `go env VARS...` read from `/`, where no go.mod or go.work can ask for another toolchain
/// (a shared temp folder could hold one), with a deadline. One line per variable.
pub fn go_env(go_path: &Path, vars: &[&str], env: &[(String, String)]) -> Result<String, String> {
    let mut cmd = Command::new(go_path);
    cmd.arg("env")
        .args(vars)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env_remove("GOWORK")
        .current_dir("/");
    match spawn::output(cmd, spawn::GO_ENV_LIMIT)? {
        (true, out, _) => Ok(String::from_utf8_lossy(&out).into_owned()),
        (false, _, err) => Err(format!("`go env` failed: {}", err.trim())),
    }
}

/// A package word as `sh -c` passes it to go: air runs build.cmd through the shell, so
/// `go build -o /tmp/x *.go` builds the folder's files, not a package named `*.go`. Each
/// segment with `*`, `?` or `[` is matched in `dir` (no hidden names unless the pattern
/// starts with `.`), sorted as sh sorts; a word that matches nothing stays as written, as sh
/// leaves it.
fn sh_glob(dir: &Path, word: &str) -> Vec<String> {
    if !word.contains(['*', '?', '[']) {
        return vec![word.to_string()];
    }
    let absolute = word.starts_with('/');
    let mut found: Vec<String> = vec![String::new()];
    for segment in word.split('/').filter(|s| !s.is_empty()) {
        let mut next = vec![];
        for prefix in &found {
            let base = if absolute {
                PathBuf::from(format!("/{prefix}"))
            } else {
                dir.join(prefix)
            };
            let join = |name: &str| match prefix.is_empty() {
                true => name.to_string(),
                false => format!("{prefix}/{name}"),
            };
            if !segment.contains(['*', '?', '[']) {
                next.push(join(segment));
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&base) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.') || segment.starts_with('.'))
                .filter(|n| crate::filepath::go_match(segment, n))
                .collect();
            names.sort();
            next.extend(names.iter().map(|n| join(n)));
        }
        found = next;
    }
    if found.is_empty() {
        return vec![word.to_string()];
    }
    let lead = if absolute { "/" } else { "" };
    found.into_iter().map(|f| format!("{lead}{f}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn package_globs_expand_as_sh_expands_them() {
        let t = tempfile::tempdir().unwrap();
        for f in ["main.go", "obs.go", ".hidden.go", "README.md"] {
            std::fs::write(t.path().join(f), "").unwrap();
        }
        std::fs::create_dir(t.path().join("cmd")).unwrap();
        std::fs::write(t.path().join("cmd/a.go"), "").unwrap();
        let g = |w: &str| super::sh_glob(t.path(), w);
        assert_eq!(g("*.go"), ["main.go", "obs.go"]);
        assert_eq!(g("./*.go"), ["./main.go", "./obs.go"]);
        assert_eq!(g("c*/*.go"), ["cmd/a.go"]);
        assert_eq!(g("*.rs"), ["*.rs"]);
        assert_eq!(g("./cmd/..."), ["./cmd/..."]);
    }

    use super::*;

    fn safe(cmd: &str) -> SafeBuild {
        SafeBuild::new(&BuildPlan::parse(cmd), Path::new("/nonexistent/p"))
    }

    #[test]
    fn keeps_what_is_compiled_and_drops_what_runs_programs() {
        let s = safe(
            "CC=./x.sh GOOS=linux GOFLAGS=-toolexec=./x go build -toolexec=./x.sh -exec ./y -overlay o.json \
             -modfile=m.mod -mod=mod -tags 'dev sql' -race -trimpath -ldflags '-s -w' \
             -gcflags=all=-N -o ./tmp/main ./cmd/api",
        );
        assert_eq!(
            s.flags,
            [
                "-tags",
                "dev sql",
                "-race",
                "-trimpath",
                "-ldflags=-s -w",
                "-gcflags=all=-N",
                "-mod=readonly"
            ]
        );
        assert_eq!(s.env, [("GOOS".to_string(), "linux".to_string())]);
        assert_eq!(
            s.dropped,
            [
                "CC=./x.sh",
                "GOFLAGS=-toolexec=./x",
                "-toolexec=./x.sh",
                "-exec ./y",
                "-overlay o.json",
                "-modfile=m.mod",
                "-mod=mod"
            ]
        );
        assert_eq!(s.packages, ["./cmd/api"]);
    }

    #[test]
    fn an_external_linker_in_ldflags_drops_the_flag() {
        for cmd in [
            "go build -ldflags '-linkmode external -extld ./x.sh' .",
            "go build -ldflags=-linkmode=external .",
            "go build -ldflags=all=-extldflags=-fuse-ld=./x .",
            "go build -gcflags -extld=x .",
        ] {
            let s = safe(cmd);
            assert_eq!(s.flags, ["-mod=readonly"], "{cmd}");
            assert!(
                !s.dropped.is_empty() && s.dropped.iter().all(|d| d.contains(" (in -")),
                "{cmd}: {:?}",
                s.dropped
            );
        }
        assert_eq!(safe("go build -mod vendor .").flags, ["-mod=vendor"]);
    }

    #[test]
    fn tool_flags_that_write_files_are_dropped_and_named() {
        let s = safe(
            "go build -ldflags='-s -o=/some/path -X main.v=1' -gcflags=all=-cpuprofile=FILE \
             -ldflags=-memprofile=FILE -gcflags '-N -bench=FILE' -ldflags=\"-linkmode\texternal\" .",
        );
        assert_eq!(
            s.flags,
            ["-ldflags=-s -X main.v=1", "-gcflags=-N", "-mod=readonly"]
        );
        assert_eq!(
            s.dropped,
            [
                "-o=/some/path (in -ldflags)",
                "-cpuprofile=FILE (in -gcflags)",
                "-memprofile=FILE (in -ldflags)",
                "-bench=FILE (in -gcflags)",
                "-linkmode external (in -ldflags)",
            ]
        );
    }

    #[test]
    fn a_value_flag_without_its_value_is_dropped() {
        for cmd in ["go build -ldflags", "go build -tags", "go build -gcflags"] {
            let s = safe(cmd);
            assert_eq!(s.flags, ["-mod=readonly"], "{cmd}");
            assert_eq!(s.dropped.len(), 1, "{cmd}");
        }
    }

    #[test]
    fn words_after_a_double_dash_never_reach_go_as_flags() {
        for cmd in [
            "go build -o ./tmp/main -- -toolexec=./evil.sh",
            "go build -o ./tmp/main -- -mod=mod .",
        ] {
            let s = safe(cmd);
            assert_eq!(s.packages, ["."], "{cmd}");
            assert_eq!(s.flags, ["-mod=readonly"], "{cmd}");
            assert!(
                s.dropped[0].ends_with("(a package cannot start with -)"),
                "{cmd}: {:?}",
                s.dropped
            );
            let cmd = s.command(Path::new("go"), &["list"], &[]).unwrap();
            let args: Vec<_> = cmd.get_args().collect();
            assert_eq!(
                args,
                ["list", "-mod=readonly", "-buildvcs=false", "--", "."]
            );
        }
    }

    fn fifo(path: &Path) {
        nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    }

    /// The files go reads before building, each made a FIFO in turn: named, and no command.
    #[test]
    fn a_fifo_go_would_read_first_is_named_and_nothing_runs() {
        let top = tempfile::tempdir().unwrap();
        let top = top.path().canonicalize().unwrap();
        let p = top.join("p");
        std::fs::create_dir_all(p.join("cmd")).unwrap();
        std::fs::create_dir_all(top.join("dep")).unwrap();
        std::fs::create_dir_all(top.join("used")).unwrap();
        std::fs::write(p.join("go.mod"), "module x\n\nreplace d => ../dep\n").unwrap();
        let plan = BuildPlan::parse("cd cmd && go build .");
        let found = || SafeBuild::new(&plan, &p).irregular_input();
        assert_eq!(found(), None);
        for file in ["go.sum", "vendor/modules.txt", "../dep/go.mod"] {
            let path = p.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            fifo(&path);
            assert_eq!(found(), Some(path.clone()), "{file}");
            let err = SafeBuild::new(&plan, &p)
                .command(Path::new("go"), &["list"], &[])
                .unwrap_err();
            assert!(err.contains(file.trim_start_matches("../")), "{err}");
            std::fs::remove_file(&path).unwrap();
        }
        // go.mod is looked for upward from where go runs: cmd/go.mod is the one go reads.
        fifo(&p.join("cmd/go.mod"));
        assert_eq!(found(), Some(p.join("cmd/go.mod")));
        std::fs::remove_file(p.join("cmd/go.mod")).unwrap();
        // go.work, above the project too, and the modules it uses.
        fifo(&top.join("go.work"));
        assert_eq!(found(), Some(top.join("go.work")));
        std::fs::remove_file(top.join("go.work")).unwrap();
        std::fs::write(
            top.join("go.work"),
            "go 1.22\n\nuse (\n\t./p\n\t./used\n)\n",
        )
        .unwrap();
        fifo(&top.join("used/go.mod"));
        assert_eq!(found(), Some(top.join("used/go.mod")));
        std::fs::remove_file(top.join("used/go.mod")).unwrap();
        fifo(&top.join("go.work.sum"));
        assert_eq!(found(), Some(top.join("go.work.sum")));
        std::fs::remove_file(top.join("go.work.sum")).unwrap();
        // A folder named go.work is passed over, as go does.
        std::fs::remove_file(top.join("go.work")).unwrap();
        std::fs::create_dir(top.join("go.work")).unwrap();
        assert_eq!(found(), None);
    }

    #[test]
    fn never_leaves_the_project() {
        let s = safe("cd ../.. && go build ../../etc /abs ./ok");
        assert_eq!(s.dir, Path::new("/nonexistent/p"));
        assert_eq!(s.packages, ["./ok"]);
        assert_eq!(s.dropped.len(), 3, "{:?}", s.dropped);
        let s = safe("cd cmd && go build .");
        assert_eq!(s.dir, Path::new("/nonexistent/p/cmd"));
    }
}
