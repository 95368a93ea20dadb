//! Build failures caused by code or files that are made, not committed: a package of the
//! module that sqlc, buf or gqlgen generates, or a `//go:embed web/dist` folder the frontend
//! build writes. The error Go prints does not say so; the repository's own files do
//! (`sqlc.yaml`, `buf.gen.yaml`, `package.json`, a Makefile target), and they name the
//! command that creates what is missing. Nothing is run: the files are only read.

use std::path::Path;

/// The command that creates what is missing, and the file that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Producer {
    pub command: String,
    pub because: String,
    /// The program that does the work (`templ`, `sqlc`, `npm`), for finding a build step
    /// that already runs it, directly or through make.
    pub tool: String,
}

impl Producer {
    /// Whether the shell line `step` runs this producer: its command, or its tool.
    pub fn run_by(&self, step: &str) -> bool {
        step.contains(&self.command)
            || (self.tool != "go"
                && crate::shell::commands(step)
                    .iter()
                    .flat_map(|c| &c.words)
                    .any(|w| w.rsplit('/').next() == Some(self.tool.as_str())))
    }
}

/// Generators known by their config file: (file names, command).
const GENERATORS: [(&[&str], &str); 4] = [
    (&["sqlc.yaml", "sqlc.yml", "sqlc.json"], "sqlc generate"),
    (&["buf.gen.yaml", "buf.gen.yml"], "buf generate"),
    (
        &["gqlgen.yml", "gqlgen.yaml"],
        "go run github.com/99designs/gqlgen generate",
    ),
    (
        &["oapi-codegen.yaml", "oapi-codegen.yml"],
        "go generate ./...",
    ),
];

/// What creates the missing package folder `rel_dir` (relative to the module root `root`):
/// a Makefile target that runs a known generator, else the generator's config file.
pub fn for_missing_package(root: &Path, rel_dir: &str) -> Option<Producer> {
    // templ: the folder holds `.templ` files and their `_templ.go` are not committed.
    if has_templ_files(&root.join(rel_dir)) {
        let because = format!("{rel_dir}/ has .templ files");
        return Some(match make_target_running(root, "templ") {
            Some(target) => Producer {
                command: format!("make {target}"),
                because: format!("Makefile target {target} runs templ; {because}"),
                tool: "templ".into(),
            },
            None => Producer {
                command: "templ generate".into(),
                because,
                tool: "templ".into(),
            },
        });
    }
    // swag writes its `docs` package (`swag init`, output `./docs` unless `-o`): a Makefile
    // target that runs swag, or the swag module required by go.mod, says so.
    if Path::new(rel_dir).file_name().is_some_and(|n| n == "docs") {
        // The recipe's own swag line: the target may run it through `docker compose exec`,
        // which cannot work where air runs.
        if let Some(target) = make_target_running(root, "swag") {
            let line = swag_line(root);
            return Some(Producer {
                command: line.clone().unwrap_or_else(|| format!("make {target}")),
                because: format!("Makefile target {target} runs swag"),
                tool: "swag".into(),
            });
        }
        let go_mod = crate::system::files::read_to_string(root.join("go.mod")).unwrap_or_default();
        if go_mod.contains("github.com/swaggo/swag") {
            return Some(Producer {
                command: "swag init".into(),
                because: "go.mod requires github.com/swaggo/swag, whose `swag init` writes docs/"
                    .into(),
                tool: "swag".into(),
            });
        }
    }
    // The config sits at the root or in a folder on the way to the package (`db/sqlc.yaml`).
    let mut dirs = vec![root.to_path_buf()];
    let mut d = root.to_path_buf();
    for part in Path::new(rel_dir).components() {
        d.push(part);
        dirs.push(d.clone());
    }
    for (names, command) in GENERATORS {
        for dir in &dirs {
            let Some(name) = names.iter().find(|n| dir.join(n).is_file()) else {
                continue;
            };
            let config = dir.join(name);
            let shown = config
                .strip_prefix(root)
                .unwrap_or(&config)
                .display()
                .to_string();
            let tool = command.split_whitespace().next().unwrap_or(command);
            if let Some(target) = make_target_running(root, tool) {
                return Some(Producer {
                    command: format!("make {target}"),
                    because: format!("Makefile target {target} runs {tool}; {shown}"),
                    tool: tool.to_string(),
                });
            }
            let command = if dir == root {
                command.to_string()
            } else {
                let rel = dir.strip_prefix(root).unwrap_or(dir).display();
                format!("cd {rel} && {command}")
            };
            return Some(Producer {
                command,
                because: shown,
                tool: tool.to_string(),
            });
        }
    }
    None
}

