//! The crate's layers point down: a module names (`crate::...`) only modules of the layers
//! below its own, so that each layer can be read, tested and changed without those above it.
//! The order is lib.rs's; the crate root's re-exports are for the binary, not for the crate.

use std::path::Path;

/// The top-level modules, from the ground up; modules on one row are one layer.
const LAYERS: &[&[&str]] = &[
    &["model", "filepath", "text", "suggest", "shell", "yaml"],
    &["system"],
    &["golang"],
    &["reloaders"],
    &["probe", "app_port"],
    &["project", "container"],
    &["process_role", "context"],
    &["registry"],
    &["engine"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|row| row.contains(&module))
}

/// Every `.rs` file under `dir`, with its top-level module.
fn sources(dir: &Path, top: Option<&str>, out: &mut Vec<(String, std::path::PathBuf)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let module = top.map_or(name, str::to_string);
        if path.is_dir() {
            sources(&path, Some(&module), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((module, path));
        }
    }
}

#[test]
fn every_module_names_only_layers_below_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, None, &mut files);
    let mut wrong = vec![];
    for (module, path) in files.iter().filter(|(m, _)| m != "lib") {
        let own = layer(module).unwrap_or_else(|| panic!("{module} is on no layer here"));
        let text = std::fs::read_to_string(path).unwrap();
        // A module's unit tests may use anything.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (at, _) in code.match_indices("crate::") {
            let named: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            let ok = named == *module || layer(&named).is_some_and(|l| l < own);
            if !ok {
                let line = code[..at].lines().count();
                wrong.push(format!(
                    "{}:{line}: {module} names crate::{named}",
                    path.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run up a layer:\n{}",
        wrong.join("\n")
    );
}
