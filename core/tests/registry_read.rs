#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Reading a registry in core: a JSON object streamed row by row (rows located by line and
//! column), JSON Lines and CSV collections in a folder with cells typed by the schema, a
//! malformed row becoming a located record error while the others are counted.

use std::collections::BTreeMap;
use std::io::Read;

use htx_rules::report::{RegistryFiles, RegistryFormat, Report};
use htx_rules::{Date, Engine, Error};

/// A folder held in memory.
struct Files(BTreeMap<String, String>);

impl RegistryFiles for Files {
    fn list(&self) -> Result<Vec<String>, Error> {
        Ok(self.0.keys().cloned().collect())
    }
    fn open(&self, name: &str) -> Result<Box<dyn Read + '_>, Error> {
        Ok(Box::new(self.0.get(name).unwrap().as_bytes()))
    }
}

fn as_of() -> Date {
    Date::parse("2025-06-30").unwrap()
}

fn value(r: &Report, id: &str) -> serde_json::Value {
    let i = r
        .periods
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.id == id)
        .unwrap();
    serde_json::to_value(i.value).unwrap()
}

#[test]
fn a_json_registry_is_read_row_by_row_with_locations() {
    let engine = Engine::embedded().unwrap();
    let text = "\u{feff}{\n  \"province\": \"X\",\n  \"union_officials\": [\n    {\"id\": \"a\", \"supports_cooperatives\": true, \"trained\": true},\n    null,\n    {\"id\": \"b\", \"supports_cooperatives\": true, \"trained\": \"yes\"}\n  ]\n}\n";
    let mut b = engine.report_builder(as_of()).unwrap();
    b.read_json("reg.json", text.as_bytes()).unwrap();
    let r = b.finish();
    assert_eq!(r.registry.meta[0].value, "X");
    assert_eq!(r.registry.collections[1].rows, 3);
    let null = &r.record_errors[0];
    assert_eq!(
        (null.record, null.line, null.column, null.source.as_deref()),
        (Some(2), Some(5), Some(5), Some("reg.json"))
    );
    let bad = &r.record_errors[1];
    assert_eq!(
        (bad.record, bad.line, bad.id.as_deref()),
        (Some(3), Some(6), Some("b"))
    );
    assert_eq!(bad.errors[0].field, "/trained");
    // "b" is counted with its bad fact unknown: the share is over "a" only
    assert_eq!(value(&r, "union_officials_trained_share"), "1");
    // a syntax error outside the rows stops the reading, located
    let mut b = engine.report_builder(as_of()).unwrap();
    let err = b
        .read_json("reg.json", "{\"persons\": [] ,, }".as_bytes())
        .unwrap_err();
    assert_eq!(err.code(), "input.json");
    assert!(
        err.message().en.contains("reg.json"),
        "{}",
        err.message().en
    );
}

#[test]
fn a_folder_of_json_lines_and_csv_is_typed_by_the_schema() {
    let engine = Engine::embedded().unwrap();
    let mut files = BTreeMap::new();
    // an id 00123 stays text; dotted headers; managers as JSON in its cell; a short row
    files.insert(
        "cooperatives.csv".to_string(),
        "id,kind,established_on,workers.total,workers.female,managers,programme.restructuring_guided,phone\n\
         00123,htx,2020-01-01,10,8,\"[{\"\"role\"\":\"\"director\"\",\"\"gender\"\":\"\"female\"\"}]\",true,0909\n\
         00124,htx,2020-01-01\n\
         00125,htx,2020-01-01,10,8,\"[{\"\"role\"\":\"\"director\"\",\"\"gender\"\":\"\"female\"\"}]\",false,0909\n"
            .to_string(),
    );
    files.insert(
        "persons.jsonl".to_string(),
        "{\"id\": \"p1\", \"gender\": \"female\", \"disability\": true}\n\n{\"id\": \"p2\", \"gender\": \n{\"id\": \"p3\", \"gender\": \"male\"}\n"
            .to_string(),
    );
    files.insert(
        "registry.json".to_string(),
        "{\"province\": \"Y\", \"synthetic\": true}".to_string(),
    );
    files.insert("notes.txt".to_string(), "hello".to_string());
    let mut b = engine.report_builder(as_of()).unwrap();
    b.read_files(&Files(files)).unwrap();
    let r = b.finish();
    assert_eq!(r.registry.collections[0].rows, 3);
    assert_eq!(r.registry.collections[2].rows, 3);
    assert!(r.registry.flag("synthetic"));
    // two women-managed HTX, one guided
    assert_eq!(value(&r, "htx_restructuring_guided_share"), "0.5");
    let short = r
        .record_errors
        .iter()
        .find(|e| e.source.as_deref() == Some("cooperatives.csv"))
        .unwrap();
    assert_eq!(
        (short.line, short.errors[0].code.as_str()),
        (Some(3), "registry.record")
    );
    let line = r
        .record_errors
        .iter()
        .find(|e| e.source.as_deref() == Some("persons.jsonl"))
        .unwrap();
    assert_eq!((line.line, line.record), (Some(3), Some(2)));
    let ignored: Vec<_> = r.ignored.iter().map(|i| i.field.as_str()).collect();
    assert!(
        ignored.contains(&"phone") && ignored.contains(&"notes.txt"),
        "{ignored:?}"
    );
    // the id of a CSV row is the text "00123"
    let mut b = engine.report_builder(as_of()).unwrap();
    b.read_collection(
        "cooperatives",
        RegistryFormat::Csv,
        "c.csv",
        "id,kind,workers.total,workers.female\n00123,htx,10,12\n".as_bytes(),
    )
    .unwrap();
    let r = b.finish();
    assert_eq!(r.record_errors[0].id.as_deref(), Some("00123"));
}

