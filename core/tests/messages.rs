//! The message mechanism on a small pack: alternatives chosen by known placeholders and `when`,
//! field placeholders in constraint messages, facts named by their labels, invalid facts told
//! apart from missing ones; the checker's errors (at the placeholder's own line and column)
//! and warnings (no usable wording, unreachable wording, unlabelled field, untitled rule).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeMap;

use htx_rules::{Date, Engine};
use serde_json::json;

const PACK: &str = "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n";

const SCHEMA: &str = r#"
[[enum]]
name = "gender"
values = ["female", "male"]
labels = { female = { vi = "Nữ", en = "Female" }, male = { vi = "Nam", en = "Male" } }

[[record]]
name = "worker"
label = { vi = "Nhân viên", en = "Worker" }
fields = [{ name = "gender", type = "gender", label = { vi = "Giới tính", en = "Gender" } }]

[[record]]
name = "ledger"
fields = [
  { name = "sales", type = "integer", min = 0, label = { vi = "Doanh số", en = "Sales" } },
  { name = "costs", type = "integer", label = { vi = "Chi phí", en = "Costs" } },
]

[[entity]]
name = "shop"
fields = [
  { name = "staff", type = "list<worker>", label = { vi = "Danh sách nhân viên", en = "Staff" } },
  { name = "books", type = "ledger", label = { vi = "Sổ sách", en = "Books" } },
]
"#;

const RULES: &str = r#"
[[rule]]
name = "has_women"
entity = "shop"
kind = "decision"
title = { vi = "Có nhân viên nữ", en = "Has women staff" }
let = { women = "count(w in staff where w.gender == \"female\")" }
when = "any(w in staff: w.gender == \"female\")"
cite = { document = "t", section = "1" }
messages.yes = [
  { vi = "Có {women} nhân viên nữ", en = "{women} women on the staff" },
  { vi = "Có ít nhất 1 nhân viên nữ", en = "At least one woman on the staff" },
]
messages.no = { vi = "Không có nhân viên nữ", en = "No woman on the staff" }

[[rule]]
name = "profit"
entity = "shop"
kind = "decision"
title = { vi = "Có lãi", en = "Profitable" }
when = "books.sales > books.costs"
value = "books.sales"
target = "books.costs"
cite = { document = "t", section = "2" }
messages.yes = { vi = "Doanh số {value} trên chi phí {target}", en = "Sales {value} above costs {target}" }
messages.no = [
  { when = "books.sales == books.costs", vi = "Hòa vốn: doanh số {books.sales} bằng chi phí", en = "Break-even: sales {books.sales} equal costs" },
  { vi = "Doanh số {value} không vượt chi phí {target}", en = "Sales {value} not above costs {target}" },
]

[[rule]]
name = "costs_within_reason"
entity = "shop"
kind = "constraint"
require = "books.costs <= books.sales * 10"
field = "/books/costs"
code = "books.costs_too_high"
cite = { document = "t", section = "3" }
messages.no = { vi = "Chi phí ({books.costs}) hơn 10 lần doanh số ({books.sales})", en = "Costs ({books.costs}) exceed ten times sales ({books.sales})" }
"#;

fn engine(rules: &str) -> Result<Engine, htx_rules::Error> {
    let mut files = BTreeMap::new();
    files.insert("p/pack.toml".to_string(), PACK.to_string());
    files.insert("p/schema.toml".to_string(), SCHEMA.to_string());
    files.insert("p/rules.toml".to_string(), rules.to_string());
    Engine::from_sources(&files, "p")
}

fn reasons(e: &Engine, facts: serde_json::Value, rule: &str) -> (String, Vec<String>, Vec<String>) {
    let ev = e
        .evaluate("shop", &facts, Date::parse("2025-01-01").unwrap())
        .unwrap();
    let d = ev.decision(rule).unwrap();
    let vi = d.reasons().iter().map(|m| m.vi.clone()).collect();
    (d.outcome().as_str().to_string(), vi, d.missing().to_vec())
}

