"""The binding's own behaviour: types of values, as_of forms, validation, display, errors."""

from __future__ import annotations

import datetime
import decimal
import json
import pathlib

import pytest

import htx_rules
from htx_rules import Engine

COOP = {
    "id": "BT-HTX-0001",
    "name": "HTX Dệt chiếu Bình Thành",
    "kind": "htx",
    "established_on": "2024-03-15",
    "members": {"total": 12, "female": 9},
    "workers": {"total": 40, "female": 31},
    "managers": [{"role": "board_chair", "gender": "female", "trained": True}],
    "sectors": ["handicraft", "ocop"],
    "value_chain": True,
    "processing_technology": False,
    "traditional_craft": True,
    "cultural_restoration": False,
    "local_natural_resources": False,
    "digital_transformation": False,
}


def test_evaluate_one(engine: Engine) -> None:
    r = engine.evaluate("cooperative", COOP, as_of="2025-06-30")
    assert isinstance(r, htx_rules.Result)
    assert r.id == "BT-HTX-0001"
    wm = r.decisions["women_managed"]
    assert isinstance(wm, htx_rules.Decision)
    assert wm.outcome == "yes"
    share = r.decisions["female_labour_share"].value
    assert isinstance(share, decimal.Decimal)
    assert share == decimal.Decimal("0.775")
    assert r.decisions["many_female_jobs"].outcome == "yes"
    for d in r.decisions.values():
        assert d.outcome in ("yes", "no", "unknown")
        assert isinstance(d.reasons, list)
        for reason in d.reasons:
            assert set(reason) == {"vi", "en"}
        assert isinstance(d.missing, list)
        assert {"document", "section"} <= set(d.cite)
    assert r["women_managed"].outcome == "yes"


def test_to_dict_is_the_contract_shape(engine: Engine) -> None:
    d = engine.evaluate("cooperative", COOP, as_of="2025-06-30").to_dict()
    assert set(d) >= {"id", "decisions"}
    share = d["decisions"]["female_labour_share"]
    assert share["value"] == "0.775"  # decimals as strings
    for dec in d["decisions"].values():
        assert {"outcome", "value", "target", "reasons", "missing", "cite"} <= set(dec)
    json.dumps(d)  # plain JSON-able objects only


def test_list_gives_list_in_order(engine: Engine) -> None:
    recs = [dict(COOP, id=f"X{i}") for i in range(5)]
    out = engine.evaluate("cooperative", recs, as_of="2025-06-30")
    assert isinstance(out, list)
    assert [r.id for r in out] == [f"X{i}" for i in range(5)]


def test_missing_facts_are_unknown_never_no(engine: Engine) -> None:
    r = engine.evaluate("cooperative", {"id": "empty"}, as_of="2025-06-30")
    assert r.decisions["women_managed"].outcome == "unknown"
    assert r.decisions["many_female_jobs"].outcome == "unknown"
    assert r.decisions["women_managed"].missing  # names the absent facts
    assert all(m.startswith("/") for m in r.decisions["women_managed"].missing)


def test_phase_threshold_changes_with_as_of(engine: Engine) -> None:
    rec = {"workers": {"total": 100, "female": 65}}
    assert engine.evaluate("cooperative", rec, "2025-12-31").decisions["many_female_jobs"].outcome == "yes"
    assert engine.evaluate("cooperative", rec, "2026-01-01").decisions["many_female_jobs"].outcome == "no"


@pytest.mark.parametrize(
    "as_of",
    ["2025-06-30", datetime.date(2025, 6, 30), datetime.datetime(2025, 6, 30, 13, 45), " 2025-06-30 "],
)
def test_as_of_forms(engine: Engine, as_of: object) -> None:
    r = engine.evaluate("cooperative", COOP, as_of=as_of)  # type: ignore[arg-type]
    assert r.as_of == "2025-06-30"


