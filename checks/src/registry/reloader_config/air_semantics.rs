//! air settings that parse fine but break reloads, judged with air v1.67.4's own rules
//! (`runner/config.go` preprocess, `runner/engine.go` watching and event filter).

use super::air_view::{air_reacts, air_watches, rel_to_root, watch_root};
use super::config_file::AirFile;
use super::problems::Problem;
use super::{
    binary, entries, exclusions, generated, imports, local_replace, machine, nested_exclude,
    outside_root, tools,
};
use crate::filepath::clean;
use crate::golang::build_plan::BuildPlan;
use crate::model::Finding;
use crate::reloaders::air::edit::Edit;
use crate::reloaders::watch_tree::Rules;
use crate::system::mounts;
use regex::Regex;
use serde_json::json;

pub(super) fn findings(f: &AirFile) -> Vec<Finding> {
    let mut out = vec![];
    if !root(f, &mut out) {
        return out;
    }
    let c = &f.ctx.project.air;
    let build = super::task_runners::build_plan(&c.build.cmd, &f.ctx.project.root);
    air_warnings(f, &mut out);
    let regexes_compile = exclude_regexes(f, &mut out);
    binary::findings(f, &build, &mut out);
    binary::defaulted_bin(f, &mut out);
    local_replace::findings(f, &build, &mut out);
    entries::findings(f, &mut out);
    output_watched(f, &build, &mut out);
    generated::watchers(f, &mut out);
    generated::app_runs(f, &mut out);
    // sh's reading of `&` (background) does not apply to a config run only on Windows.
    let windows_only = super::windows_config::windows_only_config(f).is_some();
    if !windows_only {
        generated::backgrounded(f, &mut out);
    }
    super::powershell::findings(f, &mut out);
    if regexes_compile {
        generated::findings(f, &mut out);
    }
    imports::findings(f, &build, &mut out);
    imports::ungenerated(f, &build, &mut out);
    imports::ignored_go_sum(f, &mut out);
    if regexes_compile {
        exclusions::findings(f, &build, &mut out);
        exclusions::embeds(f, &build, &mut out);
    }
    outside_root::findings(f, &build, &mut out);
    nested_exclude::findings(f, &mut out);
    tools::findings(f, &mut out);
    tools::never_run(f, &mut out);
    machine::findings(f, &mut out);
    color_mode(f, &mut out);
    rules(f, &mut out);
    poll_on_quiet_mount(f, &mut out);
    stopping(f, &mut out);
    build_log(f, &mut out);
    super::clean_on_exit::findings(f, &mut out);
    if !c.build.stop_on_error {
        // `stop_on_error = true` written where air never reads it (`[watch]`): the advice is
        // to move it, not to set it.
        let advice = match stop_on_error_elsewhere(f) {
            Some(path) => format!(
                "the stop_on_error = true at {} is under {}, where air never reads it; move it to [build]",
                f.at(&path),
                match path.rsplit_once('.') {
                    Some((t, _)) => crate::reloaders::air::keys::table_label(t),
                    None => "the top level".to_string(),
                }
            ),
            None => "set stop_on_error = true".to_string(),
        };
        out.push(
            Finding::info(format!(
                "{}: stop_on_error is false: after a failed build air restarts the old binary, which looks like a successful reload; {advice}",
                f.at("build.stop_on_error")
            ))
            .with_evidence(f.evidence("build.stop_on_error", json!({"problem": Problem::StaleBinaryAfterError}))),
        );
    }
    out
}

