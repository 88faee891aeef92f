//! Decoding columnar batches (pandas, Arrow) against an entity's schema: one [`Record`] per
//! row, with the same errors (and the same leniency) as decoding JSON.

use rust_decimal::Decimal;
use serde_json::Value;

use super::json::Decoder;
use super::scalar::text_cell;
use super::shape::{fact_at, resolve, Shape};
use super::{fits, set_path, Tally};
use crate::codes::Code;
use crate::date::Date;
use crate::error::{Error, FieldError};
use crate::model::{EntityRules, Pack};
use crate::text::Message;
use crate::value::{Record, Ty, Val};

/// A column of facts for [`crate::Engine::evaluate_columns`].
#[derive(Clone, Debug)]
pub enum Column {
    /// Yes/no facts.
    Bool(Vec<Option<bool>>),
    /// Whole numbers.
    Int(Vec<Option<i64>>),
    /// Exact decimals.
    Decimal(Vec<Option<Decimal>>),
    /// Text or enumeration values (also numbers or dates written as text).
    Text(Vec<Option<String>>),
    /// Dates.
    Date(Vec<Option<Date>>),
    /// Any JSON value (for lists such as `managers`).
    Json(Vec<Option<Value>>),
    /// A list per row, as Arrow lays it out: row `i` holds the items
    /// `offsets[i]..offsets[i + 1]` of `items`; `valid[i] == false` is an absent list.
    List {
        /// `rows + 1` monotonic offsets into `items`, from 0.
        offsets: Vec<usize>,
        /// Which rows have a list (all, when `None`).
        valid: Option<Vec<bool>>,
        /// The items of every row, one after another.
        items: Box<Column>,
    },
    /// A record per row, one column per field; `valid[i] == false` is an absent record.
    Struct {
        /// Number of rows.
        rows: usize,
        /// Which rows have a record (all, when `None`).
        valid: Option<Vec<bool>>,
        /// The fields by name.
        fields: Vec<(String, Column)>,
    },
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Bool(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Decimal(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::Date(v) => v.len(),
            Column::Json(v) => v.len(),
            Column::List { offsets, .. } => offsets.len().saturating_sub(1),
            Column::Struct { rows, .. } => *rows,
        }
    }
}

/// Columns of facts by dotted path (`"workers.female"`), all of one length.
#[derive(Clone, Debug, Default)]
pub struct ColumnBatch {
    rows: usize,
    columns: Vec<(String, Column)>,
}

impl ColumnBatch {
    /// An empty batch of `rows` rows.
    pub fn new(rows: usize) -> ColumnBatch {
        ColumnBatch {
            rows,
            columns: Vec::new(),
        }
    }
    /// Adds a column.
    pub fn push(&mut self, path: impl Into<String>, column: Column) {
        self.columns.push((path.into(), column));
    }
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// The columns' paths, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(p, _)| p.as_str())
    }
}

/// A column resolved: its path, the slots of the path, the field's type, the column, and its
/// node in the schema tree (when there is one).
type Resolved<'b> = (&'b str, Vec<usize>, Ty, &'b Column, Option<usize>);

/// A batch's columns resolved against a record type: each known column with the slots of its
/// path, its field's type and its node in the schema tree. Columns not in the schema are noted
/// in the tally once (with a suggestion when one looks like a field written another way).
pub(crate) struct BatchDecoder<'p, 'b> {
    pack: &'p Pack,
    shape: &'p Shape,
    record: usize,
    rows: usize,
    strict: bool,
    columns: Vec<Resolved<'b>>,
    blank: Record,
    /// Columns (and fields of struct columns) not in the schema, keys not in the schema inside
    /// JSON cells, and which fields have a column.
    pub tally: Tally,
    /// Per node of the shape, whether a column can hold its facts.
    pub available: Vec<bool>,
    /// Where each column's facts go in a reused record ([`BatchDecoder::row_into`]); `None`
    /// when two columns write the same field (or one a field inside the other's), which
    /// rows decode the general way ([`BatchDecoder::row`]).
    plan: Option<Plan>,
    /// The entity's constraint rules that can find an error in this batch, each with the
    /// slots of the fields it needs (`None`: a field it cannot be without that a row may have
    /// or not in ways the slots do not show); `None` when every row runs them all
    /// ([`BatchDecoder::plan_constraints`]).
    constraints: Option<Vec<ConstraintNeeds>>,
}

