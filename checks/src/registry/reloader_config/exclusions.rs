//! exclude_regex or exclude_file matching a file the build compiles: air drops every save of
//! it, so editing it never rebuilds. air v1.67.4 (`runner/util.go`) matches exclude_regex
//! against the event's absolute path (the root made absolute, links resolved), so a word
//! like "tmp" or "app" in a folder above the project excludes everything, and exclude_file
//! with `filepath.Match` against the root-relative path. Judged from `go list -deps` (Go,
//! cgo and embedded files of this module's packages), run only when an exclusion is not
//! air's default.

use super::air_view::{air_watches, rel_to_root, watch_root};
use super::config_file::{manual, AirFile};
use super::problems::Problem;
use crate::golang::build_plan::BuildPlan;
use crate::golang::deps as go_deps;
use crate::model::{Finding, Severity};
use crate::reloaders::air::config::AirConfig;
use crate::reloaders::air::edit::Edit;
use crate::reloaders::event_rules::{EventRules, Verdict};
use crate::reloaders::watch_tree::Rules;
use crate::system::fsevents::Op;
use serde_json::json;
use std::time::Duration;

const GO_LIST_TIMEOUT: Duration = Duration::from_secs(5);

/// How many files a finding's evidence lists.
const LISTED: usize = 50;