/// `log` in a subfolder of tmp_dir that is not there (`log = "tmp/build.log"` with tmp_dir
/// "tmp"): air v1.67.4 writes the build-error log at tmp_dir joined with log
/// (`buildLogPath()`, `runner/config.go`), creates only tmp_dir itself (`engine.go`), and
/// drops the error of opening the log (`writeBuildErrorLog`), so the log is never written.
/// Only that file is lost (air still prints the error): a note, with the log named in
/// tmp_dir itself. A folder the build writes into (its binary, a `-o` output) is made by
/// it, so that is left alone.
fn build_log(f: &AirFile, out: &mut Vec<Finding>) {
    use crate::reloaders::air::keys::BUILD_LOG;
    let Some(log) = f
        .written
        .get(BUILD_LOG.path)
        .and_then(|i| i.as_str())
        .filter(|l| !l.is_empty())
    else {
        return;
    };
    let written = std::path::Path::new(log);
    let Some(folder) = written
        .parent()
        .filter(|p| !written.is_absolute() && !p.as_os_str().is_empty())
    else {
        return;
    };
    let Some(name) = written.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return;
    };
    let c = &f.ctx.project.air;
    let root = watch_root(f);
    let tmp = clean(&root.join(&c.tmp_dir));
    let dir = clean(&tmp.join(folder));
    let bin = clean(&c.bin_path(&f.ctx.project.root, &root));
    if dir == tmp
        || dir.is_dir()
        || bin.starts_with(&dir)
        || generated::named_outputs(f)
            .iter()
            .any(|o| clean(o).starts_with(&dir))
    {
        return;
    }
    let lands = clean(&tmp.join(written));
    // `log = "tmp/x.log"`: the folder named is tmp_dir itself, written twice.
    let twice = clean(&root.join(folder)) == tmp;
    let mut finding = Finding::info(format!(
        "{}: log = \"{log}\" is joined onto tmp_dir (\"{}\"): air writes the build-error log to {}, in {}, a folder air never creates, and ignores the failed write, so the log is never written (air still prints the build error); set log = \"{name}\"{}",
        f.at(BUILD_LOG.path),
        c.tmp_dir,
        f.ctx.project.display_path(&lands),
        f.ctx.project.display_path(&dir),
        if twice {
            format!(" to have it at {log}")
        } else {
            String::new()
        }
    ))
    .with_evidence(f.evidence(
        BUILD_LOG.path,
        json!({"problem": Problem::BuildLogNeverWritten, "written_to": f.ctx.project.display_path(&lands)}),
    ));
    if let Some(fix) = f.write_fix(
        format!("set log = \"{name}\" in [build] of {}", f.name),
        vec![crate::registry::fixes::air_config::build_log(&name)],
    ) {
        finding = finding.with_fix(fix);
    }
    out.push(finding);
}

