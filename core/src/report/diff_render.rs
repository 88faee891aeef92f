//! The amendment impact for people: a terminal table and a self-contained HTML page, read from
//! the typed [`Diff`] in Vietnamese or English. Decisions and indicators by their titles,
//! outcomes and row states in words; the JSON (`Diff::to_json`) lists every row, these the
//! first [`FIRST`] of each decision or indicator.

use super::diff::{Diff, IndicatorDiff, IndicatorState, RowState};
use crate::engine::Outcome;
use crate::model::ReformInfo;
use crate::text::{write_date, Lang, Message};

/// How many changed rows the table and the page list per decision or indicator.
const FIRST: usize = 20;

/// Text safe for a terminal (no control characters), as the report's table.
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

fn pick(m: &Option<Message>, lang: Lang, fallback: &str) -> String {
    m.as_ref()
        .map(|m| m.get(lang).to_string())
        .unwrap_or_else(|| fallback.to_string())
}

fn word(o: Outcome, lang: Lang) -> String {
    o.label().get(lang).to_string()
}

fn reform_line(r: &ReformInfo, lang: Lang) -> String {
    let wording = r
        .cite
        .wording
        .as_ref()
        .map(|w| format!(" — “{w}”"))
        .unwrap_or_default();
    format!(
        "{} ({}, {}{wording})",
        r.title.get(lang),
        r.cite.document,
        r.cite.section
    )
}

/// The figure, target and status of an indicator, as one phrase.
fn figures(s: &IndicatorState, i: &IndicatorDiff, lang: Lang) -> String {
    let v = s
        .value
        .map(|f| f.write(i.unit, lang))
        .unwrap_or_else(|| "—".into());
    format!("{v} ({})", s.status_label.get(lang))
}

fn rows_word(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{n} dòng"),
        Lang::En if n == 1 => "1 row".into(),
        Lang::En => format!("{n} rows"),
    }
}

fn id_of(id: &Option<String>, record: Option<u64>, lang: Lang) -> String {
    match (id, record) {
        (Some(id), _) => id.clone(),
        (None, Some(r)) => match lang {
            Lang::Vi => format!("dòng {r}"),
            Lang::En => format!("row {r}"),
        },
        (None, None) => "—".into(),
    }
}

