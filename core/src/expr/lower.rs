//! The lowered runtime form of an entity's rules: the checked [`Ex`] trees flattened into an
//! arena of nodes with `u32` ids, with specialised nodes for the shapes rules are made of.
//!
//! The tree walker ([`Cx::eval`]) keeps everything reasons need: the JSON Pointers of missing
//! facts, notes, and the marks that drop them again when a connective's result is known
//! anyway. Runs that explain nothing need none of it: the answers path ([`Cx`] without
//! `explain`) and the first run of every rule in the explained path (a rule that comes out
//! unknown runs again through the tree walker, recording). This form computes the same values,
//! the same three-valued logic and the same evaluation budget ([`Cx::spend`] at the same
//! places, in the same order) without the bookkeeping:
//!
//! - operands (a constant, a field of the record or of a bound variable one or two levels
//!   deep, a `let`, a rule's value, a parameter at the as-of date) are read in place, without
//!   a call ([`Opd`]);
//! - yes/no nodes (`and`, `or`, `not`, comparisons, `in`, `any`, …) give a [`Tri`], one
//!   byte, not an `Option<V>` written through memory, and `and`/`or` need no marks;
//! - `x in [constant enum values]` and `x in param.P` (enum lists) are a bit test, with a bit
//!   set per value of the parameter built here;
//! - what is rare (built-in functions, `-x`, a parameter at another date) stays an [`Ex`] the
//!   tree walker evaluates ([`Node::Tree`]).
//!
//! Built at first use from the checked pack ([`crate::model::EntityRules::lowered`]); `Ex`
//! and the serialised model are unchanged.

use std::cmp::Ordering;

use crate::expr::eval::{compare, same, Bind, Cx, V};
use crate::expr::ir::{ArOp, Base, Builtin, CmpOp, Ex, QuantKind};
use crate::model::{EntityRules, Pack};
use crate::value::EnumVal;
use crate::value::Val;

/// A node's index in [`Lowered::nodes`].
pub(crate) type Id = u32;

/// Kleene's three truth values as one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tri {
    /// Known false.
    F,
    /// Known true.
    T,
    /// Unknown (or not a yes/no value).
    U,
}

impl Tri {
    #[inline(always)]
    fn of(v: Option<V<'_>>) -> Tri {
        match v {
            Some(V::Bool(true)) => Tri::T,
            Some(V::Bool(false)) => Tri::F,
            _ => Tri::U,
        }
    }

    #[inline(always)]
    fn val<'a>(self) -> Option<V<'a>> {
        match self {
            Tri::T => Some(V::Bool(true)),
            Tri::F => Some(V::Bool(false)),
            Tri::U => None,
        }
    }
}

/// An operand read in place.
#[derive(Clone, Debug)]
pub(crate) enum Opd {
    Const(Val),
    /// A field of the record (slot).
    Root1(usize),
    /// A field of a record field of the record (`workers.female`).
    Root2(usize, usize),
    /// A field of a bound variable (`m.gender`).
    Var1(usize, usize),
    Local(usize),
    Rule(usize),
    /// A parameter at the as-of date.
    Param(usize),
    /// Anything else: a node.
    Node(Id),
}

/// The enum values of a list, as a bit set over their indices (when every item is a value of
/// one enum type).
#[derive(Clone, Debug)]
pub(crate) struct EnumSet {
    ty: u32,
    bits: Box<[u64]>,
}

impl EnumSet {
    fn of(items: &[Val]) -> Option<EnumSet> {
        let mut ty = None;
        let mut bits: Vec<u64> = Vec::new();
        for it in items {
            let Val::Enum(e) = it else { return None };
            if *ty.get_or_insert(e.ty) != e.ty {
                return None;
            }
            let (w, b) = ((e.idx / 64) as usize, e.idx % 64);
            if bits.len() <= w {
                bits.resize(w + 1, 0);
            }
            if let Some(x) = bits.get_mut(w) {
                *x |= 1 << b;
            }
        }
        Some(EnumSet {
            ty: ty?,
            bits: bits.into(),
        })
    }

