//! Amendment impact: a registry evaluated under two engines — a pack and the same pack under
//! a reform — record by record and indicator by indicator, with what changed and which way.
//!
//! The base engine's [`ReportBuilder`] reads the registry as for a report (every reader: JSON,
//! JSON Lines, CSV, folders, columns) and hands each decoded row to its *twin*, which checks
//! it under each engine (scope, bounds, constraints at the report's date), evaluates the
//! collection's entity under each and compares every decision, and compares the row's
//! contribution to every indicator. The twin feeds the other engine's own builder too, so the
//! two reports — hence the indicators' figures and status before and after — are exactly the
//! ones `report` gives under each.
//!
//! A reform changes parameters and rules, never types, registries or indicators: both
//! engines decode rows alike and have the same report plan, so rows and accumulators pair up
//! one to one.
//!
//! Disclosure: for an indicator the pack protects, only the two published figures (rounded,
//! small sensitive counts hidden, as in the report) are given — no row, no count of rows
//! changed — so a diff gives back no sensitive count the report would not.

use std::collections::HashSet;

use serde::Serialize;

use super::partial::{Effect, Touch};
use super::types::{Figure, PackInfo, Report, Status};
use super::{touches, ReportBuilder, RowLocation};
use crate::codes::Code;
use crate::date::Date;
use crate::decisions::DecisionKind;
use crate::engine::{Engine, Outcome, Scalar};
use crate::error::{Error, FieldError};
use crate::model::ReformInfo;
use crate::text::Message;
use crate::value::Record;

/// What changed in a registry between two engines (before: the base, after: the other).
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    /// The date records were evaluated at (and the reports made at).
    pub as_of: Date,
    /// The pack.
    pub pack: PackInfo,
    /// The reforms the base engine was under (usually none).
    pub before: Vec<ReformInfo>,
    /// The reforms the other engine is under.
    pub after: Vec<ReformInfo>,
    /// Per collection of the registry: each decision of its entity.
    pub collections: Vec<CollectionDiff>,
    /// Each indicator of each period, before and after.
    pub indicators: Vec<IndicatorDiff>,
    /// Rows in error (not readable, or facts rejected) under the base engine; they are still
    /// compared on what could be read.
    pub record_errors: usize,
}

/// The decisions about one collection's rows.
#[derive(Clone, Debug, Serialize)]
pub struct CollectionDiff {
    /// The collection's name (`cooperatives`).
    pub name: String,
    /// Its label.
    pub label: Option<Message>,
    /// The entity its rows are.
    pub entity: String,
    /// Rows compared (in scope at the report's date, duplicates counted once).
    pub rows: u64,
    /// Every output of the entity, in pack order (unchanged ones with `changed: 0`).
    pub decisions: Vec<DecisionDiff>,
}

/// One decision over a collection: how many rows changed, which way, and the rows.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionDiff {
    /// The decision's name.
    pub name: String,
    /// Decision or value.
    pub kind: DecisionKind,
    /// Its title.
    pub title: Option<Message>,
    /// Rows whose outcome or value changed.
    pub changed: u64,
    /// How many rows went each way (`from == to`: the value changed, not the outcome).
    pub transitions: Vec<Transition>,
    /// The rows that changed, in registry order.
    pub records: Vec<RecordChange>,
}

/// How many rows went from one outcome to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// Before.
    pub from: Outcome,
    /// After.
    pub to: Outcome,
    /// Rows.
    pub count: u64,
}

/// One row whose decision changed.
#[derive(Clone, Debug, Serialize)]
pub struct RecordChange {
    /// The row's id.
    pub id: Option<String>,
    /// Its number in its collection, from 1.
    pub record: Option<u64>,
    /// The decision before.
    pub before: DecisionState,
    /// The decision after.
    pub after: DecisionState,
}

/// A decision as evaluated: outcome, value, target, reasons.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionState {
    /// Yes, no or unknown.
    pub outcome: Outcome,
    /// Its value (the contract's JSON form).
    pub value: serde_json::Value,
    /// Its target.
    pub target: serde_json::Value,
    /// Why, in Vietnamese and English.
    pub reasons: Vec<Message>,
}

