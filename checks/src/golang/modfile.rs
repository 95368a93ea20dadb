//! What a module's `go.mod` and a workspace's `go.work` say that the doctor uses: the module
//! path, the `go` and `toolchain` lines, the folders a workspace uses and the folders that
//! `replace` directives replace and point at, and the modules `require` names.

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
    replacements(text)
        .into_iter()
        .map(|(_, to)| to)
        .filter(|to| {
            let folder = ["./", "../", "/"].iter().any(|p| to.starts_with(p));
            folder || to == "." || to == ".."
        })
        .collect()
}

/// A go.mod's or go.work's `replace` directives, single and block form: the module path
/// replaced and what replaces it (a folder or a module path, as written, without version).
pub fn replacements(text: &str) -> Vec<(String, String)> {
    let mut in_block = false;
    text.lines()
        .filter_map(|l| {
            let line = l.split("//").next()?.trim();
            let directive = match line.strip_prefix("replace") {
                Some(rest) if rest.trim() == "(" => {
                    in_block = true;
                    return None;
                }
                Some(rest) if rest.starts_with(char::is_whitespace) => rest,
                _ if in_block && line == ")" => {
                    in_block = false;
                    return None;
                }
                _ if in_block => line,
                _ => return None,
            };
            let (from, to) = directive.split_once("=>")?;
            let from = from
                .split_whitespace()
                .next()?
                .trim_matches('"')
                .to_string();
            let to = to.trim();
            let to = match to.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next()?,
                None => to.split_whitespace().next()?,
            };
            Some((from, to.to_string()))
        })
        .collect()
}

/// A go.mod's `require` directives, single and block form: module path and version.
pub fn requirements(text: &str) -> Vec<(String, String)> {
    let mut in_block = false;
    text.lines()
        .filter_map(|l| {
            let line = l.split("//").next()?.trim();
            let words: Vec<&str> = match line.strip_prefix("require") {
                Some(rest) if rest.trim() == "(" => {
                    in_block = true;
                    return None;
                }
                Some(rest) if rest.starts_with(char::is_whitespace) => {
                    rest.split_whitespace().collect()
                }
                _ if in_block && line == ")" => {
                    in_block = false;
                    return None;
                }
                _ if in_block => line.split_whitespace().collect(),
                _ => return None,
            };
            match words.as_slice() {
                [module, version, ..] => {
                    Some((module.trim_matches('"').to_string(), version.to_string()))
                }
                _ => None,
            }
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
    fn replacements_and_requirements() {
        let m = "module x\n\nrequire github.com/a/b v1.2.3\nrequire (\n\tgithub.com/fvbock/endless v0.0.0-2017 // indirect\n\tgolang.org/x/sys v0.30.0\n)\nreplace github.com/fvbock/endless => ./third_party/endless\nreplace (\n\tgithub.com/a/b v1.2.3 => github.com/c/b v1.3.0\n)\n";
        assert_eq!(
            replacements(m),
            [
                (
                    "github.com/fvbock/endless".to_string(),
                    "./third_party/endless".to_string()
                ),
                ("github.com/a/b".to_string(), "github.com/c/b".to_string()),
            ]
        );
        let req: Vec<String> = requirements(m)
            .into_iter()
            .map(|(m, v)| format!("{m}@{v}"))
            .collect();
        assert_eq!(
            req,
            [
                "github.com/a/b@v1.2.3",
                "github.com/fvbock/endless@v0.0.0-2017",
                "golang.org/x/sys@v0.30.0"
            ]
        );
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
