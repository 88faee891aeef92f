//! The type checker: resolves names and checks types, turning an [`Ast`] into typed [`Ex`].

use std::collections::HashMap;

use crate::codes::Code;
use crate::expr::ir::{ArOp, Base, Builtin, CmpOp, Ex, QuantKind};
use crate::expr::syntax::{Ast, BinOp, Lit, Span};
use crate::limits::some_of;
use crate::model::{EnumType, Param, RecordType};
use crate::text::{Message, Unit};
use crate::value::{Ty, Val};

/// A problem found while checking an expression.
#[derive(Clone, Debug)]
pub(crate) struct CompileError {
    pub span: Span,
    pub code: Code,
    pub message: Message,
}

pub(crate) struct Scope<'p> {
    pub enums: &'p [EnumType],
    pub records: &'p [RecordType],
    pub params: &'p [Param],
    pub param_by_name: &'p HashMap<String, usize>,
    pub group_by_name: &'p HashMap<String, usize>,
    pub root: usize,
    pub rules: &'p HashMap<String, (usize, Ty)>,
    pub locals: Vec<(String, Ty)>,
    pub vars: Vec<(String, Ty)>,
}

fn e(span: Span, code: Code, message: Message) -> CompileError {
    CompileError {
        span,
        code,
        message,
    }
}

pub(crate) fn ty_name(t: &Ty, enums: &[EnumType], records: &[RecordType]) -> String {
    match t {
        Ty::Bool => "bool".into(),
        Ty::Int => "integer".into(),
        Ty::Dec(Unit::Plain) => "decimal".into(),
        Ty::Dec(Unit::Share) => "share".into(),
        Ty::Dec(Unit::Money) => "money".into(),
        Ty::Date => "date".into(),
        Ty::Str => "string".into(),
        Ty::Enum(i) => enums.get(*i).map(|x| x.name.clone()).unwrap_or_default(),
        Ty::Rec(i) => records.get(*i).map(|x| x.name.clone()).unwrap_or_default(),
        Ty::List(t) => format!("list<{}>", ty_name(t, enums, records)),
    }
}

type R = Result<(Ex, Ty), Vec<CompileError>>;

