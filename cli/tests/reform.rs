//! End-to-end tests of `--reform` and `htx-rules diff`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::BTreeSet;

use assert_cmd::Command;
use serde_json::Value;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("htx-rules").unwrap();
    c.current_dir(root());
    c
}
fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}
fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).to_string()
}

const HTX_MIN_7: &str = "examples/reforms/htx-min-7.toml";

#[test]
fn eval_under_a_reform_names_it_in_each_decision_it_may_change() {
    let coop = r#"{"id":"a","kind":"htx","members":{"total":6}}"#;
    let run = |reform: bool| {
        let mut c = cmd();
        c.args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "-",
        ]);
        if reform {
            c.args(["--reform", HTX_MIN_7]);
        }
        let out = c.write_stdin(coop).assert().success();
        json(&out.get_output().stdout)
    };
    let plain = run(false);
    let reformed = run(true);
    let d = |v: &Value| v[0]["decisions"]["meets_membership_minimum"].clone();
    assert_eq!(d(&plain)["outcome"], "yes");
    assert!(d(&plain).get("reforms").is_none());
    assert_eq!(d(&reformed)["outcome"], "no");
    assert_eq!(d(&reformed)["reforms"], serde_json::json!(["htx-min-7"]));
    assert_eq!(d(&reformed)["target"], 7);
}

#[test]
fn report_under_a_reform_says_so_first() {
    let out = cmd()
        .args([
            "report",
            "--as-of",
            "2025-12-31",
            "--format",
            "json",
            "--reform",
            HTX_MIN_7,
        ])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["reforms"][0]["id"], "htx-min-7");
    assert!(v["notes"][0]["en"].as_str().unwrap().starts_with(
        "Under the hypothetical reform “An HTX needs at least 7 members from 2024-07-01”"
    ));
    let out = cmd()
        .args([
            "report",
            "--as-of",
            "2025-12-31",
            "--lang",
            "en",
            "--reform",
            HTX_MIN_7,
        ])
        .assert()
        .success();
    assert!(text(&out.get_output().stdout).contains("Under the hypothetical reform"));
}

#[test]
fn explain_and_check_under_a_reform() {
    let out = cmd()
        .args([
            "explain",
            "htx_min_members",
            "--lang",
            "en",
            "--reform",
            HTX_MIN_7,
        ])
        .assert()
        .success();
    assert!(text(&out.get_output().stdout).contains("2024-07-01 .. …: 7 [reform htx-min-7]"));
    cmd()
        .args([
            "check",
            "--reform",
            "examples/reforms/many-jobs-at-least.toml",
        ])
        .assert()
        .success();
}

#[test]
fn a_bad_reform_gives_its_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("htx-reform-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[reform]\nid = \"b\"\ntitle = { vi = \"b\", en = \"b\" }\ncite = { document = \"d\", section = \"s\" }\n\n[[parameter]]\nname = \"htx_min_membres\"\nvalue = 7\n",
    )
    .unwrap();
    let out = cmd()
        .args(["--lang", "en", "check", "--reform"])
        .arg(&bad)
        .assert()
        .code(1);
    let o = text(&out.get_output().stdout);
    assert!(
        o.contains(&format!("{}:7:8: reform.parameter: unknown parameter `htx_min_membres` (did you mean `htx_min_members`?)", bad.display())),
        "{o}"
    );
    // eval with it: exit 2 and the same diagnostic on stderr
    let out = cmd()
        .args(["eval", "--entity", "cooperative", "--reform"])
        .arg(&bad)
        .arg("-")
        .write_stdin("{}")
        .assert()
        .code(2);
    assert!(text(&out.get_output().stderr).contains(":7:8: reform.parameter"));
    // a reform file that does not exist
    let out = cmd()
        .args(["diff", "--reform", "no/such.toml"])
        .assert()
        .code(2);
    assert!(text(&out.get_output().stderr).contains("input.read"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The required test, end to end: on the bundled sample, the HTX minimum back to 7 from
/// 2024-07-01 changes exactly the HTX with 5 or 6 members (computed here from the sample).
#[test]
fn diff_lists_exactly_the_htx_with_five_or_six_members() {
    let as_of = "2025-12-31";
    let sample: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("cli/data/sample-registry.json")).unwrap(),
    )
    .unwrap();
    let expected: BTreeSet<String> = sample["cooperatives"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "htx" && matches!(c["members"]["total"].as_i64(), Some(5 | 6)))
        .filter(|c| c["established_on"].as_str().is_none_or(|d| d <= as_of))
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!expected.is_empty());
    let out = cmd()
        .args([
            "diff", "--reform", HTX_MIN_7, "--as-of", as_of, "--format", "json",
        ])
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let coops = v["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "cooperatives")
        .unwrap();
    let mut changed = BTreeSet::new();
    for d in coops["decisions"].as_array().unwrap() {
        for r in d["records"].as_array().unwrap() {
            assert_eq!(
                d["name"], "meets_membership_minimum",
                "only the minimum changes"
            );
            assert_eq!(
                (
                    r["before"]["outcome"].as_str(),
                    r["after"]["outcome"].as_str()
                ),
                (Some("yes"), Some("no"))
            );
            assert!(!r["before"]["reasons"].as_array().unwrap().is_empty());
            changed.insert(r["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(changed, expected);
    // the table and the HTML page, in both languages; the page to a file
    let out = cmd()
        .args([
            "diff", "--reform", HTX_MIN_7, "--as-of", as_of, "--lang", "en",
        ])
        .assert()
        .success();
    let t = text(&out.get_output().stdout);
    assert!(
        t.contains(&format!(
            "Meets the membership minimum: {n} rows changed — yes → no: {n} rows",
            n = expected.len()
        )),
        "{t}"
    );
    let page = std::env::temp_dir().join(format!("htx-diff-{}.html", std::process::id()));
    cmd()
        .args([
            "diff", "--reform", HTX_MIN_7, "--as-of", as_of, "--format", "html", "-o",
        ])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.contains("Đủ số thành viên tối thiểu"));
    for id in &expected {
        assert!(html.contains(id.as_str()));
    }
    std::fs::remove_file(&page).ok();
}

#[test]
fn diff_of_a_registry_folder() {
    // the registry as a folder of collections, as `report` reads it
    let dir = std::env::temp_dir().join(format!("htx-diff-reg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("cooperatives.jsonl"),
        "{\"id\":\"A\",\"kind\":\"htx\",\"established_on\":\"2020-01-01\",\"members\":{\"total\":6}}\n{\"id\":\"B\",\"kind\":\"htx\",\"established_on\":\"2020-01-01\",\"members\":{\"total\":9}}\n",
    )
    .unwrap();
    let out = cmd()
        .args([
            "diff",
            "--reform",
            HTX_MIN_7,
            "--as-of",
            "2025-12-31",
            "--format",
            "json",
        ])
        .arg(&dir)
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    let m = v["collections"][0]["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "meets_membership_minimum")
        .unwrap()
        .clone();
    assert_eq!(m["changed"], 1);
    assert_eq!(m["records"][0]["id"], "A");
    std::fs::remove_dir_all(&dir).ok();
}
