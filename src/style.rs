//! Colour, only where a person is looking: a terminal, no NO_COLOR, not `--color never`.
//! FORCE_COLOR or CLICOLOR_FORCE (non-empty, not `0`) turn it on when piped; NO_COLOR wins.

use crate::cli::ColorChoice;
use checks::Status;
use owo_colors::OwoColorize;
use reload_doctor_checks as checks;
use std::io::IsTerminal;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn detect(choice: ColorChoice) -> Style {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let forced = set("FORCE_COLOR") || set("CLICOLOR_FORCE");
        let color = !no_color
            && match choice {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    forced
                        || (std::io::stdout().is_terminal()
                            && std::env::var("TERM").map_or(true, |t| t != "dumb"))
                }
            };
        Style { color }
    }

    /// The mark of a status, coloured when allowed.
    pub fn mark(&self, status: Status) -> String {
        let mark = match status {
            Status::Pass => "✔",
            Status::Info => "i",
            Status::Warn => "!",
            Status::Fail => "✘",
            Status::Skip => "-",
            Status::Error => "?",
        };
        if !self.color {
            return mark.to_string();
        }
        match status {
            Status::Pass => mark.green().to_string(),
            Status::Info => mark.blue().to_string(),
            Status::Warn => mark.yellow().to_string(),
            Status::Fail | Status::Error => mark.red().to_string(),
            Status::Skip => mark.dimmed().to_string(),
        }
    }

    pub fn bold(&self, s: &str) -> String {
        if self.color {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn dim(&self, s: &str) -> String {
        if self.color {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn fix(&self, s: &str) -> String {
        if self.color {
            s.cyan().to_string()
        } else {
            s.to_string()
        }
    }
}
