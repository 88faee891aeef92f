#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The progress report on the bundled synthetic sample registry, pinned as JSON at fixed
//! dates: the end of phase 1, a day inside phase 2, and the day after the programme.
//!
//! After a deliberate change, regenerate with
//! `INSTA_UPDATE=always cargo test -p htx-rules --test report` and review the `.snap` diff.

use std::path::{Path, PathBuf};

use htx_rules::{Date, Engine};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sample() -> serde_json::Value {
    let text = std::fs::read_to_string(repo().join("cli/data/sample-registry.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn report_json(as_of: &str) -> String {
    let engine = Engine::embedded().unwrap();
    let r = engine
        .report(&sample(), Date::parse(as_of).unwrap())
        .unwrap();
    serde_json::to_string_pretty(&r.to_json()).unwrap()
}

#[test]
fn sample_report_2025_12_31() {
    insta::assert_snapshot!(report_json("2025-12-31"));
}

#[test]
fn sample_report_2026_11_27() {
    insta::assert_snapshot!(report_json("2026-11-27"));
}

#[test]
fn sample_report_2031_01_01() {
    insta::assert_snapshot!(report_json("2031-01-01"));
}
