//! Fuzzing every parser that reads what a repository or the kernel hands the doctor: no input
//! may panic any of them. The engine is `fuzz/engine.rs`; each test runs `FUZZ_CASES`
//! executions (a quick default here; `bench/fuzz.sh` runs 1,000,000 per parser in release).
//! Inputs that once found a bug live in `fuzz/corpus/<target>/` and run first, every time.

#[path = "../../fuzz/engine.rs"]
mod engine;

use checks::golang::build_plan::{self, BuildPlan};
use checks::golang::{build_output, lexer, signals::SignalUse, source};
use checks::reloaders::air::runner::RunConfig;
use checks::reloaders::air::{config as air, written::Written};
use checks::reloaders::event_rules::EventRules;
use checks::reloaders::watch_tree::Rules;
use checks::system::fsevents::Op;
use checks::system::{inotify, mounts, procs};
use std::path::Path;

/// Quick enough for the test suite on two cores in a debug build.
const QUICK: u64 = 2_000;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Every fixture file whose name passes `pick`: real files as seeds.
fn fixtures(pick: impl Fn(&str) -> bool) -> Vec<Vec<u8>> {
    fn walk(dir: &Path, pick: &dyn Fn(&str) -> bool, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(&path, pick, out);
            } else if pick(&e.file_name().to_string_lossy()) {
                out.push(path);
            }
        }
    }
    let mut files = vec![];
    walk(&repo().join("fixtures"), &pick, &mut files);
    files.sort();
    let seeds: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(!seeds.is_empty(), "no fixture seeds");
    seeds
}

