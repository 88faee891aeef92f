//! `explain`: a rule, parameter, period group or information topic, with its text, citation
//! and dated values.

use serde_json::{json, Value};

use crate::expr::compile::ty_name;
use crate::model::{Pack, Template};
use crate::text::Lang;
use crate::value::Val;

fn val_json(v: &Val) -> Value {
    match v {
        Val::Bool(b) => json!(b),
        Val::Int(i) => json!(i),
        Val::Dec(d) => json!(d.normalize().to_string()),
        Val::Date(d) => json!(d.to_string()),
        Val::Str(s) => json!(s.as_ref()),
        Val::Enum(e) => json!(&*e.text),
        Val::List(l) => Value::Array(l.iter().map(val_json).collect()),
        Val::Rec(_) => Value::Null,
    }
}

pub(crate) fn names(pack: &Pack) -> Vec<String> {
    let mut out = Vec::new();
    for e in &pack.entities {
        out.extend(e.rules.iter().map(|r| r.name.clone()));
    }
    out.extend(pack.params.iter().map(|p| p.name.clone()));
    out.extend(pack.groups.iter().map(|g| g.name.clone()));
    out.extend(pack.infos.iter().map(|i| i.name.clone()));
    out.sort();
    out.dedup();
    out
}

fn param_json(pack: &Pack, name: &str) -> Option<Value> {
    let p = pack.params.get(*pack.param_by_name.get(name)?)?;
    let values: Vec<Value> = p
        .values
        .iter()
        .map(|v| {
            json!({
                "from": v.from.to_string(),
                "to": v.to.map(|t| t.to_string()),
                "value": val_json(&v.value),
                "cite": v.cite,
                "override": v.overrides,
                "reform": v.reform.and_then(|k| pack.reforms.get(k)).map(|r| json!({"id": r.id, "title": r.title})),
            })
        })
        .collect();
    Some(json!({
        "kind": "parameter",
        "name": p.name,
        "type": ty_name(&p.ty, &pack.enums, &pack.records),
        "label": p.label,
        "cite": p.cite,
        "note": p.note,
        "confidence": p.confidence,
        "values": values,
    }))
}

/// A rule's wordings for one outcome, in order: `[{ "vi", "en", "when"? }]`.
fn templates_json(ts: &[Template]) -> Value {
    Value::Array(
        ts.iter()
            .map(|t| {
                let mut m = json!({ "vi": t.source.vi, "en": t.source.en });
                if let (Some(w), Some(o)) = (&t.when_source, m.as_object_mut()) {
                    o.insert("when".into(), json!(w));
                }
                m
            })
            .collect(),
    )
}

pub(crate) fn explain(pack: &Pack, name: &str) -> Option<Value> {
    let rules: Vec<Value> = pack
        .entities
        .iter()
        .flat_map(|e| e.rules.iter().map(move |r| (e, r)))
        .filter(|(_, r)| r.name == name)
        .map(|(e, r)| {
            let mut params = Vec::new();
            for (_, src) in &r.source {
                for p in pack.params.iter() {
                    if src.contains(&format!("param.{}", p.name)) && !params.iter().any(|x: &String| x == &p.name) {
                        params.push(p.name.clone());
                    }
                }
            }
            let param_values: Vec<Value> = params.iter().filter_map(|p| param_json(pack, p)).collect();
            let period = r.applies_in.and_then(|g| pack.groups.get(g)).map(|g| {
                json!({ "name": g.name, "members": g.members.iter().map(|m| json!({"index": m.index, "name": m.name, "from": m.from.to_string(), "to": m.to.to_string()})).collect::<Vec<_>>() })
            });
            json!({
                "kind": "rule",
                "name": r.name,
                "entity": e.name,
                "rule_kind": r.kind,
                "title": r.title,
                "pack": r.pack,
                "cite": r.cite,
                "interpretation": r.interpretation,
                "confidence": r.confidence,
                "logic": r.source.iter().map(|(k, v)| json!({"part": k, "expression": v})).collect::<Vec<_>>(),
                "applies_in": period,
                "parameters": param_values,
                "changed_by": r.changed_by.iter().filter_map(|&k| pack.reforms.get(k)).collect::<Vec<_>>(),
                "reforms": r.reforms.iter().filter_map(|&k| pack.reforms.get(k)).map(|x| x.id.clone()).collect::<Vec<_>>(),
                "messages": {
                    "yes": templates_json(&r.messages.yes),
                    "no": templates_json(&r.messages.no),
                    "unknown": templates_json(&r.messages.unknown),
                },
            })
        })
        .collect();
    if let Some(first) = rules.first() {
        return Some(if rules.len() == 1 {
            first.clone()
        } else {
            json!({ "kind": "rules", "name": name, "rules": rules })
        });
    }
    if let Some(p) = param_json(pack, name) {
        return Some(p);
    }
    if let Some(g) = pack.groups.iter().find(|g| g.name == name) {
        return Some(json!({
            "kind": "periods",
            "name": g.name,
            "label": g.label,
            "cite": g.cite,
            "members": g.members.iter().map(|m| json!({"index": m.index, "name": m.name, "from": m.from.to_string(), "to": m.to.to_string(), "label": m.label})).collect::<Vec<_>>(),
        }));
    }
    if let Some(i) = pack.infos.iter().find(|i| i.name == name) {
        return Some(
            json!({ "kind": "info", "name": i.name, "title": i.title, "cite": i.cite, "items": i.items, "pack": i.pack }),
        );
    }
    None
}

