"""Loading the rules (TOML next to this file) and the small machinery every tool shares.

A rule is data: conditions on profile facts, an effect, and its evidence (report, page, verbatim
quote, basis). This module turns the TOML into frozen dataclasses, checks that the data is well
formed when it is loaded, and answers "which missing fields would change this result?" for any tool.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ingest.errors import VeivalgError
from ingest.text.numbers import nb_number

from .profile import CENTRALITIES, COLLABORATIONS, COUNTRIES, KommuneProfile
from .types import CRITERIA, LEVELS, SCENARIOS, Basis, FieldImpact, Reason, Source

RULES_DIR = Path(__file__).parent
OPS = ("is", "not", "lt", "le", "gt", "ge", "in")
BASES = ("rapporten", "vurdering")
KNOWN_FACTS = {f.name for f in fields(KommuneProfile)} | {"governance"}

# Which profile field a fact comes from, and how to name it to a person.
FACT_FIELD = {"governance": "maturity_areas"}
FACT_LABELS = {
    "population": "innbyggertall",
    "country": "land",
    "centrality": "sentralitet",
    "maturity": "modenhet (1–5)",
    "governance": "modenhet i styring, porteføljestyring og gevinstrealisering (1–5)",
    "digitalisation_central_to_attractiveness": "IT sentralt for kommunens attraktivitet",
    "major_sector_challenges": "store utfordringer i sektorene",
    "it_cost_per_inhabitant": "IT-kostnad per innbygger (kr)",
    "it_staff_fte": "IT-årsverk",
    "collaboration": "samarbeidsform",
    "has_it_strategy": "har IT-strategi",
    "bestiller_competence": "bestillerkompetanse (1–5)",
}
_DOMAINS: dict[str, tuple[Any, ...]] = {
    "collaboration": COLLABORATIONS,
    "centrality": CENTRALITIES,
    "country": COUNTRIES,
}
_SCORE_FACTS = ("maturity", "governance", "bestiller_competence")


class RuleDataError(VeivalgError, ValueError):
    """The rule files are malformed: a developer error, caught when the rules are loaded (still a ValueError)."""

    code = "RULES_INVALID"


def _value_words(fact: str, value: Any) -> str:
    """A coded value as a reader should see it ("iks" -> "Interkommunalt selskap (IKS)")."""
    if fact == "collaboration":
        return collaboration_label(value)
    if fact == "country":
        return {"NO": "Norge", "DK": "Danmark"}.get(value, value)
    return str(value)


@dataclass(frozen=True)
class Condition:
    fact: str
    op: str
    value: Any

    def holds(self, facts: Mapping[str, Any]) -> bool | None:
        """True/False, or None when the fact is unknown (a rule never fires on a guess)."""
        if self.fact not in facts or facts[self.fact] is None:
            return None
        x = facts[self.fact]
        match self.op:
            case "is":
                return x == self.value
            case "not":
                return x != self.value
            case "in":
                return x in self.value
            case "lt":
                return x < self.value
            case "le":
                return x <= self.value
            case "gt":
                return x > self.value
            case "ge":
                return x >= self.value
        raise RuleDataError(f"Ukjent operator {self.op!r}")

    def candidates(self) -> list[tuple[Any, str]]:
        """Values of the fact on either side of this condition, each with words for a person."""
        label = FACT_LABELS.get(self.fact, self.fact)
        if isinstance(self.value, bool):
            return [(True, f"{label}: ja"), (False, f"{label}: nei")]
        if self.op in ("is", "not", "in"):
            domain = _DOMAINS.get(self.fact) or (tuple(self.value) if isinstance(self.value, list) else (self.value,))
            return [(v, f"{label}: {_value_words(self.fact, v)}") for v in domain]
        if self.fact in _SCORE_FACTS:
            return [(n, f"{label}: {n}") for n in (1, 2, 3, 4, 5)]
        v = self.value
        step = 1 if float(v).is_integer() else 0.5
        shown = nb_number(v)
        below, above = (v - step, v) if self.op in ("lt", "ge") else (v, v + step)
        return [
            (below, f"{label} under {shown}" if self.op in ("lt", "ge") else f"{label} {shown} eller lavere"),
            (above, f"{label} {shown} eller mer" if self.op in ("lt", "ge") else f"{label} over {shown}"),
        ]


@dataclass(frozen=True)
class Rule:
    """Evidence plus conditions. Tool-specific parts live in the subclasses below."""

    id: str
    text: str
    source: str
    page: int | None
    quote: str
    basis: Basis
    when: tuple[Condition, ...] = ()

    def applies(self, facts: Mapping[str, Any]) -> bool:
        return all(c.holds(facts) is True for c in self.when)

    def reason(self, text: str | None = None) -> Reason:
        src = sources()[self.source]
        return Reason(
            rule_id=self.id,
            text=text or self.text,
            source=self.source,
            file=src.file,
            title=src.title,
            page=self.page,
            quote=self.quote,
            basis=self.basis,
        )


@dataclass(frozen=True)
class AmbitionRule(Rule):
    effect: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Cell(Rule):
    scenario: str = ""
    criterion: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class Adjustment(Rule):
    effects: tuple[tuple[str, str, float], ...] = ()  # (scenario, criterion, delta)


@dataclass(frozen=True)
class Step(Rule):
    levels: tuple[str, ...] = ()  # ambition levels or scenarios the step belongs to


@dataclass(frozen=True)
class Advice(Rule):
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference(Rule):
    metric: str = ""
    unit: str = ""
    label: str = ""
    value: float = 0.0
    year: str = ""
    mode: str = "ratio"  # ratio | level | context
    threshold: float | None = None
    above: str = ""
    below: str = ""


# -- loading ------------------------------------------------------------------------------------


def _read(name: str) -> dict[str, Any]:
    with (RULES_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    data = _read("sources.toml")["sources"]
    return {key: Source(key=key, **value) for key, value in data.items()}


def _conditions(raw: Iterable[dict[str, Any]], where: str) -> tuple[Condition, ...]:
    out = []
    for c in raw:
        if c.get("fact") not in KNOWN_FACTS:
            raise RuleDataError(f"{where}: ukjent fakta {c.get('fact')!r}")
        if c.get("op") not in OPS:
            raise RuleDataError(f"{where}: ukjent operator {c.get('op')!r}")
        out.append(Condition(c["fact"], c["op"], c["value"]))
    return tuple(out)


R = TypeVar("R", bound="Rule")


def _build(cls: type[R], raw: dict[str, Any], **extra: Any) -> R:
    where = raw.get("id", "<uten id>")
    for key in ("id", "text", "source", "quote"):
        if not raw.get(key):
            raise RuleDataError(f"{where}: mangler {key!r}")
    if raw["source"] not in sources():
        raise RuleDataError(f"{where}: ukjent kilde {raw['source']!r}")
    basis = raw.get("basis", "vurdering")
    if basis not in BASES:
        raise RuleDataError(f"{where}: basis må være {BASES}, fikk {basis!r}")
    page = raw.get("page")
    if page is not None and not isinstance(page, int):
        raise RuleDataError(f"{where}: side må være et heltall")
    return cls(
        id=raw["id"],
        text=raw["text"],
        source=raw["source"],
        page=page,
        quote=raw["quote"],
        basis=basis,
        when=_conditions(raw.get("when", ()), where),
        **extra,
    )


def _check_ids(rules: Iterable[Rule], name: str) -> None:
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise RuleDataError(f"{name}: id {r.id!r} finnes to ganger")
        seen.add(r.id)


@lru_cache(maxsize=1)
def ambition_rules() -> tuple[tuple[AmbitionRule, ...], tuple[Step, ...]]:
    data = _read("rules_ambition.toml")
    rules = []
    for raw in data["rule"]:
        effect = tuple((k, float(v)) for k, v in raw["effect"].items())
        if any(k not in LEVELS for k, _ in effect):
            raise RuleDataError(f"{raw['id']}: ukjent nivå i effect")
        rules.append(_build(AmbitionRule, raw, effect=effect))
    steps = [_build(Step, raw, levels=tuple(raw["levels"])) for raw in data.get("step", ())]
    _check_ids([*rules, *steps], "rules_ambition.toml")
    return tuple(rules), tuple(steps)


@dataclass(frozen=True)
class ScenarioRules:
    """rules_scenarios.toml: the score grid, the adjustments to it, next steps, and the evidence
    for the recommendation and the criteria."""

    cells: tuple[Cell, ...]
    adjustments: tuple[Adjustment, ...]
    steps: tuple[Step, ...]
    recommendation: Rule
    criteria: Rule


@dataclass(frozen=True)
class CollaborationForm:
    """One collaboration form of rules_collaboration.toml's [forms]: its label and what the reports leave open."""

    label: str
    open_questions: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def scenario_rules() -> ScenarioRules:
    data = _read("rules_scenarios.toml")
    cells = []
    for raw in data["cell"]:
        if raw["scenario"] not in SCENARIOS or raw["criterion"] not in CRITERIA:
            raise RuleDataError(f"{raw['id']}: ukjent scenario eller kriterium")
        cells.append(_build(Cell, raw, scenario=raw["scenario"], criterion=raw["criterion"], score=float(raw["score"])))
    missing = {(s, c) for s in SCENARIOS for c in CRITERIA} - {(x.scenario, x.criterion) for x in cells}
    if missing:
        raise RuleDataError(f"rules_scenarios.toml: mangler celler {sorted(missing)}")
    adjustments = []
    for raw in data.get("rule", ()):
        effects = tuple((e["scenario"], e["criterion"], float(e["delta"])) for e in raw["effects"])
        if any(s not in SCENARIOS or c not in CRITERIA for s, c, _ in effects):
            raise RuleDataError(f"{raw['id']}: ukjent scenario eller kriterium i effects")
        adjustments.append(_build(Adjustment, raw, effects=effects))
    steps = [_build(Step, raw, levels=tuple(raw["levels"])) for raw in data.get("step", ())]
    recommendation = _build(Rule, data["recommendation"])
    criteria = _build(Rule, data["criteria"])
    _check_ids([*cells, *adjustments, *steps, recommendation, criteria], "rules_scenarios.toml")
    return ScenarioRules(
        cells=tuple(cells),
        adjustments=tuple(adjustments),
        steps=tuple(steps),
        recommendation=recommendation,
        criteria=criteria,
    )


