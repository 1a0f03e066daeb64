"""The gold set for the decision tools, and the evaluation that runs it."""

import json

import pytest

from eval.tools_eval import DEFAULT_GOLD, evaluate_tools, format_tools_report, load_gold

GOLD = load_gold(DEFAULT_GOLD)


def test_gold_set_is_large_and_varied():
    assert len(GOLD) >= 20
    profiles = [c["profile"] for c in GOLD]
    assert {p.get("country", "NO") for p in profiles} == {"NO", "DK"}
    assert {p.get("centrality") for p in profiles} >= {"sentral", "mellomsentral", "distrikt"}
    assert min(p["population"] for p in profiles) < 5000 < 100000 < max(p["population"] for p in profiles)
    assert any("priorities" in p for p in profiles)
    assert {c["expected_level"] for c in GOLD} == {"fyrtarn", "k10", "myndighetskrav"}
    assert {c["expected_best_scenario"] for c in GOLD} >= {"S1", "S2"}
    assert len({c["id"] for c in GOLD}) == len(GOLD)


def test_gold_includes_the_baerum_calibration():
    case = next(c for c in GOLD if c["id"] == "baerum-2013")
    assert case["expected_level"] == "k10"
    assert case["profile"]["population"] == 116000 and case["profile"]["it_cost_per_inhabitant"] == 1050


def test_evaluation_reports_agreement_and_disagreements():
    result = evaluate_tools(DEFAULT_GOLD)
    assert result["cases"] == len(GOLD)
    assert result["level_correct"] == round(result["level_agreement"] * len(GOLD))
    wrong = len(GOLD) - min(result["level_correct"], result["scenario_correct"])
    assert len(result["disagreements"]) >= wrong
    # A regression guard, not a target: the gold was written from the reports, not from the tools.
    assert result["level_agreement"] >= 0.8
    assert result["scenario_agreement"] >= 0.75


def test_a_wrong_expectation_shows_up_as_a_disagreement(tmp_path):
    case = {**next(c for c in GOLD if c["id"] == "baerum-2013"), "expected_level": "fyrtarn"}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(case, ensure_ascii=False) + "\n", encoding="utf-8")
    result = evaluate_tools(path)
    assert result["level_agreement"] == 0
    assert result["disagreements"][0]["got_level"] == "k10"
    report = format_tools_report(result)
    assert "fyrtarn → **k10**" in report and "## Uenigheter" in report


def test_report_is_markdown_with_the_figures():
    report = format_tools_report(evaluate_tools(DEFAULT_GOLD))
    assert report.startswith("# Evaluering av beslutningsverktøyene")
    assert "| Ambisjonsnivå |" in report and "| Beste scenario |" in report


def test_a_gold_line_without_required_keys_is_refused(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x", "profile": {}}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mangler"):
        load_gold(path)
