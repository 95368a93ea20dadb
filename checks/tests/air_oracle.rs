//! Differential test: reload-doctor's model of air against air itself.
//!
//! The oracle (`oracle/air/`) is air v1.67.4's own `runner` package with a probe added, built
//! at test time from the module proxy. For every project of the corpus (generated configs over
//! the whole key space on small trees, plus shapes of real projects) both sides answer: the
//! effective config, the folders the walk watches, whether an event at each path triggers a
//! build, and the command line that starts the app. Every answer must agree, or the
//! disagreement must be one listed in `oracle/air/DIFFERENCES.md` (see [`documented`]).

mod air_oracle {
    pub mod corpus;
    #[allow(dead_code)] // air() is for tests that run air itself
    pub mod oracle;
}

use air_oracle::corpus::{self, EVENTS};
use air_oracle::oracle::{self, Job};
use checks::filepath::clean_str as go_clean;
use checks::reloaders::event_rules::{EventRules, Verdict};
use checks::reloaders::watch_tree::{self as tree, Rules};
use checks::system::fsevents::Op;
use checks::Project;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Generated configs on top of the real-project shapes.
const GENERATED: usize = 2000;

/// One side's answers for one project, field by field.
type Answers = BTreeMap<String, Value>;

fn model(cwd: &Path) -> Answers {
    let mut a = Answers::new();
    let project = Project::detect(cwd, None).expect("the case is a project");
    let air = &project.air;
    let root = PathBuf::from(go_clean(&project.root.join(&air.root).to_string_lossy()));
    let refusal = project
        .config_error
        .as_ref()
        .map(|e| e.to_string())
        .or_else(|| air.refusal(&root));
    a.insert("refused".into(), json!(refusal.is_some()));
    if refusal.is_some() {
        return a;
    }
    let b = &air.build;
    let excluded: Vec<String> = air.excluded_dirs().collect();
    for (k, v) in [
        ("root", json!(root.to_string_lossy())),
        ("tmp_dir", json!(air.tmp_dir)),
        ("testdata_dir", json!(air.testdata_dir)),
        ("cmd", json!(b.cmd)),
        ("full_bin", json!(b.full_bin)),
        ("args_bin", json!(b.args_bin)),
        ("include_ext", json!(b.include_ext)),
        ("include_dir", json!(b.include_dir)),
        ("include_file", json!(b.include_file)),
        ("exclude_dir", json!(excluded)),
        ("exclude_file", json!(b.exclude_file)),
        ("exclude_regex", json!(b.exclude_regex)),
        ("follow_symlink", json!(b.follow_symlink)),
        ("poll", json!(b.poll)),
        ("delay_ms", json!(b.delay_ms)),
        ("kill_delay_ms", json!(b.kill_delay_ms)),
        ("send_interrupt", json!(b.send_interrupt)),
        ("stop_on_error", json!(b.stop_on_error)),
        ("command", json!(air.app_command(&project.root, &root))),
        (
            "bin_path",
            json!(air.bin_path(&project.root, &root).display().to_string()),
        ),
    ] {
        a.insert(k.into(), v);
    }
    let walked = tree::walk(&root, &Rules::air_in(air, &root));
    let mut dirs: Vec<String> = walked.dirs.iter().map(|d| d.rel.clone()).collect();
    dirs.sort();
    a.insert("watched".into(), json!(dirs));
    let rules = EventRules::air_in(air, &root, &project.root);
    for e in EVENTS {
        let abs = PathBuf::from(go_clean(&cwd.join(e).to_string_lossy()));
        let trigger = rules.judge(Op::Write, &abs, abs.is_dir()) == Verdict::Trigger;
        a.insert(format!("event {e}"), json!(trigger));
    }
    a
}

