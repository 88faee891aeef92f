"""Tables in, the same kind of table out: lists of dicts, pandas, polars, pyarrow, DuckDB and
anything else that speaks the Arrow PyCapsule interface (``__arrow_c_stream__``,
``__arrow_c_array__``).

Only dispatch lives here. Arrow data is read and written in Rust (pyo3-arrow and arrow-rs,
``src/arrow.rs``), batch by batch, with the GIL released; pandas goes through pyarrow in slices.
pandas, polars and pyarrow are imported only when the caller passes one of their objects.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping as _Mapping
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from . import _native

if TYPE_CHECKING:  # pragma: no cover
    from . import Engine

#: Rows evaluated at a time (and the size of a pandas slice converted to Arrow at once).
ROWS: int = _native.CHUNK_ROWS

VALUES = ("auto", "all", "none")


class FactsWarning(UserWarning):
    """Some cells were present but malformed; the core treated them as absent (so the decisions
    that need them are "unknown"). Every such cell is listed in the answer's ``errors`` column."""

    __module__ = "htx_rules"


# ---------------------------------------------------------------------------------------------
# Records


def unflatten(record: Any) -> Any:
    """`{"workers.female": 3}` -> `{"workers": {"female": 3}}` (records from flat tables)."""
    if not isinstance(record, dict) or not any(isinstance(k, str) and "." in k for k in record):
        return record
    out: Dict[str, Any] = {}
    for key, value in record.items():
        if not isinstance(key, str) or "." not in key:
            out[key] = value
            continue
        parts = key.split(".")
        cur = out
        for part in parts[:-1]:
            nxt = cur.get(part)
            if not isinstance(nxt, dict):
                nxt = {}
                cur[part] = nxt
            cur = nxt
        cur[parts[-1]] = value
    return out


# ---------------------------------------------------------------------------------------------
# What the caller passed


def _is(data: Any, module: str, name: str) -> bool:
    """`isinstance(data, module.name)` when that module is loaded (never imports it)."""
    mod = sys.modules.get(module)
    cls = getattr(mod, name, None) if mod is not None else None
    return isinstance(cls, type) and isinstance(data, cls)


def kind_of(data: Any) -> str:
    """"records", "pandas", "polars", "polars_lazy", "table", "batch", "reader" or "arrow"."""
    if isinstance(data, (list, tuple)):
        return "records"
    if _is(data, "pandas", "DataFrame"):
        return "pandas"
    if _is(data, "polars", "DataFrame"):
        return "polars"
    if _is(data, "polars", "LazyFrame"):
        return "polars_lazy"
    if _is(data, "pyarrow", "Table"):
        return "table"
    if _is(data, "pyarrow", "RecordBatch"):
        return "batch"
    if _is(data, "pyarrow", "RecordBatchReader") or (
        type(data).__name__ in ("RecordBatchReader", "ArrayStream") and hasattr(data, "__arrow_c_stream__")
    ):
        return "reader"  # pyarrow, arro3, nanoarrow
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return "arrow"  # DuckDB relations, arro3 tables, …
    raise TypeError(
        "data must be a list of dicts, a pandas or polars DataFrame, a polars LazyFrame, a pyarrow "
        "Table, RecordBatch or RecordBatchReader, a DuckDB relation, or any object with "
        f"__arrow_c_stream__ / __arrow_c_array__; not {type(data).__name__}"
    )


def _pyarrow(what: str) -> Any:
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - pyarrow is installed in the tests
        raise ImportError(f"{what} needs pyarrow (pip install 'pyarrow>=15')") from e
    return pyarrow


def _check_values(values: str) -> str:
    if values not in VALUES:
        raise ValueError(f'values must be "auto", "all" or "none", got {values!r}')
    return values


# ---------------------------------------------------------------------------------------------
# Malformed cells -> one warning at the caller's line


