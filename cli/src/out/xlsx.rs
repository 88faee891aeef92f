//! Workbooks for officials (rust_xlsxwriter): results with headers in the output's language,
//! one column per decision (its outcome in words) plus one for its value where it carries one
//! (a number cell formatted as a percentage, money or a date, so it can be summed and
//! sorted), the reasons in a column, the record's problems on its row. Rows go to a temporary
//! file as they come (constant-memory mode), so a big input does not fill memory; a sheet
//! that reaches Excel's last row continues on the next sheet.
//!
//! Text from the input (ids, messages quoting a value) goes in as text cells and is
//! neutralised against formula injection all the same (`safe::spreadsheet`), for the day
//! someone saves the sheet as CSV.

use std::io::Write;

use htx_rules::{Date, Lang, Scalar, ValueType};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::row::{Output, Row};
use crate::safe;

/// Excel's last row (1,048,576 rows, 0-based).
const MAX_ROW: u32 = 1_048_575;

/// The number format of a value of `kind` in `lang`.
fn num_format(kind: Option<ValueType>, lang: Lang) -> &'static str {
    match (kind, lang) {
        (Some(ValueType::Share), _) => "0.0#%",
        (Some(ValueType::Money), Lang::Vi) => "#,##0 \"đ\"",
        (Some(ValueType::Money), Lang::En) => "#,##0 \"VND\"",
        (Some(ValueType::Date), Lang::Vi) => "dd/mm/yyyy",
        (Some(ValueType::Date), Lang::En) => "yyyy-mm-dd",
        (Some(ValueType::Int), _) => "0",
        _ => "General",
    }
}

/// Writes a value typed: numbers as numbers, dates as dates, the rest as text.
pub fn write_scalar(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Scalar,
    text: Option<&str>,
    fmt: &Format,
) -> Result<(), XlsxError> {
    match v {
        Scalar::Int(i) => {
            // counts are far below 2^53: exact as a double
            ws.write_number_with_format(row, col, *i as f64, fmt)?;
        }
        Scalar::Decimal(d) => {
            // a spreadsheet's numbers are doubles; the exact value stays in the JSON output
            ws.write_with_format(row, col, *d, fmt)?;
        }
        Scalar::Date(d) => {
            let (y, m, day) = d.ymd();
            match (u16::try_from(y), u8::try_from(m), u8::try_from(day)) {
                (Ok(y), Ok(m), Ok(day)) => match ExcelDateTime::from_ymd(y, m, day) {
                    Ok(dt) => {
                        ws.write_datetime_with_format(row, col, dt, fmt)?;
                    }
                    Err(_) => {
                        ws.write_string(row, col, d.to_string())?;
                    }
                },
                _ => {
                    ws.write_string(row, col, d.to_string())?;
                }
            }
        }
        Scalar::Bool(_) | Scalar::Text(_) => {
            let t = text.map(str::to_string).unwrap_or_else(|| match v {
                Scalar::Text(s) => s.clone(),
                Scalar::Bool(b) => b.to_string(),
                _ => String::new(),
            });
            ws.write_string(row, col, safe::spreadsheet(&t))?;
        }
    }
    Ok(())
}

/// Header words in each language.
struct Words {
    sheet: &'static str,
    id: &'static str,
    value: &'static str,
    reasons: &'static str,
    problems: &'static str,
    unreadable: &'static str,
    about: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Vi => Words {
            sheet: "Kết quả",
            id: "Mã số",
            value: "giá trị",
            reasons: "Lý do",
            problems: "Lỗi dữ liệu",
            unreadable: "không đọc được bản ghi",
            about: "Thông tin",
        },
        Lang::En => Words {
            sheet: "Results",
            id: "Id",
            value: "value",
            reasons: "Reasons",
            problems: "Problems",
            unreadable: "record could not be read",
            about: "About",
        },
    }
}

/// What the "About" sheet says.
pub struct About {
    /// Entity evaluated.
    pub entity: String,
    /// As-of date.
    pub as_of: Date,
    /// Packs used (`id version`).
    pub packs: Vec<String>,
    /// Input file name.
    pub input: String,
}

