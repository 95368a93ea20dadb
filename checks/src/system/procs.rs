//! A snapshot of the process table, read once and shared by the checks.

use procfs::process::Process;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;
use std::os::unix::fs::MetadataExt;
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
    /// Entries that could not be read (not those that exited mid-scan): the table is
    /// partial if > 0.
    pub unreadable: usize,
    /// Why other users' processes are missing altogether: `/proc` is mounted with `hidepid`
    /// and we are not root (`hidepid=invisible`), so the table holds only ours.
    pub hidden: Option<String>,
    proc_root: PathBuf,
}

impl ProcessTable {
    /// Read every `/proc/PID/stat` and its owner: four syscalls a process,
    /// which matters on machines running thousands of them.
    pub fn scan(proc_root: &Path) -> Result<ProcessTable, String> {
        let entries = std::fs::read_dir(proc_root)
            .map_err(|e| format!("cannot list processes in {}: {e}", proc_root.display()))?;
        let dirs: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| {
                let name = e.file_name();
                name.to_str()
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            })
            .map(|e| e.path())
            .collect();
        // Read on a few threads: each process costs a few slow /proc calls.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let parts: Vec<(Vec<Proc>, usize)> = std::thread::scope(|scope| {
            let handles: Vec<_> = dirs
                .chunks(dirs.len().div_ceil(threads).max(1))
                .map(|part| {
                    scope.spawn(move || {
                        let mut buf = [0u8; 4096];
                        let mut procs = Vec::with_capacity(part.len());
                        let mut unreadable = 0;
                        for dir in part {
                            match read_proc(dir, &mut buf) {
                                Ok(p) => procs.push(p),
                                Err(Unread::Gone) => {}
                                Err(Unread::Unreadable(_)) => unreadable += 1,
                            }
                        }
                        (procs, unreadable)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut table = ProcessTable {
            proc_root: proc_root.to_path_buf(),
            ..Default::default()
        };
        for (procs, unreadable) in parts {
            table.procs.extend(procs);
            table.unreadable += unreadable;
        }
        if !nix::unistd::geteuid().is_root() {
            table.hidden = hidepid(proc_root).map(|opt| {
                format!("/proc is mounted with {opt}: other users' processes are invisible to this user (run as root to see them)")
            });
        }
        // Sorted by pid so that `get` (called for every step up an ancestor chain) is a
        // binary search, not a walk over thousands of entries.
        table.procs.sort_unstable_by_key(|p| p.pid);
        Ok(table)
    }

    /// Whether the table may lack processes: some were unreadable or hidden.
    pub fn partial(&self) -> bool {
        self.unreadable > 0 || self.hidden.is_some()
    }

    /// Why the table is partial, for a summary: `(3 unreadable)`, or the hidepid reason.
    pub fn partial_reason(&self) -> Option<String> {
        match (&self.hidden, self.unreadable) {
            (Some(why), _) => Some(why.clone()),
            (None, 0) => None,
            (None, n) => Some(format!("{n} processes vanished or were unreadable")),
        }
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

    /// The children of every process that has some, by parent pid.
    pub fn children(&self) -> HashMap<i32, Vec<i32>> {
        let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
        for p in &self.procs {
            children.entry(p.ppid).or_default().push(p.pid);
        }
        children
    }
}

/// The `hidepid=` option of the proc mount at `proc_root` (from its own mountinfo; the last
/// mount on that point wins), unless it is off.
fn hidepid(proc_root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(proc_root.join("self/mountinfo")).ok()?;
    let point = proc_root.to_str()?;
    let opts = text.lines().rev().find_map(|line| {
        let (left, right) = line.split_once(" - ")?;
        let mounted_on = left.split(' ').nth(4)?;
        let mut r = right.split(' ');
        (mounted_on == point && r.next()? == "proc").then(|| r.nth(1).map(str::to_string))?
    })?;
    let value = opts.split(',').find_map(|o| o.strip_prefix("hidepid="))?;
    (!matches!(value, "0" | "off")).then(|| format!("hidepid={value}"))
}

/// What the fd tables of some processes link to.
#[derive(Debug)]
pub struct FdWalk<T> {
    /// What `visit` kept, in the order of the processes given.
    pub kept: Vec<T>,
    /// Processes whose fd table could not be read (another user's, or exited mid-walk).
    pub unreadable: usize,
}

/// Read the fd links of `procs`, split over a few threads (each `/proc` call is slow enough
/// for that to pay). `visit(process, fd, target)` keeps what it returns. Links are read
/// relative to the open fd directory, which spares the kernel a path walk per fd.
pub fn walk_fds<T: Send>(
    table: &ProcessTable,
    procs: &[&Proc],
    visit: impl Fn(&Proc, &str, &[u8]) -> Option<T> + Sync,
) -> FdWalk<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let visit = &visit;
    std::thread::scope(|scope| {
        let handles: Vec<_> = procs
            .chunks(procs.len().div_ceil(threads).max(1))
            .map(|part| {
                scope.spawn(move || {
                    let mut walk = FdWalk {
                        kept: vec![],
                        unreadable: 0,
                    };
                    for p in part {
                        if !read_links(table.proc_root(), p.pid, &mut |fd, target| {
                            walk.kept.extend(visit(p, fd, target))
                        }) {
                            walk.unreadable += 1;
                        }
                    }
                    walk
                })
            })
            .collect();
        let mut all = FdWalk {
            kept: vec![],
            unreadable: 0,
        };
        for h in handles {
            if let Ok(walk) = h.join() {
                all.kept.extend(walk.kept);
                all.unreadable += walk.unreadable;
            }
        }
        all
    })
}

/// The arguments of `pid` (`/proc/PID/cmdline`); empty when unreadable (a kernel thread, a
/// process gone).
pub fn cmdline(proc_root: &Path, pid: i32) -> Vec<String> {
    std::fs::read(proc_root.join(pid.to_string()).join("cmdline"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The user name of `uid`, or the number when it has none.
pub fn user_name(uid: u32) -> String {
    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map_or_else(|| uid.to_string(), |u| u.name)
}

/// `pid` and its live descendants, nearest first, from each task's `children` list: no
/// scan of the whole process table, so cheap enough to poll while an app starts.
pub fn tree(proc_root: &Path, pid: i32) -> Vec<i32> {
    let mut found = vec![pid];
    walk(proc_root, pid, |child| {
        found.push(child);
        true
    });
    found
}

/// The one walk of a process tree: every descendant of `pid`, nearest first, each once, from
/// each task's `children` list; `visit(child)` says whether to go on below it.
pub fn walk(proc_root: &Path, pid: i32, mut visit: impl FnMut(i32) -> bool) {
    let mut seen = HashSet::from([pid]);
    let mut todo = VecDeque::from([pid]);
    while let Some(parent) = todo.pop_front() {
        for child in children_in(proc_root, parent) {
            if seen.insert(child) && visit(child) {
                todo.push_back(child);
            }
        }
    }
}

/// The inodes of the sockets `pid` has open (its `socket:[INODE]` fds).
pub fn socket_inodes(proc_root: &Path, pid: i32) -> Vec<u64> {
    let mut inodes = vec![];
    read_links(proc_root, pid, &mut |_, target| {
        let inode: Option<u64> = target
            .strip_prefix(b"socket:[")
            .and_then(|t| t.strip_suffix(b"]"))
            .and_then(|t| std::str::from_utf8(t).ok()?.parse().ok());
        inodes.extend(inode);
    });
    inodes
}

/// Call `each(fd, target)` for every fd of `pid`; false when its fd table cannot be read.
fn read_links(proc_root: &Path, pid: i32, each: &mut dyn FnMut(&str, &[u8])) -> bool {
    use nix::dir::Dir;
    use nix::fcntl::{readlinkat, OFlag};
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    let path = proc_root.join(pid.to_string()).join("fd");
    let Ok(mut dir) = Dir::open(
        &path,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY,
        nix::sys::stat::Mode::empty(),
    ) else {
        return false;
    };
    let dir_fd = dir.as_raw_fd();
    for entry in dir.iter().flatten() {
        let name = entry.file_name();
        let Ok(fd) = name.to_str() else { continue };
        if fd.starts_with('.') {
            continue;
        }
        if let Ok(target) = readlinkat(Some(dir_fd), name) {
            each(fd, target.as_bytes());
        }
    }
    true
}

/// Why a process's stat could not be read.
#[derive(Debug)]
pub enum Unread {
    /// It exited (or never was): nothing is missing, it is just gone.
    Gone,
    Unreadable(std::io::Error),
}

/// One process. The owner comes from the open stat file (every `/proc/PID` entry has the
/// process's owner), saving a path lookup.
fn read_proc(dir: &Path, buf: &mut [u8]) -> Result<Proc, Unread> {
    let failed = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::NotFound || e.raw_os_error() == Some(nix::libc::ESRCH) {
            Unread::Gone
        } else {
            Unread::Unreadable(e)
        }
    };
    let mut file = std::fs::File::open(dir.join("stat")).map_err(failed)?;
    let meta = file.metadata().map_err(Unread::Unreadable)?;
    // The kernel returns the whole line in one read; it is well under the buffer size.
    let n = match file.read(buf).map_err(failed)? {
        0 => return Err(Unread::Gone),
        n => n,
    };
    parse_stat(&String::from_utf8_lossy(&buf[..n]), meta.uid()).ok_or_else(|| {
        let why = format!("{} is not a stat line", dir.join("stat").display());
        Unread::Unreadable(std::io::Error::new(std::io::ErrorKind::InvalidData, why))
    })
}

/// `/proc/PID/stat` of one process under `proc_root`, with its owner: the one reader of it
/// (the table's scan, the runner, its guardian, verify and the fix executor).
pub fn read(proc_root: &Path, pid: i32) -> Result<Proc, Unread> {
    read_proc(&proc_root.join(pid.to_string()), &mut [0u8; 4096])
}

/// `pid` from the live `/proc`, a zombie included.
pub fn stat(pid: i32) -> Option<Proc> {
    read(Path::new("/proc"), pid).ok()
}

/// The direct children of `pid` (of all its threads), from `/proc/PID/task/*/children`: one
/// process's children without scanning all of `/proc` (the runner's frequent looks).
pub fn child_pids(pid: i32) -> Vec<i32> {
    children_in(Path::new("/proc"), pid)
}

fn children_in(proc_root: &Path, pid: i32) -> Vec<i32> {
    std::fs::read_dir(proc_root.join(pid.to_string()).join("task"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|task| {
            let text = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            text.split_whitespace()
                .filter_map(|c| c.parse::<i32>().ok())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `pid` from the live `/proc` when it is running (not a zombie).
pub fn live(pid: i32) -> Option<Proc> {
    stat(pid).filter(|p| p.state != 'Z')
}

/// Whether no process `pid` exists (so what it left behind is nobody's).
pub fn pid_gone(pid: i32) -> bool {
    pid > 0
        && matches!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
            Err(nix::errno::Errno::ESRCH)
        )
}

/// When the system booted, in seconds since the epoch (`btime` of `/proc/stat`): a start
/// time in ticks after boot becomes a date from it.
pub fn boot_time(proc_root: &Path) -> Option<i64> {
    let stat = std::fs::read_to_string(proc_root.join("stat")).ok()?;
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()
}

/// Parse `/proc/PID/stat` (proc(5)). `comm` may hold spaces and parentheses, so the fields
/// after it are found from the last `)`.
pub fn parse_stat(text: &str, uid: u32) -> Option<Proc> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let pid = text[..open].trim().parse().ok()?;
    let comm = text.get(open + 1..close)?.to_string();
    // Field 3 (state) onwards.
    let rest: Vec<&str> = text.get(close + 2..)?.split(' ').collect();
    let field = |n: usize| rest.get(n - 3).copied();
    Some(Proc {
        pid,
        ppid: field(4)?.parse().ok()?,
        state: field(3)?.chars().next()?,
        comm,
        uid,
        start_time: field(22)?.parse().ok()?,
        pgrp: field(5)?.parse().ok()?,
        tty_nr: field(7)?.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descendants_follow_the_real_tree() {
        let mut sh = std::process::Command::new("sh")
            .args(["-c", "sh -c 'sleep 30' & sleep 30; wait"])
            .spawn()
            .unwrap();
        let pid = sh.id() as i32;
        let mut found = vec![];
        for _ in 0..100 {
            found = tree(Path::new("/proc"), pid).split_off(1);
            if found.len() == 3 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        for d in &found {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(*d),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let _ = sh.kill();
        let _ = sh.wait();
        // The inner sh, its sleep, and the outer sleep: children and grandchildren.
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(!found.contains(&pid));
    }

    #[test]
    fn parses_stat_with_odd_comm() {
        let text = "4121 (my (app) x) S 1 4121 4121 34816 4121 4194560 118 0 0 0 0 0 0 0 20 0 1 0 262057 1236992 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        let p = parse_stat(text, 1000).unwrap();
        assert_eq!((p.pid, p.ppid, p.state), (4121, 1, 'S'));
        assert_eq!(p.comm, "my (app) x");
        assert_eq!((p.pgrp, p.tty_nr, p.start_time), (4121, 34816, 262057));
        assert!(parse_stat("4121 (cut", 0).is_none());
    }

    /// The one reader: a process with its owner, a zombie, and one that is gone.
    #[test]
    fn reads_one_process_a_zombie_and_one_gone() {
        let me = read(Path::new("/proc"), std::process::id() as i32).unwrap();
        assert_eq!(me.uid, nix::unistd::geteuid().as_raw());
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        // Exited, not reaped yet: a zombie, which `live` leaves out.
        let start = std::time::Instant::now();
        while stat(pid).is_some_and(|p| p.state != 'Z') {
            assert!(start.elapsed() < std::time::Duration::from_secs(5));
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(stat(pid).map(|p| p.ppid), Some(std::process::id() as i32));
        assert!(live(pid).is_none());
        child.wait().unwrap();
        assert!(matches!(read(Path::new("/proc"), pid), Err(Unread::Gone)));
        assert!(pid_gone(pid));
    }

    #[test]
    fn scans_this_process() {
        let t = ProcessTable::scan(Path::new("/proc")).unwrap();
        let me = t.get(std::process::id() as i32).expect("own entry");
        assert_eq!(me.uid, nix::unistd::geteuid().as_raw());
        assert_eq!(t.get(me.ppid).map(|p| p.pid), Some(me.ppid));
    }
}
