//! An entity's schema as a tree of fields with stable ids, built once when a pack loads: what
//! the decoder walks (each field's node, each record's scope for keys not in the schema), what
//! a batch marks as present, and what each decision needs (found by reading its compiled
//! expression), so a batch can say "no record has the facts this decision needs".

use super::keys::Candidate;
use crate::expr::ir::{Base, Ex};
use crate::model::{EntityRules, Pack, Rule, RuleKind};
use crate::text::Message;
use crate::value::{Record, Ty, Val};

/// One field (or the entity itself, node 0) of an entity's schema.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// Dotted path from the entity (`workers.female`); items of a list add `[]`
    /// (`managers[].gender`); `""` for the entity.
    pub path: String,
    /// The field's label, with its parents' (`Người lao động — Số nữ`, as reasons write
    /// them); the name made readable when the pack gives none.
    pub label: Message,
    /// Whether the node sits inside a list's items.
    pub in_list: bool,
    /// For a record (the entity, a record field, a list's item record): its type, and the node
    /// of each field, by slot.
    pub record: Option<usize>,
    pub fields: Vec<usize>,
    /// For a list of records: the node of its items.
    pub item: Option<usize>,
    /// For a record: every field below it reached without entering a list (`candidate_nodes`),
    /// with the relative path the suggestion search compares keys with (`candidates`).
    pub candidates: Vec<Candidate>,
    pub candidate_nodes: Vec<usize>,
}

/// A constraint rule (its index in the entity's rules) and, per field it cannot find an error
/// without, the field's slots from the entity (`None` when slots cannot tell: inside list
/// items).
pub(crate) type ConstraintNeeds = (usize, Vec<Option<Vec<usize>>>);

/// An entity's schema tree and what each of its output decisions needs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shape {
    pub nodes: Vec<Node>,
    /// For each output decision (in `EntityRules::outputs` order), the fields without which
    /// it is always unknown, whatever the other facts.
    pub needs: Vec<Vec<usize>>,
    /// The entity's constraint rules, each with what it cannot find an error without (the
    /// slots from the entity of each field it needs; `None` when slots cannot tell, inside
    /// list items), so a record lacking one skips it ([`Shape::constraints_for`]). `None`
    /// when skipping one could change what the others find: a constraint uses another
    /// rule, or their budgets together exceed the record's.
    pub constraints: Option<Vec<ConstraintNeeds>>,
}

/// No tree: a record type read without one (a registry's own rows) gets no suggestions.
pub(crate) static EMPTY_SHAPE: Shape = Shape {
    nodes: Vec::new(),
    needs: Vec::new(),
    constraints: None,
};

impl Shape {
    pub(crate) fn new(pack: &Pack, er: &EntityRules) -> Shape {
        let mut s = Shape::default();
        s.nodes.push(Node {
            path: String::new(),
            label: msg!(vi: er.name.clone(), en: er.name.clone()),
            in_list: false,
            record: Some(er.record),
            fields: Vec::new(),
            item: None,
            candidates: Vec::new(),
            candidate_nodes: Vec::new(),
        });
        s.add_record(pack, 0, er.record, 0);
        for i in 0..s.nodes.len() {
            let cands = s.below(i, "");
            if let Some(n) = s.nodes.get_mut(i) {
                n.candidates = cands.iter().map(|(_, rel)| Candidate::new(rel)).collect();
                n.candidate_nodes = cands.into_iter().map(|(id, _)| id).collect();
            }
        }
        s.needs = needs(pack, er, &s);
        s.constraints = constraint_plan(pack, er, &s);
        s
    }