#[test]
fn the_first_usable_wording_is_used() {
    let e = engine(RULES).unwrap();
    assert!(e.warnings().is_empty(), "{:?}", e.warnings());
    let two = json!({"staff": [{"gender": "female"}, {"gender": "female"}]});
    assert_eq!(reasons(&e, two, "has_women").1, ["Có 2 nhân viên nữ"]);
    // a woman, and someone whose gender is not given: the count is unknown, the answer is not
    let one = json!({"staff": [{"gender": "female"}, {}]});
    let (outcome, r, missing) = reasons(&e, one, "has_women");
    assert_eq!(
        (outcome.as_str(), r, missing),
        ("yes", vec!["Có ít nhất 1 nhân viên nữ".to_string()], vec![])
    );
    // `when` picks the break-even wording; a field placeholder fills it
    let even = json!({"books": {"sales": 5, "costs": 5}});
    assert_eq!(
        reasons(&e, even, "profit").1,
        ["Hòa vốn: doanh số 5 bằng chi phí"]
    );
    let loss = json!({"books": {"sales": 4, "costs": 5}});
    assert_eq!(
        reasons(&e, loss, "profit").1,
        ["Doanh số 4 không vượt chi phí 5"]
    );
}

#[test]
fn missing_facts_are_named_by_their_labels() {
    let e = engine(RULES).unwrap();
    let (outcome, r, missing) =
        reasons(&e, json!({"staff": [{"gender": "male"}, {}]}), "has_women");
    assert_eq!(outcome, "unknown");
    assert_eq!(missing, ["/staff/1/gender"]);
    assert_eq!(r, ["Thiếu dữ liệu: Nhân viên thứ 2 — Giới tính"]);
    let (_, r, _) = reasons(&e, json!({}), "profit");
    assert_eq!(r, ["Thiếu dữ liệu: Sổ sách — Doanh số; Sổ sách — Chi phí"]);
}

#[test]
fn an_invalid_fact_is_not_missing_and_the_reason_says_why() {
    let e = engine(RULES).unwrap();
    let as_of = Date::parse("2025-01-01").unwrap();
    // a constraint: its message carries the figures, in validation and in the reason
    let facts = json!({"books": {"sales": 5, "costs": 100}});
    let v = e.validate("shop", &facts, as_of).unwrap();
    assert_eq!(
        v.errors[0].message.vi,
        "Chi phí (100) hơn 10 lần doanh số (5)"
    );
    let (outcome, r, missing) = reasons(&e, facts, "profit");
    assert_eq!((outcome.as_str(), missing.len()), ("unknown", 0));
    assert_eq!(
        r,
        ["Dữ liệu không hợp lệ, chưa được dùng: Chi phí (100) hơn 10 lần doanh số (5)"]
    );
    // a bound
    let (_, r, missing) = reasons(&e, json!({"books": {"sales": -1, "costs": 0}}), "profit");
    assert!(missing.is_empty());
    assert_eq!(
        r,
        ["Dữ liệu không hợp lệ, chưa được dùng: Sổ sách — Doanh số (-1) không được nhỏ hơn 0"]
    );
    // a wrong type, with the value given and what the field takes
    let (_, r, _) = reasons(
        &e,
        json!({"books": {"sales": "nhiều", "costs": 0}}),
        "profit",
    );
    assert_eq!(
        r,
        ["Dữ liệu không hợp lệ, chưa được dùng: Sổ sách — Doanh số (“nhiều”): cần một số nguyên"]
    );
    let (_, r, missing) = reasons(&e, json!({"staff": [{"gender": "x"}]}), "has_women");
    assert!(missing.is_empty());
    assert_eq!(
        r,
        ["Dữ liệu không hợp lệ, chưa được dùng: Nhân viên thứ nhất — Giới tính (“x”): cần một trong: Nữ, Nam"]
    );
    // invalid and missing together: each said once
    let (_, r, missing) = reasons(&e, json!({"books": {"sales": "nhiều"}}), "profit");
    assert_eq!(missing, ["/books/costs"]);
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!(r[1], "Thiếu dữ liệu: Sổ sách — Chi phí");
}

