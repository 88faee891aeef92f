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

fn engine() -> Engine {
    Engine::embedded().unwrap()
}

fn find<'r>(
    r: &'r htx_rules::report::Report,
    group: &str,
    index: i64,
    id: &str,
) -> &'r htx_rules::report::IndicatorReport {
    r.periods
        .iter()
        .find(|p| p.group == group && p.index == index)
        .and_then(|p| p.indicators.iter().find(|i| i.id == id))
        .unwrap()
}

/// 8.4: records are checked at the report's date: cooperatives founded in 2026 are valid on
/// 2026-11-27 (and not in phase 1's populations, which equal those of the report at 2025-12-31).
#[test]
fn records_are_checked_at_the_report_date() {
    let e = engine();
    let late = e
        .report(&sample(), Date::parse("2026-11-27").unwrap())
        .unwrap();
    assert!(late.record_errors.is_empty(), "{:?}", late.record_errors);
    let early = e
        .report(&sample(), Date::parse("2025-12-31").unwrap())
        .unwrap();
    let p1 = |r: &htx_rules::report::Report| serde_json::to_value(&r.periods[0]).unwrap();
    assert_eq!(
        p1(&late),
        p1(&early),
        "a closed phase does not change with the report's date"
    );
    // the 2025 report leaves the cooperatives founded after it out, and says so
    assert!(early.registry.collections[0].out_of_scope > 0);
    assert!(early
        .notes
        .iter()
        .any(|n| n.en.contains("not yet within scope")));
}

/// 8.4: after the programme, figures are as at its last day, and the report says so.
#[test]
fn after_the_programme_people_are_counted_as_at_its_end() {
    let e = engine();
    let end = e
        .report(&sample(), Date::parse("2030-12-31").unwrap())
        .unwrap();
    let after = e
        .report(&sample(), Date::parse("2031-01-01").unwrap())
        .unwrap();
    for id in ["priority_women", "target_group"] {
        let (a, b) = (
            find(&end, "programme", 1, id),
            find(&after, "programme", 1, id),
        );
        assert_eq!(a.value, b.value, "{id}");
        assert!(
            matches!(a.value, Some(htx_rules::report::Figure::Whole(n)) if n > 150),
            "{id}: {:?}",
            a.value
        );
    }
    assert_eq!(after.ended, Date::parse("2030-12-31"));
    assert!(after.notes[0].vi.contains("31/12/2030"));
    assert!(after
        .to_table(htx_rules::Lang::En)
        .contains("The programme ended on 2030-12-31"));
    assert_eq!(end.ended, None);
}

/// 8.4 and 9: rows in error are reported in every output (a count and the first rows in the
/// table and the page, all of them in JSON) and the others are still counted; unknown keys are
/// listed as ignored; a null row or a malformed one is an error, not an abort.
#[test]
fn record_errors_and_ignored_fields_show_in_every_output() {
    let e = engine();
    let mut coops = Vec::new();
    for i in 0..15 {
        coops.push(serde_json::json!({
            "id": format!("C{i}"), "kind": "htx", "established_on": "2024-01-01", "phone": "0909",
            "workers": { "total": 10, "female": 12 },
            "managers": [{ "role": "director", "gender": "female", "trained": true, "email": "x@y" }],
        }));
    }
    coops.push(serde_json::Value::Null);
    coops.push(serde_json::json!({ "id": "ok", "kind": "tht", "established_on": "2024-01-01" }));
    let reg = serde_json::json!({ "cooperatives": coops, "district": "Ba Tri" });
    let r = e.report(&reg, Date::parse("2025-06-30").unwrap()).unwrap();
    assert_eq!(r.registry.collections[0].rows, 17);
    assert_eq!(r.record_errors.len(), 16);
    let null = r.record_errors.iter().find(|x| x.id.is_none()).unwrap();
    assert_eq!(
        (null.record, null.errors[0].code.as_str()),
        (Some(16), "registry.record")
    );
    assert_eq!(r.record_errors[0].errors[0].field, "/workers/female");
    let ignored: Vec<(Option<&str>, &str, u64)> = r
        .ignored
        .iter()
        .map(|i| (i.collection.as_deref(), i.field.as_str(), i.rows))
        .collect();
    assert!(
        ignored.contains(&(Some("cooperatives"), "phone", 15)),
        "{ignored:?}"
    );
    assert!(
        ignored.contains(&(Some("cooperatives"), "managers.email", 15)),
        "{ignored:?}"
    );
    assert!(ignored.contains(&(None, "district", 1)), "{ignored:?}");
    // the women-managed HTX are still counted, with the bad female count left out
    assert_eq!(
        find(&r, "phases", 1, "htx_restructuring_guided_share").unknown,
        htx_rules::report::Figure::Whole(0)
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["record_errors"].as_array().unwrap().len(), 16);
    for lang in [htx_rules::Lang::Vi, htx_rules::Lang::En] {
        for text in [r.to_table(lang), r.to_html(lang)] {
            assert!(text.contains(": 16"), "{text}");
            assert!(text.contains("cooperatives #1 (C0)"), "{text}");
            assert!(!text.contains("C12)"), "only the first rows: {text}");
            assert!(text.contains("cooperatives.managers.email"), "{text}");
        }
    }
}

/// III.4: certificates for 100% of the women managers of HTX the Union helped found, counted
/// over the women in II.2's positions; more certificates than such women is bad data (unknown).
#[test]
fn iii_4_certified_women_managers() {
    let e = engine();
    let coop = |id: &str, women: usize, certified: i64, supported: bool| {
        let mut managers = vec![serde_json::json!({ "role": "accountant", "gender": "female" })];
        for k in 0..women {
            let role = if k == 0 { "board_chair" } else { "director" };
            managers.push(serde_json::json!({ "role": role, "gender": "female" }));
        }
        serde_json::json!({
            "id": id, "kind": "htx", "established_on": "2024-03-01",
            "workers": { "total": 10, "female": 8 }, "managers": managers,
            "programme": { "founding_supported": supported, "certified_women_managers": certified },
        })
    };
    let reg = serde_json::json!({ "cooperatives": [
        coop("A", 2, 1, true),
        coop("B", 1, 1, true),
        coop("C", 1, 3, true),  // three certificates for one woman manager
        coop("D", 2, 0, false), // not founded with the Union's support
    ]});
    let r = e.report(&reg, Date::parse("2025-12-31").unwrap()).unwrap();
    let i = find(&r, "phases", 1, "certified_women_managers_share");
    assert_eq!(serde_json::to_value(i).unwrap()["value"], "0.6667");
    assert_eq!(i.unknown, htx_rules::report::Figure::Whole(1));
    assert_eq!(i.status, htx_rules::report::Status::NotMet);
    assert_eq!(i.cite.section, "III.4");
    assert!(i
        .cite
        .wording
        .as_deref()
        .unwrap()
        .contains("cho 100% nữ quản lý, điều hành HTX (do các cấp Hội hỗ trợ thành lập)"));
}