/// One indicator of one period, before and after.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorDiff {
    /// The period group (`phases`).
    pub group: String,
    /// The period's index.
    pub index: i64,
    /// The period's label.
    pub period: Option<Message>,
    /// The indicator's id.
    pub id: String,
    /// Its title.
    pub title: Message,
    /// How its figures are written.
    #[serde(skip)]
    pub unit: crate::text::Unit,
    /// Under the disclosure policy: only the published figures are compared.
    pub protected: bool,
    /// As the report under the base engine gives it.
    pub before: IndicatorState,
    /// As the report under the other engine gives it.
    pub after: IndicatorState,
    /// Rows whose contribution changed (`None` for a protected indicator).
    pub changed: Option<u64>,
    /// How many rows went each way (none for a protected indicator).
    pub transitions: Vec<RowTransition>,
    /// The rows whose contribution changed (none for a protected indicator).
    pub records: Vec<RowChange>,
}

/// An indicator's published figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorState {
    /// Its value.
    pub value: Option<Figure>,
    /// Its target.
    pub target: Option<Figure>,
    /// Where it stands.
    pub status: Status,
    /// The status as people read it.
    pub status_label: Message,
    /// Rows that could not be counted (a fact missing).
    pub unknown: Figure,
}

/// What a row does to an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    /// Not in it (its filter says no, or out of scope).
    Out,
    /// Cannot be told (a fact missing).
    Unknown,
    /// Counted in it.
    Counted,
}

impl RowState {
    /// The words for it.
    pub fn label(self) -> Message {
        match self {
            RowState::Out => msg!(vi: "không được tính", en: "not counted"),
            RowState::Unknown => msg!(vi: "chưa xác định", en: "unknown"),
            RowState::Counted => msg!(vi: "được tính", en: "counted"),
        }
    }
}

/// How many rows went from one state to another (`from == to`: counted both times, with
/// other figures — a share's numerator, a group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RowTransition {
    /// Before.
    pub from: RowState,
    /// After.
    pub to: RowState,
    /// Rows.
    pub count: u64,
}

/// One row whose contribution to an indicator changed.
#[derive(Clone, Debug, Serialize)]
pub struct RowChange {
    /// The row's id.
    pub id: Option<String>,
    /// Its number in its collection, from 1.
    pub record: Option<u64>,
    /// Before.
    pub before: RowState,
    /// After.
    pub after: RowState,
}

/// Per (collection, decision) and per slot: what the twin has seen so far.
#[derive(Debug, Default)]
struct Acc {
    changed: u64,
    transitions: Vec<((u8, u8), u64)>,
    records: Vec<(Option<String>, Option<u64>, u8, u8)>,
}

impl Acc {
    fn add(&mut self, key: (u8, u8)) {
        self.changed += 1;
        match self.transitions.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => self.transitions.push((key, 1)),
        }
    }
}

/// One record whose decision changed: which, and its state before and after.
type Change = (RecordChangeKey, DecisionState, DecisionState);

/// The other engine's side of a diff, riding along the base builder (see the module's
/// documentation).
#[derive(Debug)]
pub(super) struct Twin<'e> {
    other: ReportBuilder<'e>,
    /// Per collection: rows compared, and per output of its entity the changes.
    rows: Vec<u64>,
    decisions: Vec<Vec<(Acc, Vec<Change>)>>,
    /// Per accumulator slot of the plan.
    slots: Vec<Acc>,
    /// Ids seen per collection (a duplicate is compared once, as the report counts it once).
    seen: Vec<HashSet<String>>,
}

type RecordChangeKey = (Option<String>, Option<u64>);

