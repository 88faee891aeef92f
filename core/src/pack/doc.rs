//! The TOML shape of pack files, as read by serde (with spans for diagnostics).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::text::Message;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDoc {
    pub pack: Option<PackDoc>,
    #[serde(default, rename = "enum")]
    pub enums: Vec<EnumDoc>,
    #[serde(default)]
    pub record: Vec<RecordDoc>,
    #[serde(default)]
    pub entity: Vec<RecordDoc>,
    #[serde(default)]
    pub parameter: Vec<ParamDoc>,
    #[serde(default, rename = "override")]
    pub overrides: Vec<OverrideDoc>,
    #[serde(default)]
    pub periods: Vec<GroupDoc>,
    #[serde(default)]
    pub rule: Vec<RuleDoc>,
    #[serde(default)]
    pub test: Vec<TestDoc>,
    #[serde(default)]
    pub info: Vec<InfoDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackDoc {
    pub id: Spanned<String>,
    pub version: String,
    pub title: Option<Message>,
    pub document: String,
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub jurisdiction: Option<String>,
    pub status: Option<Message>,
    pub implements: Option<String>,
    #[serde(default)]
    pub imports: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnumDoc {
    pub name: Spanned<String>,
    pub values: Vec<Spanned<String>>,
    #[serde(default)]
    pub labels: BTreeMap<String, Message>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordDoc {
    pub name: Spanned<String>,
    pub label: Option<Message>,
    pub id: Option<Spanned<String>>,
    pub fields: Vec<FieldDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldDoc {
    pub name: Spanned<String>,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    pub label: Option<Message>,
    pub doc: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub min: Option<Spanned<toml::Value>>,
    pub max: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct CiteDoc {
    pub document: String,
    pub section: String,
    pub wording: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ParamDoc {
    pub name: Spanned<String>,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    pub label: Option<Message>,
    pub cite: Option<CiteDoc>,
    pub note: Option<String>,
    pub confidence: Option<String>,
    pub values: Vec<Spanned<ValueDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValueDoc {
    pub from: Spanned<String>,
    pub to: Option<Spanned<String>>,
    pub value: Spanned<toml::Value>,
    pub document: Option<String>,
    pub section: Option<String>,
    pub wording: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverrideDoc {
    pub parameter: Spanned<String>,
    pub from: Spanned<String>,
    pub to: Option<Spanned<String>>,
    pub value: Spanned<toml::Value>,
    pub document: String,
    pub section: String,
    pub wording: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupDoc {
    pub name: Spanned<String>,
    pub label: Option<Message>,
    pub cite: Option<CiteDoc>,
    pub members: Vec<Spanned<MemberDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberDoc {
    pub index: i64,
    pub name: String,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub label: Option<Message>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct MessagesDoc {
    pub yes: Option<Spanned<Message>>,
    pub no: Option<Spanned<Message>>,
    pub unknown: Option<Spanned<Message>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDoc {
    pub name: Spanned<String>,
    pub entity: Spanned<String>,
    pub kind: Spanned<String>,
    #[serde(rename = "type")]
    pub ty: Option<Spanned<String>>,
    #[serde(default)]
    pub internal: bool,
    pub title: Option<Message>,
    pub applies_in: Option<Spanned<String>>,
    #[serde(default, rename = "let")]
    pub lets: BTreeMap<String, Spanned<String>>,
    pub when: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub target: Option<Spanned<String>>,
    pub require: Option<Spanned<String>>,
    pub each: Option<Spanned<String>>,
    pub field: Option<String>,
    pub code: Option<String>,
    pub cite: Spanned<CiteDoc>,
    pub interpretation: Option<Message>,
    pub confidence: Option<String>,
    #[serde(default)]
    pub messages: MessagesDoc,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum ExpectDoc {
    Outcome(String),
    Full {
        outcome: Option<String>,
        value: Option<toml::Value>,
        target: Option<toml::Value>,
        missing: Option<Vec<String>>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestDoc {
    pub name: Spanned<String>,
    pub entity: Spanned<String>,
    pub as_of: Spanned<String>,
    #[serde(default)]
    pub facts: Option<serde_json::Value>,
    #[serde(default)]
    pub expect: BTreeMap<String, Spanned<ExpectDoc>>,
    pub valid: Option<bool>,
    pub errors: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InfoDoc {
    pub name: Spanned<String>,
    pub title: Message,
    pub cite: Option<CiteDoc>,
    pub items: Vec<Message>,
}
