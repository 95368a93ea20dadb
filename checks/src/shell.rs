//! Shell command lines read the way `sh` reads them: air's `cmd`, `pre_cmd` and `post_cmd`
//! (run with `/bin/sh -c`), and the lines of Makefiles, scripts, Dockerfiles and compose files
//! that start air. Nothing is ever run or expanded: `$VAR`, `${...}`, `$(...)` and backticks stay
//! as written in the word that holds them, and the commands inside `$(...)` and backticks are
//! parsed as scripts of their own ([`Simple::substitutions`]).
//!
//! What is understood: quotes and backslashes, `#` comments, `;` `&&` `||` `|` `&` and newlines,
//! redirections (`> f`, `2>&1`, `&>f`, here-documents, whose bodies are skipped), subshells
//! `( ... )` and groups `{ ...; }`, `if` and `case` (each branch a script of its own, one of
//! which runs), the reserved words of `while`/`until` (the commands in their conditions and
//! bodies are read as commands), `for` headers (skipped).
//! Malformed input (an unterminated quote, a stray `)`) never fails: it is read as far as it
//! goes, the way a reader who has to say something about it would.
//!
//! Written here rather than taken from a crate: the full parsers (brush-parser, yash-syntax,
//! conch-parser) reject the half-shell lines this reads (make's `$(VAR)`, Go templates, an
//! unterminated quote in a config), are unmaintained (conch-parser) or GPL (yash-syntax), or
//! pull dozens of crates and a newer Rust than ours (brush-parser), for a full AST of which
//! reload-doctor needs the words, the separators and the nesting.

use std::path::PathBuf;

/// How deep `$(...)`, backticks, subshells and `sh -c '...'` nest before the rest is kept
/// as plain text (a hostile line cannot make the reader recurse without end).
const MAX_DEPTH: usize = 16;

/// A parsed command line or script: its commands in order, each with what follows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Script {
    pub entries: Vec<Entry>,
}

/// One command of a script and the operator after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub node: Node,
    pub then: Joint,
}

/// What joins a command to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joint {
    /// `;`, a newline, or the end.
    Seq,
    And,
    Or,
    /// `|` (or `|&`): both sides run at once, each in a subshell.
    Pipe,
    /// `&`: the command (and the `&&`/`||` list it ends) runs in the background.
    Background,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Simple(Simple),
    /// `( ... )`: a subshell, whose `cd` does not outlive it.
    Subshell(Script),
    /// The branches of an `if` or `case`, one of which runs (an empty one when none may):
    /// after it, a `cd` made in one branch may or may not have happened.
    Branches(Vec<Script>),
    /// `name() { ... }` (or `function name { ... }`): a body that runs where it is called,
    /// with the call's words as `$1`, `$2`, ... ([`Script::walk`]).
    Function {
        name: String,
        body: Script,
    },
}

/// A simple command: its words (quotes removed, expansions as written) and redirections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Simple {
    pub words: Vec<String>,
    pub redirects: Vec<Redirect>,
    /// The scripts of the `$(...)` and backticks in its words and redirections, in order.
    pub substitutions: Vec<Script>,
    /// 1-based line of the command's first word in the text parsed.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// `>`, `>>`, `<`, `2>`, `&>`, `2>&`, `<<`, ...
    pub op: String,
    pub target: String,
}

impl Redirect {
    /// Whether it writes its target (`>`, `>>`, `&>`, `2>`; not `>&` to a descriptor).
    pub fn writes(&self) -> bool {
        let op = self.op.trim_start_matches(|c: char| c.is_ascii_digit());
        matches!(op, ">" | ">>" | ">|" | "&>" | "&>>")
    }
}

impl Simple {
    /// The files this command writes as a copy of one file, as (source, destination)
    /// written: `cp`/`mv`/`install SRC... DEST` (a destination ending in `/`, given by `-t`
    /// or taking several sources is the folder they go into), and a filter that reads one
    /// file and writes one with `>`: `sed SCRIPT SRC > DEST`, `envsubst < SRC > DEST`,
    /// `cat SRC > DEST`, `tee DEST < SRC`. The copy may be edited (sed, envsubst): it is
    /// still that file's content, rendered.
    pub fn file_copies(&self) -> Vec<(String, String)> {
        let words = program_words(&self.words);
        let Some(first) = words.first() else {
            return vec![];
        };
        let program = first.rsplit('/').next().unwrap_or(first);
        // Operands, with the options that take a value skipped (`install -m 644`, `sed -e S`).
        let mut operands: Vec<&str> = vec![];
        let mut target_dir: Option<&str> = None;
        let mut script_given = false;
        let mut it = words[1..].iter();
        while let Some(w) = it.next() {
            match (program, w.as_str()) {
                ("cp" | "mv" | "install", "-t" | "--target-directory") => {
                    target_dir = it.next().map(String::as_str);
                }
                ("install", "-m" | "-o" | "-g" | "--mode" | "--owner" | "--group")
                | ("sed", "-e" | "-f" | "--expression" | "--file")
                | ("envsubst", "-v" | "--variables") => {
                    script_given |= program == "sed";
                    it.next();
                }
                (_, w) if w.starts_with('-') && w.len() > 1 => {}
                (_, w) => operands.push(w),
            }
        }
        let input = || {
            self.redirects
                .iter()
                .find(|r| r.op.trim_start_matches('0') == "<")
                .map(|r| r.target.clone())
        };
        let output = self
            .redirects
            .iter()
            .find(|r| matches!(r.op.trim_start_matches('1'), ">" | ">|"))
            .map(|r| r.target.clone());
        match program {
            "cp" | "mv" | "install" => {
                let (sources, dest) = match target_dir {
                    Some(dir) => (&operands[..], format!("{}/", dir.trim_end_matches('/'))),
                    None => match operands.split_last() {
                        Some((dest, sources)) if sources.len() > 1 => {
                            (sources, format!("{}/", dest.trim_end_matches('/')))
                        }
                        Some((dest, sources)) => (sources, dest.to_string()),
                        None => return vec![],
                    },
                };
                sources
                    .iter()
                    .map(|s| (s.to_string(), dest.clone()))
                    .collect()
            }
            "sed" | "envsubst" | "cat" => {
                let files = match program {
                    "sed" if !script_given => operands.get(1..).unwrap_or_default(),
                    "envsubst" => &[],
                    _ => &operands[..],
                };
                let source = match files {
                    [] => input(),
                    [one] => Some(one.to_string()),
                    _ => None,
                };
                source.zip(output).into_iter().collect()
            }
            "tee" if !words.iter().any(|w| w == "-a" || w == "--append") => match input() {
                Some(src) => operands
                    .iter()
                    .map(|d| (src.clone(), d.to_string()))
                    .collect(),
                None => vec![],
            },
            _ => vec![],
        }
    }
}

/// A Dockerfile `RUN` instruction (its text after `RUN`), or a command a container runs, as
/// the commands it runs: the one reading of that text for what an image installs (the
/// programs on its PATH, the air and Go it has).
pub struct RunCommands<'a> {
    /// The text after the `RUN` flags (`--mount=type=cache,target=/go/pkg/mod`): a shell
    /// script, or an exec form's JSON array.
    pub text: &'a str,
    /// Every simple command in the order it runs, with where it runs, as
    /// [`Script::walk`] gives them with `sh -c` scripts walked into (an exec form is
    /// its argument vector, walked the same way); None for a heredoc script (`RUN <<EOF`),
    /// whose commands are not read here.
    pub commands: Option<Vec<(Simple, Scope)>>,
}

