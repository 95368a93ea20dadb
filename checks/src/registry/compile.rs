//! `compile`: the main package builds, the way the reloader builds it, into a temp folder.

use super::check::Check;
use crate::context::Context;
use crate::golang::build_output::{self, Problem};
use crate::golang::build_plan::BuildPlan;
use crate::golang::missing_code::Producer;
use crate::golang::sandbox::{self, shown_command, BuildDir, SafeBuild};
use crate::golang::version::parse_version;
use crate::model::{Finding, Fix, Outcome, Severity};
use crate::system::spawn::{self, Ended};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub static CHECK: Check = Check {
    id: "compile",
    purpose: "the main package builds with build.cmd's packages and flags (into a temp folder)",
    explain: "\
Looks at: runs `go build` on the packages and with the flags of air's build.cmd (-tags,
-ldflags, -gcflags, -race, -trimpath; gin and fresh build the project folder), in the project
folder, writing the binary to a temporary folder outside the project so a running reloader is
not disturbed. Go's build cache is reused, so a second run is fast. It never runs a program
the repository names nor writes outside the temporary folder: -toolexec, -exec, -overlay,
-modfile, -mod=mod, packages starting with -, VAR= prefixes other than the target's (GOOS,
GOARCH, CGO_ENABLED...) and every -gcflags/-ldflags word outside an allowlist (-o,
-cpuprofile, -linkmode, -extld...) are dropped and named; GOTOOLCHAIN=local and -mod=readonly
always. go.work, go.mod, go.sum or vendor/modules.txt that is a FIFO or device is named and
nothing is built (go would wait on it). A cgo package still runs the C compiler on its C
files: skip with --no-compile on a tree you do not trust.

Why it breaks hot reload: when the build fails, air keeps running the last good binary (or
nothing) and only prints the error in its own terminal, so saving a file seems to do nothing.
A missing go.sum entry or an out-of-date go.mod fails every build before any code compiles.

Fix by hand: fix the errors at the file:line:col shown; for go.sum and go.mod problems run
`go mod tidy` (or the `go mod download MODULE` shown) in the project folder and commit the
result.",
    problems: &[],
    run,
};

/// Longer than any sane incremental build; a build this slow is a finding in itself.
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Compiler errors listed one by one; the rest are counted.
const MAX_ERRORS: usize = 10;

