//! The engine: a compiled pack and the operations on it.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use crate::codes::Code;
use crate::date::Date;
use crate::error::{Error, FieldError};
use crate::expr::eval::{Bind, Cx, Note, V};
use crate::expr::ir::Base;
use crate::facts::Decoder;
use crate::model::{Cite, EntityRules, Pack, PackMeta, Part, Rule, RuleKind, Template};
use crate::msg;
use crate::pack::check;
use crate::pack::source::{DirLoader, EmbeddedLoader, MemoryLoader, PackLoader};
use crate::text::{write_date, write_decimal, write_money, write_share, Lang, Message, Unit};
use crate::value::{Record, Ty, Val};

/// The id of the embedded default pack (Kế hoạch 2747/KH-UBND, Bến Tre).
pub const DEFAULT_PACK: &str = "ben-tre-2747";

/// A loaded, checked and compiled rule pack, ready to evaluate facts.
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
}

/// The outcome of a decision: three-valued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The condition holds.
    Yes,
    /// The condition does not hold.
    No,
    /// The facts do not decide it (a fact is missing, or the rule is not in force).
    Unknown,
}

impl Outcome {
    /// `"yes"`, `"no"` or `"unknown"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Yes => "yes",
            Outcome::No => "no",
            Outcome::Unknown => "unknown",
        }
    }
}

/// A value in a decision: exact decimals for shares and money.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// Yes/no.
    Bool(bool),
    /// A count.
    Int(i64),
    /// A decimal (share, money or plain number).
    Decimal(Decimal),
    /// A date.
    Date(Date),
    /// Text or an enumeration value.
    Text(String),
}

impl Scalar {
    fn of(v: V<'_>) -> Option<Scalar> {
        Some(match v {
            V::Bool(b) => Scalar::Bool(b),
            V::Int(i) => Scalar::Int(i),
            V::Dec(d) => Scalar::Decimal(d.normalize()),
            V::Date(d) => Scalar::Date(d),
            V::Str(s) => Scalar::Text(s.to_string()),
            V::List(_) | V::Rec(_) => return None,
        })
    }

    /// The contract's JSON form: decimals as strings, dates as ISO strings.
    pub fn to_json(&self) -> Value {
        match self {
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => Value::from(*i),
            Scalar::Decimal(d) => Value::String(d.normalize().to_string()),
            Scalar::Date(d) => Value::String(d.to_string()),
            Scalar::Text(s) => Value::String(s.clone()),
        }
    }

    fn write(&self, ty: Option<&Ty>, lang: Lang) -> String {
        match (self, ty.and_then(|t| t.unit())) {
            (Scalar::Decimal(d), Some(Unit::Share)) => write_share(*d, lang),
            (Scalar::Decimal(d), Some(Unit::Money)) => write_money(*d, lang),
            (Scalar::Int(i), Some(Unit::Money)) => write_money(Decimal::from(*i), lang),
            (Scalar::Decimal(d), _) => write_decimal(*d, lang, false),
            (Scalar::Int(i), _) => i.to_string(),
            (Scalar::Date(d), _) => write_date(*d, lang),
            (Scalar::Bool(b), _) => match (b, lang) {
                (true, Lang::Vi) => "có".into(),
                (false, Lang::Vi) => "không".into(),
                (true, Lang::En) => "yes".into(),
                (false, Lang::En) => "no".into(),
            },
            (Scalar::Text(s), _) => s.clone(),
        }
    }
}

/// One decision about one record: outcome, value, target, reasons, missing facts, citation.
#[derive(Clone, Debug)]
pub struct Decision<'e> {
    rule: &'e Rule,
    pack: &'e Pack,
    outcome: Outcome,
    value: Option<Scalar>,
    target: Option<Scalar>,
    args: Vec<Option<Scalar>>,
    missing: Vec<String>,
    notes: Vec<Note>,
    as_of: Date,
}

