//! What a container's image has on PATH, as far as its Dockerfile tells: the base image at
//! the root of the running stage's `FROM` chain, known by name (golang, alpine, debian,
//! ubuntu, cosmtrek/air), then what each stage on the way installs (`go install`, `apk add`,
//! `apt-get install`, `npm i -g`, `corepack enable`, a download, unpack or move that names
//! the program, a copied binary, `COPY --from` of another stage's bin folder). Whatever may
//! install what cannot be told (a script, `curl ... | sh`, `make`, an unknown base image, a
//! folder copied from another image) makes the answer unknown, never "absent".

use crate::shell;

/// The programs a known base image decides: it has them only as [`Base::has`] lists, so one
/// nothing installs is surely absent. Others (sh, cp, git) are never judged.
const DECIDED: &[&str] = &[
    "go",
    "gofmt",
    "make",
    "node",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "templ",
    "task",
    "sqlc",
    "swag",
    "mockgen",
    "stringer",
    "wire",
    "buf",
    "gqlgen",
    "oapi-codegen",
    "protoc",
    "protoc-gen-go",
    "tailwindcss",
    "air",
];

/// A base image known by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// `golang:1.22`, `golang:1.22-bookworm`: Debian with go, make, gcc and git.
    Golang,
    /// `golang:1.22-alpine`: Alpine with go alone.
    GolangAlpine,
    /// `cosmtrek/air`, `air-verse/air`: golang (Debian) with air.
    Air,
    Alpine,
    /// debian, ubuntu.
    Debian,
}

impl Base {
    fn of(image: &str) -> Option<Base> {
        let image = image.split('@').next().unwrap_or(image);
        let (name, tag) = match image.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, t),
            _ => (image, ""),
        };
        let name = name
            .strip_prefix("docker.io/")
            .or_else(|| name.strip_prefix("index.docker.io/"))
            .unwrap_or(name);
        let name = name.strip_prefix("library/").unwrap_or(name);
        if tag.contains("windows") || tag.contains("nanoserver") {
            return None;
        }
        Some(match name {
            "golang" if tag.contains("alpine") => Base::GolangAlpine,
            "golang" => Base::Golang,
            "cosmtrek/air" | "air-verse/air" => Base::Air,
            "alpine" => Base::Alpine,
            "debian" | "ubuntu" => Base::Debian,
            _ => return None,
        })
    }

    fn has(self, program: &str) -> bool {
        match self {
            Base::Golang => matches!(program, "go" | "gofmt" | "make"),
            Base::GolangAlpine => matches!(program, "go" | "gofmt"),
            Base::Air => matches!(program, "go" | "gofmt" | "make" | "air"),
            Base::Alpine | Base::Debian => false,
        }
    }

    /// Whether its packages come from apk (else apt).
    pub fn is_alpine(self) -> bool {
        matches!(self, Base::GolangAlpine | Base::Alpine)
    }
}

/// Whether an image has a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Has {
    Yes,
    /// Surely absent: the base is known, every instruction was read, nothing installs it.
    No,
    Unknown,
}

/// What an image has on PATH.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Programs {
    /// The Dockerfile it was read from (repository-relative), set by the launcher's reader;
    /// empty for an image started as it is.
    pub dockerfile: String,
    /// The running stage's name, when it has one.
    pub stage: Option<String>,
    /// The image at the root of the `FROM` chain, as written.
    pub base_image: String,
    pub base: Option<Base>,
    pub(super) installed: Vec<String>,
    pub(super) unsure: bool,
    /// A `RUN` installs a package.json's dependencies into node_modules (`npm install`,
    /// `npm ci`, `pnpm install`, `yarn`): its tools are in node_modules/.bin, which `npm run`
    /// and `npx` put on PATH.
    pub node_modules: bool,
}

/// Where a `COPY` takes its files from.
pub(super) enum Copied<'a> {
    /// The build context.
    Context,
    /// An earlier stage of the same Dockerfile.
    Stage(&'a Programs),
    /// Another image (`COPY --from=golang:1.22 ...`).
    Image,
}

impl Programs {
    /// An image started as it is (`image: golang:1.22`) or a stage's external base.
    pub fn image(name: &str) -> Programs {
        let base = Base::of(name);
        Programs {
            base_image: name.to_string(),
            base,
            unsure: base.is_none(),
            ..Programs::default()
        }
    }

    pub fn has(&self, program: &str) -> Has {
        if self.installed.iter().any(|p| p == program) || self.base.is_some_and(|b| b.has(program))
        {
            Has::Yes
        } else if self.unsure || self.base.is_none() || !DECIDED.contains(&program) {
            Has::Unknown
        } else {
            Has::No
        }
    }

    fn add(&mut self, program: &str) {
        if !self.installed.iter().any(|p| p == program) {
            self.installed.push(program.to_string());
        }
    }

    /// One `RUN` instruction (its text after `RUN`).
    pub(super) fn run(&mut self, rest: &str) {
        let run = crate::shell::run_commands(rest);
        let Some(commands) = run.commands else {
            self.unsure = true; // a heredoc script
            return;
        };
        let named = named_programs(run.text);
        for (s, _) in &commands {
            self.command(&s.words, &named);
        }
    }

