//! Evaluates one cooperative many times, for profilers (`valgrind --tool=callgrind`):
//! `profile_eval N` (decisions only), `profile_eval N json` (also the contract's JSON text), or
//! `profile_eval N text` (from the record's JSON text, decoded every time), `profile_eval N
//! batch` (the same through a `Batch`, as the command line's workers do), `profile_eval N
//! outcomes` (answers without reasons, `Engine::evaluate_decoded_outcomes`), `profile_eval N
//! value` (from a parsed `serde_json::Value`, `Engine::evaluate`: Python's `evaluate()`); a third argument
//! names another record file (`profile_eval N decoded core/benches/cooperative.json` profiles
//! the record `cargo bench -p htx-rules` times).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
use htx_rules::{Date, Engine, Evaluation, Outcome};

fn main() {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let path = std::env::args().nth(3).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/cooperative.json").to_string()
    });
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (record, _) = engine.decode("cooperative", &json, as_of).unwrap();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let to_json = std::env::args().nth(2).is_some_and(|a| a == "json");
    let from_text = std::env::args().nth(2).is_some_and(|a| a == "text");
    let text = serde_json::to_vec(&json).unwrap();
    let mut sum = 0;
    if std::env::args().nth(2).is_some_and(|a| a == "batch") {
        // from text through a batch, as the command line's workers decode and evaluate
        let mut batch = engine.batch("cooperative", Default::default()).unwrap();
        for _ in 0..n {
            let d = batch.decode_json(&text).unwrap();
            let ev = batch.evaluate(d, as_of);
            sum += yes(&ev);
        }
        println!("{sum}");
        return;
    }
    if std::env::args().nth(2).is_some_and(|a| a == "value") {
        // from a parsed `serde_json::Value`, as Python's `evaluate()` and callers holding one
        for _ in 0..n {
            let ev = engine.evaluate("cooperative", &json, as_of).unwrap();
            sum += yes(&ev);
        }
        println!("{sum}");
        return;
    }
    if std::env::args().nth(2).is_some_and(|a| a == "outcomes") {
        let mut out = Vec::new();
        for _ in 0..n {
            engine
                .evaluate_decoded_outcomes("cooperative", &record, as_of, &mut out)
                .unwrap();
            sum += out.iter().filter(|(o, _)| *o == Outcome::Yes).count();
        }
        println!("{sum}");
        return;
    }
    for _ in 0..n {
        let ev = if from_text {
            engine
                .evaluate_json("cooperative", &text, as_of, Default::default())
                .unwrap()
        } else {
            engine
                .evaluate_decoded("cooperative", &record, as_of)
                .unwrap()
        };
        sum += yes(&ev);
        if to_json {
            sum += serde_json::to_string(&ev).unwrap().len();
        }
    }
    if n == 1 {
        // one run: show what is being profiled
        let ev = engine
            .evaluate_decoded("cooperative", &record, as_of)
            .unwrap();
        for (name, d) in ev.decisions() {
            println!(
                "{name}: {:?} {:?} {:?}",
                d.outcome(),
                d.value(),
                d.missing()
            );
        }
    }
    println!("{sum}");
}

/// How many of an evaluation's decisions are `yes` (what each mode sums, so none is optimised away).
fn yes(ev: &Evaluation<'_>) -> usize {
    ev.decisions()
        .filter(|(_, d)| d.outcome() == Outcome::Yes)
        .count()
}
