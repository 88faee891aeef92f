//! Text a person reads never shows a placeholder, a JSON Pointer or a code name — through
//! evaluation and validation of the shipped packs. Fact combinations are generated from the
//! pack's own test records (the conformance corpus) and the schema of the fields the rules
//! read: every field removed, given a value of the wrong type, or out of its bounds; every
//! field of every list item removed or mistyped; and dates outside the programme. Every
//! reason of every decision, every field error of the evaluation and every validation message
//! is checked in both languages (`support/leaks.rs`). The renderer itself is driven through
//! every outcome and argument combination in `core/src/engine/reasons_tests.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod support;

use std::collections::BTreeMap;

use htx_rules::{Date, Engine, FieldInfo, FieldKind, Message};
use serde_json::{json, Value};
use support::leaks::{leak, Names};

fn names(engine: &Engine) -> Names {
    let mut n = Names::default();
    fn walk(fields: &[FieldInfo], n: &mut Names) {
        for f in fields {
            n.fields.insert(f.name.clone());
            n.other.extend(f.values.iter().map(|v| v.value.clone()));
            walk(&f.items, n);
        }
    }
    for e in engine.entities() {
        walk(&engine.fields(e).unwrap(), &mut n);
        n.other.extend(
            engine
                .decision_names(e)
                .unwrap()
                .iter()
                .map(|s| s.to_string()),
        );
    }
    n.other.extend(engine.explainable());
    n
}

/// A value of the wrong type for a field of kind `k`.
fn mistyped(k: FieldKind) -> Value {
    match k {
        FieldKind::String => json!(42),
        FieldKind::Date => json!("2024-02-30"),
        FieldKind::Enum => json!("khong_co"),
        FieldKind::Bool => json!("có lẽ"),
        _ => json!("nhiều"),
    }
}

fn set(record: &mut Value, path: &[&str], v: Option<Value>) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = record;
    for p in parents {
        if !cur.get(*p).is_some_and(Value::is_object) {
            if v.is_none() {
                return;
            }
            cur[*p] = json!({});
        }
        cur = &mut cur[*p];
    }
    let Some(obj) = cur.as_object_mut() else {
        return;
    };
    match v {
        Some(v) => {
            obj.insert(last.to_string(), v);
        }
        None => {
            obj.remove(*last);
        }
    }
}

/// Variants of `record`: each field (and each field of each list item) removed, mistyped and
/// out of bounds.
fn variants(record: &Value, fields: &[FieldInfo]) -> Vec<Value> {
    let mut out = vec![record.clone()];
    for f in fields {
        let path: Vec<&str> = f.path.split('.').collect();
        let mut bad = vec![None, Some(mistyped(f.kind))];
        if let Some(min) = f.min {
            bad.push(Some(json!((min - rust_decimal::Decimal::ONE).to_string())));
            bad.push(Some(json!(-1)));
        }
        if let Some(max) = f.max {
            bad.push(Some(json!(max + rust_decimal::Decimal::ONE)));
        }
        for b in bad {
            let mut r = record.clone();
            set(&mut r, &path, b);
            out.push(r);
        }
        if f.kind == FieldKind::List {
            let n = record
                .pointer(&f.pointer)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..n {
                for item in &f.items {
                    for b in [None, Some(mistyped(item.kind))] {
                        let mut r = record.clone();
                        if let Some(it) = r
                            .pointer_mut(&format!("{}/{i}", f.pointer))
                            .filter(|it| it.is_object())
                        {
                            let ip: Vec<&str> = item.path.split('.').collect();
                            set(it, &ip, b);
                            out.push(r);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Field errors whose wording the pack or the form checks write: constraints (the pack's own
/// codes), bounds and required fields. The decoder's messages about the JSON itself
/// (`facts.type`, `facts.enum`, `facts.unknown_field`, …) address the data's author and name the
/// JSON values a field accepts; reasons never show them (they name the field by its label and
/// say what it takes, checked above through the reasons).
fn ours(code: &str) -> bool {
    !code.starts_with("facts.") || matches!(code, "facts.min" | "facts.max" | "facts.required")
}

#[test]
fn no_reason_or_error_of_a_shipped_pack_shows_a_placeholder_pointer_or_code_name() {
    let engine = Engine::embedded().unwrap();
    let names = names(&engine);
    let mut leaks: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    let mut checked = 0usize;
    let mut check = |at: String, m: &Message| {
        for text in [&m.vi, &m.en] {
            checked += 1;
            if let Some(why) = leak(text, &names) {
                leaks
                    .entry((at.clone(), why))
                    .or_insert((text.clone(), 0))
                    .1 += 1;
            }
        }
    };
    let mut fields = BTreeMap::new();
    for e in engine.entities() {
        fields.insert(e.to_string(), engine.fields(e).unwrap());
    }
    for case in engine.conformance_cases() {
        let entity = case["entity"].as_str().unwrap();
        let as_of = Date::parse(case["as_of"].as_str().unwrap()).unwrap();
        let record = &case["record"];
        let mut runs: Vec<(Value, Date)> = variants(record, &fields[entity])
            .into_iter()
            .map(|r| (r, as_of))
            .collect();
        for d in ["2022-06-30", "2031-06-30"] {
            runs.push((record.clone(), Date::parse(d).unwrap()));
        }
        for (r, as_of) in runs {
            if let Ok(ev) = engine.evaluate(entity, &r, as_of) {
                for (name, d) in ev.decisions() {
                    for m in d.reasons() {
                        check(format!("{entity}.{name}.{}", d.outcome().as_str()), &m);
                    }
                }
                for e in ev.errors().iter().filter(|e| ours(&e.code)) {
                    check(format!("{entity} eval error {}", e.code), &e.message);
                }
            }
            if let Ok(v) = engine.validate(entity, &r, as_of) {
                for e in v.errors.iter().filter(|e| ours(&e.code)) {
                    check(format!("{entity} validation {}", e.code), &e.message);
                }
            }
        }
    }
    assert!(checked > 10_000, "only {checked} texts checked");
    let total: usize = leaks.values().map(|(_, n)| n).sum();
    let list: Vec<String> = leaks
        .into_iter()
        .map(|((at, why), (text, n))| format!("{at}: {why} ×{n}, e.g. {text}"))
        .collect();
    println!("{checked} texts checked");
    assert!(
        list.is_empty(),
        "{total} of {checked} texts show what a person must not see:\n{}",
        list.join("\n")
    );
}

#[test]
fn the_leak_check_tells_pointers_and_placeholders_from_ordinary_text() {
    let mut names = Names::default();
    names.fields.insert("female".into());
    names.other.insert("six_monthly".into());
    for bad in [
        "Thiếu dữ liệu: /workers/female",
        "Có ? phụ nữ",
        "tỷ lệ {value}",
        "Tham số `x`",
        "Báo cáo tiếp theo: six_monthly",
        "1.500.000 đồng/người/tháng",
        "",
    ] {
        assert!(leak(bad, &names).is_some(), "{bad:?} passed");
    }
    for good in [
        "HTX/THT ngày 31/12/2025",
        "Người lao động — Số nữ",
        "Tỷ lệ lao động nữ 77,5% trên ngưỡng 60%",
    ] {
        assert_eq!(leak(good, &names), None, "{good:?}");
    }
}
