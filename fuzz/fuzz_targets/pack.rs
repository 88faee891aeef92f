//! Arbitrary text as a pack file (and as an expression): the checker must answer, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = htx_rules::expr::syntax::parse(text);
    let mut files = std::collections::BTreeMap::new();
    files.insert("p/pack.toml".to_string(), "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"fuzz\"\nimports = [\"vn-law\"]\n".to_string());
    files.insert("p/rules.toml".to_string(), text.to_string());
    for (k, v) in htx_rules::pack::source::embedded_files() {
        if k.starts_with("vn-law/") {
            files.insert((*k).to_string(), (*v).to_string());
        }
    }
    let _ = htx_rules::Engine::from_sources(&files, "p");
});
