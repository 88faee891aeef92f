//! What evaluation returns: outcomes, values, decisions with their reasons, evaluations of a
//! record or a batch, validations and explanations, and their JSON (the contract's shapes).

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use crate::codes::Code;
use crate::date::Date;
use crate::error::FieldError;
use crate::expr::eval::{Note, V};
use crate::labels;
use crate::limits::EVAL_STEPS;
use crate::model::{Cite, Pack, Part, Rule, Template};
use crate::text::{
    decimal_plain, int_text, push_date, push_decimal, push_int, push_money, push_share,
    write_decimal, Lang, Message, Unit,
};
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
            V::Enum(e) => Scalar::Text(e.text.to_string()),
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

    /// As a person reads it in `lang`: shares as percentages, money in đồng, dates in the
    /// language's style, an enum value by its label.
    pub(super) fn write(&self, ty: Option<&Ty>, pack: &Pack, lang: Lang) -> String {
        let mut out = String::new();
        self.write_to(ty, pack, lang, &mut out);
        out
    }

    /// [`Scalar::write`], appended to `out`.
    pub(super) fn write_to(&self, ty: Option<&Ty>, pack: &Pack, lang: Lang, out: &mut String) {
        if let (Scalar::Text(s), Some(Ty::Enum(e))) = (self, ty) {
            return labels::push_enum_value(out, pack, *e, s, lang);
        }
        match (self, ty.and_then(|t| t.unit())) {
            (Scalar::Decimal(d), Some(Unit::Share)) => push_share(out, *d, lang),
            (Scalar::Decimal(d), Some(Unit::Money)) => push_money(out, *d, lang),
            (Scalar::Int(i), Some(Unit::Money)) => push_money(out, Decimal::from(*i), lang),
            (Scalar::Decimal(d), _) => push_decimal(out, *d, lang, false),
            (Scalar::Int(i), _) => push_int(out, *i),
            (Scalar::Date(d), _) => push_date(out, *d, lang),
            (Scalar::Bool(b), _) => out.push_str(match (b, lang) {
                (true, Lang::Vi) => "có",
                (false, Lang::Vi) => "không",
                (true, Lang::En) => "yes",
                (false, Lang::En) => "no",
            }),
            (Scalar::Text(s), _) => out.push_str(s),
        }
    }
}

/// A fact that was given but rejected (wrong type, out of bounds, failing a constraint): the
/// decision that needed it names it in its reasons, not in `missing`.
#[derive(Clone, Debug)]
pub(super) struct Invalid {
    pub error: FieldError,
    /// The value as given, when it is a single value (text, number, yes/no).
    pub given: Option<String>,
}

/// One decision about one record: outcome, value, target, reasons, missing facts, citation.
#[derive(Clone, Debug)]
pub struct Decision<'e> {
    pub(super) rule: &'e Rule,
    pub(super) pack: &'e Pack,
    /// The record type of the rule's entity (to name fields by their labels).
    pub(super) record: usize,
    pub(super) outcome: Outcome,
    pub(super) value: Option<Scalar>,
    pub(super) target: Option<Scalar>,
    /// The values of the rule's `let`s, then of the other values its messages name.
    pub(super) args: Vec<Option<Scalar>>,
    /// Whether each wording of the outcome's messages applies (its `when`).
    pub(super) whens: Vec<bool>,
    pub(super) missing: Vec<String>,
    pub(super) invalid: Vec<Invalid>,
    pub(super) notes: Vec<Note>,
    pub(super) as_of: Date,
}

