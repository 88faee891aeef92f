//! The compiled, resolved form of a rule pack: no names are looked up while evaluating.
//!
//! Values and types ([`Val`], [`Ty`]) live in [`crate::value`], which both this module and the
//! expression IR use, so the two do not import each other.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::expr::ir::Ex;
use crate::text::{Message, Unit};
use crate::value::{Ty, Val};

/// `v` (of type `ty`) with its texts of an enum type interned ([`Val::Enum`]); texts that are
/// no value of their enum stay as they are.
pub(crate) fn intern_enums(v: Val, ty: &Ty, enums: &[EnumType]) -> Val {
    match (v, ty) {
        (Val::Str(s), Ty::Enum(e)) => match enums.get(*e).and_then(|et| et.val(*e, &s)) {
            Some(x) => x,
            None => Val::Str(s),
        },
        (Val::List(items), Ty::List(inner)) => Val::List(
            items
                .into_iter()
                .map(|i| intern_enums(i, inner, enums))
                .collect(),
        ),
        (v, _) => v,
    }
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct EnumType {
    pub name: String,
    pub values: Vec<String>,
    pub labels: Vec<Option<Message>>,
    /// Each value's position in `values`, for [`EnumType::contains`] and [`EnumType::val`]
    /// (an enum may have thousands of values: communes).
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub index: HashMap<String, usize>,
    /// The values' texts, shared by every [`crate::value::EnumVal`] of this type.
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub texts: Vec<std::sync::Arc<str>>,
}

impl EnumType {
    /// [`EnumType::index`] of `values` (a value written twice keeps its first position).
    pub(crate) fn index_of(values: &[String]) -> HashMap<String, usize> {
        let mut index = HashMap::with_capacity(values.len());
        for (i, v) in values.iter().enumerate() {
            index.entry(v.clone()).or_insert(i);
        }
        index
    }

    /// The interned value `s` of this type (enum type `ty`), if it is one of its values.
    pub(crate) fn val(&self, ty: usize, s: &str) -> Option<Val> {
        let i = *self.index.get(s)?;
        let text = match self.texts.get(i) {
            Some(t) => t.clone(),
            None => std::sync::Arc::from(s),
        };
        Some(Val::Enum(crate::value::EnumVal {
            ty: u32::try_from(ty).ok()?,
            idx: u32::try_from(i).ok()?,
            text,
        }))
    }

    /// Whether `s` is one of the enum's values (hashed: not a scan of a long enum).
    pub(crate) fn contains(&self, s: &str) -> bool {
        self.index.contains_key(s)
    }
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct FieldDef {
    pub name: String,
    pub ty: Ty,
    pub label: Option<Message>,
    pub doc: Option<String>,
    pub required: bool,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct RecordType {
    pub name: String,
    pub fields: Vec<FieldDef>,
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub by_name: HashMap<String, usize>,
    pub label: Option<Message>,
    pub id_field: Option<usize>,
    /// Whether the record or a record inside it has a field with `min` or `max` (else the
    /// check of bounds skips it).
    pub bounded: bool,
}

/// A citation of the legal text a rule or value rests on.
#[cfg_attr(feature = "compiled", derive(serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cite {
    /// Document number, e.g. `2747/KH-UBND`.
    pub document: String,
    /// Section, e.g. `II.1.b`.
    pub section: String,
    /// The document's own wording, when quoted.
    pub wording: Option<String>,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct ParamValue {
    pub from: Date,
    pub to: Option<Date>,
    pub value: Val,
    pub cite: Option<Cite>,
    /// True for a value set by a later document (`[[override]]`) or a reform.
    pub overrides: bool,
    /// The reform that set it (its index in [`Pack::reforms`]).
    pub reform: Option<usize>,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub name: String,
    pub ty: Ty,
    pub label: Option<Message>,
    pub cite: Option<Cite>,
    pub note: Option<String>,
    pub confidence: Option<String>,
    /// Dated values, overrides first (latest `from` first), then the base values.
    pub values: Vec<ParamValue>,
}

impl Param {
    pub(crate) fn at(&self, d: Date) -> Option<&Val> {
        self.values
            .iter()
            .find(|v| v.from <= d && v.to.is_none_or(|t| d <= t))
            .map(|v| &v.value)
    }
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Period {
    pub index: i64,
    pub name: String,
    pub from: Date,
    pub to: Date,
    pub label: Option<Message>,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct PeriodGroup {
    pub name: String,
    pub label: Option<Message>,
    pub cite: Option<Cite>,
    pub members: Vec<Period>,
}

impl PeriodGroup {
    pub(crate) fn at(&self, d: Date) -> Option<&Period> {
        self.members.iter().find(|p| p.from <= d && d <= p.to)
    }
    pub(crate) fn member(&self, index: i64) -> Option<&Period> {
        self.members.iter().find(|p| p.index == index)
    }
}

#[cfg_attr(feature = "compiled", derive(serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RuleKind {
    Decision,
    Value,
    Constraint,
}

/// A piece of a message template.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Part {
    Text(String),
    /// `{value}`: the rule's value.
    Value,
    /// `{target}`: the rule's target.
    Target,
    /// `{name}` of a `let`: its index in [`Rule::locals`].
    Local(usize),
    /// `{path}`: a field, `as_of`, a rule or a parameter, its index in [`Rule::args`].
    Arg(usize),
    /// `{missing}`: the labels of the absent facts.
    Missing,
}

impl Part {
    /// Whether the part is a placeholder (needs a value), not text.
    pub(crate) fn is_hole(&self) -> bool {
        !matches!(self, Part::Text(_))
    }
}

/// One wording of a message: Vietnamese and English, and when it applies.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Template {
    pub vi: Vec<Part>,
    pub en: Vec<Part>,
    /// The alternative's `when`: it is used only when this holds (and its placeholders are
    /// known).
    pub when: Option<Ex>,
    /// As written, for `explain`.
    pub source: Message,
    /// The `when` as written, for `explain`.
    pub when_source: Option<String>,
}

impl Template {
    /// The placeholders of both languages.
    pub(crate) fn holes(&self) -> impl Iterator<Item = &Part> {
        self.vi.iter().chain(&self.en).filter(|p| p.is_hole())
    }
}

/// A rule's wordings per outcome: alternatives in order; the first whose `when` holds and
/// whose placeholders are all known is used.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, Default)]
pub(crate) struct Messages {
    pub yes: Vec<Template>,
    pub no: Vec<Template>,
    pub unknown: Vec<Template>,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub name: String,
    pub kind: RuleKind,
    pub internal: bool,
    pub title: Option<Message>,
    pub applies_in: Option<usize>,
    pub locals: Vec<(String, Ex, Ty)>,
    /// What message templates name besides `let`s (`{workers.female}`, `{as_of}`), evaluated
    /// only for reasons and errors; as written, compiled, and typed.
    pub args: Vec<(String, Ex, Ty)>,
    pub when: Option<Ex>,
    pub value: Option<(Ex, Ty)>,
    pub target: Option<(Ex, Ty)>,
    /// Constraint: the list field to check element by element (slot path), bound as `it`.
    pub each: Option<(Ex, String)>,
    pub field: Option<String>,
    pub code: Option<String>,
    pub cite: Cite,
    pub interpretation: Option<Message>,
    pub confidence: Option<String>,
    pub messages: Messages,
    /// The expressions as written, for `explain`.
    pub source: Vec<(String, String)>,
    pub pack: String,
    /// The reforms that replaced parts of this rule (indices in [`Pack::reforms`]).
    pub changed_by: Vec<usize>,
    /// The reforms its outcome may differ under: those that changed it, a parameter it reads
    /// or a rule it refers to, transitively (sorted).
    pub reforms: Vec<usize>,
}

#[cfg_attr(feature = "compiled", derive(serde::Deserialize))]
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Info {
    pub name: String,
    pub title: Message,
    pub cite: Option<Cite>,
    pub items: Vec<Message>,
    pub pack: String,
}

#[derive(Clone, Debug)]
pub(crate) struct TestCase {
    pub name: String,
    pub file: String,
    pub line: usize,
    pub entity: String,
    pub as_of: Date,
    pub facts: serde_json::Value,
    pub expect: Vec<(String, Expect)>,
    pub valid: Option<bool>,
    pub errors: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Expect {
    pub outcome: Option<String>,
    pub value: Option<String>,
    pub target: Option<String>,
    pub missing: Option<Vec<String>>,
}

/// Metadata of one loaded pack.
#[cfg_attr(feature = "compiled", derive(serde::Deserialize))]
#[derive(Clone, Debug, Default)]
pub struct PackMeta {
    /// Pack id (its folder name).
    pub id: String,
    /// Version of the pack.
    pub version: String,
    /// Title.
    pub title: Option<Message>,
    /// The legal document(s) it encodes.
    pub document: String,
    /// Date of the document.
    pub date: Option<String>,
    /// Who issued it.
    pub issuer: Option<String>,
    /// The national decision it implements.
    pub implements: Option<String>,
    /// Where it applies.
    pub jurisdiction: Option<String>,
    /// Status of the document today (repeal, mergers of provinces, …).
    pub status: Option<Message>,
    /// Packs it imports.
    pub imports: Vec<String>,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct EntityRules {
    pub name: String,
    pub record: usize,
    pub rules: Vec<Rule>,
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub by_name: HashMap<String, usize>,
    /// Decision and value rules in evaluation (dependency) order.
    pub order: Vec<usize>,
    /// Output rules (not internal, not constraints) in pack order.
    pub outputs: Vec<usize>,
    pub constraints: Vec<usize>,
    /// Whether any constraint refers to a decision (`rule.x`).
    pub constraints_use_rules: bool,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, Default)]
pub(crate) struct Pack {
    pub meta: Vec<PackMeta>,
    pub enums: Vec<EnumType>,
    pub records: Vec<RecordType>,
    pub entities: Vec<EntityRules>,
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub entity_by_name: HashMap<String, usize>,
    pub params: Vec<Param>,
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub param_by_name: HashMap<String, usize>,
    pub groups: Vec<PeriodGroup>,
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub group_by_name: HashMap<String, usize>,
    pub infos: Vec<Info>,
    /// The packs' own `[[test]]` cases (not in the compiled form).
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub tests: Vec<TestCase>,
    /// The registry the pack's progress report reads, and its indicators.
    pub registry: Registry,
    /// What the checker found that does not stop the pack from loading (lints).
    pub warnings: Vec<crate::error::Diagnostic>,
    /// The reforms applied at load, in order.
    pub reforms: Vec<ReformInfo>,
    /// Parameters and period groups resolved per segment of time, built at first use (after
    /// the checker has finished the pack).
    #[cfg_attr(feature = "compiled", serde(skip))]
    pub dated: std::sync::OnceLock<Dated>,
}

impl Pack {
    /// See [`Pack::dated`].
    pub(crate) fn dated(&self) -> &Dated {
        self.dated.get_or_init(|| Dated::of(self))
    }
}

/// A reform applied to a pack: what it is and what it rests on. Evaluations, reports and
/// `explain` name it wherever it changes something.
#[cfg_attr(feature = "compiled", derive(serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReformInfo {
    /// Its short name (`[reform] id`).
    pub id: String,
    /// What it does, for people.
    pub title: Message,
    /// The document it rests on (a draft law, a planning note).
    pub cite: Cite,
    /// A note on it.
    pub note: Option<String>,
    /// The file it was read from.
    pub file: String,
}

/// What a pack declares about its registry (collections of rows, metadata keys), the
/// indicators computed from it, and how small counts of people are protected.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, Default)]
pub(crate) struct Registry {
    pub label: Option<Message>,
    /// Metadata keys (`province`, `synthetic`, …): scalar fields.
    pub meta: Vec<FieldDef>,
    pub collections: Vec<Collection>,
    pub indicators: Vec<Indicator>,
    pub disclosure: Option<Disclosure>,
}

/// A list of rows of one entity in the registry.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Collection {
    pub name: String,
    pub label: Option<Message>,
    /// The entity the rows are (its decisions are `rule.NAME` on a row).
    pub entity: usize,
    /// The record type of a row: the entity's fields, then the registry-only fields after
    /// them, so the entity's compiled rules read a row unchanged (same slots).
    pub row: usize,
    /// Rows for which this is `no` at a period's assessment date are not in that period's
    /// populations (unknown keeps them in).
    pub scope: Option<Ex>,
}

/// How an indicator aggregates the rows its filter keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// The number of rows.
    Count,
    /// A numerator over a denominator, summed over the rows (a yes/no counts 1 or 0).
    Share,
    /// The sum of a number over the rows.
    Sum,
    /// The number of distinct values over the rows.
    Distinct,
}

