//! Phase 5, lints: checks that hold the rules against the legal text they cite. Today one: a
//! threshold's comparison must match the cited wording ("trên 60%" is `>`, "ít nhất" and
//! "từ … trở lên" are `>=`).

use super::context::Context;
use super::table::RuleTable;
use crate::codes::Code;
use crate::expr::ir::CmpOp;

/// Lints every rule that compiled.
pub(super) fn check(cx: &mut Context, table: &RuleTable<'_>) {
    for p in &table.pending {
        let Some(rule) = cx.pack.entities.get(p.entity).and_then(|er| {
            er.by_name
                .get(p.doc.name.get_ref())
                .and_then(|&i| er.rules.get(i))
        }) else {
            continue;
        };
        let (Some(w), Some(wording)) = (&rule.when, &rule.cite.wording) else {
            continue;
        };
        let mut ops = Vec::new();
        w.comparisons(&mut ops);
        let strict = ops.iter().any(|o| matches!(o, CmpOp::Gt | CmpOp::Lt));
        let inclusive = ops.iter().any(|o| matches!(o, CmpOp::Ge | CmpOp::Le));
        let message = match wording_kind(wording) {
            Some(true) if inclusive && !strict => msg!(
                vi: format!(
                    "văn bản viện dẫn ghi \"trên\" (lớn hơn hẳn) nhưng quy tắc dùng >= hoặc <=: \"{wording}\"",
                ),
                en: format!(
                    "the cited wording says \"trên\" (strictly above) but the rule compares with >= or <=: \"{wording}\"",
                ),
            ),
            Some(false) if strict && !inclusive => msg!(
                vi: format!(
                    "văn bản viện dẫn ghi \"ít nhất\"/\"từ … trở lên\" nhưng quy tắc dùng > hoặc <: \"{wording}\"",
                ),
                en: format!(
                    "the cited wording says \"ít nhất\"/\"từ … trở lên\" (at least) but the rule compares with > or <: \"{wording}\"",
                ),
            ),
            _ => continue,
        };
        cx.out
            .diag_at(p.file, &p.doc.cite, Code::LintThresholdWording, message);
    }
}

/// `Some(true)` when the wording says strictly above ("trên N"), `Some(false)` for at least
/// ("ít nhất", "từ … trở lên", "tối thiểu"), `None` when it says neither.
pub(crate) fn wording_kind(w: &str) -> Option<bool> {
    let lower = w.to_lowercase();
    if lower.contains("ít nhất") || lower.contains("trở lên") || lower.contains("tối thiểu")
    {
        return Some(false);
    }
    // "trên" followed by a number: "trên 60%", not "trên địa bàn"
    let mut rest = lower.as_str();
    while let Some(pos) = rest.find("trên") {
        let after = rest.get(pos + "trên".len()..).unwrap_or("").trim_start();
        if after.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return Some(true);
        }
        rest = rest.get(pos + "trên".len()..).unwrap_or("");
    }
    None
}
