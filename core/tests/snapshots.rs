#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Snapshot tests: what people read. The checker's diagnostics for deliberately broken packs
//! (`tests/packs/broken-*`, one checker problem each), `explain` in both forms, and the full
//! decision JSON of one cooperative.
//!
//! After a deliberate change, regenerate with
//! `INSTA_UPDATE=always cargo test -p htx-rules --test snapshots` and review the `.snap` diff.

use std::path::{Path, PathBuf};

use htx_rules::{Date, Engine, Lang};
use serde_json::json;

fn repo() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

fn engine() -> Engine {
    Engine::embedded().unwrap_or_else(|e| panic!("{e}"))
}

/// The diagnostics of a broken pack, one per line, with paths relative to the repository.
fn diagnostics(pack: &str) -> String {
    let dir = repo().join("tests/packs").join(pack);
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let err = match Engine::from_dir(&dir) {
        Ok(_) => panic!("{pack} loaded, but it is meant to be broken"),
        Err(e) => e,
    };
    assert_eq!(err.code(), "pack.invalid", "{pack}: {err}");
    let prefix = format!("{}/", repo().display());
    let lines: Vec<String> = err
        .diagnostics()
        .iter()
        .map(|d| d.to_string().replace(&prefix, ""))
        .collect();
    assert!(
        !lines.is_empty(),
        "{pack}: an invalid pack without diagnostics"
    );
    let vi: Vec<String> = err
        .diagnostics()
        .iter()
        .map(|d| d.render(Lang::Vi).replace(&prefix, ""))
        .collect();
    format!("{}\n--- vi\n{}", lines.join("\n"), vi.join("\n"))
}

fn codes(pack: &str) -> Vec<String> {
    let dir = repo().join("tests/packs").join(pack);
    Engine::from_dir(&dir)
        .err()
        .map(|e| e.diagnostics().iter().map(|d| d.code.clone()).collect())
        .unwrap_or_default()
}

macro_rules! broken {
    ($test:ident, $pack:literal, $code:literal) => {
        #[test]
        fn $test() {
            let codes = codes($pack);
            assert!(
                codes.iter().any(|c| c == $code),
                "{}: expected {} among {:?}",
                $pack,
                $code,
                codes
            );
            insta::assert_snapshot!($pack, diagnostics($pack));
        }
    };
}

broken!(toml_syntax_error, "broken-syntax", "pack.syntax");
broken!(unknown_field, "broken-unknown-field", "pack.schema");
broken!(unknown_rule, "broken-unknown-rule", "expr.unknown_rule");
broken!(
    unknown_parameter,
    "broken-unknown-param",
    "expr.unknown_param"
);
broken!(
    unknown_enum_value,
    "broken-unknown-enum-value",
    "expr.unknown_enum_value"
);
broken!(type_error, "broken-type-error", "expr.type");
broken!(
    unknown_message_placeholder,
    "broken-message-placeholder",
    "message.placeholder"
);
broken!(cycle_among_rules, "broken-cycle", "rule.cycle");
broken!(duplicate_names, "broken-duplicate", "pack.duplicate");
broken!(
    overlapping_parameter_values,
    "broken-param-overlap",
    "param.overlap"
);
broken!(gap_in_parameter_values, "broken-param-gap", "param.gap");
broken!(
    threshold_wording,
    "broken-threshold-wording",
    "lint.threshold_wording"
);
// the registry and indicators phase: every mistake at once, each located (see
// tests/packs/broken-indicators/registry.toml)
broken!(indicators, "broken-indicators", "indicator.aggregate");

#[test]
fn every_broken_pack_has_a_snapshot_test() {
    let known = [
        "broken-syntax",
        "broken-unknown-field",
        "broken-unknown-rule",
        "broken-unknown-param",
        "broken-unknown-enum-value",
        "broken-type-error",
        "broken-cycle",
        "broken-duplicate",
        "broken-param-overlap",
        "broken-param-gap",
        "broken-threshold-wording",
        "broken-indicators",
        "broken-message-placeholder",
    ];
    for e in std::fs::read_dir(repo().join("tests/packs"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("broken") {
            assert!(
                known.contains(&name.as_str()),
                "{name} has no snapshot test"
            );
        }
    }
}

#[test]
fn feature_pack_loads_and_its_tests_pass() {
    let e = Engine::from_dir(&repo().join("tests/packs/features")).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.diagnostics()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let summary = e.run_tests();
    let failed: Vec<_> = summary
        .cases
        .iter()
        .filter(|c| !c.failures.is_empty())
        .map(|c| format!("{}: {:?}", c.name, c.failures))
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(summary.passed() >= 20);
}

#[test]
fn explain_many_female_jobs_text_vi() {
    let x = engine().explain("many_female_jobs").unwrap();
    insta::assert_snapshot!("explain_many_female_jobs_vi", x.to_text(Lang::Vi));
}

#[test]
fn explain_many_female_jobs_text_en() {
    let x = engine().explain("many_female_jobs").unwrap();
    insta::assert_snapshot!("explain_many_female_jobs_en", x.to_text(Lang::En));
}

#[test]
fn explain_many_female_jobs_json() {
    let x = engine().explain("many_female_jobs").unwrap();
    insta::assert_json_snapshot!("explain_many_female_jobs_json", x.to_json());
}

#[test]
fn explain_membership_parameter_json() {
    let x = engine().explain("htx_min_members").unwrap();
    insta::assert_json_snapshot!("explain_htx_min_members_json", x.to_json());
}

#[test]
fn explain_unknown_name_is_an_error() {
    let e = engine();
    let err = e.explain("no_such_rule").unwrap_err();
    assert_eq!(err.code(), "rule.unknown");
}

#[test]
fn cooperative_decisions_json() {
    let coop = json!({
        "id": "BT-HTX-0001",
        "name": "HTX Dệt chiếu Bình Thành",
        "kind": "htx",
        "established_on": "2024-03-15",
        "members": { "total": 12, "female": 9 },
        "workers": { "total": 40, "female": 31 },
        "managers": [ { "role": "board_chair", "gender": "female", "trained": true } ],
        "sectors": ["handicraft", "ocop"],
        "value_chain": true, "processing_technology": false, "traditional_craft": true,
        "cultural_restoration": false, "local_natural_resources": false, "digital_transformation": false
    });
    let e = engine();
    let r = e
        .evaluate("cooperative", &coop, Date::parse("2025-06-30").unwrap())
        .unwrap();
    insta::assert_json_snapshot!("cooperative_decisions_2025_06_30", r.to_json());
}

#[test]
fn cooperative_with_missing_facts_json() {
    // what a half-filled form gives: unknowns with the missing pointers, never a silent no
    let coop = json!({ "id": "BT-THT-0002", "kind": "tht", "workers": { "total": 10 } });
    let e = engine();
    let r = e
        .evaluate("cooperative", &coop, Date::parse("2026-03-01").unwrap())
        .unwrap();
    insta::assert_json_snapshot!("cooperative_missing_facts_2026_03_01", r.to_json());
}

#[test]
fn decision_outside_the_programme_json() {
    // a rule whose period does not cover the as-of date is unknown, with a reason saying so
    let coop = json!({ "kind": "htx", "workers": { "total": 10, "female": 9 } });
    let e = engine();
    let r = e
        .evaluate("cooperative", &coop, Date::parse("2031-01-01").unwrap())
        .unwrap();
    insta::assert_json_snapshot!(
        "many_female_jobs_2031_01_01",
        r.decision("many_female_jobs").unwrap().to_json()
    );
}
