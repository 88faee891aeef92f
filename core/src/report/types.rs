//! The typed progress report: what [`super::ReportBuilder::finish`] computes and every output
//! (JSON through `Serialize`, the table, the HTML page) reads.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

use crate::date::Date;
use crate::error::FieldError;
use crate::model::{Aggregate, Cite, Compare};
use crate::text::{write_decimal, write_money, write_share, Lang, Message, Unit};

/// A figure of the report as published: a whole number, an exact decimal, or a count of
/// people too small to show (`<5`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// A whole number (a count, a sum of whole numbers, a whole target).
    Whole(i64),
    /// An exact decimal (a share, a sum of decimals, a decimal target).
    Decimal(Decimal),
    /// Suppressed: a sensitive count under this threshold.
    Below(u64),
}

impl Figure {
    /// The number, unless suppressed.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Figure::Whole(i) => Some(Decimal::from(*i)),
            Figure::Decimal(d) => Some(*d),
            Figure::Below(_) => None,
        }
    }

    /// Written for a person: `77,5%` / `77.5%` for a share, thousands grouped, `<5`.
    pub fn write(&self, unit: Unit, lang: Lang) -> String {
        match (self.number(), self) {
            (_, Figure::Below(n)) => format!("<{n}"),
            (Some(d), _) => match unit {
                Unit::Share => write_share(d, lang),
                Unit::Money => write_money(d, lang),
                Unit::Plain => write_decimal(d, lang, true),
            },
            (None, _) => String::new(),
        }
    }
}

/// JSON: a whole number as a number, a decimal as an exact string (as decisions carry them),
/// a suppressed count as `"<5"`.
impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Whole(i) => s.serialize_i64(*i),
            Figure::Decimal(d) => s.collect_str(&d.normalize()),
            Figure::Below(n) => s.collect_str(&format_args!("<{n}")),
        }
    }
}

/// Where an indicator stands against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The target is met.
    Met,
    /// The period is over and the target was not met.
    NotMet,
    /// The period is running and the value is where it should be by now: a count against the
    /// target pro rata of the period elapsed (when the pack says so), a share against the full
    /// target.
    OnTrack,
    /// The period is running and the value is short of where it should be by now.
    Behind,
    /// The period has no target for this indicator.
    NoTarget,
    /// The value cannot be computed (no rows to divide by, or suppressed).
    NoData,
}

impl Status {
    /// The status as people read it, in one place for every output and binding.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Met, Lang::Vi) => "đạt",
            (Status::Met, Lang::En) => "met",
            (Status::NotMet, Lang::Vi) => "không đạt",
            (Status::NotMet, Lang::En) => "not met",
            (Status::OnTrack, Lang::Vi) => "đúng tiến độ",
            (Status::OnTrack, Lang::En) => "on track",
            (Status::Behind, Lang::Vi) => "chậm tiến độ",
            (Status::Behind, Lang::En) => "behind",
            (Status::NoTarget, Lang::Vi) => "không có chỉ tiêu",
            (Status::NoTarget, Lang::En) => "no target",
            (Status::NoData, Lang::Vi) => "thiếu dữ liệu",
            (Status::NoData, Lang::En) => "no data",
        }
    }

    /// Every status, for bindings that list them.
    pub const ALL: [Status; 6] = [
        Status::Met,
        Status::NotMet,
        Status::OnTrack,
        Status::Behind,
        Status::NoTarget,
        Status::NoData,
    ];
}

/// The pack a report was computed with.
#[derive(Clone, Debug, Serialize)]
pub struct PackInfo {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// The document it encodes (`2747/KH-UBND`).
    pub document: String,
    /// The document's status today, when the pack says.
    pub status: Option<Message>,
    /// The document's date as the pack writes it (`2023-05-15`), when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Who issued the document, when the pack says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The national decision the document implements, when the pack says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implements: Option<String>,
    /// Where the document applies (in the pack's language), when the pack says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// The pack's title.
    #[serde(skip)]
    pub title: Option<Message>,
}

/// A metadata key of the registry (`province`, `synthetic`, …) and its value.
#[derive(Clone, Debug)]
pub struct MetaEntry {
    /// The key.
    pub name: String,
    /// Its label, from the pack.
    pub label: Option<Message>,
    /// Its value (JSON), `null` when the registry does not say.
    pub value: serde_json::Value,
}

/// A collection of the registry and how many rows it had.
#[derive(Clone, Debug)]
pub struct CollectionInfo {
    /// The collection's name (`cooperatives`).
    pub name: String,
    /// Its label, from the pack.
    pub label: Option<Message>,
    /// Rows read (with duplicates and rows in error).
    pub rows: u64,
    /// Rows outside the collection's scope at the report's date (not checked, not counted).
    pub out_of_scope: u64,
}

/// The registry a report read: its metadata and its collections.
#[derive(Clone, Debug)]
pub struct RegistryInfo {
    /// The metadata keys the pack declares, in its order.
    pub meta: Vec<MetaEntry>,
    /// The collections the pack declares, in its order.
    pub collections: Vec<CollectionInfo>,
}

impl RegistryInfo {
    /// The value of metadata key `name` when it is `true`.
    pub fn flag(&self, name: &str) -> bool {
        self.meta
            .iter()
            .any(|m| m.name == name && m.value == serde_json::Value::Bool(true))
    }
}

/// JSON: one object, the metadata keys then each collection's row count.
impl Serialize for RegistryInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.meta.len() + self.collections.len()))?;
        for e in &self.meta {
            m.serialize_entry(&e.name, &e.value)?;
        }
        for c in &self.collections {
            m.serialize_entry(&c.name, &c.rows)?;
        }
        m.end()
    }
}

