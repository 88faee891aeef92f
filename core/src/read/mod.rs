//! Reading records from files and streams, once and streaming: a JSON array element by
//! element, one or more JSON objects (pretty-printed or one per line), JSON Lines, CSV with
//! dotted headers typed by the schema (feature `csv`). Memory holds one record at a time
//! (at most [`crate::limits::MAX_RECORD_BYTES`]), whatever the size of the input.
//!
//! Every record that cannot be read becomes a [`RecordError`] in its place, with the input's
//! name, line, column and record number, and reading goes on with the next record: a bad
//! record never loses the good ones. A leading UTF-8 byte-order mark is skipped.
//!
//! ```
//! use htx_rules::read::{Format, RecordReader};
//! let engine = htx_rules::Engine::embedded().unwrap();
//! let text = "{\"id\": \"a\", \"kind\": \"htx\"}\n{\"id\": \"b\", \"kind\": \n{\"id\": \"c\", \"kind\": \"tht\"}\n";
//! let batch = engine.batch("cooperative", Default::default()).unwrap();
//! let mut reader = RecordReader::new(batch, text.as_bytes(), Format::JsonLines, "coops.jsonl");
//! let mut seen = Vec::new();
//! while let Some(item) = reader.next() {
//!     match item {
//!         Ok((_, record)) => seen.push(record.id().unwrap_or("-").to_string()),
//!         Err(e) => seen.push(format!("{}:{}: {}", e.file, e.line, e.code)),
//!     }
//! }
//! assert_eq!(seen, ["a", "coops.jsonl:2: input.json", "c"]);
//! ```

#[cfg(feature = "csv")]
pub(crate) mod csv;
pub(crate) mod json;

use std::io::Read;

use serde::Serialize;

use crate::codes::Code;
use crate::decode::TextError;
use crate::decode::{BatchNotes, DecodedRecord};
use crate::engine::Batch;
use crate::text::{Lang, Message};

/// How an input is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A JSON array of records, or one or more JSON objects (pretty-printed, or one per line).
    Json,
    /// JSON Lines: one record per line (an array on a line is a record that is not an object).
    JsonLines,
    /// CSV with a header row of dotted paths (`workers.female`); lists and records as JSON
    /// in a cell. Needs the `csv` feature.
    Csv,
}

impl Format {
    /// The format a file name's extension says (`.json`, `.jsonl`/`.ndjson`, `.csv`), if any.
    ///
    /// ```
    /// use htx_rules::read::Format;
    /// assert_eq!(Format::from_name("coops.JSONL"), Some(Format::JsonLines));
    /// assert_eq!(Format::from_name("coops.txt"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Format::parse(&ext)
    }

    /// A format by name: `json`, `jsonl` (or `ndjson`), `csv`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// Where a record starts in its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 1-based number of the record in the input (a record that could not be read counts).
    pub record: usize,
}

/// A record that could not be read: where, and why. Its JSON form is what the command line
/// writes in the record's place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordError {
    /// The input's name (a file name, `stdin`).
    pub file: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column of the problem, in characters.
    pub column: usize,
    /// 1-based number of the record in the input.
    pub record: usize,
    /// Stable code: `input.json`, `input.csv`, `input.utf8`, `input.too_large`, `input.read`,
    /// `facts.type` (a record that is not an object).
    pub code: String,
    /// What is wrong, in Vietnamese and English.
    pub message: Message,
}

impl RecordError {
    /// `file:line:column: record N: message [code]` in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let rec = match lang {
            Lang::Vi => "bản ghi",
            Lang::En => "record",
        };
        format!(
            "{}:{}:{}: {rec} {}: {} [{}]",
            self.file,
            self.line,
            self.column,
            self.record,
            self.message.get(lang),
            self.code
        )
    }

    /// The contract's JSON form.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// A problem the framing found, before any decoding (relative to nothing: absolute).
#[derive(Clone, Debug)]
pub(crate) struct FrameError {
    pub line: usize,
    pub column: usize,
    pub code: Code,
    pub message: Message,
}

impl FrameError {
    /// The input could not be read at `line`, `column`.
    fn read(line: usize, column: usize, e: &std::io::Error) -> FrameError {
        FrameError {
            line,
            column,
            code: Code::InputRead,
            message: crate::msg!(vi: format!("lỗi đọc: {e}"), en: format!("read error: {e}")),
        }
    }
}

/// Reads up to `chunk` more bytes of `src` onto the end of `buf`: `Ok(false)` at the end of the
/// input; on an error, `buf` is as it was.
fn fill(src: &mut impl Read, buf: &mut Vec<u8>, chunk: usize) -> std::io::Result<bool> {
    let old = buf.len();
    buf.resize(old + chunk, 0);
    loop {
        match src.read(buf.get_mut(old..).unwrap_or_default()) {
            Ok(n) => {
                buf.truncate(old + n);
                return Ok(n > 0);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(old);
                return Err(e);
            }
        }
    }
}

enum Source<R: Read> {
    Json(json::JsonFramer<R>),
    #[cfg(feature = "csv")]
    Csv(Box<csv::CsvFramer<R>>),
    /// A format this build cannot read (CSV without the `csv` feature): one error, then the end.
    #[cfg(not(feature = "csv"))]
    Unsupported(bool),
}

