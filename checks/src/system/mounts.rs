//! Which mount a path lives on, and whether that file system delivers inotify events for
//! edits made elsewhere.
//!
//! Parses `/proc/self/mountinfo` (proc(5)): fields are separated by one space, paths escape
//! space, tab, newline and backslash as `\040`, `\011`, `\012`, `\134`. Bad lines (a short
//! read, a bogus escape) are skipped or kept literally, never fatal.
//!
//! inotify is raised by the kernel that performs the change. On a file system whose contents
//! can change behind this kernel's back (a share from the host, a network file system, a
//! FUSE daemon), edits made on the other side raise no event here, so an inotify watcher
//! (air, fresh) misses them and only polling works. [`drops_events`] names those.

use crate::system::System;
use serde::Serialize;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

/// One line of mountinfo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mount {
    pub id: u32,
    pub parent: u32,
    /// The path inside the source file system that is mounted here (`/` for the whole).
    #[serde(serialize_with = "crate::model::lossy_path")]
    pub root: PathBuf,
    #[serde(serialize_with = "crate::model::lossy_path")]
    pub mount_point: PathBuf,
    /// Per-mount options (`rw`, `ro`, `noexec`, ...).
    pub options: Vec<String>,
    pub fs_type: String,
    pub source: String,
    /// Super-block options, raw (WSL's `path=C:\;` is not escaped by the kernel).
    pub super_options: String,
}

impl Mount {
    pub fn has_option(&self, name: &str) -> bool {
        self.options.iter().any(|o| o == name)
    }

    /// Read-only either per mount (`ro` bind) or for the whole super block.
    pub fn read_only(&self) -> bool {
        self.has_option("ro") || self.super_options.split(',').any(|o| o == "ro")
    }

    /// `ext4 /dev/nvme0n1p2 at /`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} at {}",
            self.fs_type,
            self.source,
            self.mount_point.display()
        )
    }
}

/// A line that was not a mount.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedLine {
    /// 1-based.
    pub line: usize,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MountTable {
    pub mounts: Vec<Mount>,
    pub skipped: Vec<SkippedLine>,
}

impl MountTable {
    /// The mount table of this process, read through `system` (`PROC/self/mountinfo`).
    pub fn read(system: &System) -> Result<MountTable, String> {
        let path = system.proc_root.join("self/mountinfo");
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let table = parse(&String::from_utf8_lossy(&bytes));
        if table.mounts.is_empty() {
            return Err(format!("{} lists no mounts", path.display()));
        }
        Ok(table)
    }

    /// The mount `path` lives on: the longest mount point that is a prefix of `path` on a
    /// component boundary; of equal mount points the later line is on top. `path` should be
    /// absolute and free of `..` (a canonical project root, or a path joined onto one).
    pub fn mount_of(&self, path: &Path) -> Option<&Mount> {
        let path = crate::filepath::clean(path);
        self.mounts
            .iter()
            .enumerate()
            .filter(|(_, m)| path.starts_with(&m.mount_point))
            .max_by_key(|(i, m)| (m.mount_point.components().count(), *i))
            .map(|(_, m)| m)
    }

    /// Docker, Podman and Kubernetes mount `/proc/sys` read-only in unprivileged containers.
    fn proc_sys_read_only(&self) -> bool {
        self.mounts
            .iter()
            .any(|m| m.mount_point == Path::new("/proc/sys") && m.has_option("ro"))
    }

    /// A container runtime named by the mounts themselves: the kubernetes serviceaccount
    /// secret, podman's `/run/.containerenv`, or docker's `/etc/hostname` bind from its
    /// `containers/` folder. The kind and the evidence.
    fn container_hint(&self) -> Option<(&'static str, String)> {
        self.mounts.iter().find_map(|m| {
            let point = m.mount_point.to_string_lossy();
            let root = m.root.to_string_lossy();
            if point.ends_with("/secrets/kubernetes.io/serviceaccount") {
                Some(("kubernetes", format!("{point} is mounted")))
            } else if point == "/run/.containerenv" {
                Some(("podman", "/run/.containerenv is mounted".into()))
            } else if point == "/etc/hostname" && root.contains("docker/containers/") {
                Some((
                    "docker",
                    "/etc/hostname is mounted from docker's containers folder".into(),
                ))
            } else {
                None
            }
        })
    }
}

