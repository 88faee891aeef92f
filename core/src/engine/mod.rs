//! The engine: a compiled pack and the operations on it — the public API the command line
//! and the bindings call. What the operations return is in `result.rs`, running rules in
//! `run.rs`, decoding facts in [`crate::decode`], describing fields in [`crate::fields`].

#[cfg(test)]
mod reasons_tests;
mod result;
mod run;

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

pub use crate::decode::{Column, ColumnBatch};
use result::Invalid;
pub use result::{ColumnarResult, Decision, Evaluation, Explanation, Outcome, Scalar, Validation};

use crate::codes::Code;
use crate::date::Date;
use crate::decisions::DecisionInfo;
use crate::decode::columns::BatchDecoder;
use crate::decode::Decoder;
use crate::error::{Error, FieldError};
use crate::fields::FieldInfo;
use crate::limits::PackLimits;
use crate::model::{EntityRules, Pack, PackMeta, ReformInfo};
use crate::pack::check;
use crate::pack::source::{DirLoader, EmbeddedLoader, MemoryLoader, PackFiles, PackLoader};
use crate::pack::Reform;
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
    /// The files the pack was loaded from, to load it again under a reform.
    origin: Arc<Origin>,
    /// The reforms laid over it, in order.
    reforms: Vec<Reform>,
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
        let packs = recorder.got.into_inner().unwrap_or_default();
        Ok(Engine {
            pack,
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
        let mut reforms = self.reforms.clone();
        reforms.push(reform.clone());
        let o = &self.origin;
        let pack = check::load(o.as_ref(), &o.root, &o.limits, &reforms)?;
        Ok(Engine {
            pack,
            origin: Arc::clone(&self.origin),
            reforms,
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

    pub(crate) fn entity(&self, name: &str) -> Result<&EntityRules, Error> {
        self.pack
            .entity_by_name
            .get(name)
            .and_then(|&i| self.pack.entities.get(i))
            .ok_or_else(|| Error::UnknownEntity(name.to_string()))
    }

    /// Decodes facts for `entity` (malformed fields become errors and are treated as absent).
    /// Facts that fail a bound or a constraint rule are reported and treated as absent too.
    pub fn decode(
        &self,
        entity: &str,
        record: &Value,
        as_of: Date,
    ) -> Result<(Record, Vec<FieldError>), Error> {
        let er = self.entity(entity)?;
        let mut d = Decoder::new(&self.pack, false);
        let rec = d.record(er.record, record);
        match rec {
            Some(mut r) => {
                let mut errors = d.errors;
                self.sanitize(er, &mut r, as_of, &mut errors);
                Ok((r, errors))
            }
            None => {
                let mut errs = d.errors;
                if errs.is_empty() {
                    errs.push(FieldError {
                        field: String::new(),
                        code: Code::FactsType.into(),
                        message: msg!(vi: "cần một đối tượng JSON", en: "expected a JSON object"),
                    });
                }
                Err(Error::Facts(errs))
            }
        }
    }

    /// Evaluates every decision of `entity` on one record at `as_of`.
    pub fn evaluate(
        &self,
        entity: &str,
        record: &Value,
        as_of: Date,
    ) -> Result<Evaluation<'_>, Error> {
        let er = self.entity(entity)?;
        let (rec, errors) = self.decode(entity, record, as_of)?;
        let id = er
            .record_id_field(&self.pack)
            .and_then(|f| record.get(f))
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        let mut ev = self.evaluate_record(er, &rec, as_of);
        ev.id = id;
        set_invalid(&mut ev.decisions, &errors, record);
        ev.errors = errors;
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

    /// Evaluates a columnar batch (pandas / Arrow): one outcome and value column per decision.
    pub fn evaluate_columns(
        &self,
        entity: &str,
        batch: &ColumnBatch,
        as_of: Date,
    ) -> Result<ColumnarResult, Error> {
        let er = self.entity(entity)?;
        if self.pack.records.get(er.record).is_none() {
            return Err(Error::UnknownEntity(entity.into()));
        }
        let rows = BatchDecoder::new(&self.pack, er.record, batch)?;
        let names: Vec<String> = er
            .outputs
            .iter()
            .filter_map(|&i| er.rules.get(i))
            .map(|r| r.name.clone())
            .collect();
        let mut res = ColumnarResult {
            names,
            outcomes: vec![Vec::with_capacity(rows.rows()); er.outputs.len()],
            values: vec![Vec::with_capacity(rows.rows()); er.outputs.len()],
            errors: Vec::new(),
        };
        for row in 0..rows.rows() {
            let mut rec = rows.row(row, &mut res.errors);
            let mut row_errors = Vec::new();
            self.sanitize(er, &mut rec, as_of, &mut row_errors);
            res.errors.extend(row_errors.into_iter().map(|e| (row, e)));
            let outs = self.run_rules(er, &rec, as_of, false);
            for (k, &i) in er.outputs.iter().enumerate() {
                let o = outs.get(i).and_then(|o| o.as_ref());
                if let Some(c) = res.outcomes.get_mut(k) {
                    c.push(o.map(|o| o.outcome).unwrap_or(Outcome::Unknown));
                }
                if let Some(c) = res.values.get_mut(k) {
                    c.push(o.and_then(|o| o.value.clone()));
                }
            }
        }
        Ok(res)
    }

    /// Validates a form record: schema (types, enum values, required fields, bounds) and the
    /// pack's constraint rules.
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
        let er = self.entity(entity)?;
        let mut d = Decoder::new(&self.pack, true);
        let rec = d.record(er.record, record);
        let mut errors = d.errors;
        let Some(rec) = rec else {
            if errors.is_empty() {
                errors.push(FieldError {
                    field: String::new(),
                    code: Code::FactsType.into(),
                    message: msg!(vi: "cần một đối tượng JSON", en: "expected a JSON object"),
                });
            }
            return Ok(Validation {
                valid: false,
                errors,
            });
        };
        crate::validate::schema_checks(&self.pack, er.record, &rec, "", &mut errors);
        errors.extend(self.constraint_errors(er, &rec, as_of));
        // one error per field and code, in document order
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.field.clone(), e.code.clone())));
        Ok(Validation {
            valid: errors.is_empty(),
            errors,
        })
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

    /// A JSON Schema (draft 2020-12) of `entity`, for form builders.
    pub fn schema(&self, entity: &str) -> Result<Value, Error> {
        let er = self.entity(entity)?;
        Ok(crate::validate::json_schema(&self.pack, er.record))
    }
}

/// [`set_invalid`] for an evaluation of a row whose JSON is not at hand (a diff): the reasons
/// name the rejected facts without their values.
pub(crate) fn mark_invalid(ev: &mut Evaluation<'_>, errors: &[FieldError]) {
    set_invalid(&mut ev.decisions, errors, &Value::Null);
}

/// Moves what decisions miss because it was given but rejected (an error's field, or a field
/// inside it) from `missing` to `invalid`, with the value as given.
fn set_invalid(decisions: &mut [Decision<'_>], errors: &[FieldError], record: &Value) {
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
                    given: record.pointer(&e.field).and_then(given),
                });
            }
        }
        d.missing.retain(|p| !errors.iter().any(|e| covers(e, p)));
    }
}

/// A single value as given, for a reason: text in quotes (shortened), numbers and yes/no as
/// written; lists and objects not at all.
fn given(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if s.chars().count() > 40 { "…" } else { "" };
            Some(format!("“{short}{more}”"))
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl EntityRules {
    fn record_id_field<'p>(&self, pack: &'p Pack) -> Option<&'p str> {
        let rt = pack.records.get(self.record)?;
        rt.id_field
            .and_then(|i| rt.fields.get(i))
            .map(|f| f.name.as_str())
    }
}
