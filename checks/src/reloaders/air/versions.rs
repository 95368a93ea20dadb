//! Which air runs in a launch context, read from what the repository says (never run): an
//! image tag (`cosmtrek/air:v1.40.4`), an install line (`go install
//! github.com/air-verse/air@v1.61.7`, `go get -u github.com/cosmtrek/air`, `install.sh ...
//! v1.52.3`) and the Go of the image that builds it; and the air behaviours that depend on it,
//! each with the releases it holds for (from air's git history; [`super::keys`] has each key's
//! first release).
//!
//! An unversioned install gets the newest air that Go builds: air's go.mod `go` line is a hard
//! minimum since Go 1.21, and the official golang images set GOTOOLCHAIN=local, so a newer
//! air would not build there (from Go 1.21 on, `@latest` then stops the install:
//! [`Toolchain::stuck`]). Air moved from github.com/cosmtrek/air to
//! github.com/air-verse/air at v1.52.2, so the old module path is air v1.52.1 or older.

use crate::shell;
use crate::shell::run_commands;
use std::fmt;

/// `(1, 61, 7)` for v1.61.7.
pub type Version = (u32, u32, u32);

/// The newest air release reload-doctor models (`keys`, `config`).
pub const CURRENT: Version = (1, 67, 4);

/// The last release on github.com/cosmtrek/air (v1.52.2's go.mod says air-verse).
pub const LAST_COSMTREK: Version = (1, 52, 1);

/// What go prints for an install of the old path at a release whose go.mod declares the new
/// one (`go install github.com/cosmtrek/air@latest`, go1.26.8, the proxy's v1.52.3 .mod).
pub const RENAMED_ERROR: &str = "version constraints conflict: github.com/cosmtrek/air@v1.52.3: parsing go.mod: module declares its path as: github.com/air-verse/air but was required as: github.com/cosmtrek/air";

/// What go prints for `go get github.com/cosmtrek/air` (no version, with or without `-u`) in
/// a module: `@upgrade` is the latest release (go1.26.8, offline from a proxy holding v1.52.3).
pub const RENAMED_GET_ERROR: &str = "github.com/cosmtrek/air@upgrade (v1.52.3) requires github.com/cosmtrek/air@v1.52.3: parsing go.mod: module declares its path as: github.com/air-verse/air but was required as: github.com/cosmtrek/air";

/// go's error for an old-path install `command` ([`renamed`]), and when go stops with it:
/// a versionless `go get` only in module mode, the rest on every Go.
pub fn renamed_error(command: &str) -> (&'static str, &'static str) {
    let words: Vec<&str> = command.split_whitespace().collect();
    match module_target(&words, "get") {
        Some((true, None)) => (RENAMED_GET_ERROR, "in module mode (Go 1.16 and later)"),
        _ => (RENAMED_ERROR, "with every Go"),
    }
}

/// The newest air each Go minor builds: the last release whose go.mod `go` line is at most
/// that Go (from the go.mod at each tag of github.com/air-verse/air).
const NEWEST_FOR_GO: &[(u32, Version)] = &[
    (13, (1, 12, 4)),
    (15, (1, 15, 1)),
    (16, (1, 27, 8)),
    (17, (1, 40, 4)),
    (19, (1, 41, 0)),
    (20, (1, 44, 0)),
    (21, (1, 49, 0)),
    (22, (1, 52, 3)),
    (23, (1, 61, 7)),
    (24, (1, 62, 0)),
    (25, (1, 67, 1)),
    (26, CURRENT),
];

/// Whether an image of Go 1.`image` (GOTOOLCHAIN=local unless `switches`) cannot build a
/// module whose go line is `module` (as written): Go 1.21 and later stop at a newer go line
/// ("go: go.mod requires go >= 1.99.0 (running go 1.26.8; GOTOOLCHAIN=local)", go1.26.8 on a
/// go.mod saying `go 1.99.0`). Go 1.16 to 1.20 (no GOTOOLCHAIN) stop at a three-part go line
/// (`go 1.23.0`, the form Go 1.21 brought): their go.mod parser takes only `1.N` ("invalid go
/// version '1.23.0': must match format 1.23", [`three_part_go_line`]); a newer two-part line
/// they only warn about, when a build fails.
pub fn too_old_for_module(image: u32, switches: bool, module: Option<&str>) -> bool {
    let Some(line) = module else {
        return false;
    };
    let newer = crate::golang::version::go_minor(line).is_some_and(|m| m > image);
    match image >= 21 {
        true => newer && !switches,
        false => newer && (16..21).contains(&image) && is_three_part(line),
    }
}

/// Whether a go line is written `1.N.P` (or `1.Nrc1`...: anything but `1.N`), which Go 1.20
/// and older do not parse.
pub fn is_three_part(line: &str) -> bool {
    let mut parts = line.trim().split('.');
    let two = parts
        .next()
        .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none();
    !two
}

/// The Go an air pin for an image of Go 1.`image` is for: the module's own Go (its go line
/// `module`) when the image cannot build the module anyway ([`too_old_for_module`]), so the
/// pin goes with the newer image it needs; else the image's.
pub fn pin_go(image: u32, module: Option<&str>) -> u32 {
    match module.and_then(crate::golang::version::go_minor) {
        Some(m) if too_old_for_module(image, false, module) => m,
        _ => image,
    }
}

/// The `go install` argument of an air release: the module path it has (`@latest` for the
/// current one).
pub fn install_target(v: Version) -> String {
    match v {
        CURRENT => "github.com/air-verse/air@latest".into(),
        v if v <= LAST_COSMTREK => format!("github.com/cosmtrek/air@{}", show(v)),
        v => format!("github.com/air-verse/air@{}", show(v)),
    }
}

/// The newest air Go 1.`minor` builds; None below Go 1.13 (no module-aware install).
pub fn newest_for_go(minor: u32) -> Option<Version> {
    NEWEST_FOR_GO
        .iter()
        .rev()
        .find(|(go, _)| *go <= minor)
        .map(|(_, v)| *v)
}

/// `v1.61.7` -> (1, 61, 7), also `1.61.7` and pseudo-versions' base; None for `(devel)`.
pub fn parse(v: &str) -> Option<Version> {
    let (low, _) = parse_range(v)?;
    Some(low)
}

/// `v1.40` -> every v1.40.x; `v1.40.4` -> that one.
fn parse_range(v: &str) -> Option<(Version, Version)> {
    let v = v.strip_prefix('v').unwrap_or(v);
    let mut parts = v.split(['.', '-', '+']);
    let major = parts.next()?.parse::<u32>().ok()?;
    let minor = parts.next()?.parse::<u32>().ok()?;
    Some(match parts.next().and_then(|p| p.parse::<u32>().ok()) {
        Some(patch) => ((major, minor, patch), (major, minor, patch)),
        None => ((major, minor, 0), (major, minor, u32::MAX)),
    })
}

/// `v1.61.7`.
pub fn show(v: Version) -> String {
    format!("v{}.{}.{}", v.0, v.1, v.2)
}

/// The air releases that may run in a launch context, and what says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirVersion {
    pub low: Version,
    pub high: Version,
    /// Where it was read: "the image cosmtrek/air:v1.40.4", "`go get -u github.com/cosmtrek/air`
    /// under Go 1.15".
    pub source: String,
}

