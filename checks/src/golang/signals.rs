//! How a Go main package reacts to SIGINT and SIGTERM, read from its tokens: the
//! `signal.Notify`/`NotifyContext`/`Ignore` calls and which signals they name, the
//! `Shutdown` call, and the line that starts the server.

use crate::golang::go_file;
use crate::golang::lexer::{Kind, Token};
use std::cell::OnceCell;
use std::collections::HashMap;

/// A place in the source, shown as `main.go:50`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Which of the two stop signals a call names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signals {
    pub int: bool,
    pub term: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub at: Pos,
    /// `Notify`, `NotifyContext`, `Ignore`, `Shutdown`, `ListenAndServe`, `Run`...
    pub name: String,
    /// The library whose call this is, when it handles the stop signals itself
    /// (`endless`: see [`LIBRARIES`]).
    pub library: Option<&'static str>,
    pub signals: Signals,
    /// For a call that starts serving: the port its address literal names (`":8080"`,
    /// `"localhost:6060"`), when its first argument is one.
    pub port: Option<u16>,
}

/// What the package's files do about stop signals.
#[derive(Debug, Default, Clone)]
pub struct SignalUse {
    pub notify: Vec<Call>,
    pub ignore: Vec<Call>,
    pub shutdown: Vec<Call>,
    /// Calls that start serving, best candidate first.
    pub listen: Vec<Call>,
}

impl SignalUse {
    /// The stop signals some Notify call catches.
    pub fn caught(&self) -> Signals {
        self.notify.iter().fold(Signals::default(), |a, c| Signals {
            int: a.int || c.signals.int,
            term: a.term || c.signals.term,
        })
    }

    pub fn ignored(&self) -> Signals {
        self.ignore.iter().fold(Signals::default(), |a, c| Signals {
            int: a.int || c.signals.int,
            term: a.term || c.signals.term,
        })
    }

    /// The call that starts the server on `app_port`: one whose address literal names that
    /// port, else one whose address is not a literal (`srv.ListenAndServe()`, `addr`), and
    /// only then one on another port (a pprof or metrics server beside the app's).
    pub fn server(&self, app_port: u16) -> Option<&Call> {
        self.listen.iter().min_by_key(|c| match c.port {
            Some(p) if p == app_port => 0,
            None => 1,
            Some(_) => 2,
        })
    }

    /// Add one file's calls.
    pub fn scan(&mut self, file: &str, tokens: &[Token]) {
        let imports: HashMap<String, String> = go_file::imports(tokens)
            .into_iter()
            .map(|i| (i.path, i.name))
            .collect();
        let local = |path: &str, default: &str| -> Option<String> {
            match imports.get(path) {
                Some(name) => Some(name.clone()),
                None if path == "os/signal" => None,
                None => Some(default.to_string()),
            }
        };
        let signal_pkg = local("os/signal", "signal");
        let names = SignalNames {
            os: local("os", "os"),
            syscall: local("syscall", "syscall"),
            unix: local("golang.org/x/sys/unix", "unix"),
            all: OnceCell::new(),
        };
        let calls = Calls::new(tokens);
        for i in 0..tokens.len() {
            let Kind::Ident(name) = &tokens[i].kind else {
                continue;
            };
            if !tokens.get(i + 1).is_some_and(|t| t.is_punct('(')) {
                continue;
            }
            let qualifier = qualifier(tokens, i);
            let at = Pos {
                file: file.to_string(),
                line: tokens[i].line,
            };
            let call = |signals| Call {
                at: at.clone(),
                name: name.clone(),
                library: None,
                signals,
                port: None,
            };
            // A graceful-restart library that catches SIGINT and SIGTERM and shuts the
            // server down itself: both a Notify and a Shutdown.
            let library = LIBRARIES.iter().find(|l| {
                l.calls.contains(&name.as_str())
                    && matches!(&qualifier, Some(Some(q)) if imports.get(l.path) == Some(q))
            });
            if let Some(l) = library {
                let handled = Call {
                    library: Some(l.name),
                    ..call(Signals {
                        int: true,
                        term: true,
                    })
                };
                self.notify.push(handled.clone());
                self.shutdown.push(handled);
            }
            let from_signal_pkg = match (&signal_pkg, &qualifier) {
                (Some(pkg), Some(Some(q))) => pkg == q,
                (Some(pkg), None) => pkg == ".",
                _ => false,
            };
            match name.as_str() {
                "Notify" | "NotifyContext" if from_signal_pkg => {
                    let signals = names.in_args(&calls, i + 1);
                    self.notify.push(call(signals));
                }
                "Ignore" if from_signal_pkg => {
                    let signals = names.in_args(&calls, i + 1);
                    self.ignore.push(call(signals));
                }
                // A method call (`srv.Shutdown(ctx)`), not a declaration `func (s *S) Shutdown(`.
                "Shutdown" | "GracefulStop" if qualifier.is_some() => {
                    self.shutdown.push(call(Signals::default()))
                }
                _ if qualifier.is_some() && LISTEN.contains(&name.as_str()) => {
                    // The port, when the first argument is one string literal ending in
                    // `:PORT`.
                    let port = match calls.args(i + 1).first() {
                        Some(
                            [Token {
                                kind: Kind::Str(addr),
                                ..
                            }],
                        ) => super::source::addr_port(addr),
                        _ => None,
                    };
                    self.listen.push(Call {
                        port,
                        ..call(Signals::default())
                    })
                }
                _ => {}
            }
        }
        self.listen
            .sort_by_key(|c| LISTEN.iter().position(|l| *l == c.name));
    }
}

