//! A snapshot of the process table, read once through procfs and shared by the checks.

use procfs::process::{all_processes_with_root, Process};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    /// `R`, `S`, `Z`, ... from `/proc/PID/stat`.
    pub state: char,
    pub comm: String,
    /// Owner of `/proc/PID` (the effective uid).
    pub uid: u32,
    /// Clock ticks after boot; with the pid, identifies a process across pid reuse.
    pub start_time: u64,
    pub pgrp: i32,
    pub tty_nr: i32,
}

#[derive(Debug, Clone, Default)]
pub struct ProcessTable {
    /// Sorted by pid.
    pub procs: Vec<Proc>,
    /// Entries that vanished or could not be read mid-scan: the table is partial if > 0.
    pub unreadable: usize,
    proc_root: PathBuf,
}

impl ProcessTable {
    pub fn scan(proc_root: &Path) -> Result<ProcessTable, String> {
        let iter = all_processes_with_root(proc_root)
            .map_err(|e| format!("cannot list processes in {}: {e}", proc_root.display()))?;
        let mut table = ProcessTable {
            proc_root: proc_root.to_path_buf(),
            ..Default::default()
        };
        for p in iter {
            let read = p.and_then(|p| Ok((p.uid()?, p.stat()?)));
            match read {
                Ok((uid, stat)) => table.procs.push(Proc {
                    pid: stat.pid,
                    ppid: stat.ppid,
                    state: stat.state,
                    comm: stat.comm,
                    uid,
                    start_time: stat.starttime,
                    pgrp: stat.pgrp,
                    tty_nr: stat.tty_nr,
                }),
                Err(_) => table.unreadable += 1,
            }
        }
        // Sorted by pid so that `get` (called for every step up an ancestor chain) is a
        // binary search, not a walk over thousands of entries.
        table.procs.sort_unstable_by_key(|p| p.pid);
        Ok(table)
    }

    pub fn get(&self, pid: i32) -> Option<&Proc> {
        let i = self.procs.binary_search_by_key(&pid, |p| p.pid).ok()?;
        Some(&self.procs[i])
    }

    pub fn owned_by(&self, uid: u32) -> impl Iterator<Item = &Proc> {
        self.procs.iter().filter(move |p| p.uid == uid)
    }

    /// The procfs handle of one process, for details not kept in the snapshot.
    pub fn open(&self, pid: i32) -> Option<Process> {
        Process::new_with_root(self.proc_root.join(pid.to_string())).ok()
    }

    pub fn proc_root(&self) -> &Path {
        &self.proc_root
    }
}