    /// The constraint rules of `er` (this shape's entity) that can find an error in `rec`,
    /// into `out` (cleared first): those whose needed facts `rec` has, or all of `er`'s when
    /// there is no plan. Their number, or `None` when `out` cannot hold them (then the caller
    /// checks them all).
    pub(crate) fn constraints_for<const N: usize>(
        &self,
        er: &EntityRules,
        rec: &crate::value::Record,
        out: &mut [usize; N],
    ) -> Option<usize> {
        let mut n = 0usize;
        let mut push = |ci: usize| match out.get_mut(n) {
            Some(x) => {
                *x = ci;
                n += 1;
                true
            }
            None => false,
        };
        match &self.constraints {
            None => {
                for &ci in &er.constraints {
                    if !push(ci) {
                        return None;
                    }
                }
            }
            Some(plan) => {
                for (ci, needs) in plan {
                    let lacking = needs.iter().any(|slots| {
                        slots
                            .as_deref()
                            .is_some_and(|slots| fact_at(rec, slots).is_none())
                    });
                    if !lacking && !push(*ci) {
                        return None;
                    }
                }
            }
        }
        Some(n)
    }

    /// Adds the fields of record type `rec` under `scope`.
    fn add_record(&mut self, pack: &Pack, scope: usize, rec: usize, depth: usize) {
        let Some(rt) = pack.records.get(rec) else {
            return;
        };
        // record types cannot contain themselves (the checker refuses it); the bound is a guard
        if depth > crate::limits::MAX_FACT_DEPTH {
            return;
        }
        let (prefix, parent_label, in_list) = match self.nodes.get(scope) {
            Some(n) => (n.path.clone(), n.label.clone(), n.in_list),
            None => return,
        };
        let mut ids = Vec::with_capacity(rt.fields.len());
        for f in &rt.fields {
            let path = if prefix.is_empty() {
                f.name.clone()
            } else {
                format!("{prefix}.{}", f.name)
            };
            let own = crate::labels::field(f);
            let label = if scope == 0 {
                own
            } else {
                msg!(
                    vi: format!("{} — {}", parent_label.vi, own.vi),
                    en: format!("{} — {}", parent_label.en, own.en),
                )
            };
            let id = self.nodes.len();
            self.nodes.push(Node {
                path: path.clone(),
                label: label.clone(),
                in_list,
                record: None,
                fields: Vec::new(),
                item: None,
                candidates: Vec::new(),
                candidate_nodes: Vec::new(),
            });
            ids.push(id);
            match &f.ty {
                Ty::Rec(t) => {
                    if let Some(n) = self.nodes.get_mut(id) {
                        n.record = Some(*t);
                    }
                    self.add_record(pack, id, *t, depth + 1);
                }
                Ty::List(inner) => {
                    if let Ty::Rec(t) = inner.as_ref() {
                        let item = self.nodes.len();
                        self.nodes.push(Node {
                            path: format!("{path}[]"),
                            label,
                            in_list: true,
                            record: Some(*t),
                            fields: Vec::new(),
                            item: None,
                            candidates: Vec::new(),
                            candidate_nodes: Vec::new(),
                        });
                        if let Some(n) = self.nodes.get_mut(id) {
                            n.item = Some(item);
                        }
                        self.add_record(pack, item, *t, depth + 1);
                    }
                }
                _ => {}
            }
        }
        if let Some(n) = self.nodes.get_mut(scope) {
            n.fields = ids;
        }
    }

    /// Every field below record node `scope` reached without entering a list, with its path
    /// relative to `scope`.
    fn below(&self, scope: usize, prefix: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let Some(n) = self.nodes.get(scope) else {
            return out;
        };
        if n.record.is_none() {
            return out;
        }
        for &f in &n.fields {
            let Some(fnode) = self.nodes.get(f) else {
                continue;
            };
            let name = fnode.path.rsplit('.').next().unwrap_or_default();
            let rel = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            out.push((f, rel.clone()));
            if fnode.record.is_some() {
                out.extend(self.below(f, &rel));
            }
        }
        out
    }

    /// The node of a field path given by slots from the entity (`None` through a list).
    pub(crate) fn node_of_slots(&self, slots: &[usize]) -> Option<usize> {
        let mut cur = 0;
        for &s in slots {
            cur = *self.nodes.get(cur)?.fields.get(s)?;
        }
        Some(cur)
    }

