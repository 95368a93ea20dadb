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
    let steps = c["findings"][0]["fix"]["action"]["steps"].to_string();
    assert!(
        steps.contains("send_interrupt = true") && steps.contains("kill_delay = \\\"2s\\\""),
        "{steps}"
    );
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