/// How an indicator's value is held against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compare {
    /// At least the target (`>=`).
    #[serde(rename = ">=")]
    AtLeast,
    /// Strictly above the target (`>`).
    #[serde(rename = ">")]
    Above,
    /// At most the target (`<=`).
    #[serde(rename = "<=")]
    AtMost,
    /// Strictly below the target (`<`).
    #[serde(rename = "<")]
    Below,
}

impl Compare {
    /// Whether `value` meets `target`.
    pub fn holds(self, value: Decimal, target: Decimal) -> bool {
        match self {
            Compare::AtLeast => value >= target,
            Compare::Above => value > target,
            Compare::AtMost => value <= target,
            Compare::Below => value < target,
        }
    }
    /// Whether more is better (a target to reach, not a ceiling).
    pub fn upward(self) -> bool {
        matches!(self, Compare::AtLeast | Compare::Above)
    }
}

/// One named group of a breakdown: the rows of the indicator for which `when` is yes.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Breakdown {
    pub name: String,
    pub label: Option<Message>,
    pub when: Ex,
    pub sensitive: bool,
}

/// A progress indicator: an aggregate over a collection, for each member of a period group
/// up to the report's date.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Indicator {
    pub name: String,
    pub title: Message,
    pub collection: usize,
    /// The period group it is reported by.
    pub group: usize,
    /// Whether the member's index is bound to a name (local 0 of every expression).
    pub binds_index: bool,
    pub aggregate: Aggregate,
    pub filter: Option<Ex>,
    /// `sum` and `distinct`: what is summed or told apart.
    pub value: Option<(Ex, Ty)>,
    /// `share`: summed over the rows (a yes/no counts 1 or 0).
    pub numerator: Option<(Ex, Ty)>,
    /// `share`: summed over the rows; absent, each row counts 1.
    pub denominator: Option<(Ex, Ty)>,
    /// At the assessment date, with the member's index bound; reads no row.
    pub target: Option<(Ex, Ty)>,
    /// How the value and target are written (a count, a share, money, a plain number).
    pub unit: Unit,
    /// Whether the value is a whole number.
    pub whole: bool,
    pub compare: Compare,
    /// In a running period, the target is held pro rata of the period elapsed.
    pub pro_rata: bool,
    pub cite: Cite,
    pub interpretation: Option<Message>,
    pub confidence: Option<String>,
    pub groups: Vec<Breakdown>,
    /// Its figures are rounded to the disclosure policy's base.
    pub protected: bool,
    /// Its own value under the threshold is not shown.
    pub sensitive: bool,
}