/// Evaluation results as a workbook, written row by row.
pub struct EvalWorkbook {
    wb: Workbook,
    lang: Lang,
    infos: Vec<Output>,
    sheets: usize,
    /// The current sheet's index in the workbook and its next row.
    sheet: usize,
    row: u32,
    header: Format,
    wrap: Format,
    value_formats: Vec<Format>,
    records: usize,
    with_errors: usize,
    about: About,
    /// The last row a sheet takes before the next sheet starts (Excel's last row).
    max_row: u32,
}

impl EvalWorkbook {
    /// A workbook for `infos`' decisions.
    pub fn new(lang: Lang, infos: Vec<Output>, about: About) -> Result<EvalWorkbook, XlsxError> {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("DDEBF7");
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let value_formats = infos
            .iter()
            .map(|d| {
                Format::new()
                    .set_num_format(num_format(d.value, lang))
                    .set_align(FormatAlign::Top)
            })
            .collect();
        let mut w = EvalWorkbook {
            wb: Workbook::new(),
            lang,
            infos,
            sheets: 0,
            sheet: 0,
            row: 0,
            header,
            wrap,
            value_formats,
            records: 0,
            with_errors: 0,
            about,
            max_row: MAX_ROW,
        };
        w.new_sheet()?;
        Ok(w)
    }

    fn columns(&self) -> u16 {
        let n: usize = self
            .infos
            .iter()
            .map(|d| if d.value.is_some() { 2 } else { 1 })
            .sum();
        u16::try_from(n + 3).unwrap_or(u16::MAX)
    }

    fn new_sheet(&mut self) -> Result<(), XlsxError> {
        let w = words(self.lang);
        let name = if self.sheets == 0 {
            w.sheet.to_string()
        } else {
            format!("{} {}", w.sheet, self.sheets + 1)
        };
        let ws = self.wb.add_worksheet_with_constant_memory();
        ws.set_name(name)?;
        self.sheet = self.sheets;
        self.sheets += 1;
        let mut col: u16 = 0;
        ws.write_string_with_format(0, col, w.id, &self.header)?;
        ws.set_column_width(col, 16)?;
        for d in &self.infos {
            col += 1;
            let title = d.title.get(self.lang);
            ws.write_string_with_format(0, col, title, &self.header)?;
            ws.set_column_width(col, 16)?;
            if d.value.is_some() {
                col += 1;
                ws.write_string_with_format(
                    0,
                    col,
                    format!("{title} ({})", w.value),
                    &self.header,
                )?;
                ws.set_column_width(col, 14)?;
            }
        }
        col += 1;
        ws.write_string_with_format(0, col, w.reasons, &self.header)?;
        ws.set_column_width(col, 80)?;
        col += 1;
        ws.write_string_with_format(0, col, w.problems, &self.header)?;
        ws.set_column_width(col, 60)?;
        ws.set_freeze_panes(1, 1)?;
        self.row = 1;
        Ok(())
    }

    /// Adds one record's row.
    pub fn push(&mut self, r: &Row) -> Result<(), XlsxError> {
        if self.row > self.max_row {
            self.finish_sheet()?;
            self.new_sheet()?;
        }
        let lang = self.lang;
        let w = words(lang);
        let row = self.row;
        let ws = self.wb.worksheet_from_index(self.sheet)?;
        if let Some(id) = &r.id {
            ws.write_string_with_format(row, 0, safe::spreadsheet(id), &self.wrap)?;
        }
        let mut col: u16 = 0;
        let mut reasons: Vec<String> = Vec::new();
        for (i, d) in self.infos.iter().enumerate() {
            col += 1;
            if let Some(c) = r.cells.get(i) {
                ws.write_string_with_format(row, col, c.outcome.label().get(lang), &self.wrap)?;
                if d.value.is_some() {
                    if let (Some(v), Some(fmt)) = (&c.value, self.value_formats.get(i)) {
                        write_scalar(ws, row, col + 1, v, c.value_text.as_deref(), fmt)?;
                    }
                }
            }
            if d.value.is_some() {
                col += 1;
            }
            if let Some(rs) = r.reasons.get(i) {
                for reason in rs {
                    reasons.push(format!("{}: {reason}", d.title.get(lang)));
                }
            }
        }
        col += 1;
        if !reasons.is_empty() {
            ws.write_string_with_format(
                row,
                col,
                safe::spreadsheet(&reasons.join("\n")),
                &self.wrap,
            )?;
        }
        col += 1;
        let mut problems = r.errors.clone();
        if r.unreadable && problems.is_empty() {
            problems.push(w.unreadable.to_string());
        }
        if !problems.is_empty() {
            self.with_errors += 1;
            ws.write_string_with_format(
                row,
                col,
                safe::spreadsheet(&problems.join("\n")),
                &self.wrap,
            )?;
        }
        self.row += 1;
        self.records += 1;
        Ok(())
    }