    /// Whether the set holds a value `(ty, idx)`: `None` when `ty` is another type (then
    /// values compare by text, as [`crate::value::EnumVal::same`]).
    #[inline(always)]
    fn holds(&self, ty: u32, idx: u32) -> Option<bool> {
        if ty != self.ty {
            return None;
        }
        let w = self.bits.get((idx / 64) as usize).copied().unwrap_or(0);
        Some(w & (1 << (idx % 64)) != 0)
    }
}

/// The list `in` looks in.
#[derive(Clone, Debug)]
pub(crate) enum InList {
    /// A constant list, with its bit set when it holds enum values.
    Const(Vec<Val>, Option<EnumSet>),
    /// A parameter at the as-of date; one bit set per value of the parameter.
    Param(usize, Box<[Option<EnumSet>]>),
    /// Anything else.
    Dyn(Opd),
}

/// A node of the lowered form.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Opd(Opd),
    Unknown,
    AsOf,
    Var(usize),
    /// A field path of any length.
    Field(Base, Box<[usize]>),
    Not(Id),
    /// `a and b and …` (nested `and`s flattened: Kleene's `and` is associative and the tree
    /// walker's stops at the same first false).
    All(Box<[Opd]>),
    /// `a or b or …`, likewise.
    Any(Box<[Opd]>),
    /// `x == constant enum value` (`!=` when the flag is set).
    EnumEq(Opd, EnumVal, bool),
    Cmp(CmpOp, Opd, Opd),
    /// A built-in function on up to three arguments.
    Call(Builtin, Box<[Opd]>),
    In(Opd, InList, bool),
    Arith(ArOp, Opd, Opd),
    If(Id, Id, Id),
    Coalesce(Id, Id),
    Present(Id),
    Quant {
        kind: QuantKind,
        var: usize,
        domain: Opd,
        filter: Option<Id>,
        body: Option<Id>,
    },
    /// Left to the tree walker.
    Tree(Ex),
}

/// One rule's expressions, lowered.
#[derive(Clone, Debug, Default)]
pub(crate) struct LRule {
    pub(crate) locals: Box<[Opd]>,
    pub(crate) when: Option<Opd>,
    pub(crate) value: Option<Opd>,
    pub(crate) target: Option<Opd>,
}

/// The lowered form of an entity's rules.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lowered {
    nodes: Vec<Node>,
    /// Per rule (as [`EntityRules::rules`]).
    pub(crate) rules: Vec<LRule>,
    /// The decision and value rules in evaluation order ([`EntityRules::order`]), each with
    /// its place among the outputs ([`EntityRules::outputs`]), if it is one.
    pub(crate) steps: Vec<(usize, Option<usize>)>,
}

impl Lowered {
    /// The lowered form of `er`'s rules (`pack` gives the parameters' values).
    pub(crate) fn of(pack: &Pack, er: &EntityRules) -> Lowered {
        let mut lw = Lowered::default();
        for rule in &er.rules {
            let lr = LRule {
                locals: rule
                    .locals
                    .iter()
                    .map(|(_, ex, _)| lw.opd(pack, ex))
                    .collect(),
                value: rule.value.as_ref().map(|(ex, _)| lw.opd(pack, ex)),
                target: rule.target.as_ref().map(|(ex, _)| lw.opd(pack, ex)),
                when: rule.when.as_ref().map(|ex| lw.opd(pack, ex)),
            };
            lw.rules.push(lr);
        }
        lw.steps = er
            .order
            .iter()
            .map(|&i| (i, er.outputs.iter().position(|&o| o == i)))
            .collect();
        lw
    }

    fn push(&mut self, n: Node) -> Id {
        self.nodes.push(n);
        Id::try_from(self.nodes.len() - 1).unwrap_or(Id::MAX)
    }

    #[inline(always)]
    fn get(&self, id: Id) -> Option<&Node> {
        self.nodes.get(id as usize)
    }

    fn opd(&mut self, pack: &Pack, ex: &Ex) -> Opd {
        match ex {
            Ex::Const(v) => Opd::Const(v.clone()),
            Ex::Field {
                base: Base::Root,
                slots,
                ..
            } => match **slots {
                [s] => Opd::Root1(s),
                [s, t] => Opd::Root2(s, t),
                _ => Opd::Node(self.node(pack, ex)),
            },
            Ex::Field {
                base: Base::Var(k),
                slots,
                ..
            } => match **slots {
                [s] => Opd::Var1(*k, s),
                _ => Opd::Node(self.node(pack, ex)),
            },
            Ex::Local(i) => Opd::Local(*i),
            Ex::Rule(r) => Opd::Rule(*r),
            Ex::Param { id, at: None } => Opd::Param(*id),
            _ => Opd::Node(self.node(pack, ex)),
        }
    }

