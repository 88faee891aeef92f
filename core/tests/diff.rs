//! Amendment impact: the bundled sample registry under the pack and under a reform.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use htx_rules::pack::Reform;
use htx_rules::report::{Diff, RowState};
use htx_rules::{Date, Engine, Lang, Outcome};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sample() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("cli/data/sample-registry.json")).unwrap(),
    )
    .unwrap()
}

fn example(name: &str) -> Reform {
    let path = root().join("examples/reforms").join(name);
    Reform::from_toml(name, std::fs::read_to_string(path).unwrap())
}

fn diff(reform: &Reform, as_of: &str) -> Diff {
    let base = Engine::embedded().unwrap();
    let after = base.with_reform(reform).unwrap();
    let mut b = base
        .diff_builder(&after, Date::parse(as_of).unwrap())
        .unwrap();
    let file = std::fs::File::open(root().join("cli/data/sample-registry.json")).unwrap();
    b.rows().read_json("sample-registry.json", file).unwrap();
    b.finish()
}

/// The required test: the HTX minimum back to 7 from 2024-07-01 changes exactly the sample's
/// HTX with 5 or 6 members (in the registry at the date), from yes to no — the list computed
/// here from the registry's own data.
#[test]
fn htx_minimum_back_to_seven_changes_exactly_the_htx_with_five_or_six_members() {
    let as_of = "2025-12-31";
    let reg = sample();
    let expected: BTreeSet<String> = reg["cooperatives"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "htx")
        .filter(|c| c["established_on"].as_str().is_none_or(|d| d <= as_of))
        .filter(|c| matches!(c["members"]["total"].as_i64(), Some(5 | 6)))
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        expected.len() >= 5,
        "the sample should have such HTX: {expected:?}"
    );
    let d = diff(&example("htx-min-7.toml"), as_of);
    let coops = d
        .collections
        .iter()
        .find(|c| c.name == "cooperatives")
        .unwrap();
    let min = coops
        .decisions
        .iter()
        .find(|x| x.name == "meets_membership_minimum")
        .unwrap();
    let changed: BTreeSet<String> = min.records.iter().map(|r| r.id.clone().unwrap()).collect();
    assert_eq!(changed, expected);
    assert_eq!(min.changed as usize, expected.len());
    assert_eq!(min.transitions.len(), 1);
    assert_eq!(
        (min.transitions[0].from, min.transitions[0].to),
        (Outcome::Yes, Outcome::No)
    );
    for r in &min.records {
        assert_eq!(
            (r.before.outcome, r.after.outcome),
            (Outcome::Yes, Outcome::No)
        );
        assert_eq!(
            (r.before.target.as_i64(), r.after.target.as_i64()),
            (Some(5), Some(7))
        );
        assert!(
            r.before.reasons[0].en.contains("at least the minimum of 5"),
            "{:?}",
            r.before.reasons
        );
        assert!(
            r.after.reasons[0].en.contains("below the minimum of 7"),
            "{:?}",
            r.after.reasons
        );
    }
    // nothing else reads the minimum: every other decision of every collection is unchanged
    for c in &d.collections {
        for x in &c.decisions {
            if x.name != "meets_membership_minimum" {
                assert_eq!(x.changed, 0, "{} {}", c.name, x.name);
            }
        }
    }
    assert_eq!(d.after[0].id, "htx-min-7");
    assert!(d.before.is_empty());
    let table = d.to_table(Lang::En);
    // a collection whose entity has no decisions says so rather than stopping short
    assert!(
        table.contains("rows compared)\n    (no decision is made about these rows)"),
        "{table}"
    );
    assert!(
        table.contains(&format!(
            "Meets the membership minimum: {} rows changed — yes → no: {} rows",
            expected.len(),
            expected.len()
        )),
        "{table}"
    );
    let first = expected.iter().next().unwrap();
    assert!(table.contains(&format!("{first}: yes → no")), "{table}");
    assert!(
        !table.contains("meets_membership_minimum"),
        "no code name in the table: {table}"
    );
    let html = d.to_html(Lang::Vi);
    assert!(html.contains("Đủ số thành viên tối thiểu"));
    assert!(html.contains(first.as_str()));
    // the JSON lists every row
    let json = d.to_json();
    let list = json["collections"][0]["decisions"].as_array().unwrap();
    let m = list
        .iter()
        .find(|x| x["name"] == "meets_membership_minimum")
        .unwrap();
    assert_eq!(m["records"].as_array().unwrap().len(), expected.len());
    assert_eq!(m["transitions"][0]["from"], "yes");
}

