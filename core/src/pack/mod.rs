//! Rule packs: where their files come from, their TOML shape, and the checker that compiles them.

pub(crate) mod doc;
pub(crate) mod load;
pub mod source;
