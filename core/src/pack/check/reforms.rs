//! Phase 1b, reforms: each reform file is read like a pack file and laid over the documents
//! read, before anything is compiled, so the reformed pack goes through every later phase
//! (types, parameters, rules, order, lints) exactly as a pack written that way would.
//!
//! - `[[parameter]]` values become overrides of the root pack (they win from their date on;
//!   `value` without dates replaces every value), cited to the reform;
//! - `[[rule]]` parts replace the rule's own; their spans are moved into the reform's overlay
//!   range ([`super::context::OVERLAY_BASE`]), so a problem in them is reported at the reform
//!   file's line and column although they are compiled inside the pack's rule.
//!
//! After the rules are ordered, [`mark`] records on each rule the reforms its outcome may
//! differ under (the rule changed, a parameter it reads, a rule it refers to).

use std::ops::Range;

use toml::Spanned;

use super::context::{closest, did_you_mean, Context, Parsed, OVERLAY_STRIDE};
use crate::codes::Code;
use crate::expr::ir::Ex;
use crate::limits::REFORMS;
use crate::model::{Cite, ReformInfo};
use crate::pack::doc::{
    CiteDoc, FileDoc, MessagesDoc, OverrideDoc, ReformDoc, ReformRuleDoc, RuleDoc, TemplateDoc,
};
use crate::pack::Reform;

/// Reads every reform and lays it over `docs` (in order: a later reform wins).
pub(super) fn apply(cx: &mut Context, docs: &mut Vec<Parsed>, reforms: &[Reform]) {
    let root = cx
        .pack
        .meta
        .first()
        .map(|m| m.id.clone())
        .unwrap_or_default();
    for (k, reform) in reforms.iter().enumerate() {
        if k >= REFORMS {
            cx.out.diag_file(
                reform.file.clone(),
                Code::ReformLimit,
                msg!(
                    vi: format!("quá nhiều cải cách: tối đa {REFORMS} cho một bộ quy tắc"),
                    en: format!("too many reforms: at most {REFORMS} on one pack"),
                ),
            );
            return;
        }
        let max = (cx.limits.file_bytes as usize).min(OVERLAY_STRIDE);
        if reform.text.len() > max {
            cx.out.diag_file(
                reform.file.clone(),
                Code::ReformLimit,
                msg!(
                    vi: format!("tệp cải cách quá lớn: {} byte; tối đa {max}", reform.text.len()),
                    en: format!("the reform file is too large: {} bytes; at most {max}", reform.text.len()),
                ),
            );
            continue;
        }
        let (fid, base) = cx.out.add_overlay(reform.file.clone(), reform.text.clone());
        let doc = match ReformDoc::parse(cx.out.text(fid), &cx.limits) {
            Ok(d) => d,
            Err(errs) => {
                for e in errs {
                    cx.out.diag(fid, e.span.start, e.code, e.message);
                }
                continue;
            }
        };
        if cx.pack.reforms.iter().any(|r| r.id == *doc.id.get_ref()) {
            let id = doc.id.get_ref();
            cx.out.diag_at(
                fid,
                &doc.id,
                Code::ReformShape,
                msg!(
                    vi: format!("cải cách `{id}` được áp dụng hai lần"),
                    en: format!("reform `{id}` is applied twice"),
                ),
            );
            continue;
        }
        let index = cx.pack.reforms.len();
        cx.pack.reforms.push(ReformInfo {
            id: doc.id.get_ref().clone(),
            title: doc.title.clone(),
            cite: Cite {
                document: doc.cite.document.clone(),
                section: doc.cite.section.clone(),
                wording: doc.cite.wording.clone(),
            },
            note: doc.note.clone(),
            file: reform.file.clone(),
        });
        let mut own = FileDoc::default();
        for p in &doc.parameters {
            parameter(&doc, p, index, &mut own.overrides);
        }
        for r in &doc.rules {
            rule(cx, docs, &doc, r, index, fid, base);
        }
        docs.push(Parsed {
            file: fid,
            pack: root.clone(),
            doc: own,
        });
    }
}

