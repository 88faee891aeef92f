"""evaluate_many over lists, pandas DataFrames and Arrow tables: same outcomes as per-record
evaluate; null cells are missing facts (-> unknown)."""

from __future__ import annotations

import decimal
import random
from typing import Any, Dict, List, Optional

import pytest

import htx_rules
from htx_rules import Engine

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

AS_OF = "2025-06-30"

# Some synthetic records are founded after AS_OF: the core flags those dates as malformed facts
# (treated as absent), which evaluate_many reports with a FactsWarning.
pytestmark = pytest.mark.filterwarnings("ignore::htx_rules._columns.FactsWarning")
ROLES = ["board_chair", "board_member", "director", "supervisor", "group_leader", "accountant", "other"]


def _records(n: int, seed: int = 7) -> List[Dict[str, Any]]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        total: Optional[int] = rnd.choice([None, 0, 10, 20, 40, 100])
        female: Optional[int] = None if total is None or rnd.random() < 0.1 else rnd.randint(0, total)
        rec: Dict[str, Any] = {
            "id": f"R{i}",
            "kind": rnd.choice(["htx", "tht", "union", None]),
            "established_on": rnd.choice([None, "2019-05-01", "2023-02-01", "2024-08-15", "2026-03-01"]),
            "workers": {"total": total, "female": female},
            "members": {"total": rnd.choice([None, 3, 5, 7, 12]), "female": rnd.choice([None, 1, 4])},
            "value_chain": rnd.choice([True, False, None]),
            "traditional_craft": rnd.choice([True, False, None]),
        }
        if rnd.random() < 0.85:
            rec["managers"] = [
                {"role": rnd.choice(ROLES), "gender": rnd.choice(["female", "male"]), "trained": rnd.random() < 0.5}
                for _ in range(rnd.randint(0, 3))
            ]
        out.append(rec)
    return out


def _flat(rec: Dict[str, Any]) -> Dict[str, Any]:
    row: Dict[str, Any] = {}
    for k, v in rec.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                row[f"{k}.{k2}"] = v2
        else:
            row[k] = v
    return row


def _frame(recs: List[Dict[str, Any]]) -> Any:
    df = pd.DataFrame([_flat(r) for r in recs])
    for c in ("workers.total", "workers.female", "members.total", "members.female"):
        df[c] = df[c].astype("Int64")
    return df


def _expected(engine: Engine, recs: List[Dict[str, Any]]) -> List[htx_rules.Result]:
    # None in a dict is a missing fact too, so per-record evaluate sees the same facts.
    return engine.evaluate("cooperative", recs, AS_OF)


def _cmp(value: Any, expected: Any) -> bool:
    if expected is None:
        return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT
    if isinstance(expected, decimal.Decimal):
        return decimal.Decimal(str(value)) == expected
    if hasattr(value, "item"):
        value = value.item()
    if hasattr(value, "date") and not isinstance(expected, type(value)):
        value = value.date()
    return bool(value == expected)


def _check_rows(engine: Engine, recs: List[Dict[str, Any]], rows: List[Dict[str, Any]]) -> None:
    expected = _expected(engine, recs)
    assert len(rows) == len(expected)
    for row, exp in zip(rows, expected):
        assert row["id"] == exp.id
        for name, d in exp.decisions.items():
            assert row[name] == d.outcome, (exp.id, name)
            assert _cmp(row[f"{name}.value"], d.value), (exp.id, name, row[f"{name}.value"], d.value)


def test_list_of_dicts(engine: Engine) -> None:
    recs = _records(50)
    rows = engine.evaluate_many("cooperative", recs, AS_OF)
    assert isinstance(rows, list)
    _check_rows(engine, recs, rows)
    # flat dotted keys work as well
    rows2 = engine.evaluate_many("cooperative", [_flat(r) for r in recs], AS_OF)
    assert rows2 == rows


def test_dataframe_round_trip(engine: Engine) -> None:
    recs = _records(300)
    df = _frame(recs)
    out = engine.evaluate_many("cooperative", df, AS_OF)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == list(df.index)
    names = list(engine.evaluate("cooperative", {}, AS_OF).decisions)
    assert list(out.columns) == ["id"] + [c for n in names for c in (n, f"{n}.value")]
    _check_rows(engine, recs, out.to_dict("records"))
    # the same malformed facts as per-record evaluation, located by row
    per_record = {
        (i, e.field) for i, r in enumerate(_expected(engine, recs)) for e in r.errors
    }
    assert {(e["row"], e["field"]) for e in out.attrs["errors"]} == per_record


