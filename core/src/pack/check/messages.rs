//! Message templates, and the lints that keep reasons readable.
//!
//! A rule's `messages.yes`, `messages.no` and `messages.unknown` are each one wording
//! (`{ vi, en }`) or a list of alternatives (`[{ vi, en, when }, …]`): the engine uses the first
//! whose `when` holds (none: always) and whose placeholders are all known. A placeholder is
//! `{value}`, `{target}`, `{missing}`, a `let` name, or a path the rule could read: a field
//! (`{workers.female}`, `{it.role}` in a constraint's `each`), `{as_of}`, `{rule.x}`,
//! `{param.y}`. Compiling them (called by the rules phase) reports a bad placeholder at its
//! own `file:line:col`.
//!
//! The lints (a phase of their own, on a pack with no errors) only warn:
//! - an outcome with messages but no wording sure to be usable: every alternative has a `when`,
//!   or a placeholder the outcome does not guarantee is known (`{women}` in `yes` when `when`
//!   only says that some woman manages; `{value}` in `no` when a `no` can come from another
//!   part of the condition). Which values an outcome guarantees is worked out from the
//!   condition: a `yes` of `a and b` knows both, a `no` of it neither, a comparison knows
//!   both sides; through `let`s and the rules it reads;
//! - an alternative after an always-usable one (never used);
//! - a field a rule reads that has no label (reasons name missing and invalid facts by label);
//! - a decision or value rule people see without a title (the last-resort reason).

use std::collections::BTreeSet;

use toml::Spanned;

use super::context::{Context, Diags};
use super::table::RuleTable;
use crate::codes::Code;
use crate::expr::compile::{ty_name, Scope};
use crate::expr::ir::{ArOp, Base, Builtin, Ex};
use crate::expr::syntax::{self, Ast};
use crate::model::{EntityRules, Messages, Pack, Part, Rule, RuleKind, Template};
use crate::pack::doc::{MessagesDoc, TemplateDoc};
use crate::text::Message;
use crate::value::Ty;

/// What a rule's templates may fill in besides paths.
pub(super) struct Holes<'a> {
    pub locals: &'a [String],
    pub value: bool,
    pub target: bool,
}

/// Compiles a rule's messages in its scope (its `let`s, and `it` for a constraint's `each`);
/// the paths they name are added to `args`. `None` when one has a problem (all reported).
pub(super) fn compile(
    out: &mut Diags,
    pack: &Pack,
    fid: usize,
    docs: &MessagesDoc,
    holes: &Holes<'_>,
    scope: &mut Scope<'_>,
    args: &mut Vec<(String, Ex, Ty)>,
) -> Option<Messages> {
    let mut ok = true;
    let mut list = |ts: &[TemplateDoc], args: &mut Vec<(String, Ex, Ty)>| -> Vec<Template> {
        let mut v = Vec::new();
        for t in ts {
            match template(out, pack, fid, t, holes, scope, args) {
                Some(t) => v.push(t),
                None => ok = false,
            }
        }
        v
    };
    let messages = Messages {
        yes: list(&docs.yes, args),
        no: list(&docs.no, args),
        unknown: list(&docs.unknown, args),
    };
    ok.then_some(messages)
}

fn template(
    out: &mut Diags,
    pack: &Pack,
    fid: usize,
    t: &TemplateDoc,
    holes: &Holes<'_>,
    scope: &mut Scope<'_>,
    args: &mut Vec<(String, Ex, Ty)>,
) -> Option<Template> {
    let vi = parts(out, pack, fid, &t.vi, holes, scope, args);
    let en = parts(out, pack, fid, &t.en, holes, scope, args);
    let when = match &t.when {
        None => Some(None),
        Some(w) => {
            let a = out.parse_expr(fid, w)?;
            match scope.compile(&a) {
                Ok((ex, Ty::Bool)) => Some(Some(ex)),
                Ok((_, ty)) => {
                    let tn = ty_name(&ty, &pack.enums, &pack.records);
                    out.diag_at(
                        fid,
                        w,
                        Code::MessageWhen,
                        msg!(
                            vi: format!("`when` của một lời giải thích phải có kiểu đúng/sai, gặp {tn}"),
                            en: format!("a message's `when` must be yes/no, found {tn}"),
                        ),
                    );
                    None
                }
                Err(errs) => {
                    out.expr_errors(fid, w, errs);
                    None
                }
            }
        }
    };
    Some(Template {
        vi: vi?,
        en: en?,
        when: when?,
        source: msg!(vi: t.vi.get_ref().clone(), en: t.en.get_ref().clone()),
        when_source: t.when.as_ref().map(|w| w.get_ref().clone()),
    })
}

