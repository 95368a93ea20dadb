//! Who holds inotify instances and watches: read from `/proc/PID/fd` and `/proc/PID/fdinfo`.

use crate::system::procs::{walk_fds, Proc, ProcessTable};
use std::collections::{HashMap, HashSet};
use std::fs;

/// One process's inotify use.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub pid: i32,
    pub comm: String,
    pub instances: u64,
    pub watches: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Usage {
    pub instances: u64,
    pub watches: u64,
    /// Processes whose fds could not be read: the totals are then a lower bound.
    pub unreadable: usize,
    /// Biggest consumers first.
    pub holders: Vec<Holder>,
}

/// Count the `inotify wd:` lines of one fdinfo file.
pub fn watches_in_fdinfo(text: &str) -> u64 {
    text.lines()
        .filter(|l| l.starts_with("inotify wd:"))
        .count() as u64
}

/// Inotify instances and watches held by processes of `uid`.
///
/// A forked child shares its parent's inotify fd; identical watch lists seen through two
/// processes are counted once so the total is not doubled.
pub fn usage(table: &ProcessTable, uid: u32) -> Usage {
    let procs: Vec<&Proc> = table.owned_by(uid).collect();
    // (pid, the instance's fdinfo), or None when an inotify fd's fdinfo could not be read.
    let walk = walk_fds(table, &procs, |p, fd, target| {
        (target == b"anon_inode:inotify").then(|| {
            let info = table
                .proc_root()
                .join(p.pid.to_string())
                .join("fdinfo")
                .join(fd);
            fs::read_to_string(info).ok().map(|text| (p.pid, text))
        })
    });
    let mut usage = Usage {
        unreadable: table.unreadable + walk.unreadable,
        ..Default::default()
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut by_pid: HashMap<i32, Holder> = HashMap::new();
    for found in walk.kept {
        let Some((pid, info)) = found else {
            usage.unreadable += 1;
            continue;
        };
        let wd_lines: String = info
            .lines()
            .filter(|l| l.starts_with("inotify wd:"))
            .collect();
        // An empty instance has no identity to compare; count it per process.
        if !wd_lines.is_empty() && !seen.insert(wd_lines) {
            continue;
        }
        let holder = by_pid.entry(pid).or_insert_with(|| Holder {
            pid,
            comm: table.get(pid).map(|p| p.comm.clone()).unwrap_or_default(),
            instances: 0,
            watches: 0,
        });
        holder.instances += 1;
        holder.watches += watches_in_fdinfo(&info);
    }
    usage.holders = by_pid.into_values().collect();
    usage.instances = usage.holders.iter().map(|h| h.instances).sum();
    usage.watches = usage.holders.iter().map(|h| h.watches).sum();
    usage
        .holders
        .sort_by(|a, b| b.watches.cmp(&a.watches).then(a.pid.cmp(&b.pid)));
    usage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_wd_lines() {
        let text = "pos:\t0\nflags:\t00\nmnt_id:\t15\ninotify wd:2 ino:1 sdev:800001 mask:fce ignored_mask:0\ninotify wd:1 ino:2 sdev:800001 mask:fce ignored_mask:0\n";
        assert_eq!(watches_in_fdinfo(text), 2);
        assert_eq!(watches_in_fdinfo("pos:\t0\nflags:\t02\n"), 0);
    }
}
