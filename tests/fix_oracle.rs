//! Each `.air.toml` rewrite of `reload-doctor --fix` judged by air itself: the oracle of
//! `checks/tests/air_oracle` (air v1.67.4's own runner with a probe) reads every fixture as it
//! is and as the real binary rewrote it, and air's effective behaviour must have become the
//! intended one (one oracle call for all projects). A second `--fix` then changes nothing.

mod common;
#[path = "../checks/tests/air_oracle/oracle.rs"]
#[allow(dead_code)] // air() is for tests that run air itself
mod oracle;

use common::{copy_tree, fixture};
use oracle::Job;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture with a write-file fix and the saves air is asked about (relative to the project).
struct Case {
    name: &'static str,
    events: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "air-bin-mismatch",
        events: &["main.go"],
    },
    Case {
        name: "air-no-go-ext",
        events: &["main.go"],
    },
    Case {
        name: "air-unknown-keys",
        events: &["main.go"],
    },
    Case {
        name: "air-zero-values",
        events: &["main.go"],
    },
    Case {
        name: "air-bin-args",
        events: &["main.go"],
    },
    Case {
        name: "air-go-run",
        events: &["cmd/api/main.go"],
    },
    Case {
        name: "air-no-output",
        events: &["cmd/web/main.go"],
    },
    // air-tailwind-loop is left out: its one extra build is a note (generated-extra-build
    // costs only time), and --fix applies no note's fix; air-make-generator checks the same
    // exclude_file rewrite of a generated CSS file.
    Case {
        name: "air-make-generator",
        events: &["main.go", "static/site.css"],
    },
    Case {
        name: "air-dotted-ext",
        events: &["main.go"],
    },
    Case {
        name: "air-windows",
        events: &["main.go"],
    },
    Case {
        name: "templ-loop",
        events: &["main.go", "views/index.templ", "views/index_templ.go"],
    },
];

/// What air answered for one project, read field by field.
struct Air<'a> {
    answer: &'a Value,
    dir: &'a Path,
}

