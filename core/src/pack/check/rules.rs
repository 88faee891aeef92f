//! Phase 4, rules: first every rule's name and type (so rules may refer to rules written
//! after them), then each rule compiled: its `let`s in dependency order, `value`, `target`,
//! `each`, `when`/`require`, the shape its kind needs, `applies_in`, and message templates.

use std::collections::{BTreeMap, HashMap};

use toml::Spanned;

use super::context::{cite, Context, Diags, Names, Parsed, What};
use super::messages::{self, Holes};
use super::order::dependency_order;
use super::table::{Pending, RuleTable};
use crate::codes::Code;
use crate::expr::compile::{ty_name, Scope};
use crate::expr::ir::Ex;
use crate::expr::syntax::Ast;
use crate::limits::some_of;
use crate::model::{Pack, Rule, RuleKind};
use crate::pack::doc::RuleDoc;
use crate::value::Ty;

/// Declares every rule: its entity, kind, name (once per entity) and, for a value rule, type.
pub(super) fn declare<'d>(cx: &mut Context, docs: &'d [Parsed]) -> RuleTable<'d> {
    let n = cx.pack.entities.len();
    let mut table = RuleTable {
        pending: Vec::new(),
        types: vec![HashMap::new(); n],
    };
    let mut names: Vec<Names> = (0..n).map(|_| Names::new(What::Rule)).collect();
    for d in docs {
        let fid = d.file;
        for r in &d.doc.rule {
            let Some(&ent) = cx.pack.entity_by_name.get(r.entity.get_ref()) else {
                let known = some_of(cx.pack.entities.iter().map(|e| e.name.as_str()));
                cx.out.diag_at(
                    fid,
                    &r.entity,
                    Code::RuleEntity,
                    msg!(
                        vi: format!(
                            "không có đối tượng `{}` (các đối tượng: {known})",
                            r.entity.get_ref(),
                        ),
                        en: format!("unknown entity `{}` (entities: {known})", r.entity.get_ref()),
                    ),
                );
                continue;
            };
            let kind = match r.kind.get_ref().as_str() {
                "decision" => RuleKind::Decision,
                "value" => RuleKind::Value,
                "constraint" => RuleKind::Constraint,
                other => {
                    cx.out.diag_at(
                        fid,
                        &r.kind,
                        Code::RuleKind,
                        msg!(
                            vi: format!(
                                "loại quy tắc `{other}` không hợp lệ (decision, value, constraint)",
                            ),
                            en: format!("unknown rule kind `{other}` (decision, value, constraint)"),
                        ),
                    );
                    continue;
                }
            };
            let Some(idx) = names
                .get_mut(ent)
                .and_then(|names| names.declare(&mut cx.out, fid, &r.name))
            else {
                continue;
            };
            let name = r.name.get_ref().clone();
            let ty = match kind {
                RuleKind::Decision => Some(Ty::Bool),
                RuleKind::Value => match &r.ty {
                    Some(t) => cx.parse_type(fid, t),
                    None => {
                        cx.out.diag_at(
                            fid,
                            &r.name,
                            Code::RuleType,
                            msg!(
                                vi: format!("quy tắc giá trị `{name}` cần khai báo `type`"),
                                en: format!("value rule `{name}` needs a `type`"),
                            ),
                        );
                        None
                    }
                },
                RuleKind::Constraint => None,
            };
            if let (Some(ty), Some(types)) = (ty, table.types.get_mut(ent)) {
                types.insert(name, (idx, ty));
            }
            table.pending.push(Pending {
                file: fid,
                doc: r,
                entity: ent,
                kind,
                pack: d.pack.clone(),
            });
        }
    }
    table
}

/// Compiles every declared rule into its entity, in the order written.
pub(super) fn compile(cx: &mut Context, table: &RuleTable<'_>) {
    let empty = HashMap::new();
    for p in &table.pending {
        let types = table.types.get(p.entity).unwrap_or(&empty);
        let Some(rule) = compile_one(&mut cx.out, &cx.pack, types, p) else {
            continue;
        };
        if let Some(er) = cx.pack.entities.get_mut(p.entity) {
            let idx = er.rules.len();
            er.by_name.insert(rule.name.clone(), idx);
            er.rules.push(rule);
        }
    }
}