/// The `.txt` recordings in `fixtures/<dir>` (mountinfo, fdinfo).
fn recordings(dir: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(repo().join("fixtures").join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Run `target`, print its figures (`bench/fuzz.sh` collects them), fail on any panic.
fn fuzz(target: engine::Target, exec: impl Fn(&[u8])) {
    let stats = engine::run(repo(), target, engine::cases(QUICK), exec);
    println!("FUZZ {}", stats.line());
    assert_eq!(
        stats.panics,
        0,
        "{}: first panic: {}; inputs written to {:?}",
        stats.name,
        stats.first_panic.unwrap_or_default(),
        stats.crashes
    );
}

/// Parsers take text: invalid UTF-8 reaches them decoded lossily, as the doctor reads it.
fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[test]
fn air_toml() {
    let seeds = fixtures(|n| n.ends_with(".toml") || n == ".air.conf");
    let dict: &[&[u8]] = &[
        b"[build]",
        b"[proxy]",
        b"[misc]",
        b"[log]",
        b"[screen]",
        b"[[build]]",
        b"root = ",
        b"tmp_dir = ",
        b"cmd = \"go build -o ./tmp/main .\"",
        b"bin = ",
        b"full_bin = ",
        b"entrypoint = ",
        b"args_bin = [",
        b"include_ext = [\"go\", \"tpl\"]",
        b"exclude_dir = [\"assets\", \"tmp\"]",
        b"exclude_regex = [\"_test.go\", \"(\"]",
        b"include_dir = ",
        b"delay = ",
        b"kill_delay = \"99999999999999999999999s\"",
        b"kill_delay = \"10000000000000000000s\"",
        b"kill_delay = -1",
        b"poll_interval = 0",
        b"send_interrupt = true",
        b"enabled = true",
        b"proxy_port = 65536",
        b"app_port = -8080",
        b"\"\"\"",
        b"'''",
        b"{ a = 1 }",
        b"1979-05-27T07:32:00Z",
        b"inf",
        b"0x7fffffffffffffff",
        b"\\u0000",
        b"/",
        b"../..",
        b"$HOME",
    ];
    let root = Path::new("/nonexistent/project");
    fuzz(
        engine::Target {
            name: "air_toml",
            seeds,
            dict,
            max_len: 4096,
        },
        |bytes| {
            let text = text(bytes);
            match air::parse(&text) {
                Err((span, _)) => {
                    if let Some(s) = span {
                        checks::text::line_col(&text, s.start);
                    }
                }
                Ok(c) => {
                    let _ = c.refusal(root);
                    let _ = (c.app(root, root), c.app_command(root, root));
                    let _ = (c.bin_path(root, root), c.tmp_rel(), c.testdata_rel());
                    let _ = c.excluded_dirs().count();
                    let plan = BuildPlan::parse(&c.build.cmd);
                    let _ = (plan.work_dir(root), plan.main_dir(root));
                    let rules = EventRules::air(&c, root);
                    for p in ["main.go", "tmp/main", "a/b_test.go", "x.tpl"] {
                        let _ = rules.judge(Op::Write, &root.join(p), false);
                    }
                }
            }
            if let Ok(w) = Written::parse(&text) {
                for issue in w.issues() {
                    let _ = w.line(&issue.path);
                }
                // The runner's view of the same parse, and its rules.
                if let Ok(c) = RunConfig::read(root, None, &w, &[]) {
                    let _ = EventRules::runner(&c, root).map(|r| r.wants(&root.join("main.go")));
                    let _ = Rules::runner(&c);
                }
            }
        },
    );
}

#[test]
fn runner_conf() {
    let dict: &[&[u8]] = &[
        b"root:",
        b"tmp_path:",
        b"build_name:",
        b"build_log:",
        b"valid_ext:",
        b"no_rebuild_ext:",
        b"ignored:",
        b"build_delay:",
        b"colors:",
        b"log_color_main:",
        b"#",
        b":",
        b".go, .tpl",
        b"600",
    ];
    fuzz(
        engine::Target {
            name: "runner_conf",
            seeds: fixtures(|n| n == "runner.conf").into_iter().chain([
                b"root: .\ntmp_path: ./tmp\nbuild_name: runner-build\nbuild_log: runner-build-errors.log\nvalid_ext: .go, .tpl, .tmpl, .html\nno_rebuild_ext: .tpl, .tmpl, .html\nignored: assets, tmp\nbuild_delay: 600\ncolors: 1\n"
                    .to_vec(),
            ]).collect(),
            dict,
            max_len: 2048,
        },
        |bytes| {
            let text = text(bytes);
            let conf = checks::reloaders::fresh::parse(&text);
            for k in ["root", "tmp_path", "build_delay", "valid_ext", "ignored"] {
                let _ = conf.get(k);
            }
            let settings = checks::reloaders::event_rules::fresh_settings(Some(&text));
            let rules = EventRules::fresh(&settings, Path::new("/nonexistent"));
            let _ = rules.judge(Op::Write, Path::new("/nonexistent/main.go"), false);
        },
    );
}

#[test]
fn dotenv() {
    let names: Vec<String> = ["PORT", "SERVER_PORT", "APP_PORT", "ADDR"]
        .map(String::from)
        .to_vec();
    let dict: &[&[u8]] = &[
        b"PORT=",
        b"SERVER_PORT=",
        b"export ",
        b"APP_PORT = ",
        b"ADDR=\"0.0.0.0:",
        b"${PORT}",
        b"${",
        b"$",
        b"'",
        b"\"",
        b" # comment",
        b"BIN_APP_PORT=",
        b"GIN_PORT=",
        b"localhost:",
        b":8080",
    ];
    fuzz(
        engine::Target {
            name: "dotenv",
            seeds: vec![
                b"# app\nexport SERVER_PORT=7001\nAPP_PORT=\"0.0.0.0:7002\" # inline\nADDR='x:1'\nURL=${SERVER_PORT}/x\n"
                    .to_vec(),
                b"PORT=3000\nBIN_APP_PORT=3001\nGIN_PORT=3002\n".to_vec(),
            ],
            dict,
            max_len: 2048,
        },
        |bytes| {
            let _: Vec<_> = dotenvy::from_read_iter(bytes).take(1_000).collect();
            let text = text(bytes);
            let _ = checks::app_port::dotenv_port_in(&text, &names);
            let _ = checks::reloaders::gin::env_issues(&text);
        },
    );
}

#[test]
fn go_mod() {
    let dict: &[&[u8]] = &[
        b"module ",
        b"go ",
        b"toolchain go",
        b"require (",
        b"require ",
        b"replace ",
        b" => ",
        b"use (",
        b"use ",
        b")",
        b"// indirect",
        b"v1.2.3",
        b"1.25",
        b"go1.99.0",
        b"github.com/a/b",
        b"\"",
    ];
    fuzz(
        engine::Target {
            name: "go_mod",
            seeds: vec![
                b"module example.com/shop\n\ngo 1.25.0\n\ntoolchain go1.26.8\n\nrequire (\n\tgithub.com/a/b v1.2.0\n\tgithub.com/a/b/c v0.1.0 // indirect\n)\n\nrequire golang.org/x/sys v0.1.0\n"
                    .to_vec(),
                b"go 1.22\n\nuse ./tools\nuse (\n\t./server // api\n\t\"./web\"\n)\n".to_vec(),
            ],
            dict,
            max_len: 2048,
        },
        |bytes| {
            let text = text(bytes);
            let m = checks::golang::modfile::parse_go_mod(&text);
            for v in [m.go.as_deref(), m.toolchain.as_deref()].into_iter().flatten() {
                let _ = checks::golang::version::parse_version(v);
            }
            let _ = build_output::module_for_package(&text, "github.com/a/b/c/d");
            let _ = checks::golang::modfile::go_work_uses(&text);
        },
    );
}

#[test]
fn go_source() {
    let seeds = fixtures(|n| n.ends_with(".go"))
        .into_iter()
        .chain([br#"package main

import (
	"context"
	"flag"
	sig "os/signal"
	"net/http"
	"os"
	"syscall"
)

type Config struct {
	Port int `env:"PORT" default:"8081"`
}

func main() {
	addr := flag.String("addr", ":3001", "listen address")
	port := os.Getenv("SERVER_PORT")
	ctx, stop := sig.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: ":8080"}
	go srv.ListenAndServe()
	<-ctx.Done()
	srv.Shutdown(context.Background())
	_ = `raw
string` + "\x00\u00e9" + '\''
	/* block */ _, _ = addr, port
}
"#
        .to_vec()])
        .collect();
    let dict: &[&[u8]] = &[
        b"package main\n",
        b"import \"os/signal\"\n",
        b"signal.Notify(c, os.Interrupt, syscall.SIGTERM)",
        b"signal.Ignore(syscall.SIGINT)",
        b"signal.NotifyContext(",
        b"srv.Shutdown(ctx)",
        b"http.ListenAndServe(\":8080\", nil)",
        b"r.Run(\":",
        b"Addr: \":",
        b"os.Getenv(\"",
        b"flag.Int(\"port\", ",
        b"default:\"",
        b"`",
        b"'",
        b"/*",
        b"*/",
        b"0x",
        b"0x1F91",
        b"0o17621",
        b"0b1",
        b"_",
        b"flag.Int(\"port\", 0x",
        b"Value: 0x",
        b"1e",
        b"...",
        b"{",
        b"}",
        b"(",
        b")",
    ];
    fuzz(
        engine::Target {
            name: "go_source",
            seeds,
            dict,
            max_len: 8192,
        },
        read_go_source,
    );
}

/// Everything the doctor reads from one Go file: signals, ports, the names of the
/// environment variables it reads and what else it reads (env helpers, `.env` and config files).
fn read_go_source(bytes: &[u8]) {
    let text = text(bytes);
    if let Ok(tokens) = lexer::tokenize(&text) {
        let mut uses = SignalUse::default();
        uses.scan("main.go", &tokens);
        let _ = (uses.caught(), uses.ignored());
    }
    let _ = source::literal_port(&text);
    let _ = checks::app_port::source_default(&text);
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let _ = lexer::int_value(word);
    }
    let texts = [("main.go".to_string(), text.into_owned())];
    let _ = checks::app_port::env_names_read(&texts);
    let _ = checks::app_port::go_reads(&texts);
}

