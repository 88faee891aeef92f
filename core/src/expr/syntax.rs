//! Lexer and parser of the expression language (see the crate docs for the grammar).
//!
//! Spans are byte offsets into the expression text; the pack checker maps them to the
//! file's line and column.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::codes::Code;
use crate::date::Date;
use crate::limits::EXPR_DEPTH;

/// A byte range in an expression's text.
pub type Span = Range<usize>;

/// A literal as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    /// `true`, `false`.
    Bool(bool),
    /// `12`.
    Int(i64),
    /// `0.5`.
    Dec(Decimal),
    /// `60%` (the value 0.6).
    Percent(Decimal),
    /// `2024-07-01`.
    Date(Date),
    /// `"htx"`.
    Str(String),
    /// `unknown`: no value, on purpose (the rule cannot decide; an officer does). It takes
    /// the type its context gives it (the other branch of `if`/`??`), `bool` elsewhere.
    Unknown,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `??` (the left side, or the right side when the left is unknown)
    Coalesce,
    /// `at` (a parameter's value at a date)
    At,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Coalesce => "??",
            BinOp::At => "at",
        }
    }
}

/// Quantifiers over lists.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantKind {
    /// `any(x in xs: p)`
    Any,
    /// `all(x in xs: p)`
    All,
    /// `count(x in xs: p)` or `count(x in xs)`
    Count,
    /// `sum(x in xs: e)`
    Sum,
}

/// The syntax tree of an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    /// A literal.
    Lit(Lit, Span),
    /// A dotted name: `workers.female`, `param.x`, `rule.y`, `m.gender`.
    Path(Vec<(String, Span)>),
    /// `not e`.
    Not(Box<Ast>, Span),
    /// `-e`.
    Neg(Box<Ast>, Span),
    /// `a op b`.
    Bin(BinOp, Box<Ast>, Box<Ast>, Span),
    /// `if c then a else b`.
    If(Box<Ast>, Box<Ast>, Box<Ast>, Span),
    /// `[a, b]`.
    List(Vec<Ast>, Span),
    /// `f(a, b)`.
    Call(String, Vec<Ast>, Span),
    /// `any(x in xs where f: body)`.
    Quant {
        /// Which quantifier.
        kind: QuantKind,
        /// The bound variable.
        var: String,
        /// The list it ranges over.
        domain: Box<Ast>,
        /// Optional `where` filter.
        filter: Option<Box<Ast>>,
        /// The body after `:` (absent only for `count`).
        body: Option<Box<Ast>>,
        /// Whole span.
        span: Span,
    },
}

impl Ast {
    /// The span of this node.
    pub fn span(&self) -> Span {
        match self {
            Ast::Lit(_, s)
            | Ast::Not(_, s)
            | Ast::Neg(_, s)
            | Ast::Bin(_, _, _, s)
            | Ast::If(_, _, _, s)
            | Ast::List(_, s)
            | Ast::Call(_, _, s)
            | Ast::Quant { span: s, .. } => s.clone(),
            Ast::Path(parts) => {
                let start = parts.first().map(|p| p.1.start).unwrap_or(0);
                let end = parts.last().map(|p| p.1.end).unwrap_or(start);
                start..end
            }
        }
    }
}

/// A syntax error: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where in the expression.
    pub span: Span,
    /// [`Code::ExprSyntax`], or [`Code::ExprLimit`] for an expression nested too deeply.
    pub code: Code,
    /// What was found and expected (English).
    pub en: String,
    /// The same in Vietnamese.
    pub vi: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Int(i64),
    Dec(Decimal),
    Percent(Decimal),
    Date(Date),
    Str(String),
    Ident(String),
    Sym(&'static str),
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Int(i) => format!("`{i}`"),
            Tok::Dec(d) => format!("`{d}`"),
            Tok::Percent(d) => format!("`{}%`", d * Decimal::ONE_HUNDRED),
            Tok::Date(d) => format!("`{d}`"),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Sym(s) => format!("`{s}`"),
            Tok::End => "end of expression".into(),
        }
    }
}

