//! The programs the build steps run (`templ generate && go build`, `task dev`, `make tw`) are
//! on PATH. A missing one makes every build fail (`cmd`) or, in a `pre_cmd`, is logged by air
//! and the build goes on without it (stale generated code) unless stop_on_error. Judged
//! with the doctor's PATH, which may not be the one air gets (an IDE, a Makefile that sets
//! it): a warning, naming where the program is when it was installed but not put on PATH.
//! When every launcher runs air in a container, judged with the image's programs instead
//! (`launch::Programs`, read from its Dockerfile): said only when the image surely lacks it.
//! A step that hands over to a task runner (`make bdebug`, `task dev`, `npm run build`) is
//! followed into the recipe lines it runs ([`super::task_runners`]): a program that a line
//! surely runs (not behind `||`, an `if`, a pipe, or a `-` make ignores) fails the recipe
//! and so the build; the finding names that line.

use super::commands::build_steps;
use super::config_file::{manual, AirFile};
use super::problems::Problem;
use crate::model::Finding;
use crate::reloaders::air::launch::{Base, Has};
use serde_json::json;
use std::path::PathBuf;

/// Shell builtins and keywords: nothing to find on PATH.
const SHELL: &[&str] = &[
    "cd", "export", "set", "unset", "echo", "printf", "test", "[", "true", "false", ":", "exit",
    "source", ".", "eval", "exec", "if", "then", "else", "elif", "fi", "for", "do", "done",
    "while", "until", "case", "esac", "read", "wait", "trap", "shift", "alias", "umask", "return",
    "local", "type", "command", "!", "{", "}", "time",
];

/// How the common build-step tools are installed.
const INSTALL: &[(&str, &str)] = &[
    ("templ", "go install github.com/a-h/templ/cmd/templ@latest"),
    (
        "task",
        "go install github.com/go-task/task/v3/cmd/task@latest",
    ),
    (
        "sqlc",
        "go install github.com/sqlc-dev/sqlc/cmd/sqlc@latest",
    ),
    ("swag", "go install github.com/swaggo/swag/cmd/swag@latest"),
    ("mockgen", "go install go.uber.org/mock/mockgen@latest"),
    ("dlv", "go install github.com/go-delve/delve/cmd/dlv@latest"),
    (
        "stringer",
        "go install golang.org/x/tools/cmd/stringer@latest",
    ),
    ("wire", "go install github.com/google/wire/cmd/wire@latest"),
    ("buf", "go install github.com/bufbuild/buf/cmd/buf@latest"),
    ("gqlgen", "go install github.com/99designs/gqlgen@latest"),
    (
        "oapi-codegen",
        "go install github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@latest",
    ),
    (
        "protoc-gen-go",
        "go install google.golang.org/protobuf/cmd/protoc-gen-go@latest",
    ),
    (
        "make",
        "install make (Debian/Ubuntu: sudo apt-get install make)",
    ),
    ("npx", "install Node.js (it brings npm and npx)"),
    ("npm", "install Node.js (it brings npm and npx)"),
    ("node", "install Node.js"),
    (
        "pnpm",
        "corepack enable (Node.js 16.13+), or npm install -g pnpm",
    ),
    (
        "yarn",
        "corepack enable (Node.js 16.13+), or npm install -g yarn",
    ),
];

pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    // In a container air runs with the image's PATH, not this machine's: what its Dockerfile
    // installs says what is there.
    let in_containers = !f.launches.is_empty() && f.launches.iter().all(|l| l.container.is_some());
    let mut seen: Vec<String> = vec![];
    let mut missing_runners: Vec<String> = vec![];
    // Each step's program, then the programs its `make TARGET`, `task X` or `npm run X`
    // surely runs (with the recipe line that runs it).
    let mut candidates: Vec<(super::commands::Step, Vec<String>, Option<Recipe>)> = vec![];
    // The programs a tool manager runs (`mise x -- templ generate` runs templ), with the step.
    let mut wrapped: Vec<(super::commands::Step, Vec<String>)> = vec![];
    // Programs a line installs when they are missing (`command -v swag || go install ...`).
    let mut on_demand: Vec<String> = vec![];
    // A config run only on Windows whose line PowerShell 5.1 rejects runs none of it (the
    // powershell-rejects finding says so); sh's reading of it (`&` backgrounds) is not air's.
    let windows_only = super::windows_config::windows_only_config(f).is_some();
    for step in build_steps(f) {
        if windows_only && super::powershell::rejected_51(&step.line).is_some() {
            continue;
        }
        let dir = f.ctx.project.root.join(&step.dir);
        let recipes = super::task_runners::expand(&step.words, &dir);
        on_demand.extend(installed_when_missing(&step.line));
        for r in &recipes {
            on_demand.extend(installed_when_missing(&r.line));
        }
        let words = step.words.clone();
        if let Some(inner) = super::tool_sources::mise_exec(&words) {
            wrapped.push((step.clone(), inner));
        }
        candidates.push((step.clone(), words, None));
        for r in recipes.into_iter().filter(|r| !r.ignored) {
            for words in sure_commands(&r.line) {
                let site = match r.site.rsplit_once(':') {
                    Some((file, line)) => format!(
                        "{}:{line}",
                        f.ctx
                            .project
                            .display_path(&crate::filepath::clean(&dir.join(file)))
                    ),
                    None => f
                        .ctx
                        .project
                        .display_path(&crate::filepath::clean(&dir.join(&r.site))),
                };
                let recipe = Recipe {
                    dir: r.dir.clone(),
                    runner: step.program().to_string(),
                    call: step.words.join(" "),
                    site,
                    line: r.line.clone(),
                };
                candidates.push((step.clone(), words, Some(recipe)));
            }
        }
    }
    // full_bin's first program: air runs full_bin through the shell after each build (`dlv
    // exec ./tmp/main ...`), so it must be on PATH where air runs, like a build step's.
    if let Some(step) = full_bin_step(f) {
        let words = step.words.clone();
        candidates.push((step, words, None));
    }
    for (step, words, recipe) in candidates {
        let program = crate::shell::program(&words).to_string();
        let first = crate::shell::program_words(&words)
            .first()
            .map(String::as_str);
        // A relative path (./bin/tailwindcss) the checkout lacks fails like a missing program.
        if let Some(path) = first.filter(|w| {
            w.contains('/')
                && recipe.is_none()
                && step.key != FULL_BIN
                && !in_containers
                && step.dir_known
                && !step.substituted
        }) {
            let dir = f.ctx.project.root.join(&step.dir);
            if let Some(why) = super::tool_sources::missing_relative(f, &dir, path) {
                relative_missing(f, &step, path, &why, out);
            }
        }
        // A path (./build.sh) or an expansion is not looked up on PATH by the shell; a
        // Windows shell is the windows-only-config finding's.
        if first
            .is_none_or(|w| w.contains('/') || w.contains("{{") || w.starts_with(['$', '(', '`']))
            || (recipe.is_none() && step.is_windows_shell())
            || (recipe.is_some() && WINDOWS_SHELLS.contains(&program.to_ascii_lowercase().as_str()))
            || on_demand.contains(&program)
            || SHELL.contains(&program.as_str())
            || seen.contains(&program)
            || recipe
                .as_ref()
                .is_some_and(|r| missing_runners.contains(&r.runner))
        {
            continue;
        }
        // A package.json script's program that package.json depends on is run from
        // node_modules/.bin where an install filled it.
        let dir = f
            .ctx
            .project
            .root
            .join(&step.dir)
            .join(recipe.as_ref().map_or(std::path::Path::new(""), |r| &r.dir));
        let local = recipe.as_ref().is_some_and(|r| {
            NODE_RUNNERS.contains(&r.runner.as_str()) || r.site.contains("package.json")
        }) && node_dependency(&dir, &program);
        // The image that surely lacks it; an image whose Dockerfile cannot tell says nothing.
        let lacking = match in_containers {
            true => f
                .launches
                .iter()
                .filter_map(|l| {
                    let c = l.container.as_ref()?;
                    Some((c, c.programs.as_ref()?))
                })
                .filter(|(c, p)| {
                    !(local
                        && ((p.node_modules
                            && c.keeps_image_folder(
                                &step.dir.join("node_modules").to_string_lossy(),
                            ))
                            || installed_on_host(&dir, &f.ctx.project.root)))
                })
                .map(|(_, p)| p)
                .find(|p| p.has(&program) == Has::No),
            false => None,
        };
        if (in_containers && lacking.is_none())
            || (!in_containers
                && (which::which(&program).is_ok()
                    || (local && installed_on_host(&dir, &f.ctx.project.root))))
        {
            continue;
        }
        seen.push(program.clone());
        // A runner that itself starts air with this config: whoever starts it has it.
        if let Some(how) = recipe
            .is_none()
            .then(|| super::tool_sources::started_through(f, &program))
            .flatten()
        {
            let at = f.at(step.key);
            let key = step.key.trim_start_matches("build.");
            out.push(
                Finding::info(format!(
                    "{at}: {key} runs `{program}`, which is not on PATH here; but {how}, so whoever starts air that way has it: nothing to do"
                ))
                .with_evidence(f.evidence(
                    step.key,
                    json!({"problem": Problem::RunnerNotHere, "program": program, "step": step.line}),
                )),
            );
            continue;
        }
        if recipe.is_none() {
            missing_runners.push(program.clone());
        }
        // What runs it: the step itself, or a recipe line the step's runner reads.
        let runs = match &recipe {
            None => format!("runs `{program}`"),
            Some(r) => format!(
                "runs `{}`, whose {} (`{}`) runs `{program}`",
                r.call, r.site, r.line
            ),
        };
        // air's buildRun: a failed pre_cmd ends the pre_cmds; then stop_on_error stops the
        // app and builds nothing, else the build runs without them.
        // A step sent to the background with `&` (`make gen & go build ...`): sh does not
        // wait for it and its exit status is not the line's (`sh -c 'false & true'` exits 0).
        let effect = match (step.key, f.ctx.project.air.build.stop_on_error) {
            (FULL_BIN, _) => "after each build air runs it with `sh -c`, which finds no such program, so the app never starts",
            (_, _) if step.background => "it runs in the background (`&`), so its failure is not the build's: that step fails on its own at each build while the rest goes on, and what it writes stays stale",
            // `templ generate; go build ...`: the line exits with go build's status.
            (_, _) if step.unheeded => "its exit status is not its line's (a `;`, `||` or pipe follows it), so air goes on as if it ran: that step fails at each build, and what it writes stays stale",
            ("build.cmd", _) => "every build fails",
            (_, true) => "air stops the app and builds nothing (stop_on_error)",
            (_, false) => "air logs \"failed to execute pre_cmd\" and builds without it and the pre_cmds after it",
        };
        let at = f.at(step.key);
        let key = step.key.trim_start_matches("build.");
        let (message, todo, image) = match lacking {
            Some(image) => {
                let add = image_install(&program, image.base);
                let (what, todo) = if image.dockerfile.is_empty() {
                    (
                        format!("the image {} has no {program}", image.base_image),
                        format!("build the image FROM {} with `{add}`", image.base_image),
                    )
                } else {
                    let place = match &image.stage {
                        Some(stage) => format!("the `{stage}` stage of {}", image.dockerfile),
                        None => image.dockerfile.clone(),
                    };
                    (
                        format!(
                            "{place} builds it FROM {} and no instruction installs {program}",
                            image.base_image
                        ),
                        format!("add `{add}` to {place}"),
                    )
                };
                (
                    format!("{at}: {key} {runs}, which the image air runs in does not have ({what}): {effect}"),
                    todo,
                    json!({"dockerfile": image.dockerfile, "stage": image.stage, "base": image.base_image}),
                )
            }
            None => {
                let (where_, todo) = match installed_off_path(&program) {
                    Some(dir) => (
                        format!(" (it is in {}, which is not on PATH)", dir.display()),
                        format!(
                            "export PATH=\"$PATH:{}\" (add it to your shell profile)",
                            dir.display()
                        ),
                    ),
                    None => (
                        String::new(),
                        INSTALL.iter().find(|(name, _)| *name == program).map_or(
                            format!("install {program} or put it on PATH"),
                            |(_, how)| how.to_string(),
                        ),
                    ),
                };
                (
                    format!("{at}: {key} {runs}, which is not on PATH{where_}: {effect}"),
                    todo,
                    serde_json::Value::Null,
                )
            }
        };
        let mut facts =
            json!({"problem": Problem::ToolNotFound, "program": program, "step": step.line});
        if !image.is_null() {
            facts["image"] = image;
        }
        if let Some(r) = &recipe {
            facts["recipe"] = json!({"site": r.site, "line": r.line});
        }
        out.push(
            Finding::warn(message)
                .with_evidence(f.evidence(step.key, facts))
                .with_fix(manual(todo)),
        );
    }
    wrapped_programs(f, wrapped, out);
}

