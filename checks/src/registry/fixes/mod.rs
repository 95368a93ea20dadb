//! Fix builders shared by several checks: raising an inotify sysctl, stopping processes,
//! editing the air config.

pub mod air_config;
pub mod process;
pub mod sysctl;
