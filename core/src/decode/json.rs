//! Decoding facts (JSON) against an entity's schema into a [`Record`] of slots.
//!
//! Numbers given as strings are accepted (`"1500000"`, `"0.6"`, `"60%"` for a share); `null`
//! means absent. A value of the wrong type becomes a field error with its JSON Pointer and the
//! field is treated as absent, so decisions that need it are `unknown`, never a silent `no`.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::codes::Code;
use crate::date::Date;
use crate::error::FieldError;
use crate::expr::syntax::{self, Ast, Lit};
use crate::model::{EnumType, Pack};
use crate::text::{Message, Unit};
use crate::value::{Record, Ty, Val};

const MAX_DEPTH: usize = 16;

pub(crate) struct Decoder<'p> {
    pub pack: &'p Pack,
    pub strict: bool,
    pub errors: Vec<FieldError>,
    ptr: String,
}

/// Appends a JSON Pointer segment (RFC 6901 escapes `~` and `/`), allocating nothing when
/// there is nothing to escape.
fn push_segment(ptr: &mut String, s: &str) {
    ptr.push('/');
    if s.contains(['~', '/']) {
        ptr.push_str(&ptr_escape(s));
    } else {
        ptr.push_str(s);
    }
}

fn ptr_escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

impl<'p> Decoder<'p> {
    pub(crate) fn new(pack: &'p Pack, strict: bool) -> Decoder<'p> {
        Decoder {
            pack,
            strict,
            errors: Vec::new(),
            ptr: String::new(),
        }
    }

    fn err(&mut self, code: Code, message: Message) {
        self.errors.push(FieldError {
            field: self.ptr.clone(),
            code: code.into(),
            message,
        });
    }

    pub(crate) fn record(&mut self, rec: usize, v: &Value) -> Option<Record> {
        let Value::Object(map) = v else {
            if !v.is_null() {
                self.err(
                    Code::FactsType,
                    msg!(vi: "cần một đối tượng JSON", en: "expected a JSON object"),
                );
            }
            return None;
        };
        if self.ptr.matches('/').count() > MAX_DEPTH {
            self.err(
                Code::FactsDepth,
                msg!(vi: "dữ liệu lồng nhau quá sâu", en: "facts nested too deeply"),
            );
            return None;
        }
        let rt = self.pack.records.get(rec)?;
        let mut slots: Vec<Option<Val>> = Vec::with_capacity(rt.fields.len());
        slots.resize_with(rt.fields.len(), || None);
        let mut known = 0;
        // errors come out in the schema's field order, whatever the order of the JSON keys
        let base = self.errors.len();
        let mut owners: Vec<usize> = Vec::new();
        for (k, x) in map {
            // a record has few fields: a linear scan beats hashing
            let Some(i) = rt.fields.iter().position(|f| f.name == *k) else {
                continue;
            };
            known += 1;
            if x.is_null() {
                continue;
            }
            let (Some(f), len) = (rt.fields.get(i), self.ptr.len()) else {
                continue;
            };
            push_segment(&mut self.ptr, &f.name);
            let before = self.errors.len();
            let val = self.value(&f.ty, x);
            self.ptr.truncate(len);
            owners.extend(std::iter::repeat_n(i, self.errors.len() - before));
            if let Some(slot) = slots.get_mut(i) {
                *slot = val;
            }
        }
        if owners.len() > 1 {
            let tail: Vec<FieldError> = self.errors.drain(base..).collect();
            let mut pairs: Vec<(usize, FieldError)> = owners.into_iter().zip(tail).collect();
            pairs.sort_by_key(|p| p.0);
            self.errors.extend(pairs.into_iter().map(|p| p.1));
        }
        if self.strict && map.len() > known {
            for (k, _) in map
                .iter()
                .filter(|(k, _)| !rt.by_name.contains_key(k.as_str()))
            {
                let len = self.ptr.len();
                push_segment(&mut self.ptr, k);
                let known: Vec<_> = rt.fields.iter().map(|f| f.name.as_str()).collect();
                self.err(
                    Code::FactsUnknownField,
                    msg!(
                        vi: format!(
                            "trường `{k}` không có trong `{}` (các trường: {})",
                            rt.name,
                            known.join(", "),
                        ),
                        en: format!("`{}` has no field `{k}` (fields: {})", rt.name, known.join(", ")),
                    ),
                );
                self.ptr.truncate(len);
            }
        }
        Some(Record { slots })
    }

    pub(crate) fn value(&mut self, ty: &Ty, v: &Value) -> Option<Val> {
        if v.is_null() {
            return None;
        }
        let r = match ty {
            Ty::Rec(r) => return self.record(*r, v).map(|x| Val::Rec(Box::new(x))),
            Ty::List(inner) => {
                let Value::Array(items) = v else {
                    self.err(
                        Code::FactsType,
                        msg!(
                            vi: "cần một danh sách (mảng JSON)",
                            en: "expected a list (JSON array)",
                        ),
                    );
                    return None;
                };
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, it) in items.iter().enumerate() {
                    let len = self.ptr.len();
                    self.ptr.push('/');
                    self.ptr.push_str(&i.to_string());
                    match self.value(inner, it) {
                        Some(x) => out.push(x),
                        None => {
                            if it.is_null() {
                                self.err(
                                    Code::FactsType,
                                    msg!(
                                        vi: "phần tử danh sách không được để trống",
                                        en: "list items cannot be null",
                                    ),
                                );
                            }
                            ok = false;
                        }
                    }
                    self.ptr.truncate(len);
                }
                // a list with a bad item is absent as a whole (its count would be wrong otherwise)
                return if ok { Some(Val::List(out)) } else { None };
            }
            _ => scalar(ty, v, &self.pack.enums),
        };
        match r {
            Ok(x) => Some(x),
            Err((code, message)) => {
                self.err(code, message);
                None
            }
        }
    }
}