fn air(answer: &Value, cwd: &Path) -> Answers {
    let mut a = Answers::new();
    let refused = answer.get("error").is_some();
    a.insert("refused".into(), json!(refused));
    if refused {
        return a;
    }
    let c = &answer["config"];
    let root = c["root"].as_str().unwrap();
    for k in [
        "root",
        "tmp_dir",
        "testdata_dir",
        "cmd",
        "full_bin",
        "args_bin",
        "include_ext",
        "include_dir",
        "include_file",
        "exclude_dir",
        "exclude_file",
        "exclude_regex",
        "follow_symlink",
        "poll",
        "kill_delay_ms",
        "send_interrupt",
        "stop_on_error",
    ] {
        a.insert(k.into(), c[k].clone());
    }
    // A negative delay sleeps for no time; the model keeps it as 0.
    a.insert(
        "delay_ms".into(),
        json!(c["delay_ms"].as_i64().unwrap().max(0)),
    );
    a.insert("command".into(), answer["command"].clone());
    a.insert("bin_path".into(), answer["bin_path"].clone());
    let mut dirs: Vec<String> = answer["watched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .filter(|p| Path::new(p).is_dir())
        .map(|p| rel(root, p))
        .collect();
    dirs.sort();
    dirs.dedup();
    a.insert("watched".into(), json!(dirs));
    for (e, got) in EVENTS.iter().zip(answer["events"].as_array().unwrap()) {
        debug_assert_eq!(
            got["path"].as_str().unwrap(),
            go_clean(&cwd.join(e).to_string_lossy())
        );
        a.insert(format!("event {e}"), got["trigger"].clone());
    }
    a
}

/// `p` relative to `root` like Go's `filepath.Rel` (`.` for the root, `../x` outside it).
fn rel(root: &str, p: &str) -> String {
    let r: Vec<&str> = root.split('/').filter(|s| !s.is_empty()).collect();
    let a: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    let common = r.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let mut parts = vec![".."; r.len() - common];
    parts.extend(&a[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The documented difference (an id of `oracle/air/DIFFERENCES.md`) that explains a
/// disagreement on `field`, if any. Each test here is narrow on purpose: a disagreement it
/// does not cover fails the test.
fn documented(field: &str, ours: &Answers, theirs: &Answers) -> Option<&'static str> {
    let list = |a: &Answers| -> Vec<String> {
        serde_json::from_value(a.get(field).cloned().unwrap_or_default()).unwrap_or_default()
    };
    if field == "watched" {
        // D1: air makes tmp_dir, and every missing folder above it, before its walk; the
        // model walks the tree as it is. The extra folders are exactly those on tmp_dir's way.
        let (o, t) = (list(ours), list(theirs));
        let tmp = theirs["tmp_dir"].as_str().unwrap_or_default();
        let root = theirs["root"].as_str().unwrap_or_default();
        let tmp_rel = rel(root, &go_clean(&format!("{root}/{tmp}")));
        let on_the_way = |d: &String| d == "." || tmp_rel.starts_with(&format!("{d}/"));
        if o.iter().all(|d| t.contains(d)) && t.iter().filter(|d| !o.contains(d)).all(on_the_way) {
            return Some("D1");
        }
    }
    None
}

#[test]
fn model_agrees_with_air() {
    let started = Instant::now();
    let oracle_bin = oracle::binary();
    let build_time = started.elapsed();

    let mut cases = corpus::real_shapes();
    let shapes = cases.len();
    cases.extend(corpus::generate(GENERATED));
    // tmpfs when there is one: the corpus is some 80,000 files and folders.
    let shm = Path::new("/dev/shm");
    let base = match tempfile::tempdir_in(shm) {
        Ok(d) => d,
        Err(_) => tempfile::tempdir().unwrap(),
    };
    let mut cwds = vec![];
    for (i, case) in cases.iter().enumerate() {
        let dir = base.path().join(format!("c{i}"));
        corpus::materialize(case, &dir);
        cwds.push(std::fs::canonicalize(dir.join(&case.cwd)).unwrap());
    }
    let made = started.elapsed();
    // The model reads the tree as the user left it; air then makes tmp_dir before its walk.
    let ours: Vec<Answers> = cwds.iter().map(|c| model(c)).collect();
    let modelled = started.elapsed();
    let jobs: Vec<Job> = cwds
        .iter()
        .map(|c| Job {
            dir: c.to_string_lossy().into_owned(),
            config: None,
            events: EVENTS
                .iter()
                .map(|e| go_clean(&c.join(e).to_string_lossy()))
                .collect(),
        })
        .collect();
    let answers = oracle::ask(&jobs);
    let asked = started.elapsed();
    eprintln!("air oracle: made {made:?}, model {modelled:?}, air {asked:?}");
    let theirs: Vec<Answers> = answers.iter().zip(&cwds).map(|(a, c)| air(a, c)).collect();

    let (mut compared, mut agreed) = (0usize, 0usize);
    let mut explained: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unexplained: Vec<(String, String)> = vec![];
    for (i, case) in cases.iter().enumerate() {
        let (o, t) = (&ours[i], &theirs[i]);
        // When one side refuses the config, that is the one answer to compare.
        let fields: std::collections::BTreeSet<&String> = if o["refused"] != t["refused"] {
            o.keys().filter(|k| *k == "refused").collect()
        } else {
            o.keys().chain(t.keys()).collect()
        };
        for f in fields {
            compared += 1;
            let (ov, tv) = (
                o.get(f).unwrap_or(&Value::Null),
                t.get(f).unwrap_or(&Value::Null),
            );
            if ov == tv {
                agreed += 1;
            } else if let Some(id) = documented(f, o, t) {
                *explained.entry(id).or_default() += 1;
            } else {
                unexplained.push((
                    f.clone(),
                    format!(
                        "{} ({}): {f}: model {ov}, air {tv}{}\n--- {}\n{}",
                        case.name,
                        cwds[i].display(),
                        answers[i]
                            .get("error")
                            .map(|e| format!(" ({e})"))
                            .unwrap_or_default(),
                        case.config_name,
                        case.config
                    ),
                ));
            }
        }
    }
    let refused = theirs
        .iter()
        .filter(|t| t["refused"] == json!(true))
        .count();
    // The oracle must be answering, not agreeing by saying nothing.
    let (mut triggers, mut drops, mut watched) = (0, 0, 0);
    for t in &theirs {
        for (k, v) in t {
            match (k.starts_with("event "), v.as_bool()) {
                (true, Some(true)) => triggers += 1,
                (true, Some(false)) => drops += 1,
                _ => {}
            }
        }
        watched += t
            .get("watched")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
    }
    assert!(
        refused < cases.len() / 2 && triggers > 10_000 && drops > 10_000 && watched > 5 * cases.len(),
        "the oracle says too little: {refused} refused, {triggers} triggers, {drops} drops, {watched} watched folders"
    );
    let mut why_refused: BTreeMap<String, usize> = BTreeMap::new();
    for a in &answers {
        if let Some(e) = a.get("error").and_then(Value::as_str) {
            let kind: String = e.chars().filter(|c| !c.is_ascii_digit()).take(60).collect();
            *why_refused.entry(kind).or_default() += 1;
        }
    }
    let mut summary = Map::new();
    summary.insert("projects".into(), json!(cases.len()));
    summary.insert("real_shapes".into(), json!(shapes));
    summary.insert("refused_by_air".into(), json!(refused));
    summary.insert("why_refused".into(), json!(why_refused));
    summary.insert("answers_compared".into(), json!(compared));
    summary.insert("agreed".into(), json!(agreed));
    summary.insert(
        "agreement".into(),
        json!(format!("{:.3}%", 100.0 * agreed as f64 / compared as f64)),
    );
    summary.insert("documented_differences".into(), json!(explained));
    summary.insert("unexplained".into(), json!(unexplained.len()));
    summary.insert(
        "oracle_build_s".into(),
        json!(format!("{:.1}", build_time.as_secs_f64())),
    );
    summary.insert(
        "total_s".into(),
        json!(format!("{:.1}", started.elapsed().as_secs_f64())),
    );
    summary.insert("oracle".into(), json!(oracle_bin.display().to_string()));
    eprintln!("air oracle: {}", Value::Object(summary));
    let t = Instant::now();
    drop(base);
    eprintln!("air oracle: cleanup {:?}", t.elapsed());
    if !unexplained.is_empty() {
        // All of them in a file, the first of each field in the message.
        let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join("air-oracle-disagreements.txt");
        let all: Vec<&str> = unexplained.iter().map(|(_, s)| s.as_str()).collect();
        std::fs::write(&report, all.join("\n\n")).unwrap();
        let mut by_field: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for (f, s) in &unexplained {
            by_field.entry(f.as_str()).or_insert((0, s.as_str())).0 += 1;
        }
        let shown: Vec<String> = by_field
            .iter()
            .map(|(f, (n, first))| format!("{f}: {n} times, first:\n{first}"))
            .collect();
        panic!(
            "{} disagreements with air that are neither fixed nor in oracle/air/DIFFERENCES.md (all in {}):\n\n{}",
            unexplained.len(),
            report.display(),
            shown.join("\n\n")
        );
    }
}
