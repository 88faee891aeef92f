//! End-to-end tests of what the command line writes: formats per command, `--lang`, aligned
//! tables, record problems, suggestions, completions, `--quiet`, safe output (control
//! characters, formula injection, HTML), workbooks, today in Vietnam, a closed pipe.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::Stdio;

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;

fn cmd() -> Command {
    Command::cargo_bin("htx-rules").unwrap()
}
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("htx-cli-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}
fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).to_string()
}
fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).to_string()
}

const COOP: &str = r#"{"id":"BT-HTX-0001","kind":"htx","workers":{"total":40,"female":31},"managers":[{"role":"director","gender":"female"}]}"#;

#[test]
fn each_command_accepts_only_its_formats() {
    for (args, bad) in [
        (vec!["eval", "--entity", "cooperative"], "html"),
        (vec!["eval", "--entity", "cooperative"], "text"),
        (vec!["validate", "--entity", "cooperative"], "html"),
        (vec!["report"], "text"),
        (vec!["explain", "many_female_jobs"], "table"),
    ] {
        let a = cmd()
            .args(&args)
            .args(["--format", bad])
            .write_stdin(COOP)
            .assert()
            .code(2);
        let e = stderr(&a);
        assert!(e.contains("possible values"), "{args:?} {bad}: {e}");
        assert!(stdout(&a).is_empty(), "{args:?} {bad}: nothing on stdout");
    }
    // --fields belongs to the JSON formats
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--format",
            "table",
            "--fields",
            "outcomes",
        ])
        .write_stdin(COOP)
        .assert()
        .code(2);
    assert!(stderr(&a).contains("--fields"), "{}", stderr(&a));
}

#[test]
fn eval_table_speaks_the_language_asked_for() {
    let run = |lang: &str| {
        let a = cmd()
            .args([
                "--lang",
                lang,
                "eval",
                "--entity",
                "cooperative",
                "--as-of",
                "2025-06-30",
            ])
            .args(["--format", "table", "-"])
            .write_stdin(COOP)
            .assert()
            .success();
        stdout(&a)
    };
    let vi = run("vi");
    let en = run("en");
    assert!(
        vi.contains("Tỷ lệ lao động nữ") && vi.contains("có (77,5%)"),
        "{vi}"
    );
    assert!(
        en.contains("Female labour share") && en.contains("yes (77.5%)"),
        "{en}"
    );
    assert!(
        !vi.contains("0.775") && !en.contains("0.775"),
        "shares as people write them"
    );
    // aligned: every row of the table starts each column at the same place
    let lines: Vec<&str> = vi.lines().collect();
    let col = |l: &str, needle: &str| l.find(needle).map(|i| l[..i].chars().count());
    let header = lines.iter().find(|l| l.contains("Mã số")).unwrap();
    let row = lines.iter().find(|l| l.contains("BT-HTX-0001")).unwrap();
    assert_eq!(
        col(header, "Tỷ lệ lao động nữ"),
        col(row, "có (77,5%)"),
        "{vi}"
    );
}

#[test]
fn money_is_written_as_people_write_it() {
    // a person's household income is a money value of the poverty decision's reasons; the
    // decision values of the person entity carry money where the pack says so
    let person = r#"{"id":"P-1","gender":"female","household":{"area":"rural","income_per_person_month_vnd":1400000,"deprivations":2}}"#;
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "person",
            "--as-of",
            "2025-06-30",
            "--format",
            "table",
            "-",
        ])
        .write_stdin(person)
        .assert()
        .success();
    let t = stdout(&a);
    assert!(!t.contains("1400000"), "{t}");
}

#[test]
fn record_problems_are_listed_under_the_table() {
    let bad = r#"{"id":"BT-HTX-0002","kind":"htx","workers":{"total":10,"female":12}}"#;
    let a = cmd()
        .args([
            "--lang",
            "en",
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
        ])
        .args(["--format", "table", "-"])
        .write_stdin(format!("{COOP}\n{bad}\n"))
        .assert()
        .success();
    let t = stdout(&a);
    let under = t
        .split("\nProblems:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{t}"));
    assert!(under.contains("Record 2 (BT-HTX-0002)"), "{t}");
    assert!(
        under.contains("Workers › Women"),
        "the field by its labels: {t}"
    );
    assert!(
        !under.contains("/workers/female"),
        "labels, not JSON Pointers: {t}"
    );
}

