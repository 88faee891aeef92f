//! Where records come from: a file or standard input (or a workbook's sheet, as CSV), and its
//! format. The records themselves are read by the core (`htx_rules::read`); registries by the
//! core's report.

use std::fs::File;
use std::io::Read;

use htx_rules::read::Format;
use htx_rules::{msg, Code, Error};

/// An input stream, its format, and what it is called in messages.
pub struct Source {
    /// The file's name (`stdin`, or `book.xlsx [Hợp tác xã]` for a sheet).
    pub name: String,
    /// The bytes.
    pub reader: Box<dyn Read + Send>,
    /// How to read them.
    pub format: Format,
}

/// Opens a file, or standard input for `-` or no name, in the format `explicit` or its name
/// says ([`format`]).
pub fn open(file: Option<&str>, explicit: Option<Format>) -> Result<Source, Error> {
    let format = format(file, explicit)?;
    match file {
        None | Some("-") => Ok(Source {
            name: "stdin".into(),
            reader: Box::new(std::io::stdin()),
            format,
        }),
        Some(f) => {
            let file = File::open(f).map_err(|e| {
                Error::invalid_input(
                    Code::InputRead,
                    msg!(vi: format!("không mở được {f}: {e}"), en: format!("cannot open {f}: {e}")),
                )
            })?;
            Ok(Source {
                name: f.to_string(),
                reader: Box::new(file),
                format,
            })
        }
    }
}

/// CSV text made in memory (a workbook's sheet), called `name` in messages.
pub fn csv_source(name: String, data: Vec<u8>) -> Source {
    Source {
        name,
        reader: Box::new(std::io::Cursor::new(data)),
        format: Format::Csv,
    }
}

/// The format of an input: `--input` when given, else the file name's extension; standard
/// input is JSON (an array, objects, or JSON Lines) unless told otherwise. A file whose name
/// does not tell is an error, never a guess.
pub fn format(file: Option<&str>, explicit: Option<Format>) -> Result<Format, Error> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    match file {
        None | Some("-") => Ok(Format::Json),
        Some(f) => Format::from_name(f).ok_or_else(|| {
            Error::invalid_input(
                Code::InputFormat,
                msg!(
                    vi: format!("không biết định dạng của {f} (đuôi .json, .jsonl, .ndjson hay .csv): dùng --input json|jsonl|csv"),
                    en: format!("cannot tell the format of {f} from its name (.json, .jsonl, .ndjson or .csv): use --input json|jsonl|csv"),
                ),
            )
        }),
    }
}
