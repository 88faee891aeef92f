//! Phase 5, indicators: the registry a pack declares (`[registry]` metadata keys and its
//! `[[collection]]`s of rows), its `[[indicator]]`s and the `[disclosure]` policy, type-checked
//! like rules. A collection's row type is its entity's record type with the registry-only
//! fields appended, so the entity's compiled rules run on a row unchanged; every expression of
//! an indicator is compiled against that row type, with the entity's decisions as `rule.NAME`
//! and, when the indicator names one, the period's index bound as a name.

use std::collections::HashMap;

use toml::Spanned;

use super::context::{cite, Context, Diags, Names, Parsed, What};
use super::lints::wording_kind;
use super::table::RuleTable;
use super::types::{field_defs, mark_bounded};
use crate::codes::Code;
use crate::expr::compile::{ty_name, Scope};
use crate::expr::ir::Ex;
use crate::model::{
    Aggregate, Breakdown, Collection, Compare, Disclosure, Indicator, Pack, RecordType, Registry,
};
use crate::pack::doc::{IndicatorDoc, TVal};
use crate::text::{Message, Unit};
use crate::value::Ty;

/// Breakdowns are counted with one bit per group.
const MAX_GROUPS: usize = 64;

/// Checks and compiles the registry, the collections, the disclosure policy and the
/// indicators of every file.
pub(super) fn check(cx: &mut Context, docs: &[Parsed], rules: &RuleTable<'_>) {
    let mut reg = Registry::default();
    registry(cx, docs, &mut reg);
    disclosure(cx, docs, &mut reg);
    collections(cx, docs, rules, &mut reg);
    indicators(cx, docs, rules, &mut reg);
    cx.pack.registry = reg;
}

/// `[registry]`: its label and metadata keys (scalar fields), declared once.
fn registry(cx: &mut Context, docs: &[Parsed], reg: &mut Registry) {
    let mut seen = false;
    for d in docs {
        let Some(r) = &d.doc.registry else { continue };
        if seen {
            cx.out.diag_at(
                d.file,
                &r.span,
                Code::RegistryCollection,
                msg!(
                    vi: "`[registry]` được khai báo hai lần",
                    en: "`[registry]` is declared twice",
                ),
            );
            continue;
        }
        seen = true;
        reg.label = r.label.clone();
        let mut names = Names::new(What::Field);
        let meta = field_defs(cx, d.file, &r.meta, &mut names);
        for (f, doc) in meta.iter().zip(&r.meta) {
            if matches!(f.ty, Ty::List(_) | Ty::Rec(_)) {
                cx.out.diag_at(
                    d.file,
                    &doc.ty,
                    Code::ExprType,
                    msg!(
                        vi: format!("khóa `{}` của sổ phải là một giá trị đơn", f.name),
                        en: format!("registry key `{}` must be a single value", f.name),
                    ),
                );
            }
        }
        reg.meta = meta;
    }
}

/// `[disclosure]`: a threshold and a rounding base, whole numbers above 0.
fn disclosure(cx: &mut Context, docs: &[Parsed], reg: &mut Registry) {
    for d in docs {
        let Some(p) = &d.doc.disclosure else { continue };
        if reg.disclosure.is_some() {
            cx.out.diag_at(
                d.file,
                &p.span,
                Code::DisclosurePolicy,
                msg!(
                    vi: "`[disclosure]` được khai báo hai lần",
                    en: "`[disclosure]` is declared twice",
                ),
            );
            continue;
        }
        let mut whole = |v: &Option<Spanned<TVal>>, key: &str| -> Option<u64> {
            let Some(v) = v else {
                cx.out.diag_at(
                    d.file,
                    &p.span,
                    Code::DisclosurePolicy,
                    msg!(
                        vi: format!("`[disclosure]` cần `{key}`"),
                        en: format!("`[disclosure]` needs `{key}`"),
                    ),
                );
                return None;
            };
            match v.get_ref() {
                TVal::Integer(i) if *i > 0 => u64::try_from(*i).ok(),
                _ => {
                    cx.out.diag_at(
                        d.file,
                        v,
                        Code::DisclosurePolicy,
                        msg!(
                            vi: format!("`{key}` phải là số nguyên lớn hơn 0"),
                            en: format!("`{key}` must be a whole number above 0"),
                        ),
                    );
                    None
                }
            }
        };
        let threshold = whole(&p.threshold, "threshold");
        let rounding = whole(&p.rounding, "rounding");
        if let (Some(threshold), Some(rounding)) = (threshold, rounding) {
            reg.disclosure = Some(Disclosure {
                threshold,
                rounding,
                cite: p.cite.as_ref().map(cite),
                note: p.note.clone(),
            });
        }
    }
}

