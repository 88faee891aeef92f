//! Reading a registry once, streaming, against the pack's schema: a JSON object whose
//! collections are read element by element (never the whole file as one tree), or a folder
//! with one file per collection — `cooperatives.csv`, `.jsonl` or `.json` — and an optional
//! `registry.json` for the metadata keys. CSV cells are typed by the schema (an id `00123`
//! stays the text `"00123"`; dotted headers such as `workers.female`; lists and records as
//! JSON in their cell).
//!
//! A row that cannot be read (a malformed JSON Lines line, a CSV row of the wrong length, a
//! `null` in a JSON array) becomes a record error with its file, line, column and record
//! number, and the other rows are still counted. Only a malformed JSON object registry (a
//! syntax error outside its rows) stops the reading, with its location.
//!
//! This is the registry's reader; the reader of `eval`/`validate` input is separate (see
//! `core/src/decode/`). Files come through [`RegistryFiles`], as pack files come through a
//! pack loader: the core opens nothing else.

use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{ReportBuilder, ReportPartial, RowLocation};
use crate::codes::Code;
use crate::decode::{Column, ColumnBatch};
use crate::error::Error;
use crate::value::Ty;

/// CSV rows are decoded by batches of this many (also a chunk for a worker thread).
const CSV_BATCH: usize = 1024;

/// JSON Lines are handed to a worker thread by chunks of this many lines.
const LINES_PER_CHUNK: usize = 2048;

/// A piece of a collection's file, evaluated as a unit (here or on a worker thread).
enum Chunk {
    /// JSON Lines: the text of whole lines, the first one's line and record numbers.
    Lines {
        first_line: u64,
        first_record: u64,
        text: Vec<u8>,
    },
    /// CSV rows (or rows that could not be read), the first one's record number.
    Csv {
        items: Vec<CsvItem>,
        first_record: u64,
    },
}

enum CsvItem {
    Row(csv::StringRecord, u64),
    Bad(String, Option<u64>),
}

/// A CSV file's header and which columns hold JSON (lists and records).
struct CsvShape {
    headers: Vec<String>,
    json_cols: Vec<bool>,
}

/// How a collection's file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegistryFormat {
    /// A JSON array of rows.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// CSV with a header of dotted paths.
    Csv,
}

impl RegistryFormat {
    /// The format a file name's extension says, if any.
    pub fn of_name(name: &str) -> Option<RegistryFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(RegistryFormat::Csv)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Some(RegistryFormat::JsonLines)
        } else if lower.ends_with(".json") {
            Some(RegistryFormat::Json)
        } else {
            None
        }
    }
}

/// Where a folder registry's files come from.
pub trait RegistryFiles {
    /// The names of the files (not their paths).
    fn list(&self) -> Result<Vec<String>, Error>;
    /// Opens one file by name.
    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>, Error>;
}

/// A folder on disk: its regular files only (no links, devices or pipes).
#[derive(Clone, Debug)]
pub struct DirRegistry {
    /// The folder.
    pub dir: PathBuf,
}

fn read_error(what: &str, e: &dyn fmt::Display) -> Error {
    Error::invalid_input(
        Code::InputRead,
        msg!(
            vi: format!("không đọc được {what}: {e}"),
            en: format!("cannot read {what}: {e}"),
        ),
    )
}

impl RegistryFiles for DirRegistry {
    fn list(&self) -> Result<Vec<String>, Error> {
        let shown = self.dir.display().to_string();
        let entries = std::fs::read_dir(&self.dir).map_err(|e| read_error(&shown, &e))?;
        let mut names = Vec::new();
        for e in entries.flatten() {
            let regular =
                std::fs::symlink_metadata(e.path()).is_ok_and(|m| m.file_type().is_file());
            if let (true, Some(n)) = (regular, e.file_name().to_str()) {
                names.push(n.to_string());
            }
        }
        names.sort();
        Ok(names)
    }

    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>, Error> {
        let p = self.dir.join(name);
        let f = std::fs::File::open(&p).map_err(|e| read_error(&p.display().to_string(), &e))?;
        Ok(Box::new(f))
    }
}

/// A reader that skips a UTF-8 byte order mark and knows the line and column of the last
/// byte it gave out (the JSON parser reads one byte at a time through it).
struct Tracked<R> {
    inner: R,
    pos: Rc<Cell<(u64, u64)>>,
    started: bool,
}

