"""Ambition level (BCG for Bærum 2013): Fyrtårn, I tråd med de 10 store, or I tråd med myndighetskrav.

Scores are sums of rule effects (rules_ambition.toml). The report names two explicit conditions and
recommends level 2 for a kommune like Bærum; everything else is our weighting, and it says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .profile import KommuneProfile
from .rules import AmbitionRule, ambition_rules, flipping_fields
from .types import LEVEL_LABELS, LEVELS, AmbitionResult, NextStep

# Ties go to the report's own recommendation for Bærum (level 2), then to the cautious level.
TIE_ORDER = ("k10", "myndighetskrav", "fyrtarn")


def as_profile(profile: KommuneProfile | Mapping[str, Any]) -> KommuneProfile:
    return profile if isinstance(profile, KommuneProfile) else KommuneProfile.from_dict(dict(profile))


def score_levels(facts: Mapping[str, Any], rules: tuple[AmbitionRule, ...]) -> dict[str, float]:
    scores = {level: 0.0 for level in LEVELS}
    for rule in rules:
        if rule.applies(facts):
            for level, delta in rule.effect:
                scores[level] += delta
    return scores


def rank_levels(scores: Mapping[str, float]) -> tuple[str, ...]:
    return tuple(sorted(LEVELS, key=lambda lv: (-scores[lv], TIE_ORDER.index(lv))))


def assess_ambition(profile: KommuneProfile | Mapping[str, Any]) -> AmbitionResult:
    """Recommend an ambition level, with reasons, the fields that could change it, and caveats."""
    p = as_profile(profile)
    rules, steps = ambition_rules()
    facts = p.facts()
    scores = score_levels(facts, rules)
    ranking = rank_levels(scores)
    level = ranking[0]

    applied = [r for r in rules if r.applies(facts)]
    # Reasons for the chosen level first, then those that pull elsewhere.
    applied.sort(key=lambda r: -dict(r.effect).get(level, 0.0))
    reasons = tuple(r.reason() for r in applied)

    def rank(f: Mapping[str, Any]) -> tuple[str, ...]:
        return rank_levels(score_levels(f, rules))

    would_change = flipping_fields(facts, rules, rank, lambda lv: LEVEL_LABELS[lv])
    margin = scores[ranking[0]] - scores[ranking[1]]
    if margin >= 3 and not would_change:
        confidence = "høy"
    elif margin >= 1.5 or (margin >= 1 and not would_change):
        confidence = "middels"
    else:
        confidence = "lav"

    next_steps = tuple(
        NextStep(s.text, s.reason()) for s in steps if level in s.levels and s.applies(facts)
    )
    return AmbitionResult(
        level=level,
        label=LEVEL_LABELS[level],
        scores=scores,
        ranking=ranking,
        confidence=confidence,
        reasons=reasons,
        would_change=would_change,
        caveats=_caveats(p, facts, scores, ranking, {r.id for r in applied}),
        next_steps=next_steps,
    )


def _caveats(
    p: KommuneProfile,
    facts: Mapping[str, Any],
    scores: Mapping[str, float],
    ranking: tuple[str, ...],
    applied: set[str],
) -> tuple[str, ...]:
    out = [
        "Nivåene og de to vilkårene («Dersom …») er BCGs (rapport for Bærum, 2013). "
        "Poengene som veier vilkårene mot hverandre, er vår vurdering."
    ]
    if not applied:
        out.append(
            "Ingen regel slo til med opplysningene som er gitt. Anbefalingen er derfor rapportens "
            "eget utgangspunkt (nivå 2) og bør ikke brukes før profilen er utfylt."
        )
    if scores[ranking[0]] == scores[ranking[1]]:
        out.append(
            f"Uavgjort mellom «{LEVEL_LABELS[ranking[0]]}» og «{LEVEL_LABELS[ranking[1]]}». "
            "Ved likt valgte vi etter rekkefølgen nivå 2, minimum, Fyrtårn, fordi BCG anbefalte nivå 2."
        )
    if {"AMB-ATTRAKTIV", "AMB-SEKTOR"} <= applied:
        out.append(
            "Rapporten sier ikke hva som gjelder når både attraktivitet og store sektorutfordringer "
            "er til stede. Vi lar sektorutfordringene veie tyngst fordi rapporten skriver «vil … være "
            "riktig» der og bare «kunne være riktig» om den ambisiøse strategien."
        )
    if {"AMB-MODENHET-MIDDELS", "AMB-STYRING-SVAK"} <= applied:
        out.append(
            "BCG beskriver Bærums modenhet både som «omtrent på nivå med sammenlignbare "
            "organisasjoner» (s. 5) og som «forholdsvis lav» når det gjelder styringsprosessene (s. 6). "
            "Begge deler står i rapporten."
        )
    if p.population < 20000:
        out.append(
            "BCGs nivåer er skrevet for en stor kommune (Bærum). For en liten kommune nås nivå 2 "
            "i praksis gjennom et IKT-samarbeid, og Fyrtårn («ledende posisjon i kommune-norge») "
            "er sjelden realistisk alene."
        )
    if p.country == "DK":
        out.append(
            "Dansk kommune: nivåene kommer fra en norsk rapport. Les «de 10 store, norske kommunene» "
            "som de store danske kommunene og fællesskabet via KL/KOMBIT, og «myndighetskrav» som de "
            "nasjonale løsningene kommunen er forpliktet til å bruke (jf. Kolding-notatet)."
        )
    if p.maturity is None and "maturity" in facts:
        out.append(
            "Samlet modenhet er ikke oppgitt; vi brukte snittet av modenhetsområdene "
            f"({facts['maturity']})."
        )
    return tuple(out)
