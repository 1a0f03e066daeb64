"""Scenario fit and collaboration advice: the base judgments, the adjustments table by table,
priorities, and the separation between what the report states and what we derived."""

import pytest

from assistant.decision import KommuneProfile, assess_scenarios
from assistant.decision.rules import scenario_rules
from assistant.decision.scenarios import criterion_scores
from assistant.decision.types import CRITERIA, SCENARIOS

MID = {"name": "Midtby", "population": 30000, "centrality": "mellomsentral", "maturity": 3}


def test_default_ranking_follows_the_reports_path():
    # S1 first, then S2 (001 s. 6); S3 keeps a role for special components; S0, argued against, last.
    assert assess_scenarios(MID).ranking == ("S1", "S2", "S3", "S0")


def test_every_cell_is_marked_as_our_judgment_and_the_recommendation_as_the_reports():
    data = scenario_rules()
    assert len(data.cells) == len(SCENARIOS) * len(CRITERIA)
    assert {c.basis for c in data.cells} == {"vurdering"}
    assert data.recommendation.basis == "rapporten"
    result = assess_scenarios(MID)
    assert result.report_recommendation.page == 6
    assert "Over tid bør en gå inn for scenario 2: Formidler" in result.report_recommendation.quote
    assert any("Tabell 8" in c for c in result.caveats)


@pytest.mark.parametrize(
    ("profile", "best"),
    [
        ({"population": 4000, "centrality": "distrikt", "maturity": 2}, "S2"),
        ({"population": 1800, "maturity": 1, "it_staff_fte": 0.5, "bestiller_competence": 1}, "S2"),
        ({"population": 15000, "maturity": 3}, "S2"),
        ({"population": 116000, "maturity": 3}, "S1"),
        ({"population": 70000, "maturity": 4, "has_it_strategy": True, "bestiller_competence": 4}, "S1"),
        (
            {
                "population": 30000,
                "maturity": 3,
                "priorities": {
                    "formålseffektivitet": 0.4,
                    "kostnadseffektivitet": 0.4,
                    "gjennomførbarhet": 0.1,
                    "fleksibilitet": 0.05,
                    "handlefrihet": 0.05,
                },
            },
            "S2",
        ),
        ({"population": 30000, "maturity": 3, "priorities": {"handlefrihet": 5}}, "S1"),
        # Only S0's one clear advantage counts (fast, local decisions, 001 s. 59): then S0 comes first.
        (
            {
                "population": 30000,
                "maturity": 3,
                "priorities": {
                    "fleksibilitet": 1,
                    "formålseffektivitet": 0,
                    "kostnadseffektivitet": 0,
                    "gjennomførbarhet": 0,
                    "handlefrihet": 0,
                },
            },
            "S0",
        ),
        # Ease of implementation alone no longer favours S0: it "vil kreve mye ressurser og lang tid" (s. 59).
        ({"population": 30000, "maturity": 3, "priorities": {"gjennomførbarhet": 10}}, "S1"),
    ],
)
def test_best_scenario_table(profile, best):
    assert assess_scenarios({"name": "Testvik", **profile}).best == best


@pytest.mark.parametrize(
    ("rule_id", "profile", "scenario", "criterion", "delta"),
    [
        ("SCN-LITEN-KOMPONENTER", {"population": 19999}, "S2", "kostnadseffektivitet", 1),
        ("SCN-LITEN-GAP", {"population": 19999}, "S0", "formålseffektivitet", -1),
        ("SCN-LITEN-IMPLEMENTERING", {"population": 19999}, "S1", "gjennomførbarhet", -1),
        ("SCN-SVAERT-LITEN", {"population": 4999}, "S2", "formålseffektivitet", 1),
        ("SCN-DISTRIKT", {"centrality": "distrikt"}, "S0", "formålseffektivitet", -1),
        ("SCN-LAV-MODENHET", {"maturity": 2}, "S2", "gjennomførbarhet", 1),
        ("SCN-FAA-ARSVERK", {"it_staff_fte": 2}, "S2", "gjennomførbarhet", 1),
        ("SCN-SVAK-BESTILLER-S1", {"bestiller_competence": 2}, "S1", "kostnadseffektivitet", -1),
        ("SCN-SVAK-BESTILLER-S2", {"bestiller_competence": 2}, "S2", "kostnadseffektivitet", 0.5),
        ("SCN-AUTONOM", {"has_it_strategy": True, "bestiller_competence": 4}, "S1", "gjennomførbarhet", 1),
        ("SCN-STOR", {"population": 50000}, "S1", "gjennomførbarhet", 1),
        ("SCN-INGEN-STRATEGI", {"has_it_strategy": False}, "S2", "formålseffektivitet", 0.5),
        ("SCN-LITEN-RESSURSER", {"population": 19999}, "S0", "gjennomførbarhet", -1),
        ("SCN-FAA-ARSVERK-S0", {"it_staff_fte": 2}, "S0", "gjennomførbarhet", -1),
        ("SCN-FAA-ARSVERK-S3", {"it_staff_fte": 2}, "S3", "gjennomførbarhet", 1.5),
        ("SCN-SVAK-BESTILLER-S3", {"bestiller_competence": 2}, "S3", "kostnadseffektivitet", 1),
        ("SCN-STOR-KAPASITET-S3", {"population": 50000}, "S3", "fleksibilitet", -0.5),
    ],
)
def test_adjustments_table(rule_id, profile, scenario, criterion, delta):
    base = {"name": "Testvik", "population": 30000}
    before = criterion_scores(KommuneProfile.from_dict(base).facts())
    after_result = assess_scenarios({**base, **profile})
    after = after_result.criterion_scores
    assert after[scenario][criterion] - before[scenario][criterion] == pytest.approx(delta)
    assert rule_id in {r.rule_id for r in after_result.reasons}


