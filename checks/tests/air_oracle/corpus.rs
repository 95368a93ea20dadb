//! The projects the model and air are both asked about: configs generated over the whole key
//! space (with zero values and wrong-but-accepted values) on small generated trees, and the
//! project shapes seen in real repositories.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};
use std::path::Path;

/// One project: folders and files under the case folder, `cwd` (relative) is where air is
/// started and holds the config. `@P` in the config stands for the absolute path of `cwd`.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub dirs: Vec<String>,
    pub files: Vec<String>,
    /// (link, target) symlinks, relative to the case folder.
    pub links: Vec<(String, String)>,
    pub cwd: String,
    pub config_name: String,
    pub config: String,
}

/// Paths (relative to `cwd`) asked about in every case.
pub const EVENTS: &[&str] = &[
    "main.go",
    "main_test.go",
    "cmd/api/main.go",
    "cmd/api/handler_gen.go",
    "web/index.html",
    "web/style.css",
    "view.templ",
    "view_templ.go",
    "go.mod",
    "README.md",
    "config.yaml",
    "tmp/main",
    "tmp/main.exe",
    "tmp/my app",
    "bin/app",
    "build/main",
    "Makefile",
    ".#main.go",
    "main.go~",
    "internal/db/q_gen.go",
    "web/node_modules/x/a.go",
    "../shared/lib.go",
    "sub/x.go",
    "linked/x.go",
    "vendor/m/a.go",
    "a/tmp/x.go",
    ".git/x.go",
    "x.go.swp",
    "cmd",
];

/// Folders a generated tree may have (each present or not).
const DIRS: &[&str] = &[
    "cmd",
    "cmd/api",
    "cmd/worker",
    "internal",
    "internal/db",
    "pkg",
    "web",
    "web/node_modules",
    "web/node_modules/x",
    "node_modules",
    "vendor",
    "vendor/m",
    "assets",
    "tmp",
    "build",
    "out",
    "testdata",
    "fixtures",
    "sub",
    "sub/tmp",
    ".git",
    ".idea",
    "a",
    "a/b",
    "a/tmp",
    "bin",
    "scripts",
];

