//! What the reloader builds: the `go build` flags and packages of air's `build.cmd` (gin and
//! fresh build the project folder with plain `go build`). The `compile` check rebuilds the
//! same packages with the same flags; `signals` reads the main package's files.

use crate::shell;
use std::path::{Path, PathBuf};

/// `NAME=value` pairs.
type EnvVars = Vec<(String, String)>;

/// A `go build` the doctor can run in place of the reloader's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildPlan {
    /// `NAME=value` words before `go` (`CGO_ENABLED=0 go build ...`).
    pub env: EnvVars,
    /// The user's build flags, minus output and verbosity flags (`-o`, `-v`, `-x`, ...).
    pub flags: Vec<String>,
    /// Package arguments, relative to `dir`; never empty (`.` when the command names none).
    pub packages: Vec<String>,
    /// Where go runs, relative to the project: `cd DIR && go build ...` or `go build -C DIR`.
    pub dir: Option<String>,
    /// Set when the command is not a plain `go build` and `.` is built as an approximation.
    pub approximation: Option<String>,
    /// The `-o` argument as written (relative to `dir`), when there is one.
    pub output: Option<String>,
    /// Where the shell runs go: `dir` without a `-C` (sh expands `$(pwd)` there, before go
    /// changes folder).
    pub shell_dir: Option<String>,
}

/// `go build` flags that take a value as the next word when not written `-flag=value`.
pub(crate) const VALUE_FLAGS: &[&str] = &[
    "o",
    "p",
    "C",
    "asmflags",
    "buildmode",
    "compiler",
    "covermode",
    "coverpkg",
    // Not a `go build` flag (go run and go test have it), but written as one it takes a value.
    "exec",
    "gccgoflags",
    "gcflags",
    "installsuffix",
    "ldflags",
    "mod",
    "modfile",
    "overlay",
    "pgo",
    "pkgdir",
    "tags",
    "toolexec",
];

/// Flags that only change where output goes or how much is printed; the doctor sets its own.
const DROPPED_FLAGS: &[&str] = &["o", "v", "x", "n", "work", "json"];

