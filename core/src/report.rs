//! The progress report: every indicator of the plan, for each phase up to the as-of date,
//! computed from a registry and held against the phase's target by the pack's `progress` rules.
//!
//! The registry (JSON) is documented in the README: `cooperatives` (contract fields plus a
//! `programme` record of what the programme did for each), `union_officials`, `persons`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::date::Date;
use crate::engine::{Engine, Outcome, Scalar};
use crate::error::Error;
use crate::text::{write_share, Lang, Message};
use crate::value::Val;

/// Groups whose counts are shown as "<5" when small, in every output.
pub const SENSITIVE_GROUPS: [&str; 3] = [
    "trafficking_victim",
    "domestic_violence_victim",
    "sexual_abuse_victim",
];

/// A computed progress report.
#[derive(Clone, Debug)]
pub struct Report {
    json: Value,
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, k| cur.get(*k))
}
fn num(v: &Value, path: &[&str]) -> Option<i64> {
    get(v, path).and_then(|x| {
        x.as_i64()
            .or_else(|| x.as_str().and_then(|s| s.trim().parse().ok()))
    })
}
fn flag(v: &Value, path: &[&str]) -> Option<bool> {
    get(v, path).and_then(Value::as_bool)
}
fn date(v: &Value, path: &[&str]) -> Option<Date> {
    get(v, path).and_then(Value::as_str).and_then(Date::parse)
}
fn share(n: i64, d: i64) -> Option<Decimal> {
    if d <= 0 {
        None
    } else {
        Decimal::from(n)
            .checked_div(Decimal::from(d))
            .map(|x| x.round_dp(4).normalize())
    }
}

/// A programme count over the female workers of the same cooperatives (e.g. stable jobs).
fn female_share(coops: &[&Value], programme_field: &str) -> Option<Decimal> {
    let part: i64 = coops
        .iter()
        .filter_map(|c| num(c, &["programme", programme_field]))
        .sum();
    let women: i64 = coops
        .iter()
        .filter_map(|c| num(c, &["workers", "female"]))
        .sum();
    share(part, women)
}

const INDICATORS: [(&str, bool); 14] = [
    ("htx_consolidated", true),
    ("tht_consolidated", true),
    ("htx_stable_jobs_share", false),
    ("tht_stable_jobs_share", false),
    ("htx_new", true),
    ("tht_new", true),
    ("women_leaders_trained_share", false),
    ("union_officials_trained_share", false),
    ("union_officials_skilled_share", false),
    ("members_vocational_training_share", false),
    ("htx_restructuring_guided_share", false),
    ("htx_new_total_2023_2030", true),
    ("tht_new_total_2023_2030", true),
    ("new_with_women_leadership_share", false),
];