fn err(span: Span, en: String, vi: String) -> SyntaxError {
    SyntaxError {
        span,
        code: Code::ExprSyntax,
        en,
        vi,
    }
}

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, SyntaxError> {
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < bytes.len() {
        let c = bytes.get(i).copied().unwrap_or(b' ');
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_digit() {
            while i < bytes.len()
                && bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.' || *b == b'_')
            {
                i += 1;
            }
            // a date: exactly dddd-dd-dd
            if i - start == 4
                && src
                    .get(start..start + 10)
                    .is_some_and(|s| Date::parse(s).is_some() || looks_like_date(s))
            {
                let text = src.get(start..start + 10).unwrap_or("");
                i = start + 10;
                match Date::parse(text) {
                    Some(d) => out.push((Tok::Date(d), start..i)),
                    None => {
                        return Err(err(
                            start..i,
                            format!("`{text}` is not a valid date (expected YYYY-MM-DD)"),
                            format!("`{text}` không phải ngày hợp lệ (cần YYYY-MM-DD)"),
                        ))
                    }
                }
                continue;
            }
            let text: String = src
                .get(start..i)
                .unwrap_or("")
                .chars()
                .filter(|c| *c != '_')
                .collect();
            let percent = bytes.get(i) == Some(&b'%');
            let end = if percent { i + 1 } else { i };
            let bad = || {
                err(
                    start..end,
                    format!("`{text}` is not a number"),
                    format!("`{text}` không phải là số"),
                )
            };
            i = end;
            if percent {
                let d: Decimal = text.parse().map_err(|_| bad())?;
                let v = d.checked_div(Decimal::ONE_HUNDRED).ok_or_else(bad)?;
                out.push((Tok::Percent(v), start..i));
            } else if text.contains('.') {
                out.push((Tok::Dec(text.parse().map_err(|_| bad())?), start..i));
            } else {
                out.push((Tok::Int(text.parse().map_err(|_| bad())?), start..i));
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len()
                && bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                i += 1;
            }
            out.push((
                Tok::Ident(src.get(start..i).unwrap_or("").to_string()),
                start..i,
            ));
            continue;
        }
        if c == b'"' {
            i += 1;
            let mut s = String::new();
            loop {
                let Some(ch) = src.get(i..).and_then(|r| r.chars().next()) else {
                    return Err(err(
                        start..i,
                        "unterminated string".into(),
                        "chuỗi chưa được đóng bằng dấu \"".into(),
                    ));
                };
                i += ch.len_utf8();
                if ch == '"' {
                    break;
                }
                s.push(ch);
            }
            out.push((Tok::Str(s), start..i));
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let sym2 = ["==", "!=", "<=", ">=", "??"]
            .into_iter()
            .find(|s| *s == two);
        if let Some(s) = sym2 {
            i += 2;
            out.push((Tok::Sym(s), start..i));
            continue;
        }
        let sym1 = [
            "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".", ":",
        ]
        .into_iter()
        .find(|s| s.as_bytes().first() == Some(&c));
        match sym1 {
            Some(s) => {
                i += 1;
                out.push((Tok::Sym(s), start..i));
            }
            None => {
                let ch = src.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
                let end = i + ch.len_utf8();
                return Err(err(
                    start..end,
                    format!("unexpected character `{ch}`"),
                    format!("ký tự không hợp lệ `{ch}`"),
                ));
            }
        }
    }
    out.push((Tok::End, src.len()..src.len()));
    Ok(out)
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A node and the depth of the tree under it (a leaf is 1).
type P = Result<(Ast, usize), SyntaxError>;

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    /// How deep the parser's own calls are nested (`(`, `[`, calls, `not`, `-`, `if`).
    nesting: usize,
}

/// Parses an expression.
///
/// The tree it returns is at most [`EXPR_DEPTH`] deep, whatever the text (parentheses,
/// operators in a row, calls and quantifiers inside one another), so every walk over the tree
/// (type checking, lints, dependencies, evaluation) recurses at most that deep; a deeper
/// expression is an error with code [`Code::ExprLimit`].
pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        nesting: 0,
    };
    let (e, _) = p.expr()?;
    p.expect_end()?;
    Ok(e)
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map(|t| &t.0).unwrap_or(&Tok::End)
    }
    fn peek_at(&self, k: usize) -> &Tok {
        self.toks
            .get(self.pos + k)
            .map(|t| &t.0)
            .unwrap_or(&Tok::End)
    }
    fn span(&self) -> Span {
        self.toks.get(self.pos).map(|t| t.1.clone()).unwrap_or(0..0)
    }
    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|p| self.toks.get(p))
            .map(|t| t.1.end)
            .unwrap_or(0)
    }
    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks.get(self.pos).cloned().unwrap_or((Tok::End, 0..0));
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == kw)
    }
    fn is_sym(&self, sym: &str) -> bool {
        matches!(self.peek(), Tok::Sym(s) if *s == sym)
    }
    fn unexpected(&self, expected_en: &str, expected_vi: &str) -> SyntaxError {
        let found = self.peek().describe();
        err(
            self.span(),
            format!("expected {expected_en}, found {found}"),
            format!("cần {expected_vi}, gặp {found}"),
        )
    }
    fn expect_sym(&mut self, sym: &'static str) -> Result<(), SyntaxError> {
        if self.is_sym(sym) {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{sym}`"), &format!("`{sym}`")))
        }
    }
    fn expect_kw(&mut self, kw: &str) -> Result<(), SyntaxError> {
        if self.is_kw(kw) {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{kw}`"), &format!("`{kw}`")))
        }
    }
    fn expect_end(&self) -> Result<(), SyntaxError> {
        if matches!(self.peek(), Tok::End) {
            Ok(())
        } else {
            Err(self.unexpected(
                "an operator or the end of the expression",
                "toán tử hoặc hết biểu thức",
            ))
        }
    }
    fn ident(&mut self) -> Result<(String, Span), SyntaxError> {
        match self.peek().clone() {
            Tok::Ident(s) if !is_keyword(&s) => {
                let sp = self.bump().1;
                Ok((s, sp))
            }
            _ => Err(self.unexpected("a name", "một tên")),
        }
    }

    /// The error for a tree deeper than [`EXPR_DEPTH`] (or parser calls nested deeper).
    fn too_deep(&self, span: Span) -> SyntaxError {
        SyntaxError {
            span,
            code: Code::ExprLimit,
            en: format!(
                "expression nested too deeply: more than {EXPR_DEPTH} levels of operators, parentheses or calls (a chain `a or b or …` counts one level per operator)"
            ),
            vi: format!(
                "biểu thức lồng nhau quá sâu: hơn {EXPR_DEPTH} cấp toán tử, ngoặc hoặc lời gọi hàm (chuỗi `a or b or …` tính mỗi toán tử một cấp)"
            ),
        }
    }

    /// A node over children of depth `deepest`: its depth, or an error past the limit.
    fn node(&self, deepest: usize, span: Span) -> Result<usize, SyntaxError> {
        let d = deepest + 1;
        if d > EXPR_DEPTH {
            Err(self.too_deep(span))
        } else {
            Ok(d)
        }
    }

    /// Enters a nested construct (guards the parser's own recursion); pair with `leave`.
    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.nesting += 1;
        if self.nesting > EXPR_DEPTH {
            Err(self.too_deep(self.span()))
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.nesting = self.nesting.saturating_sub(1);
    }

    fn expr(&mut self) -> P {
        self.enter()?;
        let r = if self.is_kw("if") {
            let start = self.bump().1.start;
            let (c, dc) = self.expr()?;
            self.expect_kw("then")?;
            let (t, dt) = self.expr()?;
            self.expect_kw("else")?;
            let (e, de) = self.expr()?;
            let end = self.prev_end();
            let d = self.node(dc.max(dt).max(de), start..end)?;
            Ok((
                Ast::If(Box::new(c), Box::new(t), Box::new(e), start..end),
                d,
            ))
        } else {
            self.coalesce()
        };
        self.leave();
        r
    }

    /// `l op r`: a chain `a op b op c …` builds a tree as deep as it is long, so each link
    /// counts toward the depth limit.
    fn bin(&self, op: BinOp, (l, dl): (Ast, usize), (r, dr): (Ast, usize)) -> P {
        let sp = l.span().start..r.span().end;
        let d = self.node(dl.max(dr), sp.clone())?;
        Ok((Ast::Bin(op, Box::new(l), Box::new(r), sp), d))
    }

    fn coalesce(&mut self) -> P {
        let mut l = self.or()?;
        while self.is_sym("??") {
            self.bump();
            let r = self.or()?;
            l = self.bin(BinOp::Coalesce, l, r)?;
        }
        Ok(l)
    }

    fn or(&mut self) -> P {
        let mut l = self.and()?;
        while self.is_kw("or") {
            self.bump();
            let r = self.and()?;
            l = self.bin(BinOp::Or, l, r)?;
        }
        Ok(l)
    }

    fn and(&mut self) -> P {
        let mut l = self.not()?;
        while self.is_kw("and") {
            self.bump();
            let r = self.not()?;
            l = self.bin(BinOp::And, l, r)?;
        }
        Ok(l)
    }

    fn not(&mut self) -> P {
        if self.is_kw("not") {
            self.enter()?;
            let start = self.bump().1.start;
            let (e, d) = self.not()?;
            self.leave();
            let sp = start..e.span().end;
            let d = self.node(d, sp.clone())?;
            return Ok((Ast::Not(Box::new(e), sp), d));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> P {
        let l = self.add()?;
        let op = match self.peek() {
            Tok::Sym("==") => Some(BinOp::Eq),
            Tok::Sym("!=") => Some(BinOp::Ne),
            Tok::Sym("<") => Some(BinOp::Lt),
            Tok::Sym("<=") => Some(BinOp::Le),
            Tok::Sym(">") => Some(BinOp::Gt),
            Tok::Sym(">=") => Some(BinOp::Ge),
            Tok::Ident(s) if s == "in" => Some(BinOp::In),
            Tok::Ident(s)
                if s == "not" && matches!(self.peek_at(1), Tok::Ident(t) if t == "in") =>
            {
                Some(BinOp::NotIn)
            }
            _ => None,
        };
        let Some(op) = op else { return Ok(l) };
        self.bump();
        if op == BinOp::NotIn {
            self.bump();
        }
        let r = self.add()?;
        self.bin(op, l, r)
    }

    fn add(&mut self) -> P {
        let mut l = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => BinOp::Add,
                Tok::Sym("-") => BinOp::Sub,
                _ => return Ok(l),
            };
            self.bump();
            let r = self.mul()?;
            l = self.bin(op, l, r)?;
        }
    }

    fn mul(&mut self) -> P {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("*") => BinOp::Mul,
                Tok::Sym("/") => BinOp::Div,
                _ => return Ok(l),
            };
            self.bump();
            let r = self.unary()?;
            l = self.bin(op, l, r)?;
        }
    }

    fn unary(&mut self) -> P {
        if self.is_sym("-") {
            self.enter()?;
            let start = self.bump().1.start;
            let (e, d) = self.unary()?;
            self.leave();
            let sp = start..e.span().end;
            let d = self.node(d, sp.clone())?;
            return Ok((Ast::Neg(Box::new(e), sp), d));
        }
        let e = self.primary()?;
        if self.is_kw("at") {
            self.bump();
            let d = self.primary()?;
            return self.bin(BinOp::At, e, d);
        }
        Ok(e)
    }

    /// Items separated by `,` up to `close` (a trailing comma allowed when `trailing`), each
    /// an expression; returns them and the depth of the deepest.
    fn items(
        &mut self,
        close: &'static str,
        trailing: bool,
    ) -> Result<(Vec<Ast>, usize), SyntaxError> {
        let mut items = Vec::new();
        let mut deepest = 0;
        if !self.is_sym(close) {
            loop {
                let (x, d) = self.expr()?;
                deepest = deepest.max(d);
                items.push(x);
                if self.is_sym(",") {
                    self.bump();
                    if trailing && self.is_sym(close) {
                        break;
                    }
                } else {
                    break;
                }
            }
        }
        self.expect_sym(close)?;
        Ok((items, deepest))
    }

    fn primary(&mut self) -> P {
        let (tok, span) = (self.peek().clone(), self.span());
        let leaf = |a: Ast| Ok((a, 1));
        match tok {
            Tok::Int(i) => {
                self.bump();
                leaf(Ast::Lit(Lit::Int(i), span))
            }
            Tok::Dec(d) => {
                self.bump();
                leaf(Ast::Lit(Lit::Dec(d), span))
            }
            Tok::Percent(d) => {
                self.bump();
                leaf(Ast::Lit(Lit::Percent(d), span))
            }
            Tok::Date(d) => {
                self.bump();
                leaf(Ast::Lit(Lit::Date(d), span))
            }
            Tok::Str(s) => {
                self.bump();
                leaf(Ast::Lit(Lit::Str(s), span))
            }
            Tok::Sym("(") => {
                self.bump();
                let e = self.expr()?;
                self.expect_sym(")")?;
                Ok(e)
            }
            Tok::Sym("[") => {
                self.bump();
                let (items, deepest) = self.items("]", true)?;
                let sp = span.start..self.prev_end();
                let d = self.node(deepest, sp.clone())?;
                Ok((Ast::List(items, sp), d))
            }
            Tok::Ident(s) if s == "true" || s == "false" => {
                self.bump();
                leaf(Ast::Lit(Lit::Bool(s == "true"), span))
            }
            Tok::Ident(s) if s == "unknown" => {
                self.bump();
                leaf(Ast::Lit(Lit::Unknown, span))
            }
            Tok::Ident(s) if !is_keyword(&s) => {
                let is_quant = matches!(s.as_str(), "any" | "all" | "count" | "sum")
                    && matches!(self.peek_at(1), Tok::Sym("("))
                    && matches!(self.peek_at(2), Tok::Ident(_))
                    && matches!(self.peek_at(3), Tok::Ident(k) if k == "in");
                if is_quant {
                    return self.quantifier(&s);
                }
                if matches!(self.peek_at(1), Tok::Sym("(")) {
                    self.bump();
                    self.bump();
                    let (args, deepest) = self.items(")", false)?;
                    let sp = span.start..self.prev_end();
                    let d = self.node(deepest, sp.clone())?;
                    return Ok((Ast::Call(s, args, sp), d));
                }
                let mut parts = vec![self.ident()?];
                while self.is_sym(".") {
                    self.bump();
                    parts.push(self.ident()?);
                }
                leaf(Ast::Path(parts))
            }
            _ => Err(self.unexpected("a value, a name or `(`", "một giá trị, một tên hoặc `(`")),
        }
    }

    fn quantifier(&mut self, name: &str) -> P {
        let start = self.bump().1.start;
        let kind = match name {
            "any" => QuantKind::Any,
            "all" => QuantKind::All,
            "count" => QuantKind::Count,
            _ => QuantKind::Sum,
        };
        self.expect_sym("(")?;
        let (var, _) = self.ident()?;
        self.expect_kw("in")?;
        let (domain, mut deepest) = self.add()?;
        let filter = if self.is_kw("where") {
            self.bump();
            let (f, d) = self.expr()?;
            deepest = deepest.max(d);
            Some(Box::new(f))
        } else {
            None
        };
        let body = if self.is_sym(":") {
            self.bump();
            let (b, d) = self.expr()?;
            deepest = deepest.max(d);
            Some(Box::new(b))
        } else {
            None
        };
        if body.is_none() && kind != QuantKind::Count {
            return Err(self.unexpected("`:` and the body", "`:` và thân biểu thức"));
        }
        self.expect_sym(")")?;
        let sp = start..self.prev_end();
        let d = self.node(deepest, sp.clone())?;
        Ok((
            Ast::Quant {
                kind,
                var,
                domain: Box::new(domain),
                filter,
                body,
                span: sp,
            },
            d,
        ))
    }
}

