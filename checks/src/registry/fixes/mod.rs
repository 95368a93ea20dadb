//! Fix builders shared by several checks: raising an inotify sysctl, stopping processes.

pub mod process;
pub mod sysctl;
