//! One scalar fact as a value of its field's type: from a JSON number, string or boolean (as
//! the decoder meets them), or from text (a CSV or DataFrame cell).
//!
//! Numbers given as strings are accepted (`"1500000"`, `"0.6"`, `"60%"` for a share); a value
//! of the wrong type is an error that says what was expected and what was found.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::codes::Code;
use crate::date::Date;
use crate::model::EnumType;
use crate::text::{Message, Unit};
use crate::value::{Ty, Val};

/// A scalar as a JSON reader delivers it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Prim<'s> {
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'s str),
}

impl Prim<'_> {
    /// The value as a reason quotes it when it was rejected: text in curly quotes (cut at 40
    /// characters, with `…`), numbers and yes/no as written.
    pub(crate) fn given(&self) -> String {
        match self {
            Prim::Str(s) => quote(s),
            other => other.shown(),
        }
    }

    /// The value as messages show it: strings quoted and cut at 40 characters, numbers as
    /// JSON writes them.
    pub(crate) fn shown(&self) -> String {
        match self {
            Prim::Str(s) => format!("\"{}\"", s.chars().take(40).collect::<String>()),
            Prim::Bool(b) => b.to_string(),
            Prim::I64(i) => i.to_string(),
            Prim::U64(u) => u.to_string(),
            Prim::F64(f) => float_text(*f),
        }
    }
}

/// Text as a reason quotes a value given: in curly quotes, cut at 40 characters.
pub(crate) fn quote(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    let more = if s.chars().count() > 40 { "…" } else { "" };
    format!("“{short}{more}”")
}

/// A decoded fact as a reason quotes it (what it was given as): text and dates in curly
/// quotes, numbers and yes/no as written; lists and records not at all.
pub(crate) fn given_val(v: &Val) -> Option<String> {
    Some(match v {
        Val::Str(s) => quote(s),
        Val::Enum(e) => quote(&e.text),
        Val::Date(d) => quote(&d.to_string()),
        Val::Int(i) => i.to_string(),
        Val::Dec(d) => d.normalize().to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Rec(_) | Val::List(_) => return None,
    })
}

/// A finite float as JSON writes it (`1.5`, `1e-7`); non-finite ones by name.
pub(crate) fn float_text(f: f64) -> String {
    match serde_json::Number::from_f64(f) {
        Some(n) => n.to_string(),
        None if f.is_nan() => "NaN".into(),
        None if f > 0.0 => "Infinity".into(),
        None => "-Infinity".into(),
    }
}

pub(crate) type ScalarErr = (Code, Message);

fn bad(code: Code, want: Message, shown: &str) -> ScalarErr {
    (
        code,
        msg!(
            vi: format!("cần {}, gặp {shown}", want.vi),
            en: format!("expected {}, found {shown}", want.en),
        ),
    )
}

/// A non-finite number (NaN, ±Infinity, or a number too large for a float): never a fact.
pub(crate) fn non_finite(shown: &str) -> ScalarErr {
    (
        Code::FactsNonFinite,
        msg!(
            vi: format!("cần một số hữu hạn, gặp {shown}"),
            en: format!("expected a finite number, found {shown}"),
        ),
    )
}

/// What a value of type `ty` is called in "expected …" messages.
fn wanted(ty: &Ty) -> (Code, Message) {
    match ty {
        Ty::Bool => (
            Code::FactsType,
            msg!(vi: "true hoặc false", en: "true or false"),
        ),
        Ty::Int => (
            Code::FactsType,
            msg!(vi: "một số nguyên", en: "a whole number"),
        ),
        Ty::Dec(Unit::Share) => (
            Code::FactsType,
            msg!(vi: "một tỷ lệ (0.6 hoặc \"60%\")", en: "a share (0.6 or \"60%\")"),
        ),
        Ty::Dec(Unit::Money) => (
            Code::FactsType,
            msg!(vi: "một số tiền (đồng)", en: "an amount of money (VND)"),
        ),
        Ty::Dec(Unit::Plain) => (Code::FactsType, msg!(vi: "một số", en: "a number")),
        Ty::Date => (
            Code::FactsDate,
            msg!(vi: "ngày dạng YYYY-MM-DD", en: "a date YYYY-MM-DD"),
        ),
        Ty::Str => (Code::FactsType, msg!(vi: "một chuỗi", en: "a string")),
        Ty::Enum(_) => (Code::FactsEnum, msg!(vi: "một giá trị", en: "a value")),
        Ty::Rec(_) => (
            Code::FactsType,
            msg!(vi: "một đối tượng JSON", en: "a JSON object"),
        ),
        Ty::List(_) => (
            Code::FactsType,
            msg!(vi: "một danh sách (mảng JSON)", en: "a list (JSON array)"),
        ),
    }
}