/// A constraint rule (its index in the entity's rules) and the slots of each field it cannot
/// find an error without (`None` when the slots cannot tell, e.g. a field inside list items).
type ConstraintNeeds = (usize, Vec<Option<Vec<usize>>>);

/// Where a batch's facts go, worked out once per batch: per column, the nested records its
/// field is in and its slot in the innermost; per nested record, its slot and a spare
/// allocation kept for the rows that lack it. With it, a row is decoded into the previous
/// row's record, overwriting it: no allocation per row when rows have the same shape.
struct Plan {
    /// Per column (as `BatchDecoder::columns`): the nested records around its field (indices
    /// into `nested`, outermost first) and its slot in the innermost record.
    leaves: Vec<(Vec<usize>, usize)>,
    /// The nested records that columns write into, each after the records around it.
    nested: Vec<Nested>,
    /// Per column: whether its facts can fail a bound (the field has `min` or `max`, or holds
    /// records that have), with the field's bounds.
    bounds: Vec<Option<Bound>>,
}

/// A field's bounds, also as whole numbers when they are (a whole number is compared without
/// making it a decimal).
struct Bound {
    min: Option<Decimal>,
    max: Option<Decimal>,
    /// `(min, max)` when both are absent or whole numbers of `i64` (`i64::MIN`/`i64::MAX`
    /// when absent).
    whole: Option<(i64, i64)>,
}

impl Bound {
    fn new(min: Option<Decimal>, max: Option<Decimal>) -> Bound {
        let whole = |d: Option<Decimal>, none: i64| match d {
            None => Some(none),
            Some(d) if d.fract().is_zero() => i64::try_from(d).ok(),
            Some(_) => None,
        };
        Bound {
            min,
            max,
            whole: whole(min, i64::MIN).zip(whole(max, i64::MAX)),
        }
    }
}

/// A nested record that columns write into (`members` for `members.total`).
struct Nested {
    /// The records around it (indices into `Plan::nested`, outermost first).
    parents: Vec<usize>,
    /// Its slot in the innermost of them (or in the row's record).
    slot: usize,
    /// Number of fields of its record type.
    fields: usize,
    /// Whether a column gave a fact inside it in the current row (else it is absent).
    set: bool,
    /// The allocation it had in the last row that had it.
    spare: Option<Box<Record>>,
}

impl Plan {
    /// The plan of resolved columns; `None` when two write the same field, or one a field
    /// inside another's.
    fn new(pack: &Pack, record: usize, columns: &[Resolved<'_>]) -> Option<Plan> {
        let mut plan = Plan {
            leaves: Vec::with_capacity(columns.len()),
            nested: Vec::new(),
            bounds: Vec::with_capacity(columns.len()),
        };
        // nested records by their slots' path
        let mut nested_paths: Vec<Vec<usize>> = Vec::new();
        let mut leaf_paths: Vec<&[usize]> = Vec::new();
        for (_, slots, ty, col, _) in columns {
            let (&last, outer) = slots.split_last()?;
            if repeats_field(col) {
                return None;
            }
            if leaf_paths.contains(&slots.as_slice())
                || nested_paths
                    .iter()
                    .any(|p| p.as_slice() == slots.as_slice())
            {
                return None;
            }
            let mut parents = Vec::with_capacity(outer.len());
            let mut rec_ty = record;
            for k in 0..outer.len() {
                let prefix = outer.get(..=k)?;
                if leaf_paths.contains(&prefix) {
                    return None;
                }
                let slot = *prefix.last()?;
                let field = pack.records.get(rec_ty)?.fields.get(slot)?;
                let Ty::Rec(inner) = field.ty else {
                    return None;
                };
                rec_ty = inner;
                let at = match nested_paths.iter().position(|p| p.as_slice() == prefix) {
                    Some(i) => i,
                    None => {
                        nested_paths.push(prefix.to_vec());
                        plan.nested.push(Nested {
                            parents: parents.clone(),
                            slot,
                            fields: pack.records.get(inner)?.fields.len(),
                            set: false,
                            spare: None,
                        });
                        nested_paths.len() - 1
                    }
                };
                parents.push(at);
            }
            let field = pack.records.get(rec_ty)?.fields.get(last)?;
            let bounded = field.min.is_some() || field.max.is_some() || nests_bounded(pack, ty);
            plan.bounds
                .push(bounded.then(|| Bound::new(field.min, field.max)));
            plan.leaves.push((parents, last));
            leaf_paths.push(slots.as_slice());
        }
        Some(plan)
    }
}

/// Whether a struct column (or one inside a column) has two fields of one name: the second
/// would overwrite the first's fact only when it has one, which a reused record cannot tell.
fn repeats_field(col: &Column) -> bool {
    match col {
        Column::List { items, .. } => repeats_field(items),
        Column::Struct { fields, .. } => fields.iter().enumerate().any(|(i, (name, c))| {
            repeats_field(c) || fields.iter().skip(i + 1).any(|(n, _)| n == name)
        }),
        _ => false,
    }
}

/// Whether values of type `ty` hold records with a bounded field.
fn nests_bounded(pack: &Pack, ty: &Ty) -> bool {
    match ty {
        Ty::Rec(i) => pack.records.get(*i).is_some_and(|r| r.bounded),
        Ty::List(inner) => nests_bounded(pack, inner),
        _ => false,
    }
}

/// Whether a fact of a field with bounds `min`/`max` and type `ty` passes them, and so do the
/// facts of the records inside it: `true` exactly when [`crate::validate::bound_checks`] finds
/// nothing in it. No allocation.
fn within_bounds(
    pack: &Pack,
    min: Option<Decimal>,
    max: Option<Decimal>,
    ty: &Ty,
    v: &Val,
) -> bool {
    let n = match v {
        Val::Int(i) if min.is_some() || max.is_some() => Some(Decimal::from(*i)),
        Val::Dec(d) => Some(*d),
        _ => None,
    };
    if let Some(n) = n {
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            return false;
        }
    }
    match (v, ty) {
        (Val::Rec(r), Ty::Rec(t)) => record_within_bounds(pack, *t, r),
        (Val::List(items), Ty::List(inner)) => match inner.as_ref() {
            Ty::Rec(t) => items.iter().all(|it| match it {
                Val::Rec(r) => record_within_bounds(pack, *t, r),
                _ => true,
            }),
            _ => true,
        },
        _ => true,
    }
}

