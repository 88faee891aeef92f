//! Decoding columnar batches (pandas, Arrow) against an entity's schema: one [`Record`] per
//! row, with the same errors (and the same leniency) as decoding JSON.

use rust_decimal::Decimal;
use serde_json::Value;

use super::json::Decoder;
use super::scalar::text_cell;
use super::shape::Shape;
use super::{fits, set_path, Tally};
use crate::codes::Code;
use crate::date::Date;
use crate::error::{Error, FieldError};
use crate::model::Pack;
use crate::text::Message;
use crate::value::{Record, Ty, Val};

/// A column of facts for [`Engine::evaluate_columns`].
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
        Ok(BatchDecoder {
            pack,
            shape,
            record,
            rows: batch.rows,
            strict,
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

/// The slots of a dotted path (`workers.female`) in record type `record`, and the type of the
/// field it ends at; `None` when a step is not a field (or not a record before the end).
pub(crate) fn resolve(pack: &Pack, record: usize, path: &str) -> Option<(Vec<usize>, Ty)> {
    let mut cur = pack.records.get(record)?;
    let mut slots = Vec::new();
    let mut last = None;
    let parts: Vec<&str> = path.split('.').collect();
    for (k, part) in parts.iter().enumerate() {
        let s = *cur.by_name.get(*part)?;
        let ty = cur.fields.get(s).map(|f| f.ty.clone()).unwrap_or(Ty::Bool);
        slots.push(s);
        if k + 1 < parts.len() {
            match &ty {
                Ty::Rec(r) => cur = pack.records.get(*r)?,
                _ => return None,
            }
        }
        last = Some(ty);
    }
    Some((slots, last?))
}
