//! A running build's phases seen from outside. The go command runs every compile and the link
//! as a process of its own (`compile -p PKG ...`, `link ...`), so polling the build's process
//! tree times them with nothing added to the build, whatever runs it (`go build`, a Makefile,
//! `go generate && go build`). Go's `-debug-trace` tells the same more exactly, but it made a
//! Gin rebuild 11-13% slower here (paired runs), a price on every reload; build-speed, which
//! builds a handful of times per report, keeps the trace.

use super::build_trace::{summarize, Phases, Span};
use crate::system::procs;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the tree is looked at: the error of each phase's edges. A small package's
/// compile can be over in under 10 ms, so while a go command runs and no link, the tree is
/// looked at every 2 ms at first, then every 1% of the time the build has run so far (at
/// most [`LINKING`]): each look reads one small file per thread of the go command, and at
/// every 2 ms through a 50-package build that cost 100 ms of CPU per reload and made the
/// build about 30% slower on a loaded 2-core machine (30 ms and no slower without the looks;
/// `bench/build_under_run.py --project generated`); a compile in a long build is long too.
/// A link takes most of a second, and other steps (npm, a script) compile no Go, so then
/// every 20 ms. Not run at a lower priority: on a loaded machine (load 136 on 2 cores) a
/// nice-19 thread was starved long enough to miss a package's whole compile.
const COMPILING: Duration = Duration::from_millis(2);
const LINKING: Duration = Duration::from_millis(20);

/// The pause while compiling, `elapsed` into the build.
fn compiling_pause(elapsed: Duration) -> Duration {
    (elapsed / 100).clamp(COMPILING, LINKING)
}

/// A Go tool process the build ran.
#[derive(Debug, Clone, PartialEq)]
enum Tool {
    /// `compile` (with the package after `-p`), `asm` or `cgo`.
    Compile(Option<String>),
    Link,
}

/// The names of the Go tools a build runs as processes.
const TOOLS: [&str; 4] = ["compile", "asm", "cgo", "link"];

/// Which tool a process is, from its name and command line; None for anything else, and for
/// the go command asking a tool its version (`compile -V=full`), which is no build step.
fn tool(comm: &str, args: &[&str]) -> Option<Tool> {
    if args.contains(&"-V=full") {
        return None;
    }
    match comm {
        "compile" => {
            let package = args
                .iter()
                .position(|a| *a == "-p")
                .and_then(|i| args.get(i + 1))
                .map(|p| p.to_string());
            Some(Tool::Compile(package))
        }
        "asm" | "cgo" => Some(Tool::Compile(None)),
        "link" => Some(Tool::Link),
        _ => None,
    }
}

/// What the looks saw: each tool process from the look that first saw it to the look that no
/// longer did, and when each step of the build (a new root process) began.
#[derive(Default)]
struct Seen {
    runs: HashMap<i32, (Tool, Duration, Option<Duration>)>,
    /// (when a root was first seen, the root).
    steps: Vec<(Duration, i32)>,
}

impl Seen {
    fn look(&mut self, at: Duration, root: i32, tools: &[(i32, Tool)], alive: &HashSet<i32>) {
        if root > 0 && self.steps.last().is_none_or(|&(_, r)| r != root) {
            self.steps.push((at, root));
        }
        for (pid, tool) in tools {
            let run = self.runs.entry(*pid).or_insert((tool.clone(), at, None));
            // First seen before its command line was readable: the package comes later.
            if run.0 == Tool::Compile(None) && matches!(tool, Tool::Compile(Some(_))) {
                run.0 = tool.clone();
            }
        }
        for (pid, (_, _, to)) in &mut self.runs {
            if to.is_none() && !alive.contains(pid) {
                *to = Some(at);
            }
        }
    }

    /// The phases; None when no Go tool ran (a build that was up to date, or no Go build).
    /// Loading is the time from the start of the step that ran the first tool to that tool.
    fn phases(self, end: Duration) -> Option<Phases> {
        let first = self.runs.values().map(|r| r.1).min()?;
        let step = self
            .steps
            .iter()
            .rev()
            .find(|(at, _)| *at <= first)
            .map_or(Duration::ZERO, |s| s.0);
        let (mut compiles, mut links) = (vec![], vec![]);
        for (tool, from, to) in self.runs.into_values() {
            let to = to.unwrap_or(end);
            match tool {
                Tool::Compile(package) => compiles.push(Span { package, from, to }),
                Tool::Link => links.push(Span {
                    package: None,
                    from,
                    to,
                }),
            }
        }
        Some(summarize(first - step, compiles, links))
    }
}

