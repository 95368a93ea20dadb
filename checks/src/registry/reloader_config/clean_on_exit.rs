//! `[misc] clean_on_exit = true`: when air exits it deletes tmp_dir, resolved against root,
//! with everything in it (v1.67.4 `runner/engine.go`: `os.RemoveAll(e.config.tmpPath())`,
//! after printing "deleting <path>"). Harmless while tmp_dir is air's own folder; data loss
//! when it is the project (`tmp_dir = "."`), holds files git tracks, or is where another
//! build step of the repository puts its output (hold-out 13, adamveld12/tai: tmp_dir =
//! "build", the Makefile's BUILD_DIR).

use super::air_view::watch_root;
use super::config_file::{manual, AirFile};
use super::problems::Problem;
use crate::filepath::clean;
use crate::model::Finding;
use crate::reloaders::air::keys::{BUILD_LOG, MISC_CLEAN_ON_EXIT, TMP_DIR};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many files a finding names.
const NAMED: usize = 3;

pub(super) fn findings(f: &AirFile, out: &mut Vec<Finding>) {
    let on = f
        .written
        .get(MISC_CLEAN_ON_EXIT.path)
        .and_then(|i| i.as_bool())
        .unwrap_or(false);
    if !on {
        return;
    }
    let c = &f.ctx.project.air;
    let root = watch_root(f);
    let tmp = clean(&root.join(&c.tmp_dir));
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let at = f.at(MISC_CLEAN_ON_EXIT.path);
    let shown = f.ctx.project.display_path(&tmp);
    let fix = manual(format!(
        "set clean_on_exit = false in [misc], or give air a folder of its own: tmp_dir = \"tmp\" (with bin/cmd using it){}",
        if c.tmp_dir == "tmp" { "" } else { ", kept out of git" }
    ));
    let ev = |extra: serde_json::Value| {
        let mut v = json!({"problem": Problem::CleanOnExitDeletes, "tmp_dir": c.tmp_dir, "deletes": tmp.display().to_string()});
        if let (Some(v), serde_json::Value::Object(extra)) = (v.as_object_mut(), extra) {
            v.extend(extra);
        }
        f.evidence(MISC_CLEAN_ON_EXIT.path, v)
    };
    // An absolute tmp_dir in a container (`tmp_dir = "/tmp"` in an image): a folder of the
    // container, deleted as it stops; not judged from here.
    if Path::new(&c.tmp_dir).is_absolute() && f.launches.iter().any(|l| l.container.is_some()) {
        return;
    }
    // The project itself, or a folder above it: air deletes the source it watches.
    if real(&root).starts_with(real(&tmp)) {
        out.push(
            Finding::fail(format!(
                "{at}: clean_on_exit = true with tmp_dir = \"{}\" ({}), which is air's root or a folder above it: when air exits it deletes that whole folder (\"deleting {}\"), the project's sources with it",
                c.tmp_dir,
                f.at(TMP_DIR.path),
                tmp.display()
            ))
            .with_evidence(ev(json!({"holds": "root"})))
            .with_fix(fix),
        );
        return;
    }
    // A folder outside the repository (an absolute tmp_dir: the container's, or another
    // machine's) is not judged from here.
    if !real(&tmp).starts_with(real(&f.repo)) {
        return;
    }
    let own = own_files(f, &tmp);
    let (tracked, how) = match tracked_files(&f.repo, &tmp) {
        // A tracked file missing from the checkout is not there to lose.
        Some(files) => (
            files
                .into_iter()
                .filter(|p| p.is_file())
                .collect::<Vec<_>>(),
            "git tracks",
        ),
        None => (
            walk(&tmp)
                .into_iter()
                .filter(|p| !own.contains(p) && !compiled(p))
                .collect(),
            "air's build does not make",
        ),
    };
    if !tracked.is_empty() {
        let names: Vec<String> = tracked
            .iter()
            .take(NAMED)
            .map(|p| f.ctx.project.display_path(p))
            .collect();
        let more = match tracked.len() - names.len() {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        // Only air's own output committed (tmp/main, the build log) or empty placeholders
        // (`.gitkeep`): git reports them deleted, air makes its files again, nothing is lost.
        let harmless = tracked.iter().all(|p| {
            own.contains(p) || compiled(p) || std::fs::metadata(p).is_ok_and(|m| m.len() == 0)
        });
        let text = format!(
            "{at}: clean_on_exit = true deletes tmp_dir {shown}/ ({}) when air exits (\"deleting {}\"), and it holds {} file{} {how}: {}{more}",
            f.at(TMP_DIR.path),
            tmp.display(),
            tracked.len(),
            if tracked.len() == 1 { "" } else { "s" },
            names.join(", "),
        );
        let finding = match harmless {
            true => Finding::info(format!("{text}; only air's own build output or empty placeholders, which air makes again: each exit shows them deleted in git; untrack them (git rm --cached) and keep tmp_dir out of git")),
            false => Finding::fail(format!("{text}; each exit of air deletes them")),
        };
        out.push(
            finding
                .with_evidence(ev(
                    json!({"holds": how, "files": names, "count": tracked.len()}),
                ))
                .with_fix(fix),
        );
        return;
    }
    // Another build step of the repository writes there: its output goes at every exit.
    let writers = writers(f, &tmp, &own);
    if let Some((site, file)) = writers.first() {
        out.push(
            Finding::warn(format!(
                "{at}: clean_on_exit = true deletes tmp_dir {shown}/ ({}) when air exits, and {site} writes {} there: that build's output is deleted at every exit of air{}",
                f.at(TMP_DIR.path),
                f.ctx.project.display_path(file),
                match writers.len() {
                    1 => String::new(),
                    n => format!(" ({} writes there in all)", n),
                },
            ))
            .with_evidence(ev(json!({"holds": "written", "writers": writers.iter().map(|(s, p)| json!({"at": s, "file": p.display().to_string()})).collect::<Vec<_>>()})))
            .with_fix(fix),
        );
    }
}

/// What air's build puts in tmp_dir: the binary air runs, the build's `-o` outputs, air's
/// build log.
fn own_files(f: &AirFile, tmp: &Path) -> Vec<PathBuf> {
    let c = &f.ctx.project.air;
    let mut own = vec![clean(&c.bin_path(&f.ctx.project.root, &watch_root(f)))];
    if let Some(r) = super::binary::runner(f) {
        own.push(r.path);
    }
    own.extend(super::generated::named_outputs(f));
    let log = f
        .written
        .get(BUILD_LOG.path)
        .and_then(|i| i.as_str())
        .filter(|l| !l.is_empty())
        .unwrap_or("build-errors.log");
    own.push(clean(&tmp.join(log)));
    own
}

/// A compiled program (ELF, PE, Mach-O): a build's output, which a build makes again.
fn compiled(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
    read.is_ok()
        && (head == *b"\x7fELF"
            || head[..2] == *b"MZ"
            || matches!(
                u32::from_be_bytes(head),
                0xfeedface | 0xfeedfacf | 0xcefaedfe | 0xcffaedfe | 0xcafebabe
            ))
}

/// The files git tracks under `dir`; None when git cannot say (no git, not a repository).
fn tracked_files(repo: &Path, dir: &Path) -> Option<Vec<PathBuf>> {
    let git = which::which("git").ok()?;
    let mut cmd = std::process::Command::new(git);
    // A checkout owned by another user is still read (git refuses it otherwise).
    cmd.args(["-c", "safe.directory=*", "-C"])
        .arg(repo)
        .args(["ls-files", "-z", "--full-name", "--"])
        .arg(dir);
    let (ok, stdout, _) = crate::system::spawn::output(cmd, Duration::from_secs(10)).ok()?;
    if !ok {
        return None;
    }
    let top = {
        let mut cmd = std::process::Command::new(which::which("git").ok()?);
        cmd.args(["-c", "safe.directory=*", "-C"])
            .arg(repo)
            .args(["rev-parse", "--show-toplevel"]);
        let (ok, out, _) = crate::system::spawn::output(cmd, Duration::from_secs(10)).ok()?;
        if !ok {
            return None;
        }
        PathBuf::from(String::from_utf8_lossy(&out).trim())
    };
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let repo_real = std::fs::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
    Some(
        String::from_utf8_lossy(&stdout)
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(|s| {
                let abs = top.join(s);
                // Shown from the repository as the doctor sees it (not its real path).
                match abs.strip_prefix(&repo_real) {
                    Ok(rel) => clean(&repo.join(rel)),
                    Err(_) => abs,
                }
            })
            .collect(),
    )
}

/// The files under `dir` (a bounded walk).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                todo.push(e.path());
            } else {
                out.push(clean(&e.path()));
            }
            if out.len() + todo.len() > 10_000 {
                return out;
            }
        }
    }
    out.sort();
    out
}