/// A parameter value as people write it: `60%`, `1.500.000 đồng`, lists joined.
fn show_value(v: &Value, ty: &str, lang: Lang) -> String {
    use crate::text::{write_money, write_share};
    match v {
        Value::String(s) => match (ty, s.parse::<rust_decimal::Decimal>()) {
            ("share", Ok(d)) => write_share(d, lang),
            ("money", Ok(d)) => write_money(d, lang),
            _ => s.clone(),
        },
        Value::Number(n) if ty == "money" => n
            .as_i64()
            .map(|i| write_money(i.into(), lang))
            .unwrap_or_else(|| n.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|i| show_value(i, ty, lang))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn msg(v: &Value, lang: Lang) -> String {
    let key = if lang == Lang::Vi { "vi" } else { "en" };
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn cite_line(c: &Value) -> String {
    let doc = c.get("document").and_then(Value::as_str).unwrap_or("");
    let sec = c.get("section").and_then(Value::as_str).unwrap_or("");
    let mut s = format!("{doc}, {sec}");
    if let Some(w) = c.get("wording").and_then(Value::as_str) {
        s.push_str(&format!(" — “{w}”"));
    }
    s
}

pub(crate) fn text(v: &Value, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut out = String::new();
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    let name = v.get("name").and_then(Value::as_str).unwrap_or("");
    match kind {
        "rules" => {
            for r in v
                .get("rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push_str(&text(r, lang));
                out.push('\n');
            }
        }
        "rule" => {
            let title = v.get("title").map(|t| msg(t, lang)).unwrap_or_default();
            out.push_str(&format!("{name} — {title}\n"));
            let ent = v.get("entity").and_then(Value::as_str).unwrap_or("");
            let rk = v.get("rule_kind").and_then(Value::as_str).unwrap_or("");
            out.push_str(&format!(
                "  {}: {ent} · {rk}\n",
                if vi { "đối tượng" } else { "entity" }
            ));
            if let Some(c) = v.get("cite") {
                out.push_str(&format!(
                    "  {}: {}\n",
                    if vi { "căn cứ" } else { "source" },
                    cite_line(c)
                ));
            }
            for r in v
                .get("changed_by")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push_str(&format!(
                    "  {}: {} — {}\n",
                    if vi {
                        "sửa bởi cải cách"
                    } else {
                        "changed by reform"
                    },
                    r.get("id").and_then(Value::as_str).unwrap_or(""),
                    r.get("title").map(|t| msg(t, lang)).unwrap_or_default(),
                ));
            }
            for l in v
                .get("logic")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let part = l.get("part").and_then(Value::as_str).unwrap_or("");
                let e = l.get("expression").and_then(Value::as_str).unwrap_or("");
                out.push_str(&format!(
                    "  {part}: {}\n",
                    e.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
            if let Some(i) = v.get("interpretation").filter(|i| !i.is_null()) {
                out.push_str(&format!(
                    "  {}: {}\n",
                    if vi { "cách hiểu" } else { "interpretation" },
                    msg(i, lang)
                ));
            }
            if let Some(c) = v.get("confidence").and_then(Value::as_str) {
                out.push_str(&format!(
                    "  {}: {c}\n",
                    if vi { "độ tin cậy" } else { "confidence" }
                ));
            }
            if let Some(p) = v.get("applies_in").filter(|p| !p.is_null()) {
                let members: Vec<String> = p
                    .get("members")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|m| {
                        format!(
                            "{} {}..{}",
                            m.get("name").and_then(Value::as_str).unwrap_or(""),
                            m.get("from").and_then(Value::as_str).unwrap_or(""),
                            m.get("to").and_then(Value::as_str).unwrap_or("")
                        )
                    })
                    .collect();
                out.push_str(&format!(
                    "  {}: {}\n",
                    if vi { "áp dụng" } else { "applies" },
                    members.join(", ")
                ));
            }
            for (outcome, vi_word) in [("yes", "có"), ("no", "không"), ("unknown", "chưa xác định")]
            {
                for t in v
                    .pointer(&format!("/messages/{outcome}"))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let when = t
                        .get("when")
                        .and_then(Value::as_str)
                        .map(|w| {
                            if vi {
                                format!(", khi {w}")
                            } else {
                                format!(", when {w}")
                            }
                        })
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "  {} ({}{when}): {}\n",
                        if vi { "lý do" } else { "reason" },
                        if vi { vi_word } else { outcome },
                        msg(t, lang)
                    ));
                }
            }
            for p in v
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push_str(
                    &text(p, lang)
                        .lines()
                        .map(|l| format!("  {l}\n"))
                        .collect::<String>(),
                );
            }
        }
        "parameter" => {
            let label = v.get("label").map(|t| msg(t, lang)).unwrap_or_default();
            let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
            out.push_str(&format!("param.{name} ({ty}) — {label}\n"));
            for x in v
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let from = x.get("from").and_then(Value::as_str).unwrap_or("");
                let to = x.get("to").and_then(Value::as_str).unwrap_or("…");
                let val = x
                    .get("value")
                    .map(|v| show_value(v, ty, lang))
                    .unwrap_or_default();
                let c = x.get("cite").map(cite_line).unwrap_or_default();
                let ov = if let Some(r) = x.get("reform").filter(|r| !r.is_null()) {
                    let id = r.get("id").and_then(Value::as_str).unwrap_or("");
                    if vi {
                        format!(" [cải cách {id}]")
                    } else {
                        format!(" [reform {id}]")
                    }
                } else if x.get("override").and_then(Value::as_bool) == Some(true) {
                    if vi {
                        " [điều chỉnh]".to_string()
                    } else {
                        " [override]".to_string()
                    }
                } else {
                    String::new()
                };
                out.push_str(&format!("  {from} .. {to}: {val}{ov}  ({c})\n"));
            }
            if let Some(n) = v.get("note").and_then(Value::as_str) {
                out.push_str(&format!("  {}: {n}\n", if vi { "ghi chú" } else { "note" }));
            }
            if let Some(c) = v.get("confidence").and_then(Value::as_str) {
                out.push_str(&format!(
                    "  {}: {c}\n",
                    if vi { "độ tin cậy" } else { "confidence" }
                ));
            }
        }
        "periods" => {
            out.push_str(&format!(
                "{name} — {}\n",
                v.get("label").map(|t| msg(t, lang)).unwrap_or_default()
            ));
            for m in v
                .get("members")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push_str(&format!(
                    "  {} {}: {} .. {}\n",
                    m.get("index").map(|x| x.to_string()).unwrap_or_default(),
                    m.get("name").and_then(Value::as_str).unwrap_or(""),
                    m.get("from").and_then(Value::as_str).unwrap_or(""),
                    m.get("to").and_then(Value::as_str).unwrap_or("")
                ));
            }
        }
        "info" => {
            out.push_str(&format!(
                "{name} — {}\n",
                v.get("title").map(|t| msg(t, lang)).unwrap_or_default()
            ));
            if let Some(c) = v.get("cite").filter(|c| !c.is_null()) {
                out.push_str(&format!(
                    "  {}: {}\n",
                    if vi { "căn cứ" } else { "source" },
                    cite_line(c)
                ));
            }
            for i in v
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push_str(&format!("  - {}\n", msg(i, lang)));
            }
        }
        _ => out.push_str(&v.to_string()),
    }
    out
}
