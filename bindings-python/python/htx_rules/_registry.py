"""Registries in, progress reports out — on one machine or split across a cluster.

A registry is what the pack's ``[[collection]]``\\ s and ``meta`` keys declare
(in its ``registry.toml``). It comes as

- a path: a JSON file, or a folder of ``<collection>.csv`` / ``.jsonl`` / ``.json`` files and a
  ``registry.json`` for the keys — read by the core, streaming, on several threads;
- a mapping ``{collection: rows, key: value}`` whose rows are a list of dicts (nested as in the
  JSON), a pandas or polars DataFrame, a polars LazyFrame, any Arrow data (a pyarrow Table,
  RecordBatch or RecordBatchReader, a DuckDB relation, anything with ``__arrow_c_stream__`` /
  ``__arrow_c_array__``), or an iterator of those (parts added in order). Arrow data goes to
  the core's columnar batches a batch at a time with the GIL released; nothing is turned into
  one big Python dict.

Only dispatch lives here: the core decodes, checks, counts and protects.
"""

from __future__ import annotations

import os
from collections.abc import Iterable as _Iterable
from collections.abc import Mapping as _Mapping
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

from . import _native
from ._frames import ROWS, _pandas_arrow, _pyarrow, kind_of

if TYPE_CHECKING:  # pragma: no cover
    from . import Engine

#: What `first_record` accepts: one number for every collection, or one per collection.
FirstRecord = Union[int, _Mapping]


def builder(engine: "Engine", registry: Any, as_of: str, *, first_record: Any = None,
            source: Optional[str] = None, threads: Optional[int] = None,
            whole: bool = True) -> _native.ReportBuilder:
    """A native report builder with the whole of `registry` added. A `whole` registry needs at
    least one collection; a part may hold only the registry's own keys."""
    native = engine._native
    b = native.report_builder(as_of)
    if isinstance(registry, (str, os.PathLike)):
        if first_record is not None:
            raise ValueError("first_record is for parts of a registry given as a mapping, not for a path")
        b.read_path(os.fspath(registry), threads or os.cpu_count() or 1)
        return b
    if not isinstance(registry, _Mapping):
        raise TypeError(
            "registry must be a mapping {collection: rows, key: value} or the path of a JSON file or "
            f"folder, not {type(registry).__name__}"
        )
    collections = {name for name, _ in engine._collections()}
    if whole and not any(k in collections for k in registry):
        # the core's own error, which names the collections the pack declares
        native.report({k: v for k, v in registry.items() if k not in collections}, as_of, engine.lang)
    starts = _starts(first_record, registry, collections)
    for key, value in registry.items():
        if not isinstance(key, str):
            raise TypeError(f"registry keys must be strings, got {key!r}")
        if key not in collections:
            b.set_meta(key, value)
            continue
        if key in starts:
            b.start_at(key, starts[key])
        _add(b, key, value, source)
    return b


def _starts(first_record: Any, registry: Any, collections: Any) -> Dict[str, int]:
    if first_record is None:
        return {}
    if isinstance(first_record, bool) or not isinstance(first_record, (int, _Mapping)):
        raise TypeError("first_record must be an int or a mapping {collection: int}")
    if isinstance(first_record, int):
        return {k: first_record for k in registry if k in collections}
    unknown = [k for k in first_record if k not in collections]
    if unknown:
        raise ValueError(f"first_record names no collection of the pack: {unknown}")
    return {k: int(v) for k, v in first_record.items()}


def _add(b: _native.ReportBuilder, collection: str, rows: Any, source: Optional[str]) -> None:
    """Adds one collection's rows (any table kind, or an iterator of parts) in order."""
    if isinstance(rows, (list, tuple)):
        if rows and not all(isinstance(r, _Mapping) for r in rows):
            # a list of tables: parts, in order
            for part in rows:
                _add(b, collection, part, source)
            return
        b.add_records(collection, [dict(r) for r in rows], source)
        return
    try:
        kind = kind_of(rows)
    except TypeError:
        if isinstance(rows, _Iterable) and not isinstance(rows, (str, bytes, _Mapping)):
            for part in rows:  # a generator of parts (files, partitions, batches)
                _add(b, collection, part, source)
            return
        raise TypeError(
            f"registry[{collection!r}] must be a list of dicts, a DataFrame, Arrow data or an "
            f"iterator of those, not {type(rows).__name__}"
        ) from None
    if kind == "pandas":
        _add_pandas(b, collection, rows, source)
    elif kind == "polars_lazy":
        if hasattr(rows, "collect_batches"):
            for chunk in rows.collect_batches(chunk_size=ROWS):
                b.add_arrow(collection, chunk, None, source)
        else:  # polars < 1.32
            b.add_arrow(collection, rows.collect(engine="streaming"), None, source)
    else:
        b.add_arrow(collection, rows, None, source)


def _add_pandas(b: _native.ReportBuilder, collection: str, df: Any, source: Optional[str]) -> None:
    pa = _pyarrow("a pandas DataFrame")
    for name in df.columns:
        if not isinstance(name, str):
            raise TypeError(f"column names must be strings, got {name!r}")
    n = len(df)
    for start in range(0, n, ROWS):
        part = df.iloc[start : start + ROWS]
        arrays: List[Any] = []
        names: List[str] = []
        objects: List[Any] = []
        for c in df.columns:
            arr = _pandas_arrow(pa, part[c])
            if arr is None:
                # lists of dicts and mixed cells: the core reads each cell
                objects.append((c, part[c].to_numpy(dtype=object, na_value=None).tolist()))
            else:
                arrays.append(arr)
                names.append(c)
        if arrays:
            batch = pa.RecordBatch.from_arrays(arrays, names=names)
        else:  # no column Arrow could type: a batch of no columns that still has the rows
            batch = pa.RecordBatch.from_struct_array(pa.array([{}] * len(part), pa.struct([])))
        b.add_arrow(collection, batch, objects, source)


def combine(partials: Iterable[_native.ReportPartial]) -> _native.ReportPartial:
    """See `htx_rules.combine`."""
    parts = list(partials)
    if not parts:
        raise ValueError("combine() needs at least one ReportPartial")
    for p in parts:
        if not isinstance(p, _native.ReportPartial):
            raise TypeError(f"combine() takes ReportPartial objects, not {type(p).__name__}")
    return _native._combine(parts)

