//! The progress report: every indicator a pack declares, for each period up to the as-of
//! date, computed from a registry the pack declares too. Nothing here knows a province: the
//! registry's collections, their registry-only fields, the indicators (filters, aggregates,
//! targets, citations), the period groups they are reported by and the disclosure policy are
//! all pack data (see the pack format in the crate's documentation).
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | [`ReportBuilder`]: rows in (JSON values, columnar batches), decoded against the row type, checked at the as-of date, evaluated per period |
//! | `plan.rs` | the periods a report covers and the accumulator of each (period, indicator) |
//! | `partial.rs` | [`ReportPartial`]: mergeable, serializable accumulators; duplicate ids across merges |
//! | `finish.rs` | accumulators → [`Report`]: values, targets, status, shortfall, disclosure control |
//! | `types.rs` | the typed [`Report`] every output reads |
//! | `render/` | the terminal table and the HTML page for officials (`format.rs`: figures, dates and labels as people write them, shared by both and by the JSON's `display`) |
//! | `read.rs` | reading a registry once, streaming: a JSON object, JSON Lines, CSV, a folder |
//!
//! Records are decoded and checked **once, at the report's date** (a founding date after it
//! is an error then, not at the end of an earlier phase); each period's indicators then use
//! the entity's decisions at the period's assessment date — the report's date, or the
//! period's last day once it is over — without raising date-relative constraint errors again.
//! After the last period the figures are those of its last day, and the report says so.
//!
//! ```
//! use htx_rules::{Date, Engine};
//! let engine = Engine::embedded().unwrap();
//! let mut b = engine.report_builder(Date::parse("2025-12-31").unwrap()).unwrap();
//! b.add("union_officials", &serde_json::json!({"id": "A", "supports_cooperatives": true, "trained": true})).unwrap();
//! let mut other = engine.report_builder(Date::parse("2025-12-31").unwrap()).unwrap();
//! other.add("union_officials", &serde_json::json!({"id": "B", "supports_cooperatives": true, "trained": false})).unwrap();
//! b.merge(other.into_partial()).unwrap(); // two halves merge into the whole
//! let report = b.finish();
//! let phase1 = &report.periods[0];
//! let trained = phase1.indicators.iter().find(|i| i.id == "union_officials_trained_share").unwrap();
//! assert_eq!(serde_json::to_value(&trained.value).unwrap(), "0.5");
//! ```

mod diff;
mod diff_render;
mod finish;
mod partial;
mod plan;
#[cfg(feature = "registry-read")]
mod read;
mod render;
mod types;

use serde_json::{Map, Value};

pub use diff::{
    CollectionDiff, DecisionDiff, DecisionState, Diff, DiffBuilder, IndicatorDiff, IndicatorState,
    RecordChange, RowChange, RowState, RowTransition, Transition,
};
pub use partial::ReportPartial;
#[cfg(feature = "registry-read")]
pub use read::{DirRegistry, RegistryFiles, RegistryFormat};
pub use types::{
    CollectionInfo, DisclosureInfo, Figure, GroupFigure, IgnoredField, IndicatorDisplay,
    IndicatorReport, MetaEntry, PackInfo, PeriodReport, RecordError, RegistryInfo, Report, Status,
};

pub use crate::model::{Aggregate, Compare};

use partial::{duplicate, encode, Effect, Located, Touch};
use plan::Plan;

use crate::codes::Code;
use crate::date::Date;
use crate::decode::columns::BatchDecoder;
use crate::decode::shape::resolve;
use crate::decode::ColumnBatch;
use crate::engine::Engine;
use crate::error::{Error, FieldError};
use crate::model::{Collection, EntityRules, Pack};
use crate::value::{Record, Ty, Val};

/// Where a row came from, for the errors found in it.
#[derive(Clone, Copy, Debug, Default)]
pub struct RowLocation<'a> {
    /// The source (a file name).
    pub source: Option<&'a str>,
    /// Line, from 1.
    pub line: Option<u64>,
    /// Column, from 1.
    pub column: Option<u64>,
    /// The row's number in its collection, from 1.
    pub record: Option<u64>,
}

