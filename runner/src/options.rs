//! What a run is asked to do, as plain values: the command line's flags, already read by the
//! binary (the runner never sees its parser), and how the app's output is shown.

use std::path::PathBuf;
use std::time::Duration;

/// One run's settings beyond `.air.toml` (which `checks::reloaders::air::runner::RunConfig`
/// holds).
#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder: the Go module the report and verify look at.
    pub dir: PathBuf,
    /// The app's port (`--port`): waited for before each start, then probed until it accepts.
    pub port: Option<u16>,
    /// Serve on this port in front of the app (`--proxy`).
    pub proxy: Option<u16>,
    /// How long a request waits at the proxy for the app (`--hold`).
    pub hold: Duration,
    /// Add the reload script to HTML pages the proxy serves (`--live-reload`).
    pub live_reload: bool,
    /// Build with `--fast`'s flags.
    pub fast: bool,
    /// Time reloads as air does, delay + build (`--air-timing`; see `schedule`).
    pub air_timing: bool,
    /// Leave out the checks before the first build.
    pub no_checks: bool,
    /// Arguments after `--`, for the app.
    pub app_args: Vec<String>,
    /// The app's stdout goes to stderr (stdout carries JSON events).
    pub app_stdout_to_stderr: bool,
    /// Put before each line the app prints (on a terminal).
    pub app_prefix: Option<String>,
    /// Clear the screen before a rebuild when `[screen] clear_on_rebuild` asks for it (stdout
    /// is a terminal a person reads).
    pub may_clear_screen: bool,
    /// How one line of a build's own output is shown as it streams.
    pub build_line: fn(&str),
    /// Time each build's compile and link (`-v`) from the go command's processes. Off by
    /// default: each /proc entry a look makes for a compiler is walked again when the go
    /// command reaps it, which made the go command's own CPU 3-6 % higher per build.
    pub phases: bool,
}

/// The port the runner waits for, and the PORT a gin project's app is given.
#[derive(Debug, PartialEq)]
pub(crate) struct PortPlan {
    pub port: Option<u16>,
    /// gin hands its app the port in PORT; the runner does the same, unless PORT is set.
    pub gin_port: Option<u16>,
}

impl PortPlan {
    /// `--port` wins, then `$PORT`, then the project's own port resolution.
    pub fn new(flag: Option<u16>, env: Option<u16>, project: Option<u16>, gin: bool) -> PortPlan {
        let port = flag.or(env).or(project);
        PortPlan {
            port,
            gin_port: port.filter(|_| gin && env.is_none()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_plan_follows_flag_then_env_then_project_and_gives_gin_apps_port() {
        assert_eq!(
            PortPlan::new(Some(1), None, Some(3), true),
            PortPlan {
                port: Some(1),
                gin_port: Some(1)
            }
        );
        // $PORT set: the app already has it; gin's PORT is not forced.
        assert_eq!(
            PortPlan::new(None, Some(2), Some(3), true),
            PortPlan {
                port: Some(2),
                gin_port: None
            }
        );
        assert_eq!(
            PortPlan::new(None, None, Some(3), false),
            PortPlan {
                port: Some(3),
                gin_port: None
            }
        );
    }
}