impl Air<'_> {
    fn conf(&self, key: &str) -> &Value {
        &self.answer["config"][key]
    }
    fn triggers(&self, rel: &str) -> bool {
        let path = self.dir.join(rel);
        let e = self.answer["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == path.to_str().unwrap())
            .unwrap_or_else(|| panic!("no verdict for {rel}: {:#}", self.answer));
        e["trigger"].as_bool().unwrap()
    }
    fn bin_path(&self) -> PathBuf {
        PathBuf::from(self.answer["bin_path"].as_str().unwrap())
    }
    fn watches(&self, rel: &str) -> bool {
        let p = self.dir.join(rel);
        self.answer["watched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == p.to_str().unwrap())
    }
}

/// Runs air's effective build command (a plain `go build` of the fixture, checked first) in
/// `dir`, as air does with `sh -c`.
fn build(air: &Air) {
    let cmd = air.conf("cmd").as_str().unwrap();
    assert!(cmd.starts_with("go build "), "not a go build: {cmd}");
    let out = Command::new("sh")
        .args(["-c", cmd])
        .current_dir(air.dir)
        .output()
        .expect("run go build");
    assert!(
        out.status.success(),
        "{cmd} failed in {}: {}",
        air.dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `reload-doctor --fix --only reloader-config` on `project`.
fn fix(project: &Path) -> std::process::Output {
    Command::new(common::bin())
        .args(["--fix", "--only", "reloader-config", "--project"])
        .arg(project)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn every_air_toml_rewrite_gives_the_intended_effect_in_air() {
    let base = tempfile::tempdir().unwrap();
    let mut dirs = vec![];
    for case in CASES {
        let [before, after] = ["before", "after"].map(|side| {
            let d = base.path().join(case.name).join(side);
            copy_tree(&fixture(case.name), &d);
            if case.name == "air-unknown-keys" {
                // `delay = "fast"` makes air refuse the file (a finding without a rewrite);
                // without it air reads the file and the misspelt keys can be judged.
                let p = d.join(".air.toml");
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replace("delay = \"fast\"\n", "")).unwrap();
            }
            std::fs::canonicalize(d).unwrap()
        });
        let o = fix(&after);
        assert!(
            after.join(".air.toml.reload-doctor.bak").is_file(),
            "{}: --fix rewrote nothing: {}",
            case.name,
            common::stdout(&o)
        );
        // A second --fix has nothing left to rewrite.
        let fixed = std::fs::read_to_string(after.join(".air.toml")).unwrap();
        let backup = std::fs::read_to_string(after.join(".air.toml.reload-doctor.bak")).unwrap();
        fix(&after);
        assert_eq!(
            std::fs::read_to_string(after.join(".air.toml")).unwrap(),
            fixed,
            "{}",
            case.name
        );
        assert_eq!(
            std::fs::read_to_string(after.join(".air.toml.reload-doctor.bak")).unwrap(),
            backup,
            "{}",
            case.name
        );
        dirs.push((case, before, after));
    }
    let jobs: Vec<Job> = dirs
        .iter()
        .flat_map(|(case, before, after)| [before, after].map(|d| (case, d)))
        .map(|(case, d)| Job {
            dir: d.to_string_lossy().into_owned(),
            config: None,
            events: case
                .events
                .iter()
                .map(|e| d.join(e).to_string_lossy().into_owned())
                .collect(),
        })
        .collect();
    let answers = oracle::ask(&jobs);
    for (i, (case, before_dir, after_dir)) in dirs.iter().enumerate() {
        let name = case.name;
        let before = Air {
            answer: &answers[2 * i],
            dir: before_dir,
        };
        let after = Air {
            answer: &answers[2 * i + 1],
            dir: after_dir,
        };
        assert!(
            after.answer.get("error").is_none(),
            "{name}: air refuses the rewritten file: {:#}",
            after.answer
        );
        // Every rewrite keeps a save of the app's Go source a rebuild.
        assert!(after.triggers(case.events[0]), "{name}: {:#}", after.answer);
        match name {
            "air-bin-mismatch" | "air-go-run" | "air-no-output" | "air-windows" => {
                // The build now writes the file air starts.
                build(&after);
                assert!(after.bin_path().is_file(), "{name}: {:#}", after.answer);
                if name == "air-windows" {
                    // Windows keeps its own values, in the table air applies there.
                    let text = std::fs::read_to_string(after_dir.join(".air.toml")).unwrap();
                    let doc: toml::Table = toml::from_str(&text).unwrap();
                    let windows = &doc["build"]["windows"];
                    assert_eq!(windows["bin"].as_str(), Some("tmp\\main.exe"), "{text}");
                    assert_eq!(
                        windows["cmd"].as_str(),
                        Some("go build -o ./tmp/main.exe ."),
                        "{text}"
                    );
                }
                if name != "air-go-run" {
                    build(&before);
                    assert!(!before.bin_path().is_file(), "{name}: {:#}", before.answer);
                } else {
                    assert!(before.conf("cmd").as_str().unwrap().starts_with("go run"));
                }
            }
            "air-no-go-ext" | "air-dotted-ext" => {
                assert!(!before.triggers("main.go"), "{name}: {:#}", before.answer);
                if name == "air-dotted-ext" {
                    assert!(before.watches("vendor"), "{name}: {:#}", before.answer);
                    assert!(!after.watches("vendor"), "{name}: {:#}", after.answer);
                }
            }
            "air-unknown-keys" => {
                // The misspelt and misplaced values are now the ones air uses.
                assert_ne!(before.conf("include_ext"), &serde_json::json!(["go"]));
                assert_eq!(after.conf("include_ext"), &serde_json::json!(["go"]));
                assert_ne!(before.conf("exclude_dir"), &serde_json::json!(["tmp"]));
                assert_eq!(after.conf("exclude_dir"), &serde_json::json!(["tmp"]));
                assert_eq!(after.bin_path(), after_dir.join("tmp/main"));
            }
            "air-zero-values" => {
                // `delay = 0` is commented out: air's default applies, as it did, and the
                // file no longer claims otherwise.
                assert_eq!(before.conf("delay_ms"), 1000);
                assert_eq!(after.conf("delay_ms"), 1000);
                let text = std::fs::read_to_string(after_dir.join(".air.toml")).unwrap();
                assert!(!text.lines().any(|l| l.trim() == "delay = 0"), "{text}");
            }
            "air-bin-args" => {
                // The argument reaches the app as an argument, not as part of its path.
                assert_eq!(after.conf("args_bin"), &serde_json::json!(["serve"]));
                assert_eq!(after.bin_path(), after_dir.join("tmp/main"));
                let command = after.answer["command"].as_str().unwrap();
                assert!(command.ends_with(" serve"), "{name}: {command}");
                assert_ne!(before.bin_path(), before_dir.join("tmp/main"));
            }
            "air-make-generator" | "templ-loop" => {
                // The file each build writes no longer starts another build.
                let generated = case.events.last().unwrap();
                assert!(before.triggers(generated), "{name}: {:#}", before.answer);
                assert!(!after.triggers(generated), "{name}: {:#}", after.answer);
                if name == "templ-loop" {
                    assert!(after.triggers("views/index.templ"), "{:#}", after.answer);
                }
            }
            other => panic!("no intended effect written for {other}"),
        }
    }
}
