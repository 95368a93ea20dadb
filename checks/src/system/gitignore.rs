//! The one answer to "does the repository's .gitignore keep this path out of git", with git's
//! own rules: every `.gitignore` from the repository's top down to the path's folder (a nested
//! one, Prisma Client Go's `prisma/db/.gitignore` with `*_gen.go`, counts), the deeper file
//! and the later line winning, negations (`!docs/adr/`), `**`, `dir/` rules only for folders,
//! and nothing below an ignored folder re-included (git never looks inside it).
//!
//! The patterns are matched by the `ignore` crate's gitignore matcher (ripgrep's), not by
//! spawning `git check-ignore`: a project folder need not be a git repository (a tarball, a
//! folder copied into an image), git need not be installed, and a fresh clone has only the
//! committed .gitignore files, not this machine's `core.excludesFile` or `.git/info/exclude`.
//! Without a `.git` above the project, its own folder is the top.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// The rule that ignores a path: its .gitignore, the 1-based line, and the pattern as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub file: PathBuf,
    pub line: usize,
    pub pattern: String,
}

impl Rule {
    /// `path:line` of the rule, the path from the folder `from` (`../../.gitignore:12`).
    pub fn at(&self, from: &Path) -> String {
        let from = crate::filepath::clean(from);
        let file = crate::filepath::clean(&self.file);
        format!("{}:{}", crate::filepath::rel(&from, &file), self.line)
    }
}

/// The folder whose .gitignore files apply to `dir`: the nearest one above holding `.git` (a
/// folder, or a worktree's file), but not `/` or the home folder (a dotfiles repository is not
/// the project's); else `dir` itself.
pub fn top(dir: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .filter(|d| *d != Path::new("/") && Some(*d) != home.as_deref())
        .unwrap_or(dir)
        .to_path_buf()
}

/// The rule that keeps `rel` (a path below `root`; a folder when `is_dir`) out of git, or None
/// when none does or the last rule that matches re-includes it (`!x`).
pub fn ignoring_rule(root: &Path, rel: &str, is_dir: bool) -> Option<Rule> {
    let top = top(root);
    let path = root.join(rel.trim_start_matches("./"));
    let inner = path.strip_prefix(&top).ok()?;
    let parts: Vec<_> = inner
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect();
    // Each folder's matcher, read the first time the walk passes it.
    let mut levels: Vec<(PathBuf, Gitignore)> = vec![];
    let mut dir = top.clone();
    for (i, part) in parts.iter().enumerate() {
        levels.push((dir.clone(), matcher(&dir)));
        let here = dir.join(part);
        let this_is_dir = i + 1 < parts.len() || is_dir;
        // The deepest .gitignore with a say decides; an ignored folder ends the walk.
        for (base, m) in levels.iter().rev() {
            let Ok(below) = here.strip_prefix(base) else {
                continue;
            };
            match m.matched(below, this_is_dir) {
                Match::Ignore(glob) => {
                    let file = glob.from()?.to_path_buf();
                    let line = line_of(&file, glob.original())?;
                    return Some(Rule {
                        file,
                        line,
                        pattern: glob.original().to_string(),
                    });
                }
                Match::Whitelist(_) => break,
                Match::None => {}
            }
        }
        dir = here;
    }
    None
}