impl AirVersion {
    pub fn exact(v: Version, source: impl Into<String>) -> AirVersion {
        AirVersion {
            low: v,
            high: v,
            source: source.into(),
        }
    }

    /// Nothing says which air runs: any release up to the current one.
    pub fn unknown(source: impl Into<String>) -> AirVersion {
        AirVersion {
            low: (0, 0, 0),
            high: CURRENT,
            source: source.into(),
        }
    }

    pub fn is_unknown(&self) -> bool {
        self.low == (0, 0, 0) && self.high == CURRENT
    }

    /// Whether `span` holds for these releases: all, none, or some of them.
    pub fn holds(&self, span: Span) -> Holds {
        let inside =
            |v: Version| span.since.is_none_or(|s| v >= s) && span.before.is_none_or(|b| v < b);
        let all_after = span.before.is_some_and(|b| self.low >= b);
        let all_before = span.since.is_some_and(|s| self.high < s);
        if all_after || all_before {
            Holds::No
        } else if inside(self.low) && inside(self.high) {
            Holds::Yes
        } else {
            Holds::Maybe
        }
    }
}

/// "air v1.40.4 (the image cosmtrek/air:v1.40.4)", "air (which release is not known: ...)".
impl fmt::Display for AirVersion {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.is_unknown() {
            return write!(f, "air of an unknown release ({})", self.source);
        }
        let what = if self.low == self.high {
            show(self.low)
        } else if self.high.2 == u32::MAX && self.low.2 == 0 {
            format!("v{}.{}.x", self.low.0, self.low.1)
        } else if self.low == (0, 0, 0) {
            format!("{} or older", show(self.high))
        } else {
            format!("{} to {}", show(self.low), show(self.high))
        };
        write!(f, "air {what} ({})", self.source)
    }
}

/// The releases a behaviour of air holds for: `since` <= v < `before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub since: Option<Version>,
    pub before: Option<Version>,
}

impl Span {
    pub const fn since(v: Version) -> Span {
        Span {
            since: Some(v),
            before: None,
        }
    }

    pub const fn before(v: Version) -> Span {
        Span {
            since: None,
            before: Some(v),
        }
    }
}

/// "air v1.63.8 and later", "air before v1.63.2".
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (self.since, self.before) {
            (Some(s), None) => write!(f, "air {} and later", show(s)),
            (None, Some(b)) => write!(f, "air before {}", show(b)),
            (Some(s), Some(b)) => write!(f, "air {} to before {}", show(s), show(b)),
            (None, None) => write!(f, "every air"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    Yes,
    No,
    Maybe,
}

/// air refuses a root of `/` or `$HOME` ("refusing to run in ..."): added in v1.63.8.
pub const ROOT_REFUSAL: Span = Span::since((1, 63, 8));
/// `bin` is quoted as one path (`formatPath`), so `bin = "./tmp/main serve"` is a file named
/// so: since v1.62.0; before, the shell split it into a program and its arguments.
pub const QUOTED_BIN: Span = Span::since((1, 62, 0));
/// On Windows air runs `pre_cmd`, `cmd` and `post_cmd` with `powershell -NoProfile
/// -NonInteractive -Command CMD` (v1.67.4 `runner/util_windows.go:52`; `powershell` is
/// Windows PowerShell 5.1): since v1.62.0 (#708, 1068416 "using powershell instead of cmd
/// /C"); before, with `cmd /c CMD`, where `&`, `&&` and `||` chain commands.
pub const POWERSHELL_ON_WINDOWS: Span = Span::since((1, 62, 0));
/// Plain `air` reads `.air.conf` when there is no `.air.toml`: until v1.63.1.
pub const READS_AIR_CONF: Span = Span::before((1, 63, 2));
/// Plain `air` reads `.config/air.toml` when there is no `.air.toml`: since v1.65.3.
pub const READS_DOT_CONFIG: Span = Span::since((1, 65, 3));

/// air prints "[warning] build.bin is deprecated; set build.entrypoint instead" for a config
/// file without `entrypoint`: since v1.63.2 (`warnDeprecatedBin`, #828).
pub const WARNS_BIN_DEPRECATED: Span = Span::since((1, 63, 2));
/// air prints "include_dir X does not exist, skipping" for an include_dir outside root that
/// is not there: since v1.63.2 (#820; before, folders outside root were not watched).
pub const WARNS_INCLUDE_DIR_MISSING: Span = Span::since((1, 63, 2));
/// air prints "[warning] ignoring root directory protections ...": since v1.64.1, the first
/// release with `ignore_dangerous_root_dir` (#862).
pub const WARNS_ROOT_IGNORED: Span = Span::since((1, 64, 1));

/// The releases that print `line`, one of the config's startup warnings (`AirConfig::
/// startup_warnings`, worded as v1.67.4 prints them); None for a line not known here.
pub fn warning_span(line: &str) -> Option<Span> {
    if line.contains("build.bin is deprecated") {
        Some(WARNS_BIN_DEPRECATED)
    } else if line.starts_with("include_dir ") && line.ends_with("does not exist, skipping") {
        Some(WARNS_INCLUDE_DIR_MISSING)
    } else if line.contains("ignoring root directory protections") {
        Some(WARNS_ROOT_IGNORED)
    } else {
        None
    }
}

/// Whether an air of the releases `air` may print the startup warning `line` (None: the
/// current air, which prints every one).
pub fn may_print(air: Option<&AirVersion>, line: &str) -> bool {
    match (air, warning_span(line)) {
        (Some(a), Some(span)) => a.holds(span) != Holds::No,
        _ => true,
    }
}

/// The files plain `air` (no `-c`) reads in its folder, the first found, for the release
/// `air` (None: the current one): a `.air.conf` only where that release surely reads it.
pub fn default_configs(air: Option<&AirVersion>) -> Vec<&'static str> {
    let holds = |span: Span| {
        air.map_or(AirVersion::exact(CURRENT, "").holds(span), |a| {
            a.holds(span)
        })
    };
    let mut names = vec![".air.toml"];
    if holds(READS_AIR_CONF) == Holds::Yes {
        names.push(".air.conf");
    }
    if holds(READS_DOT_CONFIG) != Holds::No {
        names.push(".config/air.toml");
    }
    names
}

/// The Go minor of a Go image (`golang:1.15.0-alpine3.12` -> 15, `golang:alpine` and
/// `golang` -> the newest), None for another image. The devcontainers Go image
/// (`mcr.microsoft.com/devcontainers/go:1-1.22-bookworm`, tags `IMAGE-GO-OS`, `GO`,
/// `IMAGE-GO`) is built `FROM golang:${VARIANT}` (devcontainers/images
/// src/go/.devcontainer/Dockerfile) and keeps that image's `GOTOOLCHAIN=local` (its go
/// feature's containerEnv sets only GOROOT, GOPATH and PATH): its Go is the last `1.N` of the
/// tag; a tag without one (`1`, `1-bookworm`, `latest`) is not known.
pub fn image_go(image: &str) -> Option<u32> {
    let (repo, tag) = split_image(image);
    let name = repo.rsplit('/').next().unwrap_or(repo);
    if !matches!(name, "golang" | "go") {
        return None;
    }
    if repo.ends_with("devcontainers/go") {
        return tag?
            .rsplit('-')
            .filter_map(|part| part.strip_prefix("1.")?.split('.').next()?.parse().ok())
            .find(|minor| *minor >= 11);
    }
    let tag = tag.unwrap_or("latest");
    match tag.strip_prefix("1.") {
        Some(rest) => rest
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|m| m.parse().ok()),
        None => variant_go(tag),
    }
}

