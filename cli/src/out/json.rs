//! JSON output: the contract's array of results, or JSON Lines (one result per line), with the
//! full explained decisions or a compact form (`--fields values|outcomes`).
//!
//! Each record is encoded on its own, knowing only its place (first or not), so that worker
//! threads can encode and the writer only copies bytes in order.

use std::io::Write;

use clap::ValueEnum;
use htx_rules::{Evaluation, JsonWriter};
use serde::Serialize;

/// How much of each decision to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Fields {
    /// The contract's decision: outcome, value, target, reasons, missing facts, citation.
    Full,
    /// Outcome and value only: `{"outcome": "yes", "value": "0.775"}` (value when known).
    Values,
    /// The outcome only: `"yes"`.
    Outcomes,
}

/// An array (the contract's shape) or JSON Lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// `[`, results separated by `,`, `]`.
    Array,
    /// One result per line.
    Lines,
}

/// Encodes results as JSON.
#[derive(Clone, Copy)]
pub struct JsonEncoder {
    /// How much of each decision.
    pub fields: Fields,
    /// Array or lines.
    pub framing: Framing,
}

impl JsonEncoder {
    fn open(&self, first: bool, buf: &mut Vec<u8>) {
        if self.framing == Framing::Array {
            buf.extend_from_slice(if first { b"[\n" } else { b",\n" });
        }
    }

    fn close_item(&self, buf: &mut Vec<u8>) {
        if self.framing == Framing::Lines {
            buf.push(b'\n');
        }
    }

    /// Appends one evaluated record; the full decisions with `writer` (the worker's own: it
    /// keeps what every record of the pack writes the same, escaped once).
    pub fn evaluation(
        &self,
        first: bool,
        ev: &Evaluation<'_>,
        writer: &mut JsonWriter<'_>,
        buf: &mut Vec<u8>,
    ) {
        self.open(first, buf);
        match self.fields {
            Fields::Full => writer.write(ev, buf),
            Fields::Values | Fields::Outcomes => compact(self.fields, ev, buf),
        }
        self.close_item(buf);
    }

    /// Appends any JSON value in a record's place (a record that could not be read).
    pub fn value<T: Serialize + ?Sized>(&self, first: bool, v: &T, buf: &mut Vec<u8>) {
        self.open(first, buf);
        let _ = serde_json::to_writer(&mut *buf, v);
        self.close_item(buf);
    }

    /// What ends the output, after `n` records.
    pub fn end(&self, n: usize) -> &'static [u8] {
        match (self.framing, n) {
            (Framing::Array, 0) => b"[]\n",
            (Framing::Array, _) => b"\n]\n",
            (Framing::Lines, _) => b"",
        }
    }
}

/// `{"id": …, "decisions": {name: "yes" | {"outcome", "value"}}}` (+ `"errors"`).
fn compact(fields: Fields, ev: &Evaluation<'_>, buf: &mut Vec<u8>) {
    buf.extend_from_slice(b"{\"id\":");
    let _ = serde_json::to_writer(&mut *buf, &ev.id());
    buf.extend_from_slice(b",\"decisions\":{");
    for (i, (name, d)) in ev.decisions().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        let _ = serde_json::to_writer(&mut *buf, name);
        buf.push(b':');
        let outcome = d.outcome().as_str().as_bytes();
        match fields {
            Fields::Outcomes | Fields::Full => {
                buf.push(b'"');
                buf.extend_from_slice(outcome);
                buf.push(b'"');
            }
            Fields::Values => {
                buf.extend_from_slice(b"{\"outcome\":\"");
                buf.extend_from_slice(outcome);
                buf.push(b'"');
                if let Some(v) = d.value() {
                    buf.extend_from_slice(b",\"value\":");
                    write_scalar(v, buf);
                }
                buf.push(b'}');
            }
        }
    }
    buf.push(b'}');
    if !ev.errors().is_empty() {
        buf.extend_from_slice(b",\"errors\":");
        let _ = serde_json::to_writer(&mut *buf, ev.errors());
    }
    buf.push(b'}');
}

/// A value in the contract's form: decimals and dates as strings.
fn write_scalar(v: &htx_rules::Scalar, buf: &mut Vec<u8>) {
    use htx_rules::Scalar;
    match v {
        Scalar::Bool(b) => buf.extend_from_slice(if *b { b"true" } else { b"false" }),
        Scalar::Int(i) => {
            let _ = write!(buf, "{i}");
        }
        Scalar::Decimal(d) => {
            let _ = write!(buf, "\"{}\"", d.normalize());
        }
        Scalar::Date(d) => {
            let _ = write!(buf, "\"{d}\"");
        }
        Scalar::Text(s) => {
            let _ = serde_json::to_writer(&mut *buf, s);
        }
    }
}
