//! Arbitrary bytes as facts of every entity — as JSON text through the schema-driven decoder,
//! as a `Value`, and as a JSON / JSON Lines file through the readers — evaluated and validated:
//! never a panic.
#![no_main]
use htx_rules::read::Format;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Option<htx_rules::Engine>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some(engine) = ENGINE.get_or_init(|| htx_rules::Engine::embedded().ok()) else { return };
    let as_of = htx_rules::Date::parse("2025-06-30").unwrap_or(htx_rules::Date::MIN);
    for entity in engine.entities() {
        for strict in [false, true] {
            let mut o = htx_rules::Options::default();
            o.strict = strict;
            if let Ok(ev) = engine.evaluate_json(entity, data, as_of, o) {
                let _ = serde_json::to_string(&ev);
            }
            let _ = engine.validate_json(entity, data, as_of, o);
        }
        for format in [Format::Json, Format::JsonLines] {
            let Ok(batch) = engine.batch(entity, Default::default()) else { continue };
            let mut r = batch.reader(data, format, "fuzz");
            while let Some(item) = r.next() {
                if let Ok((_, d)) = item {
                    let _ = serde_json::to_string(&r.batch().evaluate(d, as_of));
                }
            }
            let _ = r.notes();
        }
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    for entity in engine.entities() {
        if let Ok(ev) = engine.evaluate(entity, &v, as_of) {
            let _ = serde_json::to_string(&ev);
        }
        let _ = engine.validate(entity, &v, as_of);
    }
});
