//! What Go itself does with a project: how `go build` is invoked ([`build_plan`]), what it
//! prints when it fails ([`build_output`]), which packages a build compiles ([`deps`]), what
//! go.mod and go.work say ([`modfile`]) and how Go versions compare ([`version`]), how a
//! report runs go on an untrusted tree ([`sandbox`]) and what of -gcflags/-ldflags it passes
//! ([`tool_flags`]), and reading Go source ([`lexer`], [`go_file`], [`signals`]); where a build
//! spends its time ([`build_trace`], [`tool_watch`]).

pub mod build_output;
pub mod build_plan;
pub mod build_tags;
pub mod build_trace;
pub mod deps;
pub mod duration;
pub mod go_file;
pub mod lexer;
pub mod missing_code;
pub mod modfile;
pub mod sandbox;
pub mod signals;
pub mod source;
pub mod tool_flags;
pub mod tool_watch;
pub mod version;

/// Where `go install` puts programs, given GOBIN and GOPATH (a list; empty: Go's default
/// `$HOME/go`): GOBIN first, then each GOPATH's `bin`.
pub fn install_dirs(gobin: &str, gopath: &str) -> Vec<std::path::PathBuf> {
    use std::path::PathBuf;
    let mut dirs: Vec<PathBuf> = Some(gobin)
        .filter(|g| !g.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    let default = std::env::var("HOME")
        .map(|h| format!("{h}/go"))
        .unwrap_or_default();
    let gopath = if gopath.is_empty() {
        default.as_str()
    } else {
        gopath
    };
    dirs.extend(
        gopath
            .split(':')
            .filter(|p| !p.is_empty())
            .map(|p| PathBuf::from(p).join("bin")),
    );
    dirs
}
