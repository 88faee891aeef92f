"""HTML displays for Jupyter (`_repr_html_`): presentation only.

Every word of a pack or of the engine comes from the core: decision titles and citations
(`Engine.decisions`), field labels for missing facts (`Engine.fields`), outcome words
(`Outcome::label`), reasons; a report is the core's own HTML page (the same as the command line
writes, record errors and ignored columns included), shown in a frame so its styles stay its
own. Only the table's column headings are written here.
"""

from __future__ import annotations

import decimal
import re
import threading
import weakref
from html import escape
from typing import Any, Dict, List, Optional, Tuple

#: Column headings of the decisions table (the display's own words, not a pack's).
_HEAD = {
    "vi": {
        "decision": "Quyết định",
        "outcome": "Kết quả",
        "value": "Giá trị",
        "target": "Mục tiêu",
        "reasons": "Lý do",
        "cite": "Căn cứ",
        "missing": "Thiếu dữ kiện",
        "as_of": "tính đến",
        "record": "Bản ghi",
    },
    "en": {
        "decision": "Decision",
        "outcome": "Outcome",
        "value": "Value",
        "target": "Target",
        "reasons": "Reasons",
        "cite": "Citation",
        "missing": "Missing facts",
        "as_of": "as of",
        "record": "Record",
    },
}

_COLOURS = {"yes": "#1b7f3b", "no": "#b3261e", "unknown": "#7a6a00"}

_STYLE = (
    "<style>.htx-table{border-collapse:collapse;font-size:90%}"
    ".htx-table th,.htx-table td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
    ".htx-table th{background:#f3f3f3}</style>"
)

#: Per engine (while it lives): what its displays read, by (what, entity).
_CACHE: "weakref.WeakKeyDictionary[Any, Dict[Tuple[str, str], Any]]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _cached(native: Any, what: str, entity: str) -> Any:
    """`native.labels()`, `native.decisions(entity)` or field labels, once per engine."""
    with _LOCK:
        mine = _CACHE.setdefault(native, {})
        if (what, entity) in mine:
            return mine[(what, entity)]
    if what == "labels":
        value: Any = native.labels()
    elif what == "decisions":
        value = {d["name"]: d for d in native.decisions(entity)}
    else:
        value = _field_labels(native.fields(entity))
    with _LOCK:
        mine[(what, entity)] = value
    return value


def _field_labels(fields: List[Dict[str, Any]], prefix: str = "") -> Dict[str, Optional[Dict[str, str]]]:
    """JSON Pointer -> label, for every field (list items under `<list>/*`)."""
    out: Dict[str, Optional[Dict[str, str]]] = {}
    for f in fields:
        out[prefix + f["pointer"]] = f.get("label")
        if f.get("items"):
            out.update(_field_labels(f["items"], prefix + f["pointer"] + "/*"))
    return out


def _lang(obj: Any) -> str:
    lang = getattr(obj, "lang", "vi")
    return lang if lang in _HEAD else "vi"


def _word(labels: Dict[str, Dict[str, str]], code: str, lang: str) -> str:
    return (labels.get(code) or {}).get(lang, code)


def _fmt_value(v: Any, lang: str, labels: Dict[str, Dict[str, str]]) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return _word(labels, "yes" if v else "no", lang)
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


def _badge(outcome: str, lang: str, labels: Dict[str, Dict[str, str]]) -> str:
    colour = _COLOURS.get(outcome, "#444")
    return f'<b style="color:{colour}">{escape(_word(labels, outcome, lang))}</b>'


def missing_label(pointer: str, fields: Dict[str, Optional[Dict[str, str]]], lang: str) -> str:
    """What to call a missing fact: its field's label (a list item's field under its list's
    label), never the pointer."""
    generic = re.sub(r"/\d+(?=/|$)", "/*", pointer)
    label = fields.get(pointer) or fields.get(generic)
    if label:
        head = generic.split("/*")[0] if "/*" in generic else None
        outer = fields.get(head) if head and head != generic else None
        text = label.get(lang) or ""
        return f"{outer.get(lang)} › {text}" if outer and outer.get(lang) else text
    # a fact the schema does not label: its own name, words spaced
    return pointer.rstrip("/").rsplit("/", 1)[-1].replace("_", " ")


def decisions_table(decisions: Dict[str, Any], lang: str, native: Any, entity: str) -> str:
    h = _HEAD[lang]
    labels = _cached(native, "labels", "")
    infos = _cached(native, "decisions", entity)
    fields = _cached(native, "fields", entity)
    rows: List[str] = []
    for name, d in decisions.items():
        title = ((infos.get(name) or {}).get("title") or {}).get(lang) or name.replace("_", " ")
        reasons = "<br>".join(escape(r.get(lang, "")) for r in d.reasons)
        if d.missing:
            names = ", ".join(dict.fromkeys(missing_label(p, fields, lang) for p in d.missing))
            reasons += ("<br>" if reasons else "") + f"<i>{escape(h['missing'])}: {escape(names)}</i>"
        rows.append(
            "<tr>"
            f'<td title="{escape(name)}">{escape(title)}</td>'
            f"<td>{_badge(d.outcome, lang, labels)}</td>"
            f"<td>{escape(_fmt_value(d.value, lang, labels))}</td>"
            f"<td>{escape(_fmt_value(d.target, lang, labels))}</td>"
            f"<td>{reasons}</td>"
            f"<td>{_cite(d.cite)}</td>"
            "</tr>"
        )
    head = "".join(
        f"<th>{escape(h[k])}</th>" for k in ("decision", "outcome", "value", "target", "reasons", "cite")
    )
    return f'<table class="htx-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def result_html(result: Any, native: Any) -> str:
    lang = _lang(result)
    h = _HEAD[lang]
    title = f"{h['record']} <code>{escape(str(result.id))}</code>" if result.id is not None else h["record"]
    caption = f"<p><b>{title}</b> — {h['as_of']} {escape(result.as_of)}</p>"
    return _STYLE + caption + decisions_table(result.decisions, lang, native, result.entity)


def report_html(report: Any) -> str:
    """The core's HTML page of the report, in a frame (its styles stay inside it)."""
    page = report.to_html(_lang(report))
    return (
        f'<iframe srcdoc="{escape(page, quote=True)}" title="report" '
        'style="width:100%;height:75vh;border:1px solid #ddd;border-radius:4px"></iframe>'
    )


def explanation_html(explanation: Any) -> str:
    lang = _lang(explanation)
    text = explanation.to_text(lang)
    return f'<pre style="white-space:pre-wrap">{escape(text)}</pre>'
