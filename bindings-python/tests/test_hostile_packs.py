"""Packs written by strangers (issue 9): the same fixes as the core's, through the Python entry
points — a pack error with a diagnostic, never a hang, a crash or a read outside the pack, and a
runaway rule unknown with a reason."""

from __future__ import annotations

import os
import pathlib

import pytest

import htx_rules
from htx_rules import Engine

META = '[pack]\nid = "p"\nversion = "1"\ndocument = "t"\n\n[[entity]]\nname = "e"\nfields = [{ name = "ok", type = "bool" }]\n'


def _pack(tmp_path: pathlib.Path) -> pathlib.Path:
    p = tmp_path / "p"
    p.mkdir()
    (p / "pack.toml").write_text(META, encoding="utf-8")
    return p


def _codes(e: pytest.ExceptionInfo[htx_rules.PackError]) -> list[str]:
    return [d["code"] for d in e.value.diagnostics]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs")
def test_links_and_fifos_are_refused_unread(tmp_path: pathlib.Path) -> None:
    p = _pack(tmp_path)
    (tmp_path / "secret.toml").write_text('very_secret_key = "hunter2"\n', encoding="utf-8")
    (p / "out.toml").symlink_to(tmp_path / "secret.toml")
    (p / "zero.toml").symlink_to("/dev/zero")
    (p / "sub").mkdir()
    (p / "sub" / "up").symlink_to("..")
    os.mkfifo(p / "fifo.toml")
    with pytest.raises(htx_rules.PackError) as e:
        Engine.from_dir(p)
    assert _codes(e) == ["pack.file_type"] * 4
    assert "very_secret_key" not in str(e.value) and "hunter2" not in repr(e.value.diagnostics)


def test_a_100000_rule_chain_is_a_pack_error() -> None:
    rules = "".join(
        f'[[rule]]\nname = "r{i}"\nentity = "e"\nkind = "decision"\n'
        f'when = "{f"rule.r{i + 1} or ok" if i + 1 < 100_000 else "ok"}"\n'
        'cite = { document = "t", section = "1" }\n'
        for i in range(100_000)
    )
    with pytest.raises(htx_rules.PackError) as e:
        Engine.from_sources({"p/pack.toml": META, "p/rules.toml": rules}, "p")
    assert _codes(e) == ["pack.limit"]


def test_nested_quantifiers_are_unknown_with_a_reason() -> None:
    rules = (
        '[[record]]\nname = "item"\nfields = [{ name = "n", type = "integer" }]\n\n'
        '[[entity]]\nname = "box"\nfields = [{ name = "items", type = "list<item>" }]\n\n'
        '[[rule]]\nname = "heavy"\nentity = "box"\nkind = "decision"\n'
        'when = "any(x in items: any(y in items: any(z in items: x.n + y.n + z.n == 0)))"\n'
        'cite = { document = "t", section = "1" }\n'
    )
    engine = Engine.from_sources({"p/pack.toml": META, "p/box.toml": rules}, "p")
    d = engine.evaluate("box", {"items": [{"n": 1}] * 400}, as_of="2025-01-01").decisions["heavy"]
    assert d.outcome == "unknown"
    assert any("too much work" in r["en"] and "quá nhiều phép tính" in r["vi"] for r in d.reasons)
