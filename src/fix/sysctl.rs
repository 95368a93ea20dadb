//! Raise a sysctl: live through `/proc/sys`, persisted in reload-doctor's own drop-in file
//! under `/etc/sysctl.d` (read at boot by systemd-sysctl and `sysctl --system`; the classic
//! `/etc/sysctl.conf` is not read by systemd-sysctl, so we never touch it).

use super::{file, Done, Executor};
use checks::Action;
use reload_doctor_checks as checks;
use std::io::ErrorKind;

pub(super) fn apply(
    ex: &Executor,
    key: &str,
    value: u64,
    expected_old: u64,
    persist_file: &str,
) -> Done {
    if !persist_file.starts_with("/etc/sysctl.d/")
        || !persist_file.ends_with(".conf")
        || persist_file.contains("/..")
    {
        return Done::skipped(format!(
            "refused: sysctls are persisted only in /etc/sysctl.d/*.conf, not in {persist_file}"
        ));
    }
    let current = match ex.system.sysctl_u64(key) {
        Ok(v) => v,
        Err(e) => return Done::failed(e),
    };
    if current != expected_old {
        return Done::skipped(format!(
            "refused: {key} is now {current}, not {expected_old} as when it was checked; run reload-doctor again"
        ));
    }
    if let Some(why) = &ex.container {
        return for_the_host_of(key, value, persist_file, why);
    }
    if !ex.is_root {
        return sudo(ex, key, value, persist_file);
    }
    // A drop-in that is a symlink (or a FIFO, a device) is never read nor replaced: root would
    // copy whatever it points to (a 0600 file) into a new world-readable one.
    let persist = ex.rooted(persist_file);
    if let Ok(m) = std::fs::symlink_metadata(&persist) {
        if !m.is_file() {
            let what = if m.file_type().is_symlink() {
                match std::fs::read_link(&persist) {
                    Ok(to) => format!("a symbolic link to {}", to.display()),
                    Err(_) => "a symbolic link".to_string(),
                }
            } else {
                "not a regular file".to_string()
            };
            return Done::failed(format!(
                "refused: {} is {what}; nothing was changed. Remove it (or replace it with a regular file) and run --fix again",
                persist.display()
            ));
        }
    }

    let live = ex.system.sysctl_path(key);
    if let Err(e) = std::fs::write(&live, format!("{value}\n")) {
        return match e.kind() {
            // As root, only a read-only /proc/sys or a user namespace says no: a container.
            ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied => for_the_host_of(
                key,
                value,
                persist_file,
                &format!("writing {} failed ({e}), so this is a container and the sysctl belongs to its host or VM", live.display()),
            ),
            _ => Done::failed(format!("cannot write {}: {e}", live.display())),
        };
    }
    match ex.system.sysctl_u64(key) {
        Ok(now) if now == value => {}
        Ok(now) => {
            return Done::failed(format!(
                "wrote {value} to {} but the kernel reports {now}",
                live.display()
            ))
        }
        Err(e) => return Done::failed(format!("set {key}={value} but {e}")),
    }

    let old = match checks::system::files::read_to_string(&persist) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Done::failed(format!(
                "{key} is {value} now, but {} is unreadable ({e}): the value is lost at reboot",
                persist.display()
            ))
        }
    };
    let written = persist
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| file::write_atomic(&persist, &with_setting(&old, key, value), None));
    match written {
        Ok(()) => Done::applied(format!(
            "{key} = {value} (was {current}), live and in {}",
            persist.display()
        )),
        Err(e) => Done::failed(format!(
            "{key} is {value} now, but writing {} failed ({e}): the value is lost at reboot",
            persist.display()
        )),
    }
}

/// Not root: the exact commands to run with sudo, computed from the drop-in file as it is.
pub(super) fn for_sudo(ex: &Executor, action: &Action) -> Done {
    match action {
        Action::SetSysctl {
            key,
            value,
            persist_file,
            ..
        } => sudo(ex, key, *value, persist_file),
        _ => Done::skipped("needs root"),
    }
}

fn sudo(ex: &Executor, key: &str, value: u64, persist_file: &str) -> Done {
    let persist = ex.rooted(persist_file);
    let has_key = std::fs::read_to_string(&persist)
        .is_ok_and(|text| text.lines().any(|l| line_key(l).as_deref() == Some(key)));
    let persist_cmd = if has_key {
        format!(
            "sudo sed -i 's|^ *{key} *=.*|{key} = {value}|' {}",
            persist.display()
        )
    } else {
        format!(
            "echo '{key} = {value}' | sudo tee -a {} >/dev/null",
            persist.display()
        )
    };
    Done::skipped(format!(
        "needs root; run: sudo sysctl -w {key}={value} && {persist_cmd} (or: sudo reload-doctor --fix)"
    ))
}

/// Inside a container: the commands, for the host.
pub(super) fn for_the_host(action: &Action, why: &str) -> Done {
    match action {
        Action::SetSysctl {
            key,
            value,
            persist_file,
            ..
        } => for_the_host_of(key, *value, persist_file, why),
        _ => Done::skipped(why.to_string()),
    }
}

fn for_the_host_of(key: &str, value: u64, persist_file: &str, why: &str) -> Done {
    Done::skipped(format!(
        "by hand: {why}; run on the host (Docker Desktop/WSL2: in its VM): sudo sysctl -w {key}={value} && echo '{key} = {value}' | sudo tee -a {persist_file}"
    ))
}

