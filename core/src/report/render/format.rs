//! Figures, dates and labels as people write them, in Vietnamese and English: one place for
//! the terminal table, the HTML page and the JSON's `display` texts.
//!
//! - Dates: `27/11/2026` in Vietnamese; ISO `2026-11-27` in English, as everywhere else in
//!   the product (reasons, notes, the packs' English texts), unambiguous for any reader.
//! - A share is a percentage with two decimals (`62,16%`; more only when the published figure
//!   has more, see `finish.rs`); a target as the plan writes it (`80%`) with its comparison
//!   (`≥ 80%`, `> 60%`).
//! - A shortfall of a share is in percentage points (`17,84 điểm phần trăm` / `17.84
//!   percentage points`), never `%`; of a count a count, of money money.

use rust_decimal::Decimal;

use super::super::types::{
    Figure, IndicatorDisplay, IndicatorReport, PeriodReport, RecordError, Report, Status,
};
use crate::date::Date;
use crate::model::Compare;
use crate::text::{write_date, write_decimal, write_money, write_share, Lang, Message, Unit};

/// What a cell shows for a figure that is not there.
pub(crate) const NONE: &str = "—";

/// A message's text in `lang`, or `fallback` when the pack gives none.
pub(crate) fn pick(m: &Option<Message>, lang: Lang, fallback: &str) -> String {
    m.as_ref()
        .map(|m| m.get(lang).to_string())
        .unwrap_or_else(|| fallback.to_string())
}

/// A date as people write it in `lang`.
pub(crate) fn date(d: Date, lang: Lang) -> String {
    write_date(d, lang)
}

/// A date the pack writes as text (`2023-05-15`): as people write it when it is a date,
/// as written otherwise.
fn date_text(s: &str, lang: Lang) -> String {
    Date::parse(s).map_or_else(|| s.to_string(), |d| date(d, lang))
}

/// `d` with at least `dp` decimals (`67` → `67,00`), decimal comma or point by language.
fn fixed(d: Decimal, dp: u32, lang: Lang) -> String {
    let mut s = write_decimal(d, lang, true);
    let sep = if lang == Lang::Vi { ',' } else { '.' };
    let have = s.split_once(sep).map_or(0, |(_, f)| f.chars().count());
    let want = usize::try_from(dp).unwrap_or(0);
    if have < want {
        if have == 0 {
            s.push(sep);
        }
        s.extend(std::iter::repeat_n('0', want - have));
    }
    s
}

fn percent(d: Decimal) -> Decimal {
    d.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(d)
}

/// A value of the report: a share with two decimals of a percent, a count grouped, money
/// in đồng, `<5` when suppressed.
pub(crate) fn value(f: Option<&Figure>, unit: Unit, lang: Lang) -> String {
    match f {
        None => NONE.into(),
        Some(Figure::Below(n)) => format!("<{n}"),
        Some(f) => match (f.number(), unit) {
            (Some(d), Unit::Share) => format!("{}%", fixed(percent(d), 2, lang)),
            (Some(d), Unit::Money) => write_money(d, lang),
            (Some(d), Unit::Plain) => write_decimal(d, lang, true),
            (None, _) => NONE.into(),
        },
    }
}

/// A target or a figure as the plan writes it: `80%`, `7`, `1.500.000 đồng`.
fn plain(f: &Figure, unit: Unit, lang: Lang) -> String {
    match (f, f.number(), unit) {
        (Figure::Below(n), _, _) => format!("<{n}"),
        (_, Some(d), Unit::Share) => write_share(d, lang),
        (_, Some(d), Unit::Money) => write_money(d, lang),
        (_, Some(d), Unit::Plain) => write_decimal(d, lang, true),
        (_, None, _) => NONE.into(),
    }
}

/// The comparison's sign, as written before a target.
fn sign(c: Compare) -> &'static str {
    match c {
        Compare::AtLeast => "≥",
        Compare::Above => ">",
        Compare::AtMost => "≤",
        Compare::Below => "<",
    }
}

/// A target with its comparison: `≥ 80%`, `> 60%`; `—` without one.
pub(crate) fn target(f: Option<&Figure>, unit: Unit, c: Compare, lang: Lang) -> String {
    f.map_or_else(
        || NONE.into(),
        |f| format!("{} {}", sign(c), plain(f, unit, lang)),
    )
}