/// With several threads, JSON Lines and CSV chunks are evaluated in parallel and merged in
/// order: the same report as one thread, errors and duplicates included.
#[test]
fn threads_give_the_same_report() {
    let engine = Engine::embedded().unwrap();
    let sample: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../cli/data/sample-registry.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // 6,000 persons (several chunks), a broken line, a duplicate id far from its first copy
    let persons = sample["persons"].as_array().unwrap();
    let mut jsonl = String::new();
    for k in 0..15 {
        for p in persons {
            let mut p = p.clone();
            p["id"] = format!("{}-{k}", p["id"].as_str().unwrap()).into();
            jsonl.push_str(&serde_json::to_string(&p).unwrap());
            jsonl.push('\n');
        }
        if k == 7 {
            jsonl.push_str("{\"id\": \"broken\", \n");
            jsonl.push_str(
                &serde_json::to_string(&persons[3])
                    .unwrap()
                    .replace("P-0004", "P-0004-0"),
            );
            jsonl.push('\n');
        }
    }
    let mut csv = String::from("id,kind,established_on,workers.total,workers.female,managers\n");
    for (i, c) in sample["cooperatives"]
        .as_array()
        .unwrap()
        .iter()
        .cycle()
        .take(3000)
        .enumerate()
    {
        let m = serde_json::to_string(&c["managers"])
            .unwrap()
            .replace('"', "\"\"");
        csv.push_str(&format!(
            "C{i},{},{},{},{},\"{m}\"\n",
            c["kind"].as_str().unwrap(),
            c["established_on"].as_str().unwrap(),
            c["workers"]["total"],
            c["workers"]["female"],
        ));
        if i == 1500 {
            csv.push_str("bad,row\n");
        }
    }
    let mut files = BTreeMap::new();
    files.insert("persons.jsonl".to_string(), jsonl);
    files.insert("cooperatives.csv".to_string(), csv);
    let files = Files(files);
    let run = |threads| {
        let mut b = engine
            .report_builder(Date::parse("2026-11-27").unwrap())
            .unwrap();
        b.threads(threads);
        b.read_files(&files).unwrap();
        serde_json::to_value(b.finish()).unwrap()
    };
    let one = run(1);
    assert_eq!(one["registry"]["persons"], 6002);
    let errors = one["record_errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["line"] == 3201), "{errors:?}");
    assert!(errors
        .iter()
        .any(|e| e["errors"][0]["code"] == "registry.duplicate"));
    assert!(errors.iter().any(|e| e["source"] == "cooperatives.csv"));
    for threads in [2, 3, 4] {
        let many = run(threads);
        let strip = |v: &serde_json::Value| {
            let mut v = v.clone();
            // a duplicate found when merging partials has no location
            for e in v["record_errors"].as_array_mut().unwrap() {
                if e["errors"][0]["code"] == "registry.duplicate" {
                    *e = serde_json::json!({ "duplicate": e["id"].clone() });
                }
            }
            v
        };
        assert_eq!(strip(&many), strip(&one), "{threads} threads");
    }
}
