//! The evaluator: Kleene three-valued logic over facts, exact decimal arithmetic.
//!
//! Every expression evaluates to `Some(value)` or `None` (unknown). An unknown result records
//! why: the JSON Pointers of the absent facts it needed (`missing`) and notes (a division by
//! zero, a parameter with no value in force). When a connective's result is known anyway
//! (`false and …`), what its unknown parts recorded is dropped again: `missing` lists only
//! facts that would change the answer.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::expr::dated::AsOfRow;
use crate::expr::ir::{ArOp, Base, Builtin, CmpOp, Ex, QuantKind};
use crate::limits::{EVAL_STEPS, EVAL_STEPS_PER_RECORD};
use crate::model::Pack;
use crate::value::{EnumVal, Record, Val};

/// A value during evaluation, borrowed from the facts or the pack.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum V<'a> {
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    Date(Date),
    Str(&'a str),
    /// A value of an enum type (interned).
    Enum(&'a EnumVal),
    List(&'a [Val]),
    Rec(&'a Record),
}

impl<'a> V<'a> {
    #[inline(always)]
    pub(crate) fn of(v: &'a Val) -> V<'a> {
        match v {
            Val::Bool(b) => V::Bool(*b),
            Val::Int(i) => V::Int(*i),
            Val::Dec(d) => V::Dec(*d),
            Val::Date(d) => V::Date(*d),
            Val::Str(s) => V::Str(s),
            Val::Enum(e) => V::Enum(e),
            Val::Rec(r) => V::Rec(r),
            Val::List(l) => V::List(l),
        }
    }
    pub(super) fn dec(self) -> Option<Decimal> {
        match self {
            V::Int(i) => Some(Decimal::from(i)),
            V::Dec(d) => Some(d),
            _ => None,
        }
    }
}

/// Why a value is unknown, beyond absent facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Note {
    /// The rule's period group has no member at the as-of date.
    Period { group: usize },
    /// A parameter has no value in force at a date.
    NoParam { param: usize, date: Date },
    /// A division by zero.
    DivZero,
    /// An arithmetic result too large for exact decimals.
    Overflow,
    /// No member of a period group at a date (or with an index).
    NoPeriod { group: usize },
    /// `date(y, m, d)` with no such date.
    BadDate,
    /// The evaluation budget ([`EVAL_STEPS`] for the rule, [`EVAL_STEPS_PER_RECORD`] for
    /// the record) ran out: the rule needs too much work for these facts.
    Budget,
}

/// A quantifier's (or a constraint's `each`) bound variable.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bind<'a> {
    pub(super) v: V<'a>,
    /// The field the element came from (for JSON Pointers), and its index.
    pub(super) dom: Option<(Base, &'a str)>,
    pub(super) index: usize,
}

/// How many rules' values an evaluation keeps without allocating.
const RULES_INLINE: usize = 24;

/// A stack kept inline up to `N` items, so evaluating the usual rule allocates nothing; past
/// `N` it moves to the heap.
#[derive(Clone, Debug)]
pub(super) struct Stack<T: Copy, const N: usize> {
    inline: [T; N],
    len: usize,
    /// Every item, once there are more than `N`.
    heap: Option<Vec<T>>,
}

impl<T: Copy, const N: usize> Stack<T, N> {
    /// An empty stack (`fill` is what unused inline places hold).
    fn new(fill: T) -> Self {
        Stack {
            inline: [fill; N],
            len: 0,
            heap: None,
        }
    }

    /// `n` copies of `fill`.
    fn filled(fill: T, n: usize) -> Self {
        let mut s = Stack::new(fill);
        if n <= N {
            s.len = n;
        } else {
            s.heap = Some(vec![fill; n]);
        }
        s
    }

    #[inline]
    pub(super) fn as_slice(&self) -> &[T] {
        match &self.heap {
            Some(v) => v,
            None => self.inline.get(..self.len).unwrap_or(&[]),
        }
    }

    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&T> {
        self.as_slice().get(i)
    }

    #[inline]
    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        match &mut self.heap {
            Some(v) => v.get_mut(i),
            None => self.inline.get_mut(..self.len).and_then(|s| s.get_mut(i)),
        }
    }

    #[inline]
    pub(super) fn push(&mut self, x: T) {
        match &mut self.heap {
            Some(v) => v.push(x),
            None => match self.inline.get_mut(self.len) {
                Some(slot) => {
                    *slot = x;
                    self.len += 1;
                }
                None => {
                    let mut v = Vec::with_capacity(2 * N + 1);
                    v.extend_from_slice(&self.inline);
                    v.push(x);
                    self.heap = Some(v);
                }
            },
        }
    }

    #[inline]
    pub(super) fn truncate(&mut self, n: usize) {
        match &mut self.heap {
            Some(v) => v.truncate(n),
            None => self.len = self.len.min(n),
        }
    }

    #[inline]
    pub(super) fn clear(&mut self) {
        self.truncate(0);
    }
}

/// A point in what an evaluation has recorded (missing facts, notes), to go back to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    missing: usize,
    notes: usize,
}

/// The evaluation context of one record: the facts, the values of the rules evaluated so far,
/// the rule's `let`s and bound variables, and what unknown results recorded. Only the rule
/// runner (`engine/run.rs`) drives it, through the methods below.
pub(crate) struct Cx<'a> {
    pub(super) pack: &'a Pack,
    pub(super) as_of: Date,
    /// The parameters and period groups in force at `as_of`, resolved once.
    pub(super) dated: AsOfRow<'a>,
    pub(super) root: &'a Record,
    /// Each rule's value, and where its missing facts are in `rule_missing` (0: none; else
    /// the index plus one), so `rule.NAME` finds them without a scan.
    pub(super) rule_vals: Stack<(Option<V<'a>>, u32), RULES_INLINE>,
    /// Missing facts of the rules that came out unknown (few: kept sparse), and whether the
    /// budget ran out in them.
    pub(super) rule_missing: Vec<(Vec<String>, bool)>,
    pub(super) locals: Stack<Option<V<'a>>, 8>,
    pub(super) vars: Stack<Bind<'a>, 4>,
    pub(super) missing: Vec<String>,
    /// Whether to record the pointers of missing facts (off for columnar batches, which
    /// return outcomes and values only).
    pub(super) explain: bool,
    /// Whether field reads record the pointers of missing facts now. The rule runner runs a
    /// rule without (the common case: its outcome is known and nobody needs them), and runs
    /// it again with, only when it comes out unknown.
    pub(super) trace: bool,
    pub(super) notes: Vec<Note>,
    /// Steps left of the rule's budget ([`EVAL_STEPS`], renewed by [`Cx::start_rule`]) and of
    /// the record's ([`EVAL_STEPS_PER_RECORD`]): one per list item a quantifier or a
    /// constraint's `each` goes over, one per item `in` compares.
    pub(super) steps: u64,
    pub(super) record_steps: u64,
}

impl<'a> Cx<'a> {
    /// A context for `root` at `as_of`, with room for `n_rules` rule values; `explain` says
    /// whether to record what reasons need (the pointers of missing facts). Inlined, so the
    /// context (a kilobyte, mostly inline stacks) is built in place, not copied.
    #[inline]
    pub(crate) fn new(
        pack: &'a Pack,
        as_of: Date,
        root: &'a Record,
        n_rules: usize,
        explain: bool,
    ) -> Cx<'a> {
        Cx {
            pack,
            as_of,
            dated: AsOfRow::new(pack, as_of),
            root,
            rule_vals: Stack::filled((None, 0), n_rules),
            rule_missing: Vec::new(),
            explain,
            trace: explain,
            locals: Stack::new(None),
            vars: Stack::new(Bind {
                v: V::Bool(false),
                dom: None,
                index: 0,
            }),
            missing: Vec::new(),
            notes: Vec::new(),
            steps: EVAL_STEPS,
            record_steps: EVAL_STEPS_PER_RECORD,
        }
    }

    /// Gives the next rule (or constraint) a budget of its own, [`EVAL_STEPS`], within what
    /// is left of the record's: one runaway rule does not starve the others.
    #[inline]
    pub(crate) fn start_rule(&mut self) {
        self.steps = EVAL_STEPS.min(self.record_steps);
    }

    /// Takes `n` steps from the budget; when it has run out, records why and returns `false`
    /// (the caller then gives unknown). Once out, every later request fails at once, so a
    /// runaway unwinds in a few steps.
    #[inline]
    pub(crate) fn spend(&mut self, n: usize) -> bool {
        let n = u64::try_from(n).unwrap_or(u64::MAX).saturating_add(1);
        if let (Some(left), Some(record)) =
            (self.steps.checked_sub(n), self.record_steps.checked_sub(n))
        {
            self.steps = left;
            self.record_steps = record;
            true
        } else {
            self.steps = 0;
            if self.notes.last() != Some(&Note::Budget) {
                self.notes.push(Note::Budget);
            }
            false
        }
    }

    /// How many steps of the record's budget were used so far.
    #[cfg(test)]
    pub(crate) fn steps_used(&self) -> u64 {
        EVAL_STEPS_PER_RECORD - self.record_steps
    }

    /// Whether missing facts are recorded (see [`Cx::new`]).
    #[inline]
    pub(crate) fn explains(&self) -> bool {
        self.explain
    }

    /// Records a note (why a value is unknown).
    #[inline]
    pub(crate) fn note(&mut self, n: Note) {
        self.notes.push(n);
    }

    /// Turns the recording of missing facts' pointers on or off (it is on only when the
    /// context explains, see [`Cx::new`]).
    #[inline]
    pub(crate) fn set_trace(&mut self, on: bool) {
        self.trace = on && self.explain;
    }

    /// What is left of the record's budget, to give it back with [`Cx::restore_budget`]
    /// before a rule is run a second time (to trace it): the second run costs nothing.
    #[inline]
    pub(crate) fn budget(&self) -> u64 {
        self.record_steps
    }

    /// See [`Cx::budget`].
    #[inline]
    pub(crate) fn restore_budget(&mut self, record_steps: u64) {
        self.record_steps = record_steps;
    }

    /// What has been recorded so far.
    #[inline]
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            missing: self.missing.len(),
            notes: self.notes.len(),
        }
    }

    /// Forgets what was recorded after `m`.
    #[inline]
    pub(crate) fn reset(&mut self, m: Mark) {
        self.missing.truncate(m.missing);
        self.notes.truncate(m.notes);
    }

    /// Forgets what was recorded between `from` and `to`, keeping what came before and after.
    #[inline]
    pub(crate) fn forget_between(&mut self, from: Mark, to: Mark) {
        let missing_after = self.missing.get(to.missing..).map(<[_]>::to_vec);
        let notes_after = self.notes.get(to.notes..).map(<[_]>::to_vec);
        self.reset(from);
        self.missing.extend(missing_after.unwrap_or_default());
        self.notes.extend(notes_after.unwrap_or_default());
    }

    /// Forgets everything recorded.
    #[inline]
    pub(crate) fn clear_trace(&mut self) {
        self.missing.clear();
        self.notes.clear();
    }

    /// Takes what was recorded: the pointers of missing facts and the notes.
    #[inline]
    pub(crate) fn take_trace(&mut self) -> (Vec<String>, Vec<Note>) {
        (
            std::mem::take(&mut self.missing),
            std::mem::take(&mut self.notes),
        )
    }

    /// Records rule `i`'s value (what `rule.NAME` sees) and, when it came out unknown, the
    /// facts it missed and whether the budget ran out in it (which the rules using it then
    /// inherit).
    #[inline]
    pub(crate) fn set_rule(
        &mut self,
        i: usize,
        value: Option<V<'a>>,
        missing: &[String],
        over_budget: bool,
    ) {
        let mut at = 0;
        if !missing.is_empty() || over_budget {
            self.rule_missing.push((missing.to_vec(), over_budget));
            at = u32::try_from(self.rule_missing.len()).unwrap_or(0);
        }
        if let Some(slot) = self.rule_vals.get_mut(i) {
            *slot = (value, at);
        }
    }

    /// Records rule `i`'s value alone (what `rule.NAME` sees), for runs that explain nothing:
    /// the missing facts and notes [`Cx::set_rule`] keeps only feed reasons.
    #[inline]
    pub(crate) fn set_rule_value(&mut self, i: usize, value: Option<V<'a>>) {
        if let Some(slot) = self.rule_vals.get_mut(i) {
            *slot = (value, 0);
        }
    }

    /// Starts a rule's `let`s afresh.
    #[inline]
    pub(crate) fn clear_locals(&mut self) {
        self.locals.clear();
    }

    /// The value of the rule's next `let`.
    #[inline]
    pub(crate) fn push_local(&mut self, v: Option<V<'a>>) {
        self.locals.push(v);
    }

    /// The values of the rule's `let`s so far.
    #[inline]
    pub(crate) fn locals(&self) -> &[Option<V<'a>>] {
        self.locals.as_slice()
    }

    /// Binds `it` to item `index` of the list at `ptr` (a constraint's `each`).
    #[inline]
    pub(crate) fn bind_item(&mut self, item: &'a Val, ptr: &'a str, index: usize) {
        self.vars.clear();
        self.vars.push(Bind {
            v: V::of(item),
            dom: Some((Base::Root, ptr)),
            index,
        });
    }

    /// Unbinds `it`.
    #[inline]
    pub(crate) fn unbind(&mut self) {
        self.vars.clear();
    }

    /// The JSON Pointer of `rel` under `base`.
    fn pointer(&self, base: Base, rel: &str) -> String {
        match base {
            Base::Root => rel.to_string(),
            Base::Var(k) => match self.vars.get(k) {
                Some(Bind {
                    dom: Some((b, p)),
                    index,
                    ..
                }) => {
                    let prefix = self.pointer(*b, p);
                    format!("{prefix}/{index}{rel}")
                }
                _ => rel.to_string(),
            },
        }
    }

    /// Records the pointer of the missing fact at `ptr` under `base` (when tracing).
    #[cold]
    #[inline(never)]
    fn missing_fact(&mut self, base: Base, ptr: &str) {
        if self.trace {
            let p = self.pointer(base, ptr);
            self.missing.push(p);
        }
    }

    #[inline]
    pub(super) fn field(&mut self, base: Base, slots: &[usize], ptr: &str) -> Option<V<'a>> {
        let mut rec: &'a Record = match base {
            Base::Root => self.root,
            Base::Var(k) => match self.vars.get(k).map(|b| b.v) {
                Some(V::Rec(r)) => r,
                _ => return None,
            },
        };
        let n = slots.len();
        for (i, s) in slots.iter().enumerate() {
            match rec.slots.get(*s).and_then(|x| x.as_ref()) {
                None => {
                    self.missing_fact(base, ptr);
                    return None;
                }
                Some(v) if i + 1 == n => return Some(V::of(v)),
                Some(Val::Rec(r)) => rec = r,
                Some(_) => return None,
            }
        }
        Some(V::Rec(rec))
    }

    /// [`Cx::eval`] of an operand, reading the commonest leaves (a constant, a `let`, a
    /// field of a bound variable) without a call.
    #[inline(always)]
    fn operand(&mut self, ex: &'a Ex) -> Option<V<'a>> {
        match ex {
            Ex::Const(v) => Some(V::of(v)),
            Ex::Local(i) => self.locals.get(*i).copied().flatten(),
            Ex::Field {
                base: Base::Var(k),
                slots,
                ptr,
            } if slots.len() == 1 => {
                let Some(V::Rec(rec)) = self.vars.get(*k).map(|b| b.v) else {
                    return None;
                };
                match slots
                    .first()
                    .and_then(|s| rec.slots.get(*s))
                    .and_then(|x| x.as_ref())
                {
                    Some(v) => Some(V::of(v)),
                    None => {
                        self.missing_fact(Base::Var(*k), ptr);
                        None
                    }
                }
            }
            _ => self.eval(ex),
        }
    }

    pub(crate) fn eval(&mut self, ex: &'a Ex) -> Option<V<'a>> {
        match ex {
            Ex::Const(v) => Some(V::of(v)),
            Ex::Field { base, slots, ptr } => self.field(*base, slots, ptr),
            Ex::Var(k) => self.vars.get(*k).map(|b| b.v),
            Ex::Local(i) => self.locals.get(*i).copied().flatten(),
            Ex::Rule(r) => {
                let (v, at) = self.rule_vals.get(*r).copied().unwrap_or((None, 0));
                if v.is_none() && at > 0 {
                    self.rule_missing_of(at);
                }
                v
            }
            Ex::Unknown => None,
            Ex::AsOf => Some(V::Date(self.as_of)),
            Ex::Param { id, at } => self.param(*id, at.as_deref()),
            Ex::Not(a) => match self.eval(a)? {
                V::Bool(b) => Some(V::Bool(!b)),
                _ => None,
            },
            Ex::Neg(a) => match self.eval(a)? {
                V::Int(i) => i.checked_neg().map(V::Int),
                V::Dec(d) => Some(V::Dec(-d)),
                _ => None,
            },
            Ex::And(a, b) => {
                let m = self.mark();
                let x = self.eval(a);
                if matches!(x, Some(V::Bool(false))) {
                    self.reset(m);
                    return x;
                }
                let y = self.eval(b);
                match (x, y) {
                    (_, Some(V::Bool(false))) => {
                        self.reset(m);
                        y
                    }
                    (Some(V::Bool(true)), Some(V::Bool(true))) => y,
                    _ => None,
                }
            }
            Ex::Or(a, b) => {
                let m = self.mark();
                let x = self.eval(a);
                if matches!(x, Some(V::Bool(true))) {
                    self.reset(m);
                    return x;
                }
                let y = self.eval(b);
                match (x, y) {
                    (_, Some(V::Bool(true))) => {
                        self.reset(m);
                        y
                    }
                    (Some(V::Bool(false)), Some(V::Bool(false))) => y,
                    _ => None,
                }
            }
            Ex::Cmp(op, a, b) => {
                let x = self.operand(a);
                let y = self.operand(b);
                let (x, y) = (x?, y?);
                if let (V::Enum(p), V::Enum(q)) = (x, y) {
                    match op {
                        CmpOp::Eq => return Some(V::Bool(p.same(q))),
                        CmpOp::Ne => return Some(V::Bool(!p.same(q))),
                        _ => {}
                    }
                }
                let ord = compare(x, y)?;
                Some(V::Bool(match op {
                    CmpOp::Eq => ord == Ordering::Equal,
                    CmpOp::Ne => ord != Ordering::Equal,
                    CmpOp::Lt => ord == Ordering::Less,
                    CmpOp::Le => ord != Ordering::Greater,
                    CmpOp::Gt => ord == Ordering::Greater,
                    CmpOp::Ge => ord != Ordering::Less,
                }))
            }
            Ex::In(a, b, negate) => self.member(a, b, *negate),
            Ex::Arith(op, a, b) => {
                let x = self.eval(a);
                let y = self.eval(b);
                self.arith(*op, x?, y?)
            }
            Ex::If(c, t, f) => match self.eval(c)? {
                V::Bool(true) => self.eval(t),
                V::Bool(false) => self.eval(f),
                _ => None,
            },
            Ex::Coalesce(a, b) => {
                let m = self.mark();
                match self.eval(a) {
                    Some(v) => Some(v),
                    None => {
                        self.reset(m);
                        self.eval(b)
                    }
                }
            }
            Ex::Present(a) => {
                let m = self.mark();
                let v = self.eval(a);
                self.reset(m);
                Some(V::Bool(v.is_some()))
            }
            Ex::Quant {
                kind,
                var,
                domain,
                filter,
                body,
            } => self.quant(*kind, *var, domain, filter.as_deref(), body.as_deref()),
            Ex::Call(b, args) => self.call(*b, args),
        }
    }

    // Rarely taken or bulky arms live out of line, so `eval` keeps a small stack frame.

    #[inline(never)]
    fn rule_missing_of(&mut self, at: u32) {
        let i = usize::try_from(at).unwrap_or(usize::MAX).wrapping_sub(1);
        if let Some((m, over_budget)) = self.rule_missing.get(i) {
            let over_budget = *over_budget;
            if self.trace {
                self.missing.extend(m.iter().cloned());
            }
            if over_budget {
                self.notes.push(Note::Budget);
            }
        }
    }

    #[inline(never)]
    fn param(&mut self, id: usize, at: Option<&'a Ex>) -> Option<V<'a>> {
        let found = match at {
            Some(d) => match self.eval(d)? {
                V::Date(d) if d == self.as_of => (self.dated.param(id), d),
                V::Date(d) => (self.pack.params.get(id)?.at(d), d),
                _ => return None,
            },
            None => (self.dated.param(id), self.as_of),
        };
        match found {
            (Some(v), _) => Some(V::of(v)),
            (None, date) => {
                self.notes.push(Note::NoParam { param: id, date });
                None
            }
        }
    }

    /// Period group `g`'s member in force at the as-of date.
    #[inline]
    pub(crate) fn group_at_as_of(&self, g: usize) -> Option<&'a crate::model::Period> {
        self.dated.group(g)
    }

    #[inline(never)]
    fn member(&mut self, a: &'a Ex, b: &'a Ex, negate: bool) -> Option<V<'a>> {
        let x = self.operand(a);
        let y = self.eval(b);
        let (x, V::List(items)) = (x?, y?) else {
            return None;
        };
        if !self.spend(items.len()) {
            return None;
        }
        let found = items.iter().any(|it| same(x, it));
        Some(V::Bool(found != negate))
    }

    #[inline(never)]
    pub(super) fn arith(&mut self, op: ArOp, x: V<'a>, y: V<'a>) -> Option<V<'a>> {
        if let (V::Date(d), V::Int(n)) = (x, y) {
            let n = if op == ArOp::Sub { n.checked_neg()? } else { n };
            return Some(V::Date(d.add_days(n)));
        }
        if let (V::Date(a), V::Date(b)) = (x, y) {
            return Some(V::Int(a.unix_days() - b.unix_days()));
        }
        if let (V::Int(a), V::Int(b), false) = (x, y, op == ArOp::Div) {
            let r = match op {
                ArOp::Add => a.checked_add(b),
                ArOp::Sub => a.checked_sub(b),
                _ => a.checked_mul(b),
            };
            if r.is_none() {
                self.notes.push(Note::Overflow);
            }
            return r.map(V::Int);
        }
        let (a, b) = (x.dec()?, y.dec()?);
        if op == ArOp::Div && b.is_zero() {
            self.notes.push(Note::DivZero);
            return None;
        }
        let r = match op {
            ArOp::Add => a.checked_add(b),
            ArOp::Sub => a.checked_sub(b),
            ArOp::Mul => a.checked_mul(b),
            ArOp::Div => a.checked_div(b),
        };
        if r.is_none() {
            self.notes.push(Note::Overflow);
        }
        r.map(|d| V::Dec(d.normalize()))
    }

    fn quant(
        &mut self,
        kind: QuantKind,
        var: usize,
        domain: &'a Ex,
        filter: Option<&'a Ex>,
        body: Option<&'a Ex>,
    ) -> Option<V<'a>> {
        let items = match self.eval(domain)? {
            V::List(l) => l,
            _ => return None,
        };
        // the whole list up front: a nested quantifier that runs out stops at once
        if !self.spend(items.len()) {
            return None;
        }
        let dom = match domain {
            Ex::Field { base, ptr, .. } => Some((*base, &**ptr)),
            _ => None,
        };
        let m = self.mark();
        let mut unknown = false;
        let mut count: i64 = 0;
        let mut sum_i: i64 = 0;
        let mut sum_d = Decimal::ZERO;
        let mut dec = false;
        self.vars.truncate(var);
        for (index, it) in items.iter().enumerate() {
            self.vars.truncate(var);
            self.vars.push(Bind {
                v: V::of(it),
                dom,
                index,
            });
            if let Some(f) = filter {
                match self.eval(f) {
                    Some(V::Bool(true)) => {}
                    Some(_) => continue,
                    None => {
                        unknown = true;
                        continue;
                    }
                }
            }
            let b = match body {
                Some(b) => self.eval(b),
                None => Some(V::Bool(true)),
            };
            match (kind, b) {
                (QuantKind::Any, Some(V::Bool(true))) => {
                    self.vars.truncate(var);
                    self.reset(m);
                    return Some(V::Bool(true));
                }
                (QuantKind::All, Some(V::Bool(false))) => {
                    self.vars.truncate(var);
                    self.reset(m);
                    return Some(V::Bool(false));
                }
                (QuantKind::Count, Some(V::Bool(true))) => count += 1,
                (QuantKind::Sum, Some(V::Int(i))) if !dec => match sum_i.checked_add(i) {
                    Some(s) => sum_i = s,
                    None => {
                        dec = true;
                        sum_d = Decimal::from(sum_i) + Decimal::from(i);
                    }
                },
                (QuantKind::Sum, Some(v)) => {
                    if !dec {
                        dec = true;
                        sum_d = Decimal::from(sum_i);
                    }
                    match v.dec().and_then(|d| sum_d.checked_add(d)) {
                        Some(s) => sum_d = s,
                        None => unknown = true,
                    }
                }
                (_, None) => unknown = true,
                _ => {}
            }
        }
        self.vars.truncate(var);
        if unknown {
            return None;
        }
        self.reset(m);
        Some(match kind {
            QuantKind::Any => V::Bool(false),
            QuantKind::All => V::Bool(true),
            QuantKind::Count => V::Int(count),
            QuantKind::Sum if dec => V::Dec(sum_d),
            QuantKind::Sum => V::Int(sum_i),
        })
    }

    #[inline(never)]
    fn call(&mut self, b: Builtin, args: &'a [Ex]) -> Option<V<'a>> {
        let mut vals = [None, None, None];
        for (slot, a) in vals.iter_mut().zip(args) {
            *slot = self.eval(a);
        }
        let [a0, a1, a2] = vals;
        self.builtin(b, a0, a1, a2)
    }

    /// Built-in function `b` on its evaluated arguments.
    #[inline(never)]
    pub(super) fn builtin(
        &mut self,
        b: Builtin,
        a0: Option<V<'a>>,
        a1: Option<V<'a>>,
        a2: Option<V<'a>>,
    ) -> Option<V<'a>> {
        match b {
            Builtin::Year => match a0? {
                V::Date(d) => Some(V::Int(i64::from(d.year()))),
                _ => None,
            },
            Builtin::MakeDate => {
                let (V::Int(y), V::Int(m), V::Int(d)) = (a0?, a1?, a2?) else {
                    return None;
                };
                let r = i32::try_from(y)
                    .ok()
                    .zip(u32::try_from(m).ok())
                    .zip(u32::try_from(d).ok());
                match r.and_then(|((y, m), d)| Date::from_ymd(y, m, d)) {
                    Some(d) => Some(V::Date(d)),
                    None => {
                        self.notes.push(Note::BadDate);
                        None
                    }
                }
            }
            Builtin::Min | Builtin::Max => {
                let (x, y) = (a0?, a1?);
                let ord = compare(x, y)?;
                let pick_x = (ord != Ordering::Greater) == (b == Builtin::Min);
                Some(if pick_x { x } else { y })
            }
            Builtin::Len => match a0? {
                V::List(l) => i64::try_from(l.len()).ok().map(V::Int),
                _ => None,
            },
            Builtin::IndexAt(g) => {
                let V::Date(d) = a0? else { return None };
                let found = if d == self.as_of {
                    self.dated.group(g)
                } else {
                    self.pack.groups.get(g).and_then(|gr| gr.at(d))
                };
                match found {
                    Some(p) => Some(V::Int(p.index)),
                    None => {
                        self.notes.push(Note::NoPeriod { group: g });
                        None
                    }
                }
            }
            Builtin::Within(g) => {
                let x = a0;
                let n = a1;
                let (V::Date(d), V::Int(n)) = (x?, n?) else {
                    return None;
                };
                match self.pack.groups.get(g).and_then(|gr| gr.member(n)) {
                    Some(p) => Some(V::Bool(p.from <= d && d <= p.to)),
                    None => {
                        self.notes.push(Note::NoPeriod { group: g });
                        None
                    }
                }
            }
            Builtin::StartOf(g) | Builtin::EndOf(g) => {
                let V::Int(n) = a0? else { return None };
                match self.pack.groups.get(g).and_then(|gr| gr.member(n)) {
                    Some(p) => Some(V::Date(if matches!(b, Builtin::StartOf(_)) {
                        p.from
                    } else {
                        p.to
                    })),
                    None => {
                        self.notes.push(Note::NoPeriod { group: g });
                        None
                    }
                }
            }
        }
    }
}

