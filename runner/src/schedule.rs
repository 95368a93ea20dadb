//! When a build starts and when its app restarts: `delay` overlapped with the build.
//!
//! air sleeps `delay` after a burst's first event, then builds what is on disk: a save costs
//! delay + build, and the app serves the files as they were `delay` after that first event.
//! The runner starts building once the burst has been quiet for [`QUIET`] (or `delay`, when
//! shorter), builds again when a change comes within the burst's window (the first event +
//! `delay`), and restarts the app once the build of the latest state is done and the window
//! has passed: the state air serves, in max(delay, build) instead of delay + build.
//! `--air-timing` gives air's timing back: the build starts when the window ends.
//!
//! Pure: the loop reports what happened with its clock, and gets told what to do.

use std::time::{Duration, Instant};

/// The pause that ends a burst (the runner's default `delay`): long enough for a
/// `git checkout` of many files or an editor's save dance to land in one build.
pub const QUIET: Duration = Duration::from_millis(50);

/// What to do with a build that ended.
#[derive(Debug, PartialEq)]
pub enum Decision<T> {
    /// Act on it now: restart the app with it (or report its failure).
    Now(T),
    /// Kept until its window ends ([`Schedule::wake`], then [`Schedule::due`]).
    Hold,
    /// A change within its window is waiting: the build of that newer state replaces it.
    Replace(T),
}

/// A finished build waiting for its window to end.
#[derive(Debug)]
struct Held<T> {
    until: Instant,
    build: T,
}

#[derive(Debug)]
pub struct Schedule<T> {
    delay: Duration,
    air_timing: bool,
    /// The first change seen while the running build runs (judged when it ends).
    during: Option<Instant>,
    held: Option<Held<T>>,
}

impl<T> Schedule<T> {
    pub fn new(delay: Duration, air_timing: bool) -> Schedule<T> {
        Schedule {
            delay,
            air_timing,
            during: None,
            held: None,
        }
    }

    /// How long changes must pause before a build starts (the debounce's quiet period).
    pub fn quiet(&self) -> Duration {
        self.delay.min(QUIET)
    }

    /// When a batch whose first change came at `since`, quiet at `due`, may start building.
    /// Changes that go on past the window are a stream (a program rewriting a file), not a
    /// save: its build waits for a pause of `delay`, so the app is not restarted at every
    /// short stall of the stream.
    pub fn build_at(&self, since: Instant, due: Instant) -> Instant {
        let last = due - self.quiet();
        if self.air_timing {
            due.max(since + self.delay)
        } else if last > since + self.delay {
            last + self.delay
        } else {
            due
        }
    }

    /// A build starts: a held build is superseded by it, and returned, so the new build
    /// takes over its changes and its window (both serve the same burst).
    pub fn started(&mut self) -> Option<T> {
        self.during = None;
        self.held.take().map(|h| h.build)
    }

    /// A change came at `now` while a build runs (whether it asks for another build is
    /// known when the build ends).
    pub fn changed_during(&mut self, now: Instant) {
        self.during.get_or_insert(now);
    }

    /// A build ended at `now`. `since`: when its batch's first change came (None for the
    /// start-up build, which serves at once, as air's first run does); `waiting`: when the
    /// first change that waits to be built came, if one does; `ok`: it built (a failure is
    /// never held: the app it would replace keeps running anyway).
    pub fn built(
        &mut self,
        since: Option<Instant>,
        now: Instant,
        waiting: Option<Instant>,
        ok: bool,
        build: T,
    ) -> Decision<T> {
        let during = self.during.take();
        let Some(since) = since else {
            return Decision::Now(build);
        };
        let window = since + self.delay;
        // A change judged when the build ended was seen during it: it counts from then.
        let newer = waiting.map(|w| during.map_or(w, |d| d.min(w)));
        if newer.is_some_and(|t| t <= window) && !self.air_timing {
            return Decision::Replace(build);
        }
        if !ok || self.air_timing || now >= window {
            return Decision::Now(build);
        }
        self.held = Some(Held {
            until: window,
            build,
        });
        Decision::Hold
    }

    /// When the held build's window ends, if one is held and that end can release it: with a
    /// change from within the window waiting (`waiting`, as [`Schedule::due`] takes it), the
    /// change's own build decides, so the past window end is no wake-up. (Returned anyway, it
    /// made the loop wait zero time over and over while a stream of changes kept that build
    /// from starting: a spinning core.)
    pub fn wake(&self, waiting: Option<Instant>) -> Option<Instant> {
        let h = self.held.as_ref()?;
        match waiting.is_some_and(|w| w <= h.until) {
            true => None,
            false => Some(h.until),
        }
    }

