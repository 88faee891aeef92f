//! Compiles the embedded pack (`rules/`, through the core: parsed, checked, then written in the
//! core's compact binary form) into `$OUT_DIR/embedded.htxpack`, which `new Engine()` reads:
//! the browser module carries no TOML parser and checks nothing at start-up. Made in every
//! build from the pack's files, so it cannot lag `rules/`; the core refuses a form written by
//! another build of the engine.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    // the core re-embeds rules/ when it changes (and this script then runs again); said here too
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("../rules").display()
    );
    println!("cargo:rerun-if-changed=build.rs");
    let engine = htx_rules::Engine::embedded()?;
    let bytes = engine.to_compiled_bytes()?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("embedded.htxpack");
    std::fs::write(&out, bytes)?;
    Ok(())
}
