//! Who a process is, as far as this project is concerned: a reloader (of this project or of
//! another), this project's own build, or something else; its ancestors; and whether a live
//! reloader of this project is among them. Shared by the process checks, the runner and
//! `verify`.
//!
//! Only the cheap snapshot ([`ProcessTable`]: stat and owner) covers every process. `exe`,
//! `cwd` and `cmdline` are read lazily, once per pid, for the few candidates that need them
//! (listeners, zombie parents, processes whose `comm` is a reloader's or a build's name), so a
//! machine with thousands of processes costs no more than the snapshot itself.

use crate::project::Project;
use crate::system::procs::{Proc, ProcessTable};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Reloader executables by the name the kernel records in `comm` (the basename of the file
/// that was executed; all are shorter than comm's 15-byte limit). `reload-doctor` counts
/// only as `reload-doctor run`.
pub const RELOADERS: [&str; 4] = ["air", "gin", "fresh", "reload-doctor"];

/// Shells a reloader runs the app through (air: `/bin/sh -c ./tmp/main`).
const SHELLS: [&str; 6] = ["sh", "bash", "dash", "zsh", "ash", "busybox"];

/// Processes that adopt orphans (pid 1 and subreapers such as `systemd --user`): a child of
/// one of these was left behind by a parent that died.
const ADOPTERS: [&str; 6] = [
    "systemd",
    "init",
    "tini",
    "dumb-init",
    "docker-init",
    "catatonit",
];

/// What `/proc/PID` tells beyond the snapshot. Fields are `None`/empty when unreadable
/// (another user's process, or one that exited since the snapshot).
#[derive(Debug, Clone, Default)]
pub struct Details {
    /// `/proc/PID/exe` exactly as the kernel shows it: it ends in ` (deleted)` once a rebuild
    /// replaced the file, which is what a left-behind build usually looks like.
    pub exe_link: Option<PathBuf>,
    pub cwd: Option<PathBuf>,
    pub cmdline: Vec<String>,
}

/// An executable's link in `/proc` without the ` (deleted)` mark, and whether it had one.
/// On the link's bytes: a project folder need not be named in UTF-8.
pub fn undeleted(link: &Path) -> (&Path, bool) {
    let bytes = link.as_os_str().as_bytes();
    match bytes.strip_suffix(b" (deleted)") {
        Some(rest) => (Path::new(OsStr::from_bytes(rest)), true),
        None => (link, false),
    }
}

impl Details {
    /// The executable's path, without the ` (deleted)` mark.
    pub fn exe(&self) -> Option<PathBuf> {
        Some(undeleted(self.exe_link.as_deref()?).0.to_path_buf())
    }

    /// The config file given with `-c PATH` (air, fresh), resolved against the cwd.
    pub fn config_arg(&self) -> Option<PathBuf> {
        let mut args = self.cmdline.iter().skip(1);
        while let Some(a) = args.next() {
            let value = match a.as_str() {
                "-c" | "--c" => args.next().cloned(),
                _ => a
                    .strip_prefix("-c=")
                    .or_else(|| a.strip_prefix("--c="))
                    .map(str::to_string),
            };
            if let Some(v) = value {
                let p = self.cwd.as_deref().unwrap_or(Path::new("/")).join(v);
                return Some(std::fs::canonicalize(&p).unwrap_or(p));
            }
        }
        None
    }
}

/// Whether a pid 1 named `comm` reaps every orphan (an init). Any other pid 1 (`air`, `sh`,
/// the app: a container started without `--init`) leaves them as zombies forever.
pub fn reaping_init(comm: &str) -> bool {
    ADOPTERS.contains(&comm) || matches!(comm, "s6-svscan" | "runit" | "openrc-init")
}

/// The role a process plays for this project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A reloader whose cwd or `-c` config is inside this project.
    ProjectReloader(&'static str),
    /// A reloader of some other project.
    OtherReloader(&'static str),
    /// This project's own build output (or its `go run` binary).
    Build,
    Other,
}

/// Answers "who is this pid" against one project and one process snapshot. It caches what
/// it reads, so it is not `Sync`: make one per thread (cheap; the snapshot is shared).
pub struct Owner<'a> {
    pub project: &'a Project,
    pub table: &'a ProcessTable,
    details: RefCell<HashMap<i32, Rc<Details>>>,
    users: RefCell<HashMap<u32, String>>,
    /// Paths a build runs from (bin, full_bin, entrypoint, the `-o` target, gin's `gin-bin`).
    targets: Vec<PathBuf>,
    /// File names of those targets plus the `go run` binary name: a process with one of
    /// these names and its cwd inside the project is this project's build.
    names: Vec<String>,
}

impl<'a> Owner<'a> {
    pub fn new(project: &'a Project, table: &'a ProcessTable) -> Owner<'a> {
        let build = &project.air.build;
        let mut targets = vec![build.bin.clone(), "gin-bin".into()];
        targets.extend(program_of(&build.full_bin));
        targets.extend(build.entrypoint.as_deref().and_then(program_of));
        targets.extend(output_of(&build.cmd));
        let targets: Vec<PathBuf> = targets.iter().map(|t| project.root.join(t)).collect();
        let mut names: Vec<String> = targets
            .iter()
            .filter_map(|t| t.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        // fresh builds `tmp/runner-build`; `go run` names its binary after the module.
        names.push("runner-build".into());
        if let Some(m) = &project.go_mod {
            names.extend(go_run_name(&m.module));
        }
        names.sort();
        names.dedup();
        Owner {
            project,
            table,
            details: RefCell::default(),
            users: RefCell::default(),
            targets,
            names,
        }
    }

    /// exe, cwd and cmdline of `pid`, read once.
    pub fn details(&self, pid: i32) -> Rc<Details> {
        if let Some(d) = self.details.borrow().get(&pid) {
            return d.clone();
        }
        let dir = self.table.proc_root().join(pid.to_string());
        let cmdline = crate::system::procs::cmdline(self.table.proc_root(), pid);
        let d = Rc::new(Details {
            exe_link: std::fs::read_link(dir.join("exe")).ok(),
            cwd: std::fs::read_link(dir.join("cwd")).ok(),
            cmdline,
        });
        self.details.borrow_mut().insert(pid, d.clone());
        d
    }

    /// The user name of `uid`, or the number when it has none.
    pub fn user(&self, uid: u32) -> String {
        self.users
            .borrow_mut()
            .entry(uid)
            .or_insert_with(|| crate::system::procs::user_name(uid))
            .clone()
    }

    /// Which reloader `p` is, if it is one.
    pub fn reloader(&self, p: &Proc) -> Option<&'static str> {
        let name = RELOADERS.iter().copied().find(|r| *r == p.comm)?;
        if p.state == 'Z' {
            return None;
        }
        if name == "reload-doctor" && !self.details(p.pid).cmdline.iter().any(|a| a == "run") {
            return None;
        }
        Some(name)
    }

    pub fn inside(&self, path: &Path) -> bool {
        path.starts_with(&self.project.root)
    }

    pub fn role(&self, p: &Proc) -> Role {
        match self.project_reloader(p) {
            Some((name, true)) => Role::ProjectReloader(name),
            Some((name, false)) => Role::OtherReloader(name),
            None if self.is_build(p) => Role::Build,
            None => Role::Other,
        }
    }

    /// Cheap for non-reloaders (a `comm` comparison): exe and cwd are not read.
    pub fn is_project_reloader(&self, p: &Proc) -> bool {
        matches!(self.project_reloader(p), Some((_, true)))
    }

    /// The reloader's name and whether its cwd or `-c` config is inside this project.
    fn project_reloader(&self, p: &Proc) -> Option<(&'static str, bool)> {
        let name = self.reloader(p)?;
        let d = self.details(p.pid);
        let ours = d.cwd.as_deref().is_some_and(|c| self.inside(c))
            || d.config_arg().is_some_and(|c| self.inside(&c));
        Some((name, ours))
    }

    /// The setting (`tmp_dir = "/tmp"`, `build.bin = "/srv/app"`) that points at `p`'s
    /// executable from outside the project: such a process is never taken for this project's
    /// build, which the finding that declines to stop it says.
    pub fn outside_setting(&self, p: &Proc) -> Option<String> {
        let exe = self.details(p.pid).exe()?;
        let air = &self.project.air;
        let clean = crate::filepath::clean;
        let tmp = clean(&self.project.watch_root().join(&air.tmp_dir));
        let bin = clean(&self.project.root.join(&air.build.bin));
        if !self.inside(&tmp) && tmp != Path::new("/") && exe.starts_with(&tmp) {
            return Some(format!("tmp_dir = \"{}\"", air.tmp_dir));
        }
        (!self.inside(&bin) && paths_equal(&bin, &exe))
            .then(|| format!("build.bin = \"{}\"", air.build.bin))
    }

    /// Whether `p` runs this project's build: its executable lies inside the project tree
    /// (never a path the config points outside it: an absolute `tmp_dir = "/"` or `bin =
    /// "/usr/sbin/sshd"` in a repository must not make a daemon "ours"), under `tmp_dir` or
    /// at the bin/full_bin/`-o` target, or with one of those names and its cwd inside the
    /// project; and the running image is the file the build wrote ([`Self::built_here`]).
    fn is_build(&self, p: &Proc) -> bool {
        if p.state == 'Z' {
            return false;
        }
        let d = self.details(p.pid);
        let Some(exe) = d.exe() else {
            return false;
        };
        // The kernel's path is canonical: symlinks in the repository cannot move it inside.
        if !self.inside(&exe) || exe == self.project.root {
            return false;
        }
        // air joins tmp_dir to its `root`, and bin to its working directory.
        let tmp =
            crate::filepath::clean(&self.project.watch_root().join(&self.project.air.tmp_dir));
        let in_tmp = self.inside(&tmp) && tmp != self.project.root && exe.starts_with(&tmp);
        let named = exe
            .file_name()
            .is_some_and(|n| self.names.iter().any(|b| n.to_string_lossy() == *b))
            && d.cwd.as_deref().is_some_and(|c| self.inside(c));
        (in_tmp || self.targets.iter().any(|t| paths_equal(t, &exe)) || named)
            && self.built_here(p.pid, &d, &exe)
    }

    /// Whether the image `pid` runs is the build output at `exe`: the same file (device and
    /// inode) as the one there now, or, when a rebuild has replaced it since (`exe` shows
    /// ` (deleted)`), a regular file written before the process started.
    fn built_here(&self, pid: i32, d: &Details, exe: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        let image_path = self.table.proc_root().join(pid.to_string()).join("exe");
        let Ok(image) = std::fs::metadata(&image_path) else {
            return false;
        };
        if !image.is_file() {
            return false;
        }
        let deleted = d.exe_link.as_deref().is_some_and(|l| undeleted(l).1);
        if !deleted {
            return std::fs::symlink_metadata(exe)
                .is_ok_and(|m| m.dev() == image.dev() && m.ino() == image.ino());
        }
        match self.started_at(pid) {
            Some(start) => image.mtime() <= start + 1,
            None => false,
        }
    }

    /// When `pid` started, in seconds since the epoch (boot time plus its start ticks).
    fn started_at(&self, pid: i32) -> Option<i64> {
        let p = self.table.get(pid)?;
        let btime = crate::system::procs::boot_time(self.table.proc_root())?;
        let ticks = procfs::ticks_per_second().max(1);
        Some(btime + (p.start_time / ticks) as i64)
    }

    /// Processes whose `comm` could be one of this project's builds: the only ones whose
    /// exe and cwd are worth reading when looking for builds among all processes.
    pub fn build_candidates(&self) -> impl Iterator<Item = &'a Proc> + '_ {
        self.table
            .procs
            .iter()
            .filter(move |p| p.state != 'Z' && self.names.iter().any(|n| comm_of(n) == p.comm))
    }

    /// Parent first, up to (and including) pid 1 or the first parent that is gone.
    pub fn ancestors(&self, pid: i32) -> Vec<&'a Proc> {
        let mut chain = vec![];
        let mut cur = self.table.get(pid).map(|p| p.ppid);
        while let Some(ppid) = cur.filter(|p| *p > 0) {
            let Some(parent) = self.table.get(ppid) else {
                break;
            };
            if chain.len() > 256 || chain.iter().any(|p: &&Proc| p.pid == ppid) {
                break;
            }
            chain.push(parent);
            cur = Some(parent.ppid);
        }
        chain
    }

    /// The live reloader of this project that (indirectly) started `pid`, if any.
    pub fn serving_reloader(&self, pid: i32) -> Option<&'a Proc> {
        self.ancestors(pid)
            .into_iter()
            .find(|a| self.is_project_reloader(a))
    }

    /// Whether the process that started `pid` is gone: its first ancestor that is not a
    /// shell (air runs the app through `sh -c`) is pid 1, a subreaper, or missing.
    pub fn orphaned(&self, pid: i32) -> bool {
        let Some(p) = self.table.get(pid) else {
            return false;
        };
        if p.ppid <= 1 {
            return p.ppid == 1;
        }
        match self
            .ancestors(pid)
            .into_iter()
            .find(|a| !SHELLS.contains(&a.comm.as_str()))
        {
            None => true,
            Some(a) => a.pid == 1 || ADOPTERS.contains(&a.comm.as_str()),
        }
    }

    /// Pids no automatic fix may touch: pid 1, the doctor itself and its ancestors (stopping
    /// the shell or reloader that runs the doctor would kill the doctor too).
    pub fn protected(&self) -> HashSet<i32> {
        let me = std::process::id() as i32;
        let mut set: HashSet<i32> = self.ancestors(me).iter().map(|p| p.pid).collect();
        set.extend([1, me]);
        set
    }

    /// The command line for people: argv joined, the program shown relative to the project,
    /// cut to a readable length; `[comm]` when argv is unreadable or empty.
    pub fn command(&self, p: &Proc) -> String {
        let d = self.details(p.pid);
        let Some((prog, args)) = d.cmdline.split_first() else {
            return format!("[{}]", p.comm);
        };
        let prog_path = d.cwd.as_deref().unwrap_or(Path::new("/")).join(prog);
        // Inside the project: relative (`tmp/main`); elsewhere the bare name (`python3`).
        let mut text = if self.inside(&prog_path) {
            self.project.display_path(&prog_path)
        } else {
            Path::new(prog)
                .file_name()
                .map_or(prog.clone(), |n| n.to_string_lossy().into_owned())
        };
        for a in args {
            text.push(' ');
            text.push_str(a);
        }
        if text.chars().count() > 80 {
            text = text.chars().take(77).collect::<String>() + "...";
        }
        text
    }
}

