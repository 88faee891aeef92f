#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The engine knows no province: no name of the Bến Tre plan's rules, registry keys, indicators
//! or roles appears in the code of the core, the command line or the bindings — only in
//! `rules/`, tests and documentation (comments, doc examples, test modules are not searched).

use std::path::{Path, PathBuf};

/// Names that belong to the Bến Tre pack: its decisions, its registry's collections and keys,
/// its indicators and groups, the roles its rules name.
const NAMES: &[&str] = &[
    "women_managed",
    "many_female_jobs",
    "counts_as_new",
    "priority_woman",
    "target_group",
    "leadership_roles",
    "consolidation_supported_on",
    "founding_supported",
    "stable_female_jobs",
    "vocational_trained_female",
    "restructuring_guided",
    "certified_women_managers",
    "supports_cooperatives",
    "skills_upgraded",
    "union_officials",
    "htx_new",
    "tht_new",
    "htx_consolidated",
    "tht_consolidated",
    "priority_women",
    "priority_groups",
    "trafficking_victim",
    "domestic_violence_victim",
    "sexual_abuse_victim",
    "group_leader",
    "board_chair",
];

/// Code known to still carry pack data by hand, with who removes it. Each entry is a file and
/// a name; the test fails when an entry is no longer needed, so the list only shrinks.
const KNOWN: &[(&str, &str, &str)] = &[];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "rs" || x == "py" || x == "pyi" || x == "ts" || x == "js")
        {
            out.push(p);
        }
    }
}

/// The lines of a source file that are code: not comments, doc comments, doctest lines or the
/// test module at the end of a Rust file.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") || t.starts_with('#') || t.starts_with(">>>") {
            continue;
        }
        out.push((n + 1, line.to_string()));
    }
    out
}

#[test]
fn no_bente_name_in_engine_or_binding_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    for dir in [
        "core/src",
        "cli/src",
        "bindings-python/src",
        "bindings-python/python",
        "bindings-wasm/src",
    ] {
        files(&root.join(dir), &mut all);
    }
    assert!(all.len() > 20, "the search found too few files: {all:?}");
    let mut found = Vec::new();
    let mut used_known = Vec::new();
    for f in &all {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (n, line) in code_lines(f) {
            for name in NAMES {
                if line.contains(name) {
                    if let Some(k) = KNOWN.iter().find(|(kf, kn, _)| *kf == rel && kn == name) {
                        used_known.push(*k);
                        continue;
                    }
                    found.push(format!("{rel}:{n}: {name}: {}", line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "Bến Tre names in code:\n{}",
        found.join("\n")
    );
    for k in KNOWN {
        assert!(
            used_known.contains(k),
            "{} no longer holds `{}` ({}): remove it from KNOWN",
            k.0,
            k.1,
            k.2
        );
    }
}
