"""Type-checked with `mypy --strict` in test.sh: the public API as a user writes it."""

from __future__ import annotations

import datetime
import decimal
from typing import List, Optional

import htx_rules


def main() -> None:
    engine = htx_rules.Engine(lang="en")
    engine.lang = "vi"
    r: htx_rules.Result = engine.evaluate("cooperative", {"id": "A"}, as_of=datetime.date(2025, 6, 30))
    rs: List[htx_rules.Result] = engine.evaluate("cooperative", [{"id": "A"}], as_of="2025-06-30")
    d: htx_rules.Decision = r.decisions["women_managed"]
    outcome: str = d.outcome
    typed_outcome: htx_rules.Outcome = d.outcome
    is_yes: bool = d.outcome == "yes"  # never `if d:` (raises TypeError: it may be "unknown")
    value = d.value
    if isinstance(value, decimal.Decimal):
        print(value.quantize(decimal.Decimal("0.01")))
    ident: Optional[str] = r.id
    reasons = [x["vi"] for x in d.reasons]
    v: htx_rules.Validation = engine.validate("cooperative", {"id": "A"}, lang="en")
    vs: List[htx_rules.Validation] = engine.validate("cooperative", [{"id": "A"}], as_of="2025-06-30")
    fields = [e.field for e in v.errors if e.code] + [e.field for x in vs for e in x.errors]
    rows = engine.evaluate_many("cooperative", [{"id": "A"}], as_of="2025-06-30", values="none")
    version: str = htx_rules.__version__
    warning: type = htx_rules.FactsWarning
    try:
        engine.explain("women_managed").to_text("en")
    except htx_rules.UnknownNameError as e:
        print(e.code, e.messages["en"])
    except htx_rules.HtxRulesError as e:
        print(e.diagnostics)
    print(outcome, typed_outcome, is_yes, ident, reasons, fields, len(rs), rows, version, warning)
    print(r.to_dict()["decisions"])


if __name__ == "__main__":
    main()
