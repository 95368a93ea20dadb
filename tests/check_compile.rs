//! compile: real `go build` of the fixtures with build.cmd's package and flags, into a temp folder.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn snapshot(root: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let md = e.metadata().unwrap();
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            if md.is_dir() {
                stack.push(e.path());
            }
            out.insert(rel, (md.len(), md.modified().unwrap()));
        }
    }
    out
}

#[test]
fn compile_passes_on_the_healthy_fixtures_and_reports_the_time() {
    // One duration style: `builds in 850 ms` or `builds in 1.2 s`.
    let took =
        regex::Regex::new(r"^builds in [0-9]+(\.[0-9])? (ms|s) \(\./ → tmp binary\)$").unwrap();
    for name in ["gin-healthy", "stdlib-healthy"] {
        // Fill Go's build cache first, without the doctor's time limit: on a cold cache (a
        // fresh CI runner) gin and its dependencies take minutes on two busy cores.
        let warm = Command::new("go")
            .args(["build", "-o", "/dev/null", "."])
            .current_dir(fixture(name))
            .status()
            .unwrap();
        assert!(warm.success(), "{name} does not build with plain go build");
        let r = only(&fixture(name), "compile", &[]);
        let c = check(&r, "compile");
        assert_eq!(c["status"], "pass", "{name}: {c}");
        let summary = c["summary"].as_str().unwrap();
        assert!(took.is_match(summary), "{summary}");
        assert!(c["evidence"]["seconds"].as_f64().unwrap() > 0.0, "{c}");
        assert_eq!(c["evidence"]["command"], "go build -mod=readonly .");
    }
}

#[test]
fn compile_error_names_each_file_line_col() {
    let (code, r) = json_report(&fixture("compile-error"), &["--only", "compile"]);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "fail", "{c}");
    assert_eq!(code, 1);
    let m = messages(c);
    assert_eq!(m.len(), 2, "{m:?}");
    assert_eq!(m[0], "./main.go:12:2: \"strings\" imported and not used");
    assert!(
        m[1].starts_with("./main.go:20:14: cannot use \"x\""),
        "{}",
        m[1]
    );
    assert_eq!(c["findings"][1]["evidence"]["at"], "./main.go:20:14");
}

#[test]
fn missing_go_sum_gives_the_go_command_that_fixes_it() {
    let r = only(&fixture("missing-gosum"), "compile", &[]);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "fail", "{c}");
    let f = &c["findings"][0];
    assert_eq!(f["evidence"]["module"], "github.com/gin-gonic/gin");
    assert_eq!(f["evidence"]["at"], "main.go:8:2");
    assert!(
        f["message"].as_str().unwrap().contains("run `go mod tidy`"),
        "{f}"
    );
    assert_eq!(
        f["fix"]["action"]["steps"][0],
        "go mod tidy (then commit go.sum)"
    );
    assert!(
        !fixture("missing-gosum").join("go.sum").exists(),
        "the check must not fix it by itself"
    );
}

#[test]
fn a_module_that_cannot_be_downloaded_names_it_and_the_command() {
    // An empty module cache and a proxy that refuses connections: the real download fails.
    let cache = tempfile::tempdir().unwrap();
    let o = Command::new(bin())
        .args(["--json", "--only", "compile", "--project"])
        .arg(fixture("gin-healthy"))
        .env("GOMODCACHE", cache.path())
        .env("GOPROXY", "http://127.0.0.1:9")
        .env("GOFLAGS", "-modcacherw -buildvcs=false")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "fail", "{c}");
    let m = &messages(c)[0];
    assert!(
        m.starts_with("cannot download github.com/gin-gonic/gin: ")
            && m.contains("connection refused"),
        "{m}"
    );
    assert_eq!(
        c["findings"][0]["fix"]["action"]["steps"][0],
        "go mod download github.com/gin-gonic/gin"
    );
}