#[test]
fn suggestions_for_unknown_names() {
    let a = cmd()
        .args(["--lang", "en", "eval", "--entity", "coop", "-"])
        .write_stdin(COOP)
        .assert()
        .code(2);
    assert!(
        stderr(&a).contains("did you mean `cooperative`"),
        "{}",
        stderr(&a)
    );
    let a = cmd()
        .args(["--lang", "en", "explain", "many_female_job"])
        .assert()
        .code(1);
    assert!(
        stderr(&a).contains("Did you mean `many_female_jobs`"),
        "{}",
        stderr(&a)
    );
    let a = cmd().args(["explain", "many_female_job"]).assert().code(1);
    assert!(
        stderr(&a).contains("Có phải ý bạn là `many_female_jobs`"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn shell_completions() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let a = cmd().args(["completions", shell]).assert().success();
        let s = stdout(&a);
        assert!(s.contains("htx-rules") && s.contains("explain"), "{shell}");
    }
    cmd().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn quiet_keeps_standard_error_for_errors() {
    let broken = root().join("tests/packs/broken-threshold-wording");
    let loud = cmd().arg("check").arg(&broken).assert().code(1);
    assert!(stderr(&loud).contains("vấn đề"), "{}", stderr(&loud));
    let quiet = cmd()
        .args(["--quiet", "check"])
        .arg(&broken)
        .assert()
        .code(1);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    assert!(stdout(&quiet).contains("lint.threshold_wording"));
}

#[test]
fn an_id_cannot_forge_rows_or_reach_the_terminal() {
    // a tab and a line break in an id would start a new "yes yes yes" row; ESC would recolour
    let forged = "{\"id\":\"x\\tyes\\nBT-FAKE\\tyes\\tyes\\tyes\",\"kind\":\"htx\"}\n{\"id\":\"\\u001b[2J\\u001b[31mred\",\"kind\":\"htx\"}\n";
    for format in ["table", "tsv", "csv"] {
        let a = cmd()
            .args([
                "eval",
                "--entity",
                "cooperative",
                "--as-of",
                "2025-06-30",
                "--format",
                format,
                "-",
            ])
            .write_stdin(forged)
            .assert()
            .success();
        let out = stdout(&a);
        assert!(
            !out.contains('\u{1b}'),
            "{format}: ESC reached the output: {out:?}"
        );
        if format != "csv" {
            // csv quotes the cell instead; table and tsv escape
            assert!(
                !out.lines().any(|l| l.trim_start().starts_with("BT-FAKE")),
                "{format}: a forged row: {out}"
            );
        }
    }
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "--format",
            "csv",
            "-",
        ])
        .write_stdin(forged)
        .assert()
        .success();
    let text = stdout(&a);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.records().count(), 2, "one CSV record per input record");
}

#[test]
fn formulas_are_neutralised_in_csv_tsv_and_workbooks() {
    let evil = r#"{"id":"=HYPERLINK(\"http://x.invalid\",\"click\")","kind":"htx"}
{"id":"@SUM(1+1)","kind":"htx"}
{"id":"-2+3","kind":"htx"}
{"id":"+cmd|' /C calc'!A0","kind":"htx"}"#;
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "--format",
            "csv",
            "-",
        ])
        .write_stdin(evil)
        .assert()
        .success();
    let text = stdout(&a);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let ids: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
    assert_eq!(
        ids,
        [
            "'=HYPERLINK(\"http://x.invalid\",\"click\")",
            "'@SUM(1+1)",
            "'-2+3",
            "'+cmd|' /C calc'!A0"
        ]
    );
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "--format",
            "tsv",
            "-",
        ])
        .write_stdin(evil)
        .assert()
        .success();
    for l in stdout(&a).lines().skip(1) {
        assert!(l.starts_with('\''), "{l}");
    }
    let f = tmp("evil.xlsx");
    cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "--format",
            "xlsx",
            "-o",
        ])
        .arg(&f)
        .arg("-")
        .write_stdin(evil)
        .assert()
        .success();
    let mut wb: Xlsx<_> = open_workbook(&f).unwrap();
    let range = wb.worksheet_range("Kết quả").unwrap();
    let ids: Vec<String> = range.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert!(ids.iter().all(|i| i.starts_with('\'')), "{ids:?}");
}