fn joined(reasons: &[Message], lang: Lang) -> String {
    reasons
        .iter()
        .map(|m| m.get(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Diff {
    fn heading(&self, lang: Lang) -> Vec<String> {
        let vi = lang == Lang::Vi;
        let mut out = vec![format!(
            "{} — {} {}",
            if vi {
                "Tác động của thay đổi quy định"
            } else {
                "Impact of a change of the rules"
            },
            if vi { "ngày xét" } else { "as of" },
            write_date(self.as_of, lang)
        )];
        out.push(format!(
            "{}: {} {} ({})",
            if vi { "Bộ quy tắc" } else { "Pack" },
            self.pack.id,
            self.pack.version,
            self.pack.document
        ));
        for r in &self.before {
            out.push(format!(
                "{}: {}",
                if vi {
                    "Trước, đã theo"
                } else {
                    "Before, already under"
                },
                reform_line(r, lang)
            ));
        }
        for r in &self.after {
            out.push(format!(
                "{}: {}",
                if vi { "Sau, theo" } else { "After, under" },
                reform_line(r, lang)
            ));
        }
        if self.record_errors > 0 {
            out.push(if vi {
                format!(
                    "{} dòng có lỗi dữ liệu (báo cáo tiến độ liệt kê): được so sánh trên phần đọc được",
                    self.record_errors
                )
            } else {
                format!(
                    "{} rows have data errors (the progress report lists them): compared on what could be read",
                    self.record_errors
                )
            });
        }
        out
    }

    fn transitions_text<T: Copy>(
        list: &[(T, T, u64)],
        name: impl Fn(T) -> String,
        lang: Lang,
    ) -> String {
        list.iter()
            .map(|(f, t, n)| format!("{} → {}: {}", name(*f), name(*t), rows_word(*n, lang)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The terminal table: per collection the decisions that changed (with their rows, before
    /// and after), then the indicators whose figures or rows changed.
    pub fn to_table(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut out = String::new();
        for h in self.heading(lang) {
            out.push_str(&clean(&h));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(if vi {
            "Quyết định\n"
        } else {
            "Decisions\n"
        });
        for c in &self.collections {
            out.push_str(&format!(
                "  {} ({} {})\n",
                clean(&pick(&c.label, lang, &c.name)),
                rows_word(c.rows, lang),
                if vi { "được so sánh" } else { "compared" }
            ));
            if c.decisions.is_empty() {
                out.push_str(if vi {
                    "    (không có quyết định nào về các dòng này)\n"
                } else {
                    "    (no decision is made about these rows)\n"
                });
            }
            let mut same = 0usize;
            for d in &c.decisions {
                if d.changed == 0 {
                    same += 1;
                    continue;
                }
                let t: Vec<_> = d
                    .transitions
                    .iter()
                    .map(|t| (t.from, t.to, t.count))
                    .collect();
                out.push_str(&format!(
                    "    {}: {} {} — {}\n",
                    clean(&pick(&d.title, lang, &d.name)),
                    rows_word(d.changed, lang),
                    if vi { "thay đổi" } else { "changed" },
                    Self::transitions_text(&t, |o| word(o, lang), lang)
                ));
                for r in d.records.iter().take(FIRST) {
                    out.push_str(&format!(
                        "      {}: {} → {}\n        {}: {}\n        {}: {}\n",
                        clean(&id_of(&r.id, r.record, lang)),
                        word(r.before.outcome, lang),
                        word(r.after.outcome, lang),
                        if vi { "trước" } else { "before" },
                        clean(&joined(&r.before.reasons, lang)),
                        if vi { "sau" } else { "after" },
                        clean(&joined(&r.after.reasons, lang)),
                    ));
                }
                if d.records.len() > FIRST {
                    out.push_str(&format!(
                        "      … {} {}\n",
                        d.records.len() - FIRST,
                        if vi {
                            "dòng khác (JSON liệt kê tất cả)"
                        } else {
                            "more (JSON lists them all)"
                        }
                    ));
                }
            }
            if same > 0 {
                out.push_str(&format!(
                    "    {}\n",
                    if vi {
                        format!("{same} quyết định khác không đổi")
                    } else {
                        format!("{same} other decisions unchanged")
                    }
                ));
            }
        }
        out.push('\n');
        out.push_str(if vi { "Chỉ tiêu\n" } else { "Indicators\n" });
        let mut same = 0usize;
        for i in &self.indicators {
            if i.before == i.after && i.changed.unwrap_or(0) == 0 {
                same += 1;
                continue;
            }
            out.push_str(&format!(
                "  {} — {}: {} → {}\n",
                clean(&pick(&i.period, lang, &i.group)),
                clean(i.title.get(lang)),
                clean(&figures(&i.before, i, lang)),
                clean(&figures(&i.after, i, lang)),
            ));
            match i.changed {
                None => out.push_str(&format!(
                    "    {}\n",
                    if vi {
                        "chỉ tiêu được bảo vệ: chỉ so sánh số liệu công bố, không liệt kê dòng"
                    } else {
                        "protected indicator: published figures only, no rows listed"
                    }
                )),
                Some(0) => {}
                Some(n) => {
                    let t: Vec<_> = i
                        .transitions
                        .iter()
                        .map(|t| (t.from, t.to, t.count))
                        .collect();
                    out.push_str(&format!(
                        "    {} {} — {}\n",
                        rows_word(n, lang),
                        if vi { "thay đổi" } else { "changed" },
                        Self::transitions_text(
                            &t,
                            |s: RowState| s.label().get(lang).to_string(),
                            lang
                        )
                    ));
                    let ids: Vec<String> = i
                        .records
                        .iter()
                        .take(FIRST)
                        .map(|r| clean(&id_of(&r.id, r.record, lang)))
                        .collect();
                    let more = i.records.len().saturating_sub(FIRST);
                    out.push_str(&format!(
                        "    {}{}\n",
                        ids.join(", "),
                        if more > 0 {
                            format!(", … +{more}")
                        } else {
                            String::new()
                        }
                    ));
                }
            }
        }
        if same > 0 {
            out.push_str(&format!(
                "  {}\n",
                if vi {
                    format!("{same} chỉ tiêu khác không đổi")
                } else {
                    format!("{same} other indicators unchanged")
                }
            ));
        }
        out
    }

    /// A self-contained HTML page: the same content as the table, as tables.
    pub fn to_html(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut body = String::new();
        let head = self.heading(lang);
        for h in head.iter().skip(1) {
            body.push_str(&format!("<p>{}</p>", esc(h)));
        }
        body.push_str(&format!(
            "<h2>{}</h2>",
            if vi { "Quyết định" } else { "Decisions" }
        ));
        for c in &self.collections {
            body.push_str(&format!(
                "<h3>{} <small>({} {})</small></h3>",
                esc(&pick(&c.label, lang, &c.name)),
                esc(&rows_word(c.rows, lang)),
                if vi { "được so sánh" } else { "compared" }
            ));
            let changed: Vec<_> = c.decisions.iter().filter(|d| d.changed > 0).collect();
            if changed.is_empty() {
                body.push_str(&format!(
                    "<p>{}</p>",
                    if vi {
                        "Không quyết định nào thay đổi."
                    } else {
                        "No decision changed."
                    }
                ));
                continue;
            }
            for d in changed {
                let t: Vec<_> = d
                    .transitions
                    .iter()
                    .map(|t| (t.from, t.to, t.count))
                    .collect();
                body.push_str(&format!(
                    "<h4>{}: {} {}</h4><p>{}</p>",
                    esc(&pick(&d.title, lang, &d.name)),
                    esc(&rows_word(d.changed, lang)),
                    if vi { "thay đổi" } else { "changed" },
                    esc(&Self::transitions_text(&t, |o| word(o, lang), lang))
                ));
                body.push_str(&format!(
                    "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                    if vi { "Mã" } else { "Id" },
                    if vi { "Trước" } else { "Before" },
                    if vi { "Sau" } else { "After" },
                    if vi { "Lý do trước" } else { "Reasons before" },
                    if vi { "Lý do sau" } else { "Reasons after" },
                ));
                for r in d.records.iter().take(FIRST) {
                    body.push_str(&format!(
                        "<tr><td>{}</td><td class=\"o-{}\">{}</td><td class=\"o-{}\">{}</td><td>{}</td><td>{}</td></tr>",
                        esc(&id_of(&r.id, r.record, lang)),
                        r.before.outcome.as_str(),
                        esc(&word(r.before.outcome, lang)),
                        r.after.outcome.as_str(),
                        esc(&word(r.after.outcome, lang)),
                        esc(&joined(&r.before.reasons, lang)),
                        esc(&joined(&r.after.reasons, lang)),
                    ));
                }
                body.push_str("</tbody></table>");
                if d.records.len() > FIRST {
                    body.push_str(&format!(
                        "<p class=\"note\">… {} {}</p>",
                        d.records.len() - FIRST,
                        if vi {
                            "dòng khác (JSON liệt kê tất cả)"
                        } else {
                            "more (JSON lists them all)"
                        }
                    ));
                }
            }
        }
        body.push_str(&format!(
            "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            if vi { "Chỉ tiêu" } else { "Indicators" },
            if vi { "Giai đoạn" } else { "Period" },
            if vi { "Chỉ tiêu" } else { "Indicator" },
            if vi { "Trước" } else { "Before" },
            if vi { "Sau" } else { "After" },
            if vi { "Dòng thay đổi" } else { "Rows changed" },
        ));
        for i in &self.indicators {
            let rows = match i.changed {
                None => {
                    if vi {
                        "được bảo vệ".to_string()
                    } else {
                        "protected".to_string()
                    }
                }
                Some(0) => "0".into(),
                Some(n) => {
                    let t: Vec<_> = i
                        .transitions
                        .iter()
                        .map(|t| (t.from, t.to, t.count))
                        .collect();
                    let ids: Vec<String> = i
                        .records
                        .iter()
                        .take(FIRST)
                        .map(|r| id_of(&r.id, r.record, lang))
                        .collect();
                    format!(
                        "{n}: {} ({})",
                        Self::transitions_text(
                            &t,
                            |s: RowState| s.label().get(lang).to_string(),
                            lang
                        ),
                        ids.join(", ")
                    )
                }
            };
            let changed = i.before != i.after || i.changed.unwrap_or(0) > 0;
            body.push_str(&format!(
                "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if changed { " class=\"changed\"" } else { "" },
                esc(&pick(&i.period, lang, &i.group)),
                esc(i.title.get(lang)),
                esc(&figures(&i.before, i, lang)),
                esc(&figures(&i.after, i, lang)),
                esc(&rows),
            ));
        }
        body.push_str("</tbody></table>");
        format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}table{{border-collapse:collapse;margin:.5rem 0 1rem}}th,td{{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}}tr.changed{{background:#fff3cd}}.o-yes{{color:#2e7d32}}.o-no{{color:#c62828}}.o-unknown{{color:#757575}}.note{{color:#444}}</style></head><body><h1>{}</h1>{body}</body></html>\n",
            if vi { "vi" } else { "en" },
            esc(head.first().map(String::as_str).unwrap_or("")),
            esc(head.first().map(String::as_str).unwrap_or("")),
        )
    }
}
