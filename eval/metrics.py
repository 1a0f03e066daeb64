"""The hit rule and ranking metrics. Fixed definitions, so figures compare across versions.

A passage is a hit for a question when it covers at least half of the word 5-grams
(lower-cased, NFKC-normalised ``\\w+`` tokens) of one of the question's evidence strings.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections.abc import Sequence

N = 5
_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def ngrams(toks: Sequence[str], n: int = N) -> set[tuple[str, ...]]:
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


class EvidenceMatcher:
    """Precomputes each evidence string's 5-grams; ``is_hit`` tests one passage."""

    def __init__(self, evidence: Sequence[str]) -> None:
        self._grams = [g for g in (ngrams(tokens(e)) for e in evidence) if g]

    def is_hit(self, passage_text: str) -> bool:
        return self.covers(ngrams(tokens(passage_text)))

    def covers(self, passage_grams: set[tuple[str, ...]]) -> bool:
        """The hit rule on a passage's precomputed 5-grams."""
        return any(len(g & passage_grams) * 2 >= len(g) for g in self._grams)


def first_hit_rank(hits: Sequence[bool]) -> int | None:
    return next((i for i, h in enumerate(hits, start=1) if h), None)


def ndcg(hits: Sequence[bool], relevant_total: int, k: int) -> float:
    """Binary-relevance nDCG@k; the ideal list puts every relevant passage of the index first."""
    dcg = sum(1 / math.log2(i + 1) for i, h in enumerate(hits[:k], start=1) if h)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(k, relevant_total) + 1))
    return dcg / ideal if ideal else 0.0


def summarise(rows: Sequence[dict], k: int = 10) -> dict:
    """rows: {'rank': int | None, 'ndcg': float}. Returns hit@1/5/10, MRR@10, nDCG@10, n."""
    n = len(rows)
    if not n:
        return {"n": 0}
    ranks = [r["rank"] for r in rows]
    return {
        "n": n,
        "hit@1": sum(1 for r in ranks if r is not None and r <= 1) / n,
        "hit@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / n,
        f"mrr@{k}": sum(1 / r for r in ranks if r is not None and r <= k) / n,
        f"ndcg@{k}": sum(r["ndcg"] for r in rows) / n,
    }


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