impl<'e> Decision<'e> {
    /// The rule's name.
    pub fn name(&self) -> &'e str {
        &self.rule.name
    }
    /// Yes, no or unknown.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }
    /// The computed value (a share, a count…), when the rule has one and it is known.
    pub fn value(&self) -> Option<&Scalar> {
        self.value.as_ref()
    }
    /// The target or threshold the value was held against.
    pub fn target(&self) -> Option<&Scalar> {
        self.target.as_ref()
    }
    /// JSON Pointers of the absent facts that would decide an unknown outcome.
    pub fn missing(&self) -> &[String] {
        &self.missing
    }
    /// Where the rule comes from.
    pub fn cite(&self) -> &'e Cite {
        &self.rule.cite
    }

    /// Why, in Vietnamese and English, with the actual figures.
    pub fn reasons(&self) -> Vec<Message> {
        let mut out = Vec::new();
        if self.outcome == Outcome::Unknown {
            for n in &self.notes {
                out.push(self.note_message(n));
            }
        }
        let t = match self.outcome {
            Outcome::Yes => self.rule.messages.yes.as_ref(),
            Outcome::No => self.rule.messages.no.as_ref(),
            Outcome::Unknown => self.rule.messages.unknown.as_ref(),
        };
        let period_note = self.notes.iter().any(|n| matches!(n, Note::Period { .. }));
        match t {
            Some(t) if !period_note => out.push(self.render(t)),
            _ => {}
        }
        if self.outcome == Outcome::Unknown && !self.missing.is_empty() {
            let m = self.missing.join(", ");
            out.push(msg!(vi: format!("Thiếu dữ liệu: {m}"), en: format!("Missing facts: {m}")));
        }
        if out.is_empty() {
            let title =
                self.rule.title.clone().unwrap_or_else(
                    || msg!(vi: self.rule.name.clone(), en: self.rule.name.clone()),
                );
            out.push(match self.outcome {
                Outcome::Yes => {
                    msg!(vi: format!("{}: có", title.vi), en: format!("{}: yes", title.en))
                }
                Outcome::No => {
                    msg!(vi: format!("{}: không", title.vi), en: format!("{}: no", title.en))
                }
                Outcome::Unknown => msg!(
                    vi: format!("{}: chưa xác định", title.vi),
                    en: format!("{}: unknown", title.en),
                ),
            });
        }
        out
    }

    fn note_message(&self, n: &Note) -> Message {
        let p = self.pack;
        match n {
            Note::Period { group } => {
                let g = p.groups.get(*group);
                let span = g
                    .and_then(|g| {
                        let from = g.members.iter().map(|m| m.from).min()?;
                        let to = g.members.iter().map(|m| m.to).max()?;
                        Some(msg!(
                            vi: format!("{}–{}", from.to_vi(), to.to_vi()),
                            en: format!("{from} to {to}"),
                        ))
                    })
                    .unwrap_or(msg!(vi: "", en: ""));
                msg!(
                    vi: format!("Quy tắc chỉ áp dụng trong thời kỳ {}; ngày xét {} nằm ngoài thời kỳ này", span.vi, self.as_of.to_vi()),
                    en: format!("The rule applies only from {}; the as-of date {} is outside that period", span.en, self.as_of),
                )
            }
            Note::NoParam { param, date } => {
                let name = p.params.get(*param).map(|x| x.name.as_str()).unwrap_or("?");
                msg!(
                    vi: format!("Tham số `{name}` không có giá trị hiệu lực tại ngày {}", date.to_vi()),
                    en: format!("Parameter `{name}` has no value in force on {date}"),
                )
            }
            Note::DivZero => {
                msg!(
                    vi: "Phép chia cho 0 (mẫu số bằng 0)",
                    en: "Division by zero (the denominator is 0)",
                )
            }
            Note::Overflow => {
                msg!(
                    vi: "Kết quả tính toán vượt giới hạn",
                    en: "An arithmetic result is out of range",
                )
            }
            Note::NoPeriod { group } => {
                let name = p.groups.get(*group).map(|x| x.name.as_str()).unwrap_or("?");
                msg!(
                    vi: format!("Không có giai đoạn `{name}` tương ứng"),
                    en: format!("No matching period of `{name}`"),
                )
            }
            Note::BadDate => msg!(vi: "Ngày không tồn tại", en: "No such date"),
        }
    }

    fn render(&self, t: &Template) -> Message {
        let one = |parts: &[Part], lang: Lang| -> String {
            let mut s = String::new();
            for p in parts {
                match p {
                    Part::Text(x) => s.push_str(x),
                    Part::Value => s.push_str(
                        &self
                            .value
                            .as_ref()
                            .map(|v| v.write(self.rule.value.as_ref().map(|x| &x.1), lang))
                            .unwrap_or_else(|| "?".into()),
                    ),
                    Part::Target => s.push_str(
                        &self
                            .target
                            .as_ref()
                            .map(|v| v.write(self.rule.target.as_ref().map(|x| &x.1), lang))
                            .unwrap_or_else(|| "?".into()),
                    ),
                    Part::Local(i) => s.push_str(
                        &self
                            .args
                            .get(*i)
                            .cloned()
                            .flatten()
                            .map(|v| v.write(self.rule.locals.get(*i).map(|l| &l.2), lang))
                            .unwrap_or_else(|| "?".into()),
                    ),
                    Part::Missing => s.push_str(&self.missing.join(", ")),
                }
            }
            s
        };
        Message {
            vi: one(&t.vi, Lang::Vi),
            en: one(&t.en, Lang::En),
        }
    }

    /// The contract's JSON shape of a decision.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The decisions about one record, in pack order.
