//! A columnar batch like the Python benchmark's, for profilers: `profile_columns [ROWS]`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]
use htx_rules::{Column, ColumnBatch, Date, Engine};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let mut b = ColumnBatch::new(n);
    let kinds = ["htx", "tht", "union"];
    b.push(
        "id",
        Column::Text((0..n).map(|i| Some(format!("BT-{i}"))).collect()),
    );
    b.push(
        "kind",
        Column::Text((0..n).map(|i| Some(kinds[i % 3].to_string())).collect()),
    );
    b.push(
        "established_on",
        Column::Date(
            (0..n)
                .map(|i| Some(Date::from_unix_days(17_000 + (i as i64 * 7) % 3_200)))
                .collect(),
        ),
    );
    b.push(
        "members.total",
        Column::Int((0..n).map(|i| Some(2 + (i as i64 % 50))).collect()),
    );
    b.push(
        "members.female",
        Column::Int((0..n).map(|i| Some(i as i64 % 2)).collect()),
    );
    b.push(
        "workers.total",
        Column::Int((0..n).map(|i| Some(1 + (i as i64 % 199))).collect()),
    );
    b.push(
        "workers.female",
        Column::Int(
            (0..n)
                .map(|i| {
                    if i % 20 == 0 {
                        None
                    } else {
                        Some(i as i64 % 100 / 2)
                    }
                })
                .collect(),
        ),
    );
    for f in ["value_chain", "processing_technology", "traditional_craft"] {
        b.push(f, Column::Bool((0..n).map(|i| Some(i % 3 == 0)).collect()));
    }
    // managers as Arrow lays out list<struct>: one item per row
    let roles = (0..n)
        .map(|i| {
            Some(
                if i % 3 == 1 {
                    "group_leader"
                } else {
                    "director"
                }
                .to_string(),
            )
        })
        .collect();
    let genders = (0..n)
        .map(|i| Some(if i % 2 == 0 { "female" } else { "male" }.to_string()))
        .collect();
    let trained = (0..n).map(|_| Some(true)).collect();
    b.push(
        "managers",
        Column::List {
            offsets: (0..=n).collect(),
            valid: None,
            items: Box::new(Column::Struct {
                rows: n,
                valid: None,
                fields: vec![
                    ("role".into(), Column::Text(roles)),
                    ("gender".into(), Column::Text(genders)),
                    ("trained".into(), Column::Bool(trained)),
                ],
            }),
        },
    );
    let t = std::time::Instant::now();
    let r = engine.evaluate_columns("cooperative", &b, as_of).unwrap();
    let el = t.elapsed();
    println!(
        "{} rows, {} decisions, {:.0} ns/row",
        n,
        r.names.len(),
        el.as_nanos() as f64 / n as f64
    );
}
