"""evaluate_many over lists, pandas DataFrames and Arrow tables: same outcomes, values and field
errors as per-record evaluate; null cells are missing facts (-> unknown); the answer's columns
and dtypes; the per-row `errors` column; FactsWarning at the caller's line."""

from __future__ import annotations

import decimal
import inspect
import random
import warnings
from typing import Any, Dict, List, Optional, Set

import pytest

import htx_rules
from htx_rules import Engine

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

AS_OF = "2025-06-30"

# Some synthetic records are founded after AS_OF: the core flags those dates as malformed facts
# (treated as absent), which evaluate_many reports with a FactsWarning.
pytestmark = pytest.mark.filterwarnings("ignore::htx_rules.FactsWarning")
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


def _valued(engine: Engine) -> Set[str]:
    """Decisions that carry a value (the only ones with a `.value` column by default)."""
    return {n for n, t in engine._output_types("cooperative") if t is not None}


def _errors(result: htx_rules.Result) -> List[Dict[str, Any]]:
    return [{"field": e.field, "code": e.code, "message": e.messages} for e in result.errors]


def _check_rows(engine: Engine, recs: List[Dict[str, Any]], rows: List[Dict[str, Any]]) -> None:
    expected = _expected(engine, recs)
    valued = _valued(engine)
    assert len(rows) == len(expected)
    for row, exp in zip(rows, expected):
        assert row["id"] == exp.id
        for name, d in exp.decisions.items():
            assert row[name] == d.outcome, (exp.id, name)
            if name in valued:
                assert _cmp(row[f"{name}.value"], d.value), (exp.id, name, row[f"{name}.value"], d.value)
            else:
                assert f"{name}.value" not in row
        assert list(row["errors"]) == _errors(exp), exp.id


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
    valued = _valued(engine)
    assert list(out.columns) == ["id"] + [c for n in names for c in (n, f"{n}.value") if c in names or n in valued] + ["errors"]
    assert 0 < len(valued) < len(names)
    _check_rows(engine, recs, out.to_dict("records"))
    # the same malformed facts as per-record evaluation, located by row
    per_record = {(i, e.field) for i, r in enumerate(_expected(engine, recs)) for e in r.errors}
    assert per_record, "the synthetic data has malformed facts"
    assert {(i, e["field"]) for i, errs in enumerate(out["errors"]) for e in errs} == per_record


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
    with pytest.warns(htx_rules.FactsWarning, match="row 1, /kind"):
        out = engine.evaluate_many("cooperative", df, AS_OF)
    assert list(out["errors"].iloc[0]) == []
    [err] = out["errors"].iloc[1]
    assert err["field"] == "/kind" and err["code"] == "facts.enum"
    assert set(err["message"]) == {"vi", "en"} and "spaceship" in err["message"]["en"]


def test_bad_container(engine: Engine) -> None:
    with pytest.raises(TypeError):
        engine.evaluate_many("cooperative", 42, AS_OF)


def test_unknown_entity_columns(engine: Engine) -> None:
    with pytest.raises(htx_rules.UnknownNameError):
        engine.evaluate_many("spaceship", pd.DataFrame({"a": [1]}), AS_OF)


# -- the answer's shape -------------------------------------------------------------------------


@pytest.mark.filterwarnings("error::htx_rules.FactsWarning")
def test_warning_points_at_the_callers_line(engine: Engine) -> None:
    df = pd.DataFrame({"id": ["x"], "kind": ["spaceship"]})
    table = pa.Table.from_pandas(df)
    for data in (df, table, [{"id": "x", "kind": "spaceship"}]):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
            engine.evaluate_many("cooperative", data, AS_OF)
        # the malformed cell's warning, and what the columns say (decisions none can decide)
        assert caught and all(issubclass(w.category, htx_rules.FactsWarning) for w in caught)
        assert sum("malformed" in str(w.message) for w in caught) == 1
        for w in caught:
            assert (w.filename, w.lineno) == (__file__, line), (type(data), str(w.message))


def test_values_modes(engine: Engine) -> None:
    recs = _records(20, seed=2)
    names = [n for n, _ in engine._output_types("cooperative")]
    valued = _valued(engine)
    df = _frame(recs)
    for values, with_value in (("auto", valued), ("all", set(names)), ("none", set())):
        expected = ["id"] + [c for n in names for c in ([n, f"{n}.value"] if n in with_value else [n])] + ["errors"]
        assert list(engine.evaluate_many("cooperative", df, AS_OF, values=values).columns) == expected
        table = pa.Table.from_pandas(df, preserve_index=False)
        assert engine.evaluate_many("cooperative", table, AS_OF, values=values).column_names == expected
        assert list(engine.evaluate_many("cooperative", recs, AS_OF, values=values)[0]) == expected
    with pytest.raises(ValueError, match="auto"):
        engine.evaluate_many("cooperative", df, AS_OF, values="some")