/// Builds a progress report from rows added one by one or by batch, or by merging partial
/// reports built elsewhere; [`ReportBuilder::finish`] computes the [`Report`].
///
/// Memory is bounded by the report, not the registry: each row is evaluated as it comes and
/// only its id and a few bytes of its contribution are kept (to count a duplicate id once).
#[derive(Debug)]
pub struct ReportBuilder<'e> {
    engine: &'e Engine,
    plan: Plan,
    partial: ReportPartial,
    /// Rows added through [`ReportBuilder::add`], per collection (their record numbers).
    counter: Vec<u64>,
    /// Threads the readers of JSON Lines and CSV may use (1: this thread only).
    threads: usize,
    /// For a diff: the other engine's side, shown every row (see `diff.rs`).
    twin: Option<Box<diff::Twin<'e>>>,
}

impl Engine {
    /// A builder for the progress report at `as_of`. Fails when the pack declares no
    /// indicators.
    pub fn report_builder(&self, as_of: Date) -> Result<ReportBuilder<'_>, Error> {
        if self.pack.registry.indicators.is_empty() {
            return Err(Error::invalid_input(
                Code::RegistryPack,
                msg!(
                    vi: "bộ quy tắc không khai báo chỉ tiêu nào (`[[indicator]]`): không có báo cáo tiến độ",
                    en: "the pack declares no indicators (`[[indicator]]`): it has no progress report",
                ),
            ));
        }
        let plan = Plan::new(&self.pack, as_of);
        let n = self.pack.registry.collections.len();
        let partial = ReportPartial::new(plan_key(&self.pack, &plan), as_of, plan.slots.len(), n);
        Ok(ReportBuilder {
            engine: self,
            plan,
            partial,
            counter: vec![0; n],
            threads: 1,
            twin: None,
        })
    }

    /// A builder that goes on from a partial report (built here or elsewhere, e.g. merged
    /// from a cluster's workers).
    pub fn resume_report(&self, partial: ReportPartial) -> Result<ReportBuilder<'_>, Error> {
        let mut b = self.report_builder(partial.as_of())?;
        b.merge(partial)?;
        Ok(b)
    }

    /// The progress report at `as_of` from a registry given as one JSON object: the pack's
    /// collections as arrays of rows, and its metadata keys.
    ///
    /// Reading a file, prefer [`ReportBuilder::read_json`] (streaming: never the whole file
    /// as one tree).
    pub fn report(&self, registry: &Value, as_of: Date) -> Result<Report, Error> {
        let mut b = self.report_builder(as_of)?;
        b.add_registry(registry)?;
        Ok(b.finish())
    }

    /// The registry's collections (name, label), in the pack's order.
    pub fn registry_collections(&self) -> Vec<(&str, Option<&crate::text::Message>)> {
        self.pack
            .registry
            .collections
            .iter()
            .map(|c| (c.name.as_str(), c.label.as_ref()))
            .collect()
    }

    /// The entity whose records the rows of collection `name` are (`cooperatives` →
    /// `cooperative` in the Bến Tre pack), as the pack declares it. `None` for an unknown
    /// collection.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// assert_eq!(engine.collection_entity("cooperatives"), Some("cooperative"));
    /// ```
    pub fn collection_entity(&self, name: &str) -> Option<&str> {
        let c = self
            .pack
            .registry
            .collections
            .iter()
            .find(|c| c.name == name)?;
        self.pack.entities.get(c.entity).map(|e| e.name.as_str())
    }

    /// The fields of a row of collection `name` (its entity's, then the registry-only ones
    /// such as `programme.founding_supported`), flattened as [`Engine::fields`] gives them: for
    /// spreadsheet headers written with the pack's labels. `None` for an unknown collection.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let f = engine.collection_fields("cooperatives").unwrap();
    /// assert!(f.iter().any(|x| x.path == "workers.female"));
    /// assert!(f.iter().any(|x| x.path.starts_with("programme.")));
    /// ```
    pub fn collection_fields(&self, name: &str) -> Option<Vec<crate::fields::FieldInfo>> {
        let c = self
            .pack
            .registry
            .collections
            .iter()
            .find(|c| c.name == name)?;
        let mut out = Vec::new();
        crate::fields::flatten(&self.pack, c.row, "", &mut out);
        Some(out)
    }
}

/// What must match for two partials to merge: the pack and the plan's shape.
fn plan_key(pack: &Pack, plan: &Plan) -> String {
    let meta = pack.meta.first();
    // (a report under a reform merges only with one under the same reforms)
    let reforms: String = pack.reforms.iter().map(|r| format!("+{}", r.id)).collect();
    format!(
        "{}@{}{reforms}:{}x{}",
        meta.map(|m| m.id.as_str()).unwrap_or(""),
        meta.map(|m| m.version.as_str()).unwrap_or(""),
        plan.periods.len(),
        plan.slots.len(),
    )
}

