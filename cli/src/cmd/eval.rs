//! `htx-rules eval`: decisions about each record, in the format asked for.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use htx_rules::read::{RawChunk, RecordError};
use htx_rules::{Batch, Date, Engine, Error, Evaluation, JsonWriter, Lang};

use super::records::{self, RecordArgs, Unreadable};
use crate::out::delimited::{DelimitedEncoder, Delimiter};
use crate::out::json::{Fields, Framing, JsonEncoder};
use crate::out::labels::Labels;
use crate::out::row::{outputs, titles, Output, Row, RowBuilder};
use crate::out::table::{terminal_width, TableWriter};
use crate::out::xlsx::{About, EvalWorkbook};
use crate::out::{self, finish_io, Target};
use crate::progress::Progress;
use crate::{pipeline, Ctx};

/// The formats `eval` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The contract's JSON array of results.
    Json,
    /// JSON Lines: one result per line, streamed.
    Jsonl,
    /// An aligned table for a person (in `--lang`), problems listed under it.
    Table,
    /// CSV with the contract's names as headers (outcomes, values), for machines.
    Csv,
    /// The same, tab-separated.
    Tsv,
    /// An Excel workbook (headers in `--lang`); needs `--output FILE` or a redirection.
    Xlsx,
}

/// `eval`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    records: RecordArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// How much of each decision JSON and JSON Lines carry: `full` (the contract's decision
    /// with reasons and citation), `values` (outcome and value), `outcomes`.
    #[arg(long, value_enum, default_value = "full")]
    fields: Fields,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// How each record becomes output, on the worker threads.
enum Encoder {
    Json(JsonEncoder),
    Delimited(DelimitedEncoder),
    /// Rows for a table or a workbook, put together by the writer.
    Rows,
}

/// What the writer thread does with the outputs, in order.
enum Writer {
    Bytes,
    Table(TableWriter),
    Xlsx(Box<EvalWorkbook>),
}

/// One chunk's output, and what decoding it saw.
#[derive(Default)]
struct ChunkOut<'e> {
    bytes: Vec<u8>,
    rows: Vec<Row>,
    records: usize,
    unreadable: usize,
    /// The records that could not be read, to say on standard error in order.
    errors: Vec<RecordError>,
    part: Option<Batch<'e>>,
}

/// The shared part: turns evaluations into output (`Sync`: every worker uses it).
struct Emitter {
    encoder: Encoder,
    rows: RowBuilder,
}

impl Emitter {
    /// One evaluated record, number `n` (1-based).
    fn evaluation(
        &self,
        n: usize,
        ev: &Evaluation<'_>,
        writer: &mut JsonWriter<'_>,
        out: &mut ChunkOut<'_>,
    ) {
        out.records += 1;
        match &self.encoder {
            Encoder::Json(j) => j.evaluation(n == 1, ev, writer, &mut out.bytes),
            Encoder::Delimited(d) => d.evaluation(ev, &self.rows, &mut out.bytes),
            Encoder::Rows => out.rows.push(self.rows.evaluated(n, ev)),
        }
    }

    /// A record that could not be read, in its place: `{"id": null, "error": {file, line,
    /// column, record, code, message}}` in JSON, a row saying where and why in the others.
    fn unreadable(&self, n: usize, e: &RecordError, out: &mut ChunkOut<'_>) {
        out.records += 1;
        out.unreadable += 1;
        let lang = self.rows.lang;
        let why = e.render(lang);
        match &self.encoder {
            Encoder::Json(j) => j.value(
                n == 1,
                &serde_json::json!({ "id": null, "error": e }),
                &mut out.bytes,
            ),
            Encoder::Delimited(d) => d.unreadable(&why, &mut out.bytes),
            Encoder::Rows => out.rows.push(self.rows.unreadable(n, why)),
        }
    }
}

impl Writer {
    fn write(&mut self, c: &mut ChunkOut<'_>, out: &mut Target) -> std::io::Result<()> {
        match self {
            Writer::Bytes => out.write_all(&c.bytes),
            Writer::Table(t) => {
                for r in c.rows.drain(..) {
                    t.push(r, out)?;
                }
                Ok(())
            }
            Writer::Xlsx(x) => {
                for r in &c.rows {
                    x.push(r).map_err(std::io::Error::other)?;
                }
                Ok(())
            }
        }
    }

