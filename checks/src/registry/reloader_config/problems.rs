//! The problem ids of reloader-config's findings (`evidence.problem`, a JSON contract), each
//! with its default severity and what air does, declared once: findings name them through
//! [`Problem`], `explain` lists [`PROBLEMS`], and `--only`/`--skip reloader-config:ID` read them.

use crate::model::Severity;
use crate::registry::check::ProblemKind;
use serde::{Serialize, Serializer};

/// `Variant = "id", Severity, "what air does";` for each problem, in the order `explain`
/// lists them: the enum, and the table indexed by it.
macro_rules! problems {
    ($($variant:ident = $id:literal, $severity:ident, $what:literal;)*) => {
        /// What a reloader-config finding is about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Problem {
            $($variant,)*
        }

        /// Every problem, indexed by [`Problem`].
        pub static PROBLEMS: &[ProblemKind] = &[
            $(ProblemKind { id: $id, severity: Severity::$severity, what: $what },)*
        ];

        impl Problem {
            /// The problem whose id is `id` (as a finding's `evidence.problem` carries it).
            pub fn from_id(id: &str) -> Option<Problem> {
                match id {
                    $($id => Some(Problem::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

problems! {
    NotToml = "not-toml", Fail, "refuses to start: \"failed to parse\" the file";
    WrongType = "wrong-type", Fail, "refuses to start (\"Can't convert\")";
    BadRegex = "bad-regex", Fail, "refuses to start: exclude_regex does not compile";
    BadColorMode = "bad-color-mode", Fail, "refuses to start: color.mode is not always/auto/never";
    BadRule = "bad-rule", Fail, "refuses to start: a [[build.rules]] without cmd or match";
    RootMissing = "root-missing", Fail, "watches nothing: root is not a folder (warn for an absolute path outside the repository no launcher mounts: a container's)";
    RootDangerous = "root-dangerous", Fail, "refuses to run in / or $HOME";
    LaunchConfigMissing = "launch-config-missing", Fail, "`air -c FILE` names a missing file: air stops (warn when another launcher reads the config, or in a container; info when a script cds to a folder not here that no launcher mounts: unknown, nothing there is judged missing)";
    WindowsOnlyConfig = "windows-only-config", Fail, "tmp\\main.exe or cmd /c: works on Windows, fails elsewhere; info when a Linux/macOS sibling config (.air.linux.toml) sits beside it (that one is judged too)";
    BackgroundedGenerator = "backgrounded-generator", Warn, "a generator sent to the background with & before go build in build.cmd races it: the binary may compile or embed the previous build's output";
    WatcherInBuild = "watcher-in-build", Fail, "a --watch generator in the build never ends: the app never starts";
    GoRunAsBuild = "go-run-as-build", Fail, "the build runs the app (go run, or a runner target that starts it): the build never ends, each save starts a copy";
    BuildWithoutOutput = "build-without-output", Fail, "go build without -o: the binary air runs is never built";
    BinaryMismatch = "binary-mismatch", Fail, "-o writes another file than bin/entrypoint/full_bin runs";
    BuildSourceMissing = "build-source-missing", Fail, "go build names a .go file or ./folder that is not there, or a folder with no Go files to build: every build fails, air starts no new binary";
    BuildsLibrary = "builds-library", Fail, "go build of a folder whose package is not main: go writes a package archive (air's start of it fails, \"Permission denied\", exit 126) or, without -o, no file";
    ReplaceMissing = "replace-missing", Fail, "go.mod replaces an imported module by a local folder that is not there (or has no go.mod): every build stops, air never starts the app; warn in a container image, for a checkout outside the repository (its developers may have it beside), or when only another package imports it";
    UnsetPackageVar = "unset-package-var", Warn, "go build's package is only an unset $VAR: the shell drops it and go builds the folder it runs in, which cannot make the app";
    UnexpandedTemplate = "unexpanded-template", Fail, "{{.Input}} in cmd: air expands no templates, the build fails";
    BinWithArguments = "bin-with-arguments", Fail, "bin is quoted as one path (v1.62+): \"main serve\" not found; info when the air of the launch is known to predate v1.62.0 (an upgrade hazard)";
    BinWithSpace = "bin-with-space", Fail, "bin = \"./tmp/main \": the space is part of the path (v1.62+)";
    NoGoExt = "no-go-ext", Fail, "include_ext without go: saving .go never rebuilds";
    DottedExtension = "dotted-extension", Fail, "\".go\" or \"air.toml\" never matches (air adds the dot, compares the last extension only); fail when go is lost; info for air's own config (read once, at start)";
    CleanOnExitDeletes = "clean-on-exit-deletes", Fail, "[misc] clean_on_exit = true deletes tmp_dir (against root) with everything in it when air exits: the project itself (tmp_dir = \".\" or above root) or files git tracks there (without git: files air's build does not make); info when the tracked files are only air's own output (bin, build log) or empty placeholders; warn when another build step of the repository (a Makefile's go build -o, > file) writes there, its output deleted at every exit";
    RebuildLoop = "rebuild-loop", Fail, "build output in a watched folder air reacts to";
    GeneratedCodeLoop = "generated-code-loop", Fail, "a generator in the build rewrites watched files (templ, swag, go generate, sqlc, sass, esbuild, > file)";
    HidesImportedPackage = "hides-imported-package", Fail, "exclude_dir/include_dir hides a package main imports (warn when generated code or another module's: on purpose; nothing when the build writes it again every time; info for generated code only that nothing in the build writes)";
    UnwatchedEmbeds = "unwatched-embeds", Warn, "files a package the build compiles embeds with //go:embed that air never reacts to (their extension is not in include_ext, or they sit in a folder air skips): saving them never rebuilds, the app keeps the old copy";
    ExcludesCompiledFiles = "excludes-compiled-files", Fail, "exclude_regex (matched against the absolute path) or exclude_file matches Go files the build compiles: saving them never rebuilds; info when nothing else the build compiles uses what the excluded files declare (no init, no package-level initializer)";
    SourceNotMounted = "source-not-mounted", Fail, "a compose service runs air on its image's COPY of the project, with no bind mount or watch sync where air watches: a save on the host never reaches air (warn when a folder inside is mounted, or for a stage a target variable picks; info for a service only a test profile starts)";
    AirIgnoresPoll = "air-ignores-poll", Fail, "the installed air predates poll (v1.43.0)";
    AirSpacesInPath = "air-spaces-in-path", Fail, "the installed air predates quoting paths (v1.62.0)";
    HardCodedPort = "hard-coded-port", Fail, "(gin) the app ignores $PORT, gin proxies to nothing";
    GeneratedExtraBuild = "generated-extra-build", Info, "a generator the task runner skips while its sources are unchanged, or that keeps an unchanged output (tailwindcss, templ v0.3.1020+), writes watched files: each change builds twice, which costs only time (no loop)";
    GeneratorOutputUnknown = "generator-output-unknown", Warn, "a build step writes a file air reacts to at a path with an unresolved expansion ($(OUT)/app.css): a loop if it lands in a watched folder";
    ImportsOutsideRoot = "imports-outside-root", Warn, "main imports a go.work neighbour, a module replaced by a folder, or its own module's packages above root, outside air's root: editing them never rebuilds (info when they hold only generated code that nothing in the build writes)";
    ConfigNotRead = "config-not-read", Warn, "plain air never reads air.toml or .air.conf (v1.63.2+), or a file in a subfolder (only air started inside it does); then nothing else is said of its settings; info for a leftover beside configs launchers pass with -c, or in a subfolder while they pass configs of the module root (no launcher names it); info when they are air's defaults there or differ only in delay, or when the file's own build would fail where the defaults build (then: do not activate it); fail when air's default build (`go build -o ./tmp/main .`) cannot make the app in that folder (no package main, or several files declaring func main) and plain air runs there: the app never starts";
    UnknownKey = "unknown-key", Warn, "ignored silently (a typo); info in [log], [color], [screen], [misc] (only the look), in a file air never reads, or when what it asks is what air does anyway: another name for an air key (build_cmd, run_cmd, log_time) holding the value air uses for it, air's root or folders it watches, only a wait (restart_delay), only turning off, polling ([watcher] poll) where every launcher runs air on files compose watch syncs into the container, another tool's table naming nothing air loses";
    KeyNewerThanAir = "key-newer-than-air", Warn, "a key the air that runs there predates (include_file before v1.41.0, from its image tag or install line): ignored silently";
    RetiredKey = "retired-key", Warn, "a key of older airs (their air init wrote it) that air v1.67 ignores; info while it holds the old default";
    MisplacedKey = "misplaced-key", Warn, "ignored: the key belongs in another table";
    ZeroValueIgnored = "zero-value-ignored", Warn, "\"\", 0, false are replaced by air's defaults; info when only timing or the look changes (delay = 0 is 1000 ms, keep_scroll, colours)";
    ExcludeDirNeverMatches = "exclude-dir-never-matches", Warn, "\"./x\", \"../x\", absolute paths or globs never match; info when include_dir already keeps air out of what it names, or no folder or file here matches the glob";
    IncludeFileNeverMatches = "include-file-never-matches", Warn, "\"./x\", absolute paths or globs never match";
    IncludeFileUnwatched = "include-file-unwatched", Warn, "a file in a folder air's walk skips (exclude_dir, tmp_dir, testdata_dir, a hidden folder, outside include_dir): air never watches it, so saving it never rebuilds";
    ExcludeFileNeverMatches = "exclude-file-never-matches", Warn, "\"./x\", \"../x\", absolute paths or globs never match; info when air never watches its folder";
    RootOutsideProject = "root-outside-project", Warn, "watches a tree outside the repository";
    LaunchRunsDefaults = "launch-runs-defaults", Warn, "a launcher runs plain air where no .air.toml is: defaults (fail when their build, `go build -o ./tmp/main .`, has no package main in that folder)";
    NoPollOnQuietMount = "no-poll-on-quiet-mount", Warn, "the mount drops events and poll is off";
    NoKillDelay = "no-kill-delay", Warn, "send_interrupt with kill_delay 0: SIGKILL right after SIGINT; info when the app catches neither SIGINT nor SIGTERM (no signal.Notify/NotifyContext in main or what it imports: SIGINT ends it at once) or no Go main package can be read (nothing shows a shutdown to cut short)";
    KillDelayTooShort = "kill-delay-too-short", Warn, "integer kill_delay under 100 is milliseconds";
    KillDelayNanoseconds = "kill-delay-nanoseconds", Warn, "a large integer kill_delay is nanoseconds";
    AirOverlappingBuilds = "air-overlapping-builds", Warn, "the installed air predates v1.46.0 (two builds at once)";
    AirPortNotFreed = "air-port-not-freed", Warn, "the installed air predates v1.61.6 (port still taken)";
    AirInstallFails = "air-install-fails", Warn, "an install of air that stops: a container's image asks for an air whose go line is newer than the image's Go (GOTOOLCHAIN=local in golang images), or a launch file installs github.com/cosmtrek/air@latest, which go refuses on any Go since air moved to github.com/air-verse/air; also a devcontainer's image build or lifecycle command (its image's Go), a Dockerfile nothing builds, a Makefile's `$(shell ...)` (whose failure make ignores), and an install command a README, CONTRIBUTING or docs/ page gives or a launcher's `echo` prints as a hint";
    ImageGoTooOld = "image-go-too-old", Warn, "a container air runs in has a Go (a golang image, GOTOOLCHAIN=local) older than the module's go.mod `go` line: go 1.21 and later stop every build there (\"go.mod requires go >= ...\"), Go 1.16 to 1.20 at a three-part go line (\"invalid go version '1.23.0': must match format 1.23\"), so air never starts the app";
    AirOldModule = "air-old-module", Warn, "the installed air is github.com/cosmtrek/air";
    GinEnv = "gin-env", Warn, "(gin) a .env name gin does not read";
    AirWarns = "air-warns", Warn, "air prints a warning at start: root protections ignored, an include_dir outside root missing";
    MachineBoundBuild = "machine-bound-build", Warn, "a build step names one person's home folder (/home/alice, /Users/..., C:\\Users) or runs as another user (su, sudo -u)";
    ToolNotFound = "tool-not-found", Warn, "a build step runs a program not on PATH (templ, task, make); in a container, one its Dockerfile surely never installs";
    RecipeNeverRuns = "recipe-never-runs", Info, "a build step runs `make TARGET` for a target that is not .PHONY, has no prerequisites and names a file or folder that exists: make says it is up to date and never runs its recipe (its output is never regenerated)";
    StaleBinaryAfterError = "stale-binary-after-error", Info, "stop_on_error = false keeps the old binary after a failed build";
    BuildDirUnknown = "build-dir-unknown", Info, "build.cmd starts with `cd` into a folder named by a variable (`cd src/${SERVICE} && go build ...`): the package and -o paths are relative to it and are not judged";
    ConfigTemplate = "config-template", Info, "a code generator's template of a config (a templated go.mod, or {{ }} placeholders throughout) that no launcher runs air with: air reads what the generator renders, not this file; its findings are at most info";
    StrayConfig = "stray-config", Info, "a config in a folder that is not a module root, that no launcher runs and whose build names paths found only at the module root (./static/x.css, make's Makefile) or whose settings equal a config a launcher runs: a stray copy, not judged as a project";
    OtherConfigLaunched = "other-config-launched", Info, "a Makefile/script runs air with another file";
}

impl Problem {
    pub fn id(self) -> &'static str {
        PROBLEMS[self as usize].id
    }
}

/// As its id, the string the JSON report has always carried.
impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_serialize_as_themselves() {
        let mut ids: Vec<&str> = PROBLEMS.iter().map(|p| p.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), PROBLEMS.len());
        assert_eq!(PROBLEMS.len(), Problem::OtherConfigLaunched as usize + 1);
        assert_eq!(
            serde_json::json!({"problem": Problem::RootMissing}),
            serde_json::json!({"problem": "root-missing"})
        );
        assert_eq!(Problem::from_id("root-missing"), Some(Problem::RootMissing));
        assert_eq!(Problem::from_id("no-such-problem"), None);
    }
}