/// `mise x -- PROG ...` runs PROG, which mise provides only when a mise config lists it (or
/// go.mod has a `tool` line for it); else it must be on PATH. On the host only.
fn wrapped_programs(
    f: &AirFile,
    wrapped: Vec<(super::commands::Step, Vec<String>)>,
    out: &mut Vec<Finding>,
) {
    let in_containers = !f.launches.is_empty() && f.launches.iter().all(|l| l.container.is_some());
    let mut seen: Vec<String> = vec![];
    for (step, words) in wrapped {
        let program = crate::shell::program(&words).to_string();
        let first = crate::shell::program_words(&words)
            .first()
            .map(String::as_str);
        if in_containers
            || !step.dir_known
            || first.is_none_or(|w| w.contains('/') || w.starts_with(['$', '(', '`']))
            || SHELL.contains(&program.as_str())
            || seen.contains(&program)
        {
            continue;
        }
        let dir = f.ctx.project.root.join(&step.dir);
        let Some(lacks) = super::tool_sources::mise_lacks(f, &dir, &program) else {
            continue;
        };
        if which::which(&program).is_ok() {
            continue;
        }
        seen.push(program.clone());
        let effect = match (step.key, f.ctx.project.air.build.stop_on_error) {
            (_, _) if step.background || step.unheeded => "its exit status is not its line's, so air goes on: that step fails at each build, and what it writes stays stale",
            ("build.cmd", _) => "every build fails",
            (_, true) => "air stops the app and builds nothing (stop_on_error)",
            (_, false) => "air logs \"failed to execute pre_cmd\" and builds without it and the pre_cmds after it",
        };
        let at = f.at(step.key);
        let key = step.key.trim_start_matches("build.");
        let todo = match INSTALL.iter().find(|(name, _)| *name == program) {
            Some((_, how)) if how.starts_with("go install ") => {
                let path = how.trim_start_matches("go install ");
                let (module, version) = path.split_once('@').unwrap_or((path, "latest"));
                format!("add `\"go:{module}\" = \"{version}\"` to the [tools] of mise.toml (then `mise install`), or {how}")
            }
            Some((_, how)) => format!("list {program} in mise.toml's [tools], or {how}"),
            None => format!("list {program} in mise.toml's [tools], or install it"),
        };
        out.push(
            Finding::warn(format!(
                "{at}: {key} runs `{}`: mise runs `{program}`, which mise does not provide ({lacks}) and go.mod has no `tool` line for, and which is not on PATH: {effect}",
                step.words.join(" ")
            ))
            .with_evidence(f.evidence(
                step.key,
                json!({"problem": Problem::ToolNotFound, "program": program, "step": step.line, "wrapper": "mise"}),
            ))
            .with_fix(manual(todo)),
        );
    }
}

