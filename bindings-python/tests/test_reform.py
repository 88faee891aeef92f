"""Reforms and amendment impact from Python: `Engine.with_reform`, `Engine.diff`."""

from __future__ import annotations

import json
import pathlib
import pickle
from decimal import Decimal

import pytest

import htx_rules

AS_OF = "2025-12-31"


def sample(root: pathlib.Path) -> dict:
    return json.loads((root / "cli/data/sample-registry.json").read_text(encoding="utf-8"))


def test_a_dict_of_parameter_values_is_a_reform(engine: htx_rules.Engine) -> None:
    coop = {"id": "x", "kind": "htx", "members": {"total": 6}}
    reformed = engine.with_reform({"htx_min_members": [{"from": "2024-07-01", "value": 7}]})
    before = engine.evaluate("cooperative", coop, as_of="2025-06-30").decisions["meets_membership_minimum"]
    after = reformed.evaluate("cooperative", coop, as_of="2025-06-30").decisions["meets_membership_minimum"]
    assert (before.outcome, after.outcome) == ("yes", "no")
    assert after.target == 7
    assert json.loads(reformed.evaluate("cooperative", coop, as_of="2025-06-30").to_json())["decisions"][
        "meets_membership_minimum"
    ]["reforms"] == ["reform"]
    assert engine.reforms == []
    assert reformed.reforms[0]["id"] == "reform"
    # a Decimal is taken exactly
    share = engine.with_reform({"many_jobs_threshold": [{"from": "2026-01-01", "value": Decimal("0.65")}]})
    c = {"kind": "htx", "workers": {"total": 100, "female": 66}}
    assert share.evaluate("cooperative", c, as_of="2026-06-30").decisions["many_female_jobs"].outcome == "yes"


def test_a_reform_file_and_toml_text(engine: htx_rules.Engine, repo_root: pathlib.Path) -> None:
    path = repo_root / "examples/reforms/htx-min-7.toml"
    by_path = engine.with_reform(path)
    by_text = engine.with_reform(path.read_text(encoding="utf-8"))
    assert by_path.reforms[0]["id"] == by_text.reforms[0]["id"] == "htx-min-7"
    assert "[reform htx-min-7]" in str(by_path.explain("htx_min_members").to_text("en"))


def test_a_bad_reform_raises_pack_error_with_its_line_and_column(engine: htx_rules.Engine) -> None:
    with pytest.raises(htx_rules.PackError) as e:
        engine.with_reform({"htx_min_membres": 7})
    d = e.value.diagnostics[0]
    assert d["code"] == "reform.parameter"
    assert "did you mean `htx_min_members`" in d["messages"]["en"]
    with pytest.raises(htx_rules.InputError):
        engine.with_reform("no/such/reform.toml")
    with pytest.raises(TypeError):
        engine.with_reform(7)  # type: ignore[arg-type]


def test_diff_lists_exactly_the_htx_with_five_or_six_members(
    engine: htx_rules.Engine, repo_root: pathlib.Path
) -> None:
    reg = sample(repo_root)
    expected = sorted(
        c["id"]
        for c in reg["cooperatives"]
        if c.get("kind") == "htx"
        and (c.get("members") or {}).get("total") in (5, 6)
        and c.get("established_on", "") <= AS_OF
    )
    assert len(expected) >= 5
    df = engine.diff({"htx_min_members": [{"from": "2024-07-01", "value": 7}]}, reg, as_of=AS_OF)
    assert list(df.columns) == [
        "collection", "decision", "id", "record", "before", "after", "before_value", "after_value",
        "before_target", "after_target", "before_reasons", "after_reasons",
    ]
    assert sorted(df["id"]) == expected
    assert set(df["decision"]) == {"meets_membership_minimum"}
    assert set(zip(df["before"], df["after"])) == {("yes", "no")}
    assert set(df["after_target"]) == {7}
    assert all("dưới mức tối thiểu 7" in r for r in df["after_reasons"])
    assert df.attrs["reforms"][0]["id"] == "reform"
    counts = {(x["collection"], x["decision"]): x["changed"] for x in df.attrs["decisions"]}
    assert counts[("cooperatives", "meets_membership_minimum")] == len(expected)
    assert "Đủ số thành viên tối thiểu" in df.attrs["table"]
    # a path to the registry, the same answer
    df2 = engine.diff(repo_root / "examples/reforms/htx-min-7.toml", repo_root / "cli/data/sample-registry.json", as_of=AS_OF)
    assert sorted(df2["id"]) == expected


def test_a_reformed_engine_pickles_with_its_reform(engine: htx_rules.Engine) -> None:
    reformed = engine.with_reform({"htx_min_members": [{"from": "2024-07-01", "value": 7}]})
    back = pickle.loads(pickle.dumps(reformed))
    assert back.reforms[0]["id"] == "reform"
    r = back.evaluate("cooperative", {"kind": "htx", "members": {"total": 6}}, as_of="2025-06-30")
    assert r.decisions["meets_membership_minimum"].outcome == "no"


def test_boundaries_of_many_female_jobs(engine: htx_rules.Engine) -> None:
    b = engine.boundaries("many_female_jobs")
    sections = b[0]["inputs"][0]["sections"]
    assert [(s["from"], s["to"]) for s in sections] == [("2023-01-01", "2025-12-31"), ("2026-01-01", "2030-12-31")]
    assert [(p["from"], p["to"], p["outcome"]) for p in sections[0]["pieces"]] == [(None, "0.6", "no"), ("0.6", None, "yes")]
    assert sections[0]["pieces"][1]["from_closed"] is False
    en = htx_rules.Engine(lang="en")
    assert "(70%; +∞) → yes" in en.boundaries_text("many_female_jobs")
    # under a reform, the boundary moves
    r = en.with_reform({"many_jobs_threshold": [{"from": "2026-01-01", "value": "0.65"}]})
    assert "(65%; +∞) → yes" in r.boundaries_text("many_female_jobs")
    with pytest.raises(htx_rules.UnknownNameError):
        engine.boundaries("no_such_rule")