/// The first Makefile recipe line's words from `swag` on (`swag init -g cmd/api/main.go -o docs`),
/// when they hold no make variable.
fn swag_line(root: &Path) -> Option<String> {
    let text = ["Makefile", "makefile", "GNUmakefile"]
        .iter()
        .find_map(|n| crate::system::files::read_to_string(root.join(n)).ok())?;
    text.lines()
        .filter_map(|l| l.strip_prefix('\t'))
        .find_map(|recipe| {
            let words: Vec<&str> = recipe.split_whitespace().collect();
            let at = words
                .iter()
                .position(|w| w.rsplit('/').next() == Some("swag"))?;
            let rest: Vec<&str> = words[at..]
                .iter()
                .take_while(|w| !["&&", ";", "||", "|"].contains(w))
                .copied()
                .collect();
            let line = rest.join(" ");
            (!line.contains('$') && !line.contains('\'')).then_some(line)
        })
}

/// A Makefile recipe line that generates into `rel_dir` by naming it (`go run entgo.io/ent/cmd/ent
/// generate ./internal/pkg/ent/schema`, `protoc --go_out=gen/proto`): the line itself when it holds
/// no make variable, else its target through make.
pub fn make_line_naming(root: &Path, rel_dir: &str) -> Option<Producer> {
    let text = ["Makefile", "makefile", "GNUmakefile"]
        .iter()
        .find_map(|n| crate::system::files::read_to_string(root.join(n)).ok())?;
    let mut target = None;
    for line in text.lines() {
        if let Some(recipe) = line.strip_prefix('\t') {
            let recipe = recipe
                .trim_start()
                .trim_start_matches(['@', '-', '+'])
                .trim();
            let generates = recipe.split_whitespace().any(|w| {
                ["generate", "gen", "init", "protoc"].contains(&w.rsplit('/').next().unwrap_or(w))
            });
            let names = recipe.contains(&format!("./{rel_dir}"))
                || recipe.contains(&format!("={rel_dir}"))
                || recipe
                    .split_whitespace()
                    .any(|w| w.trim_end_matches('/').starts_with(rel_dir));
            if generates && names {
                let t: &String = target.as_ref()?;
                let tool = recipe
                    .split_whitespace()
                    .next()
                    .unwrap_or(recipe)
                    .to_string();
                return Some(Producer {
                    command: if recipe.contains('$') {
                        format!("make {t}")
                    } else {
                        recipe.to_string()
                    },
                    because: format!("Makefile target {t} runs it"),
                    tool,
                });
            }
        } else if let Some((name, rest)) = line.split_once(':') {
            if rest.starts_with('=') || name.contains('=') {
                continue;
            }
            let name = name.trim();
            let plain =
                !name.is_empty() && !name.starts_with('.') && !name.contains(['$', ' ', '%']);
            target = plain.then(|| name.to_string());
        }
    }
    None
}

fn has_templ_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().ends_with(".templ"))
}