/// The parts of one text; `None` when a placeholder is bad (reported where it is written).
fn parts(
    out: &mut Diags,
    pack: &Pack,
    fid: usize,
    s: &Spanned<String>,
    holes: &Holes<'_>,
    scope: &mut Scope<'_>,
    args: &mut Vec<(String, Ex, Ty)>,
) -> Option<Vec<Part>> {
    let text = s.get_ref();
    let mut parts = Vec::new();
    let mut ok = true;
    let mut pos = 0;
    while let Some(rel) = text.get(pos..).and_then(|r| r.find(['{', '}'])) {
        let open = pos + rel;
        if open > pos {
            parts.push(Part::Text(text.get(pos..open).unwrap_or("").to_string()));
        }
        let close = match text.get(open..).and_then(|r| {
            r.starts_with('{')
                .then(|| r.get(1..).and_then(|x| x.find(['{', '}'])))
                .flatten()
        }) {
            Some(c) if text.get(open + 1 + c..).is_some_and(|r| r.starts_with('}')) => open + 1 + c,
            _ => {
                let at = locate(out, fid, s, open, 1);
                out.diag(
                    fid,
                    at,
                    Code::MessagePlaceholder,
                    msg!(
                        vi: "dấu `{` hoặc `}` không thành cặp: chỗ điền viết là `{tên}`",
                        en: "unpaired `{` or `}`: a placeholder is written `{name}`",
                    ),
                );
                return None;
            }
        };
        let name = text.get(open + 1..close).unwrap_or("").trim();
        match hole(pack, name, holes, scope, args) {
            Ok(p) => parts.push(p),
            Err(m) => {
                let at = locate(out, fid, s, open, name.len() + 2);
                out.diag(fid, at, Code::MessagePlaceholder, m);
                ok = false;
            }
        }
        pos = close + 1;
    }
    if pos < text.len() {
        parts.push(Part::Text(text.get(pos..).unwrap_or("").to_string()));
    }
    ok.then_some(parts)
}

/// The byte offset in the file of the text at `at` (of length `len`) of the string written in
/// `s`: the same text is looked for in the source, so escapes before it do not shift it.
fn locate(out: &Diags, fid: usize, s: &Spanned<String>, at: usize, len: usize) -> usize {
    let body = out.body_of(fid, s);
    let decoded = s.get_ref();
    let needle = decoded.get(at..at + len).unwrap_or("");
    let nth = decoded
        .get(..at)
        .map(|before| before.matches(needle).count())
        .unwrap_or(0);
    let raw = out.slice(fid, body, s.span().end.max(body));
    if needle.is_empty() {
        return body;
    }
    raw.match_indices(needle)
        .nth(nth)
        .map(|(i, _)| body + i)
        .unwrap_or(body)
}

fn hole(
    pack: &Pack,
    name: &str,
    holes: &Holes<'_>,
    scope: &mut Scope<'_>,
    args: &mut Vec<(String, Ex, Ty)>,
) -> Result<Part, Message> {
    match name {
        "value" if holes.value => return Ok(Part::Value),
        "target" if holes.target => return Ok(Part::Target),
        "missing" => return Ok(Part::Missing),
        n => {
            if let Some(i) = holes.locals.iter().position(|l| l == n) {
                return Ok(Part::Local(i));
            }
        }
    }
    if let Some(i) = args.iter().position(|(n, _, _)| n == name) {
        return Ok(Part::Arg(i));
    }
    let unknown = || {
        msg!(
            vi: format!(
                "chỗ điền `{{{name}}}` không hợp lệ: cần value, target, missing, tên một `let` hoặc một trường (`workers.female`)"
            ),
            en: format!(
                "unknown placeholder `{{{name}}}`: expected value, target, missing, a `let` name or a field path (`workers.female`)"
            ),
        )
    };
    let Ok(ast @ Ast::Path(_)) = syntax::parse(name) else {
        return Err(unknown());
    };
    let (ex, ty) = scope.compile(&ast).map_err(|_| unknown())?;
    if matches!(ty, Ty::List(_) | Ty::Rec(_)) {
        let tn = ty_name(&ty, &pack.enums, &pack.records);
        return Err(msg!(
            vi: format!("chỗ điền `{{{name}}}` phải là một giá trị, gặp {tn}"),
            en: format!("placeholder `{{{name}}}` must be a single value, found {tn}"),
        ));
    }
    args.push((name.to_string(), ex, ty));
    Ok(Part::Arg(args.len() - 1))
}

