//! Phase 2, types: enums, then records and entities (all names first, so fields may name a
//! record declared later), their fields, recursion, and which records carry bounds.

use std::collections::HashSet;

use rust_decimal::Decimal;
use toml::Spanned;

use super::context::{Context, Names, Parsed, What};
use super::values::literal;
use crate::codes::Code;
use crate::expr::syntax;
use crate::model::{EntityRules, EnumType, FieldDef, RecordType};
use crate::pack::doc::{FieldDoc, RecordDoc, TVal};
use crate::text::Unit;
use crate::value::{Ty, Val};

/// Checks and compiles the enums, records and entities of every file.
pub(super) fn check(cx: &mut Context, docs: &[Parsed]) {
    enums(cx, docs);
    let recs = record_names(cx, docs);
    for (i, (fid, r, is_entity)) in recs.iter().enumerate() {
        fields(cx, i, *fid, r, *is_entity);
    }
    // recursive record types would make facts unbounded: reject cycles through records
    for (i, (fid, r, _)) in recs.iter().enumerate() {
        if record_reaches(&cx.pack.records, i, i, &mut HashSet::new()) {
            cx.out.diag_at(
                *fid,
                &r.name,
                Code::PackRecursiveType,
                msg!(
                    vi: format!("bản ghi `{}` chứa chính nó", r.name.get_ref()),
                    en: format!("record `{}` contains itself", r.name.get_ref()),
                ),
            );
        }
    }
    mark_bounded(&mut cx.pack.records);
}

fn enums(cx: &mut Context, docs: &[Parsed]) {
    for d in docs {
        for e in &d.doc.enums {
            if cx.enums.declare(&mut cx.out, d.file, &e.name).is_none() {
                continue;
            }
            let mut values = Vec::new();
            for v in &e.values {
                if values.contains(v.get_ref()) {
                    cx.out.diag_at(
                        d.file,
                        v,
                        Code::PackDuplicate,
                        msg!(
                            vi: format!("giá trị `{}` bị lặp", v.get_ref()),
                            en: format!("value `{}` repeated", v.get_ref()),
                        ),
                    );
                }
                values.push(v.get_ref().clone());
            }
            let labels = values.iter().map(|v| e.labels.get(v).cloned()).collect();
            cx.pack.enums.push(EnumType {
                name: e.name.get_ref().clone(),
                values,
                labels,
            });
        }
    }
}

/// Declares every record and entity (sharing one namespace with the enums); returns them in
/// declaration order with their file and whether each is an entity.
fn record_names<'d>(cx: &mut Context, docs: &'d [Parsed]) -> Vec<(usize, &'d RecordDoc, bool)> {
    let mut recs = Vec::new();
    for d in docs {
        let all = d.doc.record.iter().map(|r| (r, false));
        for (r, is_entity) in all.chain(d.doc.entity.iter().map(|r| (r, true))) {
            let declared = cx
                .records
                .declare_beside(&mut cx.out, d.file, &r.name, Some(&cx.enums));
            if declared.is_none() {
                continue;
            }
            cx.pack.records.push(RecordType {
                name: r.name.get_ref().clone(),
                fields: Vec::new(),
                by_name: Default::default(),
                label: r.label.clone(),
                id_field: None,
                bounded: false,
            });
            recs.push((d.file, r, is_entity));
        }
    }
    recs
}

/// The fields of record `i` (and, for an entity, its empty table of rules).
fn fields(cx: &mut Context, i: usize, fid: usize, r: &RecordDoc, is_entity: bool) {
    let mut names = Names::new(What::Field);
    let fields = field_defs(cx, fid, &r.fields, &mut names);
    let id_field = match &r.id {
        Some(idn) => {
            let found = names.get(idn.get_ref());
            if found.is_none() {
                cx.out.diag_at(
                    fid,
                    idn,
                    Code::PackUnknownField,
                    msg!(
                        vi: format!("trường mã `{}` không tồn tại", idn.get_ref()),
                        en: format!("id field `{}` is not a field", idn.get_ref()),
                    ),
                );
            }
            found
        }
        None => None,
    };
    if let Some(rt) = cx.pack.records.get_mut(i) {
        rt.fields = fields;
        rt.by_name = names.into_map();
        rt.id_field = id_field;
    }
    if is_entity {
        let pack = &mut cx.pack;
        pack.entity_by_name
            .insert(r.name.get_ref().clone(), pack.entities.len());
        pack.entities.push(EntityRules {
            name: r.name.get_ref().clone(),
            record: i,
            rules: Vec::new(),
            by_name: Default::default(),
            order: Vec::new(),
            outputs: Vec::new(),
            constraints: Vec::new(),
            constraints_use_rules: false,
        });
    }
}

