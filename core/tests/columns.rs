//! Columnar batches (the path pandas and Arrow take) give the same decisions as per-record JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use htx_rules::{Column, ColumnBatch, Date, Engine};
use serde_json::json;

fn managers_list(rows: &[Vec<(&str, &str)>], valid: Option<Vec<bool>>) -> Column {
    let mut offsets = vec![0];
    let (mut roles, mut genders) = (Vec::new(), Vec::new());
    for r in rows {
        for (role, gender) in r {
            roles.push(Some((*role).to_string()));
            genders.push(if gender.is_empty() {
                None
            } else {
                Some((*gender).to_string())
            });
        }
        offsets.push(roles.len());
    }
    let n = roles.len();
    Column::List {
        offsets,
        valid,
        items: Box::new(Column::Struct {
            rows: n,
            valid: None,
            fields: vec![
                ("role".into(), Column::Text(roles)),
                ("gender".into(), Column::Text(genders)),
            ],
        }),
    }
}

#[test]
fn typed_lists_of_records_match_json_records() {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let rows = vec![
        vec![("director", "female")],
        vec![("accountant", "female"), ("board_chair", "male")],
        vec![],
        vec![("group_leader", "female")],
        vec![("director", "")], // gender missing: the list is not trusted
    ];
    let kinds = ["htx", "htx", "htx", "tht", "htx"];
    let mut batch = ColumnBatch::new(rows.len() + 1);
    let mut all = rows.clone();
    all.push(vec![]);
    batch.push(
        "kind",
        Column::Text(
            kinds
                .iter()
                .map(|k| Some((*k).to_string()))
                .chain([Some("htx".into())])
                .collect(),
        ),
    );
    batch.push(
        "managers",
        managers_list(&all, Some(vec![true, true, true, true, true, false])),
    );
    let res = engine
        .evaluate_columns("cooperative", &batch, as_of)
        .unwrap();
    let col = res.names.iter().position(|n| n == "women_managed").unwrap();
    let got: Vec<&str> = res.outcomes[col].iter().map(|o| o.as_str()).collect();
    // the same records as JSON
    let mut want = Vec::new();
    for (r, k) in rows.iter().zip(kinds) {
        let managers: Vec<_> = r
            .iter()
            .map(|(role, gender)| {
                if gender.is_empty() {
                    json!({ "role": role })
                } else {
                    json!({ "role": role, "gender": gender })
                }
            })
            .collect();
        let ev = engine
            .evaluate(
                "cooperative",
                &json!({ "kind": k, "managers": managers }),
                as_of,
            )
            .unwrap();
        want.push(ev.decision("women_managed").unwrap().outcome().as_str());
    }
    want.push("unknown"); // an absent list
    assert_eq!(got, want);
    assert_eq!(got, ["yes", "no", "no", "yes", "unknown", "unknown"]);
}

#[test]
fn bad_cells_are_reported_with_their_pointer() {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let mut batch = ColumnBatch::new(1);
    batch.push("kind", Column::Text(vec![Some("htx".into())]));
    batch.push(
        "managers",
        managers_list(&[vec![("director", "femme")]], None),
    );
    batch.push("workers.total", Column::Text(vec![Some("forty".into())]));
    let res = engine
        .evaluate_columns("cooperative", &batch, as_of)
        .unwrap();
    let fields: Vec<&str> = res.errors.iter().map(|(_, e)| e.field.as_str()).collect();
    assert!(fields.contains(&"/managers/0/gender"), "{fields:?}");
    assert!(fields.contains(&"/workers/total"), "{fields:?}");
}

/// The leaves of a record as dotted paths (`workers.female`); lists and other values stay whole.
fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
    match v {
        serde_json::Value::Object(m) if !m.is_empty() || prefix.is_empty() => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, x, out);
            }
        }
        _ => out.push((prefix.to_string(), v.clone())),
    }
}