#[derive(Clone, Debug)]
pub struct Evaluation<'e> {
    id: Option<String>,
    decisions: Vec<Decision<'e>>,
    errors: Vec<FieldError>,
}

impl<'e> Evaluation<'e> {
    /// The record's id, when it has one.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    /// Decisions in pack order.
    pub fn decisions(&self) -> impl Iterator<Item = (&'e str, &Decision<'e>)> {
        self.decisions.iter().map(|d| (d.name(), d))
    }
    /// One decision by name.
    pub fn decision(&self, name: &str) -> Option<&Decision<'e>> {
        self.decisions.iter().find(|d| d.rule.name == name)
    }
    /// Facts that were present but malformed (treated as absent).
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }
    /// The contract's JSON shape: `{"id": …, "decisions": {name: decision}}` (plus `"errors"`
    /// when some facts were malformed). To write text, serialize the evaluation directly
    /// (`serde_json::to_writer(out, &evaluation)`): it streams, with no intermediate tree.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

struct ScalarJson<'a>(&'a Option<Scalar>);

impl Serialize for ScalarJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_none(),
            Some(Scalar::Bool(b)) => s.serialize_bool(*b),
            Some(Scalar::Int(i)) => s.serialize_i64(*i),
            Some(Scalar::Decimal(d)) => s.collect_str(&d.normalize()),
            Some(Scalar::Date(d)) => s.collect_str(d),
            Some(Scalar::Text(t)) => s.serialize_str(t),
        }
    }
}

impl Serialize for Decision<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("outcome", self.outcome.as_str())?;
        m.serialize_entry("value", &ScalarJson(&self.value))?;
        m.serialize_entry("target", &ScalarJson(&self.target))?;
        m.serialize_entry("reasons", &self.reasons())?;
        m.serialize_entry("missing", &self.missing)?;
        m.serialize_entry("cite", &self.rule.cite)?;
        m.end()
    }
}

struct DecisionsJson<'a, 'e>(&'a [Decision<'e>]);

impl Serialize for DecisionsJson<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for d in self.0 {
            m.serialize_entry(&d.rule.name, d)?;
        }
        m.end()
    }
}

impl Serialize for Evaluation<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("decisions", &DecisionsJson(&self.decisions))?;
        if !self.errors.is_empty() {
            m.serialize_entry("errors", &self.errors)?;
        }
        m.end()
    }
}

/// Result of validating a form record.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Validation {
    /// True when there are no errors.
    pub valid: bool,
    /// One entry per problem, with the field's JSON Pointer.
    pub errors: Vec<FieldError>,
}

impl Validation {
    /// The contract's JSON shape.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

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
}