impl<'e> Decision<'e> {
    /// The reforms this decision may differ under (it, a parameter it reads or a rule it
    /// refers to was changed by them); empty for a pack as written.
    pub fn reforms(&self) -> Vec<&'e crate::model::ReformInfo> {
        self.rule
            .reforms
            .iter()
            .filter_map(|&i| self.pack.reforms.get(i))
            .collect()
    }
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
    /// JSON Pointers of the absent facts that would decide an unknown outcome. A fact that
    /// was given but rejected (see [`Evaluation::errors`]) is not absent: it is not listed
    /// here, and the reasons say why it was rejected.
    pub fn missing(&self) -> &[String] {
        &self.missing
    }
    /// Where the rule comes from.
    pub fn cite(&self) -> &'e Cite {
        &self.rule.cite
    }

    /// The value as a person writes it in `lang` (`77,5%`, `1.500.000 đồng`, `31/12/2025`),
    /// when there is one.
    ///
    /// ```
    /// use htx_rules::{Date, Engine, Lang};
    /// let engine = Engine::embedded().unwrap();
    /// let coop = serde_json::json!({ "kind": "htx", "workers": { "total": 40, "female": 31 } });
    /// let r = engine.evaluate("cooperative", &coop, Date::parse("2025-06-30").unwrap()).unwrap();
    /// let d = r.decision("female_labour_share").unwrap();
    /// assert_eq!(d.value_text(Lang::Vi).as_deref(), Some("77,5%"));
    /// assert_eq!(d.value_text(Lang::En).as_deref(), Some("77.5%"));
    /// ```
    pub fn value_text(&self, lang: Lang) -> Option<String> {
        let ty = self.rule.value.as_ref().map(|x| &x.1);
        self.value.as_ref().map(|v| v.write(ty, self.pack, lang))
    }

    /// The target as a person writes it in `lang`, when there is one.
    pub fn target_text(&self, lang: Lang) -> Option<String> {
        let ty = self.rule.target.as_ref().map(|x| &x.1);
        self.target.as_ref().map(|v| v.write(ty, self.pack, lang))
    }

    /// Why, in Vietnamese and English, with the actual figures. Facts are named by their labels
    /// in the pack, values written as people write them; no placeholder or JSON Pointer.
    pub fn reasons(&self) -> Vec<Message> {
        let mut out = Vec::new();
        let missing = self.missing_labels();
        let fill = self.fill(missing.as_ref());
        let templates = self.templates();
        self.each_reason(missing.as_ref(), |r| match r {
            Reason::Said(i) => {
                if let Some(m) = templates.get(i).and_then(|t| fill.message(t)) {
                    out.push(m);
                }
            }
            Reason::Missing => {
                if let Some(m) = &missing {
                    out.push(msg!(
                        vi: format!("{MISSING_VI}{}", m.vi),
                        en: format!("{MISSING_EN}{}", m.en),
                    ));
                }
            }
            Reason::Text(m) => out.push(m),
        });
        out
    }

    /// The wordings of the outcome's messages.
    pub(super) fn templates(&self) -> &'e [Template] {
        match self.outcome {
            Outcome::Yes => &self.rule.messages.yes,
            Outcome::No => &self.rule.messages.no,
            Outcome::Unknown => &self.rule.messages.unknown,
        }
    }

    /// What the messages' placeholders are filled with, `missing` the labels of the missing
    /// facts ([`Decision::missing_labels`]).
    pub(super) fn fill<'a>(&'a self, missing: Option<&'a Message>) -> Fill<'a> {
        Fill {
            pack: self.pack,
            rule: self.rule,
            value: self.value.as_ref(),
            target: self.target.as_ref(),
            args: &self.args,
            missing,
        }
    }

    /// The reasons in order, each handed to `f` as what makes it (the one place that decides
    /// which reasons a decision gives: [`Decision::reasons`] writes them out, the JSON writer
    /// writes them straight into its buffer). `missing`: the labels of the missing facts.
    pub(super) fn each_reason(&self, missing: Option<&Message>, mut f: impl FnMut(Reason)) {
        let templates = self.templates();
        // outside its period, or past the budget, the rule's own message would mislead
        let period_note = self
            .notes
            .iter()
            .any(|n| matches!(n, Note::Period { .. } | Note::Budget));
        let said = if period_note {
            None
        } else {
            self.fill(missing).choose(templates, &self.whens)
        };
        // a wording chosen by its `when` explains the outcome itself: the engine's general
        // notes (a division by zero…) would only repeat it less well
        let specific = said.is_some_and(|i| templates.get(i).is_some_and(|t| t.when.is_some()));
        let mut any = false;
        if self.outcome == Outcome::Unknown && !specific {
            for n in &self.notes {
                f(Reason::Text(self.note_message(n)));
                any = true;
            }
        }
        if let Some(i) = said {
            f(Reason::Said(i));
            any = true;
        }
        if self.outcome == Outcome::Unknown {
            for i in &self.invalid {
                f(Reason::Text(self.invalid_message(i)));
                any = true;
            }
            if missing.is_some() {
                f(Reason::Missing);
                any = true;
            }
        }
        if !any {
            let title = self
                .rule
                .title
                .clone()
                .unwrap_or_else(|| labels::humanize(&self.rule.name));
            let said = self.outcome.label();
            f(Reason::Text(msg!(
                vi: format!("{}: {}", title.vi, said.vi),
                en: format!("{}: {}", title.en, said.en),
            )));
        }
    }

    /// The labels of the missing facts, in schema order, joined.
    pub(super) fn missing_labels(&self) -> Option<Message> {
        if self.missing.is_empty() {
            return None;
        }
        let mut ptrs: Vec<&String> = self.missing.iter().collect();
        ptrs.sort_by_cached_key(|p| labels::schema_order(self.pack, self.record, p));
        let names: Vec<Message> = ptrs
            .iter()
            .map(|p| labels::pointer_or_name(self.pack, self.record, p))
            .collect();
        let mut vi: Vec<&str> = Vec::new();
        let mut en: Vec<&str> = Vec::new();
        for n in &names {
            if !vi.contains(&n.vi.as_str()) {
                vi.push(&n.vi);
            }
            if !en.contains(&n.en.as_str()) {
                en.push(&n.en);
            }
        }
        Some(msg!(vi: vi.join("; "), en: en.join("; ")))
    }

    /// Why a given fact was not used: the constraint's or bound's own message (with the
    /// figures), or the field's label, the value given and what it must be.
    fn invalid_message(&self, i: &Invalid) -> Message {
        let e = &i.error;
        let why = match Code::parse(&e.code) {
            // a bound: the message names the field and the figures
            Some(Code::FactsMin | Code::FactsMax) => e.message.clone(),
            // a constraint of the pack: its message has the figures; an item of a list is
            // named first ("Người quản lý thứ 2 — Chức danh: …")
            None if e.field.split('/').any(|s| s.parse::<usize>().is_ok()) => {
                let label = labels::pointer_or_name(self.pack, self.record, &e.field);
                msg!(
                    vi: format!("{}: {}", label.vi, e.message.vi),
                    en: format!("{}: {}", label.en, e.message.en),
                )
            }
            None => e.message.clone(),
            Some(_) => {
                let label = labels::pointer_or_name(self.pack, self.record, &e.field);
                let want = labels::pointer_type(self.pack, self.record, &e.field)
                    .map(|t| labels::expected(self.pack, t));
                let given = i
                    .given
                    .as_ref()
                    .map(|g| format!(" ({g})"))
                    .unwrap_or_default();
                match want {
                    Some(w) => msg!(
                        vi: format!("{}{given}: cần {}", label.vi, w.vi),
                        en: format!("{}{given}: expected {}", label.en, w.en),
                    ),
                    None => msg!(
                        vi: format!("{}{given}: giá trị không hợp lệ", label.vi),
                        en: format!("{}{given}: not a valid value", label.en),
                    ),
                }
            }
        };
        msg!(
            vi: format!("Dữ liệu không hợp lệ, chưa được dùng: {}", why.vi),
            en: format!("Invalid fact, not used: {}", why.en),
        )
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
                match p.params.get(*param).and_then(|x| x.label.as_ref()) {
                    Some(l) => msg!(
                        vi: format!("Tham số “{}” không có giá trị áp dụng tại ngày {}", l.vi, date.to_vi()),
                        en: format!("The parameter “{}” has no value in force on {date}", l.en),
                    ),
                    None => msg!(
                        vi: format!("Một tham số của quy tắc không có giá trị áp dụng tại ngày {}", date.to_vi()),
                        en: format!("A parameter of the rule has no value in force on {date}"),
                    ),
                }
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
            Note::NoPeriod { group } => match p.groups.get(*group).and_then(|x| x.label.as_ref()) {
                Some(l) => msg!(
                    vi: format!("Ngày này không thuộc thời kỳ nào của: {}", l.vi),
                    en: format!("The date falls in no period of: {}", l.en),
                ),
                None => msg!(
                    vi: "Ngày này không thuộc giai đoạn nào của quy tắc",
                    en: "The date falls in no period the rule knows",
                ),
            },
            Note::BadDate => msg!(vi: "Ngày không tồn tại", en: "No such date"),
            Note::Budget => msg!(
                vi: format!(
                    "Quy tắc cần quá nhiều phép tính với dữ liệu này (quá {} bước) nên chưa xác định được",
                    write_decimal(Decimal::from(EVAL_STEPS), Lang::Vi, true),
                ),
                en: format!(
                    "The rule needs too much work for these facts (more than {} steps), so it is left unknown",
                    write_decimal(Decimal::from(EVAL_STEPS), Lang::En, true),
                ),
            ),
        }
    }

    /// The contract's JSON shape of a decision.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// What a message's placeholders are filled with.
