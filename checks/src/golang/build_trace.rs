//! Where one `go build` spent its time, from the trace the go command writes with
//! `-debug-trace=FILE` (Chrome trace events: a begin and an end per span): loading the
//! packages, compiling the packages that were not in the build cache, linking. build-speed
//! reads it; the runner watches the build's processes instead ([`super::tool_watch`]), which
//! costs the build nothing, and both summarize through [`summarize`].

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
    let load = spans
        .iter()
        .find(|(n, ..)| *n == "load.PackagesAndErrors")
        .map(|(_, b, e)| e - b)?;
    let compiles = spans
        .iter()
        .filter_map(|&(n, b, e)| {
            let pkg = n
                .strip_prefix("Executing action (build ")?
                .strip_suffix(')')?;
            (!pkg.starts_with("check cache ") && e - b >= COMPILED).then(|| Span {
                package: Some(pkg.to_string()),
                from: micros(b),
                to: micros(e),
            })
        })
        .collect();
    let link = spans
        .iter()
        .filter(|(n, ..)| n.starts_with("Executing action (link "))
        .map(|&(_, b, e)| Span {
            package: None,
            from: micros(b),
            to: micros(e),
        })
        .collect();
    Some(summarize(micros(load), compiles, link))
}

fn micros(us: f64) -> Duration {
    Duration::from_nanos((us.max(0.0) * 1000.0) as u64)
}

/// One compile or link of a build, in time since the build began.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The package compiled, when known.
    pub package: Option<String>,
    pub from: Duration,
    pub to: Duration,
}

/// The phases of a build from its load time and its compile and link spans, however they
/// were observed (Go's trace here, the build's processes in [`super::tool_watch`]).
pub fn summarize(load: Duration, mut compiles: Vec<Span>, links: Vec<Span>) -> Phases {
    let length = |s: &Span| s.to.saturating_sub(s.from);
    let link = links.iter().map(length).sum();
    compiles.sort_by_key(|s| std::cmp::Reverse(length(s)));
    let compiled = compiles.iter().filter_map(|s| s.package.clone()).collect();
    // Packages compile in parallel: the time while any did.
    compiles.sort_by_key(|s| s.from);
    let (mut compile, mut until) = (Duration::ZERO, Duration::ZERO);
    for s in compiles {
        let from = s.from.max(until);
        compile += s.to.saturating_sub(from);
        until = until.max(s.to);
    }
    Phases {
        load,
        compile,
        link,
        compiled,
    }
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
}