/// Read `rest` as a `RUN` runs it ([`RunCommands`]).
pub fn run_commands(rest: &str) -> RunCommands<'_> {
    let mut text = rest.trim();
    // `RUN --mount=type=cache,target=/go/pkg/mod go install ...`
    while text.starts_with("--") {
        text = text
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r.trim_start());
    }
    if text.starts_with("<<") {
        return RunCommands {
            text,
            commands: None,
        };
    }
    // The exec form runs no shell unless it names one (`["/bin/sh", "-c", "..."]`).
    let script = match serde_json::from_str::<Vec<String>>(text) {
        Ok(words) => Script {
            entries: vec![Entry {
                node: Node::Simple(Simple {
                    words,
                    line: 1,
                    ..Simple::default()
                }),
                then: Joint::Seq,
            }],
        },
        Err(_) => parse(text),
    };
    let mut commands = vec![];
    script.walk(true, &mut |s, scope| {
        commands.push((s.clone(), scope.clone()))
    });
    RunCommands {
        text,
        commands: Some(commands),
    }
}

/// Parse `src` (a command line or a whole script).
pub fn parse(src: &str) -> Script {
    let mut p = Parser {
        chars: src.chars().collect(),
        at: 0,
        line: 1,
        depth: 0,
        heredocs: vec![],
    };
    p.script(None)
}

/// The simple commands of `src` in order, subshells flattened, substitutions not included:
/// what runs, one command after another.
pub fn commands(src: &str) -> Vec<Simple> {
    parse(src).simple_commands().into_iter().cloned().collect()
}

/// Where a command runs, relative to where the script starts (`cd` folders joined), and
/// whether it is nested inside another command (`$(...)`, `sh -c`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scope {
    pub dir: PathBuf,
    /// Other folders it may run in: a `cd` in one branch of an earlier `if`/`case` may or may
    /// not have run, so each branch's folder is possible.
    pub other_dirs: Vec<PathBuf>,
    /// Inside `$(...)` or backticks.
    pub substituted: bool,
    /// Inside `sh -c '...'` / `bash -c "..."`.
    pub via_shell: bool,
    /// Every `cd` on the way could be followed (none to `$VAR`, `-` or a computed folder).
    pub dir_known: bool,
    /// In a list sent to the background (`tailwindcss --watch &`).
    pub background: bool,
    /// Its exit status is not the script's: more commands follow after `;` or a newline, it
    /// is the left side of `||`, or it feeds a pipe (`sh -c 'false; true'` exits 0).
    pub unheeded: bool,
}

impl Scope {
    /// One scope per folder the command may run in ([`Scope::other_dirs`]).
    pub fn each_dir(&self) -> Vec<Scope> {
        std::iter::once(&self.dir)
            .chain(&self.other_dirs)
            .map(|d| Scope {
                dir: d.clone(),
                other_dirs: vec![],
                ..self.clone()
            })
            .collect()
    }

    /// After an `if`/`case`: where each branch ended, every folder possible.
    fn either(ends: &[Scope]) -> Option<Scope> {
        let mut out = ends.first()?.clone();
        out.other_dirs.clear();
        for d in ends
            .iter()
            .flat_map(|e| std::iter::once(&e.dir).chain(&e.other_dirs))
        {
            if *d != out.dir && !out.other_dirs.contains(d) {
                out.other_dirs.push(d.clone());
            }
        }
        out.dir_known = ends.iter().all(|e| e.dir_known);
        Some(out)
    }
}

impl Script {
    /// The simple commands in order, subshells and branches flattened.
    pub fn simple_commands(&self) -> Vec<&Simple> {
        let mut out = vec![];
        for e in &self.entries {
            match &e.node {
                Node::Simple(s) => out.push(s),
                Node::Subshell(inner) | Node::Function { body: inner, .. } => {
                    out.extend(inner.simple_commands())
                }
                Node::Branches(arms) => {
                    out.extend(arms.iter().flat_map(|a| a.simple_commands()));
                }
            }
        }
        out
    }

    /// Every simple command with where it runs: `cd DIR` moves the commands after it (not past
    /// a subshell's end, a pipeline or a backgrounded list), the commands of `$(...)` and
    /// backticks come before the command that holds them, and with `into_shells` the script of
    /// `sh -c '...'` (bash, zsh, dash) is walked as a subshell, after the `sh` command itself.
    /// Each branch of an `if`/`case` starts where the `if` does. A function's body is walked
    /// where it is written, as a subshell, and again at each call whose words are all literal
    /// (`run_service user air/.air-user.toml src/service/user`), in the caller's shell (its
    /// `cd` moves the commands after the call), with the call's words as `$1`, `$2`, ... and
    /// the variables the body sets from them (`local dir=$3`) replaced ([`Script::bound`]).
    /// Returns where the script ends.
    pub fn walk(&self, into_shells: bool, f: &mut dyn FnMut(&Simple, &Scope)) -> Scope {
        let start = Scope {
            dir_known: true,
            ..Scope::default()
        };
        let mut fns = Functions::of(self);
        self.walk_in(&start, into_shells, 0, &mut fns, f)
    }

    fn walk_in(
        &self,
        scope: &Scope,
        into_shells: bool,
        depth: usize,
        fns: &mut Functions,
        f: &mut dyn FnMut(&Simple, &Scope),
    ) -> Scope {
        if depth > MAX_DEPTH {
            return scope.clone();
        }
        let mut here = scope.clone();
        let mut start = 0;
        while start < self.entries.len() {
            // One `a && b | c` list, up to `;`, a newline or `&`.
            let end = self.entries[start..]
                .iter()
                .position(|e| matches!(e.then, Joint::Seq | Joint::Background))
                .map_or(self.entries.len() - 1, |n| start + n);
            let list = &self.entries[start..=end];
            if list[list.len() - 1].then == Joint::Background {
                // Sent to the background: it runs in a shell of its own, its `cd` stays there.
                let mut own = Scope {
                    background: true,
                    ..here.clone()
                };
                walk_list(list, &mut own, into_shells, depth, fns, f);
            } else if end + 1 < self.entries.len() {
                // Not the last list: the script goes on whatever it exits with.
                let heeded = here.unheeded;
                here.unheeded = true;
                walk_list(list, &mut here, into_shells, depth, fns, f);
                here.unheeded = heeded;
            } else {
                walk_list(list, &mut here, into_shells, depth, fns, f);
            }
            start = end + 1;
        }
        here
    }
}

/// The commands of one `&&`/`||`/`|` list, in `here`; a `cd` outside a pipeline moves it.
fn walk_list(
    list: &[Entry],
    here: &mut Scope,
    into_shells: bool,
    depth: usize,
    fns: &mut Functions,
    f: &mut dyn FnMut(&Simple, &Scope),
) {
    for (i, e) in list.iter().enumerate() {
        let piped = e.then == Joint::Pipe || (i > 0 && list[i - 1].then == Joint::Pipe);
        match &e.node {
            Node::Subshell(inner) => {
                inner.walk_in(here, into_shells, depth + 1, fns, f);
            }
            Node::Function { body, .. } => {
                body.walk_in(here, into_shells, depth + 1, fns, f);
            }
            Node::Branches(arms) => {
                let ends: Vec<Scope> = arms
                    .iter()
                    .map(|a| a.walk_in(here, into_shells, depth + 1, fns, f))
                    .collect();
                match Scope::either(&ends) {
                    Some(after) if !piped => *here = after,
                    _ => {}
                }
            }
            Node::Simple(s) => {
                for sub in &s.substitutions {
                    let nested = Scope {
                        substituted: true,
                        ..here.clone()
                    };
                    sub.walk_in(&nested, into_shells, depth + 1, fns, f);
                }
                // `a || b` runs b when a fails; `a | b` exits with b's status.
                if matches!(e.then, Joint::Or | Joint::Pipe) && !here.unheeded {
                    let left = Scope {
                        unheeded: true,
                        ..here.clone()
                    };
                    f(s, &left);
                } else {
                    f(s, here);
                }
                if let Some(inner) = shell_c_script(&s.words).filter(|_| into_shells) {
                    let nested = Scope {
                        via_shell: true,
                        ..here.clone()
                    };
                    // A new shell: the functions of this script are not defined there.
                    let mut none = Functions::default();
                    parse_nested(&inner, depth + 1).walk_in(
                        &nested,
                        into_shells,
                        depth + 1,
                        &mut none,
                        f,
                    );
                }
                if let Some(body) = fns.enter(&s.words) {
                    let args = &program_words(&s.words)[1..];
                    let end =
                        body.bound(args, s.line)
                            .walk_in(here, into_shells, depth + 1, fns, f);
                    fns.leave();
                    if !piped {
                        *here = end;
                    }
                } else if !piped {
                    cd(s, here);
                }
            }
        }
    }
}

