//! Every message of every shipped pack, rendered through every outcome path: for each output
//! rule, each outcome (yes, no, unknown), each subset of its message arguments known (the
//! others unknown), each wording given the chance to be the first whose `when` holds, with and
//! without missing or rejected facts, and with each kind of note; for each constraint, its
//! error with each subset of the values it names; in both languages. No text may show a placeholder, a JSON Pointer or a code name
//! (`tests/support/leaks.rs`). The renderer is driven directly, so outcomes and argument
//! combinations that facts rarely produce are covered too; `tests/reasons.rs` does the same
//! through evaluation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::str::FromStr;

use rust_decimal::Decimal;

use super::result::{Decision, Invalid, Outcome, Scalar};
use super::run::constraint_text;
use super::Engine;
use crate::date::Date;
use crate::error::FieldError;
use crate::expr::eval::Note;
use crate::model::{Pack, RuleKind};
use crate::value::Ty;

#[path = "../../tests/support/leaks.rs"]
mod leaks;

fn names(pack: &Pack) -> leaks::Names {
    let mut n = leaks::Names::default();
    for r in &pack.records {
        n.fields.extend(r.fields.iter().map(|f| f.name.clone()));
    }
    for e in &pack.enums {
        n.other.extend(e.values.iter().cloned());
    }
    for er in &pack.entities {
        n.other.extend(er.rules.iter().map(|r| r.name.clone()));
    }
    n.other.extend(pack.params.iter().map(|p| p.name.clone()));
    n.other.extend(pack.groups.iter().map(|g| g.name.clone()));
    n
}

/// A value of type `ty`, as a fact or a computation could give it.
fn sample(pack: &Pack, ty: &Ty) -> Option<Scalar> {
    let d = |s: &str| Decimal::from_str(s).unwrap();
    Some(match ty {
        Ty::Bool => Scalar::Bool(true),
        Ty::Int => Scalar::Int(7),
        Ty::Dec(crate::text::Unit::Share) => Scalar::Decimal(d("0.775")),
        Ty::Dec(crate::text::Unit::Money) => Scalar::Decimal(d("1500000")),
        Ty::Dec(crate::text::Unit::Plain) => Scalar::Decimal(d("2.5")),
        Ty::Date => Scalar::Date(Date::parse("2025-06-30").unwrap()),
        Ty::Str => Scalar::Text("Hợp tác xã Mỹ Thạnh".into()),
        Ty::Enum(e) => Scalar::Text(pack.enums[*e].values.last()?.clone()),
        Ty::Rec(_) | Ty::List(_) => return None,
    })
}

/// JSON Pointers of every field of record `rec` (a list of records: its second item's).
fn pointers(pack: &Pack, rec: usize, prefix: &str, out: &mut Vec<String>) {
    for f in &pack.records[rec].fields {
        let p = format!("{prefix}/{}", f.name);
        match &f.ty {
            Ty::Rec(r) => pointers(pack, *r, &p, out),
            Ty::List(inner) => match inner.as_ref() {
                Ty::Rec(r) => pointers(pack, *r, &format!("{p}/1"), out),
                _ => out.push(p),
            },
            _ => out.push(p),
        }
    }
}

fn notes(pack: &Pack, applies_in: Option<usize>) -> Vec<Vec<Note>> {
    let date = Date::parse("2031-01-01").unwrap();
    let mut v = vec![
        vec![],
        vec![Note::DivZero],
        vec![Note::Overflow],
        vec![Note::BadDate],
    ];
    for g in 0..pack.groups.len() {
        v.push(vec![Note::NoPeriod { group: g }]);
    }
    if let Some(g) = applies_in {
        v.push(vec![Note::Period { group: g }]);
    }
    for p in 0..pack.params.len() {
        v.push(vec![Note::NoParam { param: p, date }]);
    }
    v
}

