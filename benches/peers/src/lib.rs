//! The cooperative decisions of the Bến Tre pack written for zen-engine (gorules' business
//! rules engine, `zen-engine` 2.1.6 on crates.io) as one expression node, beside this engine,
//! so that both can be timed on the same JSON in one run (`benches/cooperative.rs`) after a test
//! (`tests/agree.rs`) shows they give the same answers.
//!
//! Not part of the main workspace and never built by CI (zen-engine brings QuickJS, swc and a
//! TLS stack). Run: `cargo bench --manifest-path benches/peers/Cargo.toml`.
//!
//! ## How faithful the zen version is
//!
//! Each output is written from the pack's rule (`rules/ben-tre-2747/cooperative.toml`,
//! `rules/vn-law/membership.toml`), with the differences zen's language imposes:
//!
//! - **Three-valued logic by hand.** zen has `null` but no Kleene `and`/`or`: `null == "female"`
//!   is plainly `false`. Every output therefore tests its facts for `null` first and gives `null`
//!   (our `unknown`) where the pack's rule would; `any(…)` over managers becomes "some manager
//!   certainly qualifies → true, else some manager might (a `null` gender, role or kind) → null,
//!   else false".
//! - **Dated parameters inlined.** The pack's parameters carry dated values (60% until
//!   2025-12-31, 70% from 2026; 7 members until 2024-06-30, 5 from then…), picked at the as-of
//!   date. zen has no parameter tables: the dates and
//!   values are written into the expressions as `d("…")` comparisons and ternaries. zen spends
//!   most of its time on dates: each `d("…")` parses its text again at every evaluation (about
//!   0.5 µs each); the input's two dates are parsed once per evaluation.
//! - **The as-of date is a fact.** Our engine takes it as an argument; zen reads it from the
//!   input, so the benchmark's JSON carries `"as_of"` (our decoder ignores the extra field).
//! - **No schema, no constraints.** Our engine checks every fact against the pack's schema
//!   (types, enum values, bounds) and its constraint rules (female workers ≤ total, founding date
//!   not after the as-of date, board roles only in an HTX) and treats a failing fact as absent;
//!   the zen graph computes on whatever it is given. The agreement test uses valid records only.
//! - **No explanations.** Our evaluation also yields, per decision, the missing facts' JSON
//!   Pointers, reasons in Vietnamese and English (rendered on demand) and the citation; zen's
//!   output is the values and nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use htx_rules::{Date, Engine, Outcome, Scalar};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use zen_engine::model::DecisionContent;
use zen_engine::{Decision, DecisionEngine};
use zen_expression::expression::Standard;
use zen_expression::{Expression, Isolate, Variable};

/// The as-of date of the timed record (phase 1).
pub const AS_OF: &str = "2025-06-30";

/// The timed record: the contract's example cooperative with two managers, plus `as_of` (read by
/// zen, ignored by our engine, which takes the date as an argument). The same text for both.
pub const COOP: &str = r#"{"id":"BT-HTX-0001","name":"HTX Dệt chiếu Bình Thành","kind":"htx","established_on":"2024-03-15",
"members":{"total":12,"female":9},"workers":{"total":40,"female":31},
"managers":[{"role":"board_chair","gender":"female","trained":true},{"role":"director","gender":"male"}],
"sectors":["handicraft","ocop"],"value_chain":true,"processing_technology":false,"traditional_craft":true,
"cultural_restoration":false,"local_natural_resources":false,"digital_transformation":false,
"planned_production_zone":false,"craft_village":true,"as_of":"2025-06-30"}"#;

/// The decisions compared, in the pack's order: the eight the issue names and
/// `priority_cooperative_i2`, which the pack has since gained, so that zen does all the work
/// our engine does.
pub const DECISIONS: [&str; 9] = [
    "women_managed",
    "female_labour_share",
    "many_female_jobs",
    "counts_as_new",
    "priority_cooperative",
    "priority_cooperative_i2",
    "priority_sector",
    "priority_locality",
    "meets_membership_minimum",
];

