//! The lowered form gives what the tree walker gives: a differential test over every rule of
//! every shipped pack, on records generated from each entity's schema (absent facts, values at
//! and around the thresholds, enum values of every kind, lists of every length) and as-of
//! dates across the packs' periods.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::date::Date;
use crate::engine::Engine;
use crate::model::Pack;
use crate::value::{Record, Ty, Val};

/// The shipped packs that load: the plan's (with the law it imports), the law's alone, and
/// the test packs that are not deliberately broken.
fn engines() -> &'static [(String, Engine)] {
    static E: OnceLock<Vec<(String, Engine)>> = OnceLock::new();
    E.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut dirs = vec![root.join("rules/ben-tre-2747"), root.join("rules/vn-law")];
        let mut tests: Vec<_> = std::fs::read_dir(root.join("tests/packs"))
            .unwrap()
            .map(|d| d.unwrap().path())
            .filter(|p| {
                !p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("broken-")
            })
            .collect();
        tests.sort();
        dirs.extend(tests);
        let engines: Vec<_> = dirs
            .iter()
            .map(|d| {
                let e = Engine::from_dir(d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
                (d.display().to_string(), e)
            })
            .collect();
        assert!(engines.len() >= 4, "packs found: {}", engines.len());
        engines
    })
}

/// A small deterministic generator, seeded by proptest (which shrinks the seed).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const DATES: &[&str] = &[
    "2020-01-01",
    "2022-12-31",
    "2023-01-01",
    "2023-05-15",
    "2024-03-15",
    "2025-06-30",
    "2025-12-31",
    "2026-01-01",
    "2027-06-15",
    "2030-12-31",
    "2031-01-01",
    "2040-01-01",
];

fn date(g: &mut Gen) -> Date {
    let d = Date::parse(g.pick(DATES)).unwrap();
    if g.below(3) == 0 {
        d.add_days(g.below(800) as i64 - 400)
    } else {
        d
    }
}

fn value(g: &mut Gen, pack: &Pack, ty: &Ty, depth: usize) -> Option<Val> {
    if g.below(5) == 0 {
        return None;
    }
    Some(match ty {
        Ty::Bool => Val::Bool(g.below(2) == 0),
        Ty::Int => Val::Int(match g.below(4) {
            0 => g.pick(&[0, 1, 2, 3, 5, 6, 7, 10, 15, 80, 150, -1]),
            1 => i64::MAX - g.below(2) as i64,
            _ => g.below(60) as i64,
        }),
        Ty::Dec(_) => Val::Dec(match g.below(3) {
            0 => g.pick(&[
                Decimal::ZERO,
                Decimal::ONE,
                Decimal::new(6, 1),
                Decimal::new(7, 1),
                Decimal::new(5, 1),
                Decimal::new(601, 3),
                Decimal::new(8, 1),
                Decimal::new(9, 1),
            ]),
            _ => Decimal::new(g.below(2001) as i64, 3),
        }),
        Ty::Date => Val::Date(date(g)),
        Ty::Str => Val::Str(g.pick(&["", "a", "HTX", "female"]).into()),
        Ty::Enum(e) => {
            let en = &pack.enums[*e];
            let v = &en.values[g.below(en.values.len() as u64) as usize];
            en.val(*e, v)?
        }
        Ty::Rec(r) => {
            if depth > 3 {
                return None;
            }
            Val::Rec(Box::new(record(g, pack, *r, depth + 1)))
        }
        Ty::List(t) => {
            if depth > 3 {
                return None;
            }
            let n = g.pick(&[0, 1, 1, 2, 2, 3, 5]);
            let items = (0..n)
                .filter_map(|_| value(g, pack, t, depth + 1))
                .collect();
            Val::List(items)
        }
    })
}

fn record(g: &mut Gen, pack: &Pack, rt: usize, depth: usize) -> Record {
    let fields = &pack.records[rt].fields;
    Record {
        slots: fields
            .iter()
            .map(|f| value(g, pack, &f.ty, depth))
            .collect(),
    }
}

/// Runs every entity of every pack on records from `seed`; the first disagreement, if any.
fn disagreement(seed: u64) -> Option<String> {
    let mut g = Gen(seed | 1);
    for (dir, e) in engines() {
        for er in &e.pack.entities {
            for _ in 0..4 {
                let rec = record(&mut g, &e.pack, er.record, 0);
                let as_of = date(&mut g);
                if let Some(d) = e.lowered_differs(er, e.lowered_of(er).unwrap(), &rec, as_of) {
                    return Some(format!("{dir}, as of {as_of}: {d}\nrecord: {rec:?}"));
                }
            }
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn lowered_form_agrees_with_the_tree_walker(seed in any::<u64>()) {
        let d = disagreement(seed);
        prop_assert!(d.is_none(), "{}", d.unwrap_or_default());
    }
}

/// The generator reaches the rules' outcomes: each output of the plan's cooperative comes out
/// yes and unknown, most also no (so the property does not compare unknowns only).
#[test]
fn generated_records_reach_every_outcome() {
    use crate::engine::Outcome;
    let (_, e) = &engines()[0];
    let er = e.entity("cooperative").unwrap();
    let mut seen = vec![[false; 3]; er.outputs.len()];
    let mut g = Gen(7);
    let mut out = Vec::new();
    for _ in 0..3000 {
        let rec = record(&mut g, &e.pack, er.record, 0);
        let as_of = date(&mut g);
        e.outcomes(er, &rec, as_of, &mut out);
        for (k, (o, _)) in out.iter().enumerate() {
            let j = match o {
                Outcome::Yes => 0,
                Outcome::No => 1,
                Outcome::Unknown => 2,
            };
            seen[k][j] = true;
        }
    }
    for (k, s) in seen.iter().enumerate() {
        let name = &er.rules[er.outputs[k]].name;
        assert!(s[0] && s[2], "{name}: {s:?}");
    }
    // (a value rule is never `no`, nor is `priority_sector`: "yes, or unknown")
    let no = seen.iter().filter(|s| s[1]).count();
    assert!(
        no * 2 >= seen.len(),
        "{no} of {} decisions reach no",
        seen.len()
    );
}

/// The differential test fails when the two disagree: a lowered form built from another
/// rule's expressions is caught.
#[test]
fn a_wrong_lowered_form_is_caught() {
    let (_, e) = &engines()[0];
    let er = e.entity("cooperative").unwrap();
    let mut lw = crate::expr::lower::Lowered::of(&e.pack, er);
    // swap two decisions' conditions
    let ws: Vec<usize> = (0..lw.rules.len())
        .filter(|&i| lw.rules[i].when.is_some())
        .collect();
    let (a, b) = (ws[0], ws[1]);
    let (wa, wb) = (lw.rules[a].when.clone(), lw.rules[b].when.clone());
    lw.rules[a].when = wb;
    lw.rules[b].when = wa;
    let mut g = Gen(11);
    let caught = (0..500).any(|_| {
        let rec = record(&mut g, &e.pack, er.record, 0);
        e.lowered_differs(er, &lw, &rec, date(&mut g)).is_some()
    });
    assert!(caught);
}