/// Input families that took quadratic time (issue 20: a generated `main.go` of
/// `os.Getenv("XN_PORT")` lines took 64 s at 9.8 MB; unclosed, nested and `Notify(c, s)`
/// calls took 39 s to over 2 minutes at 100,000 lines), and their kin: ten times the input
/// must cost about ten times the work, not a hundred. The figures go to `bench/fuzz.sh`.
#[test]
fn go_source_and_dotenv_work_grows_linearly() {
    const HEAD: &str = "package main\n\nimport (\n\t\"os\"\n\t\"os/signal\"\n)\n\nfunc main() {\n\tc := make(chan os.Signal, 1)\n\ts := os.Interrupt\n";
    // A family member's body, `n` lines (or levels) long.
    type Body = fn(usize) -> String;
    let families: [(&str, Body); 7] = [
        ("getenv names", |n| {
            (0..n)
                .map(|i| format!("\tvar e{i} = os.Getenv(\"X{i}_PORT\")\n"))
                .collect()
        }),
        ("unclosed calls", |n| "\tx.Run(\n".repeat(n)),
        ("nested calls", |n| {
            format!("\t{}{}\n", "x.Run(".repeat(n), ")".repeat(n))
        }),
        ("notify calls", |n| "\tsignal.Notify(c, s)\n".repeat(n)),
        ("flag lines", |n| {
            "\tflag.Int(\"workers\", 8, \"n\")\n".repeat(n)
        }),
        ("cli literals", |n| "\t&cli.IntFlag{\n".repeat(n)),
        ("listen calls", |n| {
            "\thttp.ListenAndServe(\":0\", nil)\n".repeat(n)
        }),
    ];
    let mut slow = vec![];
    for (name, body) in families {
        let make = |n| format!("{HEAD}{}}}\n", body(n)).into_bytes();
        let g = engine::growth(make, 2_000, read_go_source);
        println!("LINEAR go_source {name:<16} x10 input: x{g:.1} work");
        if g > 25.0 {
            slow.push(format!("{name}: x{g:.0}"));
        }
    }
    // `.env` lines against as many names the source reads, none set there.
    let g = engine::growth(
        |n| {
            (0..n)
                .map(|i| format!("X{i}_PORT=x\n"))
                .collect::<String>()
                .into_bytes()
        },
        2_000,
        |bytes| {
            let text = text(bytes);
            let names: Vec<String> = (0..text.lines().count())
                .map(|i| format!("Y{i}_PORT"))
                .collect();
            let _ = checks::app_port::dotenv_port_in(&text, &names);
        },
    );
    println!("LINEAR dotenv   lines x names      x10 input: x{g:.1} work");
    if g > 25.0 {
        slow.push(format!("dotenv: x{g:.0}"));
    }
    assert!(
        slow.is_empty(),
        "ten times the input took this many times the work (linear is about 10): {slow:?}"
    );
}