def test_pandas_answer_dtypes(engine: Engine) -> None:
    out = engine.evaluate_many("cooperative", _frame(_records(30)), AS_OF)
    objects = [c for c in out.columns if out[c].dtype == object]
    assert objects == [], objects  # no object column where a real type exists
    assert isinstance(out["women_managed"].dtype, pd.CategoricalDtype)
    assert list(out["women_managed"].cat.categories) == ["yes", "no", "unknown"]
    share = out["female_labour_share.value"]
    assert isinstance(share.dtype, pd.ArrowDtype) and pa.types.is_decimal(share.dtype.pyarrow_dtype)
    assert all(isinstance(v, decimal.Decimal) for v in share.dropna())  # exact, never a float
    assert str(out["meets_membership_minimum.value"].dtype) == "Int64"
    assert isinstance(out["errors"].dtype, pd.ArrowDtype)


def test_arrow_answer_types(engine: Engine) -> None:
    out = engine.evaluate_many("cooperative", pa.Table.from_pandas(_frame(_records(10))), AS_OF)
    schema = out.schema
    assert pa.types.is_dictionary(schema.field("women_managed").type)
    assert schema.field("female_labour_share.value").type == pa.decimal128(38, 28)
    assert schema.field("meets_membership_minimum.value").type == pa.int64()
    assert pa.types.is_list(schema.field("errors").type)


def test_errors_column_survives_concat_and_merge(engine: Engine) -> None:
    df = pd.DataFrame({"id": ["x", "y"], "kind": ["htx", "spaceship"]})
    out = engine.evaluate_many("cooperative", df, AS_OF)
    both = pd.concat([out, out], ignore_index=True)
    assert [len(e) for e in both["errors"]] == [0, 1, 0, 1]
    merged = df.merge(out[["id", "errors"]], on="id")
    assert [len(e) for e in merged["errors"]] == [0, 1]
    assert merged["errors"].iloc[1][0]["field"] == "/kind"


def test_mixed_object_column_is_read_cell_by_cell(engine: Engine) -> None:
    """A pandas column Arrow cannot type (strings and a number) still reaches the core, which
    names the bad cell."""
    df = pd.DataFrame({"id": ["a", "b", "c"], "kind": pd.Series(["htx", 5, None], dtype=object),
                       "workers.total": [10, 10, 10], "workers.female": [8, 8, 8]})
    out = engine.evaluate_many("cooperative", df, AS_OF)
    assert [len(e) for e in out["errors"]] == [0, 1, 0]
    assert out["errors"].iloc[1][0]["field"] == "/kind"
    expected = engine.evaluate("cooperative", [{"id": "a", "kind": "htx", "workers": {"total": 10, "female": 8}}], AS_OF)
    assert out["many_female_jobs"].iloc[0] == expected[0].decisions["many_female_jobs"].outcome


def test_rows_are_numbered_across_chunks(engine: Engine) -> None:
    """More rows than one chunk: errors keep the row numbers of the whole input."""
    n = htx_rules._frames.ROWS + 10
    kinds = pa.array(["htx"] * (n - 1) + ["spaceship"])
    table = pa.table({"id": pa.array([f"R{i}" for i in range(n)]), "kind": kinds})
    with pytest.warns(htx_rules.FactsWarning, match=f"row {n - 1}, /kind"):
        out = engine.evaluate_many("cooperative", table, AS_OF)
    assert out.num_rows == n
    errors = out.column("errors").to_pylist()
    assert [i for i, e in enumerate(errors) if e] == [n - 1]


def test_floats_read_as_the_same_decimals_as_in_json(engine: Engine) -> None:
    """A float cell gives the decimal of its shortest text, as the same number in a JSON record:
    0.7999999999999999 stays below 0.8 (no rounding to 15 digits on the way)."""
    shares = [0.1, 1 / 3, 0.7999999999999999, 0.8, 1e-20, None]
    table = pa.table({"htx_stable_jobs_share": pa.array(shares, pa.float64())})
    rows = engine.evaluate_many("progress", table, "2025-12-31", values="all").to_pylist()
    expected = engine.evaluate("progress", [{"htx_stable_jobs_share": s} for s in shares], "2025-12-31")
    for row, r in zip(rows, expected):
        for name, d in r.decisions.items():
            assert row[name] == d.outcome, name
            assert row[f"{name}.value"] == d.value, (name, row[f"{name}.value"], d.value)
    assert rows[2]["htx_stable_jobs_share.value"] < decimal.Decimal("0.8")
