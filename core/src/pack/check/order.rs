//! Phase 6, rule order: each entity's rules in dependency order (a rule after the rules it
//! refers to), with cycles reported; and which rules are outputs and constraints.

use super::context::Context;
use super::table::RuleTable;
use crate::codes::Code;
use crate::model::{EntityRules, RuleKind};

/// Orders the rules of every entity (run only on a pack without other problems).
pub(super) fn check(cx: &mut Context, table: &RuleTable<'_>) {
    for (ei, er) in cx.pack.entities.iter_mut().enumerate() {
        let deps = dependencies(er);
        let n = er.rules.len();
        let order = match dependency_order(&deps) {
            Ok(order) => order,
            Err(cycle) => {
                let names: Vec<&str> = cycle
                    .iter()
                    .filter_map(|c| er.rules.get(*c).map(|r| r.name.as_str()))
                    .collect();
                // (a rule's index is its rank among its entity's pending rules)
                let first = cycle
                    .first()
                    .and_then(|c| table.pending.iter().filter(|p| p.entity == ei).nth(*c));
                if let Some(p) = first {
                    let chain = chain(&names);
                    cx.out.diag_at(
                        p.file,
                        &p.doc.name,
                        Code::RuleCycle,
                        msg!(
                            vi: format!("các quy tắc tham chiếu vòng tròn: {chain}"),
                            en: format!("rules refer to each other in a cycle: {chain}"),
                        ),
                    );
                }
                Vec::new()
            }
        };
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

/// A cycle as `a → b → c → a`; a long one shows its first names and how many there are.
pub(super) fn chain(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    let back = names.first().copied().unwrap_or_default();
    if names.len() <= SHOWN {
        format!("{} → {back}", names.join(" → "))
    } else {
        let head = names.get(..SHOWN).unwrap_or(names).join(" → ");
        format!("{head} → … → {back} ({} in the cycle)", names.len())
    }
}

/// Node indices in dependency order (each after the nodes it depends on; depth-first from
/// 0, 1, … in turn), or the first cycle met, in order along it. `deps[i]` are the nodes `i`
/// depends on; indices out of range are ignored.
///
/// Iterative, with an explicit stack: a chain of 100,000 rules is a loop, not 100,000 nested
/// calls. Linear in nodes and edges.
pub(super) fn dependency_order(deps: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    const TODO: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let n = deps.len();
    let mut state = vec![TODO; n];
    let mut order = Vec::with_capacity(n);
    // the current path: (node, how many of its dependencies were looked at)
    let mut path: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state.get(root) != Some(&TODO) {
            continue;
        }
        if let Some(s) = state.get_mut(root) {
            *s = ON_PATH;
        }
        path.push((root, 0));
        while let Some(top) = path.last_mut() {
            let (v, k) = *top;
            match deps.get(v).and_then(|d| d.get(k)).copied() {
                Some(w) => {
                    top.1 += 1;
                    match state.get(w).copied() {
                        Some(TODO) => {
                            if let Some(s) = state.get_mut(w) {
                                *s = ON_PATH;
                            }
                            path.push((w, 0));
                        }
                        Some(ON_PATH) => {
                            let from = path.iter().position(|&(x, _)| x == w).unwrap_or(0);
                            let cycle = path.get(from..).unwrap_or(&[]);
                            return Err(cycle.iter().map(|&(x, _)| x).collect());
                        }
                        _ => {}
                    }
                }
                None => {
                    if let Some(s) = state.get_mut(v) {
                        *s = DONE;
                    }
                    order.push(v);
                    path.pop();
                }
            }
        }
    }
    Ok(order)
}

/// Which nodes lie on a cycle (a node that depends on itself, directly or not): Tarjan's
/// strongly connected components, iterative and linear like [`dependency_order`].
pub(super) fn on_cycle(deps: &[Vec<usize>]) -> Vec<bool> {
    const NONE: usize = usize::MAX;
    let n = deps.len();
    let mut index = vec![NONE; n];
    let mut low = vec![NONE; n];
    let mut on_stack = vec![false; n];
    let mut out = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let at = |v: &[usize], i: usize| v.get(i).copied().unwrap_or(NONE);
    let set = |v: &mut [usize], i: usize, x: usize| {
        if let Some(s) = v.get_mut(i) {
            *s = x;
        }
    };
    let flag = |v: &mut [bool], i: usize, x: bool| {
        if let Some(s) = v.get_mut(i) {
            *s = x;
        }
    };
    // the nodes being visited: (node, how many of its dependencies were looked at)
    let mut call: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if at(&index, root) != NONE {
            continue;
        }
        set(&mut index, root, next);
        set(&mut low, root, next);
        next += 1;
        stack.push(root);
        flag(&mut on_stack, root, true);
        call.push((root, 0));
        while let Some(top) = call.last_mut() {
            let (v, k) = *top;
            if let Some(w) = deps.get(v).and_then(|d| d.get(k)).copied() {
                top.1 += 1;
                if w >= n {
                    continue;
                }
                if at(&index, w) == NONE {
                    set(&mut index, w, next);
                    set(&mut low, w, next);
                    next += 1;
                    stack.push(w);
                    flag(&mut on_stack, w, true);
                    call.push((w, 0));
                } else if on_stack.get(w) == Some(&true) {
                    let l = at(&low, v).min(at(&index, w));
                    set(&mut low, v, l);
                }
                continue;
            }
            call.pop();
            if let Some(&(u, _)) = call.last() {
                let l = at(&low, u).min(at(&low, v));
                set(&mut low, u, l);
            }
            if at(&low, v) == at(&index, v) {
                // v is the root of a component: pop it
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    flag(&mut on_stack, w, false);
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                let cyclic = members.len() > 1 || deps.get(v).is_some_and(|d| d.contains(&v));
                if cyclic {
                    for m in members {
                        flag(&mut out, m, true);
                    }
                }
            }
        }
    }
    out
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
