"""Any Arrow data in, the same kind out: pyarrow Table / RecordBatch / RecordBatchReader, polars
DataFrame and LazyFrame, DuckDB relations, pandas, and any object with `__arrow_c_stream__`
give identical outcomes; readers are answered lazily, a batch at a time."""

from __future__ import annotations

import decimal
import random
from typing import Any, Dict, Iterator, List

import pytest

import htx_rules
from htx_rules import Engine

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

AS_OF = "2025-06-30"
pytestmark = pytest.mark.filterwarnings("ignore::htx_rules.FactsWarning")

ROLES = ["board_chair", "board_member", "director", "supervisor", "group_leader", "accountant", "other"]


def _table(n: int, seed: int = 1) -> Any:
    """A registry as Arrow: nested `workers` struct, `managers` list<struct>, dates, decimals."""
    rnd = random.Random(seed)
    rows: List[Dict[str, Any]] = []
    for i in range(n):
        total = rnd.choice([None, 0, 10, 40, 100])
        rows.append(
            {
                "id": f"R{i}",
                "kind": rnd.choice(["htx", "tht", "union", None, "spaceship"]),
                "established_on": rnd.choice([None, "2019-05-01", "2024-08-15", "2026-03-01"]),
                "workers": {"total": total, "female": None if total is None else rnd.randint(0, total)},
                "members.total": rnd.choice([None, 3, 7, 12]),
                "value_chain": rnd.choice([True, False, None]),
                "managers": None if rnd.random() < 0.2 else [
                    {"role": rnd.choice(ROLES), "gender": rnd.choice(["female", "male"])}
                    for _ in range(rnd.randint(0, 3))
                ],
                "notes": "ignored column",
            }
        )
    table = pa.Table.from_pylist(rows)
    dates = pa.compute.cast(table.column("established_on"), pa.date32())
    return table.set_column(table.schema.get_field_index("established_on"), "established_on", dates)


def _rows(answer: Any) -> List[Dict[str, Any]]:
    """Any answer as plain rows (decimals compared exactly)."""
    if isinstance(answer, pa.RecordBatchReader):
        answer = answer.read_all()
    if isinstance(answer, pl.LazyFrame):
        answer = answer.collect()
    if isinstance(answer, pl.DataFrame):
        return answer.to_dicts()
    if isinstance(answer, pd.DataFrame):
        return [{k: (None if v is pd.NA else v) for k, v in r.items()} for r in answer.to_dict("records")]
    return answer.to_pylist()


