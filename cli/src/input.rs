//! Where records come from: a file or standard input, and its format. The records themselves
//! are read by the core (`htx_rules::read`); registries by the core's report.

use std::fs::File;
use std::io::Read;

use htx_rules::read::Format;
use htx_rules::{msg, Code, Error};

/// Opens a file, or standard input for `-` or no name, as a byte stream and the name it is
/// called in messages; `progress` (when given) moves along as the file is read.
pub fn open(
    file: Option<&str>,
    progress: Option<indicatif::ProgressBar>,
) -> Result<(Box<dyn Read>, String), Error> {
    match file {
        None | Some("-") => Ok((Box::new(std::io::stdin()), "stdin".into())),
        Some(f) => {
            let file = File::open(f).map_err(|e| {
                Error::invalid_input(
                    Code::InputRead,
                    msg!(vi: format!("không mở được {f}: {e}"), en: format!("cannot open {f}: {e}")),
                )
            })?;
            let reader: Box<dyn Read> = match progress {
                Some(pb) => {
                    pb.set_length(file.metadata().map(|m| m.len()).unwrap_or(0));
                    Box::new(pb.wrap_read(file))
                }
                None => Box::new(file),
            };
            Ok((reader, f.to_string()))
        }
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
