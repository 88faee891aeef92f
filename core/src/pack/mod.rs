//! Rule packs: where their files come from, their TOML shape, and the checker that compiles them.

pub(crate) mod check;
pub(crate) mod doc;
mod reform;
pub mod source;

pub use reform::Reform;