/// One rule, or `None` when it has problems (all reported).
fn compile_one(
    out: &mut Diags,
    pack: &Pack,
    types: &HashMap<String, (usize, Ty)>,
    p: &Pending<'_>,
) -> Option<Rule> {
    let (r, fid) = (p.doc, p.file);
    let root = pack.entities.get(p.entity).map(|e| e.record).unwrap_or(0);
    let mut scope = Scope {
        enums: &pack.enums,
        records: &pack.records,
        params: &pack.params,
        param_by_name: &pack.param_by_name,
        group_by_name: &pack.group_by_name,
        root,
        rules: types,
        locals: Vec::new(),
        vars: Vec::new(),
    };
    let (locals, mut failed) = lets(out, pack, fid, r, &mut scope);
    let value = compile_opt(out, fid, &mut scope, &r.value);
    let target = compile_opt(out, fid, &mut scope, &r.target);
    // constraints may iterate a list: `each = "managers"` binds `it`
    let mut each = None;
    if let Some(e) = &r.each {
        if let Some(a) = out.parse_expr(fid, e) {
            match scope.compile(&a) {
                Ok((ex, Ty::List(elem))) => {
                    let ptr = match &ex {
                        Ex::Field { ptr, .. } => ptr.to_string(),
                        _ => String::new(),
                    };
                    scope.vars.push(("it".into(), *elem));
                    each = Some((ex, ptr));
                }
                Ok((_, t)) => {
                    let tn = ty_name(&t, &pack.enums, &pack.records);
                    out.diag_at(
                        fid,
                        e,
                        Code::ExprType,
                        msg!(
                            vi: format!("`each` cần một danh sách, gặp {tn}"),
                            en: format!("`each` needs a list, found {tn}"),
                        ),
                    );
                    failed = true;
                }
                Err(errs) => {
                    out.expr_errors(fid, e, errs);
                    failed = true;
                }
            }
        }
    }
    let cond_src = if p.kind == RuleKind::Constraint {
        &r.require
    } else {
        &r.when
    };
    let when = compile_opt(out, fid, &mut scope, cond_src);
    let (Some(value), Some(target), Some(when)) = (value, target, when) else {
        return None;
    };
    if failed {
        return None;
    }
    if let Some((_, t)) = &when {
        if *t != Ty::Bool {
            let tn = ty_name(t, &pack.enums, &pack.records);
            if let Some(s) = cond_src {
                out.diag_at(
                    fid,
                    s,
                    Code::ExprType,
                    msg!(
                        vi: format!("điều kiện phải có kiểu đúng/sai, gặp {tn}"),
                        en: format!("a condition must be yes/no, found {tn}"),
                    ),
                );
            }
            return None;
        }
    }
    if !has_shape(out, p, when.is_some(), value.is_some()) {
        return None;
    }
    let mut value = value;
    if p.kind == RuleKind::Value {
        if let (Some((_, vt)), Some((_, declared))) = (&value, types.get(r.name.get_ref())) {
            let ok = vt == declared
                || (vt.is_num()
                    && declared.is_num()
                    && (!matches!(declared, Ty::Int) || matches!(vt, Ty::Int)))
                || matches!((vt, declared), (Ty::Str, Ty::Enum(_)));
            if !ok {
                let (a, b) = (
                    ty_name(vt, &pack.enums, &pack.records),
                    ty_name(declared, &pack.enums, &pack.records),
                );
                if let Some(s) = &r.value {
                    out.diag_at(
                        fid,
                        s,
                        Code::ExprType,
                        msg!(
                            vi: format!("giá trị có kiểu {a} nhưng quy tắc khai báo {b}"),
                            en: format!("the value has type {a} but the rule declares {b}"),
                        ),
                    );
                }
                return None;
            }
            if let Some(v) = value.as_mut() {
                v.1 = declared.clone();
            }
        }
    }
    let applies_in = match &r.applies_in {
        Some(g) => match pack.group_by_name.get(g.get_ref()) {
            Some(&i) => Some(i),
            None => {
                out.diag_at(
                    fid,
                    g,
                    Code::ExprUnknownPeriod,
                    msg!(
                        vi: format!("không có nhóm giai đoạn `{}`", g.get_ref()),
                        en: format!("unknown period group `{}`", g.get_ref()),
                    ),
                );
                return None;
            }
        },
        None => None,
    };
    let names: Vec<String> = locals.iter().map(|l| l.0.clone()).collect();
    let holes = Holes {
        locals: &names,
        value: value.is_some(),
        target: target.is_some(),
    };
    let mut args = Vec::new();
    let messages = messages::compile(out, pack, fid, &r.messages, &holes, &mut scope, &mut args)?;
    let mut source = Vec::new();
    for (k, v) in &r.lets {
        source.push((format!("let {k}"), v.get_ref().clone()));
    }
    for (k, v) in [
        ("each", &r.each),
        ("when", &r.when),
        ("require", &r.require),
        ("value", &r.value),
        ("target", &r.target),
    ] {
        if let Some(v) = v {
            source.push((k.to_string(), v.get_ref().clone()));
        }
    }
    Some(Rule {
        name: r.name.get_ref().clone(),
        kind: p.kind,
        internal: r.internal,
        title: r.title.clone(),
        applies_in,
        locals,
        args,
        when: when.map(|w| w.0),
        value,
        target,
        each,
        field: r.field.clone(),
        code: r.code.clone(),
        cite: cite(r.cite.get_ref()),
        interpretation: r.interpretation.clone(),
        confidence: r.confidence.clone(),
        messages,
        source,
        pack: p.pack.clone(),
        changed_by: r.reforms.clone(),
        reforms: Vec::new(),
    })
}

