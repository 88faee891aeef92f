//! The engine: a compiled pack and the operations on it — the public API the command line
//! and the bindings call. What the operations return is in `result.rs`, running rules in
//! `run.rs`, decoding facts in [`crate::decode`], describing fields in [`crate::fields`].

mod batch;
#[cfg(feature = "compiled")]
mod compiled;
#[cfg(test)]
mod reasons_tests;
mod result;
mod run;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

pub use crate::decode::{Column, ColumnBatch};
#[cfg(feature = "csv")]
pub(crate) use batch::CsvColumn;
pub use batch::{Batch, BatchEvaluation};
use result::Invalid;
pub use result::{
    ColumnarResult, Decision, Evaluation, Explanation, JsonWriter, Outcome, Scalar, Validation,
};

use crate::codes::Code;
use crate::date::Date;
use crate::decisions::DecisionInfo;
use crate::decode::columns::BatchDecoder;
use crate::decode::shape::Shape;
use crate::decode::{Options, Tally};
use crate::error::{Error, FieldError};
use crate::expr::lower::Lowered;
use crate::fields::FieldInfo;
use crate::limits::PackLimits;
use crate::model::{EntityRules, Pack, PackMeta, ReformInfo};
use crate::outputs::OutputType;
use crate::pack::check;
use crate::pack::source::{DirLoader, EmbeddedLoader, MemoryLoader, PackFiles, PackLoader};
use crate::pack::Reform;
use crate::text::Message;
use crate::value::Record;

/// The id of the embedded default pack (Kế hoạch 2747/KH-UBND, Bến Tre).
pub const DEFAULT_PACK: &str = "ben-tre-2747";

/// A loaded, checked and compiled rule pack, ready to evaluate facts.
///
/// `Engine` is `Send + Sync` (checked at compile time): load it once and share it, e.g. in an
/// `Arc`, across threads; every method takes `&self`.
///
/// ```
/// use htx_rules::{Engine, Date, Outcome};
/// let engine = Engine::embedded().unwrap();
/// let coop = serde_json::json!({
///     "id": "BT-HTX-0001", "kind": "htx",
///     "workers": { "total": 40, "female": 31 },
///     "managers": [ { "role": "board_chair", "gender": "female" } ]
/// });
/// let r = engine.evaluate("cooperative", &coop, Date::parse("2025-06-30").unwrap()).unwrap();
/// assert_eq!(r.decision("women_managed").unwrap().outcome(), Outcome::Yes);
/// assert_eq!(r.decision("many_female_jobs").unwrap().outcome(), Outcome::Yes);
/// ```
#[derive(Debug)]
pub struct Engine {
    pub(crate) pack: Pack,
    /// Each entity's schema as a tree of fields, and what its decisions need (by entity index).
    pub(crate) shapes: Vec<Shape>,
    /// The files the pack was loaded from, to load it again under a reform.
    origin: Arc<Origin>,
    /// The reforms laid over it, in order.
    reforms: Vec<Reform>,
    /// Each entity's rules in their lowered form (by entity index), built at first use.
    lowered: OnceLock<Box<[Lowered]>>,
}

/// What an engine was loaded from: every file the loader gave, per pack, and the caps.
#[derive(Debug)]
struct Origin {
    root: String,
    limits: PackLimits,
    packs: Vec<(String, PackFiles)>,
}

impl PackLoader for Origin {
    fn load(&self, id: &str, _limits: &PackLimits) -> Option<PackFiles> {
        self.packs
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, f)| f.clone())
    }
}

/// A loader that remembers what it handed out (for [`Origin`]).
struct Recorder<'a> {
    inner: &'a dyn PackLoader,
    got: std::sync::Mutex<Vec<(String, PackFiles)>>,
}

impl PackLoader for Recorder<'_> {
    fn load(&self, id: &str, limits: &PackLimits) -> Option<PackFiles> {
        let files = self.inner.load(id, limits)?;
        if let Ok(mut got) = self.got.lock() {
            got.push((id.to_string(), files.clone()));
        }
        Some(files)
    }
}

impl Engine {
    /// The embedded Bến Tre pack (Kế hoạch 2747/KH-UBND) with the national-law pack it imports.
    pub fn embedded() -> Result<Engine, Error> {
        Engine::from_loader(&EmbeddedLoader, DEFAULT_PACK)
    }

    /// A pack folder on disk; imports are sibling folders.
    ///
    /// ```
    /// let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/ben-tre-2747");
    /// let engine = htx_rules::Engine::from_dir(&dir).unwrap();
    /// assert!(engine.entities().contains(&"cooperative"));
    /// ```
    pub fn from_dir(path: &Path) -> Result<Engine, Error> {
        let path = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let id = abs
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        Engine::from_loader(&DirLoader { base }, &id)
    }

