//! Folders held by a live doctor: an exclusive `flock` on the folder itself, so that another
//! doctor's sweep of stale scratch and build folders leaves them alone.

use std::path::Path;

/// An exclusive `flock` on a folder, released when dropped or when the process dies
/// (SIGKILL included).
pub type Held = nix::fcntl::Flock<std::fs::File>;

/// Hold `dir`: another doctor's stale sweep leaves a held folder alone. The pid in a
/// folder's name only means something in the pid namespace that wrote it; a doctor in a
/// container and one on the host share the project folder but not their pids. A lock is
/// the same for both.
pub fn hold(dir: &Path) -> Option<Held> {
    let f = std::fs::File::open(dir).ok()?;
    nix::fcntl::Flock::lock(f, nix::fcntl::FlockArg::LockExclusiveNonblock).ok()
}

/// Whether a live process holds `dir` (see [`hold`]). A folder that cannot be opened is
/// not known to be held.
pub fn held(dir: &Path) -> bool {
    let Ok(f) = std::fs::File::open(dir) else {
        return false;
    };
    matches!(
        nix::fcntl::Flock::lock(f, nix::fcntl::FlockArg::LockExclusiveNonblock),
        Err((_, nix::errno::Errno::EWOULDBLOCK))
    )
}
