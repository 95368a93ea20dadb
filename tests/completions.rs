//! Shell completion driven in the real shells: the generated script is loaded into bash (its
//! completion function called with COMP_WORDS and COMP_CWORD, as bash calls it on TAB) and
//! into fish (`complete -C`) and into an interactive zsh on a pty (TAB pressed), and what they
//! offer is checked. And README's completion and man lines run as written.

mod common;

use common::{bin, stdout};
use reload_doctor_checks as checks;
use std::path::Path;
use std::process::Command;

fn script(shell: &str) -> tempfile::NamedTempFile {
    let o = Command::new(bin())
        .args(["completions", shell])
        .output()
        .unwrap();
    assert!(o.status.success(), "completions {shell}");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &o.stdout).unwrap();
    file
}

/// What bash's completion of `words` offers (the last word is the one being completed), with
/// the function the script registers for reload-doctor, in an empty folder (so a fallback to
/// file names would show as nothing).
fn bash(words: &[&str]) -> Vec<String> {
    let script = script("bash");
    let empty = tempfile::tempdir().unwrap();
    let driver = r#"
        source "$1"; shift
        spec=$(complete -p reload-doctor) || exit 3
        fn=${spec##*-F }; fn=${fn%% *}
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        "$fn" reload-doctor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let o = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", driver, "bash"])
        .arg(script.path())
        .args(words)
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(&o)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn ids() -> Vec<String> {
    checks::REGISTRY.iter().map(|c| c.id.to_string()).collect()
}

#[test]
fn bash_completes_the_options_of_a_subcommand() {
    let run = bash(&["reload-doctor", "run", "--pro"]);
    assert!(
        run.contains(&"--project".into()) && run.contains(&"--proxy".into()),
        "{run:?}"
    );
    assert_eq!(bash(&["reload-doctor", "run", "--diff"]), ["--differences"]);
    assert_eq!(bash(&["reload-doctor", "verify", "--wi"]), ["--with"]);
    assert_eq!(bash(&["reload-doctor", "checks", "--mark"]), ["--markdown"]);
    let shells = bash(&["reload-doctor", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.iter().any(|s| s == shell), "{shells:?}");
    }
}

#[test]
fn bash_completes_check_ids_for_explain_only_and_skip() {
    assert_eq!(
        bash(&["reload-doctor", "explain", "inotify-"]),
        ["inotify-watches", "inotify-instances"]
    );
    assert_eq!(bash(&["reload-doctor", "--only", ""]), ids());
    assert_eq!(bash(&["reload-doctor", "--skip", "comp"]), ["compile"]);
    assert_eq!(
        bash(&["reload-doctor", "--fix", "--only", "zom"]),
        ["zombies"]
    );
}

#[test]
fn hidden_flags_are_not_offered() {
    assert_eq!(bash(&["reload-doctor", "--sys"]), Vec::<String>::new());
    let all = bash(&["reload-doctor", "--"]);
    assert!(all.iter().any(|w| w == "--fix"), "{all:?}");
    assert!(!all.iter().any(|w| w == "--system-root"), "{all:?}");
    // Nor by the other shells' scripts (fish keeps the name in its option parser's spec,
    // `system-root=`, which reads a typed command line and offers nothing).
    for shell in ["bash", "zsh", "elvish", "powershell"] {
        let text = std::fs::read_to_string(script(shell).path()).unwrap();
        assert!(!text.contains("--system-root"), "{shell}");
    }
    let fish = std::fs::read_to_string(script("fish").path()).unwrap();
    assert!(!fish.contains("-l system-root"), "{fish}");
}

/// What fish offers for `line` (candidates without their descriptions), sorted.
fn fish(line: &str) -> Vec<String> {
    common::ensure_installed("fish", "fish");
    let script = script("fish");
    let home = tempfile::tempdir().unwrap();
    let o = Command::new("fish")
        .args(["--no-config", "-c"])
        .arg(format!(
            "source {}; complete -C '{line}'",
            script.path().display()
        ))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .current_dir(home.path())
        .output()
        .expect("fish is installed (apt-get install fish)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(&o)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn fish_completes_subcommand_options_and_check_ids() {
    let run = fish("reload-doctor run --pro");
    assert!(
        run.contains(&"--project".into()) && run.contains(&"--proxy".into()),
        "{run:?}"
    );
    assert_eq!(fish("reload-doctor run --diff"), ["--differences"]);
    assert_eq!(fish("reload-doctor verify --wi"), ["--with"]);
    assert_eq!(
        fish("reload-doctor explain inotify-"),
        ["inotify-instances", "inotify-watches"]
    );
    let mut sorted = ids();
    sorted.sort();
    assert_eq!(fish("reload-doctor --only "), sorted);
    assert_eq!(fish("reload-doctor explain "), sorted);
    assert_eq!(fish("reload-doctor --sys"), Vec::<String>::new());
}

/// What zsh's completion offers for `line`: an interactive zsh on a pty (zsh/zpty) with the
/// script on fpath and compinit run, `line` typed and TAB pressed; compadd is wrapped to
/// write down what each call adds.
fn zsh(line: &str) -> Vec<String> {
    common::ensure_installed("zsh", "zsh");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(script("zsh").path(), dir.path().join("_reload-doctor")).unwrap();
    let hits = dir.path().join("hits");
    let driver = r#"
        zmodload zsh/zpty
        zpty z zsh -f -i
        # Run a command in that shell and wait until it has run (the marker is computed, so
        # the echo of the typed command does not match it).
        step() { zpty -w z "$1; print Z\$((40+2))Z"; zpty -r z reply '*Z42Z*' }
        step "PROMPT=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
        step "compadd() { builtin compadd -O h \"\$@\"; print -rl -- \$h >> ${(q)2}; builtin compadd \"\$@\" }"
        # TAB completes, then says it is done (a key typed early would cut completion short).
        step "tab() { zle complete-word; print -n Z\$((40+2))Z }; zle -N tab; bindkey '^I' tab"
        zpty -w -n z "$3"$'\t'
        zpty -r z reply '*Z42Z*'
        zpty -d z
    "#;
    let o = Command::new("timeout")
        .args(["60", "zsh", "-f", "-c", driver, "zsh"])
        .arg(dir.path())
        .arg(&hits)
        .arg(line)
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .expect("zsh is installed (apt-get install zsh)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let offered = std::fs::read_to_string(&hits).unwrap_or_default();
    let set: std::collections::BTreeSet<String> = offered
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    set.into_iter().collect()
}

#[test]
fn zsh_completes_subcommand_options_and_check_ids() {
    let run = zsh("reload-doctor run --pro");
    assert!(
        run.contains(&"--project".into()) && run.contains(&"--proxy".into()),
        "{run:?}"
    );
    assert_eq!(zsh("reload-doctor verify --wi"), ["--with"]);
    assert_eq!(
        zsh("reload-doctor explain inotify-"),
        ["inotify-instances", "inotify-watches"]
    );
    let mut sorted = ids();
    sorted.sort();
    assert_eq!(zsh("reload-doctor --only "), sorted);
    assert_eq!(zsh("reload-doctor --skip comp"), ["compile"]);
    assert_eq!(zsh("reload-doctor --sys"), Vec::<String>::new());
    let all = zsh("reload-doctor --");
    assert!(all.contains(&"--fix".into()), "{all:?}");
}

/// README's lines for completions and the man page, run as written with a fresh HOME: each
/// makes its folder and writes a script its shell reads.
#[test]
fn readme_completion_and_man_lines_work_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("Shell completions (subcommands, flags, check ids) and the man page:\n\n```sh\n")
        .expect("README's completion block");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];

    let home = tempfile::tempdir().unwrap();
    let bin_dir = Path::new(bin()).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let o = Command::new("sh")
        .args(["-e", "-c", block])
        .env("HOME", home.path())
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let h = home.path();
    let written = [
        (
            h.join(".local/share/bash-completion/completions/reload-doctor"),
            "bash",
        ),
        (h.join(".zfunc/_reload-doctor"), "zsh"),
        (
            h.join(".config/fish/completions/reload-doctor.fish"),
            "fish",
        ),
    ];
    for (file, shell) in &written {
        let parsed = Command::new(shell).arg("-n").arg(file).status().unwrap();
        assert!(parsed.success(), "{shell} reads {}", file.display());
    }
    // Each shell's line is labelled with that shell.
    for shell in ["bash", "zsh", "fish"] {
        let line = block
            .lines()
            .position(|l| l.starts_with(&format!("reload-doctor completions {shell} ")))
            .unwrap();
        let lines: Vec<&str> = block.lines().collect();
        assert!(
            lines[line - 2].starts_with(&format!("# {shell}")),
            "{block}"
        );
    }
    let man = std::fs::read_to_string(h.join(".local/share/man/man1/reload-doctor.1")).unwrap();
    assert!(man.contains(".TH reload-doctor 1"));
    // Every subcommand's page too.
    let run = std::fs::read_to_string(h.join(".local/share/man/man1/reload-doctor-run.1")).unwrap();
    assert!(run.contains(".TH reload-doctor-run 1"));
}
