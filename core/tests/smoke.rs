#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
use htx_rules::{Date, Engine};

#[test]
fn embedded_pack_loads() {
    let e = match Engine::embedded() {
        Ok(e) => e,
        Err(err) => {
            for d in err.diagnostics() {
                eprintln!("{d}");
            }
            panic!("{err}");
        }
    };
    let r = e
        .evaluate(
            "cooperative",
            &serde_json::json!({"id":"x","kind":"htx","workers":{"total":40,"female":31},"managers":[{"role":"board_chair","gender":"female"}],"established_on":"2024-03-15","members":{"total":6}}),
            Date::parse("2025-06-30").unwrap(),
        )
        .unwrap();
    println!("{}", serde_json::to_string_pretty(&r.to_json()).unwrap());
}