/// `root`: a folder, inside the project, not one air refuses. False when nothing else can
/// be judged.
fn root(f: &AirFile, out: &mut Vec<Finding>) -> bool {
    let c = &f.ctx.project.air;
    let root = f.ctx.project.watch_root();
    let at = f.at("root");
    let ev = |problem: Problem| f.evidence("root", json!({"problem": problem, "root": c.root}));
    // A container folder above what is mounted (c88lopez/micro-go-scrapper: root "/go/src",
    // WORKDIR /go/src/app, the service mounted at /go/src/app): it exists where air runs,
    // holding the image's files and the mounts below it; air watches it, which is not judged
    // further from here.
    let in_container = f.launches.iter().find_map(|l| {
        let k = l.container.as_ref()?;
        let rooted = std::path::Path::new(c.root.trim()).is_absolute() && !root.exists();
        (rooted && k.has_folder(c.root.trim())).then_some(k)
    });
    if let Some(k) = in_container {
        let below: Vec<String> = k
            .mounts
            .iter()
            .filter(|m| m.live && m.container.starts_with(c.root.trim()))
            .map(|m| {
                format!(
                    "{} at {}",
                    super::launches::relative(&f.repo, &m.host),
                    m.container
                )
            })
            .collect();
        let reach = match below.is_empty() {
            true => "no mount below it puts the host's files there".to_string(),
            false => format!(
                "the host's files reach it through the mounts below it ({})",
                below.join(", ")
            ),
        };
        out.push(
            Finding::info(format!(
                "{at}: root = \"{}\" is a folder inside the container (at or above air's folder there, {}, or a mount): it holds the image's files, and {reach}; what air watches there is not judged further from here",
                c.root, k.cwd,
            ))
            .with_evidence(ev(Problem::RootMissing)),
        );
        return false;
    }
    let real = match std::fs::canonicalize(&root) {
        Ok(r) if r.is_dir() => r,
        // An absolute root no launcher's mount explains: a path inside a container
        // (`/app`, `/go/src/app`) or of another machine. Where air runs it may exist.
        _ if std::path::Path::new(c.root.trim()).is_absolute()
            && !root.starts_with(crate::reloaders::air::launch::repository_root(
                &f.ctx.project.root,
            )) =>
        {
            out.push(
                Finding::warn(format!(
                    "{at}: root = \"{}\" is not a folder on this machine: it looks like a path inside a container (or of another machine), and no launcher of the repository mounts it; where it does not exist air watches nothing. If air runs here, set root = \".\"",
                    c.root
                ))
                .with_evidence(ev(Problem::RootMissing)),
            );
            return false;
        }
        _ => {
            out.push(
                Finding::fail(format!(
                    "{at}: root = \"{}\" is not a folder ({}): air watches nothing; set root = \".\"",
                    c.root,
                    root.display()
                ))
                .with_evidence(ev(Problem::RootMissing)),
            );
            return false;
        }
    };
    if crate::reloaders::air::config::dangerous_root(&real).is_some()
        && !c.build.ignore_dangerous_root_dir
    {
        out.push(
            Finding::fail(format!(
                "{at}: root = \"{}\" is {}: air refuses to run there (\"this would watch too many files\"); set root = \".\"",
                c.root,
                real.display()
            ))
            .with_evidence(ev(Problem::RootDangerous)),
        );
        return false;
    }
    // `root = "../.."` in cmd/app/.air.toml watching the whole module is a layout, not a
    // mistake: only a root outside the repository is worth a word.
    let repo = std::fs::canonicalize(&f.repo).unwrap_or_else(|_| f.repo.clone());
    if !real.starts_with(&repo) {
        out.push(
            Finding::warn(format!(
                "{at}: root = \"{}\" is outside the repository ({}): air watches that whole tree, and whatever else lives there, while building here; point root at this repository's folder that holds the code",
                c.root,
                real.display()
            ))
            .with_evidence(ev(Problem::RootOutsideProject)),
        );
    }
    true
}

/// The warnings air itself prints for this config where it runs that cost reloads (the
/// model's [`startup_warnings`](crate::reloaders::air::config::AirConfig::startup_warnings)),
/// each line as air prints it in `air_prints`. The `build.bin` deprecation costs nothing
/// today: the check's summary and evidence name it (see `air_file`), no finding.
fn air_warnings(f: &AirFile, out: &mut Vec<Finding>) {
    let mut said: Vec<String> = vec![];
    for line in f.ctx.project.air.startup_warnings(&watch_root(f)) {
        // One finding for a line air repeats.
        if said.contains(&line) || line == crate::reloaders::air::config::BIN_DEPRECATED {
            continue;
        }
        said.push(line.clone());
        let finding = if line.starts_with("include_dir ") {
            Finding::warn(format!(
                "{}: air prints \"{line}\": that folder outside root is not there where air runs, so nothing in it is watched; create it or drop it from include_dir",
                f.at("build.include_dir")
            ))
            .with_evidence(f.evidence("build.include_dir", json!({"problem": Problem::AirWarns, "air_prints": line})))
        } else {
            Finding::warn(format!(
                "{}: air prints \"{line}\": root is {}, so air watches every folder under it; point root at the project",
                f.at("build.ignore_dangerous_root_dir"),
                watch_root(f).display()
            ))
            .with_evidence(f.evidence("build.ignore_dangerous_root_dir", json!({"problem": Problem::AirWarns, "air_prints": line})))
        };
        out.push(finding);
    }
}

