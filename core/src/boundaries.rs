//! Threshold analysis: where a decision's outcome changes, derived from its expression.
//!
//! The model is DMN's gap and overlap analysis of decision tables (Calvanese, Dumas, Laurson,
//! Maggi, Montali, Teinemaa, *Semantics and Analysis of DMN Decision Tables*, BPM 2016,
//! arXiv:1603.07466; *Semantics, Analysis and Simplification of DMN Decision Tables*,
//! Information Systems 78, 2018): each input's domain is cut at the thresholds the rules
//! compare it with, and each piece is checked — a sweep over the interval endpoints. Here it
//! is done on the rule language, one numeric input at a time:
//!
//! 1. **Atoms.** A comparison `X op T` in a decision's `when` (through `let`s, `and`, `or`,
//!    `not`, `??`, `if`) where `X` is a numeric input — a field of the record or a value rule
//!    (`rule.female_labour_share`) — and `T` a threshold: a number, a parameter (`param.x`, or
//!    `param.x at established_on`), or an `if … then … else` of those, whose branches are
//!    *cases* (`kind == "htx"` → `param.htx_min_members`, …).
//! 2. **Periods.** The dates at which a parameter of the thresholds changes value cut time
//!    into periods (within the rule's `applies_in`); in each, every threshold is a number.
//! 3. **Pieces.** For each period and case, the thresholds cut the input's domain (its field's
//!    `min`/`max`, else the whole line) into open intervals and single points; the `when` is
//!    evaluated on each piece in three-valued logic with the atoms on `X` decided by the
//!    piece and everything else *depending on other facts*; equal neighbours merge.
//!
//! The result is exact: the boundaries are the thresholds themselves, never samples, and a
//! boundary's side (`>` or `>=`) is the comparison's own. `lint` turns it into warnings
//! (`lint.boundary`): a comparison that can never change within its field's bounds, a period
//! in which a decision cannot change whatever its input, and two comparisons of the same
//! input with the same threshold that leave a gap (`>` beside `<`) or overlap (`>=` beside
//! `<=`) at it, or read it two ways (`>` beside `>=`).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::date::Date;
use crate::expr::ir::{Base, CmpOp, Ex};
use crate::model::{EntityRules, Pack, Rule, RuleKind};
use crate::text::{write_decimal, write_share, Lang, Message, Unit};
use crate::value::{Ty, Val};

/// How many guard combinations (cases) an input is analysed under, at most.
const MAX_CASES: usize = 32;

/// A threshold's value source.
#[derive(Clone, Debug, PartialEq)]
enum Thr {
    Const(Decimal),
    /// A parameter: in force at the as-of date, or (`at`) at the date of a field.
    Param {
        id: usize,
        at: Option<String>,
    },
}

/// One case of a threshold: the guards (`if` conditions, with the branch taken) and the value.
#[derive(Clone, Debug)]
struct Case<'p> {
    guards: Vec<(&'p Ex, bool)>,
    thr: Thr,
}

/// A comparison of a numeric input with a threshold.
#[derive(Clone, Debug)]
struct Atom<'p> {
    input: InputKey,
    op: CmpOp,
    cases: Vec<Case<'p>>,
    /// The comparison itself (to decide it on a piece).
    at: &'p Ex,
}

/// A numeric input: a field path of the record, or a value rule of the entity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum InputKey {
    Field(String),
    Rule(usize),
}

/// One piece of an input's domain and the decision's outcome on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Piece {
    /// Lower end (`None`: unbounded).
    pub from: Option<Decimal>,
    /// Whether the lower end is in the piece.
    pub from_closed: bool,
    /// Upper end (`None`: unbounded).
    pub to: Option<Decimal>,
    /// Whether the upper end is in the piece.
    pub to_closed: bool,
    /// `yes`, `no`, or `depends` (on other facts).
    pub outcome: &'static str,
}

/// The pieces of one input in one period and case.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// First day (`None`: from the earliest date).
    pub from: Option<Date>,
    /// Last day (`None`: with no end).
    pub to: Option<Date>,
    /// The case (`kind == "htx"`), as conditions written in the rule language; empty: always.
    pub case: Vec<String>,
    /// From the lowest to the highest.
    pub pieces: Vec<Piece>,
}

