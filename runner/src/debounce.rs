//! A trailing, resettable debounce: a burst of changes of any size gives one build, a quiet
//! period after the last change (see [`crate::schedule`] for how it meets air's `delay`).
//! (air sleeps a fixed `delay` after the first change and drops what came in meanwhile, so a
//! long burst can give two builds or miss the last file.)

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The changes that make one build.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The first changed path (root-relative), for the reload line.
    pub first: PathBuf,
    /// How many distinct paths changed.
    pub events: usize,
    /// The distinct paths (filled when the batch is taken).
    pub paths: Vec<PathBuf>,
    /// When the first change was seen: the start of the reload's timings.
    pub since: Instant,
    /// A full rebuild was asked for (queue overflow, start-up).
    pub full: bool,
}

impl Batch {
    /// `handlers/user.go`, `handlers/user.go +12`, or `start` for a full build.
    pub fn cause(&self) -> String {
        let first = self.first.display().to_string();
        match self.events {
            0 | 1 => first,
            n => format!("{first} +{} more", n - 1),
        }
    }

    /// This batch, taken after an `older` one whose build it replaces, as one batch: the
    /// older one's first change (and so its `delay` window), the paths of both.
    pub fn after(self, older: Batch) -> Batch {
        let mut paths = older.paths.clone();
        let added = self.paths.into_iter().filter(|p| !older.paths.contains(p));
        paths.extend(added);
        Batch {
            events: older.events + paths.len() - older.paths.len(),
            full: older.full || self.full,
            paths,
            ..older
        }
    }
}

#[derive(Debug)]
pub struct Debounce {
    delay: Duration,
    pending: Option<Batch>,
    due: Option<Instant>,
    /// Paths of the pending batch, to count each file once.
    seen: HashSet<PathBuf>,
    /// The stream of changes with no pause of `pause` so far: when it began, how many
    /// changes, the last path, and whether it was reported.
    stream: Option<Stream>,
    /// The pause that ends a stream (`delay`, which may be longer than the quiet period).
    pause: Duration,
}

/// Changes that keep the build waiting (see [`Debounce::nonstop`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub since: Instant,
    pub changes: u64,
    pub last: PathBuf,
    /// When the last change came.
    at: Instant,
    reported: bool,
}

/// How long changes may come without a pause before the runner says so.
pub const NONSTOP: Duration = Duration::from_secs(10);

impl Debounce {
    pub fn new(delay: Duration) -> Debounce {
        Debounce {
            delay,
            pending: None,
            due: None,
            seen: HashSet::new(),
            stream: None,
            pause: delay,
        }
    }

    /// A stream of changes ends only at a pause of `pause` (at least the quiet period).
    pub fn stream_pause(self, pause: Duration) -> Debounce {
        Debounce {
            pause: pause.max(self.delay),
            ..self
        }
    }

    /// Record one change seen at `now`; the build is pushed back to `now + delay`.
    pub fn push(&mut self, path: PathBuf, now: Instant) {
        let paused = self
            .stream
            .as_ref()
            .map_or(true, |s| s.at + self.pause <= now);
        match &mut self.stream {
            Some(s) if !paused => {
                s.changes += 1;
                s.last.clone_from(&path);
                s.at = now;
            }
            _ => {
                self.stream = Some(Stream {
                    since: now,
                    changes: 1,
                    last: path.clone(),
                    at: now,
                    reported: false,
                })
            }
        }
        self.due = Some(now + self.delay);
        if !self.seen.insert(path.clone()) {
            return;
        }
        match &mut self.pending {
            Some(b) => b.events += 1,
            None => {
                self.pending = Some(Batch {
                    first: path,
                    events: 1,
                    paths: vec![],
                    since: now,
                    full: false,
                })
            }
        }
    }

    /// Put back the batch of a cancelled build, so its cause and its start time carry over
    /// to the build that replaces it.
    pub fn requeue(&mut self, batch: Batch) {
        self.seen.insert(batch.first.clone());
        self.seen.extend(batch.paths.iter().cloned());
        self.pending = Some(match self.pending.take() {
            None => batch,
            Some(p) => Batch {
                events: batch.events + p.events,
                full: batch.full || p.full,
                ..batch
            },
        });
    }

