"""Nothing is dropped silently (issues 8 and 9): keys and columns not in the schema are named
(with the field meant when one is misspelled), `strict=True` refuses them, NaN and infinities are
field errors, and JSON text shows a key given twice. The binding only passes these through: the
core decides (the same cases run in Rust, the CLI and the browser)."""

from __future__ import annotations

import decimal
import math
import pickle
import warnings

import pytest

import htx_rules

AS_OF = "2025-06-30"


def fields(result):
    return [(e.field, e.code) for e in result.errors]


def test_a_misspelled_key_names_the_field_meant(engine):
    r = engine.evaluate("cooperative", {"kind": "htx", "workers": {"total": 40}, "workers_female": 31}, AS_OF)
    assert fields(r) == [("/workers_female", "facts.misspelled_field")]
    assert "workers.female" in r.errors[0].messages["en"]
    assert r.decisions["many_female_jobs"].outcome == "unknown"
    assert r.ignored == []


def test_other_keys_are_ignored_and_listed_or_refused_when_strict(engine):
    rec = {"kind": "htx", "phone": "0275", "managers": [{"role": "director", "gender": "female", "email": "x@y"}]}
    r = engine.evaluate("cooperative", rec, AS_OF)
    assert r.errors == []
    assert r.ignored == ["phone", "managers[].email"]
    s = engine.evaluate("cooperative", rec, AS_OF, strict=True)
    assert sorted(fields(s)) == [("/managers/0/email", "facts.unknown_field"), ("/phone", "facts.unknown_field")]
    # a strict result keeps its reading when pickled
    assert fields(pickle.loads(pickle.dumps(s))) == fields(s)
    v = engine.validate("cooperative", rec, as_of=AS_OF)
    assert v.valid and v.ignored == ["phone", "managers[].email"]
    assert v.to_dict()["ignored"] == ["phone", "managers[].email"]
    assert not engine.validate("cooperative", rec, as_of=AS_OF, strict=True).valid


def test_nan_and_infinity_are_field_errors_not_absent_facts(engine):
    rec = {"kind": "htx", "workers": {"total": 40, "female": math.nan}, "members": {"total": math.inf}}
    r = engine.evaluate("cooperative", rec, AS_OF)
    assert fields(r) == [("/members/total", "facts.non_finite"), ("/workers/female", "facts.non_finite")]
    assert r.decisions["many_female_jobs"].outcome == "unknown"
    d = engine.evaluate("person", {"gender": "female", "household": {"income_per_person_month_vnd": decimal.Decimal("NaN")}}, AS_OF)
    assert fields(d) == [("/household/income_per_person_month_vnd", "facts.non_finite")]
    assert engine.validate("cooperative", {"workers": {"total": -math.inf}}).errors[0].code == "facts.non_finite"
    # None is still a missing fact, with no error
    assert engine.evaluate("cooperative", {"kind": "htx", "workers": {"total": None}}, AS_OF).errors == []


def test_json_text_shows_a_key_given_twice(engine):
    r = engine.evaluate("cooperative", '{"kind": "htx", "members": {"total": 9, "total": 3}, "workers": {"total": NaN}}', AS_OF)
    assert fields(r) == [("/members/total", "facts.duplicate_key"), ("/workers/total", "facts.non_finite")]
    assert r.decisions["meets_membership_minimum"].outcome == "unknown"
    assert fields(pickle.loads(pickle.dumps(r))) == fields(r)
    v = engine.validate("person", '{"gender": "female", "gender": "male"}')
    assert v.errors[0].code == "facts.duplicate_key"
    with pytest.raises(htx_rules.InputError):
        engine.evaluate("cooperative", '{"kind": }', AS_OF)


def test_a_misspelled_column_raises_with_the_field_meant():
    pd = pytest.importorskip("pandas")
    engine = htx_rules.Engine(lang="en")
    df = pd.DataFrame({"kind": ["htx"], "workers.total": [40], "workers_female": [31]})
    with pytest.raises(htx_rules.FactsError, match="did you mean `workers.female`"):
        engine.evaluate_many("cooperative", df, AS_OF)
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(htx_rules.FactsError, match="did you mean `workers.female`"):
        engine.evaluate_many("cooperative", pa.table({"kind": ["htx"], "workersFemale": [31]}), AS_OF)
    with pytest.raises(htx_rules.FactsError, match="did you mean `workers.female`"):
        engine.evaluate_many("cooperative", [{"kind": "htx", "female_workers": 3}], AS_OF)


def test_other_columns_are_a_warning_or_refused_when_strict():
    pd = pytest.importorskip("pandas")
    engine = htx_rules.Engine(lang="en")
    df = pd.DataFrame({"id": ["a", "b"], "kind": ["htx", "tht"], "phone": ["1", "2"], "workers.total": [10, 3]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = engine.evaluate_many("cooperative", df, AS_OF)
    texts = [str(w.message) for w in caught if issubclass(w.category, htx_rules.FactsWarning)]
    assert any("`phone`" in t and "ignored" in t for t in texts), texts
    assert any("many_female_jobs" in t and "no record has" in t for t in texts), texts
    assert list(out["many_female_jobs"]) == ["unknown", "unknown"]
    with pytest.raises(htx_rules.FactsError, match="phone"):
        engine.evaluate_many("cooperative", df, AS_OF, strict=True)
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(htx_rules.FactsError, match="phone"):
        engine.evaluate_many("cooperative", pa.Table.from_pandas(df), AS_OF, strict=True)
    # pandas' NaN in a column is a missing value, as Arrow reads it: no error
    nan = pd.DataFrame({"kind": ["htx"], "workers.total": [float("nan")], "workers.female": [3.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = engine.evaluate_many("cooperative", nan, AS_OF)
    assert list(res["errors"]) == [[]]
