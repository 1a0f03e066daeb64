"""Typed results of the decision tools. Frozen, small, and JSON-able through ``to_dict``.

Every judgement a tool makes travels with its evidence (``Reason``): the report, the page and a
verbatim quote, and whether the report says it ("rapporten") or we derived it ("vurdering").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Basis = Literal["rapporten", "vurdering"]

LEVELS: tuple[str, ...] = ("fyrtarn", "k10", "myndighetskrav")
LEVEL_LABELS: dict[str, str] = {
    "fyrtarn": "Fyrtårn",
    "k10": "I tråd med de 10 store, norske kommunene",
    "myndighetskrav": "I tråd med myndighetskrav",
}
# Confidence in words a reader does not mistake for a security level.
UNCERTAINTY: dict[str, str] = {"høy": "liten", "middels": "middels", "lav": "stor"}
SCENARIOS: tuple[str, ...] = ("S0", "S1", "S2", "S3")
SCENARIO_LABELS: dict[str, str] = {
    "S0": "S0 Nullscenario (dagens modell)",
    "S1": "S1 Tilrettelegger",
    "S2": "S2 Formidler",
    "S3": "S3 Leverandør",
}
CRITERIA: tuple[str, ...] = (
    "formålseffektivitet",
    "kostnadseffektivitet",
    "gjennomførbarhet",
    "fleksibilitet",
    "handlefrihet",
)


def _plain(obj: Any) -> Any:
    """asdict() keeps tuples; JSON wants lists."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


@dataclass(frozen=True)
class Source:
    """One report of the corpus, as the source list of a memo names it."""

    key: str  # "000".."004"
    file: str
    title: str
    publisher: str
    year: str
    country: str
    language: str
    short: str  # for inline citations, e.g. "BCG 2013"


@dataclass(frozen=True)
class Reason:
    """A statement with its evidence: report, page (None where the report has no pages) and quote."""

    rule_id: str
    text: str
    source: str  # corpus key, e.g. "000"
    file: str
    title: str
    page: int | None
    quote: str
    basis: Basis

    def citation(self) -> str:
        """Short inline citation, e.g. "BCG 2013, s. 7" (no page for reports without pages)."""
        from .rules import sources  # late: rules imports types

        page = f", s. {self.page}" if self.page is not None else ""
        return f"{sources()[self.source].short}{page}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FieldImpact:
    """A missing profile field that, if known, could change the result."""

    field: str
    example: str  # the value (or condition) that flips it, in words
    new_result: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NextStep:
    """A concrete step, taken from a rule that applies to this result."""

    text: str
    reason: Reason

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason.to_dict()}


@dataclass(frozen=True)
class AmbitionResult:
    level: str
    label: str
    scores: dict[str, float]
    ranking: tuple[str, ...]
    confidence: str  # "høy" | "middels" | "lav"
    reasons: tuple[Reason, ...]
    would_change: tuple[FieldImpact, ...]
    caveats: tuple[str, ...]
    next_steps: tuple[NextStep, ...] = ()
    reasons_for: tuple[Reason, ...] = ()  # the applied rules that pull towards ``level``
    reasons_against: tuple[Reason, ...] = ()  # those that pull towards another level
    translation: str = ""  # what the level means for a kommune far from the K10 size; "" otherwise

    @property
    def uncertainty(self) -> str:
        """The confidence in plain words: "liten", "middels" or "stor" usikkerhet."""
        return UNCERTAINTY[self.confidence]

    def to_dict(self) -> dict[str, Any]:
        return _plain(
            {
                "tool": "ambition",
                "reasons_for": [r.to_dict() for r in self.reasons_for],
                "reasons_against": [r.to_dict() for r in self.reasons_against],
                "translation": self.translation,
                "level": self.level,
                "label": self.label,
                "scores": self.scores,
                "ranking": self.ranking,
                "confidence": self.confidence,
                "reasons": [r.to_dict() for r in self.reasons],
                "would_change": [w.to_dict() for w in self.would_change],
                "caveats": self.caveats,
                "next_steps": [s.to_dict() for s in self.next_steps],
            }
        )


@dataclass(frozen=True)
class CollaborationAdvice:
    """Advice on the kommune's own collaboration form (PA 2015 assessments, Kolding note)."""

    form: str | None
    label: str
    advice: tuple[Reason, ...]
    open_questions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _plain(
            {
                "form": self.form,
                "label": self.label,
                "advice": [r.to_dict() for r in self.advice],
                "open_questions": self.open_questions,
            }
        )


@dataclass(frozen=True)
class ScenarioResult:
    ranking: tuple[str, ...]
    scores: dict[str, float]  # weighted total per scenario
    criterion_scores: dict[str, dict[str, float]]  # scenario -> criterion -> score after adjustments
    weights: dict[str, float]
    report_recommendation: Reason
    reasons: tuple[Reason, ...]  # the base judgments and the profile adjustments that applied
    collaboration: CollaborationAdvice
    would_change: tuple[FieldImpact, ...]
    caveats: tuple[str, ...]
    next_steps: tuple[NextStep, ...] = ()

    @property
    def best(self) -> str:
        return self.ranking[0]

    def to_dict(self) -> dict[str, Any]:
        return _plain(
            {
                "tool": "scenarios",
                "ranking": self.ranking,
                "best": self.best,
                "best_label": SCENARIO_LABELS[self.best],
                "scores": self.scores,
                "criterion_scores": self.criterion_scores,
                "weights": self.weights,
                "report_recommendation": self.report_recommendation.to_dict(),
                "reasons": [r.to_dict() for r in self.reasons],
                "collaboration": self.collaboration.to_dict(),
                "would_change": [w.to_dict() for w in self.would_change],
                "caveats": self.caveats,
                "next_steps": [s.to_dict() for s in self.next_steps],
            }
        )


@dataclass(frozen=True)
class BenchmarkRow:
    """One comparison: the kommune's figure (if supplied) beside a report's figure."""

    metric: str
    unit: str
    kommune_value: float | None
    reference_label: str
    reference_value: float | None
    year: str
    comparison: str  # in words; empty when the kommune supplied nothing
    reason: Reason

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["reason"] = self.reason.to_dict()
        return d


@dataclass(frozen=True)
class BenchmarkResult:
    kommune: str
    rows: tuple[BenchmarkRow, ...]
    quality_score: float | None  # PA quality score (0-100) from what the kommune supplied
    quality_missing: tuple[str, ...]
    caveats: tuple[str, ...]
    would_change: tuple[FieldImpact, ...] = field(default_factory=tuple)
    comparison_quality_score: float | None = None  # the same parts weighted 45/45/10 (PA s. 38)

    def by_metric(self, metric: str) -> tuple[BenchmarkRow, ...]:
        return tuple(r for r in self.rows if r.metric == metric)

    def to_dict(self) -> dict[str, Any]:
        return _plain(
            {
                "tool": "benchmark",
                "kommune": self.kommune,
                "rows": [r.to_dict() for r in self.rows],
                "quality_score": self.quality_score,
                "quality_missing": self.quality_missing,
                "comparison_quality_score": self.comparison_quality_score,
                "caveats": self.caveats,
                "would_change": [w.to_dict() for w in self.would_change],
            }
        )