impl Engine {
    /// Computes the progress report from `registry` at `as_of`.
    pub fn report(&self, registry: &Value, as_of: Date) -> Result<Report, Error> {
        let Some(coops) = registry.get("cooperatives").and_then(Value::as_array) else {
            return Err(Error::input(
                "registry.shape",
                "sổ đăng ký cần có danh sách \"cooperatives\"",
                "the registry needs a \"cooperatives\" list",
            ));
        };
        let empty = Vec::new();
        let officials = registry
            .get("union_officials")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let persons = registry
            .get("persons")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let phases = self
            .pack
            .group_by_name
            .get("phases")
            .and_then(|&g| self.pack.groups.get(g))
            .ok_or_else(|| {
                Error::input(
                    "registry.pack",
                    "bộ quy tắc không có nhóm giai đoạn `phases`",
                    "the pack has no `phases` period group",
                )
            })?;
        let programme_start = phases.members.iter().map(|m| m.from).min().unwrap_or(as_of);
        let leadership: Vec<String> = self
            .pack
            .param_by_name
            .get("leadership_roles")
            .and_then(|&p| self.pack.params.get(p))
            .and_then(|p| {
                p.at(as_of.min(phases.members.iter().map(|m| m.to).max().unwrap_or(as_of)))
            })
            .map(|v| match v {
                Val::List(l) => l
                    .iter()
                    .filter_map(|x| {
                        if let Val::Str(s) = x {
                            Some(s.to_string())
                        } else {
                            None
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let is_leader = |m: &Value, kind: Option<&str>| {
            let role = m.get("role").and_then(Value::as_str).unwrap_or("");
            leadership.iter().any(|r| r == role) || (role == "group_leader" && kind == Some("tht"))
        };
        let mut out_phases = Vec::new();
        let mut record_errors = Vec::new();
        for ph in &phases.members {
            if as_of < ph.from {
                continue;
            }
            let d = as_of.min(ph.to);
            // a phase is over on its last day
            let running = as_of < ph.to;
            // per-cooperative decisions at d
            let mut rows = Vec::new();
            for c in coops {
                let mut rec = c.clone();
                if let Value::Object(m) = &mut rec {
                    m.remove("programme");
                }
                let ev = self.evaluate("cooperative", &rec, d)?;
                if ph.index == 1 && !ev.errors().is_empty() {
                    record_errors.push(json!({ "id": ev.id(), "errors": ev.errors() }));
                }
                let o = |n: &str| ev.decision(n).map(|x| x.outcome()) == Some(Outcome::Yes);
                rows.push((
                    c,
                    o("women_managed"),
                    o("many_female_jobs"),
                    o("counts_as_new"),
                ));
            }
            let kind = |c: &Value| c.get("kind").and_then(Value::as_str).map(str::to_string);
            let mut p = Map::new();
            p.insert("phase".into(), json!(ph.index));
            for k in ["htx", "tht"] {
                let consolidated: Vec<&Value> = rows
                    .iter()
                    .filter(|(c, wm, _, _)| {
                        *wm && kind(c).as_deref() == Some(k)
                            && date(c, &["programme", "consolidation_supported_on"])
                                .is_some_and(|x| x >= ph.from && x <= d)
                    })
                    .map(|r| r.0)
                    .collect();
                p.insert(format!("{k}_consolidated"), json!(consolidated.len()));
                if let Some(s) = female_share(&consolidated, "stable_female_jobs") {
                    p.insert(format!("{k}_stable_jobs_share"), json!(s.to_string()));
                }
                let new = rows
                    .iter()
                    .filter(|(c, _, _, cn)| {
                        *cn && kind(c).as_deref() == Some(k)
                            && flag(c, &["programme", "founding_supported"]) == Some(true)
                    })
                    .count();
                p.insert(format!("{k}_new"), json!(new));
                let total = coops
                    .iter()
                    .filter(|c| {
                        kind(c).as_deref() == Some(k)
                            && date(c, &["established_on"])
                                .is_some_and(|x| x >= programme_start && x <= d)
                    })
                    .count();
                p.insert(format!("{k}_new_total_2023_2030"), json!(total));
            }
            // women leaders of supported HTX trained
            let supported_htx = rows.iter().filter(|(c, wm, _, cn)| {
                kind(c).as_deref() == Some("htx")
                    && (*cn
                        || (*wm
                            && date(c, &["programme", "consolidation_supported_on"])
                                .is_some_and(|x| x >= ph.from && x <= d)))
            });
            let (mut leaders, mut trained) = (0i64, 0i64);
            for (c, _, _, _) in supported_htx {
                for m in c
                    .get("managers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if m.get("gender").and_then(Value::as_str) == Some("female")
                        && is_leader(m, Some("htx"))
                    {
                        leaders += 1;
                        if m.get("trained").and_then(Value::as_bool) == Some(true) {
                            trained += 1;
                        }
                    }
                }
            }
            if let Some(s) = share(trained, leaders) {
                p.insert("women_leaders_trained_share".into(), json!(s.to_string()));
            }
            let supporting: Vec<&Value> = officials
                .iter()
                .filter(|o| flag(o, &["supports_cooperatives"]) == Some(true))
                .collect();
            if let Some(s) = share(
                supporting
                    .iter()
                    .filter(|o| flag(o, &["trained"]) == Some(true))
                    .count() as i64,
                supporting.len() as i64,
            ) {
                p.insert("union_officials_trained_share".into(), json!(s.to_string()));
            }
            if let Some(s) = share(
                officials
                    .iter()
                    .filter(|o| flag(o, &["skills_upgraded"]) == Some(true))
                    .count() as i64,
                officials.len() as i64,
            ) {
                p.insert("union_officials_skilled_share".into(), json!(s.to_string()));
            }
            let programme_coops: Vec<&Value> = rows
                .iter()
                .filter(|(_, wm, mj, _)| *wm && *mj)
                .map(|r| r.0)
                .collect();
            if let Some(s) = female_share(&programme_coops, "vocational_trained_female") {
                p.insert(
                    "members_vocational_training_share".into(),
                    json!(s.to_string()),
                );
            }
            let wm_htx: Vec<&Value> = rows
                .iter()
                .filter(|(c, wm, _, _)| *wm && kind(c).as_deref() == Some("htx"))
                .map(|r| r.0)
                .collect();
            if let Some(s) = share(
                wm_htx
                    .iter()
                    .filter(|c| flag(c, &["programme", "restructuring_guided"]) == Some(true))
                    .count() as i64,
                wm_htx.len() as i64,
            ) {
                p.insert(
                    "htx_restructuring_guided_share".into(),
                    json!(s.to_string()),
                );
            }
            // the two readings of "trong đó có 50% phụ nữ tham gia lãnh đạo, quản lý"
            let new_all: Vec<&(&Value, bool, bool, bool)> = rows
                .iter()
                .filter(|(c, _, _, _)| {
                    matches!(kind(c).as_deref(), Some("htx" | "tht"))
                        && date(c, &["established_on"])
                            .is_some_and(|x| x >= programme_start && x <= d)
                })
                .collect();
            if let Some(s) = share(
                new_all.iter().filter(|r| r.1).count() as i64,
                new_all.len() as i64,
            ) {
                p.insert("new_women_managed_share".into(), json!(s.to_string()));
            }
            let (mut all_l, mut fem_l) = (0i64, 0i64);
            for (c, _, _, _) in &new_all {
                let k = kind(c);
                for m in c
                    .get("managers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if is_leader(m, k.as_deref()) {
                        all_l += 1;
                        if m.get("gender").and_then(Value::as_str) == Some("female") {
                            fem_l += 1;
                        }
                    }
                }
            }
            if let Some(s) = share(fem_l, all_l) {
                p.insert("new_women_leaders_share".into(), json!(s.to_string()));
            }
            let progress = Value::Object(p);
            let ev = self.evaluate("progress", &progress, d)?;
            let elapsed = Decimal::from(d.unix_days() - ph.from.unix_days() + 1);
            let length = Decimal::from(ph.to.unix_days() - ph.from.unix_days() + 1);
            let fraction = elapsed.checked_div(length).unwrap_or(Decimal::ONE);
            let mut inds = Vec::new();
            for (id, is_count) in INDICATORS {
                let Some(dec) = ev.decision(id) else { continue };
                let value = dec.value().cloned();
                let target = dec.target().cloned();
                let as_dec = |s: &Option<Scalar>| match s {
                    Some(Scalar::Int(i)) => Some(Decimal::from(*i)),
                    Some(Scalar::Decimal(x)) => Some(*x),
                    _ => None,
                };
                let (v, t) = (as_dec(&value), as_dec(&target));
                let status = match (dec.outcome(), running, v, t) {
                    (Outcome::Yes, _, _, _) => "met",
                    (_, _, _, None) => "no_target",
                    (_, _, None, _) => "no_data",
                    (Outcome::No, false, _, _) => "not_met",
                    (_, true, Some(v), Some(t)) => {
                        let expected = if is_count { (t * fraction).floor() } else { t };
                        if v >= expected {
                            "on_track"
                        } else {
                            "behind"
                        }
                    }
                    _ => "unknown",
                };
                let shortfall = match (v, t, status) {
                    (Some(v), Some(t), "not_met" | "behind" | "on_track") if v < t => Some(t - v),
                    _ => None,
                };
                let shortfall_json = shortfall.map(|s| {
                    if is_count {
                        json!(i64::try_from(s).unwrap_or(0))
                    } else {
                        json!(s.normalize().to_string())
                    }
                });
                let d = dec.to_json();
                inds.push(json!({
                    "id": id,
                    "title": self.entity("progress").ok().and_then(|er| er.by_name.get(id).and_then(|&i| er.rules.get(i))).and_then(|r| r.title.clone()),
                    "kind": if is_count { "count" } else { "share" },
                    "value": d.get("value"),
                    "target": d.get("target"),
                    "outcome": d.get("outcome"),
                    "status": status,
                    "shortfall": shortfall_json,
                    "reasons": d.get("reasons"),
                    "cite": d.get("cite"),
                }));
            }
            out_phases.push(json!({
                "phase": ph.index,
                "from": ph.from.to_string(),
                "to": ph.to.to_string(),
                "assessed_on": d.to_string(),
                "running": running,
                "elapsed_share": fraction.round_dp(4).normalize().to_string(),
                "label": ph.label,
                "inputs": progress,
                "indicators": inds,
            }));
        }
        // persons: priority groups, with small sensitive counts suppressed
        let mut groups: BTreeMap<String, i64> = BTreeMap::new();
        let (mut priority, mut target) = (0, 0);
        for p in persons {
            let ev = self.evaluate("person", p, as_of)?;
            if ev.decision("priority_woman").map(|x| x.outcome()) == Some(Outcome::Yes) {
                priority += 1;
            }
            if ev.decision("target_group").map(|x| x.outcome()) == Some(Outcome::Yes) {
                target += 1;
            }
            if p.get("gender").and_then(Value::as_str) == Some("female") {
                for g in [
                    "disadvantaged_area",
                    "poor_household",
                    "near_poor_household",
                    "disability",
                    "reintegrated",
                    "trafficking_victim",
                    "domestic_violence_victim",
                    "sexual_abuse_victim",
                    "unsafe_migrant",
                    "laid_off_industrial_worker",
                ] {
                    let yes = if g == "poor_household" || g == "near_poor_household" {
                        ev.decision(g).map(|x| x.outcome()) == Some(Outcome::Yes)
                    } else {
                        p.get(g).and_then(Value::as_bool) == Some(true)
                    };
                    *groups.entry(g.to_string()).or_default() += i64::from(yes);
                }
            }
        }
        let groups_json: Map<String, Value> = groups
            .into_iter()
            .map(|(k, n)| {
                let shown = if SENSITIVE_GROUPS.contains(&k.as_str()) && n < 5 {
                    json!("<5")
                } else {
                    json!(n)
                };
                (k, shown)
            })
            .collect();
        let meta = self.packs().first().cloned().unwrap_or_default();
        Ok(Report {
            json: json!({
                "as_of": as_of.to_string(),
                "pack": { "id": meta.id, "version": meta.version, "document": meta.document, "status": meta.status },
                "registry": {
                    "province": registry.get("province"),
                    "synthetic": registry.get("synthetic").and_then(Value::as_bool).unwrap_or(false),
                    "note": registry.get("note"),
                    "cooperatives": coops.len(),
                    "union_officials": officials.len(),
                    "persons": persons.len(),
                },
                "phases": out_phases,
                "persons": { "priority_women": priority, "target_group": target, "priority_groups": groups_json },
                "record_errors": record_errors,
            }),
        })
    }
}

fn status_text(s: &str, lang: Lang) -> &'static str {
    match (s, lang) {
        ("met", Lang::Vi) => "đạt",
        ("met", Lang::En) => "met",
        ("not_met", Lang::Vi) => "không đạt",
        ("not_met", Lang::En) => "not met",
        ("on_track", Lang::Vi) => "đúng tiến độ",
        ("on_track", Lang::En) => "on track",
        ("behind", Lang::Vi) => "chậm tiến độ",
        ("behind", Lang::En) => "behind",
        ("no_target", Lang::Vi) => "không có chỉ tiêu",
        ("no_target", Lang::En) => "no target",
        ("no_data", Lang::Vi) => "thiếu dữ liệu",
        ("no_data", Lang::En) => "no data",
        (_, Lang::Vi) => "chưa xác định",
        (_, Lang::En) => "unknown",
    }
}

fn show(v: Option<&Value>, kind: &str, lang: Lang) -> String {
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) if kind == "share" => s
            .parse::<Decimal>()
            .map(|d| write_share(d, lang))
            .unwrap_or_else(|_| s.clone()),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn title(i: &Value, lang: Lang) -> String {
    i.get("title")
        .and_then(|t| serde_json::from_value::<Message>(t.clone()).ok())
        .map(|m| m.get(lang).to_string())
        .unwrap_or_else(|| {
            i.get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
}

/// What to say when no phase has started by the report date.
fn no_phase(j: &Value) -> Option<Message> {
    j.get("phases")
        .and_then(Value::as_array)
        .is_none_or(|a| a.is_empty())
        .then(|| {
            Message::new(
            "Chưa có giai đoạn nào bắt đầu tại ngày báo cáo (Kế hoạch thực hiện từ 01/01/2023).",
            "No phase has started by the report date (the plan runs from 2023-01-01).",
        )
        })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[allow(
    clippy::indexing_slicing,
    reason = "indexing a serde_json::Value by key never panics: a missing key gives Null"
)]
impl Report {
    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        self.json.clone()
    }

    /// A terminal table.
    pub fn to_table(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let j = &self.json;
        let mut out = String::new();
        let reg = &j["registry"];
        out.push_str(&format!(
            "{} — {} {}\n",
            if vi {
                "Báo cáo tiến độ Kế hoạch 2747/KH-UBND"
            } else {
                "Progress report, Kế hoạch 2747/KH-UBND"
            },
            if vi { "ngày" } else { "as of" },
            j["as_of"].as_str().unwrap_or("")
        ));
        if reg["synthetic"].as_bool() == Some(true) {
            out.push_str(if vi {
                "DỮ LIỆU MẪU, HƯ CẤU — không phải số liệu thật\n"
            } else {
                "SYNTHETIC SAMPLE DATA — invented, not real figures\n"
            });
        }
        out.push_str(&format!(
            "{}: {} · {}: {} · {}: {}\n",
            if vi { "HTX/THT" } else { "cooperatives" },
            reg["cooperatives"],
            if vi {
                "cán bộ Hội"
            } else {
                "union officials"
            },
            reg["union_officials"],
            if vi {
                "hội viên, phụ nữ"
            } else {
                "persons"
            },
            reg["persons"]
        ));
        if let Some(m) = no_phase(j) {
            out.push_str(&format!("\n{}\n", m.get(lang)));
        }
        for ph in j["phases"].as_array().into_iter().flatten() {
            let label = ph
                .get("label")
                .and_then(|t| serde_json::from_value::<Message>(t.clone()).ok())
                .map(|m| m.get(lang).to_string())
                .unwrap_or_default();
            let state = if ph["running"].as_bool() == Some(true) {
                if vi {
                    format!(
                        "đang thực hiện, đã qua {}",
                        show(ph.get("elapsed_share"), "share", lang)
                    )
                } else {
                    format!(
                        "running, {} elapsed",
                        show(ph.get("elapsed_share"), "share", lang)
                    )
                }
            } else if vi {
                "đã kết thúc".into()
            } else {
                "closed".into()
            };
            out.push_str(&format!("\n{label} ({state})\n"));
            out.push_str(&format!(
                "  {:<58} {:>10} {:>10} {:>10}  {}\n",
                if vi { "chỉ tiêu" } else { "indicator" },
                if vi { "kết quả" } else { "value" },
                if vi { "mục tiêu" } else { "target" },
                if vi { "còn thiếu" } else { "shortfall" },
                if vi { "tình trạng" } else { "status" }
            ));
            for i in ph["indicators"].as_array().into_iter().flatten() {
                let kind = i["kind"].as_str().unwrap_or("");
                let t: String = title(i, lang).chars().take(58).collect();
                out.push_str(&format!(
                    "  {:<58} {:>10} {:>10} {:>10}  {}\n",
                    t,
                    show(i.get("value"), kind, lang),
                    show(i.get("target"), kind, lang),
                    show(i.get("shortfall"), kind, lang),
                    status_text(i["status"].as_str().unwrap_or(""), lang)
                ));
            }
        }
        let p = &j["persons"];
        out.push_str(&format!(
            "\n{}: {} · {}: {}\n",
            if vi {
                "Phụ nữ thuộc nhóm ưu tiên"
            } else {
                "Women in a priority group"
            },
            p["priority_women"],
            if vi {
                "Thuộc đối tượng"
            } else {
                "In the target group"
            },
            p["target_group"]
        ));
        if let Some(g) = p["priority_groups"].as_object() {
            let parts: Vec<String> = g
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{k} {}",
                        match v {
                            Value::String(s) => s.clone(),
                            o => o.to_string(),
                        }
                    )
                })
                .collect();
            out.push_str(&format!("  {}\n", parts.join(" · ")));
        }
        out
    }

    /// A self-contained HTML page with a chart per indicator.
    pub fn to_html(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let j = &self.json;
        let mut body = String::new();
        if j["registry"]["synthetic"].as_bool() == Some(true) {
            body.push_str(&format!(
                "<p class=\"warn\">{}</p>",
                if vi {
                    "Dữ liệu mẫu, hư cấu — không phải số liệu thật."
                } else {
                    "Synthetic sample data — invented, not real figures."
                }
            ));
        }
        if let Some(m) = no_phase(j) {
            body.push_str(&format!("<p>{}</p>", esc(m.get(lang))));
        }
        for ph in j["phases"].as_array().into_iter().flatten() {
            let label = ph
                .get("label")
                .and_then(|t| serde_json::from_value::<Message>(t.clone()).ok())
                .map(|m| m.get(lang).to_string())
                .unwrap_or_default();
            body.push_str(&format!("<h2>{}</h2><div class=\"grid\">", esc(&label)));
            for i in ph["indicators"].as_array().into_iter().flatten() {
                let kind = i["kind"].as_str().unwrap_or("");
                let parse = |v: &Value| -> Option<f64> {
                    match v {
                        Value::String(s) => s.parse::<f64>().ok(),
                        Value::Number(n) => n.as_f64(),
                        _ => None,
                    }
                };
                let (v, t) = (parse(&i["value"]), parse(&i["target"]));
                let max = v.unwrap_or(0.0).max(t.unwrap_or(0.0)).max(1e-9);
                let w = |x: f64| (x / max * 260.0).clamp(0.0, 260.0);
                let status = i["status"].as_str().unwrap_or("");
                let color = match status {
                    "met" | "on_track" => "#2e7d32",
                    "behind" | "not_met" => "#c62828",
                    _ => "#757575",
                };
                let svg = format!(
                    "<svg width=\"300\" height=\"54\" role=\"img\" aria-label=\"{}\"><rect x=\"0\" y=\"6\" width=\"{:.1}\" height=\"18\" fill=\"{color}\"/><rect x=\"0\" y=\"30\" width=\"{:.1}\" height=\"18\" fill=\"#90a4ae\"/><text x=\"{:.1}\" y=\"20\" fill=\"{}\" font-size=\"12\">{}</text><text x=\"4\" y=\"44\" font-size=\"12\">{} {}</text></svg>",
                    esc(&title(i, lang)),
                    w(v.unwrap_or(0.0)),
                    w(t.unwrap_or(0.0)),
                    // the value inside its bar when the bar is wide enough, else just after it
                    if w(v.unwrap_or(0.0)) >= 60.0 { 4.0 } else { w(v.unwrap_or(0.0)) + 4.0 },
                    if w(v.unwrap_or(0.0)) >= 60.0 { "#fff" } else { "#222" },
                    esc(&show(i.get("value"), kind, lang)),
                    if vi { "mục tiêu" } else { "target" },
                    esc(&show(i.get("target"), kind, lang)),
                );
                let cite = &i["cite"];
                body.push_str(&format!(
                    "<section class=\"card\"><h3>{}</h3>{svg}<p class=\"status\" style=\"color:{color}\">{}{}</p><p class=\"cite\">{} {}</p></section>",
                    esc(&title(i, lang)),
                    status_text(status, lang),
                    i["shortfall"].as_str().map(|_| String::new()).unwrap_or_default() + &match i.get("shortfall") {
                        Some(Value::Null) | None => String::new(),
                        Some(s) => format!(" — {} {}", if vi { "còn thiếu" } else { "short by" }, esc(&show(Some(s), kind, lang))),
                    },
                    esc(cite["document"].as_str().unwrap_or("")),
                    esc(cite["section"].as_str().unwrap_or("")),
                ));
            }
            body.push_str("</div>");
        }
        let p = &j["persons"];
        body.push_str(&format!(
            "<h2>{}</h2><ul>",
            if vi {
                "Hội viên, phụ nữ"
            } else {
                "Women registered"
            }
        ));
        body.push_str(&format!(
            "<li>{}: {}</li>",
            if vi {
                "thuộc nhóm ưu tiên"
            } else {
                "in a priority group"
            },
            p["priority_women"]
        ));
        for (k, v) in p["priority_groups"].as_object().into_iter().flatten() {
            body.push_str(&format!(
                "<li>{}: {}</li>",
                esc(k),
                esc(&match v {
                    Value::String(s) => s.clone(),
                    o => o.to_string(),
                })
            ));
        }
        body.push_str("</ul>");
        format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}.grid{{display:flex;flex-wrap:wrap;gap:1rem}}.card{{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;width:320px}}.card h3{{font-size:.95rem;margin:.2rem 0 .5rem}}.cite{{color:#666;font-size:.8rem}}.warn{{background:#fff3cd;padding:.5rem 1rem;border-radius:4px}}</style></head><body><h1>{}</h1><p>{} {}</p>{body}</body></html>\n",
            if vi { "vi" } else { "en" },
            if vi { "Báo cáo tiến độ" } else { "Progress report" },
            if vi { "Báo cáo tiến độ thực hiện Kế hoạch 2747/KH-UBND" } else { "Progress on Kế hoạch 2747/KH-UBND" },
            if vi { "Ngày báo cáo:" } else { "As of:" },
            esc(j["as_of"].as_str().unwrap_or("")),
        )
    }
}
