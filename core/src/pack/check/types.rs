//! Phase 2, types: enums, then records and entities (all names first, so fields may name a
//! record declared later), their fields, recursion, and which records carry bounds.

use std::collections::HashSet;

use crate::limits::TYPE_DEPTH;
use rust_decimal::Decimal;
use toml::Spanned;

use super::context::{Context, Names, Parsed, What};
use super::order::{dependency_order, on_cycle};
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
    let deps: Vec<Vec<usize>> = cx.pack.records.iter().map(inner_records).collect();
    let cyclic = on_cycle(&deps);
    for ((fid, r, _), cyclic) in recs.iter().zip(&cyclic) {
        if *cyclic {
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
    // without cycles: how deep each record nests, and which need bound checks, inner first
    if let Ok(order) = dependency_order(&deps) {
        let depths = nesting(&mut cx.pack.records, &order);
        for (i, (fid, r, _)) in recs.iter().enumerate() {
            let (d, inner) = depths.get(i).copied().unwrap_or((0, 0));
            // report where it first goes too deep, not every record above that
            if d > TYPE_DEPTH && inner <= TYPE_DEPTH {
                cx.out.diag_at(
                    *fid,
                    &r.name,
                    Code::PackLimit,
                    msg!(
                        vi: format!(
                            "bản ghi `{}` lồng {d} cấp (bản ghi và danh sách trong nhau); tối đa {TYPE_DEPTH}",
                            r.name.get_ref(),
                        ),
                        en: format!(
                            "record `{}` nests {d} levels deep (records and lists inside each other); at most {TYPE_DEPTH}",
                            r.name.get_ref(),
                        ),
                    ),
                );
            }
        }
    }
}

/// The record a type holds (through any lists) and how many lists wrap it.
fn unwrap_lists(t: &Ty) -> (&Ty, usize) {
    let (mut t, mut lists) = (t, 0);
    while let Ty::List(inner) = t {
        t = inner;
        lists += 1;
    }
    (t, lists)
}

/// The records a record's fields hold.
fn inner_records(r: &RecordType) -> Vec<usize> {
    r.fields
        .iter()
        .filter_map(|f| match unwrap_lists(&f.ty).0 {
            Ty::Rec(i) => Some(*i),
            _ => None,
        })
        .collect()
}

/// Visiting records in `order` (inner records first): marks those that need bound checks (a
/// `min` or `max`, or a record inside that has one), and returns each record's nesting depth
/// (a level per record and per list: the depth of its facts as JSON) and its deepest field's.
fn nesting(records: &mut [RecordType], order: &[usize]) -> Vec<(usize, usize)> {
    let mut depth = vec![(0usize, 0usize); records.len()];
    for &i in order {
        let Some(r) = records.get(i) else {
            continue;
        };
        let (mut deepest, mut bounded) = (0usize, false);
        for f in &r.fields {
            let (t, lists) = unwrap_lists(&f.ty);
            let inner = match t {
                Ty::Rec(j) => {
                    bounded |= records.get(*j).is_some_and(|x| x.bounded);
                    depth.get(*j).map(|d| d.0).unwrap_or(0)
                }
                _ => 0,
            };
            deepest = deepest.max(lists.saturating_add(inner));
            bounded |= f.min.is_some() || f.max.is_some();
        }
        if let Some(d) = depth.get_mut(i) {
            *d = (deepest.saturating_add(1), deepest);
        }
        if let Some(r) = records.get_mut(i) {
            r.bounded = bounded;
        }
    }
    depth
}

fn enums(cx: &mut Context, docs: &[Parsed]) {
    for d in docs {
        for e in &d.doc.enums {
            if cx.enums.declare(&mut cx.out, d.file, &e.name).is_none() {
                continue;
            }
            let mut values = Vec::new();
            let mut seen = HashSet::new();
            for v in &e.values {
                if !seen.insert(v.get_ref().as_str()) {
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
                index: EnumType::index_of(&values),
                texts: values
                    .iter()
                    .map(|v| std::sync::Arc::from(v.as_str()))
                    .collect(),
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

/// Marks whether record `i` needs bound checks (a `min` or `max`, or a record inside that has
/// one), its inner records being marked already (a registry row added after the records).
pub(super) fn mark_bounded(records: &mut [RecordType], i: usize) {
    let Some(r) = records.get(i) else {
        return;
    };
    let bounded = r.fields.iter().any(|f| {
        f.min.is_some()
            || f.max.is_some()
            || matches!(unwrap_lists(&f.ty).0, Ty::Rec(j) if records.get(*j).is_some_and(|x| x.bounded))
    });
    if let Some(r) = records.get_mut(i) {
        r.bounded = bounded;
    }
}