/// A build step runs a relative program path the checkout does not hold.
fn relative_missing(
    f: &AirFile,
    step: &super::commands::Step,
    path: &str,
    why: &str,
    out: &mut Vec<Finding>,
) {
    let effect = match (step.key, f.ctx.project.air.build.stop_on_error) {
        (_, _) if step.background || step.unheeded => "its exit status is not its line's, so air goes on: that step fails at each build, and what it writes stays stale",
        ("build.cmd", _) => "every build fails (`not found`)",
        (_, true) => "air stops the app and builds nothing (stop_on_error)",
        (_, false) => "air logs \"failed to execute pre_cmd\" and builds without it and the pre_cmds after it",
    };
    let at = f.at(step.key);
    let key = step.key.trim_start_matches("build.");
    out.push(
        Finding::warn(format!(
            "{at}: {key} runs `{path}`, which is not in the checkout ({why}): {effect}"
        ))
        .with_evidence(f.evidence(
            step.key,
            json!({"problem": Problem::ToolNotFound, "program": path, "step": step.line, "relative": true}),
        ))
        .with_fix(manual(format!("put {path} there first (a setup step that fetches it for every platform), or run the program from PATH"))),
    );
}

/// The key of the command air runs the app with (cited by the finding).
const FULL_BIN: &str = "build.full_bin";

/// The first program full_bin runs (after any `cd`), as a step of its own.
fn full_bin_step(f: &AirFile) -> Option<super::commands::Step> {
    let line = f.ctx.project.air.build.full_bin.clone();
    // `tmp\server.exe`: written for Windows, which windows-only-config says.
    if line.trim().is_empty() || line.contains('\\') || line.to_ascii_lowercase().contains(".exe") {
        return None;
    }
    let mut first: Option<super::commands::Step> = None;
    crate::shell::parse(&line).walk(true, &mut |s, scope| {
        if first.is_some() || scope.substituted || crate::shell::program(&s.words) == "cd" {
            return;
        }
        first = Some(super::commands::Step {
            key: FULL_BIN,
            line: line.clone(),
            words: s.words.clone(),
            redirects: s.redirects.clone(),
            dir: scope.dir.clone(),
            dir_known: scope.dir_known,
            substituted: false,
            background: scope.background,
            unheeded: scope.unheeded,
        });
    });
    first
}

