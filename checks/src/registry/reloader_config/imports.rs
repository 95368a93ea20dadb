//! exclude_dir or include_dir hiding a package the main package imports: edits there never
//! rebuild. Judged from `go list -deps`, run only when a setting could hide Go code. A folder
//! the build itself writes again every time (`swag init && go build` with "docs" excluded)
//! hides no save: not said.

use super::air_view::{air_watches, rel_to_root, watch_root};
use super::config_file::{manual, AirFile};
use super::problems::Problem;
use crate::filepath::clean;
use crate::golang::build_plan::BuildPlan;
use crate::golang::deps as go_deps;
use crate::model::Finding;
use crate::reloaders::air::config::AirConfig;
use crate::reloaders::air::keys as air_keys;
use crate::reloaders::event_rules::EventRules;
use crate::reloaders::watch_tree::Rules;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const GO_LIST_TIMEOUT: Duration = Duration::from_secs(5);

/// A non-default exclude_dir entry (or any include_dir) may hide a package main imports:
/// ask `go list -deps`, only then (it is the slow part).
pub(super) fn findings(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    let c = &f.ctx.project.air;
    let root = watch_root(f);
    let defaults = AirConfig::default().build.exclude_dir;
    let suspects: Vec<String> = c
        .excluded_dirs()
        .filter(|e| !defaults.contains(e) && !e.is_empty())
        .filter(|e| has_go_files(&root.join(e)))
        .collect();
    if suspects.is_empty() && c.build.include_dir.is_empty() {
        return;
    }
    // `make build` or a script: the main package is not known. `.` is a fair guess only when
    // the root holds a main package a plain `go build` compiles (not a magefile, which is
    // `//go:build mage`), and then a finding is a warning.
    let guessed = build
        .approximation
        .as_deref()
        .is_some_and(|a| a.contains("not a `go build`"));
    if guessed && crate::golang::source::main_files_built(&root).is_empty() {
        return;
    }
    // A build that compiles no Go (`templ generate --notify-proxy` with bin = true, a
    // generator's or a proxy's watcher beside the app's own air): no package of it is hidden.
    if guessed && super::entries::compiles_no_go(f).is_some() {
        return;
    }
    let generated = super::generated::named_outputs(f);
    let each_build = super::generated::each_build(f);
    if f.ctx.project.go_mod.is_none() {
        return;
    }
    // The main package's folder is known from the build command; what it imports needs
    // `go list`. Without it, the main folder alone is judged and the rest is said skipped.
    let main_dir = clean(&build.main_dir(&f.ctx.project.root));
    let main_rel = rel_to_root(f, &main_dir);
    let listed = which::which("go")
        .map_err(|_| "go is not on PATH".to_string())
        .and_then(|go| go_deps::dirs(&go, build, &f.ctx.project.root, GO_LIST_TIMEOUT));
    let dirs = match listed {
        Ok(d) => d,
        Err(e) => {
            out.push(Finding::info(format!(
                "could not list what the main package imports ({e}); only the main package's folder was checked against exclude_dir/include_dir"
            )));
            vec![main_dir]
        }
    };
    let rules = Rules::air_in(c, &watch_root(f));
    // Hidden package folders, grouped by the setting that hides them and by who writes them.
    let mut hidden: Vec<(String, Kind, Vec<String>)> = vec![];
    for dir in dirs {
        let Some(rel) = rel_to_root(f, &dir) else {
            continue;
        };
        // Vendored dependencies are nobody's edits (and air excludes vendor by default).
        let vendored = rel == "vendor" || rel.starts_with("vendor/");
        if vendored || air_watches(&rules, &rel) || unwatched_go_files(f, &dir, &rel).is_empty() {
            continue;
        }
        let blame = suspects
            .iter()
            .find(|e| rel == **e || rel.starts_with(&format!("{e}/")))
            .map(|e| format!("\"{e}\""))
            .or_else(|| (!c.build.include_dir.is_empty()).then(|| "include_dir".to_string()));
        let Some(blame) = blame else { continue };
        // The build writes it all again before compiling (`swag init && go build`): no
        // save there is lost, the exclusion is deliberate.
        if each_build.rewrites_all(&dir) {
            continue;
        }
        let kind = match Kind::of(f, &dir, &rel) {
            Kind::Generated { .. } => Kind::Generated {
                by_hand: !hand_written(f, &dir, &rel).is_empty(),
                rebuilt: !each_build.rewritten_in(&dir).is_empty(),
            },
            k => k,
        };
        // Several replaced modules hidden by one setting are one finding; generated folders
        // with the same story, embedding folders too (one that only embeds is not one whose
        // functions are lost: Golangcodes/nextdeploy's assets/ and internal/packaging/).
        let same = |k: &Kind| match (k, &kind) {
            (Kind::Generated { .. }, Kind::Generated { .. })
            | (Kind::Embeds { .. }, Kind::Embeds { .. }) => *k == kind,
            _ => std::mem::discriminant(k) == std::mem::discriminant(&kind),
        };
        match hidden.iter_mut().find(|(b, k, _)| *b == blame && same(k)) {
            Some((_, _, list)) => list.push(rel),
            None => hidden.push((blame, kind, vec![rel])),
        }
    }
    // Generated code the build writes again every time, hidden by an entry that also hides
    // hand-written code (tama-jp/rss: "pkg" hides pkg/app and wire's pkg/wire): that entry's
    // own finding says what is lost.
    let sources: Vec<String> = hidden
        .iter()
        .filter(|(_, k, _)| *k == Kind::Source)
        .map(|(b, _, _)| b.clone())
        .collect();
    hidden.retain(|(b, k, _)| {
        !matches!(k, Kind::Generated { rebuilt: true, .. }) || !sources.contains(b)
    });
    for (blame, kind, dirs) in hidden {
        // Generated code only, written again by the build on every build (wire, sqlc,
        // mockgen... in cmd or pre_cmd): leaving it out avoids a second build, loses no save.
        if kind
            == (Kind::Generated {
                by_hand: false,
                rebuilt: true,
            })
        {
            continue;
        }
        let key = if blame == "include_dir" {
            "build.include_dir"
        } else {
            "build.exclude_dir"
        };
        let shown = dirs
            .iter()
            .take(3)
            .map(|d| format!("{d}/"))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if dirs.len() > 3 {
            format!(" and {} more", dirs.len() - 3)
        } else {
            String::new()
        };
        let root_only = dirs == ["."];
        let main_only = dirs.len() == 1 && Some(&dirs[0]) == main_rel.as_ref();
        let what = if root_only {
            "the main package's own folder (with include_dir set, air watches no file directly in root)".to_string()
        } else if main_only {
            format!("the main package's own folder {shown}")
        } else {
            format!("{shown}{more}, which the main package imports")
        };
        // A folder excluded because the build writes a file into it: on purpose, and the
        // better exclusion is that file alone.
        let written_there: Vec<String> = generated
            .iter()
            .filter_map(|p| rel_to_root(f, p))
            .filter(|rel| dirs.iter().any(|d| rel.starts_with(&format!("{d}/"))))
            .collect();
        // The build regenerates the generated files there; the hand-written ones beside them
        // (wire's wire.go) are what the exclusion loses.
        let regenerated: Vec<String> = dirs
            .iter()
            .flat_map(|d| each_build.rewritten_in(&watch_root(f).join(d)))
            .filter_map(|p| rel_to_root(f, &p))
            .collect();
        let by_hand: Vec<String> = dirs
            .iter()
            .flat_map(|d| hand_written(f, &watch_root(f).join(d), d))
            .collect();
        // Data an embed-only package embeds that air would not react to even in a watched
        // folder (`*.sql` without sql in include_ext): leaving the folder out loses nothing
        // but a rebuild when that small Go file changes.
        let unwatched_data = match kind {
            Kind::Embeds { code: false } if written_there.is_empty() => {
                unwatched_embeds(f, build, &dirs)
            }
            _ => None,
        };
        // Nobody saves generated code or a replaced dependency's fork by hand: hiding them
        // is usually on purpose, so say what it costs instead of failing.
        let what = match &kind {
            Kind::Source => what,
            Kind::Generated {
                by_hand: true,
                rebuilt: true,
            } => format!(
                "{what} (generated code the build writes again on every build: {}, which is right to leave out, it avoids a second build; but also {}, written by hand: saving it never rebuilds)",
                regenerated.join(", "),
                by_hand.join(", ")
            ),
            Kind::Generated { rebuilt: false, by_hand: false } => generated_only(&what),
            Kind::Generated { .. } => format!(
                "{what} (generated code: \"Code generated ... DO NOT EDIT\" or a //go:generate there); air does not rebuild after you regenerate them"
            ),
            Kind::Embeds { .. } => match &unwatched_data {
                Some(exts) => format!(
                    "{what} (its Go code only embeds {} files with //go:embed, which air does not watch anyway: not in include_ext)",
                    exts.join(", ")
                ),
                None => format!(
                    "{what} (its Go code embeds the files beside it with //go:embed); air does not rebuild when you save that Go code or the embedded files, so the app keeps the old copies until another save"
                ),
            },
            Kind::OtherModule(m) if dirs.len() == 1 => format!(
                "{what} (the module at {m}/, with its own go.mod: a dependency this module replaces or uses from go.work); edits there never rebuild"
            ),
            Kind::OtherModule(_) => format!(
                "{what} (modules with their own go.mod: dependencies this module replaces or uses from go.work); edits there never rebuild"
            ),
        };
        let mut listed: Vec<String> = dirs.iter().take(8).map(|d| format!("\"{d}\"")).collect();
        if dirs.len() > 8 {
            listed.push(format!("the {} more in the evidence (-v)", dirs.len() - 8));
        }
        let add_them = format!("add {} to include_dir", listed.join(", "));
        let todo = if kind
            == (Kind::Generated {
                by_hand: true,
                rebuilt: true,
            })
            && key == "build.exclude_dir"
        {
            format!(
                "exclude only what the build writes: exclude_file = [{}] instead of {blame} in exclude_dir",
                regenerated
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else if key == "build.exclude_dir" && !written_there.is_empty() {
            format!(
                "the build writes {} there, so exclude only that: exclude_file = [{}] instead of {blame} in exclude_dir",
                written_there.join(", "),
                written_there.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
            )
        } else if unwatched_data.is_some() {
            "leaving it out costs only a rebuild when that Go file changes: nothing to do".into()
        } else if matches!(kind, Kind::Embeds { .. }) {
            format!(
                "if you edit it while air runs, {}",
                if key == "build.exclude_dir" {
                    format!("remove {blame} from exclude_dir")
                } else {
                    add_them.clone()
                }
            )
        } else if matches!(kind, Kind::Generated { .. }) {
            format!(
                "run the generator in pre_cmd so each build refreshes them, or {} if you regenerate them by hand",
                if key == "build.exclude_dir" {
                    format!("remove {blame} from exclude_dir")
                } else {
                    add_them.clone()
                }
            )
        } else if key == "build.exclude_dir" {
            format!("remove {blame} from exclude_dir")
        } else if root_only {
            "list the root's .go files in include_file, move the main package into a folder (cmd/app), or remove include_dir".into()
        } else {
            add_them
        };
        // Nothing in the build writes generated code (swag's docs/ with no swag in cmd or
        // pre_cmd): regenerating it by hand does not rebuild, the next save does.
        let by_hand_only = kind
            == Kind::Generated {
                by_hand: false,
                rebuilt: false,
            };
        let severity = if unwatched_data.is_some() || by_hand_only {
            crate::model::Severity::Info
        } else if guessed || !written_there.is_empty() || kind != Kind::Source {
            crate::model::Severity::Warn
        } else {
            crate::model::Severity::Fail
        };
        let finding = Finding::new(
            severity,
            format!(
                "{}: {} hides {what}{}; {todo}",
                f.at(key),
                if key == "build.exclude_dir" {
                    format!("exclude_dir entry {blame}")
                } else {
                    blame.clone()
                },
                if kind == Kind::Source {
                    ": saving files there never rebuilds"
                } else {
                    ""
                }
            ),
        )
        .with_evidence(f.evidence(
            key,
            json!({"problem": Problem::HidesImportedPackage, "dirs": dirs}),
        ));
        out.push(match unwatched_data.is_some() || by_hand_only {
            true => finding,
            false => finding.with_fix(manual(todo)),
        });
    }
}

/// Who writes a hidden package's files.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// People: a hidden folder means edits that never rebuild.
    Source,
    /// A generator's: a file carries Go's "Code generated ... DO NOT EDIT" header, or a
    /// `//go:generate` there writes the folder. `by_hand`: Go files without that header sit
    /// beside it (wire.go, ent's generate.go); `rebuilt`: a generator of the build (cmd or
    /// pre_cmd) writes files there on every build.
    Generated { by_hand: bool, rebuilt: bool },
    /// Code that embeds the files beside it (`//go:embed`): web assets, migrations. Left
    /// out so that a front-end build writing there does not rebuild. `code`: it declares
    /// functions too, not only the embedded variables.
    Embeds { code: bool },
    /// Another module (a go.mod between the folder and air's root; root-relative path).
    OtherModule(String),
}

impl Kind {
    fn of(f: &AirFile, dir: &Path, rel: &str) -> Kind {
        let root = watch_root(f);
        let mut at = String::new();
        for part in rel.split('/').filter(|p| *p != ".") {
            at = if at.is_empty() {
                part.to_string()
            } else {
                format!("{at}/{part}")
            };
            let folder = clean(&root.join(&at));
            if folder != clean(&f.ctx.project.root) && folder.join("go.mod").is_file() {
                return Kind::OtherModule(at);
            }
        }
        let texts: Vec<String> = unwatched_go_files(f, dir, rel)
            .iter()
            .map(|file| {
                let path = if rel == "." {
                    root.join(file)
                } else {
                    dir.join(file.rsplit('/').next().unwrap_or(file))
                };
                crate::system::files::read(&path)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let directive = |name: &str| {
            texts
                .iter()
                .any(|t| t.lines().any(|l| l.trim_start().starts_with(name)))
        };
        // One generated file, or a generator that writes the folder (ent, sqlc, swag
        // docs with a hand-written stub), is enough to see why the folder is left out.
        if texts.iter().any(|t| is_generated(t)) || directive("//go:generate") {
            Kind::Generated {
                by_hand: false,
                rebuilt: false,
            }
        } else if directive("//go:embed") {
            Kind::Embeds {
                code: directive("func "),
            }
        } else {
            Kind::Source
        }
    }
}

/// The extensions (`*.sql`) of what the hidden `dirs` (root-relative) embed, when there is
/// something and air's event filter would drop a save of every file of it; None when go
/// cannot list them or one of them is watched (a template edited while air runs).
fn unwatched_embeds(f: &AirFile, build: &BuildPlan, dirs: &[String]) -> Option<Vec<String>> {
    let root = watch_root(f);
    let go = which::which("go").ok()?;
    let files = go_deps::embed_files(&go, build, &f.ctx.project.root, GO_LIST_TIMEOUT).ok()?;
    let hidden: Vec<_> = files
        .iter()
        .filter(|p| {
            rel_to_root(f, p).is_some_and(|rel| {
                dirs.iter()
                    .any(|d| rel.starts_with(&format!("{d}/")) || d == ".")
            })
        })
        .collect();
    let rules = EventRules::air(&f.ctx.project.air, &root);
    if hidden.is_empty() || hidden.iter().any(|p| rules.wants(p)) {
        return None;
    }
    let mut exts: Vec<String> = hidden
        .iter()
        .map(|p| match p.extension() {
            Some(e) => format!("*.{}", e.to_string_lossy()),
            None => p
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into()),
        })
        .collect();
    exts.sort();
    exts.dedup();
    Some(exts)
}

/// What hiding folders of generated code only, which nothing in the build writes, costs:
/// `what` names them.
pub(super) fn generated_only(what: &str) -> String {
    format!(
        "{what} (generated code: \"Code generated ... DO NOT EDIT\", which nothing in the build writes); air does not rebuild right after you regenerate them, only at the next save of a file it watches"
    )
}

/// Whether the folder `dir` holds Go code and all of it is generated (every non-test .go
/// file directly in it carries Go's generated-code header: buf's and protoc's *.pb.go), and
/// no generator of the build writes there.
pub(super) fn only_generated_code(f: &AirFile, dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|e| e == "go")
                && !p.to_string_lossy().ends_with("_test.go")
        })
        .collect();
    !files.is_empty()
        && files.iter().all(|p| {
            crate::system::files::read(p).is_ok_and(|b| is_generated(&String::from_utf8_lossy(&b)))
        })
        && super::generated::each_build(f).rewritten_in(dir).is_empty()
}