/// The Go of a `golang` tag that names only a variant. `alpine`, `latest`, `bookworm`,
/// `trixie` follow the newest Go. A pinned Alpine release stops getting new Go when
/// docker-library drops it (it keeps the two newest): `alpine3.18` was dropped on 2024-05-22
/// (docker-library/golang cf7a37d, "Add Alpine 3.20 and drop 3.18"), before Go 1.23, so its
/// last Go is 1.22; likewise 3.15 (2022-12-01, d66a926), 3.16 (2023-05-11, 03d21ef), 3.19
/// (2024-12-06, 8e03f83), 3.20 (2025-05-30, 7162cd9), 3.21 (2025-12-03, adf0ff9) and 3.22
/// (2026-06-10, 34bfa37). Another variant's last Go is not known here: None.
fn variant_go(tag: &str) -> Option<u32> {
    const DROPPED_ALPINE: &[(&str, u32)] = &[
        ("3.15", 19),
        ("3.16", 20),
        ("3.18", 22),
        ("3.19", 23),
        ("3.20", 24),
        ("3.21", 25),
        ("3.22", 26),
    ];
    const CURRENT_ALPINE: &[&str] = &["3.23", "3.24"];
    if let Some(release) = tag.strip_prefix("alpine").filter(|r| !r.is_empty()) {
        if CURRENT_ALPINE.contains(&release) {
            return Some(newest_go());
        }
        return DROPPED_ALPINE
            .iter()
            .find(|(r, _)| *r == release)
            .map(|(_, go)| *go);
    }
    matches!(tag, "alpine" | "latest" | "bookworm" | "trixie").then(newest_go)
}

fn newest_go() -> u32 {
    NEWEST_FOR_GO.last().map_or(26, |(go, _)| *go)
}

/// `repo:tag` without a digest or registry port confusion: (`docker.io/cosmtrek/air`, `v1.40.4`).
fn split_image(image: &str) -> (&str, Option<&str>) {
    let image = image.split('@').next().unwrap_or(image);
    match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, Some(tag)),
        _ => (image, None),
    }
}

/// The air of an air image (`cosmtrek/air:v1.40.4`; untagged or `latest` is built from air's
/// master), None for another image.
pub fn image_air(image: &str) -> Option<AirVersion> {
    let (repo, tag) = split_image(image);
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    if !matches!(repo, "cosmtrek/air" | "air-verse/air") {
        return None;
    }
    let source = format!("the image {image}");
    Some(match tag.and_then(parse_range) {
        Some((low, high)) => AirVersion { low, high, source },
        None if tag.is_none_or(|t| t == "latest") => AirVersion::exact(CURRENT, source),
        None => AirVersion::unknown(source),
    })
}

/// The air a shell text installs or runs by module (`go install`, `go get`, `go run`,
/// air's `install.sh`), built with Go 1.`go` (None: not known), the last one in the text.
pub fn installed_by(text: &str, go: Option<u32>) -> Option<AirVersion> {
    installed_with(text, go, false)
}

/// [`installed_by`] where go may switch toolchains (`GOTOOLCHAIN=auto`, Go 1.21 and later):
/// `@latest` is then the newest air whatever the image's Go.
pub fn installed_with(text: &str, go: Option<u32>, switches: bool) -> Option<AirVersion> {
    installed_in(&commands(text), go, switches)
}

/// [`installed_with`] of a text's [`commands`].
fn installed_in(commands: &[Command], go: Option<u32>, switches: bool) -> Option<AirVersion> {
    let mut found = None;
    for command in commands {
        let words = strs(command);
        if renamed(&words, go) {
            continue; // go stops: it installs nothing
        }
        if let Some(v) = module_install(&words, go, switches) {
            found = Some(v);
        }
    }
    // `curl -sSfL .../air/master/install.sh | sh -s -- -b DIR v1.52.3`: a release binary,
    // whatever the Go.
    if let Some(tag) = install_sh(commands) {
        let source = format!(
            "air's install.sh{}",
            tag.map(|t| format!(" {t}")).unwrap_or_default()
        );
        found = Some(match tag.and_then(parse_range) {
            Some((low, high)) => AirVersion { low, high, source },
            None => AirVersion::exact(CURRENT, source),
        });
    }
    found
}

/// One command a shell text runs: its words and its line in the text (1-based).
type Command = (Vec<String>, usize);

/// The commands a shell text (a `RUN`, a container's or a host's command line) runs, as
/// [`run_commands`] reads them.
fn commands(text: &str) -> Vec<Command> {
    run_commands(text)
        .commands
        .unwrap_or_default()
        .into_iter()
        .map(|(s, _)| (s.words, s.line))
        .collect()
}

fn strs(command: &Command) -> Vec<&str> {
    command.0.iter().map(String::as_str).collect()
}

/// A download of air's `install.sh` (a word naming it under an `/air/` folder): the release
/// tag given to it, in the same command or the shell the script is piped to (`sh -s --
/// -b DIR v1.52.3`; not a shell given a script file), None when none is given.
fn install_sh(commands: &[Command]) -> Option<Option<&str>> {
    let (at, word) = commands.iter().enumerate().find_map(|(i, (words, _))| {
        // The script of `sh -c` is read as its own commands.
        let script = shell::shell_c_script(words);
        let n = words.iter().position(|w| {
            script.as_ref() != Some(w)
                && w.find("install.sh")
                    .is_some_and(|at| w[..at].contains("/air/"))
        })?;
        Some((i, n))
    })?;
    let piped_to = commands.get(at + 1).map(|(w, _)| w).filter(|w| {
        let w = shell::program_words(w);
        matches!(shell::program(w), "sh" | "bash" | "ash" | "dash" | "zsh")
            && w.get(1).is_none_or(|a| a.starts_with('-'))
    });
    let after = commands[at].0[word + 1..]
        .iter()
        .chain(piped_to.into_iter().flatten());
    Some(
        after
            .map(String::as_str)
            .find(|w| w.starts_with('v') && parse(w).is_some()),
    )
}

