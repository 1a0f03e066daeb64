"""The LangChain tools: invoked the way an agent does, JSON in and JSON out, errors as data."""

import json

import pytest
from langchain_core.tools import BaseTool

from assistant.decision.tools import (
    DECISION_TOOLS,
    assess_ambition_level,
    assess_scenario_fit,
    benchmark_kommune,
)

PROFILE = {
    "name": "Bærum kommune",
    "population": 116000,
    "centrality": "sentral",
    "maturity": 3,
    "maturity_areas": {"styring": 2, "porteføljestyring": 2, "gevinstrealisering": 2},
    "it_cost_per_inhabitant": 1050,
    "digitalisation_central_to_attractiveness": False,
    "major_sector_challenges": False,
}


def test_tools_are_langchain_tools_with_norwegian_descriptions():
    assert all(isinstance(t, BaseTool) for t in DECISION_TOOLS)
    assert {t.name for t in DECISION_TOOLS} == {"assess_ambition_level", "assess_scenario_fit", "benchmark_kommune"}
    assert "ambisjonsnivå" in assess_ambition_level.description
    assert "profile" in assess_ambition_level.args


def test_ambition_tool_invoke():
    out = assess_ambition_level.invoke({"profile": PROFILE})
    assert out["level"] == "k10"
    assert out["reasons"][0]["page"] == 7
    json.dumps(out)  # plain JSON all the way down


def test_scenario_tool_invoke():
    out = assess_scenario_fit.invoke({"profile": {**PROFILE, "collaboration": "IKS"}})
    assert out["best"] == "S1" and out["ranking"][0] == "S1"
    assert out["collaboration"]["form"] == "iks"
    assert out["report_recommendation"]["basis"] == "rapporten"
    json.dumps(out)


def test_benchmark_tool_invoke_with_and_without_figures():
    plain = benchmark_kommune.invoke({"profile": PROFILE})
    assert plain["quality_score"] is None
    full = benchmark_kommune.invoke(
        {
            "profile": PROFILE,
            "figures": {"tjenesteomfang": 60, "ikt_modenhet": 3, "brukertilfredshet": 4, "digitaliseringsgrad": 50},
        }
    )
    assert full["quality_score"] == pytest.approx(55.5)
    json.dumps(full)


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        (
            assess_ambition_level,
            {"profile": {"name": "X", "population": -5}},
            "Innbyggertall må være et positivt heltall (fikk -5).",
        ),
        (
            assess_scenario_fit,
            {"profile": {"name": "X", "population": 100, "maturity": 9}},
            "Modenhet må være et tall fra 1 til 5 (fikk 9).",
        ),
        (
            benchmark_kommune,
            {"profile": PROFILE, "figures": {"tjenesteomfang": 150}},
            "Tjenesteomfang (%) må være et tall fra 0 til 100 (fikk 150).",
        ),
    ],
)
def test_bad_input_comes_back_as_an_error_the_model_can_relay(tool, args, message):
    out = tool.invoke(args)
    assert out["errors"] == [message]
    assert "level" not in out and "ranking" not in out


def test_the_rules_cite_the_reports_by_the_titles_publishers_and_years_of_the_corpus_manifest():
    """The rules keep a short handle and a memo-length citation per report; these must not drift from
    what the corpus manifest (the library's catalogue) says the report is."""
    import tomllib
    from pathlib import Path

    from assistant.decision.rules import sources

    manifest = tomllib.loads((Path(__file__).parents[1] / "corpus" / "manifest.toml").read_text(encoding="utf-8"))
    for src in sources().values():
        entry = manifest[src.file]
        assert entry["title"].startswith(src.title), src.file
        assert entry["publisher"].startswith(src.publisher.split(" for ")[0]), src.file
        if "year" in entry:  # the Kolding note is undated in both
            assert src.year == entry["year"], src.file
        assert (entry["language"], entry["country"]) == (src.language, src.country), src.file
