//! From accumulators to the [`Report`]: each indicator's value and target at its period's
//! assessment date, the comparison, the status and the shortfall — and disclosure control,
//! applied here once, never to partials.
//!
//! **Disclosure control.** Small counts of people in sensitive groups (victims of trafficking,
//! of domestic violence, of sexual abuse) must not be recoverable from what a report
//! publishes. Suppressing the small cell alone does not hold: the total minus the published
//! groups gives it back (13 priority women minus 10 in the other groups: 3 victims), and a
//! second report with two more victims confirms it. Statistical offices use *complementary*
//! protection for this — secondary suppression of further cells, or rounding (the UK ONS
//! rounds published counts to the nearest 5 and suppresses small sensitive ones; Statistics
//! New Zealand and the Australian Bureau of Statistics round or perturb every cell so that no
//! total or difference is exact; see Hundepool et al., *Statistical Disclosure Control*,
//! Wiley 2012, ch. 4-5 on tabular data: cell suppression with complementary suppression,
//! and rounding). We round, because suppression patterns change from one report to the next
//! and then leak through differences between reports, while rounding does not:
//!
//! - every figure of a *protected* indicator — its total, each group of its breakdown, its
//!   unknown count — is published rounded to the pack's base (`rounding`, 5 for Bến Tre),
//!   half up;
//! - a *sensitive* cell (a group, or the indicator's own value) under the pack's `threshold`
//!   is published as `<threshold` instead.
//!
//! Every published figure of a protected indicator is then a multiple of the base, so every
//! total, difference or sum of them — within a report or between two reports — is a multiple
//! of the base too, and never equals a sensitive count from 1 to base − 1; each figure only
//! says that the true count is within half the base of it. Status and shortfall of a
//! protected indicator are computed from the published figure, so they reveal nothing more.

use rust_decimal::Decimal;

use super::partial::{Acc, ReportPartial};
use super::plan::Plan;
use super::types::{
    CollectionInfo, DisclosureInfo, Figure, GroupFigure, IndicatorReport, MetaEntry, PackInfo,
    PeriodReport, RegistryInfo, Report, Status,
};
use crate::engine::{Engine, Outcome};
use crate::model::{Aggregate, Compare, Disclosure, Indicator, Pack};
use crate::text::{write_date, Lang};
use crate::value::{Record, Ty};

/// A share is published to four decimal places (0.01 %).
const SHARE_DP: u32 = 4;

