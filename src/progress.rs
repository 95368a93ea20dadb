//! A one-line spinner on stderr while slow work runs, only when a person is watching (stdout
//! and stderr are both terminals: a piped report or one read by a pager gets none of it) and
//! only after the work has taken long enough to notice.
//!
//! Lines printed while the spinner shows go through [`suspend`], which clears the spinner line
//! first; the spinner redraws below them on its next tick. Written here rather than with
//! indicatif: one line with a label is all we draw, and this needs no crate beyond libc.

use reload_doctor_checks as checks;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Shown after this long; a fast report never flickers.
const SHOW_AFTER: Duration = Duration::from_millis(300);
const TICK: Duration = Duration::from_millis(100);
const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Whether a spinner line is on screen now. Every write to the terminal while a spinner
/// may show holds this lock (through [`suspend`]), so lines never land inside the spinner.
static DRAWN: Mutex<bool> = Mutex::new(false);

fn drawn() -> MutexGuard<'static, bool> {
    DRAWN.lock().unwrap_or_else(|e| e.into_inner())
}

fn clear(drawn: &mut bool) {
    if *drawn {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
        *drawn = false;
    }
}

/// Whether a spinner may be drawn: a person watches both output streams.
pub fn wanted() -> bool {
    std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Run `print` with the spinner line cleared (it is redrawn on its next tick).
pub fn suspend<T>(print: impl FnOnce() -> T) -> T {
    let mut drawn = drawn();
    clear(&mut drawn);
    print()
}

/// Clear the spinner line from a signal handler's thread: never waits for the lock (a
/// printing thread that holds it ends with the process anyway).
pub fn clear_now() {
    if let Ok(mut drawn) = DRAWN.try_lock() {
        clear(&mut drawn);
    }
}

/// A spinner showing what `label` says, until dropped (the line is then cleared).
pub struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Spinner {
    /// Draws nothing unless `enabled` and [`wanted`]. `label` is asked on every tick, with the
    /// time since the start; `None` draws nothing on that tick.
    pub fn start(
        enabled: bool,
        label: impl Fn(Duration) -> Option<String> + Send + 'static,
    ) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = (enabled && wanted()).then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || spin(&label, &stop))
        });
        Spinner { stop, thread }
    }
}

fn spin(label: &dyn Fn(Duration) -> Option<String>, stop: &AtomicBool) {
    let start = Instant::now();
    let mut frame = 0;
    loop {
        // Parked, so that a drop wakes the thread at once.
        std::thread::park_timeout(TICK);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if start.elapsed() < SHOW_AFTER {
            continue;
        }
        // The label first, without the lock: it may take the caller's own locks.
        let Some(text) = label(start.elapsed()) else {
            continue;
        };
        let line = fit(&format!("{} {text}", FRAMES[frame % FRAMES.len()]));
        frame += 1;
        let mut on_screen = drawn();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        *on_screen = true;
    }
    clear(&mut drawn());
}

/// One terminal line: longer text would wrap, and `\r` would clear only its last part.
fn fit(line: &str) -> String {
    let width = crate::wrap::columns(libc::STDERR_FILENO).unwrap_or(80);
    let max = width.saturating_sub(1).max(10);
    if line.chars().count() <= max {
        return line.to_string();
    }
    let mut cut: String = line.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// A spinner counting `done` steps out of `total`: `verifying 2/3`.
pub struct Progress {
    pub done: Arc<AtomicUsize>,
    _spinner: Spinner,
}

impl Progress {
    pub fn start(what: &'static str, total: usize, enabled: bool) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let counted = done.clone();
        let spinner = Spinner::start(enabled, move |elapsed| {
            let n = counted.load(Ordering::Relaxed);
            Some(format!(
                "{what} {n}/{total} · {}",
                checks::text::duration(elapsed.as_secs_f64() * 1000.0)
            ))
        });
        Progress {
            done,
            _spinner: spinner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_label_fits_one_line() {
        let long = "x".repeat(500);
        let line = fit(&long);
        assert!(line.chars().count() < 500);
        assert!(line.ends_with('…'));
        assert_eq!(fit("compile 1.2 s"), "compile 1.2 s");
    }
}