    /// Packs handed in as text: keys `"pack-id/file.toml"`; `root` is the pack to load.
    ///
    /// A mistake is reported with its file, line and column:
    /// ```
    /// use std::collections::BTreeMap;
    /// let mut files = BTreeMap::new();
    /// files.insert("p/pack.toml".to_string(), "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string());
    /// files.insert("p/rules.toml".to_string(), "[[entity]]\nname = \"e\"\nfields = [{ name = \"n\", type = \"integer\" }]\n\n[[rule]]\nname = \"big\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"n >> 3\"\ncite = { document = \"t\", section = \"1\" }\n".to_string());
    /// let err = htx_rules::Engine::from_sources(&files, "p").unwrap_err();
    /// let d = &err.diagnostics()[0];
    /// assert_eq!((d.file.as_str(), d.line, d.column, d.code.as_str()), ("p/rules.toml", 9, 12, "expr.syntax"));
    /// ```
    pub fn from_sources(
        files: &std::collections::BTreeMap<String, String>,
        root: &str,
    ) -> Result<Engine, Error> {
        Engine::from_loader(
            &MemoryLoader {
                files: files.clone(),
            },
            root,
        )
    }

    /// Any loader, within the default [`PackLimits`].
    pub fn from_loader(loader: &dyn PackLoader, root: &str) -> Result<Engine, Error> {
        Engine::from_loader_limited(loader, root, &PackLimits::DEFAULT)
    }

    /// Any loader, within caps of the caller's choosing (see [`crate::limits`]): a pack over
    /// one gives a `pack.limit` diagnostic and is not checked further.
    ///
    /// ```
    /// use htx_rules::{limits::PackLimits, pack::source::EmbeddedLoader, Engine};
    /// let tight = PackLimits { rules: 3, ..PackLimits::DEFAULT };
    /// let err = Engine::from_loader_limited(&EmbeddedLoader, "ben-tre-2747", &tight).unwrap_err();
    /// assert!(err.diagnostics().iter().any(|d| d.code == "pack.limit"));
    /// ```
    pub fn from_loader_limited(
        loader: &dyn PackLoader,
        root: &str,
        limits: &PackLimits,
    ) -> Result<Engine, Error> {
        let recorder = Recorder {
            inner: loader,
            got: std::sync::Mutex::new(Vec::new()),
        };
        let pack = check::load(&recorder, root, limits, &[])?;
        let shapes = shapes_of(&pack);
        let packs = recorder.got.into_inner().unwrap_or_default();
        Ok(Engine {
            pack,
            shapes,
            lowered: OnceLock::new(),
            origin: Arc::new(Origin {
                root: root.to_string(),
                limits: *limits,
                packs,
            }),
            reforms: Vec::new(),
        })
    }

    /// This engine's pack with `reform` laid over it (after the reforms it already has): a
    /// new engine; this one is unchanged. The reform is checked like a pack file — its
    /// problems, and those it causes in the pack (a rule that no longer type-checks, a
    /// threshold that no longer matches its cited wording), come back as a pack error with
    /// the reform file's line and column.
    ///
    /// ```
    /// use htx_rules::{Date, Engine, Outcome, pack::Reform};
    /// let law_2012 = Reform::from_toml("htx-min-7.toml", r#"
    /// [reform]
    /// id = "htx-min-7"
    /// title = { vi = "HTX cần ít nhất 7 thành viên", en = "An HTX needs 7 members" }
    /// cite = { document = "Dự thảo", section = "Điều 1", wording = "ít nhất 07 thành viên" }
    ///
    /// [[parameter]]
    /// name = "htx_min_members"
    /// values = [{ from = "2024-07-01", value = 7 }]
    /// "#);
    /// let base = Engine::embedded().unwrap();
    /// let reformed = base.with_reform(&law_2012).unwrap();
    /// let coop = serde_json::json!({ "kind": "htx", "members": { "total": 6 } });
    /// let as_of = Date::parse("2025-06-30").unwrap();
    /// let before = base.evaluate("cooperative", &coop, as_of).unwrap();
    /// let after = reformed.evaluate("cooperative", &coop, as_of).unwrap();
    /// assert_eq!(before.decision("meets_membership_minimum").unwrap().outcome(), Outcome::Yes);
    /// assert_eq!(after.decision("meets_membership_minimum").unwrap().outcome(), Outcome::No);
    /// assert_eq!(after.decision("meets_membership_minimum").unwrap().reforms()[0].id, "htx-min-7");
    /// ```
    pub fn with_reform(&self, reform: &Reform) -> Result<Engine, Error> {
        if self.origin.packs.is_empty() {
            // loaded from a compiled pack: the texts the reform is checked against are not here
            return Err(Error::Input {
                line: 0,
                column: 0,
                field: None,
                code: Code::ReformCompiled.as_str(),
                message: msg!(
                    vi: "Không áp dụng được cải cách: bộ quy tắc này được nạp từ gói luật đã biên dịch, không có các tệp của gói để kiểm tra lại; hãy nạp gói từ các tệp của nó",
                    en: "Cannot apply a reform: this engine was loaded from a compiled pack, without the pack's files to check it against; load the pack from its files",
                ),
            });
        }
        let mut reforms = self.reforms.clone();
        reforms.push(reform.clone());
        let o = &self.origin;
        let pack = check::load(o.as_ref(), &o.root, &o.limits, &reforms)?;
        Ok(Engine {
            shapes: shapes_of(&pack),
            pack,
            origin: Arc::clone(&self.origin),
            reforms,
            lowered: OnceLock::new(),
        })
    }