/// One group of a breakdown, as published.
#[derive(Clone, Debug, Serialize)]
pub struct GroupFigure {
    /// The group's name in the pack.
    pub id: String,
    /// Its label.
    pub label: Option<Message>,
    /// Rows of the indicator in the group (rounded or suppressed by the disclosure policy).
    pub value: Figure,
    /// Whether the group is sensitive.
    pub sensitive: bool,
}

/// One indicator in one period.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorReport {
    /// The indicator's name in the pack.
    pub id: String,
    /// Its title.
    pub title: Message,
    /// Its aggregate.
    pub kind: Aggregate,
    /// How its figures are written.
    #[serde(skip)]
    pub unit: Unit,
    /// The value (`None` when it cannot be computed).
    pub value: Option<Figure>,
    /// The target at the assessment date.
    pub target: Option<Figure>,
    /// How value and target are compared.
    pub compare: Compare,
    /// In a running period with a target held pro rata: the target for the time elapsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Figure>,
    /// Whether the value meets the target (`unknown` without one of them).
    pub outcome: crate::engine::Outcome,
    /// Where the value stands.
    pub status: Status,
    /// The status as people read it (from [`Status::label`]), for bindings and displays.
    pub status_label: Message,
    /// How far the value is from the target, when it is not there.
    pub shortfall: Option<Figure>,
    /// The figures as every output writes them, in both languages.
    pub display: IndicatorDisplay,
    /// Rows the filter kept whose figures could not be told (a needed fact unknown).
    pub unknown: Figure,
    /// The breakdown, when the indicator has one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupFigure>,
    /// Whether the figures are rounded for disclosure control.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub protected: bool,
    /// The citation.
    pub cite: Cite,
    /// How the pack reads the text, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interpretation: Option<Message>,
    /// How sure the pack is of its reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
}

/// An indicator's figures as people read them, in Vietnamese and English: what the table,
/// the page and the bindings show, written once. A share is a percentage with two decimals
/// (`62,16%`), its shortfall in percentage points (`17,84 điểm phần trăm`); a count is a count
/// (`1.234`), money is money (`1.500.000 đồng`); a target carries its comparison (`≥ 80%`).
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorDisplay {
    /// The value (`—` when it cannot be computed, `<5` when suppressed).
    pub value: Message,
    /// The target with its comparison (`≥ 80%`), `—` without one.
    pub target: Message,
    /// The target for the time elapsed (pro rata), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Message>,
    /// How far the value is from the target, with its unit (`17,84 điểm phần trăm`,
    /// `17.84 percentage points`), when it is not there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Message>,
}

/// One member of a period group (a phase) up to the report's date.
#[derive(Clone, Debug, Serialize)]
pub struct PeriodReport {
    /// The period group (`phases`).
    pub group: String,
    /// The member's index.
    #[serde(rename = "phase")]
    pub index: i64,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// The date its figures are assessed at: the report's date, or the period's last day
    /// when it is over.
    pub assessed_on: Date,
    /// Whether the period is still running at the report's date.
    pub running: bool,
    /// The share of the period elapsed at the assessment date.
    pub elapsed_share: Figure,
    /// Its label.
    pub label: Option<Message>,
    /// Its indicators, in the pack's order.
    pub indicators: Vec<IndicatorReport>,
}

/// A row that could not be read or had facts that were not trusted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordError {
    /// The collection (`None`: the registry's own keys).
    pub collection: Option<String>,
    /// The row's number in its collection, from 1 (`None` when not known).
    pub record: Option<u64>,
    /// The row's id, when it has one.
    pub id: Option<String>,
    /// The source (a file name), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Line in the source, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Column in the source, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// What is wrong (the fields are JSON Pointers into the row).
    pub errors: Vec<FieldError>,
}

/// A key, column or file of the registry the pack does not know: read past, not counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredField {
    /// The collection (`None`: a key or file of the registry itself).
    pub collection: Option<String>,
    /// The field as a dotted path (`managers.phone`), or the key or file name.
    pub field: String,
    /// How many rows had it.
    pub rows: u64,
}

/// A progress report: every indicator of the pack for each period up to the as-of date,
/// computed from a registry.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The report's date.
    pub as_of: Date,
    /// The pack.
    pub pack: PackInfo,
    /// The registry's metadata and row counts.
    pub registry: RegistryInfo,
    /// Each period up to the as-of date, grouped by period group in the pack's order.
    #[serde(rename = "phases")]
    pub periods: Vec<PeriodReport>,
    /// Set when the report's date is after the programme's last period: the figures are
    /// counted as at that day.
    pub ended: Option<Date>,
    /// What the reader should know (the programme has ended, no period has started, rows
    /// outside their collection's scope).
    pub notes: Vec<Message>,
    /// Rows in error, all of them.
    pub record_errors: Vec<RecordError>,
    /// Keys, columns and files the pack does not know.
    pub ignored: Vec<IgnoredField>,
    /// The disclosure policy applied, when the pack has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<DisclosureInfo>,
    /// The reforms the pack was evaluated under (none for the pack as written): the figures
    /// are a scenario, and the notes say so first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reforms: Vec<crate::model::ReformInfo>,
}

/// The disclosure policy a report applied.
#[derive(Clone, Debug, Serialize)]
pub struct DisclosureInfo {
    /// Sensitive counts under this are shown as `<threshold`.
    pub threshold: u64,
    /// Every figure of a protected indicator is a multiple of this.
    pub rounding: u64,
    /// Where the policy comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<Cite>,
    /// Why, in the pack's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