/// A reform's parameter as overrides (checked with the pack's own: name, type, dates).
fn parameter(
    doc: &ReformDoc,
    p: &crate::pack::doc::ReformParamDoc,
    index: usize,
    out: &mut Vec<OverrideDoc>,
) {
    if let Some(v) = &p.value {
        out.push(OverrideDoc {
            parameter: p.name.clone(),
            from: Spanned::new(p.span.clone(), String::new()),
            to: None,
            value: v.clone(),
            document: doc.cite.document.clone(),
            section: doc.cite.section.clone(),
            wording: doc.cite.wording.clone(),
            reform: Some(index),
            every_date: true,
        });
    }
    for v in &p.values {
        let vd = v.get_ref();
        out.push(OverrideDoc {
            parameter: p.name.clone(),
            from: vd.from.clone(),
            to: vd.to.clone(),
            value: vd.value.clone(),
            document: doc.cite.document.clone(),
            section: vd
                .section
                .clone()
                .unwrap_or_else(|| doc.cite.section.clone()),
            wording: vd.wording.clone().or_else(|| doc.cite.wording.clone()),
            reform: Some(index),
            every_date: false,
        });
    }
}

/// Lays a reform's `[[rule]]` over the pack's rule of that name.
fn rule(
    cx: &mut Context,
    docs: &mut [Parsed],
    doc: &ReformDoc,
    r: &ReformRuleDoc,
    index: usize,
    fid: usize,
    base: usize,
) {
    let name = r.name.get_ref();
    let entity = r.entity.as_ref().map(|e| e.get_ref().as_str());
    let found: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, p)| {
            p.doc
                .rule
                .iter()
                .enumerate()
                .filter(|(_, x)| {
                    x.name.get_ref() == name && entity.is_none_or(|e| x.entity.get_ref() == e)
                })
                .map(move |(i, _)| (d, i))
        })
        .collect();
    let (d, i) = match found.as_slice() {
        [one] => *one,
        [] => {
            let all = docs
                .iter()
                .flat_map(|p| p.doc.rule.iter().map(|x| x.name.get_ref().as_str()));
            let (vi_hint, en_hint) = did_you_mean(closest(name, all));
            let (vi_in, en_in) = match entity {
                Some(e) => (format!(" của đối tượng `{e}`"), format!(" of entity `{e}`")),
                None => (String::new(), String::new()),
            };
            cx.out.diag_at(
                fid,
                &r.name,
                Code::ReformRule,
                msg!(
                    vi: format!("không có quy tắc `{name}`{vi_in}{vi_hint}"),
                    en: format!("unknown rule `{name}`{en_in}{en_hint}"),
                ),
            );
            return;
        }
        many => {
            let entities: Vec<String> = many
                .iter()
                .filter_map(|(d, i)| docs.get(*d)?.doc.rule.get(*i))
                .map(|x| x.entity.get_ref().clone())
                .collect();
            let list = entities.join(", ");
            cx.out.diag_at(
                fid,
                &r.name,
                Code::ReformRule,
                msg!(
                    vi: format!("nhiều đối tượng có quy tắc `{name}` ({list}): cần ghi `entity`"),
                    en: format!("several entities have a rule `{name}` ({list}): give `entity`"),
                ),
            );
            return;
        }
    };
    let Some(target) = docs.get_mut(d).and_then(|p| p.doc.rule.get_mut(i)) else {
        return;
    };
    let constraint = target.kind.get_ref() == "constraint";
    let wrong = match (constraint, &r.when, &r.require) {
        (true, Some(w), _) => Some((w, "when", "require")),
        (false, _, Some(q)) => Some((q, "require", "when")),
        _ => None,
    };
    if let Some((at, part, instead)) = wrong {
        let kind = target.kind.get_ref().clone();
        cx.out.diag_at(
            fid,
            at,
            Code::ReformShape,
            msg!(
                vi: format!("quy tắc `{name}` ({kind}) không có `{part}`: dùng `{instead}`"),
                en: format!("rule `{name}` ({kind}) has no `{part}`: use `{instead}`"),
            ),
        );
        return;
    }
    overlay(target, doc, r, index, base);
}

