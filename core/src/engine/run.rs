//! Running rules on a record: decisions and values in dependency order, constraint rules, and
//! the sanitizing of facts that fail a bound or a constraint. The only user of the
//! evaluator's context [`Cx`].

use rust_decimal::Decimal;

use super::result::{Decision, Evaluation, Fill, Outcome, Scalar};
use super::Engine;
use crate::date::Date;
use crate::error::FieldError;
use crate::expr::eval::{Cx, Note, V};
use crate::expr::ir::Ex;
use crate::expr::lower::{LRule, Lowered, Tri};
use crate::labels;
use crate::model::{EntityRules, Pack, Part, Rule, RuleKind, Template};
use crate::text::Message;
use crate::value::Record;

/// What one run of a rule gives; what it recorded when unknown (missing facts, notes) stays
/// in the context until [`take_trace`].
#[derive(Clone, Copy, Debug)]
struct Ran<'a> {
    outcome: Outcome,
    value: Option<V<'a>>,
    target: Option<V<'a>>,
    /// What other rules see through `rule.NAME`.
    visible: Option<V<'a>>,
}

/// The missing facts (sorted, each once) and notes of a rule that came out `outcome`: none
/// unless it is unknown.
fn take_trace(cx: &mut Cx<'_>, outcome: Outcome) -> (Vec<String>, Vec<Note>) {
    if outcome == Outcome::Unknown {
        let (mut m, mut n) = cx.take_trace();
        m.sort();
        m.dedup();
        n.dedup();
        (m, n)
    } else {
        (Vec::new(), Vec::new())
    }
}

impl Ran<'_> {
    /// Unknown, with nothing to show.
    const UNKNOWN: Ran<'static> = Ran {
        outcome: Outcome::Unknown,
        value: None,
        target: None,
        visible: None,
    };
}

/// Starts a run of `rule` (either form): a fresh trace and budget; `false`, with the note
/// why, when the rule's period group has no member at the as-of date.
#[inline(always)]
fn start_rule(cx: &mut Cx<'_>, rule: &Rule) -> bool {
    cx.clear_trace();
    cx.start_rule();
    match rule.applies_in {
        Some(g) if cx.group_at_as_of(g).is_none() => {
            cx.note(Note::Period { group: g });
            false
        }
        _ => true,
    }
}

/// The outcome of a value rule (and what `rule.NAME` sees) from its value.
#[inline(always)]
fn valued(value: Option<V<'_>>) -> (Outcome, Option<V<'_>>) {
    match value {
        Some(v) => (Outcome::Yes, Some(v)),
        None => (Outcome::Unknown, None),
    }
}

/// One run of a rule in its lowered form ([`crate::expr::lower`]): the same outcome, value
/// and target as [`Engine::eval_rule_once`] and the same budget spent, recording no missing
/// facts and no notes but the budget's (nobody reads them unless the rule comes out unknown,
/// and then the explained path runs it again through the tree walker).
#[inline(always)]
fn eval_lowered<'a>(cx: &mut Cx<'a>, lw: &'a Lowered, lr: &'a LRule, rule: &'a Rule) -> Ran<'a> {
    if !start_rule(cx, rule) {
        return Ran::UNKNOWN;
    }
    cx.clear_locals();
    for l in lr.locals.iter() {
        let v = cx.lopd(lw, l);
        cx.push_local(v);
    }
    let value = lr.value.as_ref().and_then(|e| cx.lopd(lw, e));
    let target = lr.target.as_ref().and_then(|e| cx.lopd(lw, e));
    let (outcome, visible) = match rule.kind {
        RuleKind::Decision => match lr.when.as_ref().map(|w| cx.ltruth(lw, w)) {
            Some(Tri::T) => (Outcome::Yes, Some(V::Bool(true))),
            Some(Tri::F) => (Outcome::No, Some(V::Bool(false))),
            _ => (Outcome::Unknown, None),
        },
        _ => valued(value),
    };
    Ran {
        outcome,
        value,
        target,
        visible,
    }
}

impl Engine {
    /// The lowered form of `er`'s rules ([`crate::expr::lower`]), all entities' built at the
    /// first use; `None` when `er` is not one of this engine's entities (callers then run the
    /// tree walker).
    #[inline]
    pub(crate) fn lowered_of(&self, er: &EntityRules) -> Option<&Lowered> {
        let all = self.lowered.get_or_init(|| {
            self.pack
                .entities
                .iter()
                .map(|e| Lowered::of(&self.pack, e))
                .collect()
        });
        let i = self
            .pack
            .entities
            .iter()
            .position(|e| std::ptr::eq(e, er))?;
        all.get(i)
    }