fn run(ctx: &Context) -> Outcome {
    let go = match ctx.go_to_build_with() {
        Ok(go) => go,
        Err(skipped) => return skipped,
    };
    let project = &ctx.project;
    if let Some(outcome) = toolchain_download_needed(ctx, &go) {
        return outcome;
    }

    let plan = project.build_plan();
    let safe = SafeBuild::new(&plan, &project.root);
    let irregular =
        non_regular_source(&plan.main_dir(&project.root)).or_else(|| safe.irregular_input());
    if let Some(odd) = irregular {
        let name = project.display_path(&odd);
        return Outcome::ran(
            format!("not built: {name} is not a regular file"),
            vec![Finding::fail(sandbox::irregular_text(&name)).with_evidence(json!({"file": name}))],
        );
    }
    if let Some(file) = nul_source(&plan.main_dir(&project.root)) {
        let name = project.display_path(&file);
        return Outcome::ran(
            format!("not built: {name} holds NUL bytes"),
            vec![Finding::fail(format!(
                "{name} holds NUL bytes, which Go source never does (a file cut short by a crash or a full disk is often zeros): go build stops with \"invalid NUL character\", after tens of seconds on a large file; restore it (`git checkout -- {name}` or your editor's backup)"
            ))
            .with_evidence(json!({"file": name}))],
        );
    }
    crate::probe::scratch::remove_stale_temp_dirs();
    let out_dir = match BuildDir::new() {
        Ok(d) => d,
        Err(e) => return Outcome::Errored(format!("cannot create a temporary folder: {e}")),
    };
    let shown = shown_command(&safe, &project.root);
    let start = Instant::now();
    let result = safe.build_into(&go, &out_dir, &[], TIME_LIMIT);
    let secs = start.elapsed().as_secs_f64();

    let mut findings: Vec<Finding> = plan
        .approximation
        .iter()
        .map(|note| Finding::info(note.clone()))
        .collect();
    if !safe.dropped.is_empty() {
        findings.push(
            Finding::info(format!(
                "not passed to go build: {}; a report never runs a program the repository names (build.cmd's -toolexec, -exec, CC=, GOFLAGS=, an external linker...) nor writes a file it names (-ldflags=-o=..., -gcflags=-cpuprofile=...) nor rewrites go.mod, so the build may differ from air's; run build.cmd yourself if you trust this repository",
                safe.dropped.join(", ")
            ))
            .with_evidence(json!({"dropped": safe.dropped})),
        );
    }
    let evidence =
        json!({"command": shown, "seconds": round2(secs), "cwd": safe.dir.to_string_lossy()});
    let outcome = match result {
        Err(e) => Outcome::Errored(format!("cannot run `{shown}`: {e}")),
        Ok(Ended::TimedOut) => {
            findings.push(
                // Packages finished before the stop stay in Go's build cache, so a first
                // build after the cache was cleared gets further on each run.
                Finding::warn(format!(
                    "build took longer than {} and was stopped; finished packages are cached, so run again: if it is still this slow, so is every reload",
                    crate::text::span(TIME_LIMIT)
                ))
                .with_fix(manual(format!(
                    "run `{}` in the project folder to see which package is slow",
                    shown.replacen("go build", "go build -v", 1)
                ))),
            );
            Outcome::ran("build timed out", findings)
        }
        Ok(Ended::OutOfMemory { stderr }) => {
            // The user's reloader runs the same build without a limit: it may finish there,
            // slowly, or take the machine's memory. Not known, so a warning.
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            findings.push(
                Finding::warn(format!(
                    "`{shown}` {}; every reload builds the same: look for a huge or generated source file",
                    spawn::memory_limit_text()
                ))
                .with_evidence(json!({"stderr_first_line": first}))
                .with_fix(manual(format!(
                    "run `{shown}` in the project folder and watch its memory (a source file of tens of MB, a giant literal or a cgo file is the usual cause)"
                ))),
            );
            Outcome::ran("build ran out of memory", findings)
        }
        Ok(Ended::Exited { success: true, .. }) => Outcome::ran(
            format!(
                "builds in {} ({} → tmp binary)",
                crate::text::duration(secs * 1000.0),
                plan.packages
                    .iter()
                    .map(|p| if p == "." { "./" } else { p.as_str() })
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            findings,
        ),
        Ok(Ended::Exited { stdout, stderr, .. }) => {
            let output = String::from_utf8_lossy(&stdout).into_owned() + &stderr;
            let problems = build_output::parse(&output);
            let go_mod = crate::system::files::read_to_string(project.root.join("go.mod"))
                .unwrap_or_default();
            let steps = air_build_steps(project);
            let made = Made {
                root: &project.root,
                work_dir: &safe.dir,
                module: project.go_mod.as_ref().map_or("", |m| m.module.as_str()),
                steps: &steps,
            };
            findings.extend(failure_findings(&problems, &go_mod, &output));
            findings = explain_missing_code(findings, &problems, &made);
            let undefined = problems.iter().any(
                |p| matches!(p, Problem::Compiler { message, .. } if message.starts_with("undefined: ")),
            );
            if undefined {
                findings.extend(cgo_disabled(&go, &safe, &plan, &project.root));
            }
            let summary = match findings.iter().all(|f| f.severity == Severity::Info) {
                true => {
                    format!("`{shown}` fails without the code air's build steps generate first")
                }
                false => format!("`{shown}` fails"),
            };
            Outcome::ran(summary, findings)
        }
    };
    outcome.with_evidence(evidence)
}

/// The `.go` entries of the main package's folder, sorted (at most 500: a folder of
/// thousands is read no further).
fn go_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .take(500)
        .collect();
    files.sort();
    files
}

/// A `.go` entry of the main package's folder that is not a regular file (nor a link to
/// one): go would open it and block (a FIFO) or read forever (a device).
fn non_regular_source(dir: &Path) -> Option<PathBuf> {
    go_files(dir)
        .into_iter()
        .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_file()))
}

