//! Where one `go build` spent its time, from the trace the go command writes with
//! `-debug-trace=FILE` (Chrome trace events: a begin and an end per span): loading the
//! packages, compiling the packages that were not in the build cache, linking.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// A package build action shorter than this was a build-cache hit, not a compile (a hit
/// takes microseconds; compiling the smallest package takes milliseconds).
const COMPILED: f64 = 3_000.0;

/// The phases of one build. They overlap the rest of the build (cache checks, the go
/// command's start), so they need not add up to its wall time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Phases {
    /// Loading and resolving the packages (`go list`'s work).
    pub load: Duration,
    /// Wall time while any package compiled.
    pub compile: Duration,
    pub link: Duration,
    /// Import paths of the packages compiled, slowest first.
    pub compiled: Vec<String>,
}

#[derive(Deserialize)]
struct Event {
    name: String,
    ph: String,
    /// Microseconds.
    ts: f64,
    #[serde(default)]
    tid: u64,
}

/// The phases in the trace at `path`; None when it is missing or not a go trace.
pub fn read(path: &Path) -> Option<Phases> {
    let file = std::fs::File::open(path).ok()?;
    let events: Vec<Event> = serde_json::from_reader(std::io::BufReader::new(file)).ok()?;
    phases(&events)
}

fn phases(events: &[Event]) -> Option<Phases> {
    let mut open: HashMap<(&str, u64), f64> = HashMap::new();
    let mut spans: Vec<(&str, f64, f64)> = vec![];
    for e in events {
        match e.ph.as_str() {
            "B" => {
                open.insert((&e.name, e.tid), e.ts);
            }
            "E" => {
                if let Some(start) = open.remove(&(e.name.as_str(), e.tid)) {
                    spans.push((&e.name, start, e.ts));
                }
            }
            _ => {}
        }
    }
    let micros = |us: f64| Duration::from_nanos((us.max(0.0) * 1000.0) as u64);
    let load = spans
        .iter()
        .find(|(n, ..)| *n == "load.PackagesAndErrors")
        .map(|(_, b, e)| e - b)?;
    let mut compiles: Vec<(&str, f64, f64)> = spans
        .iter()
        .filter_map(|&(n, b, e)| {
            let pkg = n
                .strip_prefix("Executing action (build ")?
                .strip_suffix(')')?;
            (!pkg.starts_with("check cache ") && e - b >= COMPILED).then_some((pkg, b, e))
        })
        .collect();
    let link: f64 = spans
        .iter()
        .filter(|(n, ..)| n.starts_with("Executing action (link "))
        .map(|(_, b, e)| e - b)
        .sum();
    compiles.sort_by(|a, b| (b.2 - b.1).total_cmp(&(a.2 - a.1)));
    let compiled = compiles.iter().map(|(p, ..)| p.to_string()).collect();
    // Packages compile in parallel: the time while any did.
    compiles.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (mut compile, mut until) = (0.0, f64::MIN);
    for (_, b, e) in compiles {
        let from = b.max(until);
        if e > from {
            compile += e - from;
        }
        until = until.max(e);
    }
    Some(Phases {
        load: micros(load),
        compile: micros(compile),
        link: micros(link),
        compiled,
    })
}

/// A command line that is one plain `go build` can be traced: `-debug-trace=FILE` is added
/// after `go build` (None when it already has one or is more than one command, a script).
pub fn traced(cmd: &str, trace: &Path) -> Option<String> {
    let rest = cmd.trim_start().strip_prefix("go build ")?;
    let plain = super::build_plan::split_commands(cmd).len() == 1
        && !cmd.contains(['$', '`', '>', '<', '|', ';', '&', '\n'])
        && !cmd.contains("-debug-trace");
    let file = trace.to_str()?;
    let quoted = file
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b));
    (plain && quoted).then(|| format!("go build -debug-trace={file} {rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, ph: &str, ts: f64, tid: u64) -> Event {
        Event {
            name: name.into(),
            ph: ph.into(),
            ts,
            tid,
        }
    }

    /// The shape of a real trace (go1.26): a cache hit, two compiles in parallel, a link.
    #[test]
    fn phases_of_a_rebuild() {
        let b = "Executing action (build example.com/shop/handlers)";
        let m = "Executing action (build example.com/shop)";
        let hit = "Executing action (build internal/goarch)";
        let check = "Executing action (build check cache example.com/shop)";
        let link = "Executing action (link example.com/shop)";
        let events = vec![
            event("load.PackagesAndErrors", "B", 0.0, 0),
            event("load.PackagesAndErrors", "E", 300_000.0, 0),
            event(hit, "B", 310_000.0, 1),
            event(hit, "E", 310_030.0, 1),
            event(check, "B", 310_000.0, 2),
            event(check, "E", 350_000.0, 2),
            event(b, "B", 400_000.0, 1),
            event(m, "B", 420_000.0, 2),
            event(b, "E", 470_000.0, 1),
            event(m, "E", 480_000.0, 2),
            event(link, "B", 480_000.0, 1),
            event(link, "E", 600_000.0, 1),
        ];
        let p = phases(&events).unwrap();
        let ms = Duration::from_millis;
        assert_eq!((p.load, p.compile, p.link), (ms(300), ms(80), ms(120)));
        assert_eq!(
            p.compiled,
            vec!["example.com/shop/handlers", "example.com/shop"]
        );
    }

    #[test]
    fn only_a_plain_go_build_is_traced() {
        let t = Path::new("/tmp/rd-trace.json");
        assert_eq!(
            traced("go build -o ./tmp/main .", t).as_deref(),
            Some("go build -debug-trace=/tmp/rd-trace.json -o ./tmp/main .")
        );
        for cmd in [
            "go generate ./... && go build -o ./tmp/main .",
            "make build",
            "go build -debug-trace=x.json -o ./tmp/main .",
            "go build -o ./tmp/main . > log",
        ] {
            assert_eq!(traced(cmd, t), None, "{cmd}");
        }
        assert_eq!(traced("go build .", Path::new("/tmp/a b.json")), None);
    }
}
