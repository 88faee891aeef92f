"""Engine, Result, Decision, Validation, FieldError, Report, Explanation and the exceptions
pickle, through `pickle` and through a `ProcessPoolExecutor` (fresh `spawn` processes, as Dask
and Spark workers are). An Engine travels as its pack sources and is rebuilt once per process."""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import pathlib
import pickle
from typing import Any

import pytest

import htx_rules
from htx_rules import Engine

import pickle_workers

AS_OF = "2025-06-30"
ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "notebooks" / "sample-registry.json"
COOP = {
    "id": "BT-HTX-0001",
    "kind": "htx",
    "established_on": "2024-03-15",
    "workers": {"total": 40, "female": 31},
    "managers": [{"role": "board_chair", "gender": "female"}],
    "members": {"total": 12, "female": 9},
}


def _round(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj))


def _pack_sources() -> Engine:
    files = {
        str(p.relative_to(ROOT / "rules")).replace(os.sep, "/"): p.read_text(encoding="utf-8")
        for p in (ROOT / "rules").rglob("*.toml")
    }
    return Engine.from_sources(files, "ben-tre-2747", lang="en")


@pytest.fixture(scope="module")
def engines() -> Any:
    return {
        "embedded": Engine(),
        "from_dir": Engine.from_dir(ROOT / "rules" / "ben-tre-2747"),
        "from_sources": _pack_sources(),
    }


def test_engines_round_trip(engines: Any) -> None:
    for label, engine in engines.items():
        back = _round(engine)
        assert isinstance(back, Engine) and back.lang == engine.lang, label
        assert back.evaluate("cooperative", COOP, AS_OF).to_dict() == engine.evaluate("cooperative", COOP, AS_OF).to_dict()
        assert back.explain("women_managed").to_dict() == engine.explain("women_managed").to_dict()


def test_embedded_engine_carries_no_sources(engines: Any) -> None:
    assert len(pickle.dumps(engines["embedded"])) < 300
    # a pack from disk carries exactly the files it was loaded from (both packs)
    state = engines["from_dir"]._native.source_state()
    assert state is not None
    files, root = state
    assert root == "ben-tre-2747"
    assert {name.split("/")[0] for name in files} == {"ben-tre-2747", "vn-law"}
    assert all(name.endswith(".toml") for name in files)


def test_unpickled_engines_are_built_once_per_process(engines: Any) -> None:
    data = pickle.dumps(engines["from_dir"])
    a, b = pickle.loads(data), pickle.loads(pickle.dumps(engines["from_dir"]))
    assert a._native is b._native  # the second was found by the hash of its sources
    assert Engine()._native is Engine()._native  # the embedded pack is shared too


def test_results_and_decisions(engines: Any) -> None:
    for engine in engines.values():
        r = engine.evaluate("cooperative", COOP, AS_OF)
        back = _round(r)
        assert isinstance(back, htx_rules.Result)
        assert back.to_dict() == r.to_dict() and back.lang == r.lang and back.as_of == r.as_of
        d = r.decisions["female_labour_share"]
        dback = _round(d)
        assert isinstance(dback, htx_rules.Decision)
        assert (dback.name, dback.outcome, dback.value, dback.reasons) == (d.name, d.outcome, d.value, d.reasons)
        assert dback.to_dict() == d.to_dict()


def test_many_results_carry_the_sources_once(engines: Any) -> None:
    engine = engines["from_dir"]
    results = engine.evaluate("cooperative", [dict(COOP, id=f"X{i}") for i in range(200)], AS_OF)
    one = len(pickle.dumps(results[0]))
    many = len(pickle.dumps(results))
    assert one > 10_000  # the pack's sources
    assert many < one + 200 * 1_000
    assert [r.to_dict() for r in _round(results)] == [r.to_dict() for r in results]


