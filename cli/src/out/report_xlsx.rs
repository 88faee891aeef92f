//! The progress report as a workbook for officials: the summary table first (indicator, value,
//! target, status, shortfall — every phase), one sheet per phase with the reasons and the
//! plan's wording, the priority groups by their Vietnamese (or English) names, the records'
//! problems, and what the report is about. Printable: A4 landscape, one page wide, the title
//! in the page header.
//!
//! Written from the report's JSON (`Report::to_json`), the shape the core gives today.

use std::io::Write;
use std::str::FromStr;

use htx_rules::{Date, Engine, Lang};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::labels::Labels;
use crate::safe;

fn msg(v: Option<&Value>, lang: Lang) -> String {
    let key = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(m)) => m
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}

/// What an indicator's status is called: the report's own label when it carries one
/// (`status_label`), else the words of the report's text table.
fn status_text(i: &Value, lang: Lang) -> String {
    match i.get("status_label") {
        Some(l @ Value::Object(_)) => msg(Some(l), lang),
        _ => status_word(i.get("status").and_then(Value::as_str).unwrap_or(""), lang).to_string(),
    }
}

fn status_word(s: &str, lang: Lang) -> &'static str {
    match (s, lang) {
        ("met", Lang::Vi) => "đạt",
        ("met", Lang::En) => "met",
        ("not_met", Lang::Vi) => "không đạt",
        ("not_met", Lang::En) => "not met",
        ("on_track", Lang::Vi) => "đúng tiến độ",
        ("on_track", Lang::En) => "on track",
        ("behind", Lang::Vi) => "chậm tiến độ",
        ("behind", Lang::En) => "behind",
        ("no_target", Lang::Vi) => "không có chỉ tiêu",
        ("no_target", Lang::En) => "no target",
        (_, Lang::Vi) => "thiếu dữ liệu",
        (_, Lang::En) => "no data",
    }
}

struct Formats {
    header: Format,
    wrap: Format,
    count: Format,
    share: Format,
    points: Format,
    title: Format,
}

fn formats(lang: Lang) -> Formats {
    let top = Format::new().set_align(FormatAlign::Top);
    Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("DDEBF7")
            .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
        wrap: top.clone().set_text_wrap(),
        count: top.clone().set_num_format("#,##0"),
        share: top.clone().set_num_format("0.0#%"),
        points: top.set_num_format(match lang {
            Lang::Vi => "0.0#\" điểm phần trăm\"",
            Lang::En => "0.0#\" percentage points\"",
        }),
        title: Format::new().set_bold().set_font_size(13),
    }
}