#[test]
fn a_go_mod_that_needs_a_newer_go_is_never_downloaded_silently() {
    let run_with = |gotoolchain: &str| {
        let o = Command::new(bin())
            .args(["--json", "--only", "compile", "--project"])
            .arg(fixture("go-too-new"))
            .env("GOTOOLCHAIN", gotoolchain)
            .output()
            .unwrap();
        let r: Value = serde_json::from_slice(&o.stdout).unwrap();
        common::schema::assert_report(&r);
        check(&r, "compile").clone()
    };
    let c = run_with("local");
    assert_eq!(c["status"], "fail", "{c}");
    assert!(
        messages(&c)[0].contains("GOTOOLCHAIN=local: the build fails (see toolchain)"),
        "{c}"
    );
    let c = run_with("auto");
    assert_eq!(c["status"], "skip", "{c}");
    assert!(
        c["summary"]
            .as_str()
            .unwrap()
            .contains("go would download that toolchain first"),
        "{c}"
    );
}

#[test]
fn no_compile_skips_with_the_reason() {
    let r = only(&fixture("compile-error"), "compile", &["--no-compile"]);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "skip");
    assert_eq!(
        c["summary"],
        "--no-compile was given: the project is not built"
    );
}

#[test]
fn go_not_on_path_skips_with_the_reason() {
    let empty = tempfile::tempdir().unwrap();
    let o = Command::new(bin())
        .args(["--json", "--only", "compile", "--project"])
        .arg(fixture("stdlib-healthy"))
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "skip", "{c}");
    assert!(c["summary"].as_str().unwrap().contains("go is not on PATH"));
}

#[test]
fn cgo_turned_off_for_lack_of_gcc_is_explained_next_to_the_compiler_output() {
    // A PATH holding only the go tool: Go then builds with cgo off and skips add.go.
    let go = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v go"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let bin_dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        std::fs::canonicalize(go.trim()).unwrap(),
        bin_dir.path().join("go"),
    )
    .unwrap();
    let o = Command::new(bin())
        .args(["--json", "--only", "compile", "--project"])
        .arg(fixture("cgo-app"))
        .env("PATH", bin_dir.path())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "fail", "{c}");
    let m = messages(c);
    assert!(
        m[0].starts_with("./main.go:") && m[0].contains("undefined: add"),
        "{m:?}"
    );
    assert!(
        m[1].starts_with("cgo is off") && m[1].contains("add.go"),
        "{m:?}"
    );
    // With gcc on PATH the same project builds.
    let r = only(&fixture("cgo-app"), "compile", &[]);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "pass", "{c:#}");
}

#[test]
fn compile_leaves_the_project_and_temp_folder_as_they_were() {
    let project = copy_fixture("stdlib-healthy");
    let scratch = tempfile::tempdir().unwrap();
    let before = snapshot(project.path());
    let o = Command::new(bin())
        .args(["--json", "--only", "compile", "--project"])
        .arg(project.path())
        .env("TMPDIR", scratch.path())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    assert_eq!(check(&r, "compile")["status"], "pass", "{r}");
    assert_eq!(snapshot(project.path()), before);
    assert!(!project.path().join("tmp").exists());
    let left: Vec<_> = std::fs::read_dir(scratch.path())
        .unwrap()
        .flatten()
        .collect();
    assert!(
        left.is_empty(),
        "temporary build output left behind: {left:?}"
    );
}

#[test]
fn compile_keeps_the_build_flags_and_package_of_build_cmd() {
    // A second main package whose `dev`-tagged file does not compile: the failure proves
    // that -tags was passed on and that build.cmd's package (not `.`) was built.
    let project = copy_fixture("stdlib-healthy");
    let api = project.path().join("cmd/api");
    std::fs::create_dir_all(&api).unwrap();
    std::fs::write(api.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    std::fs::write(
        api.join("broken_dev.go"),
        "//go:build dev\n\npackage main\n\nvar broken int = \"dev\"\n",
    )
    .unwrap();
    std::fs::write(
        project.path().join(".air.toml"),
        "[build]\ncmd = \"go build -tags dev -o ./tmp/api ./cmd/api\"\n",
    )
    .unwrap();
    let r = only(project.path(), "compile", &[]);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "fail", "{c}");
    assert_eq!(
        c["evidence"]["command"],
        "go build -tags dev -mod=readonly ./cmd/api"
    );
    assert!(
        messages(c)[0].starts_with("cmd/api/broken_dev.go:5:18: cannot use \"dev\""),
        "{c}"
    );
}

