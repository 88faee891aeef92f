//! Framing JSON input into records without parsing it twice as a tree: a scanner follows
//! strings and brackets to find where each record ends (the elements of a top-level array, or
//! each top-level value of a stream of objects), and hands the record's bytes to the decoder.
//! One record is in memory at a time, so a pretty-printed object is read in one pass (not
//! re-parsed on every line) and a 2 GB array in the memory of its largest element.
//!
//! A record whose text is broken and runs on over several lines (a missing `}`) ends where the
//! next line starts a record at the same indentation or less: the next records are read.

use std::io::Read;

use super::FrameError;
use crate::codes::Code;
use crate::limits::MAX_RECORD_BYTES;
use crate::text::Message;

/// Where one record's text is in the framer's buffer, and where it starts in the input.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    start: usize,
    end: usize,
    /// 1-based line and column (characters) of its first byte.
    pub line: usize,
    pub column: usize,
    /// Columns of indentation of its first line (to find the next record after a broken one).
    indent: usize,
    multi_line: bool,
    in_array: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Begin,
    Stream,
    ArrayValue { first: bool },
    ArrayAfter,
    ArrayDone,
    Done,
}

/// Splits a JSON byte stream into records.
pub(crate) struct JsonFramer<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    line: usize,
    col: usize,
    /// JSON Lines: a top-level array is a record, not a list of records.
    lines: bool,
    state: State,
    bom_checked: bool,
    failure: Option<FrameError>,
}

/// Bytes read at a time: the buffer stays small enough to stay in the cache.
const CHUNK: usize = 64 << 10;

impl<R: Read> JsonFramer<R> {
    pub(crate) fn new(src: R, lines: bool) -> JsonFramer<R> {
        JsonFramer {
            src,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            line: 1,
            col: 1,
            lines,
            state: State::Begin,
            bom_checked: false,
            failure: None,
        }
    }

    /// The text of a frame (valid until the next call of `next_frame`).
    pub(crate) fn frame_bytes(&self, f: &Frame) -> &[u8] {
        self.buf.get(f.start..f.end).unwrap_or_default()
    }