pub(super) fn finish(engine: &Engine, plan: &Plan, partial: ReportPartial) -> Report {
    let pack = &engine.pack;
    let reg = &pack.registry;
    let policy = reg.disclosure.as_ref();
    let mut periods: Vec<PeriodReport> = plan
        .periods
        .iter()
        .map(|p| {
            let group = pack.groups.get(p.group);
            PeriodReport {
                group: group.map(|g| g.name.clone()).unwrap_or_default(),
                index: p.index,
                from: p.from,
                to: p.to,
                assessed_on: p.assessed_on,
                running: p.running,
                elapsed_share: Figure::Decimal(p.fraction.round_dp(SHARE_DP).normalize()),
                label: group
                    .and_then(|g| g.member(p.index))
                    .and_then(|m| m.label.clone()),
                indicators: Vec::new(),
            }
        })
        .collect();
    for (slot, &(p, i)) in plan.slots.iter().enumerate() {
        let (Some(period), Some(ind), Some(acc)) = (
            plan.periods.get(p),
            reg.indicators.get(i),
            partial.accs.get(slot),
        ) else {
            continue;
        };
        let target = target(engine, ind, period.assessed_on, period.index);
        let fraction = period.running.then_some(period.fraction);
        let r = indicator(ind, acc, target, fraction, policy);
        if let Some(out) = periods.get_mut(p) {
            out.indicators.push(r);
        }
    }
    let meta = pack.meta.first().cloned().unwrap_or_default();
    let mut notes = Vec::new();
    for r in &pack.reforms {
        let c = &r.cite;
        notes.push(msg!(
            vi: format!(
                "Theo cải cách giả định “{}” ({}, {}): số liệu là một kịch bản, không theo bộ quy tắc như đã ban hành.",
                r.title.vi, c.document, c.section,
            ),
            en: format!(
                "Under the hypothetical reform “{}” ({}, {}): the figures are a scenario, not the pack as issued.",
                r.title.en, c.document, c.section,
            ),
        ));
    }
    if let Some(end) = plan.ended {
        notes.push(msg!(
            vi: format!(
                "Chương trình đã kết thúc ngày {}: mọi số liệu được tính như tại ngày đó (rà soát sau khi kết thúc).",
                write_date(end, Lang::Vi),
            ),
            en: format!(
                "The programme ended on {}: every figure is counted as at that day (the review after its end).",
                write_date(end, Lang::En),
            ),
        ));
    }
    if let Some(start) = plan.not_started {
        notes.push(msg!(
            vi: format!(
                "Chưa có giai đoạn nào bắt đầu tại ngày báo cáo (giai đoạn đầu tiên bắt đầu ngày {}).",
                write_date(start, Lang::Vi),
            ),
            en: format!(
                "No phase has started by the report date (the first starts on {}).",
                write_date(start, Lang::En),
            ),
        ));
    }
    for (c, coll) in reg.collections.iter().enumerate() {
        let n = partial.out_of_scope.get(c).copied().unwrap_or(0);
        if n > 0 {
            let (vi, en) = coll
                .label
                .as_ref()
                .map(|l| (l.vi.clone(), l.en.clone()))
                .unwrap_or_else(|| (coll.name.clone(), coll.name.clone()));
            notes.push(msg!(
                vi: format!("{vi}: {n} dòng chưa thuộc phạm vi tại ngày báo cáo (theo điều kiện của bộ quy tắc, ví dụ thành lập sau ngày đó) nên không được kiểm tra, không được tính."),
                en: format!("{en}: {n} rows are not yet within scope at the report date (by the pack's condition, e.g. founded after it): not checked, not counted."),
            ));
        }
    }
    // errors in registry order whatever order the rows or partials came in: the registry's own
    // keys, then each collection in the pack's order, by record (stable: a row's field errors
    // before its duplicate error)
    let mut record_errors = partial.errors;
    let position = |e: &super::types::RecordError| {
        e.collection
            .as_ref()
            .map(|name| reg.collections.iter().position(|x| x.name == *name))
    };
    record_errors.sort_by_key(|e| (position(e), e.record));
    Report {
        as_of: partial.as_of,
        pack: PackInfo {
            id: meta.id,
            version: meta.version,
            document: meta.document,
            status: meta.status,
            title: meta.title,
            date: meta.date,
            issuer: meta.issuer,
            implements: meta.implements,
            jurisdiction: meta.jurisdiction,
        },
        registry: RegistryInfo {
            meta: reg
                .meta
                .iter()
                .map(|f| MetaEntry {
                    name: f.name.clone(),
                    label: f.label.clone(),
                    value: partial
                        .meta
                        .get(&f.name)
                        .cloned()
                        .unwrap_or(serde_json::Value::Null),
                })
                .collect(),
            collections: reg
                .collections
                .iter()
                .enumerate()
                .map(|(c, x)| CollectionInfo {
                    name: x.name.clone(),
                    label: x.label.clone(),
                    rows: partial.rows.get(c).copied().unwrap_or(0),
                    out_of_scope: partial.out_of_scope.get(c).copied().unwrap_or(0),
                })
                .collect(),
        },
        periods,
        ended: plan.ended,
        notes,
        record_errors,
        ignored: partial.ignored,
        disclosure: policy.map(|d| DisclosureInfo {
            threshold: d.threshold,
            rounding: d.rounding,
            cite: d.cite.clone(),
            note: d.note.clone(),
        }),
        reforms: pack.reforms.clone(),
    }
}

/// The indicator's target at `at` with the period's index bound: `(value, whole)`.
fn target(
    engine: &Engine,
    ind: &Indicator,
    at: crate::date::Date,
    index: i64,
) -> Option<(Decimal, bool)> {
    let (ex, ty) = ind.target.as_ref()?;
    let pack: &Pack = &engine.pack;
    let row = pack
        .registry
        .collections
        .get(ind.collection)
        .and_then(|c| pack.records.get(c.row))
        .map_or(0, |r| r.fields.len());
    let blank = Record {
        slots: vec![None; row],
    };
    let mut rcx = engine.row_cx(None, &blank, at);
    rcx.bind_index(ind.binds_index.then_some(index));
    rcx.number(ex).map(|d| (d, *ty == Ty::Int))
}

/// A share as published: to [`SHARE_DP`] places (0.01 %), unless that rounding would tell a
/// different status than the exact value (69.999 % against "at least 70 %" rounds to 70.00 %,
/// next to "not met"): then rounded toward the exact value's side of the target (69.99 %),
/// and with more places only when no rounding at 0.01 % keeps the status (a target with more
/// places than that). `agrees` says whether a candidate keeps the exact value's status.
fn publish_share(exact: Decimal, agrees: impl Fn(Decimal) -> bool) -> Decimal {
    use rust_decimal::RoundingStrategy::{ToNegativeInfinity, ToPositiveInfinity};
    for dp in SHARE_DP..=28 {
        let candidates = [
            exact.round_dp(dp),
            exact.round_dp_with_strategy(dp, ToNegativeInfinity),
            exact.round_dp_with_strategy(dp, ToPositiveInfinity),
        ];
        if let Some(c) = candidates.into_iter().find(|c| agrees(*c)) {
            return c;
        }
    }
    exact
}

/// Rounds half up to a multiple of `base`.
fn round_to(n: u64, base: u64) -> u64 {
    if base <= 1 {
        return n;
    }
    (n + base / 2) / base * base
}

/// A count as published under the policy: rounded when protected, `<threshold` when
/// sensitive and small.
fn publish(n: u64, protected: bool, sensitive: bool, policy: Option<&Disclosure>) -> Figure {
    match policy {
        Some(p) if sensitive && n < p.threshold => Figure::Below(p.threshold),
        Some(p) if protected => {
            Figure::Whole(i64::try_from(round_to(n, p.rounding)).unwrap_or(i64::MAX))
        }
        _ => Figure::Whole(i64::try_from(n).unwrap_or(i64::MAX)),
    }
}

