//! Hostile inputs to `eval` and `validate` (issue 9's reading cases): nothing is dropped
//! silently, a bad record never loses the good ones, the output is always valid JSON, and
//! the exit code says what happened.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn cmd() -> Command {
    Command::cargo_bin("htx-rules").unwrap()
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| {
        let s = String::from_utf8_lossy(out);
        panic!("{e}: {}", &s[s.len().saturating_sub(300)..])
    })
}

fn temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("htx-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join(name);
    std::fs::write(&f, content).unwrap();
    f
}

fn eval(args: &[&str], file: &PathBuf) -> (i32, Value, String) {
    let out = cmd()
        .args(["eval", "--entity", "cooperative", "--as-of", "2025-06-30"])
        .args(args)
        .arg(file)
        .assert();
    let o = out.get_output();
    (
        o.status.code().unwrap(),
        json(&o.stdout),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn a_misspelled_field_names_the_field_meant_and_exits_1() {
    let f = temp(
        "misspelled.json",
        br#"{"id": "a", "kind": "htx", "workers": {"total": 40}, "workers_female": 31, "phone": "0275"}"#,
    );
    let (code, v, err) = eval(&[], &f);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("có phải là `workers.female`"), "{err}");
    assert!(err.contains("`phone`"), "{err}");
    assert_eq!(v[0]["errors"][0]["field"], "/workers_female");
    assert_eq!(v[0]["errors"][0]["code"], "facts.misspelled_field");
    assert!(
        err.contains("many_female_jobs"),
        "the decision no record can decide is named: {err}"
    );
    // English on request
    let out = cmd()
        .args(["eval", "--entity", "cooperative", "--lang", "en"])
        .arg(&f)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("did you mean `workers.female`"), "{err}");
    // other keys alone: exit 0, listed on stderr; --strict makes them errors
    let f = temp(
        "extra.json",
        br#"{"id": "a", "kind": "htx", "phone": "0275"}"#,
    );
    let (code, v, err) = eval(&[], &f);
    assert_eq!(code, 0, "{err}");
    assert!(v[0].get("errors").is_none());
    assert!(err.contains("`phone`") && err.contains("bỏ qua"), "{err}");
    let (code, v, _) = eval(&["--strict"], &f);
    assert_eq!(code, 1);
    assert_eq!(v[0]["errors"][0]["code"], "facts.unknown_field");
}

