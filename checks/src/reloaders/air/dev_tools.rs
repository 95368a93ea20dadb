//! The dev tools Go projects install next to air in a dev image (`go install
//! github.com/go-delve/delve/cmd/dlv@latest`), and the Go line of their newest release: an
//! install of `@latest` on a Go older than that line stops the image build at that `RUN`, so
//! air (installed there or later, or started by the image) never runs.
//!
//! Snapshot taken 2026-12-07 from the module proxy (`go list -m -json MODULE@latest`, then
//! the `go` line of the go.mod `go mod download -json MODULE@VERSION` fetched):
//!
//! | tool | module | newest | go line |
//! |---|---|---|---|
//! | dlv | github.com/go-delve/delve | v1.27.2 | 1.25.0 |
//! | templ | github.com/a-h/templ | v0.3.1118 | 1.26.0 |
//! | swag | github.com/swaggo/swag | v1.16.6 | 1.18 |
//! | sqlc | github.com/sqlc-dev/sqlc | v1.31.1 | 1.26.0 |
//! | golangci-lint | github.com/golangci/golangci-lint/v2 | v2.15.0 | 1.26.0 |
//! | golangci-lint (v1) | github.com/golangci/golangci-lint | v1.64.8 | 1.23.0 |
//! | goose | github.com/pressly/goose/v3 | v3.30.2 | 1.26.0 |
//! | migrate | github.com/golang-migrate/migrate/v4 | v4.20.1 | 1.25.11 |
//! | mockgen | go.uber.org/mock | v0.6.0 | 1.23.0 |
//! | mockgen (old) | github.com/golang/mock | v1.6.0 | 1.11 |
//! | wire | github.com/google/wire | v0.7.0 | 1.19 |
//! | buf | github.com/bufbuild/buf | v1.75.0 | 1.26.7 |
//! | gopls | golang.org/x/tools/gopls | v0.24.0 | 1.27.0 |
//!
//! `@latest` only moves forward and a module's go line does not go down, so the newest
//! release at any later date needs at least the Go written here: an image Go older than it
//! surely cannot build `@latest`. From Go 1.21 on the go line is a hard minimum (the golang
//! images set GOTOOLCHAIN=local: "go.mod requires go >= ... (running go ...;
//! GOTOOLCHAIN=local)"); an older Go compiles the newer code and fails on what it lacks.

/// A dev tool's newest release at the snapshot ([module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevTool {
    /// The binary's name (`dlv`).
    pub name: &'static str,
    /// The module (`github.com/go-delve/delve`).
    pub module: &'static str,
    /// The package `go install` builds (`github.com/go-delve/delve/cmd/dlv`).
    pub package: &'static str,
    /// The newest release at the snapshot.
    pub version: &'static str,
    /// Its go.mod's `go` line, as written.
    pub go_line: &'static str,
}

const fn tool(
    name: &'static str,
    module: &'static str,
    package: &'static str,
    version: &'static str,
    go_line: &'static str,
) -> DevTool {
    DevTool {
        name,
        module,
        package,
        version,
        go_line,
    }
}

/// The day of the snapshot.
pub const SNAPSHOT_DATE: &str = "2026-12-07";

/// The snapshot (2026-12-07), see the [module docs](self).
pub const SNAPSHOT: &[DevTool] = &[
    tool(
        "dlv",
        "github.com/go-delve/delve",
        "github.com/go-delve/delve/cmd/dlv",
        "v1.27.2",
        "1.25.0",
    ),
    tool(
        "templ",
        "github.com/a-h/templ",
        "github.com/a-h/templ/cmd/templ",
        "v0.3.1118",
        "1.26.0",
    ),
    tool(
        "swag",
        "github.com/swaggo/swag",
        "github.com/swaggo/swag/cmd/swag",
        "v1.16.6",
        "1.18",
    ),
    tool(
        "sqlc",
        "github.com/sqlc-dev/sqlc",
        "github.com/sqlc-dev/sqlc/cmd/sqlc",
        "v1.31.1",
        "1.26.0",
    ),
    tool(
        "golangci-lint",
        "github.com/golangci/golangci-lint/v2",
        "github.com/golangci/golangci-lint/v2/cmd/golangci-lint",
        "v2.15.0",
        "1.26.0",
    ),
    tool(
        "golangci-lint",
        "github.com/golangci/golangci-lint",
        "github.com/golangci/golangci-lint/cmd/golangci-lint",
        "v1.64.8",
        "1.23.0",
    ),
    tool(
        "goose",
        "github.com/pressly/goose/v3",
        "github.com/pressly/goose/v3/cmd/goose",
        "v3.30.2",
        "1.26.0",
    ),
    tool(
        "migrate",
        "github.com/golang-migrate/migrate/v4",
        "github.com/golang-migrate/migrate/v4/cmd/migrate",
        "v4.20.1",
        "1.25.11",
    ),
    tool(
        "mockgen",
        "go.uber.org/mock",
        "go.uber.org/mock/mockgen",
        "v0.6.0",
        "1.23.0",
    ),
    tool(
        "mockgen",
        "github.com/golang/mock",
        "github.com/golang/mock/mockgen",
        "v1.6.0",
        "1.11",
    ),
    tool(
        "wire",
        "github.com/google/wire",
        "github.com/google/wire/cmd/wire",
        "v0.7.0",
        "1.19",
    ),
    tool(
        "buf",
        "github.com/bufbuild/buf",
        "github.com/bufbuild/buf/cmd/buf",
        "v1.75.0",
        "1.26.7",
    ),
    tool(
        "gopls",
        "golang.org/x/tools/gopls",
        "golang.org/x/tools/gopls",
        "v0.24.0",
        "1.27.0",
    ),
];

