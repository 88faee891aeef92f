//! Threshold analysis: exact intervals per period (`Engine::boundaries`) and the warnings of
//! the checker (`lint.boundary`), on the shipped pack and on small packs made to show each.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;

use htx_rules::{Engine, Lang};

#[test]
fn many_female_jobs_changes_above_sixty_then_seventy_percent() {
    let engine = Engine::embedded().unwrap();
    let b = &engine.boundaries("many_female_jobs").unwrap()[0];
    assert_eq!(b.inputs.len(), 1);
    let i = &b.inputs[0];
    assert_eq!(i.input, "rule.female_labour_share");
    // two periods, from the parameter's values; in each, no up to the threshold, yes above it
    let periods: Vec<(String, String)> = i
        .sections
        .iter()
        .map(|s| (s.from.unwrap().to_string(), s.to.unwrap().to_string()))
        .collect();
    assert_eq!(
        periods,
        [
            ("2023-01-01".into(), "2025-12-31".into()),
            ("2026-01-01".into(), "2030-12-31".into())
        ]
    );
    for (s, t) in i.sections.iter().zip(["0.6", "0.7"]) {
        let t: rust_decimal::Decimal = t.parse().unwrap();
        assert_eq!(s.pieces.len(), 2);
        let (no, yes) = (&s.pieces[0], &s.pieces[1]);
        assert_eq!(
            (no.from, no.to, no.to_closed, no.outcome),
            (None, Some(t), true, "no")
        );
        assert_eq!(
            (yes.from, yes.from_closed, yes.to, yes.outcome),
            (Some(t), false, None, "yes")
        );
    }
    let text = b.to_text(Lang::En);
    assert!(
        text.contains("2023-01-01 .. 2025-12-31:\n      (-∞; 60%] → no\n      (60%; +∞) → yes"),
        "{text}"
    );
}

#[test]
fn the_membership_minimum_per_kind_and_per_law() {
    let engine = Engine::embedded().unwrap();
    let b = &engine.boundaries("meets_membership_minimum").unwrap()[0];
    let i = &b.inputs[0];
    assert_eq!(i.input, "members.total");
    let text = b.to_text(Lang::En);
    // an HTX: 7 until 2024-06-30, 5 from 2024-07-01; within the field's bounds (from 0)
    assert!(text.contains("2013-07-01 .. 2024-06-30, when kind == \"htx\":\n      [0; 7) → no\n      [7; +∞) → yes"), "{text}");
    assert!(
        text.contains(
            "2024-07-01 .. …, when kind == \"htx\":\n      [0; 5) → no\n      [5; +∞) → yes"
        ),
        "{text}"
    );
    assert!(
        text.contains("when kind != \"htx\" and kind == \"tht\":\n      [0; 2) → no"),
        "{text}"
    );
    // under a reform the boundary moves with it
    let r = engine
        .with_reform(
            &htx_rules::pack::Reform::from_json(
                &serde_json::json!({"htx_min_members": [{"from": "2024-07-01", "value": 7}]}),
            )
            .unwrap(),
        )
        .unwrap();
    let text = r.boundaries("meets_membership_minimum").unwrap()[0].to_text(Lang::En);
    assert!(
        text.contains("2024-07-01 .. …, when kind == \"htx\":\n      [0; 7) → no"),
        "{text}"
    );
    assert_eq!(
        engine.boundaries("no_such_rule").unwrap_err().code(),
        "rule.unknown"
    );
}

#[test]
fn the_shipped_packs_have_no_boundary_warning() {
    let engine = Engine::embedded().unwrap();
    let w: Vec<_> = engine
        .warnings()
        .iter()
        .filter(|d| d.code == "lint.boundary")
        .collect();
    assert!(w.is_empty(), "{w:?}");
}