def test_as_of_default_is_today(engine: Engine) -> None:
    r = engine.evaluate("cooperative", COOP)
    assert r.as_of == datetime.date.today().isoformat()


def test_bad_as_of(engine: Engine) -> None:
    with pytest.raises(htx_rules.InputError) as e:
        engine.evaluate("cooperative", COOP, as_of="30/06/2025")
    assert isinstance(e.value, htx_rules.HtxRulesError)
    with pytest.raises(TypeError):
        engine.evaluate("cooperative", COOP, as_of=20250630)  # type: ignore[arg-type]


def test_python_values_as_facts(engine: Engine) -> None:
    rec = {
        "workers": {"total": decimal.Decimal("40"), "female": 31},
        "established_on": datetime.date(2024, 3, 15),
        "managers": ({"role": "director", "gender": "female"},),
    }
    r = engine.evaluate("cooperative", rec, as_of=datetime.date(2025, 6, 30))
    assert r.decisions["women_managed"].outcome == "yes"


def test_nan_and_none_are_missing(engine: Engine) -> None:
    r = engine.evaluate("cooperative", {"workers": {"total": float("nan"), "female": None}}, "2025-06-30")
    assert r.decisions["female_labour_share"].outcome == "unknown"
    assert r.decisions["female_labour_share"].value is None


def test_validate(engine: Engine) -> None:
    bad = dict(COOP, workers={"total": 10, "female": "many"})
    v = engine.validate("cooperative", bad)
    assert v.valid is False
    assert v.errors
    err = v.errors[0]
    assert err.field.startswith("/")
    assert err.code
    assert err.message == err.messages["vi"]
    assert set(err.messages) == {"vi", "en"}
    v_en = engine.validate("cooperative", bad, lang="en")
    assert v_en.errors[0].message == v_en.errors[0].messages["en"]
    d = v.to_dict()
    assert d["valid"] is False and d["errors"][0]["field"] == err.field
    assert engine.validate("cooperative", COOP).valid is True
    with pytest.raises(ValueError):
        engine.validate("cooperative", COOP, lang="fr")


def test_html_vi_default_and_en(engine: Engine) -> None:
    r = engine.evaluate("cooperative", COOP, as_of="2025-06-30")
    html = r._repr_html_()
    assert "<table" in html and "Quyết định" in html and "2747/KH-UBND" in html
    en = Engine(lang="en")
    html_en = en.evaluate("cooperative", COOP, as_of="2025-06-30")._repr_html_()
    assert "Decision" in html_en and "Quyết định" not in html_en
    r.lang = "en"
    assert "Reasons" in r._repr_html_()


def test_explain(engine: Engine) -> None:
    e = engine.explain("women_managed")
    assert isinstance(e, htx_rules.Explanation)
    assert isinstance(e.to_dict(), dict)
    assert e.to_text("vi") and e.to_text("en")
    assert "<pre" in e._repr_html_()
    with pytest.raises(htx_rules.UnknownNameError):
        engine.explain("no_such_rule")


def test_schema(engine: Engine) -> None:
    s = engine.schema("cooperative")
    assert isinstance(s, dict)
    types = engine.field_types("cooperative")
    assert types.get("workers.female") == "int"
    assert types.get("established_on") == "date"


# -- errors -------------------------------------------------------------------------------------


def _no_json(text: str) -> None:
    assert "{" not in text and '"vi"' not in text, text


def test_unknown_entity(engine: Engine) -> None:
    with pytest.raises(htx_rules.UnknownNameError) as e:
        engine.evaluate("spaceship", {})
    exc = e.value
    assert isinstance(exc, htx_rules.HtxRulesError)
    assert exc.code
    assert set(exc.messages) == {"vi", "en"}
    assert exc.messages["vi"] in str(exc) and exc.messages["en"] in str(exc)
    _no_json(str(exc))


def test_facts_error(engine: Engine) -> None:
    with pytest.raises(htx_rules.FactsError) as e:
        engine.evaluate("cooperative", [5])  # type: ignore[list-item]
    assert e.value.code
    assert e.value.field is not None
    _no_json(str(e.value))