/// `comm` as the kernel truncates it (15 bytes).
fn comm_of(name: &str) -> &str {
    let mut end = name.len().min(15);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// The program of a shell-like command (`APP_ENV=dev ./tmp/main -v` -> `./tmp/main`).
fn program_of(cmd: &str) -> Option<String> {
    cmd.split_whitespace()
        .find(|w| !w.contains('='))
        .map(|w| w.trim_matches('"').to_string())
}

/// The name `go run` gives the binary: the module path's last element, skipping a major
/// version suffix (`example.com/shop/v2` -> `shop`).
fn go_run_name(module: &str) -> Option<String> {
    let mut parts = module.rsplit('/');
    let last = parts.next()?;
    let is_version =
        last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit());
    let name = if is_version { parts.next()? } else { last };
    (!name.is_empty()).then(|| name.to_string())
}

/// The `-o` target of a `go build` command.
fn output_of(cmd: &str) -> Option<String> {
    let mut words = cmd.split_whitespace();
    while let Some(w) = words.next() {
        if w == "-o" {
            return words.next().map(str::to_string);
        }
        if let Some(v) = w.strip_prefix("-o=") {
            return Some(v.to_string());
        }
    }
    None
}

/// Path equality that ignores `.` components (`root/./tmp/main` == `root/tmp/main`).
fn paths_equal(a: &Path, b: &Path) -> bool {
    a.components().eq(b.components())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_build_targets_from_commands() {
        assert_eq!(
            program_of("APP_ENV=dev ./tmp/main -v").as_deref(),
            Some("./tmp/main")
        );
        assert_eq!(
            output_of("go build -o ./tmp/server ./cmd/x").as_deref(),
            Some("./tmp/server")
        );
        assert_eq!(
            output_of("go build -o=bin/app .").as_deref(),
            Some("bin/app")
        );
        assert_eq!(output_of("make build"), None);
        assert_eq!(comm_of("a-very-long-binary-name"), "a-very-long-bin");
        assert_eq!(go_run_name("example.com/shop/v2").as_deref(), Some("shop"));
        assert_eq!(go_run_name("shop").as_deref(), Some("shop"));
        assert!(paths_equal(
            Path::new("/p/./tmp/main"),
            Path::new("/p/tmp/main")
        ));
    }

    #[test]
    fn finds_config_argument() {
        let d = Details {
            exe_link: Some("/x/air (deleted)".into()),
            cwd: Some("/nonexistent/p".into()),
            cmdline: vec!["air".into(), "-c".into(), "conf/.air.toml".into()],
        };
        assert_eq!(d.exe(), Some(PathBuf::from("/x/air")));
        assert_eq!(
            d.config_arg(),
            Some(PathBuf::from("/nonexistent/p/conf/.air.toml"))
        );
        let d = Details {
            cmdline: vec!["air".into(), "--c=/a/b.toml".into()],
            ..d
        };
        assert_eq!(d.config_arg(), Some(PathBuf::from("/a/b.toml")));
    }
}
