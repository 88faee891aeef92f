"""Functions run in worker processes by test_pickle.py (importable by name under `spawn`)."""

from __future__ import annotations

import os
import pickle
from typing import Any, Dict, List, Tuple

import htx_rules


def evaluate_in_worker(engine: htx_rules.Engine, records: List[Dict[str, Any]], as_of: str) -> Tuple[int, List[htx_rules.Result]]:
    """Evaluates in the worker with the engine it was sent, and sends the Results back."""
    return os.getpid(), engine.evaluate("cooperative", records, as_of)


def echo(obj: Any) -> Tuple[int, Any]:
    """Sends an object back as it arrived (a round trip through two pickles)."""
    return os.getpid(), obj


def engines_built(pickles: List[bytes]) -> Tuple[int, int]:
    """How many distinct native engines separately pickled engines give in this process."""
    engines = [pickle.loads(p) for p in pickles]
    return os.getpid(), len({id(e._native) for e in engines})