pub(super) fn findings(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    let b = &f.ctx.project.air.build;
    let defaults = AirConfig::default().build.exclude_regex;
    let own_regex = b.exclude_regex.iter().any(|r| !defaults.contains(r));
    if (!own_regex && b.exclude_file.is_empty()) || f.ctx.project.go_mod.is_none() {
        return;
    }
    // `make build` or a script: which package is built is a guess, so is a finding.
    let guessed = build
        .approximation
        .as_deref()
        .is_some_and(|a| a.contains("not a `go build`"));
    let Ok(go) = which::which("go") else { return };
    let Ok(files) = go_deps::local_files(&go, build, &f.ctx.project.root, GO_LIST_TIMEOUT) else {
        return; // imports.rs says when go list cannot answer
    };
    let root = watch_root(f);
    let c = &f.ctx.project.air;
    let folders = Rules::air_in(c, &root);
    let events = EventRules::air_in(c, &root, &f.ctx.project.root);
    // Code a generator writes is excluded on purpose (the usual cure for a rebuild loop).
    let written = super::generated::named_outputs(f);
    // Each pattern with the files it hides, in the order air reads the config.
    let mut hidden: Vec<(String, Vec<String>)> = vec![];
    let compiled: Vec<std::path::PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .cloned()
        .collect();
    for file in files {
        let Some(rel) = rel_to_root(f, &file) else {
            continue;
        };
        let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d);
        // A test file embedded as data (`//go:embed epub/*`) is still nobody's code to build.
        if !air_watches(&folders, dir)
            || rel.ends_with("_test.go")
            || written.contains(&file)
            || crate::system::files::read(&file)
                .is_ok_and(|b| super::imports::is_generated(&String::from_utf8_lossy(&b)))
        {
            continue;
        }
        let Verdict::Dropped(why) = events.judge(Op::Write, &file, false) else {
            continue;
        };
        if !why.starts_with("matches exclude_") {
            continue;
        }
        match hidden.iter_mut().find(|(w, _)| *w == why) {
            Some((_, list)) => list.push(rel),
            None => hidden.push((why, vec![rel])),
        }
    }
    let in_container = !f.launches.is_empty() && f.launches.iter().all(|l| l.container.is_some());
    for (why, mut files) in hidden {
        files.sort();
        let key = if why.starts_with("matches exclude_regex") {
            "build.exclude_regex"
        } else {
            "build.exclude_file"
        };
        // `matches exclude_regex "tmp"`: the pattern as written.
        let raw = why.split_once('"').map_or("", |(_, p)| p);
        let raw = raw.strip_suffix('"').unwrap_or(raw);
        let pattern = format!("\"{raw}\"");
        let shown = files.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let more = match files.len() {
            n if n > 3 => format!(" and {} more", n - 3),
            _ => String::new(),
        };
        let how = if key == "build.exclude_regex" {
            format!(
                "air matches it against the absolute path ({}/{})",
                root.display(),
                files[0]
            )
        } else {
            "air matches it against the path from root".to_string()
        };
        let todo = if key == "build.exclude_regex" {
            format!("narrow {pattern} so it matches only what it is meant to (anchor it: \"_templ\\\\.go$\", \"/mocks/\")")
        } else {
            format!("remove {pattern} from exclude_file, or name only the files meant")
        };
        // In a container the absolute path differs, and a guessed main package may not be
        // the one built: say so, without a fail. Only embedded data hidden (`zip.png`), or Go
        // files beside a `//go:generate` that may be the generator's own output (a
        // version.go it bumps): a warning too.
        let go_by_hand = files
            .iter()
            .any(|rel| rel.ends_with(".go") && !generator_beside(&root.join(rel)));
        // Files whose declarations nothing else the build compiles uses (neoxelox/odin's
        // cmd/api config excludes pkg/cli.go, which only declares NewCLI, of the same package
        // the api builds): editing them changes nothing the app runs.
        let unused: Option<Vec<String>> = files
            .iter()
            .map(|rel| unused_declarations(&root.join(rel), &compiled))
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|names| names.concat());
        if let Some(names) = unused {
            let mut evidence_files = files.clone();
            evidence_files.truncate(LISTED);
            out.push(
                Finding::info(format!(
                    "{}: {} {pattern} matches {shown}{more}, which the build compiles, but nothing else the build compiles uses what {} declare{} ({}) and {} no init() or package-level initializer: saving {} never rebuilds, and changes nothing the app runs",
                    f.at(key),
                    &key[6..],
                    if files.len() == 1 { "it" } else { "they" },
                    if files.len() == 1 { "s" } else { "" },
                    names.join(", "),
                    if files.len() == 1 { "it has" } else { "they have" },
                    if files.len() == 1 { "it" } else { "them" },
                ))
                .with_evidence(f.evidence(
                    key,
                    json!({"problem": Problem::ExcludesCompiledFiles, "pattern": raw, "files": evidence_files, "count": files.len(), "unused": names}),
                )),
            );
            continue;
        }
        let severity = if guessed || in_container || !go_by_hand {
            Severity::Warn
        } else {
            Severity::Fail
        };
        let mut evidence_files = files.clone();
        evidence_files.truncate(LISTED);
        out.push(
            Finding::new(
                severity,
                format!(
                    "{}: {} {pattern} matches {shown}{more}, which the build compiles ({how}): saving {} never rebuilds; {todo}",
                    f.at(key),
                    &key[6..],
                    if files.len() == 1 { "it" } else { "them" },
                ),
            )
            .with_evidence(f.evidence(
                key,
                json!({"problem": Problem::ExcludesCompiledFiles, "pattern": raw, "files": evidence_files, "count": files.len()}),
            ))
            .with_fix(manual(todo)),
        );
    }
}