/// Equality of a value and a list item (the hot path of `in`).
#[inline]
pub(super) fn same(x: V<'_>, it: &Val) -> bool {
    match (x, it) {
        (V::Enum(a), Val::Enum(b)) => a.same(b),
        (V::Str(a), Val::Str(b)) => a == &**b,
        (V::Int(a), Val::Int(b)) => a == *b,
        (V::Bool(a), Val::Bool(b)) => a == *b,
        (V::Date(a), Val::Date(b)) => a == *b,
        (x, it) => compare(x, V::of(it)) == Some(Ordering::Equal),
    }
}

/// Orders two values of comparable types (numbers exactly, dates, strings, booleans).
pub(crate) fn compare(x: V<'_>, y: V<'_>) -> Option<Ordering> {
    match (x, y) {
        (V::Int(a), V::Int(b)) => Some(a.cmp(&b)),
        (V::Date(a), V::Date(b)) => Some(a.cmp(&b)),
        (V::Str(a), V::Str(b)) => Some(a.cmp(b)),
        (V::Enum(a), V::Enum(b)) if a.same(b) => Some(Ordering::Equal),
        (V::Enum(a), V::Enum(b)) => Some(a.text.cmp(&b.text)),
        (V::Enum(a), V::Str(b)) => Some((*a.text).cmp(b)),
        (V::Str(a), V::Enum(b)) => Some(a.cmp(&*b.text)),
        (V::Bool(a), V::Bool(b)) => Some(a.cmp(&b)),
        (a, b) => Some(a.dec()?.cmp(&b.dec()?)),
    }
}