/// How small counts of people are protected: sensitive cells under `threshold` are not shown,
/// and every figure of a protected indicator is rounded to a multiple of `rounding`.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) struct Disclosure {
    pub threshold: u64,
    pub rounding: u64,
    pub cite: Option<Cite>,
    pub note: Option<String>,
}

/// Writes an optional field: a human-readable form (JSON, the contract's shape) leaves an
/// absent one out; the compact binary form (postcard, not self-describing) writes every field
/// in order, or it could not be read back.
fn optional<S: serde::ser::SerializeStruct, T: Serialize>(
    st: &mut S,
    key: &'static str,
    value: &Option<T>,
    every_field: bool,
) -> Result<(), S::Error> {
    if every_field || value.is_some() {
        st.serialize_field(key, value)
    } else {
        st.skip_field(key)
    }
}

impl Serialize for Cite {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let all = !serializer.is_human_readable();
        let mut st = serializer.serialize_struct("Cite", 3)?;
        st.serialize_field("document", &self.document)?;
        st.serialize_field("section", &self.section)?;
        optional(&mut st, "wording", &self.wording, all)?;
        st.end()
    }
}

impl Serialize for PackMeta {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let all = !serializer.is_human_readable();
        let mut st = serializer.serialize_struct("PackMeta", 10)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("version", &self.version)?;
        st.serialize_field("title", &self.title)?;
        st.serialize_field("document", &self.document)?;
        optional(&mut st, "date", &self.date, all)?;
        optional(&mut st, "issuer", &self.issuer, all)?;
        optional(&mut st, "implements", &self.implements, all)?;
        optional(&mut st, "jurisdiction", &self.jurisdiction, all)?;
        optional(&mut st, "status", &self.status, all)?;
        st.serialize_field("imports", &self.imports)?;
        st.end()
    }
}

