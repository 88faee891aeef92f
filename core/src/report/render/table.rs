//! The report as a terminal table: the same content as the page, in plain text. Titles wrap
//! at spaces inside their column (never cut mid-word); figures are right-aligned; every text
//! from the registry is cleaned of control characters.

use super::super::types::{IndicatorReport, PeriodReport, Report};
use super::format::{self as f, clean, wrap};
use crate::text::{Lang, Unit};

/// Width of the indicator column; prose wraps at [`PROSE`].
const TITLE: usize = 48;
const PROSE: usize = 100;

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

/// A label and its text, the text wrapped under itself.
fn labelled(out: &mut String, label: &str, text: &str) {
    let first = format!("{label}: {text}");
    for line in wrap(&clean(&first), PROSE) {
        out.push_str(&line);
        out.push('\n');
    }
}

fn prose(out: &mut String, text: &str) {
    for line in wrap(&clean(text), PROSE) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Column widths shared by every table of the report.
struct Cols {
    no: usize,
    value: usize,
    target: usize,
    status: usize,
}

/// The status with its mark; without one, indented as if it had one, so the words align.
fn status(i: &IndicatorReport, lang: Lang) -> String {
    if f::mark(i.status).is_empty() {
        format!("  {}", i.status.label(lang))
    } else {
        f::status(i.status, lang)
    }
}

fn by_now(i: &IndicatorReport, lang: Lang) -> Option<String> {
    i.display
        .expected
        .as_ref()
        .map(|e| format!("{}: {}", f::words(lang).by_now, e.get(lang)))
}

fn cols(r: &Report, lang: Lang) -> Cols {
    let w = f::words(lang);
    let all = || r.periods.iter().flat_map(|p| &p.indicators);
    let most = |init: &str, it: &mut dyn Iterator<Item = String>| {
        it.map(|s| width(&s)).max().unwrap_or(0).max(width(init))
    };
    Cols {
        no: most(
            w.no,
            &mut r.periods.iter().map(|p| p.indicators.len().to_string()),
        ),
        value: most(
            w.value,
            &mut all().map(|i| i.display.value.get(lang).to_string()).chain(
                all().flat_map(|i| i.groups.iter().map(|g| g.value.write(Unit::Plain, lang))),
            ),
        ),
        target: most(
            w.target,
            &mut all()
                .map(|i| i.display.target.get(lang).to_string())
                .chain(all().filter_map(|i| by_now(i, lang))),
        ),
        status: most(w.status, &mut all().map(|i| status(i, lang))),
    }
}

fn period(out: &mut String, p: &PeriodReport, c: &Cols, lang: Lang) {
    let w = f::words(lang);
    out.push_str(&format!("\n{}\n", clean(&f::period_title(p, lang))));
    prose(out, &f::period_state(p, lang));
    let row = |no: &str, title: &str, value: &str, target: &str, status: &str, short: &str| {
        format!(
            "{} {} {} {} {} {}",
            pad_left(no, c.no),
            pad_right(title, TITLE),
            pad_left(value, c.value),
            pad_left(target, c.target),
            pad_right(status, c.status),
            short
        )
        .trim_end()
        .to_string()
            + "\n"
    };
    out.push_str(&row(
        w.no,
        w.indicator,
        w.value,
        w.target,
        w.status,
        w.shortfall,
    ));
    for (k, i) in p.indicators.iter().enumerate() {
        let title = wrap(&clean(i.title.get(lang)), TITLE);
        let mut targets = vec![i.display.target.get(lang).to_string()];
        targets.extend(by_now(i, lang));
        let lines = title.len().max(targets.len());
        for n in 0..lines {
            let first = n == 0;
            out.push_str(&row(
                &if first {
                    (k + 1).to_string()
                } else {
                    String::new()
                },
                title.get(n).map_or("", String::as_str),
                if first { i.display.value.get(lang) } else { "" },
                targets.get(n).map_or("", String::as_str),
                &if first {
                    status(i, lang)
                } else {
                    String::new()
                },
                if first {
                    i.display.shortfall.as_ref().map_or("", |s| s.get(lang))
                } else {
                    ""
                },
            ));
        }
        for g in &i.groups {
            let label = wrap(
                &clean(&f::pick(&g.label, lang, &g.id)),
                TITLE.saturating_sub(2),
            );
            for (n, l) in label.iter().enumerate() {
                let value = if n + 1 == label.len() {
                    g.value.write(Unit::Plain, lang)
                } else {
                    String::new()
                };
                let bullet = if n == 0 { "· " } else { "  " };
                out.push_str(&row("", &format!("{bullet}{l}"), &value, "", "", ""));
            }
        }
        if let Some(u) = f::unknown_line(i, lang) {
            for (n, l) in wrap(&u, TITLE.saturating_sub(2)).iter().enumerate() {
                let bullet = if n == 0 { "· " } else { "  " };
                out.push_str(&row("", &format!("{bullet}{l}"), "", "", "", ""));
            }
        }
    }
}

impl Report {
    /// The report as a terminal table in `lang`: the document and its status, the registry,
    /// the notes, then a table for each period now running (or last, once over) and for the
    /// closed ones, the disclosure policy and the data to review.
    pub fn to_table(&self, lang: Lang) -> String {
        let w = f::words(lang);
        let mut out = String::new();
        out.push_str(&clean(&format!(
            "{} — {}: {}",
            f::heading(self, lang),
            w.as_of,
            f::date(self.as_of, lang)
        )));
        out.push('\n');
        if let Some(t) = &self.pack.title {
            prose(&mut out, t.get(lang));
        }
        labelled(&mut out, w.document, &f::document(self, lang));
        if let (Lang::Vi, Some(j)) = (lang, &self.pack.jurisdiction) {
            labelled(&mut out, w.jurisdiction, j);
        }
        if let Some(s) = &self.pack.status {
            labelled(&mut out, w.doc_status, s.get(lang));
        }
        out.push('\n');
        let (flags, texts) = f::meta(self, lang);
        for flag in flags {
            out.push_str(&format!("{}\n", clean(&flag.to_uppercase())));
        }
        for (label, text) in texts {
            labelled(&mut out, &label, &text);
        }
        labelled(&mut out, w.source, &f::rows_read(self, lang));
        for n in &self.notes {
            out.push('\n');
            prose(&mut out, n.get(lang));
        }
        let c = cols(self, lang);
        let current = f::current(self);
        out.push_str(&format!(
            "\n{} — {}\n",
            w.summary.to_uppercase(),
            f::date(self.as_of, lang)
        ));
        for &k in &current {
            if let Some(p) = self.periods.get(k) {
                period(&mut out, p, &c, lang);
            }
        }
        let closed: Vec<&PeriodReport> = self
            .periods
            .iter()
            .enumerate()
            .filter(|(k, _)| !current.contains(k))
            .map(|(_, p)| p)
            .collect();
        if !closed.is_empty() {
            out.push_str(&format!("\n{}\n", w.closed.to_uppercase()));
            for p in closed {
                period(&mut out, p, &c, lang);
            }
        }
        if let Some(line) = f::policy(self, lang) {
            out.push('\n');
            prose(&mut out, &line);
        }
        for (head, lines) in f::problems(self, lang) {
            out.push_str(&format!("\n{head}\n"));
            for l in lines {
                out.push_str(&format!("  {l}\n"));
            }
        }
        out
    }
}