/// Decisions over a batch, column by column.
#[derive(Clone, Debug, Default)]
pub struct ColumnarResult {
    /// Decision names, in pack order.
    pub names: Vec<String>,
    /// One outcome column per decision.
    pub outcomes: Vec<Vec<Outcome>>,
    /// One value column per decision.
    pub values: Vec<Vec<Option<Scalar>>>,
    /// Field errors per row (row index, error).
    pub errors: Vec<(usize, FieldError)>,
}

/// What `explain` shows about a name: a rule, parameter, period group or information topic.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The JSON form.
    pub json: Value,
}

impl Explanation {
    /// The JSON form.
    pub fn to_json(&self) -> Value {
        self.json.clone()
    }
    /// A readable text in `lang`.
    pub fn to_text(&self, lang: Lang) -> String {
        crate::explain::text(&self.json, lang)
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

    /// Any loader.
    pub fn from_loader(loader: &dyn PackLoader, root: &str) -> Result<Engine, Error> {
        Ok(Engine {
            pack: check::load(loader, root)?,
        })
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

    pub(crate) fn evaluate_record<'e>(
        &'e self,
        er: &'e EntityRules,
        rec: &Record,
        as_of: Date,
    ) -> Evaluation<'e> {
        let outs = self.run_rules(er, rec, as_of);
        let mut decisions = Vec::with_capacity(er.outputs.len());
        let mut outs = outs;
        for &i in &er.outputs {
            let (Some(rule), Some(o)) = (er.rules.get(i), outs.get_mut(i).and_then(Option::take))
            else {
                continue;
            };
            decisions.push(Decision {
                rule,
                pack: &self.pack,
                outcome: o.outcome,
                value: o.value,
                target: o.target,
                args: o.args,
                missing: o.missing,
                notes: o.notes,
                as_of,
            });
        }
        Evaluation {
            id: None,
            decisions,
            errors: Vec::new(),
        }
    }

    fn run_rules(&self, er: &EntityRules, rec: &Record, as_of: Date) -> Vec<Option<RuleOut>> {
        self.run_rules_with(er, rec, as_of, true)
    }

    /// `explain = false` skips what only reasons need (missing pointers, message arguments).
    fn run_rules_with(
        &self,
        er: &EntityRules,
        rec: &Record,
        as_of: Date,
        explain: bool,
    ) -> Vec<Option<RuleOut>> {
        let n = er.rules.len();
        let mut cx = Cx::new(&self.pack, as_of, rec, n);
        cx.explain = explain;
        let mut outs: Vec<Option<RuleOut>> = Vec::with_capacity(n);
        outs.resize_with(n, || None);
        for &i in &er.order {
            let Some(rule) = er.rules.get(i) else {
                continue;
            };
            let o = eval_rule(&mut cx, rule, as_of);
            if let Some(slot) = cx.rule_vals.get_mut(i) {
                *slot = o.1;
            }
            if o.0.outcome == Outcome::Unknown && !o.0.missing.is_empty() {
                cx.rule_missing.push((i, o.0.missing.clone()));
            }
            if let Some(slot) = outs.get_mut(i) {
                *slot = Some(o.0);
            }
        }
        outs
    }

