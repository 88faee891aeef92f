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
        record_error(&self.name, self.record, line, column, code, message)
    }
}

/// Decodes frame `frame` of framer `f` with `batch`: the record, or where and why it could
/// not be read (a record that ran on over several lines moves the framer back to the next line
/// that starts a record).
fn decode_frame<R: Read>(
    f: &mut json::JsonFramer<R>,
    batch: &mut Batch<'_>,
    frame: &json::Frame,
    name: &str,
    record: usize,
) -> Result<(Location, DecodedRecord), RecordError> {
    let at = (frame.line, frame.column);
    let loc = Location {
        line: frame.line,
        column: frame.column,
        record,
    };
    match batch.decode_json(f.frame_bytes(frame)) {
        Ok(d) => Ok((loc, d)),
        Err(e) => {
            // a record that could not be read: when it ran on over several lines, read on
            // from the next line that starts a record
            let resync = if e.code != Code::FactsType {
                f.resync(frame)
            } else {
                None
            };
            match resync {
                Some((offset, line)) if e.offset >= offset => Err(record_error(
                    name,
                    record,
                    at.0,
                    at.1,
                    e.code,
                    msg!(
                        vi: format!("bản ghi không được đóng (thiếu `}}` hoặc `]`) trước dòng {line}"),
                        en: format!("the record is not closed (a `}}` or `]` is missing) before line {line}"),
                    ),
                )),
                _ => Err(text_error(name, record, at, e)),
            }
        }
    }
}

fn record_error(
    name: &str,
    record: usize,
    line: usize,
    column: usize,
    code: Code,
    message: Message,
) -> RecordError {
    RecordError {
        file: name.to_string(),
        line,
        column,
        record,
        code: code.as_str().to_string(),
        message,
    }
}

/// A decoding error of a record's text that starts at `at`, located in the input.
fn text_error(name: &str, record: usize, at: (usize, usize), e: TextError) -> RecordError {
    let (line0, col0) = at;
    let line = line0 + e.line.saturating_sub(1);
    let column = if e.line <= 1 {
        col0 + e.column.saturating_sub(1)
    } else {
        e.column
    };
    record_error(name, record, line, column, e.code, e.message)
}

impl<R: Read> Iterator for RecordReader<'_, R> {
    type Item = Result<(Location, DecodedRecord), RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            Source::Json(f) => {
                let frame = f.next_frame()?;
                self.record += 1;
                Some(match frame {
                    Ok(fr) => decode_frame(f, &mut self.batch, &fr, &self.name, self.record),
                    Err(e) => Err(self.error(e.line, e.column, e.code, e.message)),
                })
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

/// A record read, or where and why it could not be.
pub type ReadItem = Result<(Location, DecodedRecord), RecordError>;

/// Records of an input framed on one thread and decoded on another
/// ([`RecordReader::next_chunk`]): the reading thread only finds where each record's text
/// ends; [`RawChunk::decode`] decodes the texts (on any thread, with a [`Batch::split`] of the
/// reader's batch) into the same records and errors as reading them one by one.
pub struct RawChunk<'e> {
    name: String,
    bytes: Vec<u8>,
    items: Vec<RawItem<'e>>,
}

enum RawItem<'e> {
    /// A record's text, `bytes[start..end]`, not decoded yet.
    Text {
        start: usize,
        end: usize,
        loc: Location,
    },
    /// A record read already (an error of the input's structure, a CSV row, or a record whose
    /// decoding decides where the next one starts), with what its decoding saw.
    Read(ReadItem, Option<Box<Batch<'e>>>),
}

impl<'e> RawChunk<'e> {
    /// Number of records in the chunk.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the chunk has no record.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes of record text the chunk holds.
    pub fn text_len(&self) -> usize {
        self.bytes.len()
    }

    /// Decodes each record with `batch` (a [`Batch::split`] of the reader's batch: what the
    /// decoding sees is tallied there, in order) and hands it, with the batch, to `each`, in
    /// input order.
    pub fn decode(self, batch: &mut Batch<'e>, mut each: impl FnMut(&Batch<'e>, ReadItem)) {
        let RawChunk { name, bytes, items } = self;
        for item in items {
            let r = match item {
                RawItem::Text { start, end, loc } => {
                    match batch.decode_json(bytes.get(start..end).unwrap_or_default()) {
                        Ok(d) => Ok((loc, d)),
                        Err(e) => Err(text_error(&name, loc.record, (loc.line, loc.column), e)),
                    }
                }
                RawItem::Read(r, part) => {
                    if let Some(p) = part {
                        batch.absorb(*p);
                    }
                    r
                }
            };
            each(batch, r);
        }
    }
}

impl<'e, R: Read> RecordReader<'e, R> {
    /// The next records, framed but not decoded (up to `max_records` records, or about
    /// `max_bytes` bytes of text), or `None` at the end: see [`RawChunk`]. Memory holds the
    /// chunk's text; a record that cannot be framed is an error in its place, as with
    /// [`Iterator::next`], and the records after it are read.
    pub fn next_chunk(&mut self, max_records: usize, max_bytes: usize) -> Option<RawChunk<'e>> {
        let mut chunk = RawChunk {
            name: self.name.clone(),
            // the size it will have (not grown, and copied, record by record)
            bytes: Vec::with_capacity(max_bytes.min(1 << 20).saturating_add(4096)),
            items: Vec::with_capacity(max_records.clamp(1, 4096)),
        };
        while chunk.items.len() < max_records.max(1) && chunk.bytes.len() < max_bytes {
            match &mut self.source {
                Source::Json(f) => {
                    let Some(frame) = f.next_frame() else { break };
                    self.record += 1;
                    let item = match frame {
                        Err(e) => RawItem::Read(
                            Err(self.error(e.line, e.column, e.code, e.message)),
                            None,
                        ),
                        // a record whose end depends on whether it can be decoded: decoded
                        // here (rare: a record over several lines with a line in it that
                        // starts like a record)
                        Ok(fr) if f.resync_point(&fr).is_some() => {
                            let mut part = self.batch.split();
                            let r = decode_frame(f, &mut part, &fr, &self.name, self.record);
                            RawItem::Read(r, Some(Box::new(part)))
                        }
                        Ok(fr) => {
                            let text = f.frame_bytes(&fr);
                            let start = chunk.bytes.len();
                            chunk.bytes.extend_from_slice(text);
                            RawItem::Text {
                                start,
                                end: chunk.bytes.len(),
                                loc: Location {
                                    line: fr.line,
                                    column: fr.column,
                                    record: self.record,
                                },
                            }
                        }
                    };
                    chunk.items.push(item);
                }
                _ => {
                    let Some(r) = self.next() else { break };
                    chunk.items.push(RawItem::Read(r, None));
                }
            }
        }
        (!chunk.items.is_empty()).then_some(chunk)
    }

    /// The reader's batch (to add to it, with [`Batch::absorb`], what the chunks' batches saw).
    pub fn into_batch(self) -> Batch<'e> {
        self.batch
    }
}

impl<'e> Batch<'e> {
    /// A reader of `source` (called `name` in errors) as `format`, decoding into this batch.
    pub fn reader<R: Read>(self, source: R, format: Format, name: &str) -> RecordReader<'e, R> {
        RecordReader::new(self, source, format, name)
    }
}
