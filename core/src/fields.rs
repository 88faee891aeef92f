//! An entity's fields as plain data (serde), for forms and bindings: path, kind, labels, enum
//! values with their labels, required, bounds, and the item fields of lists of records. The
//! bindings pass it on as is, so nothing of a pack is copied by hand into them.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::expr::compile::ty_name;
use crate::model::{FieldDef, Pack};
use crate::text::{Message, Unit};
use crate::value::Ty;

/// What kind of value a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FieldKind {
    /// Yes/no.
    Bool,
    /// A whole number.
    Integer,
    /// An exact decimal.
    Decimal,
    /// A proportion (0.6 = 60%), an exact decimal.
    Share,
    /// An amount in VND, an exact decimal.
    Money,
    /// A date `YYYY-MM-DD`.
    Date,
    /// Text.
    String,
    /// One of an enum's values (see [`FieldInfo::values`]).
    Enum,
    /// A list (see [`FieldInfo::item_kind`] and [`FieldInfo::items`]).
    List,
    /// A record: its fields follow it, with paths under its own.
    Record,
}

impl FieldKind {
    /// `"bool"`, `"integer"`, `"decimal"`, `"share"`, `"money"`, `"date"`, `"string"`, `"enum"`,
    /// `"list"` or `"record"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Bool => "bool",
            FieldKind::Integer => "integer",
            FieldKind::Decimal => "decimal",
            FieldKind::Share => "share",
            FieldKind::Money => "money",
            FieldKind::Date => "date",
            FieldKind::String => "string",
            FieldKind::Enum => "enum",
            FieldKind::List => "list",
            FieldKind::Record => "record",
        }
    }

    fn of(ty: &Ty) -> FieldKind {
        match ty {
            Ty::Bool => FieldKind::Bool,
            Ty::Int => FieldKind::Integer,
            Ty::Dec(Unit::Plain) => FieldKind::Decimal,
            Ty::Dec(Unit::Share) => FieldKind::Share,
            Ty::Dec(Unit::Money) => FieldKind::Money,
            Ty::Date => FieldKind::Date,
            Ty::Str => FieldKind::String,
            Ty::Enum(_) => FieldKind::Enum,
            Ty::List(_) => FieldKind::List,
            Ty::Rec(_) => FieldKind::Record,
        }
    }
}

/// One value of an enum field, with its label when the pack gives one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnumValue {
    /// The value as facts write it, e.g. `"board_chair"`.
    pub value: String,
    /// What to show a person.
    pub label: Option<Message>,
}

/// One field of an entity's schema, as `Engine::fields` lists them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldInfo {
    /// Dotted path from the entity, e.g. `workers.female`; for the item fields of a list
    /// ([`FieldInfo::items`]), from the item, e.g. `role`.
    pub path: String,
    /// The same path as a JSON Pointer, e.g. `/workers/female` (item fields: `/role`).
    pub pointer: String,
    /// The field's own name, e.g. `female`.
    pub name: String,
    /// What kind of value it holds.
    pub kind: FieldKind,
    /// The type as the pack writes it, e.g. `integer`, `share`, `gender`, `list<manager>`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Label in Vietnamese and English (for a record field without one, its record type's).
    pub label: Option<Message>,
    /// Whether a form must give it.
    pub required: bool,
    /// Smallest allowed number.
    pub min: Option<Decimal>,
    /// Largest allowed number.
    pub max: Option<Decimal>,
    /// The pack's note on the field.
    pub doc: Option<String>,
    /// For an enum, or a list of enum values: the values, in pack order, with their labels.
    pub values: Vec<EnumValue>,
    /// For a list: the kind of its items.
    pub item_kind: Option<FieldKind>,
    /// For a list of records: the item's fields, flattened the same way, with paths from the
    /// item.
    pub items: Vec<FieldInfo>,
}

/// The fields of record type `record`, flattened: each field, and after a record field the
/// fields inside it, with `prefix` (a dotted path, empty at the top) before their names.
pub(crate) fn flatten(pack: &Pack, record: usize, prefix: &str, out: &mut Vec<FieldInfo>) {
    let Some(rt) = pack.records.get(record) else {
        return;
    };
    for f in &rt.fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        out.push(info(pack, f, &path));
        if let Ty::Rec(inner) = f.ty {
            flatten(pack, inner, &path, out);
        }
    }
}