@lru_cache(maxsize=1)
def collaboration_rules() -> tuple[dict[str, CollaborationForm], tuple[Advice, ...]]:
    data = _read("rules_collaboration.toml")
    forms = {
        key: CollaborationForm(label=raw["label"], open_questions=tuple(raw.get("open_questions", ())))
        for key, raw in data["forms"].items()
    }
    if set(forms) != set(COLLABORATIONS):
        raise RuleDataError("rules_collaboration.toml: [forms] må dekke alle samarbeidsformer")
    advice = []
    for raw in data["advice"]:
        if any(f not in COLLABORATIONS for f in raw["forms"]):
            raise RuleDataError(f"{raw['id']}: ukjent samarbeidsform")
        advice.append(_build(Advice, raw, forms=tuple(raw["forms"])))
    _check_ids(advice, "rules_collaboration.toml")
    return forms, tuple(advice)


def collaboration_label(value: str) -> str:
    """A collaboration form as a reader should see it ("iks" -> "Interkommunalt selskap (IKS)")."""
    form = collaboration_rules()[0].get(value)
    return form.label if form else value


@lru_cache(maxsize=1)
def benchmark_rules() -> tuple[tuple[Reference, ...], Rule, dict[str, float]]:
    data = _read("rules_benchmark.toml")
    refs = []
    for raw in data["reference"]:
        refs.append(
            _build(
                Reference,
                raw,
                metric=raw["metric"],
                unit=raw["unit"],
                label=raw["label"],
                value=float(raw["value"]),
                year=str(raw["year"]),
                mode=raw.get("mode", "ratio"),
                threshold=raw.get("threshold"),
                above=raw.get("above", ""),
                below=raw.get("below", ""),
            )
        )
    quality = data["quality"]
    weights = {k: float(v) for k, v in quality["weights"].items()}
    if abs(sum(weights.values()) - 1) > 1e-9:
        raise RuleDataError("rules_benchmark.toml: kvalitetsvektene må summere til 1")
    rule = _build(Rule, quality)
    _check_ids([*refs, rule], "rules_benchmark.toml")
    return tuple(refs), rule, weights