#[test]
fn no_reason_of_a_shipped_pack_shows_a_placeholder_pointer_or_code_name() {
    let engine = Engine::embedded().unwrap();
    let pack = &engine.pack;
    let names = names(pack);
    let as_of = Date::parse("2025-06-30").unwrap();
    // (rule.outcome, why) → an example and how many texts
    let mut leaks = std::collections::BTreeMap::<(String, String), (String, usize)>::new();
    let mut rendered = 0usize;
    for er in &pack.entities {
        let mut all_missing = Vec::new();
        pointers(pack, er.record, "", &mut all_missing);
        // a fact given but rejected, at every field: its label, the value, what it takes
        let invalid: Vec<Invalid> = all_missing
            .iter()
            .map(|p| Invalid {
                error: FieldError {
                    field: p.clone(),
                    code: "facts.type".into(),
                    message: msg!(vi: "sai kiểu", en: "wrong type"),
                },
                given: Some("“nhiều”".into()),
            })
            .collect();
        for rule in &er.rules {
            if rule.kind == RuleKind::Constraint {
                // its error message, with every subset of the values it names known
                let mut args: Vec<Option<Scalar>> =
                    rule.locals.iter().map(|l| sample(pack, &l.2)).collect();
                args.extend(rule.args.iter().map(|a| sample(pack, &a.2)));
                let n = args.len();
                let count = rule.messages.no.len();
                let field = match &rule.each {
                    Some((_, ptr)) => format!("{ptr}/1{}", rule.field.as_deref().unwrap_or("")),
                    None => rule.field.clone().unwrap_or_default(),
                };
                for known in 0..(1u32 << n) {
                    let a: Vec<Option<Scalar>> = (0..n)
                        .map(|i| (known & (1 << i) != 0).then(|| args[i].clone()).flatten())
                        .collect();
                    for k in 0..=count {
                        let whens: Vec<bool> = (0..count).map(|i| i >= k).collect();
                        let m = constraint_text(pack, er.record, rule, &a, &whens, &field);
                        for text in [&m.vi, &m.en] {
                            rendered += 1;
                            if let Some(why) = leaks::leak(text, &names) {
                                let key = (format!("{}.no", rule.name), why);
                                leaks.entry(key).or_insert((text.clone(), 0)).1 += 1;
                            }
                        }
                    }
                }
                continue;
            }
            if rule.internal {
                continue;
            }
            // the arguments a message may use: value, target, then each `let`
            let mut args: Vec<Option<Scalar>> = Vec::new();
            args.push(rule.value.as_ref().and_then(|(_, t)| sample(pack, t)));
            args.push(rule.target.as_ref().and_then(|(_, t)| sample(pack, t)));
            for (_, _, t) in &rule.locals {
                args.push(sample(pack, t));
            }
            for (_, _, t) in &rule.args {
                args.push(sample(pack, t));
            }
            let n = args.len();
            for outcome in Outcome::ALL {
                let note_sets = if outcome == Outcome::Unknown {
                    notes(pack, rule.applies_in)
                } else {
                    vec![vec![]]
                };
                let missing_sets = if outcome == Outcome::Unknown {
                    vec![
                        (vec![], vec![]),
                        (all_missing.clone(), vec![]),
                        (vec![], invalid.clone()),
                    ]
                } else {
                    vec![(vec![], vec![])]
                };
                // each wording gets to be the first whose `when` holds
                let count = match outcome {
                    Outcome::Yes => rule.messages.yes.len(),
                    Outcome::No => rule.messages.no.len(),
                    Outcome::Unknown => rule.messages.unknown.len(),
                };
                let when_sets: Vec<Vec<bool>> = (0..=count)
                    .map(|k| (0..count).map(|i| i >= k).collect())
                    .collect();
                for known in 0..(1u32 << n) {
                    let pick = |i: usize| {
                        if known & (1 << i) != 0 {
                            args[i].clone()
                        } else {
                            None
                        }
                    };
                    for whens in &when_sets {
                        for notes in &note_sets {
                            for (missing, invalid) in &missing_sets {
                                let d = Decision {
                                    rule,
                                    pack,
                                    record: er.record,
                                    outcome,
                                    value: pick(0),
                                    target: pick(1),
                                    args: (2..n).map(pick).collect(),
                                    whens: whens.clone(),
                                    missing: missing.clone(),
                                    invalid: invalid.clone(),
                                    notes: notes.clone(),
                                    as_of,
                                };
                                for m in d.reasons() {
                                    for text in [&m.vi, &m.en] {
                                        rendered += 1;
                                        if let Some(why) = leaks::leak(text, &names) {
                                            let key = (
                                                format!("{}.{}", rule.name, outcome.as_str()),
                                                why,
                                            );
                                            leaks.entry(key).or_insert((text.clone(), 0)).1 += 1;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(rendered > 1000, "only {rendered} texts rendered");
    let total: usize = leaks.values().map(|(_, n)| n).sum();
    let list: Vec<String> = leaks
        .into_iter()
        .map(|((at, why), (text, n))| format!("{at}: {why} ×{n}, e.g. {text}"))
        .collect();
    println!("{rendered} texts checked");
    assert!(
        list.is_empty(),
        "{total} of {rendered} rendered texts show what a person must not see:\n{}",
        list.join("\n")
    );
}
