//! The static shape of an entity's outputs: which decisions carry a value, and of which type.
//!
//! Columnar bindings (Arrow, pandas, polars) must fix a schema before the first row is
//! evaluated — a stream's schema is announced up front — so they ask for these types instead of looking
//! at the values of one batch (`Engine::output_types`, `Engine::decisions_info`).

use crate::text::Unit;
use crate::value::Ty;

/// The type of a decision's value, as the checker inferred it from the pack (its JSON name is
/// the lowercase variant: `share`, `money`…).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    /// Yes/no ([`crate::Scalar::Bool`]).
    Bool,
    /// A whole number ([`crate::Scalar::Int`]).
    Int,
    /// A plain decimal ([`crate::Scalar::Decimal`]).
    Decimal,
    /// A proportion ([`crate::Scalar::Decimal`], usually between 0 and 1).
    Share,
    /// An amount in đồng ([`crate::Scalar::Decimal`]).
    Money,
    /// A date ([`crate::Scalar::Date`]).
    Date,
    /// Text or an enumeration value ([`crate::Scalar::Text`]).
    Text,
}

/// One output decision of an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputType {
    /// The decision's name.
    pub name: String,
    /// The type of its value; `None` for a decision without a value (yes/no/unknown only).
    pub value: Option<ValueType>,
}

/// The value type of a checked type, when a decision can carry it out.
pub(crate) fn value_type(ty: &Ty) -> Option<ValueType> {
    Some(match ty {
        Ty::Bool => ValueType::Bool,
        Ty::Int => ValueType::Int,
        Ty::Dec(Unit::Plain) => ValueType::Decimal,
        Ty::Dec(Unit::Share) => ValueType::Share,
        Ty::Dec(Unit::Money) => ValueType::Money,
        Ty::Date => ValueType::Date,
        Ty::Str | Ty::Enum(_) => ValueType::Text,
        // no scalar carries a record or a list out of a decision
        Ty::Rec(_) | Ty::List(_) => return None,
    })
}