/// A library that installs its own SIGINT/SIGTERM handler and stops the server gracefully.
pub struct Library {
    pub name: &'static str,
    pub path: &'static str,
    /// The package-level calls that install it.
    pub calls: &'static [&'static str],
}

/// The libraries whose calls handle the stop signals (read in each one's source): endless
/// (`handleSignals`: SIGINT and SIGTERM close the listener and let requests finish, the
/// "hammer" ends them after 60 s), facebookgo/grace's gracehttp (SIGINT and SIGTERM stop
/// gracefully, SIGUSR2 restarts) and tylerb/graceful (SIGINT and SIGTERM, then its timeout).
/// cloudflare/tableflip installs none: its apps catch SIGHUP to upgrade, and their own
/// Notify decides what SIGINT and SIGTERM do.
pub const LIBRARIES: &[Library] = &[
    Library {
        name: "endless",
        path: "github.com/fvbock/endless",
        calls: &["ListenAndServe", "ListenAndServeTLS"],
    },
    Library {
        name: "gracehttp",
        path: "github.com/facebookgo/grace/gracehttp",
        calls: &["Serve", "ServeWithOptions"],
    },
    Library {
        name: "graceful",
        path: "gopkg.in/tylerb/graceful.v1",
        calls: &["Run", "ListenAndServe", "ListenAndServeTLS"],
    },
    Library {
        name: "graceful",
        path: "github.com/tylerb/graceful",
        calls: &["Run", "ListenAndServe", "ListenAndServeTLS"],
    },
];

/// Calls that start a server, in order of how sure we are that they do.
const LISTEN: &[&str] = &[
    "ListenAndServe",
    "ListenAndServeTLS",
    "Run",
    "RunTLS",
    "Serve",
    "Listen",
];

/// The local names of the packages that define SIGINT and SIGTERM in this file.
struct SignalNames {
    os: Option<String>,
    syscall: Option<String>,
    unix: Option<String>,
    /// The stop signals the whole file names, read once (see [`SignalNames::all_in`]).
    all: OnceCell<Signals>,
}

impl SignalNames {
    /// The stop signals named in the call whose `(` is at `open`, after the first argument
    /// (the channel or context) of the file `tokens`. No signal arguments means every signal.
    /// An argument that is not a signal name (`sigs...`) counts every stop signal the whole
    /// file names.
    fn in_args(&self, calls: &Calls, open: usize) -> Signals {
        let args = calls.args(open);
        let mut found = Signals::default();
        let mut named = 0;
        for arg in args.iter().skip(1) {
            match self.signal(arg) {
                Some(s) => {
                    named += 1;
                    found.int |= s.int;
                    found.term |= s.term;
                }
                None => {
                    let all = self.all_in(calls.tokens);
                    found.int |= all.int;
                    found.term |= all.term;
                    named += 1;
                }
            }
        }
        if named == 0 {
            Signals {
                int: true,
                term: true,
            }
        } else {
            found
        }
    }

    /// `os.Interrupt`, `syscall.SIGINT`, `unix.SIGTERM`... as one argument's tokens; None
    /// when the argument is something else. A signal we do not care about is `Some(none)`.
    fn signal(&self, arg: &[Token]) -> Option<Signals> {
        let (pkg, name) = match arg {
            [Token {
                kind: Kind::Ident(p),
                ..
            }, dot, Token {
                kind: Kind::Ident(n),
                ..
            }] if dot.is_punct('.') => (Some(p.as_str()), n.as_str()),
            [Token {
                kind: Kind::Ident(n),
                ..
            }] => (None, n.as_str()),
            _ => return None,
        };
        let is = |local: &Option<String>| match (local.as_deref(), pkg) {
            (Some("."), None) => true,
            (Some(l), Some(p)) => l == p,
            _ => false,
        };
        if is(&self.os) && (name == "Interrupt" || name == "Kill") {
            return Some(Signals {
                int: name == "Interrupt",
                term: false,
            });
        }
        if (is(&self.syscall) || is(&self.unix)) && name.starts_with("SIG") {
            return Some(Signals {
                int: name == "SIGINT",
                term: name == "SIGTERM",
            });
        }
        None
    }

