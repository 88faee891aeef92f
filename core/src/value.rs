//! Values and types of the rule language, shared by the pack model and the expression IR.

use std::sync::Arc;

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
    /// A value of an enum type, interned: compared by its index, shown by its text.
    Enum(EnumVal),
    Rec(Box<Record>),
    List(Vec<Val>),
}

/// A value of an enum type: its index among the type's values (what `==` and `in` compare,
/// as integers) and its text, shared with the pack (what is shown, and what compares with a
/// string). Decoding a fact of an enum type gives one; so do the pack's constants of an enum
/// type.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EnumVal {
    /// The enum type (its index in the pack's enums).
    pub(crate) ty: u32,
    /// The value's index among the type's values.
    pub(crate) idx: u32,
    /// The value's text.
    #[cfg_attr(feature = "compiled", serde(with = "arc_str"))]
    pub(crate) text: Arc<str>,
}

impl EnumVal {
    /// Whether two enum values are the same value: by index within one type, by text across
    /// types.
    #[inline]
    pub(crate) fn same(&self, other: &EnumVal) -> bool {
        if self.ty == other.ty {
            self.idx == other.idx
        } else {
            self.text == other.text
        }
    }
}

/// The compiled pack writes an enum value's text as a string.
#[cfg(feature = "compiled")]
mod arc_str {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Arc<str>, D::Error> {
        String::deserialize(de).map(Arc::from)
    }
}

/// A decoded record: one slot per field of its record type, `None` when the fact is absent.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Record {
    pub(crate) slots: Vec<Option<Val>>,
}
