"""What the Dask and Spark examples share: the Parquet registry's files, where each file's rows
start in their collection, the single-process baselines they are checked against, and the
comparison of two evaluation frames."""

from __future__ import annotations

import json
import pathlib
import time
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pyarrow as pa
import pyarrow.parquet as pq

import htx_rules

COLLECTIONS = ("cooperatives", "union_officials", "persons")


def files(root: pathlib.Path, collection: str) -> List[pathlib.Path]:
    """The collection's Parquet files, in registry order."""
    return sorted((root / collection).glob("*.parquet"))


def first_records(paths: List[pathlib.Path]) -> Dict[str, int]:
    """File name -> the number of its first row in the whole collection (from 1), from the
    files' footers (no data is read)."""
    out: Dict[str, int] = {}
    first = 1
    for p in paths:
        out[p.name] = first
        first += pq.ParquetFile(p).metadata.num_rows
    return out


def meta(root: pathlib.Path) -> Dict[str, Any]:
    """The registry's own keys (province, …), or none."""
    path = root / "registry.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def rows(root: pathlib.Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for c in COLLECTIONS for p in files(root, c))


def single_process_report(engine: htx_rules.Engine, root: pathlib.Path, as_of: str) -> htx_rules.Report:
    """The baseline: the whole registry in this process, one file after another."""

    def tables(collection: str) -> Iterator[pa.Table]:
        for p in files(root, collection):
            yield pq.read_table(p)

    registry: Dict[str, Any] = dict(meta(root))
    for c in COLLECTIONS:
        registry[c] = tables(c)
    return engine.report(registry, as_of)


def timed(f: Callable[[], Any]) -> Tuple[Any, float]:
    start = time.perf_counter()
    out = f()
    return out, time.perf_counter() - start


def columns(table: pa.Table) -> Dict[str, List[Any]]:
    """A table's columns as Python lists (outcome dictionaries as their text), by name."""
    out = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        out[name] = col.to_pylist()
    return out


def same_rows(got: pa.Table, expected: pa.Table, key: str = "id") -> None:
    """The same answers row for row (compared in `key` order: a cluster may return the
    partitions in another order)."""
    a, b = columns(got), columns(expected)
    assert sorted(a) == sorted(b), f"columns differ: {sorted(set(a) ^ set(b))}"
    order_a = sorted(range(len(a[key])), key=lambda i: (a[key][i] is None, a[key][i]))
    order_b = sorted(range(len(b[key])), key=lambda i: (b[key][i] is None, b[key][i]))
    assert len(order_a) == len(order_b), f"{len(order_a)} rows, expected {len(order_b)}"
    for name in b:
        left = [a[name][i] for i in order_a]
        right = [b[name][i] for i in order_b]
        assert left == right, f"column {name} differs"


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f} rows/s" if seconds > 0 else "-"
