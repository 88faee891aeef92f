//! The compiled form of a pack (feature `compiled`, what the browser build embeds) answers
//! exactly as the pack loaded from its TOML files: the whole conformance corpus
//! (`tests/conformance/*.json`, evaluate and validate, from records and from JSON text), and
//! what the forms and `explain` read from the pack.
//!
//! `cargo test -p htx-rules --features compiled --test compiled`
#![cfg(feature = "compiled")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;

use htx_rules::{Date, Engine, Lang, Options};
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn engines() -> (Engine, Engine) {
    let toml = Engine::embedded().unwrap();
    let bytes = toml.to_compiled_bytes().unwrap();
    (toml, Engine::from_compiled_bytes(&bytes).unwrap())
}

/// What one corpus case gives on `engine`, in the corpus's shape (and the keys ignored).
fn replay(engine: &Engine, c: &Value) -> (Value, Vec<String>) {
    let entity = c["entity"].as_str().unwrap();
    let as_of = Date::parse(c["as_of"].as_str().unwrap()).unwrap();
    let options = if c["options"]["strict"] == json!(true) {
        Options::strict()
    } else {
        Options::default()
    };
    let ignored = |keys: &[String]| keys.to_vec();
    match (c["op"].as_str().unwrap(), c["text"].as_str()) {
        ("evaluate", Some(text)) => {
            let ev = engine
                .evaluate_json(entity, text.as_bytes(), as_of, options)
                .unwrap();
            (json!([ev.to_json()]), ignored(ev.ignored()))
        }
        ("evaluate", None) => {
            let ev = engine
                .evaluate_with(entity, &c["record"], as_of, options)
                .unwrap();
            (json!([ev.to_json()]), ignored(ev.ignored()))
        }
        ("validate", Some(text)) => {
            let v = engine
                .validate_json(entity, text.as_bytes(), as_of, options)
                .unwrap();
            (v.to_json(), ignored(&v.ignored))
        }
        ("validate", None) => {
            let v = engine
                .validate_with(entity, &c["record"], as_of, options)
                .unwrap();
            (v.to_json(), ignored(&v.ignored))
        }
        (op, _) => panic!("unknown op {op}"),
    }
}

#[test]
fn the_whole_conformance_corpus_answers_the_same() {
    let (toml, compiled) = engines();
    let dir = root().join("tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut replayed = 0;
    for path in &files {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for c in &cases {
            let name = format!("{}: {}", path.display(), c["name"]);
            let from_toml = replay(&toml, c);
            let from_compiled = replay(&compiled, c);
            assert_eq!(from_compiled, from_toml, "{name}");
            // and both are what the corpus says
            assert_eq!(from_compiled.0, c["expected"], "{name}");
            if let Some(ignored) = c.get("ignored") {
                assert_eq!(json!(from_compiled.1), *ignored, "{name}");
            }
            replayed += 1;
        }
    }
    assert!(replayed > 300, "only {replayed} cases replayed");
}

#[test]
fn what_forms_and_explain_read_is_the_same() {
    let (toml, compiled) = engines();
    assert_eq!(compiled.entities(), toml.entities());
    assert_eq!(
        serde_json::to_value(compiled.packs()).unwrap(),
        serde_json::to_value(toml.packs()).unwrap()
    );
    assert_eq!(compiled.warnings(), toml.warnings());
    for entity in toml.entities() {
        assert_eq!(
            serde_json::to_value(compiled.fields(entity).unwrap()).unwrap(),
            serde_json::to_value(toml.fields(entity).unwrap()).unwrap(),
            "fields of {entity}"
        );
        assert_eq!(
            serde_json::to_value(compiled.decisions_info(entity).unwrap()).unwrap(),
            serde_json::to_value(toml.decisions_info(entity).unwrap()).unwrap(),
            "decisions of {entity}"
        );
        assert_eq!(
            compiled.schema(entity).unwrap(),
            toml.schema(entity).unwrap(),
            "schema of {entity}"
        );
        assert_eq!(compiled.entity_label(entity), toml.entity_label(entity));
    }
    let names = toml.explainable();
    assert_eq!(compiled.explainable(), names);
    assert!(names.len() > 20, "{names:?}");
    for name in &names {
        let (a, b) = (toml.explain(name).unwrap(), compiled.explain(name).unwrap());
        assert_eq!(b.to_json(), a.to_json(), "explain {name}");
        for lang in [Lang::Vi, Lang::En] {
            assert_eq!(
                b.to_text(lang),
                a.to_text(lang),
                "explain {name} ({lang:?})"
            );
        }
    }
}

#[test]
fn a_compiled_engine_under_a_reform_is_refused_clearly() {
    let (_, compiled) = engines();
    let reform = htx_rules::pack::Reform::from_toml(
        "htx-min-7.toml",
        std::fs::read_to_string(root().join("examples/reforms/htx-min-7.toml")).unwrap(),
    );
    let err = compiled.with_reform(&reform).unwrap_err();
    assert_eq!(err.code(), "reform.compiled");
    assert!(
        err.message().vi.contains("đã biên dịch"),
        "{}",
        err.message().vi
    );
}