impl DevTool {
    /// The Go minor of its go line (`1.25.0` -> 25).
    pub fn go_minor(&self) -> u32 {
        crate::golang::version::go_minor(self.go_line).unwrap_or(0)
    }
}

/// The tool a `go install PACKAGE@latest` argument builds (the package as written, quotes
/// removed), None for another package or version.
pub fn latest_install(arg: &str) -> Option<&'static DevTool> {
    let arg = arg.trim_matches(['"', '\'']);
    let package = arg.strip_suffix("@latest")?;
    SNAPSHOT.iter().find(|t| t.package == package)
}

/// The tool an unversioned `go get PACKAGE` argument (or `@latest`, `@upgrade`) fetches: in
/// module mode (the default from Go 1.16) go get resolves a package without a version to its
/// module's newest release (checked with go1.26.8: `go get github.com/go-delve/delve/cmd/dlv`
/// in a module adds delve v1.27.2 and raises its go line to 1.25.0).
pub fn latest_get(arg: &str) -> Option<&'static DevTool> {
    let arg = arg.trim_matches(['"', '\'']);
    let package = ["@latest", "@upgrade"]
        .iter()
        .find_map(|s| arg.strip_suffix(s))
        .unwrap_or(arg);
    SNAPSHOT.iter().find(|t| t.package == package)
}

/// The first `go install TOOL@latest` (or unversioned `go get TOOL`, which takes the newest
/// release too: [`latest_get`]; Go 1.16 and 1.17 build it, Go 1.21 and later stop at its go
/// line in a module, and outside one `go get` stops from Go 1.18 on ("'go get' is no longer
/// supported outside a module")) of a command's words (go, `install`/`get`, then its
/// arguments) whose newest release Go 1.`go` cannot build: GOTOOLCHAIN=local from Go 1.21 on
/// (`switches`: go fetches a newer Go then), any Go before it. Go before 1.16 has no
/// `go install pkg@version` at all, and its `go get` works in GOPATH mode outside a module:
/// None then (another error, or not known). `GO111MODULE=off go get` (GOPATH mode) neither.
pub fn stopping_install(words: &[&str], go: u32, switches: bool) -> Option<&'static DevTool> {
    if go < 16 || (go >= 21 && switches) {
        return None;
    }
    let bare = |w: &str| w.trim_matches(['"', '\'']).to_string();
    let at = words.iter().position(|w| {
        let w = bare(w);
        w == "go" || w.ends_with("/go")
    })?;
    let read: fn(&str) -> Option<&'static DevTool> =
        match words.get(at + 1).map(|w| bare(w)).as_deref() {
            Some("install") => latest_install,
            // Go 1.18 to 1.20 in a module only write the go.mod (no build), where an old Go
            // may read the newer go line laxly: not known to stop.
            Some("get")
                if !(18..21).contains(&go)
                    && !words[..at].iter().any(|w| bare(w) == "GO111MODULE=off") =>
            {
                latest_get
            }
            _ => return None,
        };
    words[at + 2..]
        .iter()
        .filter_map(|w| read(w))
        .find(|t| t.go_minor() > go)
}

