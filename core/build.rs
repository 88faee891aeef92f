//! Embeds the rule packs of `rules/` (the repository's, or `core/rules/` in a published crate),
//! and fingerprints the library's sources (`HTX_SOURCE_HASH`): a compiled pack
//! (`Engine::to_compiled_bytes`) names the engine that wrote it, and another build refuses it.
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

/// FNV-1a (64 bits) of every `.rs` file under `src/`, in path order, with its path: the same
/// sources give the same fingerprint on every machine and compiler.
fn source_hash(src: &Path) -> u64 {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for p in &files {
        let rel = p
            .strip_prefix(src)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/");
        eat(rel.as_bytes());
        eat(&[0]);
        eat(&std::fs::read(p).unwrap_or_default());
        eat(&[0]);
    }
    h
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let src = manifest.join("src");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rustc-env=HTX_SOURCE_HASH={:016x}", source_hash(&src));
    let candidates = [manifest.join("../rules"), manifest.join("rules")];
    let rules = candidates.iter().find(|p| p.is_dir()).cloned();
    let mut files = Vec::new();
    if let Some(r) = &rules {
        println!("cargo:rerun-if-changed={}", r.display());
        collect(r, &mut files);
    }
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_packs.rs");
    let mut f = match std::fs::File::create(&out) {
        Ok(f) => f,
        Err(e) => {
            println!("cargo:warning=cannot write {}: {e}", out.display());
            return;
        }
    };
    let _ = writeln!(
        f,
        "/// Embedded pack files.\nstatic EMBEDDED: &[(&str, &str)] = &["
    );
    if let Some(r) = &rules {
        for p in &files {
            println!("cargo:rerun-if-changed={}", p.display());
            let rel = p
                .strip_prefix(r)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/");
            let is_test = rel.split('/').nth(1) == Some("tests");
            if is_test && std::env::var_os("CARGO_FEATURE_EMBED_TESTS").is_none() {
                continue;
            }
            let _ = writeln!(
                f,
                "    ({rel:?}, include_str!({:?})),",
                p.display().to_string()
            );
        }
    }
    let _ = writeln!(f, "];");
}