/// How many function calls one walk follows into their bodies, at most (a script calling a
/// function that calls two others, each calling two more, ... stays bounded).
const MAX_CALLS: usize = 256;

/// The functions a script defines, for a walk that follows calls into their bodies.
#[derive(Default)]
struct Functions {
    defined: Vec<(String, Script)>,
    /// The functions being walked now (a function calling itself is not followed again).
    active: Vec<String>,
    calls: usize,
}

impl Functions {
    fn of(script: &Script) -> Functions {
        let mut defined = vec![];
        collect_functions(script, &mut defined, 0);
        Functions {
            defined,
            ..Functions::default()
        }
    }

    /// The body of the function `words` call, when it is followed: a call with words, all
    /// literal (`main "$@"` is not); then [`Functions::leave`] after walking it.
    fn enter(&mut self, words: &[String]) -> Option<Script> {
        let (first, args) = program_words(words).split_first()?;
        if self.calls >= MAX_CALLS
            || self.active.contains(first)
            || args.is_empty()
            || args.iter().any(|a| a.contains(['$', '`']))
        {
            return None;
        }
        // The last definition before... any: a script defining a name twice is rare.
        let body = self
            .defined
            .iter()
            .rev()
            .find(|(n, _)| n == first)?
            .1
            .clone();
        self.calls += 1;
        self.active.push(first.clone());
        Some(body)
    }

    fn leave(&mut self) {
        self.active.pop();
    }
}

fn collect_functions(script: &Script, out: &mut Vec<(String, Script)>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for e in &script.entries {
        match &e.node {
            Node::Simple(_) => {}
            Node::Subshell(inner) => collect_functions(inner, out, depth + 1),
            Node::Branches(arms) => {
                for a in arms {
                    collect_functions(a, out, depth + 1);
                }
            }
            Node::Function { name, body } => {
                if !name.is_empty() {
                    out.push((name.clone(), body.clone()));
                }
                collect_functions(body, out, depth + 1);
            }
        }
    }
}

impl Script {
    /// A function's body as one call runs it: `$1`..`$9` (and `${1}`..) replaced by the
    /// call's `args`, then each variable the body sets to a value with no expansion left
    /// (`local dir=$3`, `name="$1"`, `export X=...`) replaced in the commands after it; every
    /// command is said to be on the call's `line`. A positional parameter the call does not
    /// give, and a variable set to anything else, stay as written.
    fn bound(&self, args: &[String], line: usize) -> Script {
        let mut vars: Vec<(String, String)> = args
            .iter()
            .take(9)
            .enumerate()
            .map(|(i, a)| ((i + 1).to_string(), a.clone()))
            .collect();
        bind(self, &mut vars, line, 0)
    }
}

fn bind(script: &Script, vars: &mut Vec<(String, String)>, line: usize, depth: usize) -> Script {
    let mut out = Script::default();
    for e in &script.entries {
        let node = match &e.node {
            Node::Simple(s) => {
                let mut s = s.clone();
                s.line = line;
                for w in &mut s.words {
                    *w = substitute(w, vars);
                }
                for r in &mut s.redirects {
                    r.target = substitute(&r.target, vars);
                }
                assign(&s.words, vars);
                Node::Simple(s)
            }
            _ if depth > MAX_DEPTH => e.node.clone(),
            Node::Subshell(inner) => {
                Node::Subshell(bind(inner, &mut vars.clone(), line, depth + 1))
            }
            Node::Branches(arms) => {
                let before = vars.clone();
                let mut bound = vec![];
                for a in arms {
                    let mut own = before.clone();
                    bound.push(bind(a, &mut own, line, depth + 1));
                    // A variable a branch may have changed is no longer known after it.
                    vars.retain(|v| own.contains(v));
                }
                Node::Branches(bound)
            }
            // Its own `$1` are its own calls'.
            Node::Function { .. } => e.node.clone(),
        };
        out.entries.push(Entry { node, then: e.then });
    }
    out
}

/// The variables a command sets (`NAME=value` alone, or after `local`, `export`, `declare`,
/// `readonly`, `typeset`), and `shift`'s move of the positional parameters, into `vars`.
fn assign(words: &[String], vars: &mut Vec<(String, String)>) {
    let Some(first) = words.first() else { return };
    let sets: &[String] = if is_assignment(first) {
        if !program_words(words).is_empty() {
            // `NAME=x cmd`: for the command only.
            return;
        }
        words
    } else if matches!(
        first.as_str(),
        "local" | "export" | "declare" | "readonly" | "typeset"
    ) {
        &words[1..]
    } else {
        if first == "shift" {
            let n = words
                .get(1)
                .map_or(Some(1), |w| w.parse::<usize>().ok())
                .unwrap_or(usize::MAX);
            let mut moved = vec![];
            for (k, v) in vars.drain(..) {
                match k.parse::<usize>() {
                    Ok(i) if i > n => moved.push(((i - n).to_string(), v)),
                    Ok(_) => {}
                    Err(_) => moved.push((k, v)),
                }
            }
            *vars = moved;
        }
        return;
    };
    for w in sets {
        let Some((name, value)) = w.split_once('=').filter(|_| is_assignment(w)) else {
            continue;
        };
        vars.retain(|(n, _)| n != name);
        if !value.contains(['$', '`']) {
            vars.push((name.to_string(), value.to_string()));
        }
    }
}

/// `word` with each of `vars`' `$NAME` and `${NAME}` replaced (not `$NAMED`, nor `$10`).
pub fn substitute(word: &str, vars: &[(String, String)]) -> String {
    let mut word = word.to_string();
    for (name, value) in vars {
        if !word.contains('$') {
            break;
        }
        word = word.replace(&format!("${{{name}}}"), value);
        let plain = format!("${name}");
        let mut out = String::new();
        let mut rest = word.as_str();
        while let Some(at) = rest.find(&plain) {
            let after = &rest[at + plain.len()..];
            let longer = after
                .chars()
                .next()
                .is_some_and(|c| c == '_' || c.is_ascii_alphanumeric());
            out.push_str(&rest[..at]);
            out.push_str(if longer { &plain } else { value });
            rest = after;
        }
        out.push_str(rest);
        word = out;
    }
    word
}

/// A name a shell function or variable may have.
fn is_name(w: &str) -> bool {
    !w.is_empty()
        && !w.starts_with(|c: char| c.is_ascii_digit())
        && w.chars()
            .all(|c| c == '_' || c == '-' || c == ':' || c == '.' || c.is_ascii_alphanumeric())
}

