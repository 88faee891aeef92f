"""A report over a cluster (issue 12.3): a registry split into parts, each part's partial report
computed apart (from any kind of table), pickled as a worker would ship it and merged in any
order, gives exactly the report of the whole registry — duplicate ids across parts counted
once and located, small cells protected only in the finished report."""

from __future__ import annotations

import copy
import json
import pathlib
import pickle
import random
from typing import Any, Dict, List

import pytest

import htx_rules

pa = pytest.importorskip("pyarrow")

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "cli" / "data" / "sample-registry.json"
COLLECTIONS = ("cooperatives", "union_officials", "persons")
META = ("province", "synthetic", "note")


def sample() -> Dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def with_duplicates(reg: Dict[str, Any], rng: random.Random) -> Dict[str, Any]:
    """The sample with copies of early rows (ids and all) at the end of each collection, and one
    copy whose facts differ (the first row with the id must be the one counted)."""
    reg = copy.deepcopy(reg)
    for c in COLLECTIONS:
        rows = reg[c]
        head = rows[: len(rows) // 3]
        copies = [copy.deepcopy(r) for r in rng.sample(head, 4)]
        changed = copies[0]
        if c == "persons":
            changed["gender"] = "male" if changed.get("gender") == "female" else "female"
        elif c == "cooperatives":
            changed["kind"] = "tht" if changed.get("kind") == "htx" else "htx"
        else:
            changed["trained"] = not changed.get("trained")
        reg[c] = rows + copies
    return reg


def arrow(rows: List[Dict[str, Any]]) -> Any:
    """Rows as an Arrow table, types inferred over every row (absent keys are nulls)."""
    return pa.Table.from_struct_array(pa.array(rows))


def as_kind(rows: List[Dict[str, Any]], kind: str) -> Any:
    """The same rows as another kind of table."""
    if kind == "records":
        return rows
    table = arrow(rows)
    if kind == "table":
        return table
    if kind == "reader":
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=37))
    if kind == "batches":  # an iterator of parts
        return iter(table.to_batches(max_chunksize=50))
    if kind == "pandas":
        pytest.importorskip("pandas")
        return table.to_pandas()
    if kind == "polars":
        pl = pytest.importorskip("polars")
        return pl.from_arrow(table)
    raise AssertionError(kind)


KINDS = ["table", "reader", "records", "pandas", "polars", "batches"]


def split(n: int, k: int, rng: random.Random) -> List[int]:
    """k contiguous parts of n rows at random cut points: the bounds."""
    cuts = sorted(rng.sample(range(1, n), k - 1)) if k > 1 else []
    return [0, *cuts, n]


@pytest.mark.parametrize("as_of", ["2025-12-31", "2026-11-27", "2031-01-01"])
def test_parts_merge_into_exactly_the_whole_report(engine: htx_rules.Engine, as_of: str) -> None:
    rng = random.Random(f"2747-{as_of}")
    reg = with_duplicates(sample(), rng)
    whole = engine.report(reg, as_of)  # one pass over the dicts (the core's JSON path)
    expected = whole.to_dict()
    dups = [e for e in expected["record_errors"] if e["errors"][0]["code"] == "registry.duplicate"]
    assert len(dups) == 12 and all(e["record"] for e in dups)
    for k in range(1, 6):
        partials = [engine.report_partial({key: reg[key] for key in META}, as_of)]
        for c in COLLECTIONS:
            rows = reg[c]
            bounds = split(len(rows), k, rng)
            for a, b in zip(bounds, bounds[1:]):
                data = as_kind(rows[a:b], rng.choice(KINDS))
                partials.append(engine.report_partial({c: data}, as_of, first_record=a + 1))
        # shipped as workers would, merged in any order
        partials = [pickle.loads(pickle.dumps(p)) for p in partials]
        rng.shuffle(partials)
        merged = htx_rules.combine(partials)
        assert merged.rows == sum(len(reg[c]) for c in COLLECTIONS)
        report = merged.finish()
        assert report.to_dict() == expected, f"{k} parts at {as_of}"
        assert report.to_table("en") == whole.to_table("en")
        # merging two at a time gives the same
        pairwise = partials[0]
        for p in partials[1:]:
            pairwise = pairwise.merge(p)
        assert pairwise.finish().to_dict() == expected


def test_every_kind_of_table_gives_the_same_report(engine: htx_rules.Engine) -> None:
    reg = sample()
    expected = engine.report(reg, "2026-11-27").to_dict()
    for kind in KINDS:
        registry = {c: as_kind(reg[c], kind) for c in COLLECTIONS}
        registry.update({key: reg[key] for key in META})
        assert engine.report(registry, "2026-11-27").to_dict() == expected, kind


def test_a_path_is_read_by_the_core(engine: htx_rules.Engine, tmp_path: pathlib.Path) -> None:
    reg = sample()
    expected = engine.report(reg, "2026-11-27").to_dict()
    # a JSON file (streamed by the core, not parsed into Python objects)
    assert engine.report(SAMPLE, "2026-11-27", threads=2).to_dict() == expected
    # a folder of JSON Lines files and registry.json
    for c in COLLECTIONS:
        (tmp_path / f"{c}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reg[c]), encoding="utf-8"
        )
    (tmp_path / "registry.json").write_text(json.dumps({k: reg[k] for k in META}), encoding="utf-8")
    folder = engine.report(tmp_path, "2026-11-27", threads=2).to_dict()
    assert folder["phases"] == expected["phases"]
    assert folder["registry"] == expected["registry"]