/// Where a rule's outcome changes along one numeric input.
#[derive(Clone, Debug, Serialize)]
pub struct InputBoundaries {
    /// The input as written: `members.total`, `rule.female_labour_share`.
    pub input: String,
    /// Its label.
    pub label: Option<Message>,
    /// The dates of the thresholds' parameters: `as_of`, or the field they are taken at.
    pub dates: String,
    /// Its field's bounds, when it has some.
    pub min: Option<Decimal>,
    /// Upper bound.
    pub max: Option<Decimal>,
    #[serde(skip)]
    unit: Option<Unit>,
    /// Per period and case.
    pub sections: Vec<Section>,
}

/// The boundaries of one decision: per numeric input.
#[derive(Clone, Debug, Serialize)]
pub struct Boundaries {
    /// The rule.
    pub rule: String,
    /// Its entity.
    pub entity: String,
    /// Its condition as written.
    pub when: String,
    /// Per input it compares with a threshold (none: the condition compares no number).
    pub inputs: Vec<InputBoundaries>,
}

/// What evaluating a condition on a piece gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Depends,
}

impl Tri {
    fn word(self) -> &'static str {
        match self {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Depends => "depends",
        }
    }
}

/// The analysis of decision `name` (every entity that has one).
pub(crate) fn analyse(pack: &Pack, name: &str) -> Vec<Boundaries> {
    pack.entities
        .iter()
        .filter_map(|er| {
            let i = *er.by_name.get(name)?;
            let rule = er.rules.get(i)?;
            Some(analyse_rule(pack, er, rule))
        })
        .collect()
}

fn analyse_rule(pack: &Pack, er: &EntityRules, rule: &Rule) -> Boundaries {
    let when_src = rule
        .source
        .iter()
        .find(|(k, _)| k == "when" || k == "require")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut out = Boundaries {
        rule: rule.name.clone(),
        entity: er.name.clone(),
        when: when_src,
        inputs: Vec::new(),
    };
    let Some(when) = &rule.when else { return out };
    let cx = Cx { pack, er, rule };
    let mut atoms = Vec::new();
    cx.atoms(when, &mut atoms, 0);
    let mut keys: Vec<InputKey> = atoms.iter().map(|a| a.input.clone()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let mine: Vec<&Atom<'_>> = atoms.iter().filter(|a| a.input == key).collect();
        out.inputs.push(cx.boundaries_of(when, &key, &mine));
    }
    out
}

struct Cx<'p> {
    pack: &'p Pack,
    er: &'p EntityRules,
    rule: &'p Rule,
}

