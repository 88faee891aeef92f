//! A batch decodes each record of JSON text over the one it evaluated before (slots, nested
//! records, lists and texts of the same length overwritten in place), and `evaluate_json`
//! over the last record its thread evaluated: whatever came before, a record must decode and
//! evaluate exactly as it does alone — facts, errors, reasons, notes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use htx_rules::{Date, Engine, Options};
use proptest::prelude::*;
use serde_json::Value;

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().unwrap())
}

fn day() -> Date {
    Date::parse("2025-06-30").unwrap()
}

/// What a record gives alone: decoded by a fresh batch, its evaluation as JSON and its
/// decoding's errors; `Err` with the error's text when it cannot be read.
fn alone(text: &[u8]) -> Result<(Value, Value), String> {
    let mut b = engine().batch("cooperative", Options::default()).unwrap();
    one(&mut b, text)
}

fn one(b: &mut htx_rules::Batch<'_>, text: &[u8]) -> Result<(Value, Value), String> {
    let d = b.decode_json(text).map_err(|e| format!("{e:?}"))?;
    let errors = serde_json::to_value(d.errors()).unwrap();
    let ev = b.evaluate(d, day());
    Ok((ev.to_json(), errors))
}

/// Texts one after another through one batch give what each gives alone, and the batch's
/// notes are those of a batch that never reused anything.
fn check_sequence(texts: &[Vec<u8>]) {
    let e = engine();
    let mut reused = e.batch("cooperative", Options::default()).unwrap();
    for t in texts {
        assert_eq!(
            one(&mut reused, t),
            alone(t),
            "{}",
            String::from_utf8_lossy(t)
        );
        // the one-record entry point, over this thread's last record, against the same on
        // a thread that has none
        let json = |t: &[u8]| {
            e.evaluate_json("cooperative", t, day(), Options::default())
                .map(|ev| ev.to_json())
                .map_err(|e| format!("{e:?}"))
        };
        let fresh = std::thread::scope(|s| s.spawn(|| json(t)).join().unwrap());
        assert_eq!(json(t), fresh, "{}", String::from_utf8_lossy(t));
        // the same through a parsed `Value` (`Engine::evaluate`, Python's `evaluate()`),
        // which decodes over this thread's last record too
        if let Ok(v) = serde_json::from_slice::<Value>(t) {
            let value = |v: &Value| {
                e.evaluate("cooperative", v, day())
                    .map(|ev| ev.to_json())
                    .map_err(|e| format!("{e:?}"))
            };
            let fresh = std::thread::scope(|s| s.spawn(|| value(&v)).join().unwrap());
            assert_eq!(value(&v), fresh, "{}", String::from_utf8_lossy(t));
        }
    }
}

const RECORDS: &[&str] = &[
    r#"{"id":"BT-HTX-0001","kind":"htx","established_on":"2024-03-15","members":{"total":12,"female":9},"workers":{"total":40,"female":31},"managers":[{"role":"board_chair","gender":"female","trained":true},{"role":"director","gender":"male"}],"sectors":["handicraft","ocop"],"value_chain":true}"#,
    r#"{"id":"BT-HTX-0002","kind":"tht","managers":[{"role":"group_leader","gender":"female"}],"sectors":[]}"#,
    r#"{"id":"BT-2","kind":"htx","workers":{"total":10,"female":12},"members":{"female":3}}"#,
    r#"{"id":"BT-HTX-0003","workers":{"total":-4,"female":2},"managers":[{"role":"director","gender":"nobody"}]}"#,
    r#"{"id":"B\u0054-HTX-0004","kind":"htx","kind":"tht","workers":{"total":"45","female":31.0}}"#,
    r#"{"id":12345,"kind":"union","established_on":"2030-01-01","sectors":["ocop","x"],"managers":[null]}"#,
    r#"{"workers_female":3,"phone":"0900","members":{"total":1e999,"female":2}}"#,
    r#"{"id":"BT-HTX-0005","members":[1,2],"workers":{"total":{"a":1},"female":NaN},"managers":{"role":"x"}}"#,
    r#"[1,2,3]"#,
    r#"{"id":"BT-HTX-0006","kind":"htx","workers":{"total":40,"#,
    r#"null"#,
    r#"{}"#,
    r#"{"id":"BT-HTX-0007","managers":[{"role":"director","gender":"female","trained":true},{"role":"supervisor","gender":"female"},{"role":"board_member","gender":"male","trained":false}],"sectors":["handicraft","ocop","tourism"]}"#,
];

