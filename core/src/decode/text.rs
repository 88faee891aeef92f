//! JSON text that is not quite JSON, and JSON text that is not JSON at all: non-finite
//! numbers (`NaN`, `Infinity`, `1e999`, as Python and JavaScript write them) turned into the
//! decoder's marker so each is a field error, and the error of a text that cannot be read, with
//! its line and column in characters and a message in Vietnamese and English.

use crate::codes::Code;
use crate::text::Message;

/// JSON text that is not a record: where (relative to the text) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    /// 1-based line in the text.
    pub line: usize,
    /// 1-based column (in characters) in that line.
    pub column: usize,
    /// Byte offset in the text.
    pub offset: usize,
    /// `input.json`, `input.utf8` or `facts.type` (not an object).
    pub code: Code,
    /// What is wrong.
    pub message: Message,
}

impl TextError {
    /// As an error of the library.
    pub fn into_error(self) -> crate::Error {
        match self.code {
            Code::FactsType => crate::Error::Facts(vec![crate::FieldError {
                field: String::new(),
                code: self.code.into(),
                message: self.message,
            }]),
            code => crate::Error::Input {
                line: self.line,
                column: self.column,
                field: None,
                code: code.as_str(),
                message: self.message,
            },
        }
    }
}

/// A JSON text's error as the reader reports it: the line and column (in characters) in the
/// text, and a message in Vietnamese and English. Text that is not UTF-8 says so first.
pub(crate) fn text_error(text: &[u8], e: &serde_json::Error) -> TextError {
    if let Err(u) = std::str::from_utf8(text) {
        let offset = u.valid_up_to();
        let (line, column) = line_col(text, offset);
        return TextError {
            line,
            column,
            offset,
            code: Code::InputUtf8,
            message: msg!(
                vi: "văn bản không phải UTF-8 hợp lệ",
                en: "the text is not valid UTF-8",
            ),
        };
    }
    // serde_json counts columns in bytes: find the offset, then count characters
    let mut offset = 0usize;
    let mut line = 1usize;
    for (i, &b) in text.iter().enumerate() {
        if line == e.line() {
            offset = i;
            break;
        }
        if b == b'\n' {
            line += 1;
            offset = i + 1;
        }
    }
    let offset = (offset + e.column().saturating_sub(1)).min(text.len());
    let (line, column) = line_col(text, offset);
    let full = e.to_string();
    let en = full.split(" at line ").next().unwrap_or(&full).to_string();
    TextError {
        line,
        column,
        offset,
        code: Code::InputJson,
        message: msg!(
            vi: format!("JSON không hợp lệ: {}", vi_json(&en)),
            en: format!("invalid JSON: {en}"),
        ),
    }
}

/// 1-based line and column (characters) of byte `offset` in `text`.
pub(crate) fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = 1 + before
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

/// serde_json's messages in Vietnamese.
fn vi_json(en: &str) -> String {
    let table: &[(&str, &str)] = &[
        (
            "EOF while parsing",
            "văn bản kết thúc giữa chừng (thiếu dấu đóng)",
        ),
        ("expected value", "cần một giá trị JSON"),
        ("expected `,` or `}`", "cần dấu `,` hoặc `}`"),
        ("expected `,` or `]`", "cần dấu `,` hoặc `]`"),
        ("expected `:`", "cần dấu `:`"),
        ("key must be a string", "khóa phải là chuỗi trong ngoặc kép"),
        ("trailing comma", "dấu `,` thừa"),
        ("trailing characters", "có ký tự thừa sau giá trị"),
        ("invalid escape", "chuỗi có ký tự thoát không hợp lệ"),
        (
            "invalid unicode code point",
            "chuỗi có mã Unicode không hợp lệ",
        ),
        (
            "control character",
            "chuỗi có ký tự điều khiển (cần viết thoát)",
        ),
        ("recursion limit exceeded", "lồng nhau quá sâu"),
        ("number out of range", "số vượt phạm vi"),
        ("invalid number", "số không hợp lệ"),
        ("expected ident", "từ khóa không hợp lệ (true, false, null)"),
    ];
    table
        .iter()
        .find(|(k, _)| en.starts_with(k))
        .map(|(_, v)| (*v).to_string())
        .unwrap_or_else(|| en.to_string())
}

/// The tokens Python's `json` and others write for non-finite numbers.
const NON_FINITE: [&[u8]; 6] = [
    b"-Infinity",
    b"+Infinity",
    b"Infinity",
    b"-NaN",
    b"NaN",
    b"+NaN",
];

/// The text with every non-finite number (`NaN`, `Infinity`, `-Infinity`, a number too large
/// for a float) outside strings replaced by the decoder's marker object, so that each is a
/// field error; `None` when there is none.
pub(crate) fn patch_non_finite(text: &[u8]) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(text.len() + 64);
    let mut changed = false;
    let mut in_str = false;
    let mut esc = false;
    let mut i = 0usize;
    let delim =
        |c: Option<&u8>| c.is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.'));
    while let Some(&b) = text.get(i) {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            out.push(b);
            i += 1;
            continue;
        }
        let prev_ok = i == 0 || delim(text.get(i - 1));
        if b == b'"' {
            in_str = true;
        } else if prev_ok {
            let rest = text.get(i..).unwrap_or_default();
            if let Some(tok) = NON_FINITE
                .iter()
                .find(|t| rest.starts_with(t) && delim(rest.get(t.len())))
            {
                push_marker(&mut out, tok);
                changed = true;
                i += tok.len();
                continue;
            }
            if b == b'-' || b.is_ascii_digit() {
                let len = rest
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                let tok = rest.get(..len).unwrap_or_default();
                let big = std::str::from_utf8(tok)
                    .ok()
                    .and_then(|t| t.parse::<f64>().ok())
                    .is_some_and(|f| f.is_infinite());
                if big && len <= 64 {
                    push_marker(&mut out, tok);
                    changed = true;
                } else {
                    out.extend_from_slice(tok);
                }
                i += len.max(1);
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    changed.then_some(out)
}

fn push_marker(out: &mut Vec<u8>, token: &[u8]) {
    out.extend_from_slice(b"{\"\\u0000non-finite\":\"");
    out.extend_from_slice(token);
    out.extend_from_slice(b"\"}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_numbers_become_markers_outside_strings() {
        let p =
            patch_non_finite(br#"{"a": NaN, "b": -Infinity, "c": "NaN", "d": 1e999, "e": 1.5}"#)
                .unwrap();
        assert_eq!(
            String::from_utf8(p).unwrap(),
            r#"{"a": {"\u0000non-finite":"NaN"}, "b": {"\u0000non-finite":"-Infinity"}, "c": "NaN", "d": {"\u0000non-finite":"1e999"}, "e": 1.5}"#
        );
        assert!(patch_non_finite(br#"{"a": 1, "NaN": "Infinity"}"#).is_none());
    }

    #[test]
    fn errors_are_located_in_characters() {
        let text = "{\"tên\": \"Bến Tre\",\n \"x\": ]}";
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        let t = text_error(text.as_bytes(), &e);
        assert_eq!((t.line, t.column), (2, 7));
        assert_eq!(t.message.en, "invalid JSON: expected value");
        assert_eq!(t.message.vi, "JSON không hợp lệ: cần một giá trị JSON");
        let bad = b"{\"a\": \"\xff\"}";
        let e = serde_json::from_slice::<serde_json::Value>(bad).unwrap_err();
        let t = text_error(bad, &e);
        assert_eq!((t.line, t.column, t.code), (1, 8, Code::InputUtf8));
    }
}