def test_not_a_record(engine: Engine) -> None:
    with pytest.raises(TypeError):
        engine.evaluate("cooperative", 5)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        engine.evaluate("cooperative", {1: 2})  # type: ignore[dict-item]


def test_pack_error_has_diagnostics(tmp_path: pathlib.Path) -> None:
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "pack.toml").write_text("this is = = not toml\n[", encoding="utf-8")
    with pytest.raises(htx_rules.PackError) as e:
        Engine.from_dir(pack)
    diags = e.value.diagnostics
    assert diags, "a pack error lists its diagnostics"
    for d in diags:
        assert {"file", "line", "column", "code", "message"} <= set(d)
        assert isinstance(d["line"], int) and isinstance(d["column"], int)
    _no_json(str(e.value))


def test_missing_pack_dir(tmp_path: pathlib.Path) -> None:
    with pytest.raises(htx_rules.HtxRulesError):
        Engine.from_dir(tmp_path / "nope")


def test_from_dir_loads_the_repo_pack(repo_root: pathlib.Path) -> None:
    packs = [p for p in (repo_root / "rules").iterdir() if p.is_dir() and any(p.glob("*.toml"))]
    if not packs:
        pytest.skip("no rule packs on disk")
    main = repo_root / "rules" / "ben-tre-2747"
    if not main.is_dir():
        pytest.skip("ben-tre-2747 not on disk")
    e = Engine.from_dir(main)
    r = e.evaluate("cooperative", COOP, as_of="2025-06-30")
    assert r.to_dict() == Engine().evaluate("cooperative", COOP, as_of="2025-06-30").to_dict()


def test_bad_lang() -> None:
    with pytest.raises(ValueError):
        Engine(lang="fr")


# -- reports ------------------------------------------------------------------------------------

SAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "sample-registry.json"


def test_report_from_dict_and_path(engine: Engine) -> None:
    registry = json.loads(SAMPLE.read_text(encoding="utf-8"))
    r1 = engine.report(registry, as_of="2025-12-31")
    r2 = engine.report(SAMPLE, as_of=datetime.date(2025, 12, 31))
    r3 = engine.report(str(SAMPLE), as_of="2025-12-31")
    assert isinstance(r1, htx_rules.Report)
    # a path is read by the core (streaming): its record errors also say where in the file
    located = [dict(e) for e in r2.to_dict()["record_errors"]]
    assert located and all(e.pop("source") == str(SAMPLE) and e.pop("line") for e in located)
    for e in located:
        e.pop("column", None)
    assert located == r1.to_dict()["record_errors"]
    assert r2.to_dict() == r3.to_dict()
    assert {**r1.to_dict(), "record_errors": []} == {**r2.to_dict(), "record_errors": []}
    d = r1.to_dict()
    assert d["as_of"] == "2025-12-31" and d["phases"]
    frame = r1.to_frame()
    assert {"phase", "indicator", "value", "target", "status"} <= set(frame.columns)
    assert "htx_new" in set(frame["indicator"])
    shares = frame[frame["kind"] == "share"]["value"].dropna()
    assert all(isinstance(v, decimal.Decimal) for v in shares)
    # the core's own page (as the command line writes it), framed
    html = r1._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "Báo cáo tiến độ" in html
    r1.lang = "en"
    assert "Progress report" in r1._repr_html_()
    assert r1.to_table("en") and r1.to_table("vi")
    assert r1.to_html("en").startswith("<!doctype html>")


def test_report_errors(engine: Engine, tmp_path: pathlib.Path) -> None:
    with pytest.raises(htx_rules.InputError):
        engine.report({"not": "a registry"})
    with pytest.raises(htx_rules.InputError):
        engine.report(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope", encoding="utf-8")
    with pytest.raises(htx_rules.InputError) as e:
        engine.report(bad)
    _no_json(str(e.value))