/// Whether the words of one command install or run the old module path at a release whose
/// go.mod declares github.com/air-verse/air, which go refuses whatever its version ("module
/// declares its path as ... but was required as ...", air issues #620/#621): `@latest`,
/// `@upgrade`, a branch (`@master`), v1.52.2 and later (`@v1.52` takes v1.52.3), and `go get`
/// without a version in module mode (Go 1.16 and later, or a Go not known), with or without
/// `-u`: a module the main module does not require yet is `@upgrade` then, which is the
/// latest release (real go1.26.8, offline from a proxy holding v1.52.3: "go:
/// github.com/cosmtrek/air@upgrade (v1.52.3) requires github.com/cosmtrek/air@v1.52.3: parsing
/// go.mod: module declares its path as: github.com/air-verse/air but was required as:
/// github.com/cosmtrek/air"; outside a module Go 1.18 and later refuse `go get` outright). In
/// GOPATH mode (`GO111MODULE=off`, or Go 1.15 and older outside a module) `go get` clones the
/// repository's default branch by git instead, with no go.mod read: not this error. A plain
/// `go run github.com/cosmtrek/air` takes the version go.mod requires, and a commit is not
/// known.
pub fn renamed(words: &[&str], go: Option<u32>) -> bool {
    let Some((true, version)) = module_target(words, "install|get|run") else {
        return false;
    };
    // GOPATH mode fetches by git, not from the module proxy.
    if words.contains(&"GO111MODULE=off") {
        return false;
    }
    match version {
        Some("latest" | "upgrade" | "master" | "main") => true,
        Some(v) => parse_range(v).is_some_and(|(_, high)| high > LAST_COSMTREK),
        None => is_go_get(words) && go.is_none_or(|g| g >= 16),
    }
}

/// Whether the words run `GO111MODULE=off go get` of air (GOPATH mode): go clones the
/// repository's default branch by git (github.com/cosmtrek/air redirects to air-verse/air),
/// no release and no go.mod read, so what it builds is the newest air.
pub fn gopath_get(words: &[&str]) -> bool {
    words.contains(&"GO111MODULE=off")
        && is_go_get(words)
        && matches!(module_target(words, "get"), Some((_, None)))
}

/// Why a GOPATH-mode `go get` of air ([`gopath_get`], `command` as the shell reads it) stops
/// on Go 1.`go`, None for any other command. Go 1.22 and later refuse GOPATH-mode `go get`
/// (real go1.26.8: "go: modules disabled by GO111MODULE=off; see 'go help modules'");
/// older ones compile the default branch, whose code is the newest air's (`any`, new in Go
/// 1.18; its go.mod's go line 1.26, not read in GOPATH mode).
pub fn gopath_reason(command: &str, go: u32) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if !gopath_get(&words) {
        return None;
    }
    let needs = go_line(CURRENT).unwrap_or(0);
    Some(match go >= 22 {
        true => format!("Go 1.22 and later have no `go get` in GOPATH mode, so Go 1.{go} stops (\"go: modules disabled by GO111MODULE=off; see 'go help modules'\")"),
        false => format!("in GOPATH mode go fetches air's default branch, not a release, and reads no go.mod: that is air {}'s code, which needs Go >= 1.{needs} (its go.mod's go line; it uses `any`, new in Go 1.18), so Go 1.{go} cannot compile it", show(CURRENT)),
    })
}

/// What replaces a GOPATH-mode `go get` of air on Go 1.`go`: a release, by `go install`
/// (Go 1.16 and later) or air's install.sh (a release binary, whatever the Go).
pub fn gopath_fix(go: u32) -> String {
    match go < 16 {
        true => "curl -sSfL https://raw.githubusercontent.com/air-verse/air/master/install.sh | sh -s -- -b /usr/local/bin".to_string(),
        false => renamed_fix(Some(go)),
    }
}

/// Whether the words run `go get` (`module_target` found the go word).
fn is_go_get(words: &[&str]) -> bool {
    words
        .windows(2)
        .any(|w| (w[0] == "go" || w[0].ends_with("/go")) && w[1].trim_matches(['"', '\'']) == "get")
}

/// The commands of a shell text that install the old path where go refuses it
/// ([`renamed`]): each with its line in the text (1-based) and the command as the shell
/// reads it (its words joined by spaces).
pub fn renamed_installs(text: &str, go: Option<u32>) -> Vec<(usize, String)> {
    renamed_in(&commands(text), go)
}

fn renamed_in(commands: &[Command], go: Option<u32>) -> Vec<(usize, String)> {
    commands
        .iter()
        .filter(|c| renamed(&strs(c), go))
        .map(|(words, line)| (*line, words.join(" ")))
        .collect()
}

/// The `go install` that replaces an old-path install for Go 1.`go` (None: not known, the
/// current air).
pub fn renamed_fix(go: Option<u32>) -> String {
    let v = go.and_then(newest_for_go).unwrap_or(CURRENT);
    format!("go install {}", install_target(v))
}

/// The air a text runs with `go run github.com/cosmtrek/air` (or `go tool` of it) without a
/// version, which is the release the module's go.mod requires: `gomod` is that go.mod's text.
pub fn run_by_go_mod(text: &str, gomod: &str) -> Option<AirVersion> {
    let old = commands(text)
        .iter()
        .find_map(|c| match module_target(&strs(c), "run|tool")? {
            (old, None) => Some(old),
            _ => None,
        })?;
    let path = match old {
        true => "github.com/cosmtrek/air",
        false => "github.com/air-verse/air",
    };
    // `require github.com/cosmtrek/air v1.29.0` or a line of a `require (...)` block.
    let version = gomod.lines().find_map(|l| {
        let words: Vec<&str> = l.split("//").next()?.split_whitespace().collect();
        match words.as_slice() {
            ["require", p, v] | [p, v] if *p == path => Some(*v),
            _ => None,
        }
    })?;
    let v = parse(version)?;
    Some(AirVersion::exact(
        v,
        format!("go.mod requires {path} {version}"),
    ))
}

/// What an image holds for air, as its Dockerfile (or compose `image:`) builds it: the Go
/// that would build an air, and the air installed so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Toolchain {
    /// The Go minor (`golang:1.22` -> 22).
    pub go: Option<u32>,
    pub air: Option<AirVersion>,
    /// `GOTOOLCHAIN` set to something other than `local` (`ENV GOTOOLCHAIN=auto`): go
    /// fetches the toolchain a module's `go` line asks for.
    pub switches: bool,
    /// A `go install` of an air whose `go` line is newer than the image's Go, which stops
    /// the image build (the official golang images set GOTOOLCHAIN=local).
    /// Also a `go install github.com/cosmtrek/air@latest`, which go refuses on any Go
    /// ([`renamed`]; `StuckInstall::renamed`).
    pub stuck: Option<Box<StuckInstall>>,
    /// The installs after `stuck` that go refuses as well (`StuckInstall::renamed`: an old
    /// air path, a dev tool's `@latest` too new for the Go): the build stops at the first, and
    /// at each of these once the ones before are fixed, so all are said.
    pub after: Vec<StuckInstall>,
}

