"""Replays the shared conformance corpus (tests/conformance/*.json at the repository root).

Each file is a JSON array of cases `{"name", "op": "evaluate"|"validate", "entity", "as_of",
"record", "expected"}`. For `evaluate`, `[r.to_dict() for r in engine.evaluate(...)]` must equal
`expected` (the array the Rust core prints); for `validate`, the validation dict.
Cases of the binding's own may be added in tests/cases/*.json beside this file, same format.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, List

import pytest

import htx_rules

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _load() -> List[Any]:
    params = []
    files = sorted((ROOT / "tests" / "conformance").glob("*.json")) + sorted((HERE / "cases").glob("*.json"))
    for path in files:
        cases = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cases, dict):
            cases = [cases]
        for i, case in enumerate(cases):
            name = case.get("name", str(i))
            params.append(pytest.param(case, id=f"{path.stem}::{name}"))
    return params


CASES = _load()


def _engine_for(case: Dict[str, Any], default: htx_rules.Engine) -> htx_rules.Engine:
    pack = case.get("pack")
    if pack:
        return htx_rules.Engine.from_dir(ROOT / "rules" / pack)
    return default


@pytest.mark.skipif(not CASES, reason="no conformance cases yet")
@pytest.mark.parametrize("case", CASES or [None])
def test_case(case: Dict[str, Any], engine: htx_rules.Engine) -> None:
    eng = _engine_for(case, engine)
    op = case.get("op", "evaluate")
    as_of = case.get("as_of")
    # a case given as JSON text (a key twice, NaN) is passed as text; `options` as keywords
    strict = bool(case.get("options", {}).get("strict", False))
    record = case["text"] if "text" in case else case["record"]
    if op == "evaluate":
        got = eng.evaluate(case["entity"], record, as_of, strict=strict)
        results = got if isinstance(got, list) else [got]
        assert [r.to_dict() for r in results] == case["expected"]
        if "ignored" in case:
            assert results[0].ignored == case["ignored"]
        if "text" in case and "record" in case:
            # the same record as a dict answers the same
            again = eng.evaluate(case["entity"], case["record"], as_of, strict=strict)
            assert [again.to_dict()] == case["expected"]
    elif op == "validate":
        records = record if isinstance(record, list) else [record]
        got_v = [eng.validate(case["entity"], r, as_of=as_of, strict=strict).to_dict() for r in records]
        expected = case["expected"]
        if isinstance(record, list):
            assert got_v == expected
        else:
            assert got_v[0] == (expected[0] if isinstance(expected, list) else expected)
    else:
        pytest.fail(f"unknown op {op!r}")
