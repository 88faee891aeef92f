//! The eight cooperative decisions timed in htx-rules and in zen-engine 2.1.6, from the same
//! JSON, in one run; ratios printed at the end. First checks that both give the same answers.
//!
//! `cargo bench --manifest-path benches/peers/Cargo.toml`
//!
//! - `from_json_text`: JSON text → the eight answers. htx-rules: `serde_json::Value`, then
//!   `Engine::evaluate`; zen: `serde_json` straight into zen's `Variable`, then the graph (or the
//!   bare expressions).
//! - `from_decoded_facts`: facts already decoded. htx-rules: `Engine::decode` once, then
//!   `evaluate_decoded`; zen: the parsed `Variable` (a reference-counted clone per call), then
//!   the graph (or the bare expressions).
//!
//! zen is timed two ways: `zen_graph`, the decision graph users deploy (compiled: the
//! expressions' bytecode cached), run on a current-thread tokio runtime (`block_on` of a future
//! that never waits: a few tens of nanoseconds); and `zen_expressions`, the same expressions run
//! by `zen-expression` alone in a reused `Isolate`, zen's fastest path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput};
use htx_rules::{Date, Engine, Outcome};
use htx_rules_peers::{disagreements, ZenExpressions, ZenGraph, AS_OF, COOP};
use zen_expression::Variable;

const GROUPS: [&str; 2] = ["from_json_text", "from_decoded_facts"];
const ENGINES: [&str; 3] = ["htx_rules", "zen_graph", "zen_expressions"];

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse(AS_OF).unwrap();
    let graph = ZenGraph::new();
    let mut exprs = ZenExpressions::new();

    let mut g = c.benchmark_group("from_json_text");
    g.throughput(Throughput::Elements(1));
    g.bench_function("htx_rules", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_str(black_box(COOP)).unwrap();
            let ev = engine.evaluate("cooperative", &v, as_of).unwrap();
            black_box(
                ev.decisions()
                    .filter(|(_, d)| d.outcome() == Outcome::Yes)
                    .count(),
            )
        })
    });
    g.bench_function("zen_graph", |b| {
        b.iter(|| {
            let v: Variable = serde_json::from_str(black_box(COOP)).unwrap();
            black_box(graph.evaluate(v))
        })
    });
    g.bench_function("zen_expressions", |b| {
        b.iter(|| {
            let v: Variable = serde_json::from_str(black_box(COOP)).unwrap();
            black_box(exprs.evaluate(v))
        })
    });
    g.finish();

    let json: serde_json::Value = serde_json::from_str(COOP).unwrap();
    let (record, errors) = engine.decode("cooperative", &json, as_of).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let variable: Variable = serde_json::from_str(COOP).unwrap();
    let mut g = c.benchmark_group("from_decoded_facts");
    g.throughput(Throughput::Elements(1));
    g.bench_function("htx_rules", |b| {
        b.iter(|| {
            let ev = engine
                .evaluate_decoded("cooperative", black_box(&record), as_of)
                .unwrap();
            black_box(
                ev.decisions()
                    .filter(|(_, d)| d.outcome() == Outcome::Yes)
                    .count(),
            )
        })
    });
    g.bench_function("zen_graph", |b| {
        b.iter(|| black_box(graph.evaluate(black_box(&variable).clone())))
    });
    g.bench_function("zen_expressions", |b| {
        b.iter(|| black_box(exprs.evaluate(black_box(&variable).clone())))
    });
    g.finish();
}

/// Criterion's folder (as criterion finds it: `CARGO_TARGET_DIR`, else this crate's `target/`).
fn criterion_dir() -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
                .join("criterion")
        })
}

/// The mean time (ns) criterion recorded for `group/id` in this run, if it ran.
fn mean_ns(group: &str, id: &str) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

fn print_ratios() {
    println!("\nzen-engine 2.1.6 time / htx-rules time (mean; higher means htx-rules is faster):");
    for group in GROUPS {
        let Some(ours) = mean_ns(group, ENGINES[0]) else {
            continue;
        };
        let mut line = format!("  {group:<20} htx_rules {:>8.0} ns", ours);
        for zen in &ENGINES[1..] {
            if let Some(t) = mean_ns(group, zen) {
                line.push_str(&format!("   {zen} {t:>8.0} ns = x{:.1}", t / ours));
            }
        }
        println!("{line}");
    }
}

fn main() {
    // the same answers first: a benchmark of different computations would mean nothing
    let d = disagreements();
    assert!(
        d.is_empty(),
        "zen and htx-rules disagree:\n{}",
        d.join("\n")
    );
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    print_ratios();
}