/// Go's convention for generated files: a comment before the package clause that says
/// "Code generated" and "DO NOT EDIT" (swag writes "// Package docs Code generated by
/// swaggo/swag. DO NOT EDIT", so the line need not start with it; older swag wrote
/// "GENERATED BY SWAG; DO NOT EDIT", hence any "generated" in either case).
pub(super) fn is_generated(text: &str) -> bool {
    text.lines()
        .take_while(|l| !l.starts_with("package "))
        .any(|l| {
            l.starts_with("//")
                && l.contains("DO NOT EDIT")
                && l.to_ascii_lowercase().contains("generated")
        })
}

/// The non-test .go files directly in `dir` (root-relative `rel`) that air does not watch
/// through include_file. A listed file is watched only where air's walk enters its folder
/// (the root, or a folder on the way to an include_dir): in a folder the walk skips, air
/// never looks at it (real air: `cmd/server/main.go` listed beside include_dir =
/// ["internal"] is not watched).
fn unwatched_go_files(f: &AirFile, dir: &Path, rel: &str) -> Vec<String> {
    let air = &f.ctx.project.air;
    let rules = Rules::air_in(air, &watch_root(f));
    let walked = super::air_view::skipped_folder(air, &rules, rel).is_none();
    let listed: &[String] = match walked {
        true => &air.build.include_file,
        false => &[],
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut files: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".go") && !n.ends_with("_test.go"))
        .map(|n| if rel == "." { n } else { format!("{rel}/{n}") })
        .filter(|n| !listed.iter().any(|l| l.trim().trim_end_matches('/') == n))
        .collect();
    files.sort();
    files
}