fn problems(rules: &str) -> Vec<String> {
    match engine(rules) {
        Ok(e) => e
            .warnings()
            .iter()
            .map(|d| format!("{}:{}:{}", d.line, d.column, d.code))
            .collect(),
        Err(err) => err
            .diagnostics()
            .iter()
            .map(|d| format!("{}:{}:{}", d.line, d.column, d.code))
            .collect(),
    }
}

#[test]
fn a_bad_placeholder_is_reported_where_it_is_written() {
    let bad = RULES.replace(
        "Không có nhân viên nữ\"",
        "Không có \\\"nhân viên\\\" nữ {nope}\"",
    );
    // line 14: messages.no = { vi = "Không có \"nhân viên\" nữ {nope}", … }; the escapes
    // before it do not shift the column
    assert_eq!(problems(&bad), ["14:49:message.placeholder"]);
    let unclosed = RULES.replace("Có ít nhất 1", "Có {women ít nhất 1");
    assert_eq!(problems(&unclosed), ["12:14:message.placeholder"]);
    let list = RULES.replace("Có ít nhất 1", "Có {staff} ít nhất 1");
    assert_eq!(problems(&list), ["12:14:message.placeholder"]);
    let when = RULES.replace(
        "when = \"books.sales == books.costs\"",
        "when = \"books.sales\"",
    );
    assert_eq!(problems(&when), ["27:12:message.when"]);
}

#[test]
fn the_checker_warns_about_wordings_that_may_not_be_usable() {
    // without the fallback, `{women}` may be unknown when the answer is yes
    let no_fallback = RULES.replace(
        "  { vi = \"Có ít nhất 1 nhân viên nữ\", en = \"At least one woman on the staff\" },\n",
        "",
    );
    assert_eq!(problems(&no_fallback), ["11:3:lint.message_fallback"]);
    // `{value}` is known whenever `profit` is no (the comparison needs it): no warning; but
    // a `no` wording after it is never used
    let unreachable = RULES.replace(
        "not above costs {target}\" },\n]",
        "not above costs {target}\" },\n  { vi = \"Lỗ\", en = \"Loss\" },\n]",
    );
    assert_eq!(problems(&unreachable), ["29:3:lint.message_unreachable"]);
    // a `when` is never a fallback
    let only_when = RULES.replace(
        "  { vi = \"Doanh số {value} không vượt chi phí {target}\", en = \"Sales {value} not above costs {target}\" },\n",
        "",
    );
    assert_eq!(problems(&only_when), ["27:3:lint.message_fallback"]);
    // a field without a label, a rule without a title
    let mut files = BTreeMap::new();
    files.insert("p/pack.toml".to_string(), PACK.to_string());
    files.insert(
        "p/r.toml".to_string(),
        "[[entity]]\nname = \"e\"\nfields = [{ name = \"n\", type = \"integer\" }]\n\n[[rule]]\nname = \"big\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"n > 3\"\ncite = { document = \"t\", section = \"1\" }\n".to_string(),
    );
    let e = Engine::from_sources(&files, "p").unwrap();
    let w: Vec<String> = e
        .warnings()
        .iter()
        .map(|d| format!("{}:{}:{}:{}", d.file, d.line, d.column, d.code))
        .collect();
    assert_eq!(
        w,
        [
            "p/r.toml:6:8:lint.rule_title",
            "p/r.toml:6:8:lint.field_label"
        ]
    );
    // and the last-resort reason is the title, or the name made readable
    let ev = e
        .evaluate("e", &json!({"n": 5}), Date::parse("2025-01-01").unwrap())
        .unwrap();
    assert_eq!(ev.decision("big").unwrap().reasons()[0].en, "Big: yes");
}