    /// Evaluates a columnar batch (pandas / Arrow): one outcome and value column per decision.
    pub fn evaluate_columns(
        &self,
        entity: &str,
        batch: &ColumnBatch,
        as_of: Date,
    ) -> Result<ColumnarResult, Error> {
        let er = self.entity(entity)?;
        let rt = self
            .pack
            .records
            .get(er.record)
            .ok_or_else(|| Error::UnknownEntity(entity.into()))?;
        // resolve paths to slot chains
        let mut cols = Vec::new();
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
            let mut slots = Vec::new();
            let mut tys = Vec::new();
            let mut cur = rt;
            let mut ok = true;
            let parts: Vec<&str> = path.split('.').collect();
            for (k, part) in parts.iter().enumerate() {
                let Some(&s) = cur.by_name.get(*part) else {
                    ok = false;
                    break;
                };
                let ty = cur.fields.get(s).map(|f| f.ty.clone()).unwrap_or(Ty::Bool);
                slots.push(s);
                tys.push(ty.clone());
                if k + 1 < parts.len() {
                    match ty {
                        Ty::Rec(r) => match self.pack.records.get(r) {
                            Some(x) => cur = x,
                            None => ok = false,
                        },
                        _ => ok = false,
                    }
                }
            }
            if ok {
                cols.push((path.clone(), slots, tys, col));
            }
            // unknown columns are ignored, as unknown JSON fields are in `evaluate`
        }
        let names: Vec<String> = er
            .outputs
            .iter()
            .filter_map(|&i| er.rules.get(i))
            .map(|r| r.name.clone())
            .collect();
        let mut res = ColumnarResult {
            names,
            outcomes: vec![Vec::with_capacity(batch.rows); er.outputs.len()],
            values: vec![Vec::with_capacity(batch.rows); er.outputs.len()],
            errors: Vec::new(),
        };
        let blank = Record {
            slots: vec![None; rt.fields.len()],
        };
        for row in 0..batch.rows {
            let mut rec = blank.clone();
            for (path, slots, tys, col) in &cols {
                let Some(ty) = tys.last() else { continue };
                let mut cell_errors = Vec::new();
                let val = self.cell(col, ty, row, &mut cell_errors);
                for mut e in cell_errors {
                    e.field = format!("/{}{}", path.replace('.', "/"), e.field);
                    res.errors.push((row, e));
                }
                // type mismatch between column kind and field type → absent + error
                let val = match (val, ty) {
                    (Some(v), t) if fits(&v, t) => Some(v),
                    (Some(_), _) => {
                        res.errors.push((
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
                    (None, _) => None,
                };
                if let Some(v) = val {
                    set_path(&self.pack, &mut rec, er.record, slots, v);
                }
            }
            let mut row_errors = Vec::new();
            self.sanitize(er, &mut rec, as_of, &mut row_errors);
            res.errors.extend(row_errors.into_iter().map(|e| (row, e)));
            let outs = self.run_rules_with(er, &rec, as_of, false);
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

    /// The fact in row `row` of a column, as a value of type `ty` (`None` when absent or bad;
    /// bad cells are described in `errors`, their `field` relative to the column).
    fn cell(&self, col: &Column, ty: &Ty, row: usize, errors: &mut Vec<FieldError>) -> Option<Val> {
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
                match crate::facts::text_cell(ty, s, &self.pack.enums) {
                    Ok(v) => Some(v),
                    Err((code, message)) => err(errors, String::new(), code, message),
                }
            }
            Column::Json(v) => {
                let j = v.get(row).and_then(|x| x.as_ref())?;
                let mut d = Decoder::new(&self.pack, false);
                let out = d.value(ty, j);
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
                for j in a..b {
                    let before = errors.len();
                    let v = self.cell(items, inner, j, errors);
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
                for (name, c) in fields {
                    // unknown fields are ignored, as in `evaluate`
                    let Some(i) = rt.fields.iter().position(|f| f.name == *name) else {
                        continue;
                    };
                    let Some(f) = rt.fields.get(i) else { continue };
                    let before = errors.len();
                    let v = self.cell(c, &f.ty, row, errors);
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

    /// Validates a form record: schema (types, enum values, required fields, bounds) and the
    /// pack's constraint rules.
    ///
    /// ```
    /// let engine = htx_rules::Engine::embedded().unwrap();
    /// let form = serde_json::json!({"kind": "htx", "workers": {"total": 10, "female": 12}});
    /// let v = engine.validate("cooperative", &form, htx_rules::Date::parse("2025-06-30").unwrap()).unwrap();
    /// assert!(!v.valid);
    /// assert_eq!(v.errors[0].field, "/workers/female");
    /// assert_eq!(v.errors[0].message.vi, "Số lao động nữ không được lớn hơn tổng số lao động");
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

    /// Errors from the pack's constraint rules on a decoded record.
    fn constraint_errors(&self, er: &EntityRules, rec: &Record, as_of: Date) -> Vec<FieldError> {
        // constraints (they may refer to decisions, so those are evaluated first)
        let n = if er.constraints_use_rules {
            er.rules.len()
        } else {
            0
        };
        let mut cx = Cx::new(&self.pack, as_of, rec, n);
        cx.explain = false;
        let mut errors = Vec::new();
        // constraints may refer to decisions: evaluate those first, when they do
        let order: &[usize] = if er.constraints_use_rules {
            &er.order
        } else {
            &[]
        };
        for &i in order {
            let Some(rule) = er.rules.get(i) else {
                continue;
            };
            let o = eval_rule(&mut cx, rule, as_of);
            if let Some(slot) = cx.rule_vals.get_mut(i) {
                *slot = o.1;
            }
        }
        for &ci in &er.constraints {
            let Some(rule) = er.rules.get(ci) else {
                continue;
            };
            let Some(cond) = &rule.when else { continue };
            let field = rule.field.as_deref().unwrap_or_default();
            let code = rule.code.as_deref().unwrap_or_default();
            let msg = |cx: &Cx| -> Message {
                rule.messages
                    .no
                    .as_ref()
                    .map(|t| render_plain(t, cx))
                    .unwrap_or_else(|| {
                        msg!(
                            vi: format!("Không thỏa ràng buộc {}", rule.name),
                            en: format!("Constraint {} is not met", rule.name),
                        )
                    })
            };
            match &rule.each {
                None => {
                    if cx.eval(cond) == Some(V::Bool(false)) {
                        let m = msg(&cx);
                        errors.push(FieldError {
                            field: field.to_string(),
                            code: code.to_string(),
                            message: m,
                        });
                    }
                    cx.missing.clear();
                    cx.notes.clear();
                }
                Some((list, ptr)) => {
                    let Some(V::List(items)) = cx.eval(list) else {
                        cx.missing.clear();
                        continue;
                    };
                    for (k, it) in items.iter().enumerate() {
                        cx.vars.clear();
                        cx.vars.push(Bind {
                            v: V::of(it),
                            dom: Some((Base::Root, ptr.as_str())),
                            index: k,
                        });
                        if cx.eval(cond) == Some(V::Bool(false)) {
                            let m = msg(&cx);
                            errors.push(FieldError {
                                field: format!("{ptr}/{k}{field}"),
                                code: code.to_string(),
                                message: m,
                            });
                        }
                        cx.missing.clear();
                        cx.notes.clear();
                    }
                    cx.vars.clear();
                }
            }
        }
        errors
    }

    /// Facts that fail a bound or a constraint are not trusted: they become errors and are
    /// treated as absent, so no decision rests on them (female workers above the total, a
    /// founding date in the future, a negative count).
    fn sanitize(
        &self,
        er: &EntityRules,
        rec: &mut Record,
        as_of: Date,
        errors: &mut Vec<FieldError>,
    ) {
        let mut found = Vec::new();
        crate::validate::bound_checks(&self.pack, er.record, rec, &mut found);
        if !er.constraints.is_empty() {
            found.extend(self.constraint_errors(er, rec, as_of));
        }
        for e in found {
            clear_pointer(&self.pack, er.record, rec, &e.field);
            if !errors
                .iter()
                .any(|x| x.field == e.field && x.code == e.code)
            {
                errors.push(e);
            }
        }
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

    /// Every name `explain` accepts.
    pub fn explainable(&self) -> Vec<String> {
        crate::explain::names(&self.pack)
    }

    /// A JSON Schema (draft 2020-12) of `entity`, for form builders.
    pub fn schema(&self, entity: &str) -> Result<Value, Error> {
        let er = self.entity(entity)?;
        Ok(crate::validate::json_schema(&self.pack, er.record))
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

fn fits(v: &Val, ty: &Ty) -> bool {
    matches!(
        (v, ty),
        (Val::Bool(_), Ty::Bool)
            | (Val::Int(_), Ty::Int)
            | (Val::Dec(_), Ty::Dec(_))
            | (Val::Date(_), Ty::Date)
            | (Val::Str(_), Ty::Str | Ty::Enum(_))
            | (Val::Rec(_), Ty::Rec(_))
            | (Val::List(_), Ty::List(_))
    )
}

/// Makes the fact at a JSON Pointer absent.
fn clear_pointer(pack: &Pack, rec_ty: usize, rec: &mut Record, pointer: &str) {
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

fn set_path(pack: &Pack, rec: &mut Record, rec_ty: usize, slots: &[usize], v: Val) {
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

#[derive(Clone, Debug)]
pub(crate) struct RuleOut {
    pub outcome: Outcome,
    pub value: Option<Scalar>,
    pub target: Option<Scalar>,
    pub args: Vec<Option<Scalar>>,
    pub missing: Vec<String>,
    pub notes: Vec<Note>,
}

/// Evaluates one rule; returns its output and the value other rules see through `rule.name`.
fn eval_rule<'a>(cx: &mut Cx<'a>, rule: &'a Rule, as_of: Date) -> (RuleOut, Option<V<'a>>) {
    cx.missing.clear();
    cx.notes.clear();
    if let Some(g) = rule.applies_in {
        if cx.pack.groups.get(g).and_then(|gr| gr.at(as_of)).is_none() {
            return (
                RuleOut {
                    outcome: Outcome::Unknown,
                    value: None,
                    target: None,
                    args: Vec::new(),
                    missing: Vec::new(),
                    notes: vec![Note::Period { group: g }],
                },
                None,
            );
        }
    }
    cx.locals.clear();
    for (_, ex, _) in &rule.locals {
        let m = (cx.missing.len(), cx.notes.len());
        let v = cx.eval(ex);
        if v.is_some() {
            cx.missing.truncate(m.0);
            cx.notes.truncate(m.1);
        }
        cx.locals.push(v);
    }
    // missing facts behind lets count only when the rule's result needs them
    let base = (cx.missing.len(), cx.notes.len());
    let value = rule.value.as_ref().and_then(|(e, _)| cx.eval(e));
    let target = rule.target.as_ref().and_then(|(e, _)| cx.eval(e));
    let (outcome, visible) = match rule.kind {
        RuleKind::Decision => {
            let m = (cx.missing.len(), cx.notes.len());
            match rule.when.as_ref().and_then(|w| cx.eval(w)) {
                Some(V::Bool(true)) => (Outcome::Yes, Some(V::Bool(true))),
                Some(V::Bool(false)) => (Outcome::No, Some(V::Bool(false))),
                _ => {
                    // what the value/target needed is not why the decision is unknown
                    let cond_missing: Vec<String> = cx
                        .missing
                        .get(m.0..)
                        .map(|s| s.to_vec())
                        .unwrap_or_default();
                    let cond_notes: Vec<Note> =
                        cx.notes.get(m.1..).map(|s| s.to_vec()).unwrap_or_default();
                    cx.missing.truncate(base.0);
                    cx.notes.truncate(base.1);
                    cx.missing.extend(cond_missing);
                    cx.notes.extend(cond_notes);
                    (Outcome::Unknown, None)
                }
            }
        }
        _ => match value {
            Some(v) => (Outcome::Yes, Some(v)),
            None => (Outcome::Unknown, None),
        },
    };
    let (missing, notes) = if outcome == Outcome::Unknown {
        let mut m = std::mem::take(&mut cx.missing);
        m.sort();
        m.dedup();
        let mut n = std::mem::take(&mut cx.notes);
        n.dedup();
        (m, n)
    } else {
        (Vec::new(), Vec::new())
    };
    let args = if cx.locals.is_empty() || !cx.explain {
        Vec::new()
    } else {
        cx.locals.iter().map(|l| l.and_then(Scalar::of)).collect()
    };
    (
        RuleOut {
            outcome,
            value: value.and_then(Scalar::of),
            target: target.and_then(Scalar::of),
            args,
            missing,
            notes,
        },
        visible,
    )
}

fn render_plain(t: &Template, _cx: &Cx) -> Message {
    let one = |parts: &[Part]| -> String {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(x) => x.clone(),
                _ => String::new(),
            })
            .collect()
    };
    Message {
        vi: one(&t.vi),
        en: one(&t.en),
    }
}
