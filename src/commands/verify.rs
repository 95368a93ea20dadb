//! `reload-doctor verify`: drive a real save through the reload loop and print the verdict.

use crate::cli::Cli;
use crate::progress;
use crate::style::Style;
use crate::verify;
use checks::{Context, Options, System};
use reload_doctor_checks as checks;

/// `reload-doctor verify`.
pub fn verify_cmd(
    cli: &Cli,
    style: Style,
    with: Option<&str>,
    port: Option<u16>,
    rounds: usize,
) -> Result<u8, String> {
    let ctx = Context::new(
        super::project(cli, port)?,
        System::live(),
        Options::default(),
    );
    // A reloader that is not installed: verify could not run (exit 2), nothing failed.
    crate::verify::reloader::command_for(with, &ctx.project)?;
    // Ctrl-C and SIGTERM end every wait; the file is restored and the reloader stopped.
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let which = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, interrupted.clone()).map_err(|e| e.to_string())?;
        signal_hook::flag::register_usize(signal, which.clone(), signal as usize)
            .map_err(|e| e.to_string())?;
    }
    let progress = progress::Progress::start("verifying", 1 + 2 * rounds, !cli.global.json);
    let verdict = verify::verify(&ctx, with, rounds, interrupted.clone(), &progress.done);
    drop(progress);
    if cli.global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&verdict).map_err(|e| e.to_string())?
        );
    } else {
        let width = crate::wrap::width();
        print!(
            "{}",
            crate::wrap::lines(&verify::render(&verdict, style, width), width)
        );
    }
    let signal = which.load(std::sync::atomic::Ordering::SeqCst) as i32;
    Ok(if let Some(code) = crate::interrupt::after_signal(signal) {
        code
    } else if verdict.ok {
        0
    } else {
        1
    })
}
