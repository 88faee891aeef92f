//! Phase 8, tests: the pack's own `[[test]]` cases, checked against the entities and rules
//! (`Engine::run_tests` runs them).

use super::context::{Context, Parsed};
use crate::codes::Code;
use crate::model::{Expect, TestCase};
use crate::pack::doc::{ExpectDoc, TVal};

/// Checks and collects the test cases of every file.
pub(super) fn check(cx: &mut Context, docs: &[Parsed]) {
    for d in docs {
        let fid = d.file;
        for t in &d.doc.test {
            let Some(&ent) = cx.pack.entity_by_name.get(t.entity.get_ref()) else {
                cx.out.diag_at(
                    fid,
                    &t.entity,
                    Code::TestEntity,
                    msg!(
                        vi: format!("không có đối tượng `{}`", t.entity.get_ref()),
                        en: format!("unknown entity `{}`", t.entity.get_ref()),
                    ),
                );
                continue;
            };
            let Some(as_of) = cx.out.date(fid, &t.as_of) else {
                continue;
            };
            let mut expect = Vec::new();
            for (name, e) in &t.expect {
                let known = cx
                    .pack
                    .entities
                    .get(ent)
                    .is_some_and(|er| er.by_name.contains_key(name));
                if !known {
                    cx.out.diag_at(
                        fid,
                        e,
                        Code::TestUnknownRule,
                        msg!(
                            vi: format!("ca kiểm thử nêu quyết định không tồn tại `{name}`"),
                            en: format!("test expects unknown decision `{name}`"),
                        ),
                    );
                    continue;
                }
                let ex = match e.get_ref() {
                    ExpectDoc::Outcome(o) => Expect {
                        outcome: Some(o.clone()),
                        ..Expect::default()
                    },
                    ExpectDoc::Full {
                        outcome,
                        value,
                        target,
                        missing,
                    } => Expect {
                        outcome: outcome.clone(),
                        value: value.as_ref().map(toml_text),
                        target: target.as_ref().map(toml_text),
                        missing: missing.clone(),
                    },
                };
                if let Some(o) = &ex.outcome {
                    if !matches!(o.as_str(), "yes" | "no" | "unknown") {
                        cx.out.diag_at(
                            fid,
                            e,
                            Code::TestOutcome,
                            msg!(
                                vi: format!("kết quả `{o}` phải là yes, no hoặc unknown"),
                                en: format!("outcome `{o}` must be yes, no or unknown"),
                            ),
                        );
                    }
                }
                expect.push((name.clone(), ex));
            }
            let (line, _) = cx.out.loc(fid, t.name.span().start);
            cx.pack.tests.push(TestCase {
                name: t.name.get_ref().clone(),
                file: cx.out.path(fid),
                line,
                entity: t.entity.get_ref().clone(),
                as_of,
                facts: t
                    .facts
                    .clone()
                    .unwrap_or(serde_json::Value::Object(Default::default())),
                expect,
                valid: t.valid,
                errors: t.errors.clone(),
            });
        }
    }
}

/// An expected value as the test runner compares it: text as is, anything else as TOML.
fn toml_text(v: &TVal) -> String {
    match v {
        TVal::String(s) => s.clone(),
        other => other.to_string(),
    }
}
