"""Scenario fit (Devoteam 2011): S0–S3 scored on the report's five criteria, weighted by the
kommune's priorities and adjusted by profile rules (rules_scenarios.toml).

The report's own comparison (Tabell 8) is not in the transcript, so every score is our judgment from
the report's pros and cons. The result keeps that apart from what the report states: its
recommendation (S1 first, S2 over time, S3 for special components) is ``report_recommendation``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .ambition import as_profile
from .collaboration import advise_collaboration
from .profile import KommuneProfile
from .rules import changing_facts, flipping_fields, scenario_rules
from .types import CRITERIA, SCENARIO_LABELS, SCENARIOS, FieldImpact, NextStep, ScenarioResult

# Ties follow the report's path: start with S1, move towards S2; S3 for special components; S0, the
# model the report argues against (001 s. 6), last.
TIE_ORDER = ("S1", "S2", "S3", "S0")


def criterion_scores(facts: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    data = scenario_rules()
    scores = {s: {c: 0.0 for c in CRITERIA} for s in SCENARIOS}
    for cell in data.cells:
        scores[cell.scenario][cell.criterion] = cell.score
    for rule in data.adjustments:
        if rule.applies(facts):
            for scenario, criterion, delta in rule.effects:
                scores[scenario][criterion] += delta
    return scores


def weighted(scores: Mapping[str, Mapping[str, float]], weights: Mapping[str, float]) -> dict[str, float]:
    return {s: round(sum(weights[c] * scores[s][c] for c in CRITERIA), 4) for s in SCENARIOS}


def rank_scenarios(totals: Mapping[str, float]) -> tuple[str, ...]:
    return tuple(sorted(SCENARIOS, key=lambda s: (-totals[s], TIE_ORDER.index(s))))


def assess_scenarios(profile: KommuneProfile | Mapping[str, Any]) -> ScenarioResult:
    """Rank the four scenarios for this kommune, with reasons, sensitivity and caveats."""
    p = as_profile(profile)
    data = scenario_rules()
    facts = p.facts()
    weights = p.weights
    scores = criterion_scores(facts)
    totals = weighted(scores, weights)
    ranking = rank_scenarios(totals)
    best = ranking[0]

    applied = [r for r in data.adjustments if r.applies(facts)]
    best_cells = [c for c in data.cells if c.scenario == best]
    reasons = (
        data.criteria.reason(),
        *(r.reason() for r in applied),
        *(c.reason(_cell_text(best, c.criterion, c.score, scores[best][c.criterion], c.text)) for c in best_cells),
    )

    def rank(f: Mapping[str, Any]) -> tuple[str, ...]:
        return rank_scenarios(weighted(criterion_scores(f), weights))

    would_change = list(flipping_fields(facts, data.adjustments, rank, lambda s: SCENARIO_LABELS[s]))
    if p.priorities is None:
        would_change += _priority_flips(scores, best)

    next_steps = tuple(NextStep(s.text, s.reason()) for s in data.steps if best in s.levels and s.applies(facts))
    return ScenarioResult(
        ranking=ranking,
        scores=totals,
        criterion_scores=scores,
        weights=weights,
        report_recommendation=data.recommendation.reason(),
        reasons=reasons,
        collaboration=advise_collaboration(p),
        would_change=tuple(would_change),
        caveats=_caveats(p, ranking, totals),
        next_steps=next_steps,
    )


def known_facts_that_change(profile: KommuneProfile | Mapping[str, Any]) -> tuple[FieldImpact, ...]:
    """Stated facts that, were they otherwise, would change the best scenario (for the memo's page 1)."""
    p = as_profile(profile)
    weights = p.weights
    return changing_facts(
        p.facts(),
        scenario_rules().adjustments,
        lambda f: rank_scenarios(weighted(criterion_scores(f), weights)),
        lambda s: SCENARIO_LABELS[s],
    )


def _cell_text(scenario: str, criterion: str, base: float, adjusted: float, text: str) -> str:
    score = f"{adjusted:+g}".replace(".", ",")
    if adjusted != base:
        score += f", grunnlag {base:+g}".replace(".", ",") + " justert for profilen"
    return f"{SCENARIO_LABELS[scenario]}, {criterion} ({score}): {text}"


def _priority_flips(scores: Mapping[str, Mapping[str, float]], best: str) -> list[FieldImpact]:
    """Would a clear emphasis on one criterion (three times the others) change the best scenario?"""
    out = []
    for crit in CRITERIA:
        raw = {c: (3.0 if c == crit else 1.0) for c in CRITERIA}
        total = sum(raw.values())
        new_best = rank_scenarios(weighted(scores, {c: w / total for c, w in raw.items()}))[0]
        if new_best != best:
            out.append(FieldImpact("priorities", f"høy vekt på {crit}", SCENARIO_LABELS[new_best]))
    return out


def _caveats(p: KommuneProfile, ranking: tuple[str, ...], totals: Mapping[str, float]) -> tuple[str, ...]:
    out = [
        "Rapportens sammenligning av scenariene (Tabell 8) og kriteriedefinisjonene (Tabell 7) "
        "er ikke med i den tekstversjonen av rapporten vi bygger på. Alle poeng per kriterium er vår vurdering ut fra fordelene og "
        "ulempene rapporten lister. Det rapporten selv sier, er anbefalingen: S1 først, S2 over tid.",
        "Scenariene beskriver hvordan kommunesektoren som helhet organiserer felles IKT-oppgaver. "
        "«Passer best» betyr her det scenarioet som tjener denne kommunen best, og som den bør "
        "arbeide for og forberede seg på.",
    ]
    best = ranking[0]
    if totals[ranking[0]] == totals[ranking[1]]:
        out.append(
            f"Uavgjort mellom {SCENARIO_LABELS[ranking[0]]} og {SCENARIO_LABELS[ranking[1]]}; "
            "vi valgte etter rapportens rekkefølge (S1, så S2)."
        )
    if best == "S0":
        out.append(
            "Merk: rapporten mener at nullscenarioet gjør det vanskelig å modernisere og effektivisere "
            "(s. 6). S0 kommer først her bare på grunn av kommunens vekting av kriteriene."
        )
    if best == "S3":
        out.append("Rapporten ser leverandørrollen (S3) som hensiktsmessig bare for spesielle felleskomponenter.")
    if p.priorities is None:
        out.append("Ingen prioriteringer er oppgitt; de fem kriteriene er vektet likt.")
    if p.country == "DK":
        out.append(
            "Dansk kommune: scenariene er utredet for norsk kommunesektor. I Danmark kjøper kommunene "
            "allerede en del løsninger i fellesskap via KOMBIT (jf. Kolding-notatet), så noe av S2 og S3 "
            "finnes der allerede."
        )
    return tuple(out)
