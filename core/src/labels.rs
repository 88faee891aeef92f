//! What a person reads for a field or a value: labels from the pack, never a JSON Pointer or a
//! code name. A pointer becomes the labels along it ("Hộ gia đình — Số chỉ số thiếu hụt dịch
//! vụ xã hội cơ bản"; a list item "Người quản lý thứ 2 — Giới tính"); an enum value its label.

use crate::model::{FieldDef, Pack};
use crate::text::{Lang, Message};
use crate::value::Ty;

/// Between the labels of a record and a field inside it.
const JOIN: &str = " — ";

/// A name made readable, the last resort when the pack gives no label: `income_per_month` →
/// "Income per month" (both languages).
pub(crate) fn humanize(name: &str) -> Message {
    let words = name.replace(['_', '.'], " ");
    let mut chars = words.trim().chars();
    let s = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    msg!(vi: s.clone(), en: s)
}

/// A field's label, or its name made readable.
pub(crate) fn field(f: &FieldDef) -> Message {
    f.label.clone().unwrap_or_else(|| humanize(&f.name))
}

/// "Người quản lý thứ 2" / "Manager 2": item `index` (from 0) of a list whose items are
/// called `item`. `of_list` when `item` is the list's own label (plural in English).
fn ordinal(item: &Message, index: usize, of_list: bool) -> Message {
    let n = index.saturating_add(1);
    msg!(
        vi: if n == 1 {
            format!("{} thứ nhất", item.vi)
        } else {
            format!("{} thứ {n}", item.vi)
        },
        en: if of_list {
            format!("{}, item {n}", item.en)
        } else {
            format!("{} {n}", item.en)
        },
    )
}

/// The labels along a JSON Pointer into record type `record`, or `None` when the pointer is
/// not in the schema.
pub(crate) fn pointer(pack: &Pack, record: usize, ptr: &str) -> Option<Message> {
    let mut parts: Vec<Message> = Vec::new();
    let mut rec = Some(record);
    // a list just passed: the label of its items, whether that is the list's own label, and
    // the record type of its items
    let mut list: Option<(Message, bool, Option<usize>)> = None;
    let segments = ptr.strip_prefix('/')?.split('/');
    for raw in segments {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        if let Some((item, of_list, item_rec)) = list.take() {
            let index: usize = seg.parse().ok()?;
            // the list's own label was pushed: the item replaces it
            parts.pop();
            parts.push(ordinal(&item, index, of_list));
            rec = item_rec;
            continue;
        }
        let rt = pack.records.get(rec?)?;
        let f = rt.fields.get(*rt.by_name.get(&seg)?)?;
        let label = field(f);
        parts.push(label.clone());
        rec = None;
        match &f.ty {
            Ty::Rec(r) => rec = Some(*r),
            Ty::List(inner) => {
                let item_rec = match inner.as_ref() {
                    Ty::Rec(r) => Some(*r),
                    _ => None,
                };
                let own = item_rec
                    .and_then(|r| pack.records.get(r))
                    .and_then(|r| r.label.clone());
                list = Some(match own {
                    Some(l) => (l, false, item_rec),
                    None => (label, true, item_rec),
                });
            }
            _ => {}
        }
    }
    Some(msg!(
        vi: parts.iter().map(|m| m.vi.as_str()).collect::<Vec<_>>().join(JOIN),
        en: parts.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join(JOIN),
    ))
}

/// The labels along a pointer; a pointer outside the schema by its last name made readable.
pub(crate) fn pointer_or_name(pack: &Pack, record: usize, ptr: &str) -> Message {
    pointer(pack, record, ptr).unwrap_or_else(|| {
        let last = ptr.rsplit('/').find(|s| s.parse::<usize>().is_err());
        humanize(last.unwrap_or(ptr))
    })
}

/// Where a pointer sits in the schema, for ordering fields as the pack lists them: the field
/// index (or list index) of each step; a step outside the schema sorts last.
pub(crate) fn schema_order(pack: &Pack, record: usize, ptr: &str) -> Vec<usize> {
    let mut key = Vec::new();
    let mut rec = Some(record);
    let mut in_list = false;
    for seg in ptr.split('/').skip(1) {
        if in_list {
            in_list = false;
            key.push(seg.parse().unwrap_or(usize::MAX));
            continue;
        }
        let Some((i, f)) = rec.and_then(|r| pack.records.get(r)).and_then(|rt| {
            rt.by_name
                .get(seg)
                .and_then(|&i| Some((i, rt.fields.get(i)?)))
        }) else {
            key.push(usize::MAX);
            break;
        };
        key.push(i);
        rec = None;
        match &f.ty {
            Ty::Rec(r) => rec = Some(*r),
            Ty::List(inner) => {
                in_list = true;
                if let Ty::Rec(r) = inner.as_ref() {
                    rec = Some(*r);
                }
            }
            _ => {}
        }
    }
    key
}