    /// The reforms laid over this engine's pack, in order (none for a pack as written).
    pub fn reforms(&self) -> &[ReformInfo] {
        &self.pack.reforms
    }

    /// The reforms' sources, as given to [`Engine::with_reform`] (to rebuild the engine
    /// elsewhere).
    pub fn reform_sources(&self) -> &[Reform] {
        &self.reforms
    }

    /// What the checker found in the pack that does not stop it from loading, each with
    /// `file:line:col` and a `lint.*` code: an outcome's messages with no wording sure to be
    /// usable, a wording never used, a field a rule reads without a label, a rule people see
    /// without a title. `htx-rules check` prints them; the shipped packs have none.
    pub fn warnings(&self) -> &[crate::error::Diagnostic] {
        &self.pack.warnings
    }

    /// Metadata of the loaded packs (the root first).
    pub fn packs(&self) -> &[PackMeta] {
        &self.pack.meta
    }

    /// Entity names.
    pub fn entities(&self) -> Vec<&str> {
        self.pack.entities.iter().map(|e| e.name.as_str()).collect()
    }

    /// Names of the decisions output for `entity`, in pack order.
    pub fn decision_names(&self, entity: &str) -> Result<Vec<&str>, Error> {
        let er = self.entity(entity)?;
        Ok(er
            .outputs
            .iter()
            .filter_map(|&i| er.rules.get(i))
            .map(|r| r.name.as_str())
            .collect())
    }

    /// What the pack calls `entity`, in Vietnamese and English (e.g. "Hợp tác xã / tổ hợp
    /// tác"), when it gives a label; `None` too for an unknown entity.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// assert_eq!(engine.entity_label("person").unwrap().vi, "Người");
    /// ```
    pub fn entity_label(&self, entity: &str) -> Option<Message> {
        let er = self.entity(entity).ok()?;
        self.pack.records.get(er.record)?.label.clone()
    }

    pub(crate) fn entity(&self, name: &str) -> Result<&EntityRules, Error> {
        // a pack has a few entities: comparing names is cheaper than hashing one
        let found = if self.pack.entities.len() <= 8 {
            self.pack.entities.iter().find(|e| e.name == name)
        } else {
            self.pack
                .entity_by_name
                .get(name)
                .and_then(|&i| self.pack.entities.get(i))
        };
        found.ok_or_else(|| Error::UnknownEntity(name.to_string()))
    }

    /// An entity's rules and schema tree.
    pub(crate) fn entity_shape(&self, name: &str) -> Result<(&EntityRules, &Shape), Error> {
        let i = self
            .pack
            .entity_by_name
            .get(name)
            .copied()
            .ok_or_else(|| Error::UnknownEntity(name.to_string()))?;
        match (self.pack.entities.get(i), self.shapes.get(i)) {
            (Some(er), Some(sh)) => Ok((er, sh)),
            _ => Err(Error::UnknownEntity(name.to_string())),
        }
    }

    /// Decodes facts for `entity` (malformed fields become errors and are treated as absent).
    /// Facts that fail a bound or a constraint rule are reported and treated as absent too.
    pub fn decode(
        &self,
        entity: &str,
        record: &Value,
        as_of: Date,
    ) -> Result<(Record, Vec<FieldError>), Error> {
        let mut b = self.one(entity, Options::default())?;
        let mut d = b.decode(record)?;
        self.sanitize(b.rules(), &mut d.record, as_of, &mut d.errors);
        Ok((d.record, d.errors))
    }

