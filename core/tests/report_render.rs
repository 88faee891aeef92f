#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The report for officials: what the table and the page show. Status is decided on exact
//! values and the figures shown never contradict it.

use htx_rules::report::{IndicatorReport, Report, Status};
use htx_rules::{Date, Engine, Lang};
use serde_json::{json, Value};

fn engine() -> Engine {
    Engine::embedded().unwrap()
}

fn find<'r>(r: &'r Report, group: &str, index: i64, id: &str) -> &'r IndicatorReport {
    r.periods
        .iter()
        .find(|p| p.group == group && p.index == index)
        .and_then(|p| p.indicators.iter().find(|i| i.id == id))
        .unwrap()
}

/// `trained` of `n` union officials with upgraded skills (phase 1's target: at least 80%).
fn officials(n: usize, skilled: usize) -> Value {
    let rows: Vec<Value> = (0..n)
        .map(|i| json!({ "id": format!("U{i}"), "supports_cooperatives": true, "trained": true, "skills_upgraded": i < skilled }))
        .collect();
    json!({ "union_officials": rows })
}

/// 19,999 of 25,000 is 79.996%: rounded to 0.01% it is 80.00%, which would meet "at least
/// 80%". The status is decided on the exact share (not met), and the published share is
/// rounded toward it (79.99%), so the figure shown does not contradict the status; the
/// shortfall is the distance from the figure shown (0.01 percentage points, not 0).
#[test]
fn rounding_never_flips_a_status() {
    let r = engine()
        .report(
            &officials(25_000, 19_999),
            Date::parse("2025-12-31").unwrap(),
        )
        .unwrap();
    let i = find(&r, "phases", 1, "union_officials_skilled_share");
    assert_eq!(i.status, Status::NotMet);
    let j = serde_json::to_value(i).unwrap();
    assert_eq!(j["value"], "0.7999");
    assert_eq!(j["shortfall"], "0.0001");
    // exactly at the target: met, shown as 80%
    let r = engine()
        .report(
            &officials(25_000, 20_000),
            Date::parse("2025-12-31").unwrap(),
        )
        .unwrap();
    let i = find(&r, "phases", 1, "union_officials_skilled_share");
    assert_eq!(i.status, Status::Met);
    assert_eq!(serde_json::to_value(i).unwrap()["value"], "0.8");
    // an ordinary share keeps the ordinary rounding: 2/3 is 66.67%
    let r = engine()
        .report(&officials(3, 2), Date::parse("2025-12-31").unwrap())
        .unwrap();
    let i = find(&r, "phases", 1, "union_officials_skilled_share");
    assert_eq!(serde_json::to_value(i).unwrap()["value"], "0.6667");
}

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sample() -> Value {
    let text = std::fs::read_to_string(repo().join("cli/data/sample-registry.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn sample_report(as_of: &str) -> Report {
    engine()
        .report(&sample(), Date::parse(as_of).unwrap())
        .unwrap()
}

/// The page without its style sheet (the same on every page), one element a line, so that a
/// change shows as a readable diff.
fn html_lines(html: &str) -> String {
    let start = html.find("<style>").unwrap();
    let end = html.find("</style>").unwrap();
    let mut s = format!("{}<style>…</style>{}", &html[..start], &html[end + 8..]);
    for tag in [
        "<header", "<dt", "<p", "<section", "<h2", "<h3", "<table", "<caption", "<thead", "<tbody",
        "<tfoot", "<tr", "<figure", "<li", "<footer", "<dl", "<div",
    ] {
        s = s.replace(tag, &format!("\n{tag}"));
    }
    s
}

fn text_of(html: &str) -> String {
    // the text a reader sees: tags out, entities back
    let mut out = String::new();
    let mut in_tag = false;
    let body = &html[html.find("<body>").unwrap()..];
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[test]
fn sample_table_2026_11_27() {
    let r = sample_report("2026-11-27");
    insta::assert_snapshot!("table_2026_11_27_vi", r.to_table(Lang::Vi));
    insta::assert_snapshot!("table_2026_11_27_en", r.to_table(Lang::En));
}

#[test]
fn sample_table_2031_01_01() {
    let r = sample_report("2031-01-01");
    insta::assert_snapshot!("table_2031_01_01_vi", r.to_table(Lang::Vi));
    insta::assert_snapshot!("table_2031_01_01_en", r.to_table(Lang::En));
}

#[test]
fn sample_html_2026_11_27() {
    let r = sample_report("2026-11-27");
    insta::assert_snapshot!("html_2026_11_27_vi", html_lines(&r.to_html(Lang::Vi)));
    insta::assert_snapshot!("html_2026_11_27_en", html_lines(&r.to_html(Lang::En)));
}

#[test]
fn sample_html_2031_01_01() {
    let r = sample_report("2031-01-01");
    insta::assert_snapshot!("html_2031_01_01_vi", html_lines(&r.to_html(Lang::Vi)));
}

/// Every output a person reads, in both languages, at three dates.
fn outputs() -> Vec<(String, Lang, String)> {
    let mut out = Vec::new();
    for as_of in ["2025-12-31", "2026-11-27", "2031-01-01"] {
        let r = sample_report(as_of);
        for lang in [Lang::Vi, Lang::En] {
            out.push((format!("table {as_of} {lang:?}"), lang, r.to_table(lang)));
            out.push((
                format!("html {as_of} {lang:?}"),
                lang,
                text_of(&r.to_html(lang)),
            ));
        }
    }
    out
}

fn iso_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        (digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10))
            .then(|| &s[i..i + 10])
    })
}

