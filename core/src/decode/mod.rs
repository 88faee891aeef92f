//! Decoding facts against an entity's schema into a [`Record`] of slots: from JSON text or a
//! `serde_json::Value` through one serde seed (`json.rs`), from columnar batches
//! (`columns.rs`), with the same field errors (JSON Pointers) and the same rule: a bad fact is
//! reported and treated as absent. Keys not in the schema are suggested a field (`keys.rs`) or
//! noted as ignored, once per batch ([`Tally`]); `shape.rs` is the schema as a tree of fields
//! and what each decision needs.

pub(crate) mod columns;
pub(crate) mod json;
pub(crate) mod keys;
pub(crate) mod scalar;
pub(crate) mod shape;
pub(crate) mod text;

use std::collections::HashMap;

use serde::Serialize;

pub use columns::{Column, ColumnBatch};
pub(crate) use json::Decoder;
pub use json::NON_FINITE_KEY;
pub use text::TextError;

use crate::error::FieldError;
use crate::limits::MAX_IGNORED_KEYS;
use crate::model::Pack;
use crate::text::Message;
use crate::value::{Record, Ty, Val};
use shape::Shape;

/// How facts are read.
///
/// ```
/// let mut o = htx_rules::Options::default();
/// assert!(!o.strict);
/// o.strict = true;
/// assert_eq!(o, htx_rules::Options::strict());
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Keys that are not in the schema are errors (by default they are ignored, and listed
    /// once per batch: registries carry names, addresses, phone numbers the rules do not use).
    /// A key that looks like a field written another way or misspelled is an error either way.
    pub strict: bool,
}

impl Options {
    /// Strict reading: every key not in the schema is an error.
    pub fn strict() -> Options {
        Options { strict: true }
    }
}

/// A record decoded against its entity's schema, not yet evaluated: its facts, the problems
/// found in them (each field's JSON Pointer) and its id.
#[derive(Clone, Debug, Default)]
pub struct DecodedRecord {
    pub(crate) record: Record,
    pub(crate) errors: Vec<FieldError>,
    pub(crate) id: Option<String>,
    /// Values as given where the decoded fact may not show them (see `Decoder::given`).
    pub(crate) given: Vec<(String, String)>,
    /// Whether every fact is known to be within its field's bounds (decoded from JSON with
    /// none outside them): evaluation then skips the bound checks.
    pub(crate) within_bounds: bool,
}

impl DecodedRecord {
    /// The record's id (its entity's id field), when it has one.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    /// Facts that were present but could not be used (treated as absent), and keys that are
    /// misspelled fields (or, when strict, not in the schema).
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }
    /// The decoded facts.
    pub fn record(&self) -> &Record {
        &self.record
    }
}

/// A key (or a column) that is not in the schema, as a batch saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnknownKey {
    /// Where it was: its dotted path from the entity (`phone`, `workers.femal`; items of a
    /// list add `[]`: `managers[].email`).
    pub key: String,
    /// The field it most likely means, as a dotted path (`workers.female`), when it looks like
    /// one written another way or misspelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// How many records had it (for a column: the rows of the batch).
    pub records: usize,
    /// What to tell a person, in Vietnamese and English.
    pub message: Message,
}

/// A decision no record of a batch can decide: facts it cannot do without are absent from
/// every record (or no column holds them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Undecidable {
    /// The decision's name.
    pub decision: String,
    /// The facts it lacks, as dotted paths (`workers.female`).
    pub fields: Vec<String>,
    /// What to tell a person, with the decision's title and the fields' labels.
    pub message: Message,
}

/// What a batch of records left unused and could not decide, said once for the batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchNotes {
    /// Records decoded.
    pub records: usize,
    /// Keys not in the schema, ignored (errors in each record when strict).
    pub ignored: Vec<UnknownKey>,
    /// Keys that look like a field written another way or misspelled: an error in each
    /// record that has them (for columns, an error of the batch).
    pub misspelled: Vec<UnknownKey>,
    /// When strict, the keys not in the schema (not misspelled): an error in each record that
    /// has them.
    pub refused: Vec<UnknownKey>,
    /// Distinct ignored keys past the list's limit, counted but not listed.
    pub more_ignored: usize,
    /// Decisions whose facts no record has.
    pub undecidable: Vec<Undecidable>,
}