impl<'e> Twin<'e> {
    /// Compares one decoded row (before its checks) under both engines.
    pub(super) fn row(
        &mut self,
        base: &'e Engine,
        plan: &super::plan::Plan,
        c: usize,
        rec: &Record,
        errors: &[FieldError],
        loc: RowLocation<'_>,
    ) {
        let other = self.other.engine;
        let as_of = self.other.as_of();
        self.other.count(c, rec.clone(), errors.to_vec(), loc);
        let (Some(a), Some(b)) = (checked(base, c, rec, as_of), checked(other, c, rec, as_of))
        else {
            // out of scope under one engine (the scope is the pack's, the same under a
            // reform): neither report counts it
            return;
        };
        let id = a.id.clone();
        if let Some(id) = &id {
            if let Some(seen) = self.seen.get_mut(c) {
                if !seen.insert(id.clone()) {
                    return;
                }
            }
        }
        if let Some(n) = self.rows.get_mut(c) {
            *n += 1;
        }
        let pack = &base.pack;
        let (Some(coll), Some(coll_b)) = (
            pack.registry.collections.get(c),
            other.pack.registry.collections.get(c),
        ) else {
            return;
        };
        let (Some(er_a), Some(er_b)) = (
            pack.entities.get(coll.entity),
            other.pack.entities.get(coll_b.entity),
        ) else {
            return;
        };
        let mut ev_a = base.evaluate_record(er_a, &a.rec, as_of);
        let mut ev_b = other.evaluate_record(er_b, &b.rec, as_of);
        crate::engine::mark_invalid(&mut ev_a, &a.errors);
        crate::engine::mark_invalid(&mut ev_b, &b.errors);
        if let Some(accs) = self.decisions.get_mut(c) {
            for ((_, da), ((acc, list), (_, db))) in
                ev_a.decisions().zip(accs.iter_mut().zip(ev_b.decisions()))
            {
                let before = state(da);
                let after = state(db);
                if before.outcome != after.outcome || before.value != after.value {
                    acc.add((code(before.outcome), code(after.outcome)));
                    list.push(((id.clone(), loc.record), before, after));
                }
            }
        }
        let ta = touches(base, plan, coll, er_a, &a.rec, c);
        let tb = touches(other, plan, coll_b, er_b, &b.rec, c);
        for (slot, sa, sb) in pair(&ta, &tb) {
            if sa == sb {
                continue;
            }
            let (ra, rb) = (row_state(sa), row_state(sb));
            if let Some(acc) = self.slots.get_mut(slot as usize) {
                acc.add((ra as u8, rb as u8));
                acc.records
                    .push((id.clone(), loc.record, ra as u8, rb as u8));
            }
        }
    }
}

/// A row checked at the report's date under one engine: `None` when out of its collection's
/// scope.
struct Checked {
    rec: Record,
    errors: Vec<FieldError>,
    id: Option<String>,
}

fn checked(engine: &Engine, c: usize, rec: &Record, as_of: Date) -> Option<Checked> {
    let pack = &engine.pack;
    let coll = pack.registry.collections.get(c)?;
    let er = pack.entities.get(coll.entity)?;
    if let Some(scope) = &coll.scope {
        let mut rcx = engine.row_cx(Some(er), rec, as_of);
        rcx.bind_index(None);
        if rcx.truth(scope) == Some(false) {
            return None;
        }
    }
    let mut rec = rec.clone();
    let mut errors = Vec::new();
    engine.sanitize_as(er, coll.row, &mut rec, as_of, &mut errors);
    let id = super::row_id(pack, coll, &rec);
    Some(Checked { rec, errors, id })
}

fn state(d: &crate::engine::Decision<'_>) -> DecisionState {
    DecisionState {
        outcome: d.outcome(),
        value: d.value().map(Scalar::to_json).unwrap_or_default(),
        target: d.target().map(Scalar::to_json).unwrap_or_default(),
        reasons: d.reasons(),
    }
}

fn code(o: Outcome) -> u8 {
    match o {
        Outcome::Yes => 0,
        Outcome::No => 1,
        Outcome::Unknown => 2,
    }
}

fn outcome(c: u8) -> Outcome {
    match c {
        0 => Outcome::Yes,
        1 => Outcome::No,
        _ => Outcome::Unknown,
    }
}

fn row_state(e: Option<&Effect>) -> RowState {
    match e {
        None => RowState::Out,
        Some(Effect::Unknown) => RowState::Unknown,
        Some(Effect::Hit { .. }) => RowState::Counted,
    }
}

fn row_state_of(c: u8) -> RowState {
    match c {
        0 => RowState::Out,
        1 => RowState::Unknown,
        _ => RowState::Counted,
    }
}

