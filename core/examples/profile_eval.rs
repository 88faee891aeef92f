//! Evaluates one cooperative many times, for profilers (`valgrind --tool=callgrind`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
use htx_rules::{Date, Engine};

fn main() {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/cooperative.json"
    ))
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (record, _) = engine.decode("cooperative", &json, as_of).unwrap();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut yes = 0;
    for _ in 0..n {
        let ev = engine
            .evaluate_decoded("cooperative", &record, as_of)
            .unwrap();
        yes += ev
            .decisions()
            .filter(|(_, d)| d.outcome() == htx_rules::Outcome::Yes)
            .count();
    }
    println!("{yes}");
}
