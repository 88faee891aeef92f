//! CSV records, streaming: the `csv` crate's parser core (`csv-core`) splits rows and unquotes
//! cells; this reader keeps each row's raw text so that what the parser accepts silently is an
//! error here — a quote still open at the end of the file (the rest of the file would be one
//! cell), a row with another number of cells than the header, a row longer than the limit,
//! text that is not UTF-8 — and reading goes on at the row's next line.

use std::io::Read;

use csv_core::{ReadRecordResult, Reader};

use super::FrameError;
use crate::codes::Code;
use crate::decode::text::line_col;
use crate::decode::{BatchNotes, DecodedRecord};
use crate::engine::{Batch, CsvColumn};
use crate::limits::MAX_RECORD_BYTES;

const CHUNK: usize = 256 << 10;

/// One row as the parser found it: where its text is, and its cells.
struct RawRow {
    /// The row's text in the buffer, from its first line (blank lines before it left out).
    start: usize,
    end: usize,
    /// 1-based line of its first line.
    line: usize,
    /// Cells: `ends` into `out`.
    cells: usize,
    /// Ended by the end of the input (not by a line break).
    at_eof: bool,
}

/// Splits a CSV byte stream into rows and decodes them with a batch.
pub(crate) struct CsvFramer<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    line: usize,
    eof: bool,
    rdr: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    columns: Option<Vec<CsvColumn>>,
    width: usize,
    started: bool,
    done: bool,
    failure: Option<FrameError>,
}

impl<R: Read> CsvFramer<R> {
    pub(crate) fn new(src: R) -> CsvFramer<R> {
        CsvFramer {
            src,
            buf: Vec::new(),
            pos: 0,
            line: 1,
            eof: false,
            rdr: Reader::new(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            columns: None,
            width: 0,
            started: false,
            done: false,
            failure: None,
        }
    }

    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        match super::fill(&mut self.src, &mut self.buf, CHUNK) {
            Ok(true) => true,
            Ok(false) => {
                self.eof = true;
                false
            }
            Err(e) => {
                self.eof = true;
                self.failure = Some(FrameError::read(self.line, 1, &e));
                false
            }
        }
    }

    fn count_lines(&mut self, from: usize, to: usize) {
        self.line += self
            .buf
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
    }

    /// The next row's cells and text, or `None` at the end of the input.
    fn raw_row(&mut self) -> Option<Result<RawRow, FrameError>> {
        if self.pos > (1 << 20) && self.pos * 2 > self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        if !self.started {
            self.started = true;
            while self.buf.len() < 3 && self.fill() {}
            if self.buf.starts_with(b"\xEF\xBB\xBF") {
                self.pos = 3;
            }
        }
        let start = self.pos;
        let start_line = self.line;
        let (mut nout, mut nend) = (0usize, 0usize);
        loop {
            if self.pos >= self.buf.len() && !self.eof {
                self.fill();
                continue;
            }
            let input = self.buf.get(self.pos..).unwrap_or_default();
            let (res, nin, o, e) = self.rdr.read_record(
                input,
                self.out.get_mut(nout..).unwrap_or_default(),
                self.ends.get_mut(nend..).unwrap_or_default(),
            );
            let from = self.pos;
            self.pos += nin;
            self.count_lines(from, self.pos);
            nout += o;
            nend += e;
            if self.pos - start > MAX_RECORD_BYTES {
                return Some(Err(self.too_large(start, start_line)));
            }
            match res {
                // more input is read at the top of the loop; at its end, the parser is called
                // with nothing, which ends the last row
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let n = self.out.len().max(1024);
                    self.out.resize(n * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len().max(16);
                    self.ends.resize(n * 2, 0);
                }
                ReadRecordResult::Record => {
                    if let Some(e) = self.failure.take() {
                        self.done = true;
                        return Some(Err(e));
                    }
                    // leave out blank lines before the row
                    let raw = self.buf.get(start..self.pos).unwrap_or_default();
                    let lead = raw
                        .iter()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                    let skipped = raw
                        .get(..lead)
                        .unwrap_or_default()
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    return Some(Ok(RawRow {
                        start: start + lead,
                        end: self.pos,
                        line: start_line + skipped,
                        cells: nend,
                        at_eof: self.eof && self.pos >= self.buf.len(),
                    }));
                }
                ReadRecordResult::End => {
                    if let Some(e) = self.failure.take() {
                        self.done = true;
                        return Some(Err(e));
                    }
                    return None;
                }
            }
        }
    }

