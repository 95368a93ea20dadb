//! Ctrl-C, SIGTERM and SIGHUP during the report: stop the commands the checks run (their
//! process groups) and remove their temp folders, then die of the signal once the probes'
//! scratch folders are gone (the shell reports 130 for Ctrl-C). Outside the checks (a fix
//! being written, verify restoring a file) the signal is only noted, so that work
//! finishes; the command then exits 130.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::sync::atomic::{AtomicBool, Ordering};

static CHECKING: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Install the handler (a thread that waits for the signals).
pub fn install() -> Result<(), String> {
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| format!("cannot handle signals: {e}"))?;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            INTERRUPTED.store(true, Ordering::SeqCst);
            if CHECKING.load(Ordering::SeqCst) {
                crate::progress::clear_now();
                checks::system::interrupt::clean_up();
                checks::probe::scratch::on_signal::die_when_clear(signal);
            }
        }
    });
    Ok(())
}

/// Run the checks with a signal ending them at once (and cleaning up).
pub fn checking<T>(work: impl FnOnce() -> T) -> T {
    CHECKING.store(true, Ordering::SeqCst);
    if INTERRUPTED.load(Ordering::SeqCst) {
        std::process::exit(130);
    }
    let out = work();
    CHECKING.store(false, Ordering::SeqCst);
    out
}

/// Whether a signal arrived outside the checks.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