impl<R: BufRead> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.started {
            self.started = true;
            let head = self.inner.fill_buf()?;
            if head.starts_with(b"\xEF\xBB\xBF") {
                self.inner.consume(3);
            }
        }
        let n = self.inner.read(buf)?;
        let (mut line, mut col) = self.pos.get();
        for &b in buf.get(..n).unwrap_or(&[]) {
            if b == b'\n' {
                line += 1;
                col = 0;
            } else if b & 0xC0 != 0x80 {
                // a column is a character: continuation bytes do not count
                col += 1;
            }
        }
        self.pos.set((line, col));
        Ok(n)
    }
}

/// A byte order mark at the start of a buffered reader, skipped.
fn skip_bom(r: &mut dyn BufRead) -> std::io::Result<()> {
    if r.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        r.consume(3);
    }
    Ok(())
}

impl ReportBuilder<'_> {
    /// Reads a registry written as one JSON object (the pack's collections as arrays, its
    /// metadata keys), element by element. With `require_collection`, an object holding none
    /// of the pack's collections is an error.
    pub fn read_json(&mut self, source: &str, reader: impl Read) -> Result<(), Error> {
        self.read_json_object(source, reader, true)
    }

    fn read_json_object(
        &mut self,
        source: &str,
        reader: impl Read,
        require_collection: bool,
    ) -> Result<(), Error> {
        let pos = Rc::new(Cell::new((1u64, 0u64)));
        let tracked = Tracked {
            inner: BufReader::with_capacity(1 << 16, reader),
            pos: Rc::clone(&pos),
            started: false,
        };
        let mut de = serde_json::Deserializer::from_reader(tracked);
        let mut found = false;
        let visitor = RegistryVisitor {
            b: self,
            source,
            pos: &pos,
            found: &mut found,
        };
        de.deserialize_map(visitor)
            .and_then(|()| de.end())
            .map_err(|e| Error::from_json_in(source, &e))?;
        if require_collection && !found {
            return Err(self.shape_error());
        }
        Ok(())
    }

    /// Reads one collection's rows from `reader` written in `format`.
    pub fn read_collection(
        &mut self,
        collection: &str,
        format: RegistryFormat,
        source: &str,
        reader: impl Read,
    ) -> Result<(), Error> {
        let c = self.collection(collection)?;
        match format {
            RegistryFormat::Json => {
                let pos = Rc::new(Cell::new((1u64, 0u64)));
                let tracked = Tracked {
                    inner: BufReader::with_capacity(1 << 16, reader),
                    pos: Rc::clone(&pos),
                    started: false,
                };
                let mut de = serde_json::Deserializer::from_reader(tracked);
                RowsSeed {
                    b: self,
                    c,
                    source,
                    pos: &pos,
                }
                .deserialize(&mut de)
                .and_then(|()| de.end())
                .map_err(|e| Error::from_json_in(source, &e))
            }
            RegistryFormat::JsonLines => self.read_lines(c, source, reader),
            RegistryFormat::Csv => self.read_csv(c, source, reader),
        }
    }

    fn read_lines(&mut self, c: usize, source: &str, reader: impl Read) -> Result<(), Error> {
        let mut r = BufReader::with_capacity(1 << 16, reader);
        skip_bom(&mut r).map_err(|e| read_error(source, &e))?;
        let (mut line, mut record) = (0u64, 0u64);
        let mut next = move || -> Option<Result<Chunk, Error>> {
            let mut text = Vec::new();
            let (first_line, first_record) = (line + 1, record + 1);
            let mut n = 0;
            while n < LINES_PER_CHUNK {
                let start = text.len();
                match r.read_until(b'\n', &mut text) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => return Some(Err(read_error(source, &e))),
                }
                line += 1;
                n += 1;
                if !text
                    .get(start..)
                    .unwrap_or(&[])
                    .iter()
                    .all(u8::is_ascii_whitespace)
                {
                    record += 1;
                }
            }
            (n > 0).then_some(Ok(Chunk::Lines {
                first_line,
                first_record,
                text,
            }))
        };
        self.read_chunks(c, source, &mut next, None)
    }

    /// One chunk of rows, evaluated into this builder.
    fn process(&mut self, c: usize, source: &str, chunk: Chunk, csv: Option<&CsvShape>) {
        match chunk {
            Chunk::Lines {
                first_line,
                first_record,
                text,
            } => {
                let mut record = first_record;
                for (k, line) in text.split_inclusive(|b| *b == b'\n').enumerate() {
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let loc = RowLocation {
                        source: Some(source),
                        line: Some(first_line + k as u64),
                        column: Some(1),
                        record: Some(record),
                    };
                    record += 1;
                    match serde_json::from_slice::<Value>(line) {
                        Ok(v) => self.add_at(c, &v, loc),
                        Err(e) => {
                            let column = u64::try_from(e.column()).ok().filter(|c| *c > 0);
                            let msg = e.to_string();
                            let en = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                            self.add_unreadable(
                                c,
                                msg!(
                                    vi: format!("dòng không phải JSON hợp lệ: {en}"),
                                    en: format!("the line is not valid JSON: {en}"),
                                ),
                                RowLocation { column, ..loc },
                            );
                        }
                    }
                }
            }
            Chunk::Csv {
                items,
                first_record,
            } => {
                let Some(shape) = csv else { return };
                let mut rows: Vec<csv::StringRecord> = Vec::new();
                let mut lines: Vec<u64> = Vec::new();
                let mut record = first_record;
                for item in items {
                    match item {
                        CsvItem::Row(row, line) => {
                            rows.push(row);
                            lines.push(line);
                        }
                        CsvItem::Bad(text, line) => {
                            self.flush_csv(c, source, shape, &mut rows, &mut lines, &mut record);
                            self.add_unreadable(
                                c,
                                msg!(
                                    vi: format!("dòng CSV không hợp lệ: {text}"),
                                    en: format!("invalid CSV row: {text}"),
                                ),
                                RowLocation {
                                    source: Some(source),
                                    line,
                                    column: None,
                                    record: Some(record),
                                },
                            );
                            record += 1;
                        }
                    }
                }
                self.flush_csv(c, source, shape, &mut rows, &mut lines, &mut record);
            }
        }
    }

    /// Evaluates every chunk `next` gives, here or — with [`ReportBuilder::threads`] above 1 —
    /// on worker threads, each into a partial report merged here in the chunks' order.
    fn read_chunks(
        &mut self,
        c: usize,
        source: &str,
        next: &mut dyn FnMut() -> Option<Result<Chunk, Error>>,
        csv: Option<&CsvShape>,
    ) -> Result<(), Error> {
        // (a diff compares each row as it comes: on this thread)
        if self.threads <= 1 || self.twin.is_some() || cfg!(target_arch = "wasm32") {
            while let Some(chunk) = next() {
                self.process(c, source, chunk?, csv);
            }
            return Ok(());
        }
        let engine = self.engine;
        let as_of = self.as_of();
        let threads = self.threads;
        let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(usize, Chunk)>(threads * 2);
        let job_rx = std::sync::Mutex::new(job_rx);
        let (done_tx, done_rx) =
            std::sync::mpsc::channel::<(usize, Result<ReportPartial, Error>)>();
        std::thread::scope(|scope| -> Result<(), Error> {
            for _ in 0..threads {
                let (job_rx, done_tx) = (&job_rx, done_tx.clone());
                scope.spawn(move || loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((k, chunk)) = job else { return };
                    let part = engine.report_builder(as_of).map(|mut b| {
                        b.process(c, source, chunk, csv);
                        b.into_partial()
                    });
                    if done_tx.send((k, part)).is_err() {
                        return;
                    }
                });
            }
            drop(done_tx);
            // merge in order: partials that arrive early wait (at most the chunks in flight)
            let mut waiting: std::collections::BTreeMap<usize, ReportPartial> = Default::default();
            let mut merged = 0usize;
            let merge_ready = |b: &mut Self,
                               waiting: &mut std::collections::BTreeMap<usize, ReportPartial>,
                               merged: &mut usize|
             -> Result<(), Error> {
                while let Some(p) = waiting.remove(merged) {
                    b.merge(p)?;
                    *merged += 1;
                }
                Ok(())
            };
            let mut sent = 0usize;
            let mut failed = None;
            while let Some(chunk) = next() {
                match chunk {
                    Ok(chunk) => {
                        if job_tx.send((sent, chunk)).is_err() {
                            break;
                        }
                        sent += 1;
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
                while let Ok((k, part)) = done_rx.try_recv() {
                    waiting.insert(k, part?);
                }
                merge_ready(self, &mut waiting, &mut merged)?;
            }
            drop(job_tx);
            for (k, part) in done_rx.iter() {
                waiting.insert(k, part?);
                merge_ready(self, &mut waiting, &mut merged)?;
            }
            merge_ready(self, &mut waiting, &mut merged)?;
            match failed {
                Some(e) => Err(e),
                None => Ok(()),
            }
        })
    }

    fn read_csv(&mut self, c: usize, source: &str, reader: impl Read) -> Result<(), Error> {
        let mut r = BufReader::with_capacity(1 << 16, reader);
        skip_bom(&mut r).map_err(|e| read_error(source, &e))?;
        let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(r);
        let csv_error = |e: &csv::Error| {
            Error::invalid_input(
                Code::InputCsv,
                msg!(
                    vi: format!("{source}: CSV không hợp lệ: {e}"),
                    en: format!("{source}: invalid CSV: {e}"),
                ),
            )
        };
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_error(&e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let pack = self.pack();
        let row_ty = pack.registry.collections.get(c).map(|x| x.row).unwrap_or(0);
        // a list or a record is written as JSON in its cell; anything else as text
        let json_cols: Vec<bool> = headers
            .iter()
            .map(|h| {
                matches!(
                    crate::decode::shape::resolve(pack, row_ty, h),
                    Some((_, Ty::List(_) | Ty::Rec(_)))
                )
            })
            .collect();
        let shape = CsvShape { headers, json_cols };
        let mut record = 0u64;
        let mut rec = csv::StringRecord::new();
        let mut next = || -> Option<Result<Chunk, Error>> {
            let first_record = record + 1;
            let mut items = Vec::new();
            while items.len() < CSV_BATCH {
                match rdr.read_record(&mut rec) {
                    Ok(true) => {
                        items.push(CsvItem::Row(
                            rec.clone(),
                            rec.position().map_or(0, csv::Position::line),
                        ));
                    }
                    Ok(false) => break,
                    Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                        return Some(Err(csv_error(&e)));
                    }
                    Err(e) => items.push(CsvItem::Bad(
                        e.to_string(),
                        e.position().map(csv::Position::line),
                    )),
                }
                record += 1;
            }
            (!items.is_empty()).then_some(Ok(Chunk::Csv {
                items,
                first_record,
            }))
        };
        self.read_chunks(c, source, &mut next, Some(&shape))
    }

    /// Decodes the CSV rows gathered so far as one columnar batch.
    fn flush_csv(
        &mut self,
        c: usize,
        source: &str,
        shape: &CsvShape,
        rows: &mut Vec<csv::StringRecord>,
        lines: &mut Vec<u64>,
        record: &mut u64,
    ) {
        if rows.is_empty() {
            return;
        }
        let mut batch = ColumnBatch::new(rows.len());
        for (k, h) in shape.headers.iter().enumerate() {
            let cells = rows.iter().map(|r| {
                r.get(k)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            });
            let col = if shape.json_cols.get(k).copied().unwrap_or(false) {
                Column::Json(
                    cells
                        .map(|s| s.map(|s| serde_json::from_str(&s).unwrap_or(Value::String(s))))
                        .collect(),
                )
            } else {
                Column::Text(cells.collect())
            };
            batch.push(h.clone(), col);
        }
        // the columns all have the batch's length: this cannot fail
        let _ = self.add_batch_at(c, &batch, Some(source), lines, Some(*record));
        *record += rows.len() as u64;
        rows.clear();
        lines.clear();
    }

    /// Reads a folder registry: for each collection the first of `<name>.csv`, `.jsonl`,
    /// `.json`; `registry.json` for the metadata keys; other files are listed as ignored.
    pub fn read_files(&mut self, files: &dyn RegistryFiles) -> Result<(), Error> {
        let names = files.list()?;
        let collections: Vec<String> = self
            .pack()
            .registry
            .collections
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let mut used = Vec::new();
        let mut any = false;
        for coll in &collections {
            let found = [
                (format!("{coll}.csv"), RegistryFormat::Csv),
                (format!("{coll}.jsonl"), RegistryFormat::JsonLines),
                (format!("{coll}.json"), RegistryFormat::Json),
            ]
            .into_iter()
            .find(|(n, _)| names.contains(n));
            if let Some((name, format)) = found {
                let r = files.open(&name)?;
                self.read_collection(coll, format, &name, r)?;
                used.push(name);
                any = true;
            }
        }
        if names.iter().any(|n| n == "registry.json") {
            let r = files.open("registry.json")?;
            self.read_json_object("registry.json", r, false)?;
            used.push("registry.json".to_string());
        }
        for n in names.iter().filter(|n| !used.contains(n)) {
            self.ignore(None, n, 0);
        }
        if !any {
            return Err(self.shape_error());
        }
        Ok(())
    }

    /// Reads a registry from a path: a folder (see [`ReportBuilder::read_files`]) or a JSON
    /// file holding the whole registry as one object.
    pub fn read_path(&mut self, path: &Path) -> Result<(), Error> {
        if path.is_dir() {
            return self.read_files(&DirRegistry {
                dir: path.to_path_buf(),
            });
        }
        let shown = path.display().to_string();
        match RegistryFormat::of_name(&shown) {
            Some(RegistryFormat::Json) | None => {
                let f = std::fs::File::open(path).map_err(|e| read_error(&shown, &e))?;
                self.read_json(&shown, f)
            }
            Some(_) => Err(Error::invalid_input(
                Code::RegistryShape,
                msg!(
                    vi: format!("{shown}: sổ dạng CSV hoặc JSON Lines là một thư mục, mỗi danh sách một tệp (cooperatives.csv, …)"),
                    en: format!("{shown}: a CSV or JSON Lines registry is a folder with one file per collection (cooperatives.csv, …)"),
                ),
            )),
        }
    }
}