/// A column of typed cells when every present cell is of one kind (yes/no, whole number, text),
/// else of JSON values (lists of records, decimals, mixed kinds).
fn typed_column(cells: Vec<Option<serde_json::Value>>) -> Column {
    let present = || cells.iter().flatten();
    if present().all(serde_json::Value::is_boolean) {
        Column::Bool(
            cells
                .iter()
                .map(|c| c.as_ref().and_then(|v| v.as_bool()))
                .collect(),
        )
    } else if present().all(|v| v.is_i64()) {
        Column::Int(
            cells
                .iter()
                .map(|c| c.as_ref().and_then(|v| v.as_i64()))
                .collect(),
        )
    } else if present().all(serde_json::Value::is_string) {
        Column::Text(
            cells
                .iter()
                .map(|c| c.as_ref().and_then(|v| v.as_str()).map(str::to_owned))
                .collect(),
        )
    } else {
        Column::Json(cells)
    }
}

/// The conformance corpus's `evaluate` cases whose record is an object, grouped by entity and
/// as-of date (the rows of one batch).
fn corpus_by_entity_and_date(
) -> std::collections::BTreeMap<(String, String), Vec<serde_json::Value>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/conformance/ben-tre-2747.json"
    );
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut groups: std::collections::BTreeMap<(String, String), Vec<serde_json::Value>> =
        Default::default();
    for c in &cases {
        if c["op"] != "evaluate" || !c["record"].is_object() {
            continue;
        }
        let key = (
            c["entity"].as_str().unwrap().to_string(),
            c["as_of"].as_str().unwrap().to_string(),
        );
        groups.entry(key).or_default().push(c["record"].clone());
    }
    groups
}

/// The columnar path (outcomes and values only: no reasons, no missing lists) gives every
/// case of the conformance corpus the outcomes, values and field errors the full evaluation
/// gives, with the cases of one entity and date evaluated together as the rows of one batch
/// of typed columns (dates and enumeration values as text, counts as whole numbers).
#[test]
fn conformance_corpus_through_columns_matches_the_full_evaluation() {
    let engine = Engine::embedded().unwrap();
    let groups = corpus_by_entity_and_date();
    let (mut rows_seen, mut decided) = (0, 0);
    for ((entity, day), records) in &groups {
        let as_of = Date::parse(day).unwrap();
        let flat: Vec<Vec<(String, serde_json::Value)>> = records
            .iter()
            .map(|r| {
                let mut out = Vec::new();
                flatten("", r, &mut out);
                out
            })
            .collect();
        let mut paths: Vec<String> = flat.iter().flatten().map(|(p, _)| p.clone()).collect();
        paths.sort();
        paths.dedup();
        let mut batch = ColumnBatch::new(records.len());
        for p in &paths {
            let cells = flat
                .iter()
                .map(|r| {
                    r.iter()
                        .find(|(q, _)| q == p)
                        .map(|(_, v)| v.clone())
                        .filter(|v| !v.is_null())
                })
                .collect();
            batch.push(p.as_str(), typed_column(cells));
        }
        let res = engine
            .evaluate_columns(entity, &batch, as_of)
            .unwrap_or_else(|e| panic!("{entity} at {day}: {e:?}"));
        for (row, record) in records.iter().enumerate() {
            let full = engine.evaluate(entity, record, as_of).unwrap();
            for (k, name) in res.names.iter().enumerate() {
                let d = full.decision(name).unwrap();
                let at = format!("{entity} at {day}, row {row}, {name}: {record}");
                assert_eq!(res.outcomes[k][row], d.outcome(), "{at}");
                assert_eq!(res.values[k][row].as_ref(), d.value(), "{at}");
                decided += 1;
            }
            let mut want: Vec<(&str, &str)> = full
                .errors()
                .iter()
                .map(|e| (e.field.as_str(), e.code.as_str()))
                .collect();
            let mut got: Vec<(&str, &str)> = res
                .errors
                .iter()
                .filter(|(r, _)| *r == row)
                .map(|(_, e)| (e.field.as_str(), e.code.as_str()))
                .collect();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{entity} at {day}, row {row}: {record}");
            rows_seen += 1;
        }
    }
    // the corpus, not a corner of it
    assert!(rows_seen >= 250, "{rows_seen} records");
    assert!(decided >= 1_000, "{decided} decisions");
}

