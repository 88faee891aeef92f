//! The report for people: a terminal table and a self-contained HTML page, both read from
//! the typed [`Report`] in Vietnamese or English. Every label comes from the pack (titles,
//! periods, groups, collections, metadata keys) or from here (status, headings); no code name
//! or JSON Pointer is shown where a label exists.

use super::types::{Figure, IndicatorReport, RecordError, Report, Status};
use crate::text::{write_date, Lang, Message, Unit};

/// How many record errors and ignored fields the table and the page list (JSON has all).
const FIRST: usize = 10;

fn pick(m: &Option<Message>, lang: Lang, fallback: &str) -> String {
    m.as_ref()
        .map(|m| m.get(lang).to_string())
        .unwrap_or_else(|| fallback.to_string())
}

/// Text safe for a terminal: control characters (tabs, newlines, escapes) written as `\u{…}`,
/// so a value cannot forge a row or move the cursor.
fn clean(s: &str) -> String {
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn show(f: &Option<Figure>, unit: Unit, lang: Lang) -> String {
    f.as_ref()
        .map(|f| f.write(unit, lang))
        .unwrap_or_else(|| "—".into())
}

fn period_state(running: bool, elapsed: &Figure, lang: Lang) -> String {
    match (running, lang) {
        (true, Lang::Vi) => format!(
            "đang thực hiện, đã qua {}",
            elapsed.write(Unit::Share, lang)
        ),
        (true, Lang::En) => format!("running, {} elapsed", elapsed.write(Unit::Share, lang)),
        (false, Lang::Vi) => "đã kết thúc".into(),
        (false, Lang::En) => "closed".into(),
    }
}

/// One line per record error: where, which row, what.
fn error_line(e: &RecordError, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
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
        at.push(format!("{} {l}", if vi { "dòng" } else { "line" }));
    }
    let what: Vec<String> = e
        .errors
        .iter()
        .map(|f| f.message.get(lang).to_string())
        .collect();
    clean(&format!("{}: {}", at.join(" "), what.join("; ")))
}

fn heading(r: &Report, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("Báo cáo tiến độ thực hiện {}", r.pack.document),
        Lang::En => format!("Progress report, {}", r.pack.document),
    }
}

/// The registry's metadata for people: a yes/no key that is true shows its label (a
/// warning such as "synthetic data"); a text shows `label: value`.
fn meta_lines(r: &Report, lang: Lang) -> (Vec<String>, Vec<String>) {
    let (mut flags, mut texts) = (Vec::new(), Vec::new());
    for m in &r.registry.meta {
        let label = pick(&m.label, lang, &m.name);
        match &m.value {
            serde_json::Value::Bool(true) => flags.push(label),
            serde_json::Value::String(s) => texts.push(format!("{label}: {s}")),
            serde_json::Value::Number(n) => texts.push(format!("{label}: {n}")),
            _ => {}
        }
    }
    (flags, texts)
}

