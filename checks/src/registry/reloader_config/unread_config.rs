//! Weighing a config plain air never reads: whether reading it would change anything real.

use super::air_semantics;
use super::config_file::AirFile;
use super::defaults_build::DefaultsBuild;
use super::problems::Problem as Id;
use crate::model::Finding;
use crate::reloaders::air::keys as air_keys;
use crate::reloaders::air::written::Written;
use serde_json::json;

/// A config plain air never reads changes nothing by itself: its unknown keys are notes
/// (air would ignore them even if it read the file), and when its settings are air's own
/// defaults here (AndrianMeyhta/microsyncpro's backend/air.toml: the cmd, bin, include_ext
/// and delay `air init` writes, an exclude_dir naming no folder air would watch either way)
/// air behaves the same whether it reads the file or not: not reading it is a note too.
pub(super) fn unread_is_harmless(
    file: &AirFile,
    name: &str,
    written: &Written,
    findings: &mut [Finding],
) {
    let ctx = file.ctx;
    let same = same_as_defaults(written, &ctx.project.root, false);
    let waits_only = !same && same_as_defaults(written, &ctx.project.root, true);
    // What air would do wrong with the file, were it read, where air's defaults build the app
    // (2SSK/task_manager's `cmd = "go build -o {{.Output}} {{.Input}}"`): the file is not
    // what the user loses; reading it is what would break.
    let defaults_fail = DefaultsBuild::fails_in(&ctx.project.root).is_some();
    let broken = match same || waits_only {
        true => None,
        false => {
            // Judged only to choose the advice: its fixes join no rewrite.
            let kept = file.edits.borrow().len();
            let fail = air_semantics::findings(file)
                .into_iter()
                .find(|f| f.severity == crate::model::Severity::Fail);
            file.edits.borrow_mut().truncate(kept);
            fail
        }
    };
    let lost_arguments = (!same && !waits_only)
        .then(|| run_arguments(written))
        .flatten();
    for f in findings.iter_mut() {
        // What is lost that changes what runs: the app's arguments full_bin passes
        // (CoMfUcIoS/puppet-installer's `./tmp/main start`: air's defaults run ./tmp/main
        // with none, so a CLI prints its help and exits).
        if let (Some(args), crate::model::Severity::Warn, true) = (
            &lost_arguments,
            f.severity,
            f.evidence["problem"] == Id::ConfigNotRead.id(),
        ) {
            let line = written
                .line(air_keys::BUILD_FULL_BIN.path)
                .map(|l| format!("{name}:{l}: "))
                .unwrap_or_default();
            f.message = format!(
                "{}; among what is lost: {line}full_bin runs the app with `{args}`, air's defaults run it with no arguments",
                f.message
            );
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("lost_arguments".into(), json!(args));
            }
        }
        // air's defaults fail here, and so would the file (rotembarsela/trainer-kit's
        // air.toml builds the folder with no Go files too): reading it is not the cure.
        if defaults_fail
            && f.severity == crate::model::Severity::Fail
            && f.evidence["problem"] == Id::ConfigNotRead.id()
        {
            if let Some(fail) = broken.as_ref().filter(|b| never_builds(b)) {
                f.message = format!(
                    "{}; but reading {name} is not enough: were it read, air would fail too ({}): fix that as well",
                    f.message, fail.message
                );
            }
            continue;
        }
        if f.severity != crate::model::Severity::Warn {
            continue;
        }
        // A launcher running plain air where no .air.toml is (launch-runs-defaults, not the
        // fail of a defaults build with no package main): its "defaults, not {name}" loses
        // nothing when {name}'s settings do what the defaults do, and its advice to pass
        // {name} would break a build the defaults get right.
        if f.evidence["problem"] == Id::LaunchRunsDefaults.id()
            && f.evidence["defaults_build"].is_null()
        {
            let why = if same {
                Some(format!("but every setting in {name} does what air's defaults do: air behaves the same either way"))
            } else if waits_only {
                Some(format!(
                    "but {name} differs from air's defaults only in {}: air watches, builds and runs the same either way",
                    minor_differences(written, &ctx.project.root).join(", ")
                ))
            } else {
                broken.as_ref().filter(|b| never_builds(b)).map(|b| {
                    format!("and that is what works: were {name} read, air would fail ({}), so do not pass it", b.message)
                })
            };
            if let Some(why) = why {
                let said = format!("not with {name}");
                let head = f
                    .message
                    .find(&said)
                    .map_or(f.message.as_str(), |at| &f.message[..at + said.len()]);
                f.message = format!("{head}; {why}");
                f.severity = crate::model::Severity::Info;
            }
            continue;
        }
        // Renaming helps only where plain air runs in the file's folder; elsewhere the
        // finding's own advice is `air -c`.
        let keep = match f.message.contains("rename it") {
            true => "rename it to .air.toml".to_string(),
            false => format!("run `air -c {name}`"),
        };
        // Nothing of a file air never reads is used: a key air would ignore even if it read
        // the file (unknown, misplaced, retired) loses nothing more than the file does.
        if [Id::UnknownKey, Id::MisplacedKey, Id::RetiredKey]
            .iter()
            .any(|id| f.evidence["problem"] == id.id())
        {
            f.severity = crate::model::Severity::Info;
            f.message = format!(
                "{}; air never reads {name} anyway, so this changes nothing now",
                f.message
            );
        } else if same && f.evidence["problem"] == Id::ConfigNotRead.id() {
            f.severity = crate::model::Severity::Info;
            f.message = format!(
                "plain `air` never reads {name} (air reads .air.toml or .config/air.toml), but every setting in it does here what air's defaults do (or names what no file, folder or Go code here holds): air behaves the same either way; delete it, or {keep} to keep it as the config air reads"
            );
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("same_as_defaults".into(), json!(true));
            }
        } else if waits_only && f.evidence["problem"] == Id::ConfigNotRead.id() {
            f.severity = crate::model::Severity::Info;
            // Who runs plain air, when a launcher does, is kept: "X runs plain `air`, which
            // never reads {name} (why)".
            let head = match f.message.find("): ") {
                Some(at) if !f.message.starts_with("plain `air` never reads") => {
                    f.message[..=at].to_string()
                }
                _ => format!(
                    "plain `air` never reads {name} (air reads .air.toml or .config/air.toml)"
                ),
            };
            f.message = format!(
                "{head}; it differs from air's defaults here only in {}: air watches, builds and runs the same either way; delete it, or {keep} to keep those settings",
                minor_differences(written, &ctx.project.root).join(", "),
            );
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("same_as_defaults".into(), json!("but-timing"));
            }
        } else if let (Some(fail), false, true) = (
            &broken,
            defaults_fail,
            f.evidence["problem"] == Id::ConfigNotRead.id(),
        ) {
            if !never_builds(fail) {
                // Something air would do wrong with it (a rebuild loop), while the file holds
                // what the defaults lose (swag before the build): still a warning, whose advice
                // says what to fix before it is read.
                f.message = format!(
                    "{}; but fix it before air reads it: {}",
                    f.message, fail.message
                );
                continue;
            }
            f.severity = crate::model::Severity::Info;
            f.message = format!(
                "plain `air` never reads {name} (air reads .air.toml or .config/air.toml), and air's defaults build and run the app here; were {name} read, air would fail: {}; so do not rename it or pass `air -c {name}`, which would break the build: delete it, or fix it first",
                fail.message
            );
            if let Some(obj) = f.evidence.as_object_mut() {
                obj.insert("would_fail".into(), fail.evidence["problem"].clone());
            }
        }
    }
}