pub(super) struct Fill<'a> {
    pub pack: &'a Pack,
    pub rule: &'a Rule,
    pub value: Option<&'a Scalar>,
    pub target: Option<&'a Scalar>,
    /// The rule's `let`s, then its messages' other values ([`Rule::args`]).
    pub args: &'a [Option<Scalar>],
    /// The labels of the missing facts, `None` when none is missing.
    pub missing: Option<&'a Message>,
}

impl Fill<'_> {
    /// Whether placeholder `p` has a value (text always has).
    fn known(&self, p: &Part) -> bool {
        let arg = |i: usize| self.args.get(i).is_some_and(Option::is_some);
        match p {
            Part::Text(_) => true,
            Part::Value => self.value.is_some(),
            Part::Target => self.target.is_some(),
            Part::Local(i) => arg(*i),
            Part::Arg(j) => arg(self.rule.locals.len() + j),
            Part::Missing => self.missing.is_some(),
        }
    }

    /// The value of placeholder `p` and its type, when it is one with a value.
    fn scalar(&self, p: &Part) -> Option<(&Scalar, Option<&Ty>)> {
        fn arg<'x>(
            args: &'x [Option<Scalar>],
            i: usize,
            ty: Option<&'x Ty>,
        ) -> Option<(&'x Scalar, Option<&'x Ty>)> {
            args.get(i).and_then(Option::as_ref).map(|v| (v, ty))
        }
        match p {
            Part::Text(_) | Part::Missing => None,
            Part::Value => self
                .value
                .map(|v| (v, self.rule.value.as_ref().map(|x| &x.1))),
            Part::Target => self
                .target
                .map(|v| (v, self.rule.target.as_ref().map(|x| &x.1))),
            Part::Local(i) => arg(self.args, *i, self.rule.locals.get(*i).map(|l| &l.2)),
            Part::Arg(j) => arg(
                self.args,
                self.rule.locals.len() + j,
                self.rule.args.get(*j).map(|a| &a.2),
            ),
        }
    }

    /// Appends part `p` in `lang` to `out` (nothing when it has no value: see [`Fill::known`]).
    pub(super) fn part_to(&self, p: &Part, lang: Lang, out: &mut String) {
        match p {
            Part::Text(x) => out.push_str(x),
            Part::Missing => {
                if let Some(m) = self.missing {
                    out.push_str(m.get(lang));
                }
            }
            _ => {
                if let Some((v, ty)) = self.scalar(p) {
                    v.write_to(ty, self.pack, lang, out);
                }
            }
        }
    }

    /// A wording in both languages, `None` when a placeholder has no value.
    fn message(&self, t: &Template) -> Option<Message> {
        if !t.vi.iter().chain(&t.en).all(|p| self.known(p)) {
            return None;
        }
        let text = |parts: &[Part], lang| {
            let mut s = String::new();
            for p in parts {
                self.part_to(p, lang, &mut s);
            }
            s
        };
        Some(Message {
            vi: text(&t.vi, Lang::Vi),
            en: text(&t.en, Lang::En),
        })
    }

    /// The first wording whose `when` holds (`whens`, by position; absent: it holds) and whose
    /// placeholders are all known, in both languages; `None` when there is none.
    pub(super) fn choose(&self, templates: &[Template], whens: &[bool]) -> Option<usize> {
        templates.iter().enumerate().position(|(i, t)| {
            whens.get(i).copied().unwrap_or(true) && t.vi.iter().chain(&t.en).all(|p| self.known(p))
        })
    }

    /// [`Fill::choose`], and the wording written out. The index of the wording used comes
    /// with it.
    pub(super) fn render(
        &self,
        templates: &[Template],
        whens: &[bool],
    ) -> Option<(usize, Message)> {
        let i = self.choose(templates, whens)?;
        Some((i, self.message(templates.get(i)?)?))
    }
}