/// [`within_bounds`] for every fact of a record of type `rec_ty`.
fn record_within_bounds(pack: &Pack, rec_ty: usize, rec: &Record) -> bool {
    let Some(rt) = pack.records.get(rec_ty) else {
        return true;
    };
    if !rt.bounded {
        return true;
    }
    rt.fields
        .iter()
        .zip(&rec.slots)
        .all(|(f, slot)| match slot {
            Some(v) => within_bounds(pack, f.min, f.max, &f.ty, v),
            None => true,
        })
}

/// The slot of a column's field in `rec`, creating the nested records around it (from their
/// spare allocation when they have one).
fn leaf_slot<'r>(
    rec: &'r mut Record,
    nested: &mut [Nested],
    parents: &[usize],
    last: usize,
) -> Option<&'r mut Option<Val>> {
    let mut cur = rec;
    for &p in parents {
        let nd = nested.get_mut(p)?;
        let slot = cur.slots.get_mut(nd.slot)?;
        if !matches!(slot, Some(Val::Rec(_))) {
            let fields = nd.fields;
            let b = nd.spare.take().unwrap_or_else(|| {
                Box::new(Record {
                    slots: vec![None; fields],
                })
            });
            *slot = Some(Val::Rec(b));
        }
        cur = match slot {
            Some(Val::Rec(r)) => r,
            _ => return None,
        };
    }
    cur.slots.get_mut(last)
}

/// The slot of a column's field in `rec` when the records around it are there.
fn leaf_slot_ref<'r>(
    rec: &'r Record,
    nested: &[Nested],
    parents: &[usize],
    last: usize,
) -> Option<&'r Option<Val>> {
    let mut cur = rec;
    for &p in parents {
        let nd = nested.get(p)?;
        cur = match cur.slots.get(nd.slot)? {
            Some(Val::Rec(r)) => r,
            _ => return None,
        };
    }
    cur.slots.get(last)
}