/// A fail that means the file's build or start never gives the app (not a loop, not one
/// platform's path rule): reading such a file is what would break a working setup.
fn never_builds(fail: &Finding) -> bool {
    [
        Id::UnexpandedTemplate,
        Id::BuildSourceMissing,
        Id::BuildWithoutOutput,
        Id::BinaryMismatch,
        Id::BinWithArguments,
        Id::BinWithSpace,
        Id::GoRunAsBuild,
        Id::WatcherInBuild,
    ]
    .iter()
    .any(|id| fail.evidence["problem"] == id.id())
}

/// Whether air run with `written` in `root` does what air with no file does: the same
/// settings after air's merge (a path written "./" or "tmp/" the same as "." or "tmp", an
/// exclude_dir that leaves the same folders watched), no key air's model does not hold set
/// away from its default (post_cmd, rules, rerun), only the look ([log], [color], [screen],
/// [misc]) changed.
fn same_as_defaults(written: &Written, root: &std::path::Path, waits_aside: bool) -> bool {
    use crate::reloaders::air::config::{clean_rel, AirConfig};
    use crate::reloaders::watch_tree::{walk, Rules};
    let Ok(mut file) = AirConfig::read(written) else {
        return false;
    };
    let mut air = AirConfig::default();
    if !file.type_errors.is_empty() {
        return false;
    }
    for c in [&mut file, &mut air] {
        for p in [&mut c.root, &mut c.tmp_dir, &mut c.testdata_dir] {
            *p = clean_rel(p.trim_end_matches('/'));
        }
    }
    if file.build.exclude_dir != air.build.exclude_dir && file.root == air.root {
        let watched = |c: &AirConfig| -> Vec<String> {
            walk(root, &Rules::air_in(c, root))
                .dirs
                .into_iter()
                .map(|d| d.rel)
                .collect()
        };
        if watched(&file) == watched(&air) {
            file.build.exclude_dir.clone_from(&air.build.exclude_dir);
        }
    }
    // follow_symlink where the folders air watches hold no symlinked folder to follow
    // (complyage's api/): nothing to follow either way.
    if file.build.follow_symlink != air.build.follow_symlink
        && file.root == air.root
        && walk(root, &Rules::air_in(&air, root))
            .unfollowed_links
            .is_empty()
    {
        file.build.follow_symlink = air.build.follow_symlink;
    }
    // Aside from timing, what the file narrows only makes air's defaults watch more, which
    // costs nothing (evry-ace/azure-iac-demo's include_ext ["go"], exclude_dir ["templates",
    // "images"]): extensions the defaults take too, and folders the defaults watch too.
    if waits_aside && file.root == air.root {
        let narrower = narrower_watch(&file, &air, root);
        if narrower.0 {
            file.build.include_ext.clone_from(&air.build.include_ext);
        }
        if narrower.1 {
            file.build.exclude_dir.clone_from(&air.build.exclude_dir);
        }
        // `go build -o X main.go` where main.go is the only file go builds here: the same
        // package `go build -o X .` builds (wdml-mtg's backend).
        file.build.cmd = package_for_only_file(&file.build.cmd, root);
    }
    // Extensions one side takes and the other not, where no watched folder holds such a
    // file (retroboard's include_ext ["go"] in a tree without templates): the same rebuilds.
    if file.build.include_ext != air.build.include_ext && file.root == air.root {
        let ext_of = |n: &str| n.rsplit_once('.').map(|(_, e)| e.to_string());
        let differing: Vec<&String> = file
            .build
            .include_ext
            .iter()
            .filter(|e| !air.build.include_ext.contains(e))
            .chain(
                air.build
                    .include_ext
                    .iter()
                    .filter(|e| !file.build.include_ext.contains(e)),
            )
            .collect();
        let holds_one = walk(root, &Rules::air_in(&air, root))
            .dirs
            .iter()
            .chain(walk(root, &Rules::air_in(&file, root)).dirs.iter())
            .any(|d| {
                std::fs::read_dir(root.join(&d.rel)).map_or(true, |entries| {
                    entries.flatten().any(|e| {
                        e.file_type().is_ok_and(|t| !t.is_dir())
                            && ext_of(&e.file_name().to_string_lossy())
                                .is_some_and(|x| differing.contains(&&x))
                    })
                })
            });
        if !holds_one {
            file.build.include_ext.clone_from(&air.build.include_ext);
        }
    }
    // The program air starts, as air runs it (full_bin in place of bin; bin made absolute, so
    // `tmp/main` is `./tmp/main`), less `NAME=value` words before it that no Go code here
    // reads (qalens/retroboard's `APP_ENV=dev ./tmp/main`).
    let runs = |c: &AirConfig| -> String {
        let line = match c.build.full_bin.trim() {
            "" => c.build.bin.as_str(),
            full => full,
        };
        let mut words: Vec<&str> = line.split_whitespace().collect();
        while let Some(name) = words.first().and_then(|w| env_assignment(w)) {
            if env_read(root, name) {
                break;
            }
            words.remove(0);
        }
        let mut words: Vec<String> = words.into_iter().map(String::from).collect();
        if let Some(first) = words.first_mut() {
            if !first.starts_with('/') {
                *first = clean_rel(first);
            }
        }
        words.join(" ")
    };
    // kill_delay is the wait after SIGINT, which air sends only with send_interrupt = true
    // (runner/util_linux.go: otherwise SIGKILL at once): unused, it changes nothing.
    if !file.build.send_interrupt {
        file.build.kill_delay_ms = air.build.kill_delay_ms;
    }
    // The same `go build` under another output name (Dei6/Todo's `-o ./tmp/main.exe`, run as
    // tmp/main.exe): the same package built and run; only the file's name in tmp differs.
    let mut file_runs = runs(&file);
    if let Some((from, to)) = renamed_output(&file, &air) {
        let mut words: Vec<String> = file_runs.split_whitespace().map(String::from).collect();
        if words.first() == Some(&from) {
            words[0] = to;
            file_runs = words.join(" ");
            file.build.cmd.clone_from(&air.build.cmd);
        }
    }
    // The same `go build` with its output spelled another way (`-o tmp/main` for air's
    // `-o ./tmp/main`): go writes the same file.
    if output_cleaned(&file.build.cmd) == output_cleaned(&air.build.cmd) {
        file.build.cmd.clone_from(&air.build.cmd);
    }
    if file.build.entrypoint.is_none() && file_runs == runs(&air) {
        file.build.bin.clone_from(&air.build.bin);
        file.build.full_bin.clone_from(&air.build.full_bin);
    }
    if waits_aside {
        file.build.delay_ms = air.build.delay_ms;
        // After a failed build air starts the old binary or not: what happens only once a
        // build has failed, a note of its own (stop_on_error), not what air builds or runs.
        file.build.stop_on_error = air.build.stop_on_error;
    }
    if file != air {
        return false;
    }
    // Keys the model above leaves out: set to anything but air's default (or a zero value
    // air skips), they change what air does.
    let looks = ["log.", "color.", "screen.", "misc."];
    air_keys::KEYS
        .iter()
        .filter(|k| !looks.iter().any(|t| k.path.starts_with(t)))
        .filter(|k| !matches!(k.kind, air_keys::Kind::Table))
        // A wait in milliseconds (rerun_delay, poll_interval) changes only timing.
        .filter(|k| !(waits_aside && k.kind == air_keys::Kind::Millis))
        // The name of the file in tmp_dir air writes build errors to.
        .filter(|k| !(waits_aside && k.path == air_keys::BUILD_LOG.path))
        .all(|k| match written.get(k.path) {
            None => true,
            Some(item) => {
                let zero = item.as_value().is_some_and(air_keys::is_empty_value);
                let default = k.air_value().map(|d| air_keys::shown(&d));
                zero && (k.kind.skips_zero() || default.is_none())
                    || item
                        .as_value()
                        .map(air_keys::shown)
                        .is_some_and(|v| Some(v) == default)
                    // What the model holds was compared above.
                    || modelled(k.path)
            }
        })
}

