"""`Outcome`: a decision's "yes", "no" or "unknown" — a `str` that has no truth value."""

from __future__ import annotations

from typing import Tuple

#: Why `bool()` of an outcome raises (as `bool(pandas.NA)` does).
NO_TRUTH_VALUE = (
    'An outcome has no truth value: "no" and "unknown" are both non-empty strings, and "unknown" '
    'is neither True nor False. Compare it instead: `decision.outcome == "yes"` '
    '(kết quả không có giá trị đúng/sai; hãy so sánh `decision.outcome == "yes"`).'
)


class Outcome(str):
    """A decision's outcome: ``"yes"``, ``"no"`` or ``"unknown"``.

    It is a ``str`` (compare it, print it, put it in a frame or in JSON), but ``bool()`` of it
    raises ``TypeError``, because ``if decision.outcome:`` would be true for "no" and "unknown"
    alike. Write ``if decision.outcome == "yes":``.
    """

    __slots__ = ()

    def __new__(cls, value: str) -> "Outcome":
        if value not in ("yes", "no", "unknown"):
            raise ValueError(f'an outcome is "yes", "no" or "unknown", not {value!r}')
        return super().__new__(cls, value)

    def __bool__(self) -> bool:
        raise TypeError(NO_TRUTH_VALUE)

    def __repr__(self) -> str:
        return str.__repr__(self)

    def __reduce__(self) -> Tuple[type, Tuple[str]]:
        return (Outcome, (str(self),))


YES = Outcome("yes")
NO = Outcome("no")
UNKNOWN = Outcome("unknown")