/// A `.go` file of the main package's folder with a NUL byte in its first 64 KiB and no
/// build constraint (a `//go:build` line could leave it out of the build).
fn nul_source(dir: &Path) -> Option<PathBuf> {
    use std::io::Read;
    go_files(dir).into_iter().find(|p| {
        let mut head = Vec::with_capacity(64 * 1024);
        let read =
            crate::system::files::open(p).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
        read.is_ok()
            && head.contains(&0)
            && !String::from_utf8_lossy(&head)
                .lines()
                .any(|l| l.starts_with("//go:build") || l.starts_with("// +build"))
    })
}

/// When go.mod asks for a newer Go than the installed one, building would download a
/// toolchain (GOTOOLCHAIN=auto) or fail (local). Neither is done silently: the toolchain
/// check already names the problem; this says why compile did not build.
fn toolchain_download_needed(ctx: &Context, go: &Path) -> Option<Outcome> {
    let m = ctx.project.go_mod.as_ref()?;
    let wanted = [m.go.as_deref(), m.toolchain.as_deref()]
        .into_iter()
        .flatten()
        .max_by_key(|v| parse_version(v))?;
    // Read from `/` so that this very command cannot trigger the download.
    let text = sandbox::go_env(go, &["GOVERSION", "GOTOOLCHAIN"], &[]).ok()?;
    let mut lines = text.lines();
    let installed = lines.next().unwrap_or("").to_string();
    let gotoolchain = lines.next().unwrap_or("").to_string();
    if parse_version(wanted)? <= parse_version(&installed)? {
        return None;
    }
    let line = format!("go.mod wants Go {}", wanted.trim_start_matches("go"));
    Some(if gotoolchain == "local" {
        Outcome::ran(
            format!("{line}; {installed} cannot build it"),
            vec![Finding::fail(format!(
                "{line}, newer than {installed}, and GOTOOLCHAIN=local: the build fails (see toolchain)"
            ))
            .with_evidence(json!({"wanted": wanted, "installed": installed, "GOTOOLCHAIN": gotoolchain}))],
        )
    } else {
        Outcome::skipped(format!(
            "not built: {line}, newer than {installed}; go would download that toolchain first (see toolchain)"
        ))
    })
}

/// Go quietly turns cgo off when CGO_ENABLED=0 or no C compiler is found; the files that
/// import "C" are then left out and the build fails with `undefined:` errors that do not
/// mention cgo. Says so, naming the file, once the build has failed that way.
fn cgo_disabled(go: &Path, safe: &SafeBuild, plan: &BuildPlan, root: &Path) -> Option<Finding> {
    let out = sandbox::go_env(go, &["CGO_ENABLED"], &safe.env).ok()?;
    if out.trim() != "0" {
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(plan.main_dir(root))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "go"))
        .collect();
    files.sort();
    let file = files.into_iter().find(|f| {
        crate::system::files::read_to_string(f).is_ok_and(|t| {
            t.lines()
                .any(|l| matches!(l.trim(), "import \"C\"" | "\"C\""))
        })
    })?;
    let name = file.strip_prefix(root).unwrap_or(&file).display();
    Some(
        Finding::info(format!(
            "cgo is off (CGO_ENABLED=0, or no C compiler: see toolchain), so {name}, which imports \"C\", is left out of the build; the undefined names may live there"
        ))
        .with_evidence(json!({"cgo_file": name.to_string(), "CGO_ENABLED": "0"})),
    )
}

/// Where the build ran, for naming what creates a missing package or embedded folder.
struct Made<'a> {
    root: &'a Path,
    work_dir: &'a Path,
    module: &'a str,
    /// What air runs before and as the build (`pre_cmd`, `cmd`): a generator there makes
    /// the missing code before air's own builds.
    steps: &'a [String],
}

impl Made<'_> {
    /// The finding for missing code `head` that `m` makes: a failure to fix, or, when air's
    /// own build steps run `m` first, a note (only a plain `go build` fails; the doctor never
    /// runs the repository's commands, so it cannot build it the way air does).
    fn made_by(&self, head: &str, m: &Producer, todo: &str) -> Finding {
        match self.steps.iter().find(|s| m.run_by(s)) {
            Some(step) => Finding::info(format!(
                "{head}: it is generated by `{}` ({}), which air runs first (`{step}`), so air's builds have it; a plain go build, which is all the doctor runs, does not",
                m.command, m.because
            )),
            None => Finding::fail(format!("{head}: {todo}")).with_fix(manual(m.command.clone())),
        }
    }
}