/// The files that start air, each kind read by its reader: one input written as every
/// launcher file of a scratch repository, then the whole discovery (YAML, JSON with
/// comments, Makefile variables, Dockerfile stages, shell walking).
#[test]
fn launchers() {
    let dict: &[&[u8]] = &[
        b"services:\n  api:\n    ",
        b"command: ",
        b"working_dir: /app\n",
        b"volumes:\n      - ./backend:/app\n",
        b"build: ./backend\n",
        b"<<: *a\n",
        b"&a ",
        b"*a",
        b"!reset ",
        b"tasks:\n  dev:\n    dir: x\n    cmds: [",
        b"\"scripts\": {\"dev\": \"",
        b"FROM golang AS dev\n",
        b"WORKDIR /app\n",
        b"COPY . .\n",
        b"CMD [\"air\", \"-c\", \"",
        b"ENTRYPOINT ",
        b"dev:\n\t",
        b"$(MAKE) -C ",
        b"X := ",
        b"$(X)",
        b"cd backend && ",
        b"air -c ",
        b"go tool air",
        b"$(dirname \"$0\")/..",
        b"sh -c \"",
        b"// c\n",
        b"\\\n",
    ];
    let scratch = tempfile::tempdir().unwrap();
    let repo = scratch.path();
    for d in [".git", ".vscode", ".devcontainer", "backend"] {
        std::fs::create_dir_all(repo.join(d)).unwrap();
    }
    let names = [
        "Makefile",
        "justfile",
        "Taskfile.yml",
        "package.json",
        "Procfile",
        "dev.sh",
        "Dockerfile",
        "compose.yml",
        "backend/Dockerfile",
        ".vscode/tasks.json",
        ".devcontainer/devcontainer.json",
    ];
    fuzz(
        engine::Target {
            name: "launchers",
            seeds: vec![
                b"services:\n  api:\n    build: ./backend\n    working_dir: /app\n    volumes: ['./backend:/app']\n    command: air -c .air.toml\n".to_vec(),
                b"API := apps/api\ndev:\n\tcd $(API) && air -c .air.toml\n".to_vec(),
                b"FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCMD [\"air\"]\n".to_vec(),
                b"{\"tasks\": [{\"label\": \"x\", \"command\": \"air\", \"options\": {\"cwd\": \"${workspaceFolder}\"}}]}".to_vec(),
            ],
            dict,
            max_len: 2048,
        },
        |bytes| {
            let text = text(bytes);
            let _ = checks::yaml::parse(&text);
            for n in names {
                std::fs::write(repo.join(n), bytes).unwrap();
            }
            let _ = checks::reloaders::air::launch::Launches::in_repo(repo);
        },
    );
}