/// Watching one build: looks at the tree under `root` (the running step's process, 0 between
/// steps) until [`Watch::finish`].
pub struct Watch {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Option<Phases>>,
}

impl Watch {
    pub fn start(root: Arc<AtomicI32>) -> Watch {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            let t0 = Instant::now();
            let mut seen = Seen::default();
            let mut known = HashMap::new();
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            loop {
                let done = stopping.load(Ordering::SeqCst);
                let root = root.load(Ordering::SeqCst);
                let now = tree(root, &mut known);
                seen.look(t0.elapsed(), root, &now.tools, &now.alive);
                if done {
                    return seen.phases(t0.elapsed());
                }
                std::thread::sleep(now.pause(t0.elapsed(), cores));
            }
        });
        Watch { stop, thread }
    }

    /// Stop looking; the phases come from the thread once it has taken its last look.
    pub fn finish(self) -> JoinHandle<Option<Phases>> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
    }
}

/// The live processes below `root` and which of them are Go tools. A tool's own children (a
/// C compiler under cgo) are not walked: they are inside the tool's time.
struct Tree {
    alive: HashSet<i32>,
    tools: Vec<(i32, Tool)>,
    /// A go command is among them (or nothing has started yet): compiles may start at any
    /// moment.
    go: bool,
}

impl Tree {
    /// How long until the next look, `elapsed` into the build (see [`COMPILING`]). While as
    /// many tools run as the machine has cores, go starts no other (its `-p` defaults to
    /// the core count) and the cores are busy: the next change is an exit, and a look then
    /// would only take CPU from the compiles.
    fn pause(&self, elapsed: Duration, cores: usize) -> Duration {
        let linking = self.tools.iter().any(|(_, t)| *t == Tool::Link);
        match self.go && !linking && self.tools.len() < cores {
            true => compiling_pause(elapsed),
            false => LINKING,
        }
    }
}

/// `known`: the tool each process seen as one was (its command line is read once).
fn tree(root: i32, known: &mut HashMap<i32, Tool>) -> Tree {
    let (mut alive, mut tools) = (HashSet::new(), vec![]);
    // Between steps (root 0) the next may be a go build: look again soon (it costs nothing).
    let mut go = root <= 0 || comm(root) == "go";
    if root > 0 {
        procs::walk(Path::new("/proc"), root, |child| {
            alive.insert(child);
            // A tool is a tool until it exits (its name is not read again at each look).
            if let Some(t) = known.get(&child) {
                tools.push((child, t.clone()));
                return false;
            }
            // A child between fork and exec still has its parent's name: looked at again.
            let comm = comm(child);
            let comm = comm.as_str();
            go |= comm == "go";
            let is_tool = TOOLS.contains(&comm);
            let cmdline = match is_tool {
                true => std::fs::read(format!("/proc/{child}/cmdline")).unwrap_or_default(),
                false => vec![],
            };
            let text = String::from_utf8_lossy(&cmdline);
            let args: Vec<&str> = text.split('\0').collect();
            let found = tool(comm, &args);
            // Just after exec the name is the tool's while the command line is still empty
            // (the kernel sets the name before it maps the arguments): read it again later.
            if let Some(t) = found.as_ref().filter(|_| !cmdline.is_empty()) {
                known.insert(child, t.clone());
            }
            match found {
                Some(t) => {
                    tools.push((child, t));
                    false
                }
                None => true,
            }
        });
    }
    Tree { alive, tools, go }
}

