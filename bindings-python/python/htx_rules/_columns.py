"""Bulk conversion between tables (pandas, Arrow, lists of dicts) and the core's columnar API.

Only conversion lives here: columns are handed to the core as numpy / Arrow buffers in bulk
(see ``src/columns.rs`` for the spec format) and the core's answers come back as arrays. pandas
and pyarrow are imported only when the caller passes one of their objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from . import Engine

OUTCOMES = ["yes", "no", "unknown"]

# ---------------------------------------------------------------------------------------------
# Schema -> field kinds


def field_types(schema: Dict[str, Any]) -> Dict[str, str]:
    """Dotted path -> kind ("int", "decimal", "bool", "date", "text", "json") from a JSON Schema."""
    out: Dict[str, str] = {}
    defs = schema.get("$defs") or schema.get("definitions") or {}

    def resolve(node: Any) -> Dict[str, Any]:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 16:
            ref = str(node["$ref"])
            name = ref.rsplit("/", 1)[-1]
            node = defs.get(name, {})
            seen += 1
        return node if isinstance(node, dict) else {}

    def kind_of(node: Dict[str, Any]) -> str:
        node = resolve(node)
        for key in ("anyOf", "oneOf"):
            if key in node:
                kinds = {kind_of(n) for n in node[key] if resolve(n).get("type") != "null"}
                kinds.discard("null")
                if len(kinds) == 1:
                    return kinds.pop()
                if kinds == {"decimal", "text"} or kinds == {"decimal", "int"}:
                    return "decimal"
                return "json"
        t = node.get("type")
        if isinstance(t, list):
            ts = [x for x in t if x != "null"]
            if set(ts) <= {"number", "string"} and "number" in ts:
                return "decimal"
            t = ts[0] if len(ts) == 1 else None
        fmt = node.get("format")
        if t == "integer":
            return "int"
        if t == "number" or fmt == "decimal":
            return "decimal"
        if t == "boolean":
            return "bool"
        if t == "string":
            return "date" if fmt == "date" else "text"
        if "enum" in node and all(isinstance(v, str) for v in node["enum"]):
            return "text"
        if t == "null":
            return "null"
        return "json"

    def walk(node: Any, prefix: str) -> None:
        node = resolve(node)
        props = node.get("properties")
        if isinstance(props, dict):
            if prefix:
                out[prefix] = "json"
            for name, sub in props.items():
                walk(sub, f"{prefix}.{name}" if prefix else name)
        elif prefix:
            out[prefix] = kind_of(node)

    walk(schema, "")
    return out


# ---------------------------------------------------------------------------------------------
# Entry point


def evaluate_many(engine: "Engine", entity: str, data: Any, as_of: str) -> Any:
    mod = type(data).__module__
    if isinstance(data, (list, tuple)):
        return _evaluate_records(engine, entity, data, as_of)
    if mod.startswith("pandas"):
        return _evaluate_pandas(engine, entity, data, as_of)
    if mod.startswith("pyarrow"):
        return _evaluate_arrow(engine, entity, data, as_of)
    raise TypeError(
        "data must be a list of dicts, a pandas.DataFrame, a pyarrow.Table or a pyarrow.RecordBatch, "
        f"not {type(data).__name__}"
    )


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


def _evaluate_records(engine: "Engine", entity: str, records: Any, as_of: str) -> List[Dict[str, Any]]:
    results = engine._native.evaluate_list(entity, [unflatten(r) for r in records], as_of, engine.lang)
    rows: List[Dict[str, Any]] = []
    for r in results:
        row: Dict[str, Any] = {"id": r.id}
        for name, d in r.decisions.items():
            row[name] = d.outcome
            row[f"{name}.value"] = d.value
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# Malformed cells


class FactsWarning(UserWarning):
    """Some cells were present but malformed; the core treated them as absent (-> unknown)."""


def _error_dicts(errors: List[Tuple[int, str, str, str, str]]) -> List[Dict[str, Any]]:
    return [
        {"row": row, "field": field, "code": code, "message": {"vi": vi, "en": en}}
        for row, field, code, vi, en in errors
    ]


def _warn_errors(errors: List[Tuple[int, str, str, str, str]], lang: str) -> None:
    if not errors:
        return
    import warnings

    row, field, code, vi, en = errors[0]
    text = vi if lang == "vi" else en
    warnings.warn(
        f"{len(errors)} malformed cell(s) treated as missing; first: row {row}, {field}: {text} [{code}]",
        FactsWarning,
        stacklevel=4,
    )


# ---------------------------------------------------------------------------------------------
# Arrow


def _np() -> Any:
    import numpy as np

    return np


def _valid_mask(arr: Any) -> Any:
    """None when there are no nulls, else a numpy bool array (True = present)."""
    if arr.null_count == 0:
        return None
    return _np().asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def _arrow_spec(name: str, arr: Any, kind: Optional[str]) -> Optional[Tuple[Any, ...]]:
    """The column spec of one Arrow array for a field of `kind` (None: infer from the Arrow type)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    np = _np()
    t = arr.type
    n = len(arr)
    if pa.types.is_dictionary(t):
        arr = arr.dictionary_decode()
        t = arr.type
    if pa.types.is_null(t):
        return None  # every cell missing: the fact is simply absent
    valid = _valid_mask(arr)

    if kind is None:
        kind = _infer_kind(t)

    if kind == "json" or pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_struct(t):
        return _nested_spec(name, arr)

    if kind == "date":
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return _text_spec(name, arr, valid)  # the core decodes text by the field's type
        if pa.types.is_timestamp(t) or pa.types.is_date64(t):
            arr = arr.cast(pa.date32())
        if not pa.types.is_date32(arr.type):
            return (name, "objects_date", arr.to_pylist())
        days = pc.fill_null(arr.cast(pa.int32()), 0).to_numpy(zero_copy_only=False).astype(np.int64)
        return (name, "days", days, valid)

    if kind == "bool":
        if pa.types.is_boolean(t):
            vals = pc.fill_null(arr, False).to_numpy(zero_copy_only=False)
        elif pa.types.is_integer(t) or pa.types.is_floating(t):
            vals = pc.fill_null(pc.not_equal(arr, 0), False).to_numpy(zero_copy_only=False)
        else:
            return (name, "objects_json", arr.to_pylist())
        return (name, "bool", np.ascontiguousarray(vals, dtype=bool), valid)

    if kind == "int":
        if pa.types.is_integer(t):
            vals = pc.fill_null(arr.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
            return (name, "int", np.ascontiguousarray(vals, dtype=np.int64), valid)
        if pa.types.is_floating(t) or pa.types.is_decimal(t):
            f = pc.fill_null(arr.cast(pa.float64()), 0.0).to_numpy(zero_copy_only=False)
            if not np.all(np.isfinite(f)) or np.any(np.mod(f, 1) != 0):
                return (name, "objects_json", arr.to_pylist())  # let the core name the bad cell
            return (name, "int", f.astype(np.int64), valid)
        if pa.types.is_boolean(t):
            return (name, "bool", np.ascontiguousarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool), valid)
        return (name, "objects_json", arr.to_pylist())

    if kind == "decimal":
        if pa.types.is_integer(t):
            arr = arr.cast(pa.decimal128(38, 0))
            t = arr.type
        if pa.types.is_decimal(t) and t.bit_width == 128:
            buf = arr.buffers()[1]
            raw = np.frombuffer(buf, dtype=np.uint8)[arr.offset * 16 : (arr.offset + n) * 16]
            return (name, "decimal128", np.ascontiguousarray(raw), t.scale, valid)
        if pa.types.is_floating(t):
            vals = pc.fill_null(arr.cast(pa.float64()), float("nan")).to_numpy(zero_copy_only=False)
            return (name, "float", np.ascontiguousarray(vals, dtype=np.float64), valid)
        return (name, "objects_json", arr.to_pylist())

    # text (and anything else typed as text)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return _text_spec(name, arr, valid)
    if kind == "text":
        return _text_spec(name, arr.cast(pa.large_string()), valid)
    return (name, "objects_json", arr.to_pylist())


