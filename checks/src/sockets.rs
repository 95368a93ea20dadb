//! TCP listeners from `/proc/net/tcp` and `/proc/net/tcp6` (parsed by procfs), and the
//! processes that hold them, found through the `socket:[INODE]` links in `/proc/PID/fd`.
//!
//! netstat2 was considered: on Linux it reads the same socket table (through sock_diag) and
//! maps inodes to pids by the same `/proc/*/fd` walk, so it would add a dependency without
//! saving code; procfs, already used, parses both tables.

use crate::procs::ProcessTable;
use procfs::net::{TcpNetEntries, TcpState};
use procfs::FromReadSI;
use std::collections::HashMap;
use std::net::SocketAddr;
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

/// Find the holders of `sockets`. Processes of the sockets' owners are read first and in
/// full (a socket may be shared by a parent and its forked child); the rest only while some
/// socket is still unaccounted for. Kernel threads and zombies have no fds and are skipped.
pub fn holders(table: &ProcessTable, sockets: &[Listener]) -> Holders {
    let mut out = Holders::default();
    if sockets.is_empty() {
        return out;
    }
    let wanted: HashMap<String, u64> = sockets
        .iter()
        .map(|s| (format!("socket:[{}]", s.inode), s.inode))
        .collect();
    let owners: Vec<u32> = sockets.iter().map(|s| s.uid).collect();
    let scannable = table
        .procs
        .iter()
        .filter(|p| p.state != 'Z' && p.pid != 2 && p.ppid != 2);
    let (first, rest): (Vec<_>, Vec<_>) = scannable.partition(|p| owners.contains(&p.uid));
    for (pass, procs) in [first, rest].into_iter().enumerate() {
        if pass == 1 && wanted.values().all(|i| out.by_inode.contains_key(i)) {
            break;
        }
        for p in procs {
            let dir = table.proc_root().join(p.pid.to_string()).join("fd");
            let Ok(fds) = std::fs::read_dir(&dir) else {
                out.unreadable += 1;
                continue;
            };
            for fd in fds.flatten() {
                let Ok(target) = std::fs::read_link(fd.path()) else {
                    continue;
                };
                if let Some(inode) = target.to_str().and_then(|t| wanted.get(t)) {
                    let pids = out.by_inode.entry(*inode).or_default();
                    if !pids.contains(&p.pid) {
                        pids.push(p.pid);
                    }
                }
            }
        }
    }
    out
}
