//! Running rules on a record: decisions and values in dependency order, constraint rules, and
//! the sanitizing of facts that fail a bound or a constraint. The only user of the
//! evaluator's context [`Cx`].

use super::result::{Decision, Evaluation, Fill, Outcome, Scalar};
use super::Engine;
use crate::date::Date;
use crate::error::FieldError;
use crate::expr::eval::{Cx, Note, V};
use crate::labels;
use crate::model::{EntityRules, Pack, Part, Rule, RuleKind, Template};
use crate::text::Message;
use crate::value::Record;

/// What running one rule gives.
#[derive(Clone, Debug)]
pub(crate) struct RuleOut {
    pub outcome: Outcome,
    pub value: Option<Scalar>,
    pub target: Option<Scalar>,
    pub args: Vec<Option<Scalar>>,
    /// Whether each wording of the outcome's messages applies.
    pub whens: Vec<bool>,
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
                record: er.record,
                outcome: o.outcome,
                value: o.value,
                target: o.target,
                args: o.args,
                whens: o.whens,
                missing: o.missing,
                invalid: Vec::new(),
                notes: o.notes,
                as_of,
            });
        }
        Evaluation {
            id: None,
            decisions,
            errors: Vec::new(),
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
            cx.clear_locals();
            for (_, ex, _) in &rule.locals {
                let v = cx.eval(ex);
                cx.push_local(v);
            }
            match &rule.each {
                None => {
                    if cx.eval(cond) == Some(V::Bool(false)) {
                        let message = self.constraint_message(&mut cx, er, rule, field);
                        errors.push(FieldError {
                            field: field.to_string(),
                            code: code.to_string(),
                            message,
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
                            let at = format!("{ptr}/{k}{field}");
                            let message = self.constraint_message(&mut cx, er, rule, &at);
                            errors.push(FieldError {
                                field: at,
                                code: code.to_string(),
                                message,
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

    /// A failed constraint's message, with the values it names (evaluated where it failed);
    /// without a usable wording, the field's label.
    fn constraint_message<'a>(
        &'a self,
        cx: &mut Cx<'a>,
        er: &EntityRules,
        rule: &'a Rule,
        field: &str,
    ) -> Message {
        let (args, whens) = message_args(cx, rule, &rule.messages.no);
        constraint_text(&self.pack, er.record, rule, &args, &whens, field)
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
        // constraints see only what passed the bounds: a count already rejected as negative
        // makes no second error in a comparison
        self.distrust(er, rec, found, errors);
        if !er.constraints.is_empty() {
            let found = self.constraint_errors(er, rec, as_of);
            self.distrust(er, rec, found, errors);
        }
    }

    fn distrust(
        &self,
        er: &EntityRules,
        rec: &mut Record,
        found: Vec<FieldError>,
        errors: &mut Vec<FieldError>,
    ) {
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
                    whens: Vec::new(),
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
        let (args, whens) = if cx.explains() {
            let templates = match outcome {
                Outcome::Yes => &rule.messages.yes,
                Outcome::No => &rule.messages.no,
                Outcome::Unknown => &rule.messages.unknown,
            };
            message_args(cx, rule, templates)
        } else {
            (Vec::new(), Vec::new())
        };
        let out = RuleOut {
            outcome,
            value: value.and_then(Scalar::of),
            target: target.and_then(Scalar::of),
            args,
            whens,
            missing,
            notes,
        };
        (out, visible)
    }
}

/// A failed constraint's message from the values it names (`args`: its `let`s, then
/// [`Rule::args`]) and whether each wording applies; without a usable wording, the label of the
/// field at `field`.
pub(super) fn constraint_text(
    pack: &Pack,
    record: usize,
    rule: &Rule,
    args: &[Option<Scalar>],
    whens: &[bool],
    field: &str,
) -> Message {
    let fill = Fill {
        pack,
        rule,
        value: None,
        target: None,
        args,
        missing: None,
    };
    fill.render(&rule.messages.no, whens)
        .map(|(_, m)| m)
        .unwrap_or_else(|| {
            let label = labels::pointer_or_name(pack, record, field);
            msg!(
                vi: format!("{}: giá trị không hợp lệ", label.vi),
                en: format!("{}: not a valid value", label.en),
            )
        })
}

/// What a rule's messages need, evaluated without touching what the rule recorded: the values
/// of its `let`s (already evaluated) and of the other values its messages name, then whether
/// each of `templates` applies (its `when`).
fn message_args<'a>(
    cx: &mut Cx<'a>,
    rule: &'a Rule,
    templates: &'a [Template],
) -> (Vec<Option<Scalar>>, Vec<bool>) {
    let uses = |f: fn(&Part) -> bool| templates.iter().any(|t| t.holes().any(f));
    let locals = !cx.locals().is_empty() && uses(|p| matches!(p, Part::Local(_)));
    let args = !rule.args.is_empty() && uses(|p| matches!(p, Part::Arg(_)));
    let whens = templates.iter().any(|t| t.when.is_some());
    if !locals && !args && !whens {
        return (Vec::new(), Vec::new());
    }
    let m = cx.mark();
    let mut values: Vec<Option<Scalar>> =
        cx.locals().iter().map(|l| l.and_then(Scalar::of)).collect();
    if args {
        for (_, ex, _) in &rule.args {
            let v = cx.eval(ex).and_then(Scalar::of);
            values.push(v);
        }
    }
    let applies = if whens {
        templates
            .iter()
            .map(|t| match &t.when {
                None => true,
                Some(w) => cx.eval(w) == Some(V::Bool(true)),
            })
            .collect()
    } else {
        Vec::new()
    };
    cx.reset(m);
    (values, applies)
}
