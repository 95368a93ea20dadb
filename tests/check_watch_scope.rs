//! watch-scope: heavy subtrees and symlink loops in real trees.

mod common;

use common::*;
use std::fs;

#[test]
fn a_big_node_modules_is_flagged_with_its_size() {
    let dir = copy_fixture("stdlib-healthy");
    make_tree(&dir.path().join("node_modules"), 4, 4); // 341 dirs, 10,230 files
    let (_, r) = json_report(dir.path(), &["--only", "watch-scope"]);
    let c = check(&r, "watch-scope");
    assert_eq!(c["status"], "warn", "{c}");
    let f = &c["findings"][0];
    assert_eq!(f["evidence"]["path"], "node_modules");
    assert_eq!(f["evidence"]["dirs"], 341);
    assert_eq!(f["evidence"]["files"], 10_230);
    assert_eq!(f["fix"]["applicability"], "manual");
}

#[test]
fn a_symlink_loop_finishes_and_is_reported() {
    let dir = copy_fixture("stdlib-healthy");
    fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::os::unix::fs::symlink("../..", dir.path().join("a/b/loop")).unwrap();
    std::os::unix::fs::symlink("spin", dir.path().join("spin")).unwrap();
    fs::write(
        dir.path().join(".air.toml"),
        "[build]\nfollow_symlink = true\n",
    )
    .unwrap();
    let (_, r) = json_report(dir.path(), &["--only", "watch-scope,inotify-watches"]);
    let c = check(&r, "watch-scope");
    let text = c["findings"].to_string();
    assert!(text.contains("symlink loop at a/b/loop"), "{text}");
    assert!(text.contains("symlink loop at spin"), "{text}");
}
