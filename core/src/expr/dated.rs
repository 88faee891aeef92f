//! Parameters and period groups resolved once per as-of date, not looked up at every use.
//!
//! A parameter's value in force and a period group's member at a date change only at the
//! dates where some value or member starts or ends. The pack's dates cut time into segments;
//! for each, the table holds which value of each parameter and which member of each group is
//! in force. An evaluation finds its as-of date's segment once (a binary search) and then reads
//! a parameter or a group at the as-of date with one index.

use crate::date::Date;
use crate::model::{Pack, Period};
use crate::value::Val;

/// No value in force (in [`Dated`]'s table).
const NONE: u32 = u32::MAX;

/// The per-segment table of a pack (see the module's documentation).
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

/// A row of [`Dated`] for one as-of date, with the pack it indexes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AsOfRow<'a> {
    pack: &'a Pack,
    row: &'a [u32],
}

impl<'a> AsOfRow<'a> {
    /// The row of `pack` at `as_of`.
    pub(crate) fn new(pack: &'a Pack, as_of: Date) -> AsOfRow<'a> {
        AsOfRow {
            pack,
            row: pack.dated().row(as_of),
        }
    }

    /// Parameter `id`'s value in force (as [`crate::model::Param::at`] at the as-of date).
    #[inline]
    pub(crate) fn param(&self, id: usize) -> Option<&'a Val> {
        let i = usize::try_from(*self.row.get(id)?).ok()?;
        self.pack.params.get(id)?.values.get(i).map(|v| &v.value)
    }

    /// Group `g`'s member in force (as [`crate::model::PeriodGroup::at`] at the as-of date).
    #[inline]
    pub(crate) fn group(&self, g: usize) -> Option<&'a Period> {
        let at = self.pack.params.len().checked_add(g)?;
        let i = usize::try_from(*self.row.get(at)?).ok()?;
        self.pack.groups.get(g)?.members.get(i)
    }
}
