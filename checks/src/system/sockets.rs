//! TCP listeners: which process holds a port (found through the `socket:[INODE]` links in
//! `/proc/PID/fd`), which ports a process tree listens on, whether a port is free or accepts,
//! and when a starting app is ready ([`Readiness`], [`serving_port`]) for `run` and `verify`.
//!
//! Listeners come from the kernel's sock_diag netlink interface, asked for listening sockets
//! only: `/proc/net/tcp` lists every connection, and on a developer's machine thousands in
//! TIME_WAIT (8,500 here after a benchmark) take ~30 ms to format and parse. When netlink is
//! refused (a seccomp profile, no inet_diag) or the system root is not the live one, the
//! `/proc/net/tcp*` tables are read instead (parsed by procfs).
//!
//! netstat2 was considered: it uses sock_diag too, but always maps every socket to its pids
//! by walking every `/proc/PID/fd`, the cost `holders` below avoids where it can.

use crate::system::procs::{walk_fds, Proc, ProcessTable};
use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_sock_diag::constants::{AF_INET, AF_INET6, IPPROTO_TCP};
use netlink_packet_sock_diag::inet::{ExtensionFlags, InetRequest, SocketId, StateFlags};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_sys::{protocols::NETLINK_SOCK_DIAG, Socket, SocketAddr as NetlinkAddr};
use procfs::net::{TcpNetEntries, TcpState};
use procfs::FromReadSI;
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// One listening socket.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    pub local: SocketAddr,
    /// The socket's owner as the kernel records it (the creator's fsuid).
    pub uid: u32,
    pub inode: u64,
}

/// Listening TCP sockets (IPv4 and IPv6) on any of `ports`.
pub fn listeners(proc_root: &Path, ports: &[u16]) -> Result<Vec<Listener>, String> {
    if proc_root == Path::new("/proc") {
        if let Ok(all) = listening_by_netlink() {
            return Ok(all
                .into_iter()
                .filter(|l| ports.contains(&l.local.port()))
                .collect());
        }
    }
    listening_in_proc_tables(proc_root, Some(ports)).map_err(|e| e.to_string())
}

/// Every listening TCP socket of this network namespace, from sock_diag.
fn listening_by_netlink() -> std::io::Result<Vec<Listener>> {
    let mut socket = Socket::new(NETLINK_SOCK_DIAG)?;
    socket.bind_auto()?;
    socket.connect(&NetlinkAddr::new(0, 0))?;
    let mut found = vec![];
    for family in [AF_INET, AF_INET6] {
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_REQUEST | NLM_F_DUMP;
        let socket_id = match family {
            AF_INET => SocketId::new_v4(),
            _ => SocketId::new_v6(),
        };
        let mut request = NetlinkMessage::new(
            header,
            SockDiagMessage::InetRequest(InetRequest {
                family,
                protocol: IPPROTO_TCP,
                extensions: ExtensionFlags::empty(),
                states: StateFlags::LISTEN,
                socket_id,
            })
            .into(),
        );
        request.finalize();
        let mut buf = vec![0; request.buffer_len()];
        request.serialize(&mut buf);
        socket.send(&buf, 0)?;
        found.extend(receive_listeners(&socket)?);
    }
    Ok(found)
}

/// The answers to one dump request, up to its end.
fn receive_listeners(socket: &Socket) -> std::io::Result<Vec<Listener>> {
    let bad = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let mut found = vec![];
    let mut buf = Vec::with_capacity(64 * 1024);
    loop {
        buf.clear();
        let size = socket.recv(&mut buf, 0)?;
        let mut offset = 0;
        while offset < size {
            let msg = <NetlinkMessage<SockDiagMessage>>::deserialize(&buf[offset..size])
                .map_err(|e| bad(e.to_string()))?;
            let len = msg.header.length as usize;
            match msg.payload {
                NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(r)) => {
                    let h = &r.header;
                    found.push(Listener {
                        local: SocketAddr::new(h.socket_id.source_address, h.socket_id.source_port),
                        uid: h.uid,
                        inode: u64::from(h.inode),
                    });
                }
                NetlinkPayload::Done(_) => return Ok(found),
                NetlinkPayload::Error(e) => return Err(bad(format!("sock_diag: {e:?}"))),
                _ => {}
            }
            if len == 0 {
                break;
            }
            offset += len;
        }
    }
}