impl BuildPlan {
    /// Parse a shell command line such as `CGO_ENABLED=0 go build -tags dev -o ./tmp/main ./cmd/api`.
    pub fn parse(cmd: &str) -> BuildPlan {
        let segments: Vec<Vec<String>> = crate::shell::commands(cmd)
            .into_iter()
            .map(|c| c.words)
            .collect();
        let mut dir: Option<PathBuf> = None;
        let mut shell_dir: Option<PathBuf> = None;
        let mut found = None;
        for words in &segments {
            if let [cd, target] = &words[..] {
                if cd == "cd" {
                    dir = Some(dir.unwrap_or_default().join(target));
                }
            }
            shell_dir.clone_from(&dir);
            found = go_build_args(words);
            if found.is_some() {
                break;
            }
        }
        let Some((env, args)) = found else {
            return BuildPlan {
                env: vec![],
                flags: vec![],
                packages: vec![".".into()],
                dir: None,
                output: None,
                shell_dir: None,
                approximation: Some(format!(
                    "build.cmd `{cmd}` is not a `go build`; built `.` instead"
                )),
            };
        };
        let mut flags = vec![];
        let mut packages = vec![];
        let mut output = None;
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if arg == "--" {
                packages.extend(args[i..].iter().cloned());
                break;
            }
            let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
                packages.push(arg.clone());
                continue;
            };
            let name = flag.split('=').next().unwrap_or(flag);
            let mut words = vec![arg.clone()];
            if !flag.contains('=') && VALUE_FLAGS.contains(&name) {
                if let Some(v) = args.get(i) {
                    words.push(v.clone());
                    i += 1;
                }
            }
            let value = || {
                words
                    .get(1)
                    .cloned()
                    .or(flag.split_once('=').map(|(_, v)| v.to_string()))
            };
            if name == "o" {
                output = value();
            }
            if name == "C" {
                if let Some(d) = words
                    .get(1)
                    .cloned()
                    .or(flag.split_once('=').map(|(_, v)| v.to_string()))
                {
                    dir = Some(dir.unwrap_or_default().join(d));
                }
            } else if !DROPPED_FLAGS.contains(&name) {
                flags.extend(words);
            }
        }
        if packages.is_empty() {
            packages.push(".".into());
        }
        let others = segments
            .iter()
            .filter(|w| w.first().is_some_and(|c| c != "cd") && go_build_args(w).is_none())
            .count();
        let approximation = (others > 0).then(|| {
            format!("build.cmd `{cmd}` runs more than `go build`; only the `go build` part was run")
        });
        BuildPlan {
            env,
            flags,
            packages,
            dir: dir.map(|d| d.display().to_string()),
            approximation,
            output,
            shell_dir: shell_dir.map(|d| d.display().to_string()),
        }
    }

    /// Where `-o` writes, below `root` (the folder air runs cmd in): relative to where go
    /// runs, but `$(pwd)/x`, `$PWD/x` are expanded by sh in its own folder before `-C`
    /// moves go (`go build -C src/server -o $(pwd)/tmp/main` writes `root/tmp/main`).
    pub fn output_path(&self, root: &Path) -> Option<PathBuf> {
        let output = self.output.as_deref()?;
        Some(match shell::pwd_relative(output) {
            Some(rest) => {
                let here = match &self.shell_dir {
                    Some(d) => root.join(clean(Path::new(d))),
                    None => root.to_path_buf(),
                };
                clean(&here.join(rest))
            }
            None => clean(&self.work_dir(root).join(output)),
        })
    }

    /// The folder go runs in.
    pub fn work_dir(&self, root: &Path) -> PathBuf {
        match &self.dir {
            Some(d) => root.join(clean(Path::new(d))),
            None => root.to_path_buf(),
        }
    }

    /// The main package's folder: the first package argument when it is a folder, the folder
    /// of the listed `.go` files, else the folder go runs in.
    pub fn main_dir(&self, root: &Path) -> PathBuf {
        let first = &self.packages[0];
        let dir = if first.ends_with(".go") {
            Path::new(first).parent().unwrap_or(Path::new(""))
        } else if first.starts_with('.') || first.starts_with('/') {
            Path::new(first.trim_end_matches("/..."))
        } else {
            // An import path: assume the module root.
            Path::new("")
        };
        self.work_dir(root).join(clean(dir))
    }

    /// The `.go` files the command lists explicitly (`go build -o x main.go util.go`), if any.
    pub fn listed_files(&self) -> Vec<&str> {
        self.packages
            .iter()
            .filter(|p| p.ends_with(".go"))
            .map(String::as_str)
            .collect()
    }
}

/// `./a/./b` -> `a/b`, so joined paths print cleanly.
fn clean(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect()
}

/// The env assignments and arguments after `go build`, when `words` is a `go build`.
fn go_build_args(words: &[String]) -> Option<(EnvVars, Vec<String>)> {
    let n = words.iter().take_while(|w| shell::is_assignment(w)).count();
    let env = words[..n]
        .iter()
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let rest = &words[n..];
    let go = rest.first()?;
    let is_go = go == "go" || go.ends_with("/go");
    (is_go && rest.get(1).is_some_and(|w| w == "build")).then(|| (env, rest[2..].to_vec()))
}