fn policy_line(r: &Report, lang: Lang) -> Option<String> {
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

impl Report {
    /// The report as JSON (the typed report, serialized).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// A terminal table.
    pub fn to_table(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut out = String::new();
        out.push_str(&format!(
            "{} — {} {}\n",
            heading(self, lang),
            if vi { "ngày" } else { "as of" },
            write_date(self.as_of, lang)
        ));
        let (flags, texts) = meta_lines(self, lang);
        for f in flags {
            out.push_str(&format!("{}\n", clean(&f.to_uppercase())));
        }
        for t in texts {
            out.push_str(&format!("{}\n", clean(&t)));
        }
        let counts: Vec<String> = self
            .registry
            .collections
            .iter()
            .map(|c| format!("{}: {}", pick(&c.label, lang, &c.name), c.rows))
            .collect();
        out.push_str(&format!("{}\n", counts.join(" · ")));
        for n in &self.notes {
            out.push_str(&format!("\n{}\n", n.get(lang)));
        }
        for p in &self.periods {
            out.push_str(&format!(
                "\n{} ({})\n",
                pick(&p.label, lang, &p.group),
                period_state(p.running, &p.elapsed_share, lang)
            ));
            let cells: Vec<[String; 3]> = p
                .indicators
                .iter()
                .map(|i| {
                    [
                        show(&i.value, i.unit, lang),
                        show(&i.target, i.unit, lang),
                        show(&i.shortfall, i.unit, lang),
                    ]
                })
                .collect();
            // figures right-aligned in columns as wide as the widest (money is long)
            let w = cells
                .iter()
                .flatten()
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
                .max(10);
            out.push_str(&format!(
                "  {:<58} {:>w$} {:>w$} {:>w$}  {}\n",
                if vi { "chỉ tiêu" } else { "indicator" },
                if vi { "kết quả" } else { "value" },
                if vi { "mục tiêu" } else { "target" },
                if vi { "còn thiếu" } else { "shortfall" },
                if vi { "tình trạng" } else { "status" }
            ));
            for (i, [value, target, shortfall]) in p.indicators.iter().zip(&cells) {
                let t: String = i.title.get(lang).chars().take(58).collect();
                out.push_str(&format!(
                    "  {t:<58} {value:>w$} {target:>w$} {shortfall:>w$}  {}\n",
                    i.status.label(lang)
                ));
                for g in &i.groups {
                    out.push_str(&format!(
                        "    · {:<54} {:>w$}\n",
                        pick(&g.label, lang, &g.id)
                            .chars()
                            .take(54)
                            .collect::<String>(),
                        g.value.write(Unit::Plain, lang)
                    ));
                }
                if i.unknown.number().is_some_and(|n| !n.is_zero()) {
                    out.push_str(&format!(
                        "    · {:<54} {:>w$}\n",
                        if vi {
                            "chưa xác định được (thiếu dữ kiện), không tính"
                        } else {
                            "could not be told (a fact is missing), not counted"
                        },
                        i.unknown.write(Unit::Plain, lang)
                    ));
                }
            }
        }
        if let Some(line) = policy_line(self, lang) {
            out.push_str(&format!("\n{line}\n"));
        }
        self.problems_text(&mut out, lang);
        out
    }

    fn problems_text(&self, out: &mut String, lang: Lang) {
        let vi = lang == Lang::Vi;
        if !self.record_errors.is_empty() {
            out.push_str(&format!(
                "\n{}: {}\n",
                if vi {
                    "Dòng có lỗi (dữ kiện sai không được dùng)"
                } else {
                    "Rows in error (bad facts are not used)"
                },
                self.record_errors.len()
            ));
            for e in self.record_errors.iter().take(FIRST) {
                out.push_str(&format!("  {}\n", error_line(e, lang)));
            }
            if self.record_errors.len() > FIRST {
                out.push_str(&format!(
                    "  … {} {}\n",
                    self.record_errors.len() - FIRST,
                    if vi {
                        "dòng nữa (xem --format json)"
                    } else {
                        "more (see --format json)"
                    }
                ));
            }
        }
        if !self.ignored.is_empty() {
            out.push_str(&format!(
                "\n{}: {}\n",
                if vi {
                    "Trường không có trong lược đồ (bỏ qua)"
                } else {
                    "Fields not in the schema (ignored)"
                },
                self.ignored.len()
            ));
            for i in self.ignored.iter().take(FIRST) {
                let name = match &i.collection {
                    Some(c) => format!("{c}.{}", i.field),
                    None => i.field.clone(),
                };
                if i.rows == 0 {
                    out.push_str(&format!("  {}\n", clean(&name)));
                } else {
                    out.push_str(&format!(
                        "  {} ({} {})\n",
                        clean(&name),
                        i.rows,
                        if vi { "dòng" } else { "rows" }
                    ));
                }
            }
            if self.ignored.len() > FIRST {
                out.push_str(&format!("  … {}\n", self.ignored.len() - FIRST));
            }
        }
    }

    /// A self-contained HTML page with a chart per indicator.
    pub fn to_html(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut body = String::new();
        let (flags, texts) = meta_lines(self, lang);
        for f in flags {
            body.push_str(&format!("<p class=\"warn\">{}</p>", esc(&f)));
        }
        for t in texts {
            body.push_str(&format!("<p>{}</p>", esc(&t)));
        }
        let counts: Vec<String> = self
            .registry
            .collections
            .iter()
            .map(|c| format!("{}: {}", pick(&c.label, lang, &c.name), c.rows))
            .collect();
        body.push_str(&format!("<p>{}</p>", esc(&counts.join(" · "))));
        for n in &self.notes {
            body.push_str(&format!("<p class=\"note\">{}</p>", esc(n.get(lang))));
        }
        for p in &self.periods {
            body.push_str(&format!(
                "<h2>{} <small>({})</small></h2><div class=\"grid\">",
                esc(&pick(&p.label, lang, &p.group)),
                esc(&period_state(p.running, &p.elapsed_share, lang))
            ));
            for i in &p.indicators {
                body.push_str(&card(i, lang));
            }
            body.push_str("</div>");
        }
        if let Some(line) = policy_line(self, lang) {
            body.push_str(&format!("<p class=\"note\">{}</p>", esc(&line)));
        }
        let mut problems = String::new();
        self.problems_text(&mut problems, lang);
        if !problems.is_empty() {
            body.push_str(&format!(
                "<h2>{}</h2><pre>{}</pre>",
                if vi {
                    "Dữ liệu cần xem lại"
                } else {
                    "Data to review"
                },
                esc(problems.trim())
            ));
        }
        format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}.grid{{display:flex;flex-wrap:wrap;gap:1rem}}.card{{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;width:320px}}.card h3{{font-size:.95rem;margin:.2rem 0 .5rem}}.cite{{color:#666;font-size:.8rem}}.warn{{background:#fff3cd;padding:.5rem 1rem;border-radius:4px}}.note{{color:#444}}pre{{white-space:pre-wrap}}</style></head><body><h1>{}</h1><p>{} {}</p>{body}</body></html>\n",
            if vi { "vi" } else { "en" },
            if vi { "Báo cáo tiến độ" } else { "Progress report" },
            esc(&heading(self, lang)),
            if vi { "Ngày báo cáo:" } else { "As of:" },
            esc(&write_date(self.as_of, lang)),
        )
    }
}

/// One indicator's card: a bar for the value and one for the target, status, citation.
fn card(i: &IndicatorReport, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let num = |f: &Option<Figure>| -> f64 {
        f.as_ref()
            .and_then(Figure::number)
            .and_then(|d| d.to_string().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (v, t) = (num(&i.value), num(&i.target));
    let max = v.max(t).max(1e-9);
    let w = |x: f64| (x / max * 260.0).clamp(0.0, 260.0);
    let color = match i.status {
        Status::Met | Status::OnTrack => "#2e7d32",
        Status::Behind | Status::NotMet => "#c62828",
        Status::NoTarget | Status::NoData => "#757575",
    };
    let title = i.title.get(lang);
    let inside = w(v) >= 60.0;
    let svg = format!(
        "<svg width=\"300\" height=\"54\" role=\"img\" aria-label=\"{}\"><rect x=\"0\" y=\"6\" width=\"{:.1}\" height=\"18\" fill=\"{color}\"/><rect x=\"0\" y=\"30\" width=\"{:.1}\" height=\"18\" fill=\"#90a4ae\"/><text x=\"{:.1}\" y=\"20\" fill=\"{}\" font-size=\"12\">{}</text><text x=\"4\" y=\"44\" font-size=\"12\">{} {}</text></svg>",
        esc(title),
        w(v),
        w(t),
        if inside { 4.0 } else { w(v) + 4.0 },
        if inside { "#fff" } else { "#222" },
        esc(&show(&i.value, i.unit, lang)),
        if vi { "mục tiêu" } else { "target" },
        esc(&show(&i.target, i.unit, lang)),
    );
    let shortfall = i
        .shortfall
        .as_ref()
        .map(|s| {
            format!(
                " — {} {}",
                if vi { "còn thiếu" } else { "short by" },
                esc(&s.write(i.unit, lang))
            )
        })
        .unwrap_or_default();
    let mut groups = String::new();
    if !i.groups.is_empty() {
        groups.push_str("<ul>");
        for g in &i.groups {
            groups.push_str(&format!(
                "<li>{}: {}</li>",
                esc(&pick(&g.label, lang, &g.id)),
                esc(&g.value.write(Unit::Plain, lang))
            ));
        }
        groups.push_str("</ul>");
    }
    format!(
        "<section class=\"card\"><h3>{}</h3>{svg}<p class=\"status\" style=\"color:{color}\">{}{shortfall}</p>{groups}<p class=\"cite\">{} {}</p></section>",
        esc(title),
        i.status.label(lang),
        esc(&i.cite.document),
        esc(&i.cite.section),
    )
}