    fn finish_sheet(&mut self) -> Result<(), XlsxError> {
        let last_col = self.columns().saturating_sub(1);
        let last_row = self.row.saturating_sub(1).max(1);
        let ws = self.wb.worksheet_from_index(self.sheet)?;
        ws.autofilter(0, 0, last_row, last_col)?;
        Ok(())
    }

    /// Writes the "About" sheet and the workbook to `out`.
    pub fn finish<W: Write + Send>(mut self, out: W) -> Result<(), XlsxError> {
        self.finish_sheet()?;
        let lang = self.lang;
        let w = words(lang);
        let rows: Vec<(&str, String)> = match lang {
            Lang::Vi => vec![
                ("Đối tượng", self.about.entity.clone()),
                ("Ngày xét", self.about.as_of.to_vi()),
                ("Gói quy tắc", self.about.packs.join(", ")),
                ("Tệp dữ liệu", self.about.input.clone()),
                ("Số bản ghi", self.records.to_string()),
                ("Số bản ghi có lỗi dữ liệu", self.with_errors.to_string()),
            ],
            Lang::En => vec![
                ("Entity", self.about.entity.clone()),
                ("As of", self.about.as_of.to_string()),
                ("Rule packs", self.about.packs.join(", ")),
                ("Input", self.about.input.clone()),
                ("Records", self.records.to_string()),
                ("Records with problems", self.with_errors.to_string()),
            ],
        };
        let header = self.header.clone();
        let ws = self.wb.add_worksheet();
        ws.set_name(w.about)?;
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 60)?;
        for (i, (k, v)) in rows.iter().enumerate() {
            let r = u32::try_from(i).unwrap_or(0);
            ws.write_string_with_format(r, 0, *k, &header)?;
            ws.write_string(r, 1, safe::spreadsheet(v))?;
        }
        self.wb.save_to_writer(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::out::labels::Labels;
    use crate::out::row::{outputs, RowBuilder};
    use calamine::{Reader, Xlsx};

    #[test]
    fn a_full_sheet_continues_on_the_next() {
        let engine = htx_rules::Engine::embedded().unwrap();
        let about = About {
            entity: "cooperative".into(),
            as_of: Date::from_ymd(2025, 6, 30).unwrap(),
            packs: vec![],
            input: "test".into(),
        };
        let mut w =
            EvalWorkbook::new(Lang::Vi, outputs(&engine, "cooperative").unwrap(), about).unwrap();
        w.max_row = 3;
        let rb = RowBuilder {
            lang: Lang::Vi,
            reasons: true,
            labels: Labels::new(&engine.fields("cooperative").unwrap()),
        };
        for i in 0..7 {
            let rec = serde_json::json!({ "id": format!("c{i}"), "kind": "htx" });
            let ev = engine.evaluate("cooperative", &rec, about_date()).unwrap();
            w.push(&rb.evaluated(i + 1, &ev)).unwrap();
        }
        let mut buf = std::io::Cursor::new(Vec::new());
        w.finish(&mut buf).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(buf.into_inner())).unwrap();
        assert_eq!(
            wb.sheet_names(),
            ["Kết quả", "Kết quả 2", "Kết quả 3", "Thông tin"]
        );
        let ids: Vec<String> = wb
            .worksheets()
            .iter()
            .take(3)
            .flat_map(|(_, r)| {
                r.rows()
                    .skip(1)
                    .map(|row| row[0].to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    }

    fn about_date() -> Date {
        Date::from_ymd(2025, 6, 30).unwrap()
    }
}