/// One reason of a decision, as [`Decision::each_reason`] gives it.
pub(super) enum Reason {
    /// Wording `i` of the outcome's messages, its placeholders filled.
    Said(usize),
    /// "Missing facts: " and the labels of the missing facts.
    Missing,
    /// Any other reason, written out.
    Text(Message),
}

/// What the reason naming the missing facts starts with.
const MISSING_VI: &str = "Thiếu dữ liệu: ";
/// The same, in English.
const MISSING_EN: &str = "Missing facts: ";

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
        if !self.rule.reforms.is_empty() {
            // (added to the contract's shape only under a reform: the ids it is under)
            let ids: Vec<&str> = self.reforms().iter().map(|r| r.id.as_str()).collect();
            m.serialize_entry("reforms", &ids)?;
        }
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

/// Writes evaluations as the contract's JSON, the same bytes `serde_json` writes for an
/// [`Evaluation`] (its `Serialize`), with less work per record: what is the same for every
/// record (a rule's name, its citation, the text of its messages around the figures) is
/// escaped once, when the writer is made; the figures and labels are written into one reused
/// string and escaped only when they hold a character JSON escapes; the labels of the missing
/// facts are kept for the sets of facts seen. For a command line writing millions of records;
/// one writer per thread (it keeps what it has seen).
///
/// ```
/// use htx_rules::{Date, Engine, JsonWriter};
/// let engine = Engine::embedded().unwrap();
/// let coop = serde_json::json!({ "id": "A", "kind": "htx", "workers": { "total": 40, "female": 31 } });
/// let ev = engine.evaluate("cooperative", &coop, Date::parse("2025-06-30").unwrap()).unwrap();
/// let mut w = JsonWriter::new(&engine);
/// let mut buf = Vec::new();
/// w.write(&ev, &mut buf);
/// assert_eq!(buf, serde_json::to_vec(&ev).unwrap());
/// ```
pub struct JsonWriter<'e> {
    rules: Vec<RuleJson<'e>>,
    /// A rule's place in `rules`, by its address.
    by_rule: std::collections::HashMap<usize, usize>,
    /// Where the next decision's rule probably is (decisions come in pack order).
    hint: usize,
    /// Where the last record's first decision's rule was.
    first: usize,
    /// Figures and labels are written here, then escaped into the output.
    scratch: String,
    /// Decimals as last written in text (a share is written in several decisions' reasons):
    /// the decimal's bits, its unit and the language, and the text.
    figures: Vec<(Figure, Vec<u8>)>,
}