    /// The node of a dotted path (`workers.female`) from the entity; `None` when a step is not
    /// a field or goes through a list.
    pub(crate) fn node_of_path(&self, path: &str) -> Option<usize> {
        let mut cur = 0usize;
        for part in path.split('.') {
            let n = self.nodes.get(cur)?;
            cur = n.fields.iter().copied().find(|&f| {
                self.nodes
                    .get(f)
                    .and_then(|x| x.path.rsplit('.').next())
                    .is_some_and(|name| name == part)
            })?;
        }
        Some(cur)
    }

    /// Whether node `a` is `b` or contains it.
    pub(crate) fn contains(&self, a: usize, b: usize) -> bool {
        let (Some(x), Some(y)) = (self.nodes.get(a), self.nodes.get(b)) else {
            return false;
        };
        a == b || x.path.is_empty() || y.path.starts_with(&format!("{}.", x.path))
    }
}

/// For each output decision of `er`, the fields it cannot do without.
fn needs(pack: &Pack, er: &EntityRules, shape: &Shape) -> Vec<Vec<usize>> {
    // every decision and value rule, in dependency order, so `rule.x` is known when used
    let mut by_rule: Vec<Vec<usize>> = vec![Vec::new(); er.rules.len()];
    for &i in &er.order {
        let Some(rule) = er.rules.get(i) else {
            continue;
        };
        let n = rule_needs(rule, shape, &by_rule);
        if let Some(slot) = by_rule.get_mut(i) {
            *slot = n;
        }
    }
    let _ = pack;
    er.outputs
        .iter()
        .map(|&i| by_rule.get(i).cloned().unwrap_or_default())
        .collect()
}

fn rule_needs(rule: &Rule, shape: &Shape, rules: &[Vec<usize>]) -> Vec<usize> {
    let mut locals: Vec<Vec<usize>> = Vec::with_capacity(rule.locals.len());
    for (_, ex, _) in &rule.locals {
        let n = ex_needs(ex, shape, rules, &locals);
        locals.push(n);
    }
    let main = match rule.kind {
        RuleKind::Decision => rule.when.as_ref(),
        RuleKind::Value => rule.value.as_ref().map(|v| &v.0),
        RuleKind::Constraint => None,
    };
    let mut out = main
        .map(|e| ex_needs(e, shape, rules, &locals))
        .unwrap_or_default();
    out.sort_unstable();
    out.dedup();
    out
}

/// [`Shape::constraints`] of `er`: each constraint rule with the slots of the fields it
/// needs ([`constraint_needs`]).
fn constraint_plan(pack: &Pack, er: &EntityRules, shape: &Shape) -> Option<Vec<ConstraintNeeds>> {
    let steps = u64::try_from(er.constraints.len())
        .unwrap_or(u64::MAX)
        .saturating_mul(crate::limits::EVAL_STEPS);
    if er.constraints_use_rules || steps > crate::limits::EVAL_STEPS_PER_RECORD {
        return None;
    }
    let mut out = Vec::with_capacity(er.constraints.len());
    for &ci in &er.constraints {
        let rule = er.rules.get(ci)?;
        let slots = constraint_needs(rule, shape)
            .iter()
            .map(|&n| {
                shape
                    .nodes
                    .get(n)
                    .filter(|node| !node.in_list && !node.path.is_empty())
                    .and_then(|node| resolve(pack, er.record, &node.path))
                    .map(|(slots, _)| slots)
            })
            .collect();
        out.push((ci, slots));
    }
    Some(out)
}

