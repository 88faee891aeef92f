//! `htx-rules validate`: form checks of each record; exit 1 when any is invalid.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use htx_rules::read::RecordError;
use htx_rules::{Error, Lang, Validation};

use super::records::{self, RecordArgs, Unreadable};
use crate::out::json::{Fields, Framing, JsonEncoder};
use crate::out::labels::Labels;
use crate::out::row::RowBuilder;
use crate::out::table::{new_table, terminal_width};
use crate::out::{finish_io, Target};
use crate::{safe, Ctx};

/// The formats `validate` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The contract's JSON array of validation results.
    Json,
    /// JSON Lines: one validation result per line, streamed.
    Jsonl,
    /// A table for a person: each record, each problem by the field's label (in `--lang`).
    Table,
}

/// `validate`'s arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    records: RecordArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Rows of the validation table, printed in blocks.
struct ValidationTable {
    lang: Lang,
    width: Option<u16>,
    rows: Vec<[String; 3]>,
}

impl ValidationTable {
    fn push(&mut self, n: usize, id: Option<&str>, v: &Validation, rb: &RowBuilder) {
        let who = match id {
            Some(id) => format!("{n} ({})", safe::cell(id)),
            None => n.to_string(),
        };
        if v.errors.is_empty() {
            let ok = match self.lang {
                Lang::Vi => "hợp lệ",
                Lang::En => "valid",
            };
            self.rows.push([who.clone(), String::new(), ok.to_string()]);
        }
        for e in &v.errors {
            let place = rb.labels.describe(&e.field, self.lang);
            self.rows.push([
                who.clone(),
                safe::cell(&place).into_owned(),
                safe::cell(e.message.get(self.lang)).into_owned(),
            ]);
        }
    }

    /// A record that could not be read: where and why.
    fn unreadable(&mut self, n: usize, e: &RecordError) {
        self.rows.push([
            n.to_string(),
            String::new(),
            safe::cell(&e.render(self.lang)).into_owned(),
        ]);
    }

    /// Prints a block once enough rows are waiting.
    fn flush_full(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.rows.len() >= crate::out::table::BLOCK {
            self.flush(out)
        } else {
            Ok(())
        }
    }

    fn flush(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let header = match self.lang {
            Lang::Vi => ["Bản ghi", "Trường", "Kết quả"],
            Lang::En => ["Record", "Field", "Result"],
        };
        let mut t = new_table(self.width);
        t.set_header(header.to_vec());
        for r in self.rows.drain(..) {
            t.add_row(r.to_vec());
        }
        writeln!(out, "{}", t.trim_fmt())
    }
}

/// Runs `validate`.
pub fn run(a: Args, ctx: Ctx) -> Result<ExitCode, Error> {
    let lang = ctx.lang;
    let r = &a.records;
    let (date, engine) = r.engine()?;
    let rb = RowBuilder {
        lang,
        reasons: false,
        labels: Labels::new(&engine.fields(&r.entity)?),
    };
    let source = r.source(&engine)?;
    let batch = engine.batch(&r.entity, r.read.options())?;
    let mut out = Target::open(a.output.as_deref())?;
    let enc = JsonEncoder {
        fields: Fields::Full,
        framing: if a.format == Format::Jsonl {
            Framing::Lines
        } else {
            Framing::Array
        },
    };
    let mut table = ValidationTable {
        lang,
        width: if out.is_terminal() {
            terminal_width()
        } else {
            None
        },
        rows: Vec::new(),
    };
    let name = source.name.clone();
    let mut reader = batch.reader(
        std::io::BufReader::with_capacity(1 << 16, source.reader),
        source.format,
        &name,
    );
    let up_front = reader.header_notes();
    if let Some(n) = &up_front {
        records::say_notes(&name, n, None, lang, ctx.quiet);
    }
    let mut said = Unreadable::new(lang, ctx.quiet);
    let mut n = 0usize;
    let mut any_invalid = false;
    let mut buf = Vec::new();
    while let Some(item) = reader.next() {
        n += 1;
        buf.clear();
        let r = match item {
            Ok((_, record)) => {
                let id = record.id().map(str::to_string);
                let v = reader.batch().validate(record, date);
                any_invalid |= !v.valid;
                match a.format {
                    Format::Json | Format::Jsonl => {
                        enc.value(n == 1, &v, &mut buf);
                        out.write_all(&buf)
                    }
                    Format::Table => {
                        table.push(n, id.as_deref(), &v, &rb);
                        table.flush_full(&mut out)
                    }
                }
            }
            Err(e) => {
                said.say(&e);
                match a.format {
                    Format::Json | Format::Jsonl => {
                        enc.value(
                            n == 1,
                            &serde_json::json!({ "id": null, "error": &e }),
                            &mut buf,
                        );
                        out.write_all(&buf)
                    }
                    Format::Table => {
                        table.unreadable(n, &e);
                        table.flush_full(&mut out)
                    }
                }
            }
        };
        if let Some(code) = finish_io(r, a.output.as_deref())? {
            return Ok(code);
        }
    }
    let r = match a.format {
        Format::Json | Format::Jsonl => out.write_all(enc.end(n)),
        Format::Table => table.flush(&mut out),
    }
    .and_then(|()| out.flush());
    if let Some(code) = finish_io(r, a.output.as_deref())? {
        return Ok(code);
    }
    records::say_notes(&name, &reader.notes(), up_front.as_ref(), lang, ctx.quiet);
    said.summary(&name, n);
    Ok(records::exit_code(said.count, any_invalid))
}
