//! Loading the embedded pack: parsing and checking its TOML files (`Engine::embedded`, the
//! baseline) against reading the compact form compiled at build time
//! (`Engine::from_compiled_bytes`, what the browser's module does at start-up; issue 11.6).
//!
//! `cargo bench -p htx-rules --features compiled --bench pack_load`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use htx_rules::Engine;

fn bench(c: &mut Criterion) {
    let bytes = Engine::embedded().unwrap().to_compiled_bytes().unwrap();
    let mut g = c.benchmark_group("pack_load");
    g.bench_function("toml_parse_and_check", |b| {
        b.iter(|| black_box(Engine::embedded().unwrap()))
    });
    g.bench_function("from_compiled_bytes", |b| {
        b.iter(|| black_box(Engine::from_compiled_bytes(black_box(&bytes)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
