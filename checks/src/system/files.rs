//! Reading a project's files without trusting what they are.
//!
//! A repository can hold a FIFO named `main.go`, `.air.toml` or `.gitignore`: a plain open
//! for reading blocks until a writer appears (forever), and a link to `/dev/zero` never ends.
//! Every read of a project file goes through here: opened with `O_NONBLOCK` (a FIFO opens at
//! once) and `O_NOCTTY`, then refused unless `fstat` says it is a regular file.
//!
//! A repository file can also be huge (a 50 MB `.air.toml`, a generated `main.go`): nothing
//! bigger than [`MAX_BYTES`] is read, and the error says so, so the finding that shows it names
//! the file and the cap instead of the doctor holding it all in memory.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The largest project file read: configs are a few KB and hand-written Go files rarely pass
/// 1 MB; beyond this is generated data, which no check needs.
pub const MAX_BYTES: u64 = 10 << 20;

/// The error of a file over [`MAX_BYTES`]; its text is what findings show.
#[derive(Debug)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "larger than {} MB: not read", MAX_BYTES >> 20)
    }
}

impl std::error::Error for TooLarge {}

/// Whether `e` is [`TooLarge`].
pub fn is_too_large(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<TooLarge>())
}

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

/// [`std::fs::read`] for a regular file of at most [`MAX_BYTES`] only.
pub fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    let file = open(path)?;
    let too_large = || io::Error::new(io::ErrorKind::InvalidData, TooLarge);
    if file.metadata()?.len() > MAX_BYTES {
        return Err(too_large());
    }
    // The size can grow between fstat and the read: never take more than the cap.
    let mut bytes = vec![];
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`std::fs::read_to_string`] for a regular file of at most [`MAX_BYTES`] only.
pub fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
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

    #[test]
    fn a_file_over_the_cap_is_refused_without_being_read_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join(".air.toml");
        let f = File::create(&big).unwrap();
        f.set_len(MAX_BYTES + 1).unwrap();
        let err = read(&big).unwrap_err();
        assert!(is_too_large(&err), "{err}");
        assert_eq!(err.to_string(), "larger than 10 MB: not read");
        assert!(is_too_large(&read_to_string(&big).unwrap_err()));
        f.set_len(MAX_BYTES).unwrap();
        assert_eq!(read(&big).unwrap().len() as u64, MAX_BYTES);
    }
}
