"""Reforms ("what if the law changes?") and their impact on a registry.

`Engine.with_reform(reform)` lays a reform over the engine's pack and returns a new engine (the
old one is unchanged). A reform is

- a dict of parameter values, for the common case — dated values
  ``{"htx_min_members": [{"from": "2024-07-01", "value": 7}]}`` or one value on every date
  ``{"women_leadership_reading": "leaders"}`` (decimals as strings or `Decimal`: ``"0.65"``);
- a dict in the shape of a reform file (``{"reform": {...}, "parameter": [...], "rule": [...]}``);
- the path of a reform file (TOML, see ``examples/reforms/``), a `pathlib.Path` or a `str`;
- TOML text (a `str` with a line break).

It is checked against the pack like a pack file: problems raise `PackError` whose
`diagnostics` give the reform's file, line and column ("did you mean" for a misspelt name).

`Engine.diff(reform, registry)` evaluates a registry under the engine and under the reform and
returns a pandas DataFrame with one row per record whose decision changed (before and after:
outcome, value, target, reasons). Its ``attrs`` hold the reforms, the date, the indicators
(figures and status before and after, and the rows whose contribution changed) and the
table and HTML renderings.
"""

from __future__ import annotations

import json as _json
import os as _os
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Union

from . import _native
from ._native import InputError

if TYPE_CHECKING:  # pragma: no cover
    from . import Engine

Reform = Union[Mapping[str, Any], str, "_os.PathLike[str]"]


def _plain(v: Any) -> Any:
    """Decimals as their exact text; containers converted inside."""
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def native_with_reform(native: _native.NativeEngine, reform: Reform) -> _native.NativeEngine:
    if isinstance(reform, Mapping):
        return _native._with_reform_json(native, _plain(reform))
    if isinstance(reform, str) and "\n" in reform:
        return _native._with_reform_toml(native, "reform.toml", reform)
    if isinstance(reform, (str, _os.PathLike)):
        path = _os.fspath(reform)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise InputError(
                f"không đọc được tệp cải cách {path} (cannot read the reform file {path}: {e.strerror})"
            ) from e
        return _native._with_reform_toml(native, path, text)
    raise TypeError(
        f"a reform is a dict, a path or TOML text, not {type(reform).__name__}"
    )


def reforms(native: _native.NativeEngine) -> List[Dict[str, Any]]:
    out = _json.loads(_native._reforms(native))
    assert isinstance(out, list)
    return out


def _registry(data: Any) -> Any:
    if isinstance(data, (str, _os.PathLike)):
        path = _os.fspath(data)
        try:
            with open(path, encoding="utf-8") as f:
                return _json.load(f)
        except OSError as e:
            raise InputError(f"không đọc được tệp {path} (cannot read {path}: {e.strerror})") from e
        except ValueError as e:
            raise InputError(f"tệp {path} không phải JSON hợp lệ (not valid JSON: {path}: {e})") from e
    return data


COLUMNS = [
    "collection",
    "decision",
    "id",
    "record",
    "before",
    "after",
    "before_value",
    "after_value",
    "before_target",
    "after_target",
    "before_reasons",
    "after_reasons",
]


def diff(engine: "Engine", reform: Reform, data: Any, as_of: str) -> Any:
    import pandas as pd

    after = native_with_reform(engine._native, reform)
    text, table_vi, table_en, html_vi, html_en = _native._diff(engine._native, after, _registry(data), as_of)
    d = _json.loads(text)
    lang = engine.lang
    rows = []
    for c in d["collections"]:
        for dec in c["decisions"]:
            for r in dec["records"]:
                b, a = r["before"], r["after"]
                rows.append(
                    {
                        "collection": c["name"],
                        "decision": dec["name"],
                        "id": r["id"],
                        "record": r["record"],
                        "before": b["outcome"],
                        "after": a["outcome"],
                        "before_value": b["value"],
                        "after_value": a["value"],
                        "before_target": b["target"],
                        "after_target": a["target"],
                        "before_reasons": "; ".join(m[lang] for m in b["reasons"]),
                        "after_reasons": "; ".join(m[lang] for m in a["reasons"]),
                    }
                )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs["as_of"] = d["as_of"]
    frame.attrs["reforms"] = d["after"]
    frame.attrs["indicators"] = d["indicators"]
    frame.attrs["decisions"] = [
        {"collection": c["name"], "decision": x["name"], "changed": x["changed"], "transitions": x["transitions"]}
        for c in d["collections"]
        for x in c["decisions"]
    ]
    frame.attrs["table"] = table_vi if lang == "vi" else table_en
    frame.attrs["html"] = html_vi if lang == "vi" else html_en
    return frame
