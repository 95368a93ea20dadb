//! Whether a plain `go build` on this machine compiles a file, by its build constraint
//! (`//go:build mage`, `// +build !windows`): the tags go sets without `-tags` are this
//! machine's GOOS and GOARCH, `unix` on Unix systems, `gc`, `cgo` (taken as on) and every
//! `go1.N` release tag. A custom tag (`mage`, `tools`, `integration`, `ignore`) is never set,
//! so `//go:build mage` files (magefiles) are not part of the package go builds.

/// The file's constraint, when it has one before its `package` clause: the `//go:build`
/// line, else the `// +build` lines (each a disjunction of comma-joined conjunctions; all
/// lines must hold). True when there is none.
pub fn plain_build_includes(text: &str) -> bool {
    let mut plus: Vec<&str> = vec![];
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("package ") || l == "package" {
            break;
        }
        if let Some(expr) = l.strip_prefix("//go:build") {
            if expr.is_empty() || expr.starts_with([' ', '\t']) {
                return Expr::new(expr).eval().unwrap_or(true);
            }
        }
        if let Some(words) = l.strip_prefix("// +build") {
            if words.is_empty() || words.starts_with([' ', '\t']) {
                plus.push(words);
            }
        }
    }
    plus.iter().all(|words| {
        words.split_whitespace().any(|alt| {
            alt.split(',').all(|t| match t.strip_prefix('!') {
                Some(t) => !tag_set(t),
                None => tag_set(t),
            })
        })
    })
}

/// The operating systems go knows (`go tool dist list`; go's own `knownOS`).
pub const GOOS: [&str; 18] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// The architectures go knows (go's own `knownArch`, those file names use).
pub const GOARCH: [&str; 14] = [
    "386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le", "ppc64",
    "ppc64le", "riscv64", "s390x", "wasm",
];

/// Whether a plain `go build` on this machine takes a file by its name alone: a name ending
/// in `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` (`x_windows.go`, `x_linux_arm64.go`) of another
/// system is left out, as go's own file-name constraint does.
pub fn plain_build_includes_name(name: &str) -> bool {
    let stem = name.trim_end_matches(".go").trim_end_matches("_test");
    let words: Vec<&str> = stem.split('_').skip(1).collect();
    let known = |w: &str| GOOS.contains(&w) || GOARCH.contains(&w);
    match words.as_slice() {
        [.., os, arch] if GOOS.contains(os) && GOARCH.contains(arch) => {
            tag_set(os) && tag_set(arch)
        }
        [.., last] if known(last) => tag_set(last),
        _ => true,
    }
}

/// Whether go sets `tag` in a build without `-tags` on this machine.
fn tag_set(tag: &str) -> bool {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64",
        other => other,
    };
    let release = tag
        .strip_prefix("go1.")
        .is_some_and(|n| n.parse::<u32>().is_ok());
    tag == os
        || tag == arch
        || (tag == "unix" && cfg!(unix))
        || tag == "gc"
        || tag == "cgo"
        || release
}

/// A `//go:build` expression: `||`, `&&`, `!`, parentheses and tags. None when it does not
/// parse (go stops there; the caller keeps the file).
struct Expr<'a> {
    rest: &'a str,
}

impl<'a> Expr<'a> {
    fn new(s: &'a str) -> Self {
        Expr { rest: s }
    }

    fn eval(mut self) -> Option<bool> {
        let v = self.or()?;
        self.skip();
        self.rest.is_empty().then_some(v)
    }

    fn skip(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip();
        match self.rest.strip_prefix(token) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    fn or(&mut self) -> Option<bool> {
        let mut v = self.and()?;
        while self.eat("||") {
            v |= self.and()?;
        }
        Some(v)
    }

    fn and(&mut self) -> Option<bool> {
        let mut v = self.not()?;
        while self.eat("&&") {
            v &= self.not()?;
        }
        Some(v)
    }

    fn not(&mut self) -> Option<bool> {
        if self.eat("!") {
            return Some(!self.not()?);
        }
        if self.eat("(") {
            let v = self.or()?;
            return self.eat(")").then_some(v);
        }
        self.skip();
        let n = self
            .rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(self.rest.len());
        if n == 0 {
            return None;
        }
        let (tag, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(tag_set(tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_constraints() {
        assert!(plain_build_includes("package main\n"));
        assert!(!plain_build_includes("//go:build mage\n\npackage main\n"));
        assert!(!plain_build_includes(
            "//go:build mage\n// +build mage\n\npackage main\n"
        ));
        assert!(!plain_build_includes("// +build mage\n\npackage main\n"));
        assert!(!plain_build_includes("//go:build ignore\n\npackage main\n"));
        assert!(plain_build_includes("//go:build !mage\n\npackage main\n"));
        assert!(plain_build_includes(
            "//go:build go1.21 && (unix || windows)\n\npackage main\n"
        ));
        assert!(!plain_build_includes(
            "//go:build tools && go1.21\n\npackage main\n"
        ));
        // After the package clause a line is no constraint.
        assert!(plain_build_includes("package main\n//go:build mage\n"));
    }

    /// go's own verdict: a folder of one `package main` file per constraint, built with
    /// plain `go build`; go builds it exactly when plain_build_includes says so.
    #[test]
    fn agrees_with_go_build() {
        let Ok(go) = which::which("go") else { return };
        let cases = [
            "//go:build mage",
            "// +build mage",
            "//go:build !mage",
            "//go:build ignore",
            "//go:build linux || darwin || windows",
            "//go:build go1.1 && !tools",
            "//go:build (amd64 || arm64) && gc",
            "// +build linux,amd64 darwin",
            "//go:build unix",
        ];
        for constraint in cases {
            let d = tempfile::tempdir().unwrap();
            std::fs::write(d.path().join("go.mod"), "module x\n\ngo 1.21\n").unwrap();
            let text = format!("{constraint}\n\npackage main\n\nfunc main() {{}}\n");
            std::fs::write(d.path().join("main.go"), &text).unwrap();
            let built = std::process::Command::new(&go)
                .args(["build", "-o", "out", "."])
                .current_dir(d.path())
                .env("GOFLAGS", "")
                .env("GOTOOLCHAIN", "local")
                .output()
                .unwrap()
                .status
                .success();
            assert_eq!(plain_build_includes(&text), built, "{constraint}");
        }
    }
}