/// The mount of `path` on the live system (what the embedded reloader and reloader-config
/// ask).
pub fn mount_of(system: &System, path: &Path) -> Result<Mount, String> {
    let table = MountTable::read(system)?;
    table
        .mount_of(path)
        .cloned()
        .ok_or_else(|| format!("no mount in mountinfo contains {}", path.display()))
}

/// Parse mountinfo text. Never fails: lines that are not mounts are listed in `skipped`.
pub fn parse(text: &str) -> MountTable {
    let mut table = MountTable::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(m) => table.mounts.push(m),
            Err(reason) => table.skipped.push(SkippedLine {
                line: i + 1,
                reason,
            }),
        }
    }
    table
}

fn parse_line(line: &str) -> Result<Mount, &'static str> {
    let fields: Vec<&str> = line.split(' ').collect();
    let sep = fields
        .iter()
        .skip(6)
        .position(|f| *f == "-")
        .map(|p| p + 6)
        .ok_or("no ' - ' separator (truncated line?)")?;
    if fields.len() < sep + 3 {
        return Err("missing file system type or source after ' - '");
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| "mount id is not a number");
    Ok(Mount {
        id: number(fields[0])?,
        parent: number(fields[1])?,
        root: unescape_path(fields[3]),
        mount_point: unescape_path(fields[4]),
        options: fields[5].split(',').map(str::to_string).collect(),
        fs_type: unescape(fields[sep + 1]).to_string_lossy(),
        source: unescape(fields[sep + 2]).to_string_lossy(),
        super_options: fields[sep + 3..].join(" "),
    })
}

struct Bytes(Vec<u8>);

