//! reloader-config's poll sub-check on recorded mount tables (this machine has no NFS mount):
//! the recorded `/home` NFS line is moved onto a temporary project folder.

use checks::{Context, Options, Outcome, Project, System};
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures");

/// reloader-config findings for a project whose `.air.toml` is `config`, with `/proc` from a
/// recorded mountinfo in which `/home` is replaced by the project folder.
fn findings(recorded: &str, config: &str) -> Vec<serde_json::Value> {
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("go.mod"),
        "module example.com/p\n\ngo 1.25\n",
    )
    .unwrap();
    std::fs::write(project.path().join(".air.toml"), config).unwrap();
    let root = project.path().canonicalize().unwrap();

    let system_root = tempfile::tempdir().unwrap();
    let proc_self = system_root.path().join("proc/self");
    std::fs::create_dir_all(&proc_self).unwrap();
    let table = std::fs::read_to_string(Path::new(FIXTURES).join("mountinfo").join(recorded))
        .unwrap()
        .replace(" /home ", &format!(" {} ", root.display()));
    std::fs::write(proc_self.join("mountinfo"), table).unwrap();

    let ctx = Context::new(
        Project::detect(&root, None).unwrap(),
        System::with_root(system_root.path()),
        Options::default(),
    );
    match (checks::find("reloader-config").unwrap().run)(&ctx) {
        Outcome::Ran { findings, .. } => findings
            .iter()
            .map(|f| serde_json::to_value(f).unwrap())
            .filter(|f| f["evidence"]["problem"] == "no-poll-on-quiet-mount")
            .collect(),
        other => panic!("did not run: {other:?}"),
    }
}

#[test]
fn recorded_nfs_without_poll_warns_with_a_fix_that_sets_poll() {
    let config = "root = \".\"\n\n[build]\n  # polling is slow\n  poll = false\n";
    let found = findings("nfs.txt", config);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["severity"], "warn");
    assert_eq!(f["evidence"]["line"], 5);
    assert_eq!(f["evidence"]["fs_type"], "nfs4");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .starts_with(".air.toml:5: poll is off"));
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert_eq!(new, config.replace("poll = false", "poll = true"));
}

#[test]
fn recorded_nfs_with_poll_and_local_disks_are_quiet() {
    assert!(findings("nfs.txt", "[build]\npoll = true\n").is_empty());
    assert!(findings("native-ext4.txt", "[build]\npoll = false\n").is_empty());
}