impl BatchNotes {
    /// Whether there is anything to say.
    pub fn is_empty(&self) -> bool {
        self.ignored.is_empty()
            && self.misspelled.is_empty()
            && self.refused.is_empty()
            && self.more_ignored == 0
            && self.undecidable.is_empty()
    }
}

/// A key not in the schema, seen by a decoder.
#[derive(Clone, Debug)]
pub(crate) struct KeyNote {
    /// The record node it was in (`usize::MAX` when unknown).
    pub scope: usize,
    pub key: Box<str>,
    /// The field node it most likely means.
    pub suggestion: Option<usize>,
    /// Records that had it, and the last one (to count each record once).
    pub records: usize,
    last: usize,
}

/// What decoders note across a batch: keys not in the schema (each once, with a count), and
/// which fields had a value in some record.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tally {
    /// Records decoded so far.
    pub records: usize,
    pub notes: Vec<KeyNote>,
    index: HashMap<usize, HashMap<Box<str>, usize>>,
    /// Distinct keys past `MAX_IGNORED_KEYS`.
    pub overflow: usize,
    /// Per node of the shape, whether some record had a usable value there (tracked only
    /// when `Some`).
    pub present: Option<Vec<bool>>,
}

impl Tally {
    /// A tally that also tracks which fields are present.
    pub(crate) fn tracking(shape: &Shape) -> Tally {
        Tally {
            present: Some(vec![false; shape.nodes.len()]),
            ..Tally::default()
        }
    }

    /// Notes `key` in record node `scope`: its note (`usize::MAX` past the limit) and the
    /// field node it most likely means.
    pub(crate) fn note(
        &mut self,
        shape: &Shape,
        scope: usize,
        key: &str,
    ) -> (usize, Option<usize>) {
        let record = self.records;
        if let Some(&i) = self.index.get(&scope).and_then(|m| m.get(key)) {
            if let Some(n) = self.notes.get_mut(i) {
                if n.last != record {
                    n.last = record;
                    n.records += 1;
                }
                return (i, n.suggestion);
            }
        }
        let suggestion = shape.nodes.get(scope).and_then(|n| {
            keys::suggest(key, &n.candidates).and_then(|i| n.candidate_nodes.get(i).copied())
        });
        if self.notes.len() >= MAX_IGNORED_KEYS {
            self.overflow += 1;
            return (usize::MAX, suggestion);
        }
        let i = self.notes.len();
        self.notes.push(KeyNote {
            scope,
            key: key.into(),
            suggestion,
            records: 1,
            last: record,
        });
        self.index.entry(scope).or_default().insert(key.into(), i);
        (i, suggestion)
    }

    /// An empty tally that tracks what this one tracks (for part of an input decoded
    /// elsewhere).
    pub(crate) fn emptied(&self) -> Tally {
        Tally {
            present: self.present.as_ref().map(|p| vec![false; p.len()]),
            ..Tally::default()
        }
    }

    /// Adds what `part` saw after what this tally saw: parts absorbed in input order give the
    /// tally of one pass (keys in the order first seen, each record counted once).
    pub(crate) fn absorb(&mut self, part: Tally) {
        self.records += part.records;
        self.overflow += part.overflow;
        if let (Some(p), Some(q)) = (self.present.as_mut(), part.present.as_ref()) {
            for (a, b) in p.iter_mut().zip(q) {
                *a |= *b;
            }
        }
        for n in part.notes {
            if let Some(&i) = self.index.get(&n.scope).and_then(|m| m.get(&n.key)) {
                if let Some(m) = self.notes.get_mut(i) {
                    m.records += n.records;
                    m.last = usize::MAX;
                }
                continue;
            }
            if self.notes.len() >= MAX_IGNORED_KEYS {
                self.overflow += 1;
                continue;
            }
            let i = self.notes.len();
            self.index
                .entry(n.scope)
                .or_default()
                .insert(n.key.clone(), i);
            self.notes.push(KeyNote {
                last: usize::MAX,
                ..n
            });
        }
    }

