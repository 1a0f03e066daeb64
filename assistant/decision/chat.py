"""Routing chat messages to the decision tools.

``route`` answers decision questions (ambition level, scenario, benchmark) with a tool; anything else
returns None so that the caller answers from the reports. Facts stated in the message are merged over
the profile form, and the reply says which facts it read. Missing essentials are asked for once:
with ``previous`` (the last ``ToolReply``), an answer that supplies some of them continues the same
tool, and what is still missing then is named in a provisional answer instead of asked for again.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, fields
from typing import Any

from ingest.text.numbers import parse_number as _number

from .ambition import assess_ambition
from .benchmark import benchmark
from .extract import ESSENTIALS, detect_tool, extract_profile_facts, missing_essentials
from .present import (
    COLLABORATION_CHOICES,
    _num,
    ambition_markdown,
    benchmark_markdown,
    profile_dict_from_form,
    scenarios_markdown,
)
from .profile import KommuneProfile, ProfileError
from .scenarios import assess_scenarios
from .types import AmbitionResult, BenchmarkResult, ScenarioResult

DEFAULT_NAME = "Kommunen"
FORM_TAB = "Beslutningsverktøy"
_PURPOSE = {
    "ambition": "anbefale et ambisjonsnivå",
    "scenarios": "vurdere hvilket scenario som passer",
    "benchmark": "sammenligne nøkkeltallene med rapportene",
}
# Essentials that add to an answer without changing it: no rule in rules_scenarios.toml reads
# collaboration (it only drives the advice on the kommune's own form), so the ranking runs without it
# and the reply asks for it afterwards, saying what it is for.
_ADVICE_ONLY = {"scenarios": {"collaboration": "gi råd om kommunens egen samarbeidsform"}}
_FIELD_ORDER = [f.name for f in fields(KommuneProfile)]
_MATURITY = {1: "svært lav", 2: "lav", 3: "middels", 4: "høy", 5: "svært høy"}
_CENTRALITY = {"sentral": "sentral kommune", "mellomsentral": "mellomsentral kommune", "distrikt": "distriktskommune"}
_COLLAB = {value: label for label, value in COLLABORATION_CHOICES}
ToolResult = AmbitionResult | ScenarioResult | BenchmarkResult


# eq=False: identity hashing, so the app's state can tell one reply from the next (its dicts are unhashable).
@dataclass(frozen=True, eq=False)
class ToolReply:
    tool: str  # "ambition" | "scenarios" | "benchmark"
    markdown: str
    profile: dict[str, Any] | None  # the merged profile used (or asked about)
    missing: list[str] = field(default_factory=list)  # Norwegian labels still needed
    result: ToolResult | None = None  # None when the tool was not run
    facts: dict[str, Any] = field(default_factory=dict)  # read from the chat so far; kept for the next turn


def _phrase(key: str, v: Any) -> str:
    """A fact read from the message, in words ("4 000 innbyggere", "lav modenhet (2)")."""
    yes = bool(v)
    words = {
        "name": lambda: html.escape(str(v)),
        "population": lambda: f"{_num(v)} innbyggere",
        "country": lambda: "dansk kommune" if v == "DK" else "norsk kommune",
        "centrality": lambda: _CENTRALITY.get(v, str(v)),
        "maturity": lambda: f"{_MATURITY.get(v, '')} modenhet ({_num(v)})".strip(),
        "it_cost_per_inhabitant": lambda: f"IT-kostnad {_num(v)} kr per innbygger",
        "it_staff_fte": lambda: f"{_num(v)} IT-årsverk",
        "collaboration": lambda: f"samarbeidsform: {_COLLAB.get(v, v)}",
        "has_it_strategy": lambda: "har IT-strategi" if yes else "har ikke IT-strategi",
        "bestiller_competence": lambda: f"bestillerkompetanse {_num(v)} av 5",
        "digitalisation_central_to_attractiveness": lambda: (
            f"IT er {'' if yes else 'ikke '}sentralt for kommunens attraktivitet"
        ),
        "major_sector_challenges": lambda: f"{'' if yes else 'ikke '}store utfordringer i sektorene",
    }
    return words[key]() if key in words else html.escape(f"{key}: {v}")


def _same(a: Any, b: Any) -> bool:
    na, nb = _number(a), _number(b)
    return na == nb if na is not None and nb is not None else str(a).strip().lower() == str(b).strip().lower()


def _read_line(facts: dict[str, Any], form: dict[str, Any]) -> str:
    if not facts:
        return ""
    parts = []
    for key in sorted(facts, key=lambda k: _FIELD_ORDER.index(k) if k in _FIELD_ORDER else len(_FIELD_ORDER)):
        text = _phrase(key, facts[key])
        if key in form and not _same(form[key], facts[key]):
            text += " (går foran skjemaet)"  # the message wins; say so, since the form showed otherwise
        parts.append(text)
    return f"Jeg leste: {', '.join(parts)}.\n\n"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


def _ask(purpose: str, labels: list[str], name: str | None) -> str:
    whom = f" for {html.escape(name)}" if name and name != DEFAULT_NAME else ""
    return (
        f"For å {purpose}{whom} trenger jeg å vite {_join(labels)} – skriv det gjerne her, "
        f"eller fyll ut kommuneprofilen i fanen «{FORM_TAB}»."
    )


def _missing_keys(tool: str, labels: list[str]) -> set[str]:
    return {key for key, label in ESSENTIALS[tool] if label in labels}


def _answers(previous: ToolReply | None, facts: dict[str, Any]) -> bool:
    """Does this message supply something the previous reply asked for?"""
    return bool(previous and previous.missing and _missing_keys(previous.tool, previous.missing) & set(facts))


def _run(tool: str, profile: KommuneProfile) -> tuple[ToolResult, str]:
    name = None if profile.name == DEFAULT_NAME else profile.name
    if tool == "ambition":
        ambition = assess_ambition(profile)
        return ambition, ambition_markdown(ambition, name)
    if tool == "scenarios":
        scenarios = assess_scenarios(profile)
        return scenarios, scenarios_markdown(scenarios, name)
    figures = benchmark(profile)
    return figures, benchmark_markdown(figures)


_ABOUT_US = re.compile(
    r"\b(vi|oss|vår|vårt|våre|vores|os|vor|we|us|our|min kommune|kommunen min|kommunen vår|vores kommune)\b",
    re.IGNORECASE,
)


def _about_us(message: str) -> bool:
    """A decision question is about the asker's own kommune; otherwise it asks what a report says."""
    return bool(_ABOUT_US.search(message))


