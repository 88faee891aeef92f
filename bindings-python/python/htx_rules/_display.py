"""HTML displays for Jupyter (`_repr_html_`): presentation only, all text comes from the core."""

from __future__ import annotations

import decimal
from html import escape
from typing import Any, Dict, List

_HEAD = {
    "vi": {
        "decision": "Quyết định",
        "outcome": "Kết quả",
        "value": "Giá trị",
        "target": "Mục tiêu",
        "reasons": "Lý do",
        "cite": "Căn cứ",
        "missing": "Thiếu dữ kiện",
        "yes": "có",
        "no": "không",
        "unknown": "chưa rõ",
        "as_of": "tính đến",
        "record": "Bản ghi",
        "rule": "Quy tắc",
    },
    "en": {
        "decision": "Decision",
        "outcome": "Outcome",
        "value": "Value",
        "target": "Target",
        "reasons": "Reasons",
        "cite": "Citation",
        "missing": "Missing facts",
        "yes": "yes",
        "no": "no",
        "unknown": "unknown",
        "as_of": "as of",
        "record": "Record",
        "rule": "Rule",
    },
}

_COLOURS = {"yes": "#1b7f3b", "no": "#b3261e", "unknown": "#7a6a00"}

_STYLE = (
    "<style>.htx-table{border-collapse:collapse;font-size:90%}"
    ".htx-table th,.htx-table td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
    ".htx-table th{background:#f3f3f3}</style>"
)


def _lang(obj: Any) -> str:
    lang = getattr(obj, "lang", "vi")
    return lang if lang in _HEAD else "vi"


def _fmt_value(v: Any, lang: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return _HEAD[lang]["yes"] if v else _HEAD[lang]["no"]
    if isinstance(v, decimal.Decimal):
        s = format(v.normalize(), "f")
        return s.replace(".", ",") if lang == "vi" else s
    return str(v)


def _cite(c: Dict[str, Any]) -> str:
    text = " ".join(x for x in (c.get("document", ""), c.get("section", "")) if x)
    wording = c.get("wording")
    if wording:
        return f'<span title="{escape(str(wording))}">{escape(text)}</span>'
    return escape(text)


def _badge(outcome: str, lang: str) -> str:
    colour = _COLOURS.get(outcome, "#444")
    return f'<b style="color:{colour}">{escape(_HEAD[lang].get(outcome, outcome))}</b>'


def decisions_table(decisions: Dict[str, Any], lang: str) -> str:
    h = _HEAD[lang]
    rows: List[str] = []
    for name, d in decisions.items():
        reasons = "<br>".join(escape(r.get(lang, "")) for r in d.reasons)
        if d.missing:
            reasons += (
                ("<br>" if reasons else "")
                + f"<i>{escape(h['missing'])}: {escape(', '.join(d.missing))}</i>"
            )
        rows.append(
            "<tr>"
            f"<td><code>{escape(name)}</code></td>"
            f"<td>{_badge(d.outcome, lang)}</td>"
            f"<td>{escape(_fmt_value(d.value, lang))}</td>"
            f"<td>{escape(_fmt_value(d.target, lang))}</td>"
            f"<td>{reasons}</td>"
            f"<td>{_cite(d.cite)}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th>{escape(h[k])}</th>" for k in ("decision", "outcome", "value", "target", "reasons", "cite")
    )
    return f'<table class="htx-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def result_html(result: Any) -> str:
    lang = _lang(result)
    h = _HEAD[lang]
    title = f"{h['record']} <code>{escape(str(result.id))}</code>" if result.id is not None else h["record"]
    caption = f"<p><b>{title}</b> — {escape(result.entity)}, {h['as_of']} {escape(result.as_of)}</p>"
    return _STYLE + caption + decisions_table(result.decisions, lang)


_STATUS = {
    "vi": {"met": "đạt", "not_met": "không đạt", "on_track": "đúng tiến độ", "behind": "chậm",
           "no_data": "chưa có số liệu", "no_target": "không có mục tiêu", "unknown": "chưa rõ"},
    "en": {"met": "met", "not_met": "not met", "on_track": "on track", "behind": "behind",
           "no_data": "no data", "no_target": "no target", "unknown": "unknown"},
}
_STATUS_COLOURS = {"met": "#1b7f3b", "on_track": "#1b7f3b", "not_met": "#b3261e", "behind": "#b3261e"}


def _fmt_report_value(v: Any, kind: str, lang: str) -> str:
    if v is None:
        return ""
    if kind == "share":
        d = decimal.Decimal(str(v)) * 100
        s = format(d.normalize(), "f")
        return (s.replace(".", ",") if lang == "vi" else s) + "%"
    return str(v)


def report_html(report: Any) -> str:
    """One table per phase: indicator, value, target, status, citation (from the report's JSON;
    the core's own `to_html()` is a whole page, not for embedding in a notebook)."""
    from ._report import report_rows

    lang = _lang(report)
    data = report.to_dict()
    vi = lang == "vi"
    reg = data.get("registry") or {}
    parts = [_STYLE]
    document = (data.get("pack") or {}).get("document") or ""
    title = f"Báo cáo tiến độ thực hiện {document}" if vi else f"Progress report, {document}"
    parts.append(f"<p><b>{escape(title)}</b> — {_HEAD[lang]['as_of']} {escape(str(data.get('as_of', '')))}</p>")
    if reg.get("synthetic"):
        warn = "Dữ liệu mẫu, hư cấu — không phải số liệu thật." if vi else "Synthetic sample data — invented, not real figures."
        parts.append(f"<p><i>{escape(warn)}</i></p>")
    heads = ("Chỉ tiêu", "Giá trị", "Mục tiêu", "Tình trạng", "Căn cứ") if vi else (
        "Indicator", "Value", "Target", "Status", "Citation")
    rows = report_rows(data)
    # one table per period, in the report's order (a pack's phases, then e.g. its programme)
    periods = list(dict.fromkeys((r["group"], r["phase"]) for r in rows))
    for period in periods:
        first = next(r for r in rows if (r["group"], r["phase"]) == period)
        label = first["period_vi" if vi else "period_en"] or f"{period[0]} {period[1]}"
        body = []
        for r in (r for r in rows if (r["group"], r["phase"]) == period):
            name = r["title_vi"] if vi else r["title_en"]
            status = str(r["status"] or "unknown")
            colour = _STATUS_COLOURS.get(status, "#7a6a00")
            body.append(
                "<tr>"
                f"<td>{escape(str(name or r['indicator']))}<br><code>{escape(str(r['indicator']))}</code></td>"
                f"<td>{escape(_fmt_report_value(r['value'], r['kind'], lang))}</td>"
                f"<td>{escape(_fmt_report_value(r['target'], r['kind'], lang))}</td>"
                f'<td><b style="color:{colour}">{escape(_STATUS[lang].get(status, status))}</b></td>'
                f"<td>{escape(' '.join(x for x in (r['document'] or '', r['section'] or '') if x))}</td>"
                "</tr>"
            )
        head = "".join(f"<th>{escape(h)}</th>" for h in heads)
        parts.append(
            f"<h4>{escape(label)}</h4><table class=\"htx-table\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    return "".join(parts)


def explanation_html(explanation: Any) -> str:
    lang = _lang(explanation)
    text = explanation.to_text(lang)
    return f'<pre style="white-space:pre-wrap">{escape(text)}</pre>'
