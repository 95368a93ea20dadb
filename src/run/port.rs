//! The app's TCP port: is it free, who holds it, does it accept connections yet.

use checks::system::procs::ProcessTable;
use checks::system::sockets;
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener};
use std::path::Path;

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

/// `pid 4121 (main)` for the process listening on `port`, when `/proc` tells (the same
/// lookup as the port-busy check).
pub fn holder(port: u16) -> Option<String> {
    let table = ProcessTable::scan(Path::new("/proc")).ok()?;
    let pids = sockets::port_holders(&table, port, &[])?;
    let named = pids
        .iter()
        .find_map(|pid| table.get(*pid))
        .map(|p| format!("pid {} ({})", p.pid, p.comm));
    Some(named.unwrap_or_else(|| "a process this user cannot see".into()))
}

/// The TCP ports the process `pid` and its descendants listen on: the app's real ports,
/// whatever port it was configured with.
pub fn listening(pid: i32) -> Vec<u16> {
    let proc_root = Path::new("/proc");
    sockets::ports_of(proc_root, &checks::system::procs::tree(proc_root, pid))
}

/// How long an app that already listens somewhere may take to open the port it is expected on
/// (an API that listens once its database connects, with a metrics server already up) before
/// its other listeners count as where it serves. `run` and `verify` both wait this long.
pub const EXPECTED_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_holder_of_a_busy_port() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        assert!(!is_free(port));
        assert!(sockets::accepts_local(port));
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
        assert!(sockets::accepts_local(port));
        drop(l);
        assert!(is_free(port) && !sockets::accepts_local(port));
    }
}
