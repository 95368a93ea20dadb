//! `env_files`: the variables a project's `.env` files give the build and the app.

use crate::report::Report;
use checks::reloaders::air::runner::RunConfig;
use reload_doctor_checks as checks;

/// `env_files`, read like godotenv (air's reader): `KEY=value` lines, `export`, quotes, an
/// inline comment after whitespace (`PORT=20095 # app port`), `${VAR}` expansion; dotenvy
/// reads that grammar. A variable already in the environment wins, as with air.
/// (dotenvy also expands `${VAR}` from the environment, where godotenv looks only at the
/// file; a `#` after a space inside an unquoted value starts the comment at the first one,
/// where godotenv takes the last.)
pub fn load(c: &RunConfig, out: &dyn Report) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = vec![];
    for f in &c.env_files {
        let path = c.dir.join(f);
        // Never through a FIFO or device named like an env file (it would block), nor a
        // file over the size cap.
        let bytes = match checks::system::files::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                out.warn(
                    &format!("env_files: cannot read {}: {e}", path.display()),
                    None,
                );
                continue;
            }
        };
        for pair in dotenvy::from_read_iter(bytes.as_slice()) {
            match pair {
                // A later line or file wins, as in air (which sets each in turn).
                Ok((k, v)) if std::env::var_os(&k).is_none() => {
                    env.retain(|(e, _)| *e != k);
                    env.push((k, v));
                }
                Ok(_) => {}
                Err(e) => {
                    out.warn(
                        &format!(
                            "env_files: {}: {e}; the rest of the file is not read",
                            path.display()
                        ),
                        Some("quote the value, or fix the line"),
                    );
                    break;
                }
            }
        }
    }
    env
}