/// `go build -o` into a watched folder other than tmp_dir (which air always skips).
fn output_watched(f: &AirFile, build: &BuildPlan, out: &mut Vec<Finding>) {
    let c = &f.ctx.project.air;
    let Some(output) = build.output.clone() else {
        return;
    };
    let Some(abs) = build.output_path(&f.ctx.project.root) else {
        return;
    };
    let abs = clean(&abs);
    let Some(rel) = rel_to_root(f, &abs) else {
        return;
    };
    let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
    if !air_watches(&Rules::air_in(c, &watch_root(f)), &dir) {
        return;
    }
    // air drops events for files whose extension is not in include_ext (a binary has
    // none), so only output air reacts to is a problem: then every build starts the next.
    if !air_reacts(f, &abs) {
        return;
    }
    // A folder of build output is excluded whole; a folder with sources keeps its watch
    // and only the output file is excluded.
    let sources_beside = dir == "."
        || std::fs::read_dir(watch_root(f).join(&dir)).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".go"))
        });
    let (key, entry, defaults) = if sources_beside {
        ("exclude_file", rel.clone(), &c.build.exclude_file)
    } else {
        ("exclude_dir", dir.clone(), &c.build.exclude_dir)
    };
    let mut finding = Finding::fail(format!(
        "{}: build.cmd writes {output} into {}, which air watches, and air reacts to that file (include_ext): every build triggers the next (a rebuild loop); add \"{entry}\" to {key}, or build into tmp_dir (-o ./{}/main)",
        f.at("build.cmd"),
        if dir == "." { "the watched root".to_string() } else { format!("{dir}/") },
        c.tmp_rel()
    ))
    .with_evidence(f.evidence(
        "build.cmd",
        json!({"problem": Problem::RebuildLoop, "output": output, "dir": dir, "exclude_dir_line": f.line("build.exclude_dir")}),
    ));
    let edit = Edit::AddToList {
        table: "build",
        key,
        entry: entry.clone(),
        defaults: defaults.clone(),
    };
    if let Some(fix) = f.write_fix(
        format!("add \"{entry}\" to build.{key} in {}", f.name),
        vec![edit],
    ) {
        finding = finding.with_fix(fix);
    }
    out.push(finding);
}

/// exclude_regex must compile (Go's RE2 syntax; Rust's regex is RE2-style too), or air
/// refuses to start. False when one does not: the loop checks cannot judge then.
fn exclude_regexes(f: &AirFile, out: &mut Vec<Finding>) -> bool {
    for expr in &f.ctx.project.air.build.exclude_regex {
        if let Err(e) = Regex::new(expr) {
            let why = e.to_string();
            let why = why.lines().last().unwrap_or("invalid").trim();
            out.push(
                Finding::fail(format!(
                    "{}: exclude_regex \"{expr}\" is not a valid regular expression ({why}): air refuses to start",
                    f.at("build.exclude_regex")
                ))
                .with_evidence(f.evidence("build.exclude_regex", json!({"problem": Problem::BadRegex, "regex": expr}))),
            );
            return false;
        }
    }
    true
}

/// color.mode other than always/auto/never stops air.
fn color_mode(f: &AirFile, out: &mut Vec<Finding>) {
    let Some(mode) = f.written.get("color.mode").and_then(|i| i.as_str()) else {
        return;
    };
    if !matches!(mode, "" | "always" | "auto" | "never") {
        out.push(
            Finding::fail(format!(
                "{}: color.mode = \"{mode}\": air refuses to start (\"unsupported color mode\"); use always, auto or never",
                f.at("color.mode")
            ))
            .with_evidence(f.evidence("color.mode", json!({"problem": Problem::BadColorMode}))),
        );
    }
}

