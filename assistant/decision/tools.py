"""The decision functions as LangChain tools: plain JSON in, plain JSON out.

A wrong profile does not raise into the agent loop: it comes back as ``{"error": ...}`` with the
Norwegian messages, so the chat model can ask the user for a corrected value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.tools import tool

from .ambition import assess_ambition
from .benchmark import benchmark
from .profile import ProfileError
from .scenarios import assess_scenarios


def _safe(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return run()
    except ProfileError as exc:
        return {"error": str(exc), "errors": list(exc.errors)}


@tool
def assess_ambition_level(profile: dict[str, Any]) -> dict[str, Any]:
    """Anbefal ambisjonsnivå for kommunens IT-strategi: «fyrtarn» (Fyrtårn), «k10» (I tråd med de 10
    store) eller «myndighetskrav» (I tråd med myndighetskrav), etter BCGs rapport for Bærum (2013).

    profile: kommuneprofil som JSON. Påkrevd: name, population. Valgfritt: country ("NO"/"DK"),
    centrality ("sentral"/"mellomsentral"/"distrikt"), maturity (1–5), maturity_areas (f.eks.
    {"styring": 2}), digitalisation_central_to_attractiveness (bool), major_sector_challenges (bool),
    it_cost_per_inhabitant (kr), it_staff_fte, collaboration, has_it_strategy (bool),
    bestiller_competence (1–5), priorities.
    Svarer med nivå, poeng, begrunnelser med kilde/side/sitat, felt som kan endre svaret og forbehold.
    """
    return _safe(lambda: assess_ambition(profile).to_dict())


@tool
def assess_scenario_fit(profile: dict[str, Any]) -> dict[str, Any]:
    """Ranger Devoteams fire scenarier for felles kommunal IKT (S0 Nullscenario, S1 Tilrettelegger,
    S2 Formidler, S3 Leverandør) for kommunen, og gi råd om kommunens egen samarbeidsform.

    profile: kommuneprofil som JSON (se assess_ambition_level). priorities vekter kriteriene
    formålseffektivitet, kostnadseffektivitet, gjennomførbarhet, fleksibilitet og handlefrihet.
    Poengene er vår vurdering; rapportens egen sammenligningstabell mangler i kilden.
    """
    return _safe(lambda: assess_scenarios(profile).to_dict())


@tool
def benchmark_kommune(profile: dict[str, Any], figures: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sammenlign kommunens nøkkeltall med rapportenes tall (BCG 2013, PA 2015, IT i praksis 2020).

    profile: kommuneprofil som JSON (it_cost_per_inhabitant brukes). figures (valgfritt):
    okonomi_hr_lonn_per_klient, sak_arkiv_per_klient (kr), tjenesteomfang og digitaliseringsgrad (%),
    ikt_modenhet og brukertilfredshet (1–5), gevinstrealisering_nivaa og kompetanse_nivaa (1–5),
    tjenestetrapp_nivaa (1–4).
    """
    return _safe(lambda: benchmark(profile, figures).to_dict())


DECISION_TOOLS = [assess_ambition_level, assess_scenario_fit, benchmark_kommune]