/// The error for a value of the wrong shape for `ty` (`shown` as messages show it).
pub(crate) fn mismatch(ty: &Ty, shown: &str, enums: &[EnumType]) -> ScalarErr {
    match ty {
        Ty::Enum(e) => enum_error(enums.get(*e), shown),
        Ty::List(_) => (
            Code::FactsType,
            msg!(
                vi: "cần một danh sách (mảng JSON)",
                en: "expected a list (JSON array)",
            ),
        ),
        Ty::Rec(_) => (
            Code::FactsType,
            msg!(vi: "cần một đối tượng JSON", en: "expected a JSON object"),
        ),
        _ => {
            let (code, want) = wanted(ty);
            bad(code, want, shown)
        }
    }
}

fn enum_error(et: Option<&EnumType>, shown: &str) -> ScalarErr {
    let values = et.map(|x| x.values.join(", ")).unwrap_or_default();
    (
        Code::FactsEnum,
        msg!(
            vi: format!("giá trị {shown} không hợp lệ; cần một trong: {values}"),
            en: format!("{shown} is not allowed; expected one of: {values}"),
        ),
    )
}

/// A decimal from a JSON number (as JSON writes it, so `0.775` stays exactly 0.775).
fn dec_of_float(f: f64) -> Option<Decimal> {
    let n = serde_json::Number::from_f64(f)?.to_string();
    Decimal::from_str(&n)
        .ok()
        .or_else(|| Decimal::from_scientific(&n).ok())
}

/// Decodes one scalar as type `ty`.
pub(crate) fn scalar(ty: &Ty, v: Prim<'_>, enums: &[EnumType]) -> Result<Val, ScalarErr> {
    if let Prim::F64(f) = v {
        if !f.is_finite() {
            return Err(non_finite(&v.shown()));
        }
    }
    let out = match (ty, v) {
        (Ty::Bool, Prim::Bool(b)) => Some(Val::Bool(b)),
        (Ty::Int, Prim::I64(i)) => Some(Val::Int(i)),
        (Ty::Int, Prim::U64(u)) => i64::try_from(u).ok().map(Val::Int),
        (Ty::Int, Prim::F64(f)) => {
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(Val::Int(f as i64))
        }
        (Ty::Int, Prim::Str(s)) => s.trim().parse::<i64>().ok().map(Val::Int),
        (Ty::Dec(_), Prim::I64(i)) => Some(Val::Dec(Decimal::from(i))),
        (Ty::Dec(_), Prim::U64(u)) => Some(Val::Dec(Decimal::from(u))),
        (Ty::Dec(_), Prim::F64(f)) => dec_of_float(f).map(Val::Dec),
        (Ty::Dec(unit), Prim::Str(s)) => decimal_text(s.trim(), *unit).map(Val::Dec),
        (Ty::Date, Prim::Str(s)) => Date::parse(s.trim()).map(Val::Date),
        (Ty::Str, Prim::Str(s)) => Some(Val::Str(s.into())),
        (Ty::Str, Prim::I64(i)) => Some(Val::Str(i.to_string().into())),
        (Ty::Str, Prim::U64(u)) => Some(Val::Str(u.to_string().into())),
        (Ty::Str, Prim::F64(f)) => Some(Val::Str(float_text(f).into())),
        (Ty::Enum(e), Prim::Str(s)) => {
            let et = enums.get(*e);
            match et.and_then(|x| enum_val(x, *e, s)) {
                Some(x) => Some(x),
                None => return Err(enum_error(et, &v.shown())),
            }
        }
        _ => None,
    };
    out.ok_or_else(|| mismatch(ty, &v.shown(), enums))
}

/// [`EnumType::val`], by a scan of the values for a short enum (comparing a few short texts
/// costs less than hashing one), by the hash for a long one; the first position either way.
#[inline]
fn enum_val(et: &EnumType, ty: usize, s: &str) -> Option<Val> {
    if et.values.len() > 16 || et.texts.len() != et.values.len() {
        return et.val(ty, s);
    }
    let i = et.values.iter().position(|v| v == s)?;
    Some(Val::Enum(crate::value::EnumVal {
        ty: u32::try_from(ty).ok()?,
        idx: u32::try_from(i).ok()?,
        text: et.texts.get(i)?.clone(),
    }))
}

/// Whether a cell's text names a non-finite number (`NaN`, `inf`, `-Infinity`…): what
/// spreadsheets and data frames write for a number that is not one.
#[cfg_attr(not(feature = "csv"), allow(dead_code))]
pub(crate) fn is_non_finite_text(s: &str) -> bool {
    let t = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
    matches!(t.as_str(), "nan" | "inf" | "infinity")
}