/// How far from the target, with its unit: percentage points for a share.
pub(crate) fn gap(f: &Figure, unit: Unit, lang: Lang) -> String {
    match (f.number(), unit) {
        (Some(d), Unit::Share) => format!(
            "{} {}",
            fixed(percent(d), 2, lang),
            match lang {
                Lang::Vi => "điểm phần trăm",
                Lang::En => "percentage points",
            }
        ),
        _ => plain(f, unit, lang),
    }
}

/// The shortfall in a sentence: `thiếu 17,84 điểm phần trăm` / `17.84 percentage points short`.
pub(crate) fn short_by(amount: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("thiếu {amount}"),
        Lang::En => format!("{amount} short"),
    }
}

fn both(f: impl Fn(Lang) -> String) -> Message {
    Message {
        vi: f(Lang::Vi),
        en: f(Lang::En),
    }
}

/// The texts every output shows for an indicator's figures.
pub(crate) fn display(
    unit: Unit,
    compare: Compare,
    value_: Option<&Figure>,
    target_: Option<&Figure>,
    expected: Option<&Figure>,
    shortfall: Option<&Figure>,
) -> IndicatorDisplay {
    IndicatorDisplay {
        value: both(|l| value(value_, unit, l)),
        target: both(|l| target(target_, unit, compare, l)),
        expected: expected.map(|e| both(|l| plain(e, unit, l))),
        shortfall: shortfall.map(|s| both(|l| gap(s, unit, l))),
    }
}

/// A mark for the status that does not need colour: `✓` where the value is where it should
/// be, `✗` where it is not, nothing otherwise.
pub(crate) fn mark(s: Status) -> &'static str {
    match s {
        Status::Met | Status::OnTrack => "✓",
        Status::NotMet | Status::Behind => "✗",
        Status::NoTarget | Status::NoData => "",
    }
}

/// Whether the status asks for attention (printed bold, marked `✗`).
pub(crate) fn bad(s: Status) -> bool {
    matches!(s, Status::NotMet | Status::Behind)
}

/// The status with its mark: `✗ không đạt`.
pub(crate) fn status(s: Status, lang: Lang) -> String {
    match mark(s) {
        "" => s.label(lang).to_string(),
        m => format!("{m} {}", s.label(lang)),
    }
}

/// The line under an indicator when some of its rows could not be told.
pub(crate) fn unknown_line(i: &IndicatorReport, lang: Lang) -> Option<String> {
    i.unknown.number().filter(|n| !n.is_zero())?;
    let n = i.unknown.write(Unit::Plain, lang);
    Some(match lang {
        Lang::Vi => format!("{n} chưa xác định được (thiếu dữ kiện), không tính"),
        Lang::En => format!("{n} could not be told (a fact is missing), not counted"),
    })
}

/// `Giai đoạn 1 (2023–2025)`: the period's label from the pack.
pub(crate) fn period_title(p: &PeriodReport, lang: Lang) -> String {
    pick(&p.label, lang, &p.group)
}

/// The period's dates and state: `01/01/2026 – 31/12/2030 · đang thực hiện, đã qua 18,13%
/// thời gian`; `… · đã kết thúc, số liệu tại ngày 31/12/2025`.
pub(crate) fn period_state(p: &PeriodReport, lang: Lang) -> String {
    let span = match lang {
        Lang::Vi => format!("{} – {}", date(p.from, lang), date(p.to, lang)),
        Lang::En => format!("{} to {}", date(p.from, lang), date(p.to, lang)),
    };
    let elapsed = p.elapsed_share.write(Unit::Share, lang);
    match (p.running, lang) {
        (true, Lang::Vi) => format!("{span} · đang thực hiện, đã qua {elapsed} thời gian"),
        (true, Lang::En) => format!("{span} · running, {elapsed} of its time elapsed"),
        (false, Lang::Vi) => format!(
            "{span} · đã kết thúc, số liệu tại ngày {}",
            date(p.assessed_on, lang)
        ),
        (false, Lang::En) => format!(
            "{span} · closed, figures as at {}",
            date(p.assessed_on, lang)
        ),
    }
}

/// The report's heading.
pub(crate) fn heading(r: &Report, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("Báo cáo tiến độ thực hiện {}", r.pack.document),
        Lang::En => format!("Progress report on {}", r.pack.document),
    }
}