/// The Go files of a hidden folder (root-relative `rel`) without Go's generated-code header:
/// written by hand.
fn hand_written(f: &AirFile, dir: &Path, rel: &str) -> Vec<String> {
    unwatched_go_files(f, dir, rel)
        .into_iter()
        .filter(|file| {
            let path = dir.join(file.rsplit('/').next().unwrap_or(file));
            // A doc.go of a package comment only (Satariman/FoodSea-Backend's docs/swagger
            // beside swag's docs.go): saving it changes nothing the build compiles.
            !crate::system::files::read(&path).is_ok_and(|b| {
                let text = String::from_utf8_lossy(&b);
                is_generated(&text) || declares_nothing(&text)
            })
        })
        .collect()
}

/// Whether Go source `text` is only comments and its package clause (a `//go:generate`
/// directive is more: the home of the folder's generator).
fn declares_nothing(text: &str) -> bool {
    if text.contains("//go:generate") {
        return false;
    }
    // The lexer drops comments: what is left is `package NAME`, or more.
    crate::golang::lexer::tokenize(text)
        .is_ok_and(|tokens| tokens.len() == 2 && tokens[0].is_ident("package"))
}

/// A .go file somewhere below `dir` (bounded, so a huge excluded tree stays cheap).
fn has_go_files(dir: &Path) -> bool {
    crate::golang::source::go_file_below(dir, 5_000, |_| true, |_, _, _| true).unwrap_or(false)
}

