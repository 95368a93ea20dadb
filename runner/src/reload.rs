//! One reload, step by step: a change during a build (cancel it or not), a change after it
//! (the build's own write or a person's), the build's start and end, the app's stop and
//! start, and the run's end.

use crate::app::{self, App};
use crate::build;
use crate::debounce::Batch;
use crate::msg::Msg;
use crate::proxy::AppState;
use crate::report::Timings;
use crate::runner::{Building, Runner, Starting};
use crate::self_writes;
use checks::system::sockets;
use checks::system::supervise;
use nix::sys::signal::Signal;
use reload_doctor_checks as checks;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};

impl Runner {
    /// A change while a build runs: recorded, to be judged by content when the build ends.
    /// It cancels the build only when it gives a source the build reads (see
    /// [`SelfWrites::may_cancel`]) new content, looked at once the file has settled.
    pub(crate) fn changed_during_build(&mut self, path: PathBuf) {
        if self.self_writes.ignored(&path) {
            return;
        }
        let Some(b) = &self.building else { return };
        self.schedule.changed_during(Instant::now());
        if self.self_writes.may_cancel(&path, b.first) {
            let at = Instant::now() + self.schedule.quiet();
            let paths = match self.cancel_check.take() {
                Some((_, mut paths)) => {
                    paths.retain(|p| *p != path);
                    paths.push(path.clone());
                    paths
                }
                None => vec![path.clone()],
            };
            self.cancel_check = Some((at, paths));
        }
        if !self.during.contains(&path) {
            self.during.push(path);
        }
    }

    /// The build of self-triggered count `chain` for `paths` has ended at `ended`: the files
    /// that changed while it ran and whose content now differs from before it ask for one
    /// more build, unless they are a loop.
    pub(crate) fn judge_during(&mut self, chain: u32, paths: &[PathBuf], ended: SystemTime) {
        self.cancel_check = None;
        self.last_end = Some(ended);
        let during = std::mem::take(&mut self.during);
        // Compared, not remembered: the build that follows remembers them as it starts (an
        // exclude_unchanged check there would otherwise find them unchanged).
        let changed: Vec<PathBuf> = during
            .into_iter()
            .filter(|p| self.watch.differs(p))
            .collect();
        let verdict = self.self_writes.after_build(chain, paths, changed);
        self.follow(verdict);
    }

    /// A change with no build running. An event that comes after the last build ended for
    /// a write made before it ended (the file's ctime says so) is the build's own (polling
    /// finds it up to an interval late; inotify's reader can lag the build's exit under
    /// load): judged like a change during that build, so a build's identical rewrite of a
    /// file starts no build. A save after the build, even of the same bytes, has a later
    /// ctime and reloads (a same-bytes save within one clock tick of the build's end is
    /// taken for the build's).
    pub(crate) fn changed_after_build(&mut self, path: PathBuf, now: Instant) {
        let own = self
            .last_end
            .is_some_and(|end| self.watch.written_by(&path, end));
        if !own {
            return self.debounce.push(path, now);
        }
        if self.self_writes.ignored(&path) || !self.watch.differs(&path) {
            return;
        }
        let verdict = self.self_writes.late(path);
        self.follow(verdict);
    }

    /// Act on what a build's own changes come to: name a loop once, queue the rest.
    pub(crate) fn follow(&mut self, verdict: self_writes::Verdict) {
        if !verdict.looping.is_empty() {
            for p in &verdict.looping {
                // Remembered, so a later edit is judged against the loop's last output.
                self.watch.judge(p);
            }
            let files: Vec<String> = verdict
                .looping
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let ex = checks::reloaders::air::edit::Exclusion::for_written(&files);
            let b = &self.cfg.build;
            let current = ex.current(&b.exclude_regex, &b.exclude_file);
            let config = self.cfg.file.as_ref().and_then(|f| f.file_name());
            let config = config.map_or(".air.toml".into(), |f| f.to_string_lossy());
            self.out.build_loop(
                &files,
                &format!("{} in {config}: [build] {}", ex.advice, ex.line(current)),
            );
        }
        let now = Instant::now();
        for p in verdict.rebuild {
            self.debounce.push(p, now);
        }
    }

    /// A change during a build: kill it; its cause carries over to the next build.
    pub(crate) fn cancel_build(&mut self) {
        if let Some(b) = self.building.take() {
            b.running.cancel();
            self.out.build_cancelled(&b.batch.cause());
            let paths = b.batch.paths.clone();
            // First, so a file both in the batch and changed again is counted once.
            self.debounce.requeue(b.batch);
            self.judge_during(b.chain, &paths, SystemTime::now());
        }
    }