/// Every listening TCP socket of the network namespace of `proc_dir` (`/proc/PID`: that
/// process's namespace, a container's when it is one of its processes).
pub fn listening_in(proc_dir: &Path) -> Result<Vec<Listener>, String> {
    listening_in_proc_tables(proc_dir, None).map_err(|e| e.to_string())
}

/// Listening sockets (on `ports`, or all) from `/proc/net/tcp` and `/proc/net/tcp6`.
fn listening_in_proc_tables(
    proc_root: &Path,
    ports: Option<&[u16]>,
) -> std::io::Result<Vec<Listener>> {
    let mut found = vec![];
    for (file, required) in [("tcp", true), ("tcp6", false)] {
        let path = proc_root.join("net").join(file);
        let entries = match TcpNetEntries::from_file(&path, procfs::current_system_info()) {
            Ok(TcpNetEntries(e)) => e,
            // No tcp6 table when IPv6 is disabled.
            Err(_) if !required && !path.exists() => continue,
            Err(e) => {
                let why = format!("cannot read {}: {e}", path.display());
                return Err(std::io::Error::other(why));
            }
        };
        found.extend(
            entries
                .into_iter()
                .filter(|e| e.state == TcpState::Listen)
                .filter(|e| ports.is_none_or(|p| p.contains(&e.local_address.port())))
                .map(|e| Listener {
                    local: e.local_address,
                    uid: e.uid,
                    inode: e.inode,
                }),
        );
    }
    Ok(found)
}

