//! A batch of records of one entity, decoded one at a time (from `Value`s, JSON text, CSV
//! rows), evaluated or validated, and what the batch saw said once at its end: keys not in the
//! schema, and decisions no record had the facts for.

use std::cell::Cell;
use std::sync::Mutex;

use serde_json::Value;

use super::result::{Evaluation, Validation};
use super::Engine;
use crate::codes::Code;
use crate::date::Date;
use crate::decode::shape::Shape;
use crate::decode::text::TextError;
use crate::decode::{BatchNotes, DecodedRecord, Decoder, Options, Tally, Undecidable};
use crate::error::{Error, FieldError};
use crate::model::EntityRules;
use crate::value::{Record, Val};

/// Evaluations of a batch and what the batch saw ([`Engine::evaluate_batch`]).
#[derive(Clone, Debug)]
pub struct BatchEvaluation<'e> {
    /// One evaluation per record, in input order.
    pub evaluations: Vec<Evaluation<'e>>,
    /// Keys not in the schema, and decisions no record had the facts for.
    pub notes: BatchNotes,
}

/// Records of one entity read one after another, with one tally for the batch.
///
/// ```
/// let engine = htx_rules::Engine::embedded().unwrap();
/// let as_of = htx_rules::Date::parse("2025-06-30").unwrap();
/// let mut batch = engine.batch("cooperative", Default::default()).unwrap();
/// for line in [r#"{"kind":"htx","memebrs":{"total":9}}"#, r#"{"kind":"tht"}"#] {
///     let record = batch.decode_json(line.as_bytes()).unwrap();
///     let _ = batch.evaluate(record, as_of);
/// }
/// let notes = batch.notes();
/// assert_eq!(notes.misspelled[0].key, "memebrs");
/// assert_eq!(notes.misspelled[0].suggestion.as_deref(), Some("members"));
/// ```
#[derive(Debug)]
pub struct Batch<'e> {
    engine: &'e Engine,
    er: &'e EntityRules,
    shape: &'e Shape,
    options: Options,
    tally: Tally,
    /// The record last evaluated, given back by [`Batch::evaluate`]: the next record is
    /// decoded over it ([`Decoder::root_into`]), so records of one shape allocate nothing
    /// for their facts. (A lock only for `evaluate`'s `&self`; never contended.)
    spare: Mutex<Option<Record>>,
}

thread_local! {
    /// A record to decode over for [`Engine::evaluate_json`], which makes a batch per call.
    static SPARE: Cell<Option<Record>> = const { Cell::new(None) };
}

