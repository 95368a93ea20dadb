//! `reloader-config` on the real fixtures, through the real binary and its JSON contract.

mod common;
/// Only its `air()` (the real air binary) is used here.
#[path = "../checks/tests/air_oracle/oracle.rs"]
#[allow(dead_code)]
mod oracle;

use common::{check, copy_fixture, fixture, json_report};
use serde_json::Value;
use std::path::Path;

/// The reloader-config entry of `--json --only reloader-config` on `project`.
fn run(project: &Path) -> Value {
    let (_, report) = json_report(project, &["--only", "reloader-config"]);
    check(&report, "reloader-config").clone()
}

fn findings(c: &Value) -> &Vec<Value> {
    c["findings"].as_array().expect("findings array")
}

/// The one finding whose evidence has `problem`.
fn finding<'a>(c: &'a Value, problem: &str) -> &'a Value {
    let hits: Vec<&Value> = findings(c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == problem)
        .collect();
    assert_eq!(hits.len(), 1, "want one {problem} finding in {c:#}");
    hits[0]
}

fn assert_at(f: &Value, severity: &str, line: u64) {
    assert_eq!(f["severity"], severity, "{f:#}");
    assert_eq!(f["evidence"]["line"], line, "{f:#}");
    let file = f["evidence"]["file"].as_str().unwrap();
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{file}:{line}")),
        "message names file:line: {f:#}"
    );
}

#[test]
fn broken_toml_fails_naming_file_line_and_column() {
    let c = run(&fixture("air-broken-toml"));
    assert_eq!(c["status"], "fail");
    let f = &findings(&c)[0];
    assert_eq!(findings(&c).len(), 1);
    assert_eq!(f["evidence"]["line"], 4);
    assert!(f["evidence"]["column"].as_u64().unwrap() > 1);
    assert!(
        f["message"].as_str().unwrap().starts_with(".air.toml:4:"),
        "{f:#}"
    );
    // Its claim, as the corpus check (bench/air-corpus-claims.py) asks air: air refuses to
    // start (EliteKnightDeveloper/Go-Gin-PostgreSQL-Air-Redis-Docker's .air.conf).
    assert_eq!(f["evidence"]["problem"], "not-toml", "{f:#}");
    assert_eq!(f["evidence"]["claim"], "air-refuses-to-start", "{f:#}");
    let copy = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("air-broken-toml"), copy.path());
    let answer = &oracle::ask(&[oracle::Job {
        dir: copy.path().to_string_lossy().into_owned(),
        config: None,
        events: vec![],
    }])[0];
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("failed to parse")),
        "{answer:#}"
    );
}

/// A stray top-level key the table sets too (BachirKhiati/synergy-vets: `cmd = "air"` above
/// `[build] cmd = "go build ..."`): air uses the table's value (asked of air's own config
/// loading), so the stray line is dead. Moving it into [build], the advice for a misplaced
/// key, would replace the real build command with `air`: delete it instead.
#[test]
fn a_stray_key_the_table_already_sets_is_to_delete_not_to_move() {
    if !which_go() {
        return;
    }
    let dir = project_with(&[
        ("go.mod", "module example.com/api\n\ngo 1.21\n"),
        ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "root = \".\"\ncmd = \"air\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/api ./cmd/api\"\n  bin = \"./tmp/api\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "misplaced-key");
    assert_at(f, "info", 2);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("delete this line") && message.contains(".air.toml:6"),
        "{message}"
    );
    assert!(!message.contains("belongs in"), "{message}");
    assert_eq!(f["evidence"]["claim"], Value::Null, "{f:#}");
    let answer = &oracle::ask(&[oracle::Job {
        dir: dir.path().to_string_lossy().into_owned(),
        config: None,
        events: vec![],
    }])[0];
    assert_eq!(
        answer["config"]["cmd"], "go build -o ./tmp/api ./cmd/api",
        "{answer:#}"
    );
}

#[test]
fn unknown_misplaced_and_mistyped_keys_with_lines() {
    let c = run(&fixture("air-unknown-keys"));
    assert_eq!(c["status"], "fail");
    // The top-level `bin = "./tmp/main"` is air's own default build.bin: lost, but what air
    // uses instead is the same value (issue 22: a note).
    let misplaced = finding(&c, "misplaced-key");
    assert_at(misplaced, "info", 4);
    assert_eq!(misplaced["evidence"]["suggestion"], "build.bin");
    let typos: Vec<(u64, &str)> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unknown-key")
        .map(|f| {
            assert_eq!(f["severity"], "warn");
            (
                f["evidence"]["line"].as_u64().unwrap(),
                f["evidence"]["suggestion"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        typos,
        vec![(9, "build.exclude_dir"), (11, "build.include_ext")]
    );
    assert_at(finding(&c, "wrong-type"), "fail", 13);
}

/// `stop_on_root = false` comes from older airs' `air init` (16 configs of
/// bench/air-corpus-288.txt carry it): a note with the line, not a warning that it is a typo
/// of stop_on_error; a value other than the old default is a warning.
#[test]
fn a_key_older_airs_wrote_is_a_note_not_a_typo() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  stop_on_root = false\n",
        ),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "unknown-key");
    let f = finding(&c, "retired-key");
    assert_at(f, "info", 6);
    assert!(
        !f["message"].as_str().unwrap().contains("did you mean"),
        "{f:#}"
    );
    assert_eq!(c["status"], "info", "{c:#}");
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("stop_on_root = false", "stop_on_root = true"),
    )
    .unwrap();
    // No air release ever read stop_on_root (air-verse/air's whole history has no such
    // key): whatever its value, nothing is lost.
    assert_at(finding(&run(dir.path()), "retired-key"), "info", 6);
}

#[test]
fn zero_values_name_what_air_really_uses() {
    let c = run(&fixture("air-zero-values"));
    assert_eq!(c["status"], "warn");
    let zero: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "zero-value-ignored")
        .collect();
    assert_eq!(zero.len(), 2, "{c:#}");
    // Issue 22 (fafnir's and blinders' tools/.air.toml, thanthtooaung's services/.air.toml):
    // `delay = 0` costs a 1 s debounce, `keep_scroll = false` another escape code; what air
    // watches, builds and runs is the same: notes, not warnings.
    assert_at(zero[0], "info", 10);
    assert!(zero[0]["message"].as_str().unwrap().contains("1000"));
    assert!(zero[0]["message"].as_str().unwrap().contains("delay = 1"));
    assert!(zero[0]["message"]
        .as_str()
        .unwrap()
        .contains("how long air waits"));
    assert_at(zero[1], "info", 16);
    assert!(zero[1]["message"].as_str().unwrap().contains("uses true"));
    assert_at(finding(&c, "no-kill-delay"), "warn", 11);
    assert_at(finding(&c, "stale-binary-after-error"), "info", 13);
    let effective = &c["evidence"]["effective"];
    assert_eq!(effective["delay_ms"], 1000, "what air really uses: {c:#}");
    assert_eq!(effective["kill_delay_ms"], 0);
    // A zero that changes what air runs stays a warning: `bin = ""` runs ./tmp/main, not
    // nothing.
    let dir = copy_fixture("air-zero-values");
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("bin = \"./tmp/main\"", "bin = \"\"")).unwrap();
    let c = run(dir.path());
    let bin: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| {
            f["evidence"]["problem"] == "zero-value-ignored" && f["evidence"]["key"] == "build.bin"
        })
        .collect();
    assert_eq!(bin.len(), 1, "{c:#}");
    assert_at(bin[0], "warn", 6);
    // adamveld12/tai's .air.test.toml: tmp_dir moves air's default bin (the model of that is
    // the one tests/air_oracle checks against air): the message names what air runs.
    let moved = text
        .replace("bin = \"./tmp/main\"", "bin = \"\"")
        .replace("tmp_dir = \"tmp\"", "tmp_dir = \"build\"")
        .replace(
            "cmd = \"go build -o ./tmp/main .\"",
            "cmd = \"go build -o ./build/main .\"",
        );
    std::fs::write(&cfg, &moved).unwrap();
    let c = run(dir.path());
    let zero_bin = findings(&c)
        .iter()
        .find(|f| f["evidence"]["key"] == "build.bin")
        .unwrap_or_else(|| panic!("{c:#}"));
    assert_eq!(zero_bin["severity"], "warn", "{zero_bin:#}");
    assert!(
        zero_bin["message"].as_str().unwrap().contains(
            "uses \"./build/main\" (its default \"./tmp/main\", moved into tmp_dir = \"build\")"
        ),
        "{zero_bin:#}"
    );
    // bingo-project/bingo: `bin = ""` beside a full_bin, which is what air starts: bin is
    // never used, a note.
    std::fs::write(
        &cfg,
        moved.replace(
            "[build]",
            "[build]\n  full_bin = \"APP_ENV=dev ./tmp/main\"",
        ),
    )
    .unwrap();
    let c = run(dir.path());
    let zero_bin = findings(&c)
        .iter()
        .find(|f| f["evidence"]["key"] == "build.bin")
        .unwrap_or_else(|| panic!("{c:#}"));
    assert_eq!(zero_bin["severity"], "info", "{zero_bin:#}");
    assert!(
        zero_bin["message"].as_str().unwrap().contains("full_bin ("),
        "{zero_bin:#}"
    );
}

#[test]
fn bin_mismatch_fails_with_a_fix_that_sets_bin() {
    let c = run(&fixture("air-bin-mismatch"));
    assert_eq!(c["status"], "fail");
    let f = finding(&c, "binary-mismatch");
    assert_at(f, "fail", 6);
    assert_eq!(f["evidence"]["runner_line"], 7);
    let action = &f["fix"]["action"];
    assert_eq!(f["fix"]["applicability"], "safe");
    assert_eq!(action["kind"], "write-file");
    let old = std::fs::read_to_string(fixture("air-bin-mismatch/.air.toml")).unwrap();
    assert_eq!(action["expected_old"], old.as_str());
    let new = action["contents"].as_str().unwrap();
    assert_eq!(
        new,
        old.replace("bin = \"./tmp/main\"", "bin = \"./tmp/server\"")
    );
    assert!(action["backup"]
        .as_str()
        .unwrap()
        .ends_with(".air.toml.reload-doctor.bak"));
}

#[test]
fn no_go_ext_fails_with_a_fix_that_adds_go() {
    let c = run(&fixture("air-no-go-ext"));
    let f = finding(&c, "no-go-ext");
    assert_at(f, "fail", 8);
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert!(
        new.contains("include_ext = [\"html\", \"tmpl\", \"go\"]"),
        "{new}"
    );
    assert!(new.contains("# BROKEN: \"go\" is missing"), "comments kept");
}

#[test]
fn build_output_air_ignores_is_not_reported() {
    // ./build/app has no extension, so air drops its events (include_ext): a watched output
    // folder costs one watch and nothing else, which is no problem of the config.
    let c = run(&fixture("air-tmp-watched"));
    let problems: Vec<&Value> = findings(&c)
        .iter()
        .map(|f| &f["evidence"]["problem"])
        .collect();
    assert_eq!(problems, vec!["stale-binary-after-error"], "{c:#}");
}

#[test]
fn build_output_air_reacts_to_is_a_rebuild_loop() {
    // With include_ext = ["*"] air reacts to every file except the binary it runs, so a -o
    // that is not that binary, in a watched folder, starts the next build.
    let dir = copy_fixture("air-tmp-watched");
    let cfg = dir.path().join(".air.toml");
    let config = |out: &str, bin: &str, ext: &str| {
        format!("[build]\n  cmd = \"go build -o {out} . && cp {out} {bin}\"\n  bin = \"{bin}\"\n  include_ext = [{ext}]\n  stop_on_error = true\n")
    };
    std::fs::write(&cfg, config("./build/app", "./build/other", "\"*\"")).unwrap();
    let c = run(dir.path());
    let f = finding(&c, "rebuild-loop");
    assert_at(f, "fail", 2);
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert!(
        new.contains("exclude_dir = [\"assets\", \"tmp\", \"vendor\", \"testdata\", \"build\"]"),
        "{new}"
    );
    std::fs::write(&cfg, config("./build/app", "./build/app", "\"*\"")).unwrap();
    assert_eq!(
        run(dir.path())["status"],
        "pass",
        "air's * skips the binary it runs"
    );
    // Output beside the sources: only that file is excluded, the folder stays watched.
    std::fs::write(&cfg, config("./app.bin", "./app.bin", "\"go\", \"bin\"")).unwrap();
    let c = run(dir.path());
    let new = finding(&c, "rebuild-loop")["fix"]["action"]["contents"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(new.contains("exclude_file = [\"app.bin\"]"), "{new}");
    std::fs::write(&cfg, new).unwrap();
    assert_eq!(run(dir.path())["status"], "pass");
}

#[test]
fn templ_generated_code_loop_fails_with_exclude_regex_fix() {
    let c = run(&fixture("templ-loop"));
    let f = finding(&c, "generated-code-loop");
    assert_at(f, "fail", 5);
    assert_eq!(
        f["evidence"]["generated"],
        serde_json::json!(["views/index_templ.go"])
    );
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    let line = new.lines().find(|l| l.contains("exclude_regex")).unwrap();
    assert!(
        line.contains("_test\\\\.go") && line.contains("_templ\\.go$"),
        "{line}"
    );
    assert!(
        new.contains("# BROKEN: generated *_templ.go"),
        "comments kept"
    );
}

#[test]
fn every_write_file_fix_parses_keeps_comments_and_clears_its_finding() {
    let mut applied = 0;
    for name in [
        "air-bin-mismatch",
        "air-no-go-ext",
        "templ-loop",
        "air-unknown-keys",
        "air-zero-values",
        "air-bin-args",
        "air-go-run",
        "air-no-output",
        "air-tailwind-loop",
        "air-make-generator",
        "air-dotted-ext",
    ] {
        let dir = copy_fixture(name);
        let before = run(dir.path());
        for f in findings(&before) {
            let action = &f["fix"]["action"];
            if action["kind"] != "write-file" {
                continue;
            }
            let old = action["expected_old"].as_str().unwrap();
            let new = action["contents"].as_str().unwrap();
            for comment in old.lines().filter(|l| l.trim_start().starts_with('#')) {
                assert!(new.contains(comment.trim()), "{name}: lost {comment:?}");
            }
            std::fs::write(dir.path().join(".air.toml"), new).unwrap();
            let after = run(dir.path());
            let problem = &f["evidence"]["problem"];
            let same = |g: &&Value| {
                g["evidence"]["problem"] == *problem && g["evidence"]["key"] == f["evidence"]["key"]
            };
            assert!(
                !findings(&after).iter().any(|g| same(&g)
                    || g["message"].as_str().unwrap().contains("not valid TOML")
                    || g["severity"] == "fail"
                        && !findings(&before)
                            .iter()
                            .any(|b| b["evidence"]["problem"] == g["evidence"]["problem"])),
                "{name}: {problem} still there, file broken, or a new failure: {after:#}"
            );
            std::fs::write(dir.path().join(".air.toml"), old).unwrap();
            applied += 1;
        }
    }
    // air-zero-values' kill_delay = 0 under send_interrupt is the fifteenth (issue 26).
    assert_eq!(applied, 15);
}

#[test]
fn go_generate_output_in_a_watched_folder_is_a_loop_until_excluded() {
    let dir = copy_fixture("stdlib-healthy");
    std::fs::write(
        dir.path().join(".air.toml"),
        "# generate first\n[build]\n  pre_cmd = [\"go generate ./...\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("handlers/kind_string.go"),
        "// Code generated by \"stringer -type=Kind\"; DO NOT EDIT.\n\npackage handlers\n",
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "generated-code-loop");
    assert_at(f, "fail", 3);
    assert_eq!(
        f["evidence"]["generated"],
        serde_json::json!(["handlers/kind_string.go"])
    );
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert!(
        new.contains("exclude_file = [\"handlers/kind_string.go\"]"),
        "{new}"
    );
    std::fs::write(dir.path().join(".air.toml"), new).unwrap();
    let after = run(dir.path());
    assert_eq!(
        after["status"], "info",
        "only stop_on_error is left: {after:#}"
    );
}

/// Folders real projects leave out on purpose (bench/air-corpus-288.txt): LLAB-Machina/redrawn
/// excludes `ent` (only a `//go:generate` in a fresh checkout), BPL-v2/bpl-2-backend `docs`
/// (swag's generated docs.go beside a hand-written stub), autobrr/netronome `web` (Go that
/// `//go:embed`s the front-end build). air ignores saves there (a true claim), but nobody
/// edits them by hand while air runs: warnings that say why, not failures. A hand-written
/// package left out stays a failure.
#[test]
fn generated_and_embedding_folders_left_out_are_warnings() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t_ \"example.com/app/core\"\n\t_ \"example.com/app/docs\"\n\t_ \"example.com/app/ent\"\n\t_ \"example.com/app/web\"\n)\n\nfunc main() {}\n",
        ),
        ("core/core.go", "package core\n"),
        ("ent/generate.go", "package ent\n\n//go:generate go run -mod=mod entgo.io/ent/cmd/ent generate ./schema\n"),
        ("docs/docs.go", "// Code generated by swaggo/swag. DO NOT EDIT.\n\npackage docs\n"),
        ("docs/stub.go", "package docs\n\n// Stub keeps the package importable before swag runs.\nconst Stub = 1\n"),
        ("web/embed.go", "package web\n\nimport \"embed\"\n\n//go:embed dist\nvar Dist embed.FS\n"),
        ("web/dist/index.html", "<html></html>\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  exclude_dir = [\"tmp\", \"ent\", \"docs\", \"web\", \"core\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let hidden: Vec<(String, String)> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "hides-imported-package")
        .map(|f| {
            (
                f["evidence"]["dirs"][0].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut hidden = hidden;
    hidden.sort();
    assert_eq!(
        hidden,
        [
            ("core", "fail"),
            ("docs", "warn"),
            ("ent", "warn"),
            ("web", "warn")
        ]
        .map(|(d, s)| (d.to_string(), s.to_string()))
        .to_vec(),
        "{c:#}"
    );
}

/// panyam/onehub's cmd/backend: air runs in cmd/backend with `root = "../../"` and
/// `cmd = "go build -o ... *.go"`; include_dir leaves out obs/, which main imports. air runs
/// build.cmd through sh, so `*.go` is the folder's files; the doctor once asked go about a
/// package literally named `*.go`, got nothing, and said nothing. Real air prints
/// `!exclude obs`: a save there never rebuilds.
#[test]
fn include_dir_hiding_an_import_of_a_globbed_build_in_a_subfolder_is_a_failure() {
    if !which_go() {
        return;
    }
    // Not tempfile's hidden `.tmpXXX`: air skips a root whose own name starts with a dot.
    let dir = tempfile::Builder::new().prefix("onehub").tempdir().unwrap();
    for (path, text) in [
        ("go.mod", "module example.com/hub\n\ngo 1.21\n"),
        ("obs/obs.go", "package obs\n\nfunc Setup() {}\n"),
        ("services/svc.go", "package services\n\nfunc Run() {}\n"),
        (
            "cmd/backend/main.go",
            "package main\n\nimport \"example.com/hub/services\"\n\nfunc main() { services.Run(); setup() }\n",
        ),
        (
            "cmd/backend/obs.go",
            "package main\n\nimport \"example.com/hub/obs\"\n\nfunc setup() { obs.Setup() }\n",
        ),
    ] {
        let at = dir.path().join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    }
    let bin = dir.path().join("out/backendmain");
    std::fs::write(
        dir.path().join("cmd/backend/.air.toml"),
        format!(
            "root = \"../../\"\ntmp_dir = \"out\"\n\n[build]\n  cmd = \"go build -o {0} *.go\"\n  bin = \"{0}\"\n  include_dir = [\"services\", \"cmd\"]\n  include_ext = [\"go\"]\n  stop_on_error = true\n",
            bin.display()
        ),
    )
    .unwrap();
    let backend = dir.path().join("cmd/backend");
    let c = run(&backend);
    let f = finding(&c, "hides-imported-package");
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["dirs"], serde_json::json!(["obs"]), "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("add \"obs\" to include_dir"), "{message}");

    // Real air, run where compose runs it: obs/ is left out of the watch.
    let log = dir.path().join("air.out");
    let air = std::process::Command::new(oracle::air())
        .current_dir(&backend)
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::options().append(true).open(&log).unwrap())
        .spawn()
        .unwrap();
    let _air = AirRunning(air, &bin);
    let said = |what: &str| {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains(what)
    };
    let start = std::time::Instant::now();
    while !(said("!exclude obs") && said("watching services"))
        && start.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        said("!exclude obs") && said("watching services"),
        "{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

/// sudhirj/darkhold: `exclude_dir = ["node_modules"]` with include_dir "clients/web", whose
/// package.json the README installs with `npm --prefix clients/web install`. air compares a
/// folder's root-relative path with each entry (v1.67.4 `isExcludeDir`), so the entry keeps
/// out only ./node_modules: real air watches clients/web/node_modules and every folder in it.
/// The doctor warns before the install (the README creates it) and after, naming the full
/// path to exclude; with that path excluded it says nothing and real air prints `!exclude`.
#[test]
fn a_bare_exclude_dir_entry_leaves_a_deeper_node_modules_watched_in_real_air() {
    if !which_go() {
        return;
    }
    let config = |exclude: &str| {
        format!("[build]\n  cmd = \"go build -o ./tmp/main ./cmd/app\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  include_dir = [\"cmd\", \"clients/web\"]\n  include_ext = [\"go\", \"ts\", \"json\"]\n  exclude_dir = [\"tmp\", \"test\", {exclude}]\n")
    };
    // Not tempfile's hidden `.tmpXXX`: air skips a root whose own name starts with a dot.
    let dir = tempfile::Builder::new()
        .prefix("darkhold")
        .tempdir()
        .unwrap();
    let write = |path: &str, text: &str| {
        let at = dir.path().join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    };
    write("go.mod", "module example.com/dh\n\ngo 1.21\n");
    write(
        "cmd/app/main.go",
        "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n",
    );
    write(
        "clients/web/package.json",
        "{\"name\": \"web\", \"dependencies\": {\"react\": \"^18.0.0\"}}\n",
    );
    write("clients/web/src/main.ts", "export const x = 1;\n");
    // A small folder of code under a watched one, named like a root-only entry: code
    // someone edits, watched at no cost worth a word.
    write("cmd/app/test/helper.go", "package test\n");
    write(
        "README.md",
        "# dh\n\n```\nnpm --prefix clients/web install\n./dev-hot\n```\n",
    );
    write(".air.toml", &config("\"node_modules\""));

    // Before the install: the README's install creates it.
    let c = run(dir.path());
    let f = finding(&c, "nested-exclude-dir");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(
        f["evidence"]["dirs"],
        serde_json::json!(["clients/web/node_modules"]),
        "{f:#}"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("`npm --prefix clients/web install` (README.md) creates")
            && message.contains(".ts, .json files rebuild")
            && message.ends_with("add \"clients/web/node_modules\" to exclude_dir"),
        "{message}"
    );

    // After it (a stub of the tree): real air watches it.
    write("clients/web/node_modules/react/package.json", "{}\n");
    write("clients/web/node_modules/react/index.js", "\n");
    let c = run(dir.path());
    let f = finding(&c, "nested-exclude-dir");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("clients/web/node_modules/ is watched: 2 folders, 1 file"),
        "{message}"
    );
    let air_says = |what: &str| {
        let log = dir.path().join("air.out");
        let bin = dir.path().join("tmp/main");
        let air = std::process::Command::new(oracle::air())
            .current_dir(dir.path())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::options().append(true).open(&log).unwrap())
            .spawn()
            .unwrap();
        let _air = AirRunning(air, &bin);
        let said = || std::fs::read_to_string(&log).unwrap_or_default();
        let start = std::time::Instant::now();
        while !said().contains("running...") && start.elapsed() < std::time::Duration::from_secs(60)
        {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let log = said();
        assert!(log.contains(what), "{log}");
    };
    air_says("watching clients/web/node_modules/react");

    // The full path excluded: nothing to say, and air leaves it out.
    write(
        ".air.toml",
        &config("\"node_modules\", \"clients/web/node_modules\""),
    );
    assert_lacks(&run(dir.path()), "nested-exclude-dir");
    air_says("!exclude clients/web/node_modules");
}

/// AmandaYora/elkasir-web: exclude_dir hides db/migrations, a package whose one Go file only
/// embeds the `*.sql` beside it. With sql not in include_ext, air drops a save of those
/// files in a watched folder too (air's own event filter, through the oracle, with the
/// folder not excluded), so leaving the folder out loses only a rebuild when that Go file
/// changes: a note. With sql watched, saving a migration never rebuilds: still a warning.
#[test]
fn a_hidden_package_that_only_embeds_unwatched_files_is_a_note() {
    if !which_go() {
        return;
    }
    let config = |ext: &str, exclude: &str| {
        format!("[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  include_ext = [{ext}]\n  exclude_dir = [\"tmp\", \"vendor\"{exclude}]\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/api\n\ngo 1.22\n"),
        (
            "cmd/api/main.go",
            "package main\n\nimport \"example.com/api/internal/migrator\"\n\nfunc main() { migrator.Up() }\n",
        ),
        (
            "internal/migrator/migrator.go",
            "package migrator\n\nimport \"example.com/api/db/migrations\"\n\nfunc Up() { _, _ = migrations.FS.ReadDir(\".\") }\n",
        ),
        (
            "db/migrations/embed.go",
            "// Package migrations embeds the SQL migrations.\npackage migrations\n\nimport \"embed\"\n\n// FS holds every *.up.sql / *.down.sql here.\n//\n//go:embed *.sql\nvar FS embed.FS\n",
        ),
        ("db/migrations/000001_init.up.sql", "CREATE TABLE t (id int);\n"),
        ("db/migrations/000001_init.down.sql", "DROP TABLE t;\n"),
        (".air.toml", &config("\"go\", \"tpl\", \"tmpl\", \"html\"", ", \"db/migrations\"")),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "hides-imported-package");
    assert_eq!(f["severity"], "info", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("only embeds *.sql files") && message.contains("does not watch anyway"),
        "{message}"
    );
    // air, the folder watched: a save of the embedded file still builds nothing.
    let sql = dir.path().join("db/migrations/000001_init.up.sql");
    std::fs::write(
        dir.path().join(".air.toml"),
        config("\"go\", \"tpl\", \"tmpl\", \"html\"", ""),
    )
    .unwrap();
    let answer = &oracle::ask(&[oracle::Job {
        dir: dir.path().to_string_lossy().into_owned(),
        config: None,
        events: vec![sql.to_string_lossy().into_owned()],
    }])[0];
    assert_eq!(answer["events"][0]["trigger"], false, "{answer:#}");

    // sql watched (elkasir-web's own include_ext): the hidden migrations cost rebuilds.
    std::fs::write(
        dir.path().join(".air.toml"),
        config(
            "\"go\", \"tpl\", \"tmpl\", \"html\", \"sql\"",
            ", \"db/migrations\"",
        ),
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "hides-imported-package");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(
        f["evidence"]["claim"], "save-does-not-rebuild db/migrations/",
        "{f:#}"
    );
    // air reacts to the file's extension, but never watches its folder.
    let answer = &oracle::ask(&[oracle::Job {
        dir: dir.path().to_string_lossy().into_owned(),
        config: None,
        events: vec![sql.to_string_lossy().into_owned()],
    }])[0];
    assert_eq!(answer["events"][0]["trigger"], true, "{answer:#}");
    let migrations = dir.path().join("db/migrations");
    assert!(
        !answer["watched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == migrations.to_str().unwrap()),
        "{answer:#}"
    );
    // A package with code beside the embed stays a warning (that code is edited).
    std::fs::write(
        dir.path().join(".air.toml"),
        config("\"go\"", ", \"db/migrations\""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("db/migrations/names.go"),
        "package migrations\n\nfunc Names() []string { return nil }\n",
    )
    .unwrap();
    assert_eq!(
        finding(&run(dir.path()), "hides-imported-package")["severity"],
        "warn"
    );
}

#[test]
fn excluded_folder_main_imports_fails() {
    if std::process::Command::new("go")
        .arg("version")
        .output()
        .is_err()
    {
        eprintln!("go not installed: the go list sub-check is skipped by design");
        return;
    }
    let c = run(&fixture("air-exclude-imported"));
    let f = finding(&c, "hides-imported-package");
    assert_at(f, "fail", 9);
    assert_eq!(f["evidence"]["dirs"], serde_json::json!(["internal/store"]));

    // include_dir leaves the root out: air watches no file directly in it, main.go included.
    let dir = copy_fixture("air-exclude-imported");
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  stop_on_error = true\n  include_dir = [\"internal\"]\n",
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "hides-imported-package");
    assert_at(f, "fail", 3);
    assert_eq!(f["evidence"]["dirs"], serde_json::json!(["."]));
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("main package's own folder"));
}

#[test]
fn gin_app_with_hard_coded_port_fails_at_its_line() {
    let (_, report) = json_report(
        &fixture("gin-hardcoded-port"),
        &["--only", "reloader-config"],
    );
    assert_eq!(report["project"]["reloader"], "gin");
    let c = check(&report, "reloader-config");
    let f = finding(c, "hard-coded-port");
    assert_eq!(f["severity"], "fail");
    assert_eq!(f["evidence"]["file"], "main.go");
    assert_eq!(f["evidence"]["line"], 20);
    assert!(f["message"].as_str().unwrap().starts_with("main.go:20:"));

    let dir = copy_fixture("gin-hardcoded-port");
    std::fs::write(dir.path().join(".env"), "DB_URL=x\nGIN_APP_PORT=8080\n").unwrap();
    let c = run(dir.path());
    let env = finding(&c, "gin-env");
    assert_at(env, "warn", 2);
    assert!(env["message"]
        .as_str()
        .unwrap()
        .contains("did you mean BIN_APP_PORT?"));

    // gin told to use another app port: the hard-coded :3001 now gets nothing at all.
    std::fs::write(dir.path().join(".env"), "BIN_APP_PORT=4001\n").unwrap();
    let c = run(dir.path());
    let f = finding(&c, "hard-coded-port");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("gin proxies to $PORT (4001), where nothing listens"),
        "{f}"
    );
}

#[test]
fn fresh_runner_conf_is_read() {
    let (_, report) = json_report(&fixture("fresh-runner"), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["reloader"], "fresh");
    let c = check(&report, "reloader-config");
    assert_eq!(c["status"], "pass", "{c:#}");
    assert!(c["summary"].as_str().unwrap().contains("14 settings"));

    let dir = copy_fixture("fresh-runner");
    let conf = dir.path().join("runner.conf");
    let text = std::fs::read_to_string(&conf).unwrap();
    std::fs::write(&conf, text.replace("build_delay", "bulid_delay").trim_end()).unwrap();
    let c = run(dir.path());
    let msgs: Vec<(&str, u64)> = findings(&c)
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap(),
                f["evidence"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // The last line (`log_color_app:`, fresh's default) is dropped without its newline, which
    // changes nothing: only the typo is reported.
    assert_eq!(msgs, vec![("warn", 8)], "{c:#}");
    assert!(findings(&c)[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean build_delay?"));
}

/// The runner.conf that fresh's examples and many projects carry ends in `log_color_app:`
/// without a newline; fresh drops that line and uses its default, the same empty value. Only a
/// dropped line whose value fresh would have used is a failure.
#[test]
fn a_runner_conf_without_a_last_newline_fails_only_when_the_line_mattered() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/app\n\ngo 1.21\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    let conf = dir.path().join("runner.conf");
    let head = "root:              .\ntmp_path:          ./tmp\nvalid_ext:         .go, .tpl, .tmpl, .html\nignored:           assets, tmp, vendor\n";
    std::fs::write(
        &conf,
        format!("{head}log_color_watcher: magenta\nlog_color_app:"),
    )
    .unwrap();
    let c = run(dir.path());
    assert_eq!(c["status"], "pass", "{c:#}");

    std::fs::write(&conf, format!("{head}build_delay:       200")).unwrap();
    let c = run(dir.path());
    assert_eq!(c["status"], "fail", "{c:#}");
    let f = &findings(&c)[0];
    assert_eq!(f["evidence"]["line"], 5, "{f:#}");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("uses `build_delay: 600`") && msg.contains("end the file with a newline"),
        "{msg}"
    );
}

#[test]
fn healthy_projects_pass() {
    for name in ["gin-healthy", "stdlib-healthy"] {
        let c = run(&fixture(name));
        assert_eq!(c["status"], "pass", "{name}: {c:#}");
        assert!(findings(&c).is_empty());
    }
}

#[test]
fn binary_and_escaping_configs_give_clear_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("src/app");
    common::copy_tree(&fixture("gin-healthy"), &project);
    let cfg = project.join(".air.toml");

    std::fs::write(&cfg, [0x00u8, 0xff, 0xfe, 0x01, b'\n']).unwrap();
    let c = run(&project);
    assert_eq!(c["status"], "fail");
    assert!(findings(&c)[0]["message"]
        .as_str()
        .unwrap()
        .contains("not a text file"));

    std::fs::write(&cfg, "root = \"../..\"\n").unwrap();
    assert_at(finding(&run(&project), "root-outside-project"), "warn", 1);

    std::fs::write(&cfg, "tmp_dir = \"tmp\"\nroot = \"/\"\n").unwrap();
    assert_at(finding(&run(&project), "root-dangerous"), "fail", 2);

    std::fs::write(&cfg, "root = \"nowhere\"\n").unwrap();
    assert_at(finding(&run(&project), "root-missing"), "fail", 1);

    // shubham1172/gokv's build/.air.toml: `root = "/app/"`, a container's path that no
    // launcher mounts: may exist where air runs, so a warning that says so.
    std::fs::write(&cfg, "root = \"/app/\"\n").unwrap();
    let f = finding(&run(&project), "root-missing").clone();
    assert_at(&f, "warn", 1);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("inside a container"),
        "{f}"
    );

    std::fs::write(&cfg, "[build]\n  cmd = \"go build -o ./tmp/main .\"\n\n[[build.rules]]\n  name = \"css\"\n  include_ext = [\"css\"]\n").unwrap();
    assert_at(finding(&run(&project), "bad-rule"), "fail", 4);

    std::fs::remove_file(&cfg).unwrap();
    std::fs::create_dir(&cfg).unwrap();
    let c = run(&project);
    assert_eq!(c["status"], "fail");
    assert!(findings(&c)[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("cannot read .air.toml"));
}

#[test]
fn a_running_gin_process_in_the_project_marks_it_as_gin() {
    let dir = copy_fixture("gin-hardcoded-port");
    std::fs::remove_file(dir.path().join(".gitignore")).unwrap();
    let c = run(dir.path());
    assert_eq!(
        c["status"], "pass",
        "no gin files and no gin process: {c:#}"
    );

    // A real process whose command name is `gin`, working in the project.
    let bin = tempfile::tempdir().unwrap();
    let gin = bin.path().join("gin");
    std::fs::copy("/bin/sleep", &gin).unwrap();
    let mut child = std::process::Command::new(&gin)
        .arg("30")
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    let c = run(dir.path());
    child.kill().unwrap();
    child.wait().unwrap();
    assert_at(finding(&c, "hard-coded-port"), "fail", 20);
    let summary = c["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("gin pid {}", child.id())),
        "{summary}"
    );
}

#[test]
fn fix_applies_every_air_toml_fix_in_one_rewrite_keeping_a_backup() {
    let dir = copy_fixture("air-tmp-watched");
    let cfg = dir.path().join(".air.toml");
    let original = "# mine\nroot = \".\"\n# misplaced below\nbin = \"./build/app serve\"   # runs this\n[build]\n  cmd = \"go build -o ./build/app .\"\n  include_ext = [\".html\"]\n  exlude_dir = [\"vendor\"]\n  delay = 0 # no wait\n  stop_on_error = true\n";
    std::fs::write(&cfg, original).unwrap();
    let fix = || {
        common::run(&[
            "--fix",
            "--only",
            "reloader-config",
            "--project",
            dir.path().to_str().unwrap(),
        ])
    };
    let o = fix();
    assert_eq!(common::code(&o), 0, "{}", common::stdout(&o));
    let fixed = std::fs::read_to_string(&cfg).unwrap();
    assert_eq!(
        fixed,
        "# mine\nroot = \".\"\n[build]\n  cmd = \"go build -o ./build/app .\"\n  include_ext = [\"html\", \"go\"]\n  exclude_dir = [\"vendor\"]\n  # delay = 0 # no wait\n  stop_on_error = true\n  # misplaced below\n  bin = \"./build/app\"   # runs this\n  args_bin = [\"serve\"]\n"
    );
    let backup = dir.path().join(".air.toml.reload-doctor.bak");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    assert_eq!(run(dir.path())["status"], "pass", "{}", fixed);
    // A second --fix finds nothing to do and leaves file and backup alone.
    let o = fix();
    assert_eq!(common::code(&o), 0, "{}", common::stdout(&o));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), fixed);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
}

#[test]
fn bin_check_follows_cd_and_entrypoint() {
    let dir = copy_fixture("air-bin-mismatch");
    let cfg = dir.path().join(".air.toml");
    let write = |build: &str| {
        std::fs::write(&cfg, format!("[build]\n  stop_on_error = true\n{build}")).unwrap();
        run(dir.path())
    };
    // `cd` moves where -o lands; bin is relative to air's folder: a mismatch, and no
    // automatic fix (the right bin spelling is not the -o words).
    std::fs::create_dir(dir.path().join("tmp")).unwrap();
    let c = write("  cmd = \"cd tmp && go build -o ./app ..\"\n  bin = \"./app\"\n");
    let f = finding(&c, "binary-mismatch");
    assert_at(f, "fail", 3);
    assert!(f["fix"].is_null(), "{f:#}");
    let c = write("  cmd = \"cd tmp && go build -o ./app ..\"\n  bin = \"./tmp/app\"\n");
    assert_eq!(c["status"], "pass", "{c:#}");
    // entrypoint (the array air init writes) wins over bin.
    let c = write("  cmd = \"go build -o ./tmp/api .\"\n  bin = \"./tmp/main\"\n  entrypoint = [\"./tmp/api\", \"serve\"]\n");
    assert_eq!(c["status"], "pass", "{c:#}");
    let c = write("  cmd = \"go build -o ./tmp/api .\"\n  entrypoint = [\"./tmp/main\"]\n");
    assert_eq!(
        finding(&c, "binary-mismatch")["evidence"]["runner_key"],
        "build.entrypoint"
    );
}

/// The problems of a report, in order.
/// Fails, showing the report, when `c` has a finding about `problem`.
#[track_caller]
fn assert_lacks(c: &Value, problem: &str) {
    assert!(
        !problems(c).iter().any(|p| p == problem),
        "{problem} reported: {c:#}"
    );
}

fn problems(c: &Value) -> Vec<String> {
    findings(c)
        .iter()
        .map(|f| f["evidence"]["problem"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn real_project_layouts_raise_no_false_alarm() {
    let dir = copy_fixture("air-cmd-layout");
    let cfg = dir.path().join(".air.toml");
    assert_eq!(run(dir.path())["status"], "pass");
    let with = |build: &str| {
        std::fs::write(
            &cfg,
            format!("root = \".\"\n[build]\n  stop_on_error = true\n{build}"),
        )
        .unwrap();
        run(dir.path())
    };
    for (why, build) in [
        (
            "binary moved into place",
            "  cmd = \"cd cmd/server && go build -o app . && mv app ../../tmp/server\"\n  bin = \"./tmp/server\"\n",
        ),
        (
            "binary built by pre_cmd's task runner",
            "  pre_cmd = [\"task build\"]\n  bin = \"./bin/api\"\n",
        ),
        ("binary built by make", "  cmd = \"make build\"\n  bin = \"./bin/api\"\n"),
        (
            "make build with include_dir: the main package is not at the root",
            "  cmd = \"make build\"\n  bin = \"./bin/api\"\n  include_dir = [\"cmd\", \"internal\"]\n",
        ),
        (
            "binary built by a pre_cmd go build",
            "  pre_cmd = [\"go build -o ./tmp/api ./cmd/server\"]\n  cmd = \"echo built\"\n  bin = \"./tmp/api\"\n",
        ),
        (
            "entrypoint on purpose",
            "  cmd = \"go build -o ./tmp/server ./cmd/server\"\n  bin = \"./tmp/server\"\n  entrypoint = [\"./tmp/server\", \"--dev\"]\n",
        ),
        (
            "-o into a folder",
            "  cmd = \"go build -o ./tmp/ ./cmd/server\"\n  bin = \"./tmp/server\"\n",
        ),
        (
            "output air drops events for, in a watched folder",
            "  cmd = \"go build -o ./bin/api ./cmd/server\"\n  bin = \"./bin/api\"\n",
        ),
        (
            "go run of a generator before the build",
            "  cmd = \"go run ./cmd/gen && go build -o ./tmp/main ./cmd/server\"\n",
        ),
        (
            "a first go build that only compiles, then the real one",
            "  cmd = \"go build ./... && go build -o ./tmp/server ./cmd/server\"\n  bin = \"./tmp/server\"\n",
        ),
        (
            "go run of a generator that writes into tmp and ends",
            "  cmd = \"go run ./cmd/server -s ./example -o tmp\"\n",
        ),
        (
            "-o to a path inside a container",
            "  cmd = \"go build -o /app/bin/main ./cmd/server\"\n  bin = \"bin/main\"\n",
        ),
        (
            "go build without -o whose output is bin",
            "  cmd = \"go build ./cmd/server\"\n  bin = \"./server\"\n  exclude_file = [\"server\"]\n",
        ),
    ] {
        let c = with(build);
        // Whether task or make is installed here is not the layout's business.
        let layout: Vec<String> = problems(&c)
            .into_iter()
            .filter(|p| p != "tool-not-found")
            .collect();
        assert_eq!(layout, Vec::<String>::new(), "{why}: {c:#}");
    }
    // A tool outside the project that runs the build's binary is no mismatch, and where it
    // lives is no problem of the user's (--fix's rule about what it may stop is its own).
    let c = with("  cmd = \"go build -o ./tmp/server ./cmd/server\"\n  full_bin = \"/usr/bin/env APP_ENV=dev ./tmp/server\"\n");
    assert_eq!(problems(&c), Vec::<String>::new(), "{c:#}");
    // include_dir leaves cmd/server out, and include_file cannot bring its files back: air's
    // walk skips cmd/ before it looks at any file in it (checked with real air v1.67.4: a
    // save of a listed cmd/server/main.go does not rebuild, a save in internal/ does).
    if which_go() {
        let c = with("  cmd = \"go build -o ./tmp/server ./cmd/server\"\n  bin = \"./tmp/server\"\n  include_dir = [\"internal\"]\n  include_file = [\"cmd/server/main.go\", \"cmd/server/routes.go\"]\n");
        assert_eq!(
            problems(&c),
            vec!["hides-imported-package", "include-file-unwatched"],
            "{c:#}"
        );
        // With cmd/server in include_dir, the walk goes there: nothing is hidden.
        let c = with("  cmd = \"go build -o ./tmp/server ./cmd/server\"\n  bin = \"./tmp/server\"\n  include_dir = [\"internal\", \"cmd/server\"]\n");
        assert_eq!(c["status"], "pass", "{c:#}");
    }
    // [log] color = true is no misplaced [color] table: moving it there would stop air.
    std::fs::write(&cfg, "[build]\n  cmd = \"go build -o ./tmp/server ./cmd/server\"\n  bin = \"./tmp/server\"\n  stop_on_error = true\n[log]\n  color = true\n").unwrap();
    let c = run(dir.path());
    assert_eq!(problems(&c), vec!["unknown-key"], "{c:#}");
    assert!(findings(&c)[0]["fix"].is_null());
}

fn which_go() -> bool {
    std::process::Command::new("go")
        .arg("version")
        .output()
        .is_ok()
}

#[test]
fn bin_with_arguments_fails_and_the_fix_moves_them_to_args_bin() {
    let dir = copy_fixture("air-bin-args");
    let c = run(dir.path());
    let f = finding(&c, "bin-with-arguments");
    assert_at(f, "fail", 7);
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("quotes bin")
            && msg.contains("args_bin = [\"serve\"]")
            && msg.contains("entrypoint = [\"./tmp/main\", \"serve\"]"),
        "{msg}"
    );
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert!(
        new.contains("  bin = \"./tmp/main\"\n") && new.contains("args_bin = [\"serve\"]"),
        "{new}"
    );
    std::fs::write(dir.path().join(".air.toml"), new).unwrap();
    assert_eq!(run(dir.path())["status"], "pass");
}

#[test]
fn go_run_as_the_build_fails_with_a_go_build_fix() {
    let dir = copy_fixture("air-go-run");
    let c = run(dir.path());
    assert_eq!(problems(&c), vec!["go-run-as-build"], "{c:#}");
    let f = finding(&c, "go-run-as-build");
    assert_at(f, "fail", 6);
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert!(
        new.contains("cmd = \"go build -o ./tmp/main ./cmd/api\""),
        "{new}"
    );
    assert!(new.contains("bin = \"./tmp/main\""), "{new}");
    std::fs::write(dir.path().join(".air.toml"), new).unwrap();
    assert_eq!(run(dir.path())["status"], "pass");
}

#[test]
fn go_build_without_output_fails_naming_what_go_really_writes() {
    let dir = copy_fixture("air-no-output");
    let c = run(dir.path());
    let f = finding(&c, "build-without-output");
    assert_at(f, "fail", 6);
    assert_eq!(f["evidence"]["writes"], "web");
    if which_go() {
        // go itself: `go build ./cmd/web` writes ./web.
        let o = std::process::Command::new("go")
            .args(["build", "./cmd/web"])
            .current_dir(dir.path())
            .env("GOFLAGS", "")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(dir.path().join("web").is_file());
        std::fs::remove_file(dir.path().join("web")).unwrap();
    }
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert!(
        new.contains("cmd = \"go build -o ./tmp/main ./cmd/web\""),
        "{new}"
    );
    std::fs::write(dir.path().join(".air.toml"), new).unwrap();
    assert_eq!(run(dir.path())["status"], "pass");
}

#[test]
fn generators_in_the_build_that_write_watched_files_are_loops() {
    // tailwindcss (3.2 and later) does not write an output whose contents are the same: the
    // build after its write rewrites nothing, so one extra build, not a loop.
    for (name, line, generated, problem, severity) in [
        (
            "air-tailwind-loop",
            6,
            "web/static/app.css",
            "generated-extra-build",
            "info",
        ),
        (
            "air-make-generator",
            6,
            "static/site.css",
            "generated-code-loop",
            "fail",
        ),
    ] {
        let dir = copy_fixture(name);
        let c = run(dir.path());
        let f = finding(&c, problem);
        assert_at(f, severity, line);
        assert_eq!(
            f["evidence"]["generated"],
            serde_json::json!([generated]),
            "{name}"
        );
        let msg = f["message"].as_str().unwrap();
        if severity == "fail" {
            assert!(msg.contains("[[build.rules]]"), "{msg}");
        } else {
            assert!(
                msg.contains("no loop") && msg.contains("builds twice"),
                "{msg}"
            );
            assert!(msg.contains("costs only time"), "{msg}");
        }
        let new = f["fix"]["action"]["contents"].as_str().unwrap();
        assert!(
            new.contains(&format!("exclude_file = [\"{generated}\"]")),
            "{new}"
        );
        std::fs::write(dir.path().join(".air.toml"), new).unwrap();
        // A generator this machine lacks (sass) is named as such; nothing else is left.
        let after = run(dir.path());
        let left: Vec<&Value> = findings(&after)
            .iter()
            .filter(|f| f["severity"] != "info" && f["evidence"]["problem"] != "tool-not-found")
            .collect();
        assert!(left.is_empty(), "{name}: {after:#}");
    }
    let c = run(&fixture("air-make-generator"));
    assert!(
        finding(&c, "generated-code-loop")["message"]
            .as_str()
            .unwrap()
            .contains("through Makefile:9"),
        "{c:#}"
    );
    // Without css in include_ext, air drops the events: no loop.
    let dir = copy_fixture("air-tailwind-loop");
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace(", \"css\"]", "]")).unwrap();
    assert_eq!(run(dir.path())["status"], "pass");
}

#[test]
fn a_windows_config_says_it_works_on_windows_only() {
    let dir = copy_fixture("air-windows");
    let c = run(dir.path());
    assert_eq!(problems(&c), vec!["windows-only-config"], "{c:#}");
    // Nothing here launches it (BoGyX/EngProject's backend: compose runs `go run .`): only a
    // teammate's plain `air` on Linux or macOS would hit it, a warn.
    assert_at(finding(&c, "windows-only-config"), "warn", 7);
    // A Makefile target runs it, on whatever OS runs make: a fail.
    std::fs::write(dir.path().join("Makefile"), "dev:\n\tair\n").unwrap();
    let c = run(dir.path());
    let f = finding(&c, "windows-only-config");
    assert_at(f, "fail", 7);
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("works") && msg.contains("[build.windows]"),
        "{msg}"
    );
    let cfg = dir.path().join(".air.toml");
    std::fs::write(&cfg, "[build]\n  cmd = \"cmd /c go build -o tmp\\\\main.exe .\"\n  bin = \"tmp\\\\main.exe\"\n  stop_on_error = true\n").unwrap();
    assert_at(finding(&run(dir.path()), "windows-only-config"), "fail", 2);
    // Split per platform: fine everywhere.
    std::fs::write(&cfg, "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n[build.windows]\n  cmd = \"go build -o ./tmp/main.exe .\"\n  bin = \"tmp\\\\main.exe\"\n").unwrap();
    assert_eq!(run(dir.path())["status"], "pass");
    // The Linux/macOS cmd it proposes builds the same package (andrenormanlang/go-htmx-mySQL
    // builds .\cmd\cmsgo), not the root, which may hold no Go files.
    std::fs::write(&cfg, "[build]\n  cmd = \"go build -v -o .\\\\tmp\\\\cmsgo.exe .\\\\cmd\\\\cmsgo\"\n  bin = \".\\\\tmp\\\\cmsgo.exe\"\n  stop_on_error = true\n").unwrap();
    let c = run(dir.path());
    let f = finding(&c, "windows-only-config");
    let msg = f["message"].to_string();
    assert!(
        msg.contains(r#"cmd = \"go build -v -o ./tmp/cmsgo ./cmd/cmsgo\", bin = \"./tmp/cmsgo\""#),
        "{msg}"
    );
    assert_eq!(f["fix"]["applicability"], "safe", "{f:#}");
}

/// AnDoor/SADU-BAKCKEND- and ROFL1ST/ticketing-go: a Windows `.air.toml` beside
/// `.air.linux.toml`, which the README tells Linux users to run with `air -c`. The Windows one
/// is deliberate: a note naming the sibling, and the sibling is judged too (its own findings
/// carry its name). move378/AiCar-AutoCommerce: the backslash is in `entrypoint` two lines
/// below a plain bin, and the finding names the entrypoint's line.
#[test]
fn a_windows_config_with_a_linux_sibling_is_a_note_naming_it() {
    let windows = "[build]\n  cmd = \"go build -o ./tmp/main.exe .\"\n  bin = \".\\\\tmp\\\\main.exe\"\n  stop_on_error = true\n";
    let linux = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  exclude_dir = [\"./web\"]\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/w\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("web/index.html", "<p>hi</p>\n"),
        (".air.toml", windows),
        (".air.linux.toml", linux),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "windows-only-config");
    assert_at(f, "info", 3);
    assert!(
        f["message"].as_str().unwrap().contains(".air.linux.toml"),
        "{f:#}"
    );
    // The sibling is judged: its exclude_dir names a folder that does not exist.
    let never = finding(&c, "exclude-dir-never-matches");
    assert_eq!(never["evidence"]["file"], ".air.linux.toml", "{c:#}");
    // Without the sibling, and run by a Makefile any OS runs, it is a fail, as before.
    std::fs::remove_file(dir.path().join(".air.linux.toml")).unwrap();
    std::fs::write(dir.path().join("Makefile"), "dev:\n\tair\n").unwrap();
    assert_at(finding(&run(dir.path()), "windows-only-config"), "fail", 3);
    // The value air runs is the entrypoint's: its line is named.
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main.exe .\"\n  bin = \"tmp/main.exe\"\n  stop_on_error = true\n  entrypoint = [\"tmp\\\\main.exe\"]\n",
    )
    .unwrap();
    assert_at(finding(&run(dir.path()), "windows-only-config"), "fail", 5);
}

/// tomanagle/adenosine (hold-out 14): beside the `dev` service, which mounts the repository,
/// two services in the compose profile `federation-test` run the same image's air on its
/// COPY with no volume: one-shot instances an e2e script brings up and tears down, which
/// nobody edits against. A note naming the profile (was a fail each); a service whose
/// profile is no test run (`tools`) keeps the fail.
#[test]
fn a_compose_service_only_a_test_profile_starts_is_a_note_when_not_mounted() {
    let compose = |profile: &str| {
        format!("services:\n  dev:\n    build:\n      context: .\n      dockerfile: Dockerfile\n    volumes:\n      - .:/app\n\n  instance-a:\n    profiles: [\"{profile}\"]\n    build:\n      context: .\n      dockerfile: Dockerfile\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
        (
            "Dockerfile",
            "FROM golang:1.24\nWORKDIR /app\nRUN go install github.com/air-verse/air@v1.61.7\nCOPY . .\nCMD [\"air\"]\n",
        ),
        ("docker-compose.yml", &compose("federation-test")),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "source-not-mounted");
    assert_at(f, "info", 9);
    assert!(
        f["message"].as_str().unwrap().contains("`federation-test`"),
        "{f:#}"
    );
    std::fs::write(dir.path().join("docker-compose.yml"), compose("tools")).unwrap();
    assert_at(finding(&run(dir.path()), "source-not-mounted"), "fail", 9);
}

/// neoxelox/odin (hold-out 14): cmd/api's config excludes pkg/cli.go, a file of package pkg
/// the api compiles, but cli.go only declares CLI and NewCLI, which nothing else the build
/// compiles uses (internal/class's own CLI type is another one): editing it changes nothing
/// the api runs, a note (was a warning; `go list` decides what is compiled). Once main uses
/// pkg.NewCLI, or the file has an init(), it is the warning again.
#[test]
fn an_excluded_file_nothing_in_the_build_uses_is_a_note() {
    let cli = "package pkg\n\nimport \"example.com/app/internal/class\"\n\ntype CLI struct {\n\tclass.CLI\n}\n\nfunc NewCLI() (*CLI, error) {\n\treturn &CLI{}, nil\n}\n\nfunc (c *CLI) Run() error { return nil }\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        (
            "cmd/api/main.go",
            "package main\n\nimport \"example.com/app/pkg\"\n\nfunc main() {\n\t_, _ = pkg.NewAPI()\n}\n",
        ),
        ("internal/class/cli.go", "package class\n\ntype CLI struct{ Name string }\n"),
        (
            "pkg/api.go",
            "package pkg\n\ntype API struct{}\n\nfunc NewAPI() (*API, error) {\n\treturn &API{}, nil\n}\n",
        ),
        ("pkg/cli.go", cli),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n  bin = \"./tmp/main\"\n  exclude_regex = [\"_test.go\", \"pkg/cli.go\"]\n  stop_on_error = true\n",
        ),
    ]);
    let excluded = |c: &Value| -> Vec<String> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "excludes-compiled-files")
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect()
    };
    let c = run(dir.path());
    assert_eq!(excluded(&c), vec!["info"], "{c:#}");
    let f = finding(&c, "excludes-compiled-files");
    assert!(
        f["message"].as_str().unwrap().contains("CLI, NewCLI"),
        "{f:#}"
    );
    // An init() runs when the api starts: the file matters.
    let with_init = format!("{cli}\nfunc init() {{}}\n");
    std::fs::write(dir.path().join("pkg/cli.go"), with_init).unwrap();
    assert_ne!(excluded(&run(dir.path())), vec!["info"]);
    // main uses NewCLI: the file matters.
    std::fs::write(dir.path().join("pkg/cli.go"), cli).unwrap();
    std::fs::write(
        dir.path().join("cmd/api/main.go"),
        "package main\n\nimport \"example.com/app/pkg\"\n\nfunc main() {\n\t_, _ = pkg.NewAPI()\n\t_, _ = pkg.NewCLI()\n}\n",
    )
    .unwrap();
    let c = run(dir.path());
    assert_eq!(excluded(&c).len(), 1, "{c:#}");
    assert_ne!(excluded(&c), vec!["info"], "{c:#}");
}

/// The rewrite --fix makes of a Windows `bin` built by a plain `go build`: [build] gets the
/// one Linux/macOS value (cmd without `.exe`, bin the file it writes), a value [build.windows]
/// already has stays as it is, the others move there; the report then passes.
#[test]
fn fix_gives_a_windows_bin_its_linux_value_and_keeps_build_windows() {
    let dir = copy_fixture("air-windows");
    let cfg = dir.path().join(".air.toml");
    std::fs::write(
        &cfg,
        "[build]\n  cmd = \"go build -o ./tmp/main.exe .\"\n  bin = \".\\\\tmp\\\\main.exe\"\n  stop_on_error = true\n\n[build.windows]\n  bin = \"tmp\\\\app.exe\"\n",
    )
    .unwrap();
    let o = common::run(&[
        "--fix",
        "--only",
        "reloader-config",
        "--project",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(common::code(&o), 0, "{}", common::stdout(&o));
    let text = std::fs::read_to_string(&cfg).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let (build, windows) = (&doc["build"], &doc["build"]["windows"]);
    assert_eq!(
        build["cmd"].as_str(),
        Some("go build -o ./tmp/main ."),
        "{text}"
    );
    assert_eq!(build["bin"].as_str(), Some("./tmp/main"), "{text}");
    assert_eq!(windows["bin"].as_str(), Some("tmp\\app.exe"), "{text}");
    assert_eq!(
        windows["cmd"].as_str(),
        Some("go build -o ./tmp/main.exe ."),
        "{text}"
    );
    assert_eq!(run(dir.path())["status"], "pass");
}

#[test]
fn the_config_air_reads_is_named() {
    let dir = copy_fixture("air-config-not-read");
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["reloader"], "air");
    let c = check(&report, "reloader-config");
    let f = finding(c, "config-not-read");
    assert_eq!(f["severity"], "warn");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("rename it to .air.toml"));
    // Started with `air -c air.toml`: that works, and the report says so.
    std::fs::write(dir.path().join("Makefile"), "dev:\n\tair -c air.toml\n").unwrap();
    let c = run(dir.path());
    assert_eq!(finding(&c, "config-not-read")["severity"], "info");
    assert!(finding(&c, "config-not-read")["message"]
        .as_str()
        .unwrap()
        .contains("Makefile:2"));
    // A -c file that does not exist stops air.
    std::fs::rename(dir.path().join("air.toml"), dir.path().join(".air.toml")).unwrap();
    std::fs::write(
        dir.path().join("Makefile"),
        "dev:\n\tair -c .air.dev.toml\n",
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "launch-config-missing");
    assert_eq!(f["severity"], "fail");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .starts_with("Makefile:2: runs `air -c .air.dev.toml`"));
    // A second config used by the Makefile is named.
    std::fs::write(dir.path().join(".air.dev.toml"), "").unwrap();
    assert_eq!(
        finding(&run(dir.path()), "other-config-launched")["severity"],
        "info"
    );
    // .air.conf: not read since v1.63.2.
    std::fs::remove_file(dir.path().join("Makefile")).unwrap();
    std::fs::rename(dir.path().join(".air.toml"), dir.path().join(".air.conf")).unwrap();
    let c = run(dir.path());
    let f = &finding(&c, "config-not-read")["message"];
    assert!(f.as_str().unwrap().contains("v1.63.2"), "{f}");
}

/// gocanto/bridge's shape: the Makefile runs plain `air`, and the only config beside it is
/// `.air.local.toml`, which plain air never reads. With two such files, which one was meant
/// is not known: nothing is said.
#[test]
fn plain_air_beside_only_a_variant_config_is_told_it_is_not_read() {
    let dir = copy_fixture("air-config-not-read");
    std::fs::rename(
        dir.path().join("air.toml"),
        dir.path().join(".air.local.toml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("Makefile"), "air:\n\tair\n").unwrap();
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["reloader"], "air");
    let f = finding(check(&report, "reloader-config"), "config-not-read");
    assert_eq!(f["severity"], "warn");
    assert!(
        f["message"].as_str().unwrap().contains(".air.local.toml"),
        "{f}"
    );
    std::fs::write(dir.path().join(".air.prod.toml"), "").unwrap();
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["reloader"], "none");
}

#[test]
fn dotted_extensions_and_dot_slash_entries_never_match_and_are_rewritten() {
    let dir = copy_fixture("air-dotted-ext");
    let c = run(dir.path());
    assert_at(finding(&c, "dotted-extension"), "fail", 8);
    assert_at(finding(&c, "exclude-dir-never-matches"), "warn", 10);
    let o = common::run(&[
        "--fix",
        "--only",
        "reloader-config",
        "--project",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(common::code(&o), 0, "{}", common::stdout(&o));
    let text = std::fs::read_to_string(dir.path().join(".air.toml")).unwrap();
    assert!(
        text.contains("include_ext = [\"go\", \"html\"]")
            && text.contains("exclude_dir = [\"vendor\", \"tmp\"]"),
        "{text}"
    );
    assert!(text.contains("# BROKEN: leading dots never match."));
    assert_eq!(run(dir.path())["status"], "pass");
    // include_file / exclude_file with ./ never match either.
    std::fs::write(dir.path().join(".air.toml"), "[build]\n  stop_on_error = true\n  include_file = [\"./config.yaml\"]\n  exclude_file = [\"./routes.go\"]\n").unwrap();
    let c = run(dir.path());
    assert_eq!(
        problems(&c),
        vec!["include-file-never-matches", "exclude-file-never-matches"],
        "{c:#}"
    );
}

/// OwlByTech/petbuddy-core: include_ext = ["go", "mod", "sum", ".air.toml"]. air compares
/// `"." + entry` with a file's last extension (real air: neither ".air.toml" nor "air.toml"
/// rebuilds for .air.toml, "toml" does), so the advice is the last extension; and an entry
/// meant for air's own config is a note whose fix drops it (air reads its config once, at
/// start). An entry with a dot inside (`"tmpl.html"`) is a warning whose fix writes "html".
#[test]
fn an_include_ext_entry_with_a_dot_gets_its_last_extension_and_the_config_is_a_note() {
    let config = |exts: &str| {
        format!("[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n  include_ext = [{exts}]\n")
    };
    let make = |exts: &str| {
        let text = config(exts);
        repository_with(&[
            ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("app/main.go", "package main\n\nfunc main() {}\n"),
            ("app/views/page.tmpl.html", "<p>hi</p>\n"),
            ("app/.air.toml", &text),
        ])
    };
    let dir = make("\"go\", \"mod\", \".air.toml\"");
    let app = dir.path().join("app");
    let c = run(&app);
    let f = finding(&c, "dotted-extension");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("set include_ext = [\"go\", \"mod\"]"),
        "{f:#}"
    );
    let dir2 = make("\"go\", \"tmpl.html\", \".air.toml\"");
    let c = run(&dir2.path().join("app"));
    let f = finding(&c, "dotted-extension");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("\".html\"") && message.contains("air's own config"),
        "{f:#}"
    );
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("set include_ext = [\"go\", \"html\"]"),
        "{f:#}"
    );
    // Real air: which entries make a save of .air.toml or page.tmpl.html rebuild.
    let configs = tempfile::tempdir().unwrap();
    let events = vec![
        app.join(".air.toml").to_string_lossy().into_owned(),
        app.join("views/page.tmpl.html")
            .to_string_lossy()
            .into_owned(),
    ];
    let jobs: Vec<oracle::Job> = [
        "\".air.toml\"",
        "\"air.toml\"",
        "\"toml\"",
        "\"tmpl.html\"",
        "\"html\"",
    ]
    .iter()
    .enumerate()
    .map(|(i, exts)| {
        let file = configs.path().join(format!("{i}.toml"));
        std::fs::write(&file, config(&format!("\"go\", {exts}"))).unwrap();
        oracle::Job {
            dir: app.to_string_lossy().into_owned(),
            config: Some(file.to_string_lossy().into_owned()),
            events: events.clone(),
        }
    })
    .collect();
    let triggers: Vec<Vec<bool>> = oracle::ask(&jobs)
        .iter()
        .map(|a| {
            a["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["trigger"].as_bool().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        triggers,
        vec![
            vec![false, false],
            vec![false, false],
            vec![true, false],
            vec![false, false],
            vec![false, true]
        ]
    );
}

/// tama-jp/rss: exclude_dir "pkg" beside exclude_file "./pkg/wire/wire_gen.go". The "./"
/// entry never matches, but air never watches pkg/ (real air: no watch under it, no rebuild
/// for the file), so "air still reacts to it" is false: a dead entry, a note. A "./" entry
/// for a file in a watched folder still makes air react (real air rebuilds): a warning.
#[test]
fn an_exclude_file_entry_in_a_folder_air_never_watches_is_a_dead_entry() {
    let config = |exclude_file: &str| {
        format!("[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n  exclude_dir = [\"tmp\", \"pkg\"]\n  exclude_file = [{exclude_file}]\n")
    };
    let make = |exclude_file: &str| {
        let text = config(exclude_file);
        repository_with(&[
            ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("app/main.go", "package main\n\nfunc main() {}\n"),
            ("app/routes_gen.go", "package main\n"),
            ("app/pkg/wire/wire_gen.go", "package wire\n"),
            ("app/.air.toml", &text),
        ])
    };
    let dir = make("\"./pkg/wire/wire_gen.go\"");
    let app = dir.path().join("app");
    let c = run(&app);
    let f = finding(&c, "exclude-file-never-matches");
    assert_eq!(f["severity"], "info", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("dead entry")
            && !message.contains("still reacts")
            && !message.contains("write"),
        "{f:#}"
    );
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("set exclude_file = []"),
        "{f:#}"
    );
    let dir2 = make("\"./routes_gen.go\"");
    let app2 = dir2.path().join("app");
    let c = run(&app2);
    let f = finding(&c, "exclude-file-never-matches");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("still reacts"),
        "{f:#}"
    );
    let answers = oracle::ask(&[
        oracle::Job {
            dir: app.to_string_lossy().into_owned(),
            config: None,
            events: vec![app
                .join("pkg/wire/wire_gen.go")
                .to_string_lossy()
                .into_owned()],
        },
        oracle::Job {
            dir: app2.to_string_lossy().into_owned(),
            config: None,
            events: vec![app2.join("routes_gen.go").to_string_lossy().into_owned()],
        },
    ]);
    assert!(
        answers[0]["watched"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| !w.as_str().unwrap().contains("pkg")),
        "{:#}",
        answers[0]
    );
    // The unwatched file: no watch under pkg/, so air never gets its event. The watched one:
    // air's filters let it through.
    assert_eq!(answers[1]["events"][0]["trigger"], true, "{:#}", answers[1]);
}

/// AchoVasilev/dviji-se: `include_file = ["./cmd/main.go"]` beside include_ext = ["go"]. The
/// entry never matches (air compares the clean root-relative path), but air takes a file whose
/// extension is in include_ext OR that include_file names (v1.67.4 engine.go), so a save of
/// cmd/main.go rebuilds anyway: a redundant entry (info), not "edits never rebuild". The same
/// entry for a file include_ext leaves out (config.yaml) still warns. Real air's filters agree.
#[test]
fn an_include_file_entry_for_a_file_include_ext_already_takes_is_redundant() {
    let make = |include_file: &str| {
        project_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("cmd/main.go", "package main\n\nfunc main() {}\n"),
            ("config.yaml", "a: 1\n"),
            (
                ".air.toml",
                &format!("[build]\n  cmd = \"go build -o ./tmp/main ./cmd\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  include_ext = [\"go\"]\n  include_file = [{include_file}]\n"),
            ),
        ])
    };
    let dir = make("\"./cmd/main.go\"");
    let c = run(dir.path());
    let f = finding(&c, "include-file-never-matches");
    assert_at(f, "info", 6);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("redundant")
            && message.contains("cmd/main.go anyway")
            && message.contains("write \"cmd/main.go\"")
            && !message.contains("never rebuild"),
        "{f:#}"
    );
    let dir2 = make("\"./config.yaml\"");
    let c = run(dir2.path());
    let f = finding(&c, "include-file-never-matches");
    assert_at(f, "warn", 6);
    assert!(
        f["message"].as_str().unwrap().contains("never rebuild"),
        "{f:#}"
    );
    let answers = oracle::ask(&[
        oracle::Job {
            dir: dir.path().to_string_lossy().into_owned(),
            config: None,
            events: vec![dir
                .path()
                .join("cmd/main.go")
                .to_string_lossy()
                .into_owned()],
        },
        oracle::Job {
            dir: dir2.path().to_string_lossy().into_owned(),
            config: None,
            events: vec![dir2
                .path()
                .join("config.yaml")
                .to_string_lossy()
                .into_owned()],
        },
    ]);
    assert_eq!(answers[0]["events"][0]["trigger"], true, "{:#}", answers[0]);
    assert_eq!(
        answers[1]["events"][0]["trigger"], false,
        "{:#}",
        answers[1]
    );
}

/// Real air v1.67.4 started in `dir`, then `file` saved once air runs the app: how many
/// builds air started (1 = the save never rebuilt), and what it printed.
fn air_builds_after_saving(dir: &Path, file: &str) -> (usize, String) {
    air_with_builds_after_saving(dir, &[], file)
}

/// [`air_builds_after_saving`] with `args` for air (`-c FILE`); `file` is relative to `dir`.
fn air_with_builds_after_saving(dir: &Path, args: &[&str], file: &str) -> (usize, String) {
    let log = dir.join("air.out");
    let both = std::fs::File::create(&log).unwrap();
    let mut air = std::process::Command::new(oracle::air())
        .args(args)
        .current_dir(dir)
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .spawn()
        .unwrap();
    let text = || std::fs::read_to_string(&log).unwrap_or_default();
    let start = std::time::Instant::now();
    while !text().contains("running...") && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let saved = dir.join(file);
    let old = std::fs::read_to_string(&saved).unwrap_or_default();
    std::fs::write(&saved, format!("{old}\n")).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    let text = text();
    (text.matches("building...").count(), text)
}

/// txn2/mcp-data-platform: exclude_dir lists "dev" and include_file = ["dev/platform.yaml"]
/// (the config the app reads). air's walk skips an excluded folder before it looks at any
/// file in it (v1.67.4 engine.go `watching`), so the file gets no watch: real air never
/// rebuilds when it is saved. A warning names the file and the excluding entry; the same
/// config without "dev" in exclude_dir has no such finding, and real air rebuilds.
#[test]
fn an_include_file_in_an_excluded_folder_is_never_watched() {
    if !which_go() {
        return;
    }
    let make = |exclude_dir: &str| {
        repository_with(&[
            ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
            (
                "app/cmd/app/main.go",
                "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n",
            ),
            ("app/dev/platform.yaml", "a: 1\n"),
            (
                "app/.air.toml",
                &format!("root = \".\"\ntmp_dir = \"build/air\"\n\n[build]\n  cmd = \"go build -o ./build/air/app ./cmd/app\"\n  entrypoint = [\"./build/air/app\"]\n  args_bin = [\"--config\", \"dev/platform.yaml\"]\n  exclude_dir = [{exclude_dir}]\n  include_ext = [\"go\"]\n  include_file = [\"dev/platform.yaml\"]\n  stop_on_error = true\n"),
            ),
        ])
    };
    // In a folder of its own: air skips a hidden root (the temp folder's ".tmpXXXX") whole.
    let repo = make("\"build\", \"dev\", \"docs\"");
    let dir = repo.path().join("app");
    let c = run(&dir);
    let f = finding(&c, "include-file-unwatched");
    assert_at(f, "warn", 10);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("\"dev/platform.yaml\" is in dev/")
            && message.contains("exclude_dir entry \"dev\""),
        "{f:#}"
    );
    let repo2 = make("\"build\", \"docs\"");
    let watched = repo2.path().join("app");
    let c2 = run(&watched);
    assert!(
        !problems(&c2).contains(&"include-file-unwatched".to_string()),
        "{c2:#}"
    );
    let (builds, log) = air_builds_after_saving(&dir, "dev/platform.yaml");
    assert_eq!(
        builds, 1,
        "air rebuilt for a file in an excluded folder: {log}"
    );
    let (builds, log) = air_builds_after_saving(&watched, "dev/platform.yaml");
    assert_eq!(
        builds, 2,
        "air did not rebuild for a watched include_file: {log}"
    );
}

/// An unknown key is harmless when what it asks for is what air does anyway. Bioinfohzq/
/// personal-agents: `[build.stats] enable = false` only turns off something air does not have.
/// DeLsonJabberwo/trevecca-pedia: `[watch] paths = ["./templates"]` names a folder air
/// watches already (under root, not excluded, its .templ files in include_ext): a note. The
/// same table where air would miss the files (include_ext without templ, or an excluded
/// folder), or a table that turns something on, keeps the warning. Real air's filters agree
/// on whether a save under templates/ rebuilds.
#[test]
fn an_unknown_key_asking_for_what_air_does_anyway_is_a_note() {
    let make = |include_ext: &str, extra: &str| {
        project_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("templates/pages/home.templ", "package pages\n"),
            (
                ".air.toml",
                &format!("[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  include_ext = [{include_ext}]\n  exclude_dir = [\"tmp\"]\n\n{extra}"),
            ),
        ])
    };
    let unknown = |c: &Value| -> Value {
        let hits: Vec<&Value> = findings(c)
            .iter()
            .filter(|f| {
                f["message"]
                    .as_str()
                    .unwrap()
                    .contains("is not an air setting")
            })
            .collect();
        assert_eq!(hits.len(), 1, "{c:#}");
        hits[0].clone()
    };
    let both = "\"go\", \"templ\"";
    for (include_ext, extra, severity, said) in [
        (
            both,
            "[build.stats]\n  enable = false\n",
            "info",
            "only turns something off",
        ),
        (
            both,
            "[build.stats]\n  enable = true\n",
            "warn",
            "ignores it silently",
        ),
        (
            both,
            "[watch]\n  paths = [\"./templates\"]\n",
            "info",
            "air watches already",
        ),
        (
            "\"go\"",
            "[watch]\n  paths = [\"./templates\"]\n",
            "warn",
            "ignores it silently",
        ),
        (
            both,
            "[watch]\n  paths = [\"./tmp\", \"./templates\"]\n",
            "warn",
            "ignores it silently",
        ),
    ] {
        let dir = make(include_ext, extra);
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        let f = unknown(&run(dir.path()));
        assert_at(&f, severity, 8);
        assert!(
            f["message"].as_str().unwrap().contains(said),
            "{extra}: {f:#}"
        );
    }
    let watched = make(both, "[watch]\n  paths = [\"./templates\"]\n");
    let missed = make("\"go\"", "[watch]\n  paths = [\"./templates\"]\n");
    let save = |d: &tempfile::TempDir| oracle::Job {
        dir: d.path().to_string_lossy().into_owned(),
        config: None,
        events: vec![d
            .path()
            .join("templates/pages/home.templ")
            .to_string_lossy()
            .into_owned()],
    };
    let answers = oracle::ask(&[save(&watched), save(&missed)]);
    assert_eq!(answers[0]["events"][0]["trigger"], true, "{:#}", answers[0]);
    assert_eq!(
        answers[1]["events"][0]["trigger"], false,
        "{:#}",
        answers[1]
    );
}

/// goamaral/war-of-faith: air runs in dev/ with root = "../" and exclude_dir = ["./tmp",
/// "../frontend"]. air compares each folder's clean path from root ("frontend"), which never
/// starts with "../": real air watches frontend/ and everything under it (node_modules after
/// `pnpm i`). A warning naming the entry, with "frontend" as the fix; real air with the fixed
/// entry watches nothing there. An entry leaving root altogether changes nothing: not named.
#[test]
fn an_exclude_dir_entry_with_dot_dot_never_matches_and_gets_its_path_from_root() {
    let config = |exclude: &str| {
        format!("root = \"../\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main ../cmd/http/main.go\"\n  entrypoint = [\"./tmp/main\"]\n  exclude_dir = [{exclude}]\n")
    };
    let text = config("\"./tmp\", \"../frontend\", \"../../elsewhere\"");
    let dir = repository_with(&[
        ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("app/cmd/http/main.go", "package main\n\nfunc main() {}\n"),
        (
            "app/frontend/node_modules/left-pad/index.js",
            "module.exports = 1\n",
        ),
        ("app/frontend/src/app.ts", "export {}\n"),
        ("app/dev/.air.toml", &text),
    ]);
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let dev = dir.path().join("app/dev");
    let c = run(&dev);
    let f = finding(&c, "exclude-dir-never-matches");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(
        f["evidence"]["entries"],
        serde_json::json!(["../frontend"]),
        "{f:#}"
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("write \"frontend\""),
        "{f:#}"
    );
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("set exclude_dir = [\"tmp\", \"frontend\", \"../../elsewhere\"]"),
        "{f:#}"
    );
    // An absolute path never matches either; inside root, the fix writes it from root.
    let absolute = format!("\"{}\"", dir.path().join("app/frontend").display());
    std::fs::write(dev.join(".air.toml"), config(&absolute)).unwrap();
    let a = run(&dev);
    let f = finding(&a, "exclude-dir-never-matches");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("set exclude_dir = [\"frontend\"]"),
        "{f:#}"
    );
    std::fs::write(dev.join(".air.toml"), &text).unwrap();
    let fixed = dir.path().join("fixed.toml");
    std::fs::write(&fixed, config("\"tmp\", \"frontend\"")).unwrap();
    let answers = oracle::ask(&[
        oracle::Job {
            dir: dev.to_string_lossy().into_owned(),
            config: Some(dev.join(".air.toml").to_string_lossy().into_owned()),
            events: vec![],
        },
        oracle::Job {
            dir: dev.to_string_lossy().into_owned(),
            config: Some(fixed.to_string_lossy().into_owned()),
            events: vec![],
        },
    ]);
    let under_frontend = |a: &Value| {
        a["watched"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w.as_str().unwrap().contains("frontend"))
            .count()
    };
    assert!(answers[0]["error"].is_null(), "{:#}", answers[0]);
    assert!(under_frontend(&answers[0]) >= 4, "{:#}", answers[0]);
    assert_eq!(under_frontend(&answers[1]), 0, "{:#}", answers[1]);
}

#[test]
fn an_integer_kill_delay_under_100_is_milliseconds() {
    let dir = copy_fixture("air-bin-args");
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  stop_on_error = true\n  send_interrupt = true\n  kill_delay = 5\n",
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "kill-delay-too-short");
    assert_at(f, "warn", 4);
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("kill_delay = \"5s\""));
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  stop_on_error = true\n  send_interrupt = true\n  kill_delay = 500\n",
    )
    .unwrap();
    assert_eq!(
        run(dir.path())["status"],
        "pass",
        "500 ms is a deliberate choice"
    );
}

/// halkt/goSimpleApi (hold-out 17): `send_interrupt = true` and `kill_delay = 10` (10 ms)
/// in an app that installs no signal handler (a bare `ListenAndServe`). Real go: SIGINT ends
/// that app at once (killed by the signal, well within the 10 ms nothing would wait for),
/// so the short delay never matters: a note. The same delay where main imports a package
/// that catches SIGINT and shuts down stays a warning.
#[test]
fn a_short_kill_delay_warns_only_when_the_app_catches_the_signal() {
    if !which_go() {
        return;
    }
    let config = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  send_interrupt = true\n  kill_delay = 10\n";
    let main =
        "package main\n\nimport \"example.com/app/server\"\n\nfunc main() { server.Run() }\n";
    let plain = "package server\n\nimport \"net/http\"\n\nfunc Run() { http.ListenAndServe(\"127.0.0.1:0\", nil) }\n";
    let graceful = "package server\n\nimport (\n\t\"context\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/signal\"\n\t\"syscall\"\n)\n\nfunc Run() {\n\tsrv := &http.Server{Addr: \"127.0.0.1:0\"}\n\tgo srv.ListenAndServe()\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt, syscall.SIGTERM)\n\t<-c\n\tsrv.Shutdown(context.Background())\n}\n";
    for (server, severity) in [(plain, "info"), (graceful, "warn")] {
        let dir = repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", main),
            ("server/server.go", server),
            (".air.toml", config),
        ]);
        let c = run(dir.path());
        let f = finding(&c, "kill-delay-too-short");
        assert_at(f, severity, 6);
        assert_eq!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("catches neither SIGINT nor SIGTERM"),
            severity == "info",
            "{f:#}"
        );
        if severity == "info" {
            // Real go: the plain app dies of SIGINT itself, at once.
            let built = std::process::Command::new("go")
                .args(["build", "-o", "tmp/main", "."])
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(built.status.success(), "{built:?}");
            // SIGINT as a terminal delivers it: a shell's background job (`cmd &`, nohup)
            // starts with SIGINT ignored, which Go keeps; the app gets the default back.
            use std::os::unix::process::CommandExt;
            let mut app = std::process::Command::new(dir.path().join("tmp/main"));
            unsafe {
                app.pre_exec(|| {
                    nix::sys::signal::signal(
                        nix::sys::signal::Signal::SIGINT,
                        nix::sys::signal::SigHandler::SigDfl,
                    )
                    .map(|_| ())
                    .map_err(Into::into)
                });
            }
            let mut app = app.spawn().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(300));
            let sent = std::time::Instant::now();
            std::process::Command::new("kill")
                .args(["-INT", &app.id().to_string()])
                .status()
                .unwrap();
            // Never hang the suite: a still-running app after 10 s is killed and fails below.
            let status = loop {
                if let Some(status) = app.try_wait().unwrap() {
                    break status;
                }
                if sent.elapsed() > std::time::Duration::from_secs(10) {
                    let _ = app.kill();
                    break app.wait().unwrap();
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            };
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(2), "{status:?}");
            assert!(
                sent.elapsed() < std::time::Duration::from_millis(500),
                "{:?}",
                sent.elapsed()
            );
        }
    }
}

/// renancorreadev/besuscan, mafi020/ecom-golang-micro (hold-out 17): tables air does not
/// have whose only loss is cosmetic or needs a mount that drops events: `[output] log =
/// "log.txt"` (a log file), `[watcher] poll = true` (polling, with air run on this machine, on a disk that delivers
/// inotify events: real air sees the save without it), and `clean_on_exit = true` in
/// [build] (only tmp_dir's removal when air exits). Each a note saying why; a misplaced
/// key that changes the build (`[watcher] stop_on_error = true`) stays a warning.
#[test]
fn unknown_tables_whose_loss_is_cosmetic_are_notes() {
    let repo = project_with(&[
        ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
        (
            "app/main.go",
            "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n",
        ),
        (
            "app/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n  stop_on_error = true\n  delay = 100\n  clean_on_exit = true\n\n[output]\n  log = \"log.txt\"\n\n[watcher]\n  poll = true\n  poll_interval = 500\n",
        ),
    ]);
    let dir = repo.path().join("app");
    let c = run(&dir);
    let at = |line: u64| -> &Value {
        findings(&c)
            .iter()
            .find(|f| f["evidence"]["line"] == line)
            .unwrap_or_else(|| panic!("no finding at line {line}: {c:#}"))
    };
    for (line, why) in [
        (6, "only make air delete tmp_dir"),
        (8, "asks only for a log file"),
        (11, "delivers them"),
    ] {
        let f = at(line);
        assert_eq!(f["severity"], "info", "{f:#}");
        assert!(f["message"].as_str().unwrap().contains(why), "{f:#}");
    }
    // Real air with that config: a save is seen without polling.
    if which_go() {
        let (builds, log) = air_builds_after_saving(&dir, "main.go");
        assert_eq!(builds, 2, "{log}");
    }
    // Lost settings that change what air does stay a warning.
    std::fs::write(
        dir.join(".air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n\n[watcher]\n  stop_on_error = true\n",
    )
    .unwrap();
    let c = run(&dir);
    let f = findings(&c)
        .iter()
        .find(|f| f["evidence"]["line"] == 5)
        .unwrap_or_else(|| panic!("{c:#}"));
    assert_eq!(f["severity"], "warn", "{f:#}");
}

/// A real Go binary named `air` whose build info says `module` at `version` (go stamps the
/// version from the git tag it is built at), in its own bin folder.
fn stamped_air(module: &str, version: &str) -> Option<tempfile::TempDir> {
    let src = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    std::fs::write(
        src.path().join("go.mod"),
        format!("module {module}\n\ngo 1.25\n"),
    )
    .unwrap();
    std::fs::write(
        src.path().join("main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    let sh = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .current_dir(src.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .env("GOFLAGS", "-buildvcs=true")
            .env("GOTOOLCHAIN", "local")
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    sh("git", &["init", "-q"])?;
    sh("git", &["add", "."])?;
    sh("git", &["commit", "-qm", "x"])?;
    sh("git", &["tag", version])?;
    let out = bin.path().join("air");
    sh("go", &["build", "-o", out.to_str().unwrap(), "."])?;
    let info = sh("go", &["version", "-m", out.to_str().unwrap()])?;
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(info.contains(version), "go did not stamp {version}: {info}");
    Some(bin)
}

#[test]
fn the_installed_air_is_judged_against_the_project() {
    if !which_go() {
        return;
    }
    let Some(bin) = stamped_air("github.com/cosmtrek/air", "v1.42.0") else {
        eprintln!("git or go could not build a stamped binary here");
        return;
    };
    let dir = copy_fixture("air-bin-args");
    let report = |air_bin: &Path| {
        let path = format!("{}:{}", air_bin.display(), std::env::var("PATH").unwrap());
        let o = std::process::Command::new(common::bin())
            .args([
                "--json",
                "--only",
                "reloader-config",
                "--project",
                dir.path().to_str().unwrap(),
            ])
            .env("PATH", path)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&o.stdout).unwrap();
        common::schema::assert_report(&report);
        check(&report, "reloader-config").clone()
    };
    let c = report(bin.path());
    // air v1.42 did not quote bin: the arguments still work there, with a warning.
    assert_eq!(
        finding(&c, "bin-with-arguments")["severity"],
        "warn",
        "{c:#}"
    );
    assert_eq!(finding(&c, "air-overlapping-builds")["severity"], "warn");
    let port = finding(&c, "air-port-not-freed");
    assert!(
        port["message"]
            .as_str()
            .unwrap()
            .contains("go install github.com/air-verse/air@latest"),
        "{port}"
    );
    // poll = true, which v1.42 does not know.
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  stop_on_error = true\n  poll = true\n",
    )
    .unwrap();
    assert_at(finding(&report(bin.path()), "air-ignores-poll"), "fail", 3);
    // .air.conf: this old air still reads it.
    std::fs::rename(dir.path().join(".air.toml"), dir.path().join(".air.conf")).unwrap();
    let c = report(bin.path());
    let f = finding(&c, "config-not-read");
    assert_eq!(f["severity"], "info");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("v1.42.0 still reads"),
        "{f}"
    );
    std::fs::rename(dir.path().join(".air.conf"), dir.path().join(".air.toml")).unwrap();
    // A current air: nothing to say about it.
    let Some(new) = stamped_air("github.com/air-verse/air", "v1.67.4") else {
        return;
    };
    assert_eq!(report(new.path())["status"], "pass");
}

#[test]
fn a_folder_excluded_because_the_build_writes_there_is_a_warning_with_a_narrower_exclude() {
    if !which_go() {
        return;
    }
    let dir = copy_fixture("air-tailwind-loop");
    let p = dir.path();
    std::fs::write(
        p.join("web/static/embed.go"),
        "package static\n\nimport _ \"embed\"\n\n// CSS is the stylesheet tailwind writes.\n//\n//go:embed app.css\nvar CSS []byte\n",
    )
    .unwrap();
    std::fs::write(
        p.join("assets.go"),
        "package main\n\nimport \"example.com/fixtures/air-tailwind-loop/web/static\"\n\nvar _ = static.CSS\n",
    )
    .unwrap();
    let cfg = p.join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace(
            "  stop_on_error = true\n",
            "  stop_on_error = true\n  exclude_dir = [\"web/static\"]\n",
        ),
    )
    .unwrap();
    let c = run(p);
    assert_eq!(problems(&c), vec!["hides-imported-package"], "{c:#}");
    let f = finding(&c, "hides-imported-package");
    assert_eq!(f["severity"], "warn");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("exclude_file = [\"web/static/app.css\"]"),
        "{f}"
    );
    // Nothing writes there: Go that embeds the files beside it, whose saves (css, watched)
    // never rebuild, is a warning; a hand-written package is the mistake it looks like.
    std::fs::write(&cfg, "[build]\n  stop_on_error = true\n  include_ext = [\"go\", \"html\", \"css\"]\n  exclude_dir = [\"web/static\"]\n").unwrap();
    let f = finding(&run(p), "hides-imported-package").clone();
    assert_eq!(f["severity"], "warn", "{f}");
    assert!(f["message"].as_str().unwrap().contains("//go:embed"), "{f}");
    std::fs::write(
        p.join("web/static/embed.go"),
        "package static\n\n// CSS is the stylesheet.\nvar CSS = []byte(\"body{}\")\n",
    )
    .unwrap();
    assert_eq!(
        finding(&run(p), "hides-imported-package")["severity"],
        "fail"
    );
}

#[test]
fn a_watcher_in_the_build_never_ends() {
    let dir = copy_fixture("air-tailwind-loop");
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    let with = |pre: &str| {
        std::fs::write(
            &cfg,
            text.replace(
                "-o ./web/static/app.css\"]",
                &format!("-o ./web/static/app.css{pre}\"]"),
            ),
        )
        .unwrap();
        run(dir.path())
    };
    let c = with(" --watch");
    assert_at(finding(&c, "watcher-in-build"), "fail", 6);
    // Sent to the background, the build goes on (the loop is still there).
    let c = with(" --watch &");
    assert_lacks(&c, "watcher-in-build");
    // Behind make.
    std::fs::write(
        dir.path().join("Makefile"),
        "dev:\n\ttempl generate --watch --proxy=http://localhost:8080\n",
    )
    .unwrap();
    std::fs::write(
        &cfg,
        "[build]\n  pre_cmd = [\"make dev\"]\n  stop_on_error = true\n",
    )
    .unwrap();
    let c = run(dir.path());
    let f = &finding(&c, "watcher-in-build")["message"];
    assert!(f.as_str().unwrap().contains("through Makefile:2"), "{f}");
}

/// Write `text` at `rel` under `root`, making its folders.
fn write_in(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Write `files` (path, text) under a new temp folder.
fn project_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let at = dir.path().join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    }
    dir
}

/// The programs tool-not-found names.
fn missing_programs(c: &Value) -> Vec<&Value> {
    findings(c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "tool-not-found")
        .map(|f| &f["evidence"]["program"])
        .collect()
}

/// An app whose air build is `make build`, with this Makefile.
fn built_by_make(makefile: &str) -> tempfile::TempDir {
    project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("Makefile", makefile),
        (
            ".air.toml",
            "[build]\n  cmd = \"make build\"\n  bin = \"./tmp/main\"\n",
        ),
    ])
}

/// The shape of a real templ starter (DraconDev/go-templ-htmx-ex): include_dir lists cmd and
/// internal, and the main package imports four local modules under libs/ (replace => ./libs/x).
/// One finding names them all, and its fix the exact folders to add.
#[test]
fn replaced_modules_hidden_by_include_dir_are_one_finding_naming_each_folder() {
    if !which_go() {
        return;
    }
    let main = "package main\n\nimport (\n\t\"example.com/a\"\n\t\"example.com/b\"\n)\n\nfunc main() { a.Hi(); b.Hi() }\n";
    let dir = project_with(&[
        (
            "go.mod",
            "module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/a v0.0.0\n\texample.com/b v0.0.0\n)\n\nreplace example.com/a => ./libs/a\n\nreplace example.com/b => ./libs/b\n",
        ),
        ("cmd/server/main.go", main),
        ("libs/a/go.mod", "module example.com/a\n\ngo 1.21\n"),
        ("libs/a/a.go", "package a\n\nfunc Hi() {}\n"),
        ("libs/b/go.mod", "module example.com/b\n\ngo 1.21\n"),
        ("libs/b/b.go", "package b\n\nfunc Hi() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n  bin = \"./tmp/main\"\n  include_dir = [\"cmd\", \"internal\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let hidden: Vec<&serde_json::Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "hides-imported-package")
        .collect();
    assert_eq!(hidden.len(), 1, "{c:#}");
    assert_eq!(
        hidden[0]["evidence"]["dirs"],
        serde_json::json!(["libs/a", "libs/b"])
    );
    assert_eq!(hidden[0]["severity"], "warn");
    assert_eq!(
        hidden[0]["fix"]["summary"], "add \"libs/a\", \"libs/b\" to include_dir",
        "{c:#}"
    );
}

/// swag writes docs/ (imported by main) and it is excluded on purpose; a replaced dependency's
/// fork in `_deps` (its own go.mod) is excluded the same way. Nobody saves there by hand: a
/// warning that names what it costs, not a failure; for docs/, generated code only which
/// nothing in the build regenerates (1337yeeee/task-manager-go), a note: regenerating it by
/// hand does not rebuild, the next save does. A hand-written package stays a failure.
#[test]
fn hiding_generated_code_or_another_module_is_a_warning() {
    if !which_go() {
        return;
    }
    let main = "package main\n\nimport (\n\t_ \"example.com/app/docs\"\n\t\"example.com/fork\"\n)\n\nfunc main() { fork.Hi() }\n";
    let dir = project_with(&[
        (
            "go.mod",
            "module example.com/app\n\ngo 1.21\n\nrequire example.com/fork v0.0.0\n\nreplace example.com/fork => ./_deps/fork\n",
        ),
        ("cmd/server/main.go", main),
        (
            "docs/docs.go",
            "// Package docs Code generated by swaggo/swag. DO NOT EDIT\npackage docs\n\nvar Doc = \"{}\"\n",
        ),
        ("_deps/fork/go.mod", "module example.com/fork\n\ngo 1.21\n"),
        ("_deps/fork/fork.go", "package fork\n\nfunc Hi() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n  bin = \"./tmp/main\"\n  exclude_dir = [\"tmp\", \"docs\", \"_deps\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    assert_eq!(c["status"], "warn", "{c:#}");
    let hidden: Vec<(&str, String)> = findings(&c)
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap(),
                f["evidence"]["dirs"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        hidden,
        vec![
            ("warn", r#"["_deps/fork"]"#.to_string()),
            ("info", r#"["docs"]"#.to_string())
        ],
        "{c:#}"
    );
    let text = c.to_string();
    assert!(
        text.contains("generated code") && text.contains("pre_cmd"),
        "{c:#}"
    );
    assert!(text.contains("the module at _deps/fork/"), "{c:#}");

    // The same folder written by hand hides real edits.
    std::fs::write(
        dir.path().join("docs/docs.go"),
        "// Package docs holds the API description.\npackage docs\n\nvar Doc = \"{}\"\n",
    )
    .unwrap();
    let c = run(dir.path());
    assert_eq!(c["status"], "fail", "{c:#}");
    let failing: Vec<String> = findings(&c)
        .iter()
        .filter(|f| f["severity"] == "fail")
        .map(|f| f["evidence"]["dirs"].to_string())
        .collect();
    assert_eq!(failing, vec![r#"["docs"]"#.to_string()], "{c:#}");

    // Older swag (bytebase/bytebase's docs/openapi) wrote "GENERATED BY SWAG; DO NOT EDIT".
    std::fs::write(
        dir.path().join("docs/docs.go"),
        "// Package docs GENERATED BY SWAG; DO NOT EDIT\n// This file was generated by swaggo/swag\npackage docs\n\nvar Doc = \"{}\"\n",
    )
    .unwrap();
    let c = run(dir.path());
    assert_eq!(c["status"], "warn", "{c:#}");
}

/// tama-jp/rss: cmd = "wire ./pkg/wire/wire.go && go build ...", so wire writes
/// pkg/wire/wire_gen.go ("Code generated by Wire. DO NOT EDIT.") on every build, beside the
/// hand-written injector wire.go. Excluding "pkg" hides pkg/app too: that fail says what is
/// lost, and no "regenerate in pre_cmd" warning about pkg/wire is added. Excluding
/// "pkg/wire" alone loses saves of wire.go only (real air: no rebuild for it; with
/// exclude_file = ["pkg/wire/wire_gen.go"] instead, wire.go rebuilds and wire's own write
/// does not): a warning naming wire.go with that exclude_file. A folder of sqlc's code
/// only, with sqlc in pre_cmd, is nothing to say; mockgen's in cmd likewise.
#[test]
fn generated_code_the_build_writes_again_is_left_out_on_purpose() {
    if !which_go() {
        return;
    }
    let config = |pre: &str, cmd: &str, exclude: &str| {
        format!("[build]\n  pre_cmd = [{pre}]\n  cmd = \"{cmd}go build -o ./tmp/main ./cmd/app\"\n  entrypoint = [\"./tmp/main\"]\n  stop_on_error = true\n  exclude_dir = [\"tmp\", {exclude}]\n")
    };
    let dir = repository_with(&[
        ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
        (
            "app/cmd/app/main.go",
            "package main\n\nimport (\n\t\"example.com/app/pkg/wire\"\n\t_ \"example.com/app/internal/db\"\n\t_ \"example.com/app/internal/mocks\"\n)\n\nfunc main() { wire.Init() }\n",
        ),
        ("app/pkg/app/app.go", "package app\n\nfunc New() int { return 1 }\n"),
        (
            "app/pkg/wire/wire.go",
            "//go:build wireinject\n// +build wireinject\n\npackage wire\n\nfunc Init() int { panic(\"wire\") }\n",
        ),
        (
            "app/pkg/wire/wire_gen.go",
            "// Code generated by Wire. DO NOT EDIT.\n\n//go:build !wireinject\n// +build !wireinject\n\npackage wire\n\nimport \"example.com/app/pkg/app\"\n\nfunc Init() int { return app.New() }\n",
        ),
        ("app/internal/db/query.sql.go", "// Code generated by sqlc. DO NOT EDIT.\n\npackage db\n"),
        ("app/internal/mocks/store.go", "// Code generated by MockGen. DO NOT EDIT.\n\npackage mocks\n"),
    ]);
    let app = dir.path().join("app");
    let cfg = app.join(".air.toml");
    let hidden = |c: &Value| -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "hides-imported-package")
            .flat_map(|f| {
                f["evidence"]["dirs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| {
                        (
                            d.as_str().unwrap().to_string(),
                            f["severity"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        found.sort();
        found
    };
    let wire = "wire ./pkg/wire/wire.go && ";
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(d, s)| (d.to_string(), s.to_string()))
            .collect()
    };
    std::fs::write(&cfg, config("", wire, "\"pkg\"")).unwrap();
    let c = run(&app);
    assert_eq!(hidden(&c), pairs(&[("pkg/app", "fail")]), "{c:#}");

    std::fs::write(&cfg, config("", wire, "\"pkg/wire\"")).unwrap();
    let c = run(&app);
    assert_eq!(hidden(&c), pairs(&[("pkg/wire", "warn")]), "{c:#}");
    let f = finding(&c, "hides-imported-package");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("pkg/wire/wire.go")
            && message.contains("exclude_file = [\"pkg/wire/wire_gen.go\"]")
            && !message.contains("pre_cmd"),
        "{f:#}"
    );

    std::fs::write(
        &cfg,
        config(
            "\"sqlc generate\"",
            "mockgen -source=store.go -destination=internal/mocks/store.go && ",
            "\"internal/db\", \"internal/mocks\"",
        ),
    )
    .unwrap();
    assert_eq!(hidden(&run(&app)), pairs(&[]));
    // Without the generators, those folders are regenerated by hand: notes.
    std::fs::write(&cfg, config("", "", "\"internal/db\", \"internal/mocks\"")).unwrap();
    assert_eq!(
        hidden(&run(&app)),
        pairs(&[("internal/db", "info"), ("internal/mocks", "info")])
    );

    // Real air: which of wire.go and wire_gen.go rebuild, each way of leaving wire's output out.
    let events = vec![
        app.join("pkg/wire/wire.go").to_string_lossy().into_owned(),
        app.join("pkg/wire/wire_gen.go")
            .to_string_lossy()
            .into_owned(),
    ];
    let configs = tempfile::tempdir().unwrap();
    let jobs: Vec<oracle::Job> = [
        "[build]\n  exclude_dir = [\"tmp\", \"pkg/wire\"]\n",
        "[build]\n  exclude_file = [\"pkg/wire/wire_gen.go\"]\n",
    ]
    .iter()
    .enumerate()
    .map(|(i, text)| {
        let file = configs.path().join(format!("{i}.toml"));
        std::fs::write(&file, text).unwrap();
        oracle::Job {
            dir: app.to_string_lossy().into_owned(),
            config: Some(file.to_string_lossy().into_owned()),
            events: events.clone(),
        }
    })
    .collect();
    let answers = oracle::ask(&jobs);
    let watched = |a: &Value| {
        a["watched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().ends_with("pkg/wire"))
    };
    let triggers = |a: &Value| -> Vec<bool> {
        a["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["trigger"].as_bool().unwrap())
            .collect()
    };
    assert!(!watched(&answers[0]), "{:#}", answers[0]);
    assert!(watched(&answers[1]), "{:#}", answers[1]);
    assert_eq!(triggers(&answers[1]), vec![true, false], "{:#}", answers[1]);
}

/// `bin = "./tmp/main "` (manavore/grimoire): air v1.67.4 runs `".../tmp/main "` and the shell
/// answers `not found` (exit 127); the fix trims the value.
#[test]
fn a_space_around_bin_fails_with_a_fix_that_trims_it() {
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("cmd/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n  bin = \"./tmp/main \"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "bin-with-space");
    assert_at(f, "fail", 3);
    let new = f["fix"]["action"]["contents"].as_str().unwrap();
    assert!(new.contains("bin = \"./tmp/main\"\n"), "{new}");
    std::fs::write(dir.path().join(".air.toml"), new).unwrap();
    assert_eq!(run(dir.path())["status"], "pass");
}

/// `cd backend && air` with `root = "../"` (1704mori/certguardian): air makes bin absolute
/// from the folder it runs in (`filepath.Abs`, v1.67.4 `preprocess`), as go does with `-o`,
/// so `./tmp/main` names backend/tmp/main for both: no mismatch (this was reported as one).
/// Pointing bin at `./backend/tmp/main` (what "relative to root" would need) is the mismatch.
#[test]
fn a_root_above_the_project_leaves_bin_where_the_build_writes_it() {
    let dir = project_with(&[
        ("backend/go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("backend/main.go", "package main\n\nfunc main() {}\n"),
        ("frontend/index.html", "<p>hi</p>\n"),
        ("Makefile", "dev:\n\tcd backend && air\n"),
        (
            "backend/.air.toml",
            "root = \"../\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  include_dir = [\"frontend\", \"backend\"]\n  stop_on_error = true\n",
        ),
    ]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for at in ["backend", "."] {
        let c = run(&dir.path().join(at));
        assert!(
            !problems(&c).contains(&"binary-mismatch".to_string())
                && !problems(&c).contains(&"root-outside-project".to_string()),
            "from {at}: {c:#}"
        );
    }
    let cfg = dir.path().join("backend/.air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("bin = \"./tmp/main\"", "bin = \"./backend/tmp/main\""),
    )
    .unwrap();
    let c = run(&dir.path().join("backend"));
    let f = finding(&c, "binary-mismatch");
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("the Makefile's `dev` target"),
        "{f:#}"
    );
}

/// A go.work workspace (0xsj/fn-go): services/user-service has its own .air.toml and imports
/// the workspace's pkg module; air watches only services/user-service, so editing pkg/ never
/// rebuilds. A module without go.work or local replace gets no such finding.
#[test]
fn a_go_work_neighbour_outside_air_root_is_named() {
    if !which_go() {
        return;
    }
    let dir = project_with(&[
        ("go.work", "go 1.21\n\nuse (\n\t./pkg\n\t./services/user\n)\n"),
        ("pkg/go.mod", "module example.com/pkg\n\ngo 1.21\n"),
        ("pkg/db/db.go", "package db\n\nfunc Open() {}\n"),
        ("services/user/go.mod", "module example.com/user\n\ngo 1.21\n"),
        (
            "services/user/cmd/server/main.go",
            "package main\n\nimport \"example.com/pkg/db\"\n\nfunc main() { db.Open() }\n",
        ),
        (
            "services/user/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("services/user"));
    let f = finding(&c, "imports-outside-root");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(f["evidence"]["dirs"], serde_json::json!(["../../pkg/db"]));
    // Without the workspace the import does not resolve to a local folder: nothing to say.
    std::fs::remove_file(dir.path().join("go.work")).unwrap();
    let c = run(&dir.path().join("services/user"));
    assert_lacks(&c, "imports-outside-root");
}

/// A config in cmd/api with root = "." and `go build .` (hayashiki/go-boiler, and 13 more
/// of the 288-repository corpus): air runs there and watches only cmd/api, but main imports
/// the module's own packages above it, so saving them never rebuilds (the air oracle's walk
/// and filter, checked by bench/air-corpus-claims.py). Named, with the root that covers them.
#[test]
fn own_module_packages_above_air_root_are_named() {
    if !which_go() {
        return;
    }
    let dir = project_with(&[
        ("go.mod", "module example.com/boiler\n\ngo 1.21\n"),
        ("logger.go", "package boiler\n\nfunc Log() {}\n"),
        ("internal/env/env.go", "package env\n\nfunc Get() {}\n"),
        (
            "cmd/api/main.go",
            "package main\n\nimport (\n\t\"example.com/boiler\"\n\t\"example.com/boiler/internal/env\"\n)\n\nfunc main() { boiler.Log(); env.Get() }\n",
        ),
        (
            "cmd/api/.air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("cmd/api"));
    let f = finding(&c, "imports-outside-root");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(
        f["evidence"]["dirs"],
        serde_json::json!(["../..", "../../internal/env"])
    );
    // What air's own walk and filter say (the oracle, started where the config is).
    assert_eq!(
        f["evidence"]["claim"], "save-does-not-rebuild ../../",
        "{f:#}"
    );
    let api = dir.path().join("cmd/api");
    let answer = &oracle::ask(&[oracle::Job {
        dir: api.to_string_lossy().into_owned(),
        config: None,
        events: vec![dir.path().join("logger.go").to_string_lossy().into_owned()],
    }])[0];
    let watched = answer["watched"].as_array().unwrap();
    assert!(
        !watched.iter().any(|w| w == dir.path().to_str().unwrap()),
        "{answer:#}"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("from its own module") && message.contains("set root = \"../..\""),
        "{f:#}"
    );
    // An include_dir outside root is walked too (SriragHariharan/go-tasks): only the module
    // root's own files are left.
    std::fs::write(
        dir.path().join("cmd/api/.air.toml"),
        "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  include_dir = [\".\", \"../../internal\"]\n",
    )
    .unwrap();
    let c = run(&dir.path().join("cmd/api"));
    let f = finding(&c, "imports-outside-root");
    assert_eq!(f["evidence"]["dirs"], serde_json::json!(["../.."]), "{f:#}");
    // With root at the module's folder, air watches them: nothing to say.
    std::fs::write(
        dir.path().join("cmd/api/.air.toml"),
        "root = \"../..\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
    )
    .unwrap();
    let c = run(&dir.path().join("cmd/api"));
    assert_lacks(&c, "imports-outside-root");
}

/// Issue 22, hold-out 9 (NeptuneG/go-back cmd/auth, cmd/live): main imports only buf's
/// generated api/proto/auth from outside air's root. Nobody saves generated code by hand: the
/// same note as for such a folder left out by exclude_dir (info, its wording). A hand-written
/// package outside root beside it stays a warning. Real `go list` says what main imports.
#[test]
fn own_module_generated_code_above_air_root_is_a_note() {
    if !which_go() {
        return;
    }
    let pb = "// Code generated by protoc-gen-go. DO NOT EDIT.\n// source: auth.proto\n\npackage auth\n\nfunc Hello() {}\n";
    let dir = project_with(&[
        ("go.mod", "module example.com/back\n\ngo 1.21\n"),
        ("api/proto/auth/auth.pb.go", pb),
        ("internal/live/live.go", "package live\n\nfunc Run() {}\n"),
        (
            "cmd/auth/main.go",
            "package main\n\nimport \"example.com/back/api/proto/auth\"\n\nfunc main() { auth.Hello() }\n",
        ),
        (
            "cmd/auth/.air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("cmd/auth"));
    let f = finding(&c, "imports-outside-root");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(
        f["evidence"]["dirs"],
        serde_json::json!(["../../api/proto/auth"])
    );
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains(
            "generated code: \"Code generated ... DO NOT EDIT\", which nothing in the build writes"
        ),
        "{msg}"
    );
    // A hand-written package beside it: a warning.
    std::fs::write(
        dir.path().join("cmd/auth/main.go"),
        "package main\n\nimport (\n\t\"example.com/back/api/proto/auth\"\n\t\"example.com/back/internal/live\"\n)\n\nfunc main() { auth.Hello(); live.Run() }\n",
    )
    .unwrap();
    let c = run(&dir.path().join("cmd/auth"));
    let f = finding(&c, "imports-outside-root");
    assert_eq!(f["severity"], "warn", "{f:#}");
}

/// A build step whose program is not on PATH (a real templ/Taskfile starter's `pre_cmd =
/// ["task dev"]` on a machine without go-task) is named with how to install it. What it costs
/// is air's, and real air (v1.67.4, built from the module proxy) is run to show it: with
/// stop_on_error off it logs the failed pre_cmd and builds anyway; with it on, it builds nothing.
#[test]
fn a_build_step_not_on_path_is_named_and_real_air_shows_its_cost() {
    if !which_go() {
        return;
    }
    let air = oracle::air();
    for stop_on_error in [false, true] {
        let dir = project_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.21\n"),
            ("main.go", "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n"),
            (
                ".air.toml",
                &format!("[build]\n  pre_cmd = [\"rd-no-such-tool dev\"]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = {stop_on_error}\n"),
            ),
        ]);
        let c = run(dir.path());
        let f = finding(&c, "tool-not-found");
        assert_eq!(f["severity"], "warn");
        let message = f["message"].as_str().unwrap();
        assert!(
            message
                .starts_with(".air.toml:2: pre_cmd runs `rd-no-such-tool`, which is not on PATH"),
            "{message}"
        );
        let expected = match stop_on_error {
            false => "builds without it",
            true => "builds nothing",
        };
        assert!(message.contains(expected), "{message}");

        // What air does with it.
        let log = dir.path().join("air.out");
        let built = dir.path().join("tmp/main");
        let air = std::process::Command::new(air)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        // air and the app it starts (in a process group of its own) end with the test,
        // whichever way it ends.
        let _air = AirRunning(air, &built);
        let said = |what: &str| {
            std::fs::read_to_string(&log)
                .unwrap_or_default()
                .contains(what)
        };
        let start = std::time::Instant::now();
        while !said("failed to execute pre_cmd")
            && start.elapsed() < std::time::Duration::from_secs(60)
        {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(
            said("failed to execute pre_cmd"),
            "{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        while !built.exists() && start.elapsed() < std::time::Duration::from_secs(60) {
            if stop_on_error && start.elapsed() > std::time::Duration::from_secs(5) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(
            built.exists(),
            !stop_on_error,
            "stop_on_error = {stop_on_error}: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }
}

/// `cmd = "go build -o {{.Output}} {{.Input}}"` with `bin = "main"` (01-Tolibovich/go-react-todos,
/// 0xvish/go-react-app: another tool's template): air expands no templates, so the build
/// itself fails and air then starts a `main` nobody built. Real air (v1.67.4, `-c air.toml`)
/// shows both. The finding says so and what to write instead; it is no "make bin and -o the
/// same" binary-mismatch read from the template text.
#[test]
fn a_build_template_air_never_expands_is_named_and_real_air_shows_it() {
    if !which_go() {
        return;
    }
    let dir = project_with(&[
        ("go.mod", "module example.com/todos\n\ngo 1.21\n"),
        (
            "main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
        (
            "air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\nbin = \"main\"\ncmd = \"go build -o {{.Output}} {{.Input}}\"\n",
        ),
        ("Makefile", "dev:\n\tair -c air.toml\n"),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "binary-mismatch");
    let f = finding(&c, "unexpanded-template");
    assert_at(f, "fail", 6);
    let message = f["message"].as_str().unwrap();
    for said in [
        "expands no {{...}}",
        "malformed import path \"{{.Input}}\"",
        "starts main, which no build wrote",
        "cmd = \"go build -o ./tmp/main .\" and bin = \"./tmp/main\"",
    ] {
        assert!(message.contains(said), "{said}: {message}");
    }
    assert_eq!(f["evidence"]["claim"], "binary-mismatch", "{f:#}");

    // What air does with it, and with the values the finding says to write (its fix).
    let said = air_until_the_app_exits(dir.path());
    assert!(
        said.contains("malformed import path \"{{.Input}}\""),
        "{said}"
    );
    assert!(said.contains("main: not found"), "{said}");
    assert!(!said.contains("app started"), "{said}");
    let fixed = common::run(&[
        "--fix",
        "--only",
        "reloader-config",
        "--project",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(common::code(&fixed), 0, "{}", common::stdout(&fixed));
    let said = air_until_the_app_exits(dir.path());
    assert!(said.contains("app started"), "{said}");
}

/// Real air v1.67.4 run as `air -c air.toml` in `dir` until the app it starts ends: what it
/// printed, its app's output included.
fn air_until_the_app_exits(dir: &Path) -> String {
    air_with_until_the_app_exits(dir, &["-c", "air.toml"])
}

/// Real air v1.67.4 run with `args` in `dir` until the app it starts ends (or 60 s pass).
fn air_with_until_the_app_exits(dir: &Path, args: &[&str]) -> String {
    air_in_env_until_the_app_exits(dir, args, &[])
}

/// [`air_with_until_the_app_exits`] with `env` set for air (a compose service's environment).
fn air_in_env_until_the_app_exits(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let log = dir.join("air.out");
    let both = std::fs::File::create(&log).unwrap();
    let mut air = std::process::Command::new(oracle::air())
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .spawn()
        .unwrap();
    let text = || std::fs::read_to_string(&log).unwrap_or_default();
    let start = std::time::Instant::now();
    while !text().contains("Process Exit") && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    text()
}

/// A running air and the binary it runs: both stopped when dropped.
struct AirRunning<'a>(std::process::Child, &'a Path);

impl Drop for AirRunning<'_> {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::process::Command::new("pkill")
            .args(["-f", &self.1.display().to_string()])
            .status();
    }
}

/// `air -c cfg,line=1,title=x.toml` reads the file of that whole name: air takes `-c`'s value
/// with Go's flag package, commas and `=` included. The report once read `cfg` and said it did
/// not exist.
#[test]
fn a_config_name_with_commas_is_read_whole_as_air_reads_it() {
    let name = "cfg,line=1,title=x.toml";
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", ""),
        (name, "[build]\n  cmd = \"go build -o ./tmp/main .\"\n"),
        ("Makefile", &format!("dev:\n\tair -c {name}\n")),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "launch-config-missing");
    let f = finding(&c, "other-config-launched");
    assert_eq!(f["evidence"]["config"], name, "{f:#}");

    // air itself opens the whole name: a broken file of that name is what it complains about.
    if !which_go() {
        return;
    }
    std::fs::write(dir.path().join(name), "[build\n").unwrap();
    let air = |config: &str| {
        let out = std::process::Command::new(oracle::air())
            .args(["-c", config])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout)
    };
    assert!(air("cfg").contains("no such file"));
    let said = air(name);
    assert!(
        !said.contains("no such file") && said.contains("unclosed table"),
        "air did not read {name}: {said}"
    );
}

/// `--only reloader-config:ID` runs reloader-config alone and keeps that problem's findings;
/// its status follows what is kept.
#[test]
fn only_a_problem_id_runs_its_check_for_that_problem_alone() {
    let dir = fixture("air-dotted-ext");
    let (code, r) = json_report(
        &dir,
        &["--only", "reloader-config:exclude-dir-never-matches"],
    );
    let ran: Vec<&Value> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ran, ["reloader-config"]);
    let c = check(&r, "reloader-config");
    assert_eq!(problems(c), ["exclude-dir-never-matches"], "{c:#}");
    assert_eq!(c["status"], "warn");
    assert_eq!(code, 0, "a warning alone does not fail the report");
    // Named whole as well, the check keeps every finding.
    let (_, r) = json_report(
        &dir,
        &[
            "--only",
            "reloader-config,reloader-config:exclude-dir-never-matches",
        ],
    );
    assert_eq!(problems(check(&r, "reloader-config")).len(), 2);
}

/// `--skip reloader-config:ID` leaves that problem out of the report and out of --fix: the
/// one rewrite of .air.toml makes the other fixes' edits only.
#[test]
fn skip_a_problem_id_leaves_its_findings_and_edits_out() {
    let dir = copy_fixture("air-dotted-ext");
    // Three fixes of one file: the two left join one rewrite, which must not make the third.
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("[build]\n", "[build]\n  delay = 0\n")).unwrap();
    let skip = [
        "--only",
        "reloader-config",
        "--skip",
        "reloader-config:dotted-extension",
    ];
    let (_, r) = json_report(dir.path(), &skip);
    let c = check(&r, "reloader-config");
    assert_eq!(
        problems(c),
        ["exclude-dir-never-matches", "zero-value-ignored"],
        "{c:#}"
    );
    assert_eq!(c["status"], "warn");
    let mut fix = vec!["--fix", "--project", dir.path().to_str().unwrap()];
    fix.extend(skip);
    let o = common::run(&fix);
    assert_eq!(common::code(&o), 0, "{}", common::stdout(&o));
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(text.contains("# delay = 0"), "{text}");
    assert!(
        text.contains("exclude_dir = [\"vendor\", \"tmp\"]"),
        "{text}"
    );
    assert!(
        text.contains("include_ext = [\".go\", \".html\"]"),
        "{text}"
    );
}

/// A problem id that is not the check's, or a check without problem ids, is a usage error
/// that says what to write.
#[test]
fn an_unknown_problem_id_is_a_usage_error_with_the_nearest() {
    let project = fixture("air-dotted-ext");
    for (arg, needle) in [
        (
            "reloader-config:dotted-extensions",
            "did you mean reloader-config:dotted-extension?",
        ),
        ("compile:dotted-extension", "compile has no problem ids"),
        (
            "reloader-cnfig:dotted-extension",
            "did you mean reloader-config",
        ),
    ] {
        for flag in ["--only", "--skip"] {
            let o = common::run(&[flag, arg, "--project", project.to_str().unwrap()]);
            assert_eq!(common::code(&o), 2, "{flag} {arg}");
            assert!(
                common::stderr(&o).contains(needle),
                "{flag} {arg}: {}",
                common::stderr(&o)
            );
        }
    }
}

/// ZEISS/typhoon's cmd loads .env with `export $(grep -v '^#' .env | xargs)`: grep and xargs
/// are commands of their own inside the substitution, and `xargs)` is no program (it was read
/// as one and reported as "not on PATH"). A program really missing inside `$(...)` is still
/// named.
#[test]
fn a_command_substitution_is_read_as_commands_not_as_words() {
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"export $(grep -v '^#' .env | xargs); go build -o ./tmp/api cmd/api/main.go\"\n  bin = \"./tmp/api\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "tool-not-found");
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("| xargs)", "| rd-no-such-xargs)")).unwrap();
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["evidence"]["program"], "rd-no-such-xargs", "{f:#}");
}

/// A repository (`.git`) with `files`, for the launch-context tests.
fn repository_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = project_with(files);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

/// neandrson/go-daev4: a go.work monorepo of three services, each a module with its own
/// Dockerfile that installs air from the old module path, started by one compose file. Each
/// service's report names its own image's install, not its siblings' (which it never runs);
/// an install outside every module (a shared docker/ folder) stays everyone's.
#[test]
fn a_sibling_modules_install_of_air_is_not_this_projects() {
    let install = "FROM golang:1.22\nWORKDIR /usr/src/app/SVC\nCOPY . .\nRUN go install github.com/cosmtrek/air@latest\n";
    let mut files: Vec<(String, String)> = vec![
        ("go.work".into(), "go 1.22\n\nuse (\n\t./calc\n\t./web\n)\n".into()),
        (
            "docker-compose.yml".into(),
            "services:\n  web:\n    build: ./web/\n    volumes:\n      - ./web:/usr/src/app/web\n    command: air\n  calc:\n    build: ./calc\n    volumes:\n      - ./calc:/usr/src/app/calc\n    command: air\n".into(),
        ),
    ];
    for svc in ["calc", "web"] {
        files.push((
            format!("{svc}/go.mod"),
            format!("module example.com/{svc}\n\ngo 1.22\n"),
        ));
        files.push((
            format!("{svc}/main.go"),
            "package main\n\nfunc main() {}\n".into(),
        ));
        files.push((
            format!("{svc}/.air.toml"),
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n".into(),
        ));
        files.push((format!("{svc}/Dockerfile"), install.replace("SVC", svc)));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = repository_with(&borrowed);
    let installs = |c: &Value| -> Vec<String> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "air-install-fails")
            .map(|f| f["evidence"]["file"].as_str().unwrap().to_string())
            .collect()
    };
    let c = run(&dir.path().join("calc"));
    assert_eq!(installs(&c), vec!["calc/Dockerfile"], "{c:#}");
    let c = run(&dir.path().join("web"));
    assert_eq!(installs(&c), vec!["web/Dockerfile"], "{c:#}");
    // A setup script outside every module installs air for each of them.
    std::fs::create_dir_all(dir.path().join("scripts")).unwrap();
    std::fs::write(
        dir.path().join("scripts/setup.sh"),
        "#!/bin/sh\ngo install github.com/cosmtrek/air@latest\n",
    )
    .unwrap();
    let c = run(&dir.path().join("calc"));
    let mut got = installs(&c);
    got.sort();
    assert_eq!(got, vec!["calc/Dockerfile", "scripts/setup.sh"], "{c:#}");
}

/// Andreashoj/scalable-ecomm: one compose file at the root whose services each install air
/// in their `command:` (`go install github.com/air-verse/air@latest && air`) on a Go too old
/// for it, each service a module of its own. Each module's report names the install of the
/// service that runs its air, not its siblings'.
#[test]
fn a_compose_services_install_is_the_install_of_the_module_it_runs_air_in() {
    let service = |name: &str| {
        format!("  {name}:\n    image: golang:1.22\n    working_dir: /app\n    volumes:\n      - ./services/{name}:/app\n    command: sh -c \"go install github.com/air-verse/air@latest && air\"\n")
    };
    let compose = format!("services:\n{}{}", service("user"), service("product"));
    let mut files: Vec<(String, String)> = vec![("docker-compose.yml".into(), compose)];
    for svc in ["user", "product"] {
        files.push((
            format!("services/{svc}/go.mod"),
            format!("module example.com/{svc}\n\ngo 1.22\n"),
        ));
        files.push((
            format!("services/{svc}/main.go"),
            "package main\n\nfunc main() {}\n".into(),
        ));
        files.push((
            format!("services/{svc}/.air.toml"),
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n".into(),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = repository_with(&borrowed);
    for (svc, line) in [("user", 7), ("product", 13)] {
        let c = run(&dir.path().join("services").join(svc));
        let installs: Vec<(String, u64)> = findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "air-install-fails")
            .map(|f| {
                (
                    f["evidence"]["file"].as_str().unwrap().to_string(),
                    f["evidence"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            installs,
            vec![("docker-compose.yml".to_string(), line)],
            "{svc}: {c:#}"
        );
    }
    // The same with one module at the root (each service's config folder its project).
    for svc in ["user", "product"] {
        std::fs::remove_file(dir.path().join("services").join(svc).join("go.mod")).unwrap();
    }
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/shop\n\ngo 1.22\n",
    )
    .unwrap();
    for (svc, line) in [("user", 7), ("product", 13)] {
        let c = run(&dir.path().join("services").join(svc));
        let lines: Vec<u64> = findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "air-install-fails")
            .map(|f| f["evidence"]["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, vec![line], "{svc}: {c:#}");
    }
}

/// alecbakholdin/ultigamecast: the makefile runs `air -c config/.air.toml` at the root, and
/// exclude_dir "internal/models" hides both internal/models (sqlc's generated code beside
/// hand-written custom.go: a warning) and internal/models/types (hand-written: a fail). Both
/// are named; judged through a launcher, the second was dropped as the "same" problem (the
/// air oracle found custom.go never rebuilding with no finding naming it).
#[test]
fn one_exclude_dir_hiding_two_kinds_of_package_gives_both_findings_through_a_launcher() {
    if !which_go() {
        return;
    }
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("makefile", "dev:\n\tair -c config/.air.toml\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t\"example.com/app/internal/models\"\n\t\"example.com/app/internal/models/types\"\n)\n\nfunc main() { models.Get(); types.New() }\n",
        ),
        (
            "internal/models/db.go",
            "// Code generated by sqlc. DO NOT EDIT.\n\npackage models\n\nfunc Get() {}\n",
        ),
        ("internal/models/custom.go", "package models\n\ntype Summary struct{}\n"),
        ("internal/models/types/types.go", "package types\n\nfunc New() {}\n"),
        (
            "config/.air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  exclude_dir = [\"tmp\", \"internal/models\"]\n",
        ),
    ]);
    let c = run(&dir.path().join("config"));
    let mut got: Vec<(String, String)> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "hides-imported-package")
        .map(|f| {
            (
                f["evidence"]["dirs"][0].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("internal/models", "warn"),
            ("internal/models/types", "fail")
        ]
        .map(|(d, s)| (d.to_string(), s.to_string()))
        .to_vec(),
        "{c:#}"
    );
}

const API_MAIN: &str =
    "package main\n\nimport \"example.com/app/internal/greet\"\n\nfunc main() { greet.Hi() }\n";
const GREET: &str = "package greet\n\nfunc Hi() {}\n";

/// geoffjay/plantd, victorfr4nca/go-crud: the root Makefile runs `air -c cmd/api/.air.toml`,
/// so air runs in the repository root and the config's `root = "."`, `include_dir` and
/// `./cmd/api` are the root's. Judged from the config's folder it "hid" the main package (a
/// false fail); judged where the Makefile starts air, it is fine, from either folder.
#[test]
fn a_makefile_at_the_root_running_air_c_is_judged_from_the_root() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("cmd/api/main.go", API_MAIN),
        ("internal/greet/greet.go", GREET),
        ("Makefile", "dev:\n\t@air -c cmd/api/.air.toml\n"),
        (
            "cmd/api/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o ./tmp/api example.com/app/cmd/api\"\n  bin = \"./tmp/api\"\n  include_dir = [\"cmd\", \"internal\"]\n  stop_on_error = true\n",
        ),
    ]);
    for at in ["cmd/api", "."] {
        let c = run(&dir.path().join(at));
        assert!(
            c["status"] == "pass" || c["status"] == "info",
            "from {at}: {c:#}"
        );
        let launches = &c["evidence"]["launches"];
        assert_eq!(launches[0]["file"], "Makefile", "{c:#}");
        assert_eq!(launches[0]["target"], "dev", "{c:#}");
    }
    // The same config started in its own folder by a Dockerfile (WORKDIR /app, build
    // context cmd/api): there include_dir names nothing and main is hidden. It breaks that
    // launcher only, so it is a warning that names it, with no rewrite of the file.
    std::fs::write(
        dir.path().join("cmd/api/Dockerfile"),
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD [\"air\"]\n",
    )
    .unwrap();
    let c = run(&dir.path().join("cmd/api"));
    let f = finding(&c, "hides-imported-package");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("from cmd/api/Dockerfile:4"), "{msg}");
    assert_eq!(f["evidence"]["in_every_launch"], false);
    assert!(
        f["fix"].is_null() || f["fix"]["applicability"] == "manual",
        "{f:#}"
    );
}

/// AlexanderWangY/gatormarket, 8dfa4166/traefik-otel-go: compose runs the service with
/// `working_dir: /app` and `./backend:/app`, the Dockerfile's CMD starts air, and the config
/// names container paths (`root = "/app"`, `-o /app/tmp/main`). On the host /app does not
/// exist ("root-missing", a false fail); through the mount it is backend/.
#[test]
fn compose_working_dir_and_bind_mount_map_container_paths_to_the_host() {
    let dir = repository_with(&[
        ("backend/go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("backend/main.go", "package main\n\nfunc main() {}\n"),
        (
            "backend/Dockerfile",
            "FROM golang:1.26\nWORKDIR /src\nRUN go install github.com/air-verse/air@latest\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
        (
            "compose.yml",
            "services:\n  api:\n    build: ./backend\n    working_dir: /app\n    volumes:\n      - ./backend:/app\n      - gomod:/go/pkg/mod\nvolumes:\n  gomod:\n",
        ),
        (
            "backend/.air.toml",
            "root = \"/app\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o /app/tmp/main .\"\n  bin = \"/app/tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("backend"));
    assert_eq!(c["status"], "pass", "{c:#}");
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "compose.yml", "{c:#}");
    assert_eq!(launch["in_container"], true, "{c:#}");
    // A build output the container writes into a watched folder is found through the mount,
    // and named with the service that starts air.
    let cfg = dir.path().join("backend/.air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("-o /app/tmp/main", "-o /app/out/main")
            .replace(
                "bin = \"/app/tmp/main\"",
                "bin = \"/app/out/main\"\n  include_ext = [\"go\", \"\"]",
            ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("backend/out")).unwrap();
    let c = run(&dir.path().join("backend"));
    let problems = problems(&c);
    if let Some(f) = findings(&c)
        .iter()
        .find(|f| f["evidence"]["problem"] == "rebuild-loop")
    {
        let msg = f["message"].as_str().unwrap();
        assert!(msg.contains("compose.yml's `api` service"), "{msg}");
        // Judged on mapped paths: no rewrite of the file with host paths in it.
        assert!(f["fix"].is_null(), "{f:#}");
    }
    assert!(!problems.contains(&"root-missing".to_string()), "{c:#}");
}

/// Zagforge-Org/zagforge-cloud: the Dockerfile copies the repository to /app (`COPY . .`
/// under `WORKDIR /app`), then moves to `WORKDIR /app/services/api` and runs `air`; the
/// config says `root = "/app"` and an absolute `tmp_dir`. Seen through the copy, /app is the
/// repository (no "root-missing"), and the absolute tmp folder air puts in its default
/// exclude_dir is skipped by air's own tmp test (no "exclude-dir-never-matches").
#[test]
fn a_copy_before_a_later_workdir_maps_root_and_an_absolute_tmp_dir() {
    let dir = repository_with(&[
        ("go.work", "go 1.22\n\nuse ./services/api\n"),
        ("services/api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("services/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "services/api/Dockerfile.dev",
            "FROM golang:1.26\nWORKDIR /app\nCOPY go.work ./\nCOPY . .\nWORKDIR /app/services/api\nCMD [\"air\"]\n",
        ),
        (
            "services/api/.air.toml",
            "root = \"/app\"\ntmp_dir = \"/app/services/api/tmp\"\n[build]\n  cmd = \"go build -o /app/services/api/tmp/main ./services/api\"\n  bin = \"/app/services/api/tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("services/api"));
    let problems = problems(&c);
    assert!(!problems.contains(&"root-missing".to_string()), "{c:#}");
    assert!(
        !problems.contains(&"exclude-dir-never-matches".to_string()),
        "{c:#}"
    );
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
}

/// Werneck0live/cadastro-empresa-go-lang: compose runs `docker/dev-entrypoint.sh` in
/// `/app` (`..:/app` from docker/), and the script starts air through a variable,
/// `AIR_BIN="$(go env GOPATH)/bin/air"` then `exec "$AIR_BIN" -c /app/docker/.air.toml`.
/// The config names container paths (`root = "/app"`); with the variable unread no launcher
/// was found and /app was "not a folder on this machine". Through the mount it is the
/// repository root.
#[test]
fn a_script_starting_air_through_a_variable_is_a_launcher() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "docker/docker-compose.yml",
            "services:\n  api:\n    image: golang:1.23-alpine\n    working_dir: /app\n    entrypoint: [\"/bin/sh\", \"-c\", \"/app/docker/dev-entrypoint.sh\"]\n    volumes:\n      - ..:/app\n",
        ),
        (
            "docker/dev-entrypoint.sh",
            "#!/bin/sh\nset -e\ngo install github.com/air-verse/air@latest\nAIR_BIN=\"$(go env GOPATH)/bin/air\"\nif [ ! -x \"$AIR_BIN\" ]; then\n  exit 1\nfi\n\"$AIR_BIN\" -v || true\nexec \"$AIR_BIN\" -c /app/docker/.air.toml\n",
        ),
        (
            "docker/.air.toml",
            "root = \"/app\"\ntmp_dir = \"/app/tmp\"\n[build]\n  cmd = \"go build -o /app/tmp/api /app/cmd/api\"\n  bin = \"/app/tmp/api\"\n  exclude_dir = [\"tmp\", \"docker\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("docker"));
    assert_lacks(&c, "root-missing");
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "docker/dev-entrypoint.sh", "{c:#}");
    assert_eq!(launch["line"], 9, "{c:#}");
    assert_eq!(launch["in_container"], true, "{c:#}");
    assert_eq!(
        launch["cwd"].as_str().map(std::path::Path::new),
        Some(dir.path()),
        "{c:#}"
    );
}

/// 0mar12345-ops/catchup-backend: the Makefile's `dev` target runs `cd "$(PROJECT_DIR)" &&
/// ... && "$(AIR)" -c air.toml`, PROJECT_DIR being the Makefile's own folder written with
/// make functions. The cd to it once dropped the launch, and plain `air` "never reads
/// air.toml" was said of a file the Makefile passes.
#[test]
fn a_makefile_cd_to_its_own_folder_by_make_functions_keeps_the_launch() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/catchup\n\ngo 1.22\n"),
        ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "Makefile",
            "SHELL := /bin/bash\n\nPORT ?= 8080\nAIR ?= $(HOME)/go/bin/air\nPROJECT_DIR := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))\n\n.PHONY: dev\n\ndev:\n\tcd \"$(PROJECT_DIR)\" && (lsof -ti:$(PORT) | xargs -r kill -9 || true) && \"$(AIR)\" -c air.toml\n",
        ),
        (
            "air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n  bin = \"./tmp/main\"\n  delay = 0\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let read = finding(&c, "config-not-read");
    assert_eq!(read["severity"], "info", "{read:#}");
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "Makefile", "{c:#}");
    assert_eq!(launch["target"], "dev", "{c:#}");
    assert_eq!(
        launch["cwd"].as_str().map(std::path::Path::new),
        Some(dir.path()),
        "{c:#}"
    );
}

/// A cd to a variable the Makefile does not set (`cd $(SERVICE_DIR) && air -c air.toml`,
/// SERVICE_DIR given on make's command line): where air runs is not known, so the launch is
/// kept as one that may read this file (no "plain air never reads it" warning), and what
/// depends on the folder is no failure.
#[test]
fn a_launch_from_an_unknown_folder_is_kept_and_caps_path_findings() {
    if !which_go() {
        return;
    }
    let dir = repository_with(&[
        ("go.mod", "module example.com/svc\n\ngo 1.22\n"),
        ("main.go", "package main\n\nimport _ \"example.com/svc/internal/db\"\n\nfunc main() {}\n"),
        ("internal/db/db.go", "package db\n"),
        ("Makefile", "dev:\n\tcd $(SERVICE_DIR) && air -c air.toml\n"),
        (
            "air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  include_dir = [\"internal\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let read = finding(&c, "config-not-read");
    assert_eq!(read["severity"], "info", "{read:#}");
    assert!(
        read["message"]
            .as_str()
            .unwrap()
            .contains("the Makefile's `dev` target"),
        "{read:#}"
    );
    let hidden = finding(&c, "hides-imported-package");
    assert_eq!(hidden["severity"], "warn", "{hidden:#}");
    assert!(
        hidden["message"]
            .as_str()
            .unwrap()
            .contains("if air runs in this folder"),
        "{hidden:#}"
    );
}

/// cms-lvtn/be-lvtn: run-all.sh defines `run_service()` (`local config_file=$2`,
/// `local service_dir=$3`, `cd "$service_dir"`, `air -c "$config_file" &`) and calls it once
/// per service with literal words, and once for the server at the root. Each call is a
/// launch at its own line with its folder and config; the service's config, run in
/// src/service/user of the one module, is judged there: its main package imports the
/// module's src/pkg, outside air's root "." (real air: saving src/pkg/logger never rebuilds).
#[test]
fn a_script_function_called_per_service_is_a_launch_per_call() {
    if !which_go() {
        return;
    }
    let service_config = "root = \".\"\ntmp_dir = \"tmp-user\"\n\n[build]\n  cmd = \"go build -o ./tmp-user/user .\"\n  entrypoint = [\"./tmp-user/user\"]\n  exclude_dir = [\"tmp-user\"]\n  include_ext = [\"go\"]\n  stop_on_error = true\n";
    let dir = repository_with(&[
        ("app/go.mod", "module thaily\n\ngo 1.22\n"),
        ("app/main.go", "package main\n\nimport \"thaily/src/pkg/logger\"\n\nfunc main() { logger.Log() }\n"),
        ("app/src/pkg/logger/logger.go", "package logger\n\nfunc Log() {}\n"),
        (
            "app/src/service/user/main.go",
            "package main\n\nimport (\n\t\"time\"\n\n\t\"thaily/src/pkg/logger\"\n)\n\nfunc main() { logger.Log(); time.Sleep(time.Hour) }\n",
        ),
        (
            "app/air/.air-server.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n  exclude_dir = [\"tmp\"]\n  include_ext = [\"go\"]\n  stop_on_error = true\n",
        ),
        ("app/air/.air-user.toml", service_config),
        (
            "app/run-all.sh",
            "#!/bin/bash\nset -e\nPROJECT_ROOT=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\nAIR_DIR=\"$PROJECT_ROOT/air\"\n\nrun_service() {\n    local service_name=$1\n    local config_file=$2\n    local service_dir=$3\n\n    cd \"$service_dir\"\n    air -c \"$config_file\" > \"$PROJECT_ROOT/logs/${service_name}.log\" 2>&1 &\n    cd \"$PROJECT_ROOT\"\n}\n\nrun_service \"user-service\" \"$AIR_DIR/.air-user.toml\" \"$PROJECT_ROOT/src/service/user\"\nrun_service \"main-server\" \"$AIR_DIR/.air-server.toml\" \"$PROJECT_ROOT\"\nwait\n",
        ),
    ]);
    let app = dir.path().join("app");
    let c = run(&app);
    assert_eq!(
        launches_of(&c, dir.path()),
        vec![launch("app/run-all.sh", "", "app")],
        "{c:#}"
    );
    let hits: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "imports-outside-root")
        .collect();
    assert_eq!(hits.len(), 1, "{c:#}");
    let message = hits[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("air/.air-user.toml:1: from app/run-all.sh:16")
            && message.contains("../../pkg/logger"),
        "{message}"
    );
    let user = app.join("src/service/user");
    let config = app.join("air/.air-user.toml");
    let (builds, log) = air_with_builds_after_saving(
        &user,
        &["-c", config.to_str().unwrap()],
        "../../pkg/logger/logger.go",
    );
    assert_eq!(builds, 1, "air rebuilt for a file outside its root: {log}");
}

/// Manny-S-04/TutorWebsite: git tracks src/tmp/main/app, so tmp/main is a folder in a fresh
/// clone; `go build -o ./tmp/main ./cmd/` writes tmp/main/cmd into it and bin = "./tmp/main"
/// runs the folder. The report said "writes ./tmp/main but bin runs ./tmp/main" with a fix
/// setting bin to the same words; it names the folder now, with no such fix. Real go writes
/// tmp/main/cmd and real air's sh says "Permission denied".
#[test]
fn a_build_output_that_is_a_folder_is_named_as_the_cause() {
    if !which_go() {
        return;
    }
    let dir = repository_with(&[
        ("src/go.mod", "module example.com/tutor\n\ngo 1.22\n"),
        (
            "src/cmd/main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
        ("src/tmp/main/app", "tracked\n"),
        (
            "src/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o ./tmp/main ./cmd/\"\n  exclude_dir = [\"tmp\"]\n  include_ext = [\"go\"]\n  stop_on_error = true\n",
        ),
    ]);
    let src = dir.path().join("src");
    let c = run(&src);
    let f = finding(&c, "binary-mismatch");
    assert_at(f, "fail", 6);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("./tmp/main is a folder")
            && message.contains("writes ./tmp/main/cmd")
            && message.contains("Permission denied"),
        "{f:#}"
    );
    assert_eq!(f["fix"], Value::Null, "{f:#}");
    let log = air_with_until_the_app_exits(&src, &[]);
    assert!(src.join("tmp/main/cmd").is_file(), "{log}");
    assert!(log.contains("Permission denied"), "{log}");
}

/// AC-CodeProd/portfolio: compose builds the Dockerfile's `development` stage (swag
/// installed into GOBIN=/usr/local/bin) and runs its `CMD ["./start-dev.sh"]`; the script
/// sets `SERVER_DIR="/portfolio/server"` and runs `air -c .air.toml` after
/// `cd "$SERVER_DIR"`. With the variable unread the launch was lost, and the pre_cmd's swag
/// was "not on PATH".
#[test]
fn a_script_cd_to_a_variable_it_set_keeps_the_launch() {
    if which::which("swag").is_ok() {
        return; // the finding this guards against needs swag missing here
    }
    let dir = repository_with(&[
        (
            "docker-compose.yml",
            "services:\n  portfolio:\n    build:\n      context: .\n      dockerfile: ./Dockerfile\n      target: development\n    volumes:\n      - .:/portfolio\n",
        ),
        (
            "Dockerfile",
            "FROM golang:1.24-alpine AS development\nENV GOBIN=/usr/local/bin\nRUN go install github.com/air-verse/air@latest \\\n  && go install github.com/swaggo/swag/cmd/swag@latest\nWORKDIR /portfolio\nCOPY . .\nCMD [\"./start-dev.sh\"]\n",
        ),
        (
            "start-dev.sh",
            "#!/bin/sh\nset -eu\n\nSERVER_DIR=\"/portfolio/server\"\n\ncd \"$SERVER_DIR\" || { echo \"Failed to enter $SERVER_DIR\"; exit 1; }\n(\n  cd \"$SERVER_DIR\"\n  air -c .air.toml 2>&1 | awk '{ print }'\n) &\nwait\n",
        ),
        ("server/go.mod", "module example.com/server\n\ngo 1.22\n"),
        ("server/cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "server/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  pre_cmd = [\"swag init -g cmd/api/main.go\"]\n  cmd = \"go build -o ./tmp/main ./cmd/api/main.go\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("server"));
    assert_lacks(&c, "tool-not-found");
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "start-dev.sh", "{c:#}");
    assert_eq!(launch["in_container"], true, "{c:#}");
    assert_eq!(
        launch["cwd"].as_str().map(std::path::Path::new),
        Some(dir.path().join("server").as_path()),
        "{c:#}"
    );
}

/// Zagforge-Org/zagforge-cloud: `infra/docker-compose.dev.yaml` holds only
/// `include: [docker/dev/services.yaml, ...]`, and the included file (no "compose" in its
/// name) builds the api from `../../..` with `../../..:/app`: paths relative to the included
/// file's folder, so /app is the repository root. The Dockerfile only moves to
/// `/app/services/api` and runs air; read alone it says nothing of what /app holds.
#[test]
fn a_service_of_an_included_compose_file_is_a_launch_context() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("services/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "services/api/Dockerfile.dev",
            "FROM golang:1.26\nRUN go install github.com/air-verse/air@latest\nWORKDIR /app/services/api\nCMD [\"air\"]\n",
        ),
        (
            "infra/docker-compose.dev.yaml",
            "include:\n  - docker/dev/infra.yaml\n  - path: ./docker/dev/services.yaml\n",
        ),
        (
            "infra/docker/dev/infra.yaml",
            "services:\n  db:\n    image: postgres:17\n",
        ),
        (
            "infra/docker/dev/services.yaml",
            "services:\n  api:\n    build:\n      context: ../../..\n      dockerfile: services/api/Dockerfile.dev\n    volumes:\n      - ../../..:/app\n",
        ),
        (
            "services/api/.air.toml",
            "root = \"/app\"\ntmp_dir = \"/app/services/api/tmp\"\n[build]\n  cmd = \"go build -o /app/services/api/tmp/main ./services/api\"\n  bin = \"/app/services/api/tmp/main\"\n  exclude_dir = [\"services/api/tmp\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("services/api"));
    assert_lacks(&c, "root-missing");
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "infra/docker/dev/services.yaml", "{c:#}");
    assert_eq!(launch["target"], "api", "{c:#}");
    assert_eq!(launch["in_container"], true, "{c:#}");
    assert_eq!(
        launch["cwd"].as_str().map(std::path::Path::new),
        Some(dir.path().join("services/api").as_path()),
        "{c:#}"
    );
}

/// wokacz/multi-tenant-go-service: the root compose.yml only includes `.docker/compose.yml`
/// with `project_directory: .`, so the included file's `context: .` and `.:/app` mean the
/// repository root (Compose 2.20+ resolves them against project_directory). Its `api` service
/// runs `air -c .docker/air.toml` in /app: the config is judged there, no "no launcher".
#[test]
fn an_include_with_a_project_directory_places_the_included_files_paths() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "compose.yml",
            "include:\n  - path: .docker/compose.yml\n    project_directory: .\n",
        ),
        (
            ".docker/compose.yml",
            "services:\n  api:\n    build:\n      context: .\n      dockerfile: .docker/Dockerfile\n    volumes:\n      - .:/app:ro\n",
        ),
        (
            ".docker/Dockerfile",
            "FROM golang:1.26-alpine\nRUN go install github.com/air-verse/air@v1.67.4\nWORKDIR /app\nCMD [\"air\", \"-c\", \".docker/air.toml\"]\n",
        ),
        (
            ".docker/air.toml",
            "root = \".\"\ntmp_dir = \"/tmp/air\"\n[build]\n  cmd = \"go build -o /tmp/air/api ./cmd/api\"\n  entrypoint = [\"/tmp/air/api\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], ".docker/compose.yml", "{c:#}");
    assert_eq!(launch["target"], "api", "{c:#}");
    assert_eq!(
        launch["cwd"].as_str().map(std::path::Path::new),
        Some(dir.path()),
        "{c:#}"
    );
    assert_eq!(c["status"], "info", "{c:#}");
}

/// code-kakitai/code-kakitai: the compose service `app` (`./app:/app`, a Dockerfile with
/// `WORKDIR /app` and no air in it) only stays up; the Makefile's `hot-reload` target runs
/// `docker compose exec app air`, so air runs in the service's folder, /app. A config naming
/// that container path (`root = "/app"`) was "not a folder on this machine" with no launcher
/// found; `docker exec -w DIR NAME` reaches the service by its `container_name`.
#[test]
fn docker_compose_exec_air_in_a_makefile_runs_in_the_service() {
    let dir = repository_with(&[
        ("app/go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("app/cmd/main.go", "package main\n\nfunc main() {}\n"),
        (
            "ops/docker/app/Dockerfile",
            "FROM golang:1.22\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  db:\n    image: mysql:latest\n  app:\n    build:\n      context: .\n      dockerfile: ./ops/docker/app/Dockerfile\n    container_name: kakitai-app\n    tty: true\n    volumes:\n      - ./app:/app\n",
        ),
        (
            "Makefile",
            "run:\n\tdocker compose exec app go run cmd/main.go\n\nhot-reload:\n\tdocker compose exec app air\n\nworker:\n\tdocker exec -it -w /app/cmd kakitai-app air -c ../.air.toml\n",
        ),
        (
            "app/.air.toml",
            "root = \"/app\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o /app/tmp/main ./cmd/main.go\"\n  bin = \"/app/tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("app"));
    assert_lacks(&c, "root-missing");
    let launches = c["evidence"]["launches"].as_array().unwrap();
    let named: Vec<(&str, &str, bool)> = launches
        .iter()
        .map(|l| {
            (
                l["target"].as_str().unwrap(),
                l["cwd"].as_str().unwrap(),
                l["in_container"].as_bool().unwrap(),
            )
        })
        .collect();
    let app = dir.path().join("app");
    let cmd = dir.path().join("app/cmd");
    assert_eq!(
        named,
        vec![
            ("hot-reload", app.to_str().unwrap(), true),
            ("worker", cmd.to_str().unwrap(), true)
        ],
        "{c:#}"
    );
}

/// (file, target, folder air runs in relative to `repo`) of each launch that judged `c`.
fn launches_of(c: &Value, repo: &Path) -> Vec<(String, String, String)> {
    let real = std::fs::canonicalize(repo).unwrap();
    c["evidence"]["launches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let cwd = Path::new(l["cwd"].as_str().unwrap());
            (
                l["file"].as_str().unwrap().to_string(),
                l["target"].as_str().unwrap_or("").to_string(),
                cwd.strip_prefix(&real).unwrap().display().to_string(),
            )
        })
        .collect()
}

fn launch(file: &str, target: &str, cwd: &str) -> (String, String, String) {
    (file.into(), target.into(), cwd.into())
}

/// bytebase/bytebase: `.gitpod.yml`'s task runs `./bin/air -c scripts/.air.toml` in the
/// checkout, so the config's `root = "."` and `./bin/server/main.go` are the repository's.
/// Judged in scripts/ (no launcher found), the build names a package that is not there.
#[test]
fn a_gitpod_task_running_air_is_judged_in_the_checkout() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("bin/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".gitpod.yml",
            "tasks:\n  - name: Frontend\n    init: pnpm i\n    command: pnpm dev\n  - name: Init Backend\n    init: curl -sSfL https://example.invalid/install.sh | sh -s\n    command: rm -fv .air/pgdata/postmaster.pid && ./bin/air -c scripts/.air.toml\n",
        ),
        (
            "scripts/.air.toml",
            "root = \".\"\ntmp_dir = \".air\"\n[build]\n  cmd = \"go build -o ./.air/bytebase ./bin/server/main.go\"\n  bin = \"./.air/bytebase\"\n  exclude_dir = [\".air\", \"frontend\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("scripts"));
    assert_eq!(
        launches_of(&c, dir.path()),
        vec![launch(".gitpod.yml", "Init Backend", "")],
        "{c:#}"
    );
    assert!(c["status"] == "pass" || c["status"] == "info", "{c:#}");
}

/// FriendsOfShopware/shopmon's `.mise.toml`: `[tasks."dev:api"] run = "cd api && ... air"`
/// and a worker task with `dir = "api"` reading its own config.
#[test]
fn mise_tasks_running_air_are_launchers() {
    let dir = repository_with(&[
        ("api/go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".mise.toml",
            "[tools]\n\"go:github.com/air-verse/air\" = \"latest\"\n\n[tasks.\"dev:api\"]\ndescription = \"Run API server with live reload\"\nrun = \"cd api && LISTEN_ADDR=127.0.0.1:5789 air\"\n\n[tasks.\"dev:worker\"]\nrun = \"air -c .air-worker.toml\"\ndir = \"api\"\n",
        ),
        (
            "api/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
        (
            "api/.air-worker.toml",
            "[build]\n  cmd = \"go build -o ./tmp/worker .\"\n  bin = \"./tmp/worker\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("api"));
    assert_eq!(
        launches_of(&c, dir.path()),
        vec![launch(".mise.toml", "dev:api", "api")],
        "{c:#}"
    );
}

/// betteroute/betteroute's apps/api/moon.yml (`dev: command: "air"`, run in the project's
/// folder) and nasnet-community/nasnet-panel's apps/backend/project.json (an Nx
/// `nx:run-commands` target, `"cwd": "apps/backend"` from the workspace root).
#[test]
fn moon_tasks_and_nx_targets_running_air_are_launchers() {
    let config =
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n";
    let dir = repository_with(&[
        ("apps/api/go.mod", "module example.com/api\n\ngo 1.21\n"),
        ("apps/api/main.go", "package main\n\nfunc main() {}\n"),
        ("apps/api/.air.toml", config),
        ("apps/backend/go.mod", "module example.com/backend\n\ngo 1.21\n"),
        ("apps/backend/main.go", "package main\n\nfunc main() {}\n"),
        ("apps/backend/.air.toml", config),
        (".moon/workspace.yml", "projects:\n  - \"apps/*\"\n"),
        (
            "apps/api/moon.yml",
            "language: go\n\ntasks:\n  # Development\n  dev:\n    command: \"air\"\n    options:\n      cache: false\n      persistent: true\n",
        ),
        ("nx.json", "{}\n"),
        (
            "apps/backend/project.json",
            "{\n  \"name\": \"backend\",\n  \"targets\": {\n    \"serve\": {\n      \"executor\": \"nx:run-commands\",\n      \"options\": { \"command\": \"air\", \"cwd\": \"apps/backend\" }\n    }\n  }\n}\n",
        ),
    ]);
    let c = run(&dir.path().join("apps/api"));
    assert_eq!(
        launches_of(&c, dir.path()),
        vec![launch("apps/api/moon.yml", "dev", "apps/api")],
        "{c:#}"
    );
    let c = run(&dir.path().join("apps/backend"));
    assert_eq!(
        launches_of(&c, dir.path()),
        vec![launch("apps/backend/project.json", "serve", "apps/backend")],
        "{c:#}"
    );
}

/// `bunx concurrently 'air' 'bun run dev'` in a Makefile's `dev` target (a Go + Inertia
/// starter the code search found), and `concurrently "air" "npm run dev"` in a package.json
/// script: each argument is a command line, run where concurrently runs.
#[test]
fn concurrently_starting_air_is_a_launcher() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "Makefile",
            "install: # Install dependencies\n\tgo mod tidy\n\tbun install\n\ndev: ## Run development server\n\tbunx concurrently 'air' 'bun run dev'\n",
        ),
        (
            "web/package.json",
            "{\n  \"scripts\": {\n    \"dev\": \"concurrently -n go,web \\\"cd .. && air\\\" \\\"vite\\\"\"\n  }\n}\n",
        ),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    assert_eq!(
        launches_of(&c, dir.path()),
        vec![
            launch("Makefile", "dev", ""),
            launch("web/package.json", "dev", "")
        ],
        "{c:#}"
    );
}

/// `root = "../.."` in cmd/app/.air.toml (LekcRg/metrics, realm76/clochness): air started
/// in cmd/app watches the whole module, shared code included. That is a layout: no warning,
/// and never the advice `root = "."`, which would stop rebuilds for the shared code.
#[test]
fn a_root_two_levels_up_inside_the_repository_is_a_layout() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("cmd/app/main.go", API_MAIN),
        ("internal/greet/greet.go", GREET),
        ("Makefile", "run:\n\tcd cmd/app && air\n"),
        (
            "cmd/app/.air.toml",
            "root = \"../..\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"cd ../.. && go build -o ./tmp/app ./cmd/app\"\n  bin = \"../../tmp/app\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("cmd/app"));
    assert_lacks(&c, "root-outside-project");
    assert!(!c.to_string().contains("root = \\\".\\\""), "{c:#}");
    assert_eq!(c["status"], "pass", "{c:#}");
}

/// A tmp_dir outside the project works for air: that --fix never stops what runs there is
/// its own rule, not the user's problem, so reloader-config says nothing (it warned).
#[test]
fn a_tmp_dir_outside_the_project_is_not_a_warning() {
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "tmp_dir = \"/tmp/rd-outside-tmp\"\n[build]\n  cmd = \"go build -o /tmp/rd-outside-tmp/main .\"\n  bin = \"/tmp/rd-outside-tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "outside-project");
    assert!(!c.to_string().contains("outside the project"), "{c:#}");
}

/// A launcher that names a config missing where it runs (Bethel-nz/not_brimble's worker,
/// purplefish32/sd) is a warning when another launcher reads the config, and names both its
/// target and the path it looked for.
#[test]
fn a_launcher_naming_a_missing_config_is_named_with_its_target() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
        (
            "justfile",
            "dev:\n    air\n\nworker:\n    air -c cmd/worker/.air.toml\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "launch-config-missing");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.starts_with("justfile:5: runs `air -c cmd/worker/.air.toml` (the `worker` target)"),
        "{msg}"
    );
    // The worker's config is not to be replaced by the root's (Bethel-nz/not_brimble).
    assert!(msg.contains("create it (`air init` writes one)"), "{msg}");
    assert!(!msg.contains("use -c"), "{msg}");
}

/// andrenormanlang/go-htmx-mySQL: `run-apps-wsl.sh` does `cd /mnt/c/MAMP/htdocs/...` and then
/// `air -c .air.wsl.toml`, a file the repository does not have (its author keeps it on that
/// machine). That folder is unknown from here: nothing in it is judged missing (an info that
/// says so), and no fix names a path of this machine.
#[test]
fn a_script_that_cds_into_another_machines_folder_is_unknown() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
        (
            "run-wsl.sh",
            "#!/bin/bash\ncd /mnt/c/MAMP/htdocs/Developer/app-not-here\nair -c .air.wsl.toml\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "launch-config-missing");
    assert_eq!(f["severity"], "info", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("/mnt/c/MAMP/htdocs/Developer/app-not-here, a folder not on this machine"),
        "{msg}"
    );
    assert!(msg.contains("cannot be known from here"), "{msg}");
    assert!(!msg.contains("use -c"), "{msg}");
}

/// DarthMikke/fenris: api/run.sh does `cd /app` and `air -c .air.toml`; the compose file that
/// mounts api/ at /app is generated by an Ansible play, not in the repository. /app is unknown
/// here, and api/.air.toml sits beside the script: /app is likely api/ itself. `-c
/// api/.air.toml` there would break the launch, so no fix is given and nothing is a warning.
#[test]
fn a_script_beside_its_config_that_cds_into_an_unmapped_folder_is_likely_its_own_folder() {
    let dir = repository_with(&[
        ("api/go.mod", "module example.com/api\n\ngo 1.21\n"),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "api/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
        (
            "api/run.sh",
            "#! /bin/sh\n\ncd /app\ngo mod download\nair -c .air.toml\n",
        ),
    ]);
    let c = run(&dir.path().join("api"));
    let f = finding(&c, "launch-config-missing");
    assert_eq!(f["severity"], "info", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.starts_with("api/run.sh:5: runs `air -c .air.toml`"),
        "{msg}"
    );
    assert!(msg.contains("likely the script's own folder"), "{msg}");
    assert!(!msg.contains("use -c"), "{msg}");
    assert!(!msg.contains("has no"), "{msg}");
}

/// Adophilus/auth-server runs air as the watcher of a Gleam backend (no .go file there), and
/// dmitrymomot/go-app-template's scripts/.air.toml watches only templates (include_dir of
/// views, include_ext = ["templ", "css"]): neither loses a Go rebuild it asked for. The first
/// says nothing; the second is a warning that names the choice, with no "add go" rewrite.
#[test]
fn include_ext_without_go_is_a_fail_only_where_air_would_watch_go_files() {
    // Folders air walks (tempdir's own ".tmp" names are hidden, and air skips a hidden root).
    let walked = |files: &[(&str, &str)]| {
        let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
        for (path, text) in files {
            let at = dir.path().join(path);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(at, text).unwrap();
        }
        dir
    };
    let gleam = walked(&[
        ("gleam.toml", "name = \"app\"\n"),
        ("src/app.gleam", "pub fn main() { Nil }\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \":\"\n  bin = \"./workflow.sh\"\n  include_ext = [\"gleam\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(gleam.path());
    assert_lacks(&c, "no-go-ext");
    let views = walked(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/app/main.go", "package main\n\nfunc main() {}\n"),
        ("web/views/home.templ", "package views\n"),
        // templ's output, which exclude_regex leaves out: no Go file air would rebuild for.
        ("web/views/home_templ.go", "package views\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/app ./cmd/app\"\n  bin = \"./tmp/app\"\n  include_dir = [\"web/views\"]\n  include_ext = [\"templ\", \"css\"]\n  exclude_regex = [\".*_templ.go\"]\n  stop_on_error = true\n",
        ),
    ]);
    let f = finding(&run(views.path()), "no-go-ext").clone();
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(f["fix"].is_null(), "{f:#}");
    // Go files where air watches: the lost rebuild it looks like.
    let cfg = views.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("[\"web/views\"]", "[\"web/views\", \"cmd\"]"),
    )
    .unwrap();
    let f = finding(&run(views.path()), "no-go-ext").clone();
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert!(!f["fix"].is_null(), "{f:#}");
}

/// devmegablaster/SheetBridge (`"./tmp"`, the tmp_dir air skips by its own test) and
/// ec22s/docker-go-gin-gorm (`"/tmp"`, outside root): entries that never match but name no
/// folder air would watch cost nothing, so they are not "air still watches it". An entry
/// naming a real watched folder (`"./web"`) still is.
#[test]
fn an_exclude_dir_entry_that_never_matches_is_named_only_when_air_watches_its_folder() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("web/index.html", "<p>hi</p>\n"),
        ("tmp/.keep", ""),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  exclude_dir = [\"./tmp\", \"/tmp\", \"./nothing\", \"./web\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "exclude-dir-never-matches");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("\"./web\" never matches"), "{msg}");
    for quiet in ["\"./tmp\"", "\"/tmp\"", "\"./nothing\""] {
        assert!(!msg.contains(quiet), "{quiet} in {msg}");
    }
}

/// corymurphy/pkiadmin: include_dir = ["cmd", ...] in a module with a vendor/ folder: go list
/// names the vendored packages, which nobody edits (and air excludes vendor by default):
/// not 103 "hidden" packages.
#[test]
fn vendored_packages_are_not_hidden_imports() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n"),
        ("vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n"),
        ("vendor/example.com/dep/dep.go", "package dep\n\nfunc Hi() {}\n"),
        ("cmd/app/main.go", "package main\n\nimport \"example.com/dep\"\n\nfunc main() { dep.Hi() }\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/app ./cmd/app\"\n  bin = \"./tmp/app\"\n  include_dir = [\"cmd\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "hides-imported-package");
    // The same layout with the dependency as this module's own folder is still named.
    let own = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("dep/dep.go", "package dep\n\nfunc Hi() {}\n"),
        ("cmd/app/main.go", "package main\n\nimport \"example.com/app/dep\"\n\nfunc main() { dep.Hi() }\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/app ./cmd/app\"\n  bin = \"./tmp/app\"\n  include_dir = [\"cmd\"]\n  stop_on_error = true\n",
        ),
    ]);
    assert_eq!(
        finding(&run(own.path()), "hides-imported-package")["severity"],
        "fail"
    );
}

/// Adventune/trawler: `kill_delay = 100000000000 # nanoseconds, 100s`. air reads the integer
/// as nanoseconds (100 s), which is what the same line's comment says: deliberate, a note. A
/// comment stating another duration, or none, keeps the warning.
#[test]
fn a_nanosecond_kill_delay_whose_comment_says_so_is_a_note() {
    let dir = copy_fixture("gin-healthy");
    let cfg = dir.path().join(".air.toml");
    let with = |line: &str| {
        format!("[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  send_interrupt = true\n  {line}\n  stop_on_error = true\n")
    };
    for (line, severity) in [
        ("kill_delay = 100000000000 # nanoseconds, 100s", "info"),
        ("kill_delay = 100000000000 # 1m40s", "info"),
        ("kill_delay = 100000000000 # 100 ms", "warn"),
        ("kill_delay = 100000000000", "warn"),
    ] {
        std::fs::write(&cfg, with(line)).unwrap();
        let c = run(dir.path());
        let f = finding(&c, "kill-delay-nanoseconds");
        assert_at(f, severity, 5);
        let message = f["message"].as_str().unwrap();
        assert!(message.contains("read as nanoseconds (100 s)"), "{f:#}");
        assert_eq!(
            message.contains("as its comment says"),
            severity == "info",
            "{line}: {f:#}"
        );
    }
}

/// kill_delay as an integer of nanoseconds has one right spelling: the same delay as a
/// duration. --fix writes it (comment kept), air's delay stays 1.5 s, a second --fix does
/// nothing (issue 26).
#[test]
fn fix_writes_a_nanosecond_kill_delay_as_the_same_duration() {
    let dir = copy_fixture("gin-healthy");
    let cfg = dir.path().join(".air.toml");
    let before = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  send_interrupt = true\n  kill_delay = 1500000000 # graceful shutdown\n  stop_on_error = true\n";
    std::fs::write(&cfg, before).unwrap();
    let c = run(dir.path());
    let f = finding(&c, "kill-delay-nanoseconds");
    assert_eq!(f["fix"]["applicability"], "safe", "{f:#}");
    let fix = || {
        common::run(&[
            "--fix",
            "--only",
            "reloader-config",
            "--project",
            dir.path().to_str().unwrap(),
        ])
    };
    let o = fix();
    assert_eq!(common::code(&o), 0, "{}", common::stdout(&o));
    let after = before.replace("1500000000 # graceful", "\"1500ms\" # graceful");
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), after);
    let c = run(dir.path());
    assert_eq!(c["status"], "pass", "{c:#}");
    assert!(common::stdout(&fix()).contains("\nnothing to fix\n"));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), after);
}

/// What real air v1.67.4 prints before its first build, read from its output: the
/// `[warning]` lines of its config loading and the watcher's missing include_dir line.
fn air_prints_at_start(dir: &Path) -> Vec<String> {
    let log = dir.join("air.out");
    let mut air = std::process::Command::new(oracle::air())
        .current_dir(dir)
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(dir.join("air.err")).unwrap())
        .spawn()
        .unwrap();
    let text = || {
        std::fs::read_to_string(&log).unwrap_or_default()
            + &std::fs::read_to_string(dir.join("air.err")).unwrap_or_default()
    };
    let start = std::time::Instant::now();
    while !text().contains("building...") && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SIGINT by its pid: air stops its build and app and removes nothing of ours.
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    let all = text();
    assert!(all.contains("building..."), "air did not start: {all}");
    all.lines()
        .filter(|l| l.starts_with("[warning]") || l.ends_with("does not exist, skipping"))
        .map(str::to_string)
        .collect()
}

/// air v1.67.4's own warnings (issue #22 §4): the report names each line air prints for the
/// config, no more and no fewer, checked against real air on several configs. A config
/// without entrypoint makes air print the bin deprecation; an include_dir outside root that
/// is missing where air runs is skipped with a line of its own.
#[test]
fn the_warnings_air_prints_are_the_ones_reported() {
    if !which_go() {
        return;
    }
    let main = "package main\n\nfunc main() {}\n";
    for (config, shared) in [
        ("[build]\n  cmd = \"go build -o ./tmp/main .\"\n", false),
        (
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n",
            false,
        ),
        (
            "[build]\n  cmd = \"go build -o ./tmp/app .\"\n  full_bin = \"./tmp/app\"\n  include_dir = [\"../shared\", \"internal\"]\n",
            false,
        ),
        ("[build]\n  include_dir = [\"../shared/\"]\n", true),
        (
            "[build]\n  entrypoint = [\"./tmp/main\", \"serve\"]\n  include_dir = [\"../gone\", \"../gone\"]\n",
            false,
        ),
    ] {
        let repo = project_with(&[
            ("app/go.mod", "module example.com/app\n\ngo 1.21\n"),
            ("app/main.go", main),
            ("app/.air.toml", config),
        ]);
        if shared {
            std::fs::create_dir(repo.path().join("shared")).unwrap();
        }
        let dir = repo.path().join("app");
        let c = run(&dir);
        // Every line in the check's evidence; those that cost reloads are findings too.
        let mut ours: Vec<String> = c["evidence"]["air_prints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect();
        for f in findings(&c) {
            if let Some(line) = f["evidence"]["air_prints"].as_str() {
                assert!(ours.iter().any(|l| l == line), "{line} {c:#}");
                assert!(!line.contains("deprecated"), "{f:#}");
            }
        }
        let mut air = air_prints_at_start(&dir);
        // A line air repeats (an include_dir listed twice) is one finding.
        for lines in [&mut ours, &mut air] {
            lines.sort();
            lines.dedup();
        }
        assert_eq!(ours, air, "{config}\n{c:#}");
        if air.iter().any(|l| l.starts_with("include_dir ")) {
            assert_eq!(finding(&c, "air-warns")["severity"], "warn");
        }
    }
}

/// Two real shapes of a build tied to its author's machine (issue #22 §4): a config in
/// cmd/console/ whose cmd switches to its author's user and cds into their home folder
/// (rasjonell/hybr), and a full_bin into one Windows user's folder (corymurphy/pkiadmin).
/// Each names the path or user; a portable config says nothing.
#[test]
fn a_build_tied_to_one_machine_names_the_home_folder_and_the_user() {
    let hybr = project_with(&[
        ("go.mod", "module example.com/hybr\n\ngo 1.21\n"),
        ("cmd/console/main.go", "package main\n\nfunc main() {}\n"),
        (
            "cmd/console/.air.toml",
            "root = \"../../\"\ntmp_dir = \"./cmd/server/bin\"\n\n[build]\n  cmd = \"su - rasjonell -c \\\"cd /home/rasjonell/Projects/hybr/cmd/server && templ generate\\\" && go build -o ./bin/main ./cmd/console\"\n  bin = \"./bin/main\"\n",
        ),
    ]);
    let c = run(&hybr.path().join("cmd/console"));
    let bound: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "machine-bound-build")
        .collect();
    assert_eq!(bound.len(), 2, "{c:#}");
    for f in &bound {
        assert_at(f, "warn", 5);
    }
    assert_eq!(
        bound[0]["evidence"]["path"], "/home/rasjonell/Projects/hybr/cmd/server",
        "{c:#}"
    );
    assert!(bound[1]["message"]
        .as_str()
        .unwrap()
        .contains("runs as user rasjonell"));

    let pki = project_with(&[
        ("go.mod", "module example.com/pki\n\ngo 1.21\n"),
        ("cmd/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main cmd/main.go\"\n  full_bin = 'C:\\Users\\cory\\workspace\\pkiadmin\\tmp\\main.exe'\n",
        ),
    ]);
    let c = run(pki.path());
    let f = finding(&c, "machine-bound-build");
    assert_at(f, "warn", 3);
    assert_eq!(
        f["evidence"]["path"],
        r"C:\Users\cory\workspace\pkiadmin\tmp\main.exe"
    );
    // What air runs, not the build (Golangcodes/nextdeploy's bin in its author's home).
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("air's start of the app") && !m.contains("the build"),
        "{m}"
    );

    let portable = project_with(&[
        ("go.mod", "module example.com/pki\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"cd $HOME && cd - && go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n",
        ),
    ]);
    let c = run(portable.path());
    assert_lacks(&c, "machine-bound-build");
}

/// exclude_regex and exclude_file that match files the build compiles (issue #22 §4): each
/// finding names the files, and real air (its own event filter, through the oracle) drops a
/// save of every one of them. A regex meant for a tmp folder matches the absolute path of a
/// project that lives under a folder named tmp; "store" was meant for data files; `*.go` in
/// exclude_file matches the root's Go files. Excluding generated templ code, the usual cure
/// for a rebuild loop, is no finding.
#[test]
fn exclusions_that_match_compiled_files_name_them_and_air_agrees() {
    if !which_go() {
        return;
    }
    let base = tempfile::tempdir().unwrap();
    let project = base.path().join("work-tmp/shop");
    let files = [
        ("go.mod", "module example.com/shop\n\ngo 1.21\n"),
        (
            "main.go",
            "package main\n\nimport \"example.com/shop/internal/store\"\n\nfunc main() { store.Open() }\n",
        ),
        ("internal/store/store.go", "package store\n\nfunc Open() { render() }\n"),
        (
            "internal/store/page_templ.go",
            "// Code generated by templ - DO NOT EDIT.\n\npackage store\n\nfunc render() {}\n",
        ),
    ];
    for (path, text) in files {
        let at = project.join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, text).unwrap();
    }
    let project = std::fs::canonicalize(&project).unwrap();
    for (setting, pattern, hidden) in [
        (
            "exclude_regex = [\"_test.go\", \"tmp\"]",
            "tmp",
            vec!["internal/store/store.go", "main.go"],
        ),
        (
            "exclude_regex = [\"_test.go\", \"store\"]",
            "store",
            vec!["internal/store/store.go"],
        ),
        ("exclude_file = [\"*.go\"]", "*.go", vec!["main.go"]),
        (
            "exclude_regex = [\"_test.go\", \"_templ\\\\.go$\"]",
            "",
            vec![],
        ),
    ] {
        std::fs::write(
            project.join(".air.toml"),
            format!("[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n  {setting}\n"),
        )
        .unwrap();
        let c = run(&project);
        let ours: Vec<&Value> = findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "excludes-compiled-files")
            .collect();
        if hidden.is_empty() {
            assert!(ours.is_empty(), "{setting}: {c:#}");
        } else {
            assert_eq!(ours.len(), 1, "{setting}: {c:#}");
            assert_at(ours[0], "fail", 4);
            assert_eq!(ours[0]["evidence"]["pattern"], pattern);
            assert_eq!(
                ours[0]["evidence"]["files"],
                serde_json::json!(hidden),
                "{setting}"
            );
        }
        // What air does with a save of each compiled file: dropped exactly when named.
        let all = ["main.go", "internal/store/store.go"];
        let answer = &oracle::ask(&[oracle::Job {
            dir: project.to_string_lossy().into_owned(),
            config: None,
            events: all
                .iter()
                .map(|f| project.join(f).to_string_lossy().into_owned())
                .collect(),
        }])[0];
        for (file, got) in all.iter().zip(answer["events"].as_array().unwrap()) {
            assert_eq!(
                got["trigger"],
                !hidden.contains(file),
                "{setting}: air on a save of {file}: {answer:#}"
            );
        }
    }
}

/// How many builds real air starts in `seconds` with nobody editing anything.
fn air_builds_without_an_edit(dir: &Path, seconds: u64) -> (usize, String) {
    air_builds_without_an_edit_given(dir, &[], seconds)
}

/// The same, with `args` on air's command line (`--build.include_ext js,css`).
fn air_builds_without_an_edit_given(dir: &Path, args: &[&str], seconds: u64) -> (usize, String) {
    let log = dir.join("air.out");
    let out = std::fs::File::create(&log).unwrap();
    let mut air = std::process::Command::new(oracle::air())
        .args(args)
        .current_dir(dir)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(seconds));
    // SIGINT by its pid: air stops the app it started and exits.
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    (text.matches("building...").count(), text)
}

/// templ in pre_cmd, the shape of the templ/htmx starters (templ generate, then go build,
/// .templ watched): templ v0.3.977 rewrites every _templ.go on each run, and real air builds
/// again and again with no edit; v0.3.1020 and later (v0.3.1118 here) leave an unchanged file alone, and air
/// builds twice (the first templ run writes the file) and stops. The report says a loop
/// for the first, one extra build for the second, and, with no way to know which templ
/// runs, a warning.
#[test]
fn templ_in_pre_cmd_loops_in_real_air_only_up_to_v0_3_1001() {
    if !which_go() {
        return;
    }
    for (version, loops) in [("v0.3.977", true), ("v0.3.1118", false)] {
        let templ = oracle::go_installed("github.com/a-h/templ/cmd/templ", version);
        // Not the temporary folder itself: its name starts with a dot, and air skips a hidden root.
        let repo = project_with(&[
            (
                "site/go.mod",
                &format!("module example.com/site\n\ngo 1.21\n\nrequire github.com/a-h/templ {version}\n"),
            ),
            (
                "site/main.go",
                "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n",
            ),
            (
                "site/views/index.templ",
                "package views\n\ntempl Index(name string) {\n\t<h1>Hello, { name }!</h1>\n}\n",
            ),
            (
                "site/.air.toml",
                &format!(
                    "[build]\n  pre_cmd = [\"{} generate\"]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n  include_ext = [\"go\", \"templ\"]\n  delay = 100\n",
                    templ.display()
                ),
            ),
        ]);
        let dir = repo.path().join("site");
        let c = run(&dir);
        let (problem, severity) = match loops {
            true => ("generated-code-loop", "fail"),
            false => ("generated-extra-build", "info"),
        };
        let f = finding(&c, problem);
        assert_at(f, severity, 2);
        assert_eq!(
            f["evidence"]["generated"],
            serde_json::json!(["views/index_templ.go"])
        );
        assert!(f["message"].as_str().unwrap().contains(version), "{f:#}");

        let (builds, log) = air_builds_without_an_edit(&dir, 8);
        eprintln!("templ {version}: real air built {builds} times in 8 s with no edit");
        if loops {
            assert!(builds >= 4, "templ {version}: {builds} builds\n{log}");
        } else {
            assert!(builds <= 2, "templ {version}: {builds} builds\n{log}");
        }
    }
    // templ nowhere to be found, or a version between the last known to rewrite every file
    // (v0.3.1001) and the first known to compare (v0.3.1020): not known, so a warning.
    for require in ["", "\nrequire github.com/a-h/templ v0.3.1010\n"] {
        let dir = copy_fixture("templ-loop");
        std::fs::write(
            dir.path().join("go.mod"),
            format!("module example.com/fixtures/templ-loop\n\ngo 1.25\n{require}"),
        )
        .unwrap();
        let c = run(dir.path());
        let f = finding(&c, "generated-code-loop");
        assert_eq!(f["severity"], "warn", "{require}");
        assert!(
            f["message"].as_str().unwrap().contains("could not be told"),
            "{f:#}"
        );
    }
}

/// templ beside the app's own air, the shape of hold-out 17's LocalHorst: a second air run
/// with `--build.cmd "templ generate --notify-proxy" --build.bin true --build.include_dir
/// static --build.include_ext js,css` on the app's .air.toml. `--notify-proxy` only tells
/// the proxy to reload and writes no file (real templ v0.3.977 here), and air's
/// command-line lists replace the file's watch set (real air: `templ generate` itself under
/// those flags builds once, no loop, where the file's own watch set loops). No rebuild loop,
/// no package "hidden" from a build that compiles no Go, and no "go" missing from
/// include_ext beyond a note.
#[test]
fn command_line_watch_set_and_notify_proxy_make_no_templ_loop() {
    if !which_go() {
        return;
    }
    let templ = oracle::go_installed("github.com/a-h/templ/cmd/templ", "v0.3.977");
    let templ = templ.display().to_string();
    for (cmd, why) in [
        (format!("{templ} generate --notify-proxy"), "notify only"),
        (
            format!("{templ} generate"),
            "watch set from the command line",
        ),
    ] {
        let repo = project_with(&[
            (
                "site/go.mod",
                "module example.com/site\n\ngo 1.21\n\nrequire github.com/a-h/templ v0.3.977\n",
            ),
            (
                "site/main.go",
                "package main\n\nimport (\n\t\"time\"\n\n\t_ \"example.com/site/views\"\n)\n\nfunc main() { time.Sleep(time.Hour) }\n",
            ),
            ("site/views/doc.go", "package views\n"),
            (
                "site/views/index.templ",
                "package views\n\ntempl Index(name string) {\n\t<h1>Hello, { name }!</h1>\n}\n",
            ),
            ("site/static/app.js", "console.log(1)\n"),
            (
                "site/.air.toml",
                "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n  include_ext = [\"go\", \"templ\"]\n  delay = 100\n",
            ),
            (
                "site/Makefile",
                &format!("live/server:\n\tair\n\nlive/sync_assets:\n\tair \\\n\t--build.cmd \"{cmd}\" \\\n\t--build.bin true \\\n\t--build.delay \"100\" \\\n\t--build.include_dir \"static\" \\\n\t--build.include_ext \"js,css\"\n"),
            ),
        ]);
        let dir = repo.path().join("site");
        let c = run(&dir);
        assert_lacks(&c, "generated-code-loop");
        assert_lacks(&c, "hides-imported-package");
        for f in findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "no-go-ext")
        {
            assert_eq!(f["severity"], "info", "{why}: {f:#}");
        }
        if cmd.ends_with("--notify-proxy") {
            // Real templ: nothing generated (no proxy listens, so it only fails to notify).
            let _ = std::process::Command::new(&templ)
                .args(["generate", "--notify-proxy"])
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(
                !dir.join("views/index_templ.go").exists(),
                "templ generate --notify-proxy wrote views/index_templ.go"
            );
        } else {
            // Real air with the Makefile's flags: the first templ run writes the file, which
            // is not watched there, so one build and no loop.
            let args = [
                "--build.cmd",
                cmd.as_str(),
                "--build.bin",
                "true",
                "--build.delay",
                "100",
                "--build.include_dir",
                "static",
                "--build.include_ext",
                "js,css",
            ];
            let (builds, log) = air_builds_without_an_edit_given(&dir, &args, 6);
            assert!(dir.join("views/index_templ.go").exists(), "{log}");
            assert!(builds <= 2, "{builds} builds with the flags\n{log}");
        }
    }
}

/// Build steps that rewrite watched files with plain tools (issue #22 §4): a `cp` of a
/// stylesheet into the watched static folder and a `sed -i` stamping a watched template, in
/// pre_cmd. Each is a fail naming the file, and real air shows the loop (builds again and
/// again with no edit); the fix (exclude_file) stops it. A path the doctor cannot resolve
/// (`$(OUT)/app.css`) is a warning with the evidence.
#[test]
fn plain_tools_that_rewrite_watched_files_loop_in_real_air() {
    if !which_go() {
        return;
    }
    for (pre_cmd, written) in [
        (
            "cp web/src/app.css web/static/app.css",
            "web/static/app.css",
        ),
        (
            "sed -i s/v[0-9]*/v2/ views/layout.html",
            "views/layout.html",
        ),
    ] {
        let repo = project_with(&[
            ("site/go.mod", "module example.com/site\n\ngo 1.21\n"),
            (
                "site/main.go",
                "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n",
            ),
            ("site/web/src/app.css", "body { color: red }\n"),
            ("site/web/static/app.css", "body { color: red }\n"),
            ("site/views/layout.html", "<p>v1</p>\n"),
            (
                "site/.air.toml",
                &format!("[build]\n  pre_cmd = [\"{pre_cmd}\"]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = \"./tmp/main\"\n  include_ext = [\"go\", \"html\", \"css\"]\n  delay = 100\n"),
            ),
        ]);
        let dir = repo.path().join("site");
        let c = run(&dir);
        let f = finding(&c, "generated-code-loop");
        assert_at(f, "fail", 2);
        assert_eq!(f["evidence"]["generated"], serde_json::json!([written]));
        let (builds, log) = air_builds_without_an_edit(&dir, 6);
        eprintln!("`{pre_cmd}`: real air built {builds} times in 6 s with no edit");
        assert!(builds >= 4, "`{pre_cmd}`: {builds} builds\n{log}");

        std::fs::write(
            dir.join(".air.toml"),
            f["fix"]["action"]["contents"].as_str().unwrap(),
        )
        .unwrap();
        assert!(
            !findings(&run(&dir))
                .iter()
                .any(|f| f["evidence"]["problem"] == "generated-code-loop"),
            "{pre_cmd}"
        );
        let (builds, log) = air_builds_without_an_edit(&dir, 4);
        assert_eq!(builds, 1, "`{pre_cmd}` once excluded\n{log}");
    }

    let dir = project_with(&[
        ("go.mod", "module example.com/site\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  pre_cmd = [\"tailwindcss -i in.css -o $(OUT)/app.css\"]\n  include_ext = [\"go\", \"css\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "generator-output-unknown");
    assert_at(f, "warn", 2);
    assert_eq!(
        f["evidence"]["unresolved"],
        serde_json::json!(["$(OUT)/app.css"])
    );
}

/// The shape of Akkadius/spire's build: `cd ./frontend && npm install && npm run build`,
/// where package.json's build is vue-cli-service writing frontend/dist (index.html, which
/// air watches by default). Without frontend/dist in exclude_dir, a loop (air's own event
/// filter, through the oracle, triggers on that file); with it, as spire has it, nothing.
#[test]
fn a_front_end_bundle_written_into_a_watched_folder_is_a_loop() {
    let files = [
        ("site/go.mod", "module example.com/spire\n\ngo 1.21\n"),
        ("site/main.go", "package main\n\nfunc main() {}\n"),
        (
            "site/frontend/package.json",
            "{\"scripts\": {\"build\": \"NODE_ENV=production node node_modules/@vue/cli-service/bin/vue-cli-service.js build --nomaps\"}}\n",
        ),
        ("site/frontend/dist/index.html", "<div id=app></div>\n"),
    ];
    let cmd = "cd ./frontend && npm install && npm run build && cd ../ && go build -o ./tmp/main .";
    for excluded in [false, true] {
        let repo = project_with(&files);
        let dir = std::fs::canonicalize(repo.path().join("site")).unwrap();
        let exclude = match excluded {
            true => "\n  exclude_dir = [\"frontend/node_modules\", \"frontend/dist\", \"tmp\"]",
            false => "",
        };
        std::fs::write(
            dir.join(".air.toml"),
            format!("[build]\n  cmd = \"{cmd}\"\n  entrypoint = \"./tmp/main\"{exclude}\n"),
        )
        .unwrap();
        let c = run(&dir);
        let loops: Vec<&Value> = findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "generated-code-loop")
            .collect();
        let answer = &oracle::ask(&[oracle::Job {
            dir: dir.to_string_lossy().into_owned(),
            config: None,
            events: vec![dir
                .join("frontend/dist/index.html")
                .to_string_lossy()
                .into_owned()],
        }])[0];
        // air reacts when the folder is watched (its walk) and the event passes its filter.
        let dist = dir.join("frontend/dist").to_string_lossy().into_owned();
        let watched = answer["watched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str() == Some(dist.as_str()));
        assert_eq!(
            watched && answer["events"][0]["trigger"] == true,
            !excluded,
            "{answer:#}"
        );
        if excluded {
            assert!(loops.is_empty(), "{c:#}");
        } else {
            assert_eq!(loops.len(), 1, "{c:#}");
            assert_eq!(loops[0]["severity"], "fail");
            assert_eq!(
                loops[0]["evidence"]["generated"],
                serde_json::json!(["frontend/dist/index.html"])
            );
            assert!(loops[0]["message"]
                .as_str()
                .unwrap()
                .contains("through package.json"));
        }
    }
}

/// Every reloader-config finding with a problem id carries its claim about air (issue #22
/// §5), in the form the schema allows, on the fixtures of each kind.
#[test]
fn each_finding_carries_the_claim_air_can_confirm() {
    for (name, problem, claim) in [
        ("air-bin-mismatch", "binary-mismatch", "binary-mismatch"),
        ("air-no-go-ext", "no-go-ext", "save-does-not-rebuild *.go"),
        ("templ-loop", "generated-code-loop", "build-loop unbounded"),
        ("air-tailwind-loop", "generated-extra-build", "build-loop 1"),
        ("air-unknown-keys", "unknown-key", ""),
    ] {
        let c = run(&fixture(name));
        let f = findings(&c)
            .iter()
            .find(|f| f["evidence"]["problem"] == problem)
            .unwrap_or_else(|| panic!("{name}: no {problem} in {c:#}"));
        match claim {
            "" => assert_eq!(f["evidence"]["claim"], Value::Null, "{name}"),
            claim => assert_eq!(f["evidence"]["claim"], claim, "{name}"),
        }
        for f in findings(&c) {
            if f["evidence"]["problem"].is_string() {
                assert!(f["evidence"].get("claim").is_some(), "{name}: {f:#}");
            }
        }
    }
}

/// Real shapes from the 288-repository corpus: lbe/sfpg-go excludes version.go, which a
/// `//go:generate` beside it bumps (excluded on purpose: a warning); yumenaka/comigo's
/// exclude_regex "_test\\.go" matches a test file its assets embed as data (nothing to say)
/// and "zip" an embedded zip.png (a warning) as well as Go code (download_zip.go: a fail).
#[test]
fn exclusions_of_generator_output_and_embedded_data_are_warnings() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        (
            "main.go",
            "//go:generate ./scripts/gen_version.sh\npackage main\n\nimport _ \"example.com/app/assets\"\n\nfunc main() { _ = Version }\n",
        ),
        ("version.go", "package main\n\nconst Version = \"0.2.243\"\n"),
        (
            "assets/embed.go",
            "package assets\n\nimport \"embed\"\n\n//go:embed epub/* images/*\nvar Files embed.FS\n",
        ),
        ("assets/epub/epub_test.go", "package epub\n"),
        ("assets/images/zip.png", "png"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  exclude_dir = [\"tmp\"]\n  exclude_file = [\"version.go\"]\n  exclude_regex = [\"_test\\\\.go\", \"zip\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let got: Vec<(String, String)> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "excludes-compiled-files")
        .map(|f| {
            (
                f["evidence"]["pattern"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("version.go", "warn"), ("zip", "warn")]
            .map(|(p, s)| (p.to_string(), s.to_string()))
            .to_vec(),
        "{c:#}"
    );
    // Go code the pattern hides, with no generator beside it: the lost rebuild it is.
    std::fs::write(
        dir.path().join("assets/download_zip.go"),
        "package assets\n",
    )
    .unwrap();
    let f = findings(&run(dir.path()))
        .iter()
        .find(|f| f["evidence"]["pattern"] == "zip")
        .cloned()
        .unwrap();
    assert_eq!(f["severity"], "fail", "{f:#}");
}

/// Kenttleton/veloci as a downloaded archive (no `.git`, no go.work): services/web is its own
/// module, and only the root's docker-compose.dev.yml (`context: ./services/web`, `command:
/// air`, `./services/web:/app`) starts air. The repository was taken to be the module, so
/// the root's compose file was never read and the config was judged with no launcher.
#[test]
fn without_git_a_root_compose_naming_the_module_folder_is_still_found() {
    let dir = project_with(&[
        ("services/web/go.mod", "module example.com/web\n\ngo 1.22\n"),
        ("services/web/main.go", "package main\n\nfunc main() {}\n"),
        ("services/web/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/web .\"\n  bin = \"./tmp/web\"\n"),
        (
            "services/web/Dockerfile.dev",
            "FROM golang:1.26-alpine\nRUN go install github.com/air-verse/air@latest\nWORKDIR /app\n",
        ),
        (
            "docker-compose.dev.yml",
            "services:\n  web:\n    build:\n      context: ./services/web\n      dockerfile: Dockerfile.dev\n    command: air\n    volumes:\n      - ./services/web:/app\n",
        ),
    ]);
    let c = run(&dir.path().join("services/web"));
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "docker-compose.dev.yml", "{c:#}");
    assert_eq!(launch["in_container"], true, "{c:#}");
}

/// leifarriens/go-microservices services/auth: compose builds services/auth/Dockerfile's `dev`
/// stage, which installs swag and runs `air -c .air.toml` with the repository on /app; the
/// config's cmd runs `swag init`. swag is missing on this machine, not where air runs:
/// "cmd runs `swag`, which is not on PATH: every build fails" was wrong there.
#[test]
fn a_tool_missing_here_is_not_reported_when_air_runs_only_in_a_container() {
    let config = "[build]\n  cmd = \"rd-no-such-tool init && go build -o ./tmp/auth ./cmd\"\n  bin = \"./tmp/auth\"\n";
    let dir = repository_with(&[
        ("services/auth/go.mod", "module example.com/auth\n\ngo 1.22\n"),
        ("services/auth/cmd/main.go", "package main\n\nfunc main() {}\n"),
        ("services/auth/.air.toml", config),
        (
            "services/auth/Dockerfile",
            "FROM golang:1.22-alpine AS base\nWORKDIR /app\nFROM base AS dev\nRUN go install github.com/air-verse/air@latest && go install example.com/rd-no-such-tool@latest\nWORKDIR /app/services/auth\nCMD [\"air\", \"-c\", \".air.toml\"]\nFROM base AS prod\nCMD [\"/auth\"]\n",
        ),
        (
            "docker-compose.dev.yaml",
            "services:\n  auth-service:\n    build:\n      context: .\n      dockerfile: ./services/auth/Dockerfile\n      target: dev\n    volumes:\n      - type: bind\n        source: .\n        target: /app/\n",
        ),
    ]);
    let c = run(&dir.path().join("services/auth"));
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
    assert_lacks(&c, "tool-not-found");
    // Started on this machine, the same config is judged with this PATH.
    std::fs::write(
        dir.path().join("Makefile"),
        "dev:\n\tcd services/auth && air\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("docker-compose.dev.yaml")).unwrap();
    assert!(
        problems(&run(&dir.path().join("services/auth"))).contains(&"tool-not-found".to_string())
    );
}

/// nurockplayer/tachigo: `docker compose up` merges docker-compose.override.yml, whose
/// `build: target: dev` picks a stage that is not the last; that stage installs the pre_cmd's
/// tool and runs `CMD ["air"]` behind an ENTRYPOINT script ending in `exec "$@"`, which runs
/// the CMD. No launch was found, and the tool missing on this machine was reported.
#[test]
fn an_entrypoint_script_running_its_arguments_runs_the_cmd_of_the_override_target() {
    let config = "[build]\n  pre_cmd = [\"rd-no-such-tool init\"]\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n  bin = \"./tmp/main\"\n";
    let compose = "services:\n  app:\n    image: app:latest\n    build: ./services/api\n    ports:\n      - \"8080:8080\"\n";
    let overrides = "services:\n  app:\n    build:\n      context: ./services/api\n      target: dev\n    volumes:\n      - ./services/api:/app\n";
    let dockerfile = "FROM golang:1.26-alpine AS dev\nRUN go install github.com/air-verse/air@latest && \\\n    go install example.com/rd-no-such-tool@v1.0.0\nWORKDIR /app\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"air\"]\n\nFROM alpine:3.22\nWORKDIR /app\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"/server\"]\n";
    let entrypoint = "#!/bin/sh\nset -eu\nlog() { echo \"$@\"; }\ncase \"${1:-}\" in\n  /server) log migrating ;;\nesac\n\nexec \"$@\"\n";
    let files = |override_name: &str| {
        vec![
            (
                "services/api/go.mod".to_string(),
                "module example.com/api\n\ngo 1.22\n".to_string(),
            ),
            (
                "services/api/cmd/server/main.go".into(),
                "package main\n\nfunc main() {}\n".into(),
            ),
            ("services/api/.air.toml".into(), config.into()),
            ("services/api/Dockerfile".into(), dockerfile.into()),
            ("services/api/entrypoint.sh".into(), entrypoint.into()),
            ("docker-compose.yml".into(), compose.into()),
            (override_name.to_string(), overrides.into()),
        ]
    };
    let make = |override_name: &str| {
        let owned = files(override_name);
        let borrowed: Vec<(&str, &str)> = owned
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        repository_with(&borrowed)
    };
    let dir = make("docker-compose.override.yml");
    // What compose itself merges, where it is installed: the override's target and volume.
    if let Some(merged) = compose_config(dir.path()) {
        assert!(merged.contains("target: dev"), "{merged}");
        assert!(merged.contains("/app"), "{merged}");
    }
    let c = run(&dir.path().join("services/api"));
    assert_eq!(
        launches_of(&c, dir.path()),
        vec![launch("docker-compose.yml", "app", "services/api")],
        "{c:#}"
    );
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
    assert_lacks(&c, "tool-not-found");
    // Without the override compose builds the last stage, whose CMD runs no air.
    std::fs::remove_file(dir.path().join("docker-compose.override.yml")).unwrap();
    let c = run(&dir.path().join("services/api"));
    assert_eq!(launches_of(&c, dir.path()), vec![], "{c:#}");
    // An entrypoint that ignores its arguments does not run the CMD.
    let dir = make("docker-compose.override.yml");
    std::fs::write(
        dir.path().join("services/api/entrypoint.sh"),
        "#!/bin/sh\nrun() { exec \"$@\"; }\nexec /server\n",
    )
    .unwrap();
    let c = run(&dir.path().join("services/api"));
    assert_eq!(launches_of(&c, dir.path()), vec![], "{c:#}");
}

/// `docker compose config` (or docker-compose 1.x) of the project at `dir`, when either is
/// installed here: what compose merges from the files it reads by default.
fn compose_config(dir: &Path) -> Option<String> {
    let tries: [&[&str]; 2] = [
        &["docker", "compose", "config"],
        &["docker-compose", "config"],
    ];
    tries.iter().find_map(|argv| {
        let out = std::process::Command::new(argv[0])
            .args(&argv[1..])
            .current_dir(dir)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    })
}

/// MudgalLabs/arthveda: the Makefile's `dev` target starts tmux, whose second pane runs
/// `sleep 1 && cd api && air -c air.toml` (`split-window ... "CMD" \;`); other repositories
/// type it into a pane (`send-keys -t dev 'cd api && air -c air.toml' C-m`). The pane's
/// command was not read, so "plain `air` never reads air.toml" was said of a config air reads.
#[test]
fn a_command_tmux_runs_in_a_pane_is_a_launcher() {
    for recipe in [
        "\ttmux new-session -d -s app \\\n\t\t\"cd web && npm run dev\" \\; \\\n\t\tsplit-window -v -t 0 \"sleep 1 && cd api && air -c air.toml\" \\; \\\n\t\tselect-pane -t 0\n\ttmux attach -t app\n",
        "\ttmux new-session -d -s app\n\ttmux send-keys -t app 'cd api && air -c air.toml' C-m\n",
    ] {
        let dir = repository_with(&[
            ("api/go.mod", "module example.com/api\n\ngo 1.22\n"),
            ("api/main.go", "package main\n\nfunc main() {}\n"),
            ("api/air.toml", "[build]\n  cmd = \"go build -o ./tmp/api .\"\n  bin = \"./tmp/api\"\n"),
            ("Makefile", &format!("dev:\n{recipe}")),
        ]);
        let c = run(&dir.path().join("api"));
        let launch = &c["evidence"]["launches"][0];
        assert_eq!(launch["file"], "Makefile", "{c:#}");
        assert_eq!(launch["target"], "dev", "{c:#}");
        assert!(
            findings(&c).iter().all(|f| f["severity"] != "warn"),
            "{c:#}"
        );
    }
}

/// dn0/CloudStatusPage: `.air.toml` says `cmd = ""` and the Makefile's only launcher gives
/// `air -build.cmd '/usr/bin/make build/web' -build.bin tmp/web`. air sets command-line
/// values after filling in its defaults, so the build is make's, not "go build -o ./tmp/main
/// .": "cmd = \"\" does nothing" was wrong. Started without the flag, it is right again.
#[test]
fn a_zero_value_every_launcher_overrides_is_not_reported() {
    let files = |recipe: &str| {
        repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            (".air.toml", "[build]\n  cmd = \"\"\n  bin = \"\"\n"),
            (
                "Makefile",
                &format!(
                    "build/web:\n\tgo build -o tmp/web .\n\nrun/web:\n\tLOG_FORMAT=dev {recipe}\n"
                ),
            ),
        ])
    };
    let zero = |c: &Value| {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "zero-value-ignored")
            .map(|f| f["evidence"]["key"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let dir = files("air -build.cmd '/usr/bin/make build/web' -build.bin tmp/web");
    let c = run(dir.path());
    assert_eq!(c["evidence"]["launches"][0]["target"], "run/web", "{c:#}");
    assert_eq!(zero(&c), Vec::<String>::new(), "{c:#}");
    let dir = files("air -build.bin tmp/web");
    assert_eq!(zero(&run(dir.path())), vec!["build.cmd".to_string()]);
}

/// horirinn2000/grpc-connect-envoy: compose builds `context: .` with no `dockerfile:`, and
/// the repository's file is a lowercase `dockerfile` (docker's fallback name) holding
/// `WORKDIR /app`; the service runs `bash -c "air"` with `./services/auth:/app`. The
/// lowercase file was not read, so air's folder in the container was unknown.
#[test]
fn compose_builds_a_lowercase_dockerfile_when_there_is_no_other() {
    let dir = repository_with(&[
        ("go.work", "go 1.22\n\nuse ./services/auth\n"),
        ("services/auth/go.mod", "module example.com/auth\n\ngo 1.22\n"),
        ("services/auth/main.go", "package main\n\nfunc main() {}\n"),
        ("services/auth/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/auth .\"\n  bin = \"./tmp/auth\"\n"),
        ("dockerfile", "FROM golang\nRUN go install github.com/air-verse/air@latest\nWORKDIR /app\n"),
        (
            "compose.yaml",
            "services:\n  auth:\n    build:\n      context: .\n    volumes:\n      - ./services/auth:/app\n    command: bash -c \"air\"\n",
        ),
    ]);
    let c = run(&dir.path().join("services/auth"));
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "compose.yaml", "{c:#}");
    assert_eq!(launch["in_container"], true, "{c:#}");
}

/// nagisa599/go-restapi-template: build/docker-compose.yaml builds `.` (build/, whose file is
/// a lowercase `dockerfile`) with `ENV ROOT=/go/src/` then `WORKDIR ${ROOT}`, mounts `../` on
/// /go/src/ and runs `air -c ./build/.air.toml`. Read with the WORKDIR unexpanded, air's folder
/// was `/${ROOT}` and the config "not there".
#[test]
fn a_dockerfile_workdir_from_an_env_variable_is_expanded() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("build/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n"),
        (
            "build/dockerfile",
            "FROM golang:1.22.4\nENV ROOT=/go/src/\nWORKDIR ${ROOT}\nCOPY . .\nRUN go install github.com/air-verse/air@v1.52.3\nCMD [\"air\", \"-c\", \"./build/.air.toml\"]\n",
        ),
        (
            "build/docker-compose.yaml",
            "services:\n  backend:\n    build: .\n    volumes:\n      - ../:/go/src/\n",
        ),
    ]);
    let c = run(&dir.path().join("build"));
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
    assert_lacks(&c, "launch-config-missing");
}

/// saeedjhn/go-backend-clean-arch: deployments/development/docker-compose.yaml has an `nginx`
/// service with `image: nginx:1.27.3-alpine` and a stray `build: context: .`, the folder of
/// the app's Dockerfile (whose last stage runs `air -c .air.toml`). Compose pulls the image
/// first and builds only when that fails, so nginx runs; the doctor read the Dockerfile's
/// CMD as nginx's and said its `air -c .air.toml` had no config. With `pull_policy: build`
/// the Dockerfile is what runs.
#[test]
fn a_service_naming_an_official_image_beside_a_stray_build_runs_that_image() {
    let compose = |policy: &str| {
        format!("services:\n  app:\n    image: clean-arch_app:0.1.0-dev\n    build:\n      context: ../..\n      target: dev\n      dockerfile: deployments/development/Dockerfile\n    volumes:\n      - ../../:/app\n  nginx:\n    build:\n      context: .\n    image: nginx:1.27.3-alpine\n{policy}    volumes:\n      - ./nginx/nginx.conf:/etc/nginx/nginx.conf\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./build/main ./cmd/main.go\"\n  bin = \"./build/main\"\n",
        ),
        (
            "deployments/development/Dockerfile",
            "FROM golang:1.23.2 AS builder\nENV PROJECT_DIR=/app\nWORKDIR $PROJECT_DIR\nCOPY . .\nRUN go install github.com/air-verse/air@latest\n\nFROM golang:1.23.2-alpine3.20 AS dev\nWORKDIR /app\nCOPY --from=builder /app .\nCOPY --from=builder /go/bin/air /usr/local/bin/air\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
        ("deployments/development/docker-compose.yaml", &compose("")),
    ]);
    let c = run(dir.path());
    let targets: Vec<&str> = c["evidence"]["launches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, vec!["app"], "{c:#}");
    assert_lacks(&c, "launch-config-missing");
    std::fs::write(
        dir.path()
            .join("deployments/development/docker-compose.yaml"),
        compose("    pull_policy: build\n"),
    )
    .unwrap();
    let f = finding(&run(dir.path()), "launch-config-missing").clone();
    assert_eq!(f["evidence"]["target"], "nginx", "{f:#}");
}

/// SamuelEMason/application: compose.yml's `api` service names `image: golang:1.22-alpine3.19`
/// beside `build: {context: ./api, dockerfile: api.dockerfile}`, and the Makefile runs
/// `docker-compose up --build -d`. `--build` sets pull_policy to build for every service with
/// `build:`, so the Dockerfile is built (tagged golang:1.22-alpine3.19) and its
/// `ENTRYPOINT ["air"]` runs: its stopping `go get -u github.com/cosmtrek/air` belongs to that
/// service, not to a Dockerfile that "may be unused". Plain `up` pulls the official image and
/// runs it instead, which stays as it was.
#[test]
fn compose_up_build_builds_a_service_whose_image_names_an_official_image() {
    let dir = repository_with(&[
        ("api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("api/go.sum", ""),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "api/api.dockerfile",
            "FROM golang:1.22-alpine3.19\n\nWORKDIR /app\n\nCOPY go.mod go.sum ./\n\nRUN go mod download\n\nCOPY *.go ./\n\nRUN go get -u github.com/cosmtrek/air\n\nENTRYPOINT [ \"air\" ]\n",
        ),
        (
            "compose.yml",
            "services:\n    api:\n        image: golang:1.22-alpine3.19\n        build:\n            context: ./api\n            dockerfile: api.dockerfile\n        volumes:\n            - ./api:/app\n",
        ),
        ("Makefile", "up:\n\t@docker-compose up -d\n"),
    ]);
    let c = run(&dir.path().join("api"));
    let f = finding(&c, "air-install-fails").clone();
    assert!(
        f["message"].as_str().unwrap().contains("may be unused"),
        "{f:#}"
    );
    std::fs::write(
        dir.path().join("Makefile"),
        "up:\n\t@docker-compose up --build -d\n",
    )
    .unwrap();
    let c = run(&dir.path().join("api"));
    let f = finding(&c, "air-install-fails").clone();
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("so the compose.yml's `api` service (compose.yml:2) never starts air"),
        "{f:#}"
    );
    assert!(!message.contains("may be unused"), "{f:#}");
}

/// daisuke0925m/go_graph_real_api: api/Dockerfile.dev (golang:1.15.8) runs
/// `GO111MODULE=off go get -u github.com/cosmtrek/air`, and docker-compose.yml's `api`
/// service starts it through entrypoint.sh's plain `air`. GOPATH mode fetches air's default
/// branch, not a release (no go.mod read): the newest air's code, which needs Go 1.26 (its
/// go.mod; it uses `any`), so the image build stops there. The doctor said air v1.15.1 (the
/// newest release Go 1.15 builds) still reads .air.conf. On Go 1.22 and later, GOPATH-mode
/// `go get` is gone: the quoted error is real go's (run here when go is on PATH).
#[test]
fn a_gopath_mode_go_get_of_air_builds_its_default_branch() {
    let dockerfile = |image: &str| {
        format!("FROM {image}\n\nWORKDIR /app\n\nRUN GO111MODULE=off go get -u github.com/cosmtrek/air && \\\n  go get -u bitbucket.org/liamstask/goose/cmd/goose\n\nENTRYPOINT [\"sh\", \"./entrypoint.sh\"]\n")
    };
    let dir = repository_with(&[
        ("api/go.mod", "module example.com/api\n\ngo 1.15\n"),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        ("api/.air.conf", "root = \".\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n"),
        ("api/entrypoint.sh", "#!/bin/bash\nset -e\nif [ $GO_ENV = \"development\" ]; then\n  air\nfi\n"),
        ("api/Dockerfile.dev", &dockerfile("golang:1.15.8")),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build:\n      context: .\n      dockerfile: ./api/Dockerfile.dev\n    volumes:\n      - ./api:/app\n",
        ),
    ]);
    let c = run(&dir.path().join("api"));
    let text = c.to_string();
    assert!(!text.contains("v1.15.1"), "{c:#}");
    let stop = findings(&c)
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("GO111MODULE=off go get")
        })
        .unwrap_or_else(|| panic!("no finding on the GOPATH-mode go get in {c:#}"));
    assert_eq!(stop["severity"], "warn", "{stop:#}");
    let message = stop["message"].as_str().unwrap();
    assert!(message.contains("default branch"), "{stop:#}");
    assert!(message.contains("Go 1.15 cannot compile it"), "{stop:#}");
    std::fs::write(
        dir.path().join("api/Dockerfile.dev"),
        dockerfile("golang:1.22"),
    )
    .unwrap();
    let c = run(&dir.path().join("api"));
    let quoted = "go: modules disabled by GO111MODULE=off; see 'go help modules'";
    assert!(c.to_string().contains(quoted), "{c:#}");
    // Real go (1.22 or later) in a folder with no go.mod says it.
    let empty = tempfile::tempdir().unwrap();
    if let Ok(out) = std::process::Command::new("go")
        .args(["get", "-u", "github.com/cosmtrek/air"])
        .env("GO111MODULE", "off")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "")
        .current_dir(empty.path())
        .output()
    {
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert_eq!(said.trim(), quoted);
    }
}

/// gocanto/bridge (the Makefile runs plain `air`, the only config is `.air.local.toml`) and
/// h0lm0/pwnthemall's backend (`air.toml`, no launcher): air never reads the file, so its
/// `send_interrupt = true` without kill_delay, its zero poll_interval and its stop_on_error
/// change nothing and are not said. What is true of its keys wherever air reads it stays
/// (`colour` is no air setting): renaming the file, the advice, would not make it one.
#[test]
fn a_config_air_never_reads_keeps_only_its_key_findings() {
    let settings = "root = \".\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o ./tmp/main .\"\n  poll_interval = 0\n  send_interrupt = true\n  stop_on_error = false\n  colour = \"yes\"\n";
    for (config, makefile) in [
        (".air.local.toml", Some("air:\n\tair\n")),
        ("air.toml", None),
    ] {
        let mut files = vec![
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            (config, settings),
        ];
        files.extend(makefile.map(|m| ("Makefile", m)));
        let dir = repository_with(&files);
        let c = run(dir.path());
        let mut found = problems(&c);
        found.sort();
        assert_eq!(
            found,
            vec!["config-not-read", "unknown-key"],
            "{config}: {c:#}"
        );
        // Its settings differ from air's (send_interrupt, stop_on_error): not reading them
        // matters; the unknown key changes nothing while air never reads the file.
        assert_eq!(finding(&c, "config-not-read")["severity"], "warn");
        assert_eq!(finding(&c, "unknown-key")["severity"], "info");
    }
}

/// AndrianMeyhta/microsyncpro: backend/air.toml (no dot), which plain `air` never reads, holds
/// what `air init` writes (cmd, bin, include_ext, delay 1000, air's colours), an exclude_dir
/// that differs from air's only in folders the project does not have, and a `[run]` table air
/// does not know. Real air with the file and without it has the same settings and watches the
/// same folders: not reading it is a note, and so is the unknown table. Once the file's
/// exclude_dir leaves out a folder the project has, the two differ, but only in what the
/// defaults watch more: still a note, naming exclude_dir.
#[test]
fn an_unread_config_holding_air_defaults_is_a_note() {
    let config = |exclude: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  include_ext = [\"go\", \"tpl\", \"tmpl\", \"html\"]\n  exclude_dir = [{exclude}]\n  delay = 1000 # ms\n\n[run]\n  cmds = [\". /tmp/main\"]\n\n[log]\n  time = false\n\n[color]\n  main = \"magenta\"\n  watcher = \"cyan\"\n")
    };
    for (exclude, same) in [
        ("\"tmp\", \"vendor\", \"node_modules\"", true),
        ("\"tmp\", \"vendor\", \"web\"", false),
    ] {
        let text = config(exclude);
        let dir = repository_with(&[
            ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("app/main.go", "package main\n\nfunc main() {}\n"),
            ("app/handlers/h.go", "package handlers\n"),
            ("app/web/index.html", "<p>hi</p>\n"),
            ("app/air.toml", &text),
        ]);
        // Not the temporary folder itself: its name starts with a dot, and air watches
        // nothing under a hidden root.
        let app = dir.path().join("app");
        let c = run(&app);
        let not_read = finding(&c, "config-not-read");
        let unknown = finding(&c, "unknown-key");
        assert_eq!(unknown["severity"], "info", "{c:#}");
        assert_eq!(unknown["evidence"]["key"], "run", "{c:#}");
        // Leaving out web/ only makes air's defaults watch more, which costs nothing
        // (hold-out 19): a note either way, said to differ in exclude_dir.
        assert_eq!(c["status"], "info", "{c:#}");
        assert_eq!(not_read["severity"], "info", "{not_read:#}");
        assert_eq!(
            not_read["evidence"]["same_as_defaults"],
            if same {
                serde_json::json!(true)
            } else {
                serde_json::json!("but-timing")
            },
            "{not_read:#}"
        );
        // What real air does with the file and without it.
        let d = app.to_string_lossy().into_owned();
        let go = app.join("web/index.html").to_string_lossy().into_owned();
        let answers = oracle::ask(&[
            oracle::Job {
                dir: d.clone(),
                config: Some(app.join("air.toml").to_string_lossy().into_owned()),
                events: vec![go.clone()],
            },
            oracle::Job {
                dir: d,
                config: None,
                events: vec![go],
            },
        ]);
        let (with, without) = (&answers[0], &answers[1]);
        let mut a = with["config"].clone();
        let mut b = without["config"].clone();
        a["exclude_dir"] = Value::Null;
        b["exclude_dir"] = Value::Null;
        assert_eq!(a, b, "{with:#} {without:#}");
        assert_eq!(
            with["watched"] == without["watched"] && with["events"] == without["events"],
            same,
            "{with:#} {without:#}"
        );
    }
}

/// DVK-DEVOPS/DVK-Project's `[log] color = true`, sotanext-team/golang-base-template's
/// `[color] server = ""`: keys air does not have in the tables of its output's look. air
/// ignores them (real air's settings are the same with and without the line) and nothing
/// but the look could change: notes. A misspelt key in [build] is still a warning.
#[test]
fn unknown_keys_in_the_tables_of_airs_look_are_notes() {
    let base = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n";
    let text = format!(
        "{base}  exlude_dir = [\"web\"]\n\n[log]\n  color = true\n\n[color]\n  server = \"\"\n\n[screen]\n  clear = true\n\n[misc]\n  clean = true\n"
    );
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", &text),
    ]);
    let c = run(dir.path());
    let unknown: Vec<(String, String)> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unknown-key")
        .map(|f| {
            (
                f["evidence"]["key"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("build.exlude_dir", "warn"),
        ("log.color", "info"),
        ("color.server", "info"),
        ("screen.clear", "info"),
        ("misc.clean", "info"),
    ]
    .iter()
    .map(|(k, s)| (k.to_string(), s.to_string()))
    .collect();
    assert_eq!(unknown, want, "{c:#}");
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    std::fs::write(plain.join(".air.toml"), base).unwrap();
    let answers = oracle::ask(&[
        oracle::Job {
            dir: dir.path().to_string_lossy().into_owned(),
            config: Some(dir.path().join(".air.toml").to_string_lossy().into_owned()),
            events: vec![],
        },
        oracle::Job {
            dir: dir.path().to_string_lossy().into_owned(),
            config: Some(plain.join(".air.toml").to_string_lossy().into_owned()),
            events: vec![],
        },
    ]);
    assert!(answers[0]["error"].is_null(), "{:#}", answers[0]);
    assert_eq!(answers[0]["config"], answers[1]["config"], "{answers:#?}");
}

/// Dhanasaitholeti/builder.io and HareNTortoise/Aarthik-Setu: server/air.toml, which nothing
/// runs air with, has only `root`/`tmp_dir` at their defaults and keys air does not have
/// (`build_cmd`, `run_cmd`, `[dir]`, `[exclude]`). "Rename it to .air.toml" alone would change
/// nothing, so each unknown key is still named; as notes, with not reading the file: air
/// behaves the same whether it reads it or not (the keys it knows are its defaults).
#[test]
fn an_unread_config_of_unknown_keys_names_them() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/app/main.go", "package main\n\nfunc main() {}\n"),
        (
            "air.toml",
            "root = \"./\"\ntmp_dir = \"tmp\"\nbuild_cmd = \"go build -o ./tmp/main.exe ./cmd/app/main.go\"\nrun_cmd = \"./tmp/main\"\n\n[dir]\n  paths = [\"cmd\", \"internal\"]\n\n[exclude]\n  paths = [\"tmp\"]\n",
        ),
    ]);
    let c = run(dir.path());
    assert_eq!(finding(&c, "config-not-read")["severity"], "info", "{c:#}");
    let unknown: Vec<&str> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unknown-key")
        .map(|f| f["evidence"]["key"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(unknown.len(), 4, "{c:#}");
    assert_eq!(c["status"], "info", "{c:#}");
    assert!(
        findings(&c).iter().all(|f| f["severity"] != "fail"),
        "{c:#}"
    );
}

/// Evelynn8Bit/JackedBox: server/air.toml ends in a truncated `build.` and nothing launches
/// air. Plain air never opens it (air runs on its defaults), so "air stops with failed to
/// parse" is said on its condition, `air -c air.toml` (asked of real air), as a warn, beside
/// config-not-read; a wrong value type likewise. The same file passed by a launcher fails.
#[test]
fn an_unread_config_that_would_stop_air_warns_on_that_condition() {
    let broken = "[build]\nbin = \"main\"\ncmd = \"go build -o main .\"\n\nbuild.\n";
    let base = [
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut files = base.to_vec();
        files.extend_from_slice(extra);
        repository_with(&files)
    };
    let dir = with(&[("air.toml", broken)]);
    let c = run(dir.path());
    let f = finding(&c, "not-toml");
    assert_eq!(f["severity"], "warn", "{c:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("if run with `air -c air.toml`, air stops with \"failed to parse air.toml\""),
        "{f:#}"
    );
    assert_eq!(finding(&c, "config-not-read")["severity"], "warn", "{c:#}");
    let answer = &oracle::ask(&[oracle::Job {
        dir: dir.path().to_string_lossy().into_owned(),
        config: Some("air.toml".into()),
        events: vec![],
    }])[0];
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("parsing error")),
        "{answer:#}"
    );

    let dir = with(&[("air.toml", "[build]\n  delay = \"1s\"\n")]);
    let c = run(dir.path());
    let f = finding(&c, "wrong-type");
    assert_eq!(f["severity"], "warn", "{c:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("if run with `air -c air.toml`, air refuses to start"),
        "{f:#}"
    );

    let dir = with(&[
        ("air.toml", broken),
        ("Makefile", "dev:\n\tair -c air.toml\n"),
    ]);
    let c = run(dir.path());
    assert_eq!(finding(&c, "not-toml")["severity"], "fail", "{c:#}");
    assert!(
        findings(&c)
            .iter()
            .all(|f| f["evidence"]["problem"] != "config-not-read"),
        "{c:#}"
    );
}

/// leifarriens/go-microservices' auth service: cmd runs `swag init` (which writes docs/) and
/// then `go build`, and exclude_dir has "docs". Each build writes docs/ again from the
/// annotated handlers, so a save there is never what runs: the exclusion is deliberate, and
/// "exclude_dir entry \"docs\" hides docs/" was a wrong warning. The same for a package sqlc
/// fills in pre_cmd. Still said when the generator writes elsewhere.
#[test]
fn a_folder_the_build_regenerates_every_time_may_be_excluded() {
    if !which_go() {
        return;
    }
    let config = |cmd: &str, pre: &str, exclude: &str| {
        format!("[build]\n  pre_cmd = [{pre}]\n  cmd = \"{cmd} && go build -o=./tmp/bin/auth ./cmd/main.go\"\n  bin = \"./tmp/bin/auth\"\n  stop_on_error = true\n  exclude_dir = [\"tmp\", {exclude}]\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/auth\n\ngo 1.22\n"),
        (
            "cmd/main.go",
            "package main\n\nimport (\n\t_ \"example.com/auth/docs\"\n\t_ \"example.com/auth/internal/db\"\n)\n\nfunc main() {}\n",
        ),
        (
            "docs/docs.go",
            "// Package docs Code generated by swaggo/swag. DO NOT EDIT\npackage docs\n\nconst Title = \"auth\"\n",
        ),
        ("docs/swagger.yaml", "info:\n  title: auth\n"),
        (
            "internal/db/queries.sql.go",
            "// Code generated by sqlc. DO NOT EDIT.\n\npackage db\n\nconst Q = 1\n",
        ),
        (
            ".air.toml",
            &config("swag init --dir ./cmd --generalInfo main.go --outputTypes yaml,go", "", "\"docs\""),
        ),
    ]);
    let hidden = |c: &Value| -> Vec<String> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "hides-imported-package")
            .map(|f| f["evidence"]["dirs"][0].as_str().unwrap().to_string())
            .collect()
    };
    let cfg = dir.path().join(".air.toml");
    let c = run(dir.path());
    assert_eq!(hidden(&c), Vec::<String>::new(), "{c:#}");
    std::fs::write(&cfg, config("true", "\"sqlc generate\"", "\"internal/db\"")).unwrap();
    let c = run(dir.path());
    assert_eq!(hidden(&c), Vec::<String>::new(), "{c:#}");
    // swag writes api/docs, so docs/ is what someone regenerates by hand.
    std::fs::write(&cfg, config("swag init -o api/docs", "", "\"docs\"")).unwrap();
    assert_eq!(hidden(&run(dir.path())), vec!["docs".to_string()]);
}

/// Kenttleton/veloci's web service: docker-compose.dev.yml builds services/web/Dockerfile.dev
/// (FROM golang:1.26-alpine, `go install` of air and templ) and runs `air` there; the config's
/// pre_cmd runs `templ generate`. The image has templ: nothing to say. Without its install
/// line the image surely lacks it (the whole Dockerfile read, a known base): said, naming the
/// Dockerfile and the line to add. A script that may install it, or an unknown base image:
/// nothing, as whether it is there cannot be told. Before, no container was ever judged.
#[test]
fn a_tool_the_containers_image_lacks_is_named_with_its_dockerfile() {
    let dockerfile = |install: &str| {
        format!("FROM golang:1.26-alpine\nRUN go install github.com/air-verse/air@latest{install}\nWORKDIR /app\n")
    };
    let dir = repository_with(&[
        ("services/web/go.mod", "module example.com/web\n\ngo 1.22\n"),
        ("services/web/main.go", "package main\n\nfunc main() {}\n"),
        (
            "services/web/.air.toml",
            "[build]\n  pre_cmd = [\"templ generate\"]\n  cmd = \"go build -o ./tmp/web .\"\n  bin = \"./tmp/web\"\n  stop_on_error = true\n",
        ),
        (
            "services/web/Dockerfile.dev",
            &dockerfile(" && \\\n    go install github.com/a-h/templ/cmd/templ@latest"),
        ),
        (
            "docker-compose.dev.yml",
            "services:\n  web:\n    build:\n      context: ./services/web\n      dockerfile: Dockerfile.dev\n    command: air\n    volumes:\n      - ./services/web:/app\n",
        ),
    ]);
    let web = dir.path().join("services/web");
    let tool_findings = |c: &Value| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "tool-not-found")
            .cloned()
            .collect()
    };
    let c = run(&web);
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
    assert_eq!(tool_findings(&c), Vec::<Value>::new(), "{c:#}");

    std::fs::write(web.join("Dockerfile.dev"), dockerfile("")).unwrap();
    let c = run(&web);
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["severity"], "warn");
    assert_eq!(f["evidence"]["program"], "templ", "{f:#}");
    assert_eq!(
        f["evidence"]["image"]["dockerfile"],
        "services/web/Dockerfile.dev"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("services/web/Dockerfile.dev builds it FROM golang:1.26-alpine"),
        "{message}"
    );
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("RUN go install github.com/a-h/templ/cmd/templ@latest"),
        "{f:#}"
    );

    for unsure in [
        dockerfile("\nCOPY scripts/tools.sh /tmp/\nRUN sh /tmp/tools.sh"),
        "FROM mcr.microsoft.com/devcontainers/go:1\nRUN go install github.com/air-verse/air@latest\nWORKDIR /app\n".to_string(),
    ] {
        std::fs::write(web.join("Dockerfile.dev"), &unsure).unwrap();
        assert_eq!(tool_findings(&run(&web)), Vec::<Value>::new(), "{unsure}");
    }
}

/// A compose service that runs an image as it is (`image: golang:1.23-alpine`, no build):
/// Alpine's golang image has go and nothing else, so `make` in the build is surely missing,
/// and the line to add is apk's.
#[test]
fn a_tool_missing_from_an_image_run_as_it_is_is_named() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"make build\"\n  bin = \"./tmp/main\"\n",
        ),
        ("Makefile", "build:\n\tgo build -o ./tmp/main .\n"),
        (
            "compose.yaml",
            "services:\n  api:\n    image: golang:1.23-alpine\n    working_dir: /src\n    volumes: ['.:/src']\n    command: sh -c \"go install github.com/air-verse/air@latest && air\"\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["evidence"]["program"], "make", "{f:#}");
    assert!(
        f["fix"]["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("apk add --no-cache make"),
        "{f:#}"
    );
    // golang's Debian image has make.
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  api:\n    image: golang:1.23\n    working_dir: /src\n    volumes: ['.:/src']\n    command: sh -c \"go install github.com/air-verse/air@latest && air\"\n",
    )
    .unwrap();
    assert!(!problems(&run(dir.path())).contains(&"tool-not-found".to_string()));
}

/// The report's project folder and config, relative to `dir`.
fn project_of(report: &Value, dir: &Path) -> (String, String) {
    let real = std::fs::canonicalize(dir).unwrap();
    let rel = |key: &str| {
        let p = Path::new(report["project"][key].as_str().unwrap_or(""));
        p.strip_prefix(&real).unwrap_or(p).display().to_string()
    };
    (rel("root"), rel("config"))
}

/// dstuessy/film-scanner: `build/air.toml` (root ".", `go build -o ./tmp/dev/film-scanner .`)
/// sits in build/, which holds Dockerfiles and scripts but no Go code; go.mod and main.go are
/// in the parent and nothing launches air. Taken as its own project, build/ was air's folder
/// and the report said "rename it to .air.toml", which would build nothing there; from the
/// root it said no reloader at all. It can only be run as `air -c build/air.toml` from the
/// module root: judged so, from either folder, and said to be assumed. A deploy folder whose
/// build is `cp main.run ./tmp/main` (dodofun/iris-starter's deploy/.air.toml, run there on
/// a server) stays its own project.
#[test]
fn a_config_in_a_folder_without_go_code_is_judged_from_the_module_root() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("build/Dockerfile.alpine.arm", "FROM golang:alpine\nRUN go build -o /app .\n"),
        ("build/pi-restart.sh", "#!/bin/sh\nsystemctl restart app\n"),
        (
            "build/air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/dev/app\"\n  cmd = \"go build -o ./tmp/dev/app .\"\n  delay = 0\n  exclude_dir = [\"tmp\"]\n  stop_on_error = true\n",
        ),
    ]);
    for start in [".", "build"] {
        let (_, report) = json_report(&dir.path().join(start), &["--only", "reloader-config"]);
        assert_eq!(
            report["project"]["reloader"], "air",
            "from {start}: {report:#}"
        );
        assert_eq!(
            project_of(&report, dir.path()),
            ("".to_string(), "build/air.toml".to_string()),
            "from {start}"
        );
        let c = check(&report, "reloader-config");
        let f = finding(c, "config-not-read");
        assert_eq!(f["severity"], "info", "{f:#}");
        assert_eq!(f["evidence"]["assumed"], true, "{f:#}");
        let m = f["message"].as_str().unwrap();
        assert!(
            m.contains("`air -c build/air.toml`") && m.contains("assumed") && !m.contains("rename"),
            "{m}"
        );
        // The file's own settings are judged (delay = 0: a note, issue 22).
        assert_eq!(
            finding(c, "zero-value-ignored")["severity"],
            "info",
            "{c:#}"
        );
    }
    // A folder air runs in on its own: its build is no `go build` and needs nothing of the
    // module root.
    std::fs::create_dir(dir.path().join("deploy")).unwrap();
    std::fs::write(
        dir.path().join("deploy/.air.toml"),
        "[build]\n  cmd = \"cp main.run ./tmp/main\"\n  bin = \"./tmp/main\"\n  include_ext = [\"run\"]\n",
    )
    .unwrap();
    let (_, report) = json_report(&dir.path().join("deploy"), &["--only", "reloader-config"]);
    assert_eq!(
        project_of(&report, dir.path()),
        ("deploy".to_string(), "deploy/.air.toml".to_string())
    );
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(project_of(&report, dir.path()).1, "build/air.toml");
    // Two folders whose build runs only from the root: which one is meant is not known.
    std::fs::create_dir(dir.path().join("configs")).unwrap();
    std::fs::write(
        dir.path().join("configs/air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n",
    )
    .unwrap();
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["config"], Value::Null, "{report:#}");
    // A Makefile runs plain `air` in the root: build/air.toml is not read, and renaming it in
    // build/ would not change that. It differs from air's defaults only in the binary's name
    // and stop_on_error (hold-out 10): a note, whose advice is still `air -c`.
    std::fs::write(dir.path().join("Makefile"), "dev:\n\tair\n").unwrap();
    let (_, report) = json_report(&dir.path().join("build"), &["--only", "reloader-config"]);
    assert_eq!(project_of(&report, dir.path()).0, "");
    let f = finding(check(&report, "reloader-config"), "config-not-read");
    assert_eq!(f["severity"], "info", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("`air -c build/air.toml`") && !m.contains("rename"),
        "{m}"
    );
}

/// Pheethy/basicGORM, Pheethy/todo, SurrealGod/jelly-shop: the only air configs are
/// `.air.dev.toml` (and `.air.prod.toml`), run as `air -c .air.dev.toml` (their READMEs and
/// forgetz/go-kawaii-shop's say so), and nothing launches air. The report said
/// `reloader: none` and checked nothing, though `delay = 0` is ignored by air. Each is judged
/// as `air -c FILE` in its folder, the development one first, and said to be assumed.
#[test]
fn only_variant_configs_and_no_launcher_are_each_judged_as_air_c() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.dev.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\nbin = \"./tmp/main\"\ncmd = \"go build -o ./tmp/main .\"\ndelay = 0\nexclude_dir = [\"tmp\"]\nstop_on_error = true\n",
        ),
        (
            ".air.prod.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\nbin = \"./tmp/main\"\ncmd = \"go build -o ./tmp/main .\"\nexclude_dir = [\"tmp\"]\nstop_on_error = true\nexlude_file = []\n",
        ),
    ]);
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["reloader"], "air", "{report:#}");
    assert_eq!(project_of(&report, dir.path()).1, ".air.dev.toml");
    let c = check(&report, "reloader-config");
    let zero = finding(c, "zero-value-ignored");
    assert_eq!(zero["evidence"]["file"], ".air.dev.toml", "{zero:#}");
    assert_eq!(zero["severity"], "info");
    let typo = finding(c, "unknown-key");
    assert_eq!(typo["evidence"]["file"], ".air.prod.toml", "{typo:#}");
    let assumed: Vec<&str> = findings(c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "config-not-read")
        .map(|f| {
            assert_eq!(f["severity"], "info", "{f:#}");
            assert_eq!(f["evidence"]["assumed"], true, "{f:#}");
            f["evidence"]["file"].as_str().unwrap()
        })
        .collect();
    assert_eq!(assumed, [".air.dev.toml", ".air.prod.toml"], "{c:#}");
}

/// BuiHuyPhuc/go-learning: Dockerfile.dev (`WORKDIR /app`, `COPY . .`) runs
/// `air -c .air.dev.toml -d`, whose `[watcher]` section (poll = true) air does not know: polling
/// is off in the container. Only `.air.toml` was judged, and the launched file got an info.
/// The launched file is judged where the Dockerfile runs it; a third config no launcher names
/// (`.air.prod.toml`) beside it is not judged as if air ran it.
#[test]
fn every_config_a_launcher_passes_is_judged_where_it_runs() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o tmp/main cmd/server/main.go\"\n  bin = \"tmp/main\"\n  exclude_dir = [\"tmp\"]\n  stop_on_error = true\n",
        ),
        (
            ".air.dev.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o tmp/main cmd/server/main.go\"\n  bin = \"tmp/main\"\n  exclude_dir = [\"tmp\"]\n  stop_on_error = true\n\n[watcher]\n  poll = true\n  poll_interval = 100\n",
        ),
        (
            ".air.prod.toml",
            "[build]\n  cmd = \"go build -o tmp/main cmd/server/main.go\"\n  bin = \"tmp/main\"\n  delay = 0\n",
        ),
        (
            "Dockerfile.dev",
            "FROM golang:alpine\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\nCOPY go.mod ./\nCOPY . .\nCMD [ \"air\", \"-c\", \".air.dev.toml\", \"-d\" ]\n",
        ),
    ]);
    let c = run(dir.path());
    let unknown = finding(&c, "unknown-key");
    assert_eq!(unknown["evidence"]["file"], ".air.dev.toml", "{c:#}");
    assert_eq!(unknown["evidence"]["key"], "watcher", "{c:#}");
    assert_eq!(unknown["severity"], "warn");
    // Judged in the container the Dockerfile starts.
    let also = &c["evidence"]["also"][0];
    assert_eq!(also["file"], ".air.dev.toml", "{c:#}");
    assert_eq!(also["launches"][0]["file"], "Dockerfile.dev", "{c:#}");
    assert_eq!(also["launches"][0]["in_container"], true, "{c:#}");
    // .air.toml, which no launcher runs, is judged as plain `air` typed here, and said so.
    let other = &finding(&c, "other-config-launched")["message"];
    assert!(other.as_str().unwrap().contains("assumed"), "{other}");
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains(".air.prod.toml")),
        "{c:#}"
    );
}

/// Dzikuri/simple-withraw-and-store-money: the Makefile's `run/linux/live` target runs
/// `air -c .air.linux.toml` and `run/windows/live` runs `air -c .air.windows.toml`, whose
/// `bin = "build\\tmp\\bin\\main.exe"` is right on Windows. Judged as a launched config, the
/// Windows one was said to fail on Linux; a file named for Windows is run there. Its
/// `delay = 0` is still ignored by air on any system.
#[test]
fn a_config_named_for_windows_is_not_told_it_fails_on_linux() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            "build/.air.linux.toml",
            "root = \".\"\ntmp_dir = \"build/tmp\"\n\n[build]\n  cmd = \"go build -o ./build/tmp/bin/main ./cmd/server\"\n  bin = \"./build/tmp/bin/main\"\n  exclude_dir = [\"build\"]\n  stop_on_error = true\n",
        ),
        (
            "build/.air.windows.toml",
            "root = \".\"\ntmp_dir = \"build\\\\tmp\"\n\n[build]\n  cmd = \"go build -o ./build/tmp/bin/main.exe ./cmd/server\"\n  bin = \"build\\\\tmp\\\\bin\\\\main.exe\"\n  delay = 0\n  exclude_dir = [\"build\"]\n  stop_on_error = true\n",
        ),
        (
            "Makefile",
            "build_path = build\n\nrun/linux/live:\n\tair -c ${build_path}/.air.linux.toml\n\nrun/windows/live:\n\tair -c ${build_path}/.air.windows.toml\n",
        ),
    ]);
    let c = run(dir.path());
    assert_eq!(c["evidence"]["file"], "build/.air.linux.toml", "{c:#}");
    assert_lacks(&c, "windows-only-config");
    let zero = finding(&c, "zero-value-ignored");
    assert_eq!(
        zero["evidence"]["file"], "build/.air.windows.toml",
        "{zero:#}"
    );
}

/// The launches of `c` as (file, target, air's folder relative to `repo`, in a container).
fn launched(c: &Value, repo: &Path) -> Vec<(String, String, String, bool)> {
    launches_of(c, repo)
        .into_iter()
        .zip(c["evidence"]["launches"].as_array().unwrap())
        .map(|((file, target, cwd), l)| (file, target, cwd, l["in_container"] == true))
        .collect()
}

/// A Dockerfile no compose file builds, whose ENTRYPOINT/CMD runs a script COPYed into the
/// image that starts air: the shape of alfianchii/go-web-http's docker/go.dockerfile
/// (`COPY ./docker/entrypoints/go.sh ...`, `ENTRYPOINT ["sh", "/app/docker/entrypoints/go.sh"]`)
/// without its compose file, and of the entrypoint scripts that `cd /app/...` before `exec air`.
/// The script was read as a host script, where `cd /app/services/api` is no folder of this
/// machine, so the config was judged with no launcher.
#[test]
fn a_script_a_dockerfile_runs_is_read_in_the_image() {
    let config = "[build]\n  cmd = \"go build -o ./tmp/api .\"\n  bin = \"./tmp/api\"\n  stop_on_error = true\n";
    for (dockerfile, script_at) in [
        (
            "FROM golang:1.23-alpine\nWORKDIR /app\nCOPY . .\nCOPY ./docker/dev/start.sh /usr/local/bin/start.sh\nENTRYPOINT [\"sh\", \"/usr/local/bin/start.sh\"]\n",
            "docker/dev/start.sh",
        ),
        (
            "FROM golang:1.23-alpine\nWORKDIR /app\nCOPY . .\nCMD ./docker/dev/start.sh\n",
            "docker/dev/start.sh",
        ),
        (
            "FROM golang:1.23-alpine\nWORKDIR /app\nCOPY . .\nCOPY docker/dev/entrypoint.sh /entrypoint.sh\nCMD [\"sh\", \"/entrypoint.sh\"]\n",
            "docker/dev/entrypoint.sh",
        ),
    ] {
        let dir = repository_with(&[
            ("services/api/go.mod", "module example.com/api\n\ngo 1.22\n"),
            ("services/api/main.go", "package main\n\nfunc main() {}\n"),
            ("services/api/.air.dev.toml", config),
            ("docker/dev/Dockerfile", dockerfile),
            (
                script_at,
                "#!/bin/sh\nset -e\ngo mod download\ncd /app/services/api\nexec air -c .air.dev.toml\n",
            ),
        ]);
        let c = run(&dir.path().join("services/api"));
        assert_eq!(
            launched(&c, dir.path()),
            vec![(script_at.into(), String::new(), "services/api".into(), true)],
            "{dockerfile}\n{c:#}"
        );
    }
}

/// skaffold.yaml builds a Dockerfile's `dev` stage (`docker.target`) from the repository root
/// (`context: .`, `dockerfile:` a path from there, as MinBZK/poc-machine-law's artifacts do)
/// and syncs Go files into the WORKDIR. Read alone, the Dockerfile's last stage runs the
/// server, not air: no launcher was found and the config was judged as plain air.
#[test]
fn a_skaffold_artifact_runs_its_dockerfile_target_stage() {
    let dir = repository_with(&[
        ("services/api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("services/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "services/api/air.dev.toml",
            "[build]\n  cmd = \"go build -o ./tmp/api .\"\n  bin = \"./tmp/api\"\n  stop_on_error = true\n",
        ),
        (
            "build/api.Dockerfile",
            "FROM golang:1.23 AS dev\nRUN go install github.com/air-verse/air@latest\nWORKDIR /src\nCOPY . .\nWORKDIR /src/services/api\nCMD [\"air\", \"-c\", \"air.dev.toml\"]\n\nFROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN cd services/api && go build -o /api .\n\nFROM gcr.io/distroless/static\nCOPY --from=build /api /api\nCMD [\"/api\"]\n",
        ),
        (
            "skaffold.yaml",
            "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: api\n      context: .\n      docker:\n        dockerfile: build/api.Dockerfile\n        target: dev\n      sync:\n        manual:\n          - src: \"services/**/*.go\"\n            dest: /src\nmanifests:\n  rawYaml:\n    - k8s/*.yaml\n",
        ),
    ]);
    let c = run(&dir.path().join("services/api"));
    assert_eq!(
        launched(&c, dir.path()),
        vec![(
            "skaffold.yaml".into(),
            "api".into(),
            "services/api".into(),
            true
        )],
        "{c:#}"
    );
}

/// mage targets read as Go source: a namespace's `sh.Run("air", "-c", "air.conf")` after
/// `os.Chdir("./backend/")` (with the `defer os.Chdir("..")` that runs after it), the shapes
/// of real magefiles. No
/// launcher was found: the config was judged as plain air, which never reads air.conf.
#[test]
fn mage_targets_running_air_are_launchers() {
    let dir = repository_with(&[
        ("backend/go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("backend/main.go", "package main\n\nfunc main() {}\n"),
        (
            "backend/air.conf",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
        (
            "magefile.go",
            "//go:build mage\n\npackage main\n\nimport (\n\t\"os\"\n\n\t\"github.com/magefile/mage/sh\"\n)\n\ntype Watch mg.Namespace\n\n// Server starts the backend with live reload.\nfunc (Watch) Server() error {\n\tos.Chdir(\"./backend/\")\n\tdefer os.Chdir(\"..\")\n\treturn sh.RunV(\"air\", \"-c\", \"air.conf\")\n}\n",
        ),
    ]);
    let c = run(&dir.path().join("backend"));
    assert_eq!(
        launched(&c, dir.path()),
        vec![(
            "magefile.go".into(),
            "watch:server".into(),
            "backend".into(),
            false
        )],
        "{c:#}"
    );
    let not_read = findings(&c)
        .iter()
        .find(|f| f["evidence"]["problem"] == "config-not-read")
        .unwrap();
    assert_eq!(not_read["severity"], "info", "{c:#}");
}

/// tmux panes made with `-c DIR` (`new-session -c "$PWD/api"`, `new-window -n api -c api`),
/// then sent keys in separate commands (`send-keys -t dev:api 'air -c air.toml' C-m`), and a
/// pane typed `'cd api' C-m 'air -c air.toml' C-m` (as several real dev scripts do): air
/// runs in api/. The keys were taken to run where tmux was started, where air.toml is not.
#[test]
fn keys_sent_to_a_tmux_pane_run_in_its_folder() {
    for script in [
        "#!/bin/bash\ntmux new-session -d -s dev -c \"$PWD/api\"\ntmux send-keys -t dev 'air -c air.toml' C-m\ntmux attach -t dev\n",
        "#!/bin/bash\nS=dev\ntmux new-session -d -s $S -n web -c web\ntmux send-keys -t $S:web 'npm run dev' Enter\ntmux new-window -t $S -n api -c api\ntmux split-window -h -t $S:web\ntmux send-keys -t $S:api 'air -c air.toml' C-m\n",
        "#!/bin/bash\ntmux new-session -d -s dev\ntmux send-keys -t dev 'cd api' C-m 'air -c air.toml' C-m\n",
        "#!/bin/bash\ntmux new-session -d -s dev\ntmux send-keys -t dev 'cd api' C-m\ntmux send-keys -t dev 'air -c air.toml' C-m\n",
    ] {
        let dir = repository_with(&[
            ("api/go.mod", "module example.com/api\n\ngo 1.22\n"),
            ("api/main.go", "package main\n\nfunc main() {}\n"),
            ("api/air.toml", "[build]\n  cmd = \"go build -o ./tmp/api .\"\n  bin = \"./tmp/api\"\n  stop_on_error = true\n"),
            ("dev.sh", script),
        ]);
        let c = run(&dir.path().join("api"));
        assert_eq!(
            launched(&c, dir.path()),
            vec![("dev.sh".into(), String::new(), "api".into(), false)],
            "{script}\n{c:#}"
        );
        assert!(
            !problems(&c).contains(&"launch-config-missing".to_string()),
            "{script}\n{c:#}"
        );
    }
}

/// A package's dev script installs air from the repository root only when it is missing:
/// `if ! hash air; then cd ../.. && make install-air; fi` then `air -c .air.toml` (a real
/// monorepo's packages/api/dev.sh). Which branch ran is not known: air runs in packages/api
/// (air was installed) or at the root. Only the root context was read, where .air.toml is
/// not, and "air stops" was a fail; with both contexts it is at most a warning.
#[test]
fn after_an_if_that_may_cd_each_folder_is_a_context() {
    let dir = repository_with(&[
        ("Makefile", "install-air:\n\tgo install github.com/air-verse/air@latest\n"),
        ("packages/api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("packages/api/main.go", "package main\n\nfunc main() {}\n"),
        ("packages/api/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/api .\"\n  bin = \"./tmp/api\"\n  stop_on_error = true\n"),
        (
            "packages/api/dev.sh",
            "#!/bin/sh\n\nif ! hash air &> /dev/null\nthen\n    echo \"air not found, installing\"\n    cd ../.. && make install-air\nfi\n\nair -c .air.toml\n",
        ),
    ]);
    let c = run(&dir.path().join("packages/api"));
    assert_eq!(
        launched(&c, dir.path()),
        vec![(
            "packages/api/dev.sh".into(),
            String::new(),
            "packages/api".into(),
            false
        )],
        "{c:#}"
    );
    let missing: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "launch-config-missing")
        .collect();
    assert_eq!(missing.len(), 1, "{c:#}");
    assert_eq!(missing[0]["severity"], "warn", "{c:#}");
    assert_ne!(c["status"], "fail", "{c:#}");
}

/// A Dockerfile variant used only by the name a Makefile gives it: `dev: build` runs `docker
/// run -v $(PWD):/app app` of the image `build:` (written below it) makes with `docker build
/// -f docker/dev/Dockerfile -t app .`; the Dockerfile COPYs nothing, the run mounts the
/// repository. Read alone, the Dockerfile's `air -c .air.toml` had nothing at /app and "air
/// stops" was said of a config the run mounts. Also a script's `docker run -v "$(pwd)":/src
/// -w /src golang sh -c "... && air -c .air.toml"` of an image built elsewhere.
#[test]
fn a_docker_run_of_an_image_a_launcher_builds_is_read_with_its_mounts() {
    let files = |launcher: (&'static str, &'static str)| {
        repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            (
                ".air.toml",
                "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
            ),
            (
                "docker/dev/Dockerfile",
                "FROM golang:1.23\nRUN go install github.com/air-verse/air@latest\nWORKDIR /app\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
            ),
            launcher,
        ])
    };
    for (launcher, want) in [
        (
            (
                "Makefile",
                "dev: build\n\tdocker run --rm -it -p 8080:8080 -v $(PWD):/app app\n\nbuild:\n\tdocker build -f docker/dev/Dockerfile -t app:latest .\n",
            ),
            ("Makefile", "dev"),
        ),
        (
            (
                "scripts/dev.sh",
                "#!/bin/sh\ncd \"$(dirname \"$0\")/..\"\ndocker run --rm -v \"$(pwd)\":/src -w /src golang:1.23 sh -c \"go install github.com/air-verse/air@latest && air -c .air.toml\"\n",
            ),
            ("scripts/dev.sh", ""),
        ),
    ] {
        let dir = files(launcher);
        if want.1.is_empty() {
            // The script's image is built elsewhere: no Dockerfile of this repository.
            std::fs::remove_dir_all(dir.path().join("docker")).unwrap();
        }
        let c = run(dir.path());
        assert_eq!(
            launched(&c, dir.path()),
            vec![(want.0.into(), want.1.into(), String::new(), true)],
            "{c:#}"
        );
        assert_lacks(&c, "launch-config-missing");
    }
}

/// The problems of `c` with their severities.
fn severities(c: &Value) -> Vec<(String, String)> {
    findings(c)
        .iter()
        .map(|f| {
            (
                f["evidence"]["problem"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// dshemin/gopencov: compose builds `build/server.dev.dockerfile`, `FROM
/// golang:1.15.0-alpine3.12` with `go get -u github.com/cosmtrek/air`, and runs
/// `air -c /etc/air.toml` with `root = "/"`. air refuses a root of / since v1.63.8, which
/// needs Go 1.25: Go 1.15 builds v1.15.1 at most, an air that runs there. Was a fail.
#[test]
fn an_old_golang_image_cannot_hold_an_air_that_refuses_root() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.15\n"),
        ("cmd/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            "build/server.dev.dockerfile",
            "FROM golang:1.15.0-alpine3.12\n\nVOLUME /src\nWORKDIR /src\n\nRUN apk update && \\\n    apk add git && \\\n    go get -u github.com/cosmtrek/air && \\\n    go get -u github.com/go-bindata/go-bindata/...\n\nCOPY air.toml /etc/air.toml\n\nENTRYPOINT [\"air\", \"-d\", \"-c\", \"/etc/air.toml\"]\n",
        ),
        (
            "build/air.toml",
            "root = \"/\"\ntmp_dir = \"/tmp\"\n\n[build]\ncmd = \"go build -o /tmp/server /src/cmd/server\"\nbin = \"/tmp/server\"\ninclude_dir = [\"src/cmd\", \"src/internal\"]\n",
        ),
        (
            "deployments/docker-compose.dev.yml",
            "version: '3'\n\nservices:\n  app:\n    build:\n      context: ../build\n      dockerfile: server.dev.dockerfile\n    volumes:\n      - ../:/src\n",
        ),
    ]);
    let c = run(&dir.path().join("build"));
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
    assert_lacks(&c, "root-dangerous");
    // The same image on a Go that builds the current air: it refuses.
    let dockerfile = dir.path().join("build/server.dev.dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    std::fs::write(
        &dockerfile,
        text.replace("golang:1.15.0-alpine3.12", "golang:1.26-alpine")
            .replace("cosmtrek/air", "air-verse/air@latest"),
    )
    .unwrap();
    let c = run(&dir.path().join("build"));
    assert_at(finding(&c, "root-dangerous"), "fail", 1);
    // An image whose air cannot be read (a private base image, no install line): not a fail,
    // and the finding says which releases refuse.
    std::fs::write(
        &dockerfile,
        "FROM registry.example.com/team/go-dev:3\nWORKDIR /src\nCOPY air.toml /etc/air.toml\nENTRYPOINT [\"air\", \"-d\", \"-c\", \"/etc/air.toml\"]\n",
    )
    .unwrap();
    let c = run(&dir.path().join("build"));
    let f = finding(&c, "root-dangerous");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("v1.63.8 and later"),
        "{f:#}"
    );
}

/// 01devs-team/resume_builder: the compose service runs the image `cosmtrek/air:v1.40.4`;
/// `include_file = [".env"]` arrived in v1.41.0, so that air ignores it and editing .env
/// never restarts the app. Was not reported (judged as v1.67, which has the key).
#[test]
fn a_key_newer_than_the_air_image_tag_is_reported() {
    let dir = repository_with(&[
        ("backend/go.mod", "module example.com/app\n\ngo 1.18\n"),
        ("backend/main.go", "package main\n\nfunc main() {}\n"),
        ("backend/.env", "PORT=8080\n"),
        (
            "backend/docker-compose.development.yml",
            "version: '3.8'\nservices:\n  app:\n    image: cosmtrek/air:v1.40.4\n    working_dir: /project\n    volumes:\n      - ./:/project/\n",
        ),
        (
            "backend/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"tmp/main\"\ninclude_ext = [\"go\"]\ninclude_file = [\".env\"]\nstop_on_error = true\n",
        ),
    ]);
    let c = run(&dir.path().join("backend"));
    let f = finding(&c, "key-newer-than-air");
    assert_at(f, "warn", 8);
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("v1.41.0") && msg.contains("cosmtrek/air:v1.40.4"),
        "{f:#}"
    );
    // The release each launcher runs is in the report's facts.
    assert_eq!(
        c["evidence"]["launches"][0]["air"], "air v1.40.4 (the image cosmtrek/air:v1.40.4)",
        "{c:#}"
    );
    // The image's latest air has the key.
    let compose = dir.path().join("backend/docker-compose.development.yml");
    let text = std::fs::read_to_string(&compose).unwrap();
    std::fs::write(&compose, text.replace(":v1.40.4", "")).unwrap();
    let c = run(&dir.path().join("backend"));
    assert_lacks(&c, "key-newer-than-air");
}

/// A Dockerfile pinning `go install github.com/cosmtrek/air@v1.49.0` (the last air Go 1.21
/// builds, in many Dockerfiles): that air splits `bin = "./tmp/main serve"` into a program
/// and its argument, so it runs (was a fail as "not found"; v1.61.7's engine.go:594 joins
/// Build.Bin unquoted for `sh -c`, v1.62.0's formatPath quotes it): with every launch
/// context's air known to split it, an upgrade hazard, a note (tomanagle/adenosine, hold-out
/// 14, pins v1.61.7; was a warning). A second launcher whose air is not known (a Makefile's
/// plain `air -c` on the host) keeps the warning. `[proxy]`, from v1.52.0, is ignored there.
#[test]
fn a_pinned_go_install_is_the_air_judged() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "Dockerfile.dev",
            "FROM golang:1.21-alpine\nWORKDIR /app\nRUN go install github.com/cosmtrek/air@v1.49.0\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
        (
            "compose.yml",
            "services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n    volumes:\n      - .:/app\n",
        ),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main serve\"\n  stop_on_error = true\n[proxy]\n  enabled = true\n  proxy_port = 8090\n  app_port = 8080\n",
        ),
    ]);
    let c = run(dir.path());
    let got = severities(&c);
    assert!(
        got.contains(&("bin-with-arguments".into(), "info".into())),
        "{c:#}"
    );
    let bin = finding(&c, "bin-with-arguments")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        bin.contains("v1.49.0") && bin.contains("still splits it"),
        "{bin}"
    );
    assert_at(finding(&c, "key-newer-than-air"), "warn", 5);
    // The host's air too, whose release is not known here: no longer every context's air.
    std::fs::write(dir.path().join("Makefile"), "dev:\n\tair -c .air.toml\n").unwrap();
    let c = run(dir.path());
    assert_ne!(
        finding(&c, "bin-with-arguments")["severity"],
        "info",
        "{c:#}"
    );
}

/// sighupio/permission-manager's and MBvisti/project-dinner's shape with the old default
/// file: `FROM golang:1.16` with `go get -u github.com/cosmtrek/air` and `CMD ["air"]`
/// beside a `.air.conf`. An air that old reads `.air.conf` by default, so its settings apply
/// there (was a warning that air ignores the file, and nothing in it was judged). Unpinned,
/// that `go get -u` takes the newest release, whose go.mod declares github.com/air-verse/air:
/// today go refuses it (Go 1.16 gets modules by default), so it is pinned here to v1.27.8,
/// the newest Go 1.16 builds.
#[test]
fn an_air_that_reads_air_conf_by_default_is_judged_with_it() {
    let dockerfile = |install: &str| {
        format!("FROM golang:1.16\n\nRUN {install}\n\nWORKDIR /app\nCOPY . .\n\nCMD [\"air\"]\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.16\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "Dockerfile",
            &dockerfile("go get -u github.com/cosmtrek/air@v1.27.8"),
        ),
        (
            ".air.conf",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"tmp/main\"\ninclude_ext = [\"go\"]\nexclude_dir = [\"tmp\"]\ndelay = 0\nstop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "config-not-read");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("still reads .air.conf"),
        "{f:#}"
    );
    assert_eq!(c["evidence"]["launches"][0]["file"], "Dockerfile", "{c:#}");
    // Its settings are judged where that air runs: delay = 0 is still 1000 ms (a note).
    assert_at(finding(&c, "zero-value-ignored"), "info", 9);
    assert!(!problems(&c).contains(&"air-install-fails".to_string()));
    std::fs::write(
        dir.path().join("Dockerfile"),
        dockerfile("go get -u github.com/cosmtrek/air"),
    )
    .unwrap();
    assert_at(finding(&run(dir.path()), "air-install-fails"), "warn", 3);
}

/// E-Timileyin/skill-island: services/api/Dockerfile pins `go install
/// github.com/air-verse/air@v1.61.7` (the last for Go 1.24) and its .air.toml is what a
/// newer `air init` writes: `env_files = []`, `ignore_dangerous_root_dir = false`,
/// `app_start_timeout = 0`, `entrypoint = ["./tmp/main"]` beside `bin = "./tmp/main"`.
/// v1.61.7 reads none of them, but each holds what that air does anyway: nothing to say.
/// (AdlarX9/nitflex pins cosmtrek/air@v1.40.0 beside `rerun_delay = 500`, the default.)
/// A value that does something (`env_files = [".env"]`) is ignored there: a warning.
#[test]
fn keys_a_pinned_air_predates_are_reported_only_when_they_change_something() {
    let config = |env_files: &str| {
        format!("env_files = {env_files}\nroot = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n  entrypoint = [\"./tmp/main\"]\n  ignore_dangerous_root_dir = false\n  rerun_delay = 500\n  stop_on_error = true\n\n[proxy]\n  app_port = 0\n  app_start_timeout = 0\n  enabled = false\n  proxy_port = 0\n")
    };
    let dir = repository_with(&[
        ("services/api/go.mod", "module example.com/api\n\ngo 1.24\n"),
        (
            "services/api/cmd/server/main.go",
            "package main\n\nfunc main() {}\n",
        ),
        (
            "services/api/Dockerfile",
            "FROM golang:1.24-alpine\n\nRUN go install github.com/air-verse/air@v1.61.7\n\nWORKDIR /app\nCOPY . .\n\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
        ("services/api/.air.toml", &config("[]")),
    ]);
    // rerun_delay arrived in v1.41.0: under v1.40.0 only its default is said nothing of.
    let dockerfile = dir.path().join("services/api/Dockerfile");
    let pinned = std::fs::read_to_string(&dockerfile).unwrap();
    let api = dir.path().join("services/api");
    let c = run(&api);
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
    assert_lacks(&c, "key-newer-than-air");
    std::fs::write(
        &dockerfile,
        pinned.replace("air-verse/air@v1.61.7", "cosmtrek/air@v1.40.0"),
    )
    .unwrap();
    let c = run(&api);
    assert_lacks(&c, "key-newer-than-air");
    std::fs::write(&dockerfile, pinned).unwrap();
    std::fs::write(api.join(".air.toml"), config("[\".env\"]")).unwrap();
    let c = run(&api);
    let f = finding(&c, "key-newer-than-air");
    assert_at(f, "warn", 1);
    assert!(f["message"].as_str().unwrap().contains("v1.64.1"), "{f:#}");
}

/// Agustin-del/portafolio's shape: `cmd = "go build -o ./tmp/main server.go"` after server.go
/// became main.go. go stops at every build ("no such file or directory"); the finding says
/// which file is missing where the build runs and what to build instead. With the name
/// corrected, the import analysis runs again: include_dir = ["ui"] hides db/.
#[test]
fn build_naming_a_missing_go_file_fails() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("db")).unwrap();
    std::fs::create_dir_all(p.join("ui")).unwrap();
    std::fs::write(p.join("go.mod"), "module portafolio\n\ngo 1.21\n").unwrap();
    std::fs::write(
        p.join("main.go"),
        "package main\n\nimport \"portafolio/db\"\n\nfunc main() { db.Open() }\n",
    )
    .unwrap();
    std::fs::write(p.join("db/db.go"), "package db\n\nfunc Open() {}\n").unwrap();
    std::fs::write(p.join("ui/index.html"), "<p>hi</p>\n").unwrap();
    let config = |cmd: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  entrypoint = \"./tmp/main\"\n  cmd = \"{cmd}\"\n  exclude_dir = [\"node_modules\",\"tmp\", \"vendor\"]\n  include_dir = [\"ui\"]\n  include_ext = [\"go\"]\n")
    };
    std::fs::write(
        p.join(".air.toml"),
        config("go build -o ./tmp/main server.go"),
    )
    .unwrap();
    let c = run(p);
    let f = finding(&c, "build-source-missing");
    assert_at(f, "fail", 6);
    assert_eq!(f["evidence"]["missing"], serde_json::json!(["server.go"]));
    assert_eq!(f["evidence"]["claim"], "build-fails");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("main.go"), "{message}");

    let Ok(go) = which::which("go") else {
        eprintln!("go not installed: the build and import analysis are not tried");
        return;
    };
    // What air runs: the build fails, and names the file.
    let build = std::process::Command::new(&go)
        .args(["build", "-o", "./tmp/main", "server.go"])
        .current_dir(p)
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(stderr.contains("server.go"), "{stderr}");

    std::fs::write(
        p.join(".air.toml"),
        config("go build -o ./tmp/main main.go"),
    )
    .unwrap();
    let c = run(p);
    assert_lacks(&c, "build-source-missing");
    let f = finding(&c, "hides-imported-package");
    assert_eq!(f["severity"], "fail", "{f:#}");
}

/// `cd cmd && go build ./api`: the folder is looked for where the build runs (cmd/), and a
/// folder that is there is no finding.
#[test]
fn build_naming_a_missing_package_folder_after_cd_fails() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("cmd/server")).unwrap();
    std::fs::write(p.join("go.mod"), "module example.com/app\n\ngo 1.21\n").unwrap();
    std::fs::write(
        p.join("cmd/server/main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    let config = |pkg: &str| {
        format!("[build]\n  cmd = \"cd cmd && go build -o ../tmp/main {pkg}\"\n  bin = \"./tmp/main\"\n")
    };
    std::fs::write(p.join(".air.toml"), config("./api")).unwrap();
    let f = finding(&run(p), "build-source-missing").clone();
    assert_at(&f, "fail", 2);
    assert_eq!(f["evidence"]["missing"], serde_json::json!(["./api"]));
    assert_eq!(f["evidence"]["build_dir"], "cmd");
    std::fs::write(p.join(".air.toml"), config("./server")).unwrap();
    let c = run(p);
    assert_lacks(&c, "build-source-missing");
}

/// HuTa0kj/gin-vue-template's shape: compose builds server/ from `FROM golang:1.23` with
/// `go install github.com/air-verse/air@latest`. The official golang images set
/// GOTOOLCHAIN=local and air's go.mod asks for a newer Go: the image build stops there.
/// Not when GOTOOLCHAIN lets go fetch the toolchain (1212falcon1212/i-3d), nor for a pinned
/// release Go 1.23 builds, nor for an image whose Go is not known.
#[test]
fn an_image_whose_go_cannot_build_the_air_it_installs_warns() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("server")).unwrap();
    std::fs::write(
        p.join("docker-compose.yml"),
        "services:\n  backend-api:\n    build: ./server\n    volumes:\n      - ./server:/build/src\n",
    )
    .unwrap();
    std::fs::write(p.join("server/go.mod"), "module server\n\ngo 1.23\n").unwrap();
    std::fs::write(p.join("server/main.go"), "package main\n\nfunc main() {}\n").unwrap();
    std::fs::write(
        p.join("server/.air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
    )
    .unwrap();
    let dockerfile = |base: &str, install: &str| {
        std::fs::write(
            p.join("server/Dockerfile"),
            format!("FROM {base}\n\nWORKDIR /build/src\n\n{install}\n\nCOPY ./go.mod ./\n\nCMD [\"air\"]\n"),
        )
        .unwrap();
    };
    let stuck = |c: &Value| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "air-install-fails")
            .cloned()
            .collect()
    };
    dockerfile(
        "golang:1.23",
        "RUN go install github.com/air-verse/air@latest",
    );
    let c = run(&p.join("server"));
    let f = finding(&c, "air-install-fails");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let message = f["message"].as_str().unwrap();
    for part in [
        "Go 1.23 cannot build air v1.67.4",
        "GOTOOLCHAIN=local",
        "`go install github.com/air-verse/air@latest`",
        "github.com/air-verse/air@v1.61.7",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }

    // A builder stage's install, its air copied into the stage that runs (DaniilSever/
    // MedodsTechTask on golang:1.24).
    dockerfile(
        "golang:1.24 AS builder",
        "RUN go install github.com/air-verse/air@latest\nFROM golang:1.24 AS runner\nWORKDIR /build/src\nCOPY --from=builder /go/bin/air /usr/local/bin/air",
    );
    let c = run(&p.join("server"));
    assert!(finding(&c, "air-install-fails")["message"]
        .as_str()
        .unwrap()
        .contains("github.com/air-verse/air@v1.62.0"));

    for (base, install) in [
        (
            "golang:1.23",
            "RUN GOTOOLCHAIN=auto go install github.com/air-verse/air@latest",
        ),
        (
            "golang:1.23",
            "ENV GOTOOLCHAIN=auto\nRUN go install github.com/air-verse/air@latest",
        ),
        (
            "golang:1.23",
            "RUN go install github.com/air-verse/air@v1.61.7",
        ),
        (
            "golang:1.26",
            "RUN go install github.com/air-verse/air@latest",
        ),
        (
            "ubuntu:24.04",
            "RUN go install github.com/air-verse/air@latest",
        ),
    ] {
        dockerfile(base, install);
        let c = run(&p.join("server"));
        assert!(stuck(&c).is_empty(), "{base} {install}: {c:#}");
    }
}

/// Stella-network/Sol, RaymondSalim/API-server-template, ItaloRFeitosa/go-github-actions-poc:
/// a dev image installs `dlv@latest` on an old Go (golang:1.22.3, GOTOOLCHAIN=local; golang:1.18,
/// before toolchains): delve's newest release needs Go 1.25, so the build stops at that `RUN`
/// and air never starts. A warning at the RUN line; none where the Go is new enough, go may
/// fetch a newer one, or the release is pinned.
#[test]
fn a_dev_tool_at_latest_the_image_go_cannot_build_stops_the_image() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("docker-compose.yml"),
        "services:\n  api:\n    build: .\n    volumes:\n      - ./:/app\n",
    )
    .unwrap();
    std::fs::write(p.join("go.mod"), "module app\n\ngo 1.18\n").unwrap();
    std::fs::write(p.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    std::fs::write(
        p.join(".air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
    )
    .unwrap();
    let dockerfile = |base: &str, install: &str| {
        std::fs::write(
            p.join("Dockerfile"),
            format!("FROM {base}\nWORKDIR /app\n{install}\nRUN go install github.com/cosmtrek/air@v1.40.4\nCMD [\"air\"]\n"),
        )
        .unwrap();
    };
    let tool_stops = |c: &Value| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "air-install-fails")
            .cloned()
            .collect()
    };
    for (base, go) in [
        ("golang:1.22.3", "requires go >= 1.25"),
        ("golang:1.18.6", "before 1.21"),
    ] {
        dockerfile(
            base,
            "RUN go install github.com/go-delve/delve/cmd/dlv@latest",
        );
        let c = run(p);
        let f = finding(&c, "air-install-fails");
        assert_at(f, "warn", 3);
        let message = f["message"].as_str().unwrap();
        for part in [
            "Dockerfile:3: `go install github.com/go-delve/delve/cmd/dlv@latest`",
            "the newest dlv needs Go >= 1.25",
            go,
            "never starts air",
            "golang:1.25 or newer",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }
        assert_eq!(f["evidence"]["tool"], "github.com/go-delve/delve", "{f:#}");
    }
    // golusoris/golusoris's shape: air@latest before sqlc@latest in one text on Go 1.24:
    // the air install, the first to stop, is the one said.
    dockerfile(
        "golang:1.24",
        "RUN go install github.com/air-verse/air@latest && go install github.com/sqlc-dev/sqlc/cmd/sqlc@latest",
    );
    let c = run(p);
    let message = finding(&c, "air-install-fails")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("cannot build air v1.67.4"), "{message}");
    for (base, install) in [
        (
            "golang:1.25",
            "RUN go install github.com/go-delve/delve/cmd/dlv@latest",
        ),
        (
            "golang:1.22",
            "RUN GOTOOLCHAIN=auto go install github.com/go-delve/delve/cmd/dlv@latest",
        ),
        (
            "golang:1.22",
            "RUN go install github.com/go-delve/delve/cmd/dlv@v1.22.1",
        ),
        (
            "golang:1.18",
            "RUN go install github.com/swaggo/swag/cmd/swag@latest",
        ),
        (
            "ubuntu:24.04",
            "RUN go install github.com/go-delve/delve/cmd/dlv@latest",
        ),
    ] {
        dockerfile(base, install);
        let c = run(p);
        assert!(tool_stops(&c).is_empty(), "{base} {install}: {c:#}");
    }
}

/// takeucheese/monorepo-sample (hold-out 17): `RUN go get -u github.com/cosmtrek/air && go
/// install github.com/go-delve/delve/cmd/dlv@latest` on golang:1.17. The air install stops
/// the build (the old module path) and was the only one said; delve's newest release needs
/// Go 1.25, so once the air install is fixed the same RUN stops at dlv. Each install of the
/// RUN is judged against the image's Go: two warnings at the RUN line, the second saying it
/// stops the build once the first is fixed; a pinned dlv is not said.
#[test]
fn every_dev_tool_at_latest_in_the_air_installs_run_is_judged() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("docker-compose.yml"),
        "services:\n  go:\n    build:\n      context: .\n      target: dev\n    volumes:\n      - ./:/go/src/app\n",
    )
    .unwrap();
    std::fs::write(p.join("go.mod"), "module app\n\ngo 1.17\n").unwrap();
    std::fs::write(p.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    std::fs::write(
        p.join(".air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
    )
    .unwrap();
    let dockerfile = |dlv: &str| {
        std::fs::write(
            p.join("Dockerfile"),
            format!("FROM golang:1.17-alpine as base\nENV ROOT=/go/src/app\nWORKDIR ${{ROOT}}\n\nFROM base AS dev\nRUN go get -u github.com/cosmtrek/air && \\\n    go install github.com/go-delve/delve/cmd/dlv@{dlv}\nCMD [\"air\", \"-c\", \".air.toml\"]\n"),
        )
        .unwrap();
    };
    let stops = |c: &Value| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "air-install-fails")
            .cloned()
            .collect()
    };
    dockerfile("latest");
    let c = run(p);
    let all = stops(&c);
    assert_eq!(all.len(), 2, "{c:#}");
    let air = all
        .iter()
        .find(|f| f["evidence"]["command"] == "go get -u github.com/cosmtrek/air")
        .expect("the air install");
    assert_at(air, "warn", 6);
    let dlv = all
        .iter()
        .find(|f| f["evidence"]["tool"] == "github.com/go-delve/delve")
        .expect("the dlv install");
    assert_at(dlv, "warn", 6);
    let message = dlv["message"].as_str().unwrap();
    for part in [
        "`go install github.com/go-delve/delve/cmd/dlv@latest` fails on Go 1.17",
        "the newest dlv needs Go >= 1.25",
        "stops there too once `go get -u github.com/cosmtrek/air` before it is fixed",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    dockerfile("v1.7.3");
    let c = run(p);
    let all = stops(&c);
    assert_eq!(all.len(), 1, "{c:#}");
    assert_eq!(
        all[0]["evidence"]["command"],
        "go get -u github.com/cosmtrek/air"
    );
}

/// The mechanism, with no network: under GOTOOLCHAIN=local, `go install` of a module whose
/// go line is newer than the running Go stops ("requires go >= ...").
#[test]
fn go_install_stops_at_a_newer_go_line_under_gotoolchain_local() {
    let Ok(go) = which::which("go") else {
        eprintln!("go not installed: the mechanism is not tried");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("go.mod"), "module example.com/tool\n\ngo 1.99\n").unwrap();
    std::fs::write(p.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    let o = std::process::Command::new(go)
        .args(["install", "."])
        .current_dir(p)
        .env("GOTOOLCHAIN", "local")
        .env("GOBIN", p.join("bin"))
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("requires go >= 1.99") && stderr.contains("GOTOOLCHAIN=local"),
        "{stderr}"
    );
}

/// 0nF1REy/go-workspace: exclude_dir = [..., "bazel-*"] never matches (air compares folder
/// paths, not globs), but include_dir = ["cmd", "internal"] already keeps air out of every
/// bazel-* folder (asked of air's walk): "air still watches it" was false, the entry is only
/// dead (info). A glob naming folders inside include_dir still warns. (The project is src/:
/// air skips a hidden root such as the temporary folder's.)
#[test]
fn an_exclude_dir_glob_include_dir_already_covers_is_a_dead_entry() {
    let config = |exclude: &str| {
        format!("[build]\n  cmd = \"go build -o ./tmp/main ./cmd\"\n  bin = \"./tmp/main\"\n  include_dir = [\"cmd\", \"internal\"]\n  exclude_dir = [\"tmp\", {exclude}]\n")
    };
    let files = |exclude: &str| {
        vec![
            (
                "src/go.mod",
                "module example.com/ws\n\ngo 1.22\n".to_string(),
            ),
            (
                "cmd/main.go",
                "package main\n\nfunc main() {}\n".to_string(),
            ),
            ("src/internal/x_mock/m.go", "package x_mock\n".to_string()),
            (
                "src/bazel-out/k8-fastbuild/bin/x.go",
                "package x\n".to_string(),
            ),
            ("src/.air.toml", config(exclude)),
        ]
    };
    let make = |exclude: &str| {
        let owned = files(exclude);
        let refs: Vec<(&str, &str)> = owned.iter().map(|(p, t)| (*p, t.as_str())).collect();
        repository_with(&refs)
    };
    let dir = make("\"bazel-*\"");
    let c = run(&dir.path().join("src"));
    let f = finding(&c, "exclude-dir-never-matches");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("dead entry"),
        "{f:#}"
    );
    let answer = &oracle::ask(&[oracle::Job {
        dir: dir.path().join("src").to_string_lossy().into_owned(),
        config: None,
        events: vec![dir
            .path()
            .join("src/bazel-out/k8-fastbuild/bin/x.go")
            .to_string_lossy()
            .into_owned()],
    }])[0];
    let watched = answer["watched"].as_array().unwrap();
    assert!(
        !watched.is_empty()
            && watched
                .iter()
                .all(|w| !w.as_str().unwrap().contains("bazel-")),
        "{answer:#}"
    );

    let dir = make("\"internal/*_mock\"");
    let c = run(&dir.path().join("src"));
    let f = finding(&c, "exclude-dir-never-matches");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("air still watches it"),
        "{f:#}"
    );
}

/// madeiramadeirabr/template-service-go: compose extends a service that builds the
/// Dockerfile's `development` stage, whose `RUN` renders the context's docker/air.toml into
/// /root/.air.toml with `sed` (filling `{SERVICE_PATH}`) and runs `air -c /root/.air.toml`.
/// The image build made that file: air finds it, and it is docker/air.toml, rendered.
#[test]
fn a_config_a_dockerfile_run_renders_is_the_one_air_reads() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/svc\n\ngo 1.22\n"),
        ("cmd/svc/main.go", "package main\n\nfunc main() {}\n"),
        (
            "docker-compose.yml",
            "services:\n  svc:\n    extends:\n      file: docker/compose-common.yml\n      service: base\n    build:\n      args:\n        - SERVICE_PATH=svc\n",
        ),
        (
            "docker/compose-common.yml",
            "services:\n  base:\n    build:\n      context: ../.\n      dockerfile: ./docker/Dockerfile\n      target: development\n    volumes:\n      - ../.:/app\n",
        ),
        (
            "docker/Dockerfile",
            "FROM golang:1.22-alpine AS base\nWORKDIR /app\nADD . /app\n\nFROM base AS development\nARG SERVICE_PATH\nRUN go install github.com/air-verse/air@latest \\\n    && sed \"s/{SERVICE_PATH}/${SERVICE_PATH}/g\" ./docker/air.toml > /root/.air.toml\nENTRYPOINT [\"air\", \"-c\", \"/root/.air.toml\"]\n",
        ),
        (
            "docker/air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"/tmp/{SERVICE_PATH}\"\n  cmd = \"go build -o /tmp/{SERVICE_PATH} ./cmd/{SERVICE_PATH}\"\n  log = \"{SERVICE_PATH}.log\"\n",
        ),
    ]);
    let c = run(&dir.path().join("docker"));
    let p = problems(&c);
    assert!(!p.contains(&"launch-config-missing".to_string()), "{c:#}");
    assert!(
        findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "config-not-read")
            .all(|f| f["severity"] == "info"),
        "a launch reads it: {c:#}"
    );
    // The base service, and the one extending it (its build and volumes followed).
    let files: Vec<&Value> = c["evidence"]["launches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["file"])
        .collect();
    assert_eq!(
        files,
        vec!["docker-compose.yml", "docker/compose-common.yml"],
        "{c:#}"
    );
    // A path that holds the placeholder may be fine once filled in: not a certain failure.
    std::fs::write(
        dir.path().join("docker/air.toml"),
        "root = \"./cmd/{SERVICE_PATH}\"\n\n[build]\n  cmd = \"go build -o /tmp/svc .\"\n  bin = \"/tmp/svc\"\n",
    )
    .unwrap();
    let c = run(&dir.path().join("docker"));
    let f = finding(&c, "root-missing");
    assert_eq!(f["severity"], "warn", "{c:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("if {SERVICE_PATH} is left as written"),
        "{f:#}"
    );
}

/// 13SOAT-andromeda/tech-challenge-s1 and video-processor-users-api: compose builds the
/// Dockerfile's stage `target: "${ENV}"` (or `"${ENV:-development}"`); the `development`
/// stage runs `air -c air.toml` on a `COPY . .` of the repository and the service mounts
/// nothing. The target is read the way compose interpolates it (`.env` beside the compose
/// file, then the default); with no value at all, every stage that runs air is a possible
/// launch, so air.toml is read (no "plain air never reads air.toml") and what is found
/// there is at most a warning saying on what. Air in the container watches the image's
/// copy: a save on the host never reaches it (source-not-mounted), unless a volume or a
/// compose watch sync brings the host's folder.
#[test]
fn a_compose_service_running_air_on_the_images_copy_never_sees_a_save() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("cmd/api")).unwrap();
    std::fs::create_dir_all(p.join("internal")).unwrap();
    std::fs::write(p.join("go.mod"), "module example.com/api\n\ngo 1.25\n").unwrap();
    std::fs::write(
        p.join("cmd/api/main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    std::fs::write(
        p.join("air.toml"),
        "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n  bin = \"./tmp/main\"\n  exclude_dir = [\"tmp\"]\n  include_ext = [\"go\"]\n",
    )
    .unwrap();
    std::fs::write(
        p.join("Dockerfile"),
        "FROM golang:1.25-alpine AS production_builder\nWORKDIR /app\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /usr/local/bin/main ./cmd/api\n\nFROM golang:1.25 AS development\nWORKDIR /app\nENV PATH=\"/go/bin:${PATH}\"\nRUN go install github.com/air-verse/air@latest\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN mkdir -p ./tmp\nEXPOSE 8080\nCMD [\"air\", \"-c\", \"air.toml\"]\n\nFROM alpine:3.22.2 AS production\nWORKDIR /app\nCOPY --from=production_builder /usr/local/bin/main /app/main\nCMD [\"/app/main\"]\n",
    )
    .unwrap();
    std::fs::write(p.join(".env.example"), "DB_HOST=\nENV=\nAPI_VERSION=\n").unwrap();
    let compose = |target: &str, more: &str, top: &str| {
        std::fs::write(
            p.join("docker-compose.yml"),
            format!("version: \"3.8\"\n\nservices:\n  db:\n    image: postgres:15\n    env_file:\n      - .env\n    volumes:\n      - db_data:/var/lib/postgresql/data\n\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile\n      target: {target}\n    depends_on:\n      - db\n    env_file:\n      - .env\n    environment:\n      DD_ENV: ${{ENV:-local}}\n    ports:\n      - \"8080:8080\"\n{more}\nvolumes:\n  db_data:\n{top}"),
        )
        .unwrap();
    };
    let problems = |c: &Value, id: &str| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == id)
            .cloned()
            .collect()
    };

    // `${ENV}` and no .env: the development stage is a possible launch.
    compose("\"${ENV}\"", "", "");
    let c = run(p);
    let not_read = problems(&c, "config-not-read");
    assert!(
        not_read.iter().all(|f| f["severity"] == "info"),
        "air.toml is read by the development stage's `air -c air.toml`: {c:#}"
    );
    let f = finding(&c, "source-not-mounted");
    assert_at(f, "warn", 11);
    let m = f["message"].as_str().unwrap();
    for part in [
        "the `app` service (when `${ENV}` is `development`)",
        "image's copy of the repository in /app",
        "never reaches",
    ] {
        assert!(m.contains(part), "{part}: {m}");
    }
    assert_eq!(
        f["fix"]["summary"],
        "mount the project where air watches: add `- .:/app` to the `volumes:` of the `app` service in docker-compose.yml"
    );
    assert_eq!(
        f["evidence"]["claim"], "save-does-not-rebuild *.go",
        "{f:#}"
    );
    // The image build stops first (Go 1.25 cannot build air@latest), said on the condition.
    assert!(finding(&c, "air-install-fails")["message"]
        .as_str()
        .unwrap()
        .contains("when `${ENV}` is `development`"));

    // `${ENV:-development}` (video-processor-users-api), or a .env that sets it: certain.
    for (target, env) in [
        ("\"${ENV:-development}\"", None),
        (
            "\"${ENV}\"",
            Some("DB_HOST=db\nENV=development # the stage\n"),
        ),
    ] {
        match env {
            Some(text) => std::fs::write(p.join(".env"), text).unwrap(),
            None => {
                let _ = std::fs::remove_file(p.join(".env"));
            }
        }
        compose(target, "", "");
        let c = run(p);
        let f = finding(&c, "source-not-mounted");
        assert_at(f, "fail", 11);
        assert!(!f["message"].as_str().unwrap().contains("when `"), "{f:#}");
    }
    // A .env that picks another stage: no air runs there, so nothing reads air.toml.
    std::fs::write(p.join(".env"), "ENV=production\n").unwrap();
    compose("\"${ENV:-development}\"", "", "");
    let c = run(p);
    assert!(problems(&c, "source-not-mounted").is_empty(), "{c:#}");
    assert_eq!(finding(&c, "config-not-read")["severity"], "warn", "{c:#}");
    std::fs::remove_file(p.join(".env")).unwrap();

    // A named volume at /app keeps the image's first copy: still never the host's files.
    compose(
        "development",
        "    volumes:\n      - code:/app\n",
        "  code:\n",
    );
    let f = &problems(&run(p), "source-not-mounted")[0];
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert!(f["message"].as_str().unwrap().contains("named volume"));
    // Only a folder inside is mounted: saves there reach air, the rest do not.
    compose(
        "development",
        "    volumes:\n      - ./internal:/app/internal\n",
        "",
    );
    let f = &problems(&run(p), "source-not-mounted")[0];
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("only /app/internal"));

    // What brings the host's files: a bind of the project (also from a variable's default),
    // a compose watch sync or rebuild, a named volume that binds by its driver options, a
    // source with no value here (`${PWD}`), another compose file that mounts it.
    for (more, top) in [
        ("    volumes:\n      - .:/app\n", ""),
        ("    volumes:\n      - ${SRC:-./}:/app\n", ""),
        ("    volumes:\n      - ${PWD}:/app\n", ""),
        (
            "    develop:\n      watch:\n        - action: sync\n          path: .\n          target: /app\n",
            "",
        ),
        (
            "    develop:\n      watch:\n        - action: rebuild\n          path: .\n",
            "",
        ),
        (
            "    volumes:\n      - code:/app\n",
            "  code:\n    driver: local\n    driver_opts:\n      type: none\n      o: bind\n      device: .\n",
        ),
    ] {
        compose("\"${ENV:-development}\"", more, top);
        let c = run(p);
        assert!(problems(&c, "source-not-mounted").is_empty(), "{more}: {c:#}");
    }
    compose("\"${ENV:-development}\"", "", "");
    std::fs::write(
        p.join("docker-compose.dev.yml"),
        "services:\n  app:\n    volumes:\n      - .:/app\n",
    )
    .unwrap();
    let c = run(p);
    assert!(problems(&c, "source-not-mounted").is_empty(), "{c:#}");

    std::fs::remove_file(p.join("docker-compose.dev.yml")).unwrap();
    // What air does wrong in a stage a target variable with no value may pick is at most a
    // warning saying on what; with the stage known it is a fail.
    std::fs::write(
        p.join("air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n  bin = \"./tmp/api\"\n",
    )
    .unwrap();
    compose("\"${ENV}\"", "", "");
    let c = run(p);
    let f = finding(&c, "binary-mismatch");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("if air runs there (when `${ENV}` is `development`)"));
    compose("\"${ENV:-development}\"", "", "");
    assert_eq!(finding(&run(p), "binary-mismatch")["severity"], "fail");
}

/// The one finding with `problem` whose evidence names `file`.
fn finding_in<'a>(c: &'a Value, problem: &str, file: &str) -> &'a Value {
    let hits: Vec<&Value> = findings(c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == problem && f["evidence"]["file"] == file)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "want one {problem} finding at {file} in {c:#}"
    );
    hits[0]
}

/// What the real go says for `go install github.com/cosmtrek/air@VERSION` from a module proxy
/// (a folder, as GOPROXY=file:// reads it) whose github.com/cosmtrek/air v1.52.3 has the
/// go.mod the real proxy serves for it (`module github.com/air-verse/air`) and v1.52.1 its
/// own path: air's rename (air issues #620/#621). None without go.
fn go_install_from_renamed_proxy(version: &str) -> Option<(bool, String)> {
    if !which_go() {
        return None;
    }
    let d = tempfile::tempdir().unwrap();
    let at = d.path().join("proxy/github.com/cosmtrek/air/@v");
    std::fs::create_dir_all(&at).unwrap();
    std::fs::write(at.join("list"), "v1.52.1\nv1.52.3\n").unwrap();
    for (v, module) in [
        ("v1.52.1", "github.com/cosmtrek/air"),
        ("v1.52.3", "github.com/air-verse/air"),
    ] {
        let gomod = format!("module {module}\n\ngo 1.21\n");
        std::fs::write(at.join(format!("{v}.mod")), &gomod).unwrap();
        std::fs::write(
            at.join(format!("{v}.info")),
            format!("{{\"Version\":\"{v}\",\"Time\":\"2024-06-01T00:00:00Z\"}}"),
        )
        .unwrap();
        let src = d.path().join(format!("src-{v}"));
        let inner = src.join(format!("github.com/cosmtrek/air@{v}"));
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(inner.join("go.mod"), &gomod).unwrap();
        std::fs::write(inner.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
        let zipped = std::process::Command::new("zip")
            .args(["-qrD", at.join(format!("{v}.zip")).to_str().unwrap(), "."])
            .current_dir(&src)
            .status();
        if !zipped.is_ok_and(|s| s.success()) {
            return None;
        }
    }
    let out = std::process::Command::new("go")
        .args(["install", &format!("github.com/cosmtrek/air@{version}")])
        .current_dir(d.path())
        .env(
            "GOPROXY",
            format!("file://{}", d.path().join("proxy").display()),
        )
        .env("GOBIN", d.path().join("bin"))
        .env("GOMODCACHE", d.path().join("modcache"))
        .env("GOFLAGS", "-mod=mod -modcacherw")
        .env("GOSUMDB", "off")
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    Some((
        out.status.success(),
        said.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

/// AuAgCu/go-docker-sample (a compose service building go/Dockerfile FROM golang:1.19 whose
/// RUN does `go install github.com/cosmtrek/air@latest`), bernardolm/step-task (a Makefile
/// target's `command -v air || go install github.com/cosmtrek/air@latest`), Bas3line/
/// ai-assistant (scripts/setup.sh) and goamaral/war-of-faith (dev/setup, a script without
/// an extension): air left github.com/cosmtrek/air, and every release from v1.52.2 on says
/// github.com/air-verse/air in its go.mod, so go refuses the old path at @latest whatever its
/// version. The doctor said nothing, and for the image even named "air v1.41.0 with Go 1.19".
#[test]
fn installing_air_from_its_old_module_path_at_latest_fails_at_that_line() {
    // The claim, from the real go: the old path at latest stops, pinned old still installs.
    if let Some((ok, said)) = go_install_from_renamed_proxy("latest") {
        assert!(!ok, "{said}");
        let finding_says = "version constraints conflict: github.com/cosmtrek/air@v1.52.3: parsing go.mod: module declares its path as: github.com/air-verse/air but was required as: github.com/cosmtrek/air";
        assert!(said.contains(finding_says), "{said}");
        let (ok, said) = go_install_from_renamed_proxy("v1.52.1").unwrap();
        assert!(ok, "{said}");
    }
    let dir = repository_with(&[
        ("go/go.mod", "module example.com/app\n\ngo 1.19\n"),
        ("go/main.go", "package main\n\nfunc main() {}\n"),
        ("go/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n"),
        (
            "go/Dockerfile",
            "FROM golang:1.19.0-alpine3.16\n\nRUN apk update \\\n    && apk add git \\\n    && go install github.com/cosmtrek/air@latest \\\n    && go get github.com/dgrijalva/jwt-go\n\nWORKDIR /go\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  go:\n    build: ./go\n    command: air -c .air.toml\n    volumes:\n      - ./go:/go_api\n    working_dir: /go_api\n",
        ),
        (
            "Makefile",
            "air:\n\t@command -v air &>/dev/null || go install github.com/cosmtrek/air@latest\n\t@air -c go/.air.toml\n",
        ),
        (
            "scripts/setup.sh",
            "#!/bin/bash\nset -e\nif ! command -v air &> /dev/null; then\n    go install github.com/cosmtrek/air@latest\nfi\n",
        ),
        (
            "dev/setup",
            "#!/usr/bin/env bash\n(\n  cd ..\n  go install github.com/cosmtrek/air@latest\n)\n",
        ),
        // A pinned old release is no install that fails; an indented block in a README is
        // not read as commands (it may continue a list item).
        ("README.md", "    go get -u github.com/cosmtrek/air@latest\n"),
        ("scripts/pinned.sh", "#!/bin/sh\ngo install github.com/cosmtrek/air@v1.49.0\n"),
    ]);
    let c = run(&dir.path().join("go"));
    let image = finding_in(&c, "air-install-fails", "go/Dockerfile");
    assert_at(image, "warn", 3);
    let message = image["message"].as_str().unwrap();
    assert!(
        message.contains("module declares its path as: github.com/air-verse/air"),
        "{image:#}"
    );
    assert!(
        message.contains("docker-compose.yml's `go` service"),
        "{image:#}"
    );
    // Go 1.19 cannot build the newest air: the last one it builds, at its own path.
    assert_eq!(
        image["evidence"]["install"], "go install github.com/cosmtrek/air@v1.41.0",
        "{image:#}"
    );
    let make = finding_in(&c, "air-install-fails", "Makefile");
    assert_at(make, "warn", 2);
    assert!(
        make["message"]
            .as_str()
            .unwrap()
            .contains("(the `air` target)"),
        "{make:#}"
    );
    assert_eq!(
        make["evidence"]["install"],
        "go install github.com/air-verse/air@latest"
    );
    assert_at(
        finding_in(&c, "air-install-fails", "scripts/setup.sh"),
        "warn",
        4,
    );
    assert_at(finding_in(&c, "air-install-fails", "dev/setup"), "warn", 4);
    let all: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    assert_eq!(all.len(), 4, "{c:#}");
    // The image's air is not "v1.41.0 with Go 1.19": the install gives none.
    let launch = c["evidence"]["launches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["file"] == "docker-compose.yml")
        .unwrap();
    assert!(
        !launch["air"].as_str().unwrap_or("").contains("v1.41.0"),
        "{launch:#}"
    );
}

/// JorgeReus/istio-jwt: auth-service/Taskfile.yml's `dl-deps` calls the `go-install` task
/// with `vars: {REPO: github.com/cosmtrek/air@latest}`, and `go-install` runs
/// `go install {{.REPO}}`. The variable was never expanded, so the install that go refuses
/// (the real go, below) was not seen; it is named at the line passing it.
#[test]
fn a_taskfile_install_through_a_called_task_with_vars_is_judged() {
    if let Some((ok, said)) = go_install_from_renamed_proxy("latest") {
        assert!(!ok, "{said}");
    }
    let dir = repository_with(&[
        ("auth-service/go.mod", "module example.com/auth\n\ngo 1.22\n"),
        ("auth-service/main.go", "package main\n\nfunc main() {}\n"),
        (
            "auth-service/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
        (
            "auth-service/Taskfile.yml",
            "version: '3'\n\ntasks:\n  dev:\n    cmds:\n      - air -c .air.toml\n\n  dl-deps:\n    desc: Install tools\n    cmds:\n      - task: go-install\n        vars: {REPO: github.com/swaggo/swag/cmd/swag@latest}\n      - task: go-install\n        vars: {REPO: github.com/cosmtrek/air@latest}\n      - task: tidy\n\n  go-install:\n    cmds:\n      - go install {{.REPO}}\n\n  tidy:\n    cmds:\n      - go mod tidy\n",
        ),
    ]);
    let c = run(&dir.path().join("auth-service"));
    let f = finding_in(&c, "air-install-fails", "auth-service/Taskfile.yml");
    assert_at(f, "warn", 14);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("go install github.com/cosmtrek/air@latest")
            && message.contains("(the `dl-deps` task)"),
        "{f:#}"
    );
}

/// denisivanov-dev/messenger: the `ws` service (golang:1.24, `environment: GOTOOLCHAIN=auto`)
/// runs `go install github.com/air-verse/air@latest && air -c .air.toml`: go switches to the
/// Go the newest air asks for and installs it, not "air v1.62.0 with Go 1.24".
#[test]
fn gotoolchain_auto_in_a_compose_service_runs_the_newest_air() {
    for env in [
        "    environment:\n      GOTOOLCHAIN: auto\n",
        "    environment:\n      - GOTOOLCHAIN=auto\n",
    ] {
        let dir = repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.24\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            (".air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n"),
            (
                "docker-compose.yml",
                &format!("services:\n  ws:\n    image: golang:1.24\n    working_dir: /app\n    volumes: ['.:/app']\n{env}    command: sh -c \"go install github.com/air-verse/air@latest && air -c .air.toml\"\n"),
            ),
        ]);
        let c = run(dir.path());
        let air = c["evidence"]["launches"][0]["air"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(air.starts_with("air v1.67.4 "), "{env}: {c:#}");
        assert!(air.contains("GOTOOLCHAIN=auto"), "{air}");
    }
}

/// 0db0/metric-client and 521-studios (an image installing air v1.61.5), Douglasblnk/
/// go-photokeep-api (`go run github.com/cosmtrek/air` with air v1.29.0 required in go.mod):
/// "air warns that build.bin is deprecated" was said for airs that print no such line
/// (`warnDeprecatedBin` came in v1.63.2); an include_dir outside root that is missing is
/// reported only where the air that runs prints that (v1.63.2 on too).
#[test]
fn a_startup_warning_is_said_only_for_an_air_that_prints_it() {
    let config = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  include_dir = [\"../rd-no-such-folder\"]\n";
    let shape = |install: &str| {
        repository_with(&[
            ("app/go.mod", "module example.com/app\n\ngo 1.23\n"),
            ("app/main.go", "package main\n\nfunc main() {}\n"),
            ("app/.air.toml", config),
            (
                "app/Dockerfile",
                &format!("FROM golang:1.26\nRUN go install {install}\nWORKDIR /app\nCMD [\"air\", \"-c\", \".air.toml\"]\n"),
            ),
            (
                "compose.yaml",
                "services:\n  app:\n    build: ./app\n    volumes: ['./app:/app']\n",
            ),
        ])
    };
    let says = |c: &Value| {
        let summary = c["summary"].as_str().unwrap_or("").contains("deprecated");
        let prints = c["evidence"]["air_prints"].as_array().map_or(0, Vec::len);
        let warns = problems(c).contains(&"air-warns".to_string());
        (summary, prints, warns)
    };
    let old = shape("github.com/air-verse/air@v1.61.5");
    let c = run(&old.path().join("app"));
    assert!(
        c["evidence"]["launches"][0]["air"]
            .as_str()
            .unwrap()
            .starts_with("air v1.61.5"),
        "{c:#}"
    );
    assert_eq!(says(&c), (false, 0, false), "{c:#}");
    let new = shape("github.com/air-verse/air@latest");
    assert_eq!(says(&run(&new.path().join("app"))), (true, 2, true));
    // `go run` of the module without a version runs what go.mod requires.
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.17\n\nrequire (\n\tgithub.com/cosmtrek/air v1.29.0\n)\n"),
        ("cmd/main.go", "package main\n\nfunc main() {}\n"),
        ("cmd/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main ./cmd\"\n  bin = \"./tmp/main\"\n"),
        ("Makefile", "dev:\n\tgo run github.com/cosmtrek/air -c ./cmd/.air.toml\n"),
    ]);
    let c = run(dir.path());
    let air = c["evidence"]["launches"][0]["air"].as_str().unwrap_or("");
    assert!(air.starts_with("air v1.29.0 (go.mod requires"), "{c:#}");
    assert!(
        !c["summary"].as_str().unwrap().contains("deprecated"),
        "{c:#}"
    );
}

/// Aurelienbr96/backend-whatsapp-clone: the Makefile's `run` target does `cd cmd && air -c
/// .air.toml` (root "../"); goamaral/war-of-faith: dev/Procfile's `server: air` runs in dev/
/// and reads dev/.air.toml. Nothing runs air at the repository root, which has no config:
/// the report there judged air's defaults at the root ("which work"), a run no one makes.
/// It now judges the launched config where the launcher runs it, and names the launcher.
/// When a launcher also runs plain air at the root, the root's defaults stay the subject.
#[test]
fn a_root_no_one_runs_air_in_reports_the_launch_in_a_folder_below() {
    let config = "root = \"../\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n";
    let cases = [
        (
            ("Makefile", "run:\n\tcd cmd && air -c .air.toml\n"),
            ("cmd/.air.toml", "cmd/main.go"),
            "cmd",
            "the Makefile's `run` target (Makefile:2), air in cmd/",
        ),
        (
            (
                "dev/Procfile",
                "server: air\nfrontend: (cd ../frontend && pnpm run dev)\n",
            ),
            ("dev/.air.toml", "dev/main.go"),
            "dev",
            "dev/Procfile's `server` process (dev/Procfile:1), air in dev/",
        ),
    ];
    for ((launcher, text), (config_at, main_at), folder, said) in cases {
        let dir = repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            (main_at, "package main\n\nfunc main() {}\n"),
            ("internal/chat/chat.go", "package chat\n"),
            (config_at, config),
            (launcher, text),
        ]);
        let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
        assert_eq!(report["project"]["reloader"], "air", "{report:#}");
        assert_eq!(
            project_of(&report, dir.path()),
            (folder.to_string(), config_at.to_string()),
            "{report:#}"
        );
        let c = check(&report, "reloader-config");
        let summary = c["summary"].as_str().unwrap();
        assert!(summary.contains(&format!("started by {said}")), "{summary}");
        assert_eq!(c["evidence"]["launches"][0]["file"], launcher, "{c:#}");

        // A launcher that also runs plain air at the root: its defaults there are the report.
        std::fs::write(dir.path().join("Procfile"), "root: air\n").unwrap();
        let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
        assert_eq!(report["project"]["reloader"], "none", "{report:#}");
    }
}

/// userstyles-world/userstyles.world: tools/run is an extensionless POSIX sh script
/// (`#!/usr/bin/env sh`) whose `watch` function runs `air -c tools/air_go.toml`,
/// `env DEBUG=true air -c tools/air_ts.toml` and `air -c tools/air_sass.toml` after the
/// script `cd`s to the repository root. Neither the script nor the configs were found, and
/// the report said "air would run with its defaults, which work". The configs are judged
/// now: air_go.toml's `bin = "tools/run start"` is quoted as one path by real air, which
/// never starts the app; air_ts.toml's `full_bin = " "` (a watcher that starts nothing, for
/// TypeScript) is no lost .go rebuild. A python script of the same shape is not a launcher.
#[test]
fn an_extensionless_shell_script_is_a_launcher_and_its_configs_are_judged() {
    let run_script = "#!/usr/bin/env sh\nset -eu\n\nbuild() {\n    case \"$1\" in\n        go) go build -o bin/app ./cmd/app ;;\n        ts) mkdir -p web/static && cp web/typescript/main.ts web/static/main.js ;;\n    esac\n}\n\nwatch() {\n    case \"$1\" in\n        go)\n            air -c tools/air_go.toml\n            ;;\n        ts)\n            env DEBUG=\"true\" air -c tools/air_ts.toml\n            ;;\n    esac\n}\n\nmain() {\n    cd \"$(git rev-parse --show-toplevel)\"\n    case \"$1\" in\n        build) shift; build \"$@\" ;;\n        start) exec bin/app ;;\n        watch) shift; watch \"$@\" ;;\n    esac\n}\n\nmain \"$@\"\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/usw\n\ngo 1.22\n"),
        (
            "cmd/app/main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
        ("web/typescript/main.ts", "console.log(1)\n"),
        ("tools/run", run_script),
        (
            "tools/air_go.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\nlog         = \"air_go.log\"\nbin         = \"tools/run start\"\ncmd         = \"tools/run build go\"\ninclude_dir = [ \"cmd\" ]\ninclude_ext = [ \"go\" ]\n",
        ),
        (
            "tools/air_ts.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\nbin         = \" \" # skip\nfull_bin    = \" \" # skip\ncmd         = \"tools/run build ts\"\ninclude_dir = [ \"web/typescript\" ]\ninclude_ext = [ \"ts\" ]\n",
        ),
    ]);
    use std::os::unix::fs::PermissionsExt;
    let script = dir.path().join("tools/run");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["reloader"], "air", "{report:#}");
    let c = check(&report, "reloader-config");
    let f = finding(c, "bin-with-arguments");
    assert_at(f, "fail", 6);
    assert_eq!(f["evidence"]["file"], "tools/air_go.toml", "{f:#}");
    let summary = c["summary"].as_str().unwrap();
    assert!(
        summary.contains("tools/air_ts.toml") && summary.contains("started by tools/run:14"),
        "{summary}"
    );
    assert!(
        !problems(c).contains(&"no-go-ext".to_string()),
        "a watcher that starts no app: {c:#}"
    );
    // Not a shell: a python file named like one is not read as a script.
    std::fs::write(
        &script,
        format!("#!/usr/bin/env python3\n{}", &run_script[18..]),
    )
    .unwrap();
    let (_, report) = json_report(dir.path(), &["--only", "reloader-config"]);
    assert_eq!(report["project"]["reloader"], "none", "{report:#}");
    std::fs::write(&script, run_script).unwrap();

    if !which_go() {
        return;
    }
    // What real air does with air_go.toml, started the way tools/run starts it.
    let said = air_with_until_the_app_exits(dir.path(), &["-c", "tools/air_go.toml"]);
    assert!(said.contains("tools/run start: not found"), "{said}");
    assert!(!said.contains("app started"), "{said}");
}

/// 0xzcarlet/golang-api: `make dev` runs plain `air` at the root, which has no .go files
/// (main is cmd/api/main.go); air.toml builds the right package but plain air never reads it.
/// air's defaults (`go build -o ./tmp/main .`) fail at every build: real air prints "no Go
/// files" and never starts the app, so it is a fail (build-fails), not a warning. A root
/// package that is not main builds an archive air cannot run: a fail too. With a main
/// package at the root, the defaults build the app: still a warning; so is a root no
/// launcher runs plain air in.
#[test]
fn an_unread_config_whose_defaults_cannot_build_here_fails() {
    let config = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o ./tmp/main ./cmd/api/main.go\"\n  exclude_dir = [\"tmp\"]\n  stop_on_error = true\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/api\n\ngo 1.22\n"),
        (
            "cmd/api/main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
        ("Makefile", "dev:\n\t@air\n"),
        ("air.toml", config),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "config-not-read");
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["claim"], "build-fails", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.starts_with("the Makefile's `dev` target (Makefile:2) runs plain `air`")
            && m.contains("no Go files")
            && m.contains("rename it to .air.toml"),
        "{m}"
    );
    // No launcher runs plain air (0xLaurens/seemless.app's README passes `--build.cmd`):
    // how air is started is not known, so no more than the warning.
    std::fs::remove_file(dir.path().join("Makefile")).unwrap();
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "warn", "{f:#}");
    std::fs::write(dir.path().join("Makefile"), "dev:\n\t@air\n").unwrap();

    // A package of another name at the root: go writes an archive, not a program.
    std::fs::write(dir.path().join("api.go"), "package api\n\nfunc A() {}\n").unwrap();
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["defaults_build"], "not-main", "{f:#}");

    if which_go() {
        let said = air_with_until_the_app_exits(dir.path(), &[]);
        assert!(said.to_lowercase().contains("permission denied"), "{said}");
        assert!(!said.contains("app started"), "{said}");
        std::fs::remove_file(dir.path().join("api.go")).unwrap();
        let _ = std::fs::remove_dir_all(dir.path().join("tmp"));
        let said = air_with_until_the_app_exits(dir.path(), &[]);
        assert!(said.contains("no Go files"), "{said}");
        assert!(!said.contains("app started"), "{said}");
    } else {
        std::fs::remove_file(dir.path().join("api.go")).unwrap();
    }

    // No config at all: `make dev`'s plain air runs the defaults, which fail the same way
    // (launch-runs-defaults, a fail); with no launcher, a note, not "defaults, which work".
    std::fs::remove_file(dir.path().join("air.toml")).unwrap();
    let c = run(dir.path());
    let f = finding(&c, "launch-runs-defaults");
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["claim"], "build-fails", "{f:#}");
    std::fs::remove_file(dir.path().join("Makefile")).unwrap();
    let c = run(dir.path());
    assert_eq!(findings(&c).len(), 1, "{c:#}");
    assert_eq!(findings(&c)[0]["severity"], "info", "{c:#}");
    assert!(
        !c["summary"].as_str().unwrap().contains("which work"),
        "{c:#}"
    );
    std::fs::write(dir.path().join("Makefile"), "dev:\n\t@air\n").unwrap();
    std::fs::write(dir.path().join("air.toml"), config).unwrap();

    // main at the root: air's defaults build and start it; the file is only ignored.
    std::fs::write(
        dir.path().join("main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "warn", "{f:#}");
}

/// NotDocSpecter/Bookmarks (a fork of yourselfhosted/slash): `scripts/.air.toml` for Linux and
/// macOS beside `scripts/.air-windows.toml` for Windows, no launcher (`air -c
/// scripts/.air.toml` from the root, by convention). Only the first was judged. On Windows air
/// also makes bin absolute and, as it holds a space, runs `& "C:\...\slash.exe --mode dev"`
/// in PowerShell (v1.67.4 `formatPath`, `startCmd` in util_windows.go): one command name that
/// does not exist, so bin-with-arguments holds there too, with backslashes in the path or not.
/// The Windows file's `.\` paths are not reported as Windows-only.
#[test]
fn a_windows_sibling_config_is_judged_with_what_holds_on_windows() {
    let windows = |bin: &str| {
        format!("root = \".\"\ntmp_dir = \".air\"\n\n[build]\nbin = \"{bin}\"\ncmd = \"go build -o ./.air/slash.exe ./bin/slash/main.go\"\nexclude_dir = [\".air\", \"frontend\"]\nstop_on_error = true\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/slash\n\ngo 1.22\n"),
        ("bin/slash/main.go", "package main\n\nfunc main() {}\n"),
        (
            "scripts/.air.toml",
            "root = \".\"\ntmp_dir = \".air\"\n\n[build]\nbin = \"./.air/slash --mode dev\"\ncmd = \"go build -o ./.air/slash ./bin/slash/main.go\"\nexclude_dir = [\".air\", \"frontend\"]\nstop_on_error = true\n",
        ),
        (
            "scripts/.air-windows.toml",
            &windows("./.air/slash.exe --mode dev"),
        ),
    ]);
    let with_args = |c: &Value| -> Vec<String> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "bin-with-arguments")
            .map(|f| {
                format!(
                    "{} {}",
                    f["evidence"]["file"].as_str().unwrap(),
                    f["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    let c = run(dir.path());
    assert_eq!(
        with_args(&c),
        vec!["scripts/.air.toml fail", "scripts/.air-windows.toml fail"],
        "{c:#}"
    );
    std::fs::write(
        dir.path().join("scripts/.air-windows.toml"),
        windows(".\\\\.air\\\\slash.exe --mode dev"),
    )
    .unwrap();
    let c = run(dir.path());
    assert_eq!(
        with_args(&c),
        vec!["scripts/.air.toml fail", "scripts/.air-windows.toml fail"],
        "{c:#}"
    );
    assert_lacks(&c, "windows-only-config");
}

/// 1guilherme1python1/go-api-vagas: the compose file ships as `dev.example.yml` (the README
/// says `docker compose -f dev.yml up`), and it and Dockerfile.dev start with a UTF-8 byte
/// order mark. Its `app` service builds Dockerfile.dev (golang:1.24-alpine, `go install
/// github.com/air-verse/air@latest`), whose Go cannot build the newest air: the image build
/// stops. A YAML file with a top-level `services:` of services is a compose file whatever its
/// name; a YAML file with another `services:` (a CI file's list of images) is not.
#[test]
fn a_compose_file_by_another_name_is_read_by_its_content() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.24\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "\u{feff}[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
        (
            "Dockerfile.dev",
            "\u{feff}FROM golang:1.24-alpine\nRUN go install github.com/air-verse/air@latest\nWORKDIR /app\nCOPY go.mod ./\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
        (
            "dev.example.yml",
            "\u{feff}services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n    volumes:\n      - .:/app:cached\n    command: air -c .air.toml\n",
        ),
        (
            "ci.yml",
            "services:\n  - postgres:16\ntest:\n  script: go test ./...\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "air-install-fails");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.starts_with("dev.example.yml:8:"), "{msg}");
    assert!(msg.contains("golang:1.24-alpine"), "{msg}");
    assert_lacks(&c, "launch-config-missing");
    let files: Vec<&str> = c["evidence"]["launches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["dev.example.yml"], "{c:#}");
}

/// bluffy/forms: docker/dev/server.Dockerfile copies nothing of the repository (`WORKDIR
/// /go/src/goapp`, `CMD bash -c "air -c .air.dev.toml"`); the compose file that bind-mounts
/// the repository there names it through `${PWD}`, not known here. Judged alone against its
/// bare image, the config air would read is not known: no claim that it "is not there" (air
/// finds it through the mount). An image that copies the source and still lacks the file is
/// still named.
#[test]
fn a_dockerfile_that_copies_no_source_is_not_said_to_lack_the_config() {
    let dockerfile = |copy: &str| {
        format!("FROM golang:1.26\nWORKDIR /go/src/goapp\n{copy}RUN go install github.com/air-verse/air@latest\nCMD bash -c \"air -c .air.dev.toml\"\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
        (
            ".air.dev.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
        ("docker/dev/server.Dockerfile", &dockerfile("")),
        (
            "docker/dev/docker-compose.example.yaml",
            "services:\n  app:\n    build:\n      context: \"${PWD}\"\n      dockerfile: ${PWD}/docker/dev/server.Dockerfile\n    volumes:\n      - '${PWD}/.:/go/src/goapp'\n",
        ),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "launch-config-missing");
    std::fs::write(
        dir.path().join("docker/dev/server.Dockerfile"),
        dockerfile("COPY main.go go.mod ./\n"),
    )
    .unwrap();
    let f = finding(&run(dir.path()), "launch-config-missing").clone();
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("docker/dev/server.Dockerfile:5: runs `air -c .air.dev.toml`"),
        "{f:#}"
    );
}

/// CrateME-UL/meul-inventory: build.cmd is `cd ./scripts && make bdebug`, and that target
/// (a target-specific variable line, then `bdebug: i` with the recipe) runs
/// `cd $(CMD_DIR)/inventory && wire`, a program not on PATH: make stops there, so every build
/// fails. The program is named with the recipe line that runs it (shown with the real make,
/// run the way air runs cmd: `sh -c`). A recipe line whose failure make ignores (`-`) or
/// that falls back (`||`) is not a certain failure.
#[test]
fn a_program_a_make_target_of_the_build_runs_is_looked_up_on_path() {
    let makefile = |line: &str| {
        format!("CMD_DIR = ../cmd\n\ni:\n\techo tidy\n\nbdebug: BUILD_MODE = debug\nbdebug: i\n\t{line}\n\tgo build -C $(CMD_DIR)/inventory -o app .\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("cmd/inventory/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"cd ./scripts && make bdebug\"\n  bin = \"./cmd/inventory/app\"\n  stop_on_error = true\n",
        ),
        (
            "scripts/makefile",
            &makefile("cd $(CMD_DIR)/inventory && rd-no-such-wire"),
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(f["evidence"]["program"], "rd-no-such-wire", "{f:#}");
    assert_eq!(
        f["evidence"]["recipe"]["site"], "scripts/makefile:8",
        "{f:#}"
    );
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.starts_with(".air.toml:2: cmd runs `make bdebug`, whose scripts/makefile:8 (`cd $(CMD_DIR)/inventory && rd-no-such-wire`) runs `rd-no-such-wire`, which is not on PATH: every build fails"),
        "{msg}"
    );
    // The claim, with the real make: the build command fails at that line.
    if which::which("make").is_ok() {
        let out = std::process::Command::new("sh")
            .args(["-c", "cd ./scripts && make bdebug"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        assert!(err.contains("rd-no-such-wire: not found"), "{err}");
    }
    for line in [
        "-rd-no-such-wire",
        "command -v rd-no-such-wire || echo skipped",
    ] {
        std::fs::write(dir.path().join("scripts/makefile"), makefile(line)).unwrap();
        let c = run(dir.path());
        assert!(
            !problems(&c).contains(&"tool-not-found".to_string()),
            "{line}: {c:#}"
        );
    }
}

/// The same through a justfile: build.cmd `just build` runs a recipe whose dependency runs a
/// program not on PATH; the finding names that recipe line. A `{{var}}` program is not looked
/// up (just fills it in).
#[test]
fn a_program_a_just_recipe_of_the_build_runs_is_looked_up_on_path() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"just build\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
        (
            "justfile",
            "go := \"go\"\n\nbuild: gen\n    {{go}} build -o ./tmp/main .\n\ngen:\n    rd-no-such-gen ./...\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["severity"], "warn", "{f:#}");
    if which::which("just").is_err() {
        // Without just the build fails at `just` itself: that alone is named.
        assert_eq!(f["evidence"]["program"], "just", "{f:#}");
        return;
    }
    assert_eq!(f["evidence"]["program"], "rd-no-such-gen", "{f:#}");
    assert_eq!(f["evidence"]["recipe"]["site"], "justfile:7", "{f:#}");
}

/// joaoluizhilario/go-pocs: docker/.air.toml sits beside a stray docker/go.mod (no Go code),
/// and the repository's only launcher, docker/docker-compose.yaml, mounts `../` over its
/// working folder and runs plain `air` in the repository root, where no .air.toml is: nothing
/// runs air with docker/.air.toml. Judged in its own folder, the swag rebuild loop is what
/// happens only if someone types `air` in docker/: a warning that says so, not a fail. With
/// no launcher at all, the config's own folder is where air runs, and the fail stays.
#[test]
fn a_config_no_launcher_runs_is_judged_in_its_folder_only_as_a_warning() {
    let files = [
        ("go.mod", "module example.com/pocs\n\ngo 1.22\n"),
        ("main.go", "package main\n\nimport _ \"example.com/pocs/docs\"\n\nfunc main() {}\n"),
        ("cmd/api/api.go", "package api\n\n// @title API\nfunc Run() {}\n"),
        ("docs/docs.go", "// Code generated by swaggo/swag. DO NOT EDIT\npackage docs\n\nvar Doc = \"{}\"\n"),
        ("docker/go.mod", "module example.com/pocs\n\ngo 1.22.0\n"),
        (
            "docker/.air.toml",
            "[build]\ncmd = \"swag init -g ./cmd/api/api.go --output docs && go build -o ./tmp/main .\"",
        ),
        (
            "docker/dockerfile",
            "FROM golang:latest\nWORKDIR /usr/src/app\nRUN go install github.com/swaggo/swag/cmd/swag@latest\nRUN go install github.com/air-verse/air@latest\nCOPY . .\n",
        ),
    ];
    let compose = (
        "docker/docker-compose.yaml",
        "services:\n  web:\n    build: .\n    volumes:\n      - ../:/usr/src/app\n    command: air ./main.go -b 0.0.0.0\n",
    );
    let mut with_compose = files.to_vec();
    with_compose.push(compose);
    let dir = repository_with(&with_compose);
    let c = run(&dir.path().join("docker"));
    let f = finding(&c, "generated-code-loop");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("if run with `air` in docker/ (no launcher runs air with it)"),
        "{message}"
    );
    assert!(
        !findings(&c).iter().any(|f| f["severity"] == "fail"),
        "{c:#}"
    );
    // swag missing from this machine's PATH (where it is): only the image runs air, and
    // its Dockerfile installs swag, so a note.
    let swag_missing = which::which("swag").is_err();
    let tool = |c: &Value| {
        findings(c)
            .iter()
            .find(|f| f["evidence"]["problem"] == "tool-not-found")
            .cloned()
    };
    if swag_missing {
        let f = tool(&c).expect("swag is not on PATH");
        assert_eq!(f["severity"], "info", "{f:#}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("the launchers run air in a container"),
            "{f:#}"
        );
    }

    let alone = repository_with(&files);
    let c = run(&alone.path().join("docker"));
    let f = finding(&c, "generated-code-loop");
    assert_eq!(f["severity"], "fail", "{f:#}");
    if swag_missing {
        assert_eq!(tool(&c).expect("swag is not on PATH")["severity"], "warn");
    }
}

/// GradProjectHub/Seicheese-BackEnd: src/.air.toml builds `go build -o ./tmp/main .` in src/
/// (the module), which holds no .go file: main is in src/cmd/app. go stops with "no Go files
/// in DIR" at every build (asked of real go here); the finding fails and names cmd/app. A
/// folder with only tests is no better; once `.` holds main.go, nothing is said.
#[test]
fn a_build_of_a_folder_with_no_go_files_fails() {
    let dir = repository_with(&[
        ("src/go.mod", "module example.com/seicheese\n\ngo 1.21\n"),
        ("src/cmd/app/main.go", "package main\n\nfunc main() {}\n"),
        ("src/internal/x/x.go", "package x\n"),
        ("src/x_test.go", "package main\n"),
        (
            "src/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
    ]);
    let p = dir.path().join("src");
    let c = run(&p);
    let f = finding(&c, "build-source-missing");
    assert_at(f, "fail", 6);
    assert_eq!(f["evidence"]["claim"], "build-fails", "{f:#}");
    assert_eq!(f["evidence"]["no_go_files"], ".", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("`./cmd/app`"), "{message}");

    if let Ok(go) = which::which("go") {
        let build = std::process::Command::new(&go)
            .args(["build", "-o", "./tmp/main", "."])
            .current_dir(&p)
            .env("GOPROXY", "off")
            .env("GOFLAGS", "-mod=mod")
            .output()
            .unwrap();
        assert!(!build.status.success());
        let stderr = String::from_utf8_lossy(&build.stderr);
        // Only a test beside: "no non-test Go files in DIR", as the finding says.
        assert!(stderr.contains("no non-test Go files in"), "{stderr}");
        assert!(message.contains("no non-test Go files in"), "{message}");
    } else {
        eprintln!("go not installed: the build is not tried");
    }

    // Built from cmd/app: go builds it, and nothing is said.
    std::fs::write(
        p.join(".air.toml"),
        "[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o ./tmp/main ./cmd/app\"\n  stop_on_error = true\n",
    )
    .unwrap();
    let c = run(&p);
    assert_lacks(&c, "build-source-missing");
}

/// ABHINAVGARG05/DJANGO-UNCHAINED: an empty .air.toml at the repository root, where there is
/// neither go.mod nor a .go file (the module is backend/, main in backend/cmd/api). air's
/// default build, `go build -o ./tmp/main .`, fails there every time (asked of real go),
/// yet the report said all checks passed. Not certain air runs there (the config may be a
/// leftover above the module): a warning that says so.
#[test]
fn an_empty_config_above_the_module_warns_that_the_default_build_fails() {
    let dir = repository_with(&[
        (".air.toml", ""),
        ("README.md", "# app\n"),
        ("backend/go.mod", "module example.com/backend\n\ngo 1.21\n"),
        (
            "backend/cmd/api/main.go",
            "package main\n\nfunc main() {}\n",
        ),
    ]);
    let p = dir.path();
    let c = run(p);
    let f = finding(&c, "build-source-missing");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("if air runs in ./"), "{message}");
    assert!(message.contains("backend/cmd/api/"), "{message}");

    if let Ok(go) = which::which("go") {
        let build = std::process::Command::new(&go)
            .args(["build", "-o", "./tmp/main", "."])
            .current_dir(p)
            .env("GOPROXY", "off")
            .env("GO111MODULE", "on")
            .output()
            .unwrap();
        assert!(!build.status.success(), "go built an empty folder");
    }
}

/// xdevspo/go_tmpl_module_app: compose runs air in src/ (mounted at /app) with docker/.air.toml
/// mounted over src/.air.toml, an empty file. A launcher runs air in src/ with another config:
/// src/.air.toml is shadowed, and what its defaults would do (`go build .` in src/, which has
/// no Go files) is only a note that says so.
#[test]
fn a_config_a_launcher_shadows_in_its_own_folder_gives_only_notes() {
    let dir = repository_with(&[
        ("src/go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("src/cmd/main.go", "package main\n\nfunc main() {}\n"),
        ("src/.air.toml", ""),
        (
            "docker/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd\"\n  entrypoint = [\"./tmp/main\"]\n  stop_on_error = true\n",
        ),
        (
            "docker/docker-compose.yml",
            "services:\n  backend:\n    image: golang:1.26\n    volumes:\n      - ../src:/app\n      - ./.air.toml:/app/.air.toml\n    working_dir: /app\n    command: air -c .air.toml\n",
        ),
    ]);
    let c = run(&dir.path().join("src"));
    let f = finding(&c, "build-source-missing");
    assert_eq!(f["severity"], "info", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains(
            "if run with `air` in src/ (the launchers that run air here read another config)"
        ),
        "{message}"
    );
}

/// `go build` with `args` in `dir` (GOFLAGS and GOPROXY off: no module is fetched): whether
/// it succeeded, and what it printed.
fn go_build_in(dir: &Path, args: &[&str]) -> (bool, String) {
    let o = std::process::Command::new("go")
        .arg("build")
        .args(args)
        .current_dir(dir)
        .env("GOFLAGS", "")
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

/// Issue 22, hold-out 6 (LeviVarg/dicom-viewer's `[server] cmd = "./tmp/go-service"`,
/// Estate-CRM/backend-Ai's `[build] watch_dir = "."`, DandyChux/euro-haus's `restart_delay`):
/// an unknown key whose evident ask is what air does anyway (another tool's table, air's own
/// root, a wait) is a note; one whose ask is lost (a typo of exclude_dir, a `[watch]` naming
/// a folder air does not fully react to, an extension air does not take) stays a warning.
/// And `[color] watcher` is no suggestion for `watch_dir`.
#[test]
fn an_unknown_key_is_a_warning_only_when_what_it_asks_for_is_lost() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/svc\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("web/site.css", "body {}\n"),
        ("web/index.html", "<p>hi</p>\n"),
        (
            ".air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/go-service .\"\nbin = \"tmp/go-service\"\nwatch_dir = \".\"\nrestart_delay = 100\n\n[server]\n# Command to run the newly compiled executable\ncmd = \"./tmp/go-service\"\n",
        ),
    ]);
    let c = run(dir.path());
    let unknown: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unknown-key")
        .collect();
    assert_eq!(unknown.len(), 3, "{c:#}");
    for f in &unknown {
        assert_eq!(f["severity"], "info", "{f:#}");
    }
    let watch_dir = unknown.iter().find(|f| f["evidence"]["line"] == 7).unwrap();
    let text = watch_dir["message"].as_str().unwrap();
    assert!(text.contains("air's root"), "{text}");
    assert!(
        !text.contains("watcher"),
        "no colour key is a spelling of it: {text}"
    );
    assert_eq!(watch_dir["evidence"]["suggestion"], Value::Null);
    assert!(unknown[1]["message"]
        .as_str()
        .unwrap()
        .contains("only for a wait"));
    assert!(unknown[2]["message"]
        .as_str()
        .unwrap()
        .contains("another tool's section"));
    assert_eq!(c["status"], "info", "{c:#}");

    // What is lost stays a warning.
    let cfg = dir.path().join(".air.toml");
    for (line, lost) in [
        ("exclude_dirs = [\"web\"]", "[build] exclude_dirs"),
        ("watch_dir = \"web\"", "[build] watch_dir"),
        ("kill_delai = \"2s\"", "[build] kill_delai"),
    ] {
        std::fs::write(&cfg, format!("[build]\n{line}\n")).unwrap();
        let c = run(dir.path());
        let f = finding(&c, "unknown-key");
        assert_eq!(f["severity"], "warn", "{lost}: {f:#}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!(".air.toml:2: {lost}")),
            "{f:#}"
        );
    }
    for table in [
        "[watch]\npaths = [\"web\"]\n",
        "[watch]\nexts = [\"css\"]\n",
        // A command air never runs: the hook is lost.
        "[hooks]\npre = \"make assets\"\n",
        // It writes a file.
        "[hooks]\npre = \"echo hi > version.txt\"\n",
        // Another program than the one air builds.
        "[serve]\ncmd = \"go run ./cmd/worker\"\n",
    ] {
        std::fs::write(&cfg, table).unwrap();
        let c = run(dir.path());
        assert_eq!(
            finding(&c, "unknown-key")["severity"],
            "warn",
            "{table}: {c:#}"
        );
    }
}

/// Issue 22, hold-out 9 (libpulse/platform services/api): another tool's `[watch]` table that
/// watches "." and keeps out tmp and vendor asks for what air does already (its root; its
/// walk skips tmp_dir and the exclude_dir entries, air's defaults included): a note. Keeping
/// out a folder air watches (web) is lost: a warning.
#[test]
fn another_tools_table_keeping_out_only_what_air_skips_is_a_note() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/svc\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("vendor/modules.txt", "# none\n"),
        ("web/index.html", "<p>hi</p>\n"),
    ]);
    let cfg = dir.path().join(".air.toml");
    let head = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/api ./\"\nbin = \"tmp/api\"\nstop_on_error = true\n";
    for (build, watch, severity) in [
        (
            "exclude_dir = [\"tmp\", \"vendor\"]\n",
            "directories = [\".\"]\nexclude_dir = [\"tmp\", \"vendor\"]\n",
            "info",
        ),
        // air's default exclude_dir holds vendor.
        (
            "",
            "directories = [\".\"]\nignore = [\"vendor/\", \"tmp\"]\n",
            "info",
        ),
        // Globs of what is in them (hold-out 8's qsaifudin/golang-image-processing).
        (
            "",
            "paths = [\".\"]\nexclude_paths = [\"./tmp/*\", \"./vendor/*\", \"./.git/*\"]\n",
            "info",
        ),
        (
            "",
            "paths = [\".\"]\nexclude_paths = [\"./web/*\"]\n",
            "warn",
        ),
        (
            "exclude_dir = [\"tmp\", \"vendor\"]\n",
            "directories = [\".\"]\nexclude_dir = [\"tmp\", \"web\"]\n",
            "warn",
        ),
    ] {
        std::fs::write(&cfg, format!("{head}{build}\n[watch]\n{watch}")).unwrap();
        let c = run(dir.path());
        let f = finding(&c, "unknown-key");
        assert_eq!(f["severity"], severity, "{watch}: {f:#}");
        if severity == "info" {
            let msg = f["message"].as_str().unwrap();
            assert!(msg.contains("air's walk skips already"), "{msg}");
        }
    }
}

/// Issue 22, hold-out 8 (14790897/my-one-api): unknown keys whose values ask for nothing air
/// does not do are notes: `include = ["*.go", "go.mod"]` (air takes every .go file; go.mod
/// alone waits for the next .go save), `pre_cmds`/`post_cmds` holding only an `echo`, and a
/// `[serve]` table that runs `go run main.go` (the package air builds and runs), echoes, and
/// asks to restart on change (air does). Real sh shows the echo writes nothing.
#[test]
fn unknown_keys_that_only_print_or_ask_what_air_does_are_notes() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/oneapi\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\ninclude = [\"*.go\", \"go.mod\"]\nexclude_dir = [\"web\"]\npre_cmds = [\"echo 'pre build commands'\"]\npost_cmds = [\"echo 'post build commands'\"]\n\n[serve]\ncmd = \"go run main.go\"\nport = 8080\npre_serve_cmds = [\"echo 'pre serve commands'\"]\nrestart_on_change = true\n",
        ),
    ]);
    let c = run(dir.path());
    let unknown: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unknown-key")
        .collect();
    assert_eq!(unknown.len(), 4, "{c:#}");
    for f in &unknown {
        assert_eq!(f["severity"], "info", "{f:#}");
    }
    let on = |line: i64| {
        unknown
            .iter()
            .find(|f| f["evidence"]["line"] == line)
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(on(6).contains("files air rebuilds on anyway"), "{}", on(6));
    assert!(on(8).contains("would only print a line"), "{}", on(8));
    assert!(on(9).contains("would only print a line"), "{}", on(9));
    let o = std::process::Command::new("sh")
        .args(["-c", "echo 'pre build commands'"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(o.stdout, b"pre build commands\n");
    let files = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(
        files, 4,
        "go.mod, main.go, .air.toml, .git: the echo wrote nothing"
    );

    // A glob for files air does not take stays a warning.
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\ninclude = [\"*.templ\"]\n",
    )
    .unwrap();
    assert_eq!(finding(&run(dir.path()), "unknown-key")["severity"], "warn");
}

/// Issue 22, hold-out 6: a config plain air never reads is weighed by what it would change.
/// Ma1y0/go-todo-list's server/air.toml sets only `delay = 200`: a note. 2SSK/task_manager's
/// air.toml builds with `go build -o {{.Output}} {{.Input}}`, which fails, where air's
/// defaults build (real go checks both): a note that says not to activate it. A file that
/// holds more than timing, with a working build, stays a warning to rename it.
#[test]
fn an_unread_config_is_weighed_by_what_reading_it_would_change() {
    let main = ("main.go", "package main\n\nfunc main() {}\n");
    let module = ("go.mod", "module example.com/todo\n\ngo 1.22\n");
    let dir = repository_with(&[module, main, ("air.toml", "[build]\ndelay = 200\n")]);
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("only in how long air waits"),
        "{f:#}"
    );

    let dir = repository_with(&[
        module,
        main,
        (
            "air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\nbin = \"main\"\ncmd = \"go build -o {{.Output}} {{.Input}}\"\nexclude = [\"tmp/*\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "config-not-read");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(f["evidence"]["would_fail"], "unexpanded-template", "{f:#}");
    let text = f["message"].as_str().unwrap();
    assert!(text.contains("do not rename it"), "{text}");
    assert!(text.contains("delete it, or fix it first"), "{text}");
    assert!(!text.contains("rename it to .air.toml or run"), "{text}");
    assert_eq!(c["status"], "info", "{c:#}");
    if which_go() {
        let (ok, _) = go_build_in(dir.path(), &["-o", "./tmp/main", "."]);
        assert!(ok, "air's default build works here");
        let o = std::process::Command::new("sh")
            .args(["-c", "go build -o {{.Output}} {{.Input}}"])
            .current_dir(dir.path())
            .env("GOFLAGS", "")
            .env("GOPROXY", "off")
            .output()
            .unwrap();
        assert!(!o.status.success(), "the file's own build fails");
    }

    // A build of its own (a tag) is lost: a warning to rename it.
    let dir = repository_with(&[
        module,
        main,
        (
            "air.toml",
            "[build]\ndelay = 200\ncmd = \"go build -tags dev -o ./tmp/main .\"\n",
        ),
    ]);
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("rename it to .air.toml"),
        "{f:#}"
    );
}

/// Issue 22, hold-out 8: an unread air.toml whose settings do what air's defaults do once air
/// has normalised them is a note. qalens/retroboard's backend/air.toml runs
/// `full_bin = "APP_ENV=dev ./tmp/main"` (no Go file reads APP_ENV) and takes only `go`
/// (no template in the tree); rahulkumarpahwa/traer's backend/air.toml writes
/// `bin = "tmp/main"` (air makes it absolute: ./tmp/main), excludes a folder with no Go file,
/// and sets only stop_on_error and the build log's name besides. Where a Go file reads
/// APP_ENV, or a template is in the tree, or a config library reads the environment, the
/// file changes what air does: a warning.
#[test]
fn an_unread_config_that_does_what_the_defaults_do_is_a_note() {
    // Not hidden: air watches nothing in a hidden root, which would hide the template.
    let visible_repository = |files: &[(&str, &str)]| {
        let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
        for (path, text) in files {
            let at = dir.path().join(path);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(at, text).unwrap();
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        dir
    };
    let module = ("go.mod", "module example.com/retro\n\ngo 1.22\n");
    let main = ("main.go", "package main\n\nfunc main() {}\n");
    let retro = (
        "air.toml",
        "root = \".\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  full_bin = \"APP_ENV=dev ./tmp/main\"\n  include_ext = [\"go\"]\n  exclude_dir = [\"tmp\", \"vendor\"]\n[log]\n  level = \"debug\"\n",
    );
    let pkg = (
        "pkg/server.go",
        "package pkg\n\nfunc Env() string { return \"dev\" }\n",
    );
    let dir = visible_repository(&[module, main, pkg, retro]);
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(f["evidence"]["same_as_defaults"], true, "{f:#}");

    for (changes, extra, severity) in [
        (
            "a Go file reads APP_ENV",
            (
                "pkg/env.go",
                "package pkg\n\nimport \"os\"\n\nvar Mode = os.Getenv(\"APP_ENV\")\n",
            ),
            "warn",
        ),
        (
            "viper reads the environment",
            (
                "pkg/env.go",
                "package pkg\n\nfunc init() { v.AutomaticEnv() }\n",
            ),
            "warn",
        ),
        // air's defaults rebuild on the template too: more than the file, which costs
        // nothing (hold-out 19): a note naming the narrower include_ext.
        (
            "a template air's defaults take",
            ("views/index.html", "<p>hi</p>\n"),
            "info",
        ),
    ] {
        let dir = visible_repository(&[module, main, pkg, retro, extra]);
        let f = finding(&run(dir.path()), "config-not-read").clone();
        assert_eq!(f["severity"], severity, "{changes}: {f:#}");
    }

    let traer = (
        "air.toml",
        "# Working directory\nroot = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"tmp/main\"\n  full_bin = \"\"\n  include_ext = [\"go\", \"tpl\", \"tmpl\", \"html\"]\n  exclude_dir = [\"tmp\", \"vendor\", \"downloads\"]\n  delay = 1000 # ms\n  stop_on_error = true\n  log = \"build.log\"\n\n[color]\n  main = \"yellow\"\n\n[log]\n  time = true\n\n[misc]\n  clean_on_exit = true\n",
    );
    let dir = visible_repository(&[
        module,
        main,
        ("config/config.go", "package config\n"),
        traer,
    ]);
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
    let text = f["message"].as_str().unwrap();
    assert!(text.contains("stop_on_error = true"), "{text}");
    assert!(text.contains("\"build.log\""), "{text}");
}

/// Issue 22, hold-out 6 (2943785277/go-admin): fifteen single-file programs in the root, each
/// `package main` with `func main`, and an .air.conf that builds one of them. Plain air never
/// reads .air.conf, and its default `go build -o ./tmp/main .` stops with "main redeclared"
/// (real go says so): air never starts the app, a fail. A file with a build constraint does
/// not count; with one main left, the defaults build.
#[test]
fn defaults_that_build_several_mains_in_one_folder_fail_when_the_config_is_not_read() {
    let prog = "package main\n\nfunc main() {}\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/admin\n\ngo 1.22\n"),
        ("b.go", prog),
        ("c.go", prog),
        ("start.go", prog),
        (
            ".air.conf",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main b.go\"\nbin = \"tmp/main\"\nstop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "config-not-read");
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["defaults_build"], "main-redeclared", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("3 files there each declare `func main`"),
        "{f:#}"
    );
    if which_go() {
        let (ok, err) = go_build_in(dir.path(), &["-o", "./tmp/main", "."]);
        assert!(!ok && err.contains("main redeclared"), "{err}");
        let (ok, err) = go_build_in(dir.path(), &["-o", "./tmp/main", "b.go"]);
        assert!(ok, "the file's own build works: {err}");
    }
    // Two of them kept out of the build by constraints: one main, the defaults build, and
    // b.go is all go builds there: `go build b.go` is the package `.` builds, so the file
    // differs only harmlessly (hold-out 19): a note.
    for n in ["c.go", "start.go"] {
        std::fs::write(dir.path().join(n), format!("//go:build ignore\n\n{prog}")).unwrap();
    }
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
    if which_go() {
        let (ok, err) = go_build_in(dir.path(), &["-o", "./tmp/main", "."]);
        assert!(ok, "{err}");
    }
}

/// andrearcaina/fafnir: deployments/docker/compose.dev.yml builds (context `../../`)
/// build/docker/go-services.Dockerfile, whose image `COPY`s tools/.air.toml to /app/.air.toml
/// and runs `air -c .air.toml` in WORKDIR /app; the service mounts src/<svc> and src/shared
/// under /app/src and sets SERVICE_NAME. /app is the repository's tree rebuilt under /app,
/// so air runs as if in the repository root with cmd `cd src/api && go build -o
/// ../../tmp/main ./cmd/server`: judged in tools/ (0 launchers), `./cmd/server` "missing"
/// and `../../tmp/main` "not bin" were two wrong fails.
#[test]
fn a_config_an_image_copies_is_judged_at_its_container_path_with_the_service_env() {
    let dockerfile = "ARG GO_VERSION=1.24.5\nFROM golang:${GO_VERSION}-alpine AS development\nARG SERVICE_NAME\nRUN go install github.com/air-verse/air@v1.62.0\nWORKDIR /app\nCOPY src/shared/ ./src/shared/\nCOPY src/${SERVICE_NAME}/ ./src/${SERVICE_NAME}/\nCOPY tools/.air.toml .air.toml\nCMD [\"air\", \"-c\", \".air.toml\"]\n\nFROM golang:${GO_VERSION}-alpine AS builder\nWORKDIR /app\nCOPY src/ ./src/\nRUN cd src/api && go build -o /app/main ./cmd/server\n";
    let compose = "services:\n  api:\n    build:\n      context: ../../\n      dockerfile: build/docker/go-services.Dockerfile\n      target: ${BUILD_TARGET:-development}\n      args:\n        SERVICE_NAME: api\n    environment:\n      - SERVICE_NAME=api\n    volumes:\n      - ../../src/api:/app/src/api:cached\n      - ../../src/shared:/app/src/shared:cached\n";
    let dir = repository_with(&[
        ("src/api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("src/api/cmd/server/main.go", "package main\n\nfunc main() {}\n"),
        ("src/shared/go.mod", "module example.com/shared\n\ngo 1.22\n"),
        ("src/shared/shared.go", "package shared\n"),
        (
            "tools/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"cd src/${SERVICE_NAME} && go build -o ../../tmp/main ./cmd/server\"\n  exclude_dir = [\"tmp\", \"build\", \"deployments\"]\n",
        ),
        ("build/docker/go-services.Dockerfile", dockerfile),
        ("deployments/docker/compose.dev.yml", compose),
    ]);
    let c = run(&dir.path().join("tools"));
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(
        launch["file"], "deployments/docker/compose.dev.yml",
        "{c:#}"
    );
    assert_eq!(launch["in_container"], true, "{c:#}");
    let p = problems(&c);
    assert!(
        !p.iter()
            .any(|p| p == "build-source-missing" || p == "binary-mismatch"),
        "{c:#}"
    );
    assert!(
        findings(&c).iter().all(|f| f["severity"] != "fail"),
        "{c:#}"
    );
}

/// edwinwmendez/testPedidoBackend: scripts/dev.sh has no `cd`; README.md says to run
/// `./scripts/dev.sh` from the root; it writes .air.toml in its folder with a heredoc when
/// missing, then runs plain air. A committed scripts/.air.toml (`go build .`) made the doctor
/// take scripts/ as air's folder: "no Go files in ." was a wrong fail. Only when nothing says
/// where the script runs, and it writes no config, is its own folder taken, as a guess: at
/// most a warning that says so.
#[test]
fn a_script_without_cd_runs_where_its_callers_run_it() {
    let script = |writes: bool| {
        let write = "if [ ! -f \".air.toml\" ]; then\n  cat > .air.toml << EOF\n[build]\n  cmd = \"go build -o ./tmp/main .\"\nEOF\nfi\n";
        format!(
            "#!/bin/bash\nif ! command -v air &> /dev/null; then\n  go install github.com/air-verse/air@latest\nfi\n{}export APP_ENV=development\nair\n",
            if writes { write } else { "" }
        )
    };
    for (writes, readme) in [(true, true), (true, false), (false, true), (false, false)] {
        let mut files = vec![
            ("go.mod", "module example.com/app\n\ngo 1.22\n".to_string()),
            ("main.go", "package main\n\nfunc main() {}\n".to_string()),
            (
                "scripts/.air.toml",
                "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n"
                    .to_string(),
            ),
            ("scripts/dev.sh", script(writes)),
        ];
        if readme {
            files.push((
                "README.md",
                "## Run\n\n```bash\n./scripts/dev.sh\n```\n".into(),
            ));
        }
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
        let dir = repository_with(&files);
        let c = run(&dir.path().join("scripts"));
        let missing: Vec<&Value> = findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "build-source-missing")
            .collect();
        assert!(
            findings(&c).iter().all(|f| f["severity"] != "fail"),
            "{c:#}"
        );
        if writes || readme {
            assert!(missing.is_empty(), "writes {writes} readme {readme}: {c:#}");
        } else {
            assert_eq!(missing.len(), 1, "{c:#}");
            let m = missing[0]["message"].as_str().unwrap();
            assert!(m.contains("if scripts/dev.sh is run in scripts/"), "{m}");
        }
    }
}

/// thanthtooaung-coding/content-management-system services/auth-service: no config in the
/// service's folder, whose Makefile `dev` target runs `air -c .air.toml || go run ./cmd`
/// (the only config is services/.air.toml, one folder up). Run in the service's folder the
/// doctor said "no launcher runs air here"; from services/ it said air stops. air does stop
/// there (asked of the real air below), and the `|| go run` hides it.
#[test]
fn a_launcher_naming_a_missing_config_is_judged_where_there_is_no_config() {
    let dir = repository_with(&[
        ("services/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/auth ./cmd\"\n  bin = \"./tmp/auth\"\n"),
        ("services/auth-service/go.mod", "module example.com/auth\n\ngo 1.22\n"),
        ("services/auth-service/cmd/main.go", "package main\n\nfunc main() {}\n"),
        (
            "services/auth-service/Makefile",
            "run:\n\t@go run ./cmd\n\ndev:\n\t@echo starting\n\t@air -c .air.toml || go run ./cmd\n",
        ),
    ]);
    let service = dir.path().join("services/auth-service");
    let c = run(&service);
    let f = finding(&c, "launch-config-missing");
    assert_at(f, "fail", 6);
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("`air -c .air.toml`"), "{m}");
    assert!(m.contains("`|| go run ./cmd`"), "{m}");
    // The claim: air given a -c file that is not there stops.
    let answer = &oracle::ask(&[oracle::Job {
        dir: service.to_string_lossy().into_owned(),
        config: Some(".air.toml".into()),
        events: vec![],
    }])[0];
    assert!(!answer["error"].is_null(), "{answer:#}");
}

/// Carjul/Cbsanantero: api/air.toml (plain air never reads it); docker-compose.yml's `api`
/// service builds api/Dockerfile (`FROM golang:alpine3.18`, `go install
/// github.com/air-verse/air@latest`, `CMD ["air"]`). The compose launcher is what shows plain
/// air runs there, with its defaults: it is named and listed. golang:alpine3.18 was last
/// built with Go 1.22 (docker-library dropped Alpine 3.18 in May 2024, before Go 1.23), which
/// cannot build the newest air: the image build stops. It was taken as the newest Go.
#[test]
fn a_launcher_running_plain_air_beside_an_unread_config_is_named_and_its_image_judged() {
    let dir = repository_with(&[
        ("api/go.mod", "module example.com/api\n\ngo 1.21\n"),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        ("api/air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  exclude_dir = [\"public\", \"tmp\"]\n  include_ext = [\"go\", \"html\"]\n"),
        ("api/public/dist/index.html", "<html></html>\n"),
        (
            "api/Dockerfile",
            "FROM golang:alpine3.18\nWORKDIR /go/src/app\nCOPY . .\nRUN go install github.com/air-verse/air@latest\nCMD [\"air\"]\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build: ./api\n    volumes:\n      - ./api:/go/src/app\n",
        ),
    ]);
    let c = run(&dir.path().join("api"));
    let f = finding(&c, "config-not-read");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("docker-compose.yml's `api` service"),
        "{f:#}"
    );
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["file"], "docker-compose.yml", "{c:#}");
    assert_eq!(launch["reads"], "defaults", "{c:#}");
    let install = finding(&c, "air-install-fails");
    let m = install["message"].as_str().unwrap();
    assert!(m.contains("Go 1.22"), "{m}");
    // A variant whose last Go is not known here claims nothing.
    std::fs::write(
        dir.path().join("api/Dockerfile"),
        "FROM golang:alpine3.17\nWORKDIR /go/src/app\nCOPY . .\nRUN go install github.com/air-verse/air@latest\nCMD [\"air\"]\n",
    )
    .unwrap();
    let c = run(&dir.path().join("api"));
    assert_lacks(&c, "air-install-fails");
}

/// Carjul/Cbsanantero (api/README.md:11, in a fenced block: `install air: go install
/// github.com/cosmtrek/air@latest`) and peakee-labs/blinders (README.md:28): a document's
/// install command of air's old path, which go refuses on every Go, is a warning at its line;
/// prose naming the path is not a command, and a command a launch file also runs is said once,
/// at the launch file.
#[test]
fn a_readme_install_of_airs_old_path_warns_at_its_line() {
    // The claim, from the real go: the README's command stops.
    if let Some((ok, said)) = go_install_from_renamed_proxy("latest") {
        assert!(!ok, "{said}");
    }
    let dir = repository_with(&[
        ("api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("api/main.go", "package main\n\nfunc main() {}\n"),
        ("api/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n"),
        (
            "api/README.md",
            "# api\n\n## Project setup\n```\ngo mod tidy\n```\n\n### Compiles and hot-reloads for development\n```\ninstall air: go install github.com/cosmtrek/air@latest\nExecute: air\n```\n",
        ),
        (
            "README.md",
            "# app\n\nInstall [air](https://github.com/cosmtrek/air) with go install github.com/cosmtrek/air@latest.\n\n```bash\n$ go get -u github.com/cosmtrek/air\n```\n",
        ),
        (
            "CONTRIBUTING.md",
            "Run `go install github.com/cosmtrek/air@v1.49.0` (pinned: it installs).\n",
        ),
    ]);
    let c = run(&dir.path().join("api"));
    let f = finding_in(&c, "air-install-fails", "api/README.md");
    assert_at(f, "warn", 10);
    assert_eq!(
        f["evidence"]["command"],
        "go install github.com/cosmtrek/air@latest"
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("whoever follows it gets no air"),
        "{f:#}"
    );
    // The prompt line in the root README's block, not its prose (line 3).
    assert_at(finding_in(&c, "air-install-fails", "README.md"), "warn", 6);
    let all: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    assert_eq!(all.len(), 2, "{c:#}");
    // Documents are no launchers.
    assert_eq!(
        c["evidence"]["launches"].as_array().map_or(0, Vec::len),
        0,
        "{c:#}"
    );

    // The same command in a setup script: said there only.
    std::fs::write(
        dir.path().join("api/setup.sh"),
        "#!/bin/sh\ngo install github.com/cosmtrek/air@latest\n",
    )
    .unwrap();
    let c = run(&dir.path().join("api"));
    assert_at(
        finding_in(&c, "air-install-fails", "api/setup.sh"),
        "warn",
        2,
    );
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["evidence"]["file"] == "api/README.md"),
        "{c:#}"
    );
}

/// DistroByte/prospector: the Go module and its .air.toml are two folders down (src/api), and
/// src/api/README.md:10's fenced block runs `go install github.com/cosmtrek/air@latest`,
/// which go refuses on every Go: the README beside the judged config is read however deep it
/// lies (a README two folders down beside no air config is not).
#[test]
fn a_readme_beside_a_deep_config_is_read_for_installs() {
    if let Some((ok, said)) = go_install_from_renamed_proxy("latest") {
        assert!(!ok, "{said}");
    }
    let install = "# API\n\n### Or build and run with live reloading\n\n```bash\ngo install github.com/cosmtrek/air@latest\nair\n```\n";
    let dir = repository_with(&[
        ("README.md", "# prospector\n"),
        ("src/README.md", "# sources\n"),
        ("src/api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("src/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            "src/api/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
        ),
        ("src/api/README.md", install),
        ("src/frontend/README.md", install),
    ]);
    let c = run(&dir.path().join("src/api"));
    let f = finding_in(&c, "air-install-fails", "src/api/README.md");
    assert_at(f, "warn", 6);
    assert_eq!(
        f["evidence"]["command"],
        "go install github.com/cosmtrek/air@latest"
    );
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["evidence"]["file"] == "src/frontend/README.md"),
        "{c:#}"
    );
}

/// naufalw/better-media: README.md runs `air -c .air.worker.toml` (line 11) and
/// `air -c .air.ingest.toml` (line 15), but the configs are .air.api.toml and .air.worker.toml:
/// real air stops at once on the missing one, so the README's second launch line is a warn
/// naming its line and the configs that exist; the existing one is no finding.
#[test]
fn a_readme_launch_line_naming_a_missing_config_warns() {
    let config = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/media\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.api.toml", config),
        (".air.worker.toml", config),
        (
            "README.md",
            "# Better Media\n\nBetter Media builds media infrastructure (run air -c .air.prose.toml).\n\n## Running the Project\n\n```bash\nair -c .air.worker.toml\n```\n\n```bash\nair -c .air.ingest.toml\n```\n",
        ),
    ]);
    // The claim, from real air: it stops on the missing file.
    let out = std::process::Command::new(oracle::air())
        .args(["-c", ".air.ingest.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("no such file or directory"), "{said}");
    assert!(!dir.path().join("tmp/main").exists(), "{said}");

    let c = run(dir.path());
    let f = finding_in(&c, "launch-config-missing", "README.md");
    assert_at(f, "warn", 12);
    assert_eq!(f["evidence"]["config"], ".air.ingest.toml");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains(".air.api.toml, .air.worker.toml"),
        "{message}"
    );
    let all: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "launch-config-missing")
        .collect();
    assert_eq!(all.len(), 1, "{c:#}");

    // A template of it beside it: each developer's copy, made before air runs.
    std::fs::write(dir.path().join(".air.ingest.example.toml"), config).unwrap();
    let c = run(dir.path());
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["evidence"]["problem"] == "launch-config-missing"),
        "{c:#}"
    );
}

/// PatrickKoss/grpc-gateway-example: Makefile:35 `hotreload: $(TOOLS_DIR)/air/air` starts air,
/// but no rule makes tools/air/air (the install rule's target is tools/cosmtrek/air) and
/// tools/ is not in the checkout: real make stops ("No rule to make target") before air runs,
/// a warn at the rule's line. What make does find or make is none, each checked with real
/// make: a .PHONY prerequisite with no rule, an order-only folder a rule makes, a pattern
/// rule (`%/air:`), a file found through vpath, a file in the checkout, a rule whose target is
/// a variable.
#[test]
fn a_make_target_starting_air_with_an_unmade_prerequisite_warns() {
    let config = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n";
    let recipe = "\t./$(TOOLS_DIR)/air/air -c .air.toml\n";
    let make = |dir: &Path| {
        let out = std::process::Command::new("make")
            .args(["-n", "hotreload"])
            .current_dir(dir)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let shape = |makefile: &str, more: &[(&str, &str)]| {
        let mut files = vec![
            ("go.mod", "module example.com/gw\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            (".air.toml", config),
            (".gitignore", "tools/\n"),
            ("Makefile", makefile),
        ];
        files.extend_from_slice(more);
        repository_with(&files)
    };
    let unmade = |c: &Value| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "launch-prerequisite-unmade")
            .cloned()
            .collect()
    };

    let broken = format!("TOOLS_DIR := tools\n\ndefault: all\n\n.PHONY: hotreload\nhotreload: $(TOOLS_DIR)/air/air\n{recipe}\ntools/cosmtrek/air:\n\tmkdir -p tools/\n\tcurl -sfL https://example.com/install.sh | sh -s -- -b tools/air latest\n");
    let dir = shape(&broken, &[]);
    let (ok, said) = make(dir.path());
    assert!(!ok, "{said}");
    assert!(
        said.contains("No rule to make target 'tools/air/air', needed by 'hotreload'"),
        "{said}"
    );
    let c = run(dir.path());
    let f = finding_in(&c, "launch-prerequisite-unmade", "Makefile");
    assert_at(f, "warn", 6);
    assert_eq!(f["evidence"]["prerequisite"], "tools/air/air");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("Makefile:9 makes tools/cosmtrek/air"),
        "{message}"
    );

    let fine: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("TOOLS_DIR := tools\n.PHONY: hotreload tools/air/air\nhotreload: $(TOOLS_DIR)/air/air\n{recipe}"),
            vec![],
        ),
        (
            format!("TOOLS_DIR := tools\nhotreload: | tmp\n{recipe}\ntmp:\n\tmkdir -p tmp\n"),
            vec![],
        ),
        (
            format!("TOOLS_DIR := tools\nhotreload: $(TOOLS_DIR)/air/air\n{recipe}\n%/air:\n\tmkdir -p $(@D)\n"),
            vec![],
        ),
        (
            format!("TOOLS_DIR := tools\nvpath %.env config\nhotreload: air.env\n{recipe}"),
            vec![("config/air.env", "A=1\n")],
        ),
        (
            format!("TOOLS_DIR := tools\nhotreload: .air.toml main.go ## Start air\n{recipe}"),
            vec![],
        ),
        (
            format!("TOOLS_DIR := tools\nhotreload: $(TOOLS_DIR)/air/air\n{recipe}\n$(TOOLS_DIR)/air/air:\n\tmkdir -p tools/air\n"),
            vec![],
        ),
    ];
    for (makefile, more) in fine {
        let dir = shape(&makefile, &more);
        let (ok, said) = make(dir.path());
        assert!(ok, "{makefile}\n{said}");
        let c = run(dir.path());
        assert!(unmade(&c).is_empty(), "{makefile}\n{c:#}");
        // The same Makefile asked for a file nothing makes does warn (the test can fail).
        let bad = makefile.replacen("hotreload:", "hotreload: ghost.txt", 1);
        std::fs::write(dir.path().join("Makefile"), &bad).unwrap();
        let (ok, said) = make(dir.path());
        assert!(
            !ok && said.contains("No rule to make target 'ghost.txt'"),
            "{bad}\n{said}"
        );
        let c = run(dir.path());
        assert_eq!(unmade(&c).len(), 1, "{bad}\n{c:#}");
    }
}

/// leonlarsson/bfstats-bot-go: .devcontainer/devcontainer.json (with comments) runs in
/// `mcr.microsoft.com/devcontainers/go:1-1.22-bookworm`, which is built `FROM golang:1.22`
/// and keeps its GOTOOLCHAIN=local, and its postCreateCommand is `go install
/// github.com/air-verse/air@latest && ...`: air v1.67.4's go line asks for Go 1.26, so the
/// install stops and the Makefile's `air -c` finds no air in the devcontainer. Not when
/// containerEnv sets GOTOOLCHAIN=auto, nor when the tag names no Go.
#[test]
fn a_devcontainer_command_installing_an_air_its_go_cannot_build_warns() {
    let devcontainer = |image: &str, env: &str, command: &str| {
        format!("// For format details, see https://aka.ms/devcontainer.json.\n// README at: https://github.com/devcontainers/templates/tree/main/src/go\n{{\n\t\"name\": \"Go\",\n\t\"image\": \"{image}\",\n\t\"features\": {{\n\t\t\"ghcr.io/jckimble/devcontainer-features/ngrok\": {{}}\n\t}},{env}\n\t\"postCreateCommand\": {command}\n}}\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/bot\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air-bot.toml",
            "[build]\n  cmd = \"go build -o ./tmp/bot .\"\n  stop_on_error = true\n",
        ),
        ("Makefile", "bot:\n\tair -c .air-bot.toml\n"),
    ]);
    let p = dir.path();
    std::fs::create_dir_all(p.join(".devcontainer")).unwrap();
    let write = |text: String| {
        std::fs::write(p.join(".devcontainer/devcontainer.json"), text).unwrap();
    };
    let image = "mcr.microsoft.com/devcontainers/go:1-1.22-bookworm";
    let install = "go install github.com/air-verse/air@latest && curl -sS https://dist.localazy.com/debian/pubkey.gpg | sudo gpg --dearmor -o /etc/apt/trusted.gpg.d/localazy.gpg";
    write(devcontainer(image, "", &format!("\"{install}\"")));
    let c = run(p);
    let f = finding_in(&c, "air-install-fails", ".devcontainer/devcontainer.json");
    assert_at(f, "warn", 9);
    assert_eq!(
        f["evidence"]["command"],
        "go install github.com/air-verse/air@latest"
    );
    assert_eq!(f["evidence"]["go"], 22, "{f:#}");
    assert_eq!(f["evidence"]["needs_go"], 26, "{f:#}");
    assert_eq!(
        f["evidence"]["install"], "go install github.com/air-verse/air@v1.52.3",
        "{f:#}"
    );
    // The array form and the object form.
    for command in [
        "[\"go\", \"install\", \"github.com/air-verse/air@latest\"]".to_string(),
        format!("{{ \"tools\": \"{install}\" }}"),
    ] {
        write(devcontainer(image, "", &command));
        let c = run(p);
        assert_at(
            finding_in(&c, "air-install-fails", ".devcontainer/devcontainer.json"),
            "warn",
            9,
        );
    }
    // go may fetch Go 1.26; a tag without a Go says nothing about it.
    for (image, env) in [
        (
            image,
            "\n\t\"containerEnv\": { \"GOTOOLCHAIN\": \"auto\" },",
        ),
        ("mcr.microsoft.com/devcontainers/go:1", ""),
    ] {
        write(devcontainer(image, env, &format!("\"{install}\"")));
        let c = run(p);
        assert_lacks(&c, "air-install-fails");
    }
    // Nor one whose Go the go feature replaces (its version is not "none").
    write(format!("{{\n  \"image\": \"{image}\",\n  \"features\": {{ \"ghcr.io/devcontainers/features/go:1\": {{ \"version\": \"1.26\" }} }},\n  \"postCreateCommand\": \"{install}\"\n}}\n"));
    let c = run(p);
    assert_lacks(&c, "air-install-fails");
}

/// mktbsh/golang-devcontainer: the devcontainer is the compose service `app` of
/// .devcontainer/docker-compose.yml, built from .devcontainer/Dockerfile `FROM golang:1.19`,
/// whose RUN chain ends with `go install github.com/cosmtrek/air@latest`: the image build
/// stops, so the devcontainer where the README runs `air` is never built. Nothing in the
/// repository runs air in it by file, and the doctor said nothing. The same through
/// `build.dockerfile`.
#[test]
fn a_devcontainer_image_whose_build_stops_at_installing_air_warns() {
    let dockerfile = "FROM golang:1.19\n\nRUN apt update\n\nENV GO111MODULE on\nWORKDIR /workspace\n\nRUN go install github.com/uudashr/gopkgs/v2/cmd/gopkgs@latest && \\\n  go install github.com/go-delve/delve/cmd/dlv@latest && \\\n  go install github.com/cosmtrek/air@latest\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.19\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n"),
        ("README.md", "Reopen in the devcontainer, then run\n\n```\nair\n```\n"),
        (".devcontainer/Dockerfile", dockerfile),
        (
            ".devcontainer/docker-compose.yml",
            "version: '3.8'\nservices:\n  app:\n    build: .\n    tty: true\n    command: /bin/bash\n    volumes:\n      - ..:/workspace\n",
        ),
        (
            ".devcontainer/devcontainer.json",
            "{\n  \"name\": \"Go\",\n  \"dockerComposeFile\": [\n    \"./docker-compose.yml\"\n  ],\n  \"service\": \"app\",\n  \"workspaceFolder\": \"/workspace\"\n}\n",
        ),
    ]);
    let p = dir.path();
    // Said at each install of the RUN that stops it: air's old path, and dlv@latest, which
    // Go 1.19 cannot build either (once the air install is fixed).
    let at = |c: &Value, command: &str| -> Value {
        let hits: Vec<&Value> = findings(c)
            .iter()
            .filter(|f| {
                f["evidence"]["problem"] == "air-install-fails"
                    && f["evidence"]["file"] == ".devcontainer/Dockerfile"
            })
            .collect();
        assert_eq!(hits.len(), 2, "{c:#}");
        (*hits
            .iter()
            .find(|f| f["evidence"]["command"].as_str().unwrap().contains(command))
            .unwrap())
        .clone()
    };
    let c = run(p);
    let f = &at(&c, "cosmtrek/air");
    assert_at(f, "warn", 8);
    let dlv = &at(&c, "dlv@latest");
    assert_at(dlv, "warn", 8);
    assert!(
        dlv["message"]
            .as_str()
            .unwrap()
            .contains("stops there too once `go install github.com/cosmtrek/air@latest`"),
        "{dlv:#}"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("the devcontainer of .devcontainer/devcontainer.json is never built"),
        "{f:#}"
    );
    assert_eq!(
        f["evidence"]["install"], "go install github.com/cosmtrek/air@v1.41.0",
        "{f:#}"
    );
    // `build.dockerfile`, relative to the devcontainer.json.
    std::fs::remove_file(p.join(".devcontainer/docker-compose.yml")).unwrap();
    std::fs::write(
        p.join(".devcontainer/devcontainer.json"),
        "{\n  \"name\": \"Go\",\n  \"build\": { \"dockerfile\": \"Dockerfile\" }\n}\n",
    )
    .unwrap();
    let c = run(p);
    assert_at(&at(&c, "cosmtrek/air"), "warn", 8);
}

/// edwinwmendez/testPedidoBackend: Dockerfile.dev (`FROM golang:1.24-bookworm`, `RUN go
/// install github.com/air-verse/air@latest`, an ENTRYPOINT script the repository lacks and
/// `CMD ["air", "-c", ".air.toml"]`), which no compose file or script builds: its build stops
/// at the install (air v1.67.4 asks for Go 1.26, GOTOOLCHAIN=local). A warning at that line,
/// saying nothing here builds it: with no other launcher, it is how the repository is run.
#[test]
fn a_dockerfile_nothing_builds_whose_air_install_stops_warns() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.24\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n"),
        (
            "Dockerfile.dev",
            "FROM golang:1.24-bookworm AS base\nWORKDIR /app\nCOPY go.mod ./\nRUN go mod download\nRUN go install github.com/air-verse/air@latest\nCOPY . .\nENTRYPOINT [\"/entrypoint.dev.sh\"]\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding_in(&c, "air-install-fails", "Dockerfile.dev");
    assert_at(f, "warn", 5);
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("it may be unused"), "{f:#}");
    assert!(message.contains("Go 1.24"), "{f:#}");
    let all: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    assert_eq!(all.len(), 1, "{c:#}");
    // Its README's scripts/dev.sh runs air on the host: the repository is run that way, and
    // the Dockerfile nothing builds may be unused, so what stops its build is a note.
    std::fs::create_dir(dir.path().join("scripts")).unwrap();
    std::fs::write(
        dir.path().join("scripts/dev.sh"),
        "#!/bin/sh
air
",
    )
    .unwrap();
    let c = run(dir.path());
    assert_at(
        finding_in(&c, "air-install-fails", "Dockerfile.dev"),
        "info",
        5,
    );
}

/// A build.cmd that first moves into the service's folder (andrearcaina/fafnir's
/// tools/.air.toml, copied to /app/.air.toml in its dev image and run there with SERVICE_NAME
/// from compose): `cd src/${SERVICE_NAME} && go build -o ../../tmp/main ./cmd/server` with
/// bin = "./tmp/main". Both paths are relative to the service's folder, so the build writes
/// ./tmp/main from air's folder, and real air starts the app. Read from the folder of the
/// config, the variable's folder is not known: no build-source-missing, no binary-mismatch,
/// no bin fix (it once offered bin = "../../tmp/main", which breaks it), one info saying why.
/// With the folder written out (`cd src/api`), the paths are judged against it: no finding
/// about them, and real air runs the app again.
#[test]
fn a_build_that_cds_first_judges_its_paths_from_that_folder() {
    if !which_go() {
        return;
    }
    let service = [
        ("src/api/go.mod", "module example.com/api\n\ngo 1.21\n"),
        (
            "src/api/cmd/server/main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
    ];
    let config = |dir: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"cd src/{dir} && go build -o ../../tmp/main ./cmd/server\"\n")
    };
    let variable = config("${SERVICE_NAME}");
    let dir = project_with(&[service[0], service[1], ("tools/.air.toml", &variable)]);
    let c = run(&dir.path().join("tools"));
    let found = problems(&c);
    for wrong in ["build-source-missing", "binary-mismatch"] {
        assert!(!found.contains(&wrong.to_string()), "{wrong}: {c:#}");
    }
    let f = finding(&c, "build-dir-unknown");
    assert_at(f, "info", 6);
    assert!(
        findings(&c)
            .iter()
            .all(|f| f["fix"].is_null() || !f["fix"].to_string().contains("../../tmp/main")),
        "{c:#}"
    );
    // Where its image runs it: the config at the folder above src/, SERVICE_NAME set.
    std::fs::write(dir.path().join(".air.toml"), &variable).unwrap();
    let said = air_in_env_until_the_app_exits(dir.path(), &[], &[("SERVICE_NAME", "api")]);
    assert!(said.contains("app started"), "{said}");

    let literal = config("api");
    let dir = project_with(&[service[0], service[1], (".air.toml", &literal)]);
    let c = run(dir.path());
    let found = problems(&c);
    for wrong in [
        "build-source-missing",
        "binary-mismatch",
        "build-dir-unknown",
    ] {
        assert!(!found.contains(&wrong.to_string()), "{wrong}: {c:#}");
    }
    let said = air_in_env_until_the_app_exits(dir.path(), &[], &[]);
    assert!(said.contains("app started"), "{said}");
}

/// `cmd = "go run ./cmd/server"` where the folder holds only main.go (Estate-CRM/backend-Ai's
/// go/.air.toml, full_bin = "false"): go stops at once ("directory not found"), so the build
/// does not run on forever, it fails at every save. Real air shows it; the finding is
/// build-source-missing, not go-run-as-build's "never ends, each save starts a copy". Once the
/// package is there, `go run` as the build is go-run-as-build again.
#[test]
fn go_run_of_a_missing_package_fails_at_once_and_says_so() {
    if !which_go() {
        return;
    }
    let dir = project_with(&[
        ("go.mod", "module example.com/backend\n\ngo 1.21\n"),
        (
            "main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
        (
            ".air.toml",
            "[build]\ncmd = \"go run ./cmd/server\"\nbin = \"tmp/main\"\nfull_bin = \"false\"\nexclude_dir = [\"tmp\"]\n",
        ),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "go-run-as-build");
    let f = finding(&c, "build-source-missing");
    assert_at(f, "fail", 2);
    let message = f["message"].as_str().unwrap();
    for said in ["`./cmd/server`", "every build fails", "main.go"] {
        assert!(message.contains(said), "{said}: {message}");
    }
    let said = air_in_env_until_the_app_exits(dir.path(), &[], &[]);
    assert!(said.contains("directory not found"), "{said}");
    assert!(said.contains("failed to build"), "{said}");
    assert!(!said.contains("app started"), "{said}");

    std::fs::create_dir_all(dir.path().join("cmd/server")).unwrap();
    std::fs::rename(
        dir.path().join("main.go"),
        dir.path().join("cmd/server/main.go"),
    )
    .unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "build-source-missing");
    finding(&c, "go-run-as-build");
}

/// A config in a folder of a library package (Done-0/metaphysics' configs/.air.toml beside
/// configs/config.go, package configs, with `go build -o ./tmp/main.exe .`): typed as plain
/// `air` in configs/, go writes a package archive there and air's start of it fails
/// ("Permission denied", exit 126: real go and real air below); `air -c configs/.air.toml`
/// from the module root builds main.go and runs. The doctor finds the config from the module
/// root and from configs/ alike (as it does scripts/.air.toml with no Go code), judges it in
/// the context that works and notes the other. Where a launcher runs air in configs/, or the
/// folder that builds a library is the only one air runs in, it fails (builds-library).
#[test]
fn a_config_beside_a_library_package_is_judged_from_the_module_root() {
    if !which_go() {
        return;
    }
    let config = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main.exe .\"\n  bin = \"./tmp/main.exe\"\n  exclude_dir = [\"tmp\"]\n";
    let files = [
        ("go.mod", "module example.com/meta\n\ngo 1.21\n"),
        (
            "main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/meta/configs\"\n)\n\nfunc main() { fmt.Println(\"app started\", configs.Port) }\n",
        ),
        ("configs/config.go", "package configs\n\nconst Port = 8080\n"),
        ("configs/.air.toml", config),
    ];
    let dir = project_with(&files);
    for from in [dir.path().to_path_buf(), dir.path().join("configs")] {
        let (_, report) = json_report(&from, &["--only", "reloader-config"]);
        assert!(
            report["project"]["config"]
                .as_str()
                .is_some_and(|c| c.ends_with("configs/.air.toml")),
            "{report:#}"
        );
        let c = check(&report, "reloader-config");
        assert_eq!(c["status"], "info", "{c:#}");
        let note = finding(c, "config-not-read");
        assert!(
            note["message"].as_str().unwrap().contains(
                "builds package configs (no `package main` there), so go writes a package archive"
            ),
            "{note:#}"
        );
    }
    // Real go: `go build -o X .` of a library writes an ar archive.
    let archive = dir.path().join("lib.a");
    let built = std::process::Command::new("go")
        .args(["build", "-o", archive.to_str().unwrap(), "."])
        .current_dir(dir.path().join("configs"))
        .status()
        .unwrap();
    assert!(built.success());
    assert!(std::fs::read(&archive).unwrap().starts_with(b"!<arch>"));
    // Real air: plain air in configs/ cannot start it; `-c` from the module root runs the app.
    let said = air_in_env_until_the_app_exits(&dir.path().join("configs"), &[], &[]);
    assert!(said.contains("Permission denied"), "{said}");
    assert!(said.contains("Exit with Code: 126"), "{said}");
    let said = air_in_env_until_the_app_exits(dir.path(), &["-c", "configs/.air.toml"], &[]);
    assert!(said.contains("app started"), "{said}");

    // A launcher runs air in configs/: that context is used, and it fails.
    let mut launched = files.to_vec();
    launched.push(("Makefile", "dev:\n\tcd configs && air\n"));
    let dir = project_with(&launched);
    let c = run(dir.path());
    let f = finding(&c, "builds-library");
    assert_eq!(f["severity"], "fail", "{c:#}");
    assert!(
        f["message"].as_str().unwrap().contains("Permission denied"),
        "{f:#}"
    );

    // The only place air runs: a module whose root package is a library.
    let dir = project_with(&[
        ("go.mod", "module example.com/lib\n\ngo 1.21\n"),
        ("lib.go", "package lib\n\nconst X = 1\n"),
        ("cmd/app/main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", config),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "builds-library");
    assert_at(f, "fail", 5);
    assert!(
        f["message"].as_str().unwrap().contains("`./cmd/app`"),
        "{f:#}"
    );
}

/// A Windows [build] (bin = "bin\\main.exe") whose only launcher is Windows-only
/// (19jmrs/youtube-bookmarks: `make run` runs `build` first, whose recipe starts
/// `.\tailwindcss`; on Linux make stops there, before air): no windows-only-config fail for a
/// Linux that is never reached. Judged by Windows rules instead: go adds .exe only when -o is
/// not given (a real cross compile below), so `go build -o bin/main` writes bin/main while
/// Windows air runs bin\main.exe: a warning (Windows air is not run here). With -o
/// bin/main.exe nothing is said. Without the Windows-only recipe the Linux fail stays, and no
/// longer says the config works on Windows.
#[test]
fn a_config_only_windows_launchers_run_is_judged_by_windows_rules() {
    if !which_go() {
        return;
    }
    let config = |output: &str| {
        format!("root = \".\"\ntmp_dir = \"bin\"\n\n[build]\n  bin = \"bin\\\\main.exe\"\n  cmd = \"go build -o {output} ./cmd\"\n  exclude_dir = [\"bin\"]\n")
    };
    let windows_make = "build:\n\t.\\tailwindcss -i src/input.css -o public/output.css\n\t@go build -o bin/app cmd/main.go\n\nrun: build\n\tair\n";
    let files = |output: &str, make: &str| {
        project_with(&[
            ("go.mod", "module example.com/bookmarks\n\ngo 1.21\n"),
            ("cmd/main.go", "package main\n\nfunc main() {}\n"),
            (".air.toml", &config(output)),
            ("Makefile", make),
        ])
    };
    let dir = files("bin/main", windows_make);
    let c = run(dir.path());
    assert_lacks(&c, "windows-only-config");
    let f = finding(&c, "binary-mismatch");
    assert_at(f, "warn", 6);
    assert_eq!(f["evidence"]["os"], "windows", "{f:#}");
    let message = f["message"].as_str().unwrap();
    for said in [
        "only on Windows",
        "Makefile:2",
        "writes bin/main",
        "bin\\main.exe",
    ] {
        assert!(message.contains(said), "{said}: {message}");
    }
    // Real go, cross-compiling for Windows: -o is the file's whole name.
    let cross = |out: &str| {
        let done = std::process::Command::new("go")
            .args(["build", "-o", out, "./cmd"])
            .env("GOOS", "windows")
            .env("GOARCH", "amd64")
            .env("GOFLAGS", "-mod=mod")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(done.status.success(), "{done:?}");
    };
    cross("bin/main");
    assert!(dir.path().join("bin/main").is_file());
    assert!(!dir.path().join("bin/main.exe").exists());
    cross("bin/");
    assert!(dir.path().join("bin/cmd.exe").is_file());

    let dir = files("bin/main.exe", windows_make);
    let c = run(dir.path());
    for wrong in ["windows-only-config", "binary-mismatch"] {
        assert!(!problems(&c).contains(&wrong.to_string()), "{wrong}: {c:#}");
    }

    let dir = files("bin/main", "run:\n\tair\n");
    let c = run(dir.path());
    let f = finding(&c, "windows-only-config");
    assert_eq!(f["severity"], "fail", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(!message.contains("where it works"), "{message}");
    assert!(message.contains("not even there"), "{message}");
}

/// JohnKucharsky/StoreAPI's shape: the Makefile runs `cd ./cmd; air` and cmd/.air.toml has
/// `root = "../"` with a Windows bin. air makes bin absolute from the folder it is started in
/// (cmd/), not from root, so the Linux bin the fix writes is `./tmp/main` (once
/// `./cmd/tmp/main`, which real air then ran as cmd/cmd/tmp/main: exit 127). Real air v1.67.4
/// started as the Makefile starts it runs the fixed config's binary.
#[test]
fn the_windows_bin_fix_names_the_binary_from_the_folder_air_starts_in() {
    let config = "root = \"../\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"tmp\\\\main.exe\"\n  cmd = \"go build -o ./tmp/main.exe .\"\n  exclude_dir = [\"tmp\"]\n  stop_on_error = true\n";
    let dir = project_with(&[
        ("go.mod", "module example.com/store\n\ngo 1.21\n"),
        (
            "cmd/main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
        ("cmd/.air.toml", config),
        ("Makefile", "dev:\n\tcd ./cmd; air\n"),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "windows-only-config");
    assert_eq!(f["evidence"]["bin"], "./tmp/main", "{f:#}");
    if !which_go() {
        return;
    }
    let fixed = common::run(&[
        "--fix",
        "--only",
        "reloader-config",
        "--project",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(common::code(&fixed), 0, "{}", common::stdout(&fixed));
    let new = std::fs::read_to_string(dir.path().join("cmd/.air.toml")).unwrap();
    assert!(new.contains("bin = \"./tmp/main\""), "{new}");
    let said = air_with_until_the_app_exits(&dir.path().join("cmd"), &[]);
    assert!(said.contains("app started"), "{said}");
    assert!(!said.contains("not found"), "{said}");
}

/// MarianaGiraldo/beba-coiffure-gestor-salon: docker-compose.dev.yml builds its air service
/// with `context: ./src` and `dockerfile: ../docker/backend/Dockerfile.dev` (golang:1.24 and
/// `go install github.com/air-verse/air@latest`). The install stops the image build; one
/// warning says so, at the service, naming docker/backend/Dockerfile.dev. The compose path was
/// kept as `src/../docker/...`, so the Dockerfile on disk looked unbuilt and got a second
/// warning claiming no compose file builds it.
#[test]
fn a_dockerfile_compose_names_through_dotdot_is_the_one_it_builds() {
    let dir = repository_with(&[
        ("src/go.mod", "module example.com/app\n\ngo 1.24\n"),
        ("src/main.go", "package main\n\nfunc main() {}\n"),
        ("src/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n"),
        (
            "docker/backend/Dockerfile.dev",
            "FROM golang:1.24.5-alpine3.22\nWORKDIR /app\nRUN apk add --no-cache git\nCOPY go.mod ./\nRUN go install github.com/air-verse/air@latest\nCOPY . .\nCMD [\"air\"]\n",
        ),
        (
            "docker-compose.dev.yml",
            "services:\n  backend-dev:\n    build:\n      context: ./src\n      dockerfile: ../docker/backend/Dockerfile.dev\n    volumes:\n      - ./src:/app\n",
        ),
    ]);
    let c = run(&dir.path().join("src"));
    let all: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    assert_eq!(all.len(), 1, "{c:#}");
    let message = all[0]["message"].as_str().unwrap();
    assert!(!message.contains("may be unused"), "{message}");
    assert!(!message.contains(".."), "{message}");
    assert!(
        message.contains("docker/backend/Dockerfile.dev"),
        "{message}"
    );
}

/// kyleu/projectforge's module/core: a code generator's template tree. Its go.mod reads
/// `module {{{ .Package }}}` and its .air.toml has `{{{ .Exec }}}`-style placeholders, one
/// outside any string (not TOML until rendered); the tree's own bin/dev.sh (a template too)
/// runs `air`. air never reads the file as it is: one note, no fail. The same file that a
/// launcher outside the tree runs air with, beside a plain go.mod, still fails as not TOML; a
/// config whose text is full of placeholders and that nothing runs is a note too.
#[test]
fn a_code_generators_template_config_is_a_note_not_a_failure() {
    let config = "[build]\ncmd = \"make build\"\nbin = \"build/debug/{{{ .Exec }}}\"\nargs_bin = [{{{ .ArgsQuoted }}}]\nlog = \"{{{ .Exec }}}_errors.log\"\nstop_on_error = true\n";
    let dir = repository_with(&[
        ("module/core/go.mod", "module {{{ .Package }}}\n\ngo 1.24\n"),
        ("module/core/main.go", "package main\n\nfunc main() {}\n"),
        ("module/core/.air.toml", config),
        (
            "module/core/bin/dev.sh",
            "#!/bin/sh\ncd \"$(dirname \"$0\")/..\"\nair\n",
        ),
    ]);
    let c = run(&dir.path().join("module/core"));
    let f = finding(&c, "config-template");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        findings(&c).iter().all(|f| f["severity"] == "info"),
        "{c:#}"
    );
    assert_lacks(&c, "not-toml");

    // Run by a launcher outside any template, beside a real go.mod: air stops on it.
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.24\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", config),
        ("Makefile", "dev:\n\tair\n"),
    ]);
    let c = run(dir.path());
    assert_eq!(finding(&c, "not-toml")["severity"], "fail", "{c:#}");
    assert_lacks(&c, "config-template");

    // Nothing runs it and placeholders fill it: a template, whatever its go.mod says.
    std::fs::write(dir.path().join("Makefile"), "build:\n\tgo build .\n").unwrap();
    let c = run(dir.path());
    assert_eq!(finding(&c, "config-template")["severity"], "info", "{c:#}");
    assert_lacks(&c, "not-toml");
}

/// Auxority/trailite: `ARG GO_VERSION=1.22` before `FROM golang:${GO_VERSION}-alpine${...}`,
/// whose development stage runs `go install github.com/cosmtrek/air@latest` for a compose
/// service. The Go of the image is the ARG's default (a compose `build: args:` value wins
/// over it), so the install advice is the one for that Go, as with the version written out:
/// with the Go unknown it said `air-verse/air@latest`, which Go 1.22 cannot build either.
#[test]
fn a_from_image_named_by_an_arg_is_read_with_the_args_value() {
    let dockerfile = |from: &str| {
        format!("ARG GO_VERSION=1.22\nARG ALPINE_VERSION=3.19\n\nFROM {from} as base\nWORKDIR /app\n\nFROM base as development\nRUN go install github.com/cosmtrek/air@latest\nCOPY ./app/go.mod ./\nCMD [\"air\", \"-c\", \".air.toml\"]\n")
    };
    let compose = |args: &str| {
        format!("services:\n  app:\n    build:\n      context: .\n      target: development\n{args}    volumes:\n      - ./app/:/app\n")
    };
    let advice = |from: &str, args: &str| {
        let dir = repository_with(&[
            ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("app/main.go", "package main\n\nfunc main() {}\n"),
            (
                "app/.air.toml",
                "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n",
            ),
            ("Dockerfile", &dockerfile(from)),
            ("docker-compose.yml", &compose(args)),
        ]);
        let c = run(&dir.path().join("app"));
        let f = finding_in(&c, "air-install-fails", "Dockerfile");
        let message = f["message"].as_str().unwrap().to_string();
        let pin = message
            .split("install it with `")
            .nth(1)
            .and_then(|m| m.split('`').next())
            .unwrap_or_else(|| panic!("no install advice: {message}"))
            .to_string();
        pin
    };
    let written_out = advice("golang:1.22-alpine3.19", "");
    assert_ne!(written_out, advice("golang:1.24-alpine3.19", ""));
    assert!(!written_out.ends_with("@latest"), "{written_out}");
    assert_eq!(
        advice("golang:${GO_VERSION}-alpine${ALPINE_VERSION}", ""),
        written_out
    );
    // A build arg given by compose is the Go the image has.
    let args = "      args:\n        GO_VERSION: \"1.24\"\n";
    assert_eq!(
        advice("golang:${GO_VERSION}-alpine${ALPINE_VERSION}", args),
        advice("golang:1.24-alpine3.19", "")
    );
}

/// `bin` with arguments in a config air runs from cmd/ with `root = "../"`: the entrypoint
/// the finding offers instead is joined to root by air (`joinPath(c.Root, entry)`), so it
/// names the file from root (`./cmd/tmp/main`), where bin's `./tmp/main` is from cmd/. Real
/// air v1.67.4 started in cmd/ runs the app with that entrypoint.
#[test]
fn the_entrypoint_offered_for_bin_with_arguments_is_named_from_root() {
    let dir = project_with(&[
        ("go.mod", "module example.com/store\n\ngo 1.21\n"),
        (
            "cmd/main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() { fmt.Println(\"app started\", os.Args[1:]) }\n",
        ),
        (
            "cmd/.air.toml",
            "root = \"../\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main serve\"\n  cmd = \"go build -o ./tmp/main .\"\n  exclude_dir = [\"tmp\"]\n  stop_on_error = true\n",
        ),
        ("Makefile", "dev:\n\tcd ./cmd; air\n"),
    ]);
    let c = run(dir.path());
    let message = finding(&c, "bin-with-arguments")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains(r#"entrypoint = ["./cmd/tmp/main", "serve"]"#),
        "{message}"
    );
    if !which_go() {
        return;
    }
    std::fs::write(
        dir.path().join("cmd/.air.toml"),
        "root = \"../\"\ntmp_dir = \"tmp\"\n\n[build]\n  entrypoint = [\"./cmd/tmp/main\", \"serve\"]\n  cmd = \"go build -o ./tmp/main .\"\n  exclude_dir = [\"tmp\"]\n  stop_on_error = true\n",
    )
    .unwrap();
    let said = air_with_until_the_app_exits(&dir.path().join("cmd"), &[]);
    assert!(said.contains("app started [serve]"), "{said}");
}

/// kyleu/projectforge (hold-out 7): `send_interrupt = true` without kill_delay, in an app
/// that installs no signal handler. air sends SIGKILL right after SIGINT, but Go's default
/// SIGINT action has already ended the app: kill_delay would change nothing, a note. Once a
/// package main imports catches SIGINT and shuts its server down (hold-out 6's PhotoSpace:
/// signal.Notify + Shutdown), the SIGKILL cuts that shutdown short: a warning.
#[test]
fn no_kill_delay_warns_only_when_the_app_catches_the_signal() {
    let config = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  send_interrupt = true\n";
    let main =
        "package main\n\nimport \"example.com/app/server\"\n\nfunc main() { server.Run() }\n";
    let plain = "package server\n\nimport \"net/http\"\n\nfunc Run() { http.ListenAndServe(\":8080\", nil) }\n";
    let graceful = "package server\n\nimport (\n\t\"context\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/signal\"\n\t\"syscall\"\n)\n\nfunc Run() {\n\tsrv := &http.Server{Addr: \":8080\"}\n\tgo srv.ListenAndServe()\n\tc := make(chan os.Signal, 1)\n\tsignal.Notify(c, os.Interrupt, syscall.SIGTERM)\n\t<-c\n\tsrv.Shutdown(context.Background())\n}\n";
    for (server, severity) in [(plain, "info"), (graceful, "warn")] {
        let dir = repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", main),
            ("server/server.go", server),
            (".air.toml", config),
        ]);
        let c = run(dir.path());
        let f = finding(&c, "no-kill-delay");
        assert_at(f, severity, 5);
        let message = f["message"].as_str().unwrap();
        assert_eq!(
            message.contains("catches neither SIGINT nor SIGTERM"),
            severity == "info",
            "{f:#}"
        );
        assert_eq!(f["fix"].is_object(), severity == "warn", "{f:#}");
    }
    // projectforge's wasmserver config: bin is a script (`npx http-server`), the build a
    // script, and no Go main package to read: nothing shows a shutdown to cut short, and
    // the note says that, not that the app has no handler.
    let dir = repository_with(&[
        (
            "go.mod",
            "module example.com/app

go 1.22
",
        ),
        (
            "tools/wasm/build.sh",
            "#!/bin/sh
GOOS=js GOARCH=wasm go build -o app.wasm ../..
",
        ),
        (
            "tools/wasm/dev.sh",
            "#!/bin/sh
npx http-server -p 8080
",
        ),
        (
            "tools/wasm/.air.toml",
            "[build]
  cmd = \"tools/wasm/build.sh\"
  bin = \"tools/wasm/dev.sh\"
  stop_on_error = true
  send_interrupt = true
",
        ),
    ]);
    let c = run(&dir.path().join("tools/wasm"));
    let f = finding(&c, "no-kill-delay");
    assert_eq!(f["severity"], "info", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("no Go main package"), "{message}");
}

/// Hold-out 7: AlejandroJRosas/cen-project's server/.air.toml sets `build_cmd` and `run_cmd`
/// (no air keys) to `go build -o ./tmp/main .` and `./tmp/main`, what air builds and runs
/// without them; kyleu/projectforge's `[build] log_time = true` beside `[log] time = true`.
/// Each is another name for an air key (build.cmd, bin, log.time) holding the value air uses
/// for it in this config: nothing is lost, a note. With another value the user loses it: a
/// warning naming the key it stands for.
#[test]
fn an_unknown_key_naming_an_air_key_is_a_note_when_air_uses_its_value() {
    let same = "root = \".\"\ntmp_dir = \"tmp\"\nbuild_cmd = \"go build -o ./tmp/main .\"\nrun_cmd = \"./tmp/main\"\n\n[build]\n  stop_on_error = true\n  log_time = true\n\n[log]\n  time = true\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", same),
    ]);
    let c = run(dir.path());
    let unknown = |c: &Value| -> Vec<(u64, String, String)> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "unknown-key")
            .map(|f| {
                (
                    f["evidence"]["line"].as_u64().unwrap(),
                    f["severity"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let found = unknown(&c);
    assert_eq!(found.len(), 3, "{c:#}");
    for ((line, severity, message), key) in
        found
            .iter()
            .zip(["[build] cmd", "[build] bin", "[log] time"])
    {
        assert_eq!(severity, "info", "{line}: {message}");
        assert!(
            message.contains(&format!("another name for {key}")),
            "{message}"
        );
    }
    assert_eq!(c["status"], "info", "{c:#}");

    let differ = same
        .replace(
            "go build -o ./tmp/main .",
            "go build -o ./tmp/main ./cmd/api",
        )
        .replace("run_cmd = \"./tmp/main\"", "run_cmd = \"./tmp/api\"")
        .replace("[log]\n  time = true", "[log]\n  time = false");
    std::fs::write(dir.path().join(".air.toml"), differ).unwrap();
    let found = unknown(&run(dir.path()));
    assert_eq!(found.len(), 3, "{found:#?}");
    for (line, severity, message) in &found {
        assert_eq!(severity, "warn", "{line}: {message}");
        assert!(message.contains("another name for"), "{message}");
    }
}

/// cms-lvtn-2025/be-lvtn (hold-out 7): air/ holds .air-server.toml, which run-server.sh passes
/// with `air -c` from the module root, and .air.toml, which no launcher names: a leftover
/// beside its launched sibling, a note. Its wording says where air does not read it (plain
/// `air` in the module root): `air` started inside air/ does. Without the sibling's launcher
/// nothing shows the file is unused: no leftover (judged as `air -c` run in the root). (The two
/// differ there; a byte-identical one is a copy of the launched config, stray-config.)
#[test]
fn an_unlaunched_config_beside_a_launched_sibling_is_a_leftover() {
    let config = "root = \".\"\n\n[build]\n  cmd = \"go build -o ./tmp/app .\"\n  bin = \"./tmp/app\"\n  include_dir = [\"src\"]\n  stop_on_error = true\n";
    let leftover = config.replace("./tmp/app", "./tmp/main");
    let files = [
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("air/.air-server.toml", config),
        // Other settings than its sibling's, as there (an identical one is a copy of it:
        // an_unread_copy_of_the_read_config_in_a_module_subfolder_is_a_note).
        ("air/.air.toml", &leftover),
    ];
    let launcher = (
        "run-server.sh",
        "#!/bin/sh\nPROJECT_ROOT=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\nAIR_DIR=\"$PROJECT_ROOT/air\"\ncd \"$PROJECT_ROOT\"\nair -c \"$AIR_DIR/.air-server.toml\"\n",
    );
    for with_launcher in [true, false] {
        let mut all = files.to_vec();
        if with_launcher {
            all.push(launcher);
        }
        let dir = repository_with(&all);
        let c = run(&dir.path().join("air"));
        let f = finding_in(&c, "config-not-read", "air/.air.toml");
        assert_eq!(f["severity"], "info", "{f:#}");
        assert_eq!(f["evidence"]["leftover"], with_launcher, "{f:#}");
        let message = f["message"].as_str().unwrap();
        assert_eq!(
            message.contains(
                "plain `air` in the module root (only `air` started inside air/ reads it)"
            ),
            with_launcher,
            "{message}"
        );
        assert_eq!(
            message.contains("leftover") && message.contains("air/.air-server.toml"),
            with_launcher,
            "{message}"
        );
    }
}

/// abisalde/go-showcase (hold-out 14): configs/air.toml, in a subfolder of the module, is
/// passed by no launcher, while the Makefile runs `air -c .air.server.toml` and `air -c
/// .air.client.toml` in the module root: plain air there never reads it, and nothing runs air
/// in configs/: a leftover, a note (it was a warning). Without the launchers nothing shows it
/// unused: no leftover (judged as `air -c configs/air.toml` run in the root, assumed).
#[test]
fn an_unlaunched_config_in_a_subfolder_beside_launched_root_configs_is_a_leftover() {
    let config = |bin: &str| {
        format!("root = \".\"\n\n[build]\n  cmd = \"go build -o ./tmp/{bin} ./{bin}\"\n  bin = \"./tmp/{bin}\"\n  stop_on_error = true\n")
    };
    let (server, client) = (config("server"), config("client"));
    let leftover = "root = \"/app\"\ntmp_dir = \"/app/tmp\"\n\n[build]\n  cmd = \"go build -o /app/tmp/main ./server\"\n  bin = \"/app/tmp/main\"\n  delay = 1000\n  stop_on_error = true\n";
    let files = [
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("server/main.go", "package main\n\nfunc main() {}\n"),
        ("client/main.go", "package main\n\nfunc main() {}\n"),
        (".air.server.toml", server.as_str()),
        (".air.client.toml", client.as_str()),
        ("configs/air.toml", leftover),
    ];
    let launcher = (
        "Makefile",
        ".PHONY: dev-server dev-client\n\ndev-server:\n\tair -c .air.server.toml\n\ndev-client:\n\tair -c .air.client.toml\n",
    );
    for with_launcher in [true, false] {
        let mut all = files.to_vec();
        if with_launcher {
            all.push(launcher);
        }
        let dir = repository_with(&all);
        let c = run(&dir.path().join("configs"));
        let f = finding_in(&c, "config-not-read", "configs/air.toml");
        assert_eq!(f["severity"], "info", "{f:#}");
        assert_eq!(f["evidence"]["leftover"], with_launcher, "{f:#}");
        let message = f["message"].as_str().unwrap();
        assert_eq!(
            message.contains("leftover")
                && message.contains(".air.server.toml, in the module root"),
            with_launcher,
            "{message}"
        );
    }
}

/// tredstart/scrolly (hold-out 7): internal/.air.toml is a copy of the root's .air.toml, in a
/// folder with no go.mod that no launcher runs air in; its build (`npx tailwindcss -i
/// ./static/styles/main.css ... && make build`) names the root's Makefile and static/, which
/// internal/ lacks. Judged in internal/ it is a stray copy: one note, no warnings about its
/// settings. The same file at the module root is judged as before; and a config in a
/// subfolder whose build finds what it names there is still a project, as is one whose root
/// points elsewhere (rasjonell/hybr's cmd/console/.air.toml, root = "../../": see
/// a_build_tied_to_one_machine_names_the_home_folder_and_the_user).
#[test]
fn a_config_copy_in_a_non_module_folder_is_a_stray_copy() {
    let config = "root = \".\"\n\n[build]\n  cmd = \"npx tailwindcss -i ./static/styles/main.css -o ./static/styles/out.css && make build\"\n  bin = \"./tmp/main\"\n  stop_on_error = false\n  kill_delay = \"0s\"\n  send_interrupt = true\n  colour = \"yes\"\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("Makefile", "build:\n\tgo build -o ./tmp/main .\n"),
        ("static/styles/main.css", "body {}\n"),
        ("internal/models/models.go", "package models\n"),
        (".air.toml", config),
        ("internal/.air.toml", config),
    ]);
    let c = run(&dir.path().join("internal"));
    let f = finding(&c, "stray-config");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(findings(&c).len(), 1, "nothing else is judged: {c:#}");
    assert_eq!(c["status"], "info", "{c:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("stray copy"), "{message}");
    assert!(message.contains("./static/styles/main.css"), "{message}");

    // At the module root the same file is the project's: its settings are judged.
    let c = run(dir.path());
    assert_lacks(&c, "stray-config");
    assert!(problems(&c).contains(&"unknown-key".to_string()), "{c:#}");

    // A subfolder whose build finds what it names (its own Makefile and static/) is judged.
    for p in ["internal/Makefile", "internal/static/styles/main.css"] {
        let to = dir.path().join(p);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, "build:\n\tgo build -o ./tmp/main ..\n").unwrap();
    }
    let c = run(&dir.path().join("internal"));
    assert_lacks(&c, "stray-config");
    assert!(problems(&c).contains(&"unknown-key".to_string()), "{c:#}");
}

/// Dinesh-Gautam/omara-assignment (hold-out 7): apps/backend/.air.toml has a `[watcher]`
/// table (poll = true, poll_interval), which air does not have. Its compose service runs air
/// in an image whose source arrives only by `develop: watch:` `action: sync` (no bind mount):
/// compose writes each saved file inside the container, whose filesystem gives air's fsnotify
/// watcher the event, so the lost polling changes nothing: a note. With a bind mount of the
/// source instead (where Docker Desktop and WSL lose events), the lost polling is a warning.
#[test]
fn lost_polling_is_a_note_where_compose_watch_syncs_the_files() {
    let compose = |delivery: &str| {
        format!("services:\n  backend:\n    build:\n      context: .\n      dockerfile: Dockerfile\n{delivery}")
    };
    let sync = "    develop:\n      watch:\n        - action: sync\n          path: ./\n          target: /app\n        - action: rebuild\n          path: package.json\n";
    let bind = "    volumes:\n      - ./:/app\n";
    for (delivery, severity) in [(sync, "info"), (bind, "warn")] {
        let dir = repository_with(&[
            ("go.mod", "module example.com/backend\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            (
                "Dockerfile",
                "FROM golang:1.26\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\nCOPY go.mod ./\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
            ),
            ("docker-compose.yml", &compose(delivery)),
            (
                ".air.toml",
                "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n\n[watcher]\n  poll = true\n  poll_interval = 1000 # ms\n",
            ),
        ]);
        let c = run(dir.path());
        let f = finding(&c, "unknown-key");
        assert_at(f, severity, 9);
        assert_eq!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("compose watch syncs"),
            severity == "info",
            "{f:#}"
        );
    }
}

/// traPtitech/trap-collection-server: docker/dev/compose.yaml's service `extends:` the one in
/// ../base/compose.yaml (which holds `build: context: ../..`, relative to its own folder) and
/// sets `command: [-c, /etc/x/.air.toml]`, mounting docker/dev/.air.toml there; the
/// Dockerfile's ENTRYPOINT is `go tool air` (air a go.mod tool) and its CMD `-c .air.toml`.
/// The compose command replaces that CMD, so the CMD alone is no launch: the doctor warned
/// that `air -c .air.toml` finds no file, and named no launcher, because `extends:` was not
/// followed (no build context, so no ENTRYPOINT, so the service's command ran no air).
#[test]
fn a_compose_command_replaces_the_cmd_of_an_image_built_through_extends() {
    let dir = repository_with(&[
        (
            "go.mod",
            "module example.com/app\n\ngo 1.24\n\ntool github.com/air-verse/air\n",
        ),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "docker/dev/.air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n  stop_on_error = true\n",
        ),
        (
            "docker/base/compose.yaml",
            "services:\n  app:\n    build:\n      context: ../..\n    environment:\n      PORT: :3000\n",
        ),
        (
            "docker/dev/compose.yaml",
            "services:\n  app:\n    extends:\n      file: ../base/compose.yaml\n      service: app\n    build:\n      dockerfile: ./docker/dev/Dockerfile\n    volumes:\n      - ./.air.toml:/etc/app/.air.toml\n      - ../../:/go/src/app/\n    command:\n      - -c\n      - /etc/app/.air.toml\n",
        ),
        (
            "docker/dev/Dockerfile",
            "FROM golang:1.24-alpine\n\nWORKDIR /go/src/app\n\nCOPY go.mod ./\nRUN go mod download\n\nENTRYPOINT [\"go\", \"tool\", \"air\"]\nCMD [\"-c\", \".air.toml\"]\n",
        ),
    ]);
    let c = run(dir.path());
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["evidence"]["file"] == "docker/dev/Dockerfile"),
        "{c:#}"
    );
    let launches = c["evidence"]["launches"].as_array().unwrap();
    let compose = launches
        .iter()
        .find(|l| l["file"] == "docker/dev/compose.yaml")
        .unwrap_or_else(|| panic!("{c:#}"));
    assert_eq!(compose["line"], 11, "{compose:#}");
    assert!(
        !launches
            .iter()
            .any(|l| l["file"] == "docker/dev/Dockerfile"),
        "{c:#}"
    );
}

/// 172197763/2026_GO_GIN: README.md tells the reader, in a quote with a full-width label and
/// an HTML line break, `>安装：go install github.com/cosmtrek/air@latest<br>`. go refuses it on
/// every Go (the real go, below); the document reader read only code blocks, prompt lines and
/// code spans, so the install nobody gets air from was not said.
#[test]
fn a_readme_install_written_without_code_markup_is_read() {
    if let Some((ok, said)) = go_install_from_renamed_proxy("latest") {
        assert!(!ok, "{said}");
    }
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  stop_on_error = true\n"),
        (
            "README.md",
            "# app\ngin框架使用\n## 项目环境说明\ngo mod tidy<br>\n>效果：下载依赖<br>\n\nair<br>\n>安装：go install github.com/cosmtrek/air@latest<br>\n>效果：热重启<br>\n\n1. 安装: go install github.com/cosmtrek/air@latest\n\n然后 go install github.com/cosmtrek/air@latest 即可\n",
        ),
    ]);
    let c = run(dir.path());
    let hits: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    let lines: Vec<&Value> = hits.iter().map(|f| &f["evidence"]["line"]).collect();
    // The list item repeats the command: a document's command is said once.
    assert_eq!(lines, vec![8], "{c:#}");
    assert_eq!(
        hits[0]["evidence"]["command"],
        "go install github.com/cosmtrek/air@latest"
    );
    assert_eq!(hits[0]["severity"], "warn");
}

/// vivalchemy/topics: go/ is a module whose Makefile runs `air` there (go/.air.toml), and
/// go/grpc is a module of its own (its go.mod, its main in server/) whose Dockerfile runs
/// `air --build.cmd 'go build -o /go/bin/grpcdemo ./server' --build.bin /go/bin/grpcdemo`
/// through go/grpc/docker-compose.yaml. The doctor in go/ took that service as a launch of
/// go/.air.toml ("runs plain air in grpc ... pass it with `air -c /tmp/.../go/.air.toml`", a
/// path of this machine, for a container, and the parent's program); in go/grpc it said
/// air's default build fails there, while air applies the flags over its defaults.
#[test]
fn a_launcher_in_a_nested_module_is_that_modules_and_its_build_flags_count() {
    let dir = repository_with(&[
        ("go/go.mod", "module example.com/fun\n\ngo 1.22\n"),
        ("go/main.go", "package main\n\nfunc main() {}\n"),
        (
            "go/.air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./bin/main .\"\n  entrypoint = [\"./bin/main\"]\n  exclude_dir = [\"bin\", \"tmp\"]\n  stop_on_error = true\n",
        ),
        ("go/Makefile", "dev:\n\tair\n"),
        ("go/grpc/go.mod", "module example.com/grpcdemo\n\ngo 1.24.0\n"),
        ("go/grpc/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            "go/grpc/Dockerfile",
            "FROM golang:alpine AS development\n\nRUN go install github.com/air-verse/air@latest\n\nWORKDIR /app\n\nCOPY go.mod ./\n\nCOPY . .\n\nCMD [\"sh\", \"-c\", \"air --build.cmd 'go build -o /go/bin/grpcdemo ./server' --build.bin '/go/bin/grpcdemo'\"]\n",
        ),
        (
            "go/grpc/docker-compose.yaml",
            "services:\n  grpc-dev:\n    build:\n      context: .\n      target: development\n    volumes:\n      - .:/app\n",
        ),
    ]);
    let c = run(&dir.path().join("go"));
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["evidence"]["file"] == "go/grpc/docker-compose.yaml"),
        "{c:#}"
    );
    // In go/grpc: no config, but the launcher gives its build: no "default build fails".
    let c = run(&dir.path().join("go/grpc"));
    assert!(
        findings(&c).iter().all(|f| f["severity"] == "info"),
        "{c:#}"
    );
    let f = finding(&c, "launch-runs-defaults");
    assert_eq!(
        f["evidence"]["build_cmd"], "go build -o /go/bin/grpcdemo ./server",
        "{f:#}"
    );

    // thanthtooaung-coding/content-management-system: the config is in services/, no
    // module, above its one module services/auth, whose Makefile runs `air -c .air.toml`
    // there (not there): that launcher is the config's folder's, still named.
    let dir = repository_with(&[
        (
            "services/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/auth ./cmd\"\n",
        ),
        (
            "services/auth/go.mod",
            "module example.com/auth\n\ngo 1.22\n",
        ),
        (
            "services/auth/cmd/main.go",
            "package main\n\nfunc main() {}\n",
        ),
        ("services/auth/Makefile", "dev:\n\t@air -c .air.toml\n"),
    ]);
    let c = run(&dir.path().join("services"));
    finding_in(&c, "launch-config-missing", "services/auth/Makefile");
}

/// A compose service in a folder of the module (no go.mod of its own) that runs plain air
/// there in a container, while the config is in the module root: no path of this machine is
/// suggested for `air -c` in the container.
#[test]
fn plain_air_in_a_container_folder_without_the_config_names_no_host_path() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("web/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n  stop_on_error = true\n",
        ),
        (
            "web/compose.yaml",
            "services:\n  web:\n    image: golang:1.25\n    working_dir: /src\n    volumes:\n      - .:/src\n    command: air\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "launch-runs-defaults");
    let message = f["message"].as_str().unwrap();
    assert!(!message.contains(&*dir.path().to_string_lossy()), "{f:#}");
    assert!(
        message.contains("outside the folder the container runs air in"),
        "{f:#}"
    );
}

/// Aracelimartinez/email-platform-challenge (hold-out 9): server/.air.toml excludes
/// "enron_mail20150507/*", a dataset the app unpacks under /tmp. air compares folder paths,
/// never globs, but no folder here matches it: nothing air watches was meant to be kept
/// out, so the entry is dead (a note). Where a folder or its files do match, air watches
/// what the glob meant to keep out: a warning, as before.
#[test]
fn an_exclude_dir_glob_matching_nothing_here_is_a_dead_entry() {
    let dir = repository_with(&[
        ("server/go.mod", "module example.com/mail\n\ngo 1.22\n"),
        ("server/main.go", "package main\n\nfunc main() {}\n"),
        (
            "server/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  exclude_dir = [\"tmp\", \"enron_mail20150507/*\"]\n",
        ),
    ]);
    let server = dir.path().join("server");
    let f = finding(&run(&server), "exclude-dir-never-matches").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("no folder here matches it"),
        "{f:#}"
    );
    // The dataset unpacked beside the code: air watches it, the glob keeps nothing out.
    for file in ["enron_mail20150507/a/1.", "enron_mail20150507/notes.txt"] {
        let path = server.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "x").unwrap();
        let f = finding(&run(&server), "exclude-dir-never-matches").clone();
        assert_eq!(f["severity"], "warn", "{file}: {f:#}");
        std::fs::remove_dir_all(server.join("enron_mail20150507")).unwrap();
    }
}

/// Hold-out 10, jmetzg11alpine/iot's config/.air.toml: `[log] watcher = "on"`,
/// `[log] build = "on"`. Their names are [color]'s keys, but "on" is no colour air knows
/// (runner/logger.go's colorMap: red, green, yellow, blue, magenta, cyan, white): they were
/// never meant for [color], and moving them there would only print white. Unknown keys in
/// [log], a table of the output's look: notes, with no move offered. A colour name in the
/// wrong table is still the misplaced [color] key, moved by --fix.
#[test]
fn a_colour_key_holding_no_colour_is_no_misplaced_color_key() {
    let text = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n[log]\n  watcher = \"on\"\n  build = \"on\"\n  runner = \"blue\"\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", text),
    ]);
    let c = run(dir.path());
    let of = |key: &str| {
        findings(&c)
            .iter()
            .find(|f| f["evidence"]["key"] == key)
            .unwrap_or_else(|| panic!("no finding on {key} in {c:#}"))
            .clone()
    };
    for key in ["log.watcher", "log.build"] {
        let f = of(key);
        assert_eq!(f["evidence"]["problem"], "unknown-key", "{f:#}");
        assert_eq!(f["severity"], "info", "{f:#}");
        assert!(f.get("fix").is_none_or(Value::is_null), "{f:#}");
        assert!(!f["message"].as_str().unwrap().contains("[color]"), "{f:#}");
    }
    let f = of("log.runner");
    assert_eq!(f["evidence"]["problem"], "misplaced-key", "{f:#}");
    assert_eq!(f["evidence"]["suggestion"], "color.runner", "{f:#}");
}

/// Hold-out 10: unknown keys whose request air fulfils without them are notes, judged by what
/// air does, not by the key's name alone.
/// - AfzalSabbir/go-todo-app: `exclude_dirs = ["frontend/node_modules", "/frontend/node_modules",
///   "frontend", "node_modules"]`, none of which is under air's root (backend/): nothing to keep
///   out. The same key naming a folder air watches (`web`) loses that exclusion: a warning.
/// - jmetzg11/american-empire, farmsville: `clean_cmd = "rm -rf tmp/main"` removes only the
///   binary the build's `-o` overwrites at every build. Removing a source folder is not that.
/// - co2-lab/polvo: `log_color = true` asks for coloured output, which air gives by default
///   ([color] mode "auto": colour on a terminal; runner/config.go).
#[test]
fn unknown_keys_asking_for_what_air_does_anyway_are_notes() {
    let weigh = |extra: &str, files: &[(&str, &str)]| {
        let text = format!(
            "root = \".\"\ntmp_dir = \"tmp\"\n{extra}[build]\n  cmd = \"go build -o tmp/main .\"\n  bin = \"tmp/main\"\n"
        );
        let text = match extra.starts_with('[') {
            true => format!(
                "root = \".\"\ntmp_dir = \"tmp\"\n{extra}  cmd = \"go build -o tmp/main .\"\n  bin = \"tmp/main\"\n"
            ),
            false => text,
        };
        let mut all = vec![
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
        ];
        all.extend_from_slice(files);
        all.push((".air.toml", &text));
        let dir = repository_with(&all);
        let c = run(dir.path());
        let f = finding(&c, "unknown-key").clone();
        (
            f["severity"].as_str().unwrap().to_string(),
            f["message"].as_str().unwrap().to_string(),
        )
    };
    let node = ("frontend/package.json", "{}\n");
    let (sev, msg) = weigh(
        "exclude_dirs = [\"../frontend/node_modules\", \"/other/node_modules\", \"other\", \"tmp\"]\n",
        &[node],
    );
    assert_eq!(sev, "info", "{msg}");
    let (sev, msg) = weigh(
        "exclude_dirs = [\"web\"]\n",
        &[("web/page.go", "package web\n")],
    );
    assert_eq!(sev, "warn", "{msg}");
    let (sev, msg) = weigh("[build]\n  clean_cmd = \"rm -rf tmp/main\"\n", &[]);
    assert_eq!(sev, "info", "{msg}");
    assert!(msg.contains("tmp/main"), "{msg}");
    let (sev, msg) = weigh(
        "[build]\n  clean_cmd = \"rm -rf web\"\n",
        &[("web/page.go", "package web\n")],
    );
    assert_eq!(sev, "warn", "{msg}");
    let (sev, msg) = weigh("[build]\n  log_color = true\n", &[]);
    assert_eq!(sev, "info", "{msg}");
    assert!(msg.contains("colour"), "{msg}");
}

/// Hold-out 10, Dei6/Todo's `.air.conf` (not read by air v1.63.2 and later): it builds and
/// runs the root package like air's defaults (under the name tmp/main.exe), and differs only
/// in stop_on_error = true (what air does after a failed build), clean_on_exit = true (tmp is
/// deleted when air exits; air builds anew at every start), [log] time, and kill_delay, which
/// air uses only with send_interrupt = true. Nothing air watches, builds or runs changes: a
/// note naming those differences. With send_interrupt = true (a graceful stop air would give
/// the app) it stays a warning.
#[test]
fn an_unread_config_differing_only_after_failures_or_at_exit_is_a_note() {
    let conf = |interrupt: bool| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n[build]\ncmd = \"go build -o ./tmp/main.exe .\"\nbin = \"tmp/main.exe\"\ninclude_ext = [\"go\", \"tpl\", \"tmpl\", \"html\"]\nexclude_dir = [\"assets\", \"tmp\", \"vendor\", \"frontend/node_modules\"]\ninclude_dir = []\nexclude_file = []\nlog = \"air.log\"\ndelay = 1000\nstop_on_error = true\nsend_interrupt = {interrupt}\nkill_delay = 500\n[log]\ntime = true\n[color]\nmain = \"magenta\"\nwatcher = \"cyan\"\n[misc]\nclean_on_exit = true\n")
    };
    let dir = tempfile::Builder::new().prefix("todo").tempdir().unwrap();
    let write = |p: &str, t: &str| {
        let at = dir.path().join(p);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(at, t).unwrap();
    };
    write("go.mod", "module example.com/todo\n\ngo 1.22\n");
    write("main.go", "package main\n\nfunc main() {}\n");
    write("templates/index.html", "<p></p>\n");
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(".air.conf", &conf(false));
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    for named in ["stop_on_error", "clean_on_exit", "kill_delay"] {
        assert!(msg.contains(named), "{named} not named: {msg}");
    }
    write(".air.conf", &conf(true));
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "warn", "{f:#}");
}

/// 0xmanhnv/auth-service: build.cmd `make docs && make build`, where `docs` is not .PHONY,
/// has no prerequisites, and the folder docs/ exists: GNU make says "'docs' is up to date"
/// and never runs its recipe (checked here with the real make). Nothing read from that
/// recipe is a finding (a generator loop, missing programs); one info says it never runs.
#[test]
fn a_make_target_that_names_an_existing_folder_never_runs_its_recipe() {
    let recipe = "docs:\n\t@echo ran > ran.txt\n\tswag init -o ./docs\n\trd-no-such-tool x\n\nbuild:\n\tgo build -o ./tmp/main .\n\n.PHONY: all build\n";
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("docs/docs.go", "package docs\n"),
        ("Makefile", recipe),
        (
            ".air.toml",
            "[build]\n  cmd = \"make docs && make build\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    // The real make: up to date, the recipe does not run.
    let out = std::process::Command::new("make")
        .arg("docs")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("'docs' is up to date"),
        "{out:?}"
    );
    assert!(!dir.path().join("ran.txt").exists());
    let c = run(dir.path());
    assert_lacks(&c, "tool-not-found");
    let f = finding(&c, "recipe-never-runs");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(f["message"].as_str().unwrap().contains("docs/"), "{f:#}");
    // Listed in .PHONY, make runs it: its missing programs are named again.
    let mk = dir.path().join("Makefile");
    std::fs::write(
        &mk,
        recipe.replace(".PHONY: all build", ".PHONY: all build docs"),
    )
    .unwrap();
    let c = run(dir.path());
    assert!(
        problems(&c).contains(&"tool-not-found".to_string()),
        "{c:#}"
    );
    assert!(!problems(&c).contains(&"recipe-never-runs".to_string()));
}

/// 0xmanhnv/auth-service: a recipe hands a quoted, backslash-continued script to
/// `powershell -Command "..."`: its lines are PowerShell, not sh commands (no empty program
/// name, no `Write-Output` "not on PATH"); `bash -c '...'` is sh and is read as sh.
#[test]
fn an_interpreters_quoted_script_is_not_read_as_sh_commands() {
    let dir = built_by_make("gen:\n\t@python3 -c \"import sys; \\\n\t\tRd-No-Such-A 'x'; \\\n\t\t\"\n\t@bash -c 'rd-no-such-b --x; \\\n\t\ttrue'\n\t@node -e \"rd-no-such-c()\"\n\nbuild: gen\n\tgo build -o ./tmp/main .\n.PHONY: gen build\n");
    let c = run(dir.path());
    assert_eq!(missing_programs(&c), vec!["rd-no-such-b"], "{c:#}");
}

/// A script that installs its own tool when it is missing (`command -v swag >/dev/null ||
/// go install ...swag@latest`, `if ! command -v X; then go install ...; fi`): X is installed
/// on first use, not a missing program.
#[test]
fn a_tool_the_recipe_installs_when_missing_is_not_missing() {
    let dir = built_by_make("gen:\n\tcommand -v rd-no-such-a >/dev/null || go install example.com/x/cmd/rd-no-such-a@latest\n\trd-no-such-a init\n\tif ! command -v rd-no-such-b >/dev/null 2>&1; then \\\n\t\tgo install example.com/rd-no-such-b@v1.2.3; \\\n\tfi\n\trd-no-such-b gen\n\t[ -x \"$(command -v rd-no-such-c)\" ] || go install example.com/rd-no-such-c@latest\n\trd-no-such-c run\n\twhich rd-no-such-d || go install example.com/y/rd-no-such-d@latest\n\trd-no-such-d\n\trd-no-such-e\n\nbuild: gen\n\tgo build -o ./tmp/main .\n.PHONY: gen build\n");
    let c = run(dir.path());
    assert_eq!(missing_programs(&c), vec!["rd-no-such-e"], "{c:#}");
}

/// j-tegen/homeley: one air config in config/, mounted into two compose services that run
/// air in their own module (modules/auth, modules/users), each replacing a shared module
/// with ../shared. The verdict is the same whichever of the three folders the doctor starts
/// in: each service's edits to the shared module never rebuild; and the folder started in
/// is the project named, not the first service's.
#[test]
fn a_config_shared_by_two_compose_services_is_judged_the_same_from_each_folder() {
    if !which_go() {
        return;
    }
    let service = |name: &str| {
        format!(
            "  {name}:\n    image: golang:1.23\n    working_dir: /app/{name}\n    command: [\"air\", \"-c\", \"/app/.air.toml\"]\n    volumes:\n      - ../modules/{name}:/app/{name}\n      - ../modules/shared:/app/shared\n      - ../config/.air.toml:/app/.air.toml\n"
        )
    };
    let compose = format!("services:\n{}{}", service("users"), service("auth"));
    let module = |name: &str| {
        format!("module example.com/{name}\n\ngo 1.22\n\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../shared\n")
    };
    let main = "package main\n\nimport \"example.com/shared/db\"\n\nfunc main() { db.Open() }\n";
    let dir = repository_with(&[
        ("modules/shared/go.mod", "module example.com/shared\n\ngo 1.22\n"),
        ("modules/shared/db/db.go", "package db\n\nfunc Open() {}\n"),
        ("modules/users/go.mod", &module("users")),
        ("modules/users/main.go", main),
        ("modules/auth/go.mod", &module("auth")),
        ("modules/auth/main.go", main),
        ("docker/docker-compose.yaml", &compose),
        (
            "config/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o tmp/main\"\n  bin = \"tmp/main\"\n  stop_on_error = true\n  include_ext = [\"go\"]\n",
        ),
    ]);
    let mut seen = vec![];
    for start in ["config", "modules/auth", "modules/users"] {
        let (_, report) = json_report(&dir.path().join(start), &["--only", "reloader-config"]);
        let c = check(&report, "reloader-config");
        let outside: Vec<String> = findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "imports-outside-root")
            .map(|f| format!("{} {}", f["severity"], f["message"]))
            .collect();
        // One finding for both services: the same imports, the same cost.
        assert_eq!(outside.len(), 1, "from {start}: {c:#}");
        assert!(
            outside[0].starts_with("\"warn\"")
                && outside[0].contains("`users` service")
                && outside[0].contains("`auth` service"),
            "from {start}: {outside:?}"
        );
        seen.push(outside);
        if start.starts_with("modules/") {
            let project = report["project"]["root"].as_str().unwrap_or_default();
            assert!(
                project.ends_with(start),
                "from {start}: {:#}",
                report["project"]
            );
        }
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:#?}");
}

/// 422UR4H/HxH_RPG_System: `log = "tmp/air-api-build.log"` with tmp_dir "tmp". air writes
/// the build-error log at tmp_dir joined with log, tmp/tmp/..., a folder it never creates,
/// and ignores the failed write: real air, on a build that fails, writes no log at all. Only
/// the log is lost (air prints the error anyway): a note, whose fix (`log` named inside
/// tmp_dir) real air then writes, and the note is gone.
#[test]
fn a_build_log_under_tmp_dir_twice_is_never_written() {
    if !which_go() {
        return;
    }
    let config = |log: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  log = \"{log}\"\n  include_ext = [\"go\"]\n")
    };
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        (
            "main.go",
            "package main\n\nfunc main() {\n\tundefined()\n}\n",
        ),
        (".air.toml", &config("tmp/build.log")),
    ]);
    let dir = dir.path();
    let c = run(dir);
    let f = finding(&c, "build-log-never-written");
    assert_at(f, "info", 7);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("tmp/tmp/build.log") && message.contains("set log = \"build.log\""),
        "{message}"
    );
    assert_eq!(
        f["fix"]["summary"], "set log = \"build.log\" in [build] of .air.toml",
        "{f:#}"
    );
    // Real air: the build fails, and no log is written anywhere.
    let log = air_until_a_failed_build(dir);
    assert!(!dir.join("tmp/tmp/build.log").exists(), "{log}");
    assert!(!dir.join("tmp/build.log").exists(), "{log}");
    assert!(dir.join("tmp").is_dir(), "{log}");
    // With the log named inside tmp_dir, real air writes it, and the note is gone.
    std::fs::write(dir.join(".air.toml"), config("build.log")).unwrap();
    let log = air_until_a_failed_build(dir);
    let written = std::fs::read_to_string(dir.join("tmp/build.log")).unwrap_or_default();
    assert!(written.contains("exit status"), "{written:?} {log}");
    let c = run(dir);
    assert_lacks(&c, "build-log-never-written");
}

/// Real air in `dir` until it reports a failed build (at most a minute), then stopped; its
/// output.
fn air_until_a_failed_build(dir: &Path) -> String {
    let log = dir.join("air.out");
    let both = std::fs::File::create(&log).unwrap();
    let mut air = std::process::Command::new(oracle::air())
        .current_dir(dir)
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .spawn()
        .unwrap();
    let text = || std::fs::read_to_string(&log).unwrap_or_default();
    let start = std::time::Instant::now();
    while !text().contains("failed to build")
        && start.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    text()
}

/// Cufee/aftermath: `.air.web.toml` builds `go build -o ./tmp/web dev_web.go`, a file whose
/// first line is `//go:build ignore`. go compiles a file named on the command line whatever
/// its build constraints say, and a package build (`go build .`, the other config) skips it.
/// So what dev_web.go embeds is the web build's, not the `.` build's: the doctor follows go's
/// lists (real go here builds both binaries and each prints what it embedded), names the
/// yaml under the web config (real air never rebuilds on its save), and cites main.go's
/// //go:embed line, not dev_web.go's, for the `.` build.
#[test]
fn a_file_named_to_go_build_is_compiled_despite_its_ignore_constraint() {
    if !which_go() {
        return;
    }
    let config = |cmd: &str, bin: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"{cmd}\"\n  bin = \"{bin}\"\n  include_ext = [\"go\", \"html\"]\n  exclude_dir = [\"tmp\"]\n")
    };
    let printer = |pattern: &str, file: &str| {
        format!("package main\n\nimport (\n\t\"embed\"\n\t\"fmt\"\n\t\"os\"\n\t\"time\"\n)\n\n//go:embed {pattern}\nvar files embed.FS\n\nfunc main() {{\n\tb, _ := files.ReadFile(\"{file}\")\n\tfmt.Print(string(b))\n\tif len(os.Args) > 1 {{\n\t\treturn\n\t}}\n\ttime.Sleep(time.Hour)\n}}\n")
    };
    let dev = format!(
        "//go:build ignore\n\n{}",
        printer("locales/*", "locales/en.yaml")
    );
    let repo = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", &printer("public/*", "public/app.css")),
        ("dev_web.go", &dev),
        ("public/app.css", "body{}\n"),
        ("locales/en.yaml", "hello: Hello\n"),
        (
            ".air.toml",
            &config("go build -o ./tmp/main .", "./tmp/main"),
        ),
    ]);
    let dir = repo.path();
    // Real go: each build compiles exactly what the doctor says it does.
    for (args, prints) in [
        (&["-o", "tmp/main", "."][..], "body{}"),
        (&["-o", "tmp/web", "dev_web.go"][..], "hello: Hello"),
    ] {
        let out = std::process::Command::new("go")
            .arg("build")
            .args(args)
            .current_dir(dir)
            .env("GOFLAGS", "-mod=mod")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let bin = dir.join(args[1]);
        let ran = std::process::Command::new(&bin)
            .arg("once")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&ran.stdout).trim(), prints);
    }
    let c = run(dir);
    let message = finding(&c, "unwatched-embeds")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("public/app.css")
            && message.contains("(main.go:10)")
            && !message.contains("dev_web.go")
            && !message.contains("en.yaml"),
        "{message}"
    );
    std::fs::write(
        dir.join(".air.toml"),
        config("go build -o ./tmp/web dev_web.go", "./tmp/web"),
    )
    .unwrap();
    let c = run(dir);
    let f = finding(&c, "unwatched-embeds");
    assert_at(f, "warn", 7);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("locales/en.yaml")
            && message.contains("(dev_web.go:12)")
            && message.contains("add \"yaml\" to include_ext")
            && !message.contains("app.css"),
        "{message}"
    );
    // Real air: saving the yaml the web binary embeds never rebuilds it.
    let (builds, log) = air_builds_after_saving(dir, "locales/en.yaml");
    assert_eq!(builds, 1, "{log}");
}

/// kernel/hypeman (hold-out 17): lib/system embeds `init/init.sh` and, in another file, a
/// binary (`agent/agent-bin`) a make target builds before air starts, absent from a
/// checkout. Real go lists no EmbedFiles at all for a package with a pattern that matches
/// nothing (an error), so the script, whose "sh" is not in include_ext, was missed. The
/// patterns are resolved as go does: the script is named, at the line that embeds it; and
/// real air, once the binary exists, does not rebuild when the script is saved.
#[test]
fn an_embed_of_a_missing_build_output_does_not_hide_the_packages_other_embeds() {
    if !which_go() {
        return;
    }
    let repo = project_with(&[
        ("vm/go.mod", "module example.com/vm\n\ngo 1.22\n"),
        (
            "vm/cmd/api/main.go",
            "package main\n\nimport (\n\t\"time\"\n\n\t\"example.com/vm/lib/system\"\n)\n\nfunc main() {\n\t_, _ = system.Wrapper, system.Agent\n\ttime.Sleep(time.Hour)\n}\n",
        ),
        (
            "vm/lib/system/agent.go",
            "package system\n\nimport _ \"embed\"\n\n//go:embed agent/agent-bin\nvar Agent []byte\n",
        ),
        (
            "vm/lib/system/wrapper.go",
            "package system\n\nimport _ \"embed\"\n\n//go:embed init/init.sh\nvar Wrapper string\n",
        ),
        ("vm/lib/system/init/init.sh", "#!/bin/sh\nexec /init\n"),
        ("vm/lib/system/init/main.go", "package main\n\nfunc main() {}\n"),
        (
            "vm/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n  entrypoint = \"./tmp/main\"\n  include_ext = [\"go\", \"tpl\", \"tmpl\", \"html\", \"yaml\"]\n  delay = 100\n",
        ),
    ]);
    let dir = repo.path().join("vm");
    // Real go: the missing pattern empties the package's EmbedFiles.
    let listed = std::process::Command::new("go")
        .args([
            "list",
            "-e",
            "-f",
            "{{.EmbedFiles}} {{.Error}}",
            "./lib/system",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        listed.starts_with("[] ") && listed.contains("no matching files found"),
        "{listed}"
    );
    let c = run(&dir);
    let f = finding(&c, "unwatched-embeds");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(
        f["evidence"]["files"],
        serde_json::json!(["lib/system/init/init.sh"])
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("(lib/system/wrapper.go:5)") && message.contains("add \"sh\""),
        "{message}"
    );
    // Real air, once make has built the binary: a save of the script never rebuilds.
    std::fs::create_dir_all(dir.join("lib/system/agent")).unwrap();
    std::fs::write(dir.join("lib/system/agent/agent-bin"), "\x7fELF").unwrap();
    let (builds, log) = air_builds_after_saving(&dir, "lib/system/init/init.sh");
    assert!(log.contains("running..."), "{log}");
    assert_eq!(builds, 1, "{log}");
}

/// co2-lab/polvo, jmetzg11/farmsville, lnorton89/classg, PiluVitu/PiluVitu-Dev: a package
/// main imports embeds prompts, JSON, SQL or JS with //go:embed, and include_ext lacks
/// their extensions: air drops a save of them, so the running app keeps the old copy. Real
/// air v1.67.4 shows it (one build, none after the save) and rebuilds once the extensions are
/// in include_ext, when the finding is gone. The files are go's own (`go list` EmbedFiles: a
/// folder's `_draft.md` is not embedded; `.theme`, named, is, and air's extension of it is
/// "theme"); one in a folder exclude_dir skips is named too. Not named: an empty placeholder,
/// and a schema generated code embeds (gqlgen: editing it means regenerating Go code).
#[test]
fn embedded_files_air_does_not_react_to_are_a_warning() {
    if !which_go() {
        return;
    }
    let config = |ext: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api\"\n  bin = \"./tmp/main\"\n  include_ext = [{ext}]\n  exclude_dir = [\"tmp\", \"internal/content/static\"]\n  stop_on_error = true\n")
    };
    let repo = repository_with(&[
        ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
        (
            "app/cmd/api/main.go",
            "package main\n\nimport (\n\t\"time\"\n\n\t\"example.com/app/internal/content\"\n\t\"example.com/app/internal/gen\"\n)\n\nfunc main() {\n\t_ = content.Guides\n\t_ = gen.Schema\n\ttime.Sleep(time.Hour)\n}\n",
        ),
        (
            "app/internal/content/content.go",
            "package content\n\nimport \"embed\"\n\n//go:embed guides data.json .theme\nvar Guides embed.FS\n\n//go:embed static\nvar Static embed.FS\n\n//go:embed dist\nvar Dist embed.FS\n",
        ),
        ("app/internal/content/guides/a.md", "# a\n"),
        ("app/internal/content/guides/logo.png", "\u{89}PNG\n"),
        ("app/internal/content/dist/index.js", "1;\n"),
        ("app/internal/content/guides/_draft.md", "# draft\n"),
        ("app/internal/content/guides/empty.md", ""),
        (
            "app/internal/gen/gen.go",
            "// Code generated by gqlgen, DO NOT EDIT.\n\npackage gen\n\nimport _ \"embed\"\n\n//go:embed schema.graphqls\nvar Schema string\n",
        ),
        ("app/internal/gen/schema.graphqls", "type Query { a: Int }\n"),
        ("app/internal/content/data.json", "{}\n"),
        ("app/internal/content/.theme", "dark\n"),
        ("app/internal/content/static/app.js", "1;\n"),
        ("app/.air.toml", &config("\"go\"")),
    ]);
    let dir = repo.path().join("app");
    let c = run(&dir);
    let hits: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unwatched-embeds")
        .collect();
    assert_eq!(hits.len(), 2, "{c:#}");
    let by_ext = hits
        .iter()
        .find(|f| f["evidence"]["key"] == "build.include_ext")
        .unwrap();
    assert_at(by_ext, "warn", 7);
    let message = by_ext["message"].as_str().unwrap();
    assert!(
        message.contains("internal/content/data.json, internal/content/guides/a.md")
            && message.contains("internal/content/content.go:5")
            && message.contains("add \"json\", \"md\", \"theme\" to include_ext")
            && !message.contains("_draft.md")
            && !message.contains("empty.md")
            && !message.contains("schema.graphqls")
            && !message.contains("app.js")
            && !message.contains("logo.png")
            && !message.contains("index.js"),
        "{message}"
    );
    assert!(
        by_ext["fix"]["summary"]
            .as_str()
            .unwrap()
            .contains("add json, md, theme to include_ext"),
        "{by_ext:#}"
    );
    let by_folder = hits
        .iter()
        .find(|f| f["evidence"]["key"] == "build.exclude_dir")
        .unwrap();
    assert_at(by_folder, "warn", 8);
    let message = by_folder["message"].as_str().unwrap();
    assert!(
        message.contains("internal/content/static/app.js")
            && message.contains("\"internal/content/static\""),
        "{message}"
    );
    // Real air: saving the embedded guide never rebuilds.
    let (builds, log) = air_builds_after_saving(&dir, "internal/content/guides/a.md");
    assert_eq!(builds, 1, "{log}");
    // With md and json in include_ext, it does, and only the excluded folder is left.
    std::fs::write(
        dir.join(".air.toml"),
        config("\"go\", \"md\", \"json\", \"theme\""),
    )
    .unwrap();
    let c = run(&dir);
    let left: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unwatched-embeds")
        .collect();
    assert_eq!(left.len(), 1, "{c:#}");
    assert_eq!(left[0]["evidence"]["key"], "build.exclude_dir", "{c:#}");
    let (builds, log) = air_builds_after_saving(&dir, "internal/content/guides/a.md");
    assert_eq!(builds, 2, "{log}");
    // Left with only images and a frontend build's output (dist/), which no one saves
    // from an editor: a note.
    std::fs::remove_file(dir.join("internal/content/static/app.js")).unwrap();
    std::fs::write(
        dir.join("internal/content/static/favicon.ico"),
        "\0\0\x01\0",
    )
    .unwrap();
    let c = run(&dir);
    let left: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unwatched-embeds")
        .collect();
    assert_eq!(left.len(), 2, "{c:#}");
    assert!(left.iter().all(|f| f["severity"] == "info"), "{c:#}");
    let messages = format!("{} {}", left[0]["message"], left[1]["message"]);
    assert!(
        messages.contains("logo.png")
            && messages.contains("dist/index.js")
            && messages.contains("static/favicon.ico")
            && messages.contains("a build rather than a save"),
        "{messages}"
    );
}

/// Doer-org/hack-camp_vol5_2022's shape: server/Dockerfile on golang:1.17.0-alpine copies the
/// module in and runs `RUN go get github.com/cosmtrek/air` (no version, no -u), compose
/// builds it and runs `air -c .air.toml`. In module mode a bare `go get` of a module not yet
/// required is `@upgrade`, the latest release, whose go.mod declares
/// github.com/air-verse/air: the image build stops there. In GOPATH mode
/// (`GO111MODULE=off`) go clones by git and reads no go.mod: not that error (it stops on the
/// default branch's code instead).
#[test]
fn a_bare_go_get_of_the_old_path_is_upgrade_and_stops_in_module_mode() {
    let dockerfile = |install: &str| {
        format!("FROM golang:1.17.0-alpine\n\nWORKDIR /go/src/app\nCOPY . .\n\n{install}\nRUN go mod download\n\nCMD [ \"air\", \"-c\", \".air.toml\" ]\n")
    };
    let dir = repository_with(&[
        (
            "docker-compose.yml",
            "services:\n  server:\n    build:\n      context: ./server\n      dockerfile: Dockerfile\n    volumes:\n      - ./server:/go/src/app\n",
        ),
        ("server/go.mod", "module example.com/server\n\ngo 1.17\n"),
        ("server/main.go", "package main\n\nfunc main() {}\n"),
        ("server/.air.toml", "root = \".\"\n"),
        (
            "server/Dockerfile",
            &dockerfile("RUN go get github.com/cosmtrek/air"),
        ),
    ]);
    let server = dir.path().join("server");
    let c = run(&server);
    let f = finding(&c, "air-install-fails");
    assert_at(f, "warn", 6);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("`go get github.com/cosmtrek/air` fails in module mode"),
        "{f:#}"
    );
    assert!(
        f["evidence"]["go_error"]
            .as_str()
            .unwrap()
            .contains("github.com/cosmtrek/air@upgrade (v1.52.3)"),
        "{f:#}"
    );
    std::fs::write(
        server.join("Dockerfile"),
        dockerfile("RUN GO111MODULE=off go get github.com/cosmtrek/air"),
    )
    .unwrap();
    // GOPATH mode: not that error, but the default branch Go 1.17 cannot compile
    // (`a_gopath_mode_go_get_of_air_builds_its_default_branch`).
    let c = run(&server);
    let f = finding(&c, "air-install-fails");
    let message = f["message"].as_str().unwrap();
    assert!(!message.contains("module declares its path"), "{f:#}");
    assert!(message.contains("default branch"), "{f:#}");
}

/// The claim with the real go, offline: a proxy made of the module cache (which holds
/// github.com/cosmtrek/air v1.52.3, its last tag) serves `go get github.com/cosmtrek/air`
/// (and `go get -u` of it) in a module; go resolves `@upgrade` to v1.52.3 and stops at its
/// module path.
#[test]
fn real_go_get_without_a_version_takes_the_renamed_release() {
    let Ok(go) = which::which("go") else {
        eprintln!("go not installed: not tried");
        return;
    };
    let home = std::env::var("HOME").unwrap_or_default();
    let cache = Path::new(&home).join("go/pkg/mod/cache/download");
    let list = cache.join("github.com/cosmtrek/air/@v/list");
    if !std::fs::read_to_string(&list).is_ok_and(|l| l.lines().any(|v| v == "v1.52.3")) {
        eprintln!("no cached github.com/cosmtrek/air v1.52.3: not tried");
        return;
    }
    for args in [
        &["get", "github.com/cosmtrek/air"][..],
        &["get", "-u", "github.com/cosmtrek/air"],
    ] {
        go_get_stops(&go, &cache, args);
    }
}

fn go_get_stops(go: &Path, cache: &Path, args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("go.mod"), "module example.com/app\n\ngo 1.17\n").unwrap();
    let o = std::process::Command::new(go)
        .args(args)
        .current_dir(p)
        .env("GOPROXY", format!("file://{}", cache.display()))
        .env("GOSUMDB", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-modcacherw")
        .env("GOMODCACHE", p.join("modcache"))
        .output()
        .unwrap();
    assert!(!o.status.success(), "{args:?}");
    // go breaks the line and indents it; the doctor quotes it on one line.
    let stderr = String::from_utf8_lossy(&o.stderr);
    let one_line = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        one_line.contains(reload_doctor_checks::reloaders::air::versions::RENAMED_GET_ERROR),
        "{stderr}"
    );
}

/// 13892349048/minitaskApproval and ryo-funaba/example-echo: compose (or a Makefile) starts
/// air in an image `FROM golang:1.21-alpine` whose go.mod says `go 1.23.0` (and `toolchain
/// go1.24.7`). The golang images set GOTOOLCHAIN=local, so every go command in the module
/// stops there, whatever air is installed: a warning naming the image, its Go, the go line
/// and the fix; and the pin offered for its `cosmtrek/air@latest` is for Go 1.23, not an
/// air for a Go that cannot build the module. Not for an image whose Go is new enough, with
/// GOTOOLCHAIN=auto, below Go 1.21 with a two-part go line (no minimum there; a three-part one
/// is: `an_image_before_go_1_21_cannot_read_a_three_part_go_line`), nor for a `toolchain`
/// line alone (no minimum either).
#[test]
fn an_image_whose_go_is_older_than_the_modules_go_line_warns() {
    let dir = repository_with(&[
        (
            "docker-compose.yml",
            "services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n    volumes:\n      - .:/app\n",
        ),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let p = dir.path();
    let write = |base: &str, install: &str, go_mod: &str| {
        std::fs::write(
            p.join("Dockerfile.dev"),
            format!("FROM {base} AS development\n\nWORKDIR /app\n\nRUN {install}\n\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\n\nCMD [\"air\", \"-c\", \".air.toml\"]\n"),
        )
        .unwrap();
        std::fs::write(p.join("go.mod"), go_mod).unwrap();
    };
    let go_mod = "module example.com/app\n\ngo 1.23.0\n\ntoolchain go1.24.7\n";
    let old_path = "go install github.com/cosmtrek/air@latest";
    write("golang:1.21-alpine", old_path, go_mod);
    let c = run(p);
    let f = finding(&c, "image-go-too-old");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(f["evidence"]["file"], "docker-compose.yml", "{f:#}");
    let message = f["message"].as_str().unwrap();
    for part in [
        "Dockerfile.dev's image (golang:1.21-alpine)",
        "Go 1.21",
        "go.mod:3: `go 1.23.0`",
        "go: go.mod requires go >= 1.23.0 (running go 1.21.N; GOTOOLCHAIN=local)",
        "golang:1.23 image or newer",
        "GOTOOLCHAIN=auto",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // The renamed install's fix is an air for the Go the module needs.
    let install = finding(&c, "air-install-fails");
    assert_eq!(
        install["evidence"]["install"], "go install github.com/air-verse/air@v1.61.7",
        "{install:#}"
    );
    // An air-verse install too new for the image: its pin is for Go 1.23 too.
    write(
        "golang:1.21-alpine",
        "go install github.com/air-verse/air@latest",
        go_mod,
    );
    let c = run(p);
    let stuck = finding(&c, "air-install-fails")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        stuck.contains("github.com/air-verse/air@v1.61.7") && !stuck.contains("v1.49.0"),
        "{stuck}"
    );
    finding(&c, "image-go-too-old");

    let toolchain_only = "module example.com/app\n\ngo 1.21\n\ntoolchain go1.24.7\n";
    for (base, install, go_mod) in [
        ("golang:1.23-alpine", old_path, go_mod),
        ("golang:1.24", old_path, go_mod),
        (
            "golang:1.20",
            old_path,
            "module example.com/app\n\ngo 1.23\n",
        ),
        ("golang:1.21-alpine", old_path, toolchain_only),
        ("ubuntu:24.04", old_path, go_mod),
    ] {
        write(base, install, go_mod);
        let c = run(p);
        assert!(
            !problems(&c).contains(&"image-go-too-old".to_string()),
            "{base} {go_mod}: {c:#}"
        );
    }
    std::fs::write(
        p.join("Dockerfile.dev"),
        "FROM golang:1.21-alpine\nENV GOTOOLCHAIN=auto\nWORKDIR /app\nCOPY . .\nCMD [\"air\"]\n",
    )
    .unwrap();
    std::fs::write(p.join("go.mod"), go_mod).unwrap();
    assert!(!problems(&run(p)).contains(&"image-go-too-old".to_string()));
}

/// The error the warning quotes, from the real go under GOTOOLCHAIN=local (go1.26.8 on a
/// go.mod saying `go 1.99.0`): `go build` and `go mod download` both stop with it; a
/// `toolchain` line newer than the running Go is no minimum.
#[test]
fn real_go_stops_every_command_at_a_newer_go_line_but_not_at_a_toolchain_line() {
    let Ok(go) = which::which("go") else {
        eprintln!("go not installed: not tried");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    let go_run = |args: &[&str]| {
        std::process::Command::new(&go)
            .args(args)
            .current_dir(p)
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .env("GOFLAGS", "")
            .output()
            .unwrap()
    };
    let version = String::from_utf8_lossy(&go_run(&["env", "GOVERSION"]).stdout)
        .trim()
        .trim_start_matches("go")
        .to_string();
    std::fs::write(
        p.join("go.mod"),
        "module example.com/app\n\ngo 1.99.0\n\ntoolchain go1.99.1\n",
    )
    .unwrap();
    for args in [
        &["build", "-o", "./tmp/main", "."][..],
        &["mod", "download"],
    ] {
        let o = go_run(args);
        assert!(!o.status.success(), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&o.stderr).trim(),
            format!("go: go.mod requires go >= 1.99.0 (running go {version}; GOTOOLCHAIN=local)"),
            "{args:?}"
        );
    }
    std::fs::write(
        p.join("go.mod"),
        "module example.com/app\n\ngo 1.20\n\ntoolchain go1.99.1\n",
    )
    .unwrap();
    let o = go_run(&["build", "-o", "./tmp/main", "."]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// gon-papa/momonga_blog: compose builds docker/go/Dockerfile with context `.`, whose
/// `COPY ../../src/.air.toml ../../src/go.mod ./` reaches above the context. COPY sources are
/// resolved inside the build context (BuildKit reads `..` at the context root as the root,
/// moby/buildkit#2131), never in the host folders above it: the copy is the context's
/// src/.air.toml, and the bind mount `./src:/go/src/` over WORKDIR shows the same file. It
/// was said to be missing, at /tmp/src/.air.toml (the context's grandparent's src/).
#[test]
fn a_copy_source_above_the_build_context_stays_inside_it() {
    let dir = repository_with(&[
        ("src/go.mod", "module example.com/app\n\ngo 1.23\n"),
        ("src/main.go", "package main\n\nfunc main() {}\n"),
        (
            "src/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build:\n      target: base\n      context: .\n      dockerfile: docker/go/Dockerfile\n    volumes:\n      - ./src:/go/src/\n",
        ),
        (
            "docker/go/Dockerfile",
            "FROM golang:1.26 as base\n\nWORKDIR /go/src\n\nCOPY ../../src/.air.toml ../../src/go.mod ./\nRUN go mod download\nRUN go install github.com/air-verse/air@latest\n\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
    ]);
    let c = run(&dir.path().join("src"));
    let found = problems(&c);
    assert!(
        !found.contains(&"launch-config-missing".to_string()),
        "{c:#}"
    );
    assert_eq!(c["evidence"]["launches"][0]["in_container"], true, "{c:#}");
}

/// A bind mount over a container folder hides what the image COPYed there: with
/// `./src:/go/src` mounted, `COPY docker/.air.toml /go/src/.air.toml` is not what air reads
/// in /go/src, the host's src/.air.toml is, and there is none: air stops.
#[test]
fn a_bind_mount_hides_the_images_copy_under_it() {
    let dir = repository_with(&[
        ("src/go.mod", "module example.com/app\n\ngo 1.23\n"),
        ("src/main.go", "package main\n\nfunc main() {}\n"),
        (
            "src/air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
        (
            "docker/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    volumes:\n      - ./src:/go/src\n",
        ),
        (
            "docker/Dockerfile",
            "FROM golang:1.26\nWORKDIR /go/src\nCOPY docker/.air.toml /go/src/.air.toml\nRUN go install github.com/air-verse/air@latest\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
    ]);
    let c = run(&dir.path().join("src"));
    let f = finding(&c, "launch-config-missing");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("which is not there (.air.toml)"), "{f:#}");
    assert!(!message.contains("docker/.air.toml"), "{f:#}");
}

/// parvez-ahammed/winners-crud: server/Dockerfile, which nothing builds, copies
/// `server/go.mod` and `server/` into /app: sources that exist only from the repository
/// root, so that is its build context, and /app holds server/ with its air.toml. It was read
/// with server/ as the context and said air.toml is "outside the folder the container runs
/// air in". Plain air there still never reads air.toml (its name is not .air.toml).
#[test]
fn a_dockerfile_alone_takes_the_context_its_copy_sources_name() {
    let dir = repository_with(&[
        ("server/go.mod", "module example.com/server\n\ngo 1.23\n"),
        ("server/main.go", "package main\n\nfunc main() {}\n"),
        (
            "server/air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  delay = 200\n",
        ),
        (
            "server/Dockerfile",
            "FROM golang:1.26-alpine AS builder\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\nCOPY server/go.mod server/go.sum ./\nRUN go mod tidy\nCOPY server/ /app/\nCMD [\"air\"]\n",
        ),
    ]);
    let c = run(&dir.path().join("server"));
    assert!(
        !findings(&c).iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("outside the folder")),
        "{c:#}"
    );
    assert_lacks(&c, "launch-runs-defaults");
    let f = finding(&c, "config-not-read");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("runs plain `air`, which never reads air.toml"),
        "{f:#}"
    );
}

/// parvez-ahammed/winners-crud (as first read): "air runs with its defaults there, not with
/// air.toml" was a warning while the note on air.toml said its settings differ from the
/// defaults only in the delay, so air behaves the same either way. A launcher running plain
/// air in another folder loses nothing then: a note, which no longer advises passing the file.
/// A config whose settings the defaults lack (another package built) keeps the warning.
#[test]
fn plain_air_elsewhere_is_a_note_when_the_config_is_the_defaults() {
    let files = |config: &'static str| {
        repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.23\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("web/main.go", "package main\n\nfunc main() {}\n"),
            ("air.toml", config),
            ("Makefile", "dev:\n\tcd web && air\n"),
        ])
    };
    let dir = files(
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  delay = 200\n",
    );
    let c = run(dir.path());
    let f = finding(&c, "launch-runs-defaults");
    assert_at(f, "info", 2);
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("the same either way"), "{f:#}");
    assert!(!message.contains("air -c"), "{f:#}");
    let dir = files("[build]\n  cmd = \"go build -o ./tmp/main ./web\"\n  bin = \"./tmp/main\"\n");
    let c = run(dir.path());
    assert_at(finding(&c, "launch-runs-defaults"), "warn", 2);
}

/// Hi-Ray/DragonCore: compose builds build/dev/echo/Dockerfile (golang:1.14), which downloads
/// air with `curl -fLo air https://git.io/linux_air`, the link to the binary air kept in its
/// repository's bin/ folder before v1.12.2. Air removed that folder in 2020 (air-verse/air#97,
/// #266) and the link answers 404, so `curl -f` stops the image build: a failing install,
/// at its line. The air that would run is then not known, so whether plain `air` reads
/// .air.conf (releases before v1.63.2 did) is a note, not a warning that v1.67 ignores it.
/// Without `-f`, curl saves the 404 page as `air`, which does not run.
#[test]
fn an_air_download_from_a_dead_link_is_a_failing_install() {
    let files = |download: &str| {
        repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.14\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            (
                ".air.conf",
                "[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"tmp/main\"\n",
            ),
            (
                "docker-compose.yml",
                "version: '3'\n\nservices:\n  api:\n    build: build/dev/echo\n    volumes:\n      - .:/app\n",
            ),
            (
                "build/dev/echo/Dockerfile",
                &format!("FROM golang:1.14\n\nWORKDIR /usr/local/bin\nRUN {download}\nRUN chmod +x air\n\nWORKDIR /app\n\nCMD [\"air\"]\n"),
            ),
        ])
    };
    let dir = files("curl -fLo air https://git.io/linux_air");
    let c = run(dir.path());
    let f = finding_in(&c, "air-install-fails", "build/dev/echo/Dockerfile");
    assert_at(f, "warn", 4);
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("answers 404"), "{f:#}");
    assert!(message.contains("image build stops there"), "{f:#}");
    assert!(message.contains("install.sh"), "{f:#}");
    let read = finding(&c, "config-not-read");
    assert_eq!(read["severity"], "info", "{read:#}");
    assert!(
        read["message"]
            .as_str()
            .unwrap()
            .contains("an air of an unknown release"),
        "{read:#}"
    );
    let dir =
        files("curl -Lo air https://raw.githubusercontent.com/cosmtrek/air/master/bin/linux/air");
    let c = run(dir.path());
    let f = finding_in(&c, "air-install-fails", "build/dev/echo/Dockerfile");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("saves the 404 page"),
        "{f:#}"
    );
}

/// guilherme096/score-savant: build.cmd runs `npm run build`, whose package.json script runs
/// tailwindcss, which package.json lists in devDependencies. Where an `npm install` filled
/// node_modules (an image `RUN npm install` that an anonymous `/app/node_modules` volume
/// keeps under the bind mount, or a node_modules folder on the host) npm finds it in
/// node_modules/.bin: no tool-not-found. Where nothing installs it, or the bind mount hides
/// the image's node_modules, it is still missing.
#[test]
fn a_package_json_script_finds_its_dependencies_in_node_modules() {
    let pkg = |tool: &str| {
        format!("{{\n  \"scripts\": {{\"build\": \"{tool} build -o static/app.css\"}},\n  \"devDependencies\": {{\"{tool}\": \"^3.4.3\"}}\n}}\n")
    };
    let host_pkg = pkg("rd-css-tool");
    let base = [
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("package.json", host_pkg.as_str()),
        (
            ".air.toml",
            "[build]\n  cmd = \"npm run build && go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
    ];
    // On the host: real npm runs the script from node_modules/.bin.
    let dir = project_with(&base);
    assert_eq!(missing_programs(&run(dir.path())), ["rd-css-tool"]);
    let bin = dir.path().join("node_modules/.bin");
    std::fs::create_dir_all(&bin).unwrap();
    let tool = bin.join("rd-css-tool");
    std::fs::write(&tool, "#!/bin/sh\necho rd-css-tool ran\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    if which::which("npm").is_ok() {
        let out = std::process::Command::new("npm")
            .args(["run", "build"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("rd-css-tool ran"),
            "{out:?}"
        );
    }
    assert!(missing_programs(&run(dir.path())).is_empty());

    // In a container: the image's `npm install`, kept by an anonymous volume.
    let image = |install: &str, volumes: &str| {
        let dockerfile = format!(
            "FROM golang:1.22.2-alpine3.19\nWORKDIR /app\nRUN apk add --no-cache npm\nRUN go install github.com/air-verse/air@v1.52.3\nCOPY package.json package-lock.json ./\n{install}COPY . .\n"
        );
        let compose = format!(
            "services:\n  app:\n    build: .\n    volumes:\n      - .:/app\n{volumes}    command: air\n"
        );
        let mut files: Vec<(String, String)> = base
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        // A program the image reader decides (it knows no image has rd-css-tool).
        files[2].1 = pkg("tailwindcss");
        files.push(("Dockerfile".into(), dockerfile));
        files.push(("docker-compose.yml".into(), compose));
        files.push(("package-lock.json".into(), "{}\n".into()));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let dir = project_with(&files);
        let c = run(dir.path());
        missing_programs(&c)
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let kept = "      - /app/node_modules\n";
    assert!(image("RUN npm install\n", kept).is_empty());
    assert!(image("RUN npm ci\n", kept).is_empty());
    assert_eq!(image("", kept), ["tailwindcss"], "nothing installs it");
    assert_eq!(
        image("RUN npm install\n", ""),
        ["tailwindcss"],
        "the bind mount hides the image's node_modules"
    );
}

/// NatanOih/URL-shortener---Go-React: `run_after_build = "chmod +x main"` beside `go build -o
/// main main.go`. air has no such key, but go build writes its output executable already
/// (checked with real go): nothing is lost, a note. `rm` of the binary is the same kind of
/// no-op. A chmod of another file, a mode that takes execute away, or a bin no go build
/// writes (a `cp` from elsewhere) keep the warning.
#[test]
fn an_unknown_key_that_only_makes_the_binary_executable_is_a_note() {
    let make = |cmd: &str, extra: &str| {
        project_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("run.sh", "#!/bin/sh\n"),
            (
                ".air.toml",
                &format!("[build]\n  cmd = \"{cmd}\"\n  bin = \"main\"\n  {extra}\n"),
            ),
        ])
    };
    let unknown = |c: &Value| -> Value {
        findings(c)
            .iter()
            .find(|f| {
                f["message"]
                    .as_str()
                    .unwrap()
                    .contains("run_after_build is not an air setting")
            })
            .cloned()
            .unwrap_or_else(|| panic!("{c:#}"))
    };
    let go_build = "go build -o main main.go";
    for (cmd, extra, severity) in [
        (go_build, "run_after_build = \"chmod +x main\"", "info"),
        (go_build, "run_after_build = \"chmod 755 ./main\"", "info"),
        (go_build, "run_after_build = \"rm -f main\"", "info"),
        (go_build, "run_after_build = \"chmod +x run.sh\"", "warn"),
        (go_build, "run_after_build = \"chmod -x main\"", "warn"),
        (
            go_build,
            "run_after_build = \"chmod +x main && ./run.sh\"",
            "warn",
        ),
        (
            "cp dist/app main",
            "run_after_build = \"chmod +x main\"",
            "warn",
        ),
    ] {
        let dir = make(cmd, extra);
        let f = unknown(&run(dir.path()));
        assert_eq!(f["severity"], severity, "{cmd} / {extra}: {f:#}");
    }
    // What go build writes is executable already.
    if which_go() {
        let dir = make(go_build, "");
        let out = std::process::Command::new("go")
            .args(["build", "-o", "main", "main.go"])
            .current_dir(dir.path())
            .env("GOFLAGS", "-mod=mod")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("main"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o100, 0o100, "{mode:o}");
    }
}

/// ralphferrara/complyage.com's api/air.toml: plain air never reads it, and its settings do
/// what air's defaults do: `-o tmp/main` is air's `-o ./tmp/main` (the same file), and
/// `follow_symlink = true` follows nothing where no watched folder holds a symlinked folder.
/// A note. Beside a symlinked folder, following it changes what air watches: a warning.
#[test]
fn an_unread_config_spelling_the_defaults_another_way_is_a_note() {
    let make = |link: bool| {
        let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
        for (path, text) in [
            ("go.mod", "module example.com/api\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("handlers/h.go", "package handlers\n"),
            (
                "air.toml",
                "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o tmp/main .\"\n  bin = \"tmp/main\"\n  include_ext = [\"go\"]\n  exclude_dir = [\"vendor\", \"tmp\", \"frontend\", \"node_modules\"]\n  exclude_file = []\n  exclude_regex = [\"_test.go\"]\n  follow_symlink = true\n\n[color]\n  main = \"yellow\"\n\n[log]\n  time = true\n",
            ),
        ] {
            let at = dir.path().join(path);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(at, text).unwrap();
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        // A folder outside the project, linked in: only following the link watches it.
        let outside = tempfile::Builder::new().prefix("shared").tempdir().unwrap();
        std::fs::write(outside.path().join("s.go"), "package shared\n").unwrap();
        if link {
            std::os::unix::fs::symlink(outside.path(), dir.path().join("shared")).unwrap();
        }
        (dir, outside)
    };
    let (dir, _outside) = make(false);
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(f["evidence"]["same_as_defaults"], true, "{f:#}");
    let (dir, _outside) = make(true);
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "warn", "{f:#}");
    // The link alone, not followed: the same as the defaults again.
    let toml = dir.path().join("air.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("  follow_symlink = true\n", "")).unwrap();
    let f = finding(&run(dir.path()), "config-not-read").clone();
    assert_eq!(f["severity"], "info", "{f:#}");
}

/// MoriKeigoYUZU/ST.todo-React: a `[watch]` table holding [build]'s keys (stop_on_error =
/// true, exclude_dir, kill_delay; include_dir = [] as air has it). air has no [watch]: the
/// warning names what it loses (not what matches air's own value) and says to move it to
/// [build], and the stop_on_error note points at the line air never reads rather than asking
/// the user to set what they did set.
#[test]
fn an_unknown_table_of_build_keys_says_what_is_lost_and_where_it_belongs() {
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"tmp/main\"\n\n[watch]\ninclude_dir = []\nexclude_dir = [\"test\"]\nstop_on_error = true\nsend_interrupt = false\nkill_delay = 500\n",
        ),
    ]);
    let c = run(dir.path());
    let table = findings(&c)
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("watch is not an air setting")
        })
        .unwrap_or_else(|| panic!("{c:#}"));
    assert_eq!(table["severity"], "warn");
    let m = table["message"].as_str().unwrap();
    for said in [
        "exclude_dir = [\"test\"]",
        "stop_on_error = true",
        "kill_delay = 500",
        "move them to [build]",
    ] {
        assert!(m.contains(said), "{said}: {m}");
    }
    for unsaid in ["include_dir", "send_interrupt"] {
        assert!(!m.contains(unsaid), "{unsaid}: {m}");
    }
    let stale = finding(&c, "stale-binary-after-error");
    let m = stale["message"].as_str().unwrap();
    assert!(
        m.contains("stop_on_error = true at .air.toml:8 is under [watch]")
            && m.contains("move it to [build]")
            && !m.contains("set stop_on_error = true"),
        "{m}"
    );
}

/// lodashventure/rabbitmq-example (hold-out 12): `[delay] duration = "2000ms"` is no air
/// table, but all it asks for is a wait (a table named for waiting, a duration under it),
/// with `[build] delay = 1000` set: at most air debounces 1 s instead of 2 s. A note, like a
/// `*_delay` key. What is not a wait under that name stays a warning.
#[test]
fn an_unknown_table_that_asks_only_for_a_wait_is_a_note() {
    let config = |extra: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main main.go\"\nbin = \"tmp/main\"\ndelay = 1000\n\n{extra}")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", &config("[delay]\nduration = \"2000ms\"\n")),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "unknown-key");
    assert_at(f, "info", 9);
    let text = f["message"].as_str().unwrap();
    assert!(text.contains("only for a wait"), "{text}");
    assert_eq!(c["status"], "info", "{c:#}");

    // `debounce_ms = "300ms"` under another tool's name asks for a wait too.
    std::fs::write(
        dir.path().join(".air.toml"),
        config("[watch]\ndebounce_ms = \"300ms\"\n"),
    )
    .unwrap();
    let f = run(dir.path());
    let f = finding(&f, "unknown-key");
    assert_eq!(f["severity"], "info", "{f:#}");

    // A command under a wait's name is no wait: it is lost.
    std::fs::write(
        dir.path().join(".air.toml"),
        config("[delay]\nduration = \"2000ms\"\nafter = \"make assets\"\n"),
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "unknown-key");
    assert_eq!(f["severity"], "warn", "{f:#}");
}

/// Igrok95Ronin/toDoList-v-1 (hold-out 12): cmd/web/.air.toml writes `cmd = "go run
/// main.go"` at the top level, where air ignores it; [build] sets no cmd, so air builds with
/// its default `go build -o ./tmp/main .`, the same main package, to tmp/main, the bin air
/// starts (real go shows the default makes that file). A note with what air uses, fixed by
/// deleting the line (moving it would make air's build run the app). A written command that
/// differs in effect (flags, another package, another -o) keeps the warning.
#[test]
fn a_misplaced_cmd_air_default_does_the_same_for_is_a_note() {
    let config = |cmd: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\ncmd = \"{cmd}\"\n\n[build]\nbin = \"tmp/main\"\nfull_bin = \"tmp/main\"\ndelay = 1000\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/todo\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("other/main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", &config("go run main.go")),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "misplaced-key");
    assert_at(f, "info", 3);
    let text = f["message"].as_str().unwrap();
    assert!(text.contains("go build -o ./tmp/main ."), "{text}");
    assert!(text.contains("nothing is lost"), "{text}");
    assert_eq!(
        f["evidence"]["air_uses"], "go build -o ./tmp/main .",
        "{f:#}"
    );
    assert!(
        f["fix"].to_string().contains("comment out"),
        "the line goes, it is not moved: {f:#}"
    );
    // The same `go build` air would run as its default.
    for same in ["go build -o ./tmp/main .", "go build -o tmp/main main.go"] {
        std::fs::write(dir.path().join(".air.toml"), config(same)).unwrap();
        let c = run(dir.path());
        assert_eq!(
            finding(&c, "misplaced-key")["severity"],
            "info",
            "{same}: {c:#}"
        );
    }
    // Different in effect: a warning.
    for differs in [
        "go build -tags dev -o ./tmp/main .",
        "go build -o ./tmp/main ./other",
        "go build -o ./bin/app .",
        "go run ./other",
    ] {
        std::fs::write(dir.path().join(".air.toml"), config(differs)).unwrap();
        let c = run(dir.path());
        assert_eq!(
            finding(&c, "misplaced-key")["severity"],
            "warn",
            "{differs}: {c:#}"
        );
    }
    // Air's default build really writes the bin air starts here.
    if which_go() {
        let out = std::process::Command::new("go")
            .args(["build", "-o", "./tmp/main", "."])
            .current_dir(dir.path())
            .env("GOFLAGS", "-buildvcs=false")
            .env("GOPROXY", "off")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(dir.path().join("tmp/main").is_file());
    }
}

/// bartoszpiechnik25/ZTP (hold-out 12): backend/.air.toml, in a folder with no go.mod that no
/// launcher runs air in, is byte for byte backend/go/.air.toml, which backend/Makefile's `dev`
/// (`cd go && air -c .air.toml`) runs. Judged in backend/ it is a leftover copy: one note
/// naming the launched config, none of the warnings its paths would raise there. A copy
/// differing only in comments is the same; a config with other settings is judged.
#[test]
fn a_copy_of_a_launched_config_in_a_non_module_folder_is_a_note() {
    let config = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main ./cmd/api/main.go\"\nbin = \"./tmp/main\"\nstop_on_error = false\n";
    let dir = repository_with(&[
        ("backend/Makefile", "dev:\n\tcd go && air -c .air.toml\n"),
        ("backend/go/go.mod", "module example.com/ztp\n\ngo 1.22\n"),
        (
            "backend/go/cmd/api/main.go",
            "package main\n\nfunc main() {}\n",
        ),
        ("backend/go/.air.toml", config),
        ("backend/.air.toml", config),
    ]);
    let backend = dir.path().join("backend");
    let c = run(&backend);
    let f = finding(&c, "stray-config");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(findings(&c).len(), 1, "nothing else is judged: {c:#}");
    assert_eq!(f["evidence"]["launched"], "backend/go/.air.toml", "{f:#}");
    let text = f["message"].as_str().unwrap();
    assert!(text.contains("backend/Makefile"), "{text}");

    // Equal once parsed (comments, spacing).
    std::fs::write(
        backend.join(".air.toml"),
        format!("# a copy\n{}", config.replace("root = ", "root  =  ")),
    )
    .unwrap();
    let c = run(&backend);
    assert_eq!(finding(&c, "stray-config")["severity"], "info", "{c:#}");

    // Other settings: judged as before.
    std::fs::write(
        backend.join(".air.toml"),
        config.replace("./cmd/api/main.go", "./cmd/web/main.go"),
    )
    .unwrap();
    let c = run(&backend);
    assert_lacks(&c, "stray-config");
}

/// hue-n-gnk/csv-to-gitissue: a compose service builds packages/api/Dockerfile (golang:1.19,
/// `RUN go install github.com/cosmtrek/air@latest`) whose `CMD ["make", "run"]` runs the
/// Makefile's `run: air` in the container (the folder is mounted at its WORKDIR). The doctor
/// read that Makefile only on the host, so the image's install that stops its build was never
/// judged. A bare `make` runs the first target; a `make test` that starts no air says nothing.
#[test]
fn a_containers_make_target_that_runs_air_is_read_in_the_container() {
    let image = |cmd: &str| {
        format!("FROM golang:1.19\nWORKDIR /src/SVC\nRUN go install github.com/cosmtrek/air@latest\nCOPY . .\nCMD {cmd}\n")
    };
    let module = "module example.com/app\n\ngo 1.19\n";
    let main = "package main\n\nfunc main() {}\n";
    let config = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n";
    let api = image("[\"make\", \"run\"]").replace("SVC", "api");
    let worker = image("[\"air\"]").replace("SVC", "worker");
    let checks = image("[\"air\"]").replace("SVC", "checks");
    let dir = repository_with(&[
        ("api/go.mod", module),
        ("api/main.go", main),
        ("api/.air.toml", config),
        ("api/Dockerfile", &api),
        ("api/Makefile", ".PHONY: run test\ntest:\n\tgo test ./...\n\nrun:\n\tair\n"),
        ("worker/go.mod", module),
        ("worker/main.go", main),
        ("worker/.air.toml", config),
        ("worker/Dockerfile", &worker),
        ("worker/Makefile", "dev: tidy\n\tair -c .air.toml\ntidy:\n\tgo mod tidy\n"),
        ("checks/go.mod", module),
        ("checks/main.go", main),
        ("checks/.air.toml", config),
        ("checks/Dockerfile", &checks),
        ("checks/Makefile", "test:\n\tgo test ./...\nrun:\n\tair\n"),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build: ./api\n    volumes:\n      - ./api:/src/api\n  worker:\n    build: ./worker\n    command: make\n  checks:\n    build: ./checks\n    command: make test\n",
        ),
    ]);
    for (svc, line) in [("api", 3), ("worker", 3)] {
        let c = run(&dir.path().join(svc));
        let f = finding_in(&c, "air-install-fails", &format!("{svc}/Dockerfile"));
        assert_at(f, "warn", line);
        let message = f["message"].as_str().unwrap();
        assert!(
            message.contains("the image build stops there")
                && message.contains(&format!("{svc}/Makefile")),
            "{f:#}"
        );
    }
    // `make test` starts no air in the container; its Makefile's `run` runs on the host only.
    let c = run(&dir.path().join("checks"));
    assert_lacks(&c, "air-install-fails");
}

/// Dima-F/dream-job: README runs `air -c .air.debug.toml`, whose full_bin is `dlv exec
/// ./tmp/main ...`. air runs full_bin with `sh -c` after each build, so without dlv on PATH
/// the shell says "not found" and the app never starts (checked with real air). The doctor
/// never judged that config (no launcher names it, and `.air.toml` is beside it) and did not
/// check full_bin's program. A sibling config no README or launcher names stays unjudged.
#[test]
fn full_bin_program_missing_in_a_config_the_readme_runs_is_a_warning() {
    let missing = "no-such-debugger-h12";
    let debug = format!(
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  full_bin = \"{missing} exec ./tmp/main --headless -- \"\n"
    );
    let prod = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  full_bin = \"other-missing-h12 ./tmp/main\"\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n",
        ),
        (".air.debug.toml", &debug),
        (".air.prod.toml", prod),
        (
            "README.md",
            "# App\n\nRun `air`, or to debug:\n\n```bash\n> air -c .air.debug.toml\n```\n",
        ),
    ]);
    if which_go() {
        let said = air_with_until_the_app_exits(dir.path(), &["-c", ".air.debug.toml"]);
        assert!(
            said.contains(&format!("{missing}: not found")),
            "real air: {said}"
        );
    }
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["evidence"]["file"], ".air.debug.toml", "{f:#}");
    assert_at(f, "warn", 4);
    assert_eq!(f["evidence"]["program"], missing, "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("full_bin runs"),
        "{f:#}"
    );
    // The note on the unread file says who runs it: the README, not "no launcher".
    let note = findings(&c)
        .iter()
        .find(|f| {
            f["evidence"]["problem"] == "config-not-read"
                && f["message"].as_str().unwrap().contains(".air.debug.toml")
        })
        .unwrap();
    let message = note["message"].as_str().unwrap();
    assert!(
        message.contains("README runs `air -c .air.debug.toml`")
            && !message.contains("no launcher names it"),
        "{message}"
    );
    assert!(
        !findings(&c).iter().any(|f| f["message"]
            .as_str()
            .unwrap_or("")
            .contains(".air.prod.toml")),
        "{c:#}"
    );
    // A Windows path (`tmp\server.exe`) is windows-only-config's, not a program to find.
    let windows = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/server.exe .\"\n  full_bin = \"tmp\\\\server.exe\"\n",
        ),
    ]);
    let c = run(windows.path());
    assert_lacks(&c, "tool-not-found");
}

/// Adamsonbor/proxyfinder: a Makefile target runs `air -c .air-api.toml` on the host, and a
/// compose service runs the same target in its container (`sh -c "cd /app && make
/// up-api-dev"`). The note that the launcher reads another file than .air.toml is one line,
/// said once, not once per place the target runs.
#[test]
fn a_make_target_run_on_the_host_and_in_a_container_is_noted_once() {
    let config = "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n";
    let dir = repository_with(&[
        ("server/go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("server/main.go", "package main\n\nfunc main() {}\n"),
        ("server/.air.toml", config),
        ("server/.air-api.toml", config),
        ("server/Makefile", ".PHONY: up-api-dev\nup-api-dev:\n\tair -c .air-api.toml\n"),
        (
            "docker-compose.yml",
            "services:\n  api:\n    image: golang:1.22\n    command: sh -c \"cd /app && make up-api-dev\"\n    volumes:\n      - ./server:/app\n",
        ),
    ]);
    let c = run(&dir.path().join("server"));
    let f = finding(&c, "other-config-launched");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("server/Makefile:3:"),
        "{f:#}"
    );
}

/// Daichi0914/task_estimate_app: the `backend_dev`, `backend_test` and `backend_prod` compose
/// services build one Dockerfile whose golang:1.24 cannot install air@latest: one image, one
/// build that stops, so one warning naming the three (three were said before). A service
/// building another Dockerfile keeps its own.
#[test]
fn services_building_one_image_share_one_install_warning() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("backend")).unwrap();
    let service = |name: &str, file: &str| {
        format!("  {name}:\n    build:\n      context: ./backend\n      dockerfile: {file}\n    volumes:\n      - ./backend:/app\n")
    };
    std::fs::write(
        p.join("docker-compose.yml"),
        format!(
            "services:\n{}{}{}{}",
            service("backend_dev", "Dockerfile"),
            service("backend_test", "Dockerfile"),
            service("backend_prod", "Dockerfile"),
            service("worker", "Dockerfile.worker"),
        ),
    )
    .unwrap();
    std::fs::write(p.join("backend/go.mod"), "module backend\n\ngo 1.24\n").unwrap();
    std::fs::write(
        p.join("backend/main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    std::fs::write(
        p.join("backend/.air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
    )
    .unwrap();
    for file in ["Dockerfile", "Dockerfile.worker"] {
        std::fs::write(
            p.join("backend").join(file),
            "FROM golang:1.24-alpine\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\nCMD [\"air\"]\n",
        )
        .unwrap();
    }
    let c = run(&p.join("backend"));
    let stuck: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    assert_eq!(stuck.len(), 2, "{c:#}");
    let shared = stuck[0]["message"].as_str().unwrap();
    assert!(
        shared.contains(
            "(the `backend_dev`, `backend_test`, `backend_prod` services, which build the same image)"
        ),
        "{shared}"
    );
    let own = stuck[1]["message"].as_str().unwrap();
    assert!(own.contains("(the `worker` service)"), "{own}");
}

/// c88lopez/micro-go-scrapper: root = "/go/src" in a service whose Dockerfile works in
/// /go/src/app, where compose mounts the service's folder. /go/src is the image's folder above
/// the mount: it exists where air runs (a note, no "root-missing" warning). A root that is
/// neither above air's folder nor above a mount is still one that may not exist there.
#[test]
fn a_container_folder_above_the_mount_is_a_root_that_exists_there() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    let svc = p.join("services/showcase");
    std::fs::create_dir_all(&svc).unwrap();
    std::fs::write(
        p.join("docker-compose.yml"),
        "services:\n  showcase:\n    build:\n      context: .\n      dockerfile: DockerfileShowcase\n    volumes:\n      - ./services/showcase:/go/src/app\n",
    )
    .unwrap();
    std::fs::write(
        p.join("DockerfileShowcase"),
        "FROM golang:1.22\nWORKDIR /go/src\nCOPY go.mod ./\nRUN go install github.com/air-verse/air@v1.52.3\nCOPY services/showcase app\nWORKDIR /go/src/app\nCMD [\"air\"]\n",
    )
    .unwrap();
    std::fs::write(p.join("go.mod"), "module scrapper\n\ngo 1.22\n").unwrap();
    std::fs::write(svc.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    let config = |root: &str| {
        std::fs::write(
            svc.join(".air.toml"),
            format!("root = \"{root}\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  include_dir = [\"app\"]\n"),
        )
        .unwrap();
    };
    config("/go/src");
    let c = run(&svc);
    let f = finding(&c, "root-missing");
    assert_eq!(f["severity"], "info", "{c:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("services/showcase at /go/src/app"),
        "{f:#}"
    );
    config("/srv/elsewhere");
    let c = run(&svc);
    assert_eq!(finding(&c, "root-missing")["severity"], "warn", "{c:#}");
}

/// alexbkl/hello-back and LucasBelusso1/pdf_manager: `.air.toml` is each developer's copy
/// (.gitignore lists it) of the committed `.air.example.toml`. A launcher's `air -c .air.toml`
/// (a Makefile target, a compose service on `./:/app`) or plain `air` reads the copy: one
/// warning that says to make it (not a fail per launcher), and the template is judged as the
/// config those launchers run (its own findings, no "plain air never reads it").
#[test]
fn a_gitignored_config_copied_from_a_committed_template() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("cmd")).unwrap();
    std::fs::create_dir_all(p.join("docker")).unwrap();
    std::fs::write(p.join("go.mod"), "module hello\n\ngo 1.22\n").unwrap();
    std::fs::write(p.join("cmd/main.go"), "package main\n\nfunc main() {}\n").unwrap();
    std::fs::write(p.join(".gitignore"), "*.exe\n\n.env\n.air.toml\n").unwrap();
    std::fs::write(
        p.join(".air.example.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main ./cmd\"\n  bin = \"./tmp/main\"\n  full_bin = \"no-such-debugger exec ./tmp/main\"\n",
    )
    .unwrap();
    std::fs::write(
        p.join("Makefile"),
        "run:\n\tgo run cmd/main.go\ndev:\n\tair -c .air.toml\n",
    )
    .unwrap();
    std::fs::write(
        p.join("compose.dev.yml"),
        "services:\n  backend:\n    build:\n      context: ./\n      dockerfile: docker/Dockerfile.dev\n    volumes:\n      - ./:/app\n",
    )
    .unwrap();
    std::fs::write(
        p.join("docker/Dockerfile.dev"),
        "FROM golang:1.26\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
    )
    .unwrap();
    let c = run(p);
    assert_ne!(c["status"], "fail", "{c:#}");
    let copy: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "launch-config-missing")
        .collect();
    assert_eq!(copy.len(), 1, "{c:#}");
    assert_eq!(copy[0]["severity"], "warn", "{c:#}");
    let message = copy[0]["message"].as_str().unwrap();
    for part in [
        "`air -c .air.toml`",
        "(.gitignore:4 keeps it out of git)",
        "`cp .air.example.toml .air.toml`",
        "air stops",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // The template's own settings are judged where the launchers run the copy.
    assert!(
        problems(&c).contains(&"tool-not-found".to_string()),
        "{c:#}"
    );
    assert!(findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "config-not-read")
        .all(|f| f["severity"] == "info"));

    // Plain `air` (a script) reads .air.toml too; without it air runs its defaults, whose
    // build has no Go files at the root.
    std::fs::remove_file(p.join("compose.dev.yml")).unwrap();
    std::fs::write(p.join("Makefile"), "dev:\n\t./scripts/run_dev.sh\n").unwrap();
    std::fs::create_dir_all(p.join("scripts")).unwrap();
    std::fs::write(p.join("scripts/run_dev.sh"), "#!/bin/bash\nair\n").unwrap();
    let c = run(p);
    assert_ne!(c["status"], "fail", "{c:#}");
    let f = finding(&c, "launch-config-missing");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("runs plain `air`, which reads .air.toml"),
        "{message}"
    );
    assert!(message.contains("air runs its defaults"), "{message}");
    assert!(message.contains("no Go files"), "{message}");
}

/// ifeanyidike/cenphi: docker-compose.dev.yaml (used as `-f docker-compose.yaml -f
/// docker-compose.dev.yaml`) names the base's Dockerfile and command again: merged, it runs
/// what the base alone runs, so it is one launch, said once at the base's line. A dev file
/// that changes what runs (another config) is its own launch.
#[test]
fn a_second_compose_file_that_changes_nothing_is_the_same_launch() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    let api = p.join("api-server");
    std::fs::create_dir_all(&api).unwrap();
    std::fs::write(api.join("go.mod"), "module api\n\ngo 1.23\n").unwrap();
    std::fs::write(api.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    std::fs::write(
        api.join(".air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
    )
    .unwrap();
    std::fs::write(
        api.join(".air.dev.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  delay = 500\n",
    )
    .unwrap();
    std::fs::write(
        api.join("Dockerfile.dev"),
        "FROM golang:1.23.2-alpine\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
    )
    .unwrap();
    std::fs::write(
        p.join("docker-compose.yaml"),
        "services:\n  api-server:\n    build:\n      context: ./api-server\n      dockerfile: Dockerfile.dev\n    volumes:\n      - ./api-server:/src\n    command: [\"air\", \"-c\", \".air.toml\"]\n",
    )
    .unwrap();
    let dev = |config: &str| {
        std::fs::write(
            p.join("docker-compose.dev.yaml"),
            format!("services:\n  api-server:\n    build:\n      dockerfile: Dockerfile.dev\n    command: [\"air\", \"-c\", \"{config}\"]\n"),
        )
        .unwrap();
    };
    let said_at = |c: &Value, problem: &str| -> Vec<String> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == problem)
            .map(|f| {
                f["message"]
                    .as_str()
                    .unwrap()
                    .split(':')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    dev(".air.toml");
    let c = run(&api);
    assert_eq!(
        said_at(&c, "source-not-mounted"),
        ["docker-compose.yaml"],
        "{c:#}"
    );
    assert_eq!(
        said_at(&c, "air-install-fails"),
        ["docker-compose.yaml"],
        "{c:#}"
    );
    dev(".air.dev.toml");
    let c = run(&api);
    let dev_launch = c["evidence"]["also"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["file"] == ".air.dev.toml")
        .flat_map(|a| a["launches"].as_array().unwrap())
        .any(|l| l["file"] == "docker-compose.dev.yaml");
    assert!(dev_launch, "{c:#}");
}

/// Satariman/FoodSea-Backend services/core: exclude_dir "docs" hides swag's generated
/// docs/swagger/docs.go and a hand-written doc.go that only holds the package comment. Saving
/// that file changes nothing go compiles: the folder is generated code only (a note, as for
/// the sibling service without doc.go). A hand-written file that declares something is lost.
#[test]
fn a_package_comment_file_beside_generated_code_loses_nothing() {
    if !which_go() {
        return;
    }
    let generated = "// Package swagger Code generated by swaggo/swag. DO NOT EDIT\npackage swagger\n\nvar SwaggerInfo = 1\n";
    let dir = project_with(&[
        ("go.mod", "module example.com/core\n\ngo 1.21\n"),
        ("docs/swagger/docs.go", generated),
        (
            "docs/swagger/doc.go",
            "// Package swagger contains auto-generated Swagger documentation.\n// Run `swag init -o docs/swagger` to regenerate.\npackage swagger\n",
        ),
        (
            "main.go",
            "package main\n\nimport \"example.com/core/docs/swagger\"\n\nfunc main() { _ = swagger.SwaggerInfo }\n",
        ),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  exclude_dir = [\"tmp\", \"docs\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "hides-imported-package");
    assert_eq!(f["severity"], "info", "{f:#}");
    std::fs::write(
        dir.path().join("docs/swagger/doc.go"),
        "// Package swagger.\npackage swagger\n\nconst Title = \"core\"\n",
    )
    .unwrap();
    let c = run(dir.path());
    assert_eq!(
        finding(&c, "hides-imported-package")["severity"],
        "warn",
        "{c:#}"
    );
}

/// IkotikI/tg-vpn-bot's cmd: `make -j3 admin-prepare & go build ...`. air runs cmd with
/// `sh -c`, where `&` sends the generator to the background: the line's exit status is go
/// build's, so a generator whose program is missing does not fail the build (it fails on its
/// own, its output stays stale), and go build does not wait for it (it races the generator).
/// Joined with `&&`, the missing program fails every build and nothing races.
#[test]
fn a_step_sent_to_the_background_neither_fails_the_build_nor_is_waited_for() {
    // Real sh: the exit status of `a & b` is b's, whatever a does.
    let sh = |line: &str| {
        std::process::Command::new("sh")
            .args(["-c", line])
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .code()
    };
    assert_eq!(sh("false & true"), Some(0));
    assert_eq!(sh("rd-no-such-gen -o gen.txt & true"), Some(0));
    assert_eq!(sh("rd-no-such-gen -o gen.txt && true"), Some(127));
    let config = |joint: &str| {
        format!("[build]\n  cmd = \"rd-no-such-gen -o web/app.css {joint} go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n")
    };
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        (
            "main.go",
            "package main\n\nimport \"time\"\n\nfunc main() { time.Sleep(time.Hour) }\n",
        ),
        ("web/app.css", "a{}\n"),
        (".air.toml", &config("&")),
    ]);
    if which_go() {
        // Real air: the build succeeds and the app runs, the missing generator aside.
        let (_, log) = air_builds_after_saving(dir.path(), "main.go");
        assert!(
            log.contains("running...") && !log.contains("failed to build"),
            "{log}"
        );
    }
    let c = run(dir.path());
    let missing = finding(&c, "tool-not-found");
    assert_at(missing, "warn", 2);
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("rd-no-such-gen")
            && message.contains("in the background")
            && !message.contains("every build fails"),
        "{message}"
    );
    let race = finding(&c, "backgrounded-generator");
    assert_at(race, "warn", 2);
    let message = race["message"].as_str().unwrap();
    assert!(
        message.contains("sends `rd-no-such-gen -o web/app.css` to the background")
            && message.contains("races it")
            && message.contains("`rd-no-such-gen -o web/app.css && go build -o ./tmp/main .`"),
        "{message}"
    );
    std::fs::write(dir.path().join(".air.toml"), config("&&")).unwrap();
    let c = run(dir.path());
    let message = finding(&c, "tool-not-found")["message"].as_str().unwrap();
    assert!(message.contains("every build fails"), "{message}");
    // After `;` or on the left of `||` the line exits with what follows (real sh), so a
    // missing generator does not fail the build either; it is not a race (go build waits).
    assert_eq!(sh("rd-no-such-gen -o gen.txt ; true"), Some(0));
    assert_eq!(sh("rd-no-such-gen -o gen.txt || true"), Some(0));
    for joint in [";", "||"] {
        std::fs::write(dir.path().join(".air.toml"), config(joint)).unwrap();
        let c = run(dir.path());
        let message = finding(&c, "tool-not-found")["message"].as_str().unwrap();
        assert!(
            message.contains("its exit status is not its line's")
                && !message.contains("every build fails"),
            "{joint}: {message}"
        );
        assert_lacks(&c, "backgrounded-generator");
    }
    std::fs::write(dir.path().join(".air.toml"), config("&&")).unwrap();
    assert_lacks(&c, "backgrounded-generator");
    // A watcher sent to the background is run beside the build on purpose: not a race.
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  cmd = \"npx tailwindcss -i in.css -o web/app.css --watch & go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
    )
    .unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "backgrounded-generator");
}

/// IkotikI/tg-vpn-bot's admin panel: the package embeds public/dest/js/*.js, which tsc
/// writes (tsconfig.json `outDir: ./public/dest/js`) when the build's `make admin-prepare`
/// runs `cd web && $(MAKE) typescript` -> `npm run tsc`. They are the build's own output,
/// rewritten each build from the .ts sources air watches: advising "js" for include_ext
/// would start a build after every build. A note says they are the build's output.
#[test]
fn embedded_files_the_builds_tsc_writes_are_not_advised_into_include_ext() {
    if !which_go() {
        return;
    }
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        (
            "main.go",
            "package main\n\nimport _ \"example.com/app/web\"\n\nfunc main() {}\n",
        ),
        (
            "web/web.go",
            "package web\n\nimport \"embed\"\n\n//go:embed public/*\nvar Files embed.FS\n",
        ),
        ("web/public/dest/js/index.js", "console.log(1);\n"),
        ("web/views/index.ts", "console.log(1);\n"),
        (
            "web/tsconfig.json",
            "{\n  \"compilerOptions\": {\n    \"outDir\": \"./public/dest/js\", // compiled JS\n    \"rootDir\": \"./views\",\n  },\n}\n",
        ),
        (
            "web/package.json",
            "{\"scripts\": {\"tsc\": \"tsc\"}, \"devDependencies\": {\"typescript\": \"^5.7.3\"}}\n",
        ),
        ("web/Makefile", "typescript:\n\tnpm run tsc\n"),
        ("Makefile", "prepare:\n\t@cd web/ && $(MAKE) typescript\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"make prepare && go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  include_ext = [\"go\", \"ts\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let hits: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "unwatched-embeds")
        .collect();
    assert_eq!(hits.len(), 1, "{c:#}");
    assert_eq!(hits[0]["severity"], "info", "{c:#}");
    let message = hits[0]["message"].as_str().unwrap();
    assert!(
        message.contains("web/public/dest/js/index.js")
            && message.contains("the build writes it itself")
            && !message.contains("to include_ext"),
        "{message}"
    );
    // Without the build step that runs tsc, the same files are someone's edits: the warning.
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  include_ext = [\"go\", \"ts\"]\n",
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "unwatched-embeds");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("add \"js\" to include_ext"),
        "{f:#}"
    );
}

/// Dzhodddi/ZLAGODA's shape: another service's `command: [` flow list closes at its key's
/// column (go-yaml, which compose uses, reads it); the `go-server` service builds the `dev`
/// stage of go-server/deployment/Dockerfile from a repository-root context, mounts
/// ./go-server at the stage's WORKDIR and runs `sh -c "swag init ... && air"`. The stage's
/// golang:1.25.5 cannot build air v1.67.4, so the image build stops.
#[test]
fn a_compose_file_with_a_flow_list_closed_at_its_key_column_is_read() {
    let dir = tempfile::Builder::new().prefix("app").tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join(".git")).unwrap();
    std::fs::create_dir_all(p.join("go-server/deployment")).unwrap();
    std::fs::create_dir_all(p.join("go-server/cmd/api")).unwrap();
    std::fs::write(
        p.join("docker-compose.yml"),
        "services:\n  migrate-db:\n    image: migrate/migrate\n    command: [\n      \"-path\", \"/migrations\",\n      \"-database\", \"postgresql://db:5432/x\", \"up\"\n    ]\n\n  go-server:\n    build:\n      context: .\n      dockerfile: go-server/deployment/Dockerfile\n      target: dev\n    volumes:\n      - ./go-server:/app/go-server\n",
    )
    .unwrap();
    std::fs::write(
        p.join("go-server/deployment/Dockerfile"),
        "FROM golang:1.25.5-bookworm AS base\nWORKDIR /app\nCOPY go-server/go.mod ./go-server/\nWORKDIR /app/go-server\nRUN go mod download\n\nFROM base AS dev\nRUN go install github.com/air-verse/air@latest\nCOPY go-server /app/go-server\nCMD [\"sh\", \"-c\", \"swag init -g internal/server/server.go && air\"]\n\nFROM base AS prod\nCOPY go-server /app/go-server\nCMD [\"./server\"]\n",
    )
    .unwrap();
    std::fs::write(p.join("go-server/go.mod"), "module srv\n\ngo 1.25\n").unwrap();
    std::fs::write(
        p.join("go-server/cmd/api/main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    std::fs::write(
        p.join("go-server/.air.toml"),
        "root = \".\"\n[build]\ncmd = \"go build -o ./tmp/main ./cmd/api\"\nentrypoint = [\"./tmp/main\"]\n",
    )
    .unwrap();
    let c = run(&p.join("go-server"));
    let f = finding(&c, "air-install-fails");
    assert_at(f, "warn", 9);
    let message = f["message"].as_str().unwrap();
    for part in [
        "`go-server` service",
        "golang:1.25.5-bookworm",
        "Go 1.25 cannot build air v1.67.4",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
}

/// oarkflow/search: an `install:` target's `$(shell go install github.com/cosmtrek/air@latest)`
/// (make runs it with sh and ignores how it exits: real make, below, reports success); and
/// adamveld12/tai: the `check-watch` recipe, when air is missing, echoes the hint
/// `go install github.com/cosmtrek/air@latest`, on a `\` continuation line of its `if`. Each
/// is said at its own line; a pinned old release in a hint is no failing install.
#[test]
fn makefile_shell_functions_and_echoed_hints_install_the_old_path() {
    // The claim, from real make: a failing `$(shell ...)` in a recipe, or outside one, stops
    // nothing and make exits 0.
    if which::which("make").is_ok() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("Makefile"),
            "X := $(shell sh -c 'exit 3')\ninstall:\n\t$(shell sh -c 'echo failed >&2; exit 1')\n\t@echo after\n",
        )
        .unwrap();
        let out = std::process::Command::new("make")
            .arg("install")
            .current_dir(d.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("after"), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("failed"));
    }
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n",
        ),
        (
            "Makefile",
            "setup: install\n\ninstall:\n\t$(info Installing dependencies...)\n\t$(shell go install github.com/cosmtrek/air@latest)\n\t$(shell go mod tidy)\n\n.PHONY: watch\nwatch:\n\t@if command -v air >/dev/null 2>&1; then \\\n\t\tair -c .air.toml; \\\n\telse \\\n\t\techo \"Air not found. Install it with: go install github.com/cosmtrek/air@latest\"; \\\n\t\texit 1; \\\n\tfi\n\nold:\n\t@echo \"or: go install github.com/cosmtrek/air@v1.49.0\"\n",
        ),
    ]);
    let c = run(dir.path());
    let all: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    assert_eq!(all.len(), 2, "{c:#}");
    assert_at(all[0], "warn", 5);
    let shell = all[0]["message"].as_str().unwrap();
    for part in [
        "`go install github.com/cosmtrek/air@latest` (the `install` target)",
        "inside `$(shell ...)`, whose failure make ignores, so `make install` reports success",
    ] {
        assert!(shell.contains(part), "{part}: {shell}");
    }
    assert_at(all[1], "warn", 13);
    let hint = all[1]["message"].as_str().unwrap();
    for part in [
        "`go install github.com/cosmtrek/air@latest` (the install hint the `watch` target prints)",
        "whoever follows the hint gets no air",
        "`go install github.com/air-verse/air@latest`",
    ] {
        assert!(hint.contains(part), "{part}: {hint}");
    }
}

/// `cmd = "go build -o ./tmp/main $TEST"` (Plankiton/SexPistol, hold-out 13) with TEST set
/// nowhere: the shell drops the empty word and go builds `.`, here a library, so go writes a
/// package archive (real go below) that air cannot start ("Permission denied", exit 126, real
/// air below); exported, the same config runs the app. A warning naming the variable (the
/// user may export it); none when cmd sets it before go.
#[test]
fn a_build_whose_package_is_only_an_unset_variable_is_judged_as_building_the_folder() {
    if !which_go() {
        return;
    }
    let config = "[build]\n  cmd = \"go build -o ./tmp/main $TEST\"\n  bin = \"./tmp/main\"\n  exclude_dir = [\"tmp\"]\n";
    let dir = project_with(&[
        ("go.mod", "module example.com/sex\n\ngo 1.21\n"),
        ("sex.go", "package Sex\n\nconst Port = 8080\n"),
        (
            "tests/hello.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app started\") }\n",
        ),
        (".air.toml", config),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "unset-package-var");
    assert_at(f, "warn", 2);
    assert_eq!(f["evidence"]["variable"], "TEST", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("its package is Sex, not main") && msg.contains("Permission denied"),
        "{f:#}"
    );
    // Real go through sh, TEST unset: an ar archive, not a program.
    let built = std::process::Command::new("sh")
        .args(["-c", "go build -o ./lib.out $TEST"])
        .env_remove("TEST")
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(built.success());
    assert!(std::fs::read(dir.path().join("lib.out"))
        .unwrap()
        .starts_with(b"!<arch>"));
    // Real air: unset, its start fails; exported, the app runs.
    let said = air_in_env_until_the_app_exits(dir.path(), &[], &[("TEST", "")]);
    assert!(said.contains("Permission denied"), "{said}");
    assert!(said.contains("Exit with Code: 126"), "{said}");
    let said = air_in_env_until_the_app_exits(dir.path(), &[], &[("TEST", "./tests/hello.go")]);
    assert!(said.contains("app started"), "{said}");

    // An env file air loads before each build may set it: nothing said.
    std::fs::write(
        dir.path().join(".air.toml"),
        format!("env_files = [\".env\"]\n{config}"),
    )
    .unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "unset-package-var");

    // Set before go in cmd: nothing to say.
    std::fs::write(
        dir.path().join(".air.toml"),
        config.replace("go build", "TEST=./tests/hello.go go build"),
    )
    .unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "unset-package-var");
}

/// A go.mod `replace` of a required module by a folder that is not there
/// (nikolapavicevic-001/GoMicroserviceBoilerplate, hold-out 13: `=> ../../../CommonGo`, a
/// checkout beside the repository that no one made): real go stops every build of code that
/// imports it, with the message the finding quotes; air never starts the app: a fail on the
/// host when the folder belongs in the repository, a warning for a checkout beside it. With
/// the folder there, or a replace go does not use (no require), nothing is said.
#[test]
fn a_local_replace_of_an_imported_module_that_is_missing_fails_every_build() {
    if !which_go() {
        return;
    }
    let go_mod = "module example.com/svc\n\ngo 1.21\n\nrequire example.com/common v0.0.0\n\nreplace example.com/local/proto => ./proto\n\nreplace example.com/common => ../common\n";
    let dir = project_with(&[
        ("svc/go.mod", go_mod),
        (
            "svc/main.go",
            "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/common/greet\"\n)\n\nfunc main() { fmt.Println(greet.Hello) }\n",
        ),
        (
            "svc/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  exclude_dir = [\"tmp\"]\n",
        ),
    ]);
    let svc = dir.path().join("svc");
    // A checkout beside the repository (svc/ is one, ../common is outside it): its
    // developers may have it, a fresh clone does not: a warning that says so.
    std::fs::create_dir_all(svc.join(".git")).unwrap();
    let c = run(&svc);
    let f = finding(&c, "replace-missing");
    assert_at(f, "warn", 9);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("outside this repository"),
        "{f:#}"
    );
    std::fs::remove_dir_all(svc.join(".git")).unwrap();
    // Inside the repository (the folder above svc/): the repository itself is short of it.
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    let c = run(&svc);
    let f = finding(&c, "replace-missing");
    assert_at(f, "fail", 9);
    assert_eq!(f["evidence"]["module"], "example.com/common", "{f:#}");
    assert_eq!(f["evidence"]["claim"], "build-fails", "{f:#}");
    let go_error = f["evidence"]["go_error"].as_str().unwrap();
    assert!(
        f["message"].as_str().unwrap().contains(go_error)
            && f["message"].as_str().unwrap().contains("main.go"),
        "{f:#}"
    );
    // Real go says just that and stops.
    let go_build = || {
        std::process::Command::new("go")
            .args(["build", "-o", "./tmp/main", "."])
            .env("GOFLAGS", "-mod=mod -buildvcs=false")
            .env("GOPROXY", "off")
            .env("GOWORK", "off")
            .current_dir(&svc)
            .output()
            .unwrap()
    };
    let out = go_build();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(go_error), "{stderr}\nvs {go_error}");

    // A folder there but without go.mod: go reads its go.mod and stops too.
    std::fs::create_dir_all(dir.path().join("common/greet")).unwrap();
    let c = run(&svc);
    let go_error = finding(&c, "replace-missing")["evidence"]["go_error"]
        .as_str()
        .unwrap()
        .to_string();
    let stderr = String::from_utf8_lossy(&go_build().stderr).to_string();
    assert!(stderr.contains(&go_error), "{stderr}\nvs {go_error}");
    std::fs::remove_dir_all(dir.path().join("common")).unwrap();

    // Run in a compose service's image: a warning (the image, not built here, may get the
    // folder another way), still naming go's error.
    std::fs::write(
        svc.join("docker-compose.yml"),
        "services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n    volumes:\n      - .:/app\n",
    )
    .unwrap();
    std::fs::write(
        svc.join("Dockerfile.dev"),
        "FROM golang:1.26-alpine\nRUN go install github.com/air-verse/air@v1.67.4\nWORKDIR /app\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nCMD [\"air\"]\n",
    )
    .unwrap();
    let c = run(&svc);
    let f = finding(&c, "replace-missing");
    assert_at(f, "warn", 9);
    assert_eq!(f["evidence"]["in_container"], true, "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("replacement directory ../common does not exist"),
        "{f:#}"
    );
    std::fs::remove_file(svc.join("docker-compose.yml")).unwrap();
    std::fs::create_dir_all(dir.path().join("common/greet")).unwrap();

    // The module there: go builds, and nothing is said (nor of the unrequired ./proto).
    std::fs::write(
        dir.path().join("common/go.mod"),
        "module example.com/common\n\ngo 1.21\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("common/greet/greet.go"),
        "package greet\n\nconst Hello = \"hi\"\n",
    )
    .unwrap();
    assert!(go_build().status.success());
    let c = run(&svc);
    assert_lacks(&c, "replace-missing");
}

/// `git init`, add everything and commit in `dir` (no user config needed).
fn git_commit_all(dir: &Path) {
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "x",
        ],
    ] {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }
}

/// `[misc] clean_on_exit = true` deletes tmp_dir when air exits (hold-out 13,
/// adamveld12/tai: tmp_dir = "build", the Makefile's release folder). With a file git
/// tracks in tmp_dir, real air v1.67.4, stopped with SIGINT, prints "deleting .../build"
/// and the tracked file is gone: the doctor fails on the same shape, naming the file.
#[test]
fn clean_on_exit_deletes_tracked_files_in_tmp_dir_with_real_air() {
    if !which_go() {
        return;
    }
    let config = "tmp_dir = \"build\"\n[build]\n  cmd = \"go build -o ./build/main .\"\n  bin = \"./build/main\"\n[misc]\n  clean_on_exit = true\n";
    let repo = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() { select {} }\n"),
        (".air.toml", config),
        ("build/release.sh", "#!/bin/sh\necho release\n"),
        ("build/Dockerfile", "FROM scratch\n"),
    ]);
    let dir = repo.path();
    git_commit_all(dir);
    let c = run(dir);
    let f = finding(&c, "clean-on-exit-deletes");
    assert_at(f, "fail", 6);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("2 files git tracks: build/Dockerfile, build/release.sh"),
        "{f:#}"
    );
    assert_eq!(f["evidence"]["count"], 2, "{f:#}");
    assert_eq!(f["fix"]["applicability"], "manual", "{f:#}");
    // The claim names the folder air deletes, which real air's log below confirms.
    let claimed = f["evidence"]["claim"]
        .as_str()
        .and_then(|c| c.strip_prefix("exit-deletes "))
        .unwrap_or_else(|| panic!("{f:#}"))
        .to_string();

    // Real air on the same project: it builds, runs, and on SIGINT deletes build/.
    let log = dir.join("air.out");
    let mut air = std::process::Command::new(oracle::air())
        .current_dir(dir)
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(dir.join("air.err")).unwrap())
        .spawn()
        .unwrap();
    let text = || {
        std::fs::read_to_string(&log).unwrap_or_default()
            + &std::fs::read_to_string(dir.join("air.err")).unwrap_or_default()
    };
    let start = std::time::Instant::now();
    while !text().contains("running...") && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(dir.join("build/main").is_file(), "air built: {}", text());
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    let all = text();
    assert!(
        all.contains(&format!("deleting {}", dir.join("build").display())),
        "{all}"
    );
    assert!(
        all.contains(&format!("deleting {claimed}")),
        "{claimed}: {all}"
    );
    assert!(!dir.join("build/release.sh").exists(), "{all}");
    assert!(!dir.join("build").exists(), "{all}");
}

/// clean_on_exit where nothing of the user's is at stake says nothing: air's own tmp/
/// (gitignored, untracked). A Makefile that builds its release into tmp_dir (`BUILD_DIR =
/// ./build`, `go build -o $(BUILD_DIR)/app`) loses that output at every exit of air: a
/// warning naming the recipe line. tmp_dir = "." is the project itself: a fail.
#[test]
fn clean_on_exit_is_judged_by_what_tmp_dir_holds() {
    let main = "package main\n\nfunc main() {}\n";
    let own = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", main),
        (".gitignore", "tmp/\n"),
        ("tmp/main", "binary"),
        ("tmp/build-errors.log", ""),
        (".air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n[misc]\n  clean_on_exit = true\n"),
    ]);
    git_commit_all(own.path());
    let c = run(own.path());
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["evidence"]["problem"] == "clean-on-exit-deletes"),
        "{c:#}"
    );

    // air's own binary committed (tmp/main tracked): air makes it again, git shows it
    // deleted; a note.
    std::fs::remove_file(own.path().join(".gitignore")).unwrap();
    git_commit_all(own.path());
    let c = run(own.path());
    let f = finding(&c, "clean-on-exit-deletes");
    assert_at(f, "info", 5);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("2 files git tracks: tmp/build-errors.log, tmp/main; only air's own"),
        "{f:#}"
    );

    let made = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", main),
        (".gitignore", "build/\n"),
        ("Makefile", "BUILD_DIR=./build\n\nbuild:\n\tgo build -o $(BUILD_DIR)/app .\n"),
        (".air.toml", "tmp_dir = \"build\"\n[build]\n  cmd = \"go build -o ./build/main .\"\n  bin = \"./build/main\"\n[misc]\n  clean_on_exit = true\n"),
    ]);
    git_commit_all(made.path());
    let c = run(made.path());
    let f = finding(&c, "clean-on-exit-deletes");
    assert_at(f, "warn", 6);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Makefile:4 writes build/app there"),
        "{f:#}"
    );

    let dot = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", main),
        (".air.toml", "tmp_dir = \".\"\n[build]\n  cmd = \"go build -o ./main .\"\n  bin = \"./main\"\n[misc]\n  clean_on_exit = true\n"),
    ]);
    let c = run(dot.path());
    let f = finding(&c, "clean-on-exit-deletes");
    assert_at(f, "fail", 6);
    assert_eq!(f["evidence"]["holds"], "root", "{f:#}");
}

/// NeichS/gin-atlas-env-testing: the `db` service builds `dockerfile_inline: FROM postgres
/// ...` with the same `context: .` as the app, whose Dockerfile runs air. The inline text is
/// that service's Dockerfile: the db runs no air, and only the `app` service is a launch.
#[test]
fn a_compose_dockerfile_inline_is_that_services_dockerfile() {
    let dir = project_with(&[
        ("app/go.mod", "module app\n\ngo 1.22\n"),
        ("app/main.go", "package main\n\nfunc main() {}\n"),
        (
            "app/air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
        (
            "Dockerfile",
            "FROM golang:1.26\nWORKDIR /app\nCOPY ./app/ /app\nRUN go install github.com/air-verse/air@v1.67.4\nCMD [\"air\", \"-c\", \"air.toml\"]\n",
        ),
        (
            "compose.yml",
            "services:\n  app:\n    build:\n      context: .\n    volumes:\n      - ./app:/app:rw\n  db:\n    build:\n      context: .\n      target: database\n      dockerfile_inline: |\n        FROM postgres:16 as database\n        ENV LANG C.utf8\n    volumes:\n      - ./data:/var/lib/postgresql/data\n",
        ),
    ]);
    let c = run(&dir.path().join("app"));
    let services: Vec<&Value> = c["evidence"]["launches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["target"])
        .collect();
    assert_eq!(services, [&serde_json::json!("app")], "{c:#}");
    assert_lacks(&c, "source-not-mounted");
}

/// The one finding of `problem` at `line`.
fn at_line<'a>(c: &'a Value, problem: &str, line: u64) -> &'a Value {
    all_of(c, problem)
        .into_iter()
        .find(|f| f["evidence"]["line"] == line)
        .unwrap_or_else(|| panic!("no {problem} at line {line}: {c:#}"))
}

/// The findings whose evidence has `problem`.
fn all_of<'a>(c: &'a Value, problem: &str) -> Vec<&'a Value> {
    findings(c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == problem)
        .collect()
}

/// Issue 22 (hold-out 14, FabianUB/minibarcelona3d's apps/api/air.toml, run as plain `air`):
/// nothing of a file air never reads is used, so its misplaced and retired keys lose nothing
/// more than the file does: notes, the one warning being config-not-read. Its top-level
/// `build = "go build ..."` string beside `cmd = "./tmp/api"` is another tool's layout (build
/// command, run command): the doctor never advises moving that cmd into [build] cmd, where it
/// would become air's build command.
#[test]
fn keys_of_a_file_air_never_reads_are_notes_and_a_run_cmd_is_not_moved_to_build_cmd() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("Makefile", ".PHONY: dev\ndev:\n\tair\n"),
        (
            "air.toml",
            "root = \".\"\nbuild = \"go build -o ./tmp/api .\"\ncmd = \"./tmp/api\"\ninclude_dir = [\"web\"]\nstop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let read = finding(&c, "config-not-read");
    assert_eq!(read["severity"], "warn", "{read:#}");
    let misplaced = all_of(&c, "misplaced-key");
    assert!(misplaced.len() >= 2, "{c:#}");
    for f in &misplaced {
        assert_eq!(f["severity"], "info", "{f:#}");
    }
    let warns: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["severity"] == "warn" || f["severity"] == "fail")
        .collect();
    assert!(
        warns
            .iter()
            .all(|f| f["evidence"]["problem"] == "config-not-read"
                || f["evidence"]["problem"] == "wrong-type"),
        "{c:#}"
    );
    let cmd = misplaced
        .iter()
        .find(|f| f["evidence"]["line"] == 3)
        .expect("cmd line");
    let text = cmd["message"].as_str().unwrap();
    assert!(text.contains("do not move it to [build] cmd"), "{cmd:#}");
    assert!(text.contains("bin"), "{cmd:#}");
    assert!(cmd["fix"].is_null(), "no move of the run command: {cmd:#}");
}

/// Issue 22 (hold-out 14, CordySeph/snail's .air.toml): a top-level exclude_dir of folders
/// air's walk skips already (its default exclude_dir tmp, vendor) and an exclude_file of
/// types air's default include_ext does not take (real air: an .md or .toml change rebuilds
/// nothing) lose nothing where air ignores them: notes. Keeping out a folder of Go code air
/// watches is lost: a warning.
#[test]
fn a_misplaced_exclude_of_what_air_does_not_watch_is_a_note() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("vendor/modules.txt", "\n"),
        ("README.md", "# app\n"),
        ("web/web.go", "package web\n"),
        (
            ".air.toml",
            "root = \".\"\nexclude_dir = [\"tmp\", \"vendor\"]\nexclude_file = [\"*.md\", \"*.toml\"]\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let misplaced = all_of(&c, "misplaced-key");
    assert_eq!(misplaced.len(), 2, "{c:#}");
    assert_at(at_line(&c, "misplaced-key", 2), "info", 2);
    assert_at(at_line(&c, "misplaced-key", 3), "info", 3);
    assert!(at_line(&c, "misplaced-key", 3)["message"]
        .as_str()
        .unwrap()
        .contains("nothing is lost"));
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("\"tmp\", \"vendor\"", "\"web\"")).unwrap();
    let c = run(dir.path());
    assert_at(at_line(&c, "misplaced-key", 2), "warn", 2);
    std::fs::write(&cfg, text.replace("\"*.md\", \"*.toml\"", "\"*.go\"")).unwrap();
    let c = run(dir.path());
    assert_at(at_line(&c, "misplaced-key", 3), "warn", 3);
}

/// Issue 22 (hold-out 14, LsFaria04/DS_Tracking_System's backend/src/.air.toml): an unknown
/// `[watch]` table whose entries repeat [build]'s values (and air's root) asks for what air
/// does: a note. One that differs stays a warning.
#[test]
fn an_unknown_table_repeating_what_air_uses_is_a_note() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  exclude_dir = [\"assets\", \"tmp\"]\n  include_ext = [\"go\", \"html\"]\n[watch]\n  dirs = [\".\"]\n  exclude_dir = [\"assets\", \"tmp\"]\n  include_ext = [\"go\", \"html\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "unknown-key");
    assert_at(f, "info", 8);
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace(
            "include_ext = [\"go\", \"html\"]\n",
            "include_ext = [\"go\", \"tmpl\"]\n",
        )
        .replacen(
            "include_ext = [\"go\", \"tmpl\"]\n",
            "include_ext = [\"go\", \"html\"]\n",
            1,
        ),
    )
    .unwrap();
    assert_at(finding(&run(dir.path()), "unknown-key"), "warn", 8);
}

/// Issue 22 (hold-out 14, sasalatart/quizory's cmd/api/air.toml): `[build] build_args =
/// ["-v"]` asks go only to print more, the binary is the same: a note; `-tags dev` changes
/// the binary: a warning. `restart_signal` names air's setting for it, send_interrupt.
#[test]
fn unknown_build_flags_that_only_print_are_a_note_and_a_signal_key_names_send_interrupt() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n  build_args = [\"-v\"]\n  restart_signal = \"int\"\n",
        ),
    ]);
    let c = run(dir.path());
    let unknown = all_of(&c, "unknown-key");
    assert_eq!(unknown.len(), 2, "{c:#}");
    assert_at(at_line(&c, "unknown-key", 6), "info", 6);
    assert_at(at_line(&c, "unknown-key", 7), "warn", 7);
    assert!(at_line(&c, "unknown-key", 7)["message"]
        .as_str()
        .unwrap()
        .contains("send_interrupt = true"));
    let cfg = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("[\"-v\"]", "[\"-tags\", \"dev\"]")).unwrap();
    assert_at(at_line(&run(dir.path()), "unknown-key", 6), "warn", 6);
}

/// `docker compose --project-directory . -f deployments/local/compose.yml up` in a Makefile
/// (hold-out 14: ItaloRFeitosa/go-github-actions-poc, go-hands-on-prometheus): compose
/// resolves that file's `context: .` and `./:/app` against the project directory, so the
/// service builds build/Dockerfile.dev with the repository mounted at /app, where
/// `air -c ./tools/air/.air.toml` is there. Without the Makefile the file's own folder is
/// the project directory, the Dockerfile is judged alone, and its missing -c file is named
/// with a fix that is no other path than the one in use.
#[test]
fn a_compose_project_directory_from_a_launcher_places_its_paths() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |p: &str, t: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    write("go.mod", "module example.com/app\n\ngo 1.22\n");
    write("main.go", "package main\n\nfunc main() {}\n");
    write(
        "tools/air/.air.toml",
        "root = \".\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"./tmp/main\"\n",
    );
    write(
        "build/Dockerfile.dev",
        "FROM golang:1.26\nWORKDIR /app\nRUN go install github.com/air-verse/air@v1.61.7\nCOPY go.mod ./\nCMD air -c ./tools/air/.air.toml\n",
    );
    write(
        "deployments/local/docker-compose.yml",
        "services:\n  app:\n    build:\n      context: .\n      dockerfile: ./build/Dockerfile.dev\n    volumes:\n    - ./:/app\n",
    );
    // Compose's own reading, when docker-compose is here: the context is the project folder.
    if let Ok(out) = std::process::Command::new("docker-compose")
        .args([
            "--project-directory",
            ".",
            "-f",
            "./deployments/local/docker-compose.yml",
            "config",
        ])
        .current_dir(root)
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let real = std::fs::canonicalize(root).unwrap();
        assert!(
            text.contains(&format!("context: {}\n", real.display())),
            "{text}"
        );
    }
    let c = run(root);
    let f = finding(&c, "launch-config-missing");
    let message = f["message"].as_str().unwrap();
    assert!(message.starts_with("build/Dockerfile.dev:5"), "{f:#}");
    assert!(!message.contains("use -c tools/air/.air.toml"), "{f:#}");
    assert!(message.contains("nothing copies or mounts"), "{f:#}");

    write(
        "Makefile",
        "COMPOSE_FILE := ./deployments/local/docker-compose.yml\n\ndev:\n\tdocker compose --project-directory . -f $(COMPOSE_FILE) up\n",
    );
    let c = run(root);
    let text = format!("{c:#}");
    assert!(
        findings(&c)
            .iter()
            .all(|f| f["evidence"]["problem"] != "launch-config-missing"),
        "{text}"
    );
    assert!(
        text.contains("deployments/local/docker-compose.yml's `app` service"),
        "{text}"
    );
}

/// A second compose file (`docker-compose.prod.yml`) whose `api` service sets no command runs
/// air only merged over the base's `command: air` (hold-out 14: FabianUB/minibarcelona3d): the
/// base's service is named, at its own line; the merged one is named at its own file's line
/// (not the base's line number in the other file), with the merge as its condition.
#[test]
fn a_second_compose_files_service_is_named_at_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |p: &str, t: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    write("go.mod", "module example.com/app\n\ngo 1.22\n");
    write("main.go", "package main\n\nfunc main() {}\n");
    write(
        "air.toml",
        "[build]\ncmd = \"go build -o ./tmp/api .\"\nbin = \"./tmp/api\"\nsend_interrupt = true\nkill_delay = \"2s\"\n",
    );
    write(
        "Dockerfile.dev",
        "FROM golang:1.26\nWORKDIR /app\nRUN go install github.com/air-verse/air@v1.61.7\n",
    );
    write(
        "Dockerfile",
        "FROM golang:1.26\nWORKDIR /app\nCOPY . .\nRUN go build -o /api .\nCMD [\"/api\"]\n",
    );
    // `command: air` at line 7 of the base; line 7 of the prod file is another service's.
    write(
        "docker-compose.yml",
        "services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n    volumes: ['.:/app']\n    command: air\n",
    );
    write(
        "docker-compose.prod.yml",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: app\n    volumes:\n      - data:/var/lib/postgresql/data\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile\nvolumes:\n  data: {}\n",
    );
    let c = run(root);
    let f = finding(&c, "config-not-read");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.starts_with("the docker-compose.yml's `api` service (docker-compose.yml:7)"),
        "{f:#}"
    );
    let text = format!("{c:#}");
    assert!(!text.contains("docker-compose.prod.yml:7"), "{text}");
    let launches = c["evidence"]["launches"].as_array().unwrap();
    let prod = launches
        .iter()
        .find(|l| l["file"] == "docker-compose.prod.yml")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(prod["line"], 8, "{text}");
    assert!(
        prod["condition"]
            .as_str()
            .unwrap()
            .contains("-f docker-compose.yml -f docker-compose.prod.yml"),
        "{text}"
    );
}

/// A golang:1.20.0 stage (the last of a multi-stage Dockerfile, which compose builds: a
/// `target=dev` build arg is no target) running `go install github.com/air-verse/air@latest`
/// (hold-out 14: Higakinn/go_todo_app): Go 1.20 has no GOTOOLCHAIN, and air v1.67.4's go.mod
/// says `go 1.26.0`, a three-part line Go 1.20's strict go.mod parse rejects, so the image
/// build stops. The real Go here parses that go.mod (it is what `go install` reads).
#[test]
fn a_pre_go_1_21_image_cannot_install_an_air_with_a_three_part_go_line() {
    let air_mod = std::path::Path::new(
        "/root/go/pkg/mod/cache/download/github.com/air-verse/air/@v/v1.67.4.mod",
    );
    if let Ok(text) = std::fs::read_to_string(air_mod) {
        assert!(text.lines().any(|l| l == "go 1.26.0"), "{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |p: &str, t: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    write("src/go.mod", "module example.com/app\n\ngo 1.20\n");
    write("src/main.go", "package main\n\nfunc main() {}\n");
    write(
        "src/air.toml",
        "[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"./tmp/main\"\n",
    );
    let dockerfile = |from: &str| {
        format!("FROM golang:1.20.0-bullseye as builder\nWORKDIR /app\nCOPY src/ .\nRUN go build -o app\n\nFROM {from} as dev\nWORKDIR /app\nRUN go install github.com/air-verse/air@latest && \\\n  go install golang.org/x/tools/gopls@latest\nCMD [\"air\", \"-c\", \"air.toml\"]\n")
    };
    write("Dockerfile", &dockerfile("golang:1.20.0"));
    write(
        "compose.yml",
        "services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile\n      args:\n        - target=dev\n    volumes:\n      - ./src/:/app\n",
    );
    let c = run(&root.join("src"));
    let f = findings(&c)
        .iter()
        .find(|f| {
            f["evidence"]["problem"] == "air-install-fails"
                && f["evidence"]["file"] == "compose.yml"
        })
        .unwrap_or_else(|| panic!("{c:#}"));
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("Go 1.20 cannot build air v1.67.4"),
        "{f:#}"
    );
    assert!(message.contains("must match format 1.23"), "{f:#}");
    assert!(!message.contains("GOTOOLCHAIN=local"), "{f:#}");
    // An air pinned at a release with a two-part go line is only advised by Go 1.20's
    // go.mod reading: nothing is said about it (the gopls@latest beside it, whose newest
    // release needs a newer Go, is its own finding, of that tool).
    write(
        "Dockerfile",
        &dockerfile("golang:1.20.0").replace("air@latest", "air@v1.61.7"),
    );
    let c = run(&root.join("src"));
    assert!(
        findings(&c)
            .iter()
            .all(|f| f["evidence"]["problem"] != "air-install-fails"
                || f["evidence"]["tool"] == "golang.org/x/tools/gopls"),
        "{c:#}"
    );
}

/// A Dockerfile `RUN ./setup.sh` whose script (COPYed from the build context) runs
/// `go install github.com/cosmtrek/air@latest` (hold-out 14: MFVS/app_rozcestnik): the
/// install is the image's, so the finding says the compose service's image build stops at
/// that RUN, at the script's line where it is fixed (said once, not again as a host script).
#[test]
fn a_script_a_dockerfile_run_runs_installs_into_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |p: &str, t: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, t).unwrap();
    };
    write("go.mod", "module example.com/app\n\ngo 1.22\n");
    write("main.go", "package main\n\nfunc main() {}\n");
    write(
        "configs/air.toml",
        "[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"./tmp/main\"\n",
    );
    write(
        "setup.sh",
        "# runs when the image builds\ngo install github.com/cosmtrek/air@latest\n",
    );
    write(
        "Dockerfile",
        "FROM golang:latest AS go\nWORKDIR /app\nCOPY go.mod .\nCOPY setup.sh .\nRUN ./setup.sh\n\nFROM go AS app\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"air\", \"-c\", \"configs/air.toml\"]\n",
    );
    write(
        "compose.yml",
        "services:\n  app:\n    build:\n      context: .\n      target: app\n    volumes:\n      - ./:/app\n",
    );
    let c = run(root);
    let f = finding(&c, "air-install-fails");
    let message = f["message"].as_str().unwrap();
    assert!(message.starts_with("setup.sh:2:"), "{f:#}");
    assert!(
        message.contains("Dockerfile:5 runs it in the image build, which stops there, so the compose.yml's `app` service"),
        "{f:#}"
    );
}

/// ROFL1ST/ticketing-go's .air.linux.toml: `md = "go build -o './tmp/main' ."`, a misspelt
/// `cmd` whose value is what air's default build does (the same package to the binary air
/// starts): air ignores the key and loses nothing, a note. A misspelt cmd building another
/// package stays a warning.
#[test]
fn a_misspelt_key_whose_value_air_uses_anyway_is_a_note() {
    let dir = project_with(&[
        ("go.mod", "module example.com/t\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  md = \"go build -o './tmp/main' .\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let unknown = |c: &Value| -> Value {
        findings(c)
            .iter()
            .find(|f| f["evidence"]["problem"] == "unknown-key")
            .cloned()
            .unwrap_or_else(|| panic!("{c:#}"))
    };
    let f = unknown(&run(dir.path()));
    assert_eq!(f["severity"], "info", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("nothing is lost"),
        "{f:#}"
    );
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\n  md = \"go build -o ./tmp/main ./cmd/api\"\n  bin = \"./tmp/main\"\n",
    )
    .unwrap();
    assert_eq!(unknown(&run(dir.path()))["severity"], "warn");
}

/// Slvr-one/bookmaker: `cmd = "task default"`, whose task builds `{{.EXE}}` and then starts
/// `./{{.EXE}}` (each `- task:` with its `vars:` under it). The build runs the app itself, so
/// it never ends: a fail naming the Taskfile line. Checked with real air and make on the same
/// shape behind a Makefile: air prints "building..." and never "running...", while the app
/// make started runs; a `cmd` that only builds is fine.
#[test]
fn a_runner_target_that_starts_the_app_is_a_build_that_never_ends() {
    let app = "package main\n\nimport (\n\t\"os\"\n\t\"strconv\"\n\t\"time\"\n)\n\nfunc main() {\n\t_ = os.WriteFile(\"started\", []byte(strconv.Itoa(os.Getpid())), 0o644)\n\ttime.Sleep(time.Minute)\n}\n";
    let dir = project_with(&[
        ("go.mod", "module example.com/book\n\ngo 1.22\n"),
        ("main.go", app),
        (
            "Taskfile.yaml",
            "version: \"3\"\n\ntasks:\n  default:\n    cmds:\n      - task: build\n        vars: { EXE: 'bookmaker' }\n      - task: start\n        vars: { EXE: 'bookmaker' }\n\n  build:\n    run: when_changed\n    cmds:\n      - go build -o {{.EXE}} .\n\n  start:\n    cmds:\n      - ./{{.EXE}}\n",
        ),
        (
            ".air.toml",
            "[build]\n  cmd = \"task default\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "go-run-as-build");
    assert_at(f, "fail", 2);
    assert_eq!(f["evidence"]["through"], "Taskfile.yaml:18", "{f:#}");
    // The same shape behind make, and `make run` running `go run .`.
    std::fs::write(
        dir.path().join("Makefile"),
        "build:\n\tgo build -o bin/book .\n\nrun: build\n\t./bin/book\n\ngo-run:\n\tgo run .\n\nmigrate:\n\tgo run database/main.go -migrate=latest\n\nseed: build\n\t./bin/book seed\n",
    )
    .unwrap();
    let cfg = dir.path().join(".air.toml");
    for target in ["run", "go-run"] {
        std::fs::write(
            &cfg,
            format!("[build]\n  cmd = \"make {target}\"\n  bin = \"./bin/book\"\n  stop_on_error = true\n"),
        )
        .unwrap();
        assert_at(finding(&run(dir.path()), "go-run-as-build"), "fail", 2);
    }
    // A target that only builds, and one-shot tools run on the way (davesavic/procat's
    // `make migrate-latest && make build`: `go run database/main.go -migrate=latest`, a
    // package the build does not compile; the app's binary run with a subcommand) end.
    for cmd in ["make build", "make migrate && make build", "make seed"] {
        std::fs::write(
            &cfg,
            format!("[build]\n  cmd = \"{cmd}\"\n  bin = \"./bin/book\"\n  stop_on_error = true\n"),
        )
        .unwrap();
        let c = run(dir.path());
        assert!(
            !problems(&c).contains(&"go-run-as-build".to_string()),
            "{cmd}: {c:#}"
        );
    }
    if !which_go() {
        return;
    }
    // Real air with `make run`: the build never ends, air never runs bin.
    std::fs::write(
        &cfg,
        "[build]\n  cmd = \"make run\"\n  bin = \"./bin/book\"\n  stop_on_error = true\n",
    )
    .unwrap();
    let log = dir.path().join("air.out");
    let both = std::fs::File::create(&log).unwrap();
    let mut air = std::process::Command::new(oracle::air())
        .current_dir(dir.path())
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .spawn()
        .unwrap();
    let started = dir.path().join("started");
    let t = std::time::Instant::now();
    while !started.is_file() && t.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_secs(3));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    if let Ok(pid) = std::fs::read_to_string(&started) {
        let _ = std::process::Command::new("kill").arg(pid.trim()).status();
    }
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(started.is_file(), "make never started the app: {text}");
    assert!(
        text.contains("building...") && !text.contains("running..."),
        "{text}"
    );
}

/// ndious/snacked: docker/go/Dockerfile's `dev` stage (a `test-watch` stage follows it) copies
/// `./docker/go/.air.toml` to `./.air.toml` in /usr/src/app and runs plain `air`: air there
/// reads that file. The report of the repository root names it, with the stage as launcher,
/// not air's defaults (whose `go build .` finds no Go file in the root: a wrong fail), and
/// no "rename it" note.
#[test]
fn a_config_copied_to_air_toml_in_the_image_is_what_plain_air_reads() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/snacked\n\ngo 1.22\n"),
        ("cmd/www/main.go", "package main\n\nfunc main() {}\n"),
        (
            "docker/go/Dockerfile",
            "FROM golang:alpine AS base\nWORKDIR /usr/src/app\n\nFROM base AS dev\nWORKDIR /usr/src/app\nRUN go install github.com/air-verse/air@latest\nCOPY ./go.mod ./\nCOPY ./cmd ./cmd\nCOPY ./docker/go/.air.toml ./.air.toml\nENTRYPOINT [\"air\"]\n\nFROM base AS test-watch\nCOPY ./go.mod ./\nENTRYPOINT [\"go\", \"test\", \"./...\"]\n",
        ),
        (
            "docker/go/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o ./tmp/main ./cmd/www\"\n  entrypoint = [\"./tmp/main\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    assert_eq!(c["evidence"]["file"], "docker/go/.air.toml", "{c:#}");
    let launch = &c["evidence"]["launches"][0];
    assert_eq!(launch["target"], "dev", "{c:#}");
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["severity"] == "fail"
                || f["message"].as_str().unwrap_or("").contains("rename")),
        "{c:#}"
    );
}

/// Hold-out 15's 4H1R/zoora and dandirahmadani19/distributed-saga-orchestrator: the main package
/// imports a package of its own module that is generated output the repository gitignores
/// (swag's docs/, buf's gen/), and nothing air runs generates it. A real `go build` of the
/// fresh checkout stops; the doctor warns, naming the import, the .gitignore line and the
/// Makefile's generator line (not `make swagger`, which runs it through `docker compose exec`),
/// and the exclude_dir entry (with its line) that keeps air from watching the folder where it
/// exists (hold-out 17's saybridge: "plugins" excluded and gitignored, imported by cmd/api;
/// hides-imported-package cannot see a folder absent from the checkout).
/// With the generator in pre_cmd, or the folder committed (not ignored), it says nothing.
#[test]
fn a_gitignored_generated_package_nothing_generates_is_a_warning() {
    if !which_go() {
        eprintln!("go not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_in(root, rel, text);
    write("go.mod", "module example.com/shop\n\ngo 1.22\n");
    write(
        "cmd/api/main.go",
        "package main\n\nimport (\n\t\"fmt\"\n\n\t_ \"example.com/shop/docs\"\n)\n\nfunc main() { fmt.Println(\"up\") }\n",
    );
    write("docs/adr/0001.md", "# decision\n");
    write(".gitignore", "tmp/\n# swag output\ndocs/*\n!docs/adr/\n");
    write(
        "Makefile",
        "EXEC = docker compose exec app\n\nswagger:\n\t$(EXEC) swag init -g cmd/api/main.go -o docs\n",
    );
    let air = "[build]\n  cmd = \"go build -o ./tmp/api ./cmd/api\"\n  bin = \"./tmp/api\"\n  exclude_dir = [\"tmp\", \"docs\"]\n";
    write(".air.toml", air);
    let git = std::process::Command::new("git")
        .current_dir(root)
        .args(["init", "-q"])
        .status()
        .unwrap();
    assert!(git.success());
    // What air's build does on this checkout.
    let build = std::process::Command::new("go")
        .current_dir(root)
        .args(["build", "-o", "./tmp/api", "./cmd/api"])
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(
        String::from_utf8_lossy(&build.stderr)
            .contains("no required module provides package example.com/shop/docs"),
        "{build:?}"
    );
    let c = run(root);
    let f = finding(&c, "ungenerated-import");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(f["evidence"]["exclude_dir_entry"], "docs", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    for part in [
        "cmd/api/main.go:6:2: ",
        "example.com/shop/docs",
        ".gitignore:3 (`docs/*`)",
        "no required module provides package example.com/shop/docs",
        ".air.toml:4 exclude_dir entry \"docs\" keeps air from watching docs/: where the folder exists",
        "`swag init -g cmd/api/main.go -o docs` generates it (Makefile target swagger runs swag)",
    ] {
        assert!(msg.contains(part), "{part}: {f:#}");
    }
    // The build generates it first: nothing to say.
    write(
        ".air.toml",
        &format!("{air}  pre_cmd = [\"swag init -g cmd/api/main.go -o docs\"]\n"),
    );
    let c = run(root);
    assert_lacks(&c, "ungenerated-import");
    // Not ignored: a missing folder, not generated output; the compile check's to say.
    write(".air.toml", air);
    write(".gitignore", "tmp/\n");
    let c = run(root);
    assert_lacks(&c, "ungenerated-import");
}

/// Hold-out 17's kynmh69/study-passkey: the generated package's own folder holds the
/// generator's .gitignore (Prisma Client Go writes `prisma/db/.gitignore` with `*_gen.go`) and
/// nothing else; the root .gitignore says nothing of it. The main package reaches the package
/// through handler/, and nothing air runs generates it: a real `go build` of the fresh
/// checkout stops. The doctor names the nested rule and its line, as `git check-ignore -v`
/// does, also in a project folder that is not a git repository (a downloaded copy). With a
/// `!*_gen.go` after it, nothing is ignored and nothing is said.
#[test]
fn a_generated_package_kept_out_by_its_own_folders_gitignore_is_a_warning() {
    if !which_go() {
        eprintln!("go not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_in(root, rel, text);
    write("go.mod", "module example.com/passkey\n\ngo 1.22\n");
    write(
        "main.go",
        "package main\n\nimport \"example.com/passkey/handler\"\n\nfunc main() { handler.Serve() }\n",
    );
    write(
        "handler/user.go",
        "package handler\n\nimport \"example.com/passkey/prisma/db\"\n\nfunc Serve() { _ = db.NewClient() }\n",
    );
    write(
        "prisma/db/.gitignore",
        "# gitignore generated by Prisma Client Go. DO NOT EDIT.\n*_gen.go\n",
    );
    write(".gitignore", "node_modules\n.env\n");
    write(
        ".air.toml",
        "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
    );
    // What air's build does on this checkout.
    let build = std::process::Command::new("go")
        .current_dir(root)
        .args(["build", "-o", "./tmp/main", "."])
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(
        String::from_utf8_lossy(&build.stderr)
            .contains("no required module provides package example.com/passkey/prisma/db"),
        "{build:?}"
    );
    let git = std::process::Command::new("git")
        .current_dir(root)
        .args(["init", "-q"])
        .status()
        .unwrap();
    assert!(git.success());
    // git's own answer for a file the generator writes.
    let says = std::process::Command::new("git")
        .current_dir(root)
        .args(["check-ignore", "-v", "--no-index", "prisma/db/db_gen.go"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&says.stdout).starts_with("prisma/db/.gitignore:2:*_gen.go"));
    let expect = |c: &Value| {
        let f = finding(c, "ungenerated-import");
        assert_eq!(f["severity"], "warn", "{f:#}");
        let msg = f["message"].as_str().unwrap();
        for part in [
            "handler/user.go:3:8: ",
            "example.com/passkey/prisma/db",
            "its Go files are ignored in prisma/db/ by prisma/db/.gitignore:2 (`*_gen.go`), so it is not committed",
            "no required module provides package example.com/passkey/prisma/db",
        ] {
            assert!(msg.contains(part), "{part}: {f:#}");
        }
    };
    expect(&run(root));
    // Not a git repository: the same rules, read from the project down.
    std::fs::remove_dir_all(root.join(".git")).unwrap();
    expect(&run(root));
    // Re-included by a later line: not ignored, the compile check's to say.
    write("prisma/db/.gitignore", "*_gen.go\n!*_gen.go\n");
    assert_lacks(&run(root), "ungenerated-import");
}

/// daszybak/blessingchat_web (hold-out 16): apps/backend/.gitignore ignores `go.sum` and none
/// is committed, while go.mod requires modules: in a fresh clone every air build stops with
/// "missing go.sum entry". A warning naming the rule; nothing when go.sum is there, or merely
/// missing without a rule (the compile check's), or when go.mod requires nothing.
#[test]
fn a_gitignored_go_sum_of_a_module_with_requirements_is_a_warning() {
    if !which_go() {
        eprintln!("go not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_in(root, rel, text);
    let go_mod = "module example.com/chat\n\ngo 1.22\n\nrequire (\n\tgopkg.in/ini.v1 v1.67.0\n\tgithub.com/a/b v1.0.0 // indirect\n)\n";
    write("go.mod", go_mod);
    write(
        "cmd/main.go",
        "package main\n\nimport \"gopkg.in/ini.v1\"\n\nfunc main() { _ = ini.Empty() }\n",
    );
    write(".gitignore", "tmp/\n\n# Go module files\ngo.sum\n");
    write(
        ".air.toml",
        "[build]\n  cmd = \"go build -o ./tmp/main cmd/main.go\"\n  bin = \"./tmp/main\"\n",
    );
    let git = std::process::Command::new("git")
        .current_dir(root)
        .args(["init", "-q"])
        .status()
        .unwrap();
    assert!(git.success());
    // What air's build does on this checkout.
    let build = std::process::Command::new("go")
        .current_dir(root)
        .args(["build", "-o", "./tmp/main", "cmd/main.go"])
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=readonly")
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(
        String::from_utf8_lossy(&build.stderr)
            .contains("missing go.sum entry for module providing package gopkg.in/ini.v1"),
        "{build:?}"
    );
    let c = run(root);
    let f = finding(&c, "ignored-go-sum");
    assert_at(f, "warn", 5);
    let msg = f["message"].as_str().unwrap();
    for part in [
        "go.mod requires gopkg.in/ini.v1 and 1 more",
        ".gitignore:4 (`go.sum`)",
        "missing go.sum entry for module providing package",
        "go mod tidy",
        "commit go.sum",
    ] {
        assert!(msg.contains(part), "{part}: {f:#}");
    }
    // A second config of the project (AnDoor/SADU-BAKCKEND-'s .air.linux.toml) judges the
    // same module: the finding is said once.
    write(
        ".air.linux.toml",
        "[build]\n  cmd = \"go build -o ./tmp/main cmd/main.go\"\n  bin = \"./tmp/main\"\n",
    );
    let c = run(root);
    let said = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "ignored-go-sum")
        .count();
    assert_eq!(said, 1, "{c:#}");
    std::fs::remove_file(root.join(".air.linux.toml")).unwrap();
    // Not ignored: merely missing, the compile check's to say.
    write(".gitignore", "tmp/\n");
    assert_lacks(&run(root), "ignored-go-sum");
    // Ignored but there: builds here (a teammate's clone is not judged from a present file).
    write(".gitignore", "tmp/\ngo.sum\n");
    write("go.sum", "");
    assert_lacks(&run(root), "ignored-go-sum");
    // Nothing required: no go.sum is needed.
    std::fs::remove_file(root.join("go.sum")).unwrap();
    write("go.mod", "module example.com/chat\n\ngo 1.22\n");
    write("cmd/main.go", "package main\n\nfunc main() {}\n");
    assert_lacks(&run(root), "ignored-go-sum");
}

/// paungire/paungram: the root .gitignore keeps `go/go.mod` and `go/go.sum` out (lines 2-3),
/// so the checkout's go/ has air.toml (compose runs `air -c air.toml`), main.go and a
/// Dockerfile that copies `./go.mod ./go.sum`, but no module: air's `go build` there stops (real go, run here: "go: go.mod
/// file not found ...") and so does the image build. The doctor said nothing about it.
#[test]
fn a_go_mod_that_gitignore_keeps_out_is_said() {
    let dir = repository_with(&[
        (".gitignore", "go/tmp\ngo/go.mod\ngo/go.sum\n"),
        ("go/main.go", "package main\n\nfunc main() {}\n"),
        (
            "go/.air.toml",
            "root = \".\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let go = dir.path().join("go");
    let c = run(&go);
    let f = finding(&c, "ignored-go-sum");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("../.gitignore:2 (`go/go.mod`)"), "{f:#}");
    let said = "go: go.mod file not found in current directory or any parent directory; see 'go help modules'";
    assert!(message.contains(said), "{f:#}");
    // What air's build does on this checkout.
    if let Ok(out) = std::process::Command::new("go")
        .current_dir(&go)
        .args(["build", "-o", "./tmp/main", "."])
        .env("GOFLAGS", "")
        .env_remove("GO111MODULE")
        .output()
    {
        assert!(!out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), said);
    }
    // Not ignored: merely missing, not this finding's.
    std::fs::write(dir.path().join(".gitignore"), "go/tmp\n").unwrap();
    assert_lacks(&run(&go), "ignored-go-sum");
}

/// vladanan/vezbamo4 (hold-out 16): the Makefile's `devgo` passes .air.go_and_triger_templ.toml
/// with `air -c`, and its `go_live_reload` runs plain `air` in the same folder, where there is
/// no .air.toml: that launch runs air's defaults, `go build -o ./tmp/main .`, in a root with no
/// Go files (main is src/main.go): every build fails. A fail at the plain launch, though
/// another launcher reads the config; nothing when the root builds a program.
#[test]
fn a_plain_air_launch_beside_one_passing_the_config_is_judged_with_the_defaults() {
    if !which_go() {
        eprintln!("go not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_in(root, rel, text);
    write("go.mod", "module example.com/vez\n\ngo 1.22\n");
    write("src/main.go", "package main\n\nfunc main() {}\n");
    write(
        ".air.go_and_templ.toml",
        "[build]\n  cmd = \"go build -o ./tmp/main ./src\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
    );
    write(
        "Makefile",
        "build:\n\t@go build -o bin src/main.go\n\ngo_live_reload:\n\t@air\n\ndevgo:\n\t@air -c .air.go_and_templ.toml\n",
    );
    // air's default build, in the folder plain air runs in.
    let build = std::process::Command::new("go")
        .current_dir(root)
        .args(["build", "-o", "./tmp/main", "."])
        .env("GOPROXY", "off")
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(
        String::from_utf8_lossy(&build.stderr).contains("no Go files in"),
        "{build:?}"
    );
    let c = run(root);
    let f = finding(&c, "launch-runs-defaults");
    assert_at(f, "fail", 5);
    let msg = f["message"].as_str().unwrap();
    for part in [
        "go_live_reload",
        "plain `air`",
        "go build -o ./tmp/main .",
        "no Go files",
        "air -c .air.go_and_templ.toml",
    ] {
        assert!(msg.contains(part), "{part}: {f:#}");
    }
    // The launch gives its own build on air's command line: not the defaults.
    write(
        "Makefile",
        "go_live_reload:\n\t@air --build.cmd \"go build -o ./tmp/main ./src\"\n\ndevgo:\n\t@air -c .air.go_and_templ.toml\n",
    );
    assert_lacks(&run(root), "launch-runs-defaults");
    // The root holds the program: the defaults build it.
    write(
        "Makefile",
        "go_live_reload:\n\t@air\n\ndevgo:\n\t@air -c .air.go_and_templ.toml\n",
    );
    write("main.go", "package main\n\nfunc main() {}\n");
    let c = run(root);
    assert!(
        findings(&c)
            .iter()
            .all(|f| f["evidence"]["problem"] != "launch-runs-defaults" || f["severity"] != "fail"),
        "{c:#}"
    );
}

/// peterszarvas94/money (hold-out 16): .air.toml builds the app to ./tmp/main, while
/// .air.test.toml (`go test ./internal/... -v`) and .air.gen.toml (a generator) set no bin:
/// air fills in its default ./tmp/main and, after every test run or generation, starts the
/// app .air.toml left there (real air, checked here). A warning on each; nothing once bin is
/// set, or when no config of the folder builds ./tmp/main.
#[test]
fn a_config_that_builds_no_program_runs_the_app_another_config_left_at_the_default_bin() {
    if !which_go() {
        eprintln!("go not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_in(root, rel, text);
    write("go.mod", "module example.com/money\n\ngo 1.22\n");
    write("cmd/main.go", "package main\n\nfunc main() {}\n");
    write(
        "internal/calc/calc_test.go",
        "package calc\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n",
    );
    write(
        ".air.toml",
        "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o ./tmp/main ./cmd/main.go\"\n  stop_on_error = true\n",
    );
    let test_toml = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  include_ext = [\"go\"]\n  cmd = \"go test ./internal/... -v\"\n  stop_on_error = true\n";
    write(".air.test.toml", test_toml);
    let gen_toml = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  include_ext = [\"sql\"]\n  cmd = \"echo generated\"\n  stop_on_error = true\n";
    write(".air.gen.toml", gen_toml);
    write(
        "Makefile",
        "run:\n\tair -c .air.toml\n\ngen:\n\tair -c .air.gen.toml\n\ntest:\n\tair -c .air.test.toml\n",
    );
    // Real air: the generator's config starts what .air.toml built at ./tmp/main.
    let marker = root.join("started");
    write(
        "tmp/main",
        &format!("#!/bin/sh\necho app >> {}\n", marker.display()),
    );
    std::fs::set_permissions(
        root.join("tmp/main"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let log = root.join("air.out");
    let both = std::fs::File::create(&log).unwrap();
    let mut air = std::process::Command::new(oracle::air())
        .args(["-c", ".air.gen.toml"])
        .current_dir(root)
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !marker.exists() && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = std::process::Command::new("kill")
        .args(["-INT", &air.id().to_string()])
        .status();
    let _ = air.wait();
    let out = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(out.contains("generated"), "{out}");
    assert!(marker.exists(), "air did not start ./tmp/main: {out}");
    std::fs::remove_dir_all(root.join("tmp")).unwrap();
    std::fs::remove_file(&marker).unwrap();
    std::fs::remove_file(&log).unwrap();

    let c = run(root);
    let warned: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "defaulted-bin")
        .collect();
    assert_eq!(warned.len(), 2, "{c:#}");
    for (f, name, line) in [
        (warned[0], ".air.gen.toml", 6),
        (warned[1], ".air.test.toml", 6),
    ] {
        assert_at(f, "warn", line);
        let msg = f["message"].as_str().unwrap();
        for part in [
            name,
            "sets no bin",
            "./tmp/main",
            ".air.toml builds",
            "bin = \"/bin/true\"",
        ] {
            assert!(msg.contains(part), "{part}: {f:#}");
        }
    }
    // bin set (a no-op): nothing to say.
    write(
        ".air.test.toml",
        &format!("{test_toml}  bin = \"/bin/true\"\n"),
    );
    write(
        ".air.gen.toml",
        &format!("{gen_toml}  bin = \"/bin/true\"\n"),
    );
    assert_lacks(&run(root), "defaulted-bin");
    // No config of the folder builds ./tmp/main: not another config's app.
    write(".air.test.toml", test_toml);
    write(
        ".air.toml",
        "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/money\"\n  cmd = \"go build -o ./tmp/money ./cmd/main.go\"\n  stop_on_error = true\n",
    );
    assert_lacks(&run(root), "defaulted-bin");
}

/// thisisteem/tt-stock-api (hold-out 15): docker/api/.air.toml is byte for byte the root's
/// .air.toml, which the Makefile's `dev` (plain `air` in the module root) reads. Plain air in
/// the module root never reads the subfolder's file and no launcher runs air there, but the
/// config that is read says the same: a leftover copy, a note naming it (was config-not-read,
/// a warning that every setting is ignored). A copy with other settings keeps the warning.
#[test]
fn an_unread_copy_of_the_read_config_in_a_module_subfolder_is_a_note() {
    let config = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main ./cmd/api\"\nbin = \"./tmp/main\"\nstop_on_error = true\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/stock\n\ngo 1.22\n"),
        ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
        ("Makefile", "dev:\n\tair\n"),
        (".air.toml", config),
        ("docker/api/.air.toml", config),
    ]);
    let sub = dir.path().join("docker/api");
    let c = run(&sub);
    assert_lacks(&c, "config-not-read");
    let f = finding(&c, "stray-config");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(f["evidence"]["launched"], ".air.toml", "{f:#}");
    let text = f["message"].as_str().unwrap();
    assert!(
        text.contains("docker/api/.air.toml is a copy of .air.toml") && text.contains("Makefile"),
        "{text}"
    );

    // Other settings: what plain air in the root ignores is lost.
    std::fs::write(
        sub.join(".air.toml"),
        config.replace("./cmd/api", "./cmd/worker"),
    )
    .unwrap();
    let c = run(&sub);
    assert_eq!(finding(&c, "config-not-read")["severity"], "warn", "{c:#}");
    assert_lacks(&c, "stray-config");
}

/// belgajohnpauldimaano/chat-app (hold-out 16): `make run-air` runs plain `air` in server/,
/// which reads server/.air.toml, building ./cmd/main.go; server/cmd/.air.toml (other settings:
/// `go build .` there, include_dir ../*) is run by nothing, and nothing starts air in
/// server/cmd. It builds the same main package as the launched one: a leftover, one note
/// naming server/.air.toml, and what air typed there would do (imports outside its root,
/// include_dir ../* skipped) only notes (were two warnings). One building another main
/// package than the launched config's keeps its warnings.
#[test]
fn a_config_below_the_launched_one_building_the_same_main_is_a_leftover_note() {
    let dir = repository_with(&[
        ("server/go.mod", "module example.com/chat\n\ngo 1.22\n"),
        (
            "server/cmd/main.go",
            "package main\n\nimport \"example.com/chat/internal/chat\"\n\nfunc main() { chat.Run() }\n",
        ),
        ("server/internal/chat/chat.go", "package chat\n\nfunc Run() {}\n"),
        ("server/Makefile", "run-air:\n\tair\n"),
        (
            "server/.air.toml",
            "root = \".\"\n\n[build]\ncmd = \"go build -o ./tmp/main ./cmd/main.go\"\nbin = \"./tmp/main\"\nstop_on_error = true\n",
        ),
        (
            "server/cmd/.air.toml",
            "root = \".\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"./tmp/main\"\ninclude_dir = [\"../*\"]\nstop_on_error = true\n",
        ),
    ]);
    let sub = dir.path().join("server/cmd");
    let c = run(&sub);
    let f = finding(&c, "stray-config");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(f["evidence"]["launched"], "server/.air.toml", "{f:#}");
    let text = f["message"].as_str().unwrap();
    assert!(
        text.contains("leftover")
            && text.contains("server/Makefile")
            && text.contains("same main package"),
        "{text}"
    );
    assert_eq!(
        finding(&c, "imports-outside-root")["severity"],
        "info",
        "{c:#}"
    );
    assert_eq!(finding(&c, "air-warns")["severity"], "info", "{c:#}");
    assert!(
        findings(&c).iter().all(|f| f["severity"] == "info"),
        "{c:#}"
    );

    // The launched config builds another main package: this one is not its leftover.
    std::fs::create_dir_all(dir.path().join("server/cmd/worker")).unwrap();
    std::fs::write(
        dir.path().join("server/cmd/worker/main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("server/.air.toml"),
        "root = \".\"\n\n[build]\ncmd = \"go build -o ./tmp/main ./cmd/worker\"\nbin = \"./tmp/main\"\nstop_on_error = true\n",
    )
    .unwrap();
    let c = run(&sub);
    assert_lacks(&c, "stray-config");
    assert_eq!(
        finding(&c, "imports-outside-root")["severity"],
        "warn",
        "{c:#}"
    );
}

/// CharaXiv/charaxiv.app (hold-out 15): .air.templ.toml watches .templ files and its build
/// only runs `templ generate` (bin = /usr/bin/true), a generator run beside the app's own
/// config (.air.server.toml, which rebuilds on .go). It compiles no Go, so a .go save has
/// nothing for it to rebuild: no-go-ext is a note, not a fail. Its [build] tmp_dir is ignored
/// (air uses "tmp"), but nothing in the config writes to or runs from "tmp_templ": only where
/// air keeps its scratch files changes, a note. A build that compiles Go keeps the fail; a
/// bin run from the misplaced folder keeps the warning.
#[test]
fn a_generator_only_config_needs_no_go_ext_and_its_misplaced_tmp_dir_is_a_note() {
    let templ = "[build]\ncmd = \"templ generate\"\nbin = \"/usr/bin/true\"\ninclude_ext = [\"templ\"]\nexclude_dir = [\"bin\", \"tmp\", \"tmp_templ\"]\ntmp_dir = \"tmp_templ\"\n";
    let dir = repository_with(&[
        ("app/go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("app/main.go", "package main\n\nfunc main() {}\n"),
        ("app/views/page.templ", "package views\n\ntempl Page() {\n\t<p>hi</p>\n}\n"),
        ("app/.air.templ.toml", templ),
        (
            "app/.air.server.toml",
            "[build]\ncmd = \"go build -o bin/server .\"\nbin = \"./bin/server\"\ninclude_ext = [\"go\"]\nexclude_dir = [\"bin\", \"tmp\"]\n",
        ),
    ]);
    // Not in the temporary folder itself, whose name starts with a dot: air started in a
    // hidden folder skips it whole (its root is the absolute cwd, util.go isHiddenDirectory).
    let app = dir.path().join("app");
    let c = run(&app);
    let f = finding(&c, "no-go-ext");
    assert_at(f, "info", 4);
    assert!(
        f["message"].as_str().unwrap().contains("compiles no Go"),
        "{f:#}"
    );
    assert!(f["fix"].is_null(), "nothing to add: {f:#}");
    let m = finding(&c, "misplaced-key");
    assert_at(m, "info", 6);
    assert!(
        m["message"].as_str().unwrap().contains("tmp_templ"),
        "{m:#}"
    );

    // The same watcher whose build compiles the app: a .go save is a lost rebuild.
    let config = app.join(".air.templ.toml");
    std::fs::write(
        &config,
        templ.replace(
            "cmd = \"templ generate\"",
            "cmd = \"templ generate && go build -o ./tmp/main .\"",
        ),
    )
    .unwrap();
    let c = run(&app);
    assert_at(finding(&c, "no-go-ext"), "fail", 4);
    assert_at(finding(&c, "misplaced-key"), "info", 6);

    // A build run from the misplaced folder: the folder it names is not air's tmp_dir.
    std::fs::write(
        &config,
        templ
            .replace(
                "cmd = \"templ generate\"",
                "cmd = \"go build -o ./tmp_templ/main .\"",
            )
            .replace("/usr/bin/true", "./tmp_templ/main"),
    )
    .unwrap();
    let c = run(&app);
    assert_at(finding(&c, "misplaced-key"), "warn", 6);
}

/// Senritsu420/MinTabi (hold-out 16): the compose service's image installs
/// cosmtrek/air@v1.40.4, which has neither pre_cmd, post_cmd (v1.46.0) nor poll_interval
/// (v1.43.0). pre_cmd and post_cmd hold air_example.toml's placeholders (`echo 'hello air' >
/// pre_cmd.txt`), and poll = false, so no air reads poll_interval (runner/watcher.go): losing
/// them changes nothing, three notes (were three key-newer-than-air warnings). A pre_cmd of the
/// project's own, and poll_interval with poll = true, keep their warnings.
#[test]
fn air_example_placeholders_and_an_inert_poll_interval_an_older_air_ignores_are_notes() {
    let config = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"tmp/main\"\nstop_on_error = true\npre_cmd = [\"echo 'hello air' > pre_cmd.txt\"]\npost_cmd = [\"echo 'hello air' > post_cmd.txt\"]\npoll = false\npoll_interval = 500\n";
    let dir = repository_with(&[
        ("compose.yml", "services:\n  backend:\n    build: ./backend\n    volumes:\n      - ./backend:/go/src/app\n"),
        ("backend/Dockerfile", "FROM golang:1.21.5-alpine3.18\nWORKDIR /go/src/app\nRUN go install github.com/cosmtrek/air@v1.40.4\nCMD [\"air\", \"-c\", \".air.toml\"]\n"),
        ("backend/go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("backend/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n"),
        ("backend/.air.toml", config),
    ]);
    let backend = dir.path().join("backend");
    let newer = |c: &Value, key: &str| -> Value {
        let hits: Vec<&Value> = findings(c)
            .iter()
            .filter(|f| {
                f["evidence"]["problem"] == "key-newer-than-air" && f["evidence"]["key"] == key
            })
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "want one key-newer-than-air on {key} in {c:#}"
        );
        hits[0].clone()
    };
    let c = run(&backend);
    for (key, line) in [
        ("build.pre_cmd", 8),
        ("build.post_cmd", 9),
        ("build.poll_interval", 11),
    ] {
        let f = newer(&c, key);
        assert_at(&f, "info", line);
    }
    assert!(
        newer(&c, "build.pre_cmd")["message"]
            .as_str()
            .unwrap()
            .contains("placeholder"),
        "{c:#}"
    );
    assert!(
        newer(&c, "build.poll_interval")["message"]
            .as_str()
            .unwrap()
            .contains("poll is false"),
        "{c:#}"
    );

    // A pre_cmd of the project's own, and polling on: lost under that air.
    std::fs::write(
        backend.join(".air.toml"),
        config
            .replace("echo 'hello air' > pre_cmd.txt", "go generate ./...")
            .replace("poll = false", "poll = true"),
    )
    .unwrap();
    let c = run(&backend);
    assert_at(&newer(&c, "build.pre_cmd"), "warn", 8);
    assert_at(&newer(&c, "build.post_cmd"), "info", 9);
    assert_at(&newer(&c, "build.poll_interval"), "warn", 11);
}

/// Kabos0809/go_portfolio (hold-out 15): the compose service's image installs
/// cosmtrek/air@v1.29.0, which has no args_bin; .air.toml keeps `air init`'s placeholder
/// `args_bin = ["hello", "world"]` (air_example.toml) and the app reads no arguments: losing
/// it changes nothing, a note (was key-newer-than-air, a warning). An app that reads its
/// arguments, or arguments of the project's own, keep the warning.
#[test]
fn air_inits_placeholder_args_bin_an_older_air_ignores_is_a_note() {
    let config = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"tmp/main\"\nstop_on_error = true\nargs_bin = [\"hello\", \"world\"]\n";
    let dir = repository_with(&[
        ("docker-compose.yml", "services:\n  go:\n    build:\n      context: .\n      dockerfile: docker/go/Dockerfile\n    volumes:\n      - type: bind\n        source: ./backend\n        target: /go/app\n"),
        ("docker/go/Dockerfile", "FROM golang:1.19.1-alpine3.16\nCOPY ./backend /go/app\nWORKDIR /go/app\nRUN go install github.com/cosmtrek/air@v1.29.0\nCMD [\"air\", \"-c\", \".air.toml\"]\n"),
        ("backend/go.mod", "module example.com/app\n\ngo 1.19\n"),
        ("backend/main.go", "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":8080\", nil)\n}\n"),
        ("backend/.air.toml", config),
    ]);
    let backend = dir.path().join("backend");
    let c = run(&backend);
    let f = finding(&c, "key-newer-than-air");
    assert_at(f, "info", 8);
    assert!(
        f["message"].as_str().unwrap().contains("placeholder"),
        "{f:#}"
    );

    // The app reads its arguments: the older air runs it without them.
    std::fs::write(
        backend.join("main.go"),
        "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfmt.Println(os.Args[1:])\n}\n",
    )
    .unwrap();
    let c = run(&backend);
    assert_at(finding(&c, "key-newer-than-air"), "warn", 8);

    // Arguments of its own: lost under that air.
    std::fs::write(backend.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    std::fs::write(
        backend.join(".air.toml"),
        config.replace("[\"hello\", \"world\"]", "[\"serve\"]"),
    )
    .unwrap();
    let c = run(&backend);
    assert_at(finding(&c, "key-newer-than-air"), "warn", 8);
}

/// VanTrangDinh/minis_api_micro_go (hold-out 15): the compose file builds
/// services/notification/Dockerfile, and nothing builds its Dockerfile.dev, which runs plain
/// `air` after `COPY go.mod go.sum ./` (only the root has them, so the root is its build
/// context, where /app has no .air.toml). The config's path, written for `air -c` from the
/// root, is no fail through that unused image, and what stops that image's build (the old
/// module path; a golang image older than the go line) is a note. A Makefile's `docker
/// build -f` of the same file makes it used: the install is a warning again.
#[test]
fn a_dockerfile_nothing_builds_gives_no_fail_and_notes_for_its_image() {
    let notification = "FROM golang:1.24-alpine\nRUN go install github.com/cosmtrek/air@latest\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nEXPOSE 8082\nCMD [\"air\"]\n";
    let gateway = "FROM golang:1.21-alpine\nWORKDIR /app\nRUN go install github.com/cosmtrek/air@latest\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n";
    let files = [
        ("go.mod", "module example.com/minis\n\ngo 1.23.0\n"),
        ("go.sum", ""),
        (
            "docker-compose.yml",
            "services:\n  notification:\n    build:\n      context: .\n      dockerfile: services/notification/Dockerfile\n",
        ),
        (
            "services/notification/Dockerfile",
            "FROM golang:1.24-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o /n ./services/notification/cmd\nFROM alpine\nCOPY --from=build /n /n\nCMD [\"/n\"]\n",
        ),
        ("services/notification/Dockerfile.dev", notification),
        (
            "services/notification/cmd/main.go",
            "package main\n\nfunc main() {}\n",
        ),
        (
            "services/notification/.air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/main ./services/notification/cmd\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
        ("services/gateway/Dockerfile.dev", gateway),
        ("services/gateway/cmd/main.go", "package main\n\nfunc main() {}\n"),
        (
            "services/gateway/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ];
    let dir = repository_with(&files);
    let c = run(&dir.path().join("services/notification"));
    assert!(
        findings(&c).iter().all(|f| f["severity"] != "fail"),
        "{c:#}"
    );
    let path = finding(&c, "build-source-missing");
    assert_eq!(path["severity"], "warn", "{c:#}");
    let installs: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "air-install-fails")
        .collect();
    assert!(!installs.is_empty(), "{c:#}");
    for f in &installs {
        assert_eq!(f["severity"], "info", "{f:#}");
        assert!(
            f["message"].as_str().unwrap().contains("it may be unused"),
            "{f:#}"
        );
    }
    let c = run(&dir.path().join("services/gateway"));
    let old = finding(&c, "image-go-too-old");
    assert_eq!(old["severity"], "info", "{c:#}");
    assert_eq!(old["evidence"]["file"], "services/gateway/Dockerfile.dev");
    assert!(
        findings(&c).iter().all(|f| f["severity"] == "info"),
        "{c:#}"
    );

    // Built by a Makefile: used, so what stops its build is a warning.
    let mut built = files.to_vec();
    built.push((
        "Makefile",
        "dev-image:\n\tdocker build -f services/notification/Dockerfile.dev -t notification-dev .\n",
    ));
    let dir = repository_with(&built);
    let c = run(&dir.path().join("services/notification"));
    let install = findings(&c)
        .iter()
        .find(|f| {
            f["evidence"]["problem"] == "air-install-fails"
                && f["evidence"]["file"] == "services/notification/Dockerfile.dev"
        })
        .unwrap_or_else(|| panic!("{c:#}"));
    assert_eq!(install["severity"], "warn", "{c:#}");
    assert!(
        !install["message"]
            .as_str()
            .unwrap()
            .contains("may be unused"),
        "{install:#}"
    );
}

/// edsonmichaque/craft (hold-out 15): a project generator whose
/// cmd/craft/templates/docker/dockerfile.tmpl (rendered beside the .air.toml its
/// common/air.toml.tmpl writes) installs air from the old module path and runs `air -c
/// .air.toml`; a templates/ script with `{{` actions runs air too. Neither launches anything
/// in this repository: no "config not there" at the root, and no install finding of them in
/// the _example module's report. _example's own Dockerfiles (built from _example, which has
/// a go.mod but no go.sum; the outer module has one) mount _example at /app, where the
/// empty [build] builds `.` with no Go file: a fail there as for plain `air` in _example.
#[test]
fn a_generators_templates_are_no_launchers() {
    let tmpl = "FROM golang:1.22-alpine\nWORKDIR /app\nRUN go install github.com/cosmtrek/air@latest\nCOPY go.mod go.sum ./\nCOPY . .\nENTRYPOINT [\"air\", \"-c\", \".air.toml\"]\n";
    let example = "FROM golang:1.22-alpine\nWORKDIR /app\nRUN go install github.com/air-verse/air@v1.52.3\nCOPY go.mod ./\nCOPY . .\nENTRYPOINT [\"air\", \"-c\", \".air.toml\"]\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/craft\n\ngo 1.23.3\n"),
        ("go.sum", ""),
        ("cmd/craft/main.go", "package main\n\nfunc main() {}\n"),
        ("cmd/craft/templates/docker/dockerfile.tmpl", tmpl),
        (
            "cmd/craft/templates/scripts/dev.sh",
            "#!/bin/sh\ngo install github.com/cosmtrek/air@latest\nair -c {{ .AirConfig }}\n",
        ),
        (
            "cmd/craft/templates/common/air.toml.tmpl",
            "[build]\n  cmd = \"go build -o ./tmp/{{ .Binary }} ./cmd/{{ .Binary }}\"\n",
        ),
        ("_example/go.mod", "module example.com/example\n\ngo 1.22\n"),
        (
            "_example/cmd/craftd/main.go",
            "package main\n\nfunc main() {}\n",
        ),
        ("_example/.air.toml", "[build]\n"),
        ("_example/docker/craftd.Dockerfile", example),
    ]);
    let c = run(dir.path());
    let named_template = |c: &Value| {
        findings(c)
            .iter()
            .any(|f| f["message"].as_str().unwrap_or("").contains("templates/"))
    };
    assert!(!named_template(&c), "{c:#}");
    assert_lacks(&c, "launch-config-missing");
    let c = run(&dir.path().join("_example"));
    assert!(!named_template(&c), "{c:#}");
    let f = finding(&c, "build-source-missing");
    assert_eq!(f["severity"], "fail", "{c:#}");
}

/// happyfisherod/go-api-template: a dev image on golang:1.16 runs `go get
/// github.com/go-delve/delve/cmd/dlv` (no version: in module mode go get takes the newest
/// release, whose go line Go 1.16 cannot meet) before `go get -u github.com/cosmtrek/air`
/// (the old air path, which go refuses). The build stops at the dlv line first: both are said,
/// each at its line, so fixing the air line alone is not offered as the whole fix. Not for a
/// pinned dlv, GOPATH mode, or Go 1.18 to 1.20 (go get in a module only writes go.mod there).
#[test]
fn an_unversioned_go_get_of_a_dev_tool_stops_the_image_before_air() {
    let dir = repository_with(&[
        (
            "docker-compose.yml",
            "services:\n  api:\n    build:\n      context: .\n      dockerfile: dockerfiles/Dockerfile.api.dev\n    volumes:\n      - ./:/app\n",
        ),
        ("go.mod", "module example.com/app\n\ngo 1.16\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.api.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let p = dir.path();
    std::fs::create_dir(p.join("dockerfiles")).unwrap();
    let write = |base: &str, dlv: &str| {
        std::fs::write(
            p.join("dockerfiles/Dockerfile.api.dev"),
            format!("FROM {base} AS dev\n\nENV GO111MODULE=on \\\n    CGO_ENABLED=1\n\n# Build Delve\nRUN {dlv}\n# Build Air\nRUN go get -u github.com/cosmtrek/air\n\nRUN mkdir /app\nWORKDIR /app\n\nCMD [\"air\", \"-c\", \".air.api.toml\"]\n"),
        )
        .unwrap();
    };
    let stops = |c: &Value| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "air-install-fails")
            .cloned()
            .collect()
    };
    write(
        "golang:1.16-buster",
        "go get github.com/go-delve/delve/cmd/dlv",
    );
    let c = run(p);
    let all = stops(&c);
    assert_eq!(all.len(), 2, "{c:#}");
    let dlv = &all[0];
    assert_at(dlv, "warn", 7);
    assert_eq!(
        dlv["evidence"]["tool"], "github.com/go-delve/delve",
        "{dlv:#}"
    );
    let message = dlv["message"].as_str().unwrap();
    for part in [
        "`go get github.com/go-delve/delve/cmd/dlv` fails on Go 1.16 (go get without a version takes the newest release)",
        "the newest dlv needs Go >= 1.25",
        "the image build stops there",
        "`api` service",
        "golang:1.25 or newer",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    let air = &all[1];
    assert_at(air, "warn", 9);
    let message = air["message"].as_str().unwrap();
    for part in [
        "`go get -u github.com/cosmtrek/air` fails",
        "stops there too once dockerfiles/Dockerfile.api.dev:7 is fixed",
        "go install github.com/cosmtrek/air@v1.27.8",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // Controls: only the air line stops the build.
    for (base, dlv) in [
        (
            "golang:1.16-buster",
            "go get github.com/go-delve/delve/cmd/dlv@v1.7.0",
        ),
        (
            "golang:1.16-buster",
            "GO111MODULE=off go get github.com/go-delve/delve/cmd/dlv",
        ),
        ("golang:1.19", "go get github.com/go-delve/delve/cmd/dlv"),
        (
            "golang:1.16-buster",
            "go install github.com/go-delve/delve/cmd/dlv",
        ),
    ] {
        write(base, dlv);
        let c = run(p);
        let all = stops(&c);
        assert_eq!(all.len(), 1, "{base} {dlv}: {c:#}");
        assert!(all[0]["evidence"]["tool"].is_null(), "{base} {dlv}: {c:#}");
        assert_at(&all[0], "warn", 9);
    }
}

/// What the dev-tool warning says of an unversioned `go get`, with the real go (GOTOOLCHAIN=
/// local): outside a module go get stops ("no longer supported outside a module"); in a module
/// it takes the newest release and stops at a go line newer than the running Go (gopls's
/// newest asks for Go 1.27, newer than go1.26; skipped when the proxy does not answer or the
/// local Go is new enough).
#[test]
fn an_unversioned_go_get_takes_the_newest_release_with_real_go() {
    let Ok(go) = which::which("go") else {
        eprintln!("go not installed: the mechanism is not tried");
        return;
    };
    let outside = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(&go)
        .args(["get", "github.com/go-delve/delve/cmd/dlv"])
        .env("GOTOOLCHAIN", "local")
        .env("GO111MODULE", "on")
        .env("GOFLAGS", "")
        .current_dir(outside.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(
        stderr.contains("'go get' is no longer supported outside a module"),
        "{stderr}"
    );
    let version = std::process::Command::new(&go)
        .args(["env", "GOVERSION"])
        .output()
        .unwrap();
    let local = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let minor: u32 = local
        .trim_start_matches("go1.")
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if minor >= 27 {
        eprintln!("{local} builds gopls's newest: the stop is not tried");
        return;
    }
    let module = tempfile::tempdir().unwrap();
    std::fs::write(module.path().join("go.mod"), "module m\n\ngo 1.20\n").unwrap();
    let o = std::process::Command::new(&go)
        .args(["get", "golang.org/x/tools/gopls"])
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod")
        .current_dir(module.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    if stderr.contains("dial tcp") || stderr.contains("GOPROXY=off") {
        eprintln!("no proxy: {stderr}");
        return;
    }
    assert!(!o.status.success(), "{stderr}");
    assert!(
        stderr.contains("golang.org/x/tools/gopls@v")
            && stderr.contains("requires go >= 1.2")
            && stderr.contains("GOTOOLCHAIN=local"),
        "{stderr}"
    );
}

/// Beorlor/BotSun: compose builds go-app/Dockerfile on golang:1.20-alpine whose go.mod says
/// `go 1.23.0`. Go 1.20 and older read only `go 1.N` lines and have no GOTOOLCHAIN: `RUN go
/// mod download` and every build air runs stop. That is said (image-go-too-old) next to the
/// failing `cosmtrek/air@latest`, whose pin is then for the Go the module needs (v1.61.7 on
/// Go 1.23), not v1.44.0 on the dead Go 1.20 image. Not for a two-part `go 1.23` line (Go 1.20
/// only notes it when a build fails).
#[test]
fn an_image_before_go_1_21_cannot_read_a_three_part_go_line() {
    let dir = repository_with(&[
        (
            "docker-compose.yml",
            "services:\n  go-app:\n    build: ./go-app\n    volumes:\n      - ./go-app:/app\n    command: air\n",
        ),
        ("go-app/main.go", "package main\n\nfunc main() {}\n"),
        (
            "go-app/.air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
        (
            "go-app/Dockerfile",
            "FROM golang:1.20-alpine\n\nRUN apk update && apk add --no-cache git\n\nRUN go install github.com/cosmtrek/air@latest\n\nWORKDIR /app\n\nCOPY go.mod go.sum ./\n\nRUN go mod download\n\nEXPOSE 8080\n\nCMD [\"air\"]\n",
        ),
    ]);
    let p = dir.path().join("go-app");
    std::fs::write(p.join("go.mod"), "module example.com/app\n\ngo 1.23.0\n").unwrap();
    let c = run(&p);
    let f = finding(&c, "image-go-too-old");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let message = f["message"].as_str().unwrap();
    for part in [
        "image (golang:1.20-alpine)",
        "`go 1.23.0`",
        "invalid go version '1.23.0': must match format 1.23",
        "golang:1.23 image or newer",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    assert!(!message.contains("GOTOOLCHAIN=auto"), "{message}");
    let install = finding(&c, "air-install-fails");
    assert_eq!(
        install["evidence"]["install"], "go install github.com/air-verse/air@v1.61.7",
        "{install:#}"
    );
    std::fs::write(p.join("go.mod"), "module example.com/app\n\ngo 1.23\n").unwrap();
    let c = run(&p);
    assert_lacks(&c, "image-go-too-old");
    assert_eq!(
        finding(&c, "air-install-fails")["evidence"]["install"],
        "go install github.com/cosmtrek/air@v1.44.0"
    );
}

/// Golangcodes/nextdeploy's shape: build.cmd is a mage target (`mage buildCLIDev`) whose
/// magefile (`//go:build mage`, so no package of a plain go build) builds `./cli` through a
/// helper given a constant; the root holds no other Go file. The package judged is ./cli
/// (go builds it; `go build .` finds no Go file the constraints keep), so include_dir =
/// ["cli"] hides internal/pack, which the CLI imports; the magefile's root is no main package.
#[test]
fn a_mage_target_build_is_judged_on_the_package_it_builds() {
    if !which_go() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let write = |rel: &str, text: &str| {
        let path = p.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("go.mod", "module example.com/shape\n\ngo 1.22\n");
    write(
        "magefile.go",
        "//go:build mage\n// +build mage\n\npackage main\n\nimport (\n\t\"path/filepath\"\n\n\t\"github.com/magefile/mage/mg\"\n\t\"github.com/magefile/mage/sh\"\n)\n\nconst (\n\tcliPkg = \"./cli\"\n)\n\nfunc goBuild(output, pkg string) error {\n\tenv := map[string]string{\"CGO_ENABLED\": \"0\"}\n\treturn sh.RunWithV(env, \"go\", \"build\",\n\t\t\"-trimpath\",\n\t\t\"-o\", output,\n\t\tpkg,\n\t)\n}\n\n// Tidy runs go mod tidy.\nfunc Tidy() error {\n\treturn sh.Run(\"go\", \"mod\", \"tidy\")\n}\n\n// BuildCLIDev builds the CLI.\nfunc BuildCLIDev() error {\n\tmg.Deps(Tidy)\n\treturn goBuild(filepath.Join(\"tmp\", \"cli\"), cliPkg)\n}\n",
    );
    write(
        "cli/main.go",
        "package main\n\nimport \"example.com/shape/internal/pack\"\n\nfunc main() { pack.Do() }\n",
    );
    write(
        "internal/pack/pack.go",
        "package pack\n\n// Do does it.\nfunc Do() {}\n",
    );
    write(
        ".air.toml",
        "[build]\n  cmd = \"mage buildCLIDev\"\n  bin = \"tmp/cli\"\n  include_dir = [\"cli\"]\n  stop_on_error = true\n",
    );
    // go's verdict on the shape: ./cli builds, the root is no package of a plain build.
    let go = |args: &[&str]| {
        std::process::Command::new("go")
            .args(args)
            .current_dir(p)
            .env("GOFLAGS", "-mod=mod")
            .env("GOPROXY", "off")
            .output()
            .unwrap()
    };
    assert!(go(&["build", "-o", "tmp/cli", "./cli"]).status.success());
    let root = go(&["build", "-o", "tmp/root", "."]);
    assert!(!root.status.success());
    assert!(
        String::from_utf8_lossy(&root.stderr).contains("build constraints exclude all Go files"),
        "{}",
        String::from_utf8_lossy(&root.stderr)
    );
    let c = run(p);
    let f = finding(&c, "hides-imported-package");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("internal/pack/"), "{f:#}");
    assert!(message.starts_with(".air.toml:4"), "{f:#}");
    // A target the magefile does not have: what it builds is unknown, and the root, which
    // holds only the magefile, is no main package to judge instead.
    write(
        ".air.toml",
        "[build]\n  cmd = \"mage other\"\n  bin = \"tmp/cli\"\n  include_dir = [\"cli\"]\n  stop_on_error = true\n",
    );
    let c = run(p);
    assert_lacks(&c, "hides-imported-package");
}

/// Golangcodes/nextdeploy: the only launch is a mage target (`sh.RunV("air", "-c",
/// ".air.cli.toml")`) and the config's build is `mage buildCLI`. Whoever starts air that way
/// has mage, so mage missing here is a note, not "every build fails"; the same config with no
/// mage launcher (and no other) still warns.
#[test]
fn a_task_runner_that_starts_air_itself_is_taken_as_present() {
    assert!(which_missing("mage"), "this test needs mage off PATH");
    let files = [
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cli/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.cli.toml",
            "[build]\n  cmd = \"mage buildCLI\"\n  bin = \"./tmp/cli\"\n  stop_on_error = true\n",
        ),
        (
            "magefile.go",
            "//go:build mage\n\npackage main\n\nimport \"github.com/magefile/mage/sh\"\n\n// BuildCLI builds the CLI.\nfunc BuildCLI() error {\n\treturn sh.RunV(\"go\", \"build\", \"-o\", \"tmp/cli\", \"./cli\")\n}\n\n// Dev runs the CLI with live reload.\nfunc Dev() error {\n\treturn sh.RunV(\"air\", \"-c\", \".air.cli.toml\")\n}\n",
        ),
    ];
    let dir = repository_with(&files);
    let c = run(dir.path());
    assert_lacks(&c, "tool-not-found");
    let f = finding(&c, "runner-not-here");
    assert_at(f, "info", 2);
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("`dev` target (magefile.go:") && m.contains("mage"),
        "{m}"
    );
    // Without the mage launcher, a user may well lack mage.
    let magefile = dir.path().join("magefile.go");
    let text = std::fs::read_to_string(&magefile).unwrap();
    std::fs::write(
        &magefile,
        text.replace("sh.RunV(\"air\", \"-c\", \".air.cli.toml\")", "nil"),
    )
    .unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "runner-not-here");
    assert_eq!(
        finding(&c, "tool-not-found")["evidence"]["program"],
        "mage",
        "{c:#}"
    );
}

/// Whether `program` is not on this machine's PATH (the doctor judges with it).
fn which_missing(program: &str) -> bool {
    !std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .status()
        .unwrap()
        .success()
}

/// ktnyt/GoWebStack: the README starts everything with `mise x -- go run ./cmd/dev` and a
/// config's build is `mise x -- templ generate`. mise itself is the documented way in (a
/// note), but mise runs templ, which its mise.toml does not list (only bun and go) and go.mod
/// has no tool line for: that is the warning. Listed in [tools], nothing is said of templ.
#[test]
fn a_program_mise_runs_is_judged_by_what_mise_provides() {
    assert!(
        which_missing("mise") && which_missing("templ"),
        "this test needs mise and templ off PATH"
    );
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.24\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("mise.toml", "[tools]\nbun = \"latest\"\ngo = \"latest\"\n"),
        ("README.md", "# App\n\n```sh\nmise install\nmise x -- go run ./cmd/dev\n```\n"),
        (
            ".air.toml",
            "[build]\n  cmd = \"mise x -- templ generate\"\n  bin = \"/usr/bin/true\"\n  include_ext = [\"templ\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let note = finding(&c, "runner-not-here");
    assert_at(note, "info", 2);
    assert!(
        note["message"].as_str().unwrap().contains("README.md:5"),
        "{note:#}"
    );
    let f = finding(&c, "tool-not-found");
    assert_at(f, "warn", 2);
    assert_eq!(f["evidence"]["program"], "templ", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("mise.toml lists only bun, go"), "{m}");
    // bunx comes with bun: `mise x -- bunx tailwindcss` is provided.
    let cfg = dir.path().join(".air.toml");
    std::fs::write(&cfg, "[build]\n  cmd = \"mise x -- bunx tailwindcss -i a.css -o b.css\"\n  bin = \"/usr/bin/true\"\n  include_ext = [\"css\"]\n").unwrap();
    assert_lacks(&run(dir.path()), "tool-not-found");
    // templ listed as a go tool of mise.toml.
    std::fs::write(&cfg, "[build]\n  cmd = \"mise x -- templ generate\"\n  bin = \"/usr/bin/true\"\n  include_ext = [\"templ\"]\n").unwrap();
    std::fs::write(
        dir.path().join("mise.toml"),
        "[tools]\nbun = \"latest\"\ngo = \"latest\"\n\"go:github.com/a-h/templ/cmd/templ\" = \"latest\"\n",
    )
    .unwrap();
    assert_lacks(&run(dir.path()), "tool-not-found");
    // ktnyt/GoWebStack whole: the README's `mise x -- go run ./cmd/dev` starts a Go dev runner
    // that runs `air -c .air.toml`. The config's launcher is that program, not mise, and
    // mise is still how the project is started: a note, and templ's warning stands.
    std::fs::write(
        dir.path().join("mise.toml"),
        "[tools]\nbun = \"latest\"\ngo = \"latest\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("cmd/dev")).unwrap();
    std::fs::write(
        dir.path().join("cmd/dev/main.go"),
        "package main\n\nimport \"os/exec\"\n\nfunc main() {\n\targs := []string{\"air\", \"-c\", \".air.toml\"}\n\t_ = exec.Command(args[0], args[1:]...).Run()\n}\n",
    )
    .unwrap();
    let c = run(dir.path());
    assert_eq!(
        c["evidence"]["launches"][0]["file"], "cmd/dev/main.go",
        "{c:#}"
    );
    assert_at(finding(&c, "runner-not-here"), "info", 2);
    assert_eq!(
        finding(&c, "tool-not-found")["evidence"]["program"],
        "templ",
        "{c:#}"
    );
}

/// asomervell/probably: the build starts with `./bin/tailwindcss`, which .gitignore keeps out
/// of the checkout and only a Makefile target that fetches macOS builds downloads: sh finds
/// no such file (exit 127) and every build fails. Once the file is there, or when the build
/// makes it itself (`go build -o ./bin/app . && ./bin/app`), nothing is said.
#[test]
fn a_relative_program_the_checkout_lacks_is_a_missing_program() {
    let cmd =
        "./bin/tailwindcss -i ./static/input.css -o ./static/output.css && go build -o ./tmp/app .";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".gitignore", "/tmp/\n/bin/\n"),
        (
            "Makefile",
            "css-install:\n\t@mkdir -p bin\n\tcurl -sLO https://github.com/tailwindlabs/tailwindcss/releases/latest/download/tailwindcss-macos-arm64\n\tmv tailwindcss-macos-arm64 bin/tailwindcss\n",
        ),
        (
            ".air.toml",
            &format!("[build]\n  cmd = \"{cmd}\"\n  bin = \"./tmp/app\"\n  stop_on_error = true\n"),
        ),
    ]);
    // The real shell air runs the cmd with.
    let status = std::process::Command::new("sh")
        .args(["-c", cmd])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(127));
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_at(f, "warn", 2);
    assert_eq!(f["evidence"]["program"], "./bin/tailwindcss", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains(".gitignore:2")
            && m.contains("`css-install` target (Makefile:1)")
            && m.contains("macOS"),
        "{m}"
    );
    // Built by the cmd itself: no finding.
    let cfg = dir.path().join(".air.toml");
    std::fs::write(&cfg, "[build]\n  cmd = \"go build -o ./bin/app . && ./bin/app version\"\n  bin = \"./bin/app\"\n  stop_on_error = true\n").unwrap();
    assert_lacks(&run(dir.path()), "tool-not-found");
    // There: no finding.
    std::fs::write(
        &cfg,
        format!("[build]\n  cmd = \"{cmd}\"\n  bin = \"./tmp/app\"\n  stop_on_error = true\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("bin")).unwrap();
    std::fs::write(dir.path().join("bin/tailwindcss"), "#!/bin/sh\n").unwrap();
    assert_lacks(&run(dir.path()), "tool-not-found");
}

/// A relative program an earlier step may make (`make tools && ./bin/gen`, `./scripts/fetch.sh
/// && ./bin/gen`) is not judged missing: the recipe or script may well write it.
#[test]
fn a_relative_program_an_earlier_step_may_make_is_not_judged() {
    for cmd in [
        "make tools && ./bin/gen && go build -o ./tmp/app .",
        "./scripts/fetch.sh && ./bin/gen && go build -o ./tmp/app .",
    ] {
        let dir = repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("Makefile", "tools:\n\tgo build -o bin/gen ./tools/gen\n"),
            ("scripts/fetch.sh", "#!/bin/sh\n"),
            (
                ".air.toml",
                &format!(
                    "[build]\n  cmd = \"{cmd}\"\n  bin = \"./tmp/app\"\n  stop_on_error = true\n"
                ),
            ),
        ]);
        let c = run(dir.path());
        assert!(
            !missing_programs(&c).iter().any(|p| *p == "./bin/gen"),
            "{cmd}\n{c:#}"
        );
    }
}

/// A dev runner of the repository's own, `go run ./cmd/dev` (ktnyt/GoWebStack's and
/// CharaXiv/charaxiv.app's cmd/dev): a main package whose server.go hands the literal argv
/// `[]string{"air", "-c", ".air.server.toml"}` to a helper doing `exec.Command(args[0],
/// args[1:]...)`. Go programs were not read as launchers: every config was judged in an
/// assumed `air -c X` context, and a beside-config nothing runs (a tailwind `--watch` one)
/// got an endless-build fail. Real go runs the program (with a stand-in air on PATH that
/// records where and how it was started): air runs in the module root with that argv.
#[test]
fn a_go_dev_runner_that_execs_air_is_a_launcher() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/web\n\ngo 1.22\n"),
        ("cmd/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            "cmd/dev/main.go",
            "package main\n\nimport (\n\t\"os/exec\"\n\t\"sync\"\n)\n\nfunc main() {\n\tvar wg sync.WaitGroup\n\tcmds := make(chan *exec.Cmd, 4)\n\twg.Add(1)\n\tgo server(&wg, cmds)\n\twg.Wait()\n}\n",
        ),
        (
            "cmd/dev/command.go",
            "package main\n\nimport (\n\t\"os\"\n\t\"os/exec\"\n\t\"sync\"\n)\n\nfunc runCommand(name string, args []string, wg *sync.WaitGroup, cmds chan<- *exec.Cmd) {\n\tdefer wg.Done()\n\tcmd := exec.Command(args[0], args[1:]...)\n\tcmd.Stdout = os.Stdout\n\tcmd.Stderr = os.Stderr\n\tcmds <- cmd\n\t_ = cmd.Run()\n}\n",
        ),
        (
            "cmd/dev/server.go",
            "package main\n\nimport (\n\t\"os/exec\"\n\t\"sync\"\n)\n\nfunc server(wg *sync.WaitGroup, cmds chan<- *exec.Cmd) {\n\trunCommand(\"SERVER\", []string{\"air\", \"-c\", \".air.server.toml\"}, wg, cmds)\n}\n",
        ),
        (
            ".air.server.toml",
            "root = \".\"\n\n[build]\n  cmd = \"go build -o ./tmp/server ./cmd/server\"\n  bin = \"./tmp/server\"\n  stop_on_error = true\n",
        ),
        (
            ".air.tailwind.toml",
            "root = \".\"\n\n[build]\n  cmd = \"npx tailwindcss -i src/input.css -o assets/styles.css --watch\"\n  bin = \"/usr/bin/true\"\n  include_ext = [\"css\"]\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    assert_eq!(
        launched(&c, dir.path()),
        vec![(
            "cmd/dev/server.go".into(),
            String::new(),
            String::new(),
            false
        )],
        "{c:#}"
    );
    let not_read = finding(&c, "config-not-read");
    assert_eq!(not_read["severity"], "info", "{c:#}");
    assert!(
        not_read["message"]
            .as_str()
            .unwrap()
            .contains("cmd/dev (a Go program: cmd/dev/server.go:9)"),
        "{c:#}"
    );
    assert_lacks(&c, "endless-build");
    if which_go() {
        let bin = dir.path().join("fakebin");
        std::fs::create_dir(&bin).unwrap();
        let air = bin.join("air");
        std::fs::write(&air, "#!/bin/sh\necho \"$PWD $*\" > \"$AIR_SEEN\"\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&air, std::fs::Permissions::from_mode(0o755)).unwrap();
        let seen = dir.path().join("seen.txt");
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        let o = std::process::Command::new("go")
            .args(["run", "./cmd/dev"])
            .current_dir(dir.path())
            .env("PATH", path)
            .env("AIR_SEEN", &seen)
            .env("GOFLAGS", "")
            .env("GOPROXY", "off")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let root = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&seen).unwrap().trim(),
            format!("{} -c .air.server.toml", root.display())
        );
    }
}

/// CharaXiv/charaxiv.app's cmd/dev runs `/home/exedev/go/bin/air -c .air.fmt.toml`, and the
/// config's cmd runs `/home/exedev/go/bin/templ`: the whole dev setup is made for that one
/// machine, and the config's path binds it no further: a note naming the launcher. A config
/// the same program starts with a plain `air` still gets the warning for its home path.
#[test]
fn a_home_path_the_launcher_itself_runs_from_is_a_note() {
    let dev = |file: &str, air: &str, config: &str| {
        (
            format!("cmd/dev/{file}.go"),
            format!("package main\n\nfunc {file}() {{\n\trunCommand([]string{{\"{air}\", \"-c\", \"{config}\"}})\n}}\n"),
        )
    };
    let files: Vec<(String, String)> = vec![
        ("go.mod".into(), "module example.com/web\n\ngo 1.22\n".into()),
        ("main.go".into(), "package main\n\nfunc main() {}\n".into()),
        (
            "cmd/dev/main.go".into(),
            "package main\n\nimport \"os/exec\"\n\nfunc main() {\n\tfmtw()\n\tserver()\n}\n\nfunc runCommand(args []string) {\n\t_ = exec.Command(args[0], args[1:]...).Run()\n}\n".into(),
        ),
        dev("fmtw", "/home/exedev/go/bin/air", ".air.fmt.toml"),
        dev("server", "air", ".air.server.toml"),
        (
            ".air.fmt.toml".into(),
            "[build]\n  cmd = \"/home/exedev/go/bin/templ fmt . && go build -o ./tmp/a .\"\n  bin = \"./tmp/a\"\n  stop_on_error = true\n".into(),
        ),
        (
            ".air.server.toml".into(),
            "[build]\n  cmd = \"/home/exedev/go/bin/templ generate && go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n".into(),
        ),
    ];
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = repository_with(&files);
    let c = run(dir.path());
    let mut bound: Vec<(String, String)> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "machine-bound-build")
        .map(|f| {
            (
                f["evidence"]["file"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    bound.sort();
    assert_eq!(
        bound,
        vec![
            (".air.fmt.toml".to_string(), "info".to_string()),
            (".air.server.toml".to_string(), "warn".to_string()),
        ],
        "{c:#}"
    );
    let note = findings(&c)
        .iter()
        .find(|f| f["severity"] == "info" && f["evidence"]["problem"] == "machine-bound-build")
        .unwrap();
    assert!(
        note["message"].as_str().unwrap().contains(
            "cmd/dev (a Go program: cmd/dev/fmtw.go:4) itself runs air from /home/exedev"
        ),
        "{c:#}"
    );
}

/// rotembarsela/trainer-kit: a launcher runs plain `air` in apps/server, which holds air.toml
/// (never read) and no Go file at its top (main is cmd/main.go): air's defaults fail. The
/// advice to make air read air.toml is not enough there, as its own `go build -o tmp/main`
/// builds the same empty folder: the finding says so, naming `./cmd`. With air.toml's cmd
/// building ./cmd, the advice alone is the cure.
#[test]
fn an_unread_config_whose_own_build_fails_too_is_not_advised_alone() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/trainer\n\ngo 1.22\n"),
        ("cmd/main.go", "package main\n\nfunc main() {}\n"),
        ("Makefile", "dev:\n\tair\n"),
        (
            "air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "config-not-read");
    assert_eq!(f["severity"], "fail", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("reading air.toml is not enough") && m.contains("`./cmd`"),
        "{m}"
    );
    std::fs::write(
        dir.path().join("air.toml"),
        "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"go build -o tmp/main ./cmd\"\n  stop_on_error = true\n",
    )
    .unwrap();
    let c = run(dir.path());
    let m = finding(&c, "config-not-read")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!m.contains("not enough"), "{m}");
}

/// Douglasblnk/Gymn (hold-out 17): `go build -o ./tmp ./cmd/server/main.go` with bin
/// `./tmp/main`. air makes tmp_dir before the first build, so -o names a folder and go writes
/// ./tmp/main there (real go, checked here): no binary-mismatch, although the checkout has no
/// tmp/. A -o naming a file elsewhere still mismatches.
#[test]
fn an_output_naming_the_tmp_dir_air_makes_is_a_folder() {
    let dir = project_with(&[
        ("go.mod", "module example.com/gymn\n\ngo 1.22\n"),
        ("cmd/server/main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp ./cmd/server/main.go\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ]);
    assert_lacks(&run(dir.path()), "binary-mismatch");
    if which_go() {
        std::fs::create_dir(dir.path().join("tmp")).unwrap();
        let o = std::process::Command::new("go")
            .args(["build", "-o", "./tmp", "./cmd/server/main.go"])
            .current_dir(dir.path())
            .env("GOFLAGS", "")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(dir.path().join("tmp/main").is_file());
        std::fs::remove_dir_all(dir.path().join("tmp")).unwrap();
    }
    std::fs::write(
        dir.path().join(".air.toml"),
        "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./bin/app ./cmd/server/main.go\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
    )
    .unwrap();
    assert_eq!(
        finding(&run(dir.path()), "binary-mismatch")["severity"],
        "fail"
    );
}

/// kerosin1337/go-learn and emthy0/lmwn2024-backend-golang-assesment: `.air.mac.toml` for
/// Linux and macOS beside `.air.win.toml` (or `.air.windows.toml`) for Windows, whose
/// `bin = "tmp\\main.exe"` and `cmd = "swag init & go build -o ./tmp/main.exe ."` (or `&&`).
/// On Windows air v1.62.0 and later run cmd with `powershell -NoProfile -NonInteractive
/// -Command` (v1.67.4 runner/util_windows.go:52), Windows PowerShell 5.1, whose parser
/// rejects `&` between commands and `&&` (the recorded errors are in powershell.rs's unit
/// test): every build fails there. sh's reading (`&` backgrounds swag, racing go build) was
/// reported twice and is not what happens; `;` works; the Linux/macOS sibling, and a config
/// with no Windows marks, stay judged under sh.
#[test]
fn a_windows_only_configs_build_is_judged_under_windows_powershell_not_sh() {
    let win = |cmd: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"tmp\\\\main.exe\"\n  cmd = \"{cmd}\"\n  exclude_dir = [\"tmp\", \"docs\"]\n  stop_on_error = true\n")
    };
    let mac = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  bin = \"./tmp/main\"\n  cmd = \"swag init & go build -o ./tmp/main .\"\n  exclude_dir = [\"tmp\", \"docs\"]\n  stop_on_error = true\n";
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.mac.toml", mac),
        (
            ".air.win.toml",
            &win("swag init & go build -o ./tmp/main.exe ."),
        ),
    ]);
    let of = |c: &Value, file: &str, problem: &str| -> Vec<Value> {
        findings(c)
            .iter()
            .filter(|f| f["evidence"]["file"] == file && f["evidence"]["problem"] == problem)
            .cloned()
            .collect()
    };
    let c = run(dir.path());
    let rejects = of(&c, ".air.win.toml", "powershell-rejects");
    assert_eq!(rejects.len(), 1, "{c:#}");
    assert_at(&rejects[0], "warn", 6);
    let message = rejects[0]["message"].as_str().unwrap();
    assert!(
        message.contains("runner/util_windows.go:52")
            && message.contains("Windows PowerShell 5.1")
            && message.contains("The ampersand (&) character is not allowed")
            && message.contains("every build fails")
            && message.contains("write `swag init; go build -o ./tmp/main.exe .`"),
        "{message}"
    );
    // sh's reading is kept off the Windows config, and kept on the Linux/macOS one.
    assert!(
        of(&c, ".air.win.toml", "backgrounded-generator").is_empty(),
        "{c:#}"
    );
    assert!(
        of(&c, ".air.win.toml", "tool-not-found").is_empty(),
        "{c:#}"
    );
    assert_eq!(
        of(&c, ".air.mac.toml", "backgrounded-generator").len(),
        1,
        "{c:#}"
    );
    assert!(
        of(&c, ".air.mac.toml", "powershell-rejects").is_empty(),
        "{c:#}"
    );

    // `&&` (emthy0's .air.windows.toml): "not a valid statement separator in this version".
    std::fs::remove_file(dir.path().join(".air.win.toml")).unwrap();
    std::fs::write(
        dir.path().join(".air.windows.toml"),
        win("swag init && go build -o ./tmp/main.exe ."),
    )
    .unwrap();
    let c = run(dir.path());
    let rejects = of(&c, ".air.windows.toml", "powershell-rejects");
    assert_eq!(rejects.len(), 1, "{c:#}");
    let message = rejects[0]["message"].as_str().unwrap();
    assert!(
        message.contains("The token '&&' is not a valid statement separator in this version.")
            && message.contains("`swag init; if ($?) { go build -o ./tmp/main.exe . }`"),
        "{message}"
    );

    // `;` runs in PowerShell 5.1: nothing to say about the separator.
    std::fs::write(
        dir.path().join(".air.windows.toml"),
        win("swag init; go build -o ./tmp/main.exe ."),
    )
    .unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "powershell-rejects");

    // No Windows marks: the config works on every system and stays judged under sh.
    std::fs::remove_file(dir.path().join(".air.windows.toml")).unwrap();
    std::fs::remove_file(dir.path().join(".air.mac.toml")).unwrap();
    std::fs::write(
        dir.path().join(".air.toml"),
        mac.replace("./tmp/main .", "./tmp/main.exe .")
            .replace("\"./tmp/main\"", "\"./tmp/main.exe\""),
    )
    .unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "powershell-rejects");
    finding(&c, "backgrounded-generator");
}

/// A config whose launcher runs only on Windows (a Makefile target that first runs
/// `.\tailwindcss.exe`) is judged by the air release that launcher runs: air v1.61.7 ran
/// Windows builds with `cmd /c` (runner/util_windows.go: `exec.Command("cmd", "/c", cmd)`),
/// where `&&` chains commands; v1.62.0 switched to `powershell` (#708), which rejects it.
#[test]
fn a_windows_builds_separators_are_judged_by_the_air_release_its_launcher_runs() {
    let makefile = |air: &str| {
        format!("dev:\n\t.\\tailwindcss.exe -i in.css -o out.css\n\tgo run github.com/air-verse/air@{air} -c .air.toml\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            ".air.toml",
            "[build]\n  bin = \"tmp\\\\main.exe\"\n  cmd = \"go vet ./... && go build -o ./tmp/main.exe .\"\n  stop_on_error = true\n",
        ),
        ("Makefile", &makefile("v1.62.0")),
    ]);
    let c = run(dir.path());
    let rejects = finding(&c, "powershell-rejects");
    assert_at(rejects, "warn", 3);
    let message = rejects["message"].as_str().unwrap();
    assert!(
        message.contains("its launcher runs only on Windows")
            && message.contains("air v1.62.0")
            && message.contains("not a valid statement separator in this version"),
        "{message}"
    );
    std::fs::write(dir.path().join("Makefile"), makefile("v1.61.7")).unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "powershell-rejects");
    // Without the launcher the config, written for Windows, is also run on Linux and macOS
    // (windows-only-config), and the current air's PowerShell rejects it on Windows: it does
    // not "work there".
    std::fs::remove_file(dir.path().join("Makefile")).unwrap();
    let c = run(dir.path());
    let message = finding(&c, "windows-only-config")["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("not even there does it work")
            && message.contains("rejects the `&&` in build.cmd")
            && !message.contains("where it works"),
        "{message}"
    );
    assert_at(finding(&c, "powershell-rejects"), "warn", 3);
}

/// Hold-out 18's leon0719/go-backend-template: `"$schema" = ".../.air.schema.json"` at the top
/// of .air.toml is the editor's schema hint; air v1.67.4's decoder skips it, nothing is lost.
#[test]
fn an_editor_schema_hint_is_a_note_not_an_unknown_key_warning() {
    let toml = |first: &str| {
        format!("{first}\nroot = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n")
    };
    let dir = project_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", &toml("\"$schema\" = \"https://raw.githubusercontent.com/air-verse/air/master/.air.schema.json\"")),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "unknown-key");
    assert_at(f, "info", 1);
    assert!(
        f["message"].as_str().unwrap().contains("schema hint"),
        "{f:#}"
    );
    // Another unknown top-level key stays a warning.
    std::fs::write(dir.path().join(".air.toml"), toml("schema = \"x\"")).unwrap();
    assert_at(finding(&run(dir.path()), "unknown-key"), "warn", 1);
}

/// A Makefile whose conditionals pick the config a recipe passes (`air -c $(AIR_CONFIG)`,
/// AIR_CONFIG set tab-indented in `ifeq ($(OS),Windows_NT)` ... `else` ... `endif`): the shape
/// of hold-out 17's emthy0/lmwn2024-backend-golang-assesment. Nothing was judged (air's
/// defaults were); each branch's config is a launch on its condition, and a problem in the
/// one chosen off Windows is found there.
#[test]
fn each_config_a_make_conditional_chooses_is_judged_on_its_condition() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "Makefile",
            "ifeq ($(OS),Windows_NT)\n    TARGET = bin\\main.exe\n\t\tAIR_CONFIG = .air.windows.toml\nelse\n    TARGET = bin/main\n\t\tAIR_CONFIG = .air.mac.toml\nendif\n\nbuild:\n\tgo build -o $(TARGET)\n\ndev:\n\tair -c $(AIR_CONFIG)\n",
        ),
        (
            ".air.windows.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main.exe .\"\n  bin = \"tmp\\\\main.exe\"\n",
        ),
        (
            ".air.mac.toml",
            "[build]\n  cmd = \"no-such-generator-h17 && go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["evidence"]["file"], ".air.mac.toml", "{f:#}");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let launch = &f["evidence"]["launches"][0];
    assert_eq!(launch["line"], 13, "{f:#}");
    assert!(
        launch["condition"]
            .as_str()
            .unwrap()
            .starts_with("not on Windows"),
        "{f:#}"
    );
    // The Windows branch's config is a launch too, said as Windows-only.
    let windows: Vec<&Value> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["file"] == ".air.windows.toml")
        .collect();
    assert!(
        windows.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("on Windows (`ifeq ($(OS),Windows_NT)`, line 1)")),
        "{c:#}"
    );
}

/// A Go dev runner (`go run scripts/dev.go`, `//go:build ignore`, package main) that chooses
/// the config by runtime.GOOS into a local and runs `exec.Command("air", "-c", config)`: the
/// shape of hold-out 17's nirupam52/expenseTrack. The config it runs off Windows was never
/// judged (the `-c` argument was unknown); now each value is a launch on its condition, and a
/// problem in the one chosen off Windows is found there.
#[test]
fn each_config_a_go_dev_runner_chooses_by_goos_is_judged_on_its_condition() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "scripts/dev.go",
            "//go:build ignore\n\npackage main\n\nimport (\n\t\"os\"\n\t\"os/exec\"\n\t\"runtime\"\n)\n\nfunc main() {\n\tconfig := \".air.unix.toml\"\n\tif runtime.GOOS == \"windows\" {\n\t\tconfig = \".air.toml\"\n\t}\n\n\tcmd := exec.Command(\"air\", \"-c\", config)\n\tcmd.Stdout = os.Stdout\n\tcmd.Run()\n}\n",
        ),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main.exe .\"\n  bin = \"tmp\\\\main.exe\"\n",
        ),
        (
            ".air.unix.toml",
            "[build]\n  cmd = \"no-such-generator-h17 && go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["evidence"]["file"], ".air.unix.toml", "{f:#}");
    assert_eq!(f["severity"], "warn", "{f:#}");
    let launch = &f["evidence"]["launches"][0];
    assert_eq!(launch["file"], "scripts/dev.go", "{f:#}");
    assert_eq!(launch["line"], 17, "{f:#}");
    assert_eq!(
        launch["condition"], "not on Windows (runtime.GOOS)",
        "{f:#}"
    );
}

/// A per-OS template a setup script copies to the name air reads (`cp .air.unix.toml
/// .air.toml` in scripts/setup-air.sh, `.air.toml` gitignored) and a plain `air` launch: the
/// shape of hold-out 17's runtime-dynamics/hatstack. The doctor said a wrong fail (plain air
/// never reads .air.unix.toml, so its defaults fail with no Go files at the root); the plain
/// launch reads the copy, so the template is judged there and no defaults are.
#[test]
fn a_config_a_setup_script_copies_into_place_is_judged_for_plain_air() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/main.go", "package main\n\nfunc main() {}\n"),
        (".gitignore", "tmp/\n.air.toml\n"),
        ("Makefile", "dev:\n\t@air\n"),
        (
            "scripts/setup-air.sh",
            "#!/bin/bash\nset -e\nif [ -f \".air.unix.toml\" ]; then\n    cp .air.unix.toml .air.toml\nfi\n",
        ),
        (
            ".air.unix.toml",
            "[build]\n  cmd = \"no-such-generator-h17 && go build -o ./tmp/main ./cmd\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let c = run(dir.path());
    assert!(
        findings(&c).iter().all(|f| f["severity"] != "fail"),
        "{c:#}"
    );
    let f = finding(&c, "tool-not-found");
    assert_eq!(f["evidence"]["file"], ".air.unix.toml", "{f:#}");
    assert_eq!(f["evidence"]["launches"][0]["file"], "Makefile", "{f:#}");
}

/// Branches of a make conditional that differ in nothing air sees (hold-out 16's
/// alexandreroman/aws-image-processing-demo: `PORT=$(BACKEND_PORT) go tool air -c
/// .air.backend.toml`, BACKEND_PORT set under `ifneq (,$(wildcard compose.override.yaml))`
/// and its `else`) are one launch, on no condition.
#[test]
fn make_branches_that_change_nothing_air_reads_are_one_launch() {
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (
            "Makefile",
            "ifneq (,$(wildcard compose.override.yaml))\nBACKEND_PORT := 9000\nelse\nBACKEND_PORT := 8000\nendif\n\nbackend:\n\tPORT=$(BACKEND_PORT) air -c .air.backend.toml\n",
        ),
        (
            ".air.backend.toml",
            "[build]\n  cmd = \"no-such-generator-h17 && go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "tool-not-found");
    let launches = f["evidence"]["launches"].as_array().unwrap();
    assert_eq!(launches.len(), 1, "{f:#}");
    assert_eq!(launches[0]["line"], 8, "{f:#}");
    assert_eq!(launches[0]["condition"], Value::Null, "{f:#}");
}

/// Hold-out 18's Linux-oiD/fitfeed: `cd services/api &&FITFEED_CONF=$(PWD) air -c
/// $(PWD)/.air.api.toml`. make expands `$(PWD)` (the folder make is typed in, the Makefile's)
/// before sh runs `cd`, so air runs in services/api with the root's config, and the build's
/// `./cmd/api/main.go` is there.
#[test]
fn make_pwd_names_the_makefiles_folder_before_the_recipe_cds() {
    let dir = project_with(&[
        ("Makefile", "dev-api:\n\t@cd services/api &&FITFEED_CONF=$(PWD) air -c $(PWD)/.air.api.toml\n"),
        (".air.api.toml", "root = \".\"\n[build]\n  cmd = \"go build -o ./tmp/main ./cmd/api/main.go\"\n  bin = \"./tmp/main\"\n"),
        ("services/api/go.mod", "module example.com/api\n\ngo 1.22\n"),
        ("services/api/cmd/api/main.go", "package main\n\nfunc main() {}\n"),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "build-source-missing");
    let text = c.to_string();
    assert!(text.contains("air in services/api"), "{c:#}");
}

/// The configs a report judges: its own and the ones in `evidence.also`.
fn judged_configs(c: &Value) -> Vec<String> {
    let mut out: Vec<String> = std::iter::once(&c["evidence"])
        .chain(c["evidence"]["also"].as_array().into_iter().flatten())
        .filter_map(|e| e["file"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

/// vyolayer/VyoLayer: a package.json with one `air -c toml/.air.NAME.toml` script per
/// service, six of them. Every config a launcher names is judged where it runs (the report
/// judged four, so the last two services' hidden imports were never found); the bound on
/// configs no launcher names stays.
#[test]
fn every_config_a_launcher_names_is_judged_past_four() {
    let names = ["iam", "tenant", "account", "console", "apikey", "gateway"];
    let scripts: Vec<String> = names
        .iter()
        .map(|n| format!("    \"dev:{n}\": \"air -c toml/.air.{n}.toml\""))
        .collect();
    let package = format!("{{\n  \"scripts\": {{\n{}\n  }}\n}}\n", scripts.join(",\n"));
    let mut files: Vec<(String, String)> = vec![
        (
            "go.mod".into(),
            "module example.com/app\n\ngo 1.21\n".into(),
        ),
        ("package.json".into(), package),
        (
            "pkg/shared/shared.go".into(),
            "package shared\n\nfunc Hello() string { return \"hi\" }\n".into(),
        ),
    ];
    for n in names {
        files.push((
            format!("cmd/{n}/main.go"),
            "package main\n\nimport \"example.com/app/pkg/shared\"\n\nfunc main() { println(shared.Hello()) }\n".into(),
        ));
        files.push((
            format!("toml/.air.{n}.toml"),
            format!("root = \".\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o ./tmp/{n} ./cmd/{n}\"\n  entrypoint = [\"./tmp/{n}\"]\n  include_dir = [\"cmd/{n}\"]\n  stop_on_error = true\n"),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = repository_with(&borrowed);
    let c = run(dir.path());
    let mut want: Vec<String> = names
        .iter()
        .map(|n| format!("toml/.air.{n}.toml"))
        .collect();
    want.sort();
    assert_eq!(judged_configs(&c), want, "{c:#}");
    let hiding: Vec<&str> = findings(&c)
        .iter()
        .filter(|f| f["evidence"]["problem"] == "hides-imported-package")
        .filter_map(|f| f["evidence"]["file"].as_str())
        .collect();
    for n in names {
        let file = format!("toml/.air.{n}.toml");
        assert!(hiding.contains(&file.as_str()), "{file} judged: {c:#}");
    }
}

/// RafalSalwa/interview-srv-go: docker-compose.yml builds .docker/api/Dockerfile (CMD `air -c
/// build/.air.api.toml`); .docker/tester/Dockerfile (CMD `air -c build/.air.tester.toml`) is
/// built by nothing (its compose service commented out). What breaks in that config is a note
/// (the Dockerfile may be unused, the repository starting air otherwise), while the same
/// problem in the config compose runs stays a failure.
#[test]
fn a_config_only_a_dockerfile_nothing_builds_runs_gives_notes() {
    let dockerfile = |name: &str| {
        format!("FROM golang:1.22-alpine\nWORKDIR /interview\nRUN go install github.com/air-verse/air@v1.52.3\nCOPY . .\nCMD [\"air\", \"-c\", \"./build/.air.{name}.toml\"]\n")
    };
    let config = |name: &str| {
        format!("root = \".\"\ntmp_dir = \"tmp\"\n[build]\n  cmd = \"go build -o ./tmp/{name} ./cmd/{name}\"\n  entrypoint = [\"./tmp/{name}\"]\n  include_dir = [\"cmd/{name}\"]\n  stop_on_error = true\n")
    };
    let main = "package main\n\nimport \"example.com/app/pkg/shared\"\n\nfunc main() { println(shared.Hello()) }\n";
    let (api_docker, tester_docker) = (dockerfile("api"), dockerfile("tester"));
    let (api_config, tester_config) = (config("api"), config("tester"));
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("pkg/shared/shared.go", "package shared\n\nfunc Hello() string { return \"hi\" }\n"),
        ("cmd/api/main.go", main),
        ("cmd/tester/main.go", main),
        (".docker/api/Dockerfile", &api_docker),
        (".docker/tester/Dockerfile", &tester_docker),
        ("build/.air.api.toml", &api_config),
        ("build/.air.tester.toml", &tester_config),
        (
            "docker-compose.yml",
            "services:\n  api:\n    build:\n      context: ./\n      dockerfile: ./.docker/api/Dockerfile\n    volumes:\n      - ./:/interview\n#  tester:\n#    build:\n#      context: ./\n#      dockerfile: ./.docker/tester/Dockerfile\n",
        ),
    ]);
    let c = run(dir.path());
    let hiding = |file: &str| -> Vec<String> {
        findings(&c)
            .iter()
            .filter(|f| f["evidence"]["problem"] == "hides-imported-package")
            .filter(|f| f["evidence"]["file"] == file)
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(hiding("build/.air.api.toml"), vec!["fail"], "{c:#}");
    assert_eq!(hiding("build/.air.tester.toml"), vec!["info"], "{c:#}");
}

/// Hold-out 18's jadoint/micro: `go build ... /home/app/cmd/blog/main.go` in a config its
/// Dockerfile runs with `WORKDIR /home/app`: the path is the image's own folder, not one
/// person's home, so no machine-bound-build; a home path no container uses still is.
#[test]
fn a_home_path_a_dockerfile_works_in_is_the_images_folder_not_a_machines() {
    let config = |path: &str| {
        format!("root = \".\"\n[build]\n  cmd = \"go build -o micro_blog_service {path}/cmd/blog/main.go\"\n  bin = \"./micro_blog_service\"\n")
    };
    let dir = project_with(&[
        ("go.mod", "module example.com/micro\n\ngo 1.22\n"),
        ("cmd/blog/main.go", "package main\n\nfunc main() {}\n"),
        ("blog.dev.Dockerfile", "FROM golang:1.22\nWORKDIR /home/app\nRUN go install github.com/air-verse/air@v1.52.3\nCMD [\"air\", \"-c\", \".air.blog.toml\"]\n"),
        (".air.blog.toml", &config("/home/app")),
    ]);
    assert_lacks(&run(dir.path()), "machine-bound-build");
    std::fs::write(
        dir.path().join(".air.blog.toml"),
        config("/home/alice/micro"),
    )
    .unwrap();
    assert_at(finding(&run(dir.path()), "machine-bound-build"), "warn", 3);
}

/// The check's launches (its evidence), as (file, target, condition).
fn launch_conditions(c: &Value) -> Vec<(String, String, String)> {
    c["evidence"]["launches"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or("").to_string();
            (s("file"), s("target"), s("condition"))
        })
        .collect()
}

/// Hold-out 17's charlestakang/ATS-resume-optimizer-golang: apps/api/Dockerfile.dev's CMD is
/// `air -c .air.toml`, but every compose service that builds it sets `command: go run ...`
/// ("Temporarily using go run until Air is fixed"), which replaces the CMD: air never runs
/// there, yet the Dockerfile was read alone as a launch and its config judged "started by
/// apps/api/Dockerfile.dev:3". Where one service uses the image without `command:`, the CMD
/// is that service's launch.
#[test]
fn a_dockerfile_cmd_every_compose_service_replaces_is_no_launch() {
    let compose = |second: &str| {
        format!("services:\n  api:\n    build:\n      context: ./apps/api\n      dockerfile: Dockerfile.dev\n    volumes:\n      - ./apps/api:/app\n    working_dir: /app\n    command: go run cmd/server/main.go\n{second}")
    };
    let files = |compose: &str| {
        repository_with(&[
            ("apps/api/go.mod", "module example.com/api\n\ngo 1.21\n"),
            ("apps/api/cmd/server/main.go", "package main\n\nfunc main() {}\n"),
            ("apps/api/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main ./cmd/server\"\n  bin = \"./tmp/main\"\n"),
            (
                "apps/api/Dockerfile.dev",
                "FROM golang:1.21-alpine\nWORKDIR /app\nRUN go install github.com/cosmtrek/air@v1.49.0\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
            ),
            ("docker-compose.yml", compose),
        ])
    };
    let dir = files(&compose(""));
    let c = run(&dir.path().join("apps/api"));
    assert_eq!(launch_conditions(&c), vec![], "{c:#}");
    // A second service of the same image without `command:` runs its CMD.
    let dir = files(&compose("  api-air:\n    build:\n      context: ./apps/api\n      dockerfile: Dockerfile.dev\n    volumes:\n      - ./apps/api:/app\n"));
    let c = run(&dir.path().join("apps/api"));
    let launches = launch_conditions(&c);
    assert_eq!(launches.len(), 1, "{c:#}");
    assert_eq!(
        (launches[0].0.as_str(), launches[0].1.as_str()),
        ("docker-compose.yml", "api-air"),
        "{c:#}"
    );
}

/// Hold-out 17's takuyamashita/hacobi: the compose `api` service builds an image whose RUN
/// installs air (`go install github.com/cosmtrek/air@latest`, which go refuses: see
/// `installing_air_from_its_old_module_path_at_latest_fails_at_that_line`), has no
/// `command:` and a CMD that starts no air, and mounts ./src/api, the config's folder, at its
/// working_dir /app (`tty: true`): the user runs `docker compose exec api air` there. The
/// doctor found no launch, so it never judged the image's install. Without the mount there
/// is no such launch.
#[test]
fn an_image_that_installs_air_with_the_config_mounted_at_its_working_dir_is_run_by_hand() {
    let files = |volumes: &str| {
        repository_with(&[
            ("src/api/go.mod", "module example.com/api\n\ngo 1.21\n"),
            ("src/api/main.go", "package main\n\nfunc main() {}\n"),
            ("src/api/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n"),
            (
                "dev/docker/api/Dockerfile",
                "FROM golang:1.21.4-alpine3.18\n\nRUN go install github.com/cosmtrek/air@latest\n\nCOPY ./dev/docker/api/alias /\n",
            ),
            ("dev/docker/api/alias", "alias ll='ls -l'\n"),
            (
                "docker-compose.yaml",
                &format!("services:\n  web:\n    image: nginx:alpine\n  api:\n    build:\n      context: .\n      dockerfile: ./dev/docker/api/Dockerfile\n{volumes}    working_dir: /app\n    tty: true\n"),
            ),
        ])
    };
    let dir = files("    volumes:\n      - ./src/api:/app\n");
    let c = run(&dir.path().join("src/api"));
    let install = finding_in(&c, "air-install-fails", "dev/docker/api/Dockerfile");
    assert_at(install, "warn", 3);
    let launches = launch_conditions(&c);
    assert_eq!(launches.len(), 1, "{c:#}");
    assert_eq!(launches[0].1, "api", "{c:#}");
    assert!(
        launches[0].2.contains("if air is run by hand in it"),
        "{c:#}"
    );
    // The config's folder is not in the container: nothing says air runs there.
    let dir = files("");
    let c = run(&dir.path().join("src/api"));
    assert_eq!(launch_conditions(&c), vec![], "{c:#}");
    assert!(
        !findings(&c)
            .iter()
            .any(|f| f["evidence"]["problem"] == "air-install-fails"),
        "{c:#}"
    );
}

/// Hold-out 18's mafuuu-dev/go.skeleton: the Dockerfile's `CMD sh -c "air -c
/// .air.${SERVICE}.toml"`, SERVICE set by each compose service's `environment:` (through a
/// YAML merge, `<<: *app`): the shell in the container reads .air.server.toml in `server`,
/// .air.scheduler.toml in `scheduler`. The variable was left unexpanded, so no launch was
/// found. An exec form's words reach air as written (no shell expands them).
#[test]
fn a_shell_cmd_takes_its_variables_from_the_compose_service_environment() {
    let files = |cmd: &str| {
        repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.25\n"),
            ("cmd/server/main.go", "package main\n\nfunc main() {}\n"),
            ("cmd/scheduler/main.go", "package main\n\nfunc main() {}\n"),
            (".air.server.toml", "[build]\n  cmd = \"go build -o ./tmp/server ./cmd/server\"\n  bin = \"./tmp/server\"\n"),
            (".air.scheduler.toml", "[build]\n  cmd = \"go build -o ./tmp/scheduler ./cmd/scheduler\"\n  bin = \"./tmp/scheduler\"\n"),
            (
                "Dockerfile",
                &format!("FROM golang:1.25.3\nWORKDIR /app\nRUN go install github.com/air-verse/air@v1.63.0\n{cmd}\n"),
            ),
            (
                "docker-compose.yml",
                "x-app: &app\n  build: .\n  volumes:\n    - ./:/app:rw\n\nservices:\n  scheduler:\n    <<: *app\n    environment:\n      - SERVICE=scheduler\n  server:\n    <<: *app\n    environment:\n      - SERVICE=server\n",
            ),
        ])
    };
    let dir = files("CMD sh -c \"air -c .air.${SERVICE}.toml\"");
    let c = run(dir.path());
    // Each config with the launches that read it.
    let mut configs: Vec<(String, String)> = vec![];
    let mut todo = vec![&c];
    while let Some(v) = todo.pop() {
        if let (Some(file), Some(launches)) = (v["file"].as_str(), v["launches"].as_array()) {
            for l in launches {
                let pair = (
                    file.to_string(),
                    l["target"].as_str().unwrap_or("").to_string(),
                );
                if !configs.contains(&pair) {
                    configs.push(pair);
                }
            }
        }
        match v {
            Value::Object(m) => todo.extend(m.values()),
            Value::Array(a) => todo.extend(a),
            _ => {}
        }
    }
    configs.sort();
    let pair = |f: &str, t: &str| (f.to_string(), t.to_string());
    assert_eq!(
        configs,
        vec![
            pair(".air.scheduler.toml", "scheduler"),
            pair(".air.server.toml", "server")
        ],
        "{c:#}"
    );
    let dir = files("CMD [\"air\", \"-c\", \".air.${SERVICE}.toml\"]");
    let c = run(dir.path());
    assert!(
        !launch_conditions(&c)
            .iter()
            .any(|l| l.0 == "docker-compose.yml"),
        "{c:#}"
    );
}

/// A main that prints `APP-UP` and stays up, for real air to start.
const APP_UP: &str = "package main\n\nimport (\n\t\"fmt\"\n\t\"time\"\n)\n\nfunc main() {\n\tfmt.Println(\"APP-UP\")\n\ttime.Sleep(time.Hour)\n}\n";

/// julio-salas03/local-file-vault: `go build -C src/server -o "$(pwd)/tmp/main" main.go`
/// with the default bin ./tmp/main. air runs cmd through `/bin/sh -c` in its folder, so sh
/// expands `$(pwd)` there before `-C` moves go: the build writes <root>/tmp/main, the bin.
/// Real air starts the app from that file; no bin mismatch is reported. Written
/// `-o ./tmp/main`, the path is relative to src/server: a mismatch (the same check fails).
#[test]
fn a_pwd_output_is_the_folder_air_runs_cmd_in_not_the_dash_c_folder() {
    let toml = |out: &str| {
        format!("[build]\n  cmd = \"go build -C src/server -o \\\"{out}/tmp/main\\\" main.go\"\n  stop_on_error = true\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/vault\n\ngo 1.22\n"),
        ("src/server/main.go", APP_UP),
        (".air.toml", &toml("$(pwd)")),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "binary-mismatch");
    if which_go() {
        let (_, text) = air_builds_after_saving(dir.path(), "src/server/main.go");
        assert!(dir.path().join("tmp/main").is_file(), "{text}");
        assert!(!dir.path().join("src/server/tmp").exists(), "{text}");
        assert!(
            text.contains("APP-UP"),
            "air started the bin the build wrote: {text}"
        );
    }
    std::fs::write(dir.path().join(".air.toml"), toml(".")).unwrap();
    let c = run(dir.path());
    assert_eq!(finding(&c, "binary-mismatch")["severity"], "fail", "{c:#}");
}

/// mafi020/ecom-golang-micro: compose sets `SERVICE_PATH` for a service that runs
/// `air -c .air.toml` on the mounted repository, whose cmd writes
/// `./bin/tmp-${SERVICE_PATH}/backend-bin` and whose entrypoint is that same path. air hands
/// the entrypoint to `/bin/sh -c` unquoted, so sh expands the variable there as in cmd: the
/// same file (real air with SERVICE_PATH=svc starts the app). No mismatch, not even "if
/// left as written"; an entrypoint naming another variable still is one.
#[test]
fn a_variable_in_cmd_and_entrypoint_is_expanded_alike_by_sh() {
    let toml = |entry: &str| {
        format!("root = \".\"\ntmp_dir = \"bin/tmp-${{SERVICE_PATH}}\"\n\n[build]\n  cmd = \"go build -buildvcs=false -o ./bin/tmp-${{SERVICE_PATH}}/backend-bin ./cmd/${{SERVICE_PATH}}\"\n  entrypoint = \"{entry}\"\n  stop_on_error = true\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/shop\n\ngo 1.22\n"),
        ("cmd/svc/main.go", APP_UP),
        ("cmd/other/main.go", APP_UP),
        (
            "Dockerfile",
            "FROM golang:1.22-alpine AS dev\nWORKDIR /app\nRUN go install github.com/air-verse/air@v1.61.7\nCOPY . .\nCMD [\"air\", \"-c\", \".air.toml\"]\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  svc:\n    build:\n      context: .\n      target: dev\n    volumes:\n      - .:/app\n    environment:\n      - SERVICE_PATH=svc\n  other:\n    build:\n      context: .\n      target: dev\n    volumes:\n      - .:/app\n    environment:\n      - SERVICE_PATH=other\n",
        ),
        (".air.toml", &toml("./bin/tmp-${SERVICE_PATH}/backend-bin")),
    ]);
    let c = run(dir.path());
    assert!(
        !c["evidence"]["launches"].as_array().unwrap().is_empty(),
        "{c:#}"
    );
    assert_lacks(&c, "binary-mismatch");
    if which_go() {
        let log = dir.path().join("air.out");
        let both = std::fs::File::create(&log).unwrap();
        let mut air = std::process::Command::new(oracle::air())
            .args(["-c", ".air.toml"])
            .env("SERVICE_PATH", "svc")
            .current_dir(dir.path())
            .stdout(both.try_clone().unwrap())
            .stderr(both)
            .spawn()
            .unwrap();
        let text = || std::fs::read_to_string(&log).unwrap_or_default();
        let start = std::time::Instant::now();
        while !text().contains("APP-UP") && start.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = std::process::Command::new("kill")
            .args(["-INT", &air.id().to_string()])
            .status();
        let _ = air.wait();
        assert!(text().contains("APP-UP"), "{}", text());
        assert!(dir.path().join("bin/tmp-svc/backend-bin").is_file());
    }
    std::fs::write(
        dir.path().join(".air.toml"),
        toml("./bin/tmp-${OTHER_PATH}/backend-bin"),
    )
    .unwrap();
    let c = run(dir.path());
    assert!(
        findings(&c)
            .iter()
            .any(|f| f["evidence"]["problem"] == "binary-mismatch"),
        "{c:#}"
    );
}

/// Flyrell/hourgit: the compose service's image runs `sh -c "air -c ${AIR_CONFIG:-.air.toml}"`
/// and compose sets `AIR_CONFIG=${AIR_CONFIG:-.air.toml}`. The container's shell expands the
/// word with the environment the image and compose give it: the default when the variable
/// is unset (real air run that way reads .air.toml and starts the app), the value when
/// compose (or the image's `ENV`) sets one. Either way it is a launch naming that config.
#[test]
fn a_shell_default_names_the_config_a_container_launch_reads() {
    let compose = |env: &str| {
        format!("services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n    volumes:\n      - .:/app\n    environment:\n      - {env}\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/hours\n\ngo 1.22\n"),
        ("main.go", APP_UP),
        (
            "Dockerfile.dev",
            "FROM golang:1.24-alpine\nWORKDIR /app\nRUN go install github.com/air-verse/air@v1.61.7\nCOPY . .\nCMD [\"sh\", \"-c\", \"air -c ${AIR_CONFIG:-.air.toml}\"]\n",
        ),
        ("docker-compose.yml", &compose("AIR_CONFIG=${AIR_CONFIG:-.air.toml}")),
        (".air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  entrypoint = [\"./tmp/main\"]\n"),
        (".air.mac.toml", "[build]\n  cmd = \"go build -o ./tmp/app .\"\n  entrypoint = [\"./tmp/mac\"]\n"),
    ]);
    let launched = |c: &Value| {
        c["evidence"]["launches"]
            .as_array()
            .is_some_and(|l| l.iter().any(|l| l["file"] == "docker-compose.yml"))
    };
    let c = run(dir.path());
    assert!(launched(&c), "{c:#}");
    if which_go() {
        let log = dir.path().join("air.out");
        let both = std::fs::File::create(&log).unwrap();
        let air_dir = oracle::air().parent().unwrap().to_path_buf();
        let path = format!(
            "{}:{}",
            air_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut air = std::process::Command::new("sh")
            .args(["-c", "exec air -c ${AIR_CONFIG:-.air.toml}"])
            .env_remove("AIR_CONFIG")
            .env("PATH", path)
            .current_dir(dir.path())
            .stdout(both.try_clone().unwrap())
            .stderr(both)
            .spawn()
            .unwrap();
        let text = || std::fs::read_to_string(&log).unwrap_or_default();
        let start = std::time::Instant::now();
        while !text().contains("APP-UP") && start.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = std::process::Command::new("kill")
            .args(["-INT", &air.id().to_string()])
            .status();
        let _ = air.wait();
        assert!(text().contains("APP-UP"), "{}", text());
    }
    // compose sets it: that config is the one read, and its fault is this launch's.
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        compose("AIR_CONFIG=.air.mac.toml"),
    )
    .unwrap();
    let c = run(dir.path());
    let f = finding(&c, "binary-mismatch");
    assert_eq!(f["severity"], "fail", "{c:#}");
    assert_eq!(f["evidence"]["file"], ".air.mac.toml", "{c:#}");
    assert_eq!(
        f["evidence"]["launches"][0]["file"], "docker-compose.yml",
        "{f:#}"
    );
}

/// runtime-dynamics/hatstack: full_bin = "scripts/run-with-env.sh", a script of the
/// repository that loads .env and ends in `exec ./tmp/main "$@"`, the file cmd writes. air
/// runs full_bin through sh in its folder, so the script starts that binary (real air
/// prints the app's output): no bin mismatch. A script ending in another path is one.
#[test]
fn a_full_bin_script_that_execs_the_build_output_runs_it() {
    let script = |bin: &str| {
        format!("#!/bin/sh\nif [ -f .env ]; then\n  export $(grep -v '^#' .env | xargs)\nfi\nexec {bin} \"$@\"\n")
    };
    let dir = repository_with(&[
        ("go.mod", "module example.com/hat\n\ngo 1.22\n"),
        ("cmd/main.go", APP_UP),
        ("scripts/run-with-env.sh", &script("./tmp/main")),
        (
            ".air.toml",
            "[build]\n  cmd = \"go build -o ./tmp/main ./cmd\"\n  full_bin = \"scripts/run-with-env.sh\"\n  stop_on_error = true\n",
        ),
    ]);
    use std::os::unix::fs::PermissionsExt;
    let sh = dir.path().join("scripts/run-with-env.sh");
    std::fs::set_permissions(&sh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let c = run(dir.path());
    assert_lacks(&c, "binary-mismatch");
    if which_go() {
        let (_, text) = air_builds_after_saving(dir.path(), "cmd/main.go");
        assert!(
            text.contains("APP-UP"),
            "air ran the script, which ran the build: {text}"
        );
    }
    std::fs::write(&sh, script("./bin/server")).unwrap();
    let c = run(dir.path());
    assert_eq!(finding(&c, "binary-mismatch")["severity"], "fail", "{c:#}");
}

/// Hold-out 19's endalk200/termflow cli: `bin = "echo 'build complete'"` asks air to run no
/// app, a build-on-save loop. Real air v1.67.4 joins bin to root and runs `./echo ...`, which
/// is not there ("not found", exit 127) after each build, and nothing else is lost: a note,
/// not a bin mismatch or a bin-with-arguments fail.
#[test]
fn a_bin_that_only_prints_is_a_build_only_loop_note() {
    let dir = project_with(&[
        ("go.mod", "module example.com/cli\n\ngo 1.22\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        (".air.toml", "[build]\n  bin = \"echo 'build complete'\"\n  cmd = \"go build -o ./bin/termflow .\"\n"),
    ]);
    let c = run(dir.path());
    assert_lacks(&c, "binary-mismatch");
    let f = finding(&c, "bin-with-arguments");
    assert_at(f, "info", 2);
    assert!(
        f["message"].as_str().unwrap().contains("build-only loop"),
        "{f:#}"
    );
    // What air does with it.
    let log = dir.path().join("air.log");
    let bin = dir.path().join("bin");
    let air = std::process::Command::new(oracle::air())
        .current_dir(dir.path())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::options().append(true).open(&log).unwrap())
        .spawn()
        .unwrap();
    let _air = AirRunning(air, &bin);
    let said = || std::fs::read_to_string(&log).unwrap_or_default();
    let start = std::time::Instant::now();
    while !said().contains("not found") && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        said().contains("echo 'build complete': not found"),
        "{}",
        said()
    );
    assert!(bin.join("termflow").is_file(), "{}", said());
}

/// loicmasson2/howlongtobeatmybacklog, tzrd/sc-admin (hold-out 19): an `air.toml` no launcher
/// names, which the README beside it runs with `air -c air.toml` (a fenced block after an
/// `alias air=...` block, written with CRLF; an inline span `air -c air.toml -d`). That is how
/// air reads it: a note that it is judged so, not the config-not-read warning.
#[test]
fn air_toml_the_readme_runs_with_c_is_read_not_a_config_not_read_warning() {
    let config = "[build]\n  cmd = \"go build -o ./tmp/app .\"\n  bin = \"./tmp/app\"\n  include_ext = [\"go\", \"html\"]\n";
    let readmes = [
        "Run with air \r\n\r\n```\r\nalias air='$(go env GOPATH)/bin/air'\r\n```\r\n\r\n\r\n```\r\nair -c air.toml\r\n```",
        "## Run\n\n- air: `air -c air.toml -d or air`, port 8081\n",
    ];
    for readme in readmes {
        let dir = repository_with(&[
            ("go.mod", "module example.com/app\n\ngo 1.21\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("air.toml", config),
            ("README.md", readme),
        ]);
        let c = run(dir.path());
        let f = finding(&c, "config-not-read");
        assert_eq!(f["severity"], "info", "{readme:?}: {f:#}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("README runs `air -c air.toml`"),
            "{f:#}"
        );
    }
}

/// hiyoko9513/go_fiber_onionarchitecture (hold-out 19): cmd/app/air.toml, in a folder with no
/// go.mod, builds `./cmd/app/main.go`, which only the module root holds; no launcher names it,
/// but the module's guide docs/markdown/quick-start.md runs `air -c ./cmd/app/air.toml` from
/// the root, where that build works. Judged in cmd/app it is no stray copy: a note naming the
/// guide's line. Without the guide it is the stray copy it was.
#[test]
fn a_subfolder_config_a_docs_guide_runs_from_the_module_root_is_no_stray_copy() {
    let config = "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\n  cmd = \"go build -o ./tmp/app/main ./cmd/app/main.go\"\n  full_bin = \"APP_ENV=dev ./tmp/app/main\"\n";
    let guide = "# Quick start\n\n```shell\n$ go mod tidy\n$ make go/install/tools\n$ air -c ./cmd/app/air.toml\n```\n";
    let files = [
        ("go.mod", "module example.com/app\n\ngo 1.22\n"),
        ("cmd/app/main.go", "package main\n\nfunc main() {}\n"),
        ("cmd/app/air.toml", config),
    ];
    let dir = repository_with(&files);
    let c = run(&dir.path().join("cmd/app"));
    let f = finding(&c, "stray-config");
    assert!(
        f["message"].as_str().unwrap().contains("stray copy"),
        "{f:#}"
    );
    let mut with_guide = files.to_vec();
    with_guide.push(("docs/markdown/quick-start.md", guide));
    let dir = repository_with(&with_guide);
    let c = run(&dir.path().join("cmd/app"));
    let f = finding(&c, "stray-config");
    assert_eq!(f["severity"], "info", "{f:#}");
    assert_eq!(
        f["evidence"]["documented"], "docs/markdown/quick-start.md:6",
        "{f:#}"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        !message.contains("stray copy") && message.contains("`air -c ./cmd/app/air.toml`"),
        "{message}"
    );
}

/// hubit-space/hubit-space (hold-out 19): service/air.toml is Go source (`package repository`
/// after a comment), named like a config by accident. It is no air config: no config-not-read
/// and no not-toml about it. Passed by a launcher with `air -c air.toml` it is what air reads,
/// and air stops on it: then not-toml still says so.
#[test]
fn go_source_named_air_toml_is_no_config_unless_a_launcher_passes_it() {
    let source = "// Code for the repository layer.\n\n/* shared */\npackage repository\n\nimport \"context\"\n\nvar _ = context.Background\n";
    let files = [
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", "package main\n\nfunc main() {}\n"),
        ("air.toml", source),
    ];
    let dir = repository_with(&files);
    let c = run(dir.path());
    assert_lacks(&c, "config-not-read");
    assert_lacks(&c, "not-toml");
    let mut launched = files.to_vec();
    launched.push(("Makefile", "dev:\n\tair -c air.toml\n"));
    let dir = repository_with(&launched);
    let c = run(dir.path());
    finding(&c, "not-toml");
}

/// evry-ace/azure-iac-demo, JoaquinLeonArg/wdml-mtg, adjuchas/mindMapSys (hold-out 19): an
/// .air.conf nothing launches whose settings differ from air's defaults only where losing them
/// costs nothing: a narrower include_ext and exclude_dir (the defaults watch more), a renamed
/// tmp binary (cmd's -o and bin together), `go build -o X main.go` where main.go is the only
/// file go builds there (the same package as `.`: real go builds both and they print the
/// same). config-not-read is a note naming those. With a second Go file beside main.go, the
/// file builds less than the package: still the warning. CoMfUcIoS/puppet-installer's
/// full_bin `./tmp/main start`: the defaults run the app with no argument; the warning stays
/// and says what is lost.
#[test]
fn unread_config_differing_only_harmlessly_is_a_note_and_a_lost_argument_is_said() {
    let main = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"app-h19\") }\n";
    let harmless = [
        "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main main.go\"\nbin = \"tmp/main\"\nlog = \"air_errors.log\"\ninclude_ext = [\"go\"]\nexclude_dir = [\"templates\", \"images\"]\ndelay = 1000\n",
        "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/server main.go\"\nbin = \"tmp/server\"\nfull_bin = \"./tmp/server\"\ninclude_ext = [\"go\", \"tpl\", \"tmpl\", \"html\"]\nexclude_dir = [\"assets\", \"tmp\", \"vendor\", \"testdata\", \"frontend/node_modules\"]\nstop_on_error = true\n",
    ];
    for config in harmless {
        let files = [
            ("go.mod", "module example.com/app\n\ngo 1.21\n"),
            ("main.go", main),
            ("main_windows.go", "package main\n\nvar onWindows = true\n"),
            ("templates/index.html", "<p></p>\n"),
            ("images/logo.txt", "x\n"),
            (".air.conf", config),
        ];
        let dir = repository_with(&files);
        if which_go() {
            let (a, said_a) = go_build_in(dir.path(), &["-o", "./tmp/a", "main.go"]);
            let (b, said_b) = go_build_in(dir.path(), &["-o", "./tmp/b", "."]);
            assert!(a && b, "{said_a} {said_b}");
            let out = |bin: &str| {
                std::process::Command::new(dir.path().join(bin))
                    .output()
                    .unwrap()
                    .stdout
            };
            assert_eq!(out("tmp/a"), out("tmp/b"));
            std::fs::remove_dir_all(dir.path().join("tmp")).unwrap();
        }
        let c = run(dir.path());
        let f = finding(&c, "config-not-read");
        assert_eq!(f["severity"], "info", "{config}: {f:#}");
        // No go.mod (cpeddecord/logbook's server/): `go build .` stops where `go build
        // main.go` builds; not the same build, the warning stays.
        std::fs::remove_file(dir.path().join("go.mod")).unwrap();
        if which_go() {
            let (a, said_a) = go_build_in(dir.path(), &["-o", "./tmp/a", "main.go"]);
            let (b, said_b) = go_build_in(dir.path(), &["-o", "./tmp/b", "."]);
            assert!(
                a && !b && said_b.contains("go.mod file not found"),
                "{said_a} {said_b}"
            );
        }
        let c = run(dir.path());
        let f = finding(&c, "config-not-read");
        assert_ne!(f["severity"], "info", "{config}: {f:#}");
        // A second file go builds: `main.go` alone is not the package any more.
        let mut more = files.to_vec();
        more.push(("routes.go", "package main\n\nvar routes = 1\n"));
        let dir = repository_with(&more);
        let c = run(dir.path());
        let f = finding(&c, "config-not-read");
        assert_eq!(f["severity"], "warn", "{config}: {f:#}");
    }
    let dir = repository_with(&[
        ("go.mod", "module example.com/app\n\ngo 1.21\n"),
        ("main.go", main),
        (
            ".air.conf",
            "root = \".\"\ntmp_dir = \"tmp\"\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"tmp/main\"\nfull_bin = \"APP_ENV=dev APP_USER=air ./tmp/main start\"\ninclude_ext = [\"go\"]\n",
        ),
    ]);
    let c = run(dir.path());
    let f = finding(&c, "config-not-read");
    assert_eq!(f["severity"], "warn", "{f:#}");
    assert_eq!(f["evidence"]["lost_arguments"], "start", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains(".air.conf:7: full_bin runs the app with `start`"),
        "{f:#}"
    );
}

/// Hold-out 19's cpeddecord/logbook: compose runs plain `air` in ./server (mounted at
/// /usr/server), which has no go.mod and an .air.conf building `main.go` by name. air never
/// reads .air.conf (v1.63.2+), and its default `go build -o ./tmp/main .` needs a module:
/// real go stops ("go.mod file not found"), while the config's own `go build main.go` works.
/// The app never starts: a fail, not a warning.
#[test]
fn defaults_outside_a_module_fail_when_the_config_is_not_read() {
    let dir = repository_with(&[
        ("server/main.go", "package main\n\nfunc main() {}\n"),
        (
            "server/.air.conf",
            "root = \".\"\ntmp_dir = \"tmp\"\n[build]\ncmd = \"go build -o ./tmp/main main.go\"\nbin = \"tmp/main\"\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  server:\n    image: golang:1.26\n    working_dir: /usr/server\n    command: air\n    volumes:\n      - ./server:/usr/server\n",
        ),
    ]);
    let f = finding(&run(&dir.path().join("server")), "config-not-read").clone();
    assert_eq!(f["severity"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["defaults_build"], "no-module", "{f:#}");
    if which_go() {
        let go = |args: &[&str]| {
            std::process::Command::new("go")
                .args(args)
                .current_dir(dir.path().join("server"))
                .env("GO111MODULE", "")
                .env("GOFLAGS", "")
                .output()
                .unwrap()
        };
        let defaults = go(&["build", "-o", "./tmp/main", "."]);
        assert!(!defaults.status.success());
        assert!(
            String::from_utf8_lossy(&defaults.stderr).contains("go.mod file not found"),
            "{defaults:?}"
        );
        assert!(go(&["build", "-o", "./tmp/own", "main.go"])
            .status
            .success());
    }
}
