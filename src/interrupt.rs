//! Ctrl-C, SIGTERM and SIGHUP during the report: stop the commands the checks run (their
//! process groups) and remove their temp folders, then die of the signal once the probes'
//! scratch folders are gone (the shell reports 130 for Ctrl-C). Outside the checks (a fix
//! being written, verify restoring a file) the signal is only noted, so that work
//! finishes; the command then exits as a shell reports that death: 128 + the signal's number
//! ([`exit_code`]), the one rule of every subcommand.

use reload_doctor_checks as checks;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

/// Whether the checks run, and the signal that ended them (0 while none did). One lock, so
/// the checks cannot end between the handler seeing them run and its clean-up: the main
/// thread would otherwise return and exit 130 while the handler still removes temp folders.
static CHECKS: Mutex<(bool, i32)> = Mutex::new((false, 0));
/// The signal that arrived (0 while none did).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Install the handler (a thread that waits for the signals).
pub fn install() -> Result<(), String> {
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| format!("cannot handle signals: {e}"))?;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            SIGNAL.store(signal, Ordering::SeqCst);
            let mut checks = lock();
            if checks.0 && checks.1 == 0 {
                checks.1 = signal;
                crate::progress::clear_now();
                checks::system::interrupt::clean_up();
                drop(checks);
                checks::probe::scratch::on_signal::die_when_clear(signal);
            }
        }
    });
    Ok(())
}

fn lock() -> std::sync::MutexGuard<'static, (bool, i32)> {
    CHECKS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Run the checks with a signal ending them at once (and cleaning up).
pub fn checking<T>(work: impl FnOnce() -> T) -> T {
    lock().0 = true;
    if let Some(code) = exit_code() {
        std::process::exit(code.into());
    }
    let out = work();
    let signal = {
        let mut checks = lock();
        checks.0 = false;
        checks.1
    };
    if signal != 0 {
        // The handler cleaned up; the checks ended because it stopped their commands. Die
        // of the signal as the handler does, once the last scratch folder is gone.
        checks::probe::scratch::on_signal::die_when_clear(signal);
        loop {
            std::thread::park();
        }
    }
    out
}

/// Whether a signal arrived outside the checks.
pub fn interrupted() -> bool {
    exit_code().is_some()
}

/// The exit status after the signal that arrived, if one did.
pub fn exit_code() -> Option<u8> {
    after_signal(SIGNAL.load(Ordering::SeqCst))
}

pub use checks::system::supervise::after_signal;