fn lines(n: usize, bad_at: usize, bad: &str, good: impl Fn(usize) -> String) -> String {
    (1..=n)
        .map(|i| {
            if i == bad_at {
                bad.to_string()
            } else {
                good(i)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn a_malformed_record_5000_of_10000_in_json_lines_keeps_the_others() {
    let text = lines(10_000, 5_000, r#"{"id": "x", "kind": "htx""#, |i| {
        format!(r#"{{"id": "r{i}", "kind": "htx", "members": {{"total": 9}}}}"#)
    });
    let f = temp("big.jsonl", text.as_bytes());
    let (code, v, err) = eval(&[], &f);
    assert_eq!(code, 3, "{err}");
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 10_000);
    assert_eq!(arr[4_998]["id"], "r4999");
    assert_eq!(arr[4_999]["error"]["record"], 5_000);
    assert_eq!(arr[4_999]["error"]["line"], 5_000);
    assert_eq!(arr[4_999]["error"]["file"], f.to_string_lossy().as_ref());
    assert_eq!(arr[4_999]["error"]["code"], "input.json");
    assert!(arr[4_999]["error"]["message"]["vi"].is_string());
    assert_eq!(arr[5_000]["id"], "r5001");
    assert_eq!(
        arr[9_999]["decisions"]["meets_membership_minimum"]["outcome"],
        "yes"
    );
    assert!(
        err.contains("1 trong 10000 bản ghi không đọc được"),
        "{err}"
    );
    // validate streams the same way
    let out = cmd()
        .args([
            "validate",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
        ])
        .arg(&f)
        .assert()
        .code(3);
    let v = json(&out.get_output().stdout);
    assert_eq!(v.as_array().unwrap().len(), 10_000);
    assert_eq!(v[4_999]["error"]["record"], 5_000);
    assert_eq!(v[5_000]["valid"], true);
}

#[test]
fn a_malformed_row_5000_of_10000_in_csv_keeps_the_others() {
    let text = String::from("id,kind,members.total\n")
        + &lines(10_000, 5_000, "x,htx,9,extra", |i| format!("r{i},htx,9"));
    let f = temp("big.csv", text.as_bytes());
    let (code, v, _) = eval(&[], &f);
    assert_eq!(code, 3);
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 10_000);
    assert_eq!(arr[4_999]["error"]["code"], "input.csv");
    assert_eq!(arr[4_999]["error"]["line"], 5_001);
    assert_eq!(arr[5_000]["id"], "r5001");
}

#[test]
fn a_csv_quote_left_open_is_an_error_not_half_a_file() {
    let mut text = String::from("id,name,kind,members.total\n");
    for i in 1..=10_000 {
        if i == 5_000 {
            text.push_str("r5000,\"Nguyễn Thị Hoa,htx,9\n");
        } else {
            text.push_str(&format!("r{i},Tên {i},htx,9\n"));
        }
    }
    let f = temp("quote.csv", text.as_bytes());
    let (code, v, err) = eval(&[], &f);
    assert_eq!(code, 3, "{err}");
    let arr = v.as_array().unwrap();
    assert_eq!(arr[4_999]["error"]["code"], "input.csv");
    assert_eq!(arr[4_999]["error"]["line"], 5_001);
    assert_eq!(arr[4_999]["error"]["column"], 7);
    assert_eq!(arr.last().unwrap()["id"], "r10000");
    assert_eq!(arr.len(), 10_000);
    // validate does not call the file valid
    cmd()
        .args(["validate", "--entity", "cooperative"])
        .arg(&f)
        .assert()
        .code(3);
}

#[test]
fn a_json_file_with_a_byte_order_mark_is_read() {
    let f = temp(
        "bom.json",
        "\u{feff}[{\"id\": \"a\", \"kind\": \"htx\"}]".as_bytes(),
    );
    let (code, v, _) = eval(&[], &f);
    assert_eq!(code, 0);
    assert_eq!(v[0]["id"], "a");
}

#[test]
fn non_objects_and_invalid_utf8_are_located_errors() {
    let f = temp(
        "mixed.jsonl",
        b"{\"id\": \"a\"}\n42\n{\"id\": \"b\xff\"}\n{\"id\": \"c\"}\n",
    );
    let (code, v, err) = eval(&[], &f);
    assert_eq!(code, 3);
    assert_eq!(v[0]["id"], "a");
    assert_eq!(v[1]["error"]["code"], "facts.type");
    assert_eq!(v[1]["error"]["line"], 2);
    assert_eq!(v[2]["error"]["code"], "input.utf8");
    assert_eq!(v[2]["error"]["line"], 3);
    assert_eq!(v[2]["error"]["column"], 10);
    assert_eq!(v[3]["id"], "c");
    assert!(err.contains("mixed.jsonl:3:10"), "{err}");
}

#[test]
fn duplicate_keys_and_non_finite_numbers_are_field_errors() {
    let f = temp(
        "dup.jsonl",
        b"{\"id\": \"a\", \"kind\": \"htx\", \"kind\": \"tht\"}\n{\"id\": \"b\", \"workers\": {\"total\": 10, \"female\": NaN}}\n{\"id\": \"c\", \"workers\": {\"total\": Infinity}}\n",
    );
    let (code, v, _) = eval(&[], &f);
    assert_eq!(code, 0);
    assert_eq!(v[0]["errors"][0]["field"], "/kind");
    assert_eq!(v[0]["errors"][0]["code"], "facts.duplicate_key");
    // the kind was given (twice): invalid, not missing
    assert_eq!(
        v[0]["decisions"]["meets_membership_minimum"]["missing"],
        serde_json::json!(["/members/total"])
    );
    assert!(v[0]["decisions"]["meets_membership_minimum"]["reasons"]
        .to_string()
        .contains("không hợp lệ"));
    assert_eq!(v[1]["errors"][0]["field"], "/workers/female");
    assert_eq!(v[1]["errors"][0]["code"], "facts.non_finite");
    assert_eq!(v[2]["errors"][0]["code"], "facts.non_finite");
    let out = cmd()
        .args(["validate", "--entity", "cooperative"])
        .arg(&f)
        .assert()
        .code(1);
    let v = json(&out.get_output().stdout);
    assert_eq!(v[0]["valid"], false);
}

#[test]
fn the_format_is_never_guessed_into_an_empty_success() {
    let f = temp("coops.txt", b"{\"id\": \"a\"}");
    let out = cmd()
        .args(["eval", "--entity", "cooperative"])
        .arg(&f)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("--input json|jsonl|csv") && err.contains("input.format"),
        "{err}"
    );
    let (code, v, _) = eval(&["--input", "json"], &f);
    assert_eq!(code, 0);
    assert_eq!(v[0]["id"], "a");
    // CSV given as JSON is not an empty success: each line is a record that cannot be read
    let f = temp("coops.json", b"id,kind\na,htx\n");
    let (code, v, _) = eval(&[], &f);
    assert_eq!(code, 3);
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[test]
fn the_sample_registry_as_one_pretty_object_is_read_in_one_pass() {
    let f = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample-registry.json");
    let (code, v, err) = eval(&[], &f);
    assert_eq!(code, 0);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert!(err.contains("`cooperatives`"), "{err}");
}

#[test]
fn csv_headers_are_checked_up_front() {
    let f = temp(
        "headers.csv",
        b"id,kind,workers_female,workers.total,phone\na,htx,31,40,0275\nb,tht,,12,\n",
    );
    let (code, v, err) = eval(&["--lang", "en"], &f);
    assert_eq!(code, 1, "{err}");
    // said once, before the records: the misspelled column, the ignored one, what cannot be decided
    let first = err.lines().next().unwrap_or_default();
    assert!(first.contains("did you mean `workers.female`"), "{err}");
    assert_eq!(err.matches("did you mean").count(), 1, "{err}");
    assert!(err.contains("`phone`") && err.contains("ignored"), "{err}");
    assert!(
        err.contains("many_female_jobs") && err.contains("no record has"),
        "{err}"
    );
    assert_eq!(v[0]["errors"][0]["field"], "/workers_female");
    assert!(v[1].get("errors").is_none());
}