/// A file named `*.{ext}` in the folder `rel` below `root` that the rules keep out of git: the
/// folder itself ignored (`docs/`, `gen/*`), any such name (`*.go`), or a name a rule of the
/// .gitignore files on the way spells out (`*_gen.go` gives `x_gen.go`, `*.pb.go` gives
/// `x.pb.go`): generated files are named by their generator.
pub fn ignored_file_in(root: &Path, rel: &str, ext: &str) -> Option<Rule> {
    let rel = rel.trim_end_matches('/');
    let mut names = vec![format!("x.{ext}")];
    let top = top(root);
    let dir = root.join(rel);
    let suffix = format!(".{ext}");
    for folder in dir.ancestors().take_while(|d| d.starts_with(&top)) {
        let Ok(text) = super::files::read_to_string(folder.join(".gitignore")) else {
            continue;
        };
        for l in text.lines() {
            let l = l.trim();
            if l.starts_with('#') || l.starts_with('!') {
                continue;
            }
            let last = l.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if last.ends_with(&suffix) && !last.contains(['[', '\\']) {
                let name = last.replace(['*', '?'], "x");
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    names
        .iter()
        .find_map(|n| ignoring_rule(root, &format!("{rel}/{n}"), false))
}

/// The matcher of `dir`'s .gitignore (empty when there is none or it cannot be read).
fn matcher(dir: &Path) -> Gitignore {
    let file = dir.join(".gitignore");
    let mut b = GitignoreBuilder::new(dir);
    if let Ok(text) = super::files::read_to_string(&file) {
        for l in text.trim_start_matches('\u{feff}').lines() {
            // A pattern git cannot read either is skipped, as git does.
            let _ = b.add_line(Some(file.clone()), l);
        }
    }
    b.build().unwrap_or_else(|_| Gitignore::empty())
}

/// The last line of `file` that reads `pattern` (the matcher keeps the pattern, trailing
/// spaces cut, and the last matching line is the one git applies).
fn line_of(file: &Path, pattern: &str) -> Option<usize> {
    let text = super::files::read_to_string(file).ok()?;
    text.trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(pattern)
                .is_some_and(|rest| rest.trim_matches(' ').is_empty())
        })
        .map(|(i, _)| i + 1)
        .last()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// What real `git check-ignore -v --no-index` says of `rel` in the repository at `root`:
    /// (file relative to root, line, pattern), or None.
    fn git_says(root: &Path, rel: &str) -> Option<(String, usize, String)> {
        let out = std::process::Command::new("git")
            .current_dir(root)
            .args(["-c", "core.excludesFile=/dev/null"])
            .args(["check-ignore", "-v", "--no-index", rel])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let (rule, _) = text.lines().next()?.split_once('\t')?;
        let mut p = rule.splitn(3, ':');
        let (f, n, pat) = (p.next()?, p.next()?, p.next()?);
        if pat.starts_with('!') {
            return None;
        }
        Some((f.to_string(), n.parse().ok()?, pat.to_string()))
    }

    fn ours(root: &Path, rel: &str) -> Option<(String, usize, String)> {
        ignoring_rule(root, rel, false).map(|r| {
            let f = r.file.strip_prefix(root).unwrap().display().to_string();
            (f, r.line, r.pattern)
        })
    }

    /// Nested .gitignore files, negations, `**`, `dir/` rules and an ignored folder whose
    /// files a deeper rule cannot re-include: the answer and the line are git's own.
    #[test]
    fn the_rules_are_gits_own_with_the_line_git_names() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        let git = std::process::Command::new("git")
            .current_dir(root)
            .args(["init", "-q"])
            .status()
            .unwrap();
        assert!(git.success());
        write(
            root,
            ".gitignore",
            "# top\ntmp/\ndocs/*\n!docs/adr/\n**/gen/**\nbuild\n*.log\n!keep.log\n",
        );
        write(
            root,
            "api/prisma/db/.gitignore",
            "# gitignore generated by Prisma Client Go. DO NOT EDIT.\n*_gen.go\n",
        );
        write(
            root,
            "api/.gitignore",
            "node_modules\n!build\n/local.go  \n",
        );
        write(root, "tmp/.gitignore", "!*.go\n");
        for rel in [
            "api/prisma/db/db_gen.go",
            "api/prisma/db/x.go",
            "docs/docs.go",
            "docs/adr/0001.md",
            "a/gen/proto/x.pb.go",
            "build/x.go",
            "api/build/x.go",
            "x.log",
            "keep.log",
            "api/local.go",
            "api/sub/local.go",
            "tmp/main.go",
            "main.go",
        ] {
            assert_eq!(ours(root, rel), git_says(root, rel), "{rel}");
        }
        assert_eq!(
            ours(root, "api/prisma/db/db_gen.go"),
            Some(("api/prisma/db/.gitignore".into(), 2, "*_gen.go".into()))
        );
        assert_eq!(ours(root, "tmp/main.go").unwrap().1, 2);
    }

    /// No .git anywhere above: the project's own folder is the top and its .gitignore files
    /// apply from there down (git itself refuses outside a repository).
    #[test]
    fn without_a_git_folder_the_rules_apply_from_the_project_down() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("svc");
        write(&root, ".gitignore", "go.sum\n");
        write(&root, "prisma/db/.gitignore", "*_gen.go\n");
        let r = ignoring_rule(&root, "go.sum", false).unwrap();
        assert_eq!((r.file, r.line), (root.join(".gitignore"), 1));
        assert!(ignoring_rule(&root, "prisma/db/x.go", false).is_none());
        let r = ignored_file_in(&root, "prisma/db", "go").unwrap();
        assert_eq!(r.pattern, "*_gen.go");
        assert!(ignored_file_in(&root, "prisma", "go").is_none());
    }
}