/// A decimal as written: its bits, and its unit and language in a reason (no language: a
/// decision's value or target in JSON).
type Figure = ([u8; 16], Option<Unit>, Option<Lang>);

/// How many decimals a writer keeps written (then it starts again).
const FIGURES_KEPT: usize = 16;
/// How many sets of missing facts a writer keeps the labels of, per rule.
const MISSING_KEPT: usize = 8;

/// A wording's parts in one language: the escaped text of each (`None` for a placeholder).
type EscapedParts = Vec<Option<Vec<u8>>>;

/// What is the same in every decision of a rule, escaped once.
struct RuleJson<'e> {
    rule: &'e Rule,
    /// `"name":{"outcome":"`
    head: Vec<u8>,
    /// `,"cite":{…}` (and `,"reforms":[…]`) and the closing `}`.
    tail: Vec<u8>,
    /// Per outcome (yes, no, unknown), per wording: the escaped text of each part in each
    /// language (`None` for a placeholder).
    templates: [Vec<[EscapedParts; 2]>; 3],
    /// The labels of the sets of missing facts seen last (the pointers, the labels).
    missing: Vec<(Vec<String>, Option<Message>)>,
}

impl<'e> JsonWriter<'e> {
    /// A writer for the evaluations of `engine` (every entity's rules).
    pub fn new(engine: &'e crate::Engine) -> JsonWriter<'e> {
        let pack = &engine.pack;
        let mut rules = Vec::new();
        let mut by_rule = std::collections::HashMap::new();
        for e in &pack.entities {
            for rule in &e.rules {
                by_rule.insert(rule as *const Rule as usize, rules.len());
                rules.push(RuleJson::new(rule, pack));
            }
        }
        JsonWriter {
            rules,
            by_rule,
            hint: 0,
            first: 0,
            scratch: String::new(),
            figures: Vec::new(),
        }
    }

    /// Appends `ev` as JSON to `buf`: `{"id": …, "decisions": {name: decision}}` (plus
    /// `"errors"`), byte for byte what `serde_json::to_writer(buf, ev)` writes.
    pub fn write(&mut self, ev: &Evaluation<'_>, buf: &mut Vec<u8>) {
        buf.extend_from_slice(b"{\"id\":");
        match &ev.id {
            Some(id) => json_str(id, buf),
            None => buf.extend_from_slice(b"null"),
        }
        buf.extend_from_slice(b",\"decisions\":{");
        self.hint = self.first;
        for (k, d) in ev.decisions.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            } else {
                self.first = self.find_index(d.rule).unwrap_or(0);
                self.hint = self.first;
            }
            self.decision(d, buf);
        }
        buf.push(b'}');
        if !ev.errors.is_empty() {
            buf.extend_from_slice(b",\"errors\":");
            let _ = serde_json::to_writer(&mut *buf, &ev.errors);
        }
        buf.push(b'}');
    }

    /// A rule's place in `rules`, when it is one of this writer's pack (without moving the
    /// hint).
    fn find_index(&self, rule: &Rule) -> Option<usize> {
        if self
            .rules
            .get(self.hint)
            .is_some_and(|r| std::ptr::eq(r.rule, rule))
        {
            return Some(self.hint);
        }
        self.by_rule.get(&(rule as *const Rule as usize)).copied()
    }

    /// A rule's place in `rules`, when it is one of this writer's pack.
    fn find(&mut self, rule: &Rule) -> Option<usize> {
        if self
            .rules
            .get(self.hint)
            .is_some_and(|r| std::ptr::eq(r.rule, rule))
        {
            let i = self.hint;
            self.hint += 1;
            return Some(i);
        }
        let i = *self.by_rule.get(&(rule as *const Rule as usize))?;
        self.hint = i + 1;
        Some(i)
    }

    /// `"name":{…}`.
    fn decision(&mut self, d: &Decision<'_>, buf: &mut Vec<u8>) {
        let Some(i) = self.find(d.rule) else {
            // a rule of another pack (an engine under a reform): written as serde writes it
            json_str(&d.rule.name, buf);
            buf.push(b':');
            let _ = serde_json::to_writer(&mut *buf, d);
            return;
        };
        let JsonWriter {
            rules,
            scratch,
            figures,
            ..
        } = self;
        // the labels of the missing facts: kept per rule for the sets seen last
        if let Some(r) = rules.get_mut(i) {
            if !d.missing.is_empty() && !r.missing.iter().any(|(m, _)| *m == d.missing) {
                if r.missing.len() >= MISSING_KEPT {
                    r.missing.remove(0);
                }
                r.missing.push((d.missing.clone(), d.missing_labels()));
            }
        }
        let Some(r) = rules.get(i) else { return };
        buf.extend_from_slice(&r.head);
        buf.extend_from_slice(d.outcome.as_str().as_bytes());
        buf.extend_from_slice(b"\",\"value\":");
        scalar_json(d.value.as_ref(), figures, buf);
        buf.extend_from_slice(b",\"target\":");
        scalar_json(d.target.as_ref(), figures, buf);
        buf.extend_from_slice(b",\"reasons\":[");
        let missing = if d.missing.is_empty() {
            None
        } else {
            r.missing
                .iter()
                .find(|(m, _)| *m == d.missing)
                .and_then(|(_, l)| l.as_ref())
        };
        let fill = d.fill(missing);
        let templates = d.templates();
        let escaped = r.templates.get(match d.outcome {
            Outcome::Yes => 0,
            Outcome::No => 1,
            Outcome::Unknown => 2,
        });
        let mut first = true;
        d.each_reason(missing, |reason| {
            let said = match reason {
                // (chosen among these wordings: always there)
                Reason::Said(i) => match templates.get(i) {
                    Some(t) => Some((t, escaped.and_then(|e| e.get(i)))),
                    None => return,
                },
                _ => None,
            };
            if !first {
                buf.push(b',');
            }
            first = false;
            match reason {
                Reason::Said(_) => {
                    let Some((t, pre)) = said else { return };
                    buf.extend_from_slice(b"{\"vi\":\"");
                    let [pre_vi, pre_en] = match pre {
                        Some([vi, en]) => [Some(vi), Some(en)],
                        None => [None, None],
                    };
                    say(&fill, &t.vi, pre_vi, Lang::Vi, (scratch, figures), buf);
                    buf.extend_from_slice(b"\",\"en\":\"");
                    say(&fill, &t.en, pre_en, Lang::En, (scratch, figures), buf);
                    buf.extend_from_slice(b"\"}");
                }
                Reason::Missing => {
                    let (vi, en) = missing.map_or(("", ""), |m| (m.vi.as_str(), m.en.as_str()));
                    buf.extend_from_slice(b"{\"vi\":\"");
                    // (the two constants hold nothing JSON escapes: see the test)
                    buf.extend_from_slice(MISSING_VI.as_bytes());
                    escaped_contents(vi, buf);
                    buf.extend_from_slice(b"\",\"en\":\"");
                    buf.extend_from_slice(MISSING_EN.as_bytes());
                    escaped_contents(en, buf);
                    buf.extend_from_slice(b"\"}");
                }
                Reason::Text(m) => {
                    buf.extend_from_slice(b"{\"vi\":");
                    json_str(&m.vi, buf);
                    buf.extend_from_slice(b",\"en\":");
                    json_str(&m.en, buf);
                    buf.push(b'}');
                }
            }
        });
        buf.extend_from_slice(b"],\"missing\":[");
        for (k, p) in d.missing.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            json_str(p, buf);
        }
        buf.push(b']');
        buf.extend_from_slice(&r.tail);
    }
}

