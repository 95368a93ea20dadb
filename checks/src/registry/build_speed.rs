//! `build-speed` (opt-in): where a rebuild of what the reloader builds spends its time, and
//! what each change to the build would save, measured here by building again with it.
//!
//! Every build is the `compile` check's: [`SafeBuild`] (the allowlist, `-mod=readonly`,
//! `GOTOOLCHAIN=local`), into a [`BuildDir`](sandbox::BuildDir) that is removed, bounded by a
//! deadline.

use super::check::Check;
use crate::context::Context;
use crate::golang::build_plan::BuildPlan;
use crate::golang::build_trace::Phases;
use crate::golang::sandbox::{self, shown_command, SafeBuild};
use crate::model::{Finding, Fix, Outcome};
use measure::{build_once, fastest, ms, paired, round1, secs, Measured, WORTH};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Instant;

mod cache;
mod measure;
mod regenerated;

pub static CHECK: Check = Check {
    id: "build-speed",
    purpose: "opt-in, not in the default report (--only build-speed; it builds the project several times): where a rebuild's time goes, and what -ldflags='-s -w', CGO_ENABLED=0 or dropping -race would save, and what a generator rewriting Go files costs, measured",
    explain: "\
Looks at: builds what the reloader builds (build.cmd's packages and allowed flags, exactly as
the compile check does: into a temporary folder, GOTOOLCHAIN=local, -mod=readonly, nothing the
repository names is run) once to fill Go's build cache, then again into an empty folder: a
rebuild with every package cached, which is what every reload pays at least (loading the
packages, checking the cache, linking). Go's own trace splits it into load, compile and link.
Then, for each change that applies, it builds with the change (once to fill the cache, then
measured) and reports the time saved: -ldflags='-s -w' (no DWARF debug data and symbol table:
the linker writes much less, and no debugger can attach to that binary), CGO_ENABLED=0 (the
linker runs the C toolchain for a cgo binary), a build without -race. Each time is the fastest
of two builds, the builds with and without the change taken in turn so a shared machine's load
slows both alike. In a git checkout it names -buildvcs=false (go runs git to stamp the binary)
without measuring it: every build here has it off, as git runs what a repository's
.git/config names. When
the build runs a generator (go generate, sqlc, templ, ...) that rewrites Go files on every
build, it measures what a rewrite with new content costs: the same build with go's -overlay
giving those files a changed comment (the generator itself is never run), and go's trace
names the packages that compiled again. It also says when the
first build was far slower than a rebuild (a cold build cache), and why the cache is cold
where it can tell: GOCACHE on a shared or network mount, GOCACHE in a container's own file
system (every new container starts empty), a Dockerfile in the project root that runs
`go clean -cache` or removes go-build. It is slow (several builds), so it runs only when named
with --only.

Why it matters: the build is nearly all of a reload's time; the reloader's own overhead is
milliseconds. On a typical web app the link dominates a rebuild.

Fix by hand: add the flags that save the most to build.cmd in .air.toml (for example
cmd = \"go build -ldflags='-s -w' -buildvcs=false -o ./tmp/main .\"), or run
`reload-doctor run --fast`, which adds -ldflags='-s -w' -buildvcs=false to a plain go build.",
    problems: &[],
    run,
};

/// A change to the build to measure.
struct Variant {
    key: &'static str,
    what: String,
    flags: Vec<String>,
    env: Vec<(String, String)>,
    /// What it costs, said with the saving.
    cost: &'static str,
}