/// Programs a package of another name provides (its package.json `bin`).
const NODE_BINS: &[(&str, &str)] = &[("tsc", "typescript"), ("tsserver", "typescript")];

/// Package managers whose `run SCRIPT` puts the project's node_modules/.bin on PATH.
const NODE_RUNNERS: &[&str] = &["npm", "pnpm", "yarn", "bun"];

/// Whether `dir`'s package.json lists a package that provides `program` in dependencies or
/// devDependencies (`tailwindcss`, or a scoped `@tailwindcss/cli`).
fn node_dependency(dir: &std::path::Path, program: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("package.json")) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    ["dependencies", "devDependencies"].iter().any(|k| {
        json[k].as_object().is_some_and(|deps| {
            deps.keys().any(|name| {
                name == program
                    || NODE_BINS.contains(&(program, name.as_str()))
                    || name
                        .trim_start_matches('@')
                        .split('/')
                        .any(|part| part == program)
            })
        })
    })
}

/// Whether `dir`'s dependencies are installed on the host, or are installed there as its
/// setup says: a node_modules folder, or a lockfile with `npm install` (`npm ci`, `pnpm
/// install`, `yarn`) in a README or Makefile of `dir` or the project.
fn installed_on_host(dir: &std::path::Path, project: &std::path::Path) -> bool {
    if dir.join("node_modules").is_dir() {
        return true;
    }
    let locks = [
        "package-lock.json",
        "npm-shrinkwrap.json",
        "pnpm-lock.yaml",
        "yarn.lock",
        "bun.lockb",
        "bun.lock",
    ];
    if !locks.iter().any(|l| dir.join(l).is_file()) {
        return false;
    }
    let says_install = |folder: &std::path::Path| {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return false;
        };
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            (name.starts_with("readme") || name == "makefile" || name == "gnumakefile")
                && std::fs::read_to_string(e.path()).is_ok_and(|t| {
                    [
                        "npm install",
                        "npm i",
                        "npm ci",
                        "pnpm install",
                        "pnpm i",
                        "yarn install",
                        "bun install",
                    ]
                    .iter()
                    .any(|c| {
                        t.match_indices(c).any(|(i, _)| {
                            t[i + c.len()..]
                                .chars()
                                .next()
                                .is_none_or(|ch| ch.is_whitespace() || ch == '`' || ch == ';')
                        })
                    })
                })
        })
    };
    says_install(dir) || says_install(project)
}

/// Shells only Windows has (a step or recipe that runs one is Windows-only: judged by
/// windows-only-config, not as a missing program).
const WINDOWS_SHELLS: &[&str] = &["cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh"];

/// One info per make target a build step depends on whose recipe never runs
/// ([`super::task_runners::UpToDate`]): what it would regenerate stays as committed.
pub(super) fn never_run(f: &AirFile, out: &mut Vec<Finding>) {
    let mut seen: Vec<String> = vec![];
    for step in build_steps(f) {
        let dir = f.ctx.project.root.join(&step.dir);
        for u in super::task_runners::up_to_date(&step.words, &dir) {
            let site = match u.site.rsplit_once(':') {
                Some((file, line)) => format!(
                    "{}:{line}",
                    f.ctx
                        .project
                        .display_path(&crate::filepath::clean(&dir.join(file)))
                ),
                None => u.site.clone(),
            };
            if seen.contains(&site) {
                continue;
            }
            seen.push(site.clone());
            let (what, name) = match u.folder {
                true => ("folder", format!("{}/", u.target)),
                false => ("file", u.target.clone()),
            };
            let at = f.at(step.key);
            let key = step.key.trim_start_matches("build.");
            out.push(
                Finding::info(format!(
                    "{at}: {key} runs `{}`, but make never runs the recipe of `{}` ({site}): the {what} {name} exists, and `{}` is not .PHONY and has no prerequisites, so make says it is up to date and its output is never regenerated",
                    step.words.join(" "),
                    u.target,
                    u.target
                ))
                .with_evidence(f.evidence(
                    step.key,
                    json!({"problem": Problem::RecipeNeverRuns, "target": u.target, "site": site}),
                )),
            );
        }
    }
}