#[test]
fn config_file() {
    let seeds = fixtures(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .into_iter()
        .chain([
            b"jwt:\n  signing-key: x\nredis:\n  addr: 127.0.0.1:6379\nsystem:\n  addr: 8888\n"
                .to_vec(),
            b"[server]\nport = 9000\n[db]\nport = 5432\n".to_vec(),
            b"{\"server\": {\"port\": 7001}, \"port\": \":7002\"}".to_vec(),
        ])
        .collect();
    let dict: &[&[u8]] = &[
        b"port: ",
        b"addr: ",
        b"server:\n  ",
        b"system:\n  ",
        b"&a ",
        b"*a",
        b"<<: ",
        b"[",
        b"{",
        b"- ",
        b"---\n",
        b"! tag",
        b"|\n",
        b"\"",
        b"'",
        b"\t",
        b"[server]\n",
        b"port = ",
        b"\"port\": ",
        b":65536",
        b"0.0.0.0:8080",
    ];
    let wanted = vec!["server.port".to_string(), "http".to_string()];
    fuzz(
        engine::Target {
            name: "config_file",
            seeds,
            dict,
            max_len: 4096,
        },
        |bytes| {
            let text = text(bytes);
            for name in ["c.yaml", "c.toml", "c.json"] {
                let _ = checks::app_port::config_port_in(name, &text, &wanted);
            }
        },
    );
}

#[test]
fn build_cmd() {
    let dict: &[&[u8]] = &[
        b"go build ",
        b"go run ",
        b"-o ",
        b"-o=",
        b"-C ",
        b"-tags ",
        b"-ldflags \"-s -w\"",
        b"-ldflags=",
        b"-gcflags=all=",
        b"-X main.v=1 ",
        b"-o=/x",
        b"-cpuprofile=",
        b"-linkmode\texternal",
        b" -- ",
        b"-toolexec=./x.sh",
        b"-mod=mod",
        b"CGO_ENABLED=0 ",
        b"GOFLAGS=",
        b"cd ",
        b" && ",
        b" ; ",
        b" || ",
        b" | ",
        b"make ",
        b"sh -c '",
        b"bash -c \"",
        b"./cmd/app",
        b"main.go",
        b"\\",
        b"'",
        b"\"",
        b"$(",
        b"`",
    ];
    let root = Path::new("/nonexistent/project");
    fuzz(
        engine::Target {
            name: "build_cmd",
            seeds: vec![
                b"go build -o ./tmp/main .".to_vec(),
                b"cd cmd/api && CGO_ENABLED=0 go build -tags 'a b' -ldflags=\"-X main.v=1\" -o ../../tmp/main . && echo ok".to_vec(),
                b"make build; sh -c \"go build -C ./svc -o ./tmp/x ./cmd/x\"".to_vec(),
            ],
            dict,
            max_len: 1024,
        },
        |bytes| {
            let text = text(bytes);
            let plan = BuildPlan::parse(&text);
            let _ = (plan.work_dir(root), plan.main_dir(root), plan.listed_files());
            assert_runs_nothing_the_repo_names(
                &checks::golang::sandbox::SafeBuild::new(&plan, root),
                root,
            );
            checks::shell::parse(&text).walk(true, &mut |s, _| {
                let _ = checks::reloaders::air::launch::air_call(&s.words);
            });
            let _ = build_plan::program(&text);
        },
    );
}

/// A -gcflags/-ldflags value: what is kept passes the allowlist again with nothing left out
/// (so no word the compiler or linker would read as a file or program gets through), and a
/// value with nothing to leave out is passed as written.
#[test]
fn tool_flags() {
    use checks::golang::tool_flags::{screen, split, Tool};
    let dict: &[&[u8]] = &[
        b"all=",
        b"./...=",
        b"-s ",
        b"-w ",
        b"-X ",
        b"-X=main.v=1 ",
        b"-N ",
        b"-l ",
        b"-m=2 ",
        b"-d=checkptr ",
        b"-o ",
        b"-o=/x ",
        b"-cpuprofile=f ",
        b"-linkmode",
        b"\texternal",
        b"-extld=./x ",
        b" -- ",
        b"---x ",
        b"-=",
        b"'",
        b"\"",
        b"\n",
        b"\r",
        b"\x0b",
    ];
    fuzz(
        engine::Target {
            name: "tool_flags",
            seeds: vec![
                b"-s -w -X 'main.v=1 2'".to_vec(),
                b"all=-N -l".to_vec(),
                b"-s -o=/x -linkmode\texternal".to_vec(),
            ],
            dict,
            max_len: 256,
        },
        |bytes| {
            let value = text(bytes);
            let _ = split(&value);
            for tool in [Tool::Compile, Tool::Link] {
                let s = screen(tool, &value);
                match &s.kept {
                    Some(k) if s.dropped.is_empty() => assert_eq!(*k, *value),
                    Some(k) => {
                        let again = screen(tool, k);
                        assert_eq!(again.dropped, Vec::<String>::new(), "{value:?} -> {k:?}");
                        assert_eq!(again.kept.as_deref(), Some(k.as_str()));
                    }
                    None => assert!(!s.dropped.is_empty(), "{value:?}"),
                }
            }
        },
    );
}

/// What a plain report passes to `go build`, read the way go's flag package reads it: only
/// allowlisted flags (a value flag's next word is its value, whatever it looks like), only
/// target variables, a read-only module mode, and a folder inside the project.
fn assert_runs_nothing_the_repo_names(safe: &checks::golang::sandbox::SafeBuild, root: &Path) {
    const KEPT: &[&str] = &[
        "tags", "trimpath", "race", "gcflags", "ldflags", "a", "p", "mod",
    ];
    const WITH_VALUE: &[&str] = &["tags", "gcflags", "ldflags", "p", "mod"];
    let mut words = safe.flags.iter();
    while let Some(word) = words.next() {
        let flag = word.trim_start_matches('-');
        assert!(word.starts_with('-'), "{word:?} passed as a flag: {safe:?}");
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None if WITH_VALUE.contains(&flag) => (flag, words.next().cloned()),
            None => (flag, None),
        };
        assert!(KEPT.contains(&name), "-{name} passed to go build: {safe:?}");
        if name == "mod" {
            assert!(
                matches!(value.as_deref(), Some("readonly" | "vendor")),
                "{safe:?}"
            );
        }
        // What reaches the compiler or linker passes the allowlist again whole.
        if name == "gcflags" || name == "ldflags" {
            use checks::golang::tool_flags::{screen, Tool};
            let tool = if name == "gcflags" {
                Tool::Compile
            } else {
                Tool::Link
            };
            let v = value.unwrap_or_default();
            assert_eq!(screen(tool, &v).dropped, Vec::<String>::new(), "{safe:?}");
        }
    }
    for (k, _) in &safe.env {
        assert!(
            k == "CGO_ENABLED"
                || (k.starts_with("GO")
                    && ![
                        "GOFLAGS",
                        "GOTOOLCHAIN",
                        "GOROOT",
                        "GOPATH",
                        "GOCACHE",
                        "GOENV",
                        "GOPROXY"
                    ]
                    .contains(&k.as_str())),
            "{k}= passed to go build: {safe:?}"
        );
    }
    assert!(safe.dir.starts_with(root), "{safe:?}");
    assert!(
        safe.packages.iter().all(|p| !p.starts_with('-')),
        "a package go reads as a flag: {safe:?}"
    );
}

