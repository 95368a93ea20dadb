//! What the runner tells people (one line per reload) and tools (`--json`: one JSON object
//! per line on stdout, with an `event` field). Build and app output go to stderr in both modes.
//!
//! The runner's lines quote file names, config values and command lines read from /proc: each
//! goes through [`visible`] before it is styled, so none can act on the terminal. The app's
//! and the build steps' own output is theirs and is relayed as it is (see `app` and `build`).

use crate::progress::Spinner;
use crate::style::Style;
use checks::engine::CheckResult;
use checks::golang::build_trace::Phases;
use checks::reloaders::air::runner::Log;
use checks::system::sockets;
use checks::text::visible;
use reload_doctor_checks as checks;
use runner::{Report, Stream, Timings};
use serde_json::{json, Value};
use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

pub struct Reporter {
    pub json: bool,
    pub style: Style,
    pub log: Log,
    /// On a terminal, the first build's `building… 12.4 s` until the next line is printed.
    pub ticker: Mutex<Option<Spinner>>,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// A duration in the style every output uses (`85 ms`, `1.2 s`).
fn whole_ms(d: Duration) -> String {
    checks::text::duration(ms(d))
}

impl Reporter {
    fn emit(&self, event: &str, mut fields: Value, human: Option<String>, important: bool) {
        if self.json {
            fields["schema_version"] = json!(crate::report::SCHEMA_VERSION);
            fields["time"] = json!(utc_now());
            fields["event"] = json!(event);
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{fields}");
            let _ = out.flush();
            return;
        }
        let Some(line) = human else { return };
        if self.log.silent || (self.log.main_only && !important) {
            return;
        }
        let stamp = if self.log.time {
            format!("{} ", clock())
        } else {
            String::new()
        };
        self.build_ended();
        // Fitted to the terminal beside the stamp; continuation lines go under the stamp's end.
        let width = crate::wrap::width().map(|w| w.saturating_sub(stamp.len()));
        let pad = " ".repeat(stamp.len());
        let mut out = std::io::stdout().lock();
        for (i, l) in crate::wrap::lines(&line, width).lines().enumerate() {
            let _ = writeln!(out, "{}{l}", if i == 0 { &stamp } else { &pad });
        }
        let _ = out.flush();
    }
}

impl Report for Reporter {
    /// An informational line (watch mode, config notes).
    fn note(&self, message: &str) {
        self.emit(
            "note",
            json!({"message": message}),
            Some(self.style.dim(&visible(message))),
            false,
        );
    }

    /// Something the user should fix, with the fix when there is one.
    fn warn(&self, message: &str, fix: Option<&str>) {
        let human = match fix {
            Some(f) => format!(
                "! {}\n  fix: {}",
                visible(message),
                self.style.fix(&visible(f))
            ),
            None => format!("! {}", visible(message)),
        };
        self.emit(
            "warning",
            json!({"message": message, "fix": fix}),
            Some(human),
            true,
        );
    }

    /// A pre-flight check that warns or fails, as the report shows its row (each finding
    /// with its own mark, notes left out); for tools one event per finding, with its own
    /// status. `id_width` aligns the rows of one preflight.
    fn check(&self, c: &CheckResult, id_width: usize) {
        let rows = crate::render::Rows {
            style: self.style,
            verbose: false,
            id_width,
            width: crate::wrap::width(),
        };
        let human = rows.row(c);
        if self.json {
            for f in &c.findings {
                let status = crate::render::mark_of(f.severity);
                let fix = f.fix.as_ref().map(|x| x.summary.as_str());
                self.emit(
                    "check",
                    json!({"id": c.id, "status": status, "message": f.message, "fix": fix}),
                    None,
                    true,
                );
            }
            if c.findings.is_empty() {
                let fields =
                    json!({"id": c.id, "status": c.status, "message": c.summary, "fix": null});
                self.emit("check", fields, None, true);
            }
            return;
        }
        self.emit("check", json!({}), Some(human.trim_end().to_string()), true);
    }

    fn watching(&self, dirs: usize, mode: &str, took: Duration) {
        self.emit(
            "watching",
            json!({"dirs": dirs, "mode": mode, "setup_ms": ms(took)}),
            Some(self.style.dim(&format!(
                "watching {dirs} directories ({mode}, set up in {})",
                whole_ms(took)
            ))),
            false,
        );
    }

