"""htx_rules — law as code for Vietnam's programme supporting women-managed cooperatives.

Quyết định 01/QĐ-TTg and the Bến Tre plan Kế hoạch 2747/KH-UBND, evaluated by the Rust core
(`htx-rules`). This package only converts Python values, calls the core and converts back::

    >>> import htx_rules
    >>> engine = htx_rules.Engine()                # the embedded Bến Tre pack
    >>> r = engine.evaluate("cooperative", {"managers": [{"role": "director", "gender": "female"}]},
    ...                     as_of="2025-06-30")
    >>> r.decisions["women_managed"].outcome
    'yes'

An outcome is three-valued, so it is never a boolean: ``bool(decision)`` and
``bool(decision.outcome)`` raise ``TypeError``; write ``decision.outcome == "yes"``.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from collections.abc import Iterable as _Iterable
from collections.abc import Mapping as _Mapping
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, overload

from . import _native, _pickle, _reform
from ._frames import FactsWarning
from ._native import (
    Decision,
    Explanation,
    FactsError,
    FieldError,
    HtxRulesError,
    InputError,
    PackError,
    Report,
    ReportPartial,
    Result,
    UnknownNameError,
    Validation,
)
from ._outcome import Outcome
from ._types import DecisionInfo, FieldInfo

#: The package's version (the Rust core's version: they are released together).
__version__: str = _native.CORE_VERSION

__all__ = [
    "Engine",
    "Result",
    "Decision",
    "Validation",
    "FieldError",
    "Report",
    "ReportPartial",
    "combine",
    "Explanation",
    "HtxRulesError",
    "PackError",
    "FactsError",
    "InputError",
    "UnknownNameError",
    "FactsWarning",
    "Outcome",
    "FieldInfo",
    "DecisionInfo",
    "AsOf",
    "__version__",
]

#: What `as_of` accepts: a `datetime.date` (or `datetime.datetime`), an ISO `YYYY-MM-DD` string,
#: or `None` for today (the local date of this machine).
AsOf = Union[_dt.date, str, None]

_LANGS = ("vi", "en")


def _as_of(as_of: AsOf) -> str:
    """The as-of date as ISO text; `None` is today (computed here: the core never reads the clock)."""
    if as_of is None:
        return _dt.date.today().isoformat()
    if isinstance(as_of, str):
        return as_of.strip()
    if isinstance(as_of, _dt.datetime):
        return as_of.date().isoformat()
    if isinstance(as_of, _dt.date):
        return as_of.isoformat()
    to_date = getattr(as_of, "date", None)  # pandas.Timestamp, numpy-ish datetimes
    if callable(to_date):
        d = to_date()
        if isinstance(d, _dt.date):
            return d.isoformat()
    raise TypeError(
        f"as_of must be a datetime.date, an ISO date string or None, not {type(as_of).__name__}"
    )


def _check_lang(lang: str) -> str:
    if lang not in _LANGS:
        raise ValueError(f'lang must be "vi" or "en", got {lang!r}')
    return lang


class Engine:
    """A loaded rule pack. `Engine()` is the embedded Bến Tre pack (with the vn-law pack it imports).

    `lang` ("vi" by default, or "en") is the language of displays (`_repr_html_`), of
    `validate` messages and of `explain` text.
    """

    def __init__(self, lang: str = "vi", *, _native_engine: Optional[_native.NativeEngine] = None) -> None:
        self.lang = _check_lang(lang)
        # the embedded pack is built once per process and shared (an engine is immutable)
        self._native = _native_engine if _native_engine is not None else _pickle.native_engine(None)
        self._field_types: Dict[str, Dict[str, str]] = {}
        self._outputs: Dict[str, List[Tuple[str, Optional[str]]]] = {}

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        # pickled as its pack sources (nothing for the embedded pack), rebuilt once per process
        return (_pickle.engine, (self._native, self._lang))

    @classmethod
    def from_dir(cls, path: Union[str, "_os.PathLike[str]"], lang: str = "vi") -> "Engine":
        """A rule pack folder on disk (its imports are resolved from sibling folders)."""
        return cls(lang, _native_engine=_native.NativeEngine.from_dir(_os.fspath(path)))

    @classmethod
    def from_sources(cls, files: Mapping[str, str], root: str, lang: str = "vi") -> "Engine":
        """A rule pack from in-memory TOML sources: `{"pack-id/file.toml": text}` and the root pack id."""
        return cls(lang, _native_engine=_native.NativeEngine.from_sources(dict(files), root))

    @property
    def lang(self) -> str:
        """Display language: "vi" or "en"."""
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._lang = _check_lang(value)

    # -- evaluation -----------------------------------------------------------------------------

    @overload
    def evaluate(
        self, entity: str, record: Union[Mapping[str, Any], str], as_of: AsOf = None, *, strict: bool = False
    ) -> Result: ...

    @overload
    def evaluate(
        self, entity: str, record: Sequence[Mapping[str, Any]], as_of: AsOf = None, *, strict: bool = False
    ) -> List[Result]: ...

    def evaluate(self, entity: str, record: Any, as_of: AsOf = None, *, strict: bool = False) -> Any:
        """Evaluates one record (a dict, or its JSON text) or a list of records (-> list of
        `Result`, in order).

        A key that is not in the schema is ignored and listed in ``result.ignored`` — unless it
        looks like a field misspelled or written another way (``workers_female``, ``memebrs``):
        then it is an error in ``result.errors`` (``facts.misspelled_field``) that names the
        field meant. ``strict=True`` makes every key not in the schema an error. ``NaN`` and
        infinities are errors too (``facts.non_finite``), not absent facts. Given as JSON text,
        a key given twice is also seen (``facts.duplicate_key``).
        """
        day = _as_of(as_of)
        if isinstance(record, dict):
            return self._native.evaluate(entity, record, day, self._lang, strict)
        if isinstance(record, str):
            return self._native.evaluate_text(entity, record, day, self._lang, strict)
        if isinstance(record, (list, tuple)):
            return self._native.evaluate_list(entity, record, day, self._lang, strict)
        if isinstance(record, _Mapping):
            return self._native.evaluate(entity, dict(record), day, self._lang, strict)
        raise TypeError(
            "record must be a dict, its JSON text or a list of dicts, not "
            f"{type(record).__name__} (use evaluate_many for DataFrames and Arrow tables)"
        )

    def evaluate_many(
        self,
        entity: str,
        data: Any,
        as_of: AsOf = None,
        *,
        values: str = "auto",
        strict: bool = False,
        threads: Optional[int] = None,
    ) -> Any:
        """Evaluates many records at once and returns the same kind of container.

        ``data`` is a list of dicts (nested, or flat with dotted keys), a ``pandas.DataFrame``, a
        ``polars.DataFrame`` or ``LazyFrame``, a ``pyarrow.Table``, ``RecordBatch`` or
        ``RecordBatchReader``, a DuckDB relation, or any object with ``__arrow_c_stream__`` /
        ``__arrow_c_array__``. Nested fields are dotted column names (``workers.female``) or
        struct columns; ``managers`` is a list column (of structs, or of dicts in pandas).

        The answer is the caller's kind: a list of dicts, pandas, polars (a LazyFrame for a
        LazyFrame), a pyarrow Table or RecordBatch, a lazy ``pyarrow.RecordBatchReader`` for a
        reader (one batch read and evaluated per batch pulled); DuckDB relations and other Arrow
        streams give a ``pyarrow.Table``. Columns: ``id``; per decision ``<name>`` ("yes" / "no" /
        "unknown", categorical) and ``<name>.value``; ``errors`` (per row, the cells that were
        present but malformed: ``[{"field", "code", "message": {"vi", "en"}}]``; such cells are
        treated as missing and also raise one ``FactsWarning``).

        ``values`` picks the value columns: ``"auto"`` (default) only for decisions that carry a
        value (shares, counts, dates), ``"all"`` for every decision, ``"none"`` for none.
        Null cells are missing facts, so the decisions that need them are "unknown". A column
        that names no field is ignored, with a ``FactsWarning`` (which also names the decisions
        no column can decide); one that looks like a field misspelled or written another way
        (``workers_female``) raises ``FactsError`` naming the field meant, as every column not in
        the schema does with ``strict=True``.

        ``threads`` is how many threads evaluate a table together (default ``None``: every core
        the process may use; ``1``: the calling thread only). The table is cut into pieces of
        rows, evaluated with the GIL released and put back in order: the answer is the same
        whatever the number. A list of dicts is evaluated on the calling thread.
        """
        from . import _frames

        return _frames.evaluate_many(self, entity, data, _as_of(as_of), values, strict, threads)

    def field_types(self, entity: str) -> Dict[str, str]:
        """Dotted field path -> "int" | "decimal" | "bool" | "date" | "text" | "json" (from the pack's
        schema; a record's fields under their dotted paths, lists and records as "json")."""
        types = self._field_types.get(entity)
        if types is None:
            types = self._native.field_types(entity)
            self._field_types[entity] = types
        return types

    def _output_types(self, entity: str) -> List[Tuple[str, Optional[str]]]:
        """Output decisions of `entity` in order, with their value's type (None: no value)."""
        types = self._outputs.get(entity)
        if types is None:
            types = self._native.output_types(entity)
            self._outputs[entity] = types
        return types

    # -- validation, reports, explanations ----------------------------------------------------

    @overload
    def validate(
        self,
        entity: str,
        record: Union[Mapping[str, Any], str],
        lang: Optional[str] = None,
        as_of: AsOf = None,
        *,
        strict: bool = False,
    ) -> Validation: ...

    @overload
    def validate(
        self,
        entity: str,
        record: Sequence[Mapping[str, Any]],
        lang: Optional[str] = None,
        as_of: AsOf = None,
        *,
        strict: bool = False,
    ) -> List[Validation]: ...

    @overload
    def validate(
        self, entity: str, record: Any, lang: Optional[str] = None, as_of: AsOf = None, *, strict: bool = False
    ) -> Any: ...

    def validate(
        self, entity: str, record: Any, lang: Optional[str] = None, as_of: AsOf = None, *, strict: bool = False
    ) -> Any:
        """Form validation: schema (types, enum values, required fields, bounds) and the pack's
        constraints. Messages in `lang` (default: the engine's).

        One record (a dict) gives a `Validation`; a list of dicts a list of them. A table (pandas,
        polars, pyarrow, DuckDB, any Arrow stream; flat dotted column names are nested again)
        gives the same kind of table with columns ``id``, ``valid`` and ``errors``
        (``[{"field", "code", "message": {"vi", "en"}}]`` per row), read a batch at a time.
        ``bool(validation)`` is ``validation.valid``: validation is two-valued. Keys not in the
        schema are listed in ``validation.ignored`` (errors with ``strict=True``); a misspelled
        one is an error either way. A record may also be given as JSON text.
        """
        lang = _check_lang(lang or self._lang)
        day = _as_of(as_of)
        if isinstance(record, (_Mapping, str)):
            return self._native.validate(entity, record if isinstance(record, str) else dict(record), day, lang, strict)
        if isinstance(record, (list, tuple)):
            from . import _frames

            return [
                self._native.validate(entity, _frames.unflatten(dict(r)), day, lang, strict) for r in record
            ]
        from . import _frames

        try:
            _frames.kind_of(record)
        except TypeError:
            raise TypeError(
                f"record must be a dict, a list of dicts or a table, not {type(record).__name__}"
            ) from None
        return _frames.validate_many(self, entity, record, day, strict)

    def report(
        self,
        registry: Union[Mapping[str, Any], str, "_os.PathLike[str]"],
        as_of: AsOf = None,
        *,
        threads: Optional[int] = None,
    ) -> Report:
        """Progress against the phase targets, from a whole registry.

        ``registry`` is the path of a JSON file or of a folder (``<collection>.csv`` / ``.jsonl`` /
        ``.json`` and ``registry.json``), read by the core streaming on ``threads`` threads (default:
        every core); or a mapping ``{collection: rows, key: value}`` whose rows are a list of dicts,
        a pandas or polars frame, any Arrow data (pyarrow, DuckDB, …) or an iterator of those,
        read a batch at a time. The same as ``report_partial(registry, as_of).finish()``.
        """
        from . import _registry

        b = _registry.builder(self, registry, _as_of(as_of), threads=threads)
        return b.finish(self._lang)

    def report_partial(
        self,
        registry: Union[Mapping[str, Any], str, "_os.PathLike[str]"],
        as_of: AsOf = None,
        *,
        first_record: Optional[Union[int, Mapping[str, int]]] = None,
        source: Optional[str] = None,
    ) -> ReportPartial:
        """The report's aggregates over part of a registry, to merge with the other parts'.

        ``registry`` is as for `report` (typically one partition: ``{"persons": frame}``; or only
        the registry's own keys, ``{"province": …}``, for the part that holds them). The
        partial holds exact counts (no small-cell protection: never publish one) and the ids it
        counted, so a duplicate id across parts counts once. Merge with ``a.merge(b)`` or
        `htx_rules.combine`, then ``.finish()``; it pickles (to ship from workers).

        ``first_record`` is the number of the part's first row in its whole collection (from 1;
        one int, or one per collection), so record errors name the same rows as one pass over
        the whole would; ``source`` names the part (a file) in its errors.
        """
        from . import _registry

        b = _registry.builder(
            self, registry, _as_of(as_of), first_record=first_record, source=source, whole=False
        )
        return b.take_partial()

    def fields(self, entity: str) -> List[FieldInfo]:
        """Every field of `entity`'s schema, flattened (``workers``, then ``workers.total``…): its
        path, JSON Pointer, kind, type, labels in vi/en, enum values with their labels, bounds —
        from the pack, for forms and displays."""
        return self._native.fields(entity)

    def decisions(self, entity: str) -> List[DecisionInfo]:
        """What evaluating `entity` gives, in order: each decision's name, kind (``"decision"``:
        yes/no/unknown, ``"value"``: a figure), title in vi/en and citation."""
        return self._native.decisions(entity)

    def _collections(self) -> List[Tuple[str, Optional[Dict[str, str]]]]:
        """The registry's collections in the pack's order, with their labels."""
        return self._native.collections()

    # -- reforms (see `_reform.py`) --------------------------------------------------------------

    def with_reform(self, reform: "_reform.Reform") -> "Engine":
        """This engine's pack under a reform (a new engine; this one is unchanged).

        `reform` is a dict of parameter values (``{"htx_min_members": [{"from": "2024-07-01",
        "value": 7}]}``, or ``{"women_leadership_reading": "leaders"}`` for every date), a dict in
        a reform file's shape, the path of a reform file (TOML), or TOML text. A reform that does
        not check raises `PackError` with its file, line and column."""
        return Engine(self._lang, _native_engine=_reform.native_with_reform(self._native, reform))

    @property
    def reforms(self) -> List[Dict[str, Any]]:
        """The reforms this engine is under: ``[{"id", "title", "cite", "file", "note"?}]``."""
        return _reform.reforms(self._native)

    def diff(self, reform: "_reform.Reform", data: Any, as_of: AsOf = None) -> Any:
        """What `reform` changes in a registry (a dict or the path of a JSON file): a pandas
        DataFrame, one row per record whose decision changed (before and after: outcome, value,
        target, reasons). ``attrs`` hold the indicators before and after and the renderings."""
        return _reform.diff(self, reform, data, _as_of(as_of))

    def boundaries(self, rule: str) -> List[Dict[str, Any]]:
        """Where decision `rule`'s outcome changes along each numeric input it compares with a
        threshold: per period of its thresholds and per case, the exact intervals (``from``,
        ``to``, closed or not) and the outcome on each. ``htx-rules check --explain-boundaries``
        prints the same; `boundaries_text` gives that text."""
        out = _json.loads(_native._boundaries(self._native, rule)[0])
        assert isinstance(out, list)
        return out

    def boundaries_text(self, rule: str) -> str:
        """`boundaries` as text, in the engine's language."""
        _, vi, en = _native._boundaries(self._native, rule)
        return vi if self._lang == "vi" else en

    def explain(self, rule: str) -> Explanation:
        """A rule: its text, citation, parameters and their dated values."""
        return self._native.explain(rule, self._lang)

    def schema(self, entity: str) -> Dict[str, Any]:
        """JSON Schema (draft 2020-12) of an entity's records."""
        s = self._native.schema(entity)
        assert isinstance(s, dict)
        return s

    def __repr__(self) -> str:
        return f"Engine(lang={self._lang!r})"


def combine(partials: "_Iterable[ReportPartial]") -> ReportPartial:
    """Merges partial reports, in order, into one (``finish()`` it for the report).

    The order is the registry's (a duplicate id counts once: the first in this order); the
    figures of a registry without duplicates do not depend on it. Partials of another pack or
    as-of date are refused.
    """
    from . import _registry

    return _registry.combine(partials)
