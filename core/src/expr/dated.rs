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

/// A row of [`crate::model::Dated`] for one as-of date, with the pack it indexes.
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

    /// The index (in [`crate::model::Param::values`]) of parameter `id`'s value in force.
    #[inline]
    pub(crate) fn param_index(&self, id: usize) -> Option<usize> {
        usize::try_from(*self.row.get(id)?).ok()
    }

    /// Group `g`'s member in force (as [`crate::model::PeriodGroup::at`] at the as-of date).
    #[inline]
    pub(crate) fn group(&self, g: usize) -> Option<&'a Period> {
        let at = self.pack.params.len().checked_add(g)?;
        let i = usize::try_from(*self.row.get(at)?).ok()?;
        self.pack.groups.get(g)?.members.get(i)
    }
}