impl Scope<'_> {
    fn tn(&self, t: &Ty) -> String {
        ty_name(t, self.enums, self.records)
    }

    fn expect(&self, got: &Ty, want: &str, ok: bool, span: Span) -> Result<(), Vec<CompileError>> {
        if ok {
            Ok(())
        } else {
            let g = self.tn(got);
            let want_vi = match want {
                "a yes/no value" => "giá trị đúng/sai",
                "a yes/no condition" => "điều kiện đúng/sai",
                "a yes/no filter" => "bộ lọc đúng/sai",
                "a number" => "một số",
                "a number to sum" => "một số để cộng",
                "a date" => "một ngày",
                "a list" => "một danh sách",
                other => other,
            };
            Err(vec![e(
                span,
                Code::ExprType,
                msg!(
                    vi: format!("cần {want_vi}, nhưng biểu thức có kiểu {g}"),
                    en: format!("expected {want}, found a value of type {g}"),
                ),
            )])
        }
    }

    pub(crate) fn compile(&mut self, ast: &Ast) -> R {
        match ast {
            Ast::Lit(l, _) => Ok(lit(l)),
            Ast::List(items, span) => {
                let mut vals = Vec::new();
                let mut elem: Option<Ty> = None;
                let mut errs = Vec::new();
                for it in items {
                    match it {
                        Ast::Lit(Lit::Unknown, s) => errs.push(e(
                            s.clone(),
                            Code::ExprType,
                            msg!(
                                vi: "`unknown` không thể là phần tử của danh sách",
                                en: "`unknown` cannot be a list item",
                            ),
                        )),
                        Ast::Lit(l, s) => {
                            let (ex, t) = lit(l);
                            if let Some(prev) = &elem {
                                if !same_kind(prev, &t) {
                                    errs.push(e(
                                        s.clone(),
                                        Code::ExprType,
                                        msg!(
                                            vi: "các phần tử của danh sách phải cùng kiểu",
                                            en: "list items must all have one type",
                                        ),
                                    ));
                                }
                            } else {
                                elem = Some(t);
                            }
                            if let Ex::Const(v) = ex {
                                vals.push(v);
                            }
                        }
                        other => errs.push(e(
                            other.span(),
                            Code::ExprType,
                            msg!(
                                vi: "phần tử của danh sách phải là giá trị cụ thể",
                                en: "list items must be literal values",
                            ),
                        )),
                    }
                }
                if !errs.is_empty() {
                    return Err(errs);
                }
                let _ = span;
                Ok((
                    Ex::Const(Val::List(vals)),
                    Ty::List(Box::new(elem.unwrap_or(Ty::Str))),
                ))
            }
            Ast::Path(parts) => self.path(parts),
            Ast::Not(a, _) => {
                let (x, t) = self.compile(a)?;
                self.expect(&t, "a yes/no value", t == Ty::Bool, a.span())?;
                Ok((Ex::Not(Box::new(x)), Ty::Bool))
            }
            Ast::Neg(a, _) => {
                let (x, t) = self.compile(a)?;
                self.expect(&t, "a number", t.is_num(), a.span())?;
                Ok((Ex::Neg(Box::new(x)), t))
            }
            Ast::If(c, a, b, span) => {
                let (c2, ct) = self.compile(c)?;
                self.expect(&ct, "a yes/no condition", ct == Ty::Bool, c.span())?;
                let (a2, at) = self.compile(a)?;
                let (b2, bt) = self.compile(b)?;
                let (at, bt) = typed_unknown(a, at, b, bt);
                let t = unify(&at, &bt).ok_or_else(|| {
                    vec![e(
                        span.clone(),
                        Code::ExprType,
                        msg!(
                            vi: format!(
                                "hai nhánh có kiểu khác nhau: {} và {}",
                                self.tn(&at),
                                self.tn(&bt),
                            ),
                            en: format!(
                                "the branches have different types: {} and {}",
                                self.tn(&at),
                                self.tn(&bt),
                            ),
                        ),
                    )]
                })?;
                Ok((Ex::If(Box::new(c2), Box::new(a2), Box::new(b2)), t))
            }
            Ast::Bin(op, a, b, span) => self.binary(*op, a, b, span.clone()),
            Ast::Call(name, args, span) => self.call(name, args, span.clone()),
            Ast::Quant {
                kind,
                var,
                domain,
                filter,
                body,
                span,
            } => {
                let (d, dt) = self.compile(domain)?;
                let Ty::List(elem) = dt.clone() else {
                    return Err(vec![e(
                        domain.span(),
                        Code::ExprType,
                        msg!(
                            vi: format!("lượng từ phải chạy trên một danh sách, gặp {}", self.tn(&dt)),
                            en: format!("a quantifier ranges over a list, found {}", self.tn(&dt)),
                        ),
                    )]);
                };
                let idx = self.vars.len();
                self.vars.push((var.clone(), (*elem).clone()));
                let res = (|| {
                    let f = match filter {
                        Some(f) => {
                            let (fx, ft) = self.compile(f)?;
                            self.expect(&ft, "a yes/no filter", ft == Ty::Bool, f.span())?;
                            Some(Box::new(fx))
                        }
                        None => None,
                    };
                    let (b, t) = match body {
                        Some(b) => {
                            let (bx, bt) = self.compile(b)?;
                            match kind {
                                QuantKind::Sum => {
                                    self.expect(&bt, "a number to sum", bt.is_num(), b.span())?
                                }
                                _ => self.expect(
                                    &bt,
                                    "a yes/no condition",
                                    bt == Ty::Bool,
                                    b.span(),
                                )?,
                            }
                            (Some(Box::new(bx)), bt)
                        }
                        None => (None, Ty::Bool),
                    };
                    let out_t = match kind {
                        QuantKind::Any | QuantKind::All => Ty::Bool,
                        QuantKind::Count => Ty::Int,
                        QuantKind::Sum => t,
                    };
                    Ok((
                        Ex::Quant {
                            kind: *kind,
                            var: idx,
                            domain: Box::new(d),
                            filter: f,
                            body: b,
                        },
                        out_t,
                    ))
                })();
                self.vars.pop();
                let _ = span;
                res
            }
        }
    }

    fn path(&mut self, parts: &[(String, Span)]) -> R {
        let Some((head, hspan)) = parts.first() else {
            return Err(vec![]);
        };
        let rest = parts.get(1..).unwrap_or(&[]);
        if head == "as_of" && rest.is_empty() {
            return Ok((Ex::AsOf, Ty::Date));
        }
        if head == "param" {
            let Some((name, nspan)) = rest.first() else {
                return Err(vec![e(
                    hspan.clone(),
                    Code::ExprSyntax,
                    msg!(vi: "`param.` cần một tên", en: "`param.` needs a name"),
                )]);
            };
            let Some(&id) = self.param_by_name.get(name) else {
                return Err(vec![e(
                    nspan.clone(),
                    Code::ExprUnknownParam,
                    msg!(
                        vi: format!("không có tham số `{name}`"),
                        en: format!("unknown parameter `{name}`"),
                    ),
                )]);
            };
            let ty = self
                .params
                .get(id)
                .map(|p| p.ty.clone())
                .unwrap_or(Ty::Bool);
            return self.members(
                Ex::Param { id, at: None },
                ty,
                rest.get(1..).unwrap_or(&[]),
                None,
            );
        }
        if head == "rule" {
            let Some((name, nspan)) = rest.first() else {
                return Err(vec![e(
                    hspan.clone(),
                    Code::ExprSyntax,
                    msg!(vi: "`rule.` cần một tên", en: "`rule.` needs a name"),
                )]);
            };
            let Some((id, ty)) = self.rules.get(name).cloned() else {
                return Err(vec![e(
                    nspan.clone(),
                    Code::ExprUnknownRule,
                    msg!(
                        vi: format!("không có quy tắc `{name}` cho đối tượng này"),
                        en: format!("unknown rule `{name}` for this entity"),
                    ),
                )]);
            };
            return self.members(Ex::Rule(id), ty, rest.get(1..).unwrap_or(&[]), None);
        }
        if let Some(i) = self.vars.iter().rposition(|(n, _)| n == head) {
            let ty = self.vars.get(i).map(|v| v.1.clone()).unwrap_or(Ty::Bool);
            return self.members(Ex::Var(i), ty, rest, Some(Base::Var(i)));
        }
        if let Some(i) = self.locals.iter().position(|(n, _)| n == head) {
            let ty = self.locals.get(i).map(|v| v.1.clone()).unwrap_or(Ty::Bool);
            return self.members(Ex::Local(i), ty, rest, None);
        }
        self.members(Ex::AsOf, Ty::Rec(self.root), parts, Some(Base::Root))
    }

    /// Field access `.a.b` on a value of type `ty`; `base` is set when the value is a record
    /// whose fields are facts (so absent fields are reported with their JSON Pointer).
    fn members(&mut self, start: Ex, ty: Ty, parts: &[(String, Span)], base: Option<Base>) -> R {
        if parts.is_empty() {
            return Ok((start, ty));
        }
        let Some(base) = base else {
            let sp = parts.first().map(|p| p.1.clone()).unwrap_or(0..0);
            return Err(vec![e(
                sp,
                Code::ExprType,
                msg!(
                    vi: "chỉ bản ghi dữ kiện mới có trường",
                    en: "only records from the facts have fields",
                ),
            )]);
        };
        let mut slots = Vec::new();
        let mut ptr = String::new();
        let mut cur = ty;
        for (name, span) in parts {
            let Ty::Rec(r) = cur else {
                return Err(vec![e(
                    span.clone(),
                    Code::ExprType,
                    msg!(
                        vi: format!("`{name}`: giá trị kiểu {} không có trường", self.tn(&cur)),
                        en: format!("`{name}`: a value of type {} has no fields", self.tn(&cur)),
                    ),
                )]);
            };
            let Some(rec) = self.records.get(r) else {
                return Err(vec![]);
            };
            let Some(&slot) = rec.by_name.get(name) else {
                let known = some_of(rec.fields.iter().map(|f| f.name.as_str()));
                return Err(vec![e(
                    span.clone(),
                    Code::ExprUnknownField,
                    msg!(
                        vi: format!("`{}` không có trường `{name}` (các trường: {known})", rec.name),
                        en: format!("`{}` has no field `{name}` (fields: {known})", rec.name),
                    ),
                )]);
            };
            slots.push(slot);
            ptr.push('/');
            ptr.push_str(name);
            cur = rec
                .fields
                .get(slot)
                .map(|f| f.ty.clone())
                .unwrap_or(Ty::Bool);
        }
        Ok((
            Ex::Field {
                base,
                slots: slots.into(),
                ptr: ptr.into(),
            },
            cur,
        ))
    }

    fn binary(&mut self, op: BinOp, a: &Ast, b: &Ast, span: Span) -> R {
        if op == BinOp::At {
            let (ax, at) = self.compile(a)?;
            let Ex::Param { id, at: None } = ax else {
                return Err(vec![e(
                    a.span(),
                    Code::ExprType,
                    msg!(
                        vi: "`at` chỉ dùng cho tham số: `param.tên at ngày`",
                        en: "`at` applies to a parameter: `param.name at date`",
                    ),
                )]);
            };
            let (bx, bt) = self.compile(b)?;
            self.expect(&bt, "a date", bt == Ty::Date, b.span())?;
            return Ok((
                Ex::Param {
                    id,
                    at: Some(Box::new(bx)),
                },
                at,
            ));
        }
        let (ax, at) = self.compile(a)?;
        let (bx, bt) = self.compile(b)?;
        let (ax, bx) = (Box::new(ax), Box::new(bx));
        if !matches!(op, BinOp::And | BinOp::Or | BinOp::Coalesce) {
            if let Some(u) = [a, b].into_iter().find(|x| is_unknown(x)) {
                return Err(vec![e(
                    u.span(),
                    Code::ExprType,
                    msg!(
                        vi: format!(
                            "`{}` với `unknown` luôn cho kết quả chưa xác định: dùng `unknown` làm một nhánh của `if` hoặc `??`, hoặc làm cả điều kiện",
                            op.symbol()
                        ),
                        en: format!(
                            "`{}` with `unknown` is always unknown: use `unknown` as a branch of `if` or `??`, or as a whole condition",
                            op.symbol()
                        ),
                    ),
                )]);
            }
        }
        match op {
            BinOp::And | BinOp::Or => {
                self.expect(&at, "a yes/no value", at == Ty::Bool, a.span())?;
                self.expect(&bt, "a yes/no value", bt == Ty::Bool, b.span())?;
                Ok((
                    if op == BinOp::And {
                        Ex::And(ax, bx)
                    } else {
                        Ex::Or(ax, bx)
                    },
                    Ty::Bool,
                ))
            }
            BinOp::Coalesce => {
                let (at, bt) = typed_unknown(a, at, b, bt);
                let t = unify(&at, &bt).ok_or_else(|| {
                    vec![e(
                        span.clone(),
                        Code::ExprType,
                        msg!(
                            vi: format!(
                                "hai vế của `??` khác kiểu: {} và {}",
                                self.tn(&at),
                                self.tn(&bt),
                            ),
                            en: format!("`??` sides differ: {} and {}", self.tn(&at), self.tn(&bt)),
                        ),
                    )]
                })?;
                Ok((Ex::Coalesce(ax, bx), t))
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ordered = !matches!(op, BinOp::Eq | BinOp::Ne);
                self.comparable(&at, &bt, a, b, ordered, span)?;
                let cop = match op {
                    BinOp::Eq => CmpOp::Eq,
                    BinOp::Ne => CmpOp::Ne,
                    BinOp::Lt => CmpOp::Lt,
                    BinOp::Le => CmpOp::Le,
                    BinOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let (mut ax, mut bx) = (ax, bx);
                match (&at, &bt) {
                    (Ty::Enum(en), Ty::Str) => self.intern_const(*en, &mut bx),
                    (Ty::Str, Ty::Enum(en)) => self.intern_const(*en, &mut ax),
                    _ => {}
                }
                Ok((Ex::Cmp(cop, ax, bx), Ty::Bool))
            }
            BinOp::In | BinOp::NotIn => {
                let Ty::List(elem) = &bt else {
                    return Err(vec![e(
                        b.span(),
                        Code::ExprType,
                        msg!(
                            vi: format!("`in` cần một danh sách ở vế phải, gặp {}", self.tn(&bt)),
                            en: format!("`in` needs a list on its right, found {}", self.tn(&bt)),
                        ),
                    )]);
                };
                // check enum literals of the list against the left side's enum
                if let (Ty::Enum(en), Ex::Const(Val::List(items))) = (&at, bx.as_ref()) {
                    for it in items {
                        if let Val::Str(s) = it {
                            self.check_enum_value(*en, s, b.span())?;
                        }
                    }
                } else {
                    self.comparable(&at, elem, a, b, false, span)?;
                }
                let (mut ax, mut bx) = (ax, bx);
                match (&at, elem.as_ref()) {
                    (Ty::Enum(en), _) => self.intern_const(*en, &mut bx),
                    (Ty::Str, Ty::Enum(en)) => self.intern_const(*en, &mut ax),
                    _ => {}
                }
                Ok((Ex::In(ax, bx, op == BinOp::NotIn), Ty::Bool))
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                if op == BinOp::Sub && at == Ty::Date && bt == Ty::Date {
                    return Ok((Ex::Arith(ArOp::Sub, ax, bx), Ty::Int));
                }
                if (op == BinOp::Add || op == BinOp::Sub) && at == Ty::Date && bt == Ty::Int {
                    let aop = if op == BinOp::Add {
                        ArOp::Add
                    } else {
                        ArOp::Sub
                    };
                    return Ok((Ex::Arith(aop, ax, bx), Ty::Date));
                }
                self.expect(&at, "a number", at.is_num(), a.span())?;
                self.expect(&bt, "a number", bt.is_num(), b.span())?;
                let aop = match op {
                    BinOp::Add => ArOp::Add,
                    BinOp::Sub => ArOp::Sub,
                    BinOp::Mul => ArOp::Mul,
                    _ => ArOp::Div,
                };
                let t = match (aop, &at, &bt) {
                    (ArOp::Div, _, _) => Ty::Dec(Unit::Plain),
                    (_, Ty::Int, Ty::Int) => Ty::Int,
                    (ArOp::Add | ArOp::Sub, Ty::Dec(u), _)
                    | (ArOp::Add | ArOp::Sub, _, Ty::Dec(u)) => Ty::Dec(*u),
                    (ArOp::Mul, Ty::Dec(Unit::Money), _) | (ArOp::Mul, _, Ty::Dec(Unit::Money)) => {
                        Ty::Dec(Unit::Money)
                    }
                    _ => Ty::Dec(Unit::Plain),
                };
                Ok((Ex::Arith(aop, ax, bx), t))
            }
            BinOp::At => Err(vec![]),
        }
    }

    /// A constant text (or list of texts) held against a value of enum `en`, interned as the
    /// enum's values so the evaluator compares indices (texts that are no value stay texts).
    fn intern_const(&self, en: usize, ex: &mut Ex) {
        if let Ex::Const(v) = ex {
            let ty = match v {
                Val::List(_) => Ty::List(Box::new(Ty::Enum(en))),
                _ => Ty::Enum(en),
            };
            let old = std::mem::replace(v, Val::Bool(false));
            *v = crate::model::intern_enums(old, &ty, self.enums);
        }
    }

    fn check_enum_value(&self, en: usize, s: &str, span: Span) -> Result<(), Vec<CompileError>> {
        let Some(et) = self.enums.get(en) else {
            return Ok(());
        };
        if et.contains(s) {
            Ok(())
        } else {
            let values = some_of(et.values.iter().map(String::as_str));
            Err(vec![e(
                span,
                Code::ExprUnknownEnumValue,
                msg!(
                    vi: format!(
                        "\"{s}\" không phải giá trị của `{}` (các giá trị: {values})",
                        et.name,
                    ),
                    en: format!("\"{s}\" is not a value of `{}` (values: {values})", et.name),
                ),
            )])
        }
    }

    fn comparable(
        &self,
        at: &Ty,
        bt: &Ty,
        a: &Ast,
        b: &Ast,
        ordered: bool,
        span: Span,
    ) -> Result<(), Vec<CompileError>> {
        // enum vs string literal: check the literal is a value of the enum
        match (at, bt) {
            (Ty::Enum(en), Ty::Str) | (Ty::Str, Ty::Enum(en)) if !ordered => {
                let lit = if *at == Ty::Str { a } else { b };
                if let Ast::Lit(Lit::Str(s), sp) = lit {
                    return self.check_enum_value(*en, s, sp.clone());
                }
                return Ok(());
            }
            _ => {}
        }
        let ok = match (at, bt) {
            (x, y) if x.is_num() && y.is_num() => true,
            (Ty::Date, Ty::Date) => true,
            (Ty::Bool, Ty::Bool) | (Ty::Str, Ty::Str) => !ordered,
            (Ty::Enum(x), Ty::Enum(y)) => x == y && !ordered,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            let (x, y) = (self.tn(at), self.tn(bt));
            Err(vec![e(
                span,
                Code::ExprType,
                msg!(
                    vi: format!("không thể so sánh {x} với {y}"),
                    en: format!("cannot compare {x} with {y}"),
                ),
            )])
        }
    }

    fn group_arg(&self, a: Option<&Ast>, span: &Span) -> Result<usize, Vec<CompileError>> {
        match a {
            Some(Ast::Path(p)) if p.len() == 1 => {
                let (name, sp) = p.first().cloned().unwrap_or_default();
                self.group_by_name.get(&name).copied().ok_or_else(|| {
                    vec![e(
                        sp,
                        Code::ExprUnknownPeriod,
                        msg!(
                            vi: format!("không có nhóm giai đoạn `{name}`"),
                            en: format!("unknown period group `{name}`"),
                        ),
                    )]
                })
            }
            _ => Err(vec![e(
                span.clone(),
                Code::ExprUnknownPeriod,
                msg!(vi: "cần tên một nhóm giai đoạn", en: "expected the name of a period group"),
            )]),
        }
    }

    fn call(&mut self, name: &str, args: &[Ast], span: Span) -> R {
        let arity = |n: usize| -> Result<(), Vec<CompileError>> {
            if args.len() == n {
                Ok(())
            } else {
                Err(vec![e(
                    span.clone(),
                    Code::ExprArity,
                    msg!(
                        vi: format!("`{name}` cần {n} đối số, gặp {}", args.len()),
                        en: format!("`{name}` takes {n} argument(s), found {}", args.len()),
                    ),
                )])
            }
        };
        let typed = |this: &mut Self, i: usize, want: Ty| -> Result<Ex, Vec<CompileError>> {
            let a = args.get(i).ok_or_else(Vec::new)?;
            let (x, t) = this.compile(a)?;
            let ok = t == want || (want == Ty::Dec(Unit::Plain) && t.is_num());
            let w = this.tn(&want);
            this.expect(&t, &w, ok, a.span())?;
            Ok(x)
        };
        match name {
            "present" => {
                arity(1)?;
                let a = args.first().ok_or_else(Vec::new)?;
                let (x, _) = self.compile(a)?;
                Ok((Ex::Present(Box::new(x)), Ty::Bool))
            }
            "year" => {
                arity(1)?;
                Ok((
                    Ex::Call(Builtin::Year, vec![typed(self, 0, Ty::Date)?]),
                    Ty::Int,
                ))
            }
            "date" => {
                arity(3)?;
                let v = vec![
                    typed(self, 0, Ty::Int)?,
                    typed(self, 1, Ty::Int)?,
                    typed(self, 2, Ty::Int)?,
                ];
                Ok((Ex::Call(Builtin::MakeDate, v), Ty::Date))
            }
            "min" | "max" => {
                arity(2)?;
                let (a, at) = self.compile(args.first().ok_or_else(Vec::new)?)?;
                let (b, bt) = self.compile(args.get(1).ok_or_else(Vec::new)?)?;
                let t = unify(&at, &bt)
                    .filter(|t| t.is_num() || *t == Ty::Date)
                    .ok_or_else(|| {
                        vec![e(
                            span.clone(),
                            Code::ExprType,
                            msg!(
                                vi: format!("`{name}` cần hai số hoặc hai ngày"),
                                en: format!("`{name}` needs two numbers or two dates"),
                            ),
                        )]
                    })?;
                let b2 = if name == "min" {
                    Builtin::Min
                } else {
                    Builtin::Max
                };
                Ok((Ex::Call(b2, vec![a, b]), t))
            }
            "len" => {
                arity(1)?;
                let a = args.first().ok_or_else(Vec::new)?;
                let (x, t) = self.compile(a)?;
                self.expect(&t, "a list", matches!(t, Ty::List(_)), a.span())?;
                Ok((Ex::Call(Builtin::Len, vec![x]), Ty::Int))
            }
            "index_at" => {
                arity(2)?;
                let g = self.group_arg(args.first(), &span)?;
                Ok((
                    Ex::Call(Builtin::IndexAt(g), vec![typed(self, 1, Ty::Date)?]),
                    Ty::Int,
                ))
            }
            "within" => {
                arity(3)?;
                let g = self.group_arg(args.get(1), &span)?;
                let d = typed(self, 0, Ty::Date)?;
                let n = typed(self, 2, Ty::Int)?;
                Ok((Ex::Call(Builtin::Within(g), vec![d, n]), Ty::Bool))
            }
            "start_of" | "end_of" => {
                arity(2)?;
                let g = self.group_arg(args.first(), &span)?;
                let b = if name == "start_of" {
                    Builtin::StartOf(g)
                } else {
                    Builtin::EndOf(g)
                };
                Ok((Ex::Call(b, vec![typed(self, 1, Ty::Int)?]), Ty::Date))
            }
            _ => Err(vec![e(
                span,
                Code::ExprUnknownFunction,
                msg!(
                    vi: format!(
                        "không có hàm `{name}` (các hàm: present, year, date, min, max, len, index_at, within, start_of, end_of, any, all, count, sum)",
                    ),
                    en: format!(
                        "unknown function `{name}` (known: present, year, date, min, max, len, index_at, within, start_of, end_of, any, all, count, sum)",
                    ),
                ),
            )]),
        }
    }
}