    fn node(&mut self, pack: &Pack, ex: &Ex) -> Id {
        let n = match ex {
            Ex::Const(_) | Ex::Local(_) | Ex::Rule(_) | Ex::Param { at: None, .. } => {
                Node::Opd(self.opd(pack, ex))
            }
            Ex::Field { base, slots, .. } => match (base, &**slots) {
                (Base::Root, [_] | [_, _]) | (Base::Var(_), [_]) => Node::Opd(self.opd(pack, ex)),
                _ => Node::Field(*base, slots.clone()),
            },
            Ex::Unknown => Node::Unknown,
            Ex::AsOf => Node::AsOf,
            Ex::Var(k) => Node::Var(*k),
            Ex::Not(a) => Node::Not(self.node(pack, a)),
            Ex::And(..) => {
                let mut leaves = Vec::new();
                flatten(ex, true, &mut leaves);
                Node::All(leaves.into_iter().map(|l| self.opd(pack, l)).collect())
            }
            Ex::Or(..) => {
                let mut leaves = Vec::new();
                flatten(ex, false, &mut leaves);
                Node::Any(leaves.into_iter().map(|l| self.opd(pack, l)).collect())
            }
            Ex::Cmp(op @ (CmpOp::Eq | CmpOp::Ne), a, b)
                if matches!(&**b, Ex::Const(Val::Enum(_))) =>
            {
                let Ex::Const(Val::Enum(e)) = &**b else {
                    return self.push(Node::Unknown);
                };
                Node::EnumEq(self.opd(pack, a), e.clone(), *op == CmpOp::Ne)
            }
            Ex::Cmp(op, a, b) => Node::Cmp(*op, self.opd(pack, a), self.opd(pack, b)),
            Ex::Call(b, args) if args.len() <= 3 => {
                Node::Call(*b, args.iter().map(|a| self.opd(pack, a)).collect())
            }
            Ex::In(a, b, negate) => {
                let x = self.opd(pack, a);
                let list = match &**b {
                    Ex::Const(Val::List(items)) => InList::Const(items.clone(), EnumSet::of(items)),
                    Ex::Param { id, at: None } => {
                        let sets = pack
                            .params
                            .get(*id)
                            .map(|p| {
                                p.values
                                    .iter()
                                    .map(|v| match &v.value {
                                        Val::List(items) => EnumSet::of(items),
                                        _ => None,
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        InList::Param(*id, sets)
                    }
                    _ => InList::Dyn(self.opd(pack, b)),
                };
                Node::In(x, list, *negate)
            }
            Ex::Arith(op, a, b) => Node::Arith(*op, self.opd(pack, a), self.opd(pack, b)),
            Ex::If(c, t, f) => Node::If(self.node(pack, c), self.node(pack, t), self.node(pack, f)),
            Ex::Coalesce(a, b) => Node::Coalesce(self.node(pack, a), self.node(pack, b)),
            Ex::Present(a) => Node::Present(self.node(pack, a)),
            Ex::Quant {
                kind,
                var,
                domain,
                filter,
                body,
            } => Node::Quant {
                kind: *kind,
                var: *var,
                domain: self.opd(pack, domain),
                filter: filter.as_deref().map(|f| self.node(pack, f)),
                body: body.as_deref().map(|b| self.node(pack, b)),
            },
            Ex::Param { at: Some(_), .. } | Ex::Neg(_) | Ex::Call(..) => Node::Tree(ex.clone()),
        };
        self.push(n)
    }
}

impl<'a> Cx<'a> {
    /// An operand's value (as [`Cx::eval`] of the expression it came from, recording nothing).
    #[inline(always)]
    fn opd(&mut self, lw: &'a Lowered, o: &'a Opd) -> Option<V<'a>> {
        match o {
            Opd::Const(v) => Some(V::of(v)),
            Opd::Root1(s) => self.root.slots.get(*s)?.as_ref().map(V::of),
            Opd::Root2(s, t) => match self.root.slots.get(*s)?.as_ref()? {
                Val::Rec(r) => r.slots.get(*t)?.as_ref().map(V::of),
                _ => None,
            },
            Opd::Var1(k, s) => match self.vars.get(*k).map(|b| b.v) {
                Some(V::Rec(r)) => r.slots.get(*s)?.as_ref().map(V::of),
                _ => None,
            },
            Opd::Local(i) => self.locals.get(*i).copied().flatten(),
            Opd::Rule(r) => self.rule_vals.get(*r).and_then(|x| x.0),
            Opd::Param(id) => self.dated.param(*id).map(V::of),
            Opd::Node(n) => self.lval(lw, *n),
        }
    }

    /// Node `id`'s value (as [`Cx::eval`], recording no missing facts and no notes but the
    /// budget's).
    pub(crate) fn lval(&mut self, lw: &'a Lowered, id: Id) -> Option<V<'a>> {
        let node = lw.get(id)?;
        match node {
            Node::Opd(o) => self.opd(lw, o),
            Node::Arith(op, a, b) => {
                let x = self.opd(lw, a);
                let y = self.opd(lw, b);
                let (x, y) = (x?, y?);
                if let (V::Int(p), V::Int(q), ArOp::Add | ArOp::Sub) = (x, y, op) {
                    let r = if *op == ArOp::Add {
                        p.checked_add(q)
                    } else {
                        p.checked_sub(q)
                    };
                    if let Some(r) = r {
                        return Some(V::Int(r));
                    }
                }
                self.arith(*op, x, y)
            }
            Node::If(c, t, f) => match self.truth(lw, *c) {
                Tri::T => self.lval(lw, *t),
                Tri::F => self.lval(lw, *f),
                Tri::U => None,
            },
            _ => self.lval_rest(lw, id, node),
        }
    }

    /// [`Cx::lval`]'s less frequent nodes, out of line.
    #[inline(never)]
    fn lval_rest(&mut self, lw: &'a Lowered, id: Id, node: &'a Node) -> Option<V<'a>> {
        match node {
            Node::Unknown => None,
            Node::AsOf => Some(V::Date(self.as_of)),
            Node::Var(k) => self.vars.get(*k).map(|b| b.v),
            Node::Field(base, slots) => self.field(*base, slots, ""),
            Node::Coalesce(a, b) => match self.lval(lw, *a) {
                Some(v) => Some(v),
                None => self.lval(lw, *b),
            },
            Node::Quant {
                kind: QuantKind::Count | QuantKind::Sum,
                ..
            } => self.lquant(lw, node),
            Node::Call(b, args) => {
                let mut vals = [None, None, None];
                for (slot, a) in vals.iter_mut().zip(args.iter()) {
                    *slot = self.opd(lw, a);
                }
                let [a0, a1, a2] = vals;
                self.builtin(*b, a0, a1, a2)
            }
            Node::Tree(ex) => self.eval(ex),
            Node::Opd(_) | Node::Arith(..) | Node::If(..) => self.lval(lw, id),
            Node::Not(_)
            | Node::All(_)
            | Node::Any(_)
            | Node::EnumEq(..)
            | Node::Cmp(..)
            | Node::In(..)
            | Node::Present(_)
            | Node::Quant { .. } => self.truth(lw, id).val(),
        }
    }

    /// A rule's operand (a `let`, its value, target or condition): its value.
    #[inline(always)]
    pub(crate) fn lopd(&mut self, lw: &'a Lowered, o: &'a Opd) -> Option<V<'a>> {
        self.opd(lw, o)
    }

    /// A rule's operand as a truth value.
    #[inline(always)]
    pub(crate) fn ltruth(&mut self, lw: &'a Lowered, o: &'a Opd) -> Tri {
        self.topd(lw, o)
    }

    /// An operand as a truth value.
    #[inline(always)]
    fn topd(&mut self, lw: &'a Lowered, o: &'a Opd) -> Tri {
        match o {
            Opd::Node(id) => self.truth(lw, *id),
            o => Tri::of(self.opd(lw, o)),
        }
    }

    /// Node `id` as a truth value: [`Tri::U`] when it is unknown or not a yes/no value.
    pub(crate) fn truth(&mut self, lw: &'a Lowered, id: Id) -> Tri {
        let Some(node) = lw.get(id) else {
            return Tri::U;
        };
        match node {
            Node::All(items) => {
                let mut known = true;
                for o in items.iter() {
                    match self.topd(lw, o) {
                        Tri::F => return Tri::F,
                        Tri::T => {}
                        Tri::U => known = false,
                    }
                }
                if known {
                    Tri::T
                } else {
                    Tri::U
                }
            }
            Node::Any(items) => {
                let mut known = true;
                for o in items.iter() {
                    match self.topd(lw, o) {
                        Tri::T => return Tri::T,
                        Tri::F => {}
                        Tri::U => known = false,
                    }
                }
                if known {
                    Tri::F
                } else {
                    Tri::U
                }
            }
            Node::EnumEq(a, c, negate) => match self.opd(lw, a) {
                Some(V::Enum(e)) => tri(e.same(c) != *negate),
                Some(x) => {
                    self.cmp_slow(if *negate { CmpOp::Ne } else { CmpOp::Eq }, x, V::Enum(c))
                }
                None => Tri::U,
            },
            Node::In(a, list, negate) => self.lmember(lw, a, list, *negate),
            Node::Opd(o) => Tri::of(self.opd(lw, o)),
            _ => self.truth_rest(lw, id, node),
        }
    }

    /// [`Cx::truth`]'s less frequent nodes, out of line.
    #[inline(never)]
    fn truth_rest(&mut self, lw: &'a Lowered, id: Id, node: &'a Node) -> Tri {
        match node {
            Node::Not(a) => match self.truth(lw, *a) {
                Tri::T => Tri::F,
                Tri::F => Tri::T,
                Tri::U => Tri::U,
            },
            Node::Cmp(op, a, b) => {
                let x = self.opd(lw, a);
                let y = self.opd(lw, b);
                let (Some(x), Some(y)) = (x, y) else {
                    return Tri::U;
                };
                let ord = match (x, y) {
                    (V::Int(p), V::Int(q)) => p.cmp(&q),
                    (V::Dec(p), V::Dec(q)) => p.cmp(&q),
                    _ => return self.cmp_slow(*op, x, y),
                };
                tri(ordered(*op, ord))
            }
            Node::Present(a) => tri(self.lval(lw, *a).is_some()),
            Node::Quant {
                kind: QuantKind::Any | QuantKind::All,
                ..
            } => Tri::of(self.lquant(lw, node)),
            Node::If(c, t, f) => match self.truth(lw, *c) {
                Tri::T => self.truth(lw, *t),
                Tri::F => self.truth(lw, *f),
                Tri::U => Tri::U,
            },
            _ => Tri::of(self.lval(lw, id)),
        }
    }

    /// A comparison of two known values, as the tree walker's.
    #[inline(never)]
    fn cmp_slow(&mut self, op: CmpOp, x: V<'a>, y: V<'a>) -> Tri {
        if let (V::Enum(p), V::Enum(q), CmpOp::Eq | CmpOp::Ne) = (x, y, op) {
            return tri(p.same(q) == (op == CmpOp::Eq));
        }
        match compare(x, y) {
            Some(ord) => tri(ordered(op, ord)),
            None => Tri::U,
        }
    }

    /// `x in list` (`not in` when `negate`), as the tree walker's `member`.
    #[inline(never)]
    fn lmember(&mut self, lw: &'a Lowered, a: &'a Opd, list: &'a InList, negate: bool) -> Tri {
        let x = self.opd(lw, a);
        let (items, set): (&'a [Val], Option<&'a EnumSet>) = match list {
            InList::Const(items, set) => (items, set.as_ref()),
            InList::Param(id, sets) => match self.dated.param(*id) {
                Some(Val::List(items)) => {
                    let set = self
                        .dated
                        .param_index(*id)
                        .and_then(|i| sets.get(i))
                        .and_then(Option::as_ref);
                    (items, set)
                }
                _ => return Tri::U,
            },
            InList::Dyn(o) => match self.opd(lw, o) {
                Some(V::List(items)) => (items, None),
                _ => return Tri::U,
            },
        };
        let Some(x) = x else { return Tri::U };
        if !self.spend(items.len()) {
            return Tri::U;
        }
        let found = match (x, set) {
            (V::Enum(e), Some(s)) => match s.holds(e.ty, e.idx) {
                Some(b) => b,
                None => items.iter().any(|it| same(x, it)),
            },
            _ => items.iter().any(|it| same(x, it)),
        };
        tri(found != negate)
    }

    /// A quantifier, as the tree walker's `quant`.
    #[inline(never)]
    fn lquant(&mut self, lw: &'a Lowered, node: &'a Node) -> Option<V<'a>> {
        let Node::Quant {
            kind,
            var,
            domain,
            filter,
            body,
        } = node
        else {
            return None;
        };
        let (kind, var) = (*kind, *var);
        let items = match self.opd(lw, domain)? {
            V::List(l) => l,
            _ => return None,
        };
        if !self.spend(items.len()) {
            return None;
        }
        let mut unknown = false;
        let mut count: i64 = 0;
        let mut sum_i: i64 = 0;
        let mut sum_d = rust_decimal::Decimal::ZERO;
        let mut dec = false;
        self.vars.truncate(var);
        for it in items {
            self.vars.truncate(var);
            self.vars.push(Bind {
                v: V::of(it),
                dom: None,
                index: 0,
            });
            if let Some(f) = filter {
                match self.truth(lw, *f) {
                    Tri::T => {}
                    Tri::F => continue,
                    // (the checker types a filter yes/no: unknown is its only other value)
                    Tri::U => {
                        unknown = true;
                        continue;
                    }
                }
            }
            match kind {
                QuantKind::Any | QuantKind::All | QuantKind::Count => {
                    let b = match body {
                        Some(b) => self.truth(lw, *b),
                        None => Tri::T,
                    };
                    match (kind, b) {
                        (QuantKind::Any, Tri::T) => {
                            self.vars.truncate(var);
                            return Some(V::Bool(true));
                        }
                        (QuantKind::All, Tri::F) => {
                            self.vars.truncate(var);
                            return Some(V::Bool(false));
                        }
                        (QuantKind::Count, Tri::T) => count += 1,
                        (_, Tri::U) => unknown = true,
                        _ => {}
                    }
                }
                QuantKind::Sum => {
                    let b = match body {
                        Some(b) => self.lval(lw, *b),
                        None => Some(V::Bool(true)),
                    };
                    match b {
                        Some(V::Int(i)) if !dec => match sum_i.checked_add(i) {
                            Some(s) => sum_i = s,
                            None => {
                                dec = true;
                                sum_d = rust_decimal::Decimal::from(sum_i)
                                    + rust_decimal::Decimal::from(i);
                            }
                        },
                        Some(v) => {
                            if !dec {
                                dec = true;
                                sum_d = rust_decimal::Decimal::from(sum_i);
                            }
                            match v.dec().and_then(|d| sum_d.checked_add(d)) {
                                Some(s) => sum_d = s,
                                None => unknown = true,
                            }
                        }
                        None => unknown = true,
                    }
                }
            }
        }
        self.vars.truncate(var);
        if unknown {
            return None;
        }
        Some(match kind {
            QuantKind::Any => V::Bool(false),
            QuantKind::All => V::Bool(true),
            QuantKind::Count => V::Int(count),
            QuantKind::Sum if dec => V::Dec(sum_d),
            QuantKind::Sum => V::Int(sum_i),
        })
    }
}

/// The operands of a chain of `and`s (`all`) or `or`s, left to right.
fn flatten<'x>(ex: &'x Ex, all: bool, out: &mut Vec<&'x Ex>) {
    match ex {
        Ex::And(a, b) if all => {
            flatten(a, all, out);
            flatten(b, all, out);
        }
        Ex::Or(a, b) if !all => {
            flatten(a, all, out);
            flatten(b, all, out);
        }
        _ => out.push(ex),
    }
}

/// Whether `op` holds of two values ordered `ord`.
#[inline(always)]
fn ordered(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

#[inline(always)]
fn tri(b: bool) -> Tri {
    if b {
        Tri::T
    } else {
        Tri::F
    }
}