/// The program a command line runs (air's `full_bin`, e.g. `APP_ENV=dev ./tmp/main -v`): its
/// first word after `NAME=value` assignments.
pub fn program(command_line: &str) -> Option<String> {
    shell::commands(command_line)
        .into_iter()
        .next()?
        .words
        .into_iter()
        .find(|w| !shell::is_assignment(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(items: &[&str]) -> Vec<String> {
        items.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn keeps_the_output_as_written() {
        let out = |cmd: &str| BuildPlan::parse(cmd).output;
        assert_eq!(out("go build -o ./tmp/main ."), Some("./tmp/main".into()));
        assert_eq!(out("go build -o=bin/app ./cmd/api"), Some("bin/app".into()));
        assert_eq!(
            out("templ generate && go build -o \"./build/my app\" ."),
            Some("./build/my app".into())
        );
        assert_eq!(out("go build ."), None);
        assert_eq!(out("make build"), None);
    }

    #[test]
    fn program_skips_env_assignments() {
        assert_eq!(
            program("APP_ENV=dev ./tmp/main -v"),
            Some("./tmp/main".into())
        );
        assert_eq!(program("dlv exec ./tmp/main"), Some("dlv".into()));
        assert_eq!(program(""), None);
    }

    #[test]
    fn air_default_builds_dot() {
        let p = BuildPlan::parse("go build -o ./tmp/main .");
        assert_eq!(p.flags, Vec::<String>::new());
        assert_eq!(p.packages, s(&["."]));
        assert_eq!(p.approximation, None);
    }

    #[test]
    fn keeps_build_flags_and_env_drops_output() {
        let p = BuildPlan::parse(
            "CGO_ENABLED=0 go build -tags 'dev sqlite' -ldflags \"-s -w\" -gcflags=all=-N -race -mod vendor -v -o=./tmp/api ./cmd/api",
        );
        assert_eq!(p.env, vec![("CGO_ENABLED".into(), "0".into())]);
        assert_eq!(
            p.flags,
            s(&[
                "-tags",
                "dev sqlite",
                "-ldflags",
                "-s -w",
                "-gcflags=all=-N",
                "-race",
                "-mod",
                "vendor"
            ])
        );
        assert_eq!(p.packages, s(&["./cmd/api"]));
        assert_eq!(p.main_dir(Path::new("/p")), PathBuf::from("/p/cmd/api"));
    }

    #[test]
    fn chained_commands_use_the_go_build_part() {
        let p = BuildPlan::parse("templ generate && go build -o ./tmp/main ./cmd/web; echo ok");
        assert_eq!(p.packages, s(&["./cmd/web"]));
        assert!(p
            .approximation
            .unwrap()
            .contains("only the `go build` part"));
    }

    #[test]
    fn make_or_scripts_build_dot_and_say_so() {
        for cmd in [
            "make build",
            "./scripts/build.sh",
            "go run ./gen && make",
            "",
        ] {
            let p = BuildPlan::parse(cmd);
            assert_eq!(p.packages, s(&["."]), "{cmd}");
            assert!(
                p.approximation.unwrap().contains("not a `go build`"),
                "{cmd}"
            );
        }
    }

    #[test]
    fn cd_and_dash_c_move_where_go_runs() {
        let p = BuildPlan::parse("cd cmd/api && go build -o ../../tmp/main .");
        assert_eq!(p.dir.as_deref(), Some("cmd/api"));
        assert_eq!(p.work_dir(Path::new("/p")), PathBuf::from("/p/cmd/api"));
        assert_eq!(p.main_dir(Path::new("/p")), PathBuf::from("/p/cmd/api"));
        let p = BuildPlan::parse("go build -C ./cmd -tags x -o ../tmp/main ./api");
        assert_eq!(p.flags, s(&["-tags", "x"]));
        assert_eq!(p.main_dir(Path::new("/p")), PathBuf::from("/p/cmd/api"));
        assert_eq!(
            BuildPlan::parse("go build -C=web .").dir.as_deref(),
            Some("web")
        );
    }

    #[test]
    fn listed_files_give_their_folder() {
        let p = BuildPlan::parse("go build -o tmp/main cmd/server/main.go cmd/server/routes.go");
        assert_eq!(
            p.listed_files(),
            vec!["cmd/server/main.go", "cmd/server/routes.go"]
        );
        assert_eq!(p.main_dir(Path::new("/p")), PathBuf::from("/p/cmd/server"));
        let p = BuildPlan::parse("go build -o tmp/main example.com/x/cmd/y");
        assert_eq!(p.main_dir(Path::new("/p")), PathBuf::from("/p"));
    }

    /// sh expands `$(pwd)` where it runs go (after a `cd`), before `-C` moves go.
    #[test]
    fn a_pwd_output_is_where_the_shell_runs() {
        let out = |cmd: &str| BuildPlan::parse(cmd).output_path(Path::new("/p"));
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(
            out("go build -C src/server -o \"$(pwd)/tmp/main\" main.go"),
            p("/p/tmp/main")
        );
        assert_eq!(out("go build -C src -o ${PWD}/bin/app ."), p("/p/bin/app"));
        assert_eq!(
            out("cd api && go build -C cmd -o $PWD/tmp/main ."),
            p("/p/api/tmp/main")
        );
        assert_eq!(out("go build -C src -o `pwd`/x ."), p("/p/x"));
        assert_eq!(out("go build -C src -o ./tmp/main ."), p("/p/src/tmp/main"));
        assert_eq!(out("go build -C src -o $PWDX/tmp ."), p("/p/src/$PWDX/tmp"));
        assert_eq!(out("go build ."), None);
    }
}