/// Each `[[collection]]`: its entity, its row type (the entity's fields, then its own), its
/// scope.
fn collections(cx: &mut Context, docs: &[Parsed], rules: &RuleTable<'_>, reg: &mut Registry) {
    let mut names = Names::new(What::Collection);
    for d in docs {
        let fid = d.file;
        for c in &d.doc.collection {
            if names.declare(&mut cx.out, fid, &c.name).is_none() {
                continue;
            }
            let Some(&entity) = cx.pack.entity_by_name.get(c.entity.get_ref()) else {
                let known: Vec<_> = cx.pack.entities.iter().map(|e| e.name.clone()).collect();
                cx.out.diag_at(
                    fid,
                    &c.entity,
                    Code::RegistryCollection,
                    msg!(
                        vi: format!(
                            "không có đối tượng `{}` (các đối tượng: {})",
                            c.entity.get_ref(),
                            known.join(", "),
                        ),
                        en: format!(
                            "unknown entity `{}` (entities: {})",
                            c.entity.get_ref(),
                            known.join(", "),
                        ),
                    ),
                );
                continue;
            };
            let Some(base) = cx
                .pack
                .entities
                .get(entity)
                .and_then(|e| cx.pack.records.get(e.record))
                .cloned()
            else {
                continue;
            };
            // the entity's fields keep their slots; the registry's own come after them
            let mut field_names = Names::new(What::Field);
            for f in &base.fields {
                field_names.insert(f.name.clone());
            }
            let extra = field_defs(cx, fid, &c.fields, &mut field_names);
            let mut fields = base.fields.clone();
            fields.extend(extra);
            let row = cx.pack.records.len();
            cx.pack.records.push(RecordType {
                name: c.name.get_ref().clone(),
                fields,
                by_name: field_names.into_map(),
                label: c.label.clone(),
                id_field: base.id_field,
                bounded: false,
            });
            mark_bounded(&mut cx.pack.records, row);
            let types = rules.types.get(entity).cloned().unwrap_or_default();
            let scope = match &c.scope {
                Some(s) => {
                    let mut sc = scope(&cx.pack, row, &types, None);
                    match compile(&mut cx.out, &mut sc, fid, s) {
                        Some((ex, Ty::Bool)) => Some(ex),
                        Some((_, t)) => {
                            let tn = ty_name(&t, &cx.pack.enums, &cx.pack.records);
                            cx.out.diag_at(fid, s, Code::ExprType, yes_no("scope", &tn));
                            None
                        }
                        None => None,
                    }
                }
                None => None,
            };
            reg.collections.push(Collection {
                name: c.name.get_ref().clone(),
                label: c.label.clone(),
                entity,
                row,
                scope,
            });
        }
    }
}

/// A scope for an indicator's (or a collection's) expressions: the row type, the entity's
/// decisions, and the period index when bound.
fn scope<'p>(
    pack: &'p Pack,
    row: usize,
    rules: &'p HashMap<String, (usize, Ty)>,
    index: Option<&str>,
) -> Scope<'p> {
    Scope {
        enums: &pack.enums,
        records: &pack.records,
        params: &pack.params,
        param_by_name: &pack.param_by_name,
        group_by_name: &pack.group_by_name,
        root: row,
        rules,
        locals: index
            .map(|n| vec![(n.to_string(), Ty::Int)])
            .unwrap_or_default(),
        vars: Vec::new(),
    }
}

