"""Presenting decision results (Markdown, tables, charts) and reading the profile form."""

import pytest
from conftest import BAERUM_2013

from assistant.decision import (
    KommuneProfile,
    ProfileError,
    assess_ambition,
    assess_scenarios,
    benchmark,
)
from assistant.decision.present import (
    FORM_FIELDS,
    ambition_chart,
    ambition_markdown,
    ambition_table,
    benchmark_markdown,
    benchmark_table,
    profile_dict_from_form,
    profile_from_form,
    scenario_chart,
    scenario_table,
    scenarios_markdown,
)
from assistant.decision.types import CRITERIA, LEVEL_LABELS, SCENARIO_LABELS

BAERUM = KommuneProfile.from_dict(BAERUM_2013)
# Booleans unknown, so the ambition result has fields that would change it.
PARTIAL = {"name": "Vik kommune", "population": 30000, "maturity": 3}
EVIL = "<script>alert(1)</script> kommune"


def _evidence(r):
    return f"*({r.basis})* «{r.quote}» ({r.citation()})"


def test_ambition_markdown_leads_with_the_conclusion_and_cites_every_reason():
    result = assess_ambition(BAERUM)
    md = ambition_markdown(result, "Bærum kommune")
    assert md.startswith(
        "**Anbefalt ambisjonsnivå for Bærum kommune: I tråd med de 10 store, norske "
        f"kommunene**\n\nUsikkerhet: {result.uncertainty}."
    )
    for r in result.reasons:
        assert f"- {r.text} {_evidence(r)}" in md
    for step in result.next_steps:
        assert _evidence(step.reason) in md
    assert "*(vurdering)*" in md and "*(rapporten)*" in md
    assert "BCG 2013, s. 7" in md and "Vurdering av alternative IT-strategier" in md  # short and full title


def test_ambition_markdown_sections_come_in_order_and_empty_ones_are_left_out():
    result = assess_ambition(PARTIAL)
    assert result.would_change  # the test needs a result with something that could change it
    md = ambition_markdown(result)
    order = ["**Anbefalt ambisjonsnivå:", "**Taler for «", "**Dette kan endre svaret**", "**Forbehold**"]
    positions = [md.index(s) for s in order]
    assert positions == sorted(positions)
    for w in result.would_change:
        assert f"- {w.example} → {w.new_result}" in md
    assert "**Dette kan endre svaret**" not in ambition_markdown(assess_ambition(BAERUM))


def test_user_text_is_html_escaped():
    md = ambition_markdown(assess_ambition(PARTIAL), EVIL)
    assert "<script>" not in md and "&lt;script&gt;alert(1)&lt;/script&gt; kommune" in md
    assert "<script>" not in scenarios_markdown(assess_scenarios(PARTIAL), EVIL)
    bench = benchmark({**PARTIAL, "name": EVIL, "it_cost_per_inhabitant": 900})
    assert "<script>" not in benchmark_markdown(bench)
    assert "&lt;script&gt;" in benchmark_markdown(bench)


def test_scenarios_markdown_names_the_best_scenario_and_cites_report_and_reasons():
    result = assess_scenarios(BAERUM)
    md = scenarios_markdown(result, "Bærum kommune")
    assert md.startswith(f"**Scenario som passer best for Bærum kommune: {SCENARIO_LABELS[result.best]}**")
    assert _evidence(result.report_recommendation) in md
    assert md.index("**Det rapporten anbefaler**") < md.index("**Hvorfor**")
    for r in (*result.reasons, *result.collaboration.advice):
        assert _evidence(r) in md
    assert f"**Samarbeidsform: {result.collaboration.label}**" in md
    for c in result.caveats:
        assert f"- {c}" in md