    /// Evaluates every decision of `entity` on one record at `as_of`. Keys that are not in the
    /// schema are ignored ([`Evaluation::ignored`] lists them), except those that look like a
    /// field written another way or misspelled: those are errors that name the field meant.
    pub fn evaluate(
        &self,
        entity: &str,
        record: &Value,
        as_of: Date,
    ) -> Result<Evaluation<'_>, Error> {
        self.evaluate_with(entity, record, as_of, Options::default())
    }

    /// [`Engine::evaluate`] with reading options (strict: keys not in the schema are errors).
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let as_of = htx_rules::Date::parse("2025-06-30").unwrap();
    /// let coop = serde_json::json!({"kind": "htx", "workers_female": 30, "phone": "0275 3822 123"});
    /// let r = engine.evaluate("cooperative", &coop, as_of).unwrap();
    /// assert_eq!(r.errors()[0].field, "/workers_female");
    /// assert!(r.errors()[0].message.en.contains("did you mean `workers.female`"));
    /// assert_eq!(r.ignored(), ["phone"]);
    /// let strict = engine.evaluate_with("cooperative", &coop, as_of, htx_rules::Options::strict()).unwrap();
    /// assert_eq!(strict.errors()[1].field, "/phone");
    /// ```
    pub fn evaluate_with(
        &self,
        entity: &str,
        record: &Value,
        as_of: Date,
        options: Options,
    ) -> Result<Evaluation<'_>, Error> {
        let mut b = self.one(entity, options)?;
        // decoded over the record this thread evaluated last (no allocation for its facts)
        b.borrow_spare();
        let d = b.decode(record)?;
        let mut ev = b.evaluate(d, as_of);
        b.give_back_spare();
        ev.ignored = b.ignored_keys();
        Ok(ev)
    }

    /// Evaluates one record given as JSON text: the fast path from text (no tree is built), and
    /// the one that sees duplicate keys and `NaN`/`Infinity` (field errors). Text that is not
    /// JSON is an input error with its line and column.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let as_of = htx_rules::Date::parse("2025-06-30").unwrap();
    /// let text = r#"{"kind": "htx", "workers": {"total": 40, "female": 31, "female": 3}}"#;
    /// let r = engine.evaluate_json("cooperative", text.as_bytes(), as_of, Default::default()).unwrap();
    /// assert_eq!(r.errors()[0].code, "facts.duplicate_key");
    /// assert_eq!(r.decision("many_female_jobs").unwrap().outcome().as_str(), "unknown");
    /// ```
    pub fn evaluate_json(
        &self,
        entity: &str,
        text: &[u8],
        as_of: Date,
        options: Options,
    ) -> Result<Evaluation<'_>, Error> {
        let mut b = self.one(entity, options)?;
        // decoded over the record this thread evaluated last (no allocation for its facts)
        b.borrow_spare();
        let d = b.decode_json(text).map_err(|e| e.into_error())?;
        let mut ev = b.evaluate(d, as_of);
        b.give_back_spare();
        ev.ignored = b.ignored_keys();
        Ok(ev)
    }

    /// Evaluates many records (in input order).
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let coops = [serde_json::json!({"id": "a", "kind": "tht", "members": {"total": 2}, "established_on": "2024-01-10"}),
    ///              serde_json::json!({"id": "b", "kind": "htx", "members": {"total": 4}, "established_on": "2024-07-01"})];
    /// let as_of = htx_rules::Date::parse("2025-01-01").unwrap();
    /// let out = engine.evaluate_many("cooperative", &coops, as_of).unwrap();
    /// let min: Vec<_> = out.iter().map(|e| e.decision("meets_membership_minimum").unwrap().outcome().as_str()).collect();
    /// assert_eq!(min, ["yes", "no"]); // a THT needs 2; an HTX founded from 1/7/2024 needs 5
    /// ```
    pub fn evaluate_many(
        &self,
        entity: &str,
        records: &[Value],
        as_of: Date,
    ) -> Result<Vec<Evaluation<'_>>, Error> {
        records
            .iter()
            .map(|r| self.evaluate(entity, r, as_of))
            .collect()
    }

    /// Evaluates many records, and says once for the batch which keys were not in the schema
    /// and which decisions no record had the facts for.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let as_of = htx_rules::Date::parse("2025-06-30").unwrap();
    /// let rows = [serde_json::json!({"kind": "htx", "workers": {"total": 10}, "phone": "1"}),
    ///             serde_json::json!({"kind": "tht", "workers": {"total": 12}, "phone": "2"})];
    /// let out = engine.evaluate_batch("cooperative", &rows, as_of, Default::default()).unwrap();
    /// assert_eq!(out.notes.ignored[0].key, "phone");
    /// assert_eq!(out.notes.ignored[0].records, 2);
    /// let many = out.notes.undecidable.iter().find(|u| u.decision == "many_female_jobs").unwrap();
    /// assert_eq!(many.fields, ["workers.female"]);
    /// ```
    pub fn evaluate_batch(
        &self,
        entity: &str,
        records: &[Value],
        as_of: Date,
        options: Options,
    ) -> Result<BatchEvaluation<'_>, Error> {
        let mut b = self.batch(entity, options)?;
        let mut evaluations = Vec::with_capacity(records.len());
        for r in records {
            let d = b.decode(r)?;
            evaluations.push(b.evaluate(d, as_of));
        }
        Ok(BatchEvaluation {
            evaluations,
            notes: b.notes(),
        })
    }

    /// Evaluates decoded facts (the fast path: no JSON).
    pub fn evaluate_decoded(
        &self,
        entity: &str,
        record: &Record,
        as_of: Date,
    ) -> Result<Evaluation<'_>, Error> {
        let er = self.entity(entity)?;
        Ok(self.evaluate_record(er, record, as_of))
    }

    /// The outcome and value of each decision of `entity` on a decoded record, in the order
    /// of [`Engine::decision_names`], into `out` (cleared first): the answers of
    /// [`Engine::evaluate_decoded`] without reasons or missing facts, for callers that need
    /// only answers (compact outputs, columns). Reusing `out` from record to record, it
    /// allocates nothing for the usual pack (a text value aside).
    ///
    /// ```
    /// use htx_rules::{Date, Engine, Outcome, Scalar};
    /// let engine = Engine::embedded().unwrap();
    /// let as_of = Date::parse("2025-06-30").unwrap();
    /// let coop = serde_json::json!({ "kind": "htx", "workers": { "total": 40, "female": 31 } });
    /// let (record, _) = engine.decode("cooperative", &coop, as_of).unwrap();
    /// let mut out = Vec::new();
    /// engine.evaluate_decoded_outcomes("cooperative", &record, as_of, &mut out).unwrap();
    /// let names = engine.decision_names("cooperative").unwrap();
    /// let k = names.iter().position(|n| *n == "many_female_jobs").unwrap();
    /// assert_eq!(out[k].0, Outcome::Yes);
    /// assert_eq!(out[k].1, Some(Scalar::Decimal("0.775".parse().unwrap())));
    /// ```
    pub fn evaluate_decoded_outcomes(
        &self,
        entity: &str,
        record: &Record,
        as_of: Date,
        out: &mut Vec<(Outcome, Option<Scalar>)>,
    ) -> Result<(), Error> {
        let er = self.entity(entity)?;
        self.outcomes(er, record, as_of, out);
        Ok(())
    }

    /// Evaluates a columnar batch (pandas / Arrow): one outcome and value column per decision.
    /// Columns that are not in the schema are in `notes` (ignored, or misspelled with the
    /// field meant), and so are decisions that no column can decide.
    pub fn evaluate_columns(
        &self,
        entity: &str,
        batch: &ColumnBatch,
        as_of: Date,
    ) -> Result<ColumnarResult, Error> {
        self.evaluate_columns_with(entity, batch, as_of, Options::default())
    }

    /// [`Engine::evaluate_columns`] with reading options: when strict, columns not in the
    /// schema make the batch an error, as misspelled ones always do.
    ///
    /// ```
    /// use htx_rules::{Column, ColumnBatch, Engine, Date};
    /// let engine = Engine::embedded().unwrap();
    /// let mut batch = ColumnBatch::new(1);
    /// batch.push("kind", Column::Text(vec![Some("htx".into())]));
    /// batch.push("workers_female", Column::Int(vec![Some(3)]));
    /// let err = engine.evaluate_columns("cooperative", &batch, Date::parse("2025-06-30").unwrap()).unwrap_err();
    /// assert_eq!(err.field_errors()[0].field, "/workers_female");
    /// assert!(err.field_errors()[0].message.en.contains("did you mean `workers.female`"));
    /// ```
    pub fn evaluate_columns_with(
        &self,
        entity: &str,
        batch: &ColumnBatch,
        as_of: Date,
        options: Options,
    ) -> Result<ColumnarResult, Error> {
        let (er, shape) = self.entity_shape(entity)?;
        if self.pack.records.get(er.record).is_none() {
            return Err(Error::UnknownEntity(entity.into()));
        }
        let mut rows = BatchDecoder::new(&self.pack, shape, er.record, batch, options.strict)?;
        // a misspelled column (or, when strict, any column not in the schema) is an error of
        // the whole batch: every row would silently lack that fact
        let (_, misspelled, refused) = rows.tally.unknown_keys(shape, &er.name, options.strict);
        if let Some(e) = refusal(&misspelled, &refused) {
            return Err(e);
        }
        let names: Vec<String> = er
            .outputs
            .iter()
            .filter_map(|&i| er.rules.get(i))
            .map(|r| r.name.clone())
            .collect();
        let undecidable = batch::undecidable(er, shape, &rows.available);
        let mut res = ColumnarResult {
            names,
            outcomes: vec![Vec::with_capacity(rows.rows()); er.outputs.len()],
            values: vec![Vec::with_capacity(rows.rows()); er.outputs.len()],
            errors: Vec::new(),
            notes: Default::default(),
        };
        let mut outs = Vec::with_capacity(er.outputs.len());
        // one record for the batch, each row decoded over the last (no allocation per row
        // when rows have the same shape)
        let mut rec = rows.blank();
        let mut row_errors = Vec::new();
        rows.plan_constraints(er);
        let mut constraints = Vec::with_capacity(er.constraints.len());
        for row in 0..rows.rows() {
            rows.row_into(row, &mut res.errors, &mut rec);
            if rows.within_bounds(&rec) {
                // what `sanitize` does when no bound fails: the constraint rules, less those
                // that lack a fact they need in this row
                rows.constraints_for(&rec, &er.constraints, &mut constraints);
                if !constraints.is_empty() {
                    let found = self.constraint_errors_of(er, &constraints, &rec, as_of);
                    self.distrust(er.record, &mut rec, found, &mut row_errors, None);
                }
            } else {
                self.sanitize(er, &mut rec, as_of, &mut row_errors);
            }
            res.errors.extend(row_errors.drain(..).map(|e| (row, e)));
            self.outcomes(er, &rec, as_of, &mut outs);
            for (k, (outcome, value)) in outs.drain(..).enumerate() {
                if let Some(c) = res.outcomes.get_mut(k) {
                    c.push(outcome);
                }
                if let Some(c) = res.values.get_mut(k) {
                    c.push(value);
                }
            }
        }
        let (ignored, misspelled, refused) =
            rows.tally.unknown_keys(shape, &er.name, options.strict);
        res.notes = crate::decode::BatchNotes {
            records: rows.rows(),
            ignored,
            misspelled,
            refused,
            more_ignored: rows.tally.overflow,
            undecidable,
        };
        Ok(res)
    }

    /// What a table's columns (dotted paths) say before any row is read: columns not in the
    /// schema (ignored) and decisions no column can decide; a misspelled column (or, when
    /// strict, any column not in the schema) is an error. For callers that read columns
    /// themselves (Arrow, DataFrames) and pass only the schema's to the core.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let notes = engine.check_columns("cooperative", &["id", "kind", "phone", "workers.total"], Default::default()).unwrap();
    /// assert_eq!(notes.ignored[0].key, "phone");
    /// assert!(notes.undecidable.iter().any(|u| u.decision == "many_female_jobs"));
    /// let err = engine.check_columns("cooperative", &["workers_female"], Default::default()).unwrap_err();
    /// assert!(err.field_errors()[0].message.en.contains("did you mean `workers.female`"));
    /// ```
    pub fn check_columns(
        &self,
        entity: &str,
        paths: &[&str],
        options: Options,
    ) -> Result<crate::decode::BatchNotes, Error> {
        let (er, shape) = self.entity_shape(entity)?;
        let mut tally = Tally::default();
        let mut known = Vec::new();
        for p in paths {
            if shape.node_of_path(p).is_some() {
                known.push(*p);
            } else {
                let (i, _, _) = tally.note_path(shape, p);
                if let Some(n) = tally.notes.get_mut(i) {
                    n.records = 0;
                }
            }
        }
        let (ignored, misspelled, refused) = tally.unknown_keys(shape, &er.name, options.strict);
        if let Some(e) = refusal(&misspelled, &refused) {
            return Err(e);
        }
        let b = Batch::new(self, er, shape, options, Tally::default());
        Ok(crate::decode::BatchNotes {
            records: 0,
            ignored,
            misspelled,
            refused,
            more_ignored: tally.overflow,
            undecidable: b.undecidable_with(&known),
        })
    }

    /// Validates a form record: schema (types, enum values, required fields, bounds) and the
    /// pack's constraint rules. Keys not in the schema are listed in `ignored` (errors when
    /// strict, see [`Engine::validate_with`]); a misspelled field is an error that names it.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let form = serde_json::json!({"kind": "htx", "workers": {"total": 10, "female": 12}});
    /// let v = engine.validate("cooperative", &form, htx_rules::Date::parse("2025-06-30").unwrap()).unwrap();
    /// assert!(!v.valid);
    /// assert_eq!(v.errors[0].field, "/workers/female");
    /// assert_eq!(v.errors[0].message.vi, "Số lao động nữ (12) lớn hơn tổng số lao động (10)");
    /// ```
    pub fn validate(&self, entity: &str, record: &Value, as_of: Date) -> Result<Validation, Error> {
        self.validate_with(entity, record, as_of, Options::default())
    }

    /// [`Engine::validate`] with reading options (strict: keys not in the schema are errors).
    pub fn validate_with(
        &self,
        entity: &str,
        record: &Value,
        as_of: Date,
        options: Options,
    ) -> Result<Validation, Error> {
        let mut b = self.one(entity, options)?;
        let d = b.decode_any(record);
        let mut v = b.validate(d, as_of);
        v.ignored = b.ignored_keys();
        Ok(v)
    }

    /// Validates one record given as JSON text (duplicate keys and `NaN`/`Infinity` are field
    /// errors; text that is not JSON is an input error with its line and column).
    pub fn validate_json(
        &self,
        entity: &str,
        text: &[u8],
        as_of: Date,
        options: Options,
    ) -> Result<Validation, Error> {
        let mut b = self.one(entity, options)?;
        let d = b.decode_json_any(text).map_err(|e| e.into_error())?;
        let mut v = b.validate(d, as_of);
        v.ignored = b.ignored_keys();
        Ok(v)
    }

    /// A batch of records of `entity`, read one at a time (from `Value`s, JSON text, or a
    /// [`crate::read`] reader), with what the batch saw said once at the end
    /// ([`Batch::notes`]).
    pub fn batch(&self, entity: &str, options: Options) -> Result<Batch<'_>, Error> {
        let (er, shape) = self.entity_shape(entity)?;
        Ok(Batch::new(self, er, shape, options, Tally::tracking(shape)))
    }

    /// A batch for one record: what fields are present is not tracked (nothing to say about
    /// a batch of one).
    fn one(&self, entity: &str, options: Options) -> Result<Batch<'_>, Error> {
        let (er, shape) = self.entity_shape(entity)?;
        Ok(Batch::new(self, er, shape, options, Tally::default()))
    }

    /// Explains a rule (by name, in any entity), a parameter, a period group or an information
    /// topic (`funding_sources`, `responsibilities`, …).
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let x = engine.explain("many_jobs_threshold").unwrap();
    /// assert!(x.to_text(htx_rules::Lang::En).contains("2026-01-01 .. 2030-12-31: 70%"));
    /// ```
    pub fn explain(&self, name: &str) -> Result<Explanation, Error> {
        crate::explain::explain(&self.pack, name)
            .map(|json| Explanation { json })
            .ok_or_else(|| Error::UnknownRule(name.to_string()))
    }

    /// Where decision `rule`'s outcome changes along each numeric input it compares with a
    /// threshold: per period of the thresholds' parameters and per case, the exact intervals
    /// and the outcome on each (see [`crate::boundaries`]). One per entity with such a rule.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let b = engine.boundaries("many_female_jobs").unwrap();
    /// let text = b[0].to_text(htx_rules::Lang::En);
    /// assert!(text.contains("(60%; +∞) → yes"), "{text}");
    /// assert!(text.contains("(70%; +∞) → yes"), "{text}");
    /// ```
    pub fn boundaries(&self, rule: &str) -> Result<Vec<crate::boundaries::Boundaries>, Error> {
        let found = crate::boundaries::analyse(&self.pack, rule);
        if found.is_empty() {
            return Err(Error::UnknownRule(rule.to_string()));
        }
        Ok(found)
    }

    /// Every name `explain` accepts.
    pub fn explainable(&self) -> Vec<String> {
        crate::explain::names(&self.pack)
    }

    /// Every field of `entity`'s schema, flattened: each field, then the fields of a record
    /// inside it (path `workers.female`, pointer `/workers/female`), with its kind, labels,
    /// enum values and their labels, required, bounds and note; a list of records carries its
    /// item's fields. Plain data (serde), for forms and bindings.
    ///
    /// ```
    /// use htx_rules::{Engine, FieldKind};
    /// let engine = Engine::embedded().unwrap();
    /// let fields = engine.fields("cooperative").unwrap();
    /// let female = fields.iter().find(|f| f.path == "workers.female").unwrap();
    /// assert_eq!((female.pointer.as_str(), female.kind), ("/workers/female", FieldKind::Integer));
    /// assert_eq!(female.label.as_ref().unwrap().vi, "Số nữ");
    /// let managers = fields.iter().find(|f| f.path == "managers").unwrap();
    /// let gender = managers.items.iter().find(|f| f.name == "gender").unwrap();
    /// assert!(gender.values.iter().any(|v| v.value == "female"));
    /// ```
    pub fn fields(&self, entity: &str) -> Result<Vec<FieldInfo>, Error> {
        let er = self.entity(entity)?;
        let mut out = Vec::new();
        crate::fields::flatten(&self.pack, er.record, "", &mut out);
        Ok(out)
    }

    /// What evaluating `entity` outputs: each decision and value (not internal rules, not
    /// constraints), in pack order — the names results carry — with its kind, title and
    /// citation. Plain data (serde), for forms and bindings.
    ///
    /// ```
    /// use htx_rules::{DecisionKind, Engine};
    /// let engine = Engine::embedded().unwrap();
    /// let infos = engine.decisions_info("cooperative").unwrap();
    /// let jobs = infos.iter().find(|d| d.name == "many_female_jobs").unwrap();
    /// assert_eq!(jobs.kind, DecisionKind::Decision);
    /// assert_eq!(jobs.title.as_ref().unwrap().en, "Creates many jobs for women");
    /// assert_eq!(jobs.cite.section, "II.1.b");
    /// let share = infos.iter().find(|d| d.name == "female_labour_share").unwrap();
    /// assert_eq!(share.kind, DecisionKind::Value);
    /// ```
    pub fn decisions_info(&self, entity: &str) -> Result<Vec<DecisionInfo>, Error> {
        Ok(crate::decisions::outputs(self.entity(entity)?))
    }

    /// The output decisions of `entity` in pack order (the order of
    /// [`crate::ColumnarResult::names`]), each with the type of its value.
    ///
    /// ```
    /// use htx_rules::{Engine, ValueType};
    /// let engine = Engine::embedded().unwrap();
    /// let outs = engine.output_types("cooperative").unwrap();
    /// let share = outs.iter().find(|o| o.name == "female_labour_share").unwrap();
    /// assert_eq!(share.value, Some(ValueType::Share));
    /// let wm = outs.iter().find(|o| o.name == "women_managed").unwrap();
    /// assert_eq!(wm.value, None);
    /// ```
    ///
    /// A narrow view of [`Engine::decisions_info`] (which carries the same `value_type`).
    pub fn output_types(&self, entity: &str) -> Result<Vec<OutputType>, Error> {
        Ok(self
            .decisions_info(entity)?
            .into_iter()
            .map(|d| OutputType {
                name: d.name,
                value: d.value_type,
            })
            .collect())
    }

    /// A JSON Schema (draft 2020-12) of `entity`, for form builders.
    pub fn schema(&self, entity: &str) -> Result<Value, Error> {
        let er = self.entity(entity)?;
        Ok(crate::validate::json_schema(&self.pack, er.record))
    }
}