/// What writes the folder a `//go:embed` pattern names: a `package.json` with a `build`
/// script at the pattern's first folder (or above it, up to the package folder).
pub fn for_embed(root: &Path, package_dir: &Path, pattern: &str) -> Option<Producer> {
    let mut dir = package_dir.join(pattern);
    while dir.starts_with(package_dir) && dir != package_dir {
        dir.pop();
        let json = dir.join("package.json");
        let Ok(text) = crate::system::files::read_to_string(&json) else {
            continue;
        };
        let scripts: serde_json::Value = serde_json::from_str(&text).ok()?;
        if scripts["scripts"]["build"].is_null() {
            continue;
        }
        let runner = if dir.join("pnpm-lock.yaml").is_file() {
            "pnpm run build"
        } else if dir.join("yarn.lock").is_file() {
            "yarn build"
        } else {
            "npm run build"
        };
        let rel = dir.strip_prefix(root).unwrap_or(&dir).display().to_string();
        let command = if rel.is_empty() {
            runner.to_string()
        } else {
            format!("cd {rel} && {runner}")
        };
        let shown = json
            .strip_prefix(root)
            .unwrap_or(&json)
            .display()
            .to_string();
        return Some(Producer {
            command,
            because: format!("{shown} has a build script"),
            tool: runner
                .split_whitespace()
                .next()
                .unwrap_or(runner)
                .to_string(),
        });
    }
    None
}

