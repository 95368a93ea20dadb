//! What each unknown, misplaced, mistyped or zero-valued key means to air, and how much the
//! user loses by it: most keys other tools or guesses put there ask for what air does anyway.

use super::config_file::{evidence, site, stopping, AirFile};
use super::problems::Problem as Id;
use crate::model::Finding;
use crate::reloaders::air::edit::Edit;
use crate::reloaders::air::keys::{self as air_keys, table_label, Issue, Problem};
use crate::reloaders::air::launch::{ConfigRef, LaunchContext};
use crate::reloaders::air::written::Written;
use crate::suggest::distance;
use serde_json::json;

/// What air offers instead of a table other tools have (`[hooks]` of other reloaders,
/// `[serve]` of dev servers).
fn instead(path: &str) -> Option<&'static str> {
    match path.split('.').next()? {
        "hooks" => Some("air runs commands from [build] pre_cmd = [...] before each build and post_cmd = [...] when it exits"),
        "serve" | "server" => Some("air's browser-reloading proxy is [proxy] enabled = true, proxy_port, app_port"),
        _ => None,
    }
}

/// What an unknown, misplaced, mistyped or zero-valued key means to air, and the fix.
pub(super) fn key_finding(
    file: &str,
    issue: &Issue,
    written: &Written,
    unread: Option<&str>,
) -> Finding {
    let at = site(file, Some(issue.line));
    let key = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    let finding = match &issue.problem {
        // The table sets the key itself (a stray top-level `cmd = "air"` beside [build] cmd):
        // air uses that one, so the stray line changes nothing, and moving it would replace
        // the real value.
        Problem::Misplaced { belongs_in } if written.get(&join(belongs_in, key)).is_some() => {
            let real = join(belongs_in, key);
            Finding::info(format!(
                "{at}: {key} here is ignored: air reads it only from {}, which sets it already ({}: that value is the one air uses); delete this line",
                table_label(belongs_in),
                site(file, written.line(&real)),
            ))
        }
        Problem::Unknown { suggestion } => {
            let hint = match (suggestion, instead(&issue.path)) {
                (_, Some(offer)) => format!(" ({offer})"),
                (Some(s), None) => format!(" (did you mean {}?)", readable(s)),
                (None, None) => String::new(),
            };
            // [log] color = true, [color] server = "": air draws its output its own way;
            // nothing changes but the look.
            if ["log.", "color.", "screen.", "misc."]
                .iter()
                .any(|t| issue.path.starts_with(t))
            {
                Finding::info(format!(
                    "{at}: {} is not an air setting{hint}; air ignores it: nothing changes but the look of its output",
                    readable(&issue.path)
                ))
            } else {
                Finding::warn(format!(
                    "{at}: {} is not an air setting{hint}; air ignores it silently",
                    readable(&issue.path)
                ))
            }
        }
        // Another tool's layout: a top-level `build = "go build ..."` string (its build
        // command) beside `cmd = "./tmp/api"` (its run command). Moved into [build], cmd
        // would become air's build command: the run command is air's bin or full_bin.
        Problem::Misplaced { belongs_in } if layout_with_build_string(written, issue, belongs_in) => {
            Finding::warn(format!(
                "{at}: {key} here is the run command of another tool's layout (beside the top-level build = \"...\", its build command); air ignores both at the top level; do not move it to [build] {key}, which is air's build command: name what to run in [build] {} (or {}) and the build command in [build] {key}",
                air_keys::BUILD_BIN.name(),
                air_keys::BUILD_FULL_BIN.name(),
            ))
        }
        Problem::Misplaced { belongs_in } => Finding::warn(format!(
            "{at}: {key} belongs in {}, not {}; air ignores it here",
            table_label(belongs_in),
            table_label(issue.path.rsplit_once('.').map_or("", |(t, _)| t)),
        )),
        Problem::WrongType { expected, found } => stopping(unread, |when| {
            format!(
                "{at}: {} must be {expected}, not {found}; {when}air refuses to start (\"Can't convert\")",
                readable(&issue.path)
            )
        }),
        // No air release ever read stop_on_root (no commit of air-verse/air since 2017 has
        // the word): whatever its value, air does what it did without it.
        Problem::Retired { inert } => Finding::info(format!(
            "{at}: {} is a line some config templates carry, but no air release ever read it (air's history has no such key); air ignores it{}: nothing is lost; remove the line",
            readable(&issue.path),
            match inert {
                true => "",
                false => ", so the value written here never had an effect",
            }
        )),
        Problem::ZeroIgnored { applies } => {
            let (zero, alternative) = zero_advice(&issue.path);
            let unit = if key.ends_with("delay") { " ms" } else { "" };
            let text = format!(
                "{at}: {key} = {zero} does nothing: air skips zero values and uses {applies}{unit}; {alternative}"
            );
            // `delay = 0` is a 1 s wait, `keep_scroll = false` another escape code: what air
            // watches, builds and runs is the same; a note.
            match air_keys::find(&issue.path).is_some_and(|k| k.zero_only_timing_or_look()) {
                true => Finding::info(format!(
                    "{text} (only {} changes, not what air watches, builds or runs)",
                    match unit {
                        "" => "the look of air's output or log",
                        _ => "how long air waits",
                    }
                )),
                false => Finding::warn(text),
            }
        }
    };
    let kind = match issue.problem {
        Problem::Unknown { .. } => Id::UnknownKey,
        Problem::Misplaced { .. } => Id::MisplacedKey,
        Problem::WrongType { .. } => Id::WrongType,
        Problem::ZeroIgnored { .. } => Id::ZeroValueIgnored,
        Problem::Retired { .. } => Id::RetiredKey,
    };
    let suggestion = match &issue.problem {
        Problem::Unknown { suggestion } => suggestion.clone(),
        Problem::Misplaced { belongs_in } => Some(format!("{belongs_in}.{key}")),
        _ => None,
    };
    finding.with_evidence(evidence(
        file,
        Some(issue.line),
        &issue.path,
        json!({"problem": kind, "suggestion": suggestion}),
    ))
}

/// The safe rewrite for a key finding, when its target is certain: a misplaced key moved
/// to the only table that has it, a typo renamed to the one key it is closest to, a zero
/// value air replaces or a key of older airs commented out (air's behaviour stays the same,
/// the line no longer pretends otherwise).
pub(super) fn key_fix(f: &AirFile, issue: &Issue, finding: Finding) -> Finding {
    let (table, name) = issue.path.rsplit_once('.').unwrap_or(("", &issue.path));
    let Some(item) = f.written.get(&issue.path) else {
        return finding;
    };
    let target = match &issue.problem {
        Problem::Misplaced { belongs_in }
            if layout_with_build_string(f.written, issue, belongs_in) =>
        {
            return finding;
        }
        Problem::Misplaced { belongs_in } if f.written.get(&join(belongs_in, name)).is_some() => {
            return comment_out(f, issue, item, finding);
        }
        // What air uses instead does the same (weigh_misplaced): moving it would change the
        // build (`go run main.go` as build.cmd never ends); the line goes.
        Problem::Misplaced { .. } if finding.evidence["same_effect"].is_string() => {
            return comment_out(f, issue, item, finding);
        }
        Problem::Misplaced { belongs_in } => {
            let tables = air_keys::KEYS
                .iter()
                .filter(|k| !k.path.starts_with("build.rules."))
                .filter(|k| k.path.rsplit('.').next() == Some(name))
                .count();
            (tables == 1).then(|| join(belongs_in, name))
        }
        Problem::Unknown {
            suggestion: Some(s),
        } => {
            let (s_table, s_name) = s.rsplit_once('.').unwrap_or(("", s));
            let siblings: Vec<&str> = air_keys::KEYS
                .iter()
                .filter_map(|k| match k.path.rsplit_once('.') {
                    Some((t, n)) if t == table => Some(n),
                    None if table.is_empty() => Some(k.path),
                    _ => None,
                })
                .collect();
            let best = distance(name, s_name);
            let unique = siblings
                .iter()
                .filter(|n| distance(name, n) == best)
                .count()
                == 1;
            (s_table == table && unique && best <= 2).then(|| s.clone())
        }
        Problem::Retired { .. } | Problem::ZeroIgnored { .. }
            if issue.path != "screen.keep_scroll" && !issue.path.starts_with("build.rules.") =>
        {
            return comment_out(f, issue, item, finding);
        }
        _ => None,
    };
    let Some(target) = target.filter(|t| air_keys::accepts(t, item) && f.written.get(t).is_none())
    else {
        return finding;
    };
    let mut edits = vec![Edit::Move {
        from: issue.path.clone(),
        to: target.clone(),
    }];
    // A bin that arrives with arguments would be the next finding: split it now, so one
    // --fix leaves nothing for a second.
    let no_runner_override =
        f.ctx.project.air.build.full_bin.is_empty() && f.ctx.project.air.build.entrypoint.is_none();
    if let (true, true, Some(bin)) = (target == "build.bin", no_runner_override, item.as_str()) {
        edits.extend(super::binary::split_bin_edits(f, bin));
    }
    match f.write_fix(
        format!(
            "move {} to {} in {}",
            readable(&issue.path),
            readable(&target),
            f.name
        ),
        edits,
    ) {
        Some(fix) => finding.with_fix(fix),
        None => finding,
    }
}