/// Whether the words fetch the tool with `go get` (not `go install`).
pub fn is_get(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| (w[0] == "go" || w[0].ends_with("/go")) && w[1].trim_matches(['"', '\'']) == "get")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        let dlv = latest_install("github.com/go-delve/delve/cmd/dlv@latest").unwrap();
        assert_eq!((dlv.name, dlv.go_minor()), ("dlv", 25));
        assert!(latest_install("github.com/go-delve/delve/cmd/dlv@v1.20.0").is_none());
        assert!(latest_install("github.com/go-delve/delve/cmd/dlv").is_none());
        let words = ["go", "install", "github.com/go-delve/delve/cmd/dlv@latest"];
        assert_eq!(stopping_install(&words, 20, false), Some(dlv));
        assert_eq!(stopping_install(&words, 22, false), Some(dlv));
        assert_eq!(stopping_install(&words, 22, true), None);
        assert_eq!(stopping_install(&words, 25, false), None);
        let swag = ["go", "install", "github.com/swaggo/swag/cmd/swag@latest"];
        assert_eq!(stopping_install(&swag, 18, false), None);
        assert!(stopping_install(&swag, 17, false).is_some());
        // An unversioned `go get` takes the newest release as well (module mode, Go 1.16+).
        let get = ["go", "get", "github.com/go-delve/delve/cmd/dlv"];
        assert_eq!(stopping_install(&get, 16, false), Some(dlv));
        assert_eq!(stopping_install(&get, 15, false), None);
        let get_u = [
            "go",
            "get",
            "-u",
            "github.com/go-delve/delve/cmd/dlv@latest",
        ];
        assert_eq!(stopping_install(&get_u, 17, false), Some(dlv));
        assert_eq!(stopping_install(&get_u, 22, false), Some(dlv));
        assert_eq!(stopping_install(&get_u, 20, false), None);
        let gopath = [
            "GO111MODULE=off",
            "go",
            "get",
            "github.com/go-delve/delve/cmd/dlv",
        ];
        assert_eq!(stopping_install(&gopath, 16, false), None);
        let pinned = ["go", "get", "github.com/go-delve/delve/cmd/dlv@v1.7.0"];
        assert_eq!(stopping_install(&pinned, 16, false), None);
        // Unversioned `go install` in a module builds the go.mod's version, not the newest.
        let install = ["go", "install", "github.com/go-delve/delve/cmd/dlv"];
        assert_eq!(stopping_install(&install, 16, false), None);
        assert!(is_get("go get github.com/go-delve/delve/cmd/dlv") && !is_get(&words.join(" ")));
        // Every entry has a package under its module and a go line that parses.
        for t in SNAPSHOT {
            assert!(t.package.starts_with(t.module), "{t:?}");
            assert!(t.go_minor() >= 11, "{t:?}");
        }
    }

    /// The snapshot against the real module proxy: the newest release's go line now is at
    /// least the snapshot's (it only moves forward). Skipped when go or the network is not
    /// there.
    #[test]
    fn snapshot_against_proxy() {
        use crate::golang::version::go_minor as module_go;
        let run = |args: &[&str]| -> Option<serde_json::Value> {
            let out = std::process::Command::new("go")
                .args(args)
                .env("GOFLAGS", "-mod=mod")
                .current_dir(std::env::temp_dir())
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| serde_json::from_slice(&out.stdout).ok())
                .flatten()
        };
        for t in SNAPSHOT {
            let latest = format!("{}@latest", t.module);
            let Some(info) = run(&["list", "-m", "-json", &latest]) else {
                eprintln!("skipped: no proxy answer for {latest}");
                return;
            };
            let version = info["Version"].as_str().unwrap().to_string();
            let at = format!("{}@{version}", t.module);
            let Some(dl) = run(&["mod", "download", "-json", &at]) else {
                eprintln!("skipped: no download of {at}");
                return;
            };
            let gomod = std::fs::read_to_string(dl["GoMod"].as_str().unwrap()).unwrap();
            let line = gomod
                .lines()
                .find_map(|l| l.strip_prefix("go "))
                .unwrap_or("1.0")
                .trim();
            let now = module_go(line).unwrap();
            // The real go on this machine, GOTOOLCHAIN=local, where it is older than the go
            // line: go stops with the error the warning quotes.
            let local = std::process::Command::new("go")
                .args(["env", "GOVERSION"])
                .output()
                .ok()
                .and_then(|o| {
                    module_go(
                        String::from_utf8_lossy(&o.stdout)
                            .trim()
                            .trim_start_matches("go"),
                    )
                });
            if local.is_some_and(|l| l < t.go_minor()) {
                let bin = tempfile::tempdir().unwrap();
                let o = std::process::Command::new("go")
                    .args(["install", &format!("{}@latest", t.package)])
                    .env("GOTOOLCHAIN", "local")
                    .env("GOBIN", bin.path())
                    .current_dir(std::env::temp_dir())
                    .output()
                    .unwrap();
                let stderr = String::from_utf8_lossy(&o.stderr);
                assert!(!o.status.success(), "{}", t.package);
                assert!(
                    stderr.contains(&format!("{}@latest: {}@", t.package, t.module))
                        && stderr.contains("requires go >=")
                        && stderr.contains("GOTOOLCHAIN=local"),
                    "{stderr}"
                );
            }
            assert!(
                now >= t.go_minor(),
                "{}: {version} says go {line}, the snapshot {} says {}",
                t.module,
                t.version,
                t.go_line
            );
        }
    }
}
