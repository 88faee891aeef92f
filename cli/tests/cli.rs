//! End-to-end tests of the `htx-rules` command: outputs and exit codes as in the contract.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use assert_cmd::Command;
use serde_json::Value;

fn cmd() -> Command {
    Command::cargo_bin("htx-rules").unwrap()
}
fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

#[test]
fn eval_object_array_and_json_lines() {
    let coop = r#"{"id":"a","kind":"htx","workers":{"total":10,"female":7},"managers":[{"role":"director","gender":"female"}]}"#;
    for input in [
        coop.to_string(),
        format!("[{coop},{coop}]"),
        format!("{coop}\n{coop}\n{coop}\n"),
    ] {
        let out = cmd()
            .args([
                "eval",
                "--entity",
                "cooperative",
                "--as-of",
                "2025-06-30",
                "-",
            ])
            .write_stdin(input.clone())
            .assert()
            .success();
        let v = json(&out.get_output().stdout);
        let arr = v.as_array().unwrap();
        assert!(!arr.is_empty());
        assert_eq!(arr[0]["id"], "a");
        assert_eq!(arr[0]["decisions"]["many_female_jobs"]["outcome"], "yes");
        assert_eq!(arr[0]["decisions"]["female_labour_share"]["value"], "0.7");
        assert_eq!(
            arr[0]["decisions"]["many_female_jobs"]["cite"]["section"],
            "II.1.b"
        );
    }
    // phase 2: 70% is not above 70%
    let out = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2026-01-01",
            "-",
        ])
        .write_stdin(coop)
        .assert()
        .success();
    assert_eq!(
        json(&out.get_output().stdout)[0]["decisions"]["many_female_jobs"]["outcome"],
        "no"
    );
}

#[test]
fn eval_csv_with_dotted_headers() {
    let dir = std::env::temp_dir().join(format!("htx-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("coops.csv");
    std::fs::write(
        &f,
        "id,kind,workers.total,workers.female\nc1,tht,10,7\nc2,htx,,\n",
    )
    .unwrap();
    let out = cmd()
        .args(["eval", "--entity", "cooperative", "--as-of", "2025-01-01"])
        .arg(&f)
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v[0]["decisions"]["many_female_jobs"]["outcome"], "yes");
    assert_eq!(v[1]["decisions"]["many_female_jobs"]["outcome"], "unknown");
    assert_eq!(
        v[1]["decisions"]["female_labour_share"]["missing"],
        serde_json::json!(["/workers/female", "/workers/total"])
    );
}

#[test]
fn malformed_input_names_line_and_column() {
    // a record that cannot be read: an error object in its place, exit 3
    let out = cmd()
        .args(["eval", "--entity", "cooperative", "-"])
        .write_stdin("{\"kind\": \"htx\"}\n{\"kind\": }\n")
        .assert()
        .code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("stdin:2:10: bản ghi 2:"), "{err}");
    let v = json(&out.get_output().stdout);
    assert_eq!(v[1]["error"]["line"], 2);
    assert_eq!(v[1]["error"]["column"], 10);
    // nothing could be evaluated: exit 2
    cmd()
        .args(["eval", "--entity", "nope", "-"])
        .write_stdin("{}")
        .assert()
        .code(2);
    cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-13-01",
            "-",
        ])
        .write_stdin("{}")
        .assert()
        .code(2);
    cmd()
        .args(["eval", "--entity", "cooperative", "/no/such/file.json"])
        .assert()
        .code(2);
}

#[test]
fn validate_exit_codes_and_pointers() {
    let ok = r#"{"kind":"htx","workers":{"total":10,"female":7}}"#;
    let out = cmd()
        .args([
            "validate",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "-",
        ])
        .write_stdin(ok)
        .assert()
        .code(0);
    assert_eq!(json(&out.get_output().stdout)[0]["valid"], true);
    let bad = r#"{"kind":"htx","workers":{"total":10,"female":12},"managers":[{"role":"group_leader","gender":"female"}]}"#;
    let out = cmd()
        .args([
            "validate",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "-",
        ])
        .write_stdin(bad)
        .assert()
        .code(1);
    let v = json(&out.get_output().stdout);
    let fields: Vec<&str> = v[0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["/workers/female", "/managers/0/role"]);
    assert!(v[0]["errors"][0]["message"]["vi"]
        .as_str()
        .unwrap()
        .contains("lao động nữ"));
    let out = cmd()
        .args(["validate", "--entity", "cooperative", "-"])
        .write_stdin("[1,")
        .assert()
        .code(3);
    let v = json(&out.get_output().stdout);
    assert_eq!(v[0]["error"]["code"], "facts.type");
    assert_eq!(v[1]["error"]["code"], "input.json");
}

#[test]
fn check_and_test_commands() {
    cmd().arg("check").assert().success();
    cmd()
        .arg("check")
        .arg(root().join("rules/ben-tre-2747"))
        .assert()
        .success();
    let out = cmd()
        .arg("check")
        .arg(root().join("tests/packs/broken-threshold-wording"))
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("lint.threshold_wording"), "{text}");
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.split(':').count() >= 4),
        "file:line:col: {text}"
    );
    let out = cmd().arg("test").assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains(" passed, 0 failed"));
}

#[test]
fn explain_rules_params_topics() {
    let out = cmd()
        .args(["explain", "many_female_jobs", "--lang", "en"])
        .assert()
        .success();
    let t = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        t.contains("II.1.b") && t.contains("trên 60%") && t.contains("2026-01-01"),
        "{t}"
    );
    let out = cmd()
        .args(["explain", "funding_sources", "--format", "json"])
        .assert()
        .success();
    assert_eq!(json(&out.get_output().stdout)["cite"]["section"], "IV");
    cmd().args(["explain", "no_such_rule"]).assert().code(1);
}

#[test]
fn report_on_the_sample_and_on_hand_written_registries() {
    let out = cmd()
        .args(["report", "--as-of", "2026-06-30", "--format", "json"])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["registry"]["synthetic"], true);
    assert_eq!(v["phases"].as_array().unwrap().len(), 2);
    assert_eq!(v["phases"][0]["indicators"].as_array().unwrap().len(), 14);
    // a folder of CSV files written by hand
    let out = cmd()
        .args(["report", "--as-of", "2025-12-31", "--format", "json"])
        .arg(root().join("tests/registry-csv"))
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let p1 = &v["phases"][0];
    let ind = |id: &str| {
        p1["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(ind("htx_consolidated")["value"], 1);
    assert_eq!(ind("htx_consolidated")["status"], "not_met");
    assert_eq!(ind("htx_new")["value"], 1);
    assert_eq!(ind("tht_new")["value"], 1);
    assert_eq!(ind("union_officials_trained_share")["value"], "0.5");
    assert_eq!(v["persons"]["priority_groups"]["trafficking_victim"], "<5");
    // the same as JSON, table and HTML
    let table = cmd()
        .args(["report", "--as-of", "2025-12-31", "--lang", "en"])
        .arg(root().join("tests/registry-csv"))
        .assert()
        .success();
    let t = String::from_utf8_lossy(&table.get_output().stdout).to_string();
    assert!(
        t.contains("not met") && t.contains("trafficking_victim <5"),
        "{t}"
    );
    let html = cmd()
        .args(["report", "--format", "html"])
        .assert()
        .success();
    let h = String::from_utf8_lossy(&html.get_output().stdout).to_string();
    assert!(h.starts_with("<!doctype html>") && h.contains("<svg") && h.contains("&lt;5"));
}