/// A package of this module the main package imports that has no Go files in the checkout
/// because the repository ignores it (`docs/*`: swag's output; `/services/*/gen/`: buf's),
/// when nothing air runs generates it: on a fresh clone every build stops ("no required
/// module provides package") until the user runs the generator by hand. Judged from
/// `go list -e -deps` and git's ignore rules ([`crate::system::gitignore`]); said only when
/// the folder's Go files are gitignored (code merely missing is the compile check's).
pub(super) fn ungenerated(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    let project = &f.ctx.project;
    let Some(module) = project.go_mod.as_ref().map(|m| m.module.clone()) else {
        return;
    };
    let Ok(go) = which::which("go") else { return };
    let Ok(broken) = go_deps::broken_imports(&go, build, &project.root, GO_LIST_TIMEOUT) else {
        return;
    };
    let c = &project.air;
    // What air runs before and as the build, also behind `make TARGET` (Fleet's
    // `make generate && go build`).
    let mut steps: Vec<String> = c
        .build
        .pre_cmd
        .iter()
        .chain([&c.build.cmd])
        .cloned()
        .collect();
    let runner_lines: Vec<String> = steps
        .iter()
        .flat_map(|s| crate::shell::commands(s))
        .flat_map(|cmd| super::task_runners::expand(&cmd.words, &project.root))
        .map(|r| r.line)
        .collect();
    steps.extend(runner_lines);
    // `go generate` runs the repository's //go:generate lines (`swag init` in Fleet's main.go):
    // it may well write the package.
    if steps.iter().any(|s| s.contains("go generate")) {
        return;
    }
    let rules = Rules::air_in(c, &watch_root(f));
    let mut seen: Vec<String> = vec![];
    for (package, pos) in broken {
        let Some(rel) = package.strip_prefix(&format!("{module}/")) else {
            continue;
        };
        let dir = project.root.join(rel);
        if seen.iter().any(|s| s == rel) || crate::golang::source::builds_a_go_file_in(&dir) {
            continue;
        }
        seen.push(rel.to_string());
        let Some(ignored) = gitignored(&project.root, rel) else {
            continue;
        };
        let producer = producer_for(&project.root, rel);
        if let Some(p) = &producer {
            if steps.iter().any(|s| p.run_by(s)) || launcher_runs_first(&project.root, p) {
                continue;
            }
        }
        let at = if pos.is_empty() {
            String::new()
        } else {
            format!("{pos}: ")
        };
        let mut message = format!(
            "{at}the main package imports {package}, a package of this module with no Go files in the checkout: {}, so it is not committed (generated output, or code the rule catches by accident); nothing air runs (pre_cmd, cmd) generates it, so on a fresh clone every build stops (\"no required module provides package {package}\") until it is generated by hand",
            ignored_what(rel, &ignored)
        );
        let watched_rel = rel_to_root(f, &dir);
        let watched = watched_rel
            .as_deref()
            .is_some_and(|r| air_watches(&rules, r));
        // An exclude_dir entry over an ignored folder (saybridge's "plugins", its .gitignore
        // "keep plugin source code"): where the folder exists, on the author's machine or once
        // generated, its changes never rebuild. Said here, with the entry and its line: the
        // folder is not in the checkout for hides-imported-package to see.
        let entry = watched_rel.as_deref().and_then(|r| {
            c.excluded_dirs()
                .find(|e| !e.is_empty() && (r == e || r.starts_with(&format!("{e}/"))))
        });
        let entry = entry.filter(|_| !watched);
        match &entry {
            Some(e) => message.push_str(&format!(
                "; and {} exclude_dir entry \"{e}\" keeps air from watching {rel}/: where the folder exists (generated, or kept out of git on the author's machine), changing it never triggers a rebuild",
                f.at(air_keys::BUILD_EXCLUDE_DIR.path)
            )),
            _ if !watched => message.push_str(&format!(
                "; and air does not watch {rel}/ (exclude_dir/include_dir), so generating it does not trigger a rebuild either"
            )),
            _ => {}
        }
        let finding = match producer {
            Some(p) => {
                message.push_str(&format!(
                    "; `{}` generates it ({}): put it in pre_cmd",
                    p.command, p.because
                ));
                Finding::warn(message).with_fix(manual(format!(
                    "add `{}` to build.pre_cmd so every build has {rel}/",
                    p.command
                )))
            }
            None => Finding::warn(format!("{message}; run its generator in pre_cmd, or, if it is written by hand, narrow that .gitignore rule and commit it")),
        };
        out.push(
            finding
                .with_evidence(json!({"problem": Problem::UngeneratedImport, "package": package, "exclude_dir_entry": entry})),
        );
    }
}