/// One language of a wording: the text parts as escaped once, the placeholders written and
/// escaped now (figures, which JSON never escapes, written once for all the reasons they
/// appear in).
fn say(
    fill: &Fill<'_>,
    parts: &[Part],
    pre: Option<&EscapedParts>,
    lang: Lang,
    (scratch, figures): (&mut String, &mut Vec<(Figure, Vec<u8>)>),
    buf: &mut Vec<u8>,
) {
    for (k, p) in parts.iter().enumerate() {
        if let Some(Some(text)) = pre.and_then(|pre| pre.get(k)) {
            buf.extend_from_slice(text);
            continue;
        }
        scratch.clear();
        match fill.scalar(p) {
            Some((v @ Scalar::Decimal(d), ty)) => {
                let key = (d.serialize(), ty.and_then(Ty::unit), Some(lang));
                if let Some((_, text)) = figures.iter().find(|(k, _)| *k == key) {
                    buf.extend_from_slice(text);
                    continue;
                }
                // digits, separators, `%`, `≈`, "đồng": nothing JSON escapes
                v.write_to(ty, fill.pack, lang, scratch);
                if figures.len() >= FIGURES_KEPT {
                    figures.clear();
                }
                figures.push((key, scratch.as_bytes().to_vec()));
                buf.extend_from_slice(scratch.as_bytes());
            }
            Some((v @ (Scalar::Int(_) | Scalar::Date(_) | Scalar::Bool(_)), ty)) => {
                // digits, separators, "có"/"không": nothing JSON escapes
                v.write_to(ty, fill.pack, lang, scratch);
                buf.extend_from_slice(scratch.as_bytes());
            }
            _ => {
                fill.part_to(p, lang, scratch);
                escaped_contents(scratch, buf);
            }
        }
    }
}

