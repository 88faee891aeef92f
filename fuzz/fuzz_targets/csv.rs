//! Arbitrary bytes as a CSV file of every entity, read by the core's CSV reader (header notes,
//! every row decoded, evaluated and validated): never a panic, never a hang.
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
            let Ok(batch) = engine.batch(entity, o) else { continue };
            let mut r = batch.reader(data, Format::Csv, "fuzz.csv");
            let _ = r.header_notes();
            while let Some(item) = r.next() {
                if let Ok((_, d)) = item {
                    let _ = serde_json::to_string(&r.batch().validate(d.clone(), as_of));
                    let _ = serde_json::to_string(&r.batch().evaluate(d, as_of));
                }
            }
            let _ = r.notes();
        }
    }
});