    /// The output decisions of `er` on a decoded record (no id, no field errors yet). Each
    /// output's decision is written in place as its rule runs (no intermediate per rule).
    pub(crate) fn evaluate_record<'e>(
        &'e self,
        er: &'e EntityRules,
        rec: &Record,
        as_of: Date,
    ) -> Evaluation<'e> {
        let mut cx = Cx::new(&self.pack, as_of, rec, er.rules.len(), true);
        let mut decisions = Vec::with_capacity(er.outputs.len());
        // (every output is a decision or value rule, so it is in `er.order` and gets filled)
        for &i in &er.outputs {
            if let Some(rule) = er.rules.get(i) {
                decisions.push(Decision {
                    rule,
                    pack: &self.pack,
                    record: er.record,
                    outcome: Outcome::Unknown,
                    value: None,
                    target: None,
                    args: Vec::new(),
                    whens: Vec::new(),
                    missing: Vec::new(),
                    invalid: Vec::new(),
                    notes: Vec::new(),
                    as_of,
                });
            }
        }
        // (outputs usually run in their own order: look for the next one first)
        let mut next = 0;
        for &i in &er.order {
            let Some(rule) = er.rules.get(i) else {
                continue;
            };
            let ran = self.eval_rule(&mut cx, er, i, rule);
            let (missing, notes) = take_trace(&mut cx, ran.outcome);
            let (args, whens) = message_args(&mut cx, rule, wordings(&rule.messages, ran.outcome));
            let over_budget = notes.contains(&Note::Budget);
            cx.set_rule(i, ran.visible, &missing, over_budget);
            let at = if er.outputs.get(next) == Some(&i) {
                Some(next)
            } else {
                er.outputs.iter().position(|&o| o == i)
            };
            if let Some(k) = at {
                next = k + 1;
            }
            if let Some(d) = at.and_then(|k| decisions.get_mut(k)) {
                d.outcome = ran.outcome;
                d.value = ran.value.and_then(Scalar::of);
                d.target = ran.target.and_then(Scalar::of);
                d.args = args;
                d.whens = whens;
                d.missing = missing;
                d.notes = notes;
            }
        }
        Evaluation {
            id: None,
            decisions,
            errors: Vec::new(),
            ignored: Vec::new(),
        }
    }

    /// The outcome and value of each output decision of `er` (in output order, as
    /// [`EntityRules::outputs`]) into `out`, which is cleared first: what columnar batches and
    /// compact outputs need, without reasons. Reusing `out`, it allocates nothing for the
    /// usual pack (a text value aside).
    pub(crate) fn outcomes(
        &self,
        er: &EntityRules,
        rec: &Record,
        as_of: Date,
        out: &mut Vec<(Outcome, Option<Scalar>)>,
    ) {
        let mut cx = Cx::new(&self.pack, as_of, rec, er.rules.len(), false);
        self.run_rules_in(&mut cx, er, out);
    }

    /// [`Engine::outcomes`] in a context of the caller's (which then knows the work done).
    fn run_rules_in<'a>(
        &'a self,
        cx: &mut Cx<'a>,
        er: &'a EntityRules,
        out: &mut Vec<(Outcome, Option<Scalar>)>,
    ) {
        out.clear();
        out.resize(er.outputs.len(), (Outcome::Unknown, None));
        if let (false, Some(lw)) = (cx.explains(), self.lowered_of(er)) {
            // answers only: the lowered form, no missing facts, notes or reasons
            for &(i, output) in &lw.steps {
                let (Some(rule), Some(lr)) = (er.rules.get(i), lw.rules.get(i)) else {
                    continue;
                };
                let ran = eval_lowered(cx, lw, lr, rule);
                cx.set_rule_value(i, ran.visible);
                if let Some(slot) = output.and_then(|k| out.get_mut(k)) {
                    *slot = (ran.outcome, ran.value.and_then(Scalar::of));
                }
            }
            return;
        }
        let mut next = 0;
        for &i in &er.order {
            let Some(rule) = er.rules.get(i) else {
                continue;
            };
            let ran = self.eval_rule(cx, er, i, rule);
            let (missing, notes) = take_trace(cx, ran.outcome);
            if cx.explains() {
                // (what reasons would need, evaluated as for a decision: it takes its budget)
                let _ = message_args(cx, rule, wordings(&rule.messages, ran.outcome));
            }
            cx.set_rule(i, ran.visible, &missing, notes.contains(&Note::Budget));
            let at = if er.outputs.get(next) == Some(&i) {
                Some(next)
            } else {
                er.outputs.iter().position(|&o| o == i)
            };
            if let Some(k) = at {
                next = k + 1;
            }
            if let Some(slot) = at.and_then(|k| out.get_mut(k)) {
                *slot = (ran.outcome, ran.value.and_then(Scalar::of));
            }
        }
    }

    /// The most steps of the evaluation budget ([`crate::limits::EVAL_STEPS`]) either pass over
    /// a decoded record takes: running its rules, or checking its constraints. For measuring
    /// the budget's headroom.
    #[cfg(test)]
    pub(crate) fn steps(&self, er: &EntityRules, rec: &Record, as_of: Date) -> u64 {
        let mut cx = Cx::new(&self.pack, as_of, rec, er.rules.len(), true);
        self.run_rules_in(&mut cx, er, &mut Vec::new());
        let rules = cx.steps_used();
        let mut cx = Cx::new(&self.pack, as_of, rec, er.rules.len(), false);
        let _ = self.constraint_errors_in(&mut cx, er, &er.constraints);
        rules.max(cx.steps_used())
    }

    /// Runs `er`'s decision and value rules on `rec` twice, through the tree walker (as the
    /// first, untraced run of [`Engine::eval_rule`] did before the lowered form) and through
    /// the lowered form, each run seeing its own rules' values; describes the first rule where
    /// the outcome, value, target, the value `rule.NAME` sees or the budget spent differ.
    #[cfg(test)]
    pub(crate) fn lowered_differs(
        &self,
        er: &EntityRules,
        lw: &Lowered,
        rec: &Record,
        as_of: Date,
    ) -> Option<String> {
        let n = er.rules.len();
        let mut tree = Cx::new(&self.pack, as_of, rec, n, false);
        let mut low = Cx::new(&self.pack, as_of, rec, n, false);
        for &(i, _) in &lw.steps {
            let (Some(rule), Some(lr)) = (er.rules.get(i), lw.rules.get(i)) else {
                return Some(format!("rule {i} not lowered"));
            };
            let a = self.eval_rule_once(&mut tree, rule);
            let b = eval_lowered(&mut low, lw, lr, rule);
            tree.set_rule_value(i, a.visible);
            low.set_rule_value(i, b.visible);
            let same = a.outcome == b.outcome
                && a.value == b.value
                && a.target == b.target
                && a.visible == b.visible
                && tree.steps_used() == low.steps_used();
            if !same {
                return Some(format!(
                    "{}.{}: tree walker {:?} ({} steps), lowered {:?} ({} steps)",
                    er.name,
                    rule.name,
                    a,
                    tree.steps_used(),
                    b,
                    low.steps_used()
                ));
            }
        }
        None
    }

    /// Errors from the pack's constraint rules on a decoded record.
    pub(crate) fn constraint_errors(
        &self,
        er: &EntityRules,
        rec: &Record,
        as_of: Date,
    ) -> Vec<FieldError> {
        self.constraint_errors_of(er, &er.constraints, rec, as_of)
    }

    /// [`Engine::constraint_errors`] for some of `er`'s constraint rules (`constraints`, rule
    /// indices in `er.constraints`' order): a columnar batch leaves out those that cannot
    /// fail for lack of a fact.
    pub(crate) fn constraint_errors_of(
        &self,
        er: &EntityRules,
        constraints: &[usize],
        rec: &Record,
        as_of: Date,
    ) -> Vec<FieldError> {
        let n = if er.constraints_use_rules {
            er.rules.len()
        } else {
            0
        };
        let mut cx = Cx::new(&self.pack, as_of, rec, n, false);
        self.constraint_errors_in(&mut cx, er, constraints)
    }

    /// [`Engine::constraint_errors`] in a context of the caller's.
    fn constraint_errors_in<'a>(
        &'a self,
        cx: &mut Cx<'a>,
        er: &'a EntityRules,
        constraints: &[usize],
    ) -> Vec<FieldError> {
        let mut errors = Vec::new();
        // constraints may refer to decisions: evaluate those first, when they do
        let order: &[usize] = if er.constraints_use_rules {
            &er.order
        } else {
            &[]
        };
        if !order.is_empty() {
            self.run_values(cx, er);
        }
        for &ci in constraints {
            let Some(rule) = er.rules.get(ci) else {
                continue;
            };
            cx.start_rule();
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
                        let message = self.constraint_message(cx, er, rule, field);
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
                    // (past the budget the items go unchecked: no error rests on them)
                    if !cx.spend(items.len()) {
                        cx.clear_trace();
                        continue;
                    }
                    for (k, it) in items.iter().enumerate() {
                        cx.bind_item(it, ptr, k);
                        if cx.eval(cond) == Some(V::Bool(false)) {
                            let at = format!("{ptr}/{k}{field}");
                            let message = self.constraint_message(cx, er, rule, &at);
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
        self.sanitize_as(er, er.record, rec, as_of, errors);
    }

    /// The same for a record of type `rec_ty`, whose first fields are `er`'s (a registry
    /// row: the entity's fields, then the registry's own, whose bounds are checked too).
    pub(crate) fn sanitize_as(
        &self,
        er: &EntityRules,
        rec_ty: usize,
        rec: &mut Record,
        as_of: Date,
        errors: &mut Vec<FieldError>,
    ) {
        self.sanitize_full(er, rec_ty, rec, as_of, errors, None);
    }

    /// [`Engine::sanitize`], also noting each distrusted fact as given (its pointer and how a
    /// reason quotes it) in `given`, unless noted already.
    pub(crate) fn sanitize_given(
        &self,
        er: &EntityRules,
        rec: &mut Record,
        as_of: Date,
        errors: &mut Vec<FieldError>,
        given: &mut Vec<(String, String)>,
    ) {
        self.sanitize_full(er, er.record, rec, as_of, errors, Some(given));
    }

    fn sanitize_full(
        &self,
        er: &EntityRules,
        rec_ty: usize,
        rec: &mut Record,
        as_of: Date,
        errors: &mut Vec<FieldError>,
        mut given: Option<&mut Vec<(String, String)>>,
    ) {
        let mut found = Vec::new();
        crate::validate::bound_checks(&self.pack, rec_ty, rec, &mut found);
        // constraints see only what passed the bounds: a count already rejected as negative
        // makes no second error in a comparison
        self.distrust(rec_ty, rec, found, errors, given.as_deref_mut());
        if !er.constraints.is_empty() {
            let found = self.constraint_errors(er, rec, as_of);
            self.distrust(rec_ty, rec, found, errors, given);
        }
    }

    pub(crate) fn distrust(
        &self,
        rec_ty: usize,
        rec: &mut Record,
        found: Vec<FieldError>,
        errors: &mut Vec<FieldError>,
        mut given: Option<&mut Vec<(String, String)>>,
    ) {
        for e in found {
            if let Some(g) = given.as_deref_mut() {
                if !g.iter().any(|(p, _)| *p == e.field) {
                    let shown = crate::decode::value_at(&self.pack, rec_ty, rec, &e.field)
                        .and_then(crate::decode::scalar::given_val);
                    if let Some(t) = shown {
                        g.push((e.field.clone(), t));
                    }
                }
            }
            crate::decode::clear_pointer(&self.pack, rec_ty, rec, &e.field);
            if !errors
                .iter()
                .any(|x| x.field == e.field && x.code == e.code)
            {
                errors.push(e);
            }
        }
    }

    /// Evaluates one rule: its outcome, value and target, and the value other rules see
    /// through `rule.NAME`. When it comes out unknown, what it recorded (missing facts,
    /// notes) is left in `cx` for [`take_trace`]. The rule first runs without recording the
    /// pointers of missing facts; only when it comes out unknown (and the context explains)
    /// does it run again, with the budget it had, recording them.
    fn eval_rule<'a>(
        &'a self,
        cx: &mut Cx<'a>,
        er: &'a EntityRules,
        i: usize,
        rule: &'a Rule,
    ) -> Ran<'a> {
        let budget = cx.budget();
        cx.set_trace(false);
        let lowered = self
            .lowered_of(er)
            .and_then(|lw| Some((lw, lw.rules.get(i)?)));
        let mut ran = match lowered {
            Some((lw, lr)) => eval_lowered(cx, lw, lr, rule),
            None => self.eval_rule_once(cx, rule),
        };
        if ran.outcome == Outcome::Unknown && cx.explains() {
            cx.restore_budget(budget);
            cx.set_trace(true);
            ran = self.eval_rule_once(cx, rule);
        }
        ran
    }

    /// Runs `er`'s decision and value rules in a context that explains nothing, keeping only
    /// what `rule.NAME` sees (for constraints and report rows).
    fn run_values<'a>(&'a self, cx: &mut Cx<'a>, er: &'a EntityRules) {
        let Some(lw) = self.lowered_of(er) else {
            // (rules not of this engine's pack: the tree walker, untraced)
            for &i in &er.order {
                if let Some(rule) = er.rules.get(i) {
                    let ran = self.eval_rule_once(cx, rule);
                    cx.set_rule_value(i, ran.visible);
                }
            }
            return;
        };
        for &(i, _) in &lw.steps {
            let (Some(rule), Some(lr)) = (er.rules.get(i), lw.rules.get(i)) else {
                continue;
            };
            let ran = eval_lowered(cx, lw, lr, rule);
            cx.set_rule_value(i, ran.visible);
        }
    }

    /// One run of [`Engine::eval_rule`] through the tree walker (which records what reasons
    /// need).
    fn eval_rule_once<'a>(&'a self, cx: &mut Cx<'a>, rule: &'a Rule) -> Ran<'a> {
        if !start_rule(cx, rule) {
            return Ran::UNKNOWN;
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
            _ => valued(value),
        };
        Ran {
            outcome,
            value,
            target,
            visible,
        }
    }
}