impl<'e> RuleJson<'e> {
    fn new(rule: &'e Rule, pack: &'e Pack) -> RuleJson<'e> {
        let mut head = Vec::new();
        json_str(&rule.name, &mut head);
        head.extend_from_slice(b":{\"outcome\":\"");
        let mut tail = b",\"cite\":".to_vec();
        let _ = serde_json::to_writer(&mut tail, &rule.cite);
        if !rule.reforms.is_empty() {
            let ids: Vec<&str> = rule
                .reforms
                .iter()
                .filter_map(|&i| pack.reforms.get(i))
                .map(|r| r.id.as_str())
                .collect();
            tail.extend_from_slice(b",\"reforms\":");
            let _ = serde_json::to_writer(&mut tail, &ids);
        }
        tail.push(b'}');
        let escape = |ts: &[Template]| -> Vec<[EscapedParts; 2]> {
            ts.iter()
                .map(|t| [escape_parts(&t.vi), escape_parts(&t.en)])
                .collect()
        };
        RuleJson {
            rule,
            head,
            tail,
            missing: Vec::new(),
            templates: [
                escape(&rule.messages.yes),
                escape(&rule.messages.no),
                escape(&rule.messages.unknown),
            ],
        }
    }
}

fn escape_parts(parts: &[Part]) -> EscapedParts {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(x) => {
                let mut v = Vec::new();
                escaped_contents(x, &mut v);
                Some(v)
            }
            _ => None,
        })
        .collect()
}