fn run(ctx: &Context) -> Outcome {
    let go = match ctx.go_to_build_with() {
        Ok(go) => go,
        Err(skipped) => return skipped,
    };
    let project = &ctx.project;
    let plan = project.build_plan();
    let safe = SafeBuild::new(&plan, &project.root);
    let shown = shown_command(&safe, &project.root);
    let t0 = Instant::now();
    let measured = build_once(&go, &safe, &[]).and_then(|first| Ok((first, fastest(&go, &safe)?)));
    let (first, base) = match measured {
        Ok(m) => m,
        Err(why) => {
            return Outcome::ran(
                "not measured",
                vec![Finding::info(format!(
                    "`{shown}` not measured: {why} (see compile)"
                ))],
            )
            .with_evidence(json!({"command": shown}))
        }
    };
    let mut findings = vec![rebuild_finding(&base)];
    let mut measured = vec![];
    for v in variants(&go, &safe) {
        let mut changed = safe.clone();
        changed.flags = v.flags.clone();
        changed.env = v.env.clone();
        measured.push(json!({"change": v.key, "what": v.what}));
        let (before, with) = match paired(&go, &safe, &changed) {
            Ok(m) => m,
            Err(why) => {
                findings.push(Finding::info(format!(
                    "{}: not measured, the build fails with it ({why})",
                    v.what
                )));
                continue;
            }
        };
        let saved = before.ms - with.ms;
        *measured.last_mut().unwrap() = json!({
            "change": v.key, "what": v.what, "rebuild_ms": round1(with.ms),
            "against_ms": round1(before.ms), "saved_ms": round1(saved), "bytes": with.bytes,
        });
        findings.push(saving_finding(&v, &before, &with, saved));
    }
    findings.extend(vcs_stamp(&plan, &project.root));
    if let Some(f) = regenerated::finding(ctx, &go, &safe) {
        measured.push(f.evidence.clone());
        findings.push(f);
    }
    findings.extend(cache::findings(ctx, &go, first.ms, base.ms));
    let dominant = base.phases.as_ref().map(|p| dominant(p, base.ms).0);
    let summary = match dominant {
        Some(d) => format!("a rebuild takes {}, mostly {d}", secs(base.ms)),
        None => format!("a rebuild takes {}", secs(base.ms)),
    };
    Outcome::ran(summary, findings).with_evidence(json!({
        "command": shown,
        "first_build_ms": round1(first.ms),
        "rebuild_ms": round1(base.ms),
        "bytes": base.bytes,
        "phases": base.phases.as_ref().map(phase_json),
        "variants": measured,
        "took_s": round1(t0.elapsed().as_secs_f64()),
    }))
}

/// The changes that apply to this build, as the flags and environment to build with.
fn variants(go: &Path, safe: &SafeBuild) -> Vec<Variant> {
    let mut out = vec![];
    let ldflags = ldflags(&safe.flags);
    let stripped = ldflags.as_deref().is_some_and(|v| {
        let words: Vec<&str> = v.split_whitespace().collect();
        words.contains(&"-s") && words.contains(&"-w")
    });
    if !stripped {
        let value = match &ldflags {
            Some(v) => format!("{v} -s -w"),
            None => "-s -w".to_string(),
        };
        let mut flags: Vec<String> = without(&safe.flags, "ldflags");
        flags.insert(0, format!("-ldflags={value}"));
        out.push(Variant {
            key: "strip",
            what: "-ldflags='-s -w'".into(),
            flags,
            env: safe.env.clone(),
            cost: "no DWARF data or symbol table: no debugger (dlv) can attach to that binary, and panics still print their stack",
        });
    }
    let cgo_set = safe.env.iter().any(|(k, _)| k == "CGO_ENABLED");
    let cgo_on = sandbox::go_env(go, &["CGO_ENABLED"], &safe.env).is_ok_and(|v| v.trim() == "1");
    if !cgo_set && cgo_on {
        let mut env = safe.env.clone();
        env.push(("CGO_ENABLED".into(), "0".into()));
        out.push(Variant {
            key: "cgo",
            what: "CGO_ENABLED=0".into(),
            flags: safe.flags.clone(),
            env,
            cost: "no C code: a package that needs cgo (sqlite3, some drivers) does not build, and net and os/user use their pure-Go versions",
        });
    }
    if safe.flags.iter().any(|f| f == "-race" || f == "--race") {
        out.push(Variant {
            key: "race",
            what: "no -race".into(),
            flags: safe
                .flags
                .iter()
                .filter(|f| *f != "-race" && *f != "--race")
                .cloned()
                .collect(),
            env: safe.env.clone(),
            cost: "data races are no longer reported while you develop",
        });
    }
    out
}

/// In a git checkout go runs git on every build to stamp the binary with the commit, unless
/// build.cmd says -buildvcs=false. Not measured: every build here has it off, as that git
/// would run what the repository's own .git/config names.
fn vcs_stamp(plan: &BuildPlan, root: &Path) -> Option<Finding> {
    let off = plan
        .flags
        .iter()
        .any(|f| f.trim_start_matches('-') == "buildvcs=false");
    if off || !root.ancestors().any(|d| d.join(".git").exists()) {
        return None;
    }
    Some(
        Finding::info(
            "-buildvcs=false spares go running git on every build of this git checkout to stamp the commit (not measured: the doctor never runs git, which runs what a repository's .git/config names); cost: the binary no longer records the commit (runtime/debug.ReadBuildInfo's vcs.* settings)",
        )
        .with_evidence(json!({"change": "buildvcs", "measured": false}))
        .with_fix(Fix::manual(vec![
            "add -buildvcs=false to the go build in build.cmd (.air.toml), or run `reload-doctor run --fast`".into(),
        ])),
    )
}

