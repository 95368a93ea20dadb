//! signals: the main package's SIGINT/SIGTERM handling against what the reloader sends.

mod common;

use common::*;
use std::path::Path;

/// The 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {}", file.display()))
        + 1
}

#[test]
fn signals_without_handling_name_the_listen_line() {
    let dir = fixture("no-signals");
    let r = only(&dir, "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "info", "{c}");
    let line = line_of(&dir.join("main.go"), "log.Fatal(http.ListenAndServe(");
    assert_eq!(line, 21);
    assert!(
        messages(c)[0].contains(&format!("ListenAndServe at main.go:{line}")),
        "{c}"
    );
    // air sends SIGKILL here (no send_interrupt), so handling signals alone would not help.
    let steps = c["findings"][0]["fix"]["action"]["steps"].to_string();
    assert!(steps.contains("send_interrupt = true"), "{steps}");
}

#[test]
fn signals_pass_on_gin_healthy() {
    let r = only(&fixture("gin-healthy"), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "pass", "{c}");
    assert_eq!(c["evidence"]["sigint"], true);
    assert_eq!(c["evidence"]["sigterm"], true);
}

#[test]
fn signals_warn_when_air_sends_sigkill_naming_the_shutdown_line() {
    let project = copy_fixture("gin-healthy");
    let conf = project.path().join(".air.toml");
    let text = std::fs::read_to_string(&conf).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.contains("send_interrupt"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, text);
    std::fs::write(&conf, without).unwrap();
    let r = only(project.path(), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "warn", "{c}");
    let line = line_of(&project.path().join("main.go"), "srv.Shutdown(");
    let m = &messages(c)[0];
    assert!(
        m.contains(&format!("shutdown at main.go:{line} never runs")),
        "{m}"
    );
    // The app handles SIGINT: the keys are the whole fix, and --fix makes it.
    let fix = &c["findings"][0]["fix"];
    assert_eq!(fix["applicability"], "safe", "{fix:#}");
    assert_eq!(fix["action"]["kind"], "write-file", "{fix:#}");
    assert_eq!(
        fix["summary"], "set send_interrupt = true in [build] of .air.toml",
        "kill_delay = \"2s\" is there already: {fix:#}"
    );
}

/// `--fix` rewrites `.air.toml` for the signals findings (send_interrupt off; kill_delay 0,
/// which reloader-config names too) in one rewrite with reloader-config's fixes: the user's
/// comments and order kept, and a second `--fix` does nothing.
#[test]
fn fix_makes_air_send_sigint_with_a_delay_keeping_the_file() {
    let fix = |project: &Path| {
        run(&[
            "--fix",
            "--only",
            "signals,reloader-config",
            "--project",
            project.to_str().unwrap(),
        ])
    };
    let cases = [
        (
            // send_interrupt off (and no kill_delay): both keys, appended in [build], in the
            // one rewrite that also comments out reloader-config's `delay = 0`.
            "# mine\nroot = \".\"\n\n[build]\n  # the build\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\" # runs\n  delay = 0\n  stop_on_error = true\n\n[proxy]\n  enabled = false\n",
            "# mine\nroot = \".\"\n\n[build]\n  # the build\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\" # runs\n  # delay = 0\n  stop_on_error = true\n  send_interrupt = true\n  kill_delay = \"2s\"\n\n[proxy]\n  enabled = false\n",
        ),
        (
            // send_interrupt = true, kill_delay = 0: the value replaced in place, its comment
            // kept; signals and reloader-config both name it and it is written once.
            "[build]\n  send_interrupt = true\n  kill_delay = 0 # ms\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
            "[build]\n  send_interrupt = true\n  kill_delay = \"2s\" # ms\n  cmd = \"go build -o ./tmp/main .\"\n  bin = \"./tmp/main\"\n  stop_on_error = true\n",
        ),
    ];
    for (before, after) in cases {
        let project = copy_fixture("gin-healthy");
        let conf = project.path().join(".air.toml");
        std::fs::write(&conf, before).unwrap();
        let c = check(&only(project.path(), "signals", &[]), "signals").clone();
        assert_eq!(c["status"], "warn", "{c:#}");

        let o = fix(project.path());
        let out = stdout(&o);
        assert_eq!(code(&o), 0, "{out}");
        assert!(
            !out.contains("(by hand)") && !out.contains("by hand:"),
            "{out}"
        );
        assert_eq!(out.matches("will rewrite").count(), 1, "{out}");
        assert_eq!(std::fs::read_to_string(&conf).unwrap(), after, "{out}");
        let c = check(&only(project.path(), "signals", &[]), "signals").clone();
        assert_eq!(c["status"], "pass", "{c:#}");

        let o = fix(project.path());
        assert!(stdout(&o).contains("\nnothing to fix\n"), "{}", stdout(&o));
        assert_eq!(std::fs::read_to_string(&conf).unwrap(), after);
    }
}

#[test]
fn signals_judge_airs_kill_delay() {
    // kill_delay = 0: SIGKILL follows SIGINT at once.
    let r = only(&fixture("air-zero-values"), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "warn", "{c}");
    assert!(messages(c)[0].starts_with("kill_delay is 0: air sends SIGKILL right after SIGINT"));
    // Longer than the 5 s air waits before starting the new app.
    let project = copy_fixture("gin-healthy");
    let conf = project.path().join(".air.toml");
    let text = std::fs::read_to_string(&conf).unwrap();
    std::fs::write(
        &conf,
        text.replace("kill_delay = \"2s\"", "kill_delay = \"10s\""),
    )
    .unwrap();
    let r = only(project.path(), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "info", "{c}");
    assert!(
        messages(c)[0].starts_with("kill_delay is 10 s, but air starts the new app after 5 s"),
        "{c}"
    );
}

#[test]
fn signals_warn_when_the_app_ignores_airs_sigint() {
    let project = copy_fixture("gin-healthy");
    let main = project.path().join("main.go");
    let text = std::fs::read_to_string(&main).unwrap();
    let term_only = text.replace("os.Interrupt, syscall.SIGTERM", "syscall.SIGTERM");
    assert_ne!(term_only, text);
    std::fs::write(&main, term_only).unwrap();
    let r = only(project.path(), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "warn", "{c}");
    let notify = line_of(&main, "signal.NotifyContext(");
    assert!(
        messages(c)[0].contains(&format!("only listens for SIGTERM (main.go:{notify})")),
        "{c}"
    );
}

#[test]
fn signals_under_fresh_and_without_config() {
    let r = only(&fixture("fresh-runner"), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "warn", "{c}");
    assert!(messages(c)[0].contains("fresh always stops the app with SIGKILL"));
    // No reloader config: a note for air's defaults, never a failure or warning.
    let r = only(&fixture("stdlib-healthy"), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "info", "{c}");
    assert!(messages(c)[0].contains("reload-doctor run"), "{c}");
}

#[test]
fn an_app_that_ignores_sigint_waits_for_the_kill_delay() {
    let project = copy_fixture("gin-healthy");
    std::fs::write(
        project.path().join("main.go"),
        "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"os/signal\"\n)\n\nfunc main() {\n\tsignal.Ignore(os.Interrupt)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
    )
    .unwrap();
    let r = only(project.path(), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "info", "{c}");
    assert_eq!(
        messages(c)[0],
        "the app ignores SIGINT (main.go:10): air kills it only after 2 s, so every restart waits that long"
    );
}

#[test]
fn signal_handling_in_a_package_of_the_project_counts() {
    // main calls server.Run(); the server package waits for the signals and shuts down.
    let project = copy_fixture("stdlib-healthy");
    let p = project.path();
    std::fs::create_dir_all(p.join("internal/server")).unwrap();
    std::fs::write(
        p.join("main.go"),
        "package main\n\nimport \"example.com/fixtures/stdlib-healthy/internal/server\"\n\nfunc main() { server.Run() }\n",
    )
    .unwrap();
    std::fs::write(
        p.join("internal/server/server.go"),
        "package server\n\nimport (\n\t\"context\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/signal\"\n)\n\nfunc Run() {\n\tsrv := &http.Server{Addr: \":8080\"}\n\tctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)\n\tdefer stop()\n\tgo srv.ListenAndServe()\n\t<-ctx.Done()\n\tsrv.Shutdown(context.Background())\n}\n",
    )
    .unwrap();
    // Another binary's main package does not count for this one.
    std::fs::create_dir_all(p.join("cmd/tool")).unwrap();
    std::fs::write(
        p.join("cmd/tool/main.go"),
        "package main\n\nimport \"os/signal\"\n\nfunc main() { signal.Ignore() }\n",
    )
    .unwrap();
    std::fs::write(
        p.join(".air.toml"),
        "[build]\nsend_interrupt = true\nkill_delay = \"1s\"\n",
    )
    .unwrap();
    let r = only(p, "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "pass", "{c}");
    assert_eq!(
        c["summary"],
        "SIGINT handled (internal/server/server.go:16); air sends SIGINT, then SIGKILL after 1 s"
    );
}

#[test]
fn a_go_file_that_does_not_tokenize_is_named_not_fatal() {
    let project = copy_fixture("no-signals");
    std::fs::write(
        project.path().join("broken.go"),
        "package main\n\nvar s = \"never closed\n",
    )
    .unwrap();
    std::fs::write(
        project.path().join("latin1.go"),
        b"package main\n// caf\xe9\n",
    )
    .unwrap();
    let r = only(project.path(), "signals", &[]);
    let c = check(&r, "signals");
    assert_eq!(c["status"], "info", "{c}");
    let m = messages(c);
    assert!(
        m[0].contains("broken.go:3:9: string literal not terminated")
            && m[0].contains("latin1.go (not UTF-8)"),
        "{m:?}"
    );
    // main.go is still read.
    assert!(m[1].contains("ListenAndServe at main.go:21"), "{m:?}");
}

#[test]
fn signals_cite_the_server_on_the_app_port_not_a_pprof_server_beside_it() {
    let dir = fixture("pprof-side-server");
    let r = only(&dir, "signals", &[]);
    let c = check(&r, "signals");
    let main = dir.join("main.go");
    let app = line_of(&main, "log.Fatal(srv.ListenAndServe())");
    let pprof = line_of(&main, "http.ListenAndServe(\"localhost:6060\"");
    assert!(pprof < app);
    assert!(
        messages(c)[0].contains(&format!("ListenAndServe at main.go:{app})")),
        "{c}"
    );
    assert_eq!(c["evidence"]["listen"], format!("main.go:{app}"), "{c}");
}

/// fixtures/endless-server: main calls no signal.Notify, endless.ListenAndServe installs the
/// SIGINT/SIGTERM handler (endless stands in through a `replace` to a folder air does not
/// watch, as the module cache is). The report says it is handled; run's SIGTERM does stop
/// the app gracefully (it logs after ListenAndServe returns); verify proves the reload.
#[test]
fn a_server_started_by_endless_handles_the_stop_signals() {
    let dir = copy_fixture("endless-server");
    let r = only(dir.path(), "signals,compile", &[]);
    assert_eq!(check(&r, "compile")["status"], "pass", "{r:#}");
    let c = check(&r, "signals");
    assert_eq!(c["status"], "pass", "{c}");
    let line = line_of(&dir.path().join("main.go"), "endless.ListenAndServe(");
    assert!(
        c["summary"].as_str().unwrap().starts_with(&format!(
            "SIGINT and SIGTERM handled (endless, main.go:{line})"
        )),
        "{c}"
    );
    // Without send_interrupt, air's SIGKILL skips endless's shutdown: said, with endless named.
    let air = dir.path().join(".air.toml");
    let text = std::fs::read_to_string(&air).unwrap();
    std::fs::write(
        &air,
        text.replace("send_interrupt = true", "send_interrupt = false"),
    )
    .unwrap();
    let c = only(dir.path(), "signals", &[]);
    let message = &messages(check(&c, "signals"))[0];
    assert!(
        message.contains(&format!(
            "endless's graceful shutdown (main.go:{line}) never runs"
        )),
        "{message}"
    );
    std::fs::write(&air, text).unwrap();

    let mut runner = common::runner::Runner::start(dir.path(), &["--no-checks"]);
    runner.wait_for("serving", common::runner::BUILD_WAIT);
    assert_eq!(runner.get().trim(), "endless");
    // Stopped in order by SIGTERM: 128 + 15, as after any signal.
    assert_eq!(runner.terminate().code(), Some(143));
    let out = runner.stderr.lock().unwrap().clone();
    assert!(out.contains("stopped"), "{out}");

    let o = std::process::Command::new(bin())
        .args(["verify", "--json", "--with", "ours", "--port"])
        .arg(free_port().to_string())
        .arg("--project")
        .arg(dir.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schema::assert_valid("verify.schema.json", &v);
    assert_eq!(v["ok"], true, "{v:#}");
}

/// Signal handling in a helper one package deep, outside the project (a module of the same
/// repository through go.mod's `replace ../shared`): main passes nothing to signal.Notify
/// itself but waits on the context the helper's signal.NotifyContext makes.
#[test]
fn signal_handling_in_an_imported_helper_outside_the_project_counts() {
    let repo = tempfile::tempdir().unwrap();
    let (app, shared) = (repo.path().join("app"), repo.path().join("shared"));
    std::fs::create_dir_all(shared.join("shutdown")).unwrap();
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        shared.join("go.mod"),
        "module example.com/shared\n\ngo 1.22\n",
    )
    .unwrap();
    let helper = "package shutdown\n\nimport (\n\t\"context\"\n\t\"os\"\n\t\"os/signal\"\n\t\"syscall\"\n)\n\n// Context is done on SIGINT or SIGTERM.\nfunc Context() (context.Context, context.CancelFunc) {\n\treturn signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)\n}\n";
    std::fs::write(shared.join("shutdown/shutdown.go"), helper).unwrap();
    std::fs::write(
        app.join("go.mod"),
        "module example.com/app\n\ngo 1.22\n\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../shared\n",
    )
    .unwrap();
    let main = "package main\n\nimport (\n\t\"context\"\n\t\"net/http\"\n\n\t\"example.com/shared/shutdown\"\n)\n\nfunc main() {\n\tctx, stop := shutdown.Context()\n\tdefer stop()\n\tsrv := &http.Server{Addr: \":8080\"}\n\tgo srv.ListenAndServe()\n\t<-ctx.Done()\n\tsrv.Shutdown(context.Background())\n}\n";
    std::fs::write(app.join("main.go"), main).unwrap();
    std::fs::write(
        app.join(".air.toml"),
        "[build]\n  send_interrupt = true\n  kill_delay = \"2s\"\n",
    )
    .unwrap();
    let r = only(&app, "signals,compile", &[]);
    assert_eq!(check(&r, "compile")["status"], "pass", "{r:#}");
    let c = check(&r, "signals");
    assert_eq!(c["status"], "pass", "{c}");
    assert_eq!(
        c["evidence"]["notify"],
        serde_json::json!(["example.com/shared/shutdown/shutdown.go:12"]),
        "{c}"
    );
    assert_eq!(
        c["evidence"]["shutdown"],
        serde_json::json!(["main.go:16"]),
        "{c}"
    );
}