def test_validation_field_error_report_explanation(engine: Engine) -> None:
    v = engine.validate("cooperative", dict(COOP, workers={"total": 10, "female": 12}), lang="en")
    back = _round(v)
    assert isinstance(back, htx_rules.Validation)
    assert (back.valid, back.to_dict()) == (v.valid, v.to_dict())
    assert back.errors == v.errors and back.errors[0].message == v.errors[0].message
    e = _round(v.errors[0])
    assert isinstance(e, htx_rules.FieldError) and e == v.errors[0] and e.messages == v.errors[0].messages
    report = engine.report(SAMPLE, as_of="2025-12-31")
    rb = _round(report)
    assert rb.to_dict() == report.to_dict() and rb.to_html("en") == report.to_html("en")
    assert rb.to_table("vi") == report.to_table("vi")
    x = engine.explain("many_female_jobs")
    xb = _round(x)
    assert xb.to_dict() == x.to_dict() and xb.to_text("en") == x.to_text("en")


def test_outcomes_pickle() -> None:
    o = _round(htx_rules.Outcome("unknown"))
    assert isinstance(o, htx_rules.Outcome) and o == "unknown"


def test_exceptions(engine: Engine, tmp_path: pathlib.Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "pack.toml").write_text("x = = 1\n", encoding="utf-8")
    errors = []
    for call in (
        lambda: Engine.from_dir(tmp_path / "broken"),
        lambda: engine.evaluate("spaceship", {}),
        lambda: engine.evaluate("cooperative", [5]),  # type: ignore[list-item]
        lambda: engine.evaluate("cooperative", {}, as_of="30/06/2025"),
    ):
        with pytest.raises(htx_rules.HtxRulesError) as info:
            call()
        errors.append(info.value)
    assert {type(e) for e in errors} == {htx_rules.PackError, htx_rules.UnknownNameError, htx_rules.FactsError, htx_rules.InputError}
    for e in errors:
        back = _round(e)
        assert type(back) is type(e) and str(back) == str(e)
        for attr in ("code", "messages", "diagnostics", "field", "field_errors"):
            assert getattr(back, attr, None) == getattr(e, attr, None), (type(e), attr)
    assert _round(errors[0]).diagnostics


def test_through_a_process_pool(engines: Any) -> None:
    """Engines go to fresh worker processes and Results come back, equal to the local ones."""
    ctx = multiprocessing.get_context("spawn")
    records = [dict(COOP, id=f"P{i}", workers={"total": 40, "female": i}) for i in range(40)]
    with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        for label, engine in engines.items():
            local = [r.to_dict() for r in engine.evaluate("cooperative", records, AS_OF)]
            futures = [pool.submit(pickle_workers.evaluate_in_worker, engine, records[i::4], AS_OF) for i in range(4)]
            got: Any = {}
            for i, f in enumerate(futures):
                pid, results = f.result(timeout=120)
                assert pid != os.getpid()
                for k, r in zip(range(i, len(records), 4), results):
                    got[k] = r.to_dict()
            assert [got[k] for k in range(len(records))] == local, label
        # everything else makes the trip too
        r = engines["embedded"].evaluate("cooperative", COOP, AS_OF)
        v = engines["embedded"].validate("cooperative", {"kind": "spaceship"})
        report = engines["embedded"].report(json.loads(SAMPLE.read_text(encoding="utf-8")), as_of="2025-12-31")
        for obj, same in (
            (r, lambda a, b: a.to_dict() == b.to_dict()),
            (r.decisions["many_female_jobs"], lambda a, b: a.to_dict() == b.to_dict()),
            (v, lambda a, b: a.to_dict() == b.to_dict()),
            (v.errors[0], lambda a, b: a == b),
            (report, lambda a, b: a.to_dict() == b.to_dict()),
        ):
            pid, back = pool.submit(pickle_workers.echo, obj).result(timeout=120)
            assert pid != os.getpid() and type(back) is type(obj) and same(back, obj)
        # a worker that receives the same engine many times builds it once
        pickles = [pickle.dumps(engines["from_dir"]) for _ in range(3)]
        pid, distinct = pool.submit(pickle_workers.engines_built, pickles).result(timeout=120)
        assert distinct == 1