impl<'e> Batch<'e> {
    pub(crate) fn new(
        engine: &'e Engine,
        er: &'e EntityRules,
        shape: &'e Shape,
        options: Options,
        tally: Tally,
    ) -> Batch<'e> {
        Batch {
            engine,
            er,
            shape,
            options,
            tally,
            spare: Mutex::new(None),
        }
    }

    /// Takes this thread's spare record to decode over (see [`Batch::give_back_spare`]).
    pub(crate) fn borrow_spare(&mut self) {
        if let Ok(s) = self.spare.get_mut() {
            *s = SPARE.with(Cell::take);
        }
    }

    /// Keeps the record last evaluated as this thread's spare: the next one-record call
    /// ([`Engine::evaluate_json`]) decodes over it.
    pub(crate) fn give_back_spare(&mut self) {
        if let Some(r) = self.spare.get_mut().ok().and_then(Option::take) {
            SPARE.with(|c| c.set(Some(r)));
        }
    }

    pub(crate) fn rules(&self) -> &'e EntityRules {
        self.er
    }

    /// The reading options.
    pub fn options(&self) -> Options {
        self.options
    }

    /// The entity's name.
    pub fn entity(&self) -> &'e str {
        &self.er.name
    }

    /// An empty batch like this one (same entity and options, nothing seen yet): records
    /// decoded with it on another thread are added back with [`Batch::absorb`].
    pub fn split(&self) -> Batch<'e> {
        Batch::new(
            self.engine,
            self.er,
            self.shape,
            self.options,
            self.tally.emptied(),
        )
    }

    /// Adds what `part` (a [`Batch::split`] of this batch) saw after what this batch saw:
    /// parts absorbed in input order give the same [`Batch::notes`] as one batch reading
    /// everything.
    pub fn absorb(&mut self, part: Batch<'_>) {
        self.tally.absorb(part.tally);
    }

    /// Decodes a record from a JSON value; a value that is not an object is an error.
    pub fn decode(&mut self, record: &Value) -> Result<DecodedRecord, Error> {
        let d = self.decode_any(record);
        if d.record.slots.is_empty() && is_not_object(&d.errors) {
            return Err(Error::Facts(d.errors));
        }
        Ok(d)
    }

    /// Decodes a record from a JSON value; a value that is not an object gives an empty record
    /// with an error at `""` (what validation reports).
    pub(crate) fn decode_any(&mut self, record: &Value) -> DecodedRecord {
        let mut d = Decoder::new(
            &self.engine.pack,
            self.shape,
            self.options.strict,
            &mut self.tally,
        );
        // a `Value` is always JSON: it cannot fail to deserialize; decoded over the record
        // evaluated before, as text is (see `json_attempt`)
        let reuse = self.spare.get_mut().ok().and_then(Option::take);
        let rec = d.root_into(record, reuse).unwrap_or(None);
        let errors = std::mem::take(&mut d.errors);
        let given = std::mem::take(&mut d.given);
        let within = !d.out_of_bounds;
        let mut out = self.finish(rec, errors);
        out.given = given;
        out.within_bounds = within && !out.record.slots.is_empty();
        out
    }

    /// Decodes a record from JSON text: no tree is built. Duplicate keys and `NaN`,
    /// `Infinity` or out-of-range numbers are field errors; text that is not JSON, or not an
    /// object, is an error located in the text.
    pub fn decode_json(&mut self, text: &[u8]) -> Result<DecodedRecord, TextError> {
        let d = self.decode_json_any(text)?;
        if d.record.slots.is_empty() && is_not_object(&d.errors) {
            let m = d.errors.first().map(|e| e.message.clone()).unwrap_or_else(
                || msg!(vi: "cần một đối tượng JSON", en: "expected a JSON object"),
            );
            let (line, column, offset) = first_token(text);
            return Err(TextError {
                line,
                column,
                offset,
                code: Code::FactsType,
                message: m,
            });
        }
        Ok(d)
    }

    /// The same, where a value that is not an object gives an empty record with an error.
    pub(crate) fn decode_json_any(&mut self, text: &[u8]) -> Result<DecodedRecord, TextError> {
        let records = self.tally.records;
        match self.json_attempt(text) {
            Ok(d) => Ok(d),
            Err(e) => {
                // NaN, Infinity, 1e999: not JSON, but what Python and JavaScript write; they
                // are read as a field error each
                if let Some(patched) = crate::decode::text::patch_non_finite(text) {
                    self.tally.records = records;
                    if let Ok(d) = self.json_attempt(&patched) {
                        return Ok(d);
                    }
                }
                self.tally.records = records + 1;
                Err(crate::decode::text::text_error(text, &e))
            }
        }
    }

    fn json_attempt(&mut self, text: &[u8]) -> Result<DecodedRecord, serde_json::Error> {
        // UTF-8 checked once for the whole text (fast), not string by string while parsing
        let text = std::str::from_utf8(text)
            .map_err(|_| <serde_json::Error as serde::de::Error>::custom("invalid UTF-8"))?;
        let mut de = serde_json::Deserializer::from_str(text);
        let reuse = self.spare.get_mut().ok().and_then(Option::take);
        let mut d = Decoder::new(
            &self.engine.pack,
            self.shape,
            self.options.strict,
            &mut self.tally,
        );
        let rec = d.root_into(&mut de, reuse)?;
        de.end()?;
        let errors = std::mem::take(&mut d.errors);
        let given = std::mem::take(&mut d.given);
        let within = !d.out_of_bounds;
        let mut out = self.finish(rec, errors);
        out.given = given;
        out.within_bounds = within && !out.record.slots.is_empty();
        Ok(out)
    }

    /// A decoded record with its id; a record that is not there gets the "not an object"
    /// error unless it has one.
    fn finish(&mut self, rec: Option<Record>, mut errors: Vec<FieldError>) -> DecodedRecord {
        let Some(record) = rec else {
            if errors.is_empty() {
                errors.push(FieldError {
                    field: String::new(),
                    code: Code::FactsType.into(),
                    message: msg!(vi: "cần một đối tượng JSON", en: "expected a JSON object"),
                });
            }
            return DecodedRecord {
                record: Record::default(),
                errors,
                id: None,
                given: Vec::new(),
                within_bounds: false,
            };
        };
        let id = self
            .engine
            .pack
            .records
            .get(self.er.record)
            .and_then(|rt| rt.id_field)
            .and_then(|i| record.slots.get(i))
            .and_then(|v| match v {
                Some(Val::Str(s)) => Some(s.to_string()),
                Some(Val::Enum(e)) => Some(e.text.to_string()),
                Some(Val::Int(i)) => Some(i.to_string()),
                _ => None,
            });
        DecodedRecord {
            record,
            errors,
            id,
            given: Vec::new(),
            within_bounds: false,
        }
    }

    /// Evaluates a decoded record at `as_of`: facts that fail a bound or a constraint rule are
    /// reported and treated as absent, then every decision is evaluated.
    pub fn evaluate(&self, record: DecodedRecord, as_of: Date) -> Evaluation<'e> {
        let DecodedRecord {
            mut record,
            mut errors,
            id,
            mut given,
            within_bounds,
        } = record;
        if record.slots.is_empty() {
            record = self.blank();
        }
        self.sanitize(within_bounds, &mut record, as_of, &mut errors, &mut given);
        let mut ev = self.engine.evaluate_record(self.er, &record, as_of);
        if let Ok(mut s) = self.spare.try_lock() {
            *s = Some(record);
        }
        ev.id = id;
        // a fact given but rejected is invalid, not missing: reasons say so, with the value
        super::set_invalid(&mut ev.decisions, &errors, &|p| {
            given.iter().find(|(q, _)| q == p).map(|(_, t)| t.clone())
        });
        ev.errors = errors;
        ev
    }

    /// Validates a decoded record at `as_of`: required fields, bounds, constraint rules.
    pub fn validate(&self, record: DecodedRecord, as_of: Date) -> Validation {
        let DecodedRecord {
            record, mut errors, ..
        } = record;
        if record.slots.is_empty() {
            // not an object: its error says so, nothing else to check
            return Validation {
                valid: false,
                errors,
                ignored: Vec::new(),
            };
        }
        let pack = &self.engine.pack;
        crate::validate::schema_checks(pack, self.er.record, &record, "", &mut errors);
        errors.extend(self.engine.constraint_errors(self.er, &record, as_of));
        // one error per field and code, in document order
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.field.clone(), e.code.clone())));
        Validation {
            valid: errors.is_empty(),
            errors,
            ignored: Vec::new(),
        }
    }

    /// What [`Engine::sanitize_given`] does, cheaper for a record whose facts are known to be
    /// within their bounds (decoded from JSON): no bound checks, and only the constraint rules
    /// that can find an error given the facts present ([`Shape::constraints_for`]).
    fn sanitize(
        &self,
        within_bounds: bool,
        record: &mut Record,
        as_of: Date,
        errors: &mut Vec<FieldError>,
        given: &mut Vec<(String, String)>,
    ) {
        let engine = self.engine;
        if !within_bounds {
            engine.sanitize_given(self.er, record, as_of, errors, given);
            return;
        }
        if self.er.constraints.is_empty() {
            return;
        }
        let mut which = [0usize; 32];
        let found = match self.shape.constraints_for(self.er, record, &mut which) {
            Some(0) => return,
            Some(n) => engine.constraint_errors_of(
                self.er,
                which.get(..n).unwrap_or_default(),
                record,
                as_of,
            ),
            None => engine.constraint_errors(self.er, record, as_of),
        };
        engine.distrust(self.er.record, record, found, errors, Some(given));
    }

    fn blank(&self) -> Record {
        let n = self
            .engine
            .pack
            .records
            .get(self.er.record)
            .map_or(0, |r| r.fields.len());
        Record {
            slots: vec![None; n],
        }
    }

    /// Keys not in the schema (and not close to a field) the batch saw, as dotted paths: what
    /// one record ignored, when the batch holds one record.
    pub(crate) fn ignored_keys(&self) -> Vec<String> {
        let (ignored, _, _) =
            self.tally
                .unknown_keys(self.shape, &self.er.name, self.options.strict);
        ignored.into_iter().map(|k| k.key).collect()
    }

    /// What the batch saw: keys not in the schema (ignored, or misspelled with the field
    /// meant), each once with the number of records that had it, and the decisions no record
    /// had the facts for.
    pub fn notes(&self) -> BatchNotes {
        let (ignored, misspelled, refused) =
            self.tally
                .unknown_keys(self.shape, &self.er.name, self.options.strict);
        let undecidable = match &self.tally.present {
            Some(p) if self.tally.records > 0 => undecidable(self.er, self.shape, p),
            _ => Vec::new(),
        };
        BatchNotes {
            records: self.tally.records,
            ignored,
            misspelled,
            refused,
            more_ignored: self.tally.overflow,
            undecidable,
        }
    }

    /// The decisions that no record can decide when the records' fields are `paths` (a CSV's
    /// headers, a table's columns): said before reading, when the fields are known.
    pub fn undecidable_with(&self, paths: &[&str]) -> Vec<Undecidable> {
        let mut available = vec![false; self.shape.nodes.len()];
        for p in paths {
            let Some(node) = self.shape.node_of_path(p) else {
                continue;
            };
            for (i, a) in available.iter_mut().enumerate() {
                if self.shape.contains(i, node) || self.shape.contains(node, i) {
                    *a = true;
                }
            }
        }
        undecidable(self.er, self.shape, &available)
    }
}