    /// Notes a dotted path that is not a field (a column, a CSV header): the key is what
    /// follows the deepest record the path names (`workers.femal` is `femal` in `workers`).
    /// Returns its note, the field it likely means, and the record node it is in.
    pub(crate) fn note_path(&mut self, shape: &Shape, path: &str) -> (usize, Option<usize>, usize) {
        let parts: Vec<&str> = path.split('.').collect();
        let mut scope = 0usize;
        let mut k = 0usize;
        for i in (1..parts.len()).rev() {
            let prefix = parts.get(..i).unwrap_or_default().join(".");
            if let Some(n) = shape.node_of_path(&prefix) {
                if shape.nodes.get(n).is_some_and(|x| x.record.is_some()) {
                    scope = n;
                    k = i;
                    break;
                }
            }
        }
        let key = parts.get(k..).unwrap_or_default().join(".");
        let (note, suggestion) = self.note(shape, scope, &key);
        (note, suggestion, scope)
    }

    /// The text of note `i`.
    pub(crate) fn key_text(&self, i: usize) -> Option<&str> {
        self.notes.get(i).map(|n| &*n.key)
    }

    /// The keys noted, as a batch reports them: (ignored, misspelled, refused); when strict,
    /// the keys that are not misspelled are refused, not ignored.
    pub(crate) fn unknown_keys(
        &self,
        shape: &Shape,
        entity: &str,
        strict: bool,
    ) -> (Vec<UnknownKey>, Vec<UnknownKey>, Vec<UnknownKey>) {
        let (ignored, misspelled) = self.keys(shape, entity);
        if !strict {
            return (ignored, misspelled, Vec::new());
        }
        let refused = ignored
            .into_iter()
            .map(|mut k| {
                let n = k.records;
                let key = &k.key;
                k.message = msg!(
                    vi: format!("`{key}` không có trong dữ liệu của `{entity}`: lỗi ở {n} bản ghi (đọc nghiêm ngặt)"),
                    en: format!("`{key}` is not a field of `{entity}`: an error in {n} record(s) (strict reading)"),
                );
                k
            })
            .collect();
        (Vec::new(), misspelled, refused)
    }

    fn keys(&self, shape: &Shape, entity: &str) -> (Vec<UnknownKey>, Vec<UnknownKey>) {
        let mut ignored = Vec::new();
        let mut misspelled = Vec::new();
        for n in &self.notes {
            let scope_path = shape
                .nodes
                .get(n.scope)
                .map(|s| s.path.as_str())
                .unwrap_or_default();
            let key = if scope_path.is_empty() {
                n.key.to_string()
            } else {
                format!("{scope_path}.{}", n.key)
            };
            let meant = n.suggestion.and_then(|s| shape.nodes.get(s));
            let count = n.records;
            // before any record is read (a CSV header), there is nothing to count
            let (vi_n, en_n) = if count == 0 {
                (String::new(), String::new())
            } else {
                (
                    format!(" ({count} bản ghi)"),
                    format!(" ({count} record(s))"),
                )
            };
            match meant {
                Some(m) => misspelled.push(UnknownKey {
                    message: msg!(
                        vi: format!(
                            "`{key}` không có trong dữ liệu của `{entity}`; có phải là `{}` ({})?{vi_n}",
                            m.path, m.label.vi,
                        ),
                        en: format!(
                            "`{key}` is not a field of `{entity}`; did you mean `{}` ({})?{en_n}",
                            m.path, m.label.en,
                        ),
                    ),
                    suggestion: Some(m.path.clone()),
                    key,
                    records: count,
                }),
                None => ignored.push(UnknownKey {
                    message: msg!(
                        vi: format!("`{key}` không có trong dữ liệu của `{entity}`: bỏ qua{vi_n}"),
                        en: format!("`{key}` is not a field of `{entity}`: ignored{en_n}"),
                    ),
                    suggestion: None,
                    key,
                    records: count,
                }),
            }
        }
        (ignored, misspelled)
    }
}

/// Whether a decoded value has the shape of type `ty`.
pub(crate) fn fits(v: &Val, ty: &Ty) -> bool {
    matches!(
        (v, ty),
        (Val::Bool(_), Ty::Bool)
            | (Val::Int(_), Ty::Int)
            | (Val::Dec(_), Ty::Dec(_))
            | (Val::Date(_), Ty::Date)
            | (Val::Str(_), Ty::Str | Ty::Enum(_))
            | (Val::Enum(_), Ty::Enum(_))
            | (Val::Rec(_), Ty::Rec(_))
            | (Val::List(_), Ty::List(_))
    )
}

