mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::process::Command;

const STATUSES: [&str; 6] = ["pass", "info", "warn", "fail", "skip", "error"];

/// The checks of the default report (an opt-in check runs only when named with --only).
fn registry_ids() -> Vec<String> {
    let o = run(&["checks", "--json"]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_valid("checks.schema.json", &v);
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["opt_in"] != true)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// A module with `main.go` holding `main_body` and the given extra files.
fn app_project(main_go: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("go.mod"),
        "module example.com/app\n\ngo 1.22\n",
    )
    .unwrap();
    fs::write(dir.path().join("main.go"), main_go).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn port_of(dir: &std::path::Path, env: &[(&str, &str)]) -> (u64, String, String) {
    let o = Command::new(bin())
        .args(["--json", "--only", "watch-scope", "--project"])
        .arg(dir)
        .env_remove("PORT")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let p = &r["project"];
    (
        p["port"].as_u64().unwrap(),
        p["port_source"].as_str().unwrap().to_string(),
        p["port_origin"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn json_matches_the_documented_contract() {
    let (_, r) = json_report(&fixture("gin-healthy"), &["--no-compile"]);
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["tool"]["name"], "reload-doctor");
    assert!(r["tool"]["version"].is_string());
    let p = &r["project"];
    assert!(p["root"]
        .as_str()
        .unwrap()
        .ends_with("fixtures/gin-healthy"));
    assert_eq!(p["reloader"], "air");
    assert!(p["config"].as_str().unwrap().ends_with(".air.toml"));
    assert_eq!(p["port"], 8080);
    assert_eq!(p["port_source"], "source");

    let checks = r["checks"].as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, registry_ids(), "every check, in registry order");
    let mut counted = std::collections::HashMap::new();
    for c in checks {
        for key in ["title", "summary"] {
            assert!(c[key].is_string(), "{key} in {c}");
        }
        assert!(c["duration_ms"].is_number());
        let status = c["status"].as_str().unwrap();
        assert!(STATUSES.contains(&status), "{status}");
        *counted.entry(status).or_insert(0) += 1;
        if status == "skip" {
            assert!(
                !c["summary"].as_str().unwrap().is_empty(),
                "a skip says why"
            );
        }
        for f in c["findings"].as_array().unwrap() {
            assert!(["info", "warn", "fail"].contains(&f["severity"].as_str().unwrap()));
            assert!(f["message"].is_string());
            assert!(f.get("evidence").is_some());
            let fix = &f["fix"];
            if !fix.is_null() {
                assert!(fix["summary"].is_string());
                assert!(
                    ["safe", "unsafe", "manual"].contains(&fix["applicability"].as_str().unwrap())
                );
                assert!(fix["needs_root"].is_boolean());
                assert!(fix["action"]["kind"].is_string());
            }
        }
    }
    for s in STATUSES {
        assert_eq!(
            r["summary"][s],
            counted.get(s).copied().unwrap_or(0),
            "summary.{s}"
        );
    }
    assert!(r["summary"]["fixable"].is_number());
}

#[test]
fn exit_status_is_0_when_nothing_failed_and_1_when_something_did() {
    let (code_ok, r) = json_report(
        &fixture("stdlib-healthy"),
        &["--only", "watch-scope,inotify-instances"],
    );
    assert_eq!(code_ok, 0, "{r}");
    assert_eq!(r["checks"].as_array().unwrap().len(), 2);

    let o = Command::new(bin())
        .args(["--json", "--only", "toolchain", "--project"])
        .arg(fixture("go-too-new"))
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    assert_eq!(check(&r, "toolchain")["status"], "fail", "{r}");
    assert_eq!(code(&o), 1);
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let dir = copy_fixture("stdlib-healthy");
    make_tree(&dir.path().join("node_modules"), 4, 1);
    let args = ["--only", "watch-scope"];
    let (plain, r) = json_report(dir.path(), &args);
    assert_eq!(check(&r, "watch-scope")["status"], "warn");
    assert_eq!(plain, 0);
    let (strict, _) = json_report(dir.path(), &["--only", "watch-scope", "--strict"]);
    assert_eq!(strict, 1);
}

#[test]
fn usage_errors_and_missing_projects_exit_2_with_a_reason() {
    for (args, needle) in [
        (vec!["--port", "0"], "0"),
        (vec!["--port", "70000"], "70000"),
        (
            vec!["--only", "inotify-watchs"],
            "did you mean inotify-watches",
        ),
        (
            vec!["--project", "/nonexistent/reload-doctor"],
            "does not exist",
        ),
        (vec!["explain", "nope"], "unknown check id"),
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    let file = fixture("stdlib-healthy").join("main.go");
    let o = run(&["--project", file.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is not a folder"));
}

#[test]
fn a_folder_that_is_not_a_go_module_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = json_report(dir.path(), &["--only", "toolchain,watch-scope"]);
    let messages = check(&r, "toolchain")["findings"].to_string();
    assert!(messages.contains("not a Go module"), "{messages}");
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let project = fixture("stdlib-healthy");
    let args = [
        "--only",
        "watch-scope",
        "--project",
        project.to_str().unwrap(),
    ];
    let with = |color: &str, no_color: Option<&str>| {
        let mut c = Command::new(bin());
        c.args(args).args(["--color", color]).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    assert!(
        with("always", None).contains('\x1b'),
        "--color always colours"
    );
    assert!(!with("always", Some("1")).contains('\x1b'), "NO_COLOR wins");
    assert!(!with("never", None).contains('\x1b'));
    assert!(
        !with("auto", None).contains('\x1b'),
        "a pipe is not a terminal"
    );
}

#[test]
fn human_report_is_aligned_and_names_the_fix() {
    let dir = copy_fixture("stdlib-healthy");
    make_tree(&dir.path().join("web/node_modules"), 3, 2);
    fs::write(
        dir.path().join(".air.toml"),
        "[build]\nexclude_dir = [\"tmp\", \"node_modules\"]\n",
    )
    .unwrap();
    let o = run(&[
        "--project",
        dir.path().to_str().unwrap(),
        "--only",
        "toolchain,watch-scope",
    ]);
    let out = stdout(&o);
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    // In characters, not bytes: the marks (✔ !) differ in UTF-8 length.
    let start = |l: &str| {
        let chars: Vec<char> = l.chars().collect();
        let gap = (4..chars.len()).find(|&i| chars[i] == ' ').unwrap();
        (gap..chars.len()).find(|&i| chars[i] != ' ').unwrap()
    };
    let starts: Vec<usize> = rows.iter().map(|l| start(l)).collect();
    assert_eq!(
        starts[0], starts[1],
        "summaries start in one column:\n{out}"
    );
    assert!(out.contains("web/node_modules is watched"), "{out}");
    assert!(
        out.contains("fix: add \"web/node_modules\" to build.exclude_dir"),
        "{out}"
    );
    assert!(out.contains("air matches it only at the root"), "{out}");
}

#[test]
fn checks_md_is_generated_from_the_registry() {
    let o = run(&["checks", "--markdown"]);
    let committed =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/CHECKS.md")).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "CHECKS.md is stale: run `cargo run -- checks --markdown > CHECKS.md`"
    );
}

/// A newcomer finds a check's integration tests by its id: `tests/check_<id>.rs`.
#[test]
fn every_check_has_its_own_test_file() {
    for id in registry_ids() {
        let file = format!("tests/check_{}.rs", id.replace('-', "_"));
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&file);
        let text = fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("check {id} has no {file}: add its integration tests there")
        });
        assert!(text.contains("#[test]"), "{file} holds no test");
    }
}

#[test]
fn explain_describes_a_check() {
    let o = run(&["explain", "inotify-watches"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(
        out.contains("ENOSPC") && out.contains("/etc/sysctl.d"),
        "{out}"
    );
}

#[test]
fn readme_lists_every_difference_from_air() {
    let o = run(&["run", "--differences"]);
    assert_eq!(code(&o), 0);
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for line in stdout(&o).lines() {
        assert!(
            readme.contains(line),
            "README.md lacks: {line}\n(run `reload-doctor run --differences` and paste)"
        );
    }
}

#[test]
fn the_port_comes_from_what_the_app_reads() {
    let literal =
        "package main\nimport \"net/http\"\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
    let dir = app_project(literal, &[]);
    assert_eq!(port_of(dir.path(), &[]).0, 8080);
    // $PORT is what run gives the app, and what the report names.
    let (port, source, origin) = port_of(dir.path(), &[("PORT", "19001")]);
    assert_eq!(
        (port, source.as_str(), origin.as_str()),
        (19001, "env", "$PORT")
    );

    // A name the source reads, set in .env (with an inline comment, read like godotenv).
    let reads = "package main\nimport (\"net/http\"; \"os\")\nfunc main() { http.ListenAndServe(\":\"+os.Getenv(\"SERVER_PORT\"), nil) }\n";
    let dir = app_project(reads, &[(".env", "DB=x\nSERVER_PORT=7001 # api\n")]);
    let (port, source, origin) = port_of(dir.path(), &[]);
    assert_eq!((port, source.as_str()), (7001, "env-file"));
    assert_eq!(origin, ".env:2 SERVER_PORT");
    // The same name in the environment wins over the file.
    assert_eq!(port_of(dir.path(), &[("SERVER_PORT", "7002")]).0, 7002);

    // A flag default in a config package.
    let dir = app_project(
        "package main\nfunc main() {}\n",
        &[("internal/config/config.go", "package config\nimport \"flag\"\nvar Port = flag.Int(\"port\", 3001, \"listen port\")\n")],
    );
    let (port, source, origin) = port_of(dir.path(), &[]);
    assert_eq!((port, source.as_str()), (3001, "source-default"));
    assert_eq!(origin, "internal/config/config.go:3");

    // A cobra persistent flag (ZEISS/fiber-htmx's example); the header names the file by its
    // place in the project, not only `root.go`.
    let cobra = "package web\n\nfunc init() {\n\trootCmd.PersistentFlags().StringVar(&cfg.Addr, \"addr\", \":3000\", \"addr\")\n}\n";
    let dir = app_project(
        "package main\nfunc main() {}\n",
        &[("cmd/web/root.go", cobra)],
    );
    let (port, source, origin) = port_of(dir.path(), &[]);
    assert_eq!(
        (port, source.as_str(), origin.as_str()),
        (3000, "source-default", "cmd/web/root.go:4")
    );
    let o = Command::new(bin())
        .args(["--only", "watch-scope", "--project"])
        .arg(dir.path())
        .env_remove("PORT")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("port 3000 (default at cmd/web/root.go:4)"),
        "{text}"
    );
}

#[test]
fn a_monorepo_root_examines_its_module_or_names_the_project_to_pass() {
    let root = tempfile::tempdir().unwrap();
    let server = root.path().join("server");
    fs::create_dir_all(&server).unwrap();
    fs::write(
        server.join("go.mod"),
        "module example.com/server\n\ngo 1.22\n",
    )
    .unwrap();
    fs::write(server.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    fs::write(
        server.join(".air.toml"),
        "[build]\ncmd = \"go build -o ./tmp/main .\"\n",
    )
    .unwrap();
    fs::create_dir_all(root.path().join("web/node_modules/dep")).unwrap();
    fs::write(
        root.path().join("web/node_modules/dep/go.mod"),
        "module dep\n",
    )
    .unwrap();

    let o = run(&[
        "--json",
        "--only",
        "toolchain",
        "--project",
        root.path().to_str().unwrap(),
    ]);
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_report(&r);
    let examined = fs::canonicalize(&server).unwrap();
    assert_eq!(r["project"]["root"], examined.to_str().unwrap(), "{r:#}");
    assert_eq!(r["project"]["reloader"], "air");
    assert!(stderr(&o).contains("examining server"), "{}", stderr(&o));
    assert!(!stdout(&o).contains("go mod init"), "{}", stdout(&o));

    // Beside a module that runs no reloader (tools, an SDK), the one that runs air is the
    // project, and the note says why.
    let tools = root.path().join("tools");
    fs::create_dir_all(&tools).unwrap();
    fs::write(tools.join("go.mod"), "module example.com/tools\n").unwrap();
    let o = run(&[
        "--only",
        "toolchain",
        "--project",
        root.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("examining server below it, the one of its 2 modules that uses a reloader"),
        "{err}"
    );

    // Two modules that run air: name them (not the other) and the flag, exit 2 (could not run).
    fs::write(tools.join(".air.toml"), "").unwrap();
    let sdk = root.path().join("sdk");
    fs::create_dir_all(&sdk).unwrap();
    fs::write(sdk.join("go.mod"), "module example.com/sdk\n").unwrap();
    let o = run(&["--project", root.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("2 modules using a reloader are below it: server, tools")
            && err.contains("--project server")
            && !err.contains("sdk"),
        "{err}"
    );
    // None runs air: all are named.
    fs::remove_file(tools.join(".air.toml")).unwrap();
    fs::remove_file(server.join(".air.toml")).unwrap();
    let err = stderr(&run(&["--project", root.path().to_str().unwrap()]));
    assert!(
        err.contains("3 modules are below it: sdk, server, tools"),
        "{err}"
    );
}

/// `reload-doctor explain ID | head -c 20` and `reload-doctor checks | head -1`: the reader
/// goes away mid-output; the doctor ends quietly (no panic) like any Unix filter.
#[test]
fn a_reader_that_goes_away_gets_no_panic() {
    for args in [
        "explain signals",
        "checks --markdown",
        "--no-compile --project fixtures/stdlib-healthy",
    ] {
        let script = format!("'{}' {args} | head -c 20 >/dev/null", bin());
        let o = std::process::Command::new("sh")
            .args(["-c", &script])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args}: {err}");
    }
}

/// fixtures/monorepo from its root: the backend below it is examined, said once (the report
/// detects the project a second time for its checks), and its port is PORT from the `.env`
/// the backend loads as `../.env`; without that file, the default of the helper that reads
/// PORT.
#[test]
fn a_monorepo_root_is_named_once_and_its_port_comes_from_the_env_it_loads() {
    let dir = copy_fixture("monorepo");
    let o = Command::new(bin())
        .args(["--json", "--only", "watch-scope"])
        .current_dir(dir.path())
        .env_remove("PORT")
        .output()
        .unwrap();
    let r = common::schema::parse("report.schema.json", &o.stdout);
    let err = stderr(&o);
    assert_eq!(
        err.matches("is not a Go module; examining backend below it")
            .count(),
        1,
        "{err}"
    );
    let p = &r["project"];
    assert!(p["root"].as_str().unwrap().ends_with("/backend"), "{p}");
    assert_eq!(
        (&p["port"], &p["port_source"], &p["port_origin"]),
        (&8083.into(), &"env-file".into(), &"../.env:3 PORT".into()),
        "{p}"
    );
    fs::remove_file(dir.path().join(".env")).unwrap();
    let line = fs::read_to_string(dir.path().join("backend/main.go"))
        .unwrap()
        .lines()
        .position(|l| l.contains("getEnvOrDefault(\"PORT\", \"8080\")"))
        .unwrap()
        + 1;
    let (port, source, origin) = port_of(&dir.path().join("backend"), &[]);
    assert_eq!(
        (port, source.as_str(), origin),
        (8080, "source-default", format!("main.go:{line}"))
    );
}

/// The app's own config file: viper's config/config.yaml (fixtures/viper-config: `port`,
/// not the database's), gin-vue-admin's config.yaml named in a constant (`system.addr`, not
/// redis's or mysql's), and a TOML file at the key the source reads.
#[test]
fn the_port_comes_from_the_apps_config_file() {
    let (port, source, origin) = port_of(&fixture("viper-config"), &[]);
    assert_eq!(
        (port, source.as_str(), origin.as_str()),
        (8082, "config-file", "config/config.yaml:4 port")
    );

    let gva = "jwt:\n  signing-key: qmPlus\nredis:\n  addr: 127.0.0.1:6379\nmysql:\n  port: \"3306\"\nsystem:\n  env: local\n  addr: 8888\n  db-type: mysql\n";
    let dir = app_project(
        "package main\n\nimport \"example.com/app/core\"\n\nfunc main() { core.RunWindowsServer() }\n",
        &[
            ("config.yaml", gva),
            (
                "core/internal/constant.go",
                "package internal\n\nconst (\n\tConfigEnv         = \"GVA_CONFIG\"\n\tConfigDefaultFile = \"config.yaml\"\n)\n",
            ),
            (
                "core/server.go",
                "package core\n\nfunc RunWindowsServer() {\n\taddress := fmt.Sprintf(\":%d\", global.GVA_CONFIG.System.Addr)\n\t_ = address\n}\n",
            ),
        ],
    );
    let (port, source, origin) = port_of(dir.path(), &[]);
    assert_eq!(
        (port, source.as_str(), origin.as_str()),
        (8888, "config-file", "config.yaml:9 system.addr")
    );

    let dir = app_project(
        "package main\n\nfunc main() {\n\tviper.SetConfigFile(\"./conf/app.toml\")\n\t_ = viper.ReadInConfig()\n\tr.Run(fmt.Sprintf(\":%d\", viper.GetInt(\"http.port\")))\n}\n",
        &[(
            "conf/app.toml",
            "[db]\nport = 5432\n\n[metrics]\nport = 9100\n\n[http]\nport = 7070\n",
        )],
    );
    let (port, source, origin) = port_of(dir.path(), &[]);
    assert_eq!(
        (port, source.as_str(), origin.as_str()),
        (7070, "config-file", "conf/app.toml:8 http.port")
    );
}

/// Nothing names the port: the header and the JSON say "unknown" (the checks look at 8080);
/// gin's `Run()` without an address is gin's own 8080, a known default.
#[test]
fn an_unknown_port_is_said_to_be_unknown() {
    let dir = app_project(
        "package main\n\nimport (\"net/http\"; \"os\")\n\nfunc main() { http.ListenAndServe(os.Args[1], nil) }\n",
        &[],
    );
    assert_eq!(
        port_of(dir.path(), &[]),
        (8080, "unknown".to_string(), String::new())
    );
    let o = Command::new(bin())
        .args(["--only", "watch-scope", "--project"])
        .arg(dir.path())
        .env_remove("PORT")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = stdout(&o);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("port unknown (checks assume :8080)"),
        "{text}"
    );
    let dir = app_project(
        "package main\n\nimport \"github.com/gin-gonic/gin\"\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run()\n}\n",
        &[],
    );
    assert_eq!(
        port_of(dir.path(), &[]),
        (8080, "default".to_string(), "main.go:7".to_string())
    );
}

/// A Unix argument is any bytes: one that is not UTF-8 is read as given (a folder that does
/// not exist, an id that names no check), never a panic (exit 101).
#[test]
fn arguments_that_are_not_utf8_are_read_not_a_panic() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let doctor = |args: &[&OsStr]| {
        Command::new(bin())
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let bad = OsStr::from_bytes(b"bad\xffx");
    let o = doctor(&["--project".as_ref(), bad, "--no-compile".as_ref()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));

    let id = OsStr::from_bytes(b"inotify-watche\xff");
    let o = doctor(&["explain".as_ref(), id]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("unknown check id") && err.contains("did you mean inotify-watches?"),
        "{err}"
    );
    let o = doctor(&["explain".as_ref(), "--json".as_ref(), id]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_valid("error.schema.json", &v);
    assert!(v["error"].as_str().unwrap().contains("unknown check id"));
}

/// A port flag's default in any integer form Go takes (`0x1F91` is 8081): the report once read
/// only decimal digits and fell back to 8080.
#[test]
fn a_port_flag_default_in_hex_is_the_port() {
    let main = "package main\n\nimport (\n\t\"flag\"\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() {\n\tport := flag.Int(\"port\", 0x1F91, \"listen port\")\n\tflag.Parse()\n\thttp.ListenAndServe(fmt.Sprintf(\":%d\", *port), nil)\n}\n";
    let dir = app_project(main, &[]);
    // Real Go takes the literal.
    let built = Command::new("go")
        .args(["build", "-o", "/dev/null", "."])
        .current_dir(dir.path())
        .env("GOTOOLCHAIN", "local")
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    let (port, source, origin) = port_of(dir.path(), &[]);
    assert_eq!(
        (port, source.as_str(), origin.as_str()),
        (8081, "source-default", "main.go:10")
    );
}

/// One text says how the port is found: `--help`, `run --help`, `verify --help` and README
/// (issue 26: each said it differently). The same for the exit status after Ctrl-C.
#[test]
fn port_and_exit_status_are_told_once() {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let port_text = |text: &str| {
        let text = squeeze(text);
        let start = text
            .find("The app's port. Default:")
            .unwrap_or_else(|| panic!("no port text in {text}"));
        let len = text[start..]
            .find("the port the app listens on.")
            .unwrap_or_else(|| panic!("{text}"))
            + "the port the app listens on.".len();
        text[start..start + len].to_string()
    };
    let help = |args: &[&str]| stdout(&run(args));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let texts = [
        port_text(&help(&["--help"])),
        port_text(&help(&["run", "--help"])),
        port_text(&help(&["verify", "--help"])),
        port_text(&readme),
    ];
    assert!(
        texts[0].contains("`run` takes $PORT before the others"),
        "{}",
        texts[0]
    );
    for t in &texts[1..] {
        assert_eq!(t, &texts[0]);
    }
    for args in [&["--help"][..], &["run", "--help"]] {
        let h = squeeze(&help(args));
        assert!(
            h.contains("130 stopped by Ctrl-C (run included)"),
            "{args:?}: {h}"
        );
    }
    assert!(squeeze(&readme)
        .contains("| 130 | stopped by Ctrl-C, whatever the command (`run` included)."));
}