/// The fields without which constraint rule `rule` finds no error whatever the other facts:
/// its condition is then unknown, or the list it checks (`each`) absent. (What other rules
/// give is not followed: a constraint that uses one may need less than it seems, never more.)
pub(crate) fn constraint_needs(rule: &Rule, shape: &Shape) -> Vec<usize> {
    let mut locals: Vec<Vec<usize>> = Vec::with_capacity(rule.locals.len());
    for (_, ex, _) in &rule.locals {
        let n = ex_needs(ex, shape, &[], &locals);
        locals.push(n);
    }
    let mut out = rule
        .when
        .as_ref()
        .map(|e| ex_needs(e, shape, &[], &locals))
        .unwrap_or_default();
    if let Some((list, _)) = &rule.each {
        out.extend(ex_needs(list, shape, &[], &locals));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The fields without which `ex` is unknown whatever the other facts (three-valued logic:
/// `a and b` can be `no` without `a`, so it needs only what both sides need).
fn ex_needs(ex: &Ex, shape: &Shape, rules: &[Vec<usize>], locals: &[Vec<usize>]) -> Vec<usize> {
    let go = |e: &Ex| ex_needs(e, shape, rules, locals);
    let union = |a: Vec<usize>, b: Vec<usize>| {
        let mut v = a;
        v.extend(b);
        v.sort_unstable();
        v.dedup();
        v
    };
    let inter = |a: Vec<usize>, b: Vec<usize>| a.into_iter().filter(|x| b.contains(x)).collect();
    match ex {
        Ex::Field {
            base: Base::Root,
            slots,
            ..
        } => shape.node_of_slots(slots).into_iter().collect(),
        Ex::Field { .. } | Ex::Const(_) | Ex::Unknown | Ex::Var(_) | Ex::AsOf | Ex::Present(_) => {
            Vec::new()
        }
        Ex::Local(i) => locals.get(*i).cloned().unwrap_or_default(),
        Ex::Rule(r) => rules.get(*r).cloned().unwrap_or_default(),
        Ex::Param { at, .. } => at.as_deref().map(go).unwrap_or_default(),
        Ex::Not(a) | Ex::Neg(a) => go(a),
        Ex::And(a, b) | Ex::Or(a, b) | Ex::Coalesce(a, b) => inter(go(a), go(b)),
        Ex::Cmp(_, a, b) | Ex::In(a, b, _) | Ex::Arith(_, a, b) => union(go(a), go(b)),
        Ex::If(c, a, b) => union(go(c), inter(go(a), go(b))),
        // an absent list makes a quantifier unknown; what its items need is theirs
        Ex::Quant { domain, .. } => go(domain),
        Ex::Call(_, args) => args.iter().map(go).fold(Vec::new(), union),
    }
}

/// The fact at `slots` in `rec` (through nested records); `None` when it or a record around
/// it is absent.
pub(crate) fn fact_at<'r>(rec: &'r Record, slots: &[usize]) -> Option<&'r Val> {
    let (&last, outer) = slots.split_last()?;
    let mut cur = rec;
    for &s in outer {
        cur = match cur.slots.get(s)? {
            Some(Val::Rec(r)) => r,
            // (not a record: cannot tell, taken as there)
            Some(v) => return Some(v),
            None => return None,
        };
    }
    cur.slots.get(last)?.as_ref()
}

/// The slots of a dotted path (`workers.female`) in record type `record`, and the type of the
/// field it ends at; `None` when a step is not a field (or not a record before the end).
pub(crate) fn resolve(pack: &Pack, record: usize, path: &str) -> Option<(Vec<usize>, Ty)> {
    let mut cur = pack.records.get(record)?;
    let mut slots = Vec::new();
    let mut last = None;
    let parts: Vec<&str> = path.split('.').collect();
    for (k, part) in parts.iter().enumerate() {
        let s = *cur.by_name.get(*part)?;
        let ty = cur.fields.get(s).map(|f| f.ty.clone()).unwrap_or(Ty::Bool);
        slots.push(s);
        if k + 1 < parts.len() {
            match &ty {
                Ty::Rec(r) => cur = pack.records.get(*r)?,
                _ => return None,
            }
        }
        last = Some(ty);
    }
    Some((slots, last?))
}
