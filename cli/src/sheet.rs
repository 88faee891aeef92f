//! Reading workbooks (`.xlsx`, `.xls`, `.ods`; calamine): a sheet becomes a header and rows of
//! text cells, written as CSV with the contract's dotted headers, which the one CSV reader of
//! the command line then decodes against the schema (no second decoder here).
//!
//! Headers may be the contract's dotted names (`workers.female`) or the pack's labels in
//! Vietnamese or English, from `Engine::fields` (never a list kept here): a field's own label
//! when no other field has it (`Ngày thành lập`), or its record's label and its own, joined by
//! `›`, `-`, `:`, `/` or `.` (`Người lao động - Số nữ`, `Workers › Women`). Enum cells may be
//! written by their labels (`Hợp tác xã` for `htx`), yes/no cells as `có`/`không`. Numbers
//! typed in the sheet arrive as numbers (a share typed `60%` is the number 0.6), dates as dates.

use std::collections::HashMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Range, Reader};
use htx_rules::{msg, Code, Date, Error, FieldInfo, FieldKind};

/// Lowercase, separators unified, spaces collapsed: how headers and sheet names are compared.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.trim().chars().peekable();
    let mut prev_space = false;
    while let Some(c) = chars.next() {
        let sep = match c {
            '›' | '>' | '–' | '—' | ':' | '/' | '.' | '|' => true,
            '-' => prev_space || chars.peek().is_some_and(|n| n.is_whitespace()),
            _ => false,
        };
        if sep {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('|');
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            prev_space = false;
        } else if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') && !out.ends_with('|') {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.extend(c.to_lowercase());
            prev_space = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// One column a header names: its dotted path and what it holds.
#[derive(Clone)]
struct Column {
    path: String,
    kind: FieldKind,
    /// Enum labels (normalized) → values.
    values: HashMap<String, String>,
}

/// Headers to dotted paths, from an entity's fields.
pub struct Headers {
    by_text: HashMap<String, Column>,
}

impl Headers {
    /// The headers `fields` (an entity's, flattened) can be called by.
    pub fn new(fields: &[FieldInfo]) -> Headers {
        let column = |f: &FieldInfo| Column {
            path: f.path.clone(),
            kind: f.item_kind.unwrap_or(f.kind),
            values: f
                .values
                .iter()
                .flat_map(|v| {
                    let mut names = vec![(normalize(&v.value), v.value.clone())];
                    if let Some(l) = &v.label {
                        names.push((normalize(&l.vi), v.value.clone()));
                        names.push((normalize(&l.en), v.value.clone()));
                    }
                    names
                })
                .collect(),
        };
        let by_path: HashMap<&str, &FieldInfo> =
            fields.iter().map(|f| (f.path.as_str(), f)).collect();
        // how many fields carry each label: a label alone names a field only when it is unique
        let mut label_count: HashMap<String, usize> = HashMap::new();
        for f in fields {
            if let Some(l) = &f.label {
                *label_count.entry(normalize(&l.vi)).or_default() += 1;
                if normalize(&l.en) != normalize(&l.vi) {
                    *label_count.entry(normalize(&l.en)).or_default() += 1;
                }
            }
        }
        let mut by_text = HashMap::new();
        for f in fields {
            if f.kind == FieldKind::Record {
                continue;
            }
            let c = column(f);
            by_text.insert(normalize(&f.path), c.clone());
            let Some(l) = &f.label else { continue };
            let parent = f
                .path
                .rsplit_once('.')
                .and_then(|(p, _)| by_path.get(p))
                .and_then(|p| p.label.as_ref());
            for (own, up) in [
                (&l.vi, parent.map(|p| &p.vi)),
                (&l.en, parent.map(|p| &p.en)),
            ] {
                let own_n = normalize(own);
                if label_count.get(&own_n) == Some(&1) {
                    by_text.entry(own_n.clone()).or_insert_with(|| c.clone());
                }
                if let Some(up) = up {
                    by_text
                        .entry(format!("{}|{own_n}", normalize(up)))
                        .or_insert_with(|| c.clone());
                }
            }
        }
        Headers { by_text }
    }

    fn column(&self, header: &str) -> Option<&Column> {
        self.by_text.get(&normalize(header))
    }
}

/// A workbook that could not be read.
fn read_error(path: &Path, e: impl std::fmt::Display) -> Error {
    let name = path.display();
    Error::invalid_input(
        Code::InputRead,
        msg!(
            vi: format!("không đọc được bảng tính {name}: {e}"),
            en: format!("cannot read the workbook {name}: {e}"),
        ),
    )
}

/// Whether a file name is a workbook's.
pub fn is_workbook(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
        .iter()
        .any(|e| n.ends_with(e))
}

/// The sheets of a workbook, by name, in order.
pub fn sheets(path: &Path) -> Result<Vec<(String, Range<Data>)>, Error> {
    let mut wb = open_workbook_auto(path).map_err(|e| read_error(path, e))?;
    Ok(wb.worksheets())
}

/// The text a cell gives the CSV reader.
fn cell_text(d: &Data, col: Option<&Column>) -> String {
    let kind = col.map(|c| c.kind);
    match d {
        Data::Empty => String::new(),
        Data::String(s) => {
            let t = s.trim();
            if let Some(c) = col {
                if let Some(v) = c.values.get(&normalize(t)) {
                    return v.clone();
                }
                if c.kind == FieldKind::Bool {
                    match normalize(t).as_str() {
                        "có" | "yes" | "x" | "đúng" | "true" => return "true".into(),
                        "không" | "no" | "sai" | "false" => return "false".into(),
                        _ => {}
                    }
                }
            }
            // one line per cell: the CSV row of a record stays on its sheet row
            t.replace(['\r', '\n'], " ")
        }
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                // the shortest text that reads back as the same double (what the sheet shows)
                format!("{f}")
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            match (
                kind,
                Date::from_ymd(i32::from(y), u32::from(m), u32::from(day)),
            ) {
                (Some(FieldKind::Integer | FieldKind::Decimal), _) | (_, None) => {
                    format!("{}", dt.as_f64())
                }
                (_, Some(date)) => date.to_string(),
            }
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A sheet as CSV text with dotted headers (labels translated by `headers`, others kept).
pub fn to_csv(range: &Range<Data>, headers: Option<&Headers>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut rows = range.rows();
    let Some(head) = rows.next() else {
        return Vec::new();
    };
    let cols: Vec<Option<&Column>> = head
        .iter()
        .map(|h| headers.and_then(|hs| hs.column(&h.to_string())))
        .collect();
    let names: Vec<String> = head
        .iter()
        .zip(&cols)
        .map(|(h, c)| c.map_or_else(|| h.to_string().trim().to_string(), |c| c.path.clone()))
        .collect();
    let width = names
        .iter()
        .rposition(|n| !n.is_empty())
        .map_or(0, |i| i + 1);
    let _ = w.write_record(names.iter().take(width));
    for r in rows {
        if r.iter().all(|d| matches!(d, Data::Empty)) {
            continue;
        }
        let cells: Vec<String> = r
            .iter()
            .take(width)
            .enumerate()
            .map(|(i, d)| cell_text(d, cols.get(i).copied().flatten()))
            .collect();
        let _ = w.write_record(&cells);
    }
    w.into_inner().unwrap_or_default()
}

/// The names a sheet of `entity` may have (normalized): the entity's name, the pack's label
/// of it in each language, and each part of a label (a sheet name cannot hold `/`: "Hợp tác
/// xã / tổ hợp tác" is found as "Hợp tác xã").
pub fn sheet_names(engine: &htx_rules::Engine, entity: &str) -> Vec<String> {
    let mut names = vec![normalize(entity)];
    if let Some(l) = engine.entity_label(entity) {
        for t in [l.vi, l.en] {
            let n = normalize(&t);
            names.extend(n.split('|').map(str::to_string));
            names.push(n);
        }
    }
    names
}

/// The sheet of `entity` in a workbook: the one named after it (see [`sheet_names`]), or the
/// only one; an error naming the sheets otherwise.
pub fn entity_sheet(
    path: &Path,
    sheets: Vec<(String, Range<Data>)>,
    names: &[String],
    wanted: Option<&str>,
) -> Result<(String, Range<Data>), Error> {
    let list: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let want: Vec<String> = match wanted {
        Some(w) => vec![normalize(w)],
        None => names.to_vec(),
    };
    let single = sheets.len() == 1 && wanted.is_none();
    let found = sheets
        .into_iter()
        .enumerate()
        .find(|(i, (n, _))| want.contains(&normalize(n)) || (single && *i == 0));
    found.map(|(_, s)| s).ok_or_else(|| {
        let name = path.display();
        let list = list.join(", ");
        let w = wanted.map_or_else(|| names.join(" / "), str::to_string);
        Error::invalid_input(
            Code::InputRead,
            msg!(
                vi: format!("{name}: không có trang `{w}` (các trang: {list}); chọn trang bằng --sheet"),
                en: format!("{name}: no sheet `{w}` (sheets: {list}); choose one with --sheet"),
            ),
        )
    })
}

/// The input of `eval` or `validate`: a workbook's sheet of `entity` as CSV, or the file (or
/// standard input) as it is.
pub fn open_records(
    engine: &htx_rules::Engine,
    entity: &str,
    file: Option<&str>,
    sheet: Option<&str>,
    explicit: Option<htx_rules::read::Format>,
) -> Result<crate::input::Source, Error> {
    match file {
        Some(f) if explicit.is_none() && is_workbook(f) => {
            let path = Path::new(f);
            let fields = engine.fields(entity)?;
            let names = sheet_names(engine, entity);
            let (name, range) = entity_sheet(path, sheets(path)?, &names, sheet)?;
            let csv = to_csv(&range, Some(&Headers::new(&fields)));
            Ok(crate::input::csv_source(format!("{f} [{name}]"), csv))
        }
        _ => crate::input::open(file, explicit),
    }
}

/// A registry workbook for `report`: a sheet per collection of the pack's registry, named
/// after the collection (`cooperatives`, or its label) or its entity (`cooperative`, or the
/// entity's label: `Hợp tác xã`, `Người`), headers by dotted name or by the pack's labels of the
/// collection's fields; an optional `registry` sheet of `key`, `value` rows for the registry's
/// other keys (`province`). Each sheet is read as CSV by the report's own reader.
pub fn read_registry(
    engine: &htx_rules::Engine,
    builder: &mut htx_rules::report::ReportBuilder<'_>,
    path: &Path,
) -> Result<(), Error> {
    use htx_rules::report::RegistryFormat;
    let mut all = sheets(path)?;
    let mut found = false;
    let collections: Vec<(String, Vec<String>)> = engine
        .registry_collections()
        .into_iter()
        .map(|(name, label)| {
            let mut names = vec![normalize(name)];
            if let Some(l) = label {
                names.push(normalize(&l.vi));
                names.push(normalize(&l.en));
            }
            // the entity of the rows, by its name and labels (a sheet name has no `/`)
            if let Some(entity) = engine.collection_entity(name) {
                names.extend(sheet_names(engine, entity));
            }
            (name.to_string(), names)
        })
        .collect();
    for (name, names) in &collections {
        let Some(i) = all.iter().position(|(n, _)| names.contains(&normalize(n))) else {
            continue;
        };
        found = true;
        let (sheet, range) = all.swap_remove(i);
        let headers = engine.collection_fields(name).map(|f| Headers::new(&f));
        let csv = to_csv(&range, headers.as_ref());
        builder.read_collection(
            name,
            RegistryFormat::Csv,
            &format!("{} [{sheet}]", path.display()),
            std::io::Cursor::new(csv),
        )?;
    }
    if let Some((_, range)) = all.iter().find(|(n, _)| normalize(n) == "registry") {
        for r in range.rows() {
            if let (Some(Data::String(k)), Some(v)) = (r.first(), r.get(1)) {
                let v = match v {
                    Data::Bool(b) => serde_json::Value::Bool(*b),
                    Data::Empty => continue,
                    other => serde_json::Value::String(cell_text(other, None)),
                };
                builder.set_meta(k.trim(), &v);
            }
        }
    }
    if !found {
        let name = path.display();
        let list: Vec<&str> = collections.iter().map(|(n, _)| n.as_str()).collect();
        let list = list.join(", ");
        return Err(Error::invalid_input(
            Code::InputRead,
            msg!(
                vi: format!("{name}: không có trang nào của sổ ({list})"),
                en: format!("{name}: no sheet of the registry's collections ({list})"),
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headers_by_path_or_label() {
        let engine = htx_rules::Engine::embedded().unwrap();
        let h = Headers::new(&engine.fields("cooperative").unwrap());
        let p = |s: &str| h.column(s).map(|c| c.path.clone());
        assert_eq!(p("workers.female").as_deref(), Some("workers.female"));
        assert_eq!(p("Ngày thành lập").as_deref(), Some("established_on"));
        assert_eq!(p("  ngày   THÀNH LẬP ").as_deref(), Some("established_on"));
        assert_eq!(
            p("Người lao động - Số nữ").as_deref(),
            Some("workers.female")
        );
        assert_eq!(
            p("Người lao động › Số nữ").as_deref(),
            Some("workers.female")
        );
        assert_eq!(p("Workers: Women").as_deref(), Some("workers.female"));
        assert_eq!(p("Thành viên / Tổng số").as_deref(), Some("members.total"));
        // "Số nữ" alone is both members' and workers': no guess
        assert_eq!(p("Số nữ"), None);
        let kind = h.column("Loại hình").unwrap();
        assert_eq!(
            cell_text(&Data::String("Hợp tác xã".into()), Some(kind)),
            "htx"
        );
        assert_eq!(cell_text(&Data::Float(0.6), None), "0.6");
        assert_eq!(cell_text(&Data::Float(12.0), None), "12");
    }
}