/// Field declarations checked and compiled: each name once (in `names`, which may already
/// hold names the fields must not take), not a reserved word, with a known type and numeric
/// bounds. Also used for a registry collection's own fields and its metadata keys.
pub(super) fn field_defs(
    cx: &mut Context,
    fid: usize,
    docs: &[FieldDoc],
    names: &mut Names,
) -> Vec<FieldDef> {
    let mut fields = Vec::new();
    for f in docs {
        // a field takes its name only once its type is known
        if !names.is_free(&mut cx.out, fid, &f.name) {
            continue;
        }
        let name = f.name.get_ref().clone();
        if syntax::is_keyword(&name) || matches!(name.as_str(), "param" | "rule" | "as_of") {
            cx.out.diag_at(
                fid,
                &f.name,
                Code::PackReserved,
                msg!(
                    vi: format!("`{name}` là từ dành riêng"),
                    en: format!("`{name}` is a reserved word"),
                ),
            );
        }
        let Some(ty) = cx.parse_type(fid, &f.ty) else {
            continue;
        };
        let min = bound(cx, fid, &f.min);
        let max = bound(cx, fid, &f.max);
        names.insert(name.clone());
        fields.push(FieldDef {
            name,
            ty,
            label: f.label.clone(),
            doc: f.doc.clone(),
            required: f.required,
            min,
            max,
        });
    }
    fields
}

/// A field's `min` or `max`: a number.
fn bound(cx: &mut Context, fid: usize, v: &Option<Spanned<TVal>>) -> Option<Decimal> {
    let v = v.as_ref()?;
    match literal(v.get_ref(), &Ty::Dec(Unit::Plain)) {
        Ok(Val::Dec(d)) => Some(d),
        Ok(Val::Int(i)) => Some(Decimal::from(i)),
        _ => {
            cx.out.diag_at(
                fid,
                v,
                Code::PackValue,
                msg!(vi: "min/max phải là số", en: "min/max must be a number"),
            );
            None
        }
    }
}

fn record_reaches(
    records: &[RecordType],
    from: usize,
    target: usize,
    seen: &mut HashSet<usize>,
) -> bool {
    if !seen.insert(from) {
        return false;
    }
    let Some(r) = records.get(from) else {
        return false;
    };
    r.fields.iter().any(|f| {
        let mut t = &f.ty;
        while let Ty::List(inner) = t {
            t = inner;
        }
        match t {
            Ty::Rec(i) => *i == target || record_reaches(records, *i, target, seen),
            _ => false,
        }
    })
}

/// Which records need bound checks: those with a `min` or `max`, or a record inside that has
/// one (records nest without cycles, so a few passes settle it).
pub(super) fn mark_bounded(records: &mut [RecordType]) {
    for _ in 0..records.len().max(1) {
        let flags: Vec<bool> = records
            .iter()
            .map(|r| {
                r.fields.iter().any(|f| {
                    let mut t = &f.ty;
                    while let Ty::List(inner) = t {
                        t = inner;
                    }
                    f.min.is_some()
                        || f.max.is_some()
                        || matches!(t, Ty::Rec(i) if records.get(*i).is_some_and(|x| x.bounded))
                })
            })
            .collect();
        let changed = records.iter().zip(&flags).any(|(r, f)| r.bounded != *f);
        for (r, f) in records.iter_mut().zip(flags) {
            r.bounded = f;
        }
        if !changed {
            break;
        }
    }
}
