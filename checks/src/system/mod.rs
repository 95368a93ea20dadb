//! The machine, read-only: the process table and who each process is to this project, TCP
//! listeners, inotify instances and watches, mounts, and real inotify events.

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
