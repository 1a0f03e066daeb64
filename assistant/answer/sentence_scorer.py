"""How likely a sentence of a retrieved passage is to answer the question.

A logistic model over a few features that can be explained: the sentence's embedding similarity
to the question (absolute and relative to the best), its passage's place in the fused ranking,
how many of the question's content terms it and its neighbours cover, and whether it has what
the question asks for (a figure, a definition, a list, a reason). The weights are fitted on the
tuning half of the dev set by ``python -m eval fit-answers`` and stored in
``sentence_scorer.json``; nothing is fitted at run time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.text.lexical import passage_terms

MODEL_FILE = Path(__file__).with_name("sentence_scorer.json")
FEATURES = (
    "sim",
    "sim_gap",
    "passage_rank",
    "passage_score",
    "coverage",
    "context_coverage",
    "kind_match",
    "length",
    "position",
    "rare_coverage",
    "source_match",
)

_NUMBER = re.compile(r"\d")
_DEFINITION = re.compile(
    r"\b(er|betyr|betyder|står for|defineres|menes|is|are|means|refers to|dvs|det vil si)\b|:|\(", re.I
)
_LIST = re.compile(r":|;|,.*,|\bsom\b.*\bog\b|\b(blant annet|bl\.a\.|herunder|følgende|such as|including)\b", re.I)
_REASON = re.compile(
    r"\b(fordi|derfor|på grunn av|grunnen|årsaken|ettersom|siden|slik at|for å|begrunn\w*|"
    r"fordi|hvorfor|because|since|therefore|as a result|due to|so that|da det|idet|medfører|fører til|gir)\b",
    re.I,
)


@dataclass(frozen=True)
class SentenceFacts:
    """What the scorer needs to know about one candidate sentence."""

    text: str
    context: str  # the sentence with its neighbours in the passage
    language: str
    sim: float
    best_sim: float
    passage_rank: int
    passage_score: float  # fused score relative to the best passage (1.0 = the best)
    position: int  # index of the sentence in its passage
    source: str = ""  # the report's title and heading: "BCG", "RegionData" in a question point at one report


def kind_match(kind: str, text: str, subject: str | None = None) -> float:
    if kind == "quantity":
        return float(bool(_NUMBER.search(text)))
    if kind == "definition":
        if subject:
            s = re.escape(subject)
            # "(K10-samarbeidet)", "K10 er …", "K10: …", "K10 står for …"
            defines = rf"\(\s*{s}[\w\-]*\s*\)|\b{s}[\w\-]*\s*(?:er|betyr|betyder|står for|is|means|=|:|–)\s"
            if re.search(defines, text, re.I):
                return 1.0
        return 0.5 * bool(_DEFINITION.search(text))
    if kind == "list":
        return float(bool(_LIST.search(text)))
    if kind == "reason":
        return float(bool(_REASON.search(text)))
    return 0.0


def features(
    facts: SentenceFacts,
    terms: frozenset[str],
    kind: str,
    rarity: dict[str, float] | None = None,
    subject: str | None = None,
) -> list[float]:
    """``rarity`` weighs each query term by its idf in the index (rare terms say more)."""
    own = set(passage_terms(facts.text, facts.language))
    around = set(passage_terms(facts.context, facts.language))
    source = set(passage_terms(facts.source, facts.language)) if facts.source else set()
    n = max(1, len(terms))
    rarity = rarity or {}
    total = sum(rarity.values()) or 1.0
    return [
        facts.sim,
        facts.sim - facts.best_sim,
        1.0 / (1 + facts.passage_rank),
        facts.passage_score,
        len(terms & own) / n,
        len(terms & around) / n,
        kind_match(kind, facts.text, subject),
        math.log1p(len(facts.text.split())),
        1.0 / (1 + facts.position),
        sum(w for t, w in rarity.items() if t in around) / total,
        float(bool(terms & source)),
    ]


@dataclass(frozen=True)
class Model:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> Model:
    if not path.exists():  # before the first fit: similarity and coverage alone
        weights = [4.0, 2.0, 0.5, 0.5, 1.5, 0.5, 0.5, 0.0, 0.2, 1.0, 0.3]
        return Model(tuple([0.0] * len(FEATURES)), tuple([1.0] * len(FEATURES)), tuple(weights), -3.0)
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path} was fitted on other features; run `python -m eval fit-answers`.")
    return Model(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]), float(data["bias"]))