def _text_spec(name: str, arr: Any, valid: Any) -> Tuple[Any, ...]:
    import pyarrow as pa

    np = _np()
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    n = len(arr)
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return (name, "text", np.ascontiguousarray(offsets), data, valid)


def _infer_kind(t: Any) -> str:
    import pyarrow as pa

    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "decimal"
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        return "date"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "text"
    return "json"


def _nested_spec(name: str, arr: Any) -> Tuple[Any, ...]:
    """Lists and structs, recursively, as buffers (the core receives JSON per row)."""
    import pyarrow as pa

    np = _np()
    t = arr.type
    valid = _valid_mask(arr)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        if pa.types.is_list(t):
            arr = arr.cast(pa.large_list(t.value_type))
        offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
        start, end = int(offsets[0]), int(offsets[-1])
        child = arr.values.slice(start, end - start)
        offsets = np.ascontiguousarray(offsets - start)
        child_spec = _nested_spec("", child)
        return (name, "list", offsets, valid, child_spec)
    if pa.types.is_struct(t):
        fields = []
        for i, child in enumerate(arr.flatten()):
            spec = _nested_spec(t.field(i).name, child)
            fields.append(spec)
        return (name, "struct", valid, fields)
    if pa.types.is_null(t):
        return (name, "objects_json", [None] * len(arr))
    leaf = _arrow_spec(name, arr, _infer_kind(t))
    if leaf is None:
        return (name, "objects_json", [None] * len(arr))
    return leaf


