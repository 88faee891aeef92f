//! The JSON writer the command line uses writes the same bytes as `serde_json` over an
//! [`Evaluation`]: every evaluation of the conformance corpus, the same records with each fact
//! taken away in turn (unknown outcomes, missing facts) or given the wrong type (invalid facts),
//! and the same under a reform (rules the writer does not know).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;

use htx_rules::{Date, Engine, Evaluation, JsonWriter, Options};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The corpus's `evaluate` cases: entity, date, record, options.
fn cases() -> Vec<(String, Date, Value, Options)> {
    let dir = root().join("tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let cases: Vec<Value> = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
        for c in cases {
            if c["op"] != "evaluate" {
                continue;
            }
            let options = if c["options"]["strict"] == json!(true) {
                Options::strict()
            } else {
                Options::default()
            };
            let record = match c["text"].as_str() {
                Some(t) => match serde_json::from_str(t) {
                    Ok(v) => v,
                    Err(_) => continue,
                },
                None => c["record"].clone(),
            };
            out.push((
                c["entity"].as_str().unwrap().to_string(),
                Date::parse(c["as_of"].as_str().unwrap()).unwrap(),
                record,
                options,
            ));
        }
    }
    assert!(out.len() > 200, "the corpus has its cases: {}", out.len());
    out
}

/// The record, then the record with each top-level fact taken away and given as text that
/// is not a valid value.
fn variants(record: &Value) -> Vec<Value> {
    let mut out = vec![record.clone()];
    if let Some(o) = record.as_object() {
        for k in o.keys() {
            let mut without = o.clone();
            without.remove(k);
            out.push(Value::Object(without));
            let mut wrong = o.clone();
            wrong.insert(k.clone(), json!("không \"hợp lệ\"\n\\"));
            out.push(Value::Object(wrong));
        }
    }
    out
}

fn same(w: &mut JsonWriter<'_>, ev: &Evaluation<'_>, what: &str) -> usize {
    let want = serde_json::to_vec(ev).unwrap();
    let mut got = b"previous bytes stay;".to_vec();
    w.write(ev, &mut got);
    let got = &got[b"previous bytes stay;".len()..];
    assert!(
        got == want.as_slice(),
        "{what}:\n serde: {}\nwriter: {}",
        String::from_utf8_lossy(&want),
        String::from_utf8_lossy(got)
    );
    want.len()
}

#[test]
fn the_writer_writes_what_serde_writes_over_the_corpus() {
    let engine = Engine::embedded().unwrap();
    // one writer for everything, as a worker thread keeps one: what it keeps between records
    // must not leak into the next
    let mut w = JsonWriter::new(&engine);
    let (mut n, mut bytes, mut with_missing, mut with_errors) = (0, 0, 0, 0);
    for (entity, as_of, record, options) in cases() {
        for (k, r) in variants(&record).iter().enumerate() {
            let Ok(ev) = engine.evaluate_with(&entity, r, as_of, options) else {
                continue;
            };
            n += 1;
            with_missing += usize::from(ev.decisions().any(|(_, d)| !d.missing().is_empty()));
            with_errors += usize::from(!ev.errors().is_empty());
            bytes += same(&mut w, &ev, &format!("{entity} {as_of} variant {k}: {r}"));
        }
    }
    // the variants reach the paths that matter
    assert!(n > 1000, "{n} evaluations");
    assert!(with_missing > 1000, "{with_missing} with missing facts");
    assert!(with_errors > 500, "{with_errors} with invalid facts");
    assert!(bytes > 5_000_000, "{bytes} bytes");
}

#[test]
fn under_a_reform_and_from_another_engine_the_bytes_are_the_same() {
    let engine = Engine::embedded().unwrap();
    let mut other = Engine::embedded().unwrap();
    for f in ["htx-min-7", "many-jobs-at-least", "leaders-reading"] {
        let path = root().join(format!("examples/reforms/{f}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        other = other
            .with_reform(&htx_rules::pack::Reform::from_toml(f, text))
            .unwrap();
    }
    // a writer made for `engine` given evaluations of `other`: it writes them as serde does
    let mut w = JsonWriter::new(&engine);
    let mut own = JsonWriter::new(&other);
    let mut reformed = 0;
    for (entity, as_of, record, options) in cases() {
        let Ok(ev) = other.evaluate_with(&entity, &record, as_of, options) else {
            continue;
        };
        reformed += usize::from(ev.decisions().any(|(_, d)| !d.reforms().is_empty()));
        same(&mut w, &ev, "another engine's evaluation");
        same(&mut own, &ev, "its own engine's evaluation");
    }
    assert!(reformed > 10, "{reformed} evaluations under a reform");
}