fn vi_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        (digits(0..2) && w[2] == b'/' && digits(3..5) && w[5] == b'/' && digits(6..10))
            .then(|| &s[i..i + 10])
    })
}

/// Dates as 27/11/2026 in Vietnamese, everywhere (the report's, the periods', the plan's, the
/// notes'); ISO 2026-11-27 in English, the convention of the product's English texts.
#[test]
fn dates_are_written_the_way_of_each_language() {
    for (name, lang, text) in outputs() {
        match lang {
            Lang::Vi => {
                assert_eq!(iso_date(&text), None, "{name}: an ISO date in Vietnamese");
                assert!(text.contains("15/05/2023"), "{name}: the plan's date");
            }
            Lang::En => {
                // the decision the plan implements is cited by its Vietnamese title, date and all
                let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let flat = flat.replace("Quyết định 01/QĐ-TTg ngày 03/01/2023", "");
                assert_eq!(vi_date(&flat), None, "{name}: a dd/mm/yyyy date in English");
                assert!(text.contains("2023-05-15"), "{name}: the plan's date");
            }
        }
    }
    let r = sample_report("2026-11-27");
    assert!(r.to_table(Lang::Vi).contains("27/11/2026"));
    assert!(r.to_html(Lang::Vi).contains("01/01/2026 – 31/12/2030"));
}

/// Priority groups by the pack's names; the merger into Vĩnh Long with the plan's document,
/// issuer and date; no code name or placeholder in the text.
#[test]
fn labels_come_from_the_pack() {
    for (name, lang, text) in outputs() {
        for code in [
            "disability",
            "disadvantaged_area",
            "trafficking_victim",
            "priority_women",
            "htx_consolidated",
            "phases",
            "not_met",
            "on_track",
        ] {
            assert!(!text.contains(code), "{name}: the code name {code}");
        }
        for placeholder in ["{", "}", "?"] {
            assert!(!text.contains(placeholder), "{name}: {placeholder}");
        }
        let (groups, merger, issuer) = match lang {
            Lang::Vi => (
                ["Khuyết tật", "Ở vùng khó khăn", "Nạn nhân bị mua bán"],
                "hợp nhất thành tỉnh Vĩnh Long",
                "2747/KH-UBND ngày 15/05/2023 của Ủy ban nhân dân tỉnh Bến Tre",
            ),
            Lang::En => (
                [
                    "Disability",
                    "Lives in a disadvantaged area",
                    "Trafficking victim",
                ],
                "merged into Vĩnh Long province",
                "2747/KH-UBND of 2023-05-15, issued by Ủy ban nhân dân tỉnh Bến Tre",
            ),
        };
        for g in groups {
            assert!(text.contains(g), "{name}: group {g}");
        }
        // the table wraps prose, so compare with the line breaks taken out
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(merger), "{name}: the merger");
        assert!(flat.contains(issuer), "{name}: the document");
    }
}

/// A share's shortfall in percentage points, as people write it; a count's as a count.
#[test]
fn shortfalls_of_shares_are_in_percentage_points() {
    let r = sample_report("2026-11-27");
    let vi = r.to_html(Lang::Vi);
    let en = r.to_html(Lang::En);
    assert!(
        vi.contains("thiếu 17,84 điểm phần trăm"),
        "the phase 1 THT jobs share"
    );
    assert!(en.contains("17.84 percentage points short"));
    let table = r.to_table(Lang::Vi);
    let line = table
        .lines()
        .find(|l| l.contains("Tỷ lệ lao động nữ THT có việc làm ổn định") && l.contains("62,16%"))
        .unwrap();
    assert!(line.ends_with("17,84 điểm phần trăm"), "{line}");
    assert!(!line.contains("17,84%"), "{line}");
    let line = table
        .lines()
        .find(|l| l.contains("THT củng cố") && l.contains(" 13 "))
        .unwrap();
    assert!(
        line.ends_with(" 67"),
        "a count's shortfall is a count: {line}"
    );
    for i in r.periods.iter().flat_map(|p| &p.indicators) {
        if let Some(s) = &i.display.shortfall {
            assert!(!s.vi.contains('%') && !s.en.contains('%'), "{s:?}");
        }
    }
}