/// Whether a Makefile target at `root` runs the generator and then air (`dev: templ generate;
/// air -c .air.toml`): started that way, air's builds have the package.
fn launcher_runs_first(root: &Path, p: &crate::golang::missing_code::Producer) -> bool {
    let Some(text) = ["Makefile", "makefile", "GNUmakefile"]
        .iter()
        .find_map(|n| crate::system::files::read_to_string(root.join(n)).ok())
    else {
        return false;
    };
    let mut generated = false;
    for line in text.lines() {
        match line.strip_prefix('\t') {
            Some(recipe) => {
                if p.run_by(recipe) {
                    generated = true;
                } else if generated
                    && crate::shell::commands(recipe).iter().any(|c| {
                        c.words
                            .first()
                            .is_some_and(|w| w.rsplit('/').next() == Some("air"))
                    })
                {
                    return true;
                }
            }
            None if !line.trim().is_empty() && !line.starts_with('#') => generated = false,
            None => {}
        }
    }
    false
}

/// What generates the package folder `rel` of the module at `root`: its generator's config
/// or a Makefile target at the module root, else in a folder above it up to the repository's
/// top (`buf.gen.yaml` beside go.work), run from there.
fn producer_for(root: &Path, rel: &str) -> Option<crate::golang::missing_code::Producer> {
    use crate::golang::missing_code::{for_missing_package, make_line_naming};
    if let Some(p) = for_missing_package(root, rel).or_else(|| make_line_naming(root, rel)) {
        return Some(p);
    }
    let mut up = String::new();
    let mut dir = root.to_path_buf();
    let mut below = std::path::PathBuf::from(rel);
    while !dir.join(".git").exists() {
        let name = dir.file_name()?.to_owned();
        below = Path::new(&name).join(below);
        dir = dir.parent()?.to_path_buf();
        up.push_str("../");
        let Some(mut p) = for_missing_package(&dir, &below.to_string_lossy()) else {
            continue;
        };
        let up = up.trim_end_matches('/');
        p.command = match p.command.strip_prefix("cd ") {
            Some(rest) => format!("cd {up}/{rest}"),
            None => format!("cd {up} && {}", p.command),
        };
        return Some(p);
    }
    None
}

