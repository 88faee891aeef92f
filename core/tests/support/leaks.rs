//! What text a person reads must never show: a placeholder (`?`, `{x}`), a JSON Pointer
//! (`/workers/female`), or a code name (`six_monthly`, `` `many_jobs_threshold` ``). Shared by
//! the in-crate renderer test (`engine/reasons_tests.rs`) and `tests/reasons.rs`.

use std::collections::BTreeSet;

/// The names of a pack a person must not see: field names (a `/` before one is a pointer) and
/// every other name (enum values, rules, parameters, period groups) that has an underscore,
/// so it cannot be an ordinary word.
#[derive(Default)]
pub struct Names {
    /// Field names of every record.
    pub fields: BTreeSet<String>,
    /// Enum values, rule, parameter and period group names.
    pub other: BTreeSet<String>,
}

/// Why `text` may not be shown to a person, or `None` when it may.
pub fn leak(text: &str, names: &Names) -> Option<String> {
    if text.trim().is_empty() {
        return Some("empty text".into());
    }
    for bad in ['?', '{', '}', '`'] {
        if text.contains(bad) {
            return Some(format!("contains `{bad}`"));
        }
    }
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    // `/` followed by a field name, or anything that reads like one (a small ASCII letter, as
    // the browser tests hold it too): a JSON Pointer
    for (i, _) in text.match_indices('/') {
        let after = text.get(i + 1..).unwrap_or("");
        let end = after.find(|c: char| !word(c)).unwrap_or(after.len());
        let token = after.get(..end).unwrap_or("");
        if names.fields.contains(token)
            || token.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        {
            return Some(format!("a JSON Pointer (`/{token}`)"));
        }
    }
    // a code name: an identifier with an underscore that the pack defines
    for token in text.split(|c: char| !word(c)) {
        if token.contains('_') && (names.fields.contains(token) || names.other.contains(token)) {
            return Some(format!("a code name (`{token}`)"));
        }
    }
    None
}