/// English titles are never cut mid-word: every word of every title is whole in the table.
#[test]
fn titles_wrap_at_spaces() {
    for as_of in ["2026-11-27", "2031-01-01"] {
        let r = sample_report(as_of);
        for lang in [Lang::Vi, Lang::En] {
            let table = r.to_table(lang);
            let words: std::collections::HashSet<&str> = table.split_whitespace().collect();
            for i in r.periods.iter().flat_map(|p| &p.indicators) {
                for w in i.title.get(lang).split_whitespace() {
                    assert!(
                        words.contains(w),
                        "{lang:?}: '{w}' of '{}'",
                        i.title.get(lang)
                    );
                }
                for g in &i.groups {
                    for w in g.label.as_ref().unwrap().get(lang).split_whitespace() {
                        assert!(words.contains(w), "{lang:?}: '{w}'");
                    }
                }
            }
            assert!(table.lines().all(|l| l.chars().count() <= 112), "{table}");
        }
    }
}

/// The page opens with the summary: the first table is Table 1, with column and row headers,
/// and holds the periods running at the report's date; the print style sheet is there.
#[test]
fn the_summary_table_comes_first() {
    let r = sample_report("2026-11-27");
    for lang in [Lang::Vi, Lang::En] {
        let html = r.to_html(lang);
        let first = html.find("<table").unwrap();
        let summary = &html[first..first + html[first..].find("</table>").unwrap()];
        assert!(summary.contains("id=\"summary-caption\""));
        assert_eq!(summary.matches("<th scope=\"col\">").count(), 7);
        assert_eq!(summary.matches("<th scope=\"row\">").count(), 15 + 2);
        assert_eq!(summary.matches("<th scope=\"rowgroup\"").count(), 2);
        let phase2 = r.periods.iter().find(|p| p.running && p.group == "phases");
        let label = phase2.unwrap().label.as_ref().unwrap().get(lang);
        assert!(summary.contains(label), "{label}");
        assert!(html.contains("@media print"));
        assert!(html.contains("@page{size:A4"));
    }
    // once the programme is over, the last phase is the one summed up
    let r = sample_report("2031-01-01");
    let html = r.to_html(Lang::Vi);
    let first = html.find("<table").unwrap();
    let summary = &html[first..first + html[first..].find("</table>").unwrap()];
    assert!(summary.contains("Giai đoạn 2 (2026–2030)"), "{summary}");
    assert!(!summary.contains("Giai đoạn 1 (2023–2025)"));
}

/// Status in words and marks, never by colour alone: every status cell has the word, and the
/// statuses that ask for attention a `✗` (✓ for those in order).
#[test]
fn status_does_not_rely_on_colour() {
    let r = sample_report("2026-11-27");
    let html = r.to_html(Lang::Vi);
    assert!(html.contains("<span aria-hidden=\"true\">✗</span> chậm tiến độ"));
    assert!(html.contains("<span aria-hidden=\"true\">✓</span> đạt"));
    assert!(html.contains("<span aria-hidden=\"true\">✗</span> không đạt"));
    let table = r.to_table(Lang::En);
    assert!(table.contains("✗ behind") && table.contains("✓ met") && table.contains("✗ not met"));
}

/// A status decided on the exact value is never shown next to a figure that contradicts it.
#[test]
fn figures_shown_agree_with_the_status() {
    let r = engine()
        .report(
            &officials(25_000, 19_999),
            Date::parse("2025-12-31").unwrap(),
        )
        .unwrap();
    let table = r.to_table(Lang::Vi);
    let line = table
        .lines()
        .find(|l| l.contains("Tỷ lệ cán bộ Hội được nâng cao kỹ năng"))
        .unwrap();
    assert!(line.contains("79,99%") && line.contains("≥ 80%"), "{line}");
    assert!(
        line.contains("không đạt") && line.contains("0,01 điểm phần trăm"),
        "{line}"
    );
    let html = r.to_html(Lang::En);
    assert!(
        !html.contains("80.00%"),
        "a rounded-up figure next to 'not met'"
    );
    assert!(html.contains("79.99%"));
}