fn info(pack: &Pack, f: &FieldDef, path: &str) -> FieldInfo {
    let element = match &f.ty {
        Ty::List(inner) => Some(inner.as_ref()),
        _ => None,
    };
    let enum_ty = match element.unwrap_or(&f.ty) {
        Ty::Enum(e) => pack.enums.get(*e),
        _ => None,
    };
    let values = enum_ty
        .map(|et| {
            et.values
                .iter()
                .zip(&et.labels)
                .map(|(v, l)| EnumValue {
                    value: v.clone(),
                    label: l.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut items = Vec::new();
    if let Some(Ty::Rec(r)) = element {
        flatten(pack, *r, "", &mut items);
    }
    let record_label = match &f.ty {
        Ty::Rec(r) => pack.records.get(*r).and_then(|rt| rt.label.clone()),
        _ => None,
    };
    FieldInfo {
        path: path.to_string(),
        pointer: format!("/{}", path.replace('.', "/")),
        name: f.name.clone(),
        kind: FieldKind::of(&f.ty),
        type_name: ty_name(&f.ty, &pack.enums, &pack.records),
        label: f.label.clone().or(record_label),
        required: f.required,
        min: f.min.map(|d| d.normalize()),
        max: f.max.map(|d| d.normalize()),
        doc: f.doc.clone(),
        values,
        item_kind: element.map(FieldKind::of),
        items,
    }
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
            "p/schema.toml".to_string(),
            r#"
[[enum]]
name = "role"
values = ["chair", "member"]
labels = { chair = { vi = "Chủ tịch", en = "Chair" } }

[[record]]
name = "count"
label = { vi = "Số lượng", en = "Count" }
fields = [
  { name = "total", type = "integer", min = 0 },
  { name = "female", type = "integer", min = 0, max = 1000, label = { vi = "Số nữ", en = "Women" } },
]

[[record]]
name = "manager"
fields = [
  { name = "role", type = "role", required = true },
  { name = "tags", type = "list<role>" },
]

[[entity]]
name = "coop"
fields = [
  { name = "share", type = "share", max = "100%", doc = "a note" },
  { name = "workers", type = "count" },
  { name = "managers", type = "list<manager>", required = true },
]
"#
            .to_string(),
        );
        Engine::from_sources(&files, "p").unwrap()
    }

    #[test]
    fn fields_are_flattened_with_paths_kinds_labels_and_items() {
        let fields = engine().fields("coop").unwrap();
        let paths: Vec<_> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "share",
                "workers",
                "workers.total",
                "workers.female",
                "managers"
            ]
        );
        let female = &fields[3];
        assert_eq!(female.pointer, "/workers/female");
        assert_eq!(female.name, "female");
        assert_eq!(female.kind, FieldKind::Integer);
        assert_eq!(female.label.as_ref().unwrap().en, "Women");
        assert_eq!(female.min, Some(Decimal::ZERO));
        assert_eq!(female.max, Some(Decimal::from(1000)));
        // a record field without a label of its own takes its record type's
        assert_eq!(fields[1].kind, FieldKind::Record);
        assert_eq!(fields[1].label.as_ref().unwrap().vi, "Số lượng");
        // shares are exact: "100%" is 1
        assert_eq!(fields[0].kind, FieldKind::Share);
        assert_eq!(fields[0].max, Some(Decimal::ONE));
        assert_eq!(fields[0].doc.as_deref(), Some("a note"));

        let managers = &fields[4];
        assert_eq!(managers.kind, FieldKind::List);
        assert_eq!(managers.type_name, "list<manager>");
        assert_eq!(managers.item_kind, Some(FieldKind::Record));
        assert!(managers.required);
        let role = &managers.items[0];
        assert_eq!(
            (role.path.as_str(), role.pointer.as_str()),
            ("role", "/role")
        );
        assert_eq!(role.kind, FieldKind::Enum);
        assert_eq!(role.values.len(), 2);
        assert_eq!(role.values[0].label.as_ref().unwrap().vi, "Chủ tịch");
        assert_eq!(role.values[1].label, None);
        // a list of enum values carries the values too
        let tags = &managers.items[1];
        assert_eq!(tags.item_kind, Some(FieldKind::Enum));
        assert_eq!(tags.values[0].value, "chair");
    }

    #[test]
    fn fields_serialize_as_plain_data() {
        let fields = engine().fields("coop").unwrap();
        let j = serde_json::to_value(&fields[3]).unwrap();
        assert_eq!(
            j,
            serde_json::json!({
                "path": "workers.female", "pointer": "/workers/female", "name": "female",
                "kind": "integer", "type": "integer",
                "label": { "vi": "Số nữ", "en": "Women" },
                "required": false, "min": "0", "max": "1000", "doc": null,
                "values": [], "item_kind": null, "items": []
            })
        );
        let j = serde_json::to_value(&fields[4]).unwrap();
        assert_eq!(j["item_kind"], "record");
        assert_eq!(j["items"][0]["values"][0]["value"], "chair");
    }

    #[test]
    fn unknown_entity_is_an_error() {
        let err = engine().fields("nope").unwrap_err();
        assert_eq!(err.code(), "entity.unknown");
    }
}
