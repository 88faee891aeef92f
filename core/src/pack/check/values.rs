//! Types and literal values as written in pack files: `list<role>`, `"60%"`, `2025-01-01`.

use rust_decimal::Decimal;
use toml::Spanned;

use super::context::{Context, Diags, Names};
use crate::codes::Code;
use crate::date::Date;
use crate::expr::syntax::{self, Ast, Lit};
use crate::limits::TYPE_DEPTH;
use crate::model::EnumType;
use crate::pack::doc::TVal;
use crate::text::{Message, Unit};
use crate::value::{Ty, Val};

impl Context {
    /// The type written in `s` (a built-in type, an enum or record name, `list<T>`), or a
    /// diagnostic.
    pub(super) fn parse_type(&mut self, fid: usize, s: &Spanned<String>) -> Option<Ty> {
        let (enums, recs) = (&self.enums, &self.records);
        // `list<…>` unwrapped in a loop: no recursion on the text, and no more than
        // TYPE_DEPTH levels (a deeper type could never be filled from facts)
        let mut t = s.get_ref().trim();
        let mut lists = 0usize;
        while let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            t = inner.trim();
            lists += 1;
            if lists > TYPE_DEPTH {
                self.out.diag_at(
                    fid,
                    s,
                    Code::PackLimit,
                    msg!(
                        vi: format!("kiểu lồng quá {TYPE_DEPTH} cấp `list<…>`"),
                        en: format!("the type nests `list<…>` more than {TYPE_DEPTH} levels deep"),
                    ),
                );
                return None;
            }
        }
        let go = |t: &str, enums: &Names, recs: &Names| -> Option<Ty> {
            let mut ty = match t {
                "bool" => Ty::Bool,
                "integer" => Ty::Int,
                "decimal" => Ty::Dec(Unit::Plain),
                "share" => Ty::Dec(Unit::Share),
                "money" => Ty::Dec(Unit::Money),
                "date" => Ty::Date,
                "string" => Ty::Str,
                other => {
                    if let Some(e) = enums.get(other) {
                        Ty::Enum(e)
                    } else {
                        Ty::Rec(recs.get(other)?)
                    }
                }
            };
            for _ in 0..lists {
                ty = Ty::List(Box::new(ty));
            }
            Some(ty)
        };
        let r = go(t, enums, recs);
        if r.is_none() {
            let t = s.get_ref().clone();
            self.out.diag_at(
                fid,
                s,
                Code::TypeUnknown,
                msg!(
                    vi: format!(
                        "kiểu `{t}` không tồn tại (bool, integer, decimal, share, money, date, string, list<T>, hoặc tên kiểu liệt kê/bản ghi)",
                    ),
                    en: format!(
                        "unknown type `{t}` (bool, integer, decimal, share, money, date, string, list<T>, or an enum or record name)",
                    ),
                ),
            );
        }
        r
    }
}

/// A literal in a pack file (TOML value) as a value of type `ty`; the error says what was
/// expected.
pub(super) fn literal(v: &TVal, ty: &Ty) -> Result<Val, Message> {
    let want = |vi: &str, en: &str| msg!(vi: format!("cần {vi}"), en: format!("expected {en}"));
    match (ty, v) {
        (Ty::Bool, TVal::Boolean(b)) => Ok(Val::Bool(*b)),
        (Ty::Int, TVal::Integer(i)) => Ok(Val::Int(*i)),
        (Ty::Dec(_), TVal::Integer(i)) => Ok(Val::Dec(Decimal::from(*i))),
        (Ty::Dec(_) | Ty::Int, TVal::Float(_)) => Err(msg!(
            vi: "viết số thập phân dưới dạng chuỗi (\"0.6\" hoặc \"60%\"): số thực TOML không chính xác",
            en: "write decimals as strings (\"0.6\" or \"60%\"): TOML floats are binary, not exact",
        )),
        (Ty::Dec(_), TVal::String(s)) => match syntax::parse(s) {
            Ok(Ast::Lit(Lit::Dec(d) | Lit::Percent(d), _)) => Ok(Val::Dec(d)),
            Ok(Ast::Lit(Lit::Int(i), _)) => Ok(Val::Dec(Decimal::from(i))),
            _ => Err(want(
                "một số thập phân như \"0.6\", \"60%\" hay \"1500000\"",
                "a decimal such as \"0.6\", \"60%\" or \"1500000\"",
            )),
        },
        (Ty::Date, TVal::String(s)) => Date::parse(s)
            .map(Val::Date)
            .ok_or_else(|| want("một ngày YYYY-MM-DD", "a date YYYY-MM-DD")),
        (Ty::Date, TVal::Datetime(d)) => Date::parse(d)
            .map(Val::Date)
            .ok_or_else(|| want("một ngày YYYY-MM-DD", "a date YYYY-MM-DD")),
        (Ty::Str | Ty::Enum(_), TVal::String(s)) => Ok(Val::Str(s.as_str().into())),
        (Ty::List(inner), TVal::Array(items)) => items
            .iter()
            .map(|i| literal(i, inner))
            .collect::<Result<Vec<_>, _>>()
            .map(Val::List),
        (Ty::Bool, _) => Err(want("true hoặc false", "true or false")),
        (Ty::Int, _) => Err(want("một số nguyên", "an integer")),
        (Ty::Dec(_), _) => Err(want("một số thập phân", "a decimal")),
        (Ty::Date, _) => Err(want("một ngày", "a date")),
        (Ty::Str | Ty::Enum(_), _) => Err(want("một chuỗi", "a string")),
        (Ty::List(_), _) => Err(want("một danh sách", "a list")),
        (Ty::Rec(_), _) => Err(want(
            "một giá trị đơn (bản ghi không thể là tham số)",
            "a scalar value (records cannot be parameters)",
        )),
    }
}

/// A parameter value (or override) written in a pack file, as a value of type `ty`; reports a
/// value of the wrong type, or a text that is no value of its enum.
pub(super) fn typed_value(
    out: &mut Diags,
    fid: usize,
    v: &Spanned<TVal>,
    ty: &Ty,
    enums: &[EnumType],
) -> Option<Val> {
    match literal(v.get_ref(), ty) {
        Ok(val) => {
            // enum membership
            let bad = enum_violations(&val, ty, enums);
            for (s, enum_name) in bad {
                out.diag_at(
                    fid,
                    v,
                    Code::ExprUnknownEnumValue,
                    msg!(
                        vi: format!("\"{s}\" không phải giá trị của `{enum_name}`"),
                        en: format!("\"{s}\" is not a value of `{enum_name}`"),
                    ),
                );
            }
            Some(crate::model::intern_enums(val, ty, enums))
        }
        Err(message) => {
            out.diag_at(fid, v, Code::ParamValue, message);
            None
        }
    }
}

/// The texts in `v` that are no value of their enum: (text, enum name).
fn enum_violations(v: &Val, ty: &Ty, enums: &[EnumType]) -> Vec<(String, String)> {
    match (v, ty) {
        (Val::Str(s), Ty::Enum(e)) => match enums.get(*e) {
            Some(et) if !et.contains(s) => {
                vec![(s.to_string(), et.name.clone())]
            }
            _ => vec![],
        },
        (Val::List(items), Ty::List(inner)) => items
            .iter()
            .flat_map(|i| enum_violations(i, inner, enums))
            .collect(),
        _ => vec![],
    }
}