impl<'p, 'b> BatchDecoder<'p, 'b> {
    /// Resolves the columns of `batch` against record type `record`; a column of the wrong
    /// length is an error.
    pub(crate) fn new(
        pack: &'p Pack,
        shape: &'p Shape,
        record: usize,
        batch: &'b ColumnBatch,
        strict: bool,
    ) -> Result<BatchDecoder<'p, 'b>, Error> {
        let n_fields = pack.records.get(record).map_or(0, |r| r.fields.len());
        let mut columns = Vec::new();
        let mut tally = Tally::default();
        let mut available = vec![false; shape.nodes.len()];
        for (path, col) in &batch.columns {
            if col.len() != batch.rows {
                return Err(Error::invalid_input(
                    Code::InputColumns,
                    msg!(
                        vi: format!("cột `{path}` có {} dòng, cần {}", col.len(), batch.rows),
                        en: format!("column `{path}` has {} rows, expected {}", col.len(), batch.rows),
                    ),
                ));
            }
            // a schema tree of the record type (an entity's) is optional: a registry's own
            // record types are read without one (no suggestions, no availability)
            match resolve(pack, record, path) {
                Some((slots, ty)) => {
                    let node = shape.node_of_path(path);
                    if let Some(n) = node {
                        mark_available(shape, n, col, &mut available, &mut tally, batch.rows);
                    }
                    columns.push((path.as_str(), slots, ty, col, node));
                }
                None => {
                    let (i, _, _) = tally.note_path(shape, path);
                    if let Some(n) = tally.notes.get_mut(i) {
                        n.records = batch.rows;
                    }
                }
            }
        }
        let plan = Plan::new(pack, record, &columns);
        Ok(BatchDecoder {
            pack,
            shape,
            record,
            rows: batch.rows,
            strict,
            plan,
            constraints: None,
            columns,
            blank: Record {
                slots: vec![None; n_fields],
            },
            tally,
            available,
        })
    }

    /// Number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// A record with no facts, to decode rows into with [`BatchDecoder::row_into`].
    pub(crate) fn blank(&self) -> Record {
        self.blank.clone()
    }

    /// The record in row `row`, written over `rec` (the previous row's, or
    /// [`BatchDecoder::blank`]): the same record as [`BatchDecoder::row`], with the same
    /// errors, reusing the allocations of nested records, lists and their items. `rec` must
    /// have come from this decoder (values other than its columns' would stay).
    pub(crate) fn row_into(
        &mut self,
        row: usize,
        errors: &mut Vec<(usize, FieldError)>,
        rec: &mut Record,
    ) {
        let Some(mut plan) = self.plan.take() else {
            *rec = self.row(row, errors);
            return;
        };
        if rec.slots.len() != self.blank.slots.len() {
            *rec = self.blank.clone();
        }
        self.tally.records = row + 1;
        let columns = std::mem::take(&mut self.columns);
        let mut cell_errors = Vec::new();
        for ((path, _, ty, col, node), (parents, last)) in columns.iter().zip(&plan.leaves) {
            let Some(dst) = leaf_slot(rec, &mut plan.nested, parents, *last) else {
                continue;
            };
            match col {
                Column::List { .. } | Column::Struct { .. } => {
                    self.fill(col, ty, *node, row, &mut cell_errors, dst)
                }
                _ => *dst = self.cell(col, ty, *node, row, &mut cell_errors),
            }
            if !cell_errors.is_empty() {
                for mut e in cell_errors.drain(..) {
                    e.field = format!("/{}{}", path.replace('.', "/"), e.field);
                    errors.push((row, e));
                }
            }
            // type mismatch between column kind and field type → absent + error
            if dst.as_ref().is_some_and(|v| !fits(v, ty)) {
                *dst = None;
                errors.push((
                    row,
                    FieldError {
                        field: format!("/{}", path.replace('.', "/")),
                        code: Code::FactsType.into(),
                        message: msg!(
                            vi: "kiểu dữ liệu của cột không phù hợp",
                            en: "the column's type does not fit the field",
                        ),
                    },
                ));
            }
            if dst.is_some() {
                for &p in parents {
                    if let Some(nd) = plan.nested.get_mut(p) {
                        nd.set = true;
                    }
                }
            }
        }
        // a nested record no column gave a fact in is absent (its allocation kept aside);
        // inner records first, while the records around them are still there
        for p in (0..plan.nested.len()).rev() {
            let Some(nd) = plan.nested.get(p) else {
                continue;
            };
            if nd.set {
                if let Some(nd) = plan.nested.get_mut(p) {
                    nd.set = false;
                }
                continue;
            }
            let (parents, slot) = (nd.parents.clone(), nd.slot);
            let taken = leaf_slot(rec, &mut plan.nested, &parents, slot).and_then(Option::take);
            if let (Some(Val::Rec(b)), Some(nd)) = (taken, plan.nested.get_mut(p)) {
                nd.spare = Some(b);
            }
        }
        self.columns = columns;
        self.plan = Some(plan);
    }

