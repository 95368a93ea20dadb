//! What must not outlive an interrupted doctor: the process groups of the commands it runs
//! (`go build` and the compiler processes it starts) and its temp folders. The binary's
//! signal handler calls [`clean_up`] on SIGINT, SIGTERM and SIGHUP before it exits.

use super::supervise::{StopPolicy, Target};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn add<T>(list: &Mutex<Vec<T>>, item: T) {
    if let Ok(mut l) = list.lock() {
        l.push(item);
    }
}

fn remove<T: PartialEq>(list: &Mutex<Vec<T>>, item: &T) {
    if let Ok(mut l) = list.lock() {
        l.retain(|i| i != item);
    }
}

/// A process group the doctor started and has not reaped yet.
pub fn track_group(pgid: i32) {
    add(&GROUPS, pgid);
}

pub fn untrack_group(pgid: i32) {
    remove(&GROUPS, &pgid);
}

/// A temp folder the doctor made and will remove.
pub fn track_dir(path: &Path) {
    add(&DIRS, path.to_path_buf());
}

pub fn untrack_dir(path: &Path) {
    remove(&DIRS, &path.to_path_buf());
}

/// Kill every tracked process group and remove every tracked folder.
pub fn clean_up() {
    if let Ok(groups) = GROUPS.lock() {
        for pgid in groups.iter() {
            super::supervise::stop(Target::group(*pgid), &StopPolicy::KILL);
        }
    }
    if let Ok(dirs) = DIRS.lock() {
        for d in dirs.iter() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}