impl<'p> Cx<'p> {
    /// `let`s seen through.
    fn resolve(&self, ex: &'p Ex, depth: usize) -> Option<&'p Ex> {
        let mut e = ex;
        for _ in 0..=self.rule.locals.len() + depth {
            match e {
                Ex::Local(i) => e = &self.rule.locals.get(*i)?.1,
                _ => return Some(e),
            }
        }
        None
    }

    fn atoms(&self, ex: &'p Ex, out: &mut Vec<Atom<'p>>, depth: usize) {
        if depth > crate::limits::EXPR_DEPTH * 2 {
            return;
        }
        let Some(ex) = self.resolve(ex, depth) else {
            return;
        };
        match ex {
            Ex::Cmp(op, a, b) => {
                if let (Some(x), Some(cases)) = (self.input(a), self.cases(b, 0)) {
                    out.push(Atom {
                        input: x,
                        op: *op,
                        cases,
                        at: ex,
                    });
                } else if let (Some(x), Some(cases)) = (self.input(b), self.cases(a, 0)) {
                    out.push(Atom {
                        input: x,
                        op: flip(*op),
                        cases,
                        at: ex,
                    });
                }
            }
            _ => ex.for_each_child(&mut |c| self.atoms(c, out, depth + 1)),
        }
    }

    /// A numeric input: a field of the record, or a numeric value rule.
    fn input(&self, ex: &'p Ex) -> Option<InputKey> {
        match self.resolve(ex, 0)? {
            Ex::Field {
                base: Base::Root,
                ptr,
                ..
            } => {
                let ty = crate::labels::pointer_type(self.pack, self.er.record, ptr)?;
                ty.is_num().then(|| InputKey::Field(ptr.to_string()))
            }
            Ex::Rule(r) => {
                let rule = self.er.rules.get(*r)?;
                let numeric = rule.kind == RuleKind::Value
                    && rule.value.as_ref().is_some_and(|(_, t)| t.is_num());
                numeric.then_some(InputKey::Rule(*r))
            }
            _ => None,
        }
    }

    /// A threshold's cases, or `None` when it is not a number, a parameter or an `if` of them.
    fn cases(&self, ex: &'p Ex, depth: usize) -> Option<Vec<Case<'p>>> {
        if depth > 8 {
            return None;
        }
        match self.resolve(ex, depth)? {
            Ex::Const(Val::Int(i)) => Some(vec![Case {
                guards: Vec::new(),
                thr: Thr::Const(Decimal::from(*i)),
            }]),
            Ex::Const(Val::Dec(d)) => Some(vec![Case {
                guards: Vec::new(),
                thr: Thr::Const(*d),
            }]),
            Ex::Param { id, at } => {
                let ty = &self.pack.params.get(*id)?.ty;
                if !ty.is_num() {
                    return None;
                }
                let at = match at {
                    None => None,
                    Some(a) => match a.as_ref() {
                        Ex::Field { ptr, .. } => Some(dotted(ptr)),
                        _ => Some("…".into()),
                    },
                };
                Some(vec![Case {
                    guards: Vec::new(),
                    thr: Thr::Param { id: *id, at },
                }])
            }
            Ex::If(c, a, b) => {
                let mut out = Vec::new();
                for (branch, yes) in [(a, true), (b, false)] {
                    for mut case in self.cases(branch, depth + 1)? {
                        case.guards.insert(0, (c.as_ref(), yes));
                        out.push(case);
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }

    fn boundaries_of(&self, when: &'p Ex, key: &InputKey, atoms: &[&Atom<'p>]) -> InputBoundaries {
        let pack = self.pack;
        let (name, label, min, max, unit) = match key {
            InputKey::Field(ptr) => {
                let def = field_def(pack, self.er.record, ptr);
                let unit =
                    crate::labels::pointer_type(pack, self.er.record, ptr).and_then(Ty::unit);
                (
                    dotted(ptr),
                    crate::labels::pointer(pack, self.er.record, ptr),
                    def.and_then(|d| d.min),
                    def.and_then(|d| d.max),
                    unit,
                )
            }
            InputKey::Rule(r) => {
                let rule = self.er.rules.get(*r);
                (
                    format!("rule.{}", rule.map(|x| x.name.as_str()).unwrap_or("")),
                    rule.and_then(|x| x.title.clone()),
                    None,
                    None,
                    rule.and_then(|x| x.value.as_ref())
                        .and_then(|(_, t)| t.unit()),
                )
            }
        };
        // every combination of the atoms' cases (capped)
        let mut combos: Vec<Vec<usize>> = vec![Vec::new()];
        for a in atoms {
            let mut next = Vec::new();
            for c in &combos {
                for k in 0..a.cases.len() {
                    let mut x = c.clone();
                    x.push(k);
                    next.push(x);
                }
            }
            combos = next;
            if combos.len() > MAX_CASES {
                combos.truncate(MAX_CASES);
            }
        }
        let mut dates_of: Vec<String> = Vec::new();
        let mut sections = Vec::new();
        for combo in &combos {
            let chosen: Vec<(&Atom<'p>, &Case<'p>)> = atoms
                .iter()
                .zip(combo)
                .filter_map(|(a, &k)| Some((*a, a.cases.get(k)?)))
                .collect();
            let params: Vec<usize> = chosen
                .iter()
                .filter_map(|(_, c)| match &c.thr {
                    Thr::Param { id, at } => {
                        let d = at.clone().unwrap_or_else(|| "as_of".into());
                        if !dates_of.contains(&d) {
                            dates_of.push(d);
                        }
                        Some(*id)
                    }
                    Thr::Const(_) => None,
                })
                .collect();
            let mut case: Vec<String> = Vec::new();
            for (_, c) in &chosen {
                for (g, yes) in &c.guards {
                    let text = match (yes, g) {
                        (true, _) => show(g),
                        (false, Ex::Cmp(CmpOp::Eq, a, b)) => {
                            show(&Ex::Cmp(CmpOp::Ne, a.clone(), b.clone()))
                        }
                        (false, _) => format!("not ({})", show(g)),
                    };
                    if !case.contains(&text) {
                        case.push(text);
                    }
                }
            }
            for (from, to) in periods(pack, self.rule, &params) {
                let at = from.or(to).unwrap_or(Date::from_unix_days(0));
                let mut thresholds: Vec<(&'p Ex, Decimal)> = Vec::new();
                let mut missing = false;
                for (a, c) in &chosen {
                    match value(pack, &c.thr, at) {
                        Some(t) => thresholds.push((a.at, t)),
                        None => missing = true,
                    }
                }
                if missing {
                    continue;
                }
                let pieces = self.pieces(when, key, &thresholds, combo, atoms, min, max);
                sections.push(Section {
                    from,
                    to,
                    case: case.clone(),
                    pieces,
                });
            }
        }
        InputBoundaries {
            input: name,
            label,
            dates: if dates_of.is_empty() {
                "as_of".into()
            } else {
                dates_of.join(", ")
            },
            min,
            max,
            unit,
            sections,
        }
    }

    /// The domain `[min, max]` cut at the thresholds, each piece with the outcome on it.
    #[allow(clippy::too_many_arguments)]
    fn pieces(
        &self,
        when: &'p Ex,
        key: &InputKey,
        thresholds: &[(&'p Ex, Decimal)],
        combo: &[usize],
        atoms: &[&Atom<'p>],
        min: Option<Decimal>,
        max: Option<Decimal>,
    ) -> Vec<Piece> {
        let mut cuts: Vec<Decimal> = thresholds
            .iter()
            .map(|(_, t)| *t)
            .filter(|t| min.is_none_or(|m| *t >= m) && max.is_none_or(|m| *t <= m))
            .collect();
        cuts.extend(min);
        cuts.extend(max);
        // one spelling per number (a parameter written `0.60` is the cut `0.6`)
        for c in &mut cuts {
            *c = c.normalize();
        }
        cuts.sort();
        cuts.dedup();
        // candidate pieces: below the first cut, each cut, between cuts, above the last
        let mut cand: Vec<Piece> = Vec::new();
        let open = |from: Option<Decimal>, to: Option<Decimal>| Piece {
            from,
            from_closed: false,
            to,
            to_closed: false,
            outcome: "",
        };
        match cuts.first() {
            None => cand.push(open(None, None)),
            Some(first) => {
                if min.is_none() {
                    cand.push(open(None, Some(*first)));
                }
                for (k, c) in cuts.iter().enumerate() {
                    cand.push(Piece {
                        from: Some(*c),
                        from_closed: true,
                        to: Some(*c),
                        to_closed: true,
                        outcome: "",
                    });
                    match cuts.get(k + 1) {
                        Some(n) => cand.push(open(Some(*c), Some(*n))),
                        None if max.is_none() => cand.push(open(Some(*c), None)),
                        None => {}
                    }
                }
            }
        }
        let mut out: Vec<Piece> = Vec::new();
        for mut p in cand {
            let x = match (p.from, p.to) {
                (Some(a), Some(b)) => (a + b) / Decimal::TWO,
                (Some(a), None) => a + Decimal::ONE,
                (None, Some(b)) => b - Decimal::ONE,
                (None, None) => Decimal::ZERO,
            };
            let ev = Eval {
                cx: self,
                key,
                x,
                thresholds,
                combo,
                atoms,
            };
            p.outcome = ev.tri(when, 0).word();
            match out.last_mut() {
                Some(last) if last.outcome == p.outcome => {
                    last.to = p.to;
                    last.to_closed = p.to_closed;
                }
                _ => out.push(p),
            }
        }
        out
    }
}

/// Evaluates a condition on one piece: the atoms on the input decided at `x`.
struct Eval<'a, 'p> {
    cx: &'a Cx<'p>,
    key: &'a InputKey,
    x: Decimal,
    thresholds: &'a [(&'p Ex, Decimal)],
    combo: &'a [usize],
    atoms: &'a [&'a Atom<'p>],
}

impl Eval<'_, '_> {
    fn tri(&self, ex: &Ex, depth: usize) -> Tri {
        if depth > crate::limits::EXPR_DEPTH * 2 {
            return Tri::Depends;
        }
        let Some(ex) = self.cx.resolve(ex, depth) else {
            return Tri::Depends;
        };
        if let Some((_, t)) = self.thresholds.iter().find(|(a, _)| std::ptr::eq(*a, ex)) {
            let op = self
                .atoms
                .iter()
                .find(|a| std::ptr::eq(a.at, ex))
                .map(|a| a.op)
                .unwrap_or(CmpOp::Eq);
            return if holds(op, self.x, *t) {
                Tri::Yes
            } else {
                Tri::No
            };
        }
        match ex {
            Ex::Const(Val::Bool(b)) => {
                if *b {
                    Tri::Yes
                } else {
                    Tri::No
                }
            }
            Ex::Not(a) => match self.tri(a, depth + 1) {
                Tri::Yes => Tri::No,
                Tri::No => Tri::Yes,
                Tri::Depends => Tri::Depends,
            },
            Ex::And(a, b) => match (self.tri(a, depth + 1), self.tri(b, depth + 1)) {
                (Tri::No, _) | (_, Tri::No) => Tri::No,
                (Tri::Yes, Tri::Yes) => Tri::Yes,
                _ => Tri::Depends,
            },
            Ex::Or(a, b) => match (self.tri(a, depth + 1), self.tri(b, depth + 1)) {
                (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
                (Tri::No, Tri::No) => Tri::No,
                _ => Tri::Depends,
            },
            Ex::Coalesce(a, _) => match self.tri(a, depth + 1) {
                Tri::Depends => Tri::Depends,
                t => t,
            },
            Ex::If(c, a, b) => {
                // a guard of the chosen case is decided; any other condition is not
                let chosen = self.atoms.iter().zip(self.combo).find_map(|(at, &k)| {
                    at.cases
                        .get(k)?
                        .guards
                        .iter()
                        .find(|(g, _)| std::ptr::eq(*g, c.as_ref()))
                        .map(|(_, yes)| *yes)
                });
                match chosen
                    .map(|y| if y { Tri::Yes } else { Tri::No })
                    .unwrap_or_else(|| self.tri(c, depth + 1))
                {
                    Tri::Yes => self.tri(a, depth + 1),
                    Tri::No => self.tri(b, depth + 1),
                    Tri::Depends => {
                        let (x, y) = (self.tri(a, depth + 1), self.tri(b, depth + 1));
                        if x == y {
                            x
                        } else {
                            Tri::Depends
                        }
                    }
                }
            }
            _ => {
                let _ = self.key;
                Tri::Depends
            }
        }
    }
}

fn holds(op: CmpOp, x: Decimal, t: Decimal) -> bool {
    match op {
        CmpOp::Eq => x == t,
        CmpOp::Ne => x != t,
        CmpOp::Lt => x < t,
        CmpOp::Le => x <= t,
        CmpOp::Gt => x > t,
        CmpOp::Ge => x >= t,
    }
}

fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    }
}

fn op_text(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "==",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

fn dotted(ptr: &str) -> String {
    ptr.trim_start_matches('/').replace('/', ".")
}

fn field_def<'p>(pack: &'p Pack, record: usize, ptr: &str) -> Option<&'p crate::model::FieldDef> {
    let mut rec = pack.records.get(record)?;
    let mut parts = ptr.trim_start_matches('/').split('/').peekable();
    while let Some(p) = parts.next() {
        let f = rec.fields.iter().find(|f| f.name == p)?;
        if parts.peek().is_none() {
            return Some(f);
        }
        match &f.ty {
            Ty::Rec(r) => rec = pack.records.get(*r)?,
            _ => return None,
        }
    }
    None
}

/// A threshold's value on a day.
fn value(pack: &Pack, thr: &Thr, day: Date) -> Option<Decimal> {
    match thr {
        Thr::Const(d) => Some(*d),
        Thr::Param { id, .. } => match pack.params.get(*id)?.at(day)? {
            Val::Int(i) => Some(Decimal::from(*i)),
            Val::Dec(d) => Some(*d),
            _ => None,
        },
    }
}

/// The periods in which every parameter of `params` keeps one value, within the rule's
/// `applies_in` (one period with no ends when there is no parameter).
fn periods(pack: &Pack, rule: &Rule, params: &[usize]) -> Vec<(Option<Date>, Option<Date>)> {
    let span = rule
        .applies_in
        .and_then(|g| pack.groups.get(g))
        .and_then(|g| {
            let from = g.members.iter().map(|m| m.from).min()?;
            let to = g.members.iter().map(|m| m.to).max()?;
            Some((from, to))
        });
    let mut starts: Vec<Date> = Vec::new();
    let mut last_end: Option<Option<Date>> = None;
    for &p in params {
        let Some(param) = pack.params.get(p) else {
            continue;
        };
        for v in &param.values {
            starts.push(v.from);
            if let Some(t) = v.to {
                starts.push(t.add_days(1));
            }
        }
        let end = param
            .values
            .iter()
            .map(|v| v.to)
            .max_by(|a, b| match (a, b) {
                (None, _) => std::cmp::Ordering::Greater,
                (_, None) => std::cmp::Ordering::Less,
                (Some(x), Some(y)) => x.cmp(y),
            });
        if let Some(e) = end {
            last_end = Some(match last_end {
                None => e,
                Some(prev) => match (prev, e) {
                    (None, _) | (_, None) => None,
                    (Some(x), Some(y)) => Some(x.max(y)),
                },
            });
        }
    }
    if starts.is_empty() {
        return vec![span.map_or((None, None), |(f, t)| (Some(f), Some(t)))];
    }
    starts.sort();
    starts.dedup();
    let end = last_end.flatten();
    let mut out = Vec::new();
    for (k, s) in starts.iter().enumerate() {
        let to = match starts.get(k + 1) {
            Some(n) => Some(n.add_days(-1)),
            None => end,
        };
        if to.is_some_and(|t| t < *s) {
            continue;
        }
        // clipped to the rule's period group
        let (mut from, mut to) = (*s, to);
        if let Some((gf, gt)) = span {
            if to.is_some_and(|t| t < gf) || from > gt {
                continue;
            }
            from = from.max(gf);
            to = Some(to.map_or(gt, |t| t.min(gt)));
        }
        out.push((Some(from), to));
    }
    out
}

/// A guard written back in the rule language (fields, literals, comparisons, and/or/not).
fn show(ex: &Ex) -> String {
    fn go(ex: &Ex, depth: usize) -> String {
        if depth > 8 {
            return "…".into();
        }
        match ex {
            Ex::Field { ptr, .. } => dotted(ptr),
            Ex::Const(Val::Str(s)) => format!("\"{s}\""),
            Ex::Const(Val::Enum(e)) => format!("\"{}\"", e.text),
            Ex::Const(Val::Int(i)) => i.to_string(),
            Ex::Const(Val::Dec(d)) => d.to_string(),
            Ex::Const(Val::Bool(b)) => b.to_string(),
            Ex::Cmp(op, a, b) => {
                format!("{} {} {}", go(a, depth + 1), op_text(*op), go(b, depth + 1))
            }
            Ex::Not(a) => format!("not ({})", go(a, depth + 1)),
            Ex::And(a, b) => format!("{} and {}", go(a, depth + 1), go(b, depth + 1)),
            Ex::Or(a, b) => format!("({} or {})", go(a, depth + 1), go(b, depth + 1)),
            Ex::In(a, b, neg) => format!(
                "{} {}in {}",
                go(a, depth + 1),
                if *neg { "not " } else { "" },
                go(b, depth + 1)
            ),
            Ex::Param { .. } => "param".into(),
            _ => "…".into(),
        }
    }
    go(ex, 0)
}

impl InputBoundaries {
    fn num(&self, d: Decimal, lang: Lang) -> String {
        match self.unit {
            Some(Unit::Share) => write_share(d, lang),
            _ => write_decimal(d, lang, false),
        }
    }

    fn interval(&self, p: &Piece, lang: Lang) -> String {
        if p.from.is_some() && p.from == p.to && p.from_closed && p.to_closed {
            return format!(
                "= {}",
                p.from.map(|d| self.num(d, lang)).unwrap_or_default()
            );
        }
        let lo = match p.from {
            None => "(-∞".to_string(),
            Some(d) => format!(
                "{}{}",
                if p.from_closed { "[" } else { "(" },
                self.num(d, lang)
            ),
        };
        let hi = match p.to {
            None => "+∞)".to_string(),
            Some(d) => format!(
                "{}{}",
                self.num(d, lang),
                if p.to_closed { "]" } else { ")" }
            ),
        };
        format!("{lo}; {hi}")
    }
}

impl Boundaries {
    /// As text, for `htx-rules check --explain-boundaries`.
    pub fn to_text(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let mut out = format!("{} ({}) — when: {}\n", self.rule, self.entity, self.when);
        if self.inputs.is_empty() {
            out.push_str(if vi {
                "  điều kiện không so sánh số nào với một ngưỡng\n"
            } else {
                "  the condition compares no number with a threshold\n"
            });
        }
        for i in &self.inputs {
            let label = i
                .label
                .as_ref()
                .map(|l| format!(" — {}", l.get(lang)))
                .unwrap_or_default();
            let bounds = match (i.min, i.max) {
                (None, None) => String::new(),
                (a, b) => format!(
                    " {}; {}",
                    a.map(|d| format!("[{}", i.num(d, lang)))
                        .unwrap_or_else(|| "(-∞".into()),
                    b.map(|d| format!("{}]", i.num(d, lang)))
                        .unwrap_or_else(|| "+∞)".into())
                ),
            };
            out.push_str(&format!("  {}{label}{bounds}\n", i.input));
            for s in &i.sections {
                let when = match (s.from, s.to) {
                    (None, None) => (if vi { "mọi ngày" } else { "every date" }).to_string(),
                    (f, t) => format!(
                        "{} .. {}",
                        f.map(|d| d.to_string()).unwrap_or_else(|| "…".into()),
                        t.map(|d| d.to_string()).unwrap_or_else(|| "…".into())
                    ),
                };
                let dates = if i.dates == "as_of" || (s.from.is_none() && s.to.is_none()) {
                    String::new()
                } else {
                    format!(
                        " ({} {})",
                        if vi { "ngày theo" } else { "dated by" },
                        i.dates
                    )
                };
                let case = if s.case.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", {} {}",
                        if vi { "khi" } else { "when" },
                        s.case.join(" and ")
                    )
                };
                out.push_str(&format!("    {when}{dates}{case}:\n"));
                for p in &s.pieces {
                    let o = match (p.outcome, vi) {
                        ("yes", true) => "có",
                        ("no", true) => "không",
                        ("yes", false) => "yes",
                        ("no", false) => "no",
                        (_, true) => "tùy dữ liệu khác",
                        (_, false) => "depends on other facts",
                    };
                    out.push_str(&format!("      {} → {o}\n", i.interval(p, lang)));
                }
            }
        }
        out
    }
}

/// A warning found by the analysis: which rule, and what.
pub(crate) struct Finding {
    pub entity: usize,
    pub rule: usize,
    pub message: Message,
}

/// The warnings of the analysis over every decision of the pack (see the module's
/// documentation).
pub(crate) fn lint(pack: &Pack) -> Vec<Finding> {
    let mut out = Vec::new();
    for (ei, er) in pack.entities.iter().enumerate() {
        // (input, threshold, op, rule) of every atom of the entity's decisions
        let mut seen: Vec<(InputKey, Thr, CmpOp, usize)> = Vec::new();
        for (ri, rule) in er.rules.iter().enumerate() {
            if rule.kind != RuleKind::Decision {
                continue;
            }
            let Some(when) = &rule.when else { continue };
            let cx = Cx { pack, er, rule };
            let mut atoms = Vec::new();
            cx.atoms(when, &mut atoms, 0);
            let b = analyse_rule(pack, er, rule);
            // a period (and case) in which the decision cannot change whatever the input
            for i in &b.inputs {
                for s in &i.sections {
                    if let [only] = s.pieces.as_slice() {
                        if only.outcome != "depends" {
                            let when = match (s.from, s.to) {
                                (None, None) => msg!(vi: "mọi ngày", en: "on every date"),
                                (f, t) => {
                                    let r = format!(
                                        "{} .. {}",
                                        f.map(|d| d.to_string()).unwrap_or_default(),
                                        t.map(|d| d.to_string()).unwrap_or_default()
                                    );
                                    msg!(vi: format!("từ {r}"), en: format!("in {r}"))
                                }
                            };
                            let case = if s.case.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", s.case.join(" and "))
                            };
                            let (o_vi, o_en) = if only.outcome == "yes" {
                                ("có", "yes")
                            } else {
                                ("không", "no")
                            };
                            out.push(Finding {
                                entity: ei,
                                rule: ri,
                                message: msg!(
                                    vi: format!(
                                        "`{}` {}{case} luôn là “{o_vi}” với mọi giá trị của {} trong giới hạn của trường: ngưỡng không bao giờ được chạm tới",
                                        rule.name, when.vi, i.input,
                                    ),
                                    en: format!(
                                        "`{}` is always “{o_en}” {}{case} whatever {} is within its field's bounds: the threshold can never be reached",
                                        rule.name, when.en, i.input,
                                    ),
                                ),
                            });
                        }
                    }
                }
            }
            for a in &atoms {
                for c in &a.cases {
                    if c.guards.is_empty() {
                        seen.push((a.input.clone(), c.thr.clone(), a.op, ri));
                    }
                }
            }
        }
        // the same input against the same threshold in two comparisons
        for (k, (x, t, op, r)) in seen.iter().enumerate() {
            for (y, u, op2, r2) in seen.iter().skip(k + 1) {
                if x != y || t != u || (op == op2 && r == r2) {
                    continue;
                }
                let kind = match (op, op2) {
                    (CmpOp::Gt, CmpOp::Ge)
                    | (CmpOp::Ge, CmpOp::Gt)
                    | (CmpOp::Lt, CmpOp::Le)
                    | (CmpOp::Le, CmpOp::Lt) => Some((
                        "đọc cùng một ngưỡng theo hai cách",
                        "read the same threshold two ways",
                    )),
                    (CmpOp::Gt, CmpOp::Lt) | (CmpOp::Lt, CmpOp::Gt) => Some((
                        "để hở đúng tại ngưỡng (không điều kiện nào đúng khi bằng ngưỡng)",
                        "leave a gap at the threshold (neither holds when equal to it)",
                    )),
                    (CmpOp::Ge, CmpOp::Le) | (CmpOp::Le, CmpOp::Ge) => Some((
                        "chồng lấn tại ngưỡng (cả hai đúng khi bằng ngưỡng)",
                        "overlap at the threshold (both hold when equal to it)",
                    )),
                    _ => None,
                };
                let Some((vi, en)) = kind else { continue };
                let name = |i: usize| er.rules.get(i).map(|x| x.name.as_str()).unwrap_or("");
                let input = match x {
                    InputKey::Field(p) => dotted(p),
                    InputKey::Rule(i) => format!("rule.{}", name(*i)),
                };
                let thr = match t {
                    Thr::Const(d) => d.to_string(),
                    Thr::Param { id, .. } => format!(
                        "param.{}",
                        pack.params.get(*id).map(|p| p.name.as_str()).unwrap_or("")
                    ),
                };
                let (a, b) = (op_text(*op), op_text(*op2));
                out.push(Finding {
                    entity: ei,
                    rule: *r2,
                    message: msg!(
                        vi: format!(
                            "`{input} {a} {thr}` (`{}`) và `{input} {b} {thr}` (`{}`) {vi}",
                            name(*r), name(*r2),
                        ),
                        en: format!(
                            "`{input} {a} {thr}` (`{}`) and `{input} {b} {thr}` (`{}`) {en}",
                            name(*r), name(*r2),
                        ),
                    ),
                });
            }
        }
    }
    out
}
