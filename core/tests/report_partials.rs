#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Partial reports merge into exactly the whole's report (counts and sums add, distinct values
//! unite), survive a serde round trip, and count a duplicate id once — also when the two copies
//! fall into different partials.

use std::path::{Path, PathBuf};

use htx_rules::report::ReportPartial;
use htx_rules::{Date, Engine};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sample() -> Value {
    let text = std::fs::read_to_string(repo().join("cli/data/sample-registry.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

const COLLECTIONS: [&str; 3] = ["cooperatives", "union_officials", "persons"];

/// Every row of the sample, in registry order, with its collection.
fn rows(reg: &Value) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    for c in COLLECTIONS {
        for r in reg[c].as_array().unwrap() {
            out.push((c, r.clone()));
        }
    }
    out
}

fn partial(engine: &Engine, as_of: Date, rows: &[(&'static str, Value)]) -> ReportPartial {
    let mut b = engine.report_builder(as_of).unwrap();
    for (c, r) in rows {
        b.add(c, r).unwrap();
    }
    // shipped as JSON, as a cluster would
    let json = serde_json::to_string(&b.into_partial()).unwrap();
    serde_json::from_str(&json).unwrap()
}

/// The report's figures: each period's indicators with value, target, status, shortfall,
/// unknown and groups.
fn figures(r: &htx_rules::report::Report) -> Value {
    let v = serde_json::to_value(r).unwrap();
    let mut out = Vec::new();
    for p in v["phases"].as_array().unwrap() {
        for i in p["indicators"].as_array().unwrap() {
            out.push(serde_json::json!([
                p["group"],
                p["phase"],
                i["id"],
                i["value"],
                i["target"],
                i["status"],
                i["shortfall"],
                i["unknown"],
                i["groups"]
            ]));
        }
    }
    Value::Array(out)
}

#[test]
fn halves_merge_into_the_whole() {
    let engine = Engine::embedded().unwrap();
    let reg = sample();
    let all = rows(&reg);
    for as_of in ["2025-12-31", "2026-11-27", "2031-01-01"] {
        let as_of = Date::parse(as_of).unwrap();
        let whole = engine.report(&reg, as_of).unwrap();
        // cut points spread over the registry, including inside each collection
        let mut seed = 2747u64;
        for parts in [2usize, 3, 5] {
            let mut cuts: Vec<usize> = (1..parts)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) as usize % all.len()
                })
                .collect();
            cuts.sort_unstable();
            let mut bounds = vec![0];
            bounds.extend(cuts);
            bounds.push(all.len());
            let mut b = engine.report_builder(as_of).unwrap();
            for key in ["province", "synthetic", "note"] {
                b.set_meta(key, &reg[key]);
            }
            for w in bounds.windows(2) {
                b.merge(partial(&engine, as_of, &all[w[0]..w[1]])).unwrap();
            }
            let merged = b.finish();
            assert_eq!(
                figures(&merged),
                figures(&whole),
                "{parts} parts at {as_of}"
            );
            assert_eq!(
                serde_json::to_value(&merged.registry).unwrap(),
                serde_json::to_value(&whole.registry).unwrap()
            );
        }
    }
}

#[test]
fn a_duplicate_id_counts_once_in_one_pass_and_across_partials() {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2026-11-27").unwrap();
    let reg = sample();
    let whole = engine.report(&reg, as_of).unwrap();
    // every row twice, one pass: the same figures, one error per duplicate
    let mut twice = reg.clone();
    for c in COLLECTIONS {
        let rows = reg[c].as_array().unwrap();
        twice[c] = Value::Array(rows.iter().chain(rows.iter()).cloned().collect());
    }
    let doubled = engine.report(&twice, as_of).unwrap();
    assert_eq!(figures(&doubled), figures(&whole));
    let dups = doubled
        .record_errors
        .iter()
        .filter(|e| e.errors.iter().any(|f| f.code == "registry.duplicate"))
        .count();
    let n: usize = COLLECTIONS
        .iter()
        .map(|c| reg[*c].as_array().unwrap().len())
        .sum();
    assert_eq!(dups, n);
    assert_eq!(doubled.registry.collections[0].rows, 640);
    // the registry and its copy in two partials, merged
    let all = rows(&reg);
    let mut b = engine.report_builder(as_of).unwrap();
    b.merge(partial(&engine, as_of, &all)).unwrap();
    b.merge(partial(&engine, as_of, &all)).unwrap();
    let merged = b.finish();
    assert_eq!(figures(&merged), figures(&whole));
    let dups = merged
        .record_errors
        .iter()
        .filter(|e| e.errors.iter().any(|f| f.code == "registry.duplicate"))
        .count();
    assert_eq!(dups, n);
}

#[test]
fn partials_of_another_date_do_not_merge() {
    let engine = Engine::embedded().unwrap();
    let mut a = engine
        .report_builder(Date::parse("2025-12-31").unwrap())
        .unwrap();
    let b = engine
        .report_builder(Date::parse("2026-11-27").unwrap())
        .unwrap();
    let err = a.merge(b.into_partial()).unwrap_err();
    assert_eq!(err.code(), "registry.merge");
}
