//! The machine: the process table and who each process is to this project, TCP listeners and
//! when an app is ready, inotify instances and watches, mounts, and real inotify events, all
//! read-only; and the one supervisor of the processes the doctor starts: [`spawn`] (a bounded
//! command), [`supervise`] (a process group of its own, the one stop policy), [`guardian`] (what
//! outlives the doctor dies with it) and [`cgroup`], over [`procs`] (the one `/proc` stat
//! reader and tree walk).

pub mod cgroup;
pub mod files;
pub mod fsevents;
pub mod guardian;
pub mod inotify;
pub mod interrupt;
pub mod mounts;
pub mod process_role;
pub mod procs;
pub mod sockets;
pub mod spawn;
pub mod supervise;