def _typed_nested(name: str, s: Any) -> Optional[Tuple[Any, ...]]:
    """An object column of lists/dicts (e.g. `managers`) through Arrow's C++ conversion, so the
    core gets typed buffers instead of one JSON value per cell. Only when every leaf is text,
    yes/no or a whole number (no floats: their text would not survive exactly); else None."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    try:
        arr = pa.array(s.to_numpy(dtype=object, na_value=None), from_pandas=True)
    except Exception:  # noqa: BLE001 — mixed shapes: the JSON path names the bad cell
        return None

    def exact(t: Any) -> bool:
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return exact(t.value_type)
        if pa.types.is_struct(t):
            return all(exact(t.field(i).type) for i in range(t.num_fields))
        return (
            pa.types.is_string(t)
            or pa.types.is_large_string(t)
            or pa.types.is_boolean(t)
            or pa.types.is_integer(t)
            or pa.types.is_null(t)
        )

    t = arr.type
    if not (pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_struct(t)) or not exact(t):
        return None
    return _nested_spec(name, arr)


def _arrow_specs(engine: "Engine", entity: str, table: Any) -> Tuple[int, List[Tuple[Any, ...]]]:
    types = engine.field_types(entity)
    specs: List[Tuple[Any, ...]] = []
    for name, col in zip(table.column_names, table.columns):
        if hasattr(col, "combine_chunks"):
            col = col.combine_chunks()
        kind = types.get(name)
        spec = _arrow_spec(name, col, kind)
        if spec is not None:
            specs.append(spec)
    return table.num_rows, specs


def _evaluate_arrow(engine: "Engine", entity: str, table: Any, as_of: str) -> Any:
    import pyarrow as pa

    n, specs = _arrow_specs(engine, entity, table)
    names, outcomes, values, errors = engine._native.evaluate_columns(entity, n, specs, as_of)
    _warn_errors(errors, engine.lang)
    np = _np()
    out_names = ["id"]
    if "id" in table.column_names:
        arrays = [table.column("id")]
    else:
        arrays = [pa.nulls(n, pa.string())]
    dictionary = pa.array(OUTCOMES)
    for name, codes, value in zip(names, outcomes, values):
        indices = pa.array(np.asarray(codes).view(np.int8))
        arrays.append(pa.DictionaryArray.from_arrays(indices, dictionary))
        out_names.append(name)
        arrays.append(_arrow_values(value, n))
        out_names.append(f"{name}.value")
    result = pa.Table.from_arrays(arrays, names=out_names)
    if isinstance(table, pa.RecordBatch):
        return result.combine_chunks().to_batches()[0] if n else pa.RecordBatch.from_pydict(
            {k: [] for k in out_names}
        )
    return result


def _arrow_values(value: Tuple[Any, ...], n: int) -> Any:
    import pyarrow as pa

    np = _np()
    kind = value[0]
    if kind == "null":
        return pa.nulls(n)
    if kind in ("int", "bool"):
        vals, valid = value[1], value[2]
        return pa.array(vals, mask=None if valid.all() else ~valid)
    if kind == "days":
        vals, valid = value[1], value[2]
        return pa.array(vals.astype(np.int32), type=pa.int32(), mask=None if valid.all() else ~valid).cast(pa.date32())
    if kind == "decimal":
        raw, scale, valid = value[1], value[2], value[3]
        validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
        return pa.Array.from_buffers(pa.decimal128(38, scale), n, [validity, pa.py_buffer(raw)])
    return pa.array(value[1])


# ---------------------------------------------------------------------------------------------
# pandas


def _evaluate_pandas(engine: "Engine", entity: str, df: Any, as_of: str) -> Any:
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas.DataFrame, not {type(df).__name__}")
    n = len(df)
    specs = _pandas_specs(engine, entity, df)
    names, outcomes, values, errors = engine._native.evaluate_columns(entity, n, specs, as_of)
    _warn_errors(errors, engine.lang)
    cols: Dict[str, Any] = {}
    if "id" in df.columns:
        cols["id"] = df["id"].to_numpy(copy=False)
    else:
        cols["id"] = pd.Series([None] * n, dtype=object, index=df.index)
    for name, codes, value in zip(names, outcomes, values):
        cols[name] = pd.Categorical.from_codes(codes, categories=OUTCOMES)
        cols[f"{name}.value"] = _pandas_values(value, n)
    out = pd.DataFrame(cols, index=df.index)
    out.attrs["errors"] = _error_dicts(errors)
    return out


def _pandas_values(value: Tuple[Any, ...], n: int) -> Any:
    import pandas as pd

    np = _np()
    kind = value[0]
    if kind == "null":
        return pd.array([None] * n, dtype=object)
    if kind == "int":
        vals, valid = value[1], value[2]
        if valid.all():
            return vals
        return pd.arrays.IntegerArray(vals, ~valid)
    if kind == "bool":
        vals, valid = value[1], value[2]
        if valid.all():
            return vals
        return pd.arrays.BooleanArray(vals, ~valid)
    if kind == "days":
        vals, valid = value[1], value[2]
        d = vals.astype("datetime64[D]")
        d[~valid] = np.datetime64("NaT")
        return d
    if kind == "decimal":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            return _decimal_objects(value)
        arr = _arrow_values(value, n)
        return pd.arrays.ArrowExtensionArray(arr)
    return pd.array(value[1], dtype=object)


def _decimal_objects(value: Tuple[Any, ...]) -> Any:
    from decimal import Decimal

    np = _np()
    raw, scale, valid = value[1], value[2], value[3]
    # Little-endian two's-complement i128, split in two 64-bit halves.
    pairs = raw.view(np.uint64).reshape(-1, 2)
    out = np.empty(len(valid), dtype=object)
    for i in range(len(valid)):
        if not valid[i]:
            out[i] = None
            continue
        lo, hi = int(pairs[i, 0]), int(pairs[i, 1])
        m = (hi << 64) | lo
        if m >= 1 << 127:
            m -= 1 << 128
        out[i] = Decimal(m).scaleb(-scale)
    return out


def _pandas_specs(engine: "Engine", entity: str, df: Any) -> List[Tuple[Any, ...]]:
    types = engine.field_types(entity)
    specs: List[Tuple[Any, ...]] = []
    for name in df.columns:
        if not isinstance(name, str):
            raise TypeError(f"column names must be strings, got {name!r}")
        spec = _series_spec(name, df[name], types.get(name))
        if spec is not None:
            specs.append(spec)
    return specs


def _series_spec(name: str, s: Any, kind: Optional[str]) -> Optional[Tuple[Any, ...]]:
    """One pandas column as a spec: numpy buffers and masks in bulk (object columns as objects)."""
    import pandas as pd
    from pandas.api import types as pt

    np = _np()
    dtype = s.dtype

    if isinstance(dtype, pd.ArrowDtype):
        arr = s.array._pa_array if hasattr(s.array, "_pa_array") else None
        if arr is not None:
            return _arrow_spec(name, arr.combine_chunks(), kind)
    if isinstance(dtype, pd.CategoricalDtype):
        s = s.astype(object)
        dtype = s.dtype

    if kind is None:
        if pt.is_bool_dtype(dtype):
            kind = "bool"
        elif pt.is_integer_dtype(dtype):
            kind = "int"
        elif pt.is_float_dtype(dtype):
            kind = "decimal"
        elif pt.is_datetime64_any_dtype(dtype):
            kind = "date"
        else:
            kind = "objects"

    isna = s.isna().to_numpy()
    valid = None if not isna.any() else ~isna

    if dtype != object and pt.is_string_dtype(dtype):
        # pandas' string dtypes: Arrow buffers when pyarrow is there; the core decodes text by type.
        try:
            import pyarrow as pa

            return _text_spec(name, pa.array(s, type=pa.large_string(), from_pandas=True), valid)
        except ImportError:
            return (name, "objects_text", s.to_numpy(dtype=object, na_value=None))

    if kind == "json" or kind == "objects" or dtype == object:
        if kind == "text":
            return (name, "objects_text", s.to_numpy(dtype=object, na_value=None))
        if kind == "date":
            return (name, "objects_date", s.to_numpy(dtype=object, na_value=None))
        if kind in ("int", "decimal", "bool") and not isna.all():
            # Object column of numbers: try a vectorised conversion first.
            try:
                return _series_spec(name, pd.to_numeric(s) if kind != "bool" else s.astype("boolean"), kind)
            except (ValueError, TypeError):
                pass
        if kind == "json":
            nested = _typed_nested(name, s)
            if nested is not None:
                return nested
        return (name, "objects_json", s.to_numpy(dtype=object, na_value=None))

    if kind == "int":
        if pt.is_integer_dtype(dtype) or pt.is_bool_dtype(dtype):
            vals = s.to_numpy(dtype=np.int64, na_value=0)
            return (name, "int", np.ascontiguousarray(vals), valid)
        if pt.is_float_dtype(dtype):
            f = s.to_numpy(dtype=np.float64, na_value=np.nan)
            present = f[~np.isnan(f)]
            if np.any(np.mod(present, 1) != 0) or not np.all(np.isfinite(present)):
                return (name, "objects_json", s.to_numpy(dtype=object, na_value=None))
            return (name, "int", np.nan_to_num(f, nan=0.0).astype(np.int64), valid)
    if kind == "decimal":
        if pt.is_integer_dtype(dtype) or pt.is_float_dtype(dtype):
            f = s.to_numpy(dtype=np.float64, na_value=np.nan)
            return (name, "float", np.ascontiguousarray(f), valid)
    if kind == "bool":
        if pt.is_bool_dtype(dtype):
            vals = s.to_numpy(dtype=bool, na_value=False)
            return (name, "bool", np.ascontiguousarray(vals), valid)
        if pt.is_integer_dtype(dtype) or pt.is_float_dtype(dtype):
            f = s.to_numpy(dtype=np.float64, na_value=0.0)
            return (name, "bool", f != 0, valid)
    if kind == "date":
        if pt.is_datetime64_any_dtype(dtype):
            days = s.to_numpy().astype("datetime64[D]").astype(np.int64)
            return (name, "days", np.ascontiguousarray(days), valid)
    if kind == "text":
        try:
            import pyarrow as pa

            arr = pa.array(s, type=pa.large_string(), from_pandas=True)
            return _text_spec(name, arr, valid)
        except (ImportError, Exception):  # noqa: BLE001 — fall back to objects
            return (name, "objects_text", s.astype(object).to_numpy(dtype=object, na_value=None))
    return (name, "objects_json", s.to_numpy(dtype=object, na_value=None))