/// air's pre_cmd entries and cmd, for a project air (or `reload-doctor run`) builds.
fn air_build_steps(project: &crate::project::Project) -> Vec<String> {
    match project.reloader {
        crate::project::Reloader::Air => {
            let b = &project.air.build;
            b.pre_cmd.iter().chain([&b.cmd]).cloned().collect()
        }
        _ => vec![],
    }
}

/// Rewrite the findings for code that is generated or built, not committed: a package of this
/// module that does not exist (Go says "no required module provides", and `go get` cannot
/// help) and a `//go:embed` pattern with no files. Each names the command that makes it.
fn explain_missing_code(
    mut findings: Vec<Finding>,
    problems: &[Problem],
    made: &Made,
) -> Vec<Finding> {
    use crate::golang::missing_code::{for_embed, for_missing_package};
    for p in problems {
        // With -mod=readonly, go says "cannot find module providing package P" instead.
        let readonly = match p {
            Problem::Compiler { at, message } => message
                .strip_prefix("cannot find module providing package ")
                .and_then(|m| m.split(':').next())
                .map(|package| (package.to_string(), Some(at.clone()))),
            _ => None,
        };
        let missing = match p {
            Problem::NoModule { package, at } => Some((package.clone(), at.clone())),
            _ => readonly,
        };
        let (needle, finding) = match (p, missing) {
            (_, Some((package, at))) if !made.module.is_empty() => {
                let Some(rel) = package.strip_prefix(&format!("{}/", made.module)) else {
                    continue;
                };
                let rel = rel.to_string();
                let place = at.as_deref().map(|a| format!("{a}: ")).unwrap_or_default();
                let head = match made.root.join(&rel).is_dir() {
                    true => format!(
                        "{place}{package} is a package of this module, but {rel}/ holds no Go files"
                    ),
                    false => format!(
                        "{place}{package} is a package of this module, but {rel}/ does not exist"
                    ),
                };
                let f = match for_missing_package(made.root, &rel) {
                    Some(m) => made.made_by(
                        &head,
                        &m,
                        &format!(
                            "it is generated; run `{}` ({}), and add it to pre_cmd so every build has it",
                            m.command, m.because
                        ),
                    ),
                    None => Finding::fail(format!(
                        "{head}: generated code that is not committed, or a folder left out of the repository; create it (its generator) before building"
                    )),
                };
                (package, f)
            }
            (Problem::Compiler { at, message }, _)
                if message.ends_with(": no matching files found") =>
            {
                let Some(pattern) = message
                    .strip_prefix("pattern ")
                    .and_then(|m| m.strip_suffix(": no matching files found"))
                else {
                    continue;
                };
                let file = at.split(':').next().unwrap_or(at);
                let package_dir = made.work_dir.join(file);
                let package_dir = package_dir.parent().unwrap_or(made.work_dir);
                let head = format!("{at}: //go:embed {pattern} matches no files");
                let f = match for_embed(made.root, package_dir, pattern) {
                    Some(m) => made.made_by(
                        &head,
                        &m,
                        &format!(
                            "the frontend build writes it; run `{}` ({}) before the Go build, or in pre_cmd",
                            m.command, m.because
                        ),
                    ),
                    None => Finding::fail(format!(
                        "{head}: a built or generated folder that is not in the repository; create it before the Go build"
                    )),
                };
                (format!("{at}: {message}"), f)
            }
            _ => continue,
        };
        let f = finding.with_evidence(json!({"problem": "missing-generated-code"}));
        match findings.iter().position(|x| x.message.contains(&needle)) {
            Some(i) => findings[i] = f,
            None => findings.push(f),
        }
    }
    findings
}