#[test]
fn mountinfo() {
    let dict: &[&[u8]] = &[
        b" - ",
        b" - ext4 /dev/sda1 rw",
        b" - 9p drvfs rw",
        b" - fuse.grpcfuse grpcfuse rw",
        b" - virtiofs myfs rw",
        b" - overlay overlay rw,lowerdir=/a",
        b" - nfs4 server:/x rw",
        b" master:1",
        b" shared:2",
        b"\\040",
        b"\\134",
        b"\\777",
        b"rw,relatime",
        b"ro",
        b" / ",
        b"/proc",
    ];
    fuzz(
        engine::Target {
            name: "mountinfo",
            seeds: recordings("mountinfo").into_iter().chain([
                b"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n36 22 0:32 /src /work/my\\040dir rw - 9p drvfs rw,dirsync\n40 22 0:50 / /mnt/c rw master:3 - fuse.grpcfuse grpcfuse rw\n"
                    .to_vec(),
            ]).collect(),
            dict,
            max_len: 4096,
        },
        |bytes| {
            let table = mounts::parse(&text(bytes));
            for m in &table.mounts {
                let _ = (mounts::drops_events(m), m.describe(), m.read_only());
            }
            for p in ["/", "/work/my dir/x", "/mnt/c/y", ""] {
                let _ = table.mount_of(Path::new(p));
            }
        },
    );
}

