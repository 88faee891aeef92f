//! The rules declared by phase 4 (names, kinds, value types) before any is compiled: what the
//! later phases (rule order, message templates, indicators, lints) read. Its own file so that
//! those phases and the rules phase that calls them do not import each other.

use std::collections::HashMap;

use crate::model::RuleKind;
use crate::pack::doc::RuleDoc;
use crate::value::Ty;

/// A rule whose name and kind checked out, waiting to be compiled.
pub(super) struct Pending<'d> {
    pub file: usize,
    pub doc: &'d RuleDoc,
    pub entity: usize,
    pub kind: RuleKind,
    pub pack: String,
}

/// The rules of every entity, by name: what expressions may refer to as `rule.NAME`.
pub(super) struct RuleTable<'d> {
    /// In the order written; a rule's index within its entity is its rank among the
    /// entity's pending rules.
    pub pending: Vec<Pending<'d>>,
    /// Per entity: rule name → (index, type) of the decisions and typed value rules.
    pub types: Vec<HashMap<String, (usize, Ty)>>,
}