/// The `.gitignore` line (`path:line (\`pattern\`)`, the path relative to `root`) that
/// keeps Go files of the folder `rel` out of git, by git's rules: the folder itself (`docs/*`),
/// or the names its generator writes (Prisma Client Go's own `prisma/db/.gitignore` with
/// `*_gen.go`); None when no rule does.
fn gitignored(root: &Path, rel: &str) -> Option<String> {
    let r = crate::system::gitignore::ignored_file_in(root, rel, "go")?;
    Some(format!("{} (`{}`)", r.at(root), r.pattern))
}

/// What a rule from [`gitignored`] keeps out of git in the folder `rel`: the folder (`docs/*`,
/// `gen/`), or its Go files of a name (`*_gen.go`: the folder itself is not ignored).
fn ignored_what(rel: &str, ignored: &str) -> String {
    match ignored.ends_with(".go`)") {
        true => format!("its Go files are ignored in {rel}/ by {ignored}"),
        false => format!("{rel}/ is ignored by {ignored}"),
    }
}

/// A module whose go.mod requires modules, with no go.sum because a .gitignore rule keeps it
/// out of the checkout (`go.sum` under "# Go module files"): in a fresh clone go has no
/// checksum to verify the requirements with, and every build stops ("missing go.sum entry
/// for module providing package P") until someone runs `go mod tidy`. A go.sum merely
/// missing (not ignored) is the compile check's; vendor/modules.txt needs no go.sum.
/// A go.mod a rule keeps out (paungire/paungram: `go/go.mod` and `go/go.sum` in the root's
/// .gitignore, none in the checkout) is said the same way: a fresh clone has no module at
/// all, every `go build` stops (real go: "go: go.mod file not found in current directory or
/// any parent directory; see 'go help modules'") and so does an image build that copies it.
pub(super) fn ignored_go_sum(f: &AirFile, out: &mut Vec<Finding>) {
    let project = &f.ctx.project;
    let root = &project.root;
    // No go.mod (none here, no module above) and a rule here that ignores it: the module is
    // kept out of git. One ignored but there builds here (as go.sum below).
    if project.go_mod.is_none() && !root.join("go.mod").exists() {
        if let Some(ignored) = gitignored_path(root, "go.mod") {
            out.push(
                Finding::warn(format!(
                    "there is no go.mod: it is ignored by {ignored}, so it is never committed; in a fresh clone every build air runs stops before compiling (real go: \"go: go.mod file not found in current directory or any parent directory; see 'go help modules'\"), as does an image build that copies go.mod; stop ignoring go.mod (and go.sum), then create and commit them"
                ))
                .with_fix(manual(format!(
                    "delete the go.mod rule {ignored}, then create go.mod (`go mod init`, `go mod tidy`) and commit it with go.sum"
                )))
                .with_evidence(json!({"problem": Problem::IgnoredGoSum, "file": "go.mod", "line": null, "ignored_by": ignored})),
            );
        }
        return;
    }
    if project.go_mod.is_none()
        || root.join("go.sum").exists()
        || root.join("vendor/modules.txt").exists()
    {
        return;
    }
    let Ok(text) = crate::system::files::read_to_string(root.join("go.mod")) else {
        return;
    };
    // A module replaced by a folder needs no checksum.
    let local = crate::golang::modfile::local_replacements(&text);
    let replaced: Vec<String> = crate::golang::modfile::replacements(&text)
        .into_iter()
        .filter(|(_, to)| local.contains(to))
        .map(|(from, _)| from)
        .collect();
    let required: Vec<String> = crate::golang::modfile::requirements(&text)
        .into_iter()
        .map(|(m, _)| m)
        .filter(|m| !replaced.contains(m))
        .collect();
    let Some(first) = required.first() else {
        return;
    };
    let Some(ignored) = gitignored_path(root, "go.sum") else {
        return;
    };
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("require"))
        .map(|i| i + 1);
    let at = match line {
        Some(n) => format!("go.mod:{n}: "),
        None => String::new(),
    };
    let more = match required.len() {
        1 => first.clone(),
        n => format!("{first} and {} more", n - 1),
    };
    out.push(
        Finding::warn(format!(
            "{at}go.mod requires {more}, but there is no go.sum: it is ignored by {ignored}, so it is never committed; in a fresh clone every build air runs stops before compiling (\"missing go.sum entry for module providing package …\") until someone runs `go mod tidy`; stop ignoring go.sum (delete that rule), run `go mod tidy` and commit go.sum (`go mod tidy` in pre_cmd would also work, but it costs a network check on every build)"
        ))
        .with_fix(manual(format!(
            "delete the go.sum rule {ignored}, run `go mod tidy` and commit go.sum"
        )))
        .with_evidence(json!({"problem": Problem::IgnoredGoSum, "file": "go.mod", "line": line, "ignored_by": ignored})),
    );
}

