//! Workbooks in: `eval`, `validate` and `report` read sheets written by rust_xlsxwriter with
//! Vietnamese labels, English labels or the contract's dotted names as headers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::path::PathBuf;

use assert_cmd::Command;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

fn cmd() -> Command {
    Command::cargo_bin("htx-rules").unwrap()
}
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("htx-cli-sheets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}
fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

/// A cooperative sheet as an official would type it: Vietnamese headers, kinds by their
/// names, a date typed as a date, a share of nothing (counts only).
fn coop_workbook(path: &PathBuf, headers: &[&str], sheet: &str) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (i, h) in headers.iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // row 1: an HTX, 31 of 40 workers women, a woman director
    ws.write_string(1, 0, "BT-HTX-0001").unwrap();
    ws.write_string(1, 1, "Hợp tác xã").unwrap();
    ws.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2024, 3, 15).unwrap(), &date)
        .unwrap();
    ws.write_number(1, 3, 12).unwrap();
    ws.write_number(1, 4, 40).unwrap();
    ws.write_number(1, 5, 31).unwrap();
    ws.write_string(1, 6, r#"[{"role":"director","gender":"female"}]"#)
        .unwrap();
    // row 2: a THT with 7 of 10 workers women, written with the contract's value
    ws.write_string(2, 0, "BT-THT-0002").unwrap();
    ws.write_string(2, 1, "tht").unwrap();
    ws.write_number(2, 4, 10).unwrap();
    ws.write_number(2, 5, 7).unwrap();
    // row 3: more women than workers (a problem on its row)
    ws.write_string(3, 0, "BT-HTX-0003").unwrap();
    ws.write_string(3, 1, "Hợp tác xã").unwrap();
    ws.write_number(3, 4, 10).unwrap();
    ws.write_number(3, 5, 12).unwrap();
    wb.save(path).unwrap();
}

fn eval_sheet(path: &PathBuf) -> Value {
    let out = cmd()
        .args(["eval", "--entity", "cooperative", "--as-of", "2025-06-30"])
        .arg(path)
        .assert()
        .success();
    json(&out.get_output().stdout)
}

#[test]
fn eval_reads_vietnamese_english_and_dotted_headers() {
    let vi = [
        "Mã",
        "Loại hình",
        "Ngày thành lập",
        "Thành viên - Tổng số",
        "Người lao động - Tổng số",
        "Người lao động › Số nữ",
        "Người quản lý",
    ];
    let en = [
        "ID",
        "Kind",
        "Founding date",
        "Members: Total",
        "Workers: Total",
        "Workers: Women",
        "Managers",
    ];
    let dotted = [
        "id",
        "kind",
        "established_on",
        "members.total",
        "workers.total",
        "workers.female",
        "managers",
    ];
    let mut results = Vec::new();
    for (name, headers, sheet) in [
        ("vi.xlsx", &vi, "Hợp tác xã"),
        ("en.xlsx", &en, "cooperative"),
        ("dotted.xlsx", &dotted, "Sheet1"),
    ] {
        let f = tmp(name);
        coop_workbook(&f, headers, sheet);
        let v = eval_sheet(&f);
        assert_eq!(v.as_array().unwrap().len(), 3, "{name}: {v}");
        assert_eq!(v[0]["id"], "BT-HTX-0001");
        assert_eq!(
            v[0]["decisions"]["female_labour_share"]["value"], "0.775",
            "{name}"
        );
        assert_eq!(
            v[0]["decisions"]["women_managed"]["outcome"], "yes",
            "{name}"
        );
        assert_eq!(
            v[0]["decisions"]["meets_membership_minimum"]["outcome"], "yes",
            "{name}"
        );
        assert_eq!(
            v[1]["decisions"]["many_female_jobs"]["outcome"], "yes",
            "{name}"
        );
        assert!(
            v[2]["errors"].as_array().is_some_and(|e| !e.is_empty()),
            "{name}: {v}"
        );
        results.push(v);
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0], results[2]);
}

#[test]
fn a_workbook_of_several_sheets_needs_the_entity_or_sheet() {
    let f = tmp("two-sheets.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Ghi chú").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Người").unwrap();
    ws.write_string(0, 0, "Mã").unwrap();
    ws.write_string(0, 1, "Giới tính").unwrap();
    ws.write_string(0, 2, "Khuyết tật").unwrap();
    ws.write_string(1, 0, "P-1").unwrap();
    ws.write_string(1, 1, "Nữ").unwrap();
    ws.write_string(1, 2, "có").unwrap();
    wb.save(&f).unwrap();
    // the person sheet is found by the entity's label
    let out = cmd()
        .args([
            "eval",
            "--entity",
            "person",
            "--as-of",
            "2025-06-30",
            "--fields",
            "outcomes",
        ])
        .arg(&f)
        .assert()
        .success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v[0]["decisions"]["priority_woman"], "yes", "{v}");
    // no cooperative sheet: the error names the sheets
    let out = cmd()
        .args(["--lang", "en", "eval", "--entity", "cooperative"])
        .arg(&f)
        .assert()
        .code(2);
    let e = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(e.contains("Ghi chú, Người") && e.contains("--sheet"), "{e}");
    // validate reads it as well, by --sheet
    cmd()
        .args([
            "validate",
            "--entity",
            "person",
            "--sheet",
            "Người",
            "--as-of",
            "2025-06-30",
        ])
        .arg(&f)
        .assert()
        .success();
}

/// The hand-written CSV registry, as a workbook of three sheets (Vietnamese sheet names for
/// the entities) and a `registry` sheet: the same report.
#[test]
fn report_reads_a_registry_workbook() {
    let dir = root().join("tests/registry-csv");
    let f = tmp("registry.xlsx");
    let mut wb = Workbook::new();
    for (file, sheet) in [
        ("cooperatives.csv", "Tổ hợp tác"),
        ("union_officials.csv", "union_officials"),
        ("persons.csv", "Người"),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        let mut r = csv::Reader::from_path(dir.join(file)).unwrap();
        let headers = r.headers().unwrap().clone();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (i, rec) in r.records().enumerate() {
            for (c, cell) in rec.unwrap().iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let (row, col) = (i as u32 + 1, c as u16);
                match (cell.parse::<f64>(), cell) {
                    (Ok(n), _) => ws.write_number(row, col, n).unwrap(),
                    (_, "true") => ws.write_boolean(row, col, true).unwrap(),
                    (_, "false") => ws.write_boolean(row, col, false).unwrap(),
                    _ => ws.write_string(row, col, cell).unwrap(),
                };
            }
        }
    }
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("registry.json")).unwrap()).unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("registry").unwrap();
    ws.write_string(0, 0, "province").unwrap();
    ws.write_string(0, 1, meta["province"].as_str().unwrap())
        .unwrap();
    ws.write_string(1, 0, "synthetic").unwrap();
    ws.write_boolean(1, 1, true).unwrap();
    wb.save(&f).unwrap();
    let report = |p: &PathBuf| {
        let out = cmd()
            .args(["report", "--as-of", "2025-12-31", "--format", "json"])
            .arg(p)
            .assert()
            .success();
        json(&out.get_output().stdout)
    };
    let from_csv = report(&dir);
    let from_xlsx = report(&f);
    assert_eq!(from_xlsx["phases"], from_csv["phases"]);
    assert_eq!(from_xlsx["persons"], from_csv["persons"]);
    assert_eq!(from_xlsx["registry"], from_csv["registry"]);
}