type ScalarErr = (Code, Message);

/// Decodes one scalar JSON value as type `ty`.
pub(crate) fn scalar(ty: &Ty, v: &Value, enums: &[EnumType]) -> Result<Val, ScalarErr> {
    // the value as shown in messages: built only when there is an error
    let shown = || -> String {
        match v {
            Value::String(s) => format!("\"{}\"", s.chars().take(40).collect::<String>()),
            other => other.to_string().chars().take(40).collect(),
        }
    };
    // `want` says what was expected
    let bad = |code: Code, want: Message| -> ScalarErr {
        let s = shown();
        (
            code,
            msg!(
                vi: format!("cần {}, gặp {s}", want.vi),
                en: format!("expected {}, found {s}", want.en),
            ),
        )
    };
    match ty {
        Ty::Bool => match v {
            Value::Bool(b) => Ok(Val::Bool(*b)),
            _ => Err(bad(
                Code::FactsType,
                msg!(vi: "true hoặc false", en: "true or false"),
            )),
        },
        Ty::Int => {
            let i = match v {
                Value::Number(n) => n.as_i64().or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                        .map(|f| f as i64)
                }),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            i.map(Val::Int).ok_or_else(|| {
                bad(
                    Code::FactsType,
                    msg!(vi: "một số nguyên", en: "a whole number"),
                )
            })
        }
        Ty::Dec(unit) => {
            let d = match v {
                Value::Number(n) => Decimal::from_str(&n.to_string())
                    .ok()
                    .or_else(|| Decimal::from_scientific(&n.to_string()).ok()),
                Value::String(s) => decimal_text(s.trim(), *unit),
                _ => None,
            };
            d.map(Val::Dec).ok_or_else(|| match unit {
                Unit::Share => bad(
                    Code::FactsType,
                    msg!(vi: "một tỷ lệ (0.6 hoặc \"60%\")", en: "a share (0.6 or \"60%\")"),
                ),
                Unit::Money => bad(
                    Code::FactsType,
                    msg!(vi: "một số tiền (đồng)", en: "an amount of money (VND)"),
                ),
                Unit::Plain => bad(Code::FactsType, msg!(vi: "một số", en: "a number")),
            })
        }
        Ty::Date => match v {
            Value::String(s) => Date::parse(s.trim()).map(Val::Date).ok_or_else(|| {
                bad(
                    Code::FactsDate,
                    msg!(vi: "ngày dạng YYYY-MM-DD", en: "a date YYYY-MM-DD"),
                )
            }),
            _ => Err(bad(
                Code::FactsDate,
                msg!(vi: "ngày dạng YYYY-MM-DD", en: "a date YYYY-MM-DD"),
            )),
        },
        Ty::Str => match v {
            Value::String(s) => Ok(Val::Str(s.as_str().into())),
            Value::Number(n) => Ok(Val::Str(n.to_string().into())),
            _ => Err(bad(Code::FactsType, msg!(vi: "một chuỗi", en: "a string"))),
        },
        Ty::Enum(e) => {
            let et = enums.get(*e);
            match v {
                Value::String(s) if et.is_some_and(|x| x.values.iter().any(|y| y == s)) => {
                    Ok(Val::Str(s.as_str().into()))
                }
                _ => {
                    let values = et.map(|x| x.values.join(", ")).unwrap_or_default();
                    let s = shown();
                    Err((
                        Code::FactsEnum,
                        msg!(
                            vi: format!("giá trị {s} không hợp lệ; cần một trong: {values}"),
                            en: format!("{s} is not allowed; expected one of: {values}"),
                        ),
                    ))
                }
            }
        }
        Ty::Rec(_) | Ty::List(_) => Err((
            Code::FactsType,
            msg!(vi: "kiểu không hợp lệ", en: "unexpected type"),
        )),
    }
}

/// A scalar fact given as text (a CSV or DataFrame cell): the common cases without building a
/// JSON value; anything unusual goes through [`scalar`] for the same errors.
pub(crate) fn text_cell(ty: &Ty, s: &str, enums: &[EnumType]) -> Result<Val, ScalarErr> {
    let fast = match ty {
        Ty::Str => Some(Val::Str(s.into())),
        Ty::Enum(e) => enums
            .get(*e)
            .filter(|et| et.values.iter().any(|v| v == s))
            .map(|_| Val::Str(s.into())),
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
        None => scalar(ty, &Value::String(s.to_string()), enums),
    }
}

/// A decimal written as text: `"0.6"`, `"1500000"`, `"1_500_000"`, `"60%"` (a share).
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
    match syntax::parse(s).ok()? {
        Ast::Lit(Lit::Percent(d), _) if unit != Unit::Money => Some(d),
        Ast::Lit(Lit::Dec(d), _) => Some(d),
        Ast::Lit(Lit::Int(i), _) => Some(Decimal::from(i)),
        _ => None,
    }
}
