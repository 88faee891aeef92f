//! How `check` scales with the number of rules: `check_scaling [N …]` (default 10000 40000
//! 100000) builds a pack whose N rules form a chain (r0 refers to r1 … r(N-1), the shape that
//! used to overflow the stack), checks it on a 2 MiB thread (a worker's default stack) with
//! the volume caps raised out of the way, and prints the time per size and per rule. A
//! linear checker keeps the per-rule time about level; the ratios are against the first size,
//! measured in the same run. It also times evaluating `{}` (every rule unknown, each passing
//! its missing facts on through `rule.NAME`). `scripts/bench-check.sh` runs it with the peak memory of each size.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::time::Instant;

use htx_rules::limits::PackLimits;
use htx_rules::pack::source::MemoryLoader;
use htx_rules::Engine;

/// The same pack as `scripts/gen-chain-pack.py`.
fn chain(n: usize) -> MemoryLoader {
    let mut files = BTreeMap::new();
    files.insert(
        "chain/pack.toml".to_string(),
        "[pack]\nid = \"chain\"\nversion = \"1\"\ndocument = \"chain\"\n\n[[entity]]\nname = \"e\"\nfields = [{ name = \"ok\", type = \"bool\" }]\n".to_string(),
    );
    let mut rules = String::new();
    for i in 0..n {
        let when = if i + 1 < n {
            format!("rule.r{} or ok", i + 1)
        } else {
            "ok".to_string()
        };
        rules.push_str(&format!(
            "[[rule]]\nname = \"r{i}\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"{when}\"\ncite = {{ document = \"chain\", section = \"1\" }}\n\n"
        ));
    }
    files.insert("chain/rules.toml".to_string(), rules);
    MemoryLoader { files }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|s| s.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 40_000, 100_000]
    } else {
        sizes
    };
    let unlimited = PackLimits {
        file_bytes: u64::MAX,
        total_bytes: u64::MAX,
        rules: usize::MAX,
        ..PackLimits::DEFAULT
    };
    let mut first: Option<f64> = None;
    for n in sizes {
        let loader = chain(n);
        let (secs, eval) = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let t = Instant::now();
                let engine = Engine::from_loader_limited(&loader, "chain", &unlimited).unwrap();
                let secs = t.elapsed().as_secs_f64();
                assert_eq!(engine.decision_names("e").unwrap().len(), n);
                // every rule unknown: each `rule.NAME` passes on what its rule missed
                let t = Instant::now();
                let as_of = htx_rules::Date::parse("2025-01-01").unwrap();
                let ev = engine.evaluate("e", &serde_json::json!({}), as_of).unwrap();
                assert_eq!(ev.decision("r0").unwrap().missing(), ["/ok"]);
                (secs, t.elapsed().as_secs_f64())
            })
            .unwrap()
            .join()
            .unwrap();
        let per_rule = secs / n as f64;
        let ratio = per_rule / *first.get_or_insert(per_rule);
        println!(
            "{n:>7} rules: check {secs:7.3} s, {:6.2} µs per rule, {ratio:4.2}x the first size's per-rule time; evaluating a record with every rule unknown {eval:6.3} s",
            per_rule * 1e6
        );
    }
}