impl<'e> ReportBuilder<'e> {
    fn pack(&self) -> &'e Pack {
        &self.engine.pack
    }

    /// The index of collection `name`, or an error naming the collections there are.
    pub fn collection(&self, name: &str) -> Result<usize, Error> {
        let reg = &self.pack().registry;
        reg.collections
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| {
                let known: Vec<_> = reg.collections.iter().map(|c| c.name.as_str()).collect();
                Error::invalid_input(
                    Code::RegistryShape,
                    msg!(
                        vi: format!("sổ không có danh sách `{name}` (các danh sách: {})", known.join(", ")),
                        en: format!("the registry has no collection `{name}` (collections: {})", known.join(", ")),
                    ),
                )
            })
    }

    /// The report's date.
    pub fn as_of(&self) -> Date {
        self.partial.as_of()
    }

    /// Lets the readers of JSON Lines and CSV collections use `n` threads: chunks of rows are
    /// evaluated into partial reports in parallel and merged in their order, so the report is
    /// the same as with one thread. In the browser build there is one thread whatever `n`.
    pub fn threads(&mut self, n: usize) -> &mut Self {
        self.threads = n.max(1);
        self
    }

    /// Adds one row (a JSON object) to collection `collection`. A row that is not an object
    /// becomes a record error and is not counted; bad facts are errors and treated as absent.
    pub fn add(&mut self, collection: &str, row: &Value) -> Result<(), Error> {
        let c = self.collection(collection)?;
        let record = self.next_record(c);
        self.add_at(
            c,
            row,
            RowLocation {
                record: Some(record),
                ..RowLocation::default()
            },
        );
        Ok(())
    }

    fn next_record(&mut self, c: usize) -> u64 {
        match self.counter.get_mut(c) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => 0,
        }
    }

    /// Adds one row of collection number `c` (see [`ReportBuilder::collection`]), located.
    pub fn add_at(&mut self, c: usize, row: &Value, loc: RowLocation<'_>) {
        let pack = self.pack();
        let Some(coll) = pack.registry.collections.get(c) else {
            return;
        };
        if let Some(n) = self.partial.rows.get_mut(c) {
            *n += 1;
        }
        if let Value::Object(map) = row {
            let mut found = Vec::new();
            unknown_keys(pack, coll.row, map, &mut String::new(), &mut found);
            found.sort();
            found.dedup();
            for f in found {
                self.partial.ignore(Some(&coll.name), &f, 1);
            }
        }
        match crate::decode::record_of_value(pack, coll.row, row) {
            (Some(rec), errors) => self.count(c, rec, errors, loc),
            (None, errors) => {
                let mut errors = errors;
                if errors.is_empty() || row.is_null() {
                    errors = vec![FieldError {
                        field: String::new(),
                        code: Code::RegistryRecord.into(),
                        message: msg!(
                            vi: "dòng không phải là một bản ghi (đối tượng JSON): không được tính",
                            en: "the row is not a record (a JSON object): it is not counted",
                        ),
                    }];
                }
                self.error(c, None, errors, loc);
            }
        }
    }

    /// Records a row that could not be read at all (a malformed line): counted as read, in
    /// error, not evaluated.
    pub fn add_unreadable(
        &mut self,
        c: usize,
        message: crate::text::Message,
        loc: RowLocation<'_>,
    ) {
        if let Some(n) = self.partial.rows.get_mut(c) {
            *n += 1;
        }
        let errors = vec![FieldError {
            field: String::new(),
            code: Code::RegistryRecord.into(),
            message,
        }];
        self.error(c, None, errors, loc);
    }

    /// Adds the rows of a columnar batch (columns by dotted path, cells typed by the schema)
    /// to collection `collection`; unknown columns are listed as ignored.
    pub fn add_batch(&mut self, collection: &str, batch: &ColumnBatch) -> Result<(), Error> {
        let c = self.collection(collection)?;
        self.add_batch_at(c, batch, None, &[], None)
    }

    /// Adds a columnar batch that is one part of a larger collection (a partition, a file of
    /// many): its rows are located in `source` when given, and numbered from `first_record`
    /// (the part's first row in the whole collection, from 1) so that record errors and
    /// duplicates point at the same rows as one pass over the whole would.
    pub fn add_batch_from(
        &mut self,
        collection: &str,
        batch: &ColumnBatch,
        source: Option<&str>,
        first_record: Option<u64>,
    ) -> Result<(), Error> {
        let c = self.collection(collection)?;
        self.add_batch_at(c, batch, source, &[], first_record)
    }

    /// The same, located: row `i` of the batch is at `lines[i]` of `source` when given, and
    /// is record `first_record + i` of its collection (else numbered by this builder).
    pub(crate) fn add_batch_at(
        &mut self,
        c: usize,
        batch: &ColumnBatch,
        source: Option<&str>,
        lines: &[u64],
        first_record: Option<u64>,
    ) -> Result<(), Error> {
        let pack = self.pack();
        let Some(coll) = pack.registry.collections.get(c) else {
            return Ok(());
        };
        for path in batch.paths() {
            if resolve(pack, coll.row, path).is_none() {
                self.partial
                    .ignore(Some(&coll.name), path, batch.rows() as u64);
            }
        }
        let mut rows = BatchDecoder::new(
            pack,
            &crate::decode::shape::EMPTY_SHAPE,
            coll.row,
            batch,
            false,
        )?;
        if let Some(n) = self.partial.rows.get_mut(c) {
            *n += rows.rows() as u64;
        }
        let mut errors = Vec::new();
        for i in 0..rows.rows() {
            errors.clear();
            let rec = rows.row(i, &mut errors);
            let record = match first_record {
                Some(f) => f + i as u64,
                None => self.next_record(c),
            };
            let loc = RowLocation {
                source,
                line: lines.get(i).copied(),
                column: None,
                record: Some(record),
            };
            let errs = errors.drain(..).map(|(_, e)| e).collect();
            self.count(c, rec, errs, loc);
        }
        Ok(())
    }

    /// Adds a registry given as one JSON object (collections as arrays, metadata keys).
    pub fn add_registry(&mut self, registry: &Value) -> Result<(), Error> {
        let Value::Object(map) = registry else {
            return Err(self.shape_error());
        };
        let pack = self.pack();
        let mut any = false;
        for (k, v) in map {
            if let Ok(c) = self.collection(k) {
                let Value::Array(rows) = v else {
                    return Err(Error::invalid_input(
                        Code::RegistryShape,
                        msg!(
                            vi: format!("`{k}` của sổ phải là một danh sách (mảng JSON)"),
                            en: format!("the registry's `{k}` must be a list (a JSON array)"),
                        ),
                    ));
                };
                any = true;
                for (i, row) in rows.iter().enumerate() {
                    let record = Some(i as u64 + 1);
                    self.add_at(
                        c,
                        row,
                        RowLocation {
                            record,
                            ..RowLocation::default()
                        },
                    );
                }
            } else if pack.registry.meta.iter().any(|m| m.name == *k) {
                self.set_meta(k, v);
            } else {
                self.partial.ignore(None, k, 1);
            }
        }
        if !any {
            return Err(self.shape_error());
        }
        Ok(())
    }

    fn shape_error(&self) -> Error {
        let known: Vec<_> = self
            .pack()
            .registry
            .collections
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        Error::invalid_input(
            Code::RegistryShape,
            msg!(
                vi: format!(
                    "sổ đăng ký cần là một đối tượng JSON với ít nhất một danh sách: {}",
                    known.join(", "),
                ),
                en: format!(
                    "the registry must be a JSON object with at least one of its lists: {}",
                    known.join(", "),
                ),
            ),
        )
    }

    /// Sets a metadata key of the registry (`province`, `synthetic`, …); a key the pack does
    /// not declare is listed as ignored, a value of the wrong type is an error.
    pub fn set_meta(&mut self, key: &str, value: &Value) {
        let pack = self.pack();
        let Some(field) = pack.registry.meta.iter().find(|m| m.name == key) else {
            self.partial.ignore(None, key, 1);
            return;
        };
        if value.is_null() {
            return;
        }
        match crate::decode::scalar::scalar_value(&field.ty, value, &pack.enums) {
            Ok(_) => {
                self.partial
                    .meta
                    .entry(key.to_string())
                    .or_insert_with(|| value.clone());
            }
            Err((code, message)) => self.partial.errors.push(RecordError {
                collection: None,
                record: None,
                id: None,
                source: None,
                line: None,
                column: None,
                errors: vec![FieldError {
                    field: format!("/{key}"),
                    code: code.into(),
                    message,
                }],
            }),
        }
    }

    /// Lists a key, column or file the pack does not know.
    pub fn ignore(&mut self, collection: Option<&str>, field: &str, rows: u64) {
        self.partial.ignore(collection, field, rows);
    }

    fn error(
        &mut self,
        c: usize,
        id: Option<String>,
        errors: Vec<FieldError>,
        loc: RowLocation<'_>,
    ) {
        let collection = self
            .pack()
            .registry
            .collections
            .get(c)
            .map(|x| x.name.clone());
        self.partial.errors.push(RecordError {
            collection,
            record: loc.record,
            id,
            source: loc.source.map(str::to_string),
            line: loc.line,
            column: loc.column,
            errors,
        });
    }

    /// Checks a decoded row at the report's date, then counts it once per id.
    fn count(
        &mut self,
        c: usize,
        mut rec: Record,
        mut errors: Vec<FieldError>,
        loc: RowLocation<'_>,
    ) {
        let engine = self.engine;
        if let Some(mut twin) = self.twin.take() {
            twin.row(engine, &self.plan, c, &rec, &errors, loc);
            self.twin = Some(twin);
        }
        let pack = &engine.pack;
        let Some(coll) = pack.registry.collections.get(c) else {
            return;
        };
        let Some(er) = pack.entities.get(coll.entity) else {
            return;
        };
        // a row outside the collection's scope at the report's date (a cooperative founded
        // after it) is not in the report: neither checked nor counted
        if let Some(scope) = &coll.scope {
            let mut rcx = engine.row_cx(Some(er), &rec, self.partial.as_of);
            rcx.bind_index(None);
            if rcx.truth(scope) == Some(false) {
                if let Some(n) = self.partial.out_of_scope.get_mut(c) {
                    *n += 1;
                }
                return;
            }
        }
        engine.sanitize_as(er, coll.row, &mut rec, self.partial.as_of, &mut errors);
        let id = row_id(pack, coll, &rec);
        if !errors.is_empty() {
            self.error(c, id.clone(), errors, loc);
        }
        if let Some(id) = &id {
            if self
                .partial
                .seen
                .get(c)
                .is_some_and(|s| s.contains_key(id.as_str()))
            {
                let pointer = id_pointer(pack, coll);
                self.partial.errors.push(duplicate(
                    &coll.name,
                    &pointer,
                    loc.record,
                    id,
                    loc.source.map(str::to_string),
                    loc.line,
                    loc.column,
                ));
                return;
            }
        }
        let touches = touches(engine, &self.plan, coll, er, &rec, c);
        for t in &touches {
            if let Some(acc) = self.partial.accs.get_mut(t.slot as usize) {
                acc.apply(&t.effect, false);
            }
        }
        if let Some(id) = id {
            let at = Located {
                source: loc.source.map(|s| self.partial.source_index(s)),
                line: loc.line,
                column: loc.column,
                record: loc.record,
            };
            if let Some(seen) = self.partial.seen.get_mut(c) {
                seen.insert(id.into_boxed_str(), encode(at, &touches));
            }
        }
    }

    /// Merges a partial report (of the rows after this builder's): see [`ReportPartial`].
    pub fn merge(&mut self, other: ReportPartial) -> Result<(), Error> {
        let pack = self.pack();
        let names: Vec<(String, String)> = pack
            .registry
            .collections
            .iter()
            .map(|c| (c.name.clone(), id_pointer(pack, c)))
            .collect();
        self.partial.merge_with(other, &names)
    }

    /// The partial report of the rows added so far (exact counts: not for publication).
    pub fn partial(&self) -> &ReportPartial {
        &self.partial
    }

    /// The partial report, to ship and merge elsewhere.
    pub fn into_partial(self) -> ReportPartial {
        self.partial
    }

    /// The report: values, targets, status and shortfall per period and indicator, with the
    /// disclosure policy applied to every figure it protects.
    pub fn finish(self) -> Report {
        finish::finish(self.engine, &self.plan, self.partial)
    }
}

