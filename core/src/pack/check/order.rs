//! Phase 6, rule order: each entity's rules in dependency order (a rule after the rules it
//! refers to), with cycles reported; and which rules are outputs and constraints.

use super::context::Context;
use super::rules::RuleTable;
use crate::codes::Code;
use crate::model::{EntityRules, RuleKind};

/// Orders the rules of every entity (run only on a pack without other problems).
pub(super) fn check(cx: &mut Context, table: &RuleTable<'_>) {
    for (ei, er) in cx.pack.entities.iter_mut().enumerate() {
        let deps = dependencies(er);
        let n = er.rules.len();
        let mut state = vec![0u8; n];
        let mut order = Vec::new();
        for i in 0..n {
            if let Some(cycle) = dfs(i, &deps, &mut state, &mut order, &mut Vec::new()) {
                let names: Vec<_> = cycle
                    .iter()
                    .filter_map(|c| er.rules.get(*c).map(|r| r.name.clone()))
                    .collect();
                // (a rule's index is its rank among its entity's pending rules)
                let first = cycle
                    .first()
                    .and_then(|c| table.pending.iter().filter(|p| p.entity == ei).nth(*c));
                if let Some(p) = first {
                    let (chain, back) = (
                        names.join(" → "),
                        names.first().cloned().unwrap_or_default(),
                    );
                    cx.out.diag_at(
                        p.file,
                        &p.doc.name,
                        Code::RuleCycle,
                        msg!(
                            vi: format!("các quy tắc tham chiếu vòng tròn: {chain} → {back}"),
                            en: format!("rules refer to each other in a cycle: {chain} → {back}"),
                        ),
                    );
                }
                break;
            }
        }
        let kind_of = |i: usize| er.rules.get(i).map(|r| (r.kind, r.internal));
        er.order = order
            .into_iter()
            .filter(|&i| kind_of(i).is_some_and(|(k, _)| k != RuleKind::Constraint))
            .collect();
        er.outputs = (0..n)
            .filter(|&i| {
                kind_of(i).is_some_and(|(k, internal)| k != RuleKind::Constraint && !internal)
            })
            .collect();
        er.constraints = (0..n)
            .filter(|&i| kind_of(i).is_some_and(|(k, _)| k == RuleKind::Constraint))
            .collect();
        er.constraints_use_rules = er
            .constraints
            .iter()
            .any(|&c| deps.get(c).is_some_and(|d| !d.is_empty()));
    }
}

/// The rules each rule refers to (through its `let`s, conditions, value, target, `each`).
fn dependencies(er: &EntityRules) -> Vec<Vec<usize>> {
    er.rules
        .iter()
        .map(|r| {
            let mut d = Vec::new();
            for l in &r.locals {
                l.1.rule_refs(&mut d);
            }
            for e in [
                r.when.as_ref(),
                r.value.as_ref().map(|v| &v.0),
                r.target.as_ref().map(|v| &v.0),
                r.each.as_ref().map(|v| &v.0),
            ]
            .into_iter()
            .flatten()
            {
                e.rule_refs(&mut d);
            }
            d
        })
        .collect()
}

/// Depth-first from rule `i`, appending to `order` after the rules it needs; returns the
/// rules of a cycle when it meets one.
fn dfs(
    i: usize,
    deps: &[Vec<usize>],
    state: &mut [u8],
    order: &mut Vec<usize>,
    stack: &mut Vec<usize>,
) -> Option<Vec<usize>> {
    match state.get(i) {
        Some(2) => return None,
        Some(1) => {
            let pos = stack.iter().position(|&s| s == i).unwrap_or(0);
            return Some(stack.get(pos..).map(|s| s.to_vec()).unwrap_or_default());
        }
        _ => {}
    }
    if let Some(s) = state.get_mut(i) {
        *s = 1;
    }
    stack.push(i);
    for &d in deps.get(i).map(|v| v.as_slice()).unwrap_or(&[]) {
        if let Some(c) = dfs(d, deps, state, order, stack) {
            return Some(c);
        }
    }
    stack.pop();
    if let Some(s) = state.get_mut(i) {
        *s = 2;
    }
    order.push(i);
    None
}
