//! Reforms: overlays on a loaded pack (parameter values from a date or on every date, parts of
//! rules replaced), checked like pack files, visible in evaluations and `explain`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;

use htx_rules::pack::Reform;
use htx_rules::{Date, Engine, Error, Lang, Outcome};
use serde_json::json;

fn example(name: &str) -> Reform {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/reforms")
        .join(name);
    Reform::from_toml(
        format!("examples/reforms/{name}"),
        std::fs::read_to_string(path).unwrap(),
    )
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// `(file, line, column, code, English message)` of every diagnostic.
fn diags(e: &Error) -> Vec<(String, usize, usize, String, String)> {
    e.diagnostics()
        .iter()
        .map(|d| {
            (
                d.file.clone(),
                d.line,
                d.column,
                d.code.clone(),
                d.message.en.clone(),
            )
        })
        .collect()
}

const HEAD: &str = "[reform]\nid = \"t\"\ntitle = { vi = \"Thử\", en = \"Test\" }\ncite = { document = \"Dự thảo\", section = \"1\" }\n";

fn reform(body: &str) -> Reform {
    Reform::from_toml("t.toml", format!("{HEAD}{body}"))
}

#[test]
fn a_parameter_from_a_date_changes_decisions_from_that_date_and_names_the_reform() {
    let base = Engine::embedded().unwrap();
    let reformed = base.with_reform(&example("htx-min-7.toml")).unwrap();
    let coop = json!({ "id": "x", "kind": "htx", "members": { "total": 6 } });
    let outcome = |e: &Engine, at: &str| {
        e.evaluate("cooperative", &coop, d(at))
            .unwrap()
            .decision("meets_membership_minimum")
            .unwrap()
            .outcome()
    };
    // before the reform's date both laws say 7; from it, the reform keeps 7 where the pack says 5
    assert_eq!(outcome(&base, "2024-06-30"), Outcome::No);
    assert_eq!(outcome(&reformed, "2024-06-30"), Outcome::No);
    assert_eq!(outcome(&base, "2024-07-01"), Outcome::Yes);
    assert_eq!(outcome(&reformed, "2024-07-01"), Outcome::No);
    let ev = reformed
        .evaluate("cooperative", &coop, d("2025-01-01"))
        .unwrap();
    let json = ev.to_json();
    assert_eq!(
        json["decisions"]["meets_membership_minimum"]["reforms"],
        json!(["htx-min-7"])
    );
    assert_eq!(
        json["decisions"]["meets_membership_minimum"]["target"],
        json!(7)
    );
    // a decision that reads nothing reformed carries no mark; the pack as written none at all
    assert!(json["decisions"]["women_managed"].get("reforms").is_none());
    let plain = base
        .evaluate("cooperative", &coop, d("2025-01-01"))
        .unwrap()
        .to_json();
    assert!(plain["decisions"]["meets_membership_minimum"]
        .get("reforms")
        .is_none());
    // the engine it came from is unchanged, and the new one says what it is under
    assert!(base.reforms().is_empty());
    assert_eq!(reformed.reforms()[0].id, "htx-min-7");
    assert_eq!(reformed.reforms()[0].cite.section, "Điều 3 khoản 1");
}

#[test]
fn explain_shows_the_reformed_values_with_the_reform_citation() {
    let reformed = Engine::embedded()
        .unwrap()
        .with_reform(&example("htx-min-7.toml"))
        .unwrap();
    let text = reformed
        .explain("htx_min_members")
        .unwrap()
        .to_text(Lang::En);
    assert!(
        text.contains("2024-07-01 .. …: 7 [reform htx-min-7]  (Phương án giả định (mức của Luật HTX 23/2012/QH13), Điều 3 khoản 1 — “ít nhất 07 thành viên”)"),
        "{text}"
    );
    // the pack's own values are still listed, behind the reform's
    assert!(text.contains("2024-07-01 .. …: 5"), "{text}");
    let rule = reformed.explain("many_female_jobs").unwrap();
    assert_eq!(rule.json["changed_by"], json!([]));
    let r = Engine::embedded()
        .unwrap()
        .with_reform(&example("many-jobs-at-least.toml"))
        .unwrap();
    let x = r.explain("many_female_jobs").unwrap();
    let t = x.to_text(Lang::Vi);
    assert!(
        t.contains("when: rule.female_labour_share >= param.many_jobs_threshold"),
        "{t}"
    );
    assert!(
        t.contains("căn cứ: Phương án giả định sửa II.1.b, II.1.b"),
        "{t}"
    );
    assert!(
        t.contains(
            "sửa bởi cải cách: many-jobs-at-least — Tính cả HTX, THT có đúng 60% (70%) lao động nữ"
        ),
        "{t}"
    );
}

#[test]
fn a_rule_replaced_changes_its_outcome_its_reasons_and_what_depends_on_it() {
    let base = Engine::embedded().unwrap();
    let r = base
        .with_reform(&example("many-jobs-at-least.toml"))
        .unwrap();
    // exactly 60% in phase 1: not above 60%, but at least 60%
    let coop = json!({ "kind": "htx", "established_on": "2024-01-10", "workers": { "total": 10, "female": 6 },
                       "managers": [{ "role": "director", "gender": "female" }] });
    let at = d("2025-06-30");
    let before = base.evaluate("cooperative", &coop, at).unwrap();
    let after = r.evaluate("cooperative", &coop, at).unwrap();
    assert_eq!(
        before.decision("many_female_jobs").unwrap().outcome(),
        Outcome::No
    );
    assert_eq!(
        after.decision("many_female_jobs").unwrap().outcome(),
        Outcome::Yes
    );
    // counts_as_new refers to many_female_jobs: it is under the reform too
    assert_eq!(
        before.decision("counts_as_new").unwrap().outcome(),
        Outcome::No
    );
    assert_eq!(
        after.decision("counts_as_new").unwrap().outcome(),
        Outcome::Yes
    );
    let ids: Vec<&str> = after
        .decision("counts_as_new")
        .unwrap()
        .reforms()
        .iter()
        .map(|x| x.id.as_str())
        .collect();
    assert_eq!(ids, ["many-jobs-at-least"]);
    // the citation is the reform's, and so is the `yes` wording (exactly 60% is not "above")
    let d = after.decision("many_female_jobs").unwrap();
    assert_eq!(d.cite().document, "Phương án giả định sửa II.1.b");
    assert_eq!(d.reasons()[0].en, "Female labour share 60% is at least 60%");
    // the replaced `no` wording is used
    let low = json!({ "kind": "htx", "workers": { "total": 10, "female": 5 } });
    let e = r.evaluate("cooperative", &low, at).unwrap();
    assert_eq!(
        e.decision("many_female_jobs").unwrap().reasons()[0].en,
        "Female labour share 50% is below 60%"
    );
}

#[test]
fn a_reading_chosen_on_every_date_replaces_every_value() {
    let base = Engine::embedded().unwrap();
    let r = base.with_reform(&example("leaders-reading.toml")).unwrap();
    let x = r.explain("women_leadership_reading").unwrap();
    let values = x.json["values"].as_array().unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0]["value"], "leaders");
    assert_eq!(
        (values[0]["from"].as_str(), values[0]["to"].as_str()),
        (Some("2023-01-01"), Some("2030-12-31"))
    );
    // the progress decision reads it: 1 woman of 4 leaders against 1 of 1 cooperatives
    let p =
        json!({ "phase": 2, "new_women_managed_share": "1", "new_women_leaders_share": "0.25" });
    let at = d("2027-01-01");
    let before = base.evaluate("progress", &p, at).unwrap();
    let after = r.evaluate("progress", &p, at).unwrap();
    assert_eq!(
        before
            .decision("new_with_women_leadership_share")
            .unwrap()
            .outcome(),
        Outcome::Yes
    );
    assert_eq!(
        after
            .decision("new_with_women_leadership_share")
            .unwrap()
            .outcome(),
        Outcome::No
    );
}