/// The type of the field at a pointer (a list item: the list's item type).
pub(crate) fn pointer_type<'p>(pack: &'p Pack, record: usize, ptr: &str) -> Option<&'p Ty> {
    let mut rec = Some(record);
    let mut ty: Option<&Ty> = None;
    for seg in ptr.split('/').skip(1) {
        if let Some(Ty::List(inner)) = ty {
            seg.parse::<usize>().ok()?;
            ty = Some(inner.as_ref());
            rec = match inner.as_ref() {
                Ty::Rec(r) => Some(*r),
                _ => None,
            };
            continue;
        }
        let rt = pack.records.get(rec?)?;
        let f = rt.fields.get(*rt.by_name.get(seg)?)?;
        ty = Some(&f.ty);
        rec = match &f.ty {
            Ty::Rec(r) => Some(*r),
            _ => None,
        };
    }
    ty
}

/// An enum value by its label (its name made readable when the pack gives none).
pub(crate) fn enum_value(pack: &Pack, e: usize, value: &str, lang: Lang) -> String {
    let mut out = String::new();
    push_enum_value(&mut out, pack, e, value, lang);
    out
}

/// [`enum_value`], appended to `out` (the label is not copied first).
pub(crate) fn push_enum_value(out: &mut String, pack: &Pack, e: usize, value: &str, lang: Lang) {
    let label = pack.enums.get(e).and_then(|et| {
        let i = et.values.iter().position(|v| v == value)?;
        et.labels.get(i)?.as_ref()
    });
    match label {
        Some(l) => out.push_str(l.get(lang)),
        None => out.push_str(humanize(value).get(lang)),
    }
}

/// What a field of type `ty` must hold, for a person: "một số nguyên", "một trong: Nữ, Nam".
pub(crate) fn expected(pack: &Pack, ty: &Ty) -> Message {
    use crate::text::Unit;
    match ty {
        Ty::Bool => msg!(vi: "có hoặc không", en: "yes or no"),
        Ty::Int => msg!(vi: "một số nguyên", en: "a whole number"),
        Ty::Dec(Unit::Share) => msg!(vi: "một tỷ lệ (0,6 hoặc 60%)", en: "a share (0.6 or 60%)"),
        Ty::Dec(Unit::Money) => msg!(vi: "một số tiền (đồng)", en: "an amount of money (VND)"),
        Ty::Dec(Unit::Plain) => msg!(vi: "một số", en: "a number"),
        Ty::Date => {
            msg!(vi: "một ngày có thật (năm-tháng-ngày)", en: "a real date (year-month-day)")
        }
        Ty::Str => msg!(vi: "một đoạn chữ", en: "text"),
        Ty::Enum(e) => {
            let values = |lang| {
                pack.enums
                    .get(*e)
                    .map(|et| {
                        et.values
                            .iter()
                            .map(|v| enum_value(pack, *e, v, lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            };
            msg!(
                vi: format!("một trong: {}", values(Lang::Vi)),
                en: format!("one of: {}", values(Lang::En)),
            )
        }
        Ty::List(_) => msg!(vi: "một danh sách", en: "a list"),
        Ty::Rec(r) => {
            let l = pack
                .records
                .get(*r)
                .and_then(|rt| rt.label.clone())
                .map(|l| (format!(" ({})", l.vi), format!(" ({})", l.en)))
                .unwrap_or_default();
            msg!(
                vi: format!("một nhóm thông tin{}", l.0),
                en: format!("a group of fields{}", l.1),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Engine;

    #[test]
    fn pointers_read_as_labels() {
        let engine = Engine::embedded().unwrap();
        let pack = &engine.pack;
        let rec = |e: &str| pack.entities[pack.entity_by_name[e]].record;
        let coop = rec("cooperative");
        let person = rec("person");
        let l = |r, p| pointer(pack, r, p).unwrap();
        assert_eq!(l(coop, "/workers/female").vi, "Người lao động — Số nữ");
        assert_eq!(
            l(coop, "/managers/1/gender").vi,
            "Người quản lý thứ 2 — Giới tính"
        );
        assert_eq!(l(coop, "/managers/0/gender").en, "Manager 1 — Gender");
        assert_eq!(l(coop, "/managers").vi, "Người quản lý");
        assert_eq!(l(coop, "/sectors/2").en, "Sectors, item 3");
        assert_eq!(
            l(person, "/household/deprivations").vi,
            "Hộ gia đình — Số chỉ số thiếu hụt dịch vụ xã hội cơ bản"
        );
        assert!(pointer(pack, coop, "/memebrs/total").is_none());
        assert_eq!(pointer_or_name(pack, coop, "/memebrs").en, "Memebrs");
        assert_eq!(humanize("income_per_month").vi, "Income per month");
        assert!(schema_order(pack, coop, "/kind") < schema_order(pack, coop, "/established_on"));
    }
}