/// Each `[[build.rules]]` needs a cmd and something to match, or air refuses to start
/// (`normalizeRules`).
fn rules(f: &AirFile, out: &mut Vec<Finding>) {
    let Some(toml_edit::Item::ArrayOfTables(rules)) = f.written.get("build.rules") else {
        return;
    };
    for (i, rule) in rules.iter().enumerate() {
        let set = |k: &str| match rule.get(k).and_then(|v| v.as_value()) {
            Some(toml_edit::Value::String(s)) => !s.value().is_empty(),
            Some(toml_edit::Value::Array(a)) => !a.is_empty(),
            _ => false,
        };
        let missing = if !set("cmd") {
            "has no cmd"
        } else if !["include_dir", "include_ext", "include_file"]
            .iter()
            .any(|k| set(k))
        {
            "matches nothing (no include_dir, include_ext or include_file)"
        } else {
            continue;
        };
        let line = rule
            .span()
            .map(|s| crate::text::line_col(f.written.text(), s.start).0)
            .or_else(|| f.line("build.rules"));
        out.push(
            Finding::fail(format!(
                "{}: build.rules[{i}] {missing}: air refuses to start; complete or remove the rule",
                super::config_file::site(&f.name, line)
            ))
            .with_evidence(super::config_file::evidence(
                &f.name,
                line,
                "build.rules",
                json!({"problem": Problem::BadRule, "index": i}),
            )),
        );
    }
}

/// `poll = false` on a file system where edits made elsewhere (the host, another machine)
/// raise no inotify events here: air never sees them. mount-events probes the mount; this
/// names the config line and fixes it.
fn poll_on_quiet_mount(f: &AirFile, out: &mut Vec<Finding>) {
    if f.ctx.project.air.build.poll {
        return;
    }
    let Ok(mount) = mounts::mount_of(&f.ctx.system, &watch_root(f)) else {
        return; // mount-events reports an unreadable mount table
    };
    let Some(why) = mounts::drops_events(&mount) else {
        return;
    };
    let mut finding = Finding::warn(format!(
        "{}: poll is off, but the project is on {}, {why}: air misses those edits; set poll = true",
        f.at("build.poll"),
        mount.describe()
    ))
    .with_evidence(f.evidence(
        "build.poll",
        json!({"problem": Problem::NoPollOnQuietMount, "fs_type": mount.fs_type, "mount_point": mount.mount_point.to_string_lossy()}),
    ));
    if let Some(fix) = f.write_fix(
        format!("set poll = true in [build] of {}", f.name),
        vec![crate::registry::fixes::air_config::poll()],
    ) {
        finding = finding.with_fix(fix);
    }
    out.push(finding);
}