/// Follow `cd DIR` in `scope`: a plain folder is joined; `$VAR`, `-`, `~`, a `{{template}}`
/// or nothing makes the folder unknown. `cd "$(dirname "$0")/.."` is left to the caller (it knows the script's file).
fn cd(s: &Simple, scope: &mut Scope) {
    let words = program_words(&s.words);
    if words.first().map(String::as_str) != Some("cd") {
        return;
    }
    let target = words[1..].iter().find(|w| !w.starts_with('-') || *w == "-");
    match target {
        Some(t) if !t.contains(['$', '`', '~']) && !t.contains("{{") && t != "-" => {
            for d in std::iter::once(&mut scope.dir).chain(&mut scope.other_dirs) {
                // `push` of an absolute path replaces the folder.
                d.push(t);
            }
            if t.starts_with('/') {
                scope.other_dirs.clear();
            }
        }
        _ => scope.dir_known = false,
    }
}

/// The script of `sh -c 'SCRIPT'` (also bash, zsh, dash, ash, with other flags before `-c`).
pub fn shell_c_script(words: &[String]) -> Option<String> {
    let words = program_words(words);
    let name = words.first()?.rsplit('/').next()?;
    if !matches!(name, "sh" | "bash" | "zsh" | "dash" | "ash" | "ksh") {
        return None;
    }
    let mut it = words[1..].iter();
    while let Some(w) = it.next() {
        if !w.starts_with('-') {
            return None;
        }
        if w.len() > 1 && w[1..].chars().all(|c| c.is_ascii_alphabetic()) && w.contains('c') {
            return it.next().cloned();
        }
    }
    None
}

fn parse_nested(src: &str, depth: usize) -> Script {
    let mut p = Parser {
        chars: src.chars().collect(),
        at: 0,
        line: 1,
        depth,
        heredocs: vec![],
    };
    p.script(None)
}

/// The rest of a path word that starts with the shell's folder (`$(pwd)/tmp/main`,
/// `$PWD/tmp`, `${PWD}`, `` `pwd`/x ``): `tmp/main`, `tmp`, ``, `x`. None for any other word
/// (`$PWDX`, `./tmp/main`).
pub fn pwd_relative(word: &str) -> Option<&str> {
    ["$(pwd)", "${PWD}", "`pwd`", "$PWD"]
        .iter()
        .find_map(|p| word.strip_prefix(p))
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .map(|rest| rest.trim_start_matches('/'))
}

/// `word` as sh expands it in an environment known whole (a container's: its image's `ENV`
/// and compose's `environment:`): `$NAME`, `${NAME}`, and `${NAME:-default}` /
/// `${NAME-default}` (the default when NAME is unset, or for `:-` empty). None when a part is
/// not known (another expansion, an unset NAME without a default, a default that expands).
pub fn expand_known(word: &str, env: &[(String, String)]) -> Option<String> {
    let value = |name: &str| env.iter().rfind(|(k, _)| k == name).map(|(_, v)| v.clone());
    let ident = |c: char| c == '_' || c.is_ascii_alphanumeric();
    let mut out = String::new();
    let mut rest = word;
    while let Some(at) = rest.find(['$', '`']) {
        out.push_str(&rest[..at]);
        let after = rest[at..].strip_prefix('$')?;
        if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            let name_len = body.find(|c: char| !ident(c)).unwrap_or(body.len());
            let (name, op) = body.split_at(name_len);
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let got = value(name);
            let v = match (op, op.strip_prefix(":-"), op.strip_prefix('-')) {
                ("", _, _) => got?,
                (_, Some(d), _) | (_, None, Some(d)) if d.contains(['$', '`', '{', '}']) => {
                    return None
                }
                (_, Some(d), _) => got.filter(|v| !v.is_empty()).unwrap_or_else(|| d.into()),
                (_, None, Some(d)) => got.unwrap_or_else(|| d.into()),
                _ => return None,
            };
            out.push_str(&v);
            rest = &inner[end + 1..];
        } else {
            let len = after.find(|c: char| !ident(c)).unwrap_or(after.len());
            let name = &after[..len];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            out.push_str(&value(name)?);
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// A word that only sets a variable (`CGO_ENABLED=0`).
pub fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty()
            && !k.starts_with(|c: char| c.is_ascii_digit())
            && k.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
    })
}

/// The words from the program on: leading `NAME=value` assignments skipped, and the
/// wrappers that run the rest as a command (`env [-i] [NAME=value]...`, `exec`, `nohup`,
/// `time`, `command` (not `command -v`), `nice [-n N]`, `sudo [-u USER]`, `stdbuf -oL`).
pub fn program_words(words: &[String]) -> &[String] {
    let mut rest = words;
    loop {
        let n = rest.iter().take_while(|w| is_assignment(w)).count();
        rest = &rest[n..];
        let Some(first) = rest.first() else {
            return rest;
        };
        let name = first.rsplit('/').next().unwrap_or(first);
        let skip = match name {
            "exec" | "nohup" | "time" => 1,
            "command" if rest.get(1).is_some_and(|w| !w.starts_with('-')) => 1,
            "env" | "nice" | "sudo" | "stdbuf" => {
                // The wrapper, then its options (with the value of those that take one).
                let mut i = 1;
                while let Some(w) = rest.get(i) {
                    if w == "--" {
                        i += 1;
                        break;
                    }
                    if !w.starts_with('-') {
                        break;
                    }
                    let takes_value = matches!(
                        (name, w.as_str()),
                        ("env", "-u" | "-C" | "-S")
                            | ("nice", "-n")
                            | ("sudo", "-u" | "-g" | "-C" | "-D")
                    );
                    i += if takes_value { 2 } else { 1 };
                }
                i
            }
            _ => return rest,
        };
        rest = rest.get(skip..).unwrap_or_default();
    }
}

/// The program a command runs: its first word after assignments and wrappers, without
/// folders (`make`, `go`, `build.sh`); empty when there is none.
pub fn program(words: &[String]) -> &str {
    program_words(words)
        .first()
        .map_or("", |w| w.rsplit('/').next().unwrap_or(w))
}

/// Words that start a compound command or end one: the commands they hold are read as
/// ordinary commands, the words themselves are no program.
const RESERVED_PREFIX: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{",
];
const RESERVED_ALONE: &[&str] = &["fi", "done", "esac", "}"];

struct Parser {
    chars: Vec<char>,
    at: usize,
    line: usize,
    depth: usize,
    /// Here-document delimiters waiting for the next newline: (delimiter, strip tabs).
    heredocs: Vec<(String, bool)>,
}

