"""`Report.to_frame()`: the core's report JSON as one row per phase and indicator, typed.

Column types (no ``object`` column where a real type exists):

- ``phase``: ``Int64``; ``running``: ``boolean``; ``outcome``: categorical yes/no/unknown;
- text (``indicator``, titles, ``kind``, ``status``, ``document``, ``section``): ``string``;
- ``value``, ``target``, ``shortfall``: exact decimals. Shares must never pass through a binary
  float, and pandas has no decimal dtype of its own, so these are Arrow-backed
  ``pd.ArrowDtype(pa.decimal128(38, s))``, ``s`` the most decimal places any of them has in
  this report (counts and shares share a column, as in the JSON; counts are exact there too).
  ``.astype(float)`` is one call away for a plot. Without pyarrow they are ``decimal.Decimal``
  objects — the only ``object`` columns, and only then;
- ``assessed_on``: Arrow ``date32`` (``datetime64[s]`` without pyarrow).
"""

from __future__ import annotations

import decimal
from typing import Any, Dict, List, Optional

COLUMNS = [
    "group",
    "phase",
    "indicator",
    "title_vi",
    "title_en",
    "kind",
    "value",
    "target",
    "outcome",
    "status",
    "shortfall",
    "assessed_on",
    "running",
    "document",
    "section",
]

_TEXT = ["indicator", "title_vi", "title_en", "kind", "status", "document", "section"]
_NUMBERS = ["value", "target", "shortfall"]


def _num(v: Any) -> Any:
    """Counts stay ints; shares (strings in the JSON) become exact `decimal.Decimal`."""
    if isinstance(v, str):
        try:
            return decimal.Decimal(v)
        except decimal.InvalidOperation:
            return v
    return v


def report_rows(data: Dict[str, Any]) -> List[Dict[str, Any]]:
    rows: List[Dict[str, Any]] = []
    for ph in data.get("phases") or []:
        for ind in ph.get("indicators") or []:
            title = ind.get("title") or {}
            cite = ind.get("cite") or {}
            label = ph.get("label") or {}
            rows.append(
                {
                    "group": ph.get("group"),
                    "phase": ph.get("phase"),
                    "period_vi": label.get("vi"),
                    "period_en": label.get("en"),
                    "indicator": ind.get("id"),
                    "title_vi": title.get("vi"),
                    "title_en": title.get("en"),
                    "kind": ind.get("kind"),
                    "value": _num(ind.get("value")),
                    "target": _num(ind.get("target")),
                    "outcome": ind.get("outcome"),
                    "status": ind.get("status"),
                    "shortfall": _num(ind.get("shortfall")),
                    "assessed_on": ph.get("assessed_on"),
                    "running": ph.get("running"),
                    "document": cite.get("document"),
                    "section": cite.get("section"),
                }
            )
    return rows


def _places(v: Any) -> int:
    if isinstance(v, decimal.Decimal):
        exp = v.as_tuple().exponent
        return -exp if isinstance(exp, int) and exp < 0 else 0
    return 0


def _decimal_column(pd: Any, pa: Optional[Any], values: List[Any], scale: int) -> Any:
    exact = [None if v is None else decimal.Decimal(v) for v in values]
    if pa is None:
        return pd.array(exact, dtype=object)
    t = pa.decimal128(38, scale)
    return pd.arrays.ArrowExtensionArray(pa.array(exact, type=t))


def report_frame(report: Any) -> Any:
    import pandas as pd

    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is installed in the tests
        pa = None
    rows = report_rows(report.to_dict())
    cols: Dict[str, Any] = {}
    cols["group"] = pd.array([r["group"] for r in rows], dtype="string")
    cols["phase"] = pd.array([r["phase"] for r in rows], dtype="Int64")
    for name in _TEXT:
        cols[name] = pd.array([r[name] for r in rows], dtype="string")
    scale = max((_places(r[n]) for r in rows for n in _NUMBERS), default=0)
    for name in _NUMBERS:
        cols[name] = _decimal_column(pd, pa, [r[name] for r in rows], scale)
    cols["outcome"] = pd.Categorical([r["outcome"] for r in rows], categories=["yes", "no", "unknown"])
    days = [r["assessed_on"] for r in rows]
    if pa is not None:
        cols["assessed_on"] = pd.arrays.ArrowExtensionArray(
            pa.array(days, type=pa.string()).cast(pa.date32())
        )
    else:  # pragma: no cover
        cols["assessed_on"] = pd.to_datetime(pd.Series(days, dtype="string")).astype("datetime64[s]")
    cols["running"] = pd.array([r["running"] for r in rows], dtype="boolean")
    return pd.DataFrame({c: cols[c] for c in COLUMNS})
