#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Disclosure control that holds: an attacker who takes every published figure of the counts of
//! women by priority group — totals, groups, differences, group sums, within one report and
//! between two reports that differ by one or two victims — never recovers a sensitive count
//! under 5. The same attack on the unprotected figures does recover it (the test has teeth).

use std::collections::BTreeSet;

use htx_rules::report::{Figure, IndicatorReport, Report};
use htx_rules::{Date, Engine, Lang};
use serde_json::{json, Value};

fn woman(id: String, group: &str) -> Value {
    let mut p = json!({ "id": id, "gender": "female", "poor_household": false, "near_poor_household": false });
    for g in [
        "disadvantaged_area",
        "disability",
        "reintegrated",
        "trafficking_victim",
        "domestic_violence_victim",
        "sexual_abuse_victim",
        "unsafe_migrant",
        "laid_off_industrial_worker",
    ] {
        p[g] = json!(g == group);
    }
    p
}

/// A registry with `others` women in non-sensitive groups (spread over three) and `victims`
/// trafficking victims, each woman in exactly one group (the attacker's best case).
fn registry(others: usize, victims: usize) -> Value {
    let mut persons = Vec::new();
    let groups = ["disability", "unsafe_migrant", "laid_off_industrial_worker"];
    for i in 0..others {
        persons.push(woman(format!("O{i}"), groups[i % 3]));
    }
    for i in 0..victims {
        persons.push(woman(format!("V{i}"), "trafficking_victim"));
    }
    json!({ "persons": persons })
}

fn priority(r: &Report) -> &IndicatorReport {
    r.periods
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.id == "priority_women")
        .unwrap()
}

/// The published numbers of the indicator: its total then each group (`None`: suppressed).
fn published(i: &IndicatorReport) -> Vec<Option<i64>> {
    let n = |f: &Figure| match f {
        Figure::Whole(x) => Some(*x),
        Figure::Decimal(_) => panic!("a count is whole"),
        Figure::Below(_) => None,
    };
    let mut out = vec![i.value.as_ref().and_then(n)];
    out.extend(i.groups.iter().map(|g| n(&g.value)));
    out
}

/// Everything an attacker can compute from one or two publications: each figure, each
/// pairwise sum and difference, the total minus every sum of published groups, and between
/// two reports each figure's change and the total's change minus every sum of group changes.
fn derived(a: &[Option<i64>], b: Option<&[Option<i64>]>) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    let add_all = |f: &[Option<i64>], out: &mut BTreeSet<i64>| {
        let known: Vec<i64> = f.iter().flatten().copied().collect();
        for &x in &known {
            out.insert(x);
            for &y in &known {
                out.insert(x - y);
                out.insert(x + y);
            }
        }
        let total = f[0];
        let groups: Vec<Option<i64>> = f[1..].to_vec();
        if let Some(t) = total {
            for mask in 0u32..(1 << groups.len()) {
                let mut s = 0;
                let mut ok = true;
                for (k, g) in groups.iter().enumerate() {
                    if mask & (1 << k) != 0 {
                        match g {
                            Some(v) => s += v,
                            None => ok = false,
                        }
                    }
                }
                if ok {
                    out.insert(t - s);
                    out.insert(s);
                }
            }
        }
    };
    add_all(a, &mut out);
    if let Some(b) = b {
        add_all(b, &mut out);
        let change: Vec<Option<i64>> = a.iter().zip(b).map(|(x, y)| Some((*y)? - (*x)?)).collect();
        add_all(&change, &mut out);
    }
    out
}

fn report(engine: &Engine, reg: &Value) -> Report {
    engine
        .report(reg, Date::parse("2026-11-27").unwrap())
        .unwrap()
}

#[test]
fn no_sum_or_difference_of_published_figures_reveals_a_small_sensitive_count() {
    let engine = Engine::embedded().unwrap();
    for others in [0, 1, 3, 7, 10, 12, 18, 33] {
        for victims in 1..=4usize {
            let first = report(&engine, &registry(others, victims));
            let a = published(priority(&first));
            // the victims' group is suppressed in the first report
            let g = priority(&first)
                .groups
                .iter()
                .find(|g| g.id == "trafficking_victim")
                .unwrap();
            assert_eq!(g.value, Figure::Below(5));
            for more in [1, 2] {
                let second = report(&engine, &registry(others, victims + more));
                let b = published(priority(&second));
                let d = derived(&a, Some(&b));
                for secret in 1..5 {
                    assert!(
                        !d.contains(&secret),
                        "{others} others, {victims} victims then {}: {secret} is derivable from {a:?} and {b:?}",
                        victims + more
                    );
                }
            }
        }
    }
}

#[test]
fn the_attack_works_on_unprotected_figures() {
    // what the report published before disclosure control: exact totals and groups
    let exact = |others: i64, victims: i64| {
        let per = [
            others / 3 + i64::from(others % 3 > 0),
            others / 3 + i64::from(others % 3 > 1),
            others / 3,
        ];
        vec![
            Some(others + victims),
            Some(per[0]),
            Some(per[1]),
            Some(per[2]),
            None,
        ]
    };
    let d = derived(&exact(10, 3), None);
    assert!(d.contains(&3), "13 minus the groups gives the 3 victims");
    let d = derived(&exact(10, 3), Some(&exact(10, 5)));
    assert!(d.contains(&2), "a second report gives the change");
}

#[test]
fn every_output_shows_only_the_protected_figures() {
    let engine = Engine::embedded().unwrap();
    let r = report(&engine, &registry(10, 3));
    let i = priority(&r);
    assert_eq!(i.value, Some(Figure::Whole(15)), "13 women, rounded to 15");
    let json = serde_json::to_value(&r).unwrap().to_string();
    assert!(!json.contains("\"value\":13"), "{json}");
    for lang in [Lang::Vi, Lang::En] {
        let table = r.to_table(lang);
        let line = table
            .lines()
            .find(|l| l.contains(i.title.get(lang)))
            .unwrap();
        assert!(line.contains(" 15 ") && !line.contains(" 13 "), "{line}");
        assert!(table.contains("<5"));
        let html = r.to_html(lang);
        assert!(html.contains("&lt;5") && !html.contains(">13<"));
    }
}