/// Words that cannot be names.
pub fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "and"
            | "or"
            | "not"
            | "if"
            | "then"
            | "else"
            | "in"
            | "where"
            | "true"
            | "false"
            | "unknown"
            | "at"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_grammar() {
        for src in [
            "workers.female / workers.total > 60%",
            "any(m in managers: m.gender == \"female\" and m.role in param.leadership_roles)",
            "count(m in managers where m.gender == \"female\")",
            "sum(x in items: x.amount) >= 1_500_000",
            "if kind == \"htx\" then members.total >= param.htx_min at established_on else false",
            "not (a or b) and c ?? false",
            "within(established_on, phases, index_at(phases, as_of))",
            "x not in [\"a\", \"b\",]",
            "-1 + 2 * 3 <= 2024-07-01",
            "if any(s in sectors: s in param.named) then true else unknown",
        ] {
            parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        }
    }

    #[test]
    fn unknown_is_a_literal_not_a_name() {
        assert_eq!(parse("unknown").unwrap(), Ast::Lit(Lit::Unknown, 0..7));
        assert!(is_keyword("unknown"));
        // not a field path: `unknown.x` is a syntax error
        assert!(parse("unknown.x").is_err());
        let Ast::If(_, _, f, _) = parse("if a then 1 else unknown").unwrap() else {
            panic!("expected an if")
        };
        assert_eq!(*f, Ast::Lit(Lit::Unknown, 17..24));
    }

    #[test]
    fn reports_position() {
        let e = parse("a > ").unwrap_err();
        assert_eq!(e.span, 4..4);
        let e = parse("a >> b").unwrap_err();
        assert_eq!(e.span, 3..4);
        let e = parse("2023-02-30").unwrap_err();
        assert!(e.en.contains("not a valid date"));
        assert!(parse(&"(".repeat(500)).is_err());
        assert!(parse(&"not ".repeat(500)).is_err());
    }
}