/// The programs `line` installs itself when they are missing: a presence test (`command -v
/// X`, `which X`, `type X`, `hash X`, PowerShell's `Get-Command X`) and an install naming X
/// (`go install .../X@latest`, `npm install -g X`) in the same line.
fn installed_when_missing(line: &str) -> Vec<String> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || ";|&()\"'`[]{}!".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let installs = words
        .iter()
        .any(|w| matches!(*w, "install" | "get" | "add"));
    if !installs {
        return vec![];
    }
    // `.../cmd/swag@latest` is swag.
    let name = |w: &str| -> String {
        let w = w.split('@').next().unwrap_or(w);
        w.rsplit('/').next().unwrap_or(w).to_string()
    };
    let mut out = vec![];
    for (i, w) in words.iter().enumerate() {
        let tested = match (*w, words.get(i + 1)) {
            ("command" | "type", Some(&"-v" | &"-p" | &"-P")) => words.get(i + 2),
            ("which" | "hash" | "type" | "Get-Command", next) => next,
            _ => None,
        };
        let Some(x) = tested.filter(|x| !x.starts_with('-')) else {
            continue;
        };
        let uses = words.iter().filter(|w| name(w) == *x).count();
        if uses >= 2 {
            out.push(x.to_string());
        }
    }
    out
}

/// A recipe line a build step's task runner runs (`make bdebug` -> scripts/makefile:79).
struct Recipe {
    /// The runner program (`make`).
    runner: String,
    /// The step as written (`make bdebug`).
    call: String,
    /// `scripts/makefile:79`, relative to the project.
    site: String,
    line: String,
    /// The folder the line runs in, relative to the step's (`cd web && $(MAKE) css`).
    dir: PathBuf,
}

/// The commands of a recipe line that surely run and fail the recipe when their program is
/// missing: those at the top level joined by `;` or `&&`, not a branch of an `if`/`case`,
/// a subshell, a pipeline or either side of `||` (`command -v wire || go install ...`).
fn sure_commands(line: &str) -> Vec<Vec<String>> {
    use crate::shell::{Joint, Node};
    let script = crate::shell::parse(line);
    let mut out = vec![];
    let mut before = Joint::Seq;
    for e in &script.entries {
        let sure =
            matches!(before, Joint::Seq | Joint::And) && matches!(e.then, Joint::Seq | Joint::And);
        if let (true, Node::Simple(s)) = (sure, &e.node) {
            out.push(s.words.clone());
            // `bash -c 'script'` is sh: its commands are read as sh too. Another
            // interpreter's script (`python -c`, `node -e`, `powershell -Command`) is not
            // sh: only the interpreter is a program.
            let w = crate::shell::program_words(&s.words);
            if matches!(
                crate::shell::program(&s.words),
                "sh" | "bash" | "zsh" | "dash" | "ash"
            ) {
                if let Some(at) = w.iter().position(|a| a == "-c") {
                    if let Some(script) = w.get(at + 1) {
                        out.extend(sure_commands(script));
                    }
                }
            }
        }
        before = e.then;
    }
    out
}

/// The Dockerfile line that puts `program` in an image of `base`.
fn image_install(program: &str, base: Option<Base>) -> String {
    let alpine = base.is_some_and(Base::is_alpine);
    let package = |apk: &str, apt: &str| match alpine {
        true => format!("RUN apk add --no-cache {apk}"),
        false => format!("RUN apt-get update && apt-get install -y {apt}"),
    };
    match program {
        "make" => package("make", "make"),
        "node" | "npm" | "npx" => package("nodejs npm", "nodejs npm"),
        "protoc" => package("protobuf", "protobuf-compiler"),
        "go" | "gofmt" => "FROM golang:<version> (an image with Go)".into(),
        "yarn" | "pnpm" | "tailwindcss" => format!("RUN npm install -g {program}"),
        _ => match INSTALL.iter().find(|(name, _)| *name == program) {
            Some((_, how)) if how.starts_with("go install") => format!("RUN {how}"),
            _ => format!("RUN <install {program}>"),
        },
    }
}

/// Where `go install` put `program`, when it is in one of its folders (from the environment
/// air gets; `go env` would run go for every missing tool).
fn installed_off_path(program: &str) -> Option<PathBuf> {
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    crate::golang::install_dirs(&env("GOBIN"), &env("GOPATH"))
        .into_iter()
        .find(|d| d.join(program).is_file())
}