/// The recipe lines of the repository's Makefiles (at the repository's top and where air
/// runs) that write a file into `tmp` other than air's own: `go build -o FILE`, `> FILE`.
fn writers(f: &AirFile, tmp: &Path, own: &[PathBuf]) -> Vec<(String, PathBuf)> {
    let mut dirs = vec![f.repo.clone(), f.ctx.project.root.clone()];
    dirs.dedup();
    let mut out: Vec<(String, PathBuf)> = vec![];
    for dir in dirs {
        for (name, line, text) in crate::reloaders::air::launch::makefile_recipes(&dir) {
            for s in crate::shell::commands(&text) {
                let words = crate::shell::program_words(&s.words);
                let mut files: Vec<&str> = vec![];
                if words
                    .first()
                    .is_some_and(|w| w == "go" || w.ends_with("/go"))
                {
                    let mut it = words.iter();
                    while let Some(w) = it.next() {
                        match w.as_str() {
                            "-o" => files.extend(it.next().map(String::as_str)),
                            _ => files.extend(w.strip_prefix("-o=")),
                        }
                    }
                }
                files.extend(
                    s.redirects
                        .iter()
                        .filter(|r| r.writes())
                        .map(|r| r.target.as_str()),
                );
                for file in files {
                    if file.contains('$') || file.starts_with("/dev/") {
                        continue;
                    }
                    let abs = clean(&dir.join(file));
                    if abs.starts_with(tmp) && abs != tmp && !own.contains(&abs) {
                        let site =
                            format!("{}:{line}", f.ctx.project.display_path(&dir.join(&name)));
                        if !out.iter().any(|(_, p)| *p == abs) {
                            out.push((site, abs));
                        }
                    }
                }
            }
        }
    }
    out
}