/// send_interrupt and kill_delay: how air stops the old app (the signals check judges the
/// app's shutdown code; this names the config line).
pub(super) fn stopping(f: &AirFile, out: &mut Vec<Finding>) {
    let b = &f.ctx.project.air.build;
    let item = f.written.get("build.kill_delay");
    let key = if item.is_some() {
        "build.kill_delay"
    } else {
        "build.send_interrupt"
    };
    // Only an app that catches SIGINT or SIGTERM has a shutdown for the SIGKILL to cut
    // short; one that catches neither (Go's default) ends on SIGINT at once, kill_delay or not.
    // Where no Go main package can be read (a script as bin, a build of a missing folder),
    // nothing shows a shutdown to cut short either: a note that says so.
    let catches = || crate::registry::signals::catches_stop(f.ctx);
    let because = match (b.send_interrupt && b.kill_delay_ms == 0).then(catches) {
        Some(Some(false)) => Some((
            "the app catches neither SIGINT nor SIGTERM (no signal.Notify in its main package or the packages it imports), so SIGINT ends it at once and kill_delay would change nothing",
            false,
        )),
        Some(None) => Some((
            "no Go main package of the build could be read for a signal handler, so nothing shows a shutdown for the SIGKILL to cut short; set kill_delay = \"2s\" if the app shuts down on SIGINT",
            true,
        )),
        _ => None,
    };
    if let Some((why, unknown)) = because {
        out.push(
            Finding::info(format!(
                "{}: send_interrupt = true but kill_delay is 0: air sends SIGKILL right after SIGINT; {why}",
                f.at(key)
            ))
            .with_evidence(f.evidence(
                key,
                json!({"problem": Problem::NoKillDelay, "app_catches_signals": if unknown { json!(null) } else { json!(false) }}),
            )),
        );
    } else if b.send_interrupt && b.kill_delay_ms == 0 {
        let mut finding = Finding::warn(format!(
            "{}: send_interrupt = true but kill_delay is 0: air sends SIGKILL right after SIGINT, so the app never shuts down cleanly; set kill_delay = \"2s\"",
            f.at(key)
        ))
        .with_evidence(f.evidence(key, json!({"problem": Problem::NoKillDelay})));
        if let Some(fix) = f.write_fix(
            format!("set kill_delay = \"2s\" in [build] of {}", f.name),
            vec![crate::registry::fixes::air_config::kill_delay()],
        ) {
            finding = finding.with_fix(fix);
        }
        out.push(finding);
    }
    // air reads an integer under 1 ms (1,000,000 ns) as milliseconds (`killDelay()`), and
    // uses kill_delay only after send_interrupt's SIGINT.
    if let Some(n) = item
        .and_then(|i| i.as_integer())
        .filter(|n| (1..100).contains(n) && b.send_interrupt)
    {
        let message = format!(
            "{}: kill_delay = {n} is {n} ms: after SIGINT the app gets {n} ms to shut down before air sends SIGKILL, too little to close connections; write a duration such as kill_delay = \"{n}s\" if seconds were meant",
            f.at("build.kill_delay"),
        );
        // Only a shutdown the app runs on SIGINT/SIGTERM can be cut short: an app that
        // catches neither ends on SIGINT at once (Go's default), whatever the delay.
        let finding = match catches() {
            Some(true) => Finding::warn(message),
            Some(false) => Finding::info(format!(
                "{message}; but the app catches neither SIGINT nor SIGTERM (no signal.Notify in its main package or the packages it imports), so SIGINT ends it at once and the delay never matters"
            )),
            None => Finding::info(format!(
                "{message}; no Go main package of the build could be read for a signal handler, so nothing shows a shutdown for the SIGKILL to cut short"
            )),
        };
        out.push(finding.with_evidence(f.evidence(
            "build.kill_delay",
            json!({"problem": Problem::KillDelayTooShort, "effective_ms": b.kill_delay_ms}),
        )));
    }
    if let Some(n) = item
        .and_then(|i| i.as_integer())
        .filter(|n| *n >= 1_000_000)
    {
        // A comment on the key's line that says what air makes of it (`# nanoseconds, 100s`)
        // shows the value is deliberate: a note, not a warning.
        let said = f
            .written
            .line("build.kill_delay")
            .and_then(|l| f.written.text().lines().nth(l - 1))
            .and_then(|l| l.split_once('#'))
            .is_some_and(|(_, comment)| comment_states_nanos(comment, n));
        let message = match said {
            true => format!(
                "{}: kill_delay = {n} is read as nanoseconds ({}), as its comment says; a duration such as kill_delay = \"{}\" reads plainer",
                f.at("build.kill_delay"),
                crate::text::duration(b.kill_delay_ms as f64),
                go_duration(n).unwrap_or_else(|| "2s".into())
            ),
            false => format!(
                "{}: kill_delay = {n} is read as nanoseconds ({}); write a duration such as kill_delay = \"2s\"",
                f.at("build.kill_delay"),
                crate::text::duration(b.kill_delay_ms as f64)
            ),
        };
        let mut finding = match said {
            true => Finding::info(message),
            false => Finding::warn(message),
        }
        .with_evidence(f.evidence(
            "build.kill_delay",
            json!({"problem": Problem::KillDelayNanoseconds, "effective_ms": b.kill_delay_ms}),
        ));
        // The same delay written as a duration: what air does stays, and reads as it is.
        if let Some(same) = go_duration(n) {
            if let Some(fix) = f.write_fix(
                format!(
                    "set kill_delay = \"{same}\" in [build] of {} (the same delay)",
                    f.name
                ),
                vec![crate::registry::fixes::air_config::kill_delay_of(&same)],
            ) {
                finding = finding.with_fix(fix);
            }
        }
        out.push(finding);
    }
}