    /// One simple command of a `RUN`; `named` are the decided programs the whole instruction
    /// names (a download URL, an archive, a file moved into place).
    fn command(&mut self, words: &[String], named: &[&'static str]) {
        let w = shell::program_words(words);
        let Some(first) = w.first() else { return };
        let program = first.rsplit('/').next().unwrap_or(first);
        let args: Vec<&str> = w[1..].iter().map(String::as_str).collect();
        let operands = |from: usize| -> Vec<&str> {
            args.iter()
                .skip(from)
                .copied()
                .filter(|a| !a.starts_with('-'))
                .collect()
        };
        let after = |word: &str| args.iter().position(|a| *a == word).map(|i| i + 1);
        match program {
            "go" if matches!(args.first(), Some(&"install" | &"get")) => {
                for pkg in operands(1) {
                    match go_command_name(pkg) {
                        Some(name) => self.add(name),
                        None => self.unsure = true,
                    }
                }
            }
            "apk" if args.first() == Some(&"add") => self.packages(&operands(1)),
            "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "zypper" => {
                if let Some(i) = after("install") {
                    self.packages(&operands(i));
                }
            }
            "npm" | "pnpm" | "bun"
                if args.iter().any(|a| matches!(*a, "-g" | "--global"))
                    && matches!(args.first(), Some(&"i" | &"install" | &"add")) =>
            {
                self.node_packages(&operands(1));
            }
            "yarn" if args.starts_with(&["global", "add"]) => self.node_packages(&operands(2)),
            // A project install: package.json's dependencies into node_modules.
            "npm" | "pnpm" | "bun" | "yarn"
                if matches!(args.first(), Some(&"i" | &"install" | &"ci"))
                    || (program == "yarn" && args.first().is_none_or(|a| a.starts_with('-'))) =>
            {
                self.node_modules = true;
            }
            "corepack" if args.first() == Some(&"enable") => {
                self.add("pnpm");
                self.add("yarn");
            }
            // A download, unpack or move that names the program (`curl -L .../sqlc_1.27.0_linux
            // _amd64.tar.gz | tar -xz -C /usr/local/bin`, `mv templ /usr/local/bin/`).
            "curl" | "wget" | "tar" | "unzip" | "mv" | "cp" | "install" | "ln" => {
                for p in named {
                    self.add(p);
                }
            }
            "sh" | "bash" | "ash" | "dash" | "zsh" if shell::shell_c_script(w).is_some() => {}
            // A script, a shell reading stdin (`curl ... | sh`), a task runner: it may
            // install anything.
            "sh" | "bash" | "ash" | "dash" | "zsh" | "source" | "." | "eval" | "make" | "task"
            | "just" | "mage" | "nix" | "nix-env" | "asdf" | "mise" => self.unsure = true,
            _ if first.contains('/') => self.unsure = true,
            _ => {}
        }
    }

    /// Distribution packages: each provides the decided programs its name's parts are
    /// (`go-task`, `nodejs-npm`), with the packages named otherwise (`golang-go`, `nodejs`,
    /// `protobuf-compiler`, and the meta-packages that bring make).
    fn packages(&mut self, names: &[&str]) {
        for pkg in names {
            let pkg = pkg.split(['=', '~']).next().unwrap_or(pkg);
            if matches!(pkg, "build-base" | "alpine-sdk" | "build-essential") {
                self.add("make");
            }
            for part in pkg.split('-') {
                let gives: &[&str] = match part {
                    "golang" => &["go", "gofmt"],
                    "go" => &["go", "gofmt"],
                    "nodejs" => &["node"],
                    "npm" => &["npm", "npx"],
                    "protobuf" => &["protoc"],
                    p => match DECIDED.iter().find(|d| **d == p) {
                        Some(d) => std::slice::from_ref(d),
                        None => &[],
                    },
                };
                for g in gives {
                    self.add(g);
                }
            }
        }
    }

    /// `npm install -g tailwindcss@3 @tailwindcss/cli pnpm`: the package's name and its scope's.
    fn node_packages(&mut self, names: &[&str]) {
        for pkg in names {
            let bare = pkg.trim_start_matches('@');
            let bare = bare.split('@').next().unwrap_or(bare);
            for part in bare.split('/') {
                self.add(part);
            }
            if *pkg == "npm" {
                self.add("npx");
            }
        }
    }