    /// A row longer than the limit: an error, and reading goes on at its next line.
    fn too_large(&mut self, start: usize, line: usize) -> FrameError {
        let e = FrameError {
            line,
            column: 1,
            code: Code::InputTooLarge,
            message: msg!(
                vi: format!(
                    "dòng CSV dài hơn {} MiB (có thể một dấu ngoặc kép chưa được đóng): bỏ qua",
                    MAX_RECORD_BYTES >> 20
                ),
                en: format!(
                    "CSV row longer than {} MiB (perhaps a quote left open): skipped",
                    MAX_RECORD_BYTES >> 20
                ),
            ),
        };
        self.restart_after_line(start, line);
        e
    }

    /// Reading goes on at the line after the one that starts at `start` (line `line`).
    fn restart_after_line(&mut self, start: usize, line: usize) {
        self.rdr.reset();
        self.pos = start;
        loop {
            match self
                .buf
                .get(self.pos..)
                .and_then(|r| r.iter().position(|&b| b == b'\n'))
            {
                Some(i) => {
                    self.pos += i + 1;
                    break;
                }
                None => {
                    self.pos = self.buf.len();
                    if !self.fill() {
                        break;
                    }
                }
            }
        }
        self.line = line + 1;
    }

    /// The row's cells as text (`Err` at the first byte that is not UTF-8).
    fn cells(&self, row: &RawRow) -> Result<Vec<&str>, FrameError> {
        let mut cells = Vec::with_capacity(row.cells);
        let mut a = 0usize;
        for &b in self.ends.get(..row.cells).unwrap_or_default() {
            let bytes = self.out.get(a..b).unwrap_or_default();
            match std::str::from_utf8(bytes) {
                Ok(s) => cells.push(s),
                Err(_) => {
                    let raw = self.buf.get(row.start..row.end).unwrap_or_default();
                    let off = std::str::from_utf8(raw)
                        .err()
                        .map_or(0, |u| u.valid_up_to());
                    let (l, c) = line_col(raw, off);
                    return Err(FrameError {
                        line: row.line + l - 1,
                        column: c,
                        code: Code::InputUtf8,
                        message: msg!(
                            vi: "văn bản không phải UTF-8 hợp lệ",
                            en: "the text is not valid UTF-8",
                        ),
                    });
                }
            }
            a = b;
        }
        Ok(cells)
    }

    /// Reads the header row, once.
    fn header(&mut self, batch: &mut Batch<'_>) -> Option<FrameError> {
        if self.columns.is_some() || self.done {
            return None;
        }
        let row = match self.raw_row() {
            None => {
                self.done = true;
                return None;
            }
            Some(Err(e)) => {
                self.done = true;
                return Some(e);
            }
            Some(Ok(r)) => r,
        };
        let cells = match self.cells(&row) {
            Ok(c) => c.into_iter().map(str::to_string).collect::<Vec<_>>(),
            Err(e) => {
                self.done = true;
                return Some(e);
            }
        };
        if let Some(e) = self.unclosed_quote(&row) {
            self.done = true;
            return Some(e);
        }
        self.width = cells.len();
        self.columns = Some(cells.iter().map(|h| batch.csv_column(h)).collect());
        None
    }

    /// What the header says before any row: columns not in the schema, and decisions no
    /// column can decide.
    pub(crate) fn header_notes(&mut self, batch: &mut Batch<'_>) -> Option<BatchNotes> {
        if let Some(e) = self.header(batch) {
            self.failure = Some(e);
            self.done = false;
            return None;
        }
        let columns = self.columns.as_ref()?;
        let paths: Vec<String> = columns.iter().filter_map(CsvColumn::path).collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let mut notes = batch.notes();
        notes.undecidable = batch.undecidable_with(&paths);
        Some(notes)
    }

