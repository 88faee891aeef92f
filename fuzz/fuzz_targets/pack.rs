//! Arbitrary text as a pack file (and as an expression): the checker must answer, never panic,
//! hang or exhaust the stack. When the text has a line `#facts`, what follows it is JSON facts:
//! a pack that loads is then evaluated on them (every entity), reasons rendered, so the
//! evaluator and its budget are fuzzed too. The text is a pack on its own (no imports: checking
//! an imported pack on every input made the target ten times slower); the seeds in
//! `fuzz/seeds/pack/` give it the shipped packs' shapes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = htx_rules::expr::syntax::parse(text);
    let (rules, facts) = match text.split_once("\n#facts\n") {
        Some((r, f)) => (r, serde_json::from_str(f).unwrap_or(serde_json::Value::Null)),
        None => (text, serde_json::json!({})),
    };
    let mut files = std::collections::BTreeMap::new();
    files.insert("p/pack.toml".to_string(), "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"fuzz\"\n".to_string());
    files.insert("p/rules.toml".to_string(), rules.to_string());
    let Ok(engine) = htx_rules::Engine::from_sources(&files, "p") else { return };
    let as_of = htx_rules::Date::parse("2025-06-30").unwrap_or(htx_rules::Date::MIN);
    for entity in engine.entities() {
        if let Ok(ev) = engine.evaluate(entity, &facts, as_of) {
            for (_, d) in ev.decisions() {
                let _ = d.reasons();
            }
        }
        let _ = engine.validate(entity, &facts, as_of);
    }
});
