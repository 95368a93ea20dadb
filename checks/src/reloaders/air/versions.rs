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

use std::fmt;

/// `(1, 61, 7)` for v1.61.7.
pub type Version = (u32, u32, u32);

/// The newest air release reload-doctor models (`keys`, `config`).
pub const CURRENT: Version = (1, 67, 4);

/// The last release on github.com/cosmtrek/air (v1.52.2's go.mod says air-verse).
pub const LAST_COSMTREK: Version = (1, 52, 1);

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
/// Plain `air` reads `.air.conf` when there is no `.air.toml`: until v1.63.1.
pub const READS_AIR_CONF: Span = Span::before((1, 63, 2));
/// Plain `air` reads `.config/air.toml` when there is no `.air.toml`: since v1.65.3.
pub const READS_DOT_CONFIG: Span = Span::since((1, 65, 3));

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
/// `golang` -> the newest), None for another image.
pub fn image_go(image: &str) -> Option<u32> {
    let (repo, tag) = split_image(image);
    let name = repo.rsplit('/').next().unwrap_or(repo);
    if !matches!(name, "golang" | "go") {
        return None;
    }
    let tag = tag.unwrap_or("latest");
    match tag.strip_prefix("1.") {
        Some(rest) => rest
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|m| m.parse().ok()),
        // `golang:alpine`, `golang:latest`, `golang:bookworm`: the newest Go.
        None if !tag.starts_with(|c: char| c.is_ascii_digit()) => Some(newest_go()),
        None => None,
    }
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
    let mut found = None;
    for line in text.split(['\n', ';', '&', '|']).map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(v) = module_install(&words, go, line) {
            found = Some(v);
        }
    }
    // `curl -sSfL .../air/master/install.sh | sh -s -- -b DIR v1.52.3`: a release binary,
    // whatever the Go.
    if let Some(at) = text.find("install.sh") {
        let before = &text[..at];
        if before
            .rsplit(char::is_whitespace)
            .next()
            .is_some_and(|url| url.contains("/air/"))
        {
            let rest = &text[at..];
            let rest = rest.split(['\n', ';', '&']).next().unwrap_or(rest);
            let tag = rest
                .split_whitespace()
                .map(|w| w.trim_matches(['"', '\'']))
                .find(|w| w.starts_with('v') && parse(w).is_some());
            let source = format!(
                "air's install.sh{}",
                tag.map(|t| format!(" {t}")).unwrap_or_default()
            );
            found = Some(match tag.and_then(parse_range) {
                Some((low, high)) => AirVersion { low, high, source },
                None => AirVersion::exact(CURRENT, source),
            });
        }
    }
    found
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
    pub stuck: Option<Box<StuckInstall>>,
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
        if let Some(v) = installed_by(text, self.go) {
            self.air = Some(v);
        }
        // `GOTOOLCHAIN=auto go install ...` or `go env -w GOTOOLCHAIN=auto`.
        self.switches |= text
            .split_whitespace()
            .any(|w| w.contains("GOTOOLCHAIN=") && !w.ends_with("GOTOOLCHAIN=local"));
        // The go line is a hard minimum since Go 1.21, the first Go with GOTOOLCHAIN.
        let Some(go) = self.go.filter(|g| *g >= 21 && !self.switches) else {
            return;
        };
        for line in text.split(['\n', ';', '&', '|']).map(str::trim) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some((old, version)) = module_target(&words, "install") else {
                continue;
            };
            let wants = match version.and_then(parse_range) {
                Some((low, _)) if old => low.min(LAST_COSMTREK),
                Some((low, _)) => low,
                None if old => LAST_COSMTREK,
                None => CURRENT,
            };
            if let Some(needs_go) = go_line(wants).filter(|n| *n > go) {
                self.stuck = Some(Box::new(StuckInstall {
                    command: line.to_string(),
                    go,
                    wants,
                    needs_go,
                }));
            }
        }
    }

    /// `ENV NAME=value` in the Dockerfile.
    pub fn env(&mut self, name: &str, value: &str) {
        if name == "GOTOOLCHAIN" {
            self.switches = value != "local";
        }
    }

    /// The air a command line `text` runs in this image: one it installs first, else the
    /// image's, else not known.
    pub fn air_for(&self, text: &str) -> AirVersion {
        installed_by(text, self.go)
            .or_else(|| self.air.clone())
            .unwrap_or_else(|| {
                AirVersion::unknown(
                    "the image's Dockerfile and compose file install no air the doctor can read",
                )
            })
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
    let at = words
        .iter()
        .position(|w| *w == "go" || w.ends_with("/go"))?;
    if !subs.split('|').any(|s| words.get(at + 1) == Some(&s)) {
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

fn module_install(words: &[&str], go: Option<u32>, line: &str) -> Option<AirVersion> {
    let (old, version) = module_target(words, "install|get|run")?;
    let source = match go {
        Some(g) => format!("`{}` with Go 1.{g}", line.trim()),
        None => format!("`{}`", line.trim()),
    };
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
        assert_eq!(image_go("node:20"), None);
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
        let old = installed_by("go install github.com/cosmtrek/air@latest", Some(26)).unwrap();
        assert_eq!(old.high, LAST_COSMTREK);
        let sh = installed_by("curl -sSfL https://raw.githubusercontent.com/cosmtrek/air/master/install.sh | sh -s -- -b /usr/local/bin v1.52.3", None).unwrap();
        assert_eq!(sh.low, (1, 52, 3));
        assert!(
            installed_by("go install github.com/a-h/templ/cmd/templ@latest", Some(22)).is_none()
        );
        assert!(installed_by("go run .", Some(22)).is_none());
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