    /// Once per file: each `Notify(c, sigs...)` asking again made a file of such calls
    /// quadratic.
    fn all_in(&self, tokens: &[Token]) -> Signals {
        *self.all.get_or_init(|| {
            let mut all = Signals::default();
            for w in tokens.windows(3) {
                if let Some(s) = self.signal(w) {
                    all.int |= s.int;
                    all.term |= s.term;
                }
            }
            all
        })
    }
}

/// `Some(Some(q))` for `q.name(`, `Some(None)` for `expr.name(` (a method call on a value
/// such as `srv` or `x()`), `None` for a bare `name(`.
fn qualifier(tokens: &[Token], i: usize) -> Option<Option<String>> {
    if i < 2 || !tokens[i - 1].is_punct('.') {
        return None;
    }
    match &tokens[i - 2].kind {
        Kind::Ident(q) if !(i >= 3 && tokens[i - 3].is_punct('.')) => Some(Some(q.clone())),
        _ => Some(None),
    }
}

/// A file's tokens with the partner of each opening bracket, matched once: reading a call's
/// arguments then steps over nested brackets instead of walking them, so each token is read
/// for the one call it is a top-level argument of. (Walking every call to its end was
/// quadratic: 100,000 unclosed `x.Run(` lines took 39 s, 100,000 nested calls 106 s.)
struct Calls<'a> {
    tokens: &'a [Token],
    /// For an opening bracket, the index of the one that closes it (any kind closes any, as
    /// depth counting does); [`UNCLOSED`] when the file ends first.
    close: Vec<usize>,
}

const UNCLOSED: usize = usize::MAX;

