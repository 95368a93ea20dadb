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

/// `modules/build` and `pkg/service/coverage` are Go packages (GeWuYou/Graft,
/// LambdaTest/test-at-scale): excluding them, as the warning advised, would hide code. A build/
/// of two Dockerfiles costs one watch. Only a folder of build output that costs something is
/// named, and for fresh the fix names its own setting.
#[test]
fn folders_named_like_build_output_are_flagged_only_when_they_are_output_and_big() {
    let dir = copy_fixture("stdlib-healthy");
    let p = dir.path();
    let write = |rel: &str, text: &str| {
        let at = p.join(rel);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        fs::write(at, text).unwrap();
    };
    for i in 0..120 {
        write(
            &format!("modules/build/step{i}.go"),
            "package build\n\nconst X = 1\n",
        );
    }
    write("build/Dockerfile", "FROM scratch\n");
    write("build/Dockerfile.dev", "FROM scratch\n");
    make_tree(&p.join("web/dist"), 1, 20); // 21 dirs, 630 files
    let (_, r) = json_report(p, &["--only", "watch-scope"]);
    let c = check(&r, "watch-scope");
    let paths: Vec<&str> = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["evidence"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["web/dist"], "{c:#}");

    // fresh ignores top-level names only: the fix says so instead of naming air's key.
    write(
        "runner.conf",
        "root: .\ntmp_path: ./tmp\nignored: assets, tmp\n",
    );
    let (_, r) = json_report(p, &["--only", "watch-scope"]);
    let fix = check(&r, "watch-scope")["findings"][0]["fix"]["summary"].to_string();
    assert!(
        fix.contains("only top-level folders") && !fix.contains("exclude_dir in runner.conf"),
        "{fix}"
    );
}
