//! Times loading the embedded pack (TOML parse, check, compile): `load_time [N]`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let t = std::time::Instant::now();
    for _ in 0..n {
        let e = htx_rules::Engine::embedded().unwrap();
        assert!(!e.entities().is_empty());
    }
    println!(
        "{:.2} ms per load",
        t.elapsed().as_secs_f64() * 1000.0 / f64::from(n)
    );
}
