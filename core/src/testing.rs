//! Running a pack's own test cases (`[[test]]` tables), and the conformance corpus that every
//! runner (Rust, Python, the browser) replays.

use serde::Serialize;
use serde_json::{json, Value};

use crate::engine::Engine;

/// The result of one test case.
#[derive(Clone, Debug, Serialize)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// `file:line` of the case.
    pub location: String,
    /// Failures (empty when the case passed).
    pub failures: Vec<String>,
}

/// The results of a pack's test cases.
#[derive(Clone, Debug, Serialize)]
pub struct TestSummary {
    /// Every case, in pack order.
    pub cases: Vec<CaseResult>,
}

impl TestSummary {
    /// Number of cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.failures.is_empty()).count()
    }
    /// Number of cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

impl Engine {
    /// Runs the pack's `[[test]]` cases.
    pub fn run_tests(&self) -> TestSummary {
        let mut cases = Vec::new();
        for t in &self.pack.tests {
            let mut failures = Vec::new();
            if !t.expect.is_empty() {
                match self.evaluate(&t.entity, &t.facts, t.as_of) {
                    Err(e) => failures.push(format!("evaluation failed: {e}")),
                    Ok(ev) => {
                        for (name, ex) in &t.expect {
                            let Some(d) = ev.decision(name) else {
                                failures.push(format!("{name}: no such decision in the output"));
                                continue;
                            };
                            if let Some(o) = &ex.outcome {
                                if d.outcome().as_str() != o {
                                    let why = d
                                        .reasons()
                                        .iter()
                                        .map(|r| r.en.clone())
                                        .collect::<Vec<_>>()
                                        .join("; ");
                                    failures.push(format!(
                                        "{name}: expected {o}, got {} ({why})",
                                        d.outcome().as_str()
                                    ));
                                }
                            }
                            let text = |v: Option<&crate::engine::Scalar>| match v
                                .map(crate::engine::Scalar::to_json)
                            {
                                Some(Value::String(s)) => s,
                                Some(Value::Null) | None => "null".into(),
                                Some(other) => other.to_string(),
                            };
                            if let Some(v) = &ex.value {
                                let got = text(d.value());
                                if &got != v {
                                    failures.push(format!("{name}: expected value {v}, got {got}"));
                                }
                            }
                            if let Some(v) = &ex.target {
                                let got = text(d.target());
                                if &got != v {
                                    failures
                                        .push(format!("{name}: expected target {v}, got {got}"));
                                }
                            }
                            if let Some(m) = &ex.missing {
                                if d.missing() != m.as_slice() {
                                    failures.push(format!(
                                        "{name}: expected missing {m:?}, got {:?}",
                                        d.missing()
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            if t.valid.is_some() || t.errors.is_some() {
                match self.validate(&t.entity, &t.facts, t.as_of) {
                    Err(e) => failures.push(format!("validation failed: {e}")),
                    Ok(v) => {
                        if let Some(want) = t.valid {
                            if v.valid != want {
                                let errs: Vec<_> = v
                                    .errors
                                    .iter()
                                    .map(|e| format!("{} {}", e.field, e.code))
                                    .collect();
                                failures.push(format!(
                                    "expected valid = {want}, got {} ({})",
                                    v.valid,
                                    errs.join(", ")
                                ));
                            }
                        }
                        if let Some(fields) = &t.errors {
                            let got: Vec<&str> =
                                v.errors.iter().map(|e| e.field.as_str()).collect();
                            if got != fields.iter().map(String::as_str).collect::<Vec<_>>() {
                                failures
                                    .push(format!("expected errors at {fields:?}, got {got:?}"));
                            }
                        }
                    }
                }
            }
            cases.push(CaseResult {
                name: t.name.clone(),
                location: format!("{}:{}", t.file, t.line),
                failures,
            });
        }
        TestSummary { cases }
    }

    /// The conformance corpus built from the pack's test cases: one JSON case per test, with
    /// the engine's full output as the expected value (`op`, `entity`, `as_of`, `record`,
    /// `expected`).
    pub fn conformance_cases(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for t in &self.pack.tests {
            if !t.expect.is_empty() {
                if let Ok(ev) = self.evaluate(&t.entity, &t.facts, t.as_of) {
                    out.push(json!({
                        "name": t.name,
                        "op": "evaluate",
                        "entity": t.entity,
                        "as_of": t.as_of.to_string(),
                        "record": t.facts,
                        "expected": [ev.to_json()],
                    }));
                }
            }
            if t.valid.is_some() || t.errors.is_some() {
                if let Ok(v) = self.validate(&t.entity, &t.facts, t.as_of) {
                    out.push(json!({
                        "name": t.name,
                        "op": "validate",
                        "entity": t.entity,
                        "as_of": t.as_of.to_string(),
                        "record": t.facts,
                        "expected": v.to_json(),
                    }));
                }
            }
        }
        out
    }
}
