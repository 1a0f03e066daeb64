"""Evaluate the decision tools against hand-written gold profiles (eval/gold/tools.jsonl).

Each gold line was written from the reports' logic, not from the tools' output: a profile, the
acceptable ambition levels, best scenarios and last scenarios (a list where the reports leave it
open), the report passage that implies the outcome, and a note. Lines with ``"author": "blind"`` were
written by someone who had read the reports and the profile schema but not the rules.

    python -m eval tools [--gold eval/gold/tools.jsonl] [--out eval/results/tools.md]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from assistant.decision import assess_ambition, assess_scenarios

DEFAULT_GOLD = Path(__file__).parent / "gold" / "tools.jsonl"
REQUIRED = (
    "id",
    "profile",
    "expected_level",
    "expected_best_scenario",
    "expected_last_scenario",
    "quote",
    "source",
    "page",
    "note",
)
# (gold key, label in the report, what the tools answered)
MEASURES = (
    ("expected_level", "Ambisjonsnivå", lambda amb, scn: amb.level),
    ("expected_best_scenario", "Beste scenario", lambda amb, scn: scn.ranking[0]),
    ("expected_last_scenario", "Siste scenario", lambda amb, scn: scn.ranking[-1]),
)


def _accepted(value: Any) -> list[str]:
    """A gold expectation is one answer or a list of acceptable answers."""
    return [value] if isinstance(value, str) else list(value)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        case = json.loads(line)
        missing = [k for k in REQUIRED if k not in case]
        if missing:
            raise ValueError(f"{path}:{n}: mangler {', '.join(missing)}")
        for key, _, _ in MEASURES:
            case[key] = _accepted(case[key])
        cases.append(case)
    return cases


def _verdicts(path: Path) -> dict[str, str]:
    """Who is right by the report, per disagreeing case id (eval/gold/tools_verdicts.json)."""
    file = path.with_name("tools_verdicts.json")
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}


def evaluate_tools(path: str | Path = DEFAULT_GOLD) -> dict[str, Any]:
    """Agreement on ambition level, best scenario and last scenario, each on its own, and every disagreement."""
    path = Path(path)
    cases = load_gold(path)
    verdicts = _verdicts(path)
    correct = {key: 0 for key, _, _ in MEASURES}
    blind_correct = {key: 0 for key, _, _ in MEASURES}
    disagreements = []
    for case in cases:
        amb, scn = assess_ambition(case["profile"]), assess_scenarios(case["profile"])
        wrong = []
        for key, label, got in MEASURES:
            answer = got(amb, scn)
            if answer in case[key]:
                correct[key] += 1
                blind_correct[key] += case.get("author") == "blind"
            else:
                wrong.append({"measure": label, "expected": case[key], "got": answer})
        if wrong:
            disagreements.append(
                {
                    "id": case["id"],
                    "author": case.get("author", ""),
                    "wrong": wrong,
                    "level_scores": amb.scores,
                    "scenario_ranking": scn.ranking,
                    "note": case["note"],
                    "verdict": verdicts.get(case["id"], ""),
                }
            )
    n = len(cases)
    blind = sum(c.get("author") == "blind" for c in cases)
    return {
        "gold": str(path),
        "cases": n,
        "blind_cases": blind,
        "open_cases": sum(any(len(c[k]) > 1 for k, _, _ in MEASURES) for c in cases),
        "correct": correct,
        "blind_correct": blind_correct,
        "agreement": {k: (v / n if n else 0.0) for k, v in correct.items()},
        "level_agreement": correct["expected_level"] / n if n else 0.0,
        "scenario_agreement": correct["expected_best_scenario"] / n if n else 0.0,
        "last_agreement": correct["expected_last_scenario"] / n if n else 0.0,
        "level_correct": correct["expected_level"],
        "scenario_correct": correct["expected_best_scenario"],
        "last_correct": correct["expected_last_scenario"],
        "disagreements": disagreements,
    }


def _pct(x: float) -> str:
    return f"{x * 100:.0f} %"


def format_tools_report(result: dict[str, Any]) -> str:
    """The evaluation as Markdown: one row per measure, then every disagreement with its verdict."""
    n, nb = result["cases"], result["blind_cases"]
    lines = [
        "# Evaluering av beslutningsverktøyene",
        "",
        f"Gullsett: `{result['gold']}`, {n} profiler, hvorav {nb} skrevet blindt (fra rapportene og "
        f"profilskjemaet, uten å ha sett reglene). {result['open_cases']} profiler godtar flere svar "
        "der rapportene lar spørsmålet stå åpent.",
        "",
        "| Mål | Treff | Andel | Blinde profiler |",
        "|---|---|---|---|",
    ]
    for key, label, _ in MEASURES:
        c, b = result["correct"][key], result["blind_correct"][key]
        blind = f"{b}/{nb} ({_pct(b / nb)})" if nb else "–"
        lines.append(f"| {label} | {c}/{n} | {_pct(c / n if n else 0)} | {blind} |")
    lines.append("")
    if not result["disagreements"]:
        lines.append("Ingen uenigheter.")
        return "\n".join(lines) + "\n"
    lines += [
        "## Uenigheter",
        "",
        "| Profil | Mål (gull → verktøy) | Hvem har rett etter rapporten | Merknad i gullsettet |",
        "|---|---|---|---|",
    ]
    for d in result["disagreements"]:
        wrong = "; ".join(f"{w['measure']}: {'/'.join(w['expected'])} → **{w['got']}**" for w in d["wrong"])
        verdict = (d["verdict"] or "ikke vurdert").replace("|", "/")
        lines.append(f"| {d['id']} | {wrong} | {verdict} | {d['note'].replace('|', '/')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(format_tools_report(evaluate_tools(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_GOLD)))