#[test]
fn reforms_stack_in_order_and_the_same_one_twice_is_refused() {
    let base = Engine::embedded().unwrap();
    let two = base
        .with_reform(&example("htx-min-7.toml"))
        .unwrap()
        .with_reform(&reform("[[parameter]]\nname = \"htx_min_members\"\nvalues = [{ from = \"2025-01-01\", value = 9 }]\n"))
        .unwrap();
    let coop = json!({ "kind": "htx", "members": { "total": 8 } });
    let min = |at: &str| {
        two.evaluate("cooperative", &coop, d(at))
            .unwrap()
            .decision("meets_membership_minimum")
            .unwrap()
            .target()
            .cloned()
    };
    assert_eq!(min("2024-12-31").unwrap().to_json(), json!(7));
    assert_eq!(min("2025-01-01").unwrap().to_json(), json!(9));
    let ids: Vec<&str> = two.reforms().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["htx-min-7", "t"]);
    let err = two.with_reform(&example("htx-min-7.toml")).unwrap_err();
    assert_eq!(diags(&err)[0].3, "reform.shape");
    assert!(diags(&err)[0].4.contains("applied twice"));
}

#[test]
fn unknown_names_are_located_in_the_reform_file_with_a_suggestion() {
    let base = Engine::embedded().unwrap();
    let err = base
        .with_reform(&reform("\n[[parameter]]\nname = \"htx_min_member\"\nvalue = 7\n\n[[rule]]\nname = \"many_female_job\"\nwhen = \"true\"\n"))
        .unwrap_err();
    assert_eq!(
        diags(&err),
        [
            (
                "t.toml".into(),
                7,
                8,
                "reform.parameter".into(),
                "unknown parameter `htx_min_member` (did you mean `htx_min_members`?)".into()
            ),
            (
                "t.toml".into(),
                11,
                8,
                "reform.rule".into(),
                "unknown rule `many_female_job` (did you mean `many_female_jobs`?)".into()
            ),
        ]
    );
    assert_eq!(
        err.diagnostics()[0].message.vi,
        "không có tham số `htx_min_member` (có phải `htx_min_members`?)"
    );
}

