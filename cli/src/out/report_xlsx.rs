//! The progress report as a workbook for officials, from the core's typed report: the summary
//! table first (period, indicator, value, target, status, shortfall — a share's shortfall in
//! percentage points — and the plan's section, every period), one sheet per period with the
//! target for the time elapsed, the rows that could not be told, the plan's wording and the
//! pack's reading, the breakdowns by group (by the pack's labels; small sensitive counts stay
//! `<5`), the records' problems (fields by their labels), and what the report is about.
//! Printable: A4 landscape, one page wide, the title in the page header.

use std::io::Write;

use htx_rules::report::{Aggregate, Figure, IndicatorReport, Report};
use htx_rules::{Engine, Lang, Message};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::labels::Labels;
use crate::safe;

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
            .set_border_bottom(FormatBorder::Thin),
        wrap: top.clone().set_text_wrap(),
        count: top.clone().set_num_format("#,##0.##"),
        share: top.clone().set_num_format("0.0#%"),
        points: top.set_num_format(match lang {
            Lang::Vi => "0.0#\" điểm phần trăm\"",
            Lang::En => "0.0#\" percentage points\"",
        }),
        title: Format::new().set_bold().set_font_size(13),
    }
}

fn text(m: Option<&Message>, lang: Lang) -> String {
    m.map(|m| m.get(lang).to_string()).unwrap_or_default()
}

/// Writes a figure: a share as a percentage, a shortfall of a share in percentage points, a
/// count as a number, a suppressed count as `<5`, none as `—`.
fn figure(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<&Figure>,
    share: bool,
    shortfall: bool,
    f: &Formats,
) -> Result<(), XlsxError> {
    match v {
        None => {
            ws.write_string_with_format(row, col, "—", &f.wrap)?;
        }
        Some(Figure::Below(n)) => {
            ws.write_string_with_format(row, col, format!("<{n}"), &f.wrap)?;
        }
        Some(Figure::Whole(i)) => {
            ws.write_with_format(row, col, Decimal::from(*i), &f.count)?;
        }
        Some(Figure::Decimal(d)) => {
            match (share, shortfall) {
                (true, false) => ws.write_with_format(row, col, *d, &f.share)?,
                (true, true) => ws.write_with_format(
                    row,
                    col,
                    d.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(*d),
                    &f.points,
                )?,
                _ => ws.write_with_format(row, col, *d, &f.count)?,
            };
        }
    }
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

/// A sheet name from a label: no `[ ] : * ? / \`, at most 31 characters, not used before.
fn sheet_name(label: &str, used: &mut Vec<String>) -> String {
    let clean: String = label
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(28)
        .collect();
    let mut name = if clean.trim().is_empty() {
        "-".to_string()
    } else {
        clean.trim().to_string()
    };
    let base = name.clone();
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        name = format!("{base} {n}");
        n += 1;
    }
    used.push(name.clone());
    name
}

fn is_share(i: &IndicatorReport) -> bool {
    i.kind == Aggregate::Share
}

/// The figures every indicator row starts with: value, target, status, shortfall.
fn core_figures(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    i: &IndicatorReport,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    let share = is_share(i);
    figure(ws, row, col, i.value.as_ref(), share, false, f)?;
    figure(ws, row, col + 1, i.target.as_ref(), share, false, f)?;
    ws.write_string_with_format(row, col + 2, i.status_label.get(lang), &f.wrap)?;
    figure(ws, row, col + 3, i.shortfall.as_ref(), share, true, f)?;
    Ok(())
}