def test_benchmark_markdown_shows_each_comparison_with_its_evidence():
    result = benchmark(BAERUM, {"okonomi_hr_lonn_per_klient": 800})
    md = benchmark_markdown(result)
    compared = [r for r in result.rows if r.comparison]
    assert len(compared) >= 4
    for row in compared:
        assert f"- {row.comparison} {_evidence(row.reason)}" in md
    assert "BCG 2013, s. 4" in md and "PA Consulting 2015, s. 26" in md
    # Rows without the kommune's own figure are not presented as comparisons.
    assert not any(_evidence(r.reason) in md for r in result.rows if not r.comparison)


def test_benchmark_markdown_without_own_figures_says_so_and_with_all_quality_parts_gives_the_score():
    empty = benchmark({"name": "Vik kommune", "population": 3000})
    assert "Ingen av kommunens egne tall kan sammenlignes" in benchmark_markdown(empty)
    full = benchmark(
        BAERUM, {"tjenesteomfang": 60, "ikt_modenhet": 3, "brukertilfredshet": 4, "digitaliseringsgrad": 50}
    )
    assert "Kvalitetsscore etter PAs vekter (30/30/10/30):" in benchmark_markdown(full)


def test_ambition_table_is_ranked_best_first():
    result = assess_ambition(PARTIAL)
    headers, rows = ambition_table(result)
    assert len(headers) == 4 and len(rows) == 3 and all(len(r) == 4 for r in rows)
    assert rows[0][1] == LEVEL_LABELS[result.level] and rows[0][3] == "Anbefalt"
    scores = [result.scores[lv] for lv in result.ranking]
    assert scores == sorted(scores, reverse=True) and [r[0] for r in rows] == [1, 2, 3]
    assert [r[2] for r in rows] == [_nb(x) for x in scores]  # shown with a decimal comma


def test_scenario_table_has_every_criterion_and_is_ranked_best_first():
    result = assess_scenarios({**PARTIAL, "priorities": {"handlefrihet": 3}})
    headers, rows = scenario_table(result)
    assert len(headers) == 2 + len(CRITERIA) + 1 and len(rows) == 4
    assert all(len(r) == len(headers) for r in rows)
    assert rows[0][1] == SCENARIO_LABELS[result.best]
    totals = [result.scores[sc] for sc in result.ranking]
    assert totals == sorted(totals, reverse=True) and [r[-1] for r in rows] == [_nb(x) for x in totals]
    assert "Handlefrihet (vekt 43 %)" in headers  # 3 / (3 + 4 × 1)
    s1 = next(r for r in rows if r[1] == SCENARIO_LABELS["S1"])
    assert s1[2:-1] == [_nb(result.criterion_scores["S1"][c]) for c in CRITERIA]
    assert not any("." in str(x) for r in rows for x in r[2:])  # no decimal point in a Norwegian table


def _nb(x: float) -> str:
    from assistant.decision.present import _num

    return _num(x)


def test_benchmark_table_has_value_reference_source_and_comparison():
    result = benchmark(BAERUM)
    headers, rows = benchmark_table(result)
    assert len(rows) == len(result.rows) and all(len(r) == len(headers) == 7 for r in rows)
    first = rows[0]
    assert first[0] == "IT-kostnad per innbygger (kr per innbygger)"
    assert first[1] == "1 050" and first[3] == "1 050"
    assert first[4] == "BCG 2013, s. 4 (tall for 2012)"
    assert first[6].startswith("Kommunen: 1 050 kr per innbygger, på nivå med")
    missing = next(r for r in rows if r[0].startswith("Sak/arkiv"))
    assert missing[1] == "–" and missing[6] == "–"


@pytest.mark.parametrize(
    "chart",
    [
        lambda: ambition_chart(assess_ambition(PARTIAL)),
        lambda: scenario_chart(assess_scenarios(PARTIAL)),
    ],
)
def test_charts_are_png_bytes(chart):
    png = chart()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


FORM = {
    "name": "  Vik kommune ",
    "population": "4 000",
    "country": "Norge",
    "centrality": "Distrikt",
    "collaboration": "Oppgavefellesskap (tidligere §27)",
    "it_cost_per_inhabitant": "",
    "it_staff_fte": None,
    "maturity": 2.0,
    "maturity_areas.styring": 2,
    "maturity_areas.kompetanse": "",
    "bestiller_competence": None,
    "has_it_strategy": "Nei",
    "digitalisation_central_to_attractiveness": "Vet ikke",
    "major_sector_challenges": "Ja",
    **{f"priorities.{c}": None for c in CRITERIA},
    "priorities.handlefrihet": 3,
}