    /// Whether the facts of `rec` (decoded by [`BatchDecoder::row_into`]) pass every bound:
    /// `true` only when [`crate::validate::bound_checks`] would find nothing, checking only
    /// the fields that have a column and a bound (or hold records with one). `false` when it
    /// cannot tell (rows decoded the general way).
    pub(crate) fn within_bounds(&self, rec: &Record) -> bool {
        let Some(plan) = &self.plan else {
            return false;
        };
        for (((_, _, ty, _, _), (parents, last)), bounds) in
            self.columns.iter().zip(&plan.leaves).zip(&plan.bounds)
        {
            let Some(b) = bounds else { continue };
            let Some(Some(v)) = leaf_slot_ref(rec, &plan.nested, parents, *last) else {
                continue;
            };
            let ok = match (v, b.whole) {
                (Val::Int(i), Some((lo, hi))) => lo <= *i && *i <= hi,
                _ => within_bounds(self.pack, b.min, b.max, ty, v),
            };
            if !ok {
                return false;
            }
        }
        true
    }

    /// Works out which of `er`'s constraint rules can find an error in this batch, and what
    /// each needs ([`crate::decode::shape::constraint_needs`]): a rule that needs a field no
    /// column holds is left out of every row, and [`BatchDecoder::constraints_for`] leaves it
    /// out of a row that lacks a field it needs, its condition being unknown there. Only
    /// when that cannot change what the others find: no constraint uses another rule, and
    /// their budgets together fit in the record's (so none runs out for another's work).
    pub(crate) fn plan_constraints(&mut self, er: &EntityRules) {
        let steps = u64::try_from(er.constraints.len())
            .unwrap_or(u64::MAX)
            .saturating_mul(crate::limits::EVAL_STEPS);
        if self.plan.is_none()
            || er.constraints_use_rules
            || steps > crate::limits::EVAL_STEPS_PER_RECORD
        {
            self.constraints = None;
            return;
        }
        let mut out = Vec::with_capacity(er.constraints.len());
        for &ci in &er.constraints {
            let Some(rule) = er.rules.get(ci) else {
                continue;
            };
            let needs = crate::decode::shape::constraint_needs(rule, self.shape);
            if needs
                .iter()
                .any(|&n| !self.available.get(n).copied().unwrap_or(true))
            {
                continue;
            }
            let slots = needs
                .iter()
                .map(|&n| {
                    self.shape
                        .nodes
                        .get(n)
                        .filter(|node| !node.in_list && !node.path.is_empty())
                        .and_then(|node| resolve(self.pack, self.record, &node.path))
                        .map(|(slots, _)| slots)
                })
                .collect();
            out.push((ci, slots));
        }
        self.constraints = Some(out);
    }

    /// The constraint rules (indices into the entity's rules) that can find an error in
    /// `rec`, into `out` (cleared first): all of `all` unless
    /// [`BatchDecoder::plan_constraints`] has worked them out.
    pub(crate) fn constraints_for(&self, rec: &Record, all: &[usize], out: &mut Vec<usize>) {
        out.clear();
        let Some(plan) = &self.constraints else {
            out.extend_from_slice(all);
            return;
        };
        for (ci, needs) in plan {
            let lacking = needs.iter().any(|slots| {
                slots
                    .as_deref()
                    .is_some_and(|slots| fact_at(rec, slots).is_none())
            });
            if !lacking {
                out.push(*ci);
            }
        }
    }