/// Writes report `r` as a workbook in `lang`.
pub fn write<W: Write + Send>(
    engine: &Engine,
    r: &Report,
    lang: Lang,
    out: W,
) -> Result<(), XlsxError> {
    let vi = lang == Lang::Vi;
    let f = formats(lang);
    let date_text = if vi {
        r.as_of.to_vi()
    } else {
        r.as_of.to_string()
    };
    let title = if vi {
        format!(
            "Báo cáo tiến độ Kế hoạch {} — ngày {date_text}",
            r.pack.document
        )
    } else {
        format!(
            "Progress report, Kế hoạch {} — as of {date_text}",
            r.pack.document
        )
    };
    let mut wb = Workbook::new();

    // the summary: every indicator of every period
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
                ("Period", 22.0),
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
        for p in &r.periods {
            let label = text(p.label.as_ref(), lang);
            for i in &p.indicators {
                ws.write_string_with_format(row, 0, safe::spreadsheet(&label), &f.wrap)?;
                ws.write_string_with_format(row, 1, safe::spreadsheet(i.title.get(lang)), &f.wrap)?;
                core_figures(ws, row, 2, i, lang, &f)?;
                ws.write_string_with_format(row, 6, safe::spreadsheet(&i.cite.section), &f.wrap)?;
                row += 1;
            }
        }
        ws.autofilter(0, 0, row.saturating_sub(1).max(1), 6)?;
    }

    // one sheet per period (named by its label), with what is behind each figure
    let mut used: Vec<String> = Vec::new();
    for p in &r.periods {
        let ws = wb.add_worksheet();
        let label = text(p.label.as_ref(), lang);
        ws.set_name(sheet_name(&label, &mut used))?;
        printable(ws, &format!("{title} — {label}"));
        let cols: [(&str, f64); 10] = if vi {
            [
                ("Chỉ tiêu", 44.0),
                ("Kết quả", 12.0),
                ("Mục tiêu", 12.0),
                ("Tình trạng", 16.0),
                ("Còn thiếu", 22.0),
                ("Mục tiêu theo thời gian đã qua", 14.0),
                ("Số bản ghi chưa xác định", 12.0),
                ("Căn cứ", 10.0),
                ("Trích Kế hoạch", 60.0),
                ("Cách hiểu", 60.0),
            ]
        } else {
            [
                ("Indicator", 44.0),
                ("Value", 12.0),
                ("Target", 12.0),
                ("Status", 16.0),
                ("Shortfall", 22.0),
                ("Target for the time elapsed", 14.0),
                ("Rows not told", 12.0),
                ("Section", 10.0),
                ("The plan's wording", 60.0),
                ("The pack's reading", 60.0),
            ]
        };
        headers(ws, &cols, &f)?;
        for (row, i) in (1u32..).zip(&p.indicators) {
            ws.write_string_with_format(row, 0, safe::spreadsheet(i.title.get(lang)), &f.wrap)?;
            core_figures(ws, row, 1, i, lang, &f)?;
            figure(ws, row, 5, i.expected.as_ref(), is_share(i), false, &f)?;
            figure(ws, row, 6, Some(&i.unknown), false, false, &f)?;
            ws.write_string_with_format(row, 7, safe::spreadsheet(&i.cite.section), &f.wrap)?;
            let wording = i.cite.wording.as_deref().unwrap_or_default();
            ws.write_string_with_format(row, 8, safe::spreadsheet(wording), &f.wrap)?;
            let reading = text(i.interpretation.as_ref(), lang);
            ws.write_string_with_format(row, 9, safe::spreadsheet(&reading), &f.wrap)?;
        }
    }

    // breakdowns by group, by the pack's labels
    if r.periods
        .iter()
        .any(|p| p.indicators.iter().any(|i| !i.groups.is_empty()))
    {
        let ws = wb.add_worksheet();
        ws.set_name(if vi { "Theo nhóm" } else { "By group" })?;
        printable(ws, &title);
        let cols: [(&str, f64); 4] = if vi {
            [
                ("Giai đoạn", 22.0),
                ("Chỉ tiêu", 44.0),
                ("Nhóm", 48.0),
                ("Số lượng", 12.0),
            ]
        } else {
            [
                ("Period", 22.0),
                ("Indicator", 44.0),
                ("Group", 48.0),
                ("Count", 12.0),
            ]
        };
        headers(ws, &cols, &f)?;
        let mut row = 1u32;
        for p in &r.periods {
            let label = text(p.label.as_ref(), lang);
            for i in &p.indicators {
                for g in &i.groups {
                    let group = g
                        .label
                        .as_ref()
                        .map_or_else(|| g.id.clone(), |l| l.get(lang).to_string());
                    ws.write_string_with_format(row, 0, safe::spreadsheet(&label), &f.wrap)?;
                    ws.write_string_with_format(
                        row,
                        1,
                        safe::spreadsheet(i.title.get(lang)),
                        &f.wrap,
                    )?;
                    ws.write_string_with_format(row, 2, safe::spreadsheet(&group), &f.wrap)?;
                    figure(ws, row, 3, Some(&g.value), false, false, &f)?;
                    row += 1;
                }
            }
        }
    }

    // the records' problems, fields by their labels
    if !r.record_errors.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(if vi {
            "Lỗi dữ liệu"
        } else {
            "Record problems"
        })?;
        let cols: [(&str, f64); 5] = if vi {
            [
                ("Danh sách", 18.0),
                ("Bản ghi", 10.0),
                ("Mã số", 18.0),
                ("Trường", 36.0),
                ("Lỗi", 80.0),
            ]
        } else {
            [
                ("Collection", 18.0),
                ("Record", 10.0),
                ("Id", 18.0),
                ("Field", 36.0),
                ("Problem", 80.0),
            ]
        };
        headers(ws, &cols, &f)?;
        let mut row = 1u32;
        for e in &r.record_errors {
            let coll = e.collection.as_deref().unwrap_or_default();
            let coll_label = engine
                .registry_collections()
                .into_iter()
                .find(|(n, _)| *n == coll)
                .and_then(|(_, l)| l.map(|l| l.get(lang).to_string()))
                .unwrap_or_else(|| coll.to_string());
            let labels = engine.collection_fields(coll).map(|fs| Labels::new(&fs));
            for fe in &e.errors {
                let place = labels
                    .as_ref()
                    .map(|l| l.describe(&fe.field, lang))
                    .unwrap_or_default();
                ws.write_string_with_format(row, 0, safe::spreadsheet(&coll_label), &f.wrap)?;
                if let Some(n) = e.record {
                    ws.write_number_with_format(row, 1, n as f64, &f.count)?;
                }
                ws.write_string_with_format(
                    row,
                    2,
                    safe::spreadsheet(e.id.as_deref().unwrap_or("—")),
                    &f.wrap,
                )?;
                ws.write_string_with_format(row, 3, safe::spreadsheet(&place), &f.wrap)?;
                ws.write_string_with_format(
                    row,
                    4,
                    safe::spreadsheet(fe.message.get(lang)),
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
        ws.set_column_width(0, 34)?;
        ws.set_column_width(1, 90)?;
        ws.write_string_with_format(0, 0, safe::spreadsheet(&title), &f.title)?;
        let mut lines: Vec<(String, String)> = Vec::new();
        for m in &r.registry.meta {
            let v = match &m.value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(true) => (if vi { "có" } else { "yes" }).to_string(),
                serde_json::Value::Bool(false) => (if vi { "không" } else { "no" }).to_string(),
                other => other.to_string(),
            };
            let k = m
                .label
                .as_ref()
                .map_or_else(|| m.name.clone(), |l| l.get(lang).to_string());
            lines.push((k, v));
        }
        for c in &r.registry.collections {
            let k = c
                .label
                .as_ref()
                .map_or_else(|| c.name.clone(), |l| l.get(lang).to_string());
            lines.push((k, c.rows.to_string()));
        }
        lines.push((
            (if vi { "Ngày xét" } else { "As of" }).to_string(),
            date_text.clone(),
        ));
        lines.push((
            (if vi { "Gói quy tắc" } else { "Rule pack" }).to_string(),
            format!("{} {}", r.pack.id, r.pack.version),
        ));
        if let Some(s) = &r.pack.status {
            lines.push((
                (if vi { "Hiệu lực" } else { "Status" }).to_string(),
                s.get(lang).to_string(),
            ));
        }
        for n in &r.notes {
            lines.push((
                (if vi { "Lưu ý" } else { "Note" }).to_string(),
                n.get(lang).to_string(),
            ));
        }
        for (i, (k, v)) in lines.iter().enumerate() {
            let row = u32::try_from(i + 2).unwrap_or(0);
            ws.write_string_with_format(row, 0, safe::spreadsheet(k), &f.header)?;
            ws.write_string_with_format(row, 1, safe::spreadsheet(v), &f.wrap)?;
        }
    }
    wb.save_to_writer(out)
}