def test_every_adjustment_is_covered_by_the_table():
    covered = {
        "SCN-LITEN-KOMPONENTER",
        "SCN-LITEN-GAP",
        "SCN-LITEN-IMPLEMENTERING",
        "SCN-SVAERT-LITEN",
        "SCN-DISTRIKT",
        "SCN-LAV-MODENHET",
        "SCN-FAA-ARSVERK",
        "SCN-SVAK-BESTILLER-S1",
        "SCN-SVAK-BESTILLER-S2",
        "SCN-AUTONOM",
        "SCN-STOR",
        "SCN-INGEN-STRATEGI",
        "SCN-LITEN-RESSURSER",
        "SCN-FAA-ARSVERK-S0",
        "SCN-FAA-ARSVERK-S3",
        "SCN-SVAK-BESTILLER-S3",
        "SCN-STOR-KAPASITET-S3",
    }
    assert {r.id for r in scenario_rules().adjustments} == covered


def test_autonomy_needs_both_strategy_and_good_bestiller_competence():
    reasons = {r.rule_id for r in assess_scenarios({**MID, "has_it_strategy": True, "bestiller_competence": 3}).reasons}
    assert "SCN-AUTONOM" not in reasons


def test_weighted_scores_use_the_priorities():
    result = assess_scenarios(
        {
            **MID,
            "priorities": {
                "handlefrihet": 1,
                "formålseffektivitet": 0,
                "kostnadseffektivitet": 0,
                "gjennomførbarhet": 0,
                "fleksibilitet": 0,
            },
        }
    )
    assert result.weights["handlefrihet"] == 1
    assert result.scores == {s: result.criterion_scores[s]["handlefrihet"] for s in SCENARIOS}


def test_s0_first_only_by_weighting_is_flagged():
    result = assess_scenarios(
        {
            **MID,
            "priorities": {
                "fleksibilitet": 1,
                "formålseffektivitet": 0,
                "kostnadseffektivitet": 0,
                "gjennomførbarhet": 0,
                "handlefrihet": 0,
            },
        }
    )
    assert result.best == "S0"
    assert any("S0 kommer først her bare på grunn av kommunens vekting" in c for c in result.caveats)


def test_unstated_priorities_are_a_field_that_would_change_it():
    result = assess_scenarios(MID)
    assert ("priorities", "S2 Formidler") in {(w.field, w.new_result) for w in result.would_change}
    stated = assess_scenarios({**MID, "priorities": {"handlefrihet": 1}})
    assert "priorities" not in {w.field for w in stated.would_change}


def test_a_missing_size_related_field_is_named_when_it_flips_the_result():
    # 20 000 inhabitants sits on the small-kommune threshold: few IT staff would tip it to S2.
    result = assess_scenarios({"name": "X", "population": 20000, "maturity": 3})
    assert "it_staff_fte" in {w.field for w in result.would_change}


def test_reasons_for_the_best_scenario_show_adjusted_scores():
    result = assess_scenarios({"name": "Storby", "population": 116000, "maturity": 3})
    texts = [r.text for r in result.reasons if r.rule_id == "SCN-S1-GJENNOMFORING"]
    assert texts and "(+2, grunnlag +1 justert for profilen)" in texts[0]


def test_danish_profile_gets_the_kombit_caveat():
    result = assess_scenarios({**MID, "country": "DK"})
    assert any("KOMBIT" in c for c in result.caveats)


def test_next_steps_for_a_small_kommune_include_a_ready_platform():
    result = assess_scenarios({"name": "X", "population": 3000, "maturity": 2})
    assert "STEG-DRIFTSPLATTFORM" in {s.reason.rule_id for s in result.next_steps}


