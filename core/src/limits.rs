//! Every limit on input in one place: facts (records read from JSON, CSV, columns) and rule
//! packs. A limit that is reached is a clear error (a field error, a record error or a pack
//! diagnostic), never a crash, a hang or unbounded memory.
//!
//! Why these numbers: the contract's records are shallow (an entity, a record inside it, a list
//! of records: depth 3) and small (a cooperative is about 1 KB of JSON); the limits sit far above
//! any real record and far below what would hurt a 2-core machine or a phone's browser tab.

/// Facts: how deeply objects and lists may nest inside one record. The schema itself never
/// goes deeper than a few levels; anything deeper is not a fact the rules can read.
pub const MAX_FACT_DEPTH: usize = 16;

/// Facts: the largest record read from a file (JSON text of one record, or one CSV row), in
/// bytes. A reader keeps one record in memory at a time, so this bounds its memory whatever the
/// size of the file; a longer record is a record error and reading goes on after it.
pub const MAX_RECORD_BYTES: usize = 8 << 20;

/// Facts: the most keys not in the schema kept in a batch's list of ignored keys (each with
/// the number of records that had it). Past it, further names are counted but not listed, so a
/// file whose every record carries different keys cannot grow memory without bound.
pub const MAX_IGNORED_KEYS: usize = 1_000;
