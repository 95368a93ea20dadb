//! `run --fast`: build flags that make a plain `go build` rebuild faster without changing what
//! the app does. `-ldflags='-s -w'` leaves the DWARF debug data and the symbol table out, so
//! the linker writes far less (the cost: a debugger cannot attach to the app, and panics
//! still print file:line); `-buildvcs=false` spares go looking up the VCS state on each
//! build. Never added to a script or a command line of more than one step.

use checks::golang::build_plan::BuildPlan;
use reload_doctor_checks as checks;

/// The command with the flags it lacked, and what was added or left alone.
#[derive(Debug, PartialEq)]
pub struct Fast {
    pub cmd: String,
    pub added: Vec<&'static str>,
    /// Flags the command sets itself, left as they are.
    pub kept: Vec<&'static str>,
}

/// `cmd` built the fast way; the error says why it is left alone.
pub fn fast(cmd: &str) -> Result<Fast, String> {
    let line = cmd.trim();
    let rest = line
        .strip_prefix("go build")
        .filter(|r| r.is_empty() || r.starts_with(char::is_whitespace));
    let plain = checks::shell::commands(line).len() == 1
        && !line.contains(['$', '`', '>', '<', '|', ';', '&', '\n', '\\']);
    let Some(rest) = rest.filter(|_| plain) else {
        return Err(format!(
            "--fast changes only a build.cmd that is one plain `go build`, not `{line}`; add -ldflags='-s -w' -buildvcs=false to your go build yourself"
        ));
    };
    let plan = BuildPlan::parse(line);
    let has = |name: &str| {
        plan.flags
            .iter()
            .any(|f| f.trim_start_matches('-').split('=').next() == Some(name))
    };
    let (mut added, mut kept) = (vec![], vec![]);
    for (name, flag) in [
        ("ldflags", "-ldflags='-s -w'"),
        ("buildvcs", "-buildvcs=false"),
    ] {
        if has(name) {
            kept.push(flag);
        } else {
            added.push(flag);
        }
    }
    let cmd = match added.is_empty() {
        true => line.to_string(),
        false => format!("go build {}{rest}", added.join(" ")),
    };
    Ok(Fast { cmd, added, kept })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_what_a_plain_go_build_lacks() {
        let f = fast("go build -o ./tmp/main .").unwrap();
        assert_eq!(
            f.cmd,
            "go build -ldflags='-s -w' -buildvcs=false -o ./tmp/main ."
        );
        let f = fast("go build -ldflags \"-X main.v=1\" -o ./tmp/main .").unwrap();
        assert_eq!(
            (f.cmd.as_str(), f.kept),
            (
                "go build -buildvcs=false -ldflags \"-X main.v=1\" -o ./tmp/main .",
                vec!["-ldflags='-s -w'"]
            )
        );
        assert_eq!(
            fast("go build").unwrap().cmd,
            "go build -ldflags='-s -w' -buildvcs=false"
        );
    }

    #[test]
    fn never_changes_a_script() {
        for cmd in [
            "make build",
            "./build.sh",
            "go generate ./... && go build -o ./tmp/main .",
            "go build -o ./tmp/main . > build.log",
            "go builder",
        ] {
            assert!(fast(cmd).is_err(), "{cmd}");
        }
    }
}
