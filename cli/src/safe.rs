//! Output that is safe to read: text taken from input files (ids, names, messages quoting a
//! value) must not forge table rows, move the cursor or run as a spreadsheet formula.
//!
//! - In terminal text and tables, control characters (C0, DEL, C1 — ESC starts the ANSI
//!   sequences that recolour or rewrite the terminal) and the Unicode bidirectional controls
//!   (which reorder what is shown, "Trojan Source") are written as visible escapes: `\t`,
//!   `\n`, `\u{1b}`. A cell keeps no line break or tab of its own, so it cannot start a row.
//! - In CSV, TSV and spreadsheet cells, text starting with `=`, `+`, `-`, `@`, a tab or a
//!   carriage return is prefixed with `'`, following OWASP's guidance on CSV injection
//!   (<https://owasp.org/www-community/attacks/CSV_Injection>): spreadsheet programs run such
//!   a cell as a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`), and the quote makes them
//!   show it as text. Numbers the engine wrote (`-5`, `0.775`) are left as they are.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(c: char, out: &mut String) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// One cell or one line of text for a terminal: every control character escaped, line breaks
/// and tabs included.
pub fn cell(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text of several lines for a terminal (an explanation, a diagnostic): line breaks kept,
/// every other control character escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c != '\n' && is_unsafe(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether a spreadsheet program would take the text for a formula (OWASP's list).
fn formula_like(s: &str) -> bool {
    matches!(
        s.chars().next(),
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'
        )
    )
}

/// Whether `s` is a plain number (`-5`, `+0.5`, `1e3` is not): left as it is.
fn plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    !body.is_empty()
        && body.bytes().filter(|b| *b == b'.').count() <= 1
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// A text cell for CSV or a spreadsheet: prefixed with `'` when a spreadsheet program would
/// run it as a formula (OWASP, CSV injection).
pub fn spreadsheet(s: &str) -> Cow<'_, str> {
    if formula_like(s) && !plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV cell: no formula, and no control character but the line breaks and tabs that CSV's
/// quoting keeps inside the cell (an ESC would still reach a terminal that shows the file).
pub fn csv(s: &str) -> Cow<'_, str> {
    let keep = |c: char| matches!(c, '\t' | '\n' | '\r');
    let s = spreadsheet(s);
    if !s.chars().any(|c| !keep(c) && is_unsafe(c)) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !keep(c) && is_unsafe(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A TSV cell: no tab or line break may stay (TSV has no quoting), and no formula.
pub fn tsv(s: &str) -> Cow<'_, str> {
    match spreadsheet(s) {
        Cow::Borrowed(b) => cell(b),
        Cow::Owned(o) => Cow::Owned(cell(&o).into_owned()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(cell("a\tb\nc"), "a\\tb\\nc");
        assert_eq!(cell("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(cell("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(text("one\ntwo\u{7}"), "one\ntwo\\u{7}");
        assert!(matches!(cell("Bến Tre"), Cow::Borrowed(_)));
    }

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(spreadsheet("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet("+1+2"), "'+1+2");
        assert_eq!(spreadsheet("-1+2"), "'-1+2");
        assert_eq!(spreadsheet("\tx"), "'\tx");
        assert_eq!(spreadsheet("-5"), "-5");
        assert_eq!(spreadsheet("0.775"), "0.775");
        assert_eq!(spreadsheet("BT-HTX-1"), "BT-HTX-1");
        assert_eq!(tsv("=1\t2"), "'=1\\t2");
    }
}
