"""Ambition level (BCG for Bærum 2013): Fyrtårn, I tråd med de 10 store, or I tråd med myndighetskrav.

Scores are sums of rule effects (rules_ambition.toml). The report names two explicit conditions and
recommends «I tråd med de 10 store» (its "alternativ 2") for Bærum; everything else is our weighting,
and it says so. The levels are defined relative to the K10 group, so for a kommune far from that size the
result also says what the level means there, and its confidence is one step lower.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.text.numbers import nb_number

from .profile import KommuneProfile
from .rules import AmbitionRule, ambition_rules, changing_facts, flipping_fields
from .types import LEVEL_LABELS, LEVELS, AmbitionResult, FieldImpact, NextStep, Reason

# Ties go to the report's own recommendation for Bærum («I tråd med de 10 store»), then to the cautious level.
TIE_ORDER = ("k10", "myndighetskrav", "fyrtarn")
# Below this a kommune is far from the K10 size (the ten largest kommuner): the levels need translating.
K10_SIZE = 50_000
_LOWER = {"høy": "middels", "middels": "lav", "lav": "lav"}

# What each level means for a kommune far from the K10 size (our judgment, stated as such).
TRANSLATIONS = {
    "fyrtarn": "For en kommune av denne størrelsen betyr «Fyrtårn» i praksis å ligge i front blant "
    "kommuner av samme størrelse eller i regionen, ikke å ta Københavns rolle i hele landet.",
    "k10": "For en kommune av denne størrelsen betyr «I tråd med de 10 store» i praksis å ta i bruk de "
    "felles løsningene og kravene som de store kommunene og KS (KommIT) utvikler, i samme takt som dem, "
    "gjerne gjennom et regionalt IKT-samarbeid, uten å utvikle egne løsninger.",
    "myndighetskrav": "«I tråd med myndighetskrav» betyr det samme for alle kommuner: innfri de nasjonale "
    "kravene og pålagt modernisering.",
}


def _support(effect: Mapping[str, float], level: str) -> float:
    """How much a rule pulls towards ``level`` rather than towards its strongest alternative."""
    others = [v for k, v in effect.items() if k != level]
    return effect.get(level, 0.0) - max(others, default=0.0)


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
    applied.sort(key=lambda r: -_support(dict(r.effect), level))
    reasons = tuple(r.reason() for r in applied)
    reasons_for = tuple(r.reason() for r in applied if _support(dict(r.effect), level) > 0)
    reasons_against = tuple(r.reason() for r in applied if _support(dict(r.effect), level) <= 0)

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
    far_from_k10 = p.population < K10_SIZE
    if far_from_k10:
        confidence = _LOWER[confidence]  # the levels were written for Bærum and compared with K10

    next_steps = tuple(NextStep(s.text, s.reason()) for s in steps if level in s.levels and s.applies(facts))
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
        reasons_for=reasons_for,
        reasons_against=reasons_against,
        translation=TRANSLATIONS[level] if far_from_k10 else "",
    )


def known_facts_that_change(profile: KommuneProfile | Mapping[str, Any]) -> tuple[FieldImpact, ...]:
    """Stated facts that, were they otherwise, would change the recommended level (for the memo's page 1)."""
    rules, _ = ambition_rules()
    facts = as_profile(profile).facts()
    return changing_facts(facts, rules, lambda f: rank_levels(score_levels(f, rules)), lambda lv: LEVEL_LABELS[lv])


def group_reasons(result: AmbitionResult) -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
    """(for, against) the recommended level, for the tab, the chat and the memo alike."""
    return result.reasons_for, result.reasons_against


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
            "Ingen regel slo til med opplysningene som er gitt. Anbefalingen er derfor BCGs anbefaling "
            "for Bærum («I tråd med de 10 store») og bør ikke brukes før profilen er utfylt."
        )
    if scores[ranking[0]] == scores[ranking[1]]:
        out.append(
            f"Uavgjort mellom «{LEVEL_LABELS[ranking[0]]}» og «{LEVEL_LABELS[ranking[1]]}». "
            "Ved likt valgte vi etter rekkefølgen «I tråd med de 10 store», «I tråd med myndighetskrav», "
            "«Fyrtårn», fordi BCG anbefalte «I tråd med de 10 store» for Bærum."
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
    if p.population < K10_SIZE:
        out.append(
            f"BCGs nivåer er skrevet for Bærum (116\u00a0000 innbyggere) og definert ut fra de ti største "
            f"kommunene (K10). Kommunen har {nb_number(p.population)} innbyggere, langt fra K10-størrelsen, så "
            "nivåene er oversatt (se over) og usikkerheten er satt ett trinn høyere."
        )
    if p.country == "DK":
        out.append(
            "Dansk kommune: nivåene kommer fra en norsk rapport. Les «de 10 store, norske kommunene» "
            "som de store danske kommunene og fællesskabet via KL/KOMBIT, og «myndighetskrav» som de "
            "nasjonale løsningene kommunen er forpliktet til å bruke (jf. Kolding-notatet)."
        )
    if p.maturity is None and "maturity" in facts:
        out.append(f"Samlet modenhet er ikke oppgitt; vi brukte snittet av modenhetsområdene ({facts['maturity']}).")
    return tuple(out)
