"""Routing chat messages to the decision tools: which tool, which facts, what to ask for."""

import pytest

from assistant.decision import assess_scenarios
from assistant.decision.chat import route
from assistant.decision.profile import COLLABORATIONS
from assistant.decision.types import AmbitionResult, BenchmarkResult, ScenarioResult

AMBITION = "Hvilket ambisjonsnivå passer for oss?"
SCENARIO = "Vi er en distriktskommune med 4 000 innbyggere og lav modenhet — hvilket scenario passer?"
BENCH = (
    "Hva koster IT per innbygger hos oss sammenlignet med K10? Vi bruker 1 200 kr per innbygger og "
    "har 30 000 innbyggere."
)
FORM = {
    "name": "Bærum kommune",
    "population": 116000,
    "centrality": "Sentral",
    "maturity": 3,
    "digitalisation_central_to_attractiveness": "Nei",
    "major_sector_challenges": "Nei",
    "collaboration": "IKS",
}
COLLAB_LABEL = "dagens samarbeidsform (ingen, vertskommune, oppgavefellesskap/§27, IKS, AS eller bilateral)"


@pytest.mark.parametrize(
    "message",
    [
        "Hva sier BCG om gevinstrealisering?",
        "Hvor mange innbyggere har Bærum?",
        "Hva anbefaler PA om RegionData?",
    ],
)
def test_report_questions_are_left_to_the_caller(message):
    assert route(message) is None
    assert route(message, FORM) is None


def test_ambition_question_with_a_form_profile_runs_the_tool():
    reply = route(AMBITION, FORM)
    assert reply.tool == "ambition" and isinstance(reply.result, AmbitionResult)
    assert reply.missing == []
    assert reply.markdown.startswith("**Anbefalt ambisjonsnivå for Bærum kommune: I tråd med de 10 store")
    assert reply.profile["collaboration"] == "iks" and reply.profile["centrality"] == "sentral"


def test_ambition_question_without_a_profile_asks_for_the_essentials_instead():
    reply = route(AMBITION)
    assert reply.tool == "ambition" and reply.result is None
    assert reply.missing == [
        "innbyggertall",
        "samlet IT-/digital modenhet på en skala fra 1 til 5",
        "om IT og digitalisering er sentralt for å tiltrekke innbyggere og næringsliv",
        "om kommunen har store utfordringer i sektorene (helse, oppvekst o.l.)",
    ]  # never the name: a profile without one is called "Kommunen"
    assert reply.markdown.startswith("For å anbefale et ambisjonsnivå trenger jeg å vite innbyggertall, ")
    assert "«Beslutningsverktøy»" in reply.markdown and "Anbefalt" not in reply.markdown
    assert "\n" not in reply.markdown.strip() and reply.markdown.endswith("«Beslutningsverktøy».")  # one sentence


def test_scenario_question_reads_the_facts_and_ranks_without_the_collaboration_form():
    reply = route(SCENARIO)
    assert reply.tool == "scenarios" and isinstance(reply.result, ScenarioResult)
    assert reply.markdown.startswith("Jeg leste: 4 000 innbyggere, distriktskommune, lav modenhet (2).")
    assert reply.profile == {
        "name": "Kommunen",
        "population": 4000,
        "country": "NO",
        "centrality": "distrikt",
        "maturity": 2,
    }
    assert "**Scenario som passer best: S2 Formidler**" in reply.markdown
    # The collaboration form is still asked for, for the advice on it, at the end of the reply.
    assert reply.missing == [COLLAB_LABEL]
    assert reply.markdown.rstrip().endswith("fyll ut kommuneprofilen i fanen «Beslutningsverktøy».")
    assert "For å gi råd om kommunens egen samarbeidsform trenger jeg å vite" in reply.markdown


@pytest.mark.parametrize(
    "profile",
    [
        {"name": "Vik", "population": 4000, "centrality": "distrikt", "maturity": 2},
        {"name": "Bærum", "population": 116000, "centrality": "sentral", "maturity": 4, "bestiller_competence": 2},
        {"name": "Midt", "population": 15000, "maturity": 3, "it_staff_fte": 2, "has_it_strategy": False},
    ],
)
def test_collaboration_form_does_not_change_the_scenario_ranking(profile):
    """Why route runs the scenario tool without the collaboration form: no scenario rule reads it."""
    rankings = {assess_scenarios({**profile, "collaboration": c}).ranking for c in COLLABORATIONS}
    assert rankings == {assess_scenarios(profile).ranking}


