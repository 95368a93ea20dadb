//! `toolchain`: Go and the reloader are installed, on PATH, and new enough for go.mod.

use super::check::Check;
use crate::context::Context;
use crate::golang::version::parse_version;
use crate::model::{Finding, Fix, Outcome};
use crate::project::Reloader;
use serde_json::json;
use std::path::Path;

pub static CHECK: Check = Check {
    id: "toolchain",
    purpose:
        "go and the reloader on PATH; go.mod's Go version against the installed one; gcc for cgo",
    explain: "\
Looks at: `go` on PATH and its version; the `go` and `toolchain` lines of go.mod against it and
GOTOOLCHAIN; the detected reloader's binary (air, fresh, gin) on PATH, or only in
$(go env GOPATH)/bin or GOBIN; `gcc` (or $CC) when the module has cgo files.

Why it breaks hot reload: when go.mod asks for a newer Go, every build either downloads a
toolchain first (slow, fails offline) or, with GOTOOLCHAIN=local, fails outright. `go install`
puts air into $(go env GOPATH)/bin, which is often not on PATH, so `air` is 'command not found'.
A cgo package without a C compiler fails every build.

Fix by hand: install the Go version go.mod names, or lower the `go` line; put the Go bin folder
on PATH (export PATH=\"$PATH:$(go env GOPATH)/bin\" in your shell profile); install gcc.",
    problems: &[],
    run,
};

/// What `go env` reports; read once from a neutral folder so go.mod cannot make it download.
struct GoEnv {
    version: String,
    gopath: String,
    gobin: String,
    gotoolchain: String,
    cc: String,
}

fn go_env(go: &Path) -> Result<GoEnv, String> {
    let text = crate::golang::sandbox::go_env(
        go,
        &["GOVERSION", "GOPATH", "GOBIN", "GOTOOLCHAIN", "CC"],
        &[],
    )
    .map_err(|e| format!("cannot run {} env: {e}", go.display()))?;
    let mut lines = text.lines().map(str::to_string);
    let mut next = || lines.next().unwrap_or_default();
    Ok(GoEnv {
        version: next(),
        gopath: next(),
        gobin: next(),
        gotoolchain: next(),
        cc: next(),
    })
}

fn run(ctx: &Context) -> Outcome {
    let Ok(go) = which::which("go") else {
        return Outcome::ran(
            "go not found on PATH",
            vec![Finding::fail("go is not on PATH: nothing can build; install Go from go.dev/dl and add its bin folder to PATH")],
        );
    };
    let env = match go_env(&go) {
        Ok(e) => e,
        Err(e) => return Outcome::Errored(e),
    };
    let mut findings = vec![];
    let installed = parse_version(&env.version);
    let mut summary = env.version.clone();

    match &ctx.project.go_mod {
        None => findings.push(Finding::info(format!(
            "no go.mod at or above {}: not a Go module; run `go mod init` there",
            ctx.project.root.display()
        ))),
        Some(m) => {
            // A go.mod over the size cap was not read (the project holds its defaults).
            let go_mod = ctx.project.root.join("go.mod");
            if m.go.is_none() {
                if let Err(e) = crate::system::files::read(&go_mod) {
                    findings.push(Finding::warn(format!(
                        "cannot read go.mod ({e}): its go and toolchain lines were not checked"
                    )));
                }
            }
            for (what, wanted) in [
                ("go", m.go.as_deref()),
                ("toolchain", m.toolchain.as_deref()),
            ] {
                let Some(wanted) = wanted else { continue };
                let (Some(want), Some(have)) = (parse_version(wanted), installed) else {
                    continue;
                };
                if want <= have {
                    continue;
                }
                let evidence = json!({"go_mod": what, "wanted": wanted, "installed": env.version, "GOTOOLCHAIN": env.gotoolchain});
                let local = env.gotoolchain == "local";
                let f = if local {
                    Finding::fail(format!(
                        "go.mod `{what} {wanted}` is newer than {} and GOTOOLCHAIN=local: every build fails",
                        env.version
                    ))
                } else {
                    Finding::warn(format!(
                        "go.mod `{what} {wanted}` is newer than {}: Go downloads that toolchain before the first build (slow, fails offline)",
                        env.version
                    ))
                };
                findings.push(f.with_evidence(evidence).with_fix(manual(format!(
                    "install Go {} or lower the `{what}` line of go.mod to {}",
                    wanted.trim_start_matches("go"),
                    env.version.trim_start_matches("go")
                ))));
            }
        }
    }

    if let Some(bin) = ctx.project.reloader.binary() {
        match which::which(bin) {
            Ok(path) => summary.push_str(&format!(", {bin} at {}", path.display())),
            Err(_) => {
                summary.push_str(&format!(", {bin} not on PATH"));
                findings.push(reloader_missing(ctx.project.reloader, bin, &env));
            }
        }
    }

    // Only when the C compiler is missing does cgo matter, so the file scan runs only then.
    let cc = if env.cc.is_empty() {
        "gcc".to_string()
    } else {
        env.cc.clone()
    };
    let compiler = cc.split_whitespace().next().unwrap_or("gcc").to_string();
    if which::which(&compiler).is_err() {
        if let Some(file) = cgo_file(ctx) {
            findings.push(
                Finding::fail(format!(
                    "{file} uses cgo but the C compiler `{compiler}` is not on PATH: every build fails"
                ))
                .with_evidence(json!({"cgo_file": file, "cc": cc}))
                .with_fix(manual(format!(
                    "install {compiler} (Debian/Ubuntu: sudo apt-get install build-essential), or build with CGO_ENABLED=0 if the package allows it"
                ))),
            );
        }
    }
    Outcome::ran(summary, findings)
}

fn reloader_missing(reloader: Reloader, bin: &str, env: &GoEnv) -> Finding {
    let dirs = crate::golang::install_dirs(&env.gobin, &env.gopath);
    if let Some(dir) = dirs.iter().find(|d| d.join(bin).is_file()) {
        return Finding::fail(format!(
            "{bin} is installed in {} but that folder is not on PATH",
            dir.display()
        ))
        .with_evidence(json!({"reloader": bin, "found_in": dir.to_string_lossy()}))
        .with_fix(manual(format!(
            "export PATH=\"$PATH:{}\" (add it to your shell profile)",
            dir.display()
        )));
    }
    let install = match reloader {
        Reloader::Air => "go install github.com/air-verse/air@latest",
        Reloader::Fresh => "go install github.com/pilu/fresh@latest",
        _ => "go install github.com/codegangsta/gin@latest",
    };
    Finding::warn(format!(
        "{bin} is not installed: install it with `{install}`, or use `reload-doctor run`, which reads the same config"
    ))
    .with_evidence(json!({"reloader": bin, "searched": dirs.iter().map(|d| d.to_string_lossy()).collect::<Vec<_>>()}))
    .with_fix(manual(install.to_string()))
}

fn manual(step: String) -> Fix {
    Fix::manual(vec![step])
}

/// The first watched `.go` file that imports "C", by reading only each file's head.
fn cgo_file(ctx: &Context) -> Option<String> {
    const MAX_FILES: usize = 5_000;
    let root = ctx.project.watch_root();
    let mut scanned = 0;
    for dir in ctx.watch_tree().dirs.iter().filter(|d| d.source_files > 0) {
        let path = root.join(&dir.rel);
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if !name.ends_with(".go") || name.ends_with("_test.go") {
                continue;
            }
            scanned += 1;
            if scanned > MAX_FILES {
                return None;
            }
            if imports_c(&e.path()) {
                return Some(ctx.project.display_path(&e.path()));
            }
        }
    }
    None
}

fn imports_c(path: &Path) -> bool {
    use std::io::Read;
    let mut head = vec![0u8; 8192];
    let Ok(n) = crate::system::files::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let head = String::from_utf8_lossy(&head[..n]);
    head.lines().any(|l| {
        let l = l.trim();
        l == "import \"C\"" || l == "\"C\""
    })
}