#[test]
fn a_rule_part_that_does_not_check_is_reported_at_the_reform_line_and_column() {
    let base = Engine::embedded().unwrap();
    // a field that does not exist, in the reform's `when` (line 8, inside the string)
    let err = base
        .with_reform(&reform("\n[[rule]]\nname = \"many_female_jobs\"\nwhen = \"rule.female_labour_share > workers.femle\"\n"))
        .unwrap_err();
    let d = diags(&err);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].0.as_str(), d[0].1, d[0].2, d[0].3.as_str()),
        ("t.toml", 8, 44, "expr.unknown_field")
    );
    // a type error: a share compared with a date
    let err = base
        .with_reform(&reform("[[rule]]\nname = \"many_female_jobs\"\nwhen = \"rule.female_labour_share > 2024-01-01\"\n"))
        .unwrap_err();
    assert_eq!(diags(&err)[0].0, "t.toml");
    assert_eq!(diags(&err)[0].1, 7);
    // a wrongly typed value: a share written as a float
    let err = base
        .with_reform(&reform("[[parameter]]\nname = \"many_jobs_threshold\"\nvalues = [{ from = \"2026-01-01\", value = 0.65 }]\n"))
        .unwrap_err();
    assert_eq!(
        (diags(&err)[0].1, diags(&err)[0].3.as_str()),
        (7, "param.value")
    );
    // a constraint has `require`, not `when`
    let err = base
        .with_reform(&reform(
            "[[rule]]\nname = \"workers_female_within_total\"\nwhen = \"true\"\n",
        ))
        .unwrap_err();
    assert!(
        diags(&err)
            .iter()
            .any(|d| d.3 == "reform.shape" || d.3 == "reform.rule"),
        "{:?}",
        diags(&err)
    );
    // TOML problems and unknown keys, as in a pack file
    let err = base
        .with_reform(&reform(
            "[[rule]]\nname = \"many_female_jobs\"\nwen = \"true\"\n",
        ))
        .unwrap_err();
    assert_eq!(
        (
            diags(&err)[0].1,
            diags(&err)[0].2,
            diags(&err)[0].3.as_str()
        ),
        (7, 1, "pack.schema")
    );
    let err = base
        .with_reform(&Reform::from_toml("x.toml", "[reform\n"))
        .unwrap_err();
    assert_eq!(diags(&err)[0].3, "pack.syntax");
}