fn woman(id: String, group: &str) -> Value {
    let mut p = json!({ "id": id, "gender": "female", "poor_household": false, "near_poor_household": false });
    for g in [
        "disadvantaged_area",
        "disability",
        "reintegrated",
        "trafficking_victim",
        "domestic_violence_victim",
        "sexual_abuse_victim",
        "unsafe_migrant",
        "laid_off_industrial_worker",
    ] {
        p[g] = json!(g == group);
    }
    p
}

/// Every whole number written in `s`.
fn numbers(s: &str) -> Vec<u64> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().unwrap())
        .collect()
}

/// `s` without the parts between `open` and `close` (both included).
fn without(s: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(a) = rest.find(open) {
        out.push_str(&rest[..a]);
        match rest[a..].find(close) {
            Some(b) => rest = &rest[a + b + close.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fn between<'s>(s: &'s str, from: usize, close: &str) -> &'s str {
    let end = s[from..]
        .find(close)
        .map_or(s.len(), |e| from + e + close.len());
    &s[from..end]
}

/// No renderer shows an unrounded figure of a protected indicator: the counts of women by
/// priority group (exactly 13, 7, 22, 3 victims of trafficking, 6 of domestic violence, 1 of
/// sexual abuse: 52 in all) appear in the table and on the page only as multiples of 5 or
/// `<5` — in the summary row, the breakdown table, the chart card and the terminal lines.
#[test]
fn protected_figures_are_never_shown_unrounded() {
    let mut persons = Vec::new();
    for (group, n) in [
        ("disability", 13),
        ("reintegrated", 7),
        ("unsafe_migrant", 22),
        ("trafficking_victim", 3),
        ("domestic_violence_victim", 6),
        ("sexual_abuse_victim", 1),
    ] {
        for k in 0..n {
            persons.push(woman(format!("{group}-{k}"), group));
        }
    }
    let r = engine()
        .report(
            &json!({ "persons": persons }),
            Date::parse("2025-06-30").unwrap(),
        )
        .unwrap();
    let i = r
        .periods
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.id == "priority_women")
        .unwrap();
    assert!(i.protected);
    let multiples = |what: &str, text: &str, seen: &mut Vec<u64>| {
        for n in numbers(text) {
            assert_eq!(n % 5, 0, "{what}: {n} is not a published figure in {text}");
            seen.push(n);
        }
    };
    for lang in [Lang::Vi, Lang::En] {
        let title = i.title.get(lang);
        let mut seen = Vec::new();
        // the page: the summary row, the breakdown, the card
        let html = r.to_html(lang);
        let row_at = html[..html.find(&format!(">{title}")).unwrap()]
            .rfind("<tr>")
            .unwrap();
        let row = between(&html, row_at, "</tr>");
        let row = without(row, "<td class=\"no\">", "</td>");
        let row = without(&row, "<td class=\"basis\">", "</td>");
        let row = without(&row, "Bảng ", "</span>");
        let row = without(&row, "Table ", "</span>");
        multiples("summary row", &text_of(&format!("<body>{row}")), &mut seen);
        let groups = between(
            &html,
            html.find("<table class=\"groups\"").unwrap(),
            "</table>",
        );
        let groups = without(groups, "<caption>", "</caption>");
        let groups = without(&groups, "<td class=\"no\">", "</td>");
        multiples("breakdown", &text_of(&format!("<body>{groups}")), &mut seen);
        let card = between(
            &html,
            html.find(&format!("<figcaption>{title}")).unwrap(),
            "</figure>",
        );
        multiples(
            "card",
            &text_of(&format!("<body>{}", without(card, "<svg", "</svg>"))),
            &mut seen,
        );
        // the terminal: the indicator's line (after its number) and the lines under it
        let table = r.to_table(lang);
        let mut lines = table.lines().skip_while(|l| !l.contains(title));
        let first = lines.next().unwrap();
        let mut block = first.split_once(title).unwrap().1.to_string();
        for l in lines.take_while(|l| l.trim_start().starts_with('·') || l.starts_with("      ")) {
            block.push_str(l);
            block.push('\n');
        }
        multiples("table", &block, &mut seen);
        // the figures were found: the total and the groups, rounded
        for n in [50, 15, 5, 20] {
            assert!(seen.contains(&n), "{lang:?}: {n} in {seen:?}");
        }
        assert!(html.contains("&lt;5") && table.contains("<5"));
    }
}