impl Serialize for ReformInfo {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let all = !serializer.is_human_readable();
        let mut st = serializer.serialize_struct("ReformInfo", 5)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("title", &self.title)?;
        st.serialize_field("cite", &self.cite)?;
        optional(&mut st, "note", &self.note, all)?;
        st.serialize_field("file", &self.file)?;
        st.end()
    }
}

/// No value in force (in [`Dated`]'s table).
const NONE: u32 = u32::MAX;

/// Parameters and period groups resolved per segment of time: the pack's dates (where some
/// value or member starts or ends) cut time into segments, and for each the table holds which
/// value of each parameter and which member of each group is in force. An evaluation finds its
/// as-of date's row once ([`crate::expr::dated::AsOfRow`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Dated {
    /// The dates where a segment starts, sorted, each once; segment `k > 0` starts at
    /// `starts[k - 1]`, segment 0 holds every date before the first.
    starts: Vec<Date>,
    /// For each segment, one entry per parameter (the index of its value in force in
    /// `Param::values`) then one per period group (the index of its member in force).
    table: Vec<u32>,
    /// How many parameters and groups (the width of a segment's row).
    width: usize,
}

impl Dated {
    /// The table of `pack`.
    pub(crate) fn of(pack: &Pack) -> Dated {
        let mut starts: Vec<Date> = Vec::new();
        for p in &pack.params {
            for v in &p.values {
                starts.push(v.from);
                if let Some(t) = v.to {
                    starts.push(t.add_days(1));
                }
            }
        }
        for g in &pack.groups {
            for m in &g.members {
                starts.push(m.from);
                starts.push(m.to.add_days(1));
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let width = pack.params.len() + pack.groups.len();
        let mut table = Vec::with_capacity((starts.len() + 1) * width);
        let first = starts.first().map(|s| s.add_days(-1));
        let reps = std::iter::once(first).chain(starts.iter().map(|s| Some(*s)));
        for rep in reps {
            for p in &pack.params {
                let i = rep.and_then(|d| {
                    p.values
                        .iter()
                        .position(|v| v.from <= d && v.to.is_none_or(|t| d <= t))
                });
                table.push(index(i));
            }
            for g in &pack.groups {
                let i = rep.and_then(|d| g.members.iter().position(|m| m.from <= d && d <= m.to));
                table.push(index(i));
            }
        }
        Dated {
            starts,
            table,
            width,
        }
    }

    /// The row of the segment holding `d`.
    pub(crate) fn row(&self, d: Date) -> &[u32] {
        let k = self.starts.partition_point(|s| *s <= d);
        let from = k.saturating_mul(self.width);
        self.table
            .get(from..from.saturating_add(self.width))
            .unwrap_or(&[])
    }
}

fn index(i: Option<usize>) -> u32 {
    i.and_then(|i| u32::try_from(i).ok()).unwrap_or(NONE)
}