/// The document the pack encodes: `2747/KH-UBND ngày 15/05/2023 của Ủy ban nhân dân tỉnh
/// Bến Tre, thực hiện Quyết định 01/QĐ-TTg ngày 03/01/2023`.
pub(crate) fn document(r: &Report, lang: Lang) -> String {
    let p = &r.pack;
    let mut s = p.document.clone();
    if let Some(d) = &p.date {
        s.push_str(&match lang {
            Lang::Vi => format!(" ngày {}", date_text(d, lang)),
            Lang::En => format!(" of {}", date_text(d, lang)),
        });
    }
    if let Some(i) = &p.issuer {
        s.push_str(&match lang {
            Lang::Vi => format!(" của {i}"),
            Lang::En => format!(", issued by {i}"),
        });
    }
    if let Some(i) = &p.implements {
        s.push_str(&match lang {
            Lang::Vi => format!(", thực hiện {i}"),
            Lang::En => format!(", implementing {i}"),
        });
    }
    s
}

/// Labels of the report's parts, in one place.
pub(crate) struct Words {
    pub as_of: &'static str,
    pub document: &'static str,
    pub jurisdiction: &'static str,
    pub doc_status: &'static str,
    pub source: &'static str,
    pub summary: &'static str,
    pub closed: &'static str,
    pub groups: &'static str,
    pub charts: &'static str,
    pub method: &'static str,
    pub notes: &'static str,
    pub no: &'static str,
    pub indicator: &'static str,
    pub value: &'static str,
    pub target: &'static str,
    pub status: &'static str,
    pub shortfall: &'static str,
    pub basis: &'static str,
    pub group: &'static str,
    pub count: &'static str,
    pub by_now: &'static str,
    pub reading: &'static str,
    pub review: &'static str,
    pub table: &'static str,
    pub see_table: &'static str,
    pub made_by: &'static str,
}

/// The labels in `lang`.
pub(crate) fn words(lang: Lang) -> Words {
    match lang {
        Lang::Vi => Words {
            as_of: "Ngày báo cáo",
            document: "Văn bản",
            jurisdiction: "Địa bàn",
            doc_status: "Tình trạng văn bản",
            source: "Nguồn số liệu",
            summary: "Tóm tắt tiến độ",
            closed: "Giai đoạn đã kết thúc",
            groups: "Theo nhóm",
            charts: "Biểu đồ",
            method: "Căn cứ và cách tính",
            notes: "Lưu ý",
            no: "TT",
            indicator: "Chỉ tiêu",
            value: "Kết quả",
            target: "Mục tiêu",
            status: "Tình trạng",
            shortfall: "Còn thiếu",
            basis: "Căn cứ",
            group: "Nhóm",
            count: "Số người",
            by_now: "đến nay",
            reading: "Cách hiểu",
            review: "Dữ liệu cần xem lại",
            table: "Bảng",
            see_table: "chi tiết theo nhóm: Bảng",
            made_by: "Lập bằng htx-rules, bộ quy tắc",
        },
        Lang::En => Words {
            as_of: "As of",
            document: "Document",
            jurisdiction: "Jurisdiction",
            doc_status: "Status of the document",
            source: "Source",
            summary: "Progress summary",
            closed: "Closed periods",
            groups: "By group",
            charts: "Charts",
            method: "Basis and method",
            notes: "Notes",
            no: "No.",
            indicator: "Indicator",
            value: "Value",
            target: "Target",
            status: "Status",
            shortfall: "Shortfall",
            basis: "Basis",
            group: "Group",
            count: "People",
            by_now: "by now",
            reading: "Reading",
            review: "Data to review",
            table: "Table",
            see_table: "by group: Table",
            made_by: "Made with htx-rules, rule pack",
        },
    }
}

/// The citation as short as a table cell needs: the section alone when it is of the
/// report's own document, `document section` otherwise.
pub(crate) fn basis(r: &Report, i: &IndicatorReport) -> String {
    if i.cite.document == r.pack.document {
        i.cite.section.clone()
    } else {
        format!("{} {}", i.cite.document, i.cite.section)
            .trim()
            .to_string()
    }
}