    /// Ask for a full rebuild (named `cause`), merged into any pending batch.
    pub fn push_full(&mut self, cause: &str, now: Instant) {
        self.push(PathBuf::from(cause), now);
        if let Some(b) = &mut self.pending {
            b.full = true;
        }
    }

    /// When the pending batch is due, if there is one.
    pub fn due(&self) -> Option<Instant> {
        self.due
    }

    /// When the pending batch's first change came, if there is one.
    pub fn since(&self) -> Option<Instant> {
        self.pending.as_ref().map(|b| b.since)
    }

    /// Changes have come for [`NONSTOP`] with no pause long enough to build: the stream, once
    /// per stream.
    pub fn nonstop(&mut self, now: Instant) -> Option<Stream> {
        let s = self.stream.as_mut()?;
        if s.reported || now.duration_since(s.since) < NONSTOP {
            return None;
        }
        s.reported = true;
        Some(s.clone())
    }

    /// The batch, once its quiet period has passed.
    pub fn take_due(&mut self, now: Instant) -> Option<Batch> {
        if self.due.is_some_and(|d| d <= now) {
            self.due = None;
            let paths = self.seen.drain().collect();
            return self.pending.take().map(|b| Batch { paths, ..b });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_gives_one_batch_after_the_last_event() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut d = Debounce::new(ms(50));
        for i in 0..2000 {
            d.push(PathBuf::from(format!("f{i}.go")), t0 + ms(i / 100));
            assert_eq!(d.take_due(t0 + ms(i / 100)), None);
        }
        assert_eq!(d.due(), Some(t0 + ms(19 + 50)));
        assert_eq!(d.take_due(t0 + ms(68)), None);
        let b = d.take_due(t0 + ms(69)).unwrap();
        assert_eq!((b.events, b.paths.len(), b.since), (2000, 2000, t0));
        assert_eq!(b.cause(), "f0.go +1999 more");
        assert_eq!(d.take_due(t0 + ms(500)), None);
    }

    /// A change every 10 ms for 12 s never pauses for 50 ms: the build waits, the stream is
    /// reported once after 10 s, and the build follows the pause.
    #[test]
    fn a_stream_without_a_pause_is_reported_once_and_builds_after_it() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut d = Debounce::new(ms(50));
        let mut reported = vec![];
        for i in 0..1200 {
            let now = t0 + ms(i * 10);
            d.push(PathBuf::from("data.go"), now);
            assert_eq!(d.take_due(now), None);
            reported.extend(d.nonstop(now).map(|s| (i, s.changes, s.last)));
        }
        assert_eq!(reported, vec![(1000, 1001, PathBuf::from("data.go"))]);
        let b = d.take_due(t0 + ms(11990 + 50)).unwrap();
        assert_eq!(b.since, t0);
        // After the pause, a new stream starts from nothing.
        d.push("a.go".into(), t0 + ms(13000));
        assert_eq!(d.nonstop(t0 + ms(13000)), None);
    }

    #[test]
    fn a_batch_after_a_held_one_keeps_its_first_change_and_counts_each_path_once() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut d = Debounce::new(ms(50));
        d.push("main.go".into(), t0);
        let held = d.take_due(t0 + ms(50)).unwrap();
        d.push("main.go".into(), t0 + ms(600));
        d.push("files/f.go".into(), t0 + ms(600));
        let b = d.take_due(t0 + ms(650)).unwrap().after(held);
        assert_eq!((b.since, b.events), (t0, 2));
        assert_eq!(b.cause(), "main.go +1 more");
    }

    #[test]
    fn zero_delay_is_due_at_once() {
        let t0 = Instant::now();
        let mut d = Debounce::new(Duration::ZERO);
        d.push("a.go".into(), t0);
        assert_eq!(d.take_due(t0).unwrap().cause(), "a.go");
    }
}
