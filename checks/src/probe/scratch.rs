//! Hidden scratch folders for probes that write files into the project.
//!
//! Probes never disturb the user's running reloader: air, fresh and gin skip
//! hidden directories, so writing inside `.reload-doctor-<tag>-<pid>/` is invisible to them.
//! The folder is removed when the guard drops, also when the probe fails half-way, and on
//! Ctrl-C, SIGTERM or SIGHUP (see [`on_signal`]).

use crate::reloaders::event_rules::{EventRules, Verdict};
use crate::system::folder_lock::{held, hold, Held};
use crate::system::fsevents::Op;
use crate::system::procs::pid_gone;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

const PREFIX: &str = ".reload-doctor-";

/// A scratch folder that is deleted, with everything in it, when dropped.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
    /// Held while the folder lives; see [`hold`].
    _held: Option<Held>,
}

impl ScratchDir {
    /// Create `<parent>/.reload-doctor-<tag>-<pid>`. Leftovers of earlier runs whose process
    /// is gone (killed before it could clean up) are removed first.
    pub fn create(parent: &Path, tag: &str) -> io::Result<ScratchDir> {
        remove_stale(parent);
        let path = parent.join(format!("{PREFIX}{tag}-{}", std::process::id()));
        if !on_signal::enter() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "interrupted: the doctor is stopping",
            ));
        }
        if held(&path) {
            // The same pid in another pid namespace, probing right now.
            on_signal::leave();
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} is in use by another reload-doctor (another pid namespace); run again when it is done",
                    path.display()
                ),
            ));
        }
        // From here the guard removes the folder (and leaves) on every path out.
        let mut guard = ScratchDir { path, _held: None };
        match std::fs::create_dir(&guard.path) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                std::fs::remove_dir_all(&guard.path)?;
                std::fs::create_dir(&guard.path)?;
            }
            other => other?,
        }
        guard._held = hold(&guard.path);
        Ok(guard)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // NotFound is fine: the project folder may have vanished under us.
        let _ = std::fs::remove_dir_all(&self.path);
        on_signal::leave();
    }
}

pub mod on_signal {
    //! SIGINT (Ctrl-C), SIGTERM and SIGHUP while a scratch folder exists: the process dies of
    //! the signal only once the last folder is removed by its guard (probes are bounded, so
    //! that is milliseconds), and no new folder is made meanwhile. A second Ctrl-C kills at
    //! once (the handler resets itself). The handler only touches atomics and calls raise,
    //! both async-signal-safe, and is installed only for signals nobody else handles.

    use nix::libc::{self, c_int};
    use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};
    use std::sync::Once;

    /// Scratch folders that exist (or are about to).
    static LIVE: AtomicUsize = AtomicUsize::new(0);
    /// The signal waiting for the last folder to go, or 0.
    static PENDING: AtomicI32 = AtomicI32::new(0);
    static INSTALL: Once = Once::new();

    /// Announce a scratch folder before creating it; false when a signal is pending and no
    /// folder may be made.
    ///
    /// Both sides write first and read second (SeqCst), so either the handler sees this
    /// folder and waits for it, or this sees the signal and backs out.
    pub fn enter() -> bool {
        INSTALL.call_once(install);
        LIVE.fetch_add(1, SeqCst);
        if PENDING.load(SeqCst) != 0 {
            leave();
            return false;
        }
        true
    }

    /// The folder is gone; if a signal waited for it, die of that signal now.
    pub fn leave() {
        if LIVE.fetch_sub(1, SeqCst) == 1 {
            let sig = PENDING.load(SeqCst);
            if sig != 0 {
                // SAFETY: raise is always safe; SA_RESETHAND restored the default action.
                unsafe { libc::raise(sig) };
            }
        }
    }

    fn install() {
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: plain sigaction calls with zeroed, then filled, structs.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut old) != 0
                    || old.sa_sigaction != libc::SIG_DFL
                {
                    continue;
                }
                let mut new: libc::sigaction = std::mem::zeroed();
                new.sa_sigaction = handler as extern "C" fn(c_int) as libc::sighandler_t;
                new.sa_flags = libc::SA_RESETHAND;
                libc::sigemptyset(&mut new.sa_mask);
                libc::sigaction(sig, &new, std::ptr::null_mut());
            }
        }
    }

    /// For a signal the binary's own handler caught: die of `sig` (its default action) as
    /// soon as the last scratch folder is gone, as [`handler`] does.
    pub fn die_when_clear(sig: c_int) {
        // SAFETY: restores the default action, so that raise ends the process.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
        handler(sig);
    }

    extern "C" fn handler(sig: c_int) {
        PENDING.store(sig, SeqCst);
        if LIVE.load(SeqCst) == 0 {
            // SAFETY: async-signal-safe; delivered when the handler returns, with the default
            // action, so the process ends as it would have without us.
            unsafe { libc::raise(sig) };
        }
    }
}

