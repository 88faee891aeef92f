//! The resolved, typed form of an expression: names are slot indices, types are checked.

use crate::value::Val;

/// Where a field path starts: the record being evaluated or a quantifier's bound variable.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    Root,
    Var(usize),
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    Year,
    MakeDate,
    Min,
    Max,
    Len,
    IndexAt(usize),
    Within(usize),
    StartOf(usize),
    EndOf(usize),
}

pub(crate) use crate::expr::syntax::QuantKind;

#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug)]
pub(crate) enum Ex {
    Const(Val),
    /// The `unknown` literal: evaluates to unknown with no missing fact.
    Unknown,
    Field {
        base: Base,
        slots: Box<[usize]>,
        ptr: Box<str>,
    },
    Var(usize),
    Local(usize),
    Rule(usize),
    Param {
        id: usize,
        at: Option<Box<Ex>>,
    },
    AsOf,
    Not(Box<Ex>),
    Neg(Box<Ex>),
    And(Box<Ex>, Box<Ex>),
    Or(Box<Ex>, Box<Ex>),
    Cmp(CmpOp, Box<Ex>, Box<Ex>),
    In(Box<Ex>, Box<Ex>, bool),
    Arith(ArOp, Box<Ex>, Box<Ex>),
    If(Box<Ex>, Box<Ex>, Box<Ex>),
    Coalesce(Box<Ex>, Box<Ex>),
    Present(Box<Ex>),
    Quant {
        kind: QuantKind,
        var: usize,
        domain: Box<Ex>,
        filter: Option<Box<Ex>>,
        body: Option<Box<Ex>>,
    },
    Call(Builtin, Vec<Ex>),
}

impl Ex {
    /// Comparison operators used at the top of a condition (through and/or/not), for the
    /// threshold-wording lint.
    pub(crate) fn comparisons(&self, out: &mut Vec<CmpOp>) {
        match self {
            Ex::Cmp(op, _, _) => out.push(*op),
            Ex::And(a, b) | Ex::Or(a, b) | Ex::Coalesce(a, b) => {
                a.comparisons(out);
                b.comparisons(out);
            }
            Ex::Not(a) => a.comparisons(out),
            Ex::If(_, a, b) => {
                a.comparisons(out);
                b.comparisons(out);
            }
            Ex::Quant { body: Some(b), .. } => b.comparisons(out),
            _ => {}
        }
    }

    /// Whether this expression reads the record it is evaluated on (a field of the root
    /// record, or a rule about it): an indicator's target must not.
    pub(crate) fn reads_record(&self) -> bool {
        match self {
            Ex::Field { base, .. } => *base == Base::Root,
            Ex::Rule(_) => true,
            Ex::Const(_) | Ex::Unknown | Ex::Var(_) | Ex::Local(_) | Ex::AsOf => false,
            Ex::Param { at, .. } => at.as_ref().is_some_and(|a| a.reads_record()),
            Ex::Not(a) | Ex::Neg(a) | Ex::Present(a) => a.reads_record(),
            Ex::And(a, b)
            | Ex::Or(a, b)
            | Ex::Cmp(_, a, b)
            | Ex::In(a, b, _)
            | Ex::Arith(_, a, b)
            | Ex::Coalesce(a, b) => a.reads_record() || b.reads_record(),
            Ex::If(a, b, c) => a.reads_record() || b.reads_record() || c.reads_record(),
            Ex::Quant {
                domain,
                filter,
                body,
                ..
            } => {
                domain.reads_record()
                    || filter.as_ref().is_some_and(|f| f.reads_record())
                    || body.as_ref().is_some_and(|b| b.reads_record())
            }
            Ex::Call(_, args) => args.iter().any(Ex::reads_record),
        }
    }

    /// The rules this expression refers to.
    pub(crate) fn rule_refs(&self, out: &mut Vec<usize>) {
        match self {
            Ex::Rule(r) => out.push(*r),
            Ex::Const(_)
            | Ex::Unknown
            | Ex::Field { .. }
            | Ex::Var(_)
            | Ex::Local(_)
            | Ex::AsOf => {}
            Ex::Param { at, .. } => {
                if let Some(a) = at {
                    a.rule_refs(out)
                }
            }
            Ex::Not(a) | Ex::Neg(a) | Ex::Present(a) => a.rule_refs(out),
            Ex::And(a, b)
            | Ex::Or(a, b)
            | Ex::Cmp(_, a, b)
            | Ex::In(a, b, _)
            | Ex::Arith(_, a, b)
            | Ex::Coalesce(a, b) => {
                a.rule_refs(out);
                b.rule_refs(out);
            }
            Ex::If(a, b, c) => {
                a.rule_refs(out);
                b.rule_refs(out);
                c.rule_refs(out);
            }
            Ex::Quant {
                domain,
                filter,
                body,
                ..
            } => {
                domain.rule_refs(out);
                if let Some(f) = filter {
                    f.rule_refs(out);
                }
                if let Some(b) = body {
                    b.rule_refs(out);
                }
            }
            Ex::Call(_, args) => args.iter().for_each(|a| a.rule_refs(out)),
        }
    }

    /// Calls `f` on each direct sub-expression (recursion is bounded by the expression depth
    /// cap, [`crate::limits::EXPR_DEPTH`]).
    pub(crate) fn for_each_child<'a>(&'a self, f: &mut dyn FnMut(&'a Ex)) {
        match self {
            Ex::Const(_)
            | Ex::Unknown
            | Ex::Field { .. }
            | Ex::Var(_)
            | Ex::Local(_)
            | Ex::Rule(_)
            | Ex::AsOf => {}
            Ex::Param { at, .. } => {
                if let Some(a) = at {
                    f(a)
                }
            }
            Ex::Not(a) | Ex::Neg(a) | Ex::Present(a) => f(a),
            Ex::And(a, b)
            | Ex::Or(a, b)
            | Ex::Cmp(_, a, b)
            | Ex::In(a, b, _)
            | Ex::Arith(_, a, b)
            | Ex::Coalesce(a, b) => {
                f(a);
                f(b);
            }
            Ex::If(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
            Ex::Quant {
                domain,
                filter,
                body,
                ..
            } => {
                f(domain);
                if let Some(x) = filter {
                    f(x);
                }
                if let Some(x) = body {
                    f(x);
                }
            }
            Ex::Call(_, args) => {
                for a in args {
                    f(a);
                }
            }
        }
    }

    /// The parameters this expression reads.
    pub(crate) fn param_refs(&self, out: &mut Vec<usize>) {
        if let Ex::Param { id, .. } = self {
            out.push(*id);
        }
        self.for_each_child(&mut |c| c.param_refs(out));
    }
}