    /// Reads more input; false at the end (or on a read error, kept for the next frame).
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
                self.failure = Some(FrameError::read(self.line, self.col, &e));
                false
            }
        }
    }

    /// The byte at `i`, reading more input when needed.
    #[inline]
    fn byte(&mut self, i: usize) -> Option<u8> {
        loop {
            if let Some(&b) = self.buf.get(i) {
                return Some(b);
            }
            if !self.fill() {
                return None;
            }
        }
    }

    /// Moves past the byte at `pos`, counting lines and characters.
    #[inline]
    fn advance(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            self.col = 1;
        } else if b & 0xC0 != 0x80 {
            self.col += 1;
        }
        self.pos += 1;
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.byte(self.pos) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return;
            }
            self.advance(b);
        }
    }

    /// Drops the bytes before `pos` when they are many (no frame is lent out then).
    fn compact(&mut self) {
        if self.pos > (256 << 10) && self.pos * 2 > self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
    }

    fn error_here(&self, code: Code, message: Message) -> FrameError {
        FrameError {
            line: self.line,
            column: self.col,
            code,
            message,
        }
    }

    /// The next record's text, an error of the input's structure, or `None` at the end.
    pub(crate) fn next_frame(&mut self) -> Option<Result<Frame, FrameError>> {
        if let Some(e) = self.failure.take() {
            self.state = State::Done;
            return Some(Err(e));
        }
        self.compact();
        if !self.bom_checked {
            self.bom_checked = true;
            let bom = (self.byte(0), self.byte(1), self.byte(2));
            if bom == (Some(0xEF), Some(0xBB), Some(0xBF)) {
                self.pos = 3;
            }
        }
        loop {
            self.skip_ws();
            let b = self.byte(self.pos);
            if let Some(e) = self.failure.take() {
                self.state = State::Done;
                return Some(Err(e));
            }
            match self.state {
                State::Done => return None,
                State::Begin => match b {
                    None => return None,
                    Some(b'[') if !self.lines => {
                        self.advance(b'[');
                        self.state = State::ArrayValue { first: true };
                    }
                    Some(_) => self.state = State::Stream,
                },
                State::Stream => {
                    b?;
                    return Some(self.scan(false));
                }
                State::ArrayValue { first } => match b {
                    None => {
                        self.state = State::Done;
                        return Some(Err(self.unclosed()));
                    }
                    Some(b']') => {
                        self.advance(b']');
                        self.state = State::ArrayDone;
                        if !first {
                            return Some(Err(self.error_here(
                                Code::InputJson,
                                msg!(
                                    vi: "JSON không hợp lệ: dấu `,` thừa trước `]`",
                                    en: "invalid JSON: a `,` before `]`",
                                ),
                            )));
                        }
                    }
                    Some(_) => {
                        self.state = State::ArrayAfter;
                        return Some(self.scan(true));
                    }
                },
                State::ArrayAfter => match b {
                    None => {
                        self.state = State::Done;
                        return Some(Err(self.unclosed()));
                    }
                    Some(b',') => {
                        self.advance(b',');
                        self.state = State::ArrayValue { first: false };
                    }
                    Some(b']') => {
                        self.advance(b']');
                        self.state = State::ArrayDone;
                    }
                    Some(_) => {
                        // two records without a comma between them: say so, read on
                        self.state = State::ArrayValue { first: false };
                        return Some(Err(self.error_here(
                            Code::InputJson,
                            msg!(
                                vi: "JSON không hợp lệ: cần dấu `,` hoặc `]` giữa các bản ghi",
                                en: "invalid JSON: expected `,` or `]` between records",
                            ),
                        )));
                    }
                },
                State::ArrayDone => match b {
                    None => return None,
                    // arrays one after another (`[…][…]`): records all the same
                    Some(b'[') => {
                        self.advance(b'[');
                        self.state = State::ArrayValue { first: true };
                    }
                    Some(_) => self.state = State::Stream,
                },
            }
        }
    }

    fn unclosed(&self) -> FrameError {
        self.error_here(
            Code::InputJson,
            msg!(
                vi: "JSON không hợp lệ: mảng chưa được đóng (thiếu `]` ở cuối)",
                en: "invalid JSON: the array is not closed (a `]` is missing at the end)",
            ),
        )
    }

    /// Scans one value from `pos`: an object or array to its closing bracket, anything else
    /// to the end of its line (in a stream) or to the next `,` / `]` (in an array).
    fn scan(&mut self, in_array: bool) -> Result<Frame, FrameError> {
        let start = self.pos;
        let (line, column) = (self.line, self.col);
        let indent = column.saturating_sub(1);
        let first = self.byte(start).unwrap_or(b' ');
        let nested = matches!(first, b'{' | b'[');
        if nested {
            return self.scan_nested(start, line, column, indent, in_array);
        }
        let mut depth = 0usize;
        let mut in_str = false;
        let mut esc = false;
        while let Some(b) = self.byte(self.pos) {
            if self.pos - start > MAX_RECORD_BYTES {
                return Err(self.too_large(line, column, indent, in_array));
            }
            if !nested && !in_array && b == b'\n' {
                break;
            }
            if in_str {
                if esc {
                    esc = false;
                } else if b == b'\\' {
                    esc = true;
                } else if b == b'"' {
                    in_str = false;
                }
                self.advance(b);
                continue;
            }
            if nested {
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            self.advance(b);
                            break;
                        }
                    }
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_str = true,
                    b'\n' if !in_array => break,
                    b',' | b']' | b' ' | b'\t' | b'\r' | b'\n' if in_array => break,
                    _ => {}
                }
            }
            self.advance(b);
        }
        Ok(Frame {
            start,
            end: self.pos,
            line,
            column,
            indent,
            multi_line: self.line != line,
            in_array,
        })
    }

    /// Scans an object or array from `pos` to its closing bracket, a slice of the buffer at a
    /// time (strings skipped to their next quote or backslash), lines and columns counted
    /// once per slice: the reading thread's whole work, so it is kept lean.
    fn scan_nested(
        &mut self,
        start: usize,
        line: usize,
        column: usize,
        indent: usize,
        in_array: bool,
    ) -> Result<Frame, FrameError> {
        let mut depth = 0usize;
        let mut in_str = false;
        let mut esc = false;
        let cap = start.saturating_add(MAX_RECORD_BYTES).saturating_add(1);
        loop {
            if self.pos >= self.buf.len() && !self.fill() {
                break;
            }
            if self.pos >= cap {
                return Err(self.too_large(line, column, indent, in_array));
            }
            let from = self.pos;
            let bytes = self
                .buf
                .get(from..self.buf.len().min(cap))
                .unwrap_or_default();
            let mut i = 0usize;
            let mut closed = false;
            while let Some(&b) = bytes.get(i) {
                if in_str {
                    if esc {
                        esc = false;
                        i += 1;
                        continue;
                    }
                    match memchr::memchr2(b'"', b'\\', bytes.get(i..).unwrap_or_default()) {
                        Some(k) => {
                            i += k;
                            if bytes.get(i) == Some(&b'\\') {
                                esc = true;
                            } else {
                                in_str = false;
                            }
                            i += 1;
                        }
                        None => i = bytes.len(),
                    }
                    continue;
                }
                i += 1;
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            closed = true;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            self.account(from, from + i);
            if closed {
                break;
            }
        }
        Ok(Frame {
            start,
            end: self.pos,
            line,
            column,
            indent,
            multi_line: self.line != line,
            in_array,
        })
    }

    /// Moves past `buf[from..to]` (from is `pos`), counting its lines and characters.
    fn account(&mut self, from: usize, to: usize) {
        let seg = self.buf.get(from..to).unwrap_or_default();
        let chars = |s: &[u8]| s.iter().filter(|&&c| c & 0xC0 != 0x80).count();
        match memchr::memrchr(b'\n', seg) {
            Some(k) => {
                self.line += memchr::memchr_iter(b'\n', seg).count();
                self.col = 1 + chars(seg.get(k + 1..).unwrap_or_default());
            }
            None => self.col += chars(seg),
        }
        self.pos = to;
    }

    /// A record longer than the limit: skipped to the next line that starts a record.
    fn too_large(
        &mut self,
        line: usize,
        column: usize,
        indent: usize,
        in_array: bool,
    ) -> FrameError {
        let e = FrameError {
            line,
            column,
            code: Code::InputTooLarge,
            message: msg!(
                vi: format!("bản ghi dài hơn {} MiB: bỏ qua", MAX_RECORD_BYTES >> 20),
                en: format!("record longer than {} MiB: skipped", MAX_RECORD_BYTES >> 20),
            ),
        };
        // skip to a line that starts with `{` at this indentation or less
        let mut at_start = false;
        let mut ws = 0usize;
        while let Some(b) = self.byte(self.pos) {
            if at_start {
                match b {
                    b' ' | b'\t' => ws += 1,
                    b'{' if ws <= indent => break,
                    _ => at_start = false,
                }
            }
            if b == b'\n' {
                at_start = true;
                ws = 0;
            }
            self.advance(b);
            if self.pos > (4 << 20) {
                self.buf.drain(..self.pos);
                self.pos = 0;
            }
        }
        self.state = if in_array {
            State::ArrayValue { first: false }
        } else {
            State::Stream
        };
        e
    }

    /// After frame `f` could not be read: when it runs over several lines, reading goes on
    /// from the first later line of it that starts with `{` at its indentation or less.
    /// Returns that point (offset in the frame, 1-based line).
    pub(crate) fn resync(&mut self, f: &Frame) -> Option<(usize, usize)> {
        let (offset, line) = self.resync_point(f)?;
        self.pos = f.start + offset;
        self.line = line;
        self.col = 1;
        self.state = if f.in_array {
            State::ArrayValue { first: false }
        } else {
            State::Stream
        };
        Some((offset, line))
    }

    /// Where [`JsonFramer::resync`] would read on after frame `f` (offset in the frame, 1-based
    /// line), without moving: a frame without such a point ends where it ends whether its text
    /// can be decoded or not, so it can be decoded anywhere, later.
    pub(crate) fn resync_point(&self, f: &Frame) -> Option<(usize, usize)> {
        if !f.multi_line {
            return None;
        }
        let bytes = self.buf.get(f.start..f.end)?;
        let mut line = f.line;
        let mut found = None;
        for (i, &b) in bytes.iter().enumerate() {
            if b != b'\n' {
                continue;
            }
            line += 1;
            let rest = bytes.get(i + 1..).unwrap_or_default();
            let ws = rest
                .iter()
                .take_while(|c| matches!(c, b' ' | b'\t'))
                .count();
            if rest.get(ws) == Some(&b'{') && ws <= f.indent {
                found = Some((i + 1, line));
                break;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(text: &str, lines: bool) -> Vec<Result<(String, usize, usize), String>> {
        let mut f = JsonFramer::new(text.as_bytes(), lines);
        let mut out = Vec::new();
        while let Some(x) = f.next_frame() {
            out.push(match x {
                Ok(fr) => Ok((
                    String::from_utf8_lossy(f.frame_bytes(&fr)).to_string(),
                    fr.line,
                    fr.column,
                )),
                Err(e) => Err(format!("{}:{} {}", e.line, e.column, e.code)),
            });
        }
        out
    }

    #[test]
    fn arrays_streams_and_lines_are_framed_record_by_record() {
        let a = frames(
            "[\n  {\"a\": [1, {\"b\": \"}\"}]},\n  {\"c\": 2}\n]\n",
            false,
        );
        assert_eq!(
            a,
            [
                Ok(("{\"a\": [1, {\"b\": \"}\"}]}".into(), 2, 3)),
                Ok(("{\"c\": 2}".into(), 3, 3))
            ]
        );
        let s = frames("{\n  \"a\": 1\n}\n{\"b\": 2} {\"c\": 3}\n", false);
        assert_eq!(s.len(), 3);
        assert_eq!(s[1], Ok(("{\"b\": 2}".into(), 4, 1)));
        // a JSON Lines array is a record; a scalar line is a record up to its end
        let l = frames("[1, 2]\n42 x\n", true);
        assert_eq!(l, [Ok(("[1, 2]".into(), 1, 1)), Ok(("42 x".into(), 2, 1))]);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let a = frames("\u{feff}[{\"a\": 1}]", false);
        assert_eq!(a, [Ok(("{\"a\": 1}".into(), 1, 2))]);
    }

    #[test]
    fn structural_errors_of_an_array_are_located() {
        assert_eq!(
            frames("[{\"a\": 1}", false).last().cloned(),
            Some(Err("1:10 input.json".into()))
        );
        assert_eq!(
            frames("[{\"a\": 1},]", false).last().cloned(),
            Some(Err("1:12 input.json".into()))
        );
        let missing_comma = frames("[{\"a\": 1} {\"b\": 2}]", false);
        assert_eq!(missing_comma.len(), 3);
        assert_eq!(missing_comma[1], Err("1:11 input.json".into()));
    }
}