/// Parses and type-checks one expression; `None` when it has problems (reported).
fn compile(
    out: &mut Diags,
    scope: &mut Scope<'_>,
    fid: usize,
    s: &Spanned<String>,
) -> Option<(Ex, Ty)> {
    let a = out.parse_expr(fid, s)?;
    match scope.compile(&a) {
        Ok(x) => Some(x),
        Err(errs) => {
            out.expr_errors(fid, s, errs);
            None
        }
    }
}

/// An optional expression of an indicator, compiled, with where it is written.
fn part<'s>(
    out: &mut Diags,
    sc: &mut Scope<'_>,
    fid: usize,
    s: &'s Option<Spanned<String>>,
    ok: &mut bool,
) -> Option<((Ex, Ty), &'s Spanned<String>)> {
    let s = s.as_ref()?;
    let r = compile(out, sc, fid, s);
    if r.is_none() {
        *ok = false;
    }
    r.map(|x| (x, s))
}

fn yes_no(what: &str, found: &str) -> Message {
    msg!(
        vi: format!("`{what}` phải có kiểu đúng/sai, gặp {found}"),
        en: format!("`{what}` must be yes/no, found {found}"),
    )
}

fn indicators(cx: &mut Context, docs: &[Parsed], rules: &RuleTable<'_>, reg: &mut Registry) {
    let mut names = Names::new(What::Indicator);
    let collection_names: HashMap<String, usize> = reg
        .collections
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), i))
        .collect();
    for d in docs {
        for doc in &d.doc.indicator {
            if names.declare(&mut cx.out, d.file, &doc.name).is_none() {
                continue;
            }
            if let Some(ind) = indicator(cx, d, doc, rules, reg, &collection_names) {
                reg.indicators.push(ind);
            }
        }
    }
}