/// `go install github.com/air-verse/air@latest` on a Go older than that air's `go` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StuckInstall {
    /// The install command, as written.
    pub command: String,
    /// The image's Go minor.
    pub go: u32,
    /// The air release it asks for (`@latest`: the current one).
    pub wants: Version,
    /// The Go minor that air's `go` line asks for.
    pub needs_go: u32,
    /// The old module path where go refuses it ([`renamed`]), whatever the Go: `wants` and
    /// `needs_go` say nothing then.
    pub renamed: bool,
    /// The Dockerfile line of the `RUN`, once known.
    pub line: Option<usize>,
    /// The build-context script the `RUN` runs that holds the install (`RUN ./setup.sh`):
    /// its host path and the install's line there.
    pub script: Option<(std::path::PathBuf, usize)>,
    /// A download of air's binary from a link that no longer serves it ([`dead_download`]):
    /// the link, and whether the download stops the build (`curl -f`, `wget`) rather than
    /// saving the error page as `air`.
    pub dead: Option<(String, bool)>,
    /// Not air but a dev tool's `go install TOOL@latest` whose newest release the image's Go
    /// cannot build ([`super::dev_tools`]): the build stops there, before air runs.
    pub tool: Option<&'static super::dev_tools::DevTool>,
}

/// Links to the binaries air kept in its repository's bin/ folder before v1.12.2
/// (`https://git.io/linux_air` redirects to raw .../cosmtrek/air/master/bin/linux/air): air
/// removed that folder in 2020 and ships release assets instead (air-verse/air#97, #266), so
/// these answer 404.
fn dead_link(word: &str) -> bool {
    let w = word.trim_matches(['"', '\'']).to_ascii_lowercase();
    let w = w
        .strip_prefix("https://")
        .or_else(|| w.strip_prefix("http://"))
        .unwrap_or(&w);
    let git_io = w
        .strip_prefix("git.io/")
        .is_some_and(|rest| rest.ends_with("_air") || rest.ends_with("_air.exe"));
    let bin = ["cosmtrek/air", "air-verse/air"].iter().any(|r| {
        w.starts_with(&format!("raw.githubusercontent.com/{r}/master/bin/"))
            || w.starts_with(&format!("github.com/{r}/raw/master/bin/"))
    });
    git_io || bin
}

/// The first command of `commands` that downloads air from a dead link ([`dead_link`]) with
/// curl or wget: (the command, the link, whether the download fails the command: wget, or
/// curl with `-f`/`--fail`; plain curl saves the 404 page and exits 0).
fn dead_download(commands: &[Command]) -> Option<(String, String, bool)> {
    commands.iter().find_map(|(words, _)| {
        let program = shell::program(shell::program_words(words));
        if !matches!(program, "curl" | "wget") {
            return None;
        }
        let link = words.iter().find(|w| dead_link(w))?;
        let fails = program == "wget"
            || words.iter().any(|w| {
                w == "--fail"
                    || w == "--fail-with-body"
                    || (w.starts_with('-') && !w.starts_with("--") && w.contains('f'))
            });
        Some((
            words.join(" "),
            link.trim_matches(['"', '\'']).to_string(),
            fails,
        ))
    })
}

impl Toolchain {
    /// A stage `FROM image`, or a compose service's `image:`.
    pub fn from_image(image: &str) -> Toolchain {
        Toolchain {
            go: image_go(image),
            air: image_air(image),
            ..Toolchain::default()
        }
    }

    /// A `RUN` line (or a command the container runs before air): what it installs.
    pub fn run(&mut self, text: &str) {
        // `GOTOOLCHAIN=auto go install ...` or `go env -w GOTOOLCHAIN=auto`.
        // (The script of `sh -c` is read as its own commands, not as one word.)
        let commands = commands(text);
        self.switches |= commands.iter().any(|(words, _)| {
            let script = shell::shell_c_script(words);
            words.iter().any(|w| {
                w.contains("GOTOOLCHAIN=")
                    && !w.ends_with("GOTOOLCHAIN=local")
                    && script.as_ref() != Some(w)
            })
        });
        if let Some(v) = installed_in(&commands, self.go, self.switches) {
            self.air = Some(v);
        }
        // The build stops at the first install go refuses; the next ones that stop it are
        // kept too, or fixing the first leaves the build stopping at them.
        if let Some(first) = self.stuck.as_ref().filter(|s| s.renamed) {
            let mut next = Toolchain {
                stuck: None,
                after: vec![],
                ..self.clone()
            };
            next.run(text);
            let seen = |c: &str| first.command == c || self.after.iter().any(|a| a.command == c);
            let found: Vec<StuckInstall> = next
                .stuck
                .map(|s| *s)
                .into_iter()
                .chain(next.after)
                .filter(|s| s.renamed && !seen(&s.command))
                .collect();
            self.after.extend(found);
            return;
        }
        // An install go refuses, or a download of air from a link that answers 404: no air,
        // whatever the Go.
        let refused = renamed_in(&commands, self.go)
            .into_iter()
            .next()
            .map(|(_, command)| (command, None))
            .or_else(|| {
                dead_download(&commands)
                    .map(|(command, link, fails)| (command, Some((link, fails))))
            });
        if let Some((command, dead)) = refused {
            self.stuck = Some(Box::new(StuckInstall {
                command,
                go: self.go.unwrap_or(0),
                wants: CURRENT,
                needs_go: 0,
                renamed: true,
                line: None,
                script: None,
                dead,
                tool: None,
            }));
            // A dev tool's `@latest` in the same `RUN` (`go get -u github.com/cosmtrek/air &&
            // go install .../dlv@latest` on golang:1.17): the build stops there too once the
            // air install is fixed.
            self.tool_stop(&commands);
            return;
        }
        // A GOPATH-mode `go get` builds the newest air ([`gopath_reason`]).
        if let Some(go) = self.go {
            let needs_go = go_line(CURRENT).unwrap_or(0);
            let gopath = commands.iter().map(strs).find(|w| gopath_get(w));
            if let Some(words) = gopath.filter(|_| go < needs_go) {
                self.stuck = Some(Box::new(StuckInstall {
                    command: words.join(" "),
                    go,
                    wants: CURRENT,
                    needs_go,
                    renamed: false,
                    line: None,
                    script: None,
                    dead: None,
                    tool: None,
                }));
                self.tool_stop(&commands);
                return;
            }
        }
        // The go line is a hard minimum since Go 1.21, the first Go with GOTOOLCHAIN. Go 1.16
        // to 1.20 (no GOTOOLCHAIN) stop earlier at a three-part go line (`go 1.26.0`): see
        // [`three_part_go_line`].
        let Some(go) = self
            .go
            .filter(|g| (*g >= 21 && !self.switches) || (16..21).contains(g))
        else {
            self.tool_stop(&commands);
            return;
        };
        for command in &commands {
            let words = strs(command);
            let Some((old, version)) = module_target(&words, "install") else {
                continue;
            };
            if renamed(&words, Some(go)) {
                continue; // it stops for another reason: `renamed`
            }
            let wants = match version.and_then(parse_range) {
                Some((low, _)) if old => low.min(LAST_COSMTREK),
                Some((low, _)) => low,
                None if old => LAST_COSMTREK,
                None => CURRENT,
            };
            if go < 21 && !three_part_go_line(wants) {
                continue; // the go line only advises these Go: whether the build fails is not known
            }
            if let Some(needs_go) = go_line(wants).filter(|n| *n > go) {
                self.stuck = Some(Box::new(StuckInstall {
                    command: words.join(" "),
                    go,
                    wants,
                    needs_go,
                    renamed: false,
                    line: None,
                    script: None,
                    dead: None,
                    tool: None,
                }));
            }
        }
        self.tool_stop(&commands);
    }

