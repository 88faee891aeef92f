//! Full set of cooperative decisions: from decoded facts, from JSON text (straight into slots,
//! and through a `serde_json::Value` tree as callers holding a `Value` do), and a hand-written
//! Rust function computing the same decisions (the baseline). Run: `cargo bench -p htx-rules`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use htx_rules::{Date, Engine, Options};
use rust_decimal::Decimal;

/// The record timed (also what `examples/profile_eval.rs` profiles, given its path).
const COOP: &str = include_str!("cooperative.json");

/// The same decisions written by hand: what the engine is measured against.
mod baseline {
    use super::*;

    pub struct Manager {
        pub role: &'static str,
        pub female: bool,
    }
    pub struct Coop {
        pub kind: &'static str,
        pub established_on: Date,
        pub members_total: i64,
        pub workers_total: i64,
        pub workers_female: i64,
        pub managers: Vec<Manager>,
        pub sectors: Vec<&'static str>,
        pub flags: [bool; 5],
        pub locality: [bool; 2],
    }
    #[derive(Debug)]
    #[allow(dead_code, reason = "read through black_box only")]
    pub struct Out {
        pub women_managed: bool,
        pub share: Option<Decimal>,
        pub many: Option<bool>,
        pub new: Option<bool>,
        pub priority: bool,
        pub sector: bool,
        pub locality: bool,
        pub minimum: bool,
    }
    const ROLES: [&str; 6] = [
        "board_chair",
        "board_member",
        "general_director",
        "director",
        "supervisory_board_member",
        "supervisor",
    ];
    const SECTORS: [&str; 9] = [
        "agriculture",
        "livestock",
        "crops",
        "handicraft",
        "weaving",
        "garment",
        "processing",
        "ocop",
        "community_tourism",
    ];

    pub fn decide(c: &Coop, as_of: Date) -> Out {
        let p1_end = Date::from_ymd(2025, 12, 31).unwrap();
        let phase1 = as_of <= p1_end;
        let threshold = if phase1 {
            Decimal::new(6, 1)
        } else {
            Decimal::new(7, 1)
        };
        let women_managed = c.managers.iter().any(|m| {
            m.female && (ROLES.contains(&m.role) || (m.role == "group_leader" && c.kind == "tht"))
        });
        let share = if c.workers_total > 0 {
            Decimal::from(c.workers_female).checked_div(Decimal::from(c.workers_total))
        } else {
            None
        };
        let many = share.map(|s| s > threshold);
        let (from, to) = if phase1 {
            (Date::from_ymd(2023, 1, 1).unwrap(), p1_end)
        } else {
            (
                Date::from_ymd(2026, 1, 1).unwrap(),
                Date::from_ymd(2030, 12, 31).unwrap(),
            )
        };
        let new =
            many.map(|m| m && women_managed && c.established_on >= from && c.established_on <= to);
        let min = if c.established_on < Date::from_ymd(2024, 7, 1).unwrap() {
            7
        } else {
            5
        };
        Out {
            women_managed,
            share,
            many,
            new,
            priority: c.flags.iter().any(|f| *f),
            sector: c.sectors.iter().any(|s| SECTORS.contains(s)),
            locality: c.locality.iter().any(|f| *f),
            minimum: c.members_total >= min,
        }
    }
}

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let json: serde_json::Value = serde_json::from_str(COOP).unwrap();
    let (record, _) = engine.decode("cooperative", &json, as_of).unwrap();
    let hand = baseline::Coop {
        kind: "htx",
        established_on: Date::parse("2024-03-15").unwrap(),
        members_total: 12,
        workers_total: 40,
        workers_female: 31,
        managers: vec![
            baseline::Manager {
                role: "board_chair",
                female: true,
            },
            baseline::Manager {
                role: "director",
                female: false,
            },
        ],
        sectors: vec!["handicraft", "ocop"],
        flags: [true, false, true, false, false],
        locality: [false, true],
    };
    let mut g = c.benchmark_group("cooperative");
    g.throughput(Throughput::Elements(1));
    g.bench_function("baseline_hand_written", |b| {
        b.iter(|| black_box(baseline::decide(black_box(&hand), as_of)))
    });
    g.bench_function("engine_decoded_facts", |b| {
        b.iter(|| {
            black_box(
                engine
                    .evaluate_decoded("cooperative", black_box(&record), as_of)
                    .unwrap()
                    .decisions()
                    .count(),
            )
        })
    });
    // the same answers without reasons (what the hand-written function computes)
    let mut out = Vec::new();
    g.bench_function("engine_decoded_outcomes", |b| {
        b.iter(|| {
            engine
                .evaluate_decoded_outcomes("cooperative", black_box(&record), as_of, &mut out)
                .unwrap();
            black_box(out.len())
        })
    });
    g.bench_function("engine_from_json_text", |b| {
        b.iter(|| {
            black_box(
                engine
                    .evaluate_json(
                        "cooperative",
                        black_box(COOP.as_bytes()),
                        as_of,
                        Options::default(),
                    )
                    .unwrap()
                    .decisions()
                    .count(),
            )
        })
    });
    g.bench_function("engine_from_json_text_via_value_tree", |b| {
        b.iter(|| {
            let v: serde_json::Value = serde_json::from_str(black_box(COOP)).unwrap();
            black_box(
                engine
                    .evaluate("cooperative", &v, as_of)
                    .unwrap()
                    .decisions()
                    .count(),
            )
        })
    });
    g.bench_function("engine_json_text_to_contract_json", |b| {
        b.iter(|| {
            black_box(
                serde_json::to_string(
                    &engine
                        .evaluate_json(
                            "cooperative",
                            black_box(COOP.as_bytes()),
                            as_of,
                            Options::default(),
                        )
                        .unwrap(),
                )
                .unwrap()
                .len(),
            )
        })
    });
    g.finish();
}

/// The report's outputs for people against computing the report itself, on the bundled sample
/// registry (860 rows): what rendering adds. Run with `cargo bench -p htx-rules -- report`.
fn report(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2026-11-27").unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/data/sample-registry.json"
    );
    let registry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let report = engine.report(&registry, as_of).unwrap();
    let mut g = c.benchmark_group("report");
    g.sample_size(20);
    g.bench_function("compute_sample_registry", |b| {
        b.iter(|| {
            black_box(
                engine
                    .report(black_box(&registry), as_of)
                    .unwrap()
                    .periods
                    .len(),
            )
        })
    });
    g.bench_function("to_json_string", |b| {
        b.iter(|| black_box(serde_json::to_string(&report.to_json()).unwrap().len()))
    });
    g.bench_function("to_table", |b| {
        b.iter(|| black_box(report.to_table(htx_rules::Lang::Vi).len()))
    });
    g.bench_function("to_html", |b| {
        b.iter(|| black_box(report.to_html(htx_rules::Lang::Vi).len()))
    });
    g.finish();
}

criterion_group!(benches, bench, report);
criterion_main!(benches);