// ---- the lints

/// Which outcome a set of templates is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    True,
    False,
    /// Known, either way (or any value).
    Known,
}

fn flip(c: Class) -> Class {
    match c {
        Class::True => Class::False,
        Class::False => Class::True,
        Class::Known => Class::Known,
    }
}

/// One outcome's wordings to lint: its name, the compiled and written templates, what the
/// outcome says about the condition (or the value), and whether the value is known then.
type Outcome<'a> = (
    &'static str,
    &'a [Template],
    &'a [TemplateDoc],
    Option<(&'a Ex, Class)>,
    bool,
);

/// Expressions, by their printed form.
type Keys = BTreeSet<String>;

fn key(e: &Ex) -> String {
    format!("{e:?}")
}

/// Works out which values an outcome guarantees are known.
struct Known<'a> {
    er: &'a EntityRules,
    rule: &'a Rule,
}

impl Known<'_> {
    /// What is known when `e` came out known as `c`.
    fn under(&self, e: &Ex, c: Class, depth: usize) -> Keys {
        let mut s = Keys::new();
        if depth > 32 {
            return s;
        }
        let d = depth + 1;
        let both = |a: Keys, b: Keys| a.union(&b).cloned().collect::<Keys>();
        let common = |a: Keys, b: Keys| a.intersection(&b).cloned().collect::<Keys>();
        match e {
            Ex::And(a, b) | Ex::Or(a, b) => {
                let and = matches!(e, Ex::And(..));
                // `a and b` true (`a or b` false): both parts are; otherwise one part decides
                let all = if and { Class::True } else { Class::False };
                let one = flip(all);
                s = match c {
                    x if x == all => both(self.under(a, all, d), self.under(b, all, d)),
                    x if x == one => common(self.under(a, one, d), self.under(b, one, d)),
                    _ => common(
                        both(self.under(a, all, d), self.under(b, all, d)),
                        common(self.under(a, one, d), self.under(b, one, d)),
                    ),
                };
            }
            Ex::Not(a) => s = self.under(a, flip(c), d),
            Ex::Neg(a) => s = self.under(a, Class::Known, d),
            Ex::Cmp(_, a, b) | Ex::In(a, b, _) | Ex::Arith(_, a, b) => {
                s = both(
                    self.under(a, Class::Known, d),
                    self.under(b, Class::Known, d),
                );
            }
            Ex::Call(_, args) => {
                for a in args {
                    s.extend(self.under(a, Class::Known, d));
                }
            }
            Ex::If(cond, t, f) => {
                s = both(
                    self.under(cond, Class::Known, d),
                    common(self.under(t, c, d), self.under(f, c, d)),
                );
            }
            Ex::Quant { domain, .. } => s = self.under(domain, Class::Known, d),
            Ex::Param { at: Some(a), .. } => s = self.under(a, Class::Known, d),
            Ex::Local(i) => {
                if let Some((_, ex, _)) = self.rule.locals.get(*i) {
                    s = self.under(ex, c, d);
                }
            }
            Ex::Rule(r) => {
                // a decision known as yes/no had its condition known so; a value rule its value
                if let Some(other) = self.er.rules.get(*r) {
                    let inner = Known {
                        er: self.er,
                        rule: other,
                    };
                    match (other.kind, &other.when, &other.value) {
                        (RuleKind::Decision, Some(w), _) => s = inner.under_rule(w, c, d),
                        (RuleKind::Value, _, Some((v, _))) => {
                            s = inner.under_rule(v, Class::Known, d)
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        s.insert(key(e));
        s
    }

    /// What another rule's condition or value guarantees: only what does not depend on its
    /// own `let`s (their indices are its own).
    fn under_rule(&self, e: &Ex, c: Class, depth: usize) -> Keys {
        let mut s = self.under(e, c, depth);
        s.retain(|k| !k.contains("Local("));
        s
    }

    /// Whether `e` is sure to be known when everything in `k` is.
    fn known(&self, e: &Ex, k: &Keys, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        if k.contains(&key(e)) {
            return true;
        }
        let d = depth + 1;
        match e {
            Ex::Const(_) | Ex::AsOf | Ex::Present(_) => true,
            Ex::Local(i) => self
                .rule
                .locals
                .get(*i)
                .is_some_and(|(_, ex, _)| self.known(ex, k, d)),
            Ex::Not(a) | Ex::Neg(a) => self.known(a, k, d),
            Ex::Arith(ArOp::Div, ..) => false,
            Ex::Cmp(_, a, b)
            | Ex::In(a, b, _)
            | Ex::Arith(_, a, b)
            | Ex::And(a, b)
            | Ex::Or(a, b) => self.known(a, k, d) && self.known(b, k, d),
            Ex::Coalesce(a, b) => self.known(a, k, d) || self.known(b, k, d),
            Ex::If(c, t, f) => self.known(c, k, d) && self.known(t, k, d) && self.known(f, k, d),
            Ex::Call(b, args) => {
                matches!(
                    b,
                    Builtin::Year | Builtin::Min | Builtin::Max | Builtin::Len
                ) && args.iter().all(|a| self.known(a, k, d))
            }
            _ => false,
        }
    }

    /// Whether a placeholder is sure to be known given `k`.
    fn hole(&self, p: &Part, k: &Keys, value_known: bool) -> bool {
        match p {
            Part::Text(_) => true,
            Part::Value => {
                value_known
                    || self
                        .rule
                        .value
                        .as_ref()
                        .is_some_and(|(e, _)| self.known(e, k, 0))
            }
            Part::Target => self
                .rule
                .target
                .as_ref()
                .is_some_and(|(e, _)| self.known(e, k, 0)),
            Part::Local(i) => self.known(&Ex::Local(*i), k, 0),
            Part::Arg(i) => self
                .rule
                .args
                .get(*i)
                .is_some_and(|(_, e, _)| self.known(e, k, 0)),
            // the list can be empty (an unknown from a note)
            Part::Missing => false,
        }
    }
}

/// Lints the messages, fields and titles of every compiled rule (on a pack without errors,
/// so rule indices are those the expressions use).
pub(super) fn lint(cx: &mut Context, table: &RuleTable<'_>) {
    let mut unlabelled: BTreeSet<(usize, usize)> = BTreeSet::new();
    for p in &table.pending {
        let Some(er) = cx.pack.entities.get(p.entity) else {
            continue;
        };
        let Some(rule) = er
            .by_name
            .get(p.doc.name.get_ref())
            .and_then(|&i| er.rules.get(i))
        else {
            continue;
        };
        let out = &mut cx.out;
        let visible = !rule.internal && rule.kind != RuleKind::Constraint;
        if visible && rule.title.is_none() {
            out.warn(
                p.file,
                p.doc.name.span().start,
                Code::LintRuleTitle,
                msg!(
                    vi: format!("quy tắc `{}` chưa có `title`: lời giải thích dự phòng sẽ dùng tên quy tắc", rule.name),
                    en: format!("rule `{}` has no `title`: the last-resort reason would show its name", rule.name),
                ),
            );
        }
        if !rule.internal {
            let known = Known { er, rule };
            let outcomes: Vec<Outcome<'_>> = match rule.kind {
                RuleKind::Decision => {
                    let w = rule.when.as_ref();
                    vec![
                        (
                            "yes",
                            &rule.messages.yes,
                            &p.doc.messages.yes,
                            w.map(|w| (w, Class::True)),
                            false,
                        ),
                        (
                            "no",
                            &rule.messages.no,
                            &p.doc.messages.no,
                            w.map(|w| (w, Class::False)),
                            false,
                        ),
                        (
                            "unknown",
                            &rule.messages.unknown,
                            &p.doc.messages.unknown,
                            None,
                            false,
                        ),
                    ]
                }
                RuleKind::Value => vec![
                    (
                        "yes",
                        &rule.messages.yes,
                        &p.doc.messages.yes,
                        rule.value.as_ref().map(|(v, _)| (v, Class::Known)),
                        true,
                    ),
                    (
                        "unknown",
                        &rule.messages.unknown,
                        &p.doc.messages.unknown,
                        None,
                        false,
                    ),
                ],
                RuleKind::Constraint => vec![(
                    "no",
                    &rule.messages.no,
                    &p.doc.messages.no,
                    rule.when.as_ref().map(|w| (w, Class::False)),
                    false,
                )],
            };
            for (name, ts, docs, cond, value_known) in outcomes {
                if ts.is_empty() || ts.len() != docs.len() {
                    continue;
                }
                let k = cond.map(|(e, c)| known.under(e, c, 0)).unwrap_or_default();
                let sure = |t: &Template| {
                    t.when.is_none() && t.holes().all(|h| known.hole(h, &k, value_known))
                };
                match ts.iter().position(sure) {
                    None => {
                        let at = docs.last().map(|d| d.span.start).unwrap_or(0);
                        let unsure: BTreeSet<String> = ts
                            .iter()
                            .flat_map(|t| t.holes())
                            .filter(|h| !known.hole(h, &k, value_known))
                            .map(|h| hole_name(rule, h))
                            .collect();
                        let list = unsure.into_iter().collect::<Vec<_>>().join(", ");
                        out.warn(
                            p.file,
                            at,
                            Code::LintMessageFallback,
                            msg!(
                                vi: format!(
                                    "`messages.{name}` của `{}` không có lời nào chắc chắn dùng được (không có `when`, và mọi chỗ điền đều đã biết khi kết quả là {name}; có thể chưa biết: {list}): thêm một lời không cần chúng, nếu không lời giải thích dùng tiêu đề quy tắc",
                                    rule.name,
                                ),
                                en: format!(
                                    "`messages.{name}` of `{}` has no wording sure to be usable (no `when`, and every placeholder known whenever the outcome is {name}; may be unknown: {list}): add one without them, or the reason falls back to the rule's title",
                                    rule.name,
                                ),
                            ),
                        );
                    }
                    Some(i) => {
                        if let Some(d) = docs.get(i + 1) {
                            out.warn(
                                p.file,
                                d.span.start,
                                Code::LintMessageUnreachable,
                                msg!(
                                    vi: format!("lời này không bao giờ được dùng: lời thứ {} của `messages.{name}` luôn dùng được", i + 1),
                                    en: format!("this wording is never used: wording {} of `messages.{name}` is always usable", i + 1),
                                ),
                            );
                        }
                    }
                }
            }
        }
        // fields read by the rule (its messages too) without a label
        let pack = &cx.pack;
        let mut vars: Vec<Option<usize>> = Vec::new();
        let mut read = BTreeSet::new();
        let mut exprs: Vec<&Ex> = Vec::new();
        exprs.extend(rule.locals.iter().map(|l| &l.1));
        exprs.extend(rule.args.iter().map(|a| &a.1));
        exprs.extend(rule.when.iter());
        exprs.extend(rule.value.iter().map(|v| &v.0));
        exprs.extend(rule.target.iter().map(|v| &v.0));
        for t in rule
            .messages
            .yes
            .iter()
            .chain(&rule.messages.no)
            .chain(&rule.messages.unknown)
        {
            exprs.extend(t.when.iter());
        }
        if let Some((each, _)) = &rule.each {
            reads(pack, er.record, each, &mut vars, &mut read);
            vars = vec![element_record(pack, er.record, each, &[])];
        }
        for e in exprs {
            reads(pack, er.record, e, &mut vars, &mut read);
        }
        for (rec, f) in read {
            let Some(rt) = pack.records.get(rec) else {
                continue;
            };
            let Some(fd) = rt.fields.get(f) else { continue };
            if fd.label.is_none() && unlabelled.insert((rec, f)) {
                let path = format!("{}.{}", rt.name, fd.name);
                cx.out.warn(
                    p.file,
                    p.doc.name.span().start,
                    Code::LintFieldLabel,
                    msg!(
                        vi: format!("quy tắc `{}` đọc trường `{path}`, trường này chưa có `label`: lời giải thích sẽ gọi nó bằng tên", rule.name),
                        en: format!("rule `{}` reads the field `{path}`, which has no `label`: reasons would call it by its name", rule.name),
                    ),
                );
            }
        }
    }
}

/// How a placeholder is written, for a warning.
fn hole_name(rule: &Rule, p: &Part) -> String {
    match p {
        Part::Text(_) => String::new(),
        Part::Value => "{value}".into(),
        Part::Target => "{target}".into(),
        Part::Missing => "{missing}".into(),
        Part::Local(i) => format!(
            "{{{}}}",
            rule.locals.get(*i).map(|l| l.0.as_str()).unwrap_or("")
        ),
        Part::Arg(i) => format!(
            "{{{}}}",
            rule.args.get(*i).map(|l| l.0.as_str()).unwrap_or("")
        ),
    }
}

/// The record a field path starts from, and the fields it goes through, added to `out` as
/// (record, field index); returns the type of the last one.
fn walk(
    pack: &Pack,
    mut rec: usize,
    slots: &[usize],
    out: &mut BTreeSet<(usize, usize)>,
) -> Option<Ty> {
    let mut ty = None;
    for s in slots {
        let f = pack.records.get(rec)?.fields.get(*s)?;
        out.insert((rec, *s));
        if let Ty::Rec(r) = f.ty {
            rec = r;
        }
        ty = Some(f.ty.clone());
    }
    ty
}

/// The record type of the items of a list-of-records expression.
fn element_record(pack: &Pack, root: usize, e: &Ex, vars: &[Option<usize>]) -> Option<usize> {
    let Ex::Field { base, slots, .. } = e else {
        return None;
    };
    let start = match base {
        Base::Root => root,
        Base::Var(k) => (*vars.get(*k)?)?,
    };
    match walk(pack, start, slots, &mut BTreeSet::new())? {
        Ty::List(inner) => match *inner {
            Ty::Rec(r) => Some(r),
            _ => None,
        },
        _ => None,
    }
}

/// Every field `e` reads, as (record, field index).
fn reads(
    pack: &Pack,
    root: usize,
    e: &Ex,
    vars: &mut Vec<Option<usize>>,
    out: &mut BTreeSet<(usize, usize)>,
) {
    match e {
        Ex::Field { base, slots, .. } => {
            let start = match base {
                Base::Root => Some(root),
                Base::Var(k) => vars.get(*k).copied().flatten(),
            };
            if let Some(start) = start {
                walk(pack, start, slots, out);
            }
        }
        Ex::Const(_)
        | Ex::Unknown
        | Ex::Var(_)
        | Ex::Local(_)
        | Ex::Rule(_)
        | Ex::AsOf
        | Ex::Param { at: None, .. } => {}
        Ex::Param { at: Some(a), .. } | Ex::Not(a) | Ex::Neg(a) | Ex::Present(a) => {
            reads(pack, root, a, vars, out)
        }
        Ex::And(a, b)
        | Ex::Or(a, b)
        | Ex::Cmp(_, a, b)
        | Ex::In(a, b, _)
        | Ex::Arith(_, a, b)
        | Ex::Coalesce(a, b) => {
            reads(pack, root, a, vars, out);
            reads(pack, root, b, vars, out);
        }
        Ex::If(a, b, c) => {
            reads(pack, root, a, vars, out);
            reads(pack, root, b, vars, out);
            reads(pack, root, c, vars, out);
        }
        Ex::Call(_, args) => args.iter().for_each(|a| reads(pack, root, a, vars, out)),
        Ex::Quant {
            var,
            domain,
            filter,
            body,
            ..
        } => {
            reads(pack, root, domain, vars, out);
            let item = element_record(pack, root, domain, vars);
            let saved = vars.clone();
            vars.resize(*var + 1, None);
            if let Some(slot) = vars.get_mut(*var) {
                *slot = item;
            }
            if let Some(f) = filter {
                reads(pack, root, f, vars, out);
            }
            if let Some(b) = body {
                reads(pack, root, b, vars, out);
            }
            *vars = saved;
        }
    }
}
