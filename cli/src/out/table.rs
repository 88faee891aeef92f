//! Aligned tables for a person (comfy-table): headers in the output's language, every cell
//! escaped (`safe::cell`), and the problems of each record listed under the table.
//!
//! A table is aligned over a block of rows; a long input prints blocks of [`BLOCK`] rows, each
//! with its header, so memory stays bounded by the block, not by the input.

use std::io::{self, Write};

use comfy_table::{ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width};
use htx_rules::Lang;

use super::row::{outcome_text, Row};
use crate::safe;

/// The widest a decision's column grows (its title wraps within it).
const MAX_COLUMN: u16 = 24;

/// Rows per aligned block.
pub const BLOCK: usize = 1000;

/// Collects rows and prints them as aligned blocks.
pub struct TableWriter {
    lang: Lang,
    headers: Vec<String>,
    rows: Vec<Row>,
    /// The terminal's width when printing to one (cells wrap to fit); none for a pipe or file.
    width: Option<u16>,
}

fn words(lang: Lang) -> (&'static str, &'static str, &'static str, &'static str) {
    match lang {
        Lang::Vi => ("Mã số", "Lỗi", "Bản ghi", "không đọc được"),
        Lang::En => ("Id", "Problems", "Record", "unreadable"),
    }
}

impl TableWriter {
    /// A table with one column per decision, headed by `titles`.
    pub fn new(lang: Lang, titles: Vec<String>, width: Option<u16>) -> TableWriter {
        TableWriter {
            lang,
            headers: titles,
            rows: Vec::new(),
            width,
        }
    }

    /// Adds a row; prints a block when it is full.
    pub fn push(&mut self, row: Row, out: &mut dyn Write) -> io::Result<()> {
        self.rows.push(row);
        if self.rows.len() >= BLOCK {
            self.flush_block(out)?;
        }
        Ok(())
    }

    /// Prints what is left.
    pub fn finish(mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.rows.is_empty() {
            self.flush_block(out)?;
        }
        Ok(())
    }

    fn flush_block(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let (id_word, problems_word, record_word, unreadable_word) = words(self.lang);
        let any_errors = self.rows.iter().any(|r| !r.errors.is_empty());
        let mut t = new_table(self.width);
        let mut header = vec![id_word.to_string()];
        header.extend(self.headers.iter().map(|h| safe::cell(h).into_owned()));
        if any_errors {
            header.push(problems_word.to_string());
        }
        t.set_header(header);
        // long titles wrap in their column rather than widen the table
        let n = t.column_count();
        for c in 1..n {
            if let Some(col) = t.column_mut(c) {
                col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(MAX_COLUMN)));
            }
        }
        for r in &self.rows {
            let mut cells = vec![r
                .id
                .as_deref()
                .map_or_else(|| "—".to_string(), |s| safe::cell(s).into_owned())];
            if r.unreadable {
                cells.push(format!("({unreadable_word})"));
                cells.extend((1..self.headers.len()).map(|_| String::new()));
            } else {
                cells.extend(
                    r.cells
                        .iter()
                        .map(|c| safe::cell(&outcome_text(c, self.lang)).into_owned()),
                );
            }
            if any_errors {
                cells.push(if r.errors.is_empty() {
                    String::new()
                } else {
                    format!("{} ↓", r.errors.len())
                });
            }
            t.add_row(cells);
        }
        writeln!(out, "{}", t.trim_fmt())?;
        if any_errors {
            writeln!(out)?;
            writeln!(out, "{problems_word}:")?;
            for r in &self.rows {
                let who = match &r.id {
                    Some(id) => format!("{record_word} {} ({})", r.record, safe::cell(id)),
                    None => format!("{record_word} {}", r.record),
                };
                for e in &r.errors {
                    writeln!(out, "  {who}: {}", safe::cell(e))?;
                }
            }
        }
        self.rows.clear();
        Ok(())
    }
}

/// No borders; a rule under the header.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// A table in the command line's style: a rule under the header, columns two spaces apart;
/// cells wrap only when printed to a terminal of `width` columns.
pub fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE);
    t.force_no_tty();
    match width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            // no terminal: no overall width, but columns still keep their bounds
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(u16::MAX);
        }
    }
    t
}

/// The width of the terminal standard output is, when it is one.
pub fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    comfy_table::Table::new().width()
}
