"""`Report.to_frame()`: the core's report JSON as one row per phase and indicator."""

from __future__ import annotations

import decimal
from typing import Any, Dict, List

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


def report_frame(report: Any) -> Any:
    import pandas as pd

    return pd.DataFrame(report_rows(report.to_dict()), columns=COLUMNS)