/// The key a sysctl.d line sets (`-` prefix and `/` separators allowed), if it sets one.
fn line_key(line: &str) -> Option<String> {
    let line = line.trim_start();
    if line.starts_with('#') || line.starts_with(';') {
        return None;
    }
    let (key, _) = line.split_once('=')?;
    Some(key.trim().trim_start_matches('-').replace('/', "."))
}

/// `old` with `key` set to `value`: the first line of that key is replaced (later ones are
/// dropped, so no older value wins), every other line is kept, a missing key is appended.
fn with_setting(old: &str, key: &str, value: u64) -> String {
    let setting = format!("{key} = {value}");
    let mut lines: Vec<String> = vec![];
    if old.trim().is_empty() {
        lines.push(
            "# Written by `reload-doctor --fix`: limits for file watchers (Go hot reload).".into(),
        );
    }
    let mut placed = false;
    for line in old.lines() {
        if line_key(line).as_deref() == Some(key) {
            if !placed {
                lines.push(setting.clone());
                placed = true;
            }
        } else {
            lines.push(line.to_string());
        }
    }
    if !placed {
        lines.push(setting);
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Verdict;
    use std::fs;
    use std::path::Path;

    const KEY: &str = "fs.inotify.max_user_watches";
    const DROP_IN: &str = "/etc/sysctl.d/60-reload-doctor.conf";

    /// A temporary root with `proc/sys/fs/inotify/max_user_watches` = `limit`.
    fn fake_root(limit: u64) -> (tempfile::TempDir, Executor) {
        let dir = tempfile::tempdir().unwrap();
        let inotify = dir.path().join("proc/sys/fs/inotify");
        fs::create_dir_all(&inotify).unwrap();
        fs::write(inotify.join("max_user_watches"), format!("{limit}\n")).unwrap();
        let mut ex = Executor::new(dir.path());
        ex.is_root = true;
        ex.container = None;
        (dir, ex)
    }

    fn live(root: &Path) -> String {
        fs::read_to_string(root.join("proc/sys/fs/inotify/max_user_watches")).unwrap()
    }

    #[test]
    fn sets_live_value_and_replaces_only_its_line() {
        let (dir, ex) = fake_root(10);
        let conf = dir.path().join("etc/sysctl.d/60-reload-doctor.conf");
        fs::create_dir_all(conf.parent().unwrap()).unwrap();
        fs::write(
            &conf,
            "# mine\nfs.inotify.max_user_instances = 1024\nfs/inotify/max_user_watches=99\n",
        )
        .unwrap();
        let done = apply(&ex, KEY, 524288, 10, DROP_IN);
        assert_eq!(done.result, Verdict::Applied, "{}", done.detail);
        assert_eq!(live(dir.path()), "524288\n");
        assert_eq!(
            fs::read_to_string(&conf).unwrap(),
            "# mine\nfs.inotify.max_user_instances = 1024\nfs.inotify.max_user_watches = 524288\n"
        );
    }

    #[test]
    fn stale_plan_is_refused() {
        let (dir, ex) = fake_root(10);
        // Someone raised the limit between the check and the fix.
        fs::write(
            dir.path().join("proc/sys/fs/inotify/max_user_watches"),
            "65536\n",
        )
        .unwrap();
        let done = apply(&ex, KEY, 524288, 10, DROP_IN);
        assert_eq!(done.result, Verdict::Skipped);
        assert!(done.detail.starts_with("refused: "), "{}", done.detail);
        assert_eq!(live(dir.path()), "65536\n");
        assert!(!dir.path().join("etc/sysctl.d").exists());
    }

    #[test]
    fn never_writes_sysctl_conf() {
        let (dir, ex) = fake_root(10);
        let done = apply(&ex, KEY, 524288, 10, "/etc/sysctl.conf");
        assert!(done.detail.starts_with("refused: "), "{}", done.detail);
        assert_eq!(live(dir.path()), "10\n");
    }

    #[test]
    fn not_root_gets_sudo_commands_and_nothing_changes() {
        let (dir, mut ex) = fake_root(10);
        ex.is_root = false;
        let done = apply(&ex, KEY, 524288, 10, DROP_IN);
        assert_eq!(done.result, Verdict::Skipped);
        let conf = dir.path().join("etc/sysctl.d/60-reload-doctor.conf");
        assert!(
            done.detail.contains(&format!(
                "sudo sysctl -w {KEY}=524288 && echo '{KEY} = 524288' | sudo tee -a {}",
                conf.display()
            )),
            "{}",
            done.detail
        );
        assert_eq!(live(dir.path()), "10\n");
    }

    #[test]
    fn drop_in_lines() {
        assert_eq!(
            line_key("-fs.inotify.max_user_watches= 5").as_deref(),
            Some(KEY)
        );
        assert_eq!(line_key("# fs.inotify.max_user_watches = 5"), None);
        assert_eq!(
            with_setting("", KEY, 7).lines().last(),
            Some("fs.inotify.max_user_watches = 7")
        );
        assert_eq!(
            with_setting(
                "a = 1\nfs.inotify.max_user_watches = 5\nfs.inotify.max_user_watches = 6\n",
                KEY,
                7
            ),
            "a = 1\nfs.inotify.max_user_watches = 7\n"
        );
    }
}
