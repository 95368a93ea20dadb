//! Reading a project's files without trusting what they are.
//!
//! A repository can hold a FIFO named `main.go`, `.air.toml` or `.gitignore`: a plain open
//! for reading blocks until a writer appears (forever), and a link to `/dev/zero` never ends.
//! Every read of a project file goes through here: opened with `O_NONBLOCK` (a FIFO opens at
//! once) and `O_NOCTTY`, then refused unless `fstat` says it is a regular file.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Open `path` for reading only if it is a regular file (a link to one is followed).
pub fn open(path: impl AsRef<Path>) -> io::Result<File> {
    let f = OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK | nix::libc::O_NOCTTY)
        .open(path.as_ref())?;
    if !f.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or socket is never read)",
        ));
    }
    Ok(f)
}

/// [`std::fs::read`] for a regular file only.
pub fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    let mut bytes = vec![];
    open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`std::fs::read_to_string`] for a regular file only.
pub fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    let mut text = String::new();
    open(path)?.read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_at_once_and_a_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("main.go");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
        let err = read_to_string(&fifo).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(read(Path::new("/dev/zero")).is_err());
        let file = dir.path().join("go.mod");
        std::fs::write(&file, "module x\n").unwrap();
        assert_eq!(read_to_string(&file).unwrap(), "module x\n");
    }
}
