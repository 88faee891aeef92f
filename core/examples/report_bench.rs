//! The progress report at national size, timed beside a baseline in the same run:
//!
//! ```text
//! python3 scripts/gen-big-registry.py target/big-registry      # 1,000,000 persons, 100,000 cooperatives
//! cargo run --release -p htx-rules --example report_bench -- target/big-registry [THREADS]
//! /usr/bin/time -v target/release/htx-rules report target/big-registry --format json -o /dev/null   # peak memory
//! ```
//!
//! Baseline: reading every JSON Lines row of the folder into a `serde_json::Value` (no schema,
//! no rules) on one thread — the least any JSON reader does. Then the report with 1 thread and
//! with THREADS (default: the machine's cores). Wall time and this process's CPU time (Linux:
//! `/proc/self/stat`), so a busy machine shows in the difference.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::BufRead;
use std::time::Instant;

use htx_rules::{Date, Engine};

/// User + system CPU seconds of this process so far (0 where /proc is not there).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // fields 14 and 15 of the file (utime, stime, in ticks of 1/100 s) come 11th and 12th
    // after the name, counting the state (field 3) as the first
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (c, t) = (cpu(), Instant::now());
    let out = f();
    (out, t.elapsed().as_secs_f64(), cpu() - c)
}

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/big-registry".into()),
    );
    let threads: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2026-11-27").unwrap();
    let (rows, base_wall, base_cpu) = timed(|| {
        let mut n = 0u64;
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "jsonl") {
                let f = std::io::BufReader::new(std::fs::File::open(e.path()).unwrap());
                for line in f.split(b'\n') {
                    let v: serde_json::Value = serde_json::from_slice(&line.unwrap()).unwrap();
                    n += u64::from(v.is_object());
                }
            }
        }
        n
    });
    println!("{rows} rows in {}", dir.display());
    println!("baseline (parse every row to a JSON value, 1 thread): {base_wall:.2} s wall, {base_cpu:.2} s CPU");
    for t in [1, threads] {
        let (report, wall, cpu) = timed(|| {
            let mut b = engine.report_builder(as_of).unwrap();
            b.threads(t);
            b.read_path(&dir).unwrap();
            b.finish()
        });
        let read: u64 = report.registry.collections.iter().map(|c| c.rows).sum();
        assert_eq!(read, rows);
        println!(
            "report, {t} thread(s): {wall:.2} s wall ({:.2}x baseline), {cpu:.2} s CPU ({:.2}x baseline CPU), {:.0} rows/s",
            wall / base_wall,
            cpu / base_cpu,
            rows as f64 / wall
        );
    }
}