/// The zen expressions, in evaluation order: `key`, expression. Keys starting with `_` are
/// helpers (zen's expression node exposes earlier results as `$.key`); the others are the
/// decisions: `true`/`false`/`null` for yes/no/unknown, a number for the share.
pub const EXPRESSIONS: [(&str, &str); 16] = [
    // the dates, parsed once (`d(null)` would be an invalid date, not null)
    ("_as_of", r#"d(as_of)"#),
    (
        "_established",
        r#"established_on == null ? null : d(established_on)"#,
    ),
    // the phase in force at the as-of date (periods.toml: 2023-2025, 2026-2030)
    (
        "_phase",
        r#"($._as_of < d("2023-01-01") or $._as_of > d("2030-12-31")) ? null : ($._as_of <= d("2025-12-31") ? 1 : 2)"#,
    ),
    // applies_in = "programme" (II.3: 2023-2030, the two phases end to end)
    ("_in_programme", r#"$._phase != null"#),
    // param.many_jobs_threshold at the as-of date: "trên 60%" (phase 1), "trên 70%" (phase 2)
    (
        "_threshold",
        r#"$._phase == 1 ? 0.6 : ($._phase == 2 ? 0.7 : null)"#,
    ),
    // any(m in managers: m.gender == "female" and (m.role in param.leadership_roles
    //     or (m.role == "group_leader" and kind == "tht")))
    (
        "women_managed",
        r#"(not $._in_programme or managers == null) ? null : (some(managers, #.gender == "female" and (#.role in ["board_chair", "board_member", "general_director", "director", "supervisory_board_member", "supervisor"] or (#.role == "group_leader" and kind == "tht"))) ? true : (some(managers, (#.gender == null or #.gender == "female") and (#.role == null or #.role in ["board_chair", "board_member", "general_director", "director", "supervisory_board_member", "supervisor"] or (#.role == "group_leader" and (kind == null or kind == "tht")))) ? null : false))"#,
    ),
    // workers.female / workers.total: unknown when the total is 0 or absent (exact decimals in zen too)
    (
        "female_labour_share",
        r#"(workers.total == null or workers.female == null or workers.total == 0) ? null : workers.female / workers.total"#,
    ),
    // rule.female_labour_share > param.many_jobs_threshold
    (
        "many_female_jobs",
        r#"(not $._in_programme or $.female_labour_share == null) ? null : $.female_labour_share > $._threshold"#,
    ),
    // within(established_on, phases, index_at(phases, as_of))
    (
        "_founded_in_phase",
        r#"($._established == null or $._phase == null) ? null : ($._phase == 1 ? ($._established >= d("2023-01-01") and $._established <= d("2025-12-31")) : ($._established >= d("2026-01-01") and $._established <= d("2030-12-31")))"#,
    ),
    // applies_in = "phases"; kind in ["htx", "tht"] and within(…) and rule.women_managed
    //   and rule.many_female_jobs (Kleene and: a missing kind is unknown)
    (
        "counts_as_new",
        r#"$._phase == null ? null : ((kind == "union" or $._founded_in_phase == false or $.women_managed == false or $.many_female_jobs == false) ? false : ((kind == null or $._founded_in_phase == null or $.women_managed == null or $.many_female_jobs == null) ? null : true))"#,
    ),
    // value_chain or processing_technology or traditional_craft or cultural_restoration
    //   or local_natural_resources (Kleene or)
    (
        "priority_cooperative",
        r#"not $._in_programme ? null : ((value_chain == true or processing_technology == true or traditional_craft == true or cultural_restoration == true or local_natural_resources == true) ? true : ((value_chain == null or processing_technology == null or traditional_craft == null or cultural_restoration == null or local_natural_resources == null) ? null : false))"#,
    ),
    // science_technology or innovation or digital_transformation
    //   or (if len(sectors) == 0 then unknown else "ocop" in sectors) (Kleene or)
    (
        "priority_cooperative_i2",
        r#"not $._in_programme ? null : ((science_technology == true or innovation == true or digital_transformation == true or (sectors != null and "ocop" in sectors)) ? true : ((science_technology == null or innovation == null or digital_transformation == null or sectors == null or len(sectors) == 0) ? null : false))"#,
    ),
    // if any(s in sectors: s in param.priority_sectors) then true else unknown (never "no":
    // III.2's list is open)
    (
        "priority_sector",
        r#"(not $._in_programme or sectors == null) ? null : (some(sectors, # in ["agriculture", "livestock", "crops", "aquaculture", "handicraft", "weaving", "garment", "processing", "ocop", "community_tourism"]) ? true : null)"#,
    ),
    // planned_production_zone or craft_village (Kleene or)
    (
        "priority_locality",
        r#"not $._in_programme ? null : ((planned_production_zone == true or craft_village == true) ? true : ((planned_production_zone == null or craft_village == null) ? null : false))"#,
    ),
    // the minimum of the law in force at the as-of date (param.*_min_members): HTX 7
    // (2013-07-01..2024-06-30) then 5; THT 2 from 2019-11-25; union 4 then 3; none before
    (
        "_minimum",
        r#"kind == null ? null : (kind == "htx" ? ($._as_of < d("2013-07-01") ? null : ($._as_of <= d("2024-06-30") ? 7 : 5)) : (kind == "tht" ? ($._as_of < d("2019-11-25") ? null : 2) : ($._as_of < d("2013-07-01") ? null : ($._as_of <= d("2024-06-30") ? 4 : 3))))"#,
    ),
    // members.total >= minimum (no applies_in: the law, not the programme)
    (
        "meets_membership_minimum",
        r#"(members.total == null or $._minimum == null) ? null : members.total >= $._minimum"#,
    ),
];

/// The zen decision graph (JDM): input node → one expression node with [`EXPRESSIONS`] → output.
pub fn zen_graph() -> Value {
    let expressions: Vec<Value> = EXPRESSIONS
        .iter()
        .enumerate()
        .map(|(i, (key, value))| json!({ "id": format!("e{i}"), "key": key, "value": value }))
        .collect();
    json!({
        "nodes": [
            { "id": "in", "type": "inputNode", "name": "Cooperative", "position": { "x": 0, "y": 0 } },
            { "id": "coop", "type": "expressionNode", "name": "Cooperative decisions",
              "position": { "x": 200, "y": 0 }, "content": { "expressions": expressions } },
            { "id": "out", "type": "outputNode", "name": "Decisions", "position": { "x": 400, "y": 0 } }
        ],
        "edges": [
            { "id": "in-coop", "sourceId": "in", "targetId": "coop", "type": "edge" },
            { "id": "coop-out", "sourceId": "coop", "targetId": "out", "type": "edge" }
        ]
    })
}

/// zen's decision graph, compiled (expressions turned to bytecode once), with the single-thread
/// runtime its async `evaluate` runs on.
pub struct ZenGraph {
    decision: Decision,
    runtime: tokio::runtime::Runtime,
}

impl ZenGraph {
    /// Loads and compiles [`zen_graph`].
    pub fn new() -> ZenGraph {
        let content: DecisionContent = serde_json::from_value(zen_graph()).expect("zen graph");
        let mut decision = DecisionEngine::default()
            .create_decision(content.into())
            .expect("a graph decision");
        decision.compile();
        decision.validate().expect("a valid zen graph");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("tokio runtime");
        ZenGraph { decision, runtime }
    }

    /// Evaluates the graph on `input` (the record with `as_of`); the result object.
    pub fn evaluate(&self, input: Variable) -> Variable {
        self.runtime
            .block_on(self.decision.evaluate(input))
            .expect("zen evaluation")
            .result
    }
}

impl Default for ZenGraph {
    fn default() -> Self {
        ZenGraph::new()
    }
}

/// zen's expression language alone (`zen-expression`): [`EXPRESSIONS`] compiled to bytecode
/// once, run in one reused `Isolate` the way the expression node runs them (each result stored
/// as `$.key` for the next), without the graph around them: zen's fastest path.
pub struct ZenExpressions {
    compiled: Vec<(&'static str, Expression<Standard>)>,
    isolate: Isolate,
}

impl ZenExpressions {
    /// Compiles [`EXPRESSIONS`].
    pub fn new() -> ZenExpressions {
        let mut isolate = Isolate::new();
        let compiled = EXPRESSIONS
            .iter()
            .map(|(k, e)| {
                let code = isolate
                    .compile_standard(e)
                    .unwrap_or_else(|err| panic!("zen cannot compile {k}: {err}"));
                (*k, code)
            })
            .collect();
        ZenExpressions { compiled, isolate }
    }

    /// Evaluates every expression on `input`; the object of results (helpers included).
    pub fn evaluate(&mut self, input: Variable) -> Variable {
        self.isolate.set_environment(input);
        let out = Variable::empty_object();
        self.isolate
            .set_local(Variable::dollar_key(), out.shallow_clone());
        for (key, code) in &self.compiled {
            let v = self
                .isolate
                .run_compiled(code.bytecode())
                .unwrap_or_else(|err| panic!("zen cannot evaluate {key}: {err}"));
            out.dot_insert(key, v);
        }
        out
    }
}

impl Default for ZenExpressions {
    fn default() -> Self {
        ZenExpressions::new()
    }
}

/// One decision's answer, comparable across the two engines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A yes/no/unknown outcome.
    Outcome(&'static str),
    /// A value (the share), or none when unknown.
    Value(Option<Decimal>),
}

/// Our engine's answers for [`DECISIONS`].
pub fn ours(engine: &Engine, record: &Value, as_of: Date) -> BTreeMap<&'static str, Answer> {
    let ev = engine
        .evaluate("cooperative", record, as_of)
        .expect("evaluate");
    assert!(
        ev.errors().is_empty(),
        "the agreement cases must be valid records: {:?}",
        ev.errors()
    );
    DECISIONS
        .iter()
        .map(|&name| {
            let d = ev.decision(name).unwrap_or_else(|| panic!("no {name}"));
            let answer = if name == "female_labour_share" {
                Answer::Value(match d.value() {
                    Some(Scalar::Decimal(x)) => Some(x.normalize()),
                    Some(Scalar::Int(i)) => Some(Decimal::from(*i)),
                    None => None,
                    Some(other) => panic!("share is {other:?}"),
                })
            } else {
                Answer::Outcome(match d.outcome() {
                    Outcome::Yes => "yes",
                    Outcome::No => "no",
                    Outcome::Unknown => "unknown",
                })
            };
            (name, answer)
        })
        .collect()
}

/// zen's answers, read from its result object (numbers as zen's own decimals: no `f64` on the
/// way, which `Variable::to_value` would use).
pub fn zen(result: &Variable) -> BTreeMap<&'static str, Answer> {
    DECISIONS
        .iter()
        .map(|&name| {
            let v = result.dot(name).unwrap_or(Variable::Null);
            let answer = if name == "female_labour_share" {
                Answer::Value(match &v {
                    Variable::Null => None,
                    Variable::Number(n) => Some(n.normalize()),
                    other => panic!("zen share is {other:?}"),
                })
            } else {
                Answer::Outcome(match &v {
                    Variable::Bool(true) => "yes",
                    Variable::Bool(false) => "no",
                    Variable::Null => "unknown",
                    other => panic!("zen {name} is {other:?}"),
                })
            };
            (name, answer)
        })
        .collect()
}

/// The agreement cases: valid records (no schema or constraint error in our engine) at an as-of
/// date each, covering both phases, outside the programme, missing facts of every kind, the
/// thresholds' edges (exactly 60% and 70%), every kind and the membership laws' dates.
pub fn cases() -> Vec<(Value, &'static str)> {
    let coop: Value = serde_json::from_str(COOP).expect("COOP is JSON");
    let with = |patch: Value| {
        let mut c = coop.clone();
        if let (Some(obj), Value::Object(p)) = (c.as_object_mut(), patch) {
            for (k, v) in p {
                if v.is_null() {
                    obj.remove(&k);
                } else {
                    obj.insert(k, v);
                }
            }
        }
        c
    };
    let patches = [
        (json!({}), AS_OF),
        (json!({}), "2026-03-01"),
        (json!({}), "2031-01-01"),
        // the thresholds' edges: exactly 60% in phase 1, exactly 70% in phase 2; 0 workers; 1/3
        (json!({ "workers": { "total": 10, "female": 6 } }), AS_OF),
        (
            json!({ "workers": { "total": 10, "female": 7 } }),
            "2026-03-01",
        ),
        (json!({ "workers": { "total": 0, "female": 0 } }), AS_OF),
        (json!({ "workers": { "total": 3, "female": 1 } }), AS_OF),
        (
            json!({ "workers": null, "managers": null, "sectors": null }),
            AS_OF,
        ),
        // managers: roles that do not count; missing gender or role
        (
            json!({ "managers": [ { "role": "deputy_director", "gender": "female" }, { "role": "board_chair", "gender": "male" } ] }),
            AS_OF,
        ),
        (
            json!({ "managers": [ { "role": "board_member" }, { "role": "accountant", "gender": "female" } ] }),
            AS_OF,
        ),
        // kinds: a THT led by a woman; a THT led by a man; unions; a missing kind
        (
            json!({ "kind": "tht", "managers": [ { "role": "group_leader", "gender": "female" } ], "members": { "total": 2 } }),
            AS_OF,
        ),
        (
            json!({ "kind": "tht", "established_on": "2019-05-01", "managers": [ { "role": "group_leader", "gender": "male" } ] }),
            AS_OF,
        ),
        (
            json!({ "kind": "union", "members": { "total": 3 }, "established_on": "2024-01-10" }),
            "2024-06-30",
        ),
        (
            json!({ "kind": "union", "members": { "total": 3 }, "established_on": "2024-07-01" }),
            "2026-03-01",
        ),
        (
            json!({ "kind": null, "managers": [ { "role": "group_leader", "gender": "female" } ] }),
            AS_OF,
        ),
        // membership: the 2012 law's 7 until 2024-06-30, the 2023 law's 5 from 2024-07-01
        (json!({ "members": { "total": 6 } }), "2024-06-30"),
        (json!({ "members": { "total": 5 } }), "2024-07-01"),
        (json!({ "members": { "total": 4 } }), AS_OF),
        (json!({ "established_on": null, "members": null }), AS_OF),
        // founding dates outside the phase in force
        (json!({ "established_on": "2010-01-01" }), AS_OF),
        (json!({ "established_on": "2022-12-31" }), AS_OF),
        (json!({ "established_on": "2025-12-31" }), "2026-03-01"),
        // priority grounds: all false, one missing
        (
            json!({ "value_chain": false, "traditional_craft": false }),
            AS_OF,
        ),
        (
            json!({ "value_chain": false, "traditional_craft": null }),
            AS_OF,
        ),
        // sectors: named, unnamed, empty, missing
        (
            json!({ "sectors": ["aquaculture", "trade_services"], "craft_village": false }),
            AS_OF,
        ),
        (
            json!({ "sectors": ["trade_services"], "science_technology": false, "innovation": false, "digital_transformation": false }),
            AS_OF,
        ),
        (
            json!({ "sectors": [], "craft_village": null, "innovation": true }),
            AS_OF,
        ),
        (
            json!({ "sectors": null, "science_technology": false, "innovation": false }),
            AS_OF,
        ),
    ];
    patches
        .into_iter()
        .map(|(patch, as_of)| (with(patch), as_of))
        .collect()
}

/// Compares both engines (graph and bare expressions) on every case; the disagreements, if any.
pub fn disagreements() -> Vec<String> {
    let engine = Engine::embedded().expect("the embedded pack");
    let graph = ZenGraph::new();
    let mut exprs = ZenExpressions::new();
    let mut out = Vec::new();
    for (i, (record, as_of)) in cases().into_iter().enumerate() {
        let mut input = record.clone();
        if let Some(obj) = input.as_object_mut() {
            obj.insert("as_of".into(), Value::String(as_of.into()));
        }
        let date = Date::parse(as_of).expect("a date");
        let want = ours(&engine, &record, date);
        let by_graph = zen(&graph.evaluate(Variable::from(&input)));
        let by_exprs = zen(&exprs.evaluate(Variable::from(&input)));
        for name in DECISIONS {
            for (how, got) in [("graph", &by_graph), ("expressions", &by_exprs)] {
                if want.get(name) != got.get(name) {
                    out.push(format!(
                        "case {i} (as of {as_of}) {name}: htx-rules {:?}, zen {how} {:?}\n  {record}",
                        want.get(name),
                        got.get(name)
                    ));
                }
            }
        }
    }
    out
}
