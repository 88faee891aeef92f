//! Replays every input in `tests/fuzz-crashers/`: each once crashed something (or is a hostile
//! input kept as a regression case); none may again. `facts/` files go to every entity as JSON
//! text, through the JSON readers and as a `Value`; `csv/` files through the CSV reader.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use htx_rules::read::Format;
use htx_rules::{Date, Engine, Options};

fn dir(kind: &str) -> Vec<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fuzz-crashers")
        .join(kind);
    let mut v: Vec<_> = std::fs::read_dir(d)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// As the `pack` fuzz target: the text is a rule file; when it has a line `#facts`, what
/// follows is JSON facts the pack (if it loads) is evaluated on, every entity.
#[test]
fn pack_inputs_give_diagnostics_not_crashes() {
    let files = dir("pack");
    assert!(!files.is_empty());
    let as_of = Date::parse("2025-06-30").unwrap();
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).to_string();
        let _ = htx_rules::expr::syntax::parse(&text);
        let (rules, facts) = match text.split_once("\n#facts\n") {
            Some((r, f)) => (r.to_string(), serde_json::from_str(f).unwrap()),
            None => (text.clone(), serde_json::json!({})),
        };
        let mut src = BTreeMap::new();
        src.insert(
            "p/pack.toml".to_string(),
            "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string(),
        );
        src.insert("p/rules.toml".to_string(), rules);
        match Engine::from_sources(&src, "p") {
            Err(e) => assert!(
                !e.diagnostics().is_empty(),
                "{}: an error without diagnostics",
                f.display()
            ),
            Ok(engine) => {
                for entity in engine.entities() {
                    if let Ok(ev) = engine.evaluate(entity, &facts, as_of) {
                        for (_, d) in ev.decisions() {
                            assert!(!d.reasons().is_empty(), "{}", f.display());
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn facts_inputs_are_answered() {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let files = dir("facts");
    assert!(!files.is_empty());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for entity in engine.entities() {
            // as JSON text, through the decoder and the readers (what the fuzz target does)
            for o in [Options::default(), Options::strict()] {
                let _ = engine.evaluate_json(entity, &bytes, as_of, o);
                let _ = engine.validate_json(entity, &bytes, as_of, o);
            }
            for format in [Format::Json, Format::JsonLines] {
                let mut r = engine.batch(entity, Options::default()).unwrap().reader(
                    &bytes[..],
                    format,
                    "f",
                );
                while let Some(item) = r.next() {
                    if let Ok((_, d)) = item {
                        let _ = r.batch().evaluate(d, as_of);
                    }
                }
            }
        }
        // serde_json has its own recursion limit: too-deep JSON is an input error, not a crash
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            continue;
        };
        for entity in engine.entities() {
            let _ = engine.evaluate(entity, &v, as_of);
            let _ = engine.validate(entity, &v, as_of);
        }
    }
}

#[test]
fn csv_inputs_are_read_to_the_end() {
    let engine = Engine::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let files = dir("csv");
    assert!(!files.is_empty());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for entity in engine.entities() {
            for o in [Options::default(), Options::strict()] {
                let mut r =
                    engine
                        .batch(entity, o)
                        .unwrap()
                        .reader(&bytes[..], Format::Csv, "f.csv");
                let _ = r.header_notes();
                let mut n = 0;
                while let Some(item) = r.next() {
                    n += 1;
                    assert!(
                        n <= bytes.len() + 1,
                        "{}: more records than bytes",
                        f.display()
                    );
                    if let Ok((_, d)) = item {
                        let _ = r.batch().validate(d.clone(), as_of);
                        let _ = r.batch().evaluate(d, as_of);
                    }
                }
            }
        }
    }
}