#[test]
fn html_report_stays_escaped() {
    let reg = tmp("evil-registry.json");
    std::fs::write(
        &reg,
        r#"{"province":"<script>alert(1)</script>","cooperatives":[{"id":"<img src=x onerror=alert(2)>","kind":"htx","established_on":"2024-01-01"}],"union_officials":[],"persons":[]}"#,
    )
    .unwrap();
    let a = cmd()
        .args(["report", "--as-of", "2025-12-31", "--format", "html"])
        .arg(&reg)
        .assert()
        .success();
    let h = stdout(&a);
    assert!(h.starts_with("<!doctype html>"));
    // whatever the page shows of the registry is escaped
    assert!(
        !h.contains("<script>alert") && !h.contains("<img src=x"),
        "{h}"
    );
}

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> Data {
    range.get((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn eval_workbook_has_headers_values_reasons_and_problems() {
    let bad = r#"{"id":"BT-HTX-0002","kind":"htx","workers":{"total":10,"female":12}}"#;
    for (lang, sheet, header, yes) in [
        ("vi", "Kết quả", "Tỷ lệ lao động nữ", "có"),
        ("en", "Results", "Female labour share", "yes"),
    ] {
        let f = tmp(&format!("eval-{lang}.xlsx"));
        cmd()
            .args([
                "--lang",
                lang,
                "eval",
                "--entity",
                "cooperative",
                "--as-of",
                "2025-06-30",
            ])
            .args(["--format", "xlsx", "--output"])
            .arg(&f)
            .arg("-")
            .write_stdin(format!("{COOP}\n{bad}\n"))
            .assert()
            .success();
        let mut wb: Xlsx<_> = open_workbook(&f).unwrap();
        assert!(wb.sheet_names().contains(&sheet.to_string()));
        let r = wb.worksheet_range(sheet).unwrap();
        let headers: Vec<String> = r
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let share = headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("{headers:?}"));
        // the outcome in words, then the value as a number (a percentage in Excel)
        assert_eq!(cell(&r, 1, share).to_string(), yes);
        assert_eq!(cell(&r, 1, share + 1), Data::Float(0.775));
        assert!(headers[share + 1].starts_with(header));
        let reasons = headers.len() - 2;
        assert!(
            cell(&r, 1, reasons).to_string().contains("77"),
            "{:?}",
            cell(&r, 1, reasons)
        );
        let problems = headers.len() - 1;
        assert_eq!(cell(&r, 1, problems), Data::Empty);
        let p = cell(&r, 2, problems).to_string();
        assert!(!p.is_empty() && !p.contains("/workers"), "{p}");
        // one column per decision (plus values), the id, reasons and problems
        let engine = htx_rules::Engine::embedded().unwrap();
        let infos = engine.decisions_info("cooperative").unwrap();
        let valued = engine
            .output_types("cooperative")
            .unwrap()
            .iter()
            .filter(|d| d.value.is_some())
            .count();
        assert_eq!(headers.len(), 1 + infos.len() + valued + 2);
    }
}

#[test]
fn report_workbook_has_summary_phases_and_groups() {
    let f = tmp("report.xlsx");
    cmd()
        .args(["report", "--as-of", "2026-06-30", "--format", "xlsx", "-o"])
        .arg(&f)
        .assert()
        .success();
    let mut wb: Xlsx<_> = open_workbook(&f).unwrap();
    let names = wb.sheet_names();
    for s in [
        "Tóm tắt",
        "Giai đoạn 1 (2023–2025)",
        "Giai đoạn 2 (2026–2030)",
        "2023–2030",
        "Theo nhóm",
        "Thông tin",
    ] {
        assert!(names.contains(&s.to_string()), "{names:?}");
    }
    assert_eq!(names[0], "Tóm tắt", "the summary comes first");
    let r = wb.worksheet_range("Tóm tắt").unwrap();
    let headers: Vec<String> = r
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        headers[..6],
        [
            "Giai đoạn",
            "Chỉ tiêu",
            "Kết quả",
            "Mục tiêu",
            "Tình trạng",
            "Còn thiếu"
        ]
    );
    let report: Value = {
        let out = cmd()
            .args(["report", "--as-of", "2026-06-30", "--format", "json"])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let indicators: usize = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["indicators"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        r.rows().count(),
        1 + indicators,
        "every indicator of every period"
    );
    // THT consolidated, phase 1: the JSON's figures, typed; its status in words
    let p1 = report["phases"][0]["indicators"].as_array().unwrap();
    let tht_json = p1.iter().find(|i| i["id"] == "tht_consolidated").unwrap();
    let tht = r.rows().find(|row| row[1] == "THT củng cố").unwrap();
    assert_eq!(tht[2], Data::Float(tht_json["value"].as_f64().unwrap()));
    assert_eq!(tht[3], Data::Float(tht_json["target"].as_f64().unwrap()));
    assert_eq!(
        tht[4].to_string(),
        tht_json["status_label"]["vi"].as_str().unwrap()
    );
    // a share's shortfall in percentage points
    let share = p1
        .iter()
        .find(|i| i["kind"] == "share" && i["shortfall"].is_string())
        .unwrap();
    let row = r
        .rows()
        .find(|row| row[1] == share["title"]["vi"].as_str().unwrap())
        .unwrap();
    let points: f64 = share["shortfall"].as_str().unwrap().parse::<f64>().unwrap() * 100.0;
    assert!(
        matches!(row[5], Data::Float(x) if (x - points).abs() < 1e-9),
        "{:?}",
        row[5]
    );
    // groups by the pack's labels, small sensitive counts suppressed
    let g = wb.worksheet_range("Theo nhóm").unwrap();
    let labels: Vec<String> = g.rows().map(|row| row[2].to_string()).collect();
    assert!(
        !labels
            .iter()
            .any(|l| l == "disability" || l == "trafficking_victim"),
        "{labels:?}"
    );
    assert!(labels.iter().any(|l| l == "Khuyết tật"), "{labels:?}");
    assert!(g.rows().any(|row| row[3].to_string().starts_with('<')));
}

#[test]
fn today_is_the_date_in_vietnam() {
    // 65% women: above phase 1's 60% (until 2025-12-31), not above phase 2's 70%
    let coop = r#"{"kind":"htx","workers":{"total":20,"female":13}}"#;
    let at = |secs: &str| {
        let a = cmd()
            .env("HTX_RULES_NOW", secs)
            .args([
                "eval",
                "--entity",
                "cooperative",
                "--fields",
                "outcomes",
                "-",
            ])
            .write_stdin(coop)
            .assert()
            .success();
        let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
        v[0]["decisions"]["many_female_jobs"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // 2025-12-31T16:59:59Z is 23:59:59 in Vietnam; a second later it is 2026-01-01 there
    assert_eq!(at("1767200399"), "yes");
    assert_eq!(at("1767200400"), "no");
}

#[test]
fn a_closed_pipe_stops_at_once_with_exit_0_and_no_text() {
    let input = tmp("many.jsonl");
    let mut f = std::fs::File::create(&input).unwrap();
    for i in 0..50_000 {
        writeln!(
            f,
            r#"{{"id":"c{i}","kind":"htx","workers":{{"total":10,"female":7}}}}"#
        )
        .unwrap();
    }
    drop(f);
    for format in ["json", "jsonl", "csv", "table"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("htx-rules"))
            .args([
                "eval",
                "--entity",
                "cooperative",
                "--as-of",
                "2025-06-30",
                "--format",
                format,
            ])
            .arg(&input)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // the reader goes away (as `| head -1` does)
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{format}: {:?}", out.status);
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn compact_json_and_json_lines() {
    let two = format!("{COOP}\n{COOP}\n");
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "--format",
            "jsonl",
            "--fields",
            "values",
            "-",
        ])
        .write_stdin(two.clone())
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = stdout(&a)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["decisions"]["female_labour_share"]["value"],
        "0.775"
    );
    assert_eq!(
        lines[0]["decisions"]["women_managed"],
        serde_json::json!({"outcome": "yes"})
    );
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "--fields",
            "outcomes",
            "-",
        ])
        .write_stdin(two)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v[1]["decisions"]["many_female_jobs"], "yes");
    // the full form is the contract's
    let a = cmd()
        .args([
            "eval",
            "--entity",
            "cooperative",
            "--as-of",
            "2025-06-30",
            "--format",
            "jsonl",
            "-",
        ])
        .write_stdin(COOP)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert_eq!(
        v["decisions"]["many_female_jobs"]["cite"]["section"],
        "II.1.b"
    );
}

