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
fn check_prints_warnings_and_still_succeeds() {
    let out = cmd()
        .args(["check", "--lang", "en"])
        .arg(root().join("tests/packs/features"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.contains("rules.toml:2:8: warning: lint.rule_title: rule `margin` has no `title`"),
        "{text}"
    );
    assert!(text.contains("lint.field_label"), "{text}");
    assert!(
        text.lines().last().unwrap_or("").starts_with("ok: "),
        "{text}"
    );
    // the shipped packs have none
    let out = cmd().arg("check").assert().success();
    assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains("cảnh báo"));
}

/// Reasons in the command's output name facts by their labels, never by pointer, and tell a
/// fact given but rejected from one that is absent (issue 8).
#[test]
fn eval_reasons_name_facts_and_tell_invalid_from_missing() {
    let coop = r#"{"id":"a","kind":"htx","workers":{"total":40,"female":45},"managers":[{"role":"board_chair","gender":"female"},{"role":"director"}]}"#;
    let out = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2026-06-30",
            "-",
        ])
        .write_stdin(coop)
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let d = &v[0]["decisions"];
    // a manager's gender absent: the count is unknown, the answer is not
    assert_eq!(d["women_managed"]["outcome"], "yes");
    assert_eq!(
        d["women_managed"]["reasons"][0]["vi"],
        "Có ít nhất 1 phụ nữ giữ chức danh quản lý, điều hành theo II.2"
    );
    // 45 of 40: invalid, not missing; the reason says so with both figures
    let m = &d["many_female_jobs"];
    assert_eq!(m["outcome"], "unknown");
    assert_eq!(m["missing"], serde_json::json!([]));
    let texts: Vec<String> = m["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["vi"].as_str().unwrap().to_string())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.ends_with("Số lao động nữ (45) lớn hơn tổng số lao động (40)")),
        "{texts:?}"
    );
    assert_eq!(v[0]["errors"][0]["field"], "/workers/female");
    // missing facts by their labels; pointers only in `missing`
    let c = &d["counts_as_new"];
    assert_eq!(c["missing"], serde_json::json!(["/established_on"]));
    let last = c["reasons"].as_array().unwrap().last().unwrap();
    assert_eq!(last["vi"], "Thiếu dữ liệu: Ngày thành lập");
    assert_eq!(last["en"], "Missing facts: Founding date");
    for (name, d) in d.as_object().unwrap() {
        for r in d["reasons"].as_array().unwrap() {
            for lang in ["vi", "en"] {
                let t = r[lang].as_str().unwrap();
                assert!(
                    !t.contains('?')
                        && !t.contains('{')
                        && !t.contains("/workers")
                        && !t.contains("/managers"),
                    "{name}: {t}"
                );
            }
        }
    }
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
    // two phases, then the programme's period (the counts of people)
    let groups: Vec<_> = v["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}{}", p["group"].as_str().unwrap(), p["phase"]))
        .collect();
    assert_eq!(groups, ["phases1", "phases2", "programme1"]);
    assert_eq!(v["phases"][0]["indicators"].as_array().unwrap().len(), 15);
    // a folder of CSV files written by hand
    let out = cmd()
        .args(["report", "--as-of", "2025-12-31", "--format", "json"])
        .arg(root().join("tests/registry-csv"))
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let ind = |p: usize, id: &str| {
        v["phases"][p]["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(ind(0, "htx_consolidated")["value"], 1);
    assert_eq!(ind(0, "htx_consolidated")["status"], "not_met");
    assert_eq!(ind(0, "htx_new")["value"], 1);
    assert_eq!(ind(0, "tht_new")["value"], 1);
    assert_eq!(ind(0, "union_officials_trained_share")["value"], "0.5");
    let victims = ind(1, "priority_women")["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "trafficking_victim")
        .unwrap()["value"]
        .clone();
    assert_eq!(victims, "<5");
    // the same as JSON, table and HTML: labels from the pack, never the code names
    let table = cmd()
        .args(["report", "--as-of", "2025-12-31", "--lang", "en"])
        .arg(root().join("tests/registry-csv"))
        .assert()
        .success();
    let t = String::from_utf8_lossy(&table.get_output().stdout).to_string();
    assert!(
        t.contains("not met") && t.contains("Trafficking victim"),
        "{t}"
    );
    assert!(!t.contains("trafficking_victim"), "{t}");
    let html = cmd()
        .args(["report", "--format", "html"])
        .assert()
        .success();
    let h = String::from_utf8_lossy(&html.get_output().stdout).to_string();
    assert!(h.starts_with("<!doctype html>") && h.contains("<svg") && h.contains("&lt;5"));
}

/// A second, invented plan (three stages, other collections and keys, distinct, sum, a ceiling
/// held with `<=`, a share above a threshold, another disclosure policy) runs end to end with no
/// Rust written for it.
#[test]
fn report_of_an_invented_province_from_its_pack_alone() {
    let out = cmd()
        .args([
            "report",
            "--as-of",
            "2027-06-30",
            "--format",
            "json",
            "--pack",
        ])
        .arg(root().join("tests/packs/an-khang"))
        .arg(root().join("tests/registry-an-khang"))
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let ind = |stage: i64, id: &str| -> serde_json::Value {
        v["phases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["group"] == "stages" && p["phase"] == stage)
            .and_then(|p| {
                p["indicators"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["id"] == id)
            })
            .unwrap()
            .clone()
    };
    let got = |stage, id: &str, k: &str| ind(stage, id)[k].clone();
    // stage 1, closed: three communes; 320 million paid against a ceiling of 300
    assert_eq!(got(1, "communes_reached", "value"), 3);
    assert_eq!(got(1, "communes_reached", "status"), "met");
    assert_eq!(got(1, "grants_paid", "value"), "320000000");
    assert_eq!(got(1, "grants_paid", "status"), "not_met");
    assert_eq!(got(1, "grants_paid", "shortfall"), "20000000");
    assert_eq!(got(1, "women_staff_share", "value"), "0.5366");
    assert_eq!(got(1, "training_hours", "value"), 200);
    assert_eq!(got(1, "training_hours", "unknown"), 1);
    // stage 2, running (546 of 1096 days): one commune against 5 pro rata (2 by now)
    assert_eq!(got(2, "communes_reached", "value"), 1);
    assert_eq!(got(2, "communes_reached", "expected"), 2);
    assert_eq!(got(2, "communes_reached", "status"), "behind");
    assert_eq!(got(2, "grants_paid", "status"), "met");
    assert_eq!(got(2, "women_staff_share", "value"), "0.56");
    assert_eq!(got(2, "training_hours", "expected"), 298);
    // counts of people rounded to 3, the sensitive group under 3 suppressed
    let certified = ind(1, "women_certified");
    assert_eq!(certified["value"], 3);
    assert_eq!(certified["groups"][0]["value"], 3);
    assert_eq!(certified["groups"][1]["value"], "<3");
    // stage 3 has not started
    assert_eq!(v["phases"].as_array().unwrap().len(), 2);
    // its registry: other keys, a row out of scope, two rows in error, the others counted
    assert_eq!(v["registry"]["prepared_by"], "Sở Kế hoạch (hư cấu)");
    assert_eq!(v["registry"]["enterprises"], 10);
    assert_eq!(v["record_errors"].as_array().unwrap().len(), 2);
    assert_eq!(v["record_errors"][0]["id"], "007");
    assert_eq!(v["record_errors"][1]["source"], "trainees.jsonl");
    assert_eq!(v["record_errors"][1]["line"], 8);
    // the table speaks the pack's labels
    let table = cmd()
        .args(["report", "--as-of", "2027-06-30", "--lang", "en", "--pack"])
        .arg(root().join("tests/packs/an-khang"))
        .arg(root().join("tests/registry-an-khang"))
        .assert()
        .success();
    let t = String::from_utf8_lossy(&table.get_output().stdout).to_string();
    assert!(
        t.contains(
            "Stage 2 (2026–2028)\n2026-01-01 to 2028-12-31 · running, 49.82% of its time elapsed"
        ),
        "{t}"
    );
    assert!(t.contains("With a disability") && t.contains("<3"), "{t}");
    assert!(
        t.contains("Rows in error (bad facts are not used): 2"),
        "{t}"
    );
}