    /// [`BatchDecoder::cell`] written over `dst`, reusing what it holds: a list's items and
    /// a record's slots are overwritten in place.
    fn fill(
        &mut self,
        col: &Column,
        ty: &Ty,
        node: Option<usize>,
        row: usize,
        errors: &mut Vec<FieldError>,
        dst: &mut Option<Val>,
    ) {
        let type_error = |errors: &mut Vec<FieldError>, field: String| {
            errors.push(FieldError {
                field,
                code: Code::FactsType.into(),
                message: msg!(
                    vi: "kiểu dữ liệu của cột không phù hợp",
                    en: "the column's type does not fit the field",
                ),
            });
        };
        let absent = |valid: &Option<Vec<bool>>| {
            valid
                .as_ref()
                .is_some_and(|m| !m.get(row).copied().unwrap_or(false))
        };
        match col {
            Column::List {
                offsets,
                valid,
                items,
            } => {
                if absent(valid) {
                    *dst = None;
                    return;
                }
                let Ty::List(inner) = ty else {
                    *dst = None;
                    return type_error(errors, String::new());
                };
                let (Some(&a), Some(&b)) = (offsets.get(row), offsets.get(row + 1)) else {
                    *dst = None;
                    return type_error(errors, String::new());
                };
                let mut out = match dst.take() {
                    Some(Val::List(v)) => v,
                    _ => Vec::with_capacity(b.saturating_sub(a)),
                };
                let mut ok = true;
                let item_node = node
                    .and_then(|n| self.shape.nodes.get(n))
                    .and_then(|n| n.item);
                for j in a..b {
                    let k = j - a;
                    let before = errors.len();
                    // the item this place held in the last row, if any, to overwrite
                    let mut item = out
                        .get_mut(k)
                        .map(|v| std::mem::replace(v, Val::Bool(false)));
                    self.fill(items, inner, item_node, j, errors, &mut item);
                    for e in errors.iter_mut().skip(before) {
                        e.field = format!("/{k}{}", e.field);
                    }
                    match item {
                        Some(v) if fits(&v, inner) => match out.get_mut(k) {
                            Some(place) => *place = v,
                            None => out.push(v),
                        },
                        Some(_) => {
                            ok = false;
                            type_error(errors, format!("/{k}"));
                        }
                        None => {
                            ok = false;
                            if errors.len() == before {
                                errors.push(FieldError {
                                    field: format!("/{k}"),
                                    code: Code::FactsType.into(),
                                    message: msg!(
                                        vi: "phần tử danh sách không được để trống",
                                        en: "list items cannot be null",
                                    ),
                                });
                            }
                        }
                    }
                    if !ok && out.len() <= k {
                        // (keeps the places of the items after it; the list is dropped)
                        out.push(Val::Bool(false));
                    }
                }
                out.truncate(b.saturating_sub(a));
                // a list with a bad or missing item is absent as a whole (its count would be
                // wrong otherwise), as in `evaluate`
                *dst = ok.then_some(Val::List(out));
            }
            Column::Struct { valid, fields, .. } => {
                if absent(valid) {
                    *dst = None;
                    return;
                }
                let Ty::Rec(r) = ty else {
                    *dst = None;
                    return type_error(errors, String::new());
                };
                let Some(rt) = self.pack.records.get(*r) else {
                    *dst = None;
                    return;
                };
                let mut rec = match dst.take() {
                    Some(Val::Rec(b)) if b.slots.len() == rt.fields.len() => b,
                    _ => Box::new(Record {
                        slots: vec![None; rt.fields.len()],
                    }),
                };
                let scope =
                    node.filter(|&n| self.shape.nodes.get(n).and_then(|x| x.record) == Some(*r));
                for (name, c) in fields {
                    // fields not in the schema were noted once, when the batch was resolved
                    let Some(i) = rt.fields.iter().position(|f| f.name == *name) else {
                        continue;
                    };
                    let Some(f) = rt.fields.get(i) else { continue };
                    let child = scope
                        .and_then(|s| self.shape.nodes.get(s))
                        .and_then(|x| x.fields.get(i))
                        .copied();
                    let before = errors.len();
                    if let Some(slot) = rec.slots.get_mut(i) {
                        match c {
                            Column::List { .. } | Column::Struct { .. } => {
                                self.fill(c, &f.ty, child, row, errors, slot)
                            }
                            _ => *slot = self.cell(c, &f.ty, child, row, errors),
                        }
                        if slot.as_ref().is_some_and(|v| !fits(v, &f.ty)) {
                            *slot = None;
                            type_error(errors, String::new());
                        }
                    }
                    for e in errors.iter_mut().skip(before) {
                        e.field = format!("/{name}{}", e.field);
                    }
                }
                *dst = Some(Val::Rec(rec));
            }
            _ => *dst = self.cell(col, ty, node, row, errors),
        }
    }