/// Compiles an optional expression: `Some(None)` when absent, `None` when it has problems.
fn compile_opt(
    out: &mut Diags,
    fid: usize,
    scope: &mut Scope<'_>,
    s: &Option<Spanned<String>>,
) -> Option<Option<(Ex, Ty)>> {
    let Some(s) = s else { return Some(None) };
    let a = out.parse_expr(fid, s)?;
    match scope.compile(&a) {
        Ok(x) => Some(Some(x)),
        Err(errs) => {
            out.expr_errors(fid, s, errs);
            None
        }
    }
}

/// Whether the rule has the parts its kind needs (reported when not).
fn has_shape(out: &mut Diags, p: &Pending<'_>, when: bool, value: bool) -> bool {
    let r = p.doc;
    let missing = match p.kind {
        RuleKind::Decision if !when => {
            msg!(vi: "quy tắc quyết định cần `when`", en: "a decision needs `when`")
        }
        RuleKind::Value if !value => {
            msg!(vi: "quy tắc giá trị cần `value`", en: "a value rule needs `value`")
        }
        RuleKind::Constraint if !when || r.field.is_none() || r.code.is_none() => msg!(
            vi: "ràng buộc cần `require`, `field` và `code`",
            en: "a constraint needs `require`, `field` and `code`",
        ),
        _ => return true,
    };
    out.diag_at(p.file, &r.name, Code::RuleShape, missing);
    false
}

/// The rule's `let`s, compiled in dependency order (each may use the ones before it), and
/// whether any failed.
fn lets(
    out: &mut Diags,
    pack: &Pack,
    fid: usize,
    r: &RuleDoc,
    scope: &mut Scope<'_>,
) -> (Vec<(String, Ex, Ty)>, bool) {
    let mut failed = false;
    let mut asts: BTreeMap<&str, (Ast, &Spanned<String>)> = BTreeMap::new();
    for (name, src) in &r.lets {
        if let Some(a) = out.parse_expr(fid, src) {
            asts.insert(name.as_str(), (a, src));
        } else {
            failed = true;
        }
    }
    // the lets in dependency order (each after the lets it uses), iteratively
    let names: Vec<&str> = asts.keys().copied().collect();
    let deps: Vec<Vec<usize>> = asts
        .values()
        .map(|(a, _)| {
            let mut heads = Vec::new();
            path_heads(a, &mut heads);
            heads
                .iter()
                .filter_map(|h| names.binary_search(&h.as_str()).ok())
                .collect()
        })
        .collect();
    let order: Vec<&str> = match dependency_order(&deps) {
        Ok(order) => order
            .iter()
            .filter_map(|&i| names.get(i).copied())
            .collect(),
        Err(cycle) => {
            let n = cycle
                .first()
                .and_then(|&i| names.get(i))
                .copied()
                .unwrap_or("");
            if let Some((_, src)) = asts.get(n) {
                out.diag_at(
                    fid,
                    *src,
                    Code::RuleCycle,
                    msg!(
                        vi: format!("`let {n}` tham chiếu chính nó"),
                        en: format!("`let {n}` refers to itself"),
                    ),
                );
            }
            failed = true;
            Vec::new()
        }
    };
    let mut locals = Vec::new();
    let root_fields = pack.records.get(scope.root).map(|r| &r.by_name);
    for n in &order {
        let Some((a, src)) = asts.get(n) else {
            continue;
        };
        if root_fields.is_some_and(|f| f.contains_key(*n)) {
            out.diag_at(
                fid,
                *src,
                Code::RuleShadow,
                msg!(
                    vi: format!("`let {n}` che khuất trường `{n}`"),
                    en: format!("`let {n}` hides the field `{n}`"),
                ),
            );
        }
        match scope.compile(a) {
            Ok((ex, ty)) => {
                scope.locals.push((n.to_string(), ty.clone()));
                locals.push((n.to_string(), ex, ty));
            }
            Err(errs) => {
                out.expr_errors(fid, src, errs);
                failed = true;
            }
        }
    }
    (locals, failed)
}

/// The first name of every path in an expression (what a `let` may refer to).
fn path_heads(a: &Ast, out: &mut Vec<String>) {
    match a {
        Ast::Path(p) => {
            if let Some((h, _)) = p.first() {
                out.push(h.clone());
            }
        }
        Ast::Lit(..) => {}
        Ast::Not(x, _) | Ast::Neg(x, _) => path_heads(x, out),
        Ast::Bin(_, x, y, _) => {
            path_heads(x, out);
            path_heads(y, out);
        }
        Ast::If(x, y, z, _) => {
            path_heads(x, out);
            path_heads(y, out);
            path_heads(z, out);
        }
        Ast::List(xs, _) | Ast::Call(_, xs, _) => xs.iter().for_each(|x| path_heads(x, out)),
        Ast::Quant {
            domain,
            filter,
            body,
            ..
        } => {
            path_heads(domain, out);
            if let Some(f) = filter {
                path_heads(f, out);
            }
            if let Some(b) = body {
                path_heads(b, out);
            }
        }
    }
}
