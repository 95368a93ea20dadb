//! What a generator in the build costs when it rewrites a Go file with new content on every
//! build (a date, a random id, a map in random order): the package compiles again, the
//! binary is linked again, and what imports the package compiles again when its exported
//! API changed. Measured without running the generator (a report runs nothing the repository
//! names): the same build, with go's `-overlay` giving the file a changed comment, a new one
//! for each build so that go's cache cannot answer. The generators are the ones the
//! reloader-config check finds in the build.

use super::measure::{build_once, round1, secs, Measured, RUNS, WORTH};
use crate::context::Context;
use crate::golang::sandbox::{BuildDir, SafeBuild};
use crate::model::{Finding, Fix};
use serde_json::json;
use std::path::{Path, PathBuf};

/// At most this many rewritten files go into the overlay (a generator writing hundreds of
/// files is measured on its first few; the finding says so).
const FILES: usize = 5;

/// The finding, when a generator in the build rewrites Go files.
pub(super) fn finding(ctx: &Context, go: &Path, safe: &SafeBuild) -> Option<Finding> {
    let rewrites = crate::registry::reloader_config::build_rewrites(ctx);
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![];
    for (_, file) in &rewrites {
        if files.len() == FILES {
            break;
        }
        if let Ok(bytes) = crate::system::files::read(file) {
            files.push((file.clone(), bytes));
        }
    }
    // Files the generator has not written yet (templ's `x_templ.go` before a first run) are
    // not there to measure.
    if files.is_empty() {
        return None;
    }
    let (command, _) = rewrites.first()?;
    let shown: Vec<String> = files
        .iter()
        .map(|(f, _)| ctx.project.display_path(f))
        .collect();
    let packages: Vec<String> = files
        .iter()
        .filter_map(|(f, _)| import_path(ctx, f))
        .collect();
    let measured = measure(go, safe, &files);
    let (base, with) = match measured {
        Ok(m) => m,
        Err(why) => {
            return Some(Finding::info(format!(
                "`{command}` rewrites {} on every build: its cost was not measured ({why})",
                shown.join(", ")
            )))
        }
    };
    let compiled = with.phases.as_ref().map(|p| p.compiled.clone());
    let recompiled: Vec<&String> = packages
        .iter()
        .filter(|p| compiled.as_ref().is_some_and(|c| c.contains(p)))
        .collect();
    let extra = with.ms - base.ms;
    let evidence = json!({
        "change": "regenerated", "command": command, "files": shown,
        "rewritten_in_all": rewrites.len(), "packages": packages,
        "compiled": compiled, "rebuild_ms": round1(base.ms), "with_ms": round1(with.ms),
        "extra_ms": round1(extra),
    });
    let more = match rewrites.len().saturating_sub(files.len()) {
        0 => String::new(),
        n => format!(" (and {n} more, not measured)"),
    };
    if compiled.is_some() && recompiled.is_empty() {
        return Some(
            Finding::info(format!(
                "`{command}` rewrites {}{more} on every build, but the build compiles none of it: a rewrite costs nothing per reload",
                shown.join(", ")
            ))
            .with_evidence(evidence),
        );
    }
    let message = format!(
        "`{command}` rewrites {}{more} on every build: when the content changes (a date, a random id), {} compiles again and the binary is relinked: +{} per reload ({} instead of {}, measured with a changed comment in it); keep the generator's output the same for the same input, or run it only when its inputs change",
        shown.join(", "),
        match recompiled.len() {
            0 => "its package".to_string(),
            _ => recompiled.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "),
        },
        secs(extra.max(0.0)),
        secs(with.ms),
        secs(base.ms),
    );
    let finding = match extra >= WORTH.1 && extra / base.ms >= WORTH.0 {
        true => Finding::warn(message),
        false => Finding::info(message),
    };
    Some(finding.with_evidence(evidence).with_fix(Fix::manual(vec![
        "make the generator write the same bytes for the same input (drop timestamps, sort maps), or run it from a make target whose prerequisites are its inputs".into(),
    ])))
}

/// The fastest of [`RUNS`] builds without and with the files rewritten, in turn.
fn measure(
    go: &Path,
    safe: &SafeBuild,
    files: &[(PathBuf, Vec<u8>)],
) -> Result<(Measured, Measured), String> {
    let dir = BuildDir::new().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let (mut base, mut with): (Option<Measured>, Option<Measured>) = (None, None);
    for run in 0..RUNS {
        let overlay = write_overlay(&dir.path, files, run)
            .map_err(|e| format!("cannot write the overlay: {e}"))?;
        let b = build_once(go, safe, &[])?;
        let w = build_once(go, safe, &[format!("-overlay={}", overlay.display())])?;
        if base.as_ref().is_none_or(|x| b.ms < x.ms) {
            base = Some(b);
        }
        if with.as_ref().is_none_or(|x| w.ms < x.ms) {
            with = Some(w);
        }
    }
    base.zip(with).ok_or_else(|| "nothing measured".into())
}

/// An overlay file for go: each file replaced by a copy with one more comment line, new for
/// each `run` and each report (so that no earlier build's cache entry matches).
fn write_overlay(dir: &Path, files: &[(PathBuf, Vec<u8>)], run: usize) -> std::io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut replace = serde_json::Map::new();
    for (i, (file, bytes)) in files.iter().enumerate() {
        let copy = dir.join(format!("rewritten-{run}-{i}.go"));
        let mut changed = bytes.clone();
        changed.extend_from_slice(
            format!("\n// reload-doctor build-speed {stamp}-{run}\n").as_bytes(),
        );
        std::fs::write(&copy, changed)?;
        replace.insert(
            file.display().to_string(),
            json!(copy.display().to_string()),
        );
    }
    let overlay = dir.join(format!("overlay-{run}.json"));
    std::fs::write(&overlay, json!({ "Replace": replace }).to_string())?;
    Ok(overlay)
}

/// The import path of the package a file of this module belongs to.
fn import_path(ctx: &Context, file: &Path) -> Option<String> {
    let module = &ctx.project.go_mod.as_ref()?.module;
    let rel = file.parent()?.strip_prefix(&ctx.project.root).ok()?;
    let rel = rel.to_str()?;
    Some(match rel {
        "" => module.clone(),
        r => format!("{module}/{r}"),
    })
}