/// Decodes a record of type `rec` from a JSON value, without an entity's schema tree (a
/// registry's rows): the record (`None` when the value is not an object) and its field errors.
/// Keys not in the schema are left to the caller.
pub(crate) fn record_of_value(
    pack: &Pack,
    rec: usize,
    v: &serde_json::Value,
) -> (Option<Record>, Vec<FieldError>) {
    let mut tally = Tally::default();
    let mut d = Decoder::new(pack, &shape::EMPTY_SHAPE, false, &mut tally);
    let out = d.value(&Ty::Rec(rec), None, v).unwrap_or(None);
    let errors = std::mem::take(&mut d.errors);
    match out {
        Some(Val::Rec(r)) => (Some(*r), errors),
        _ => (None, errors),
    }
}

/// The fact at a JSON Pointer, if it is there.
pub(crate) fn value_at<'r>(
    pack: &Pack,
    rec_ty: usize,
    rec: &'r Record,
    pointer: &str,
) -> Option<&'r Val> {
    let mut parts = pointer.split('/').skip(1).peekable();
    let mut ty = rec_ty;
    let mut cur = rec;
    loop {
        let name = parts.next()?;
        let rt = pack.records.get(ty)?;
        let slot = *rt.by_name.get(name)?;
        let v = cur.slots.get(slot)?.as_ref()?;
        if parts.peek().is_none() {
            return Some(v);
        }
        match (v, &rt.fields.get(slot)?.ty) {
            (Val::Rec(r), Ty::Rec(t)) => {
                cur = r;
                ty = *t;
            }
            (Val::List(items), Ty::List(inner)) => {
                let i: usize = parts.next()?.parse().ok()?;
                let Ty::Rec(t) = inner.as_ref() else {
                    return None;
                };
                match items.get(i)? {
                    Val::Rec(r) if parts.peek().is_some() => {
                        cur = r;
                        ty = *t;
                    }
                    item if parts.peek().is_none() => return Some(item),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
}

/// Makes the fact at a JSON Pointer absent.
pub(crate) fn clear_pointer(pack: &Pack, rec_ty: usize, rec: &mut Record, pointer: &str) {
    let mut parts = pointer.split('/').skip(1).peekable();
    let mut ty = rec_ty;
    let mut cur = rec;
    while let Some(name) = parts.next() {
        let Some(rt) = pack.records.get(ty) else {
            return;
        };
        let Some(&slot) = rt.by_name.get(name) else {
            return;
        };
        let field_ty = rt.fields.get(slot).map(|f| f.ty.clone());
        let Some(cell) = cur.slots.get_mut(slot) else {
            return;
        };
        if parts.peek().is_none() {
            *cell = None;
            return;
        }
        match (cell, field_ty) {
            (Some(Val::Rec(r)), Some(Ty::Rec(t))) => {
                cur = r;
                ty = t;
            }
            (Some(Val::List(items)), Some(Ty::List(inner))) => {
                let Some(Ok(i)) = parts.next().map(str::parse::<usize>) else {
                    return;
                };
                let Ty::Rec(t) = *inner else { return };
                match items.get_mut(i) {
                    Some(Val::Rec(r)) if parts.peek().is_some() => {
                        cur = r;
                        ty = t;
                    }
                    _ => return,
                }
            }
            _ => return,
        }
    }
}

/// Sets the fact at a path of slots, creating the records on the way.
pub(crate) fn set_path(pack: &Pack, rec: &mut Record, rec_ty: usize, slots: &[usize], v: Val) {
    let Some((&first, rest)) = slots.split_first() else {
        return;
    };
    if rest.is_empty() {
        if let Some(s) = rec.slots.get_mut(first) {
            *s = Some(v);
        }
        return;
    }
    let Some(rt) = pack.records.get(rec_ty) else {
        return;
    };
    let Some(Ty::Rec(inner)) = rt.fields.get(first).map(|f| &f.ty) else {
        return;
    };
    let n = pack
        .records
        .get(*inner)
        .map(|r| r.fields.len())
        .unwrap_or(0);
    let Some(slot) = rec.slots.get_mut(first) else {
        return;
    };
    if !matches!(slot, Some(Val::Rec(_))) {
        *slot = Some(Val::Rec(Box::new(Record {
            slots: vec![None; n],
        })));
    }
    if let Some(Val::Rec(r)) = slot {
        set_path(pack, r, *inner, rest, v);
    }
}