    pub(crate) fn start_build(&mut self, mut batch: Batch) {
        // A held build replaced by this one: this build serves its burst, in its window.
        if let Some((_, held, _)) = self.schedule.started() {
            batch = batch.after(held);
        }
        self.gen += 1;
        if self.cfg.screen.clear_on_rebuild && self.may_clear_screen {
            // keep_scroll clears the screen only; otherwise reset the terminal (air's choice).
            print!(
                "{}",
                if self.cfg.screen.keep_scroll {
                    "\x1b[2J\x1b[H"
                } else {
                    "\x1bc"
                }
            );
        }
        self.out.build_started(&batch.cause(), self.gen == 1);
        let tx = self.tx.clone();
        let running = build::start(&self.build_spec, self.gen, move |done| {
            let _ = tx.send(Msg::Built(done));
        });
        self.building = Some(Building {
            running,
            chain: self.self_writes.chain_for(&batch.paths, batch.full),
            first: self.gen == 1,
            batch,
            started: Instant::now(),
        });
        self.sources.take(&self.watch);
    }

    pub(crate) fn on_built(&mut self, done: build::Done, batch: Batch, started: Instant) {
        self.out.build_ended();
        // The project was removed while it built: write nothing (no build log re-creating
        // the folder), start nothing.
        if std::fs::symlink_metadata(&self.cfg.dir).is_err() {
            self.root_gone = true;
            return;
        }
        let timings = Timings {
            wait: started - batch.since,
            build: done.took,
            held: started.elapsed().saturating_sub(done.took),
            ..Default::default()
        };
        if done.ok {
            self.gate(AppState::Restarting);
            let t_stop = Instant::now();
            if let Some(app) = self.app.take() {
                self.old_exe = app.hold_exe();
                self.stop_app(&app);
            }
            let timings = Timings {
                stop: t_stop.elapsed(),
                ..timings
            };
            let first = batch.full && batch.first.as_os_str().is_empty();
            self.launch(batch, timings, done.phases, first);
            return;
        }
        let log = self.cfg.tmp_path().join(&self.cfg.build.log);
        let mut text = done.output.join("\n");
        if let Some(f) = &done.failure {
            text.push_str(&format!("\n{f}\n"));
        }
        let _ = std::fs::create_dir_all(self.cfg.tmp_path());
        let logged = match std::fs::write(&log, text) {
            Ok(()) => log.display().to_string(),
            Err(e) => format!("not written ({}: {e})", log.display()),
        };
        let app = match self.app.take() {
            Some(app) if self.cfg.build.stop_on_error => {
                self.stop_app(&app);
                "app stopped (stop_on_error)".to_string()
            }
            Some(app) => {
                let state = match self.serving_ports.as_slice() {
                    [] => "old app still running".to_string(),
                    ports => format!("old app still serving {}", sockets::list(ports)),
                };
                self.app = Some(app);
                state
            }
            None => "no app running".into(),
        };
        let mut errors = build::errors(&done.output, &self.cfg.dir);
        // On screen, only what was not streamed already: the compiler errors, held back.
        let mut shown: Vec<String> = done
            .held
            .iter()
            .map(|l| build::located(l, &self.cfg.dir))
            .collect();
        if let Some(f) = done.failure {
            errors.push(f.clone());
            shown.push(f);
        }
        self.gate(AppState::Failed {
            stage: "build failed".into(),
            detail: errors.join("\n"),
        });
        self.out
            .build_failed(&batch.cause(), done.took, &errors, &shown, &logged, &app);
    }

    pub(crate) fn stop_app(&self, app: &App) {
        let b = &self.cfg.build;
        // With kill_delay 0 (what `air init` writes) the kill is what was asked for.
        if app.stop(b.stop_signal, b.kill_delay) && !b.kill_delay.is_zero() {
            self.out.note(&format!(
                "the app did not exit within kill_delay ({}): killed",
                checks::text::span(b.kill_delay)
            ));
        }
        self.sweep();
    }

    /// Stop what the app left outside its process group (a `setsid` child, orphaned to us).
    /// With no build running, every child of ours is such a leftover; during a build this
    /// waits for the next stop, so a build step being spawned is never mistaken for one.
    pub(crate) fn sweep(&self) {
        if self.building.is_none() {
            let keep: Vec<i32> = checks::system::guardian::Watch::group()
                .into_iter()
                .collect();
            app::sweep(&keep, self.cfg.build.kill_delay);
        }
    }

