//! The report for people: a terminal table (`table.rs`) and a self-contained HTML page
//! (`html.rs`), both read from the typed [`Report`] in Vietnamese or English, with the figures,
//! dates and labels written once (`format.rs`, which also gives the JSON its `display` texts).
//! Every label comes from the pack (titles, periods, groups, collections, metadata keys, the
//! document and its status) or from `format.rs` (status, headings); no code name or JSON
//! Pointer is shown where a label exists.

pub(crate) mod format;
mod html;
mod table;

use super::types::Report;

impl Report {
    /// The report as JSON (the typed report, serialized).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