/// A key's TOML value text, or absent.
fn val(weight: f64, values: &[&'static str]) -> BoxedStrategy<Option<&'static str>> {
    prop::option::weighted(weight, prop::sample::select(values.to_vec())).boxed()
}

const BOOLS: &[&str] = &["true", "false"];

fn top_keys() -> impl Strategy<Value = Vec<(&'static str, Option<&'static str>)>> {
    (
        val(
            0.3,
            &[
                "\".\"",
                "\"\"",
                "\"./\"",
                "\"../\"",
                "\"sub\"",
                "\"./sub/\"",
                "\"@P\"",
                "\"missing\"",
            ],
        ),
        val(
            0.4,
            &[
                "\"\"",
                "\"tmp\"",
                "\"build\"",
                "\"./out\"",
                "\".tmp\"",
                "\"bin/\"",
                "\"a/tmp\"",
                "\"@P/abs_tmp\"",
                "\"./tmp\"",
                "\"new/dir\"",
            ],
        ),
        val(
            0.2,
            &["\"\"", "\"testdata\"", "\"fixtures\"", "\"./testdata/\""],
        ),
    )
        .prop_map(|(r, t, d)| vec![("root", r), ("tmp_dir", t), ("testdata_dir", d)])
}

fn build_keys() -> impl Strategy<Value = Vec<(&'static str, Option<&'static str>)>> {
    let commands = (
        val(
            0.5,
            &[
                "\"\"",
                "\"go build -o ./tmp/main .\"",
                "\"go build -o ./tmp/main ./cmd/api\"",
                "\"cd sub && go build -o x && mv x ../tmp/x\"",
                "\"make build\"",
                "\"task build\"",
                "\"./scripts/build.sh\"",
                "\"go build .\"",
                "\"go run .\"",
                "\"cmd /c go build -o tmp\\\\main.exe .\"",
                "\"go build -o ./bin/app ./cmd/api\"",
            ],
        ),
        val(
            0.5,
            &[
                "\"\"",
                "\"./tmp/main\"",
                "\"tmp/main\"",
                "\"./tmp/main serve\"",
                "\"tmp\\\\main.exe\"",
                "\"./bin/app\"",
                "\"/usr/local/bin/app\"",
                "\"main\"",
                "\"./build/main\"",
                "\"../tmp/main\"",
                "\"./tmp/my app\"",
            ],
        ),
        val(
            0.2,
            &[
                "\"\"",
                "\"APP_ENV=dev ./tmp/main\"",
                "\"./tmp/main --port 8080\"",
                "\"dlv exec ./tmp/main\"",
                "\"@P/tmp/main\"",
            ],
        ),
        val(
            0.25,
            &[
                "\"\"",
                "\"./tmp/main\"",
                "[\"./tmp/main\", \"serve\"]",
                "[]",
                "\"sh\"",
                "[\"tmp/app\"]",
                "\"@P/tmp/my app\"",
                "\"./bin/app\"",
                "[\"\"]",
            ],
        ),
        val(
            0.25,
            &["[]", "[\"serve\"]", "[\"-port\", \"8080\"]", "[\"\"]"],
        ),
        val(
            0.15,
            &["[\"go build -o ./tmp/main .\"]", "[]", "[\"task gen\"]"],
        ),
    );
    let filters = (
        val(
            0.5,
            &[
                "[]",
                "[\"go\"]",
                "[\"go\", \"tpl\", \"tmpl\", \"html\"]",
                "[\".go\"]",
                "[\"*\"]",
                "[\"go\", \"css\"]",
                "[\" go \"]",
                "[\"html\", \"*\"]",
                "[\"templ\", \"go\"]",
                "[\"\"]",
                "[\"go\", \"yaml\", \"md\"]",
            ],
        ),
        val(
            0.3,
            &[
                "[]",
                "[\"cmd\"]",
                "[\"internal\", \"cmd/api\"]",
                "[\"./pkg/\"]",
                "[\"../shared\"]",
                "[\".\"]",
                "[\"missing\"]",
                "[\"web/\"]",
                "[\"@P/internal\"]",
                "[\"a/b\", \"tmp\"]",
            ],
        ),
        val(
            0.3,
            &[
                "[]",
                "[\"go.mod\"]",
                "[\"./go.mod\"]",
                "[\"cmd/api/main.go\"]",
                "[\"config.yaml\"]",
                "[\"README.md\", \"Makefile\"]",
            ],
        ),
        val(
            0.5,
            &[
                "[]",
                "[\"assets\", \"tmp\", \"vendor\", \"testdata\"]",
                "[\"node_modules\"]",
                "[\"web/node_modules\"]",
                "[\"./vendor\"]",
                "[\"tmp/\"]",
                "[\" assets \"]",
                "[\".git\", \"tmp\"]",
                "[\"cmd\", \"internal/db\"]",
                "[\"assets\", \"tmp\", \"vendor\", \"testdata\", \"node_modules\"]",
                "[\"sub\"]",
            ],
        ),
        val(
            0.3,
            &[
                "[]",
                "[\"*_gen.go\"]",
                "[\"cmd/api/*.go\"]",
                "[\"./main.go\"]",
                "[\"[\"]",
                "[\"main.go\"]",
                "[\"*/*_gen.go\"]",
                "[\"README.md\"]",
            ],
        ),
        val(
            0.3,
            &[
                "[]",
                "[\"_test.go\"]",
                "[\".*_templ.go\"]",
                "[\"^/\"]",
                "[\"node_modules\"]",
                "[\"(\"]",
                "[\"\\\\.#\"]",
                "[\"[.]css$\"]",
                "[\"_test\\\\.go$\", \"~$\"]",
            ],
        ),
    );
    let flags = (
        val(0.2, BOOLS),
        val(0.2, BOOLS),
        val(
            0.3,
            &[
                "0", "-1", "50", "1000", "100", "200", "500", "2000", "\"1s\"",
            ],
        ),
        val(
            0.3,
            &[
                "0",
                "500",
                "\"2s\"",
                "5000000",
                "\"500ms\"",
                "\"1m30s\"",
                "\"soon\"",
            ],
        ),
        val(0.2, BOOLS),
        val(0.2, BOOLS),
        val(0.1, BOOLS),
    );
    (commands, filters, flags).prop_map(|(c, f, g)| {
        vec![
            ("cmd", c.0),
            ("bin", c.1),
            ("full_bin", c.2),
            ("entrypoint", c.3),
            ("args_bin", c.4),
            ("pre_cmd", c.5),
            ("include_ext", f.0),
            ("include_dir", f.1),
            ("include_file", f.2),
            ("exclude_dir", f.3),
            ("exclude_file", f.4),
            ("exclude_regex", f.5),
            ("follow_symlink", g.0),
            ("exclude_unchanged", g.1),
            ("delay", g.2),
            ("kill_delay", g.3),
            ("send_interrupt", g.4),
            ("stop_on_error", g.5),
            ("poll", g.6),
        ]
    })
}

/// `[build.<os>]` tables: `linux` applies where air runs here, `windows` must change nothing.
fn os_tables() -> impl Strategy<Value = String> {
    let table = (
        val(
            0.5,
            &["\"make dev\"", "\"\"", "\"go build -o ./tmp/linux .\""],
        ),
        val(0.4, &["\"./tmp/linux\"", "\"\"", "\"tmp\\\\main.exe\""]),
        val(0.3, &["[\"./tmp/linux\", \"-v\"]", "[]", "\"./tmp/x\""]),
        val(0.3, &["[\"--dev\"]", "[]"]),
        val(0.2, &["\"./tmp/linux --full\"", "\"\""]),
    );
    (
        prop::sample::select(vec!["", "linux", "windows", "darwin"]),
        table,
    )
        .prop_map(|(os, (cmd, bin, ep, args, full))| {
            if os.is_empty() {
                return String::new();
            }
            let mut s = format!("\n[build.{os}]\n");
            for (k, v) in [
                ("cmd", cmd),
                ("bin", bin),
                ("entrypoint", ep),
                ("args_bin", args),
                ("full_bin", full),
            ] {
                if let Some(v) = v {
                    s.push_str(&format!("{k} = {v}\n"));
                }
            }
            s
        })
}

/// Keys air does not know or that sit in the wrong table: both sides must ignore them.
fn noise() -> impl Strategy<Value = (&'static str, &'static str)> {
    (
        prop::sample::select(vec![
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "tmp_folder = \"out\"\n",
            "build_delay = 5\n",
            "color = true\n",
        ]),
        prop::sample::select(vec![
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "exclude_dirs = [\"tmp\"]\n",
            "rerun = true\n",
            "log = \"air.log\"\n",
            "include_ext = \"go\"\n",
        ]),
    )
}

fn generated() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(any::<bool>(), DIRS.len()),
        (any::<bool>(), any::<bool>(), 0..4u8, 0..8u8),
        top_keys(),
        build_keys(),
        os_tables(),
        noise(),
    )
        .prop_map(
            |(present, (root_main, shared, link, config_at), top, build, os, (n1, n2))| {
                let mut dirs: Vec<String> = DIRS
                    .iter()
                    .zip(&present)
                    .filter(|(_, p)| **p)
                    .map(|(d, _)| format!("proj/{d}"))
                    .collect();
                dirs.push("proj".into());
                let mut files = vec!["proj/go.mod".to_string()];
                if root_main {
                    files.push("proj/main.go".into());
                }
                for d in &dirs.clone() {
                    files.push(format!("{d}/x.go"));
                }
                if shared {
                    dirs.push("shared".into());
                    files.push("shared/lib.go".into());
                }
                let links = match link {
                    1 => vec![("proj/linked".into(), "internal".into())],
                    2 if shared => vec![("proj/linked".into(), "../shared".into())],
                    3 => vec![("proj/linked".into(), "..".into())],
                    _ => vec![],
                };
                let mut text = String::from(n1);
                for (k, v) in top {
                    if let Some(v) = v {
                        text.push_str(&format!("{k} = {v}\n"));
                    }
                }
                text.push_str("\n[build]\n");
                text.push_str(n2);
                for (k, v) in build {
                    if let Some(v) = v {
                        text.push_str(&format!("{k} = {v}\n"));
                    }
                }
                text.push_str(&os);
                let config_name = if config_at == 0 {
                    ".config/air.toml"
                } else {
                    ".air.toml"
                };
                Case {
                    name: String::new(),
                    dirs,
                    files,
                    links,
                    cwd: "proj".into(),
                    config_name: config_name.into(),
                    config: text,
                }
            },
        )
}

