"""Evaluate the decision tools against hand-written gold profiles (eval/gold/tools.jsonl).

Each gold line was written from the reports' logic, not from the tools' output: a profile, the
expected ambition level and best scenario, the rule and verbatim quote that justify it, and a note
saying where the reports leave the answer open.

    python -m eval.tools_eval [eval/gold/tools.jsonl]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from assistant.decision import assess_ambition, assess_scenarios

DEFAULT_GOLD = Path(__file__).parent / "gold" / "tools.jsonl"
REQUIRED = ("id", "profile", "expected_level", "expected_best_scenario", "rule", "quote", "source", "page", "note")


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        case = json.loads(line)
        missing = [k for k in REQUIRED if k not in case]
        if missing:
            raise ValueError(f"{path}:{n}: mangler {', '.join(missing)}")
        cases.append(case)
    return cases


def evaluate_tools(path: str | Path = DEFAULT_GOLD) -> dict[str, Any]:
    """Agreement on ambition level and on best scenario, and every disagreement."""
    cases = load_gold(path)
    disagreements = []
    level_ok = scenario_ok = 0
    for case in cases:
        ambition = assess_ambition(case["profile"])
        scenarios = assess_scenarios(case["profile"])
        lv_ok = ambition.level == case["expected_level"]
        sc_ok = scenarios.best == case["expected_best_scenario"]
        level_ok += lv_ok
        scenario_ok += sc_ok
        if not (lv_ok and sc_ok):
            disagreements.append({
                "id": case["id"],
                "expected_level": case["expected_level"],
                "got_level": ambition.level,
                "level_scores": ambition.scores,
                "expected_best_scenario": case["expected_best_scenario"],
                "got_best_scenario": scenarios.best,
                "scenario_scores": scenarios.scores,
                "open": "ÅPENT" in case["note"],
                "note": case["note"],
            })
    n = len(cases)
    return {
        "gold": str(path),
        "cases": n,
        "level_agreement": level_ok / n if n else 0.0,
        "scenario_agreement": scenario_ok / n if n else 0.0,
        "level_correct": level_ok,
        "scenario_correct": scenario_ok,
        "open_cases": sum("ÅPENT" in c["note"] for c in cases),
        "disagreements": disagreements,
    }


def format_tools_report(result: dict[str, Any]) -> str:
    """The evaluation as Markdown, disagreements included, open cases marked."""
    lines = [
        "# Evaluering av beslutningsverktøyene",
        "",
        f"Gullsett: `{result['gold']}`, {result['cases']} profiler, "
        f"{result['open_cases']} av dem markert som åpne i rapportene.",
        "",
        "| Mål | Treff | Andel |",
        "|---|---|---|",
        f"| Ambisjonsnivå | {result['level_correct']}/{result['cases']} | {result['level_agreement']:.0%} |",
        f"| Beste scenario | {result['scenario_correct']}/{result['cases']} | {result['scenario_agreement']:.0%} |",
        "",
    ]
    if not result["disagreements"]:
        lines.append("Ingen uenigheter.")
        return "\n".join(lines) + "\n"
    lines += ["## Uenigheter", "", "| Profil | Nivå (gull → verktøy) | Scenario (gull → verktøy) | Åpen | Merknad |",
              "|---|---|---|---|---|"]
    for d in result["disagreements"]:
        level = d["expected_level"] if d["expected_level"] == d["got_level"] else f"{d['expected_level']} → **{d['got_level']}**"
        scen = (d["expected_best_scenario"] if d["expected_best_scenario"] == d["got_best_scenario"]
                else f"{d['expected_best_scenario']} → **{d['got_best_scenario']}**")
        note = d["note"].replace("|", "/")
        lines.append(f"| {d['id']} | {level} | {scen} | {'ja' if d['open'] else 'nei'} | {note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(format_tools_report(evaluate_tools(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_GOLD)))
