//! Timing builds for build-speed: one build into a fresh folder with go's trace, the fastest
//! of a few, and pairs built in turn; and the figures' rounding.

use crate::golang::build_trace::{self, Phases};
use crate::golang::sandbox::{BuildDir, SafeBuild};
use crate::system::spawn::Ended;
use std::path::Path;
use std::time::{Duration, Instant};

/// Per build; a rebuild this slow is reported by `compile` as well.
pub(super) const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Measured builds per variant; the fastest counts (a shared machine's noise only slows).
pub(super) const RUNS: usize = 2;
/// A saving at least this large (share of the rebuild, and absolute) is a warning.
pub(super) const WORTH: (f64, f64) = (0.2, 100.0);

/// One variant's fastest rebuild.
pub(super) struct Measured {
    pub ms: f64,
    pub phases: Option<Phases>,
    /// The binary's size.
    pub bytes: u64,
}

/// One build into a fresh folder (so go always links), with its trace.
pub(super) fn build_once(
    go: &Path,
    safe: &SafeBuild,
    extra: &[String],
) -> Result<Measured, String> {
    let dir = BuildDir::new().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let trace = dir.path.join("trace.json");
    let t0 = Instant::now();
    let mut after = vec![format!("-debug-trace={}", trace.display())];
    after.extend(extra.iter().cloned());
    let result = safe.build_into(go, &dir, &after, TIME_LIMIT);
    let took = t0.elapsed();
    match result? {
        Ended::Exited { success: true, .. } => {}
        Ended::Exited { stderr, .. } => {
            let first = stderr
                .lines()
                .find(|l| !l.starts_with('#'))
                .unwrap_or("")
                .trim();
            return Err(format!("the build fails: {first}"));
        }
        Ended::TimedOut => {
            return Err(format!(
                "the build took longer than {} s and was stopped",
                TIME_LIMIT.as_secs()
            ))
        }
        Ended::OutOfMemory { .. } => {
            return Err(format!(
                "the build {}",
                crate::system::spawn::memory_limit_text()
            ))
        }
    }
    let bytes = std::fs::read_dir(dir.path.join("bin"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .max()
        .unwrap_or(0);
    Ok(Measured {
        ms: took.as_secs_f64() * 1000.0,
        phases: build_trace::read(&trace),
        bytes,
    })
}

/// The fastest of [`RUNS`] builds of `base` and of `changed`, built in turn (after one
/// build of `changed` to fill the cache), so that a machine whose load drifts slows both
/// alike.
pub(super) fn paired(
    go: &Path,
    base: &SafeBuild,
    changed: &SafeBuild,
) -> Result<(Measured, Measured), String> {
    build_once(go, changed, &[])?;
    let (mut a, mut b): (Option<Measured>, Option<Measured>) = (None, None);
    for _ in 0..RUNS {
        for (safe, best) in [(base, &mut a), (changed, &mut b)] {
            let m = build_once(go, safe, &[])?;
            if best.as_ref().is_none_or(|x| m.ms < x.ms) {
                *best = Some(m);
            }
        }
    }
    a.zip(b).ok_or_else(|| "nothing measured".into())
}

/// The fastest of [`RUNS`] builds.
pub(super) fn fastest(go: &Path, safe: &SafeBuild) -> Result<Measured, String> {
    let mut best: Option<Measured> = None;
    for _ in 0..RUNS {
        let m = build_once(go, safe, &[])?;
        if best.as_ref().is_none_or(|b| m.ms < b.ms) {
            best = Some(m);
        }
    }
    best.ok_or_else(|| "nothing measured".into())
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(super) fn secs(ms: f64) -> String {
    crate::text::duration(ms)
}