impl<'a> Calls<'a> {
    fn new(tokens: &'a [Token]) -> Calls<'a> {
        let mut close = vec![UNCLOSED; tokens.len()];
        let mut open = vec![];
        for (j, t) in tokens.iter().enumerate() {
            match t.kind {
                Kind::Punct('(' | '[' | '{') => open.push(j),
                Kind::Punct(')' | ']' | '}') => {
                    if let Some(o) = open.pop() {
                        close[o] = j;
                    }
                }
                _ => {}
            }
        }
        Calls { tokens, close }
    }

    /// The top-level arguments of the call whose `(` is at `open`, each as its tokens; of an
    /// unclosed call, those its commas end.
    fn args(&self, open: usize) -> Vec<&'a [Token]> {
        let tokens = self.tokens;
        let end = self.close.get(open).copied().unwrap_or(UNCLOSED);
        let mut args = vec![];
        let mut start = open + 1;
        let mut j = open + 1;
        while j < end.min(tokens.len()) {
            match tokens[j].kind {
                Kind::Punct('(' | '[' | '{') => match self.close[j] {
                    // Everything after an unclosed bracket is inside it: no comma of ours.
                    UNCLOSED => break,
                    c => j = c,
                },
                Kind::Punct(',') => {
                    args.push(&tokens[start..j]);
                    start = j + 1;
                }
                _ => {}
            }
            j += 1;
        }
        if end != UNCLOSED && end > start {
            args.push(&tokens[start..end]);
        }
        // `sigs...` ends with three dots; drop them so the name alone is looked at.
        args.into_iter()
            .map(|a| {
                let dots = a.iter().rev().take_while(|t| t.is_punct('.')).count();
                &a[..a.len() - dots]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golang::lexer::tokenize;

    fn scan(src: &str) -> SignalUse {
        let mut u = SignalUse::default();
        u.scan("main.go", &tokenize(src).unwrap());
        u
    }

    const BOTH: Signals = Signals {
        int: true,
        term: true,
    };

    #[test]
    fn notify_context_with_both_signals_and_shutdown() {
        let u = scan(
            r#"package main
import (
	"os"
	"os/signal"
	"syscall"
)
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go srv.ListenAndServe()
	<-ctx.Done()
	srv.Shutdown(ctx)
}
func (s *S) Shutdown(ctx context.Context) error { return nil }
"#,
        );
        assert_eq!(u.notify.len(), 1);
        assert_eq!(u.notify[0].at.to_string(), "main.go:8");
        assert_eq!(u.caught(), BOTH);
        assert_eq!(u.shutdown.len(), 1, "the method declaration is not a call");
        assert_eq!(u.shutdown[0].at.line, 11);
        assert_eq!(u.listen[0].at.line, 9);
    }

    #[test]
    fn notify_in_comments_and_strings_does_not_count() {
        let u = scan(
            r#"package main
import "os/signal"
// signal.Notify(c, os.Interrupt)
/* signal.Notify(c) */
var help = "call signal.Notify(c, os.Interrupt) and srv.Shutdown(ctx)"
var raw = `signal.Notify(c)`
func main() { http.ListenAndServe(":8080", nil) }
"#,
        );
        assert!(u.notify.is_empty(), "{:?}", u.notify);
        assert!(u.shutdown.is_empty());
        assert_eq!(u.listen[0].at.line, 7);
    }

    #[test]
    fn which_signals_are_caught() {
        let term_only =
            scan("import \"os/signal\"\nfunc main() { signal.Notify(c, syscall.SIGTERM) }");
        assert_eq!(
            term_only.caught(),
            Signals {
                int: false,
                term: true
            }
        );
        // No signals listed: every signal is delivered to the channel.
        let all = scan("import \"os/signal\"\nfunc main() { signal.Notify(c) }");
        assert_eq!(all.caught(), BOTH);
        // golang.org/x/sys/unix names, and a renamed os/signal.
        let u = scan("import (\n sig \"os/signal\"\n \"golang.org/x/sys/unix\"\n)\nfunc main() { sig.Notify(make(chan os.Signal, 1), unix.SIGINT) }");
        assert!(u.caught().int && !u.caught().term);
        // A variable of signals: the signals the file names elsewhere.
        let u = scan("import \"os/signal\"\nvar sigs = []os.Signal{os.Interrupt, syscall.SIGTERM}\nfunc main() { signal.Notify(c, sigs...) }");
        assert_eq!(u.caught(), BOTH);
    }

    #[test]
    fn notify_without_the_signal_package_is_not_signal_handling() {
        // Some other package's Notify (e.g. systemd's daemon.Notify).
        let u = scan("import \"github.com/coreos/go-systemd/daemon\"\nfunc main() { daemon.Notify(false, daemon.SdNotifyReady) }");
        assert!(u.notify.is_empty());
        let u = scan("import \"os/signal\"\nfunc main() { signal.Ignore(os.Interrupt) }");
        assert_eq!(u.ignore.len(), 1);
        assert!(u.ignored().int);
    }

    #[test]
    fn the_server_on_the_app_port_is_preferred_to_a_side_server() {
        let u = scan("func main() {\n go func() { log.Println(http.ListenAndServe(\"localhost:6060\", nil)) }()\n srv.ListenAndServe()\n}");
        assert_eq!(u.listen[0].port, Some(6060));
        assert_eq!(u.server(8080).map(|c| c.at.line), Some(3));
        assert_eq!(u.server(6060).map(|c| c.at.line), Some(2));
        let u = scan("func main() {\n go http.ListenAndServe(\":9090\", m)\n r.Run(\":8080\")\n}");
        assert_eq!(u.server(8080).map(|c| c.at.line), Some(3));
    }

    /// endless and gracehttp install the handler themselves; tableflip does not, and a
    /// package of the same name that is not the library is not taken for it.
    #[test]
    fn graceful_restart_libraries_handle_the_stop_signals() {
        let u = scan("package main\nimport \"github.com/fvbock/endless\"\nfunc main() {\n\tendless.ListenAndServe(\":\"+port, mux)\n}\n");
        assert_eq!(u.caught(), BOTH);
        assert_eq!(u.shutdown[0].library, Some("endless"));
        assert_eq!(u.listen[0].at.line, 4);
        let u = scan("package main\nimport \"github.com/facebookgo/grace/gracehttp\"\nfunc main() { gracehttp.Serve(&http.Server{Addr: \":8080\"}) }\n");
        assert_eq!(u.caught(), BOTH);
        let u = scan("package main\nimport (\n\t\"github.com/cloudflare/tableflip\"\n\t\"os/signal\"\n)\nfunc main() {\n\tupg, _ := tableflip.New(tableflip.Options{})\n\tsignal.Notify(sig, syscall.SIGHUP)\n}\n");
        assert_eq!(u.caught(), Signals::default());
        let u = scan("package main\nimport \"example.com/x/endless\"\nfunc main() { endless.ListenAndServe(\":1\", nil) }\n");
        assert!(u.notify.is_empty());
    }

    #[test]
    fn listen_prefers_listen_and_serve_over_run() {
        let u = scan(
            "func main() { go worker.Run(); r.Run(\":8080\"); http.ListenAndServe(addr, nil) }",
        );
        assert_eq!(u.listen[0].name, "ListenAndServe");
    }
}
