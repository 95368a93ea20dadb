//! What a module's `go.mod` and a workspace's `go.work` say that the doctor uses: the module
//! path, the `go` and `toolchain` lines, the folders a workspace uses and the folders that
//! `replace` directives point at.

/// The parts of `go.mod` the checks use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoMod {
    pub module: String,
    /// The `go` directive, e.g. `1.25` or `1.26.2`.
    pub go: Option<String>,
    pub toolchain: Option<String>,
}

/// The folders of a `go.work` file's `use` directives (single and block form).
pub fn go_work_uses(text: &str) -> Vec<String> {
    let mut uses = vec![];
    let mut in_block = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if in_block {
            if line == ")" {
                in_block = false;
            } else if !line.is_empty() {
                uses.push(line.trim_matches('"').to_string());
            }
        } else if let Some(rest) = line.strip_prefix("use") {
            let rest = rest.trim();
            if rest == "(" {
                in_block = true;
            } else if !rest.is_empty() {
                uses.push(rest.trim_matches('"').to_string());
            }
        }
    }
    uses
}

/// The folders of a go.mod's or go.work's `replace` directives that point at a folder
/// (`=> ./x`, `=> ../x`, `=> /x`, as written), single and block form.
pub fn local_replacements(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split("//").next()?.split_once("=>"))
        .filter_map(|(_, to)| {
            let to = to.trim();
            let path = match to.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next()?,
                None => to.split_whitespace().next()?,
            };
            let folder = ["./", "../", "/"].iter().any(|p| path.starts_with(p));
            (folder || path == "." || path == "..").then(|| path.to_string())
        })
        .collect()
}

pub fn parse_go_mod(text: &str) -> GoMod {
    let mut m = GoMod::default();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("module"), Some(v)) => m.module = v.trim_matches('"').to_string(),
            (Some("go"), Some(v)) => m.go = Some(v.to_string()),
            (Some("toolchain"), Some(v)) => m.toolchain = Some(v.to_string()),
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_replacements_single_and_block() {
        let m = "module x\n\nreplace a => ../a // here\nreplace (\n\tb v1.0.0 => ./b\n\tc => example.com/c v1.2.0\n\td => \"/abs/d e\"\n\te => ..\n)\n";
        assert_eq!(local_replacements(m), ["../a", "./b", "/abs/d e", ".."]);
    }

    #[test]
    fn go_work_uses_single_and_block() {
        let w = "go 1.22\n\nuse ./tools\nuse (\n\t./server // api\n\t\"./web\"\n)\n";
        assert_eq!(go_work_uses(w), vec!["./tools", "./server", "./web"]);
    }

    #[test]
    fn parses_go_mod() {
        let m = parse_go_mod(
            "module example.com/x // c\n\ngo 1.25\ntoolchain go1.26.1\nrequire (\n)\n",
        );
        assert_eq!(m.module, "example.com/x");
        assert_eq!(m.go.as_deref(), Some("1.25"));
        assert_eq!(m.toolchain.as_deref(), Some("go1.26.1"));
    }
}