#[test]
fn a_rule_reform_changes_decisions_and_the_indicators_that_count_them() {
    let as_of = "2025-12-31";
    let d = diff(&example("many-jobs-at-least.toml"), as_of);
    let reg = sample();
    // rows whose female labour share is exactly 60% (phase 1's threshold at that date)
    let exactly: BTreeSet<String> = reg["cooperatives"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["established_on"].as_str().is_none_or(|d| d <= as_of))
        .filter(|c| {
            let (f, t) = (
                c["workers"]["female"].as_i64(),
                c["workers"]["total"].as_i64(),
            );
            matches!((f, t), (Some(f), Some(t)) if t > 0 && f <= t && f * 10 == t * 6)
        })
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(exactly.len() >= 5, "{exactly:?}");
    let coops = d
        .collections
        .iter()
        .find(|c| c.name == "cooperatives")
        .unwrap();
    let jobs = coops
        .decisions
        .iter()
        .find(|x| x.name == "many_female_jobs")
        .unwrap();
    let changed: BTreeSet<String> = jobs.records.iter().map(|r| r.id.clone().unwrap()).collect();
    assert_eq!(changed, exactly);
    for r in &jobs.records {
        assert_eq!(
            (r.before.outcome, r.after.outcome),
            (Outcome::No, Outcome::Yes)
        );
        // the reform's own wording of "yes": at least the threshold, never "above" it
        let why = r
            .after
            .reasons
            .iter()
            .map(|m| m.en.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(why.contains("is at least 60%"), "{why}");
        assert!(!why.contains("above"), "{why}");
    }
    // an indicator whose filter reads the decision: each row that changed there is one whose
    // decision changed, and went from not counted to counted (or stayed counted)
    assert!(d.indicators.iter().any(|i| i.changed.unwrap_or(0) > 0));
    for i in &d.indicators {
        for r in &i.records {
            if r.before == RowState::Out && r.after == RowState::Counted {
                assert!(
                    changed.contains(r.id.as_deref().unwrap()),
                    "{} {:?}",
                    i.id,
                    r.id
                );
            }
        }
    }
}

#[test]
fn no_reform_no_change_and_protected_indicators_list_no_rows() {
    let base = Engine::embedded().unwrap();
    // a reform that sets a parameter to the values it already has
    let same = Reform::from_json(
        &serde_json::json!({ "htx_min_members": [{ "from": "2024-07-01", "value": 5 }] }),
    )
    .unwrap();
    let after = base.with_reform(&same).unwrap();
    let mut b = base
        .diff_builder(&after, Date::parse("2025-12-31").unwrap())
        .unwrap();
    b.rows().add_registry(&sample()).unwrap();
    let d = b.finish();
    assert!(d.is_empty());
    assert!(d.to_table(Lang::En).contains("other decisions unchanged"));
    // the priority women indicator is protected: no rows, no count of rows
    let leaders = base.with_reform(&example("leaders-reading.toml")).unwrap();
    let mut b = base
        .diff_builder(&leaders, Date::parse("2027-06-30").unwrap())
        .unwrap();
    b.rows().add_registry(&sample()).unwrap();
    let d = b.finish();
    for i in d.indicators.iter().filter(|i| i.protected) {
        assert!(
            i.changed.is_none() && i.records.is_empty() && i.transitions.is_empty(),
            "{}",
            i.id
        );
    }
    assert!(d.indicators.iter().any(|i| i.protected));
    // the reading changes the leadership share indicator's figures
    let share: Vec<_> = d
        .indicators
        .iter()
        .filter(|i| i.id.contains("leadership"))
        .collect();
    assert!(!share.is_empty());
    assert!(
        share.iter().any(|i| i.before.value != i.after.value),
        "{share:?}"
    );
}

#[test]
fn two_different_packs_are_refused() {
    let base = Engine::embedded().unwrap();
    let other = Engine::from_dir(&root().join("tests/packs/an-khang")).unwrap();
    let err = base
        .diff_builder(&other, Date::parse("2025-12-31").unwrap())
        .unwrap_err();
    assert_eq!(err.code(), "registry.merge");
}