/// A registry row at one date, for the progress report: the entity's decisions have run (no
/// explanations), and the report's expressions — a collection's scope, an indicator's filter,
/// values and breakdown groups, a target — are evaluated with them in place (`rule.NAME`),
/// the period's index bound as the first `let`.
pub(crate) struct RowCx<'a> {
    cx: Cx<'a>,
}

impl Engine {
    /// Runs `er`'s decision and value rules on `rec` at `at` (none when `er` is `None`: a
    /// target reads no row).
    pub(crate) fn row_cx<'a>(
        &'a self,
        er: Option<&'a EntityRules>,
        rec: &'a Record,
        at: Date,
    ) -> RowCx<'a> {
        let n = er.map_or(0, |e| e.rules.len());
        let mut cx = Cx::new(&self.pack, at, rec, n, false);
        if let Some(er) = er {
            self.run_values(&mut cx, er);
        }
        cx.clear_trace();
        RowCx { cx }
    }
}

impl<'a> RowCx<'a> {
    /// Binds the period's index (or nothing) as the expressions' first `let`.
    pub(crate) fn bind_index(&mut self, index: Option<i64>) {
        self.cx.clear_locals();
        if let Some(i) = index {
            self.cx.push_local(Some(V::Int(i)));
        }
    }

    fn eval(&mut self, ex: &'a Ex) -> Option<V<'a>> {
        let v = self.cx.eval(ex);
        self.cx.clear_trace();
        v
    }

    /// A yes/no expression: `None` when unknown.
    pub(crate) fn truth(&mut self, ex: &'a Ex) -> Option<bool> {
        match self.eval(ex)? {
            V::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A number, or a yes/no as 1 or 0.
    pub(crate) fn number(&mut self, ex: &'a Ex) -> Option<Decimal> {
        match self.eval(ex)? {
            V::Bool(b) => Some(if b { Decimal::ONE } else { Decimal::ZERO }),
            V::Int(i) => Some(Decimal::from(i)),
            V::Dec(d) => Some(d),
            _ => None,
        }
    }

    /// A single value as the text that tells it apart (`distinct`).
    pub(crate) fn key(&mut self, ex: &'a Ex) -> Option<String> {
        Some(match self.eval(ex)? {
            V::Bool(b) => b.to_string(),
            V::Int(i) => i.to_string(),
            V::Dec(d) => d.normalize().to_string(),
            V::Date(d) => d.to_string(),
            V::Str(s) => s.to_string(),
            V::Enum(e) => e.text.to_string(),
            V::List(_) | V::Rec(_) => return None,
        })
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

/// A rule's wordings for `outcome` (kept here, beside the outcomes, so the model does not know
/// the engine's types).
fn wordings(m: &crate::model::Messages, outcome: Outcome) -> &[crate::model::Template] {
    match outcome {
        Outcome::Yes => &m.yes,
        Outcome::No => &m.no,
        Outcome::Unknown => &m.unknown,
    }
}