#[test]
fn the_threshold_lint_holds_a_replaced_comparison_to_the_reform_wording() {
    let base = Engine::embedded().unwrap();
    // `>=` under a citation whose wording says "trên": refused, at the reform's [reform] table
    let body = "[[rule]]\nname = \"many_female_jobs\"\nwhen = \"rule.female_labour_share >= param.many_jobs_threshold\"\ncite = { document = \"Dự thảo\", section = \"1\", wording = \"trên 60% lao động là nữ\" }\n";
    let err = base.with_reform(&reform(body)).unwrap_err();
    let d = diags(&err);
    assert_eq!(
        (d[0].0.as_str(), d[0].1, d[0].3.as_str()),
        ("t.toml", 8, "lint.threshold_wording"),
        "{d:?}"
    );
}

#[test]
fn a_reform_given_as_json_is_the_same_as_its_toml() {
    let base = Engine::embedded().unwrap();
    let short =
        Reform::from_json(&json!({ "htx_min_members": [{ "from": "2024-07-01", "value": 7 }] }))
            .unwrap();
    let r = base.with_reform(&short).unwrap();
    let coop = json!({ "kind": "htx", "members": { "total": 6 } });
    let out = r.evaluate("cooperative", &coop, d("2025-01-01")).unwrap();
    assert_eq!(
        out.decision("meets_membership_minimum").unwrap().outcome(),
        Outcome::No
    );
    assert_eq!(
        r.reforms()[0].title.en,
        "Hypothetical reform: htx_min_members"
    );
    // decimals as numbers are taken exactly (0.65 is the text "0.65", not a binary float)
    let share = Reform::from_json(
        &json!({ "many_jobs_threshold": [{ "from": "2026-01-01", "value": 0.65 }] }),
    )
    .unwrap();
    let r = base.with_reform(&share).unwrap();
    let c = json!({ "kind": "htx", "workers": { "total": 100, "female": 66 } });
    assert_eq!(
        r.evaluate("cooperative", &c, d("2026-06-30"))
            .unwrap()
            .decision("many_female_jobs")
            .unwrap()
            .outcome(),
        Outcome::Yes
    );
    // the file's own shape
    let full = Reform::from_json(&json!({
        "reform": { "id": "j", "title": { "vi": "J", "en": "J" }, "cite": { "document": "D", "section": "1" } },
        "rule": [{ "name": "many_female_jobs", "when": "rule.female_labour_share > 0.9" }]
    })).unwrap();
    let r = base.with_reform(&full).unwrap();
    assert_eq!(
        r.evaluate("cooperative", &c, d("2026-06-30"))
            .unwrap()
            .decision("many_female_jobs")
            .unwrap()
            .outcome(),
        Outcome::No
    );
    // what cannot be a reform
    assert_eq!(
        Reform::from_json(&json!([1])).unwrap_err().code(),
        "input.json"
    );
    assert_eq!(
        Reform::from_json(&json!({ "x": null })).unwrap_err().code(),
        "input.json"
    );
    assert_eq!(
        Reform::from_json(&json!({})).unwrap_err().code(),
        "input.json"
    );
}

#[test]
fn too_many_reforms_are_refused() {
    let mut e = Engine::embedded().unwrap();
    for i in 0..htx_rules::limits::REFORMS {
        let text = format!("[reform]\nid = \"r{i}\"\ntitle = {{ vi = \"a\", en = \"a\" }}\ncite = {{ document = \"d\", section = \"s\" }}\n");
        e = e
            .with_reform(&Reform::from_toml(format!("r{i}.toml"), text))
            .unwrap();
    }
    let err = e.with_reform(&reform("")).unwrap_err();
    assert_eq!(diags(&err)[0].3, "reform.limit");
}