fn failure_findings(problems: &[Problem], go_mod: &str, raw: &str) -> Vec<Finding> {
    let mut findings = vec![];
    let mut compiler = 0;
    let mut others = vec![];
    for p in problems {
        match p {
            Problem::Compiler { at, message } => {
                compiler += 1;
                if compiler <= MAX_ERRORS {
                    findings.push(
                        Finding::fail(format!("{at}: {message}"))
                            .with_evidence(json!({"at": at, "message": message})),
                    );
                }
            }
            Problem::MissingSum { package, at } => {
                let module = build_output::module_for_package(go_mod, package)
                    .unwrap_or_else(|| package.clone());
                let place = at.as_deref().map(|a| format!(" (imported at {a})")).unwrap_or_default();
                // `go mod download MODULE` would add only that module's own entries, and
                // the build then stops at its dependencies; tidy adds them all.
                findings.push(
                    Finding::fail(format!(
                        "go.sum has no entry for {module}{place}: every build fails before compiling; run `go mod tidy`"
                    ))
                    .with_evidence(json!({"module": module, "package": package, "at": at}))
                    .with_fix(manual("go mod tidy (then commit go.sum)".into())),
                );
            }
            Problem::MissingModSum { module } => findings.push(
                Finding::fail(format!(
                    "go.sum has no entry for {module}'s go.mod: every build fails; run `go mod download {module}`"
                ))
                .with_fix(manual(format!("go mod download {module}"))),
            ),
            Problem::GoModUpdates => findings.push(
                Finding::fail("go.mod is out of date (go: updates to go.mod needed): every build fails; run `go mod tidy`")
                    .with_fix(manual("go mod tidy".into())),
            ),
            Problem::NoModule { package, at } => {
                let place = at.as_deref().map(|a| format!("{a}: ")).unwrap_or_default();
                findings.push(
                    Finding::fail(format!(
                        "{place}no module in go.mod provides {package}; run `go get {package}`"
                    ))
                    .with_fix(manual(format!("go get {package}"))),
                )
            }
            Problem::Download { module, message } => findings.push(
                Finding::fail(format!(
                    "cannot download {module}: {message}; check the network and GOPROXY, then run `go mod download {module}`"
                ))
                .with_fix(manual(format!("go mod download {module}"))),
            ),
            Problem::Toolchain { message } => findings.push(Finding::fail(format!(
                "{message} (see toolchain)"
            ))),
            Problem::Other(line) => others.push(line.as_str()),
        }
    }
    if compiler > MAX_ERRORS {
        findings.push(Finding::fail(format!(
            "... and {} more compiler errors",
            compiler - MAX_ERRORS
        )));
    }
    // Output go did not phrase as one of the above (cgo, linker): shown as printed, so a
    // missing gcc is reported in the compiler's own words and not guessed at twice.
    if !others.is_empty() || findings.is_empty() {
        let lines: Vec<&str> = if others.is_empty() {
            raw.lines().filter(|l| !l.trim().is_empty()).collect()
        } else {
            others
        };
        let mut text = lines
            .iter()
            .take(MAX_ERRORS)
            .copied()
            .collect::<Vec<_>>()
            .join(" | ");
        if lines.len() > MAX_ERRORS {
            text.push_str(&format!(
                " | ... and {} more lines",
                lines.len() - MAX_ERRORS
            ));
        }
        if text.is_empty() {
            text = "go build failed without output".into();
        }
        findings.push(Finding::fail(format!("build fails: {text}")));
    }
    findings
}

fn manual(step: String) -> Fix {
    Fix::manual(vec![step])
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_temp_folder_goes_with_its_guard() {
        let dir = BuildDir::new().unwrap();
        let path = dir.path.clone();
        assert!(path.is_dir());
        drop(dir);
        assert!(!path.exists());
    }

    #[test]
    fn many_compiler_errors_are_cut_at_ten() {
        let problems: Vec<Problem> = (1..=13)
            .map(|i| Problem::Compiler {
                at: format!("./main.go:{i}:1"),
                message: "undefined: x".into(),
            })
            .collect();
        let f = failure_findings(&problems, "", "");
        assert_eq!(f.len(), 11);
        assert_eq!(f[10].message, "... and 3 more compiler errors");
    }

    #[test]
    fn unrecognised_output_is_shown_verbatim() {
        let raw = "# runtime/cgo\ncgo: C compiler \"gcc\" not found\n";
        let f = failure_findings(&build_output::parse(raw), "", raw);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "build fails: cgo: C compiler \"gcc\" not found"
        );
    }
}