    /// The record in row `row`; its bad cells are appended to `errors` as `(row, error)`.
    pub(crate) fn row(&mut self, row: usize, errors: &mut Vec<(usize, FieldError)>) -> Record {
        let mut rec = self.blank.clone();
        self.tally.records = row + 1;
        let columns = std::mem::take(&mut self.columns);
        for (path, slots, ty, col, node) in &columns {
            let mut cell_errors = Vec::new();
            let val = self.cell(col, ty, *node, row, &mut cell_errors);
            for mut e in cell_errors {
                e.field = format!("/{}{}", path.replace('.', "/"), e.field);
                errors.push((row, e));
            }
            // type mismatch between column kind and field type → absent + error
            let val = match val {
                Some(v) if fits(&v, ty) => Some(v),
                Some(_) => {
                    errors.push((
                        row,
                        FieldError {
                            field: format!("/{}", path.replace('.', "/")),
                            code: Code::FactsType.into(),
                            message: msg!(
                                vi: "kiểu dữ liệu của cột không phù hợp",
                                en: "the column's type does not fit the field",
                            ),
                        },
                    ));
                    None
                }
                None => None,
            };
            if let Some(v) = val {
                set_path(self.pack, &mut rec, self.record, slots, v);
            }
        }
        self.columns = columns;
        rec
    }

    /// The fact in row `row` of a column, as a value of type `ty` (`None` when absent or bad;
    /// bad cells are described in `errors`, their `field` relative to the column).
    fn cell(
        &mut self,
        col: &Column,
        ty: &Ty,
        node: Option<usize>,
        row: usize,
        errors: &mut Vec<FieldError>,
    ) -> Option<Val> {
        let err = |errors: &mut Vec<FieldError>, field: String, code: Code, message: Message| {
            errors.push(FieldError {
                field,
                code: code.into(),
                message,
            });
            None
        };
        let shape = |errors: &mut Vec<FieldError>| {
            err(
                errors,
                String::new(),
                Code::FactsType,
                msg!(
                    vi: "kiểu dữ liệu của cột không phù hợp",
                    en: "the column's type does not fit the field",
                ),
            )
        };
        match col {
            Column::Bool(v) => v.get(row).copied().flatten().map(Val::Bool),
            Column::Int(v) => v.get(row).copied().flatten().map(|i| match ty {
                Ty::Dec(_) => Val::Dec(Decimal::from(i)),
                _ => Val::Int(i),
            }),
            Column::Decimal(v) => v.get(row).copied().flatten().map(|d| match ty {
                Ty::Int if d.fract().is_zero() => {
                    i64::try_from(d).map(Val::Int).unwrap_or(Val::Dec(d))
                }
                _ => Val::Dec(d),
            }),
            Column::Date(v) => v.get(row).copied().flatten().map(Val::Date),
            Column::Text(v) => {
                let s = v.get(row).and_then(|x| x.as_ref())?;
                match text_cell(ty, s, &self.pack.enums) {
                    Ok(v) => Some(v),
                    Err((code, message)) => err(errors, String::new(), code, message),
                }
            }
            Column::Json(v) => {
                let j = v.get(row).and_then(|x| x.as_ref())?;
                let mut d = Decoder::new(self.pack, self.shape, self.strict, &mut self.tally);
                let out = d.value(ty, node, j).unwrap_or(None);
                errors.extend(d.errors);
                out
            }
            Column::List {
                offsets,
                valid,
                items,
            } => {
                if valid
                    .as_ref()
                    .is_some_and(|m| !m.get(row).copied().unwrap_or(false))
                {
                    return None;
                }
                let Ty::List(inner) = ty else {
                    return shape(errors);
                };
                let (Some(&a), Some(&b)) = (offsets.get(row), offsets.get(row + 1)) else {
                    return shape(errors);
                };
                let mut out = Vec::with_capacity(b.saturating_sub(a));
                let mut ok = true;
                let item_node = node
                    .and_then(|n| self.shape.nodes.get(n))
                    .and_then(|n| n.item);
                for j in a..b {
                    let before = errors.len();
                    let v = self.cell(items, inner, item_node, j, errors);
                    for e in errors.iter_mut().skip(before) {
                        e.field = format!("/{}{}", j - a, e.field);
                    }
                    match v {
                        Some(v) if fits(&v, inner) => out.push(v),
                        Some(_) => {
                            ok = false;
                            err(
                                errors,
                                format!("/{}", j - a),
                                Code::FactsType,
                                msg!(
                                    vi: "kiểu dữ liệu của cột không phù hợp",
                                    en: "the column's type does not fit the field",
                                ),
                            );
                        }
                        None => {
                            ok = false;
                            if errors.len() == before {
                                err(
                                    errors,
                                    format!("/{}", j - a),
                                    Code::FactsType,
                                    msg!(
                                        vi: "phần tử danh sách không được để trống",
                                        en: "list items cannot be null",
                                    ),
                                );
                            }
                        }
                    }
                }
                // a list with a bad or missing item is absent as a whole (its count would be
                // wrong otherwise), as in `evaluate`
                ok.then_some(Val::List(out))
            }
            Column::Struct { valid, fields, .. } => {
                if valid
                    .as_ref()
                    .is_some_and(|m| !m.get(row).copied().unwrap_or(false))
                {
                    return None;
                }
                let Ty::Rec(r) = ty else { return shape(errors) };
                let rt = self.pack.records.get(*r)?;
                let mut rec = Record {
                    slots: vec![None; rt.fields.len()],
                };
                let scope =
                    node.filter(|&n| self.shape.nodes.get(n).and_then(|x| x.record) == Some(*r));
                for (name, c) in fields {
                    // fields not in the schema were noted once, when the batch was resolved
                    let Some(i) = rt.fields.iter().position(|f| f.name == *name) else {
                        continue;
                    };
                    let Some(f) = rt.fields.get(i) else { continue };
                    let child = scope
                        .and_then(|s| self.shape.nodes.get(s))
                        .and_then(|x| x.fields.get(i))
                        .copied();
                    let before = errors.len();
                    let v = self.cell(c, &f.ty, child, row, errors);
                    match v {
                        Some(v) if fits(&v, &f.ty) => {
                            if let Some(slot) = rec.slots.get_mut(i) {
                                *slot = Some(v);
                            }
                        }
                        Some(_) => {
                            shape(errors);
                        }
                        None => {}
                    }
                    for e in errors.iter_mut().skip(before) {
                        e.field = format!("/{name}{}", e.field);
                    }
                }
                Some(Val::Rec(Box::new(rec)))
            }
        }
    }
}

