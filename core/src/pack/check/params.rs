//! Phase 3, periods and parameters: period groups (the programme's phases), dated parameter
//! values (no overlaps, no gaps), and overrides by later documents.

use std::collections::HashSet;

use super::context::{cite, closest, did_you_mean, Context, Names, Parsed, What};
use super::values::typed_value;
use crate::codes::Code;
use crate::date::Date;
use crate::model::{Cite, Param, ParamValue, Period, PeriodGroup};
use crate::pack::doc::ParamDoc;
use crate::value::Ty;

/// Checks and compiles the period groups, the parameters and their overrides, in that order.
pub(super) fn check(cx: &mut Context, docs: &[Parsed]) {
    periods(cx, docs);
    parameters(cx, docs);
    overrides(cx, docs);
}

fn periods(cx: &mut Context, docs: &[Parsed]) {
    let mut names = Names::new(What::PeriodGroup);
    for d in docs {
        let fid = d.file;
        for g in &d.doc.periods {
            if names.declare(&mut cx.out, fid, &g.name).is_none() {
                continue;
            }
            let name = g.name.get_ref().clone();
            let mut members: Vec<Period> = Vec::new();
            // (the member as written, for the overlap check below)
            let mut written = Vec::new();
            let mut indices = HashSet::new();
            for m in &g.members {
                let mm = m.get_ref();
                let (Some(from), Some(to)) = (cx.out.date(fid, &mm.from), cx.out.date(fid, &mm.to))
                else {
                    continue;
                };
                if to < from {
                    cx.out.diag_at(
                        fid,
                        m,
                        Code::PeriodOrder,
                        msg!(
                            vi: "giai đoạn kết thúc trước khi bắt đầu",
                            en: "a period ends before it starts",
                        ),
                    );
                }
                if !indices.insert(mm.index) {
                    cx.out.diag_at(
                        fid,
                        m,
                        Code::PackDuplicate,
                        msg!(
                            vi: format!("số thứ tự giai đoạn {} bị lặp", mm.index),
                            en: format!("period index {} repeated", mm.index),
                        ),
                    );
                }
                written.push(m);
                members.push(Period {
                    index: mm.index,
                    name: mm.name.clone(),
                    from,
                    to,
                    label: mm.label.clone(),
                });
            }
            // overlaps, in date order (n log n): a period that starts before an earlier-starting
            // one has ended overlaps it
            let mut by_start: Vec<usize> = (0..members.len()).collect();
            by_start.sort_by_key(|&i| members.get(i).map(|p| p.from));
            let mut end: Option<Date> = None;
            for i in by_start {
                let (Some(p), Some(m)) = (members.get(i), written.get(i)) else {
                    continue;
                };
                if end.is_some_and(|e| p.from <= e) {
                    cx.out.diag_at(
                        fid,
                        m,
                        Code::PeriodOverlap,
                        msg!(
                            vi: format!(
                                "giai đoạn `{}` chồng lấn giai đoạn khác của `{name}`",
                                p.name,
                            ),
                            en: format!("period `{}` overlaps another of `{name}`", p.name),
                        ),
                    );
                }
                end = Some(end.map_or(p.to, |e| e.max(p.to)));
            }
            cx.pack.groups.push(PeriodGroup {
                name,
                label: g.label.clone(),
                cite: g.cite.as_ref().map(cite),
                members,
            });
        }
    }
    cx.pack.group_by_name = names.into_map();
}

fn parameters(cx: &mut Context, docs: &[Parsed]) {
    let mut names = Names::new(What::Parameter);
    for d in docs {
        for p in &d.doc.parameter {
            // a parameter takes its name only once its type is known
            if !names.is_free(&mut cx.out, d.file, &p.name) {
                continue;
            }
            let Some(ty) = cx.parse_type(d.file, &p.ty) else {
                continue;
            };
            let values = dated_values(cx, d.file, p, &ty);
            names.insert(p.name.get_ref().clone());
            cx.pack.params.push(Param {
                name: p.name.get_ref().clone(),
                ty,
                label: p.label.clone(),
                cite: p.cite.as_ref().map(cite),
                note: p.note.clone(),
                confidence: p.confidence.clone(),
                values,
            });
        }
    }
    cx.pack.param_by_name = names.into_map();
}

