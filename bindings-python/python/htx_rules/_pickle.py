"""Rebuilding pickled objects (the `__reduce__` of every class points here).

An `Engine` travels as its pack sources — nothing at all for the embedded pack — and is rebuilt
once per process: later unpicklings of the same sources (keyed by their SHA-256) reuse it. A
`Result` or `Decision` travels as its engine, entity, record and as-of date and is evaluated again
on arrival (the engine is deterministic, so it is the same answer); `Validation`, `FieldError`,
`Report` and `Explanation` travel as their data; a `ReportPartial` as its engine and its data
(JSON bytes: exact counts and the ids it counted).
"""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Dict, List, Mapping, Optional, Tuple

from . import _native

if TYPE_CHECKING:  # pragma: no cover
    from . import Engine

_ENGINES: Dict[str, _native.NativeEngine] = {}
_LOCK = threading.Lock()

#: `None` (the embedded pack) or `(files, root)`.
State = Optional[Tuple[Mapping[str, str], str]]


def state_key(state: State) -> str:
    """The cache key of an engine's sources."""
    if state is None:
        return "embedded"
    files, root = state
    h = hashlib.sha256(root.encode("utf-8"))
    for name in sorted(files):
        h.update(b"\0" + name.encode("utf-8") + b"\0" + files[name].encode("utf-8"))
    return h.hexdigest()


def native_engine(state: State) -> _native.NativeEngine:
    """The engine of these sources, built at most once per process."""
    key = state_key(state)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            if state is None:
                engine = _native.NativeEngine.embedded()
            else:
                engine = _native.NativeEngine.from_sources(dict(state[0]), state[1])
            _ENGINES[key] = engine
        return engine


def reformed_engine(state: State, reforms: List[Tuple[str, str]]) -> _native.NativeEngine:
    """The engine of these sources under these reforms (`(file, TOML text)`, in order), built at
    most once per process."""
    h = hashlib.sha256(state_key(state).encode("utf-8"))
    for file, text in reforms:
        h.update(b"\0" + file.encode("utf-8") + b"\0" + text.encode("utf-8"))
    key = "reformed:" + h.hexdigest()
    with _LOCK:
        cached = _ENGINES.get(key)
    if cached is not None:
        return cached
    engine = native_engine(state)
    for file, text in reforms:
        engine = _native._with_reform_toml(engine, file, text)
    with _LOCK:
        return _ENGINES.setdefault(key, engine)


def engine(native: _native.NativeEngine, lang: str) -> "Engine":
    from . import Engine

    return Engine(lang, _native_engine=native)


def result(native: _native.NativeEngine, entity: str, record: str, as_of: str, lang: str) -> _native.Result:
    return native._evaluate_json(entity, record, as_of, lang)


def decision(native: _native.NativeEngine, entity: str, record: str, as_of: str, name: str) -> _native.Decision:
    return native._evaluate_json(entity, record, as_of, "vi").decisions[name]


def field_error(field: str, code: str, vi: str, en: str, lang: str) -> _native.FieldError:
    return _native._field_error(field, code, vi, en, lang)


def validation(valid: bool, errors: List[_native.FieldError], json: str) -> _native.Validation:
    return _native._validation(valid, list(errors), json)


def report(json: str, html_vi: str, html_en: str, table_vi: str, table_en: str, lang: str) -> _native.Report:
    return _native._report(json, html_vi, html_en, table_vi, table_en, lang)


def explanation(json: str, text_vi: str, text_en: str, lang: str) -> _native.Explanation:
    return _native._explanation(json, text_vi, text_en, lang)




def report_partial(native: _native.NativeEngine, data: bytes) -> _native.ReportPartial:
    return _native._report_partial(native, data)
