//! `Engine::evaluate_decoded_outcomes` (answers without reasons) gives exactly the outcomes
//! and values of `Engine::evaluate_decoded`, on every record of the conformance corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use htx_rules::{Date, Engine};
use serde_json::Value;

#[test]
fn outcomes_match_full_evaluations_on_the_corpus() {
    let engine = Engine::embedded().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/conformance");
    let mut compared = 0;
    let mut out = Vec::new();
    for file in ["ben-tre-2747.json", "facts-reading.json"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
        for case in &cases {
            let (Some(entity), Some(as_of)) = (case["entity"].as_str(), case["as_of"].as_str())
            else {
                continue;
            };
            let Some(as_of) = Date::parse(as_of) else {
                continue;
            };
            let records: Vec<&Value> = match (&case["record"], &case["records"]) {
                (Value::Object(_), _) => vec![&case["record"]],
                (_, Value::Array(rs)) => rs.iter().collect(),
                _ => continue,
            };
            for rec in records {
                let Ok((record, _)) = engine.decode(entity, rec, as_of) else {
                    continue;
                };
                let full = engine.evaluate_decoded(entity, &record, as_of).unwrap();
                engine
                    .evaluate_decoded_outcomes(entity, &record, as_of, &mut out)
                    .unwrap();
                let names = engine.decision_names(entity).unwrap();
                assert_eq!(out.len(), names.len(), "{}", case["name"]);
                for (name, (outcome, value)) in names.iter().zip(&out) {
                    let d = full.decision(name).unwrap();
                    assert_eq!(d.outcome(), *outcome, "{} / {name}", case["name"]);
                    assert_eq!(d.value(), value.as_ref(), "{} / {name}", case["name"]);
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 50, "only {compared} records compared");
}