    /// Each dev tool's `@latest` the image's Go cannot build ([`super::dev_tools`]) stops the
    /// build there too: the first is `stuck` when nothing before it (or an air install in
    /// the same text) did, every other one of the text is one of `after` (fixing one leaves
    /// the build stopping at the next).
    fn tool_stop(&mut self, commands: &[Command]) {
        let Some(go) = self.go else {
            return;
        };
        for command in commands {
            let words = strs(command);
            let Some(tool) = super::dev_tools::stopping_install(&words, go, self.switches) else {
                continue;
            };
            let command = words.join(" ");
            let seen = self.stuck.as_ref().is_some_and(|s| s.command == command)
                || self.after.iter().any(|a| a.command == command);
            if seen {
                continue;
            }
            let stuck = StuckInstall {
                command,
                go,
                wants: CURRENT,
                needs_go: tool.go_minor(),
                renamed: true,
                line: None,
                script: None,
                dead: None,
                tool: Some(tool),
            };
            match self.stuck {
                None => self.stuck = Some(Box::new(stuck)),
                Some(_) => self.after.push(stuck),
            }
        }
    }

    /// `ENV NAME=value` in the Dockerfile.
    pub fn env(&mut self, name: &str, value: &str) {
        if name == "GOTOOLCHAIN" {
            self.switches = !value.is_empty() && value != "local";
        }
    }

    /// The air a command line `text` runs in this image: one it installs first, else the
    /// image's, else not known.
    pub fn air_for(&self, text: &str) -> AirVersion {
        installed_with(text, self.go, self.switches)
            .or_else(|| self.air.clone())
            .unwrap_or_else(|| match self.stuck.as_ref().filter(|s| s.renamed) {
                Some(s) => {
                    AirVersion::unknown(format!("the image's `{}` installs none", s.command))
                }
                None => AirVersion::unknown(
                    "the image's Dockerfile and compose file install no air the doctor can read",
                ),
            })
    }
}

/// Whether air release `v`'s go.mod writes a three-part `go` line (v1.67.4: `go 1.26.0`; the
/// releases before it write `go 1.25` and older). Go 1.20 and older accept only `1.N` there
/// ("invalid go version '1.26.0': must match format 1.23", the x/mod modfile of those
/// releases), and `go install m@v` parses m's go.mod strictly (cmd/go/internal/load
/// PackagesAndErrorsOutsideModule: `modfile.Parse`), so on those Go the install stops before
/// any build.
pub fn three_part_go_line(v: Version) -> bool {
    v >= CURRENT
}

/// Why Go 1.`go` cannot build an air whose go line is Go 1.`needs_go`: for Go 1.21 and later
/// the golang images' GOTOOLCHAIN=local; older Go reject a three-part go line.
pub fn why_too_old(go: u32, needs_go: u32) -> String {
    match go >= 21 {
        true => "golang images set GOTOOLCHAIN=local".into(),
        false => format!(
            "Go 1.{go} predates GOTOOLCHAIN and three-part go lines: go stops with \"invalid go version '1.{needs_go}.0': must match format 1.23\""
        ),
    }
}

/// The Go minor air release `v`'s go.mod `go` line names (the oldest Go that builds it).
fn go_line(v: Version) -> Option<u32> {
    NEWEST_FOR_GO
        .iter()
        .find(|(_, newest)| *newest >= v)
        .map(|(go, _)| *go)
}

/// `go SUB github.com/air-verse/air@v` with SUB one of `subs` (`|`-separated): whether it is
/// the old module path, and the version as written.
fn module_target<'a>(words: &[&'a str], subs: &str) -> Option<(bool, Option<&'a str>)> {
    // `sh -c "go install ..."`: the quote the shell removes is not part of the word.
    let bare = |w: &str| w.trim_matches(['"', '\'']).to_string();
    let at = words.iter().position(|w| {
        let w = bare(w);
        w == "go" || w.ends_with("/go")
    })?;
    if !subs
        .split('|')
        .any(|s| words.get(at + 1).is_some_and(|w| bare(w) == s))
    {
        return None;
    }
    let arg = words[at + 2..]
        .iter()
        .map(|w| w.trim_matches(['"', '\'']))
        .find(|w| {
            w.starts_with("github.com/cosmtrek/air") || w.starts_with("github.com/air-verse/air")
        })?;
    let (path, version) = match arg.split_once('@') {
        Some((p, v)) => (p, Some(v)),
        None => (arg, None),
    };
    // `github.com/cosmtrek/air/cmd/...` is no air; the module is the binary.
    if !matches!(path, "github.com/cosmtrek/air" | "github.com/air-verse/air") {
        return None;
    }
    Some((path == "github.com/cosmtrek/air", version))
}

fn module_install(words: &[&str], go: Option<u32>, switches: bool) -> Option<AirVersion> {
    let (old, version) = module_target(words, "install|get|run")?;
    // Go 1.21+ with GOTOOLCHAIN=auto fetches the Go an air's go line asks for: the image's
    // Go caps nothing.
    let switches = switches && go.is_some_and(|g| g >= 21);
    let line = words.join(" ");
    let source = match go {
        Some(g) if switches => format!("`{line}` with Go 1.{g} and GOTOOLCHAIN=auto"),
        Some(g) => format!("`{line}` with Go 1.{g}"),
        None => format!("`{line}`"),
    };
    // GOPATH mode builds the default branch, which no Go a golang image has builds
    // ([`gopath_reason`]): no air on a known Go, an unknown one otherwise.
    if gopath_get(words) {
        return go.is_none().then(|| AirVersion::unknown(source));
    }
    if let Some((low, high)) = version.and_then(parse_range) {
        // The stray v1.61.2 tag of the old path is a 2023 commit: v1.52.1 at most.
        let cap = |v: Version| if old { v.min(LAST_COSMTREK) } else { v };
        return Some(AirVersion {
            low: cap(low),
            high: cap(high),
            source,
        });
    }
    // `@latest`, no version, or a branch: the newest this Go builds.
    let newest = match go {
        Some(_) if switches => CURRENT,
        Some(g) => newest_for_go(g).unwrap_or((1, 12, 4)),
        None => return Some(AirVersion::unknown(source)),
    };
    Some(AirVersion::exact(
        if old {
            newest.min(LAST_COSMTREK)
        } else {
            newest
        },
        source,
    ))
}

#[cfg(test)]
mod tests {
    /// The links to air's old bin/ folder answer 404 (air-verse/air#97, #266); release
    /// downloads and air's install.sh are not dead.
    #[test]
    fn downloads_from_airs_removed_bin_folder_are_dead() {
        for dead in [
            "https://git.io/linux_air",
            "git.io/darwin_air",
            "'https://git.io/windows_air.exe'",
            "https://raw.githubusercontent.com/cosmtrek/air/master/bin/linux/air",
            "https://github.com/cosmtrek/air/raw/master/bin/linux/air",
        ] {
            assert!(dead_link(dead), "{dead}");
        }
        for alive in [
            "https://github.com/air-verse/air/releases/download/v1.52.3/air_1.52.3_linux_amd64",
            "https://raw.githubusercontent.com/cosmtrek/air/master/install.sh",
            "https://git.io/JfhSl",
        ] {
            assert!(!dead_link(alive), "{alive}");
        }
        let mut image = Toolchain::from_image("golang:1.14");
        image.run("curl -fLo air https://git.io/linux_air && chmod +x air");
        let stuck = image.stuck.as_ref().unwrap();
        assert_eq!(stuck.dead, Some(("https://git.io/linux_air".into(), true)));
        assert!(image.air_for("air").is_unknown());
        let mut image = Toolchain::from_image("golang:1.14");
        image.run("wget -O air https://git.io/linux_air");
        assert!(image.stuck.unwrap().dead.unwrap().1);
    }

