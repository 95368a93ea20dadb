//! A one-line spinner on stderr while slow work runs, only when a person is watching
//! (stderr is a terminal) and only after the work has taken long enough to notice.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Shown after this long; a fast report never flickers.
const SHOW_AFTER: Duration = Duration::from_millis(300);

pub struct Progress {
    pub done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Start counting `total` steps of `what`; draws nothing unless `enabled` and on a terminal.
    pub fn start(what: &'static str, total: usize, enabled: bool) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = (enabled && std::io::stderr().is_terminal()).then(|| {
            let (done, stop) = (done.clone(), stop.clone());
            std::thread::spawn(move || spin(what, total, &done, &stop))
        });
        Progress { done, stop, thread }
    }
}

fn spin(what: &str, total: usize, done: &AtomicUsize, stop: &AtomicBool) {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let start = Instant::now();
    let mut drawn = false;
    let mut frame = 0;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() < SHOW_AFTER {
            continue;
        }
        let n = done.load(Ordering::Relaxed);
        eprint!("\r{} {what} {n}/{total} ", FRAMES[frame % FRAMES.len()]);
        let _ = std::io::stderr().flush();
        frame += 1;
        drawn = true;
    }
    if drawn {
        eprint!("\r\x1b[2K");
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