    fn finish(self, end: &[u8], out: &mut Target) -> std::io::Result<()> {
        match self {
            Writer::Bytes => out.write_all(end)?,
            Writer::Table(t) => t.finish(out)?,
            Writer::Xlsx(x) => x.finish(&mut *out).map_err(std::io::Error::other)?,
        }
        out.flush()
    }
}

/// The encoder, the writer and what goes before the first record (a CSV header).
fn emitter(
    engine: &Engine,
    entity: &str,
    infos: Vec<Output>,
    a: &Args,
    lang: Lang,
    date: Date,
    out: &Target,
) -> Result<(Emitter, Writer, Vec<u8>), Error> {
    let rows = RowBuilder {
        lang,
        reasons: a.format == Format::Xlsx,
        labels: Labels::new(&engine.fields(entity)?),
    };
    let mut head = Vec::new();
    let (encoder, writer) = match a.format {
        Format::Json | Format::Jsonl => (
            Encoder::Json(JsonEncoder {
                fields: a.fields,
                framing: if a.format == Format::Json {
                    Framing::Array
                } else {
                    Framing::Lines
                },
            }),
            Writer::Bytes,
        ),
        Format::Csv | Format::Tsv => {
            let d = DelimitedEncoder::new(
                if a.format == Format::Csv {
                    Delimiter::Comma
                } else {
                    Delimiter::Tab
                },
                &infos,
            );
            d.header(&infos, &mut head);
            (Encoder::Delimited(d), Writer::Bytes)
        }
        Format::Table => (
            Encoder::Rows,
            Writer::Table(TableWriter::new(
                lang,
                titles(&infos, lang),
                if out.is_terminal() {
                    terminal_width()
                } else {
                    None
                },
            )),
        ),
        Format::Xlsx => {
            let about = About {
                entity: entity.to_string(),
                as_of: date,
                packs: engine
                    .packs()
                    .iter()
                    .map(|p| format!("{} {}", p.id, p.version))
                    .collect(),
                input: a.records.file.clone().unwrap_or_else(|| "stdin".into()),
            };
            (
                Encoder::Rows,
                Writer::Xlsx(Box::new(
                    EvalWorkbook::new(lang, infos, about).map_err(|e| xlsx_error(&e))?,
                )),
            )
        }
    };
    Ok((Emitter { encoder, rows }, writer, head))
}

/// A workbook that could not be made.
pub fn xlsx_error(e: &rust_xlsxwriter::XlsxError) -> Error {
    Error::invalid_input(
        htx_rules::Code::OutputWrite,
        htx_rules::msg!(
            vi: format!("không tạo được tệp Excel: {e}"),
            en: format!("cannot write the workbook: {e}"),
        ),
    )
}

