//! Which periods a report at a date covers, and where each (period, indicator) pair is
//! accumulated: the same for every partial of one report, so partials merge slot by slot.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::model::Pack;

/// One member of a period group that has started by the report's date.
#[derive(Clone, Debug)]
pub(crate) struct PeriodPlan {
    pub group: usize,
    pub index: i64,
    pub from: Date,
    pub to: Date,
    /// `min(as_of, to)`: a period's figures are as at its last day once it is over.
    pub assessed_on: Date,
    pub running: bool,
    /// The share of the period elapsed at `assessed_on`.
    pub fraction: Decimal,
}

/// The rows of one collection evaluated at one date: which slots they feed, with the
/// indicator and the period's index.
#[derive(Clone, Debug)]
pub(crate) struct Work {
    pub at: Date,
    pub items: Vec<(u32, usize, i64)>,
}

/// A report's layout at its date.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub periods: Vec<PeriodPlan>,
    /// Per slot: (period, indicator).
    pub slots: Vec<(usize, usize)>,
    /// Per collection: its work, one entry per distinct assessment date.
    pub work: Vec<Vec<Work>>,
    /// The last day of the last period, when the report's date is after it.
    pub ended: Option<Date>,
    /// The first day of the first period, when none has started.
    pub not_started: Option<Date>,
}

impl Plan {
    pub(crate) fn new(pack: &Pack, as_of: Date) -> Plan {
        let reg = &pack.registry;
        // period groups in the order the indicators first name them
        let mut groups: Vec<usize> = Vec::new();
        for ind in &reg.indicators {
            if !groups.contains(&ind.group) {
                groups.push(ind.group);
            }
        }
        let mut periods = Vec::new();
        let mut last_end: Option<Date> = None;
        let mut first_start: Option<Date> = None;
        for &g in &groups {
            let Some(group) = pack.groups.get(g) else {
                continue;
            };
            let mut members: Vec<_> = group.members.iter().collect();
            members.sort_by_key(|m| m.index);
            for m in members {
                last_end = Some(last_end.map_or(m.to, |d| d.max(m.to)));
                first_start = Some(first_start.map_or(m.from, |d| d.min(m.from)));
                if as_of < m.from {
                    continue;
                }
                let assessed_on = as_of.min(m.to);
                let elapsed = Decimal::from(assessed_on.unix_days() - m.from.unix_days() + 1);
                let length = Decimal::from(m.to.unix_days() - m.from.unix_days() + 1);
                periods.push(PeriodPlan {
                    group: g,
                    index: m.index,
                    from: m.from,
                    to: m.to,
                    assessed_on,
                    running: as_of < m.to,
                    fraction: elapsed.checked_div(length).unwrap_or(Decimal::ONE),
                });
            }
        }
        let mut slots = Vec::new();
        let mut work: Vec<Vec<Work>> = vec![Vec::new(); reg.collections.len()];
        for (p, period) in periods.iter().enumerate() {
            for (i, ind) in reg.indicators.iter().enumerate() {
                if ind.group != period.group {
                    continue;
                }
                let slot = u32::try_from(slots.len()).unwrap_or(u32::MAX);
                slots.push((p, i));
                let Some(w) = work.get_mut(ind.collection) else {
                    continue;
                };
                let item = (slot, i, period.index);
                match w.iter_mut().find(|x| x.at == period.assessed_on) {
                    Some(x) => x.items.push(item),
                    None => w.push(Work {
                        at: period.assessed_on,
                        items: vec![item],
                    }),
                }
            }
        }
        Plan {
            ended: last_end.filter(|e| as_of > *e),
            not_started: if periods.is_empty() {
                first_start
            } else {
                None
            },
            periods,
            slots,
            work,
        }
    }
}