/// A process's name (`/proc/PID/comm`), empty when it is gone.
fn comm(pid: i32) -> String {
    let text = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    text.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_thin_out_as_a_build_goes_on() {
        let ms = Duration::from_millis;
        assert_eq!(compiling_pause(ms(0)), ms(2));
        assert_eq!(compiling_pause(ms(300)), ms(3));
        assert_eq!(compiling_pause(ms(1300)), ms(13));
        assert_eq!(compiling_pause(ms(60_000)), LINKING);
    }

    /// On 2 cores, two compiles at once keep the cores busy and go starts no third: looked
    /// at gently until one exits; one compile leaves room for another to start at once.
    #[test]
    fn looks_wait_while_the_cores_are_busy_compiling() {
        let ms = Duration::from_millis;
        let compile = |pid| (pid, Tool::Compile(None));
        let tree = |tools| Tree {
            alive: HashSet::new(),
            tools,
            go: true,
        };
        assert_eq!(tree(vec![compile(7)]).pause(ms(0), 2), COMPILING);
        assert_eq!(tree(vec![compile(7), compile(8)]).pause(ms(0), 2), LINKING);
        assert_eq!(
            tree(vec![compile(7), compile(8)]).pause(ms(0), 4),
            COMPILING
        );
        assert_eq!(tree(vec![(9, Tool::Link)]).pause(ms(0), 4), LINKING);
    }

    #[test]
    fn tools_are_known_by_name_and_their_package_by_p() {
        assert_eq!(
            tool(
                "compile",
                &[
                    "/go/pkg/tool/compile",
                    "-o",
                    "x.a",
                    "-p",
                    "example.com/shop/handlers"
                ]
            ),
            Some(Tool::Compile(Some("example.com/shop/handlers".into())))
        );
        assert_eq!(tool("link", &["link", "-o", "a.out"]), Some(Tool::Link));
        assert_eq!(tool("asm", &["asm"]), Some(Tool::Compile(None)));
        assert_eq!(tool("compile", &["compile", "-V=full"]), None);
        assert_eq!(tool("go", &["go", "build"]), None);
    }

    /// Two steps (`go generate` then `go build`): loading is measured from the step that ran
    /// the first tool; parallel compiles count once; a tool still running at the end ends there.
    #[test]
    fn phases_from_the_looks() {
        let ms = Duration::from_millis;
        let alive = |pids: &[i32]| pids.iter().copied().collect::<HashSet<_>>();
        let handlers = Tool::Compile(Some("shop/handlers".into()));
        let main = Tool::Compile(Some("main".into()));
        let mut seen = Seen::default();
        seen.look(ms(0), 10, &[], &alive(&[]));
        seen.look(ms(300), 20, &[], &alive(&[21]));
        seen.look(ms(500), 20, &[(22, handlers.clone())], &alive(&[21, 22]));
        seen.look(
            ms(520),
            20,
            &[(22, handlers), (23, main.clone())],
            &alive(&[21, 22, 23]),
        );
        seen.look(ms(570), 20, &[(23, main)], &alive(&[21, 23]));
        seen.look(ms(580), 20, &[(24, Tool::Link)], &alive(&[21, 24]));
        let p = seen.phases(ms(900)).unwrap();
        assert_eq!((p.load, p.compile, p.link), (ms(200), ms(80), ms(320)));
        assert_eq!(p.compiled, vec!["shop/handlers", "main"]);
        // A compile first seen without its command line (just after exec) is named by a
        // later look.
        let mut seen = Seen::default();
        seen.look(ms(0), 20, &[(22, Tool::Compile(None))], &alive(&[22]));
        seen.look(
            ms(10),
            20,
            &[(22, Tool::Compile(Some("main".into())))],
            &alive(&[22]),
        );
        seen.look(ms(20), 20, &[], &alive(&[]));
        assert_eq!(seen.phases(ms(30)).unwrap().compiled, vec!["main"]);
        assert_eq!(Seen::default().phases(ms(5)), None);
    }

    /// A real `go build` of a tiny module, watched: its package compiled, then linked.
    #[test]
    fn a_real_go_build_is_split_into_compile_and_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("go.mod"),
            "module example.com/watched\n\ngo 1.21\n",
        )
        .unwrap();
        // A new constant each time, so the package is never a cache hit; and enough code
        // that the compile outlives a few looks on a loaded machine (a tiny one can be seen
        // only as the zombie go has not reaped yet, whose command line is empty).
        let stamp = format!("{:?}", Instant::now());
        let bulk: String = (0..3000)
            .map(|i| format!("func f{i}(x int) int {{ return x*{i} + len(stamp) }}\n"))
            .collect();
        std::fs::write(
            dir.path().join("main.go"),
            format!(
                "package main\n\nconst stamp = {stamp:?}\n\n{bulk}\nfunc main() {{ println(stamp, f1(1)) }}\n"
            ),
        )
        .unwrap();
        let mut cmd = std::process::Command::new("go");
        cmd.args(["build", "-o", "app", "."])
            .current_dir(dir.path());
        let root = Arc::new(AtomicI32::new(0));
        let watch = Watch::start(root.clone());
        let mut child = cmd.spawn().unwrap();
        root.store(child.id() as i32, Ordering::SeqCst);
        assert!(child.wait().unwrap().success());
        let p = watch.finish().join().unwrap().expect("tools seen");
        assert_eq!(p.compiled, vec!["main"], "{p:?}");
        assert!(
            p.compile > Duration::ZERO && p.link > Duration::ZERO,
            "{p:?}"
        );
    }
}
