//! `editor-saves`: does each way an editor saves make the reloader rebuild exactly once?

use super::check::Check;
use crate::context::Context;
use crate::model::{Action, Applicability, Finding, Fix, Outcome};
use crate::probe::editor_saves::{self as saves, Editor, Replayed, SOURCE};
use crate::probe::scratch;
use crate::reloaders::event_rules::{EventRules, Verdict};
use serde_json::{json, Value};
use std::path::Path;

pub static CHECK: Check = Check {
    id: "editor-saves",
    purpose: "editor save styles (in place, temp + rename, backup by rename) replayed against the reloader's rules",
    explain: "\
Looks at: how editors save, replayed for real in a hidden scratch folder in the project
(.reload-doctor-saves-<pid>, skipped by reloaders and removed afterwards) under an inotify
watch: in place (VS Code), write-temp-then-rename (Sublime atomic_save, JetBrains safe
write: main.go___jb_tmp___, main.go___jb_old___), backup by rename (Vim: the 4913 probe,
main.go~; Emacs: the .#main.go lock link, #main.go# auto-save, main.go~ backup). The events
are judged with the reloader's own rules as if the folder were the project root. air:
chmod-only events are dropped, then exclude_file, exclude_regex, then include_ext and
include_file decide. fresh: every event counts (chmod too) unless under tmp_path or its
extension is not in valid_ext. Triggers closer together than the delay (air: build.delay,
fresh: build_delay) are one rebuild. Also reads .vscode/settings.json
(files.watcherExclude, files.autoSave) and notes editors seen in the project (.vscode, .idea,
Vim swap files, Emacs lock files, EDITOR); problems are reported for those editors, and for
saving in place, which most editors do.

Why it breaks hot reload: a temp name with a watched extension (Emacs' .#main.go ends in .go)
rebuilds when you start typing; an include_ext without the source's extension never
rebuilds. VS Code's files.watcherExclude only changes VS Code's own watcher (explorer
refresh, files changed on disk), never how it saves or what air sees. JetBrains' safe write
is an IDE-wide setting (Settings > Appearance & Behavior > System Settings), not stored in
.idea.

Fix by hand: exclude temp names with build.exclude_regex, e.g.
  exclude_regex = [\"_test.go\", '/\\.#']
and keep the source extensions in build.include_ext.",
    problems: &[],
    run,
};

fn run(ctx: &Context) -> Outcome {
    if let Some(why) = ctx.system.proc_unusable() {
        return Outcome::skipped(why);
    }
    let root = std::fs::canonicalize(ctx.project.watch_root())
        .unwrap_or_else(|_| ctx.project.watch_root());
    let Some(rules) = ctx.project.event_rules(&root) else {
        return Outcome::skipped(
            "gin polls the modification times of .go files every 500 ms and skips hidden files, so how an editor saves does not matter",
        );
    };
    if let Err(e) = nix::unistd::access(&root, nix::unistd::AccessFlags::W_OK) {
        return Outcome::skipped(format!(
            "{} is not writable ({}), so saves cannot be replayed there",
            root.display(),
            e.desc()
        ));
    }
    let tmp = root.join(&ctx.project.air.tmp_dir);
    let parent = match scratch::quiet_parent(&root, Some(&rules), &tmp) {
        Ok(p) => p,
        Err(why) => return Outcome::skipped(format!("saves not replayed: {why}")),
    };
    let replays = match saves::replay(&parent) {
        Ok(r) => r,
        Err(e) => return Outcome::Errored(format!("could not replay editor saves: {e}")),
    };

    let editors = editors_seen(&ctx.project.root);
    let output_watched = output_dir_watched(ctx);

    let mut findings = vec![];
    let mut facts = vec![];
    // Deviations by outcome, e.g. "none" -> [in-place, emacs].
    let mut off: Vec<(String, Vec<&str>)> = vec![];
    let mut output_triggers = false;
    for r in &replays {
        let judged = judge(&rules, &root, r);
        facts.push(evidence(r, &judged));
        let p = r.pattern;
        let wrong = if p.should_rebuild {
            judged.rebuilds != 1
        } else {
            judged.rebuilds > 0
        };
        if !wrong {
            continue;
        }
        if p.should_rebuild {
            let outcome = count(judged.rebuilds);
            match off.iter_mut().find(|(o, _)| *o == outcome) {
                Some((_, ids)) => ids.push(p.id),
                None => off.push((outcome, vec![p.id])),
            }
        } else {
            output_triggers = true;
        }
        let relevant = match p.editor {
            Some(e) => editors.iter().any(|(seen, _)| *seen == e),
            None => p.should_rebuild || output_watched,
        };
        if relevant {
            findings.push(pattern_finding(ctx, &rules, r, &judged));
        }
    }
    findings.extend(vscode_findings(ctx));

    let styles = replays.iter().filter(|r| r.pattern.should_rebuild).count();
    let wrong: usize = off.iter().map(|(_, ids)| ids.len()).sum();
    let mut summary = format!(
        "{} of {styles} editor save styles rebuild once with {}'s rules",
        styles - wrong,
        rules.reloader
    );
    for (outcome, ids) in &off {
        summary += &format!("; {outcome}: {}", ids.join(", "));
    }
    if output_triggers {
        summary += "; go build output triggers rebuilds";
    }
    if !editors.is_empty() {
        let seen: Vec<String> = editors.iter().map(|(_, why)| why.clone()).collect();
        summary += &format!("; seen here: {}", seen.join(", "));
    }
    let seen: Vec<Value> = editors
        .iter()
        .map(|(e, why)| json!({"editor": e, "evidence": why}))
        .collect();
    Outcome::ran(summary, findings).with_evidence(json!({
        "rules": rules.reloader,
        "delay_ms": rules.delay.as_millis() as u64,
        "patterns": facts,
        "editors_seen": seen,
    }))
}

/// `none`, `1 rebuild`, `2 rebuilds`.
fn count(n: usize) -> String {
    match n {
        0 => "none".into(),
        1 => "1 rebuild".into(),
        n => format!("{n} rebuilds"),
    }
}

/// One pattern's events judged by the rules.
struct Judged {
    rebuilds: usize,
    /// (phase, op, name) of each triggering event.
    triggers: Vec<(usize, &'static str, String)>,
    /// (op, name, why) of each dropped event.
    dropped: Vec<(&'static str, String, String)>,
}

fn judge(rules: &EventRules, root: &Path, r: &Replayed) -> Judged {
    let mut j = Judged {
        rebuilds: 0,
        triggers: vec![],
        dropped: vec![],
    };
    for (phase, events) in r.phases.iter().enumerate() {
        let mut times = vec![];
        for e in events {
            let name = e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match rules.judge(e.op, &root.join(&name), false) {
                Verdict::Trigger => {
                    times.push(e.at);
                    j.triggers.push((phase, e.op.as_str(), name));
                }
                Verdict::Dropped(why) => j.dropped.push((e.op.as_str(), name, why)),
            }
        }
        j.rebuilds += rules.rebuilds(&times);
    }
    j
}

fn evidence(r: &Replayed, j: &Judged) -> Value {
    json!({
        "pattern": r.pattern.id,
        "who": r.pattern.who,
        "rebuilds": j.rebuilds,
        "verdict": match j.rebuilds { 0 => "none", 1 => "one", _ => "several" },
        "phases": r.phases.len(),
        "triggers": j.triggers.iter().map(|(p, op, n)| json!({"phase": p, "op": op, "file": n})).collect::<Vec<_>>(),
        "dropped": j.dropped.iter().map(|(op, n, why)| json!({"op": op, "file": n, "why": why})).collect::<Vec<_>>(),
    })
}

fn pattern_finding(ctx: &Context, rules: &EventRules, r: &Replayed, j: &Judged) -> Finding {
    let p = r.pattern;
    let ev = evidence(r, j);
    if !p.should_rebuild {
        let names: Vec<&str> = j.triggers.iter().map(|t| t.2.as_str()).collect();
        return Finding::warn(format!(
            "{} triggers {} in the watched output folder ({}): every build starts the next one; exclude the output folder",
            p.who,
            count(j.rebuilds),
            names.join(", ")
        ))
        .with_evidence(ev);
    }
    if j.rebuilds == 0 {
        let drop = j.dropped.iter().find(|d| d.1 == SOURCE && d.0 != "CHMOD");
        let why = drop.map_or("no event matched".to_string(), |d| {
            format!("{} {}: {}", d.0, d.1, d.2)
        });
        let what_to_do = match drop.map(|d| d.2.as_str()) {
            Some(w) if w.contains("include_ext") => "add \"go\" to build.include_ext",
            Some(w) if w.contains("valid_ext") => "add .go to valid_ext in runner.conf",
            Some(w) if w.contains("tmp_path") => "point tmp_path elsewhere in runner.conf",
            Some(w) if w.contains("exclude_file") => "narrow that build.exclude_file entry",
            Some(w) if w.contains("exclude_regex") => "narrow that build.exclude_regex entry",
            _ => "check the extensions and exclude settings",
        };
        return Finding::warn(format!(
            "{SOURCE} saved by {} never rebuilds ({why}); {what_to_do}",
            p.who
        ))
        .with_evidence(ev);
    }
    // Several: name the temp files that trigger besides the source itself.
    let mut extra: Vec<&str> = j
        .triggers
        .iter()
        .map(|t| t.2.as_str())
        .filter(|n| *n != SOURCE)
        .collect();
    extra.sort_unstable();
    extra.dedup();
    let regexes: Vec<&str> = extra.iter().filter_map(|n| exclude_regex_for(n)).collect();
    let mut f = Finding::warn(format!(
        "{}: {} per save instead of 1, because {} also {} {}'s rules",
        p.who,
        count(j.rebuilds),
        if extra.is_empty() {
            SOURCE.to_string()
        } else {
            extra.join(", ")
        },
        if extra.len() > 1 { "pass" } else { "passes" },
        rules.reloader,
    ))
    .with_evidence(ev);
    // fresh has no setting to exclude files by name.
    if !regexes.is_empty() && rules.reloader == "air" {
        f = f.with_fix(exclude_fix(ctx, &regexes));
    }
    f
}

/// A regex (Go syntax, matched against the absolute path) that excludes a temp name.
fn exclude_regex_for(name: &str) -> Option<&'static str> {
    if name.starts_with(".#") {
        Some("/\\.#")
    } else if name.starts_with('#') && name.ends_with('#') {
        Some("/#[^/]*#$")
    } else if name.ends_with('~') {
        Some("~$")
    } else if name.ends_with("___jb_tmp___") || name.ends_with("___jb_old___") {
        Some("___jb_(tmp|old)___$")
    } else if name.ends_with(".swp") || name.ends_with(".swx") {
        Some("\\.sw[px]$")
    } else if name == "4913" {
        Some("/4913$")
    } else if name.starts_with(".subl") && name.ends_with(".tmp") {
        Some("/\\.subl[^/]*\\.tmp$")
    } else {
        None
    }
}

fn exclude_fix(ctx: &Context, add: &[&str]) -> Fix {
    let file = ctx
        .project
        .config_path
        .as_ref()
        .map_or_else(|| ".air.toml".into(), |p| ctx.project.display_path(p));
    let mut all: Vec<String> = ctx.project.air.build.exclude_regex.clone();
    for r in add {
        if !all.iter().any(|x| x == r) {
            all.push(r.to_string());
        }
    }
    let list = all
        .iter()
        .map(|r| toml::Value::String(r.clone()).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let line = format!("exclude_regex = [{list}]");
    Fix {
        summary: format!("set {line} in [build] of {file}"),
        applicability: Applicability::Manual,
        needs_root: false,
        action: Action::Manual {
            steps: vec![format!("in {file}, under [build]: {line}")],
        },
    }
}

/// Editors that left traces in the project root (or are the user's EDITOR), with the trace.
fn editors_seen(root: &Path) -> Vec<(Editor, String)> {
    let mut seen: Vec<(Editor, String)> = vec![];
    let mut add = |e: Editor, why: String| {
        if !seen.iter().any(|(s, _)| *s == e) {
            seen.push((e, why));
        }
    };
    if root.join(".vscode").is_dir() {
        add(Editor::VsCode, "VS Code (.vscode/)".into());
    }
    if root.join(".idea").is_dir() {
        add(
            Editor::JetBrains,
            "JetBrains (.idea/; safe write is an IDE-wide setting, replayed as on)".into(),
        );
    }
    let names: Vec<String> = std::fs::read_dir(root)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for n in &names {
        if n.ends_with(".sublime-project") {
            add(Editor::Sublime, format!("Sublime Text ({n})"));
        } else if n.starts_with('.') && (n.ends_with(".swp") || n.ends_with(".swo")) {
            add(Editor::Vim, format!("Vim ({n})"));
        } else if n.starts_with(".#") || n == ".dir-locals.el" {
            add(Editor::Emacs, format!("Emacs ({n})"));
        }
    }
    for var in ["VISUAL", "EDITOR"] {
        let Ok(v) = std::env::var(var) else { continue };
        let prog = v
            .split_whitespace()
            .next()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("");
        if prog.contains("vim") || prog == "vi" {
            add(Editor::Vim, format!("Vim ({var}={v})"));
        } else if prog.starts_with("emacs") {
            add(Editor::Emacs, format!("Emacs ({var}={v})"));
        }
    }
    seen
}

/// Whether the folder air builds into is inside the watched tree (then build output counts).
fn output_dir_watched(ctx: &Context) -> bool {
    let bin = crate::reloaders::air::config::clean_rel(&ctx.project.air.build.bin);
    let dir = bin.rsplit_once('/').map_or(".", |(d, _)| d);
    ctx.watch_tree().dirs.iter().any(|d| d.rel == dir)
}

/// What `.vscode/settings.json` says that bears on reloading.
fn vscode_findings(ctx: &Context) -> Vec<Finding> {
    let path = ctx.project.root.join(".vscode/settings.json");
    let Ok(text) = crate::system::files::read_to_string(&path) else {
        return vec![];
    };
    let shown = ".vscode/settings.json";
    let settings: Value = match serde_json::from_str(&strip_jsonc(&text)) {
        Ok(v) => v,
        Err(e) => {
            return vec![Finding::info(format!(
                "{shown} is not valid JSON (line {}: {e}); VS Code ignores it too",
                e.line()
            ))]
        }
    };
    let mut out = vec![];
    if let Some(globs) = settings
        .get("files.watcherExclude")
        .and_then(Value::as_object)
    {
        for (glob, on) in globs {
            if on != &Value::Bool(true) {
                continue;
            }
            let Some(re) = vscode_glob(glob) else {
                continue;
            };
            let hidden: Vec<&str> = ctx
                .watch_tree()
                .dirs
                .iter()
                .filter(|d| d.source_files > 0)
                .filter(|d| {
                    let file = if d.rel == "." {
                        "x.go".to_string()
                    } else {
                        format!("{}/x.go", d.rel)
                    };
                    re.is_match(&file)
                })
                .map(|d| d.rel.as_str())
                .collect();
            if hidden.is_empty() {
                continue;
            }
            out.push(
                Finding::info(format!(
                    "files.watcherExclude \"{glob}\" in {shown} hides {} from VS Code's own file watcher only: VS Code will not notice changes made there by other programs (git, generators); it does not change how VS Code saves or what air sees",
                    hidden.join(", ")
                ))
                .with_evidence(json!({"setting": "files.watcherExclude", "glob": glob, "source_dirs": hidden})),
            );
        }
    }
    if settings.get("files.autoSave").and_then(Value::as_str) == Some("afterDelay") {
        let delay = settings
            .get("files.autoSaveDelay")
            .and_then(Value::as_u64)
            .unwrap_or(1000);
        out.push(
            Finding::info(format!(
                "files.autoSave = afterDelay in {shown}: VS Code saves {delay} ms after you stop typing, and each save rebuilds; \"onFocusChange\" rebuilds only when you leave the editor"
            ))
            .with_evidence(json!({"setting": "files.autoSave", "value": "afterDelay", "delay_ms": delay})),
        );
    }
    out
}

/// JSON with comments and trailing commas (VS Code's settings format) as plain JSON.
fn strip_jsonc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                // Keep the newline so error line numbers stay right.
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                    }
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            (',', _) => {
                let rest: String = chars.clone().collect();
                let next = rest.trim_start().chars().next();
                if !matches!(next, Some('}') | Some(']')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A VS Code glob (`**`, `*`, `?`, `{a,b}`) as an anchored regex on a relative path.
fn vscode_glob(glob: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let g: Vec<char> = glob.trim_start_matches("./").chars().collect();
    let mut i = 0;
    while i < g.len() {
        match g[i] {
            '*' if g.get(i + 1) == Some(&'*') => {
                // `**/` matches zero or more folders.
                if g.get(i + 2) == Some(&'/') {
                    re += "(?:.*/)?";
                    i += 1;
                } else {
                    re += ".*";
                }
                i += 1;
            }
            '*' => re += "[^/]*",
            '?' => re += "[^/]",
            '{' => re += "(?:",
            '}' => re += ")",
            ',' => re += "|",
            c => re += &regex::escape(&c.to_string()),
        }
        i += 1;
    }
    re += "$";
    regex::Regex::new(&re).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_comments_and_trailing_commas() {
        let v: Value = serde_json::from_str(&strip_jsonc(
            "{\n // c\n \"a\": \"x//y\", /* b\n */ \"b\": [1,2,],\n}",
        ))
        .unwrap();
        assert_eq!(v, json!({"a": "x//y", "b": [1, 2]}));
    }

    #[test]
    fn vscode_globs() {
        let m = |g: &str, p: &str| vscode_glob(g).unwrap().is_match(p);
        assert!(m("**/internal/**", "internal/x.go"));
        assert!(m("**/internal/**", "a/internal/b/x.go"));
        assert!(!m("**/internal/**", "internals/x.go"));
        assert!(m("**/{vendor,node_modules}/**", "vendor/x.go"));
        assert!(m("*.go", "x.go") && !m("*.go", "a/x.go"));
    }

    #[test]
    fn temp_names_get_exclude_regexes_that_match_them() {
        for name in [
            ".#main.go",
            "#main.go#",
            "main.go~",
            "main.go___jb_tmp___",
            ".main.go.swp",
            "4913",
            ".subl883.tmp",
        ] {
            let re = regex::Regex::new(exclude_regex_for(name).unwrap()).unwrap();
            assert!(re.is_match(&format!("/p/{name}")), "{name}");
            assert!(!re.is_match("/p/main.go"), "{name}");
        }
    }
}
