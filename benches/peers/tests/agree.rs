//! Before anything is timed: zen's version of the decisions gives our engine's answers on
//! every case (and on the timed record, the answers the plan gives).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use htx_rules::{Date, Engine};
use htx_rules_peers::{disagreements, ours, zen, Answer, ZenGraph, AS_OF, COOP, DECISIONS};
use zen_expression::Variable;

#[test]
fn zen_and_htx_rules_agree_on_every_case() {
    let d = disagreements();
    assert!(
        d.is_empty(),
        "{} disagreement(s):\n{}",
        d.len(),
        d.join("\n")
    );
}

#[test]
fn the_timed_record_is_women_managed_new_and_a_priority() {
    let engine = Engine::embedded().unwrap();
    // zen computes every decision our engine does, so that both do the same work
    assert_eq!(engine.decision_names("cooperative").unwrap(), DECISIONS);
    let record: serde_json::Value = serde_json::from_str(COOP).unwrap();
    let want = ours(&engine, &record, Date::parse(AS_OF).unwrap());
    let input: Variable = serde_json::from_str(COOP).unwrap();
    let graph = ZenGraph::new();
    let got = zen(&graph.evaluate(input.clone()));
    assert_eq!(want, got);
    // the benchmark hands zen a reference-counted clone of one parsed input per call: zen must
    // leave it as it was, so that every call does the same work
    assert_eq!(
        input.to_value(),
        serde_json::from_str::<serde_json::Value>(COOP).unwrap()
    );
    assert_eq!(zen(&graph.evaluate(input.clone())), want);
    let yes = Answer::Outcome("yes");
    for name in [
        "women_managed",
        "many_female_jobs",
        "counts_as_new",
        "priority_cooperative",
        "priority_cooperative_i2",
        "priority_sector",
        "priority_locality",
        "meets_membership_minimum",
    ] {
        assert_eq!(want[name], yes, "{name}");
    }
    assert_eq!(
        want["female_labour_share"],
        Answer::Value(Some(rust_decimal::Decimal::new(775, 3)))
    );
}

#[test]
fn the_cases_reach_yes_no_and_unknown_for_every_decision() {
    let engine = Engine::embedded().unwrap();
    let mut seen: std::collections::BTreeMap<&str, std::collections::BTreeSet<String>> =
        Default::default();
    for (record, as_of) in htx_rules_peers::cases() {
        for (name, answer) in ours(&engine, &record, Date::parse(as_of).unwrap()) {
            let kind = match answer {
                Answer::Outcome(o) => o.to_string(),
                Answer::Value(Some(_)) => "value".to_string(),
                Answer::Value(None) => "unknown".to_string(),
            };
            seen.entry(name).or_default().insert(kind);
        }
    }
    for (name, kinds) in &seen {
        let want: &[&str] = match *name {
            "female_labour_share" => &["unknown", "value"],
            // III.2's list is open: the pack never says "no" there
            "priority_sector" => &["unknown", "yes"],
            _ => &["no", "unknown", "yes"],
        };
        assert_eq!(
            kinds.iter().map(String::as_str).collect::<Vec<_>>(),
            want,
            "{name}"
        );
    }
}
