//! The expression language: syntax, type checking, evaluation.

pub(crate) mod compile;
pub(crate) mod dated;
pub(crate) mod eval;
#[cfg(test)]
mod fast_tests;
pub(crate) mod ir;
pub(crate) mod lower;
#[cfg(test)]
mod lower_tests;
pub mod syntax;