enum Token {
    Word(String, Vec<Script>),
    Op(&'static str),
    Redirect(String),
    Newline,
    Eof,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.at + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// A script up to `close` (`)` for a subshell, `}` for a function's body) or the end.
    fn script(&mut self, close: Option<char>) -> Script {
        self.script_to(close, &[]).0
    }

    /// A script up to `close`, the end, or one of `stops` (reserved words such as `fi`, or
    /// `;;`) where a command could start; with the stop that ended it (None for the others).
    fn script_to(&mut self, close: Option<char>, stops: &[&str]) -> (Script, Option<String>) {
        let mut script = Script::default();
        let mut current = Simple::default();
        let mut pending_redirect: Option<String> = None;
        let mut skip_header = false;
        // `name() {`: a function definition; its body is read as commands of a scope of
        // its own (a subshell node), since it runs when called, not where it is written: a
        // `cd` in it does not move the commands after the definition.
        let mut fn_paren = false;
        let mut fn_body_next = false;
        // The name of the function whose body comes next.
        let mut fn_name = String::new();
        // `{ ...; }` groups open inside a function's body.
        let mut groups = 0usize;
        loop {
            let start_line = self.line;
            let tok = self.token();
            match tok {
                Token::Word(w, subs) => {
                    if let Some(op) = pending_redirect.take() {
                        current.substitutions.extend(subs);
                        if let Some(d) = op.strip_prefix("<<") {
                            let strip = d.starts_with('-');
                            self.heredocs.push((w.clone(), strip));
                        }
                        current.redirects.push(Redirect { op, target: w });
                        continue;
                    }
                    if skip_header {
                        continue;
                    }
                    if current.words.is_empty() {
                        if w == "{" && std::mem::take(&mut fn_body_next) && self.depth < MAX_DEPTH {
                            self.depth += 1;
                            let body = self.script(Some('}'));
                            self.depth -= 1;
                            script.entries.push(Entry {
                                node: Node::Function {
                                    name: std::mem::take(&mut fn_name),
                                    body,
                                },
                                then: Joint::Seq,
                            });
                            continue;
                        }
                        fn_body_next = false;
                        if stops.contains(&w.as_str()) {
                            Self::end(&mut script, &mut current, Joint::Seq);
                            return (script, Some(w));
                        }
                        if matches!(w.as_str(), "if" | "case") && self.depth < MAX_DEPTH {
                            self.depth += 1;
                            let arms = if w == "if" {
                                self.if_arms(&mut script)
                            } else {
                                self.case_arms()
                            };
                            self.depth -= 1;
                            script.entries.push(Entry {
                                node: Node::Branches(arms),
                                then: Joint::Seq,
                            });
                            continue;
                        }
                        if close == Some('}') {
                            match w.as_str() {
                                "{" => groups += 1,
                                "}" if groups == 0 => {
                                    Self::end(&mut script, &mut current, Joint::Seq);
                                    return (script, None);
                                }
                                "}" => groups -= 1,
                                _ => {}
                            }
                        }
                        if RESERVED_PREFIX.contains(&w.as_str()) {
                            continue;
                        }
                        if RESERVED_ALONE.contains(&w.as_str()) {
                            continue;
                        }
                        if matches!(w.as_str(), "for" | "case" | "select") {
                            // `for x in a b` (or a `case` nested too deep): a header.
                            skip_header = true;
                            continue;
                        }
                        current.line = start_line;
                    }
                    if current.words.len() == 1
                        && current.words[0] == "function"
                        && current.redirects.is_empty()
                        && is_name(&w)
                    {
                        // `function name {` or `function name() {`.
                        current = Simple::default();
                        fn_name = w;
                        fn_body_next = true;
                        continue;
                    }
                    current.words.push(w);
                    current.substitutions.extend(subs);
                }
                Token::Redirect(op) => {
                    if current.words.is_empty() && current.redirects.is_empty() {
                        current.line = start_line;
                    }
                    pending_redirect = Some(op);
                }
                Token::Op("(") if current.words.is_empty() && fn_body_next => {
                    // `function name() {`: the parentheses after the name.
                    fn_paren = true;
                    fn_body_next = false;
                }
                Token::Op("(") if current.words.is_empty() && !skip_header => {
                    if self.depth >= MAX_DEPTH {
                        self.skip_to_close();
                        continue;
                    }
                    self.depth += 1;
                    let inner = self.script(Some(')'));
                    self.depth -= 1;
                    script.entries.push(Entry {
                        node: Node::Subshell(inner),
                        then: Joint::Seq,
                    });
                }
                Token::Op("(") if current.words.len() == 1 && current.redirects.is_empty() => {
                    fn_name = std::mem::take(&mut current).words.remove(0);
                    fn_paren = true;
                }
                Token::Op(")") if fn_paren => {
                    fn_paren = false;
                    fn_body_next = true;
                }
                Token::Op(")") if close == Some(')') => {
                    Self::end(&mut script, &mut current, Joint::Seq);
                    return (script, None);
                }
                Token::Op(op) if stops.contains(&op) => {
                    Self::end(&mut script, &mut current, Joint::Seq);
                    return (script, Some(op.to_string()));
                }
                Token::Op(op) => {
                    let joint = match op {
                        "&&" => Joint::And,
                        "||" => Joint::Or,
                        "|" | "|&" => Joint::Pipe,
                        "&" => Joint::Background,
                        _ => Joint::Seq, // ; ;; ( ) when not expected
                    };
                    if op == ";;" || op == ";" {
                        skip_header = false;
                    }
                    Self::end(&mut script, &mut current, joint);
                }
                Token::Newline => {
                    skip_header = false;
                    Self::end(&mut script, &mut current, Joint::Seq);
                }
                Token::Eof => {
                    Self::end(&mut script, &mut current, Joint::Seq);
                    return (script, None);
                }
            }
        }
    }

    /// After `if`: its condition goes to `script` (it always runs), and the branches are
    /// returned (`then`, each `elif` with its condition, `else` or an empty one), up to `fi`.
    fn if_arms(&mut self, script: &mut Script) -> Vec<Script> {
        let (condition, mut stop) = self.script_to(None, &["then"]);
        script.entries.extend(condition.entries);
        let mut arms = vec![];
        let mut has_else = false;
        let mut elif_condition = vec![];
        loop {
            match stop.as_deref() {
                Some(w @ ("then" | "else")) => {
                    has_else |= w == "else";
                    let (body, next) = self.script_to(None, &["elif", "else", "fi"]);
                    let mut arm = Script {
                        entries: std::mem::take(&mut elif_condition),
                    };
                    arm.entries.extend(body.entries);
                    arms.push(arm);
                    stop = next;
                }
                Some("elif") => {
                    let (condition, next) = self.script_to(None, &["then"]);
                    elif_condition = condition.entries;
                    stop = next;
                }
                _ => break, // `fi`, or the end of an unfinished `if`
            }
        }
        if !has_else {
            arms.push(Script::default());
        }
        arms
    }

    /// After `case`: the word and `in`, then each `PATTERN) ... ;;` as a branch, up to `esac`
    /// (an empty branch too unless a `*)` pattern catches the rest).
    fn case_arms(&mut self) -> Vec<Script> {
        loop {
            match self.token() {
                Token::Word(w, _) if w == "in" => break,
                Token::Eof => return vec![],
                _ => {}
            }
        }
        let mut arms = vec![];
        let mut catch_all = false;
        'arms: loop {
            let mut pattern = vec![];
            loop {
                match self.token() {
                    Token::Word(w, _) if w == "esac" && pattern.is_empty() => break 'arms,
                    Token::Word(w, _) => pattern.push(w),
                    Token::Op(")") => break,
                    Token::Eof => break 'arms,
                    _ => {} // newlines, `(` and the `|` between patterns
                }
            }
            catch_all |= pattern.iter().any(|p| p == "*");
            let (body, stop) = self.script_to(None, &["esac", ";;"]);
            arms.push(body);
            if stop.as_deref() != Some(";;") {
                break;
            }
        }
        if !catch_all {
            arms.push(Script::default());
        }
        arms
    }

    /// Close the current simple command (if any) and set what follows the last entry.
    fn end(script: &mut Script, current: &mut Simple, joint: Joint) {
        if !current.words.is_empty() || !current.redirects.is_empty() {
            script.entries.push(Entry {
                node: Node::Simple(std::mem::take(current)),
                then: joint,
            });
        } else if let Some(last) = script.entries.last_mut() {
            // `( ... ) &&`: the operator belongs to the subshell before it.
            if joint != Joint::Seq || last.then == Joint::Seq {
                last.then = joint;
            }
        }
    }