/// The value of `-ldflags` in `flags` (the last one, as go takes it).
fn ldflags(flags: &[String]) -> Option<String> {
    let mut found = None;
    let mut words = flags.iter();
    while let Some(f) = words.next() {
        let bare = f.trim_start_matches('-');
        if let Some(v) = bare.strip_prefix("ldflags=") {
            found = Some(v.to_string());
        } else if bare == "ldflags" {
            found = words.next().cloned();
        }
    }
    found
}

/// `flags` without every `-NAME value` / `-NAME=value`.
fn without(flags: &[String], name: &str) -> Vec<String> {
    let mut out = vec![];
    let mut words = flags.iter();
    while let Some(f) = words.next() {
        let bare = f.trim_start_matches('-');
        if bare == name {
            words.next();
        } else if !bare.starts_with(&format!("{name}=")) {
            out.push(f.clone());
        }
    }
    out
}

/// The phase that takes most of the rebuild, and its time.
fn dominant(p: &Phases, total: f64) -> (String, f64) {
    let parts = [
        ("the link", ms(p.link)),
        ("loading the packages", ms(p.load)),
        ("compiling", ms(p.compile)),
    ];
    let (name, t) = parts
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let other = total - ms(p.link) - ms(p.load) - ms(p.compile);
    if other > t {
        return (
            "the go command's own work (cache checks, start-up)".into(),
            other,
        );
    }
    (format!("{name} ({})", secs(t)), t)
}

fn rebuild_finding(base: &Measured) -> Finding {
    let message = match &base.phases {
        Some(p) => format!(
            "a rebuild with every package cached takes {} here (load {}, compile {}, link {}): every reload pays at least this; most of it is {}",
            secs(base.ms),
            secs(ms(p.load)),
            secs(ms(p.compile)),
            secs(ms(p.link)),
            dominant(p, base.ms).0
        ),
        None => format!(
            "a rebuild with every package cached takes {} here: every reload pays at least this",
            secs(base.ms)
        ),
    };
    Finding::info(message).with_evidence(json!({
        "rebuild_ms": round1(base.ms),
        "phases": base.phases.as_ref().map(phase_json),
    }))
}

/// `base` and `m`: the fastest builds without and with the change, measured in turn.
fn saving_finding(v: &Variant, base: &Measured, m: &Measured, saved: f64) -> Finding {
    let share = saved / base.ms;
    let evidence = json!({
        "change": v.key, "rebuild_ms": round1(base.ms), "with_ms": round1(m.ms),
        "saved_ms": round1(saved), "bytes": base.bytes, "with_bytes": m.bytes,
    });
    if saved < 10.0 {
        return Finding::info(format!(
            "{}: no measurable saving ({} against {})",
            v.what,
            secs(m.ms),
            secs(base.ms)
        ))
        .with_evidence(evidence);
    }
    let message = format!(
        "{} saves {} per reload ({:.0}%: {} instead of {}); cost: {}",
        v.what,
        secs(saved),
        share * 100.0,
        secs(m.ms),
        secs(base.ms),
        v.cost
    );
    let finding = if share >= WORTH.0 && saved >= WORTH.1 {
        Finding::warn(message)
    } else {
        Finding::info(message)
    };
    let step = match v.key {
        "cgo" => {
            "set CGO_ENABLED=0 before go build in build.cmd (.air.toml), if no package needs cgo"
                .to_string()
        }
        "race" => {
            "drop -race from build.cmd in .air.toml while iterating (keep it in CI)".to_string()
        }
        _ => format!(
            "add {} to the go build in build.cmd (.air.toml), or run `reload-doctor run --fast`",
            v.what
        ),
    };
    finding
        .with_evidence(evidence)
        .with_fix(Fix::manual(vec![step]))
}

fn phase_json(p: &Phases) -> Value {
    json!({"load_ms": round1(ms(p.load)), "compile_ms": round1(ms(p.compile)), "link_ms": round1(ms(p.link))})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ldflags_are_found_and_removed_in_both_spellings() {
        let f = words(&["-tags", "dev", "-ldflags", "-X main.v=1", "-mod=readonly"]);
        assert_eq!(ldflags(&f).as_deref(), Some("-X main.v=1"));
        assert_eq!(
            without(&f, "ldflags"),
            words(&["-tags", "dev", "-mod=readonly"])
        );
        let f = words(&["-ldflags=-s -w", "-race"]);
        assert_eq!(ldflags(&f).as_deref(), Some("-s -w"));
        assert_eq!(without(&f, "ldflags"), words(&["-race"]));
    }
}