    /// The first build's ticker stops (at the build's end, or before any other line).
    fn build_ended(&self) {
        self.ticker.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// A build starts; the first (often the slow one: a cold build cache) shows its time
    /// so far on a terminal until it ends.
    fn build_started(&self, cause: &str, first: bool) {
        let human = visible(&format!("{}…", with_cause("building", cause))).into_owned();
        self.emit(
            "build_started",
            json!({"cause": cause}),
            Some(self.style.dim(&human)),
            false,
        );
        if first && !self.json && !self.log.silent {
            let ticker = Spinner::start(true, |elapsed| {
                Some(format!("building… {}", whole_ms(elapsed)))
            });
            *self.ticker.lock().unwrap_or_else(|e| e.into_inner()) = Some(ticker);
        }
    }

    fn build_cancelled(&self, cause: &str) {
        self.emit(
            "build_cancelled",
            json!({"cause": cause}),
            Some(self.style.dim("change during the build: building again")),
            false,
        );
    }

    /// The build rewrites `files` with new content every time: they no longer rebuild
    /// while a build runs.
    fn build_loop(&self, files: &[String], fix: &str) {
        let list = files.join(", ");
        let message = format!(
            "each build rewrites {list} with new content (a rebuild loop): its own writes no longer start a build; the app keeps serving, and an edit still reloads"
        );
        self.emit(
            "build_loop",
            json!({"files": files, "message": message, "fix": fix}),
            Some(format!(
                "{} {}\n  fix: {}",
                self.style.mark(checks::Status::Warn),
                visible(&message),
                self.style.fix(&visible(fix))
            )),
            true,
        );
    }

    /// Changes have come for 10 s with no pause of `delay`: the build still waits for one.
    fn changes_keep_coming(&self, s: &Stream, delay: Duration) {
        let last = s.last.display().to_string();
        let message = format!(
            "changes keep coming: {} file events in {} with no pause of {} (the last to {last}); the build waits for a pause",
            s.changes,
            whole_ms(s.since.elapsed()),
            whole_ms(delay)
        );
        let fix = "if a program keeps writing there, exclude it in .air.toml (exclude_file, exclude_dir or exclude_regex)";
        self.emit(
            "changes_keep_coming",
            json!({"changes": s.changes, "last": last, "message": message, "fix": fix}),
            Some(format!(
                "{} {}\n  fix: {}",
                self.style.mark(checks::Status::Warn),
                visible(&message),
                self.style.fix(fix)
            )),
            true,
        );
    }

    /// A failed build: the compiler errors, prominently, and what happened to the app.
    /// `errors` for tools; `shown` on screen (what the build's stream did not show).
    fn build_failed(
        &self,
        cause: &str,
        took: Duration,
        errors: &[String],
        shown: &[String],
        log: &str,
        app: &str,
    ) {
        let mut human = format!(
            "{} {} · {} · {}",
            self.style.mark(checks::Status::Fail),
            visible(&with_cause("build failed", cause)),
            whole_ms(took),
            visible(app)
        );
        for e in shown.iter().take(20) {
            human.push_str(&format!("\n    {}", self.style.bold(&visible(e))));
        }
        if shown.len() > 20 {
            human.push_str(&format!("\n    … {} more (in the log)", shown.len() - 20));
        }
        let shown_log = format!("log: {}", visible(log));
        human.push_str(&format!("\n  {}", self.style.dim(&shown_log)));
        self.emit(
            "build_failed",
            json!({"cause": cause, "build_ms": ms(took), "errors": errors, "log": log, "app": app}),
            Some(human),
            true,
        );
    }

    /// The new app listens on `ports` (or, with none, has started); with the build's phases
    /// when Go traced them. `port` is the one requests go to: the configured one when the
    /// app listens there, else its first.
    fn serving(
        &self,
        cause: &str,
        first: bool,
        (ports, configured): (&[u16], Option<u16>),
        t: Timings,
        phases: Option<&Phases>,
    ) {
        let port = sockets::serves_on(configured, ports);
        let verb = if first { "started" } else { "reloaded" };
        let mut human = with_cause(verb, cause);
        human.push_str(&format!(" · build {}", whole_ms(t.build)));
        if let Some(text) = phases.map(phase_text).filter(|t| !t.is_empty()) {
            human.push_str(&format!(" ({text})"));
        }
        // A fast build waits for the delay window (see `run --differences`): said, so the
        // time is not taken for the reloader's.
        if !first && t.held >= Duration::from_millis(5) {
            human.push_str(&format!(" · held {} for delay", whole_ms(t.held)));
        }
        if !first && worth_saying(t.stop) {
            human.push_str(&format!(" · stop {}", whole_ms(t.stop)));
        }
        match ports {
            [] => human.push_str(" · running"),
            _ => human.push_str(&format!(
                " · serving on {} after {}",
                sockets::list(ports),
                whole_ms(t.start)
            )),
        }
        let phases = phases.map(|p| {
            json!({"load_ms": ms(p.load), "compile_ms": ms(p.compile), "link_ms": ms(p.link), "compiled": p.compiled})
        });
        self.emit(
            "serving",
            json!({
                "cause": cause, "first": first, "port": port, "ports": ports,
                "wait_ms": ms(t.wait), "build_ms": ms(t.build), "held_ms": ms(t.held), "stop_ms": ms(t.stop),
                "start_ms": ms(t.start), "total_ms": ms(t.total), "phases": phases,
            }),
            Some(format!(
                "{} {}",
                self.style.mark(checks::Status::Pass),
                visible(&human)
            )),
            true,
        );
    }

    /// The serving app opened more listeners after it was ready (a metrics or pprof server
    /// that starts late): `added` are new, `ports` all of them now.
    fn more_ports(&self, added: &[u16], ports: &[u16]) {
        let human = format!(
            "also listening on {} (now {})",
            sockets::list(added),
            sockets::list(ports)
        );
        self.emit(
            "listening",
            json!({"added": added, "ports": ports}),
            Some(self.style.dim(&human)),
            false,
        );
    }

    /// The app exited on its own.
    fn app_exited(&self, status: &str, restarting: bool) {
        let next = if restarting {
            "restarting (rerun)"
        } else {
            "waiting for a change"
        };
        self.emit(
            "app_exited",
            json!({"status": status, "restarting": restarting}),
            Some(format!(
                "{} app exited: {}; {next}",
                self.style.mark(checks::Status::Warn),
                visible(status)
            )),
            true,
        );
    }

    fn stopped(&self, signal: &str) {
        self.emit(
            "stopped",
            json!({"signal": signal}),
            Some(self.style.dim(&format!("{signal}: app stopped, bye"))),
            false,
        );
    }

    /// The runner stopped on its own, not on a signal.
    fn gave_up(&self, reason: &str) {
        self.emit(
            "stopped",
            json!({"reason": reason}),
            Some(self.style.dim(&format!("{reason}: app stopped"))),
            false,
        );
    }
}

/// `load 310 ms · compile handlers 71 ms · link 120 ms`: what Go spent the build on; compiled
/// packages by their last path element, at most three named.
fn phase_text(p: &Phases) -> String {
    let mut names: Vec<&str> = p
        .compiled
        .iter()
        .map(|c| c.rsplit('/').next().unwrap_or(c))
        .take(3)
        .collect();
    let more = p.compiled.len().saturating_sub(3);
    let more = format!("+{more}");
    if p.compiled.len() > 3 {
        names.push(&more);
    }
    let compile = match names.is_empty() {
        true => "compile".to_string(),
        false => format!("compile {}", names.join(" ")),
    };
    [
        ("load", p.load),
        (compile.as_str(), p.compile),
        ("link", p.link),
    ]
    .into_iter()
    .filter(|(_, took)| worth_saying(*took))
    .map(|(what, took)| format!("{what} {}", whole_ms(took)))
    .collect::<Vec<_>>()
    .join(" · ")
}

/// A phase that took under half a millisecond (`stop 0.0 ms`: nothing ran) is left out of
/// the reload line; JSON keeps every figure.
fn worth_saying(took: Duration) -> bool {
    took >= Duration::from_micros(500)
}

/// `reloaded (handlers/user.go)`; the first build has no cause.
fn with_cause(what: &str, cause: &str) -> String {
    if cause.is_empty() {
        what.to_string()
    } else {
        format!("{what} ({cause})")
    }
}

/// Now in UTC, RFC 3339 with milliseconds (`2026-11-29T05:49:03.123Z`): an event's time.
fn utc_now() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(since.as_millis() as i64)
}

/// `ms` after the Unix epoch as an RFC 3339 UTC time (days to a civil date: the algorithm
/// of Howard Hinnant's `civil_from_days`).
fn rfc3339(ms: i64) -> String {
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// Local wall-clock time, `15:04:05`, for `[log] time = true`.
fn clock() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        // `as _`: time_t is whatever localtime_r takes (naming it warns on musl targets).
        .map_or(0, |d| d.as_secs()) as _;
    // SAFETY: localtime_r only writes the struct we pass.
    let tm = unsafe {
        let mut tm: nix::libc::tm = std::mem::zeroed();
        nix::libc::localtime_r(&now, &mut tm);
        tm
    };
    format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
}

#[cfg(test)]
mod tests {
    use super::{phase_text, rfc3339, worth_saying, Phases};
    use std::time::Duration;

    #[test]
    fn phases_under_half_a_millisecond_are_left_out() {
        let p = Phases {
            load: Duration::from_millis(310),
            compile: Duration::from_millis(71),
            link: Duration::from_micros(40),
            compiled: vec!["example.com/shop/handlers".into()],
        };
        assert_eq!(phase_text(&p), "load 310 ms · compile handlers 71 ms");
        let none = Phases {
            load: Duration::ZERO,
            compile: Duration::ZERO,
            link: Duration::ZERO,
            compiled: vec![],
        };
        assert_eq!(phase_text(&none), "");
        assert!(!worth_saying(Duration::from_micros(40)));
        assert!(worth_saying(Duration::from_micros(500)));
    }

    #[test]
    fn event_times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        // date -u -d @951782400.5: a leap day.
        assert_eq!(rfc3339(951_782_400_500), "2000-02-29T00:00:00.500Z");
        assert_eq!(rfc3339(1_795_931_343_123), "2026-11-29T05:49:03.123Z");
    }
}
