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
