"""evaluate_many on several threads: the table is cut into pieces evaluated with the GIL
released and put back in order, so one thread and many give the same answer, row for row
(outcomes, values, the errors column, the row numbers in the warning)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import htx_rules
from htx_rules import Engine

from test_frames import AS_OF, _check_rows, _frame, _records

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

pytestmark = pytest.mark.filterwarnings("ignore::htx_rules.FactsWarning")

# more rows than two threads need to share one batch (arrow.rs: MIN_PIECE = 4096 rows each)
N = 20_000


@pytest.fixture(scope="module")
def recs() -> Any:
    return _records(N, seed=23)


@pytest.fixture(scope="module")
def table(recs: Any) -> Any:
    return pa.Table.from_pandas(_frame(recs), preserve_index=False)


def _same(a: Any, b: Any) -> None:
    assert a.schema == b.schema
    assert a.num_rows == b.num_rows
    # equal column by column, whatever the batches' boundaries
    for name in a.column_names:
        assert a.column(name).combine_chunks().equals(b.column(name).combine_chunks()), name


def test_threads_give_the_same_table(engine: Engine, recs: Any, table: Any) -> None:
    one = engine.evaluate_many("cooperative", table, AS_OF, threads=1)
    two = engine.evaluate_many("cooperative", table, AS_OF, threads=2)
    three = engine.evaluate_many("cooperative", table, AS_OF, threads=3)
    every = engine.evaluate_many("cooperative", table, AS_OF)
    # two threads did cut it (one batch per piece), one thread did not
    assert two.column("id").num_chunks >= 2
    assert one.column("id").num_chunks == 1
    for other in (two, three, every):
        _same(one, other)
    # and the answer is the per-record one, not just the same twice
    _check_rows(engine, recs, two.to_pylist())


def test_threads_on_many_small_batches(engine: Engine, table: Any) -> None:
    small = pa.Table.from_batches(table.to_batches(max_chunksize=1_000))
    _same(
        engine.evaluate_many("cooperative", small, AS_OF, threads=1),
        engine.evaluate_many("cooperative", small, AS_OF, threads=2),
    )


def test_threads_on_a_reader_and_pandas(engine: Engine, table: Any) -> None:
    reader = lambda: table.to_reader(max_chunksize=12_000)  # noqa: E731
    one = engine.evaluate_many("cooperative", reader(), AS_OF, threads=1).read_all()
    two = engine.evaluate_many("cooperative", reader(), AS_OF, threads=2).read_all()
    _same(one, two)
    df = table.to_pandas()
    pd.testing.assert_frame_equal(
        engine.evaluate_many("cooperative", df, AS_OF, threads=1),
        engine.evaluate_many("cooperative", df, AS_OF, threads=2),
    )


def test_bad_cells_keep_their_row_numbers_across_threads(engine: Engine) -> None:
    n = 3 * htx_rules._frames.ROWS + 7
    kinds = ["htx"] * n
    bad = [5, htx_rules._frames.ROWS + 1, n - 1]
    for i in bad:
        kinds[i] = "spaceship"
    data = pa.table({"id": pa.array([f"R{i}" for i in range(n)]), "kind": pa.array(kinds)})
    for threads in (1, 2, 4):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = engine.evaluate_many("cooperative", data, AS_OF, threads=threads)
        said = [str(w.message) for w in caught if "malformed" in str(w.message)]
        assert len(said) == 1 and said[0].startswith(
            "3 malformed cell(s) treated as missing (listed in the `errors` column); first: row 5, /kind"
        ), (threads, said)
        errors = out.column("errors").to_pylist()
        assert [i for i, e in enumerate(errors) if e] == bad, threads
        assert out.column("id").to_pylist() == [f"R{i}" for i in range(n)]


def test_a_frame_of_many_chunks_keeps_three_categories(engine: Engine) -> None:
    """Answer batches share one outcome dictionary: a pandas slice evaluated in pieces is put
    together into one batch, whose dictionary would otherwise repeat the three outcomes once
    per piece, which pandas refuses ("Categorical categories must be unique")."""
    n = 2 * htx_rules._frames.ROWS + 5
    df = pd.DataFrame({"kind": ["htx", "tht"] * (n // 2) + ["htx"], "workers.total": [10] * n})
    for threads in (1, 2):
        out = engine.evaluate_many("cooperative", df, AS_OF, threads=threads)
        assert len(out) == n
        assert sorted(out["many_female_jobs"].cat.categories) == ["no", "unknown", "yes"]
        assert set(out["many_female_jobs"]) == {"unknown"}


@pytest.mark.parametrize("threads", [0, -1, True, 1.5, "2"])
def test_threads_must_be_a_positive_whole_number(engine: Engine, table: Any, threads: Any) -> None:
    with pytest.raises(ValueError, match="threads must be None"):
        engine.evaluate_many("cooperative", table.slice(0, 10), AS_OF, threads=threads)