fn lit(l: &Lit) -> (Ex, Ty) {
    match l {
        Lit::Bool(b) => (Ex::Const(Val::Bool(*b)), Ty::Bool),
        Lit::Int(i) => (Ex::Const(Val::Int(*i)), Ty::Int),
        Lit::Dec(d) => (Ex::Const(Val::Dec(*d)), Ty::Dec(Unit::Plain)),
        Lit::Percent(d) => (Ex::Const(Val::Dec(*d)), Ty::Dec(Unit::Share)),
        Lit::Date(d) => (Ex::Const(Val::Date(*d)), Ty::Date),
        Lit::Str(s) => (Ex::Const(Val::Str(s.as_str().into())), Ty::Str),
        // a yes/no unless its context says otherwise (see `typed_unknown`)
        Lit::Unknown => (Ex::Unknown, Ty::Bool),
    }
}

fn is_unknown(a: &Ast) -> bool {
    matches!(a, Ast::Lit(Lit::Unknown, _))
}

/// `unknown` as one side of `if … then … else …` or `??` has the other side's type, as `null`
/// would: `if c then "annual" else unknown` is a text, `x ?? unknown` has the type of `x`.
fn typed_unknown(a: &Ast, at: Ty, b: &Ast, bt: Ty) -> (Ty, Ty) {
    match (is_unknown(a), is_unknown(b)) {
        (true, false) => (bt.clone(), bt),
        (false, true) => (at.clone(), at),
        _ => (at, bt),
    }
}