/// Decodes one scalar JSON value as type `ty` (a registry's metadata).
pub(crate) fn scalar_value(
    ty: &Ty,
    v: &serde_json::Value,
    enums: &[EnumType],
) -> Result<Val, ScalarErr> {
    use serde_json::Value;
    let p = match v {
        Value::Bool(b) => Prim::Bool(*b),
        Value::String(s) => Prim::Str(s),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Prim::U64(u),
            (_, Some(i), _) => Prim::I64(i),
            (_, _, Some(f)) => Prim::F64(f),
            _ => return Err(mismatch(ty, &n.to_string(), enums)),
        },
        other => {
            let shown: String = other.to_string().chars().take(40).collect();
            return Err(mismatch(ty, &shown, enums));
        }
    };
    scalar(ty, p, enums)
}

/// A scalar fact given as text (a CSV or DataFrame cell): the common cases directly, anything
/// unusual through [`scalar`] for the same errors.
pub(crate) fn text_cell(ty: &Ty, s: &str, enums: &[EnumType]) -> Result<Val, ScalarErr> {
    let fast = match ty {
        Ty::Str => Some(Val::Str(s.into())),
        Ty::Enum(e) => enums.get(*e).and_then(|et| et.val(*e, s)),
        Ty::Date => Date::parse(s.trim()).map(Val::Date),
        Ty::Int => s.trim().parse::<i64>().ok().map(Val::Int),
        Ty::Dec(unit) => decimal_text(s.trim(), *unit).map(Val::Dec),
        Ty::Bool => match s.trim() {
            "true" | "True" | "TRUE" => Some(Val::Bool(true)),
            "false" | "False" | "FALSE" => Some(Val::Bool(false)),
            _ => None,
        },
        Ty::Rec(_) | Ty::List(_) => None,
    };
    match fast {
        Some(v) => Ok(v),
        None => scalar(ty, Prim::Str(s), enums),
    }
}

/// A decimal written as text: `"0.6"`, `"1500000"`, `"1_500_000"`, `"60%"` (a share).
///
/// Read without the expression parser (the browser's small module carries none): besides what
/// [`Decimal::from_str`] reads, a number as a rule writes it — digits, `.` and `_`, starting
/// with a digit — optionally followed at once by `%` (hundredths).
pub(crate) fn decimal_text(s: &str, unit: Unit) -> Option<Decimal> {
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if unit == Unit::Money {
        return crate::amount::parse_amount(s);
    }
    if let Ok(d) = Decimal::from_str(s) {
        return Some(d);
    }
    let (number, percent) = match s.strip_suffix('%') {
        Some(n) => (n, true),
        None => (s, false),
    };
    if !number.starts_with(|c: char| c.is_ascii_digit())
        || !number
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
    {
        return None;
    }
    let digits: String = number.chars().filter(|c| *c != '_').collect();
    if percent {
        Decimal::from_str(&digits)
            .ok()?
            .checked_div(Decimal::ONE_HUNDRED)
    } else if digits.contains('.') {
        Decimal::from_str(&digits).ok()
    } else {
        digits.parse::<i64>().ok().map(Decimal::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::syntax::{self, Ast, Lit};

    /// What `decimal_text` read through the expression parser before it had its own reader.
    fn through_parser(s: &str, unit: Unit) -> Option<Decimal> {
        if s.is_empty() || s.len() > 64 {
            return None;
        }
        if unit == Unit::Money {
            return crate::amount::parse_amount(s);
        }
        if let Ok(d) = Decimal::from_str(s) {
            return Some(d);
        }
        match syntax::parse(s).ok()? {
            Ast::Lit(Lit::Percent(d), _) => Some(d),
            Ast::Lit(Lit::Dec(d), _) => Some(d),
            Ast::Lit(Lit::Int(i), _) => Some(Decimal::from(i)),
            _ => None,
        }
    }

    #[test]
    fn decimal_text_reads_what_the_expression_parser_read() {
        let cases = [
            "0.6",
            "60%",
            "60.5%",
            "1_500_000",
            "1_5%",
            "100%",
            "150%",
            "0%",
            "0.0001%",
            "7",
            "-5",
            "+5",
            "-60%",
            "60 %",
            "60%%",
            "%",
            "1.2.3",
            "1.2.3%",
            "2024-01-01",
            "2024-01-01%",
            "1234-56-78",
            "5e3",
            ".5",
            ".5%",
            "abc",
            "60% x",
            "x60%",
            "9223372036854775808",
            "99999999999999999999999999999",
            "99999999999999999999999999999%",
            "1.",
            "1.%",
            "1__0",
            "0x10",
            "١٢",
            "60٪",
            "1,5",
            "1,5%",
            "_5",
            "5_",
            "5_%",
        ];
        for unit in [Unit::Share, Unit::Plain, Unit::Money] {
            for s in cases {
                assert_eq!(
                    decimal_text(s, unit),
                    through_parser(s, unit),
                    "{s:?} as {unit:?}"
                );
            }
        }
    }
}