#[test]
fn every_pair_of_records_decodes_as_each_alone() {
    for a in RECORDS {
        for b in RECORDS {
            check_sequence(&[a.as_bytes().to_vec(), b.as_bytes().to_vec()]);
        }
    }
}

#[test]
fn notes_of_a_reusing_batch_are_those_of_one_pass() {
    let e = engine();
    let mut b = e.batch("cooperative", Options::default()).unwrap();
    let mut seen = Vec::new();
    for t in RECORDS {
        if let Ok(d) = b.decode_json(t.as_bytes()) {
            seen.push(b.evaluate(d, day()).to_json());
        }
    }
    // the same records, each decoded without a record to reuse (split batches absorbed)
    let mut whole = e.batch("cooperative", Options::default()).unwrap();
    for (i, t) in RECORDS.iter().enumerate() {
        let mut part = whole.split();
        if let Ok(d) = part.decode_json(t.as_bytes()) {
            let _ = (i, part.evaluate(d, day()));
        }
        whole.absorb(part);
    }
    assert_eq!(
        serde_json::to_value(b.notes()).unwrap(),
        serde_json::to_value(whole.notes()).unwrap()
    );
    assert!(!seen.is_empty());
}

/// A JSON value the cooperative schema partly knows (ids of one length and of others).
fn coop_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..60).prop_map(Value::from),
        (0.0f64..2.0).prop_map(Value::from),
        prop::sample::select(vec![
            "htx",
            "tht",
            "BT-1",
            "BT-2",
            "BT-10",
            "x",
            "60%",
            "2024-02-30",
            "2024-03-01",
            "director",
            "female",
            "12"
        ])
        .prop_map(Value::from),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "total", "female", "role", "gender", "trained", "extra"
                ]),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    });
    prop::collection::btree_map(
        prop::sample::select(vec![
            "id",
            "kind",
            "established_on",
            "members",
            "workers",
            "managers",
            "sectors",
            "value_chain",
            "phone",
            "workers_female",
        ]),
        value,
        0..9,
    )
    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

proptest! {
    /// Any records one after another decode and evaluate as each alone.
    #[test]
    fn records_after_others_decode_as_alone(vs in prop::collection::vec(coop_value(), 1..5)) {
        let texts: Vec<Vec<u8>> = vs.iter().map(|v| serde_json::to_vec(v).unwrap()).collect();
        check_sequence(&texts);
    }
}

/// A pack whose enum `k` has `values` in this order, and a decision `k == "b"`.
fn enum_pack(values: &str) -> Engine {
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "p/pack.toml".to_string(),
        "[pack]\nid = \"p\"\nversion = \"1\"\ndocument = \"t\"\n".to_string(),
    );
    files.insert(
        "p/rules.toml".to_string(),
        format!(
            "[[enum]]\nname = \"k\"\nvalues = {values}\n\n[[entity]]\nname = \"e\"\nlabel = {{ vi = \"E\", en = \"E\" }}\nfields = [{{ name = \"k\", type = \"k\", label = {{ vi = \"K\", en = \"K\" }} }}]\n\n[[rule]]\nname = \"is_b\"\nentity = \"e\"\nkind = \"decision\"\nwhen = \"k == \\\"b\\\"\"\ncite = {{ document = \"t\", section = \"1\" }}\n"
        ),
    );
    Engine::from_sources(&files, "p").unwrap()
}

/// `evaluate_json` decodes over the last record its thread evaluated, whatever engine that was:
/// an enum value of another pack (where `b` has another position) is never kept.
#[test]
fn a_record_of_another_engine_is_decoded_over_safely() {
    let ab = enum_pack("[\"a\", \"b\"]");
    let ba = enum_pack("[\"b\", \"a\"]");
    let text = br#"{"k": "b"}"#;
    for (first, second) in [(&ab, &ba), (&ba, &ab)] {
        let a = first
            .evaluate_json("e", text, day(), Options::default())
            .unwrap();
        assert_eq!(a.decision("is_b").unwrap().outcome().as_str(), "yes");
        let b = second
            .evaluate_json("e", text, day(), Options::default())
            .unwrap();
        assert_eq!(b.decision("is_b").unwrap().outcome().as_str(), "yes");
    }
}