def test_an_answer_to_the_question_continues_the_same_tool_with_the_earlier_facts():
    first = route(SCENARIO)
    reply = route("Vi er med i et IKS.", None, first)
    assert reply.tool == "scenarios" and reply.missing == []
    assert reply.result.collaboration.form == "iks"
    assert reply.profile["population"] == 4000 and reply.profile["centrality"] == "distrikt"
    assert reply.markdown.startswith("Jeg leste: samarbeidsform: IKS.")
    assert route("Hva sier BCG om gevinstrealisering?", None, first) is None


def test_after_one_question_a_partial_answer_gets_a_provisional_reply_not_a_second_question():
    ask = route(AMBITION)
    reply = route("Vi har 4 000 innbyggere.", None, ask)
    assert reply.tool == "ambition" and isinstance(reply.result, AmbitionResult)
    assert "*Foreløpig svar: jeg vet fortsatt ikke samlet IT-/digital modenhet" in reply.markdown
    assert "innbyggertall" not in reply.missing and len(reply.missing) == 3
    # Without the population there is nothing to run on: ask again.
    assert route(AMBITION, None, ask).result is None


def test_benchmark_question_compares_the_stated_cost():
    reply = route(BENCH)
    assert reply.tool == "benchmark" and isinstance(reply.result, BenchmarkResult)
    assert reply.missing == []
    assert reply.markdown.startswith("Jeg leste: 30 000 innbyggere, IT-kostnad 1 200 kr per innbygger.")
    assert reply.result.by_metric("it_cost_per_inhabitant")[0].kommune_value == 1200
    # 30 000 inhabitants: no percent against the ten largest kommuner, and it says why.
    assert "over K10-snitt" not in reply.markdown and "Ikke sammenlignbart" in reply.markdown
    assert reply.profile["name"] == "Kommunen"


def test_the_message_wins_over_the_form_and_says_so():
    reply = route(SCENARIO, {**FORM, "population": 5000})
    assert reply.profile["population"] == 4000 and reply.profile["maturity"] == 2
    assert reply.profile["name"] == "Bærum kommune" and reply.profile["collaboration"] == "iks"
    assert "4 000 innbyggere (går foran skjemaet)" in reply.markdown
    assert "distriktskommune (går foran skjemaet)" in reply.markdown
    assert "lav modenhet (2) (går foran skjemaet)" in reply.markdown


def test_a_profile_error_becomes_a_reply_with_the_message_escaped():
    reply = route(AMBITION, {**FORM, "population": "<b>mange</b>", "maturity": 9})
    assert reply.tool == "ambition" and reply.result is None
    assert "Innbyggertall må være et positivt heltall (fikk &#x27;&lt;b&gt;mange&lt;/b&gt;&#x27;)." in reply.markdown
    assert "Modenhet må være et tall fra 1 til 5 (fikk 9)." in reply.markdown
    assert "<b>" not in reply.markdown and "«Beslutningsverktøy»" in reply.markdown


def test_the_kommune_name_from_the_form_is_escaped_in_the_reply():
    reply = route(AMBITION, {**FORM, "name": '<img src=x onerror="alert(1)"> kommune'})
    assert isinstance(reply.result, AmbitionResult)
    assert "<img" not in reply.markdown and "&lt;img src=x" in reply.markdown


@pytest.mark.parametrize(
    "message",
    [
        "Hvilket ambisjonsnivå anbefalte BCG for Bærum?",
        "Hva er forskjellen på scenariene Tilrettelegger, Formidler og Leverandør?",
        "Hva koster IKT per innbygger i Bærum sammenlignet med K10-kommunene?",
        "Hvilke fordeler har Formidler-scenariet ifølge Devoteam?",
    ],
)
def test_questions_about_what_the_reports_say_go_to_the_reports(message):
    assert route(message, None, None) is None


@pytest.mark.parametrize(
    "message",
    [
        "Hvilket ambisjonsnivå passer for oss?",
        "Hvilket scenario bør vi velge?",
        "Hvordan ligger vi an på kostnad sammenlignet med K10?",
    ],
)
def test_questions_about_our_kommune_go_to_the_tools(message):
    assert route(message, None, None) is not None
