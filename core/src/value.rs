//! Values and types of the rule language, shared by the pack model and the expression IR.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::text::Unit;

/// A type in the rule language.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ty {
    Bool,
    Int,
    Dec(Unit),
    Date,
    Str,
    Enum(usize),
    Rec(usize),
    List(Box<Ty>),
}

impl Ty {
    pub(crate) fn is_num(&self) -> bool {
        matches!(self, Ty::Int | Ty::Dec(_))
    }
    pub(crate) fn unit(&self) -> Option<Unit> {
        match self {
            Ty::Dec(u) => Some(*u),
            Ty::Int => Some(Unit::Plain),
            _ => None,
        }
    }
}

/// A fact or constant value, owned.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    Date(Date),
    Str(Box<str>),
    Rec(Box<Record>),
    List(Vec<Val>),
}

/// A decoded record: one slot per field of its record type, `None` when the fact is absent.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Record {
    pub(crate) slots: Vec<Option<Val>>,
}
