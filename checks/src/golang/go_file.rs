//! What a Go file declares at its top, read from its tokens: its package clause and imports.

use crate::golang::lexer::{Kind, Token};

/// One import: the name the file uses for it (`signal`, an alias, `.` or `_`) and its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub name: String,
    pub path: String,
}

/// The name in the `package` clause.
pub fn package_name(tokens: &[Token]) -> Option<&str> {
    let at = tokens.iter().position(|t| t.is_ident("package"))?;
    match &tokens.get(at + 1)?.kind {
        Kind::Ident(name) => Some(name),
        _ => None,
    }
}

/// The file's imports, single and grouped, in order. An import under its own name is named
/// after the last element of its path (`github.com/fvbock/endless` is `endless`).
pub fn imports(tokens: &[Token]) -> Vec<Import> {
    let mut out = vec![];
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].is_ident("import") {
            i += 1;
            continue;
        }
        i += 1;
        let grouped = tokens.get(i).is_some_and(|t| t.is_punct('('));
        if grouped {
            i += 1;
        }
        while i < tokens.len() {
            let t = &tokens[i];
            if grouped && t.is_punct(')') {
                i += 1;
                break;
            }
            let (alias, path_at) = match &t.kind {
                Kind::Ident(a) => (Some(a.clone()), i + 1),
                Kind::Punct('.') => (Some(".".to_string()), i + 1),
                Kind::Punct(';') => {
                    i += 1;
                    continue;
                }
                _ => (None, i),
            };
            let Some(Kind::Str(path)) = tokens.get(path_at).map(|t| &t.kind) else {
                break;
            };
            let own = path.rsplit('/').next().unwrap_or(path).to_string();
            out.push(Import {
                name: alias.unwrap_or(own),
                path: path.clone(),
            });
            i = path_at + 1;
            if !grouped {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golang::lexer::tokenize;

    #[test]
    fn package_clause_and_imports() {
        let toks = tokenize(
            "// doc\npackage main\n\nimport \"os\"\nimport (\n\tsig \"os/signal\"\n\t. \"fmt\"\n\t_ \"github.com/joho/godotenv/autoload\"\n\t\"github.com/fvbock/endless\"\n)\n",
        )
        .unwrap();
        assert_eq!(package_name(&toks), Some("main"));
        let got: Vec<(String, String)> = imports(&toks)
            .into_iter()
            .map(|i| (i.name, i.path))
            .collect();
        let want = [
            ("os", "os"),
            ("sig", "os/signal"),
            (".", "fmt"),
            ("_", "github.com/joho/godotenv/autoload"),
            ("endless", "github.com/fvbock/endless"),
        ];
        assert_eq!(
            got,
            want.map(|(n, p)| (n.to_string(), p.to_string())).to_vec()
        );
    }
}
