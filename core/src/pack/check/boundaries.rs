//! Phase 7b, threshold analysis (warnings): see [`crate::boundaries`] — comparisons that can
//! never change within their field's bounds, periods in which a decision is constant, and two
//! comparisons of one input with one threshold that leave a gap, overlap or read it two ways.

use super::context::Context;
use super::table::RuleTable;
use crate::codes::Code;

/// Reports the analysis's findings as `lint.boundary` warnings at each rule's condition.
pub(super) fn lint(cx: &mut Context, table: &RuleTable<'_>) {
    for f in crate::boundaries::lint(&cx.pack) {
        // (a rule's index within its entity is its rank among the entity's pending rules)
        let Some(p) = table
            .pending
            .iter()
            .filter(|p| p.entity == f.entity)
            .nth(f.rule)
        else {
            continue;
        };
        match &p.doc.when {
            Some(w) => cx
                .out
                .warn(p.file, w.span().start, Code::LintBoundary, f.message),
            None => cx.out.warn(
                p.file,
                p.doc.name.span().start,
                Code::LintBoundary,
                f.message,
            ),
        }
    }
}
