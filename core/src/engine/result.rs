//! What evaluation returns: outcomes, values, decisions with their reasons, evaluations of a
//! record or a batch, validations and explanations, and their JSON (the contract's shapes).

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use crate::date::Date;
use crate::error::FieldError;
use crate::expr::eval::{Note, V};
use crate::model::{Cite, Pack, Part, Rule, Template};
use crate::text::{write_date, write_decimal, write_money, write_share, Lang, Message, Unit};
use crate::value::Ty;

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

    /// What to show a person for the outcome, in Vietnamese and English (the words the
    /// reasons use when a rule has no message of its own).
    ///
    /// ```
    /// use htx_rules::Outcome;
    /// assert_eq!(Outcome::Unknown.label().vi, "chưa xác định");
    /// assert_eq!(Outcome::Yes.label().en, "yes");
    /// ```
    pub fn label(self) -> Message {
        match self {
            Outcome::Yes => msg!(vi: "có", en: "yes"),
            Outcome::No => msg!(vi: "không", en: "no"),
            Outcome::Unknown => msg!(vi: "chưa xác định", en: "unknown"),
        }
    }

    /// Every outcome, in the order yes, no, unknown.
    pub const ALL: [Outcome; 3] = [Outcome::Yes, Outcome::No, Outcome::Unknown];
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
    /// An evaluated value as a scalar (lists and records have none).
    pub(super) fn of(v: V<'_>) -> Option<Scalar> {
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
    pub(super) rule: &'e Rule,
    pub(super) pack: &'e Pack,
    pub(super) outcome: Outcome,
    pub(super) value: Option<Scalar>,
    pub(super) target: Option<Scalar>,
    /// The values of the rule's `let`s, for message templates.
    pub(super) args: Vec<Option<Scalar>>,
    pub(super) missing: Vec<String>,
    pub(super) notes: Vec<Note>,
    pub(super) as_of: Date,
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
            let said = self.outcome.label();
            out.push(msg!(
                vi: format!("{}: {}", title.vi, said.vi),
                en: format!("{}: {}", title.en, said.en),
            ));
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
                    vi: format!(
                        "Quy tắc chỉ áp dụng trong thời kỳ {}; ngày xét {} nằm ngoài thời kỳ này",
                        span.vi,
                        self.as_of.to_vi(),
                    ),
                    en: format!(
                        "The rule applies only from {}; the as-of date {} is outside that period",
                        span.en,
                        self.as_of,
                    ),
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
    pub(super) id: Option<String>,
    pub(super) decisions: Vec<Decision<'e>>,
    pub(super) errors: Vec<FieldError>,
    pub(super) ignored: Vec<String>,
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
    /// Facts that were present but malformed (treated as absent), and keys that are
    /// misspelled fields (or, when strict, not in the schema).
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }
    /// Keys of the record that are not in the schema and were ignored, as dotted paths
    /// (`phone`, `managers[].email`); set by [`crate::Engine::evaluate`] and the other
    /// one-record calls (a batch says it once, in [`crate::BatchNotes`]). Not part of the JSON.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
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
    /// Keys not in the schema that were ignored (dotted paths); in the JSON only when there
    /// are some. When strict, they are errors instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
}

impl Validation {
    /// The contract's JSON shape.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
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
    /// Columns not in the schema (ignored), and decisions no column can decide.
    pub notes: crate::decode::BatchNotes,
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