/// A column of the cells of one field as Arrow would type it: records as struct columns (a
/// field per key any row has), lists of records as list columns of struct items, other
/// values as [`typed_column`].
fn nested_column(cells: &[Option<serde_json::Value>]) -> Column {
    let present = || cells.iter().flatten();
    let has_some = present().next().is_some();
    if has_some && present().all(serde_json::Value::is_object) {
        let mut keys: Vec<String> = present()
            .flat_map(|v| v.as_object().unwrap().keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        let fields = keys
            .iter()
            .map(|k| {
                let sub: Vec<Option<serde_json::Value>> = cells
                    .iter()
                    .map(|c| c.as_ref().and_then(|v| v.get(k)).cloned())
                    .map(|v| v.filter(|v| !v.is_null()))
                    .collect();
                (k.clone(), nested_column(&sub))
            })
            .collect();
        return Column::Struct {
            rows: cells.len(),
            valid: Some(cells.iter().map(Option::is_some).collect()),
            fields,
        };
    }
    let records_list = |v: &serde_json::Value| {
        v.as_array()
            .is_some_and(|a| a.iter().all(|x| x.is_object()))
    };
    if has_some && present().all(records_list) {
        let mut offsets = vec![0];
        let mut items = Vec::new();
        for c in cells {
            if let Some(v) = c {
                items.extend(v.as_array().unwrap().iter().cloned().map(Some));
            }
            offsets.push(items.len());
        }
        let items = if items.is_empty() {
            Column::Struct {
                rows: 0,
                valid: None,
                fields: Vec::new(),
            }
        } else {
            nested_column(&items)
        };
        return Column::List {
            offsets,
            valid: Some(cells.iter().map(Option::is_some).collect()),
            items: Box::new(items),
        };
    }
    typed_column(cells.to_vec())
}

/// The same corpus with each top-level field one column as Arrow types it (records as
/// struct columns, lists of records as list columns of structs), the cases of one entity and
/// date the rows of one batch: rows decoded over the previous row's record, whatever its
/// shape (a record or list item present in one row, absent or shorter in the next), get the
/// full evaluation's answers and errors.
#[test]
fn conformance_corpus_through_nested_columns_matches_the_full_evaluation() {
    let engine = Engine::embedded().unwrap();
    let groups = corpus_by_entity_and_date();
    let (mut rows_seen, mut structs) = (0, 0);
    for ((entity, day), records) in &groups {
        let as_of = Date::parse(day).unwrap();
        let mut keys: Vec<String> = records
            .iter()
            .flat_map(|r| r.as_object().unwrap().keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        let mut batch = ColumnBatch::new(records.len());
        for k in &keys {
            let cells: Vec<Option<serde_json::Value>> = records
                .iter()
                .map(|r| r.get(k).cloned().filter(|v| !v.is_null()))
                .collect();
            let col = nested_column(&cells);
            if matches!(col, Column::Struct { .. } | Column::List { .. }) {
                structs += 1;
            }
            batch.push(k.as_str(), col);
        }
        let res = engine
            .evaluate_columns(entity, &batch, as_of)
            .unwrap_or_else(|e| panic!("{entity} at {day}: {e:?}"));
        for (row, record) in records.iter().enumerate() {
            let full = engine.evaluate(entity, record, as_of).unwrap();
            for (k, name) in res.names.iter().enumerate() {
                let d = full.decision(name).unwrap();
                let at = format!("{entity} at {day}, row {row}, {name}: {record}");
                assert_eq!(res.outcomes[k][row], d.outcome(), "{at}");
                assert_eq!(res.values[k][row].as_ref(), d.value(), "{at}");
            }
            let mut want: Vec<(&str, &str)> = full
                .errors()
                .iter()
                .map(|e| (e.field.as_str(), e.code.as_str()))
                .collect();
            let mut got: Vec<(&str, &str)> = res
                .errors
                .iter()
                .filter(|(r, _)| *r == row)
                .map(|(_, e)| (e.field.as_str(), e.code.as_str()))
                .collect();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{entity} at {day}, row {row}: {record}");
            rows_seen += 1;
        }
    }
    assert!(rows_seen >= 250, "{rows_seen} records");
    assert!(structs >= 10, "{structs} struct or list columns");
}
