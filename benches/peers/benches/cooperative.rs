//! The cooperative decisions timed in htx-rules and in zen-engine 2.1.6, from the same
//! JSON, in one run; ratios printed at the end. First checks that both give the same answers.
//!
//! `cargo bench --manifest-path benches/peers/Cargo.toml`
//!
//! - `from_json_text`: JSON text → the answers. htx-rules: `Engine::evaluate_json` (the text
//!   decoded straight into the record's slots by the schema-driven seed, as the command line and
//!   the browser do); zen: `serde_json` straight into zen's `Variable`, then the graph (or the
//!   bare expressions).
//! - `from_json_value`: a parsed `serde_json::Value` → the answers (how the issue first measured
//!   zen). htx-rules: `Engine::evaluate`; zen: `Variable::from(&Value)`, then the graph (or the
//!   bare expressions).
//! - `from_decoded_facts`: facts already decoded. htx-rules: `Engine::decode` once, then
//!   `evaluate_decoded`; zen: the parsed `Variable` (a reference-counted clone per call), then
//!   the graph (or the bare expressions).
//!
//! zen is timed two ways: `zen_graph`, the decision graph users deploy (compiled: the
//! expressions' bytecode cached), run on a current-thread tokio runtime (`block_on` of a future
//! that never waits: a few tens of nanoseconds); and `zen_expressions`, the same expressions run
//! by `zen-expression` alone in a reused `Isolate`, zen's fastest path.
//!
//! The ratios are printed twice: from criterion's means, and as the median of 301 rounds that
//! interleave short batches of both engines, which holds still when other work shares the
//! machine (criterion times one benchmark after the other, so a change of load between them
//! shows up in the ratio).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use htx_rules::{Date, Engine, Outcome};
use htx_rules_peers::{disagreements, ZenExpressions, ZenGraph, AS_OF, COOP};
use zen_expression::Variable;

const GROUPS: [&str; 3] = ["from_json_text", "from_json_value", "from_decoded_facts"];
const ENGINES: [&str; 3] = ["htx_rules", "zen_graph", "zen_expressions"];

/// Everything timed, set up once.
struct Setup {
    engine: Engine,
    as_of: Date,
    json: serde_json::Value,
    record: htx_rules::Record,
    graph: ZenGraph,
    exprs: ZenExpressions,
    variable: Variable,
}

impl Setup {
    fn new() -> Setup {
        let engine = Engine::embedded().unwrap();
        let as_of = Date::parse(AS_OF).unwrap();
        let json: serde_json::Value = serde_json::from_str(COOP).unwrap();
        let (record, errors) = engine.decode("cooperative", &json, as_of).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        Setup {
            engine,
            as_of,
            json,
            record,
            graph: ZenGraph::new(),
            exprs: ZenExpressions::new(),
            variable: serde_json::from_str(COOP).unwrap(),
        }
    }

    /// One evaluation of the decisions by `engine` (see [`ENGINES`]) in `group`.
    fn run(&mut self, group: &str, engine: &str) {
        match (group, engine) {
            ("from_json_text", "htx_rules") => {
                let ev = self
                    .engine
                    .evaluate_json(
                        "cooperative",
                        black_box(COOP).as_bytes(),
                        self.as_of,
                        Default::default(),
                    )
                    .unwrap();
                black_box(
                    ev.decisions()
                        .filter(|(_, d)| d.outcome() == Outcome::Yes)
                        .count(),
                );
            }
            ("from_json_text", "zen_graph") => {
                let v: Variable = serde_json::from_str(black_box(COOP)).unwrap();
                black_box(self.graph.evaluate(v));
            }
            ("from_json_text", "zen_expressions") => {
                let v: Variable = serde_json::from_str(black_box(COOP)).unwrap();
                black_box(self.exprs.evaluate(v));
            }
            ("from_json_value", "htx_rules") => {
                let ev = self
                    .engine
                    .evaluate("cooperative", black_box(&self.json), self.as_of)
                    .unwrap();
                black_box(
                    ev.decisions()
                        .filter(|(_, d)| d.outcome() == Outcome::Yes)
                        .count(),
                );
            }
            ("from_json_value", "zen_graph") => {
                black_box(self.graph.evaluate(Variable::from(black_box(&self.json))));
            }
            ("from_json_value", "zen_expressions") => {
                black_box(self.exprs.evaluate(Variable::from(black_box(&self.json))));
            }
            ("from_decoded_facts", "htx_rules") => {
                let ev = self
                    .engine
                    .evaluate_decoded("cooperative", black_box(&self.record), self.as_of)
                    .unwrap();
                black_box(
                    ev.decisions()
                        .filter(|(_, d)| d.outcome() == Outcome::Yes)
                        .count(),
                );
            }
            ("from_decoded_facts", "zen_graph") => {
                black_box(self.graph.evaluate(black_box(&self.variable).clone()));
            }
            ("from_decoded_facts", "zen_expressions") => {
                black_box(self.exprs.evaluate(black_box(&self.variable).clone()));
            }
            other => panic!("no benchmark {other:?}"),
        }
    }
}

fn bench(c: &mut Criterion, setup: &mut Setup) {
    for group in GROUPS {
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(1));
        for engine in ENGINES {
            g.bench_function(engine, |b| b.iter(|| setup.run(group, engine)));
        }
        g.finish();
    }
}

/// zen time / htx-rules time, robust to a machine shared with other work: short batches of
/// each, interleaved (the order alternating), the median of the per-round ratios.
fn interleaved_ratio(setup: &mut Setup, group: &str, zen: &str) -> f64 {
    let batch = |setup: &mut Setup, engine: &str, n: u32| {
        let t = Instant::now();
        for _ in 0..n {
            setup.run(group, engine);
        }
        t.elapsed().as_secs_f64()
    };
    let mut ratios: Vec<f64> = (0..301)
        .map(|round| {
            let (ours, theirs) = if round % 2 == 0 {
                let o = batch(setup, "htx_rules", 200);
                (o, batch(setup, zen, 20))
            } else {
                let z = batch(setup, zen, 20);
                (batch(setup, "htx_rules", 200), z)
            };
            (theirs / 20.0) / (ours / 200.0)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
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

fn print_ratios(setup: &mut Setup) {
    println!("\nzen-engine 2.1.6 time / htx-rules time (higher: htx-rules faster)");
    println!("  criterion means, then the median of 301 interleaved rounds:");
    for group in GROUPS {
        let ours = mean_ns(group, ENGINES[0]);
        let mut line = format!("  {group:<20}");
        if let Some(o) = ours {
            line.push_str(&format!(" htx_rules {o:>6.0} ns"));
        }
        for zen in &ENGINES[1..] {
            if let (Some(o), Some(t)) = (ours, mean_ns(group, zen)) {
                line.push_str(&format!(" | {zen} {t:>6.0} ns x{:.1}", t / o));
            }
            line.push_str(&format!(
                " (interleaved x{:.1})",
                interleaved_ratio(setup, group, zen)
            ));
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
    let mut setup = Setup::new();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &mut setup);
    c.final_summary();
    print_ratios(&mut setup);
}
