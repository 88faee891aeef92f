//! CSV and TSV for machines and spreadsheets: a header of the contract's names (`id`, each
//! decision, `NAME.value` for the decisions that carry a value, `errors`), outcomes as
//! `yes`/`no`/`unknown`, values in the contract's form (`0.775`), errors in the output's
//! language. Text from the input is neutralised against formula injection (`safe`), and TSV
//! cells keep no tab or line break (TSV has no quoting).

use htx_rules::{Evaluation, Scalar};

use super::row::{Output, RowBuilder};
use crate::safe;

/// Comma or tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    /// RFC 4180 CSV, quoted where needed.
    Comma,
    /// Tab-separated, never quoted.
    Tab,
}

/// Encodes records as delimited rows.
pub struct DelimitedEncoder {
    delimiter: Delimiter,
    /// Whether each decision has a value column.
    has_value: Vec<bool>,
}

impl DelimitedEncoder {
    /// An encoder for `infos`' decisions.
    pub fn new(delimiter: Delimiter, infos: &[Output]) -> DelimitedEncoder {
        DelimitedEncoder {
            delimiter,
            has_value: infos.iter().map(|d| d.value.is_some()).collect(),
        }
    }

    fn write_row<'a>(
        &self,
        cells: impl IntoIterator<Item = std::borrow::Cow<'a, str>>,
        buf: &mut Vec<u8>,
    ) {
        match self.delimiter {
            Delimiter::Comma => {
                let mut w = csv::WriterBuilder::new()
                    .buffer_capacity(1024)
                    .from_writer(&mut *buf);
                let cells: Vec<std::borrow::Cow<'a, str>> = cells.into_iter().collect();
                let _ = w.write_record(cells.iter().map(|c| safe::csv(c).into_owned()));
                let _ = w.flush();
            }
            Delimiter::Tab => {
                for (i, c) in cells.into_iter().enumerate() {
                    if i > 0 {
                        buf.push(b'\t');
                    }
                    buf.extend_from_slice(safe::tsv(&c).as_bytes());
                }
                buf.push(b'\n');
            }
        }
    }

    /// The header row.
    pub fn header(&self, infos: &[Output], buf: &mut Vec<u8>) {
        let mut h: Vec<std::borrow::Cow<'_, str>> = vec!["id".into()];
        for (d, v) in infos.iter().zip(&self.has_value) {
            h.push(d.name.as_str().into());
            if *v {
                h.push(format!("{}.value", d.name).into());
            }
        }
        h.push("errors".into());
        self.write_row(h, buf);
    }

    /// One evaluated record.
    pub fn evaluation(&self, ev: &Evaluation<'_>, rows: &RowBuilder, buf: &mut Vec<u8>) {
        let mut cells: Vec<std::borrow::Cow<'_, str>> = vec![ev.id().unwrap_or("").into()];
        for ((_, d), v) in ev.decisions().zip(&self.has_value) {
            cells.push(d.outcome().as_str().into());
            if *v {
                cells.push(d.value().map(scalar).unwrap_or_default().into());
            }
        }
        let errors: Vec<String> = ev.errors().iter().map(|e| rows.field_error(e)).collect();
        cells.push(errors.join("; ").into());
        self.write_row(cells, buf);
    }

    /// A record that could not be read: empty cells and why.
    #[allow(dead_code)] // records that cannot be read arrive with the streaming reader
    pub fn unreadable(&self, why: &str, buf: &mut Vec<u8>) {
        let n = 1 + self
            .has_value
            .iter()
            .map(|v| if *v { 2 } else { 1 })
            .sum::<usize>();
        let mut cells: Vec<std::borrow::Cow<'_, str>> = (0..n).map(|_| "".into()).collect();
        cells.push(why.into());
        self.write_row(cells, buf);
    }
}

/// A value in the contract's form, as text.
pub fn scalar(v: &Scalar) -> String {
    match v {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Decimal(d) => d.normalize().to_string(),
        Scalar::Date(d) => d.to_string(),
        Scalar::Text(s) => s.clone(),
    }
}
