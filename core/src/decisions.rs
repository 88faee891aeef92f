//! What an entity's evaluation outputs, as plain data (serde): each decision's and value's name,
//! kind, title and citation, in pack order. Forms and bindings show these titles and list these
//! names instead of keeping copies of them.

use serde::Serialize;

use crate::model::{Cite, EntityRules, RuleKind};
use crate::outputs::{value_type, ValueType};
use crate::text::Message;

/// What an output of `evaluate` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum DecisionKind {
    /// A yes/no/unknown decision (`kind = "decision"` in the pack).
    Decision,
    /// A computed value, e.g. a share (`kind = "value"`).
    Value,
}

impl DecisionKind {
    /// `"decision"` or `"value"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Decision => "decision",
            DecisionKind::Value => "value",
        }
    }
}

/// One output of an entity's evaluation, as `Engine::decisions_info` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionInfo {
    /// The name results carry, e.g. `many_female_jobs`.
    pub name: String,
    /// Decision or value.
    pub kind: DecisionKind,
    /// What to show a person, in Vietnamese and English (absent when the pack gives none).
    pub title: Option<Message>,
    /// Where it comes from in the legal text.
    pub cite: Cite,
    /// The type of the value it carries (`share`, `money`, `date`…), as the checker inferred
    /// it; `None` for a decision without a value (yes/no/unknown only).
    pub value_type: Option<ValueType>,
}

/// The outputs of an entity's rules, in pack order.
pub(crate) fn outputs(er: &EntityRules) -> Vec<DecisionInfo> {
    er.outputs
        .iter()
        .filter_map(|&i| er.rules.get(i))
        .filter_map(|r| {
            let kind = match r.kind {
                RuleKind::Decision => DecisionKind::Decision,
                RuleKind::Value => DecisionKind::Value,
                RuleKind::Constraint => return None,
            };
            Some(DecisionInfo {
                name: r.name.clone(),
                kind,
                title: r.title.clone(),
                cite: r.cite.clone(),
                value_type: r.value.as_ref().and_then(|(_, ty)| value_type(ty)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::engine::Engine;

    fn engine() -> Engine {
        let mut files = BTreeMap::new();
        files.insert(
            "p/pack.toml".to_string(),
            "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string(),
        );
        files.insert(
            "p/rules.toml".to_string(),
            r#"
[[entity]]
name = "e"
fields = [{ name = "n", type = "integer" }, { name = "d", type = "integer" }]

[[rule]]
name = "share"
entity = "e"
kind = "value"
type = "share"
title = { vi = "Tỷ lệ", en = "Share" }
value = "n / d"
cite = { document = "t", section = "1" }

[[rule]]
name = "hidden"
entity = "e"
kind = "value"
type = "integer"
internal = true
value = "n + 1"
cite = { document = "t", section = "1" }

[[rule]]
name = "big"
entity = "e"
kind = "decision"
when = "n > 3"
cite = { document = "t", section = "2.a", wording = "trên 3" }

[[rule]]
name = "d_positive"
entity = "e"
kind = "constraint"
field = "/d"
code = "d.zero"
require = "d > 0"
messages = { no = { vi = "d phải dương", en = "d must be positive" } }
cite = { document = "t", section = "3" }
"#
            .to_string(),
        );
        Engine::from_sources(&files, "p").unwrap()
    }

    #[test]
    fn outputs_in_pack_order_without_internal_rules_or_constraints() {
        let infos = engine().decisions_info("e").unwrap();
        let names: Vec<_> = infos.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["share", "big"]);
        assert_eq!(infos[0].kind, DecisionKind::Value);
        assert_eq!(infos[0].title.as_ref().unwrap().en, "Share");
        assert_eq!(infos[1].kind, DecisionKind::Decision);
        assert_eq!(infos[1].title, None);
        assert_eq!(infos[1].cite.section, "2.a");
        assert_eq!(infos[1].cite.wording.as_deref(), Some("trên 3"));
        // the same names, in the same order, as the results carry
        assert_eq!(names, engine().decision_names("e").unwrap());
    }

    #[test]
    fn serializes_as_plain_data() {
        let infos = engine().decisions_info("e").unwrap();
        assert_eq!(
            serde_json::to_value(&infos).unwrap(),
            serde_json::json!([
                { "name": "share", "kind": "value", "title": { "vi": "Tỷ lệ", "en": "Share" },
                  "cite": { "document": "t", "section": "1" }, "value_type": "share" },
                { "name": "big", "kind": "decision", "title": null,
                  "cite": { "document": "t", "section": "2.a", "wording": "trên 3" },
                  "value_type": null }
            ])
        );
    }

    #[test]
    fn unknown_entity_is_an_error() {
        assert_eq!(
            engine().decisions_info("nope").unwrap_err().code(),
            "entity.unknown"
        );
    }
}