/// An unknown key's warning, made a note when what it asks for is what air does without it:
/// it only turns something off (`[build.stats] enable = false`: air has nothing of the kind
/// to turn off), or it names paths air watches already (`[watch] paths = ["./templates"]`,
/// each inside root, in a watched folder not excluded, every file in it one air reacts to).
pub(super) fn weigh_unknown(f: &AirFile, issue: &Issue, finding: Finding) -> Finding {
    match &issue.problem {
        Problem::Misplaced { belongs_in } => return weigh_misplaced(f, issue, belongs_in, finding),
        Problem::ZeroIgnored { applies } => return weigh_zero(f, issue, applies, finding),
        _ => {}
    }
    if !matches!(issue.problem, Problem::Unknown { .. })
        || finding.severity != crate::model::Severity::Warn
    {
        return finding;
    }
    // A misspelt key (`md = "go build -o './tmp/main' ."` for `cmd`) whose value is what
    // air does there anyway (ROFL1ST/ticketing-go's .air.linux.toml).
    if let Problem::Unknown {
        suggestion: Some(meant),
    } = &issue.problem
    {
        let weighed = weigh_as(f, issue, meant, false, finding.clone());
        if weighed.severity != crate::model::Severity::Warn {
            return weighed;
        }
    }
    let Some(item) = f.written.get(&issue.path) else {
        return finding;
    };
    let name = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    let mut leaves = vec![];
    leaves_of(name, item, &mut leaves);
    let turned_off =
        |(k, v): &(String, Leaf)| matches!(k.as_str(), "enable" | "enabled") && *v == Leaf::Off;
    let why = if issue.path == "$schema" {
        // `"$schema" = "https://.../.air.schema.json"`: a hint for the editor's TOML
        // language server (Even Better TOML, taplo), which air's decoder skips.
        Some("it is an editor's schema hint (the TOML language server reads `$schema`), not a setting: air ignores it and nothing is lost".to_string())
    } else if leaves.iter().any(turned_off)
        || (!leaves.is_empty() && leaves.iter().all(|(_, v)| *v == Leaf::Off))
    {
        Some("it only turns something off or leaves it empty, and air, which has no such setting, does nothing of the kind anyway: nothing is lost; remove it".to_string())
    } else {
        let paths: Vec<&str> = leaves
            .iter()
            .map(|(_, v)| match v {
                Leaf::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect::<Option<_>>()
            .unwrap_or_default();
        let quoted = || {
            paths
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // `exclude_dirs = ["web"]` asks to keep out what air watches: that air watches it is
        // what is lost, not what makes the key harmless.
        let keeps_out = exclusion_like(name);
        if let Some(why) = keeps_out
            .then(|| keeps_out_nothing_air_watches(f, name, &leaves))
            .flatten()
        {
            Some(why)
        } else if keeps_out {
            None
        } else if !paths.is_empty() && paths.iter().all(|p| is_watch_root(f, p)) {
            // `watch_dir = "."`: air watches its whole root (but what it excludes) anyway.
            Some(format!(
                "it names {}, air's root, which air watches anyway: nothing is lost; remove it",
                quoted()
            ))
        } else if !paths.is_empty() && paths.iter().all(|p| watched_already(f, p)) {
            Some(format!(
                "it names {}, which air watches already (inside root, not excluded, every file in it one include_ext takes): nothing is lost; remove it",
                quoted()
            ))
        } else if !paths.is_empty() && paths.iter().all(|p| only_prints(p)) {
            // `pre_cmds = ["echo 'pre build commands'"]`: air never runs it, and running it
            // would only print a line.
            Some(format!(
                "it holds only {}, which would only print a line: nothing is lost; remove it",
                quoted()
            ))
        } else if !paths.is_empty()
            && paths.iter().any(|p| glob_air_takes(f, p))
            && paths
                .iter()
                .all(|p| glob_air_takes(f, p) || watched_already(f, p) || module_file(p))
        {
            // `include = ["*.go", "go.mod"]`: files air rebuilds on anyway.
            let modules = paths.iter().any(|p| module_file(p));
            Some(format!(
                "it names {}, files air rebuilds on anyway (every file include_ext takes){}: nothing is lost; remove it",
                quoted(),
                match modules {
                    true => "; go.mod and go.sum are not watched: an edit to them alone (`go get -u`) is built at the next .go save",
                    false => "",
                }
            ))
        } else if let Some(why) = touches_only_the_binary(f, &leaves) {
            Some(why)
        } else if let Some(why) = asks_for_colour(f, name, &leaves) {
            Some(why)
        } else if let Some(why) = alias_air_uses(f, name, item) {
            Some(why)
        } else if let Some(why) = polling_not_needed(f, &leaves) {
            Some(why)
        } else if leaves.iter().all(|(k, _)| {
            [air_keys::BUILD_POLL, air_keys::BUILD_POLL_INTERVAL]
                .iter()
                .any(|p| p.name() == k)
        }) && !leaves.is_empty()
            && air_keys_held(f, item).is_none()
            && run_here_only(f)
            && delivers_events(f)
        {
            // `[watcher] poll = true` beside a [build] poll written apart: the same as above.
            Some("it asks for polling, which only catches file events a mount loses, and air's folder here is on a file system that delivers them, so air's watcher sees every edit without it (it matters only on a share that drops events, such as a Windows drive in WSL2)".to_string())
        } else if asks_only_a_wait(issue, item) {
            // `restart_delay = 1000`: air restarts the app after every build, with its own
            // waits ([build] delay before the build).
            Some("its name and value ask only for a wait: air builds and restarts the app after every change with its own waits ([build] delay), so at most the timing differs; remove it".to_string())
        } else if let Some(why) = output_only_build_flags(name, &leaves) {
            Some(why)
        } else if let Some(why) = asks_only_for_a_log(name, &leaves) {
            Some(why)
        } else if another_tools_table(f, issue, item, &leaves) {
            let keeps_out = match leaves.iter().any(|(k, _)| exclusion_like(k)) {
                true => ", and what it keeps out air's walk skips already",
                false => "",
            };
            Some(format!("air has no table spelled like it (another tool's section): nothing in it was meant as a mistyped air key, and it names no folder or extension air does not watch{keeps_out}; remove it"))
        } else if repeats_what_air_uses(f, item) {
            // LsFaria04/DS_Tracking_System's `[watch] include_ext = [...]` beside the same
            // [build] include_ext: air does what it says already.
            Some("every entry in it repeats what air uses already (the same value under the air key of that name, or air's root): nothing is lost; remove it".to_string())
        } else {
            None
        }
    };
    let Some(why) = why else {
        // A table air does not have holding air's own keys (`[watch] stop_on_error = true`,
        // written for [build]): name what air loses there and where it belongs.
        if let Some((lost, paths)) = air_keys_held(f, item) {
            let delivers_events = |f: &AirFile| run_here_only(f) && delivers_events(f);
            // Only polling lost (`[watcher] poll = true`): polling catches only the events a
            // mount loses; where air's folder is on a file system that delivers them (a local
            // disk, a Linux bind mount), fsnotify sees every edit: a note. On a share that
            // drops them (WSL2's drvfs, a Docker Desktop share, NFS) the loss is real.
            let polls = [
                air_keys::BUILD_POLL.path,
                air_keys::BUILD_POLL_INTERVAL.path,
            ];
            if paths.iter().all(|p| polls.contains(p)) && delivers_events(f) {
                return Finding {
                    severity: crate::model::Severity::Info,
                    message: format!(
                        "{}: {lost}; but polling only catches file events a mount loses, and air runs on this machine, whose file system under air's folder delivers them, so air's watcher sees every edit without it (it matters only on a share that drops events, such as a Windows drive in WSL2)",
                        finding.message
                    ),
                    ..finding
                };
            }
            return Finding {
                message: format!("{}: {lost}", finding.message),
                ..finding
            };
        }
        // `restart_signal = "int"`: air's one setting for the signal is send_interrupt.
        if name.to_ascii_lowercase().contains("signal") {
            return Finding {
                message: format!(
                    "{} (air's setting for the stop signal is [build] {} = true: air sends SIGINT, waits {}, then kills)",
                    finding.message,
                    air_keys::BUILD_SEND_INTERRUPT.name(),
                    air_keys::BUILD_KILL_DELAY.name(),
                ),
                ..finding
            };
        }
        // Another name for an air key, with a value air does not use there: it is lost.
        let names: Vec<String> = air_keys::aliased(name)
            .iter()
            .map(|k| readable(k.path))
            .collect();
        return match names.is_empty() {
            true => finding,
            false => Finding {
                message: format!(
                    "{} (it reads as another name for {}, which air uses with another value here: write the value there)",
                    finding.message,
                    names.join(" or ")
                ),
                ..finding
            },
        };
    };
    let message = match finding.message.strip_suffix("; air ignores it silently") {
        Some(head) => format!("{head}; air ignores it, but {why}"),
        None => format!("{}; {why}", finding.message),
    };
    Finding {
        severity: crate::model::Severity::Info,
        message,
        ..finding
    }
}

/// A misplaced key's warning (a top-level `cmd` that belongs in [build]), made a note when
/// what air uses instead does the same thing: the value air uses there is the one written,
/// or, for build.cmd, both build the same main package with no other flags, and air's writes
/// the binary air starts (`cmd = "go run main.go"` beside air's default `go build -o
/// ./tmp/main .` with bin = "tmp/main"). A written value that differs in effect (another
/// package, flags, another -o) keeps the warning.
fn weigh_misplaced(f: &AirFile, issue: &Issue, belongs_in: &str, finding: Finding) -> Finding {
    let name = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    weigh_as(f, issue, &join(belongs_in, name), true, finding)
}

/// A key air ignores whose value, had it been read as air's `target` key (where it belongs,
/// or the key its name misspells: `md` for `cmd`), does what air does there anyway: a note.
/// `exclusions`: an exclude list whose entries air's defaults already keep out loses nothing
/// too (for a misplaced key; a misspelt one is weighed by its value alone).
fn weigh_as(
    f: &AirFile,
    issue: &Issue,
    target: &str,
    exclusions: bool,
    finding: Finding,
) -> Finding {
    if finding.severity != crate::model::Severity::Warn {
        return finding;
    }
    let name = target.rsplit('.').next().unwrap_or(target);
    let (Some(value), Some(key)) = (
        f.written.get(&issue.path).and_then(|i| i.as_value()),
        air_keys::find(target),
    ) else {
        return finding;
    };
    // `clean_on_exit = true` away from [misc]: air would only delete tmp_dir when it exits
    // (runner/engine.go `if e.config.Misc.CleanOnExit { os.RemoveAll(...tmpPath()) }`);
    // lost is that cleanup, leftover build output, nothing a build or the app needs.
    if key.path == air_keys::MISC_CLEAN_ON_EXIT.path && value.as_bool() == Some(true) {
        let tmp = &f.ctx.project.air.tmp_dir;
        let why = format!(
            "it would only make air delete tmp_dir ({tmp}) when it exits: the build's output stays there instead, which the next build overwrites; nothing a build or the app needs is lost"
        );
        return Finding {
            severity: crate::model::Severity::Info,
            message: format!("{} (but {why})", finding.message),
            ..finding
        };
    }
    let used = match key.air_value() {
        Some(d) => d,
        None => {
            return match misplaced_exclusion_loses_nothing(f, key, value).filter(|_| exclusions) {
                Some(why) => nothing_lost(f, finding, why),
                None => finding,
            }
        }
    };
    let why = if air_keys::shown(&used) == air_keys::shown(value) {
        Some(format!(
            "air uses {} = {} there anyway (its default): nothing is lost; remove it",
            name,
            air_keys::shown(&used)
        ))
    } else if let Some(why) =
        misplaced_exclusion_loses_nothing(f, key, value).filter(|_| exclusions)
    {
        Some(why)
    } else if key.path == air_keys::TMP_DIR.path {
        value.as_str().and_then(|folder| scratch_only(f, folder))
    } else if key.path == air_keys::BUILD_CMD.path {
        value
            .as_str()
            .and_then(|cmd| same_build(f, cmd))
            .map(|what| {
                format!(
                    "air's own build.cmd `{}` {what}: nothing is lost; remove it",
                    f.ctx.project.air.build.cmd
                )
            })
    } else {
        None
    };
    let Some(why) = why else {
        return finding;
    };
    nothing_lost(f, finding, why)
}

/// A misplaced tmp_dir (`[build] tmp_dir = "tmp_templ"`, CharaXiv/charaxiv.app, hold-out 15)
/// that no command of the config names: air keeps its own files (build-errors.log, the
/// default build's binary) in "tmp" instead, which it also creates and leaves unwatched
/// (v1.67.4 config.go tmpPath, engine.go isTmpDir); the build and run read and write elsewhere
/// either way. Named by cmd, bin, full_bin, entrypoint, pre_cmd, post_cmd (`go build -o
/// tmp_x/main`) or args_bin, the folder the config relies on is not air's: no note.
fn scratch_only(f: &AirFile, folder: &str) -> Option<String> {
    let folder = folder.trim().trim_start_matches("./").trim_end_matches('/');
    if folder.is_empty() {
        return None;
    }
    let b = &f.ctx.project.air.build;
    let mut lines: Vec<&str> = vec![&b.cmd, &b.bin, &b.full_bin];
    lines.extend(b.entrypoint.as_deref());
    lines.extend(b.entrypoint_args.iter().map(String::as_str));
    lines.extend(b.pre_cmd.iter().map(String::as_str));
    lines.extend(b.args_bin.iter().map(String::as_str));
    let post = super::commands::str_list(f, air_keys::BUILD_POST_CMD.path);
    lines.extend(post.iter().map(String::as_str));
    let names = |line: &str| {
        line.split(|c: char| c.is_whitespace() || "\"'=;&|:,()".contains(c))
            .map(|w| w.trim_start_matches("./"))
            .any(|w| {
                w == folder
                    || w.starts_with(&format!("{folder}/"))
                    || w.contains(&format!("/{folder}/"))
                    || w.ends_with(&format!("/{folder}"))
            })
    };
    if lines.iter().any(|l| names(l)) {
        return None;
    }
    Some(format!(
        "air uses tmp_dir = \"tmp\" instead, and nothing this config runs or builds names {folder}: only the folder air keeps its own files in (build-errors.log) changes; move it to the top level or remove it"
    ))
}

/// A misplaced key's warning made a note: `why` nothing is lost.
fn nothing_lost(f: &AirFile, finding: Finding, why: String) -> Finding {
    let mut finding = Finding {
        severity: crate::model::Severity::Info,
        message: format!("{} (but {why})", finding.message),
        ..finding
    };
    if let Some(obj) = finding.evidence.as_object_mut() {
        obj.insert("air_uses".into(), json!(f.ctx.project.air.build.cmd));
        obj.insert("same_effect".into(), json!(why));
    }
    finding
}

/// A misplaced exclude_dir or exclude_file (CordySeph/snail's top-level `exclude_dir =
/// ["tmp", "vendor"]`, `exclude_file = ["*.md", "*.toml"]`) whose every entry keeps out what
/// air does not watch anyway: a folder its walk skips already (its default exclude_dir,
/// tmp_dir, a hidden folder) or that does not exist, a `*.ext` glob or file of a type
/// include_ext does not take. Nothing is lost where it is ignored.
fn misplaced_exclusion_loses_nothing(
    f: &AirFile,
    key: &air_keys::Key,
    value: &toml_edit::Value,
) -> Option<String> {
    let entries: Vec<&str> = value
        .as_array()?
        .iter()
        .map(|v| v.as_str())
        .collect::<Option<_>>()?;
    if entries.is_empty() {
        return None;
    }
    let root = super::air_view::watch_root(f);
    let include_ext = &f.ctx.project.air.build.include_ext;
    let ext_not_taken = |e: &str| {
        let t = e.trim().trim_start_matches("./");
        let t = t.strip_prefix("**/").unwrap_or(t);
        t.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && !ext.is_empty()
                && !ext.contains(['*', '/', '?', '['])
                && !include_ext.iter().any(|i| i == ext)
        })
    };
    let all = if key.path == air_keys::BUILD_EXCLUDE_DIR.path {
        entries.iter().all(|e| {
            let folder = folder_of(e);
            !folder.is_empty()
                && !folder.contains(['*', '?', '['])
                && (excluded_already(f, folder) || !root.join(folder).exists())
        })
    } else if key.path == air_keys::BUILD_EXCLUDE_FILE.path
        && f.ctx.project.air.build.include_file.is_empty()
    {
        entries.iter().all(|e| ext_not_taken(e))
    } else {
        false
    };
    all.then(|| {
        format!(
            "it keeps out {}, which air does not watch anyway (folders its walk skips or that do not exist, files of types include_ext does not take): nothing is lost; remove it",
            entries
                .iter()
                .map(|e| format!("\"{e}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// An unknown table (`[watch]`) each of whose entries repeats what air uses: under the name
/// of an air key, the value air uses for it (written in its own table, or air's default), or
/// paths that are air's root or watched already.
fn repeats_what_air_uses(f: &AirFile, item: &toml_edit::Item) -> bool {
    let Some(table) = item.as_table_like() else {
        return false;
    };
    let mut n = 0;
    let all = table.iter().all(|(name, i)| {
        n += 1;
        let Some(value) = i.as_value() else {
            return false;
        };
        let same = air_keys::KEYS
            .iter()
            .filter(|k| k.kind != air_keys::Kind::Table && k.name() == name)
            .any(|k| {
                let used = match f.written.get(k.path).and_then(|w| w.as_value()) {
                    Some(w) => Some(w.clone()),
                    None => k.air_value(),
                };
                used.is_some_and(|u| air_keys::shown(&u) == air_keys::shown(value))
            });
        let mut leaves = vec![];
        leaves_of(name, i, &mut leaves);
        let paths = !leaves.is_empty()
            && leaves.iter().all(|(_, l)| match l {
                Leaf::Text(t) => is_watch_root(f, t) || watched_already(f, t),
                _ => false,
            });
        same || paths
    });
    n > 0 && all
}

/// An unknown key named for build flags (`build_args = ["-v"]`) holding only go build flags
/// that change what go prints, not the binary (-v, -x, -n is not: it builds nothing).
fn output_only_build_flags(name: &str, leaves: &[(String, Leaf)]) -> Option<String> {
    let named = name
        .to_ascii_lowercase()
        .split(['_', '-'])
        .any(|w| matches!(w, "args" | "flags" | "arg" | "flag"));
    let only = !leaves.is_empty()
        && leaves.iter().all(|(_, l)| {
            matches!(l, Leaf::Text(t) if t.split_whitespace().all(|w| matches!(w, "-v" | "-x")) && !t.trim().is_empty())
        });
    (named && only).then(|| "it holds only go build flags that change what go prints (-v lists packages, -x the commands), not the binary air runs: nothing is lost; remove it".to_string())
}

/// Whether air's build.cmd (its default, where the config sets none) does what the written
/// command `cmd` asks: it builds the same main package with no flags but -o, and writes the
/// binary air starts. What it does, said plainly, when so.
fn same_build(f: &AirFile, cmd: &str) -> Option<String> {
    use crate::golang::build_plan::BuildPlan;
    let root = super::air_view::watch_root(f);
    let air = &f.ctx.project.air.build;
    let ours = BuildPlan::parse(&air.cmd);
    if ours.approximation.is_some() || !ours.flags.is_empty() || !ours.env.is_empty() {
        return None;
    }
    let clean = |p: &std::path::Path| crate::filepath::clean(p);
    let out = ours.output.as_deref()?;
    let started = match air.full_bin.is_empty() {
        true => air.bin.clone(),
        false => air.full_bin.split_whitespace().next()?.to_string(),
    };
    if clean(&ours.work_dir(&root).join(out)) != clean(&root.join(&started)) {
        return None;
    }
    let main = clean(&ours.main_dir(&root));
    if runs_what_air_builds(f, cmd) {
        return Some(format!(
            "builds the package that `{cmd}` runs and writes {started}, the binary air starts"
        ));
    }
    let theirs = BuildPlan::parse(cmd);
    let same = theirs.approximation.is_none()
        && theirs.flags.is_empty()
        && theirs.env.is_empty()
        && clean(&theirs.main_dir(&root)) == main
        && theirs
            .output
            .as_deref()
            .is_some_and(|o| clean(&theirs.work_dir(&root).join(o)) == clean(&root.join(&started)));
    same.then(|| format!("builds the same package as `{cmd}` to {started}, the binary air starts"))
}

/// In an unknown table, the entries that are air keys of another table (`[watch]
/// stop_on_error = true`, a `[build]` key) set away from air's default there, where that
/// table does not set them itself: what air loses, and where to move it. None when it holds
/// none.
fn air_keys_held(f: &AirFile, item: &toml_edit::Item) -> Option<(String, Vec<&'static str>)> {
    let table = item.as_table_like()?;
    let shown = air_keys::shown;
    // `""`, `0`, `false`, `[]`: nothing to lose where air's value is one too.
    let zero = air_keys::is_empty_value;
    let mut lost: Vec<(String, String)> = vec![];
    let mut paths: Vec<&'static str> = vec![];
    for (name, value) in table.iter() {
        let Some(value) = value.as_value() else {
            continue;
        };
        let Some(key) = air_keys::KEYS
            .iter()
            .filter(|k| k.kind != air_keys::Kind::Table && k.name() == name)
            .min_by_key(|k| k.path.matches('.').count())
        else {
            continue;
        };
        if f.written.get(key.path).is_some()
            || zero(value) && (key.kind.skips_zero() || key.air_value().is_none_or(|d| zero(&d)))
            || key.air_value().is_some_and(|d| shown(&d) == shown(value))
        {
            continue;
        }
        let home = key.parent().map_or("the top level".to_string(), |t| {
            air_keys::table_label(t.path)
        });
        lost.push((format!("{name} = {}", shown(value)), home));
        paths.push(key.path);
    }
    if lost.is_empty() {
        return None;
    }
    let mut homes: Vec<&str> = vec![];
    for (_, h) in &lost {
        if !homes.contains(&h.as_str()) {
            homes.push(h);
        }
    }
    Some((
        format!(
            "air loses what it holds for {}: {} (air uses its defaults instead); move them to {}",
            homes.join(" and "),
            lost.iter()
                .map(|(e, _)| e.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            homes.join(" and ")
        ),
        paths,
    ))
}

/// Whether the file system air's folder is on delivers inotify events for every edit (a
/// local disk, a Linux bind mount), unlike a share from another kernel
/// ([`mounts::drops_events`](crate::system::mounts::drops_events)); not known: false.
fn delivers_events(f: &AirFile) -> bool {
    crate::system::mounts::mount_of(&f.ctx.system, &super::air_view::watch_root(f))
        .is_ok_and(|m| crate::system::mounts::drops_events(&m).is_none())
}

/// Whether every launcher of this config runs air on this machine, none in a container: a
/// bind mount from a Docker Desktop host (macOS, Windows) may lose the events polling would
/// catch, whatever this machine's disk does.
fn run_here_only(f: &AirFile) -> bool {
    f.ctx
        .project
        .launches
        .contexts
        .iter()
        .filter(|c| c.config == ConfigRef::Read(f.path.clone()))
        .all(|c| c.container.is_none())
}

/// An unknown key or table that asks only for a log file (`[output] log = "log.txt"`):
/// every value a file name or a switch, each under a name about logging. air prints the
/// build's and the app's output to the terminal whatever it says; only that file is lost.
fn asks_only_for_a_log(name: &str, leaves: &[(String, Leaf)]) -> Option<String> {
    let logging = |n: &str| n.to_ascii_lowercase().contains("log");
    let all = !leaves.is_empty()
        && leaves.iter().all(|(k, v)| {
            (logging(k) || logging(name))
                && match v {
                    // A file name (`log.txt`, `logs/air.log`), not a switch (`log_time`).
                    Leaf::Text(t) => t.contains('.') || t.contains('/'),
                    _ => false,
                }
        })
        && leaves.iter().any(|(k, _)| logging(k));
    all.then(|| "it asks only for a log file: air prints the build's and the app's output to the terminal as always, so only that file is missing, nothing the build or the app needs".to_string())
}

/// An unknown key named as another name for an air key (`build_cmd` for `[build] cmd`,
/// `run_cmd` for bin or full_bin, `log_time` for `[log] time`: [`air_keys::ALIASES`]) whose
/// value is the one air uses for that key in this config: what it asks for happens anyway.
/// (watch_dir, another name for root or include_dir, is weighed as a path.)
fn alias_air_uses(f: &AirFile, name: &str, item: &toml_edit::Item) -> Option<String> {
    let air = &f.ctx.project.air.build;
    let value = item.as_value()?;
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let path = |t: &str| words(t).trim_start_matches("./").to_string();
    air_keys::aliased(name).iter().find_map(|key| {
        let used = if key.path == air_keys::BUILD_CMD.path {
            (words(value.as_str()?) == words(&air.cmd)).then(|| air.cmd.clone())
        } else if key.path == air_keys::BUILD_BIN.path && air.full_bin.is_empty() {
            (path(value.as_str()?) == path(&air.bin)).then(|| air.bin.clone())
        } else if key.path == air_keys::BUILD_FULL_BIN.path && !air.full_bin.is_empty() {
            (path(value.as_str()?) == path(&air.full_bin)).then(|| air.full_bin.clone())
        } else if key.path == air_keys::LOG_TIME.path {
            let set = f
                .written
                .get(air_keys::LOG_TIME.path)
                .and_then(|i| i.as_bool())
                .unwrap_or(false);
            (value.as_bool()? == set).then(|| set.to_string())
        } else {
            None
        }?;
        let shown = match key.kind {
            air_keys::Kind::Str => format!("\"{used}\""),
            _ => used,
        };
        Some(format!(
            "it is another name for {}, and air uses {} = {shown} here already: nothing is lost; remove it",
            readable(key.path),
            key.name()
        ))
    })
}

/// Polling asked for where air cannot take it (`[watcher] poll = true`, `poll_interval`:
/// air has no `[watcher]` table), while every launcher runs air in a container whose watched
/// folder arrives only by compose watch `sync`: the files are written inside the container,
/// whose filesystem gives air's fsnotify watcher their events; polling, which only catches
/// events a mount loses, would change nothing.
fn polling_not_needed(f: &AirFile, leaves: &[(String, Leaf)]) -> Option<String> {
    let polls = [air_keys::BUILD_POLL, air_keys::BUILD_POLL_INTERVAL];
    if leaves.is_empty()
        || !leaves
            .iter()
            .all(|(k, _)| polls.iter().any(|p| p.name() == k))
    {
        return None;
    }
    let root = &f.ctx.project.air.root;
    let reading: Vec<&LaunchContext> = f
        .ctx
        .project
        .launches
        .contexts
        .iter()
        .filter(|c| c.config == ConfigRef::Read(f.path.clone()))
        .collect();
    let synced = !reading.is_empty()
        && reading
            .iter()
            .all(|l| l.container.as_ref().is_some_and(|c| c.synced_only(root)));
    synced.then(|| {
        format!(
            "it asks for polling, which only catches file events a mount loses; {} runs air in a container whose files compose watch syncs into the container's own filesystem, where air's watcher gets every event: nothing is lost; remove it",
            reading[0].launcher.describe()
        )
    })
}

/// Whether `written` (a path from air's root) is that root itself (`"."`, `"./"`).
fn is_watch_root(f: &AirFile, written: &str) -> bool {
    let root = super::air_view::watch_root(f);
    crate::filepath::clean(&root.join(written.trim())) == crate::filepath::clean(&root)
}

/// An unknown key or table that asks only for a wait: every value under it is a number or a
/// duration (`1000`, `"2000ms"`, `"1s"`), each under a name about waiting, its own or its
/// table's (`restart_delay = 1000`, `debounce_ms = 300`, `[delay] duration = "2000ms"`), and it
/// is not a misspelling of kill_delay (the wait before SIGKILL, which decides whether the app
/// shuts down cleanly): it could only change timing.
fn asks_only_a_wait(issue: &Issue, item: &toml_edit::Item) -> bool {
    const WAITS: &[&str] = &[
        "delay", "debounce", "interval", "timeout", "wait", "sleep", "throttle",
    ];
    let about_waiting = |name: &str| {
        name.to_ascii_lowercase()
            .split(['_', '-', '.'])
            .any(|w| WAITS.contains(&w))
    };
    let duration = |v: &toml_edit::Value| match v {
        toml_edit::Value::Integer(_) | toml_edit::Value::Float(_) => true,
        toml_edit::Value::String(s) => is_duration(s.value()),
        _ => false,
    };
    let table_waits = about_waiting(&issue.path);
    let mut leaves: Vec<(String, &toml_edit::Value)> = vec![];
    fn collect<'a>(
        name: &str,
        item: &'a toml_edit::Item,
        out: &mut Vec<(String, &'a toml_edit::Value)>,
    ) {
        if let Some(v) = item.as_value() {
            out.push((name.to_string(), v));
        } else if let Some(t) = item.as_table_like() {
            for (k, i) in t.iter() {
                collect(k, i, out);
            }
        }
    }
    let name = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    collect(name, item, &mut leaves);
    let kill = match &issue.problem {
        Problem::Unknown {
            suggestion: Some(s),
        } => s == air_keys::BUILD_KILL_DELAY.path,
        _ => false,
    };
    !leaves.is_empty()
        && leaves
            .iter()
            .all(|(k, v)| duration(v) && (table_waits || about_waiting(k)))
        && !kill
}

/// `1000`, `"2000ms"`, `"1.5s"`, `"1m30s"`: a number, or Go duration parts.
fn is_duration(text: &str) -> bool {
    let t = text.trim();
    if t.parse::<f64>().is_ok() {
        return true;
    }
    let mut rest = t;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let Some(unit) = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| rest.starts_with(**u))
        else {
            return false;
        };
        rest = &rest[unit.len()..];
        parts += 1;
    }
    parts > 0
}

/// A top-level table air does not have and whose name is spelled like none of its tables
/// (`[server]`, `[run]`): another tool's section, not a mistyped air table. Unless a value in
/// it names a folder air does not watch, an extension air does not take (`[watch] paths =
/// ["../shared"]`, `exts = ["templ"]`) or a command air never runs (`[hooks] pre = "echo
/// hi"`): then what it asks for is lost.
fn another_tools_table(
    f: &AirFile,
    issue: &Issue,
    item: &toml_edit::Item,
    leaves: &[(String, Leaf)],
) -> bool {
    if issue.path.contains('.')
        || !item.is_table_like()
        || !matches!(issue.problem, Problem::Unknown { suggestion: None })
    {
        return false;
    }
    let root = super::air_view::watch_root(f);
    let air = &f.ctx.project.air;
    let include_ext = &air.build.include_ext;
    // A value under the name of an air key (`[watcher] poll = true`) is that setting written
    // in the wrong place, lost unless it is what air uses anyway: the key's default, or the
    // command or binary air builds and runs (`[server] cmd = "./tmp/go-service"`, bin).
    let path = |p: &str| p.trim().trim_start_matches("./").to_string();
    let what_air_does = |k: &str, v: &Leaf| {
        let keys: Vec<&air_keys::Key> = air_keys::KEYS
            .iter()
            .filter(|key| key.name() == k && !matches!(key.kind, air_keys::Kind::Table))
            .collect();
        keys.is_empty()
            || match v {
                Leaf::Off => true,
                Leaf::Text(t) => {
                    [&air.build.cmd, &air.build.bin, &air.build.full_bin]
                        .iter()
                        .any(|used| !used.is_empty() && path(used) == path(t))
                        || runs_what_air_builds(f, t)
                        || only_prints(t)
                        || keys
                            .iter()
                            .any(|key| key.air_default == Some(&format!("\"{t}\"")))
                }
                Leaf::Other(o) => keys.iter().any(|key| key.air_default == Some(o.as_str())),
            }
    };
    leaves.iter().all(|(k, v)| {
        // `exclude_dir = ["tmp", "vendor"]` under `[watch]`: keeping out what air's walk
        // skips already (tmp_dir, testdata_dir, its exclude_dir, a hidden folder) asks for
        // nothing air does not do; anything else kept out is lost.
        if let (true, Leaf::Text(t)) = (exclusion_like(k), v) {
            if excluded_already(f, t) {
                return true;
            }
            // Keeping out something here that air watches is lost.
            if root.join(folder_of(t)).exists() {
                return false;
            }
        }
        what_air_does(k, v)
            && match v {
                Leaf::Text(t) => {
                    let t = t.trim();
                    let ext = t.trim_start_matches('.');
                    let looks_like_ext = !ext.is_empty()
                        && ext.len() <= 6
                        && ext.chars().all(|c| c.is_ascii_alphanumeric());
                    let folder = root.join(t).is_dir();
                    let ext_lost = looks_like_ext && !include_ext.iter().any(|e| e == ext);
                    let folder_lost = folder && !is_watch_root(f, t) && !watched_already(f, t);
                    // A command with arguments (`[hooks] pre = "echo hi"`) that air does not
                    // run as cmd, bin, full_bin or a pre_cmd: it never runs.
                    let runs = [&air.build.cmd, &air.build.bin, &air.build.full_bin]
                        .into_iter()
                        .chain(&air.build.pre_cmd)
                        .any(|used| path(used) == path(t));
                    // Printing a line (`echo 'pre serve commands'`) or running the package
                    // air builds and runs (`go run main.go`) asks for nothing air does not do.
                    let command_lost = t.contains(char::is_whitespace)
                        && !runs
                        && !only_prints(t)
                        && !runs_what_air_builds(f, t);
                    !ext_lost && !folder_lost && !command_lost
                }
                _ => true,
            }
    })
}

/// An exclusion-like key (`exclude_dirs = ["frontend", "node_modules"]`) whose every entry
/// names nothing air would watch: no such file or folder under air's root (a leading `/`
/// read from the root), a path outside it, or one air's walk skips already. Not a
/// `node_modules` beside a package.json (npm creates it), nor a glob.
fn keeps_out_nothing_air_watches(
    f: &AirFile,
    name: &str,
    leaves: &[(String, Leaf)],
) -> Option<String> {
    if !exclusion_like(name) || leaves.is_empty() {
        return None;
    }
    let root = super::air_view::watch_root(f);
    let mut named = vec![];
    for (_, leaf) in leaves {
        let Leaf::Text(t) = leaf else {
            return None;
        };
        let folder = folder_of(t).trim_start_matches('/');
        if folder.is_empty() || folder.contains(['*', '?', '[']) {
            return None;
        }
        let abs = crate::filepath::clean(&root.join(folder));
        let outside = super::air_view::rel_to_root(f, &abs).is_none();
        let created = abs.file_name().is_some_and(|n| n == "node_modules")
            && abs
                .parent()
                .is_some_and(|p| p.join("package.json").is_file());
        let nothing = !abs.exists() && !created;
        if !(outside || nothing || excluded_already(f, folder)) {
            return None;
        }
        named.push(format!("\"{t}\""));
    }
    Some(format!(
        "it keeps out {}, none of which air watches (nothing of that name under air's root, or a folder air skips anyway): nothing is lost; remove it",
        named.join(", ")
    ))
}

/// An unknown key whose commands only touch air's own binary in ways that change nothing:
/// `rm` of it (the build writes it anew every time), or `chmod +x` of it when a `go build
/// -o` of the build writes it (go writes its output executable already).
fn touches_only_the_binary(f: &AirFile, leaves: &[(String, Leaf)]) -> Option<String> {
    use crate::reloaders::air::config::clean_rel;
    let air = &f.ctx.project.air.build;
    let bin = match air.bin.trim() {
        "" => air.full_bin.split_whitespace().next().unwrap_or(""),
        b => b,
    };
    if bin.is_empty() || leaves.is_empty() {
        return None;
    }
    let bin = clean_rel(bin);
    // Whether a `go build -o` of the build writes bin (an executable file).
    let go_builds_bin = || {
        super::commands::build_steps(f).iter().any(|s| {
            let w = crate::shell::program_words(&s.words);
            s.is_go("build")
                && w.iter().enumerate().any(|(i, a)| {
                    let out = match a.strip_prefix("-o=") {
                        Some(o) => Some(o),
                        None if a == "-o" => w.get(i + 1).map(String::as_str),
                        None => None,
                    };
                    out.is_some_and(|o| clean_rel(&s.dir.join(o).to_string_lossy()) == bin)
                })
        })
    };
    let mut lines = vec![];
    let (mut removes, mut executable) = (false, false);
    for (_, leaf) in leaves {
        let Leaf::Text(line) = leaf else {
            return None;
        };
        let mut commands = 0;
        let mut only_bin = true;
        crate::shell::parse(line).walk(true, &mut |s, _| {
            commands += 1;
            let w = crate::shell::program_words(&s.words);
            only_bin &= s.substitutions.is_empty() && !s.redirects.iter().any(|r| r.writes());
            let mut operands: Vec<&String> =
                w.iter().skip(1).filter(|a| !a.starts_with('-')).collect();
            match crate::shell::program(&s.words) {
                "rm" => removes = true,
                // `chmod +x main`, `chmod 755 main`: a mode that adds execute, nothing more.
                "chmod" if !operands.is_empty() && adds_execute(operands[0]) => {
                    operands.remove(0);
                    executable = true;
                }
                _ => only_bin = false,
            }
            only_bin &= !operands.is_empty() && operands.iter().all(|a| clean_rel(a) == bin);
        });
        if commands == 0 || !only_bin {
            return None;
        }
        lines.push(format!("\"{line}\""));
    }
    if executable && !go_builds_bin() {
        return None;
    }
    let what = match (removes, executable) {
        (true, true) => format!("only removes {bin} or makes it executable: the binary air's build writes anew at every build, and go build writes it executable already"),
        (false, true) => format!("only makes {bin} executable, which the build's go build writes executable already"),
        _ => format!("only removes {bin}, the binary air's build writes anew at every build"),
    };
    Some(format!(
        "{} {what}: nothing is lost; remove it",
        lines.join(", ")
    ))
}

/// Whether a chmod mode only adds execute permission (`+x`, `u+x`, `a+x`, `755`, `0755`,
/// `775`, `777`, `700`): the mode of a file go build writes (0777 less the umask) has it.
fn adds_execute(mode: &str) -> bool {
    if let Some((who, perms)) = mode.split_once('+') {
        return who.chars().all(|c| "ugoa".contains(c))
            && !perms.is_empty()
            && perms.chars().all(|c| "rx".contains(c));
    }
    let digits = mode.trim_start_matches('0');
    mode.len() <= 4
        && !digits.is_empty()
        && mode.chars().all(|c| ('0'..='7').contains(&c))
        && digits
            .chars()
            .next()
            .is_some_and(|c| c.to_digit(8).unwrap_or(0) & 1 == 1)
        && digits.len() == 3
}

/// A key named for coloured output (`log_color = true`, `colors = "always"`) that asks for it:
/// air colours its output by default ([color] mode "auto": on a terminal), and only the look
/// could change.
fn asks_for_colour(f: &AirFile, name: &str, leaves: &[(String, Leaf)]) -> Option<String> {
    let colour = name.to_ascii_lowercase().split(['_', '-']).any(|w| {
        matches!(
            w,
            "color" | "colour" | "colors" | "colours" | "colored" | "coloured" | "colorize"
        )
    });
    let asks = !leaves.is_empty()
        && leaves.iter().all(|(_, v)| match v {
            Leaf::Other(o) => o == "true",
            Leaf::Text(t) => matches!(t.as_str(), "always" | "auto" | "on" | "true"),
            Leaf::Off => false,
        });
    if !colour || !asks {
        return None;
    }
    let mode = f
        .written
        .get(air_keys::COLOR_MODE.path)
        .and_then(|i| i.as_str())
        .unwrap_or("auto");
    Some(match mode {
        "never" => "it asks for coloured output, which [color] mode = \"never\" turns off: only the look of air's output changes; set [color] mode = \"always\" to get colour, and remove it".to_string(),
        _ => format!("it asks for coloured output, which air gives anyway ([color] mode \"{mode}\": colour on a terminal): nothing is lost; remove it"),
    })
}

/// A key named as a list of what to keep out (`exclude_dir`, `ignore`, `skip_dirs`).
fn exclusion_like(key: &str) -> bool {
    key.to_ascii_lowercase().split(['_', '-']).any(|w| {
        matches!(
            w,
            "exclude" | "excludes" | "excluded" | "ignore" | "ignores" | "ignored" | "skip"
        )
    })
}

/// Whether the path `written` (from air's root) names a folder, or something in one, that
/// air's walk skips already (tmp_dir, testdata_dir, an exclude_dir entry, a hidden folder,
/// outside include_dir): keeping it out changes nothing. Not air's root itself, nor a path
/// outside it.
fn excluded_already(f: &AirFile, written: &str) -> bool {
    use super::air_view::{rel_to_root, skipped_folder, watch_root};
    let root = watch_root(f);
    let written = folder_of(written);
    if written.is_empty() || written.contains(['*', '?', '[']) {
        return false;
    }
    let abs = crate::filepath::clean(&root.join(written));
    let Some(rel) = rel_to_root(f, &abs) else {
        return false;
    };
    if rel == "." || rel.is_empty() {
        return false;
    }
    let rules = crate::reloaders::watch_tree::Rules::air_in(&f.ctx.project.air, &root);
    skipped_folder(&f.ctx.project.air, &rules, &rel).is_some()
}

/// The path an exclusion names, without a trailing `/`, `/*` or `/**` (`./tmp/*` keeps out
/// what is in tmp: tmp itself, for air's walk).
fn folder_of(written: &str) -> &str {
    let mut t = written.trim();
    loop {
        let s = t
            .trim_end_matches('/')
            .trim_end_matches("/**")
            .trim_end_matches("/*");
        if s == t {
            return t;
        }
        t = s;
    }
}

/// Whether the shell line `line` only prints: every command in it is `echo` or `printf`
/// (or `true`, `:`) and none writes a file (`echo hi > out.txt` does).
fn only_prints(line: &str) -> bool {
    let mut commands = 0;
    let mut prints = true;
    crate::shell::parse(line).walk(true, &mut |s, _| {
        commands += 1;
        prints &= matches!(
            crate::shell::program(&s.words),
            "echo" | "printf" | "true" | ":"
        ) && !s.redirects.iter().any(|r| r.writes())
            && s.substitutions.is_empty();
    });
    commands > 0 && prints
}

/// `go run main.go`, `go run .`: runs the package air's `go build` builds (and air runs what
/// it built), with no flags of its own.
fn runs_what_air_builds(f: &AirFile, line: &str) -> bool {
    let root = super::air_view::watch_root(f);
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() < 2 || words[0] != "go" || words[1] != "run" {
        return false;
    }
    let dir_of = |arg: &str| {
        let at = crate::filepath::clean(&root.join(arg));
        match arg.ends_with(".go") {
            true => at.parent().map(|p| p.to_path_buf()),
            false => Some(at),
        }
    };
    let run: Vec<&str> = words[2..].to_vec();
    if run.is_empty() || run.iter().any(|w| w.starts_with('-')) {
        return false;
    }
    let run_dirs: Vec<_> = run.iter().map(|a| dir_of(a)).collect();
    // The package air's cmd builds: the last word of its `go build` that is no flag nor a
    // flag's value.
    let mut built = None;
    crate::shell::parse(&f.ctx.project.air.build.cmd).walk(true, &mut |s, scope| {
        let w = crate::shell::program_words(&s.words);
        if built.is_some() || w.len() < 2 || crate::shell::program(w) != "go" || w[1] != "build" {
            return;
        }
        let mut args = vec![];
        let mut i = 2;
        while i < w.len() {
            let word = w[i].as_str();
            if word.starts_with('-') {
                let takes_value = !word.contains('=')
                    && matches!(
                        word.trim_start_matches('-'),
                        "o" | "tags" | "ldflags" | "gcflags" | "mod" | "p" | "modfile"
                    );
                i += if takes_value { 2 } else { 1 };
                continue;
            }
            args.push(word.to_string());
            i += 1;
        }
        if args.is_empty() {
            args.push(".".into());
        }
        if scope.dir_known {
            built = Some(
                args.iter()
                    .map(|a| dir_of(&scope.dir.join(a).to_string_lossy()))
                    .collect::<Vec<_>>(),
            );
        }
    });
    let Some(built) = built else {
        return false;
    };
    let one = |d: &[Option<std::path::PathBuf>]| {
        let mut d: Vec<_> = d.to_vec();
        d.dedup();
        (d.len() == 1).then(|| d[0].clone()).flatten()
    };
    one(&run_dirs).is_some() && one(&run_dirs) == one(&built)
}

/// A glob (`*.go`, `**/*.tmpl`) whose files are the ones an include_ext extension takes.
fn glob_air_takes(f: &AirFile, written: &str) -> bool {
    let t = written.trim().trim_start_matches("./");
    let t = t.strip_prefix("**/").unwrap_or(t);
    t.strip_prefix("*.").is_some_and(|ext| {
        !ext.contains(['*', '/', '?', '['])
            && f.ctx.project.air.build.include_ext.iter().any(|e| e == ext)
    })
}

/// `go.mod`, `go.sum` (in the root).
fn module_file(written: &str) -> bool {
    matches!(written.trim().trim_start_matches("./"), "go.mod" | "go.sum")
}

/// A written value's leaf, as [`weigh_unknown`] weighs it.
#[derive(PartialEq)]
enum Leaf {
    /// `false`, `""`, `[]`.
    Off,
    Text(String),
    /// A number, `true`, a date, as written.
    Other(String),
}

/// Every leaf under `item` (named `name`), with the key it is under.
fn leaves_of(name: &str, item: &toml_edit::Item, out: &mut Vec<(String, Leaf)>) {
    use toml_edit::{Item, Value};
    fn value(name: &str, v: &Value, out: &mut Vec<(String, Leaf)>) {
        match v {
            Value::Boolean(b) if !*b.value() => out.push((name.into(), Leaf::Off)),
            Value::String(t) if t.value().is_empty() => out.push((name.into(), Leaf::Off)),
            Value::String(t) => out.push((name.into(), Leaf::Text(t.value().clone()))),
            Value::Array(a) if a.is_empty() => out.push((name.into(), Leaf::Off)),
            Value::Array(a) => a.iter().for_each(|v| value(name, v, out)),
            Value::InlineTable(t) => t.iter().for_each(|(k, v)| value(k, v, out)),
            v => out.push((name.into(), Leaf::Other(v.to_string().trim().to_string()))),
        }
    }
    match item {
        Item::Value(v) => value(name, v, out),
        Item::Table(t) => t.iter().for_each(|(k, i)| leaves_of(k, i, out)),
        Item::ArrayOfTables(a) => a
            .iter()
            .for_each(|t| t.iter().for_each(|(k, i)| leaves_of(k, i, out))),
        Item::None => {}
    }
}

/// Whether the path `written` (from root) is an existing file or folder inside root that air
/// reacts to already: a file air rebuilds on, or a watched folder (not excluded) all of whose
/// files (hidden ones aside) air rebuilds on.
fn watched_already(f: &AirFile, written: &str) -> bool {
    use super::air_view::{air_reacts, air_watches, rel_to_root, watch_root};
    let root = watch_root(f);
    let abs = crate::filepath::clean(&root.join(written.trim()));
    let Some(rel) = rel_to_root(f, &abs) else {
        return false;
    };
    if abs.is_file() {
        return air_reacts(f, &abs);
    }
    let rules = crate::reloaders::watch_tree::Rules::air_in(&f.ctx.project.air, &root);
    if !abs.is_dir() || !air_watches(&rules, &rel) {
        return false;
    }
    let mut todo = vec![abs];
    let mut seen = 0;
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return false;
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > 5000 {
                return false;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = e.path();
            if path.is_dir() {
                todo.push(path);
            } else if !air_reacts(f, &path) {
                return false;
            }
        }
    }
    true
}

/// `finding` with the fix that comments the key out (air reads the file the same way after).
fn comment_out(f: &AirFile, issue: &Issue, item: &toml_edit::Item, finding: Finding) -> Finding {
    let edit = Edit::CommentOut {
        path: issue.path.clone(),
    };
    match f.write_fix(
        format!(
            "comment out {} = {} in {}",
            readable(&issue.path),
            item.to_string().trim(),
            f.name
        ),
        vec![edit],
    ) {
        Some(fix) => finding.with_fix(fix),
        None => finding,
    }
}

/// A top-level key that belongs in [build] where the top level also has `build` as a plain
/// value (`build = "go build -o ./tmp/api ."`): another tool's layout, whose top-level cmd
/// is what to run, not what air's [build] cmd means.
fn layout_with_build_string(written: &Written, issue: &Issue, belongs_in: &str) -> bool {
    !issue.path.contains('.')
        && belongs_in == air_keys::BUILD.path
        && issue.path == air_keys::BUILD_CMD.name()
        && written
            .get(air_keys::BUILD.path)
            .is_some_and(|i| i.as_value().is_some_and(|v| v.as_str().is_some()))
}

fn join(table: &str, name: &str) -> String {
    if table.is_empty() {
        name.to_string()
    } else {
        format!("{table}.{name}")
    }
}

/// `build.exclude_dir` -> `[build] exclude_dir`, the way the file spells it.
fn readable(path: &str) -> String {
    match path.rsplit_once('.') {
        Some((table, key)) => format!("[{table}] {key}"),
        None => path.to_string(),
    }
}

/// The zero value as written and what to write instead.
/// A zero `bin` or `cmd`: what air uses instead is its default as `tmp_dir` moves it
/// (`tmp_dir = "build"`: ./build/main), and a `bin` nothing runs (full_bin or entrypoint
/// name what air starts: bingo-project/bingo's `bin = ""` beside full_bin) costs nothing.
fn weigh_zero(f: &AirFile, issue: &Issue, applies: &str, mut finding: Finding) -> Finding {
    let b = &f.ctx.project.air.build;
    let at = site(&f.name, Some(issue.line));
    let key = issue.path.rsplit('.').next().unwrap_or(&issue.path);
    let written_text = |path: &str| {
        f.written
            .get(path)
            .and_then(|i| i.as_value())
            .is_some_and(|v| !air_keys::is_empty_value(v))
    };
    if issue.path == air_keys::BUILD_BIN.path {
        let runs = [
            air_keys::BUILD_FULL_BIN.path,
            air_keys::BUILD_ENTRYPOINT.path,
        ]
        .into_iter()
        .find(|p| written_text(p));
        if let Some(runs) = runs {
            finding.severity = crate::model::Severity::Info;
            finding.message = format!(
                "{at}: bin = \"\" does nothing: air skips zero values, and {} ({}) names what air starts, so bin is never used; remove the line",
                runs.rsplit('.').next().unwrap_or(runs),
                f.at(runs)
            );
            return finding;
        }
    }
    // The value air really uses, where the judged settings are the file's own (not mapped
    // from a container's paths).
    let effective = match issue.path.as_str() {
        p if p == air_keys::BUILD_BIN.path => b.bin.as_str(),
        p if p == air_keys::BUILD_CMD.path => b.cmd.as_str(),
        _ => applies,
    };
    if effective != applies && !f.no_rewrite {
        finding.message = format!(
            "{at}: {key} = \"\" does nothing: air skips zero values and uses \"{effective}\" (its default {applies}, moved into tmp_dir = \"{}\"); remove the line or set a real value",
            f.ctx.project.air.tmp_dir
        );
    }
    finding
}

fn zero_advice(path: &str) -> (&'static str, &'static str) {
    match path {
        "build.delay" | "build.rules.delay" => ("0", "use delay = 1 for (almost) no delay"),
        "build.rerun_delay" => ("0", "use rerun_delay = 1 for (almost) no delay"),
        "screen.keep_scroll" => (
            "false",
            "the file cannot turn it off: run `air --screen.keep_scroll false`",
        ),
        _ => ("\"\"", "remove the line or set a real value"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_of_other_tools_say_what_air_offers_instead() {
        let unknown = |path: &str, suggestion: Option<&str>| Issue {
            line: 1,
            path: path.into(),
            problem: Problem::Unknown {
                suggestion: suggestion.map(str::to_string),
            },
        };
        let f = key_finding(
            ".air.toml",
            &unknown("hooks", None),
            &Written::empty(),
            None,
        );
        assert!(
            f.message.contains("pre_cmd") && f.message.contains("post_cmd"),
            "{}",
            f.message
        );
        let f = key_finding(
            ".air.toml",
            &unknown("serve", Some("screen")),
            &Written::empty(),
            None,
        );
        assert!(
            f.message.contains("[proxy] enabled = true"),
            "{}",
            f.message
        );
        assert!(!f.message.contains("did you mean"), "{}", f.message);
        let f = key_finding(
            ".air.toml",
            &unknown("biuld", Some("build")),
            &Written::empty(),
            None,
        );
        assert!(
            f.message.contains("did you mean [build]?")
                || f.message.contains("did you mean build?"),
            "{}",
            f.message
        );
    }
}