fn pack(rules: &str) -> Engine {
    let mut files = BTreeMap::new();
    files.insert(
        "p/pack.toml".to_string(),
        "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string(),
    );
    let head = "[[entity]]\nname = \"e\"\nlabel = { vi = \"E\", en = \"E\" }\nfields = [{ name = \"share\", type = \"share\", min = 0, max = 1, label = { vi = \"Tỷ lệ\", en = \"Share\" } }, { name = \"n\", type = \"integer\", min = 0, max = 100, label = { vi = \"Số\", en = \"Number\" } }]\n\n[[parameter]]\nname = \"t\"\ntype = \"share\"\ncite = { document = \"t\", section = \"1\" }\nvalues = [{ from = \"2020-01-01\", to = \"2024-12-31\", value = \"60%\" }, { from = \"2025-01-01\", value = \"150%\" }]\n";
    files.insert("p/rules.toml".to_string(), format!("{head}\n{rules}"));
    Engine::from_sources(&files, "p").unwrap()
}

fn rule(name: &str, when: &str) -> String {
    format!("[[rule]]\nname = \"{name}\"\nentity = \"e\"\nkind = \"decision\"\ntitle = {{ vi = \"{name}\", en = \"{name}\" }}\nwhen = \"{when}\"\ncite = {{ document = \"t\", section = \"1\" }}\nmessages.yes = {{ vi = \"có\", en = \"yes\" }}\nmessages.no = {{ vi = \"không\", en = \"no\" }}\nmessages.unknown = {{ vi = \"?\", en = \"?\" }}\n\n")
}

fn boundary_warnings(e: &Engine) -> Vec<(usize, usize, String)> {
    e.warnings()
        .iter()
        .filter(|d| d.code == "lint.boundary")
        .map(|d| (d.line, d.column, d.message.en.clone()))
        .collect()
}

#[test]
fn a_gap_an_overlap_and_two_readings_of_one_threshold() {
    let e = pack(
        &(rule("above", "share > param.t")
            + &rule("below", "share < param.t")
            + &rule("at_least", "share >= param.t")
            + &rule("at_most", "share <= param.t")),
    );
    let w = boundary_warnings(&e);
    let text: Vec<&str> = w.iter().map(|x| x.2.as_str()).collect();
    assert!(text.iter().any(|m| m.contains("`share > param.t` (`above`) and `share < param.t` (`below`) leave a gap at the threshold")), "{text:?}");
    assert!(text.iter().any(|m| m.contains("`share >= param.t` (`at_least`) and `share <= param.t` (`at_most`) overlap at the threshold")), "{text:?}");
    assert!(text.iter().any(|m| m.contains("`share > param.t` (`above`) and `share >= param.t` (`at_least`) read the same threshold two ways")), "{text:?}");
    // `>` beside `<=` partitions: no warning for that pair
    assert!(
        !text
            .iter()
            .any(|m| m.contains("(`above`) and `share <= param.t`")),
        "{text:?}"
    );
    // located at the later rule's condition (line, column of `when`)
    let below = w
        .iter()
        .find(|x| x.2.contains("(`below`) leave a gap"))
        .unwrap();
    assert_eq!((below.0, below.1), (28, 8));
}

#[test]
fn a_threshold_outside_the_field_bounds_makes_the_decision_constant_in_that_period() {
    let e = pack(&rule("above", "share > param.t"));
    let w = boundary_warnings(&e);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].2.contains("`above` is always “no” in 2025-01-01 .. "),
        "{w:?}"
    );
    assert!(w[0].2.contains("the threshold can never be reached"));
    // a constant comparison within the bounds: n >= 0 always holds
    let e = pack(&rule("any", "n >= 0"));
    let w = boundary_warnings(&e);
    assert!(
        w.iter()
            .any(|x| x.2.contains("`any` is always “yes” on every date")),
        "{w:?}"
    );
    // the pieces say it too
    let b = &e.boundaries("any").unwrap()[0];
    assert_eq!(b.inputs[0].sections[0].pieces.len(), 1);
}