/// One indicator, or `None` when it has problems (all reported).
fn indicator(
    cx: &mut Context,
    d: &Parsed,
    doc: &IndicatorDoc,
    rules: &RuleTable<'_>,
    reg: &Registry,
    collection_names: &HashMap<String, usize>,
) -> Option<Indicator> {
    let fid = d.file;
    let mut ok = true;
    let Some(&collection) = collection_names.get(doc.collection.get_ref()) else {
        let known: Vec<_> = reg.collections.iter().map(|c| c.name.clone()).collect();
        cx.out.diag_at(
            fid,
            &doc.collection,
            Code::IndicatorCollection,
            msg!(
                vi: format!(
                    "sổ không có danh sách `{}` (các danh sách: {})",
                    doc.collection.get_ref(),
                    known.join(", "),
                ),
                en: format!(
                    "the registry has no collection `{}` (collections: {})",
                    doc.collection.get_ref(),
                    known.join(", "),
                ),
            ),
        );
        return None;
    };
    let coll = reg.collections.get(collection)?;
    let group = match cx.pack.group_by_name.get(doc.by.get_ref()) {
        Some(&g) => Some(g),
        None => {
            cx.out.diag_at(
                fid,
                &doc.by,
                Code::ExprUnknownPeriod,
                msg!(
                    vi: format!("không có nhóm giai đoạn `{}`", doc.by.get_ref()),
                    en: format!("unknown period group `{}`", doc.by.get_ref()),
                ),
            );
            ok = false;
            None
        }
    };
    let aggregate = match doc.aggregate.get_ref().as_str() {
        "count" => Some(Aggregate::Count),
        "share" => Some(Aggregate::Share),
        "sum" => Some(Aggregate::Sum),
        "distinct" => Some(Aggregate::Distinct),
        other => {
            cx.out.diag_at(
                fid,
                &doc.aggregate,
                Code::IndicatorAggregate,
                msg!(
                    vi: format!("phép tổng hợp `{other}` không hợp lệ (count, share, sum, distinct)"),
                    en: format!("unknown aggregate `{other}` (count, share, sum, distinct)"),
                ),
            );
            return None;
        }
    }?;
    let compare = match doc.compare.as_ref().map(|c| c.get_ref().as_str()) {
        None | Some(">=") => Compare::AtLeast,
        Some(">") => Compare::Above,
        Some("<=") => Compare::AtMost,
        Some("<") => Compare::Below,
        Some(other) => {
            if let Some(c) = &doc.compare {
                cx.out.diag_at(
                    fid,
                    c,
                    Code::IndicatorCompare,
                    msg!(
                        vi: format!("phép so sánh `{other}` không hợp lệ (>=, >, <=, <)"),
                        en: format!("unknown comparison `{other}` (>=, >, <=, <)"),
                    ),
                );
            }
            ok = false;
            Compare::AtLeast
        }
    };
    let row = coll.row;
    if let Some(ix) = &doc.index {
        if cx
            .pack
            .records
            .get(row)
            .is_some_and(|r| r.by_name.contains_key(ix.get_ref()))
        {
            cx.out.diag_at(
                fid,
                ix,
                Code::RuleShadow,
                msg!(
                    vi: format!("`index = \"{}\"` che khuất trường `{0}` của dòng", ix.get_ref()),
                    en: format!("`index = \"{}\"` hides the row's field `{0}`", ix.get_ref()),
                ),
            );
            ok = false;
        }
    }
    let empty = HashMap::new();
    let types = rules.types.get(coll.entity).unwrap_or(&empty);
    let pack = &cx.pack;
    let out = &mut cx.out;
    let mut sc = scope(
        pack,
        row,
        types,
        doc.index.as_ref().map(|s| s.get_ref().as_str()),
    );
    let tn = |t: &Ty| ty_name(t, &pack.enums, &pack.records);
    let filter = part(out, &mut sc, fid, &doc.filter, &mut ok);
    let value = part(out, &mut sc, fid, &doc.value, &mut ok);
    let numerator = part(out, &mut sc, fid, &doc.numerator, &mut ok);
    let denominator = part(out, &mut sc, fid, &doc.denominator, &mut ok);
    let target = part(out, &mut sc, fid, &doc.target, &mut ok);
    let mut groups = Vec::new();
    let mut group_names = Names::new(What::Group);
    for g in &doc.groups {
        if group_names.declare(out, fid, &g.name).is_none() {
            ok = false;
            continue;
        }
        match compile(out, &mut sc, fid, &g.when) {
            Some((ex, Ty::Bool)) => groups.push(Breakdown {
                name: g.name.get_ref().clone(),
                label: g.label.clone(),
                when: ex,
                sensitive: g.sensitive,
            }),
            Some((_, t)) => {
                out.diag_at(fid, &g.when, Code::ExprType, yes_no("when", &tn(&t)));
                ok = false;
            }
            None => ok = false,
        }
    }
    // the parts each aggregate needs, and their types
    let mut shape = |out: &mut Diags, m: Message| -> bool {
        out.diag_at(fid, &doc.aggregate, Code::IndicatorAggregate, m);
        false
    };
    let agg_name = doc.aggregate.get_ref();
    let refuse = |has: bool,
                  key: &str,
                  out: &mut Diags,
                  shape: &mut dyn FnMut(&mut Diags, Message) -> bool| {
        if has {
            shape(
                out,
                msg!(
                    vi: format!("chỉ tiêu `{agg_name}` không dùng `{key}`"),
                    en: format!("a `{agg_name}` indicator takes no `{key}`"),
                ),
            )
        } else {
            true
        }
    };
    let need = |has: bool,
                key: &str,
                out: &mut Diags,
                shape: &mut dyn FnMut(&mut Diags, Message) -> bool| {
        if has {
            true
        } else {
            shape(
                out,
                msg!(
                    vi: format!("chỉ tiêu `{agg_name}` cần `{key}`"),
                    en: format!("a `{agg_name}` indicator needs `{key}`"),
                ),
            )
        }
    };
    let (has_v, has_n, has_d) = (
        doc.value.is_some(),
        doc.numerator.is_some(),
        doc.denominator.is_some(),
    );
    ok &= match aggregate {
        Aggregate::Count => {
            refuse(has_v, "value", out, &mut shape)
                & refuse(has_n, "numerator", out, &mut shape)
                & refuse(has_d, "denominator", out, &mut shape)
        }
        Aggregate::Sum | Aggregate::Distinct => {
            need(has_v, "value", out, &mut shape)
                & refuse(has_n, "numerator", out, &mut shape)
                & refuse(has_d, "denominator", out, &mut shape)
        }
        Aggregate::Share => {
            need(has_n, "numerator", out, &mut shape) & refuse(has_v, "value", out, &mut shape)
        }
    };
    if !groups.is_empty() && aggregate != Aggregate::Count {
        ok &= shape(
            out,
            msg!(
                vi: "chỉ chỉ tiêu `count` mới chia nhóm (`groups`)",
                en: "only a `count` indicator has `groups`",
            ),
        );
    }
    if groups.len() > MAX_GROUPS {
        ok &= shape(
            out,
            msg!(
                vi: format!("tối đa {MAX_GROUPS} nhóm"),
                en: format!("at most {MAX_GROUPS} groups"),
            ),
        );
    }
    if let Some(((_, t), s)) = &filter {
        if *t != Ty::Bool {
            out.diag_at(fid, *s, Code::ExprType, yes_no("filter", &tn(t)));
            ok = false;
        }
    }
    let typed = |part: &Option<((Ex, Ty), &Spanned<String>)>,
                 good: &dyn Fn(&Ty) -> bool,
                 want: Message,
                 out: &mut Diags|
     -> bool {
        match part {
            Some(((_, t), s)) if !good(t) => {
                let found = tn(t);
                out.diag_at(
                    fid,
                    *s,
                    Code::ExprType,
                    msg!(
                        vi: format!("cần {}, gặp {found}", want.vi),
                        en: format!("expected {}, found {found}", want.en),
                    ),
                );
                false
            }
            _ => true,
        }
    };
    let number_or_yes_no = |t: &Ty| t.is_num() || *t == Ty::Bool;
    let scalar = |t: &Ty| !matches!(t, Ty::List(_) | Ty::Rec(_));
    ok &= typed(
        &numerator,
        &number_or_yes_no,
        msg!(vi: "một số hoặc giá trị đúng/sai", en: "a number or a yes/no"),
        out,
    );
    ok &= typed(
        &denominator,
        &number_or_yes_no,
        msg!(vi: "một số hoặc giá trị đúng/sai", en: "a number or a yes/no"),
        out,
    );
    ok &= match aggregate {
        Aggregate::Sum => typed(&value, &Ty::is_num, msg!(vi: "một số", en: "a number"), out),
        _ => typed(
            &value,
            &scalar,
            msg!(vi: "một giá trị đơn", en: "a single value"),
            out,
        ),
    };
    ok &= typed(
        &target,
        &Ty::is_num,
        msg!(vi: "một số", en: "a number"),
        out,
    );
    if let Some(((ex, _), s)) = &target {
        if ex.reads_record() {
            out.diag_at(
                fid,
                *s,
                Code::IndicatorTarget,
                msg!(
                    vi: "chỉ tiêu (`target`) không được đọc trường hay quyết định của một dòng: nó như nhau cho mọi dòng",
                    en: "a `target` cannot read a row's fields or decisions: it is the same for every row",
                ),
            );
            ok = false;
        }
    }
    let pro_rata = doc.pro_rata.as_ref().is_some_and(|p| *p.get_ref());
    if pro_rata && aggregate == Aggregate::Share {
        if let Some(p) = &doc.pro_rata {
            out.diag_at(
                fid,
                p,
                Code::IndicatorAggregate,
                msg!(
                    vi: "tỷ lệ được so với toàn bộ chỉ tiêu, không theo tỷ lệ thời gian (`pro_rata`)",
                    en: "a share is held against its full target, not pro rata",
                ),
            );
        }
        ok = false;
    }
    let sensitive_parts = doc.sensitive || doc.groups.iter().any(|g| g.sensitive);
    let protected = doc.protected || sensitive_parts;
    if protected {
        if aggregate != Aggregate::Count {
            ok &= shape(
                out,
                msg!(
                    vi: "chỉ số đếm (`count`) mới được bảo vệ (`protected`, `sensitive`)",
                    en: "only a `count` can be protected or sensitive",
                ),
            );
        }
        if reg.disclosure.is_none() {
            out.diag_at(
                fid,
                &doc.name,
                Code::DisclosurePolicy,
                msg!(
                    vi: "số liệu nhạy cảm hoặc được bảo vệ cần chính sách `[disclosure]` (ngưỡng, cơ số làm tròn) trong bộ quy tắc",
                    en: "sensitive or protected figures need a `[disclosure]` policy (threshold, rounding base) in the pack",
                ),
            );
            ok = false;
        }
    }
    // the threshold-wording lint, as for rules: "trên" is `>`, "ít nhất" is `>=`
    if let (Some(wording), true) = (&doc.cite.get_ref().wording, target.is_some()) {
        let inclusive = matches!(compare, Compare::AtLeast | Compare::AtMost);
        let lint = match wording_kind(wording) {
            Some(true) if inclusive => Some(msg!(
                vi: format!(
                    "văn bản viện dẫn ghi \"trên\" (lớn hơn hẳn) nhưng chỉ tiêu so sánh bằng >= hoặc <=: \"{wording}\"",
                ),
                en: format!(
                    "the cited wording says \"trên\" (strictly above) but the indicator compares with >= or <=: \"{wording}\"",
                ),
            )),
            Some(false) if !inclusive => Some(msg!(
                vi: format!(
                    "văn bản viện dẫn ghi \"ít nhất\"/\"từ … trở lên\" nhưng chỉ tiêu so sánh bằng > hoặc <: \"{wording}\"",
                ),
                en: format!(
                    "the cited wording says \"ít nhất\"/\"từ … trở lên\" (at least) but the indicator compares with > or <: \"{wording}\"",
                ),
            )),
            _ => None,
        };
        if let Some(m) = lint {
            out.diag_at(fid, &doc.cite, Code::LintThresholdWording, m);
        }
    }
    let title = doc.title.clone()?;
    if !ok {
        return None;
    }
    let (unit, whole) = match (aggregate, &value) {
        (Aggregate::Share, _) => (Unit::Share, false),
        (Aggregate::Sum, Some(((_, Ty::Dec(u)), _))) => (*u, false),
        _ => (Unit::Plain, true),
    };
    Some(Indicator {
        name: doc.name.get_ref().clone(),
        title,
        collection,
        group: group?,
        binds_index: doc.index.is_some(),
        aggregate,
        filter: filter.map(|x| x.0 .0),
        value: value.map(|x| x.0),
        numerator: numerator.map(|x| x.0),
        denominator: denominator.map(|x| x.0),
        target: target.map(|x| x.0),
        unit,
        whole,
        compare,
        pro_rata,
        cite: cite(doc.cite.get_ref()),
        interpretation: doc.interpretation.clone(),
        confidence: doc.confidence.clone(),
        groups,
        protected,
        sensitive: doc.sensitive,
    })
}
