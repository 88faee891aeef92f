//! Arbitrary JSON as facts of every entity, evaluated and validated: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Option<htx_rules::Engine>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some(engine) = ENGINE.get_or_init(|| htx_rules::Engine::embedded().ok()) else { return };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let as_of = htx_rules::Date::parse("2025-06-30").unwrap_or(htx_rules::Date::MIN);
    for entity in engine.entities() {
        if let Ok(ev) = engine.evaluate(entity, &v, as_of) {
            let _ = serde_json::to_string(&ev);
        }
        let _ = engine.validate(entity, &v, as_of);
    }
});