@lru_cache(maxsize=1)
def comparison_quality() -> tuple[Rule, dict[str, float]]:
    """PA's 45/45/10 weighting of the collaboration comparison (s. 38), which the figure on s. 16 uses."""
    raw = _read("rules_benchmark.toml")["quality_comparison"]
    weights = {k: float(v) for k, v in raw["weights"].items()}
    if abs(sum(weights.values()) - 1) > 1e-9:
        raise RuleDataError("rules_benchmark.toml: kvalitetsvektene må summere til 1")
    return _build(Rule, raw), weights


def all_rules() -> list[Rule]:
    """Every rule with evidence, across files: what the quote test walks through."""
    amb, amb_steps = ambition_rules()
    scn = scenario_rules()
    _, advice = collaboration_rules()
    refs, quality, _ = benchmark_rules()
    return [
        *amb,
        *amb_steps,
        *scn.cells,
        *scn.adjustments,
        *scn.steps,
        scn.recommendation,
        scn.criteria,
        *advice,
        *refs,
        quality,
        comparison_quality()[0],
    ]


# -- shared logic -------------------------------------------------------------------------------


def flipping_fields(
    facts: Mapping[str, Any],
    rules: Iterable[Rule],
    rank: Callable[[Mapping[str, Any]], tuple[str, ...]],
    label: Callable[[str], str],
) -> tuple[FieldImpact, ...]:
    """Missing facts that, set to a value on either side of a rule's condition, change the top result.

    One missing field at a time: a rule that needs two unknown facts together is not explored.
    """
    return _flips(facts, rules, rank, label, known=False)


def changing_facts(
    facts: Mapping[str, Any],
    rules: Iterable[Rule],
    rank: Callable[[Mapping[str, Any]], tuple[str, ...]],
    label: Callable[[str], str],
) -> tuple[FieldImpact, ...]:
    """Known facts that, if they were otherwise (the other side of a rule's condition), change the top result."""
    structural = ("population", "country", "centrality")  # not something a strategy can change
    return tuple(i for i in _flips(facts, rules, rank, label, known=True) if i.field not in structural)


def _flips(facts, rules, rank, label, known: bool) -> tuple[FieldImpact, ...]:
    top = rank(facts)[0]
    impacts: list[FieldImpact] = []
    seen: set[tuple[str, str]] = set()
    for rule in rules:
        for cond in rule.when:
            if (cond.fact in facts) != known:
                continue
            for value, words in cond.candidates():
                new_top = rank({**facts, cond.fact: value})[0]
                key = (cond.fact, new_top)
                if new_top != top and key not in seen:
                    seen.add(key)
                    impacts.append(FieldImpact(FACT_FIELD.get(cond.fact, cond.fact), words, label(new_top)))
    return tuple(impacts)