/// The TCP ports that `pids` listen on, sorted, each once: their socket fds matched with
/// the listening sockets. Reads only those processes' fds, and asks the kernel for listeners
/// only when one of them has a socket open, so it is cheap enough to poll.
pub fn ports_of(proc_root: &Path, pids: &[i32]) -> Vec<u16> {
    let inodes: HashSet<u64> = pids
        .iter()
        .flat_map(|pid| crate::system::procs::socket_inodes(proc_root, *pid))
        .collect();
    if inodes.is_empty() {
        return vec![];
    }
    let all = match proc_root == Path::new("/proc") {
        true => listening_by_netlink().or_else(|_| listening_in_proc_tables(proc_root, None)),
        false => listening_in_proc_tables(proc_root, None),
    };
    let mut ports: Vec<u16> = all
        .unwrap_or_default()
        .iter()
        .filter(|l| inodes.contains(&l.inode))
        .map(|l| l.local.port())
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// The processes holding a listener on `port` (`likely` read first): None when nothing
/// listens there, an empty list when its holder cannot be seen.
pub fn port_holders(table: &ProcessTable, port: u16, likely: &[i32]) -> Option<Vec<i32>> {
    let found = listeners(table.proc_root(), &[port]).ok()?;
    if found.is_empty() {
        return None;
    }
    let held = holders(table, &found, likely);
    Some(held.by_inode.into_values().flatten().collect())
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
    let wanted: HashMap<Vec<u8>, u64> = sockets
        .iter()
        .map(|s| (format!("socket:[{}]", s.inode).into_bytes(), s.inode))
        .collect();
    // Which wanted sockets the fds of `procs` link to, added to `out`; true if any.
    let read_into = |procs: &[&Proc], out: &mut Holders| {
        let walk = walk_fds(table, procs, |p, _, target| {
            wanted.get(target).map(|inode| (*inode, p.pid))
        });
        out.unreadable += walk.unreadable;
        let hit = !walk.kept.is_empty();
        for (inode, pid) in walk.kept {
            let pids = out.by_inode.entry(inode).or_default();
            if !pids.contains(&pid) {
                pids.push(pid);
            }
        }
        hit
    };
    let owners: Vec<u32> = sockets.iter().map(|s| s.uid).collect();
    let kthreadd = table.get(2).is_some_and(|p| p.ppid == 0);
    let mut order: Vec<&Proc> = table
        .procs
        .iter()
        .filter(|p| has_fds(p, kthreadd))
        .collect();
    order.sort_by_key(|p| {
        (
            !likely.contains(&p.pid),
            !owners.contains(&p.uid),
            Reverse(p.start_time),
        )
    });
    let mut read: HashSet<i32> = HashSet::new();
    let (mut start, mut size) = (0, 16);
    while start < order.len() && !wanted.values().all(|i| out.by_inode.contains_key(i)) {
        let batch = &order[start..(start + size).min(order.len())];
        (start, size) = (start + size, (size * 2).min(512));
        read_into(batch, &mut out);
        read.extend(batch.iter().map(|p| p.pid));
    }
    // Fork shares a socket between parent and child: grow from each holder to its parent
    // and children, and on from those that hold it too.
    let children = table.children();
    let mut frontier: Vec<i32> = out.by_inode.values().flatten().copied().collect();
    while let Some(pid) = frontier.pop() {
        let parent = table.get(pid).map_or(0, |p| p.ppid);
        let kin = children.get(&pid).into_iter().flatten().copied();
        for rel in kin.chain((parent > 1).then_some(parent)) {
            if !read.insert(rel) {
                continue;
            }
            let Some(p) = table.get(rel).filter(|p| has_fds(p, kthreadd)) else {
                continue;
            };
            if read_into(&[p], &mut out) {
                frontier.push(rel);
            }
        }
    }
    out
}

/// Not a zombie nor a kernel thread. Kernel threads are kthreadd (pid 2, parent 0) and its
/// children, but only in the initial pid namespace: in a container pid 2 is an ordinary
/// process (often the app itself).
fn has_fds(p: &Proc, kthreadd: bool) -> bool {
    p.state != 'Z' && !(kthreadd && (p.pid == 2 || p.ppid == 2))
}

/// Whether something on this machine accepts connections on `port`, over IPv4 or IPv6
/// loopback: an app that listens only on `[::1]` (Go's `localhost:8080` can resolve there)
/// accepts too. One probe for the runner's readiness and `verify`.
pub fn accepts_local(port: u16) -> bool {
    let timeout = Duration::from_millis(200);
    [
        SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        SocketAddr::from((Ipv6Addr::LOCALHOST, port)),
    ]
    .iter()
    .any(|a| TcpStream::connect_timeout(a, timeout).is_ok())
}

/// Free when we could listen on it ourselves, on IPv4 and on IPv6 (std sets SO_REUSEADDR,
/// like Go, so TIME_WAIT leftovers do not count as busy). An app may listen on `[::1]` only.
pub fn is_free(port: u16) -> bool {
    TcpListener::bind((Ipv4Addr::UNSPECIFIED, port)).is_ok()
        && match TcpListener::bind((Ipv6Addr::UNSPECIFIED, port)) {
            Ok(_) => true,
            // No IPv6 on this machine: nothing can hold the port there.
            Err(e) => e.kind() != std::io::ErrorKind::AddrInUse,
        }
}

/// `pid 4121 (./tmp/main -v, user alice)` for the process listening on `port`, when `/proc`
/// tells (the same lookup as the port-busy check).
pub fn holder(port: u16) -> Option<String> {
    let table = ProcessTable::scan(Path::new("/proc")).ok()?;
    let pids = port_holders(&table, port, &[])?;
    let named = pids.iter().find_map(|pid| table.get(*pid)).map(|p| {
        let args = crate::system::procs::cmdline(table.proc_root(), p.pid);
        let mut command = match args.is_empty() {
            true => p.comm.clone(),
            false => args.join(" "),
        };
        if command.chars().count() > 80 {
            command = command.chars().take(79).collect::<String>() + "…";
        }
        let user = crate::system::procs::user_name(p.uid);
        format!("pid {} ({command}, user {user})", p.pid)
    });
    Some(named.unwrap_or_else(|| "a process this user cannot see".into()))
}

/// The TCP ports the process `pid` and its descendants listen on: the app's real ports,
/// whatever port it was configured with.
pub fn tree_ports(pid: i32) -> Vec<u16> {
    let proc_root = Path::new("/proc");
    ports_of(proc_root, &crate::system::procs::tree(proc_root, pid))
}

/// How long an app that already listens somewhere may take to open the port it is expected on
/// (an API that listens once its database connects, with a metrics server already up) before
/// its other listeners count as where it serves. `run` and `verify` both wait this long.
pub const EXPECTED_WITHIN: Duration = Duration::from_secs(3);

/// The readiness rule of `run` and `verify`, for an app that listens on `ports` (sorted): it
/// serves on the expected port once it listens there (with none expected, on its first port);
/// one that listens only elsewhere serves on its first port once [`EXPECTED_WITHIN`] has
/// passed since it first listened (`first`, noted here). None: not yet.
pub fn serving_port(
    ports: &[u16],
    expected: Option<u16>,
    first: &mut Option<Instant>,
    now: Instant,
) -> Option<u16> {
    if let Some(e) = expected.filter(|e| ports.contains(e)) {
        return Some(e);
    }
    let first_port = *ports.first()?;
    let since = *first.get_or_insert(now);
    (expected.is_none() || now - since >= EXPECTED_WITHIN).then_some(first_port)
}

/// The port requests go to, of the ports an app listens on: the configured one when it is
/// among them, else the first.
pub fn serves_on(configured: Option<u16>, ports: &[u16]) -> Option<u16> {
    configured
        .filter(|p| ports.contains(p))
        .or(ports.first().copied())
}

/// `:8080, :9090`.
pub fn list(ports: &[u16]) -> String {
    let named: Vec<String> = ports.iter().map(|p| format!(":{p}")).collect();
    named.join(", ")
}

/// When a fresh app counts as ready, judged from its successive looks at its listeners.
/// Ready once it listens on the port it is expected on (or, with none expected, on any) and
/// no new listener came for 25 ms (an API and a metrics server start together). An app
/// that listens elsewhere first (a metrics server up before the database connects and the
/// API listens) is given [`EXPECTED_WITHIN`] to open the expected port (the rule of
/// [`serving_port`]). Listeners opened after it is ready are still reported for [`LATE`].
pub struct Readiness {
    expect: Option<u16>,
    started: Instant,
    /// Every port seen, sorted.
    pub seen: Vec<u16>,
    first: Option<Instant>,
    /// When the expected port (or, with none, the first) was seen.
    complete: Option<Instant>,
    last_new: Instant,
    /// When it was reported ready, and how many ports it had then or were reported since.
    ready: Option<(Instant, usize)>,
}

/// How long after the app is ready new listeners are still looked for.
const LATE: Duration = Duration::from_secs(10);
/// How long an app may take to listen at all.
const GIVE_UP: Duration = Duration::from_secs(5);

/// What one look at an app's listeners tells.
#[derive(Debug, PartialEq)]
pub enum Look {
    Wait,
    /// Ready since this instant.
    Ready(Instant),
    More,
    NotServing,
    Done,
}

impl Readiness {
    /// An app started at `started`, expected on `expect` (or on any port).
    pub fn new(expect: Option<u16>, started: Instant) -> Readiness {
        Readiness {
            expect,
            started,
            seen: vec![],
            first: None,
            complete: None,
            last_new: started,
            ready: None,
        }
    }

    /// The app listens on `ports` now.
    pub fn look(&mut self, ports: &[u16], now: Instant) -> Look {
        for &p in ports {
            if let Err(i) = self.seen.binary_search(&p) {
                self.seen.insert(i, p);
                self.last_new = now;
                self.first.get_or_insert(now);
                if self.expect.is_none_or(|e| e == p) {
                    self.complete.get_or_insert(now);
                }
            }
        }
        if let Some((at, reported)) = &mut self.ready {
            if now - *at >= LATE {
                return Look::Done;
            }
            if self.seen.len() > *reported {
                *reported = self.seen.len();
                return Look::More;
            }
            return Look::Wait;
        }
        let ready = match (self.first, self.complete) {
            (None, _) if now - self.started >= GIVE_UP => return Look::NotServing,
            (None, _) => return Look::Wait,
            (Some(_), Some(c)) => {
                let settled = now - self.last_new >= Duration::from_millis(25);
                (settled || now - c >= Duration::from_millis(250)).then_some(c)
            }
            (Some(f), None) => serving_port(&self.seen, self.expect, &mut Some(f), now).map(|_| f),
        };
        match ready {
            Some(at) => {
                self.ready = Some((now, self.seen.len()));
                Look::Ready(at)
            }
            None => Look::Wait,
        }
    }

    /// Tight while a fresh app is expected to come up (a look at its fds costs tens of
    /// microseconds), every 2 ms while the ports settle; then gently, backing off to a look a
    /// second: a look costs a few hundred microseconds of CPU (the fds, a netlink dump), and
    /// at every 50 ms through [`LATE`] they took as much CPU from the next save's build as
    /// the build's own tool watch.
    pub fn pause(&self, now: Instant) -> Duration {
        if let Some((at, _)) = self.ready {
            return ((now - at) / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        }
        match (self.first.is_some(), (now - self.started).as_millis()) {
            (true, _) => Duration::from_millis(2),
            (false, 0..200) => Duration::from_micros(500),
            (false, 200..1000) => Duration::from_millis(2),
            _ => Duration::from_millis(20),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_listener_on_ipv6_loopback_only_accepts() {
        let Ok(l) = std::net::TcpListener::bind("[::1]:0") else {
            panic!("this machine has no IPv6 loopback");
        };
        let port = l.local_addr().unwrap().port();
        assert!(super::accepts_local(port));
        drop(l);
        assert!(!super::accepts_local(port));
    }

    use super::*;

    /// This process's two listeners (IPv4 and IPv6) are its ports; a child of it is in its
    /// tree and, holding no socket, has none; a closed listener is gone.
    #[test]
    fn ports_of_a_process_tree_are_its_listeners() {
        let (a, b) = (
            TcpListener::bind("127.0.0.1:0").unwrap(),
            TcpListener::bind("[::1]:0").unwrap(),
        );
        let (pa, pb) = (
            a.local_addr().unwrap().port(),
            b.local_addr().unwrap().port(),
        );
        let proc_root = Path::new("/proc");
        let me = std::process::id() as i32;
        let mine = ports_of(proc_root, &[me]);
        assert!(mine.contains(&pa) && mine.contains(&pb), "{mine:?}");
        let mut sleeper = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let sleeper_pid = sleeper.id() as i32;
        assert!(crate::system::procs::tree(proc_root, me).contains(&sleeper_pid));
        assert_eq!(ports_of(proc_root, &[sleeper_pid]), Vec::<u16>::new());
        let _ = sleeper.kill();
        let _ = sleeper.wait();
        drop(a);
        assert!(!ports_of(proc_root, &[me]).contains(&pa));
    }

    /// Real listeners (IPv4, IPv6 and a closed one): netlink and the /proc tables agree on
    /// address, owner and inode.
    #[test]
    fn netlink_and_proc_tables_find_the_same_listeners() {
        let port = |l: &TcpListener| l.local_addr().unwrap().port();
        let v4 = TcpListener::bind("127.0.0.1:0").unwrap();
        let v6 = TcpListener::bind("[::1]:0").unwrap();
        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let wanted = [port(&v4), port(&v6), port(&closed)];
        drop(closed);
        let sorted = |mut v: Vec<Listener>| {
            v.sort_by_key(|l| l.local);
            v
        };
        let by_netlink: Vec<Listener> = listening_by_netlink()
            .expect("sock_diag answers")
            .into_iter()
            .filter(|l| wanted.contains(&l.local.port()))
            .collect();
        let by_proc = listening_in_proc_tables(Path::new("/proc"), Some(&wanted)).unwrap();
        assert_eq!(sorted(by_netlink.clone()), sorted(by_proc));
        let me = nix::unistd::geteuid().as_raw();
        let found: Vec<(u16, u32)> = sorted(by_netlink)
            .iter()
            .map(|l| (l.local.port(), l.uid))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        for p in [port(&v4), port(&v6)] {
            assert!(found.contains(&(p, me)), "{p} in {found:?}");
        }
        assert!(listeners(Path::new("/proc"), &[wanted[2]])
            .unwrap()
            .is_empty());
    }

    #[test]
    fn names_the_holder_of_a_busy_port() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        assert!(!is_free(port));
        assert!(accepts_local(port));
        let who = holder(port).unwrap();
        assert!(
            who.starts_with(&format!("pid {} (", std::process::id())),
            "{who}"
        );
        drop(l);
        assert!(is_free(port));
        assert!(holder(port).is_none());
    }

    #[test]
    fn a_port_held_on_ipv6_loopback_only_is_busy_and_accepting() {
        let l = TcpListener::bind("[::1]:0").unwrap();
        let port = l.local_addr().unwrap().port();
        assert!(!is_free(port));
        assert!(accepts_local(port));
        drop(l);
        assert!(is_free(port) && !accepts_local(port));
    }

    /// An API that listens after its metrics server (the database connecting in between) is
    /// waited for; listeners opened after that are reported as more; none at all gives up.
    #[test]
    fn readiness_waits_for_the_expected_port_and_reports_late_listeners() {
        let t0 = Instant::now();
        let ms = |n: u64| t0 + Duration::from_millis(n);
        let mut l = Readiness::new(Some(8080), t0);
        assert_eq!(l.look(&[], ms(10)), Look::Wait);
        assert_eq!(l.look(&[9090], ms(20)), Look::Wait);
        assert_eq!(
            l.look(&[9090], ms(900)),
            Look::Wait,
            "metrics alone is not ready"
        );
        assert_eq!(l.look(&[8080, 9090], ms(1000)), Look::Wait);
        assert_eq!(l.look(&[8080, 9090], ms(1030)), Look::Ready(ms(1000)));
        assert_eq!(l.seen, vec![8080, 9090]);
        assert_eq!(l.look(&[8080, 9090], ms(1100)), Look::Wait);
        assert_eq!(l.look(&[6060, 8080, 9090], ms(1500)), Look::More);
        assert_eq!(l.seen, vec![6060, 8080, 9090]);
        assert_eq!(l.look(&[6060, 8080, 9090], ms(1600)), Look::Wait);
        assert_eq!(l.look(&[], ms(12_000)), Look::Done);

        // The expected port never comes: ready on what it has, 3 s after its first listener.
        let mut l = Readiness::new(Some(8080), t0);
        assert_eq!(l.look(&[9090], ms(100)), Look::Wait);
        assert_eq!(l.look(&[9090], ms(3000)), Look::Wait);
        assert_eq!(l.look(&[9090], ms(3100)), Look::Ready(ms(100)));

        // None expected: the first listener, once no other follows within 25 ms.
        let mut l = Readiness::new(None, t0);
        assert_eq!(l.look(&[3000], ms(50)), Look::Wait);
        assert_eq!(l.look(&[3000], ms(80)), Look::Ready(ms(50)));

        let mut l = Readiness::new(Some(8080), t0);
        assert_eq!(l.look(&[], ms(4000)), Look::Wait);
        assert_eq!(l.look(&[], ms(5000)), Look::NotServing);
    }

    /// Once ready, late listeners are looked for every 50 ms at first, then less and less
    /// often, down to once a second: about 20 looks over [`LATE`], not 200.
    #[test]
    fn late_listeners_are_looked_for_less_and_less_often() {
        let t0 = Instant::now();
        let ms = |n: u64| t0 + Duration::from_millis(n);
        let mut l = Readiness::new(None, t0);
        l.look(&[3000], ms(10));
        assert_eq!(l.look(&[3000], ms(40)), Look::Ready(ms(10)));
        assert_eq!(l.pause(ms(40)), Duration::from_millis(50));
        assert_eq!(l.pause(ms(1040)), Duration::from_millis(250));
        assert_eq!(l.pause(ms(9040)), Duration::from_secs(1));
        let (mut now, mut looks) = (ms(40), 0);
        while l.look(&[3000], now) != Look::Done {
            looks += 1;
            now += l.pause(now);
        }
        assert!((10..=30).contains(&looks), "{looks} looks");
    }
}