#[test]
fn compile_follows_a_cd_in_build_cmd() {
    let project = copy_fixture("stdlib-healthy");
    let api = project.path().join("cmd/api");
    std::fs::create_dir_all(&api).unwrap();
    std::fs::write(
        api.join("main.go"),
        "package main\n\nfunc main() { undefinedName() }\n",
    )
    .unwrap();
    std::fs::write(
        project.path().join(".air.toml"),
        "[build]\ncmd = \"cd cmd/api && go build -o ../../tmp/api .\"\n",
    )
    .unwrap();
    let r = only(project.path(), "compile", &[]);
    let c = check(&r, "compile");
    assert_eq!(
        c["evidence"]["command"], "cd cmd/api && go build -mod=readonly .",
        "{c}"
    );
    // Only the error: the cd is followed, not approximated.
    assert_eq!(
        messages(c),
        vec!["./main.go:3:15: undefined: undefinedName"],
        "{c}"
    );
    assert!(!project.path().join("tmp").exists());
}

#[test]
fn a_build_cmd_that_is_not_go_build_is_approximated_and_said() {
    let project = copy_fixture("stdlib-healthy");
    std::fs::write(
        project.path().join(".air.toml"),
        "[build]\ncmd = \"make build\"\n",
    )
    .unwrap();
    let r = only(project.path(), "compile", &[]);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "info", "{c}");
    assert_eq!(
        messages(c),
        vec!["build.cmd `make build` is not a `go build`; built `.` instead"]
    );
}

/// Code that is generated or built, not committed: the finding names the command that makes
/// it (from sqlc.yaml, web/package.json), not `go get` (real go build).
#[test]
fn missing_generated_code_names_its_generator() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("go.mod"), "module example.com/app\n\ngo 1.22\n").unwrap();
    std::fs::write(
        d.join("main.go"),
        "package main\n\nimport (\n\t\"embed\"\n\n\t\"example.com/app/db/sqlc\"\n)\n\n//go:embed web/dist\nvar dist embed.FS\n\nfunc main() { _ = sqlc.New; _ = dist }\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("db")).unwrap();
    std::fs::write(d.join("db/sqlc.yaml"), "version: \"2\"\n").unwrap();
    std::fs::create_dir_all(d.join("web")).unwrap();
    std::fs::write(
        d.join("web/package.json"),
        r#"{"scripts":{"build":"vite build"}}"#,
    )
    .unwrap();
    let (code, r) = json_report(d, &["--only", "compile"]);
    assert_eq!(code, 1);
    let text = messages(check(&r, "compile")).join("\n");
    assert!(
        text.contains("db/sqlc/ does not exist: it is generated; run `cd db && sqlc generate`"),
        "{text}"
    );
    assert!(!text.contains("go get example.com/app/db/sqlc"), "{text}");

    // With the package in place, the embed pattern is next.
    std::fs::create_dir_all(d.join("db/sqlc")).unwrap();
    std::fs::write(d.join("db/sqlc/db.go"), "package sqlc\n\nfunc New() {}\n").unwrap();
    let (_, r) = json_report(d, &["--only", "compile"]);
    let text = messages(check(&r, "compile")).join("\n");
    assert!(
        text.contains("//go:embed web/dist matches no files: the frontend build writes it; run `cd web && npm run build`"),
        "{text}"
    );
}

