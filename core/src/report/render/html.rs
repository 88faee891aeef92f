//! The report as a self-contained HTML page for officials: printable on A4, the summary table
//! on the first page, every table a real `<table>` (headers with `scope`) that pastes into
//! Word, status in words and marks (never by colour alone), charts that print in grayscale.
//!
//! Order: the document and its status today (a province merger, from the pack), the registry
//! and the notes; Table 1, the summary of the periods now running (or last, once over); the
//! closed periods; the breakdowns by group; the charts; the basis and method of every
//! indicator (the plan's wording, the pack's reading); the data to review.

use super::super::types::{IndicatorReport, PeriodReport, Report, Status};
use super::format::{self as f, Words};
use crate::text::{Lang, Unit};

/// HTML-escaped text.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--ink:#111;--muted:#4a4a4a;--rule:#8c8c8c;--head:#e4e9ef;--band:#f2f2f2;--good:#1b5e20;--bad:#b71c1c;--none:#616161}
*{box-sizing:border-box}
html{font-family:"Times New Roman",Tinos,"Liberation Serif","DejaVu Serif",serif;font-size:16px;line-height:1.4;color:var(--ink);background:#e9e9e6}
body{margin:0}
main{max-width:52rem;margin:1.5rem auto;padding:2.5rem 3rem 2rem;background:#fff;box-shadow:0 1px 5px rgba(0,0,0,.18)}
h1{font-size:1.45rem;line-height:1.25;margin:0 0 .3rem;text-transform:uppercase;letter-spacing:.01em}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
h3{font-size:1rem;margin:1.1rem 0 .4rem}
p{margin:.35rem 0}
.subtitle{font-style:italic;margin:0 0 .8rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .9rem;margin:0 0 .7rem}
.facts dt{font-weight:bold}
.facts dd{margin:0}
.banner{border:2px solid var(--ink);padding:.3rem .7rem;font-weight:bold;text-transform:uppercase;margin:.6rem 0}
.doc-status{border-left:4px solid var(--ink);background:var(--band);padding:.35rem .8rem;margin:.6rem 0}
.doc-status h2,.notes h2{font-size:1rem;margin:0 0 .15rem}
.notes{margin:.6rem 0}
.notes ul{margin:0;padding-left:1.2rem}
table{border-collapse:collapse;font-size:10.5pt;line-height:1.25;margin:2pt 0 5pt}
caption{caption-side:top;text-align:left;font-weight:bold;font-size:12pt;padding:3pt 0}
th,td{border:1px solid var(--rule);padding:2pt 4pt;vertical-align:top;text-align:left}
thead th{background:var(--head);text-align:center;vertical-align:middle}
tbody th[scope=row]{font-weight:normal}
tr.period>*{background:var(--band);font-weight:bold}
td.no{text-align:center}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.gap{text-align:right}
td.st{white-space:nowrap}
td.basis{text-align:center;white-space:nowrap}
.sub{font-size:.85em;font-weight:normal;color:var(--muted)}
.good{color:var(--good)}
.bad{color:var(--bad);font-weight:bold}
.none{color:var(--none)}
.table-note{font-size:.85rem;color:var(--muted);margin:.1rem 0 .6rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.6rem}
.card{margin:0;border:1px solid var(--rule);padding:.45rem .6rem .4rem;break-inside:avoid}
.card figcaption{font-weight:bold;font-size:.92rem;line-height:1.2;margin-bottom:.25rem}
.card svg{display:block;width:100%;height:auto}
.card p{font-size:.85rem;margin:.15rem 0}
.legend{font-size:.85rem;color:var(--muted)}
.legend svg{vertical-align:middle}
.method dt{font-weight:bold;margin-top:.5rem}
.method dd{margin:.1rem 0 0 1rem;font-size:.92rem}
.review ul{font-size:.9rem;padding-left:1.2rem}
.review li{overflow-wrap:anywhere}
a{color:inherit}
footer{margin-top:2rem;border-top:1px solid var(--rule);padding-top:.4rem;font-size:.8rem;color:var(--muted)}
@media screen and (max-width:44rem){
main{margin:0;padding:1rem .6rem;box-shadow:none}
.facts{grid-template-columns:1fr;gap:0}
.facts dd{margin-bottom:.3rem}
table{font-size:9pt}
th,td{padding:2pt 2pt}
td.st,td.num{white-space:normal}
.charts{grid-template-columns:1fr}
}
@page{size:A4;margin:12mm 14mm 14mm;@bottom-right{content:counter(page) " / " counter(pages);font:9pt "Times New Roman","Liberation Serif",serif}}
@media print{
html{background:none;font-size:10.5pt;line-height:1.3}
main{max-width:none;margin:0;padding:0;box-shadow:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:13.5pt}
h2{font-size:12pt;break-after:avoid}
h3{break-after:avoid}
.subtitle{margin-bottom:.4rem}
.facts{font-size:9.5pt;margin-bottom:.4rem}
.banner{margin:.35rem 0;padding:.15rem .6rem}
.doc-status{font-size:9.5pt;margin:.35rem 0;padding:.2rem .7rem}
.notes{font-size:9.5pt;margin:.35rem 0}
table{font-size:9pt;line-height:1.2}
th,td{padding:1.2pt 3pt}
caption{font-size:10.5pt;padding:.15rem 0}
thead{display:table-header-group}
tr{break-inside:avoid}
#summary{break-inside:avoid}
#summary+section{break-before:page}
.charts{grid-template-columns:repeat(3,1fr)}
.method dd,.method dt{break-inside:avoid}
}
"#;

/// The status cell's class: `bad` (bold, marked `✗`), `good` (marked `✓`), `none`.
fn class(s: Status) -> &'static str {
    if f::bad(s) {
        "bad"
    } else if f::mark(s).is_empty() {
        "none"
    } else {
        "good"
    }
}

/// The status with its mark; the mark is hidden from screen readers, which read the word.
fn status_html(s: Status, lang: Lang) -> String {
    match f::mark(s) {
        "" => esc(s.label(lang)),
        m => format!(
            "<span aria-hidden=\"true\">{m}</span> {}",
            esc(s.label(lang))
        ),
    }
}

/// A figure and its unit, the unit kept on one line (`17,84` / `điểm phần trăm` when the
/// cell is narrow, never `điểm` / `phần trăm`).
fn keep_unit(s: &str) -> String {
    match s.split_once(' ') {
        Some((n, unit)) => format!("{n} {}", unit.replace(' ', "&nbsp;")),
        None => s.to_string(),
    }
}

/// Numbering of the page's tables.
struct Tables {
    next: usize,
}

impl Tables {
    fn caption(&mut self, w: &Words, text: &str) -> String {
        let n = self.next;
        self.next += 1;
        format!("{} {n}. {}", w.table, esc(text))
    }
}

fn head(w: &Words) -> String {
    format!(
        "<colgroup><col width=\"5%\"><col><col width=\"10%\"><col width=\"11%\"><col width=\"16%\"><col width=\"14%\"><col width=\"8%\"></colgroup><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>",
        esc(w.no),
        esc(w.indicator),
        esc(w.value),
        esc(w.target),
        esc(w.status),
        esc(w.shortfall),
        esc(w.basis)
    )
}

/// The rows of one period: a row naming it, then one per indicator. `groups_at` gives the
/// number of the table with an indicator's breakdown, when it has one.
fn period_rows(
    r: &Report,
    p: &PeriodReport,
    roman: usize,
    lang: Lang,
    groups_at: &dyn Fn(&PeriodReport, &IndicatorReport) -> Option<usize>,
) -> String {
    let w = f::words(lang);
    let mut out = format!(
        "<tbody><tr class=\"period\"><td class=\"no\">{}</td><th scope=\"rowgroup\" colspan=\"6\">{}<br><span class=\"sub\">{}</span></th></tr>",
        f::roman(roman),
        esc(&f::period_title(p, lang)),
        esc(&f::period_state(p, lang))
    );
    for (k, i) in p.indicators.iter().enumerate() {
        let mut subs = String::new();
        if let Some(u) = f::unknown_line(i, lang) {
            subs.push_str(&format!("<br><span class=\"sub\">{}</span>", esc(&u)));
        }
        if let Some(n) = groups_at(p, i) {
            subs.push_str(&format!(
                "<br><span class=\"sub\">{} {n}</span>",
                esc(w.see_table)
            ));
        }
        let expected = i
            .display
            .expected
            .as_ref()
            .map(|e| {
                format!(
                    "<br><span class=\"sub\">{}: {}</span>",
                    esc(w.by_now),
                    esc(e.get(lang))
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "<tr><td class=\"no\">{}</td><th scope=\"row\">{}{subs}</th><td class=\"num\">{}</td><td class=\"num\">{}{expected}</td><td class=\"st {}\">{}</td><td class=\"gap\">{}</td><td class=\"basis\">{}</td></tr>",
            k + 1,
            esc(i.title.get(lang)),
            esc(i.display.value.get(lang)),
            esc(i.display.target.get(lang)).replacen(' ', "&nbsp;", 1),
            class(i.status),
            status_html(i.status, lang),
            keep_unit(&esc(i.display.shortfall.as_ref().map_or(f::NONE, |s| s.get(lang)))),
            esc(&f::basis(r, i)),
        ));
    }
    out.push_str("</tbody>");
    out
}

/// The bullet chart of one indicator: the value as a bar (hatched when short of where it
/// should be), the target as a solid tick, the target for the time elapsed as a dashed one.
/// Shares are drawn on 0-100 %. Decorative: the figures are written beside it.
fn chart(i: &IndicatorReport, n: usize) -> String {
    if i.target.is_none() && i.unit != Unit::Share {
        // a count with nothing to hold it to: a bar would only measure itself
        return String::new();
    }
    let num = |x: Option<&super::super::types::Figure>| -> f64 {
        x.and_then(|f| f.number())
            .and_then(|d| d.to_string().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (v, t, e) = (
        num(i.value.as_ref()),
        num(i.target.as_ref()),
        num(i.expected.as_ref()),
    );
    let max = if i.unit == Unit::Share {
        v.max(t).max(1.0)
    } else {
        (v.max(t).max(e) * 1.1).max(1.0)
    };
    const W: f64 = 300.0;
    let x = |a: f64| (a / max * W).clamp(0.0, W);
    let (fill, pattern) = match i.status {
        Status::Met | Status::OnTrack => ("#2e7d32", String::new()),
        Status::NotMet | Status::Behind => (
            "#c62828",
            format!(
                "<defs><pattern id=\"hatch{n}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><rect width=\"3.2\" height=\"6\" fill=\"#c62828\"/></pattern></defs>"
            ),
        ),
        Status::NoTarget | Status::NoData => ("#757575", String::new()),
    };
    let bar_fill = if pattern.is_empty() {
        fill.to_string()
    } else {
        format!("url(#hatch{n})")
    };
    let mut svg = format!(
        "<svg viewBox=\"0 0 {W} 30\" width=\"{W}\" height=\"30\" aria-hidden=\"true\" focusable=\"false\">{pattern}<rect x=\"0.5\" y=\"8\" width=\"{:.1}\" height=\"14\" fill=\"#f0f0f0\" stroke=\"#8c8c8c\" stroke-width=\"1\"/>",
        W - 1.0
    );
    if i.value.as_ref().and_then(|f| f.number()).is_some() {
        svg.push_str(&format!(
            "<rect x=\"0.5\" y=\"8\" width=\"{:.1}\" height=\"14\" fill=\"{bar_fill}\" stroke=\"{fill}\" stroke-width=\"1\"/>",
            (x(v) - 1.0).max(0.0)
        ));
    }
    if i.expected.is_some() {
        let ex = x(e).clamp(1.5, W - 1.5);
        svg.push_str(&format!(
            "<line x1=\"{ex:.1}\" x2=\"{ex:.1}\" y1=\"3\" y2=\"27\" stroke=\"#111\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
        ));
    }
    if i.target.is_some() {
        let tx = x(t).clamp(1.5, W - 1.5);
        svg.push_str(&format!(
            "<line x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"1\" y2=\"29\" stroke=\"#111\" stroke-width=\"3\"/>"
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn legend(lang: Lang) -> String {
    let (value, short, target, by_now) = match lang {
        Lang::Vi => (
            "kết quả",
            "gạch chéo: chưa đạt",
            "mục tiêu",
            "mục tiêu theo tiến độ",
        ),
        Lang::En => ("value", "hatched: short", "target", "target due by now"),
    };
    format!(
        "<p class=\"legend\"><svg width=\"22\" height=\"12\" aria-hidden=\"true\"><rect x=\"0.5\" y=\"0.5\" width=\"21\" height=\"11\" fill=\"#2e7d32\" stroke=\"#2e7d32\"/></svg> {value} (<svg width=\"22\" height=\"12\" aria-hidden=\"true\"><defs><pattern id=\"hatch-legend\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><rect width=\"3.2\" height=\"6\" fill=\"#c62828\"/></pattern></defs><rect x=\"0.5\" y=\"0.5\" width=\"21\" height=\"11\" fill=\"url(#hatch-legend)\" stroke=\"#c62828\"/></svg> {short}) · <svg width=\"8\" height=\"14\" aria-hidden=\"true\"><line x1=\"4\" x2=\"4\" y1=\"0\" y2=\"14\" stroke=\"#111\" stroke-width=\"3\"/></svg> {target} · <svg width=\"8\" height=\"14\" aria-hidden=\"true\"><line x1=\"4\" x2=\"4\" y1=\"0\" y2=\"14\" stroke=\"#111\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/></svg> {by_now}</p>"
    )
}

fn card(i: &IndicatorReport, n: usize, lang: Lang) -> String {
    let w = f::words(lang);
    let mut figures = format!("{} {}", esc(w.value), esc(i.display.value.get(lang)));
    if i.target.is_some() {
        figures.push_str(&format!(
            " · {} {}",
            esc(&w.target.to_lowercase()),
            esc(i.display.target.get(lang))
        ));
    }
    if let Some(e) = &i.display.expected {
        figures.push_str(&format!(" · {} {}", esc(w.by_now), esc(e.get(lang))));
    }
    let shortfall = i
        .display
        .shortfall
        .as_ref()
        .map(|s| format!(" — {}", esc(&f::short_by(s.get(lang), lang))))
        .unwrap_or_default();
    format!(
        "<figure class=\"card\"><figcaption>{}</figcaption>{}<p>{figures}</p><p class=\"{}\">{}{shortfall}</p></figure>",
        esc(i.title.get(lang)),
        chart(i, n),
        class(i.status),
        status_html(i.status, lang),
    )
}

impl Report {
    /// A self-contained HTML page for officials in `lang` (see the module's documentation).
    pub fn to_html(&self, lang: Lang) -> String {
        let w = f::words(lang);
        let mut body = String::new();
        let mut tables = Tables { next: 1 };

        // the document
        body.push_str(&format!(
            "<header><h1>{}</h1>",
            esc(&f::heading(self, lang))
        ));
        if let Some(t) = &self.pack.title {
            body.push_str(&format!("<p class=\"subtitle\">{}</p>", esc(t.get(lang))));
        }
        let mut facts = vec![
            (w.as_of.to_string(), f::date(self.as_of, lang)),
            (w.document.to_string(), f::document(self, lang)),
        ];
        if let (Lang::Vi, Some(j)) = (lang, &self.pack.jurisdiction) {
            facts.push((w.jurisdiction.to_string(), j.clone()));
        }
        let (flags, texts) = f::meta(self, lang);
        facts.extend(texts);
        facts.push((w.source.to_string(), f::rows_read(self, lang)));
        body.push_str("<dl class=\"facts\">");
        for (k, v) in facts {
            body.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(&k), esc(&v)));
        }
        body.push_str("</dl></header>");
        for flag in flags {
            body.push_str(&format!("<p class=\"banner\">{}</p>", esc(&flag)));
        }
        if let Some(s) = &self.pack.status {
            body.push_str(&format!(
                "<section class=\"doc-status\" aria-labelledby=\"doc-status\"><h2 id=\"doc-status\">{}</h2><p>{}</p></section>",
                esc(w.doc_status),
                esc(s.get(lang))
            ));
        }
        // what the reader should know before the figures: the notes, and that rows were left
        // out (the list itself is at the end of the page)
        let mut notes: Vec<String> = self.notes.iter().map(|n| esc(n.get(lang))).collect();
        let problems = f::problems(self, lang);
        if !problems.is_empty() {
            let n = self.record_errors.len();
            let text = match (lang, n) {
                (Lang::Vi, 0) => "Có trường không có trong lược đồ (bỏ qua)".to_string(),
                (Lang::Vi, n) => format!("{n} dòng có lỗi: dữ kiện sai không được dùng"),
                (Lang::En, 0) => "Some fields are not in the schema (ignored)".to_string(),
                (Lang::En, n) => format!("{n} rows in error: bad facts are not used"),
            };
            notes.push(format!(
                "{} — <a href=\"#review\">{}</a>.",
                esc(&text),
                esc(w.review)
            ));
        }
        if !notes.is_empty() {
            body.push_str(&format!(
                "<section class=\"notes\" aria-labelledby=\"notes\"><h2 id=\"notes\">{}</h2><ul>",
                esc(w.notes)
            ));
            for n in notes {
                body.push_str(&format!("<li>{n}</li>"));
            }
            body.push_str("</ul></section>");
        }

        // table numbers: the summary, the closed periods, then the breakdowns
        let current = f::current(self);
        let closed: Vec<&PeriodReport> = self
            .periods
            .iter()
            .enumerate()
            .filter(|(k, _)| !current.contains(k))
            .map(|(_, p)| p)
            .collect();
        let with_groups: Vec<(&PeriodReport, &IndicatorReport)> = self
            .periods
            .iter()
            .flat_map(|p| p.indicators.iter().map(move |i| (p, i)))
            .filter(|(_, i)| !i.groups.is_empty())
            .collect();
        let first_group_table = 2 + closed.len();
        let groups_at = |p: &PeriodReport, i: &IndicatorReport| {
            with_groups
                .iter()
                .position(|(q, j)| std::ptr::eq(*q, p) && std::ptr::eq(*j, i))
                .map(|k| first_group_table + k)
        };
        let policy = f::policy(self, lang);

        // Table 1: the summary
        body.push_str(&format!(
            "<section id=\"summary\" aria-labelledby=\"summary-caption\"><table class=\"report\" width=\"100%\"><caption id=\"summary-caption\">{}</caption>{}",
            tables.caption(&w, &format!("{} — {}", w.summary, f::date(self.as_of, lang))),
            head(&w)
        ));
        for (n, &k) in current.iter().enumerate() {
            if let Some(p) = self.periods.get(k) {
                body.push_str(&period_rows(self, p, n + 1, lang, &groups_at));
            }
        }
        body.push_str("</table>");
        let summary_protected = current.iter().any(|&k| {
            self.periods
                .get(k)
                .is_some_and(|p| p.indicators.iter().any(|i| i.protected))
        });
        if let (Some(line), true) = (&policy, summary_protected) {
            body.push_str(&format!("<p class=\"table-note\">{}</p>", esc(line)));
        }
        body.push_str("</section>");

        // the closed periods
        if !closed.is_empty() {
            body.push_str(&format!(
                "<section aria-labelledby=\"closed\"><h2 id=\"closed\">{}</h2>",
                esc(w.closed)
            ));
            for p in &closed {
                body.push_str(&format!(
                    "<table class=\"report\" width=\"100%\"><caption>{}</caption>{}{}</table>",
                    tables.caption(&w, &f::period_title(p, lang)),
                    head(&w),
                    period_rows(self, p, 1, lang, &groups_at)
                ));
            }
            body.push_str("</section>");
        }

        // the breakdowns
        if !with_groups.is_empty() {
            body.push_str(&format!(
                "<section aria-labelledby=\"groups\"><h2 id=\"groups\">{}</h2>",
                esc(w.groups)
            ));
            for (p, i) in &with_groups {
                body.push_str(&format!(
                    "<table class=\"groups\" width=\"100%\"><caption>{}</caption><colgroup><col width=\"5%\"><col><col width=\"14%\"></colgroup><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                    tables.caption(&w, &format!("{} — {}", i.title.get(lang), f::period_title(p, lang))),
                    esc(w.no),
                    esc(w.group),
                    esc(w.count)
                ));
                for (k, g) in i.groups.iter().enumerate() {
                    body.push_str(&format!(
                        "<tr><td class=\"no\">{}</td><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
                        k + 1,
                        esc(&f::pick(&g.label, lang, &g.id)),
                        esc(&g.value.write(Unit::Plain, lang))
                    ));
                }
                let total = match lang {
                    Lang::Vi => "tổng (một người có thể ở nhiều nhóm)",
                    Lang::En => "total (one person may be in several groups)",
                };
                body.push_str(&format!(
                    "</tbody><tfoot><tr><td></td><th scope=\"row\">{} — {}</th><td class=\"num\">{}</td></tr></tfoot></table>",
                    esc(i.title.get(lang)),
                    esc(total),
                    esc(i.display.value.get(lang))
                ));
                if let Some(u) = f::unknown_line(i, lang) {
                    body.push_str(&format!("<p class=\"table-note\">{}</p>", esc(&u)));
                }
            }
            if let Some(line) = &policy {
                body.push_str(&format!("<p class=\"table-note\">{}</p>", esc(line)));
            }
            body.push_str("</section>");
        }

        // the charts
        body.push_str(&format!(
            "<section aria-labelledby=\"charts\"><h2 id=\"charts\">{}</h2>{}",
            esc(w.charts),
            legend(lang)
        ));
        let mut n = 0;
        let order = current
            .iter()
            .copied()
            .chain((0..self.periods.len()).filter(|k| !current.contains(k)));
        for k in order {
            let Some(p) = self.periods.get(k) else {
                continue;
            };
            body.push_str(&format!(
                "<h3>{}</h3><div class=\"charts\">",
                esc(&f::period_title(p, lang))
            ));
            for i in &p.indicators {
                n += 1;
                body.push_str(&card(i, n, lang));
            }
            body.push_str("</div>");
        }
        body.push_str("</section>");

        // basis and method: each indicator once
        body.push_str(&format!(
            "<section class=\"method\" aria-labelledby=\"method\"><h2 id=\"method\">{}</h2><dl>",
            esc(w.method)
        ));
        let mut seen: Vec<&str> = Vec::new();
        for i in self.periods.iter().flat_map(|p| &p.indicators) {
            if seen.contains(&i.id.as_str()) {
                continue;
            }
            seen.push(&i.id);
            let section = match lang {
                Lang::Vi => format!("{}, mục {}", i.cite.document, i.cite.section),
                Lang::En => format!("{}, section {}", i.cite.document, i.cite.section),
            };
            let wording = i
                .cite
                .wording
                .as_ref()
                .map(|q| format!(": “{}”", esc(q)))
                .unwrap_or_default();
            body.push_str(&format!(
                "<dt>{}</dt><dd><p>{}{wording}</p>",
                esc(i.title.get(lang)),
                esc(&section)
            ));
            if let Some(m) = &i.interpretation {
                body.push_str(&format!("<p>{}: {}</p>", esc(w.reading), esc(m.get(lang))));
            }
            body.push_str("</dd>");
        }
        body.push_str("</dl>");
        if let (Some(line), Some(d)) = (&policy, &self.disclosure) {
            let cite = d
                .cite
                .as_ref()
                .map(|c| format!(" ({} {})", c.document, c.section))
                .unwrap_or_default();
            body.push_str(&format!("<p>{}{}</p>", esc(line), esc(&cite)));
        }
        body.push_str("</section>");

        // the data to review
        if !problems.is_empty() {
            body.push_str(&format!(
                "<section class=\"review\" aria-labelledby=\"review\"><h2 id=\"review\">{}</h2>",
                esc(w.review)
            ));
            for (head, lines) in problems {
                body.push_str(&format!("<h3>{}</h3><ul>", esc(&head)));
                for l in lines {
                    body.push_str(&format!("<li>{}</li>", esc(&l)));
                }
                body.push_str("</ul>");
            }
            body.push_str("</section>");
        }

        body.push_str(&format!(
            "<footer>{} {} {} · {}: {}</footer>",
            esc(w.made_by),
            esc(&self.pack.id),
            esc(&self.pack.version),
            esc(w.as_of),
            esc(&f::date(self.as_of, lang))
        ));
        format!(
            "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"htx-rules\"><title>{} — {}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>\n",
            if lang == Lang::Vi { "vi" } else { "en" },
            esc(&f::heading(self, lang)),
            esc(&f::date(self.as_of, lang)),
        )
    }
}
