//! `build-speed`: opt-in, and what it measures on a real project with real `go build`s.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Every file under `dir` with its size, sorted (to compare a tree before and after).
fn tree(dir: &Path) -> Vec<(String, u64)> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        let m = std::fs::symlink_metadata(&path).unwrap();
        if m.is_dir() {
            out.extend(tree(&path));
        } else {
            out.push((path.display().to_string(), m.len()));
        }
    }
    out.sort();
    out
}

fn report(dir: &Path, only: Option<&str>) -> Value {
    let project = dir.to_str().unwrap();
    let mut args = vec!["--json", "--project", project];
    if let Some(o) = only {
        args.extend(["--only", o]);
    } else {
        args.push("--no-compile");
    }
    let out = common::run(&args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn build_speed_is_not_in_the_default_report_and_is_listed() {
    let dir = common::copy_fixture("stdlib-healthy");
    let r = report(dir.path(), None);
    let ids: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"compile"), "{ids:?}");
    assert!(!ids.contains(&"build-speed"), "{ids:?}");
    let listed = common::run(&["checks"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("build-speed"), "{text}");
    assert!(text.contains("opt-in"), "{text}");
}

/// On a git checkout of the stdlib fixture: a rebuild is measured and split into Go's own
/// phases; stripping is measured and gives a smaller binary; -buildvcs=false is named (a .git
/// is there) but not measured; the project is left as it was.
#[test]
fn build_speed_measures_the_rebuild_and_each_saving_on_a_git_checkout() {
    let dir = common::copy_fixture("stdlib-healthy");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "fixture"]);
    let before = tree(dir.path());

    let r = report(dir.path(), Some("build-speed"));
    let checks = r["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1, "{r:#}");
    let c = &checks[0];
    assert_eq!(c["id"], "build-speed");
    assert!(
        c["status"] != "fail" && c["status"] != "error",
        "never a failure: {c:#}"
    );
    let e = &c["evidence"];
    let rebuild = e["rebuild_ms"]
        .as_f64()
        .unwrap_or_else(|| panic!("not measured: {c:#}"));
    assert!(rebuild > 0.0, "{e:#}");
    let p = &e["phases"];
    let (load, link) = (
        p["load_ms"].as_f64().unwrap(),
        p["link_ms"].as_f64().unwrap(),
    );
    assert!(load > 0.0 && link > 0.0, "{p:#}");
    assert!(load + link <= rebuild, "phases within the rebuild: {e:#}");
    assert!(e["first_build_ms"].as_f64().unwrap() > 0.0, "{e:#}");

    let variants = e["variants"].as_array().unwrap();
    let variant = |key: &str| {
        variants
            .iter()
            .find(|v| v["change"] == key)
            .unwrap_or_else(|| panic!("no {key}: {e:#}"))
    };
    let strip = variant("strip");
    let with = strip["rebuild_ms"].as_f64().unwrap();
    let against = strip["against_ms"].as_f64().unwrap();
    assert!(with > 0.0 && against > 0.0, "{strip:#}");
    assert!((against - with - strip["saved_ms"].as_f64().unwrap()).abs() < 0.2);
    // Measured in turn on a shared machine: neither is ever 10 times the other.
    assert!(with < against * 10.0 && against < with * 10.0, "{strip:#}");
    assert!(
        strip["bytes"].as_u64().unwrap() < e["bytes"].as_u64().unwrap() * 9 / 10,
        "-s -w leaves out the DWARF data and symbol table: {e:#}"
    );
    // go stamping the commit would run git, which runs what .git/config names: named, never
    // measured.
    assert!(variants.iter().all(|v| v["change"] != "buildvcs"), "{e:#}");
    // Each variant is said in a finding, with its figures.
    let messages = common::messages(c);
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("a rebuild with every package cached takes")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("-ldflags='-s -w'")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("-buildvcs=false")),
        "{messages:#?}"
    );
    assert_eq!(tree(dir.path()), before, "the project is left as it was");
}

/// A module whose `.air.toml` runs `go generate ./...` before `go build`, and a generated
/// file (Go's "Code generated ... DO NOT EDIT." header) in `pkg`, with `main` importing
/// `imported`. Its folder is not hidden (air would watch nothing there).
fn generating_project(pkg: &str, imported: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rd-gen-")
        .tempdir()
        .unwrap();
    let p = dir.path();
    let write = |rel: &str, text: &str| {
        let path = p.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("go.mod", "module example.com/gen\n\ngo 1.22\n");
    write(
        "main.go",
        &format!(
            "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/gen/{imported}\"\n)\n\nfunc main() {{ fmt.Println({imported}.Stamp) }}\n"
        ),
    );
    for name in ["version", "other"] {
        write(
            &format!("{name}/{name}.go"),
            &format!("package {name}\n\n//go:generate go run ../gen\n\nconst Stamp = \"{name}\"\n"),
        );
    }
    write(
        &format!("{pkg}/{pkg}_gen.go"),
        &format!("// Code generated by gen; DO NOT EDIT.\n\npackage {pkg}\n\n// Generated at 2026-11-29T09:00:00Z.\nvar GeneratedAt = \"2026-11-29T09:00:00Z\"\n"),
    );
    // The generator (never run by the report): writes the date into the file.
    write(
        "gen/main.go",
        "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"time\"\n)\n\nfunc main() {\n\tpkg := os.Getenv(\"GOPACKAGE\")\n\tnow := time.Now().UTC().Format(time.RFC3339)\n\tos.WriteFile(pkg+\"_gen.go\", []byte(fmt.Sprintf(\"// Code generated by gen; DO NOT EDIT.\\n\\npackage %s\\n\\nvar GeneratedAt = %q\\n\", pkg, now)), 0o644)\n}\n",
    );
    write(
        ".air.toml",
        "[build]\ncmd = \"go generate ./... && go build -o ./tmp/main .\"\nbin = \"tmp/main\"\n",
    );
    dir
}

fn regenerated(r: &Value) -> (&Value, &Value) {
    let c = &r["checks"][0];
    let f = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["evidence"]["change"] == "regenerated")
        .unwrap_or_else(|| panic!("no regenerated finding: {c:#}"));
    (f, &f["evidence"])
}