/// Where a scratch folder raises no rebuild. Normally the project root: reloaders skip
/// hidden folders. But the folder's own creation and removal happen in the root, and air
/// with `include_ext = ["*"]` rebuilds on the removal of any root entry; then use `.git` or
/// the tmp dir (never watched) when it exists on the same file system. `rules` is None for
/// reloaders that see no events (gin).
pub fn quiet_parent(
    root: &Path,
    rules: Option<&EventRules>,
    tmp: &Path,
) -> Result<PathBuf, String> {
    let probe = root.join(format!("{PREFIX}probe-{}", std::process::id()));
    let noticed = rules.is_some_and(|r| {
        r.judge(Op::Create, &probe, true) == Verdict::Trigger
            || r.judge(Op::Remove, &probe, false) == Verdict::Trigger
    });
    if !noticed {
        return Ok(root.to_path_buf());
    }
    // Only a real folder inside the project: never through a symlink (a `.git` linked
    // elsewhere) nor an absolute or `..` tmp_dir, so a probe never writes outside the root.
    let dev = |p: &Path| {
        std::fs::symlink_metadata(p)
            .ok()
            .filter(|m| m.is_dir())
            .map(|m| m.dev())
    };
    let inside = |p: &Path| {
        crate::filepath::clean(p).starts_with(root)
            && std::fs::canonicalize(p).is_ok_and(|c| c.starts_with(root))
    };
    [root.join(".git"), tmp.to_path_buf()]
        .into_iter()
        .find(|c| inside(c) && dev(c).is_some() && dev(c) == dev(root))
        .ok_or_else(|| {
            format!(
                "a scratch folder in {} would make the reloader rebuild (its rules take every file, e.g. include_ext = [\"*\"]), and there is no .git or tmp folder on the same file system to use instead",
                root.display()
            )
        })
}

/// Remove the system temp folder's `reload-doctor-build-<pid>-*` (compile) and
/// `reload-doctor-verify-<pid>-*` (verify) folders and `reload-doctor-<pid>-trace.json` (run's
/// build trace) files of processes that no longer exist: a doctor killed with SIGKILL cannot
/// remove its own. Only real folders and files owned by this user.
pub fn remove_stale_temp_dirs() {
    let tmp = std::env::temp_dir();
    let Ok(entries) = std::fs::read_dir(&tmp) else {
        return;
    };
    let me = nix::unistd::geteuid().as_raw();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let folder = name
            .strip_prefix("reload-doctor-build-")
            .or_else(|| name.strip_prefix("reload-doctor-verify-"))
            .and_then(|rest| rest.split('-').next());
        let trace = name
            .strip_prefix("reload-doctor-")
            .and_then(|rest| rest.strip_suffix("-trace.json"));
        let Some(pid) = folder.or(trace).and_then(|p| p.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        if meta.uid() != me || !pid_gone(pid) || held(&e.path()) {
            continue;
        }
        if folder.is_some() && meta.is_dir() {
            let _ = std::fs::remove_dir_all(e.path());
        } else if trace.is_some() && meta.is_file() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The scratch folders doctors killed with SIGKILL left in the places a probe may put them
/// (the root, `.git`, the tmp dir: see [`quiet_parent`]). Run at the start of every report,
/// so `--only` cleans up too. Only folders of processes that are gone and that no live process
/// holds ([`hold`]). (The system temp folder is left to compile, verify and run, see
/// [`remove_stale_temp_dirs`].)
pub fn remove_leftovers(root: &Path, tmp: &Path) {
    for parent in [root.to_path_buf(), root.join(".git"), tmp.to_path_buf()] {
        // Never through a symlink: the folder must be the project's own.
        let real = std::fs::symlink_metadata(&parent).is_ok_and(|m| m.is_dir());
        let inside = crate::filepath::clean(&parent).starts_with(root)
            && std::fs::canonicalize(&parent).is_ok_and(|c| c.starts_with(root));
        if real && inside {
            remove_stale(&parent);
        }
    }
}

/// Remove `.reload-doctor-*-<pid>` folders of processes that no longer exist and that no
/// live process holds.
fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.starts_with(PREFIX))
            .and_then(|n| n.rsplit('-').next())
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if pid_gone(pid) && e.file_type().is_ok_and(|t| t.is_dir()) && !held(&e.path()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_parent_avoids_the_root_when_the_rules_take_everything() {
        let root = std::env::temp_dir().join(format!("rd-quiet-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let tmp = root.join("tmp");
        let mut cfg = crate::reloaders::air::config::AirConfig::default();
        let default_rules = EventRules::air(&cfg, &root);
        assert_eq!(
            quiet_parent(&root, Some(&default_rules), &tmp).unwrap(),
            root
        );
        assert_eq!(quiet_parent(&root, None, &tmp).unwrap(), root);

        cfg.build.include_ext = vec!["*".into()];
        let star = EventRules::air(&cfg, &root);
        let err = quiet_parent(&root, Some(&star), &tmp).unwrap_err();
        assert!(
            err.contains("include_ext") && err.contains("no .git or tmp"),
            "{err}"
        );
        // A .git linked outside, and a tmp dir outside: neither is used.
        let outside = std::env::temp_dir().join(format!("rd-outside-{}", std::process::id()));
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join(".git")).unwrap();
        assert!(quiet_parent(&root, Some(&star), &outside).is_err());
        assert!(quiet_parent(&root, Some(&star), &root.join("../..")).is_err());
        std::fs::remove_file(root.join(".git")).unwrap();
        std::fs::remove_dir_all(&outside).unwrap();
        std::fs::create_dir(&tmp).unwrap();
        assert_eq!(quiet_parent(&root, Some(&star), &tmp).unwrap(), tmp);
        std::fs::create_dir(root.join(".git")).unwrap();
        assert_eq!(
            quiet_parent(&root, Some(&star), &tmp).unwrap(),
            root.join(".git")
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn removed_on_drop_and_stale_leftovers_cleaned() {
        let parent = std::env::temp_dir().join(format!("rd-scratch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&parent);
        std::fs::create_dir_all(&parent).unwrap();
        // pid_max is at most 2^22, so this pid cannot exist.
        let stale = parent.join(".reload-doctor-probe-99999999");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join("x"), "").unwrap();
        {
            let s = ScratchDir::create(&parent, "probe").unwrap();
            std::fs::write(s.path().join("f"), "x").unwrap();
            assert!(!stale.exists());
        }
        assert_eq!(std::fs::read_dir(&parent).unwrap().count(), 0);
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