#[test]
fn one_thread_and_many_write_the_same_bytes() {
    // several chunks of records, with records that cannot be read (one line not closed, whose
    // next line is read as a record; a pretty one not closed; not objects; invalid UTF-8) and
    // keys not in the schema, so that decoding on the workers has everything to get right
    let input = tmp("threads.jsonl");
    let mut t: Vec<u8> = Vec::new();
    for i in 0..3000 {
        let line = match i % 97 {
            5 => r#"{"id":"broken","kind":"htx","workers":{"total":10"#.to_string(),
            17 => "42".to_string(),
            23 => format!(
                r#"{{"id":"m{i}","memebrs":{{"total":3}},"zzz{}":1}}"#,
                i % 5
            ),
            41 => "{\n  \"id\": \"pretty\",\n  \"kind\": \"htx\",".to_string(),
            _ => format!(
                r#"{{"id":"c{i}","kind":"htx","workers":{{"total":10,"female":{}}}}}"#,
                i % 11
            ),
        };
        t.extend_from_slice(line.as_bytes());
        if i % 97 == 61 {
            t.extend_from_slice(b"\n{\"id\":\"\xFF\"}");
        }
        t.push(b'\n');
    }
    std::fs::write(&input, &t).unwrap();
    for args in [
        &["--format", "json"][..],
        &["--format", "jsonl", "--fields", "outcomes"],
        &["--format", "csv"],
    ] {
        let run = |threads: &str| {
            let out = cmd()
                .env("HTX_RULES_THREADS", threads)
                .args(["eval", "--entity", "cooperative", "--as-of", "2025-06-30"])
                .args(args)
                .arg(&input)
                .output()
                .unwrap();
            (out.status.code(), out.stdout, out.stderr)
        };
        let one = run("1");
        assert_eq!(one.0, Some(3), "{args:?}");
        assert!(String::from_utf8_lossy(&one.2).contains("zzz"), "{args:?}");
        assert_eq!(one, run("3"), "{args:?}");
    }
}