/// The names a Go file declares at the top level, when nothing in the other compiled Go
/// files (`compiled`) names any of them and the file runs nothing by being compiled: no
/// `init`, no package-level `var` with an initializer, no method on a type declared
/// elsewhere, no cgo, no `//go:` or `//export` directive. None on any doubt (a file that
/// does not lex, a declaration form not understood, a name found elsewhere).
fn unused_declarations(
    file: &std::path::Path,
    compiled: &[std::path::PathBuf],
) -> Option<Vec<String>> {
    use crate::golang::lexer::{tokenize, Kind};
    if file.extension().is_none_or(|e| e != "go") {
        return None;
    }
    let text = crate::system::files::read_to_string(file).ok()?;
    if text.contains("//go:") || text.contains("//export") || text.contains("\"C\"") {
        return None;
    }
    let tokens = tokenize(&text).ok()?;
    let ident = |i: usize| match tokens.get(i).map(|t| &t.kind) {
        Some(Kind::Ident(n)) => Some(n.as_str()),
        _ => None,
    };
    let mut names: Vec<String> = vec![];
    let mut receivers: Vec<String> = vec![];
    let mut depth = 0i32;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        match &t.kind {
            Kind::Punct('(' | '{' | '[') => depth += 1,
            Kind::Punct(')' | '}' | ']') => depth -= 1,
            Kind::Ident(kw) if depth == 0 => match kw.as_str() {
                "package" | "import" => {}
                "func" => {
                    if tokens.get(i + 1)?.is_punct('(') {
                        // A method: `func (r *T) Name(`; its receiver type must be declared
                        // here and unused elsewhere.
                        let close = (i + 2..tokens.len()).find(|&j| tokens[j].is_punct(')'))?;
                        receivers.push(ident(close - 1)?.to_string());
                        ident(close + 1)?;
                    } else {
                        let name = ident(i + 1)?;
                        if name == "init" || name == "main" {
                            return None;
                        }
                        names.push(name.to_string());
                    }
                }
                "type" | "const" | "var" => {
                    let is_var = kw == "var";
                    if tokens.get(i + 1)?.is_punct('(') {
                        // A group: the first name of each line at the group's depth.
                        let mut d = 0;
                        let mut line = 0;
                        let mut j = i + 1;
                        loop {
                            let tj = tokens.get(j)?;
                            match &tj.kind {
                                Kind::Punct('(' | '{' | '[') => d += 1,
                                Kind::Punct(')' | '}' | ']') => {
                                    d -= 1;
                                    if d == 0 {
                                        break;
                                    }
                                }
                                Kind::Punct('=') if is_var && d == 1 => return None,
                                Kind::Ident(n) if d == 1 && tj.line != line => {
                                    line = tj.line;
                                    names.push(n.clone());
                                }
                                _ => {}
                            }
                            j += 1;
                        }
                        i = j;
                    } else {
                        let name = ident(i + 1)?;
                        names.push(name.to_string());
                        if is_var {
                            // `var a, b T = ...` up to the end of its line.
                            let line = tokens[i].line;
                            if tokens[i..]
                                .iter()
                                .take_while(|t| t.line == line)
                                .any(|t| t.is_punct('='))
                            {
                                return None;
                            }
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    if depth != 0 || names.is_empty() || receivers.iter().any(|r| !names.contains(r)) {
        return None;
    }
    names.retain(|n| n != "_");
    let canonical =
        |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let me = canonical(file);
    let dir = me.parent()?.to_path_buf();
    // The last word of the package's import path: another package reaches the names only by
    // importing it (`"github.com/neoxelox/odin/pkg"`); a same-named type of its own
    // (`class.CLI`) is not this one.
    let last = format!("/{}", dir.file_name()?.to_string_lossy());
    for other in compiled {
        let other = canonical(other);
        if other == me {
            continue;
        }
        let text = crate::system::files::read_to_string(&other).ok()?;
        let tokens = tokenize(&text).ok()?;
        let same_package = other.parent() == Some(dir.as_path());
        let imports = tokens
            .iter()
            .any(|t| matches!(&t.kind, Kind::Str(s) if s.ends_with(&last)));
        if (same_package || imports)
            && tokens
                .iter()
                .any(|t| matches!(&t.kind, Kind::Ident(n) if names.contains(n)))
        {
            return None;
        }
    }
    Some(names)
}

/// Whether a `.go` file of `file`'s folder carries a `//go:generate` directive.
fn generator_beside(file: &std::path::Path) -> bool {
    let Some(dir) = file.parent() else {
        return false;
    };
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name().to_string_lossy().ends_with(".go")
                && crate::system::files::read(e.path()).is_ok_and(|b| {
                    String::from_utf8_lossy(&b)
                        .lines()
                        .any(|l| l.trim_start().starts_with("//go:generate"))
                })
        })
    })
}

/// Files a package the build compiles embeds (`//go:embed`: web assets, SQL, prompts) that
/// air never reacts to although it watches the package's own folder: their extension is not
/// in include_ext (air's event filter drops them, v1.67.4 `runner/engine.go`), or they sit
/// in a folder air's walk skips. Saving one never rebuilds, so the running binary keeps the
/// old copy. From `go list -deps` (EmbedFiles of every package of this module and the
/// modules it uses from folders, as go resolves the patterns), so what main imports counts
/// too. A package whose folder air skips is imports.rs's; exclude_file and exclude_regex
/// are [`findings`]'.
pub(super) fn embeds(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    if f.ctx.project.go_mod.is_none() {
        return;
    }
    let Ok(go) = which::which("go") else { return };
    let Ok(embedded) = go_deps::local_embeds(&go, build, &f.ctx.project.root, GO_LIST_TIMEOUT)
    else {
        return;
    };
    let root = watch_root(f);
    let c = &f.ctx.project.air;
    let folders = Rules::air_in(c, &root);
    let events = EventRules::air_in(c, &root, &f.ctx.project.root);
    let written = super::generated::named_outputs(f);
    let out_dirs = super::generated::output_dirs(f);
    // Files the build's own steps write (tsc's outDir, `-o` of tailwind): rewritten from
    // their sources each build, no edit of theirs to miss.
    let mut own: Vec<String> = vec![];
    // Files air drops by extension (with the extension, "" for none), and by folder (with
    // the folder and why air skips it); the //go:embed lines that name them.
    let mut by_ext: Vec<(String, String)> = vec![];
    let mut by_folder: Vec<(String, String)> = vec![];
    let mut lines: Vec<String> = vec![];
    for (pkg, file, line) in embedded.iter().flat_map(|p| {
        let lines = embed_lines(f, &p.go_files);
        p.embeds
            .iter()
            .map(move |file| (&p.dir, file.clone(), embed_line(&lines, &p.dir, file)))
    }) {
        let (Some(pkg_rel), Some(rel)) = (rel_to_root(f, pkg), rel_to_root(f, &file)) else {
            continue;
        };
        // An empty placeholder (`dist/.gitkeep`) is nobody's edit; a schema a generator's
        // code embeds (gqlgen's generated.go) is followed by a regenerated .go file.
        let by_build = written.contains(&file) || out_dirs.iter().any(|d| file.starts_with(d));
        if !air_watches(&folders, &pkg_rel)
            || std::fs::metadata(&file).is_ok_and(|m| m.len() == 0)
            || line.is_none()
        {
            continue;
        }
        let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d);
        let dropped = if by_build {
            let skipped = super::air_view::skipped_folder(c, &folders, dir).is_some();
            if skipped
                || matches!(events.judge(Op::Write, &file, false), Verdict::Dropped(why) if why.contains(" is not in "))
            {
                own.push(rel);
            }
            false
        } else if let Some((folder, why)) = super::air_view::skipped_folder(c, &folders, dir) {
            by_folder.push((rel, format!("\"{folder}\" ({why} it)")));
            true
        } else if let Verdict::Dropped(why) = events.judge(Op::Write, &file, false) {
            if why.contains(" is not in ") {
                // Go's filepath.Ext, as air compares it: ".ico" for a file named `.ico`.
                let abs = file.to_string_lossy();
                let ext = crate::filepath::go_ext(&abs)
                    .trim_start_matches('.')
                    .to_string();
                by_ext.push((rel, ext));
                true
            } else {
                false
            }
        } else {
            false
        };
        if dropped {
            if let Some(line) = line {
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
    }
    if !own.is_empty() {
        own.sort();
        let shown = own.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let shown = match own.len() {
            n if n > 3 => format!("{shown} and {} more", n - 3),
            _ => shown,
        };
        out.push(
            Finding::info(format!(
                "{}: the build embeds {shown} with //go:embed, which air does not react to, but the build writes {} itself (an output a step of pre_cmd/cmd names, or tsc's outDir): each build rewrites {} from the sources, so nothing needs watching there (watching {} would start a new build after every build)",
                f.at("build.include_ext"),
                if own.len() == 1 { "it" } else { "them" },
                if own.len() == 1 { "it" } else { "them" },
                if own.len() == 1 { "it" } else { "them" },
            ))
            .with_evidence(f.evidence(
                "build.include_ext",
                json!({"problem": Problem::UnwatchedEmbeds, "files": own.iter().take(LISTED).collect::<Vec<_>>(), "count": own.len(), "build_output": true}),
            )),
        );
    }
    if by_ext.is_empty() && by_folder.is_empty() {
        return;
    }
    // What a person edits while air runs (templates, SQL, prompts, styles) is the warning;
    // images, fonts and a frontend build's output change by a build, not a save, so with
    // nothing else they are a note.
    let edited = |v: &[(String, String)]| v.iter().any(|(rel, _)| !nobody_edits(rel));
    let warn = edited(&by_ext) || edited(&by_folder);
    if warn {
        by_ext.retain(|(rel, _)| !nobody_edits(rel));
        by_folder.retain(|(rel, _)| !nobody_edits(rel));
    }
    let severity = |message: String| {
        if warn {
            Finding::warn(message)
        } else {
            Finding::info(format!("{message} (images, fonts or a build's output, which a build rather than a save changes)"))
        }
    };
    let listed = |files: &[String]| {
        let shown = files.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        match files.len() {
            n if n > 3 => format!("{shown} and {} more", n - 3),
            _ => shown,
        }
    };
    let at_lines = match lines.len() {
        0 => String::new(),
        1..=2 => format!(" ({})", lines.join(", ")),
        n => format!(" ({} and {} more)", lines[..2].join(", "), n - 2),
    };
    if !by_ext.is_empty() {
        by_ext.sort();
        let files: Vec<String> = by_ext.iter().map(|(r, _)| r.clone()).collect();
        let mut exts: Vec<String> = by_ext
            .iter()
            .map(|(_, e)| e.clone())
            .filter(|e| !e.is_empty())
            .collect();
        exts.sort();
        exts.dedup();
        let bare: Vec<String> = by_ext
            .iter()
            .filter(|(_, e)| e.is_empty())
            .map(|(r, _)| format!("\"{r}\""))
            .collect();
        let mut todo = vec![];
        if !exts.is_empty() {
            let shown: Vec<String> = exts.iter().map(|e| format!("\"{e}\"")).collect();
            todo.push(format!("add {} to include_ext", shown.join(", ")));
        }
        if !bare.is_empty() {
            todo.push(format!(
                "name {} in include_file (air matches no extension-less file by include_ext)",
                listed(&bare)
            ));
        }
        let todo = todo.join("; ");
        let finding = severity(format!(
            "{}: the build embeds {} with //go:embed{at_lines}, but air does not react to {} (not in include_ext): saving {} never rebuilds, so the running app keeps the old copy; {todo}",
            f.at("build.include_ext"),
            listed(&files),
            if files.len() == 1 { "it" } else { "them" },
            if files.len() == 1 { "it" } else { "them" },
        ))
        .with_evidence(f.evidence(
            "build.include_ext",
            json!({"problem": Problem::UnwatchedEmbeds, "files": files.iter().take(LISTED).collect::<Vec<_>>(), "count": files.len(), "extensions": exts, "embeds": lines}),
        ));
        let mut wanted = c.build.include_ext.clone();
        wanted.extend(
            exts.iter()
                .filter(|e| !c.build.include_ext.contains(e))
                .cloned(),
        );
        let fix = (!exts.is_empty() && bare.is_empty())
            .then(|| {
                let value: toml_edit::Array = wanted.iter().map(String::as_str).collect();
                f.write_fix(
                    format!("add {} to include_ext in {}", exts.join(", "), f.name),
                    vec![Edit::Set {
                        table: "build",
                        key: "include_ext",
                        value: value.into(),
                    }],
                )
            })
            .flatten();
        out.push(match fix {
            Some(fix) => finding.with_fix(fix),
            None => finding.with_fix(manual(todo)),
        });
    }
    if !by_folder.is_empty() {
        by_folder.sort();
        let files: Vec<String> = by_folder.iter().map(|(r, _)| r.clone()).collect();
        let mut why: Vec<String> = by_folder.iter().map(|(_, w)| w.clone()).collect();
        why.dedup();
        let todo = "if you edit them while air runs, let air watch that folder (remove it from exclude_dir, or add it to include_dir)".to_string();
        out.push(
            severity(format!(
                "{}: the build embeds {} with //go:embed{at_lines}, but they sit in {}, a folder air never watches: saving them never rebuilds, so the running app keeps the old copy; {todo}",
                f.at("build.exclude_dir"),
                listed(&files),
                why.join(", "),
            ))
            .with_evidence(f.evidence(
                "build.exclude_dir",
                json!({"problem": Problem::UnwatchedEmbeds, "files": files.iter().take(LISTED).collect::<Vec<_>>(), "count": files.len(), "embeds": lines}),
            ))
            .with_fix(manual(todo)),
        );
    }
}

/// An embedded file no one edits by hand while air runs: an image, font, media file, source
/// map, archive, checksum or lock file (atlas.sum), certificate, or a file in a frontend
/// build's output folder (`dist/`, `build/`).
fn nobody_edits(rel: &str) -> bool {
    const BINARY: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "icns", "woff", "woff2", "ttf",
        "otf", "eot", "map", "wasm", "zip", "gz", "br", "tar", "pdf", "mp3", "mp4", "webm", "ogg",
        "wav", "sum", "lock", "pem", "crt", "der",
    ];
    const OUTPUT: &[&str] = &["dist", "build", "out", ".output", ".next", ".svelte-kit"];
    let ext = crate::filepath::go_ext(rel)
        .trim_start_matches('.')
        .to_ascii_lowercase();
    BINARY.contains(&ext.as_str())
        || rel
            .split('/')
            .rev()
            .skip(1)
            .any(|folder| OUTPUT.contains(&folder))
}

/// `app/embed/embed.go:6`: a `//go:embed` line of a package, in the Go files the build
/// compiles there (`go_files`, as go lists them: not a file its `//go:build` line leaves
/// out, unless the command names it) written by hand, not generated; root-relative; None
/// when there is none. Every such line once per package ([`embed_lines`]), then the one whose patterns name
/// `embedded` (a file of the package folder `dir`) is preferred: lib/system's
/// init_wrapper.go:5 `//go:embed init/init.sh`, not guest_agent_binary.go:7.
fn embed_line(
    lines: &[(String, String)],
    dir: &std::path::Path,
    embedded: &std::path::Path,
) -> Option<String> {
    let inside = embedded
        .strip_prefix(dir)
        .ok()
        .map(|r| r.to_string_lossy().into_owned());
    let names_it = |line: &str| {
        let Some(inside) = &inside else { return false };
        let parts: Vec<&str> = inside.split('/').collect();
        line.trim_start()
            .trim_start_matches("//go:embed")
            .split_whitespace()
            .map(|w| w.trim_matches(['"', '`']))
            .map(|w| w.strip_prefix("all:").unwrap_or(w))
            .any(|pattern| {
                let elements: Vec<&str> = pattern.split('/').filter(|e| *e != ".").collect();
                elements.len() <= parts.len()
                    && elements
                        .iter()
                        .zip(&parts)
                        .all(|(p, n)| crate::filepath::go_match(p, n))
            })
    };
    lines
        .iter()
        .find(|(_, l)| names_it(l))
        .or_else(|| lines.first())
        .map(|(at, _)| at.clone())
}

/// The `//go:embed` lines of the package's hand-written Go files, in file order: (place, line).
fn embed_lines(f: &AirFile, go_files: &[std::path::PathBuf]) -> Vec<(String, String)> {
    let mut files = go_files.to_vec();
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let text = String::from_utf8_lossy(&crate::system::files::read(p).ok()?).into_owned();
            if super::imports::is_generated(&text) {
                return None;
            }
            let at = rel_to_root(f, p)?;
            Some(
                text.lines()
                    .enumerate()
                    .filter(|(_, l)| l.trim_start().starts_with("//go:embed"))
                    .map(|(n, l)| (format!("{at}:{}", n + 1), l.to_string()))
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect()
}