/// The registry object: collections are read row by row, metadata keys as values, other
/// keys skipped and listed.
struct RegistryVisitor<'a, 'b, 'e> {
    b: &'a mut ReportBuilder<'e>,
    source: &'a str,
    pos: &'a Rc<Cell<(u64, u64)>>,
    found: &'b mut bool,
}

impl<'de> Visitor<'de> for RegistryVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a registry (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if let Ok(c) = self.b.collection(&key) {
                *self.found = true;
                map.next_value_seed(RowsSeed {
                    b: &mut *self.b,
                    c,
                    source: self.source,
                    pos: self.pos,
                })?;
            } else if self.b.pack().registry.meta.iter().any(|m| m.name == key) {
                let v: Value = map.next_value()?;
                self.b.set_meta(&key, &v);
            } else {
                map.next_value::<IgnoredAny>()?;
                self.b.ignore(None, &key, 1);
            }
        }
        Ok(())
    }
}

/// A collection's array, one row at a time.
struct RowsSeed<'a, 'e> {
    b: &'a mut ReportBuilder<'e>,
    c: usize,
    source: &'a str,
    pos: &'a Rc<Cell<(u64, u64)>>,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows (a JSON array)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut record = 0u64;
        loop {
            // the parser has read the row's first byte when it asks for the row
            let at = RowStart {
                pos: self.pos,
                start: (0, 0),
            };
            let Some((v, (line, column))) = seq.next_element_seed(at)? else {
                return Ok(());
            };
            record += 1;
            self.b.add_at(
                self.c,
                &v,
                RowLocation {
                    source: Some(self.source),
                    line: Some(line),
                    column: Some(column),
                    record: Some(record),
                },
            );
        }
    }
}

/// One row as a small JSON value, with where it starts.
struct RowStart<'a> {
    pos: &'a Rc<Cell<(u64, u64)>>,
    start: (u64, u64),
}

impl<'de> DeserializeSeed<'de> for RowStart<'_> {
    type Value = (Value, (u64, u64));
    fn deserialize<D: Deserializer<'de>>(mut self, d: D) -> Result<Self::Value, D::Error> {
        self.start = self.pos.get();
        let v = <Value as serde::Deserialize>::deserialize(d)?;
        Ok((v, self.start))
    }
}
