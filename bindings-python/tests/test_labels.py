"""Labels come from the core (issue 10.4): `Engine.fields` and `Engine.decisions` pass the
pack's schema and outputs on as plain data, and the displays read them (and the core's outcome
and status words) instead of keeping copies; what a person reads shows no code name and no
JSON Pointer."""

from __future__ import annotations

import html
import inspect
import re

import htx_rules
from htx_rules import _display

AS_OF = "2025-06-30"


def test_fields_are_the_packs(engine: htx_rules.Engine) -> None:
    fields = {f["path"]: f for f in engine.fields("cooperative")}
    female = fields["workers.female"]
    assert (female["pointer"], female["kind"], female["type"]) == ("/workers/female", "integer", "integer")
    assert female["label"] == {"vi": "Số nữ", "en": female["label"]["en"]} and female["label"]["en"]
    assert female["min"] == "0" and female["required"] is False
    managers = fields["managers"]
    assert managers["kind"] == "list" and managers["item_kind"] == "record"
    role = next(f for f in managers["items"] if f["name"] == "role")
    assert role["kind"] == "enum" and any(v["value"] == "director" and v["label"] for v in role["values"])
    with __import__("pytest").raises(htx_rules.UnknownNameError):
        engine.fields("no_such_entity")


def test_decisions_are_the_packs(engine: htx_rules.Engine) -> None:
    infos = {d["name"]: d for d in engine.decisions("cooperative")}
    jobs = infos["many_female_jobs"]
    assert jobs["kind"] == "decision" and jobs["title"]["en"] == "Creates many jobs for women"
    assert jobs["cite"]["section"] == "II.1.b"
    assert infos["female_labour_share"]["kind"] == "value"
    # the same names, in the same order, as a result carries
    r = engine.evaluate("cooperative", {}, AS_OF)
    assert list(infos) == list(r.decisions)


def visible_text(page: str) -> str:
    """What a person reads in a display: tags and attributes removed."""
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def test_a_result_display_reads_titles_labels_and_outcome_words_from_the_core(engine: htx_rules.Engine) -> None:
    r = engine.evaluate("cooperative", {"kind": "htx", "workers": {"total": 40}}, AS_OF)
    assert r.decisions["many_female_jobs"].missing == ["/workers/female"]
    labels = engine._native.labels()
    for lang in ("vi", "en"):
        r.lang = lang
        text = visible_text(r._repr_html_())
        infos = engine.decisions("cooperative")
        assert all(d["title"][lang] in text for d in infos if d["title"])
        assert labels["unknown"][lang] in text  # the core's word for unknown
        female = next(f for f in engine.fields("cooperative") if f["path"] == "workers.female")
        assert female["label"][lang] in text
        assert "/workers/female" not in text and "many_female_jobs" not in text
    # the code names stay reachable for programmers, as tooltips
    assert 'title="many_female_jobs"' in r._repr_html_()


def test_a_missing_list_item_fact_is_named_by_its_list_and_field(engine: htx_rules.Engine) -> None:
    fields = _display._field_labels(engine.fields("cooperative"))
    text = _display.missing_label("/managers/0/gender", fields, "en")
    managers = next(f for f in engine.fields("cooperative") if f["path"] == "managers")
    gender = next(f for f in managers["items"] if f["name"] == "gender")
    assert text == f"{managers['label']['en']} › {gender['label']['en']}"


def test_status_and_outcome_words_are_the_cores(engine: htx_rules.Engine) -> None:
    labels = engine._native.labels()
    assert set(labels) == {"yes", "no", "unknown", "met", "not_met", "on_track", "behind", "no_target", "no_data"}
    report = engine.report({"union_officials": [{"id": "A", "supports_cooperatives": True, "trained": True}]}, "2025-12-31")
    page = visible_text(html.unescape(report._repr_html_()))
    for ph in report.to_dict()["phases"]:
        for ind in ph["indicators"]:
            assert ind["status_label"] == labels[ind["status"]]
            assert ind["status_label"]["vi"] in page


def test_the_python_package_keeps_no_copy_of_these_words(engine: htx_rules.Engine) -> None:
    source = inspect.getsource(_display)
    for code, words in engine._native.labels().items():
        assert words["vi"] not in source, (code, words["vi"])