impl Bytes {
    fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

fn unescape_path(s: &str) -> PathBuf {
    PathBuf::from(OsString::from_vec(unescape(s).0))
}

/// Decode the kernel's `\NNN` octal escapes; anything else (a `\` not followed by three
/// octal digits, which the kernel never writes) is kept literally.
fn unescape(s: &str) -> Bytes {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let (b'\\', Some(digits)) = (b[i], b.get(i + 1..i + 4)) {
            if digits.iter().all(|d| (b'0'..=b'7').contains(d)) {
                let v = digits.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                if let Ok(byte) = u8::try_from(v) {
                    out.push(byte);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Bytes(out)
}

/// Why edits made outside this kernel raise no inotify events on `m`, or None for a local
/// file system (ext4, xfs, btrfs, overlay, tmpfs, zfs, f2fs, fuseblk, ...).
pub fn drops_events(m: &Mount) -> Option<&'static str> {
    let t = m.fs_type.as_str();
    Some(match t {
        "9p" if m.super_options.contains("aname=drvfs") => {
            "a Windows drive mounted into WSL2 over 9p (drvfs): edits made by Windows programs raise no inotify events"
        }
        "9p" => "a 9p share from the host: edits made on the host raise no inotify events",
        "virtiofs" => {
            "a virtiofs share from the host (Docker Desktop, a VM): edits made on the host may raise no inotify events"
        }
        "fuse.grpcfuse" | "fuse.osxfs" | "fakeowner" => {
            "a Docker Desktop file share: events for edits made on the host are slow or missing"
        }
        "vboxsf" => "a VirtualBox shared folder: edits made on the host raise no inotify events",
        "vmhgfs" | "fuse.vmhgfs-fuse" => {
            "a VMware shared folder: edits made on the host raise no inotify events"
        }
        "prl_fs" => "a Parallels shared folder: edits made on the host raise no inotify events",
        "nfs" | "nfs4" => {
            "NFS, a network file system: only changes made from this machine raise inotify events"
        }
        "cifs" | "smb3" | "smbfs" => {
            "SMB/CIFS, a network file system: only changes made from this machine raise inotify events"
        }
        "ceph" | "glusterfs" | "fuse.glusterfs" | "lustre" | "afs" => {
            "a network file system: only changes made from this machine raise inotify events"
        }
        "fuse.sshfs" => {
            "sshfs, a remote FUSE file system: only changes made through this mount raise inotify events"
        }
        "fuseblk" => return None,
        _ if t == "fuse" || t.starts_with("fuse.") => {
            "a FUSE file system: only changes made through this mount raise inotify events"
        }
        _ => return None,
    })
}

/// Where we run: a container and/or WSL, with the evidence for each.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Environment {
    /// `docker`, `podman`, `kubernetes`, `container` (a cgroup hint only).
    pub container: Option<&'static str>,
    pub container_evidence: Vec<String>,
    pub wsl: bool,
    pub wsl_evidence: Vec<String>,
}

impl Environment {
    /// Detect through `system` (files under its root) and this process's environment.
    pub fn detect(system: &System, table: &MountTable) -> Environment {
        let root = system.proc_root.parent().unwrap_or(Path::new("/"));
        let exists = |rel: &str| root.join(rel).exists();
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut e = Environment::default();
        let container = |kind: &'static str, evidence: String, e: &mut Environment| {
            e.container.get_or_insert(kind);
            e.container_evidence.push(evidence);
        };
        if env("KUBERNETES_SERVICE_HOST").is_some() {
            container(
                "kubernetes",
                "KUBERNETES_SERVICE_HOST is set".into(),
                &mut e,
            );
        }
        if let Some((kind, evidence)) = table.container_hint() {
            container(kind, evidence, &mut e);
        }
        if exists("run/.containerenv") {
            container("podman", "/run/.containerenv exists".into(), &mut e);
        }
        if exists(".dockerenv") {
            container("docker", "/.dockerenv exists".into(), &mut e);
        }
        if let Some(kind) = env("container") {
            // systemd-nspawn, podman and LXC set it for pid 1; it is inherited from there.
            container("container", format!("container={kind}"), &mut e);
        }
        if table.proc_sys_read_only() {
            container("container", "/proc/sys is mounted read-only".into(), &mut e);
        }
        let cgroup =
            std::fs::read_to_string(system.proc_root.join("self/cgroup")).unwrap_or_default();
        for (hint, kind) in [
            ("kubepods", "kubernetes"),
            ("libpod", "podman"),
            ("docker", "docker"),
            ("containerd", "container"),
            ("lxc", "container"),
        ] {
            if cgroup.contains(hint) {
                container(kind, format!("/proc/self/cgroup mentions {hint}"), &mut e);
                break;
            }
        }

        let osrelease = std::fs::read_to_string(system.proc_root.join("sys/kernel/osrelease"))
            .unwrap_or_default();
        if osrelease.to_lowercase().contains("microsoft") {
            e.wsl = true;
            e.wsl_evidence.push(format!(
                "kernel release {} is Microsoft's",
                osrelease.trim()
            ));
        }
        if let Some(d) = env("WSL_DISTRO_NAME") {
            e.wsl = true;
            e.wsl_evidence.push(format!("WSL_DISTRO_NAME={d}"));
        }
        e
    }

    /// `in a docker container (/.dockerenv exists)`, or None on a plain host.
    pub fn describe(&self) -> Option<String> {
        let mut parts = vec![];
        if let Some(kind) = self.container {
            parts.push(format!(
                "in a {kind} container ({})",
                self.container_evidence.join("; ")
            ));
        }
        if self.wsl {
            parts.push(format!("in WSL ({})", self.wsl_evidence.join("; ")));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_docker_mountinfo_has_read_only_proc_sys() {
        let docker = "1183 1182 0:318 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n\
                      1190 1183 0:318 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw\n";
        assert!(parse(docker).proc_sys_read_only());
        let native =
            "22 28 0:20 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n";
        assert!(!parse(native).proc_sys_read_only());
    }

    fn recorded(name: &str) -> MountTable {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/mountinfo")
            .join(name);
        parse(&std::fs::read_to_string(&path).unwrap())
    }

    fn on(name: &str, path: &str) -> Mount {
        recorded(name).mount_of(Path::new(path)).unwrap().clone()
    }

    #[test]
    fn recorded_local_file_systems_deliver_events() {
        for (file, path, fs, point) in [
            ("native-ext4.txt", "/home/u/proj", "ext4", "/"),
            ("docker-linux-bind.txt", "/app", "ext4", "/app"),
            ("podman.txt", "/app", "ext4", "/app"),
            ("kubernetes.txt", "/app", "overlay", "/"),
            (
                "fuseblk-ntfs.txt",
                "/media/usb/proj",
                "fuseblk",
                "/media/usb",
            ),
            (
                "escapes.txt",
                "/home/u/my project/cmd",
                "ext4",
                "/home/u/my project",
            ),
        ] {
            let m = on(file, path);
            assert_eq!(
                (m.fs_type.as_str(), m.mount_point.as_path()),
                (fs, Path::new(point)),
                "{file}"
            );
            assert_eq!(drops_events(&m), None, "{file}");
        }
    }

    #[test]
    fn recorded_shared_and_network_mounts_drop_events() {
        for (file, path, fs, why) in [
            ("wsl2-drvfs.txt", "/mnt/c/Users/u/proj", "9p", "WSL2"),
            (
                "docker-desktop-mac-grpcfuse.txt",
                "/app",
                "fuse.grpcfuse",
                "Docker Desktop",
            ),
            (
                "docker-desktop-virtiofs.txt",
                "/app",
                "virtiofs",
                "virtiofs",
            ),
            (
                "vagrant-vboxsf.txt",
                "/vagrant/proj",
                "vboxsf",
                "VirtualBox",
            ),
            ("nfs.txt", "/home/u/proj", "nfs4", "NFS"),
            ("cifs.txt", "/mnt/share/proj", "cifs", "SMB"),
            ("sshfs.txt", "/home/u/remote/proj", "fuse.sshfs", "sshfs"),
        ] {
            let m = on(file, path);
            assert_eq!(m.fs_type, fs, "{file}");
            let reason = drops_events(&m).unwrap_or_else(|| panic!("{file} classified local"));
            assert!(reason.contains(why), "{file}: {reason}");
        }
    }

    #[test]
    fn recorded_wsl_source_is_decoded_and_parent_may_be_missing() {
        let t = recorded("wsl2-drvfs.txt");
        assert!(t.skipped.is_empty(), "{:?}", t.skipped);
        let root = t.mount_of(Path::new("/home/u/proj")).unwrap();
        assert_eq!((root.id, root.parent), (79, 84));
        let c = t.mount_of(Path::new("/mnt/c/x")).unwrap();
        assert_eq!(c.source, "C:\\");
        assert!(c.super_options.contains("path=C:\\;"));
    }

    #[test]
    fn recorded_tmp_mounts_are_noexec_or_read_only() {
        let m = on("noexec-tmp.txt", "/home/u/proj/tmp/main");
        assert_eq!(m.mount_point, Path::new("/home/u/proj/tmp"));
        assert!(m.has_option("noexec") && !m.read_only());
        let m = on("readonly-tmp.txt", "/home/u/proj/tmp");
        assert!(m.read_only() && !m.has_option("noexec"));
        // The project itself stays on the writable root.
        assert!(!on("readonly-tmp.txt", "/home/u/proj").read_only());
        // A sibling that merely shares the prefix is not inside the tmp mount.
        assert_eq!(
            on("readonly-tmp.txt", "/home/u/proj/tmpl").mount_point,
            Path::new("/")
        );
    }

    #[test]
    fn recorded_escapes_decode_and_bad_lines_never_panic() {
        let t = recorded("escapes.txt");
        let points: Vec<&Path> = t.mounts.iter().map(|m| m.mount_point.as_path()).collect();
        for p in [
            "/home/u/my project",
            "/home/u/tab\tdir",
            "/mnt/back\\slash",
            "/mnt/bad\\9xescape",
        ] {
            assert!(points.contains(&Path::new(p)), "{p} not in {points:?}");
        }
        assert_eq!(t.skipped.len(), 1, "{:?}", t.skipped);
        assert_eq!(t.skipped[0].line, t.mounts.len() + 1);
    }

    #[test]
    fn recorded_mount_of_reads_through_the_system_handle() {
        let root = std::env::temp_dir().join(format!("rd-mount-of-{}", std::process::id()));
        std::fs::create_dir_all(root.join("proc/self")).unwrap();
        let system = System::with_root(&root);
        let err = mount_of(&system, Path::new("/mnt/c")).unwrap_err();
        assert!(
            err.contains("cannot read") && err.contains("mountinfo"),
            "{err}"
        );
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/mountinfo/wsl2-drvfs.txt"),
            root.join("proc/self/mountinfo"),
        )
        .unwrap();
        let m = mount_of(&system, Path::new("/mnt/c/Users/u/proj")).unwrap();
        assert!(drops_events(&m).is_some(), "{m:?}");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn later_line_wins_for_the_same_mount_point() {
        let t = parse(
            "1 0 8:1 / / rw - ext4 /dev/a rw\n2 1 0:5 / /app rw - ext4 /dev/b rw\n3 1 0:6 / /app rw - virtiofs v rw\n",
        );
        assert_eq!(t.mount_of(Path::new("/app/x")).unwrap().id, 3);
        assert_eq!(t.mount_of(Path::new("/app/../etc")).unwrap().id, 1);
    }

    #[test]
    fn odd_escapes_are_kept_literally() {
        for (raw, want) in [
            ("a\\", "a\\"),
            ("a\\04", "a\\04"),
            ("a\\777b", "a\\777b"),
            ("\\040\\134", " \\"),
            ("\\0401", " 1"),
        ] {
            assert_eq!(unescape(raw).to_string_lossy(), want, "{raw}");
        }
    }

    #[test]
    fn recorded_environments_are_detected() {
        let root = std::env::temp_dir().join(format!("rd-mounts-env-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("proc/sys/kernel")).unwrap();
        std::fs::create_dir_all(root.join("run")).unwrap();
        let system = System::with_root(&root);
        let plain = Environment::detect(&system, &recorded("native-ext4.txt"));
        assert_eq!((plain.container, plain.wsl), (None, false));
        for (file, kind) in [
            ("kubernetes.txt", "kubernetes"),
            ("podman.txt", "podman"),
            ("docker-linux-bind.txt", "docker"),
            ("docker-desktop-virtiofs.txt", "docker"),
            ("docker-desktop-mac-grpcfuse.txt", "docker"),
        ] {
            let e = Environment::detect(&system, &recorded(file));
            assert_eq!(e.container, Some(kind), "{file}: {e:?}");
        }
        assert_eq!(
            Environment::detect(&system, &recorded("wsl2-drvfs.txt")).container,
            None
        );

        std::fs::write(root.join("run/.containerenv"), "").unwrap();
        std::fs::write(
            root.join("proc/sys/kernel/osrelease"),
            "5.15.167.4-microsoft-standard-WSL2\n",
        )
        .unwrap();
        let e = Environment::detect(&system, &recorded("podman.txt"));
        assert_eq!(e.container, Some("podman"));
        assert!(e.wsl, "{e:?}");
        let text = e.describe().unwrap();
        assert!(
            text.contains("/run/.containerenv") && text.contains("microsoft"),
            "{text}"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any text, including mountinfo-like lines with random escapes and cuts, parses
            /// without panicking, and every line is either a mount or a skipped line.
            #[test]
            fn parser_never_panics(text in "([0-9 \\\\/a-z:,\\-]{0,80}\n?){0,8}") {
                let t = parse(&text);
                let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
                prop_assert_eq!(t.mounts.len() + t.skipped.len(), lines);
                let _ = t.mount_of(Path::new("/a/b"));
            }

            /// A well-formed line with an escaped mount point round-trips.
            #[test]
            fn escaped_mount_points_round_trip(name in "[ a-z\\t\\\\]{1,12}") {
                let escaped: String = name.chars().map(|c| match c {
                    ' ' => "\\040".into(), '\t' => "\\011".into(), '\\' => "\\134".into(), c => c.to_string(),
                }).collect();
                let t = parse(&format!("7 1 0:9 / /m/{escaped} rw,noexec - tmpfs tmpfs rw\n"));
                prop_assert_eq!(t.mounts.len(), 1);
                prop_assert_eq!(&t.mounts[0].mount_point, &PathBuf::from(format!("/m/{name}")));
                prop_assert!(t.mounts[0].has_option("noexec"));
            }

            /// Truncating a real line anywhere never panics.
            #[test]
            fn truncated_lines_never_panic(cut in 0usize..120) {
                let line = "517 28 259:2 /home/u/proj/tmp /home/u/my\\040proj/tmp ro,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro";
                let t = parse(&line[..cut.min(line.len())]);
                prop_assert!(t.mounts.len() + t.skipped.len() <= 1);
            }
        }
    }
}