fn same_kind(a: &Ty, b: &Ty) -> bool {
    (a.is_num() && b.is_num()) || a == b
}

/// The common type of two branches, if any.
pub(crate) fn unify(a: &Ty, b: &Ty) -> Option<Ty> {
    match (a, b) {
        (x, y) if x == y => Some(x.clone()),
        (Ty::Int, Ty::Dec(u)) | (Ty::Dec(u), Ty::Int) => Some(Ty::Dec(*u)),
        (Ty::Dec(u), Ty::Dec(Unit::Plain)) | (Ty::Dec(Unit::Plain), Ty::Dec(u)) => {
            Some(Ty::Dec(*u))
        }
        (Ty::Dec(_), Ty::Dec(_)) => Some(Ty::Dec(Unit::Plain)),
        (Ty::Enum(x), Ty::Str) | (Ty::Str, Ty::Enum(x)) => Some(Ty::Enum(*x)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::expr::eval::Cx;
    use crate::expr::syntax::parse;
    use crate::model::{FieldDef, Pack};
    use crate::value::Record;

    fn field(name: &str, ty: Ty) -> FieldDef {
        FieldDef {
            name: name.into(),
            ty,
            label: None,
            doc: None,
            required: false,
            min: None,
            max: None,
        }
    }

    /// A record `{ flag: bool, n: integer, tags: list<string> }`, checked and evaluated.
    fn run(
        src: &str,
        facts: Record,
    ) -> (Result<Ty, Vec<CompileError>>, Option<String>, Vec<String>) {
        let fields = vec![
            field("flag", Ty::Bool),
            field("n", Ty::Int),
            field("tags", Ty::List(Box::new(Ty::Str))),
        ];
        let by_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i))
            .collect();
        let pack = Pack {
            records: vec![RecordType {
                name: "thing".into(),
                fields,
                by_name,
                label: None,
                id_field: None,
                bounded: false,
            }],
            ..Pack::default()
        };
        let rules = HashMap::new();
        let mut scope = Scope {
            enums: &pack.enums,
            records: &pack.records,
            params: &pack.params,
            param_by_name: &pack.param_by_name,
            group_by_name: &pack.group_by_name,
            root: 0,
            rules: &rules,
            locals: Vec::new(),
            vars: Vec::new(),
        };
        let ast = parse(src).unwrap();
        let (ex, ty) = match scope.compile(&ast) {
            Ok(x) => x,
            Err(errs) => return (Err(errs), None, Vec::new()),
        };
        let mut cx = Cx::new(&pack, Date::parse("2025-06-30").unwrap(), &facts, 0, true);
        let v = cx.eval(&ex).map(|v| format!("{v:?}"));
        (Ok(ty), v, cx.take_trace().0)
    }

    fn facts(flag: Option<bool>, n: Option<i64>) -> Record {
        Record {
            slots: vec![
                flag.map(Val::Bool),
                n.map(Val::Int),
                Some(Val::List(vec![])),
            ],
        }
    }

    #[test]
    fn unknown_takes_the_type_of_the_other_branch() {
        let (t, v, missing) = run("if flag then n else unknown", facts(Some(false), Some(3)));
        assert_eq!(t.unwrap(), Ty::Int);
        // unknown on purpose: no value and no missing fact
        assert_eq!(v, None);
        assert!(missing.is_empty());
        let (t, v, _) = run("if flag then n else unknown", facts(Some(true), Some(3)));
        assert_eq!(t.unwrap(), Ty::Int);
        assert_eq!(v.as_deref(), Some("Int(3)"));
        let (t, _, _) = run("if flag then unknown else \"x\"", facts(Some(true), None));
        assert_eq!(t.unwrap(), Ty::Str);
        let (t, v, _) = run("n ?? unknown", facts(None, Some(4)));
        assert_eq!(t.unwrap(), Ty::Int);
        assert_eq!(v.as_deref(), Some("Int(4)"));
        let (t, _, _) = run("unknown ?? n", facts(None, Some(4)));
        assert_eq!(t.unwrap(), Ty::Int);
    }

    #[test]
    fn unknown_alone_is_a_yes_no_and_follows_kleene_logic() {
        let (t, v, missing) = run("unknown", facts(None, None));
        assert_eq!(t.unwrap(), Ty::Bool);
        assert_eq!((v, missing.len()), (None, 0));
        // false and unknown is false; true or unknown is true; true and unknown is unknown
        assert_eq!(
            run("flag and unknown", facts(Some(false), None))
                .1
                .as_deref(),
            Some("Bool(false)")
        );
        assert_eq!(
            run("flag or unknown", facts(Some(true), None)).1.as_deref(),
            Some("Bool(true)")
        );
        assert_eq!(run("flag and unknown", facts(Some(true), None)).1, None);
        // an absent fact is still reported as missing next to a deliberate unknown
        let (_, v, missing) = run("if flag then true else unknown", facts(None, None));
        assert_eq!((v, missing), (None, vec!["/flag".to_string()]));
        // the empty list of the facts gives the deliberate unknown, naming nothing
        let (_, v, missing) = run(
            "if any(t in tags: t == \"a\") then true else unknown",
            facts(None, None),
        );
        assert_eq!((v, missing.len()), (None, 0));
    }

    #[test]
    fn unknown_is_refused_where_it_can_only_hide_an_answer() {
        for src in [
            "n > unknown",
            "unknown == flag",
            "n + unknown",
            "flag in [true, unknown]",
        ] {
            let (t, _, _) = run(src, facts(None, None));
            let errs = t.expect_err(src);
            assert!(
                errs.iter().all(|e| e.code == Code::ExprType),
                "{src}: {errs:?}"
            );
        }
        // a branch that is neither unknown nor of the other branch's type is still an error
        assert!(run("if flag then unknown else unknown", facts(None, None))
            .0
            .is_ok());
        assert!(run("if flag then 1 else \"x\"", facts(None, None))
            .0
            .is_err());
    }
}