/// The generated file is in a package the build compiles: a rewrite recompiles it, and
/// go's own trace of the build with the rewrite (an overlay, never the generator) says so.
/// Its folder is excluded from watching (the cure for the loop): the generator still runs
/// on every build, so the cost is still there.
#[test]
fn a_generator_that_rewrites_a_compiled_package_is_measured_with_an_overlay() {
    let dir = generating_project("version", "version");
    let toml = dir.path().join(".air.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("exclude_file = [\"version/version_gen.go\"]\n");
    std::fs::write(&toml, text).unwrap();
    let before = tree(dir.path());
    let r = report(dir.path(), Some("build-speed"));
    let (f, e) = regenerated(&r);
    assert_eq!(e["command"], "go generate ./...", "{e:#}");
    assert_eq!(
        e["files"],
        serde_json::json!(["version/version_gen.go"]),
        "{e:#}"
    );
    let compiled: Vec<&str> = e["compiled"]
        .as_array()
        .unwrap_or_else(|| panic!("no trace: {e:#}"))
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(compiled.contains(&"example.com/gen/version"), "{e:#}");
    assert!(e["with_ms"].as_f64().unwrap() > 0.0, "{e:#}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.starts_with("`go generate ./...` rewrites version/version_gen.go on every build")
            && m.contains("example.com/gen/version compiles again"),
        "{m}"
    );
    assert_eq!(
        tree(dir.path()),
        before,
        "the generator never ran, nothing written"
    );
}

/// The generated file is in a package nothing imports: no cost, said as such.
#[test]
fn a_generated_file_outside_the_build_costs_nothing() {
    let dir = generating_project("other", "version");
    let r = report(dir.path(), Some("build-speed"));
    let (f, e) = regenerated(&r);
    assert_eq!(
        e["files"],
        serde_json::json!(["other/other_gen.go"]),
        "{e:#}"
    );
    assert_eq!(f["severity"], "info", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("the build compiles none of it"), "{m}");
}

/// build.cmd with -race: the build without it is measured (the race runtime needs cgo).
#[test]
fn race_in_build_cmd_is_measured_against_a_build_without_it() {
    let dir = common::copy_fixture("stdlib-healthy");
    std::fs::write(
        dir.path().join(".air.toml"),
        "[build]\ncmd = \"go build -race -o ./tmp/main .\"\nbin = \"tmp/main\"\n",
    )
    .unwrap();
    let r = report(dir.path(), Some("build-speed"));
    let c = &r["checks"][0];
    let variants = c["evidence"]["variants"].as_array().unwrap();
    let race = variants
        .iter()
        .find(|v| v["change"] == "race")
        .unwrap_or_else(|| panic!("no race variant: {c:#}"));
    let (with, against) = (
        race["rebuild_ms"]
            .as_f64()
            .unwrap_or_else(|| panic!("{c:#}")),
        race["against_ms"].as_f64().unwrap(),
    );
    assert!(with > 0.0 && against > 0.0, "{race:#}");
    // The race runtime and instrumentation make the binary larger.
    assert!(
        race["bytes"].as_u64().unwrap() < c["evidence"]["bytes"].as_u64().unwrap(),
        "without -race the binary is smaller: {c:#}"
    );
    let messages = common::messages(c);
    assert!(
        messages.iter().any(|m| m.starts_with("no -race")),
        "{messages:#?}"
    );
}

/// A Dockerfile that empties Go's build cache: each new container's first build is cold.
#[test]
fn a_dockerfile_that_cleans_the_build_cache_is_named_with_its_line() {
    let dir = common::copy_fixture("stdlib-healthy");
    std::fs::write(
        dir.path().join("Dockerfile.dev"),
        "FROM golang:1.26\nWORKDIR /app\nCOPY . .\nRUN go mod download && \\\n    go build -o /bin/app . && go clean -cache\nCMD [\"air\"]\n",
    )
    .unwrap();
    let r = report(dir.path(), Some("build-speed"));
    let c = &r["checks"][0];
    let f = common::findings(c)
        .iter()
        .find(|f| f["evidence"]["file"] == "Dockerfile.dev")
        .unwrap_or_else(|| panic!("no Dockerfile finding: {c:#}"));
    assert_eq!(f["evidence"]["line"], 5, "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.starts_with("Dockerfile.dev:5 empties Go's build cache (`go clean -cache`)"),
        "{m}"
    );
}