    /// Start the app (the port free first), and probe its port.
    pub(crate) fn launch(
        &mut self,
        batch: Batch,
        timings: Timings,
        phases: build::PendingPhases,
        first: bool,
    ) {
        // Give the old app's listener time to close (the probe looks only at the new app's
        // own sockets, so a holder that stays is never taken for it).
        if let Some(p) = self.port {
            self.wait_for_port(p);
        }
        self.serving_ports.clear();
        let spawned = Instant::now();
        match App::start(&self.app_spec, self.gen, self.tx.clone()) {
            Ok(app) => {
                self.current.store(self.gen, Ordering::SeqCst);
                // Once the app was seen elsewhere (and told so), or when its port is
                // unknown, its first listener is where it serves.
                let expect = self.port.filter(|_| !self.port_said);
                app.probe(expect, self.tx.clone(), self.current.clone());
                self.starting = Some(Starting {
                    gen: self.gen,
                    phases,
                    batch,
                    timings,
                    spawned,
                    first,
                });
                self.app = Some(app);
            }
            Err(e) => {
                self.gate(AppState::Failed {
                    stage: "app failed to start".into(),
                    detail: e.clone(),
                });
                self.out.warn(
                    &e,
                    Some("check build.bin, build.entrypoint or build.full_bin"),
                )
            }
        }
    }

    /// The app listens, but not on the configured port: say once which port to pass.
    pub(crate) fn say_other_ports(&mut self, ports: &[u16]) {
        let Some(configured) = self.port else { return };
        if self.port_said || ports.contains(&configured) {
            return;
        }
        self.port_said = true;
        let Some(first) = ports.first() else { return };
        let proxy = match &self.proxy {
            Some(_) => format!("; the proxy forwards to :{first}"),
            None => String::new(),
        };
        self.out.warn(
            &format!(
                "the app listens on {}, not on :{configured}, the port reload-doctor was given or found{proxy}",
                sockets::list(ports)
            ),
            Some(&format!("pass --port {first}")),
        );
    }

    /// Give a busy port up to 3 s to come free (a previous app closing its listener); then
    /// name the holder and start anyway, so the app's own error shows too.
    pub(crate) fn wait_for_port(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut warned = false;
        while !sockets::is_free(port) {
            if !warned && Instant::now() > deadline - Duration::from_millis(2500) {
                let holder = sockets::holder(port).unwrap_or_else(|| "another process".into());
                self.out.warn(
                    &format!(":{port} is held by {holder}; waiting up to 3 s before starting"),
                    Some("stop it (reload-doctor --fix stops a stale build of this project)"),
                );
                warned = true;
            }
            if Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Ctrl-C or SIGTERM: kill any build, stop the app gracefully, run post_cmd; exit as every
    /// subcommand does after a signal (130 after Ctrl-C).
    pub(crate) fn shutdown(mut self, sig: Signal) -> u8 {
        self.stop_everything();
        self.out.stopped(sig.as_str());
        checks::system::supervise::after_signal(sig as i32).unwrap_or(1)
    }

    /// The project folder was moved or removed under the runner: say so, and stop.
    pub(crate) fn leave_gone_root(mut self) -> u8 {
        self.out.warn(
            &format!(
                "the project folder {} was moved or removed: nothing is left to watch",
                self.cfg.root_path().display()
            ),
            Some("start reload-doctor run again where the project is now"),
        );
        self.stop_everything();
        self.out.gave_up("project folder gone");
        1
    }

    pub(crate) fn stop_everything(&mut self) {
        if let Some(b) = self.building.take() {
            b.running.cancel();
        }
        if let Some(app) = self.app.take() {
            self.stop_app(&app);
        }
        for c in &self.cfg.build.post_cmd {
            let mut cmd = std::process::Command::new("/bin/sh");
            cmd.arg("-c").arg(c).current_dir(&self.cfg.dir);
            supervise::own_group(&mut cmd, true);
            match cmd.status() {
                Ok(s) if s.success() => {}
                Ok(s) => self.out.warn(&format!("post_cmd {c:?}: {s}"), None),
                Err(e) => self.out.warn(&format!("post_cmd {c:?}: {e}"), None),
            }
        }
    }
}