/// The arguments full_bin passes to the program it runs (`start` of `APP_ENV=dev ./tmp/main
/// start`), when it passes any.
fn run_arguments(written: &Written) -> Option<String> {
    use crate::reloaders::air::config::AirConfig;
    let file = AirConfig::read(written).ok()?;
    let words: Vec<&str> = file
        .build
        .full_bin
        .split_whitespace()
        .skip_while(|w| env_assignment(w).is_some())
        .skip(1)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Whether `file` watches less than `air`'s defaults in `root` (and not otherwise
/// differently): (its include_ext is a subset of air's, the folders it watches are among
/// those air's defaults watch), each only where it differs.
fn narrower_watch(
    file: &crate::reloaders::air::config::AirConfig,
    air: &crate::reloaders::air::config::AirConfig,
    root: &std::path::Path,
) -> (bool, bool) {
    use crate::reloaders::watch_tree::{walk, Rules};
    let ext = file.build.include_ext != air.build.include_ext
        && !file.build.include_ext.is_empty()
        && file
            .build
            .include_ext
            .iter()
            .all(|e| air.build.include_ext.contains(e));
    let dirs = file.build.exclude_dir != air.build.exclude_dir && {
        let watched = |c: &crate::reloaders::air::config::AirConfig| -> Vec<String> {
            walk(root, &Rules::air_in(c, root))
                .dirs
                .into_iter()
                .map(|d| d.rel)
                .collect()
        };
        let theirs = watched(air);
        let tmp = crate::reloaders::air::config::clean_rel(&file.tmp_dir);
        watched(file)
            .iter()
            .all(|d| theirs.contains(d) || *d == tmp || d.starts_with(&format!("{tmp}/")))
    };
    (ext, dirs)
}

/// `cmd` with `go build ... F.go` written `go build ... .` when F.go is the only file a plain
/// `go build` compiles in `root`, a module root (so both build the same package); else `cmd`
/// as it is. Without a go.mod there `go build .` stops ("go.mod file not found") while the
/// file alone builds (cpeddecord/logbook's server/): not the same.
fn package_for_only_file(cmd: &str, root: &std::path::Path) -> String {
    let mut words: Vec<String> = cmd.split_whitespace().map(String::from).collect();
    if !root.join("go.mod").is_file()
        || words.first().map(String::as_str) != Some("go")
        || words.get(1).map(String::as_str) != Some("build")
    {
        return cmd.to_string();
    }
    let Some(last) = words.last_mut() else {
        return cmd.to_string();
    };
    let file = crate::reloaders::air::config::clean_rel(last);
    if file.ends_with(".go")
        && !file.contains('/')
        && crate::golang::source::built_go_files(root) == vec![file]
    {
        *last = ".".into();
        return words.join(" ");
    }
    cmd.to_string()
}

/// The output `go build -o OUT` writes in `file`'s cmd and in air's (cleaned), when they
/// differ and the commands are otherwise the same words.
fn renamed_output(
    file: &crate::reloaders::air::config::AirConfig,
    air: &crate::reloaders::air::config::AirConfig,
) -> Option<(String, String)> {
    use crate::reloaders::air::config::clean_rel;
    let output = |cmd: &str| -> Option<(Vec<String>, usize)> {
        let words: Vec<String> = cmd.split_whitespace().map(String::from).collect();
        let at = words.iter().position(|w| w == "-o")? + 1;
        (words.len() > at && words[0] == "go" && words.get(1).map(String::as_str) == Some("build"))
            .then_some((words, at))
    };
    let (mut f, fat) = output(&file.build.cmd)?;
    let (a, aat) = output(&air.build.cmd)?;
    let (from, to) = (clean_rel(&f[fat]), clean_rel(&a[aat]));
    if from == to || fat != aat {
        return None;
    }
    f[fat].clone_from(&a[aat]);
    (f == a).then_some((from, to))
}

/// A `go build` command's words with its `-o` output path cleaned (`./tmp/main` is
/// `tmp/main`); other commands' words as they are.
fn output_cleaned(cmd: &str) -> Vec<String> {
    use crate::reloaders::air::config::clean_rel;
    let mut words: Vec<String> = cmd.split_whitespace().map(String::from).collect();
    if words.first().map(String::as_str) != Some("go")
        || words.get(1).map(String::as_str) != Some("build")
    {
        return words;
    }
    for i in 2..words.len() {
        if let Some(out) = words[i].strip_prefix("-o=") {
            words[i] = format!("-o={}", clean_rel(out));
        } else if words[i - 1] == "-o" {
            words[i] = clean_rel(&words[i]);
        }
    }
    words
}

/// What a file that differs from air's defaults only aside (see [`same_as_defaults`]) sets:
/// how long air waits, stop_on_error, the build log's name.
fn minor_differences(written: &Written, root: &std::path::Path) -> Vec<String> {
    use crate::reloaders::air::config::AirConfig;
    let (Ok(file), air) = (AirConfig::read(written), AirConfig::default()) else {
        return vec![];
    };
    let mut out = vec![];
    let waits = file.build.delay_ms != air.build.delay_ms
        || air_keys::KEYS
            .iter()
            .filter(|k| k.kind == air_keys::Kind::Millis)
            .any(|k| {
                written
                    .get(k.path)
                    .is_some_and(|i| k.air_value().and_then(|d| d.as_integer()) != i.as_integer())
            });
    if waits {
        out.push("how long air waits (delay)".to_string());
    }
    if file.build.stop_on_error != air.build.stop_on_error {
        out.push(format!(
            "stop_on_error = {} (what air does only after a failed build)",
            file.build.stop_on_error
        ));
    }
    if let Some(log) = written
        .get(air_keys::BUILD_LOG.path)
        .and_then(|i| i.as_str())
    {
        out.push(format!("the build-error log's name (\"{log}\")"));
    }
    let only = package_for_only_file(&file.build.cmd, root);
    let by_package = AirConfig {
        build: crate::reloaders::air::config::Build {
            cmd: only.clone(),
            ..file.build.clone()
        },
        ..file.clone()
    };
    if let Some((from, _)) = renamed_output(&by_package, &air) {
        out.push(format!("the binary's name ({from})"));
    }
    {
        let narrower = match file.root == air.root {
            true => narrower_watch(&file, &air, root),
            false => (false, false),
        };
        if narrower.0 {
            out.push(format!(
                "a narrower include_ext ({}; air's defaults watch more)",
                file.build.include_ext.join(", ")
            ));
        }
        if narrower.1 {
            out.push("exclude_dir (it watches no folder air's defaults leave out)".into());
        }
        if only != file.build.cmd {
            out.push("the build naming its only Go file instead of the package (.)".into());
        }
    }
    if file.build.kill_delay_ms != air.build.kill_delay_ms && !file.build.send_interrupt {
        out.push(
            "kill_delay (air waits it only with send_interrupt = true, which is not set)".into(),
        );
    }
    let set = |k: &air_keys::Key| {
        written
            .get(k.path)
            .and_then(|i| i.as_bool())
            .unwrap_or(false)
    };
    if set(&air_keys::MISC_CLEAN_ON_EXIT) {
        out.push(
            "clean_on_exit = true (tmp_dir is deleted when air exits; air builds anew at every start)"
                .into(),
        );
    }
    if set(&air_keys::LOG_TIME) {
        out.push("[log] time = true (the look of air's log)".into());
    }
    if out.is_empty() {
        out.push("how long air waits (delay)".to_string());
    }
    out
}

/// The name a `NAME=value` word sets (the shell's assignment before a command).
fn env_assignment(word: &str) -> Option<&str> {
    let (name, _) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(name)
}

/// Whether the Go code under `root` may read the environment variable `name`: a `.go` file
/// (vendor included) names it as a word (`os.Getenv("APP_ENV")`, a constant, a struct tag
/// `env:"APP_ENV"`), or reads the environment by names it derives (`os.Environ`, viper's
/// AutomaticEnv, envconfig, caarlos0/env, cleanenv, koanf), or the name is one the Go runtime
/// or a common framework reads (`GODEBUG`, `GIN_MODE`). Unsure (too many files) counts as read.
fn env_read(root: &std::path::Path, name: &str) -> bool {
    const DERIVING: [&str; 8] = [
        "os.Environ(",
        "AutomaticEnv(",
        "BindEnv(",
        "envconfig",
        "caarlos0/env",
        "cleanenv",
        "koanf",
        "sethvargo/go-envconfig",
    ];
    const FRAMEWORKS: [&str; 6] = ["GIN_MODE", "TZ", "PORT", "HOST", "HOME", "PATH"];
    if name.starts_with("GO") || FRAMEWORKS.contains(&name) {
        return true;
    }
    let word = match regex::Regex::new(&format!(r"\b{}\b", regex::escape(name))) {
        Ok(r) => r,
        Err(_) => return true,
    };
    // A .go file that names it or derives names (an unreadable one may): read.
    crate::golang::source::go_file_below(
        root,
        20_000,
        |d| !d.starts_with('.') && d != "node_modules",
        |t, _, path| {
            t.is_file()
                && std::fs::read_to_string(path).map_or(true, |text| {
                    word.is_match(&text) || DERIVING.iter().any(|d| text.contains(d))
                })
        },
    )
    .unwrap_or(true)
}

/// The keys [`crate::reloaders::air::config::AirConfig`] holds (compared there).
fn modelled(path: &str) -> bool {
    crate::reloaders::air::config::HELD
        .iter()
        .any(|k| k.path == path)
}