/// The row's id (its entity's id field), as text.
fn row_id(pack: &Pack, coll: &Collection, rec: &Record) -> Option<String> {
    let slot = pack.records.get(coll.row)?.id_field?;
    match rec.slots.get(slot)?.as_ref()? {
        Val::Str(s) => Some(s.to_string()),
        Val::Enum(e) => Some(e.text.to_string()),
        Val::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// The JSON Pointer of a collection's id field.
fn id_pointer(pack: &Pack, coll: &Collection) -> String {
    pack.records
        .get(coll.row)
        .and_then(|r| r.id_field.and_then(|i| r.fields.get(i)))
        .map(|f| format!("/{}", f.name))
        .unwrap_or_default()
}

/// The keys of `map` (and of the records inside it) that record type `ty` does not have, as
/// dotted paths (list items share their list's path).
fn unknown_keys(
    pack: &Pack,
    ty: usize,
    map: &Map<String, Value>,
    prefix: &mut String,
    out: &mut Vec<String>,
) {
    let Some(rt) = pack.records.get(ty) else {
        return;
    };
    for (k, v) in map {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(k);
        // a record has few fields: a linear scan beats hashing (as in the decoder)
        match rt.fields.iter().find(|f| f.name == *k) {
            None => out.push(prefix.clone()),
            Some(f) => match (&f.ty, v) {
                (Ty::Rec(r), Value::Object(m)) => unknown_keys(pack, *r, m, prefix, out),
                (Ty::List(inner), Value::Array(items)) => {
                    if let Ty::Rec(r) = inner.as_ref() {
                        for it in items {
                            if let Value::Object(m) = it {
                                unknown_keys(pack, *r, m, prefix, out);
                            }
                        }
                    }
                }
                _ => {}
            },
        }
        prefix.truncate(len);
    }
}

/// What one row does to the accumulators: for each date its collection is assessed at, the
/// entity's decisions at that date, the collection's scope, then each indicator's filter and
/// figures.
fn touches(
    engine: &Engine,
    plan: &Plan,
    coll: &Collection,
    er: &EntityRules,
    rec: &Record,
    c: usize,
) -> Vec<Touch> {
    let reg = &engine.pack.registry;
    let mut out = Vec::new();
    for w in plan.work.get(c).map(Vec::as_slice).unwrap_or(&[]) {
        let mut rcx = engine.row_cx(Some(er), rec, w.at);
        if let Some(scope) = &coll.scope {
            rcx.bind_index(None);
            if rcx.truth(scope) == Some(false) {
                continue;
            }
        }
        for &(slot, i, index) in &w.items {
            let Some(ind) = reg.indicators.get(i) else {
                continue;
            };
            rcx.bind_index(ind.binds_index.then_some(index));
            let kept = match &ind.filter {
                Some(f) => rcx.truth(f),
                None => Some(true),
            };
            let effect = match kept {
                Some(false) => continue,
                None => Effect::Unknown,
                Some(true) => {
                    let hit = |num, den, key| Effect::Hit {
                        num,
                        den,
                        groups: 0,
                        groups_unknown: 0,
                        key,
                    };
                    match ind.aggregate {
                        crate::model::Aggregate::Count => {
                            let (mut yes, mut unk) = (0u64, 0u64);
                            for (g, b) in ind.groups.iter().enumerate() {
                                match rcx.truth(&b.when) {
                                    Some(true) => yes |= 1 << g,
                                    None => unk |= 1 << g,
                                    Some(false) => {}
                                }
                            }
                            Effect::Hit {
                                num: rust_decimal::Decimal::ZERO,
                                den: rust_decimal::Decimal::ZERO,
                                groups: yes,
                                groups_unknown: unk,
                                key: None,
                            }
                        }
                        crate::model::Aggregate::Sum => {
                            match ind.value.as_ref().and_then(|(v, _)| rcx.number(v)) {
                                Some(n) => hit(n, rust_decimal::Decimal::ZERO, None),
                                None => Effect::Unknown,
                            }
                        }
                        crate::model::Aggregate::Share => {
                            let n = ind.numerator.as_ref().and_then(|(v, _)| rcx.number(v));
                            let d = match &ind.denominator {
                                Some((v, _)) => rcx.number(v),
                                None => Some(rust_decimal::Decimal::ONE),
                            };
                            match (n, d) {
                                (Some(n), Some(d)) => hit(n, d, None),
                                _ => Effect::Unknown,
                            }
                        }
                        crate::model::Aggregate::Distinct => {
                            match ind.value.as_ref().and_then(|(v, _)| rcx.key(v)) {
                                Some(k) => hit(
                                    rust_decimal::Decimal::ZERO,
                                    rust_decimal::Decimal::ZERO,
                                    Some(k),
                                ),
                                None => Effect::Unknown,
                            }
                        }
                    }
                }
            };
            out.push(Touch { slot, effect });
        }
    }
    out
}