def _same(a: List[Dict[str, Any]], b: List[Dict[str, Any]]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert set(x) == set(y)
        for k in x:
            u, v = x[k], y[k]
            if k == "errors":
                assert list(u) == list(v), k
            elif isinstance(u, decimal.Decimal) or isinstance(v, decimal.Decimal):
                assert u == v, k
            else:
                assert u == v, (k, u, v)


def test_every_kind_gives_identical_outcomes(engine: Engine) -> None:
    table = _table(500)
    base = engine.evaluate_many("cooperative", table, AS_OF)
    assert isinstance(base, pa.Table)
    expected = _rows(base)
    # the answers agree with per-record evaluation
    records = [htx_rules._frames.unflatten(r) for r in table.to_pylist()]
    per_record = engine.evaluate("cooperative", records, AS_OF)
    for row, r in zip(expected, per_record):
        assert row["id"] == r.id
        for name, d in r.decisions.items():
            assert row[name] == d.outcome, (r.id, name)
        assert row["errors"] == [{"field": e.field, "code": e.code, "message": e.messages} for e in r.errors]

    con = duckdb.connect()
    relation = con.from_arrow(table)
    inputs = {
        "record batch": (table.combine_chunks().to_batches()[0], pa.RecordBatch),
        "reader": (table.to_reader(max_chunksize=64), pa.RecordBatchReader),
        "polars": (pl.from_arrow(table), pl.DataFrame),
        "polars lazy": (pl.from_arrow(table).lazy(), pl.LazyFrame),
        "duckdb": (relation, pa.Table),
        "pandas": (table.to_pandas(), pd.DataFrame),
    }
    for label, (data, kind) in inputs.items():
        answer = engine.evaluate_many("cooperative", data, AS_OF)
        assert isinstance(answer, kind), label
        _same(_rows(answer), expected)


def test_flat_dotted_columns_equal_nested_ones(engine: Engine) -> None:
    table = _table(100, seed=3)
    flat = table.flatten()  # workers -> workers.total, workers.female
    assert "workers.female" in flat.column_names
    _same(_rows(engine.evaluate_many("cooperative", flat, AS_OF)), _rows(engine.evaluate_many("cooperative", table, AS_OF)))


def test_polars_native_types(engine: Engine) -> None:
    df = pl.DataFrame(
        {
            "id": ["a", "b"],
            "kind": pl.Series(["htx", "tht"], dtype=pl.Categorical),
            "workers": [{"total": 40, "female": 31}, {"total": 10, "female": None}],
            "managers": [[{"role": "director", "gender": "female"}], []],
            "established_on": pl.Series(["2024-03-15", "2023-01-02"]).str.to_date(),
        }
    )
    out = engine.evaluate_many("cooperative", df, AS_OF)
    recs = [
        {"id": "a", "kind": "htx", "workers": {"total": 40, "female": 31}, "established_on": "2024-03-15",
         "managers": [{"role": "director", "gender": "female"}]},
        {"id": "b", "kind": "tht", "workers": {"total": 10}, "established_on": "2023-01-02", "managers": []},
    ]
    for row, r in zip(out.to_dicts(), engine.evaluate("cooperative", recs, AS_OF)):
        for name, d in r.decisions.items():
            assert row[name] == d.outcome
    assert out["female_labour_share.value"][0] == decimal.Decimal("0.775")
    assert out.schema["women_managed"] == pl.Categorical


def test_reader_in_reader_out_is_lazy(engine: Engine) -> None:
    """Nothing is read before the answer is pulled, then one input batch per answer batch."""
    table = _table(300, seed=5)
    pulled: List[int] = []

    def batches() -> Iterator[Any]:
        for i, b in enumerate(table.to_batches(max_chunksize=100)):
            pulled.append(i)
            yield b

    reader = pa.RecordBatchReader.from_batches(table.schema, batches())
    answer = engine.evaluate_many("cooperative", reader, AS_OF)
    assert isinstance(answer, pa.RecordBatchReader)
    assert pulled == []
    first = answer.read_next_batch()
    assert first.num_rows == 100 and pulled == [0]
    rest = answer.read_all()
    assert rest.num_rows == 200 and pulled == [0, 1, 2]
    assert "errors" in answer.schema.names


def test_any_arrow_stream_object(engine: Engine) -> None:
    """An object that only speaks the PyCapsule interface (as arro3, nanoarrow, DuckDB do)."""
    table = _table(50, seed=7)

    class Stream:
        def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
            return table.__arrow_c_stream__(requested_schema)

    answer = engine.evaluate_many("cooperative", Stream(), AS_OF)
    assert isinstance(answer, pa.Table)
    _same(_rows(answer), _rows(engine.evaluate_many("cooperative", table, AS_OF)))


def test_empty_inputs(engine: Engine) -> None:
    table = _table(5).slice(0, 0)
    assert engine.evaluate_many("cooperative", table, AS_OF).num_rows == 0
    assert engine.evaluate_many("cooperative", pl.from_arrow(table), AS_OF).height == 0
    assert engine.evaluate_many("cooperative", pl.from_arrow(table).lazy(), AS_OF).collect().height == 0
    assert engine.evaluate_many("cooperative", table.to_reader(), AS_OF).read_all().num_rows == 0


def test_a_column_that_cannot_hold_a_fact(engine: Engine) -> None:
    table = pa.table({"id": ["a"], "kind": pa.array([{"x": 1}])})
    with pytest.raises(TypeError, match="kind"):
        engine.evaluate_many("cooperative", table, AS_OF)


def test_unknown_entity(engine: Engine) -> None:
    with pytest.raises(htx_rules.UnknownNameError):
        engine.evaluate_many("spaceship", _table(3), AS_OF)
    with pytest.raises(htx_rules.UnknownNameError):
        engine.evaluate_many("spaceship", pl.from_arrow(_table(3)), AS_OF)