    /// The held build, once its window has ended at `now` and no change from within the
    /// window waits (`waiting`: when the first waiting change came): that change's build
    /// supersedes it, or, if it turns out to change nothing, it is released then.
    pub fn due(&mut self, now: Instant, waiting: Option<Instant>) -> Option<T> {
        let h = self.held.as_ref()?;
        if now < h.until || waiting.is_some_and(|w| w <= h.until) {
            return None;
        }
        self.held.take().map(|h| h.build)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn the_quiet_period_is_the_delay_up_to_50_ms() {
        assert_eq!(Schedule::<()>::new(ms(1000), false).quiet(), ms(50));
        assert_eq!(Schedule::<()>::new(ms(1), false).quiet(), ms(1));
        assert_eq!(Schedule::<()>::new(ms(0), true).quiet(), ms(0));
    }

    /// delay = 1000, a build of 300 ms: it starts once the save is quiet, and the app restarts
    /// when the window ends, at 1000 ms, not at 50 + 300 nor at 1000 + 300.
    #[test]
    fn a_fast_build_is_held_until_the_window_ends() {
        let t0 = Instant::now();
        let mut s = Schedule::new(ms(1000), false);
        assert_eq!(s.build_at(t0, t0 + ms(50)), t0 + ms(50));
        assert_eq!(s.started(), None);
        assert_eq!(
            s.built(Some(t0), t0 + ms(350), None, true, "b1"),
            Decision::Hold
        );
        assert_eq!(s.wake(None), Some(t0 + ms(1000)));
        assert_eq!(s.due(t0 + ms(999), None), None);
        assert_eq!(s.due(t0 + ms(1000), None), Some("b1"));
        assert_eq!(s.wake(None), None);
    }

    /// A build of 3 s with delay = 1000: the app restarts when it ends.
    #[test]
    fn a_slow_build_restarts_at_once() {
        let t0 = Instant::now();
        let mut s = Schedule::new(ms(1000), false);
        s.started();
        assert_eq!(
            s.built(Some(t0), t0 + ms(3050), None, true, "b1"),
            Decision::Now("b1")
        );
        assert_eq!(s.wake(None), None);
    }

    /// A second save within the window, while the first build is held: the held build is
    /// superseded by the next, which keeps the first save's window.
    #[test]
    fn a_change_within_the_window_replaces_a_held_build() {
        let t0 = Instant::now();
        let mut s = Schedule::new(ms(1000), false);
        s.started();
        assert_eq!(
            s.built(Some(t0), t0 + ms(350), None, true, 1),
            Decision::Hold
        );
        // Saved at 600 ms: while its quiet period runs, the window's end does not release
        // the held build, nor is it a time to wake up at.
        assert_eq!(s.due(t0 + ms(1000), Some(t0 + ms(990))), None);
        assert_eq!(s.wake(Some(t0 + ms(990))), None);
        assert_eq!(s.wake(Some(t0 + ms(1001))), Some(t0 + ms(1000)));
        assert_eq!(s.started(), Some(1));
        assert_eq!(s.due(t0 + ms(2000), None), None);
        // The replacing build ended after the window: served at once.
        assert_eq!(
            s.built(Some(t0), t0 + ms(1400), None, true, 2),
            Decision::Now(2)
        );
    }

    /// A change waiting when the window ends that turns out to change nothing
    /// (exclude_unchanged): the held build is released once nothing waits.
    #[test]
    fn a_held_build_is_released_when_the_waiting_change_builds_nothing() {
        let t0 = Instant::now();
        let mut s = Schedule::new(ms(1000), false);
        s.started();
        s.built(Some(t0), t0 + ms(300), None, true, 1);
        assert_eq!(s.due(t0 + ms(1001), Some(t0 + ms(980))), None);
        assert_eq!(s.due(t0 + ms(1031), None), Some(1));
    }

    /// A change seen during the build, within the window, that asks for another build when
    /// the build ends: the build is replaced, even if the build ended after the window.
    #[test]
    fn a_change_during_the_build_within_the_window_replaces_it() {
        let t0 = Instant::now();
        let mut s = Schedule::new(ms(1000), false);
        s.started();
        s.changed_during(t0 + ms(500));
        s.changed_during(t0 + ms(1500));
        let waiting = Some(t0 + ms(2000));
        assert_eq!(
            s.built(Some(t0), t0 + ms(2000), waiting, true, 1),
            Decision::Replace(1)
        );
        // A change after the window is a new burst: the build serves, the next follows.
        s.started();
        s.changed_during(t0 + ms(1500));
        assert_eq!(
            s.built(Some(t0), t0 + ms(2000), waiting, true, 2),
            Decision::Now(2)
        );
        // A change during the build that asks for nothing (the build's own identical
        // write) holds nothing back.
        s.started();
        s.changed_during(t0 + ms(100));
        assert_eq!(
            s.built(Some(t0), t0 + ms(400), None, true, 3),
            Decision::Hold
        );
    }

    /// A change 1.2 s into a burst that began with delay = 1000: a stream; it builds after a
    /// pause of the whole delay.
    #[test]
    fn changes_that_outlast_the_window_wait_for_a_pause_of_delay() {
        let t0 = Instant::now();
        let s = Schedule::<()>::new(ms(1000), false);
        assert_eq!(s.build_at(t0, t0 + ms(950)), t0 + ms(950));
        assert_eq!(s.build_at(t0, t0 + ms(1250)), t0 + ms(2200));
    }

    #[test]
    fn the_start_up_build_and_a_failed_build_act_at_once() {
        let t0 = Instant::now();
        let mut s = Schedule::new(ms(1000), false);
        assert_eq!(s.built(None, t0, None, true, 1), Decision::Now(1));
        assert_eq!(
            s.built(Some(t0), t0 + ms(80), None, false, 2),
            Decision::Now(2)
        );
        assert_eq!(
            s.built(Some(t0), t0 + ms(80), Some(t0 + ms(70)), false, 3),
            Decision::Replace(3)
        );
    }

    /// `--air-timing`: the build starts when the window ends and its app restarts when it
    /// is done: delay + build.
    #[test]
    fn air_timing_builds_after_the_window_and_restarts_at_once() {
        let t0 = Instant::now();
        let mut s = Schedule::new(ms(1000), true);
        assert_eq!(s.quiet(), ms(50));
        assert_eq!(s.build_at(t0, t0 + ms(50)), t0 + ms(1000));
        assert_eq!(s.build_at(t0, t0 + ms(1200)), t0 + ms(1200));
        s.started();
        assert_eq!(
            s.built(Some(t0), t0 + ms(1300), Some(t0 + ms(1100)), true, 1),
            Decision::Now(1)
        );
    }
}