    use super::*;

    #[test]
    fn versions_of_images_and_install_lines() {
        assert_eq!(newest_for_go(15), Some((1, 15, 1)));
        assert_eq!(newest_for_go(18), Some((1, 40, 4)));
        assert_eq!(newest_for_go(26), Some(CURRENT));
        assert_eq!(newest_for_go(12), None);
        assert_eq!(go_line(CURRENT), Some(26));
        assert_eq!(go_line((1, 62, 0)), Some(24));
        assert_eq!(go_line((1, 63, 0)), Some(25));
        assert_eq!(image_go("golang:1.15.0-alpine3.12"), Some(15));
        assert_eq!(image_go("golang:1.22"), Some(22));
        assert_eq!(image_go("golang:alpine"), Some(26));
        assert_eq!(image_go("golang:bookworm"), Some(26));
        // A pinned Alpine release docker-library dropped: the last Go it got.
        assert_eq!(image_go("golang:alpine3.18"), Some(22));
        assert_eq!(image_go("golang:alpine3.21"), Some(25));
        assert_eq!(image_go("golang:alpine3.23"), Some(26));
        // Not known here: no Go is claimed.
        assert_eq!(image_go("golang:alpine3.17"), None);
        assert_eq!(image_go("golang:bullseye"), None);
        assert_eq!(image_go("node:20"), None);
        // The devcontainers Go image: IMAGE-GO-OS, GO, IMAGE-GO; no Go in `1` or `1-bookworm`.
        let dev = "mcr.microsoft.com/devcontainers/go:";
        assert_eq!(image_go(&format!("{dev}1-1.22-bookworm")), Some(22));
        assert_eq!(image_go(&format!("{dev}1.2.0-1.23")), Some(23));
        assert_eq!(image_go(&format!("{dev}1.2-1.23")), Some(23));
        assert_eq!(
            image_go("mcr.microsoft.com/vscode/devcontainers/go:1.19"),
            Some(19)
        );
        assert_eq!(image_go(&format!("{dev}1")), None);
        assert_eq!(image_go(&format!("{dev}1-bookworm")), None);
        let v = image_air("cosmtrek/air:v1.40.4").unwrap();
        assert_eq!((v.low, v.high), ((1, 40, 4), (1, 40, 4)));
        assert_eq!(image_air("cosmtrek/air").unwrap().low, CURRENT);
        assert_eq!(image_air("golang:1.22"), None);
        let go_get = installed_by(
            "apk add git && go get -u github.com/cosmtrek/air && go mod download",
            Some(15),
        )
        .unwrap();
        assert_eq!(go_get.high, (1, 15, 1));
        let pinned = installed_by("go install github.com/air-verse/air@v1.61.7", Some(26)).unwrap();
        assert_eq!(pinned.low, (1, 61, 7));
        let quoted = installed_by(
            "sh -c \"go install github.com/air-verse/air@v1.61.5 && air\"",
            Some(23),
        )
        .unwrap();
        assert_eq!(quoted.low, (1, 61, 5));
        let old = installed_by("go install github.com/cosmtrek/air@v1.49.0", Some(26)).unwrap();
        assert_eq!(old.high, (1, 49, 0));
        let sh = installed_by("curl -sSfL https://raw.githubusercontent.com/cosmtrek/air/master/install.sh | sh -s -- -b /usr/local/bin v1.52.3", None).unwrap();
        assert_eq!(sh.low, (1, 52, 3));
        assert!(
            installed_by("go install github.com/a-h/templ/cmd/templ@latest", Some(22)).is_none()
        );
        assert!(installed_by("go run .", Some(22)).is_none());
    }

    /// go refuses the old path at @latest and at v1.52.2 and later (checked with go1.26.8:
    /// `go install github.com/cosmtrek/air@latest` and `@v1.52.3` stop with "module declares
    /// its path as: github.com/air-verse/air", `@v1.49.0` and `@v1.52.1` install air), on
    /// any Go: it never installs the newest air an old Go builds.
    #[test]
    fn the_old_path_at_latest_installs_nothing() {
        let w = |s: &'static str| s.split_whitespace().collect::<Vec<_>>();
        for bad in [
            "go install github.com/cosmtrek/air@latest",
            "go install github.com/cosmtrek/air@v1.52.3",
            "go install github.com/cosmtrek/air@v1.52",
            "go install github.com/cosmtrek/air@master",
            "go get -u github.com/cosmtrek/air",
            "go get github.com/cosmtrek/air",
            "go get -v github.com/cosmtrek/air",
            "go get github.com/cosmtrek/air@latest",
            "go run github.com/cosmtrek/air@latest -c .air.toml",
        ] {
            assert!(renamed(&w(bad), None), "{bad}");
            assert!(renamed(&w(bad), Some(19)), "{bad}");
        }
        for good in [
            "go install github.com/cosmtrek/air@v1.49.0",
            "go install github.com/cosmtrek/air@v1.52.1",
            "go install github.com/air-verse/air@latest",
            "go run github.com/cosmtrek/air -c .air.toml",
            "go install github.com/cosmtrek/air",
        ] {
            assert!(!renamed(&w(good), None), "{good}");
        }
        // Go 1.15 outside a module fetches by git (GOPATH mode), not through the proxy.
        assert!(!renamed(&w("go get -u github.com/cosmtrek/air"), Some(15)));
        assert!(!renamed(&w("go get github.com/cosmtrek/air"), Some(15)));
        assert!(!renamed(
            &w("GO111MODULE=off go get github.com/cosmtrek/air"),
            Some(17)
        ));
        // Doer-org/hack-camp_vol5_2022: golang:1.17.0-alpine, module mode.
        assert!(renamed(&w("go get github.com/cosmtrek/air"), Some(17)));
        assert!(!renamed(
            &w("GO111MODULE=off go get -u github.com/cosmtrek/air"),
            None
        ));
        assert_eq!(
            renamed_installs(
                "apk add git \\\n  && go install github.com/cosmtrek/air@latest \\\n  && go get x",
                Some(19)
            ),
            vec![(2, "go install github.com/cosmtrek/air@latest".to_string())]
        );
        // It installs no air: not "the newest Go 1.19 builds".
        assert_eq!(
            installed_by("go install github.com/cosmtrek/air@latest", Some(19)),
            None
        );
        let mut image = Toolchain::from_image("golang:1.19.0-alpine3.16");
        image.run("apk add git && go install github.com/cosmtrek/air@latest && go get x");
        let stuck = image.stuck.as_ref().unwrap();
        assert!(stuck.renamed, "{stuck:?}");
        assert_eq!(
            image.air_for("air").source,
            "the image's `go install github.com/cosmtrek/air@latest` installs none"
        );
        assert_eq!(stuck.command, "go install github.com/cosmtrek/air@latest");
        assert_eq!(
            renamed_fix(Some(19)),
            "go install github.com/cosmtrek/air@v1.41.0"
        );
        assert_eq!(
            renamed_fix(None),
            "go install github.com/air-verse/air@latest"
        );
    }