fn is_not_object(errors: &[FieldError]) -> bool {
    errors
        .first()
        .is_some_and(|e| e.field.is_empty() && e.code == Code::FactsType.as_str())
        || errors
            .first()
            .is_some_and(|e| e.field.is_empty() && e.code == Code::FactsNonFinite.as_str())
}

/// Line, column and offset of the first token of a text (where a value starts).
fn first_token(text: &[u8]) -> (usize, usize, usize) {
    let mut line = 1;
    let mut col = 1;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'\n' => {
                line += 1;
                col = 1;
            }
            b' ' | b'\t' | b'\r' => col += 1,
            0xEF if i == 0 => {}
            0xBB | 0xBF if i < 3 => {}
            _ => return (line, col, i),
        }
    }
    (line, col, text.len())
}

/// The decisions of `er` that need a field no record has (`available` per node).
pub(crate) fn undecidable(er: &EntityRules, shape: &Shape, available: &[bool]) -> Vec<Undecidable> {
    let mut out = Vec::new();
    for (k, &i) in er.outputs.iter().enumerate() {
        let Some(rule) = er.rules.get(i) else {
            continue;
        };
        let lacking: Vec<usize> = shape
            .needs
            .get(k)
            .map(|n| {
                n.iter()
                    .copied()
                    .filter(|&x| !available.get(x).copied().unwrap_or(false))
                    .collect()
            })
            .unwrap_or_default();
        if lacking.is_empty() {
            continue;
        }
        let nodes: Vec<_> = lacking.iter().filter_map(|&x| shape.nodes.get(x)).collect();
        let list = |vi: bool| {
            nodes
                .iter()
                .map(|n| {
                    let label = if vi { &n.label.vi } else { &n.label.en };
                    format!("{label} ({})", n.path)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let title = rule
            .title
            .clone()
            .unwrap_or_else(|| msg!(vi: rule.name.clone(), en: rule.name.clone()));
        out.push(Undecidable {
            decision: rule.name.clone(),
            fields: nodes.iter().map(|n| n.path.clone()).collect(),
            message: msg!(
                vi: format!(
                    "Không xác định được «{}» ({}) cho bản ghi nào: không bản ghi nào có {}",
                    title.vi,
                    rule.name,
                    list(true),
                ),
                en: format!(
                    "“{}” ({}) cannot be decided for any record: no record has {}",
                    title.en,
                    rule.name,
                    list(false),
                ),
            ),
        });
    }
    out
}

/// A CSV column resolved against the schema, once, from its header.
#[cfg(feature = "csv")]
#[derive(Clone, Debug)]
pub(crate) enum CsvColumn {
    /// A field: its node, slots from the entity, type, and JSON Pointer.
    Field {
        node: usize,
        slots: Vec<usize>,
        ty: crate::value::Ty,
        ptr: String,
    },
    /// Not in the schema: its note in the tally, and the error each record with a value in it
    /// gets (a misspelled field; any column when strict).
    Unknown {
        note: usize,
        ptr: String,
        error: Option<(Code, crate::text::Message)>,
    },
    /// A header left empty.
    Blank,
}

#[cfg(feature = "csv")]
impl CsvColumn {
    /// The dotted path of a known field (`workers.female`, from its pointer `/workers/female`).
    pub(crate) fn path(&self) -> Option<String> {
        match self {
            CsvColumn::Field { ptr, .. } => ptr.get(1..).map(|p| p.replace('/', ".")),
            _ => None,
        }
    }
}

#[cfg(feature = "csv")]
impl Batch<'_> {
    /// Resolves a CSV header (a dotted path such as `workers.female`).
    pub(crate) fn csv_column(&mut self, header: &str) -> CsvColumn {
        let h = header.trim();
        if h.is_empty() {
            return CsvColumn::Blank;
        }
        let ptr = format!("/{}", h.split('.').collect::<Vec<_>>().join("/"));
        let engine = self.engine;
        let pack = &engine.pack;
        if let (Some(node), Some((slots, ty))) = (
            self.shape.node_of_path(h),
            crate::decode::shape::resolve(pack, self.er.record, h),
        ) {
            return CsvColumn::Field {
                node,
                slots,
                ty,
                ptr,
            };
        }
        let (note, suggestion, scope) = self.tally.note_path(self.shape, h);
        let key = {
            let base = self.shape.nodes.get(scope).map_or("", |n| n.path.as_str());
            if base.is_empty() {
                h.to_string()
            } else {
                h.strip_prefix(base)
                    .and_then(|r| r.strip_prefix('.'))
                    .unwrap_or(h)
                    .to_string()
            }
        };
        if let Some(n) = self.tally.notes.get_mut(note) {
            // counted by the rows that have a value in it
            n.records = 0;
        }
        let rt = self
            .shape
            .nodes
            .get(scope)
            .and_then(|n| n.record)
            .and_then(|r| pack.records.get(r));
        let error = rt.and_then(|rt| {
            crate::decode::json::unknown_message(
                self.shape,
                rt,
                scope,
                &key,
                suggestion,
                self.options.strict,
            )
        });
        CsvColumn::Unknown { note, ptr, error }
    }

    /// Decodes one CSV row against its resolved columns: empty cells are absent; lists and
    /// records are JSON in a cell; everything else is typed by the schema (an id `00123`
    /// stays text).
    pub(crate) fn csv_row<'c>(
        &mut self,
        columns: &[CsvColumn],
        cells: impl Iterator<Item = &'c str>,
    ) -> DecodedRecord {
        self.tally.records += 1;
        let mut rec = self.blank();
        let mut errors: Vec<FieldError> = Vec::new();
        let engine = self.engine;
        let pack = &engine.pack;
        for (col, cell) in columns.iter().zip(cells) {
            let c = cell.trim();
            if c.is_empty() {
                continue;
            }
            match col {
                CsvColumn::Field {
                    node,
                    slots,
                    ty,
                    ptr,
                } => {
                    let v = match ty {
                        crate::value::Ty::Rec(_) | crate::value::Ty::List(_) => {
                            let mut d = Decoder::new(
                                pack,
                                self.shape,
                                self.options.strict,
                                &mut self.tally,
                            );
                            d.set_pointer(ptr);
                            let mut de = serde_json::Deserializer::from_str(c);
                            let v = d.value(ty, Some(*node), &mut de).and_then(|v| {
                                de.end()?;
                                Ok(v)
                            });
                            let mut errs = std::mem::take(&mut d.errors);
                            match v {
                                Ok(v) => {
                                    errors.append(&mut errs);
                                    v
                                }
                                Err(e) => {
                                    let t = crate::decode::text::text_error(c.as_bytes(), &e);
                                    errors.push(FieldError {
                                        field: ptr.clone(),
                                        code: Code::FactsType.into(),
                                        message: msg!(
                                            vi: format!("ô không chứa JSON hợp lệ ({})", t.message.vi),
                                            en: format!("the cell is not valid JSON ({})", t.message.en),
                                        ),
                                    });
                                    None
                                }
                            }
                        }
                        crate::value::Ty::Int | crate::value::Ty::Dec(_)
                            if crate::decode::scalar::is_non_finite_text(c) =>
                        {
                            let (code, message) = crate::decode::scalar::non_finite(c);
                            errors.push(FieldError {
                                field: ptr.clone(),
                                code: code.into(),
                                message,
                            });
                            None
                        }
                        ty => match crate::decode::scalar::text_cell(ty, c, &pack.enums) {
                            Ok(v) => Some(v),
                            Err((code, message)) => {
                                errors.push(FieldError {
                                    field: ptr.clone(),
                                    code: code.into(),
                                    message,
                                });
                                None
                            }
                        },
                    };
                    if let Some(v) = v {
                        if let Some(p) = self.tally.present.as_mut() {
                            if let Some(b) = p.get_mut(*node) {
                                *b = true;
                            }
                        }
                        crate::decode::set_path(pack, &mut rec, self.er.record, slots, v);
                    }
                }
                CsvColumn::Unknown { note, ptr, error } => {
                    if let Some(n) = self.tally.notes.get_mut(*note) {
                        n.records += 1;
                    }
                    if let Some((code, message)) = error {
                        errors.push(FieldError {
                            field: ptr.clone(),
                            code: (*code).into(),
                            message: message.clone(),
                        });
                    }
                }
                CsvColumn::Blank => {}
            }
        }
        self.finish(Some(rec), errors)
    }
}
