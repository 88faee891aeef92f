//! The evaluator's shortcuts give what the plain lookups give: enum values interned at
//! decoding and in the pack's constants, parameters and period groups resolved per as-of date.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::date::Date;
use crate::engine::Engine;
use crate::expr::dated::AsOfRow;
use crate::expr::ir::Ex;
use crate::value::{Ty, Val};

fn engine() -> Engine {
    Engine::embedded().unwrap()
}

/// Every enum-typed parameter value of the shipped packs is interned, with its own text.
#[test]
fn enum_parameters_are_interned() {
    let e = engine();
    let pack = &e.pack;
    let mut seen = 0;
    for p in &pack.params {
        let elem = match &p.ty {
            Ty::List(t) => t.as_ref(),
            t => t,
        };
        let Ty::Enum(en) = elem else { continue };
        for v in &p.values {
            let items: Vec<&Val> = match &v.value {
                Val::List(l) => l.iter().collect(),
                x => vec![x],
            };
            for it in items {
                let Val::Enum(ev) = it else {
                    panic!("{}: {it:?} is not interned", p.name)
                };
                assert_eq!(ev.ty as usize, *en);
                assert_eq!(pack.enums[*en].values[ev.idx as usize], &*ev.text);
                seen += 1;
            }
        }
    }
    assert!(seen > 10, "the packs have enum parameters ({seen})");
}

/// A decoded fact of an enum type is interned, with its text; the texts held against enum
/// values in the pack's rules (`==`, `in`) are interned too, so the evaluator compares indices.
#[test]
fn enum_facts_and_rule_constants_are_interned() {
    let e = engine();
    let pack = &e.pack;
    let as_of = Date::parse("2025-06-30").unwrap();
    let mut facts_seen = 0;
    let mut consts = 0;
    let mut strs = Vec::new();
    for er in &pack.entities {
        let rt = &pack.records[er.record];
        for (slot, f) in rt.fields.iter().enumerate() {
            let Ty::Enum(en) = f.ty else { continue };
            let text = pack.enums[en].values.last().unwrap().clone();
            let facts = serde_json::json!({ f.name.clone(): text.clone() });
            let (rec, _) = e.decode(&er.name, &facts, as_of).unwrap();
            match &rec.slots[slot] {
                Some(Val::Enum(v)) => {
                    assert_eq!(&*v.text, text);
                    assert_eq!(v.ty as usize, en);
                }
                // (a constraint may reject the value alone: then it is absent)
                None => continue,
                other => panic!("{}.{} decoded as {other:?}", er.name, f.name),
            }
            facts_seen += 1;
        }
        for r in &er.rules {
            let exs = r.when.iter().chain(r.locals.iter().map(|(_, x, _)| x));
            for x in exs {
                walk(x, &mut |c| {
                    if let Ex::Cmp(_, a, b) | Ex::In(a, b, _) = c {
                        for side in [a, b] {
                            match side.as_ref() {
                                Ex::Const(Val::Enum(_)) => consts += 1,
                                Ex::Const(Val::List(l))
                                    if !l.is_empty()
                                        && l.iter().all(|i| matches!(i, Val::Enum(_))) =>
                                {
                                    consts += 1
                                }
                                Ex::Const(v @ Val::List(l))
                                    if l.iter().any(|i| matches!(i, Val::Str(_))) =>
                                {
                                    strs.push(format!("{v:?}"))
                                }
                                _ => {}
                            }
                        }
                    }
                });
            }
        }
    }
    assert!(facts_seen >= 3, "enum facts decoded: {facts_seen}");
    assert!(consts >= 3, "interned constants: {consts}");
    assert!(strs.is_empty(), "constant lists left as text: {strs:?}");
}

fn walk<'a>(x: &'a Ex, f: &mut dyn FnMut(&'a Ex)) {
    f(x);
    x.for_each_child(&mut |c| walk(c, f));
}

/// The per-segment table gives, on every day around every date of the packs, the parameter
/// value and the period member the linear scans give.
#[test]
fn dated_table_matches_the_scans() {
    let e = engine();
    let pack = &e.pack;
    let mut days = Vec::new();
    for p in &pack.params {
        for v in &p.values {
            days.push(v.from);
            days.extend(v.to);
        }
    }
    for g in &pack.groups {
        for m in &g.members {
            days.push(m.from);
            days.push(m.to);
        }
    }
    assert!(!days.is_empty());
    let mut checked = 0;
    for d in days {
        for delta in -2..=2 {
            let day = d.add_days(delta);
            let row = AsOfRow::new(pack, day);
            for (i, p) in pack.params.iter().enumerate() {
                assert_eq!(row.param(i), p.at(day), "{} at {day}", p.name);
                checked += 1;
            }
            for (g, gr) in pack.groups.iter().enumerate() {
                assert_eq!(
                    row.group(g).map(|m| m.index),
                    gr.at(day).map(|m| m.index),
                    "{} at {day}",
                    gr.name
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100);
    // far before and after every date: nothing in force
    for day in ["1900-01-01", "2999-12-31"] {
        let day = Date::parse(day).unwrap();
        let row = AsOfRow::new(pack, day);
        for (i, p) in pack.params.iter().enumerate() {
            assert_eq!(row.param(i), p.at(day));
        }
    }
}