/// Replaces the parts of `target` that `r` gives, their spans moved into the overlay range.
fn overlay(target: &mut RuleDoc, doc: &ReformDoc, r: &ReformRuleDoc, index: usize, base: usize) {
    let s = |x: &Spanned<String>| shift(x, base);
    if let Some(t) = &r.title {
        target.title = Some(t.clone());
    }
    if let Some(a) = &r.applies_in {
        target.applies_in = Some(s(a));
    }
    for (k, v) in &r.lets {
        target.lets.insert(k.clone(), s(v));
    }
    for (dst, src) in [
        (&mut target.when, &r.when),
        (&mut target.value, &r.value),
        (&mut target.target, &r.target),
        (&mut target.require, &r.require),
    ] {
        if let Some(x) = src {
            *dst = Some(s(x));
        }
    }
    // the rule now rests on the reform: its own citation there, or the reform's
    target.cite = match &r.cite {
        Some(c) => Spanned::new(moved(c.span(), base), c.get_ref().clone()),
        None => Spanned::new(
            moved(doc.span.clone(), base),
            CiteDoc {
                document: doc.cite.document.clone(),
                section: doc.cite.section.clone(),
                wording: doc.cite.wording.clone(),
            },
        ),
    };
    if let Some(i) = &r.interpretation {
        target.interpretation = Some(i.clone());
    }
    if let Some(c) = &r.confidence {
        target.confidence = Some(c.clone());
    }
    let MessagesDoc { yes, no, unknown } = &r.messages;
    for (dst, src) in [
        (&mut target.messages.yes, yes),
        (&mut target.messages.no, no),
        (&mut target.messages.unknown, unknown),
    ] {
        if !src.is_empty() {
            *dst = src.iter().map(|t| template(t, base)).collect();
        }
    }
    target.reforms.push(index);
}

fn moved(r: Range<usize>, base: usize) -> Range<usize> {
    r.start + base..r.end + base
}

fn shift(x: &Spanned<String>, base: usize) -> Spanned<String> {
    Spanned::new(moved(x.span(), base), x.get_ref().clone())
}

fn template(t: &TemplateDoc, base: usize) -> TemplateDoc {
    TemplateDoc {
        vi: shift(&t.vi, base),
        en: shift(&t.en, base),
        when: t.when.as_ref().map(|w| shift(w, base)),
        span: moved(t.span.clone(), base),
    }
}

/// Records on every rule the reforms its outcome may differ under: the ones that changed it,
/// changed a parameter it reads (in any part, messages aside), or apply to a rule it refers
/// to. Rules are visited in dependency order, so one pass suffices.
pub(super) fn mark(cx: &mut Context) {
    if cx.pack.reforms.is_empty() {
        return;
    }
    let param_reforms: Vec<Vec<usize>> = cx
        .pack
        .params
        .iter()
        .map(|p| {
            let mut v: Vec<usize> = p.values.iter().filter_map(|x| x.reform).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    for er in &mut cx.pack.entities {
        let order: Vec<usize> = er
            .order
            .iter()
            .chain(er.constraints.iter())
            .copied()
            .collect();
        for i in order {
            let Some(rule) = er.rules.get(i) else {
                continue;
            };
            let mut found = rule.changed_by.clone();
            let mut exprs: Vec<&Ex> = rule.locals.iter().map(|l| &l.1).collect();
            exprs.extend(rule.when.iter());
            exprs.extend(rule.value.iter().map(|v| &v.0));
            exprs.extend(rule.target.iter().map(|v| &v.0));
            let (mut params, mut rules) = (Vec::new(), Vec::new());
            for e in exprs {
                e.param_refs(&mut params);
                e.rule_refs(&mut rules);
            }
            for p in params {
                found.extend(param_reforms.get(p).into_iter().flatten());
            }
            for r in rules {
                if let Some(x) = er.rules.get(r) {
                    found.extend(x.reforms.iter());
                }
            }
            found.sort_unstable();
            found.dedup();
            if let Some(rule) = er.rules.get_mut(i) {
                rule.reforms = found;
            }
        }
    }
}