# -- collaboration advice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "present", "absent"),
    [
        (
            {"collaboration": "none", "population": 4000},
            {"SAM-SMAA-BOR-SAMARBEIDE", "SAM-MINSTE-GAGNES", "SAM-UTJEVNE"},
            {"SAM-ALLE-TRENGER", "SAM-OPPGAVER-AVKLARE"},
        ),
        ({"collaboration": "none", "population": 80000}, {"SAM-ALLE-TRENGER"}, {"SAM-SMAA-BOR-SAMARBEIDE"}),
        ({"collaboration": "none", "population": 80000, "country": "DK"}, {"SAM-BILATERAL-DK"}, set()),
        (
            {"collaboration": "vertskommune", "population": 4000},
            {"SAM-VK-RELASJON", "SAM-VK-SLA", "SAM-VK-NOKKEL", "SAM-VK-INSOURCING", "SAM-OPPGAVER-AVKLARE"},
            {"SAM-IKS-ROLLER"},
        ),
        ({"collaboration": "vertskommune", "population": 40000}, {"SAM-VK-SLA"}, {"SAM-VK-NOKKEL"}),
        (
            {"collaboration": "oppgavefellesskap", "population": 12000},
            {"SAM-27-SENTRALISERING", "SAM-27-FRIVILLIGHET", "SAM-27-BRUKERSTOTTE", "SAM-27-STRATEGI"},
            {"SAM-VK-SLA"},
        ),
        (
            {"collaboration": "iks", "population": 30000},
            {"SAM-IKS-ROLLER", "SAM-IKS-ADMIN", "SAM-IKS-KOSTNAD"},
            {"SAM-BESTILLER-LAV"},
        ),
        ({"collaboration": "iks", "population": 30000, "bestiller_competence": 2}, {"SAM-BESTILLER-LAV"}, set()),
        (
            {"collaboration": "bilateral", "population": 45000, "country": "DK"},
            {"SAM-BI-STORRELSE", "SAM-BI-TID", "SAM-BI-SUVERENITET", "SAM-BI-BESPARELSE", "SAM-BI-FAA-PARTNERE"},
            {"SAM-IKS-ROLLER"},
        ),
    ],
)
def test_collaboration_advice_table(profile, present, absent):
    advice = {r.rule_id for r in assess_scenarios({"name": "X", **profile}).collaboration.advice}
    assert present <= advice
    assert not (absent & advice)


def test_kolding_conditions_are_cited_from_the_danish_note():
    advice = assess_scenarios(
        {"name": "X", "population": 45000, "country": "DK", "collaboration": "bilateral"}
    ).collaboration
    sources = {r.source for r in advice.advice if r.rule_id.startswith("SAM-BI-")}
    assert sources == {"003"}


@pytest.mark.parametrize(
    ("profile", "fragment"),
    [
        ({"collaboration": "as"}, "Ingen av rapportene vurderer AS"),
        ({"collaboration": "oppgavefellesskap"}, "kommuneloven (2018)"),
        ({"collaboration": "bilateral", "country": "NO"}, "KOMBIT"),
        ({}, "Oppgi samarbeidsform"),
    ],
)
def test_open_questions_where_the_reports_are_silent(profile, fragment):
    advice = assess_scenarios({"name": "X", "population": 30000, **profile}).collaboration
    assert any(fragment in q for q in advice.open_questions)


def test_transferred_assessments_are_marked_as_judgment():
    advice = assess_scenarios({"name": "X", "population": 4000, "collaboration": "vertskommune"}).collaboration
    basis = {r.rule_id: r.basis for r in advice.advice}
    assert basis["SAM-VK-RELASJON"] == "vurdering"  # PA assessed VarIT, not every vertskommune
    assert basis["SAM-VK-INSOURCING"] == "vurdering"  # PA on RegionData's options (s. 29), transferred


def test_a_finding_about_one_named_collaboration_is_our_judgment_when_transferred():
    """PA assessed named collaborations (ROR-IKT, RegionData, VarIT …) and Kolding described Silkeborg/Viborg:
    advice that applies such a finding to every kommune of one form is «vurdering», not «rapporten»."""
    from assistant.decision.rules import collaboration_rules

    _, advice = collaboration_rules()
    transferred = [a for a in advice if a.source in ("002", "003") and len(a.forms) == 1]
    assert transferred
    assert {a.basis for a in transferred} == {"vurdering"}, [a.id for a in transferred if a.basis != "vurdering"]


def test_the_kolding_note_is_not_quoted_as_saying_two_parties():
    from assistant.decision.rules import collaboration_rules

    _, advice = collaboration_rules()
    text = next(a.text for a in advice if a.id == "SAM-BI-FAA-PARTNERE")
    assert "to parter" not in text