    /// Quotes the parser would take silently: one opened and never closed (it read to the
    /// end of the input), or text after a closing quote (`"Nguyễn Thị "Hoa`: where the cell
    /// ends is a guess, and the next lines may have been swallowed).
    fn unclosed_quote(&self, row: &RawRow) -> Option<FrameError> {
        let raw = self.buf.get(row.start..row.end).unwrap_or_default();
        if !raw.contains(&b'"') {
            return None;
        }
        let (at, problem) = quote_problem(raw)?;
        if problem == Quote::Unclosed && !row.at_eof {
            return None;
        }
        let (l, c) = line_col(raw, at);
        Some(FrameError {
            line: row.line + l - 1,
            column: c,
            code: Code::InputCsv,
            message: match problem {
                Quote::Unclosed => msg!(
                    vi: "CSV không hợp lệ: dấu ngoặc kép mở ở đây không được đóng trước khi hết tệp",
                    en: "invalid CSV: the quote opened here is not closed before the end of the file",
                ),
                Quote::TextAfter => msg!(
                    vi: "CSV không hợp lệ: ô mở bằng dấu ngoặc kép ở đây có chữ ngay sau dấu ngoặc kép đóng (dấu ngoặc kép trong ô phải viết đôi: \"\")",
                    en: "invalid CSV: the cell quoted from here has text right after its closing quote (a quote inside a cell is written twice: \"\")",
                ),
            },
        })
    }

    /// The next row decoded by `batch`, a row that could not be read, or `None` at the end.
    pub(crate) fn next_row(
        &mut self,
        batch: &mut Batch<'_>,
    ) -> Option<Result<(usize, DecodedRecord), FrameError>> {
        if let Some(e) = self.failure.take() {
            self.done = true;
            return Some(Err(e));
        }
        if let Some(e) = self.header(batch) {
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        let row = match self.raw_row()? {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        let multi_line = self
            .buf
            .get(row.start..row.end)
            .unwrap_or_default()
            .iter()
            .rev()
            .skip_while(|&&b| matches!(b, b'\r' | b'\n'))
            .any(|&b| b == b'\n');
        let problem = self.unclosed_quote(&row).or_else(|| {
            (row.cells != self.width).then(|| FrameError {
                line: row.line,
                column: 1,
                code: Code::InputCsv,
                message: msg!(
                    vi: format!("CSV không hợp lệ: dòng có {} ô, dòng tiêu đề có {}", row.cells, self.width),
                    en: format!("invalid CSV: the row has {} cells, the header has {}", row.cells, self.width),
                ),
            })
        });
        if let Some(e) = problem {
            // a row that ran on over several lines: the next lines are read again as rows
            if multi_line {
                self.restart_after_line(row.start, row.line);
            }
            return Some(Err(e));
        }
        let cells = match self.cells(&row) {
            Ok(c) => c,
            Err(e) => return Some(Err(e)),
        };
        let columns = self.columns.as_deref().unwrap_or_default();
        let d = batch.csv_row(columns, cells.into_iter());
        Some(Ok((row.line, d)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    Unclosed,
    TextAfter,
}

/// The first quoting problem of a row's text, by the parser's rules (a quote opens a cell only
/// at its start; `""` inside is a quote): where a quote opens that is never closed, or that
/// closes with text after it.
fn quote_problem(raw: &[u8]) -> Option<(usize, Quote)> {
    #[derive(PartialEq)]
    enum S {
        Start,
        Plain,
        Quoted,
        QuoteSeen,
    }
    let mut s = S::Start;
    let mut open = 0usize;
    for (i, &b) in raw.iter().enumerate() {
        s = match (s, b) {
            (S::Start, b'"') => {
                open = i;
                S::Quoted
            }
            (S::Start | S::Plain | S::QuoteSeen, b',' | b'\n' | b'\r') => S::Start,
            (S::Start | S::Plain, _) => S::Plain,
            (S::Quoted, b'"') => S::QuoteSeen,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteSeen, b'"') => S::Quoted,
            (S::QuoteSeen, _) => return Some((open, Quote::TextAfter)),
        };
    }
    (s == S::Quoted).then_some((open, Quote::Unclosed))
}

#[cfg(test)]
mod tests {
    use super::{quote_problem, Quote};

    #[test]
    fn quoting_problems_are_found_where_they_are() {
        assert_eq!(quote_problem(b"a,\"b,c\nd,e\n"), Some((2, Quote::Unclosed)));
        assert_eq!(quote_problem(b"a,\"b\"\"c\",d\n"), None);
        assert_eq!(quote_problem(b"a,b\"c,d\n"), None);
        assert_eq!(
            quote_problem(b"a,\"b\"x,\"c\n"),
            Some((2, Quote::TextAfter))
        );
        assert_eq!(quote_problem(b"a,\"b\"\r\n"), None);
    }
}