/// The `.gitignore` line (`path:line (\`pattern\`)`, the path relative to `root`) that
/// ignores the file `rel` (relative to `root`), by git's rules; None when none does.
fn gitignored_path(root: &Path, rel: &str) -> Option<String> {
    let r = crate::system::gitignore::ignoring_rule(root, rel, false)?;
    Some(format!("{} (`{}`)", r.at(root), r.pattern))
}

#[cfg(test)]
mod tests {
    /// buf.gen.yaml beside go.work, above the service's module: run from there.
    #[test]
    fn a_generator_config_above_the_module_is_run_from_its_folder() {
        use super::{gitignored, producer_for};
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".git")).unwrap();
        std::fs::create_dir_all(d.path().join("services/order")).unwrap();
        std::fs::write(d.path().join("buf.gen.yaml"), "version: v2\n").unwrap();
        let p = producer_for(&d.path().join("services/order"), "gen/proto/order/v1").unwrap();
        assert_eq!(p.command, "cd ../.. && buf generate");
        std::fs::write(d.path().join(".gitignore"), "# buf\ngen/\n").unwrap();
        assert_eq!(
            gitignored(&d.path().join("services/order"), "gen/proto/order/v1").as_deref(),
            Some("../../.gitignore:2 (`gen/`)")
        );
    }

    use super::declares_nothing;

    #[test]
    fn a_package_comment_file_declares_nothing() {
        assert!(declares_nothing(
            "// Package swagger contains docs.\n// Run swag init.\npackage swagger\n"
        ));
        assert!(declares_nothing(
            "/* Package x\n   more */\npackage x // trailing\n"
        ));
        assert!(!declares_nothing("package x\n\nvar A = 1\n"));
        assert!(!declares_nothing(
            "package ent\n\n//go:generate go run ./entc.go\n"
        ));
        assert!(!declares_nothing("/* c */ package x\nimport \"fmt\"\n"));
    }
}