def test_dataframe_float_nan_columns(engine: Engine) -> None:
    recs = _records(100, seed=3)
    df = pd.DataFrame([_flat(r) for r in recs])  # ints with None become float64 + NaN
    assert df["workers.total"].dtype == np.float64
    out = engine.evaluate_many("cooperative", df, AS_OF)
    _check_rows(engine, recs, out.to_dict("records"))


def test_arrow_table_round_trip(engine: Engine) -> None:
    recs = _records(300, seed=11)
    table = pa.Table.from_pandas(_frame(recs), preserve_index=False)
    out = engine.evaluate_many("cooperative", table, AS_OF)
    assert isinstance(out, pa.Table)
    rows = out.to_pylist()
    _check_rows(engine, recs, rows)


def test_arrow_chunked_and_sliced(engine: Engine) -> None:
    recs = _records(120, seed=5)
    table = pa.Table.from_pandas(_frame(recs), preserve_index=False)
    chunked = pa.concat_tables([table.slice(0, 50), table.slice(50, 30), table.slice(80)])
    out = engine.evaluate_many("cooperative", chunked, AS_OF)
    _check_rows(engine, recs, out.to_pylist())
    sl = table.slice(17, 40)
    out2 = engine.evaluate_many("cooperative", sl, AS_OF)
    _check_rows(engine, recs[17:57], out2.to_pylist())


def test_arrow_record_batch(engine: Engine) -> None:
    recs = _records(40, seed=9)
    batch = pa.RecordBatch.from_pandas(_frame(recs), preserve_index=False)
    out = engine.evaluate_many("cooperative", batch, AS_OF)
    assert isinstance(out, pa.RecordBatch)
    _check_rows(engine, recs, out.to_pylist())


def test_arrow_native_types(engine: Engine) -> None:
    """Arrow's own types: date32, decimal128, dictionary strings, nulls."""
    table = pa.table(
        {
            "id": pa.array(["a", "b", "c"]).dictionary_encode(),
            "established_on": pa.array([None, 19000, 20000], type=pa.date32()),
            "workers.total": pa.array([40, None, 10], type=pa.int32()),
            "workers.female": pa.array([decimal.Decimal(31), decimal.Decimal(2), None], type=pa.decimal128(10, 0)),
            "kind": pa.array(["htx", "tht", None]),
        }
    )
    out = engine.evaluate_many("cooperative", table, AS_OF).to_pylist()
    recs = [
        {"id": "a", "workers": {"total": 40, "female": 31}, "kind": "htx"},
        {"id": "b", "established_on": "2022-01-08", "workers": {"female": 2}, "kind": "tht"},
        {"id": "c", "established_on": "2024-10-04", "workers": {"total": 10}},
    ]
    _check_rows(engine, recs, out)


def test_null_cells_become_unknown(engine: Engine) -> None:
    df = pd.DataFrame({"id": ["x", "y"], "workers.total": [None, 10.0], "workers.female": [5.0, None]})
    out = engine.evaluate_many("cooperative", df, AS_OF)
    assert list(out["many_female_jobs"]) == ["unknown", "unknown"]
    assert list(out["women_managed"]) == ["unknown", "unknown"]


def test_empty_frame(engine: Engine) -> None:
    df = pd.DataFrame({"id": pd.Series([], dtype=object), "workers.total": pd.Series([], dtype="int64")})
    out = engine.evaluate_many("cooperative", df, AS_OF)
    assert len(out) == 0 and "women_managed" in out.columns


def test_unknown_columns_are_ignored(engine: Engine) -> None:
    df = pd.DataFrame({"id": ["x"], "notes": ["anything"], "workers.total": [10], "workers.female": [9]})
    out = engine.evaluate_many("cooperative", df, AS_OF)
    assert out["many_female_jobs"].iloc[0] == "yes"


def test_malformed_cells_warn_and_are_missing(engine: Engine) -> None:
    df = pd.DataFrame({"id": ["x", "y"], "workers.total": [10, 10], "workers.female": [9, 9], "kind": ["htx", "spaceship"]})
    with pytest.warns(UserWarning):
        out = engine.evaluate_many("cooperative", df, AS_OF)
    assert out.attrs["errors"] and out.attrs["errors"][0]["row"] == 1


def test_bad_container(engine: Engine) -> None:
    with pytest.raises(TypeError):
        engine.evaluate_many("cooperative", 42, AS_OF)


def test_unknown_entity_columns(engine: Engine) -> None:
    with pytest.raises(htx_rules.UnknownNameError):
        engine.evaluate_many("spaceship", pd.DataFrame({"a": [1]}), AS_OF)