/// templ's shape (a real starter, carsonkrueger/go-htmx-starter): the views folder holds only
/// `.templ` files, their `_templ.go` are gitignored, and air's pre_cmd runs `make templ`,
/// whose recipe calls templ through a Makefile variable. A plain go build fails ("no
/// required module provides package"); air's builds do not: a note, not a failure. Without
/// the pre_cmd it is a failure whose fix is the make target.
#[test]
fn templ_code_that_airs_pre_cmd_generates_is_a_note_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("go.mod"), "module example.com/app\n\ngo 1.22\n").unwrap();
    std::fs::write(
        d.join("main.go"),
        "package main\n\nimport \"example.com/app/views\"\n\nfunc main() { _ = views.Page }\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("views")).unwrap();
    std::fs::write(
        d.join("views/page.templ"),
        "package views\n\ntempl Page() {\n\t<p>hi</p>\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("Makefile"),
        "TEMPL_CMD := ~/go/bin/templ\n\ntempl:\n\t${TEMPL_CMD} generate\n",
    )
    .unwrap();
    let air = |pre: &str| {
        std::fs::write(
            d.join(".air.toml"),
            format!("[build]\n  pre_cmd = [{pre}]\n  cmd = \"go build -o ./tmp/main .\"\n"),
        )
        .unwrap();
        let (_, r) = json_report(d, &["--only", "compile"]);
        check(&r, "compile").clone()
    };
    let c = air("\"make templ\"");
    assert_eq!(c["status"], "info", "{c:#}");
    let text = messages(&c).join("\n");
    assert!(
        text.contains("views/ holds no Go files: it is generated by `make templ`"),
        "{text}"
    );
    assert!(text.contains("which air runs first"), "{text}");

    let c = air("");
    assert_eq!(c["status"], "fail", "{c:#}");
    let f = &c["findings"][0];
    assert_eq!(f["fix"]["summary"], "make templ", "{c:#}");
}

#[test]
fn a_build_that_runs_out_of_the_memory_limit_is_stopped_and_named() {
    // Found by the project fuzz loop: a 50 MB main.go (a TOML head, then NULs) made the go
    // command itself grow past 10 GB. Every process of the build gets a memory limit; the
    // doctor runs here under a lower one (1 GB, which it keeps) so that go hits it in seconds.
    // (A build constraint on top keeps the file from compile's own NUL-bytes test, which
    // would name it before any build.)
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("go.mod"), "module big\n\ngo 1.22\n").unwrap();
    let main = project.path().join("main.go");
    std::fs::write(
        &main,
        "//go:build linux\n\n[build]\ncmd = \"go build -o ./tmp/main .\"\n",
    )
    .unwrap();
    pad_with_nuls(&main, 50 << 20);
    let mut cmd = Command::new(bin());
    cmd.args(["--json", "--only", "compile", "--project"])
        .arg(project.path());
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is a plain system call between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            nix::sys::resource::setrlimit(
                nix::sys::resource::Resource::RLIMIT_DATA,
                1 << 30,
                1 << 30,
            )
            .map_err(std::io::Error::from)
        });
    }
    let start = std::time::Instant::now();
    let o = cmd.output().unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", stderr(&o)));
    let c = check(&r, "compile");
    assert_eq!(c["status"], "warn", "{c}");
    assert_eq!(c["summary"], "build ran out of memory", "{c}");
    let m = messages(c);
    assert!(
        m[0].contains("GB of memory a report lets one process use"),
        "{m:?}"
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(100),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_source_file_of_zeros_is_named_before_go_build_spends_a_minute_on_it() {
    // What a crash or a full disk leaves: the head of the file, then zeros. go build needs
    // tens of seconds to say "invalid NUL character" about 50 MB of them; 1 MB here.
    let project = copy_fixture("stdlib-healthy");
    let main = project.path().join("main.go");
    pad_with_nuls(&main, 1 << 20);
    let go = Command::new("go")
        .args(["build", "-o", "/dev/null", "."])
        .current_dir(project.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&go.stderr).contains("invalid NUL character"),
        "go itself refuses it: {}",
        String::from_utf8_lossy(&go.stderr)
    );
    let start = std::time::Instant::now();
    let r = only(project.path(), "compile", &[]);
    let c = check(&r, "compile");
    assert_eq!(c["status"], "fail", "{c}");
    assert_eq!(c["summary"], "not built: main.go holds NUL bytes", "{c}");
    assert!(messages(c)[0].contains("git checkout -- main.go"), "{c}");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}