/// The slots either side touched, with each side's effect (touches come in slot order).
fn pair<'a>(a: &'a [Touch], b: &'a [Touch]) -> Vec<(u32, Option<&'a Effect>, Option<&'a Effect>)> {
    let mut slots: Vec<u32> = a.iter().chain(b).map(|t| t.slot).collect();
    slots.sort_unstable();
    slots.dedup();
    slots
        .into_iter()
        .map(|s| {
            let find = |v: &'a [Touch]| v.iter().find(|t| t.slot == s).map(|t| &t.effect);
            (s, find(a), find(b))
        })
        .collect()
}

/// Builds a [`Diff`]: read the registry through [`DiffBuilder::rows`] (any reader of
/// [`ReportBuilder`]), then [`DiffBuilder::finish`].
#[derive(Debug)]
pub struct DiffBuilder<'e> {
    base: ReportBuilder<'e>,
}

impl Engine {
    /// A diff of a registry at `as_of` between this engine (before) and `other` (after):
    /// this engine's pack under a reform (`self.with_reform(…)`), or one under other reforms.
    /// Fails unless both are the same pack (a reform changes no type, registry or indicator).
    ///
    /// ```
    /// use htx_rules::{Date, Engine, Outcome, pack::Reform};
    /// let base = Engine::embedded().unwrap();
    /// let reform = Reform::from_json(&serde_json::json!({"htx_min_members": [{"from": "2024-07-01", "value": 7}]})).unwrap();
    /// let after = base.with_reform(&reform).unwrap();
    /// let mut b = base.diff_builder(&after, Date::parse("2025-12-31").unwrap()).unwrap();
    /// b.rows().add("cooperatives", &serde_json::json!({"id": "A", "kind": "htx", "established_on": "2020-01-01", "members": {"total": 6}})).unwrap();
    /// let diff = b.finish();
    /// let min = diff.collections[0].decisions.iter().find(|d| d.name == "meets_membership_minimum").unwrap();
    /// assert_eq!((min.changed, min.transitions[0].from, min.transitions[0].to), (1, Outcome::Yes, Outcome::No));
    /// ```
    pub fn diff_builder<'e>(
        &'e self,
        other: &'e Engine,
        as_of: Date,
    ) -> Result<DiffBuilder<'e>, Error> {
        let same = self.pack.meta.first().map(|m| (&m.id, &m.version))
            == other.pack.meta.first().map(|m| (&m.id, &m.version))
            && self.pack.records.len() == other.pack.records.len()
            && self.pack.registry.collections.len() == other.pack.registry.collections.len()
            && self.pack.registry.indicators.len() == other.pack.registry.indicators.len();
        if !same {
            return Err(Error::invalid_input(
                Code::RegistryMerge,
                msg!(
                    vi: "chỉ so sánh được một bộ quy tắc với chính nó dưới một cải cách",
                    en: "a diff compares a pack with itself under a reform, not two different packs",
                ),
            ));
        }
        let mut base = self.report_builder(as_of)?;
        let other_b = other.report_builder(as_of)?;
        let n = self.pack.registry.collections.len();
        let decisions = self
            .pack
            .registry
            .collections
            .iter()
            .map(|c| {
                let outs = self
                    .pack
                    .entities
                    .get(c.entity)
                    .map(|e| e.outputs.len())
                    .unwrap_or(0);
                (0..outs).map(|_| (Acc::default(), Vec::new())).collect()
            })
            .collect();
        let slots = (0..base.plan.slots.len()).map(|_| Acc::default()).collect();
        base.twin = Some(Box::new(Twin {
            other: other_b,
            rows: vec![0; n],
            decisions,
            slots,
            seen: vec![HashSet::new(); n],
        }));
        Ok(DiffBuilder { base })
    }
}

