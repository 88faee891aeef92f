"""Python-facing rules: unknown never becomes a boolean; `__version__`; `validate` over lists and
tables; `Report.to_frame()` with typed columns."""

from __future__ import annotations

import decimal
import importlib.metadata
import json
import pathlib

import pytest

import htx_rules
from htx_rules import Engine

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

AS_OF = "2025-06-30"
SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "sample-registry.json"


# -- 8.3: no truth value for a three-valued answer ----------------------------------------------


def test_bool_of_a_decision_raises(engine: Engine) -> None:
    r = engine.evaluate("cooperative", {"id": "x"}, AS_OF)
    d = r.decisions["many_female_jobs"]
    assert d.outcome == "unknown"
    with pytest.raises(TypeError, match=r'\.outcome == "yes"'):
        bool(d)
    with pytest.raises(TypeError, match="unknown"):
        if d:  # the very mistake: unknown would quietly become "no"
            pass
    yes = engine.evaluate("cooperative", {"workers": {"total": 10, "female": 9}}, AS_OF).decisions["many_female_jobs"]
    with pytest.raises(TypeError):
        bool(yes)  # also when the answer happens to be yes: the rule does not depend on data


def test_bool_of_an_outcome_raises(engine: Engine) -> None:
    d = engine.evaluate("cooperative", {"workers": {"total": 10, "female": 2}}, AS_OF).decisions["many_female_jobs"]
    o = d.outcome
    assert isinstance(o, htx_rules.Outcome) and isinstance(o, str)
    assert o == "no" and o != "yes" and o in ("no",) and {o: 1}["no"] == 1
    assert json.dumps({"o": o}) == '{"o": "no"}' and f"{o}" == "no" and repr(o) == "'no'"
    with pytest.raises(TypeError, match=r'\.outcome == "yes"'):
        bool(o)  # bool("no") would be True
    with pytest.raises(TypeError):
        not o  # noqa: B015
    rows = engine.evaluate_many("cooperative", [{"workers": {"total": 10, "female": 2}}], AS_OF)
    with pytest.raises(TypeError):
        bool(rows[0]["many_female_jobs"])
    with pytest.raises(ValueError):
        htx_rules.Outcome("maybe")


def test_validation_keeps_its_truth_value(engine: Engine) -> None:
    """Validation is two-valued (a missing required field is an error, never unknown)."""
    good = engine.validate("cooperative", {"kind": "htx"}, as_of=AS_OF)
    bad = engine.validate("cooperative", {"kind": "spaceship"}, as_of=AS_OF)
    assert bool(good) is True is good.valid
    assert bool(bad) is False is bad.valid


def test_version() -> None:
    assert htx_rules.__version__ == importlib.metadata.version("htx-rules")
    assert htx_rules.__version__ == htx_rules._native.CORE_VERSION
    assert "__version__" in htx_rules.__all__


# -- validate over lists and tables ---------------------------------------------------------------

FORMS = [
    {"id": "a", "kind": "htx", "workers": {"total": 10, "female": 4}},
    {"id": "b", "kind": "htx", "workers": {"total": 10, "female": 12}},
    {"id": "c", "kind": "spaceship"},
    {"id": "d"},
]
FLAT = [
    {"id": "a", "kind": "htx", "workers.total": 10, "workers.female": 4},
    {"id": "b", "kind": "htx", "workers.total": 10, "workers.female": 12},
    {"id": "c", "kind": "spaceship", "workers.total": None, "workers.female": None},
    {"id": "d", "kind": None, "workers.total": None, "workers.female": None},
]


def _expected(engine: Engine) -> list:
    return [engine.validate("cooperative", f, as_of=AS_OF).to_dict() for f in FORMS]


def test_validate_a_list(engine: Engine) -> None:
    out = engine.validate("cooperative", FORMS, as_of=AS_OF)
    assert isinstance(out, list) and all(isinstance(v, htx_rules.Validation) for v in out)
    assert [v.to_dict() for v in out] == _expected(engine)
    assert [v.valid for v in out] == [True, False, False, False]
    # flat dotted keys are nested again, as in evaluate_many
    assert [v.to_dict() for v in engine.validate("cooperative", FLAT, as_of=AS_OF)] == _expected(engine)


def _check_table(rows: list, expected: list) -> None:
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    assert [r["valid"] for r in rows] == [e["valid"] for e in expected]
    assert [list(r["errors"]) for r in rows] == [e["errors"] for e in expected]


def test_validate_tables(engine: Engine) -> None:
    expected = _expected(engine)
    df = pd.DataFrame(FLAT, index=[10, 11, 12, 13])
    out = engine.validate("cooperative", df, lang="en", as_of=AS_OF)
    assert isinstance(out, pd.DataFrame) and list(out.index) == [10, 11, 12, 13]
    assert list(out.columns) == ["id", "valid", "errors"]
    assert str(out["valid"].dtype) == "boolean"
    _check_table(out.to_dict("records"), expected)
    table = pa.Table.from_pylist(FLAT)
    _check_table(engine.validate("cooperative", table, as_of=AS_OF).to_pylist(), expected)
    batch = engine.validate("cooperative", table.to_batches()[0], as_of=AS_OF)
    assert isinstance(batch, pa.RecordBatch)
    reader = engine.validate("cooperative", table.to_reader(max_chunksize=1), as_of=AS_OF)
    assert isinstance(reader, pa.RecordBatchReader)
    _check_table(reader.read_all().to_pylist(), expected)
    frame = engine.validate("cooperative", pl.from_arrow(table), as_of=AS_OF)
    assert isinstance(frame, pl.DataFrame)
    _check_table(frame.to_dicts(), expected)
    lazy = engine.validate("cooperative", pl.from_arrow(table).lazy(), as_of=AS_OF)
    assert isinstance(lazy, pl.LazyFrame)
    _check_table(lazy.collect().to_dicts(), expected)
    with pytest.raises(TypeError, match="dict, a list of dicts or a table"):
        engine.validate("cooperative", 5)  # type: ignore[call-overload]


# -- Report.to_frame(): typed columns --------------------------------------------------------------


def test_report_frame_is_typed(engine: Engine) -> None:
    report = engine.report(SAMPLE, as_of="2025-12-31")
    frame = report.to_frame()
    assert [c for c in frame.columns if frame[c].dtype == object] == []
    assert str(frame["phase"].dtype) == "Int64" and str(frame["running"].dtype) == "boolean"
    for c in ("indicator", "title_vi", "title_en", "kind", "status", "document", "section"):
        assert frame[c].dtype == pd.StringDtype(), c
    assert isinstance(frame["outcome"].dtype, pd.CategoricalDtype)
    for c in ("value", "target", "shortfall"):
        assert isinstance(frame[c].dtype, pd.ArrowDtype) and pa.types.is_decimal(frame[c].dtype.pyarrow_dtype), c
    assert frame["assessed_on"].dtype == pd.ArrowDtype(pa.date32())
    # exact: every number equals the report's JSON (no float on the way)
    data = report.to_dict()
    by_id = {(ph["phase"], i["id"]): i for ph in data["phases"] for i in ph["indicators"]}
    for row in frame.to_dict("records"):
        ind = by_id[(row["phase"], row["indicator"])]
        for c in ("value", "target", "shortfall"):
            want = ind.get(c)
            got = row[c]
            if want is None:
                assert got is None or got is pd.NA
            else:
                assert isinstance(got, decimal.Decimal) and got == decimal.Decimal(str(want)), (c, got, want)