def test_small_cells_are_protected_only_in_the_finished_report(engine: htx_rules.Engine) -> None:
    """Three trafficking victims in each of two parts: each part's count is under the threshold,
    the whole's (6) is not. A partial keeps the exact 3; the merged report publishes 6 rounded to
    the base (5), never "<5" + "<5"."""
    victim = {
        "gender": "female",
        "trafficking_victim": True,
        "union_member": True,
        "household": {"area": "rural", "income_per_person_month_vnd": 1_000_000, "deprivations": 0},
    }
    part = lambda first: [dict(victim, id=f"V-{first + i}") for i in range(3)]  # noqa: E731
    a = engine.report_partial({"persons": arrow(part(0))}, "2026-11-27")
    b = engine.report_partial({"persons": part(3)}, "2026-11-27")
    whole = engine.report({"persons": part(0) + part(3)}, "2026-11-27").to_dict()
    merged = htx_rules.combine([a, b]).finish().to_dict()
    assert merged == whole

    def groups(report: Dict[str, Any]) -> List[Any]:
        return [
            g for ph in report["phases"] for ind in ph["indicators"] for g in ind.get("groups") or []
            if g["id"] == "trafficking_victim"
        ]

    alone = groups(a.finish().to_dict())
    assert alone and all(str(g["value"]).startswith("<") for g in alone)
    assert groups(merged) and all(g["value"] == 5 for g in groups(merged))


def test_partials_of_another_date_or_pack_are_refused(engine: htx_rules.Engine) -> None:
    a = engine.report_partial({"persons": []}, "2026-11-27")
    b = engine.report_partial({"persons": []}, "2025-12-31")
    with pytest.raises(htx_rules.InputError, match="registry.merge"):
        a.merge(b)
    with pytest.raises(ValueError):
        htx_rules.combine([])
    with pytest.raises(TypeError):
        htx_rules.combine([a, {"persons": []}])  # type: ignore[list-item]


def test_bad_input_says_what_was_expected(engine: htx_rules.Engine) -> None:
    with pytest.raises(htx_rules.InputError, match="cooperatives, union_officials, persons"):
        engine.report({"province": "x"}, "2026-11-27")
    with pytest.raises(ValueError, match="people"):
        engine.report_partial({"persons": []}, "2026-11-27", first_record={"people": 3})
    with pytest.raises(TypeError, match=r"registry\['persons'\] must be"):
        engine.report({"persons": 42}, "2026-11-27")
    with pytest.raises(ValueError, match="from 1"):
        engine.report_partial({"persons": []}, "2026-11-27", first_record=0)


def test_unknown_columns_are_listed_in_the_report(engine: htx_rules.Engine) -> None:
    rows = [dict(r, phone="0275") for r in sample()["persons"][:10]]
    report = engine.report({"persons": arrow(rows)}, "2026-11-27").to_dict()
    assert {"collection": "persons", "field": "phone", "rows": 10} in report["ignored"]


def test_record_errors_name_the_rows_of_the_whole(engine: htx_rules.Engine) -> None:
    rows = sample()["persons"][:30]
    rows[17] = dict(rows[17], gender="robot")
    whole = engine.report({"persons": rows}, "2026-11-27").to_dict()
    [error] = whole["record_errors"]
    assert error["record"] == 18
    parts = [
        engine.report_partial({"persons": arrow(rows[:10])}, "2026-11-27", first_record=1),
        engine.report_partial({"persons": arrow(rows[10:])}, "2026-11-27", first_record=11, source="part-2"),
    ]
    merged = htx_rules.combine(parts).finish().to_dict()
    [located] = merged["record_errors"]
    assert (located["record"], located["source"]) == (18, "part-2")
    assert located["errors"] == error["errors"]


def test_a_partial_is_small_and_pickles(engine: htx_rules.Engine) -> None:
    reg = sample()
    p = engine.report_partial({c: arrow(reg[c]) for c in COLLECTIONS}, "2026-11-27")
    data = pickle.dumps(p)
    # the aggregates and, per id, a few bytes of its contribution (to count duplicates once)
    assert len(data) < 100 * sum(len(reg[c]) for c in COLLECTIONS)
    back = pickle.loads(data)
    assert back.rows == p.rows == 860 and back.as_of == "2026-11-27"
    assert back.finish().to_dict() == p.finish().to_dict()
    assert repr(back) == 'ReportPartial(as_of="2026-11-27", rows=860)'


def test_frames_with_pyarrow_dtypes_in_several_chunks(engine: htx_rules.Engine) -> None:
    """pandas frames read with dtype_backend="pyarrow" (as Dask gives them) hold chunked
    columns: evaluated and reported like any frame."""
    pd = pytest.importorskip("pandas")
    rows = sample()["persons"]
    table = pa.concat_tables([arrow(rows[:150]), arrow(rows[150:])]).combine_chunks()
    chunked = pa.concat_tables([table.slice(0, 150), table.slice(150)])
    frame = chunked.to_pandas(types_mapper=pd.ArrowDtype)
    got = engine.evaluate_many("person", frame, "2026-11-27")
    expected = engine.evaluate_many("person", table, "2026-11-27")
    assert list(got["priority_woman"].astype(str)) == expected.column("priority_woman").cast(pa.string()).to_pylist()
    report = engine.report({"persons": frame}, "2026-11-27").to_dict()
    assert report == engine.report({"persons": rows}, "2026-11-27").to_dict()