/// Notes a column (or a field of a struct column) that is not in the schema, at record node
/// `scope`, for the `rows` rows of the batch.
fn note_column(shape: &Shape, tally: &mut Tally, scope: usize, key: &str, rows: usize) {
    let (i, _) = tally.note(shape, scope, key);
    if let Some(n) = tally.notes.get_mut(i) {
        n.records = rows;
    }
}

/// Marks what a column at `node` can hold, and notes the fields of a struct column (or of a
/// list of structs) that are not in the schema.
fn mark_available(
    shape: &Shape,
    node: usize,
    col: &Column,
    available: &mut [bool],
    tally: &mut Tally,
    rows: usize,
) {
    // the column's field and the records around it; a column of any other kind than a struct
    // may hold every field below it (a JSON column of records, a list of records)
    let structured = match col {
        Column::Struct { .. } => true,
        Column::List { items, .. } => matches!(items.as_ref(), Column::Struct { .. }),
        _ => false,
    };
    let path = shape
        .nodes
        .get(node)
        .map(|n| n.path.clone())
        .unwrap_or_default();
    for (i, n) in shape.nodes.iter().enumerate() {
        let holds = n.path == path
            || n.path.is_empty()
            || path.starts_with(&format!("{}.", n.path))
            || (!structured
                && (n.path.starts_with(&format!("{path}."))
                    || n.path.starts_with(&format!("{path}[]"))));
        if holds {
            if let Some(a) = available.get_mut(i) {
                *a = true;
            }
        }
    }
    // a struct column says exactly which fields it holds; what is not in the schema is noted
    let (scope, fields) = match col {
        Column::Struct { fields, .. } => (Some(node), fields),
        Column::List { items, .. } => match items.as_ref() {
            Column::Struct { fields, .. } => (shape.nodes.get(node).and_then(|n| n.item), fields),
            _ => return,
        },
        _ => return,
    };
    let Some(scope) = scope else { return };
    let Some(sn) = shape.nodes.get(scope) else {
        return;
    };
    for (name, c) in fields {
        let child = sn.fields.iter().copied().find(|&f| {
            shape
                .nodes
                .get(f)
                .and_then(|x| x.path.rsplit('.').next())
                .is_some_and(|last| last == name)
        });
        match child {
            Some(f) => mark_available(shape, f, c, available, tally, rows),
            None => note_column(shape, tally, scope, name, rows),
        }
    }
}
