//! `htx-rules eval`: decisions about each record, in the format asked for.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use htx_rules::{Date, DecisionInfo, Engine, Error, Evaluation, Lang};

use crate::out::delimited::{DelimitedEncoder, Delimiter};
use crate::out::json::{Fields, Framing, JsonEncoder};
use crate::out::labels::Labels;
use crate::out::row::{titles, RowBuilder};
use crate::out::table::{terminal_width, TableWriter};
use crate::out::xlsx::{About, EvalWorkbook};
use crate::out::{finish_io, Target};
use crate::progress::Progress;
use crate::{input, suggest, Ctx};

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
    /// Entity: cooperative, person, progress, calendar.
    #[arg(long)]
    entity: String,
    /// As-of date (YYYY-MM-DD); today in Vietnam when absent.
    #[arg(long)]
    as_of: Option<String>,
    /// A rule pack folder instead of the embedded Bến Tre pack.
    #[arg(long)]
    pack: Option<PathBuf>,
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
    /// Input file, or - for standard input.
    file: Option<String>,
}

/// Where each result goes.
enum Sink {
    Json(JsonEncoder),
    Delimited(DelimitedEncoder),
    Table(TableWriter),
    Xlsx(Box<EvalWorkbook>),
}

/// Everything needed to turn one evaluation into output.
struct Emitter {
    sink: Sink,
    rows: RowBuilder,
    buf: Vec<u8>,
    n: usize,
}

impl Emitter {
    fn evaluation(&mut self, ev: &Evaluation<'_>, out: &mut Target) -> std::io::Result<()> {
        self.n += 1;
        self.buf.clear();
        match &mut self.sink {
            Sink::Json(j) => j.evaluation(self.n == 1, ev, &mut self.buf),
            Sink::Delimited(d) => d.evaluation(ev, &self.rows, &mut self.buf),
            Sink::Table(t) => {
                let row = self.rows.evaluated(self.n, ev);
                return t.push(row, out);
            }
            Sink::Xlsx(x) => {
                let row = self.rows.evaluated(self.n, ev);
                return x.push(&row).map_err(std::io::Error::other);
            }
        }
        out.write_all(&self.buf)
    }

    fn finish(self, out: &mut Target) -> std::io::Result<()> {
        match self.sink {
            Sink::Json(j) => out.write_all(j.end(self.n))?,
            Sink::Delimited(_) => {}
            Sink::Table(t) => t.finish(out)?,
            Sink::Xlsx(x) => x.finish(&mut *out).map_err(std::io::Error::other)?,
        }
        out.flush()
    }
}

fn emitter(
    engine: &Engine,
    entity: &str,
    infos: Vec<DecisionInfo>,
    a: &Args,
    lang: Lang,
    date: Date,
    out: &mut Target,
) -> Result<Emitter, Error> {
    let rows = RowBuilder {
        lang,
        reasons: a.format == Format::Xlsx,
        labels: Labels::new(&engine.fields(entity)?),
    };
    let mut buf = Vec::new();
    let sink = match a.format {
        Format::Json | Format::Jsonl => Sink::Json(JsonEncoder {
            fields: a.fields,
            framing: if a.format == Format::Json {
                Framing::Array
            } else {
                Framing::Lines
            },
        }),
        Format::Csv | Format::Tsv => {
            let d = DelimitedEncoder::new(
                if a.format == Format::Csv {
                    Delimiter::Comma
                } else {
                    Delimiter::Tab
                },
                &infos,
            );
            d.header(&infos, &mut buf);
            Sink::Delimited(d)
        }
        Format::Table => Sink::Table(TableWriter::new(
            lang,
            titles(&infos, lang),
            if out.is_terminal() {
                terminal_width()
            } else {
                None
            },
        )),
        Format::Xlsx => {
            let about = About {
                entity: entity.to_string(),
                as_of: date,
                packs: engine
                    .packs()
                    .iter()
                    .map(|p| format!("{} {}", p.id, p.version))
                    .collect(),
                input: a.file.clone().unwrap_or_else(|| "stdin".into()),
            };
            Sink::Xlsx(Box::new(
                EvalWorkbook::new(lang, infos, about).map_err(|e| xlsx_error(&e))?,
            ))
        }
    };
    Ok(Emitter {
        sink,
        rows,
        buf,
        n: 0,
    })
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
    let date = crate::as_of(a.as_of.as_deref())?;
    let engine = crate::engine(a.pack.as_deref())?;
    suggest::entity(&engine, &a.entity)?;
    let infos = engine.decision_infos(&a.entity)?;
    let source = input::open(a.file.as_deref())?;
    let mut out = Target::open(a.output.as_deref())?;
    let mut em = emitter(&engine, &a.entity, infos, &a, lang, date, &mut out)?;
    // a table is printed at the end of each block; the other formats stream
    let streams_to_tty = out.is_terminal() && a.format != Format::Table;
    let mut progress = Progress::new(ctx.quiet, streams_to_tty, 0);
    if let Some(code) = finish_io(out.write_all(&em.buf), a.output.as_deref())? {
        return Ok(code);
    }
    let mut stop: Option<ExitCode> = None;
    let entity = a.entity.as_str();
    let result = input::for_each_record(source, &mut |rec| {
        if stop.is_some() {
            return Ok(());
        }
        let ev = engine.evaluate(entity, &rec, date)?;
        if let Some(code) = finish_io(em.evaluation(&ev, &mut out), a.output.as_deref())? {
            stop = Some(code);
        }
        progress.update(em.n, 0);
        Ok(())
    });
    if let Some(code) = stop {
        return Ok(code);
    }
    result?;
    progress.clear();
    let n = em.n;
    if let Some(code) = finish_io(em.finish(&mut out), a.output.as_deref())? {
        return Ok(code);
    }
    if progress.was_shown() && !ctx.quiet {
        eprintln!("{n} bản ghi / records");
    }
    Ok(ExitCode::SUCCESS)
}