def test_profile_from_form_maps_labels_and_leaves_empty_values_unknown():
    p = profile_from_form(FORM)
    assert (p.name, p.population, p.country, p.centrality) == ("Vik kommune", 4000, "NO", "distrikt")
    assert p.collaboration == "oppgavefellesskap" and p.maturity == 2
    assert p.has_it_strategy is False and p.major_sector_challenges is True
    assert p.digitalisation_central_to_attractiveness is None
    assert p.it_cost_per_inhabitant is None and p.it_staff_fte is None and p.bestiller_competence is None
    assert p.maturity_areas == {"styring": 2}
    assert p.priorities["handlefrihet"] == pytest.approx(3 / 7)


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Ingen", "none"),
        ("Vertskommune", "vertskommune"),
        ("Oppgavefellesskap (tidligere §27)", "oppgavefellesskap"),
        ("IKS", "iks"),
        ("AS", "as"),
        ("Bilateralt samarbeid", "bilateral"),
    ],
)
def test_collaboration_labels_map_to_profile_values(label, value):
    assert profile_from_form({**FORM, "collaboration": label}).collaboration == value


def test_priorities_as_five_numbers_and_equal_weights_mean_no_stated_priority():
    p = profile_from_form({"name": "Vik", "population": 4000, "priorities": [1, 1, 1, 1, 4]})
    assert p.priorities["handlefrihet"] == pytest.approx(0.5)
    assert profile_from_form({"name": "Vik", "population": 4000, "priorities": [2, 2, 2, 2, 2]}).priorities is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"population": "mange"}, "Innbyggertall må være et positivt heltall (fikk 'mange')."),
        ({"maturity": 7}, "Modenhet må være et tall fra 1 til 5 (fikk 7)."),
        ({"it_cost_per_inhabitant": "-3"}, "IT-kostnad per innbygger må være et positivt tall i kroner"),
        ({"name": "  "}, "Navn mangler: oppgi kommunens navn"),
        ({"centrality": "Storby"}, "Sentralitet må være «sentral», «mellomsentral» eller «distrikt»"),
    ],
)
def test_bad_form_values_raise_the_profiles_norwegian_message(values, message):
    with pytest.raises(ProfileError) as info:
        profile_from_form({**FORM, **values})
    assert any(message in e for e in info.value.errors)


def test_form_fields_cover_the_profile_and_every_choice_is_accepted():
    names = [f.name for f in FORM_FIELDS]
    assert len(names) == len(set(names))
    assert {n.split(".")[0] for n in names} == set(BAERUM.__dataclass_fields__)
    for field in FORM_FIELDS:
        assert field.kind in ("text", "number", "choice", "bool")
        if field.default is not None:
            assert field.default in field.labels
        for label, _ in field.choices:  # every label the app can show builds a valid profile
            profile_from_form({"name": "Vik", "population": 4000, field.name: label})


def test_profile_dict_from_form_passes_a_profile_through_unchanged():
    assert KommuneProfile.from_dict(profile_dict_from_form(BAERUM.to_dict())) == BAERUM


def test_blank_number_boxes_sent_as_zero_are_treated_as_blank():
    """A browser sends an empty gr.Number as 0; that must not become 'maturity 0'."""
    from assistant.decision.present import FORM_FIELDS, profile_dict_from_form

    values = {f.name: (0 if f.kind == "number" else None) for f in FORM_FIELDS}
    values.update(name="Bærum kommune", population=116000)
    profile = profile_dict_from_form(values)
    assert profile == {"name": "Bærum kommune", "population": 116000}
    values["priorities.handlefrihet"] = 2
    assert profile_dict_from_form(values)["priorities"]["handlefrihet"] == 2