impl<'e> DiffBuilder<'e> {
    /// The builder rows go in by (`add`, `add_batch`, `read_json`, `read_path`, …): every row
    /// is compared as it is added (on this thread).
    pub fn rows(&mut self) -> &mut ReportBuilder<'e> {
        &mut self.base
    }

    /// What changed.
    pub fn finish(mut self) -> Diff {
        let Some(twin) = self.base.twin.take() else {
            // (a DiffBuilder always has its twin)
            let engine = self.base.engine;
            let before = self.base.finish();
            return empty(engine, before);
        };
        let engine = self.base.engine;
        let other_engine = twin.other.engine;
        let before = self.base.finish();
        let after = twin.other.finish();
        let pack = &engine.pack;
        let collections = pack
            .registry
            .collections
            .iter()
            .enumerate()
            .map(|(c, coll)| {
                let er = pack.entities.get(coll.entity);
                let infos = er.map(crate::decisions::outputs).unwrap_or_default();
                let accs = twin.decisions.get(c);
                CollectionDiff {
                    name: coll.name.clone(),
                    label: coll.label.clone(),
                    entity: er.map(|e| e.name.clone()).unwrap_or_default(),
                    rows: twin.rows.get(c).copied().unwrap_or(0),
                    decisions: infos
                        .into_iter()
                        .enumerate()
                        .map(|(k, info)| {
                            let (acc, list) = match accs.and_then(|a| a.get(k)) {
                                Some((acc, list)) => (Some(acc), list.as_slice()),
                                None => (None, &[][..]),
                            };
                            DecisionDiff {
                                name: info.name,
                                kind: info.kind,
                                title: info.title,
                                changed: acc.map(|a| a.changed).unwrap_or(0),
                                transitions: acc
                                    .map(|a| {
                                        a.transitions
                                            .iter()
                                            .map(|((f, t), n)| Transition {
                                                from: outcome(*f),
                                                to: outcome(*t),
                                                count: *n,
                                            })
                                            .collect()
                                    })
                                    .unwrap_or_default(),
                                records: list
                                    .iter()
                                    .map(|((id, record), b, a)| RecordChange {
                                        id: id.clone(),
                                        record: *record,
                                        before: b.clone(),
                                        after: a.clone(),
                                    })
                                    .collect(),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let mut indicators = Vec::new();
        let mut slot = 0usize;
        for (pb, pa) in before.periods.iter().zip(&after.periods) {
            for (ib, ia) in pb.indicators.iter().zip(&pa.indicators) {
                let acc = twin.slots.get(slot);
                slot += 1;
                let protected = ib.protected;
                indicators.push(IndicatorDiff {
                    group: pb.group.clone(),
                    index: pb.index,
                    period: pb.label.clone(),
                    id: ib.id.clone(),
                    title: ib.title.clone(),
                    unit: ib.unit,
                    protected,
                    before: indicator_state(ib),
                    after: indicator_state(ia),
                    changed: (!protected).then(|| acc.map(|a| a.changed).unwrap_or(0)),
                    transitions: if protected {
                        Vec::new()
                    } else {
                        acc.map(|a| {
                            a.transitions
                                .iter()
                                .map(|((f, t), n)| RowTransition {
                                    from: row_state_of(*f),
                                    to: row_state_of(*t),
                                    count: *n,
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                    },
                    records: if protected {
                        Vec::new()
                    } else {
                        acc.map(|a| {
                            a.records
                                .iter()
                                .map(|(id, record, f, t)| RowChange {
                                    id: id.clone(),
                                    record: *record,
                                    before: row_state_of(*f),
                                    after: row_state_of(*t),
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                    },
                });
            }
        }
        Diff {
            as_of: before.as_of,
            pack: before.pack.clone(),
            before: engine.pack.reforms.clone(),
            after: other_engine.pack.reforms.clone(),
            collections,
            indicators,
            record_errors: before.record_errors.len(),
        }
    }
}

fn indicator_state(i: &super::types::IndicatorReport) -> IndicatorState {
    IndicatorState {
        value: i.value,
        target: i.target,
        status: i.status,
        status_label: i.status_label.clone(),
        unknown: i.unknown,
    }
}

fn empty(engine: &Engine, r: Report) -> Diff {
    Diff {
        as_of: r.as_of,
        pack: r.pack,
        before: engine.pack.reforms.clone(),
        after: Vec::new(),
        collections: Vec::new(),
        indicators: Vec::new(),
        record_errors: r.record_errors.len(),
    }
}

impl Diff {
    /// The changed decisions and indicators, as JSON (every row that changed).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Whether anything changed (a decision of a row, or an indicator's figures).
    pub fn is_empty(&self) -> bool {
        self.collections
            .iter()
            .all(|c| c.decisions.iter().all(|d| d.changed == 0))
            && self
                .indicators
                .iter()
                .all(|i| i.before == i.after && i.changed.unwrap_or(0) == 0)
    }
}