/// A number from the report's JSON: an integer, or a decimal written as a string.
fn number(v: Option<&Value>) -> Option<Decimal> {
    match v? {
        Value::Number(n) => n.as_i64().map(Decimal::from),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

/// Writes an indicator's figure: a count, a share (as a percentage), or a shortfall of a share
/// in percentage points.
fn figure(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<&Value>,
    kind: &str,
    shortfall: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    let Some(d) = number(v) else {
        if let Some(Value::String(s)) = v {
            ws.write_string_with_format(row, col, safe::spreadsheet(s), &f.wrap)?;
        } else {
            ws.write_string_with_format(row, col, "—", &f.wrap)?;
        }
        return Ok(());
    };
    match (kind, shortfall) {
        ("share", false) => ws.write_with_format(row, col, d, &f.share)?,
        ("share", true) => ws.write_with_format(
            row,
            col,
            d.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(d),
            &f.points,
        )?,
        _ => ws.write_with_format(row, col, d, &f.count)?,
    };
    Ok(())
}

fn headers(ws: &mut Worksheet, cols: &[(&str, f64)], f: &Formats) -> Result<(), XlsxError> {
    for (i, (h, w)) in cols.iter().enumerate() {
        let c = u16::try_from(i).unwrap_or(0);
        ws.write_string_with_format(0, c, *h, &f.header)?;
        ws.set_column_width(c, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn printable(ws: &mut Worksheet, title: &str) {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&C&\"Calibri,Bold\"{}", title.replace('&', "&&")));
    let _ = ws.set_repeat_rows(0, 0);
}

fn rows_of(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// Writes the report `r` (its JSON) as a workbook in `lang`.
pub fn write<W: Write + Send>(
    engine: &Engine,
    r: &Value,
    lang: Lang,
    out: W,
) -> Result<(), XlsxError> {
    let vi = lang == Lang::Vi;
    let f = formats(lang);
    let as_of = r.get("as_of").and_then(Value::as_str).and_then(Date::parse);
    let date_text = as_of
        .map(|d| if vi { d.to_vi() } else { d.to_string() })
        .unwrap_or_default();
    let doc = r
        .pointer("/pack/document")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let title = if vi {
        format!("Báo cáo tiến độ Kế hoạch {doc} — ngày {date_text}")
    } else {
        format!("Progress report, Kế hoạch {doc} — as of {date_text}")
    };
    let mut wb = Workbook::new();
    let phases = rows_of(r.get("phases").unwrap_or(&Value::Null));

    // the summary: every indicator of every phase
    {
        let ws = wb.add_worksheet();
        ws.set_name(if vi { "Tóm tắt" } else { "Summary" })?;
        printable(ws, &title);
        let cols: [(&str, f64); 7] = if vi {
            [
                ("Giai đoạn", 22.0),
                ("Chỉ tiêu", 48.0),
                ("Kết quả", 12.0),
                ("Mục tiêu", 12.0),
                ("Tình trạng", 16.0),
                ("Còn thiếu", 22.0),
                ("Căn cứ", 12.0),
            ]
        } else {
            [
                ("Phase", 22.0),
                ("Indicator", 48.0),
                ("Value", 12.0),
                ("Target", 12.0),
                ("Status", 16.0),
                ("Shortfall", 22.0),
                ("Section", 12.0),
            ]
        };
        headers(ws, &cols, &f)?;
        let mut row = 1u32;
        for p in phases {
            let label = msg(p.get("label"), lang);
            for i in rows_of(p.get("indicators").unwrap_or(&Value::Null)) {
                let kind = i.get("kind").and_then(Value::as_str).unwrap_or("count");
                ws.write_string_with_format(row, 0, safe::spreadsheet(&label), &f.wrap)?;
                ws.write_string_with_format(
                    row,
                    1,
                    safe::spreadsheet(&msg(i.get("title"), lang)),
                    &f.wrap,
                )?;
                figure(ws, row, 2, i.get("value"), kind, false, &f)?;
                figure(ws, row, 3, i.get("target"), kind, false, &f)?;
                ws.write_string_with_format(row, 4, status_text(i, lang), &f.wrap)?;
                match i.get("shortfall") {
                    Some(Value::Null) | None => {
                        ws.write_string_with_format(row, 5, "—", &f.wrap)?;
                    }
                    s => figure(ws, row, 5, s, kind, true, &f)?,
                }
                let section = i
                    .pointer("/cite/section")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                ws.write_string_with_format(row, 6, safe::spreadsheet(section), &f.wrap)?;
                row += 1;
            }
        }
        ws.autofilter(0, 0, row.saturating_sub(1).max(1), 6)?;
    }

    // one sheet per phase, with the reasons and the wording
    for p in phases {
        let n = p.get("phase").and_then(Value::as_i64).unwrap_or(0);
        let ws = wb.add_worksheet();
        ws.set_name(if vi {
            format!("Giai đoạn {n}")
        } else {
            format!("Phase {n}")
        })?;
        printable(ws, &format!("{title} — {}", msg(p.get("label"), lang)));
        let cols: [(&str, f64); 8] = if vi {
            [
                ("Chỉ tiêu", 44.0),
                ("Kết quả", 12.0),
                ("Mục tiêu", 12.0),
                ("Tình trạng", 16.0),
                ("Còn thiếu", 22.0),
                ("Lý do", 60.0),
                ("Căn cứ", 10.0),
                ("Trích Kế hoạch", 60.0),
            ]
        } else {
            [
                ("Indicator", 44.0),
                ("Value", 12.0),
                ("Target", 12.0),
                ("Status", 16.0),
                ("Shortfall", 22.0),
                ("Reasons", 60.0),
                ("Section", 10.0),
                ("The plan's wording", 60.0),
            ]
        };
        headers(ws, &cols, &f)?;
        for (row, i) in (1u32..).zip(rows_of(p.get("indicators").unwrap_or(&Value::Null))) {
            let kind = i.get("kind").and_then(Value::as_str).unwrap_or("count");
            ws.write_string_with_format(
                row,
                0,
                safe::spreadsheet(&msg(i.get("title"), lang)),
                &f.wrap,
            )?;
            figure(ws, row, 1, i.get("value"), kind, false, &f)?;
            figure(ws, row, 2, i.get("target"), kind, false, &f)?;
            ws.write_string_with_format(row, 3, status_text(i, lang), &f.wrap)?;
            match i.get("shortfall") {
                Some(Value::Null) | None => {
                    ws.write_string_with_format(row, 4, "—", &f.wrap)?;
                }
                s => figure(ws, row, 4, s, kind, true, &f)?,
            }
            let reasons: Vec<String> = rows_of(i.get("reasons").unwrap_or(&Value::Null))
                .iter()
                .map(|m| msg(Some(m), lang))
                .collect();
            ws.write_string_with_format(row, 5, safe::spreadsheet(&reasons.join("\n")), &f.wrap)?;
            let section = i
                .pointer("/cite/section")
                .and_then(Value::as_str)
                .unwrap_or_default();
            ws.write_string_with_format(row, 6, safe::spreadsheet(section), &f.wrap)?;
            let wording = i
                .pointer("/cite/wording")
                .and_then(Value::as_str)
                .unwrap_or_default();
            ws.write_string_with_format(row, 7, safe::spreadsheet(wording), &f.wrap)?;
        }
    }

    // the priority groups, by the person fields' labels; counts under 5 stay "<5"
    if let Some(groups) = r
        .pointer("/persons/priority_groups")
        .and_then(Value::as_object)
    {
        let person = engine.fields("person").unwrap_or_default();
        let label = |key: &str| {
            person
                .iter()
                .find(|x| x.path == key)
                .and_then(|x| x.label.as_ref())
                .map(|m| m.get(lang).to_string())
                .unwrap_or_else(|| key.to_string())
        };
        let ws = wb.add_worksheet();
        ws.set_name(if vi {
            "Nhóm ưu tiên"
        } else {
            "Priority groups"
        })?;
        printable(ws, &title);
        let cols: [(&str, f64); 2] = if vi {
            [("Nhóm (II.2)", 60.0), ("Số phụ nữ", 14.0)]
        } else {
            [("Group (II.2)", 60.0), ("Women", 14.0)]
        };
        headers(ws, &cols, &f)?;
        let mut row = 1u32;
        for (k, total) in [
            (
                if vi {
                    "Phụ nữ thuộc nhóm ưu tiên"
                } else {
                    "Women in a priority group"
                },
                r.pointer("/persons/priority_women"),
            ),
            (
                if vi {
                    "Thuộc đối tượng của Kế hoạch"
                } else {
                    "In the plan's target group"
                },
                r.pointer("/persons/target_group"),
            ),
        ] {
            ws.write_string_with_format(row, 0, k, &f.header)?;
            figure(ws, row, 1, total, "count", false, &f)?;
            row += 1;
        }
        for (k, v) in groups {
            ws.write_string_with_format(row, 0, safe::spreadsheet(&label(k)), &f.wrap)?;
            figure(ws, row, 1, Some(v), "count", false, &f)?;
            row += 1;
        }
    }

    // the records' problems, fields by their labels
    let errors = rows_of(r.get("record_errors").unwrap_or(&Value::Null));
    if !errors.is_empty() {
        let labels: Vec<Labels> = ["cooperative", "person"]
            .iter()
            .filter_map(|e| engine.fields(e).ok())
            .map(|f| Labels::new(&f))
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(if vi {
            "Lỗi dữ liệu"
        } else {
            "Record problems"
        })?;
        let cols: [(&str, f64); 3] = if vi {
            [("Mã số", 18.0), ("Trường", 36.0), ("Lỗi", 80.0)]
        } else {
            [("Id", 18.0), ("Field", 36.0), ("Problem", 80.0)]
        };
        headers(ws, &cols, &f)?;
        let mut row = 1u32;
        for e in errors {
            let id = e.get("id").and_then(Value::as_str).unwrap_or("—");
            for fe in rows_of(e.get("errors").unwrap_or(&Value::Null)) {
                let ptr = fe.get("field").and_then(Value::as_str).unwrap_or_default();
                let place = labels
                    .iter()
                    .find_map(|l| l.resolve(ptr, lang))
                    .unwrap_or_default();
                ws.write_string_with_format(row, 0, safe::spreadsheet(id), &f.wrap)?;
                ws.write_string_with_format(row, 1, safe::spreadsheet(&place), &f.wrap)?;
                ws.write_string_with_format(
                    row,
                    2,
                    safe::spreadsheet(&msg(fe.get("message"), lang)),
                    &f.wrap,
                )?;
                row += 1;
            }
        }
    }

    // what the report is about
    {
        let ws = wb.add_worksheet();
        ws.set_name(if vi { "Thông tin" } else { "About" })?;
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 90)?;
        ws.write_string_with_format(0, 0, safe::spreadsheet(&title), &f.title)?;
        let mut lines: Vec<(&str, String)> = vec![
            (
                if vi { "Tỉnh" } else { "Province" },
                r.pointer("/registry/province")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ),
            (if vi { "Ngày xét" } else { "As of" }, date_text.clone()),
            (
                if vi { "Gói quy tắc" } else { "Rule pack" },
                format!(
                    "{} {}",
                    r.pointer("/pack/id")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                    r.pointer("/pack/version")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                ),
            ),
            (
                if vi { "Hiệu lực" } else { "Status" },
                msg(r.pointer("/pack/status"), lang),
            ),
        ];
        if r.pointer("/registry/synthetic").and_then(Value::as_bool) == Some(true) {
            lines.push((
                if vi { "Dữ liệu" } else { "Data" },
                if vi {
                    "DỮ LIỆU MẪU, HƯ CẤU — không phải số liệu thật".to_string()
                } else {
                    "SAMPLE, INVENTED DATA — not real figures".to_string()
                },
            ));
        }
        if let Some(note) = r.pointer("/registry/note").and_then(Value::as_str) {
            lines.push((if vi { "Ghi chú" } else { "Note" }, note.to_string()));
        }
        for (i, (k, v)) in lines.iter().enumerate() {
            let row = u32::try_from(i + 2).unwrap_or(0);
            ws.write_string_with_format(row, 0, *k, &f.header)?;
            ws.write_string_with_format(row, 1, safe::spreadsheet(v), &f.wrap)?;
        }
    }
    wb.save_to_writer(out)
}
