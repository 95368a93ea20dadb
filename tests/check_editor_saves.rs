//! editor-saves: editor save styles replayed against the reloader's rules with a real inotify
//! watcher, on fixture copies.

mod common;

use common::*;
use serde_json::Value;

fn finding_for<'a>(c: &'a Value, pattern: &str) -> &'a Value {
    c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["evidence"]["pattern"] == pattern)
        .unwrap_or_else(|| panic!("no finding for {pattern}: {c:#}"))
}

#[test]
fn air_rules_say_none_when_include_ext_lacks_go() {
    let p = copy_fixture("air-no-go-ext");
    let (_, r) = json_report(p.path(), &["--only", "editor-saves"]);
    let c = check(&r, "editor-saves");
    assert_eq!(c["status"], "warn", "{c:#}");
    let f = finding_for(c, "in-place");
    assert_eq!(f["evidence"]["verdict"], "none");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("not in include_ext") && msg.contains("add \"go\" to build.include_ext"),
        "{msg}"
    );
}

/// Emacs' lock link `.#main.go` ends in `.go`, so air rebuilds when you start typing; the
/// proposed exclude_regex, applied to the config, brings it back to one rebuild per save.
#[test]
fn emacs_lock_link_rebuilds_until_excluded() {
    let p = copy_fixture("gin-healthy");
    std::fs::write(p.path().join(".dir-locals.el"), "((nil . ()))\n").unwrap();
    let (_, r) = json_report(p.path(), &["--only", "editor-saves"]);
    let c = check(&r, "editor-saves");
    assert_eq!(c["status"], "warn", "{c:#}");
    let f = finding_for(c, "emacs");
    assert_eq!(f["evidence"]["verdict"], "several");
    assert!(
        f["message"].as_str().unwrap().contains(".#main.go"),
        "{f:#}"
    );
    let summary = f["fix"]["summary"].as_str().unwrap();
    let line = summary
        .strip_prefix("set ")
        .and_then(|s| s.split(" in [build]").next())
        .unwrap();
    assert!(line.contains(r"'/\.#'"), "{line}");

    let config = p.path().join(".air.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("[build]", &format!("[build]\n{line}")),
    )
    .unwrap();
    let (_, r) = json_report(p.path(), &["--only", "editor-saves"]);
    let c = check(&r, "editor-saves");
    assert_eq!(c["status"], "pass", "{c:#}");
}

#[test]
fn vscode_watcher_exclude_is_explained_precisely() {
    let p = copy_fixture("gin-healthy");
    std::fs::create_dir(p.path().join(".vscode")).unwrap();
    std::fs::write(
        p.path().join(".vscode/settings.json"),
        "{\n  // hide generated code\n  \"files.watcherExclude\": { \"**/handlers/**\": true, },\n}\n",
    )
    .unwrap();
    let (_, r) = json_report(p.path(), &["--only", "editor-saves"]);
    let c = check(&r, "editor-saves");
    let text = messages(c).join("\n");
    assert!(
        text.contains("\"**/handlers/**\"")
            && text.contains("hides handlers from VS Code's own file watcher only")
            && text.contains("does not change how VS Code saves or what air sees"),
        "{c:#}"
    );
}

#[test]
fn broken_vscode_settings_are_named_with_their_line() {
    let p = copy_fixture("gin-healthy");
    std::fs::create_dir(p.path().join(".vscode")).unwrap();
    std::fs::write(
        p.path().join(".vscode/settings.json"),
        "{\n  \"files.autoSave\": \"afterDelay\"\n  \"files.autoSaveDelay\": 200\n}\n",
    )
    .unwrap();
    let (_, r) = json_report(p.path(), &["--only", "editor-saves"]);
    let text = messages(check(&r, "editor-saves")).join("\n");
    assert!(
        text.contains(".vscode/settings.json is not valid JSON (line 3"),
        "{text}"
    );
}

#[test]
fn read_only_project_skips_the_replay() {
    let p = copy_fixture("gin-healthy");
    let d = p.path().display();
    let setup = format!("mount --bind {d} {d}; mount -o remount,bind,ro {d}");
    let (_, r) = json_in_namespace(&setup, p.path(), "editor-saves");
    let c = check(&r, "editor-saves");
    assert_eq!(c["status"], "skip", "{c:#}");
    assert!(
        c["summary"].as_str().unwrap().contains("not writable"),
        "{c:#}"
    );
}

#[test]
fn fresh_rules_come_from_runner_conf() {
    let p = copy_fixture("fresh-runner");
    let (_, r) = json_report(p.path(), &["--only", "editor-saves"]);
    let c = check(&r, "editor-saves");
    assert_eq!(c["evidence"]["rules"], "fresh", "{c:#}");
    assert_eq!(c["evidence"]["delay_ms"], 600, "{c:#}");
    assert_eq!(c["status"], "pass", "{c:#}");

    let conf = p.path().join("runner.conf");
    let text = std::fs::read_to_string(&conf).unwrap();
    let text = text.replace(".go, .tpl, .tmpl, .html", ".tpl, .tmpl, .html");
    std::fs::write(&conf, text).unwrap();
    let (_, r) = json_report(p.path(), &["--only", "editor-saves"]);
    let c = check(&r, "editor-saves");
    let f = finding_for(c, "in-place");
    assert_eq!(f["evidence"]["verdict"], "none");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("add .go to valid_ext in runner.conf"),
        "{f:#}"
    );
}
