//! `docs/codes.md` is written from `htx_rules::Code`: this test fails when the committed file
//! differs. After adding a code, regenerate it with
//! `UPDATE_CODES=1 cargo test -p htx-rules --test codes` and review the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::HashSet;
use std::path::PathBuf;

use htx_rules::{codes_markdown, Code};

#[test]
fn docs_codes_md_is_written_from_the_enum() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/codes.md");
    let want = codes_markdown();
    if std::env::var_os("UPDATE_CODES").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/codes.md differs from htx_rules::Code; regenerate it with \
         `UPDATE_CODES=1 cargo test -p htx-rules --test codes`"
    );
}

#[test]
fn codes_are_unique_documented_and_parse_back() {
    let mut seen = HashSet::new();
    for &c in Code::ALL {
        let s = c.as_str();
        assert!(seen.insert(s), "{s} twice");
        assert_eq!(Code::parse(s), Some(c));
        assert_eq!(c.to_string(), s);
        assert!(!c.doc().is_empty(), "{s} has no doc line");
        let (group, name) = s.split_once('.').unwrap();
        assert!(!group.is_empty() && !name.is_empty(), "{s}");
    }
    assert_eq!(Code::parse("workers.female_exceeds_total"), None);
}

#[test]
fn errors_and_diagnostics_carry_enum_codes() {
    // an expression with a syntax error: the diagnostic's code is one of the enum's
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "p/pack.toml".to_string(),
        "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string(),
    );
    files.insert(
        "p/rules.toml".to_string(),
        "[[entity]]\nname = \"e\"\nfields = [{ name = \"n\", type = \"integer\" }]\n\n\
         [[rule]]\nname = \"big\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"n >> 3\"\n\
         cite = { document = \"t\", section = \"1\" }\n"
            .to_string(),
    );
    let err = htx_rules::Engine::from_sources(&files, "p").unwrap_err();
    assert_eq!(Code::parse(err.code()), Some(Code::PackInvalid));
    assert_eq!(
        Code::parse(&err.diagnostics()[0].code),
        Some(Code::ExprSyntax)
    );
}

/// The command line, the bindings and the report still write some codes as text: each must be
/// one of the enum's, so `docs/codes.md` lists everything a user can see.
#[test]
fn codes_written_as_text_at_the_edges_are_in_the_enum() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let groups: HashSet<&str> = Code::ALL
        .iter()
        .filter_map(|c| c.as_str().split_once('.').map(|(g, _)| g))
        .collect();
    let mut files = Vec::new();
    for dir in [
        "core/src/report",
        "cli/src",
        "bindings-python/src",
        "bindings-wasm/src",
    ] {
        for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "rs") {
                files.push(e.path());
            }
        }
    }
    let mut unknown = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for piece in text.split('"').skip(1).step_by(2) {
            let Some((g, name)) = piece.split_once('.') else {
                continue;
            };
            // file names such as `registry.json` are not codes
            let is_file = matches!(name, "json" | "jsonl" | "csv" | "toml" | "html");
            let is_code_like = groups.contains(g)
                && !is_file
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if is_code_like && Code::parse(piece).is_none() {
                unknown.push(format!("{}: {piece}", f.display()));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "codes missing from htx_rules::Code: {unknown:?}"
    );
}
