"""The shapes of `Engine.fields` and `Engine.decisions` (plain dicts from the core, typed)."""

from __future__ import annotations

from typing import Dict, List, Optional, TypedDict

__all__ = ["Label", "EnumValue", "FieldInfo", "Cite", "DecisionInfo"]

#: Words in Vietnamese and English: ``{"vi": ..., "en": ...}``.
Label = Dict[str, str]


class EnumValue(TypedDict):
    """One value of an enum field: as facts write it, and what to show a person."""

    value: str
    label: Optional[Label]


FieldInfo = TypedDict(
    "FieldInfo",
    {
        "path": str,  # dotted path from the entity: "workers.female"
        "pointer": str,  # the same as a JSON Pointer: "/workers/female"
        "name": str,  # the field's own name: "female"
        "kind": str,  # bool integer decimal share money date string enum list record
        "type": str,  # as the pack writes it: "integer", "gender", "list<manager>"
        "label": Optional[Label],
        "required": bool,
        "min": Optional[str],  # exact decimal as text
        "max": Optional[str],
        "doc": Optional[str],
        "values": List[EnumValue],  # enum values in pack order, with labels
        "item_kind": Optional[str],  # for a list: its items' kind
        "items": List["FieldInfo"],  # for a list of records: the item's fields
    },
)
FieldInfo.__doc__ = "One field of an entity's schema, as `Engine.fields` lists them."


class Cite(TypedDict, total=False):
    """Where a rule comes from: document and section (and the plan's wording when quoted)."""

    document: str
    section: str
    wording: str


class DecisionInfo(TypedDict):
    """One output of an entity's evaluation: ``kind`` is "decision" (yes/no/unknown) or "value"."""

    name: str
    kind: str
    title: Optional[Label]
    cite: Cite
    #: "bool", "int", "decimal", "share", "money", "date" or "text"; None for a decision
    #: without a value.
    value_type: Optional[str]
