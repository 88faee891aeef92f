//! "Did you mean …?" for names typed on the command line (entities, rules, topics).

use htx_rules::{msg, Code, Engine, Error};

use crate::safe;

/// The known name closest to `typed`, when one is close enough to be what was meant: a name
/// that starts with what was typed (`coop` → `cooperative`), or one within a small edit
/// distance (`many_female_job` → `many_female_jobs`).
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let t = typed.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let kl = k.to_lowercase();
        let score = if kl.starts_with(&t) && t.len() >= 3 {
            // a prefix: the longer the part typed, the surer
            1.0 + t.len() as f64 / kl.len().max(1) as f64
        } else {
            let d = strsim::levenshtein(&t, &kl);
            let allowed = (kl.chars().count() / 4).clamp(1, 3);
            if d > allowed {
                continue;
            }
            strsim::jaro_winkler(&t, &kl)
        };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k)
}

/// The error for an unknown entity, with a suggestion and the entities there are.
pub fn unknown_entity(engine: &Engine, typed: &str) -> Error {
    let entities = engine.entities();
    let list = entities.join(", ");
    let shown = safe::cell(typed);
    match closest(typed, entities.iter().copied()) {
        Some(s) => Error::invalid_input(
            Code::EntityUnknown,
            msg!(
                vi: format!("Không có đối tượng `{shown}` — có phải ý bạn là `{s}`? (các đối tượng: {list})"),
                en: format!("Unknown entity `{shown}` — did you mean `{s}`? (entities: {list})"),
            ),
        ),
        None => Error::invalid_input(
            Code::EntityUnknown,
            msg!(
                vi: format!("Không có đối tượng `{shown}` (các đối tượng: {list})"),
                en: format!("Unknown entity `{shown}` (entities: {list})"),
            ),
        ),
    }
}

/// Checks `--entity`: the engine's entity, or an error saying which was meant.
pub fn entity(engine: &Engine, typed: &str) -> Result<(), Error> {
    if engine.entities().contains(&typed) {
        Ok(())
    } else {
        Err(unknown_entity(engine, typed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let ents = ["cooperative", "person", "progress", "calendar"];
        assert_eq!(closest("coop", ents), Some("cooperative"));
        assert_eq!(closest("persn", ents), Some("person"));
        assert_eq!(closest("Person", ents), Some("person"));
        assert_eq!(closest("zzz", ents), None);
        let rules = ["many_female_jobs", "women_managed", "female_labour_share"];
        assert_eq!(closest("many_female_job", rules), Some("many_female_jobs"));
        assert_eq!(closest("women_manged", rules), Some("women_managed"));
        assert_eq!(closest("x", rules), None);
    }
}
