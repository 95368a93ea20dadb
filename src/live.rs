//! The report while its checks run: each row is printed as soon as it and every row above it
//! are done (rows keep the registry's order), and on a terminal a spinner names the checks
//! still running with their time so far (`compile 12.4 s`), so a slow first build explains
//! the wait.

use crate::progress::{self, Spinner};
use checks::engine::{CheckResult, Observer};
use checks::Check;
use reload_doctor_checks as checks;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// Renders one finished check's row.
pub type RowFn = Box<dyn Fn(&CheckResult) -> String + Send + Sync>;

pub struct Live {
    state: Arc<Mutex<State>>,
    /// `None`: rows are not streamed (`--fix` prints its own report), only the spinner.
    row: Option<RowFn>,
    spinner: Option<Spinner>,
}

struct State {
    ids: Vec<&'static str>,
    started: Vec<Option<Instant>>,
    done: Vec<bool>,
    /// Rendered rows not yet printed, by index.
    rows: Vec<Option<String>>,
    /// Rows printed so far: `rows[..printed]`.
    printed: usize,
}

impl Live {
    /// Watch `selected`; the spinner when `spinner` (and a person watches), rows through `row`.
    pub fn start(selected: &[&'static Check], spinner: bool, row: Option<RowFn>) -> Live {
        let n = selected.len();
        let state = Arc::new(Mutex::new(State {
            ids: selected.iter().map(|c| c.id).collect(),
            started: vec![None; n],
            done: vec![false; n],
            rows: vec![None; n],
            printed: 0,
        }));
        let seen = state.clone();
        let spinner = Spinner::start(spinner, move |_| label(&lock(&seen)));
        Live {
            state,
            row,
            spinner: Some(spinner),
        }
    }

    /// The checks ended: clear the spinner, print the rows not printed yet.
    pub fn finish(mut self, results: &[CheckResult]) {
        self.spinner.take();
        let Some(row) = &self.row else { return };
        let state = lock(&self.state);
        let mut out = std::io::stdout().lock();
        for r in &results[state.printed..] {
            let _ = write!(out, "{}", row(r));
        }
        let _ = out.flush();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// `compile 12.4 s, editor-saves 850 ms · 10/12 done`: the running checks, longest first.
fn label(s: &State) -> Option<String> {
    let now = Instant::now();
    let mut running: Vec<(&str, std::time::Duration)> = s
        .ids
        .iter()
        .zip(&s.started)
        .zip(&s.done)
        .filter_map(|((id, started), done)| Some((*id, now - (*started)?)).filter(|_| !done))
        .collect();
    if running.is_empty() {
        return None;
    }
    running.sort_by_key(|r| std::cmp::Reverse(r.1));
    let names: Vec<String> = running
        .iter()
        .map(|(id, t)| format!("{id} {}", checks::text::duration(t.as_secs_f64() * 1000.0)))
        .collect();
    let done = s.done.iter().filter(|d| **d).count();
    Some(format!(
        "{} · {done}/{} done",
        names.join(", "),
        s.ids.len()
    ))
}

impl Observer for Live {
    fn started(&self, index: usize) {
        lock(&self.state).started[index] = Some(Instant::now());
    }

    fn finished(&self, index: usize, result: &CheckResult) {
        let mut s = lock(&self.state);
        s.done[index] = true;
        let Some(row) = &self.row else { return };
        s.rows[index] = Some(row(result));
        let mut ready = String::new();
        while s.printed < s.rows.len() {
            let next = s.printed;
            let Some(text) = s.rows[next].take() else {
                break;
            };
            ready.push_str(&text);
            s.printed += 1;
        }
        if !ready.is_empty() {
            progress::suspend(|| {
                let mut out = std::io::stdout().lock();
                let _ = write!(out, "{ready}");
                let _ = out.flush();
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_names_the_running_checks_longest_first() {
        let t0 = Instant::now() - std::time::Duration::from_millis(12_400);
        let t1 = Instant::now() - std::time::Duration::from_millis(850);
        let s = State {
            ids: vec!["toolchain", "compile", "editor-saves"],
            started: vec![Some(t0), Some(t0), Some(t1)],
            done: vec![true, false, false],
            rows: vec![None; 3],
            printed: 0,
        };
        let text = label(&s).unwrap();
        assert!(text.starts_with("compile 12.4 s, editor-saves 8"), "{text}");
        assert!(text.ends_with("· 1/3 done"), "{text}");
    }
}
