//! Output formats: one module each. Text formats are encoded record by record into byte
//! buffers (so worker threads can encode and the writer only copies, in order); the formats a
//! person reads as a whole (aligned tables, spreadsheets) collect [`row::Row`]s.

pub mod delimited;
pub mod json;
pub mod labels;
pub mod report_xlsx;
pub mod row;
pub mod table;
pub mod xlsx;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use htx_rules::{msg, Code, Error};

/// Where output goes: standard output, or a file given with `--output`.
pub enum Target {
    /// Standard output.
    Stdout(BufWriter<io::Stdout>),
    /// A file (created or truncated).
    File(BufWriter<File>),
}

impl Target {
    /// Opens `--output`, or standard output.
    pub fn open(path: Option<&Path>) -> Result<Target, Error> {
        match path {
            None => Ok(Target::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            Some(p) => File::create(p)
                .map(|f| Target::File(BufWriter::with_capacity(1 << 16, f)))
                .map_err(|e| write_error(Some(p), &e)),
        }
    }

    /// Whether a person is looking at it (standard output on a terminal).
    pub fn is_terminal(&self) -> bool {
        matches!(self, Target::Stdout(_)) && io::stdout().is_terminal()
    }
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Stdout(w) => w.write(buf),
            Target::File(w) => w.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Target::Stdout(w) => w.write_all(buf),
            Target::File(w) => w.write_all(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Stdout(w) => w.flush(),
            Target::File(w) => w.flush(),
        }
    }
}

/// The error for output that could not be written.
pub fn write_error(path: Option<&Path>, e: &io::Error) -> Error {
    let name = path.map_or_else(|| "stdout".to_string(), |p| p.display().to_string());
    Error::invalid_input(
        Code::OutputWrite,
        msg!(
            vi: format!("không ghi được {name}: {e}"),
            en: format!("cannot write {name}: {e}"),
        ),
    )
}

/// What a failed write means for the command: the reader closed the pipe (`| head`) — stop
/// at once, exit 0, say nothing — or a real error.
pub fn finish_io(r: io::Result<()>, path: Option<&Path>) -> Result<Option<ExitCode>, Error> {
    match r {
        Ok(()) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Some(ExitCode::SUCCESS)),
        Err(e) => Err(write_error(path, &e)),
    }
}