/// Runs `eval`.
pub fn run(a: Args, ctx: Ctx) -> Result<ExitCode, Error> {
    if a.fields != Fields::Full && !matches!(a.format, Format::Json | Format::Jsonl) {
        super::usage_error(format!(
            "--fields {} applies to --format json and jsonl only",
            a.fields
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        ));
    }
    if a.format == Format::Xlsx
        && a.output.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        super::usage_error("--format xlsx writes a workbook: give --output FILE.xlsx (or redirect standard output to a file)");
    }
    let lang = ctx.lang;
    let r = &a.records;
    let (date, engine) = r.engine()?;
    let infos = outputs(&engine, &r.entity)?;
    let source = r.source(&engine)?;
    let options = r.read.options();
    // the reading thread frames records with this batch; each worker decodes and evaluates a
    // chunk with a split of it, and the splits are added back in input order
    let batch = engine.batch(&r.entity, options)?;
    let mut seen = batch.split();
    let mut said = Unreadable::new(lang, ctx.quiet);
    let buffers: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    let mut out = Target::open(a.output.as_deref())?;
    let (emitter, mut writer, head) = emitter(&engine, &r.entity, infos, &a, lang, date, &out)?;
    // results on the terminal (a table prints a block every thousand rows): no bar beside them
    let streams_to_tty = out.is_terminal();
    let progress = std::sync::Mutex::new(Progress::new(ctx.quiet, streams_to_tty, 0));
    if let Some(code) = finish_io(out.write_all(&head), a.output.as_deref())? {
        return Ok(code);
    }
    let entity = r.entity.as_str();
    let name = source.name.clone();
    let mut written = 0usize;
    let mut unreadable = 0usize;
    let ((reader_batch, up_front), stopped) = pipeline::run(
        pipeline::workers(),
        || (engine.batch(entity, options), JsonWriter::new(&engine)),
        |(b, writer), _, chunks: Vec<RawChunk<'_>>| {
            let mut o = ChunkOut {
                bytes: buffers
                    .lock()
                    .ok()
                    .and_then(|mut p| p.pop())
                    .unwrap_or_default(),
                ..ChunkOut::default()
            };
            let Ok(b) = b.as_ref() else {
                // a worker's batch is made like the reader's, which was made: not reached
                return o;
            };
            let mut part = b.split();
            for chunk in chunks {
                chunk.decode(&mut part, |b, item| match item {
                    Ok((loc, record)) => {
                        emitter.evaluation(loc.record, &b.evaluate(record, date), writer, &mut o);
                    }
                    Err(e) => {
                        emitter.unreadable(e.record, &e, &mut o);
                        o.errors.push(e);
                    }
                });
            }
            o.part = Some(part);
            o
        },
        |mut c: ChunkOut<'_>| {
            written += c.records;
            unreadable += c.unreadable;
            if let Some(p) = c.part.take() {
                seen.absorb(p);
            }
            for e in c.errors.drain(..) {
                said.say(&e);
            }
            if let Ok(mut p) = progress.lock() {
                p.update(written, 0);
            }
            let r = writer.write(&mut c, &mut out);
            // the buffer goes back to the workers: a chunk's output (a megabyte of full JSON)
            // is not grown and its pages cleared again for every chunk
            c.bytes.clear();
            if let Ok(mut p) = buffers.lock() {
                p.push(std::mem::take(&mut c.bytes));
            }
            match r {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(pipeline::Stop::Closed),
                Err(e) => Err(pipeline::Stop::Failed(e)),
            }
        },
        |feed| read_all(batch, source, lang, ctx.quiet, feed),
    );
    let mut reader_batch = reader_batch;
    reader_batch.absorb(seen);
    let notes = (reader_batch.notes(), up_front);
    match stopped {
        Some(pipeline::Stop::Closed) => return Ok(ExitCode::SUCCESS),
        Some(pipeline::Stop::Failed(e)) => return Err(out::write_error(a.output.as_deref(), &e)),
        None => {}
    }
    if let Ok(mut p) = progress.lock() {
        p.clear();
        if p.was_shown() {
            eprintln!("{written} bản ghi / records");
        }
    }
    let end = match &emitter.encoder {
        Encoder::Json(j) => j.end(written),
        _ => b"",
    };
    if let Some(code) = finish_io(writer.finish(end, &mut out), a.output.as_deref())? {
        return Ok(code);
    }
    say_end(&name, &notes, unreadable, written, lang, ctx.quiet);
    Ok(records::exit_code(unreadable, records::doubtful(&notes.0)))
}

/// What the reading saw: the batch's notes, and what was said before the records.
pub type Seen = (htx_rules::BatchNotes, Option<htx_rules::BatchNotes>);

/// Records framed by the reading thread, and decoded on the workers.
const CHUNK_RECORDS: usize = 256;
/// Bytes of record text per chunk, at most (and one record more).
const CHUNK_BYTES: usize = 256 << 10;

/// Frames every record of `source` with `batch` (on the reading thread), handing chunks of
/// records' texts to the workers, which decode them; says the CSV header's notes up front and
/// each record that cannot be framed as it comes (those the workers find are said at the end,
/// with the count). Returns the reader's batch and what was said up front.
pub fn read_all<'e>(
    batch: htx_rules::Batch<'e>,
    source: crate::input::Source,
    lang: Lang,
    quiet: bool,
    feed: &mut pipeline::Feeder<'_, RawChunk<'e>>,
) -> (htx_rules::Batch<'e>, Option<htx_rules::BatchNotes>) {
    let name = source.name.clone();
    let mut reader = batch.reader(source.reader, source.format, &name);
    let up_front = reader.header_notes();
    if let Some(n) = &up_front {
        records::say_notes(&name, n, None, lang, quiet);
    }
    while let Some(chunk) = reader.next_chunk(CHUNK_RECORDS, CHUNK_BYTES) {
        if !feed.push_now(chunk) {
            // the output is closed: stop reading
            break;
        }
    }
    (reader.into_batch(), up_front)
}

/// After the records: what the batch saw, and how many records could not be read.
pub fn say_end(
    name: &str,
    seen: &Seen,
    unreadable: usize,
    records: usize,
    lang: Lang,
    quiet: bool,
) {
    records::say_notes(name, &seen.0, seen.1.as_ref(), lang, quiet);
    let mut u = Unreadable::new(lang, true);
    u.count = unreadable;
    u.summary(name, records);
}
