//! Schema checks for forms (required fields, bounds) and the JSON Schema of an entity.

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::codes::Code;
use crate::error::FieldError;
use crate::model::Pack;
use crate::text::{write_decimal, write_money, write_share, Lang, Unit};
use crate::value::{Record, Ty, Val};

pub(crate) fn schema_checks(
    pack: &Pack,
    rec_ty: usize,
    rec: &Record,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) {
    let mut ptr = prefix.to_string();
    check_record(pack, rec_ty, rec_ty, rec, &mut ptr, true, errors);
}

/// Bounds only (no required fields): what evaluation distrusts.
pub(crate) fn bound_checks(pack: &Pack, rec_ty: usize, rec: &Record, errors: &mut Vec<FieldError>) {
    let mut ptr = String::new();
    check_record(pack, rec_ty, rec_ty, rec, &mut ptr, false, errors);
}

/// A label with its first letter small, to follow a verb ("Cần nhập giới tính"), unless it
/// starts with an abbreviation ("HTX").
fn lower_first(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    if first_word.chars().filter(|c| c.is_uppercase()).count() > 1 {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A number as people write it in `lang`, as a share when the field is one.
fn show(d: Decimal, ty: &Ty, lang: Lang) -> String {
    match ty {
        Ty::Dec(Unit::Share) => write_share(d, lang),
        Ty::Dec(Unit::Money) => write_money(d, lang),
        _ => write_decimal(d, lang, false),
    }
}

/// Walks a record (`root` is the entity's record type, for labels); `ptr` is the pointer of
/// `rec` and is restored before returning. Strings are built only for errors, so the common
/// case (no error) allocates nothing.
fn check_record(
    pack: &Pack,
    root: usize,
    rec_ty: usize,
    rec: &Record,
    ptr: &mut String,
    required: bool,
    errors: &mut Vec<FieldError>,
) {
    let Some(rt) = pack.records.get(rec_ty) else {
        return;
    };
    if !required && !rt.bounded {
        return;
    }
    for (f, slot) in rt.fields.iter().zip(&rec.slots) {
        if !required && f.min.is_none() && f.max.is_none() && !nests_bounded(pack, &f.ty) {
            continue;
        }
        let len = ptr.len();
        ptr.push('/');
        ptr.push_str(&f.name);
        let label = || crate::labels::pointer_or_name(pack, root, ptr);
        match slot {
            None if required && f.required && !errors.iter().any(|e| e.field == *ptr) => {
                let label = label();
                errors.push(FieldError {
                    field: ptr.clone(),
                    code: Code::FactsRequired.into(),
                    message: msg!(
                        vi: format!("Cần nhập {}", lower_first(&label.vi)),
                        en: format!("{} is required", label.en),
                    ),
                })
            }
            None => {}
            Some(v) => {
                let num = match v {
                    Val::Int(i) if f.min.is_some() || f.max.is_some() => Some(Decimal::from(*i)),
                    Val::Dec(d) => Some(*d),
                    _ => None,
                };
                if let Some(n) = num {
                    let s = |d: Decimal, lang| show(d, &f.ty, lang);
                    let (vi, en) = (Lang::Vi, Lang::En);
                    if let Some(min) = f.min.filter(|m| n < *m) {
                        let label = label();
                        errors.push(FieldError {
                            field: ptr.clone(),
                            code: Code::FactsMin.into(),
                            message: msg!(
                                vi: format!("{} ({}) không được nhỏ hơn {}", label.vi, s(n, vi), s(min, vi)),
                                en: format!("{} ({}) must be at least {}", label.en, s(n, en), s(min, en)),
                            ),
                        });
                    }
                    if let Some(max) = f.max.filter(|m| n > *m) {
                        let label = label();
                        errors.push(FieldError {
                            field: ptr.clone(),
                            code: Code::FactsMax.into(),
                            message: msg!(
                                vi: format!("{} ({}) không được lớn hơn {}", label.vi, s(n, vi), s(max, vi)),
                                en: format!("{} ({}) must be at most {}", label.en, s(n, en), s(max, en)),
                            ),
                        });
                    }
                }
                match (v, &f.ty) {
                    (Val::Rec(r), Ty::Rec(t)) => {
                        check_record(pack, root, *t, r, ptr, required, errors)
                    }
                    (Val::List(items), Ty::List(inner)) => {
                        if let Ty::Rec(t) = inner.as_ref() {
                            for (i, it) in items.iter().enumerate() {
                                if let Val::Rec(r) = it {
                                    let l2 = ptr.len();
                                    ptr.push('/');
                                    ptr.push_str(&i.to_string());
                                    check_record(pack, root, *t, r, ptr, required, errors);
                                    ptr.truncate(l2);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        ptr.truncate(len);
    }
}

fn nests_bounded(pack: &Pack, ty: &Ty) -> bool {
    match ty {
        Ty::Rec(i) => pack.records.get(*i).is_some_and(|r| r.bounded),
        Ty::List(inner) => nests_bounded(pack, inner),
        _ => false,
    }
}

fn type_schema(pack: &Pack, ty: &Ty) -> Value {
    match ty {
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Int => json!({ "type": "integer" }),
        Ty::Dec(Unit::Share) => {
            json!({ "type": ["number", "string"], "description": "share: 0.6 or \"60%\"" })
        }
        Ty::Dec(Unit::Money) => json!({ "type": ["number", "string"], "description": "VND" }),
        Ty::Dec(Unit::Plain) => json!({ "type": ["number", "string"] }),
        Ty::Date => json!({ "type": "string", "format": "date" }),
        Ty::Str => json!({ "type": "string" }),
        Ty::Enum(e) => {
            let et = pack.enums.get(*e);
            let values: Vec<Value> = et
                .map(|e| e.values.iter().map(|v| Value::String(v.clone())).collect())
                .unwrap_or_default();
            let labels: Map<String, Value> = et
                .map(|e| {
                    e.values
                        .iter()
                        .zip(&e.labels)
                        .filter_map(|(v, l)| {
                            l.as_ref()
                                .map(|l| (v.clone(), json!({ "vi": l.vi, "en": l.en })))
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({ "type": "string", "enum": values, "x-labels": labels })
        }
        Ty::Rec(r) => record_schema(pack, *r),
        Ty::List(inner) => json!({ "type": "array", "items": type_schema(pack, inner) }),
    }
}

fn record_schema(pack: &Pack, r: usize) -> Value {
    let Some(rt) = pack.records.get(r) else {
        return json!({});
    };
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in &rt.fields {
        let mut s = type_schema(pack, &f.ty);
        if let Value::Object(o) = &mut s {
            if let Some(l) = &f.label {
                o.insert("title".into(), Value::String(l.vi.clone()));
                o.insert("x-title-en".into(), Value::String(l.en.clone()));
            }
            if let Some(d) = &f.doc {
                o.insert("description".into(), Value::String(d.clone()));
            }
            if let Some(m) = f.min {
                o.insert(
                    "minimum".into(),
                    json!(m.normalize().to_string().parse::<f64>().unwrap_or(0.0)),
                );
            }
            if let Some(m) = f.max {
                o.insert(
                    "maximum".into(),
                    json!(m.normalize().to_string().parse::<f64>().unwrap_or(0.0)),
                );
            }
        }
        if f.required {
            required.push(Value::String(f.name.clone()));
        }
        props.insert(f.name.clone(), s);
    }
    let mut o = json!({ "type": "object", "properties": props, "additionalProperties": false });
    if let (Value::Object(m), false) = (&mut o, required.is_empty()) {
        m.insert("required".into(), Value::Array(required));
    }
    if let (Value::Object(m), Some(l)) = (&mut o, &rt.label) {
        m.insert("title".into(), Value::String(l.vi.clone()));
        m.insert("x-title-en".into(), Value::String(l.en.clone()));
    }
    o
}

pub(crate) fn json_schema(pack: &Pack, r: usize) -> Value {
    let mut s = record_schema(pack, r);
    if let Value::Object(m) = &mut s {
        m.insert(
            "$schema".into(),
            Value::String("https://json-schema.org/draft/2020-12/schema".into()),
        );
    }
    s
}