#[test]
fn proc_stat() {
    let dict: &[&[u8]] = &[b"(", b")", b" ", b"R", b"Z", b"S", b"-", b"4294967295"];
    fuzz(
        engine::Target {
            name: "proc_stat",
            seeds: vec![
                b"4121 (main) S 1 4121 4121 0 -1 4194560 1000 0 0 0 10 5 0 0 20 0 1 0 123456 10000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n".to_vec(),
                b"77 (a b) c) (d) Z 76 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0\n".to_vec(),
            ],
            dict,
            max_len: 1024,
        },
        |bytes| {
            let _ = procs::parse_stat(&text(bytes), 1000);
        },
    );
}

#[test]
fn fdinfo() {
    let dict: &[&[u8]] = &[
        b"inotify wd:",
        b" ino:",
        b" sdev:",
        b" mask:",
        b" ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:",
        b"pos:\t0\n",
        b"flags:\t02004000\n",
    ];
    fuzz(
        engine::Target {
            name: "fdinfo",
            seeds: recordings("fdinfo").into_iter().chain([
                b"pos:\t0\nflags:\t02004000\nmnt_id:\t15\nino:\t1057\ninotify wd:2 ino:a0001 sdev:800001 mask:fce ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:0100aa00\ninotify wd:1 ino:2 sdev:800001 mask:fce ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:02000000\n".to_vec(),
            ]).collect(),
            dict,
            max_len: 4096,
        },
        |bytes| {
            let _ = inotify::watches_in_fdinfo(&text(bytes));
        },
    );
}

/// The terminal escaper: whatever bytes a name holds, what it shows holds no character a
/// terminal acts on, and a name with none is shown as it is.
#[test]
fn terminal_text() {
    use std::os::unix::ffi::OsStrExt;
    let dict: &[&[u8]] = &[
        b"\x1b]0;",
        b"\x07",
        b"\x1b[2J",
        b"\x1b\\",
        b"\xc2\x9b",
        b"\xe2\x80\xae",
        b"\xe2\x81\xa6",
        b"\n",
        b"\r",
        b"\x7f",
        b"\xff",
        b"\\e",
    ];
    let acts =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    fuzz(
        engine::Target {
            name: "terminal_text",
            seeds: vec![
                b"srv\x1b]0;TITLE\x07\x1b[2Jx.go".to_vec(),
                "main.go:12: größe ✔ \u{202e}txt.go".as_bytes().to_vec(),
            ],
            dict,
            max_len: 512,
        },
        |bytes| {
            let shown = checks::text::visible_os(std::ffi::OsStr::from_bytes(bytes));
            assert!(!shown.chars().any(acts), "{bytes:?} shown as {shown:?}");
            if let Ok(s) = std::str::from_utf8(bytes) {
                assert_eq!(checks::text::visible(s), shown);
                if !s.chars().any(acts) {
                    assert_eq!(shown, s);
                }
            }
        },
    );
}