/// Whether a comment says what air reads `nanos` (an integer kill_delay) as: it names
/// nanoseconds, or states a duration equal to it (`100s`, `100 s`, `1m40s`, `100 seconds`).
fn comment_states_nanos(comment: &str, nanos: i64) -> bool {
    // `1m40s` read as `1m 40s`.
    let comment = Regex::new(r"([a-zµ])(\d)")
        .expect("a valid regex")
        .replace_all(&comment.to_lowercase(), "$1 $2")
        .into_owned();
    let unit = Regex::new(r"\b(nanoseconds?|nanos|ns)\b").expect("a valid regex");
    if unit.is_match(&comment) {
        return true;
    }
    let amount = Regex::new(
        r"(\d+(?:\.\d+)?)\s*(microseconds?|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|us|µs|ms|s|m|h)\b",
    )
    .expect("a valid regex");
    let each: Vec<f64> = amount
        .captures_iter(&comment)
        .filter_map(|c| {
            let n: f64 = c[1].parse().ok()?;
            let per = match &c[2] {
                "us" | "µs" => 1e3,
                u if u.starts_with("micro") => 1e3,
                "ms" => 1e6,
                u if u.starts_with("milli") => 1e6,
                "s" => 1e9,
                u if u.starts_with("sec") => 1e9,
                "m" => 60e9,
                u if u.starts_with("min") => 60e9,
                _ => 3600e9,
            };
            Some(n * per)
        })
        .collect();
    let same = |d: f64| (d - nanos as f64).abs() < 0.5;
    each.iter().any(|d| same(*d)) || (each.len() > 1 && same(each.iter().sum()))
}

/// `nanos` as a Go duration string that reads back exactly (`2s`, `1500ms`); None below a
/// millisecond's precision.
fn go_duration(nanos: i64) -> Option<String> {
    let ms = (nanos % 1_000_000 == 0).then_some(nanos / 1_000_000)?;
    Some(match ms % 1000 {
        0 => format!("{}s", ms / 1000),
        _ => format!("{ms}ms"),
    })
}

/// The dotted path of a `stop_on_error = true` written outside [build] (at the top level or
/// in another table, `[watch]`), where air never reads it.
fn stop_on_error_elsewhere(f: &AirFile) -> Option<String> {
    let name = crate::reloaders::air::keys::BUILD_STOP_ON_ERROR.name();
    let on = |i: &toml_edit::Item| i.as_bool() == Some(true);
    let doc = f.written.doc();
    if doc.get(name).is_some_and(on) {
        return Some(name.to_string());
    }
    doc.iter().find_map(|(table, item)| {
        let t = item.as_table_like()?;
        (table != crate::reloaders::air::keys::BUILD.path && t.get(name).is_some_and(on))
            .then(|| format!("{table}.{name}"))
    })
}

#[cfg(test)]
mod tests {
    use super::{comment_states_nanos, go_duration};

    #[test]
    fn a_comment_that_says_what_air_reads_is_read() {
        let n = 100_000_000_000;
        for said in [
            " nanoseconds, 100s",
            " 100 s",
            " 100 seconds",
            "1m40s",
            " 100000ms",
            " in ns",
        ] {
            assert!(comment_states_nanos(said, n), "{said}");
        }
        for said in [" 100ms", " 2 seconds", " wait for shutdown", " 100"] {
            assert!(!comment_states_nanos(said, n), "{said}");
        }
    }

    #[test]
    fn nanoseconds_become_the_same_duration() {
        assert_eq!(go_duration(2_000_000_000).as_deref(), Some("2s"));
        assert_eq!(go_duration(1_500_000_000).as_deref(), Some("1500ms"));
        assert_eq!(go_duration(1_000_001), None);
    }
}
