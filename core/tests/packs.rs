//! Runs every rule pack's own test cases, and keeps the conformance corpus in `tests/conformance/`
//! equal to what the engine outputs (the Python and browser runners replay the same files).
//!
//! After a deliberate change of the packs or the engine, regenerate the corpus with
//! `UPDATE_CORPUS=1 cargo test -p htx-rules --test packs` and review the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;

use htx_rules::Engine;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(engine: &Engine, what: &str) {
    let summary = engine.run_tests();
    let mut failed = Vec::new();
    for c in &summary.cases {
        if !c.failures.is_empty() {
            failed.push(format!(
                "{} ({}):\n    {}",
                c.name,
                c.location,
                c.failures.join("\n    ")
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{what}: {} of {} cases failed:\n{}",
        failed.len(),
        summary.cases.len(),
        failed.join("\n")
    );
}

/// The shipped packs load without a warning: every outcome has a wording sure to be usable,
/// no wording is unreachable, every field a rule reads has a label, every rule people see a
/// title.
fn no_warnings(engine: &Engine, what: &str) {
    let w: Vec<String> = engine.warnings().iter().map(|d| d.to_string()).collect();
    assert!(
        w.is_empty(),
        "{what}: {} warning(s):\n{}",
        w.len(),
        w.join("\n")
    );
}

#[test]
fn embedded_pack_tests_pass() {
    let engine = Engine::embedded().unwrap_or_else(|e| panic!("{e}"));
    no_warnings(&engine, "ben-tre-2747 (embedded)");
    run(&engine, "ben-tre-2747 (embedded)");
}

#[test]
fn pack_folders_load_and_their_tests_pass() {
    for dir in ["rules/ben-tre-2747", "rules/vn-law"] {
        let engine = Engine::from_dir(&root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        no_warnings(&engine, dir);
        run(&engine, dir);
    }
    let packs = root().join("tests/packs");
    if let Ok(entries) = std::fs::read_dir(&packs) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with("broken") || !e.path().is_dir() {
                continue;
            }
            let engine = Engine::from_dir(&e.path()).unwrap_or_else(|err| panic!("{name}: {err}"));
            run(&engine, &name);
        }
    }
}

#[test]
fn conformance_corpus_matches_the_engine() {
    let engine = Engine::embedded().unwrap();
    let cases = serde_json::Value::Array(engine.conformance_cases());
    let path = root().join("tests/conformance/ben-tre-2747.json");
    let text = serde_json::to_string_pretty(&cases).unwrap() + "\n";
    if std::env::var_os("UPDATE_CORPUS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "tests/conformance/ben-tre-2747.json differs from the engine's output; if the change is intended, run \
         UPDATE_CORPUS=1 cargo test -p htx-rules --test packs and review the diff"
    );
    let parsed: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    assert!(
        parsed.as_array().is_some_and(|a| !a.is_empty()),
        "the corpus has no cases"
    );
}