    /// Skip to the `)` matching an opening one already read.
    fn skip_to_close(&mut self) {
        let mut level = 1;
        while let Some(c) = self.bump() {
            match c {
                '(' => level += 1,
                ')' => {
                    level -= 1;
                    if level == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn token(&mut self) -> Token {
        // Blanks, line continuations and comments.
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.peek() else {
            return Token::Eof;
        };
        match c {
            '\n' => {
                self.bump();
                self.skip_heredoc_bodies();
                Token::Newline
            }
            ';' => {
                self.bump();
                if self.peek() == Some(';') {
                    self.bump();
                    return Token::Op(";;");
                }
                Token::Op(";")
            }
            '&' => {
                self.bump();
                match self.peek() {
                    Some('&') => {
                        self.bump();
                        Token::Op("&&")
                    }
                    Some('>') => {
                        self.bump();
                        if self.peek() == Some('>') {
                            self.bump();
                            return Token::Redirect("&>>".into());
                        }
                        Token::Redirect("&>".into())
                    }
                    _ => Token::Op("&"),
                }
            }
            '|' => {
                self.bump();
                match self.peek() {
                    Some('|') => {
                        self.bump();
                        Token::Op("||")
                    }
                    Some('&') => {
                        self.bump();
                        Token::Op("|&")
                    }
                    _ => Token::Op("|"),
                }
            }
            '(' => {
                self.bump();
                Token::Op("(")
            }
            ')' => {
                self.bump();
                Token::Op(")")
            }
            '<' | '>' => Token::Redirect(self.redirect_op(String::new())),
            _ => {
                // A descriptor number right before < or > is part of the operator.
                let digits = self.chars[self.at..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if digits > 0 && matches!(self.peek_at(digits), Some('<' | '>')) {
                    let n: String = self.chars[self.at..self.at + digits].iter().collect();
                    self.at += digits;
                    return Token::Redirect(self.redirect_op(n));
                }
                let (w, subs) = self.word();
                Token::Word(w, subs)
            }
        }
    }

    /// The rest of a redirection operator after its descriptor number.
    fn redirect_op(&mut self, mut op: String) -> String {
        let Some(first) = self.bump() else {
            return op;
        };
        op.push(first);
        match (first, self.peek()) {
            ('>', Some('>' | '|' | '&')) | ('<', Some('&' | '>')) => {
                op.push(self.bump().unwrap_or(' '))
            }
            ('<', Some('<')) => {
                op.push(self.bump().unwrap_or(' '));
                if matches!(self.peek(), Some('<' | '-')) {
                    op.push(self.bump().unwrap_or(' '));
                }
            }
            _ => {}
        }
        op
    }

    /// After a newline: skip the bodies of the here-documents opened on the line before.
    fn skip_heredoc_bodies(&mut self) {
        for (delim, strip_tabs) in std::mem::take(&mut self.heredocs) {
            loop {
                let start = self.at;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
                let line: String = self.chars[start..self.at].iter().collect();
                let eof = self.bump().is_none();
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    &line
                };
                if line == delim || eof {
                    break;
                }
            }
        }
    }

    /// One word: quotes removed, expansions kept as written, with the scripts of its
    /// command substitutions.
    fn word(&mut self) -> (String, Vec<Script>) {
        let mut w = String::new();
        let mut subs = vec![];
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(n) => w.push(n),
                    }
                }
                '\'' => {
                    self.bump();
                    while let Some(c) = self.bump() {
                        if c == '\'' {
                            break;
                        }
                        w.push(c);
                    }
                }
                '"' => {
                    self.bump();
                    self.double_quoted(&mut w, &mut subs);
                }
                '$' | '`' => self.expansion(&mut w, &mut subs),
                _ => {
                    self.bump();
                    w.push(c);
                }
            }
        }
        (w, subs)
    }

    /// The inside of "...": backslash escapes only $ ` " \ and a newline.
    fn double_quoted(&mut self, w: &mut String, subs: &mut Vec<Script>) {
        while let Some(c) = self.peek() {
            match c {
                '"' => {
                    self.bump();
                    return;
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(n @ ('$' | '`' | '"' | '\\')) => w.push(n),
                        Some(n) => {
                            w.push('\\');
                            w.push(n);
                        }
                        None => w.push('\\'),
                    }
                }
                '$' | '`' => self.expansion(w, subs),
                _ => {
                    self.bump();
                    w.push(c);
                }
            }
        }
    }

    /// `$(...)`, `$((...))`, `${...}`, `$NAME` or a backtick substitution, kept as written;
    /// the commands of `$(...)` and backticks parsed into `subs`.
    fn expansion(&mut self, w: &mut String, subs: &mut Vec<Script>) {
        let start = self.at;
        let c = self.bump().unwrap_or('$');
        if c == '`' {
            let mut inner = String::new();
            while let Some(c) = self.bump() {
                match c {
                    '`' => break,
                    '\\' => match self.bump() {
                        Some(n @ ('`' | '$' | '\\')) => inner.push(n),
                        Some(n) => {
                            inner.push('\\');
                            inner.push(n);
                        }
                        None => {}
                    },
                    c => inner.push(c),
                }
            }
            if self.depth < MAX_DEPTH {
                subs.push(parse_nested(&inner, self.depth + 1));
            }
            w.extend(&self.chars[start..self.at]);
            return;
        }
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                // Arithmetic: no commands inside.
                self.bump();
                self.skip_to_close();
            }
            Some('(') => {
                self.bump();
                if self.depth >= MAX_DEPTH {
                    self.skip_to_close();
                } else {
                    self.depth += 1;
                    let inner = self.script(Some(')'));
                    self.depth -= 1;
                    subs.push(inner);
                }
            }
            Some('{') => {
                let mut level = 0;
                while let Some(c) = self.bump() {
                    match c {
                        '{' => level += 1,
                        '}' => {
                            level -= 1;
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| c == '_' || c.is_ascii_alphanumeric())
                {
                    self.bump();
                }
                // `$@`, `$?`, `$$`, `$1`: one special character.
                if self.at == start + 1
                    && self.peek().is_some_and(|c| "@*#?$!-0123456789".contains(c))
                {
                    self.bump();
                }
            }
        }
        w.extend(&self.chars[start..self.at]);
    }
}