    /// A `RUN` is read as the shell runs it (`crate::shell::run_commands`, which
    /// `Programs` reads too): its flags and exec form, the script of `sh -c`, and not the
    /// text an `echo` prints or a comment.
    #[test]
    fn installs_are_the_commands_a_run_runs() {
        let mut image = Toolchain::from_image("golang:1.24");
        image.run(
            "--mount=type=cache,target=/go/pkg/mod go install github.com/air-verse/air@latest 2>&1",
        );
        assert_eq!(
            image.stuck.as_ref().map(|s| s.command.as_str()),
            Some("go install github.com/air-verse/air@latest")
        );
        let exec = installed_by(
            r#"["go", "install", "github.com/air-verse/air@v1.52.3"]"#,
            None,
        );
        assert_eq!(exec.map(|v| v.low), Some((1, 52, 3)));
        let quoted = installed_by(
            "sh -c \"go install github.com/air-verse/air@v1.61.5 && air\"",
            None,
        );
        assert_eq!(
            quoted.map(|v| v.source).as_deref(),
            Some("`go install github.com/air-verse/air@v1.61.5`")
        );
        for told in [
            "echo \"air not found. Install: go install github.com/air-verse/air@latest\"",
            "air -c .air.toml # go install github.com/cosmtrek/air@latest",
        ] {
            assert_eq!(installed_by(told, Some(22)), None, "{told}");
            assert_eq!(renamed_installs(told, Some(22)), vec![], "{told}");
        }
        let mut told = Toolchain::from_image("golang:1.24");
        told.run("sh -c \"GOTOOLCHAIN=local go build ./...\"");
        assert!(!told.switches);
        told.run("sh -c \"GOTOOLCHAIN=auto go build ./...\"");
        assert!(told.switches);
    }

    /// `GOTOOLCHAIN=auto` (an image's ENV, a compose service's environment): go 1.21 and
    /// later fetch the Go the newest air's go line asks for, so `@latest` is the newest air.
    #[test]
    fn gotoolchain_auto_installs_the_newest_air() {
        let latest = "go install github.com/air-verse/air@latest && air -c .air.toml";
        let mut image = Toolchain::from_image("golang:1.24");
        assert_eq!(image.air_for(latest).low, (1, 62, 0));
        image.env("GOTOOLCHAIN", "auto");
        assert_eq!(image.air_for(latest).low, CURRENT);
        image.run("go install github.com/air-verse/air@latest");
        assert_eq!(image.air.as_ref().map(|a| a.low), Some(CURRENT));
        assert_eq!(image.stuck, None);
        // Go 1.20 has no toolchain switch.
        let mut old = Toolchain::from_image("golang:1.20");
        old.env("GOTOOLCHAIN", "auto");
        assert_eq!(old.air_for(latest).low, (1, 44, 0));
    }

    /// Douglasblnk/go-photokeep-api: `go run github.com/cosmtrek/air -c ./cmd/.air.toml` runs
    /// the v1.29.0 its go.mod requires (through tools.go).
    #[test]
    fn go_run_without_a_version_runs_what_go_mod_requires() {
        let gomod = "module x\n\ngo 1.17\n\nrequire (\n\tgithub.com/aws/aws-sdk-go v1.43.5\n\tgithub.com/cosmtrek/air v1.29.0\n)\n";
        let v = run_by_go_mod("go run github.com/cosmtrek/air -c ./cmd/.air.toml", gomod).unwrap();
        assert_eq!((v.low, v.high), ((1, 29, 0), (1, 29, 0)));
        assert_eq!(v.source, "go.mod requires github.com/cosmtrek/air v1.29.0");
        let tool = "module x\n\ntool github.com/air-verse/air\n\nrequire github.com/air-verse/air v1.61.7 // indirect\n";
        let v = run_by_go_mod("go tool github.com/air-verse/air", tool).unwrap();
        assert_eq!(v.low, (1, 61, 7));
        assert!(run_by_go_mod("go run github.com/cosmtrek/air@v1.40.0", gomod).is_none());
        assert!(run_by_go_mod("go run github.com/air-verse/air", gomod).is_none());
        assert!(run_by_go_mod("air -c .air.toml", gomod).is_none());
    }

    /// From air's history: `warnDeprecatedBin` and the include_dir line came in v1.63.2,
    /// the root-protection line with `ignore_dangerous_root_dir` in v1.64.1.
    #[test]
    fn startup_warnings_belong_to_the_releases_that_print_them() {
        let bin = "[warning] build.bin is deprecated; set build.entrypoint instead";
        let v = |x| AirVersion::exact(x, "");
        assert!(!may_print(Some(&v((1, 61, 5))), bin));
        assert!(!may_print(Some(&v((1, 29, 0))), bin));
        assert!(!may_print(Some(&v((1, 63, 1))), bin));
        assert!(may_print(Some(&v((1, 63, 2))), bin));
        assert!(may_print(None, bin));
        assert!(may_print(Some(&AirVersion::unknown("x")), bin));
        let inc = "include_dir ../x does not exist, skipping";
        assert!(!may_print(Some(&v((1, 62, 0))), inc));
        assert!(may_print(Some(&v(CURRENT)), inc));
        let root = "[warning] ignoring root directory protections. This could cause excessive file watching. It is recommended to run air in a project directory";
        assert!(!may_print(Some(&v((1, 64, 0))), root));
        assert!(may_print(Some(&v((1, 64, 1))), root));
    }

    #[test]
    fn spans_hold_for_all_some_or_none() {
        let v = |low, high| AirVersion {
            low,
            high,
            source: String::new(),
        };
        assert_eq!(v((1, 40, 4), (1, 40, 4)).holds(ROOT_REFUSAL), Holds::No);
        assert_eq!(v(CURRENT, CURRENT).holds(ROOT_REFUSAL), Holds::Yes);
        assert_eq!(AirVersion::unknown("x").holds(ROOT_REFUSAL), Holds::Maybe);
        assert_eq!(v((1, 40, 4), (1, 40, 4)).holds(READS_AIR_CONF), Holds::Yes);
        assert_eq!(v(CURRENT, CURRENT).holds(READS_AIR_CONF), Holds::No);
        assert_eq!(v((0, 0, 0), (1, 15, 1)).holds(QUOTED_BIN), Holds::No);
        assert_eq!(default_configs(None), vec![".air.toml", ".config/air.toml"]);
        let old = v((1, 40, 4), (1, 40, 4));
        assert_eq!(default_configs(Some(&old)), vec![".air.toml", ".air.conf"]);
        let unknown = AirVersion::unknown("x");
        assert_eq!(
            default_configs(Some(&unknown)),
            vec![".air.toml", ".config/air.toml"]
        );
    }
}