    /// A `COPY`/`ADD` of `sources` to `dest` from `from`.
    pub(super) fn copy(&mut self, sources: &[String], dest: &str, from: Copied) {
        let base = |p: &str| {
            let p = p.trim_end_matches('/');
            p.rsplit('/').next().unwrap_or(p).to_string()
        };
        let mut named = false;
        for name in sources.iter().map(|s| base(s)).chain([base(dest)]) {
            if DECIDED.contains(&name.as_str()) {
                self.add(&name);
                named = true;
            }
        }
        if named {
            return;
        }
        // A bin folder, or a whole prefix (`/usr/local`), brings programs not named here.
        let bin = |p: &str| matches!(base(p).as_str(), "bin" | "sbin");
        let prefix = |p: &str| {
            let p = p.trim_end_matches('/');
            matches!(p, "" | "/usr" | "/usr/local" | "/go" | "/root")
                || p.starts_with("/opt")
                || p.starts_with("/root/")
        };
        match from {
            Copied::Stage(stage) if sources.iter().any(|s| bin(s)) => {
                for p in &stage.installed {
                    self.add(p);
                }
                self.unsure |= stage.unsure || stage.base.is_none();
            }
            Copied::Stage(_) | Copied::Image if sources.iter().any(|s| bin(s) || prefix(s)) => {
                self.unsure = true;
            }
            Copied::Context if bin(dest) || prefix(dest) => self.unsure = true,
            _ => {}
        }
    }
}

/// The decided programs a `RUN` names as words (`sqlc` in `sqlc_1.27.0_linux_amd64.tar.gz`).
fn named_programs(text: &str) -> Vec<&'static str> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .collect();
    DECIDED
        .iter()
        .copied()
        .filter(|p| words.contains(p))
        .collect()
}

/// The command `go install PKG@v` writes: the package path's last element, the one before
/// a major version suffix (`.../oapi-codegen/v2` is oapi-codegen); None for a pattern.
fn go_command_name(pkg: &str) -> Option<&str> {
    let path = pkg.split('@').next().unwrap_or(pkg).trim_end_matches('/');
    if path.contains("...") || path.contains('$') {
        return None;
    }
    let mut parts = path.rsplit('/');
    let last = parts.next()?;
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    match is_major {
        true => parts.next(),
        false => Some(last),
    }
    .filter(|n| !n.is_empty() && *n != ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(base: &str, runs: &[&str]) -> Programs {
        let mut p = Programs::image(base);
        for r in runs {
            p.run(r);
        }
        p
    }

    #[test]
    fn installs_are_read_and_scripts_make_it_unknown() {
        let p = after(
            "golang:1.22-alpine",
            &[
                "apk add --no-cache git make=4.4-r1",
                "--mount=type=cache,target=/go/pkg/mod go install github.com/a-h/templ/cmd/templ@v0.3.1001 github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@latest",
                "curl -sSL https://downloads.sqlc.dev/sqlc_1.27.0_linux_amd64.tar.gz | tar -xz -C /usr/local/bin",
                "npm install -g @tailwindcss/cli",
            ],
        );
        for yes in ["go", "make", "templ", "oapi-codegen", "sqlc", "tailwindcss"] {
            assert_eq!(p.has(yes), Has::Yes, "{yes}");
        }
        assert_eq!(p.has("swag"), Has::No);
        assert_eq!(p.has("sed"), Has::Unknown, "not a decided program");
        assert_eq!(after("golang:1.22", &[]).has("make"), Has::Yes);
        assert_eq!(after("golang:1.22-alpine", &[]).has("make"), Has::No);
        assert_eq!(
            after("golang:1.24-alpine", &["apk add --no-cache alpine-sdk git"]).has("make"),
            Has::Yes
        );
        assert_eq!(after("node:20", &[]).has("templ"), Has::Unknown);
        for script in [
            "curl -fsSL https://example.com/install.sh | sh",
            "./scripts/tools.sh",
            "make tools",
            "bash install-tools.sh",
        ] {
            assert_eq!(
                after("golang:1.22", &[script]).has("templ"),
                Has::Unknown,
                "{script}"
            );
        }
        assert_eq!(
            after(
                "golang:1.22",
                &["sh -c 'go install github.com/swaggo/swag/cmd/swag@latest'"]
            )
            .has("swag"),
            Has::Yes
        );
    }

    #[test]
    fn a_project_install_fills_node_modules() {
        for run in [
            "npm install",
            "npm ci",
            "pnpm install --frozen-lockfile",
            "yarn",
            "yarn install",
        ] {
            assert!(after("node:20", &[run]).node_modules, "{run}");
        }
        for run in [
            "npm install -g tailwindcss",
            "yarn global add pnpm",
            "npm run build",
        ] {
            assert!(!after("node:20", &[run]).node_modules, "{run}");
        }
    }

    #[test]
    fn copies_bring_what_they_name() {
        let mut builder = Programs::image("golang:1.22");
        builder.run("go install github.com/air-verse/air@latest && go install github.com/a-h/templ/cmd/templ@latest");
        let mut dev = Programs::image("golang:1.22-alpine");
        dev.copy(
            &["/go/bin/air".into()],
            "/usr/local/bin/air",
            Copied::Stage(&builder),
        );
        dev.copy(
            &["/go/pkg/mod".into()],
            "/go/pkg/mod",
            Copied::Stage(&builder),
        );
        assert_eq!((dev.has("air"), dev.has("templ")), (Has::Yes, Has::No));
        dev.copy(
            &["/go/bin/".into()],
            "/usr/local/bin/",
            Copied::Stage(&builder),
        );
        assert_eq!(dev.has("templ"), Has::Yes);
        dev.copy(&["/usr/local".into()], "/usr/local", Copied::Image);
        assert_eq!(dev.has("swag"), Has::Unknown);
    }
}
