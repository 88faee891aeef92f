//! Running rules on a record: decisions and values in dependency order, constraint rules, and
//! the sanitizing of facts that fail a bound or a constraint. The only user of the
//! evaluator's context [`Cx`].

use super::result::{Decision, Evaluation, Outcome, Scalar};
use super::Engine;
use crate::date::Date;
use crate::error::FieldError;
use crate::expr::eval::{Cx, Note, V};
use crate::model::{EntityRules, Part, Rule, RuleKind, Template};
use crate::text::Message;
use crate::value::Record;

/// What running one rule gives.
#[derive(Clone, Debug)]
pub(crate) struct RuleOut {
    pub outcome: Outcome,
    pub value: Option<Scalar>,
    pub target: Option<Scalar>,
    pub args: Vec<Option<Scalar>>,
    pub missing: Vec<String>,
    pub notes: Vec<Note>,
}

impl Engine {
    /// The output decisions of `er` on a decoded record (no id, no field errors yet).
    pub(crate) fn evaluate_record<'e>(
        &'e self,
        er: &'e EntityRules,
        rec: &Record,
        as_of: Date,
    ) -> Evaluation<'e> {
        let mut outs = self.run_rules(er, rec, as_of, true);
        let mut decisions = Vec::with_capacity(er.outputs.len());
        for &i in &er.outputs {
            let (Some(rule), Some(o)) = (er.rules.get(i), outs.get_mut(i).and_then(Option::take))
            else {
                continue;
            };
            decisions.push(Decision {
                rule,
                pack: &self.pack,
                outcome: o.outcome,
                value: o.value,
                target: o.target,
                args: o.args,
                missing: o.missing,
                notes: o.notes,
                as_of,
            });
        }
        Evaluation {
            id: None,
            decisions,
            errors: Vec::new(),
            ignored: Vec::new(),
        }
    }

    /// Runs the decision and value rules of `er` in dependency order; one output per rule
    /// (`None` for constraints). `explain = false` skips what only reasons need (missing
    /// pointers, message arguments).
    pub(crate) fn run_rules(
        &self,
        er: &EntityRules,
        rec: &Record,
        as_of: Date,
        explain: bool,
    ) -> Vec<Option<RuleOut>> {
        let n = er.rules.len();
        let mut cx = Cx::new(&self.pack, as_of, rec, n, explain);
        let mut outs: Vec<Option<RuleOut>> = Vec::with_capacity(n);
        outs.resize_with(n, || None);
        for &i in &er.order {
            let Some(rule) = er.rules.get(i) else {
                continue;
            };
            let (out, visible) = self.eval_rule(&mut cx, rule, as_of);
            cx.set_rule(i, visible, &out.missing);
            if let Some(slot) = outs.get_mut(i) {
                *slot = Some(out);
            }
        }
        outs
    }

    /// Errors from the pack's constraint rules on a decoded record.
    pub(crate) fn constraint_errors(
        &self,
        er: &EntityRules,
        rec: &Record,
        as_of: Date,
    ) -> Vec<FieldError> {
        let n = if er.constraints_use_rules {
            er.rules.len()
        } else {
            0
        };
        let mut cx = Cx::new(&self.pack, as_of, rec, n, false);
        let mut errors = Vec::new();
        // constraints may refer to decisions: evaluate those first, when they do
        let order: &[usize] = if er.constraints_use_rules {
            &er.order
        } else {
            &[]
        };
        for &i in order {
            let Some(rule) = er.rules.get(i) else {
                continue;
            };
            let (out, visible) = self.eval_rule(&mut cx, rule, as_of);
            cx.set_rule(i, visible, &out.missing);
        }
        for &ci in &er.constraints {
            let Some(rule) = er.rules.get(ci) else {
                continue;
            };
            let Some(cond) = &rule.when else { continue };
            let field = rule.field.as_deref().unwrap_or_default();
            let code = rule.code.as_deref().unwrap_or_default();
            let message = || -> Message {
                rule.messages.no.as_ref().map(plain).unwrap_or_else(|| {
                    msg!(
                        vi: format!("Không thỏa ràng buộc {}", rule.name),
                        en: format!("Constraint {} is not met", rule.name),
                    )
                })
            };
            match &rule.each {
                None => {
                    if cx.eval(cond) == Some(V::Bool(false)) {
                        errors.push(FieldError {
                            field: field.to_string(),
                            code: code.to_string(),
                            message: message(),
                        });
                    }
                    cx.clear_trace();
                }
                Some((list, ptr)) => {
                    let Some(V::List(items)) = cx.eval(list) else {
                        cx.clear_trace();
                        continue;
                    };
                    for (k, it) in items.iter().enumerate() {
                        cx.bind_item(it, ptr, k);
                        if cx.eval(cond) == Some(V::Bool(false)) {
                            errors.push(FieldError {
                                field: format!("{ptr}/{k}{field}"),
                                code: code.to_string(),
                                message: message(),
                            });
                        }
                        cx.clear_trace();
                    }
                    cx.unbind();
                }
            }
        }
        errors
    }

    /// Facts that fail a bound or a constraint are not trusted: they become errors and are
    /// treated as absent, so no decision rests on them (female workers above the total, a
    /// founding date in the future, a negative count).
    pub(crate) fn sanitize(
        &self,
        er: &EntityRules,
        rec: &mut Record,
        as_of: Date,
        errors: &mut Vec<FieldError>,
    ) {
        let mut found = Vec::new();
        crate::validate::bound_checks(&self.pack, er.record, rec, &mut found);
        if !er.constraints.is_empty() {
            found.extend(self.constraint_errors(er, rec, as_of));
        }
        for e in found {
            crate::decode::clear_pointer(&self.pack, er.record, rec, &e.field);
            if !errors
                .iter()
                .any(|x| x.field == e.field && x.code == e.code)
            {
                errors.push(e);
            }
        }
    }

    /// Evaluates one rule; returns its output and the value other rules see through
    /// `rule.NAME`.
    fn eval_rule<'a>(
        &'a self,
        cx: &mut Cx<'a>,
        rule: &'a Rule,
        as_of: Date,
    ) -> (RuleOut, Option<V<'a>>) {
        cx.clear_trace();
        if let Some(g) = rule.applies_in {
            if self
                .pack
                .groups
                .get(g)
                .and_then(|gr| gr.at(as_of))
                .is_none()
            {
                let out = RuleOut {
                    outcome: Outcome::Unknown,
                    value: None,
                    target: None,
                    args: Vec::new(),
                    missing: Vec::new(),
                    notes: vec![Note::Period { group: g }],
                };
                return (out, None);
            }
        }
        cx.clear_locals();
        for (_, ex, _) in &rule.locals {
            let m = cx.mark();
            let v = cx.eval(ex);
            if v.is_some() {
                cx.reset(m);
            }
            cx.push_local(v);
        }
        // missing facts behind lets count only when the rule's result needs them
        let base = cx.mark();
        let value = rule.value.as_ref().and_then(|(e, _)| cx.eval(e));
        let target = rule.target.as_ref().and_then(|(e, _)| cx.eval(e));
        let (outcome, visible) = match rule.kind {
            RuleKind::Decision => {
                let m = cx.mark();
                match rule.when.as_ref().and_then(|w| cx.eval(w)) {
                    Some(V::Bool(true)) => (Outcome::Yes, Some(V::Bool(true))),
                    Some(V::Bool(false)) => (Outcome::No, Some(V::Bool(false))),
                    _ => {
                        // what the value/target needed is not why the decision is unknown
                        cx.forget_between(base, m);
                        (Outcome::Unknown, None)
                    }
                }
            }
            _ => match value {
                Some(v) => (Outcome::Yes, Some(v)),
                None => (Outcome::Unknown, None),
            },
        };
        let (missing, notes) = if outcome == Outcome::Unknown {
            let (mut m, mut n) = cx.take_trace();
            m.sort();
            m.dedup();
            n.dedup();
            (m, n)
        } else {
            (Vec::new(), Vec::new())
        };
        let args = if cx.locals().is_empty() || !cx.explains() {
            Vec::new()
        } else {
            cx.locals().iter().map(|l| l.and_then(Scalar::of)).collect()
        };
        let out = RuleOut {
            outcome,
            value: value.and_then(Scalar::of),
            target: target.and_then(Scalar::of),
            args,
            missing,
            notes,
        };
        (out, visible)
    }
}

/// A constraint's message without its placeholders (validation shows no figures).
fn plain(t: &Template) -> Message {
    let one = |parts: &[Part]| -> String {
        parts
            .iter()
            .map(|p| match p {
                Part::Text(x) => x.clone(),
                _ => String::new(),
            })
            .collect()
    };
    Message {
        vi: one(&t.vi),
        en: one(&t.en),
    }
}