/// Whether JSON escapes a character of `s` (`"`, `\\`, a control character); serde_json
/// escapes nothing else. Sixteen bytes at a time, with no early exit inside (the compiler
/// makes it a vector compare).
fn needs_escape(s: &str) -> bool {
    let bad = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut chunks = s.as_bytes().chunks_exact(16);
    for c in &mut chunks {
        if c.iter().fold(false, |acc, &b| acc | bad(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| bad(b))
}

/// `s` as a JSON string, quoted.
fn json_str(s: &str, buf: &mut Vec<u8>) {
    if needs_escape(s) {
        let _ = serde_json::to_writer(&mut *buf, s);
    } else {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    }
}

/// `s` escaped as inside a JSON string, without the quotes.
fn escaped_contents(s: &str, buf: &mut Vec<u8>) {
    if needs_escape(s) {
        let mut v = Vec::new();
        let _ = serde_json::to_writer(&mut v, s);
        // serde_json writes the quotes around what is escaped
        if let Some(inner) = v.get(1..v.len().saturating_sub(1)) {
            buf.extend_from_slice(inner);
        }
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// A decision's value or target as [`ScalarJson`] writes it (a decimal kept in `figures`: a
/// share is the value of several decisions).
fn scalar_json(v: Option<&Scalar>, figures: &mut Vec<(Figure, Vec<u8>)>, buf: &mut Vec<u8>) {
    use std::io::Write;
    let _ = match v {
        None => buf.write_all(b"null"),
        Some(Scalar::Bool(b)) => buf.write_all(if *b { b"true" } else { b"false" }),
        Some(Scalar::Int(i)) => {
            int_text(*i, |s| buf.extend_from_slice(s.as_bytes()));
            Ok(())
        }
        Some(Scalar::Decimal(d)) => {
            let key = (d.serialize(), None, None);
            if let Some((_, text)) = figures.iter().find(|(k, _)| *k == key) {
                buf.extend_from_slice(text);
                return;
            }
            let mut text = Vec::with_capacity(32);
            text.push(b'"');
            decimal_plain(d.normalize(), |s| text.extend_from_slice(s.as_bytes()));
            text.push(b'"');
            buf.extend_from_slice(&text);
            if figures.len() >= FIGURES_KEPT {
                figures.clear();
            }
            figures.push((key, text));
            Ok(())
        }
        Some(Scalar::Date(d)) => write!(buf, "\"{d}\""),
        Some(Scalar::Text(t)) => {
            json_str(t, buf);
            Ok(())
        }
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constants_written_unescaped_need_no_escaping() {
        assert!(!needs_escape(MISSING_VI));
        assert!(!needs_escape(MISSING_EN));
        assert!(needs_escape("a\"b"));
        assert!(needs_escape("0123456789abcdef0123\\"));
        assert!(needs_escape("0123456789abcdef\u{1}"));
        assert!(!needs_escape(
            "Tỷ lệ lao động nữ ≈63,16% (24 trên 38 người lao động)/"
        ));
    }
}
