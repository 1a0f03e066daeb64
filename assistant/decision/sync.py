"""One profile for the chat and the form: facts stated in the chat fill the form's inputs.

The form keeps its raw values under the names of ``FORM_FIELDS`` (labels for choices, numbers,
"maturity_areas.<område>" for the parts). The chat reads profile values ("iks", True, 2). These
functions translate the second into the first, so the app can write chat facts into the form, and the
chat, which merges the form under its own facts (``chat.route``), never asks for what the form holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .present import FORM_FIELDS, FormField

_BY_NAME = {f.name: f for f in FORM_FIELDS}


def _label(field: FormField, value: Any) -> Any:
    """The form's label for a profile value of a choice or yes/no field; other values pass through."""
    for label, choice in field.choices:
        if choice == value or (isinstance(value, str) and isinstance(choice, str) and choice == value.lower()):
            return label
    return value


def form_values(profile: Mapping[str, Any]) -> dict[str, Any]:
    """Profile values (from the chat or ``KommuneProfile.to_dict``) as form input values, by form field name."""
    out: dict[str, Any] = {}
    for key, value in profile.items():
        if isinstance(value, Mapping):
            for part, v in value.items():
                if f"{key}.{part}" in _BY_NAME:
                    out[f"{key}.{part}"] = v
            continue
        field = _BY_NAME.get(key)
        if field is None:
            continue  # not a form field
        out[key] = _label(field, value) if field.kind in ("choice", "bool") else value
    return out


def merge_chat_facts(form: Mapping[str, Any] | None, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values with the facts stated in the chat written over them (the newest statement wins)."""
    return {**dict(form or {}), **form_values(facts)}


def changed_fields(form: Mapping[str, Any] | None, merged: Mapping[str, Any]) -> list[str]:
    """Form fields whose value the chat changed, in form order: the inputs the app must update."""
    form = form or {}
    return [f.name for f in FORM_FIELDS if f.name in merged and form.get(f.name) != merged[f.name]]
