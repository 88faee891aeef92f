#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The checker's indicators phase: each mistake of `tests/packs/broken-indicators` is found,
//! with its own code, at the line and column of what is wrong (the snapshot in `snapshots.rs`
//! pins the messages).

use std::path::Path;

use htx_rules::Engine;

#[test]
fn every_indicator_mistake_is_found_where_it_is() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/packs/broken-indicators");
    let err = Engine::from_dir(&dir).unwrap_err();
    let found: Vec<(String, usize, usize)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.code.clone(), d.line, d.column))
        .collect();
    let want = [
        ("registry.collection", 11, 10),
        ("indicator.collection", 16, 14),
        ("expr.unknown_field", 27, 11),
        ("indicator.aggregate", 35, 13),
        ("expr.type", 45, 9),
        ("expr.unknown_param", 54, 17),
        ("indicator.target", 63, 10),
        ("indicator.compare", 73, 11),
        ("lint.threshold_wording", 83, 8),
        ("disclosure.policy", 86, 8),
        ("expr.unknown_period", 98, 6),
        ("indicator.aggregate", 109, 12),
        ("expr.type", 119, 10),
        ("expr.unknown_rule", 129, 16),
    ];
    let want: Vec<(String, usize, usize)> = want
        .iter()
        .map(|(c, l, k)| (c.to_string(), *l, *k))
        .collect();
    assert_eq!(found, want);
    assert!(err
        .diagnostics()
        .iter()
        .all(|d| d.file.ends_with("broken-indicators/registry.toml")));
}