def route(
    message: str,
    form_profile: dict[str, Any] | None = None,
    previous: ToolReply | None = None,
) -> ToolReply | None:
    """Answer a decision question with a tool, or return None when ``message`` is not one.

    ``form_profile``: the profile form's values (raw labels or profile values; empty ones ignored).
    ``previous``: the last ToolReply of this conversation, so an answer to a question continues it.
    """
    facts = extract_profile_facts(message)
    tool = detect_tool(message)
    if tool is not None and not (facts or previous or _about_us(message)):
        tool = None  # "Hvilket ambisjonsnivå anbefalte BCG for Bærum?" asks what a report says
    if tool is None:
        if previous is None or not _answers(previous, facts):
            return None
        tool = previous.tool
    asked_before = bool(previous and previous.missing and previous.tool == tool)
    chat_facts = {**(previous.facts if previous else {}), **facts}
    form = profile_dict_from_form(form_profile or {})
    merged = {**form, **chat_facts}
    if not str(merged.get("name") or "").strip():
        merged["name"] = DEFAULT_NAME  # the name is never worth a question; "Kommunen" reads fine
    read = _read_line(facts, form)

    missing = missing_essentials(tool, merged)
    advice_only = _ADVICE_ONLY.get(tool, {})
    blocking = [label for key, label in ESSENTIALS[tool] if label in missing and key not in advice_only]
    if blocking and (not asked_before or "population" not in merged):
        text = read + _ask(_PURPOSE[tool], blocking, merged["name"])
        return ToolReply(tool, text, merged, blocking, None, chat_facts)

    try:
        profile = KommuneProfile.from_dict(merged)
        result, markdown = _run(tool, profile)
    except ProfileError as exc:
        errors = "\n".join(f"- {html.escape(e)}" for e in exc.errors)
        text = (
            f"{read}Jeg kan ikke bruke profilen slik den er:\n\n{errors}\n\nRett verdiene her i chatten "
            f"eller i kommuneprofilen i fanen «{FORM_TAB}»."
        )
        return ToolReply(tool, text, merged, [], None, chat_facts)

    if blocking:  # asked once already: answer provisionally rather than ask again
        markdown = f"*Foreløpig svar: jeg vet fortsatt ikke {_join(blocking)}, så svaret kan endre seg.*\n\n{markdown}"
    for key, label in ESSENTIALS[tool]:
        if label in missing and key in advice_only:
            markdown += "\n" + _ask(advice_only[key], [label], profile.name) + "\n"
    return ToolReply(tool, read + markdown, profile.to_dict(), missing, result, chat_facts)