/// The first Makefile target whose recipe runs `tool`, also through a variable set in the
/// Makefile (`TEMPL_CMD := ~/go/bin/templ`, then `${TEMPL_CMD} generate`).
pub fn make_target_running(root: &Path, tool: &str) -> Option<String> {
    let text = ["Makefile", "makefile", "GNUmakefile"]
        .iter()
        .find_map(|n| crate::system::files::read_to_string(root.join(n)).ok())?;
    let mut target = None;
    let mut vars: Vec<(String, String)> = vec![];
    let runs_tool = |word: &str, vars: &[(String, String)]| {
        let name = word
            .strip_prefix("${")
            .and_then(|w| w.strip_suffix('}'))
            .or_else(|| word.strip_prefix("$(").and_then(|w| w.strip_suffix(')')));
        let word = match name.and_then(|n| vars.iter().find(|(k, _)| k == n)) {
            Some((_, value)) => value.as_str(),
            None => word,
        };
        word.rsplit('/').next() == Some(tool)
    };
    for line in text.lines() {
        if let Some(recipe) = line.strip_prefix('\t') {
            // `@`, `-` and `+` are make's recipe prefixes, not part of the command.
            let recipe = recipe.trim_start().trim_start_matches(['@', '-', '+']);
            if recipe.split_whitespace().any(|w| runs_tool(w, &vars)) {
                return target;
            }
        } else if let Some((name, value)) = line.split_once('=').filter(|(n, _)| !n.contains(':')) {
            // `VAR = value`, `VAR ?= value`
            let name = name.trim().trim_end_matches(['?', '+']).trim();
            vars.push((name.to_string(), value.trim().to_string()));
        } else if let Some((name, rest)) = line.split_once(':') {
            if let Some(value) = rest.strip_prefix('=') {
                // `VAR := value`
                vars.push((name.trim().to_string(), value.trim().to_string()));
                continue;
            }
            let name = name.trim();
            let plain =
                !name.is_empty() && !name.starts_with('.') && !name.contains(['=', '$', ' ', '%']);
            target = plain.then(|| name.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn sqlc_config_names_its_command_or_the_make_target() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("db")).unwrap();
        fs::write(d.path().join("db/sqlc.yaml"), "version: \"2\"\n").unwrap();
        let p = for_missing_package(d.path(), "internal/db/sqlc");
        assert_eq!(p, None, "db/ is not on the way to internal/db/sqlc");
        let p = for_missing_package(d.path(), "db/sqlc").unwrap();
        assert_eq!(p.command, "cd db && sqlc generate");
        fs::write(
            d.path().join("Makefile"),
            "VAR := x\n\nbuild:\n\tgo build ./...\n\ngen: deps\n\t@sqlc generate -f db/sqlc.yaml\n",
        )
        .unwrap();
        let p = for_missing_package(d.path(), "db/sqlc").unwrap();
        assert_eq!(p.command, "make gen");
        // Through a Makefile variable, `:=` or `=`.
        for set in ["SQLC := ~/go/bin/sqlc", "SQLC = $(HOME)/go/bin/sqlc"] {
            fs::write(
                d.path().join("Makefile"),
                format!("{set}\n\ndb:\n\t$(SQLC) generate\n"),
            )
            .unwrap();
            assert_eq!(
                for_missing_package(d.path(), "db/sqlc").unwrap().command,
                "make db",
                "{set}"
            );
        }
        // A step that runs it, directly or through the target.
        assert!(p.run_by("make gen && go build ."));
        assert!(p.run_by("/root/go/bin/sqlc generate"));
        assert!(!p.run_by("go build -o ./tmp/main ."));
    }

    /// swag's `docs` package: the Makefile's own swag line (its target may run it through
    /// `docker compose exec`), else `swag init` when go.mod requires swag; another folder is not swag's.
    /// A recipe that generates into the folder by naming it: ent, whose tool is `go`.
    #[test]
    fn a_make_recipe_naming_the_folder_generates_it() {
        let d = tempfile::tempdir().unwrap();
        fs::write(
            d.path().join("Makefile"),
            "lint:\n\tstaticcheck ./...\n\nent/gen:\n\tgo run -mod=mod entgo.io/ent/cmd/ent generate ./internal/pkg/ent/schema\n",
        )
        .unwrap();
        let p = make_line_naming(d.path(), "internal/pkg/ent").unwrap();
        assert_eq!(
            p.command,
            "go run -mod=mod entgo.io/ent/cmd/ent generate ./internal/pkg/ent/schema"
        );
        assert_eq!(p.because, "Makefile target ent/gen runs it");
        assert_eq!(make_line_naming(d.path(), "internal/app"), None);
    }

    #[test]
    fn swag_docs_names_the_makefile_swag_line_or_swag_init() {
        let d = tempfile::tempdir().unwrap();
        fs::write(
            d.path().join("go.mod"),
            "module x\n\nrequire github.com/swaggo/swag v1.16.4\n",
        )
        .unwrap();
        assert_eq!(
            for_missing_package(d.path(), "docs").unwrap().command,
            "swag init"
        );
        assert_eq!(for_missing_package(d.path(), "api"), None);
        fs::write(
            d.path().join("Makefile"),
            "EXEC = docker compose exec app\n\nswagger:\n\t$(EXEC) swag init -g cmd/api/main.go -o docs && echo ok\n",
        )
        .unwrap();
        let p = for_missing_package(d.path(), "docs").unwrap();
        assert_eq!(p.command, "swag init -g cmd/api/main.go -o docs");
        assert_eq!(p.because, "Makefile target swagger runs swag");
        assert!(p.run_by("swag init -g cmd/api/main.go -o docs"));
    }

    /// A folder of `.templ` files is templ's to generate.
    #[test]
    fn templ_files_name_templ_generate() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("views")).unwrap();
        fs::write(d.path().join("views/page.templ"), "package views\n").unwrap();
        let p = for_missing_package(d.path(), "views").unwrap();
        assert_eq!(
            (p.command.as_str(), p.tool.as_str()),
            ("templ generate", "templ")
        );
        assert!(p.run_by("templ generate && go build -o ./tmp/main ."));
    }

    #[test]
    fn an_embedded_frontend_folder_names_its_build_script() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("web")).unwrap();
        fs::write(
            d.path().join("web/package.json"),
            r#"{"scripts": {"build": "vite build"}}"#,
        )
        .unwrap();
        fs::write(d.path().join("web/pnpm-lock.yaml"), "").unwrap();
        let p = for_embed(d.path(), d.path(), "web/dist").unwrap();
        assert_eq!(p.command, "cd web && pnpm run build");
        assert_eq!(for_embed(d.path(), d.path(), "static/*"), None);
    }
}