#[cfg(test)]
mod tests {
    /// Which commands' exit status is the script's: the last list's, not one before `;`,
    /// on the left of `||` or feeding a pipe (checked against real sh in
    /// tests/check_reloader_config.rs).
    #[test]
    fn whose_exit_status_is_the_scripts() {
        let unheeded = |src: &str| {
            let mut out = vec![];
            parse(src).walk(false, &mut |s, scope| {
                out.push((s.words[0].clone(), scope.unheeded));
            });
            out
        };
        let pairs = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
            v.iter().map(|(w, u)| (w.to_string(), *u)).collect()
        };
        assert_eq!(
            unheeded("a; b && c"),
            pairs(&[("a", true), ("b", false), ("c", false)])
        );
        assert_eq!(
            unheeded("a || b | c"),
            pairs(&[("a", true), ("b", true), ("c", false)])
        );
        assert_eq!(unheeded("a\nb\n"), pairs(&[("a", true), ("b", false)]));
    }

    use super::*;

    fn words(src: &str) -> Vec<Vec<String>> {
        commands(src).into_iter().map(|s| s.words).collect()
    }

    #[test]
    fn file_copies_pair_each_source_with_its_destination() {
        let copies = |src: &str| -> Vec<(String, String)> {
            commands(src).iter().flat_map(Simple::file_copies).collect()
        };
        let pair = |a: &str, b: &str| vec![(a.to_string(), b.to_string())];
        assert_eq!(
            copies(r#"sed "s/{X}/${X}/g" ./docker/air.toml > /root/.air.toml"#),
            pair("./docker/air.toml", "/root/.air.toml")
        );
        assert_eq!(
            copies("envsubst '$PORT' < air.tmpl > .air.toml"),
            pair("air.tmpl", ".air.toml")
        );
        assert_eq!(copies("cat a.toml > b.toml"), pair("a.toml", "b.toml"));
        assert_eq!(
            copies("tee /etc/air.toml < air.toml >/dev/null"),
            pair("air.toml", "/etc/air.toml")
        );
        assert_eq!(
            copies("install -m 644 air.toml /etc/air.toml"),
            pair("air.toml", "/etc/air.toml")
        );
        assert_eq!(
            copies("cp -f a.toml b.toml /cfg && mv x -t /y"),
            [
                pair("a.toml", "/cfg/"),
                pair("b.toml", "/cfg/"),
                pair("x", "/y/")
            ]
            .concat()
        );
        // Not a copy of one file: appended, edited in place, several inputs, a pipe's input.
        for src in [
            "cat a >> b",
            "sed -i s/a/b/ f",
            "cat a b > c",
            "curl -sSfL x | sh -s -- -b /go/bin",
            "envsubst > out",
        ] {
            assert!(copies(src).is_empty(), "{src}");
        }
    }

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn quotes_and_escapes_make_one_word() {
        assert_eq!(
            words(r#"go build -tags 'dev sqlite' -ldflags "-s -w" -o ./tmp/my\ app ."#),
            vec![vec![
                "go".to_string(),
                "build".into(),
                "-tags".into(),
                "dev sqlite".into(),
                "-ldflags".into(),
                "-s -w".into(),
                "-o".into(),
                "./tmp/my app".into(),
                ".".into()
            ]]
        );
        assert_eq!(words(r#"echo "a \"b\" \$c \d""#)[0][1], r#"a "b" $c \d"#);
        // An unterminated quote runs to the end instead of failing.
        assert_eq!(words("echo 'open"), vec![w("echo open")]);
    }

    #[test]
    fn separators_split_commands() {
        assert_eq!(
            words("templ generate && go build -o x . || echo no; ls | wc -l & true\nmake"),
            vec![
                w("templ generate"),
                w("go build -o x ."),
                w("echo no"),
                w("ls"),
                w("wc -l"),
                w("true"),
                w("make")
            ]
        );
        let s = parse("a && b | c & d");
        let joints: Vec<Joint> = s.entries.iter().map(|e| e.then).collect();
        assert_eq!(
            joints,
            vec![Joint::And, Joint::Pipe, Joint::Background, Joint::Seq]
        );
    }

    /// ZEISS/typhoon's cmd: `xargs)` is no program, and grep and xargs are commands of
    /// their own inside the substitution.
    #[test]
    fn command_substitutions_are_nested_scripts() {
        let src = "export $(grep -v '^#' .env | xargs); go build -o ./tmp/api cmd/api/main.go";
        let cmds = commands(src);
        assert_eq!(cmds.len(), 2);
        assert_eq!(
            cmds[0].words,
            vec!["export", "$(grep -v '^#' .env | xargs)"]
        );
        let inner: Vec<Vec<String>> = cmds[0].substitutions[0]
            .simple_commands()
            .iter()
            .map(|s| s.words.clone())
            .collect();
        assert_eq!(inner, vec![w("grep -v ^# .env"), w("xargs")]);
        let mut programs = vec![];
        parse(src).walk(false, &mut |s, scope| {
            programs.push((program(&s.words).to_string(), scope.substituted));
        });
        assert_eq!(
            programs,
            vec![
                ("grep".into(), true),
                ("xargs".into(), true),
                ("export".into(), false),
                ("go".into(), false)
            ]
        );
        // Backticks and substitutions inside double quotes too.
        let c = &commands(
            "VERSION=\"$(git describe --tags)\" go build -ldflags \"-X main.v=`date +%s`\"",
        )[0];
        assert_eq!(c.words[0], "VERSION=$(git describe --tags)");
        assert_eq!(c.words[4], "-X main.v=`date +%s`");
        assert_eq!(c.substitutions.len(), 2);
        assert_eq!(program(&c.words), "go");
        // Arithmetic and ${...} hold no commands.
        let c = &commands("echo $((1 + 2)) ${X:-$(pwd)}")[0];
        assert_eq!(c.words, vec!["echo", "$((1 + 2))", "${X:-$(pwd)}"]);
        assert!(c.substitutions.is_empty());
    }

    #[test]
    fn redirections_are_not_words() {
        let c = &commands("git rev-parse HEAD > version.txt 2>&1")[0];
        assert_eq!(c.words, w("git rev-parse HEAD"));
        assert_eq!(
            c.redirects,
            vec![
                Redirect {
                    op: ">".into(),
                    target: "version.txt".into()
                },
                Redirect {
                    op: "2>&".into(),
                    target: "1".into()
                }
            ]
        );
        assert!(c.redirects[0].writes() && !c.redirects[1].writes());
        let c = &commands("air -c .air.toml >../backend.log 2>&1 &")[0];
        assert_eq!(c.words, w("air -c .air.toml"));
        assert_eq!(c.redirects[0].target, "../backend.log");
        // A here-document's body is no command.
        assert_eq!(
            words("cat <<EOF > x.go\nrm -rf /\nEOF\nair"),
            vec![w("cat"), w("air")]
        );
    }

    #[test]
    fn subshells_keep_their_cd() {
        let mut seen = vec![];
        let src = "(cd web && bun run dev) & ( cd api && \"$AIR\" ) ; cd backend && DATA=1 air -c .air.toml";
        parse(src).walk(false, &mut |s, scope| {
            seen.push((program(&s.words).to_string(), scope.dir.clone()))
        });
        let at = |p: &str| PathBuf::from(p);
        assert_eq!(
            seen,
            vec![
                ("cd".into(), at("")),
                ("bun".into(), at("web")),
                ("cd".into(), at("")),
                ("$AIR".into(), at("api")),
                ("cd".into(), at("")),
                ("air".into(), at("backend")),
            ]
        );
        // `cd x &` and `cd x | y` do not move the shell.
        let mut dirs = vec![];
        parse("cd a & cd b | cat; air").walk(false, &mut |s, scope| {
            if program(&s.words) == "air" {
                dirs.push(scope.dir.clone());
            }
        });
        assert_eq!(dirs, vec![PathBuf::new()]);
    }

    #[test]
    fn shell_c_scripts_are_walked_with_into_shells() {
        let src = "sh -c \"go install github.com/air-verse/air@latest && cd cmd/api && air -c .air.toml\"";
        let mut found = vec![];
        parse(src).walk(true, &mut |s, scope| {
            if program(&s.words) == "air" {
                found.push((s.words.clone(), scope.dir.clone(), scope.via_shell));
            }
        });
        assert_eq!(
            found,
            vec![(w("air -c .air.toml"), PathBuf::from("cmd/api"), true)]
        );
        assert_eq!(shell_c_script(&w("/bin/bash -lc x")), Some("x".to_string()));
        assert_eq!(shell_c_script(&w("bash script.sh")), None);
    }

    /// A function's body runs when it is called: its `cd` does not move what follows the
    /// definition (Ebejay95/go_vue_boilerplate's dev-start.sh `cd frontend` ... `cd ..` in
    /// `generate_proto() { ... }`, with an `if` inside and a `{ ...; }` group).
    #[test]
    fn a_function_body_is_a_scope_of_its_own() {
        let src = "gen() {\n  cd frontend\n  if x; then\n    cd ..\n    return 1\n  fi\n  { a; b; } > log\n  cd ..\n}\n\ncd backend\nair -c .air.toml\nother () { cd /x; }\nlast\n";
        let mut seen = vec![];
        parse(src).walk(true, &mut |s, scope| {
            seen.push((s.words.join(" "), scope.dir.display().to_string()));
        });
        let at = |w: &str| seen.iter().find(|(c, _)| c == w).map(|(_, d)| d.as_str());
        assert_eq!(at("air -c .air.toml"), Some("backend"), "{seen:?}");
        assert_eq!(at("last"), Some("backend"), "{seen:?}");
        assert!(at("a").is_some() && at("b").is_some(), "{seen:?}");
    }

    /// cms-lvtn/be-lvtn's run-all.sh: `run_service()` does `local dir=$3`, `cd "$dir"`,
    /// `air -c "$2" &`, `cd "$ROOT"`, and is called once per service with literal words. Each
    /// call is walked with its words as `$1`.., in the caller's folder, on the call's line,
    /// after the body is walked where it is written (its folder unknown there). `function
    /// name {` is a definition too.
    #[test]
    fn a_function_call_runs_its_body_with_the_call_words() {
        let src = "run_service() {\n  local name=$1\n  local config_file=$2\n  local service_dir=$3\n  cd \"$service_dir\"\n  air -c \"$config_file\" > \"logs/${name}.log\" 2>&1 &\n  cd /r\n}\n\nrun_service user /r/air/.air-user.toml /r/src/service/user\nrun_service server \"/r/air/.air-server.toml\" /r\nfunction later {\n  shift\n  cd \"$1\"\n}\nlater x sub\npwd\nfunction never() { cd nowhere; air; }\n";
        let mut seen = vec![];
        parse(src).walk(true, &mut |s, scope| {
            seen.push((
                s.words.join(" "),
                scope.dir.display().to_string(),
                s.line,
                scope.dir_known,
            ));
        });
        let airs: Vec<_> = seen.iter().filter(|(w, ..)| w.starts_with("air")).collect();
        assert_eq!(
            airs,
            vec![
                &("air -c $config_file".to_string(), String::new(), 6, false),
                &(
                    "air -c /r/air/.air-user.toml".to_string(),
                    "/r/src/service/user".to_string(),
                    10,
                    true
                ),
                &(
                    "air -c /r/air/.air-server.toml".to_string(),
                    "/r".to_string(),
                    11,
                    true
                ),
                &("air".to_string(), "/r/sub/nowhere".to_string(), 18, true),
            ],
            "{seen:?}"
        );
        let pwd = seen.iter().find(|(w, ..)| w == "pwd").unwrap();
        assert_eq!(pwd.1, "/r/sub", "{seen:?}");
    }

    /// A `cd` in one branch of an `if` or `case` may or may not have run after `fi`/`esac`:
    /// `if [ -d api ]; then cd api; fi; air` runs in `api` or `.`; `else cd web` is not
    /// `api/web`; inside a branch its own `cd` is known.
    #[test]
    fn after_a_branch_each_branch_folder_is_possible() {
        let dirs = |src: &str, cmd: &str| -> Vec<String> {
            let mut out = vec![];
            parse(src).walk(true, &mut |s, scope| {
                if s.words.join(" ") == cmd {
                    assert!(scope.dir_known, "{src}");
                    out = scope
                        .each_dir()
                        .iter()
                        .map(|d| d.dir.display().to_string())
                        .collect();
                }
            });
            out
        };
        assert_eq!(
            dirs(
                "if [ -d api ]; then\n  cd api\nfi\nair -c .air.toml\n",
                "air -c .air.toml"
            ),
            vec!["api", ""]
        );
        let src = r#"if [ "$1" = web ]; then cd web; elif [ -n "$2" ]; then cd /srv; else cd api && air; fi
cd cmd
air -d
"#;
        assert_eq!(dirs(src, "air"), vec!["api"]);
        assert_eq!(dirs(src, "air -d"), vec!["web/cmd", "/srv/cmd", "api/cmd"]);
        let src = "case \"$1\" in\n  api|server)\n    cd services/api\n    ;;\n  (web) cd web ;;\n  *)\n    echo usage; exit 1 ;;\nesac\nexec air\n";
        assert_eq!(
            dirs(src, "exec air"),
            vec!["services/api", "web", ""],
            "the `*)` branch exits, but that is not followed"
        );
        assert_eq!(
            dirs("case $x in a) cd a;; esac; air\n", "air"),
            vec!["a", ""]
        );
        let unknown = "if x; then cd \"$DIR\"; fi\nair\n";
        parse(unknown).walk(true, &mut |s, scope| {
            if s.words == ["air"] {
                assert!(!scope.dir_known);
            }
        });
    }

    #[test]
    fn reserved_words_and_wrappers() {
        let src =
            "if command -v air > /dev/null; then air -c ./cmd/api/.air.toml; else echo no; fi";
        assert_eq!(
            words(src),
            vec![
                w("command -v air"),
                w("air -c ./cmd/api/.air.toml"),
                w("echo no")
            ]
        );
        assert_eq!(
            words("for f in *.go; do gofmt -l $f; done"),
            vec![w("gofmt -l $f")]
        );
        assert_eq!(program(&w("env -u X FOO=1 nohup nice -n 5 air -d")), "air");
        assert_eq!(program(&w("CGO_ENABLED=0 exec ./bin/air")), "air");
        assert_eq!(program(&w("command -v air")), "command");
        assert_eq!(program(&[]), "");
    }

    #[test]
    fn lines_are_counted() {
        let cmds = commands("set -e\n\ncd /app \\\n  && air -c x\n");
        assert_eq!(
            cmds.iter().map(|c| c.line).collect::<Vec<_>>(),
            vec![1, 3, 4]
        );
    }

    #[test]
    fn hostile_input_ends() {
        let deep = "$(".repeat(10_000) + &")".repeat(10_000);
        let _ = parse(&deep);
        let deep = "(".repeat(10_000);
        let _ = parse(&deep);
        let _ = parse("`");
        let _ = parse("a <<");
        let _ = parse(")))");
        let _ = parse("2>");
        let _ = parse("$");
        let _ = parse("\\");
        let _ = parse(&"if x; then ".repeat(10_000));
        let _ = parse(&"case $x in a) ".repeat(10_000));
        let _ = parse("case");
        let _ = parse("esac ;; fi then elif else");
        let _ = parse("case x in (a|b) cd a;; *) ;; esac; if; then fi");
    }

    /// A container's known environment: its values, `:-`/`-` defaults, nothing guessed.
    #[test]
    fn expand_known_uses_values_and_defaults() {
        let env = vec![
            ("SVC".to_string(), "api".to_string()),
            ("EMPTY".to_string(), String::new()),
        ];
        let x = |w: &str| expand_known(w, &env);
        assert_eq!(x("${AIR_CONFIG:-.air.toml}").as_deref(), Some(".air.toml"));
        assert_eq!(x("${SVC:-.air.toml}").as_deref(), Some("api"));
        assert_eq!(x("cfg/${SVC}.toml").as_deref(), Some("cfg/api.toml"));
        assert_eq!(x("$SVC/air.toml").as_deref(), Some("api/air.toml"));
        assert_eq!(x("${EMPTY:-a.toml}").as_deref(), Some("a.toml"));
        assert_eq!(x("${EMPTY-a.toml}").as_deref(), Some(""));
        assert_eq!(x("${NONE}"), None);
        assert_eq!(x("$(pwd)/a"), None);
        assert_eq!(x("${NONE:-$HOME}"), None);
        assert_eq!(x("${SVC:+x}"), None);
    }
}