/// The error of a batch whose columns include misspelled ones (or, strict, unknown ones).
fn refusal(
    misspelled: &[crate::decode::UnknownKey],
    refused: &[crate::decode::UnknownKey],
) -> Option<Error> {
    let errors: Vec<FieldError> = misspelled
        .iter()
        .chain(refused.iter())
        .map(|k| FieldError {
            field: format!("/{}", k.key.replace('.', "/").replace("[]", "")),
            code: if k.suggestion.is_some() {
                Code::FactsMisspelledField.into()
            } else {
                Code::FactsUnknownField.into()
            },
            message: k.message.clone(),
        })
        .collect();
    (!errors.is_empty()).then_some(Error::Facts(errors))
}

/// [`set_invalid`] for an evaluation of a row whose JSON is not at hand (a diff): the reasons
/// name the rejected facts without their values.
pub(crate) fn mark_invalid(ev: &mut Evaluation<'_>, errors: &[FieldError]) {
    set_invalid(&mut ev.decisions, errors, &|_| None);
}

/// Each entity's schema as a tree of fields, and what its decisions need (by entity index).
fn shapes_of(pack: &Pack) -> Vec<Shape> {
    pack.entities
        .iter()
        .map(|er| Shape::new(pack, er))
        .collect()
}

/// Moves what decisions miss because it was given but rejected (an error's field, or a field
/// inside it) from `missing` to `invalid`, with the value as given.
pub(crate) fn set_invalid(
    decisions: &mut [Decision<'_>],
    errors: &[FieldError],
    given: &dyn Fn(&str) -> Option<String>,
) {
    if errors.is_empty() {
        return;
    }
    let covers = |e: &FieldError, p: &str| {
        p == e.field
            || p.strip_prefix(e.field.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    };
    for d in decisions {
        if d.missing.is_empty() {
            continue;
        }
        for e in errors {
            if d.missing.iter().any(|p| covers(e, p))
                && !d
                    .invalid
                    .iter()
                    .any(|i| i.error.field == e.field && i.error.code == e.code)
            {
                d.invalid.push(Invalid {
                    error: e.clone(),
                    given: given(&e.field),
                });
            }
        }
        d.missing.retain(|p| !errors.iter().any(|e| covers(e, p)));
    }
}