/// The dated values of parameter `p`: each typed, together without overlaps or gaps.
fn dated_values(cx: &mut Context, fid: usize, p: &ParamDoc, ty: &Ty) -> Vec<ParamValue> {
    let name = p.name.get_ref();
    let mut values: Vec<ParamValue> = Vec::new();
    for v in &p.values {
        let vd = v.get_ref();
        let Some(from) = cx.out.date(fid, &vd.from) else {
            continue;
        };
        let to = match &vd.to {
            Some(t) => match cx.out.date(fid, t) {
                Some(d) => Some(d),
                None => continue,
            },
            None => None,
        };
        let Some(val) = typed_value(&mut cx.out, fid, &vd.value, ty, &cx.pack.enums) else {
            continue;
        };
        if to.is_some_and(|t| t < from) {
            cx.out.diag_at(
                fid,
                v,
                Code::ParamOrder,
                msg!(vi: "`to` trước `from`", en: "`to` is before `from`"),
            );
        }
        let c = Cite {
            document: vd
                .document
                .clone()
                .or_else(|| p.cite.as_ref().map(|c| c.document.clone()))
                .unwrap_or_default(),
            section: vd
                .section
                .clone()
                .or_else(|| p.cite.as_ref().map(|c| c.section.clone()))
                .unwrap_or_default(),
            wording: vd.wording.clone(),
        };
        values.push(ParamValue {
            from,
            to,
            value: val,
            cite: Some(c),
            overrides: false,
            reform: None,
        });
    }
    // overlaps and gaps
    let mut sorted: Vec<_> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.from, v.to, i))
        .collect();
    sorted.sort_by_key(|x| x.0);
    for w in sorted.windows(2) {
        let (Some(a), Some(b)) = (w.first(), w.get(1)) else {
            continue;
        };
        // (the index is among the values that checked out, the span among all written)
        let at = p.values.get(b.2).map(|v| v.span().start).unwrap_or(0);
        match a.1 {
            None => cx.out.diag(
                fid,
                at,
                Code::ParamOverlap,
                msg!(
                    vi: format!(
                        "các giá trị của `{name}` chồng lấn: giá trị trước không có ngày kết thúc",
                    ),
                    en: format!("values of `{name}` overlap: an earlier value has no end date"),
                ),
            ),
            Some(end) if b.0 <= end => cx.out.diag(
                fid,
                at,
                Code::ParamOverlap,
                msg!(
                    vi: format!("các giá trị của `{name}` chồng lấn từ {}", b.0),
                    en: format!("values of `{name}` overlap from {}", b.0),
                ),
            ),
            Some(end) if end.add_days(1) < b.0 => {
                let (gap_from, gap_to) = (end.add_days(1), b.0.add_days(-1));
                cx.out.diag(
                    fid,
                    at,
                    Code::ParamGap,
                    msg!(
                        vi: format!("các giá trị của `{name}` để trống từ {gap_from} đến {gap_to}"),
                        en: format!("values of `{name}` leave a gap from {gap_from} to {gap_to}"),
                    ),
                )
            }
            _ => {}
        }
    }
    if values.is_empty() {
        cx.out.diag_at(
            fid,
            &p.name,
            Code::ParamEmpty,
            msg!(
                vi: format!("tham số `{name}` không có giá trị"),
                en: format!("parameter `{name}` has no value"),
            ),
        );
    }
    values
}

/// Overrides from later documents and reforms: they win from their date on (a reform's value
/// on every date replaces every value).
fn overrides(cx: &mut Context, docs: &[Parsed]) {
    for d in docs {
        let fid = d.file;
        for o in &d.doc.overrides {
            let Some(&pid) = cx.pack.param_by_name.get(o.parameter.get_ref()) else {
                let name = o.parameter.get_ref();
                let best = closest(name, cx.pack.params.iter().map(|p| p.name.as_str()));
                let (vi_hint, en_hint) = did_you_mean(best);
                let code = if o.reform.is_some() {
                    Code::ReformParameter
                } else {
                    Code::ExprUnknownParam
                };
                cx.out.diag_at(
                    fid,
                    &o.parameter,
                    code,
                    msg!(
                        vi: format!("không có tham số `{name}`{vi_hint}"),
                        en: format!("unknown parameter `{name}`{en_hint}"),
                    ),
                );
                continue;
            };
            let ty = cx
                .pack
                .params
                .get(pid)
                .map(|p| p.ty.clone())
                .unwrap_or(Ty::Bool);
            let Some(val) = typed_value(&mut cx.out, fid, &o.value, &ty, &cx.pack.enums) else {
                continue;
            };
            let cite = Some(Cite {
                document: o.document.clone(),
                section: o.section.clone(),
                wording: o.wording.clone(),
            });
            if o.every_date {
                if let Some(p) = cx.pack.params.get_mut(pid) {
                    // the same span of dates, one value
                    let from = p.values.iter().map(|v| v.from).min();
                    let open = p.values.iter().any(|v| v.to.is_none());
                    let to = if open {
                        None
                    } else {
                        p.values.iter().filter_map(|v| v.to).max()
                    };
                    if let Some(from) = from {
                        p.values = vec![ParamValue {
                            from,
                            to,
                            value: val,
                            cite,
                            overrides: true,
                            reform: o.reform,
                        }];
                    }
                }
                continue;
            }
            let Some(from) = cx.out.date(fid, &o.from) else {
                continue;
            };
            let to = o.to.as_ref().and_then(|t| cx.out.date(fid, t));
            if to.is_some_and(|t| t < from) {
                cx.out.diag_at(
                    fid,
                    &o.from,
                    Code::ParamOrder,
                    msg!(vi: "`to` trước `from`", en: "`to` is before `from`"),
                );
                continue;
            }
            if let Some(p) = cx.pack.params.get_mut(pid) {
                p.values.insert(
                    0,
                    ParamValue {
                        from,
                        to,
                        value: val,
                        cite,
                        overrides: true,
                        reform: o.reform,
                    },
                );
                // latest override first; among equal dates, the one applied last
                let n_over = p.values.iter().filter(|v| v.overrides).count();
                if let Some(over) = p.values.get_mut(..n_over) {
                    over.sort_by_key(|v| std::cmp::Reverse(v.from));
                }
            }
        }
    }
}
