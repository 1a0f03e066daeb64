"""Reading profile facts, the wanted tool, and the missing essentials from chat messages."""

import pytest

from assistant.decision import (
    KommuneProfile,
    detect_tool,
    extract_profile_facts,
    missing_essentials,
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Vi er en distriktskommune med 4 000 innbyggere og lav modenhet — hvilket scenario passer?",
            {"population": 4000, "centrality": "distrikt", "maturity": 2},
        ),
        ("IT-kostnaden vår er 1 050 kr per innbygger.", {"it_cost_per_inhabitant": 1050}),
        ("Vi bruker 1.050 kroner pr. innbygger på IT.", {"it_cost_per_inhabitant": 1050}),
        ("Vi er med i et IKS.", {"collaboration": "iks"}),
        ("Vi er vertskommune for IT-driften i regionen.", {"collaboration": "vertskommune"}),
        ("Vi er i et §27-samarbeid med fire kommuner.", {"collaboration": "oppgavefellesskap"}),
        ("Samarbeidet er et oppgavefellesskap.", {"collaboration": "oppgavefellesskap"}),
        ("IT-driften er organisert som et AS eid av kommunene.", {"collaboration": "as"}),
        ("Vi har ingen samarbeid med andre kommuner.", {"collaboration": "none"}),
        ("Vi har 12 årsverk i IT.", {"it_staff_fte": 12}),
        ("Kommunen har 3,5 IT-årsverk.", {"it_staff_fte": 3.5}),
        ("Vi har ingen IT-strategi.", {"has_it_strategy": False}),
        ("Vi har ikke en digitaliseringsstrategi.", {"has_it_strategy": False}),
        ("Vi har en vedtatt digitaliseringsstrategi.", {"has_it_strategy": True}),
        (
            "Vi er en sentral kommune med 116.000 innbyggere og middels modenhet.",
            {"population": 116000, "centrality": "sentral", "maturity": 3},
        ),
        ("En mellomsentral kommune med høy digital modenhet.", {"centrality": "mellomsentral", "maturity": 4}),
        ("Vi har svært lav modenhet.", {"maturity": 1}),
        ("Modenhet 4 av 5, men svak bestillerkompetanse.", {"maturity": 4, "bestiller_competence": 2}),
        ("Kommunen har store utfordringer i sektorene.", {"major_sector_challenges": True}),
        (
            "Digitalisering er viktig for å tiltrekke nye innbyggere og næringsliv.",
            {"digitalisation_central_to_attractiveness": True},
        ),
        ("IT er ikke viktig for å tiltrekke innbyggere.", {"digitalisation_central_to_attractiveness": False}),
        ("Bærum kommune har om lag 116 000 innbyggere.", {"name": "Bærum kommune", "population": 116000}),
        (
            "Vi har 45.000 indbyggere, lav modenhed og overvejer et bilateralt samarbejde.",
            {"country": "DK", "population": 45000, "maturity": 2, "collaboration": "bilateral"},
        ),
        (
            "Kolding Kommune har en udpræget ad hoc-baseret tilgang til it-strategisk planlægning.",
            {"country": "DK", "name": "Kolding Kommune", "maturity": 2},
        ),
        ("Vi er en liten kommune i Norge med 4 tusen innbyggere.", {"country": "NO", "population": 4000}),
        ("Hvilket ambisjonsnivå passer for oss?", {}),
    ],
)
def test_facts_from_messages(message, expected):
    assert extract_profile_facts(message) == expected


def test_an_explicit_number_beats_a_word_for_maturity():
    assert extract_profile_facts("Lav modenhet, nærmere bestemt modenhet 3.")["maturity"] == 3


def test_extracted_facts_build_a_valid_profile():
    facts = extract_profile_facts(
        "Vi er en distriktskommune med 4 000 innbyggere, lav modenhet, 2 IT-årsverk og er med i et IKS."
    )
    p = KommuneProfile.from_dict({"name": "Fjellbygd", **facts})
    assert (p.population, p.centrality, p.maturity, p.it_staff_fte, p.collaboration) == (4000, "distrikt", 2, 2, "iks")


@pytest.mark.parametrize(
    ("message", "tool"),
    [
        ("Hvilket ambisjonsnivå passer for oss?", "ambition"),
        ("Bør vi være et fyrtårn?", "ambition"),
        ("Hvilket scenario passer for en liten kommune?", "scenarios"),
        ("Bør vi satse på Formidler eller Tilrettelegger?", "scenarios"),
        ("Hvordan ligger vi an sammenlignet med andre kommuner?", "benchmark"),
        ("Kan du sammenligne våre nøkkeltall med K10?", "benchmark"),
        ("Hva er ambisjonsnivået, og hvilket scenario passer?", "ambition"),
        ("Hva sier rapporten om gevinstrealisering?", None),
    ],
)
def test_detect_tool(message, tool):
    assert detect_tool(message) == tool


@pytest.mark.parametrize(
    ("tool", "profile", "expected"),
    [
        (
            "ambition",
            {"name": "X", "population": 4000, "maturity": 2},
            [
                "om IT og digitalisering er sentralt for å tiltrekke innbyggere og næringsliv",
                "om kommunen har store utfordringer i sektorene (helse, oppvekst o.l.)",
            ],
        ),
        ("benchmark", {"population": 4000}, ["IT-kostnad per innbygger i kroner", "kommunens navn"]),
        (
            "scenarios",
            {"name": "X", "population": 4000, "centrality": "distrikt", "maturity": 2, "collaboration": "iks"},
            [],
        ),
        (None, {}, []),
    ],
)
def test_missing_essentials(tool, profile, expected):
    assert missing_essentials(tool, profile) == expected


def test_missing_essentials_refuses_an_unknown_tool():
    with pytest.raises(ValueError, match="Ukjent verktøy"):
        missing_essentials("orakel", {})