/// Records of one entity read from a stream, decoded by a [`Batch`] (which also evaluates or
/// validates them, and says at the end what the batch saw).
pub struct RecordReader<'e, R: Read> {
    batch: Batch<'e>,
    source: Source<R>,
    name: String,
    record: usize,
}

impl<'e, R: Read> RecordReader<'e, R> {
    /// Reads `source` (called `name` in errors) as `format`.
    pub fn new(batch: Batch<'e>, source: R, format: Format, name: &str) -> RecordReader<'e, R> {
        let source = match format {
            Format::Json => Source::Json(json::JsonFramer::new(source, false)),
            Format::JsonLines => Source::Json(json::JsonFramer::new(source, true)),
            #[cfg(feature = "csv")]
            Format::Csv => Source::Csv(Box::new(csv::CsvFramer::new(source))),
            #[cfg(not(feature = "csv"))]
            Format::Csv => {
                let _ = source;
                Source::Unsupported(false)
            }
        };
        RecordReader {
            batch,
            source,
            name: name.to_string(),
            record: 0,
        }
    }

    /// The batch: evaluate or validate each record with it.
    pub fn batch(&self) -> &Batch<'e> {
        &self.batch
    }

    /// The batch, mutably (to decode records from elsewhere into the same tally).
    pub fn batch_mut(&mut self) -> &mut Batch<'e> {
        &mut self.batch
    }

    /// What can be said before reading a record: for CSV, the columns that are not in the
    /// schema and the decisions no column can decide (reading the header row); for JSON,
    /// nothing (`None`): [`RecordReader::notes`] says it at the end.
    pub fn header_notes(&mut self) -> Option<BatchNotes> {
        match &mut self.source {
            #[cfg(feature = "csv")]
            Source::Csv(c) => c.header_notes(&mut self.batch),
            _ => None,
        }
    }

    /// What the batch saw so far: keys not in the schema, decisions no record had the facts
    /// for.
    pub fn notes(&self) -> BatchNotes {
        self.batch.notes()
    }

    /// Number of records read so far (those that could not be read count).
    pub fn records(&self) -> usize {
        self.record
    }

    fn error(&self, line: usize, column: usize, code: Code, message: Message) -> RecordError {
        RecordError {
            file: self.name.clone(),
            line,
            column,
            record: self.record,
            code: code.as_str().to_string(),
            message,
        }
    }

    /// A decoding error of a record's text, located in the input.
    fn text_error(&self, at: (usize, usize), e: TextError) -> RecordError {
        let (line0, col0) = at;
        let line = line0 + e.line.saturating_sub(1);
        let column = if e.line <= 1 {
            col0 + e.column.saturating_sub(1)
        } else {
            e.column
        };
        self.error(line, column, e.code, e.message)
    }
}

impl<R: Read> Iterator for RecordReader<'_, R> {
    type Item = Result<(Location, DecodedRecord), RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            Source::Json(f) => {
                let frame = f.next_frame()?;
                self.record += 1;
                let frame = match frame {
                    Ok(fr) => fr,
                    Err(e) => return Some(Err(self.error(e.line, e.column, e.code, e.message))),
                };
                let at = (frame.line, frame.column);
                let loc = Location {
                    line: frame.line,
                    column: frame.column,
                    record: self.record,
                };
                let result = {
                    let Source::Json(f) = &mut self.source else {
                        return None;
                    };
                    self.batch.decode_json(f.frame_bytes(&frame))
                };
                match result {
                    Ok(d) => Some(Ok((loc, d))),
                    Err(e) => {
                        // a record that could not be read: when it ran on over several lines,
                        // read on from the next line that starts a record
                        let resync = match &mut self.source {
                            Source::Json(f) if e.code != Code::FactsType => f.resync(&frame),
                            _ => None,
                        };
                        match resync {
                            Some((offset, line)) if e.offset >= offset => {
                                Some(Err(self.error(
                                    at.0,
                                    at.1,
                                    e.code,
                                    msg!(
                                        vi: format!("bản ghi không được đóng (thiếu `}}` hoặc `]`) trước dòng {line}"),
                                        en: format!("the record is not closed (a `}}` or `]` is missing) before line {line}"),
                                    ),
                                )))
                            }
                            _ => Some(Err(self.text_error(at, e))),
                        }
                    }
                }
            }
            #[cfg(feature = "csv")]
            Source::Csv(c) => {
                let row = c.next_row(&mut self.batch)?;
                self.record += 1;
                Some(match row {
                    Ok((line, d)) => Ok((
                        Location {
                            line,
                            column: 1,
                            record: self.record,
                        },
                        d,
                    )),
                    Err(e) => Err(self.error(e.line, e.column, e.code, e.message)),
                })
            }
            #[cfg(not(feature = "csv"))]
            Source::Unsupported(done) => {
                if *done {
                    return None;
                }
                *done = true;
                self.record += 1;
                Some(Err(self.error(
                    0,
                    0,
                    Code::InputFormat,
                    msg!(
                        vi: "bản dựng này không đọc được CSV (thiếu tính năng `csv`)",
                        en: "this build cannot read CSV (the `csv` feature is off)",
                    ),
                )))
            }
        }
    }
}

impl<'e> Batch<'e> {
    /// A reader of `source` (called `name` in errors) as `format`, decoding into this batch.
    pub fn reader<R: Read>(self, source: R, format: Format, name: &str) -> RecordReader<'e, R> {
        RecordReader::new(self, source, format, name)
    }
}