def _caller_stacklevel() -> int:
    """`stacklevel` of the first frame outside this package, as seen from the caller of `warn`."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and str(frame.f_globals.get("__name__", "")).split(".")[0] == "htx_rules":
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn_errors(count: int, first: Optional[Tuple[int, str, str, str, str]], lang: str) -> None:
    if not count or first is None:
        return
    row, field, code, vi, en = first
    text = vi if lang == "vi" else en
    warnings.warn(
        f"{count} malformed cell(s) treated as missing (listed in the `errors` column); "
        f"first: row {row}, {field}: {text} [{code}]",
        FactsWarning,
        stacklevel=_caller_stacklevel(),
    )


# ---------------------------------------------------------------------------------------------
# evaluate_many


def warn_notes(notes: List[str]) -> None:
    """What the columns of a table say before any row: each ignored column, each decision no
    column can decide (one warning each)."""
    for text in notes:
        warnings.warn(text, FactsWarning, stacklevel=_caller_stacklevel())


def _check_threads(threads: Optional[int]) -> Optional[int]:
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be None (every core) or a whole number >= 1, got {threads!r}")
    return threads


def evaluate_many(
    engine: "Engine",
    entity: str,
    data: Any,
    as_of: str,
    values: str,
    strict: bool = False,
    threads: Optional[int] = None,
) -> Any:
    values = _check_values(values)
    threads = _check_threads(threads)
    kind = kind_of(data)
    if kind == "records":
        return _evaluate_records(engine, entity, data, as_of, values, strict)
    native = engine._native
    if kind == "pandas":
        return _evaluate_pandas(engine, entity, data, as_of, values, strict, threads)
    if kind == "reader":
        pa = _pyarrow("a RecordBatchReader answer")
        stream, notes = native.evaluate_stream(entity, data, as_of, values, strict, engine.lang, threads)
        warn_notes(notes)
        return pa.RecordBatchReader.from_stream(stream)
    if kind == "polars_lazy":
        return _evaluate_polars_lazy(engine, entity, data, as_of, values, strict, threads)
    out, count, first, notes = native.evaluate_arrow(
        entity, data, as_of, values, None, kind == "batch", strict, engine.lang, threads
    )
    warn_notes(notes)
    warn_errors(count, first, engine.lang)
    if kind == "polars":
        import polars as pl

        return pl.DataFrame(out)
    pa = _pyarrow("an Arrow answer")
    if kind == "batch":
        return pa.record_batch(out)
    return pa.table(out)


def _evaluate_records(
    engine: "Engine", entity: str, records: Any, as_of: str, values: str, strict: bool = False
) -> List[Dict[str, Any]]:
    # the records' keys are a table's columns: checked once (a misspelled one raises)
    keys: Dict[str, None] = {}
    for r in records:
        if isinstance(r, _Mapping):
            keys.update(dict.fromkeys(k for k in r if isinstance(k, str)))
    warn_notes(engine._native.check_columns(entity, list(keys), strict, engine.lang))
    results = engine._native.evaluate_list(
        entity, [unflatten(r) for r in records], as_of, engine.lang, strict, True
    )
    with_value = _value_columns(engine, entity, values)
    rows: List[Dict[str, Any]] = []
    count = 0
    first: Optional[Tuple[int, str, str, str, str]] = None
    for i, r in enumerate(results):
        row: Dict[str, Any] = {"id": r.id}
        for name, d in r.decisions.items():
            row[name] = d.outcome
            if name in with_value:
                row[f"{name}.value"] = d.value
        errs = r.errors
        row["errors"] = [{"field": e.field, "code": e.code, "message": dict(e.messages)} for e in errs]
        if errs:
            count += len(errs)
            if first is None:
                m = errs[0].messages
                first = (i, errs[0].field, errs[0].code, m["vi"], m["en"])
        rows.append(row)
    warn_errors(count, first, engine.lang)
    return rows


def _value_columns(engine: "Engine", entity: str, values: str) -> set:
    types = engine._output_types(entity)
    if values == "none":
        return set()
    if values == "all":
        return {name for name, _ in types}
    return {name for name, t in types if t is not None}


def _evaluate_polars_lazy(
    engine: "Engine",
    entity: str,
    lf: Any,
    as_of: str,
    values: str,
    strict: bool = False,
    threads: Optional[int] = None,
) -> Any:
    """A LazyFrame is collected in streaming batches; each is evaluated as it arrives."""
    import polars as pl

    native = engine._native
    if hasattr(lf, "collect_batches"):
        chunks: Iterable[Any] = lf.collect_batches(chunk_size=ROWS)
    else:  # polars < 1.32: one collect with the streaming engine
        chunks = [lf.collect(engine="streaming")]
    parts: List[Any] = []
    count = 0
    first = None
    offset = 0
    for chunk in chunks:
        out, n, f, notes = native.evaluate_arrow(
            entity, chunk, as_of, values, None, False, strict, engine.lang, threads
        )
        if not parts:
            warn_notes(notes)
        parts.append(pl.DataFrame(out))
        count += n
        if first is None and f is not None:
            first = (f[0] + offset,) + tuple(f[1:])
        offset += chunk.height
    if not parts:
        out, _, _, notes = native.evaluate_arrow(
            entity, lf.limit(0).collect(), as_of, values, None, False, strict, engine.lang
        )
        warn_notes(notes)
        parts.append(pl.DataFrame(out))
    warn_errors(count, first, engine.lang)  # type: ignore[arg-type]
    return pl.concat(parts, how="vertical").lazy()


# -- pandas ------------------------------------------------------------------------------------


def _pandas_arrow(pa: Any, s: Any) -> Any:
    """One pandas column as an Arrow array, or None when Arrow cannot type it (mixed objects)."""
    try:
        arr = pa.array(s, from_pandas=True)
        # a column with a pyarrow dtype (dtype_backend="pyarrow") may hold several chunks
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError, OverflowError):
        return None


def pandas_types(pd: Any, pa: Any) -> Callable[[Any], Any]:
    """Arrow type -> pandas dtype for answers: no `object` column where a real type exists."""

    def mapper(t: Any) -> Any:
        if pa.types.is_int64(t):
            return pd.Int64Dtype()
        if pa.types.is_boolean(t):
            return pd.BooleanDtype()
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return pd.StringDtype()
        if pa.types.is_decimal(t) or pa.types.is_date32(t) or pa.types.is_list(t):
            # exact decimals (pandas has no decimal dtype of its own), dates, error lists
            return pd.ArrowDtype(t)
        return None  # dictionaries stay categoricals

    return mapper


def _evaluate_pandas(
    engine: "Engine",
    entity: str,
    df: Any,
    as_of: str,
    values: str,
    strict: bool = False,
    threads: Optional[int] = None,
) -> Any:
    import pandas as pd

    pa = _pyarrow("a pandas DataFrame")
    native = engine._native
    kinds = engine.field_types(entity)
    for name in df.columns:
        if not isinstance(name, str):
            raise TypeError(f"column names must be strings, got {name!r}")
    # every column is checked (a misspelled one raises, the others not in the schema are said
    # once); only the columns that name a field are converted
    warn_notes(native.check_columns(entity, [str(c) for c in df.columns], strict, engine.lang))
    use = [c for c in df.columns if c in kinds]
    n = len(df)
    batches = []
    count = 0
    first = None
    for start in range(0, n, ROWS) if n else [0]:
        part = df.iloc[start : start + ROWS]
        arrays: List[Any] = []
        names: List[str] = []
        objects: List[Tuple[str, List[Any]]] = []
        for c in use:
            arr = _pandas_arrow(pa, part[c])
            if arr is None:
                # the core reads each cell and names the bad ones
                objects.append((c, part[c].to_numpy(dtype=object, na_value=None).tolist()))
            else:
                arrays.append(arr)
                names.append(c)
        if not arrays:
            arrays, names = [pa.nulls(len(part))], ["__rows__"]
        batch = pa.RecordBatch.from_arrays(arrays, names=names)
        out, c, f, _ = native.evaluate_arrow(
            entity, batch, as_of, values, objects, True, strict, engine.lang, threads
        )
        batches.append(pa.record_batch(out))
        count += c
        if first is None and f is not None:
            first = (f[0] + start,) + tuple(f[1:])
    warn_errors(count, first, engine.lang)  # type: ignore[arg-type]
    table = pa.Table.from_batches(batches)
    frame = table.to_pandas(types_mapper=pandas_types(pd, pa))
    frame.index = df.index
    if "id" in df.columns:
        frame["id"] = df["id"].array
    return frame


# ---------------------------------------------------------------------------------------------
# validate over tables


def _row_batches(kind: str, data: Any) -> Iterator[List[Dict[str, Any]]]:
    """Rows as dicts, a batch at a time (never more than a batch of the input at once)."""
    if kind == "pandas":
        def pandas_rows() -> Iterator[List[Dict[str, Any]]]:
            for start in range(0, len(data), ROWS):
                yield data.iloc[start : start + ROWS].to_dict("records")

        return pandas_rows()
    if kind == "polars":
        return (s.to_dicts() for s in data.iter_slices(ROWS))
    if kind == "polars_lazy":
        if hasattr(data, "collect_batches"):
            return (s.to_dicts() for s in data.collect_batches(chunk_size=ROWS))
        return (s.to_dicts() for s in data.collect(engine="streaming").iter_slices(ROWS))
    pa = _pyarrow("validating Arrow data")
    if kind == "batch":
        return iter([data.to_pylist()])
    if kind == "table":
        return (b.to_pylist() for b in data.to_batches(max_chunksize=ROWS))
    reader = data if kind == "reader" and type(data).__module__.startswith("pyarrow") else pa.RecordBatchReader.from_stream(data)
    return (b.to_pylist() for b in reader)


def errors_type(pa: Any) -> Any:
    """The Arrow type of an `errors` column: list<{field, code, message: {vi, en}}>."""
    message = pa.struct([pa.field("vi", pa.string(), False), pa.field("en", pa.string(), False)])
    item = pa.struct(
        [pa.field("field", pa.string(), False), pa.field("code", pa.string(), False), pa.field("message", message, False)]
    )
    return pa.list_(pa.field("item", item, False))


def _validate_rows(
    engine: "Engine", entity: str, rows: List[Dict[str, Any]], as_of: str, strict: bool = False
) -> Tuple[List[Any], List[bool], List[List[Dict[str, Any]]]]:
    records = [unflatten(r) for r in rows]
    out = engine._native.validate_rows(entity, records, as_of, strict)
    ids = [r.get("id") if isinstance(r, dict) else None for r in records]
    valid = [v for v, _ in out]
    errors = [
        [{"field": f, "code": c, "message": {"vi": vi, "en": en}} for f, c, vi, en in errs] for _, errs in out
    ]
    return ids, valid, errors


def validate_many(engine: "Engine", entity: str, data: Any, as_of: str, strict: bool = False) -> Any:
    kind = kind_of(data)
    batches = _row_batches(kind, data)
    if kind == "reader":
        pa = _pyarrow("a RecordBatchReader answer")

        def answers() -> Iterator[Any]:
            for rows in batches:
                ids, valid, errors = _validate_rows(engine, entity, rows, as_of, strict)
                yield _arrow_validation(pa, ids, valid, errors)

        # lazy: a batch of the input is read and validated per batch pulled
        return pa.RecordBatchReader.from_batches(_validation_schema(pa), answers())
    ids: List[Any] = []
    valid: List[bool] = []
    errors: List[List[Dict[str, Any]]] = []
    for rows in batches:
        i, v, e = _validate_rows(engine, entity, rows, as_of, strict)
        ids += i
        valid += v
        errors += e
    if kind == "pandas":
        import pandas as pd

        try:
            import pyarrow

            err_col: Any = pd.arrays.ArrowExtensionArray(pyarrow.array(errors, type=errors_type(pyarrow)))
        except ImportError:  # pragma: no cover - without pyarrow: lists of dicts
            err_col = pd.Series(errors, index=data.index, dtype=object)
        out = pd.DataFrame(
            {"valid": pd.array(valid, dtype="boolean"), "errors": err_col}, index=data.index
        )
        out.insert(0, "id", data["id"].array if "id" in data.columns else pd.array([None] * len(data), dtype="string"))
        return out
    if kind in ("polars", "polars_lazy"):
        import polars as pl

        message = pl.Struct({"vi": pl.String, "en": pl.String})
        item = pl.Struct({"field": pl.String, "code": pl.String, "message": message})
        frame = pl.DataFrame(
            [pl.Series("id", ids), pl.Series("valid", valid, dtype=pl.Boolean), pl.Series("errors", errors, dtype=pl.List(item))]
        )
        return frame.lazy() if kind == "polars_lazy" else frame
    pa = _pyarrow("an Arrow answer")
    batch = _arrow_validation(pa, ids, valid, errors)
    return batch if kind == "batch" else pa.Table.from_batches([batch])


def _validation_schema(pa: Any) -> Any:
    return pa.schema(
        [pa.field("id", pa.string()), pa.field("valid", pa.bool_(), False), pa.field("errors", errors_type(pa), False)]
    )


def _arrow_validation(pa: Any, ids: List[Any], valid: List[bool], errors: List[List[Dict[str, Any]]]) -> Any:
    # ids as text, as `Result.id` gives them (a number id is written as its digits)
    id_arr = pa.array([None if i is None else str(i) for i in ids], pa.string())
    return pa.RecordBatch.from_arrays(
        [id_arr, pa.array(valid, pa.bool_()), pa.array(errors, type=errors_type(pa))],
        schema=_validation_schema(pa),
    )