/// `count` generated cases, the same ones on every run.
pub fn generate(count: usize) -> Vec<Case> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let strategy = generated();
    (0..count)
        .map(|i| {
            let mut c = strategy.new_tree(&mut runner).unwrap().current();
            c.name = format!("generated-{i}");
            c
        })
        .collect()
}

fn shape(name: &str, cwd: &str, dirs: &[&str], files: &[&str], config: &str) -> Case {
    Case {
        name: name.into(),
        dirs: dirs.iter().map(|d| d.to_string()).collect(),
        files: files.iter().map(|f| f.to_string()).collect(),
        links: vec![],
        cwd: cwd.into(),
        config_name: ".air.toml".into(),
        config: config.into(),
    }
}

/// Project shapes seen in public repositories' `.air.toml` files and layouts.
pub fn real_shapes() -> Vec<Case> {
    let go = ["proj/go.mod"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        go.iter().copied().chain(extra.iter().copied()).collect()
    };
    vec![
        shape(
            "main-in-cmd",
            "proj",
            &["proj/cmd/api", "proj/internal/db", "proj/tmp"],
            &with(&["proj/cmd/api/main.go", "proj/internal/db/db.go"]),
            "root = \".\"\ntmp_dir = \"tmp\"\n[build]\ncmd = \"go build -o ./tmp/main ./cmd/api\"\nbin = \"tmp/main\"\ninclude_ext = [\"go\", \"tpl\", \"tmpl\", \"html\"]\nexclude_dir = [\"assets\", \"tmp\", \"vendor\", \"testdata\"]\n",
        ),
        shape(
            "main-in-subfolder-no-go-at-root",
            "proj",
            &["proj/app", "proj/web/node_modules/x"],
            &with(&["proj/app/main.go", "proj/web/index.html"]),
            "[build]\ncmd = \"go build -o ./tmp/main ./app\"\nbin = \"./tmp/main\"\nexclude_dir = [\"assets\", \"tmp\", \"vendor\", \"web/node_modules\"]\n",
        ),
        shape(
            "include-dir-with-include-file",
            "proj",
            &["proj/cmd/server", "proj/internal", "proj/docs"],
            &with(&["proj/cmd/server/main.go", "proj/config.yaml"]),
            "[build]\ncmd = \"go build -o ./tmp/main ./cmd/server\"\ninclude_dir = [\"cmd\", \"internal\"]\ninclude_file = [\"config.yaml\", \"go.mod\"]\n",
        ),
        shape(
            "tmp-dir-renamed",
            "proj",
            &["proj/build", "proj/tmp"],
            &with(&["proj/main.go"]),
            "tmp_dir = \"build\"\n",
        ),
        shape(
            "tmp-dir-renamed-with-own-cmd",
            "proj",
            &["proj/.build"],
            &with(&["proj/main.go"]),
            "tmp_dir = \".build\"\n[build]\ncmd = \"go build -o ./.build/app .\"\nbin = \"./tmp/main\"\n",
        ),
        shape(
            "bin-with-arguments",
            "proj",
            &["proj/tmp"],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"./tmp/main serve --port 8080\"\n",
        ),
        shape(
            "bin-with-args-bin",
            "proj",
            &["proj/tmp"],
            &with(&["proj/main.go"]),
            "[build]\nbin = \"./tmp/main\"\nargs_bin = [\"serve\", \"--port\", \"8080\"]\n",
        ),
        shape(
            "entrypoint-array-from-air-init",
            "proj",
            &["proj/tmp"],
            &with(&["proj/main.go"]),
            "[build]\nentrypoint = [\"./tmp/main\", \"serve\"]\nargs_bin = [\"-v\"]\n",
        ),
        shape(
            "cd-sub-build-and-mv",
            "proj",
            &["proj/sub", "proj/tmp"],
            &with(&["proj/sub/main.go"]),
            "[build]\ncmd = \"cd sub && go build -o x && mv x ../tmp/x\"\nbin = \"tmp/x\"\n",
        ),
        shape(
            "make-driven",
            "proj",
            &["proj/bin", "proj/cmd/app"],
            &with(&["proj/Makefile", "proj/cmd/app/main.go"]),
            "[build]\ncmd = \"make build\"\nbin = \"./bin/app\"\nexclude_dir = [\"bin\", \"tmp\", \"vendor\"]\n",
        ),
        shape(
            "task-driven-pre-cmd",
            "proj",
            &["proj/views"],
            &with(&["proj/main.go", "proj/views/a.templ"]),
            "[build]\nbin = \"./shadcn\"\npre_cmd = [\"task dev\"]\ncmd = \"\"\ninclude_ext = [\"go\", \"templ\", \"js\", \"tmpl\", \"html\", \"sql\"]\nexclude_regex = [\".*_templ.go\"]\ninclude_dir = []\n",
        ),
        shape(
            "script-driven",
            "proj",
            &["proj/scripts"],
            &with(&["proj/scripts/build.sh", "proj/main.go"]),
            "[build]\ncmd = \"./scripts/build.sh\"\nfull_bin = \"APP_ENV=dev APP_USER=air ./tmp/main\"\n",
        ),
        shape(
            "go-build-without-o",
            "proj",
            &[],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"go build .\"\n",
        ),
        shape(
            "go-run-as-cmd",
            "proj",
            &[],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"go run .\"\nbin = \"\"\n",
        ),
        shape(
            "windows-config",
            "proj",
            &["proj/tmp"],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"go build -o ./tmp/main.exe .\"\nbin = \"tmp\\\\main.exe\"\n",
        ),
        shape(
            "windows-cmd-c",
            "proj",
            &["proj/tmp"],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"cmd /c go build -o tmp\\\\main.exe .\"\nbin = \"tmp\\\\main.exe\"\nfull_bin = \"cmd /c tmp\\\\main.exe\"\n",
        ),
        shape(
            "build-windows-table",
            "proj",
            &["proj/tmp"],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"go build -o ./tmp/main .\"\nentrypoint = [\"./tmp/main\"]\n[build.windows]\ncmd = \"go build -o ./tmp/main.exe .\"\nentrypoint = [\"tmp\\\\main.exe\"]\n",
        ),
        shape(
            "build-linux-table",
            "proj",
            &["proj/tmp"],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"go build -o ./tmp/main.exe .\"\nbin = \"tmp\\\\main.exe\"\n[build.linux]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"./tmp/main\"\n",
        ),
        shape(
            "monorepo-root-up",
            "repo/services/api",
            &[
                "repo/services/api",
                "repo/services/web",
                "repo/pkg/shared",
                "repo/.git",
            ],
            &[
                "repo/go.work",
                "repo/services/api/go.mod",
                "repo/services/api/main.go",
                "repo/pkg/shared/x.go",
            ],
            "root = \"../../\"\ntmp_dir = \"services/api/tmp\"\n[build]\ncmd = \"cd services/api && go build -o ../../tmp/main .\"\nbin = \"./tmp/main\"\nexclude_dir = [\"services/web\"]\n",
        ),
        shape(
            "monorepo-root-parent",
            "mono/api",
            &["mono/api", "mono/lib", "mono/api/tmp"],
            &["mono/api/go.mod", "mono/api/main.go", "mono/lib/lib.go"],
            "root = \"../\"\n[build]\ncmd = \"go build -o ./tmp/main .\"\nbin = \"./tmp/main\"\ninclude_dir = [\"api\", \"lib\"]\n",
        ),
        shape(
            "include-dir-outside-root",
            "proj",
            &["proj/cmd", "shared"],
            &["proj/go.mod", "proj/cmd/main.go", "shared/lib.go"],
            "[build]\ncmd = \"go build -o ./tmp/main ./cmd\"\ninclude_dir = [\"cmd\", \"../shared\"]\n",
        ),
        shape(
            "dotted-include-ext-and-dot-slash-files",
            "proj",
            &[],
            &with(&["proj/main.go"]),
            "[build]\ninclude_ext = [\".go\", \".html\"]\ninclude_file = [\"./main.go\"]\nexclude_file = [\"./main_gen.go\"]\n",
        ),
        shape(
            "generator-output-watched",
            "proj",
            &["proj/web/static"],
            &with(&["proj/main.go", "proj/web/static/out.css"]),
            "[build]\npre_cmd = [\"npx tailwindcss -o web/static/out.css\"]\ninclude_ext = [\"go\", \"css\", \"html\"]\n",
        ),
        shape(
            "wildcard-ext-with-bin-in-root",
            "proj",
            &[],
            &with(&["proj/main.go"]),
            "[build]\ncmd = \"go build -o ./app .\"\nbin = \"./app\"\ninclude_ext = [\"*\"]\n",
        ),
        shape(
            "kill-delay-integer",
            "proj",
            &[],
            &with(&["proj/main.go"]),
            "[build]\nsend_interrupt = true\nkill_delay = 50\ndelay = 0\nstop_on_error = true\n",
        ),
    ]
}

/// Create the case's files under `base` (the case folder); the config goes to `cwd`.
pub fn materialize(case: &Case, base: &Path) {
    let cwd = base.join(&case.cwd);
    std::fs::create_dir_all(&cwd).unwrap();
    for d in &case.dirs {
        std::fs::create_dir_all(base.join(d)).unwrap();
    }
    for f in &case.files {
        let p = base.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "package main\n").unwrap();
    }
    for (link, target) in &case.links {
        std::os::unix::fs::symlink(target, base.join(link)).unwrap();
    }
    let config = cwd.join(&case.config_name);
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let text = case.config.replace("@P", &cwd.to_string_lossy());
    std::fs::write(config, text).unwrap();
}
