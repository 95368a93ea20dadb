//! Whether a config is written for Windows (the one place that says so): its Windows marks
//! (a `cmd /c` step, `tmp\\main.exe`), its name, a Linux/macOS sibling, or launchers that
//! run only on Windows. binary.rs reports what fails on Linux and macOS; powershell.rs judges
//! its build lines under air's Windows shell.

use super::commands::{build_steps, Step};
use super::config_file::AirFile;

/// What in the config is written for Windows: a Windows shell step (`cmd /c ...`), or a
/// value air runs with `\\` between folders (`tmp\\main.exe`); None when it has
/// `[build.linux]`/`[build.darwin]` of its own.
pub(super) fn windows_marks(f: &AirFile, steps: &[Step]) -> Option<String> {
    if own_unix(f) {
        return None;
    }
    let runs = runs(f);
    match steps.iter().find(|s| s.is_windows_shell()) {
        Some(s) => Some(format!("`{}`", s.line)),
        None => runs.contains('\\').then(|| format!("\"{runs}\"")),
    }
}

/// `.air.windows.toml` (Dzikuri/simple-withraw-and-store-money's `run/windows/live` target
/// passes it beside `.air.linux.toml`) with Windows marks: run on Windows, where these paths
/// work.
pub(super) fn windows_named(f: &AirFile, steps: &[Step]) -> bool {
    f.path
        .file_name()
        .is_some_and(|n| crate::project::names_windows(&n.to_string_lossy()))
        && windows_marks(f, steps).is_some()
}

/// A config for Linux/macOS beside this one (AnDoor/SADU-BAKCKEND-'s `.air.linux.toml`,
/// which its README tells Linux users to run with `air -c`), as shown.
pub(super) fn unix_sibling(f: &AirFile) -> Option<String> {
    f.path
        .parent()
        .map(crate::project::unix_configs)
        .unwrap_or_default()
        .iter()
        .find(|p| p.as_path() != f.path)
        .map(|p| f.ctx.project.display_path(p).to_string())
}

/// Why a config is run only on Windows, when it is (the one place that says so, for
/// windows-only-config and the checks that judge it as Windows air runs it): its name says
/// Windows and it has Windows marks; it has Windows marks and a Linux/macOS sibling beside
/// it; or its launchers run only on Windows. Such a config is judged under air's Windows
/// shell, not sh. A config with Windows marks alone is also run on Linux and macOS (where it
/// fails: windows-only-config).
pub(super) fn windows_only_config(f: &AirFile) -> Option<String> {
    let steps: Vec<Step> = build_steps(f)
        .into_iter()
        .filter(|s| !s.substituted)
        .collect();
    if let Some(launcher) = super::windows_launch::only_windows(f) {
        return Some(format!("its launcher runs only on Windows: {launcher}"));
    }
    let marks = windows_marks(f, &steps)?;
    if windows_named(f, &steps) {
        return Some(format!("its name says Windows, and it runs {marks}"));
    }
    unix_sibling(f)
        .map(|s| format!("it runs {marks}, and {s} beside it is the config for Linux and macOS"))
}

/// Why a config is written for Windows, when it is: run only there
/// ([`windows_only_config`]), or with Windows marks (`tmp\\main.exe`, `cmd /c`) alone,
/// which windows-only-config reports for Linux and macOS.
pub(super) fn written_for_windows(f: &AirFile) -> Option<String> {
    windows_only_config(f).or_else(|| {
        let steps: Vec<Step> = build_steps(f)
            .into_iter()
            .filter(|s| !s.substituted)
            .collect();
        windows_marks(f, &steps).map(|marks| format!("it runs {marks}"))
    })
}

/// The config has `[build.linux]` or `[build.darwin]` of its own: not Windows-only.
pub(super) fn own_unix(f: &AirFile) -> bool {
    ["build.linux", "build.darwin"]
        .iter()
        .any(|t| f.written.get(t).is_some())
}

/// What air runs after a build, as written: full_bin, else entrypoint, else bin.
pub(super) fn runs(f: &AirFile) -> String {
    let c = &f.ctx.project.air.build;
    if c.full_bin.is_empty() {
        c.entrypoint.clone().unwrap_or_else(|| c.bin.clone())
    } else {
        c.full_bin.clone()
    }
}
