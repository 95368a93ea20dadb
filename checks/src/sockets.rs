//! TCP listeners from `/proc/net/tcp` and `/proc/net/tcp6` (parsed by procfs), and the
//! processes that hold them, found through the `socket:[INODE]` links in `/proc/PID/fd`.
//!
//! netstat2 was considered: on Linux it reads the same socket table (through sock_diag) and
//! maps inodes to pids by the same `/proc/*/fd` walk, so it would add a dependency without
//! saving code; procfs, already used, parses both tables.

use crate::procs::{Proc, ProcessTable};
use nix::dir::Dir;
use nix::fcntl::{readlinkat, OFlag};
use nix::sys::stat::Mode;
use procfs::net::{TcpNetEntries, TcpState};
use procfs::FromReadSI;
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::path::Path;

/// One listening socket.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    pub local: SocketAddr,
    /// The socket's owner as `/proc/net/tcp` records it (the creator's fsuid).
    pub uid: u32,
    pub inode: u64,
}

/// Listening TCP sockets (IPv4 and IPv6) on any of `ports`.
pub fn listeners(proc_root: &Path, ports: &[u16]) -> Result<Vec<Listener>, String> {
    let mut found = vec![];
    for (file, required) in [("tcp", true), ("tcp6", false)] {
        let path = proc_root.join("net").join(file);
        let entries = match TcpNetEntries::from_file(&path, procfs::current_system_info()) {
            Ok(TcpNetEntries(e)) => e,
            // No tcp6 table when IPv6 is disabled.
            Err(_) if !required && !path.exists() => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        found.extend(
            entries
                .into_iter()
                .filter(|e| e.state == TcpState::Listen && ports.contains(&e.local_address.port()))
                .map(|e| Listener {
                    local: e.local_address,
                    uid: e.uid,
                    inode: e.inode,
                }),
        );
    }
    Ok(found)
}

/// Which processes hold which socket inodes.
#[derive(Debug, Default)]
pub struct Holders {
    pub by_inode: HashMap<u64, Vec<i32>>,
    /// Processes whose fd table could not be read (another user's, or exited mid-scan).
    pub unreadable: usize,
}

/// Find the holders of `sockets` without reading every process's fds where possible.
///
/// Processes are read in the order most likely to hit first: `likely` (the caller's
/// candidates, e.g. this project's builds), then the sockets' owners (by uid) newest first
/// (the port a developer asks about was usually opened recently), then the rest, in growing
/// batches. Once every socket has a holder the walk stops, and only the holders' parents and
/// children are read (and theirs, while they hold it too), since fork is how a listening
/// socket comes to be shared. A socket handed over a unix socket to an unrelated process
/// (systemd socket activation) may therefore show one holder, not all. Kernel threads and
/// zombies have no fds and are skipped.
pub fn holders(table: &ProcessTable, sockets: &[Listener], likely: &[i32]) -> Holders {
    let mut out = Holders::default();
    if sockets.is_empty() {
        return out;
    }
    let wanted: HashMap<String, u64> = sockets
        .iter()
        .map(|s| (format!("socket:[{}]", s.inode), s.inode))
        .collect();
    let owners: Vec<u32> = sockets.iter().map(|s| s.uid).collect();
    let mut order: Vec<&Proc> = table.procs.iter().filter(|p| has_fds(p)).collect();
    order.sort_by_key(|p| {
        (
            !likely.contains(&p.pid),
            !owners.contains(&p.uid),
            Reverse(p.start_time),
        )
    });
    let mut read: HashSet<i32> = HashSet::new();
    // Batches read on several threads: /proc is slow enough per call to be worth it.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let (mut start, mut size) = (0, 16);
    while start < order.len() && !wanted.values().all(|i| out.by_inode.contains_key(i)) {
        let batch = &order[start..(start + size).min(order.len())];
        (start, size) = (start + size, (size * 2).min(512));
        let found = read_batch(table, batch, &wanted, threads);
        out.unreadable += found.unreadable;
        for (inode, pids) in found.by_inode {
            out.by_inode.entry(inode).or_default().extend(pids);
        }
        read.extend(batch.iter().map(|p| p.pid));
    }
    // Fork shares a socket between parent and child: grow from each holder to its parent
    // and children, and on from those that hold it too.
    let children = children_of(table);
    let mut frontier: Vec<i32> = out.by_inode.values().flatten().copied().collect();
    while let Some(pid) = frontier.pop() {
        let parent = table.get(pid).map_or(0, |p| p.ppid);
        let kin = children.get(&pid).into_iter().flatten().copied();
        for rel in kin.chain((parent > 1).then_some(parent)) {
            if !read.insert(rel) {
                continue;
            }
            let before = out.by_inode.values().map(Vec::len).sum::<usize>();
            read_fds(table, rel, &wanted, &mut out);
            if out.by_inode.values().map(Vec::len).sum::<usize>() > before {
                frontier.push(rel);
            }
        }
    }
    out
}

/// Read the fds of `batch`, split over `threads` threads.
fn read_batch(
    table: &ProcessTable,
    batch: &[&Proc],
    wanted: &HashMap<String, u64>,
    threads: usize,
) -> Holders {
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(batch.len().div_ceil(threads).max(1))
            .map(|part| {
                scope.spawn(move || {
                    let mut h = Holders::default();
                    for p in part {
                        read_fds(table, p.pid, wanted, &mut h);
                    }
                    h
                })
            })
            .collect();
        let mut all = Holders::default();
        for h in handles {
            let h = h.join().unwrap_or_default();
            all.unreadable += h.unreadable;
            for (inode, pids) in h.by_inode {
                all.by_inode.entry(inode).or_default().extend(pids);
            }
        }
        all
    })
}

fn has_fds(p: &Proc) -> bool {
    p.state != 'Z' && p.pid != 2 && p.ppid != 2
}

/// Add `pid` to the holders of whichever wanted sockets its fds link to. The links are
/// read relative to the open fd directory, which spares the kernel a path walk per fd.
fn read_fds(table: &ProcessTable, pid: i32, wanted: &HashMap<String, u64>, out: &mut Holders) {
    let path = table.proc_root().join(pid.to_string()).join("fd");
    let Ok(mut dir) = Dir::open(&path, OFlag::O_RDONLY | OFlag::O_DIRECTORY, Mode::empty()) else {
        out.unreadable += 1;
        return;
    };
    let dir_fd = dir.as_raw_fd();
    for entry in dir.iter().flatten() {
        let name = entry.file_name();
        if name.to_bytes().starts_with(b".") {
            continue;
        }
        let Ok(target) = readlinkat(Some(dir_fd), name) else {
            continue;
        };
        if let Some(inode) = target.to_str().and_then(|t| wanted.get(t)) {
            let pids = out.by_inode.entry(*inode).or_default();
            if !pids.contains(&pid) {
                pids.push(pid);
            }
        }
    }
}

fn children_of(table: &ProcessTable) -> HashMap<i32, Vec<i32>> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for p in table.procs.iter().filter(|p| has_fds(p)) {
        children.entry(p.ppid).or_default().push(p.pid);
    }
    children
}