/// The registry's metadata for people: a yes/no key that is true shows its label (a
/// warning such as "synthetic data"); a text shows `(label, value)`.
pub(crate) fn meta(r: &Report, lang: Lang) -> (Vec<String>, Vec<(String, String)>) {
    let (mut flags, mut texts) = (Vec::new(), Vec::new());
    for m in &r.registry.meta {
        let label = pick(&m.label, lang, &m.name);
        match &m.value {
            serde_json::Value::Bool(true) => flags.push(label),
            serde_json::Value::String(s) => texts.push((label, s.clone())),
            serde_json::Value::Number(n) => texts.push((label, n.to_string())),
            _ => {}
        }
    }
    (flags, texts)
}

/// The rows read, by collection: `HTX/THT: 320 · cán bộ Hội: 140`.
pub(crate) fn rows_read(r: &Report, lang: Lang) -> String {
    r.registry
        .collections
        .iter()
        .map(|c| {
            format!(
                "{}: {}",
                pick(&c.label, lang, &c.name),
                write_decimal(Decimal::from(c.rows), lang, true)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The disclosure policy in a sentence, when an indicator of the report is protected.
pub(crate) fn policy(r: &Report, lang: Lang) -> Option<String> {
    let d = r.disclosure.as_ref()?;
    let any = r
        .periods
        .iter()
        .any(|p| p.indicators.iter().any(|i| i.protected));
    any.then(|| match lang {
        Lang::Vi => format!(
            "Số người được làm tròn đến bội số của {}; nhóm nhạy cảm dưới {} người ghi \"<{}\" (bảo vệ thông tin cá nhân).",
            d.rounding, d.threshold, d.threshold
        ),
        Lang::En => format!(
            "Counts of people are rounded to a multiple of {}; sensitive groups under {} are shown as \"<{}\" (to protect personal data).",
            d.rounding, d.threshold, d.threshold
        ),
    })
}

/// Text safe for a terminal: control characters (tabs, newlines, escapes) written as `\u{…}`,
/// so a value cannot forge a row or move the cursor.
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                format!("\\u{{{:x}}}", c as u32).chars().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// One line per record error: where, which row, what.
pub(crate) fn error_line(e: &RecordError, lang: Lang) -> String {
    let mut at = Vec::new();
    if let Some(c) = &e.collection {
        at.push(c.clone());
    }
    if let Some(r) = e.record {
        at.push(format!("#{r}"));
    }
    if let Some(id) = &e.id {
        at.push(format!("({id})"));
    }
    if let Some(s) = &e.source {
        let mut place = s.clone();
        if let Some(l) = e.line {
            place.push_str(&format!(":{l}"));
            if let Some(c) = e.column {
                place.push_str(&format!(":{c}"));
            }
        }
        at.push(place);
    } else if let Some(l) = e.line {
        at.push(format!(
            "{} {l}",
            if lang == Lang::Vi { "dòng" } else { "line" }
        ));
    }
    let what: Vec<String> = e
        .errors
        .iter()
        .map(|f| f.message.get(lang).to_string())
        .collect();
    clean(&format!("{}: {}", at.join(" "), what.join("; ")))
}

/// How many record errors and ignored fields the table and the page list (JSON has all).
pub(crate) const FIRST: usize = 10;

/// The problems of the registry, for people: a heading with a count and the first lines, for
/// rows in error then for ignored fields.
pub(crate) fn problems(r: &Report, lang: Lang) -> Vec<(String, Vec<String>)> {
    let vi = lang == Lang::Vi;
    let mut out = Vec::new();
    if !r.record_errors.is_empty() {
        let mut lines: Vec<String> = r
            .record_errors
            .iter()
            .take(FIRST)
            .map(|e| error_line(e, lang))
            .collect();
        if r.record_errors.len() > FIRST {
            lines.push(format!(
                "… {} {}",
                r.record_errors.len() - FIRST,
                if vi {
                    "dòng nữa (xem --format json)"
                } else {
                    "more (see --format json)"
                }
            ));
        }
        out.push((
            format!(
                "{}: {}",
                if vi {
                    "Dòng có lỗi (dữ kiện sai không được dùng)"
                } else {
                    "Rows in error (bad facts are not used)"
                },
                r.record_errors.len()
            ),
            lines,
        ));
    }
    if !r.ignored.is_empty() {
        let mut lines: Vec<String> = r
            .ignored
            .iter()
            .take(FIRST)
            .map(|i| {
                let name = clean(&match &i.collection {
                    Some(c) => format!("{c}.{}", i.field),
                    None => i.field.clone(),
                });
                if i.rows == 0 {
                    name
                } else {
                    format!("{name} ({} {})", i.rows, if vi { "dòng" } else { "rows" })
                }
            })
            .collect();
        if r.ignored.len() > FIRST {
            lines.push(format!("… {}", r.ignored.len() - FIRST));
        }
        out.push((
            format!(
                "{}: {}",
                if vi {
                    "Trường không có trong lược đồ (bỏ qua)"
                } else {
                    "Fields not in the schema (ignored)"
                },
                r.ignored.len()
            ),
            lines,
        ));
    }
    out
}

/// The periods the summary shows: for each period group, the one running at the report's
/// date, or its last one when none runs (indexes into `r.periods`, in the report's order).
pub(crate) fn current(r: &Report) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for (k, p) in r.periods.iter().enumerate() {
        let same = out
            .iter()
            .position(|&j| r.periods.get(j).is_some_and(|q| q.group == p.group));
        match same {
            None => out.push(k),
            Some(pos) => {
                let better = r
                    .periods
                    .get(out.get(pos).copied().unwrap_or(k))
                    .is_none_or(|q| !q.running && (p.running || p.to > q.to));
                if better {
                    if let Some(slot) = out.get_mut(pos) {
                        *slot = k;
                    }
                }
            }
        }
    }
    out
}

/// `n` in Roman numerals (I, II, … as Vietnamese tables number their parts); `n` itself past
/// 3999.
pub(crate) fn roman(n: usize) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    const DIGITS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let (mut n, mut out) = (n, String::new());
    for (v, s) in DIGITS {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Breaks `text` into lines of at most `width` characters at spaces; a word longer than the
/// width is cut (never a word that fits).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let rest = word.split_off(width);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        let n = line.chars().count();
        if n > 0 && n + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn shares_values_and_gaps_as_people_write_them() {
        let share = Some(Figure::Decimal(d("0.6216")));
        assert_eq!(value(share.as_ref(), Unit::Share, Lang::Vi), "62,16%");
        assert_eq!(
            value(Some(&Figure::Decimal(d("0.67"))), Unit::Share, Lang::En),
            "67.00%"
        );
        assert_eq!(
            value(Some(&Figure::Decimal(d("0.79996"))), Unit::Share, Lang::Vi),
            "79,996%"
        );
        assert_eq!(
            target(
                Some(&Figure::Decimal(d("0.8"))),
                Unit::Share,
                Compare::AtLeast,
                Lang::Vi
            ),
            "≥ 80%"
        );
        let g = Figure::Decimal(d("0.1784"));
        assert_eq!(
            short_by(&gap(&g, Unit::Share, Lang::Vi), Lang::Vi),
            "thiếu 17,84 điểm phần trăm"
        );
        assert_eq!(
            short_by(&gap(&g, Unit::Share, Lang::En), Lang::En),
            "17.84 percentage points short"
        );
        assert_eq!(gap(&Figure::Whole(1234), Unit::Plain, Lang::Vi), "1.234");
        assert_eq!(
            gap(&Figure::Whole(1_500_000), Unit::Money, Lang::En),
            "1,500,000 VND"
        );
        assert_eq!(value(Some(&Figure::Below(5)), Unit::Plain, Lang::Vi), "<5");
        assert_eq!(value(None, Unit::Share, Lang::Vi), "—");
    }

    #[test]
    fn wrap_breaks_at_spaces_only_when_it_can() {
        assert_eq!(
            wrap(
                "Share of female members and workers given vocational training",
                24
            ),
            vec![
                "Share of female members",
                "and workers given",
                "vocational training"
            ]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
        assert_eq!(
            [1, 2, 4, 9, 14, 40].map(roman),
            ["I", "II", "IV", "IX", "XIV", "XL"]
        );
        for line in wrap(
            "Tỷ lệ nữ quản lý HTX (do Hội hỗ trợ thành lập) có chứng chỉ",
            20,
        ) {
            assert!(line.chars().count() <= 20, "{line}");
        }
    }
}