fn figure(d: Decimal, whole: bool) -> Figure {
    if whole {
        if let Ok(i) = i64::try_from(d.trunc()) {
            if d.fract().is_zero() {
                return Figure::Whole(i);
            }
        }
    }
    Figure::Decimal(d.normalize())
}

fn indicator(
    ind: &Indicator,
    acc: &Acc,
    target: Option<(Decimal, bool)>,
    fraction: Option<Decimal>,
    policy: Option<&Disclosure>,
) -> IndicatorReport {
    let protected = ind.protected && policy.is_some();
    // The exact value the status is decided on. A count of a protected indicator is decided
    // on its published figure (so status and shortfall reveal nothing more); a share on the
    // exact quotient, never on its rounding for publication.
    let (value, exact): (Option<Figure>, Option<Decimal>) = match ind.aggregate {
        Aggregate::Count => {
            let f = publish(acc.rows, protected, ind.sensitive, policy);
            (Some(f), f.number())
        }
        Aggregate::Distinct => {
            let f = Figure::Whole(
                i64::try_from(acc.keys.values().filter(|n| **n > 0).count()).unwrap_or(i64::MAX),
            );
            (Some(f), f.number())
        }
        Aggregate::Sum => {
            let f = figure(acc.num, ind.whole);
            (Some(f), f.number())
        }
        Aggregate::Share => {
            let q = (!acc.den.is_zero())
                .then(|| acc.num.checked_div(acc.den))
                .flatten();
            (None, q)
        }
    };
    let t = target.map(|t| t.0);
    let whole = ind.whole && target.is_none_or(|t| t.1);
    let assess = |v: Option<Decimal>| -> (Outcome, Status, Option<Decimal>) {
        match (v, t) {
            (_, None) => (Outcome::Unknown, Status::NoTarget, None),
            (None, Some(_)) => (Outcome::Unknown, Status::NoData, None),
            (Some(v), Some(t)) if ind.compare.holds(v, t) => (Outcome::Yes, Status::Met, None),
            (Some(_), Some(_)) if fraction.is_none() => (Outcome::No, Status::NotMet, None),
            (Some(v), Some(t)) => {
                let expected = match fraction {
                    Some(f) if ind.pro_rata && ind.compare.upward() => {
                        let e = t.checked_mul(f).unwrap_or(t);
                        Some(if whole {
                            e.floor()
                        } else {
                            e.round_dp(SHARE_DP)
                        })
                    }
                    _ => None,
                };
                let by_now = expected.unwrap_or(t);
                let status = if ind.compare.holds(v, by_now) {
                    Status::OnTrack
                } else {
                    Status::Behind
                };
                (Outcome::No, status, expected)
            }
        }
    };
    let (outcome, status, expected) = assess(exact);
    let value = match (ind.aggregate, exact) {
        (Aggregate::Share, Some(q)) => Some(Figure::Decimal(
            publish_share(q, |shown| assess(Some(shown)).1 == status).normalize(),
        )),
        _ => value,
    };
    let expected = expected.map(|e| figure(e, whole));
    // The shortfall is the distance from the published value to the target, so that a reader
    // who subtracts the figures shown finds it (the published value keeps the exact status).
    let v = value.as_ref().and_then(Figure::number);
    let shortfall = match (v, t, status) {
        (Some(v), Some(t), Status::NotMet | Status::Behind | Status::OnTrack) => {
            let step = if whole { Decimal::ONE } else { Decimal::ZERO };
            let gap = match ind.compare {
                Compare::AtLeast => t - v,
                Compare::Above => t - v + step,
                Compare::AtMost => v - t,
                Compare::Below => v - t + step,
            };
            (gap > Decimal::ZERO).then(|| figure(gap, whole))
        }
        _ => None,
    };
    let groups = ind
        .groups
        .iter()
        .enumerate()
        .map(|(g, b)| GroupFigure {
            id: b.name.clone(),
            label: b.label.clone(),
            value: publish(
                acc.groups.get(g).copied().unwrap_or(0),
                protected,
                b.sensitive,
                policy,
            ),
            sensitive: b.sensitive,
        })
        .collect();
    let target = target.map(|(t, w)| figure(t, w));
    let display = super::render::format::display(
        ind.unit,
        ind.compare,
        value.as_ref(),
        target.as_ref(),
        expected.as_ref(),
        shortfall.as_ref(),
    );
    IndicatorReport {
        id: ind.name.clone(),
        title: ind.title.clone(),
        kind: ind.aggregate,
        unit: ind.unit,
        value,
        target,
        compare: ind.compare,
        expected,
        outcome,
        status,
        status_label: msg!(vi: status.label(Lang::Vi), en: status.label(Lang::En)),
        shortfall,
        display,
        unknown: publish(acc.unknown, protected, false, policy),
        groups,
        protected,
        cite: ind.cite.clone(),
        interpretation: ind.interpretation.clone(),
        confidence: ind.confidence.clone(),
    }
}
